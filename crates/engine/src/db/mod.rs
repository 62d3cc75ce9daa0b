//! One database of the keyspace: keys, their values, and their expiry times.
//!
//! Layout (chosen for memory per key, O(1) random sampling and a safe SCAN):
//! - `entries`: a dense `Vec<Entry>`; an entry holds the key, the value, the absolute expiry
//!   time, an access clock (for OBJECT IDLETIME) and its position in `volatile`. With short keys
//!   and values stored inline an entry is 64 bytes and needs no other allocation.
//! - `index`: a SwissTable of `u32` positions into `entries`, hashed by key (4 bytes + 1 control
//!   byte per bucket). Hashes are recomputed from the keys when the table grows.
//! - `volatile`: positions of the entries that have an expiry time, so the active expiry cycle
//!   can sample them uniformly in O(1) (Redis keeps a second dict for the same purpose).
//!
//! Deleting swaps the last entry into the hole, so positions change; both `index` and
//! `volatile` are patched. SCAN walks positions from the end toward 0, so the last entry has
//! always been visited already: a deletion can move a visited entry into an unvisited hole (it
//! may then be returned twice, which SCAN allows) but never moves an unvisited one out of reach.
//! Keys added during a scan land behind the cursor and may be missed, as SCAN permits.

pub mod expire;

use crate::bytes::SmallBytes;
use crate::value::Value;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// `expire_at` of a key without a time to live.
pub const NO_EXPIRE: i64 = -1;
const NOT_VOLATILE: u32 = u32::MAX;

pub struct Entry {
  pub key: SmallBytes,
  pub value: Value,
  /// Absolute expiry time in Unix milliseconds, or [`NO_EXPIRE`].
  pub expire_at: i64,
  /// Seconds clock of the last access (OBJECT IDLETIME).
  pub access: u32,
  volatile_pos: u32,
}

#[derive(Default)]
pub struct Db {
  entries: Vec<Entry>,
  index: HashTable<u32>,
  volatile: Vec<u32>,
  hasher: foldhash::fast::RandomState,
  /// Keys removed because their time to live passed (lazily or actively).
  pub expired_keys: u64,
}

/// Seconds clock used for access times.
#[inline]
pub fn access_clock(now_ms: i64) -> u32 {
  (now_ms / 1000) as u32
}

impl Db {
  #[inline]
  fn hash(&self, key: &[u8]) -> u64 {
    self.hasher.hash_one(key)
  }

  /// Number of keys, including expired ones not yet reclaimed.
  pub fn len(&self) -> usize {
    self.entries.len()
  }

  pub fn is_empty(&self) -> bool {
    self.entries.is_empty()
  }

  /// Number of keys with a time to live.
  pub fn volatile_len(&self) -> usize {
    self.volatile.len()
  }

  /// Position of `key`, ignoring expiry.
  #[inline]
  pub fn position(&self, key: &[u8]) -> Option<usize> {
    let hash = self.hash(key);
    let entries = &self.entries;
    self.index.find(hash, |&i| entries[i as usize].key.as_slice() == key).map(|&i| i as usize)
  }

  /// Position of a live `key`; an expired key is deleted on the way (lazy expiry).
  #[inline]
  pub fn live_position(&mut self, key: &[u8], now_ms: i64) -> Option<usize> {
    let pos = self.position(key)?;
    let expire_at = self.entries[pos].expire_at;
    if expire_at != NO_EXPIRE && expire_at <= now_ms {
      self.remove_at(pos);
      self.expired_keys += 1;
      return None;
    }
    Some(pos)
  }

  /// The live entry for `key`, with its access time refreshed when `touch` is set.
  #[inline]
  pub fn lookup(&mut self, key: &[u8], now_ms: i64, touch: bool) -> Option<&mut Entry> {
    let pos = self.live_position(key, now_ms)?;
    let entry = &mut self.entries[pos];
    if touch {
      entry.access = access_clock(now_ms);
    }
    Some(entry)
  }

