//! Stream commands. One file per family: `add` (XADD), `trim` (XTRIM,
//! and the MAXLEN/MINID/LIMIT options XADD shares), `range` (XRANGE, XREVRANGE, XLEN),
//! `delete` (XDEL), `setid` (XSETID), `read` (XREAD, blocking included), `group` (XGROUP), `readgroup`
//! (XREADGROUP, XACK), `pending` (XPENDING), `claim`
//! (XCLAIM, XAUTOCLAIM) and
//! `info` (XINFO). The data structure lives in `types/stream`, consumer groups in its `group`.
//!
//! A missing key reads as an empty stream (XRANGE, XREAD) or gets each command's own answer
//! (0, a null, "no such key"); a key of another type is WRONGTYPE. Unlike the other collections,
//! a stream key stays when its last entry goes: its IDs and counters must survive.
//!
//! Each command reports its changes as Redis 7.0's handlers do (see `crate::signal`): `xadd`
//! (then `xtrim` if its options trimmed), `xtrim`, `xdel` and `xsetid` events; XADD also makes
//! the key ready for XREAD's waiters. Each file says what it propagates.
//!
//! This module holds what they share: finding a key's stream, reading ID arguments with Redis's
//! error, and writing entries.

mod add;
mod claim;
mod delete;
mod group;
mod info;
mod pending;
mod range;
mod read;
mod readgroup;
mod setid;
mod trim;

pub use add::*;
pub use claim::*;
pub use delete::*;
pub use group::*;
pub use info::*;
pub use pending::*;
pub use range::*;
pub use read::*;
pub use readgroup::*;
pub use setid::*;
pub use trim::*;

use crate::cmd::Ctx;
use crate::db::Entry as DbEntry;
use crate::error::Error;
use crate::resp::Reply;
use crate::types::stream::id::{self, IdSyntax, ParsedId};
use crate::types::stream::{Entries, NodeLimits, Stream, StreamId};
use crate::value::Value;

/// The stream in `entry`; WRONGTYPE for other types.
fn as_stream(entry: Option<&mut DbEntry>) -> Result<Option<&mut Stream>, Error> {
  match entry {
    None => Ok(None),
    Some(entry) => match &mut entry.value {
      Value::Stream(stream) => Ok(Some(stream)),
      _ => Err(Error::WrongType),
    },
  }
}

/// Redis's error for an ID argument it cannot read.
fn invalid_id() -> Error {
  Error::err("Invalid stream ID specified as stream command argument")
}

/// Reads an ID argument; see [`id::parse`].
fn parse_id(arg: &[u8], syntax: IdSyntax) -> Result<ParsedId, Error> {
  id::parse(arg, syntax).ok_or_else(invalid_id)
}

/// Reads an ID that names an entry: no `-`/`+`, no `*`, a missing sequence is 0.
fn strict_id(arg: &[u8]) -> Result<StreamId, Error> {
  match parse_id(arg, IdSyntax::STRICT)? {
    ParsedId::Id(id) => Ok(id),
    ParsedId::AutoSeq(_) => Err(invalid_id()),
  }
}

/// The configured node limits.
fn node_limits(ctx: &Ctx) -> NodeLimits {
  let config = &ctx.server.config;
  NodeLimits {
    max_bytes: u64::try_from(config.stream_node_max_bytes).unwrap_or(0),
    max_entries: u64::try_from(config.stream_node_max_entries).unwrap_or(0),
  }
}

/// Writes one entry: `[id, [field, value, …]]`.
fn write_entry(out: &mut Reply, entry: &crate::types::stream::Entry) {
  out.array(2);
  out.bulk(&entry.id.text());
  out.array(entry.len() * 2);
  for (field, value) in entry.pairs() {
    out.bulk(&field);
    out.bulk(&value);
  }
}

/// Writes at most `count` entries (all of them when 0) as an array; returns how many.
fn write_entries(out: &mut Reply, entries: Entries, count: usize) -> usize {
  let header = out.deferred();
  let mut written = 0;
  for entry in entries {
    write_entry(out, &entry);
    written += 1;
    if written == count {
      break;
    }
  }
  out.fill(header, b'*', written);
  written
}
