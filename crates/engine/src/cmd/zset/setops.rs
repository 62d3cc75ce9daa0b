//! Set operations over sorted sets (and plain sets, whose members score 1): ZUNION, ZINTER,
//! ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and ZINTERCARD, through one function like
//! Redis's `zunionInterDiffGenericCommand`.
//!
//! Order of checks, as in Redis: numkeys (an integer, at least 1, not more than the arguments
//! left), the type of every input key, then the options (WEIGHTS and AGGREGATE except for
//! ZDIFF, WITHSCORES for the replying forms, LIMIT for ZINTERCARD).
//!
//! Scores combine as Redis computes them, so floating-point results match: each input's score
//! is multiplied by its weight (a NaN product counts as 0), and the inputs are visited from the
//! smallest to the largest (a stable order for equal sizes) for ZUNION and ZINTER, aggregating
//! with SUM (where +inf + -inf gives 0), MIN or MAX. ZDIFF keeps the first input's own scores.
//! Results come out sorted by score, then member.

use super::args::{parse_score, ranged_int};
use super::{pair, pairs_header, store};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::types::set::Set;
use crate::types::zset::ZSet;
use crate::value::Value;
use foldhash::fast::RandomState;
use hashbrown::{HashMap, HashSet};
use std::cmp::Ordering;

#[derive(Clone, Copy, PartialEq)]
enum Op {
  Union,
  Inter,
  Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
  Sum,
  Min,
  Max,
}

impl Aggregate {
  /// Redis's `zunionInterAggregate`.
  #[inline]
  fn apply(self, target: &mut f64, value: f64) {
    match self {
      Aggregate::Sum => {
        *target += value;
        if target.is_nan() {
          *target = 0.0;
        }
      }
      Aggregate::Min => *target = if value < *target { value } else { *target },
      Aggregate::Max => *target = if value > *target { value } else { *target },
    }
  }
}

/// ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zunion(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zunion", Op::Union, Output::Reply)
}

/// ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub fn zinter(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zinter", Op::Inter, Output::Reply)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
pub fn zdiff(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zdiff", Op::Diff, Output::Reply)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
pub fn zunionstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zunionstore", Op::Union, Output::Store)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX]
pub fn zinterstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zinterstore", Op::Inter, Output::Store)
}

/// ZDIFFSTORE destination numkeys key [key ...]
pub fn zdiffstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zdiffstore", Op::Diff, Output::Store)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]: the size of the intersection, counting at
/// most `limit` members (0: no limit).
pub fn zintercard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_operation(ctx, argv, "zintercard", Op::Inter, Output::Cardinality)
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
  /// Reply with the members (and scores with WITHSCORES).
  Reply,
  /// Store into the destination (`argv[1]`) and reply its size.
  Store,
  /// Reply the intersection's size.
  Cardinality,
}

