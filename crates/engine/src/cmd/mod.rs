//! Command dispatch and the helpers every command handler uses.
//!
//! A handler is a plain function `fn(&mut Ctx, &[&[u8]]) -> CmdResult`. It receives the whole
//! argument vector (the command name first), parses and validates every argument before it
//! changes anything (fixed positions by index, everything after them with the [`args::Args`]
//! cursor), then writes its reply straight into `ctx.out`. Returning `Err` makes the
//! dispatcher write the error reply instead. Handlers are grouped one command family per
//! module; the command table (`table.rs`, generated from `ts/commands/spec/*.json`) maps names
//! to them, so adding a command means adding its spec and its function.
//!
//! `dispatch` performs Redis's checks in Redis's order: unknown command, unknown subcommand,
//! arity, authentication; then runs the handler and records statistics.

pub mod table;

pub mod args;
pub mod bitmap;
pub mod cluster;
pub mod connection;
pub mod draws;
pub mod eval;
pub mod function;
pub mod geo;
pub mod hash;
pub mod hyperloglog;
pub mod keyspace;
pub mod list;
pub mod pubsub;
pub mod server;
pub mod set;
pub mod sort;
pub mod stream;
pub mod string;
pub mod transaction;
pub mod zset;

use crate::acl::{Denied, LogContext};
use crate::blocking::BlockRequest;
use crate::db::{Db, Entry};
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;
use crate::resp::Reply;
use crate::server::{Pending, Server};
use crate::session::{Caller, ReplyMode, Session};
use crate::types::stream::StreamId;
use std::borrow::Cow;
use table::{flags, CommandSpec, Implementation};

pub type Handler = fn(&mut Ctx, &[&[u8]]) -> CmdResult;

/// How a command's execution ended, for the input loop.
pub enum Flow {
  Done,
  /// The TypeScript host must run this command.
  Pending(Pending),
  /// The command must wait; keep it in the input and retry when the session wakes.
  Park,
  /// The command waits for keys (see `blocking.rs`); keep it in the input.
  Block(BlockRequest),
}

/// Everything a command can see and change.
pub struct Ctx<'a> {
  pub server: &'a mut Server,
  /// The session that sent the command (taken out of its slot while it runs).
  pub session: &'a mut Session,
  /// The session's slot (see `Clients`).
  pub slot: u32,
  pub out: &'a mut Reply,
  /// Unix microseconds when the command started.
  pub now_us: i64,
  /// The same instant in milliseconds; all expiry checks of one command use it.
  pub now_ms: i64,
  /// Set by [`Ctx::block_on`] when the command must wait.
  pub block: Option<BlockRequest>,
}

