//! Sorted sets: unique members ordered by score, then by member.

use crate::bytes::SmallBytes;

#[derive(Clone, Default)]
pub struct ZSet {
  pub members: Vec<(SmallBytes, f64)>,
}

impl ZSet {
  pub fn encoding(&self) -> &'static str {
    "listpack"
  }

  pub fn len(&self) -> usize {
    self.members.len()
  }

  pub fn is_empty(&self) -> bool {
    self.members.is_empty()
  }

  /// Every member and its score, in order.
  pub fn iter(&self) -> impl Iterator<Item = (&[u8], f64)> + '_ {
    self.members.iter().map(|(m, s)| (m.as_slice(), *s))
  }

  /// Heap bytes owned by the sorted set (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    self.members.capacity() * std::mem::size_of::<(SmallBytes, f64)>()
  }
}
