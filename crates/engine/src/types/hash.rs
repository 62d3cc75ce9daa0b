//! Hashes: field → value maps, in Redis 7.0's two encodings.
//!
//! - `listpack`: while a hash has at most `hash-max-listpack-entries` fields and no field or
//!   value longer than `hash-max-listpack-value` bytes, its pairs are packed back to back in
//!   insertion order (the order Redis replies in) and found by a linear scan, as in Redis.
//!   Each pair is a header giving both lengths, then the field's bytes, then the value's. A
//!   pair with a field shorter than 15 bytes and a value shorter than 16 has a one-byte header
//!   (the two lengths as nibbles); any other pair has a marker byte and two LEB128 lengths.
//!   The packed bytes live inside the `Hash` itself while they fit ([`INLINE_CAP`] bytes, so a
//!   small hash is a single 88-byte allocation); beyond that the first pairs stay inside
//!   ([`HEAD_CAP`] bytes) and the others go to one exact-size heap buffer, which grows in place
//!   when fields are appended.
//! - `hashtable`: a [`DenseMap`] of pairs, each holding its field and value side by side in 32
//!   bytes (inline when together they fit in [`PAIR_INLINE`] bytes, else one heap buffer), plus
//!   the map's index slot (about 5 bytes per pair).
//!
//! A hash converts to `hashtable` when a field or value longer than the value limit is written
//! to it, or when a new field takes it past the entries limit; it never converts back, as in
//! Redis 7.0. Iteration follows insertion order for a listpack and the dense positions of the
//! map for a hashtable.

use crate::dense::{DenseMap, Keyed};
use std::ops::Range;

/// Bytes of packed pairs a `Hash` holds without any other allocation.
const INLINE_CAP: usize = 86;
/// Bytes of packed pairs kept inside the `Hash` once the others spill to the heap.
const HEAD_CAP: usize = 70;
/// Redis converts a listpack that would grow past 1 GiB (`LISTPACK_MAX_SAFETY_SIZE`).
const PACKED_MAX_BYTES: usize = 1 << 30;
/// First byte of a pair header that spells its lengths out as two LEB128 numbers.
const LONG_HEADER: u8 = 0xF0;
/// The longest pair header: the marker and two 10-byte LEB128 numbers.
const MAX_HEADER: usize = 21;
/// Bytes of field and value a hashtable pair stores without a heap allocation.
const PAIR_INLINE: usize = 29;

/// The configured limits of the `listpack` encoding (`hash-max-listpack-entries` and
/// `hash-max-listpack-value`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
  pub max_entries: usize,
  pub max_value: usize,
}

impl Limits {
  pub fn new(max_entries: i64, max_value: i64) -> Limits {
    let to_usize = |n: i64| usize::try_from(n.max(0)).unwrap_or(usize::MAX);
    Limits { max_entries: to_usize(max_entries), max_value: to_usize(max_value) }
  }
}

#[derive(Clone)]
pub struct Hash {
  repr: Repr,
}

#[derive(Clone)]
enum Repr {
  /// A listpack whose packed pairs all fit inside the hash.
  Inline {
    len: u8,
    bytes: [u8; INLINE_CAP],
  },
  /// A larger listpack: the packed pairs are `head[..head_len]` followed by `tail`, each a
  /// run of whole pairs; `tail` is never empty.
  Spilled {
    head_len: u8,
    head: [u8; HEAD_CAP],
    tail: Box<[u8]>,
  },
  Table(Table),
}

impl Default for Hash {
  fn default() -> Self {
    Hash { repr: Repr::Inline { len: 0, bytes: [0; INLINE_CAP] } }
  }
}

