//! Byte-exact tests of the HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG,
//! PFSELFTEST) and of what they report (events, the write stream, changes, WATCH).
//!
//! Every expected reply was recorded from redis-server 7.0.15 as Debian ships it
//! (7.0.15-1~deb12u10), whose HyperLogLog code carries the fix for CVE-2025-32023: a sparse
//! opcode that runs past the last register makes the sketch corrupt. Sketches are compared
//! as raw bytes, since they are not text.

mod common;
use common::{check, encode, observed, setup, watch_survives, Client, WRONGTYPE};

const NOT_A_SKETCH: &str = "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n";
const CORRUPT: &str = "-INVALIDOBJ Corrupted HLL object detected\r\n";

/// The header of a sparse sketch with the cache bytes `cache`.
fn sparse_header(cache: [u8; 8]) -> Vec<u8> {
  let mut header = b"HYLL\x01\0\0\0".to_vec();
  header.extend_from_slice(&cache);
  header
}

/// A stale cache holding zero, as a new sketch has after PFADD.
const STALE_ZERO: [u8; 8] = [0, 0, 0, 0, 0, 0, 0, 0x80];

/// The raw reply to a command with binary arguments.
fn raw(c: &mut Client, args: &[&[u8]]) -> Vec<u8> {
  c.raw(&encode(args))
}

/// The bulk reply carrying `bytes`.
fn bulk(bytes: &[u8]) -> Vec<u8> {
  let mut reply = format!("${}\r\n", bytes.len()).into_bytes();
  reply.extend_from_slice(bytes);
  reply.extend_from_slice(b"\r\n");
  reply
}

/// The key's OBJECT ENCODING.
fn encoding(c: &mut Client, key: &str) -> String {
  c.cmd(&["OBJECT", "ENCODING", key])
}

#[test]
fn pfadd_and_pfcount_write_redis_bytes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["PFADD", "h", "a", "b", "c"]), ":1\r\n");
  let mut sketch = sparse_header(STALE_ZERO);
  sketch.extend_from_slice(b"\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a");
  assert_eq!(raw(&mut c, &[b"GET", b"h"]), bulk(&sketch));
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "h"]), "$44\r\nZ:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), "$3\r\nraw\r\n");
  // PFCOUNT caches its estimate in the header.
  assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":3\r\n");
  sketch[8..16].copy_from_slice(&[3, 0, 0, 0, 0, 0, 0, 0]);
  assert_eq!(raw(&mut c, &[b"GET", b"h"]), bulk(&sketch));
  // Adding what is already there changes nothing, the cache included.
  assert_eq!(c.cmd(&["PFADD", "h", "a", "b"]), ":0\r\n");
  assert_eq!(c.cmd(&["PFADD", "h"]), ":0\r\n");
  assert_eq!(raw(&mut c, &[b"GETRANGE", b"h", b"15", b"15"]), b"$1\r\n\x00\r\n");
  // A change marks the cache stale, keeping its other bits.
  assert_eq!(c.cmd(&["PFADD", "h", "d", ""]), ":1\r\n");
  assert_eq!(raw(&mut c, &[b"GETRANGE", b"h", b"8", b"15"]), bulk(&[3, 0, 0, 0, 0, 0, 0, 0x80]));
  assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":5\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "missing"]), ":0\r\n");
}

#[test]
fn pfadd_without_elements_creates_an_empty_sketch() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["PFADD", "e"]), ":1\r\n");
  let mut sketch = sparse_header(STALE_ZERO);
  sketch.extend_from_slice(b"\x7f\xff");
  assert_eq!(raw(&mut c, &[b"GET", b"e"]), bulk(&sketch));
  assert_eq!(c.cmd(&["PFCOUNT", "e"]), ":0\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "e"]), "$7\r\nZ:16384\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "e"]), "+sparse\r\n");
}

