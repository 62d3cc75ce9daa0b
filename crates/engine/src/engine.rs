//! The engine: databases, sessions, configuration and statistics, and the loop that turns
//! received bytes into replies.
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

use crate::blocking::{BlockRequest, Wait, WaitEnd};
use crate::cmd::server::slowlog::Slowlog;
use crate::cmd::server::Telemetry;
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::db::{expire, Db};
use crate::rand::Rng;
use crate::resp::{ParseLimits, Parsed, Reply};
use crate::session::{Peer, Session};
use crate::signal::{self, Propagation, Write};
use crate::stats::Stats;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

/// Current Unix time in milliseconds.
#[inline]
pub fn now_ms() -> i64 {
  now_us() / 1000
}

/// Current Unix time in microseconds. Read once per command, so it is kept lean: on Unix a
/// direct `clock_gettime`, skipping `SystemTime`'s checked conversions.
#[cfg(unix)]
#[inline]
pub fn now_us() -> i64 {
  let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
  // SAFETY: `ts` is a valid, writable timespec; CLOCK_REALTIME is always available.
  unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
  ts.tv_sec as i64 * 1_000_000 + ts.tv_nsec as i64 / 1000
}

/// Current Unix time in microseconds.
#[cfg(not(unix))]
pub fn now_us() -> i64 {
  use std::time::{SystemTime, UNIX_EPOCH};
  SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

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

/// A command the TypeScript host must run (its name in lower case, and its arguments).
#[derive(Debug)]
pub struct Pending {
  pub name: &'static str,
  pub args: Vec<Vec<u8>>,
}

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

/// A CLIENT PAUSE in effect: until when, and whether only writes wait.
#[derive(Default)]
pub struct Pause {
  pub until_ms: i64,
  pub writes_only: bool,
}

impl Pause {
  pub fn active(&self, now_ms: i64) -> bool {
    now_ms < self.until_ms
  }

  /// Starts or extends a pause. Like Redis, an active pause keeps the later end time and the
  /// stricter kind (ALL over WRITE).
  pub fn start(&mut self, now_ms: i64, until_ms: i64, writes_only: bool) {
    if self.active(now_ms) {
      self.until_ms = self.until_ms.max(until_ms);
      self.writes_only &= writes_only;
    } else {
      *self = Pause { until_ms, writes_only };
    }
  }

  /// Whether a command must wait.
  pub fn holds(&self, now_ms: i64, is_write: bool) -> bool {
    self.active(now_ms) && (is_write || !self.writes_only)
  }
}

/// State of the command being run that is not the command's own (so that `Ctx` stays plain
/// references, cheap to make for every command).
#[derive(Default)]
pub(crate) struct Running {
  /// Where pushes to the running session start and end in its reply buffer: CLIENT REPLY
  /// OFF/SKIP drops the replies but not these, as in Redis. Emptied for each top-level command.
  pub(crate) pushes: Vec<(usize, usize)>,
  /// Set by `Ctx::hand_over`: the host finishes the command.
  pub(crate) handoff: Option<Pending>,
}

/// Facts about the hosting process, shown by INFO and CLIENT LIST.
#[derive(Clone, Default)]
pub struct HostInfo {
  pub tcp_port: i64,
  pub executable: String,
  pub config_file: String,
  pub run_id: String,
}

pub struct Engine {
  pub dbs: Vec<Db>,
  pub config: Config,
  pub stats: Stats,
  pub rng: Rng,
  pub host: HostInfo,
  pub start_ms: i64,
  /// Unix seconds of the last successful save (LASTSAVE).
  pub last_save: i64,
  pub active_expire_enabled: bool,
  pub slowlog: Slowlog,
  /// Latency histograms and events, and the samples behind INFO's instantaneous metrics.
  pub telemetry: Telemetry,
  /// Lines for the server log (DEBUG LOG, CONFIG REWRITE), drained by the host.
  pub log_lines: Vec<String>,
  pub(crate) sessions: Vec<Option<Box<Session>>>,
  free_slots: Vec<u32>,
  next_client_id: u64,
  expire_next_db: usize,
  /// Sessions with output queued for the host (see `output.rs`).
  pub(crate) outbound: Vec<u32>,
  /// Sessions the host must disconnect (CLIENT KILL, idle timeout, output limits), drained
  /// after each call.
  pub kills: Vec<u32>,
  /// Unix microseconds at the end of the last command (or the start of the current read):
  /// the start time of the next command.
  pub(crate) clock_us: i64,
  /// Sessions in MONITOR mode.
  pub monitors: Vec<u32>,
  pub pause: Pause,
  /// Whether the databases currently keep expired keys (a CLIENT PAUSE WRITE is on).
  expiry_paused: bool,
  /// Sessions whose next command waits (for a CLIENT PAUSE to end); their input is kept.
  parked: Vec<u32>,
  /// Sessions blocked on keys (their keys are in each database's `waiters`).
  blocked: Vec<u32>,
  next_wait_seq: u64,
  /// Sessions whose wait CLIENT UNBLOCK ended, to run once the current command is done.
  pub(crate) unblocked: Vec<u32>,
  /// Ticks since freed memory was last handed back to the system.
  ticks_since_release: i64,
  /// Keys watched by WATCH, and which sessions' watches were broken (see `cmd/transaction.rs`).
  pub watches: cmd::transaction::Watches,
  /// Who subscribes to what (see `pubsub.rs`).
  pub pubsub: crate::pubsub::Registry,
  /// Client-side caching state (see `tracking.rs`).
  pub tracking: crate::tracking::Tracking,
  /// Slot of each open session, by client id.
  ids: std::collections::HashMap<u64, u32>,
  /// Raised by the databases when they logged expired or new keys or made a waited-on key
  /// ready (see `Db`): settling skips its scans while it is down.
  attention: Rc<Cell<bool>>,
  /// Changes since the last save (Redis's `server.dirty`), counted by the handlers.
  pub dirty: u64,
  /// The running command's propagation requests (see `signal.rs`).
  pub(crate) propagation: Propagation,
  /// What the running command set aside for after it (see `Running`).
  pub(crate) running: Running,
  /// The writes to replay, when a consumer records them (see `signal.rs`).
  pub(crate) write_stream: Option<Vec<Write>>,
}

impl Default for Engine {
  fn default() -> Self {
    Engine::new(Config::default())
  }
}

impl Engine {
  pub fn new(config: Config) -> Self {
    let now = now_ms();
    let attention = Rc::new(Cell::new(false));
    Engine {
      dbs: (0..config.databases).map(|_| Db::with_attention(attention.clone())).collect(),
      attention,
      config,
      stats: Stats::default(),
      rng: Rng::from_entropy(),
      host: HostInfo::default(),
      start_ms: now,
      last_save: now / 1000,
      active_expire_enabled: true,
      slowlog: Slowlog::default(),
      telemetry: Telemetry::new(),
      log_lines: Vec::new(),
      sessions: Vec::new(),
      free_slots: Vec::new(),
      next_client_id: 1,
      expire_next_db: 0,
      outbound: Vec::new(),
      kills: Vec::new(),
      clock_us: 0,
      monitors: Vec::new(),
      pause: Pause::default(),
      expiry_paused: false,
      parked: Vec::new(),
      blocked: Vec::new(),
      next_wait_seq: 0,
      unblocked: Vec::new(),
      ticks_since_release: 0,
      watches: cmd::transaction::Watches::default(),
      pubsub: crate::pubsub::Registry::default(),
      tracking: crate::tracking::Tracking::default(),
      ids: std::collections::HashMap::new(),
      dirty: 0,
      propagation: Propagation::default(),
      running: Running::default(),
      write_stream: None,
    }
  }

  /// Resizes the database array after the configuration changed `databases` (start-up only).
  pub fn apply_databases(&mut self) {
    let attention = self.attention.clone();
    self.dbs.resize_with(self.config.databases, || Db::with_attention(attention.clone()));
    self.sync_new_key_logging();
  }

  /// Makes the databases log created keys exactly while `new` events are enabled (called
  /// whenever `notify-keyspace-events` or the databases change).
  pub(crate) fn sync_new_key_logging(&mut self) {
    let log_new = self.config.notify_keyspace_events & crate::config::notify::NEW != 0;
    for db in &mut self.dbs {
      db.log_new = log_new;
    }
  }

  /// Opens a session and returns its slot number (the handle the host uses).
  pub fn open(&mut self, peer: Peer) -> u32 {
    let id = self.next_client_id;
    self.next_client_id += 1;
    self.stats.total_connections_received += 1;
    let authenticated = self.config.requirepass.is_none();
    let session = Box::new(Session::new(id, peer, now_ms(), authenticated));
    let slot = match self.free_slots.pop() {
      Some(slot) => {
        self.sessions[slot as usize] = Some(session);
        slot
      }
      None => {
        self.sessions.push(Some(session));
        (self.sessions.len() - 1) as u32
      }
    };
    self.ids.insert(id, slot);
    slot
  }

  /// The slot of the open session with client id `id`.
  pub fn slot_of(&self, id: u64) -> Option<u32> {
    self.ids.get(&id).copied()
  }

  /// Slots of the sessions (not running a command) with tracking on, in slot order.
  pub(crate) fn tracking_slots(&self) -> Vec<u32> {
    self.sessions().filter(|(_, s)| s.tracking.is_some()).map(|(slot, _)| slot).collect()
  }

  /// Forgets a session. Unknown slots are ignored.
  pub fn close(&mut self, slot: u32) {
    if let Some(cell) = self.sessions.get_mut(slot as usize) {
      if let Some(mut session) = cell.take() {
        self.free_slots.push(slot);
        self.monitors.retain(|&s| s != slot);
        self.parked.retain(|&s| s != slot);
        self.unblocked.retain(|&s| s != slot);
        self.outbound.retain(|&s| s != slot);
        if let Some(wait) = session.wait.take() {
          self.forget_wait(slot, &wait);
        }
        self.watches.unwatch_all(slot);
        self.pubsub.forget(&mut session.subscriptions, slot);
        self.tracking.disable(&mut session, slot);
        self.ids.remove(&session.id);
      }
    }
  }

  /// The session in `slot`, if open (and not currently executing).
  pub fn session(&self, slot: u32) -> Option<&Session> {
    self.sessions.get(slot as usize)?.as_deref()
  }

  /// Slots and sessions of every open session not currently executing.
  pub fn sessions(&self) -> impl Iterator<Item = (u32, &Session)> {
    self.sessions.iter().enumerate().filter_map(|(slot, s)| Some((slot as u32, s.as_deref()?)))
  }

  pub fn sessions_mut(&mut self) -> impl Iterator<Item = (u32, &mut Session)> {
    self.sessions.iter_mut().enumerate().filter_map(|(slot, s)| Some((slot as u32, s.as_deref_mut()?)))
  }

  /// Number of open sessions, including one currently executing.
  pub fn session_count(&self) -> usize {
    self.sessions.len() - self.free_slots.len()
  }

  /// Runs every complete command in `chunk` (appended to the session's buffered input).
  pub fn feed(&mut self, slot: u32, chunk: &[u8]) -> FeedOutput {
    self.stats.net_input_bytes += chunk.len() as u64;
    self.enter(true);
    let output = self.process(slot, Some(chunk));
    self.settle();
    output
  }

  /// Continues with the session's buffered input after the host ran a pending command.
  pub fn resume(&mut self, slot: u32) -> FeedOutput {
    self.enter(true);
    let output = self.process(slot, None);
    self.settle();
    output
  }

  /// Start of every entry point: the clock, and whether expiry is held by a CLIENT PAUSE WRITE. A pause holds the writes of network
  /// clients (their reads see expired keys as absent, but nothing deletes them); in-process
  /// calls are never held, so for them (`pausable` false) expiry goes on: they may write, and
  /// a write must find an expired key gone.
  fn enter(&mut self, pausable: bool) {
    self.clock_us = now_us();
    let paused = pausable && self.pause.holds(self.clock_us / 1000, true);
    if paused != self.expiry_paused {
      self.expiry_paused = paused;
      for db in &mut self.dbs {
        db.expiry_paused = paused;
      }
    }
  }

  /// Runs the session's input (and `chunk`); nothing else.
  fn process(&mut self, slot: u32, chunk: Option<&[u8]>) -> FeedOutput {
    let Some(mut session) = self.sessions.get_mut(slot as usize).and_then(Option::take) else {
      return FeedOutput { close: true, ..FeedOutput::default() };
    };
    let mut out = Reply::with_capacity(session.resp3, 256);
    let mut result = FeedOutput::default();
    match chunk {
      // Fast path: nothing buffered, so parse the read in place and keep only its tail.
      Some(chunk) if session.input.is_empty() => {
        session.reading = chunk.len();
        let consumed = self.run_guarded(slot, &mut session, chunk, &mut out, &mut result);
        if !result.close && consumed < chunk.len() {
          session.input.extend_from_slice(&chunk[consumed..]);
        }
      }
      _ => {
        let mut input = std::mem::take(&mut session.input);
        if let Some(chunk) = chunk {
          input.extend_from_slice(chunk);
        }
        session.reading = input.len();
        let consumed = self.run_guarded(slot, &mut session, &input, &mut out, &mut result);
        input.drain(..consumed);
        session.input = input;
      }
    }
    session.reading = 0;
    if session.input.len() as i64 > self.config.client_query_buffer_limit {
      result.close = true;
    }
    if result.close {
      session.input = Vec::new();
    }
    self.stats.net_output_bytes += out.buf.len() as u64;
    result.reply = out.buf;
    self.sessions[slot as usize] = Some(session);
    result
  }

  /// Settles what the last command(s) set in motion (see the module comment), until nothing
  /// is left: each re-run session may make more keys ready.
  #[inline]
  fn settle(&mut self) {
    if self.attention.get() || !self.unblocked.is_empty() || !self.parked.is_empty() || !self.tracking.is_idle() {
      self.settle_now();
    }
  }

  #[inline(never)]
  fn settle_now(&mut self) {
    loop {
      self.attention.set(false);
      self.settle_logged_everywhere();
      crate::tracking::broadcast(self);
      let mut ran = false;
      for db in 0..self.dbs.len() {
        if !self.dbs[db].has_ready() {
          continue;
        }
        for key in self.dbs[db].take_ready() {
          let waiting = self.dbs[db].waiters.get(&key).cloned().unwrap_or_default();
          for slot in waiting {
            let Some(wait) = self.sessions[slot as usize].as_mut().and_then(|s| s.wait.as_mut()) else { continue };
            if wait.db != db || !wait.keys.contains(&key) {
              continue;
            }
            wait.ready_key = Some(key.clone());
            self.rerun(slot);
            ran = true;
          }
        }
      }
      for slot in std::mem::take(&mut self.unblocked) {
        self.rerun(slot);
        ran = true;
      }
      if !self.parked.is_empty() && !self.pause.active(now_ms()) {
        for slot in std::mem::take(&mut self.parked) {
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
    for db in 0..self.dbs.len() {
      if self.dbs[db].has_logged() {
        signal::settle_logged(self, db, None);
      }
    }
  }

  /// Whether the session in `slot` is blocked on keys.
  pub fn is_blocked(&self, slot: u32) -> bool {
    self.blocked.contains(&slot)
  }

  /// Number of blocked sessions (INFO `blocked_clients`): waiting for keys, or held by a
  /// CLIENT PAUSE, as Redis counts them.
  pub fn blocked_count(&self) -> usize {
    self.blocked.len() + self.parked.len()
  }

  /// Number of blocked sessions with a timeout (INFO `clients_in_timeout_table`).
  pub fn blocked_with_timeout(&self) -> usize {
    self
      .blocked
      .iter()
      .filter(|&&slot| {
        self.sessions[slot as usize].as_ref().and_then(|s| s.wait.as_ref()).is_some_and(|w| w.deadline_ms != 0)
      })
      .count()
  }

  /// Records that the session's command blocks, keeping its place in line if it was already
  /// waiting.
  fn block(&mut self, slot: u32, session: &mut Session, request: BlockRequest) {
    if let Some(wait) = session.wait.as_mut() {
      // A re-run that blocks again keeps its place and its keys.
      wait.end = WaitEnd::Waiting;
      wait.ready_key = None;
      return;
    }
    self.next_wait_seq += 1;
    let db = session.db;
    for key in &request.keys {
      let waiters = self.dbs[db].waiters.entry(key.clone()).or_default();
      if !waiters.contains(&slot) {
        waiters.push(slot);
      }
    }
    session.wait = Some(Wait {
      seq: self.next_wait_seq,
      deadline_ms: request.deadline_ms,
      db,
      keys: request.keys,
      end: WaitEnd::Waiting,
      ready_key: None,
    });
    self.blocked.push(slot);
  }

  /// Removes a finished wait from the waiters of its keys.
  fn forget_wait(&mut self, slot: u32, wait: &Wait) {
    self.blocked.retain(|&s| s != slot);
    let waiters = &mut self.dbs[wait.db].waiters;
    for key in &wait.keys {
      if let Some(slots) = waiters.get_mut(key) {
        slots.retain(|&s| s != slot);
        if slots.is_empty() {
          waiters.remove(key);
        }
      }
    }
  }

  /// Re-runs the input of a blocked or parked session; its replies go to its queued output.
  fn rerun(&mut self, slot: u32) {
    let output = self.process(slot, None);
    if !output.reply.is_empty() {
      self.send(slot, |out| out.raw(&output.reply));
    }
    if output.close {
      self.kills.push(slot);
    }
  }

  /// Ends the waits whose deadline passed: their commands write their timeout replies.
  fn expire_waits(&mut self, now: i64) {
    for slot in self.blocked.clone() {
      let Some(session) = self.sessions[slot as usize].as_mut() else { continue };
      if let Some(wait) = session.wait.as_mut() {
        if wait.deadline_ms != 0 && wait.deadline_ms <= now {
          wait.end = WaitEnd::TimedOut;
          self.unblocked.push(slot);
        }
      }
    }
  }

  /// CLIENT UNBLOCK: ends the wait of the blocked session with client id `id`, with its
  /// timeout reply or (if `error`) an UNBLOCKED error. Returns whether such a session waited.
  pub fn unblock(&mut self, id: u64, error: bool) -> bool {
    for &slot in &self.blocked {
      if let Some(session) = self.sessions[slot as usize].as_mut() {
        if session.id == id {
          if let Some(wait) = session.wait.as_mut() {
            wait.end = if error { WaitEnd::Error } else { WaitEnd::TimedOut };
            self.unblocked.push(slot);
            return true;
          }
        }
      }
    }
    false
  }

  /// Parses and executes commands from `input` until it runs out, a TypeScript-side command
  /// is found, or the connection must close. Returns the bytes consumed.
  fn run(&mut self, slot: u32, session: &mut Session, input: &[u8], out: &mut Reply, result: &mut FeedOutput) -> usize {
    let mut at = 0;
    while at < input.len() && !session.close_after_reply {
      let limits =
        ParseLimits { max_bulk_len: self.config.proto_max_bulk_len, unauthenticated: !session.authenticated };
      match session.parse.parse(&input[at..], limits) {
        Ok(Parsed::Incomplete) => break,
        Ok(Parsed::Empty { consumed }) => at += consumed,
        Ok(Parsed::Command { consumed }) => {
          let args = session.parse.take_args();
          let flow = args.with_argv(&input[at..], |argv| self.execute(slot, session, argv, out));
          session.parse.recycle(args);
          session.parked = false;
          match flow {
            Flow::Done => {
              if let Some(wait) = session.wait.take() {
                self.forget_wait(slot, &wait);
              }
              at += consumed;
            }
            Flow::Block(request) => {
              self.block(slot, session, request);
              return at;
            }
            Flow::Pending(pending) => {
              result.pending = Some(pending);
              return at + consumed;
            }
            // The command stays in the input and is parsed again when the session wakes.
            Flow::Park => {
              session.parked = true;
              self.parked.push(slot);
              return at;
            }
          }
        }
        Err(error) => {
          out.error(format!("ERR {}", error.0).as_bytes());
          self.stats.count_error("ERR");
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
    let reason = panic
      .downcast_ref::<&str>()
      .map(|s| s.to_string())
      .or_else(|| panic.downcast_ref::<String>().cloned())
      .unwrap_or_default();
    let command = session.last_command;
    self.log_lines.push(format!("Internal error running '{command}' for {}: {reason}", session.describe()));
    self.propagation = Propagation::default();
    self.running = Running::default();
    session.in_exec = false;
    out.error(b"ERR internal error");
  }

  /// Runs one command for the session in `slot` (already taken out of the slab).
  pub(crate) fn execute(&mut self, slot: u32, session: &mut Session, argv: &[&[u8]], out: &mut Reply) -> Flow {
    let now_us = self.clock_us;
    self.running.pushes.clear();
    let mut ctx = Ctx { engine: self, session, slot, out, now_us, now_ms: now_us / 1000, block: None };
    let flow = cmd::dispatch(&mut ctx, argv);
    out.resp3 = session.resp3;
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
    let Some(mut session) = self.sessions.get_mut(slot as usize).and_then(Option::take) else {
      return FeedOutput { reply: buffer, close: true, ..FeedOutput::default() };
    };
    self.enter(false);
    let mut out = Reply { buf: buffer, resp3: session.resp3 };
    let flow = if argv.is_empty() {
      Flow::Done
    } else {
      self.execute_guarded(slot, &mut session, argv, &mut out).unwrap_or(Flow::Done)
    };
    self.sessions[slot as usize] = Some(session);
    self.settle();
    let pending = match flow {
      Flow::Pending(pending) => Some(pending),
      Flow::Done | Flow::Park | Flow::Block(_) => None,
    };
    FeedOutput { reply: out.buf, pending, close: false }
  }

  /// Periodic work, called `hz` times a second by the host: active expiry, timed-out waits,
  /// the client-side caching table's limit, idle timeouts, and waking sessions whose pause
  /// ended.
  pub fn tick(&mut self) {
    self.enter(true);
    let now = now_ms();
    self.expire_waits(now);
    self.ticks_since_release += 1;
    if self.ticks_since_release >= self.config.hz {
      self.ticks_since_release = 0;
      crate::alloc::release_free_memory();
    }
    self.telemetry.sample(now, &self.stats);
    if self.active_expire_enabled && !self.expiry_paused {
      // Like Redis's slow cycle: at most 25% of the tick interval.
      let budget = Duration::from_micros((250_000 / self.config.hz.max(1)) as u64);
      let cycle = expire::active_expire_cycle(&mut self.dbs, &mut self.expire_next_db, now, budget, &mut self.rng);
      if cycle.timed_out {
        self.stats.expired_time_cap_reached_count += 1;
      }
      if cycle.sampled > 0 {
        let current = cycle.expired as f64 / cycle.sampled as f64;
        self.stats.expired_stale_perc = current * 0.05 + self.stats.expired_stale_perc * 0.95;
      }
    }
    if self.tracking.clients > 0 {
      let max_keys = self.config.tracking_table_max_keys.max(0) as usize;
      crate::tracking::enforce_limit(self, max_keys);
    }
    if self.config.timeout > 0 {
      let limit = self.config.timeout * 1000;
      let idle: Vec<u32> = self
        .sessions()
        .filter(|(_, s)| s.is_network() && now - s.last_interaction_ms > limit)
        .map(|(slot, _)| slot)
        .collect();
      self.kills.extend(idle);
    }
    self.settle();
  }
}
