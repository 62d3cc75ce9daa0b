//! Sorted sets: unique members ordered by score, then by member bytes.
//!
//! Two encodings, as in Redis 7.0: [`listpack`] (a compact sorted vector) while the set has at
//! most `zset-max-listpack-entries` members of at most `zset-max-listpack-value` bytes, then
//! [`skiplist`] (a skiplist with spans over a dense member map). A set converts when an
//! insertion would break either limit and never converts back; results written by the
//! ZRANGESTORE/ZUNIONSTORE family start in whichever encoding their size calls for.
//!
//! Positions in order are ranks (0-based). A [`Pos`] is a rank plus, for the skiplist, the node
//! found at that rank, so that a range search followed by a walk costs one O(log n) search.

pub mod listpack;
pub mod skiplist;

use crate::bytes::SmallBytes;
use listpack::{stored_score, Listpack};
use skiplist::{SkipList, NIL};
use std::cmp::Ordering;

/// The encoding thresholds (`zset-max-listpack-entries`, `zset-max-listpack-value`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
  pub entries: usize,
  pub value: usize,
}

impl Limits {
  /// Whether `len` members of at most `longest` bytes fit the compact encoding.
  pub fn fit(&self, len: usize, longest: usize) -> bool {
    len <= self.entries && longest <= self.value
  }
}

#[derive(Clone)]
pub struct ZSet {
  encoding: Encoding,
}

#[derive(Clone)]
enum Encoding {
  Listpack(Listpack),
  Skiplist(Box<SkipList>),
}

/// A position in order: a rank and, in a skiplist, the node at that rank.
#[derive(Clone, Copy, Debug)]
pub struct Pos {
  pub rank: usize,
  node: u32,
}

/// A score interval; either end may be exclusive (`(1.5` in a command).
#[derive(Clone, Copy, Debug)]
pub struct ScoreRange {
  pub min: f64,
  pub max: f64,
  pub min_exclusive: bool,
  pub max_exclusive: bool,
}

impl ScoreRange {
  #[inline]
  pub fn gte_min(&self, score: f64) -> bool {
    if self.min_exclusive {
      score > self.min
    } else {
      score >= self.min
    }
  }

  #[inline]
  pub fn lte_max(&self, score: f64) -> bool {
    if self.max_exclusive {
      score < self.max
    } else {
      score <= self.max
    }
  }

  /// Whether no score can be in the interval.
  pub fn is_empty(&self) -> bool {
    self.min > self.max || (self.min == self.max && (self.min_exclusive || self.max_exclusive))
  }
}

/// One end of a lexicographic interval: `-` (before every string), `+` (after every string),
/// or a string.
#[derive(Clone, Debug, PartialEq)]
pub enum LexBound {
  Min,
  Max,
  Value(Vec<u8>),
}

/// A lexicographic interval. `-` and `+` count as exclusive ends, as in Redis.
#[derive(Clone, Debug)]
pub struct LexRange {
  pub min: LexBound,
  pub min_exclusive: bool,
  pub max: LexBound,
  pub max_exclusive: bool,
}

/// Compares two bounds as Redis's `sdscmplex` does (`-` and `+` only equal themselves).
fn compare_bounds(a: &LexBound, b: &LexBound) -> Ordering {
  match (a, b) {
    (LexBound::Min, LexBound::Min) | (LexBound::Max, LexBound::Max) => Ordering::Equal,
    (LexBound::Min, _) | (_, LexBound::Max) => Ordering::Less,
    (LexBound::Max, _) | (_, LexBound::Min) => Ordering::Greater,
    (LexBound::Value(a), LexBound::Value(b)) => a.as_slice().cmp(b.as_slice()),
  }
}

/// Compares a member with a bound.
fn compare_member(member: &[u8], bound: &LexBound) -> Ordering {
  match bound {
    LexBound::Min => Ordering::Greater,
    LexBound::Max => Ordering::Less,
    LexBound::Value(value) => member.cmp(value.as_slice()),
  }
}

impl LexRange {
  #[inline]
  pub fn gte_min(&self, member: &[u8]) -> bool {
    let order = compare_member(member, &self.min);
    if self.min_exclusive {
      order == Ordering::Greater
    } else {
      order != Ordering::Less
    }
  }