impl Hash {
  /// Redis 7.0's OBJECT ENCODING name.
  pub fn encoding(&self) -> &'static str {
    match self.repr {
      Repr::Table(_) => "hashtable",
      _ => "listpack",
    }
  }

  /// Number of fields: O(1) for a hashtable, a walk over the pair headers for a listpack.
  pub fn len(&self) -> usize {
    match &self.repr {
      Repr::Table(table) => table.map.len(),
      _ => self.iter().count(),
    }
  }

  pub fn is_empty(&self) -> bool {
    match &self.repr {
      Repr::Inline { len, .. } => *len == 0,
      Repr::Spilled { .. } => false,
      Repr::Table(table) => table.map.is_empty(),
    }
  }

  /// Every field and its value, in insertion order for a listpack.
  pub fn iter(&self) -> Iter<'_> {
    match &self.repr {
      Repr::Table(table) => Iter(IterRepr::Table(table.map.entries().iter())),
      _ => {
        let [head, tail] = self.segments();
        Iter(IterRepr::Packed(PackedPairs { current: head, next: tail }))
      }
    }
  }

  /// Heap bytes owned by the hash, beyond the `Hash` itself (for MEMORY USAGE).
  pub fn heap_size(&self) -> usize {
    match &self.repr {
      Repr::Inline { .. } => 0,
      Repr::Spilled { tail, .. } => tail.len(),
      Repr::Table(table) => table.map.table_size() + table.pair_heap,
    }
  }

  /// The value of `field`.
  pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
    match &self.repr {
      Repr::Table(table) => table.map.get(field).map(Pair::value),
      _ => self.iter().find(|(f, _)| *f == field).map(|(_, value)| value),
    }
  }

  pub fn contains(&self, field: &[u8]) -> bool {
    self.get(field).is_some()
  }

  /// Sets `field` to `value`, converting to a hashtable first if either is longer than
  /// `limits.max_value`, and after adding a field that takes a listpack past
  /// `limits.max_entries`. Returns whether the field is new.
  pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
    if !self.is_table() {
      let too_long = field.len() > limits.max_value || value.len() > limits.max_value;
      if too_long || self.packed_len() + field.len() + value.len() > PACKED_MAX_BYTES {
        self.convert_to_table();
      }
    }
    if let Repr::Table(table) = &mut self.repr {
      return table.set(field, value);
    }
    let (header, header_len) = encode_header(field.len(), value.len());
    let parts = [&header[..header_len], field, value];
    match self.find_packed(field) {
      Ok(found) => {
        self.splice(found.segment, found.range, &parts);
        false
      }
      Err(count) => {
        let end = match &self.repr {
          Repr::Spilled { tail, .. } => (Segment::Tail, tail.len()),
          _ => (Segment::Head, self.packed_len()),
        };
        self.splice(end.0, end.1..end.1, &parts);
        if count + 1 > limits.max_entries {
          self.convert_to_table();
        }
        true
      }
    }
  }

  /// Removes `field`. Returns whether it was there.
  pub fn remove(&mut self, field: &[u8]) -> bool {
    if let Repr::Table(table) = &mut self.repr {
      return table.remove(field);
    }
    match self.find_packed(field) {
      Ok(found) => {
        self.splice(found.segment, found.range, &[]);
        true
      }
      Err(_) => false,
    }
  }

  /// Random access to the pairs by position (0..len), in iteration order: for sampling.
  pub fn by_position(&self) -> ByPosition<'_> {
    match &self.repr {
      Repr::Table(table) => ByPosition(PositionRepr::Table(table.map.entries())),
      _ => ByPosition(PositionRepr::Listed(self.iter().collect())),
    }
  }

  /// One step of HSCAN on a hashtable (see [`DenseMap::scan`]); a listpack is visited whole
  /// and the cursor returned is 0, as Redis does for its compact encodings.
  pub fn scan(&self, cursor: u64, count: usize, mut visit: impl FnMut(&[u8], &[u8])) -> u64 {
    match &self.repr {
      Repr::Table(table) => table.map.scan(cursor, count, |pair| visit(pair.field(), pair.value())),
      _ => {
        self.iter().for_each(|(field, value)| visit(field, value));
        0
      }
    }
  }

  fn is_table(&self) -> bool {
    matches!(self.repr, Repr::Table(_))
  }

  /// The packed pairs of a listpack as two runs (the second empty unless spilled).
  fn segments(&self) -> [&[u8]; 2] {
    match &self.repr {
      Repr::Inline { len, bytes } => [&bytes[..*len as usize], &[]],
      Repr::Spilled { head_len, head, tail } => [&head[..*head_len as usize], tail],
      Repr::Table(_) => [&[], &[]],
    }
  }

  fn packed_len(&self) -> usize {
    let [head, tail] = self.segments();
    head.len() + tail.len()
  }

  /// Where `field`'s pair is in a listpack, or the number of pairs when it is absent.
  fn find_packed(&self, field: &[u8]) -> Result<Found, usize> {
    let mut count = 0;
    for (segment, bytes) in [Segment::Head, Segment::Tail].into_iter().zip(self.segments()) {
      let mut start = 0;
      while start < bytes.len() {
        let layout = PairLayout::read(&bytes[start..]);
        let end = start + layout.len();
        if layout.field_of(&bytes[start..end]) == field {
          return Ok(Found { segment, range: start..end });
        }
        start = end;
        count += 1;
      }
    }
    Err(count)
  }

  /// Replaces `range` of a listpack's `segment` with the concatenation of `parts` (whole
  /// pairs replace whole pairs), in place when that fits, otherwise by repacking.
  fn splice(&mut self, segment: Segment, range: Range<usize>, parts: &[&[u8]]) {
    match (&mut self.repr, segment) {
      (Repr::Inline { len, bytes }, _) => {
        if let Some(new_len) = splice_in_place(bytes, *len as usize, range.clone(), parts) {
          *len = new_len as u8;
          return;
        }
      }
      (Repr::Spilled { head_len, head, .. }, Segment::Head) => {
        if let Some(new_len) = splice_in_place(head, *head_len as usize, range.clone(), parts) {
          *head_len = new_len as u8;
          self.settle();
          return;
        }
      }
      (Repr::Spilled { tail, .. }, Segment::Tail) => {
        let mut bytes = std::mem::take(tail).into_vec();
        splice_vec(&mut bytes, range, parts);
        *tail = bytes.into_boxed_slice();
        self.settle();
        return;
      }
      (Repr::Table(_), _) => return,
    }
    let [head, tail] = self.segments();
    let offset = if segment == Segment::Tail { head.len() } else { 0 };
    let total = head.len() + tail.len();
    let added: usize = parts.iter().map(|part| part.len()).sum();
    let mut bytes = Vec::with_capacity(total - range.len() + added);
    let before = within(head, tail, 0..range.start + offset);
    let after = within(head, tail, range.end + offset..total);
    for part in before.iter().chain(parts).chain(&after) {
      bytes.extend_from_slice(part);
    }
    self.repr = Repr::packed(&bytes);
  }

  /// Moves a spilled listpack back inside the hash once everything fits there again.
  fn settle(&mut self) {
    if let Repr::Spilled { head_len, tail, .. } = &self.repr {
      if *head_len as usize + tail.len() <= INLINE_CAP {
        let [head, tail] = self.segments();
        let mut bytes = [0; INLINE_CAP];
        write_parts(&mut bytes, &[head, tail]);
        self.repr = Repr::packed(&bytes[..head.len() + tail.len()]);
      }
    }
  }

  fn convert_to_table(&mut self) {
    if self.is_table() {
      return;
    }
    let mut table = Table::default();
    for (field, value) in self.iter() {
      table.insert_new(Pair::new(field, value));
    }
    self.repr = Repr::Table(table);
  }
}

