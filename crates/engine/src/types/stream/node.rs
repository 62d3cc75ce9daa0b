//! One node of a stream: a run of consecutive entries packed into a single byte buffer, as Redis
//! packs them into one listpack under one radix-tree key.
//!
//! # Layout
//!
//! The buffer starts with the *master fields*: the field names of the node's first entry, each
//! stored as a string (see below). The entries follow, oldest first, each laid out as
//!
//! ```text
//! flags | ms delta | seq delta | [field count] | field/value lengths and bytes | back length
//! ```
//!
//! - `flags`: one byte, [`DELETED`] for a tombstone (XDEL and trimming only mark entries) and
//!   [`SAME_FIELDS`] when the entry has exactly the master fields, in order; then only its values
//!   are stored (the common case of a stream whose entries all have the same shape).
//! - The ID as two varints relative to the node's master ID (the ID of its first entry, the key
//!   under which the stream keeps the node): the milliseconds difference, and the sequence
//!   difference zigzag-encoded, since a later millisecond may restart at a lower sequence.
//! - Without [`SAME_FIELDS`], the field count as a varint, then `field, value` pairs; with it,
//!   the values only. A string is a varint whose low bit tells its kind: clear, the other bits
//!   are its length and its bytes follow; set, it is a number in canonical form (as Redis reads
//!   integers, below 2^62 in magnitude), zigzag-encoded in the other bits, so that `42` takes
//!   one byte as in a listpack. Reading gives it back as the same digits.
//! - The entry's length (from `flags` to its last byte) written backwards: read from the end of
//!   the entry towards its start, seven bits a byte, high bit set while more bytes precede. This
//!   is what lets XREVRANGE walk a node from its end, as a listpack's back lengths do.
//!
//! Small entries thus cost a few bytes besides their values, with no allocation of their own.
//!
//! # The listpack it stands for
//!
//! Where Redis starts a new node depends on the size of the node's listpack
//! (`stream-node-max-bytes`), and that node boundary shows (XINFO STREAM's radix-tree counts,
//! which entries `~` trimming removes). So each node also keeps [`Node::listpack_bytes`]: the
//! exact size the same entries take in Redis's listpack, where integers are stored in 1 to 9
//! bytes, strings that read as integers are stored as integers, and each element carries a
//! back length. The master entry there also holds the live and deleted counts, whose encoded
//! size changes as they do.

use super::id::StreamId;
use crate::num::parse_i64;

/// Entry flag: the entry was deleted; it stays in place as a tombstone.
pub const DELETED: u8 = 1;
/// Entry flag: the entry's fields are the node's master fields, which are not repeated.
pub const SAME_FIELDS: u8 = 2;

/// A run of entries (see the module comment).
#[derive(Clone)]
pub struct Node {
  data: Vec<u8>,
  /// Number of master fields.
  master_fields: u32,
  /// Where the first entry starts in `data`.
  entries_start: u32,
  /// Entries not deleted.
  live: u32,
  /// Tombstones.
  deleted: u32,
  /// The size of the equivalent Redis listpack (see the module comment).
  listpack_bytes: u64,
}

/// An entry's header as decoded from a node, tombstones included.
#[derive(Clone, Copy, Debug)]
pub struct RawEntry {
  pub id: StreamId,
  pub flags: u8,
  /// Where the entry starts (its flags byte).
  pub start: usize,
  /// Where its strings start.
  body: usize,
  /// Number of field-value pairs.
  pub fields: usize,
  /// Where the next entry starts (after the back length).
  pub next: usize,
}

impl RawEntry {
  pub fn is_deleted(&self) -> bool {
    self.flags & DELETED != 0
  }
}

impl Node {
  /// A node for an entry with the fields of `pairs` (`field, value, field, value…`), which
  /// become its master fields; the entry itself is added with [`Node::push`]. `capacity` bytes
  /// are reserved up front.
  pub fn new(pairs: &[&[u8]], capacity: usize) -> Node {
    let mut data = Vec::with_capacity(capacity);
    let mut fields_size = 0;
    for field in pairs.iter().step_by(2) {
      write_string(&mut data, field);
      fields_size += listpack_string_size(field);
    }
    let master_fields = pairs.len() / 2;
    // Header, end byte, and the master entry: live count, deleted count, field count, the
    // fields and a zero terminator.
    let listpack_bytes = 6
      + 1
      + listpack_int_size(0)
      + listpack_int_size(0)
      + listpack_int_size(master_fields as i64)
      + fields_size
      + listpack_int_size(0);
    Node {
      entries_start: data.len() as u32,
      data,
      master_fields: master_fields as u32,
      live: 0,
      deleted: 0,
      listpack_bytes,
    }
  }

