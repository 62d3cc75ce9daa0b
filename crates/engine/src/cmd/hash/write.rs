//! HSET, HMSET, HSETNX and HDEL: adding, overwriting and removing fields.
//!
//! A hash converts from listpack to hashtable as the fields are written, exactly where Redis
//! converts it (see `types/hash.rs`); HSETNX leaves an existing field, and so the encoding,
//! alone whatever the new value's length.
//!
//! HSET and HMSET report a change even when every value was already there, as Redis does
//! (they do not compare values); HSETNX and HDEL report one only when they set or removed a
//! field, so a WATCH survives their no-ops.

use super::update_hash;
use crate::cmd::args::Args;
use crate::cmd::{arity_error, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// HSET key field value [field value ...]
///
/// Replies with the number of fields that were new.
pub fn hset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let added = set_pairs(ctx, argv, "hset")?;
  ctx.out.int(added as i64);
  signal_pairs(ctx, argv);
  Ok(())
}

/// HMSET key field value [field value ...]: HSET replying OK.
pub fn hmset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_pairs(ctx, argv, "hmset")?;
  ctx.out.ok();
  signal_pairs(ctx, argv);
  Ok(())
}

/// Reports HSET's and HMSET's writes (after their reply, where Redis sends the event): one
/// change per pair written, new or not, and the `hset` event for both commands.
fn signal_pairs(ctx: &mut Ctx, argv: &[&[u8]]) {
  ctx.modified(argv[1]);
  ctx.notify(notify::HASH, "hset", argv[1]);
  ctx.dirty((argv.len() as u64 - 2) / 2);
}

/// Sets every field/value pair of `argv[2..]` in order; returns how many fields were new.
/// An incomplete last pair is an arity error for `command`.
fn set_pairs(ctx: &mut Ctx, argv: &[&[u8]], command: &str) -> Result<usize, Error> {
  if argv.len() % 2 == 1 {
    return Err(arity_error(command));
  }
  let key = argv[1];
  let added = update_hash(ctx, key, |hash, limits| {
    let mut added = 0;
    for (field, value) in Args::new(argv, 2).pairs() {
      if hash.set(field, value, limits) {
        added += 1;
      }
    }
    Ok(added)
  })?;
  Ok(added)
}

/// HSETNX key field value
///
/// Sets the field only if it does not exist yet: 1 if it was set, 0 otherwise.
pub fn hsetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, field, value) = (argv[1], argv[2], argv[3]);
  let set = update_hash(ctx, key, |hash, limits| Ok(!hash.contains(field) && hash.set(field, value, limits)))?;
  ctx.out.int(set as i64);
  if set {
    ctx.changed(notify::HASH, "hset", key);
  }
  Ok(())
}

/// HDEL key field [field ...]
///
/// Replies with the number of fields removed. The key is deleted with its last field (the
/// remaining arguments are then ignored), which also sends a `del` event.
pub fn hdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let (entry, out) = ctx.lookup_write(key);
  let Some(entry) = entry else {
    out.int(0);
    return Ok(());
  };
  let Value::Hash(hash) = &mut entry.value else {
    return Err(Error::WrongType);
  };
  let mut removed = 0;
  for field in &argv[2..] {
    if hash.remove(field) {
      removed += 1;
      if hash.is_empty() {
        break;
      }
    }
  }
  let emptied = hash.is_empty();
  // The events go before the reply, as Redis sends them.
  if removed > 0 {
    // The key goes before the signal, so that WATCH sees it gone.
    if emptied {
      ctx.db().remove(key);
    }
    ctx.modified(key);
    ctx.notify(notify::HASH, "hdel", key);
    if emptied {
      ctx.notify(notify::GENERIC, "del", key);
    }
    ctx.dirty(removed);
  }
  ctx.out.int(removed as i64);
  Ok(())
}
