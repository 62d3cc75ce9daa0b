//! Byte-exact tests of the list commands, and of the blocking ones with several sessions.
//!
//! Every expected reply was recorded from redis-server 7.0.15. Blocking scenarios drive two or
//! three sessions of one engine: a blocked session's `feed` returns nothing, and its reply
//! shows up in the engine's outbox after the command that served it (or after `tick` once its
//! timeout passed).

mod common;
use common::{encode, Client};
use redwing_engine::config::Permission;
use redwing_engine::Peer;
use std::time::Duration;

/// Switches the session in `slot` to RESP3.
fn resp3(c: &mut Client, slot: u32) {
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

/// The client id of the session in `slot`.
fn client_id(c: &Client, slot: u32) -> String {
  c.engine.clients.session(slot).map(|s| s.id.to_string()).unwrap_or_default()
}

const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

#[test]
fn pushes_add_at_either_end_in_argument_order() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["LPUSH", "l", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["LPUSH", "l", "b", "c"]), ":3\r\n");
  assert_eq!(c.cmd(&["RPUSH", "l", "d", "e"]), ":5\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n");
  assert_eq!(c.cmd(&["LPUSHX", "l", "x"]), ":6\r\n");
  assert_eq!(c.cmd(&["RPUSHX", "l", "y", "z"]), ":8\r\n");
  assert_eq!(c.cmd(&["LPUSHX", "missing", "x"]), ":0\r\n");
  assert_eq!(c.cmd(&["RPUSHX", "missing", "x"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["LPUSH", "l"]), "-ERR wrong number of arguments for 'lpush' command\r\n");
  assert_eq!(c.cmd(&["LLEN", "l"]), ":8\r\n");
  assert_eq!(c.cmd(&["LLEN", "missing"]), ":0\r\n");

  // Binary-safe elements, short and long.
  let long = "x".repeat(100);
  assert_eq!(c.cmd_bytes(&[b"RPUSH", b"bin", b"\x00\xff", b"", long.as_bytes()]), ":3\r\n");
  assert_eq!(
    c.cmd(&["LRANGE", "bin", "0", "-1"]),
    format!("*3\r\n$2\r\n\u{0}\u{FFFD}\r\n$0\r\n\r\n$100\r\n{long}\r\n")
  );
}

