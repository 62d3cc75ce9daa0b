//! List commands. One file per family: `push` (LPUSH, RPUSH, LPUSHX, RPUSHX), `pop` (LPOP,
//! RPOP, LMPOP), `index` (LLEN, LINDEX, LSET, LRANGE, LTRIM), `by_value` (LPOS, LINSERT, LREM),
//! `lmove` (LMOVE, RPOPLPUSH) and `blocking` (BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH).
//!
//! Every command treats a missing key as an empty list, answers WRONGTYPE for a key of another
//! type, and deletes a key as soon as its list becomes empty (Redis never keeps empty lists).
//! Modifying a list keeps the key's time to live. This module holds the helpers they share:
//! finding a key's list, the LEFT/RIGHT argument, popping into a reply, and reporting pops.
//!
//! Each command reports what it changed as Redis 7.0's handlers do (see `crate::signal`): the
//! event of the command (`lpush`, `lpop`, `ltrim`…), then `del` when the list emptied and its
//! key went away, one change per element pushed or removed. A command that changed nothing
//! reports nothing, except LTRIM, which Redis reports even when it kept every element.

mod blocking;
mod by_value;
mod index;
mod lmove;
mod pop;
mod push;

pub use blocking::*;
pub use by_value::*;
pub use index::*;
pub use lmove::*;
pub use pop::*;
pub use push::*;

use crate::bytes::SmallBytes;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::db::Entry;
use crate::error::Error;
use crate::types::list::List;
use crate::value::Value;

/// An end of a list: LEFT is the head, RIGHT the tail.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
  Left,
  Right,
}

impl End {
  fn pop(self, list: &mut List) -> Option<SmallBytes> {
    match self {
      End::Left => list.pop_front(),
      End::Right => list.pop_back(),
    }
  }

  fn push(self, list: &mut List, item: SmallBytes) {
    match self {
      End::Left => list.push_front(item),
      End::Right => list.push_back(item),
    }
  }

  /// The keyspace event of a pop from this end.
  fn pop_event(self) -> &'static str {
    match self {
      End::Left => "lpop",
      End::Right => "rpop",
    }
  }

  /// The keyspace event of a push at this end.
  fn push_event(self) -> &'static str {
    match self {
      End::Left => "lpush",
      End::Right => "rpush",
    }
  }

  /// The command that pops from this end, as the write stream records pops.
  fn pop_command(self) -> &'static [u8] {
    match self {
      End::Left => b"LPOP",
      End::Right => b"RPOP",
    }
  }

  /// The LEFT/RIGHT argument naming this end, spelled as Redis writes it when it makes the
  /// argument up itself (a BLMOVE served after blocking).
  fn name(self) -> &'static [u8] {
    match self {
      End::Left => b"left",
      End::Right => b"right",
    }
  }
}

/// Compares an argument with a keyword the way Redis's `strcasecmp` on the argument does: the
/// argument is read as a C string, so it ends at its first NUL byte.
fn keyword(arg: &[u8], word: &str) -> bool {
  let c_string = crate::cstr::until_nul(arg);
  is(c_string, word)
}

/// LEFT or RIGHT; a syntax error otherwise.
fn end_arg(arg: &[u8]) -> Result<End, Error> {
  if keyword(arg, "RIGHT") {
    Ok(End::Right)
  } else if keyword(arg, "LEFT") {
    Ok(End::Left)
  } else {
    Err(Error::Syntax)
  }
}

/// The list held by `entry` (`None` for a missing key); WRONGTYPE for other types.
fn as_list(entry: Option<&mut Entry>) -> Result<Option<&mut List>, Error> {
  match entry {
    None => Ok(None),
    Some(entry) => match &mut entry.value {
      Value::List(list) => Ok(Some(list)),
      _ => Err(Error::WrongType),
    },
  }
}

/// Stores `list` at `key`, known to be absent.
fn insert_list(ctx: &mut Ctx, key: &[u8], list: List) {
  let now = ctx.now_ms;
  ctx.db().insert_new_key(SmallBytes::new(key), Value::List(Box::new(list)), now);
}

/// The first of `keys` holding a non-empty list. A key of another type is WRONGTYPE, unless
/// `skip_other_types` (a blocked command re-checking its keys: Redis 7.0 serves waiters only
/// from lists and leaves them waiting otherwise).
fn first_nonempty<'k>(ctx: &mut Ctx, keys: &[&'k [u8]], skip_other_types: bool) -> Result<Option<&'k [u8]>, Error> {
  for &key in keys {
    match ctx.lookup_write(key).0 {
      None => {}
      Some(entry) => match &entry.value {
        Value::List(list) if !list.is_empty() => return Ok(Some(key)),
        Value::List(_) => {}
        _ if skip_other_types => {}
        _ => return Err(Error::WrongType),
      },
    }
  }
  Ok(None)
}

/// Pops up to `count` elements from `end` of the list at `key` (known to be a list), replies
/// with them as an array in the order they were popped, and reports the pop. Returns how many
/// were popped.
fn pop_reply_array(ctx: &mut Ctx, key: &[u8], end: End, count: usize) -> usize {
  let (entry, out) = ctx.lookup_write(key);
  let Ok(Some(list)) = as_list(entry) else {
    out.null_array();
    return 0;
  };
  let popped = count.min(list.len());
  out.array(popped);
  for _ in 0..popped {
    if let Some(item) = end.pop(list) {
      out.bulk(&item);
    }
  }
  let emptied = list.is_empty();
  elements_removed(ctx, key, end, popped, emptied);
  popped
}

/// Reports `count` elements popped from `end` of the list at `key` (Redis's
/// `listElementsRemoved`): the pop event, then, when the list `emptied`, the key's deletion and
/// its `del` event.
fn elements_removed(ctx: &mut Ctx, key: &[u8], end: End, count: usize, emptied: bool) {
  ctx.notify(notify::LIST, end.pop_event(), key);
  if emptied {
    ctx.db().remove(key);
    ctx.notify(notify::GENERIC, "del", key);
  }
  ctx.modified(key);
  ctx.dirty(count as u64);
}

/// Resolves a possibly negative `index` (counting from the tail) against a list of `len`
/// elements; `None` when it falls outside.
fn resolve_index(index: i64, len: usize) -> Option<usize> {
  let len = len as i64;
  let index = if index < 0 { len + index } else { index };
  (0..len).contains(&index).then_some(index as usize)
}

/// Redis's range normalisation (LRANGE, LTRIM): negative positions count from the tail, the
/// start is clamped to the head and the end to the tail. `None` for an empty range.
fn resolve_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
  let len = len as i64;
  let mut start = if start < 0 { len + start } else { start };
  let mut end = if end < 0 { len + end } else { end };
  if start < 0 {
    start = 0;
  }
  if start > end || start >= len {
    return None;
  }
  if end >= len {
    end = len - 1;
  }
  Some((start as usize, end as usize))
}
