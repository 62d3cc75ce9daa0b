//! The dense encoding: 16384 registers of 6 bits, packed little-endian (register `i` starts at
//! bit `6 * i` of the register bytes, counting from the least significant bit of byte 0).
//!
//! Four registers fill three bytes exactly, so a register starts at bit 0, 6, 4 or 2 of its
//! first byte; only those starting at bit 4 or 6 spill into the next byte.

use super::REGISTERS;

const MASK: u8 = 63;

/// The first byte of register `index`, and the bit it starts at.
#[inline]
fn position(index: usize) -> (usize, u32) {
  let bit = index * 6;
  (bit / 8, (bit % 8) as u32)
}

/// The value of register `index`.
#[inline]
pub fn read(registers: &[u8], index: usize) -> u8 {
  let (byte, shift) = position(index);
  let low = registers[byte] >> shift;
  if shift > 2 {
    (low | registers[byte + 1] << (8 - shift)) & MASK
  } else {
    low & MASK
  }
}

/// Sets register `index` to `value` (at most 63).
#[inline]
pub fn write(registers: &mut [u8], index: usize, value: u8) {
  let (byte, shift) = position(index);
  registers[byte] = (registers[byte] & !(MASK << shift)) | value << shift;
  if shift > 2 {
    let spill = 8 - shift;
    registers[byte + 1] = (registers[byte + 1] & !(MASK >> spill)) | value >> spill;
  }
}

/// Raises register `index` to `value` if it is lower; returns whether it changed.
#[inline]
pub fn raise(registers: &mut [u8], index: usize, value: u8) -> bool {
  if value > read(registers, index) {
    write(registers, index, value);
    true
  } else {
    false
  }
}

/// The values of the registers, in order.
pub fn values(registers: &[u8]) -> impl Iterator<Item = u8> + '_ {
  registers.chunks_exact(3).flat_map(|three| {
    let word = three[0] as u32 | (three[1] as u32) << 8 | (three[2] as u32) << 16;
    [0, 6, 12, 18].map(|shift| (word >> shift) as u8 & MASK)
  })
}

/// Counts the registers holding each value into `histogram`, four registers (three bytes) at
/// a time into four partial histograms, so that runs of equal registers do not make each
/// increment wait for the one before.
pub fn histogram(registers: &[u8], histogram: &mut [u64; 64]) {
  let mut lanes = [[0u32; 64]; 4];
  for three in registers.chunks_exact(3) {
    let word = three[0] as u32 | (three[1] as u32) << 8 | (three[2] as u32) << 16;
    lanes[0][(word & MASK as u32) as usize] += 1;
    lanes[1][(word >> 6 & MASK as u32) as usize] += 1;
    lanes[2][(word >> 12 & MASK as u32) as usize] += 1;
    lanes[3][(word >> 18 & MASK as u32) as usize] += 1;
  }
  for (value, total) in histogram.iter_mut().enumerate() {
    *total += lanes.iter().map(|lane| lane[value] as u64).sum::<u64>();
  }
}

/// Raises each of `max` to the matching register: four registers (three bytes) at a time.
pub fn merge_into(max: &mut [u8; REGISTERS], registers: &[u8]) {
  for (four, three) in max.chunks_exact_mut(4).zip(registers.chunks_exact(3)) {
    let word = three[0] as u32 | (three[1] as u32) << 8 | (three[2] as u32) << 16;
    four[0] = four[0].max(word as u8 & MASK);
    four[1] = four[1].max((word >> 6) as u8 & MASK);
    four[2] = four[2].max((word >> 12) as u8 & MASK);
    four[3] = four[3].max((word >> 18) as u8 & MASK);
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::types::hll::{DENSE_LEN, HEADER_LEN};

  #[test]
  fn registers_do_not_disturb_their_neighbours() {
    let mut registers = vec![0; DENSE_LEN - HEADER_LEN];
    for index in 0..REGISTERS {
      write(&mut registers, index, (index % 64) as u8);
    }
    for index in 0..REGISTERS {
      assert_eq!(read(&registers, index), (index % 64) as u8, "register {index}");
    }
    assert!(values(&registers).enumerate().all(|(index, value)| value == (index % 64) as u8));
    assert_eq!(values(&registers).count(), REGISTERS);
    // Register 1 is the high two bits of byte 0 and the low four of byte 1.
    let mut registers = vec![0; 3];
    write(&mut registers, 1, 0b110110);
    assert_eq!(registers, [0b1000_0000, 0b0000_1101, 0]);
    assert!(raise(&mut registers, 3, 63));
    assert!(!raise(&mut registers, 3, 5));
    assert_eq!(registers, [0b1000_0000, 0b0000_1101, 0b1111_1100]);
  }
}
