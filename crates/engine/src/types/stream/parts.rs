//! A stream taken apart into plain data and put back together: what serialization (DUMP,
//! RESTORE, RDB files) needs, node by node and tombstones included, since Redis stores a
//! stream's nodes as they are.
//!
//! [`Stream::node_parts`] lists each node's master ID, master fields, counts and entries.
//! [`Stream::from_parts`] rebuilds the nodes from such a list (entries with the master fields
//! again share them, deleted ones become tombstones) after checking that it describes a
//! stream this module can serve: node keys and entry IDs strictly increasing, no empty node,
//! and a last ID no lower than any entry's.

use super::node::{Node, DELETED, SAME_FIELDS};
use super::{Stream, StreamId};
use std::collections::BTreeMap;

/// A node as serialized.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeParts {
  pub master: StreamId,
  pub master_fields: Vec<Vec<u8>>,
  pub entries: Vec<EntryParts>,
}

/// An entry of a node, live or deleted.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryParts {
  pub id: StreamId,
  pub deleted: bool,
  /// Whether the entry has exactly the master fields (which are then not repeated).
  pub same_fields: bool,
  /// `field, value, field, value…`
  pub pairs: Vec<Vec<u8>>,
}

/// The stream-wide bookkeeping kept besides the nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Meta {
  pub last_id: StreamId,
  pub first_id: StreamId,
  pub max_deleted_id: StreamId,
  pub entries_added: u64,
}

impl Stream {
  /// Every node, in order.
  pub fn node_parts(&self) -> Vec<NodeParts> {
    self
      .nodes
      .iter()
      .map(|(&master, node)| {
        let mut entries = Vec::with_capacity(node.total() as usize);
        let mut at = node.first_position();
        while at < node.end() {
          let raw = node.entry_at(master, at);
          let pairs = node.pairs(&raw).flat_map(|(f, v)| [f.to_vec(), v.to_vec()]).collect();
          entries.push(EntryParts {
            id: raw.id,
            deleted: raw.flags & DELETED != 0,
            same_fields: raw.flags & SAME_FIELDS != 0,
            pairs,
          });
          at = raw.next;
        }
        NodeParts { master, master_fields: node.master_fields().iter().map(|f| f.to_vec()).collect(), entries }
      })
      .collect()
  }

  /// The bookkeeping besides nodes and groups.
  pub fn meta(&self) -> Meta {
    Meta {
      last_id: self.last_id,
      first_id: self.first_id,
      max_deleted_id: self.max_deleted_id,
      entries_added: self.entries_added,
    }
  }

  /// A stream of these nodes, without groups; an error saying what is wrong when they do not
  /// describe a valid stream.
  pub fn from_parts(parts: Vec<NodeParts>, meta: Meta) -> Result<Stream, &'static str> {
    let mut nodes = BTreeMap::new();
    let mut length = 0;
    let mut previous: Option<StreamId> = None;
    for part in parts {
      let first = part.entries.first().ok_or("empty stream node")?;
      if previous.is_some_and(|p| part.master <= p) || part.master > first.id {
        return Err("stream node out of order");
      }
      let fields: Vec<&[u8]> = part.master_fields.iter().flat_map(|f| [f.as_slice(), &[][..]]).collect();
      let mut node = Node::new(&fields, 0);
      for entry in &part.entries {
        if previous.is_some_and(|p| entry.id <= p) || entry.pairs.len() % 2 != 0 {
          return Err("stream entries out of order");
        }
        previous = Some(entry.id);
        let pairs: Vec<&[u8]> = entry.pairs.iter().map(|p| p.as_slice()).collect();
        node.push(part.master, entry.id, &pairs);
        if entry.deleted {
          let raw = node.last_entry(part.master);
          node.mark_deleted(&raw);
        } else {
          length += 1;
        }
      }
      if node.live() == 0 {
        return Err("stream node without live entries");
      }
      node.seal();
      nodes.insert(part.master, node);
    }
    if previous.is_some_and(|p| p > meta.last_id) {
      return Err("stream last ID below an entry's");
    }
    Ok(Stream {
      nodes,
      length,
      last_id: meta.last_id,
      first_id: meta.first_id,
      max_deleted_id: meta.max_deleted_id,
      entries_added: meta.entries_added,
      groups: BTreeMap::new(),
    })
  }
}
