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

use crate::blocking::{BlockRequest, Wait, WaitEnd};
use crate::cmd::server::slowlog::Slowlog;
use crate::cmd::server::Telemetry;
use crate::cmd::{self, Ctx};
use crate::config::Config;
use crate::db::{expire, Db};
use crate::rand::Rng;
use crate::resp::{ParseLimits, Parsed, Reply};
use crate::session::{Peer, Session};
use crate::stats::Stats;
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
  sessions: Vec<Option<Box<Session>>>,
  free_slots: Vec<u32>,
  next_client_id: u64,
  expire_next_db: usize,
  /// Bytes for other sessions (MONITOR feeds), drained by the host after each call.
  pub outbox: Vec<(u32, Vec<u8>)>,
  /// Sessions the host must disconnect (CLIENT KILL, idle timeout), drained after each call.
  pub kills: Vec<u32>,
  /// Unix microseconds at the end of the last command (or the start of the current read):
  /// the start time of the next command.
  pub(crate) clock_us: i64,
  /// Sessions in MONITOR mode.
  pub monitors: Vec<u32>,
  pub pause: Pause,
  /// Sessions whose next command waits (for a CLIENT PAUSE to end); their input is kept.
  parked: Vec<u32>,
  /// Sessions blocked on keys, in the order they are to be served (see `blocking.rs`).
  blocked: Vec<u32>,
  next_wait_seq: u64,
  /// Write commands run so far; blocked sessions are re-checked only after writes.
  pub writes: u64,
  writes_seen_by_blocked: u64,
  /// Sessions whose wait CLIENT UNBLOCK ended, to run once the current command is done.
  pub(crate) unblocked: Vec<u32>,
  /// Waited-on keys (database, key) that writes touched since the last serve, in order.
  ready_keys: Vec<(usize, Vec<u8>)>,
  /// Ticks since freed memory was last handed back to the system.
  ticks_since_release: i64,
  /// Keys watched by WATCH, and which sessions' watches were broken (see `cmd/transaction.rs`).
  pub watches: cmd::transaction::Watches,
}

impl Default for Engine {
  fn default() -> Self {
    Engine::new(Config::default())
  }
}

impl Engine {
  pub fn new(config: Config) -> Self {
    let now = now_ms();
    Engine {
      dbs: (0..config.databases).map(|_| Db::default()).collect(),
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
      outbox: Vec::new(),
      kills: Vec::new(),
      clock_us: 0,
      monitors: Vec::new(),
      pause: Pause::default(),
      parked: Vec::new(),
      blocked: Vec::new(),
      next_wait_seq: 0,
      writes: 0,
      writes_seen_by_blocked: 0,
      unblocked: Vec::new(),
      ready_keys: Vec::new(),
      ticks_since_release: 0,
      watches: cmd::transaction::Watches::default(),
    }
  }

  /// Resizes the database array after the configuration changed `databases` (start-up only).
  pub fn apply_databases(&mut self) {
    self.dbs.resize_with(self.config.databases, Db::default);
  }

  /// Opens a session and returns its slot number (the handle the host uses).
  pub fn open(&mut self, peer: Peer) -> u32 {
    let id = self.next_client_id;
    self.next_client_id += 1;
    self.stats.total_connections_received += 1;
    let authenticated = self.config.requirepass.is_none();
    let session = Box::new(Session::new(id, peer, now_ms(), authenticated));
    match self.free_slots.pop() {
      Some(slot) => {
        self.sessions[slot as usize] = Some(session);
        slot
      }
      None => {
        self.sessions.push(Some(session));
        (self.sessions.len() - 1) as u32
      }
    }
  }

