//! Lists: a double-ended sequence of byte strings.
//!
//! Redis 7.0 stores every list as a quicklist (a linked list of listpacks) and OBJECT ENCODING
//! always reports `quicklist`. Here a ring buffer of [`SmallBytes`] does the job: pushes and
//! pops at both ends are O(1), indexing (LINDEX, LSET, the start of an LRANGE) is O(1) instead
//! of Redis's O(N), and elements of up to 22 bytes live inside the buffer without their own
//! allocation. The buffer gives memory back when a list shrinks to a quarter of its capacity,
//! so a queue that once held many elements does not keep them reserved.

use crate::bytes::SmallBytes;
use std::collections::VecDeque;

/// Capacity (in elements) below which a shrinking list keeps its buffer.
const MIN_SHRINK_CAPACITY: usize = 64;

#[derive(Clone, Default)]
pub struct List {
  items: VecDeque<SmallBytes>,
}

impl List {
  pub fn new() -> Self {
    List::default()
  }

  pub fn encoding(&self) -> &'static str {
    "quicklist"
  }

  pub fn len(&self) -> usize {
    self.items.len()
  }

  pub fn is_empty(&self) -> bool {
    self.items.is_empty()
  }

  /// Every element, head to tail (for DEBUG DIGEST and generic iteration).
  pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator + '_ {
    self.items.iter().map(|e| e.as_slice())
  }

  /// The elements at positions `start..=end` (both within the list), head to tail.
  pub fn range(&self, start: usize, end: usize) -> impl Iterator<Item = &[u8]> + '_ {
    self.items.range(start..=end).map(|e| e.as_slice())
  }

  /// Heap bytes owned by the list (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    self.items.capacity() * std::mem::size_of::<SmallBytes>() + self.items.iter().map(|i| i.heap_size()).sum::<usize>()
  }

  pub fn push_front(&mut self, item: SmallBytes) {
    self.items.push_front(item);
  }

  pub fn push_back(&mut self, item: SmallBytes) {
    self.items.push_back(item);
  }

  pub fn pop_front(&mut self) -> Option<SmallBytes> {
    let item = self.items.pop_front();
    self.release_spare();
    item
  }

  pub fn pop_back(&mut self) -> Option<SmallBytes> {
    let item = self.items.pop_back();
    self.release_spare();
    item
  }

  /// The element at position `index` (0 = head).
  pub fn get(&self, index: usize) -> Option<&[u8]> {
    self.items.get(index).map(|e| e.as_slice())
  }

  /// Replaces the element at position `index`; false if there is none.
  pub fn set(&mut self, index: usize, item: SmallBytes) -> bool {
    match self.items.get_mut(index) {
      Some(slot) => {
        *slot = item;
        true
      }
      None => false,
    }
  }

  /// Inserts `item` so that it ends up at position `index` (`index <= len`).
  pub fn insert(&mut self, index: usize, item: SmallBytes) {
    self.items.insert(index, item);
  }

  /// Position of the first element equal to `value`, from the head.
  pub fn position(&self, value: &[u8]) -> Option<usize> {
    self.items.iter().position(|e| e.as_slice() == value)
  }

  /// Removes up to `limit` elements equal to `value` (all of them when `limit` is `None`),
  /// scanning from the head, or from the tail when `from_tail`. Returns how many went.
  pub fn remove_matching(&mut self, value: &[u8], limit: Option<usize>, from_tail: bool) -> usize {
    let matches = self.items.iter().filter(|e| e.as_slice() == value).count();
    let to_remove = limit.map_or(matches, |limit| limit.min(matches));
    if to_remove == 0 {
      return 0;
    }
    // From the tail, the matches to keep are the first ones.
    let keep_first = if from_tail { matches - to_remove } else { 0 };
    let (mut seen, mut removed) = (0, 0);
    self.items.retain(|e| {
      if e.as_slice() != value {
        return true;
      }
      seen += 1;
      if seen > keep_first && removed < to_remove {
        removed += 1;
        return false;
      }
      true
    });
    self.release_spare();
    removed
  }

  /// Keeps only positions `start..=end` (both within the list).
  pub fn trim(&mut self, start: usize, end: usize) {
    self.items.truncate(end + 1);
    self.items.drain(..start);
    self.release_spare();
  }

  /// Halves the buffer once three quarters of it are unused.
  fn release_spare(&mut self) {
    let capacity = self.items.capacity();
    if capacity > MIN_SHRINK_CAPACITY && self.items.len() < capacity / 4 {
      self.items.shrink_to((self.items.len() * 2).max(MIN_SHRINK_CAPACITY));
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn list(items: &[&str]) -> List {
    let mut l = List::new();
    for i in items {
      l.push_back(SmallBytes::new(i.as_bytes()));
    }
    l
  }

  fn items(l: &List) -> Vec<String> {
    l.iter().map(|i| String::from_utf8_lossy(i).into_owned()).collect()
  }

  #[test]
  fn remove_matching_from_either_end() {
    let mut l = list(&["a", "b", "a", "c", "a"]);
    assert_eq!(l.remove_matching(b"a", Some(2), true), 2);
    assert_eq!(items(&l), ["a", "b", "c"]);
    assert_eq!(l.remove_matching(b"a", None, false), 1);
    assert_eq!(items(&l), ["b", "c"]);
    assert_eq!(l.remove_matching(b"z", None, false), 0);
  }

  #[test]
  fn trim_and_shrink() {
    let mut l = List::new();
    for i in 0..10_000 {
      l.push_back(SmallBytes::new(format!("{i}").as_bytes()));
    }
    l.trim(10, 19);
    assert_eq!(l.len(), 10);
    assert_eq!(l.get(0), Some(&b"10"[..]));
    assert!(l.items.capacity() < 1000);
    while l.pop_front().is_some() {}
    assert!(l.is_empty());
  }
}
