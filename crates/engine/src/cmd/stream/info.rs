//! XINFO STREAM key [FULL [COUNT count]], XINFO GROUPS key, XINFO CONSUMERS key group and XINFO
//! HELP.
//!
//! Every subcommand but HELP looks the key up first: a missing key is "no such key", another
//! type WRONGTYPE. XINFO GROUPS lists each group's name, consumer and pending counts, last
//! delivered ID, read counter (null when unknown) and lag (null when the stream cannot tell);
//! XINFO CONSUMERS (NOGROUP for an unknown group) each consumer's name, pending count and idle
//! time in milliseconds since it was last seen.
//!
//! XINFO STREAM looks the key up first ("no such key", WRONGTYPE), then reads its options, as
//! Redis does. It replies with a map: the stream's length, its node and radix-tree node counts,
//! its last generated ID, greatest deleted ID, entries-added counter and recorded first ID, then
//! either the number of groups and the first and last entries (null when empty), or, with FULL,
//! the first `count` entries (10 by default, all for 0) and every group in detail: its last
//! delivered ID, read counter and lag, its pending entries and its consumers with theirs (each
//! list cut at `count` too).

use super::group::no_group;
use super::{as_stream, write_entries, write_entry};
use crate::cmd::server::subcommand_error;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::types::stream::{Group, Stream, StreamId};

/// XINFO HELP: the usage lines, identical to Redis's.
pub fn xinfo_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  const LINES: &[&str] = &[
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
  ];
  ctx.out.array(LINES.len());
  for line in LINES {
    ctx.out.simple(line.as_bytes());
  }
  Ok(())
}

/// XINFO STREAM key [FULL [COUNT count]]
pub fn xinfo_stream(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[2]);
  let stream = as_stream(entry)?.ok_or(Error::NoSuchKey)?;
  let options = &argv[3..];
  let full = match options.len() {
    0 => None,
    1 | 3 if !is(options[0], "full") => return Err(subcommand_error(argv)),
    1 => Some(10),
    3 if !is(options[1], "count") => return Err(subcommand_error(argv)),
    3 => Some(match int_arg(options[2])? {
      count if count < 0 => 10,
      count => count as usize,
    }),
    _ => return Err(subcommand_error(argv)),
  };
  out.map(if full.is_some() { 9 } else { 10 });
  out.bulk(b"length");
  out.int(stream.len() as i64);
  out.bulk(b"radix-tree-keys");
  out.int(stream.node_count() as i64);
  out.bulk(b"radix-tree-nodes");
  out.int(stream.radix_tree_nodes() as i64);
  out.bulk(b"last-generated-id");
  out.bulk(&stream.last_id.text());
  out.bulk(b"max-deleted-entry-id");
  out.bulk(&stream.max_deleted_id.text());
  out.bulk(b"entries-added");
  out.int(stream.entries_added as i64);
  out.bulk(b"recorded-first-entry-id");
  out.bulk(&stream.first_id().text());
  let Some(count) = full else {
    out.bulk(b"groups");
    out.int(stream.groups.len() as i64);
    out.bulk(b"first-entry");
    match stream.range(StreamId::MIN, StreamId::MAX).next() {
      Some(entry) => write_entry(out, &entry),
      None => out.null(),
    }
    out.bulk(b"last-entry");
    match stream.range_rev(StreamId::MIN, StreamId::MAX).next() {
      Some(entry) => write_entry(out, &entry),
      None => out.null(),
    }
    return Ok(());
  };
  out.bulk(b"entries");
  write_entries(out, stream.range(StreamId::MIN, StreamId::MAX), count);
  out.bulk(b"groups");
  out.array(stream.groups.len());
  for (name, group) in &stream.groups {
    write_group(out, stream, name, group, count);
  }
  Ok(())
}

