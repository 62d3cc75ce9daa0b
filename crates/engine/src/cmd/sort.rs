//! SORT and SORT_RO: the elements of a list, set or sorted set, sorted (numerically or
//! byte-wise), optionally by the values of other keys, and optionally replaced by them.
//!
//! The command follows Redis 7.0's `sortCommandGeneric` step by step, because much of its
//! behaviour is observable: options are parsed first (any error wins over WRONGTYPE); a BY
//! pattern without `*` means "do not sort" (lists and sorted sets keep their order, DESC reads
//! them backwards, LIMIT picks the range directly); otherwise every element gets a sort key
//! (its own value, or the string or hash field the BY pattern names) and the vector is sorted.
//! Numeric keys are read with C's `strtod`, and one unreadable key fails the whole command.
//! Ties between equal numbers fall back to comparing the elements, so numeric sorts are fully
//! determined; ALPHA ties keep their input order, as glibc's merge-sort `qsort` does, except
//! when a BY pattern is combined with a LIMIT: Redis then sorts only the requested range with
//! its partial quicksort (Bentley–McIlroy), which [`partial_quicksort`] reproduces so that
//! ties come out in the same order. ALPHA compares like `strcoll` in the C locale (bytes, up
//! to the first NUL) when replying, and whole byte strings when storing. GET patterns then
//! replace each element by other keys' values (`#` is the element itself).
//!
//! Collections are only read through their public iterators; STORE builds a new list.
//! A compact sorted set is first converted to a skiplist, as Redis 7.0 does.

use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::cstr::{self, Strtod};
use crate::error::{CmdResult, Error};
use crate::types::list::List;
use crate::types::zset::{self, ZSet};
use crate::value::Value;
use std::cmp::Ordering;

/// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC]
/// [ALPHA] [STORE destination]
pub fn sort(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  sort_generic(ctx, argv, false)
}

/// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC]
/// [ALPHA]: SORT without STORE, which is a syntax error here.
pub fn sort_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  sort_generic(ctx, argv, true)
}

/// The key positions of a SORT (or SORT_RO) command line for COMMAND GETKEYS, as Redis's
/// `sortGetKeys` finds them: the sorted key, then the destination of the last STORE (skipping
/// the arguments of LIMIT, GET and BY). Each position comes with whether it is written.
pub fn command_keys(line: &[&[u8]], readonly: bool) -> Vec<(usize, bool)> {
  let mut keys = vec![(1, false)];
  if readonly {
    return keys;
  }
  let mut store = None;
  let mut args = Args::new(line, 2);
  while let Some(arg) = args.next() {
    if is(arg, "limit") {
      // Skips the offset and the count (those that are there).
      args.nth(1);
    } else if is(arg, "get") || is(arg, "by") {
      // Skips the pattern.
      args.next();
    } else if is(arg, "store") && !args.is_empty() {
      // The destination is not skipped: like Redis, the walk reads it as an option too.
      store = Some(args.position());
    }
  }
  keys.extend(store.map(|pos| (pos, true)));
  keys
}

#[derive(Default)]
struct Options<'a> {
  desc: bool,
  alpha: bool,
  /// LIMIT offset count; (0, -1) without LIMIT.
  limit_start: i64,
  limit_count: i64,
  store: Option<&'a [u8]>,
  by: Option<&'a [u8]>,
  /// Set by a BY pattern without `*` (and never reset by a later BY, as in Redis).
  dont_sort: bool,
  gets: Vec<&'a [u8]>,
}

/// `full_key_access`: the user may read any key (see `Acl::reads_every_key`), which a BY
/// pattern (with a `*`) and a GET pattern need, since they name other keys.
fn parse_options<'a>(argv: &[&'a [u8]], readonly: bool, full_key_access: bool) -> Result<Options<'a>, Error> {
  let mut options = Options { limit_count: -1, ..Options::default() };
  let mut args = Args::new(argv, 2);
  while let Some(arg) = args.next() {
    if is(arg, "asc") {
      options.desc = false;
    } else if is(arg, "desc") {
      options.desc = true;
    } else if is(arg, "alpha") {
      options.alpha = true;
    } else if is(arg, "limit") && args.remaining() >= 2 {
      // Both operands must be there before either is read: `LIMIT x` alone is a syntax error.
      options.limit_start = args.int()?;
      options.limit_count = args.int()?;
    } else if !readonly && is(arg, "store") {
      options.store = Some(args.value()?);
    } else if is(arg, "by") {
      let pattern = args.value()?;
      options.by = Some(pattern);
      if !cstr::until_nul(pattern).contains(&b'*') {
        options.dont_sort = true;
      } else if !full_key_access {
        return Err(Error::err("BY option of SORT denied due to insufficient ACL permissions."));
      }
    } else if is(arg, "get") {
      let pattern = args.value()?;
      if !full_key_access {
        return Err(Error::err("GET option of SORT denied due to insufficient ACL permissions."));
      }
      options.gets.push(pattern);
    } else {
      return Err(Error::Syntax);
    }
  }
  Ok(options)
}