#[test]
fn pops_with_and_without_count() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "a", "b", "c", "d", "e"]);
  assert_eq!(c.cmd(&["LPOP", "l"]), "$1\r\na\r\n");
  assert_eq!(c.cmd(&["RPOP", "l"]), "$1\r\ne\r\n");
  assert_eq!(c.cmd(&["LPOP", "l", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["LPOP", "l", "2"]), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  assert_eq!(c.cmd(&["RPOP", "l", "5"]), "*1\r\n$1\r\nd\r\n");
  assert_eq!(c.cmd(&["EXISTS", "l"]), ":0\r\n");
  assert_eq!(c.cmd(&["LPOP", "l"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LPOP", "l", "0"]), "*-1\r\n");
  assert_eq!(c.cmd(&["RPOP", "l", "3"]), "*-1\r\n");
  assert_eq!(c.cmd(&["LPOP", "l", "-1"]), "-ERR value is out of range, must be positive\r\n");
  assert_eq!(c.cmd(&["LPOP", "l", "x"]), "-ERR value is out of range, must be positive\r\n");
  assert_eq!(c.cmd(&["RPOP", "l", "1", "2"]), "-ERR wrong number of arguments for 'rpop' command\r\n");

  let slot = c.slot;
  resp3(&mut c, slot);
  assert_eq!(c.cmd(&["LPOP", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["LPOP", "missing", "0"]), "_\r\n");
  assert_eq!(c.cmd(&["RPOP", "missing", "1"]), "_\r\n");
  c.cmd(&["RPUSH", "l", "a"]);
  assert_eq!(c.cmd(&["LPOP", "l", "0"]), "*0\r\n");
}

#[test]
fn access_by_position() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "a", "b", "c", "d", "e", "f", "g"]);
  assert_eq!(c.cmd(&["LINDEX", "l", "0"]), "$1\r\na\r\n");
  assert_eq!(c.cmd(&["LINDEX", "l", "-1"]), "$1\r\ng\r\n");
  assert_eq!(c.cmd(&["LINDEX", "l", "7"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LINDEX", "l", "-8"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LINDEX", "l", "x"]), "-ERR value is not an integer or out of range\r\n");
  // The key is looked up before the index is parsed.
  assert_eq!(c.cmd(&["LINDEX", "missing", "x"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LINDEX", "l", "-9223372036854775808"]), "$-1\r\n");

  assert_eq!(c.cmd(&["LSET", "l", "0", "A"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LSET", "l", "-1", "G"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LSET", "l", "7", "v"]), "-ERR index out of range\r\n");
  assert_eq!(c.cmd(&["LSET", "l", "-8", "v"]), "-ERR index out of range\r\n");
  assert_eq!(c.cmd(&["LSET", "l", "x", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["LSET", "missing", "x", "v"]), "-ERR no such key\r\n");

  assert_eq!(c.cmd(&["LRANGE", "l", "2", "4"]), "*3\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "-2", "100"]), "*2\r\n$1\r\nf\r\n$1\r\nG\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "-100", "0"]), "*1\r\n$1\r\nA\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "5", "2"]), "*0\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "7", "10"]), "*0\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "-9223372036854775808", "9223372036854775807"]).lines().next(), Some("*7"));
  assert_eq!(c.cmd(&["LRANGE", "missing", "0", "-1"]), "*0\r\n");
  // The range is parsed before the key is looked up.
  assert_eq!(c.cmd(&["LRANGE", "missing", "x", "1"]), "-ERR value is not an integer or out of range\r\n");

  assert_eq!(c.cmd(&["LTRIM", "l", "1", "-2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
  assert_eq!(c.cmd(&["LTRIM", "l", "-100", "100"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LLEN", "l"]), ":5\r\n");
  assert_eq!(c.cmd(&["LTRIM", "missing", "0", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LTRIM", "missing", "x", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["LTRIM", "l", "3", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["EXISTS", "l"]), ":0\r\n");
}

#[test]
fn insert_and_remove_by_value() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "a", "b", "a", "c", "a"]);
  assert_eq!(c.cmd(&["LINSERT", "l", "BEFORE", "a", "x"]), ":6\r\n");
  assert_eq!(c.cmd(&["LINSERT", "l", "after", "a", "y"]), ":7\r\n");
  assert_eq!(c.cmd(&["LINSERT", "l", "AFTER", "nope", "z"]), ":-1\r\n");
  assert_eq!(c.cmd(&["LINSERT", "l", "middle", "a", "z"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LINSERT", "missing", "BEFORE", "a", "b"]), ":0\r\n");
  // The position keyword is compared as a C string.
  assert_eq!(c.cmd_bytes(&[b"LINSERT", b"missing", b"before\x00junk", b"a", b"b"]), ":0\r\n");
  assert_eq!(c.cmd(&["LINSERT", "missing", "sideways", "a", "b"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["LRANGE", "l", "0", "-1"]),
    "*7\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\ny\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\na\r\n"
  );
  assert_eq!(c.cmd(&["LREM", "l", "1", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["LREM", "l", "-1", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*5\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n");
  c.cmd(&["RPUSH", "l", "a", "a"]);
  assert_eq!(c.cmd(&["LREM", "l", "0", "a"]), ":3\r\n");
  assert_eq!(c.cmd(&["LREM", "l", "x", "a"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["LREM", "missing", "0", "a"]), ":0\r\n");
  for value in ["x", "y", "b"] {
    assert_eq!(c.cmd(&["LREM", "l", "-9223372036854775808", value]), ":1\r\n");
  }
  assert_eq!(c.cmd(&["LREM", "l", "0", "c"]), ":1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "l"]), ":0\r\n");
}

#[test]
fn lpos_ranks_counts_and_maxlen() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"]);
  assert_eq!(c.cmd(&["LPOS", "l", "a"]), ":0\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "zz"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "2"]), ":3\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "-1"]), ":6\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "4"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "-9223372036854775808"]), ":6\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "0"]), "*3\r\n:0\r\n:3\r\n:6\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "0", "RANK", "-1"]), "*3\r\n:6\r\n:3\r\n:0\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "2", "RANK", "2"]), "*2\r\n:3\r\n:6\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "2", "RANK", "2", "MAXLEN", "3"]), "*0\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "-1", "MAXLEN", "2"]), ":6\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "b", "RANK", "-1", "MAXLEN", "1"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "5", "COUNT", "1"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["LPOS", "l", "a", "RANK", "0"]),
    "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start \
     from the end of the list\r\n"
  );
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "-1"]), "-ERR COUNT can't be negative\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "x"]), "-ERR COUNT can't be negative\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "MAXLEN", "-1"]), "-ERR MAXLEN can't be negative\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LPOS", "l", "a", "FOO", "1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LPOS", "missing", "a"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LPOS", "missing", "a", "COUNT", "1"]), "*0\r\n");
  c.cmd(&["SET", "s", "v"]);
  // Options are validated before the key's type.
  assert!(c.cmd(&["LPOS", "s", "a", "RANK", "0"]).starts_with("-ERR RANK can't be zero"));
  assert_eq!(c.cmd(&["LPOS", "s", "a"]), WRONGTYPE);
}

#[test]
fn lmove_and_rpoplpush() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "src", "1", "2", "3"]);
  assert_eq!(c.cmd(&["LMOVE", "src", "dst", "LEFT", "RIGHT"]), "$1\r\n1\r\n");
  assert_eq!(c.cmd(&["LMOVE", "src", "dst", "RIGHT", "LEFT"]), "$1\r\n3\r\n");
  assert_eq!(c.cmd(&["LMOVE", "src", "dst", "left", "left"]), "$1\r\n2\r\n");
  assert_eq!(c.cmd(&["EXISTS", "src"]), ":0\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["LMOVE", "src", "dst", "LEFT", "RIGHT"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LMOVE", "src", "dst", "UP", "LEFT"]), "-ERR syntax error\r\n");
  // Rotation onto the same list.
  assert_eq!(c.cmd(&["LMOVE", "dst", "dst", "LEFT", "RIGHT"]), "$1\r\n2\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["RPOPLPUSH", "dst", "other"]), "$1\r\n2\r\n");
  assert_eq!(c.cmd(&["RPOPLPUSH", "missing", "other"]), "$-1\r\n");
  c.cmd(&["SET", "s", "v"]);
  assert_eq!(c.cmd(&["LMOVE", "dst", "s", "LEFT", "LEFT"]), WRONGTYPE);
  assert_eq!(c.cmd(&["LMOVE", "s", "dst", "LEFT", "LEFT"]), WRONGTYPE);
  // A missing source wins over a destination of the wrong type.
  assert_eq!(c.cmd(&["LMOVE", "missing", "s", "LEFT", "LEFT"]), "$-1\r\n");
  assert_eq!(c.cmd(&["LLEN", "dst"]), ":2\r\n");
  // The destination keeps its time to live; the emptied source goes.
  c.cmd(&["EXPIRE", "other", "1000"]);
  c.cmd(&["RPUSH", "one", "x"]);
  assert_eq!(c.cmd(&["RPOPLPUSH", "one", "other"]), "$1\r\nx\r\n");
  assert_eq!(c.cmd(&["TTL", "other"]), ":1000\r\n");
  assert_eq!(c.cmd(&["EXISTS", "one"]), ":0\r\n");
}

#[test]
fn lmpop_pops_from_the_first_nonempty_list() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "m1", "a", "b", "c"]);
  c.cmd(&["RPUSH", "m2", "d", "e", "f", "g"]);
  assert_eq!(c.cmd(&["LMPOP", "1", "m1", "LEFT"]), "*2\r\n$2\r\nm1\r\n*1\r\n$1\r\na\r\n");
  assert_eq!(
    c.cmd(&["LMPOP", "2", "missing", "m2", "RIGHT", "COUNT", "2"]),
    "*2\r\n$2\r\nm2\r\n*2\r\n$1\r\ng\r\n$1\r\nf\r\n"
  );
  assert_eq!(
    c.cmd(&["LMPOP", "2", "m1", "m2", "LEFT", "COUNT", "5"]),
    "*2\r\n$2\r\nm1\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "m1"]), ":0\r\n");
  assert_eq!(c.cmd(&["LMPOP", "2", "missing", "m1", "LEFT"]), "*-1\r\n");
  for (args, error) in [
    (&["LMPOP", "0", "m2", "LEFT"][..], "-ERR numkeys should be greater than 0\r\n"),
    (&["LMPOP", "x", "m2", "LEFT"], "-ERR numkeys should be greater than 0\r\n"),
    (&["LMPOP", "2", "m2", "LEFT"], "-ERR syntax error\r\n"),
    (&["LMPOP", "9223372036854775807", "m2", "LEFT"], "-ERR syntax error\r\n"),
    (&["LMPOP", "1", "m2", "MIDDLE"], "-ERR syntax error\r\n"),
    (&["LMPOP", "1", "m2", "LEFT", "COUNT", "0"], "-ERR count should be greater than 0\r\n"),
    (&["LMPOP", "1", "m2", "LEFT", "COUNT", "x"], "-ERR count should be greater than 0\r\n"),
    (&["LMPOP", "1", "m2", "LEFT", "COUNT", "1", "COUNT", "1"], "-ERR syntax error\r\n"),
    (&["LMPOP", "1", "m2", "LEFT", "COUNT"], "-ERR syntax error\r\n"),
    (&["LMPOP", "1", "m2"], "-ERR wrong number of arguments for 'lmpop' command\r\n"),
  ] {
    assert_eq!(c.cmd(args), error, "{args:?}");
  }
  c.cmd(&["SET", "s", "v"]);
  assert_eq!(c.cmd(&["LMPOP", "2", "missing", "s", "LEFT"]), WRONGTYPE);
  assert_eq!(c.cmd(&["LMPOP", "2", "m2", "s", "LEFT"]), "*2\r\n$2\r\nm2\r\n*1\r\n$1\r\nd\r\n");
  let slot = c.slot;
  resp3(&mut c, slot);
  assert_eq!(c.cmd(&["LMPOP", "1", "missing", "LEFT"]), "_\r\n");
}