  /// The node's master fields, in order.
  pub fn master_fields(&self) -> Vec<Text<'_>> {
    let mut at = 0;
    (0..self.master_fields)
      .map(|_| {
        let (field, next) = read_string(&self.data, at);
        at = next;
        field
      })
      .collect()
  }

  /// Entries not deleted.
  pub fn live(&self) -> u32 {
    self.live
  }

  /// Entries, tombstones included.
  pub fn total(&self) -> u32 {
    self.live + self.deleted
  }

  /// The size Redis's listpack for this node would have.
  pub fn listpack_bytes(&self) -> u64 {
    self.listpack_bytes
  }

  /// Gives back the spare capacity: the node will not grow any more. The entries move to a new
  /// allocation of their exact size, rather than shrinking in place: that would leave the
  /// reserved tail as a hole between nodes, which the allocator could neither give back to the
  /// system nor fill with the next node's reservation.
  pub fn seal(&mut self) {
    if self.data.capacity() > self.data.len() {
      self.data = self.data.to_vec();
    }
  }

  /// Heap bytes owned by the node.
  pub fn heap_size(&self) -> usize {
    self.data.capacity()
  }

  /// Appends the entry `id` (greater than every ID in the node) with `pairs`; `master` is the
  /// node's master ID.
  pub fn push(&mut self, master: StreamId, id: StreamId, pairs: &[&[u8]]) {
    let same_fields = self.has_master_fields(pairs);
    let start = self.data.len();
    let flags = if same_fields { SAME_FIELDS } else { 0 };
    let ms_delta = id.ms.wrapping_sub(master.ms);
    let seq_delta = id.seq.wrapping_sub(master.seq);
    self.data.push(flags);
    write_varint(&mut self.data, ms_delta);
    write_varint(&mut self.data, zigzag(seq_delta as i64));
    let count = pairs.len() / 2;
    // Listpack: flags, the two deltas, [field count], the strings, and the element count that
    // lets Redis walk the entry backwards.
    let mut size =
      listpack_int_size(flags as i64) + listpack_int_size(ms_delta as i64) + listpack_int_size(seq_delta as i64);
    let mut elements = count as i64 + 3;
    if same_fields {
      for value in pairs.iter().skip(1).step_by(2) {
        write_string(&mut self.data, value);
        size += listpack_string_size(value);
      }
    } else {
      write_varint(&mut self.data, count as u64);
      size += listpack_int_size(count as i64);
      for item in pairs {
        write_string(&mut self.data, item);
        size += listpack_string_size(item);
      }
      elements += count as i64 + 1;
    }
    size += listpack_int_size(elements);
    let length = (self.data.len() - start) as u64;
    write_back_length(&mut self.data, length);
    self.listpack_bytes += size;
    self.set_counts(self.live + 1, self.deleted);
  }

  /// Whether `pairs` has exactly the master fields, in order.
  fn has_master_fields(&self, pairs: &[&[u8]]) -> bool {
    if pairs.len() / 2 != self.master_fields as usize {
      return false;
    }
    let mut at = 0;
    pairs.iter().step_by(2).all(|field| {
      let (master_field, next) = read_string(&self.data, at);
      at = next;
      *master_field == **field
    })
  }

  /// Marks `entry` (a live entry of this node) deleted.
  pub fn mark_deleted(&mut self, entry: &RawEntry) {
    self.data[entry.start] |= DELETED;
    self.set_counts(self.live - 1, self.deleted + 1);
  }

  /// Sets the live and deleted counts, keeping the listpack size in step with their encoding.
  fn set_counts(&mut self, live: u32, deleted: u32) {
    self.listpack_bytes = self.listpack_bytes + listpack_int_size(live as i64) + listpack_int_size(deleted as i64)
      - listpack_int_size(self.live as i64)
      - listpack_int_size(self.deleted as i64);
    self.live = live;
    self.deleted = deleted;
  }

  /// Where the first entry starts; the first [`RawEntry::next`] that reaches [`Node::end`]
  /// ends the walk.
  pub fn first_position(&self) -> usize {
    self.entries_start as usize
  }

  /// The end of the last entry.
  pub fn end(&self) -> usize {
    self.data.len()
  }

  /// Whether `position` (a [`RawEntry::start`] or [`Node::end`]) is the first entry's start:
  /// there is no entry before it.
  pub fn is_first_position(&self, position: usize) -> bool {
    position <= self.entries_start as usize
  }

  /// Decodes the entry starting at `start`; `master` is the node's master ID.
  pub fn entry_at(&self, master: StreamId, start: usize) -> RawEntry {
    let data = &self.data;
    let flags = data[start];
    let (ms_delta, at) = read_varint(data, start + 1);
    let (seq_delta, mut at) = read_varint(data, at);
    let id = StreamId::new(master.ms.wrapping_add(ms_delta), master.seq.wrapping_add(unzigzag(seq_delta) as u64));
    let (fields, strings) = if flags & SAME_FIELDS != 0 {
      (self.master_fields as usize, self.master_fields as usize)
    } else {
      let (count, after) = read_varint(data, at);
      at = after;
      (count as usize, 2 * count as usize)
    };
    let body = at;
    for _ in 0..strings {
      at = skip_string(data, at);
    }
    let next = at + back_length_size((at - start) as u64);
    RawEntry { id, flags, start, body, fields, next }
  }

  /// Decodes the entry that ends at `end` (an entry's start, or [`Node::end`]).
  pub fn entry_before(&self, master: StreamId, end: usize) -> RawEntry {
    let (length, size) = read_back_length(&self.data, end);
    self.entry_at(master, end - size - length as usize)
  }

  /// The node's last entry, tombstone or not.
  pub fn last_entry(&self, master: StreamId) -> RawEntry {
    self.entry_before(master, self.end())
  }

  /// The field-value pairs of `entry`, an entry of this node.
  pub fn pairs(&self, entry: &RawEntry) -> Pairs<'_> {
    let master_at = (entry.flags & SAME_FIELDS != 0).then_some(0);
    Pairs { data: &self.data, master_at, at: entry.body, left: entry.fields }
  }
}

