//! LPUSH, RPUSH, LPUSHX and RPUSHX: adding elements at either end of a list.
//!
//! The elements are pushed one at a time in argument order, so `LPUSH k a b c` leaves
//! `c b a` at the head. The plain forms create the key; the X forms only touch an existing
//! list and reply 0 otherwise (changing nothing, so reporting nothing). A push counts one
//! change per element.

use super::{as_list, insert_list, End};
use crate::bytes::SmallBytes;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::CmdResult;
use crate::types::list::List;

/// LPUSH key element [element ...]: the list's new length.
pub fn lpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  push(ctx, argv, End::Left, true)
}

/// RPUSH key element [element ...]: the list's new length.
pub fn rpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  push(ctx, argv, End::Right, true)
}

/// LPUSHX key element [element ...]: the new length, or 0 if the key does not exist.
pub fn lpushx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  push(ctx, argv, End::Left, false)
}

/// RPUSHX key element [element ...]: the new length, or 0 if the key does not exist.
pub fn rpushx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  push(ctx, argv, End::Right, false)
}

/// Pushes `argv[2..]` at `end` of the list at `argv[1]`, creating it if `create`.
fn push(ctx: &mut Ctx, argv: &[&[u8]], end: End, create: bool) -> CmdResult {
  let key = argv[1];
  let elements = &argv[2..];
  let (entry, out) = ctx.lookup_write(key);
  match as_list(entry)? {
    Some(list) => {
      for element in elements {
        end.push(list, SmallBytes::new(element));
      }
      out.int(list.len() as i64);
    }
    None if create => {
      let mut list = List::new();
      for element in elements {
        end.push(&mut list, SmallBytes::new(element));
      }
      let len = list.len();
      insert_list(ctx, key, list);
      // Redis sends the key's `new` event before the reply.
      ctx.settle_logged();
      ctx.out.int(len as i64);
    }
    None => {
      out.int(0);
      return Ok(());
    }
  }
  ctx.modified(key);
  ctx.notify(notify::LIST, end.push_event(), key);
  ctx.dirty(elements.len() as u64);
  Ok(())
}