#[test]
fn every_list_command_refuses_other_types() {
  let mut c = Client::new();
  c.cmd(&["SET", "s", "v"]);
  for args in [
    &["LPUSH", "s", "a"][..],
    &["RPUSH", "s", "a"],
    &["LPUSHX", "s", "a"],
    &["RPUSHX", "s", "a"],
    &["LPOP", "s"],
    &["RPOP", "s", "2"],
    &["LLEN", "s"],
    &["LINDEX", "s", "0"],
    &["LSET", "s", "0", "v"],
    &["LRANGE", "s", "0", "-1"],
    &["LTRIM", "s", "0", "-1"],
    &["LINSERT", "s", "BEFORE", "a", "b"],
    &["LREM", "s", "0", "a"],
    &["LPOS", "s", "a"],
    &["LMOVE", "s", "d", "LEFT", "LEFT"],
    &["RPOPLPUSH", "s", "d"],
    &["LMPOP", "1", "s", "LEFT"],
    &["BLPOP", "missing", "s", "0"],
    &["BRPOP", "s", "0"],
    &["BLMOVE", "s", "d", "LEFT", "LEFT", "0"],
    &["BRPOPLPUSH", "s", "d", "0"],
    &["BLMPOP", "0", "1", "s", "LEFT"],
  ] {
    assert_eq!(c.cmd(args), WRONGTYPE, "{args:?}");
  }
  assert_eq!(c.cmd(&["GET", "s"]), "$1\r\nv\r\n");
}

