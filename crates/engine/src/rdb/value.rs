//! A key's value in RDB form: a type byte, then the payload of that type. DUMP payloads and
//! RDB files both hold values this way.
//!
//! [`write_value`] writes what Redis 7.0 writes for the same data: strings with the integer
//! and LZF rules of [`encoding`](super::encoding); lists as a quicklist of listpack nodes, split
//! as RPUSH would have split them under `list-max-listpack-size`; sets as an intset or a
//! table of members; hashes and sorted sets as a listpack while in their compact encoding,
//! else as tables (sorted sets from the highest member down, scores as binary doubles). Table
//! order is this engine's iteration order, so those payloads differ from Redis's in order only.
//!
//! [`read_value`] reads those and the types older versions wrote (linked lists, ziplists,
//! zipmaps, quicklists of ziplists, sorted sets with text scores, version 1 streams), checking
//! every blob as Redis's deep sanitization does, and builds the value in the encoding Redis
//! would choose after loading it. A list's nodes are not kept: the list is split anew when
//! written. Streams have their own module, [`stream`](super::stream).

use super::encoding::{write_len, write_string, RdbError, Reader};
use super::{intset, listpack, stream, ziplist};
use crate::bytes::SmallBytes;
use crate::cstr::{strtod, until_nul};
use crate::num::format_double;
use crate::types::hash::{self, Hash};
use crate::types::list::List;
use crate::types::set::{intset_limit, Member, Set};
use crate::types::zset::{self, ZSet};
use crate::value::Value;

pub const TYPE_STRING: u8 = 0;
pub const TYPE_LIST: u8 = 1;
pub const TYPE_SET: u8 = 2;
pub const TYPE_ZSET: u8 = 3;
pub const TYPE_HASH: u8 = 4;
pub const TYPE_ZSET_2: u8 = 5;
pub const TYPE_HASH_ZIPMAP: u8 = 9;
pub const TYPE_LIST_ZIPLIST: u8 = 10;
pub const TYPE_SET_INTSET: u8 = 11;
pub const TYPE_ZSET_ZIPLIST: u8 = 12;
pub const TYPE_HASH_ZIPLIST: u8 = 13;
pub const TYPE_LIST_QUICKLIST: u8 = 14;
pub const TYPE_HASH_LISTPACK: u8 = 16;
pub const TYPE_ZSET_LISTPACK: u8 = 17;
pub const TYPE_LIST_QUICKLIST_2: u8 = 18;
pub const TYPE_STREAM_LISTPACKS: u8 = 15;
pub const TYPE_STREAM_LISTPACKS_2: u8 = 19;

/// Quicklist node container kinds.
const NODE_PLAIN: u64 = 1;
const NODE_PACKED: u64 = 2;
/// Node size limits for `list-max-listpack-size` -1 to -5.
const NODE_SIZE_LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Largest node for a positive (count) `list-max-listpack-size`.
const NODE_SAFETY_LIMIT: usize = 8192;
/// What Redis adds to an element's length when estimating a node's growth.
const NODE_ELEMENT_OVERHEAD: usize = 8;

/// The settings that shape how values are written and which encodings loaded ones get.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
  /// `rdbcompression`.
  pub compress: bool,
  /// `list-max-listpack-size`.
  pub list_fill: i64,
  pub hash: hash::Limits,
  pub zset: zset::Limits,
  /// `set-max-intset-entries`, as [`intset_limit`] caps it.
  pub intset_entries: usize,
}

impl Settings {
  pub fn from_config(config: &crate::config::Config) -> Settings {
    let to_usize = |n: i64| usize::try_from(n.max(0)).unwrap_or(usize::MAX);
    Settings {
      compress: config.stored.get("rdbcompression").is_none_or(|value| value == "yes"),
      list_fill: config.list_max_listpack_size,
      hash: hash::Limits::new(config.hash_max_listpack_entries, config.hash_max_listpack_value),
      zset: zset::Limits {
        entries: to_usize(config.zset_max_listpack_entries),
        value: to_usize(config.zset_max_listpack_value),
      },
      intset_entries: intset_limit(config.set_max_intset_entries),
    }
  }
}

