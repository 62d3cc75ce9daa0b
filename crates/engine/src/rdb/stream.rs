//! Streams in RDB form, as Redis 7.0 writes them (`RDB_TYPE_STREAM_LISTPACKS_2`) and as 5.0
//! to 6.2 wrote them (`RDB_TYPE_STREAM_LISTPACKS`, read only).
//!
//! The payload is the node count, then each node as its master ID (16 bytes, milliseconds and
//! sequence big-endian) and its listpack; then the length, the last ID, and (version 2) the
//! first ID, the greatest deleted ID and the count of entries ever added; then the consumer
//! groups: name, last delivered ID, (version 2) read counter, the PEL (raw IDs with delivery
//! time and count) and the consumers (name, seen time, and the raw IDs they own).
//!
//! A node's listpack opens with its *master entry* (live count, deleted count, field count,
//! the field names, a 0), then each entry: flags, the ID as differences from the master ID,
//! the field count and fields unless the entry has the master fields, the values, and the
//! number of elements the entry took. Reading checks all of it as Redis's deep sanitization
//! does, and also what Redis takes on trust (IDs in order, PELs consistent), so that no
//! payload yields a stream the commands cannot serve.

use super::encoding::{write_len, write_string, RdbError, Reader};
use super::listpack::{self, Element};
use crate::num::parse_i64;
use crate::types::stream::parts::{EntryParts, Meta, NodeParts};
use crate::types::stream::{Consumer, Group, PendingEntry, Stream, StreamId};
use std::collections::btree_map::Entry as MapEntry;

/// Entry flags in a node's listpack.
const FLAG_DELETED: i64 = 1;
const FLAG_SAME_FIELDS: i64 = 2;

fn corrupt(what: &'static str) -> RdbError {
  RdbError::Corrupt(what)
}

fn raw_id(id: StreamId) -> [u8; 16] {
  let mut raw = [0u8; 16];
  raw[..8].copy_from_slice(&id.ms.to_be_bytes());
  raw[8..].copy_from_slice(&id.seq.to_be_bytes());
  raw
}

fn id_of_raw(raw: &[u8]) -> Result<StreamId, RdbError> {
  let raw: &[u8; 16] = raw.try_into().map_err(|_| corrupt("stream ID"))?;
  let (ms, seq) = raw.split_at(8);
  Ok(StreamId::new(
    u64::from_be_bytes(ms.try_into().map_err(|_| corrupt("stream ID"))?),
    u64::from_be_bytes(seq.try_into().map_err(|_| corrupt("stream ID"))?),
  ))
}

/// Appends the payload of `stream` (after its type byte).
pub fn write(out: &mut Vec<u8>, stream: &Stream, compress: bool) {
  let nodes = stream.node_parts();
  write_len(out, nodes.len() as u64);
  for node in &nodes {
    write_string(out, &raw_id(node.master), compress);
    write_string(out, &node_listpack(node), compress);
  }
  let meta = stream.meta();
  write_len(out, stream.len());
  for id in [meta.last_id, meta.first_id, meta.max_deleted_id] {
    write_len(out, id.ms);
    write_len(out, id.seq);
  }
  write_len(out, meta.entries_added);
  write_len(out, stream.groups.len() as u64);
  for (name, group) in &stream.groups {
    write_string(out, name, compress);
    write_len(out, group.last_id.ms);
    write_len(out, group.last_id.seq);
    write_len(out, group.entries_read.unwrap_or(-1) as u64);
    write_len(out, group.pel.len() as u64);
    for (id, pending) in &group.pel {
      out.extend_from_slice(&raw_id(*id));
      out.extend_from_slice(&pending.delivery_time.to_le_bytes());
      write_len(out, pending.delivery_count);
    }
    write_len(out, group.consumers.len() as u64);
    for (name, consumer) in &group.consumers {
      write_string(out, name, compress);
      out.extend_from_slice(&consumer.seen_time.to_le_bytes());
      write_len(out, consumer.pending.len() as u64);
      for id in &consumer.pending {
        out.extend_from_slice(&raw_id(*id));
      }
    }
  }
}

