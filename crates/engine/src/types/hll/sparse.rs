//! The sparse encoding: runs of registers as ZERO, XZERO and VAL opcodes (see the module
//! comment of `hll` for their bits), and the in-place update PFADD relies on.
//!
//! An update must produce the very bytes Redis produces, since the value is visible to GET
//! and replicated as PFADD rather than as bytes. Redis does not re-encode the whole sequence:
//! it splits the one opcode covering the register into at most three (the run before it, the
//! register itself as a VAL, the run after it), then merges VAL opcodes of equal value that
//! have become neighbours, looking at no more than five opcodes from the one before the
//! change. The resulting sequence depends on the order of the updates, and [`raise`] follows
//! the same steps.
//!
//! The functions here take the opcodes (the bytes after the header), except [`raise`], which
//! may convert the whole string to the dense encoding.

use super::{dense, invalidate_cache, to_dense, Corrupt, HEADER_LEN, REGISTERS};

/// The longest run of a ZERO opcode.
const ZERO_MAX_RUN: usize = 64;
/// The largest register value a VAL opcode holds.
const VAL_MAX_VALUE: u8 = 32;
/// The longest run of a VAL opcode.
const VAL_MAX_RUN: usize = 4;
/// How many opcodes the merge after an update looks at.
const MERGE_WINDOW: usize = 5;

/// One decoded opcode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
  /// `run` zero registers, in one byte.
  Zero(usize),
  /// `run` zero registers, in two bytes.
  XZero(usize),
  /// `run` registers holding `value`.
  Val { value: u8, run: usize },
}

impl Op {
  /// Decodes the opcode at `at`. The second byte of an XZERO cut off by the end of the string
  /// reads as zero (Redis reads the string's terminator there).
  #[inline]
  fn at(ops: &[u8], at: usize) -> Op {
    let byte = ops[at];
    if byte & 0x80 != 0 {
      Op::Val { value: (byte >> 2 & 0x1f) + 1, run: (byte & 0x03) as usize + 1 }
    } else if byte & 0x40 == 0 {
      Op::Zero((byte & 0x3f) as usize + 1)
    } else {
      let low = ops.get(at + 1).copied().unwrap_or(0);
      Op::XZero(((byte as usize & 0x3f) << 8 | low as usize) + 1)
    }
  }

  /// How many registers it covers.
  #[inline]
  fn run(self) -> usize {
    match self {
      Op::Zero(run) | Op::XZero(run) | Op::Val { run, .. } => run,
    }
  }

  /// How many bytes it takes.
  #[inline]
  fn width(self) -> usize {
    if let Op::XZero(_) = self {
      2
    } else {
      1
    }
  }
}

/// The byte of a VAL opcode (`value` 1..=32, `run` 1..=4).
#[inline]
fn val(value: u8, run: usize) -> u8 {
  0x80 | (value - 1) << 2 | (run - 1) as u8
}

/// Up to five opcode bytes: what replaces the opcode an update splits.
#[derive(Default)]
struct Sequence {
  bytes: [u8; 5],
  len: usize,
}

impl Sequence {
  fn push(&mut self, bytes: &[u8]) {
    self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
    self.len += bytes.len();
  }

  fn as_slice(&self) -> &[u8] {
    &self.bytes[..self.len]
  }
}

/// The shortest opcode for a run of zero registers.
pub struct ZeroRun {
  bytes: [u8; 2],
  len: usize,
}

impl ZeroRun {
  pub fn as_slice(&self) -> &[u8] {
    &self.bytes[..self.len]
  }
}

/// The shortest opcode for `run` (1..=16384) zero registers: ZERO up to 64, XZERO beyond.
pub fn zero_run(run: usize) -> ZeroRun {
  let coded = run - 1;
  if run > ZERO_MAX_RUN {
    ZeroRun { bytes: [0x40 | (coded >> 8) as u8, coded as u8], len: 2 }
  } else {
    ZeroRun { bytes: [coded as u8, 0], len: 1 }
  }
}

