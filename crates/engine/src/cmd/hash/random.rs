//! HRANDFIELD: random fields, optionally with their values.
//!
//! Draws are uniform over the hash's positions. The strategies follow Redis's because they
//! decide the reply's shape and order: a negative count returns that many independent draws
//! (repeats allowed), as does a count of 1; a count at least the hash's size returns the whole
//! hash in iteration order; a smaller positive count returns distinct fields in random order.
//! WITHVALUES pairs every field with its value: flat in RESP2, one two-element array per pair
//! in RESP3.

use super::read_hash_with_rng;
use crate::cmd::{draws, int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::types::hash::ByPosition;

/// HRANDFIELD key [count [WITHVALUES]]
///
/// Without a count: one random field, or null. With a count: an array of fields (and values),
/// empty when the key does not exist.
pub fn hrandfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() == 2 {
    let (hash, rng, out) = read_hash_with_rng(ctx, argv[1])?;
    match hash {
      Some(hash) => {
        let pairs = hash.by_position();
        let (field, _) = pairs.get(rng.below(pairs.len() as u64) as usize);
        out.bulk(field);
      }
      None => out.null(),
    }
    return Ok(());
  }
  let count = int_arg(argv[2])?;
  if count == i64::MIN {
    return Err(Error::err(format!("value is out of range, value must between {} and {}", -i64::MAX, i64::MAX)));
  }
  let with_values = match argv.len() {
    3 => false,
    4 if is(argv[3], "WITHVALUES") => true,
    _ => return Err(Error::Syntax),
  };
  if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
    return Err(Error::err("value is out of range"));
  }
  let (count, distinct) = (count.unsigned_abs(), count >= 0);
  let reply_cap = draws::reply_cap(&ctx.server.config);
  let (hash, rng, out) = read_hash_with_rng(ctx, argv[1])?;
  let Some(hash) = hash else {
    out.array(0);
    return Ok(());
  };
  if count == 0 {
    out.array(0);
    return Ok(());
  }
  let pairs = hash.by_position();
  let size = pairs.len() as u64;
  let reply = Pairs { pairs: &pairs, with_values };

  if !distinct || count == 1 {
    let start = out.buf.len();
    reply.header(out, count);
    let complete = draws::write_draws(out, reply_cap, start, count, |out| reply.pair(out, rng.below(size) as usize));
    ctx.session.close_after_reply |= !complete;
    return Ok(());
  }

  if count >= size {
    reply.header(out, size);
    (0..pairs.len()).for_each(|pos| reply.pair(out, pos));
    return Ok(());
  }

  let chosen = rng.distinct_positions(size, count);
  reply.header(out, count);
  chosen.into_iter().for_each(|pos| reply.pair(out, pos));
  Ok(())
}

/// Writes drawn pairs in HRANDFIELD's shape.
struct Pairs<'a> {
  pairs: &'a ByPosition<'a>,
  with_values: bool,
}

impl Pairs<'_> {
  /// The array header for `count` draws.
  fn header(&self, out: &mut Reply, count: u64) {
    let flat = self.with_values && !out.resp3;
    out.array(if flat { count * 2 } else { count } as usize);
  }

  /// The field at `pos`, with its value if asked.
  fn pair(&self, out: &mut Reply, pos: usize) {
    let (field, value) = self.pairs.get(pos);
    if self.with_values {
      if out.resp3 {
        out.array(2);
      }
      out.bulk(field);
      out.bulk(value);
    } else {
      out.bulk(field);
    }
  }
}