/// The listpack Redis keeps for `node`.
fn node_listpack(node: &NodeParts) -> Vec<u8> {
  let mut lp = listpack::Writer::default();
  let deleted = node.entries.iter().filter(|e| e.deleted).count() as i64;
  lp.push_int(node.entries.len() as i64 - deleted);
  lp.push_int(deleted);
  lp.push_int(node.master_fields.len() as i64);
  for field in &node.master_fields {
    lp.push(field);
  }
  lp.push_int(0);
  for entry in &node.entries {
    let flags = if entry.deleted { FLAG_DELETED } else { 0 } | if entry.same_fields { FLAG_SAME_FIELDS } else { 0 };
    lp.push_int(flags);
    lp.push_int(entry.id.ms.wrapping_sub(node.master.ms) as i64);
    lp.push_int(entry.id.seq.wrapping_sub(node.master.seq) as i64);
    let count = entry.pairs.len() / 2;
    if entry.same_fields {
      for value in entry.pairs.iter().skip(1).step_by(2) {
        lp.push(value);
      }
      lp.push_int(count as i64 + 3);
    } else {
      lp.push_int(count as i64);
      for item in &entry.pairs {
        lp.push(item);
      }
      lp.push_int(2 * count as i64 + 4);
    }
  }
  lp.finish()
}

/// Reads a stream payload (after its type byte); `version2` for `RDB_TYPE_STREAM_LISTPACKS_2`.
pub fn read(reader: &mut Reader, version2: bool) -> Result<Stream, RdbError> {
  let node_count = reader.read_len()?;
  let mut nodes = Vec::new();
  for _ in 0..node_count {
    let master = id_of_raw(&reader.read_string()?)?;
    let blob = reader.read_string()?;
    nodes.push(read_node(master, &listpack::read_ignoring_count(&blob).map_err(|e| e.within("stream listpack"))?)?);
  }
  let length = reader.read_len()?;
  let last_id = read_id(reader)?;
  let (first_id, max_deleted_id, entries_added) = if version2 {
    (read_id(reader)?, read_id(reader)?, reader.read_len()?)
  } else {
    let first = nodes.iter().flat_map(|n| &n.entries).find(|e| !e.deleted).map_or(StreamId::default(), |e| e.id);
    (first, StreamId::default(), length)
  };
  let meta = Meta { last_id, first_id, max_deleted_id, entries_added };
  let mut stream = Stream::from_parts(nodes, meta).map_err(corrupt)?;
  if stream.len() != length {
    return Err(corrupt("stream length"));
  }
  let group_count = reader.read_len()?;
  for _ in 0..group_count {
    let name = reader.read_string()?.into_boxed_slice();
    let last_id = read_id(reader)?;
    let entries_read = if version2 {
      Some(reader.read_len()? as i64).filter(|&n| n >= 0)
    } else {
      stream.estimate_entries_read(last_id)
    };
    let mut group = Group::new(last_id, entries_read);
    for _ in 0..reader.read_len()? {
      let id = id_of_raw(reader.read_bytes(16)?)?;
      let delivery_time = read_ms(reader)?;
      let delivery_count = reader.read_len()?;
      let pending = PendingEntry { delivery_time, delivery_count, consumer: Box::default() };
      if group.pel.insert(id, pending).is_some() {
        return Err(corrupt("duplicate stream PEL entry"));
      }
    }
    let mut owned = 0;
    for _ in 0..reader.read_len()? {
      let consumer_name = reader.read_string()?.into_boxed_slice();
      let mut consumer = Consumer::new(read_ms(reader)?);
      for _ in 0..reader.read_len()? {
        let id = id_of_raw(reader.read_bytes(16)?)?;
        let pending = group.pel.get_mut(&id).ok_or(corrupt("consumer entry missing from the group PEL"))?;
        if !pending.consumer.is_empty() || !consumer.pending.insert(id) {
          return Err(corrupt("stream PEL entry owned twice"));
        }
        pending.consumer = consumer_name.clone();
        owned += 1;
      }
      if group.consumers.insert(consumer_name, consumer).is_some() {
        return Err(corrupt("duplicate stream consumer"));
      }
    }
    if owned != group.pel.len() {
      return Err(corrupt("stream PEL entry without a consumer"));
    }
    match stream.groups.entry(name) {
      MapEntry::Vacant(slot) => {
        slot.insert(group);
      }
      MapEntry::Occupied(_) => return Err(corrupt("duplicate consumer group")),
    }
  }
  Ok(stream)
}

