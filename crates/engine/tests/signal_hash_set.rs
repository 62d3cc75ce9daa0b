//! What the hash and set commands report (see `signal.rs`): their keyspace events, the form
//! they take in the write stream, the changes they count, and WATCH exactness (a command that
//! changed nothing leaves a watched key alone). The expected sequences were taken from Redis
//! 7.0.15 (`psubscribe '__key*__:*'` and `redis-cli --replica`).

mod common;
use common::{check, events, observed, watch_survives, writes, Client};

#[test]
fn hset_hmset_and_hsetnx() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["HSET", "h", "a", "1", "b", "2"], ":2\r\n", &[("h", "hset")], &["HSET h a 1 b 2"], 2);
  // Rewriting a value with itself is still a write for Redis: event, propagation, change.
  check(&mut c, l, &["HSET", "h", "a", "1"], ":0\r\n", &[("h", "hset")], &["HSET h a 1"], 1);
  check(&mut c, l, &["HMSET", "h", "c", "3", "d", "4"], "+OK\r\n", &[("h", "hset")], &["HMSET h c 3 d 4"], 2);
  check(&mut c, l, &["HSETNX", "h", "a", "9"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["HSETNX", "h", "e", "5"], ":1\r\n", &[("h", "hset")], &["HSETNX h e 5"], 1);
  check(&mut c, l, &["HSETNX", "h2", "f", "1"], ":1\r\n", &[("h2", "hset")], &["HSETNX h2 f 1"], 1);
  // Failures report nothing.
  c.cmd(&["SET", "str", "x"]);
  c.events(l);
  c.writes();
  let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  check(&mut c, l, &["HSET", "str", "a", "1"], wrongtype, &[], &[], 0);
  check(&mut c, l, &["HSETNX", "str", "a", "1"], wrongtype, &[], &[], 0);
  check(&mut c, l, &["HSET", "h", "a"], "-ERR wrong number of arguments for 'hset' command\r\n", &[], &[], 0);

  assert!(!watch_survives(&mut c, "h", &["HSET", "h", "a", "1"]));
  assert!(!watch_survives(&mut c, "h", &["HMSET", "h", "a", "1"]));
  assert!(watch_survives(&mut c, "h", &["HSETNX", "h", "a", "2"]));
  assert!(!watch_survives(&mut c, "h", &["HSETNX", "h", "z", "2"]));
  assert!(watch_survives(&mut c, "str", &["HSET", "str", "a", "1"]));
  assert!(!watch_survives(&mut c, "fresh", &["HSET", "fresh", "a", "1"]));
}

#[test]
fn hdel_and_the_del_of_an_emptied_hash() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["HDEL", "h", "zz"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["HDEL", "missing", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["HDEL", "h", "a", "zz"], ":1\r\n", &[("h", "hdel")], &["HDEL h a zz"], 1);
  // The last field takes the key with it: `hdel` then `del`, one change per field.
  check(&mut c, l, &["HDEL", "h", "b", "c", "zz"], ":2\r\n", &[("h", "hdel"), ("h", "del")], &["HDEL h b c zz"], 2);
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");

  c.cmd(&["HSET", "h", "a", "1", "b", "2"]);
  assert!(watch_survives(&mut c, "h", &["HDEL", "h", "zz"]));
  assert!(watch_survives(&mut c, "missing", &["HDEL", "missing", "a"]));
  assert!(!watch_survives(&mut c, "h", &["HDEL", "h", "a"]));
  assert!(!watch_survives(&mut c, "h", &["HDEL", "h", "b"]));
}