impl Ctx<'_> {
  /// Writes a push (a message, a subscription confirmation, an invalidation) to the running
  /// session's own output.
  pub fn push_to_self(&mut self, write: impl FnOnce(&mut Reply)) {
    let start = self.out.buf.len();
    write(self.out);
    self.server.running.pushes.push((start, self.out.buf.len()));
  }

  /// Hands the rest of the command to the host (TypeScript), which replies: for effects
  /// only the host can have, such as moving listeners. `name` tells the host what to do.
  /// Inside a transaction or a script, where the engine must answer at once, the command is
  /// refused instead (see `run_command`).
  pub fn hand_over(&mut self, name: &'static str, args: Vec<Vec<u8>>) {
    self.server.running.handoff = Some(Pending { name, args });
  }

  /// Whether a command may be handed over to the host: a network client's (or an in-process
  /// session's, which the binding answers), not one run by EXEC or by a script.
  fn can_hand_over(&self) -> bool {
    matches!(self.session.caller(), Caller::Network | Caller::Embedded)
  }

  /// Whether an absolute expiry time a command was given has passed, so that it deletes the
  /// key instead (Redis's `checkAlreadyExpired`). Never while the AOF loads (its later commands
  /// may still find the key, as when it was written), nor on a replica, whose keys expire when
  /// its master says.
  pub fn already_expired(&self, when_ms: i64) -> bool {
    when_ms <= self.now_ms && !self.session.aof_loader && !self.server.is_replica()
  }

  /// The session's selected database.
  #[inline]
  pub fn db(&mut self) -> &mut Db {
    &mut self.server.keyspace.dbs[self.session.db]
  }

  /// Looks a key up for reading: counts a keyspace hit or miss and refreshes its access time
  /// (unless the client set CLIENT NO-TOUCH). Returns the output buffer alongside, so the
  /// caller can reply from the entry without copying it.
  #[inline]
  pub fn lookup_read(&mut self, key: &[u8]) -> (Option<&mut Entry>, &mut Reply) {
    let touch = !self.session.no_touch;
    self.notify_if_missing(key);
    let entry = self.server.keyspace.dbs[self.session.db].lookup(key, self.now_ms, touch);
    let stats = &mut self.server.telemetry.stats;
    if entry.is_some() {
      stats.keyspace_hits += 1;
    } else {
      stats.keyspace_misses += 1;
    }
    (entry, self.out)
  }

  /// A read lookup's `keymiss` event: sent when `key` is not live and the `m` class is on.
  /// Handlers that look keys up themselves (to borrow other parts of the server alongside)
  /// call it first, as [`Ctx::lookup_read`] does; it counts nothing itself.
  #[inline]
  pub fn notify_if_missing(&mut self, key: &[u8]) {
    if self.server.config.notify_keyspace_events & crate::config::notify::KEY_MISS != 0 {
      self.notify_missing(key);
    }
  }

  #[cold]
  fn notify_missing(&mut self, key: &[u8]) {
    if self.server.keyspace.dbs[self.session.db].live_position(key, self.now_ms).is_none() {
      self.notify(crate::config::notify::KEY_MISS, "keymiss", key);
    }
  }

  /// For a blocking command that found nothing to serve: waits for one of `keys` to be
  /// written, for at most `timeout_ms` (0 = forever; measured from the first time this command
  /// blocked). When the wait ends by timeout or CLIENT UNBLOCK … TIMEOUT, the command is run
  /// again and this call writes the timeout reply with `on_timeout` instead of blocking;
  /// after CLIENT UNBLOCK … ERROR it returns the UNBLOCKED error.
  ///
  /// Inside MULTI, or for an in-process session, blocking is not possible: the timeout reply
  /// is written at once, as Redis does for a blocking command in a transaction.
  pub fn block_on(&mut self, keys: &[&[u8]], timeout_ms: i64, on_timeout: impl FnOnce(&mut Reply)) -> CmdResult {
    use crate::blocking::WaitEnd;
    let end = self.session.wait.as_ref().map(|w| w.end);
    match end {
      Some(WaitEnd::TimedOut) => {
        on_timeout(self.out);
        return Ok(());
      }
      Some(WaitEnd::Error) => {
        return Err(Error::coded("UNBLOCKED client unblocked via CLIENT UNBLOCK"));
      }
      Some(WaitEnd::RoleChanged) => {
        self.session.close_after_reply = true;
        return Err(Error::coded(
          "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
        ));
      }
      _ => {}
    }
    if self.session.deny_blocking() {
      on_timeout(self.out);
      return Ok(());
    }
    let deadline_ms = match &self.session.wait {
      Some(wait) => wait.deadline_ms,
      None if timeout_ms == 0 => 0,
      None => self.now_ms.saturating_add(timeout_ms),
    };
    self.block =
      Some(BlockRequest { keys: keys.iter().map(|k| k.to_vec()).collect(), deadline_ms, stream_ids: Vec::new() });
    Ok(())
  }

  /// [`Ctx::block_on`] for XREAD, remembering for each key the ID after which it serves
  /// entries; re-runs read them back from the session's wait (`Wait::stream_ids`).
  pub fn block_on_streams(
    &mut self,
    keys: &[&[u8]],
    ids: &[StreamId],
    timeout_ms: i64,
    on_timeout: impl FnOnce(&mut Reply),
  ) -> CmdResult {
    self.block_on(keys, timeout_ms, on_timeout)?;
    if let Some(request) = self.block.as_mut() {
      request.stream_ids = ids.to_vec();
    }
    Ok(())
  }

  /// `keys` in the order a blocked command re-run after writes should try them: the key the
  /// writes made ready first (see `crate::blocking`), then the others in argument order.
  pub fn ready_first<'k>(&self, keys: &[&'k [u8]]) -> Vec<&'k [u8]> {
    let ready = self.session.wait.as_ref().and_then(|wait| wait.ready_key.as_deref());
    let mut ordered = keys.to_vec();
    if let Some(at) = ready.and_then(|ready| ordered.iter().position(|key| *key == ready)) {
      let key = ordered.remove(at);
      ordered.insert(0, key);
    }
    ordered
  }

  /// Looks a key up for writing: no hit/miss accounting.
  #[inline]
  pub fn lookup_write(&mut self, key: &[u8]) -> (Option<&mut Entry>, &mut Reply) {
    let entry = self.server.keyspace.dbs[self.session.db].lookup(key, self.now_ms, true);
    (entry, self.out)
  }
}

