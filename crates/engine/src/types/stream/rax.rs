//! The node count of the radix tree Redis would keep for a stream (XINFO STREAM's
//! `radix-tree-nodes`).
//!
//! Redis indexes a stream's nodes in a radix tree keyed by their master IDs as 16 big-endian
//! bytes. Its insertions and removals keep the tree compressed: a run of bytes shared by every
//! key below a point is one node, a point where keys diverge is one node with a child per next
//! byte, and each key ends in a leaf. For keys of equal length, none a prefix of another, that
//! makes the tree a function of the set of keys, so counting its nodes needs no tree: the root
//! (always present, even empty), plus for each subtree a node for its shared run (if any) and
//! either a branching node or a leaf.

use super::StreamId;

/// The number of radix-tree nodes for these master IDs, in increasing order.
pub fn node_count(masters: &[StreamId]) -> u64 {
  let keys: Vec<[u8; 16]> = masters.iter().map(|id| key(*id)).collect();
  if keys.is_empty() {
    return 1;
  }
  subtree(&keys, 0)
}

fn key(id: StreamId) -> [u8; 16] {
  let mut key = [0u8; 16];
  key[..8].copy_from_slice(&id.ms.to_be_bytes());
  key[8..].copy_from_slice(&id.seq.to_be_bytes());
  key
}

/// Nodes under the point where `keys` (sorted, distinct, sharing their first `depth` bytes)
/// have consumed `depth` bytes.
fn subtree(keys: &[[u8; 16]], depth: usize) -> u64 {
  if depth == 16 {
    return 1;
  }
  if keys.len() == 1 {
    // The rest of the key in one compressed node, then the leaf.
    return 2;
  }
  // Sorted keys share with one another exactly what the first and last share.
  let (first, last) = (&keys[0], &keys[keys.len() - 1]);
  let shared = (depth..16).take_while(|&at| first[at] == last[at]).count();
  if shared > 0 {
    return 1 + subtree(keys, depth + shared);
  }
  let mut count = 1;
  let mut rest = keys;
  while let Some(head) = rest.first() {
    let run = rest.iter().take_while(|k| k[depth] == head[depth]).count();
    count += subtree(&rest[..run], depth + 1);
    rest = &rest[run..];
  }
  count
}

#[cfg(test)]
mod tests {
  use super::*;

  fn ids(pairs: &[(u64, u64)]) -> Vec<StreamId> {
    pairs.iter().map(|&(ms, seq)| StreamId::new(ms, seq)).collect()
  }

  #[test]
  fn counts_like_redis() {
    // Values read from XINFO STREAM on redis-server 7.0.15.
    assert_eq!(node_count(&[]), 1);
    assert_eq!(node_count(&ids(&[(1, 1)])), 2);
    // Two keys differing in the last byte: shared run, branch, two leaves.
    assert_eq!(node_count(&ids(&[(1, 1), (1, 2)])), 4);
    // Differing in the first byte: the root branches, each side is a run and a leaf.
    assert_eq!(node_count(&ids(&[(1, 1), (1 << 56, 1)])), 5);
  }
}
