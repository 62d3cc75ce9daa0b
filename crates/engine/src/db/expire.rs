//! Active expiry: reclaiming keys whose time to live passed but that nobody reads.
//!
//! Lazy expiry alone would let a key that is never touched again hold memory forever. Like
//! Redis's `activeExpireCycle`, each cycle samples up to 20 volatile keys per database, deletes
//! the expired ones, and repeats while more than 10% of a sample was expired and the time
//! budget lasts. The cycle resumes at the next database where the previous one stopped, so a
//! budget that runs out never starves the later databases.

use super::Db;
use crate::rand::Rng;
use std::time::Instant;

/// Keys sampled per database per round.
const SAMPLE: usize = 20;
/// Keep sampling a database while more than this percentage of a sample was expired.
const ACCEPTABLE_STALE_PERCENT: usize = 10;

/// Result of one cycle, for INFO's statistics.
#[derive(Default, Debug)]
pub struct CycleStats {
  pub sampled: u64,
  pub expired: u64,
  pub timed_out: bool,
  /// How long the cycle took, deletions included.
  pub elapsed: std::time::Duration,
}

/// Runs one active expiry cycle over `dbs`, starting at database `*next_db`, for at most
/// `budget` of wall time. Updates `*next_db` to where the next cycle should start.
pub fn active_expire_cycle(
  dbs: &mut [Db],
  next_db: &mut usize,
  now_ms: i64,
  budget: std::time::Duration,
  rng: &mut Rng,
) -> CycleStats {
  let started = Instant::now();
  let mut stats = CycleStats::default();
  for _ in 0..dbs.len() {
    let db_index = *next_db % dbs.len();
    *next_db = (db_index + 1) % dbs.len();
    let db = &mut dbs[db_index];
    loop {
      let volatile = db.volatile_len();
      if volatile == 0 {
        break;
      }
      let sample = SAMPLE.min(volatile);
      let mut expired = 0;
      for _ in 0..sample {
        let n = db.volatile_len();
        if n == 0 {
          break;
        }
        let (pos, expire_at) = db.volatile_at(rng.below(n as u64) as usize);
        if expire_at <= now_ms {
          db.expire_at_pos(pos);
          expired += 1;
        }
      }
      stats.sampled += sample as u64;
      stats.expired += expired as u64;
      stats.elapsed = started.elapsed();
      if stats.elapsed >= budget {
        stats.timed_out = true;
        return stats;
      }
      if expired * 100 <= sample * ACCEPTABLE_STALE_PERCENT {
        break;
      }
    }
  }
  stats.elapsed = started.elapsed();
  stats
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::value::Value;
  use std::time::Duration;

  #[test]
  fn reclaims_untouched_expired_keys() {
    let mut dbs: Vec<Db> = (0..3).map(|_| Db::default()).collect();
    for i in 0..1000 {
      let pos = dbs[1].set(format!("k{i}").as_bytes(), Value::string(b"v"), false, 0);
      dbs[1].set_expire_at(pos, if i < 900 { 100 } else { 10_000 });
    }
    dbs[1].set(b"forever", Value::string(b"v"), false, 0);
    let (mut next, mut rng) = (0, Rng::new(7));
    for _ in 0..100 {
      active_expire_cycle(&mut dbs, &mut next, 200, Duration::from_secs(1), &mut rng);
    }
    assert_eq!(dbs[1].len(), 101);
    assert_eq!(dbs[1].expired_keys, 900);
  }
}