/// Runs one command, or says why it did not run yet (see [`Flow`]).
pub fn dispatch(ctx: &mut Ctx, argv: &[&[u8]]) -> Flow {
  ctx.session.last_interaction_ms = ctx.now_ms;
  // The command is the session's last (CLIENT LIST `cmd`) from its lookup on, refused or not,
  // as in Redis; one that names no command leaves `NULL`.
  let spec = match resolve(ctx.server.renames.as_deref(), argv) {
    Ok(spec) => spec,
    Err((spec, error)) => {
      ctx.session.last_command = spec.map_or("NULL", |spec| spec.name);
      if let Some(spec) = spec {
        ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
      }
      reject(ctx, spec, &error);
      return Flow::Done;
    }
  };
  ctx.session.last_command = spec.name;
  if !ctx.session.authenticated && !spec.has(flags::NO_AUTH) && !ctx.server.acl.default_needs_no_auth() {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::coded("NOAUTH Authentication required."));
    return Flow::Done;
  }
  // The user's ACL: one flag for an unrestricted user, the selectors otherwise.
  if !ctx.session.acl_exempt {
    if let Err((denied, pos)) = ctx.server.acl.check(ctx.session.user, spec, argv) {
      // Inside EXEC the rules changed since the command was queued.
      let (context, message) = if ctx.session.in_exec {
        let message = format!(
          "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This \
           command is no longer allowed for the following reason: {}",
          denied.exec_reason()
        );
        (LogContext::Multi, message)
      } else if ctx.session.multi.is_some() {
        (LogContext::Multi, denied.noperm(spec.name))
      } else {
        (LogContext::Toplevel, denied.noperm(spec.name))
      };
      log_acl_denial(ctx, spec, argv, denied, pos, context);
      ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
      reject(ctx, Some(spec), &Error::coded(message));
      return Flow::Done;
    }
  }
  // With `maxmemory` set and used memory past it, keys are evicted first (`evict.rs`; their
  // signals go out before the command runs). If memory is still past it, commands that may
  // grow the dataset are refused, and so is queuing more into a transaction. Scripts learn
  // the state the command started in. The master's stream is obeyed, never refused (Redis's
  // `mustObeyClient`). The commands EXEC runs are not checked again (Redis runs them with
  // `call()`): scripts among them learn the state EXEC started in. Without a limit the state
  // is left as it was, as Redis leaves it: a script in a transaction that sets the limit
  // learns the last state seen under one.
  let obey = ctx.session.obeys();
  let in_exec = ctx.session.in_exec;
  if ctx.server.config.maxmemory > 0 && !obey && !in_exec {
    let out_of_memory = ctx.server.out_of_memory(ctx.now_ms);
    if ctx.server.keyspace.attention.get() {
      for db in 0..ctx.server.keyspace.dbs.len() {
        ctx.settle_logged_in(db);
      }
    }
    ctx.server.oom_at_command_start = out_of_memory;
    let queuing = ctx.session.multi.is_some() && !matches!(spec.name, "exec" | "discard" | "quit" | "reset");
    if out_of_memory && (queuing || denies_oom(ctx, spec, argv)) {
      ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
      reject(ctx, Some(spec), &Error::coded(OOM_ERROR));
      return Flow::Done;
    }
  } else if obey {
    ctx.server.oom_at_command_start = false;
  }
  // Like Redis, every authenticated command first keeps the client-side caching table within
  // its limit, even one that is then refused or queued by MULTI.
  if ctx.server.tracking.clients > 0 {
    let max_keys = ctx.server.config.tracking_table_max_keys.max(0) as usize;
    crate::tracking::enforce_limit(ctx, max_keys);
  }
  // After a failed background save (with save rules set and `stop-writes-on-bgsave-error` on)
  // or a failed AOF write, writes (and PING) are refused until the disk works again.
  if ctx.server.disk_may_refuse()
    && !obey
    && (spec.has(flags::WRITE) || spec.name == "ping" || (spec.name == "exec" && transaction::exec_writes(ctx, spec)))
  {
    if let Some(refusal) = ctx.server.disk_error() {
      ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
      reject(ctx, Some(spec), &Error::coded(refusal));
      return Flow::Done;
    }
  }
  // With `min-replicas-to-write`, writes need enough replicas that acknowledged lately.
  if ctx.server.config.min_replicas_to_write > 0
    && !ctx.server.is_replica()
    && (spec.has(flags::WRITE) || (spec.name == "exec" && transaction::exec_writes(ctx, spec)))
    && !ctx.server.enough_good_replicas(ctx.now_ms)
  {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::coded(NOREPLICAS_ERROR));
    return Flow::Done;
  }
  // A read-only replica takes writes from its master only (a transaction checked when it
  // started: what it queued runs, as in Redis, even after a REPLICAOF inside it).
  if ctx.server.read_only_replica() && !obey && !ctx.session.in_exec && is_write_command(ctx, spec, argv) {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::coded(READONLY_ERROR));
    return Flow::Done;
  }
  // Over RESP2, a subscribed session only (un)subscribes, pings, quits and resets.
  if !ctx.session.resp3 && ctx.session.subscriptions.total() > 0 && !pubsub::allowed_while_subscribed(spec.name) {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    let message = format!(
      "Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
      spec.name
    );
    reject(ctx, Some(spec), &Error::err(message));
    return Flow::Done;
  }
  // A replica whose link is down serves only `stale` commands under
  // `replica-serve-stale-data no`.
  if ctx.server.is_replica()
    && !ctx.session.in_exec
    && ctx.server.refuses_stale_reads()
    && denies_stale(ctx, spec, argv)
  {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    let error = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
    reject(ctx, Some(spec), &Error::coded(error));
    return Flow::Done;
  }
  if ctx.session.multi.is_some() && spec.has(flags::NO_MULTI) {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::err("Command not allowed inside a transaction"));
    return Flow::Done;
  }
  // While a dataset loads (the start-up RDB file, see `rdb::loading`, or the AOF), only
  // commands flagged `loading` run, besides the file's own. What a transaction queued
  // meanwhile passed this check when it was queued, so EXEC's own flag is enough.
  if ctx.server.is_loading() && !obey && !spec.has(flags::LOADING) {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::coded(LOADING_ERROR));
    return Flow::Done;
  }
  // While a script is busy, the host serves other clients through the engine (see
  // `script::busy`): only commands flagged `allow_busy` run.
  if let Some(busy) = &ctx.server.scripting.busy {
    if !spec.has(flags::ALLOW_BUSY) {
      let error = crate::script::busy::busy_error(busy.eval);
      ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
      reject(ctx, Some(spec), &error);
      return Flow::Done;
    }
  }
  // A replica's connection carries its acknowledgements only: it may not read or write keys
  // (Redis's guard against replicas getting round CLIENT PAUSE, which never holds them).
  if ctx.session.replica
    && (spec.has(flags::WRITE | flags::READONLY | flags::MAY_REPLICATE) || transaction::exec_writes(ctx, spec))
  {
    ctx.server.telemetry.stats.commands[spec.id].rejected_calls += 1;
    reject(ctx, Some(spec), &Error::err("Replica can't interact with the keyspace"));
    return Flow::Done;
  }
  // Only a network client's own commands are held: EXEC's were held with EXEC, and in-process
  // calls cannot wait. The master's stream is held too, as in Redis: a paused replica reads
  // its master's writes and applies them once the pause ends (`repl::link`).
  if ctx.session.caller() == Caller::Network
    && !ctx.session.aof_loader
    && ctx.server.blocking.pause.may_hold(ctx.now_ms)
  {
    let writes = replicates_as_called(ctx, spec, argv) || transaction::exec_writes(ctx, spec);
    if ctx.server.blocking.pause.holds(ctx.now_ms, writes) {
      return Flow::Park;
    }
  }
  // CONFIG SETs run one at a time: a client's waits while the host applies another's (moving
  // listeners takes the host a moment, and undoing a failed one restores the old values).
  if spec.name == "config|set"
    && ctx.session.caller() == Caller::Network
    && ctx.session.multi.is_none()
    && ctx.server.blocking.config_applying.is_some_and(|slot| slot != ctx.slot)
  {
    return Flow::Park;
  }
  // Between MULTI and EXEC, commands are queued instead of run (see transaction.rs).
  if ctx.session.multi.is_some() && !transaction::runs_in_multi(spec) {
    let reply_start = ctx.out.buf.len();
    transaction::queue(ctx, spec, argv);
    apply_reply_mode(ctx, reply_start);
    return Flow::Done;
  }
  run_command(ctx, spec, argv)
}

