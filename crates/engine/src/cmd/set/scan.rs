//! SSCAN: iterating a set a few members per call.
//!
//! A hashtable is walked with the cursor of `DenseMap::scan` (COUNT positions per call); an
//! intset is returned whole with cursor 0, as Redis does for its compact encodings. The cursor
//! is validated before the key is looked up, the options after, as in Redis: a missing key
//! replies an empty scan whatever the options.

use super::{as_set, reply_member};
use crate::cmd::keyspace::{parse_cursor, reply_scan, scan_options, ScanOptions, EMPTY_SCAN};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::num::write_i64;
use crate::resp::Reply;
use crate::types::set::Member;

/// SSCAN key cursor [MATCH pattern] [COUNT count]
///
/// Replies `[next cursor, [members...]]`. COUNT (default 10) must be at least 1; options may
/// repeat, the last one wins.
pub fn sscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let cursor = parse_cursor(argv[2]).ok_or(Error::err("invalid cursor"))?;
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(entry) = entry else {
    out.raw(EMPTY_SCAN);
    return Ok(());
  };
  let set = as_set(&entry.value)?;
  let ScanOptions { pattern, count, .. } = scan_options(argv, 3, false)?;

  let mut found = Reply::new(out.resp3);
  let mut found_count = 0;
  let mut digits = Vec::with_capacity(20);
  let next = set.scan(cursor, count, |member| {
    if let Some(pattern) = pattern {
      let text = match member {
        Member::Int(n) => {
          digits.clear();
          write_i64(&mut digits, n);
          &digits[..]
        }
        Member::Bytes(bytes) => bytes,
      };
      if !glob::matches(pattern, text) {
        return;
      }
    }
    reply_member(&mut found, member);
    found_count += 1;
  });
  reply_scan(out, next, &found, found_count);
  Ok(())
}
