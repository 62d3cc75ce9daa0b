//! The compact sorted-set encoding (`listpack` in OBJECT ENCODING): one sorted vector of
//! `(member, score)` pairs, ordered by score and then by member bytes, as Redis's listpack.
//!
//! It is used while the set is small (`zset-max-listpack-entries`, `zset-max-listpack-value`),
//! where a linear scan beats any index: a member lookup is a scan, an insertion a binary search
//! plus a shift. Redis stores a listpack score that is a whole number as an integer, which
//! turns −0 into 0; [`stored_score`] does the same so replies match.

use super::skiplist::precedes;
use super::{LexRange, ScoreRange};
use crate::bytes::SmallBytes;

#[derive(Clone)]
pub struct Entry {
  pub member: SmallBytes,
  pub score: f64,
}

#[derive(Clone, Default)]
pub struct Listpack {
  pub entries: Vec<Entry>,
}

/// The score a listpack keeps for `score`: Redis writes whole numbers as integers, so −0
/// reads back as 0.
#[inline]
pub fn stored_score(score: f64) -> f64 {
  if score == 0.0 {
    0.0
  } else {
    score
  }
}

impl Listpack {
  /// Index of `member` (a linear scan, as in Redis).
  pub fn find(&self, member: &[u8]) -> Option<usize> {
    self.entries.iter().position(|e| e.member.as_slice() == member)
  }

  /// Adds a member known to be absent at its place in order.
  pub fn insert(&mut self, member: SmallBytes, score: f64) {
    let score = stored_score(score);
    let at = self.entries.partition_point(|e| precedes(e.score, &e.member, score, &member));
    self.entries.insert(at, Entry { member, score });
  }

  /// Appends a pair that sorts after every present one.
  pub fn push(&mut self, member: SmallBytes, score: f64) {
    self.entries.push(Entry { member, score: stored_score(score) });
  }

  /// Changes the score of the entry at `index`, moving it to its new place.
  pub fn set_score(&mut self, index: usize, score: f64) {
    let entry = self.entries.remove(index);
    self.insert(entry.member, score);
  }

  /// Index of the first entry in `range` (Redis's `zzlFirstInRange`).
  pub fn first_in_score_range(&self, range: &ScoreRange) -> Option<usize> {
    if !self.may_intersect(|e| range.gte_min(e.score), |e| range.lte_max(e.score)) {
      return None;
    }
    let at = self.entries.partition_point(|e| !range.gte_min(e.score));
    self.entries.get(at).filter(|e| range.lte_max(e.score)).map(|_| at)
  }

  /// Index of the last entry in `range` (Redis's `zzlLastInRange`).
  pub fn last_in_score_range(&self, range: &ScoreRange) -> Option<usize> {
    if !self.may_intersect(|e| range.gte_min(e.score), |e| range.lte_max(e.score)) {
      return None;
    }
    let end = self.entries.partition_point(|e| range.lte_max(e.score));
    let at = end.checked_sub(1)?;
    range.gte_min(self.entries[at].score).then_some(at)
  }

  /// Index of the first entry whose member is in `range`, scanning from the start like
  /// Redis's `zzlFirstInLexRange` (members are only ordered when all scores are equal).
  pub fn first_in_lex_range(&self, range: &LexRange) -> Option<usize> {
    if !self.may_intersect(|e| range.gte_min(&e.member), |e| range.lte_max(&e.member)) {
      return None;
    }
    let at = self.entries.iter().position(|e| range.gte_min(&e.member))?;
    range.lte_max(&self.entries[at].member).then_some(at)
  }

  /// Index of the last entry whose member is in `range`, scanning from the end.
  pub fn last_in_lex_range(&self, range: &LexRange) -> Option<usize> {
    if !self.may_intersect(|e| range.gte_min(&e.member), |e| range.lte_max(&e.member)) {
      return None;
    }
    let at = self.entries.iter().rposition(|e| range.lte_max(&e.member))?;
    range.gte_min(&self.entries[at].member).then_some(at)
  }

  /// Redis's end checks: the last entry must be past the lower bound, the first within the
  /// upper one.
  fn may_intersect(&self, above_min: impl Fn(&Entry) -> bool, below_max: impl Fn(&Entry) -> bool) -> bool {
    match (self.entries.first(), self.entries.last()) {
      (Some(first), Some(last)) => above_min(last) && below_max(first),
      _ => false,
    }
  }

  /// Heap bytes owned by the entries.
  pub fn heap_size(&self) -> usize {
    self.entries.capacity() * std::mem::size_of::<Entry>()
      + self.entries.iter().map(|e| e.member.heap_size()).sum::<usize>()
  }
}