/// Runs a command that passed the dispatcher's checks: the handler, then statistics, the slow
/// log, MONITOR, the reply mode, client-side caching and propagation.
fn run_command(ctx: &mut Ctx, spec: &'static CommandSpec, argv: &[&[u8]]) -> Flow {
  let handler = match spec.implementation {
    Implementation::Engine(handler) => handler,
    Implementation::Ts => {
      return Flow::Pending(Pending { name: spec.name, args: argv[1..].iter().map(|a| a.to_vec()).collect() });
    }
    Implementation::Container => match spec.handler_without_subcommand {
      Some(handler) => handler,
      None => unreachable!("resolve() returns a subcommand for containers"),
    },
  };

  let reply_start = ctx.out.buf.len();
  let dirty_before = ctx.server.keyspace.dirty;
  let mut result = handler(ctx, argv);
  if let Some(request) = ctx.block.take() {
    // A blocked command is not propagated; it runs again, asking anew, when it wakes.
    ctx.server.running.propagation.drop_requests();
    return Flow::Block(request);
  }
  if let Some(pending) = ctx.server.running.handoff.take() {
    if ctx.can_hand_over() {
      return Flow::Pending(pending);
    }
    let name = pending.name.replace('|', " ").to_uppercase();
    result = Err(Error::err(format!("{name} is not available inside a transaction or a script")));
  }
  ctx.settle_logged();
  if ctx.server.recording_writes() {
    let offset_before = ctx.server.repl.offset;
    record_propagation(ctx, spec, argv, ctx.server.keyspace.dirty > dirty_before);
    // WAIT counts from the offset after the session's last command that propagated.
    if ctx.server.repl.offset != offset_before {
      ctx.session.repl_offset = ctx.server.repl.offset;
    }
  }
  // The end of this command is the start of the next one in the same read: one clock read
  // per command. Wall-clock time, like Redis's `ustime()`; a clock step back counts as 0.
  let ended_us = ctx.server.wall.now_us();
  ctx.server.clock_us = ended_us;
  let elapsed = ended_us.saturating_sub(ctx.now_us).max(0) as u64;

  let stats = &mut ctx.server.telemetry.stats;
  stats.total_commands_processed += 1;
  if let Err(error) = &result {
    let message = error.message();
    stats.count_error(&message);
    ctx.out.error(message.as_bytes());
  }
  // Like Redis, a command failed when error replies were counted since the last command ended
  // (its own, or a script's that was not counted already by the command that produced it).
  let failed = stats.total_error_replies > stats.errors_seen || std::mem::take(&mut stats.failed_uncounted);
  stats.errors_seen = stats.total_error_replies;
  let command_stats = &mut stats.commands[spec.id];
  command_stats.calls += 1;
  command_stats.usec += elapsed;
  if failed {
    command_stats.failed_calls += 1;
    if ctx.session.on_replication_link() {
      let error = ctx.out.buf[reply_start..]
        .strip_prefix(b"-")
        .map(|error| error[..error.iter().position(|&b| b == b'\r').unwrap_or(error.len())].to_vec());
      if let Some(error) = error {
        report_obeyed_error(ctx, Some(spec.name), &error);
      }
    }
  }
  // The peak memory is recorded after every command, before the next one's eviction (when
  // allocations are counted; the resident size is sampled by the tick).
  if let Some(used) = crate::alloc::allocated() {
    let telemetry = &mut ctx.server.telemetry;
    telemetry.peak_memory = telemetry.peak_memory.max(used);
  }
  server::slowlog::record(ctx, spec, argv, elapsed);
  connection::monitor::feed(ctx, spec, argv);
  apply_reply_mode(ctx, reply_start);
  if ctx.session.tracking.is_some() {
    track_reads(ctx, spec, argv);
  } else if ctx.slot == SCRIPT_SLOT && spec.has(flags::READONLY) {
    track_script_read(ctx);
  }
  if ctx.session.caller() != Caller::Transaction
    && ctx.session.caller() != Caller::Script
    && !ctx.server.tracking.is_idle()
  {
    let slot = ctx.slot;
    crate::tracking::flush_pending_self(ctx, slot);
  }
  Flow::Done
}