#[test]
fn hincrby_and_hincrbyfloat() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["HINCRBY", "h", "n", "5"], ":5\r\n", &[("h", "hincrby")], &["HINCRBY h n 5"], 1);
  check(&mut c, l, &["HINCRBY", "h", "n", "-2"], ":3\r\n", &[("h", "hincrby")], &["HINCRBY h n -2"], 1);
  // HINCRBYFLOAT is replayed as an HSET of the value it computed, in the text it replied.
  check(&mut c, l, &["HINCRBYFLOAT", "h", "f", "1.5"], "$3\r\n1.5\r\n", &[("h", "hincrbyfloat")], &["HSET h f 1.5"], 1);
  check(
    &mut c,
    l,
    &["HINCRBYFLOAT", "h", "f", "1.0e1"],
    "$4\r\n11.5\r\n",
    &[("h", "hincrbyfloat")],
    &["HSET h f 11.5"],
    1,
  );
  check(&mut c, l, &["HINCRBYFLOAT", "h", "n", "0.5"], "$3\r\n3.5\r\n", &[("h", "hincrbyfloat")], &["HSET h n 3.5"], 1);

  c.cmd(&["HSET", "h", "s", "text", "big", "9223372036854775807"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["HINCRBY", "h", "s", "1"], "-ERR hash value is not an integer\r\n", &[], &[], 0);
  check(&mut c, l, &["HINCRBY", "h", "big", "1"], "-ERR increment or decrement would overflow\r\n", &[], &[], 0);
  check(&mut c, l, &["HINCRBYFLOAT", "h", "s", "1"], "-ERR hash value is not a float\r\n", &[], &[], 0);
  check(&mut c, l, &["HINCRBY", "h", "n", "x"], "-ERR value is not an integer or out of range\r\n", &[], &[], 0);
  check(&mut c, l, &["HINCRBY", "other", "n", "x"], "-ERR value is not an integer or out of range\r\n", &[], &[], 0);
  assert_eq!(c.cmd(&["EXISTS", "other"]), ":0\r\n");

  assert!(watch_survives(&mut c, "h", &["HINCRBY", "h", "s", "1"]));
  assert!(watch_survives(&mut c, "h", &["HINCRBYFLOAT", "h", "s", "1"]));
  assert!(!watch_survives(&mut c, "h", &["HINCRBY", "h", "big", "-1"]));
  assert!(!watch_survives(&mut c, "h", &["HINCRBYFLOAT", "h", "f", "0"]));
}

#[test]
fn hincrbyfloat_inside_a_transaction_is_replayed_as_hset() {
  let (mut c, _) = observed("KEA");
  c.cmd(&["MULTI"]);
  c.cmd(&["HINCRBYFLOAT", "h", "x", "2"]);
  c.cmd(&["HINCRBYFLOAT", "h", "x", "1"]);
  c.cmd(&["EXEC"]);
  assert_eq!(c.writes(), writes(&["MULTI", "HSET h x 2", "HSET h x 3", "EXEC"]));
}

#[test]
fn sadd_and_srem() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["SADD", "s", "a", "b", "a"], ":2\r\n", &[("s", "sadd")], &["SADD s a b a"], 2);
  check(&mut c, l, &["SADD", "s", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SADD", "s", "a", "c"], ":1\r\n", &[("s", "sadd")], &["SADD s a c"], 1);
  check(&mut c, l, &["SREM", "s", "zz"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SREM", "missing", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SREM", "s", "a", "zz"], ":1\r\n", &[("s", "srem")], &["SREM s a zz"], 1);
  check(&mut c, l, &["SREM", "s", "b", "c", "zz"], ":2\r\n", &[("s", "srem"), ("s", "del")], &["SREM s b c zz"], 2);
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":0\r\n");

  c.cmd(&["SADD", "s", "a", "b"]);
  assert!(watch_survives(&mut c, "s", &["SADD", "s", "a"]));
  assert!(watch_survives(&mut c, "s", &["SREM", "s", "zz"]));
  assert!(watch_survives(&mut c, "missing", &["SREM", "missing", "a"]));
  assert!(!watch_survives(&mut c, "s", &["SADD", "s", "c"]));
  assert!(!watch_survives(&mut c, "s", &["SREM", "s", "a"]));
  assert!(!watch_survives(&mut c, "s", &["SREM", "s", "b", "c"]));
  assert!(!watch_survives(&mut c, "fresh", &["SADD", "fresh", "x"]));
}