impl Repr {
  /// A listpack holding the packed pairs `bytes`: inline if they fit, else as many whole
  /// pairs inline as fit in the head and the rest in an exact-size heap buffer.
  fn packed(bytes: &[u8]) -> Repr {
    if bytes.len() <= INLINE_CAP {
      let mut inline = [0; INLINE_CAP];
      inline[..bytes.len()].copy_from_slice(bytes);
      return Repr::Inline { len: bytes.len() as u8, bytes: inline };
    }
    let mut split = 0;
    loop {
      let next = split + PairLayout::read(&bytes[split..]).len();
      if next > HEAD_CAP || next == bytes.len() {
        break;
      }
      split = next;
    }
    let mut head = [0; HEAD_CAP];
    head[..split].copy_from_slice(&bytes[..split]);
    Repr::Spilled { head_len: split as u8, head, tail: bytes[split..].into() }
  }
}

/// Which run of a listpack's packed pairs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Segment {
  Head,
  Tail,
}

/// A pair found in a listpack: its byte range within its segment.
struct Found {
  segment: Segment,
  range: Range<usize>,
}

/// The lengths of a packed pair's three parts.
#[derive(Clone, Copy)]
struct PairLayout {
  header: usize,
  field: usize,
  value: usize,
}

impl PairLayout {
  /// Reads the header of the pair that starts `bytes`.
  #[inline]
  fn read(bytes: &[u8]) -> PairLayout {
    let first = bytes[0];
    if first < LONG_HEADER {
      return PairLayout { header: 1, field: (first >> 4) as usize, value: (first & 0x0F) as usize };
    }
    let (field, field_bytes) = read_varint(&bytes[1..]);
    let (value, value_bytes) = read_varint(&bytes[1 + field_bytes..]);
    PairLayout { header: 1 + field_bytes + value_bytes, field, value }
  }

