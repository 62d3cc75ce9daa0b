//! Lists: a double-ended sequence of byte strings (OBJECT ENCODING `quicklist`, as Redis 7.0
//! reports for every list).

use crate::bytes::SmallBytes;
use std::collections::VecDeque;

#[derive(Clone, Default)]
pub struct List {
  pub items: VecDeque<SmallBytes>,
}

impl List {
  pub fn encoding(&self) -> &'static str {
    "quicklist"
  }

  pub fn len(&self) -> usize {
    self.items.len()
  }

  pub fn is_empty(&self) -> bool {
    self.items.is_empty()
  }

  /// Every element (for DEBUG DIGEST and generic iteration), in order for a list.
  pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
    self.items.iter().map(|e| e.as_slice())
  }

  /// Heap bytes owned by the list (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    self.items.capacity() * std::mem::size_of::<SmallBytes>() + self.items.iter().map(|i| i.heap_size()).sum::<usize>()
  }
}
