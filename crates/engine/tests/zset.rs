//! Byte-exact tests of the sorted-set commands, in both encodings, and of the blocking pops
//! with several sessions.
//!
//! The tables of commands and replies were recorded from redis-server 7.0.15. Blocking
//! scenarios drive two or three sessions of one engine: a blocked session's `feed` returns
//! nothing, and its reply shows up in the engine's outbox after the command that served it (or
//! after `tick` once its timeout passed).

mod common;
use common::Client;
use redwing_engine::config::Permission;
use std::time::Duration;

/// Marks a reply that is not compared (HELLO, whose reply holds the client id).
const ANY: &str = "<any>";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

/// Runs each command and compares its reply.
fn check(c: &mut Client, cases: &[(&[&str], &str)]) {
  for (args, expected) in cases {
    let reply = c.cmd(args);
    if *expected != ANY {
      assert_eq!(reply, *expected, "{args:?}");
    }
  }
}

/// Every reply of `commands`, for comparing two runs.
fn replies(c: &mut Client, commands: &[&[&str]]) -> Vec<String> {
  commands.iter().map(|args| c.cmd(args)).collect()
}

#[test]
fn both_encodings_answer_alike() {
  // The same data and commands with the listpack and with the skiplist: every ordered reply
  // must be identical.
  let mut members = Vec::new();
  for i in 0..60 {
    members.push(format!("{}", (i * 7) % 13));
    members.push(format!("m{:02}", (i * 31) % 60));
  }
  let mut zadd: Vec<&str> = vec!["ZADD", "z"];
  zadd.extend(members.iter().map(String::as_str));
  let commands: &[&[&str]] = &[
    &zadd,
    &["ZCARD", "z"],
    &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    &["ZRANGE", "z", "5", "20", "REV", "WITHSCORES"],
    &["ZRANGE", "z", "(3", "10", "BYSCORE", "LIMIT", "2", "7", "WITHSCORES"],
    &["ZRANGE", "z", "10", "(3", "BYSCORE", "REV", "LIMIT", "1", "-1"],
    &["ZRANGEBYLEX", "z", "[m10", "(m30"],
    &["ZCOUNT", "z", "(2", "9"],
    &["ZLEXCOUNT", "z", "-", "+"],
    &["ZRANK", "z", "m17"],
    &["ZREVRANK", "z", "m17"],
    &["ZMSCORE", "z", "m01", "nope", "m59"],
    &["ZINCRBY", "z", "2.5", "m17"],
    &["ZADD", "z", "GT", "CH", "1", "m17", "100", "m18"],
    &["ZRANK", "z", "m18"],
    &["ZREM", "z", "m00", "m01", "nope"],
    &["ZREMRANGEBYRANK", "z", "3", "8"],
    &["ZREMRANGEBYSCORE", "z", "(11", "12"],
    &["ZPOPMIN", "z", "3"],
    &["ZPOPMAX", "z", "2"],
    &["ZRANDMEMBER", "z", "1000", "WITHSCORES"],
    &["ZUNION", "2", "z", "z", "WEIGHTS", "1", "0.5", "WITHSCORES"],
    &["ZINTER", "2", "z", "z", "AGGREGATE", "MAX"],
    &["ZRANGESTORE", "d", "z", "0", "9"],
    &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
    &["ZRANGE", "z", "0", "-1", "WITHSCORES"],
  ];
  let mut compact = Client::new();
  compact.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", "1000"]);
  let mut large = Client::new();
  large.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", "0"]);
  let expected = replies(&mut compact, commands);
  assert_eq!(replies(&mut large, commands), expected);
  assert_eq!(compact.cmd(&["OBJECT", "ENCODING", "z"]), "$8\r\nlistpack\r\n");
  assert_eq!(large.cmd(&["OBJECT", "ENCODING", "z"]), "$8\r\nskiplist\r\n");
}

#[test]
fn zscan_walks_a_skiplist_in_steps_and_misses_nothing() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", "4"]);
  let mut args = vec!["ZADD".to_string(), "z".to_string()];
  for i in 0..100 {
    args.push(format!("{i}.5"));
    args.push(format!("m{i}"));
  }
  let args: Vec<&str> = args.iter().map(String::as_str).collect();
  assert_eq!(c.cmd(&args), ":100\r\n");
  let mut seen = std::collections::BTreeMap::new();
  let mut cursor = "0".to_string();
  let mut calls = 0;
  loop {
    let reply = c.cmd(&["ZSCAN", "z", &cursor, "COUNT", "7"]);
    calls += 1;
    let lines: Vec<&str> = reply.split("\r\n").collect();
    cursor = lines[2].to_string();
    let items: Vec<&str> = lines[4..].iter().copied().filter(|l| !l.starts_with('$') && !l.is_empty()).collect();
    for pair in items.chunks(2) {
      seen.insert(pair[0].to_string(), pair[1].to_string());
    }
    if cursor == "0" {
      break;
    }
  }
  assert!(calls > 10, "{calls} calls");
  assert_eq!(seen.len(), 100);
  assert_eq!(seen["m42"], "42.5");
  // MATCH filters members; their scores come along.
  let all = c.cmd(&["ZSCAN", "z", "0", "MATCH", "m9?", "COUNT", "1000"]);
  assert!(all.starts_with("*2\r\n$1\r\n0\r\n*20\r\n"), "{all}");
}

#[test]
fn arguments_are_read_as_c_strings_where_redis_does() {
  let mut c = Client::new();
  c.cmd(&["ZADD", "z", "1", "a", "2", "b", "3", "c"]);
  // Options and range ends stop at a NUL byte; scores must be whole numbers.
  assert_eq!(c.cmd_bytes(&[b"ZADD", b"z", b"XX\0junk", b"5", b"a"]), ":0\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZSCORE", b"z", b"a"]), "$1\r\n5\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZADD", b"z", b"1\x002", b"a"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZCOUNT", b"z", b" 2", b"3\0junk"]), ":2\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZRANGEBYLEX", b"z", b"-", b"+\0x"]), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZRANGE", b"z", b"0", b"0", b"WITHSCORES\0"]), "*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  // Members are binary-safe.
  assert_eq!(c.cmd_bytes(&[b"ZADD", b"bin", b"1", b"\0\r\n", b"1", b"\xff"]), ":2\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZRANGE", b"bin", b"0", b"-1"]), "*2\r\n$3\r\n\0\r\n\r\n$1\r\n\u{fffd}\r\n");
  assert_eq!(c.cmd_bytes(&[b"ZRANGEBYLEX", b"bin", b"(\0", b"+"]), "*2\r\n$3\r\n\0\r\n\r\n$1\r\n\u{fffd}\r\n");
}

#[test]
fn memory_usage_and_digest_cover_both_encodings() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c.cmd(&["ZADD", "small", "1", "a", "2", "b", "3", "c"]);
  c.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", "0"]);
  c.cmd(&["ZADD", "large", "1", "a", "2", "b", "3", "c"]);
  // DEBUG DIGEST-VALUE mixes the members and scores, whatever the encoding (recorded from
  // redis-server 7.0.15).
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST-VALUE", "small", "large"]),
    "*2\r\n+9767dd7466426098574d2ccde98092be7ea01296\r\n+9767dd7466426098574d2ccde98092be7ea01296\r\n"
  );
  let usage = |c: &mut Client, key: &str| -> i64 {
    let reply = c.cmd(&["MEMORY", "USAGE", key]);
    reply.trim_start_matches(':').trim_end().parse().unwrap()
  };
  let (small, large) = (usage(&mut c, "small"), usage(&mut c, "large"));
  assert!(small > 0 && large > small, "{small} {large}");
  let mut args = vec!["ZADD".to_string(), "large".to_string()];
  for i in 0..1000 {
    args.push(i.to_string());
    args.push(format!("member:{i}"));
  }
  let args: Vec<&str> = args.iter().map(String::as_str).collect();
  c.cmd(&args);
  let grown = usage(&mut c, "large");
  assert!(grown > 1000 * 48 && grown < 1000 * 120, "{grown}");
}