  #[inline]
  fn len(self) -> usize {
    self.header + self.field + self.value
  }

  /// The field of `pair` (the pair's bytes, header included).
  #[inline]
  fn field_of(self, pair: &[u8]) -> &[u8] {
    &pair[self.header..self.header + self.field]
  }
}

/// The header of a pair with these lengths, and how many of its bytes are used.
fn encode_header(field_len: usize, value_len: usize) -> ([u8; MAX_HEADER], usize) {
  let mut header = [0; MAX_HEADER];
  if field_len < 15 && value_len < 16 {
    header[0] = (field_len << 4 | value_len) as u8;
    return (header, 1);
  }
  header[0] = LONG_HEADER;
  let mut used = 1;
  for mut n in [field_len as u64, value_len as u64] {
    loop {
      let low = (n & 0x7F) as u8;
      n >>= 7;
      header[used] = if n == 0 { low } else { low | 0x80 };
      used += 1;
      if n == 0 {
        break;
      }
    }
  }
  (header, used)
}

/// Reads a LEB128 number: its value and how many bytes it took.
fn read_varint(bytes: &[u8]) -> (usize, usize) {
  let mut value = 0usize;
  for (i, &byte) in bytes.iter().enumerate() {
    value |= ((byte & 0x7F) as usize) << (7 * i);
    if byte & 0x80 == 0 {
      return (value, i + 1);
    }
  }
  (value, bytes.len())
}

/// Replaces `range` of `buf[..len]` with the concatenation of `parts`, if the result fits in
/// `buf`. Returns the new length.
fn splice_in_place(buf: &mut [u8], len: usize, range: Range<usize>, parts: &[&[u8]]) -> Option<usize> {
  let added: usize = parts.iter().map(|part| part.len()).sum();
  let new_len = len - range.len() + added;
  if new_len > buf.len() {
    return None;
  }
  buf.copy_within(range.end..len, range.start + added);
  write_parts(&mut buf[range.start..], parts);
  Some(new_len)
}

/// Replaces `range` of `bytes` with the concatenation of `parts`, growing the buffer to its
/// exact new size.
fn splice_vec(bytes: &mut Vec<u8>, range: Range<usize>, parts: &[&[u8]]) {
  let added: usize = parts.iter().map(|part| part.len()).sum();
  let len = bytes.len();
  let new_len = len - range.len() + added;
  if new_len > len {
    bytes.reserve_exact(new_len - len);
    bytes.resize(new_len, 0);
    bytes.copy_within(range.end..len, range.start + added);
  } else {
    bytes.copy_within(range.end..len, range.start + added);
    bytes.truncate(new_len);
  }
  write_parts(&mut bytes[range.start..], parts);
}

/// The bytes of `range` of the concatenation of `head` and `tail`, as a part of each.
fn within<'a>(head: &'a [u8], tail: &'a [u8], range: Range<usize>) -> [&'a [u8]; 2] {
  let in_head = range.start.min(head.len())..range.end.min(head.len());
  let in_tail = range.start.saturating_sub(head.len())..range.end.saturating_sub(head.len());
  [&head[in_head], &tail[in_tail]]
}

fn write_parts(mut out: &mut [u8], parts: &[&[u8]]) {
  for part in parts {
    out[..part.len()].copy_from_slice(part);
    out = &mut out[part.len()..];
  }
}

/// The pairs of a listpack, walked over its two runs of packed bytes.
struct PackedPairs<'a> {
  current: &'a [u8],
  next: &'a [u8],
}

impl<'a> Iterator for PackedPairs<'a> {
  type Item = (&'a [u8], &'a [u8]);

  #[inline]
  fn next(&mut self) -> Option<Self::Item> {
    if self.current.is_empty() {
      self.current = std::mem::take(&mut self.next);
      if self.current.is_empty() {
        return None;
      }
    }
    let layout = PairLayout::read(self.current);
    let (pair, rest) = self.current.split_at(layout.len());
    self.current = rest;
    Some((layout.field_of(pair), &pair[layout.header + layout.field..]))
  }
}

/// An iterator over a hash's fields and values.
pub struct Iter<'a>(IterRepr<'a>);

