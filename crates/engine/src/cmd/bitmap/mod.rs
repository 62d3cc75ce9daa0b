//! Bitmap commands: a bitmap is nothing but a string value read as a sequence of bits, bit 0
//! being the most significant bit of the first byte. One file per family: `bits` (SETBIT,
//! GETBIT), `count` (BITCOUNT, BITPOS), `bitop` (BITOP) and `bitfield` (BITFIELD,
//! BITFIELD_RO).
//!
//! Since bitmaps are strings, GET, SETRANGE, APPEND and the others see exactly the bytes these
//! commands write. Reads accept every string encoding (an integer is read as its decimal
//! digits); writes turn the value into the mutable `raw` form once and then edit it in place,
//! growing it with zero bytes up to the highest byte they touch, as Redis's
//! `lookupStringForBitCommand` does. A bit offset may address at most proto-max-bulk-len bytes.

mod bitfield;
mod bitop;
mod bits;
mod count;

pub use bitfield::*;
pub use bitop::*;
pub use bits::*;
pub use count::*;

use crate::bytes::SmallBytes;
use crate::db::Db;
use crate::error::Error;
use crate::num::parse_i64;
use crate::value::Value;

/// The error for a bit offset that is not a non-negative integer within the size limit.
const BAD_OFFSET: &str = "bit offset is not an integer or out of range";

/// Parses a bit offset argument. With `field_bits` (BITFIELD), an offset written `#n` means
/// the `n`-th field of that width, `n * field_bits` (multiplied with wrap-around, as Redis
/// does, so a huge `n` can wrap to a small offset). The offset must be non-negative and its
/// byte must lie within proto-max-bulk-len (`max_len`).
fn bit_offset(arg: &[u8], field_bits: Option<u32>, max_len: i64) -> Result<u64, Error> {
  let (digits, multiplier) = match (arg.first(), field_bits) {
    (Some(b'#'), Some(bits)) => (&arg[1..], i64::from(bits)),
    _ => (arg, 1),
  };
  let offset = parse_i64(digits).ok_or(Error::err(BAD_OFFSET))?.wrapping_mul(multiplier);
  if offset < 0 || (offset >> 3) >= max_len {
    return Err(Error::err(BAD_OFFSET));
  }
  Ok(offset as u64)
}

/// The raw buffer of the string at `key` in `db`, at least `len` bytes long (zero bytes are
/// appended as needed), creating the key with `len` zero bytes when it is missing. Also says
/// whether the key was created or grew, which counts as a change even when no bit flips.
/// WRONGTYPE for another type. (It takes the database rather than the context so that a
/// handler can write its reply while it holds the buffer.)
fn writable_bits<'d>(db: &'d mut Db, key: &[u8], len: usize, now_ms: i64) -> Result<(&'d mut Vec<u8>, bool), Error> {
  let (entry, grew) = match db.live_position(key, now_ms) {
    Some(pos) => {
      db.touch_at(pos, now_ms);
      let entry = db.entry_at_mut(pos);
      let bytes = entry.value.make_raw().ok_or(Error::WrongType)?;
      let grew = bytes.len() < len;
      if grew {
        bytes.resize(len, 0);
      }
      (entry, grew)
    }
    None => {
      let pos = db.insert_new_key(SmallBytes::new(key), Value::Raw(Box::new(vec![0; len])), now_ms);
      (db.entry_at_mut(pos), true)
    }
  };
  Ok((entry.value.make_raw().ok_or(Error::WrongType)?, grew))
}
