//! A small, fast, seedable pseudo-random generator (wyrand) for sampling: RANDOMKEY, active
//! expiry, and later SPOP/SRANDMEMBER. Not for anything security-sensitive.

pub struct Rng(u64);

impl Rng {
  pub fn new(seed: u64) -> Self {
    Rng(seed)
  }

  /// Seeds from the clock and the process id.
  pub fn from_entropy() -> Self {
    let nanos =
      std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    Rng(nanos ^ ((std::process::id() as u64) << 32))
  }

  pub fn next_u64(&mut self) -> u64 {
    self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
    let t = (self.0 as u128).wrapping_mul((self.0 ^ 0xe703_7ed1_a0b4_28db) as u128);
    ((t >> 64) ^ t) as u64
  }

  /// A uniform number in `0..n` (`n` > 0).
  pub fn below(&mut self, n: u64) -> u64 {
    ((self.next_u64() as u128 * n as u128) >> 64) as u64
  }

  /// `count` distinct positions out of `0..size` (`count < size`), chosen uniformly, the way
  /// Redis's SRANDMEMBER and HRANDFIELD choose: when `count` is a large share of `size`
  /// (`count * 3 > size`), start from every position and drop random ones; otherwise draw
  /// positions until `count` distinct ones came up. O(size) or expected O(count).
  pub fn distinct_positions(&mut self, size: u64, count: u64) -> Vec<usize> {
    if count * 3 > size {
      let mut positions: Vec<usize> = (0..size as usize).collect();
      while positions.len() as u64 > count {
        let pos = self.below(positions.len() as u64) as usize;
        positions.swap_remove(pos);
      }
      positions
    } else {
      let mut seen = std::collections::HashSet::with_capacity(count as usize);
      let mut chosen = Vec::with_capacity(count as usize);
      while (chosen.len() as u64) < count {
        let pos = self.below(size) as usize;
        if seen.insert(pos) {
          chosen.push(pos);
        }
      }
      chosen
    }
  }
}
