//! DEL and UNLINK: removing keys.
//!
//! Both count only keys that were live: an expired key found on the way is reclaimed as an
//! expiry, not counted as deleted. UNLINK differs from DEL only by freeing large values on the
//! `lazyfree` thread (DEL too, under `lazyfree-lazy-user-del`). Each removed key is one change
//! with its own `del` event; the command is propagated as called.

use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::CmdResult;

/// DEL key [key ...]: the number of keys removed.
pub fn del(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let lazy = ctx.server.config.lazyfree_lazy_user_del;
  let removed = remove_keys(ctx, &argv[1..], lazy);
  ctx.out.int(removed);
  Ok(())
}

/// UNLINK key [key ...]: the number of keys removed.
pub fn unlink(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let removed = remove_keys(ctx, &argv[1..], true);
  ctx.out.int(removed);
  Ok(())
}

/// Removes each live key of `keys` (a key named twice is removed once) and returns how many;
/// `lazy`: large values go to the `lazyfree` thread.
pub(super) fn remove_keys(ctx: &mut Ctx, keys: &[&[u8]], lazy: bool) -> i64 {
  let now = ctx.now_ms;
  let mut removed = 0;
  for key in keys {
    let db = ctx.db();
    if let Some(pos) = db.live_position(key, now) {
      let entry = db.remove_at(pos);
      if lazy {
        ctx.server.lazyfree.free(entry.value);
      }
      ctx.changed(notify::GENERIC, "del", key);
      removed += 1;
    }
  }
  removed
}
