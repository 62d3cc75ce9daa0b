//! Streams: an append-only log of entries, each a list of field-value pairs under an ID that only
//! grows (see [`id`]), with Redis 7.0's layout and bookkeeping.
//!
//! # Layout
//!
//! Entries live in nodes ([`node`]): runs of consecutive entries packed into one byte buffer with
//! their IDs as deltas from the node's first ID, its *master ID*, under which the node is kept in
//! an ordered map (where Redis keeps a radix tree). New entries go to the last node until it
//! reaches `stream-node-max-bytes` (measured as the size of Redis's listpack for the same entries)
//! or `stream-node-max-entries` (deleted entries included); then a new node starts. Deleting an
//! entry only marks it in its node, and a node goes away when its last live entry is deleted (or
//! when trimming takes it whole). So node boundaries are exactly Redis's, which shows in XINFO
//! STREAM's radix-tree counts and in what approximate (`~`) trimming removes.
//!
//! Besides its entries a stream keeps, as Redis 7.0 does: the last ID ever generated
//! ([`Stream::last_id`], which XSETID may move past the last entry), the number of entries ever
//! added ([`Stream::entries_added`]), the greatest ID ever deleted by XDEL
//! ([`Stream::max_deleted_id`]), the first live entry's ID as last recorded
//! ([`Stream::first_id`]), and its consumer groups ([`Stream::groups`], see [`group`]).
//!
//! # API
//!
//! - Writing: [`Stream::add`] (XADD's ID rules and node placement), [`Stream::delete`] (XDEL's
//!   bookkeeping), [`Stream::trim`] (MAXLEN/MINID, exact or by whole nodes, with a work limit).
//! - Reading: [`Stream::range`] and [`Stream::range_rev`] iterate the live entries between two
//!   IDs; each [`Entry`] gives its ID and its pairs. [`Stream::last_live_id`],
//!   [`Stream::first_entry_id`] and the counts serve XREAD, XSETID, XINFO and propagation.
//! - For consumer groups: [`Stream::groups`], and the read-counter estimates Redis derives from
//!   the bookkeeping above: [`Stream::range_has_tombstones`] and
//!   [`Stream::estimate_entries_read`] (`streamEstimateDistanceFromFirstEverEntry`).
//! - Serialization: [`parts`] takes a stream apart into plain data and builds one from it.
//! - Introspection: [`Stream::node_count`], [`Stream::radix_tree_nodes`], [`Stream::heap_size`].

pub mod group;
pub mod id;
mod node;
pub mod parts;
mod rax;

pub use group::{Consumer, Group, PendingEntry};
pub use id::StreamId;
pub use node::{Pairs, Text};

use node::{Node, RawEntry};
use std::collections::btree_map::{self, BTreeMap};
use std::ops::Bound;

/// The most bytes one XADD may store, and the most a node's listpack may hold (Redis's
/// `STREAM_LISTPACK_MAX_SIZE`).
const MAX_LISTPACK_SIZE: u64 = 1 << 30;

/// How much a new node reserves at most (Redis's `STREAM_LISTPACK_MAX_PRE_ALLOCATE`).
const MAX_PREALLOCATION: u64 = 4096;

#[derive(Clone, Default)]
pub struct Stream {
  nodes: BTreeMap<StreamId, Node>,
  /// Live entries.
  length: u64,
  /// The last ID generated (or set by XSETID); 0-0 for a new stream.
  pub last_id: StreamId,
  /// The first live entry's ID as last recorded (XINFO `recorded-first-entry-id`); 0-0 when
  /// the stream is empty.
  first_id: StreamId,
  /// The greatest ID XDEL removed (or XSETID set); 0-0 when none.
  pub max_deleted_id: StreamId,
  /// Entries ever added (or as XSETID set it).
  pub entries_added: u64,
  /// Consumer groups by name.
  pub groups: BTreeMap<Box<[u8]>, Group>,
}

/// The ID XADD asks for.
#[derive(Clone, Copy, Debug)]
pub enum NewId {
  /// `*`: the current time, or right after the last ID if the clock is behind it.
  Auto,
  /// `<ms>-*`: this millisecond, with the next free sequence number.
  AutoSeq(u64),
  Exact(StreamId),
}

