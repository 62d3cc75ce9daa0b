//! ZSCAN: iterating a sorted set a few members per call.
//!
//! A skiplist is walked through its member map with the cursor of `DenseMap::scan` (COUNT
//! positions per call); a listpack is returned whole with cursor 0, as Redis does for its
//! compact encodings, with each score as the listpack holds it (a whole number as an integer).
//! MATCH filters on members; a matching member comes with its score. The cursor is validated
//! before the key is looked up, the options after, as in Redis: a missing key replies an empty
//! scan whatever the options.

use super::read_zset;
use crate::cmd::keyspace::{parse_cursor, reply_scan, scan_options, ScanOptions, EMPTY_SCAN};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::resp::Reply;

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
///
/// Replies `[next cursor, [member, score, ...]]`. COUNT (default 10) must be at least 1;
/// options may repeat, the last one wins.
pub fn zscan(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let cursor = parse_cursor(argv[2]).ok_or(Error::err("invalid cursor"))?;
  let (zset, out) = read_zset(ctx, argv[1])?;
  let Some(zset) = zset else {
    out.raw(EMPTY_SCAN);
    return Ok(());
  };
  let ScanOptions { pattern, count, .. } = scan_options(argv, 3, false)?;

  let mut found = Reply::new(out.resp3);
  let mut found_count = 0;
  let next = zset.scan(cursor, count, |member, score| {
    if pattern.is_some_and(|pattern| !glob::matches(pattern, member)) {
      return;
    }
    found.bulk(member);
    found.bulk(score);
    found_count += 2;
  });
  reply_scan(out, next, &found, found_count);
  Ok(())
}