/// Redis's reply to a write refused after a failed background save.
pub const MISCONF_ERROR: &str =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to \
                                 disk. Commands that may modify the data set are disabled, because this instance is \
                                 configured to report errors during writes if RDB snapshotting fails \
                                 (stop-writes-on-bgsave-error option). Please check the Redis logs for details about \
                                 the RDB error.";

/// Redis's reply to a write refused under `min-replicas-to-write`.
pub const NOREPLICAS_ERROR: &str = "NOREPLICAS Not enough good replicas to write.";

/// Redis's reply to a write sent to a read-only replica.
pub const READONLY_ERROR: &str = "READONLY You can't write against a read only replica.";

/// Redis's reply to a command refused while the dataset loads.
pub const LOADING_ERROR: &str = "LOADING Redis is loading the dataset in memory";

/// Redis's reply to a command refused for lack of memory.
pub const OOM_ERROR: &str = "OOM command not allowed when used memory > 'maxmemory'.";

/// Whether a command may not run while memory is past `maxmemory`: the `denyoom` commands,
/// EXEC of a transaction holding one, and EVAL and FCALL of scripts declaring flags without
/// `allow-oom` or `no-writes` (as Redis derives a script's command flags).
fn denies_oom(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
  if spec.has(flags::DENYOOM) {
    return true;
  }
  match spec.name {
    "exec" => ctx.session.multi.as_ref().is_some_and(|multi| multi.denies_oom()),
    _ => declared_script_flags(ctx, spec, argv).is_some_and(|flags| !flags.allow_oom && !flags.no_writes),
  }
}

/// Whether a command is refused by a replica serving no stale data: it lacks the `stale` flag,
/// or it is an EXEC of such commands. A known script (EVAL…, FCALL…) runs there only if it
/// declared `allow-stale`: redis-server 7.0.15 refuses one without a shebang too, though EVAL
/// has the flag. An unknown one is let through, to its own error.
fn denies_stale(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
  if spec.name == "exec" {
    return !spec.has(flags::STALE) || ctx.session.multi.as_ref().is_some_and(|multi| multi.denies_stale());
  }
  match script_flags(ctx, spec, argv) {
    Some(flags) => !flags.allow_stale,
    None => !spec.has(flags::STALE),
  }
}

/// Whether a command counts as a write where writes are refused (Redis's `is_write_command`):
/// flagged `write`, an EXEC of queued writes, or a script that declared flags without
/// `no-writes`.
fn is_write_command(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
  spec.has(flags::WRITE)
    || (spec.name == "exec" && transaction::exec_writes(ctx, spec))
    || declared_script_flags(ctx, spec, argv).is_some_and(|flags| !flags.no_writes)
}