#[test]
fn sparse_sketches_grow_as_in_redis() {
  let mut c = Client::new();
  let elements: Vec<String> = (0..40).map(|n| n.to_string()).collect();
  let mut command = vec!["PFADD", "h"];
  command.extend(elements.iter().map(String::as_str));
  assert_eq!(c.cmd(&command), ":1\r\n");
  let decoded = "Z:495 v:2,1 Z:155 v:5,1 Z:886 v:1,1 Z:1041 v:1,1 Z:1087 v:1,1 Z:227 v:1,1 Z:189 v:4,1 z:56 \
                 v:3,1 Z:172 v:1,1 Z:356 v:1,1 Z:733 v:1,1 Z:263 v:1,1 Z:89 v:1,1 Z:149 v:1,1 Z:1394 v:5,1 \
                 Z:220 v:1,1 Z:530 v:2,1 Z:323 v:1,1 Z:706 v:2,1 Z:143 v:4,1 Z:231 v:4,1 z:41 v:1,1 Z:1317 \
                 v:1,1 Z:147 v:1,1 Z:510 v:3,1 Z:410 v:1,1 Z:73 v:2,1 Z:293 v:2,1 Z:369 v:2,1 Z:591 v:4,1 \
                 z:28 v:1,1 Z:89 v:1,1 z:7 v:1,1 Z:757 v:1,1 Z:606 v:1,1 Z:121 v:1,1 Z:531 v:4,1 Z:185 \
                 v:1,1 z:22 v:2,1 Z:444 v:1,1 Z:358";
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "h"]), format!("${}\r\n{decoded}\r\n", decoded.len()));
  assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":40\r\n");
  // Seven elements at a time: the length depends on every split and merge on the way.
  for first in (0..300).step_by(7) {
    let elements: Vec<String> = (first..first + 7).map(|n| format!("e{n}")).collect();
    let mut command = vec!["PFADD", "g"];
    command.extend(elements.iter().map(String::as_str));
    c.cmd(&command);
  }
  assert_eq!(c.cmd(&["STRLEN", "g"]), ":715\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "g"]), ":303\r\n");
}

#[test]
fn sparse_sketches_turn_dense_past_hll_sparse_max_bytes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "hll-sparse-max-bytes", "40"]), "+OK\r\n");
  let lengths = [21, 24, 27, 30, 33, 36, 39, 12304, 12304];
  for (n, length) in lengths.iter().enumerate() {
    assert_eq!(c.cmd(&["PFADD", "p", &format!("x{n}")]), ":1\r\n");
    assert_eq!(c.cmd(&["STRLEN", "p"]), format!(":{length}\r\n"));
    let expected = if *length > 40 { "+dense\r\n" } else { "+sparse\r\n" };
    assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "p"]), expected);
  }
  assert_eq!(c.cmd(&["PFCOUNT", "p"]), ":9\r\n");
  // Only a sparse sketch has opcodes to decode.
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "p"]), "-ERR HLL encoding is not sparse\r\n");
}