#[test]
fn modifications_keep_the_time_to_live() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "t", "a", "b", "c"]);
  c.cmd(&["EXPIRE", "t", "1000"]);
  for args in [
    &["LSET", "t", "0", "z"][..],
    &["LINSERT", "t", "AFTER", "z", "y"],
    &["LREM", "t", "0", "y"],
    &["LTRIM", "t", "0", "1"],
    &["LMOVE", "t", "t", "LEFT", "RIGHT"],
    &["RPUSHX", "t", "w"],
    &["LPOP", "t"],
  ] {
    assert!(!c.cmd(args).starts_with('-'), "{args:?}");
  }
  assert_eq!(c.cmd(&["TTL", "t"]), ":1000\r\n");
}

#[test]
fn generic_commands_on_lists() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c.cmd(&["RPUSH", "l", "a", "b", "c"]);
  c.cmd(&["RPUSH", "n", "1", "2", "3", "x"]);
  assert_eq!(c.cmd(&["TYPE", "l"]), "+list\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "l"]), "$9\r\nquicklist\r\n");
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST-VALUE", "l", "n"]),
    "*2\r\n+8bf72d812571eea9b927f3c11beb0c4165a6ff89\r\n+a7e0d1f4e14edac355ae5f87ac1038a4263fe314\r\n"
  );
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+74f9da925193ff32de69c78a3201d344a94000e4\r\n");
  assert!(c.cmd(&["MEMORY", "USAGE", "l"]).starts_with(':'));
  assert_eq!(c.cmd(&["RENAME", "l", "l2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["COPY", "l2", "l3"]), ":1\r\n");
  // The copy is independent of the original.
  assert_eq!(c.cmd(&["RPOP", "l3"]), "$1\r\nc\r\n");
  assert_eq!(c.cmd(&["LLEN", "l2"]), ":3\r\n");
  assert_eq!(c.cmd(&["MOVE", "l3", "1"]), ":1\r\n");
  c.cmd(&["SET", "s", "v"]);
  assert_eq!(c.cmd(&["SCAN", "0", "TYPE", "list"]).matches("$1\r\nn\r\n").count(), 1);
  assert!(!c.cmd(&["SCAN", "0", "TYPE", "list"]).contains("$1\r\ns\r\n"));
  assert_eq!(c.cmd(&["SELECT", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LRANGE", "l3", "0", "-1"]), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
}

// --- blocking -----------------------------------------------------------------------------

#[test]
fn blocking_pops_serve_at_once_when_data_is_there() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "a", "b", "c", "d"]);
  assert_eq!(c.cmd(&["BLPOP", "missing", "l", "0"]), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
  assert_eq!(c.cmd(&["BRPOP", "l", "0"]), "*2\r\n$1\r\nl\r\n$1\r\nd\r\n");
  assert_eq!(c.cmd(&["BLMOVE", "l", "dst", "LEFT", "RIGHT", "0"]), "$1\r\nb\r\n");
  assert_eq!(c.cmd(&["BRPOPLPUSH", "dst", "l", "0"]), "$1\r\nb\r\n");
  assert_eq!(
    c.cmd(&["BLMPOP", "0", "2", "missing", "l", "RIGHT", "COUNT", "5"]),
    "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "l", "dst"]), ":0\r\n");
  for (args, error) in [
    (&["BLPOP", "l", "-1"][..], "-ERR timeout is negative\r\n"),
    (&["BLPOP", "l", "abc"], "-ERR timeout is not a float or out of range\r\n"),
    (&["BLPOP", "l", "inf"], "-ERR timeout is negative\r\n"),
    (&["BLPOP", "l", "1e16"], "-ERR timeout is negative\r\n"),
    (&["BLMOVE", "l", "d", "LEFT", "UP", "0"], "-ERR syntax error\r\n"),
    (&["BLMOVE", "l", "d", "LEFT", "LEFT", "x"], "-ERR timeout is not a float or out of range\r\n"),
    (&["BLMPOP", "x", "1", "l", "LEFT"], "-ERR timeout is not a float or out of range\r\n"),
    // BLMPOP checks its timeout last.
    (&["BLMPOP", "-1", "1", "l", "FOO"], "-ERR syntax error\r\n"),
    (&["BLMPOP", "0", "0", "l", "LEFT"], "-ERR numkeys should be greater than 0\r\n"),
    (&["BLPOP", "l"], "-ERR wrong number of arguments for 'blpop' command\r\n"),
  ] {
    assert_eq!(c.cmd(args), error, "{args:?}");
  }
}

#[test]
fn a_push_wakes_a_blocked_client() {
  let mut c = Client::new();
  let b = c.other();
  assert_eq!(c.send_as(b, &["BLPOP", "l", "0"]), "");
  assert!(c.engine.blocking.is_blocked(b));
  assert_eq!(c.cmd(&["RPUSH", "other", "v"]), ":1\r\n");
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["LPUSH", "l", "x"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$1\r\nx\r\n".to_string())]);
  assert!(!c.engine.blocking.is_blocked(b));
  assert_eq!(c.cmd(&["EXISTS", "l"]), ":0\r\n");

  // A push into the same key of another database does not wake it.
  c.send_as(b, &["BRPOP", "l", "0"]);
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["RPUSH", "l", "db1"]);
  assert!(c.take_outbox().is_empty());
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["RPUSH", "l", "a", "b", "c"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$1\r\nc\r\n".to_string())]);
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
}

#[test]
fn first_blocked_is_first_served() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  c.send_as(b, &["BLPOP", "l", "0"]);
  c.send_as(d, &["BRPOP", "l", "0"]);
  c.cmd(&["RPUSH", "l", "first"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$5\r\nfirst\r\n".to_string())]);
  assert!(c.engine.blocking.is_blocked(d));
  c.cmd(&["RPUSH", "l", "second"]);
  assert_eq!(c.take_outbox(), [(d, "*2\r\n$1\r\nl\r\n$6\r\nsecond\r\n".to_string())]);

  // One push of several elements serves both waiters, in the order they blocked.
  c.send_as(d, &["BLPOP", "l", "0"]);
  c.send_as(b, &["BRPOP", "l", "0"]);
  assert_eq!(c.cmd(&["LPUSH", "l", "1", "2", "3"]), ":3\r\n");
  let mut replies = c.take_outbox();
  replies.sort();
  assert_eq!(
    replies,
    [(b, "*2\r\n$1\r\nl\r\n$1\r\n1\r\n".to_string()), (d, "*2\r\n$1\r\nl\r\n$1\r\n3\r\n".to_string())]
  );
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\n2\r\n");
}

#[test]
fn a_waiter_on_several_keys_takes_the_first_nonempty_in_argument_order() {
  let mut c = Client::new();
  let b = c.other();
  c.send_as(b, &["BLPOP", "k1", "k2", "k3", "0"]);
  c.cmd(&["RPUSH", "k3", "from-k3"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$2\r\nk3\r\n$7\r\nfrom-k3\r\n".to_string())]);
  c.cmd(&["RPUSH", "k3", "x"]);
  c.cmd(&["RPUSH", "k2", "y"]);
  assert_eq!(c.send_as(b, &["BLPOP", "k1", "k2", "k3", "0"]), "*2\r\n$2\r\nk2\r\n$1\r\ny\r\n");

  // BLMPOP waits the same way and takes up to COUNT elements.
  c.send_as(b, &["BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2"]);
  c.cmd(&["RPUSH", "m2", "1", "2", "3"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$2\r\nm2\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n".to_string())]);
}

#[test]
fn a_key_of_another_type_does_not_serve_a_list_waiter() {
  let mut c = Client::new();
  let b = c.other();
  c.send_as(b, &["BLPOP", "l", "0"]);
  c.cmd(&["SET", "l", "a-string"]);
  assert!(c.take_outbox().is_empty());
  assert!(c.engine.blocking.is_blocked(b));
  c.cmd(&["DEL", "l"]);
  c.cmd(&["RPUSH", "l", "a-list"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$6\r\na-list\r\n".to_string())]);

  // Several keys: the one that became a string is skipped.
  c.send_as(b, &["BLPOP", "k1", "k2", "0"]);
  c.cmd(&["SET", "k1", "str"]);
  c.cmd(&["RPUSH", "k2", "v"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$2\r\nk2\r\n$1\r\nv\r\n".to_string())]);
}

#[test]
fn blmove_waits_and_its_push_wakes_the_next_waiter() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  c.send_as(d, &["BLPOP", "dst", "0"]);
  c.send_as(b, &["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"]);
  c.cmd(&["RPUSH", "src", "chained"]);
  let mut replies = c.take_outbox();
  replies.sort();
  let mut expected =
    vec![(b, "$7\r\nchained\r\n".to_string()), (d, "*2\r\n$3\r\ndst\r\n$7\r\nchained\r\n".to_string())];
  expected.sort();
  assert_eq!(replies, expected);
  assert_eq!(c.cmd(&["EXISTS", "src", "dst"]), ":0\r\n");

  // Rotation of a list onto itself.
  c.send_as(b, &["BRPOPLPUSH", "ring", "ring", "0"]);
  c.cmd(&["RPUSH", "ring", "r1"]);
  assert_eq!(c.take_outbox(), [(b, "$2\r\nr1\r\n".to_string())]);
  assert_eq!(c.cmd(&["LRANGE", "ring", "0", "-1"]), "*1\r\n$2\r\nr1\r\n");

  // A destination of the wrong type ends the wait with WRONGTYPE; the element stays.
  c.send_as(b, &["BLMOVE", "src", "str", "LEFT", "RIGHT", "0"]);
  c.cmd(&["SET", "str", "v"]);
  assert!(c.take_outbox().is_empty());
  c.cmd(&["RPUSH", "src", "kept"]);
  assert_eq!(c.take_outbox(), [(b, WRONGTYPE.to_string())]);
  assert_eq!(c.cmd(&["LRANGE", "src", "0", "-1"]), "*1\r\n$4\r\nkept\r\n");
}

#[test]
fn timeouts_expire_on_tick() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  resp3(&mut c, d);
  c.send_as(b, &["BLPOP", "l", "0.05"]);
  c.send_as(d, &["BLMPOP", "0.05", "1", "l", "LEFT"]);
  let forever = c.other();
  c.send_as(forever, &["BRPOP", "l", "0"]);
  c.engine.tick();
  assert!(c.take_outbox().is_empty());
  std::thread::sleep(Duration::from_millis(80));
  c.engine.tick();
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string()), (d, "_\r\n".to_string())]);
  assert!(c.engine.blocking.is_blocked(forever));

  // BLMOVE and BRPOPLPUSH time out with a null array too, as in Redis 7.0.
  c.send_as(b, &["BLMOVE", "src", "dst", "LEFT", "LEFT", "0.01"]);
  c.send_as(d, &["BRPOPLPUSH", "src", "dst", "0.01"]);
  std::thread::sleep(Duration::from_millis(30));
  c.engine.tick();
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string()), (d, "_\r\n".to_string())]);

  // A push before the timeout serves the waiter.
  c.send_as(b, &["BLPOP", "q", "5"]);
  c.cmd(&["RPUSH", "q", "early"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nq\r\n$5\r\nearly\r\n".to_string())]);
}

#[test]
fn a_pipeline_after_a_blocking_command_waits_for_it() {
  let mut c = Client::new();
  let b = c.other();
  let mut pipeline = encode(&[b"BLPOP", b"l", b"0"]);
  pipeline.extend(encode(&[b"PING"]));
  pipeline.extend(encode(&[b"LLEN", b"l"]));
  assert!(c.engine.feed(b, &pipeline).reply.is_empty());
  assert!(c.engine.feed(b, &encode(&[b"ECHO", b"later"])).reply.is_empty());
  c.cmd(&["RPUSH", "l", "x", "y"]);
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$1\r\nx\r\n+PONG\r\n:1\r\n$5\r\nlater\r\n".to_string())]);
}

#[test]
fn a_disconnected_waiter_is_forgotten() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  c.send_as(b, &["BLPOP", "l", "0"]);
  c.send_as(d, &["BLPOP", "l", "0"]);
  c.engine.close(b);
  c.cmd(&["RPUSH", "l", "v"]);
  assert_eq!(c.take_outbox(), [(d, "*2\r\n$1\r\nl\r\n$1\r\nv\r\n".to_string())]);

  let e = c.other();
  c.send_as(e, &["BLPOP", "l", "0"]);
  c.engine.close(e);
  c.cmd(&["RPUSH", "l", "stays"]);
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$5\r\nstays\r\n");
}

#[test]
fn client_unblock_ends_a_wait() {
  let mut c = Client::new();
  let b = c.other();
  let id = client_id(&c, b);
  c.send_as(b, &["BLPOP", "l", "0"]);
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string())]);
  assert!(!c.engine.blocking.is_blocked(b));
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id]), ":0\r\n");

  c.send_as(b, &["BLMOVE", "l", "d", "LEFT", "LEFT", "0"]);
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id, "timeout"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string())]);

  c.send_as(b, &["BLMPOP", "0", "1", "l", "LEFT"]);
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id, "ERROR"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(b, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".to_string())]);
  // The session goes on with its next commands.
  assert_eq!(c.send_as(b, &["PING"]), "+PONG\r\n");

  for (args, reply) in [
    (vec!["CLIENT", "UNBLOCK", "999999"], ":0\r\n"),
    (vec!["CLIENT", "UNBLOCK", "-1"], ":0\r\n"),
    (vec!["CLIENT", "UNBLOCK", "x"], "-ERR value is not an integer or out of range\r\n"),
    (vec!["CLIENT", "UNBLOCK", "x", "foo"], "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"),
    (vec!["CLIENT", "UNBLOCK", &id, "foo"], "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"),
    (
      vec!["CLIENT", "UNBLOCK", &id, "TIMEOUT", "x"],
      "-ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP.\r\n",
    ),
    (vec!["CLIENT", "UNBLOCK"], "-ERR wrong number of arguments for 'client|unblock' command\r\n"),
  ] {
    assert_eq!(c.cmd(&args), reply, "{args:?}");
  }
}