/// Appends `value` as its type byte and payload.
pub fn write_value(out: &mut Vec<u8>, value: &Value, settings: &Settings) {
  let compress = settings.compress;
  match value {
    Value::Int(_) | Value::Str(_) | Value::Raw(_) => {
      out.push(TYPE_STRING);
      write_string(out, &value.as_bytes().unwrap_or_default(), compress);
    }
    Value::List(list) => write_list(out, list, settings),
    Value::Set(set) => match set.intset_width() {
      Some(width) => {
        out.push(TYPE_SET_INTSET);
        let members: Vec<i64> = set.members().map(|m| if let Member::Int(n) = m { n } else { 0 }).collect();
        let blob = intset::write(width, members.into_iter());
        write_string(out, &blob, compress);
      }
      None => {
        out.push(TYPE_SET);
        write_len(out, set.len() as u64);
        for member in set.iter() {
          write_string(out, member, compress);
        }
      }
    },
    Value::Hash(hash) if hash.encoding() == "listpack" => {
      out.push(TYPE_HASH_LISTPACK);
      let mut lp = listpack::Writer::default();
      for (field, value) in hash.iter() {
        lp.push(field);
        lp.push(value);
      }
      write_string(out, &lp.finish(), compress);
    }
    Value::Hash(hash) => {
      out.push(TYPE_HASH);
      write_len(out, hash.len() as u64);
      for (field, value) in hash.iter() {
        write_string(out, field, compress);
        write_string(out, value, compress);
      }
    }
    Value::ZSet(zset) if zset.is_compact() => {
      out.push(TYPE_ZSET_LISTPACK);
      let mut lp = listpack::Writer::default();
      for (member, score) in zset.iter() {
        lp.push(member);
        match score_as_integer(score) {
          Some(n) => lp.push_int(n),
          None => lp.push(format_double(score).as_bytes()),
        }
      }
      write_string(out, &lp.finish(), compress);
    }
    Value::ZSet(zset) => {
      out.push(TYPE_ZSET_2);
      write_len(out, zset.len() as u64);
      let last = zset.pos_at_rank(zset.len().saturating_sub(1));
      for (member, score) in zset.range(last, true) {
        write_string(out, member, compress);
        out.extend_from_slice(&score.to_le_bytes());
      }
    }
    Value::Stream(s) => {
      out.push(TYPE_STREAM_LISTPACKS_2);
      stream::write(out, s, compress);
    }
  }
}

/// A score a listpack stores as an integer (Redis's `double2ll`): a whole number of at most
/// 2^62 in magnitude.
fn score_as_integer(score: f64) -> Option<i64> {
  let limit = (i64::MAX / 2) as f64;
  (score >= -limit && score <= limit && score == score.trunc()).then_some(score as i64)
}

/// A list as a quicklist of listpacks, split into nodes as appending each element in turn
/// would split it.
fn write_list(out: &mut Vec<u8>, list: &List, settings: &Settings) {
  let mut nodes: Vec<listpack::Writer> = Vec::new();
  for item in list.iter() {
    let fits = nodes.last().is_some_and(|node| node_allows(node, item.len(), settings.list_fill));
    if !fits {
      nodes.push(listpack::Writer::default());
    }
    if let Some(node) = nodes.last_mut() {
      node.push(item);
    }
  }
  out.push(TYPE_LIST_QUICKLIST_2);
  write_len(out, nodes.len() as u64);
  for node in nodes {
    write_len(out, NODE_PACKED);
    write_string(out, &node.finish(), settings.compress);
  }
}

/// Whether a node may take one more element of `len` bytes under `fill` (Redis's
/// `_quicklistNodeAllowInsert`).
fn node_allows(node: &listpack::Writer, len: usize, fill: i64) -> bool {
  let new_size = node.size() + len + NODE_ELEMENT_OVERHEAD;
  if fill < 0 {
    if let Some(&limit) = NODE_SIZE_LEVELS.get((-fill - 1) as usize) {
      if new_size <= limit {
        return true;
      }
    }
  }
  new_size <= NODE_SAFETY_LIMIT && (node.count() as i64) < fill
}

/// Reads a type byte and the value after it.
pub fn read_value(reader: &mut Reader, settings: &Settings) -> Result<Value, RdbError> {
  let kind = reader.read_u8()?;
  read_payload(kind, reader, settings)
}