#[test]
fn pfmerge_and_multi_key_pfcount() {
  let mut c = Client::new();
  c.cmd(&["PFADD", "s1", "a", "b", "c"]);
  c.cmd(&["PFADD", "s2", "b", "c", "d"]);
  c.cmd(&["PFADD", "s3", "c", "d", "e"]);
  assert_eq!(c.cmd(&["PFCOUNT", "s1", "s2", "s3", "missing"]), ":5\r\n");
  assert_eq!(c.cmd(&["PFMERGE", "m", "s1", "s2", "s3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "m"]), ":5\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "m"]), "+sparse\r\n");
  // One dense source makes the destination dense.
  assert_eq!(c.cmd(&["PFDEBUG", "TODENSE", "s3"]), ":1\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "TODENSE", "s3"]), ":0\r\n");
  assert_eq!(c.cmd(&["PFMERGE", "m2", "s1", "s3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "m2"]), "+dense\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "m2", "m"]), ":5\r\n");
  // The destination is a source too; without sources it is created empty.
  assert_eq!(c.cmd(&["PFMERGE", "s1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "s1"]), ":3\r\n");
  assert_eq!(c.cmd(&["PFMERGE", "empty", "missing"]), "+OK\r\n");
  let mut sketch = sparse_header(STALE_ZERO);
  sketch.extend_from_slice(b"\x7f\xff");
  assert_eq!(raw(&mut c, &[b"GET", b"empty"]), bulk(&sketch));
  // A time to live survives PFADD and PFMERGE.
  c.cmd(&["EXPIRE", "s2", "100"]);
  c.cmd(&["PFADD", "s2", "z"]);
  c.cmd(&["PFMERGE", "s2", "s1"]);
  assert_eq!(c.cmd(&["TTL", "s2"]), ":100\r\n");
}

#[test]
fn pfdebug_getreg_converts_to_dense() {
  let mut c = Client::new();
  c.cmd(&["PFADD", "h", "a", "b", "c"]);
  let mut expected = String::from("*16384\r\n");
  for register in 0..16384 {
    let value = match register {
      8436 | 15780 => 1,
      12711 => 2,
      _ => 0,
    };
    expected.push_str(&format!(":{value}\r\n"));
  }
  assert_eq!(c.cmd(&["PFDEBUG", "getreg\0ignored", "h"]), expected);
  assert_eq!(c.cmd(&["PFDEBUG", "Encoding", "h"]), "+dense\r\n");
  assert_eq!(c.cmd(&["STRLEN", "h"]), ":12304\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "getreg", "h"]), expected);
  assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":3\r\n");
}

#[test]
fn values_that_are_not_sketches() {
  let mut c = Client::new();
  c.cmd(&["PFADD", "h", "a", "b", "c"]);
  c.cmd(&["RPUSH", "l", "x"]);
  c.cmd(&["SET", "n", "12"]);
  c.cmd(&["SET", "short", "HYLL\x01"]);
  raw(&mut c, &[b"SET", b"magic", b"HYLX\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"]);
  raw(&mut c, &[b"SET", b"enc2", b"HYLL\x02\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"]);
  raw(&mut c, &[b"SET", b"dense", b"HYLL\x00\0\0\0\0\0\0\0\0\0\0\0\x7f\xff"]);
  for key in ["n", "short", "magic", "enc2", "dense"] {
    assert_eq!(c.cmd(&["PFADD", key, "a"]), NOT_A_SKETCH, "{key}");
    assert_eq!(c.cmd(&["PFCOUNT", key]), NOT_A_SKETCH, "{key}");
    assert_eq!(c.cmd(&["PFCOUNT", "h", key]), NOT_A_SKETCH, "{key}");
    assert_eq!(c.cmd(&["PFMERGE", key, "h"]), NOT_A_SKETCH, "{key}");
    assert_eq!(c.cmd(&["PFMERGE", "h", key]), NOT_A_SKETCH, "{key}");
    assert_eq!(c.cmd(&["PFDEBUG", "NOPE", key]), NOT_A_SKETCH, "{key}");
  }
  for command in [&["PFADD", "l", "a"][..], &["PFCOUNT", "l"], &["PFCOUNT", "h", "l"], &["PFMERGE", "h", "l"]] {
    assert_eq!(c.cmd(command), WRONGTYPE, "{command:?}");
  }
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "l"]), WRONGTYPE);
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "missing"]), "-ERR The specified key does not exist\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "nope\0tail", "h"]), "-ERR Unknown PFDEBUG subcommand 'nope'\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "a\r\nb", "h"]), "-ERR Unknown PFDEBUG subcommand 'a  b'\r\n");
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "h", "x"]), "-ERR wrong number of arguments for 'pfdebug' command\r\n");
  assert_eq!(c.cmd(&["PFSELFTEST", "x"]), "-ERR wrong number of arguments for 'pfselftest' command\r\n");
  assert_eq!(c.cmd(&["PFADD"]), "-ERR wrong number of arguments for 'pfadd' command\r\n");
}