/// Why [`Stream::add`] added nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddError {
  /// The ID is not greater than the last ID.
  NotGreater,
  /// The fields and values are too large for a node; Redis also reports this (its errno being
  /// whatever it was) when `<ms>-*` would need a sequence past the largest.
  TooLarge,
}

/// The node size limits, from `stream-node-max-bytes` and `stream-node-max-entries` (0 means
/// no limit).
#[derive(Clone, Copy, Debug)]
pub struct NodeLimits {
  pub max_bytes: u64,
  pub max_entries: u64,
}

/// What a trim keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrimStrategy {
  /// At most this many entries.
  MaxLen(u64),
  /// No entry below this ID.
  MinId(StreamId),
}

/// A trim request (XTRIM, or XADD's trimming options).
#[derive(Clone, Copy, Debug)]
pub struct Trim {
  pub strategy: TrimStrategy,
  /// `~`: remove whole nodes only, stopping at the first node that must be kept in part.
  pub approx: bool,
  /// The most entries to remove (0: no limit); counted in whole nodes.
  pub limit: u64,
}

/// A live entry, as iteration yields it.
pub struct Entry<'a> {
  pub id: StreamId,
  node: &'a Node,
  raw: RawEntry,
}

impl<'a> Entry<'a> {
  /// The number of field-value pairs.
  pub fn len(&self) -> usize {
    self.raw.fields
  }

  /// Whether the entry has no pairs (never, for entries XADD added).
  pub fn is_empty(&self) -> bool {
    self.raw.fields == 0
  }

  /// The field-value pairs, in order.
  pub fn pairs(&self) -> Pairs<'a> {
    self.node.pairs(&self.raw)
  }
}

impl Stream {
  pub fn new() -> Stream {
    Stream::default()
  }

  /// Live entries.
  /// Allocations freeing the stream takes, as Redis estimates them: one per node, and per
  /// consumer group one plus as many as the first group has pending entries (see `lazyfree`).
  pub fn free_effort(&self) -> usize {
    let per_group = 1 + self.groups.values().next().map_or(0, |group| group.pel.len());
    self.nodes.len() + self.groups.len() * per_group
  }

  pub fn len(&self) -> u64 {
    self.length
  }

  pub fn is_empty(&self) -> bool {
    self.length == 0
  }

  /// XINFO's `recorded-first-entry-id`.
  pub fn first_id(&self) -> StreamId {
    self.first_id
  }

  /// The number of nodes (XINFO `radix-tree-keys`).
  pub fn node_count(&self) -> usize {
    self.nodes.len()
  }

  /// The number of nodes of Redis's radix tree over the nodes (XINFO `radix-tree-nodes`).
  pub fn radix_tree_nodes(&self) -> u64 {
    let masters: Vec<StreamId> = self.nodes.keys().copied().collect();
    rax::node_count(&masters)
  }

  /// Heap bytes owned by the stream (MEMORY USAGE), approximately: the map's entries are
  /// counted at their size, not at the B-tree's.
  pub fn heap_size(&self) -> usize {
    use std::mem::size_of;
    let nodes: usize = self.nodes.values().map(|node| size_of::<(StreamId, Node)>() + node.heap_size()).sum();
    let groups: usize = self
      .groups
      .iter()
      .map(|(name, group)| {
        let pending: usize =
          group.pel.values().map(|entry| size_of::<(StreamId, PendingEntry)>() + entry.consumer.len()).sum();
        let consumers: usize = group
          .consumers
          .iter()
          .map(|(name, consumer)| {
            name.len() + size_of::<(Box<[u8]>, Consumer)>() + consumer.pending.len() * size_of::<StreamId>()
          })
          .sum();
        name.len() + size_of::<(Box<[u8]>, Group)>() + pending + consumers
      })
      .sum();
    nodes + groups
  }

