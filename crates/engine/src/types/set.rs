//! Sets: collections of unique binary-safe strings, in Redis 7.0's two encodings.
//!
//! - `intset`: while every member is an integer in canonical form (the `string2ll` rule of
//!   [`parse_i64`]) and there are at most `set-max-intset-entries` of them (capped at 2^30, as
//!   in Redis), the members are kept as a sorted array of numbers, all of the narrowest width —
//!   16, 32 or 64 bits — that holds the widest member. Adding a wider number widens the whole
//!   array; removals never narrow it. Iteration is in ascending numeric order, which is the order
//!   Redis replies in for this encoding, so small integer sets compare byte for byte.
//! - `hashtable`: a [`DenseMap`] of members (24 bytes each, inline up to 22 bytes, plus a
//!   5-byte index slot), with O(1) lookup, O(1) uniform random positions for SPOP/SRANDMEMBER
//!   and a safe SCAN cursor. Iteration follows the dense positions.
//!
//! A set converts from `intset` to `hashtable` when a non-integer is added or when it grows past
//! the threshold, and never back. Commands see members as [`Member`]s, so integers of an intset
//! are formatted only when replied; [`Set::iter`] (generic byte access for DEBUG DIGEST and
//! SORT) formats an intset's members once into a cache that any change discards.

use crate::bytes::SmallBytes;
use crate::dense::{DenseMap, Keyed};
use crate::num::{parse_i64, write_i64};
use crate::rand::Rng;
use std::sync::OnceLock;

/// Redis limits an intset to 2^30 entries whatever `set-max-intset-entries` says.
const INTSET_MAX_LIMIT: i64 = 1 << 30;

/// The most members an intset may hold for a `set-max-intset-entries` setting.
pub fn intset_limit(set_max_intset_entries: i64) -> usize {
  set_max_intset_entries.clamp(0, INTSET_MAX_LIMIT) as usize
}

/// A member as stored: a number in an intset, bytes in a hashtable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Member<'a> {
  Int(i64),
  Bytes(&'a [u8]),
}

impl Member<'_> {
  /// The member as an intset would store it, if it is a canonical integer.
  fn as_int(self) -> Option<i64> {
    match self {
      Member::Int(n) => Some(n),
      Member::Bytes(bytes) => parse_i64(bytes),
    }
  }

  /// The member as bytes for a hashtable.
  fn to_small_bytes(self) -> SmallBytes {
    match self {
      Member::Int(n) => SmallBytes::from_vec(int_text(n)),
      Member::Bytes(bytes) => SmallBytes::new(bytes),
    }
  }
}

/// A member taken out of a set.
#[derive(Clone, Debug)]
pub enum OwnedMember {
  Int(i64),
  Bytes(SmallBytes),
}

impl OwnedMember {
  pub fn as_member(&self) -> Member<'_> {
    match self {
      OwnedMember::Int(n) => Member::Int(*n),
      OwnedMember::Bytes(bytes) => Member::Bytes(bytes),
    }
  }
}

fn int_text(n: i64) -> Vec<u8> {
  let mut text = Vec::with_capacity(20);
  write_i64(&mut text, n);
  text
}

pub struct Set {
  repr: Repr,
}

enum Repr {
  Ints(IntSet),
  Table(Table),
}

impl Default for Set {
  fn default() -> Self {
    Set::new_intset()
  }
}

impl Clone for Set {
  fn clone(&self) -> Self {
    let repr = match &self.repr {
      Repr::Ints(ints) => Repr::Ints(IntSet { ints: ints.ints.clone(), text: OnceLock::new() }),
      Repr::Table(table) => Repr::Table(table.clone()),
    };
    Set { repr }
  }
}

impl Set {
  /// An empty set in the `intset` encoding: where Redis builds the results of SINTERSTORE,
  /// SUNION and SDIFF, so they stay compact (and sorted) when they can.
  pub fn new_intset() -> Set {
    Set { repr: Repr::Ints(IntSet::default()) }
  }

  /// An empty `intset` whose members take `width` bytes (2, 4 or 8; anything else reads as
  /// 8): a loaded intset keeps the width it was stored with, as in Redis.
  pub fn intset_of_width(width: usize) -> Set {
    let ints = match width {
      2 => Ints::W16(Vec::new()),
      4 => Ints::W32(Vec::new()),
      _ => Ints::W64(Vec::new()),
    };
    Set { repr: Repr::Ints(IntSet { ints, text: OnceLock::new() }) }
  }

