//! XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]: sets a
//! stream's bookkeeping, as replication and AOF rewriting need to.
//!
//! Everything is checked before the key is looked up except what depends on the stream: a
//! non-empty stream refuses a last ID below its last entry and an entries-added count below
//! its length. The missing key is "no such key". Redis 7.0 reports `xsetid` and one change, but
//! does not mark the key modified (a WATCH on it survives).

use super::{as_stream, strict_id};
use crate::cmd::args::Args;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::{CmdResult, Error};

pub fn xsetid(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let id = strict_id(argv[2])?;
  let mut entries_added = None;
  let mut max_deleted = None;
  let mut args = Args::new(argv, 3);
  while !args.is_empty() {
    if args.remaining() >= 2 && args.keyword("ENTRIESADDED") {
      let added = args.int()?;
      if added < 0 {
        return Err(Error::err("entries_added must be positive"));
      }
      entries_added = Some(added as u64);
    } else if args.remaining() >= 2 && args.keyword("MAXDELETEDID") {
      let deleted = strict_id(args.value()?)?;
      if id < deleted {
        return Err(Error::err("The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
      }
      max_deleted = Some(deleted);
    } else {
      return Err(Error::Syntax);
    }
  }
  let (entry, out) = ctx.lookup_write(key);
  let stream = as_stream(entry)?.ok_or(Error::NoSuchKey)?;
  if !stream.is_empty() {
    if stream.last_live_id().is_some_and(|last| id < last) {
      return Err(Error::err("The ID specified in XSETID is smaller than the target stream top item"));
    }
    if entries_added.is_some_and(|added| stream.len() > added) {
      return Err(Error::err("The entries_added specified in XSETID is smaller than the target stream length"));
    }
  }
  stream.last_id = id;
  if let Some(added) = entries_added {
    stream.entries_added = added;
  }
  if let Some(deleted) = max_deleted.filter(|deleted| !deleted.is_zero()) {
    stream.max_deleted_id = deleted;
  }
  out.ok();
  ctx.dirty(1);
  ctx.notify(notify::STREAM, "xsetid", key);
  Ok(())
}
