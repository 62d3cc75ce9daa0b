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
}