#[test]
fn set_members_count_as_score_one() {
  let mut c = Client::new();
  c.cmd(&["SADD", "s", "a", "b", "c"]);
  c.cmd(&["SADD", "ints", "1", "2", "3"]);
  c.cmd(&["ZADD", "z", "5", "b", "6", "3", "7", "x"]);
  assert_eq!(c.cmd(&["ZINTER", "2", "z", "ints", "WITHSCORES"]), "*2\r\n$1\r\n3\r\n$1\r\n7\r\n");
  assert_eq!(
    c.cmd(&["ZUNION", "2", "s", "ints", "WITHSCORES"]),
    "*12\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n1\r\n"
  );
  assert_eq!(c.cmd(&["ZDIFF", "2", "s", "z", "WITHSCORES"]), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["ZINTERCARD", "3", "s", "z", "ints"]), ":0\r\n");
  assert_eq!(c.cmd(&["ZUNIONSTORE", "d", "2", "s", "z", "WEIGHTS", "2", "1", "AGGREGATE", "MAX"]), ":5\r\n");
  assert_eq!(c.cmd(&["ZRANGE", "d", "0", "-1", "WITHSCORES"]), "*10\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n5\r\n$1\r\n3\r\n$1\r\n6\r\n$1\r\nx\r\n$1\r\n7\r\n");
  // Sets are not sorted sets for the other commands.
  assert_eq!(c.cmd(&["ZCARD", "s"]), WRONGTYPE);
  assert_eq!(c.cmd(&["ZRANGESTORE", "d", "s", "0", "-1"]), WRONGTYPE);
}

#[test]
fn zrandmember_draws_members_of_the_set() {
  let mut c = Client::new();
  for encoding_limit in ["128", "0"] {
    c.cmd(&["DEL", "z"]);
    c.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", encoding_limit]);
    c.cmd(&[
      "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f", "7", "g", "8", "h", "9", "i", "10", "j",
    ]);
    let one = c.cmd(&["ZRANDMEMBER", "z"]);
    assert!(one.len() == 7 && one.starts_with("$1\r\n"), "{one}");
    // Distinct members for a positive count, below and above a third of the size.
    for count in ["2", "8"] {
      let reply = c.cmd(&["ZRANDMEMBER", "z", count, "WITHSCORES"]);
      let lines: Vec<&str> = reply.split("\r\n").collect();
      let n: usize = count.parse().unwrap();
      assert_eq!(lines[0], format!("*{}", n * 2));
      let members: std::collections::HashSet<&str> =
        lines[1..].chunks(4).filter(|p| p.len() == 4).map(|p| p[1]).collect();
      assert_eq!(members.len(), n, "{reply}");
      for pair in lines[1..].chunks(4).filter(|p| p.len() == 4) {
        let expected = (pair[1].as_bytes()[0] - b'a' + 1).to_string();
        assert_eq!(pair[3], expected, "{reply}");
      }
    }
    // A negative count may repeat members.
    let reply = c.cmd(&["ZRANDMEMBER", "z", "-25"]);
    assert!(reply.starts_with("*25\r\n"), "{reply}");
  }
}

#[test]
fn bzpopmin_waits_and_first_blocked_is_first_served() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  assert_eq!(c.send_as(b, &["BZPOPMIN", "z", "0"]), "");
  assert_eq!(c.send_as(d, &["BZPOPMAX", "z", "0"]), "");
  assert!(c.engine.blocking.is_blocked(b) && c.engine.blocking.is_blocked(d));
  assert_eq!(c.cmd(&["ZADD", "other", "1", "x"]), ":1\r\n");
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["ZADD", "z", "1", "one", "2", "two", "3", "three"]), ":3\r\n");
  // B blocked first, so it got the lowest score before D ran (replies may be queued in either
  // order).
  let mut served = c.take_outbox();
  served.sort();
  assert_eq!(
    served,
    [
      (b, "*3\r\n$1\r\nz\r\n$3\r\none\r\n$1\r\n1\r\n".to_string()),
      (d, "*3\r\n$1\r\nz\r\n$5\r\nthree\r\n$1\r\n3\r\n".to_string())
    ]
  );
  assert_eq!(c.cmd(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]), "*2\r\n$3\r\ntwo\r\n$1\r\n2\r\n");

  // The first key in argument order that holds members is served; the popped set's last
  // member takes its key with it.
  c.send_as(b, &["BZPOPMIN", "z1", "z2", "0"]);
  c.cmd(&["ZADD", "z2", "0.1", "tenth"]);
  assert_eq!(c.take_outbox(), [(b, "*3\r\n$2\r\nz2\r\n$5\r\ntenth\r\n$19\r\n0.10000000000000001\r\n".to_string())]);
  assert_eq!(c.cmd(&["EXISTS", "z2"]), ":0\r\n");

  // BZMPOP takes up to COUNT members.
  c.send_as(b, &["BZMPOP", "0", "2", "z1", "z3", "MAX", "COUNT", "2"]);
  c.cmd(&["ZADD", "z3", "-inf", "low", "10", "mid", "inf", "high"]);
  assert_eq!(
    c.take_outbox(),
    [(b, "*2\r\n$2\r\nz3\r\n*2\r\n*2\r\n$4\r\nhigh\r\n$3\r\ninf\r\n*2\r\n$3\r\nmid\r\n$2\r\n10\r\n".to_string())]
  );
  // A sorted set written by ZUNIONSTORE serves a waiter too.
  c.send_as(b, &["BZPOPMIN", "dest", "0"]);
  c.cmd(&["ZUNIONSTORE", "dest", "1", "z3"]);
  assert_eq!(c.take_outbox(), [(b, "*3\r\n$4\r\ndest\r\n$3\r\nlow\r\n$4\r\n-inf\r\n".to_string())]);
}

#[test]
fn a_key_of_another_type_does_not_serve_a_sorted_set_waiter() {
  let mut c = Client::new();
  let b = c.other();
  c.send_as(b, &["BZPOPMIN", "z", "0"]);
  c.cmd(&["RPUSH", "z", "not-a-zset"]);
  assert!(c.take_outbox().is_empty());
  assert!(c.engine.blocking.is_blocked(b));
  c.cmd(&["DEL", "z"]);
  c.cmd(&["ZADD", "z", "7", "seven"]);
  assert_eq!(c.take_outbox(), [(b, "*3\r\n$1\r\nz\r\n$5\r\nseven\r\n$1\r\n7\r\n".to_string())]);
  // On the first run, the wrong type is an error.
  c.cmd(&["SET", "s", "v"]);
  assert_eq!(c.send_as(b, &["BZPOPMIN", "nokey", "s", "0"]), WRONGTYPE);
  assert_eq!(c.send_as(b, &["BZMPOP", "0", "1", "s", "MIN"]), WRONGTYPE);
}

#[test]
fn blocking_pops_time_out_on_tick_with_null_arrays() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  assert!(!c.send_as(d, &["HELLO", "3"]).is_empty());
  c.send_as(b, &["BZPOPMIN", "z", "0.05"]);
  c.send_as(d, &["BZMPOP", "0.05", "1", "z", "MIN"]);
  let forever = c.other();
  c.send_as(forever, &["BZPOPMAX", "z", "0"]);
  c.engine.tick();
  assert!(c.take_outbox().is_empty());
  std::thread::sleep(Duration::from_millis(80));
  c.engine.tick();
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string()), (d, "_\r\n".to_string())]);
  assert!(c.engine.blocking.is_blocked(forever));
  // RESP3 shapes once served: a flat array with a double score.
  c.send_as(d, &["BZPOPMIN", "z", "0"]);
  c.cmd(&["ZADD", "z", "1.5", "a", "2", "b"]);
  let mut served = c.take_outbox();
  served.sort();
  assert_eq!(
    served,
    [
      (d, "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1.5\r\n".to_string()),
      (forever, "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n".to_string())
    ]
  );
}

#[test]
fn blocking_pops_check_their_arguments_first() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["BZPOPMIN", "z", "x"], "-ERR timeout is not a float or out of range\r\n"),
      (&["BZPOPMIN", "z", "-1"], "-ERR timeout is negative\r\n"),
      (&["BZPOPMAX", "z", "inf"], "-ERR timeout is negative\r\n"),
      (&["BZMPOP", "x", "0", "z", "MIN"], "-ERR numkeys should be greater than 0\r\n"),
      (&["BZMPOP", "x", "1", "z", "FOO"], "-ERR syntax error\r\n"),
      (&["BZMPOP", "x", "1", "z", "MIN"], "-ERR timeout is not a float or out of range\r\n"),
      (&["BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"], "-ERR count should be greater than 0\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b"], ":2\r\n"),
      (&["BZPOPMIN", "nokey", "z", "0"], "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (&["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"], "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"),
      (&["EXISTS", "z"], ":0\r\n"),
    ],
  );
}