/// The flags a script run by EVAL…/FCALL… declared (none for scripts without a shebang).
fn declared_script_flags(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> Option<crate::script::ScriptFlags> {
  script_flags(ctx, spec, argv).filter(|flags| !flags.compat)
}

/// The flags of the script EVAL…/FCALL… runs, when it is known (cached, or a source whose
/// shebang reads, or a function); `compat` for one without a shebang.
fn script_flags(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> Option<crate::script::ScriptFlags> {
  match spec.name {
    "fcall" | "fcall_ro" => ctx.server.scripting.functions.flags_of(argv[1]),
    "eval" | "eval_ro" => ctx.server.scripting.flags_of_source(argv[1]),
    "evalsha" | "evalsha_ro" => ctx.server.scripting.flags_of_sha(argv[1]),
    _ => None,
  }
}

/// The slot number of the scripts' session, which is not in the session table.
pub const SCRIPT_SLOT: u32 = u32::MAX;

/// What the running script may do, for [`call_from_script`].
pub(crate) struct ScriptLimits {
  /// Keys are looked up as of this time (Unix ms): the script's start.
  pub(crate) snapshot_ms: i64,
  /// Writes are refused.
  pub(crate) read_only: bool,
  /// The script declared `allow-oom`.
  pub(crate) allow_oom: bool,
  /// The script has already run a write command.
  pub(crate) wrote: bool,
}

/// Adds a refusal of `spec` to the ACL log: the object is the command, or the key or channel
/// at `pos`.
pub(crate) fn log_acl_denial(
  ctx: &mut Ctx,
  spec: &CommandSpec,
  argv: &[&[u8]],
  denied: Denied,
  pos: usize,
  context: LogContext,
) {
  let object = match denied {
    Denied::Command => spec.name.as_bytes().to_vec(),
    _ => argv.get(pos).map(|arg| arg.to_vec()).unwrap_or_default(),
  };
  log_denial(ctx.server, ctx.session, denied, context, object, None, ctx.now_ms);
}

/// Adds an entry to the ACL log for `session` (for scripts: the session that ran the script).
pub(crate) fn log_denial(
  server: &mut Server,
  session: &Session,
  denied: Denied,
  context: LogContext,
  object: Vec<u8>,
  username: Option<Vec<u8>>,
  now_ms: i64,
) {
  let username = username.unwrap_or_else(|| server.acl.user(session.user).name.clone());
  let client_info = connection::describe(session, &server.acl, now_ms);
  let max_len = server.config.acllog_max_len.max(0) as usize;
  server.acl.log_denial(denied, context, object, username, client_info, now_ms, max_len);
}

/// Runs a command a script called (`redis.call`), as `session`: Redis's checks for scripts
/// (with their own error messages), then the command as [`dispatch`] runs it. Returns whether
/// the command writes, or the refusal's message.
pub(crate) fn call_from_script(
  server: &mut Server,
  session: &mut Session,
  argv: &[&[u8]],
  out: &mut Reply,
  run: ScriptLimits,
) -> Result<bool, Cow<'static, str>> {
  let command = match server.renames.as_deref() {
    Some(renames) => renames.lookup(argv[0]),
    None => table::lookup(argv[0]),
  };
  let spec = match command {
    Some(command) if argv.len() >= 2 && matches!(command.implementation, Implementation::Container) => {
      command.subcommand(argv[1])
    }
    other => other,
  };
  // A script its master or the AOF runs writes wherever they could (Redis's `mustObeyClient`
  // of the script's caller).
  // SAFETY: the caller's session outlives the script it runs (see `script::run`).
  let caller_obeys = server.running.script_caller.as_ref().is_some_and(|caller| unsafe { &*caller.session }.obeys());
  let refusal: Option<Cow<'static, str>> = match spec {
    None => Some("Unknown Redis command called from script".into()),
    Some(spec) if !spec.arity_ok(argv.len()) => Some("Wrong number of args calling Redis command from script".into()),
    // DEBUG SET-DISABLE-DENY-SCRIPTS lifts the restriction, except for the commands that run or
    // replace scripts: the script running now must stay as it is.
    Some(spec) if spec.has(flags::NOSCRIPT) && (!server.scripting.allow_noscript_commands || runs_scripts(spec)) => {
      Some("This Redis command is not allowed from script".into())
    }
    // A script allowed to run on a stale replica (`allow-stale`) may call only `stale`
    // commands there.
    Some(spec) if !spec.has(flags::STALE) && server.refuses_stale_reads() => {
      Some("Can not execute the command on a stale replica".into())
    }
    Some(spec) if server.acl.check(session.user, spec, argv).is_err() => {
      let (denied, pos) = server.acl.check(session.user, spec, argv).expect_err("checked in the guard");
      let object = match denied {
        Denied::Command => spec.name.as_bytes().to_vec(),
        _ => argv.get(pos).map(|arg| arg.to_vec()).unwrap_or_default(),
      };
      let caller = server.running.script_caller.as_ref().map(|caller| caller.session);
      // SAFETY: the caller's session outlives the script it runs (see `script::run`).
      let logged: &Session = match caller {
        Some(caller) => unsafe { &*caller },
        None => session,
      };
      log_denial(server, logged, denied, LogContext::Lua, object, None, run.snapshot_ms);
      Some(format!("The user executing the script {}", denied.script_message()).into())
    }
    Some(spec) if run.read_only && replicates(spec) => {
      Some("Write commands are not allowed from read-only scripts.".into())
    }
    Some(spec) if spec.has(flags::WRITE) && !run.wrote && !caller_obeys && server.read_only_replica() => {
      Some(format!("-{READONLY_ERROR}").into())
    }
    Some(spec)
      if spec.has(flags::WRITE)
        && !run.wrote
        && !caller_obeys
        && server.disk_may_refuse()
        && server.disk_error().is_some() =>
    {
      server.disk_error().map(|message| format!("-{message}").into())
    }
    Some(spec) if spec.has(flags::WRITE) && !server.enough_good_replicas(run.snapshot_ms) => {
      Some(format!("-{NOREPLICAS_ERROR}").into())
    }
    // Until its first write, a script started while memory was past `maxmemory` may not run
    // commands that grow the dataset (unless it declared `allow-oom`).
    Some(spec)
      if spec.has(flags::DENYOOM)
        && !run.allow_oom
        && !run.wrote
        && server.config.maxmemory > 0
        && server.oom_at_command_start =>
    {
      Some("-OOM command not allowed when used memory > 'maxmemory'.".into())
    }
    Some(_) => None,
  };
  if let Some(refusal) = refusal {
    let stats = &mut server.telemetry.stats;
    let code = refusal.strip_prefix('-').and_then(|coded| coded.split(' ').next()).unwrap_or("ERR");
    stats.count_refusal(code);
    if let Some(spec) = spec {
      stats.commands[spec.id].rejected_calls += 1;
    }
    return Err(refusal);
  }
  let spec = spec.expect("refused above when unknown");
  let now_us = server.clock_us;
  let snapshot_ms = run.snapshot_ms;
  let mut ctx = Ctx { server, session, slot: SCRIPT_SLOT, out, now_us, now_ms: snapshot_ms, block: None };
  ctx.session.last_interaction_ms = snapshot_ms;
  ctx.session.last_command = spec.name;
  run_command(&mut ctx, spec, argv);
  Ok(spec.has(flags::WRITE))
}

/// Whether a command runs or replaces scripts (EVAL…, FCALL…, SCRIPT…, FUNCTION…).
fn runs_scripts(spec: &CommandSpec) -> bool {
  let family = spec.name.split('|').next().unwrap_or_default();
  family.starts_with("eval") || family.starts_with("fcall") || family == "script" || family == "function"
}

