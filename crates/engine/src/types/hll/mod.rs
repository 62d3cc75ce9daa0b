//! HyperLogLog: a fixed-size sketch that estimates how many distinct elements were added to
//! it, stored as an ordinary string value that GET, SET and APPEND see as bytes. The
//! HyperLogLog commands (`cmd/hyperloglog`) work on those bytes in place, and the bytes are
//! Redis's own: a sketch written by redis-server reads here and the other way round, and every
//! update leaves the very bytes Redis leaves.
//!
//! # The algorithm
//!
//! Every element is hashed to 64 bits (MurmurHash64A, see [`hash`]). The low 14 bits pick one
//! of 16384 registers; the remaining 50 bits, read from the least significant end, give the
//! length of the run of zeros before the first one, plus one (1..=51). A register keeps the
//! longest such run seen. The cardinality is estimated from the histogram of register values
//! with Ertl's improved estimator ([`estimate`]), which needs no bias tables.
//!
//! # The string layout
//!
//! A 16-byte header comes first:
//!
//! ```text
//! +------+---+-----+----------+
//! | HYLL | E | N/U | Cardinal |
//! +------+---+-----+----------+
//!  4 bytes  1   3     8 bytes
//! ```
//!
//! `E` is the encoding, 0 for dense and 1 for sparse; the three bytes after it are unused.
//! `Cardinal` caches the last estimate as a little-endian 64-bit number. Its most significant
//! bit (bit 7 of byte 15) set means the cache is stale: every change to the registers sets that
//! bit and leaves the other 63 as they were, and PFCOUNT writes a fresh estimate (clearing the
//! bit) when it finds it set. Those stale bits are part of the value GET returns.
//!
//! The registers follow, in one of two encodings:
//!
//! **Dense** ([`dense`]): 16384 registers of 6 bits each, packed from the least significant
//! bit of each byte up: register 0 is the low 6 bits of byte 0, register 1 the high 2 bits of
//! byte 0 and the low 4 bits of byte 1, and so on. The value is always exactly
//! 16 + 12288 bytes long.
//!
//! ```text
//!  byte 0   byte 1   byte 2
//! 11000000 22221111 33333322
//! ```
//!
//! **Sparse** ([`sparse`]): a run-length code for sketches whose registers are mostly zero.
//! Opcodes cover consecutive registers from register 0, and must cover exactly 16384:
//!
//! ```text
//! 00xxxxxx            ZERO:  xxxxxx + 1 (1..=64) registers set to 0
//! 01xxxxxx yyyyyyyy   XZERO: the 14-bit xxxxxxyyyyyyyy + 1 (1..=16384) registers set to 0
//! 1vvvvvxx            VAL:   xx + 1 (1..=4) registers set to vvvvv + 1 (1..=32)
//! ```
//!
//! A new sketch is sparse: the header and one XZERO opcode, 18 bytes. It becomes dense for good
//! when a register must hold more than 32, or when an update would make it longer than
//! `hll-sparse-max-bytes`.
//!
//! # Damaged values
//!
//! Anyone can SET or SETRANGE a key holding a sketch, so nothing here trusts the bytes beyond
//! what [`check`] verifies (the magic, a known encoding, the exact dense length). Sparse
//! opcodes that do not cover exactly 16384 registers, or one that runs past the last register
//! (Redis rejects those since the fix for CVE-2025-32023), are reported as [`Corrupt`] when an
//! operation walks over them, where Redis notices them.
//!
//! An XZERO opcode cut short by the end of the string reads its missing byte as zero, as Redis
//! reads its string's terminator there. One difference remains: when Redis splits such an
//! opcode, it writes the last byte of the new sequence past the end of its string, and later
//! updates read that byte instead of zero; redwing keeps no byte past the end, so updates of a
//! sketch damaged this way can differ.

pub mod dense;
pub mod estimate;
pub mod hash;
pub mod sparse;

/// Bytes of the header before the registers.
pub const HEADER_LEN: usize = 16;
/// Bits of the hash that select a register.
pub const INDEX_BITS: u32 = 14;
/// Number of registers.
pub const REGISTERS: usize = 1 << INDEX_BITS;
/// Length of a dense sketch: the header and 16384 registers of 6 bits.
pub const DENSE_LEN: usize = HEADER_LEN + REGISTERS * 6 / 8;

const MAGIC: &[u8; 4] = b"HYLL";
/// Offset of the encoding byte.
const ENCODING_AT: usize = 4;
/// Offset of the cached cardinality.
const CACHE_AT: usize = 8;
/// The stale flag: bit 7 of the cache's last byte.
const STALE_BYTE: usize = CACHE_AT + 7;
const STALE_BIT: u8 = 0x80;

