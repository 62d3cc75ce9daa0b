//! One database of the keyspace: keys, their values, and their expiry times.
//!
//! Layout (chosen for memory per key, O(1) random sampling and a safe SCAN):
//! - `entries`: a [`DenseMap`] of `Entry`; an entry holds the key, the value, an access clock
//!   (for OBJECT IDLETIME) and its position in `volatile`. With short keys and values stored
//!   inline an entry is 56 bytes and needs no other allocation.
//! - `volatile`: the entries that have a time to live, with their absolute expiry times, so
//!   keys without one pay nothing for it and the active expiry cycle can sample the others
//!   uniformly in O(1) (Redis keeps a second dict for the same purpose). When a removal moves
//!   an entry, its `volatile` slot is patched.
//!
//! While a background save runs (`rdb::snapshot`), every entry also carries a mark saying
//! whether the save has it already; any change to an entry it does not have yet (and any
//! access that could lead to one) first hands the entry to the save as it is ([`Db::preserve`]),
//! so that the save sees the dataset as it was when it started.
//!
//! A database also reports to the engine (see `crate::signal`): the keys expiry or eviction
//! deleted and the keys created (`log`, turned into `expired`, `evicted` and `new` events and
//! propagated DELs once the running command is done with them), and the keys that clients wait on and that have just
//! been created (`ready`, as Redis's `signalKeyAsReady`), so the engine serves exactly those
//! waiters.

pub mod access;
pub mod expire;

use crate::bytes::SmallBytes;
use crate::dense::{DenseMap, Keyed, Peak};
use crate::value::Value;
use access::AccessPolicy;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

/// `expire_at` of a key without a time to live.
pub const NO_EXPIRE: i64 = -1;
/// The bit of `Entry::volatile` that holds the entry's snapshot mark.
const MARK: u32 = 1 << 31;
/// The rest of `Entry::volatile` for an entry without a time to live.
const NOT_VOLATILE: u32 = MARK - 1;

#[derive(Clone)]
pub struct Entry {
  pub key: SmallBytes,
  pub value: Value,
  /// The LRU clock of the last access, or the LFU counter, as the eviction policy keeps them
  /// (see [`access`]).
  pub access: u32,
  /// Position in `Db::volatile` (or `NOT_VOLATILE`), and in the top bit ([`MARK`]) the
  /// snapshot mark: the entry is saved already when it equals `Db::mark`.
  volatile: u32,
}

impl Entry {
  /// Whether the key has a time to live.
  #[inline]
  pub fn has_ttl(&self) -> bool {
    self.volatile & !MARK != NOT_VOLATILE
  }

  #[inline]
  fn volatile_pos(&self) -> usize {
    (self.volatile & !MARK) as usize
  }

  #[inline]
  fn set_volatile_pos(&mut self, pos: u32) {
    self.volatile = (self.volatile & MARK) | pos;
  }

  #[inline]
  fn mark(&self) -> bool {
    self.volatile & MARK != 0
  }

  #[inline]
  fn set_mark(&mut self, mark: bool) {
    self.volatile = (self.volatile & !MARK) | if mark { MARK } else { 0 };
  }
}

/// A key with a time to live: where its entry is, and when it expires.
#[derive(Clone, Copy)]
struct Volatile {
  pos: u32,
  /// Absolute expiry time in Unix milliseconds.
  expire_at: i64,
}

impl Keyed for Entry {
  #[inline]
  fn key(&self) -> &[u8] {
    &self.key
  }
}