fn read_id(reader: &mut Reader) -> Result<StreamId, RdbError> {
  Ok(StreamId::new(reader.read_len()?, reader.read_len()?))
}

fn read_ms(reader: &mut Reader) -> Result<i64, RdbError> {
  let bytes = reader.read_bytes(8)?;
  Ok(i64::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?))
}

/// The node a checked listpack describes.
fn read_node(master: StreamId, elements: &[Element]) -> Result<NodeParts, RdbError> {
  let bad = || corrupt("stream listpack");
  let mut items = elements.iter();
  let mut int = || -> Result<i64, RdbError> {
    match items.next().ok_or_else(bad)? {
      Element::Int(n) => Ok(*n),
      Element::Str(s) => parse_i64(s).ok_or_else(bad),
    }
  };
  let live = int()?;
  let deleted = int()?;
  let field_count = int()?;
  if live < 0 || deleted < 0 || field_count < 0 || field_count as usize > elements.len() {
    return Err(bad());
  }
  let rest = &elements[3..];
  let master_fields: Vec<Vec<u8>> = rest.iter().take(field_count as usize).map(Element::to_bytes).collect();
  let mut at = 3 + master_fields.len();
  let mut next = || -> Result<&Element, RdbError> {
    let element = elements.get(at).ok_or_else(bad)?;
    at += 1;
    Ok(element)
  };
  let as_int = |element: &Element| match element {
    Element::Int(n) => Some(*n),
    Element::Str(s) => parse_i64(s),
  };
  if master_fields.len() != field_count as usize || as_int(next()?) != Some(0) {
    return Err(bad());
  }
  let mut entries = Vec::new();
  let mut dead = 0;
  for _ in 0..live.checked_add(deleted).ok_or_else(bad)? {
    let flags = as_int(next()?).ok_or_else(bad)?;
    let ms = as_int(next()?).ok_or_else(bad)?;
    let seq = as_int(next()?).ok_or_else(bad)?;
    let same_fields = flags & FLAG_SAME_FIELDS != 0;
    let mut pairs = Vec::new();
    let expected_count = if same_fields {
      for field in &master_fields {
        pairs.push(field.clone());
        pairs.push(next()?.to_bytes());
      }
      master_fields.len() as i64 + 3
    } else {
      let count = as_int(next()?).filter(|&n| n >= 0 && n as usize <= elements.len()).ok_or_else(bad)?;
      for _ in 0..2 * count {
        pairs.push(next()?.to_bytes());
      }
      2 * count + 4
    };
    if as_int(next()?) != Some(expected_count) || pairs.is_empty() {
      return Err(bad());
    }
    let id = StreamId::new(master.ms.wrapping_add(ms as u64), master.seq.wrapping_add(seq as u64));
    let deleted_entry = flags & FLAG_DELETED != 0;
    dead += deleted_entry as i64;
    entries.push(EntryParts { id, deleted: deleted_entry, same_fields, pairs });
  }
  if at != elements.len() || dead != deleted {
    return Err(bad());
  }
  Ok(NodeParts { master, master_fields, entries })
}
