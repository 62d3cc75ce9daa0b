//! XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms] [RETRYCOUNT
//! count] [FORCE] [JUSTID] [LASTID id], and XAUTOCLAIM key group consumer min-idle-time start
//! [COUNT count] [JUSTID]: giving pending entries to another consumer.
//!
//! XCLAIM looks the key (WRONGTYPE) and group (NOGROUP) up first, then reads the minimum idle
//! time; the IDs run up to the first argument that is not one, and the options follow. Each ID
//! pending long enough (or not pending, with FORCE) is given to the consumer (created on first
//! claim) with its delivery time set (now, or as IDLE or TIME say, never in the future) and its
//! delivery count incremented (or set by RETRYCOUNT; JUSTID leaves it); the reply lists the
//! claimed entries, or their IDs with JUSTID. An ID whose entry was deleted leaves the pending
//! list. LASTID moves the group's last delivered ID forward.
//!
//! XAUTOCLAIM reads its arguments first and then looks the key and group up. It walks the
//! group's pending list from `start` (`(` excludes it), trying at most ten times COUNT (100 by
//! default) entries, claims those idle long enough until COUNT are claimed or dropped (entries
//! deleted from the stream leave the pending list), and replies with the ID to continue from
//! (0-0 at the end), the claimed entries (or IDs) and the deleted IDs.
//!
//! Reports, as Redis 7.0: one change per entry claimed or dropped (and one for a consumer
//! created, with `xgroup-createconsumer`). The commands themselves are not propagated: each
//! claim or drop is written as the idempotent XCLAIM XREADGROUP uses (with the ID as the
//! client wrote it, for XCLAIM), and an XCLAIM that only moved the group forward as `XGROUP
//! SETID … ENTRIESREAD`.

use super::group::error_text;
use super::range::interval_end;
use super::readgroup::xclaim_argv;
use super::{as_stream, parse_id, write_entry};
use crate::cmd::{int_arg, is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::types::stream::id::{IdSyntax, ParsedId};
use crate::types::stream::{Consumer, Group, PendingEntry, Stream, StreamId};

/// How many pending entries XAUTOCLAIM looks at per entry it may claim.
const ATTEMPTS_FACTOR: i64 = 10;

/// The largest COUNT XAUTOCLAIM takes: Redis sizes a buffer of IDs (16 bytes each) by it.
const MAX_AUTOCLAIM_COUNT: i64 = i64::MAX / 16;

/// What a claim does to each pending entry it takes.
struct Claim<'a> {
  consumer: &'a [u8],
  delivery_time: i64,
  retry_count: Option<u64>,
  just_id: bool,
}

/// The NOGROUP error of XCLAIM, XAUTOCLAIM and XPENDING.
fn no_key_or_group(key: &[u8], group: &[u8]) -> Error {
  Error::coded(format!("NOGROUP No such key '{}' or consumer group '{}'", error_text(key), error_text(group)))
}

/// An integer argument, with `message` as the error for anything else.
fn int_or(arg: &[u8], message: &'static str) -> Result<i64, Error> {
  int_arg(arg).map_err(|_| Error::err(message))
}

/// Reads an ID that names an entry, `None` when it is not one.
fn entry_id(arg: &[u8]) -> Option<StreamId> {
  match parse_id(arg, IdSyntax::STRICT).ok()? {
    ParsedId::Id(id) => Some(id),
    ParsedId::AutoSeq(_) => None,
  }
}

/// Gives the pending entry `id` to the claiming consumer; `fresh` when FORCE just created it.
/// Returns the entry as it is now.
fn take_over(group: &mut Group, id: StreamId, claim: &Claim, fresh: bool) -> Option<PendingEntry> {
  let pending = group.pel.get_mut(&id)?;
  if fresh || *pending.consumer != *claim.consumer {
    if !fresh {
      if let Some(owner) = group.consumers.get_mut(&pending.consumer) {
        owner.pending.remove(&id);
      }
    }
    pending.consumer = claim.consumer.into();
    if let Some(owner) = group.consumers.get_mut(claim.consumer) {
      owner.pending.insert(id);
    }
  }
  pending.delivery_time = claim.delivery_time;
  match claim.retry_count {
    Some(count) => pending.delivery_count = count,
    None if !claim.just_id => pending.delivery_count += 1,
    None => {}
  }
  Some(pending.clone())
}

/// Drops the pending entry `id` (its stream entry is gone); returns it.
fn drop_pending(group: &mut Group, id: StreamId) -> Option<PendingEntry> {
  let pending = group.pel.remove(&id)?;
  if let Some(owner) = group.consumers.get_mut(&pending.consumer) {
    owner.pending.remove(&id);
  }
  Some(pending)
}