/// One input: a sorted set, a set (members score 1), or a missing key (empty).
#[derive(Clone, Copy)]
enum Input<'a> {
  Missing,
  ZSet(&'a ZSet),
  Set(&'a Set),
}

impl<'a> Input<'a> {
  fn len(&self) -> usize {
    match self {
      Input::Missing => 0,
      Input::ZSet(zset) => zset.len(),
      Input::Set(set) => set.len(),
    }
  }

  /// Visits every member with its score. Sorted sets are walked from the highest score down,
  /// as Redis's iterator does.
  fn for_each(&self, mut visit: impl FnMut(&'a [u8], f64) -> bool) {
    match *self {
      Input::Missing => {}
      Input::ZSet(zset) if zset.is_empty() => {}
      Input::ZSet(zset) => {
        for (member, score) in zset.range(zset.pos_at_rank(zset.len() - 1), true) {
          if !visit(member, score) {
            return;
          }
        }
      }
      Input::Set(set) => {
        for member in set.iter() {
          if !visit(member, 1.0) {
            return;
          }
        }
      }
    }
  }
}

/// Membership test on an input (a set's members are indexed once for it).
enum Finder<'a> {
  Missing,
  ZSet(&'a ZSet),
  Set(HashSet<&'a [u8], RandomState>),
}

impl<'a> Finder<'a> {
  fn new(input: Input<'a>) -> Self {
    match input {
      Input::Missing => Finder::Missing,
      Input::ZSet(zset) => Finder::ZSet(zset),
      Input::Set(set) => {
        let mut members = HashSet::with_capacity_and_hasher(set.len(), RandomState::default());
        members.extend(set.iter());
        Finder::Set(members)
      }
    }
  }

  /// The member's score in this input.
  fn find(&self, member: &[u8]) -> Option<f64> {
    match self {
      Finder::Missing => None,
      Finder::ZSet(zset) => zset.score(member),
      Finder::Set(members) => members.contains(member).then_some(1.0),
    }
  }
}

fn set_operation(ctx: &mut Ctx, argv: &[&[u8]], name: &str, op: Op, output: Output) -> CmdResult {
  let numkeys_index = if output == Output::Store { 2 } else { 1 };
  let numkeys = int_arg(argv[numkeys_index])?;
  if numkeys < 1 {
    return Err(Error::err(format!("at least 1 input key is needed for '{name}' command")));
  }
  let mut args = Args::new(argv, numkeys_index + 1);
  let keys = usize::try_from(numkeys).ok().and_then(|numkeys| args.next_n(numkeys)).ok_or(Error::Syntax)?;
  for key in keys {
    if let Some(entry) = ctx.lookup_read(key).0 {
      if !matches!(entry.value, Value::ZSet(_) | Value::Set(_)) {
        return Err(Error::WrongType);
      }
    }
  }

  let mut weights = vec![1.0; keys.len()];
  let mut aggregate = Aggregate::Sum;
  let mut withscores = false;
  let mut limit = 0;
  while let Some(option) = args.next() {
    let weighted = op != Op::Diff && output != Output::Cardinality;
    if weighted && is(option, "weights") {
      let given = args.next_n(keys.len()).ok_or(Error::Syntax)?;
      for (weight, arg) in weights.iter_mut().zip(given) {
        *weight = parse_score(arg).ok_or(Error::err("weight value is not a float"))?;
      }
    } else if weighted && is(option, "aggregate") {
      let name = args.value()?;
      aggregate = if is(name, "sum") {
        Aggregate::Sum
      } else if is(name, "min") {
        Aggregate::Min
      } else if is(name, "max") {
        Aggregate::Max
      } else {
        return Err(Error::Syntax);
      };
    } else if output == Output::Reply && is(option, "withscores") {
      withscores = true;
    } else if output == Output::Cardinality && is(option, "limit") {
      limit = ranged_int(args.value()?, 0, i64::MAX, "LIMIT can't be negative")? as u64;
    } else {
      return Err(Error::Syntax);
    }
  }

  // Every lookup is done (expired keys are gone), so the entries can all be borrowed now.
  let db = &ctx.server.keyspace.dbs[ctx.session.db];
  let mut inputs: Vec<(Input, f64)> = keys
    .iter()
    .map(|key| match db.position(key).map(|pos| &db.entry_at(pos).value) {
      Some(Value::ZSet(zset)) => Input::ZSet(zset),
      Some(Value::Set(set)) => Input::Set(set),
      _ => Input::Missing,
    })
    .zip(weights)
    .collect();
  if op != Op::Diff {
    inputs.sort_by_key(|(input, _)| input.len());
  }

  if output == Output::Cardinality {
    let count = intersection(&inputs, aggregate, limit).len();
    ctx.out.int(count as i64);
    return Ok(());
  }
  let mut result = match op {
    Op::Union => union(&inputs, aggregate),
    Op::Inter => intersection(&inputs, aggregate, 0),
    Op::Diff => difference(&inputs),
  };
  result.sort_by(by_score_then_member);
  if output == Output::Store {
    let items = result.into_iter().map(|(member, score)| (SmallBytes::new(member), score)).collect();
    store(ctx, argv[1], items, name);
  } else {
    let out = &mut *ctx.out;
    pairs_header(out, result.len(), withscores);
    for (member, score) in result {
      pair(out, member, score, withscores);
    }
  }
  Ok(())
}

/// Sorted-set order: by score (-0 equal to 0; never NaN here), then by member bytes.
fn by_score_then_member(a: &(&[u8], f64), b: &(&[u8], f64)) -> Ordering {
  a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal).then_with(|| a.0.cmp(b.0))
}

/// The weighted score of one input's member; NaN (0 × inf) counts as 0.
#[inline]
fn weighted(weight: f64, score: f64) -> f64 {
  let product = weight * score;
  if product.is_nan() {
    0.0
  } else {
    product
  }
}

fn union<'a>(inputs: &[(Input<'a>, f64)], aggregate: Aggregate) -> Vec<(&'a [u8], f64)> {
  let capacity = inputs.last().map_or(0, |(input, _)| input.len());
  let mut scores: HashMap<&'a [u8], f64, RandomState> =
    HashMap::with_capacity_and_hasher(capacity, RandomState::default());
  for &(input, weight) in inputs {
    input.for_each(|member, score| {
      let score = weighted(weight, score);
      scores.entry(member).and_modify(|total| aggregate.apply(total, score)).or_insert(score);
      true
    });
  }
  scores.into_iter().collect()
}

/// The members of the first (smallest) input found in every other one. With a `limit`,
/// stops after that many.
fn intersection<'a>(inputs: &[(Input<'a>, f64)], aggregate: Aggregate, limit: u64) -> Vec<(&'a [u8], f64)> {
  let mut result = Vec::new();
  let Some(&(first, first_weight)) = inputs.first() else { return result };
  if first.len() == 0 {
    return result;
  }
  let others: Vec<(Finder, f64)> = inputs[1..].iter().map(|&(input, weight)| (Finder::new(input), weight)).collect();
  first.for_each(|member, score| {
    let mut total = weighted(first_weight, score);
    for (finder, weight) in &others {
      match finder.find(member) {
        Some(score) => aggregate.apply(&mut total, score * weight),
        None => return true,
      }
    }
    result.push((member, total));
    limit == 0 || (result.len() as u64) < limit
  });
  result
}

/// The members of the first input that are in no other one, with their own scores.
fn difference<'a>(inputs: &[(Input<'a>, f64)]) -> Vec<(&'a [u8], f64)> {
  let mut result = Vec::new();
  let Some(&(first, _)) = inputs.first() else { return result };
  let others: Vec<Finder> = inputs[1..].iter().map(|&(input, _)| Finder::new(input)).collect();
  first.for_each(|member, score| {
    if others.iter().all(|finder| finder.find(member).is_none()) {
      result.push((member, score));
    }
    true
  });
  result
}
