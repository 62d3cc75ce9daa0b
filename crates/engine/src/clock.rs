//! `WallClock`: the wall-clock time every command reads twice (when it starts, for expiry, and
//! when it ends, for its duration), at a fraction of a system call's price.
//!
//! Reading the system clock (`clock_gettime`, even through the vDSO) costs tens of
//! nanoseconds under a hypervisor, which is a large share of a short command. The processor's
//! time-stamp counter costs a few: where it ticks at a constant rate (an invariant TSC, which
//! CPUID reports), the time is the last system clock reading (the anchor) plus the counter's
//! ticks since, converted by a rate measured against the system clock. The clock reads the
//! system clock again every `READS_PER_ANCHOR` readings, so it follows any step of the system
//! clock within a few hundred microseconds of commands (and at least every
//! `MAX_EXTRAPOLATION_US`), and re-measures the rate over windows of at least `RATE_WINDOW_US`.
//! Until a rate is known, and on processors without an invariant TSC, every reading is a
//! system clock reading.

use crate::server::now_us;

/// System clock readings between two anchors: a few hundred microseconds of short commands.
const READS_PER_ANCHOR: u32 = 1024;
/// The shortest window over which the counter's rate is measured.
const RATE_WINDOW_US: i64 = 20_000;
/// A reading this far past the anchor is not trusted (slow commands, the process slept, or it
/// moved to a core whose counter differs): the system clock is read instead. It bounds the
/// error a slightly wrong rate makes.
const MAX_EXTRAPOLATION_US: i64 = 10_000;
/// Counter ticks (a few microseconds' worth) beyond which the system clock reading between
/// two counter readings is not paired with them for measuring the rate: the thread was
/// interrupted in between.
const MAX_PAIR_TICKS: u64 = 20_000;

#[derive(Default)]
pub struct WallClock {
  /// The last system clock reading (µs) and the counter when it was taken.
  anchor_us: i64,
  anchor_tsc: u64,
  /// Where the current rate window started.
  window_us: i64,
  window_tsc: u64,
  /// Microseconds per counter tick, in 32.32 fixed point; 0 while unknown (or no usable TSC).
  rate: u64,
  /// Readings left before the next anchor.
  reads_left: u32,
  /// None until CPUID was asked whether the counter is invariant.
  usable: Option<bool>,
}

impl WallClock {
  /// The current Unix time in microseconds.
  #[inline]
  pub fn now_us(&mut self) -> i64 {
    if self.rate != 0 && self.reads_left > 0 {
      self.reads_left -= 1;
      let ticks = tsc().wrapping_sub(self.anchor_tsc);
      let elapsed = ((ticks as u128 * self.rate as u128) >> 32) as i64;
      if (0..MAX_EXTRAPOLATION_US).contains(&elapsed) {
        return self.anchor_us + elapsed;
      }
    }
    self.anchor()
  }

  /// Reads the system clock, makes it the anchor, and measures the counter's rate once its
  /// window is long enough.
  #[cold]
  fn anchor(&mut self) -> i64 {
    let usable = *self.usable.get_or_insert_with(invariant_tsc);
    if !usable {
      return now_us();
    }
    let before = tsc();
    let us = now_us();
    let after = tsc();
    let counter = before.wrapping_add(after.wrapping_sub(before) / 2);
    self.anchor_us = us;
    self.anchor_tsc = counter;
    self.reads_left = READS_PER_ANCHOR;
    if after.wrapping_sub(before) > MAX_PAIR_TICKS {
      return us;
    }
    let window = us - self.window_us;
    let ticks = counter.wrapping_sub(self.window_tsc);
    if self.window_us == 0 || !(0..60_000_000).contains(&window) || ticks == 0 {
      // The first reading, or the system clock stepped: a new window starts.
      self.window_us = us;
      self.window_tsc = counter;
    } else if window >= RATE_WINDOW_US {
      self.rate = ((window as u128) << 32).checked_div(ticks as u128).unwrap_or(0) as u64;
      self.window_us = us;
      self.window_tsc = counter;
    }
    us
  }
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn tsc() -> u64 {
  // SAFETY: RDTSC is part of every x86-64 processor and only reads the counter.
  unsafe { std::arch::x86_64::_rdtsc() }
}

/// Whether the counter ticks at a constant rate whatever the processor's power state
/// (CPUID leaf 0x80000007, EDX bit 8).
#[cfg(target_arch = "x86_64")]
fn invariant_tsc() -> bool {
  use std::arch::x86_64::__cpuid;
  // Leaf 0x80000000 reports the highest extended leaf: 0x80000007 is asked only if it exists.
  __cpuid(0x8000_0000).eax >= 0x8000_0007 && __cpuid(0x8000_0007).edx & (1 << 8) != 0
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn tsc() -> u64 {
  0
}

#[cfg(not(target_arch = "x86_64"))]
fn invariant_tsc() -> bool {
  false
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn follows_the_system_clock() {
    let mut clock = WallClock::default();
    let start = std::time::Instant::now();
    while start.elapsed().as_millis() < 100 {
      // Between two system clock readings, give or take the error a measured rate allows
      // over `MAX_EXTRAPOLATION_US`.
      let before = now_us();
      let ours = clock.now_us();
      let after = now_us();
      assert!((before - 100..=after + 100).contains(&ours), "{ours} is not within {before}..={after}");
    }
  }
}
