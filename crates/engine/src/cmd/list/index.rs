//! LLEN, LINDEX, LSET, LRANGE and LTRIM: access by position.
//!
//! Positions count from 0 at the head; negative ones count from the tail (-1 is the last
//! element). LRANGE and LTRIM clamp their range to the list like Redis; LINDEX and LSET do
//! not. Argument and key checks follow Redis's order for each command: LRANGE and LTRIM parse
//! their numbers before looking the key up, LINDEX and LSET after.

use super::{as_list, resolve_index, resolve_range};
use crate::bytes::SmallBytes;
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};

/// LLEN key: the number of elements (0 for a missing key).
pub fn llen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let len = as_list(entry)?.map_or(0, |list| list.len());
  out.int(len as i64);
  Ok(())
}

/// LINDEX key index: the element at `index`, or null.
pub fn lindex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(list) = as_list(entry)? else {
    out.null();
    return Ok(());
  };
  let index = int_arg(argv[2])?;
  match resolve_index(index, list.len()).and_then(|i| list.get(i)) {
    Some(item) => out.bulk(item),
    None => out.null(),
  }
  Ok(())
}

/// LSET key index element: replaces the element at `index`. Errors for a missing key or an
/// index outside the list.
pub fn lset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_write(argv[1]);
  let Some(list) = as_list(entry)? else {
    return Err(Error::NoSuchKey);
  };
  let index = int_arg(argv[2])?;
  let replaced = match resolve_index(index, list.len()) {
    Some(i) => list.set(i, SmallBytes::new(argv[3])),
    None => false,
  };
  if !replaced {
    return Err(Error::err("index out of range"));
  }
  out.ok();
  ctx.changed(notify::LIST, "lset", argv[1]);
  Ok(())
}

/// LRANGE key start stop: the elements from `start` to `stop` inclusive.
pub fn lrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let start = int_arg(argv[2])?;
  let stop = int_arg(argv[3])?;
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(list) = as_list(entry)? else {
    out.array(0);
    return Ok(());
  };
  match resolve_range(start, stop, list.len()) {
    None => out.array(0),
    Some((start, stop)) => {
      out.array(stop - start + 1);
      for item in list.range(start, stop) {
        out.bulk(item);
      }
    }
  }
  Ok(())
}

/// LTRIM key start stop: keeps only the elements from `start` to `stop` inclusive; a range
/// that selects nothing deletes the key.
///
/// Like Redis, an existing list is reported modified (and gets its `ltrim` event) even when
/// the range keeps every element; only the count of changes, and so propagation, tells.
pub fn ltrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let start = int_arg(argv[2])?;
  let stop = int_arg(argv[3])?;
  let (entry, out) = ctx.lookup_write(key);
  let Some(list) = as_list(entry)? else {
    out.ok();
    return Ok(());
  };
  let len = list.len();
  let kept = match resolve_range(start, stop, len) {
    Some((start, stop)) => {
      list.trim(start, stop);
      stop - start + 1
    }
    None => 0,
  };
  ctx.notify(notify::LIST, "ltrim", key);
  if kept == 0 {
    ctx.db().remove(key);
    ctx.notify(notify::GENERIC, "del", key);
  }
  ctx.modified(key);
  ctx.dirty((len - kept) as u64);
  ctx.out.ok();
  Ok(())
}
