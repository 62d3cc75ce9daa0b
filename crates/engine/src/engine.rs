//! The engine: the loop that turns received bytes into replies, over the server's state
//! (`server.rs`).
//!
//! `feed` is the one entry point on the hot path. It runs every complete command in a socket
//! read and returns all their replies in one buffer, so a pipeline of N commands costs one
//! call from JavaScript. The engine is single-threaded and synchronous, like Redis's main
//! thread: there is no locking, and commands run in exactly the order they arrived.
//!
//! A command implemented on the TypeScript side stops the loop: `feed` returns it as
//! `pending` and keeps the bytes after it; the host runs it, writes its reply, and calls
//! `resume` to continue, so replies leave in request order.
//!
//! Every entry point (`feed`, `resume`, `call`, `tick`) ends by settling what the commands
//! set in motion, as a work queue rather than by recursion: the signals of keys that expired,
//! the blocked sessions whose keys became ready (each re-run in turn, which may make further
//! keys ready), the waits that timed out or CLIENT UNBLOCK ended, and the sessions held by a
//! CLIENT PAUSE that ended. Output for sessions other than the caller is queued for the host
//! (see `output.rs`).

use crate::cmd::{self, Ctx, Flow};
use crate::config::Config;
use crate::db::expire;
use crate::rdb::snapshot::Slice;
use crate::resp::{ParseLimits, Parsed, Reply};
use crate::server::{now_ms, Pending, Running, Server};
use crate::session::Session;
use crate::signal;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

/// The largest input buffer a connection keeps once its requests are consumed (see
/// `Engine::process`).
const KEPT_INPUT_CAPACITY: usize = 64 * 1024;

/// What one `feed` or `resume` produced for the calling session.
#[derive(Default)]
pub struct FeedOutput {
  /// Replies to write to the session's socket, in order.
  pub reply: Vec<u8>,
  /// A command for the host to run before calling `resume`.
  pub pending: Option<Pending>,
  /// Close the connection once `reply` is written.
  pub close: bool,
}

/// Where a background save is, for the host driving it (see [`Engine::snapshot_step`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotState {
  /// No save under way.
  Idle,
  /// More slices are wanted: call again soon.
  Working,
  /// Nothing to do for a while: the writer thread is finishing the file, or the save may not
  /// end yet (`rdb-key-save-delay`). Call again later.
  Waiting,
}

/// The server's state and the loop that runs commands on it. Hosts reach the state (sessions,
/// configuration, statistics) through `Deref`.
pub struct Engine {
  pub(crate) server: Server,
  /// Ticks since freed memory was last handed back to the system.
  ticks_since_release: i64,
}

impl Deref for Engine {
  type Target = Server;

  fn deref(&self) -> &Server {
    &self.server
  }
}

impl DerefMut for Engine {
  fn deref_mut(&mut self) -> &mut Server {
    &mut self.server
  }
}

impl Default for Engine {
  fn default() -> Self {
    Engine::new(Config::default())
  }
}

impl Engine {
  pub fn new(config: Config) -> Self {
    Engine { server: Server::new(config), ticks_since_release: 0 }
  }

  /// Installs what serves other clients while a script is busy (see `script::busy`).
  pub fn set_busy_host(&mut self, host: Box<dyn crate::BusyHost>) {
    self.server.busy_host = Some(host);
  }

  /// Installs what ends a connection at once when CLIENT KILL disconnects its session (see
  /// `clients::HangUp`).
  pub fn set_hang_up(&mut self, host: Box<dyn crate::HangUp>) {
    self.server.clients.hang_up = Some(host);
  }

  /// Runs every complete command in `chunk` (appended to the session's buffered input).
  pub fn feed(&mut self, slot: u32, chunk: &[u8]) -> FeedOutput {
    self.server.telemetry.stats.net_input_bytes += chunk.len() as u64;
    self.enter(true);
    let output = self.process(slot, Some(chunk));
    self.settle();
    self.server.persist_writes();
    output
  }