/// Reads the value of a type byte already read (`kind`): in an RDB file the key comes between.
pub fn read_payload(kind: u8, reader: &mut Reader, settings: &Settings) -> Result<Value, RdbError> {
  let value = match kind {
    TYPE_STRING => Value::string_from_vec(reader.read_string()?),
    TYPE_LIST => {
      let len = reader.read_len()?;
      let mut list = List::new();
      for _ in 0..len {
        list.push_back(SmallBytes::from_vec(reader.read_string()?));
      }
      list_value(list)?
    }
    TYPE_LIST_ZIPLIST => {
      let mut list = List::new();
      push_elements(&mut list, &ziplist::read(&reader.read_string()?).map_err(|e| e.within("list ziplist"))?);
      list_value(list)?
    }
    TYPE_LIST_QUICKLIST | TYPE_LIST_QUICKLIST_2 => {
      let nodes = reader.read_len()?;
      let mut list = List::new();
      for _ in 0..nodes {
        let container = if kind == TYPE_LIST_QUICKLIST_2 { reader.read_len()? } else { NODE_PACKED };
        let blob = reader.read_string()?;
        // Redis refuses an empty node of either kind (silently; RESTORE logs this reason).
        if blob.is_empty() {
          return Err(RdbError::Corrupt("empty quicklist node"));
        }
        match container {
          NODE_PLAIN => list.push_back(SmallBytes::from_vec(blob)),
          NODE_PACKED if kind == TYPE_LIST_QUICKLIST_2 => push_elements(&mut list, &listpack::read(&blob)?),
          NODE_PACKED => push_elements(&mut list, &ziplist::read(&blob)?),
          _ => return Err(RdbError::Corrupt("quicklist node")),
        }
      }
      list_value(list)?
    }
    TYPE_SET => {
      let len = reader.read_len()?;
      let mut set = if len as usize > settings.intset_entries { Set::new_table() } else { Set::new_intset() };
      for _ in 0..len {
        let member = reader.read_string()?;
        if !set.add(Member::Bytes(&member), settings.intset_entries) {
          return Err(RdbError::Corrupt("set with a duplicate member"));
        }
      }
      non_empty(set.len(), Value::Set(Box::new(set)))?
    }
    TYPE_SET_INTSET => {
      let (width, members) = intset::read(&reader.read_string()?)?;
      let mut set = Set::intset_of_width(width);
      for n in members {
        set.add(Member::Int(n), settings.intset_entries);
      }
      Value::Set(Box::new(set))
    }
    TYPE_HASH => {
      let len = reader.read_len()?;
      let mut hash = Hash::default();
      for _ in 0..len {
        let field = reader.read_string()?;
        let value = reader.read_string()?;
        if !hash.set(&field, &value, settings.hash) {
          return Err(RdbError::Corrupt("hash with a duplicate field"));
        }
      }
      non_empty(hash.len(), Value::Hash(Box::new(hash)))?
    }
    TYPE_HASH_ZIPMAP => {
      let blob = reader.read_string()?;
      let pairs = ziplist::read_zipmap(&blob)?.into_iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
      hash_value(pairs, settings.hash)?
    }
    TYPE_HASH_ZIPLIST | TYPE_HASH_LISTPACK => {
      let blob = reader.read_string()?;
      let container = if kind == TYPE_HASH_LISTPACK { "hash listpack" } else { "hash ziplist" };
      let pairs = pairs_of(&blob, kind == TYPE_HASH_LISTPACK).map_err(|e| e.within(container))?;
      let keep_long = hash::Limits { max_entries: settings.hash.max_entries, max_value: usize::MAX };
      hash_value(pairs, keep_long)?
    }
    TYPE_ZSET | TYPE_ZSET_2 => {
      let len = reader.read_len()?;
      let mut items = Vec::new();
      for _ in 0..len {
        let member = reader.read_string()?;
        let score = if kind == TYPE_ZSET_2 {
          let bytes = reader.read_bytes(8)?;
          f64::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?)
        } else {
          text_score(reader)?
        };
        if score.is_nan() {
          return Err(RdbError::Corrupt("sorted set score"));
        }
        items.push((member, score));
      }
      zset_value(items, settings.zset)?
    }
    TYPE_ZSET_ZIPLIST | TYPE_ZSET_LISTPACK => {
      let blob = reader.read_string()?;
      let mut items = Vec::new();
      let container = if kind == TYPE_ZSET_LISTPACK { "zset listpack" } else { "zset ziplist" };
      for (member, score) in pairs_of(&blob, kind == TYPE_ZSET_LISTPACK).map_err(|e| e.within(container))? {
        items.push((member, packed_score(&score)?));
      }
      zset_value(items, zset::Limits { entries: settings.zset.entries, value: usize::MAX })?
    }
    TYPE_STREAM_LISTPACKS | TYPE_STREAM_LISTPACKS_2 => {
      Value::Stream(Box::new(stream::read(reader, kind == TYPE_STREAM_LISTPACKS_2)?))
    }
    other => return Err(RdbError::UnknownType(other)),
  };
  Ok(value)
}