/// The field-value pairs of one entry, in order.
pub struct Pairs<'a> {
  data: &'a [u8],
  /// The next master field, for an entry with the master fields.
  master_at: Option<usize>,
  /// The next string of the entry itself.
  at: usize,
  left: usize,
}

impl<'a> Iterator for Pairs<'a> {
  type Item = (Text<'a>, Text<'a>);

  fn next(&mut self) -> Option<Self::Item> {
    if self.left == 0 {
      return None;
    }
    self.left -= 1;
    let field = match self.master_at.as_mut() {
      Some(master_at) => {
        let (field, next) = read_string(self.data, *master_at);
        *master_at = next;
        field
      }
      None => {
        let (field, next) = read_string(self.data, self.at);
        self.at = next;
        field
      }
    };
    let (value, next) = read_string(self.data, self.at);
    self.at = next;
    Some((field, value))
  }

  fn size_hint(&self) -> (usize, Option<usize>) {
    (self.left, Some(self.left))
  }
}

impl ExactSizeIterator for Pairs<'_> {}

/// Appends `n` in LEB128: seven bits a byte, low bits first, high bit set while more follow.
fn write_varint(out: &mut Vec<u8>, mut n: u64) {
  while n >= 0x80 {
    out.push(n as u8 | 0x80);
    n >>= 7;
  }
  out.push(n as u8);
}

/// Reads a varint at `at`; returns it and the position after it.
fn read_varint(data: &[u8], mut at: usize) -> (u64, usize) {
  let mut n = 0u64;
  let mut shift = 0;
  loop {
    let byte = data[at];
    at += 1;
    n |= u64::from(byte & 0x7f) << shift;
    if byte & 0x80 == 0 {
      return (n, at);
    }
    shift += 7;
  }
}

/// Appends a string (see the module comment): a number as one, anything else as bytes.
fn write_string(out: &mut Vec<u8>, bytes: &[u8]) {
  match parse_i64(bytes).map(zigzag).filter(|&n| n < 1 << 63) {
    Some(n) => write_varint(out, n << 1 | 1),
    None => {
      write_varint(out, (bytes.len() as u64) << 1);
      out.extend_from_slice(bytes);
    }
  }
}