/// How a sketch stores its registers (the header's encoding byte).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
  Dense = 0,
  Sparse = 1,
}

impl Encoding {
  /// The name PFDEBUG ENCODING replies with.
  pub fn name(self) -> &'static str {
    match self {
      Encoding::Dense => "dense",
      Encoding::Sparse => "sparse",
    }
  }
}

/// A sparse sketch whose opcodes do not describe exactly 16384 registers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Corrupt;

/// The encoding of `bytes` if they can be treated as a sketch: at least a header, the magic,
/// a known encoding, and the exact length when dense. The sparse opcodes are not checked here.
pub fn check(bytes: &[u8]) -> Option<Encoding> {
  if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
    return None;
  }
  match bytes[ENCODING_AT] {
    0 if bytes.len() == DENSE_LEN => Some(Encoding::Dense),
    1 => Some(Encoding::Sparse),
    _ => None,
  }
}

/// The encoding of a sketch that passed [`check`].
#[inline]
pub fn encoding(hll: &[u8]) -> Encoding {
  if hll[ENCODING_AT] == 0 {
    Encoding::Dense
  } else {
    Encoding::Sparse
  }
}

/// A new, empty sketch: sparse, all registers zero, a zero (and valid) cached cardinality.
pub fn new_sparse() -> Vec<u8> {
  let mut hll = Vec::with_capacity(HEADER_LEN + 2);
  hll.extend_from_slice(MAGIC);
  hll.push(Encoding::Sparse as u8);
  hll.resize(HEADER_LEN, 0);
  hll.extend_from_slice(sparse::zero_run(REGISTERS).as_slice());
  hll
}

/// The cached cardinality, unless it is stale.
pub fn cached_count(hll: &[u8]) -> Option<u64> {
  if hll[STALE_BYTE] & STALE_BIT != 0 {
    return None;
  }
  let mut cache = [0; 8];
  cache.copy_from_slice(&hll[CACHE_AT..CACHE_AT + 8]);
  Some(u64::from_le_bytes(cache))
}

/// Caches `count` (which clears the stale flag, as no estimate reaches 2^63).
pub fn store_count(hll: &mut [u8], count: u64) {
  hll[CACHE_AT..CACHE_AT + 8].copy_from_slice(&count.to_le_bytes());
}

/// Marks the cached cardinality stale, keeping its other bits.
#[inline]
pub fn invalidate_cache(hll: &mut [u8]) {
  hll[STALE_BYTE] |= STALE_BIT;
}

/// Adds `element`: raises the register it hashes to if its run of zeros is longer. Returns
/// whether a register changed. A sparse sketch may become dense on the way (see [`set`]).
#[inline]
pub fn add(hll: &mut Vec<u8>, element: &[u8], sparse_max_bytes: usize) -> Result<bool, Corrupt> {
  let (index, run) = hash::register_and_run(element);
  set(hll, index, run, sparse_max_bytes)
}

/// Raises register `index` to `value` if it is lower; returns whether it changed. A sparse
/// sketch marks its cache stale when it changes; a dense one leaves that to the caller, as
/// Redis does. A sparse sketch turns dense when `value` exceeds what the sparse encoding holds
/// or when the change would make it longer than `sparse_max_bytes`.
pub fn set(hll: &mut Vec<u8>, index: usize, value: u8, sparse_max_bytes: usize) -> Result<bool, Corrupt> {
  match encoding(hll) {
    Encoding::Dense => Ok(dense::raise(&mut hll[HEADER_LEN..], index, value)),
    Encoding::Sparse => sparse::raise(hll, index, value, sparse_max_bytes),
  }
}

/// Converts a sparse sketch to the dense encoding, keeping the header (and its cache). Returns
/// whether it converted anything; a damaged sparse sketch is left as it was.
pub fn to_dense(hll: &mut Vec<u8>) -> Result<bool, Corrupt> {
  if encoding(hll) == Encoding::Dense {
    return Ok(false);
  }
  let mut dense = vec![0; DENSE_LEN];
  dense[..HEADER_LEN].copy_from_slice(&hll[..HEADER_LEN]);
  dense[ENCODING_AT] = Encoding::Dense as u8;
  sparse::expand(&hll[HEADER_LEN..], |index, value| dense::write(&mut dense[HEADER_LEN..], index, value))?;
  *hll = dense;
  Ok(true)
}

/// Estimates the cardinality of a sketch; [`Corrupt`] for a damaged sparse one.
pub fn count(hll: &[u8]) -> Result<u64, Corrupt> {
  let mut histogram = [0u64; 64];
  let registers = &hll[HEADER_LEN..];
  match encoding(hll) {
    Encoding::Dense => dense::histogram(registers, &mut histogram),
    Encoding::Sparse => sparse::histogram(registers, &mut histogram)?,
  }
  Ok(estimate::cardinality(&histogram))
}

