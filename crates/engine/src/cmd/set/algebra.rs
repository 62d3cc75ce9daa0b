//! Set algebra: SMEMBERS, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF and
//! SDIFFSTORE.
//!
//! Every key is looked up first, in order (WRONGTYPE at the first key of another type, even
//! after a missing one); a missing key is an empty set. The algorithms are Redis's, since
//! they decide the order of replies and the encoding of stored results:
//!
//! - Intersection walks the smallest set (a stable sort by size) and keeps the members every
//!   other set contains, so its reply follows that set's iteration order (ascending for an
//!   intset). SMEMBERS is the intersection of one set.
//! - Union and difference build their result as a new set that starts as an intset, so an
//!   all-integer result that fits one comes back sorted. The difference picks between walking
//!   the first set (checking the others) and copying it then removing the others' members, by
//!   Redis's cost estimate; the second can leave the result a hashtable where the first would
//!   not, which OBJECT ENCODING shows after SDIFFSTORE.
//! - The STORE forms replace the destination (any type, its time to live cleared) with a
//!   non-empty result, sending the command's own event (`sinterstore`…), or delete it,
//!   sending `del`.

use super::{as_set, max_intset, reply_member, reply_set, store_result};
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::db::Db;
use crate::error::{CmdResult, Error};
use crate::types::set::{Member, Set};

/// What an intersection produces.
enum Output<'a> {
  Reply,
  Store(&'a [u8]),
  /// Only the size, stopping at the limit (0 = no limit).
  Cardinality(u64),
}

/// Looks every key up for reading, in order, like Redis's successive `lookupKeyRead` calls:
/// WRONGTYPE as soon as a key holds another type. Returns the keys' positions, which stay
/// valid until the keyspace changes.
fn lookup_sets(ctx: &mut Ctx, keys: &[&[u8]]) -> Result<Vec<Option<usize>>, Error> {
  for &key in keys {
    if let Some(entry) = ctx.lookup_read(key).0 {
      as_set(&entry.value)?;
    }
  }
  let db = ctx.db();
  Ok(keys.iter().map(|key| db.position(key)).collect())
}

/// The set at a position returned by [`lookup_sets`].
fn set_at(db: &Db, pos: usize) -> &Set {
  match as_set(&db.entry_at(pos).value) {
    Ok(set) => set,
    Err(_) => unreachable!("lookup_sets checked the type"),
  }
}

/// SMEMBERS key: every member, as a set reply.
pub fn smembers(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  intersect(ctx, &argv[1..], Output::Reply)
}

/// SINTER key [key ...]: the members present in every set.
pub fn sinter(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  intersect(ctx, &argv[1..], Output::Reply)
}

/// SINTERSTORE destination key [key ...]: stores the intersection; replies with its size.
pub fn sinterstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  intersect(ctx, &argv[2..], Output::Store(argv[1]))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
///
/// The size of the intersection, counting stops at `limit` when it is not 0.
pub fn sintercard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let numkeys =
    crate::num::parse_i64(argv[1]).filter(|&n| n > 0).ok_or(Error::err("numkeys should be greater than 0"))?;
  let mut args = Args::new(argv, 2);
  let keys = usize::try_from(numkeys)
    .ok()
    .and_then(|numkeys| args.next_n(numkeys))
    .ok_or(Error::err("Number of keys can't be greater than number of args"))?;
  let mut limit = 0;
  while let Some(option) = args.next() {
    if !is(option, "LIMIT") {
      return Err(Error::Syntax);
    }
    limit = crate::num::parse_i64(args.value()?)
      .filter(|&limit| limit >= 0)
      .ok_or(Error::err("LIMIT can't be negative"))? as u64;
  }
  intersect(ctx, keys, Output::Cardinality(limit))
}