#[test]
fn modifications_keep_the_time_to_live_and_stores_replace_it() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1", "a", "2", "b"], ":2\r\n"),
      (&["EXPIRE", "z", "100"], ":1\r\n"),
      (&["ZADD", "z", "3", "c"], ":1\r\n"),
      (&["ZINCRBY", "z", "1", "c"], "$1\r\n4\r\n"),
      (&["ZREM", "z", "c"], ":1\r\n"),
      (&["ZPOPMIN", "z"], "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (&["ZREMRANGEBYSCORE", "z", "5", "6"], ":0\r\n"),
      (&["TTL", "z"], ":100\r\n"),
      (&["ZUNIONSTORE", "z", "1", "z"], ":1\r\n"),
      (&["TTL", "z"], ":-1\r\n"),
      (&["EXPIRE", "z", "100"], ":1\r\n"),
      (&["ZRANGESTORE", "z", "z", "0", "-1"], ":1\r\n"),
      (&["TTL", "z"], ":-1\r\n"),
    ],
  );
}

/// ZADD's flags: NX, XX, GT, LT, CH, INCR, and what each one replies.
#[test]
fn zadd_options_and_replies() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1", "a", "2", "b"], ":2\r\n"),
      (&["ZADD", "z", "3", "a", "4", "c"], ":1\r\n"),
      (&["ZADD", "z", "CH", "5", "a", "4", "c", "6", "d"], ":2\r\n"),
      (&["ZADD", "z", "NX", "9", "a", "7", "e"], ":1\r\n"),
      (&["ZADD", "z", "XX", "8", "a", "8", "nope"], ":0\r\n"),
      (&["ZADD", "z", "XX", "CH", "8", "a", "9", "b"], ":1\r\n"),
      (&["ZADD", "z", "GT", "CH", "1", "a", "10", "b"], ":1\r\n"),
      (&["ZADD", "z", "LT", "CH", "1", "a", "10", "c"], ":1\r\n"),
      (&["ZADD", "z", "XX", "GT", "20", "e"], ":0\r\n"),
      (&["ZADD", "z", "ch", "ch", "nx", "1", "f"], ":1\r\n"),
      (&["ZRANGE", "z", "0", "-1", "WITHSCORES"], "*12\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nf\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n4\r\n$1\r\nd\r\n$1\r\n6\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\ne\r\n$2\r\n20\r\n"),
      (&["ZADD", "z", "INCR", "2.5", "a"], "$3\r\n3.5\r\n"),
      (&["ZADD", "z", "INCR", "NX", "1", "a"], "$-1\r\n"),
      (&["ZADD", "z", "INCR", "XX", "1", "missing"], "$-1\r\n"),
      (&["ZADD", "z", "INCR", "GT", "-1", "a"], "$-1\r\n"),
      (&["ZADD", "z", "INCR", "LT", "-1", "a"], "$3\r\n2.5\r\n"),
      (&["ZADD", "z", "INCR", "1", "new"], "$1\r\n1\r\n"),
      (&["ZINCRBY", "z", "10", "new"], "$2\r\n11\r\n"),
      (&["ZINCRBY", "z", "-0.5", "brand"], "$4\r\n-0.5\r\n"),
      (&["ZINCRBY", "fresh", "2", "m"], "$1\r\n2\r\n"),
      (&["ZADD", "z", "1", "a", "1", "a", "2", "a"], ":0\r\n"),
      (&["ZSCORE", "z", "a"], "$1\r\n2\r\n"),
      (&["ZADD", "nokey", "XX", "1", "a"], ":0\r\n"),
      (&["ZADD", "nokey", "XX", "INCR", "1", "a"], "$-1\r\n"),
      (&["EXISTS", "nokey"], ":0\r\n"),
    ],
  );
}

#[test]
fn zadd_errors_in_redis_order() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "NX", "XX", "1", "a"], "-ERR XX and NX options at the same time are not compatible\r\n"),
      (&["ZADD", "z", "NX", "GT", "1", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
      (&["ZADD", "z", "GT", "LT", "1", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
      (&["ZADD", "z", "LT", "NX", "x", "a"], "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"),
      (&["ZADD", "z", "INCR", "1", "a", "2", "b"], "-ERR INCR option supports a single increment-element pair\r\n"),
      (&["ZADD", "z", "NX", "XX", "1"], "-ERR syntax error\r\n"),
      (&["ZADD", "z", "1", "a", "2"], "-ERR syntax error\r\n"),
      (&["ZADD", "z", "INCR", "5"], "-ERR syntax error\r\n"),
      (&["ZADD", "z", "x", "a"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1", "a", "nan", "b"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1", "a", " 1", "b"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "str", "1", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZADD", "str", "x", "a"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1", "a"], ":1\r\n"),
      (&["ZADD", "z", "INCR", "inf", "a"], "$3\r\ninf\r\n"),
      (&["ZADD", "z", "INCR", "-inf", "a"], "-ERR resulting score is not a number (NaN)\r\n"),
      (&["ZSCORE", "z", "a"], "$3\r\ninf\r\n"),
      (&["ZINCRBY", "z", "x", "a"], "-ERR value is not a valid float\r\n"),
      (&["ZINCRBY", "z", "NX", "a"], "-ERR syntax error\r\n"),
      (&["ZINCRBY", "str", "1", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZADD", "z"], "-ERR wrong number of arguments for 'zadd' command\r\n"),
      (&["ZINCRBY", "z", "1"], "-ERR wrong number of arguments for 'zincrby' command\r\n"),
      (&["EXISTS", "str", "z"], ":2\r\n"),
    ],
  );
}

#[test]
fn scores_parse_like_strtod_and_print_like_percent_17g() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "0x10", "hex", "0x1.8p1", "hexfrac", ".5", "half", "5.", "five", "+.5e1", "plus", "1e-5", "tiny"], ":6\r\n"),
      (&["ZADD", "z", "inf", "pinf", "-inf", "ninf", "+Infinity", "pinf2", "-INFINITY", "ninf2"], ":4\r\n"),
      (&["ZADD", "z", "4.9e-324", "denorm", "1e16", "big", "123456789012345678", "bigger", "0.1", "tenth", "1e20", "huge"], ":5\r\n"),
      (&["ZRANGE", "z", "0", "-1", "WITHSCORES"], "*30\r\n$4\r\nninf\r\n$4\r\n-inf\r\n$5\r\nninf2\r\n$4\r\n-inf\r\n$6\r\ndenorm\r\n$23\r\n4.9406564584124654e-324\r\n$4\r\ntiny\r\n$22\r\n1.0000000000000001e-05\r\n$5\r\ntenth\r\n$19\r\n0.10000000000000001\r\n$4\r\nhalf\r\n$3\r\n0.5\r\n$7\r\nhexfrac\r\n$1\r\n3\r\n$4\r\nfive\r\n$1\r\n5\r\n$4\r\nplus\r\n$1\r\n5\r\n$3\r\nhex\r\n$2\r\n16\r\n$3\r\nbig\r\n$17\r\n10000000000000000\r\n$6\r\nbigger\r\n$22\r\n1.2345678901234568e+17\r\n$4\r\nhuge\r\n$5\r\n1e+20\r\n$4\r\npinf\r\n$3\r\ninf\r\n$5\r\npinf2\r\n$3\r\ninf\r\n"),
      (&["ZADD", "z", "1e400", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1e-400", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "0x", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "0x1p-1080", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1e", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "1 ", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZADD", "z", "nan", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZSCAN", "z", "0"], "*2\r\n$1\r\n0\r\n*30\r\n$4\r\nninf\r\n$4\r\n-inf\r\n$5\r\nninf2\r\n$4\r\n-inf\r\n$6\r\ndenorm\r\n$23\r\n4.9406564584124654e-324\r\n$4\r\ntiny\r\n$22\r\n1.0000000000000001e-05\r\n$5\r\ntenth\r\n$19\r\n0.10000000000000001\r\n$4\r\nhalf\r\n$3\r\n0.5\r\n$7\r\nhexfrac\r\n$1\r\n3\r\n$4\r\nfive\r\n$1\r\n5\r\n$4\r\nplus\r\n$1\r\n5\r\n$3\r\nhex\r\n$2\r\n16\r\n$3\r\nbig\r\n$17\r\n10000000000000000\r\n$6\r\nbigger\r\n$18\r\n123456789012345680\r\n$4\r\nhuge\r\n$5\r\n1e+20\r\n$4\r\npinf\r\n$3\r\ninf\r\n$5\r\npinf2\r\n$3\r\ninf\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZSCORE", "z", "tenth"], ",0.10000000000000001\r\n"),
      (&["ZSCORE", "z", "pinf"], ",inf\r\n"),
      (&["ZMSCORE", "z", "hex", "nope", "ninf"], "*3\r\n,16\r\n_\r\n,-inf\r\n"),
      (&["ZRANGE", "z", "0", "2", "WITHSCORES"], "*3\r\n*2\r\n$4\r\nninf\r\n,-inf\r\n*2\r\n$5\r\nninf2\r\n,-inf\r\n*2\r\n$6\r\ndenorm\r\n,4.9406564584124654e-324\r\n"),
    ],
  );
}