  /// Continues with the session's buffered input after the host ran a pending command; or,
  /// for a session the host was asked to resume (`Clients::resumes`), first gives the host the
  /// command that waits for it.
  pub fn resume(&mut self, slot: u32) -> FeedOutput {
    if let Some(pending) = self.server.clients.session_mut(slot).and_then(|s| s.handed_over.take()) {
      return FeedOutput { pending: Some(pending), ..FeedOutput::default() };
    }
    if self.server.blocking.config_applying == Some(slot) {
      self.server.blocking.config_applying = None;
    }
    self.enter(true);
    // The command the host ran has ended: what a MIGRATE sent is not needed any more.
    if let Some(session) = self.server.clients.session_mut(slot) {
      session.migrating = Vec::new();
    }
    let output = self.process(slot, None);
    self.settle();
    self.server.persist_writes();
    output
  }

  /// Start of every entry point: the clock, and whether expiry is held by a CLIENT PAUSE
  /// WRITE. A pause holds the writes of network clients (their reads see expired keys as absent, but nothing deletes them); in-process
  /// calls are never held, so for them (`pausable` false) expiry goes on: they may write, and
  /// a write must find an expired key gone.
  pub(crate) fn enter(&mut self, pausable: bool) {
    self.server.clock_us = self.server.wall.now_us();
    // A replica never deletes expired keys itself: its master's DELs do (see `repl::link`).
    let paused =
      self.server.is_replica() || (pausable && self.server.blocking.pause.holds(self.server.clock_us / 1000, true));
    self.server.keyspace.pause_expiry(paused);
  }

  /// Runs the session's input (and `chunk`); nothing else.
  fn process(&mut self, slot: u32, chunk: Option<&[u8]>) -> FeedOutput {
    let Some(mut session) = self.server.clients.take(slot) else {
      return FeedOutput { close: true, ..FeedOutput::default() };
    };
    let mut out = Reply::with_capacity(session.resp3, 256);
    let mut result = FeedOutput::default();
    match chunk {
      Some(chunk) if self.query_buffer_overflows(&session, chunk) => {
        self.close_for_query_buffer(&mut session, chunk);
        result.close = true;
      }
      // Fast path: nothing buffered, so parse the read in place and keep only its tail.
      Some(chunk) if session.input.is_empty() => {
        session.reading = chunk.len();
        let consumed = self.run_guarded(slot, &mut session, chunk, &mut out, &mut result);
        if !result.close && consumed < chunk.len() {
          let rest = &chunk[consumed..];
          grow_input(&mut session.input, &session.parse, rest.len());
          session.input.extend_from_slice(rest);
        }
      }
      _ => {
        let mut input = std::mem::take(&mut session.input);
        if let Some(chunk) = chunk {
          grow_input(&mut input, &session.parse, chunk.len());
          input.extend_from_slice(chunk);
        }
        session.reading = input.len();
        let consumed = self.run_guarded(slot, &mut session, &input, &mut out, &mut result);
        input.drain(..consumed);
        // A buffer a large request grew is not kept once mostly consumed: its memory would
        // stay with the connection, counted in `used_memory` (Redis trims query buffers too).
        if input.capacity() > KEPT_INPUT_CAPACITY && input.len() < input.capacity() / 4 {
          input.shrink_to(input.len());
        }
        session.input = input;
      }
    }
    session.reading = 0;
    session.awaiting_host = result.pending.is_some();
    // What the read left buffered, and the output it queued here and for others, counts now.
    if self.server.client_eviction_on()
      && !result.close
      && self.server.evicts_running(slot, &mut session, out.buf.len())
    {
      out.buf.clear();
      result.close = true;
    }
    if result.close || session.held.doomed {
      session.input = Vec::new();
    }
    // A congested socket takes nothing now: the replies wait behind what is held already.
    if session.held.congested && session.is_network() {
      session.held.bytes.append(&mut out.buf);
    }
    self.server.telemetry.stats.net_output_bytes += out.buf.len() as u64;
    result.reply = out.buf;
    self.server.clients.put_back(slot, session);
    result
  }

  /// Whether `chunk`, with the input the session has buffered, is more than
  /// `client-query-buffer-limit` allows (a master's stream is never limited).
  fn query_buffer_overflows(&self, session: &Session, chunk: &[u8]) -> bool {
    (session.input.len() + chunk.len()) as i64 > self.server.config.client_query_buffer_limit && !session.master
  }

