//! Listpacks as Redis 7.0 stores them in RDB data: the blob inside list nodes, small hashes,
//! small sorted sets and stream nodes.
//!
//! A listpack is a 6-byte header (total bytes, u32 little-endian; element count, u16, 65535
//! once it reaches that), the elements back to back, and a 0xFF terminator. An element is an
//! encoding byte (with, for some kinds, length or value bytes after it), its data, and its
//! *backlen*: the length of encoding plus data, 7 bits a byte, written so it reads from the
//! element's end backwards. A string that is the canonical decimal form of a 64-bit integer is
//! stored as the narrowest integer kind that holds it (7, 13, 16, 24, 32 or 64 bits); other
//! strings have a 6-bit, 12-bit or 32-bit length.
//!
//! [`Writer`] builds the bytes Redis builds for the same elements; [`read`] checks a listpack
//! as Redis's deep integrity validation does and returns its elements.

use super::encoding::RdbError;

const HEADER: usize = 6;
const END: u8 = 0xFF;
/// The element count stored once the real count no longer fits the header.
const COUNT_UNKNOWN: u16 = u16::MAX;

/// Builds a listpack element by element.
pub struct Writer {
  bytes: Vec<u8>,
  count: usize,
}

impl Default for Writer {
  fn default() -> Self {
    Writer { bytes: vec![0; HEADER], count: 0 }
  }
}

impl Writer {
  /// Bytes the finished listpack would take now (Redis's `lpBytes`).
  pub fn size(&self) -> usize {
    self.bytes.len() + 1
  }

  pub fn count(&self) -> usize {
    self.count
  }

  /// Appends a string, stored as an integer when it is one in canonical form.
  pub fn push(&mut self, s: &[u8]) {
    match (s.len() <= 20).then(|| crate::num::parse_i64(s)).flatten() {
      Some(n) => self.push_int(n),
      None => {
        let start = self.bytes.len();
        let len = s.len();
        if len < 64 {
          self.bytes.push(0x80 | len as u8);
        } else if len < 4096 {
          self.bytes.push(0xE0 | (len >> 8) as u8);
          self.bytes.push(len as u8);
        } else {
          self.bytes.push(0xF0);
          self.bytes.extend_from_slice(&(len as u32).to_le_bytes());
        }
        self.bytes.extend_from_slice(s);
        self.finish_element(start);
      }
    }
  }

  /// Appends an integer in the narrowest integer kind.
  pub fn push_int(&mut self, n: i64) {
    let start = self.bytes.len();
    let le = n.to_le_bytes();
    if (0..=127).contains(&n) {
      self.bytes.push(n as u8);
    } else if (-4096..=4095).contains(&n) {
      let v = (n & 0x1FFF) as u16;
      self.bytes.push(0xC0 | (v >> 8) as u8);
      self.bytes.push(v as u8);
    } else if (-32768..=32767).contains(&n) {
      self.bytes.push(0xF1);
      self.bytes.extend_from_slice(&le[..2]);
    } else if (-8388608..=8388607).contains(&n) {
      self.bytes.push(0xF2);
      self.bytes.extend_from_slice(&le[..3]);
    } else if (-2147483648..=2147483647).contains(&n) {
      self.bytes.push(0xF3);
      self.bytes.extend_from_slice(&le[..4]);
    } else {
      self.bytes.push(0xF4);
      self.bytes.extend_from_slice(&le);
    }
    self.finish_element(start);
  }

  /// Appends the backlen of the element that starts at `start` and counts it.
  fn finish_element(&mut self, start: usize) {
    let len = self.bytes.len() - start;
    self.bytes.extend_from_slice(&backlen(len));
    self.count += 1;
  }

  /// The finished listpack.
  pub fn finish(mut self) -> Vec<u8> {
    self.bytes.push(END);
    let total = self.bytes.len() as u32;
    self.bytes[..4].copy_from_slice(&total.to_le_bytes());
    let count = self.count.min(COUNT_UNKNOWN as usize) as u16;
    self.bytes[4..6].copy_from_slice(&count.to_le_bytes());
    self.bytes
  }
}

/// The backlen of an element of `len` bytes, in storage order.
fn backlen(len: usize) -> Vec<u8> {
  let groups = match len {
    0..=127 => 1,
    128..=16382 => 2,
    16383..=2097150 => 3,
    2097151..=268435454 => 4,
    _ => 5,
  };
  (0..groups)
    .map(|i| {
      let shift = 7 * (groups - 1 - i);
      let bits = ((len >> shift) & 127) as u8;
      if i == 0 {
        bits
      } else {
        bits | 128
      }
    })
    .collect()
}

/// An element as read: integers stay numbers until a caller needs their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Element<'a> {
  Int(i64),
  Str(&'a [u8]),
}

impl Element<'_> {
  /// The element as a string (integers in decimal).
  pub fn to_bytes(&self) -> Vec<u8> {
    match self {
      Element::Int(n) => crate::num::i64_bytes(*n),
      Element::Str(s) => s.to_vec(),
    }
  }
}

fn corrupt() -> RdbError {
  RdbError::Corrupt("listpack")
}