enum IterRepr<'a> {
  Packed(PackedPairs<'a>),
  Table(std::slice::Iter<'a, Pair>),
}

impl<'a> Iterator for Iter<'a> {
  type Item = (&'a [u8], &'a [u8]);

  #[inline]
  fn next(&mut self) -> Option<Self::Item> {
    match &mut self.0 {
      IterRepr::Packed(pairs) => pairs.next(),
      IterRepr::Table(pairs) => pairs.next().map(|pair| (pair.field(), pair.value())),
    }
  }
}

/// A hash's pairs by position; see [`Hash::by_position`].
pub struct ByPosition<'a>(PositionRepr<'a>);

enum PositionRepr<'a> {
  Listed(Vec<(&'a [u8], &'a [u8])>),
  Table(&'a [Pair]),
}

impl ByPosition<'_> {
  pub fn len(&self) -> usize {
    match &self.0 {
      PositionRepr::Listed(pairs) => pairs.len(),
      PositionRepr::Table(pairs) => pairs.len(),
    }
  }

  pub fn is_empty(&self) -> bool {
    self.len() == 0
  }

  /// The field and value at `pos` (< len).
  #[inline]
  pub fn get(&self, pos: usize) -> (&[u8], &[u8]) {
    match &self.0 {
      PositionRepr::Listed(pairs) => pairs[pos],
      PositionRepr::Table(pairs) => (pairs[pos].field(), pairs[pos].value()),
    }
  }
}

/// A hashtable pair: the field's bytes followed by the value's, in one buffer.
#[derive(Clone)]
enum Pair {
  Inline { field_len: u8, len: u8, bytes: [u8; PAIR_INLINE] },
  Heap { field_len: usize, bytes: Box<[u8]> },
}

impl Pair {
  fn new(field: &[u8], value: &[u8]) -> Pair {
    let len = field.len() + value.len();
    if len <= PAIR_INLINE {
      let mut bytes = [0; PAIR_INLINE];
      write_parts(&mut bytes, &[field, value]);
      Pair::Inline { field_len: field.len() as u8, len: len as u8, bytes }
    } else {
      let mut bytes = Vec::with_capacity(len);
      bytes.extend_from_slice(field);
      bytes.extend_from_slice(value);
      Pair::Heap { field_len: field.len(), bytes: bytes.into_boxed_slice() }
    }
  }

  #[inline]
  fn parts(&self) -> (&[u8], usize) {
    match self {
      Pair::Inline { field_len, len, bytes } => (&bytes[..*len as usize], *field_len as usize),
      Pair::Heap { field_len, bytes } => (bytes, *field_len),
    }
  }

  #[inline]
  fn field(&self) -> &[u8] {
    let (bytes, field_len) = self.parts();
    &bytes[..field_len]
  }

  #[inline]
  fn value(&self) -> &[u8] {
    let (bytes, field_len) = self.parts();
    &bytes[field_len..]
  }

  fn heap_size(&self) -> usize {
    match self {
      Pair::Inline { .. } => 0,
      Pair::Heap { bytes, .. } => bytes.len(),
    }
  }
}

impl Keyed for Pair {
  #[inline]
  fn key(&self) -> &[u8] {
    self.field()
  }
}

/// The `hashtable` encoding.
#[derive(Clone, Default)]
struct Table {
  map: DenseMap<Pair>,
  /// Heap bytes of the pairs too long to be stored inline.
  pair_heap: usize,
}

