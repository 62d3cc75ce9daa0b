//! SETBIT and GETBIT: one bit at a time.
//!
//! SETBIT edits the string in place, so setting a bit of a large bitmap costs O(1) (plus the
//! zero bytes it appends when the offset lies past the end). It is a change, with a `setbit`
//! event, when the key was created, the string grew, or the bit flipped; rewriting a bit with
//! its own value changes nothing.

use super::{bit_offset, writable_bits};
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::{CmdResult, Error};

/// The mask of bit `offset` within its byte (bit 0 is the most significant).
fn bit_mask(offset: u64) -> u8 {
  0x80 >> (offset & 7)
}

/// SETBIT key offset value
///
/// Replies with the bit's previous value. The offset is checked before the value, and both
/// before the key's type.
pub fn setbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let offset = bit_offset(argv[2], None, ctx.server.config.proto_max_bulk_len)?;
  let on = match crate::num::parse_i64(argv[3]) {
    Some(bit @ (0 | 1)) => bit == 1,
    _ => return Err(Error::err("bit is not an integer or out of range")),
  };
  let byte = (offset >> 3) as usize;
  let now = ctx.now_ms;
  let (bytes, grew) = writable_bits(ctx.db(), key, byte + 1, now)?;
  let mask = bit_mask(offset);
  let was_on = bytes[byte] & mask != 0;
  if grew || was_on != on {
    if on {
      bytes[byte] |= mask;
    } else {
      bytes[byte] &= !mask;
    }
    ctx.changed(notify::STRING, "setbit", key);
  }
  ctx.out.int(i64::from(was_on));
  Ok(())
}

/// GETBIT key offset
///
/// Bits past the end of the string, and of a missing key, are 0.
pub fn getbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let offset = bit_offset(argv[2], None, ctx.server.config.proto_max_bulk_len)?;
  let (entry, out) = ctx.lookup_read(argv[1]);
  let on = match entry {
    None => false,
    Some(entry) => {
      let bytes = entry.value.as_bytes().ok_or(Error::WrongType)?;
      bytes.get((offset >> 3) as usize).is_some_and(|&byte| byte & bit_mask(offset) != 0)
    }
  };
  out.int(i64::from(on));
  Ok(())
}
