//! XRANGE, XREVRANGE and XLEN: reading a stream without consuming it.
//!
//! A range end is an ID, `-` or `+`, or an incomplete ID (`5`, which starts at `5-0` and ends at
//! `5-<max>`); a `(` before it excludes it (then `-` and `+` are refused, and excluding past the
//! smallest or largest ID is an error of its own). Redis parses the start (the last argument of
//! XREVRANGE), then the end, then COUNT, then looks the key up: a missing key is an empty
//! array, and COUNT 0 a null array. Reading changes nothing.

use super::{as_stream, invalid_id, parse_id, write_entries};
use crate::cmd::args::Args;
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::types::stream::id::{IdSyntax, ParsedId};
use crate::types::stream::StreamId;

/// XRANGE key start end [COUNT count]: entries from `start` to `end`, oldest first.
pub fn xrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range(ctx, argv, false)
}

/// XREVRANGE key end start [COUNT count]: entries from `end` down to `start`.
pub fn xrevrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  range(ctx, argv, true)
}

fn range(ctx: &mut Ctx, argv: &[&[u8]], rev: bool) -> CmdResult {
  let (start_arg, end_arg) = if rev { (argv[3], argv[2]) } else { (argv[2], argv[3]) };
  let (start, exclusive) = interval_end(start_arg, 0)?;
  let start = match exclusive {
    true => start.successor().ok_or_else(|| Error::err("invalid start ID for the interval"))?,
    false => start,
  };
  let (end, exclusive) = interval_end(end_arg, u64::MAX)?;
  let end = match exclusive {
    true => end.predecessor().ok_or_else(|| Error::err("invalid end ID for the interval"))?,
    false => end,
  };
  let mut count = None;
  let mut args = Args::new(argv, 4);
  while !args.is_empty() {
    if args.remaining() >= 2 && args.keyword("COUNT") {
      count = Some(args.int()?.max(0) as usize);
    } else {
      return Err(Error::Syntax);
    }
  }
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(stream) = as_stream(entry)? else {
    out.array(0);
    return Ok(());
  };
  match count {
    Some(0) => out.null_array(),
    _ => {
      let entries = if rev { stream.range_rev(start, end) } else { stream.range(start, end) };
      write_entries(out, entries, count.unwrap_or(0));
    }
  }
  Ok(())
}

/// A range end, and whether `(` excludes it; a missing sequence is `missing_seq`.
pub(super) fn interval_end(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool), Error> {
  let exclusive = arg.len() > 1 && arg[0] == b'(';
  let (text, strict) = if exclusive { (&arg[1..], true) } else { (arg, false) };
  match parse_id(text, IdSyntax { missing_seq, strict, auto_seq: false })? {
    ParsedId::Id(id) => Ok((id, exclusive)),
    ParsedId::AutoSeq(_) => Err(invalid_id()),
  }
}

/// XLEN key: the number of entries (0 for a missing key).
pub fn xlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let length = as_stream(entry)?.map_or(0, |stream| stream.len());
  out.int(length as i64);
  Ok(())
}
