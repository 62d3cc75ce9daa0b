//! DEBUG DIGEST and DIGEST-VALUE: SHA-1 signatures of the dataset, computed the way Redis
//! does so that two servers holding the same data report the same digest.
//!
//! Redis combines SHA-1 hashes with two operations: *xor* (`digest ^= sha1(data)`, order
//! independent, used to add up keys) and *mix* (`digest = sha1(digest ^ sha1(data))`, order
//! dependent, used inside one value). A key's digest mixes its name, its type code and its
//! value, and is xored with `!!expire!!` when the key has a time to live; the dataset digest
//! mixes in each non-empty database's index, then xors in the digests of its keys.

use crate::db::Entry;
use crate::num::format_double;
use crate::server::Server;
use crate::types::stream::StreamId;
use crate::value::Value;

pub type Digest = [u8; 20];

/// SHA-1 (FIPS 180-4) of `data`. The whole blocks are hashed in place; only the last one or
/// two, with the padding and the length, are assembled on the stack.
pub fn sha1(data: &[u8]) -> Digest {
  let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
  let mut blocks = data.chunks_exact(64);
  for block in blocks.by_ref() {
    sha1_block(&mut h, block);
  }
  let rest = blocks.remainder();
  let mut tail = [0u8; 128];
  tail[..rest.len()].copy_from_slice(rest);
  tail[rest.len()] = 0x80;
  let tail_len = if rest.len() < 56 { 64 } else { 128 };
  tail[tail_len - 8..tail_len].copy_from_slice(&((data.len() as u64) * 8).to_be_bytes());
  for block in tail[..tail_len].chunks_exact(64) {
    sha1_block(&mut h, block);
  }
  let mut digest = [0u8; 20];
  for (chunk, word) in digest.chunks_exact_mut(4).zip(h) {
    chunk.copy_from_slice(&word.to_be_bytes());
  }
  digest
}

/// One 64-byte block of SHA-1.
#[inline]
fn sha1_block(h: &mut [u32; 5], block: &[u8]) {
  let mut w = [0u32; 80];
  for (i, word) in block.chunks_exact(4).enumerate() {
    w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
  }
  for i in 16..80 {
    w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
  }
  let [mut a, mut b, mut c, mut d, mut e] = *h;
  for (i, &word) in w.iter().enumerate() {
    let (f, k) = match i {
      0..=19 => ((b & c) | (!b & d), 0x5A827999),
      20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
      40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
      _ => (b ^ c ^ d, 0xCA62C1D6),
    };
    let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(word);
    (e, d, c, b, a) = (d, c, b.rotate_left(30), a, t);
  }
  for (state, value) in h.iter_mut().zip([a, b, c, d, e]) {
    *state = state.wrapping_add(value);
  }
}

/// `digest ^= sha1(data)`.
fn xor_in(digest: &mut Digest, data: &[u8]) {
  for (d, h) in digest.iter_mut().zip(sha1(data)) {
    *d ^= h;
  }
}

/// `digest = sha1(digest ^ sha1(data))`.
fn mix_in(digest: &mut Digest, data: &[u8]) {
  xor_in(digest, data);
  *digest = sha1(digest);
}

/// Redis's type codes (`OBJ_STRING`…), which are part of a key's digest.
fn type_code(type_name: &str) -> u32 {
  match type_name {
    "string" => 0,
    "list" => 1,
    "set" => 2,
    "zset" => 3,
    "hash" => 4,
    "stream" => 6,
    _ => 5,
  }
}

/// Mixes one key's value into `digest`: its type, its content and whether it has a time to
/// live.
pub fn mix_value(digest: &mut Digest, entry: &Entry) {
  mix_in(digest, &type_code(entry.value.type_name()).to_be_bytes());
  // Collections: list elements in order; set members, hash field/value pairs and sorted-set
  // member/score pairs each digested alone and xor-ed, so their order does not matter.
  let mut xor_element = |parts: &[&[u8]]| {
    let mut element = [0u8; 20];
    for part in parts {
      mix_in(&mut element, part);
    }
    xor_in(digest, &element);
  };
  match &entry.value {
    Value::List(list) => list.iter().for_each(|item| mix_in(digest, item)),
    Value::Set(set) => set.iter().for_each(|member| xor_in(digest, member)),
    Value::Hash(hash) => hash.iter().for_each(|(field, value)| xor_element(&[field, value])),
    Value::ZSet(zset) => {
      zset.iter().for_each(|(member, score)| xor_element(&[member, format_double(score).as_bytes()]))
    }
    // Stream entries in order: each ID as `<ms>.<seq>`, then its fields and values.
    Value::Stream(stream) => {
      for entry in stream.range(StreamId::MIN, StreamId::MAX) {
        mix_in(digest, format!("{}.{}", entry.id.ms, entry.id.seq).as_bytes());
        for (field, value) in entry.pairs() {
          mix_in(digest, &field);
          mix_in(digest, &value);
        }
      }
    }
    string => {
      if let Some(bytes) = string.as_bytes() {
        mix_in(digest, &bytes);
      }
    }
  }
  if entry.has_ttl() {
    xor_in(digest, b"!!expire!!");
  }
}

/// The digest of every database (DEBUG DIGEST); all zeros when the keyspace is empty. Keys that
/// expired but were not reclaimed yet count, as in Redis.
pub fn dataset_digest(server: &Server) -> Digest {
  let mut digest = [0u8; 20];
  for (index, db) in server.keyspace.dbs.iter().enumerate() {
    if db.is_empty() {
      continue;
    }
    mix_in(&mut digest, &(index as u32).to_be_bytes());
    for entry in db.entries() {
      let mut key_digest = [0u8; 20];
      mix_in(&mut key_digest, &entry.key);
      mix_value(&mut key_digest, entry);
      xor_in(&mut digest, &key_digest);
    }
  }
  digest
}

/// Lower-case hexadecimal, as DEBUG prints digests.
pub fn hex(digest: &Digest) -> String {
  digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn sha1_known_answers() {
    assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_eq!(hex(&sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  }
}