  /// Drops the input of a session over the query buffer limit, with Redis's log line (which
  /// quotes the first bytes of the buffer: for a large bulk being received, of its payload, see
  /// `ParseState::big_bulk_start`); the caller closes the connection.
  #[cold]
  fn close_for_query_buffer(&mut self, session: &mut Session, chunk: &[u8]) {
    let skipped = session.parse.big_bulk_start().unwrap_or(0).min(session.input.len());
    let buffered = &session.input[skipped..];
    let from_buffered = buffered.len().min(64);
    let head = [&buffered[..from_buffered], &chunk[..chunk.len().min(64 - from_buffered)]].concat();
    let mut quoted = vec![b'"'];
    crate::cstr::escape_repr(&mut quoted, &head);
    quoted.push(b'"');
    session.reading = buffered.len() + chunk.len();
    let line = format!(
      "Closing client that reached max query buffer length: {} (qbuf initial bytes: {})",
      crate::cmd::connection::client::describe(session, &self.server.acl, self.server.clock_us / 1000),
      String::from_utf8_lossy(&quoted)
    );
    self.server.telemetry.warn(line);
    session.input = Vec::new();
    session.parse = Default::default();
  }

  /// Settles what the last command(s) set in motion (see the module comment), until nothing
  /// is left: each re-run session may make more keys ready.
  #[inline]
  pub(crate) fn settle(&mut self) {
    let server = &self.server;
    let blocking = &server.blocking;
    if server.keyspace.attention.get()
      || !blocking.unblocked.is_empty()
      || !blocking.parked.is_empty()
      || !server.tracking.is_idle()
    {
      self.settle_now();
    }
  }

  #[inline(never)]
  fn settle_now(&mut self) {
    loop {
      self.server.keyspace.attention.set(false);
      self.settle_logged_everywhere();
      crate::tracking::broadcast(&mut self.server);
      let mut ran = false;
      for db in 0..self.server.keyspace.dbs.len() {
        if !self.server.keyspace.dbs[db].has_ready() {
          continue;
        }
        for key in self.server.keyspace.dbs[db].take_ready() {
          let waiting = self.server.keyspace.dbs[db].waiters.get(&key).cloned().unwrap_or_default();
          for slot in waiting {
            let Some(wait) = self.server.clients.session_mut(slot).and_then(|s| s.wait.as_mut()) else { continue };
            if wait.db != db || !wait.keys.contains(&key) {
              continue;
            }
            wait.ready_key = Some(key.clone());
            self.rerun(slot);
            ran = true;
          }
        }
      }
      for slot in std::mem::take(&mut self.server.blocking.unblocked) {
        self.rerun(slot);
        ran = true;
      }
      let blocking = &self.server.blocking;
      if !blocking.parked.is_empty() && !blocking.pause.active(now_ms()) && blocking.config_applying.is_none() {
        for slot in std::mem::take(&mut self.server.blocking.parked) {
          self.rerun(slot);
        }
        ran = true;
      }
      if !ran {
        return;
      }
    }
  }

  /// Sends the signals the databases logged outside any command's own settling (active
  /// expiry; commands that touched another database than their session's).
  fn settle_logged_everywhere(&mut self) {
    for db in 0..self.server.keyspace.dbs.len() {
      if self.server.keyspace.dbs[db].has_logged() {
        signal::settle_logged(&mut self.server, db, None);
      }
    }
  }

  /// Re-runs the input of a blocked or parked session; its replies go to its queued output. A
  /// command of it that needs the host (SAVE's file, a CONFIG SET moving listeners) waits
  /// for the host to resume the session, which is asked to (`Clients::resumes`).
  fn rerun(&mut self, slot: u32) {
    let output = self.process(slot, None);
    if !output.reply.is_empty() {
      self.server.send(slot, |out| out.raw(&output.reply));
    }
    if output.close {
      self.server.clients.kills.push(slot);
    }
    if let Some(pending) = output.pending {
      if let Some(session) = self.server.clients.session_mut(slot) {
        session.handed_over = Some(pending);
        self.server.clients.resumes.push(slot);
      }
    }
  }

