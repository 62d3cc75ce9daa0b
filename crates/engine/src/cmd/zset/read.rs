//! The sorted-set readers that answer with one number or score: ZCARD, ZSCORE, ZMSCORE, ZRANK,
//! ZREVRANK, ZCOUNT and ZLEXCOUNT.
//!
//! A missing key reads as an empty sorted set. ZCOUNT and ZLEXCOUNT validate their range before
//! looking the key up, as Redis does, so a bad range wins over WRONGTYPE.

use super::args::{lex_range, score_range};
use super::{read_zset, reply_score};
use crate::cmd::{arity_error, is, Ctx};
use crate::error::{CmdResult, Error};

/// ZCARD key: the number of members.
pub fn zcard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (zset, out) = read_zset(ctx, argv[1])?;
  out.int(zset.map_or(0, |zset| zset.len()) as i64);
  Ok(())
}

/// ZSCORE key member: the member's score, or null.
pub fn zscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (zset, out) = read_zset(ctx, argv[1])?;
  match zset.and_then(|zset| zset.score(argv[2])) {
    Some(score) => reply_score(out, score),
    None => out.null(),
  }
  Ok(())
}

/// ZMSCORE key member [member ...]: the score of each member, or null for an absent one.
pub fn zmscore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (zset, out) = read_zset(ctx, argv[1])?;
  out.array(argv.len() - 2);
  for member in &argv[2..] {
    match zset.and_then(|zset| zset.score(member)) {
      Some(score) => reply_score(out, score),
      None => out.null(),
    }
  }
  Ok(())
}

/// ZRANK key member [WITHSCORE]: the member's 0-based position from the lowest score, or null.
pub fn zrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  rank(ctx, argv, false)
}

/// ZREVRANK key member [WITHSCORE]: the member's 0-based position from the highest score, or
/// null.
pub fn zrevrank(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  rank(ctx, argv, true)
}

/// ZRANK and ZREVRANK, with Redis 7.2's WITHSCORE: the reply becomes `[rank, score]`, or a
/// null array when the member is missing.
fn rank(ctx: &mut Ctx, argv: &[&[u8]], reverse: bool) -> CmdResult {
  let with_score = match argv.get(3) {
    _ if argv.len() > 4 => return Err(arity_error(if reverse { "zrevrank" } else { "zrank" })),
    Some(arg) if is(arg, "WITHSCORE") => true,
    Some(_) => return Err(Error::Syntax),
    None => false,
  };
  let member = argv[2];
  let (zset, out) = read_zset(ctx, argv[1])?;
  let found = zset.and_then(|zset| Some((zset, zset.rank(member, reverse)?)));
  match found {
    Some((zset, rank)) if with_score => {
      out.array(2);
      out.int(rank as i64);
      reply_score(out, zset.score(member).unwrap_or_default());
    }
    Some((_, rank)) => out.int(rank as i64),
    None if with_score => out.null_array(),
    None => out.null(),
  }
  Ok(())
}

/// ZCOUNT key min max: how many members have a score in the range (`(` excludes an end).
pub fn zcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let range = score_range(argv[2], argv[3])?;
  let (zset, out) = read_zset(ctx, argv[1])?;
  out.int(zset.map_or(0, |zset| zset.count_in_score_range(&range)) as i64);
  Ok(())
}

/// ZLEXCOUNT key min max: how many members are in the lexicographic range (`[a`, `(a`, `-`,
/// `+`), for a sorted set whose scores are all equal.
pub fn zlexcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let range = lex_range(argv[2], argv[3])?;
  let (zset, out) = read_zset(ctx, argv[1])?;
  out.int(zset.map_or(0, |zset| zset.count_in_lex_range(&range)) as i64);
  Ok(())
}
