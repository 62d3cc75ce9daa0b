//! Generic keyspace commands: existence, deletion, renaming, expiry, scanning and databases.

use super::Ctx;
use crate::error::CmdResult;

/// DEL key [key ...]: the number of keys removed.
pub fn del(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  let db = ctx.db();
  let removed = argv[1..].iter().filter(|key| db.live_position(key, now).is_some() && db.remove(key).is_some()).count();
  ctx.out.int(removed as i64);
  Ok(())
}