  /// Adds an entry with `pairs` (`field, value, field, value…`, at least one pair), as XADD
  /// does: picks its ID (see [`NewId`]; `now_ms` for `*`), which must be greater than
  /// [`Stream::last_id`], and places it in the last node or a new one (see the module comment).
  pub fn add(&mut self, wanted: NewId, pairs: &[&[u8]], limits: NodeLimits, now_ms: i64) -> Result<StreamId, AddError> {
    let id = match wanted {
      NewId::Exact(id) => id,
      NewId::AutoSeq(ms) if ms == self.last_id.ms => {
        let seq = self.last_id.seq.checked_add(1).ok_or(AddError::TooLarge)?;
        StreamId::new(ms, seq)
      }
      NewId::AutoSeq(ms) => StreamId::new(ms, 0),
      NewId::Auto => {
        let now = now_ms.max(0) as u64;
        if now > self.last_id.ms {
          StreamId::new(now, 0)
        } else {
          self.last_id.successor().unwrap_or(StreamId::MIN)
        }
      }
    };
    if id <= self.last_id {
      return Err(AddError::NotGreater);
    }
    let size: u64 = pairs.iter().map(|item| item.len() as u64).sum();
    if size > MAX_LISTPACK_SIZE {
      return Err(AddError::TooLarge);
    }
    let max_bytes = match limits.max_bytes {
      0 => MAX_LISTPACK_SIZE,
      bytes => bytes.min(MAX_LISTPACK_SIZE),
    };
    let tail = self.nodes.last_entry().filter(|tail| {
      let node = tail.get();
      let full = node.listpack_bytes() + size >= max_bytes
        || (limits.max_entries != 0 && u64::from(node.total()) >= limits.max_entries);
      !full
    });
    match tail {
      Some(mut tail) => {
        let master = *tail.key();
        tail.get_mut().push(master, id, pairs);
      }
      None => {
        if let Some(mut full) = self.nodes.last_entry() {
          full.get_mut().seal();
        }
        let reserve = match limits.max_bytes {
          0 => MAX_PREALLOCATION,
          bytes => bytes.min(MAX_PREALLOCATION),
        };
        let mut node = Node::new(pairs, reserve as usize);
        node.push(id, id, pairs);
        self.nodes.insert(id, node);
      }
    }
    self.length += 1;
    self.entries_added = self.entries_added.wrapping_add(1);
    self.last_id = id;
    if self.length == 1 {
      self.first_id = id;
    }
    Ok(id)
  }

  /// Deletes the live entries with these IDs, as XDEL does: the greatest deleted ID raises
  /// [`Stream::max_deleted_id`], and [`Stream::first_id`] moves on when the first entry went.
  /// Returns how many were deleted.
  pub fn delete(&mut self, ids: impl IntoIterator<Item = StreamId>) -> u64 {
    let mut deleted = 0;
    let mut first_deleted = false;
    for id in ids {
      if !self.delete_one(id) {
        continue;
      }
      first_deleted |= id == self.first_id;
      self.max_deleted_id = self.max_deleted_id.max(id);
      deleted += 1;
    }
    if deleted > 0 {
      if self.length == 0 {
        self.first_id = StreamId::MIN;
      } else if first_deleted {
        self.first_id = self.first_live_id().unwrap_or(StreamId::MIN);
      }
    }
    deleted
  }

  /// Marks the live entry `id` deleted (removing its node if it was the node's last live
  /// entry); false if there is no such entry.
  fn delete_one(&mut self, id: StreamId) -> bool {
    let Some((&master, node)) = self.nodes.range_mut(..=id).next_back() else {
      return false;
    };
    let mut at = node.first_position();
    while at < node.end() {
      let entry = node.entry_at(master, at);
      if entry.id > id {
        return false;
      }
      if entry.id == id {
        if entry.is_deleted() {
          return false;
        }
        if node.live() == 1 {
          self.nodes.remove(&master);
        } else {
          node.mark_deleted(&entry);
        }
        self.length -= 1;
        return true;
      }
      at = entry.next;
    }
    false
  }