#[derive(Default)]
pub struct Db {
  entries: DenseMap<Entry>,
  volatile: Vec<Volatile>,
  /// The most keys, and keys with a time to live, the tables held since they last grew or
  /// shrank (see [`Db::freed_memory`]).
  entries_peak: Peak,
  volatile_peak: Peak,
  /// Keys removed because their time to live passed (lazily or actively).
  pub expired_keys: u64,
  /// Keys expiry removed, and keys created while `log_new` is set, whose signals are not sent
  /// yet, in the order it happened.
  log: Vec<Logged>,
  /// While set (CLIENT PAUSE WRITE), expired keys read as absent but are not deleted.
  pub expiry_paused: bool,
  /// While set (a replica runs its master's stream), expired keys are still there: the
  /// master's DEL removes them.
  pub expiry_suspended: bool,
  /// While set (`notify-keyspace-events` has `n`), created keys are logged for `new` events.
  pub log_new: bool,
  /// Keys blocked clients wait on, each with the waiting slots in the order they blocked.
  pub waiters: HashMap<Vec<u8>, Vec<u32>>,
  /// Waited-on keys created since the engine last served waiters, in order.
  ready: Vec<Vec<u8>>,
  /// Raised (and shared by every database of an engine) whenever `log` or `ready` gets an
  /// entry, so the engine's settling after a call costs one check when nothing happened.
  attention: Rc<Cell<bool>>,
  /// The background save under way, while it still needs entries of this database.
  pub(crate) snapshot: Option<Box<crate::rdb::snapshot::DbSnapshot>>,
  /// The snapshot mark of entries the save under way has (or that it must not have, being
  /// newer); every database flips it when a save starts, so it is the same in all of them.
  pub(crate) mark: bool,
  /// How accesses update entries' `access` bits (the same in every database).
  pub(crate) access_policy: AccessPolicy,
  /// Set while `maxmemory` is: the memory left under it when the running command started (at
  /// most; see `Server::sync_table_growth`).
  /// The tables then grow within it (by at most an eighth) instead of doubling, since the
  /// room a growth reserves counts for the limit (see `evict.rs`): near it, a doubling would
  /// evict as many keys as half the table takes.
  pub(crate) growth_room: Option<u64>,
  /// Memcached's flags and cas uniques of the keys memcached wrote or read with `gets`
  /// (see `memcached::meta`).
  pub memcached: crate::memcached::meta::MetaTable,
}

/// Something a database did deep inside a lookup or an insert, reported once the running
/// command is done with it (see `crate::signal`).
pub enum Logged {
  /// Expiry deleted this key.
  Expired(Vec<u8>),
  /// Eviction deleted this key.
  Evicted(Vec<u8>),
  /// This key was created.
  New(Vec<u8>),
}

/// The expiry time of `entry` as `volatile` (its database's) holds it, or [`NO_EXPIRE`].
#[inline]
fn expire_in(volatile: &[Volatile], entry: &Entry) -> i64 {
  match volatile.get(entry.volatile_pos()) {
    Some(volatile) if entry.has_ttl() => volatile.expire_at,
    _ => NO_EXPIRE,
  }
}

