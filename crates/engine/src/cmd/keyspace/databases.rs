//! DBSIZE, FLUSHDB, FLUSHALL and SWAPDB: whole databases.
//!
//! Redis files these under its "server" group; they live here because they operate on the
//! keyspace. DBSIZE counts keys whose time to live passed but which were not reclaimed yet, as
//! Redis does. FLUSHDB and FLUSHALL accept ASYNC and SYNC: ASYNC (or no mode under
//! `lazyfree-lazy-user-flush`) hands the keys to the `lazyfree` thread.
//!
//! None of them sends a keyspace event. They change keys without naming them, so they break
//! WATCHes through [`Watches::touch_flushed`] and [`Watches::touch_swapped`] rather than per
//! key. A flush counts one change per key removed and is propagated even when there was
//! nothing to remove: what a replica or an AOF replays must not depend on what the database
//! held. SWAPDB counts one change. Under `save` rules FLUSHALL also saves the now empty
//! dataset, as Redis does.
//!
//! [`Watches::touch_flushed`]: crate::cmd::transaction::Watches::touch_flushed
//! [`Watches::touch_swapped`]: crate::cmd::transaction::Watches::touch_swapped

use super::{db_index, int32_arg};
use crate::cmd::server::persistence;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};

/// DBSIZE: the number of keys in the selected database.
pub fn dbsize(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let len = ctx.db().len();
  ctx.out.int(len as i64);
  Ok(())
}

/// FLUSHDB/FLUSHALL's single optional argument: whether the keys are freed on the `lazyfree`
/// thread.
fn flush_mode(ctx: &Ctx, argv: &[&[u8]]) -> Result<bool, Error> {
  match argv {
    [_] => Ok(ctx.server.config.lazyfree_lazy_user_flush),
    [_, mode] if is(mode, "SYNC") => Ok(false),
    [_, mode] if is(mode, "ASYNC") => Ok(true),
    _ => Err(Error::Syntax),
  }
}

/// Empties database `db`, freeing its keys now or on the `lazyfree` thread; returns how many.
fn empty(ctx: &mut Ctx, db: usize, lazy: bool) -> usize {
  let server = &mut *ctx.server;
  let removed = server.keyspace.dbs[db].len();
  if lazy {
    let entries = server.keyspace.dbs[db].take_all();
    server.lazyfree.free_database(entries);
  } else {
    server.keyspace.dbs[db].clear();
  }
  removed
}

/// FLUSHDB [ASYNC | SYNC]: deletes every key of the selected database.
pub fn flushdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let lazy = flush_mode(ctx, argv)?;
  let (server, db) = (&mut *ctx.server, ctx.session.db);
  server.keyspace.watches.touch_flushed(&server.keyspace.dbs, db, ctx.now_ms);
  ctx.flushed();
  let removed = empty(ctx, db, lazy);
  ctx.dirty(removed as u64);
  ctx.force_propagation();
  ctx.out.ok();
  Ok(())
}

/// FLUSHALL [ASYNC | SYNC]: deletes every key of every database.
pub fn flushall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let lazy = flush_mode(ctx, argv)?;
  let server = &mut *ctx.server;
  for db in 0..server.keyspace.dbs.len() {
    server.keyspace.watches.touch_flushed(&server.keyspace.dbs, db, ctx.now_ms);
  }
  ctx.flushed();
  let removed: usize = (0..ctx.server.keyspace.dbs.len()).map(|db| empty(ctx, db, lazy)).sum();
  ctx.dirty(removed as u64);
  // A background save under way would bring the flushed keys back when it ends: it stops
  // (Redis's `flushAllDataAndResetRDB`), and its changes stay unsaved. Under `save` rules the
  // empty dataset is saved at once, so that a restart cannot bring them back from the old file
  // either. A failed save is logged; FLUSHALL still succeeds.
  persistence::stop_background_save(ctx.server);
  if !ctx.server.config.save_rules.is_empty() {
    let _ = persistence::save_rdb(ctx.server, ctx.now_ms);
  }
  ctx.force_propagation();
  ctx.out.ok();
  Ok(())
}

/// SWAPDB index1 index2: exchanges two databases' contents; sessions keep their selected
/// index, so they see the other data at once. Blocked clients keep waiting on their database
/// number too, and are served if the keys they wait on exist after the swap.
pub fn swapdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let first = int32_arg(argv[1], Some("invalid first DB index"))?;
  let second = int32_arg(argv[2], Some("invalid second DB index"))?;
  let (first, second) = (db_index(ctx, first)?, db_index(ctx, second)?);
  // Swapping a database with itself changes nothing, yet is still one change, as in Redis.
  if first != second {
    let server = &mut *ctx.server;
    server.keyspace.watches.touch_swapped(&server.keyspace.dbs, first, second, ctx.now_ms);
    let (low, high) = (first.min(second), first.max(second));
    let (head, tail) = server.keyspace.dbs.split_at_mut(high);
    head[low].swap_contents(&mut tail[0]);
  }
  ctx.dirty(1);
  ctx.out.ok();
  Ok(())
}
