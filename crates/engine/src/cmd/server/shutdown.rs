//! SHUTDOWN, and the shutdown a signal asks for (Redis's `prepareForShutdown` and
//! `finishShutdown`).
//!
//! A master whose replicas have not acknowledged all of its stream first waits for them, at
//! most `shutdown-timeout` seconds (unless NOW, or the timeout is 0): writes are held, as by
//! CLIENT PAUSE WRITE, the replicas are asked for acknowledgements, and SHUTDOWN's clients stay
//! blocked. The periodic work notices when the replicas caught up or the time is up, and the
//! host then finishes ([`crate::Engine::take_shutdown_ready`]). Without anyone to wait for,
//! SHUTDOWN hands over to the host at once. A signal only asks for a shutdown, which the next
//! run of the periodic work begins (so DEBUG PAUSE-CRON holds it, and SHUTDOWN ABORT can still
//! cancel it), as Redis's signal handler leaves it to `serverCron`.
//!
//! Finishing ([`crate::Engine::finish_shutdown`]) logs the replicas still behind, stops the
//! background work, flushes the AOF and saves the RDB file as the flags and the `save` rules
//! say. If it cannot (a failed save without FORCE, an AOF whose first rewrite is not written),
//! the shutdown is cancelled: its clients get Redis's error and writes go on. Otherwise the
//! host closes its listeners and the process exits. SHUTDOWN ABORT cancels a wait.

use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::server::Server;

/// SHUTDOWN's flags (and `shutdown-on-sigterm`'s, `shutdown-on-sigint`'s).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct ShutdownFlags {
  pub save: bool,
  pub nosave: bool,
  pub now: bool,
  pub force: bool,
}

impl ShutdownFlags {
  /// Sets the flag `word` names (any case); `false` when it names none.
  fn set(&mut self, word: &[u8]) -> bool {
    let flag = match () {
      _ if is(word, "save") => &mut self.save,
      _ if is(word, "nosave") => &mut self.nosave,
      _ if is(word, "now") => &mut self.now,
      _ if is(word, "force") => &mut self.force,
      _ => return false,
    };
    *flag = true;
    true
  }
}

/// A shutdown under way: its flags and, while it waits for replicas, until when.
pub(crate) struct Shutdown {
  flags: ShutdownFlags,
  /// While it waits for replicas, the Unix ms at which it stops waiting (0: not waiting).
  deadline_ms: i64,
  /// The sessions whose SHUTDOWN waits with it.
  waiters: Vec<u32>,
  /// The wait is over: the host is to finish (see [`crate::Engine::take_shutdown_ready`]).
  pub(crate) ready: bool,
}

const FAILED: &str = "ERR Errors trying to SHUTDOWN. Check logs.";

/// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
pub fn shutdown(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut flags = ShutdownFlags::default();
  let mut abort = false;
  for option in &argv[1..] {
    if is(option, "abort") {
      abort = true;
    } else if !flags.set(option) {
      return Err(Error::Syntax);
    }
  }
  if (abort && flags != ShutdownFlags::default()) || (flags.save && flags.nosave) {
    return Err(Error::Syntax);
  }
  if abort {
    if !ctx.server.abort_shutdown() {
      return Err(Error::err("No shutdown in progress."));
    }
    ctx.out.ok();
    return Ok(());
  }
  // Run again after its wait: the shutdown failed or was aborted (a finished one exits).
  if ctx.session.wait.is_some() {
    return ctx.block_on(&[], 0, |out| out.error(FAILED.as_bytes()));
  }
  if !flags.now && ctx.session.deny_blocking() {
    return Err(Error::err("SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client"));
  }
  // An in-process call cannot end the process: the embedded store answers it, and nothing
  // begins.
  if ctx.session.caller() == crate::session::Caller::Embedded {
    ctx.hand_over("shutdown", Vec::new());
    return Ok(());
  }
  // While a script is busy only NOSAVE shuts down, and at once: the host exits from inside
  // the script (see `script::busy`).
  if let Some(busy) = &ctx.server.scripting.busy {
    if !flags.nosave {
      return Err(crate::script::busy::busy_error(busy.eval));
    }
    flags.now = true;
  }
  let waiting = match &ctx.server.shutdown {
    Some(_) => true,
    None => !ctx.server.begin_shutdown(flags, ctx.now_ms),
  };
  if !waiting {
    ctx.hand_over("shutdown", Vec::new());
    return Ok(());
  }
  ctx.block_on(&[], 0, |out| out.error(FAILED.as_bytes()))?;
  let slot = ctx.slot;
  if let Some(shutdown) = ctx.server.shutdown.as_mut() {
    shutdown.waiters.push(slot);
  }
  Ok(())
}

