//! The slow log: commands that took longer than `slowlog-log-slower-than` microseconds, kept
//! in a ring of at most `slowlog-max-len` entries (SLOWLOG GET/LEN/RESET/HELP).
//!
//! [`record`] runs after every command. It also feeds the latency measurements (see
//! `latency.rs`), so the dispatcher has one place to report a command's duration. Secrets are
//! never logged: the arguments of AUTH, of HELLO's AUTH option, of ACL SETUSER and MIGRATE's
//! AUTH/AUTH2 options, and the values of sensitive parameters in CONFIG SET are shown as
//! `(redacted)`, as in Redis.

use super::{help_reply, latency, subcommand_error};
use crate::cmd::table::{flags, CommandSpec};
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;
use std::collections::VecDeque;

/// Arguments kept per entry; the rest are summarised.
const MAX_ARGS: usize = 32;
/// Bytes kept per argument; the rest are summarised.
const MAX_ARG_LEN: usize = 128;
/// What a hidden argument is replaced by.
const REDACTED: &[u8] = b"(redacted)";

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

/// Records the command just run: its latency measurements and, if it was slow enough, a slow
/// log entry.
pub fn record(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]], duration_us: u64) {
  latency::observe(ctx, spec, duration_us);
  let threshold = ctx.server.config.slowlog_log_slower_than;
  let max_len = ctx.server.config.slowlog_max_len.max(0) as usize;
  if threshold < 0 || max_len == 0 || spec.has(flags::SKIP_SLOWLOG) || (duration_us as i64) < threshold {
    return;
  }
  let hidden = redacted_positions(spec, argv);
  let mut args: Vec<Vec<u8>> = Vec::with_capacity(argv.len().min(MAX_ARGS));
  for (i, arg) in argv.iter().enumerate() {
    if i == MAX_ARGS - 1 && argv.len() > MAX_ARGS {
      args.push(format!("... ({} more arguments)", argv.len() - MAX_ARGS + 1).into_bytes());
      break;
    }
    let arg: &[u8] = if hidden.contains(&i) { REDACTED } else { arg };
    if arg.len() > MAX_ARG_LEN {
      let mut kept = arg[..MAX_ARG_LEN].to_vec();
      kept.extend_from_slice(format!("... ({} more bytes)", arg.len() - MAX_ARG_LEN).as_bytes());
      args.push(kept);
    } else {
      args.push(arg.to_vec());
    }
  }
  let log = &mut ctx.server.telemetry.slowlog;
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

/// Positions of the arguments that carry secrets (MONITOR hides them too).
pub(crate) fn redacted_positions(spec: &CommandSpec, argv: &[&[u8]]) -> Vec<usize> {
  match spec.name {
    "auth" => (1..argv.len()).collect(),
    "acl|setuser" => (2..argv.len()).collect(),
    "hello" => match argv.iter().position(|a| is(a, "AUTH")) {
      Some(at) => vec![at + 1, at + 2],
      None => Vec::new(),
    },
    "migrate" => {
      let mut hidden = Vec::new();
      for (i, arg) in argv.iter().enumerate().skip(6) {
        if is(arg, "AUTH") {
          hidden.push(i + 1);
        } else if is(arg, "AUTH2") {
          hidden.extend([i + 1, i + 2]);
        }
      }
      hidden
    }
    "config|set" => (2..argv.len())
      .step_by(2)
      .filter(|&i| super::config::find(argv[i]).is_some_and(|p| p.sensitive))
      .map(|i| i + 1)
      .collect(),
    _ => Vec::new(),
  }
}

/// SLOWLOG GET [count]: the `count` most recent entries (10 by default, all with -1), newest
/// first, each as [id, time, duration, arguments, client address, client name].
pub fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 3 {
    return Err(subcommand_error(argv));
  }
  let log = &ctx.server.telemetry.slowlog;
  let count = match argv.get(2) {
    None => 10,
    Some(arg) => match parse_i64(arg) {
      Some(-1) => log.entries.len(),
      Some(n) if n >= 0 => n as usize,
      _ => return Err(Error::err("count should be greater than or equal to -1")),
    },
  };
  let entries: Vec<&SlowlogEntry> = log.entries.iter().take(count).collect();
  ctx.out.array(entries.len());
  for entry in entries {
    ctx.out.array(6);
    ctx.out.int(entry.id as i64);
    ctx.out.int(entry.time);
    ctx.out.int(entry.duration_us as i64);
    ctx.out.array(entry.args.len());
    for arg in &entry.args {
      ctx.out.bulk(arg);
    }
    ctx.out.bulk(entry.peer.as_bytes());
    ctx.out.bulk(&entry.client_name);
  }
  Ok(())
}

/// SLOWLOG LEN
pub fn len(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.int(ctx.server.telemetry.slowlog.entries.len() as i64);
  Ok(())
}

/// SLOWLOG RESET: empties the log (entry ids keep increasing).
pub fn reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.server.telemetry.slowlog.entries.clear();
  ctx.out.ok();
  Ok(())
}

/// SLOWLOG HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "SLOWLOG",
    &[
      "GET [<count>]",
      "    Reply with the <count> most recent entries of the slow log, newest first",
      "    (10 by default, all of them with -1). Each entry holds: an id, the Unix time,",
      "    the duration in microseconds, the arguments, the client's address and the",
      "    client's name.",
      "LEN",
      "    Reply with the number of entries in the slow log.",
      "RESET",
      "    Empty the slow log.",
    ],
  );
  Ok(())
}
