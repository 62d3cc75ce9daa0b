//! KEYS, SCAN and RANDOMKEY: walking or sampling the whole keyspace.
//!
//! KEYS lists every live key matching a glob pattern in one reply. SCAN walks the keyspace a
//! few positions per call with the cursor of `Db::scan` (the number of positions still to
//! visit, counted down to 0), so keys present for the whole scan are returned at least once
//! even when others are deleted meanwhile. RANDOMKEY samples a uniform position. None of them
//! ever returns an expired key; SCAN and RANDOMKEY reclaim the expired keys they come across
//! (SCAN only those matching its pattern, as Redis), KEYS leaves them in place.

use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::resp::Reply;

/// KEYS pattern: every live key matching the glob `pattern` (`*` matches all keys).
pub fn keys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let pattern = argv[1];
  let everything = glob::matches_everything(pattern);
  let now = ctx.now_ms;
  let db = &ctx.server.keyspace.dbs[ctx.session.db];
  let out = &mut *ctx.out;
  let header = out.deferred();
  let mut count = 0;
  for entry in db.entries() {
    let key = entry.key.as_slice();
    if (everything || glob::matches(pattern, key)) && !db.is_expired(entry, now) {
      out.bulk(key);
      count += 1;
    }
  }
  out.fill(header, b'*', count);
  Ok(())
}

/// Parses a SCAN cursor like Redis, which uses C's `strtoul` in base 10 on the argument as a C
/// string: an optional sign and digits; the text ends at the first NUL byte; a leading space,
/// any other trailing byte, a sign without digits or a value beyond 64 bits is invalid; `-n`
/// wraps around modulo 2^64; and the empty string is cursor 0.
pub fn parse_cursor(arg: &[u8]) -> Option<u64> {
  if arg.first().is_some_and(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')) {
    return None;
  }
  let text = crate::cstr::until_nul(arg);
  if text.is_empty() {
    return Some(0);
  }
  let (negative, digits) = match text[0] {
    b'-' => (true, &text[1..]),
    b'+' => (false, &text[1..]),
    _ => (false, text),
  };
  if digits.is_empty() {
    return None;
  }
  let mut value: u64 = 0;
  for &c in digits {
    if !c.is_ascii_digit() {
      return None;
    }
    value = value.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
  }
  Some(if negative { value.wrapping_neg() } else { value })
}

/// The options of the SCAN family: MATCH and COUNT, and for SCAN itself TYPE. Options may
/// repeat (the last one wins); COUNT must be at least 1; a MATCH pattern that matches
/// everything is dropped.
pub struct ScanOptions<'a> {
  pub pattern: Option<&'a [u8]>,
  pub count: usize,
  pub type_name: Option<&'a [u8]>,
}

/// Parses the SCAN-family options in `argv[from..]`; TYPE only when `allow_type`.
pub fn scan_options<'a>(argv: &[&'a [u8]], from: usize, allow_type: bool) -> Result<ScanOptions<'a>, Error> {
  let mut options = ScanOptions { pattern: None, count: 10, type_name: None };
  let mut args = Args::new(argv, from);
  while let Some(option) = args.next() {
    // Every option takes an operand: a missing one is a syntax error, even for an unknown option.
    if args.is_empty() {
      return Err(Error::Syntax);
    }
    if is(option, "COUNT") {
      let count = args.int()?;
      if count < 1 {
        return Err(Error::Syntax);
      }
      options.count = usize::try_from(count).unwrap_or(usize::MAX);
    } else if is(option, "MATCH") {
      options.pattern = Some(args.value()?).filter(|p| !glob::matches_everything(p));
    } else if allow_type && is(option, "TYPE") {
      // Redis compares the type name as a C string, so it ends at a NUL byte.
      options.type_name = Some(crate::cstr::until_nul(args.value()?));
    } else {
      return Err(Error::Syntax);
    }
  }
  Ok(options)
}

/// Writes a SCAN-family reply: the next cursor, then the `count` elements already written
/// to `found`.
pub fn reply_scan(out: &mut Reply, next: u64, found: &Reply, count: usize) {
  out.array(2);
  out.bulk(next.to_string().as_bytes());
  out.array(count);
  out.raw(&found.buf);
}

/// The reply of a SCAN-family command on a missing key: cursor 0, no elements.
pub const EMPTY_SCAN: &[u8] = b"*2\r\n$1\r\n0\r\n*0\r\n";

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
///
/// Replies `[next cursor, [keys...]]`; the next cursor is 0 when the walk is complete. COUNT
/// (default 10) is how many positions to visit; options may repeat, the last one wins.
pub fn scan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let cursor = parse_cursor(argv[1]).ok_or(Error::err("invalid cursor"))?;
  let ScanOptions { pattern, count, type_name } = scan_options(argv, 2, true)?;

  let now = ctx.now_ms;
  let server = &mut *ctx.server;
  let db = &mut server.keyspace.dbs[ctx.session.db];
  let stats = &mut server.telemetry.stats;
  let mut found = Reply::new(ctx.out.resp3);
  let mut found_count = 0;
  let mut expired = Vec::new();
  let next = db.scan(cursor, count, |entry| {
    let key = entry.key.as_slice();
    if pattern.is_some_and(|pattern| !glob::matches(pattern, key)) {
      return;
    }
    let live = !db.is_expired(entry, now);
    if !live {
      expired.push(key.to_vec());
    }
    if let Some(wanted) = type_name {
      // Redis reads the key to learn its type, which counts as a keyspace hit or miss.
      if live {
        stats.keyspace_hits += 1;
      } else {
        stats.keyspace_misses += 1;
      }
      if !wanted.eq_ignore_ascii_case(entry.value.type_name().as_bytes()) {
        return;
      }
    }
    if live {
      found.bulk(key);
      found_count += 1;
    }
  });
  // Only visited positions (at or after `next`) are removed, and each removal fills its hole
  // with the last entry, also visited: the positions still to visit are untouched.
  // Deleted as lazy expiry deletes: `expired` events and a DEL each in the write stream.
  for key in expired {
    if let Some(pos) = db.position(&key) {
      db.expire_at_pos(pos);
    }
  }

  reply_scan(ctx.out, next, &found, found_count);
  Ok(())
}

/// RANDOMKEY: a random live key, or null when the database has none. Expired keys drawn on
/// the way are reclaimed and another draw is made.
pub fn randomkey(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  let server = &mut *ctx.server;
  let db = &mut server.keyspace.dbs[ctx.session.db];
  while !db.is_empty() {
    let pos = server.rng.below(db.len() as u64) as usize;
    let entry = db.entry_at(pos);
    if !db.is_expired(entry, now) {
      ctx.out.bulk(entry.key.as_slice());
      return Ok(());
    }
    db.expire_at_pos(pos);
  }
  ctx.out.null();
  Ok(())
}