  #[inline]
  pub fn lte_max(&self, member: &[u8]) -> bool {
    let order = compare_member(member, &self.max);
    if self.max_exclusive {
      order == Ordering::Less
    } else {
      order != Ordering::Greater
    }
  }

  /// Whether no member can be in the interval.
  pub fn is_empty(&self) -> bool {
    match compare_bounds(&self.min, &self.max) {
      Ordering::Greater => true,
      Ordering::Equal => self.min_exclusive || self.max_exclusive,
      Ordering::Less => false,
    }
  }
}

impl ZSet {
  /// An empty sorted set about to receive a first member of `first_len` bytes: compact unless
  /// the limits already rule it out (as Redis's ZADD creates it).
  pub fn new(limits: Limits, first_len: usize) -> ZSet {
    if limits.fit(1, first_len) {
      ZSet { encoding: Encoding::Listpack(Listpack::default()) }
    } else {
      ZSet { encoding: Encoding::Skiplist(Box::default()) }
    }
  }

  /// A sorted set made of `items`, already in order and without duplicates, in the encoding
  /// their number and longest member call for.
  pub fn from_sorted(items: Vec<(SmallBytes, f64)>, limits: Limits) -> ZSet {
    let longest = items.iter().map(|(member, _)| member.len()).max().unwrap_or(0);
    if limits.fit(items.len(), longest) {
      let mut listpack = Listpack { entries: Vec::with_capacity(items.len()) };
      for (member, score) in items {
        listpack.push(member, score);
      }
      ZSet { encoding: Encoding::Listpack(listpack) }
    } else {
      let mut list = Box::<SkipList>::default();
      for (member, score) in items {
        list.insert(member, score);
      }
      ZSet { encoding: Encoding::Skiplist(list) }
    }
  }