/// A score stored as text: a length byte (253 nan, 254 inf, 255 -inf) and that many bytes,
/// read as C's `sscanf("%lg")` reads them (a number at their start).
fn text_score(reader: &mut Reader) -> Result<f64, RdbError> {
  match reader.read_u8()? {
    253 => Ok(f64::NAN),
    254 => Ok(f64::INFINITY),
    255 => Ok(f64::NEG_INFINITY),
    len => {
      let number = strtod(until_nul(reader.read_bytes(len as u64)?));
      if number.consumed == 0 {
        return Err(RdbError::Corrupt("sorted set score"));
      }
      Ok(number.value)
    }
  }
}

/// The score of a listpack or ziplist entry, read as Redis's `zzlStrtod` reads it: C's
/// `strtod` over its first 127 bytes, 0 when they do not start with a number. A score that
/// reads as NaN is refused.
fn packed_score(text: &[u8]) -> Result<f64, RdbError> {
  let score = strtod(until_nul(&text[..text.len().min(127)])).value;
  if score.is_nan() {
    return Err(RdbError::Corrupt("sorted set score"));
  }
  Ok(score)
}

fn push_elements(list: &mut List, elements: &[listpack::Element]) {
  for element in elements {
    list.push_back(SmallBytes::from_vec(element.to_bytes()));
  }
}

fn non_empty(len: usize, value: Value) -> Result<Value, RdbError> {
  if len == 0 {
    Err(RdbError::EmptyKey)
  } else {
    Ok(value)
  }
}

fn list_value(list: List) -> Result<Value, RdbError> {
  non_empty(list.len(), Value::List(Box::new(list)))
}

/// Field-value (or member-score) pairs as read.
type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// The pairs of a listpack (or ziplist) holding field, value, field, value...: an even
/// number of elements without a repeated field (else the encoding is corrupt, as Redis's
/// integrity check finds it).
fn pairs_of(blob: &[u8], is_listpack: bool) -> Result<Pairs, RdbError> {
  let elements = if is_listpack { listpack::read(blob)? } else { ziplist::read(blob)? };
  let corrupt = RdbError::Corrupt(if is_listpack { "listpack" } else { "ziplist" });
  if elements.len() % 2 != 0 {
    return Err(corrupt);
  }
  let pairs: Pairs = elements.chunks_exact(2).map(|p| (p[0].to_bytes(), p[1].to_bytes())).collect();
  let mut fields: Vec<&[u8]> = pairs.iter().map(|(f, _)| f.as_slice()).collect();
  fields.sort_unstable();
  if fields.windows(2).any(|w| w[0] == w[1]) {
    return Err(corrupt);
  }
  Ok(pairs)
}

fn hash_value(pairs: Pairs, limits: hash::Limits) -> Result<Value, RdbError> {
  let mut hash = Hash::default();
  for (field, value) in &pairs {
    if !hash.set(field, value, limits) {
      return Err(RdbError::Corrupt("hash with a duplicate field"));
    }
  }
  non_empty(hash.len(), Value::Hash(Box::new(hash)))
}

fn zset_value(mut items: Vec<(Vec<u8>, f64)>, limits: zset::Limits) -> Result<Value, RdbError> {
  items.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.0.cmp(&b.0)));
  let mut members: Vec<&[u8]> = items.iter().map(|(m, _)| m.as_slice()).collect();
  members.sort_unstable();
  if members.windows(2).any(|w| w[0] == w[1]) {
    return Err(RdbError::Corrupt("sorted set with a duplicate member"));
  }
  let items: Vec<(SmallBytes, f64)> = items.into_iter().map(|(m, s)| (SmallBytes::from_vec(m), s)).collect();
  let len = items.len();
  non_empty(len, Value::ZSet(Box::new(ZSet::from_sorted(items, limits))))
}
