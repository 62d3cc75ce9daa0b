//! Set commands, byte for byte against redis-server 7.0.15: both encodings and their
//! conversions, errors, random members, set algebra, SSCAN, RESP3 replies and the generic
//! commands on set values.

mod common;

use common::Client;
use redwing_engine::config::Permission;
use std::collections::{BTreeMap, BTreeSet};

/// Parses a flat RESP2/RESP3 array (or set) of bulk strings into its elements.
fn elements(reply: &str) -> Vec<String> {
  let mut lines = reply.split("\r\n");
  let header = lines.next().unwrap();
  assert!(header.starts_with('*') || header.starts_with('~'), "not an array: {reply:?}");
  let len: usize = header[1..].parse().unwrap();
  let mut out = Vec::with_capacity(len);
  for _ in 0..len {
    let size = lines.next().unwrap();
    assert!(size.starts_with('$'), "not a bulk: {reply:?}");
    out.push(lines.next().unwrap().to_string());
  }
  out
}

fn sorted(reply: &str) -> Vec<String> {
  let mut members = elements(reply);
  members.sort();
  members
}

fn bulks(items: &[&str]) -> String {
  let mut out = format!("*{}\r\n", items.len());
  for item in items {
    out.push_str(&format!("${}\r\n{item}\r\n", item.len()));
  }
  out
}

fn sadd_range(c: &mut Client, key: &str, range: std::ops::Range<i64>) {
  let members: Vec<String> = range.map(|i| i.to_string()).collect();
  let mut args = vec!["SADD", key];
  args.extend(members.iter().map(String::as_str));
  c.cmd(&args);
}

#[test]
fn sadd_keeps_intsets_sorted_and_counts_new_members() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SADD", "s", "3", "1", "2", "-5", "100000", "5000000000"]), ":6\r\n");
  assert_eq!(c.cmd(&["SADD", "s", "3", "4", "4"]), ":1\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "s"]), bulks(&["-5", "1", "2", "3", "4", "100000", "5000000000"]));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$6\r\nintset\r\n");
  assert_eq!(c.cmd(&["TYPE", "s"]), "+set\r\n");
  assert_eq!(c.cmd(&["SCARD", "s"]), ":7\r\n");
  assert_eq!(c.cmd(&["SCARD", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["SISMEMBER", "s", "4"]), ":1\r\n");
  assert_eq!(c.cmd(&["SISMEMBER", "s", "04"]), ":0\r\n");
  assert_eq!(c.cmd(&["SISMEMBER", "missing", "4"]), ":0\r\n");
  assert_eq!(c.cmd(&["SMISMEMBER", "s", "1", "x", "5000000000"]), "*3\r\n:1\r\n:0\r\n:1\r\n");
  assert_eq!(c.cmd(&["SMISMEMBER", "missing", "1", "2"]), "*2\r\n:0\r\n:0\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "missing"]), "*0\r\n");

  c.cmd(&["SADD", "limits", "9223372036854775807", "-9223372036854775808", "0", "-1"]);
  assert_eq!(c.cmd(&["SMEMBERS", "limits"]), bulks(&["-9223372036854775808", "-1", "0", "9223372036854775807"]));
  assert_eq!(c.cmd(&["SISMEMBER", "limits", "9223372036854775808"]), ":0\r\n");
}

#[test]
fn only_canonical_integers_stay_in_an_intset() {
  let mut c = Client::new();
  for member in ["-0", "+1", " 1", "01", "1 ", "9223372036854775808", "-9223372036854775809", "1.0", ""] {
    c.cmd(&["DEL", "s"]);
    c.cmd(&["SADD", "s", "1"]);
    assert_eq!(c.cmd(&["SADD", "s", member]), ":1\r\n", "{member:?}");
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$9\r\nhashtable\r\n", "{member:?}");
    assert_eq!(c.cmd(&["SISMEMBER", "s", member]), ":1\r\n");
    assert_eq!(c.cmd(&["SISMEMBER", "s", "1"]), ":1\r\n");
  }
  c.cmd(&["SADD", "w", "a"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "w"]), "$9\r\nhashtable\r\n");
  // A hashtable holding only integers stays a hashtable.
  assert_eq!(c.cmd(&["SREM", "s", ""]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$9\r\nhashtable\r\n");
}

#[test]
fn intset_threshold_converts_once_and_never_back() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "4"]), "+OK\r\n");
  c.cmd(&["SADD", "s", "1", "2", "3", "4"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$6\r\nintset\r\n");
  c.cmd(&["SADD", "s", "5"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$9\r\nhashtable\r\n");
  c.cmd(&["SREM", "s", "5", "4"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$9\r\nhashtable\r\n");
  assert_eq!(sorted(&c.cmd(&["SMEMBERS", "s"])), ["1", "2", "3"]);

  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "0"]);
  c.cmd(&["SADD", "zero", "1"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "zero"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "zero"]), bulks(&["1"]));
}

#[test]
fn srem_deletes_the_emptied_key_and_keeps_the_ttl() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SREM", "missing", "a"]), ":0\r\n");
  c.cmd(&["SADD", "s", "1", "2", "3"]);
  assert_eq!(c.cmd(&["SREM", "s", "1", "x", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "s"]), bulks(&["2", "3"]));
  c.cmd(&["EXPIRE", "s", "100"]);
  c.cmd(&["SADD", "s", "4"]);
  c.cmd(&["SREM", "s", "4"]);
  assert_eq!(c.cmd(&["TTL", "s"]), ":100\r\n");
  assert_eq!(c.cmd(&["SREM", "s", "2", "3", "2"]), ":2\r\n");
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":0\r\n");

  c.cmd(&["SADD", "w", "a", "b"]);
  assert_eq!(c.cmd(&["SREM", "w", "a", "b", "c"]), ":2\r\n");
  assert_eq!(c.cmd(&["EXISTS", "w"]), ":0\r\n");
}