#[test]
fn negative_zero_is_zero_in_a_listpack_but_kept_in_a_skiplist() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "lp", "-0", "a"], ":1\r\n"),
      (&["ZSCORE", "lp", "a"], "$1\r\n0\r\n"),
      (&["ZADD", "lp", "INCR", "-0", "b"], "$2\r\n-0\r\n"),
      (&["ZSCORE", "lp", "b"], "$1\r\n0\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-entries", "0"], "+OK\r\n"),
      (&["ZADD", "sl", "-0", "a"], ":1\r\n"),
      (&["ZSCORE", "sl", "a"], "$2\r\n-0\r\n"),
      (&["ZINCRBY", "sl", "0", "a"], "$1\r\n0\r\n"),
      (&["ZADD", "sl", "INCR", "-0", "a"], "$2\r\n-0\r\n"),
      (&["ZSCAN", "sl", "0"], "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$2\r\n-0\r\n"),
      (&["ZUNION", "1", "lp", "WEIGHTS", "-1", "WITHSCORES"], "*4\r\n$1\r\na\r\n$2\r\n-0\r\n$1\r\nb\r\n$2\r\n-0\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-entries", "128"], "+OK\r\n"),
      (&["ZUNIONSTORE", "d", "1", "lp", "WEIGHTS", "-1"], ":2\r\n"),
      (&["ZSCORE", "d", "a"], "$1\r\n0\r\n"),
    ],
  );
}

#[test]
fn reads_and_ranks() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "3", "d"], ":4\r\n"),
      (&["ZCARD", "z"], ":4\r\n"),
      (&["ZCARD", "nokey"], ":0\r\n"),
      (&["ZSCORE", "z", "b"], "$1\r\n2\r\n"),
      (&["ZSCORE", "z", "nope"], "$-1\r\n"),
      (&["ZSCORE", "nokey", "a"], "$-1\r\n"),
      (&["ZMSCORE", "z", "a", "nope", "d"], "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n"),
      (&["ZMSCORE", "nokey", "a", "b"], "*2\r\n$-1\r\n$-1\r\n"),
      (&["ZRANK", "z", "c"], ":2\r\n"),
      (&["ZRANK", "z", "nope"], "$-1\r\n"),
      (&["ZRANK", "nokey", "a"], "$-1\r\n"),
      (&["ZREVRANK", "z", "a"], ":3\r\n"),
      (&["ZREVRANK", "z", "d"], ":0\r\n"),
      (&["ZCARD", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZSCORE", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZMSCORE", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZRANK", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZREVRANK", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZMSCORE", "z"], "-ERR wrong number of arguments for 'zmscore' command\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZSCORE", "z", "b"], ",2\r\n"),
      (&["ZMSCORE", "z", "a", "nope"], "*2\r\n,1\r\n_\r\n"),
      (&["ZRANK", "nokey", "a"], "_\r\n"),
      (&["ZSCORE", "nokey", "a"], "_\r\n"),
    ],
  );
}

/// WITHSCORE (Redis 7.2): expected replies follow Valkey 7.2's `zrankGenericCommand`, since the
/// reference server (7.0) does not have the option.
#[test]
fn ranks_with_scores() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1.5", "a", "2", "b", "3", "c"], ":3\r\n"),
      (&["ZRANK", "z", "b", "WITHSCORE"], "*2\r\n:1\r\n$1\r\n2\r\n"),
      (&["ZRANK", "z", "a", "withscore"], "*2\r\n:0\r\n$3\r\n1.5\r\n"),
      (&["ZREVRANK", "z", "a", "WithScore"], "*2\r\n:2\r\n$3\r\n1.5\r\n"),
      (&["ZRANK", "z", "nope", "WITHSCORE"], "*-1\r\n"),
      (&["ZREVRANK", "nokey", "a", "WITHSCORE"], "*-1\r\n"),
      (&["ZRANK", "z", "a", "WITHSCORES"], "-ERR syntax error\r\n"),
      (&["ZRANK", "nokey", "a", "junk"], "-ERR syntax error\r\n"),
      (&["ZRANK", "z", "a", "WITHSCORE", "x"], "-ERR wrong number of arguments for 'zrank' command\r\n"),
      (&["ZREVRANK", "z", "a", "WITHSCORE", "x"], "-ERR wrong number of arguments for 'zrevrank' command\r\n"),
      (&["ZRANK", "z"], "-ERR wrong number of arguments for 'zrank' command\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZRANK", "z", "c", "WITHSCORE"], "*2\r\n:2\r\n,3\r\n"),
      (&["ZRANK", "z", "nope", "WITHSCORE"], "_\r\n"),
    ],
  );
}

#[test]
fn zcount_and_zlexcount() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], ":5\r\n"),
      (&["ZCOUNT", "z", "-inf", "+inf"], ":5\r\n"),
      (&["ZCOUNT", "z", "(1", "(5"], ":3\r\n"),
      (&["ZCOUNT", "z", "2", "2"], ":1\r\n"),
      (&["ZCOUNT", "z", "(2", "2"], ":0\r\n"),
      (&["ZCOUNT", "z", "5", "1"], ":0\r\n"),
      (&["ZCOUNT", "z", "6", "10"], ":0\r\n"),
      (&["ZCOUNT", "z", " 2", "4\\x00junk"], "-ERR min or max is not a float\r\n"),
      (&["ZCOUNT", "z", "", "(3"], ":2\r\n"),
      (&["ZCOUNT", "z", "x", "1"], "-ERR min or max is not a float\r\n"),
      (&["ZCOUNT", "z", "1", "nan"], "-ERR min or max is not a float\r\n"),
      (&["ZCOUNT", "nokey", "1", "2"], ":0\r\n"),
      (&["ZCOUNT", "str", "1", "2"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZCOUNT", "str", "x", "2"], "-ERR min or max is not a float\r\n"),
      (&["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"], ":4\r\n"),
      (&["ZLEXCOUNT", "l", "-", "+"], ":4\r\n"),
      (&["ZLEXCOUNT", "l", "[b", "(d"], ":2\r\n"),
      (&["ZLEXCOUNT", "l", "(a", "[c"], ":2\r\n"),
      (&["ZLEXCOUNT", "l", "+", "-"], ":0\r\n"),
      (&["ZLEXCOUNT", "l", "[c", "[b"], ":0\r\n"),
      (&["ZLEXCOUNT", "l", "[b", "[b"], ":1\r\n"),
      (&["ZLEXCOUNT", "l", "(b", "[b"], ":0\r\n"),
      (&["ZLEXCOUNT", "l", "a", "+"], "-ERR min or max not valid string range item\r\n"),
      (&["ZLEXCOUNT", "l", "-", "+x"], "-ERR min or max not valid string range item\r\n"),
      (&["ZLEXCOUNT", "l", "", "+"], "-ERR min or max not valid string range item\r\n"),
      (&["ZLEXCOUNT", "nokey", "-", "+"], ":0\r\n"),
      (&["ZLEXCOUNT", "str", "-", "+"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
    ],
  );
}

#[test]
fn zrange_by_rank() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["ZRANGE", "z", "0", "-1"], "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "1", "2", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZRANGE", "z", "-2", "-1"], "*2\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "-100", "100"], "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "3", "1"], "*0\r\n"),
      (&["ZRANGE", "z", "4", "10"], "*0\r\n"),
      (&["ZRANGE", "z", "0", "0", "REV"], "*1\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "0", "1", "REV", "WITHSCORES"], "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZRANGE", "z", "9223372036854775807", "-9223372036854775808"], "*0\r\n"),
      (
        &["ZRANGE", "z", "0", "-1", "WITHSCORES", "WITHSCORES"],
        "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
      ),
      (&["ZRANGE", "z", "0", "-1", "LIMIT", "5", "-1"], "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZREVRANGE", "z", "0", "1", "WITHSCORES"], "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZREVRANGE", "z", "-1", "-1"], "*1\r\n$1\r\na\r\n"),
      (&["ZRANGE", "nokey", "0", "-1"], "*0\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZRANGE", "z", "0", "1", "WITHSCORES"], "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n"),
      (
        &["ZREVRANGE", "z", "0", "-1", "WITHSCORES"],
        "*4\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n",
      ),
      (&["ZRANGE", "nokey", "0", "-1", "WITHSCORES"], "*0\r\n"),
    ],
  );
}

