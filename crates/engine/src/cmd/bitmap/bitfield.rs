//! BITFIELD and BITFIELD_RO: signed and unsigned integers of 1 to 64 bits (unsigned ones up to
//! 63, so that every value fits a RESP integer) at any bit offset of a string.
//!
//! A field is stored most significant bit first, from its bit offset on, in the same bit order
//! as SETBIT; `#n` as an offset means the `n`-th field of the type's width. The whole argument
//! list is parsed into operations before anything runs, so the first bad argument is the error
//! and nothing has been read or written. Only then is the key looked up: for reading when every
//! operation is a GET, otherwise for writing, grown at once to hold the farthest field written.
//!
//! SET and INCRBY handle a value that does not fit the field as the OVERFLOW mode in force says
//! (it applies to the operations after it, WRAP by default): WRAP keeps the low bits (two's
//! complement for signed fields), SAT clamps to the type's minimum or maximum, FAIL skips the
//! write and answers nil for that operation.
//!
//! Signals, as in Redis: each SET or INCRBY that wrote counts as a change when the value
//! changed or the string was created or grown (even a write that fails later leaves a created
//! or grown string behind, silently); if any counted, the key is reported modified with one
//! `setbit` event, after the reply. A BITFIELD with only GETs is a read.

use super::{bit_offset, writable_bits};
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::cstr::until_nul;
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;
use std::borrow::Cow;
use std::ops::Range;

/// A field type: `i1`…`i64` or `u1`…`u63`.
#[derive(Clone, Copy)]
struct FieldType {
  signed: bool,
  bits: u32,
}

#[derive(Clone, Copy)]
enum Overflow {
  Wrap,
  Sat,
  Fail,
}

#[derive(Clone, Copy)]
enum Action {
  Get,
  Set(i64),
  IncrBy(i64),
}

struct Operation {
  action: Action,
  field: FieldType,
  offset: u64,
  overflow: Overflow,
}

/// BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value |
/// [OVERFLOW WRAP|SAT|FAIL] INCRBY type offset increment ...]
///
/// Replies with one entry per GET, SET and INCRBY: the value read, the previous value, or the
/// incremented value.
pub fn bitfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run(ctx, argv, false)
}

/// BITFIELD_RO key [GET type offset ...]: BITFIELD restricted to GETs, for read-only contexts.
pub fn bitfield_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run(ctx, argv, true)
}

fn run(ctx: &mut Ctx, argv: &[&[u8]], read_only_command: bool) -> CmdResult {
  let key = argv[1];
  let operations = parse(argv, ctx.server.config.proto_max_bulk_len)?;
  let farthest_write = operations
    .iter()
    .filter(|op| !matches!(op.action, Action::Get))
    .map(|op| op.offset + u64::from(op.field.bits) - 1)
    .max();
  let Some(farthest_write) = farthest_write else {
    let (entry, out) = ctx.lookup_read(key);
    let bytes = match entry {
      Some(entry) => entry.value.as_bytes().ok_or(Error::WrongType)?,
      None => Cow::Borrowed(&[][..]),
    };
    out.array(operations.len());
    for op in &operations {
      out.int(read_field(&bytes, op.offset, op.field));
    }
    return Ok(());
  };
  if read_only_command {
    return Err(Error::err("BITFIELD_RO only supports the GET subcommand"));
  }
  let now = ctx.now_ms;
  let db = &mut ctx.server.keyspace.dbs[ctx.session.db];
  let (bytes, grew) = writable_bits(db, key, (farthest_write >> 3) as usize + 1, now)?;
  let out = &mut *ctx.out;
  out.array(operations.len());
  let mut changes = 0;
  for op in &operations {
    let old = read_field(bytes, op.offset, op.field);
    let (value, increment, reply_old) = match op.action {
      Action::Get => {
        out.int(old);
        continue;
      }
      // An unsigned field takes the value's 64 bits as an unsigned number: -1 is too large.
      Action::Set(value) if !op.field.signed => (i128::from(value as u64), 0, true),
      Action::Set(value) => (i128::from(value), 0, true),
      Action::IncrBy(increment) => (i128::from(old), increment, false),
    };
    let Some(new) = fit(value, increment, op.field, op.overflow) else {
      out.null();
      continue;
    };
    out.int(if reply_old { old } else { new });
    write_bits(bytes, op.offset, op.field.bits, new as u64);
    if grew || new != old {
      changes += 1;
    }
  }
  if changes > 0 {
    ctx.modified(key);
    ctx.notify(notify::STRING, "setbit", key);
    ctx.dirty(changes);
  }
  Ok(())
}