#[test]
fn in_process_sessions_never_block() {
  let mut c = Client::new();
  let embedded = c.engine.open(Peer { fd: -1, origin: redwing_engine::Origin::Embedded, ..Peer::default() });
  let call = |c: &mut Client, args: &[&str]| {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    String::from_utf8_lossy(&c.engine.call(embedded, &args).reply).into_owned()
  };
  assert_eq!(call(&mut c, &["BLPOP", "l", "0"]), "*-1\r\n");
  assert_eq!(call(&mut c, &["BLMPOP", "0", "1", "l", "LEFT"]), "*-1\r\n");
  // Like a BLMOVE that may not block in Redis (inside MULTI): a null.
  assert_eq!(call(&mut c, &["BLMOVE", "l", "d", "LEFT", "LEFT", "0"]), "$-1\r\n");
  assert_eq!(call(&mut c, &["BRPOPLPUSH", "l", "d", "0"]), "$-1\r\n");
  c.cmd(&["RPUSH", "l", "v"]);
  assert_eq!(call(&mut c, &["BRPOP", "l", "0"]), "*2\r\n$1\r\nl\r\n$1\r\nv\r\n");
}

#[test]
fn blocked_clients_are_counted_and_flagged() {
  let mut c = Client::new();
  let (forever, timed) = (c.other(), c.other());
  c.send_as(forever, &["BLPOP", "q", "0"]);
  c.send_as(timed, &["BLPOP", "q", "100"]);
  let info = c.cmd(&["INFO", "clients"]);
  assert!(info.contains("blocked_clients:2\r\n"), "{info}");
  assert!(info.contains("clients_in_timeout_table:1\r\n"), "{info}");
  assert_eq!(c.cmd(&["CLIENT", "LIST"]).matches("flags=b ").count(), 2);
  c.cmd(&["RPUSH", "q", "a", "b"]);
  assert!(c.cmd(&["INFO", "clients"]).contains("blocked_clients:0\r\n"));
  assert_eq!(c.take_outbox().len(), 2);
}