impl Table {
  /// Sets `field` to `value`; returns whether the field is new.
  fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
    let pair = Pair::new(field, value);
    self.pair_heap += pair.heap_size();
    match self.map.position(field) {
      Some(pos) => {
        let old = std::mem::replace(self.map.at_mut(pos), pair);
        self.pair_heap -= old.heap_size();
        false
      }
      None => {
        self.map.insert_new(pair);
        true
      }
    }
  }

  fn insert_new(&mut self, pair: Pair) {
    self.pair_heap += pair.heap_size();
    self.map.insert_new(pair);
  }

  fn remove(&mut self, field: &[u8]) -> bool {
    match self.map.remove(field) {
      Some((pair, _)) => {
        self.pair_heap -= pair.heap_size();
        true
      }
      None => false,
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  const LIMITS: Limits = Limits { max_entries: 512, max_value: 64 };

  fn pairs(hash: &Hash) -> Vec<(String, String)> {
    hash
      .iter()
      .map(|(f, v)| (String::from_utf8_lossy(f).into_owned(), String::from_utf8_lossy(v).into_owned()))
      .collect()
  }

  #[test]
  fn sizes() {
    assert_eq!(std::mem::size_of::<Hash>(), 88);
    assert_eq!(std::mem::size_of::<Pair>(), 32);
  }

  #[test]
  fn headers_round_trip() {
    for (field, value) in [(0, 0), (14, 15), (15, 0), (0, 16), (127, 128), (300, 70000), (1 << 29, 5)] {
      let (header, used) = encode_header(field, value);
      let layout = PairLayout::read(&header[..used]);
      assert_eq!((layout.header, layout.field, layout.value), (used, field, value));
    }
  }

  #[test]
  fn listpack_keeps_insertion_order_through_spills_and_updates() {
    let mut hash = Hash::default();
    let mut expected = Vec::new();
    for i in 0..40 {
      let (field, value) = (format!("field{i}"), format!("value-{}", "x".repeat(i % 7)));
      assert!(hash.set(field.as_bytes(), value.as_bytes(), LIMITS));
      expected.push((field, value));
      assert_eq!(pairs(&hash), expected);
      assert_eq!(hash.len(), expected.len());
    }
    assert!(matches!(hash.repr, Repr::Spilled { .. }));
    // Updates anywhere: growing, shrinking, long values (long headers).
    for i in (0..40).step_by(3) {
      let value = if i % 2 == 0 { "v".repeat(40) } else { String::new() };
      assert!(!hash.set(format!("field{i}").as_bytes(), value.as_bytes(), LIMITS));
      expected[i].1 = value;
      assert_eq!(pairs(&hash), expected);
    }
    for i in (0..40).rev().step_by(2) {
      assert!(hash.remove(format!("field{i}").as_bytes()));
      expected.remove(i);
      assert_eq!(pairs(&hash), expected);
    }
    assert!(!hash.remove(b"field39"));
    while let Some((field, _)) = expected.pop() {
      assert!(hash.remove(field.as_bytes()));
      assert_eq!(pairs(&hash), expected);
    }
    assert!(hash.is_empty());
    assert!(matches!(hash.repr, Repr::Inline { len: 0, .. }));
    assert_eq!(hash.encoding(), "listpack");
  }

  #[test]
  fn converts_on_entries_or_length_and_never_back() {
    let limits = Limits { max_entries: 4, max_value: 8 };
    let mut hash = Hash::default();
    for field in ["a", "b", "c", "d"] {
      hash.set(field.as_bytes(), b"1", limits);
    }
    assert_eq!(hash.encoding(), "listpack");
    hash.set(b"a", b"2", limits);
    assert_eq!(hash.encoding(), "listpack");
    hash.set(b"e", b"1", limits);
    assert_eq!(hash.encoding(), "hashtable");
    assert_eq!(hash.get(b"a"), Some(&b"2"[..]));
    for field in ["a", "b", "c", "d", "e"] {
      assert!(hash.remove(field.as_bytes()));
    }
    assert!(hash.is_empty());
    assert_eq!(hash.encoding(), "hashtable");

    let mut hash = Hash::default();
    hash.set(b"a", b"12345678", limits);
    assert_eq!(hash.encoding(), "listpack");
    hash.set(b"a", b"123456789", limits);
    assert_eq!(hash.encoding(), "hashtable");
    assert_eq!(hash.get(b"a"), Some(&b"123456789"[..]));
  }

  #[test]
  fn hashtable_pairs_and_heap_accounting() {
    let limits = Limits { max_entries: 0, max_value: 64 };
    let mut hash = Hash::default();
    hash.set(b"short", b"value", limits);
    let long = "y".repeat(100);
    hash.set(b"long", long.as_bytes(), limits);
    let with_long = hash.heap_size();
    hash.set(b"long", b"v", limits);
    assert_eq!(hash.heap_size(), with_long - 104);
    assert_eq!(hash.get(b"long"), Some(&b"v"[..]));
    assert_eq!(hash.get(b"short"), Some(&b"value"[..]));
    assert_eq!(hash.len(), 2);
    let copy = hash.clone();
    assert!(hash.remove(b"short"));
    assert_eq!(copy.len(), 2);
    assert_eq!(hash.len(), 1);
  }
}
