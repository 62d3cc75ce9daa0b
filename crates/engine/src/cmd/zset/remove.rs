//! ZREM and the range removals ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
//!
//! The range removals validate their range before looking the key up (Redis's
//! `zremrangeGenericCommand`); a rank range is clamped like ZRANGE's. All reply the number of
//! members removed, and delete the key once its sorted set is empty. A removal reports its
//! event (`zrem`, `zremrangebyrank`…), then `del` when the key went away, and one change per
//! member removed; one that removed nothing reports nothing.

use super::args::{lex_range, score_range};
use super::write_zset;
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::CmdResult;
use crate::types::zset::ZSet;

/// ZREM key member [member ...]
pub fn zrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (zset, out) = write_zset(ctx, argv[1])?;
  let Some(zset) = zset else {
    out.int(0);
    return Ok(());
  };
  let removed = argv[2..].iter().filter(|member| zset.remove(member)).count();
  let emptied = zset.is_empty();
  removed_members(ctx, argv[1], "zrem", removed, emptied);
  Ok(())
}

/// ZREMRANGEBYRANK key start stop
pub fn zremrangebyrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (start, end) = (int_arg(argv[2])?, int_arg(argv[3])?);
  remove_range(ctx, argv[1], "zremrangebyrank", |zset| {
    let len = zset.len() as i64;
    let start = if start < 0 { (start + len).max(0) } else { start };
    let end = if end < 0 { end + len } else { end };
    if start > end || start >= len {
      return (0, 0);
    }
    (start as usize, (end.min(len - 1) - start + 1) as usize)
  })
}

/// ZREMRANGEBYSCORE key min max
pub fn zremrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let range = score_range(argv[2], argv[3])?;
  remove_range(ctx, argv[1], "zremrangebyscore", |zset| match zset.first_in_score_range(&range) {
    Some(first) => (first.rank, zset.range(first, false).take_while(|&(_, score)| range.lte_max(score)).count()),
    None => (0, 0),
  })
}

/// ZREMRANGEBYLEX key min max
pub fn zremrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let range = lex_range(argv[2], argv[3])?;
  remove_range(ctx, argv[1], "zremrangebylex", |zset| match zset.first_in_lex_range(&range) {
    Some(first) => (first.rank, zset.range(first, false).take_while(|&(member, _)| range.lte_max(member)).count()),
    None => (0, 0),
  })
}

/// Removes the ranks `span` gives (first rank, count) from the sorted set at `key`; `event`
/// names the command for its keyspace event.
fn remove_range(ctx: &mut Ctx, key: &[u8], event: &str, span: impl FnOnce(&ZSet) -> (usize, usize)) -> CmdResult {
  let (zset, out) = write_zset(ctx, key)?;
  let Some(zset) = zset else {
    out.int(0);
    return Ok(());
  };
  let (start, count) = span(zset);
  zset.remove_ranks(start, count);
  let emptied = zset.is_empty();
  removed_members(ctx, key, event, count, emptied);
  Ok(())
}

/// Reports `removed` members taken out of the sorted set at `key` (deleting the key when it
/// `emptied`), then replies their number, in Redis's order.
fn removed_members(ctx: &mut Ctx, key: &[u8], event: &str, removed: usize, emptied: bool) {
  if removed > 0 {
    // Redis deletes the emptied key before it reports anything.
    if emptied {
      ctx.db().remove(key);
    }
    ctx.notify(notify::ZSET, event, key);
    if emptied {
      ctx.notify(notify::GENERIC, "del", key);
    }
    ctx.modified(key);
    ctx.dirty(removed as u64);
  }
  ctx.out.int(removed as i64);
}