/// One element to sort, with its sort key.
struct Item {
  element: SmallBytes,
  score: f64,
  /// The BY value for an ALPHA sort by pattern (`None` when the key or field is missing).
  by: Option<Vec<u8>>,
}

impl Item {
  fn new(element: &[u8]) -> Item {
    Item { element: SmallBytes::new(element), score: 0.0, by: None }
  }
}

fn sort_generic(ctx: &mut Ctx, argv: &[&[u8]], readonly: bool) -> CmdResult {
  let full_key_access = ctx.session.acl_exempt || {
    let spec = crate::cmd::table::lookup(if readonly { b"sort_ro" } else { b"sort" }).expect("SORT is in the table");
    ctx.server.acl.reads_every_key(ctx.session.user, spec, argv)
  };
  let mut options = parse_options(argv, readonly, full_key_access)?;

  // The elements, in the collection's own order. A missing key is an empty list.
  let from_script = ctx.session.caller() == crate::session::Caller::Script;
  let (mut entry, _) = ctx.lookup_read(argv[1]);
  if let Some(Value::ZSet(zset)) = entry.as_mut().map(|e| &mut e.value) {
    convert_to_skiplist(zset);
  }
  // Only sets have no order of their own (lists and sorted sets do).
  let (is_set, elements): (bool, Vec<&[u8]>) = match entry.map(|e| &e.value) {
    None => (false, Vec::new()),
    Some(Value::List(list)) => (false, list.iter().collect()),
    Some(Value::Set(set)) => (true, set.iter().collect()),
    Some(Value::ZSet(zset)) => (false, zset.iter().map(|(member, _)| member).collect()),
    Some(_) => return Err(Error::WrongType),
  };

  // A set has no order of its own: stored results, and results a script sees, are sorted
  // byte-wise so that they do not depend on the set's internal layout.
  if options.dont_sort && is_set && (options.store.is_some() || from_script) {
    options.dont_sort = false;
    options.alpha = true;
    options.by = None;
  }

  // LIMIT, clamped as Redis does: an empty range has end = start - 1.
  let len = elements.len() as i64;
  let mut start = options.limit_start.max(0);
  let mut end = if options.limit_count < 0 { len - 1 } else { start.saturating_add(options.limit_count) - 1 };
  if start >= len {
    start = len - 1;
    end = len - 2;
  }
  end = end.min(len - 1);

  let mut items: Vec<Item>;
  if options.dont_sort && !is_set {
    // Lists and sorted sets keep their order (backwards for DESC); only the range is loaded.
    items = Vec::new();
    if end >= start {
      let (from, count) = (start as usize, (end - start + 1) as usize);
      if options.desc {
        items.extend(elements.iter().rev().skip(from).take(count).map(|e| Item::new(e)));
      } else {
        items.extend(elements.iter().skip(from).take(count).map(|e| Item::new(e)));
      }
      end -= start;
      start = 0;
    }
  } else {
    items = elements.iter().map(|e| Item::new(e)).collect();
  }

  if !options.dont_sort {
    let mut unreadable = false;
    for item in items.iter_mut() {
      match options.by {
        // A missing BY key or field leaves the defaults: score 0, or first for ALPHA.
        Some(pattern) => match lookup_by_pattern(ctx, pattern, item.element.as_slice()) {
          Some(value) if options.alpha => item.by = Some(value),
          Some(value) => match strtod_score(&value) {
            Some(score) => item.score = score,
            None => unreadable = true,
          },
          None => {}
        },
        // ALPHA without BY compares the elements themselves.
        None if options.alpha => {}
        None => match strtod_score(item.element.as_slice()) {
          Some(score) => item.score = score,
          None => unreadable = true,
        },
      }
    }
    if unreadable {
      return Err(Error::err("One or more scores can't be converted into double"));
    }
    if end >= start {
      let compare = Comparison {
        desc: options.desc,
        alpha: options.alpha,
        by_pattern: options.by.is_some(),
        binary: options.store.is_some(),
      };
      if options.by.is_some() && (start != 0 || end != items.len() as i64 - 1) {
        partial_quicksort(&mut items, start as usize, end as usize, &mut |a, b| compare.order(a, b));
      } else {
        items.sort_by(|a, b| compare.order(a, b));
      }
    }
  }

  let selected: &[Item] = if end >= start { &items[start as usize..=end as usize] } else { &[] };
  match options.store {
    None => reply_sorted(ctx, selected, &options.gets),
    Some(destination) => store_sorted(ctx, selected, &options.gets, destination),
  }
  Ok(())
}