#[test]
fn every_command_refuses_other_types() {
  let mut c = Client::new();
  c.cmd(&["SET", "str", "v"]);
  c.cmd(&["SADD", "s", "1"]);
  let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  let commands: &[&[&str]] = &[
    &["SADD", "str", "a"],
    &["SREM", "str", "a"],
    &["SCARD", "str"],
    &["SISMEMBER", "str", "a"],
    &["SMISMEMBER", "str", "a"],
    &["SMEMBERS", "str"],
    &["SRANDMEMBER", "str"],
    &["SRANDMEMBER", "str", "2"],
    &["SPOP", "str"],
    &["SPOP", "str", "2"],
    &["SSCAN", "str", "0"],
    &["SSCAN", "str", "0", "COUNT", "0"],
    &["SINTER", "s", "str"],
    &["SINTER", "missing", "str"],
    &["SINTERCARD", "2", "missing", "str"],
    &["SINTERSTORE", "d", "str"],
    &["SUNION", "s", "str"],
    &["SUNIONSTORE", "d", "str"],
    &["SDIFF", "missing", "str"],
    &["SDIFF", "str", "missing"],
    &["SDIFFSTORE", "d", "s", "str"],
    &["SMOVE", "str", "s", "a"],
    &["SMOVE", "s", "str", "1"],
  ];
  for command in commands {
    assert_eq!(c.cmd(command), wrongtype, "{command:?}");
  }
  // A missing source answers 0 before the destination's type is checked.
  assert_eq!(c.cmd(&["SMOVE", "missing", "str", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "s"]), bulks(&["1"]));
  assert_eq!(c.cmd(&["GET", "str"]), "$1\r\nv\r\n");
}

