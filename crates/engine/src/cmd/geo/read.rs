//! The per-member geo readers: GEOPOS, GEODIST and GEOHASH.
//!
//! A member's position is read back from its score (the centre of its cell, see
//! `crate::geo::hash`), so any sorted set answers, whatever its scores. A missing key reads as
//! an empty index; a key of another type is WRONGTYPE, except that GEODIST checks its unit
//! argument first.

use super::{reply_distance, reply_position, unit};
use crate::cmd::Ctx;
use crate::db::Entry;
use crate::error::{CmdResult, Error};
use crate::geo::area::distance;
use crate::geo::hash::{decode_score, standard_geohash};
use crate::resp::Reply;
use crate::types::zset::ZSet;
use crate::value::Value;

/// The sorted set at `key` for reading (a keyspace hit or miss), with the output.
fn read_index<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<(Option<&'a ZSet>, &'a mut Reply), Error> {
  let (entry, out) = ctx.lookup_read(key);
  Ok((as_index(entry)?, out))
}

/// The sorted set in `entry`; WRONGTYPE for other types.
pub(super) fn as_index(entry: Option<&mut Entry>) -> Result<Option<&ZSet>, Error> {
  match entry.map(|entry| &entry.value) {
    None => Ok(None),
    Some(Value::ZSet(zset)) => Ok(Some(zset)),
    Some(_) => Err(Error::WrongType),
  }
}

/// GEOPOS key [member ...]: each member's position as `[longitude, latitude]`, or a null
/// array for a missing member.
pub fn geopos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (index, out) = read_index(ctx, argv[1])?;
  out.array(argv.len() - 2);
  for member in &argv[2..] {
    match index.and_then(|index| index.score(member)) {
      Some(score) => reply_position(out, decode_score(score)),
      None => out.null_array(),
    }
  }
  Ok(())
}

/// GEOHASH key [member ...]: each member's position as an 11-character standard geohash, or
/// null for a missing member.
pub fn geohash(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (index, out) = read_index(ctx, argv[1])?;
  out.array(argv.len() - 2);
  for member in &argv[2..] {
    match index.and_then(|index| index.score(member)) {
      Some(score) => out.bulk(&standard_geohash(score)),
      None => out.null(),
    }
  }
  Ok(())
}

/// GEODIST key member1 member2 [M|KM|FT|MI]: the distance between two members (in metres by
/// default), or null when the key or either member is missing.
pub fn geodist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let to_meters = match argv.len() {
    4 => 1.0,
    5 => unit(argv[4])?,
    _ => return Err(Error::Syntax),
  };
  let (index, out) = read_index(ctx, argv[1])?;
  let scores = index.and_then(|index| Some((index.score(argv[2])?, index.score(argv[3])?)));
  match scores {
    Some((first, second)) => {
      let (lon1, lat1) = decode_score(first);
      let (lon2, lat2) = decode_score(second);
      reply_distance(out, distance(lon1, lat1, lon2, lat2) / to_meters);
    }
    None => out.null(),
  }
  Ok(())
}
