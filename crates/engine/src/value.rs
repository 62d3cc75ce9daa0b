//! The values a key can hold.
//!
//! Strings come in the three encodings Redis reports through OBJECT ENCODING: `int` (a value
//! that reads as a 64-bit integer, stored as one), `embstr` (a short string written whole by a
//! command such as SET) and `raw` (a long string, or one modified in place by APPEND or
//! SETRANGE, which keeps spare capacity so repeated appends stay amortised O(1)).
//! Collection types are boxed so a `Value` stays 24 bytes; each lives in its own module under
//! `types/` and chooses its own compact and large encodings.

use crate::bytes::SmallBytes;
use crate::num::{parse_i64, write_i64};
use crate::types::{hash::Hash, list::List, set::Set, stream::Stream, zset::ZSet};
use std::borrow::Cow;

/// Strings up to this length report the `embstr` encoding, longer ones `raw` (Redis's
/// OBJ_ENCODING_EMBSTR_SIZE_LIMIT).
pub const EMBSTR_LIMIT: usize = 44;

#[derive(Clone)]
pub enum Value {
  Int(i64),
  Str(SmallBytes),
  Raw(Box<Vec<u8>>),
  List(Box<List>),
  Hash(Box<Hash>),
  Set(Box<Set>),
  ZSet(Box<ZSet>),
  Stream(Box<Stream>),
}

impl Value {
  /// A string value with Redis's encoding choice (`tryObjectEncoding`): integers that
  /// round-trip exactly are stored as numbers.
  pub fn string(bytes: &[u8]) -> Value {
    if bytes.len() <= 20 {
      if let Some(n) = parse_i64(bytes) {
        return Value::Int(n);
      }
    }
    Value::Str(SmallBytes::new(bytes))
  }

  /// Like [`Value::string`], taking ownership of the buffer.
  pub fn string_from_vec(bytes: Vec<u8>) -> Value {
    if bytes.len() <= 20 {
      if let Some(n) = parse_i64(&bytes) {
        return Value::Int(n);
      }
    }
    Value::Str(SmallBytes::from_vec(bytes))
  }

  /// The Redis type name, as TYPE reports it.
  pub fn type_name(&self) -> &'static str {
    match self {
      Value::Int(_) | Value::Str(_) | Value::Raw(_) => "string",
      Value::List(_) => "list",
      Value::Hash(_) => "hash",
      Value::Set(_) => "set",
      Value::ZSet(_) => "zset",
      Value::Stream(_) => "stream",
    }
  }

  /// The encoding name, as OBJECT ENCODING reports it.
  pub fn encoding(&self) -> &'static str {
    match self {
      Value::Int(_) => "int",
      Value::Str(s) if s.len() <= EMBSTR_LIMIT => "embstr",
      Value::Str(_) | Value::Raw(_) => "raw",
      Value::List(list) => list.encoding(),
      Value::Hash(hash) => hash.encoding(),
      Value::Set(set) => set.encoding(),
      Value::ZSet(zset) => zset.encoding(),
      Value::Stream(_) => "stream",
    }
  }

  /// The string's bytes, formatting an integer on demand. `None` for non-string types.
  pub fn as_bytes(&self) -> Option<Cow<'_, [u8]>> {
    match self {
      Value::Int(n) => {
        let mut digits = Vec::with_capacity(20);
        write_i64(&mut digits, *n);
        Some(Cow::Owned(digits))
      }
      Value::Str(s) => Some(Cow::Borrowed(s.as_slice())),
      Value::Raw(v) => Some(Cow::Borrowed(v.as_slice())),
      Value::List(_) | Value::Hash(_) | Value::Set(_) | Value::ZSet(_) | Value::Stream(_) => None,
    }
  }

  /// Whether this is a string (of any encoding).
  pub fn is_string(&self) -> bool {
    matches!(self, Value::Int(_) | Value::Str(_) | Value::Raw(_))
  }

  /// Converts a string to the `raw` encoding (if needed) and returns its growable buffer.
  /// `None` for non-string types.
  pub fn make_raw(&mut self) -> Option<&mut Vec<u8>> {
    if !matches!(self, Value::Raw(_)) {
      let bytes = self.as_bytes()?.into_owned();
      *self = Value::Raw(Box::new(bytes));
    }
    match self {
      Value::Raw(v) => Some(v),
      _ => None,
    }
  }

  /// Approximate heap bytes owned by the value (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    match self {
      Value::Int(_) => 0,
      Value::Str(s) => s.heap_size(),
      Value::Raw(v) => v.capacity() + std::mem::size_of::<Vec<u8>>(),
      Value::List(list) => std::mem::size_of::<List>() + list.heap_size(),
      Value::Hash(hash) => std::mem::size_of::<Hash>() + hash.heap_size(),
      Value::Set(set) => std::mem::size_of::<Set>() + set.heap_size(),
      Value::ZSet(zset) => std::mem::size_of::<ZSet>() + zset.heap_size(),
      Value::Stream(stream) => std::mem::size_of::<Stream>() + stream.heap_size(),
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn is_24_bytes() {
    assert_eq!(std::mem::size_of::<Value>(), 24);
  }

  #[test]
  fn encodings_follow_redis() {
    assert_eq!(Value::string(b"123").encoding(), "int");
    assert_eq!(Value::string(b"0123").encoding(), "embstr");
    assert_eq!(Value::string(&[b'a'; 44]).encoding(), "embstr");
    assert_eq!(Value::string(&[b'a'; 45]).encoding(), "raw");
    let mut v = Value::string(b"12");
    v.make_raw().unwrap().extend_from_slice(b"3");
    assert_eq!(v.encoding(), "raw");
    assert_eq!(&*v.as_bytes().unwrap(), b"123");
  }
}