#[test]
fn argument_errors_match_redis() {
  let mut c = Client::new();
  c.cmd(&["SADD", "s", "1", "2"]);
  let cases: &[(&[&str], &str)] = &[
    (&["SADD", "s"], "-ERR wrong number of arguments for 'sadd' command\r\n"),
    (&["SPOP"], "-ERR wrong number of arguments for 'spop' command\r\n"),
    (&["SPOP", "s", "1", "2"], "-ERR syntax error\r\n"),
    (&["SRANDMEMBER", "s", "1", "2"], "-ERR syntax error\r\n"),
    (&["SPOP", "s", "-1"], "-ERR value is out of range, must be positive\r\n"),
    (&["SPOP", "s", "abc"], "-ERR value is out of range, must be positive\r\n"),
    (&["SPOP", "missing", "1.5"], "-ERR value is out of range, must be positive\r\n"),
    (&["SRANDMEMBER", "s", "abc"], "-ERR value is not an integer or out of range\r\n"),
    (
      &["SRANDMEMBER", "s", "-9223372036854775808"],
      "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
    ),
    (&["SINTERCARD", "1"], "-ERR wrong number of arguments for 'sintercard' command\r\n"),
    (&["SINTERCARD", "0", "s"], "-ERR numkeys should be greater than 0\r\n"),
    (&["SINTERCARD", "-1", "s"], "-ERR numkeys should be greater than 0\r\n"),
    (&["SINTERCARD", "abc", "s"], "-ERR numkeys should be greater than 0\r\n"),
    (&["SINTERCARD", "3", "s"], "-ERR Number of keys can't be greater than number of args\r\n"),
    (&["SINTERCARD", "1", "s", "LIMIT"], "-ERR syntax error\r\n"),
    (&["SINTERCARD", "1", "s", "LIMIT", "-1"], "-ERR LIMIT can't be negative\r\n"),
    (&["SINTERCARD", "1", "s", "LIMIT", "abc"], "-ERR LIMIT can't be negative\r\n"),
    (&["SINTERCARD", "1", "s", "FOO", "1"], "-ERR syntax error\r\n"),
    (&["SINTERCARD", "1", "s", "LIMIT", "1", "junk"], "-ERR syntax error\r\n"),
    (&["SSCAN", "s", "x"], "-ERR invalid cursor\r\n"),
    (&["SSCAN", "missing", "x"], "-ERR invalid cursor\r\n"),
    (&["SSCAN", "s", "0", "COUNT", "0"], "-ERR syntax error\r\n"),
    (&["SSCAN", "s", "0", "COUNT", "abc"], "-ERR value is not an integer or out of range\r\n"),
    (&["SSCAN", "s", "0", "TYPE", "set"], "-ERR syntax error\r\n"),
    (&["SSCAN", "s", "0", "MATCH"], "-ERR syntax error\r\n"),
    // Options are parsed after the key is found: a missing key is an empty scan.
    (&["SSCAN", "missing", "0", "COUNT", "0"], "*2\r\n$1\r\n0\r\n*0\r\n"),
  ];
  for (command, reply) in cases {
    assert_eq!(c.cmd(command), *reply, "{command:?}");
  }
}

#[test]
fn spop_and_srandmember_deterministic_shapes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SPOP", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SPOP", "missing", "3"]), "*0\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "missing", "-3"]), "*0\r\n");
  c.cmd(&["SADD", "s", "5", "3", "1"]);
  assert_eq!(c.cmd(&["SPOP", "s", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "s", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "s", "3"]), bulks(&["1", "3", "5"]));
  assert_eq!(c.cmd(&["SRANDMEMBER", "s", "9223372036854775807"]), bulks(&["1", "3", "5"]));
  assert_eq!(c.cmd(&["SPOP", "s", "9223372036854775807"]), bulks(&["1", "3", "5"]));
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":0\r\n");

  c.cmd(&["SADD", "one", "only"]);
  assert_eq!(c.cmd(&["SRANDMEMBER", "one"]), "$4\r\nonly\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "one", "-3"]), bulks(&["only", "only", "only"]));
  assert_eq!(c.cmd(&["SRANDMEMBER", "one", "1"]), bulks(&["only"]));
  assert_eq!(c.cmd(&["SPOP", "one"]), "$4\r\nonly\r\n");
  assert_eq!(c.cmd(&["EXISTS", "one"]), ":0\r\n");
  c.cmd(&["SADD", "one", "7"]);
  assert_eq!(c.cmd(&["SPOP", "one", "1"]), bulks(&["7"]));
  assert_eq!(c.cmd(&["EXISTS", "one"]), ":0\r\n");
}

