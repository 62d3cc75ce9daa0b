//! SAVE and BGSAVE: the dataset written to the RDB file; BGREWRITEAOF, the AOF's new base
//! (see `aof`).
//!
//! SAVE makes the file's bytes (`rdb::file`) and hands them to the host, which writes them to
//! `dir`/`dbfilename` safely (a temporary file, fsync, rename) and reports it with
//! [`crate::Engine::saved`]. BGSAVE (and the `save` rules, from the periodic work) starts a
//! save without fork (`rdb::snapshot`): the engine walks the dataset in slices between the
//! host's other work and a thread writes the file, while commands go on.

use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::rdb::snapshot::{Destination, Purpose};
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
  if start_background_save(ctx.server, ctx.now_ms).is_err() {
    return Err(Error::coded("ERR"));
  }
  ctx.out.simple(b"Background saving started");
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

/// Starts a background save to `dir`/`dbfilename` and marks it under way.
pub(crate) fn start_background_save(server: &mut Server, now_ms: i64) -> Result<(), ()> {
  let dir = server.config.data_dir();
  let target = server.config.rdb_path();
  let temporary = dir.join(format!("temp-{}.rdb", std::process::id()));
  let state = &mut server.keyspace.bgsave;
  state.last_attempt_ms = now_ms;
  if let Err(error) =
    server.start_snapshot(Purpose::Save, Destination::File { temporary, target: Some(target) }, now_ms)
  {
    server.keyspace.bgsave.last_failed = true;
    server.telemetry.warn(format!("Can't save in background: {}", crate::error::errno_text(&error)));
    return Err(());
  }
  let state = &mut server.keyspace.bgsave;
  state.started_ms = now_ms.max(1);
  state.dirty_at_snapshot = server.keyspace.dirty;
  server.telemetry.log_lines.push(format!("Background saving started by pid {}", std::process::id()));
  Ok(())
}

/// The periodic part: a background save when the `save` rules (or a BGSAVE SCHEDULE) call for
/// one.
pub(crate) fn save_cron(server: &mut Server, now_ms: i64) {
  if !save_due(server, now_ms) {
    return;
  }
  let dirty = server.keyspace.dirty as i64;
  let rule = server.config.save_rules.iter().find(|&&(_, changes)| dirty >= changes).copied();
  if let Some((seconds, changes)) = rule.filter(|_| !server.keyspace.bgsave.scheduled) {
    server.telemetry.log_lines.push(format!("{changes} changes in {seconds} seconds. Saving..."));
  }
  server.keyspace.bgsave.scheduled = false;
  let _ = start_background_save(server, now_ms);
}

/// A background save's file is written (`ok`) or could not be.
pub(crate) fn background_save_done(server: &mut Server, ok: bool, unix_ms: i64) {
  let keyspace = &mut server.keyspace;
  let state = &mut keyspace.bgsave;
  state.last_duration_sec = (unix_ms - state.started_ms).max(0) / 1000;
  state.started_ms = 0;
  state.last_failed = !ok;
  if ok {
    state.saves += 1;
    keyspace.dirty = keyspace.dirty.saturating_sub(state.dirty_at_snapshot);
    keyspace.last_save = unix_ms / 1000;
    server.telemetry.log_lines.push("Background saving terminated with success".into());
  } else {
    server.telemetry.warn("Background saving error".into());
  }
}

/// Whether the `save` rules (or a BGSAVE SCHEDULE) call for a background save now: a rule's
/// seconds have passed since the last save with at least its number of changes, and the last
/// attempt did not fail less than 5 seconds ago.
pub(crate) fn save_due(server: &Server, now_ms: i64) -> bool {
  let state = &server.keyspace.bgsave;
  if state.in_progress() || server.snapshot_in_progress() || server.aof_rewrite_in_progress() {
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
