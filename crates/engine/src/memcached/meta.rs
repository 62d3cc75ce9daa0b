//! What memcached keeps beside a value and Redis does not: the client flags and the cas
//! unique. A database holds these in a side table keyed by the key, filled only by the
//! memcached front end, so keys never touched through memcached cost nothing.
//!
//! The table is kept right by the write signal (`signal::key_modified`): any change of a key
//! over RESP (a write, an expiry, an eviction, a deletion) forgets the key's row, so its flags
//! read as 0 and `gets` hands out a fresh cas unique next time. Clearing and swapping a
//! database clear and swap its table with it. The memcached commands write their row after
//! the Redis write they ran, so their own signal does not undo it.

use std::collections::HashMap;

/// A key's memcached attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
  /// The client's 32-bit flags, stored and returned untouched.
  pub flags: u32,
  /// The cas unique of the current value.
  pub cas: u64,
}

/// The side table of one database.
#[derive(Default)]
pub struct MetaTable {
  rows: HashMap<Box<[u8]>, Meta>,
}

impl MetaTable {
  #[inline]
  pub fn is_empty(&self) -> bool {
    self.rows.is_empty()
  }

  pub fn get(&self, key: &[u8]) -> Option<Meta> {
    self.rows.get(key).copied()
  }

  pub fn set(&mut self, key: &[u8], meta: Meta) {
    match self.rows.get_mut(key) {
      Some(row) => *row = meta,
      None => {
        self.rows.insert(key.into(), meta);
      }
    }
  }

  /// The key changed in a way memcached did not describe: its row goes.
  pub fn forget(&mut self, key: &[u8]) {
    self.rows.remove(key);
  }

  pub fn clear(&mut self) {
    self.rows = HashMap::new();
  }
}