/// `shutdown-on-sigterm`'s or `shutdown-on-sigint`'s flags (`default`: none).
pub(crate) fn signal_flags(server: &Server, parameter: &str) -> ShutdownFlags {
  let mut flags = ShutdownFlags::default();
  for word in server.config.stored.get(parameter).map_or("", String::as_str).split(' ') {
    // `default` names no flag.
    flags.set(word.as_bytes());
  }
  flags
}

impl Server {
  /// Starts a shutdown: `true` when it can finish at once, `false` when it waits for replicas
  /// (see the module comment). A shutdown already under way is left as it is (`false`).
  pub(crate) fn begin_shutdown(&mut self, mut flags: ShutdownFlags, now_ms: i64) -> bool {
    if self.shutdown.is_some() {
      return false;
    }
    // A save now would overwrite the file being loaded with the part of it read so far.
    if self.is_loading() {
      flags.save = false;
      flags.nosave = true;
    }
    self.telemetry.warn("User requested shutdown...".into());
    let timeout_s = self.config.stored.get("shutdown-timeout").and_then(|v| v.parse::<i64>().ok()).unwrap_or(10);
    let wait = !flags.now && timeout_s != 0 && !self.replicas_in_sync();
    self.shutdown = Some(Shutdown {
      flags,
      deadline_ms: if wait { now_ms.saturating_add(timeout_s.saturating_mul(1000)) } else { 0 },
      waiters: Vec::new(),
      ready: false,
    });
    if wait {
      if !self.blocking.pause.active(now_ms) {
        self.repl.want_acks = true;
      }
      self.blocking.pause.shutdown = true;
      self.telemetry.notice("Waiting for replicas before shutting down.".into());
    }
    !wait
  }

  /// Whether every replica acknowledged the whole stream (Redis's `isReadyToShutdown`).
  fn replicas_in_sync(&self) -> bool {
    self.repl.replicas.iter().all(|replica| replica.ack_offset == self.repl.offset)
  }

  /// INFO's `shutdown_in_milliseconds`, while a shutdown waits.
  pub(crate) fn shutdown_remaining_ms(&self, now_ms: i64) -> Option<i64> {
    self.shutdown.as_ref().filter(|shutdown| shutdown.deadline_ms != 0).map(|shutdown| shutdown.deadline_ms - now_ms)
  }

  /// A signal asks for a shutdown with `flags`: the periodic work begins it (see the module
  /// comment). One already asked for or under way is left as it is.
  pub(crate) fn request_shutdown(&mut self, flags: ShutdownFlags) {
    if self.shutdown.is_none() {
      self.shutdown_requested.get_or_insert(flags);
    }
  }

  /// The periodic part: begins the shutdown a signal asked for, and ends the wait for replicas
  /// once they caught up or the time is up.
  pub(crate) fn shutdown_cron(&mut self, now_ms: i64) {
    if let Some(flags) = self.shutdown_requested.take() {
      if self.begin_shutdown(flags, now_ms) {
        if let Some(shutdown) = self.shutdown.as_mut() {
          shutdown.ready = true;
        }
      }
    }
    let in_sync = self.replicas_in_sync();
    if let Some(shutdown) = self.shutdown.as_mut().filter(|shutdown| shutdown.deadline_ms != 0) {
      if in_sync || now_ms >= shutdown.deadline_ms {
        shutdown.deadline_ms = 0;
        shutdown.ready = true;
      }
    }
  }