#[test]
fn damaged_sparse_sketches() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "x"]);
  c.cmd(&["PFADD", "h", "a"]);
  // A VAL opcode after the last register, and a sequence one register short.
  raw(&mut c, &[b"SET", b"long", b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f\xff\x80"]);
  raw(&mut c, &[b"SET", b"short", b"HYLL\x01\0\0\0\x07\0\0\0\0\0\0\0\x7f\xfe"]);
  for key in ["long", "short"] {
    // PFADD changes what it can reach before the damage.
    assert_eq!(c.cmd(&["PFADD", key, "a"]), ":1\r\n", "{key}");
    assert_eq!(c.cmd(&["PFCOUNT", key]), CORRUPT, "{key}");
    assert_eq!(c.cmd(&["PFCOUNT", "h", key]), CORRUPT, "{key}");
    // The damage is found before the next key's type.
    assert_eq!(c.cmd(&["PFCOUNT", key, "l"]), CORRUPT, "{key}");
    assert_eq!(c.cmd(&["PFMERGE", key, "h"]), CORRUPT, "{key}");
    assert_eq!(c.cmd(&["PFMERGE", "h", key]), CORRUPT, "{key}");
    assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", key]), "+sparse\r\n", "{key}");
    assert_eq!(c.cmd(&["PFDEBUG", "TODENSE", key]), CORRUPT, "{key}");
    assert_eq!(c.cmd(&["PFDEBUG", "GETREG", key]), CORRUPT, "{key}");
  }
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "long"]), "$26\r\nZ:12711 v:2,1 Z:3672 v:1,1\r\n");
  let mut sketch = sparse_header(STALE_ZERO);
  sketch.extend_from_slice(b"\x71\xa6\x84\x4e\x57\x80");
  assert_eq!(raw(&mut c, &[b"GET", b"long"]), bulk(&sketch));
  // The bytes of the cache stay as they were, but for the stale bit.
  let mut sketch = sparse_header([7, 0, 0, 0, 0, 0, 0, 0x80]);
  sketch.extend_from_slice(b"\x71\xa6\x84\x4e\x56");
  assert_eq!(raw(&mut c, &[b"GET", b"short"]), bulk(&sketch));
  // A register beyond the sequence cannot be set at all.
  raw(&mut c, &[b"SET", b"empty", b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0"]);
  assert_eq!(c.cmd(&["PFADD", "empty", "a"]), CORRUPT);
  assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "empty"]), "$0\r\n\r\n");
  // A valid cache is believed without looking at the registers.
  raw(&mut c, &[b"SET", b"cached", b"HYLL\x01\0\0\0\x07\0\0\0\0\0\0\0\x7f"]);
  assert_eq!(c.cmd(&["PFCOUNT", "cached"]), ":7\r\n");
}

#[test]
fn commands_that_may_write_give_the_value_its_own_buffer() {
  let mut c = Client::new();
  let empty = b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff";
  raw(&mut c, &[b"SET", b"e", empty]);
  assert_eq!(encoding(&mut c, "e"), "$6\r\nembstr\r\n");
  assert_eq!(c.cmd(&["PFMERGE", "x", "e"]), "+OK\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "e", "e"]), ":0\r\n");
  assert_eq!(encoding(&mut c, "e"), "$6\r\nembstr\r\n");
  assert_eq!(c.cmd(&["PFCOUNT", "e"]), ":0\r\n");
  assert_eq!(encoding(&mut c, "e"), "$3\r\nraw\r\n");
  raw(&mut c, &[b"SET", b"e", empty]);
  assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "e"]), "+sparse\r\n");
  assert_eq!(encoding(&mut c, "e"), "$3\r\nraw\r\n");
  raw(&mut c, &[b"SET", b"e", &empty[..17]]);
  assert_eq!(c.cmd(&["PFADD", "e", "a"]), ":1\r\n");
  assert_eq!(encoding(&mut c, "e"), "$3\r\nraw\r\n");
}

