//! The compact encodings of Redis before 7.0, which RDB data from older versions holds:
//! ziplists (lists, hashes and sorted sets up to 6.2) and zipmaps (hashes before 2.6). Redis
//! 7.0 only reads them, converting to listpacks; so does this module, which checks them as
//! Redis's deep integrity validation does and returns their elements.
//!
//! A ziplist is a 10-byte header (total bytes and offset of the last entry, u32
//! little-endian; entry count, u16, 65535 when unknown), the entries and a 0xFF terminator.
//! Each entry starts with the length of the previous one (1 byte, or 0xFE and 4 bytes), then
//! an encoding: a string with a 6, 14 (big-endian) or 32-bit (big-endian) length, or an
//! integer of 8, 16, 24, 32 or 64 bits (little-endian), or a value 0..12 held in the encoding
//! byte itself.
//!
//! A zipmap is a count byte (254 when unknown), then for each pair the field's length, the
//! field, the value's length, a byte counting free bytes after the value, the value and those
//! free bytes; 0xFF ends it. Lengths are 1 byte, or 254 and 4 bytes little-endian.

use super::encoding::RdbError;
use super::listpack::Element;

const ZL_HEADER: usize = 10;
const END: u8 = 0xFF;

fn corrupt() -> RdbError {
  RdbError::Corrupt("ziplist")
}

fn le(data: &[u8], at: usize, n: usize) -> Option<u64> {
  let bytes = data.get(at..at.checked_add(n)?)?;
  Some(bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | b as u64))
}

/// Checks every byte of ziplist `zl` and returns its entries.
pub fn read(zl: &[u8]) -> Result<Vec<Element<'_>>, RdbError> {
  let size = zl.len();
  if size < ZL_HEADER + 1 || le(zl, 0, 4) != Some(size as u64) || zl[size - 1] != END {
    return Err(corrupt());
  }
  let tail = le(zl, 4, 4).ok_or_else(corrupt)? as usize;
  let stated = le(zl, 8, 2).ok_or_else(corrupt)? as u16;
  let end = size - 1;
  let mut entries = Vec::new();
  let (mut p, mut prev_len, mut last) = (ZL_HEADER, 0usize, ZL_HEADER);
  while p < end {
    let start = p;
    let stored_prev = if zl[p] < 0xFE {
      p += 1;
      zl[start] as usize
    } else if zl[p] == 0xFE {
      p += 5;
      le(zl, start + 1, 4).ok_or_else(corrupt)? as usize
    } else {
      return Err(corrupt());
    };
    if stored_prev != prev_len || p >= end {
      return Err(corrupt());
    }
    let b = zl[p];
    let int = |n: usize, bits: u32| -> Result<(Element<'_>, usize), RdbError> {
      let v = le(zl, p + 1, n).ok_or_else(corrupt)?;
      let shift = 64 - bits;
      Ok((Element::Int(((v << shift) as i64) >> shift), 1 + n))
    };
    let string = |header: usize, len: usize| -> Result<(Element<'_>, usize), RdbError> {
      let from = p + header;
      let data = zl.get(from..from.checked_add(len).ok_or_else(corrupt)?).ok_or_else(corrupt)?;
      Ok((Element::Str(data), header + len))
    };
    let (element, len) = match b >> 6 {
      0 => string(1, (b & 0x3F) as usize)?,
      1 => string(2, ((b & 0x3F) as usize) << 8 | *zl.get(p + 1).ok_or_else(corrupt)? as usize)?,
      2 if b == 0x80 => {
        let bytes = zl.get(p + 1..p + 5).ok_or_else(corrupt)?;
        string(5, u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize)?
      }
      _ => match b {
        0xC0 => int(2, 16)?,
        0xD0 => int(4, 32)?,
        0xE0 => int(8, 64)?,
        0xF0 => int(3, 24)?,
        0xFE => int(1, 8)?,
        0xF1..=0xFD => (Element::Int((b & 0x0F) as i64 - 1), 1),
        _ => return Err(corrupt()),
      },
    };
    p += len;
    if p > end {
      return Err(corrupt());
    }
    entries.push(element);
    prev_len = p - start;
    last = start;
  }
  if tail != last || (stated != u16::MAX && stated as usize != entries.len()) {
    return Err(corrupt());
  }
  Ok(entries)
}

/// A zipmap's fields and values, in order.
pub type ZipmapPairs<'a> = Vec<(&'a [u8], &'a [u8])>;

/// Checks every byte of zipmap `zm` and returns its fields and values.
pub fn read_zipmap(zm: &[u8]) -> Result<ZipmapPairs<'_>, RdbError> {
  let corrupt = || RdbError::Corrupt("zipmap");
  let stated = *zm.first().ok_or_else(corrupt)?;
  let mut p = 1;
  let length = |p: &mut usize| -> Result<Option<usize>, RdbError> {
    let b = *zm.get(*p).ok_or_else(corrupt)?;
    *p += 1;
    match b {
      END => Ok(None),
      254 => {
        let n = le(zm, *p, 4).ok_or_else(corrupt)? as usize;
        *p += 4;
        Ok(Some(n))
      }
      n => Ok(Some(n as usize)),
    }
  };
  let take = |p: &mut usize, n: usize| -> Result<&[u8], RdbError> {
    let data = zm.get(*p..p.checked_add(n).ok_or_else(corrupt)?).ok_or_else(corrupt)?;
    *p += n;
    Ok(data)
  };
  let mut pairs = Vec::new();
  while let Some(field_len) = length(&mut p)? {
    let field = take(&mut p, field_len)?;
    let value_len = length(&mut p)?.ok_or_else(corrupt)?;
    let free = *zm.get(p).ok_or_else(corrupt)? as usize;
    p += 1;
    let value = take(&mut p, value_len)?;
    take(&mut p, free)?;
    pairs.push((field, value));
  }
  // An empty zipmap fails Redis's check too.
  if p != zm.len() || pairs.is_empty() || (stated < 254 && stated as usize != pairs.len()) {
    return Err(corrupt());
  }
  Ok(pairs)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn ziplist_entries_of_every_kind() {
    // Entries "ab", 5 (immediate) and 300 (int16), built per ziplist.c's layout.
    let zl = b"\x15\x00\x00\x00\x10\x00\x00\x00\x03\x00\x00\x02ab\x04\xf6\x02\xc0\x2c\x01\xff";
    assert_eq!(read(zl).unwrap(), vec![Element::Str(b"ab"), Element::Int(5), Element::Int(300)]);
    for cut in 0..zl.len() {
      assert!(read(&zl[..cut]).is_err());
    }
    let mut bad = zl.to_vec();
    bad[15] = 3;
    assert!(read(&bad).is_err());
  }

  #[test]
  fn zipmap_pairs() {
    let zm = b"\x01\x01f\x02\x01vv\x00\xff";
    assert_eq!(read_zipmap(zm).unwrap(), vec![(&b"f"[..], &b"vv"[..])]);
    assert!(read_zipmap(&zm[..zm.len() - 1]).is_err());
  }
}