impl Db {
  /// An empty database raising `attention` when it has something to report.
  pub fn with_attention(attention: Rc<Cell<bool>>) -> Db {
    Db { attention, ..Db::default() }
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

  /// Bytes of the database's tables that deleted keys freed and that the next keys fill
  /// before a table allocates again (see `evict.rs` for why this matters). Room a growth
  /// reserved and no key has used yet is not among them.
  pub fn freed_memory(&self) -> u64 {
    let entries = self.entries_peak.freed(self.entries.len(), self.entries.capacity()) * DenseMap::<Entry>::SLOT_BYTES;
    let volatile = self.volatile_peak.freed(self.volatile.len(), self.volatile.capacity());
    (entries + volatile * std::mem::size_of::<Volatile>()) as u64
  }

  /// After evictions: if they left more room in the entries' array than the smallest growth
  /// near the limit would take (see [`crate::dense::grow_within_if_full`]), gives the rest
  /// back, so that used memory, not only what the limit counts, is within `maxmemory`. Many
  /// evictions at once happen when a table grows near the limit (the index doubles); one key
  /// at a time, the room each leaves is filled by the next.
  pub(crate) fn give_back_evicted_room(&mut self) {
    let len = self.entries.len();
    let margin = crate::dense::smallest_growth(len);
    if self.entries_peak.freed(len, self.entries.capacity()) > 2 * margin {
      self.entries.shrink_entries_to(len + margin);
      self.note_peaks();
    }
  }

  /// Records the tables' lengths after a key came or went (see [`Db::freed_memory`]).
  #[inline]
  fn note_peaks(&mut self) {
    self.entries_peak.note(self.entries.len(), self.entries.capacity());
    self.volatile_peak.note(self.volatile.len(), self.volatile.capacity());
  }

  /// Position of `key`, ignoring expiry.
  #[inline]
  pub fn position(&self, key: &[u8]) -> Option<usize> {
    self.entries.position(key)
  }

  /// The absolute expiry time (Unix ms) of the entry at `pos`, or [`NO_EXPIRE`].
  #[inline]
  pub fn expire_at(&self, pos: usize) -> i64 {
    self.expire_of(self.entries.at(pos))
  }

  /// The absolute expiry time (Unix ms) of `entry`, one of this database's, or [`NO_EXPIRE`].
  #[inline]
  pub fn expire_of(&self, entry: &Entry) -> i64 {
    expire_in(&self.volatile, entry)
  }

  /// Whether `entry`, one of this database's, has expired by `now_ms`.
  #[inline]
  pub fn is_expired(&self, entry: &Entry, now_ms: i64) -> bool {
    entry.has_ttl() && !self.expiry_suspended && self.expire_of(entry) <= now_ms
  }

  /// Position of a live `key`; an expired key is deleted on the way (lazy expiry).
  #[inline]
  pub fn live_position(&mut self, key: &[u8], now_ms: i64) -> Option<usize> {
    let pos = self.position(key)?;
    if self.is_expired(self.entries.at(pos), now_ms) {
      if !self.expiry_paused {
        self.expire_at_pos(pos);
      }
      return None;
    }
    Some(pos)
  }

  /// Deletes the expired entry at `pos` and logs it for its signals.
  pub fn expire_at_pos(&mut self, pos: usize) {
    let entry = self.remove_at(pos);
    self.expired_keys += 1;
    self.log.push(Logged::Expired(entry.key.to_vec()));
    self.attention.set(true);
  }

  /// Deletes the entry at `pos`, whose key is `key`, to free memory (`maxmemory`), and logs it
  /// for its signals.
  pub fn evict_at(&mut self, pos: usize, key: Vec<u8>) {
    self.remove_at(pos);
    self.log.push(Logged::Evicted(key));
    self.attention.set(true);
  }

  /// Whether expiry deleted keys, or keys were created, whose signals are not sent yet.
  #[inline]
  pub fn has_logged(&self) -> bool {
    !self.log.is_empty()
  }

  /// What was logged since the last call, oldest first.
  pub fn take_logged(&mut self) -> Vec<Logged> {
    std::mem::take(&mut self.log)
  }

  /// Records that `key` may now serve its waiters (when someone waits on it).
  #[inline]
  pub fn signal_ready(&mut self, key: &[u8]) {
    if !self.waiters.is_empty() && self.waiters.contains_key(key) && !self.ready.iter().any(|k| k == key) {
      self.ready.push(key.to_vec());
      self.attention.set(true);
    }
  }

  /// Takes the waited-on keys made ready since the last call, in order.
  pub fn take_ready(&mut self) -> Vec<Vec<u8>> {
    std::mem::take(&mut self.ready)
  }

  /// Whether a waited-on key became ready.
  #[inline]
  pub fn has_ready(&self) -> bool {
    !self.ready.is_empty()
  }

  /// The live entry for `key`, with its access time refreshed when `touch` is set.
  #[inline]
  pub fn lookup(&mut self, key: &[u8], now_ms: i64, touch: bool) -> Option<&mut Entry> {
    let pos = self.live_position(key, now_ms)?;
    self.preserve(pos);
    let policy = self.access_policy;
    let entry = self.entries.at_mut(pos);
    if touch {
      entry.access = policy.touched(entry.access, now_ms);
    }
    Some(entry)
  }

  /// Whether a live `key` exists (expired keys are reclaimed, access time untouched).
  pub fn contains(&mut self, key: &[u8], now_ms: i64) -> bool {
    self.live_position(key, now_ms).is_some()
  }

  #[inline]
  pub fn entry_at(&self, pos: usize) -> &Entry {
    self.entries.at(pos)
  }

  /// Records an access to the entry at `pos` (for the eviction policy).
  #[inline]
  pub fn touch_at(&mut self, pos: usize, now_ms: i64) {
    self.preserve(pos);
    let policy = self.access_policy;
    let entry = self.entries.at_mut(pos);
    entry.access = policy.touched(entry.access, now_ms);
  }

  /// Sets the entry's use as a dump or file recorded it, as far as the eviction policy keeps
  /// that kind (Redis's `objectSetLRUOrLFU`): a frequency under an LFU policy, an idle time
  /// under the others.
  pub fn set_recorded_use(&mut self, pos: usize, idle_seconds: Option<u64>, frequency: Option<u8>, now_ms: i64) {
    let access = match (self.access_policy, idle_seconds, frequency) {
      (AccessPolicy::Lfu { .. }, _, Some(frequency)) => access::with_frequency(frequency, now_ms),
      (AccessPolicy::Lru, Some(idle), _) => access::lru_clock_idle_for(idle, now_ms),
      _ => return,
    };
    self.entry_at_mut(pos).access = access;
  }

  #[inline]
  pub fn entry_at_mut(&mut self, pos: usize) -> &mut Entry {
    self.preserve(pos);
    self.entries.at_mut(pos)
  }

  /// Sets `key` to `value`. An existing key keeps its time to live only if `keep_ttl`; an
  /// expired one is reclaimed first (and logged as expired), as Redis's write lookups do.
  /// Returns the entry's position.
  pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now_ms: i64) -> usize {
    match self.live_position(key, now_ms) {
      Some(pos) => self.replace_at(pos, value, keep_ttl, now_ms),
      None => self.insert_new_key(SmallBytes::new(key), value, now_ms),
    }
  }

