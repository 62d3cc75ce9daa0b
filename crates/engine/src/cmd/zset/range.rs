//! ZRANGE in all its forms — by rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES — the older
//! commands that are fixed forms of it (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
//! ZRANGEBYLEX, ZREVRANGEBYLEX) and ZRANGESTORE, all through Redis's `zrangeGenericCommand`.
//!
//! Options are read first (LIMIT's numbers as soon as it is met), then the conflicts are
//! checked (LIMIT needs BYSCORE or BYLEX — unless its count is -1 —, WITHSCORES is refused with
//! BYLEX), then the range, then the key. A reverse score or lex range is given max first.
//! A rank range counts from the end when negative and is clamped to the set. A score or lex
//! range starts at its first member (its last one when reversed), skips LIMIT's offset and
//! takes at most its count (a negative count takes all; a negative offset gives nothing).

use super::args::{lex_range, score_range};
use super::{pair, pairs_header, read_zset};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::types::zset::listpack::stored_score;
use crate::types::zset::{LexRange, Pos, ScoreRange, ZSet};

/// What the range is made of.
#[derive(Clone, Copy, PartialEq)]
enum By {
  /// Not said yet (ZRANGE, ZRANGESTORE): BYSCORE or BYLEX may follow; ranks by default.
  Auto,
  Rank,
  Score,
  Lex,
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
pub fn zrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Auto, None)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]: stores the range
/// in `dst` (deleting it when the range is empty); replies its size.
pub fn zrangestore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, true, By::Auto, None)
}

/// ZREVRANGE key start stop [WITHSCORES]
pub fn zrevrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Rank, Some(true))
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
pub fn zrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Score, Some(false))
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
pub fn zrevrangebyscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Score, Some(true))
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
pub fn zrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Lex, Some(false))
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
pub fn zrevrangebylex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range_command(ctx, argv, false, By::Lex, Some(true))
}

/// A parsed range.
enum Spec {
  Rank(i64, i64),
  Score(ScoreRange),
  Lex(LexRange),
}

