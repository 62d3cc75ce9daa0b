//! GEOADD, which Redis implements as a ZADD of geohash scores.
//!
//! `GEOADD key [NX|XX] [CH] lon lat member ...` reads its options (NX, XX, CH, in any order
//! and repeated), then needs whole triples; options without triples, a partial triple, or NX
//! with XX are a syntax error. Each triple is checked in turn (numbers, then the coordinate
//! limits). The command is then rewritten as `zadd key [options] score member ...`, each
//! score the decimal 52-bit hash of its position, and ZADD runs it: ZADD checks the key's type,
//! applies the pairs, replies, reports a `zadd` event, and the rewritten command is what the
//! write stream replays.

use super::lon_lat;
use crate::cmd::{is, zset, Ctx};
use crate::error::{CmdResult, Error};
use crate::geo::hash::encode_score;

/// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
pub fn geoadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut first = 2;
  let (mut nx, mut xx) = (false, false);
  while let Some(&option) = argv.get(first) {
    if is(option, "nx") {
      nx = true;
    } else if is(option, "xx") {
      xx = true;
    } else if !is(option, "ch") {
      break;
    }
    first += 1;
  }
  let triples = &argv[first..];
  if !triples.len().is_multiple_of(3) || (nx && xx) {
    return Err(Error::Syntax);
  }

  // The scores, as decimal text, one after the other in one buffer.
  let mut digits = Vec::with_capacity(triples.len() / 3 * 17);
  let mut ends = Vec::with_capacity(triples.len() / 3);
  for triple in triples.chunks(3) {
    let (lon, lat) = lon_lat(triple[0], triple[1])?;
    crate::num::write_i64(&mut digits, encode_score(lon, lat) as i64);
    ends.push(digits.len());
  }

  let mut zadd: Vec<&[u8]> = Vec::with_capacity(first + triples.len() / 3 * 2);
  zadd.push(b"zadd");
  zadd.extend_from_slice(&argv[1..first]);
  let mut start = 0;
  for (triple, &end) in triples.chunks(3).zip(&ends) {
    zadd.push(&digits[start..end]);
    zadd.push(triple[2]);
    start = end;
  }
  if ctx.propagating() {
    ctx.propagate_as(zadd.iter().map(|arg| arg.to_vec()).collect());
  }
  zset::zadd(ctx, &zadd)
}
