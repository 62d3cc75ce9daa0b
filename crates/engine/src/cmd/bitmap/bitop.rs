//! BITOP: AND, OR, XOR or NOT of string values, stored at a destination key.
//!
//! Sources shorter than the longest one count as padded with zero bytes, and missing keys as
//! empty strings. The result starts as a copy of the first source and each other source is
//! folded into it with whole-slice loops the compiler turns into wide word operations. The
//! destination is replaced like SET does (whatever its type, losing its time to live), in the
//! `raw` encoding; when every source is empty it is deleted instead.
//!
//! Signals, as in Redis: a stored result sends `set`, a deletion `del` (deleting a missing key
//! is no change); each counts one change. The events go before the reply.

use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::value::Value;
use std::borrow::Cow;

#[derive(Clone, Copy, PartialEq)]
enum Op {
  And,
  Or,
  Xor,
  Not,
}

/// BITOP AND|OR|XOR|NOT destkey key [key ...]
///
/// Replies with the length of the result, the length of the longest source.
pub fn bitop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let op = match argv[1] {
    name if is(name, "and") => Op::And,
    name if is(name, "or") => Op::Or,
    name if is(name, "xor") => Op::Xor,
    name if is(name, "not") => Op::Not,
    _ => return Err(Error::Syntax),
  };
  let (destination, keys) = (argv[2], &argv[3..]);
  if op == Op::Not && keys.len() != 1 {
    return Err(Error::err("BITOP NOT must be called with a single source key."));
  }
  // First every source is looked up for reading (hits, misses, type checks) in order; the
  // lookups may reclaim expired keys, so the values are borrowed afterwards.
  for key in keys {
    if let Some(entry) = ctx.lookup_read(key).0 {
      if !entry.value.is_string() {
        return Err(Error::WrongType);
      }
    }
  }
  let result = {
    let now = ctx.now_ms;
    let db = &ctx.server.keyspace.dbs[ctx.session.db];
    let sources: Vec<Cow<[u8]>> = keys
      .iter()
      .map(|key| match db.position(key).map(|pos| db.entry_at(pos)) {
        // An expired key still there (expiry paused) read as missing above.
        Some(entry) if !db.is_expired(entry, now) => entry.value.as_bytes().unwrap_or_default(),
        _ => Cow::Borrowed(&[][..]),
      })
      .collect();
    combine(op, &sources)
  };
  let length = result.len();
  if length > 0 {
    let now = ctx.now_ms;
    ctx.db().set(destination, Value::Raw(Box::new(result)), false, now);
    ctx.changed(notify::STRING, "set", destination);
  } else if ctx.db().remove(destination).is_some() {
    ctx.changed(notify::GENERIC, "del", destination);
  }
  ctx.out.int(length as i64);
  Ok(())
}

/// `op` applied to `sources` (at least one; exactly one for NOT), as long as the longest.
fn combine(op: Op, sources: &[Cow<[u8]>]) -> Vec<u8> {
  let length = sources.iter().map(|source| source.len()).max().unwrap_or(0);
  let mut result = Vec::with_capacity(length);
  if let Some(first) = sources.first() {
    result.extend_from_slice(first);
  }
  result.resize(length, 0);
  if op == Op::Not {
    result.iter_mut().for_each(|byte| *byte = !*byte);
    return result;
  }
  for source in sources.iter().skip(1) {
    let (common, rest) = result.split_at_mut(source.len());
    let pairs = common.iter_mut().zip(source.iter());
    match op {
      Op::And => {
        pairs.for_each(|(byte, other)| *byte &= other);
        // Past the source's end it reads as zeros.
        rest.fill(0);
      }
      Op::Or => pairs.for_each(|(byte, other)| *byte |= other),
      Op::Xor => pairs.for_each(|(byte, other)| *byte ^= other),
      Op::Not => {}
    }
  }
  result
}
