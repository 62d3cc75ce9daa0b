//! DBSIZE, FLUSHDB, FLUSHALL and SWAPDB: whole databases.
//!
//! Redis files these under its "server" group; they live here because they operate on the
//! keyspace. DBSIZE counts keys whose time to live passed but which were not reclaimed yet, as
//! Redis does. FLUSHDB and FLUSHALL accept ASYNC and SYNC; both free memory at once.

use super::{db_index, int32_arg};
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};

/// DBSIZE: the number of keys in the selected database.
pub fn dbsize(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let len = ctx.db().len();
  ctx.out.int(len as i64);
  Ok(())
}

/// Checks FLUSHDB/FLUSHALL's single optional argument.
fn flush_mode(argv: &[&[u8]]) -> CmdResult {
  match argv {
    [_] => Ok(()),
    [_, mode] if is(mode, "SYNC") || is(mode, "ASYNC") => Ok(()),
    _ => Err(Error::Syntax),
  }
}

/// FLUSHDB [ASYNC | SYNC]: deletes every key of the selected database.
pub fn flushdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  flush_mode(argv)?;
  let (engine, db) = (&mut *ctx.engine, ctx.session.db);
  engine.watches.touch_flushed(&engine.dbs, db, ctx.now_ms);
  ctx.db().clear();
  ctx.out.ok();
  Ok(())
}

/// FLUSHALL [ASYNC | SYNC]: deletes every key of every database.
pub fn flushall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  flush_mode(argv)?;
  let engine = &mut *ctx.engine;
  for db in 0..engine.dbs.len() {
    engine.watches.touch_flushed(&engine.dbs, db, ctx.now_ms);
  }
  for db in &mut ctx.engine.dbs {
    db.clear();
  }
  ctx.out.ok();
  Ok(())
}

/// SWAPDB index1 index2: exchanges two databases' contents; sessions keep their selected
/// index, so they see the other data at once.
pub fn swapdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let first = int32_arg(argv[1], Some("invalid first DB index"))?;
  let second = int32_arg(argv[2], Some("invalid second DB index"))?;
  let (first, second) = (db_index(ctx, first)?, db_index(ctx, second)?);
  let engine = &mut *ctx.engine;
  engine.watches.touch_swapped(&engine.dbs, first, second, ctx.now_ms);
  engine.dbs.swap(first, second);
  ctx.out.ok();
  Ok(())
}
