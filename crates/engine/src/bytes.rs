//! Compact, binary-safe byte strings for keys and small values.
//!
//! Most Redis keys and many values are short (`user:1234`, `42`, a session id). Storing each of
//! them in its own heap allocation would cost a pointer, a length, a capacity and the allocator's
//! own header — more than the data itself. `SmallBytes` keeps up to [`INLINE_CAP`] bytes inside
//! the 24-byte value and only falls back to an exact-size heap slice for longer data. The enum's
//! tag byte also leaves room for `Value` to place its own variants in the same 24 bytes.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// The longest byte string stored without a heap allocation.
pub const INLINE_CAP: usize = 22;

/// An immutable byte string: inline when short, one exact-size allocation otherwise.
#[derive(Clone)]
pub enum SmallBytes {
  Inline { len: u8, buf: [u8; INLINE_CAP] },
  Heap(Box<[u8]>),
}

impl SmallBytes {
  /// Copies `bytes` into a new string. O(n).
  pub fn new(bytes: &[u8]) -> Self {
    if bytes.len() <= INLINE_CAP {
      let mut buf = [0u8; INLINE_CAP];
      buf[..bytes.len()].copy_from_slice(bytes);
      SmallBytes::Inline { len: bytes.len() as u8, buf }
    } else {
      SmallBytes::Heap(bytes.into())
    }
  }

  /// Takes ownership of `bytes`, keeping its allocation when the data is too long to inline.
  pub fn from_vec(bytes: Vec<u8>) -> Self {
    if bytes.len() <= INLINE_CAP {
      Self::new(&bytes)
    } else {
      SmallBytes::Heap(bytes.into_boxed_slice())
    }
  }

  #[inline]
  pub fn as_slice(&self) -> &[u8] {
    match self {
      SmallBytes::Inline { len, buf } => &buf[..*len as usize],
      SmallBytes::Heap(data) => data,
    }
  }

  /// Bytes of heap memory owned by this string (0 when inline).
  pub fn heap_size(&self) -> usize {
    match self {
      SmallBytes::Inline { .. } => 0,
      SmallBytes::Heap(data) => data.len(),
    }
  }
}

impl Deref for SmallBytes {
  type Target = [u8];
  #[inline]
  fn deref(&self) -> &[u8] {
    self.as_slice()
  }
}

impl Borrow<[u8]> for SmallBytes {
  fn borrow(&self) -> &[u8] {
    self.as_slice()
  }
}

impl PartialEq for SmallBytes {
  fn eq(&self, other: &Self) -> bool {
    self.as_slice() == other.as_slice()
  }
}
impl Eq for SmallBytes {}

impl Hash for SmallBytes {
  fn hash<H: Hasher>(&self, state: &mut H) {
    self.as_slice().hash(state)
  }
}

impl fmt::Debug for SmallBytes {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{:?}", String::from_utf8_lossy(self.as_slice()))
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn is_24_bytes() {
    assert_eq!(std::mem::size_of::<SmallBytes>(), 24);
  }

  #[test]
  fn inline_and_heap_round_trip() {
    for len in [0, 1, INLINE_CAP, INLINE_CAP + 1, 1000] {
      let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
      let s = SmallBytes::new(&data);
      assert_eq!(s.as_slice(), &data[..]);
      assert_eq!(s.heap_size() == 0, len <= INLINE_CAP);
      assert_eq!(SmallBytes::from_vec(data.clone()).as_slice(), &data[..]);
    }
  }
}
