//! What the string commands report (see `signal.rs`): their keyspace events, the form they
//! take in the write stream, the changes they count, and WATCH exactness (a command that
//! changed nothing leaves a watched key alone). The expected sequences were observed on Redis
//! 7.0.15 (`psubscribe '__key*__:*'` and `redis-cli --replica`).

mod common;
use common::{check, events, watch_survives, Client, WRONGTYPE};
use redwing_engine::server::now_ms;

/// A client listening to the event `classes` and recording the write stream, with a list `l`
/// to provoke WRONGTYPE errors.
fn observed(classes: &str) -> (Client, u32) {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "x"]);
  let listener = c.observe(classes);
  (c, listener)
}

/// Runs a command whose write carries an absolute time computed from now: checks its reply and
/// events, and that it wrote the single line `prefix <ms>` with `ms` within `relative_ms` of
/// the time it ran.
fn check_timed(
  c: &mut Client,
  listener: u32,
  command: &[&str],
  reply: &str,
  sent: &[(&str, &str)],
  prefix: &str,
  relative_ms: i64,
) {
  let before = now_ms();
  assert_eq!(c.cmd(command), reply, "{command:?}");
  let after = now_ms();
  assert_eq!(c.events(listener), events(sent), "events of {command:?}");
  let wrote = c.writes();
  assert_eq!(wrote.len(), 1, "writes of {command:?}: {wrote:?}");
  let at = wrote[0].strip_prefix(&format!("0: {prefix} ")).unwrap_or_else(|| panic!("{wrote:?}"));
  let at: i64 = at.parse().unwrap();
  assert!(at >= before + relative_ms && at <= after + relative_ms, "{command:?}: {at}");
}

#[test]
fn set_reports_set_then_expire() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["SET", "k", "v"], "+OK\r\n", &[("k", "set")], &["SET k v"], 1);
  // The same value again is still a write.
  check(&mut c, l, &["SET", "k", "v"], "+OK\r\n", &[("k", "set")], &["SET k v"], 1);
  // Any expire option becomes an absolute PXAT, and the other options go with it.
  check(
    &mut c,
    l,
    &["SET", "k", "v", "XX", "GET", "EXAT", "4000000000"],
    "$1\r\nv\r\n",
    &[("k", "set"), ("k", "expire")],
    &["SET k v PXAT 4000000000000"],
    1,
  );
  check(
    &mut c,
    l,
    &["set", "k", "w", "pxat", "4000000000001"],
    "+OK\r\n",
    &[("k", "set"), ("k", "expire")],
    &["SET k w PXAT 4000000000001"],
    1,
  );
  let set_expire = [("k", "set"), ("k", "expire")];
  check_timed(&mut c, l, &["SET", "k", "v", "EX", "100"], "+OK\r\n", &set_expire, "SET k v PXAT", 100_000);
  check_timed(&mut c, l, &["SET", "k", "v2", "PX", "5000", "GET"], "$1\r\nv\r\n", &set_expire, "SET k v2 PXAT", 5000);
  check_timed(
    &mut c,
    l,
    &["SET", "n", "12", "NX", "GET", "PX", "5000"],
    "$-1\r\n",
    &[("n", "set"), ("n", "expire")],
    "SET n 12 PXAT",
    5000,
  );
  // Without an expire time, only GET (however often given) is dropped.
  check(&mut c, l, &["SET", "k", "v3", "GET"], "$2\r\nv2\r\n", &[("k", "set")], &["SET k v3"], 1);
  check(
    &mut c,
    l,
    &["SET", "k", "v4", "get", "XX", "KEEPTTL", "Get"],
    "$2\r\nv3\r\n",
    &[("k", "set")],
    &["SET k v4 XX KEEPTTL"],
    1,
  );
  check(&mut c, l, &["SET", "k", "v5", "XX", "KEEPTTL"], "+OK\r\n", &[("k", "set")], &["SET k v5 XX KEEPTTL"], 1);
  // A time already past is set all the same; the key expires when next looked up.
  check(
    &mut c,
    l,
    &["SET", "p", "v", "PXAT", "1"],
    "+OK\r\n",
    &[("p", "set"), ("p", "expire")],
    &["SET p v PXAT 1"],
    1,
  );
  check(&mut c, l, &["GET", "p"], "$-1\r\n", &[("p", "expired")], &["DEL p"], 0);
}