/// Parses every operation, in order; the first bad argument is the error.
fn parse(argv: &[&[u8]], max_len: i64) -> Result<Vec<Operation>, Error> {
  let mut operations = Vec::new();
  let mut overflow = Overflow::Wrap;
  let mut args = Args::new(argv, 2);
  while let Some(word) = args.next() {
    // A subcommand without all its operands is no subcommand at all: a syntax error.
    let operands = args.remaining();
    let action = if is(word, "get") && operands >= 2 {
      Action::Get
    } else if is(word, "set") && operands >= 3 {
      Action::Set(0)
    } else if is(word, "incrby") && operands >= 3 {
      Action::IncrBy(0)
    } else if is(word, "overflow") && operands >= 1 {
      overflow = match args.value()? {
        mode if is(mode, "wrap") => Overflow::Wrap,
        mode if is(mode, "sat") => Overflow::Sat,
        mode if is(mode, "fail") => Overflow::Fail,
        _ => return Err(Error::err("Invalid OVERFLOW type specified")),
      };
      continue;
    } else {
      return Err(Error::Syntax);
    };
    let field = field_type(args.value()?)?;
    let offset = bit_offset(args.value()?, Some(field.bits), max_len)?;
    let action = match action {
      Action::Get => Action::Get,
      Action::Set(_) => Action::Set(args.int()?),
      Action::IncrBy(_) => Action::IncrBy(args.int()?),
    };
    operations.push(Operation { action, field, offset, overflow });
  }
  Ok(operations)
}

/// Parses a field type, `i` or `u` and a width (read up to a NUL byte, as Redis does).
fn field_type(arg: &[u8]) -> Result<FieldType, Error> {
  let signed = match arg.first() {
    Some(b'i') => true,
    Some(b'u') => false,
    _ => return Err(bad_type()),
  };
  let widest = if signed { 64 } else { 63 };
  match parse_i64(until_nul(&arg[1..])) {
    Some(bits @ 1..=64) if bits <= widest => Ok(FieldType { signed, bits: bits as u32 }),
    _ => Err(bad_type()),
  }
}

fn bad_type() -> Error {
  Error::err("Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
}

/// The value a field of type `field` ends up holding under `overflow` for `value` plus
/// `increment` (a SET is `value` plus 0, an INCRBY the field's current value plus the
/// increment), or `None` when that does not fit and the mode is FAIL.
fn fit(value: i128, increment: i64, field: FieldType, overflow: Overflow) -> Option<i64> {
  let (min, max) = if field.signed {
    (-(1i128 << (field.bits - 1)), (1i128 << (field.bits - 1)) - 1)
  } else {
    (0, (1i128 << field.bits) - 1)
  };
  let sum = value + i128::from(increment);
  let too_large = if field.signed && field.bits < 64 {
    // Redis compares the increment with `max - value` computed in wrapping 64-bit arithmetic:
    // a value set so far below the minimum that the difference wraps counts as too large, so
    // SAT stores the maximum.
    value > max || i128::from(increment) > i128::from((max as i64).wrapping_sub(value as i64))
  } else {
    sum > max
  };
  let limit = if too_large {
    max
  } else if sum < min {
    min
  } else {
    return Some(sum as i64);
  };
  match overflow {
    Overflow::Fail => None,
    Overflow::Sat => Some(limit as i64),
    // The low bits, as the field would read them back.
    Overflow::Wrap => Some(extend(sum as u64 & low_mask(field.bits), field)),
  }
}

/// A mask of the `bits` low bits (1 to 64).
fn low_mask(bits: u32) -> u64 {
  u64::MAX >> (64 - bits)
}

/// The value of a field's `bits` (right-aligned): sign-extended for a signed field.
fn extend(raw: u64, field: FieldType) -> i64 {
  let sign = 1u64 << (field.bits - 1);
  if field.signed && raw & sign != 0 {
    (raw | !low_mask(field.bits)) as i64
  } else {
    raw as i64
  }
}

/// The field at bit `offset`; bits past the end of `bytes` read as zeros.
fn read_field(bytes: &[u8], offset: u64, field: FieldType) -> i64 {
  let (window, _) = load_window(bytes, offset);
  let shift = window_shift(offset, field.bits);
  extend((window >> shift) as u64 & low_mask(field.bits), field)
}

/// Stores the `bits` low bits of `value` at bit `offset`, which lies within `bytes`.
fn write_bits(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
  let (window, loaded) = load_window(bytes, offset);
  let shift = window_shift(offset, bits);
  let mask = u128::from(low_mask(bits)) << shift;
  let window = (window & !mask) | (u128::from(value) << shift & mask);
  let length = loaded.len();
  bytes[loaded].copy_from_slice(&window.to_be_bytes()[..length]);
}

/// The 9 bytes from the one holding bit `offset` (enough for any field at any bit position),
/// most significant first in a 128-bit word, zero past the end of `bytes`; and the range of
/// `bytes` they were loaded from.
fn load_window(bytes: &[u8], offset: u64) -> (u128, Range<usize>) {
  let start = usize::try_from(offset >> 3).unwrap_or(usize::MAX).min(bytes.len());
  let loaded = start..bytes.len().min(start + 9);
  let mut window = [0u8; 16];
  window[..loaded.len()].copy_from_slice(&bytes[loaded.clone()]);
  (u128::from_be_bytes(window), loaded)
}

/// How far right a field of `bits` bits at bit `offset` lies in its window.
fn window_shift(offset: u64, bits: u32) -> u32 {
  128 - (offset & 7) as u32 - bits
}
