//! The slow log: commands that took longer than `slowlog-log-slower-than` microseconds, kept
//! in a ring of at most `slowlog-max-len` entries (SLOWLOG GET/LEN/RESET).

use crate::cmd::table::{flags, CommandSpec};
use crate::cmd::Ctx;
use std::collections::VecDeque;

/// Arguments kept per entry; the rest are summarised.
const MAX_ARGS: usize = 32;
/// Bytes kept per argument; the rest are summarised.
const MAX_ARG_LEN: usize = 128;

pub struct SlowlogEntry {
  pub id: u64,
  pub time: i64,
  pub duration_us: u64,
  pub args: Vec<Vec<u8>>,
  pub peer: String,
  pub client_name: Vec<u8>,
}

#[derive(Default)]
pub struct Slowlog {
  pub entries: VecDeque<SlowlogEntry>,
  pub next_id: u64,
}

/// Records the command just run if it was slow enough.
pub fn record(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]], duration_us: u64) {
  let threshold = ctx.engine.config.slowlog_log_slower_than;
  if threshold < 0 || spec.has(flags::SKIP_SLOWLOG) || (duration_us as i64) < threshold {
    return;
  }
  let mut args: Vec<Vec<u8>> = Vec::with_capacity(argv.len().min(MAX_ARGS));
  for (i, arg) in argv.iter().enumerate() {
    if i == MAX_ARGS - 1 && argv.len() > MAX_ARGS {
      args.push(format!("... ({} more arguments)", argv.len() - MAX_ARGS + 1).into_bytes());
      break;
    }
    if arg.len() > MAX_ARG_LEN {
      let mut kept = arg[..MAX_ARG_LEN].to_vec();
      kept.extend_from_slice(format!("... ({} more bytes)", arg.len() - MAX_ARG_LEN).as_bytes());
      args.push(kept);
    } else {
      args.push(arg.to_vec());
    }
  }
  let max_len = ctx.engine.config.slowlog_max_len.max(0) as usize;
  let log = &mut ctx.engine.slowlog;
  log.entries.push_front(SlowlogEntry {
    id: log.next_id,
    time: ctx.now_ms / 1000,
    duration_us,
    args,
    peer: ctx.session.peer.addr.clone(),
    client_name: ctx.session.name.clone().unwrap_or_default(),
  });
  log.next_id += 1;
  log.entries.truncate(max_len);
}