/// Reads the string at `at`; returns it and the position after it.
fn read_string(data: &[u8], at: usize) -> (Text<'_>, usize) {
  let (head, start) = read_varint(data, at);
  if head & 1 == 1 {
    return (Text::number(unzigzag(head >> 1)), start);
  }
  let end = start + (head >> 1) as usize;
  (Text::Bytes(&data[start..end]), end)
}

/// The position after the string at `at`.
fn skip_string(data: &[u8], at: usize) -> usize {
  let (head, start) = read_varint(data, at);
  if head & 1 == 1 {
    start
  } else {
    start + (head >> 1) as usize
  }
}

/// A field or value read from a node: its bytes, or the digits of a number stored as one.
/// Derefs to the bytes.
pub enum Text<'a> {
  Bytes(&'a [u8]),
  Digits { buf: [u8; 20], len: u8 },
}

impl Text<'_> {
  fn number(n: i64) -> Text<'static> {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut rest = n.unsigned_abs();
    loop {
      at -= 1;
      buf[at] = b'0' + (rest % 10) as u8;
      rest /= 10;
      if rest == 0 {
        break;
      }
    }
    if n < 0 {
      at -= 1;
      buf[at] = b'-';
    }
    let len = buf.len() - at;
    buf.copy_within(at.., 0);
    Text::Digits { buf, len: len as u8 }
  }
}

impl std::ops::Deref for Text<'_> {
  type Target = [u8];

  fn deref(&self) -> &[u8] {
    match self {
      Text::Bytes(bytes) => bytes,
      Text::Digits { buf, len } => &buf[..*len as usize],
    }
  }
}

