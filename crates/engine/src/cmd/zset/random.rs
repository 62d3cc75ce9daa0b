//! ZRANDMEMBER: random members, with or without repetition.
//!
//! Without a count, one random member (null for a missing key). With a count, Redis's four
//! cases: a negative count draws that many members independently (repeats allowed); a count
//! of 1 draws one; a count at least the set's size returns the whole set, from the highest
//! score down (the order Redis's set-operation iterator walks); a smaller count returns that
//! many distinct members. Draws are uniform over the members.

use super::{as_zset, pair, pairs_header};
use crate::cmd::is;
use crate::cmd::{draws, int_arg, Ctx};
use crate::error::{CmdResult, Error};
use crate::rand::Rng;
use crate::types::zset::ZSet;

/// ZRANDMEMBER key [count [WITHSCORES]]
pub fn zrandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let count = match argv.get(2) {
    Some(arg) => {
      let count = int_arg(arg)?;
      if count == i64::MIN {
        return Err(Error::err(format!("value is out of range, value must between {} and {}", -i64::MAX, i64::MAX)));
      }
      Some(count)
    }
    None => None,
  };
  if argv.len() > 4 || (argv.len() == 4 && !is(argv[3], "withscores")) {
    return Err(Error::Syntax);
  }
  let withscores = argv.len() == 4;
  if let Some(count) = count {
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
      return Err(Error::err("value is out of range"));
    }
  }

  let touch = !ctx.session.no_touch;
  ctx.notify_if_missing(argv[1]);
  let server = &mut *ctx.server;
  let entry = server.keyspace.dbs[ctx.session.db].lookup(argv[1], ctx.now_ms, touch);
  if entry.is_some() {
    server.telemetry.stats.keyspace_hits += 1;
  } else {
    server.telemetry.stats.keyspace_misses += 1;
  }
  let zset = as_zset(entry)?;
  let reply_cap = draws::reply_cap(&server.config);
  let (rng, out) = (&mut server.rng, &mut *ctx.out);
  let Some(count) = count else {
    match zset {
      Some(zset) => out.bulk(zset.at_slot(random_slot(rng, zset)).0),
      None => out.null(),
    }
    return Ok(());
  };
  let Some(zset) = zset else {
    out.array(0);
    return Ok(());
  };
  let size = zset.len();
  if count < 0 || count == 1 {
    let count = count.unsigned_abs();
    let start = out.buf.len();
    pairs_header(out, count as usize, withscores);
    let complete = draws::write_draws(out, reply_cap, start, count, |out| {
      let (member, score) = zset.at_slot(random_slot(rng, zset));
      pair(out, member, score, withscores);
    });
    ctx.session.close_after_reply |= !complete;
  } else if count as u64 >= size as u64 {
    pairs_header(out, size, withscores);
    for (member, score) in zset.range(zset.pos_at_rank(size - 1), true) {
      pair(out, member, score, withscores);
    }
  } else {
    let slots = distinct_slots(rng, zset, count as usize);
    pairs_header(out, slots.len(), withscores);
    for slot in slots {
      let (member, score) = zset.at_slot(slot);
      pair(out, member, score, withscores);
    }
  }
  Ok(())
}

fn random_slot(rng: &mut Rng, zset: &ZSet) -> usize {
  rng.below(zset.len() as u64) as usize
}

/// `count` distinct slots (`count` < len): by a partial Fisher-Yates shuffle when the count
/// is close to the size, by drawing until enough are distinct otherwise (Redis's cases 3 and
/// 4). In the compact encoding they come back in order, as Redis's listpack sampling returns
/// them.
fn distinct_slots(rng: &mut Rng, zset: &ZSet, count: usize) -> Vec<usize> {
  let size = zset.len();
  let mut slots = if count.saturating_mul(3) > size {
    let mut all: Vec<usize> = (0..size).collect();
    for i in 0..count {
      let j = i + rng.below((size - i) as u64) as usize;
      all.swap(i, j);
    }
    all.truncate(count);
    all
  } else {
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut drawn = Vec::with_capacity(count);
    while drawn.len() < count {
      let slot = random_slot(rng, zset);
      if seen.insert(slot) {
        drawn.push(slot);
      }
    }
    drawn
  };
  if zset.is_compact() {
    slots.sort_unstable();
  }
  slots
}
