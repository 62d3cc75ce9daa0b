//! LMOVE and RPOPLPUSH: popping from one list and pushing onto another, atomically.
//!
//! The element is moved without being copied. Source and destination may be the same key,
//! which rotates the list. As in Redis, the destination's type is checked only when the source
//! has something to move, and before anything changes. BLMOVE and BRPOPLPUSH
//! (`blocking.rs`) serve through the same [`move_element`].
//!
//! As in Redis, the destination's push event comes before the source's pop event (and its
//! `del` when the move emptied it).

use super::{as_list, end_arg, insert_list, End};
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::types::list::List;

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT: the moved element, or null if the source
/// is empty.
pub fn lmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let from = end_arg(argv[3])?;
  let to = end_arg(argv[4])?;
  if !move_element(ctx, argv[1], argv[2], from, to, true)? {
    ctx.out.null();
  }
  Ok(())
}

/// RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT.
pub fn rpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if !move_element(ctx, argv[1], argv[2], End::Right, End::Left, true)? {
    ctx.out.null();
  }
  Ok(())
}

/// Moves one element from the `from` end of `src` to the `to` end of `dst`, replies with it
/// and reports the move. Returns false, replying nothing, when `src` does not exist.
///
/// `counted` is false for a BLMOVE served after it blocked: Redis then reports the push on
/// the destination and the pop events, but neither counts a change nor marks the source
/// modified (the write that woke the waiter did).
pub(super) fn move_element(
  ctx: &mut Ctx,
  src: &[u8],
  dst: &[u8],
  from: End,
  to: End,
  counted: bool,
) -> Result<bool, Error> {
  if as_list(ctx.lookup_write(src).0)?.is_none() {
    return Ok(false);
  }
  let dst_exists = as_list(ctx.lookup_write(dst).0)?.is_some();
  // The destination lookup may have reclaimed an expired key and moved entries: find the
  // source again.
  let (entry, out) = ctx.lookup_write(src);
  let Some(source) = as_list(entry)? else {
    return Ok(false);
  };
  let Some(item) = from.pop(source) else {
    return Ok(false);
  };
  let reply_at = out.buf.len();
  out.bulk(&item);
  let emptied = if src == dst {
    to.push(source, item);
    false
  } else {
    let emptied = source.is_empty();
    if dst_exists {
      if let Some(destination) = as_list(ctx.lookup_write(dst).0)? {
        to.push(destination, item);
      }
    } else {
      let mut list = List::new();
      list.push_back(item);
      insert_list(ctx, dst, list);
    }
    emptied
  };
  // The push event (and the destination's `new` one) goes before the element, as in Redis.
  ctx.notify_at(reply_at, notify::LIST, to.push_event(), dst);
  ctx.modified(dst);
  ctx.notify(notify::LIST, from.pop_event(), src);
  if emptied {
    ctx.db().remove(src);
    ctx.notify(notify::GENERIC, "del", src);
  }
  if counted {
    ctx.modified(src);
    ctx.dirty(1);
  }
  Ok(true)
}