  /// An empty set in the `hashtable` encoding.
  pub fn new_table() -> Set {
    Set { repr: Repr::Table(Table::default()) }
  }

  /// Bytes per member of an `intset` (2, 4 or 8); `None` for a hashtable.
  pub fn intset_width(&self) -> Option<usize> {
    match &self.repr {
      Repr::Ints(IntSet { ints: Ints::W16(_), .. }) => Some(2),
      Repr::Ints(IntSet { ints: Ints::W32(_), .. }) => Some(4),
      Repr::Ints(IntSet { ints: Ints::W64(_), .. }) => Some(8),
      Repr::Table(_) => None,
    }
  }

  /// An empty set in the encoding able to hold `first`, its first member (Redis's
  /// `setTypeCreate`).
  pub fn for_member(first: Member) -> Set {
    match first.as_int() {
      Some(_) => Set::new_intset(),
      None => Set::new_table(),
    }
  }

  /// Redis 7.0's OBJECT ENCODING name.
  pub fn encoding(&self) -> &'static str {
    match self.repr {
      Repr::Ints(_) => "intset",
      Repr::Table(_) => "hashtable",
    }
  }

  pub fn len(&self) -> usize {
    match &self.repr {
      Repr::Ints(ints) => ints.ints.len(),
      Repr::Table(table) => table.map.len(),
    }
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  /// Adds `member`; `limit` is the most members an intset may hold ([`intset_limit`]).
  /// Returns whether it was new.
  pub fn add(&mut self, member: Member, limit: usize) -> bool {
    match &mut self.repr {
      Repr::Ints(ints) => match member.as_int() {
        Some(n) => {
          if !ints.insert(n) {
            return false;
          }
          if ints.ints.len() > limit {
            self.convert_to_table();
          }
          true
        }
        None => {
          self.convert_to_table();
          self.add(member, limit)
        }
      },
      Repr::Table(table) => table.insert(member),
    }
  }

  /// Removes `member`. Returns whether it was there.
  pub fn remove(&mut self, member: Member) -> bool {
    match &mut self.repr {
      Repr::Ints(ints) => member.as_int().is_some_and(|n| ints.remove(n)),
      Repr::Table(table) => match member {
        Member::Bytes(bytes) => table.remove(bytes),
        Member::Int(n) => table.remove(&int_text(n)),
      },
    }
  }

  pub fn contains(&self, member: Member) -> bool {
    match &self.repr {
      Repr::Ints(ints) => member.as_int().is_some_and(|n| ints.ints.find(n).is_ok()),
      Repr::Table(table) => match member {
        Member::Bytes(bytes) => table.map.position(bytes).is_some(),
        Member::Int(n) => table.map.position(&int_text(n)).is_some(),
      },
    }
  }

  /// The member at `pos` (0..len) in iteration order.
  #[inline]
  pub fn get(&self, pos: usize) -> Member<'_> {
    match &self.repr {
      Repr::Ints(ints) => Member::Int(ints.ints.get(pos)),
      Repr::Table(table) => Member::Bytes(&table.map.at(pos).0),
    }
  }

  /// A uniformly random position of a non-empty set.
  pub fn random_position(&self, rng: &mut Rng) -> usize {
    rng.below(self.len() as u64) as usize
  }

  /// Removes and returns the member at `pos`. In a hashtable the last member moves into
  /// its place.
  pub fn remove_at(&mut self, pos: usize) -> OwnedMember {
    match &mut self.repr {
      Repr::Ints(ints) => OwnedMember::Int(ints.remove_at(pos)),
      Repr::Table(table) => OwnedMember::Bytes(table.remove_at(pos)),
    }
  }

  /// Every member, in iteration order (ascending for an intset).
  pub fn members(&self) -> impl Iterator<Item = Member<'_>> + '_ {
    (0..self.len()).map(move |pos| self.get(pos))
  }

  /// Every member as bytes (for DEBUG DIGEST and other generic readers), in iteration order.
  pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
    let (text, table) = match &self.repr {
      Repr::Ints(ints) => (ints.text(), None),
      Repr::Table(table) => (&[][..], Some(table)),
    };
    let ints = text.split(|&b| b == b' ').filter(|member| !member.is_empty());
    let table_members = table.into_iter().flat_map(|table| table.map.entries().iter().map(|e| e.0.as_slice()));
    ints.chain(table_members)
  }

  /// One step of SSCAN on a hashtable (see [`DenseMap::scan`]); an intset is visited whole
  /// and the cursor returned is 0, as Redis does for its compact encodings.
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(Member)) -> u64 {
    match &self.repr {
      Repr::Ints(_) => {
        self.members().for_each(visit);
        0
      }
      Repr::Table(table) => table.map.scan(cursor, count, |e| visit(Member::Bytes(&e.0))),
    }
  }

  /// Heap bytes owned by the set (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    match &self.repr {
      Repr::Ints(ints) => ints.ints.heap_size() + ints.text.get().map_or(0, |text| text.len()),
      Repr::Table(table) => table.map.table_size() + table.member_heap,
    }
  }

  fn convert_to_table(&mut self) {
    if let Repr::Ints(ints) = &self.repr {
      let mut table = Table::default();
      for pos in 0..ints.ints.len() {
        table.insert_new(SmallBytes::from_vec(int_text(ints.ints.get(pos))));
      }
      self.repr = Repr::Table(table);
    }
  }
}

