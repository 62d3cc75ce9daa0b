//! ZADD and ZINCRBY, which share Redis's `zaddGenericCommand`.
//!
//! Options come first and stop at the first argument that is not one; the rest must be
//! score/member pairs. Errors are checked in Redis's order: pairs, NX with XX, GT/LT/NX
//! together, INCR with several pairs, every score, then the key's type. Only then is anything
//! written, so a command either applies fully or not at all (an INCR that would give NaN is
//! refused, and it has a single pair). ZINCRBY is ZADD with INCR whose increment sits where
//! ZADD's options start, so `ZINCRBY key NX member` is a syntax error, as in Redis.
//!
//! Only members added or given a different score count as changes: a ZADD that skipped every
//! pair (NX on existing members, XX on missing ones, GT/LT, or the same score again) reports
//! nothing and is not propagated. Both commands are propagated as called.

use super::args::score_arg;
use super::{limits, reply_score, write_zset};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::types::zset::ZSet;
use crate::value::Value;

#[derive(Default)]
struct Flags {
  nx: bool,
  xx: bool,
  gt: bool,
  lt: bool,
  ch: bool,
  incr: bool,
}

/// What one ZADD did, for its reply.
#[derive(Default)]
struct Outcome {
  added: i64,
  updated: i64,
  /// Pairs that were applied (not skipped by NX, XX, GT or LT).
  processed: i64,
  /// The score of the last applied pair (the INCR reply).
  score: f64,
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
///
/// Replies the number of members added (or added and changed, with CH); with INCR, the new
/// score, or null when the pair was skipped.
pub fn zadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  add(ctx, argv, Flags::default())
}

/// ZINCRBY key increment member: ZADD key INCR increment member.
pub fn zincrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  add(ctx, argv, Flags { incr: true, ..Flags::default() })
}

fn add(ctx: &mut Ctx, argv: &[&[u8]], mut flags: Flags) -> CmdResult {
  let mut args = Args::new(argv, 2);
  while let Some(opt) = args.peek() {
    let flag = if is(opt, "nx") {
      &mut flags.nx
    } else if is(opt, "xx") {
      &mut flags.xx
    } else if is(opt, "ch") {
      &mut flags.ch
    } else if is(opt, "incr") {
      &mut flags.incr
    } else if is(opt, "gt") {
      &mut flags.gt
    } else if is(opt, "lt") {
      &mut flags.lt
    } else {
      break;
    };
    *flag = true;
    args.next();
  }
  if args.is_empty() || !args.remaining().is_multiple_of(2) {
    return Err(Error::Syntax);
  }
  if flags.nx && flags.xx {
    return Err(Error::err("XX and NX options at the same time are not compatible"));
  }
  if [flags.gt, flags.lt, flags.nx].into_iter().filter(|&set| set).count() > 1 {
    return Err(Error::err("GT, LT, and/or NX options at the same time are not compatible"));
  }
  if flags.incr && args.remaining() > 2 {
    return Err(Error::err("INCR option supports a single increment-element pair"));
  }
  let pairs = args
    .pairs()
    .map(|(score, member)| Ok((score_arg(score)?, member)))
    .collect::<Result<Vec<(f64, &[u8])>, Error>>()?;

  let limits = limits(ctx);
  let key = argv[1];
  let outcome = match write_zset(ctx, key)?.0 {
    Some(zset) => apply(zset, pairs.into_iter(), &flags, limits)?,
    None if flags.xx => Outcome::default(),
    None => {
      let (_, first_member) = pairs[0];
      let mut zset = ZSet::new(limits, first_member.len());
      let outcome = apply(&mut zset, pairs.into_iter(), &flags, limits)?;
      let now = ctx.now_ms;
      ctx.db().insert_new_key(SmallBytes::new(key), Value::ZSet(Box::new(zset)), now);
      outcome
    }
  };

  let changes = outcome.added + outcome.updated;
  // Redis sends a created key's `new` event before the reply.
  ctx.settle_logged();
  let out = &mut *ctx.out;
  if flags.incr {
    if outcome.processed > 0 {
      reply_score(out, outcome.score);
    } else {
      out.null();
    }
  } else {
    out.int(if flags.ch { changes } else { outcome.added });
  }
  if changes > 0 {
    ctx.modified(key);
    ctx.notify(notify::ZSET, if flags.incr { "zincr" } else { "zadd" }, key);
    ctx.dirty(changes as u64);
  }
  Ok(())
}

/// Applies the pairs one by one, as Redis's `zsetAdd`.
fn apply<'a>(
  zset: &mut ZSet,
  pairs: impl Iterator<Item = (f64, &'a [u8])>,
  flags: &Flags,
  limits: crate::types::zset::Limits,
) -> Result<Outcome, Error> {
  let mut outcome = Outcome::default();
  for (score, member) in pairs {
    match zset.score(member) {
      Some(_) if flags.nx => {}
      Some(current) => {
        let score = if flags.incr { score + current } else { score };
        if score.is_nan() {
          return Err(Error::err("resulting score is not a number (NaN)"));
        }
        if (flags.lt && score >= current) || (flags.gt && score <= current) {
          continue;
        }
        outcome.processed += 1;
        outcome.score = score;
        if score != current {
          zset.set_score(member, score);
          outcome.updated += 1;
        }
      }
      None if flags.xx => {}
      None => {
        zset.insert(member, score, limits);
        outcome.added += 1;
        outcome.processed += 1;
        outcome.score = score;
      }
    }
  }
  Ok(outcome)
}