#[test]
fn set_that_does_not_write_reports_nothing() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["SET", "k", "w", "NX"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["SET", "k", "w", "NX", "GET", "KEEPTTL"], "$1\r\nv\r\n", &[], &[], 0);
  check(&mut c, l, &["SET", "missing", "w", "XX"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["SET", "missing", "w", "XX", "GET", "EX", "10"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["SET", "l", "w", "GET"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["SET", "k", "w", "EX", "0"], "-ERR invalid expire time in 'set' command\r\n", &[], &[], 0);
  check(&mut c, l, &["SET", "k", "w", "NX", "XX"], "-ERR syntax error\r\n", &[], &[], 0);
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
}

#[test]
fn setnx_setex_and_psetex() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["SETNX", "k", "x"], ":1\r\n", &[("k", "set")], &["SETNX k x"], 1);
  check(&mut c, l, &["SETNX", "k", "y"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SETNX", "l", "y"], ":0\r\n", &[], &[], 0);
  let set_expire = [("k", "set"), ("k", "expire")];
  check_timed(&mut c, l, &["SETEX", "k", "100", "v"], "+OK\r\n", &set_expire, "SET k v PXAT", 100_000);
  check_timed(&mut c, l, &["PSETEX", "k", "2500", "w"], "+OK\r\n", &set_expire, "SET k w PXAT", 2500);
  // SETEX replaces a value of any type.
  check_timed(&mut c, l, &["SETEX", "l", "1", "s"], "+OK\r\n", &[("l", "set"), ("l", "expire")], "SET l s PXAT", 1000);
  check(&mut c, l, &["SETEX", "k", "-1", "v"], "-ERR invalid expire time in 'setex' command\r\n", &[], &[], 0);
  check(&mut c, l, &["PSETEX", "k", "0", "v"], "-ERR invalid expire time in 'psetex' command\r\n", &[], &[], 0);
  check(&mut c, l, &["SETEX", "k", "x", "v"], "-ERR value is not an integer or out of range\r\n", &[], &[], 0);
}

#[test]
fn getset_is_replayed_as_set() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["GETSET", "k", "a"], "$-1\r\n", &[("k", "set")], &["SET k a"], 1);
  c.cmd(&["EXPIRE", "k", "100"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETSET", "k", "a"], "$1\r\na\r\n", &[("k", "set")], &["SET k a"], 1);
  assert_eq!(c.cmd(&["TTL", "k"]), ":-1\r\n");
  check(&mut c, l, &["GETSET", "l", "a"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn getdel_is_replayed_as_a_user_deletion() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETDEL", "k"], "$1\r\nv\r\n", &[("k", "del")], &["DEL k"], 1);
  check(&mut c, l, &["GETDEL", "k"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["GETDEL", "l"], WRONGTYPE, &[], &[], 0);
  // Deletions users ask for are freed lazily with lazyfree-lazy-user-del, which replicas see.
  c.cmd(&["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"]);
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETDEL", "k"], "$1\r\nv\r\n", &[("k", "del")], &["UNLINK k"], 1);
}

#[test]
fn getex_is_replayed_as_what_it_did_to_the_time_to_live() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETEX", "k"], "$1\r\nv\r\n", &[], &[], 0);
  // PERSIST without a time to live to remove changes nothing.
  check(&mut c, l, &["GETEX", "k", "PERSIST"], "$1\r\nv\r\n", &[], &[], 0);
  check_timed(&mut c, l, &["GETEX", "k", "EX", "100"], "$1\r\nv\r\n", &[("k", "expire")], "PEXPIREAT k", 100_000);
  check_timed(&mut c, l, &["GETEX", "k", "PX", "100"], "$1\r\nv\r\n", &[("k", "expire")], "PEXPIREAT k", 100);
  check(
    &mut c,
    l,
    &["GETEX", "k", "EXAT", "4000000000"],
    "$1\r\nv\r\n",
    &[("k", "expire")],
    &["PEXPIREAT k 4000000000000"],
    1,
  );
  check(
    &mut c,
    l,
    &["GETEX", "k", "PXAT", "4000000000001"],
    "$1\r\nv\r\n",
    &[("k", "expire")],
    &["PEXPIREAT k 4000000000001"],
    1,
  );
  check(&mut c, l, &["GETEX", "k", "PERSIST"], "$1\r\nv\r\n", &[("k", "persist")], &["PERSIST k"], 1);
  check(&mut c, l, &["GETEX", "k", "PERSIST"], "$1\r\nv\r\n", &[], &[], 0);
  // A time already past deletes the key, replayed as an expiry deletes (lazyfree-lazy-expire).
  check(&mut c, l, &["GETEX", "k", "EXAT", "1"], "$1\r\nv\r\n", &[("k", "del")], &["DEL k"], 1);
  check(&mut c, l, &["GETEX", "k", "EXAT", "1"], "$-1\r\n", &[], &[], 0);
  c.cmd(&["CONFIG", "SET", "lazyfree-lazy-expire", "yes"]);
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETEX", "k", "PXAT", "1"], "$1\r\nv\r\n", &[("k", "del")], &["UNLINK k"], 1);
  // Failures.
  c.cmd(&["SET", "k", "v"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GETEX", "missing", "EX", "10"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["GETEX", "k", "EX", "0"], "-ERR invalid expire time in 'getex' command\r\n", &[], &[], 0);
  check(&mut c, l, &["GETEX", "k", "EX", "1", "PERSIST"], "-ERR syntax error\r\n", &[], &[], 0);
  check(&mut c, l, &["GETEX", "l", "PERSIST"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn append_and_setrange() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["APPEND", "a", "x"], ":1\r\n", &[("a", "append")], &["APPEND a x"], 1);
  // Appending nothing is a write all the same (and creates an empty string).
  check(&mut c, l, &["APPEND", "a", ""], ":1\r\n", &[("a", "append")], &["APPEND a "], 1);
  check(&mut c, l, &["APPEND", "b", ""], ":0\r\n", &[("b", "append")], &["APPEND b "], 1);
  assert_eq!(c.cmd(&["EXISTS", "b"]), ":1\r\n");
  check(&mut c, l, &["APPEND", "l", "x"], WRONGTYPE, &[], &[], 0);
  // An empty SETRANGE is no write at all.
  check(&mut c, l, &["SETRANGE", "a", "0", ""], ":1\r\n", &[], &[], 0);
  check(&mut c, l, &["SETRANGE", "c", "0", ""], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SETRANGE", "a", "1", "Z"], ":2\r\n", &[("a", "setrange")], &["SETRANGE a 1 Z"], 1);
  check(&mut c, l, &["SETRANGE", "a", "0", "x"], ":2\r\n", &[("a", "setrange")], &["SETRANGE a 0 x"], 1);
  check(&mut c, l, &["SETRANGE", "c", "2", "Z"], ":3\r\n", &[("c", "setrange")], &["SETRANGE c 2 Z"], 1);
  check(&mut c, l, &["SETRANGE", "l", "0", "x"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["SETRANGE", "a", "-1", "x"], "-ERR offset is out of range\r\n", &[], &[], 0);
  c.cmd(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]);
  let too_long = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
  check(&mut c, l, &["SETRANGE", "a", "1048576", "x"], too_long, &[], &[], 0);
}

#[test]
fn counters() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["INCR", "n"], ":1\r\n", &[("n", "incrby")], &["INCR n"], 1);
  check(&mut c, l, &["DECR", "n"], ":0\r\n", &[("n", "incrby")], &["DECR n"], 1);
  check(&mut c, l, &["INCRBY", "n", "5"], ":5\r\n", &[("n", "incrby")], &["INCRBY n 5"], 1);
  check(&mut c, l, &["DECRBY", "n", "2"], ":3\r\n", &[("n", "incrby")], &["DECRBY n 2"], 1);
  // Adding 0 is a write all the same.
  check(&mut c, l, &["INCRBY", "n", "0"], ":3\r\n", &[("n", "incrby")], &["INCRBY n 0"], 1);
  c.cmd(&["SET", "s", "abc"]);
  c.cmd(&["SET", "max", "9223372036854775807"]);
  c.events(l);
  c.writes();
  let not_integer = "-ERR value is not an integer or out of range\r\n";
  check(&mut c, l, &["INCR", "s"], not_integer, &[], &[], 0);
  check(&mut c, l, &["INCRBY", "n", "x"], not_integer, &[], &[], 0);
  check(&mut c, l, &["INCR", "max"], "-ERR increment or decrement would overflow\r\n", &[], &[], 0);
  check(&mut c, l, &["DECR", "l"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn incrbyfloat_is_replayed_as_set_of_its_result() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["INCRBYFLOAT", "f", "1.5"], "$3\r\n1.5\r\n", &[("f", "incrbyfloat")], &["SET f 1.5 KEEPTTL"], 1);
  c.cmd(&["SET", "f", "10", "EX", "100"]);
  c.events(l);
  c.writes();
  check(
    &mut c,
    l,
    &["INCRBYFLOAT", "f", "0.25"],
    "$5\r\n10.25\r\n",
    &[("f", "incrbyfloat")],
    &["SET f 10.25 KEEPTTL"],
    1,
  );
  assert_eq!(c.cmd(&["TTL", "f"]), ":100\r\n");
  check(
    &mut c,
    l,
    &["INCRBYFLOAT", "f", "1e1"],
    "$5\r\n20.25\r\n",
    &[("f", "incrbyfloat")],
    &["SET f 20.25 KEEPTTL"],
    1,
  );
  c.cmd(&["SET", "s", "abc"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["INCRBYFLOAT", "s", "1"], "-ERR value is not a valid float\r\n", &[], &[], 0);
  check(&mut c, l, &["INCRBYFLOAT", "f", "x"], "-ERR value is not a valid float\r\n", &[], &[], 0);
  check(&mut c, l, &["INCRBYFLOAT", "f", "inf"], "-ERR increment would produce NaN or Infinity\r\n", &[], &[], 0);
  check(&mut c, l, &["INCRBYFLOAT", "l", "1"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn mset_and_msetnx_report_each_key() {
  let (mut c, l) = observed("KEA");
  let sets = [("m1", "set"), ("m2", "set"), ("m1", "set")];
  check(&mut c, l, &["MSET", "m1", "a", "m2", "b", "m1", "c"], "+OK\r\n", &sets, &["MSET m1 a m2 b m1 c"], 3);
  check(&mut c, l, &["MSETNX", "m1", "a", "m3", "b"], ":0\r\n", &[], &[], 0);
  let sets = [("m3", "set"), ("m4", "set"), ("m3", "set")];
  check(&mut c, l, &["MSETNX", "m3", "a", "m4", "b", "m3", "c"], ":1\r\n", &sets, &["MSETNX m3 a m4 b m3 c"], 3);
  // MSET overwrites a key of any type.
  check(&mut c, l, &["MSET", "l", "x"], "+OK\r\n", &[("l", "set")], &["MSET l x"], 1);
  check(&mut c, l, &["MSET", "m1", "a", "m2"], "-ERR wrong number of arguments for 'mset' command\r\n", &[], &[], 0);
}

#[test]
fn new_events_come_before_each_created_key_is_reported() {
  let (mut c, l) = observed("KEAn");
  check(
    &mut c,
    l,
    &["SET", "k", "v", "PXAT", "4000000000000"],
    "+OK\r\n",
    &[("k", "new"), ("k", "set"), ("k", "expire")],
    &["SET k v PXAT 4000000000000"],
    1,
  );
  check(
    &mut c,
    l,
    &["MSET", "x", "1", "k", "2", "y", "3"],
    "+OK\r\n",
    &[("x", "new"), ("x", "set"), ("k", "set"), ("y", "new"), ("y", "set")],
    &["MSET x 1 k 2 y 3"],
    3,
  );
  let created = [("a", "new"), ("a", "append")];
  check(&mut c, l, &["APPEND", "a", "x"], ":1\r\n", &created, &["APPEND a x"], 1);
  let created = [("r", "new"), ("r", "setrange")];
  check(&mut c, l, &["SETRANGE", "r", "1", "x"], ":2\r\n", &created, &["SETRANGE r 1 x"], 1);
  let created = [("n", "new"), ("n", "incrby")];
  check(&mut c, l, &["INCR", "n"], ":1\r\n", &created, &["INCR n"], 1);
  let created = [("f", "new"), ("f", "incrbyfloat")];
  check(&mut c, l, &["INCRBYFLOAT", "f", "1"], "$1\r\n1\r\n", &created, &["SET f 1 KEEPTTL"], 1);
  let created = [("g", "new"), ("g", "set")];
  check(&mut c, l, &["GETSET", "g", "1"], "$-1\r\n", &created, &["SET g 1"], 1);
}

#[test]
fn writes_over_an_expired_key_come_after_its_expiry() {
  // As on Redis 7.0.15 with active expiry off: the lookup before the write deletes the key,
  // and the write creates it anew.
  let (mut c, l) = observed("KEA");
  for command in [&["SET", "e", "w"][..], &["MSET", "e", "w"], &["MSETNX", "e", "w"], &["SETNX", "e", "w"]] {
    c.cmd(&["SET", "e", "v", "PXAT", "1"]);
    c.events(l);
    c.writes();
    let reply = if command[0] == "MSETNX" || command[0] == "SETNX" { ":1\r\n" } else { "+OK\r\n" };
    let wrote = ["MULTI".to_string(), "DEL e".into(), command.join(" "), "EXEC".into()];
    let wrote: Vec<&str> = wrote.iter().map(String::as_str).collect();
    check(&mut c, l, command, reply, &[("e", "expired"), ("e", "set")], &wrote, 1);
  }
  for (command, event, reply) in [
    (&["INCR", "e"][..], "incrby", ":1\r\n"),
    (&["APPEND", "e", "w"], "append", ":1\r\n"),
    (&["GETSET", "e", "w"], "set", "$-1\r\n"),
  ] {
    c.cmd(&["SET", "e", "v", "PXAT", "1"]);
    c.events(l);
    c.writes();
    let wrote = if command[0] == "GETSET" { "SET e w".to_string() } else { command.join(" ") };
    let wrote = ["MULTI", "DEL e", &wrote, "EXEC"];
    check(&mut c, l, command, reply, &[("e", "expired"), ("e", event)], &wrote, 1);
  }
}

#[test]
fn read_only_commands_report_nothing() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "hello"]);
  c.cmd(&["SET", "j", "help"]);
  c.events(l);
  c.writes();
  check(&mut c, l, &["GET", "k"], "$5\r\nhello\r\n", &[], &[], 0);
  check(&mut c, l, &["MGET", "k", "missing", "l"], "*3\r\n$5\r\nhello\r\n$-1\r\n$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["STRLEN", "k"], ":5\r\n", &[], &[], 0);
  check(&mut c, l, &["GETRANGE", "k", "0", "1"], "$2\r\nhe\r\n", &[], &[], 0);
  check(&mut c, l, &["SUBSTR", "k", "0", "1"], "$2\r\nhe\r\n", &[], &[], 0);
  check(&mut c, l, &["LCS", "k", "j"], "$3\r\nhel\r\n", &[], &[], 0);
  check(&mut c, l, &["GETEX", "k"], "$5\r\nhello\r\n", &[], &[], 0);
}

#[test]
fn watch_is_broken_only_by_real_writes() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "x"]);
  let unchanged: &[&[&str]] = &[
    &["GET", "k"],
    &["MGET", "k", "l"],
    &["STRLEN", "k"],
    &["GETRANGE", "k", "0", "-1"],
    &["LCS", "k", "l2"],
    &["SET", "k", "w", "NX"],
    &["SET", "k", "w", "NX", "GET"],
    &["SET", "k", "w", "EX", "0"],
    &["SET", "k", "w", "EX", "10", "KEEPTTL"],
    &["SETNX", "k", "w"],
    &["SETEX", "k", "0", "w"],
    &["MSETNX", "other", "w", "k", "w"],
    &["GETEX", "k"],
    &["GETEX", "k", "PERSIST"],
    &["GETEX", "k", "EX", "-1"],
    &["SETRANGE", "k", "0", ""],
    &["SETRANGE", "k", "-1", "x"],
    &["INCR", "k"],
    &["INCRBYFLOAT", "k", "x"],
    &["APPEND", "k", "x", "y"],
  ];
  for command in unchanged {
    c.cmd(&["SET", "k", "v"]);
    assert!(watch_survives(&mut c, "k", command), "{command:?} broke the watch");
  }
  // Writes to other keys leave `k` alone.
  for command in [&["SET", "x", "v"][..], &["MSET", "x", "1", "y", "2"], &["INCR", "z"], &["GETDEL", "x"]] {
    assert!(watch_survives(&mut c, "k", command), "{command:?} broke the watch");
  }
  // Missing keys stay missing.
  for command in [&["SET", "missing", "v", "XX"][..], &["GETDEL", "missing"], &["GETEX", "missing", "EX", "1"]] {
    assert!(watch_survives(&mut c, "missing", command), "{command:?} broke the watch");
  }
  // Failed writes on a key of another type.
  for command in [&["SET", "l", "v", "GET"][..], &["GETSET", "l", "v"], &["APPEND", "l", "v"], &["INCR", "l"]] {
    assert!(watch_survives(&mut c, "l", command), "{command:?} broke the watch");
  }

  let changed: &[&[&str]] = &[
    &["SET", "k", "v"],
    &["SET", "k", "v", "XX", "KEEPTTL"],
    &["SET", "k", "v", "GET"],
    &["SET", "k", "v", "PXAT", "4000000000000"],
    &["SETEX", "k", "100", "v"],
    &["PSETEX", "k", "100000", "v"],
    &["GETSET", "k", "v"],
    &["GETDEL", "k"],
    &["GETEX", "k", "EX", "100"],
    &["GETEX", "k", "PXAT", "1"],
    &["APPEND", "k", ""],
    &["SETRANGE", "k", "0", "v"],
    &["MSET", "x", "1", "k", "v"],
    &["INCRBYFLOAT", "n", "0"],
    &["INCRBY", "n", "0"],
  ];
  for command in changed {
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["SET", "n", "1"]);
    let key = if command[1] == "n" { "n" } else { "k" };
    assert!(!watch_survives(&mut c, key, command), "{command:?} left the watch alone");
  }
  // A time to live removed, and keys created.
  c.cmd(&["SET", "k", "v", "EX", "100"]);
  assert!(!watch_survives(&mut c, "k", &["GETEX", "k", "PERSIST"]));
  for command in
    [&["SETNX", "new1", "v"][..], &["MSETNX", "new2", "v"], &["INCR", "new3"], &["SETRANGE", "new4", "1", "v"]]
  {
    assert!(!watch_survives(&mut c, command[1], command), "{command:?} left the watch alone");
  }
}

#[test]
fn an_expired_key_written_over_is_expired_then_new() {
  let (mut c, l) = observed("KEAn");
  for command in [&["SET", "e", "w"][..], &["MSET", "e", "w"], &["INCR", "e"]] {
    c.cmd(&["SET", "e", "1", "PXAT", "1"]);
    c.events(l);
    c.writes();
    let event = if command[0] == "INCR" { "incrby" } else { "set" };
    let sent = [("e", "expired"), ("e", "new"), ("e", event)];
    let wrote = ["MULTI".to_string(), "DEL e".into(), command.join(" "), "EXEC".into()];
    let wrote: Vec<&str> = wrote.iter().map(String::as_str).collect();
    check(&mut c, l, command, if event == "set" { "+OK\r\n" } else { ":1\r\n" }, &sent, &wrote, 1);
  }
}

#[test]
fn rewritten_commands_inside_a_transaction() {
  let (mut c, l) = observed("KEA");
  for command in [
    &["MULTI"][..],
    &["SET", "k", "v", "EXAT", "4000000000"],
    &["INCRBYFLOAT", "f", "1"],
    &["SET", "k", "v", "NX"],
    &["GETEX", "k", "PERSIST"],
    &["GETDEL", "missing"],
  ] {
    c.cmd(command);
  }
  let sent = [("k", "set"), ("k", "expire"), ("f", "incrbyfloat"), ("k", "persist")];
  let wrote = ["MULTI", "SET k v PXAT 4000000000000", "SET f 1 KEEPTTL", "PERSIST k", "EXEC"];
  check(&mut c, l, &["EXEC"], "*5\r\n+OK\r\n$1\r\n1\r\n$-1\r\n$1\r\nv\r\n$-1\r\n", &sent, &wrote, 3);
}