  /// The encoding name, as OBJECT ENCODING reports it.
  pub fn encoding(&self) -> &'static str {
    match &self.encoding {
      Encoding::Listpack(_) => "listpack",
      Encoding::Skiplist(_) => "skiplist",
    }
  }

  pub fn len(&self) -> usize {
    match &self.encoding {
      Encoding::Listpack(lp) => lp.entries.len(),
      Encoding::Skiplist(list) => list.len(),
    }
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  /// Heap bytes owned by the sorted set (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    match &self.encoding {
      Encoding::Listpack(lp) => lp.heap_size(),
      Encoding::Skiplist(list) => std::mem::size_of::<SkipList>() + list.heap_size(),
    }
  }

  /// Every member and its score, in order.
  pub fn iter(&self) -> Range<'_> {
    self.range(self.first_pos(), false)
  }

  /// The score of `member`.
  pub fn score(&self, member: &[u8]) -> Option<f64> {
    match &self.encoding {
      Encoding::Listpack(lp) => lp.find(member).map(|i| lp.entries[i].score),
      Encoding::Skiplist(list) => list.score(member),
    }
  }

  /// Adds a member known to be absent, converting to the skiplist first if the set would
  /// break `limits`.
  pub fn insert(&mut self, member: &[u8], score: f64, limits: Limits) {
    if let Encoding::Listpack(lp) = &self.encoding {
      if !limits.fit(lp.entries.len() + 1, member.len()) {
        self.convert();
      }
    }
    match &mut self.encoding {
      Encoding::Listpack(lp) => lp.insert(SmallBytes::new(member), score),
      Encoding::Skiplist(list) => list.insert(SmallBytes::new(member), score),
    }
  }

  /// Changes the score of a present member.
  pub fn set_score(&mut self, member: &[u8], score: f64) {
    match &mut self.encoding {
      Encoding::Listpack(lp) => {
        if let Some(index) = lp.find(member) {
          lp.set_score(index, score);
        }
      }
      Encoding::Skiplist(list) => {
        if let Some(id) = list.find(member) {
          list.set_score(id, score);
        }
      }
    }
  }

  /// Removes `member`; returns whether it was present.
  pub fn remove(&mut self, member: &[u8]) -> bool {
    match &mut self.encoding {
      Encoding::Listpack(lp) => match lp.find(member) {
        Some(index) => {
          lp.entries.remove(index);
          true
        }
        None => false,
      },
      Encoding::Skiplist(list) => list.remove(member).is_some(),
    }
  }

  /// Converts the compact encoding to the skiplist.
  fn convert(&mut self) {
    if let Encoding::Listpack(lp) = &mut self.encoding {
      let mut list = Box::<SkipList>::default();
      for entry in std::mem::take(&mut lp.entries) {
        list.insert(entry.member, entry.score);
      }
      self.encoding = Encoding::Skiplist(list);
    }
  }

  /// 0-based rank of `member`, from the lowest score or (`reverse`) from the highest.
  pub fn rank(&self, member: &[u8], reverse: bool) -> Option<usize> {
    let rank = match &self.encoding {
      Encoding::Listpack(lp) => lp.find(member)?,
      Encoding::Skiplist(list) => list.rank(list.find(member)?),
    };
    Some(if reverse { self.len() - 1 - rank } else { rank })
  }

  fn first_pos(&self) -> Pos {
    match &self.encoding {
      Encoding::Listpack(_) => Pos { rank: 0, node: NIL },
      Encoding::Skiplist(list) => Pos { rank: 0, node: list.first() },
    }
  }

  /// The position of 0-based `rank` (< len).
  pub fn pos_at_rank(&self, rank: usize) -> Pos {
    match &self.encoding {
      Encoding::Listpack(_) => Pos { rank, node: NIL },
      Encoding::Skiplist(list) => Pos { rank, node: list.at_rank(rank) },
    }
  }

  /// Walks from `start` toward higher scores, or lower ones if `reverse`.
  pub fn range(&self, start: Pos, reverse: bool) -> Range<'_> {
    match &self.encoding {
      Encoding::Listpack(lp) => {
        let entries = &lp.entries;
        if reverse {
          let end = (start.rank + 1).min(entries.len());
          Range::ListpackBackward(entries[..end].iter().rev())
        } else {
          Range::ListpackForward(entries[start.rank.min(entries.len())..].iter())
        }
      }
      Encoding::Skiplist(list) => Range::Skiplist { list, node: start.node, reverse },
    }
  }

  /// The first position with a score in `range`.
  pub fn first_in_score_range(&self, range: &ScoreRange) -> Option<Pos> {
    if range.is_empty() {
      return None;
    }
    match &self.encoding {
      Encoding::Listpack(lp) => lp.first_in_score_range(range).map(|rank| Pos { rank, node: NIL }),
      Encoding::Skiplist(list) => list.first_in_score_range(range).map(|(node, rank)| Pos { rank, node }),
    }
  }

  /// The last position with a score in `range`.
  pub fn last_in_score_range(&self, range: &ScoreRange) -> Option<Pos> {
    if range.is_empty() {
      return None;
    }
    match &self.encoding {
      Encoding::Listpack(lp) => lp.last_in_score_range(range).map(|rank| Pos { rank, node: NIL }),
      Encoding::Skiplist(list) => list.last_in_score_range(range).map(|(node, rank)| Pos { rank, node }),
    }
  }

  /// The first position with a member in `range`.
  pub fn first_in_lex_range(&self, range: &LexRange) -> Option<Pos> {
    if range.is_empty() {
      return None;
    }
    match &self.encoding {
      Encoding::Listpack(lp) => lp.first_in_lex_range(range).map(|rank| Pos { rank, node: NIL }),
      Encoding::Skiplist(list) => list.first_in_lex_range(range).map(|(node, rank)| Pos { rank, node }),
    }
  }

  /// The last position with a member in `range`.
  pub fn last_in_lex_range(&self, range: &LexRange) -> Option<Pos> {
    if range.is_empty() {
      return None;
    }
    match &self.encoding {
      Encoding::Listpack(lp) => lp.last_in_lex_range(range).map(|rank| Pos { rank, node: NIL }),
      Encoding::Skiplist(list) => list.last_in_lex_range(range).map(|(node, rank)| Pos { rank, node }),
    }
  }

  /// How many members have a score in `range` (ZCOUNT): a walk in the compact encoding, the
  /// difference of two ranks in the skiplist.
  pub fn count_in_score_range(&self, range: &ScoreRange) -> usize {
    let Some(first) = self.first_in_score_range(range) else { return 0 };
    match &self.encoding {
      Encoding::Listpack(_) => self.range(first, false).take_while(|&(_, score)| range.lte_max(score)).count(),
      Encoding::Skiplist(_) => self.last_in_score_range(range).map_or(0, |last| last.rank + 1 - first.rank),
    }
  }

  /// How many members are in the lexicographic `range` (ZLEXCOUNT), computed like
  /// [`ZSet::count_in_score_range`].
  pub fn count_in_lex_range(&self, range: &LexRange) -> usize {
    let Some(first) = self.first_in_lex_range(range) else { return 0 };
    match &self.encoding {
      Encoding::Listpack(_) => self.range(first, false).take_while(|&(member, _)| range.lte_max(member)).count(),
      Encoding::Skiplist(_) => self.last_in_lex_range(range).map_or(0, |last| last.rank + 1 - first.rank),
    }
  }

  /// Removes `count` members from rank `start` on.
  pub fn remove_ranks(&mut self, start: usize, count: usize) {
    match &mut self.encoding {
      Encoding::Listpack(lp) => {
        let end = (start + count).min(lp.entries.len());
        lp.entries.drain(start.min(end)..end);
      }
      Encoding::Skiplist(list) => {
        if count == 0 || start >= list.len() {
          return;
        }
        let mut victims = Vec::with_capacity(count.min(list.len()));
        let mut node = list.at_rank(start);
        while node != NIL && victims.len() < count {
          victims.push(list.member(node).clone());
          node = list.next(node);
        }
        for member in victims {
          list.remove(&member);
        }
      }
    }
  }

  /// Removes and returns the member with the lowest score, or (`max`) the highest.
  pub fn pop(&mut self, max: bool) -> Option<(SmallBytes, f64)> {
    match &mut self.encoding {
      Encoding::Listpack(lp) => {
        let entry = if max {
          lp.entries.pop()?
        } else if lp.entries.is_empty() {
          return None;
        } else {
          lp.entries.remove(0)
        };
        Some((entry.member, entry.score))
      }
      Encoding::Skiplist(list) => {
        let node = if max { list.last() } else { list.first() };
        (node != NIL).then(|| list.remove_node(node))
      }
    }
  }

  /// The member in storage slot `slot` (0..len): slots index every member once, in an order
  /// of their own, for uniform sampling. In the compact encoding a slot is a rank.
  pub fn at_slot(&self, slot: usize) -> (&[u8], f64) {
    match &self.encoding {
      Encoding::Listpack(lp) => (&lp.entries[slot].member, lp.entries[slot].score),
      Encoding::Skiplist(list) => list.at_slot(slot),
    }
  }

  /// Whether this is the compact encoding (whose slots are ranks).
  pub fn is_compact(&self) -> bool {
    matches!(self.encoding, Encoding::Listpack(_))
  }

  /// ZSCAN: the compact encoding is returned whole with cursor 0, as Redis does; the skiplist
  /// is walked about `count` members per call through its map (see `DenseMap::scan`).
  /// `visit` gets each member and the text of its score. Returns the next cursor.
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(&[u8], &[u8])) -> u64 {
    match &self.encoding {
      Encoding::Listpack(lp) => {
        for entry in &lp.entries {
          visit(&entry.member, listpack_score_text(entry.score).as_bytes());
        }
        0
      }
      Encoding::Skiplist(list) => {
        list.scan(cursor, count, |member, score| visit(member, crate::num::format_double(score).as_bytes()))
      }
    }
  }
}

