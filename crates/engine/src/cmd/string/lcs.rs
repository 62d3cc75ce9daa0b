//! LCS: the longest common subsequence of two string values.
//!
//! Built like Redis: the classic dynamic-programming table of LCS lengths (one `u32` per pair
//! of prefixes, refused when it would exceed proto-max-bulk-len), then one walk back from the
//! end that collects the subsequence and the matching ranges. The walk's tie-breaking and
//! range bookkeeping follow Redis's exactly, since IDX replies expose them.

use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use std::borrow::Cow;

/// One matching run: inclusive byte ranges in both strings.
struct Match {
  a: (usize, usize),
  b: (usize, usize),
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
///
/// Replies with the subsequence; with LEN its length; with IDX a map of `matches` (runs from
/// last to first, each `[[a-start, a-end], [b-start, b-end]]` plus its length with
/// WITHMATCHLEN, only runs at least MINMATCHLEN long) and `len`. Missing keys are empty
/// strings; keys of other types are an error.
pub fn lcs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  // Both keys are looked up (and counted as hits or misses) before anything is checked.
  let a = lookup_string(ctx, argv[1]);
  let b = lookup_string(ctx, argv[2]);
  let (Some(a), Some(b)) = (a, b) else {
    return Err(Error::err("The specified keys must contain string values"));
  };

  let (mut want_len, mut want_idx, mut with_match_len, mut min_match_len) = (false, false, false, 0);
  let mut args = Args::new(argv, 3);
  while let Some(opt) = args.next() {
    if is(opt, "IDX") {
      want_idx = true;
    } else if is(opt, "LEN") {
      want_len = true;
    } else if is(opt, "WITHMATCHLEN") {
      with_match_len = true;
    } else if is(opt, "MINMATCHLEN") {
      min_match_len = args.int()?.max(0);
    } else {
      return Err(Error::Syntax);
    }
  }
  if want_len && want_idx {
    return Err(Error::err("If you want both the length and indexes, please just use IDX."));
  }
  if a.len() >= u32::MAX as usize - 1 || b.len() >= u32::MAX as usize - 1 {
    return Err(Error::err("String too long for LCS"));
  }
  let table = lengths_table(&a, &b, ctx.server.config.proto_max_bulk_len)?;
  let width = b.len() + 1;
  let length = table[a.len() * width + b.len()] as usize;
  let out = &mut *ctx.out;
  if want_len {
    out.int(length as i64);
    return Ok(());
  }

  // Walk back from the end, collecting the subsequence right to left and the runs of
  // consecutive matches. `a.len()` as a run start means "no run open".
  let mut subsequence = vec![0u8; length];
  let mut remaining = length;
  let mut matches = Vec::new();
  let no_run = a.len();
  let (mut run_a, mut run_b) = ((no_run, 0), (0, 0));
  let (mut i, mut j) = (a.len(), b.len());
  while i > 0 && j > 0 {
    let mut emit = false;
    if a[i - 1] == b[j - 1] {
      subsequence[remaining - 1] = a[i - 1];
      if run_a.0 == no_run {
        (run_a, run_b) = ((i - 1, i - 1), (j - 1, j - 1));
      } else if run_a.0 == i && run_b.0 == j {
        run_a.0 -= 1;
        run_b.0 -= 1;
      } else {
        emit = true;
      }
      // A run that reached the start of either string ends here.
      if run_a.0 == 0 || run_b.0 == 0 {
        emit = true;
      }
      remaining -= 1;
      i -= 1;
      j -= 1;
    } else {
      if table[(i - 1) * width + j] > table[i * width + j - 1] {
        i -= 1;
      } else {
        j -= 1;
      }
      emit = run_a.0 != no_run;
    }
    if emit {
      let run_length = run_a.1 - run_a.0 + 1;
      if min_match_len == 0 || run_length as i64 >= min_match_len {
        matches.push(Match { a: run_a, b: run_b });
      }
      run_a.0 = no_run;
    }
  }

  if !want_idx {
    out.bulk(&subsequence);
    return Ok(());
  }
  out.map(2);
  out.bulk(b"matches");
  out.array(matches.len());
  for m in &matches {
    out.array(2 + with_match_len as usize);
    for (start, end) in [m.a, m.b] {
      out.array(2);
      out.int(start as i64);
      out.int(end as i64);
    }
    if with_match_len {
      out.int((m.a.1 - m.a.0 + 1) as i64);
    }
  }
  out.bulk(b"len");
  out.int(length as i64);
  Ok(())
}

/// The bytes of the string at `key` (empty when missing); `None` for another type.
fn lookup_string(ctx: &mut Ctx, key: &[u8]) -> Option<Vec<u8>> {
  match ctx.lookup_read(key).0 {
    None => Some(Vec::new()),
    Some(entry) => entry.value.as_bytes().map(Cow::into_owned),
  }
}

/// The table of LCS lengths: cell `(i, j)`, at `i * (b.len() + 1) + j`, holds the length of
/// the LCS of `a[..i]` and `b[..j]`. Refused, with Redis's errors, when its size exceeds
/// `max_bytes` or cannot be allocated.
fn lengths_table(a: &[u8], b: &[u8], max_bytes: i64) -> Result<Vec<u32>, Error> {
  let failed = || Error::err("Insufficient memory, failed allocating transient memory for LCS");
  let width = b.len() + 1;
  let cells = (a.len() + 1).checked_mul(width).ok_or_else(failed)?;
  let bytes = cells.checked_mul(std::mem::size_of::<u32>()).ok_or_else(failed)?;
  if bytes as u64 > max_bytes as u64 {
    return Err(Error::err("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
  }
  let mut table = Vec::new();
  table.try_reserve_exact(cells).map_err(|_| failed())?;
  table.resize(cells, 0u32);
  for i in 1..=a.len() {
    for j in 1..=b.len() {
      table[i * width + j] = if a[i - 1] == b[j - 1] {
        table[(i - 1) * width + j - 1] + 1
      } else {
        table[(i - 1) * width + j].max(table[i * width + j - 1])
      };
    }
  }
  Ok(table)
}