/// The command `name` (with `sub`, its first argument) names, for a script calling it with
/// `argc` arguments: `redis.acl_check_cmd`'s lookup.
pub(crate) fn script_command(name: &[u8], sub: Option<&[u8]>, argc: usize) -> Option<&'static CommandSpec> {
  match (table::lookup(name), sub) {
    (Some(command), Some(sub)) if argc >= 2 && matches!(command.implementation, Implementation::Container) => {
      command.subcommand(sub)
    }
    (command, _) => command,
  }
}

/// For a session with tracking on, after a command: remembers the keys a read-only command
/// read (unless OPTIN/OPTOUT and CLIENT CACHING say otherwise), and forgets a CLIENT CACHING
/// once the command it applied to has run.
fn track_reads(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]]) {
  let Some(tracking) = ctx.session.tracking.as_mut() else { return };
  // The read-only script commands remember keys only when their script reads (see
  // `track_script_read`).
  let remember = spec.has(flags::READONLY)
    && !spec.has(flags::PUBSUB)
    && !matches!(spec.name, "eval_ro" | "evalsha_ro" | "fcall_ro")
    && !tracking.bcast
    // OPTIN reads are remembered with CLIENT CACHING YES, OPTOUT ones unless CACHING NO.
    && (!tracking.optin || tracking.caching)
    && (!tracking.optout || !tracking.caching);
  if ctx.session.multi.is_none() && !ctx.session.in_exec && !spec.name.starts_with("client|") {
    tracking.caching = false;
  }
  if remember {
    let keys: Vec<&[u8]> =
      server::command::command_key_positions(spec, argv).into_iter().map(|pos| argv[pos]).collect();
    ctx.server.tracking.remember(ctx.session.id, &keys);
  }
}

/// A script ran a read-only command: as Redis does, the client running the script, if it
/// tracks keys, remembers every key its command declared (EVAL's and FCALL's keys).
fn track_script_read(ctx: &mut Ctx) {
  let Some(caller) = ctx.server.running.script_caller.as_ref() else { return };
  // SAFETY: the caller's session and keys outlive the script, and nothing else uses them
  // while it runs.
  let (session, keys) = unsafe { (&*caller.session, &*caller.keys) };
  let Some(tracking) = session.tracking.as_ref() else { return };
  let remember = !tracking.bcast && (!tracking.optin || tracking.caching) && (!tracking.optout || !tracking.caching);
  if remember {
    ctx.server.tracking.remember(session.id, keys);
  }
}

/// Adds the command just run to its execution unit's writes (as Redis's `call()` does), and
/// closes the unit when the command ran on its own rather than inside EXEC.
fn record_propagation(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]], changed: bool) {
  let propagation = &mut ctx.server.running.propagation;
  let rewritten = propagation.rewritten.take();
  let wanted = (changed || propagation.force) && !propagation.prevent && spec.name != "exec";
  propagation.force = false;
  propagation.prevent = false;
  let top_level = ctx.session.caller() != Caller::Transaction && ctx.session.caller() != Caller::Script;
  if wanted && top_level && rewritten.is_none() && propagation.ops.is_empty() && ctx.server.write_stream.is_none() {
    // The common case, one command as it came and only replicas to feed: no copy of it.
    ctx.server.feed_replication_command(ctx.session.db, argv);
    return;
  }
  if wanted {
    let argv = rewritten.unwrap_or_else(|| argv.iter().map(|a| a.to_vec()).collect());
    propagation.ops.push(crate::signal::Write::new(ctx.session.db, argv));
  }
  if top_level {
    let ops = std::mem::take(&mut ctx.server.running.propagation.ops);
    if spec.has(flags::TOUCHES_ARBITRARY_KEYS) {
      // The keys it expired on the way are not one atomic change: a unit each, as Redis
      // leaves the commands flagged TOUCHES_ARBITRARY_KEYS out of MULTI/EXEC.
      for op in ops {
        ctx.server.record_unit(vec![op]);
      }
    } else {
      ctx.server.record_unit(ops);
    }
  }
}

/// Whether a command adds to the write stream: a write, or a command that may replicate
/// (PUBLISH).
#[inline]
pub(crate) fn replicates(spec: &CommandSpec) -> bool {
  spec.has(flags::WRITE) || spec.has(flags::MAY_REPLICATE)
}

/// [`replicates`] for a command as called (Redis's `getCommandFlags`): a script that declared
/// its flags (EVAL's shebang, a function's flags) replicates unless it declared `no-writes`.
/// CLIENT PAUSE WRITE holds these, and a transaction holding one counts as writing.
pub(crate) fn replicates_as_called(ctx: &Ctx, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
  match declared_script_flags(ctx, spec, argv) {
    Some(flags) => !flags.no_writes,
    None => replicates(spec),
  }
}

