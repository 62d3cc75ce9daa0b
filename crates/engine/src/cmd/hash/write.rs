//! HSET, HMSET, HSETNX and HDEL: adding, overwriting and removing fields.
//!
//! A hash converts from listpack to hashtable as the fields are written, exactly where Redis
//! converts it (see `types/hash.rs`); HSETNX leaves an existing field, and so the encoding,
//! alone whatever the new value's length.

use super::update_hash;
use crate::cmd::{arity_error, Ctx};
use crate::error::CmdResult;

/// HSET key field value [field value ...]
///
/// Replies with the number of fields that were new.
pub fn hset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let added = set_pairs(ctx, argv, "hset")?;
  ctx.out.int(added as i64);
  Ok(())
}

/// HMSET key field value [field value ...]: HSET replying OK.
pub fn hmset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_pairs(ctx, argv, "hmset")?;
  ctx.out.ok();
  Ok(())
}

/// Sets every field/value pair of `argv[2..]` in order; returns how many fields were new.
/// An incomplete last pair is an arity error for `command`.
fn set_pairs(ctx: &mut Ctx, argv: &[&[u8]], command: &str) -> Result<usize, crate::error::Error> {
  if argv.len() % 2 == 1 {
    return Err(arity_error(command));
  }
  update_hash(ctx, argv[1], |hash, limits| {
    let mut added = 0;
    for pair in argv[2..].chunks_exact(2) {
      if hash.set(pair[0], pair[1], limits) {
        added += 1;
      }
    }
    Ok(added)
  })
}

/// HSETNX key field value
///
/// Sets the field only if it does not exist yet: 1 if it was set, 0 otherwise.
pub fn hsetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (field, value) = (argv[2], argv[3]);
  let set = update_hash(ctx, argv[1], |hash, limits| Ok(!hash.contains(field) && hash.set(field, value, limits)))?;
  ctx.out.int(set as i64);
  Ok(())
}

/// HDEL key field [field ...]
///
/// Replies with the number of fields removed; the key is deleted with its last field.
pub fn hdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let removed = update_hash(ctx, argv[1], |hash, _| Ok(argv[2..].iter().filter(|field| hash.remove(field)).count()))?;
  ctx.out.int(removed as i64);
  Ok(())
}