  /// Trims from the oldest entries (Redis's `streamTrim`); returns how many were removed. Whole
  /// nodes go first; then, unless `approx`, the entries of the node that must be kept in part
  /// are marked deleted (the node stays, even if nothing live is left in it). The limit stops
  /// the work before a node that would exceed it.
  pub fn trim(&mut self, trim: &Trim) -> u64 {
    let mut removed = 0;
    loop {
      if let TrimStrategy::MaxLen(max) = trim.strategy {
        if self.length <= max {
          break;
        }
      }
      let Some(mut first) = self.nodes.first_entry() else { break };
      let master = *first.key();
      let live = u64::from(first.get().live());
      if trim.limit != 0 && removed + live > trim.limit {
        break;
      }
      let whole = match trim.strategy {
        TrimStrategy::MaxLen(max) => self.length - live >= max,
        TrimStrategy::MinId(min) => first.get().last_entry(master).id < min,
      };
      if whole {
        first.remove();
        self.length -= live;
        removed += live;
        continue;
      }
      if trim.approx {
        break;
      }
      let node = first.get_mut();
      let mut at = node.first_position();
      while at < node.end() {
        let entry = node.entry_at(master, at);
        let keep = match trim.strategy {
          TrimStrategy::MaxLen(max) => self.length <= max,
          TrimStrategy::MinId(min) => entry.id >= min,
        };
        if keep {
          break;
        }
        if !entry.is_deleted() {
          node.mark_deleted(&entry);
          self.length -= 1;
          removed += 1;
        }
        at = entry.next;
      }
      break;
    }
    if self.length == 0 {
      self.first_id = StreamId::MIN;
    } else if removed > 0 {
      self.first_id = self.first_live_id().unwrap_or(StreamId::MIN);
    }
    removed
  }

  /// The live entries from `start` to `end` (both included), oldest first.
  pub fn range(&self, start: StreamId, end: StreamId) -> Entries<'_> {
    // The node holding `start` is the last one whose master ID is not above it.
    let from = self.nodes.range(..=start).next_back().or_else(|| self.nodes.first_key_value());
    let nodes = match from {
      Some((&master, _)) => self.nodes.range(master..),
      None => self.nodes.range(StreamId::MAX..StreamId::MAX),
    };
    Entries { nodes, current: None, start, end, rev: false, done: false }
  }

  /// The live entries from `end` down to `start` (both included), newest first.
  pub fn range_rev(&self, start: StreamId, end: StreamId) -> Entries<'_> {
    let nodes = self.nodes.range((Bound::Unbounded, Bound::Included(end)));
    Entries { nodes, current: None, start, end, rev: true, done: false }
  }

  /// The first live entry's ID.
  pub fn first_live_id(&self) -> Option<StreamId> {
    self.range(StreamId::MIN, StreamId::MAX).next().map(|entry| entry.id)
  }

  /// The last live entry's ID (Redis's `streamLastValidID`).
  pub fn last_live_id(&self) -> Option<StreamId> {
    self.range_rev(StreamId::MIN, StreamId::MAX).next().map(|entry| entry.id)
  }

  /// The first entry's ID, deleted or not (what `~` trimming by MINID propagates as the ID it
  /// trimmed to).
  pub fn first_entry_id(&self) -> Option<StreamId> {
    let (&master, node) = self.nodes.first_key_value()?;
    Some(node.entry_at(master, node.first_position()).id)
  }

  /// Whether a deleted entry may lie between `start` and `end` (Redis's
  /// `streamRangeHasTombstones`, judged from [`Stream::max_deleted_id`]): a consumer group's
  /// read counter stays exact only while no tombstone lies ahead of it.
  pub fn range_has_tombstones(&self, start: StreamId, end: StreamId) -> bool {
    if self.length == 0 || self.max_deleted_id.is_zero() || self.first_id > self.max_deleted_id {
      return false;
    }
    start <= self.max_deleted_id && self.max_deleted_id <= end
  }

  /// The number of entries added up to and including `id`, when the bookkeeping tells it
  /// (Redis's `streamEstimateDistanceFromFirstEverEntry`): exact for the last ID, and for IDs
  /// at or before the first entry while no tombstone follows it; `None` otherwise.
  pub fn estimate_entries_read(&self, id: StreamId) -> Option<i64> {
    let added = self.entries_added as i64;
    if self.entries_added == 0 {
      return Some(0);
    }
    if self.length == 0 && id <= self.last_id {
      return Some(added);
    }
    if id == self.last_id {
      return Some(added);
    }
    if id > self.last_id {
      return None;
    }
    if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
      if id < self.first_id {
        return Some(added.wrapping_sub(self.length as i64));
      }
      if id == self.first_id {
        return Some(added.wrapping_sub(self.length as i64).wrapping_add(1));
      }
    }
    None
  }
}