  /// Forgets a session. Unknown slots are ignored.
  pub fn close(&mut self, slot: u32) {
    if let Some(cell) = self.sessions.get_mut(slot as usize) {
      if cell.take().is_some() {
        self.free_slots.push(slot);
        self.monitors.retain(|&s| s != slot);
        self.parked.retain(|&s| s != slot);
        self.blocked.retain(|&s| s != slot);
        self.watches.unwatch_all(slot);
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
    self.process(slot, Some(chunk))
  }

  /// Continues with the session's buffered input after the host ran a pending command.
  pub fn resume(&mut self, slot: u32) -> FeedOutput {
    self.process(slot, None)
  }

  fn process(&mut self, slot: u32, chunk: Option<&[u8]>) -> FeedOutput {
    let Some(mut session) = self.sessions.get_mut(slot as usize).and_then(Option::take) else {
      return FeedOutput { close: true, ..FeedOutput::default() };
    };
    self.clock_us = now_us();
    let mut out = Reply::with_capacity(session.resp3, 256);
    let mut result = FeedOutput::default();
    match chunk {
      // Fast path: nothing buffered, so parse the read in place and keep only its tail.
      Some(chunk) if session.input.is_empty() => {
        let consumed = self.run(slot, &mut session, chunk, &mut out, &mut result);
        if !result.close && consumed < chunk.len() {
          session.input.extend_from_slice(&chunk[consumed..]);
        }
      }
      _ => {
        let mut input = std::mem::take(&mut session.input);
        if let Some(chunk) = chunk {
          input.extend_from_slice(chunk);
        }
        let consumed = self.run(slot, &mut session, &input, &mut out, &mut result);
        input.drain(..consumed);
        session.input = input;
      }
    }
    if session.input.len() as i64 > self.config.client_query_buffer_limit {
      result.close = true;
    }
    if result.close {
      session.input = Vec::new();
    }
    self.stats.net_output_bytes += out.buf.len() as u64;
    result.reply = out.buf;
    self.sessions[slot as usize] = Some(session);
    self.wake_parked();
    self.serve_blocked();
    result
  }

  /// Whether the session in `slot` is blocked on keys.
  pub fn is_blocked(&self, slot: u32) -> bool {
    self.blocked.contains(&slot)
  }

  /// Whether any session waits on keys.
  pub fn has_blocked(&self) -> bool {
    !self.blocked.is_empty()
  }

  /// Records that a write touched `key` in database `db`, if a blocked session waits on it:
  /// the order of these calls is the order in which keys became ready.
  pub(crate) fn note_written(&mut self, db: usize, key: &[u8]) {
    let waited = self.blocked.iter().any(|&slot| {
      self.sessions[slot as usize]
        .as_ref()
        .and_then(|s| s.wait.as_ref())
        .is_some_and(|wait| wait.db == db && wait.keys.iter().any(|k| k == key))
    });
    if waited && !self.ready_keys.iter().any(|(d, k)| *d == db && k == key) {
      self.ready_keys.push((db, key.to_vec()));
    }
  }

  /// Records that the session's command blocks, keeping its place in line if it was already
  /// waiting.
  fn block(&mut self, slot: u32, session: &mut Session, request: BlockRequest) {
    let seq = match &session.wait {
      Some(wait) => wait.seq,
      None => {
        self.next_wait_seq += 1;
        self.next_wait_seq
      }
    };
    session.wait = Some(Wait {
      seq,
      deadline_ms: request.deadline_ms,
      db: session.db,
      keys: request.keys,
      end: WaitEnd::Waiting,
      ready_key: None,
    });
    if !self.blocked.contains(&slot) {
      let sessions = &self.sessions;
      let at = self.blocked.partition_point(|&other| {
        sessions[other as usize].as_ref().and_then(|s| s.wait.as_ref()).is_some_and(|w| w.seq < seq)
      });
      self.blocked.insert(at, slot);
    }
  }

  /// Re-runs the blocked commands that may now be served (a key they wait on exists after a
  /// write, or CLIENT UNBLOCK ended their wait), in the order they blocked. Their replies go
  /// to the outbox.
  fn serve_blocked(&mut self) {
    let unblocked = std::mem::take(&mut self.unblocked);
    let writes = self.writes;
    if unblocked.is_empty() && (self.blocked.is_empty() || writes == self.writes_seen_by_blocked) {
      return;
    }
    self.writes_seen_by_blocked = writes;
    let ready_keys = std::mem::take(&mut self.ready_keys);
    let now = now_ms();
    for slot in self.blocked.clone() {
      let Some(wait) = self.sessions[slot as usize].as_mut().and_then(|s| s.wait.as_mut()) else { continue };
      wait.ready_key =
        ready_keys.iter().find(|(db, key)| *db == wait.db && wait.keys.contains(key)).map(|(_, key)| key.clone());
      let db = &mut self.dbs[wait.db];
      let ready = unblocked.contains(&slot) || wait.keys.iter().any(|key| db.contains(key, now));
      if ready {
        self.rerun_blocked(slot);
      }
    }
  }

  /// Takes `slot` out of line and re-runs its input; the output goes to the outbox.
  fn rerun_blocked(&mut self, slot: u32) {
    self.blocked.retain(|&s| s != slot);
    let output = self.process(slot, None);
    if !output.reply.is_empty() {
      self.outbox.push((slot, output.reply));
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
          self.rerun_blocked(slot);
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

  /// Runs the input of parked sessions once nothing holds them any more; their replies go to
  /// the outbox (and their closes to `kills`).
  fn wake_parked(&mut self) {
    if self.parked.is_empty() || self.pause.active(now_ms()) {
      return;
    }
    for slot in std::mem::take(&mut self.parked) {
      let output = self.process(slot, None);
      if !output.reply.is_empty() {
        self.outbox.push((slot, output.reply));
      }
      if output.close {
        self.kills.push(slot);
      }
    }
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
          match flow {
            Flow::Done => {
              session.wait = None;
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

  /// Runs one command for the session in `slot` (already taken out of the slab).
  pub(crate) fn execute(&mut self, slot: u32, session: &mut Session, argv: &[&[u8]], out: &mut Reply) -> Flow {
    let now_us = self.clock_us;
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
    self.clock_us = now_us();
    let mut out = Reply { buf: buffer, resp3: session.resp3 };
    let flow = if argv.is_empty() { Flow::Done } else { self.execute(slot, &mut session, argv, &mut out) };
    self.sessions[slot as usize] = Some(session);
    let pending = match flow {
      Flow::Pending(pending) => Some(pending),
      Flow::Done | Flow::Park | Flow::Block(_) => None,
    };
    FeedOutput { reply: out.buf, pending, close: false }
  }

  /// Periodic work, called `hz` times a second by the host: active expiry, idle timeouts, and
  /// waking sessions whose pause ended.
  pub fn tick(&mut self) {
    let now = now_ms();
    self.wake_parked();
    self.expire_waits(now);
    self.ticks_since_release += 1;
    if self.ticks_since_release >= self.config.hz {
      self.ticks_since_release = 0;
      crate::alloc::release_free_memory();
    }
    self.telemetry.sample(now, &self.stats);
    if self.active_expire_enabled {
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
    if self.config.timeout > 0 {
      let limit = self.config.timeout * 1000;
      let idle: Vec<u32> = self
        .sessions()
        .filter(|(_, s)| s.peer.fd >= 0 && now - s.last_interaction_ms > limit)
        .map(|(slot, _)| slot)
        .collect();
      self.kills.extend(idle);
    }
  }
}
