//! Consumer groups: the containers a stream keeps for XGROUP, XREADGROUP, XACK, XPENDING,
//! XCLAIM and XAUTOCLAIM, laid out as Redis 7.0 keeps them.
//!
//! A stream maps group names to [`Group`]s (`Stream::groups`, ordered by name bytes as Redis's
//! radix tree orders them). A group has its last delivered ID, its read counter
//! (`entries_read`), its consumers by name, and its pending entries list (PEL): the entries
//! delivered to a consumer and not acknowledged yet, by ID.
//!
//! Redis shares each pending entry between the group's PEL and the PEL of the consumer that
//! owns it. Here the group's PEL owns the [`PendingEntry`] (delivery time, delivery count and
//! the owner's name), and each [`Consumer`] lists the IDs it owns; the two must be kept in step:
//! an ID is in a consumer's `pending` exactly when the group's PEL has it with that consumer as
//! owner. Both are ordered by ID, as Redis's radix trees are.

use super::StreamId;
use std::collections::{BTreeMap, BTreeSet};

/// A consumer group.
#[derive(Clone, Debug)]
pub struct Group {
  /// The last ID delivered to any consumer of the group.
  pub last_id: StreamId,
  /// How many entries the group has read (its logical position in the stream since it began,
  /// which XINFO's `lag` is computed from); `None` when unknown, Redis's `-1`.
  pub entries_read: Option<i64>,
  /// The pending entries list, by entry ID.
  pub pel: BTreeMap<StreamId, PendingEntry>,
  /// The consumers, by name.
  pub consumers: BTreeMap<Box<[u8]>, Consumer>,
}

impl Group {
  /// A group without consumers or pending entries.
  pub fn new(last_id: StreamId, entries_read: Option<i64>) -> Group {
    Group { last_id, entries_read, pel: BTreeMap::new(), consumers: BTreeMap::new() }
  }
}

/// An entry delivered and not acknowledged yet.
#[derive(Clone, Debug)]
pub struct PendingEntry {
  /// Unix milliseconds of the last delivery.
  pub delivery_time: i64,
  /// How many times the entry was delivered.
  pub delivery_count: u64,
  /// The consumer it was last delivered to (a key of `Group::consumers`).
  pub consumer: Box<[u8]>,
}

/// A consumer of a group.
#[derive(Clone, Debug)]
pub struct Consumer {
  /// Unix milliseconds of the consumer's last interaction (XINFO's `seen-time` and `idle`).
  /// Redis 7.0 keeps no separate active time.
  pub seen_time: i64,
  /// The IDs of the group's pending entries this consumer owns.
  pub pending: BTreeSet<StreamId>,
}

impl Consumer {
  pub fn new(seen_time: i64) -> Consumer {
    Consumer { seen_time, pending: BTreeSet::new() }
  }
}
