//! Sets: unordered collections of unique byte strings.

use crate::bytes::SmallBytes;

#[derive(Clone, Default)]
pub struct Set {
  pub members: Vec<SmallBytes>,
}

impl Set {
  pub fn encoding(&self) -> &'static str {
    "hashtable"
  }

  pub fn len(&self) -> usize {
    self.members.len()
  }

  pub fn is_empty(&self) -> bool {
    self.members.is_empty()
  }

  /// Every element (for DEBUG DIGEST and generic iteration), in order for a list.
  pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
    self.members.iter().map(|e| e.as_slice())
  }

  /// Heap bytes owned by the set (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    self.members.capacity() * std::mem::size_of::<SmallBytes>()
  }
}