  /// Parses and executes commands from `input` until it runs out, a TypeScript-side command
  /// is found, or the connection must close. Returns the bytes consumed.
  fn run(&mut self, slot: u32, session: &mut Session, input: &[u8], out: &mut Reply, result: &mut FeedOutput) -> usize {
    if session.master {
      return self.run_master(slot, session, input, out, result);
    }
    let mut at = 0;
    while at < input.len() && !session.close_after_reply {
      let limits =
        ParseLimits { max_bulk_len: self.server.config.proto_max_bulk_len, unauthenticated: !session.authenticated };
      match session.parse.parse(&input[at..], limits) {
        Ok(Parsed::Incomplete) => break,
        Ok(Parsed::Empty { consumed }) => at += consumed,
        Ok(Parsed::Command { consumed }) => {
          // Redis evicts clients before running each command, this one included.
          if self.server.client_eviction_on() && self.server.evicts_running(slot, session, out.buf.len()) {
            session.parse = Default::default();
            out.buf.clear();
            result.close = true;
            return input.len();
          }
          let args = session.parse.take_args();
          let flow = args.with_argv(&input[at..], |argv| self.execute(slot, session, argv, out));
          session.parse.recycle(args);
          session.parked = false;
          match flow {
            Flow::Done => {
              if let Some(wait) = session.wait.take() {
                self.server.forget_wait(slot, &wait);
              }
              at += consumed;
              if self.server.running_output_breaks_limits(slot, session, out.buf.len()) {
                out.buf.clear();
                return input.len();
              }
            }
            Flow::Block(request) => {
              self.server.block(slot, session, request);
              return at;
            }
            Flow::Pending(pending) => {
              result.pending = Some(pending);
              return at + consumed;
            }
            // The command stays in the input and is parsed again when the session wakes.
            Flow::Park => {
              self.server.blocking.park(slot, session);
              return at;
            }
          }
        }
        Err(error) => {
          out.error(format!("ERR {}", error.0).as_bytes());
          self.server.telemetry.stats.count_refusal("ERR");
          session.parse = Default::default();
          result.close = true;
          return input.len();
        }
      }
    }
    if session.close_after_reply {
      result.close = true;
    }
    at
  }

  /// [`Engine::run`], surviving a panic in a command: the panic is logged, the session's
  /// state is made safe (see [`Engine::survive_panic`]) and its connection closes, while the
  /// session stays in the table and every other client carries on. One guard per read, not
  /// per command, so a pipeline pays for it once.
  fn run_guarded(
    &mut self,
    slot: u32,
    session: &mut Session,
    input: &[u8],
    out: &mut Reply,
    result: &mut FeedOutput,
  ) -> usize {
    let run = std::panic::AssertUnwindSafe(|| self.run(slot, session, input, out, result));
    match std::panic::catch_unwind(run) {
      Ok(consumed) => consumed,
      Err(panic) => {
        self.survive_panic(session, out, panic);
        session.parse = Default::default();
        result.close = true;
        input.len()
      }
    }
  }

  /// Runs one command like [`Engine::execute`], surviving a panic in it as
  /// [`Engine::run_guarded`] does (the embedded API's calls); `None` after a panic.
  fn execute_guarded(&mut self, slot: u32, session: &mut Session, argv: &[&[u8]], out: &mut Reply) -> Option<Flow> {
    let run = std::panic::AssertUnwindSafe(|| self.execute(slot, session, argv, out));
    match std::panic::catch_unwind(run) {
      Ok(flow) => Some(flow),
      Err(panic) => {
        self.survive_panic(session, out, panic);
        None
      }
    }
  }

  /// After a panic in the command `session` was running: logs it, drops the command's
  /// half-made propagation and hand-over, leaves any transaction, and answers with an error.
  #[cold]
  fn survive_panic(&mut self, session: &mut Session, out: &mut Reply, panic: Box<dyn std::any::Any + Send>) {
    let reason = panic_reason(&*panic);
    let command = session.last_command;
    self
      .server
      .telemetry
      .log_lines
      .push(format!("Internal error running '{command}' for {}: {reason}", session.describe()));
    self.server.running = Running::default();
    session.in_exec = false;
    out.error(b"ERR internal error");
  }

  /// Runs one command for the session in `slot` (already taken out of the slab).
  pub(crate) fn execute(&mut self, slot: u32, session: &mut Session, argv: &[&[u8]], out: &mut Reply) -> Flow {
    let now_us = self.server.clock_us;
    self.server.running.pushes.clear();
    // A replica's reply (not the one of the SYNC or PSYNC that made it one).
    let (reply_start, replica) = (out.buf.len(), session.replica);
    let mut ctx = Ctx { server: &mut self.server, session, slot, out, now_us, now_ms: now_us / 1000, block: None };
    let flow = cmd::dispatch(&mut ctx, argv);
    out.resp3 = session.resp3;
    if replica && out.buf.len() > reply_start {
      self.server.replica_replied(slot, session, out, reply_start);
    }
    flow
  }