/// Raises register `index` of the sparse sketch `hll` (the whole string) to `value` if it is
/// lower, in place; returns whether it changed, marking the cache stale if so. Converts the
/// sketch to dense first when `value` is above 32 or the update would grow the string past
/// `max_bytes`. [`Corrupt`] when no opcode covers `index`, or when a needed conversion finds
/// the sketch damaged.
pub fn raise(hll: &mut Vec<u8>, index: usize, value: u8, max_bytes: usize) -> Result<bool, Corrupt> {
  if value > VAL_MAX_VALUE {
    return raise_dense(hll, index, value);
  }
  let end = hll.len();
  // Find the opcode covering `index`, the register it starts at, and the opcode before it.
  let (mut at, mut first, mut before) = (HEADER_LEN, 0, None);
  let op = loop {
    if at >= end {
      return Err(Corrupt);
    }
    let op = Op::at(hll, at);
    if index < first + op.run() {
      break op;
    }
    before = Some(at);
    at += op.width();
    first += op.run();
  };

  match op {
    Op::Val { value: current, .. } if current >= value => return Ok(false),
    Op::Val { run: 1, .. } | Op::Zero(1) => hll[at] = val(value, 1),
    _ => {
      // The runs before and after the register keep the opcode's kind (zeros or its value).
      let last = first + op.run() - 1;
      let mut seq = Sequence::default();
      let side = |seq: &mut Sequence, run: usize| match op {
        Op::Val { value: current, .. } => seq.push(&[val(current, run)]),
        _ => seq.push(zero_run(run).as_slice()),
      };
      if index > first {
        side(&mut seq, index - first);
      }
      seq.push(&[val(value, 1)]);
      if index < last {
        side(&mut seq, last - index);
      }
      let seq = seq.as_slice();
      if seq.len() > op.width() && end + seq.len() - op.width() > max_bytes {
        return raise_dense(hll, index, value);
      }
      if at + op.width() <= end {
        hll.splice(at..at + op.width(), seq.iter().copied());
      } else {
        // An XZERO cut short at the end of the string: Redis writes the new sequence over
        // both of its bytes but grows the string by the difference in width only, so the
        // sequence loses its last byte (Redis keeps it just past the end of its string, where
        // a later update of this opcode reads it; see the module comment of `hll`).
        hll.truncate(at);
        hll.extend_from_slice(&seq[..seq.len() - 1]);
      }
    }
  }
  merge_neighbours(hll, before.unwrap_or(HEADER_LEN));
  invalidate_cache(hll);
  Ok(true)
}

/// Converts the sketch to dense and raises the register there: the register is lower than
/// `value` (the sparse sketch would have kept it otherwise), so this always changes it.
fn raise_dense(hll: &mut Vec<u8>, index: usize, value: u8) -> Result<bool, Corrupt> {
  to_dense(hll)?;
  Ok(dense::raise(&mut hll[HEADER_LEN..], index, value))
}

/// Merges neighbouring VAL opcodes of equal value whose runs fit in one, looking at up to
/// [`MERGE_WINDOW`] opcodes from `from` on. A merge counts as a step and is retried at the same
/// place, so a third equal VAL can join the merged one.
fn merge_neighbours(hll: &mut Vec<u8>, from: usize) {
  let mut at = from;
  for _ in 0..MERGE_WINDOW {
    if at >= hll.len() {
      return;
    }
    let op = Op::at(hll, at);
    let Op::Val { value, run } = op else {
      at += op.width();
      continue;
    };
    if at + 1 < hll.len() {
      if let Op::Val { value: next_value, run: next_run } = Op::at(hll, at + 1) {
        if next_value == value && run + next_run <= VAL_MAX_RUN {
          hll[at + 1] = val(value, run + next_run);
          hll.remove(at);
          continue;
        }
      }
    }
    at += 1;
  }
}

/// Calls `visit(first, op)` for every opcode, with the first register it covers, in order.
/// [`Corrupt`] unless the opcodes cover exactly 16384 registers; the walk stops before an
/// opcode that would run past the last register.
fn walk(ops: &[u8], mut visit: impl FnMut(usize, Op)) -> Result<(), Corrupt> {
  let mut index = 0;
  let mut at = 0;
  while at < ops.len() {
    let op = Op::at(ops, at);
    if index + op.run() > REGISTERS {
      return Err(Corrupt);
    }
    visit(index, op);
    index += op.run();
    at += op.width();
  }
  if index == REGISTERS {
    Ok(())
  } else {
    Err(Corrupt)
  }
}

/// Calls `visit(index, value)` for every register a VAL opcode sets, in order, stopping at
/// damage (see [`walk`]).
pub fn expand(ops: &[u8], mut visit: impl FnMut(usize, u8)) -> Result<(), Corrupt> {
  walk(ops, |first, op| {
    if let Op::Val { value, run } = op {
      for index in first..first + run {
        visit(index, value);
      }
    }
  })
}

