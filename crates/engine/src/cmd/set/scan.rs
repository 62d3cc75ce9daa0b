//! SSCAN: iterating a set a few members per call.
//!
//! A hashtable is walked with the cursor of `DenseMap::scan` (COUNT positions per call); an
//! intset is returned whole with cursor 0, as Redis does for its compact encodings. The cursor
//! is validated before the key is looked up, the options after, as in Redis: a missing key
//! replies an empty scan whatever the options.

use super::{as_set, reply_member};
use crate::cmd::keyspace::parse_cursor;
use crate::cmd::{int_arg, is, Ctx};
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
    out.raw(b"*2\r\n$1\r\n0\r\n*0\r\n");
    return Ok(());
  };
  let set = as_set(&entry.value)?;
  let mut count: i64 = 10;
  let mut pattern: Option<&[u8]> = None;
  let mut i = 3;
  while i < argv.len() {
    match argv.get(i + 1) {
      Some(value) if is(argv[i], "COUNT") => {
        count = int_arg(value)?;
        if count < 1 {
          return Err(Error::Syntax);
        }
      }
      Some(&value) if is(argv[i], "MATCH") => pattern = Some(value).filter(|p| !glob::matches_everything(p)),
      _ => return Err(Error::Syntax),
    }
    i += 2;
  }

  let mut found = Reply::new(out.resp3);
  let mut found_count = 0;
  let mut digits = Vec::with_capacity(20);
  let next = set.scan(cursor, usize::try_from(count).unwrap_or(usize::MAX), |member| {
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
  out.array(2);
  out.bulk(next.to_string().as_bytes());
  out.array(found_count);
  out.raw(&found.buf);
  Ok(())
}