  /// SHUTDOWN ABORT: cancels the shutdown under way or asked for; `false` when there is none.
  pub(crate) fn abort_shutdown(&mut self) -> bool {
    if self.shutdown.is_none() && self.shutdown_requested.take().is_none() {
      return false;
    }
    self.cancel_shutdown();
    self.telemetry.notice("Shutdown manually aborted.".into());
    true
  }

  /// Ends the shutdown under way without exiting: its waiting clients get the error, writes
  /// go on.
  fn cancel_shutdown(&mut self) {
    let Some(shutdown) = self.shutdown.take() else { return };
    for slot in shutdown.waiters {
      if let Some(wait) = self.clients.session_mut(slot).and_then(|session| session.wait.as_mut()) {
        wait.end = crate::blocking::WaitEnd::TimedOut;
        self.blocking.unblocked.push(slot);
      }
    }
    self.blocking.pause.shutdown = false;
  }

  /// The last step of the shutdown under way (see the module comment): `true` when the
  /// process may exit, `false` (logged, and the shutdown cancelled) when it may not.
  pub(crate) fn finish_shutdown(&mut self) -> bool {
    let flags = self.shutdown.as_ref().map(|shutdown| shutdown.flags).unwrap_or_default();
    self.log_lagging_replicas();
    super::persistence::kill_background_save(self);
    if self.aof_rewrite_in_progress() && self.aof.state == crate::aof::AofState::WaitRewrite {
      if !flags.force {
        self.telemetry.warn("Writing initial AOF, can't exit.".into());
        return self.shutdown_failed();
      }
      self.telemetry.warn("Writing initial AOF. Exit anyway.".into());
    }
    if self.aof.state != crate::aof::AofState::Off {
      self.telemetry.notice("Calling fsync() on the AOF file.".into());
    }
    self.prepare_shutdown();
    if (!self.config.save_rules.is_empty() && !flags.nosave) || flags.save {
      self.telemetry.notice("Saving the final RDB snapshot before exiting.".into());
      let now = crate::server::now_ms();
      if super::persistence::save_rdb(self, now).is_err() {
        if !flags.force {
          self.telemetry.warn("Error trying to save the DB, can't exit.".into());
          return self.shutdown_failed();
        }
        self.telemetry.warn("Error trying to save the DB. Exit anyway.".into());
      }
    }
    // Done: the process exits, or (an embedded store's listener) serves on in-process.
    self.shutdown = None;
    self.blocking.pause.shutdown = false;
    true
  }

  fn shutdown_failed(&mut self) -> bool {
    self.telemetry.warn("Errors trying to shut down the server. Check the logs for more information.".into());
    self.cancel_shutdown();
    false
  }

  /// Logs each replica behind the master's offset, and how many are in sync.
  fn log_lagging_replicas(&mut self) {
    let now_s = crate::server::now_ms() / 1000;
    let lagging: Vec<String> = (self.repl.replicas.iter())
      .filter(|replica| replica.ack_offset != self.repl.offset)
      .map(|replica| {
        let (ip, port) = crate::repl::replica_address(self, replica);
        let lag = if replica.is_online() { now_s - replica.ack_ms / 1000 } else { 0 };
        let behind = self.repl.offset - replica.ack_offset;
        format!(
          "Lagging replica {ip}:{port} reported offset {behind} behind master, lag={lag}, state={}.",
          replica.state_name()
        )
      })
      .collect();
    let total = self.repl.replicas.len();
    let in_sync = total - lagging.len();
    for line in lagging {
      self.telemetry.warn(line);
    }
    if total > 0 {
      self.telemetry.notice(format!("{in_sync} of {total} replicas are in sync when shutting down."));
    }
  }
}
