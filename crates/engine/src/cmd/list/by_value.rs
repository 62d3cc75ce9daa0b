//! LPOS, LINSERT and LREM: finding elements by value.
//!
//! All three compare elements byte for byte. LPOS reports positions (from the head whatever
//! the direction of the search), LINSERT adds next to the first match of a pivot, and LREM
//! deletes matches from the head or the tail.

use super::pop::positive_arg;
use super::{as_list, keyword};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{int_arg, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
///
/// Without COUNT: the position of the `rank`-th match (counting from the tail for a negative
/// rank), or null. With COUNT: an array of up to `num-matches` positions (all for 0),
/// starting at the `rank`-th match. MAXLEN limits how many elements are compared (0: all).
pub fn lpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let element = argv[2];
  let mut rank: i64 = 1;
  let mut count: Option<usize> = None;
  let mut maxlen: usize = 0;
  let mut args = Args::new(argv, 3);
  while let Some(option) = args.next() {
    if keyword(option, "RANK") {
      rank = args.int()?;
      if rank == 0 {
        return Err(Error::err(
          "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start \
           from the end of the list",
        ));
      }
    } else if keyword(option, "COUNT") {
      count = Some(positive_arg(args.value()?, "COUNT can't be negative")?);
    } else if keyword(option, "MAXLEN") {
      maxlen = positive_arg(args.value()?, "MAXLEN can't be negative")?;
    } else {
      return Err(Error::Syntax);
    }
  }
  // Like Redis, a negative rank searches from the tail; the most negative rank stays negative
  // once negated, and then every match qualifies.
  let from_tail = rank < 0;
  if from_tail {
    rank = rank.wrapping_neg();
  }

  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(list) = as_list(entry)? else {
    match count {
      Some(_) => out.array(0),
      None => out.null(),
    }
    return Ok(());
  };
  let len = list.len();
  let scanned = if maxlen == 0 { len } else { maxlen.min(len) };
  // Matches before the `rank`-th are skipped; COUNT 0 means every match.
  let skip = if rank > 0 { (rank - 1) as u64 } else { 0 };
  let wanted = match count {
    None => 1,
    Some(0) => usize::MAX,
    Some(count) => count,
  };
  let mut found = Vec::new();
  let mut matches = 0u64;
  for step in 0..scanned {
    let index = if from_tail { len - 1 - step } else { step };
    if list.get(index) == Some(element) {
      matches += 1;
      if matches > skip {
        found.push(index);
        if found.len() == wanted {
          break;
        }
      }
    }
  }
  match count {
    None => match found.first() {
      Some(&index) => out.int(index as i64),
      None => out.null(),
    },
    Some(_) => {
      out.array(found.len());
      for index in found {
        out.int(index as i64);
      }
    }
  }
  Ok(())
}

/// LINSERT key BEFORE|AFTER pivot element: inserts next to the first `pivot`; the new length,
/// -1 if the pivot is not found, 0 if the key does not exist.
pub fn linsert(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let after = if keyword(argv[2], "AFTER") {
    true
  } else if keyword(argv[2], "BEFORE") {
    false
  } else {
    return Err(Error::Syntax);
  };
  let (entry, out) = ctx.lookup_write(argv[1]);
  let Some(list) = as_list(entry)? else {
    out.int(0);
    return Ok(());
  };
  match list.position(argv[3]) {
    Some(at) => {
      list.insert(at + after as usize, SmallBytes::new(argv[4]));
      let len = list.len();
      ctx.changed(notify::LIST, "linsert", argv[1]);
      ctx.out.int(len as i64);
    }
    None => out.int(-1),
  }
  Ok(())
}

/// LREM key count element: removes up to `count` elements equal to `element` from the head
/// (from the tail for a negative count; all of them for 0). Replies how many were removed.
pub fn lrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let count = int_arg(argv[2])?;
  let (entry, out) = ctx.lookup_write(key);
  let Some(list) = as_list(entry)? else {
    out.int(0);
    return Ok(());
  };
  let limit = (count != 0).then(|| usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX));
  let removed = list.remove_matching(argv[3], limit, count < 0);
  if removed > 0 {
    let emptied = list.is_empty();
    ctx.modified(key);
    ctx.notify(notify::LIST, "lrem", key);
    if emptied {
      ctx.db().remove(key);
      ctx.notify(notify::GENERIC, "del", key);
    }
    ctx.dirty(removed as u64);
  }
  ctx.out.int(removed as i64);
  Ok(())
}
