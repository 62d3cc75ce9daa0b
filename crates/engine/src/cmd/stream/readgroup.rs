//! XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key
//! [key ...] id [id ...], and XACK key group id [id ...].
//!
//! XREADGROUP reads for a consumer of a group. The options are XREAD's plus GROUP (required)
//! and NOACK. Then, key by key: WRONGTYPE, NOGROUP when the key or the group is missing, and
//! the ID: `>` asks for entries never delivered to the group, `$` is refused, anything else
//! is an ID into the consumer's own history. A history read always serves: the consumer's
//! pending entries after the ID (an entry deleted since shows as its ID and a null), each
//! counted as delivered once more. A `>` read serves when the stream has an entry past the
//! group's last delivered ID: the entries after it, which advance the group (its last ID and
//! read counter) and, without NOACK, become pending for the consumer (taken from another
//! consumer if the group was moved back with SETID). The consumer is created on first use
//! (`xgroup-createconsumer`) and marked seen.
//!
//! With BLOCK, a `>` read that found nothing waits (see `read.rs`). On a re-run for a key made
//! ready, the group's last ID at that moment decides, and a served wait gets one stream with
//! COUNT or 1000 entries; a key deleted or overwritten meanwhile is `-UNBLOCKED the stream key
//! no longer exists`, a group destroyed meanwhile is NOGROUP.
//!
//! Reports, as Redis 7.0: one change per consumer created and, when served at once, one per
//! stream served (a served wait counts none of its own, as Redis serves it outside the
//! command); the command itself is not propagated but rewritten as what it did: each newly
//! pending entry as an idempotent `XCLAIM … FORCE JUSTID LASTID`, and with NOACK the new
//! consumer as `XGROUP CREATECONSUMER` and the group's position as `XGROUP SETID …
//! ENTRIESREAD`, wrapped in MULTI/EXEC when there are several.
//!
//! XACK removes the given IDs from the group's pending lists (each removal one change) and
//! replies with how many there were; a missing key or group is 0 before the IDs are read.

use super::group::error_text;
use super::read::{parse, ReadArgs, StreamsReply};
use super::{as_stream, strict_id, write_entry};
use crate::blocking::WaitEnd;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::cstr::until_nul;
use crate::error::{CmdResult, Error};
use crate::session::Caller;
use crate::types::stream::{Consumer, PendingEntry, Stream, StreamId};

/// Where a read starts: after the group's last delivered ID, or in the consumer's history.
#[derive(Clone, Copy)]
enum From {
  New,
  History(StreamId),
}

pub fn xreadgroup(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let read = parse(argv, true, ctx.session.caller() == Caller::Script)?;
  let Some((group, consumer)) = read.group else {
    return Err(Error::err("Missing GROUP option for XREADGROUP"));
  };
  if ctx.session.wait.is_some() {
    return serve_wait(ctx, &read, group, consumer);
  }
  let mut starts = Vec::with_capacity(read.keys.len());
  for (&key, &arg) in read.keys.iter().zip(read.ids) {
    let (entry, _) = ctx.lookup_read(key);
    let has_group = as_stream(entry)?.is_some_and(|stream| stream.groups.contains_key(group));
    if !has_group {
      return Err(Error::coded(format!(
        "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
        error_text(key),
        error_text(group)
      )));
    }
    starts.push(match until_nul(arg) {
      b"$" => {
        return Err(Error::err(
          "The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
        ))
      }
      b">" => From::New,
      _ => match strict_id(arg)? {
        StreamId::MAX => From::New,
        id => From::History(id),
      },
    });
  }
  let mut reply = StreamsReply::default();
  for (&key, &from) in read.keys.iter().zip(&starts) {
    let (entry, out) = ctx.lookup_read(key);
    let Some(stream) = as_stream(entry)? else { continue };
    if let From::New = from {
      let Some(last_delivered) = stream.groups.get(group).map(|group| group.last_id) else { continue };
      if stream.last_live_id().is_none_or(|last| last <= last_delivered) {
        continue;
      }
    }
    reply.stream(out, key);
    serve(ctx, key, group, consumer, from, read.count, read.noack);
    ctx.dirty(1);
  }
  ctx.prevent_propagation();
  if reply.finish(ctx.out) {
    return Ok(());
  }
  match read.block {
    Some(timeout) => ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array()),
    None => {
      ctx.out.null_array();
      Ok(())
    }
  }
}