/// A hashtable member.
#[derive(Clone)]
struct Entry(SmallBytes);

impl Keyed for Entry {
  #[inline]
  fn key(&self) -> &[u8] {
    &self.0
  }
}

#[derive(Clone, Default)]
struct Table {
  map: DenseMap<Entry>,
  /// Heap bytes of the members too long to be stored inline.
  member_heap: usize,
}

impl Table {
  fn insert(&mut self, member: Member) -> bool {
    let found = match member {
      Member::Bytes(bytes) => self.map.position(bytes).is_some(),
      Member::Int(n) => self.map.position(&int_text(n)).is_some(),
    };
    if found {
      return false;
    }
    self.insert_new(member.to_small_bytes());
    true
  }

  fn insert_new(&mut self, member: SmallBytes) {
    self.member_heap += member.heap_size();
    self.map.insert_new(Entry(member));
  }

  fn remove(&mut self, member: &[u8]) -> bool {
    match self.map.position(member) {
      Some(pos) => {
        self.remove_at(pos);
        true
      }
      None => false,
    }
  }

  fn remove_at(&mut self, pos: usize) -> SmallBytes {
    let (Entry(member), _) = self.map.swap_remove(pos);
    self.member_heap -= member.heap_size();
    member
  }
}

#[derive(Default)]
struct IntSet {
  ints: Ints,
  /// The members as space-separated decimal text, built by [`Set::iter`] on demand and
  /// dropped by every change.
  text: OnceLock<Box<[u8]>>,
}

impl IntSet {
  fn insert(&mut self, n: i64) -> bool {
    let inserted = self.ints.insert(n);
    if inserted {
      self.text.take();
    }
    inserted
  }

  fn remove(&mut self, n: i64) -> bool {
    match self.ints.find(n) {
      Ok(pos) => {
        self.remove_at(pos);
        true
      }
      Err(_) => false,
    }
  }

  fn remove_at(&mut self, pos: usize) -> i64 {
    self.text.take();
    self.ints.remove_at(pos)
  }

  fn text(&self) -> &[u8] {
    self.text.get_or_init(|| {
      let mut text = Vec::new();
      for pos in 0..self.ints.len() {
        if pos > 0 {
          text.push(b' ');
        }
        write_i64(&mut text, self.ints.get(pos));
      }
      text.into_boxed_slice()
    })
  }
}

/// Sorted distinct integers, all stored with the same width.
#[derive(Clone)]
enum Ints {
  W16(Vec<i16>),
  W32(Vec<i32>),
  W64(Vec<i64>),
}

impl Default for Ints {
  fn default() -> Self {
    Ints::W16(Vec::new())
  }
}

/// Runs `$body` with `$v` bound to the vector of whatever width `$ints` uses.
macro_rules! with_vec {
  ($ints:expr, $v:ident => $body:expr) => {
    match $ints {
      Ints::W16($v) => $body,
      Ints::W32($v) => $body,
      Ints::W64($v) => $body,
    }
  };
}

/// Width rank of the narrowest integer type holding `n`: 0 = 16 bits, 1 = 32, 2 = 64.
fn width_rank(n: i64) -> u8 {
  if i16::try_from(n).is_ok() {
    0
  } else if i32::try_from(n).is_ok() {
    1
  } else {
    2
  }
}

