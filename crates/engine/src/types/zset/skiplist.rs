//! The large sorted-set encoding (`skiplist` in OBJECT ENCODING): a skiplist with spans, like
//! Redis's `zskiplist`, beside a [`DenseMap`] from member to skiplist node.
//!
//! The map finds a member in O(1) (ZSCORE, the existence checks of ZADD) and gives uniform
//! random sampling and SCAN; the skiplist keeps `(score, member)` order with O(log n) search,
//! rank and insertion. Each link carries a span — how many level-0 steps it jumps — so a rank is
//! the sum of the spans walked (ZRANK, ZRANGE by index, ZCOUNT). Node heights are random with
//! p = 1/4 and at most 32 levels; members with equal scores are ordered by their bytes.
//!
//! Nodes ("towers") are addressed by `u32` offsets into one word arena rather than by pointers.
//! A tower is its score, the map slot of its member, its backward link, its height and one
//! `(forward, span)` pair per level, all contiguous: a search step reads one tower, as a step in
//! Redis reads one node. Freed towers are recycled through one free list per height. A map
//! entry is the member and its tower (32 bytes); a tower is 28 bytes plus 8 per extra level
//! (1/3 of a level on average). The map moves its last entry into the hole a removal leaves;
//! the moved member's tower is told its new slot.
//!
//! A link's span when it points nowhere is the number of nodes after its owner, as in Redis;
//! keeping it exact means the span arithmetic never underflows.

use super::{LexRange, ScoreRange};
use crate::bytes::SmallBytes;
use crate::dense::{DenseMap, Keyed};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

/// "No node".
pub const NIL: u32 = u32::MAX;
/// The header, which is not stored in the arena.
const HEAD: u32 = u32::MAX - 1;
/// Redis's `ZSKIPLIST_MAXLEVEL`.
pub const MAX_LEVEL: usize = 32;

// Word offsets inside a tower.
const SCORE_LOW: usize = 0;
const SCORE_HIGH: usize = 1;
const SLOT: usize = 2;
const BACKWARD: usize = 3;
const HEIGHT: usize = 4;
/// Level `i`'s forward link is at `LEVELS + 2i`, its span right after.
const LEVELS: usize = 5;

/// Words taken by a tower of `height` levels.
#[inline]
fn tower_words(height: usize) -> usize {
  LEVELS + 2 * height
}

/// One forward link of one level.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Link {
  forward: u32,
  span: u32,
}

const EMPTY_LINK: Link = Link { forward: NIL, span: 0 };

/// A member and where its tower is.
#[derive(Clone)]
struct Entry {
  member: SmallBytes,
  tower: u32,
}

impl Keyed for Entry {
  #[inline]
  fn key(&self) -> &[u8] {
    &self.member
  }
}

/// Whether `(score_a, member_a)` sorts before `(score_b, member_b)`.
#[inline]
pub fn precedes(score_a: f64, member_a: &[u8], score_b: f64, member_b: &[u8]) -> bool {
  score_a < score_b || (score_a == score_b && member_a < member_b)
}

/// Predecessors of a position at every level, and the rank of each (0 for the header).
struct Path {
  update: [u32; MAX_LEVEL],
  rank: [u32; MAX_LEVEL],
}

#[derive(Clone)]
pub struct SkipList {
  members: DenseMap<Entry>,
  towers: Vec<u32>,
  head: [Link; MAX_LEVEL],
  tail: u32,
  /// Number of levels in use (at least 1).
  level: usize,
  /// `free[h]`: first free tower of height `h` (chained through its SLOT word), or NIL.
  free: [u32; MAX_LEVEL + 1],
  rng: u64,
  /// Heap bytes of members too long to be stored inline.
  member_heap: usize,
}

/// Seeds for new skiplists: distinct per list, reproducible per process.
static SEEDS: AtomicU64 = AtomicU64::new(0x853c_49e6_748f_ea9b);

impl Default for SkipList {
  fn default() -> Self {
    let seed = SEEDS.fetch_add(0x9e37_79b9_7f4a_7c15, AtomicOrdering::Relaxed);
    SkipList::with_seed(seed)
  }
}

