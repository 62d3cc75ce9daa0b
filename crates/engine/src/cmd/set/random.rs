//! Random members: SPOP (removes them) and SRANDMEMBER (leaves the set alone).
//!
//! Draws are uniform over the set's positions (`Set::random_position`). Both commands follow
//! Redis's strategies because the strategy decides the reply's shape and order:
//!
//! - SPOP with a count at least the set's size returns the whole set the way a one-set SUNION
//!   would (integers come back sorted while the result fits an intset) and deletes the key.
//!   A small count pops random members one by one. A count close to the size instead draws
//!   the members to KEEP into a new set (created in the encoding its first member allows, so
//!   it may become an intset again), replies with what is left in the old set in its
//!   iteration order, and stores the new set under the key.
//! - SRANDMEMBER with a negative count returns that many independent draws; a positive count
//!   at least the size returns the whole set in iteration order; otherwise distinct members
//!   in random order. Its replies are always arrays, even in RESP3, as in Redis 7.0.
//!
//! SPOP reports `spop` (and `del` when it took the last member). The write stream must not
//! replay a random draw, so it records what was removed instead: `SREM key member` for one
//! member, one `SREM` per member (the SPOP itself left out) for a count, and `DEL key` when
//! the count took the whole set.

use super::algebra::union;
use super::{max_intset, member_bytes, reply_member, reply_set, set_with_rng};
use crate::cmd::{draws, int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::types::set::{Member, Set};

/// Redis uses the "keep" strategy of SPOP when the members left would be fewer than the
/// count divided by this.
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;

/// SPOP key [count]
///
/// Without a count: one random member (removed), or null. With a count: a set reply of up to
/// `count` removed members. The key is deleted when the set becomes empty.
pub fn spop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  match argv.len() {
    2 => {}
    3 => return spop_count(ctx, argv[1], argv[2]),
    _ => return Err(Error::Syntax),
  }
  let key = argv[1];
  let (set, rng, out) = set_with_rng(ctx, key, true)?;
  let Some(set) = set else {
    out.null();
    return Ok(());
  };
  let pos = set.random_position(rng);
  let popped = set.remove_at(pos);
  let emptied = set.is_empty();
  // Redis sends `spop`, then the reply, then `del`.
  ctx.notify(notify::SET, "spop", key);
  reply_member(ctx.out, popped.as_member());
  if emptied {
    ctx.db().remove(key);
  }
  ctx.modified(key);
  if emptied {
    ctx.notify(notify::GENERIC, "del", key);
  }
  ctx.dirty(1);
  if ctx.propagating() {
    ctx.propagate_as(vec![b"SREM".to_vec(), key.to_vec(), member_bytes(popped.as_member())]);
  }
  Ok(())
}

fn spop_count(ctx: &mut Ctx, key: &[u8], count: &[u8]) -> CmdResult {
  let count = crate::num::parse_i64(count)
    .filter(|&count| count >= 0)
    .ok_or(Error::err("value is out of range, must be positive"))? as u64;
  let limit = max_intset(ctx);
  let recording = ctx.propagating();
  let (set, rng, out) = set_with_rng(ctx, key, true)?;
  let Some(set) = set else {
    out.set(0);
    return Ok(());
  };
  if count == 0 {
    out.set(0);
    return Ok(());
  }
  let size = set.len() as u64;
  // Redis sends `spop` before the reply (and `del` after it).
  let reply_at = out.buf.len();
  if count >= size {
    reply_set(out, &union(&[Some(&*set)], limit));
    // Redis reads the set again through SUNION's lookup: one more keyspace hit.
    ctx.server.telemetry.stats.keyspace_hits += 1;
    ctx.db().remove(key);
    ctx.modified(key);
    ctx.notify_at(reply_at, notify::SET, "spop", key);
    ctx.notify(notify::GENERIC, "del", key);
    ctx.dirty(size);
    ctx.propagate_as(vec![b"DEL".to_vec(), key.to_vec()]);
    return Ok(());
  }
  out.set(count as usize);
  let remaining = size - count;
  // The removed members, in reply order, for the write stream.
  let mut removed = Vec::new();
  if remaining * SPOP_MOVE_STRATEGY_MUL > count {
    for _ in 0..count {
      let pos = set.random_position(rng);
      let member = set.remove_at(pos);
      reply_member(out, member.as_member());
      if recording {
        removed.push(member_bytes(member.as_member()));
      }
    }
  } else {
    let mut kept: Option<Set> = None;
    for _ in 0..remaining {
      let pos = set.random_position(rng);
      let member = set.remove_at(pos);
      let member = member.as_member();
      kept.get_or_insert_with(|| Set::for_member(member)).add(member, limit);
    }
    for member in set.members() {
      reply_member(out, member);
      if recording {
        removed.push(member_bytes(member));
      }
    }
    if let Some(kept) = kept {
      *set = kept;
    }
  }
  ctx.modified(key);
  ctx.notify_at(reply_at, notify::SET, "spop", key);
  ctx.dirty(count);
  // One SREM per member, as Redis 7.0 propagates them (wrapped in MULTI/EXEC with the rest
  // of the unit); the SPOP itself would draw differently on replay.
  let db = ctx.session.db;
  for member in removed {
    ctx.also_propagate(db, vec![b"SREM".to_vec(), key.to_vec(), member]);
  }
  ctx.prevent_propagation();
  Ok(())
}

/// SRANDMEMBER key [count]
///
/// Without a count: one random member, or null. With a count: an array of distinct random
/// members (count > 0) or of `-count` independent draws (count < 0); empty for a missing key.
pub fn srandmember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  match argv.len() {
    2 => {}
    3 => return srandmember_count(ctx, argv[1], argv[2]),
    _ => return Err(Error::Syntax),
  }
  let (set, rng, out) = set_with_rng(ctx, argv[1], false)?;
  match set {
    Some(set) => {
      let pos = set.random_position(rng);
      reply_member(out, set.get(pos));
    }
    None => out.null(),
  }
  Ok(())
}

fn srandmember_count(ctx: &mut Ctx, key: &[u8], count: &[u8]) -> CmdResult {
  let count = int_arg(count)?;
  if count == i64::MIN {
    return Err(Error::err(format!("value is out of range, value must between {} and {}", -i64::MAX, i64::MAX)));
  }
  let (count, distinct) = (count.unsigned_abs(), count >= 0);
  let reply_cap = draws::reply_cap(&ctx.server.config);
  let (set, rng, out) = set_with_rng(ctx, key, false)?;
  let Some(set) = set else {
    out.array(0);
    return Ok(());
  };
  if count == 0 {
    out.array(0);
    return Ok(());
  }
  let size = set.len() as u64;

  if !distinct || count == 1 {
    let start = out.buf.len();
    out.array(count as usize);
    let complete =
      draws::write_draws(out, reply_cap, start, count, |out| reply_member(out, set.get(set.random_position(rng))));
    ctx.session.close_after_reply |= !complete;
    return Ok(());
  }

  if count >= size {
    out.array(set.len());
    set.members().for_each(|member| reply_member(out, member));
    return Ok(());
  }

  let chosen: Vec<Member> = rng.distinct_positions(size, count).into_iter().map(|pos| set.get(pos)).collect();
  out.array(chosen.len());
  chosen.into_iter().for_each(|member| reply_member(out, member));
  Ok(())
}
