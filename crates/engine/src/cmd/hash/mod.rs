//! Hash commands: writing fields (HSET, HMSET, HSETNX, HDEL), reading them (HGET, HMGET,
//! HEXISTS, HSTRLEN, HLEN, HGETALL, HKEYS, HVALS), counters (HINCRBY, HINCRBYFLOAT), random
//! fields (HRANDFIELD) and HSCAN. The data structure and its two encodings live in
//! `types/hash.rs`; this module holds the lookups the commands share.
//!
//! Writes go through [`update_hash`] (HDEL aside, which works on an existing hash only), which
//! gives Redis's key semantics: a missing key is an empty hash that is stored only if the
//! command leaves something in it, a hash emptied by a command is deleted at once, and a
//! modified hash keeps its time to live. Each command then reports what it changed (see
//! `signal.rs`) once it knows it succeeded.

mod counter;
mod random;
mod read;
mod scan;
mod write;

pub use counter::*;
pub use random::*;
pub use read::*;
pub use scan::*;
pub use write::*;

use crate::bytes::SmallBytes;
use crate::cmd::Ctx;
use crate::error::Error;
use crate::rand::Rng;
use crate::resp::Reply;
use crate::types::hash::{Hash, Limits};
use crate::value::Value;

/// The hash held by `value`; WRONGTYPE for other types.
fn as_hash(value: &Value) -> Result<&Hash, Error> {
  match value {
    Value::Hash(hash) => Ok(hash),
    _ => Err(Error::WrongType),
  }
}

/// The hash at `key` for reading (a keyspace hit or miss), or `None`, with the output.
fn read_hash<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Result<(Option<&'a Hash>, &'a mut Reply), Error> {
  let (entry, out) = ctx.lookup_read(key);
  let hash = entry.map(|entry| as_hash(&entry.value)).transpose()?;
  Ok((hash, out))
}

/// Like [`read_hash`], with the engine's random generator borrowed alongside.
fn read_hash_with_rng<'a>(
  ctx: &'a mut Ctx,
  key: &[u8],
) -> Result<(Option<&'a Hash>, &'a mut Rng, &'a mut Reply), Error> {
  ctx.notify_if_missing(key);
  let server = &mut *ctx.server;
  let entry = server.keyspace.dbs[ctx.session.db].lookup(key, ctx.now_ms, !ctx.session.no_touch);
  match entry {
    Some(_) => server.telemetry.stats.keyspace_hits += 1,
    None => server.telemetry.stats.keyspace_misses += 1,
  }
  let hash = entry.map(|entry| as_hash(&entry.value)).transpose()?;
  Ok((hash, &mut server.rng, &mut *ctx.out))
}

/// Runs `change` on the hash at `key` with the configured listpack limits. A missing key is
/// an empty hash, stored afterwards only if `change` succeeded and left fields in it; an
/// existing hash left empty is deleted. `change` must validate before it modifies anything.
/// WRONGTYPE for a key of another type.
fn update_hash<T>(
  ctx: &mut Ctx,
  key: &[u8],
  change: impl FnOnce(&mut Hash, Limits) -> Result<T, Error>,
) -> Result<T, Error> {
  let config = &ctx.server.config;
  let limits = Limits::new(config.hash_max_listpack_entries, config.hash_max_listpack_value);
  let now = ctx.now_ms;
  match ctx.lookup_write(key).0 {
    Some(entry) => {
      let Value::Hash(hash) = &mut entry.value else {
        return Err(Error::WrongType);
      };
      let result = change(hash, limits);
      if hash.is_empty() {
        ctx.db().remove(key);
      }
      result
    }
    None => {
      let mut hash = Hash::default();
      let result = change(&mut hash, limits)?;
      if !hash.is_empty() {
        ctx.db().insert_new_key(SmallBytes::new(key), Value::Hash(Box::new(hash)), now);
      }
      Ok(result)
    }
  }
}