/// Finds the spec for `argv`, descending into subcommands. On failure returns the error and,
/// when the command itself was known, its spec (for the rejected-calls count).
fn resolve(
  renames: Option<&table::Renames>,
  argv: &[&[u8]],
) -> Result<&'static CommandSpec, (Option<&'static CommandSpec>, Error)> {
  let command = match renames {
    Some(renames) => renames.lookup(argv[0]),
    None => table::lookup(argv[0]),
  };
  let Some(command) = command else {
    return Err((None, unknown_command(argv)));
  };
  let spec = match command.implementation {
    Implementation::Container if argv.len() >= 2 => match command.subcommand(argv[1]) {
      Some(sub) => sub,
      None => {
        let message =
          format!("unknown subcommand '{}'. Try {} HELP.", truncated(argv[1], 128), command.name.to_uppercase());
        return Err((None, Error::err(message)));
      }
    },
    _ => command,
  };
  let bare_container =
    matches!(spec.implementation, Implementation::Container) && spec.handler_without_subcommand.is_none();
  if !spec.arity_ok(argv.len()) || bare_container {
    return Err((Some(spec), arity_error(spec.name)));
  }
  Ok(spec)
}

/// `ERR unknown command 'x', with args beginning with: 'a' 'b' `, built like Redis 7.0.
fn unknown_command(argv: &[&[u8]]) -> Error {
  let mut args = String::new();
  for arg in &argv[1..] {
    if args.len() >= 128 {
      break;
    }
    let room = 128 - args.len();
    args.push_str(&format!("'{}' ", truncated(arg, room)));
  }
  Error::err(format!("unknown command '{}', with args beginning with: {}", truncated(argv[0], 128), args))
}

/// The arity error for a command or subcommand (`config|get`).
pub fn arity_error(name: &str) -> Error {
  Error::err(format!("wrong number of arguments for '{name}' command"))
}

/// At most `max` bytes of `arg` as text (like printf's `%.128s`, which stops at a NUL byte).
fn truncated(arg: &[u8], max: usize) -> String {
  let arg = crate::cstr::until_nul(arg);
  String::from_utf8_lossy(&arg[..arg.len().min(max)]).into_owned()
}

/// Writes an error for a command (`spec`, if known) that was refused before it ran; inside
/// MULTI this fails the transaction.
fn reject(ctx: &mut Ctx, spec: Option<&CommandSpec>, error: &Error) {
  let exec_abort = transaction::refused(ctx, spec, error);
  let message = exec_abort.as_ref().unwrap_or(error).message();
  ctx.server.telemetry.stats.count_refusal(&message);
  if ctx.session.on_replication_link() {
    report_obeyed_error(ctx, spec.map(|spec| spec.name), message.as_bytes());
  }
  let reply_start = ctx.out.buf.len();
  ctx.out.error(message.as_bytes());
  apply_reply_mode(ctx, reply_start);
}

/// An error replied to a command that had to be obeyed (its master's, or one of the AOF being
/// loaded): the dataset may have diverged; or to a replica, whose link carries no replies.
/// Logged as Redis logs it, and counted (INFO `unexpected_error_replies`).
#[cold]
fn report_obeyed_error(ctx: &mut Ctx, command: Option<&str>, error: &[u8]) {
  let (from, to) = if ctx.session.aof_loader {
    ("server", "AOF-loading-client")
  } else if ctx.session.master {
    ("replica", "master")
  } else {
    ("master", "replica")
  };
  let error = String::from_utf8_lossy(&error[..error.len().min(4096)]);
  let command = command.unwrap_or("<unknown>");
  let telemetry = &mut ctx.server.telemetry;
  telemetry.warn(format!(
    "== CRITICAL == This {from} is sending an error to its {to}: '{error}' after processing the command '{command}'"
  ));
  telemetry.stats.unexpected_error_replies += 1;
}

/// Drops the reply just written if CLIENT REPLY turned replies off or skips this one.
fn apply_reply_mode(ctx: &mut Ctx, reply_start: usize) {
  // Inside EXEC, the mode applies to EXEC's whole reply, not to each command's.
  if ctx.session.in_exec {
    return;
  }
  match ctx.session.reply_mode {
    ReplyMode::On => {}
    ReplyMode::Off => drop_replies(ctx, reply_start),
    ReplyMode::Skip => {
      drop_replies(ctx, reply_start);
      ctx.session.reply_mode = ReplyMode::On;
    }
    // Set by CLIENT REPLY SKIP itself: that command's own reply is already suppressed by the
    // handler; the next command is the one to skip.
    ReplyMode::SkipNext => ctx.session.reply_mode = ReplyMode::Skip,
  }
}

/// Drops what the command wrote from `reply_start` on, except its pushes.
fn drop_replies(ctx: &mut Ctx, reply_start: usize) {
  let buf = &mut ctx.out.buf;
  let mut kept = Vec::new();
  for &(start, end) in ctx.server.running.pushes.iter().filter(|(start, _)| *start >= reply_start) {
    kept.extend_from_slice(&buf[start..end]);
  }
  buf.truncate(reply_start);
  buf.extend_from_slice(&kept);
}

/// Parses an integer argument, with Redis's "not an integer" error.
pub fn int_arg(arg: &[u8]) -> Result<i64, Error> {
  parse_i64(arg).ok_or(Error::NotInteger)
}

/// Case-insensitive comparison of an option argument with an ASCII keyword. Like Redis's
/// `strcasecmp` on an argument, the argument ends at its first NUL byte (`"NX\0junk"` is NX).
#[inline]
pub fn is(arg: &[u8], keyword: &str) -> bool {
  let keyword = keyword.as_bytes();
  arg.len() >= keyword.len()
    && arg[..keyword.len()].eq_ignore_ascii_case(keyword)
    && arg.get(keyword.len()).is_none_or(|&b| b == 0)
}
