//! HINCRBY and HINCRBYFLOAT: arithmetic on hash values.
//!
//! Both parse the increment before looking the key up, treat a missing field (or key) as 0,
//! and store the result as the field's new text. HINCRBY follows Redis's strict integer
//! syntax and refuses to overflow an `i64`; HINCRBYFLOAT computes in x87 extended precision
//! like Redis's `long double` (see [`crate::long_double`]) and stores the text it replies.
//! A result longer than `hash-max-listpack-value` converts the hash, as in Redis. A failed
//! increment changes nothing and reports nothing.

use super::update_hash;
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::long_double::LongDouble;
use crate::num::{i64_bytes, parse_i64};

/// HINCRBY key field increment: the new value.
pub fn hincrby(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, field) = (argv[1], argv[2]);
  let increment = int_arg(argv[3])?;
  let result = update_hash(ctx, key, |hash, limits| {
    let current = match hash.get(field) {
      Some(value) => parse_i64(value).ok_or(Error::err("hash value is not an integer"))?,
      None => 0,
    };
    let result = current.checked_add(increment).ok_or(Error::Overflow)?;
    hash.set(field, &i64_bytes(result), limits);
    Ok(result)
  })?;
  ctx.out.int(result);
  ctx.changed(notify::HASH, "hincrby", key);
  Ok(())
}

/// HINCRBYFLOAT key field increment
///
/// Replies with the new value as a bulk string: `%.17Lf` with trailing zeros removed.
/// Propagated as `HSET key field <new value>`, so that a replica or an AOF replay stores the
/// very text computed here, whatever its own floating-point arithmetic would give.
pub fn hincrbyfloat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, field) = (argv[1], argv[2]);
  let increment = LongDouble::parse(argv[3]).ok_or(Error::NotFloat)?;
  if !increment.is_finite() {
    return Err(Error::err("value is NaN or Infinity"));
  }
  let text = update_hash(ctx, key, |hash, limits| {
    let current = match hash.get(field) {
      Some(value) => LongDouble::parse(value).ok_or(Error::err("hash value is not a float"))?,
      None => LongDouble::ZERO,
    };
    let sum = current + increment;
    if !sum.is_finite() {
      return Err(Error::err("increment would produce NaN or Infinity"));
    }
    let text = sum.to_human_string();
    hash.set(field, text.as_bytes(), limits);
    Ok(text)
  })?;
  ctx.out.bulk(text.as_bytes());
  ctx.changed(notify::HASH, "hincrbyfloat", key);
  ctx.propagate_as(vec![b"HSET".to_vec(), key.to_vec(), field.to_vec(), text.into_bytes()]);
  Ok(())
}
