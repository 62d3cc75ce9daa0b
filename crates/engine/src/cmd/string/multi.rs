//! MGET, MSET and MSETNX: the multi-key string commands.
//!
//! MGET never fails: a missing key and a key of another type both read as null. MSET and
//! MSETNX take key/value pairs, so an odd count is Redis's arity error; values are stored
//! with SET's encoding rules and any time to live is cleared. Each key set is a change of its
//! own, with its own `set` event, sent before the next key is written.

use super::reply_value;
use crate::cmd::args::Args;
use crate::cmd::{arity_error, Ctx};
use crate::config::notify;
use crate::error::CmdResult;
use crate::value::Value;

/// MGET key [key ...]
pub fn mget(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(argv.len() - 1);
  for key in &argv[1..] {
    let (entry, out) = ctx.lookup_read(key);
    match entry {
      Some(entry) if entry.value.is_string() => reply_value(out, &entry.value)?,
      _ => out.null(),
    }
  }
  Ok(())
}

/// MSET key value [key value ...]
pub fn mset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  check_pairs(argv, "mset")?;
  set_pairs(ctx, argv);
  ctx.out.ok();
  Ok(())
}

/// MSETNX key value [key value ...]
///
/// Sets every pair only if none of the keys exists; replies 1 if they were set, 0 otherwise.
pub fn msetnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  check_pairs(argv, "msetnx")?;
  for (key, _) in Args::new(argv, 1).pairs() {
    if ctx.lookup_write(key).0.is_some() {
      ctx.out.int(0);
      return Ok(());
    }
  }
  set_pairs(ctx, argv);
  ctx.out.int(1);
  Ok(())
}

/// The arity error for an incomplete last pair.
fn check_pairs(argv: &[&[u8]], command: &str) -> CmdResult {
  if argv.len().is_multiple_of(2) {
    return Err(arity_error(command));
  }
  Ok(())
}

/// Stores every key/value pair of `argv[1..]` in order (a repeated key keeps its last value,
/// and is reported once per pair).
fn set_pairs(ctx: &mut Ctx, argv: &[&[u8]]) {
  let now = ctx.now_ms;
  for (key, value) in Args::new(argv, 1).pairs() {
    let value = Value::string(value);
    let db = ctx.db();
    // An expired key is deleted first, as Redis's write lookup does, so that its expiry is
    // reported and this write creates the key anew.
    match db.live_position(key, now) {
      Some(pos) => db.replace_at(pos, value, false, now),
      None => db.set(key, value, false, now),
    };
    ctx.changed(notify::STRING, "set", key);
  }
}