#[test]
fn what_the_commands_report() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["PFADD", "h", "a", "b", "c"], ":1\r\n", &[("h", "pfadd")], &["PFADD h a b c"], 4);
  check(&mut c, l, &["PFADD", "h", "a", "d"], ":1\r\n", &[("h", "pfadd")], &["PFADD h a d"], 1);
  check(&mut c, l, &["PFADD", "h", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["PFADD", "h"], ":0\r\n", &[], &[], 0);
  // Caching a fresh estimate is a change, propagated as is, without an event.
  check(&mut c, l, &["PFCOUNT", "h"], ":4\r\n", &[], &["PFCOUNT h"], 1);
  check(&mut c, l, &["PFCOUNT", "h"], ":4\r\n", &[], &[], 0);
  check(&mut c, l, &["PFCOUNT", "h", "missing"], ":4\r\n", &[], &[], 0);
  check(&mut c, l, &["PFMERGE", "m", "h"], "+OK\r\n", &[("m", "pfadd")], &["PFMERGE m h"], 1);
  check(&mut c, l, &["PFMERGE", "m"], "+OK\r\n", &[("m", "pfadd")], &["PFMERGE m"], 1);
  check(&mut c, l, &["PFDEBUG", "TODENSE", "m"], ":1\r\n", &[], &["PFDEBUG TODENSE m"], 1);
  check(&mut c, l, &["PFDEBUG", "TODENSE", "m"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["PFDEBUG", "ENCODING", "m"], "+dense\r\n", &[], &[], 0);
  check(&mut c, l, &["PFADD", "new"], ":1\r\n", &[("new", "pfadd")], &["PFADD new"], 1);
  setup(&mut c, l, &[&["SET", "s", "foo"]]);
  check(&mut c, l, &["PFADD", "s", "a"], NOT_A_SKETCH, &[], &[], 0);
  check(&mut c, l, &["PFMERGE", "d", "s"], NOT_A_SKETCH, &[], &[], 0);
  check(&mut c, l, &["EXISTS", "d"], ":0\r\n", &[], &[], 0);
}

#[test]
fn a_created_key_is_new_before_pfadd() {
  let (mut c, l) = observed("KEAn");
  check(&mut c, l, &["PFADD", "h", "a"], ":1\r\n", &[("h", "new"), ("h", "pfadd")], &["PFADD h a"], 2);
  check(&mut c, l, &["PFMERGE", "m", "h"], "+OK\r\n", &[("m", "new"), ("m", "pfadd")], &["PFMERGE m h"], 1);
}

#[test]
fn which_commands_break_a_watch() {
  let mut c = Client::new();
  c.cmd(&["PFADD", "h", "a"]);
  // The first PFCOUNT writes the cache; the second only reads it.
  assert!(!watch_survives(&mut c, "h", &["PFCOUNT", "h"]));
  assert!(watch_survives(&mut c, "h", &["PFCOUNT", "h"]));
  assert!(watch_survives(&mut c, "h", &["PFADD", "h", "a"]));
  assert!(!watch_survives(&mut c, "h", &["PFMERGE", "h"]));
  assert!(watch_survives(&mut c, "h", &["PFMERGE", "other", "h"]));
  // Converting to dense counts as a change but is not reported to WATCH.
  assert!(watch_survives(&mut c, "h", &["PFDEBUG", "TODENSE", "h"]));
  assert!(!watch_survives(&mut c, "h", &["PFADD", "h", "b"]));
}

#[test]
fn keyspace_hits_and_misses() {
  let mut c = Client::new();
  c.cmd(&["PFADD", "h", "a"]);
  let counts = |c: &Client| (c.engine.telemetry.stats.keyspace_hits, c.engine.telemetry.stats.keyspace_misses);
  let delta = |c: &mut Client, command: &[&str]| {
    let before = counts(c);
    c.cmd(command);
    let after = counts(c);
    (after.0 - before.0, after.1 - before.1)
  };
  assert_eq!(delta(&mut c, &["PFADD", "h", "b"]), (0, 0));
  assert_eq!(delta(&mut c, &["PFADD", "x1", "b"]), (0, 0));
  assert_eq!(delta(&mut c, &["PFCOUNT", "h"]), (1, 0));
  assert_eq!(delta(&mut c, &["PFCOUNT", "missing"]), (0, 1));
  assert_eq!(delta(&mut c, &["PFCOUNT", "h", "missing", "h"]), (2, 1));
  assert_eq!(delta(&mut c, &["PFMERGE", "h", "missing"]), (1, 1));
  assert_eq!(delta(&mut c, &["PFMERGE", "new", "h"]), (1, 1));
  assert_eq!(delta(&mut c, &["PFDEBUG", "ENCODING", "h"]), (0, 0));
  assert_eq!(delta(&mut c, &["PFDEBUG", "ENCODING", "missing"]), (0, 0));
}

#[test]
fn pfselftest_passes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["PFSELFTEST"]), "+OK\r\n");
}
