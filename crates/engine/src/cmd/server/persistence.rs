//! SAVE and BGSAVE: the dataset written to the RDB file; BGREWRITEAOF, the AOF's new base
//! (see `aof`).
//!
//! SAVE (and FLUSHALL under `save` rules, DEBUG RELOAD, the host's saves before exiting)
//! writes the file at once ([`save_rdb`], Redis's `rdbSave`). BGSAVE (and the `save` rules,
//! from the periodic work) starts a save without fork (`rdb::snapshot`): the engine walks the
//! dataset in slices between the host's other work and a thread writes the file, while
//! commands go on.

use crate::cmd::{is, Ctx};
use crate::error::{errno_text, CmdResult, Error};
use crate::rdb::snapshot::{key_save_time, Destination, Purpose};
use crate::server::Server;
use std::fs::File;
use std::io::Write as _;
use std::path::Path;

const IN_PROGRESS: &str = "Background save already in progress";
const OTHER_CHILD: &str = "Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in \
                           order to schedule a BGSAVE whenever possible.";

/// SAVE
pub fn save(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.server.keyspace.bgsave.in_progress() {
    return Err(Error::err(IN_PROGRESS));
  }
  // Redis's bare `-ERR` when the file could not be written; the log says why.
  save_rdb(ctx.server, ctx.now_ms).map_err(|()| Error::coded("ERR"))?;
  ctx.out.ok();
  Ok(())
}

/// Writes the dataset to `dir`/`dbfilename` now (Redis's `rdbSave`), through [`replace_file`].
/// Afterwards no change is unsaved. A failure is logged with Redis's line. Under
/// `rdb-key-save-delay` it takes as long as Redis's save, which sleeps after each key; the
/// server waits meanwhile, as Redis's does.
pub(crate) fn save_rdb(server: &mut Server, now_ms: i64) -> Result<(), ()> {
  let file = crate::rdb::file::write_snapshot(server, now_ms);
  std::thread::sleep(key_save_time(server.config.rdb_key_save_delay, server.keyspace.key_count()));
  let dir = server.config.data_dir();
  let temporary_name = format!("temp-{}.rdb", std::process::id());
  let target = server.config.rdb_path();
  if let Err(failure) = replace_file(&dir.join(&temporary_name), &target, &file) {
    let root = std::fs::canonicalize(&dir).unwrap_or(dir).display().to_string();
    let line = match failure {
      SaveFailure::Open(error) => format!(
        "Failed opening the temp RDB file {temporary_name} (in server root dir {root}) for saving: {}",
        errno_text(&error)
      ),
      SaveFailure::Write(error) => format!("Write error saving DB on disk: {}", errno_text(&error)),
      SaveFailure::Rename(error) => format!(
        "Error moving temp DB file {temporary_name} on the final destination {} (in server root dir {root}): {}",
        target.file_name().unwrap_or_default().to_string_lossy(),
        errno_text(&error)
      ),
    };
    server.telemetry.warn(line);
    return Err(());
  }
  server.telemetry.notice("DB saved on disk".into());
  let keyspace = &mut server.keyspace;
  keyspace.dirty = 0;
  keyspace.last_save = now_ms / 1000;
  keyspace.bgsave.saves += 1;
  keyspace.bgsave.last_failed = false;
  Ok(())
}

/// The step at which replacing a file failed, which Redis's log lines name.
pub(crate) enum SaveFailure {
  Open(std::io::Error),
  Write(std::io::Error),
  Rename(std::io::Error),
}

impl SaveFailure {
  pub(crate) fn into_error(self) -> std::io::Error {
    match self {
      SaveFailure::Open(error) | SaveFailure::Write(error) | SaveFailure::Rename(error) => error,
    }
  }
}

/// Replaces `target` with `bytes` durably: they go to `temporary` (in the same directory),
/// which is flushed to disk and renamed over `target`, then the directory is flushed, so that
/// after a crash either the old or the new file is there. On failure the temporary file is
/// removed.
pub(crate) fn replace_file(temporary: &Path, target: &Path, bytes: &[u8]) -> Result<(), SaveFailure> {
  let mut file = File::create(temporary).map_err(SaveFailure::Open)?;
  let written = file.write_all(bytes).and_then(|()| file.sync_all()).map_err(SaveFailure::Write);
  let moved = written.and_then(|()| std::fs::rename(temporary, target).map_err(SaveFailure::Rename));
  if moved.is_err() {
    let _ = std::fs::remove_file(temporary);
    return moved;
  }
  let dir = target.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
  let _ = File::open(dir).and_then(|dir| dir.sync_all());
  Ok(())
}

/// Before exiting: stops the background save under way, if there is one, with Redis's line.
pub(crate) fn kill_background_save(server: &mut Server) {
  if server.keyspace.bgsave.in_progress() {
    server.telemetry.warn("There is a child saving an .rdb. Killing it!".into());
    stop_background_save(server);
  }
}

/// Stops the background save under way, if there is one, without counting it as failed
/// (Redis's `killRDBChild`): its temporary file is deleted.
pub(crate) fn stop_background_save(server: &mut Server) {
  if server.keyspace.bgsave.in_progress() {
    server.abandon_snapshot();
    server.keyspace.bgsave.started_ms = 0;
  }
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
