//! HyperLogLog commands: PFADD, PFCOUNT and PFMERGE here, PFDEBUG and PFSELFTEST in `debug`.
//!
//! A sketch is a string value (see `types/hll` for its bytes), so every command first checks
//! that the key holds a string that looks like one: another type is the usual WRONGTYPE, a
//! string that is not a sketch gets Redis's own WRONGTYPE text. A command that may write to
//! the sketch then gives the value its own growable buffer (the `raw` encoding), as Redis's
//! `dbUnshareStringValue` does, even when it ends up changing nothing.
//!
//! What the commands report mirrors Redis: PFADD and PFMERGE fire a `pfadd` event; PFCOUNT of
//! one key writes a fresh estimate into the header when the cached one is stale, which counts
//! as a change and is propagated as PFCOUNT itself, but fires no event.

mod debug;

pub use debug::*;

use crate::bytes::SmallBytes;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::types::hll::{self, Encoding, REGISTERS};
use crate::value::Value;
use std::borrow::Cow;

/// The reply to a string that is not a sketch.
const NOT_A_SKETCH: Error = Error::Coded(Cow::Borrowed("WRONGTYPE Key is not a valid HyperLogLog string value."));
/// The reply to a sparse sketch whose opcodes do not add up.
const CORRUPT: Error = Error::Coded(Cow::Borrowed("INVALIDOBJ Corrupted HLL object detected"));

impl From<hll::Corrupt> for Error {
  fn from(_: hll::Corrupt) -> Error {
    CORRUPT
  }
}

/// The bytes of a value holding a sketch (Redis's `isHLLObjectOrReply`).
fn sketch(value: &Value) -> Result<&[u8], Error> {
  let bytes: &[u8] = match value {
    Value::Str(s) => s.as_slice(),
    Value::Raw(bytes) => bytes,
    // Redis checks for a string stored as bytes; a number is never a sketch.
    Value::Int(_) => return Err(NOT_A_SKETCH),
    _ => return Err(Error::WrongType),
  };
  hll::check(bytes).ok_or(NOT_A_SKETCH)?;
  Ok(bytes)
}

/// Like [`sketch`], then gives the value a buffer of its own to edit.
fn sketch_mut(value: &mut Value) -> Result<&mut Vec<u8>, Error> {
  sketch(value)?;
  value.make_raw().ok_or(Error::WrongType)
}

/// `hll-sparse-max-bytes`: the longest a sparse sketch may grow before it turns dense.
fn sparse_max_bytes(ctx: &Ctx) -> usize {
  ctx.server.config.hll_sparse_max_bytes as usize
}

/// PFADD key [element ...]
///
/// Creates the key when missing (even without elements). Replies 1 when the key was created
/// or a register changed, 0 otherwise; each changed register counts as a change. A damaged
/// sketch fails at the first element that walks over the damage, keeping the registers the
/// elements before it raised, without reporting them.
pub fn pfadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let elements = &argv[2..];
  let max_bytes = sparse_max_bytes(ctx);
  let changes = match ctx.lookup_write(key).0 {
    Some(entry) => add_all(sketch_mut(&mut entry.value)?, elements, max_bytes)?,
    None => {
      let mut sketch = hll::new_sparse();
      let changes = 1 + add_all(&mut sketch, elements, max_bytes)?;
      hll::invalidate_cache(&mut sketch);
      let now = ctx.now_ms;
      ctx.db().insert_new_key(SmallBytes::new(key), Value::Raw(Box::new(sketch)), now);
      changes
    }
  };
  if changes > 0 {
    ctx.modified(key);
    ctx.notify(notify::STRING, "pfadd", key);
    ctx.dirty(changes);
  }
  ctx.out.int((changes > 0) as i64);
  Ok(())
}

/// Adds `elements` to `sketch`; returns how many raised a register (and marks the cache stale
/// if any did).
fn add_all(sketch: &mut Vec<u8>, elements: &[&[u8]], max_bytes: usize) -> Result<u64, Error> {
  let mut changes = 0;
  for element in elements {
    changes += hll::add(sketch, element, max_bytes)? as u64;
  }
  if changes > 0 {
    hll::invalidate_cache(sketch);
  }
  Ok(changes)
}

/// PFCOUNT key [key ...]
///
/// One key: the cached estimate, or a fresh one that is then cached (a damaged sketch is only
/// noticed then). Several keys: the estimate for the union of their sketches, computed on the
/// side without touching any of them; missing keys count as empty sketches.
pub fn pfcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 2 {
    return count_union(ctx, &argv[1..]);
  }
  let key = argv[1];
  let (entry, out) = ctx.lookup_read(key);
  let Some(entry) = entry else {
    out.int(0);
    return Ok(());
  };
  let sketch = sketch_mut(&mut entry.value)?;
  if let Some(count) = hll::cached_count(sketch) {
    out.int(count as i64);
    return Ok(());
  }
  let count = hll::count(sketch)?;
  hll::store_count(sketch, count);
  ctx.modified(key);
  ctx.dirty(1);
  ctx.out.int(count as i64);
  Ok(())
}

/// The estimate for the union of the sketches at `keys`.
fn count_union(ctx: &mut Ctx, keys: &[&[u8]]) -> CmdResult {
  let mut registers = [0; REGISTERS];
  for key in keys {
    if let Some(entry) = ctx.lookup_read(key).0 {
      hll::merge_into(&mut registers, sketch(&entry.value)?)?;
    }
  }
  ctx.out.int(hll::count_bytes(&registers) as i64);
  Ok(())
}

/// PFMERGE destkey [sourcekey ...]
///
/// Raises the destination's registers to the largest of each register over the destination
/// and the sources (missing keys are empty sketches), creating it when missing. The
/// destination turns dense if any of the sketches is dense; otherwise it stays sparse as long
/// as it fits. Always a change, reported as a `pfadd` event.
pub fn pfmerge(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let destination = argv[1];
  let mut registers = [0; REGISTERS];
  let mut dense = false;
  for key in &argv[1..] {
    if let Some(entry) = ctx.lookup_read(key).0 {
      let sketch = sketch(&entry.value)?;
      dense |= hll::encoding(sketch) == Encoding::Dense;
      hll::merge_into(&mut registers, sketch)?;
    }
  }
  let max_bytes = sparse_max_bytes(ctx);
  match ctx.lookup_write(destination).0 {
    Some(entry) => raise_all(sketch_mut(&mut entry.value)?, &registers, dense, max_bytes)?,
    None => {
      let mut sketch = hll::new_sparse();
      raise_all(&mut sketch, &registers, dense, max_bytes)?;
      let now = ctx.now_ms;
      ctx.db().insert_new_key(SmallBytes::new(destination), Value::Raw(Box::new(sketch)), now);
    }
  }
  ctx.changed(notify::STRING, "pfadd", destination);
  ctx.out.ok();
  Ok(())
}

/// Raises each register of `sketch` to the matching one of `registers`, register by register
/// as Redis does (a sparse sketch may turn dense on the way), after converting it to dense if
/// `dense`. Marks the cache stale.
fn raise_all(sketch: &mut Vec<u8>, registers: &[u8; REGISTERS], dense: bool, max_bytes: usize) -> CmdResult {
  if dense {
    hll::to_dense(sketch)?;
  }
  for (index, &value) in registers.iter().enumerate() {
    if value != 0 {
      hll::set(sketch, index, value, max_bytes)?;
    }
  }
  hll::invalidate_cache(sketch);
  Ok(())
}
