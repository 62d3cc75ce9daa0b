//! ZREM and the range removals ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
//!
//! The range removals validate their range before looking the key up (Redis's
//! `zremrangeGenericCommand`); a rank range is clamped like ZRANGE's. All reply the number of
//! members removed, and delete the key once its sorted set is empty.

use super::args::{lex_range, score_range};
use super::write_zset;
use crate::cmd::{int_arg, Ctx};
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
  out.int(removed as i64);
  if emptied {
    ctx.db().remove(argv[1]);
  }
  Ok(())
}

/// ZREMRANGEBYRANK key start stop
pub fn zremrangebyrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (start, end) = (int_arg(argv[2])?, int_arg(argv[3])?);
  remove_range(ctx, argv[1], |zset| {
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
  remove_range(ctx, argv[1], |zset| match zset.first_in_score_range(&range) {
    Some(first) => (first.rank, zset.range(first, false).take_while(|&(_, score)| range.lte_max(score)).count()),
    None => (0, 0),
  })
}

/// ZREMRANGEBYLEX key min max
pub fn zremrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let range = lex_range(argv[2], argv[3])?;
  remove_range(ctx, argv[1], |zset| match zset.first_in_lex_range(&range) {
    Some(first) => (first.rank, zset.range(first, false).take_while(|&(member, _)| range.lte_max(member)).count()),
    None => (0, 0),
  })
}

/// Removes the ranks `span` gives (first rank, count) from the sorted set at `key`.
fn remove_range(ctx: &mut Ctx, key: &[u8], span: impl FnOnce(&ZSet) -> (usize, usize)) -> CmdResult {
  let (zset, out) = write_zset(ctx, key)?;
  let Some(zset) = zset else {
    out.int(0);
    return Ok(());
  };
  let (start, count) = span(zset);
  zset.remove_ranks(start, count);
  let emptied = zset.is_empty();
  out.int(count as i64);
  if emptied {
    ctx.db().remove(key);
  }
  Ok(())
}