/// Sign-extends the low `bits` bits of `v`.
fn signed(v: u64, bits: u32) -> i64 {
  let shift = 64 - bits;
  ((v << shift) as i64) >> shift
}

/// Reads little-endian `n` bytes at `at` from `lp`.
fn le(lp: &[u8], at: usize, n: usize) -> Result<u64, RdbError> {
  let bytes = lp.get(at..at + n).ok_or_else(corrupt)?;
  Ok(bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | b as u64))
}

/// The backlen that ends at `last`, read backwards as Redis reads it: seven bits a byte while
/// the high bit is set, at most five bytes.
fn decode_backlen(lp: &[u8], last: usize) -> Option<usize> {
  let mut value = 0usize;
  for (shift, at) in (0..5).zip((0..=last).rev()) {
    value |= ((lp[at] & 127) as usize) << (7 * shift);
    if lp[at] & 128 == 0 {
      return Some(value);
    }
  }
  None
}

/// Checks every byte of `lp` and returns its elements.
pub fn read(lp: &[u8]) -> Result<Vec<Element<'_>>, RdbError> {
  read_elements(lp, true)
}

/// Like [`read`], without checking the element count of the header: Redis does not check it
/// in the listpacks of stream nodes, whose own counts it checks instead.
pub fn read_ignoring_count(lp: &[u8]) -> Result<Vec<Element<'_>>, RdbError> {
  read_elements(lp, false)
}

fn read_elements(lp: &[u8], check_count: bool) -> Result<Vec<Element<'_>>, RdbError> {
  if lp.len() < HEADER + 1 || le(lp, 0, 4)? != lp.len() as u64 || lp[lp.len() - 1] != END {
    return Err(corrupt());
  }
  let stated = le(lp, 4, 2)? as u16;
  let end = lp.len() - 1;
  let mut elements = Vec::new();
  let mut p = HEADER;
  while p < end {
    let b = lp[p];
    let (element, len) = match b {
      0x00..=0x7F => (Element::Int(b as i64), 1),
      0x80..=0xBF => {
        let n = (b & 0x3F) as usize;
        (Element::Str(lp.get(p + 1..p + 1 + n).ok_or_else(corrupt)?), 1 + n)
      }
      0xC0..=0xDF => (Element::Int(signed(((b & 0x1F) as u64) << 8 | le(lp, p + 1, 1)?, 13)), 2),
      0xE0..=0xEF => {
        let n = ((b & 0x0F) as usize) << 8 | le(lp, p + 1, 1)? as usize;
        (Element::Str(lp.get(p + 2..p + 2 + n).ok_or_else(corrupt)?), 2 + n)
      }
      0xF0 => {
        let n = le(lp, p + 1, 4)? as usize;
        let data = lp.get(p + 5..(p + 5).checked_add(n).ok_or_else(corrupt)?).ok_or_else(corrupt)?;
        (Element::Str(data), 5 + n)
      }
      0xF1 => (Element::Int(signed(le(lp, p + 1, 2)?, 16)), 3),
      0xF2 => (Element::Int(signed(le(lp, p + 1, 3)?, 24)), 4),
      0xF3 => (Element::Int(signed(le(lp, p + 1, 4)?, 32)), 5),
      0xF4 => (Element::Int(le(lp, p + 1, 8)? as i64), 9),
      _ => return Err(corrupt()),
    };
    let after = p + len + backlen(len).len();
    if after > end || decode_backlen(lp, after - 1) != Some(len) {
      return Err(corrupt());
    }
    elements.push(element);
    p = after;
  }
  if check_count && stated != COUNT_UNKNOWN && stated as usize != elements.len() {
    return Err(corrupt());
  }
  Ok(elements)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn elements_round_trip_in_their_narrowest_kinds() {
    let long = vec![b'x'; 5000];
    let items: Vec<&[u8]> = vec![
      b"7",
      b"-1",
      b"4095",
      b"-32768",
      b"8388607",
      b"-2147483648",
      b"9223372036854775807",
      b"01",
      b"",
      b"abc",
      &long[..100],
      &long,
    ];
    let mut w = Writer::default();
    for item in &items {
      w.push(item);
    }
    let lp = w.finish();
    let read: Vec<Vec<u8>> = read(&lp).unwrap().iter().map(Element::to_bytes).collect();
    assert_eq!(read, items.iter().map(|i| i.to_vec()).collect::<Vec<_>>());
  }

  #[test]
  fn small_listpack_matches_redis() {
    // RPUSH l a 1 -1 on redis-server 7.0.15: the node's listpack.
    let mut w = Writer::default();
    for item in [&b"a"[..], b"1", b"-1"] {
      w.push(item);
    }
    assert_eq!(w.finish(), b"\x0f\x00\x00\x00\x03\x00\x81a\x02\x01\x01\xdf\xff\x02\xff");
  }

  #[test]
  fn corruption_is_an_error() {
    let mut w = Writer::default();
    w.push(b"hello");
    let lp = w.finish();
    for cut in 0..lp.len() {
      assert!(read(&lp[..cut]).is_err());
    }
    let mut bad = lp.clone();
    bad[HEADER + 6] = 9;
    assert!(read(&bad).is_err());
  }
}
