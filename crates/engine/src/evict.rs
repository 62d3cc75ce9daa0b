//! `maxmemory`: evicting keys when the engine's used memory passes the limit, as Redis does.
//!
//! Before each command from a client (see `cmd::dispatch`), [`Server::perform_evictions`]
//! compares the memory the engine counted (`alloc.rs`), minus what it does not count for
//! eviction, with `maxmemory`. When it is over, keys are evicted until it is not:
//!
//! - `noeviction` evicts nothing: the command is refused if it may grow the dataset (OOM).
//! - `allkeys-random` and `volatile-random` take a random key (with a time to live, for the
//!   volatile one) of each database in turn.
//! - The LRU, LFU and TTL policies keep Redis's eviction pool: each round samples
//!   `maxmemory-samples` keys of every database (all keys, or those with a time to live),
//!   scores each (idle time; 255 minus the decayed LFU counter; the farthest expiry time
//!   first), and keeps the 16 best candidates seen so far, in score order. The best candidate
//!   that still exists is evicted. With 5 samples this approximates true LRU closely, and the
//!   pool carries good candidates from one round to the next.
//!
//! An evicted key is deleted as by DEL; the database logs it, and its signals (an `evicted`
//! keyspace event, the key's modification for WATCH and client tracking, and a DEL — UNLINK
//! with `lazyfree-lazy-eviction` — in the write stream, as a unit of its own) go out before the
//! command runs. Every 16 keys the eviction checks its time: past the limit
//! `maxmemory-eviction-tenacity` sets (500 µs by default) it stops and says it is still
//! running; the next command, or the next tick, goes on with it.
//!
//! Not counted, as in Redis: replica output (each eviction adds a DEL to it) and the AOF buffer.
//! Not counted either: the room deleted keys left in the keyspace tables. A database keeps
//! its entries in one array (`dense.rs`): deleting a key frees only what the key and value own
//! outside their slot, often nothing for small ones, and leaves the slot for the next key.
//! Counted, that room would make eviction free nothing per small key and go on until the array
//! shrinks (most of the keys). Uncounted, a slot counts when a key fills it and stops counting
//! when its key goes, as Redis's per-key allocations do. Room a table's growth reserved that
//! no key has used yet does count, so used memory stays within the limit: while `maxmemory`
//! is set the arrays grow by an eighth instead of doubling, so that a growth near the limit
//! evicts only as many keys as an eighth of the table takes.
//!
//! A replica leaves eviction to its master (`replica-ignore-maxmemory`), and nothing is evicted
//! while clients are paused.

use crate::config::EvictionPolicy;
use crate::db::{access, Db, NO_EXPIRE};
use crate::server::Server;
use std::time::{Duration, Instant};

/// Candidates the eviction pool keeps.
const POOL_SIZE: usize = 16;
/// Samples drawn and prefetched together (see `sample_into_pool`).
const SAMPLE_BATCH: usize = 16;

/// How a round of eviction ended (Redis's `EVICT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
  /// Memory is within the limit (or eviction does not apply now).
  Ok,
  /// Keys were evicted but the time limit came first; memory may still be over.
  Running,
  /// Memory is over the limit and nothing can be evicted (or the policy forbids it).
  Fail,
}

/// A candidate for eviction: the higher `score`, the better.
struct Candidate {
  score: u64,
  db: usize,
  key: Vec<u8>,
}

/// The key chosen for eviction: its database, its position there, and its name.
struct Victim {
  db: usize,
  pos: usize,
  key: Vec<u8>,
}

/// What eviction keeps between rounds.
#[derive(Default)]
pub struct Eviction {
  /// The best candidates seen, lowest score first.
  pool: Vec<Candidate>,
  /// The database the random policies take their next key from.
  next_db: usize,
  /// The last round stopped at its time limit: the tick goes on with it.
  pub running: bool,
  /// Keys evicted since the start (INFO `evicted_keys`).
  pub evicted_keys: u64,
  /// Since when memory has been over the limit without eviction catching up.
  exceeded_since: Option<Instant>,
  /// Total time spent over the limit (INFO `total_eviction_exceeded_time`).
  exceeded_total: Duration,
  /// For each database, the positions its next sampling starts with (see `sample_into_pool`).
  drawn_ahead: Vec<DrawnAhead>,
}

/// Sample positions drawn for a database's next sampling, with their entries (or, for the
/// volatile policies, their keys with a time to live) prefetched: drawn at the end of one
/// sampling, they are in the cache by the next one, usually the next command's.
#[derive(Clone, Copy, Default)]
struct DrawnAhead {
  /// Drawn among all keys, or among those with a time to live.
  all_keys: bool,
  len: usize,
  positions: [usize; SAMPLE_BATCH],
}

