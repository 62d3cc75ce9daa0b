//! HSCAN: iterating a hash a few fields per call.
//!
//! A hashtable is walked with the cursor of `DenseMap::scan` (COUNT positions per call); a
//! listpack is returned whole with cursor 0, as Redis does for its compact encodings. MATCH
//! filters on fields; a matching field comes with its value. The cursor is validated before
//! the key is looked up, the options after, as in Redis: a missing key replies an empty scan
//! whatever the options.

use super::read_hash;
use crate::cmd::keyspace::{parse_cursor, reply_scan, scan_options, ScanOptions, EMPTY_SCAN};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::resp::Reply;

/// HSCAN key cursor [MATCH pattern] [COUNT count]
///
/// Replies `[next cursor, [field, value, ...]]`. COUNT (default 10) must be at least 1;
/// options may repeat, the last one wins.
pub fn hscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let cursor = parse_cursor(argv[2]).ok_or(Error::err("invalid cursor"))?;
  let (hash, out) = read_hash(ctx, argv[1])?;
  let Some(hash) = hash else {
    out.raw(EMPTY_SCAN);
    return Ok(());
  };
  let ScanOptions { pattern, count, .. } = scan_options(argv, 3, false)?;

  let mut found = Reply::new(out.resp3);
  let mut found_count = 0;
  let next = hash.scan(cursor, count, |field, value| {
    if pattern.is_some_and(|pattern| !glob::matches(pattern, field)) {
      return;
    }
    found.bulk(field);
    found.bulk(value);
    found_count += 2;
  });
  reply_scan(out, next, &found, found_count);
  Ok(())
}