#[test]
fn spop_without_count_is_replayed_as_srem() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SADD", "s", "x", "y"]);
  c.cmd(&["SADD", "one", "7"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["SPOP", "missing"], "$-1\r\n", &[], &[], 0);
  let before = c.engine.keyspace.dirty;
  let popped = c.cmd(&["SPOP", "s"]);
  let member = if popped == "$1\r\nx\r\n" { "x" } else { "y" };
  assert_eq!(popped, format!("$1\r\n{member}\r\n"));
  assert_eq!(c.events(l), events(&[("s", "spop")]));
  assert_eq!(c.writes(), writes(&[&format!("SREM s {member}")]));
  assert_eq!(c.engine.keyspace.dirty - before, 1);
  // The last member (an intset's): `spop` then `del`.
  check(&mut c, l, &["SPOP", "one"], "$1\r\n7\r\n", &[("one", "spop"), ("one", "del")], &["SREM one 7"], 1);
  assert_eq!(c.cmd(&["EXISTS", "one"]), ":0\r\n");

  assert!(watch_survives(&mut c, "missing", &["SPOP", "missing"]));
  assert!(!watch_survives(&mut c, "s", &["SPOP", "s"]));
}

#[test]
fn spop_with_count_is_replayed_as_srems() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["SPOP", "s", "0"], "*0\r\n", &[], &[], 0);
  check(&mut c, l, &["SPOP", "missing", "3"], "*0\r\n", &[], &[], 0);
  check(&mut c, l, &["SPOP", "s", "-1"], "-ERR value is out of range, must be positive\r\n", &[], &[], 0);

  // A few members: drawn one by one, one SREM each, wrapped as a transaction.
  let before = c.engine.keyspace.dirty;
  let reply = c.cmd(&["SPOP", "s", "2"]);
  let popped = common::bulk_strings(reply.as_bytes());
  assert_eq!(popped.len(), 2);
  assert_eq!(c.events(l), events(&[("s", "spop")]));
  let srems: Vec<String> = popped.iter().map(|member| format!("SREM s {member}")).collect();
  let mut expected = vec!["MULTI"];
  expected.extend(srems.iter().map(String::as_str));
  expected.push("EXEC");
  assert_eq!(c.writes(), writes(&expected));
  assert_eq!(c.engine.keyspace.dirty - before, 2);

  // Most of the members (7 of 8): the members kept are drawn instead; still one SREM per
  // member replied, in reply order.
  let before = c.engine.keyspace.dirty;
  let reply = c.cmd(&["SPOP", "s", "7"]);
  let popped = common::bulk_strings(reply.as_bytes());
  assert_eq!(popped.len(), 7);
  assert_eq!(c.events(l), events(&[("s", "spop")]));
  let srems: Vec<String> = popped.iter().map(|member| format!("SREM s {member}")).collect();
  let mut expected = vec!["MULTI"];
  expected.extend(srems.iter().map(String::as_str));
  expected.push("EXEC");
  assert_eq!(c.writes(), writes(&expected));
  assert_eq!(c.engine.keyspace.dirty - before, 7);
  assert_eq!(c.cmd(&["SCARD", "s"]), ":1\r\n");

  // One SREM alone is not wrapped.
  c.cmd(&["SADD", "t", "a", "b", "c", "d", "e", "f"]);
  c.events(l);
  c.writes();
  let reply = c.cmd(&["SPOP", "t", "1"]);
  let popped = common::bulk_strings(reply.as_bytes());
  assert_eq!(c.writes(), writes(&[&format!("SREM t {}", popped[0])]));
  c.events(l);

  // A count covering the whole set deletes it: `spop`, `del`, replayed as DEL.
  let before = c.engine.keyspace.dirty;
  let mut popped = common::bulk_strings(c.cmd(&["SPOP", "t", "10"]).as_bytes());
  popped.sort();
  assert_eq!(popped.len(), 5);
  assert_eq!(c.events(l), events(&[("t", "spop"), ("t", "del")]));
  assert_eq!(c.writes(), writes(&["DEL t"]));
  assert_eq!(c.engine.keyspace.dirty - before, 5);
  assert_eq!(c.cmd(&["EXISTS", "t"]), ":0\r\n");

  assert!(watch_survives(&mut c, "s", &["SPOP", "s", "0"]));
  assert!(watch_survives(&mut c, "missing", &["SPOP", "missing", "2"]));
  assert!(!watch_survives(&mut c, "s", &["SPOP", "s", "1"]));
  c.cmd(&["SADD", "s", "a", "b", "c"]);
  assert!(!watch_survives(&mut c, "s", &["SPOP", "s", "3"]));
}