/// Raises each of `max` (one byte per register) to the sketch's register, for PFMERGE and
/// multi-key PFCOUNT. A damaged sparse sketch may have raised some before [`Corrupt`].
pub fn merge_into(max: &mut [u8; REGISTERS], hll: &[u8]) -> Result<(), Corrupt> {
  let registers = &hll[HEADER_LEN..];
  match encoding(hll) {
    Encoding::Dense => {
      dense::merge_into(max, registers);
      Ok(())
    }
    Encoding::Sparse => sparse::expand(registers, |index, value| {
      let register = &mut max[index];
      *register = (*register).max(value);
    }),
  }
}

/// Estimates the cardinality of registers held one per byte (what [`merge_into`] builds).
///
/// Neighbouring registers often hold the same value, and incrementing one counter over and
/// over makes each increment wait for the last; four partial histograms, one per lane of
/// four registers, let the increments overlap.
pub fn count_bytes(registers: &[u8; REGISTERS]) -> u64 {
  let mut lanes = [[0u32; 64]; 4];
  for four in registers.chunks_exact(4) {
    for (lane, &value) in lanes.iter_mut().zip(four) {
      lane[value as usize & 63] += 1;
    }
  }
  let mut histogram = [0u64; 64];
  for (value, total) in histogram.iter_mut().enumerate() {
    *total = lanes.iter().map(|lane| lane[value] as u64).sum();
  }
  estimate::cardinality(&histogram)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn a_new_sketch_is_one_xzero_opcode() {
    let hll = new_sparse();
    assert_eq!(hll, b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff");
    assert_eq!(check(&hll), Some(Encoding::Sparse));
    assert_eq!(cached_count(&hll), Some(0));
    assert_eq!(count(&hll), Ok(0));
  }

  #[test]
  fn check_wants_magic_encoding_and_dense_length() {
    let mut hll = new_sparse();
    hll[0] = b'h';
    assert_eq!(check(&hll), None);
    let mut hll = new_sparse();
    hll[ENCODING_AT] = 2;
    assert_eq!(check(&hll), None);
    let mut hll = new_sparse();
    hll[ENCODING_AT] = 0;
    assert_eq!(check(&hll), None);
    assert_eq!(check(&hll[..HEADER_LEN - 1]), None);
    assert_eq!(check(&hll[..HEADER_LEN]), None);
    hll.resize(DENSE_LEN, 0);
    assert_eq!(check(&hll), Some(Encoding::Dense));
  }

  #[test]
  fn the_cache_keeps_its_bits_when_stale() {
    let mut hll = new_sparse();
    store_count(&mut hll, 0x0102);
    assert_eq!(cached_count(&hll), Some(0x0102));
    invalidate_cache(&mut hll);
    assert_eq!(cached_count(&hll), None);
    assert_eq!(&hll[CACHE_AT..], b"\x02\x01\0\0\0\0\0\x80\x7f\xff");
  }

  #[test]
  fn dense_and_sparse_agree() {
    let mut sparse = new_sparse();
    let mut dense = new_sparse();
    to_dense(&mut dense).unwrap();
    for n in 0..2000u32 {
      let element = n.to_le_bytes();
      assert_eq!(add(&mut sparse, &element, 1 << 20), add(&mut dense, &element, 1 << 20));
    }
    assert_eq!(encoding(&sparse), Encoding::Sparse);
    assert_eq!(count(&sparse), count(&dense));
    let mut converted = sparse.clone();
    assert_eq!(to_dense(&mut converted), Ok(true));
    // A sparse update marks the cache stale, a dense one leaves that to the caller.
    assert!(converted[HEADER_LEN..] == dense[HEADER_LEN..]);
    assert_eq!(cached_count(&converted), None);
    assert_eq!(cached_count(&dense), Some(0));
  }

  #[test]
  fn merging_keeps_the_largest_registers() {
    let (mut a, mut b) = (new_sparse(), new_sparse());
    let mut both = new_sparse();
    for n in 0..300u32 {
      let element = n.to_le_bytes();
      add(if n % 2 == 0 { &mut a } else { &mut b }, &element, 3000).unwrap();
      add(&mut both, &element, 3000).unwrap();
    }
    let mut max = [0; REGISTERS];
    merge_into(&mut max, &a).unwrap();
    to_dense(&mut b).unwrap();
    merge_into(&mut max, &b).unwrap();
    assert_eq!(count_bytes(&max), count(&both).unwrap());
  }
}
