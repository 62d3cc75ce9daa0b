//! Per-command latency histograms with the bucket layout of the HdrHistogram Redis uses
//! (values from 1 ns to 1 s, two significant digits), so INFO latencystats and LATENCY
//! HISTOGRAM report the same numbers Redis would for the same durations.
//!
//! Values are nanoseconds. HdrHistogram splits them into buckets of 256 sub-buckets: bucket `b`
//! covers values whose highest bit is `b + 7` (bucket 0 covers 0..256), with a resolution of
//! `2^b`. A value is reported as the highest value of its sub-bucket (8 µs → 8.031 µs).

/// Durations are clamped to this range, as in Redis.
pub const MIN_VALUE: u64 = 1;
pub const MAX_VALUE: u64 = 1_000_000_000;

/// Sub-buckets per bucket, halved (the lower half of every bucket but the first overlaps the
/// previous bucket and is not stored).
const HALF_SUB_BUCKETS: usize = 128;
/// Buckets needed to reach `MAX_VALUE` with 256 sub-buckets.
const BUCKETS: usize = 23;
const COUNTS_LEN: usize = (BUCKETS + 1) * HALF_SUB_BUCKETS;

pub struct Histogram {
  counts: Box<[u64]>,
  total: u64,
}

impl Default for Histogram {
  fn default() -> Self {
    Histogram { counts: vec![0; COUNTS_LEN].into_boxed_slice(), total: 0 }
  }
}

/// The bucket of `value`: how far its highest bit is above the 256-value first bucket.
fn bucket_of(value: u64) -> u32 {
  (64 - (value | 255).leading_zeros()) - 8
}

/// The index in `counts` of the sub-bucket holding `value`.
fn index_of(value: u64) -> usize {
  let bucket = bucket_of(value);
  let sub_bucket = (value >> bucket) as usize;
  ((bucket as usize + 1) * HALF_SUB_BUCKETS + sub_bucket - HALF_SUB_BUCKETS).min(COUNTS_LEN - 1)
}

/// The lowest value of the sub-bucket at `index`.
fn value_at(index: usize) -> u64 {
  let bucket = (index / HALF_SUB_BUCKETS).saturating_sub(1);
  let sub_bucket = if index < HALF_SUB_BUCKETS { index } else { index % HALF_SUB_BUCKETS + HALF_SUB_BUCKETS };
  (sub_bucket as u64) << bucket
}

/// The highest value counted in the same sub-bucket as `value`.
fn highest_equivalent(value: u64) -> u64 {
  let bucket = bucket_of(value);
  ((value >> bucket) << bucket) + (1 << bucket) - 1
}

impl Histogram {
  /// Counts one duration, in nanoseconds (clamped to 1 ns..1 s).
  pub fn record(&mut self, nanos: u64) {
    self.counts[index_of(nanos.clamp(MIN_VALUE, MAX_VALUE))] += 1;
    self.total += 1;
  }

  pub fn total(&self) -> u64 {
    self.total
  }

  /// The value at or below which `percentile` percent of the durations fall (HdrHistogram's
  /// `hdr_value_at_percentile`), in nanoseconds.
  pub fn value_at_percentile(&self, percentile: f64) -> u64 {
    let wanted = ((percentile.min(100.0) / 100.0 * self.total as f64) + 0.5) as u64;
    let wanted = wanted.max(1);
    let mut seen = 0;
    for (index, count) in self.counts.iter().enumerate() {
      seen += count;
      if seen >= wanted {
        return highest_equivalent(value_at(index));
      }
    }
    0
  }

  /// The cumulative distribution LATENCY HISTOGRAM reports: for each power of two from 1024 ns
  /// up to the largest duration, (microseconds, durations at or below), listing only the steps
  /// where the count grows (HdrHistogram's logarithmic iterator, as Redis walks it).
  pub fn cumulative_by_power_of_two(&self) -> Vec<(u64, u64)> {
    let mut steps = Vec::new();
    let (mut cumulative, mut reported, mut next_index) = (0, 0, 0);
    let mut level: u64 = 1024;
    while cumulative < self.total {
      let last = index_of(level);
      while next_index <= last {
        cumulative += self.counts[next_index];
        next_index += 1;
      }
      if cumulative > reported {
        steps.push((highest_equivalent(value_at(last)) / 1000, cumulative));
        reported = cumulative;
      }
      level = level.saturating_mul(2);
    }
    steps
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn layout_matches_hdr_histogram() {
    assert_eq!(highest_equivalent(8_000), 8_031);
    assert_eq!(highest_equivalent(27_000), 27_007);
    assert_eq!(highest_equivalent(1), 1);
    assert_eq!(highest_equivalent(1024), 1031);
    assert_eq!(highest_equivalent(32_768), 33_023);
    for value in [1, 255, 256, 1000, 1024, 27_000, 999_999_999, MAX_VALUE] {
      assert_eq!(value_at(index_of(value)), (value >> bucket_of(value)) << bucket_of(value), "{value}");
    }
  }

  #[test]
  fn percentiles_and_distribution() {
    let mut h = Histogram::default();
    h.record(27_000);
    assert_eq!(h.value_at_percentile(50.0), 27_007);
    let mut h = Histogram::default();
    for micros in [4, 4, 4, 4, 8, 8, 8, 16, 16, 16, 16, 16, 16, 60, 60] {
      h.record(micros * 1000);
    }
    assert_eq!(h.cumulative_by_power_of_two(), vec![(4, 4), (8, 7), (16, 13), (66, 15)]);
    assert_eq!(h.value_at_percentile(50.0), 16_063);
  }
}