/// A re-run of a blocked XREADGROUP: serves the key that became ready if the stream went past
/// the group's last delivered ID, fails if the stream or the group went away, or keeps waiting.
fn serve_wait(ctx: &mut Ctx, read: &ReadArgs, group: &[u8], consumer: &[u8]) -> CmdResult {
  let timeout = read.block.unwrap_or(0);
  let Some(wait) = ctx.session.wait.as_ref().filter(|wait| wait.end == WaitEnd::Waiting) else {
    return ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array());
  };
  let ready = wait.ready_key.as_deref().and_then(|ready| read.keys.iter().position(|key| *key == ready));
  let Some(at) = ready else {
    return ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array());
  };
  let key = read.keys[at];
  let count = read.served_count();
  let (entry, out) = ctx.lookup_write(key);
  let Ok(Some(stream)) = as_stream(entry) else {
    return Err(Error::coded("UNBLOCKED the stream key no longer exists"));
  };
  let Some(last_delivered) = stream.groups.get(group).map(|group| group.last_id) else {
    return Err(Error::coded("NOGROUP the consumer group this client was blocked on no longer exists"));
  };
  if stream.last_id <= last_delivered {
    return ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array());
  }
  StreamsReply::single(out, key);
  serve(ctx, key, group, consumer, From::New, count, read.noack);
  ctx.prevent_propagation();
  Ok(())
}

/// Writes the entries `consumer` of `group` reads from the stream at `key` (which exists and
/// has the group), updates the group, and reports it all but the change of the read itself,
/// which only an XREADGROUP served at once counts.
fn serve(ctx: &mut Ctx, key: &[u8], group: &[u8], consumer: &[u8], from: From, count: usize, noack: bool) {
  let now = ctx.now_ms;
  let db = ctx.session.db;
  let propagating = ctx.propagating();
  let mut writes = Vec::new();
  let (entry, out) = ctx.lookup_write(key);
  let Ok(Some(stream)) = as_stream(entry) else { return };
  let Some(state) = stream.groups.get_mut(group) else { return };
  let created = !state.consumers.contains_key(consumer);
  state.consumers.entry(consumer.into()).or_insert_with(|| Consumer::new(now)).seen_time = now;
  if created && noack && propagating {
    writes.push(vec![b"XGROUP".to_vec(), b"CREATECONSUMER".to_vec(), key.to_vec(), group.to_vec(), consumer.to_vec()]);
  }
  match from {
    From::History(after) => serve_history(out, stream, group, consumer, after, count, now),
    From::New => {
      let delivered = serve_new(out, stream, group, consumer, count, noack, now);
      if propagating {
        rewrite_new(&mut writes, stream, key, group, &delivered, noack);
      }
    }
  }
  if created {
    ctx.dirty(1);
    ctx.notify(notify::STREAM, "xgroup-createconsumer", key);
  }
  for argv in writes {
    ctx.also_propagate(db, argv);
  }
}

/// Writes the consumer's pending entries after `after` (at most `count`, all for 0), each
/// delivered once more; a pending entry deleted from the stream shows as its ID and a null.
fn serve_history(
  out: &mut crate::resp::Reply,
  stream: &mut Stream,
  group: &[u8],
  consumer: &[u8],
  after: StreamId,
  count: usize,
  now: i64,
) {
  let pending: Vec<StreamId> = match stream.groups.get(group).and_then(|g| g.consumers.get(consumer)) {
    Some(owner) => match after.successor() {
      Some(start) => owner.pending.range(start..).copied().take(if count == 0 { usize::MAX } else { count }).collect(),
      None => Vec::new(),
    },
    None => Vec::new(),
  };
  out.array(pending.len());
  let mut redelivered = Vec::with_capacity(pending.len());
  for id in pending {
    match stream.range(id, id).next() {
      Some(entry) => {
        write_entry(out, &entry);
        redelivered.push(id);
      }
      None => {
        out.array(2);
        out.bulk(&id.text());
        out.null_array();
      }
    }
  }
  if let Some(state) = stream.groups.get_mut(group) {
    for id in redelivered {
      if let Some(entry) = state.pel.get_mut(&id) {
        entry.delivery_time = now;
        entry.delivery_count += 1;
      }
    }
  }
}