#[test]
fn spop_with_count_removes_exactly_the_members_replied() {
  let mut c = Client::new();
  // Counts covering the pop-one-by-one strategy and the keep-the-rest strategy, on both
  // encodings.
  for (members, count) in [(20, 3), (20, 18), (1000, 10), (1000, 990), (100, 99)] {
    for prefix in ["", "m"] {
      c.cmd(&["DEL", "s"]);
      let all: Vec<String> = (0..members).map(|i| format!("{prefix}{i}")).collect();
      let mut args = vec!["SADD", "s"];
      args.extend(all.iter().map(String::as_str));
      c.cmd(&args);
      let popped = elements(&c.cmd(&["SPOP", "s", &count.to_string()]));
      assert_eq!(popped.len(), count);
      let popped: BTreeSet<String> = popped.into_iter().collect();
      assert_eq!(popped.len(), count, "duplicates popped");
      let left: BTreeSet<String> = elements(&c.cmd(&["SMEMBERS", "s"])).into_iter().collect();
      assert_eq!(left.len(), members - count);
      assert!(popped.is_disjoint(&left));
      let union: BTreeSet<String> = popped.union(&left).cloned().collect();
      assert_eq!(union, all.iter().cloned().collect::<BTreeSet<_>>());
    }
  }
}

#[test]
fn spop_keeping_few_members_rebuilds_the_set_in_the_smallest_encoding() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "4"]);
  sadd_range(&mut c, "h", 1..11);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), "$9\r\nhashtable\r\n");
  let popped = elements(&c.cmd(&["SPOP", "h", "9"]));
  assert_eq!(popped.len(), 9);
  assert_eq!(c.cmd(&["SCARD", "h"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), "$6\r\nintset\r\n");

  // The whole set comes back the way SUNION builds it: sorted while it fits an intset.
  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "512"]);
  c.cmd(&["SADD", "w", "3", "x", "1", "2"]);
  c.cmd(&["SREM", "w", "x"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "w"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["SPOP", "w", "3"]), bulks(&["1", "2", "3"]));
}

#[test]
fn popped_and_drawn_members_are_uniform() {
  let mut c = Client::new();
  for key_members in [&["1", "2", "3", "4"][..], &["a", "b", "c", "d"][..]] {
    c.cmd(&["DEL", "s"]);
    let mut args = vec!["SADD", "s"];
    args.extend(key_members);
    c.cmd(&args);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for member in elements(&c.cmd(&["SRANDMEMBER", "s", "-40000"])) {
      *counts.entry(member).or_default() += 1;
    }
    assert_eq!(counts.len(), 4);
    for (member, n) in &counts {
      assert!((9000..11000).contains(n), "{member}: {n}");
    }
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..4000 {
      let reply = c.cmd(&["SPOP", "s"]);
      let member = reply.split("\r\n").nth(1).unwrap().to_string();
      *first.entry(member.clone()).or_default() += 1;
      c.cmd(&["SADD", "s", &member]);
    }
    for (member, n) in &first {
      assert!((800..1200).contains(n), "{member}: {n}");
    }
  }
}

