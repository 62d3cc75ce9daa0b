//! SAVE: the dataset written to the RDB file.
//!
//! The engine makes the file's bytes (`rdb::file`); the host, which owns the disk, writes them
//! to `dir`/`dbfilename` safely (a temporary file, fsync, rename) and reports success with
//! [`crate::Engine::saved`], which resets the change count and sets LASTSAVE.

use crate::cmd::Ctx;
use crate::error::CmdResult;

/// SAVE
pub fn save(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let used = super::sysinfo::resident_memory();
  let file = crate::rdb::file::write_snapshot(ctx.server, ctx.now_ms, used);
  ctx.hand_over("save", vec![file]);
  Ok(())
}
