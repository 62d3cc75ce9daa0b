//! APPEND, STRLEN, GETRANGE (and its old name SUBSTR) and SETRANGE: byte-level access to a
//! string value.
//!
//! APPEND and SETRANGE edit the value in place through `Value::make_raw`, so repeated edits
//! are amortised and the key reports the `raw` encoding afterwards, as in Redis; both refuse
//! to grow a string past proto-max-bulk-len and keep the key's time to live.

use super::{check_string_length, string_bytes};
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// APPEND key value
///
/// Creates the key (with SET's encoding rules) when missing; replies with the new length.
/// Like Redis, appending nothing still counts as a change (and creates an empty string).
pub fn append(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, suffix) = (argv[1], argv[2]);
  let max = ctx.server.config.proto_max_bulk_len;
  let now = ctx.now_ms;
  let length = match ctx.lookup_write(key).0 {
    None => {
      ctx.db().set(key, Value::string(suffix), false, now);
      suffix.len()
    }
    Some(entry) => {
      let current = string_bytes(&entry.value)?.len();
      check_string_length(max, current as i64, suffix.len() as i64)?;
      let bytes = entry.value.make_raw().ok_or(Error::WrongType)?;
      bytes.extend_from_slice(suffix);
      bytes.len()
    }
  };
  ctx.changed(notify::STRING, "append", key);
  ctx.out.int(length as i64);
  Ok(())
}

/// STRLEN key
pub fn strlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let length = match entry {
    Some(entry) => string_bytes(&entry.value)?.len(),
    None => 0,
  };
  out.int(length as i64);
  Ok(())
}

/// GETRANGE key start end (also SUBSTR key start end)
///
/// Offsets are inclusive; negative ones count from the end. A missing key is an empty string.
pub fn getrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let start = int_arg(argv[2])?;
  let end = int_arg(argv[3])?;
  let (entry, out) = ctx.lookup_read(argv[1]);
  match entry {
    Some(entry) => out.bulk(byte_range(&string_bytes(&entry.value)?, start, end)),
    None => out.bulk(b""),
  }
  Ok(())
}

/// The bytes between `start` and `end` (inclusive), with Redis's clamping: negative offsets
/// count from the end (with wrap-around, as C's unsigned arithmetic does), both are clamped to
/// the string, and a start past the end gives nothing.
fn byte_range(bytes: &[u8], start: i64, end: i64) -> &[u8] {
  let len = bytes.len() as i64;
  if start < 0 && end < 0 && start > end {
    return &[];
  }
  let start = if start < 0 { len.wrapping_add(start) } else { start }.max(0);
  let end = if end < 0 { len.wrapping_add(end) } else { end }.max(0).min(len - 1);
  if start > end || len == 0 {
    return &[];
  }
  &bytes[start as usize..=end as usize]
}

/// SETRANGE key offset value
///
/// Overwrites from `offset`, padding with zero bytes; replies with the new length. An empty
/// value changes nothing (and creates no key), so it is no write at all.
pub fn setrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, value) = (argv[1], argv[3]);
  let offset = int_arg(argv[2])?;
  if offset < 0 {
    return Err(Error::err("offset is out of range"));
  }
  let max = ctx.server.config.proto_max_bulk_len;
  let now = ctx.now_ms;
  let length = match ctx.lookup_write(key).0 {
    None => {
      if value.is_empty() {
        ctx.out.int(0);
        return Ok(());
      }
      check_string_length(max, offset, value.len() as i64)?;
      let mut bytes = vec![0; offset as usize + value.len()];
      bytes[offset as usize..].copy_from_slice(value);
      let length = bytes.len();
      ctx.db().set(key, Value::Raw(Box::new(bytes)), false, now);
      ctx.changed(notify::STRING, "setrange", key);
      length
    }
    Some(entry) => {
      let current = string_bytes(&entry.value)?.len();
      if value.is_empty() {
        current
      } else {
        check_string_length(max, offset, value.len() as i64)?;
        let bytes = entry.value.make_raw().ok_or(Error::WrongType)?;
        let end = offset as usize + value.len();
        if bytes.len() < end {
          bytes.resize(end, 0);
        }
        bytes[offset as usize..end].copy_from_slice(value);
        let length = bytes.len();
        ctx.changed(notify::STRING, "setrange", key);
        length
      }
    }
  };
  ctx.out.int(length as i64);
  Ok(())
}