#[test]
fn srandmember_positive_counts_are_distinct() {
  let mut c = Client::new();
  sadd_range(&mut c, "ints", 0..300);
  c.cmd(&["SADD", "words", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
  for (key, size) in [("ints", 300), ("words", 10)] {
    for count in [1, 2, 5, 9, 99, 150, 299] {
      let drawn = elements(&c.cmd(&["SRANDMEMBER", key, &count.to_string()]));
      let expected = count.min(size);
      assert_eq!(drawn.len(), expected, "{key} {count}");
      assert_eq!(drawn.iter().collect::<BTreeSet<_>>().len(), expected, "{key} {count}");
    }
  }
  assert_eq!(c.cmd(&["SCARD", "ints"]), ":300\r\n");
  assert_eq!(elements(&c.cmd(&["SRANDMEMBER", "words", "-25"])).len(), 25);
}

#[test]
fn srandmember_reply_too_large_for_the_output_limit_closes_the_connection() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"]);
  c.cmd(&["SADD", "s", "a"]);
  let output = c.engine.feed(c.slot, &common::encode(&[b"SRANDMEMBER", b"s", b"-9223372036854775807"]));
  assert!(output.close);
  assert!(output.reply.is_empty());
}

#[test]
fn smove_moves_between_sets() {
  let mut c = Client::new();
  c.cmd(&["SADD", "src", "10", "20", "30"]);
  assert_eq!(c.cmd(&["SMOVE", "src", "dst", "x"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["SMOVE", "src", "dst", "10"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "dst"]), "$6\r\nintset\r\n");
  assert_eq!(c.cmd(&["SMOVE", "src", "dst", "10"]), ":0\r\n");
  assert_eq!(c.cmd(&["SMOVE", "src", "src", "20"]), ":1\r\n");
  assert_eq!(c.cmd(&["SMOVE", "src", "src", "10"]), ":0\r\n");
  c.cmd(&["SADD", "words", "a"]);
  assert_eq!(c.cmd(&["SMOVE", "src", "words", "20"]), ":1\r\n");
  assert_eq!(sorted(&c.cmd(&["SMEMBERS", "words"])), ["20", "a"]);
  c.cmd(&["SADD", "dst", "30"]);
  assert_eq!(c.cmd(&["SMOVE", "src", "dst", "30"]), ":1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "src"]), ":0\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "dst"]), bulks(&["10", "30"]));
  assert_eq!(c.cmd(&["SMOVE", "words", "new", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "new"]), "$9\r\nhashtable\r\n");
}

#[test]
fn intersection_union_and_difference() {
  let mut c = Client::new();
  c.cmd(&["SADD", "a", "6", "5", "4", "3", "2", "1"]);
  c.cmd(&["SADD", "b", "8", "7", "6", "5", "4"]);
  c.cmd(&["SADD", "c", "6", "5", "x"]);
  assert_eq!(c.cmd(&["SINTER", "a", "b"]), bulks(&["4", "5", "6"]));
  assert_eq!(sorted(&c.cmd(&["SINTER", "a", "b", "c"])), ["5", "6"]);
  assert_eq!(c.cmd(&["SINTER", "a", "a"]), bulks(&["1", "2", "3", "4", "5", "6"]));
  assert_eq!(c.cmd(&["SINTER", "a", "missing"]), "*0\r\n");
  assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b"]), ":3\r\n");
  assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b", "LIMIT", "2"]), ":2\r\n");
  assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b", "LIMIT", "0"]), ":3\r\n");
  assert_eq!(c.cmd(&["SINTERCARD", "1", "a", "limit", "1", "LIMIT", "4"]), ":4\r\n");
  assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["SUNION", "a", "b"]), bulks(&["1", "2", "3", "4", "5", "6", "7", "8"]));
  assert_eq!(c.cmd(&["SUNION", "missing"]), "*0\r\n");
  assert_eq!(sorted(&c.cmd(&["SUNION", "a", "c"])), ["1", "2", "3", "4", "5", "6", "x"]);
  assert_eq!(c.cmd(&["SDIFF", "a", "b"]), bulks(&["1", "2", "3"]));
  assert_eq!(c.cmd(&["SDIFF", "b", "a"]), bulks(&["7", "8"]));
  assert_eq!(c.cmd(&["SDIFF", "a", "b", "c"]), bulks(&["1", "2", "3"]));
  assert_eq!(c.cmd(&["SDIFF", "a", "a"]), "*0\r\n");
  assert_eq!(c.cmd(&["SDIFF", "a", "missing", "b", "a"]), "*0\r\n");
  assert_eq!(c.cmd(&["SDIFF", "missing", "a"]), "*0\r\n");
  assert_eq!(c.cmd(&["SDIFF", "c", "a"]), bulks(&["x"]));

  // A hashtable holding integers gives a sorted union when the result fits an intset.
  c.cmd(&["SADD", "h", "3", "x", "1"]);
  c.cmd(&["SREM", "h", "x"]);
  assert_eq!(c.cmd(&["SUNION", "h"]), bulks(&["1", "3"]));
  assert_eq!(c.cmd(&["SDIFF", "h", "missing"]), bulks(&["1", "3"]));
}