  /// Runs one command given as arguments (the embedded API), as the session in `slot`.
  pub fn call(&mut self, slot: u32, argv: &[&[u8]]) -> FeedOutput {
    self.call_into(slot, argv, Vec::with_capacity(64))
  }

  /// Like [`Engine::call`], appending the reply to `buffer`, so a caller can reuse one
  /// allocation for every call and collect the replies of a batch. `close` is set (and nothing
  /// appended) when the session does not exist.
  pub fn call_into(&mut self, slot: u32, argv: &[&[u8]], buffer: Vec<u8>) -> FeedOutput {
    let Some(mut session) = self.server.clients.take(slot) else {
      return FeedOutput { reply: buffer, close: true, ..FeedOutput::default() };
    };
    self.enter(false);
    let mut out = Reply { buf: buffer, resp3: session.resp3 };
    let flow = if argv.is_empty() {
      Flow::Done
    } else {
      self.execute_guarded(slot, &mut session, argv, &mut out).unwrap_or(Flow::Done)
    };
    self.server.clients.put_back(slot, session);
    self.settle();
    self.server.persist_writes();
    self.server.flush_replicas();
    let pending = match flow {
      Flow::Pending(pending) => Some(pending),
      Flow::Done | Flow::Park | Flow::Block(_) => None,
    };
    FeedOutput { reply: out.buf, pending, ..FeedOutput::default() }
  }