impl Eviction {
  /// Milliseconds spent over the limit in all, and in the current episode (INFO).
  pub fn exceeded_ms(&self) -> (u128, u128) {
    let current = self.exceeded_since.map_or(Duration::ZERO, |since| since.elapsed());
    ((self.exceeded_total + current).as_millis(), current.as_millis())
  }

  /// CONFIG RESETSTAT: no keys evicted, no time over the limit (an episode under way starts
  /// again at the next round).
  pub fn reset_stats(&mut self) {
    self.evicted_keys = 0;
    self.exceeded_since = None;
    self.exceeded_total = Duration::ZERO;
  }

  /// Keeps `key` of database `db`, scored `score`, if it beats one of the pool's candidates
  /// and is not among them already (Redis's `evictionPoolPopulate`). The key is copied only
  /// when kept, into the buffer of the candidate it pushes out when the pool is full.
  fn offer(&mut self, score: u64, db: usize, key: &[u8]) {
    let pool = &mut self.pool;
    let at = pool.partition_point(|kept| kept.score < score);
    let full = pool.len() == POOL_SIZE;
    if (full && at == 0) || pool.iter().any(|kept| kept.db == db && kept.key == key) {
      return;
    }
    // Full: the worst candidate makes room.
    let (at, mut buffer) = if full { (at - 1, pool.remove(0).key) } else { (at, Vec::new()) };
    buffer.clear();
    buffer.extend_from_slice(key);
    pool.insert(at, Candidate { score, db, key: buffer });
  }
}

impl Server {
  /// Memory the limit does not count: replica output, the AOF buffer (Redis's
  /// `freeMemoryGetNotCountedMemory`) and the room deleted keys left in the keyspace tables
  /// (see the module comment).
  pub fn memory_not_counted_for_eviction(&self) -> u64 {
    let freed: u64 = self.keyspace.dbs.iter().map(|db| db.freed_memory()).sum();
    self.replica_buffer_memory() + self.aof_buffer_memory() + freed
  }

  /// How many bytes must go for memory to be within `maxmemory`, or `None` when it is
  /// (Redis's `getMaxmemoryState`).
  pub fn memory_to_free(&self) -> Option<u64> {
    let limit = self.config.maxmemory;
    if limit == 0 {
      return None;
    }
    if crate::alloc::used_memory() <= limit {
      return None;
    }
    let counted = self.memory_counted_for_eviction();
    (counted > limit).then(|| counted - limit)
  }

  /// Used memory as the limit counts it.
  pub(crate) fn memory_counted_for_eviction(&self) -> u64 {
    crate::alloc::used_memory().saturating_sub(self.memory_not_counted_for_eviction())
  }

  /// Whether used memory is over `maxmemory` even after evicting what could be (the state a
  /// command is refused in when it may grow the dataset).
  pub(crate) fn out_of_memory(&mut self, now_ms: i64) -> bool {
    self.perform_evictions(now_ms) == Outcome::Fail
  }

  /// Evicts keys until memory is within `maxmemory`, the policy forbids it, nothing is left to
  /// evict, or the time limit passes (Redis's `performEvictions`). The evicted keys' signals
  /// are logged by their databases, for the caller to settle.
  pub fn perform_evictions(&mut self, now_ms: i64) -> Outcome {
    if self.config.maxmemory == 0 {
      return Outcome::Ok;
    }
    if !self.safe_to_evict(now_ms) {
      self.sync_table_growth();
      return Outcome::Ok;
    }
    let evicted_before = self.eviction.evicted_keys;
    let outcome = self.evict_until_within(now_ms);
    if self.eviction.evicted_keys > evicted_before {
      for db in &mut self.keyspace.dbs {
        db.give_back_evicted_room();
      }
    }
    // What the command about to run may grow the tables by.
    self.sync_table_growth();
    let eviction = &mut self.eviction;
    eviction.running = outcome == Outcome::Running;
    match (outcome, eviction.exceeded_since) {
      (Outcome::Ok, Some(since)) => {
        eviction.exceeded_total += since.elapsed();
        eviction.exceeded_since = None;
      }
      (Outcome::Running | Outcome::Fail, None) => eviction.exceeded_since = Some(Instant::now()),
      _ => {}
    }
    outcome
  }