#[test]
fn zrange_by_score() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], ":5\r\n"),
      (&["ZRANGE", "z", "2", "4", "BYSCORE"], "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "(2", "(4", "BYSCORE", "WITHSCORES"], "*2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2"], "*2\r\n$1\r\nb\r\n$1\r\nc\r\n"),
      (
        &["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1"],
        "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n",
      ),
      (&["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "0"], "*0\r\n"),
      (&["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"], "*0\r\n"),
      (&["ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "5", "2"], "*0\r\n"),
      (
        &["ZRANGE", "z", "4", "2", "BYSCORE", "REV", "WITHSCORES"],
        "*6\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n",
      ),
      (&["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2"], "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"),
      (
        &["ZRANGEBYSCORE", "z", "2", "4", "WITHSCORES", "LIMIT", "0", "2"],
        "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
      ),
      (&["ZRANGEBYSCORE", "z", "(1", "5"], "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
      (&["ZRANGEBYSCORE", "z", "5", "1"], "*0\r\n"),
      (&["ZRANGEBYSCORE", "z", "(3", "(3"], "*0\r\n"),
      (&["ZREVRANGEBYSCORE", "z", "4", "2"], "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"),
      (&["ZREVRANGEBYSCORE", "z", "+inf", "(4", "WITHSCORES"], "*2\r\n$1\r\ne\r\n$1\r\n5\r\n"),
      (&["ZREVRANGEBYSCORE", "z", "2", "4"], "*0\r\n"),
      (&["ZRANGEBYSCORE", "z", "0x1", "0x3"], "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
      (&["ZRANGEBYSCORE", "z", "", "2"], "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
      (&["ZRANGEBYSCORE", "z", "(", "2"], "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
      (&["ZRANGEBYSCORE", "nokey", "1", "2"], "*0\r\n"),
    ],
  );
}

#[test]
fn zrange_by_lex() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"], ":5\r\n"),
      (&["ZRANGE", "z", "[b", "[d", "BYLEX"], "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "(b", "(e", "BYLEX", "LIMIT", "1", "5"], "*1\r\n$1\r\nd\r\n"),
      (&["ZRANGE", "z", "-", "+", "BYLEX", "LIMIT", "0", "2"], "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
      (&["ZRANGE", "z", "[d", "[b", "BYLEX", "REV"], "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n"),
      (&["ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2"], "*2\r\n$1\r\nd\r\n$1\r\nc\r\n"),
      (&["ZRANGEBYLEX", "z", "-", "[c"], "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
      (&["ZRANGEBYLEX", "z", "(c", "+"], "*2\r\n$1\r\nd\r\n$1\r\ne\r\n"),
      (&["ZRANGEBYLEX", "z", "+", "-"], "*0\r\n"),
      (&["ZRANGEBYLEX", "z", "-", "-"], "*0\r\n"),
      (&["ZRANGEBYLEX", "z", "[c", "(c"], "*0\r\n"),
      (&["ZRANGEBYLEX", "z", "+\\x00x", "-"], "-ERR min or max not valid string range item\r\n"),
      (&["ZREVRANGEBYLEX", "z", "[d", "-"], "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"),
      (&["ZREVRANGEBYLEX", "z", "+", "(b", "LIMIT", "1", "1"], "*1\r\n$1\r\nd\r\n"),
      (&["ZRANGEBYLEX", "nokey", "-", "+"], "*0\r\n"),
    ],
  );
}

#[test]
fn zrange_errors() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b"], ":2\r\n"),
      (
        &["ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"],
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
      ),
      (
        &["ZRANGE", "z", "0", "-1", "LIMIT", "0", "-2"],
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
      ),
      (
        &["ZRANGE", "z", "x", "1", "LIMIT", "0", "-2"],
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
      ),
      (&["ZRANGE", "z", "0", "-1", "LIMIT", "x", "1"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZRANGE", "z", "0", "-1", "LIMIT", "0"], "-ERR syntax error\r\n"),
      (
        &["ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES"],
        "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
      ),
      (
        &["ZRANGE", "z", "[a", "[b", "BYLEX", "WITHSCORES", "LIMIT", "x", "y"],
        "-ERR value is not an integer or out of range\r\n",
      ),
      (&["ZRANGE", "z", "a", "b", "BYLEX"], "-ERR min or max not valid string range item\r\n"),
      (&["ZRANGE", "z", "a", "b", "BYSCORE"], "-ERR min or max is not a float\r\n"),
      (&["ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX"], "-ERR syntax error\r\n"),
      (&["ZRANGE", "z", "0", "1", "REV", "REV"], "-ERR syntax error\r\n"),
      (&["ZRANGE", "z", "0", "1", "FOO"], "-ERR syntax error\r\n"),
      (&["ZRANGE", "z", "x", "1"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZRANGE", "str", "0", "1"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZRANGE", "str", "x", "1"], "-ERR value is not an integer or out of range\r\n"),
      (
        &["ZRANGE", "str", "0", "1", "BYSCORE"],
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
      ),
      (&["ZRANGE", "nokey", "x", "1"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZRANGEBYSCORE", "z", "1", "2", "REV"], "-ERR syntax error\r\n"),
      (&["ZRANGEBYSCORE", "z", "1", "2", "BYSCORE"], "-ERR syntax error\r\n"),
      (&["ZRANGEBYSCORE", "z", "a", "b"], "-ERR min or max is not a float\r\n"),
      (
        &["ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"],
        "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n",
      ),
      (&["ZRANGEBYLEX", "z", "a", "b"], "-ERR min or max not valid string range item\r\n"),
      (
        &["ZREVRANGE", "z", "0", "1", "LIMIT", "0", "1"],
        "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n",
      ),
      (&["ZREVRANGE", "z", "0", "1", "REV"], "-ERR syntax error\r\n"),
      (&["ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES"], "-ERR syntax error\r\n"),
    ],
  );
}

#[test]
fn zrangestore() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["ZRANGESTORE", "d", "z", "1", "2"], ":2\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZRANGESTORE", "d", "z", "3", "1", "BYSCORE", "REV", "LIMIT", "0", "2"], ":2\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZRANGESTORE", "d", "z", "(a", "+", "BYLEX"], ":3\r\n"),
      (&["ZRANGE", "d", "0", "-1"], "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZRANGESTORE", "d", "z", "5", "10"], ":0\r\n"),
      (&["EXISTS", "d"], ":0\r\n"),
      (&["ZRANGESTORE", "d", "nokey", "0", "-1"], ":0\r\n"),
      (&["ZRANGESTORE", "str", "z", "0", "0"], ":1\r\n"),
      (&["TYPE", "str"], "+zset\r\n"),
      (&["ZRANGESTORE", "d", "str", "0", "-1"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "str"], "$8\r\nlistpack\r\n"),
    ],
  );
}

#[test]
fn zrem_and_range_removals() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"], ":6\r\n"),
      (&["ZREM", "z", "a", "nope", "a"], ":1\r\n"),
      (&["ZREM", "nokey", "a"], ":0\r\n"),
      (&["ZREM", "str", "a"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZREMRANGEBYRANK", "z", "0", "0"], ":1\r\n"),
      (&["ZREMRANGEBYRANK", "z", "-1", "-1"], ":1\r\n"),
      (&["ZREMRANGEBYRANK", "z", "5", "10"], ":0\r\n"),
      (&["ZREMRANGEBYRANK", "z", "2", "1"], ":0\r\n"),
      (&["ZRANGE", "z", "0", "-1"], "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"),
      (&["ZREMRANGEBYSCORE", "z", "(3", "4"], ":1\r\n"),
      (&["ZREMRANGEBYSCORE", "z", "10", "20"], ":0\r\n"),
      (&["ZRANGE", "z", "0", "-1"], "*2\r\n$1\r\nc\r\n$1\r\ne\r\n"),
      (&["ZREMRANGEBYSCORE", "z", "-inf", "+inf"], ":2\r\n"),
      (&["EXISTS", "z"], ":0\r\n"),
      (&["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"], ":4\r\n"),
      (&["ZREMRANGEBYLEX", "l", "[b", "(d"], ":2\r\n"),
      (&["ZREMRANGEBYLEX", "l", "+", "-"], ":0\r\n"),
      (&["ZRANGE", "l", "0", "-1"], "*2\r\n$1\r\na\r\n$1\r\nd\r\n"),
      (&["ZREMRANGEBYLEX", "l", "-", "+"], ":2\r\n"),
      (&["EXISTS", "l"], ":0\r\n"),
      (&["ZREMRANGEBYRANK", "z", "x", "1"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZREMRANGEBYSCORE", "z", "x", "1"], "-ERR min or max is not a float\r\n"),
      (&["ZREMRANGEBYLEX", "z", "x", "1"], "-ERR min or max not valid string range item\r\n"),
      (&["ZREMRANGEBYRANK", "str", "0", "1"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZREMRANGEBYSCORE", "str", "x", "1"], "-ERR min or max is not a float\r\n"),
      (&["ZREMRANGEBYRANK", "nokey", "0", "-1"], ":0\r\n"),
      (&["ZREMRANGEBYSCORE", "nokey", "0", "1"], ":0\r\n"),
      (&["ZREMRANGEBYLEX", "nokey", "-", "+"], ":0\r\n"),
    ],
  );
}

#[test]
fn pops() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"], ":5\r\n"),
      (&["ZPOPMIN", "z"], "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (&["ZPOPMAX", "z"], "*2\r\n$1\r\ne\r\n$1\r\n5\r\n"),
      (&["ZPOPMIN", "z", "2"], "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZPOPMIN", "z", "0"], "*0\r\n"),
      (&["ZPOPMAX", "z", "10"], "*2\r\n$1\r\nd\r\n$1\r\n4\r\n"),
      (&["EXISTS", "z"], ":0\r\n"),
      (&["ZPOPMIN", "z"], "*0\r\n"),
      (&["ZPOPMIN", "z", "3"], "*0\r\n"),
      (&["ZPOPMIN", "z", "-1"], "-ERR value is out of range, must be positive\r\n"),
      (&["ZPOPMIN", "z", "x"], "-ERR value is out of range, must be positive\r\n"),
      (&["ZPOPMIN", "z", "1", "2"], "-ERR syntax error\r\n"),
      (&["ZPOPMIN", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZPOPMIN", "str", "-1"], "-ERR value is out of range, must be positive\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZPOPMIN", "z"], "*2\r\n$1\r\na\r\n,1\r\n"),
      (&["ZPOPMAX", "z", "1"], "*1\r\n*2\r\n$1\r\nd\r\n,4\r\n"),
      (&["ZPOPMIN", "z", "5"], "*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"),
      (&["ZPOPMIN", "z", "2"], "*0\r\n"),
      (&["ZPOPMIN", "z"], "*0\r\n"),
    ],
  );
}

#[test]
fn zmpop() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["ZMPOP", "1", "z", "MIN"], "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (
        &["ZMPOP", "2", "nokey", "z", "MAX", "COUNT", "2"],
        "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
      ),
      (&["ZMPOP", "1", "z", "min", "count", "10"], "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"),
      (&["ZMPOP", "1", "z", "MIN"], "*-1\r\n"),
      (
        &["ZMPOP", "2", "nokey", "str", "MIN"],
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
      ),
      (&["ZMPOP", "0", "z", "MIN"], "-ERR numkeys should be greater than 0\r\n"),
      (&["ZMPOP", "-1", "z", "MIN"], "-ERR numkeys should be greater than 0\r\n"),
      (&["ZMPOP", "x", "z", "MIN"], "-ERR numkeys should be greater than 0\r\n"),
      (&["ZMPOP", "2", "z", "MIN"], "-ERR syntax error\r\n"),
      (&["ZMPOP", "1", "z", "MIDDLE"], "-ERR syntax error\r\n"),
      (&["ZMPOP", "1", "z", "MIN", "COUNT", "0"], "-ERR count should be greater than 0\r\n"),
      (&["ZMPOP", "1", "z", "MIN", "COUNT", "x"], "-ERR count should be greater than 0\r\n"),
      (&["ZMPOP", "1", "z", "MIN", "COUNT"], "-ERR syntax error\r\n"),
      (&["ZMPOP", "1", "z", "MIN", "COUNT", "1", "COUNT", "1"], "-ERR syntax error\r\n"),
      (&["ZMPOP", "9223372036854775807", "z", "MIN"], "-ERR syntax error\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b"], ":2\r\n"),
      (&["HELLO", "3"], ANY),
      (
        &["ZMPOP", "1", "z", "MAX", "COUNT", "5"],
        "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n",
      ),
      (&["ZMPOP", "1", "z", "MAX"], "_\r\n"),
    ],
  );
}

#[test]
fn zrandmember_deterministic_cases() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c"], ":3\r\n"),
      (&["ZRANDMEMBER", "z", "3"], "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"),
      (
        &["ZRANDMEMBER", "z", "10", "WITHSCORES"],
        "*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n",
      ),
      (&["ZRANDMEMBER", "z", "0"], "*0\r\n"),
      (&["ZRANDMEMBER", "z", "0", "WITHSCORES"], "*0\r\n"),
      (&["ZRANDMEMBER", "nokey"], "$-1\r\n"),
      (&["ZRANDMEMBER", "nokey", "5"], "*0\r\n"),
      (&["ZRANDMEMBER", "nokey", "-5", "WITHSCORES"], "*0\r\n"),
      (&["ZRANDMEMBER", "z", "x"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZRANDMEMBER", "nokey", "x"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZRANDMEMBER", "z", "1", "foo"], "-ERR syntax error\r\n"),
      (&["ZRANDMEMBER", "z", "1", "WITHSCORES", "x"], "-ERR syntax error\r\n"),
      (
        &["ZRANDMEMBER", "z", "-9223372036854775808"],
        "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
      ),
      (&["ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"], "-ERR value is out of range\r\n"),
      (&["ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"], "-ERR value is out of range\r\n"),
      (&["ZRANDMEMBER", "nokey", "9223372036854775807", "WITHSCORES"], "-ERR value is out of range\r\n"),
      (&["ZRANDMEMBER", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZRANDMEMBER", "str", "1"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZADD", "one", "5", "only"], ":1\r\n"),
      (&["ZRANDMEMBER", "one"], "$4\r\nonly\r\n"),
      (
        &["ZRANDMEMBER", "one", "-3", "WITHSCORES"],
        "*6\r\n$4\r\nonly\r\n$1\r\n5\r\n$4\r\nonly\r\n$1\r\n5\r\n$4\r\nonly\r\n$1\r\n5\r\n",
      ),
      (&["ZRANDMEMBER", "one", "1"], "*1\r\n$4\r\nonly\r\n"),
      (&["HELLO", "3"], ANY),
      (
        &["ZRANDMEMBER", "z", "10", "WITHSCORES"],
        "*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n",
      ),
      (&["ZRANDMEMBER", "one", "-2", "WITHSCORES"], "*2\r\n*2\r\n$4\r\nonly\r\n,5\r\n*2\r\n$4\r\nonly\r\n,5\r\n"),
      (&["ZRANDMEMBER", "nokey"], "_\r\n"),
    ],
  );
}

