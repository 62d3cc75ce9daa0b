//! MONITOR: streams every command the server runs to the monitoring connections.
//!
//! Each executed command (except administrative ones and those flagged skip_monitor) becomes
//! one line, as Redis writes it:
//! `+1700000000.123456 [0 127.0.0.1:50000] "set" "key" "value"`
//! Passwords (AUTH's, HELLO … AUTH's, MIGRATE's) show as `(redacted)`, as in the slow log.
//! Lines go to the monitors' queued output (see `output.rs`).

use crate::cmd::table::{flags, CommandSpec};
use crate::cmd::Ctx;
use crate::error::CmdResult;

/// MONITOR: turns this connection into a monitor. A connection already monitoring gets no reply.
pub fn monitor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.session.deny_blocking() {
    return Err(crate::error::Error::err("MONITOR isn't allowed for DENY BLOCKING client"));
  }
  if ctx.session.monitor {
    return Ok(());
  }
  ctx.session.monitor = true;
  ctx.server.clients.monitors.push(ctx.slot);
  ctx.out.ok();
  Ok(())
}

/// Sends the command just run to every monitor (called by the dispatcher).
pub(crate) fn feed(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]]) {
  if spec.has(flags::ADMIN) || spec.has(flags::SKIP_MONITOR) {
    return;
  }
  if ctx.server.clients.monitors.is_empty() {
    return;
  }
  let hidden = crate::cmd::server::slowlog::redacted_positions(spec, argv);
  feed_hiding(ctx, argv, &hidden);
}

/// Sends a command to every monitor, whatever its flags: EVAL shows itself this way, before the
/// commands its script calls.
pub(crate) fn feed_command(ctx: &mut Ctx, argv: &[&[u8]]) {
  feed_hiding(ctx, argv, &[]);
}

/// Sends a command to every monitor, the arguments at `hidden` (passwords) as `(redacted)`.
fn feed_hiding(ctx: &mut Ctx, argv: &[&[u8]], hidden: &[usize]) {
  let started_us = ctx.now_us;
  if ctx.server.clients.monitors.is_empty() {
    return;
  }
  let origin = match ctx.session.peer.origin {
    crate::session::Origin::Network => ctx.session.peer.addr.as_str(),
    crate::session::Origin::Script => "lua",
    _ => "embedded",
  };
  let mut line =
    format!("{}.{:06} [{} {}]", started_us / 1_000_000, started_us % 1_000_000, ctx.session.db, origin).into_bytes();
  for (i, arg) in argv.iter().enumerate() {
    line.extend_from_slice(b" \"");
    let shown: &[u8] = if hidden.contains(&i) { b"(redacted)" } else { arg };
    crate::cstr::escape_repr(&mut line, shown);
    line.push(b'"');
  }
  line.extend_from_slice(b"\r\n");
  for slot in ctx.server.clients.monitors.clone() {
    if slot == ctx.slot {
      continue;
    }
    ctx.server.send(slot, |out| {
      out.raw(b"+");
      out.raw(&line);
    });
  }
}
