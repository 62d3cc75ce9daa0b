//! HGET, HMGET, HEXISTS, HSTRLEN, HLEN, HGETALL, HKEYS and HVALS: reading fields.
//!
//! A missing key reads as an empty hash. The whole-hash replies follow the hash's iteration
//! order (insertion order for a listpack, as in Redis); HGETALL is a map in RESP3.

use super::read_hash;
use crate::cmd::Ctx;
use crate::error::CmdResult;

/// HGET key field: the value, or null.
pub fn hget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  match hash.and_then(|hash| hash.get(argv[2])) {
    Some(value) => out.bulk(value),
    None => out.null(),
  }
  Ok(())
}

/// HMGET key field [field ...]: the value of each field, or null, in order.
pub fn hmget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  out.array(argv.len() - 2);
  for field in &argv[2..] {
    match hash.and_then(|hash| hash.get(field)) {
      Some(value) => out.bulk(value),
      None => out.null(),
    }
  }
  Ok(())
}

/// HEXISTS key field: 1 if the field exists, else 0.
pub fn hexists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  out.int(hash.is_some_and(|hash| hash.contains(argv[2])) as i64);
  Ok(())
}

/// HSTRLEN key field: the length of the field's value, 0 when absent.
pub fn hstrlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  out.int(hash.and_then(|hash| hash.get(argv[2])).map_or(0, |value| value.len()) as i64);
  Ok(())
}

/// HLEN key: the number of fields.
pub fn hlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  out.int(hash.map_or(0, |hash| hash.len()) as i64);
  Ok(())
}

/// HGETALL key: every field and its value, as a map.
pub fn hgetall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (hash, out) = read_hash(ctx, argv[1])?;
  let Some(hash) = hash else {
    out.map(0);
    return Ok(());
  };
  out.map(hash.len());
  for (field, value) in hash.iter() {
    out.bulk(field);
    out.bulk(value);
  }
  Ok(())
}

/// HKEYS key: every field.
pub fn hkeys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_one_side(ctx, argv[1], false)
}

/// HVALS key: every value.
pub fn hvals(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_one_side(ctx, argv[1], true)
}

/// Replies with an array of the fields, or of the values, of the hash at `key`.
fn reply_one_side(ctx: &mut Ctx, key: &[u8], values: bool) -> CmdResult {
  let (hash, out) = read_hash(ctx, key)?;
  let Some(hash) = hash else {
    out.array(0);
    return Ok(());
  };
  out.array(hash.len());
  for (field, value) in hash.iter() {
    out.bulk(if values { value } else { field });
  }
  Ok(())
}
