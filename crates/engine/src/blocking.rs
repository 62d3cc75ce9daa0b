//! Blocked sessions: commands that wait for a key (BLPOP, BZPOPMIN, BLMOVE…).
//!
//! A blocking command that finds nothing to serve calls [`Ctx::block_on`]. The session is then
//! parked with that command still at the head of its input; nothing after it runs. Whenever a
//! write command ran, the engine re-runs, in the order they blocked, the commands of sessions
//! waiting on a key that now exists in their database: a command that still finds nothing
//! blocks again and keeps its place in line. When the timeout passes, the command is re-run
//! once more and, seeing its time is up, writes its timeout reply (`on_timeout`) instead.
//! CLIENT UNBLOCK ends the wait the same way, with the timeout reply or an error.
//!
//! Re-running the command (as Redis 7.2 does) keeps each command's logic in one place: the
//! code that serves a ready key is the code that ran in the first place. When one command (an
//! EXEC, say) makes several keys of a waiter ready, Redis serves the key that became ready
//! first; the engine records the order in which writes touched waited-on keys and hands the
//! re-run command its earliest one as `Wait::ready_key`, which multi-key commands try first
//! ([`Ctx::ready_first`]).
//!
//! [`Ctx::ready_first`]: crate::cmd::Ctx::ready_first
//!
//! [`Ctx::block_on`]: crate::cmd::Ctx::block_on

/// How a wait ended early, set on the session before its command is re-run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WaitEnd {
  /// Still waiting (or first run).
  Waiting,
  /// The timeout passed, or CLIENT UNBLOCK … TIMEOUT.
  TimedOut,
  /// CLIENT UNBLOCK … ERROR.
  Error,
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
}

/// What a blocking command asked for, picked up by the dispatcher.
pub struct BlockRequest {
  pub keys: Vec<Vec<u8>>,
  pub deadline_ms: i64,
}
