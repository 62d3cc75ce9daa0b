//! The keyspace part of the server: the databases and what is kept about them as a whole.
//!
//! Besides the databases themselves this holds the keys WATCHed by transactions, the count of
//! changes since the last save (Redis's `server.dirty`), and the state of expiry: whether the
//! active cycle runs, where it resumes, and whether a CLIENT PAUSE WRITE holds it. The
//! databases share one `attention` flag, raised when they logged expired or new keys or made a
//! waited-on key ready, so that settling after a command skips its scans while it is down.
//!
//! A replica leaves expiry to its master, whose DELs delete expired keys. But a writable
//! replica's clients may write keys with a time to live that the master never heard of: those
//! are remembered, and the replica expires them itself (Redis's `rememberSlaveKeyWithExpire`
//! and `expireSlaveKeys`).

use crate::cmd::transaction::Watches;
use crate::db::Db;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

pub struct Keyspace {
  pub dbs: Vec<Db>,
  /// Keys watched by WATCH, and which sessions' watches were broken (see `cmd/transaction.rs`).
  pub watches: Watches,
  /// Changes since the last save (Redis's `server.dirty`), counted by the handlers.
  pub dirty: u64,
  /// Unix seconds of the last successful save (LASTSAVE).
  pub last_save: i64,
  /// The background save under way or last done (BGSAVE, `save` rules).
  pub bgsave: BackgroundSave,
  pub active_expire_enabled: bool,
  /// The database the next active expiry cycle starts with.
  pub(crate) expire_next_db: usize,
  /// Whether the databases currently keep expired keys (a CLIENT PAUSE WRITE is on).
  pub(crate) expiry_paused: bool,
  /// Raised by the databases (see the module comment).
  pub(crate) attention: Rc<Cell<bool>>,
  /// On a replica: keys its own clients wrote with a time to live, each with a bit per
  /// database it was written in (databases 0 to 63, as in Redis). See the module comment.
  pub(crate) replica_keys_with_expire: HashMap<Vec<u8>, u64>,
}

/// What INFO persistence and the `save` rules know of background saves.
pub struct BackgroundSave {
  /// Unix ms when the save under way took its snapshot (0: none under way).
  pub started_ms: i64,
  /// The change count when the snapshot was taken: what a successful save accounts for.
  pub dirty_at_snapshot: u64,
  /// BGSAVE SCHEDULE asked for one more save once the current one ends.
  pub scheduled: bool,
  /// The last background save failed.
  pub last_failed: bool,
  /// Unix ms of the last attempt (a failed one is retried after 5 seconds).
  pub last_attempt_ms: i64,
  /// Seconds the last background save took (-1: none yet).
  pub last_duration_sec: i64,
  /// Successful saves, SAVE's included, since start-up (INFO `rdb_saves`).
  pub saves: u64,
  /// Keys the last load of an RDB file loaded, and expired keys it skipped.
  pub last_load_keys: u64,
  pub last_load_expired: u64,
}

impl Default for BackgroundSave {
  fn default() -> Self {
    BackgroundSave {
      started_ms: 0,
      dirty_at_snapshot: 0,
      scheduled: false,
      last_failed: false,
      last_attempt_ms: 0,
      last_duration_sec: -1,
      saves: 0,
      last_load_keys: 0,
      last_load_expired: 0,
    }
  }
}

impl BackgroundSave {
  pub fn in_progress(&self) -> bool {
    self.started_ms != 0
  }
}

impl Keyspace {
  pub fn new(databases: usize, now_ms: i64) -> Self {
    let attention = Rc::new(Cell::new(false));
    Keyspace {
      dbs: (0..databases).map(|_| Db::with_attention(attention.clone())).collect(),
      watches: Watches::default(),
      dirty: 0,
      last_save: now_ms / 1000,
      bgsave: BackgroundSave::default(),
      active_expire_enabled: true,
      expire_next_db: 0,
      expiry_paused: false,
      attention,
      replica_keys_with_expire: HashMap::new(),
    }
  }

  /// Keys in every database.
  pub fn key_count(&self) -> u64 {
    self.dbs.iter().map(|db| db.len() as u64).sum()
  }

  /// A replica's client changed `key` in database `db`: remembered if it has a time to live.
  pub(crate) fn remember_replica_key(&mut self, db: usize, key: &[u8]) {
    let Some(pos) = self.dbs[db].position(key) else { return };
    if db >= 64 || self.dbs[db].expire_at(pos) == crate::db::NO_EXPIRE {
      return;
    }
    *self.replica_keys_with_expire.entry(key.to_vec()).or_default() |= 1 << db;
  }

  /// Deletes the remembered keys whose time passed, and forgets those that are gone or have
  /// no time to live any more (the periodic work of a replica).
  pub(crate) fn expire_replica_keys(&mut self, now_ms: i64) {
    let dbs = &mut self.dbs;
    self.replica_keys_with_expire.retain(|key, bits| {
      for db in 0..dbs.len().min(64) {
        if *bits & (1 << db) == 0 {
          continue;
        }
        if let Some(pos) = dbs[db].position(key) {
          let expire_at = dbs[db].expire_at(pos);
          if expire_at != crate::db::NO_EXPIRE {
            if expire_at > now_ms {
              continue;
            }
            dbs[db].expire_at_pos(pos);
          }
        }
        *bits &= !(1 << db);
      }
      *bits != 0
    });
  }

  /// Grows or shrinks the database array (start-up only).
  pub fn resize(&mut self, databases: usize) {
    let attention = self.attention.clone();
    self.dbs.resize_with(databases, || Db::with_attention(attention.clone()));
  }

  /// Makes every database keep (`true`) or delete expired keys.
  pub(crate) fn pause_expiry(&mut self, paused: bool) {
    if paused != self.expiry_paused {
      self.expiry_paused = paused;
      for db in &mut self.dbs {
        db.expiry_paused = paused;
      }
    }
  }

  /// Makes every database treat expired keys as present (`true`) or as expired.
  pub(crate) fn suspend_expiry(&mut self, suspended: bool) {
    for db in &mut self.dbs {
      db.expiry_suspended = suspended;
    }
  }

  /// Sets how accesses update every database's entries (for the eviction policy).
  pub(crate) fn set_access_policy(&mut self, policy: crate::db::access::AccessPolicy) {
    for db in &mut self.dbs {
      db.access_policy = policy;
    }
  }

  /// Makes the databases' tables grow within `room` bytes (while `maxmemory` is set, see
  /// `Db::growth_room`) or, with `None`, by doubling.
  pub(crate) fn set_growth_room(&mut self, room: Option<u64>) {
    for db in &mut self.dbs {
      db.growth_room = room;
    }
  }

  /// Makes the databases log created keys (for `new` keyspace events) or not.
  pub(crate) fn log_new_keys(&mut self, log_new: bool) {
    for db in &mut self.dbs {
      db.log_new = log_new;
    }
  }
}