/// XINFO GROUPS key
pub fn xinfo_groups(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[2]);
  let stream = as_stream(entry)?.ok_or(Error::NoSuchKey)?;
  out.array(stream.groups.len());
  for (name, group) in &stream.groups {
    out.map(6);
    out.bulk(b"name");
    out.bulk(name);
    out.bulk(b"consumers");
    out.int(group.consumers.len() as i64);
    out.bulk(b"pending");
    out.int(group.pel.len() as i64);
    out.bulk(b"last-delivered-id");
    out.bulk(&group.last_id.text());
    write_read_counters(out, stream, group);
  }
  Ok(())
}

/// XINFO CONSUMERS key group
pub fn xinfo_consumers(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name) = (argv[2], argv[3]);
  let now = ctx.now_ms;
  let (entry, out) = ctx.lookup_read(key);
  let stream = as_stream(entry)?.ok_or(Error::NoSuchKey)?;
  let group = stream.groups.get(name).ok_or_else(|| no_group(key, name))?;
  out.array(group.consumers.len());
  for (name, consumer) in &group.consumers {
    out.map(3);
    out.bulk(b"name");
    out.bulk(name);
    out.bulk(b"pending");
    out.int(consumer.pending.len() as i64);
    out.bulk(b"idle");
    out.int(now.saturating_sub(consumer.seen_time).max(0));
  }
  Ok(())
}

/// A group's `entries-read` (null when unknown) and `lag` (null when the stream cannot tell).
fn write_read_counters(out: &mut Reply, stream: &Stream, group: &Group) {
  out.bulk(b"entries-read");
  match group.entries_read {
    Some(read) => out.int(read),
    None => out.null(),
  }
  out.bulk(b"lag");
  match lag(stream, group) {
    Some(lag) => out.int(lag),
    None => out.null(),
  }
}

/// One group of XINFO STREAM FULL, its lists cut at `count` entries (0: all).
fn write_group(out: &mut Reply, stream: &Stream, name: &[u8], group: &Group, count: usize) {
  let cut = |len: usize| if count == 0 { len } else { len.min(count) };
  out.map(7);
  out.bulk(b"name");
  out.bulk(name);
  out.bulk(b"last-delivered-id");
  out.bulk(&group.last_id.text());
  write_read_counters(out, stream, group);
  out.bulk(b"pel-count");
  out.int(group.pel.len() as i64);
  out.bulk(b"pending");
  out.array(cut(group.pel.len()));
  for (id, pending) in group.pel.iter().take(cut(group.pel.len())) {
    out.array(4);
    out.bulk(&id.text());
    out.bulk(&pending.consumer);
    out.int(pending.delivery_time);
    out.int(pending.delivery_count as i64);
  }
  out.bulk(b"consumers");
  out.array(group.consumers.len());
  for (name, consumer) in &group.consumers {
    out.map(4);
    out.bulk(b"name");
    out.bulk(name);
    out.bulk(b"seen-time");
    out.int(consumer.seen_time);
    out.bulk(b"pel-count");
    out.int(consumer.pending.len() as i64);
    out.bulk(b"pending");
    out.array(cut(consumer.pending.len()));
    for id in consumer.pending.iter().take(cut(consumer.pending.len())) {
      let (time, deliveries) = group.pel.get(id).map_or((0, 0), |p| (p.delivery_time, p.delivery_count));
      out.array(3);
      out.bulk(&id.text());
      out.int(time);
      out.int(deliveries as i64);
    }
  }
}

/// How many entries the group has yet to read (Redis's `streamReplyWithCGLag`); `None` when the
/// stream's bookkeeping cannot tell.
pub(crate) fn lag(stream: &Stream, group: &Group) -> Option<i64> {
  let added = stream.entries_added as i64;
  if stream.entries_added == 0 {
    return Some(0);
  }
  if let Some(read) = group.entries_read {
    if !stream.range_has_tombstones(group.last_id, StreamId::MAX) {
      return Some(added.wrapping_sub(read));
    }
  }
  stream.estimate_entries_read(group.last_id).map(|read| added.wrapping_sub(read))
}