impl SkipList {
  /// An empty list whose node heights are drawn from `seed`.
  pub fn with_seed(seed: u64) -> Self {
    // splitmix64 of the seed: xorshift must not start at zero.
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    SkipList {
      members: DenseMap::default(),
      towers: Vec::new(),
      head: [EMPTY_LINK; MAX_LEVEL],
      tail: NIL,
      level: 1,
      free: [NIL; MAX_LEVEL + 1],
      rng: z | 1,
      member_heap: 0,
    }
  }

  pub fn len(&self) -> usize {
    self.members.len()
  }

  pub fn is_empty(&self) -> bool {
    self.members.is_empty()
  }

  /// The score of node `t`.
  #[inline]
  pub fn score_at(&self, t: u32) -> f64 {
    let t = t as usize;
    f64::from_bits((self.towers[t + SCORE_HIGH] as u64) << 32 | self.towers[t + SCORE_LOW] as u64)
  }

  #[inline]
  fn set_score_at(&mut self, t: u32, score: f64) {
    let bits = score.to_bits();
    self.towers[t as usize + SCORE_LOW] = bits as u32;
    self.towers[t as usize + SCORE_HIGH] = (bits >> 32) as u32;
  }

  /// The member of node `t`.
  #[inline]
  pub fn member(&self, t: u32) -> &SmallBytes {
    &self.members.at(self.towers[t as usize + SLOT] as usize).member
  }

  #[inline]
  fn height(&self, t: u32) -> usize {
    self.towers[t as usize + HEIGHT] as usize
  }

  /// The node holding `member`.
  #[inline]
  pub fn find(&self, member: &[u8]) -> Option<u32> {
    self.members.get(member).map(|entry| entry.tower)
  }

  pub fn score(&self, member: &[u8]) -> Option<f64> {
    self.find(member).map(|t| self.score_at(t))
  }

  pub fn first(&self) -> u32 {
    self.head[0].forward
  }

  pub fn last(&self) -> u32 {
    self.tail
  }

  /// The node after `t` in order, or NIL.
  #[inline]
  pub fn next(&self, t: u32) -> u32 {
    self.towers[t as usize + LEVELS]
  }

  /// The node before `t` in order, or NIL.
  #[inline]
  pub fn prev(&self, t: u32) -> u32 {
    self.towers[t as usize + BACKWARD]
  }

  /// The member and score in slot `slot` of the map (0..len, in no particular order): uniform
  /// random sampling goes through slots.
  pub fn at_slot(&self, slot: usize) -> (&[u8], f64) {
    let entry = self.members.at(slot);
    (&entry.member, self.score_at(entry.tower))
  }