/// Counts the registers holding each value into `histogram`. [`Corrupt`] for damaged opcodes
/// (see [`walk`]), having counted some.
pub fn histogram(ops: &[u8], histogram: &mut [u64; 64]) -> Result<(), Corrupt> {
  walk(ops, |_, op| {
    let value = match op {
      Op::Val { value, .. } => value as usize,
      Op::Zero(_) | Op::XZero(_) => 0,
    };
    histogram[value] += op.run() as u64;
  })
}

/// The opcodes as PFDEBUG DECODE shows them: `z:<run>` for ZERO, `Z:<run>` for XZERO and
/// `v:<value>,<run>` for VAL, separated by spaces.
pub fn describe(ops: &[u8]) -> String {
  let mut text = String::new();
  let mut at = 0;
  while at < ops.len() {
    if at > 0 {
      text.push(' ');
    }
    let op = Op::at(ops, at);
    let item = match op {
      Op::Zero(run) => format!("z:{run}"),
      Op::XZero(run) => format!("Z:{run}"),
      Op::Val { value, run } => format!("v:{value},{run}"),
    };
    text.push_str(&item);
    at += op.width();
  }
  text
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::types::hll::new_sparse;

  fn ops(hll: &[u8]) -> String {
    describe(&hll[HEADER_LEN..])
  }

  #[test]
  fn an_update_splits_the_covering_opcode() {
    let mut hll = new_sparse();
    assert_eq!(raise(&mut hll, 100, 3, 3000), Ok(true));
    assert_eq!(ops(&hll), "Z:100 v:3,1 Z:16283");
    assert_eq!(raise(&mut hll, 100, 2, 3000), Ok(false));
    assert_eq!(raise(&mut hll, 0, 1, 3000), Ok(true));
    assert_eq!(ops(&hll), "v:1,1 Z:99 v:3,1 Z:16283");
    assert_eq!(raise(&mut hll, 102, 1, 3000), Ok(true));
    assert_eq!(ops(&hll), "v:1,1 Z:99 v:3,1 z:1 v:1,1 Z:16281");
    // A ZERO of one register becomes a VAL, which then merges with the VAL after it.
    assert_eq!(raise(&mut hll, 101, 1, 3000), Ok(true));
    assert_eq!(ops(&hll), "v:1,1 Z:99 v:3,1 v:1,2 Z:16281");
    assert_eq!(raise(&mut hll, 103, 1, 3000), Ok(true));
    assert_eq!(ops(&hll), "v:1,1 Z:99 v:3,1 v:1,3 Z:16280");
    // A value above 32 needs the dense encoding.
    assert_eq!(raise(&mut hll, 5, 33, 3000), Ok(true));
    assert_eq!(super::super::encoding(&hll), super::super::Encoding::Dense);
  }

  #[test]
  fn growing_past_the_limit_converts_to_dense() {
    let mut hll = new_sparse();
    assert_eq!(raise(&mut hll, 100, 3, 20), Ok(true));
    assert_eq!(hll.len(), crate::types::hll::DENSE_LEN);
    assert_eq!(super::super::encoding(&hll), super::super::Encoding::Dense);
    assert_eq!(dense::read(&hll[HEADER_LEN..], 100), 3);
  }

  #[test]
  fn damage_is_found() {
    // Too many registers (even by a VAL after a complete sequence), or too few.
    assert_eq!(expand(&[0x7f, 0xff, 0x00], |_, _| {}), Err(Corrupt));
    assert_eq!(expand(&[0x7f, 0xff, 0x80], |_, _| {}), Err(Corrupt));
    assert_eq!(expand(&[0x7f, 0xfe], |_, _| {}), Err(Corrupt));
    let mut seen = Vec::new();
    assert_eq!(expand(&[0x7f, 0xfd, 0x85], |index, value| seen.push((index, value))), Ok(()));
    assert_eq!(seen, [(16382, 2), (16383, 2)]);
    // An XZERO cut short reads its missing byte as zero.
    assert_eq!(histogram(&[0x7f], &mut [0; 64]), Err(Corrupt));
    let mut counts = [0; 64];
    assert_eq!(histogram(&[0x40, 0xfe, 0x7f], &mut counts), Ok(()));
    assert_eq!(counts[0], 255 + 16129);
    let mut hll = new_sparse();
    hll.truncate(HEADER_LEN);
    assert_eq!(raise(&mut hll, 0, 1, 3000), Err(Corrupt));
  }
}
