//! `DenseMap`: a hash map laid out for memory and for sampling, used by the keyspace and by
//! the large encodings of hashes, sets and sorted sets.
//!
//! Entries live in one dense `Vec`; a SwissTable holds only their `u32` positions (4 bytes +
//! 1 control byte per bucket), hashed by key and rehashed from the keys when it grows. That is
//! about half the memory of a `HashMap` of the same entries, gives O(1) uniform random
//! sampling (RANDOMKEY, SPOP, active expiry), and a simple cursor for SCAN.
//!
//! Removal swaps the last entry into the hole. SCAN walks positions from the end toward 0, so
//! the moved entry has always been visited already: an entry present for a whole scan is
//! returned at least once (perhaps twice), and entries added during it may be missed — the
//! guarantees SCAN documents. Growing or shrinking never reorders entries.

use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Asks the processor to start loading `item` (its first and last byte's cache lines) into its
/// cache, so that reading it later does not wait for memory: random reads of large tables (the
/// eviction's samples) are cache misses, and prefetching them all first lets them overlap. A
/// hint only: it changes no memory and cannot fault; elsewhere than x86-64 it does nothing.
#[inline]
pub fn prefetch<T>(item: &T) {
  #[cfg(target_arch = "x86_64")]
  {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    let first = (item as *const T).cast::<i8>();
    let last = first.wrapping_add(std::mem::size_of::<T>().saturating_sub(1));
    // SAFETY: prefetching is a hint that never dereferences the address (SSE is part of every
    // x86-64 processor).
    unsafe {
      _mm_prefetch::<_MM_HINT_T0>(first);
      _mm_prefetch::<_MM_HINT_T0>(last);
    }
  }
  #[cfg(not(target_arch = "x86_64"))]
  let _ = item;
}

/// Grows a full `Vec` of elements taking `slot_bytes` each (their own and any index's) within
/// `room` bytes of memory left under a limit: by half of what fits there, at most an eighth of
/// its length and at least a sixty-fourth (and 16 elements), so that reaching the limit costs
/// a bounded number of reallocations and a growth past it only a small one.
pub fn grow_within_if_full<T>(items: &mut Vec<T>, room: u64, slot_bytes: usize) {
  if items.len() == items.capacity() {
    let len = items.len();
    let fits = usize::try_from(room / slot_bytes.max(1) as u64 / 2).unwrap_or(usize::MAX);
    items.reserve_exact(fits.clamp(smallest_growth(len), len / 8 + 16));
  }
}

/// The least [`grow_within_if_full`] grows an array of `len` elements by.
pub fn smallest_growth(len: usize) -> usize {
  (len / 64).max(16)
}

/// The most elements a growable table held since its capacity last changed. Between that and
/// its length lies room that removals freed and that the next insertions fill before the
/// table allocates again; beyond it, room a growth reserved that no element has used yet.
/// `maxmemory` counts the second and not the first (see `evict.rs`).
#[derive(Clone, Copy, Default)]
pub struct Peak {
  len: usize,
  capacity: usize,
}

impl Peak {
  /// Records the table's length and capacity after a change.
  #[inline]
  pub fn note(&mut self, len: usize, capacity: usize) {
    if capacity != self.capacity {
      (self.len, self.capacity) = (len, capacity);
    } else if len > self.len {
      self.len = len;
    }
  }

  /// Elements' room freed by removals since the capacity last changed (none if it changed
  /// unnoted).
  pub fn freed(&self, len: usize, capacity: usize) -> usize {
    if capacity == self.capacity {
      self.len.saturating_sub(len)
    } else {
      0
    }
  }
}

/// An entry that carries its own key.
pub trait Keyed {
  fn key(&self) -> &[u8];
}

pub struct DenseMap<E> {
  entries: Vec<E>,
  index: HashTable<u32>,
  hasher: foldhash::fast::RandomState,
}

impl<E> Default for DenseMap<E> {
  fn default() -> Self {
    DenseMap { entries: Vec::new(), index: HashTable::new(), hasher: Default::default() }
  }
}

impl<E: Clone> Clone for DenseMap<E> {
  fn clone(&self) -> Self {
    DenseMap { entries: self.entries.clone(), index: self.index.clone(), hasher: self.hasher }
  }
}

impl<E: Keyed> DenseMap<E> {
  #[inline]
  fn hash(&self, key: &[u8]) -> u64 {
    self.hasher.hash_one(key)
  }

  pub fn len(&self) -> usize {
    self.entries.len()
  }

  pub fn is_empty(&self) -> bool {
    self.entries.is_empty()
  }

  /// Entries the map has room for before it allocates again.
  pub fn capacity(&self) -> usize {
    self.entries.capacity()
  }

  /// Bytes an entry takes in the map: its slot in the entries' array and in the index.
  pub const SLOT_BYTES: usize = std::mem::size_of::<E>() + std::mem::size_of::<u32>() + 1;

  /// Gives back the entries' room beyond `capacity` (at least their number), without moving
  /// them: the allocator shrinks the array where it is.
  pub fn shrink_entries_to(&mut self, capacity: usize) {
    self.entries.shrink_to(capacity);
  }

  /// Position of the entry with `key`. O(1).
  #[inline]
  pub fn position(&self, key: &[u8]) -> Option<usize> {
    let hash = self.hash(key);
    let entries = &self.entries;
    self.index.find(hash, |&i| entries[i as usize].key() == key).map(|&i| i as usize)
  }

  #[inline]
  pub fn get(&self, key: &[u8]) -> Option<&E> {
    self.position(key).map(|pos| &self.entries[pos])
  }

  #[inline]
  pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut E> {
    self.position(key).map(|pos| &mut self.entries[pos])
  }

  #[inline]
  pub fn at(&self, pos: usize) -> &E {
    &self.entries[pos]
  }

  #[inline]
  pub fn at_mut(&mut self, pos: usize) -> &mut E {
    &mut self.entries[pos]
  }

  /// Adds an entry whose key is known to be absent. Returns its position. Amortised O(1).
  pub fn insert_new(&mut self, entry: E) -> usize {
    let hash = self.hash(entry.key());
    let pos = self.entries.len();
    self.entries.push(entry);
    let (entries, hasher) = (&self.entries, &self.hasher);
    self.index.insert_unique(hash, pos as u32, |&i| hasher.hash_one(entries[i as usize].key()));
    pos
  }

  /// Asks the processor to start loading the entry at `pos` into its cache (see [`prefetch`]).
  #[inline]
  pub fn prefetch(&self, pos: usize) {
    if let Some(entry) = self.entries.get(pos) {
      prefetch(entry);
    }
  }

  /// If the entries' array is full, grows it within `room` bytes (see [`grow_within_if_full`]),
  /// so that the next insertion does not double it (see `Db::insert_new_key`).
  pub fn grow_within_if_full(&mut self, room: u64) {
    grow_within_if_full(&mut self.entries, room, Self::SLOT_BYTES);
  }

  /// Removes the entry at `pos`, moving the last entry into its place. Returns the removed
  /// entry and, if an entry moved, its old position (it is now at `pos`).
  pub fn swap_remove(&mut self, pos: usize) -> (E, Option<usize>) {
    let hash = self.hash(self.entries[pos].key());
    if let Ok(slot) = self.index.find_entry(hash, |&i| i as usize == pos) {
      slot.remove();
    }
    let last = self.entries.len() - 1;
    let removed = self.entries.swap_remove(pos);
    let moved = (pos != last).then(|| {
      let moved_hash = self.hash(self.entries[pos].key());
      if let Some(slot) = self.index.find_mut(moved_hash, |&i| i as usize == last) {
        *slot = pos as u32;
      }
      last
    });
    self.shrink_if_sparse();
    (removed, moved)
  }

  /// Removes the entry with `key`, if any (see [`DenseMap::swap_remove`]).
  pub fn remove(&mut self, key: &[u8]) -> Option<(E, Option<usize>)> {
    self.position(key).map(|pos| self.swap_remove(pos))
  }

  /// Gives memory back after many removals.
  fn shrink_if_sparse(&mut self) {
    let cap = self.entries.capacity();
    if cap > 1024 && self.entries.len() < cap / 4 {
      self.entries.shrink_to(self.entries.len() * 2);
      let (entries, hasher) = (&self.entries, &self.hasher);
      self.index.shrink_to(entries.len() * 2, |&i| hasher.hash_one(entries[i as usize].key()));
    }
  }

  pub fn clear(&mut self) {
    self.entries = Vec::new();
    self.index = HashTable::new();
  }

  /// All entries, in position order.
  pub fn entries(&self) -> &[E] {
    &self.entries
  }

  /// Visits about `count` positions for SCAN. The cursor counts the positions still to
  /// visit, walking from the end toward 0; cursor 0 starts a new scan. Returns the next
  /// cursor (0 when the scan is complete).
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(&E)) -> u64 {
    let len = self.entries.len() as u64;
    let mut remaining = if cursor == 0 || cursor > len { len } else { cursor };
    let mut visited = 0;
    while remaining > 0 && visited < count.max(1) {
      remaining -= 1;
      visit(&self.entries[remaining as usize]);
      visited += 1;
    }
    remaining
  }

  /// Bytes used by the table itself (entries and index), for MEMORY USAGE.
  pub fn table_size(&self) -> usize {
    self.entries.capacity() * std::mem::size_of::<E>() + self.index.capacity() * (std::mem::size_of::<u32>() + 1)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[derive(Clone, Debug, PartialEq)]
  struct Item(Vec<u8>);
  impl Keyed for Item {
    fn key(&self) -> &[u8] {
      &self.0
    }
  }

  #[test]
  fn a_full_array_grows_within_the_room_left_between_a_64th_and_an_8th_of_it() {
    let grown = |len: usize, room: u64| {
      let mut items = vec![0u64; len];
      assert_eq!(items.capacity(), len);
      grow_within_if_full(&mut items, room, 8);
      items.capacity() - len
    };
    // Plenty of room: an eighth (and 16).
    assert!((1016..1100).contains(&grown(8000, u64::MAX)));
    // Room for 400 elements: half of it.
    assert!((200..260).contains(&grown(8000, 400 * 8)));
    // None: a sixty-fourth, at least 16.
    assert!((125..180).contains(&grown(8000, 0)));
    assert!((16..40).contains(&grown(100, 0)));
    // Not full: nothing.
    let mut items: Vec<u64> = Vec::with_capacity(100);
    items.push(1);
    grow_within_if_full(&mut items, 0, 8);
    assert_eq!(items.capacity(), 100);
  }

  #[test]
  fn peak_counts_the_room_removals_freed_since_the_capacity_changed() {
    let mut peak = Peak::default();
    peak.note(10, 16);
    peak.note(12, 16);
    peak.note(9, 16);
    assert_eq!(peak.freed(9, 16), 3);
    // A growth starts again: its room is not freed room.
    peak.note(17, 32);
    assert_eq!(peak.freed(17, 32), 0);
    // A capacity changed without a note counts nothing.
    assert_eq!(peak.freed(5, 64), 0);
  }

  #[test]
  fn insert_find_remove_keep_positions_consistent() {
    let mut map = DenseMap::default();
    for i in 0..2000u32 {
      map.insert_new(Item(i.to_be_bytes().to_vec()));
    }
    for i in (0..2000u32).step_by(3) {
      assert!(map.remove(&i.to_be_bytes()).is_some());
    }
    for i in 0..2000u32 {
      let pos = map.position(&i.to_be_bytes());
      assert_eq!(pos.is_some(), i % 3 != 0);
      if let Some(pos) = pos {
        assert_eq!(map.at(pos).0, i.to_be_bytes());
      }
    }
  }

  #[test]
  fn scan_returns_every_stable_entry_despite_removals() {
    let mut map = DenseMap::default();
    for i in 0..100u8 {
      map.insert_new(Item(vec![i]));
    }
    let mut seen = std::collections::HashSet::new();
    let (mut cursor, mut round) = (0, 0u8);
    loop {
      cursor = map.scan(cursor, 7, |e| {
        seen.insert(e.0.clone());
      });
      for i in round * 5..round * 5 + 3 {
        if seen.contains(&vec![i]) {
          map.remove(&[i]);
        }
      }
      round += 1;
      if cursor == 0 {
        break;
      }
    }
    for e in map.entries() {
      assert!(seen.contains(&e.0), "{:?} was missed", e.0);
    }
  }
}