#[inline]
fn to_i64<T: Into<i64>>(n: T) -> i64 {
  n.into()
}

fn search<T: Copy + Into<i64>>(v: &[T], n: i64) -> Result<usize, usize> {
  v.binary_search_by(|&e| e.into().cmp(&n))
}

fn insert_sorted<T: Copy + Into<i64> + TryFrom<i64>>(v: &mut Vec<T>, n: i64) -> bool {
  match (search(v, n), T::try_from(n)) {
    (Err(pos), Ok(value)) => {
      v.insert(pos, value);
      true
    }
    _ => false,
  }
}

fn widen<T: Copy + Into<i64>>(v: &[T], rank: u8) -> Ints {
  if rank == 1 {
    Ints::W32(v.iter().map(|&e| e.into() as i32).collect())
  } else {
    Ints::W64(v.iter().map(|&e| e.into()).collect())
  }
}

impl Ints {
  fn len(&self) -> usize {
    with_vec!(self, v => v.len())
  }

  #[inline]
  fn get(&self, pos: usize) -> i64 {
    with_vec!(self, v => to_i64(v[pos]))
  }

  fn rank(&self) -> u8 {
    match self {
      Ints::W16(_) => 0,
      Ints::W32(_) => 1,
      Ints::W64(_) => 2,
    }
  }

  fn find(&self, n: i64) -> Result<usize, usize> {
    with_vec!(self, v => search(v, n))
  }

  /// Inserts `n` in order, widening every element first if `n` needs more bits.
  fn insert(&mut self, n: i64) -> bool {
    let rank = width_rank(n);
    if rank > self.rank() {
      *self = with_vec!(&*self, v => widen(v, rank));
    }
    with_vec!(self, v => insert_sorted(v, n))
  }

  fn remove_at(&mut self, pos: usize) -> i64 {
    with_vec!(self, v => to_i64(v.remove(pos)))
  }

  fn heap_size(&self) -> usize {
    let width = 2 << self.rank();
    with_vec!(self, v => v.capacity() * width)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn bytes(set: &Set) -> Vec<String> {
    set.iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect()
  }

  #[test]
  fn intset_stays_sorted_and_widens() {
    let mut set = Set::for_member(Member::Bytes(b"5"));
    for m in ["5", "-3", "100000", "7", "-9223372036854775808", "7"] {
      set.add(Member::Bytes(m.as_bytes()), 512);
    }
    assert_eq!(set.encoding(), "intset");
    assert_eq!(bytes(&set), ["-9223372036854775808", "-3", "5", "7", "100000"]);
    assert!(set.contains(Member::Bytes(b"100000")));
    assert!(!set.contains(Member::Bytes(b"0100000")));
    assert!(set.remove(Member::Int(7)));
    assert_eq!(bytes(&set), ["-9223372036854775808", "-3", "5", "100000"]);
  }

  #[test]
  fn converts_on_non_integer_or_size_and_never_back() {
    let mut set = Set::new_intset();
    for n in 0..4 {
      set.add(Member::Int(n), 4);
    }
    assert_eq!(set.encoding(), "intset");
    set.add(Member::Int(4), 4);
    assert_eq!(set.encoding(), "hashtable");
    assert!(set.contains(Member::Bytes(b"4")) && set.contains(Member::Int(0)));
    for n in 0..5 {
      set.remove(Member::Int(n));
    }
    assert!(set.is_empty());
    assert_eq!(set.encoding(), "hashtable");

    let mut set = Set::new_intset();
    set.add(Member::Bytes(b"1"), 512);
    set.add(Member::Bytes(b" 1"), 512);
    assert_eq!(set.encoding(), "hashtable");
    assert_eq!(set.len(), 2);
  }

  #[test]
  fn remove_at_and_member_heap_accounting() {
    let mut set = Set::for_member(Member::Bytes(b"a"));
    let long = [b'x'; 40];
    set.add(Member::Bytes(&long), 512);
    set.add(Member::Bytes(b"a"), 512);
    let before = set.heap_size();
    let pos = (0..set.len()).find(|&p| set.get(p) == Member::Bytes(&long)).unwrap();
    assert!(matches!(set.remove_at(pos), OwnedMember::Bytes(b) if b.as_slice() == long));
    assert!(set.heap_size() < before);
    assert_eq!(bytes(&set), ["a"]);
  }
}