  /// Whether evicting now is allowed: not on a replica that leaves it to its master, not while
  /// clients are paused.
  fn safe_to_evict(&self, now_ms: i64) -> bool {
    let ignores = || self.config.stored.get("replica-ignore-maxmemory").is_none_or(|value| value == "yes");
    if self.repl.link.is_some() && ignores() {
      return false;
    }
    !self.blocking.pause.active(now_ms)
  }

  fn evict_until_within(&mut self, now_ms: i64) -> Outcome {
    let Some(to_free) = self.memory_to_free() else { return Outcome::Ok };
    let policy = self.config.maxmemory_policy;
    if policy == EvictionPolicy::NoEviction {
      return Outcome::Fail;
    }
    let started = Instant::now();
    let limit = time_limit(self.config.maxmemory_eviction_tenacity);
    let mut freed: i64 = 0;
    let mut evicted = 0u64;
    while freed < to_free as i64 {
      let Some(victim) = self.pick_victim(policy, now_ms) else { return Outcome::Fail };
      let db = &mut self.keyspace.dbs[victim.db];
      let before = counted_memory(db);
      db.evict_at(victim.pos, victim.key);
      freed += before - counted_memory(db);
      self.eviction.evicted_keys += 1;
      evicted += 1;
      if evicted.is_multiple_of(16) && started.elapsed() > limit {
        return Outcome::Running;
      }
    }
    Outcome::Ok
  }

  /// The next key to evict under `policy`, with its database.
  fn pick_victim(&mut self, policy: EvictionPolicy, now_ms: i64) -> Option<Victim> {
    let all_keys =
      matches!(policy, EvictionPolicy::AllkeysLru | EvictionPolicy::AllkeysLfu | EvictionPolicy::AllkeysRandom);
    if matches!(policy, EvictionPolicy::AllkeysRandom | EvictionPolicy::VolatileRandom) {
      return self.random_victim(all_keys);
    }
    loop {
      let mut candidates = 0;
      for db in 0..self.keyspace.dbs.len() {
        let keys = if all_keys { self.keyspace.dbs[db].len() } else { self.keyspace.dbs[db].volatile_len() };
        if keys > 0 {
          self.sample_into_pool(db, policy, all_keys, now_ms);
          candidates += keys;
        }
      }
      if candidates == 0 {
        return None;
      }
      // The best candidate that still exists (and still has a time to live, for the volatile
      // policies); the others are ghosts of keys deleted since they were sampled.
      while let Some(best) = self.eviction.pool.pop() {
        let db = &self.keyspace.dbs[best.db];
        if let Some(pos) = db.position(&best.key).filter(|&pos| all_keys || db.entry_at(pos).has_ttl()) {
          return Some(Victim { db: best.db, pos, key: best.key });
        }
      }
    }
  }

  /// Samples `maxmemory-samples` keys of database `db` into the pool, scored for `policy`.
  fn sample_into_pool(&mut self, db_index: usize, policy: EvictionPolicy, all_keys: bool, now_ms: i64) {
    let db = &self.keyspace.dbs[db_index];
    let population = if all_keys { db.len() } else { db.volatile_len() };
    let decay_minutes = u32::try_from(self.config.lfu_decay_time).unwrap_or(u32::MAX);
    let count = (self.config.maxmemory_samples.max(1) as usize).min(population);
    // Each sample is a random position in a large table, so a cache miss: the positions of a
    // batch are prefetched before any is read, for the misses to overlap, and the first batch
    // was drawn and prefetched at the end of the previous sampling (positions past the end of
    // a table that shrank meanwhile are drawn again). The volatile policies sample the keys
    // with a time to live, which lead to their entries. (The expiry time matters to
    // volatile-ttl only, a volatile policy.)
    if self.eviction.drawn_ahead.len() <= db_index {
      self.eviction.drawn_ahead.resize(db_index + 1, DrawnAhead::default());
    }
    let ahead = std::mem::take(&mut self.eviction.drawn_ahead[db_index]);
    let ahead = if ahead.all_keys == all_keys { &ahead.positions[..ahead.len] } else { &[] };
    let mut samples = [(0usize, NO_EXPIRE); SAMPLE_BATCH];
    let mut drawn = 0;
    while drawn < count {
      let batch = &mut samples[..(count - drawn).min(SAMPLE_BATCH)];
      for (i, sample) in batch.iter_mut().enumerate() {
        match ahead.get(drawn + i) {
          Some(&pos) if pos < population => sample.0 = pos,
          _ => {
            sample.0 = self.rng.below(population as u64) as usize;
            prefetch_sample(db, all_keys, sample.0);
          }
        }
      }
      drawn += batch.len();
      if !all_keys {
        for sample in batch.iter_mut() {
          *sample = db.volatile_at(sample.0);
          db.prefetch_entry(sample.0);
        }
      }
      for &(pos, expire_at) in batch.iter() {
        let entry = db.entry_at(pos);
        let score = match policy {
          EvictionPolicy::VolatileTtl => u64::MAX - expire_at as u64,
          EvictionPolicy::AllkeysLfu | EvictionPolicy::VolatileLfu => {
            255 - u64::from(access::decayed_counter(entry.access, now_ms, decay_minutes))
          }
          _ => access::idle_ms(entry.access, now_ms),
        };
        self.eviction.offer(score, db_index, &entry.key);
      }
    }
    let mut next = DrawnAhead { all_keys, len: count.min(SAMPLE_BATCH), ..DrawnAhead::default() };
    for pos in &mut next.positions[..next.len] {
      *pos = self.rng.below(population as u64) as usize;
      prefetch_sample(db, all_keys, *pos);
    }
    self.eviction.drawn_ahead[db_index] = next;
  }