#[test]
fn store_forms_replace_the_destination() {
  let mut c = Client::new();
  c.cmd(&["SADD", "a", "1", "2", "3"]);
  c.cmd(&["SADD", "b", "2", "3", "4"]);
  c.cmd(&["SET", "target", "v"]);
  c.cmd(&["EXPIRE", "target", "100"]);
  assert_eq!(c.cmd(&["SINTERSTORE", "target", "a", "b"]), ":2\r\n");
  assert_eq!(c.cmd(&["TYPE", "target"]), "+set\r\n");
  assert_eq!(c.cmd(&["TTL", "target"]), ":-1\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "target"]), bulks(&["2", "3"]));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "target"]), "$6\r\nintset\r\n");
  assert_eq!(c.cmd(&["SUNIONSTORE", "target", "a", "b"]), ":4\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "target"]), bulks(&["1", "2", "3", "4"]));
  assert_eq!(c.cmd(&["SDIFFSTORE", "target", "a", "b"]), ":1\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "target"]), bulks(&["1"]));
  assert_eq!(c.cmd(&["SINTERSTORE", "target", "a", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "target"]), ":0\r\n");
  c.cmd(&["SET", "target", "v"]);
  assert_eq!(c.cmd(&["SDIFFSTORE", "target", "a", "a"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "target"]), ":0\r\n");
  assert_eq!(c.cmd(&["SUNIONSTORE", "a", "a", "b"]), ":4\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "a"]), bulks(&["1", "2", "3", "4"]));
}

#[test]
fn sdiffstore_encoding_follows_redis_choice_of_algorithm() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "4"]);
  sadd_range(&mut c, "six", 1..7);
  c.cmd(&["SADD", "one", "1"]);
  c.cmd(&["SADD", "two", "2"]);
  c.cmd(&["SADD", "pair", "1", "2"]);
  // Walking `six` against one set of 2 (cost 6 <= 8) adds only the survivors.
  assert_eq!(c.cmd(&["SDIFFSTORE", "d", "six", "pair"]), ":4\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "d"]), "$6\r\nintset\r\n");
  // Against two sets of 1 (cost 9 > 8) the copy of `six` overflows the intset first.
  assert_eq!(c.cmd(&["SDIFFSTORE", "d", "six", "one", "two"]), ":4\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "d"]), "$9\r\nhashtable\r\n");
  assert_eq!(sorted(&c.cmd(&["SMEMBERS", "d"])), ["3", "4", "5", "6"]);
}

#[test]
fn sscan_walks_hashtables_and_returns_intsets_whole() {
  let mut c = Client::new();
  sadd_range(&mut c, "ints", 0..30);
  assert_eq!(
    c.cmd(&["SSCAN", "ints", "7", "COUNT", "1", "MATCH", "2?"]),
    format!("*2\r\n$1\r\n0\r\n{}", bulks(&["20", "21", "22", "23", "24", "25", "26", "27", "28", "29"]))
  );
  let members: Vec<String> = (0..1000).map(|i| format!("m{i}")).collect();
  let mut args = vec!["SADD", "big"];
  args.extend(members.iter().map(String::as_str));
  c.cmd(&args);
  let mut seen = BTreeSet::new();
  let mut cursor = "0".to_string();
  let mut rounds = 0;
  loop {
    let reply = c.cmd(&["SSCAN", "big", &cursor, "COUNT", "7", "MATCH", "m1*"]);
    let rest = reply.strip_prefix("*2\r\n").unwrap();
    let mut parts = rest.splitn(3, "\r\n");
    parts.next();
    cursor = parts.next().unwrap().to_string();
    seen.extend(elements(parts.next().unwrap()));
    rounds += 1;
    if cursor == "0" {
      break;
    }
  }
  assert!(rounds > 100);
  let expected: BTreeSet<String> = members.iter().filter(|m| m.starts_with("m1")).cloned().collect();
  assert_eq!(seen, expected);
}

#[test]
fn resp3_replies() {
  let mut c = Client::new();
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["SADD", "a", "2", "1"]);
  assert_eq!(c.cmd(&["SMEMBERS", "a"]), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "missing"]), "~0\r\n");
  assert_eq!(c.cmd(&["SINTER", "a", "missing"]), "~0\r\n");
  assert_eq!(c.cmd(&["SUNION", "a", "missing"]), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SDIFF", "a", "missing"]), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SPOP", "missing", "2"]), "~0\r\n");
  assert_eq!(c.cmd(&["SPOP", "a", "0"]), "~0\r\n");
  assert_eq!(c.cmd(&["SPOP", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "missing", "2"]), "*0\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "a", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["SRANDMEMBER", "a", "5"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SSCAN", "missing", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert_eq!(c.cmd(&["SMISMEMBER", "a", "1", "9"]), "*2\r\n:1\r\n:0\r\n");
  assert_eq!(c.cmd(&["SPOP", "a", "5"]), "~2\r\n$1\r\n1\r\n$1\r\n2\r\n");
}