  /// Whether a live `key` exists (expired keys are reclaimed, access time untouched).
  pub fn contains(&mut self, key: &[u8], now_ms: i64) -> bool {
    self.live_position(key, now_ms).is_some()
  }

  #[inline]
  pub fn entry_at(&self, pos: usize) -> &Entry {
    &self.entries[pos]
  }

  #[inline]
  pub fn entry_at_mut(&mut self, pos: usize) -> &mut Entry {
    &mut self.entries[pos]
  }

  /// Sets `key` to `value`. An existing key keeps its time to live only if `keep_ttl`.
  /// Returns the entry's position.
  pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now_ms: i64) -> usize {
    let hash = self.hash(key);
    let entries = &self.entries;
    if let Some(&pos) = self.index.find(hash, |&i| entries[i as usize].key.as_slice() == key) {
      let pos = pos as usize;
      let expired = {
        let e = &self.entries[pos];
        e.expire_at != NO_EXPIRE && e.expire_at <= now_ms
      };
      let entry = &mut self.entries[pos];
      entry.value = value;
      entry.access = access_clock(now_ms);
      if !keep_ttl || expired {
        self.set_expire_at(pos, NO_EXPIRE);
      }
      return pos;
    }
    self.insert_new(hash, SmallBytes::new(key), value, now_ms)
  }

  /// Adds a key known to be absent. Returns its position.
  pub fn insert_new_key(&mut self, key: SmallBytes, value: Value, now_ms: i64) -> usize {
    let hash = self.hash(&key);
    self.insert_new(hash, key, value, now_ms)
  }

  fn insert_new(&mut self, hash: u64, key: SmallBytes, value: Value, now_ms: i64) -> usize {
    let pos = self.entries.len();
    self.entries.push(Entry {
      key,
      value,
      expire_at: NO_EXPIRE,
      access: access_clock(now_ms),
      volatile_pos: NOT_VOLATILE,
    });
    let (entries, hasher) = (&self.entries, &self.hasher);
    self.index.insert_unique(hash, pos as u32, |&i| hasher.hash_one(entries[i as usize].key.as_slice()));
    pos
  }

  /// Sets or clears (with [`NO_EXPIRE`]) the absolute expiry time of the entry at `pos`.
  pub fn set_expire_at(&mut self, pos: usize, expire_at: i64) {
    let entry = &mut self.entries[pos];
    entry.expire_at = expire_at;
    let is_volatile = entry.volatile_pos != NOT_VOLATILE;
    if expire_at != NO_EXPIRE && !is_volatile {
      entry.volatile_pos = self.volatile.len() as u32;
      self.volatile.push(pos as u32);
    } else if expire_at == NO_EXPIRE && is_volatile {
      let vpos = entry.volatile_pos as usize;
      entry.volatile_pos = NOT_VOLATILE;
      self.volatile.swap_remove(vpos);
      if let Some(&moved) = self.volatile.get(vpos) {
        self.entries[moved as usize].volatile_pos = vpos as u32;
      }
    }
  }

  /// Removes `key` if present (expired or not). Returns the removed entry.
  pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
    let pos = self.position(key)?;
    Some(self.remove_at(pos))
  }

  /// Removes the entry at `pos`, moving the last entry into its place.
  pub fn remove_at(&mut self, pos: usize) -> Entry {
    self.set_expire_at(pos, NO_EXPIRE);
    let hash = self.hash(&self.entries[pos].key);
    if let Ok(slot) = self.index.find_entry(hash, |&i| i as usize == pos) {
      slot.remove();
    }
    let last = self.entries.len() - 1;
    let removed = self.entries.swap_remove(pos);
    if pos != last {
      let moved_hash = self.hash(&self.entries[pos].key);
      if let Some(slot) = self.index.find_mut(moved_hash, |&i| i as usize == last) {
        *slot = pos as u32;
      }
      let vpos = self.entries[pos].volatile_pos;
      if vpos != NOT_VOLATILE {
        self.volatile[vpos as usize] = pos as u32;
      }
    }
    self.shrink_if_sparse();
    removed
  }

  /// Returns memory after many deletions, so a keyspace that shrinks gives memory back.
  fn shrink_if_sparse(&mut self) {
    let cap = self.entries.capacity();
    if cap > 1024 && self.entries.len() < cap / 4 {
      self.entries.shrink_to(self.entries.len() * 2);
      let (entries, hasher) = (&self.entries, &self.hasher);
      self.index.shrink_to(entries.len() * 2, |&i| hasher.hash_one(entries[i as usize].key.as_slice()));
      self.volatile.shrink_to(self.volatile.len() * 2);
    }
  }

  /// Removes every key.
  pub fn clear(&mut self) {
    self.entries = Vec::new();
    self.index = HashTable::new();
    self.volatile = Vec::new();
  }

  /// All entries, including expired ones not yet reclaimed, in position order.
  pub fn entries(&self) -> &[Entry] {
    &self.entries
  }

  /// The position of the `n`-th volatile entry.
  pub fn volatile_at(&self, n: usize) -> usize {
    self.volatile[n] as usize
  }

  /// Visits positions for SCAN. The cursor counts the positions still to visit, walking from the
  /// end of `entries` toward 0; cursor 0 starts a new scan. Visits about `count` positions and
  /// returns the next cursor (0 when the scan is complete).
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(&Entry)) -> u64 {
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
}

