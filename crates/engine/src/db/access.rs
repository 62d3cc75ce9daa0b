//! What the eviction policies know of each key's use: the 24 bits Redis keeps in every
//! object's `lru` field, held here in [`crate::db::Entry::access`].
//!
//! Under every policy but the LFU ones the bits are the LRU clock of the last access: Unix
//! seconds modulo 2^24, so an idle time is the clock's distance, wrapping after 194 days.
//! Under `allkeys-lfu` and `volatile-lfu` they are a frequency instead: the top 16 bits the
//! minute (modulo 2^16) the counter was last decremented, the low 8 bits a logarithmic access
//! counter. A new key starts at [`LFU_INIT_VAL`] so it is not evicted before it had a chance
//! to be used; each access first takes one off per `lfu-decay-time` minutes elapsed, then adds
//! one with probability `1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1)`, so a counter of
//! 255 takes about a million hits with the default factor of 10.
//!
//! Like Redis, switching between LRU and LFU policies at run time leaves the old bits to be
//! read the new way until keys are used again.

use std::cell::Cell;

/// The largest LRU clock value; the clock wraps to 0 after it.
pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;
/// The counter of a new key under an LFU policy.
pub const LFU_INIT_VAL: u32 = 5;

/// How accesses update [`crate::db::Entry::access`], from `maxmemory-policy` and the
/// `lfu-*` parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccessPolicy {
  /// The LRU clock of the last access.
  #[default]
  Lru,
  /// A decaying logarithmic frequency counter.
  Lfu { log_factor: u32, decay_minutes: u32 },
}

impl AccessPolicy {
  pub fn of(config: &crate::config::Config) -> AccessPolicy {
    if config.maxmemory_policy.is_lfu() {
      let log_factor = u32::try_from(config.lfu_log_factor).unwrap_or(u32::MAX);
      let decay_minutes = u32::try_from(config.lfu_decay_time).unwrap_or(u32::MAX);
      AccessPolicy::Lfu { log_factor, decay_minutes }
    } else {
      AccessPolicy::Lru
    }
  }

  /// The bits of a key created now.
  #[inline]
  pub fn created(self, now_ms: i64) -> u32 {
    match self {
      AccessPolicy::Lru => lru_clock(now_ms),
      AccessPolicy::Lfu { .. } => (lfu_minutes(now_ms) << 8) | LFU_INIT_VAL,
    }
  }

  /// The bits of a key accessed now, `old` being what they were.
  #[inline]
  pub fn touched(self, old: u32, now_ms: i64) -> u32 {
    match self {
      AccessPolicy::Lru => lru_clock(now_ms),
      AccessPolicy::Lfu { log_factor, decay_minutes } => {
        let counter = log_increment(decayed_counter(old, now_ms, decay_minutes), log_factor);
        (lfu_minutes(now_ms) << 8) | counter
      }
    }
  }
}

/// The LRU clock at `now_ms`.
#[inline]
pub fn lru_clock(now_ms: i64) -> u32 {
  ((now_ms / 1000) as u64 & u64::from(LRU_CLOCK_MAX)) as u32
}

/// Milliseconds since the access the LRU clock `access` recorded (at one-second resolution).
pub fn idle_ms(access: u32, now_ms: i64) -> u64 {
  let clock = lru_clock(now_ms);
  let ticks = if clock >= access { clock - access } else { clock + (LRU_CLOCK_MAX - access) };
  u64::from(ticks) * 1000
}

/// The LRU clock of a key idle for `idle_seconds` (RESTORE IDLETIME, a loaded RDB file's
/// IDLE); an idle time reaching back before the clock's zero lands half a cycle away.
pub fn lru_clock_idle_for(idle_seconds: u64, now_ms: i64) -> u32 {
  let clock = i64::from(lru_clock(now_ms));
  let at = clock - i64::try_from(idle_seconds).unwrap_or(i64::MAX);
  if at < 0 {
    ((clock + i64::from(LRU_CLOCK_MAX / 2)) % i64::from(LRU_CLOCK_MAX)) as u32
  } else {
    at as u32
  }
}

/// The LFU bits of a key whose counter is `frequency` now (RESTORE FREQ, a loaded RDB file's
/// FREQ).
pub fn with_frequency(frequency: u8, now_ms: i64) -> u32 {
  (lfu_minutes(now_ms) << 8) | u32::from(frequency)
}

/// Minutes since the epoch modulo 2^16: the LFU decrement time.
#[inline]
fn lfu_minutes(now_ms: i64) -> u32 {
  ((now_ms / 60_000) as u64 & 0xFFFF) as u32
}

/// The counter of the LFU bits `access` with the decay since its last decrement applied (not
/// stored: OBJECT FREQ and eviction read it so).
pub fn decayed_counter(access: u32, now_ms: i64, decay_minutes: u32) -> u32 {
  let (since, counter) = (access >> 8, access & 0xFF);
  if decay_minutes == 0 {
    return counter;
  }
  let now = lfu_minutes(now_ms);
  let elapsed = if now >= since { now - since } else { 0xFFFF - since + now };
  counter.saturating_sub(elapsed / decay_minutes)
}

/// One access's logarithmic increment of an LFU counter.
fn log_increment(counter: u32, log_factor: u32) -> u32 {
  if counter >= 255 {
    return 255;
  }
  let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
  let probability = 1.0 / (base * f64::from(log_factor) + 1.0);
  if uniform() < probability {
    counter + 1
  } else {
    counter
  }
}

thread_local! {
  static STATE: Cell<u64> = const { Cell::new(0x9E37_79B9_7F4A_7C15) };
}

/// A uniform draw in [0, 1) for the counter's increments (xorshift64*: statistical quality is
/// all they need).
fn uniform() -> f64 {
  STATE.with(|state| {
    let mut x = state.get();
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    state.set(x);
    (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn lru_idle_time_wraps_with_the_clock() {
    let now = 1_700_000_000_000;
    assert_eq!(idle_ms(lru_clock(now - 42_000), now), 42_000);
    // The clock wrapped between the access and now.
    let wrap_ms = i64::from(LRU_CLOCK_MAX + 1) * 1000;
    assert_eq!(idle_ms(LRU_CLOCK_MAX - 1, wrap_ms + 3000), 4000);
    assert_eq!(lru_clock_idle_for(10, now), lru_clock(now - 10_000));
  }

  #[test]
  fn lfu_counters_grow_logarithmically_and_decay() {
    let policy = AccessPolicy::Lfu { log_factor: 10, decay_minutes: 1 };
    let now = 1_700_000_000_000;
    let mut access = policy.created(now);
    assert_eq!(access & 0xFF, LFU_INIT_VAL);
    for _ in 0..1000 {
      access = policy.touched(access, now);
    }
    let counter = access & 0xFF;
    // About 1000 hits reach a counter in the low twenties with factor 10 (Redis's table: 100
    // hits → 10-18, 1000 → 18-30).
    assert!((15..=35).contains(&counter), "{counter}");
    assert_eq!(decayed_counter(access, now + 3 * 60_000, 1), counter - 3);
    assert_eq!(decayed_counter(access, now + 3 * 60_000, 0), counter);
    assert_eq!(decayed_counter(access, now + 600 * 60_000, 1), 0);
  }
}