#[test]
fn generic_commands_on_sets() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c.cmd(&["SADD", "dg", "1", "2", "3"]);
  c.cmd(&["SADD", "dw", "a", "b", "1"]);
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST-VALUE", "dg", "dw"]),
    "*2\r\n+2a462a3f51a1db89738ebbeef0c47ce1bbc85246\r\n+e8f32bbb1ad9bf537c8867de4f19fec9e001296d\r\n"
  );
  // The digest does not depend on insertion order or encoding.
  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "1"]);
  c.cmd(&["SADD", "dg2", "3", "2", "1"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "dg2"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "dg2"]), "*1\r\n+2a462a3f51a1db89738ebbeef0c47ce1bbc85246\r\n");
  c.cmd(&["CONFIG", "SET", "set-max-intset-entries", "512"]);
  // The digest's text cache follows later changes.
  c.cmd(&["SADD", "dg", "4"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "dg"]), "*1\r\n+312279b675d27feea3fdc93aae74265d9bf9363c\r\n");
  c.cmd(&["SREM", "dg", "4"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "dg"]), "*1\r\n+2a462a3f51a1db89738ebbeef0c47ce1bbc85246\r\n");

  assert_eq!(c.cmd(&["COPY", "dg", "copy"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "copy"]), "$6\r\nintset\r\n");
  c.cmd(&["SADD", "copy", "9"]);
  assert_eq!(c.cmd(&["SCARD", "dg"]), ":3\r\n");
  assert_eq!(c.cmd(&["RENAME", "copy", "renamed"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SMEMBERS", "renamed"]), bulks(&["1", "2", "3", "9"]));
  assert_eq!(c.cmd(&["MOVE", "renamed", "1"]), ":1\r\n");
  c.cmd(&["SELECT", "1"]);
  assert_eq!(c.cmd(&["SMEMBERS", "renamed"]), bulks(&["1", "2", "3", "9"]));
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["SET", "str", "v"]);
  let scan = c.cmd(&["SCAN", "0", "TYPE", "set"]);
  let keys = scan.strip_prefix("*2\r\n$1\r\n0\r\n").unwrap();
  assert_eq!(sorted(keys), ["dg", "dg2", "dw"]);
  assert!(c.cmd(&["MEMORY", "USAGE", "dw"]).starts_with(':'));
}