#[test]
fn set_operations() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["ZADD", "y", "10", "b", "20", "c", "30", "e"], ":3\r\n"),
      (&["SADD", "s", "a", "c", "x"], ":3\r\n"),
      (&["ZUNION", "2", "z", "y", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["ZUNION", "2", "z", "y", "WEIGHTS", "2", "0.5", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n8\r\n$1\r\nb\r\n$1\r\n9\r\n$1\r\ne\r\n$2\r\n15\r\n$1\r\nc\r\n$2\r\n16\r\n"),
      (&["ZUNION", "2", "z", "y", "AGGREGATE", "MIN", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["ZUNION", "2", "z", "y", "AGGREGATE", "max", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nc\r\n$2\r\n20\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["ZUNION", "3", "z", "y", "s", "WITHSCORES"], "*12\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n24\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["ZUNION", "2", "z", "nokey"], "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n"),
      (&["ZINTER", "2", "z", "y", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n"),
      (&["ZINTER", "2", "z", "y", "AGGREGATE", "MAX", "WEIGHTS", "1", "-1", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"),
      (&["ZINTER", "2", "z", "s", "WITHSCORES"], "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n4\r\n"),
      (&["ZINTER", "2", "z", "z", "WITHSCORES"], "*8\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n6\r\n$1\r\nd\r\n$1\r\n8\r\n"),
      (&["ZINTER", "2", "z", "nokey"], "*0\r\n"),
      (&["ZDIFF", "2", "z", "y", "WITHSCORES"], "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n"),
      (&["ZDIFF", "2", "z", "s"], "*2\r\n$1\r\nb\r\n$1\r\nd\r\n"),
      (&["ZDIFF", "2", "s", "z", "WITHSCORES"], "*2\r\n$1\r\nx\r\n$1\r\n1\r\n"),
      (&["ZDIFF", "2", "z", "z"], "*0\r\n"),
      (&["ZINTERCARD", "2", "z", "y"], ":2\r\n"),
      (&["ZINTERCARD", "3", "z", "y", "s"], ":1\r\n"),
      (&["ZINTERCARD", "1", "z", "LIMIT", "2"], ":2\r\n"),
      (&["ZINTERCARD", "1", "z", "LIMIT", "0"], ":4\r\n"),
      (&["ZUNIONSTORE", "d", "2", "z", "y"], ":5\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["ZINTERSTORE", "d", "2", "z", "y", "WEIGHTS", "1", "2"], ":2\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*4\r\n$1\r\nb\r\n$2\r\n22\r\n$1\r\nc\r\n$2\r\n43\r\n"),
      (&["ZDIFFSTORE", "d", "2", "z", "y"], ":2\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n"),
      (&["ZINTERSTORE", "d", "2", "z", "nokey"], ":0\r\n"),
      (&["EXISTS", "d"], ":0\r\n"),
      (&["ZUNIONSTORE", "str", "1", "z"], ":4\r\n"),
      (&["TYPE", "str"], "+zset\r\n"),
      (&["ZUNIONSTORE", "z", "2", "z", "y"], ":5\r\n"),
      (&["ZRANGE", "z", "0", "-1", "WITHSCORES"], "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\ne\r\n$2\r\n30\r\n"),
      (&["HELLO", "3"], ANY),
      (&["ZUNION", "2", "z", "y", "WITHSCORES"], "*5\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nb\r\n,22\r\n*2\r\n$1\r\nc\r\n,43\r\n*2\r\n$1\r\ne\r\n,60\r\n"),
      (&["ZINTER", "2", "z", "y"], "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\ne\r\n"),
      (&["ZDIFF", "1", "z", "WITHSCORES"], "*5\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nb\r\n,12\r\n*2\r\n$1\r\nc\r\n,23\r\n*2\r\n$1\r\ne\r\n,30\r\n"),
    ],
  );
}

#[test]
fn set_operation_scores_follow_redis_arithmetic() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "p", "inf", "a", "-inf", "b", "1", "c"], ":3\r\n"),
      (&["ZADD", "q", "-inf", "a", "inf", "b", "0", "c"], ":3\r\n"),
      (
        &["ZUNION", "2", "p", "q", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n1\r\n",
      ),
      (
        &["ZINTER", "2", "p", "q", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n1\r\n",
      ),
      (
        &["ZUNION", "2", "p", "q", "WEIGHTS", "0", "1", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$4\r\n-inf\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\nb\r\n$3\r\ninf\r\n",
      ),
      (
        &["ZINTER", "2", "p", "q", "WEIGHTS", "0", "0", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n",
      ),
      (
        &["ZINTER", "2", "p", "q", "WEIGHTS", "1", "0", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n1\r\n",
      ),
      (
        &["ZINTER", "2", "p", "q", "WEIGHTS", "1", "0", "AGGREGATE", "MIN", "WITHSCORES"],
        "*6\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\nc\r\n$1\r\n0\r\n$1\r\na\r\n$3\r\ninf\r\n",
      ),
      (
        &["ZUNION", "1", "p", "WEIGHTS", "-1", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$4\r\n-inf\r\n$1\r\nc\r\n$2\r\n-1\r\n$1\r\nb\r\n$3\r\ninf\r\n",
      ),
      (
        &["ZUNION", "1", "p", "WEIGHTS", "inf", "WITHSCORES"],
        "*6\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nc\r\n$3\r\ninf\r\n",
      ),
      (&["ZADD", "f1", "0.1", "a", "0.2", "b"], ":2\r\n"),
      (&["ZADD", "f2", "0.2", "a", "0.1", "b"], ":2\r\n"),
      (&["ZADD", "f3", "0.3", "a", "0.3", "b"], ":2\r\n"),
      (
        &["ZUNION", "3", "f1", "f2", "f3", "WITHSCORES"],
        "*4\r\n$1\r\na\r\n$19\r\n0.60000000000000009\r\n$1\r\nb\r\n$19\r\n0.60000000000000009\r\n",
      ),
      (
        &["ZUNION", "3", "f3", "f2", "f1", "WEIGHTS", "1.1", "2.2", "3.3", "WITHSCORES"],
        "*4\r\n$1\r\na\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$4\r\n1.21\r\n",
      ),
      (
        &["ZINTER", "3", "f1", "f2", "f3", "WITHSCORES"],
        "*4\r\n$1\r\na\r\n$19\r\n0.60000000000000009\r\n$1\r\nb\r\n$19\r\n0.60000000000000009\r\n",
      ),
    ],
  );
}

#[test]
fn set_operation_errors() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a"], ":1\r\n"),
      (&["ZUNION", "0", "z"], "-ERR at least 1 input key is needed for 'zunion' command\r\n"),
      (&["ZUNION", "-1", "z"], "-ERR at least 1 input key is needed for 'zunion' command\r\n"),
      (&["ZUNION", "x", "z"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZUNION", "2", "z"], "-ERR syntax error\r\n"),
      (&["ZUNION", "1", "z", "WEIGHTS"], "-ERR syntax error\r\n"),
      (&["ZUNION", "1", "z", "WEIGHTS", "x"], "-ERR weight value is not a float\r\n"),
      (&["ZUNION", "1", "z", "WEIGHTS", "1", "2"], "-ERR syntax error\r\n"),
      (&["ZUNION", "1", "z", "WEIGHTS", "nan"], "-ERR weight value is not a float\r\n"),
      (&["ZUNION", "1", "z", "AGGREGATE"], "-ERR syntax error\r\n"),
      (&["ZUNION", "1", "z", "AGGREGATE", "avg"], "-ERR syntax error\r\n"),
      (
        &["ZUNION", "1", "str", "WEIGHTS", "x"],
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
      ),
      (&["ZUNION", "2", "z", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZUNIONSTORE", "d", "0", "z"], "-ERR at least 1 input key is needed for 'zunionstore' command\r\n"),
      (&["ZUNIONSTORE", "d", "1", "z", "WITHSCORES"], "-ERR syntax error\r\n"),
      (&["ZINTERSTORE", "d", "2", "z"], "-ERR syntax error\r\n"),
      (&["ZINTERSTORE", "d", "9223372036854775807", "z"], "-ERR syntax error\r\n"),
      (&["ZDIFF", "1", "z", "WEIGHTS", "1"], "-ERR syntax error\r\n"),
      (&["ZDIFF", "1", "z", "AGGREGATE", "SUM"], "-ERR syntax error\r\n"),
      (&["ZDIFFSTORE", "d", "0", "z"], "-ERR at least 1 input key is needed for 'zdiffstore' command\r\n"),
      (&["ZINTER", "1", "z", "LIMIT", "1"], "-ERR syntax error\r\n"),
      (&["ZINTERCARD", "0", "z"], "-ERR at least 1 input key is needed for 'zintercard' command\r\n"),
      (&["ZINTERCARD", "2", "z"], "-ERR syntax error\r\n"),
      (&["ZINTERCARD", "1", "z", "LIMIT", "-1"], "-ERR LIMIT can't be negative\r\n"),
      (&["ZINTERCARD", "1", "z", "LIMIT", "x"], "-ERR LIMIT can't be negative\r\n"),
      (&["ZINTERCARD", "1", "z", "WITHSCORES"], "-ERR syntax error\r\n"),
      (&["ZINTERCARD", "1", "z", "WEIGHTS", "1"], "-ERR syntax error\r\n"),
      (&["ZINTERCARD", "1", "str"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZINTERCARD", "x", "z"], "-ERR value is not an integer or out of range\r\n"),
    ],
  );
}

#[test]
fn zscan_listpack() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["SET", "str", "v"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2.5", "b", "1e17", "c", "-inf", "d"], ":4\r\n"),
      (&["ZSCAN", "z", "0"], "*2\r\n$1\r\n0\r\n*8\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n"),
      (&["ZSCAN", "z", "0", "MATCH", "a*", "COUNT", "1"], "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (&["ZSCAN", "z", "0", "MATCH", "*", "COUNT", "100"], "*2\r\n$1\r\n0\r\n*8\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n"),
      (&["ZSCAN", "z", "5", "MATCH", "c"], "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n"),
      (&["ZSCAN", "z", ""], "*2\r\n$1\r\n0\r\n*8\r\n$1\r\nd\r\n$4\r\n-inf\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$18\r\n100000000000000000\r\n"),
      (&["ZSCAN", "nokey", "0"], "*2\r\n$1\r\n0\r\n*0\r\n"),
      (&["ZSCAN", "nokey", "0", "COUNT", "0"], "*2\r\n$1\r\n0\r\n*0\r\n"),
      (&["ZSCAN", "z", "x"], "-ERR invalid cursor\r\n"),
      (&["ZSCAN", "str", "x"], "-ERR invalid cursor\r\n"),
      (&["ZSCAN", "str", "0"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["ZSCAN", "z", "0", "COUNT", "0"], "-ERR syntax error\r\n"),
      (&["ZSCAN", "z", "0", "COUNT", "x"], "-ERR value is not an integer or out of range\r\n"),
      (&["ZSCAN", "z", "0", "MATCH"], "-ERR syntax error\r\n"),
      (&["ZSCAN", "z", "0", "TYPE", "zset"], "-ERR syntax error\r\n"),
      (&["ZSCAN", "z", "18446744073709551616"], "-ERR invalid cursor\r\n"),
    ],
  );
}

#[test]
fn encodings_convert_past_the_thresholds() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["CONFIG", "SET", "zset-max-listpack-entries", "4"], "+OK\r\n"),
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"], ":4\r\n"),
      (&["OBJECT", "ENCODING", "z"], "$8\r\nlistpack\r\n"),
      (&["ZADD", "z", "5", "e"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "z"], "$8\r\nskiplist\r\n"),
      (&["ZREM", "z", "a", "b", "c", "d"], ":4\r\n"),
      (&["OBJECT", "ENCODING", "z"], "$8\r\nskiplist\r\n"),
      (&["ZADD", "long", "1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "long"], "$8\r\nlistpack\r\n"),
      (&["ZADD", "long", "2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "long"], "$8\r\nskiplist\r\n"),
      (&["ZADD", "new", "1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "new"], "$8\r\nskiplist\r\n"),
      (&["ZADD", "s", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"], ":6\r\n"),
      (&["ZRANGESTORE", "d1", "s", "0", "3"], ":4\r\n"),
      (&["OBJECT", "ENCODING", "d1"], "$8\r\nlistpack\r\n"),
      (&["ZRANGESTORE", "d2", "s", "0", "4"], ":5\r\n"),
      (&["OBJECT", "ENCODING", "d2"], "$8\r\nskiplist\r\n"),
      (&["ZRANGESTORE", "d3", "s", "-inf", "4", "BYSCORE"], ":4\r\n"),
      (&["OBJECT", "ENCODING", "d3"], "$8\r\nlistpack\r\n"),
      (&["ZUNIONSTORE", "d4", "1", "s"], ":6\r\n"),
      (&["OBJECT", "ENCODING", "d4"], "$8\r\nskiplist\r\n"),
      (&["ZINTERSTORE", "d5", "2", "s", "d1"], ":4\r\n"),
      (&["OBJECT", "ENCODING", "d5"], "$8\r\nlistpack\r\n"),
      (&["ZDIFFSTORE", "d6", "2", "s", "d1"], ":2\r\n"),
      (&["OBJECT", "ENCODING", "d6"], "$8\r\nlistpack\r\n"),
      (&["ZUNIONSTORE", "d7", "1", "long"], ":2\r\n"),
      (&["OBJECT", "ENCODING", "d7"], "$8\r\nskiplist\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-entries", "0"], "+OK\r\n"),
      (&["ZADD", "zero", "1", "a"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "zero"], "$8\r\nskiplist\r\n"),
      (&["ZRANGESTORE", "d8", "s", "0", "0"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "d8"], "$8\r\nskiplist\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-entries", "128"], "+OK\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-value", "0"], "+OK\r\n"),
      (&["ZADD", "v0", "1", "a"], ":1\r\n"),
      (&["OBJECT", "ENCODING", "v0"], "$8\r\nskiplist\r\n"),
      (&["ZADD", "v1", "1", ""], ":1\r\n"),
      (&["OBJECT", "ENCODING", "v1"], "$8\r\nlistpack\r\n"),
      (&["CONFIG", "SET", "zset-max-listpack-value", "64"], "+OK\r\n"),
    ],
  );
}

#[test]
fn generic_commands_on_sorted_sets() {
  let mut c = Client::new();
  check(
    &mut c,
    &[
      (&["ZADD", "z", "1", "a", "2", "b", "3", "c"], ":3\r\n"),
      (&["TYPE", "z"], "+zset\r\n"),
      (&["OBJECT", "ENCODING", "z"], "$8\r\nlistpack\r\n"),
      (&["RENAME", "z", "z2"], "+OK\r\n"),
      (
        &["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
        "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
      ),
      (&["COPY", "z2", "z3"], ":1\r\n"),
      (&["ZADD", "z3", "4", "d"], ":1\r\n"),
      (&["ZCARD", "z2"], ":3\r\n"),
      (&["MOVE", "z3", "1"], ":1\r\n"),
      (&["EXISTS", "z3"], ":0\r\n"),
      (&["SELECT", "1"], "+OK\r\n"),
      (
        &["ZRANGE", "z3", "0", "-1", "WITHSCORES"],
        "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n",
      ),
      (&["SELECT", "0"], "+OK\r\n"),
      (&["EXPIRE", "z2", "100"], ":1\r\n"),
      (&["ZADD", "z2", "5", "e"], ":1\r\n"),
      (&["ZINCRBY", "z2", "1", "e"], "$1\r\n6\r\n"),
      (&["ZREM", "z2", "e"], ":1\r\n"),
      (&["ZPOPMIN", "z2"], "*2\r\n$1\r\na\r\n$1\r\n1\r\n"),
      (&["TTL", "z2"], ":100\r\n"),
      (&["ZRANGESTORE", "z2", "z2", "0", "0"], ":1\r\n"),
      (&["TTL", "z2"], ":-1\r\n"),
    ],
  );
}

#[test]
fn zrandmember_reply_too_large_for_the_output_limit_closes_the_connection() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"]);
  c.cmd(&["ZADD", "z", "1", "a"]);
  let output = c.engine.feed(c.slot, &common::encode(&[b"ZRANDMEMBER", b"z", b"-9223372036854775807"]));
  assert!(output.close);
  assert!(output.reply.is_empty());
}

#[test]
fn zrangestore_loses_the_sign_of_zero_where_redis_adds_through_a_listpack() {
  // As on Redis 7.0.15: members added while the destination is still compact (before the long
  // member converts it) store −0 as 0; later ones keep it.
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "zset-max-listpack-value", "16"]);
  let long = "x".repeat(20);
  c.cmd(&["ZADD", "src", "-0", "a", "-0", "b", "0", &long, "-0", "zz"]);
  c.cmd(&["HELLO", "3"]);
  assert_eq!(c.cmd(&["ZRANGESTORE", "dst", "src", "0", "-1"]), ":4\r\n");
  let expected = format!(
    "*4\r\n*2\r\n$1\r\na\r\n,0\r\n*2\r\n$1\r\nb\r\n,0\r\n*2\r\n$20\r\n{long}\r\n,0\r\n*2\r\n$2\r\nzz\r\n,-0\r\n"
  );
  assert_eq!(c.cmd(&["ZRANGE", "dst", "0", "-1", "WITHSCORES"]), expected);
}