/// Makes sure the claiming consumer exists and is marked seen; true when it was created.
fn claiming_consumer(group: &mut Group, consumer: &[u8], now: i64) -> bool {
  let created = !group.consumers.contains_key(consumer);
  group.consumers.entry(consumer.into()).or_insert_with(|| Consumer::new(now)).seen_time = now;
  created
}

/// Writes a claimed entry, or only its ID.
fn write_claimed(out: &mut Reply, stream: &Stream, id: StreamId, just_id: bool) {
  match stream.range(id, id).next() {
    Some(entry) if !just_id => write_entry(out, &entry),
    _ => out.bulk(&id.text()),
  }
}

/// What a claim did, for reporting once the stream is no longer borrowed.
#[derive(Default)]
struct Report {
  changes: u64,
  consumer_created: bool,
  writes: Vec<Vec<Vec<u8>>>,
}

pub fn xclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name, consumer) = (argv[1], argv[2], argv[3]);
  let now = ctx.now_ms;
  let db = ctx.session.db;
  let propagating = ctx.propagating();
  let (entry, out) = ctx.lookup_read(key);
  let stream = as_stream(entry)?.filter(|stream| stream.groups.contains_key(name));
  let Some(stream) = stream else { return Err(no_key_or_group(key, name)) };
  let min_idle = int_or(argv[4], "Invalid min-idle-time argument for XCLAIM")?.max(0);
  let id_args: Vec<(&[u8], StreamId)> = argv[5..].iter().map_while(|arg| Some((*arg, entry_id(arg)?))).collect();
  let mut delivery_time = None;
  let mut retry_count = None;
  let mut force = false;
  let mut just_id = false;
  let mut last_id = StreamId::MIN;
  let mut at = 5 + id_args.len();
  while at < argv.len() {
    let (option, more) = (argv[at], at + 1 < argv.len());
    if is(option, "FORCE") {
      force = true;
    } else if is(option, "JUSTID") {
      just_id = true;
    } else if is(option, "IDLE") && more {
      at += 1;
      delivery_time = Some(now.saturating_sub(int_or(argv[at], "Invalid IDLE option argument for XCLAIM")?));
    } else if is(option, "TIME") && more {
      at += 1;
      delivery_time = Some(int_or(argv[at], "Invalid TIME option argument for XCLAIM")?);
    } else if is(option, "RETRYCOUNT") && more {
      at += 1;
      retry_count = Some(int_or(argv[at], "Invalid RETRYCOUNT option argument for XCLAIM")?);
    } else if is(option, "LASTID") && more {
      at += 1;
      last_id = super::strict_id(argv[at])?;
    } else {
      return Err(Error::err(format!("Unrecognized XCLAIM option '{}'", error_text(option))));
    }
    at += 1;
  }
  let delivery_time = match delivery_time {
    Some(time) if (0..=now).contains(&time) => time,
    _ => now,
  };
  // A negative RETRYCOUNT counts as not given, as in Redis.
  let claim = Claim { consumer, delivery_time, retry_count: retry_count.and_then(|n| u64::try_from(n).ok()), just_id };
  let mut report = Report::default();
  let Some(group) = stream.groups.get_mut(name) else { return Err(no_key_or_group(key, name)) };
  let mut moved_forward = false;
  if last_id > group.last_id {
    group.last_id = last_id;
    moved_forward = true;
  }
  let header = out.deferred();
  let mut claimed = 0;
  for (arg, id) in id_args {
    let exists = stream.range(id, id).next().is_some();
    let Some(group) = stream.groups.get_mut(name) else { break };
    if !exists {
      if let Some(pending) = drop_pending(group, id) {
        if propagating {
          report.writes.push(xclaim_argv_as(key, name, arg, &pending, group.last_id));
        }
        moved_forward = false;
        report.changes += 1;
      }
      continue;
    }
    let fresh = force && !group.pel.contains_key(&id);
    if fresh {
      group.pel.insert(id, PendingEntry { delivery_time: now, delivery_count: 1, consumer: consumer.into() });
    }
    let Some(pending) = group.pel.get(&id) else { continue };
    if !fresh && min_idle > 0 && now - pending.delivery_time < min_idle {
      continue;
    }
    report.consumer_created |= claiming_consumer(group, consumer, now);
    let Some(pending) = take_over(group, id, &claim, fresh) else { continue };
    let group_last_id = group.last_id;
    write_claimed(out, stream, id, just_id);
    claimed += 1;
    if propagating {
      report.writes.push(xclaim_argv_as(key, name, arg, &pending, group_last_id));
    }
    moved_forward = false;
    report.changes += 1;
  }
  out.fill(header, b'*', claimed);
  if moved_forward {
    if let Some(group) = stream.groups.get(name) {
      if propagating {
        report.writes.push(vec![
          b"XGROUP".to_vec(),
          b"SETID".to_vec(),
          key.to_vec(),
          name.to_vec(),
          group.last_id.to_bytes(),
          b"ENTRIESREAD".to_vec(),
          group.entries_read.unwrap_or(-1).to_string().into_bytes(),
        ]);
      }
      report.changes += 1;
    }
  }
  finish(ctx, key, db, report);
  Ok(())
}