/// Redis 7.0's SORT converts a compact sorted set to a skiplist before reading it (a lasting
/// change that OBJECT ENCODING shows), even for SORT_RO; rebuilt here through the public
/// constructor, with limits that nothing fits.
fn convert_to_skiplist(zset: &mut ZSet) {
  if zset.encoding() == "listpack" {
    let members = zset.iter().map(|(member, score)| (SmallBytes::new(member), score)).collect();
    *zset = ZSet::from_sorted(members, zset::Limits { entries: 0, value: 0 });
  }
}

/// Replies with the selected elements, or for each of them the GET patterns' values.
fn reply_sorted(ctx: &mut Ctx, selected: &[Item], gets: &[&[u8]]) {
  let per_element = gets.len().max(1);
  ctx.out.array(selected.len() * per_element);
  for item in selected {
    if gets.is_empty() {
      ctx.out.bulk(item.element.as_slice());
    }
    for pattern in gets {
      match lookup_by_pattern(ctx, pattern, item.element.as_slice()) {
        Some(value) => ctx.out.bulk(&value),
        None => ctx.out.null(),
      }
    }
  }
}

/// Stores the selected elements (or GET values, an empty string for a missing one) as a list
/// at `destination`, replacing any value and time to live; no element deletes `destination`.
/// Replies with the number of elements stored.
///
/// A store is a `sortstore` event and one change per element; a deletion is a `del` event
/// and one change; deleting nothing is no change at all.
fn store_sorted(ctx: &mut Ctx, selected: &[Item], gets: &[&[u8]], destination: &[u8]) {
  let mut list = List::new();
  for item in selected {
    if gets.is_empty() {
      list.push_back(item.element.clone());
    }
    for pattern in gets {
      let value = lookup_by_pattern(ctx, pattern, item.element.as_slice()).unwrap_or_default();
      list.push_back(SmallBytes::from_vec(value));
    }
  }
  let stored = list.len();
  let now = ctx.now_ms;
  if stored > 0 {
    // An expired destination is reclaimed (and reported) before the new list takes its place,
    // which is then a new key.
    ctx.db().live_position(destination, now);
    ctx.settle_logged();
    ctx.db().set(destination, Value::List(Box::new(list)), false, now);
    ctx.modified(destination);
    ctx.notify(notify::LIST, "sortstore", destination);
    ctx.dirty(stored as u64);
  } else if ctx.db().remove(destination).is_some() {
    // Like Redis, the deletion does not ask whether the destination had expired already.
    ctx.changed(notify::GENERIC, "del", destination);
  }
  ctx.out.int(stored as i64);
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the first `*` of the
/// pattern is replaced by the element to form a key name, and a `->field` suffix after the `*`
/// reads that field of a hash instead of a string. A pattern without `*`, a missing key, a key
/// of another type or a missing field give `None`. The key is looked up like any read.
fn lookup_by_pattern(ctx: &mut Ctx, pattern: &[u8], element: &[u8]) -> Option<Vec<u8>> {
  if pattern.first() == Some(&b'#') && pattern.get(1).is_none_or(|&b| b == 0) {
    return Some(element.to_vec());
  }
  let searchable = cstr::until_nul(pattern);
  let star = searchable.iter().position(|&b| b == b'*')?;
  let arrow = searchable[star + 1..].windows(2).position(|w| w == b"->").map(|at| star + 1 + at);
  let (postfix_end, field) = match arrow {
    // A field name must follow the arrow; otherwise the arrow is part of the key name.
    Some(at) if at + 2 < searchable.len() => (at, Some(&pattern[at + 2..])),
    _ => (pattern.len(), None),
  };
  let mut key = Vec::with_capacity(pattern.len() + element.len());
  key.extend_from_slice(&pattern[..star]);
  key.extend_from_slice(element);
  key.extend_from_slice(&pattern[star + 1..postfix_end]);

  let (entry, _) = ctx.lookup_read(&key);
  let value = &entry?.value;
  match field {
    Some(field) => match value {
      Value::Hash(hash) => hash.get(field).map(|v| v.to_vec()),
      _ => None,
    },
    None => value.as_bytes().map(|bytes| bytes.into_owned()),
  }
}

/// Redis's `sortCompare` for the options of one SORT.
struct Comparison {
  desc: bool,
  alpha: bool,
  by_pattern: bool,
  /// STORE compares whole byte strings; replies compare like `strcoll` (C strings).
  binary: bool,
}

impl Comparison {
  fn order(&self, a: &Item, b: &Item) -> Ordering {
    let order = if !self.alpha {
      // Equal scores fall back to the elements themselves, so the result is deterministic.
      a.score
        .partial_cmp(&b.score)
        .unwrap_or(Ordering::Equal)
        .then_with(|| a.element.as_slice().cmp(b.element.as_slice()))
    } else if self.by_pattern {
      match (&a.by, &b.by) {
        (Some(x), Some(y)) => self.compare_strings(x, y),
        // Elements whose BY key is missing come first.
        (x, y) => x.is_some().cmp(&y.is_some()),
      }
    } else {
      self.compare_strings(a.element.as_slice(), b.element.as_slice())
    };
    if self.desc {
      order.reverse()
    } else {
      order
    }
  }

  fn compare_strings(&self, a: &[u8], b: &[u8]) -> Ordering {
    if self.binary {
      a.cmp(b)
    } else {
      cstr::until_nul(a).cmp(cstr::until_nul(b))
    }
  }
}

/// Sorts enough of `items` for positions `first..=last` to hold what a full sort would put
/// there, exactly as Redis's `pqsort` (Bentley and McIlroy's quicksort, which leaves partitions
/// outside the range unsorted) does, so that elements comparing equal end up in the same order.
fn partial_quicksort<T>(items: &mut [T], first: usize, last: usize, compare: &mut impl FnMut(&T, &T) -> Ordering) {
  let len = items.len();
  quicksort_part(items, 0, len, first, last, compare);
}

/// [`partial_quicksort`] on the `n` items from `base`; positions stay absolute.
fn quicksort_part<T>(
  items: &mut [T],
  mut base: usize,
  mut n: usize,
  first: usize,
  last: usize,
  compare: &mut impl FnMut(&T, &T) -> Ordering,
) {
  let overlaps = |start: usize, len: usize| !(last < start || first >= start + len);
  loop {
    if n < 7 {
      for m in base + 1..base + n {
        let mut l = m;
        while l > base && compare(&items[l - 1], &items[l]) == Ordering::Greater {
          items.swap(l, l - 1);
          l -= 1;
        }
      }
      return;
    }
    let mut pivot = base + n / 2;
    if n > 7 {
      let mut low = base;
      let mut high = base + n - 1;
      if n > 40 {
        let d = n / 8;
        low = median_of_three(items, low, low + d, low + 2 * d, compare);
        pivot = median_of_three(items, pivot - d, pivot, pivot + d, compare);
        high = median_of_three(items, high - 2 * d, high - d, high, compare);
      }
      pivot = median_of_three(items, low, pivot, high, compare);
    }
    items.swap(base, pivot);

    // Partition the rest into [= pivot | < pivot | unknown | > pivot | = pivot].
    let (mut pa, mut pb) = (base + 1, base + 1);
    let (mut pc, mut pd) = (base + n - 1, base + n - 1);
    loop {
      while pb <= pc {
        let order = compare(&items[pb], &items[base]);
        if order == Ordering::Greater {
          break;
        }
        if order == Ordering::Equal {
          items.swap(pa, pb);
          pa += 1;
        }
        pb += 1;
      }
      while pb <= pc {
        let order = compare(&items[pc], &items[base]);
        if order == Ordering::Less {
          break;
        }
        if order == Ordering::Equal {
          items.swap(pc, pd);
          pd -= 1;
        }
        pc -= 1;
      }
      if pb > pc {
        break;
      }
      items.swap(pb, pc);
      pb += 1;
      pc -= 1;
    }

    // Move the runs equal to the pivot from both ends to the middle.
    let end = base + n;
    let r = (pa - base).min(pb - pa);
    swap_runs(items, base, pb - r, r);
    let r = (pd - pc).min(end - pd - 1);
    swap_runs(items, pb, end - r, r);

    // Recurse into the lower part, loop on the upper one, skipping parts outside the range.
    let lower = pb - pa;
    if lower > 1 && overlaps(base, lower) {
      quicksort_part(items, base, lower, first, last, compare);
    }
    let upper = pd - pc;
    if upper > 1 && overlaps(end - upper, upper) {
      base = end - upper;
      n = upper;
      continue;
    }
    return;
  }
}

fn median_of_three<T>(
  items: &[T],
  a: usize,
  b: usize,
  c: usize,
  compare: &mut impl FnMut(&T, &T) -> Ordering,
) -> usize {
  if compare(&items[a], &items[b]) == Ordering::Less {
    if compare(&items[b], &items[c]) == Ordering::Less {
      b
    } else if compare(&items[a], &items[c]) == Ordering::Less {
      c
    } else {
      a
    }
  } else if compare(&items[b], &items[c]) == Ordering::Greater {
    b
  } else if compare(&items[a], &items[c]) == Ordering::Less {
    a
  } else {
    c
  }
}

/// Swaps the `count` items from `a` with the `count` items from `b`, pairwise in order.
fn swap_runs<T>(items: &mut [T], a: usize, b: usize, count: usize) {
  for k in 0..count {
    items.swap(a + k, b + k);
  }
}

/// Reads a sort key the way SORT does, with C's `strtod` on the value as a C string (up to its
/// first NUL byte), which must be consumed whole: leading white space is allowed and an empty
/// text is 0 (nothing to convert, nothing left over). NaN and results out of range (where
/// `strtod` reports ERANGE, see [`cstr::strtod`]) are refused.
fn strtod_score(bytes: &[u8]) -> Option<f64> {
  match cstr::strtod_all(cstr::until_nul(bytes))? {
    Strtod { value, erange: false, .. } if !value.is_nan() => Some(value),
    _ => None,
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  /// SORT's rules on top of `strtod` (the spellings themselves are tested in `cstr`).
  #[test]
  fn strtod_rules() {
    assert_eq!(strtod_score(b""), Some(0.0));
    assert_eq!(strtod_score(b" \t12"), Some(12.0));
    assert_eq!(strtod_score(b"12 "), None);
    assert_eq!(strtod_score(b" "), None);
    assert_eq!(strtod_score(b"1\x00junk"), Some(1.0));
    assert_eq!(strtod_score(b"\x00junk"), Some(0.0));
    assert_eq!(strtod_score(b"+.5"), Some(0.5));
    assert_eq!(strtod_score(b"1e"), None);
    assert_eq!(strtod_score(b"."), None);
    assert_eq!(strtod_score(b"-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(strtod_score(b"infinit"), None);
    assert_eq!(strtod_score(b"nan"), None);
    assert_eq!(strtod_score(b"1e309"), None);
    assert_eq!(strtod_score(b"1e-400"), None);
    assert_eq!(strtod_score(b"1e-310"), None);
    assert_eq!(strtod_score(b"2.2250738585072014e-308"), Some(f64::MIN_POSITIVE));
    assert_eq!(strtod_score(b"0X1.8P1"), Some(3.0));
    assert_eq!(strtod_score(b"0x1p"), None);
    assert_eq!(strtod_score(b"0x"), None);
    assert_eq!(strtod_score(b"0x1p-1074"), Some(f64::from_bits(1)));
    assert_eq!(strtod_score(b"0x1.8p-1074"), None);
    assert_eq!(strtod_score(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
    assert_eq!(strtod_score(b"0x1p1024"), None);
  }

  #[test]
  fn partial_quicksort_sorts_the_range() {
    for len in 0..120usize {
      let original: Vec<u32> = (0..len as u32).map(|i| (i * 7919 + 13) % 31).collect();
      let mut sorted = original.clone();
      sorted.sort();
      for (first, last) in
        [(0, len.saturating_sub(1)), (len / 3, len / 2), (len.saturating_sub(2), len.saturating_sub(1))]
      {
        if len == 0 || last < first {
          continue;
        }
        let mut items = original.clone();
        partial_quicksort(&mut items, first, last, &mut |a, b| a.cmp(b));
        assert_eq!(items[first..=last], sorted[first..=last], "len {len} range {first}..={last}");
      }
    }
  }
}
