//! Set commands: membership (SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMOVE), random
//! members (SPOP, SRANDMEMBER), set algebra (SMEMBERS, SINTER, SINTERCARD, SUNION, SDIFF
//! and their STORE forms) and SSCAN. The data structure and its two encodings live in
//! `types/set.rs`; this module holds the lookups and reply helpers the commands share.

mod algebra;
mod members;
mod random;
mod scan;

pub use algebra::*;
pub use members::*;
pub use random::*;
pub use scan::*;

use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::Error;
use crate::num::i64_bytes;
use crate::rand::Rng;
use crate::resp::Reply;
use crate::types::set::{intset_limit, Member, Set};
use crate::value::Value;

/// The set held by `value`; WRONGTYPE for other types.
fn as_set(value: &Value) -> Result<&Set, Error> {
  match value {
    Value::Set(set) => Ok(set),
    _ => Err(Error::WrongType),
  }
}

fn as_set_mut(value: &mut Value) -> Result<&mut Set, Error> {
  match value {
    Value::Set(set) => Ok(set),
    _ => Err(Error::WrongType),
  }
}

/// The most members an intset may hold under the current `set-max-intset-entries`.
fn max_intset(ctx: &Ctx) -> usize {
  intset_limit(ctx.server.config.set_max_intset_entries)
}

/// Writes a member as a bulk string.
fn reply_member(out: &mut Reply, member: Member) {
  match member {
    Member::Int(n) => out.bulk_i64(n),
    Member::Bytes(bytes) => out.bulk(bytes),
  }
}

/// Writes every member of `set` as a set reply (an array in RESP2), in iteration order.
fn reply_set(out: &mut Reply, set: &Set) {
  out.set(set.len());
  set.members().for_each(|member| reply_member(out, member));
}

/// The set at `key` (or `None`), the RNG and the output, borrowed together, for the commands
/// that draw random members. The lookup is a write lookup when `write`, else a read lookup
/// (a keyspace hit or miss, and an access unless CLIENT NO-TOUCH), like `Ctx::lookup_write`
/// and `Ctx::lookup_read`. WRONGTYPE for a key of another type.
fn set_with_rng<'a>(
  ctx: &'a mut Ctx,
  key: &[u8],
  write: bool,
) -> Result<(Option<&'a mut Set>, &'a mut Rng, &'a mut Reply), Error> {
  if !write {
    ctx.notify_if_missing(key);
  }
  let server = &mut *ctx.server;
  let touch = write || !ctx.session.no_touch;
  let entry = server.keyspace.dbs[ctx.session.db].lookup(key, ctx.now_ms, touch);
  if !write {
    match entry {
      Some(_) => server.telemetry.stats.keyspace_hits += 1,
      None => server.telemetry.stats.keyspace_misses += 1,
    }
  }
  let set = match entry {
    Some(entry) => Some(as_set_mut(&mut entry.value)?),
    None => None,
  };
  Ok((set, &mut server.rng, &mut *ctx.out))
}

/// The text of a member, as written to the write stream.
fn member_bytes(member: Member) -> Vec<u8> {
  match member {
    Member::Int(n) => i64_bytes(n),
    Member::Bytes(bytes) => bytes.to_vec(),
  }
}

/// Stores `result` at `destination` for the STORE commands (replacing any value and clearing
/// its time to live), or deletes `destination` when `result` is empty; replies with the size.
/// A stored result sends `event`; a deletion sends `del`, and deleting a missing key is no
/// change at all.
fn store_result(ctx: &mut Ctx, destination: &[u8], result: Set, event: &str) {
  let len = result.len();
  // The reply goes before the events, as Redis sends them.
  ctx.out.int(len as i64);
  let now = ctx.now_ms;
  let db = ctx.db();
  if len == 0 {
    if db.remove(destination).is_some() {
      ctx.changed(notify::GENERIC, "del", destination);
    }
  } else {
    db.set(destination, Value::Set(Box::new(result)), false, now);
    ctx.changed(notify::SET, event, destination);
  }
}
