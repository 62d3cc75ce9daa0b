//! The cardinality estimate from a histogram of register values: Otmar Ertl's estimator from
//! "New cardinality estimation algorithms for HyperLogLog sketches" (arXiv:1702.01284), which
//! corrects both the small and the large range without empirical bias tables.
//!
//! The arithmetic is done in the same order and precision as Redis's, so both give the same
//! integer for the same registers.

use super::{INDEX_BITS, REGISTERS};

/// Bits of the hash above the index bits: the longest possible run is this plus one.
const RUN_BITS: usize = 64 - INDEX_BITS as usize;

/// The estimator's bias constant for an unbounded number of registers: 1 / (2 ln 2).
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The estimated cardinality of registers whose values are counted in `histogram`
/// (`histogram[v]` registers hold `v`; values above 51 do not take part).
pub fn cardinality(histogram: &[u64; 64]) -> u64 {
  let m = REGISTERS as f64;
  let mut z = m * tau((m - histogram[RUN_BITS + 1] as f64) / m);
  for count in histogram[1..=RUN_BITS].iter().rev() {
    z += *count as f64;
    z *= 0.5;
  }
  z += m * sigma(histogram[0] as f64 / m);
  // Rounds half away from zero; with every register zero, z is infinite and this is 0.
  (ALPHA_INF * m * m / z).round() as u64
}

/// The paper's sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1), summed until it stops
/// changing; infinite at 1.
fn sigma(mut x: f64) -> f64 {
  if x == 1.0 {
    return f64::INFINITY;
  }
  let mut weight = 1.0;
  let mut sum = x;
  loop {
    x *= x;
    let before = sum;
    sum += x * weight;
    weight += weight;
    if sum == before {
      return sum;
    }
  }
}

/// The paper's tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3, summed until
/// it stops changing; 0 at 0 and 1.
fn tau(mut x: f64) -> f64 {
  if x == 0.0 || x == 1.0 {
    return 0.0;
  }
  let mut weight = 1.0;
  let mut sum = 1.0 - x;
  loop {
    x = x.sqrt();
    let before = sum;
    weight *= 0.5;
    sum -= (1.0 - x) * (1.0 - x) * weight;
    if sum == before {
      return sum / 3.0;
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn empty_and_tiny_sketches() {
    let mut histogram = [0; 64];
    histogram[0] = REGISTERS as u64;
    assert_eq!(cardinality(&histogram), 0);
    histogram[0] -= 3;
    histogram[1] = 2;
    histogram[2] = 1;
    assert_eq!(cardinality(&histogram), 3);
  }
}
