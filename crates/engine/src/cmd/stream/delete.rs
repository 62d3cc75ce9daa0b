//! XDEL key id [id ...]: deletes entries by ID and replies with how many existed.
//!
//! Redis looks the key up before it reads the IDs: a missing (or expired) key is 0 whatever the
//! IDs, a key of another type WRONGTYPE; then every ID is checked before anything is deleted.
//! Deleting only marks entries (see `types/stream`); the stream records the greatest ID deleted
//! and moves its recorded first ID on, and the key stays even when the stream is left empty.
//! When something was deleted: the key modified, `xdel`, one change per entry.

use super::{as_stream, strict_id};
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::CmdResult;
use crate::types::stream::StreamId;

pub fn xdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let (entry, out) = ctx.lookup_write(key);
  if as_stream(entry)?.is_none() {
    out.int(0);
    return Ok(());
  }
  let ids = argv[2..].iter().map(|arg| strict_id(arg)).collect::<Result<Vec<StreamId>, _>>()?;
  let (entry, _) = ctx.lookup_write(key);
  let deleted = as_stream(entry)?.map_or(0, |stream| stream.delete(ids));
  if deleted > 0 {
    ctx.modified(key);
    ctx.notify(notify::STREAM, "xdel", key);
    ctx.dirty(deleted);
  }
  ctx.out.int(deleted as i64);
  Ok(())
}
