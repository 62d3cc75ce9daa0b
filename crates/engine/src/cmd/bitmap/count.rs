//! BITCOUNT and BITPOS: counting set bits and finding the first set or clear bit, over the
//! whole string or a range of it.
//!
//! A range is given in bytes (the default, or BYTE) or in bits (BIT); negative ends count from
//! the end of the string, both ends are clamped to it, and a start past the end leaves nothing.
//! Either way the range becomes an inclusive range of bit positions, whose partial first and
//! last bytes are masked. The scans read the bytes between them eight at a time: BITCOUNT adds
//! up the population count of each 64-bit word, BITPOS skips the words that cannot hold the
//! bit it looks for.
//!
//! Both look the key up before reading their range, as Redis does: a missing key answers at
//! once, whatever the arguments, and WRONGTYPE comes before any range error.

use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};

/// The unit of a range's ends.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
  Byte,
  Bit,
}

/// Reads the optional BYTE|BIT argument of a range.
fn unit_arg(arg: Option<&[u8]>) -> Result<Unit, Error> {
  match arg {
    None => Ok(Unit::Byte),
    Some(arg) if is(arg, "bit") => Ok(Unit::Bit),
    Some(arg) if is(arg, "byte") => Ok(Unit::Byte),
    Some(_) => Err(Error::Syntax),
  }
}

/// The inclusive range of bit positions that `start..=end`, in `unit`, selects in a string of
/// `len` bytes; `None` when it is empty.
fn bit_range(len: usize, start: i64, end: i64, unit: Unit) -> Option<(u64, u64)> {
  let total = match unit {
    Unit::Byte => len as i64,
    Unit::Bit => len as i64 * 8,
  };
  let resolve = |index: i64| if index < 0 { total + index } else { index }.max(0);
  let start = resolve(start);
  let end = resolve(end).min(total - 1);
  if start > end {
    return None;
  }
  let (start, end) = (start as u64, end as u64);
  Some(match unit {
    Unit::Byte => (start * 8, end * 8 + 7),
    Unit::Bit => (start, end),
  })
}

/// BITCOUNT key [start end [BYTE|BIT]]
///
/// Redis answers 0 for two negative ends in the wrong order before it reads the unit, so that
/// case wins over a bad unit.
pub fn bitcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(entry) = entry else {
    out.int(0);
    return Ok(());
  };
  let bytes = entry.value.as_bytes().ok_or(Error::WrongType)?;
  let range = match argv.len() {
    2 => bit_range(bytes.len(), 0, -1, Unit::Byte),
    4 | 5 => {
      let start = int_arg(argv[2])?;
      let end = int_arg(argv[3])?;
      if start < 0 && end < 0 && start > end {
        None
      } else {
        bit_range(bytes.len(), start, end, unit_arg(argv.get(4).copied())?)
      }
    }
    _ => return Err(Error::Syntax),
  };
  out.int(range.map_or(0, |(first, last)| count_ones(&bytes, first, last)) as i64);
  Ok(())
}

/// BITPOS key bit [start [end [BYTE|BIT]]]
///
/// Replies with the position of the first bit equal to `bit` in the range, or -1. A missing
/// key is all zeros (0 for a clear bit, -1 for a set one). Looking for a clear bit without an
/// end counts the string as padded with zeros on the right, so a string of ones answers the
/// position just past its end; with an end given, -1.
pub fn bitpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let bit = match int_arg(argv[2])? {
    bit @ (0 | 1) => bit == 1,
    _ => return Err(Error::err("The bit argument must be 1 or 0.")),
  };
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(entry) = entry else {
    out.int(if bit { -1 } else { 0 });
    return Ok(());
  };
  let bytes = entry.value.as_bytes().ok_or(Error::WrongType)?;
  let (range, end_given) = match argv.len() {
    3 => (bit_range(bytes.len(), 0, -1, Unit::Byte), false),
    4..=6 => {
      let start = int_arg(argv[3])?;
      // The unit is read before the end.
      let unit = unit_arg(argv.get(5).copied())?;
      let end = argv.get(4).map(|arg| int_arg(arg)).transpose()?;
      (bit_range(bytes.len(), start, end.unwrap_or(-1), unit), end.is_some())
    }
    _ => return Err(Error::Syntax),
  };
  let position = match range {
    None => -1,
    Some((first, last)) => match first_bit(&bytes, first, last, bit) {
      Some(position) => position as i64,
      None if !bit && !end_given => last as i64 + 1,
      None => -1,
    },
  };
  out.int(position);
  Ok(())
}

/// The number of set bits between bit positions `first` and `last` (inclusive, within
/// `bytes`).
fn count_ones(bytes: &[u8], first: u64, last: u64) -> u64 {
  let (first_byte, last_byte) = ((first >> 3) as usize, (last >> 3) as usize);
  let mut count = popcount(&bytes[first_byte..=last_byte]);
  // Take back the bits of the edge bytes that lie outside the range.
  count -= u64::from((bytes[first_byte] & !(0xff >> (first & 7))).count_ones());
  count -= u64::from((bytes[last_byte] & (0xff >> (last & 7) >> 1)).count_ones());
  count
}

/// The number of set bits in `bytes`, a 64-bit word at a time.
fn popcount(bytes: &[u8]) -> u64 {
  let (words, rest) = bytes.as_chunks::<8>();
  let in_words: u64 = words.iter().map(|word| u64::from(u64::from_ne_bytes(*word).count_ones())).sum();
  in_words + rest.iter().map(|byte| u64::from(byte.count_ones())).sum::<u64>()
}

/// The position of the first bit equal to `bit` between bit positions `first` and `last`
/// (inclusive, within `bytes`).
fn first_bit(bytes: &[u8], first: u64, last: u64, bit: bool) -> Option<u64> {
  let (first_byte, last_byte) = ((first >> 3) as usize, (last >> 3) as usize);
  // Looking for a clear bit is looking for a set bit in the complement.
  let flip = if bit { 0 } else { 0xff };
  // A byte's bits before `first` and after `last` are left out of the search.
  let byte_at = |at: usize| {
    let mut byte = bytes[at] ^ flip;
    if at == first_byte {
      byte &= 0xff >> (first & 7);
    }
    if at == last_byte {
      byte &= !(0xff >> (last & 7) >> 1);
    }
    byte
  };
  let found = |at: usize, byte: u8| Some(at as u64 * 8 + u64::from(byte.leading_zeros()));
  let head = byte_at(first_byte);
  if head != 0 {
    return found(first_byte, head);
  }
  if first_byte == last_byte {
    return None;
  }
  // The whole bytes strictly inside the range, skipping the words with nothing to find.
  let (words, _) = bytes[first_byte + 1..last_byte].as_chunks::<8>();
  let skipped = words.iter().take_while(|&&word| word == [flip; 8]).count();
  let mut at = first_byte + 1 + skipped * 8;
  while at < last_byte {
    let byte = bytes[at] ^ flip;
    if byte != 0 {
      return found(at, byte);
    }
    at += 1;
  }
  let tail = byte_at(last_byte);
  if tail != 0 {
    return found(last_byte, tail);
  }
  None
}
