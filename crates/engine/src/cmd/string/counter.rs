//! INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT: arithmetic on string values.
//!
//! The integer commands read the value with Redis's strict integer syntax (a missing key is
//! 0), refuse to overflow an `i64`, and store the result int-encoded. INCRBYFLOAT computes in
//! x87 extended precision like Redis's `long double` (see [`crate::long_double`]) and stores the
//! result's text, which is also the reply; the next INCRBYFLOAT parses that text again. All of
//! them overwrite the value in place, so the key keeps its time to live.
//!
//! Every change fires `incrby` (whichever integer command made it) or `incrbyfloat`.

use super::string_bytes;
use crate::bytes::SmallBytes;
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::long_double::LongDouble;
use crate::num::parse_i64;
use crate::value::Value;

/// INCR key
pub fn incr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  add_integer(ctx, argv[1], 1)
}

/// DECR key
pub fn decr(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  add_integer(ctx, argv[1], -1)
}

/// INCRBY key increment
pub fn incrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let increment = int_arg(argv[2])?;
  add_integer(ctx, argv[1], increment)
}

/// DECRBY key decrement
pub fn decrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let decrement = int_arg(argv[2])?;
  if decrement == i64::MIN {
    return Err(Error::err("decrement would overflow"));
  }
  add_integer(ctx, argv[1], -decrement)
}

/// Adds `delta` to the integer at `key` (0 when missing) and replies with the result.
fn add_integer(ctx: &mut Ctx, key: &[u8], delta: i64) -> CmdResult {
  let now = ctx.now_ms;
  let entry = ctx.lookup_write(key).0;
  let current = match &entry {
    Some(entry) => integer_value(&entry.value)?,
    None => 0,
  };
  let result = current.checked_add(delta).ok_or(Error::Overflow)?;
  match entry {
    Some(entry) => entry.value = Value::Int(result),
    None => {
      ctx.db().set(key, Value::Int(result), false, now);
    }
  }
  ctx.changed(notify::STRING, "incrby", key);
  ctx.out.int(result);
  Ok(())
}

/// The integer a string value holds (Redis's `string2ll` syntax).
fn integer_value(value: &Value) -> Result<i64, Error> {
  match value {
    Value::Int(n) => Ok(*n),
    other => parse_i64(&string_bytes(other)?).ok_or(Error::NotInteger),
  }
}

/// INCRBYFLOAT key increment
///
/// Replies with the new value as a bulk string: `%.17Lf` with trailing zeros removed.
///
/// Propagated as `SET key <result> KEEPTTL`: replaying the addition could round or format
/// differently elsewhere, the result cannot.
pub fn incrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let now = ctx.now_ms;
  let entry = ctx.lookup_write(key).0;
  let current = match &entry {
    Some(entry) => float_value(&entry.value)?,
    None => LongDouble::ZERO,
  };
  let increment = LongDouble::parse(argv[2]).ok_or(Error::NotFloat)?;
  let sum = current + increment;
  if !sum.is_finite() {
    return Err(Error::err("increment would produce NaN or Infinity"));
  }
  let text = sum.to_human_string();
  // Stored as text, not int-encoded, exactly as Redis's createStringObject leaves it.
  let value = Value::Str(SmallBytes::new(text.as_bytes()));
  match entry {
    Some(entry) => entry.value = value,
    None => {
      ctx.db().set(key, value, false, now);
    }
  }
  ctx.changed(notify::STRING, "incrbyfloat", key);
  ctx.out.bulk(text.as_bytes());
  if ctx.propagating() {
    ctx.propagate_as(vec![b"SET".to_vec(), key.to_vec(), text.into_bytes(), b"KEEPTTL".to_vec()]);
  }
  Ok(())
}

/// The number a string value holds, read like Redis's `string2ld`.
fn float_value(value: &Value) -> Result<LongDouble, Error> {
  match value {
    Value::Int(n) => Ok(LongDouble::from_i64(*n)),
    other => LongDouble::parse(&string_bytes(other)?).ok_or(Error::NotFloat),
  }
}