#[test]
fn spop_in_a_transaction_joins_its_writes() {
  let (mut c, _) = observed("KEA");
  c.cmd(&["SADD", "whole", "m"]);
  c.writes();
  c.cmd(&["MULTI"]);
  c.cmd(&["SPOP", "whole", "5"]);
  c.cmd(&["SADD", "q", "1", "2", "3"]);
  c.cmd(&["SPOP", "q", "2"]);
  c.cmd(&["SPOP", "q"]);
  c.cmd(&["SPOP", "q", "0"]);
  let reply = c.cmd(&["EXEC"]);
  let items = common::bulk_strings(reply.as_bytes());
  // m, 3, then the two members popped with a count and the last one.
  assert_eq!(items.len(), 5, "{reply}");
  let (first, second, last) = (&items[2], &items[3], &items[4]);
  let expected = [
    "MULTI".to_string(),
    "DEL whole".into(),
    "SADD q 1 2 3".into(),
    format!("SREM q {first}"),
    format!("SREM q {second}"),
    format!("SREM q {last}"),
    "EXEC".into(),
  ];
  let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
  assert_eq!(c.writes(), writes(&expected));
}

#[test]
fn smove_reports_the_source_then_the_destination() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SADD", "src", "a", "b", "c"]);
  c.cmd(&["SADD", "dst", "b"]);
  c.cmd(&["SET", "str", "x"]);
  c.events(l);
  c.writes();
  // Nothing moved: no report.
  check(&mut c, l, &["SMOVE", "missing", "dst", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SMOVE", "src", "dst", "zz"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SMOVE", "src", "src", "a"], ":1\r\n", &[], &[], 0);
  let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  check(&mut c, l, &["SMOVE", "src", "str", "a"], wrongtype, &[], &[], 0);
  check(&mut c, l, &["SMOVE", "str", "src", "a"], wrongtype, &[], &[], 0);
  // A member the destination lacks: two changes.
  check(
    &mut c,
    l,
    &["SMOVE", "src", "dst", "a"],
    ":1\r\n",
    &[("src", "srem"), ("dst", "sadd")],
    &["SMOVE src dst a"],
    2,
  );
  // A member the destination has: only the source changed.
  check(&mut c, l, &["SMOVE", "src", "dst", "b"], ":1\r\n", &[("src", "srem")], &["SMOVE src dst b"], 1);
  // The last member: the source's `del` comes before the destination's event.
  check(
    &mut c,
    l,
    &["SMOVE", "src", "fresh", "c"],
    ":1\r\n",
    &[("src", "srem"), ("src", "del"), ("fresh", "sadd")],
    &["SMOVE src fresh c"],
    2,
  );

  // Now src = {a, b} and dst = {a, b}.
  c.cmd(&["SADD", "src", "a", "b"]);
  assert!(watch_survives(&mut c, "src", &["SMOVE", "src", "dst", "zz"]));
  assert!(watch_survives(&mut c, "src", &["SMOVE", "src", "src", "a"]));
  assert!(watch_survives(&mut c, "dst", &["SMOVE", "src", "dst", "b"]));
  c.cmd(&["SADD", "src", "b", "z"]);
  assert!(!watch_survives(&mut c, "src", &["SMOVE", "src", "dst", "b"]));
  assert!(!watch_survives(&mut c, "dst", &["SMOVE", "src", "dst", "z"]));
}

#[test]
fn new_events_fall_between_the_steps_that_create_keys() {
  let mut c = Client::new();
  let l = c.listen_events("KEAn");
  c.cmd(&["SADD", "m1", "a"]);
  c.cmd(&["SMOVE", "m1", "m2", "a"]);
  c.cmd(&["SINTERSTORE", "d", "m2", "m2"]);
  c.cmd(&["HINCRBYFLOAT", "hf", "x", "2"]);
  assert_eq!(
    c.events(l),
    events(&[
      ("m1", "new"),
      ("m1", "sadd"),
      ("m1", "srem"),
      ("m1", "del"),
      ("m2", "new"),
      ("m2", "sadd"),
      ("d", "new"),
      ("d", "sinterstore"),
      ("hf", "new"),
      ("hf", "hincrbyfloat"),
    ])
  );
}

