//! SAVE and BGSAVE: the dataset written to the RDB file; BGREWRITEAOF, the AOF's new base
//! (see `aof`).
//!
//! The engine makes the file's bytes (`rdb::file`); the host, which owns the disk, writes them
//! to `dir`/`dbfilename` safely (a temporary file, fsync, rename). SAVE waits for the write and
//! reports it with [`crate::Engine::saved`]; BGSAVE (and the `save` rules, from the periodic
//! work) takes the snapshot now and lets the host write it while commands go on, reporting
//! the end with [`crate::Engine::background_save_done`]. The snapshot itself is taken on the
//! main thread, in one go.

use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::server::Server;

const IN_PROGRESS: &str = "Background save already in progress";
const OTHER_CHILD: &str = "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in \
                           order to schedule a BGSAVE whenever possible.";

/// SAVE
pub fn save(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.server.keyspace.bgsave.in_progress() {
    return Err(Error::err(IN_PROGRESS));
  }
  let file = crate::rdb::file::write_snapshot(ctx.server, ctx.now_ms);
  ctx.hand_over("save", vec![file]);
  Ok(())
}

/// BGSAVE [SCHEDULE]
pub fn bgsave(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let schedule = match argv.len() {
    1 => false,
    2 if is(argv[1], "schedule") => true,
    _ => return Err(Error::Syntax),
  };
  if ctx.server.keyspace.bgsave.in_progress() {
    return Err(Error::err(IN_PROGRESS));
  }
  if ctx.server.aof_rewrite_in_progress() || ctx.session.in_exec {
    if !schedule && !ctx.session.in_exec {
      return Err(Error::err(OTHER_CHILD));
    }
    ctx.server.keyspace.bgsave.scheduled = true;
    ctx.out.simple(b"Background saving scheduled");
    return Ok(());
  }
  let file = background_snapshot(ctx.server, ctx.now_ms);
  ctx.hand_over("bgsave", vec![file]);
  Ok(())
}

/// BGREWRITEAOF
pub fn bgrewriteaof(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.server.aof_rewrite_in_progress() {
    return Err(Error::err("Background append only file rewriting already in progress"));
  }
  if ctx.server.keyspace.bgsave.in_progress() || ctx.session.in_exec {
    ctx.server.aof.rewrite_scheduled = true;
    ctx.server.aof.reset_rewrite_failures();
    ctx.out.simple(b"Background append only file rewriting scheduled");
    return Ok(());
  }
  if ctx.server.start_rewrite().is_err() {
    return Err(Error::err(
      "Can't execute an AOF background rewriting. Please check the server logs for more information.",
    ));
  }
  ctx.out.simple(b"Background append only file rewriting started");
  Ok(())
}

/// Takes the snapshot of a background save and marks it under way.
pub(crate) fn background_snapshot(server: &mut Server, now_ms: i64) -> Vec<u8> {
  let file = crate::rdb::file::write_snapshot(server, now_ms);
  let state = &mut server.keyspace.bgsave;
  state.started_ms = now_ms.max(1);
  state.dirty_at_snapshot = server.keyspace.dirty;
  state.last_attempt_ms = now_ms;
  server.telemetry.log_lines.push(format!("Background saving started by pid {}", std::process::id()));
  file
}

/// Whether the `save` rules (or a BGSAVE SCHEDULE) call for a background save now: a rule's
/// seconds have passed since the last save with at least its number of changes, and the last
/// attempt did not fail less than 5 seconds ago.
pub(crate) fn save_due(server: &Server, now_ms: i64) -> bool {
  let state = &server.keyspace.bgsave;
  if state.in_progress() || server.aof_rewrite_in_progress() {
    return false;
  }
  if state.scheduled {
    return true;
  }
  let elapsed = now_ms / 1000 - server.keyspace.last_save;
  let dirty = server.keyspace.dirty as i64;
  let retry_ok = !state.last_failed || now_ms - state.last_attempt_ms >= 5000;
  retry_ok && server.config.save_rules.iter().any(|&(seconds, changes)| dirty >= changes && elapsed >= seconds)
}
