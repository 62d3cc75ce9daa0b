//! XPENDING key group [[IDLE min-idle-time] start end count [consumer]]: a group's pending
//! entries.
//!
//! The summary form (key and group only) replies with the number of pending entries, the
//! lowest and highest pending IDs and, for each consumer with pending entries, its name and
//! count (as a bulk string); nulls when nothing is pending. The extended form lists the pending
//! entries from `start` to `end` (`(` excludes an end, as in XRANGE), at most `count`, of the
//! group or of one consumer (none for an unknown consumer), those idle for at least
//! `min-idle-time` milliseconds with IDLE: each as its ID, owner, milliseconds since its last
//! delivery and delivery count.
//!
//! The checks come in Redis's order: the argument count (3, or 6 to 9; anything else is a
//! syntax error), the IDLE value, the argument count again with IDLE, COUNT, the start and end
//! IDs; then the key (WRONGTYPE) and the group, a missing one being NOGROUP. Like Redis, the
//! arguments after the consumer are not looked at.

use super::as_stream;
use super::group::error_text;
use super::range::interval_end;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::types::stream::StreamId;

/// The extended form's arguments.
struct Extended<'a> {
  min_idle: i64,
  start: StreamId,
  end: StreamId,
  count: usize,
  consumer: Option<&'a [u8]>,
}

fn parse_extended<'a>(argv: &[&'a [u8]]) -> Result<Extended<'a>, Error> {
  let mut at = 3;
  let mut min_idle = 0;
  if is(argv[3], "IDLE") {
    min_idle = int_arg(argv[4])?;
    if argv.len() < 8 {
      return Err(Error::Syntax);
    }
    at += 2;
  }
  let count = int_arg(argv[at + 2])?.max(0) as usize;
  let (start, exclusive) = interval_end(argv[at], 0)?;
  let start = match exclusive {
    true => start.successor().ok_or_else(|| Error::err("invalid start ID for the interval"))?,
    false => start,
  };
  let (end, exclusive) = interval_end(argv[at + 1], u64::MAX)?;
  let end = match exclusive {
    true => end.predecessor().ok_or_else(|| Error::err("invalid end ID for the interval"))?,
    false => end,
  };
  Ok(Extended { min_idle, start, end, count, consumer: argv.get(at + 3).copied() })
}

pub fn xpending(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name) = (argv[1], argv[2]);
  if argv.len() != 3 && !(6..=9).contains(&argv.len()) {
    return Err(Error::Syntax);
  }
  let extended = if argv.len() >= 6 { Some(parse_extended(argv)?) } else { None };
  let now = ctx.now_ms;
  let (entry, out) = ctx.lookup_read(key);
  let group = as_stream(entry)?.and_then(|stream| stream.groups.get(name));
  let Some(group) = group else {
    return Err(Error::coded(format!(
      "NOGROUP No such key '{}' or consumer group '{}'",
      error_text(key),
      error_text(name)
    )));
  };
  let Some(extended) = extended else {
    out.array(4);
    out.int(group.pel.len() as i64);
    match (group.pel.keys().next(), group.pel.keys().next_back()) {
      (Some(first), Some(last)) => {
        out.bulk(&first.text());
        out.bulk(&last.text());
        let header = out.deferred();
        let mut owners = 0;
        for (name, consumer) in group.consumers.iter().filter(|(_, consumer)| !consumer.pending.is_empty()) {
          out.array(2);
          out.bulk(name);
          out.bulk(consumer.pending.len().to_string().as_bytes());
          owners += 1;
        }
        out.fill(header, b'*', owners);
      }
      _ => {
        out.null();
        out.null();
        out.null_array();
      }
    }
    return Ok(());
  };
  let ids: Box<dyn Iterator<Item = &StreamId>> = match extended.consumer {
    Some(consumer) => match group.consumers.get(consumer) {
      Some(consumer) if extended.start <= extended.end => {
        Box::new(consumer.pending.range(extended.start..=extended.end))
      }
      Some(_) => Box::new(std::iter::empty()),
      None => {
        out.array(0);
        return Ok(());
      }
    },
    None if extended.start <= extended.end => {
      Box::new(group.pel.range(extended.start..=extended.end).map(|(id, _)| id))
    }
    None => Box::new(std::iter::empty()),
  };
  let header = out.deferred();
  let mut listed = 0;
  for id in ids {
    if listed == extended.count {
      break;
    }
    let Some(pending) = group.pel.get(id) else { continue };
    let idle = now - pending.delivery_time;
    if extended.min_idle != 0 && idle < extended.min_idle {
      continue;
    }
    out.array(4);
    out.bulk(&id.text());
    out.bulk(&pending.consumer);
    out.int(idle.max(0));
    out.int(pending.delivery_count as i64);
    listed += 1;
  }
  out.fill(header, b'*', listed);
  Ok(())
}