#[test]
fn store_commands_store_or_delete_the_destination() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SADD", "i1", "1", "2"]);
  c.cmd(&["SADD", "i2", "2", "3"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["SINTERSTORE", "d", "i1", "i2"], ":1\r\n", &[("d", "sinterstore")], &["SINTERSTORE d i1 i2"], 1);
  // An empty result deletes the destination; once it is gone there is nothing to report.
  check(&mut c, l, &["SINTERSTORE", "d", "i1", "nokey"], ":0\r\n", &[("d", "del")], &["SINTERSTORE d i1 nokey"], 1);
  check(&mut c, l, &["SINTERSTORE", "d", "i1", "nokey"], ":0\r\n", &[], &[], 0);
  c.cmd(&["SET", "d", "x"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["SINTERSTORE", "d", "i1", "i1"], ":2\r\n", &[("d", "sinterstore")], &["SINTERSTORE d i1 i1"], 1);
  check(
    &mut c,
    l,
    &["SUNIONSTORE", "d2", "i1", "i2"],
    ":3\r\n",
    &[("d2", "sunionstore")],
    &["SUNIONSTORE d2 i1 i2"],
    1,
  );
  check(&mut c, l, &["SDIFFSTORE", "d2", "i1", "i1"], ":0\r\n", &[("d2", "del")], &["SDIFFSTORE d2 i1 i1"], 1);
  check(&mut c, l, &["SDIFFSTORE", "d2", "i1", "i1"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SUNIONSTORE", "d2", "n1", "n2"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SDIFFSTORE", "d3", "i1", "i2"], ":1\r\n", &[("d3", "sdiffstore")], &["SDIFFSTORE d3 i1 i2"], 1);
  c.cmd(&["SET", "str", "x"]);
  c.events(l);
  c.writes();
  let wrongtype = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  check(&mut c, l, &["SINTERSTORE", "d3", "str", "i1"], wrongtype, &[], &[], 0);
  check(&mut c, l, &["SUNIONSTORE", "d3", "i1", "str"], wrongtype, &[], &[], 0);

  assert!(watch_survives(&mut c, "gone", &["SINTERSTORE", "gone", "i1", "nokey"]));
  assert!(watch_survives(&mut c, "gone", &["SUNIONSTORE", "gone", "n1"]));
  assert!(watch_survives(&mut c, "gone", &["SDIFFSTORE", "gone", "i1", "i1"]));
  assert!(watch_survives(&mut c, "d3", &["SDIFFSTORE", "d3", "str", "i1"]));
  assert!(!watch_survives(&mut c, "d3", &["SINTERSTORE", "d3", "i1", "nokey"]));
  assert!(!watch_survives(&mut c, "d3", &["SUNIONSTORE", "d3", "i1"]));
  // Storing the same contents again is still a write.
  assert!(!watch_survives(&mut c, "d3", &["SUNIONSTORE", "d3", "i1"]));
  assert!(!watch_survives(&mut c, "d3", &["SDIFFSTORE", "d3", "i1", "i1"]));
}

#[test]
fn read_only_commands_report_nothing() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SADD", "s", "a", "b"]);
  c.cmd(&["HSET", "h", "f", "v"]);
  c.events(l);
  c.writes();
  let before = c.engine.keyspace.dirty;
  for command in [
    &["SRANDMEMBER", "s"][..],
    &["SRANDMEMBER", "s", "-5"],
    &["SMEMBERS", "s"],
    &["SINTER", "s", "s"],
    &["SUNION", "s"],
    &["SDIFF", "s"],
    &["SINTERCARD", "1", "s"],
    &["SISMEMBER", "s", "a"],
    &["SCARD", "s"],
    &["SSCAN", "s", "0"],
    &["HGET", "h", "f"],
    &["HGETALL", "h"],
    &["HRANDFIELD", "h", "-3"],
    &["HSCAN", "h", "0"],
  ] {
    c.cmd(command);
  }
  assert_eq!(c.events(l), Vec::<String>::new());
  assert_eq!(c.writes(), Vec::<String>::new());
  assert_eq!(c.engine.keyspace.dirty, before);
  assert!(watch_survives(&mut c, "s", &["SRANDMEMBER", "s", "2"]));
}