/// Redis's `zrangeGenericCommand`. `store` means ZRANGESTORE (destination first, no
/// WITHSCORES); `by` and `reverse` are fixed by the older commands, open for ZRANGE.
fn range_command(ctx: &mut Ctx, argv: &[&[u8]], store: bool, mut by: By, mut reverse: Option<bool>) -> CmdResult {
  let key_index = if store { 2 } else { 1 };
  let mut withscores = false;
  let (mut offset, mut count) = (0i64, -1i64);
  let mut args = Args::new(argv, key_index + 3);
  while let Some(opt) = args.next() {
    if !store && is(opt, "withscores") {
      withscores = true;
    } else if is(opt, "limit") && args.remaining() >= 2 {
      // Both operands must be there before either is read: `LIMIT x` alone is a syntax error.
      offset = args.int()?;
      count = args.int()?;
    } else if reverse.is_none() && is(opt, "rev") {
      reverse = Some(true);
    } else if by == By::Auto && is(opt, "bylex") {
      by = By::Lex;
    } else if by == By::Auto && is(opt, "byscore") {
      by = By::Score;
    } else {
      return Err(Error::Syntax);
    }
  }
  let reverse = reverse.unwrap_or(false);
  if by == By::Auto {
    by = By::Rank;
  }
  if count != -1 && by == By::Rank {
    return Err(Error::err("syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
  }
  if withscores && by == By::Lex {
    return Err(Error::err("syntax error, WITHSCORES not supported in combination with BYLEX"));
  }
  let (mut min, mut max) = (argv[key_index + 1], argv[key_index + 2]);
  if reverse && by != By::Rank {
    std::mem::swap(&mut min, &mut max);
  }
  let spec = match by {
    By::Score => Spec::Score(score_range(min, max)?),
    By::Lex => Spec::Lex(lex_range(min, max)?),
    _ => Spec::Rank(int_arg(min)?, int_arg(max)?),
  };

  let limits = super::limits(ctx);
  let (zset, out) = read_zset(ctx, argv[key_index])?;
  if let (false, Spec::Rank(start, end)) = (store, &spec) {
    // A rank range knows its length before the walk: the members go straight to the reply.
    let span = zset.and_then(|zset| rank_span(zset, *start, *end, reverse).map(|span| (zset, span)));
    let Some((zset, (first, len))) = span else {
      pairs_header(out, 0, withscores);
      return Ok(());
    };
    pairs_header(out, len, withscores);
    for (member, score) in zset.range(first, reverse).take(len) {
      pair(out, member, score, withscores);
    }
    return Ok(());
  }
  let items = match zset {
    Some(zset) => select(zset, &spec, reverse, offset, count),
    None => Vec::new(),
  };
  if store {
    // Redis adds the members one by one, in reply order, to a set that starts compact when
    // their number allows it; until a member too long for the compact encoding converts it,
    // each score goes through the listpack, which turns −0 into 0.
    let mut compact = items.len() <= limits.entries;
    let mut owned: Vec<(SmallBytes, f64)> = items
      .iter()
      .map(|&(member, score)| {
        compact &= member.len() <= limits.value;
        (SmallBytes::new(member), if compact { stored_score(score) } else { score })
      })
      .collect();
    if reverse {
      owned.reverse();
    }
    super::store(ctx, argv[1], owned, "zrangestore");
  } else {
    pairs_header(out, items.len(), withscores);
    for (member, score) in items {
      pair(out, member, score, withscores);
    }
  }
  Ok(())
}

/// The members of `zset` in `spec`, in reply order.
fn select<'a>(zset: &'a ZSet, spec: &Spec, reverse: bool, offset: i64, count: i64) -> Vec<(&'a [u8], f64)> {
  match spec {
    Spec::Rank(start, end) => match rank_span(zset, *start, *end, reverse) {
      Some((first, len)) => zset.range(first, reverse).take(len).collect(),
      None => Vec::new(),
    },
    Spec::Score(range) => {
      let start = if reverse { zset.last_in_score_range(range) } else { zset.first_in_score_range(range) };
      let in_range = |score: f64| if reverse { range.gte_min(score) } else { range.lte_max(score) };
      walk(zset, start, reverse, offset, count, |_, score| in_range(score))
    }
    Spec::Lex(range) => {
      let start = if reverse { zset.last_in_lex_range(range) } else { zset.first_in_lex_range(range) };
      let in_range = |member: &[u8]| if reverse { range.gte_min(member) } else { range.lte_max(member) };
      walk(zset, start, reverse, offset, count, |member, _| in_range(member))
    }
  }
}

/// Where the ranks `start`..=`end` (negative ones counted from the end) begin in walking
/// order, and how many members they hold; None when they hold none.
fn rank_span(zset: &ZSet, mut start: i64, mut end: i64, reverse: bool) -> Option<(Pos, usize)> {
  let len = zset.len() as i64;
  if start < 0 {
    start += len;
  }
  if end < 0 {
    end += len;
  }
  start = start.max(0);
  if start > end || start >= len {
    return None;
  }
  end = end.min(len - 1);
  let first = if reverse { len - 1 - start } else { start };
  Some((zset.pos_at_rank(first as usize), (end - start + 1) as usize))
}

/// From `start`, skips `offset` members and takes up to `count` (all if negative) while
/// `in_range` holds. A negative offset, or one past the end, selects nothing.
fn walk(
  zset: &ZSet,
  start: Option<Pos>,
  reverse: bool,
  offset: i64,
  count: i64,
  in_range: impl Fn(&[u8], f64) -> bool,
) -> Vec<(&[u8], f64)> {
  let Some(start) = start else { return Vec::new() };
  if offset < 0 || offset >= zset.len() as i64 {
    return Vec::new();
  }
  let limit = usize::try_from(count).unwrap_or(usize::MAX);
  zset
    .range(start, reverse)
    .skip(offset as usize)
    .take(limit)
    .take_while(|&(member, score)| in_range(member, score))
    .collect()
}