  /// MIGRATE's end, once the host has the target's replies (see `cmd::keyspace::migrate`):
  /// the session in `slot` removes the keys the target acknowledged.
  pub fn migrated(&mut self, slot: u32, keys: &[&[u8]]) {
    let Some(mut session) = self.server.clients.take(slot) else { return };
    self.enter(false);
    let now_us = self.server.clock_us;
    let mut out = Reply::new(session.resp3);
    let mut ctx = Ctx {
      server: &mut self.server,
      session: &mut session,
      slot,
      out: &mut out,
      now_us,
      now_ms: now_us / 1000,
      block: None,
    };
    let removed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cmd::keyspace::migrated(&mut ctx, keys)));
    if let Err(panic) = removed {
      self.survive_panic(&mut session, &mut out, panic);
    }
    self.server.clients.put_back(slot, session);
    self.settle();
    self.server.persist_writes();
    self.server.flush_replicas();
  }

  /// The whole dataset as an RDB file (see `rdb::file`).
  pub fn rdb_snapshot(&self) -> Vec<u8> {
    crate::rdb::file::write_snapshot(&self.server, now_ms())
  }

  /// Redis's redis-check-rdb report on `data`, the RDB file `file_name` (see `rdb::check`).
  pub fn rdb_check(&self, data: &[u8], file_name: &str) -> crate::rdb::check::Report {
    let settings = crate::rdb::value::Settings::from_config(&self.server.config);
    crate::rdb::check::check(data, file_name, &settings, now_ms())
  }

  /// Replaces the dataset with the RDB file `data` at start-up (nothing changes when it cannot
  /// be read). A file that says where in a replication history its data is lets the server
  /// continue that history: a replica asks its master for the rest (see `repl::link`); a
  /// master serves its replicas' PSYNCs from there (see `repl::continue_saved_history`).
  pub fn rdb_load(&mut self, data: &[u8]) -> Result<crate::rdb::file::Loaded, crate::rdb::encoding::RdbError> {
    let loaded = crate::rdb::file::load_snapshot(&mut self.server, data, now_ms())?;
    self.continue_loaded_history(&loaded);
    Ok(loaded)
  }

  /// [`Engine::rdb_load`] in slices, with the host serving its clients in between (see
  /// `rdb::loading`): begins the load of `data`, which [`Engine::rdb_load_step`] goes on
  /// with. An error means the file's header is not one of an RDB file.
  pub fn rdb_load_begin(&mut self, data: Vec<u8>) -> Result<(), crate::rdb::encoding::RdbError> {
    self.server.begin_loading(data)
  }

  /// The next slice of the load [`Engine::rdb_load_begin`] began: `None` while more is left;
  /// once the file was read, or failed, what [`Engine::rdb_load`] would have returned.
  pub fn rdb_load_step(&mut self) -> Option<Result<crate::rdb::file::Loaded, crate::rdb::encoding::RdbError>> {
    let outcome = self.server.loading_step()?;
    if let Ok(loaded) = &outcome {
      self.continue_loaded_history(loaded);
    }
    Some(outcome)
  }

  /// After a load, the replication history its file says the data belongs to goes on.
  fn continue_loaded_history(&mut self, loaded: &crate::rdb::file::Loaded) {
    match &loaded.replication {
      Some((replid, offset, stream_db)) if self.server.is_replica() => {
        self.server.resume_history(replid, *offset, *stream_db)
      }
      Some((replid, offset, _)) => self.server.continue_saved_history(replid, *offset, &loaded.expired_keys),
      None => {}
    }
  }

  /// One slice of the background save under way, for the host to call between its other
  /// work (see `rdb::snapshot`); a save whose file is written is finished here too.
  pub fn snapshot_step(&mut self) -> SnapshotState {
    if !self.server.snapshot_in_progress() {
      return SnapshotState::Idle;
    }
    match self.server.snapshot_step() {
      Slice::More => return SnapshotState::Working,
      Slice::Later => return SnapshotState::Waiting,
      Slice::Sent => {}
    }
    match self.server.poll_snapshot() {
      Some(finished) => {
        self.snapshot_finished(finished);
        SnapshotState::Idle
      }
      None => SnapshotState::Waiting,
    }
  }

  /// A background save's file is written, or could not be: BGSAVE's or the AOF rewrite's end.
  fn snapshot_finished(&mut self, finished: crate::rdb::snapshot::Finished) {
    let now = now_ms();
    match finished.purpose {
      crate::rdb::snapshot::Purpose::Save => {
        if let Err(error) = &finished.result {
          self.server.telemetry.warn(format!("Write error saving DB on disk: {}", crate::error::errno_text(error)));
        }
        cmd::server::persistence::background_save_done(&mut self.server, finished.result.is_ok(), now);
      }
      crate::rdb::snapshot::Purpose::AofBase => self.server.rewrite_done(finished.result),
      crate::rdb::snapshot::Purpose::Replication => {
        self.server.replication_snapshot_done(finished.result, finished.file, now)
      }
    }
  }

  /// Writes the RDB file now, as SAVE does (for the host's own saves: before exiting, the
  /// embedded store's `save()`); returns whether it could. The log says what happened.
  pub fn save_rdb(&mut self) -> bool {
    cmd::server::persistence::save_rdb(&mut self.server, now_ms()).is_ok()
  }

  /// A signal asks the server to shut down (SIGTERM, or SIGINT when `sigint`), with the flags
  /// of `shutdown-on-sigterm` or `shutdown-on-sigint`: the next tick begins it, and reports
  /// when the host is to finish it (see [`Engine::take_shutdown_ready`]).
  pub fn request_shutdown(&mut self, sigint: bool) {
    let parameter = if sigint { "shutdown-on-sigint" } else { "shutdown-on-sigterm" };
    let flags = cmd::server::shutdown::signal_flags(&self.server, parameter);
    self.server.request_shutdown(flags);
  }

  /// The last step of the shutdown under way (see `cmd::server::shutdown`): `true` when the
  /// process may exit now; `false` when it may not (logged, and the shutdown cancelled).
  pub fn finish_shutdown(&mut self) -> bool {
    let finished = self.server.finish_shutdown();
    self.settle();
    finished
  }

  /// Whether a shutdown that waited for replicas is ready to finish (reported once).
  pub fn take_shutdown_ready(&mut self) -> bool {
    self.server.shutdown.as_mut().is_some_and(|shutdown| std::mem::take(&mut shutdown.ready))
  }

  /// Periodic work, called `hz` times a second by the host: timed-out waits, then (unless
  /// DEBUG PAUSE-CRON stopped it) active expiry, the client-side caching table's limit, idle
  /// timeouts and statistics sampling; and waking sessions whose pause ended.
  pub fn tick(&mut self) {
    self.enter(true);
    let now = now_ms();
    // While the start-up load is under way, only a shutdown a signal asked for goes on, as in
    // Redis, whose periodic work waits for the load.
    if self.server.loading.is_some() {
      self.server.shutdown_cron(now);
      return;
    }
    self.server.expire_waits(now);
    self.memcached_flush_when_due();
    if !self.server.cron_paused {
      self.cron(now);
    }
    self.settle();
    self.server.persist_writes();
    if !self.server.cron_paused {
      cmd::server::persistence::save_cron(&mut self.server, now);
      self.server.append_only_cron();
      self.server.replication_cron(now);
      self.server.shutdown_cron(now);
    }
    self.server.flush_replicas();
    // Hosts drive a save with `snapshot_step`; a slice here keeps it going (and finishes a
    // written one) regardless.
    self.snapshot_step();
  }

  /// The part of `tick` that DEBUG PAUSE-CRON stops, like Redis's `serverCron`.
  fn cron(&mut self, now: i64) {
    self.ticks_since_release += 1;
    if self.ticks_since_release >= self.server.config.hz {
      self.ticks_since_release = 0;
      crate::alloc::release_free_memory();
    }
    self.server.telemetry.sample(now);
    // An eviction round that stopped at its time limit goes on (Redis's eviction timer).
    if self.server.eviction.running {
      self.server.perform_evictions(now);
    }
    if self.server.client_eviction_on() {
      self.server.evict_clients(None);
    }
    if self.server.is_replica() {
      if self.server.keyspace.active_expire_enabled {
        self.server.keyspace.expire_replica_keys(now);
      }
    } else if !self.server.keyspace.replica_keys_with_expire.is_empty() {
      // A master expires every key itself.
      self.server.keyspace.replica_keys_with_expire.clear();
    }
    if self.server.keyspace.active_expire_enabled && !self.server.keyspace.expiry_paused {
      // Like Redis's slow cycle: at most 25% of the tick interval.
      let budget = Duration::from_micros((250_000 / self.server.config.hz.max(1)) as u64);
      let keyspace = &mut self.server.keyspace;
      let cycle =
        expire::active_expire_cycle(&mut keyspace.dbs, &mut keyspace.expire_next_db, now, budget, &mut self.server.rng);
      // Its duration, as Redis accounts for it: in INFO, and as the `expire-cycle` latency
      // event when it reached the monitor's threshold.
      let elapsed_us = cycle.elapsed.as_micros() as u64;
      let threshold = self.server.config.latency_monitor_threshold;
      let telemetry = &mut self.server.telemetry;
      telemetry.events.add_if_needed(threshold, "expire-cycle", now / 1000, elapsed_us / 1000);
      let stats = &mut telemetry.stats;
      stats.expire_cycle_time_used_us += elapsed_us;
      if cycle.timed_out {
        stats.expired_time_cap_reached_count += 1;
      }
      if cycle.sampled > 0 {
        let current = cycle.expired as f64 / cycle.sampled as f64;
        stats.expired_stale_perc = current * 0.05 + stats.expired_stale_perc * 0.95;
      }
    }
    if self.server.tracking.clients > 0 {
      let max_keys = self.server.config.tracking_table_max_keys.max(0) as usize;
      crate::tracking::enforce_limit(&mut self.server, max_keys);
    }
    if self.server.config.timeout > 0 {
      let limit = self.server.config.timeout * 1000;
      let idle: Vec<u32> = self
        .server
        .clients
        .sessions()
        .filter(|(_, s)| s.is_network() && now - s.last_interaction_ms > limit)
        .map(|(slot, _)| slot)
        .collect();
      self.server.clients.kills.extend(idle);
    }
    self.server.check_output_limits();
  }
}

/// Makes room in `input` for `incoming` more bytes, doubling its capacity as a `Vec` would, but
/// while a big bulk is being received never past the bulk's end: a 1 MB argument then takes
/// 1 MB of buffer, not up to 2 MB, as Redis sizes its query buffer for big arguments. Nothing
/// is reserved ahead of the bytes that arrive, so an announced length alone allocates nothing.
fn grow_input(input: &mut Vec<u8>, parse: &crate::resp::ParseState, incoming: usize) {
  let needed = input.len() + incoming;
  if needed <= input.capacity() {
    return;
  }
  let doubled = (input.capacity() * 2).max(needed);
  let target = match parse.big_bulk_end() {
    Some(end) => doubled.min(end.max(needed)),
    None => doubled,
  };
  input.reserve_exact(target - input.len());
}

/// The message a caught panic carries (empty when it is not text).
pub(crate) fn panic_reason(panic: &(dyn std::any::Any + Send)) -> String {
  panic
    .downcast_ref::<&str>()
    .map(|s| s.to_string())
    .or_else(|| panic.downcast_ref::<String>().cloned())
    .unwrap_or_default()
}