  /// Replaces the value of the entry at `pos` (found by `position` or `live_position`), as
  /// [`Db::set`] does for an existing key. Returns `pos`.
  pub fn replace_at(&mut self, pos: usize, value: Value, keep_ttl: bool, now_ms: i64) -> usize {
    self.preserve(pos);
    let expired = self.is_expired(self.entries.at(pos), now_ms);
    self.signal_if_stream(pos);
    let policy = self.access_policy;
    let entry = self.entries.at_mut(pos);
    entry.value = value;
    // Overwriting is an access, as Redis's write lookup before it is: the LRU clock is now's,
    // the LFU counter carries over, incremented.
    entry.access = policy.touched(entry.access, now_ms);
    if !keep_ttl || expired {
      self.set_expire_at(pos, NO_EXPIRE);
    }
    pos
  }

  /// Adds a key known to be absent (or expired: while expiry is paused, a live lookup leaves
  /// an expired key in place, and it is overwritten here). Returns its position.
  pub fn insert_new_key(&mut self, key: SmallBytes, value: Value, now_ms: i64) -> usize {
    if self.expiry_paused {
      if let Some(pos) = self.position(&key) {
        return self.replace_at(pos, value, false, now_ms);
      }
    }
    self.signal_ready(&key);
    if self.log_new {
      self.log.push(Logged::New(key.to_vec()));
      self.attention.set(true);
    }
    let mark = if self.mark { MARK } else { 0 };
    let access = self.access_policy.created(now_ms);
    if let Some(room) = self.growth_room {
      self.entries.grow_within_if_full(room);
    }
    let pos = self.entries.insert_new(Entry { key, value, access, volatile: NOT_VOLATILE | mark });
    self.note_peaks();
    pos
  }

  /// Sets or clears (with [`NO_EXPIRE`]) the absolute expiry time of the entry at `pos`.
  pub fn set_expire_at(&mut self, pos: usize, expire_at: i64) {
    self.preserve(pos);
    let entry = self.entries.at_mut(pos);
    let vpos = entry.volatile_pos();
    match (entry.has_ttl(), expire_at != NO_EXPIRE) {
      (true, true) => self.volatile[vpos].expire_at = expire_at,
      (false, true) => {
        entry.set_volatile_pos(self.volatile.len() as u32);
        if let Some(room) = self.growth_room {
          crate::dense::grow_within_if_full(&mut self.volatile, room, std::mem::size_of::<Volatile>());
        }
        self.volatile.push(Volatile { pos: pos as u32, expire_at });
        self.volatile_peak.note(self.volatile.len(), self.volatile.capacity());
      }
      (true, false) => {
        entry.set_volatile_pos(NOT_VOLATILE);
        self.volatile.swap_remove(vpos);
        if let Some(moved) = self.volatile.get(vpos) {
          self.entries.at_mut(moved.pos as usize).set_volatile_pos(vpos as u32);
        }
      }
      (false, false) => {}
    }
  }