fn zigzag(n: i64) -> u64 {
  ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
  (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// Appends an entry length to be read backwards (see the module comment): the most significant
/// group first, without the high bit; every later group with it.
fn write_back_length(out: &mut Vec<u8>, length: u64) {
  let size = back_length_size(length);
  for group in (0..size).rev() {
    let bits = (length >> (7 * group)) as u8 & 0x7f;
    out.push(if group + 1 < size { bits | 0x80 } else { bits });
  }
}

/// How many bytes [`write_back_length`] takes for `length`.
fn back_length_size(length: u64) -> usize {
  let bits = 64 - length.leading_zeros() as usize;
  bits.div_ceil(7).max(1)
}

/// Reads the entry length that ends at `end`; returns it and its size in bytes.
fn read_back_length(data: &[u8], end: usize) -> (u64, usize) {
  let mut length = 0u64;
  let mut size = 0;
  loop {
    let byte = data[end - 1 - size];
    length |= u64::from(byte & 0x7f) << (7 * size);
    size += 1;
    if byte & 0x80 == 0 {
      return (length, size);
    }
  }
}

/// Bytes an integer element takes in a listpack: its encoding (1 to 9 bytes by magnitude) and
/// its one-byte back length.
fn listpack_int_size(n: i64) -> u64 {
  let encoded = match n {
    0..=127 => 1,
    -4096..=4095 => 2,
    -32768..=32767 => 3,
    -8_388_608..=8_388_607 => 4,
    -2_147_483_648..=2_147_483_647 => 5,
    _ => 9,
  };
  encoded + 1
}

/// Bytes a string element takes in a listpack: as an integer when it reads as one (Redis's
/// `lpStringToInt64` is `string2ll`'s rule), otherwise a 1, 2 or 5-byte header, the bytes, and a
/// back length of 1 to 5 bytes.
fn listpack_string_size(s: &[u8]) -> u64 {
  if let Some(n) = parse_i64(s) {
    return listpack_int_size(n);
  }
  let len = s.len() as u64;
  let encoded = match len {
    0..=63 => 1 + len,
    64..=4095 => 2 + len,
    _ => 5 + len,
  };
  let back_length = match encoded {
    0..=127 => 1,
    128..=16382 => 2,
    16383..=2_097_150 => 3,
    2_097_151..=268_435_454 => 4,
    _ => 5,
  };
  encoded + back_length
}

#[cfg(test)]
mod tests {
  use super::*;

  fn pairs_of(node: &Node, entry: &RawEntry) -> Vec<(String, String)> {
    node
      .pairs(entry)
      .map(|(f, v)| (String::from_utf8_lossy(&f).into_owned(), String::from_utf8_lossy(&v).into_owned()))
      .collect()
  }

  #[test]
  fn entries_read_back_both_ways() {
    let master = StreamId::new(1000, 5);
    let mut node = Node::new(&[b"a", b"1", b"b", b"2"], 64);
    node.push(master, master, &[b"a", b"1", b"b", b"2"]);
    node.push(master, StreamId::new(1000, 9), &[b"a", b"x", b"b", &[b'y'; 300]]);
    node.push(master, StreamId::new(5000, 0), &[b"other", b"v"]);
    node.push(master, StreamId::new(u64::MAX, u64::MAX), &[b"a", b"", b"b", b""]);
    let mut forward = Vec::new();
    let mut at = node.first_position();
    while at < node.end() {
      let entry = node.entry_at(master, at);
      forward.push((entry.id, entry.flags, pairs_of(&node, &entry)));
      at = entry.next;
    }
    let mut backward = Vec::new();
    let mut end = node.end();
    while !node.is_first_position(end) {
      let entry = node.entry_before(master, end);
      backward.push((entry.id, entry.flags, pairs_of(&node, &entry)));
      end = entry.start;
    }
    backward.reverse();
    assert_eq!(forward.len(), 4);
    assert_eq!(forward[1].2[1].1.len(), 300);
    assert_eq!(forward[2], (StreamId::new(5000, 0), 0, vec![("other".into(), "v".into())]));
    assert_eq!(forward[3].0, StreamId::MAX);
    assert_eq!(forward[3].1, SAME_FIELDS);
    assert_eq!(forward, backward);
  }

  #[test]
  fn listpack_sizes_follow_redis() {
    assert_eq!(listpack_int_size(127), 2);
    assert_eq!(listpack_int_size(-1), 3);
    assert_eq!(listpack_int_size(40000), 5);
    assert_eq!(listpack_int_size(i64::MIN), 10);
    assert_eq!(listpack_string_size(b"123"), 2);
    assert_eq!(listpack_string_size(b"0123"), 6);
    assert_eq!(listpack_string_size(b"-0"), 4);
    assert_eq!(listpack_string_size(&[b'x'; 63]), 65);
    assert_eq!(listpack_string_size(&[b'x'; 64]), 67);
    assert_eq!(listpack_string_size(&[b'x'; 126]), 130);
    // One entry `f v` in a new node: header and end (7), the master entry (counts 2 + 2, field
    // count 2, `f` 3, terminator 2) and the entry (flags 2, deltas 2 + 2, `v` 3, element count 2).
    let mut node = Node::new(&[b"f", b"v"], 16);
    node.push(StreamId::new(1, 1), StreamId::new(1, 1), &[b"f", b"v"]);
    assert_eq!(node.listpack_bytes(), 29);
    let first = node.entry_at(StreamId::new(1, 1), node.first_position());
    node.push(StreamId::new(1, 1), StreamId::new(1, 2), &[b"f", b"v"]);
    node.mark_deleted(&first);
    assert_eq!((node.live(), node.total()), (1, 2));
    assert_eq!(node.listpack_bytes(), 29 + 11);
  }

  #[test]
  fn numbers_read_back_as_written() {
    let master = StreamId::new(1, 0);
    let values: [&[u8]; 9] = [
      b"0",
      b"42",
      b"-1",
      b"-0",
      b"007",
      b"4611686018427387903",
      b"4611686018427387904",
      b"-4611686018427387904",
      b"-9223372036854775808",
    ];
    let mut pairs = Vec::new();
    for value in values {
      pairs.push(&b"1"[..]);
      pairs.push(value);
    }
    let mut node = Node::new(&pairs, 64);
    node.push(master, master, &pairs);
    let entry = node.entry_at(master, node.first_position());
    let read: Vec<Vec<u8>> = node.pairs(&entry).map(|(_, value)| value.to_vec()).collect();
    assert_eq!(read, values.map(|v| v.to_vec()));
    assert_eq!(entry.next, node.end());
  }

  #[test]
  fn back_lengths_round_trip() {
    for length in [0u64, 1, 127, 128, 16383, 16384, 1 << 40] {
      let mut data = vec![9u8];
      write_back_length(&mut data, length);
      assert_eq!(read_back_length(&data, data.len()), (length, data.len() - 1), "{length}");
    }
  }
}