/// Writes the entries after the group's last delivered ID (at most `count`, all for 0),
/// advancing the group and, without NOACK, making them pending for `consumer`. Returns their
/// IDs with the group's last ID after each.
fn serve_new(
  out: &mut crate::resp::Reply,
  stream: &mut Stream,
  group: &[u8],
  consumer: &[u8],
  count: usize,
  noack: bool,
  now: i64,
) -> Vec<(StreamId, StreamId)> {
  let Some(last_delivered) = stream.groups.get(group).map(|g| g.last_id) else { return Vec::new() };
  let start = last_delivered.successor().unwrap_or(StreamId::MAX);
  let header = out.deferred();
  let mut ids = Vec::new();
  for entry in stream.range(start, StreamId::MAX) {
    write_entry(out, &entry);
    ids.push(entry.id);
    if ids.len() == count {
      break;
    }
  }
  out.fill(header, b'*', ids.len());
  let mut delivered = Vec::with_capacity(ids.len());
  for id in ids {
    let counter_valid = stream.groups.get(group).is_some_and(|g| id > g.last_id && g.entries_read.is_some())
      && !stream.range_has_tombstones(id, StreamId::MAX);
    let estimate = (!counter_valid && stream.entries_added > 0).then(|| stream.estimate_entries_read(id));
    let Some(state) = stream.groups.get_mut(group) else { break };
    if id > state.last_id {
      if counter_valid {
        state.entries_read = state.entries_read.map(|read| read + 1);
      } else if let Some(estimate) = estimate {
        state.entries_read = estimate;
      }
      state.last_id = id;
    }
    delivered.push((id, state.last_id));
    if noack {
      continue;
    }
    let previous =
      state.pel.insert(id, PendingEntry { delivery_time: now, delivery_count: 1, consumer: consumer.into() });
    if let Some(previous) = previous {
      if let Some(owner) = state.consumers.get_mut(&previous.consumer) {
        owner.pending.remove(&id);
      }
    }
    if let Some(owner) = state.consumers.get_mut(consumer) {
      owner.pending.insert(id);
    }
  }
  delivered
}

/// The writes that reproduce a `>` read: an XCLAIM per entry made pending, or with NOACK the
/// group's new position.
fn rewrite_new(
  writes: &mut Vec<Vec<Vec<u8>>>,
  stream: &Stream,
  key: &[u8],
  group: &[u8],
  delivered: &[(StreamId, StreamId)],
  noack: bool,
) {
  let Some(state) = stream.groups.get(group) else { return };
  if noack {
    if !delivered.is_empty() {
      let read = state.entries_read.unwrap_or(-1);
      writes.push(vec![
        b"XGROUP".to_vec(),
        b"SETID".to_vec(),
        key.to_vec(),
        group.to_vec(),
        state.last_id.to_bytes(),
        b"ENTRIESREAD".to_vec(),
        read.to_string().into_bytes(),
      ]);
    }
    return;
  }
  for &(id, last_id) in delivered {
    let Some(pending) = state.pel.get(&id) else { continue };
    writes.push(xclaim_argv(key, group, id, pending, last_id));
  }
}

/// The idempotent XCLAIM that gives `id` to its owner as `pending` describes it, the group's
/// last ID being `last_id` (Redis's `streamPropagateXCLAIM`).
pub(super) fn xclaim_argv(
  key: &[u8],
  group: &[u8],
  id: StreamId,
  pending: &PendingEntry,
  last_id: StreamId,
) -> Vec<Vec<u8>> {
  vec![
    b"XCLAIM".to_vec(),
    key.to_vec(),
    group.to_vec(),
    pending.consumer.to_vec(),
    b"0".to_vec(),
    id.to_bytes(),
    b"TIME".to_vec(),
    pending.delivery_time.to_string().into_bytes(),
    b"RETRYCOUNT".to_vec(),
    pending.delivery_count.to_string().into_bytes(),
    b"FORCE".to_vec(),
    b"JUSTID".to_vec(),
    b"LASTID".to_vec(),
    last_id.to_bytes(),
  ]
}

/// XACK key group id [id ...]
pub fn xack(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, group) = (argv[1], argv[2]);
  let (entry, out) = ctx.lookup_read(key);
  let Some(state) = as_stream(entry)?.and_then(|stream| stream.groups.get_mut(group)) else {
    out.int(0);
    return Ok(());
  };
  let ids = argv[3..].iter().map(|arg| strict_id(arg)).collect::<Result<Vec<_>, _>>()?;
  let mut acknowledged = 0;
  for id in ids {
    if let Some(pending) = state.pel.remove(&id) {
      if let Some(owner) = state.consumers.get_mut(&pending.consumer) {
        owner.pending.remove(&id);
      }
      acknowledged += 1;
    }
  }
  out.int(acknowledged);
  ctx.dirty(acknowledged as u64);
  Ok(())
}