  /// Removes `key` if present (expired or not). Returns the removed entry.
  pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
    let pos = self.position(key)?;
    Some(self.remove_at(pos))
  }

  /// Removes the entry at `pos`, moving the last entry into its place.
  pub fn remove_at(&mut self, pos: usize) -> Entry {
    self.preserve(pos);
    self.signal_if_stream(pos);
    self.set_expire_at(pos, NO_EXPIRE);
    let (removed, moved) = self.entries.swap_remove(pos);
    if moved.is_some() {
      let entry = self.entries.at(pos);
      if entry.has_ttl() {
        self.volatile[entry.volatile_pos()].pos = pos as u32;
      }
      // The last entry moved back into a part the save has walked already.
      if self.snapshot.as_ref().is_some_and(|snapshot| pos < snapshot.cursor) {
        self.preserve(pos);
      }
    }
    if self.volatile.capacity() > 1024 && self.volatile.len() < self.volatile.capacity() / 4 {
      self.volatile.shrink_to(self.volatile.len() * 2);
    }
    self.note_peaks();
    removed
  }

  /// A stream going away (deleted or overwritten) makes its key ready, as Redis 7.0's
  /// `signalDeletedKeyAsReady` does, so that the clients blocked in XREADGROUP on it fail.
  #[inline]
  fn signal_if_stream(&mut self, pos: usize) {
    if !self.waiters.is_empty() && matches!(self.entries.at(pos).value, Value::Stream(_)) {
      let key = self.entries.at(pos).key.to_vec();
      self.signal_ready(&key);
    }
  }

  /// The waited-on keys that hold a stream.
  fn waited_streams(&self) -> Vec<Vec<u8>> {
    let holds_stream =
      |key: &Vec<u8>| self.position(key).is_some_and(|pos| matches!(self.entries.at(pos).value, Value::Stream(_)));
    self.waiters.keys().filter(|key| holds_stream(key)).cloned().collect()
  }

  /// Removes every key.
  pub fn clear(&mut self) {
    drop(self.take_all());
  }

  /// Empties the database like [`Db::clear`] and returns its entries, for the caller to free
  /// (FLUSHDB ASYNC hands them to the `lazyfree` thread).
  pub fn take_all(&mut self) -> DenseMap<Entry> {
    self.preserve_all();
    for key in self.waited_streams() {
      self.signal_ready(&key);
    }
    self.volatile = Vec::new();
    self.memcached.clear();
    std::mem::take(&mut self.entries)
  }

  /// SWAPDB: exchanges the keys (and their expiry state) with `other`; the waiters stay, since
  /// clients wait on a database number. Waited-on keys that exist afterwards (expired or not)
  /// become ready.
  pub fn swap_contents(&mut self, other: &mut Db) {
    // The save keeps each database's keys under its own number: it takes them all first.
    self.preserve_all();
    other.preserve_all();
    let streams = [self.waited_streams(), other.waited_streams()];
    std::mem::swap(&mut self.entries, &mut other.entries);
    std::mem::swap(&mut self.volatile, &mut other.volatile);
    std::mem::swap(&mut self.memcached, &mut other.memcached);
    for (db, streams) in [self, other].into_iter().zip(streams) {
      for key in streams {
        db.signal_ready(&key);
      }
      // Expired keys too, as Redis's `scanDatabaseForReadyKeys`: the woken client's lookup
      // then deletes them (and propagates the DEL), and it stays blocked.
      let present: Vec<Vec<u8>> = db.waiters.keys().filter(|k| db.position(k).is_some()).cloned().collect();
      for key in present {
        db.signal_ready(&key);
      }
    }
  }

  /// All entries, including expired ones not yet reclaimed, in position order.
  pub fn entries(&self) -> &[Entry] {
    self.entries.entries()
  }

  /// The position and expiry time of the `n`-th key with a time to live.
  /// Starts loading the entry at `pos` into the processor's cache (see `dense::prefetch`).
  #[inline]
  pub fn prefetch_entry(&self, pos: usize) {
    self.entries.prefetch(pos);
  }

  /// Starts loading the `n`th key with a time to live into the processor's cache.
  #[inline]
  pub fn prefetch_volatile(&self, n: usize) {
    if let Some(volatile) = self.volatile.get(n) {
      crate::dense::prefetch(volatile);
    }
  }

  pub fn volatile_at(&self, n: usize) -> (usize, i64) {
    let volatile = self.volatile[n];
    (volatile.pos as usize, volatile.expire_at)
  }

  /// Hands the entry at `pos` to the background save under way if it does not have it yet
  /// (see the module comment). Free when no save is under way.
  #[inline]
  pub(crate) fn preserve(&mut self, pos: usize) {
    if self.snapshot.is_some() {
      self.preserve_now(pos);
    }
  }

  #[inline(never)]
  fn preserve_now(&mut self, pos: usize) {
    let entry = self.entries.at(pos);
    if entry.mark() == self.mark {
      return;
    }
    let expire_at = self.expire_of(entry);
    if let Some(snapshot) = self.snapshot.as_mut() {
      snapshot.record_early(entry, expire_at);
    }
    self.entries.at_mut(pos).set_mark(self.mark);
  }

  /// Hands every entry the save under way does not have yet to it (before a change to the
  /// whole database); the save then needs nothing more from this database.
  pub(crate) fn preserve_all(&mut self) {
    if self.snapshot.is_none() {
      return;
    }
    for pos in 0..self.entries.len() {
      self.preserve_now(pos);
    }
    if let Some(snapshot) = self.snapshot.as_mut() {
      snapshot.cursor = self.entries.len();
    }
  }

  /// The save walks on: hands the entries from its cursor that it does not have yet over,
  /// until its output holds `until_bytes` or the walk reaches the end; returns whether it did.
  pub(crate) fn preserve_next(&mut self, until_bytes: usize) -> bool {
    let Some(snapshot) = self.snapshot.as_mut() else { return true };
    while snapshot.cursor < self.entries.len() && snapshot.out.len() < until_bytes {
      let pos = snapshot.cursor;
      snapshot.cursor += 1;
      let entry = self.entries.at_mut(pos);
      if entry.mark() != self.mark {
        snapshot.record(entry, expire_in(&self.volatile, entry));
        entry.set_mark(self.mark);
      }
    }
    snapshot.cursor >= self.entries.len()
  }

  /// A save stopped before it had every entry: the entries it did not get take the mark of
  /// those it did, so that the next save (which flips the mark) sees all of them.
  pub(crate) fn abandon_snapshot(&mut self) {
    self.snapshot = None;
    for pos in 0..self.entries.len() {
      let mark = self.mark;
      self.entries.at_mut(pos).set_mark(mark);
    }
  }

  /// Visits positions for SCAN; see [`DenseMap::scan`].
  pub fn scan(&self, cursor: u64, count: usize, visit: impl FnMut(&Entry)) -> u64 {
    self.entries.scan(cursor, count, visit)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn key(i: usize) -> Vec<u8> {
    format!("key:{i:09}").into_bytes()
  }

  #[test]
  fn entry_is_56_bytes() {
    assert_eq!(std::mem::size_of::<Entry>(), 56);
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
      let (pos, expire_at) = db.volatile_at(n);
      assert_eq!(db.expire_at(pos), expire_at);
      assert!(db.entry_at(pos).has_ttl());
    }
    assert!(db.lookup(&key(3), 5, true).is_some());
    assert!(db.lookup(&key(3), 10, true).is_none());
    assert_eq!(db.expired_keys, 1);
  }
}