  /// A random key (with a time to live unless `all_keys`) of the next database that has one.
  fn random_victim(&mut self, all_keys: bool) -> Option<Victim> {
    let databases = self.keyspace.dbs.len();
    for _ in 0..databases {
      self.eviction.next_db = (self.eviction.next_db + 1) % databases;
      let db = &self.keyspace.dbs[self.eviction.next_db];
      let population = if all_keys { db.len() } else { db.volatile_len() };
      if population == 0 {
        continue;
      }
      let n = self.rng.below(population as u64) as usize;
      let pos = if all_keys { n } else { db.volatile_at(n).0 };
      return Some(Victim { db: self.eviction.next_db, pos, key: db.entry_at(pos).key.to_vec() });
    }
    None
  }
}

/// Starts loading the sample at `pos` into the processor's cache: the entry, or for the
/// volatile policies the key with a time to live.
fn prefetch_sample(db: &Db, all_keys: bool, pos: usize) {
  if all_keys {
    db.prefetch_entry(pos);
  } else {
    db.prefetch_volatile(pos);
  }
}

/// Used memory less the room `db`'s deleted keys left: what deleting one of its keys lowers by
/// the memory the key owned, its slot included (see the module comment).
fn counted_memory(db: &Db) -> i64 {
  crate::alloc::used_memory() as i64 - db.freed_memory() as i64
}

/// How long one round may evict: 50 µs per step of `maxmemory-eviction-tenacity` up to 10,
/// then 15 % more per step, and no limit at 100.
fn time_limit(tenacity: i64) -> Duration {
  match tenacity {
    ..=10 => Duration::from_micros(50 * tenacity.max(0) as u64),
    11..=99 => Duration::from_micros((500.0 * 1.15f64.powi(tenacity as i32 - 10)) as u64),
    _ => Duration::MAX,
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn the_pool_keeps_the_best_candidates_in_order() {
    let mut eviction = Eviction::default();
    for score in [5u64, 1, 9, 3, 7] {
      eviction.offer(score, 0, score.to_string().as_bytes());
    }
    let scores: Vec<u64> = eviction.pool.iter().map(|c| c.score).collect();
    assert_eq!(scores, [1, 3, 5, 7, 9]);
    for score in 10..30u64 {
      eviction.offer(score, 0, score.to_string().as_bytes());
    }
    assert_eq!(eviction.pool.len(), POOL_SIZE);
    assert_eq!(eviction.pool.first().map(|c| c.score), Some(14));
    assert_eq!(eviction.pool.last().map(|c| c.score), Some(29));
    // Worse than everything in a full pool: not kept.
    eviction.offer(2, 0, b"2");
    assert_eq!(eviction.pool.first().map(|c| c.score), Some(14));
    // A key already kept is not kept twice.
    eviction.offer(40, 0, b"29");
    assert_eq!(eviction.pool.iter().filter(|c| c.key == b"29").count(), 1);
    assert_eq!(eviction.pool.first().map(|c| c.score), Some(14));
  }

  #[test]
  fn tenacity_sets_the_time_limit() {
    assert_eq!(time_limit(0), Duration::ZERO);
    assert_eq!(time_limit(10), Duration::from_micros(500));
    assert_eq!(time_limit(11), Duration::from_micros(575));
    assert_eq!(time_limit(100), Duration::MAX);
  }
}
