//! LMOVE and RPOPLPUSH: popping from one list and pushing onto another, atomically.
//!
//! The element is moved without being copied. Source and destination may be the same key,
//! which rotates the list. As in Redis, the destination's type is checked only when the source
//! has something to move, and before anything changes. BLMOVE and BRPOPLPUSH
//! (`blocking.rs`) serve through the same [`move_element`].

use super::{as_list, end_arg, insert_list, End};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::types::list::List;

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT: the moved element, or null if the source
/// is empty.
pub fn lmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let from = end_arg(argv[3])?;
  let to = end_arg(argv[4])?;
  if !move_element(ctx, argv[1], argv[2], from, to)? {
    ctx.out.null();
  }
  Ok(())
}

/// RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT.
pub fn rpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if !move_element(ctx, argv[1], argv[2], End::Right, End::Left)? {
    ctx.out.null();
  }
  Ok(())
}

/// Moves one element from the `from` end of `src` to the `to` end of `dst` and replies with
/// it. Returns false, replying nothing, when `src` does not exist.
pub(super) fn move_element(ctx: &mut Ctx, src: &[u8], dst: &[u8], from: End, to: End) -> Result<bool, Error> {
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
  out.bulk(&item);
  if src == dst {
    to.push(source, item);
    return Ok(true);
  }
  if source.is_empty() {
    ctx.db().remove(src);
  }
  if dst_exists {
    if let Some(destination) = as_list(ctx.lookup_write(dst).0)? {
      to.push(destination, item);
    }
  } else {
    let mut list = List::new();
    list.push_back(item);
    insert_list(ctx, dst, list);
  }
  Ok(true)
}
