//! Sorted-set commands. One file per family: `add` (ZADD, ZINCRBY), `read` (ZCARD, ZSCORE,
//! ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT), `range` (ZRANGE and its BYSCORE/BYLEX/REV
//! forms, the older ZRANGEBY*/ZREV* commands, ZRANGESTORE), `remove` (ZREM and ZREMRANGEBY*),
//! `pop` (ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP), `random`
//! (ZRANDMEMBER), `setops` (ZUNION, ZINTER, ZDIFF, their STORE forms, ZINTERCARD) and `scan`
//! (ZSCAN). `args` parses scores, ranges and options exactly as Redis does. The data structure
//! lives in `types/zset`.
//!
//! Every command treats a missing key as an empty sorted set, answers WRONGTYPE for a key of
//! another type, and deletes a key as soon as its sorted set becomes empty. Modifying a sorted
//! set keeps the key's time to live; the STORE commands replace their destination (and its
//! time to live) like SET.
//!
//! Each command reports its changes as Redis 7.0's handlers do (see `crate::signal`): each
//! file says how, and `store` below for the STORE commands.

mod add;
mod args;
mod pop;
mod random;
mod range;
mod read;
mod remove;
mod scan;
mod setops;

pub use add::*;
pub use pop::*;
pub use random::*;
pub use range::*;
pub use read::*;
pub use remove::*;
pub use scan::*;
pub use setops::*;

use crate::bytes::SmallBytes;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::db::Entry;
use crate::error::Error;
use crate::num::write_i64;
use crate::resp::Reply;
use crate::types::zset::{Limits, ZSet};
use crate::value::Value;

/// The configured listpack limits (also for the geo commands' stored results).
pub(crate) fn limits(ctx: &Ctx) -> Limits {
  let config = &ctx.server.config;
  Limits {
    entries: usize::try_from(config.zset_max_listpack_entries).unwrap_or(0),
    value: usize::try_from(config.zset_max_listpack_value).unwrap_or(0),
  }
}

/// The sorted set in `entry`; WRONGTYPE for other types.
fn as_zset(entry: Option<&mut Entry>) -> Result<Option<&mut ZSet>, Error> {
  match entry {
    None => Ok(None),
    Some(entry) => match &mut entry.value {
      Value::ZSet(zset) => Ok(Some(zset)),
      _ => Err(Error::WrongType),
    },
  }
}

/// The sorted set at `key` for reading (a keyspace hit or miss), with the output.
fn read_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<(Option<&'a ZSet>, &'a mut Reply), Error> {
  let (entry, out) = ctx.lookup_read(key);
  Ok((as_zset(entry)?.map(|zset| &*zset), out))
}

/// The sorted set at `key` for writing, with the output.
fn write_zset<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<(Option<&'a mut ZSet>, &'a mut Reply), Error> {
  let (entry, out) = ctx.lookup_write(key);
  Ok((as_zset(entry)?, out))
}

/// Replaces `dst` with a sorted set made of `items` (in order, distinct), like Redis's
/// `setKey`, or deletes it when `items` is empty. Replies with the new cardinality.
///
/// A stored result reports `event` (the command's name); an empty one reports `del` if it
/// deleted a key, and nothing at all (not even to the write stream) otherwise, as in Redis.
fn store(ctx: &mut Ctx, dst: &[u8], items: Vec<(SmallBytes, f64)>, event: &str) {
  let count = items.len();
  let now = ctx.now_ms;
  if count == 0 {
    ctx.out.int(0);
    if ctx.db().remove(dst).is_some() {
      ctx.changed(notify::GENERIC, "del", dst);
    }
  } else {
    // Like Redis's `setKey`, an expired destination is reclaimed first (its `expired` event
    // and propagated DEL come before the store's).
    ctx.db().contains(dst, now);
    let zset = ZSet::from_sorted(items, limits(ctx));
    ctx.db().set(dst, Value::ZSet(Box::new(zset)), false, now);
    ctx.modified(dst);
    // Those events, and a created key's `new` event, come before the reply.
    ctx.settle_logged();
    ctx.out.int(count as i64);
    ctx.notify(notify::ZSET, event, dst);
    ctx.dirty(1);
  }
}

/// Writes the header of a list of `count` members with or without their scores: a flat array
/// in RESP2, an array of `[member, score]` pairs in RESP3.
fn pairs_header(out: &mut Reply, count: usize, withscores: bool) {
  if withscores && !out.resp3 {
    out.array(count * 2);
  } else {
    out.array(count);
  }
}

/// Writes one member (and its score) of a list started by [`pairs_header`].
#[inline]
fn pair(out: &mut Reply, member: &[u8], score: f64, withscores: bool) {
  if withscores && out.resp3 {
    out.array(2);
  }
  out.bulk(member);
  if withscores {
    reply_score(out, score);
  }
}

/// Writes a score as Redis's `addReplyDouble` does (`%.17g`; a double in RESP3). Whole
/// numbers below 10^17 print as their integer digits, so they skip the general formatter.
#[inline]
fn reply_score(out: &mut Reply, score: f64) {
  if score == 0.0 || score.fract() != 0.0 || score.abs() >= 1e17 {
    out.double(score);
    return;
  }
  let n = score as i64;
  if out.resp3 {
    out.buf.push(b',');
  } else {
    let digits = n.unsigned_abs().ilog10() as i64 + 1 + (n < 0) as i64;
    out.buf.push(b'$');
    write_i64(&mut out.buf, digits);
    out.raw(b"\r\n");
  }
  write_i64(&mut out.buf, n);
  out.raw(b"\r\n");
}
