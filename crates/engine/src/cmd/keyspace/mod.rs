//! Generic keyspace commands: the ones that work on keys whatever their type.
//!
//! One file per family: `delete` (DEL, UNLINK), `dump` (DUMP, RESTORE), `exists` (EXISTS, TYPE, TOUCH), `expire` (the
//! EXPIRE and TTL families, PERSIST), `migrate` (MIGRATE), `rename` (RENAME, RENAMENX, COPY, MOVE), `scan` (KEYS,
//! SCAN, RANDOMKEY), `object` (OBJECT's subcommands) and `databases` (DBSIZE, FLUSHDB,
//! FLUSHALL, SWAPDB). Expired keys behave as absent everywhere: lookups go through
//! `Db::lookup`/`Db::live_position`, which reclaim them on the way, and the walks over the whole
//! keyspace skip them. This module holds the lookup and argument helpers they share.

mod databases;
mod delete;
mod dump;
mod exists;
mod expire;
mod migrate;
mod object;
mod rename;
mod scan;

pub use databases::*;
pub use delete::*;
pub use dump::*;
pub use exists::*;
pub use expire::*;
pub use migrate::*;
pub use object::*;
pub use rename::*;
pub use scan::*;

use super::{int_arg, Ctx};
use crate::db::Entry;
use crate::error::Error;

/// Looks a key up for reading, counting a keyspace hit or miss and sending `keymiss` like
/// [`Ctx::lookup_read`], but refreshes the access time only when `touch` is set: EXISTS, TYPE
/// and TTL read a key without counting as an access (Redis's `LOOKUP_NOTOUCH`).
fn lookup_counted<'a>(ctx: &'a mut Ctx, key: &[u8], touch: bool) -> Option<&'a mut Entry> {
  ctx.notify_if_missing(key);
  let pos = read_position(ctx, key, touch)?;
  Some(ctx.db().entry_at_mut(pos))
}

/// Like [`lookup_counted`] without `keymiss` (OBJECT's lookups), returning the entry.
fn lookup_quiet<'a>(ctx: &'a mut Ctx, key: &[u8]) -> Option<&'a mut Entry> {
  let pos = read_position(ctx, key, false)?;
  Some(ctx.db().entry_at_mut(pos))
}

/// The position of a live key, counting a keyspace hit or miss (no `keymiss` event).
fn read_position(ctx: &mut Ctx, key: &[u8], touch: bool) -> Option<usize> {
  let server = &mut *ctx.server;
  let db = &mut server.keyspace.dbs[ctx.session.db];
  let pos = db.live_position(key, ctx.now_ms);
  match pos {
    Some(pos) => {
      server.telemetry.stats.keyspace_hits += 1;
      if touch {
        db.touch_at(pos, ctx.now_ms);
      }
    }
    None => server.telemetry.stats.keyspace_misses += 1,
  }
  pos
}

/// Position of a live key looked up for writing: like Redis's write lookups it refreshes the
/// access time and counts no hit or miss.
fn write_position(ctx: &mut Ctx, key: &[u8]) -> Option<usize> {
  let now = ctx.now_ms;
  let db = ctx.db();
  let pos = db.live_position(key, now)?;
  db.touch_at(pos, now);
  Some(pos)
}

/// Parses an argument that must fit a C `int`, as Redis's `getIntFromObjectOrReply`: when
/// `invalid` is given it is the error for both a non-integer and an out-of-range value;
/// otherwise those get Redis's generic texts.
fn int32_arg(arg: &[u8], invalid: Option<&'static str>) -> Result<i32, Error> {
  let value = int_arg(arg).map_err(|e| invalid.map_or(e, Error::err))?;
  i32::try_from(value).map_err(|_| match invalid {
    Some(text) => Error::err(text),
    None => Error::err(format!("value is out of range, value must between {} and {}", i32::MIN, i32::MAX)),
  })
}

/// A database number as MOVE and COPY take it: an `int`, then a valid index.
fn db_index_arg(ctx: &Ctx, arg: &[u8]) -> Result<usize, Error> {
  db_index(ctx, int32_arg(arg, None)?)
}

/// Checks that `index` names one of the configured databases.
fn db_index(ctx: &Ctx, index: i32) -> Result<usize, Error> {
  usize::try_from(index)
    .ok()
    .filter(|&index| index < ctx.server.keyspace.dbs.len())
    .ok_or(Error::err("DB index is out of range"))
}
