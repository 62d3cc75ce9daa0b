//! String commands: GET/SET and their variants, multi-key MGET/MSET, counters, ranges and
//! APPEND, and LCS. This module holds the helpers they share.

mod counter;
mod get_set;
mod lcs;
mod multi;
mod range;

pub use counter::*;
pub use get_set::*;
pub use lcs::*;
pub use multi::*;
pub use range::*;

use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::value::Value;
use std::borrow::Cow;

/// The bytes of a string value (an integer is formatted); WRONGTYPE for other types.
fn string_bytes(value: &Value) -> Result<Cow<'_, [u8]>, Error> {
  value.as_bytes().ok_or(Error::WrongType)
}

/// Writes a string value as a bulk reply; WRONGTYPE for other types.
fn reply_value(out: &mut Reply, value: &Value) -> CmdResult {
  match value {
    Value::Int(n) => out.bulk_i64(*n),
    other => out.bulk(&string_bytes(other)?),
  }
  Ok(())
}

/// Redis's `checkStringLength`: a string of `size` bytes growing by `append` bytes must stay
/// within proto-max-bulk-len (the sum is computed with wrap-around, which also catches
/// offsets near `i64::MAX`).
fn check_string_length(max: i64, size: i64, append: i64) -> CmdResult {
  let total = size.wrapping_add(append);
  if total > max || total < size || total < append {
    return Err(Error::err("string exceeds maximum allowed size (proto-max-bulk-len)"));
  }
  Ok(())
}