/// [`xclaim_argv`] with the ID as the client wrote it.
fn xclaim_argv_as(key: &[u8], group: &[u8], arg: &[u8], pending: &PendingEntry, last_id: StreamId) -> Vec<Vec<u8>> {
  let mut argv = xclaim_argv(key, group, StreamId::MIN, pending, last_id);
  argv[5] = arg.to_vec();
  argv
}

/// Reports what a claim did.
fn finish(ctx: &mut Ctx, key: &[u8], db: usize, report: Report) {
  if report.consumer_created {
    ctx.dirty(1);
    ctx.notify(notify::STREAM, "xgroup-createconsumer", key);
  }
  ctx.dirty(report.changes);
  for argv in report.writes {
    ctx.also_propagate(db, argv);
  }
  ctx.prevent_propagation();
}

pub fn xautoclaim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name, consumer) = (argv[1], argv[2], argv[3]);
  let min_idle = int_or(argv[4], "Invalid min-idle-time argument for XAUTOCLAIM")?.max(0);
  let (start, exclusive) = interval_end(argv[5], 0)?;
  let start = match exclusive {
    true => start.successor().ok_or_else(|| Error::err("invalid start ID for the interval"))?,
    false => start,
  };
  let mut count: i64 = 100;
  let mut just_id = false;
  let mut at = 6;
  while at < argv.len() {
    let (option, more) = (argv[at], at + 1 < argv.len());
    if is(option, "COUNT") && more {
      count = int_arg(argv[at + 1])
        .ok()
        .filter(|count| (1..=MAX_AUTOCLAIM_COUNT).contains(count))
        .ok_or_else(|| Error::err("COUNT must be > 0"))?;
      at += 1;
    } else if is(option, "JUSTID") {
      just_id = true;
    } else {
      return Err(Error::Syntax);
    }
    at += 1;
  }
  let now = ctx.now_ms;
  let db = ctx.session.db;
  let propagating = ctx.propagating();
  let (entry, out) = ctx.lookup_read(key);
  let stream = as_stream(entry)?.filter(|stream| stream.groups.contains_key(name));
  let Some(stream) = stream else { return Err(no_key_or_group(key, name)) };
  let claim = Claim { consumer, delivery_time: now, retry_count: None, just_id };
  let mut report = Report::default();
  let mut attempts = count.saturating_mul(ATTEMPTS_FACTOR);
  let mut deleted = Vec::new();
  let mut claimed = Vec::new();
  let mut next = stream.groups.get(name).and_then(|group| group.pel.range(start..).next().map(|(id, _)| *id));
  while let Some(id) = next.filter(|_| attempts > 0 && count > 0) {
    attempts -= 1;
    let exists = stream.range(id, id).next().is_some();
    let Some(group) = stream.groups.get_mut(name) else { break };
    next = group.pel.range(id..).nth(1).map(|(id, _)| *id);
    if !exists {
      if let Some(pending) = drop_pending(group, id) {
        if propagating {
          report.writes.push(xclaim_argv(key, name, id, &pending, group.last_id));
        }
        report.changes += 1;
        deleted.push(id);
        count -= 1;
      }
      continue;
    }
    if group.pel.get(&id).is_some_and(|pending| min_idle > 0 && now - pending.delivery_time < min_idle) {
      continue;
    }
    report.consumer_created |= claiming_consumer(group, consumer, now);
    let Some(pending) = take_over(group, id, &claim, false) else { continue };
    let group_last_id = group.last_id;
    claimed.push(id);
    count -= 1;
    if propagating {
      report.writes.push(xclaim_argv(key, name, id, &pending, group_last_id));
    }
    report.changes += 1;
  }
  out.array(3);
  out.bulk(&next.unwrap_or(StreamId::MIN).text());
  out.array(claimed.len());
  for id in claimed {
    write_claimed(out, stream, id, just_id);
  }
  out.array(deleted.len());
  for id in deleted {
    out.bulk(&id.text());
  }
  finish(ctx, key, db, report);
  Ok(())
}