/// Redis's `sinterGenericCommand`.
fn intersect(ctx: &mut Ctx, keys: &[&[u8]], output: Output) -> CmdResult {
  let positions = lookup_sets(ctx, keys)?;
  let limit = max_intset(ctx);
  let Some(positions) = positions.into_iter().collect::<Option<Vec<usize>>>() else {
    // A missing key is an empty set: the intersection is empty.
    match output {
      Output::Reply => ctx.out.set(0),
      Output::Cardinality(_) => ctx.out.int(0),
      Output::Store(destination) => store_result(ctx, destination, Set::new_intset(), "sinterstore"),
    }
    return Ok(());
  };
  let db = &ctx.server.keyspace.dbs[ctx.session.db];
  let mut sets: Vec<(usize, &Set)> = positions.iter().map(|&pos| (pos, set_at(db, pos))).collect();
  sets.sort_by_key(|(_, set)| set.len());
  let (smallest_pos, smallest) = sets[0];
  // The same key given twice is the same set: no need to check it against itself.
  let others: Vec<&Set> = sets[1..].iter().filter(|(pos, _)| *pos != smallest_pos).map(|&(_, set)| set).collect();
  let mut common = smallest.members().filter(|&member| others.iter().all(|set| set.contains(member)));
  match output {
    Output::Reply if others.is_empty() => reply_set(ctx.out, smallest),
    Output::Reply => {
      let found: Vec<Member> = common.collect();
      ctx.out.set(found.len());
      found.into_iter().for_each(|member| reply_member(ctx.out, member));
    }
    Output::Cardinality(stop_at) => {
      let mut count = 0;
      while (stop_at == 0 || count < stop_at) && common.next().is_some() {
        count += 1;
      }
      ctx.out.int(count as i64);
    }
    Output::Store(destination) => {
      let mut result = Set::new_intset();
      common.for_each(|member| {
        result.add(member, limit);
      });
      store_result(ctx, destination, result, "sinterstore");
    }
  }
  Ok(())
}

/// SUNION key [key ...]: the members present in any set.
pub fn sunion(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  union_or_diff(ctx, &argv[1..], Operation::Union, None)
}

/// SUNIONSTORE destination key [key ...]: stores the union; replies with its size.
pub fn sunionstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  union_or_diff(ctx, &argv[2..], Operation::Union, Some(argv[1]))
}

/// SDIFF key [key ...]: the members of the first set present in none of the others.
pub fn sdiff(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  union_or_diff(ctx, &argv[1..], Operation::Diff, None)
}

/// SDIFFSTORE destination key [key ...]: stores the difference; replies with its size.
pub fn sdiffstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  union_or_diff(ctx, &argv[2..], Operation::Diff, Some(argv[1]))
}

#[derive(Clone, Copy)]
enum Operation {
  Union,
  Diff,
}

/// Redis's `sunionDiffGenericCommand`.
fn union_or_diff(ctx: &mut Ctx, keys: &[&[u8]], operation: Operation, destination: Option<&[u8]>) -> CmdResult {
  let positions = lookup_sets(ctx, keys)?;
  let limit = max_intset(ctx);
  let db = &ctx.server.keyspace.dbs[ctx.session.db];
  let sets: Vec<Option<&Set>> = positions.iter().map(|pos| pos.map(|pos| set_at(db, pos))).collect();
  let result = match operation {
    Operation::Union => union(&sets, limit),
    Operation::Diff => difference(&positions, &sets, limit),
  };
  match destination {
    None => reply_set(ctx.out, &result),
    Some(destination) => {
      let event = match operation {
        Operation::Union => "sunionstore",
        Operation::Diff => "sdiffstore",
      };
      store_result(ctx, destination, result, event)
    }
  }
  Ok(())
}

/// The union of `sets` (`None` = empty), built into a new intset-first set.
pub(super) fn union(sets: &[Option<&Set>], limit: usize) -> Set {
  let mut result = Set::new_intset();
  for set in sets.iter().flatten() {
    for member in set.members() {
      result.add(member, limit);
    }
  }
  result
}

/// The first set minus the others, with Redis's choice of algorithm.
fn difference(positions: &[Option<usize>], sets: &[Option<&Set>], limit: usize) -> Set {
  let mut result = Set::new_intset();
  let Some(first) = sets[0] else {
    return result;
  };
  // The first key repeated: everything is subtracted.
  if positions[1..].contains(&positions[0]) {
    return result;
  }
  let mut others: Vec<&Set> = sets[1..].iter().flatten().copied().collect();
  // Walking the first set costs its size per set; copying and removing costs every set's
  // size. Redis halves the first estimate, as the walk has cheaper steps.
  let walk_work = first.len() as u64 * (others.len() as u64 + 1) / 2;
  let copy_work = first.len() as u64 + others.iter().map(|set| set.len() as u64).sum::<u64>();
  if walk_work <= copy_work {
    // Larger sets first: a member is more likely to be found early.
    others.sort_by_key(|set| std::cmp::Reverse(set.len()));
    for member in first.members() {
      if !others.iter().any(|set| set.contains(member)) {
        result.add(member, limit);
      }
    }
  } else {
    for member in first.members() {
      result.add(member, limit);
    }
    for set in others {
      if result.is_empty() {
        break;
      }
      for member in set.members() {
        result.remove(member);
      }
    }
  }
  result
}
