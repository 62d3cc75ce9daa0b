//! RENAME, RENAMENX, COPY and MOVE: giving a value another key, in this database or another.
//!
//! The value keeps its expiry time wherever it goes. Lookups follow Redis's order, which is
//! observable through lazy expiry and statistics: the source first (its absence decides the
//! reply), then the destination. A renamed or moved key is removed and added again, so it gets
//! a new position in the keyspace (a SCAN in progress treats it as a new key).
//!
//! Each command that did something is one change, propagated as called. Its events come in
//! Redis's order: the reclaiming of an expired destination (`expired`) before the key's
//! creation (`new`), both before the command's own events. Keys replaced at the destination
//! get no `del` event: RENAME reports `rename_from` and `rename_to`, MOVE `move_from` in this
//! database and `move_to` in the other, COPY `copy_to` in the destination database.

use super::{db_index_arg, write_position};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::db::{Db, NO_EXPIRE};
use crate::error::{CmdResult, Error};
use crate::value::Value;

fn same_objects() -> Error {
  Error::err("source and destination objects are the same")
}

/// RENAME key newkey: replaces any value at `newkey`. Errors if `key` does not exist.
pub fn rename(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if rename_key(ctx, argv[1], argv[2], false)? {
    ctx.out.ok();
  }
  Ok(())
}

/// RENAMENX key newkey: 1 if renamed, 0 if `newkey` exists. Errors if `key` does not exist.
pub fn renamenx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let renamed = rename_key(ctx, argv[1], argv[2], true)?;
  ctx.out.int(renamed as i64);
  Ok(())
}

/// Renames `src` to `dst` unless `only_new` and `dst` exists; returns whether it did. Renaming
/// a key to itself changes nothing and counts as done for RENAME, not for RENAMENX.
fn rename_key(ctx: &mut Ctx, src: &[u8], dst: &[u8], only_new: bool) -> Result<bool, Error> {
  if write_position(ctx, src).is_none() {
    return Err(Error::NoSuchKey);
  }
  if src == dst {
    return Ok(!only_new);
  }
  // Looking up the destination may reclaim it if expired, which moves other entries: the
  // source is found again afterwards.
  if let Some(pos) = write_position(ctx, dst) {
    if only_new {
      return Ok(false);
    }
    ctx.db().remove_at(pos);
  }
  // A destination that expiry reclaimed just now is reported before the key is created again.
  ctx.settle_logged();
  let now = ctx.now_ms;
  let db = ctx.db();
  if let Some(pos) = db.position(src) {
    let (value, expire_at, access) = take(db, pos);
    let pos = add_key(db, dst, value, expire_at, now);
    // Redis moves the object, its LRU clock or LFU counter with it.
    db.entry_at_mut(pos).access = access;
  }
  ctx.modified(src);
  ctx.modified(dst);
  ctx.notify(notify::GENERIC, "rename_from", src);
  ctx.notify(notify::GENERIC, "rename_to", dst);
  ctx.dirty(1);
  Ok(true)
}

/// Removes the entry at `pos`, returning its value, expiry time and access bits.
fn take(db: &mut Db, pos: usize) -> (Value, i64, u32) {
  let expire_at = db.expire_at(pos);
  let entry = db.remove_at(pos);
  (entry.value, expire_at, entry.access)
}

/// Adds `key`, known to be absent, with `value` and expiry time `expire_at`; returns its
/// position.
fn add_key(db: &mut Db, key: &[u8], value: Value, expire_at: i64, now_ms: i64) -> usize {
  let pos = db.insert_new_key(SmallBytes::new(key), value, now_ms);
  if expire_at != NO_EXPIRE {
    db.set_expire_at(pos, expire_at);
  }
  pos
}

/// COPY source destination [DB destination-db] \[REPLACE\]: 1 if copied; 0 if the source is
/// missing or the destination exists (without REPLACE).
pub fn copy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (src, dst) = (argv[1], argv[2]);
  let src_db = ctx.session.db;
  let mut dst_db = src_db;
  let mut replace = false;
  let mut args = Args::new(argv, 3);
  while let Some(option) = args.next() {
    if is(option, "REPLACE") {
      replace = true;
    } else if is(option, "DB") {
      dst_db = db_index_arg(ctx, args.value()?)?;
    } else {
      return Err(Error::Syntax);
    }
  }
  if src_db == dst_db && src == dst {
    return Err(same_objects());
  }

  let (entry, out) = ctx.lookup_read(src);
  let Some(entry) = entry else {
    out.int(0);
    return Ok(());
  };
  let value = entry.value.clone();
  let expire_at = ctx.db().position(src).map_or(NO_EXPIRE, |pos| ctx.db().expire_at(pos));
  let now = ctx.now_ms;
  let target = &mut ctx.server.keyspace.dbs[dst_db];
  if target.lookup(dst, now, true).is_some() {
    if !replace {
      ctx.out.int(0);
      return Ok(());
    }
    target.remove(dst);
  }
  ctx.settle_logged_in(dst_db);
  add_key(&mut ctx.server.keyspace.dbs[dst_db], dst, value, expire_at, now);
  ctx.modified_in(dst_db, dst);
  ctx.settle_logged_in(dst_db);
  ctx.notify_in(dst_db, notify::GENERIC, "copy_to", dst);
  ctx.dirty(1);
  ctx.out.int(1);
  Ok(())
}

/// MOVE key db: 1 if moved; 0 if the key is missing here or already exists there.
pub fn move_key(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let src_db = ctx.session.db;
  let dst_db = db_index_arg(ctx, argv[2])?;
  if dst_db == src_db {
    return Err(same_objects());
  }
  let Some(pos) = write_position(ctx, key) else {
    ctx.out.int(0);
    return Ok(());
  };
  let now = ctx.now_ms;
  if ctx.server.keyspace.dbs[dst_db].lookup(key, now, true).is_some() {
    ctx.out.int(0);
    return Ok(());
  }
  let (value, expire_at, access) = take(&mut ctx.server.keyspace.dbs[src_db], pos);
  ctx.settle_logged_in(dst_db);
  let target = &mut ctx.server.keyspace.dbs[dst_db];
  let pos = add_key(target, key, value, expire_at, now);
  target.entry_at_mut(pos).access = access;
  ctx.modified_in(src_db, key);
  ctx.modified_in(dst_db, key);
  ctx.settle_logged_in(dst_db);
  ctx.notify(notify::GENERIC, "move_from", key);
  ctx.notify_in(dst_db, notify::GENERIC, "move_to", key);
  ctx.dirty(1);
  ctx.out.int(1);
  Ok(())
}