/// How a listpack holds a score as text (what ZSCAN returns for it): a whole number within
/// ±2^62 as an integer, anything else printed with `%.17g` (Redis's `zzlInsertAt`).
fn listpack_score_text(score: f64) -> String {
  const LIMIT: f64 = 4_611_686_018_427_387_904.0; // 2^62, i.e. (double)(LLONG_MAX / 2)
  if (-LIMIT..=LIMIT).contains(&score) && score.fract() == 0.0 {
    (stored_score(score) as i64).to_string()
  } else {
    crate::num::format_double(score)
  }
}

/// A walk over a sorted set from some position, in either direction.
pub enum Range<'a> {
  ListpackForward(std::slice::Iter<'a, listpack::Entry>),
  ListpackBackward(std::iter::Rev<std::slice::Iter<'a, listpack::Entry>>),
  Skiplist { list: &'a SkipList, node: u32, reverse: bool },
}

impl<'a> Iterator for Range<'a> {
  type Item = (&'a [u8], f64);

  #[inline]
  fn next(&mut self) -> Option<Self::Item> {
    match self {
      Range::ListpackForward(entries) => entries.next().map(|e| (e.member.as_slice(), e.score)),
      Range::ListpackBackward(entries) => entries.next().map(|e| (e.member.as_slice(), e.score)),
      Range::Skiplist { list, node, reverse } => {
        if *node == NIL {
          return None;
        }
        let current = *node;
        *node = if *reverse { list.prev(current) } else { list.next(current) };
        Some((list.member(current).as_slice(), list.score_at(current)))
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  const SMALL: Limits = Limits { entries: 4, value: 8 };

  fn members(zset: &ZSet) -> Vec<(String, f64)> {
    zset.iter().map(|(m, s)| (String::from_utf8_lossy(m).into_owned(), s)).collect()
  }

  #[test]
  fn converts_past_either_limit_and_keeps_order() {
    let mut zset = ZSet::new(SMALL, 1);
    for (i, m) in ["d", "c", "b", "a"].iter().enumerate() {
      zset.insert(m.as_bytes(), (i % 2) as f64, SMALL);
    }
    assert_eq!(zset.encoding(), "listpack");
    let before = members(&zset);
    zset.insert(b"e", 0.5, SMALL);
    assert_eq!(zset.encoding(), "skiplist");
    let mut expected = before;
    expected.insert(2, ("e".into(), 0.5));
    assert_eq!(members(&zset), expected);

    let mut long = ZSet::new(SMALL, 1);
    long.insert(b"x", 1.0, SMALL);
    long.insert(b"123456789", 2.0, SMALL);
    assert_eq!(long.encoding(), "skiplist");
    assert_eq!(ZSet::new(SMALL, 9).encoding(), "skiplist");
  }

  #[test]
  fn both_encodings_answer_alike() {
    let big = Limits { entries: 1000, value: 64 };
    let mut compact = ZSet::new(big, 1);
    let mut large = ZSet::new(Limits { entries: 0, value: 64 }, 1);
    for i in 0..200u32 {
      let member = format!("m{:03}", (i * 37) % 200);
      let score = (i % 7) as f64;
      compact.insert(member.as_bytes(), score, big);
      large.insert(member.as_bytes(), score, big);
    }
    assert_eq!((compact.encoding(), large.encoding()), ("listpack", "skiplist"));
    assert_eq!(members(&compact), members(&large));
    let range = ScoreRange { min: 2.0, max: 4.0, min_exclusive: false, max_exclusive: true };
    assert_eq!(compact.count_in_score_range(&range), large.count_in_score_range(&range));
    let first = |z: &ZSet| z.first_in_score_range(&range).map(|p| p.rank);
    let last = |z: &ZSet| z.last_in_score_range(&range).map(|p| p.rank);
    assert_eq!((first(&compact), last(&compact)), (first(&large), last(&large)));
    for m in ["m000", "m123", "m199"] {
      assert_eq!(compact.rank(m.as_bytes(), true), large.rank(m.as_bytes(), true));
    }
    let at = |z: &ZSet| z.range(z.pos_at_rank(150), true).take(5).map(|(m, _)| m.to_vec()).collect::<Vec<_>>();
    assert_eq!(at(&compact), at(&large));
    compact.remove_ranks(10, 50);
    large.remove_ranks(10, 50);
    assert_eq!(members(&compact), members(&large));
    assert_eq!(compact.pop(true), large.pop(true));
  }

  #[test]
  fn listpack_turns_negative_zero_into_zero() {
    let mut zset = ZSet::new(SMALL, 1);
    zset.insert(b"a", -0.0, SMALL);
    assert!(zset.score(b"a").unwrap().is_sign_positive());
    assert_eq!(listpack_score_text(1.5e17), "150000000000000000");
    assert_eq!(listpack_score_text(1e19), "1e+19");
    assert_eq!(listpack_score_text(0.5), "0.5");
  }
}
