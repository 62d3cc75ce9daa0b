//! Intsets as RDB data stores them: the blob of a set whose members are all integers.
//!
//! An intset is its member width in bytes (u32 little-endian: 2, 4 or 8), its member count
//! (u32 little-endian), then the members, strictly ascending, each little-endian in that width.
//! [`write`] produces the bytes of a set in the `intset` encoding; [`read`] checks a blob as
//! Redis's deep integrity validation does and returns the width and the members.

use super::encoding::RdbError;

/// The intset of `members` (ascending) stored `width` bytes each.
pub fn write(width: usize, members: impl ExactSizeIterator<Item = i64>) -> Vec<u8> {
  let mut out = Vec::with_capacity(8 + width * members.len());
  out.extend_from_slice(&(width as u32).to_le_bytes());
  out.extend_from_slice(&(members.len() as u32).to_le_bytes());
  for n in members {
    out.extend_from_slice(&n.to_le_bytes()[..width]);
  }
  out
}

/// The width and members of a valid, non-empty intset.
pub fn read(blob: &[u8]) -> Result<(usize, Vec<i64>), RdbError> {
  let corrupt = || RdbError::Corrupt("intset");
  let word = |at: usize| blob.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
  let (width, count) = (word(0).ok_or_else(corrupt)?, word(4).ok_or_else(corrupt)?);
  if !matches!(width, 2 | 4 | 8) || count == 0 || blob.len() - 8 != count * width {
    return Err(corrupt());
  }
  let members: Vec<i64> = blob[8..]
    .chunks_exact(width)
    .map(|c| {
      let mut bytes = [if c[width - 1] & 0x80 != 0 { 0xFF } else { 0 }; 8];
      bytes[..width].copy_from_slice(c);
      i64::from_le_bytes(bytes)
    })
    .collect();
  if members.windows(2).any(|w| w[0] >= w[1]) {
    return Err(corrupt());
  }
  Ok((width, members))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn round_trip_and_validation() {
    let blob = write(4, [-70000i64, 1, 3].into_iter());
    assert_eq!(read(&blob).unwrap(), (4, vec![-70000, 1, 3]));
    assert!(read(&write(2, [3i64, 1].into_iter())).is_err());
    assert!(read(&write(2, std::iter::empty())).is_err());
    assert!(read(&blob[..blob.len() - 1]).is_err());
  }
}