#[cfg(test)]
mod tests {
  use super::*;

  fn key(i: usize) -> Vec<u8> {
    format!("key:{i:09}").into_bytes()
  }

  #[test]
  fn entry_is_64_bytes() {
    assert_eq!(std::mem::size_of::<Entry>(), 64);
  }

  #[test]
  fn set_lookup_remove_keep_index_consistent() {
    let mut db = Db::default();
    for i in 0..1000 {
      db.set(&key(i), Value::string(b"v"), false, 0);
    }
    for i in (0..1000).step_by(3) {
      db.set_expire_at(db.position(&key(i)).unwrap(), 10);
    }
    for i in (0..1000).step_by(2) {
      assert!(db.remove(&key(i)).is_some());
    }
    assert_eq!(db.len(), 500);
    for i in 0..1000 {
      assert_eq!(db.position(&key(i)).is_some(), i % 2 == 1, "{i}");
    }
    let volatile = (0..1000).filter(|i| i % 2 == 1 && i % 3 == 0).count();
    assert_eq!(db.volatile_len(), volatile);
    for n in 0..db.volatile_len() {
      assert_ne!(db.entry_at(db.volatile_at(n)).expire_at, NO_EXPIRE);
    }
    assert!(db.lookup(&key(3), 5, true).is_some());
    assert!(db.lookup(&key(3), 10, true).is_none());
    assert_eq!(db.expired_keys, 1);
  }

  #[test]
  fn scan_returns_every_stable_key_despite_deletes() {
    let mut db = Db::default();
    for i in 0..100 {
      db.set(&key(i), Value::string(b"v"), false, 0);
    }
    let mut seen = std::collections::HashSet::new();
    let mut cursor = 0;
    let mut round = 0;
    loop {
      cursor = db.scan(cursor, 7, |e| {
        seen.insert(e.key.to_vec());
      });
      // Delete keys that were already returned, moving unvisited ones around.
      for i in (round * 5)..(round * 5 + 3) {
        if seen.contains(&key(i)) {
          db.remove(&key(i));
        }
      }
      round += 1;
      if cursor == 0 {
        break;
      }
    }
    for i in 0..100 {
      if db.position(&key(i)).is_some() {
        assert!(seen.contains(&key(i)), "key {i} was missed");
      }
    }
  }
}