/// An iteration over the live entries of a range (see [`Stream::range`]).
pub struct Entries<'a> {
  nodes: btree_map::Range<'a, StreamId, Node>,
  /// The node being read: its master ID, itself, and where the next entry starts (forward) or
  /// the last one read starts (backward).
  current: Option<(StreamId, &'a Node, usize)>,
  start: StreamId,
  end: StreamId,
  rev: bool,
  done: bool,
}

impl<'a> Iterator for Entries<'a> {
  type Item = Entry<'a>;

  fn next(&mut self) -> Option<Entry<'a>> {
    while !self.done {
      let Some((master, node, at)) = self.current else {
        let next = if self.rev { self.nodes.next_back() } else { self.nodes.next() };
        let Some((&master, node)) = next else {
          self.done = true;
          break;
        };
        let at = if self.rev { node.end() } else { node.first_position() };
        self.current = Some((master, node, at));
        continue;
      };
      let raw = if self.rev {
        if node.is_first_position(at) {
          self.current = None;
          continue;
        }
        node.entry_before(master, at)
      } else {
        if at >= node.end() {
          self.current = None;
          continue;
        }
        node.entry_at(master, at)
      };
      self.current = Some((master, node, if self.rev { raw.start } else { raw.next }));
      let (before, beyond) =
        if self.rev { (raw.id > self.end, raw.id < self.start) } else { (raw.id < self.start, raw.id > self.end) };
      if beyond {
        self.done = true;
        break;
      }
      if before || raw.is_deleted() {
        continue;
      }
      return Some(Entry { id: raw.id, node, raw });
    }
    None
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  const LIMITS: NodeLimits = NodeLimits { max_bytes: 4096, max_entries: 3 };

  fn stream_of(ids: &[(u64, u64)]) -> Stream {
    let mut stream = Stream::new();
    for &(ms, seq) in ids {
      stream.add(NewId::Exact(StreamId::new(ms, seq)), &[b"f", b"v"], LIMITS, 0).unwrap();
    }
    stream
  }

  fn ids(entries: Entries) -> Vec<(u64, u64)> {
    entries.map(|e| (e.id.ms, e.id.seq)).collect()
  }

  #[test]
  fn ids_are_chosen_as_xadd_does() {
    let mut s = Stream::new();
    let add = |s: &mut Stream, wanted| s.add(wanted, &[b"f", b"v"], LIMITS, 1000);
    assert_eq!(add(&mut s, NewId::Auto), Ok(StreamId::new(1000, 0)));
    assert_eq!(add(&mut s, NewId::Auto), Ok(StreamId::new(1000, 1)));
    assert_eq!(add(&mut s, NewId::AutoSeq(1000)), Ok(StreamId::new(1000, 2)));
    assert_eq!(add(&mut s, NewId::AutoSeq(999)), Err(AddError::NotGreater));
    assert_eq!(add(&mut s, NewId::AutoSeq(2000)), Ok(StreamId::new(2000, 0)));
    assert_eq!(add(&mut s, NewId::Exact(StreamId::new(2000, 0))), Err(AddError::NotGreater));
    assert_eq!(add(&mut s, NewId::Exact(StreamId::new(3000, u64::MAX))), Ok(StreamId::new(3000, u64::MAX)));
    assert_eq!(add(&mut s, NewId::AutoSeq(3000)), Err(AddError::TooLarge));
    assert_eq!(add(&mut s, NewId::Auto), Ok(StreamId::new(3001, 0)));
    assert_eq!((s.len(), s.entries_added, s.node_count()), (6, 6, 2));
  }