  /// Visits about `count` members for SCAN (see [`DenseMap::scan`]).
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(&[u8], f64)) -> u64 {
    self.members.scan(cursor, count, |entry| visit(&entry.member, self.score_at(entry.tower)))
  }

  /// Heap bytes owned by the list.
  pub fn heap_size(&self) -> usize {
    self.members.table_size() + self.towers.capacity() * std::mem::size_of::<u32>() + self.member_heap
  }

  #[inline]
  fn link(&self, t: u32, level: usize) -> Link {
    if t == HEAD {
      return self.head[level];
    }
    let at = t as usize + LEVELS + 2 * level;
    Link { forward: self.towers[at], span: self.towers[at + 1] }
  }

  #[inline]
  fn set_link(&mut self, t: u32, level: usize, link: Link) {
    if t == HEAD {
      self.head[level] = link;
    } else {
      let at = t as usize + LEVELS + 2 * level;
      self.towers[at] = link.forward;
      self.towers[at + 1] = link.span;
    }
  }

  #[inline]
  fn set_backward(&mut self, t: u32, backward: u32) {
    self.towers[t as usize + BACKWARD] = backward;
  }

  /// A random height: 1, then one more level with probability 1/4 each time, at most 32.
  fn random_height(&mut self) -> usize {
    let mut height = 1;
    loop {
      self.rng ^= self.rng << 13;
      self.rng ^= self.rng >> 7;
      self.rng ^= self.rng << 17;
      if height >= MAX_LEVEL || (self.rng >> 16) & 0xffff >= 0x4000 {
        return height;
      }
      height += 1;
    }
  }

  /// Takes a tower of `height` levels, with its links cleared.
  fn alloc_tower(&mut self, height: usize) -> u32 {
    let t = match self.free[height] {
      NIL => {
        let t = self.towers.len();
        self.towers.resize(t + tower_words(height), NIL);
        t as u32
      }
      t => {
        self.free[height] = self.towers[t as usize + SLOT];
        t
      }
    };
    self.towers[t as usize + HEIGHT] = height as u32;
    for i in 0..height {
      self.set_link(t, i, EMPTY_LINK);
    }
    t
  }

  fn free_tower(&mut self, t: u32) {
    let height = self.height(t);
    self.towers[t as usize + SLOT] = self.free[height];
    self.free[height] = t;
  }

  /// Walks toward `(score, member)`: at each level, the last node that sorts before it.
  fn path_to(&self, score: f64, member: &[u8]) -> Path {
    let mut path = Path { update: [HEAD; MAX_LEVEL], rank: [0; MAX_LEVEL] };
    let (mut x, mut traversed) = (HEAD, 0);
    for i in (0..self.level).rev() {
      loop {
        let link = self.link(x, i);
        if link.forward == NIL {
          break;
        }
        let next_score = self.score_at(link.forward);
        let before = next_score < score || (next_score == score && self.member(link.forward).as_slice() < member);
        if !before {
          break;
        }
        traversed += link.span;
        x = link.forward;
      }
      path.update[i] = x;
      path.rank[i] = traversed;
    }
    path
  }

  /// Adds a member known to be absent.
  pub fn insert(&mut self, member: SmallBytes, score: f64) {
    let height = self.random_height();
    let t = self.alloc_tower(height);
    self.set_score_at(t, score);
    self.towers[t as usize + SLOT] = self.members.len() as u32;
    self.member_heap += member.heap_size();
    self.members.insert_new(Entry { member, tower: t });
    self.link_in(t);
  }

  /// Links the (unlinked) node `t` at the place its score and member give it.
  fn link_in(&mut self, t: u32) {
    let height = self.height(t);
    let mut path = self.path_to(self.score_at(t), self.member(t));
    if height > self.level {
      // Nodes other than `t` are all after the header.
      let others = (self.members.len() - 1) as u32;
      for i in self.level..height {
        path.update[i] = HEAD;
        path.rank[i] = 0;
        self.head[i].span = others;
      }
      self.level = height;
    }
    for i in 0..height {
      let before = self.link(path.update[i], i);
      let skipped = path.rank[0] - path.rank[i];
      self.set_link(t, i, Link { forward: before.forward, span: before.span - skipped });
      self.set_link(path.update[i], i, Link { forward: t, span: skipped + 1 });
    }
    for i in height..self.level {
      let mut link = self.link(path.update[i], i);
      link.span += 1;
      self.set_link(path.update[i], i, link);
    }
    let backward = if path.update[0] == HEAD { NIL } else { path.update[0] };
    self.set_backward(t, backward);
    match self.next(t) {
      NIL => self.tail = t,
      next => self.set_backward(next, t),
    }
  }

  /// Unlinks node `t`, whose predecessors are `path.update` (Redis's `zslDeleteNode`). The
  /// tower and the member's entry stay.
  fn unlink(&mut self, t: u32, path: &Path) {
    for i in 0..self.level {
      let before = self.link(path.update[i], i);
      let link = if before.forward == t {
        let own = self.link(t, i);
        Link { forward: own.forward, span: before.span + own.span - 1 }
      } else {
        Link { forward: before.forward, span: before.span - 1 }
      };
      self.set_link(path.update[i], i, link);
    }
    let backward = self.prev(t);
    match self.next(t) {
      NIL => self.tail = backward,
      next => self.set_backward(next, backward),
    }
    while self.level > 1 && self.head[self.level - 1].forward == NIL {
      self.level -= 1;
    }
  }

  /// Removes the unlinked node `t`: frees its tower and its member's entry. The map moves its
  /// last entry into the freed slot; that entry's tower learns its new slot.
  fn release(&mut self, t: u32) -> (SmallBytes, f64) {
    let score = self.score_at(t);
    let slot = self.towers[t as usize + SLOT] as usize;
    self.free_tower(t);
    let (removed, moved) = self.members.swap_remove(slot);
    if moved.is_some() {
      let tower = self.members.at(slot).tower;
      self.towers[tower as usize + SLOT] = slot as u32;
    }
    self.member_heap -= removed.member.heap_size();
    if self.members.is_empty() {
      // Nothing is linked any more: give the arena back.
      self.towers = Vec::new();
      self.free = [NIL; MAX_LEVEL + 1];
    }
    (removed.member, score)
  }

  /// Removes `member`; returns its score.
  pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
    let t = self.find(member)?;
    Some(self.remove_node(t).1)
  }

  /// Removes node `t`, returning its member and score.
  pub fn remove_node(&mut self, t: u32) -> (SmallBytes, f64) {
    // The first node's predecessors are all the header (ZPOPMIN): no search needed.
    let path = if t == self.first() {
      Path { update: [HEAD; MAX_LEVEL], rank: [0; MAX_LEVEL] }
    } else {
      self.path_to(self.score_at(t), self.member(t))
    };
    self.unlink(t, &path);
    self.release(t)
  }

  /// Changes the score of node `t`. The node stays in place when its order is unchanged;
  /// otherwise it is unlinked and linked again (Redis's `zslUpdateScore`).
  pub fn set_score(&mut self, t: u32, score: f64) {
    let (backward, next) = (self.prev(t), self.next(t));
    let backward_ok = backward == NIL || self.score_at(backward) < score;
    let next_ok = next == NIL || self.score_at(next) > score;
    if backward_ok && next_ok {
      self.set_score_at(t, score);
      return;
    }
    let path = self.path_to(self.score_at(t), self.member(t));
    self.unlink(t, &path);
    self.set_score_at(t, score);
    self.link_in(t);
  }

  /// 0-based rank of node `t` in order.
  pub fn rank(&self, t: u32) -> usize {
    let (score, member) = (self.score_at(t), self.member(t).as_slice());
    let (mut x, mut rank) = (HEAD, 0usize);
    for i in (0..self.level).rev() {
      loop {
        let link = self.link(x, i);
        if link.forward == NIL {
          break;
        }
        let next_score = self.score_at(link.forward);
        let up_to = next_score < score || (next_score == score && self.member(link.forward).as_slice() <= member);
        if !up_to {
          break;
        }
        rank += link.span as usize;
        x = link.forward;
      }
      if x == t {
        break;
      }
    }
    rank - 1
  }

  /// The node at 0-based `rank` (< len).
  pub fn at_rank(&self, rank: usize) -> u32 {
    let wanted = rank + 1;
    let (mut x, mut traversed) = (HEAD, 0usize);
    for i in (0..self.level).rev() {
      loop {
        let link = self.link(x, i);
        if link.forward == NIL || traversed + link.span as usize > wanted {
          break;
        }
        traversed += link.span as usize;
        x = link.forward;
      }
      if traversed == wanted {
        return x;
      }
    }
    NIL
  }

  /// The first node in `range` and its rank (Redis's `zslFirstInRange`).
  pub fn first_in_score_range(&self, range: &ScoreRange) -> Option<(u32, usize)> {
    self.first_where(|list, t| range.gte_min(list.score_at(t)), |list, t| range.lte_max(list.score_at(t)))
  }

  /// The last node in `range` and its rank (Redis's `zslLastInRange`).
  pub fn last_in_score_range(&self, range: &ScoreRange) -> Option<(u32, usize)> {
    self.last_where(|list, t| range.gte_min(list.score_at(t)), |list, t| range.lte_max(list.score_at(t)))
  }

  /// The first node whose member is in `range` (Redis's `zslFirstInLexRange`).
  pub fn first_in_lex_range(&self, range: &LexRange) -> Option<(u32, usize)> {
    self.first_where(|list, t| range.gte_min(list.member(t)), |list, t| range.lte_max(list.member(t)))
  }

  /// The last node whose member is in `range` (Redis's `zslLastInLexRange`).
  pub fn last_in_lex_range(&self, range: &LexRange) -> Option<(u32, usize)> {
    self.last_where(|list, t| range.gte_min(list.member(t)), |list, t| range.lte_max(list.member(t)))
  }

  /// The first node past the lower bound, if it is within the upper one. Like Redis, first
  /// rules out ranges that cannot intersect the list's ends.
  fn first_where(
    &self,
    above_min: impl Fn(&Self, u32) -> bool,
    below_max: impl Fn(&Self, u32) -> bool,
  ) -> Option<(u32, usize)> {
    if !self.may_intersect(&above_min, &below_max) {
      return None;
    }
    let (x, traversed) = self.descend(|list, next| !above_min(list, next));
    let first = self.link(x, 0).forward;
    (first != NIL && below_max(self, first)).then_some((first, traversed))
  }

  /// The last node within the upper bound, if it is past the lower one.
  fn last_where(
    &self,
    above_min: impl Fn(&Self, u32) -> bool,
    below_max: impl Fn(&Self, u32) -> bool,
  ) -> Option<(u32, usize)> {
    if !self.may_intersect(&above_min, &below_max) {
      return None;
    }
    let (x, traversed) = self.descend(below_max);
    (x != HEAD && above_min(self, x)).then(|| (x, traversed - 1))
  }

  /// Walks from the head down the levels, moving forward while `advance` holds for the next
  /// node. Returns the last node reached and the rank span traversed to it.
  fn descend(&self, advance: impl Fn(&Self, u32) -> bool) -> (u32, usize) {
    let (mut x, mut traversed) = (HEAD, 0usize);
    for i in (0..self.level).rev() {
      loop {
        let link = self.link(x, i);
        if link.forward == NIL || !advance(self, link.forward) {
          break;
        }
        traversed += link.span as usize;
        x = link.forward;
      }
    }
    (x, traversed)
  }

  /// Redis's `zslIsInRange` end checks: the last node must be past the lower bound and the
  /// first within the upper one.
  fn may_intersect(&self, above_min: &impl Fn(&Self, u32) -> bool, below_max: &impl Fn(&Self, u32) -> bool) -> bool {
    self.tail != NIL && above_min(self, self.tail) && below_max(self, self.head[0].forward)
  }

  /// Checks every structural invariant (tests only): order, spans, ranks, backward links,
  /// tail, level, the map, and the arena accounting.
  #[cfg(test)]
  pub fn check(&self) {
    let len = self.len();
    let mut order = Vec::with_capacity(len);
    let mut x = self.head[0].forward;
    let mut prev = NIL;
    while x != NIL {
      assert_eq!(self.prev(x), prev, "backward link of {x}");
      if prev != NIL {
        assert!(precedes(self.score_at(prev), self.member(prev), self.score_at(x), self.member(x)), "order at {x}");
      }
      order.push(x);
      prev = x;
      x = self.next(x);
    }
    assert_eq!(order.len(), len, "level 0 reaches every node");
    assert_eq!(self.tail, prev, "tail");
    let rank_of: std::collections::HashMap<u32, usize> = order.iter().enumerate().map(|(r, &t)| (t, r + 1)).collect();
    let max_height = order.iter().map(|&t| self.height(t)).max().unwrap_or(1);
    assert_eq!(self.level, max_height.max(1), "level");
    for i in 0..self.level {
      // Links go forward to tall enough nodes; spans equal rank differences; a link to
      // nowhere spans the nodes after its owner; every tall enough node is on the level.
      let (mut x, mut rank, mut walked) = (HEAD, 0usize, 0);
      loop {
        let link = self.link(x, i);
        if link.forward == NIL {
          assert_eq!(link.span as usize, len - rank, "span to the end at level {i}");
          break;
        }
        let next_rank = rank_of[&link.forward];
        assert!(self.height(link.forward) > i, "height at level {i}");
        assert_eq!(link.span as usize, next_rank - rank, "span at level {i}");
        x = link.forward;
        rank = next_rank;
        walked += 1;
      }
      assert_eq!(walked, order.iter().filter(|&&t| self.height(t) > i).count(), "nodes on level {i}");
    }
    for (r, &t) in order.iter().enumerate() {
      assert_eq!(self.rank(t), r, "rank of {t}");
      assert_eq!(self.at_rank(r), t, "node at rank {r}");
      assert_eq!(self.find(self.member(t)), Some(t), "map entry of {t}");
    }
    // Arena: live towers plus free ones cover it exactly.
    let used: usize = order.iter().map(|&t| tower_words(self.height(t))).sum();
    let mut free = 0;
    for height in 1..=MAX_LEVEL {
      let mut t = self.free[height];
      while t != NIL {
        assert_eq!(self.height(t), height, "free list {height}");
        free += tower_words(height);
        t = self.towers[t as usize + SLOT];
      }
    }
    assert_eq!(used + free, self.towers.len(), "arena accounting");
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use crate::rand::Rng;

  fn member(i: u64) -> SmallBytes {
    SmallBytes::new(format!("m{i}").as_bytes())
  }

  fn contents(list: &SkipList) -> Vec<(Vec<u8>, f64)> {
    let mut got = Vec::new();
    let mut x = list.first();
    while x != NIL {
      got.push((list.member(x).to_vec(), list.score_at(x)));
      x = list.next(x);
    }
    got
  }

  #[test]
  fn a_map_entry_is_32_bytes() {
    assert_eq!(std::mem::size_of::<Entry>(), 32);
  }

  #[test]
  fn heights_follow_p_one_quarter() {
    let mut list = SkipList::with_seed(7);
    let n = 100_000;
    let total: usize = (0..n).map(|_| list.random_height()).sum();
    let mean = total as f64 / n as f64;
    assert!((mean - 4.0 / 3.0).abs() < 0.02, "mean height {mean}");
  }

  #[test]
  fn random_inserts_updates_and_deletes_keep_invariants() {
    for seed in [1u64, 2, 3, 42, 1234] {
      let mut rng = Rng::new(seed);
      let mut list = SkipList::with_seed(seed);
      let mut model: std::collections::BTreeMap<Vec<u8>, f64> = Default::default();
      for step in 0..3000 {
        let m = member(rng.below(400));
        // Few distinct scores, so ties (ordered by member) are common.
        let score = (rng.below(20) as f64) - 10.0;
        match (model.get(m.as_slice()).copied(), rng.below(3)) {
          (None, _) => {
            list.insert(m.clone(), score);
            model.insert(m.to_vec(), score);
          }
          (Some(old), 0) => {
            assert_eq!(list.remove(&m), Some(old));
            model.remove(m.as_slice());
          }
          (Some(_), _) => {
            let t = list.find(&m).unwrap();
            list.set_score(t, score);
            model.insert(m.to_vec(), score);
          }
        }
        if step % 97 == 0 {
          list.check();
        }
      }
      list.check();
      let mut expected: Vec<(Vec<u8>, f64)> = model.into_iter().collect();
      expected.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap().then_with(|| a.0.cmp(&b.0)));
      assert_eq!(contents(&list), expected, "seed {seed}");
      // Drain from both ends.
      while !list.is_empty() {
        let t = if rng.below(2) == 0 { list.first() } else { list.last() };
        list.remove_node(t);
        if list.len().is_multiple_of(50) {
          list.check();
        }
      }
      list.check();
      assert_eq!(list.level, 1);
    }
  }

  #[test]
  fn ranges_find_ends_and_ranks() {
    let mut list = SkipList::with_seed(9);
    for i in 0..100 {
      list.insert(member(i), (i / 2) as f64);
    }
    list.check();
    let range = ScoreRange { min: 10.0, max: 20.0, min_exclusive: true, max_exclusive: false };
    let (first, first_rank) = list.first_in_score_range(&range).unwrap();
    let (last, last_rank) = list.last_in_score_range(&range).unwrap();
    assert_eq!((list.score_at(first), first_rank), (11.0, 22));
    assert_eq!((list.score_at(last), last_rank), (20.0, 41));
    let none = ScoreRange { min: 60.0, max: 70.0, min_exclusive: false, max_exclusive: false };
    assert!(list.first_in_score_range(&none).is_none());
    assert!(list.last_in_score_range(&none).is_none());
  }
}
