//! Blocked sessions: commands that wait for a key (BLPOP, BZPOPMIN, BLMOVE…).
//!
//! A blocking command that finds nothing to serve calls [`Ctx::block_on`]. The session is then
//! parked with that command still at the head of its input; nothing after it runs, and it is
//! listed among the waiters of its keys in its database (`Db::waiters`). When a waited-on key
//! is created, the database marks it ready (as Redis's `signalKeyAsReady`); once the command
//! that created it is done, the engine re-runs the waiters of each ready key, first blocked
//! first: a command that still finds nothing (the key was deleted again, or holds another type)
//! blocks again and keeps its place in line. When the timeout passes, the command is re-run
//! once more and, seeing its time is up, writes its timeout reply (`on_timeout`) instead.
//! CLIENT UNBLOCK ends the wait the same way, with the timeout reply or an error.
//!
//! Re-running the command (as Redis 7.2 does) keeps each command's logic in one place: the
//! code that serves a ready key is the code that ran in the first place. When one command (an
//! EXEC, say) makes several keys of a waiter ready, Redis serves the key that became ready
//! first; the engine hands the re-run command the key it serves it for as `Wait::ready_key`,
//! which multi-key commands try first ([`Ctx::ready_first`]).
//!
//! A command that must see something the same way on every re-run stores it in the wait when it
//! first blocks: XREAD resolves `$` to the stream's last ID at that moment, and keeps those IDs
//! in [`Wait::stream_ids`] (see [`Ctx::block_on_streams`]), since by the time it is re-run the
//! stream has grown.
//!
//! [`Ctx::ready_first`]: crate::cmd::Ctx::ready_first
//!
//! [`Ctx::block_on_streams`]: crate::cmd::Ctx::block_on_streams
//!
//! [`Ctx::block_on`]: crate::cmd::Ctx::block_on

use crate::types::stream::StreamId;

/// How a wait ended early, set on the session before its command is re-run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WaitEnd {
  /// Still waiting (or first run).
  Waiting,
  /// The timeout passed, or CLIENT UNBLOCK … TIMEOUT.
  TimedOut,
  /// CLIENT UNBLOCK … ERROR.
  Error,
  /// The server became a replica (REPLICAOF): the client is told so and disconnected.
  RoleChanged,
}

/// A session's wait, kept across re-runs of its command.
#[derive(Clone, Debug)]
pub struct Wait {
  /// Position in line: earlier blocks are served first.
  pub seq: u64,
  /// Unix milliseconds at which to give up, or 0 to wait forever.
  pub deadline_ms: i64,
  pub db: usize,
  pub keys: Vec<Vec<u8>>,
  pub end: WaitEnd,
  /// For a re-run: the first of `keys` that writes made ready since the last serve.
  pub ready_key: Option<Vec<u8>>,
  /// XREAD: for each key, the ID after which entries are served (`$` resolved when the command
  /// first blocked). Empty for other commands.
  pub stream_ids: Vec<StreamId>,
}

/// What a blocking command asked for, picked up by the dispatcher.
pub struct BlockRequest {
  pub keys: Vec<Vec<u8>>,
  pub deadline_ms: i64,
  /// Becomes [`Wait::stream_ids`].
  pub stream_ids: Vec<StreamId>,
}

/// The blocking part of the server: who waits, and the CLIENT PAUSE that may hold them.
#[derive(Default)]
pub struct Blocking {
  pub pause: Pause,
  /// Sessions whose next command waits (for a CLIENT PAUSE to end, or for another session's
  /// CONFIG SET); their input is kept.
  pub(crate) parked: Vec<u32>,
  /// The session whose CONFIG SET the host is applying (moving listeners, loading TLS files),
  /// until it resumes the session: CONFIG SETs run one at a time, as in Redis.
  pub(crate) config_applying: Option<u32>,
  /// Sessions blocked on keys (their keys are in each database's `waiters`).
  pub(crate) blocked: Vec<u32>,
  /// Sessions whose wait CLIENT UNBLOCK or a timeout ended, to run once the current command
  /// is done.
  pub(crate) unblocked: Vec<u32>,
  /// The sequence number of the last wait begun (waits are served in this order).
  pub(crate) last_wait_seq: u64,
}

impl Blocking {
  /// Whether the session in `slot` is blocked on keys.
  pub fn is_blocked(&self, slot: u32) -> bool {
    self.blocked.contains(&slot)
  }

  /// Number of blocked sessions (INFO `blocked_clients`): waiting for keys, or held by a
  /// CLIENT PAUSE, as Redis counts them.
  pub fn count(&self) -> usize {
    self.blocked.len() + self.parked.len()
  }

  /// Holds `session`, in `slot`, until the pause ends, its command still at the head of its
  /// input; a session already held (more of its input arrived, and its first command parked
  /// again) is listed once.
  pub(crate) fn park(&mut self, slot: u32, session: &mut crate::session::Session) {
    session.parked = true;
    if !self.parked.contains(&slot) {
      self.parked.push(slot);
    }
  }

  /// Forgets a session that closed.
  pub(crate) fn forget(&mut self, slot: u32) {
    if self.config_applying == Some(slot) {
      self.config_applying = None;
    }
    self.parked.retain(|&s| s != slot);
    self.unblocked.retain(|&s| s != slot);
  }
}

/// A CLIENT PAUSE in effect: until when, and whether only writes wait.
#[derive(Default)]
pub struct Pause {
  /// CLIENT PAUSE: until when, and whether it holds writes only.
  pub until_ms: i64,
  pub writes_only: bool,
  /// FAILOVER holds writes until it ends, whatever CLIENT PAUSE and UNPAUSE do.
  pub failover: bool,
  /// So does a shutdown that waits for replicas.
  pub shutdown: bool,
}

impl Pause {
  pub fn active(&self, now_ms: i64) -> bool {
    now_ms < self.until_ms || self.holds_writes()
  }

  /// FAILOVER or a shutdown holds writes.
  fn holds_writes(&self) -> bool {
    self.failover || self.shutdown
  }

  /// Starts or extends a pause. Like Redis, an active pause keeps the later end time and the
  /// stricter kind (ALL over WRITE).
  pub fn start(&mut self, now_ms: i64, until_ms: i64, writes_only: bool) {
    if now_ms < self.until_ms {
      self.until_ms = self.until_ms.max(until_ms);
      self.writes_only &= writes_only;
    } else {
      (self.until_ms, self.writes_only) = (until_ms, writes_only);
    }
  }

  /// CLIENT UNPAUSE: ends CLIENT PAUSE's pause (not FAILOVER's).
  pub fn end(&mut self) {
    self.until_ms = 0;
  }

  /// Whether some command may have to wait now (before working out whether it writes).
  #[inline]
  pub fn may_hold(&self, now_ms: i64) -> bool {
    now_ms < self.until_ms || self.holds_writes()
  }

  /// Whether a command must wait.
  pub fn holds(&self, now_ms: i64, is_write: bool) -> bool {
    (now_ms < self.until_ms && (is_write || !self.writes_only)) || (self.holds_writes() && is_write)
  }
}