  #[test]
  fn ranges_cross_nodes_both_ways() {
    let s = stream_of(&[(1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0)]);
    assert_eq!(s.node_count(), 3);
    assert_eq!(ids(s.range(StreamId::new(2, 0), StreamId::new(5, 0))), [(2, 0), (3, 0), (4, 0), (5, 0)]);
    assert_eq!(ids(s.range_rev(StreamId::new(2, 0), StreamId::new(5, 0))), [(5, 0), (4, 0), (3, 0), (2, 0)]);
    assert_eq!(ids(s.range(StreamId::new(8, 0), StreamId::MAX)), []);
    assert_eq!(ids(s.range_rev(StreamId::MIN, StreamId::new(0, 5))), []);
    let pairs: Vec<_> =
      s.range(StreamId::MIN, StreamId::MAX).next().unwrap().pairs().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
    assert_eq!(pairs, [(b"f".to_vec(), b"v".to_vec())]);
  }

  #[test]
  fn deleting_marks_and_frees_nodes() {
    let mut s = stream_of(&[(1, 0), (2, 0), (3, 0), (4, 0)]);
    assert_eq!(s.delete([StreamId::new(1, 0), StreamId::new(1, 0), StreamId::new(9, 0)]), 1);
    assert_eq!((s.first_id(), s.max_deleted_id), (StreamId::new(2, 0), StreamId::new(1, 0)));
    assert_eq!(s.node_count(), 2);
    s.delete([StreamId::new(2, 0), StreamId::new(3, 0)]);
    // The first node lost its last live entry: it is gone.
    assert_eq!(s.node_count(), 1);
    assert_eq!(ids(s.range(StreamId::MIN, StreamId::MAX)), [(4, 0)]);
    s.delete([StreamId::new(4, 0)]);
    assert_eq!((s.len(), s.node_count(), s.first_id()), (0, 0, StreamId::MIN));
  }

  #[test]
  fn trimming_by_length_and_id() {
    let all = [(1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0)];
    let mut s = stream_of(&all);
    let approx = Trim { strategy: TrimStrategy::MaxLen(3), approx: true, limit: 0 };
    assert_eq!(s.trim(&approx), 3);
    assert_eq!((s.len(), s.node_count(), s.first_id()), (4, 2, StreamId::new(4, 0)));
    let exact = Trim { strategy: TrimStrategy::MaxLen(2), approx: false, limit: 0 };
    assert_eq!(s.trim(&exact), 2);
    assert_eq!(ids(s.range(StreamId::MIN, StreamId::MAX)), [(6, 0), (7, 0)]);
    let mut s = stream_of(&all);
    let limited = Trim { strategy: TrimStrategy::MinId(StreamId::new(7, 0)), approx: true, limit: 5 };
    assert_eq!(s.trim(&limited), 3);
    let mut s = stream_of(&all);
    s.delete([StreamId::new(3, 0)]);
    // The first node ends with a tombstone at or past the minimum: it stays, emptied.
    let by_id = Trim { strategy: TrimStrategy::MinId(StreamId::new(3, 0)), approx: false, limit: 0 };
    assert_eq!(s.trim(&by_id), 2);
    assert_eq!((s.len(), s.node_count(), s.first_id()), (4, 3, StreamId::new(4, 0)));
    assert_eq!(s.first_entry_id(), Some(StreamId::new(1, 0)));
  }

  #[test]
  fn read_counter_estimates() {
    let mut s = stream_of(&[(1, 0), (2, 0), (3, 0)]);
    assert_eq!(s.estimate_entries_read(StreamId::new(3, 0)), Some(3));
    assert_eq!(s.estimate_entries_read(StreamId::new(1, 0)), Some(1));
    assert_eq!(s.estimate_entries_read(StreamId::new(0, 5)), Some(0));
    assert_eq!(s.estimate_entries_read(StreamId::new(2, 0)), None);
    assert_eq!(s.estimate_entries_read(StreamId::new(4, 0)), None);
    assert!(!s.range_has_tombstones(StreamId::MIN, StreamId::MAX));
    s.delete([StreamId::new(2, 0)]);
    assert!(s.range_has_tombstones(StreamId::MIN, StreamId::MAX));
    assert!(!s.range_has_tombstones(StreamId::new(2, 1), StreamId::MAX));
    assert_eq!(s.estimate_entries_read(StreamId::new(1, 0)), None);
  }
}
