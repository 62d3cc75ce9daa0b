//! Byte-exact tests of the string commands (GET/SET family, MGET/MSET, counters, ranges,
//! APPEND, LCS) and of the `long_double` arithmetic behind INCRBYFLOAT.
//!
//! Every expected reply was recorded from redis-server 7.0.15; time-dependent effects (TTLs)
//! and encodings are checked on the keyspace directly.

mod common;
use common::{encode, Client};
use redwing_engine::long_double::LongDouble;
use redwing_engine::server::now_ms;

/// Switches the client's connection to RESP3 (what HELLO 3 does).
fn resp3(c: &mut Client) {
  let slot = c.slot;
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

/// The key's absolute expiry time in ms (-1 without one), or `None` when it does not exist.
fn expire_at(c: &Client, key: &str) -> Option<i64> {
  let db = &c.engine.keyspace.dbs[0];
  db.position(key.as_bytes()).map(|pos| db.expire_at(pos))
}

/// The key's OBJECT ENCODING.
fn encoding(c: &Client, key: &str) -> Option<&'static str> {
  let db = &c.engine.keyspace.dbs[0];
  db.position(key.as_bytes()).map(|pos| db.entry_at(pos).value.encoding())
}

/// GET and SET on plain, empty, binary and integer values, and keys with NUL bytes.
#[test]
fn get_and_set_are_binary_safe() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "foo", "bar"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "foo"]), "$3\r\nbar\r\n");
  assert_eq!(c.cmd(&["GET", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "foo", "baz"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "foo"]), "$3\r\nbaz\r\n");
  assert_eq!(c.cmd(&["SET", "", "empty-key"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", ""]), "$9\r\nempty-key\r\n");
  assert_eq!(c.cmd(&["SET", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "empty"]), "$0\r\n\r\n");
  assert_eq!(c.raw(&encode(&[b"SET", b"binary", b"\x00\x01\xff\r\n\x80end"])), b"+OK\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"GET", b"binary"])), b"$9\r\n\x00\x01\xff\r\n\x80end\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"SET", b"key\x00with nul", b"v"])), b"+OK\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"GET", b"key\x00with nul"])), b"$1\r\nv\r\n".to_vec());
  assert_eq!(c.cmd(&["GET", "key"]), "$-1\r\n");
  assert_eq!(c.cmd(&["get", "foo"]), "$3\r\nbaz\r\n");
  assert_eq!(c.cmd(&["sEt", "foo", "V2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "foo"]), "$2\r\nV2\r\n");
  assert_eq!(c.cmd(&["SET", "n", "12345"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$5\r\n12345\r\n");
  assert_eq!(c.cmd(&["SET", "n", "-9223372036854775808"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$20\r\n-9223372036854775808\r\n");
}

/// SET's NX, XX and GET options, alone and combined, in any case.
#[test]
fn set_nx_xx_and_get() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "s1", "v1", "NX"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v2", "NX"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "s1"]), "$2\r\nv1\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v3", "XX"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "s1"]), "$2\r\nv3\r\n");
  assert_eq!(c.cmd(&["SET", "s2", "v", "XX"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "s2"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v4", "GET"]), "$2\r\nv3\r\n");
  assert_eq!(c.cmd(&["GET", "s1"]), "$2\r\nv4\r\n");
  assert_eq!(c.cmd(&["SET", "s3", "v", "GET"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "s3"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v5", "NX", "GET"]), "$2\r\nv4\r\n");
  assert_eq!(c.cmd(&["GET", "s1"]), "$2\r\nv4\r\n");
  assert_eq!(c.cmd(&["SET", "s4", "v", "NX", "GET"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "s4"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v6", "XX", "GET"]), "$2\r\nv4\r\n");
  assert_eq!(c.cmd(&["SET", "s5", "v", "XX", "GET"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "s5"]), "$-1\r\n");
  assert_eq!(c.cmd(&["set", "s1", "v7", "nx"]), "$-1\r\n");
  assert_eq!(c.cmd(&["set", "s1", "v8", "xx", "get"]), "$2\r\nv6\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v9", "NX", "NX"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v10", "GET", "GET"]), "$2\r\nv8\r\n");
  assert_eq!(c.cmd(&["SET", "s1", "v11", "XX", "XX"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "s1"]), "$3\r\nv11\r\n");
  assert_eq!(c.cmd(&["SET", "n", "42"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "n", "43", "GET"]), "$2\r\n42\r\n");
}

/// Conflicting or incomplete SET options, and options read as C strings.
#[test]
fn set_option_conflicts_are_syntax_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "k", "v", "NX", "XX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "XX", "NX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "PX", "100"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100", "EX", "10"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "EXAT", "100"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "100", "PXAT", "100"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "KEEPTTL"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "KEEPTTL", "EX", "10"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "KEEPTTL", "PXAT", "100"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EXAT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "NX", "GET", "XX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PERSIST"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "NXX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "N"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "EX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "FOO"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "abc", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
  // Options are read as C strings: everything after a NUL byte is ignored.
  assert_eq!(c.raw(&encode(&[b"SET", b"k", b"v", b"NX\x00junk"])), b"+OK\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"SET", b"k", b"w", b"nx\x00"])), b"$-1\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"SET", b"k", b"x", b"XX\x00", b"GET\x00zzz"])), b"$1\r\nv\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"SET", b"k", b"y", b"KEEPTTL\x00", b"ex\x00"])), b"-ERR syntax error\r\n".to_vec());
  assert_eq!(
    c.raw(&encode(&[b"SET", b"k", b"y", b"KEEPTTL\x00", b"ex\x00", b"10"])),
    b"-ERR syntax error\r\n".to_vec()
  );
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nx\r\n");
}

/// Invalid SET expire times; a syntax error wins over a bad number.
#[test]
fn set_expire_values_are_validated() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "-1"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PX", "-100"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "-1"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "abc"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "1.5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", ""]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", " 10"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "+10"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "010"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "9223372036854775807"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "9223372036854776"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "PX", "9223372036854775807"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "9223372036854775807"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(
    c.cmd(&["SET", "k", "v", "EX", "9223372036854775808"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "-9223372036854775808"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "0", "EX", "10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "NX", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v", "GET", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
}

/// SETNX, SETEX and PSETEX, with their expire errors naming the command.
#[test]
fn setnx_setex_psetex() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SETNX", "n1", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["SETNX", "n1", "b"]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "n1"]), "$1\r\na\r\n");
  assert_eq!(c.cmd(&["SETNX", "n2", ""]), ":1\r\n");
  assert_eq!(c.cmd(&["GET", "n2"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["SETEX", "x1", "100", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "x1"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["PSETEX", "x2", "100000", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "x2"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["SETEX", "x1", "200", "overwritten"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "x1"]), "$11\r\noverwritten\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "0", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "-5", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "abc", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "1.5", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "9223372036854775807", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "9223372036854775", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
  assert_eq!(c.cmd(&["PSETEX", "k", "0", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
  assert_eq!(c.cmd(&["PSETEX", "k", "-1", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
  assert_eq!(c.cmd(&["PSETEX", "k", "1.5", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["PSETEX", "k", "9223372036854775807", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SETEX", "k", "10"]), "-ERR wrong number of arguments for 'setex' command\r\n");
  assert_eq!(c.cmd(&["SETNX", "k"]), "-ERR wrong number of arguments for 'setnx' command\r\n");
  assert_eq!(c.cmd(&["PSETEX", "k", "10", "v", "extra"]), "-ERR wrong number of arguments for 'psetex' command\r\n");
}

/// GETSET and GETDEL.
#[test]
fn getset_and_getdel() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["GETSET", "g1", "first"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETSET", "g1", "second"]), "$5\r\nfirst\r\n");
  assert_eq!(c.cmd(&["GET", "g1"]), "$6\r\nsecond\r\n");
  assert_eq!(c.cmd(&["GETSET", "g1", "12"]), "$6\r\nsecond\r\n");
  assert_eq!(c.cmd(&["GETSET", "g1", ""]), "$2\r\n12\r\n");
  assert_eq!(c.cmd(&["GET", "g1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETDEL", "g1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETDEL", "g1"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "g1"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "n", "7"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETDEL", "n"]), "$1\r\n7\r\n");
  assert_eq!(c.cmd(&["GETDEL", "n"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETSET", "g2"]), "-ERR wrong number of arguments for 'getset' command\r\n");
  assert_eq!(c.cmd(&["GETDEL"]), "-ERR wrong number of arguments for 'getdel' command\r\n");
}

/// GETEX: options, errors, and a missing key answering before the expire time is checked.
#[test]
fn getex_options_and_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "gx", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "100"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PX", "200000"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EXAT", "4102444800"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PXAT", "4102444800000"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PERSIST"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PERSIST", "PERSIST"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "10", "EX", "20"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing", "EX", "100"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing", "EX", "0"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing", "EX", "abc"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "0"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PX", "-1"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EXAT", "0"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PXAT", "-5"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "abc"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "9223372036854775807"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "10", "PX", "100"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "PERSIST", "EX", "10"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX", "10", "PERSIST"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "EX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "KEEPTTL"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "NX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "XX"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "GET"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.raw(&encode(&[b"GETEX", b"gx", b"persist\x00x"])), b"$1\r\nv\r\n".to_vec());
  assert_eq!(c.cmd(&["GETEX", "gx", "exat", "1"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["GET", "gx"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GETEX", "gx"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "n", "99"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETEX", "n", "PXAT", "1"]), "$2\r\n99\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$-1\r\n");
}

/// MGET, MSET and MSETNX, including the odd-argument arity errors.
#[test]
fn mget_mset_msetnx() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["MSET", "m1", "a", "m2", "b", "m3", "c"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["MGET", "m1", "m2", "m3", "missing", "m1"]),
    "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$-1\r\n$1\r\na\r\n"
  );
  assert_eq!(c.cmd(&["MSET", "m1", "x", "m1", "y"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "m1"]), "$1\r\ny\r\n");
  assert_eq!(c.cmd(&["MSET", "num", "123", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["MGET", "num", "empty"]), "*2\r\n$3\r\n123\r\n$0\r\n\r\n");
  assert_eq!(c.cmd(&["MSETNX", "m4", "d", "m5", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["MGET", "m4", "m5"]), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
  assert_eq!(c.cmd(&["MSETNX", "m5", "f", "m6", "g"]), ":0\r\n");
  assert_eq!(c.cmd(&["MGET", "m5", "m6"]), "*2\r\n$1\r\ne\r\n$-1\r\n");
  assert_eq!(c.cmd(&["MSETNX", "m7", "a", "m7", "b"]), ":1\r\n");
  assert_eq!(c.cmd(&["GET", "m7"]), "$1\r\nb\r\n");
  assert_eq!(c.cmd(&["MGET", "missing"]), "*1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["MSET", "a"]), "-ERR wrong number of arguments for 'mset' command\r\n");
  assert_eq!(c.cmd(&["MSET", "a", "1", "b"]), "-ERR wrong number of arguments for 'mset' command\r\n");
  assert_eq!(c.cmd(&["MSETNX", "a"]), "-ERR wrong number of arguments for 'msetnx' command\r\n");
  assert_eq!(c.cmd(&["MSETNX", "a", "1", "b"]), "-ERR wrong number of arguments for 'msetnx' command\r\n");
  assert_eq!(c.cmd(&["MGET"]), "-ERR wrong number of arguments for 'mget' command\r\n");
  assert_eq!(c.cmd(&["MSET"]), "-ERR wrong number of arguments for 'mset' command\r\n");
  assert_eq!(c.cmd(&["MSETNX"]), "-ERR wrong number of arguments for 'msetnx' command\r\n");
  assert_eq!(c.cmd(&["GET", "a"]), "$-1\r\n");
}

/// APPEND and STRLEN on new, integer and binary values.
#[test]
fn append_and_strlen() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["APPEND", "ap", "hello"]), ":5\r\n");
  assert_eq!(c.cmd(&["APPEND", "ap", " world"]), ":11\r\n");
  assert_eq!(c.cmd(&["GET", "ap"]), "$11\r\nhello world\r\n");
  assert_eq!(c.cmd(&["STRLEN", "ap"]), ":11\r\n");
  assert_eq!(c.cmd(&["STRLEN", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["APPEND", "ap", ""]), ":11\r\n");
  assert_eq!(c.cmd(&["APPEND", "ap2", ""]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "ap2"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["STRLEN", "ap2"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "apn", "12"]), "+OK\r\n");
  assert_eq!(c.cmd(&["APPEND", "apn", "34"]), ":4\r\n");
  assert_eq!(c.cmd(&["GET", "apn"]), "$4\r\n1234\r\n");
  assert_eq!(c.cmd(&["INCR", "apn"]), ":1235\r\n");
  assert_eq!(c.cmd(&["STRLEN", "apn"]), ":4\r\n");
  assert_eq!(c.cmd(&["SET", "neg", "-100"]), "+OK\r\n");
  assert_eq!(c.cmd(&["STRLEN", "neg"]), ":4\r\n");
  assert_eq!(c.raw(&encode(&[b"APPEND", b"bin", b"\x00\xff"])), b":2\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"APPEND", b"bin", b"\r\n"])), b":4\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"GET", b"bin"])), b"$4\r\n\x00\xff\r\n\r\n".to_vec());
  assert_eq!(c.cmd(&["STRLEN", "bin"]), ":4\r\n");
}

/// GETRANGE and SUBSTR offset clamping, extreme offsets and errors.
#[test]
fn getrange_and_substr_clamp_offsets() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "r", "Hello, world"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "4"]), "$5\r\nHello\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-5", "-1"]), "$5\r\nworld\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "7", "-1"]), "$5\r\nworld\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "-1"]), "$12\r\nHello, world\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "100"]), "$12\r\nHello, world\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "5", "2"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-100", "3"]), "$4\r\nHell\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-100", "-50"]), "$1\r\nH\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "3", "-50"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-5", "3"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-1", "-5"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "100", "200"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-1", "-1"]), "$1\r\nd\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "11", "11"]), "$1\r\nd\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "12", "12"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "missing", "0", "-1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "9223372036854775807", "9223372036854775807"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-9223372036854775808", "-9223372036854775808"]), "$1\r\nH\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "-9223372036854775808", "9223372036854775807"]), "$12\r\nHello, world\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "-9223372036854775808"]), "$1\r\nH\r\n");
  assert_eq!(c.cmd(&["SUBSTR", "r", "0", "4"]), "$5\r\nHello\r\n");
  assert_eq!(c.cmd(&["SUBSTR", "r", "-3", "-1"]), "$3\r\nrld\r\n");
  assert_eq!(c.cmd(&["SET", "rnum", "-12345"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "rnum", "1", "3"]), "$3\r\n123\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "rnum", "-2", "-1"]), "$2\r\n45\r\n");
  assert_eq!(c.cmd(&["SET", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "empty", "0", "-1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "empty", "-1", "0"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "empty", "0", "0"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "a", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "b"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "1.5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0", "9223372036854775808"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "missing", "a", "b"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SUBSTR", "r", "x", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "r", "0"]), "-ERR wrong number of arguments for 'getrange' command\r\n");
}

/// SETRANGE: zero padding, empty values, offset errors and the size limit.
#[test]
fn setrange_pads_and_checks_limits() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "sr", "Hello World"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "6", "Redis"]), ":11\r\n");
  assert_eq!(c.cmd(&["GET", "sr"]), "$11\r\nHello Redis\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "11", "!!"]), ":13\r\n");
  assert_eq!(c.cmd(&["GET", "sr"]), "$13\r\nHello Redis!!\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "15", "tail"]), ":19\r\n");
  assert_eq!(c.cmd(&["GET", "sr"]), "$19\r\nHello Redis!!\x00\x00tail\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "newkey", "3", "abc"]), ":6\r\n");
  assert_eq!(c.cmd(&["GET", "newkey"]), "$6\r\n\x00\x00\x00abc\r\n");
  assert_eq!(c.cmd(&["STRLEN", "newkey"]), ":6\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "emptynew", "0", ""]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "emptynew"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "emptynew2", "10", ""]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "emptynew2"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "0", ""]), ":19\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "536870911", ""]), ":19\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "1000", ""]), ":19\r\n");
  assert_eq!(c.cmd(&["GET", "sr"]), "$19\r\nHello Redis!!\x00\x00tail\r\n");
  assert_eq!(c.cmd(&["SET", "srint", "1234"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "srint", "1", "x"]), ":4\r\n");
  assert_eq!(c.cmd(&["GET", "srint"]), "$4\r\n1x34\r\n");
  assert_eq!(c.cmd(&["SET", "n", "12"]), "+OK\r\n");
  assert_eq!(c.raw(&encode(&[b"SETRANGE", b"n", b"3", b"\x00"])), b":4\r\n".to_vec());
  assert_eq!(c.cmd(&["GET", "n"]), "$4\r\n12\x00\x00\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "-1", "x"]), "-ERR offset is out of range\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "abc", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "sr", "1.5", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["SETRANGE", "sr", "536870912", "x"]),
    "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
  );
  assert_eq!(
    c.cmd(&["SETRANGE", "sr", "536870911", "xx"]),
    "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
  );
  assert_eq!(c.cmd(&["SETRANGE", "missing", "-1", ""]), "-ERR offset is out of range\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "missing", "536870912", ""]), ":0\r\n");
  assert_eq!(
    c.cmd(&["SETRANGE", "missing", "536870912", "x"]),
    "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
  );
  assert_eq!(
    c.cmd(&["SETRANGE", "sr", "9223372036854775807", "x"]),
    "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
  );
  assert_eq!(
    c.cmd(&["SETRANGE", "sr", "9223372036854775808", "x"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["GET", "missing"]), "$-1\r\n");
}

/// INCR, DECR, INCRBY and DECRBY: parsing, overflow and their error texts.
#[test]
fn integer_counters() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["INCR", "c"]), ":1\r\n");
  assert_eq!(c.cmd(&["INCR", "c"]), ":2\r\n");
  assert_eq!(c.cmd(&["DECR", "c"]), ":1\r\n");
  assert_eq!(c.cmd(&["DECR", "c"]), ":0\r\n");
  assert_eq!(c.cmd(&["DECR", "c"]), ":-1\r\n");
  assert_eq!(c.cmd(&["GET", "c"]), "$2\r\n-1\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "10"]), ":9\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "3"]), ":6\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "-100"]), ":-94\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "-100"]), ":6\r\n");
  assert_eq!(c.cmd(&["GET", "c"]), "$1\r\n6\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "0"]), ":6\r\n");
  assert_eq!(c.cmd(&["SET", "big", "9223372036854775806"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCR", "big"]), ":9223372036854775807\r\n");
  assert_eq!(c.cmd(&["INCR", "big"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["GET", "big"]), "$19\r\n9223372036854775807\r\n");
  assert_eq!(c.cmd(&["SET", "small", "-9223372036854775807"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DECR", "small"]), ":-9223372036854775808\r\n");
  assert_eq!(c.cmd(&["DECR", "small"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["GET", "small"]), "$20\r\n-9223372036854775808\r\n");
  assert_eq!(c.cmd(&["SET", "z", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBY", "z", "9223372036854775807"]), ":9223372036854775807\r\n");
  assert_eq!(c.cmd(&["INCRBY", "z", "-9223372036854775808"]), ":-1\r\n");
  assert_eq!(c.cmd(&["INCRBY", "z", "-1"]), ":-2\r\n");
  assert_eq!(c.cmd(&["SET", "lead", "  42"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "plus", "+5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "zeros", "007"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "neg0", "-0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "dot", "1.0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "spaces", "1 "]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "hex", "0x10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "emptynum", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "huge", "99999999999999999999"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "exp", "1e3"]), "+OK\r\n");
  assert_eq!(c.raw(&encode(&[b"SET", b"nul", b"1\x002"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["INCRBY", "plus", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "zeros", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "neg0", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "lead"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "dot"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "spaces"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "hex"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "emptynum"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "huge"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "exp"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCR", "nul"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["DECR", "plus"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GET", "plus"]), "$2\r\n+5\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "+5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "05"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "-0"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", " 1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "1 "]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "1.5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", ""]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "9223372036854775808"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "-9223372036854775809"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "-9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "+3"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "-9223372036854775808"]), "-ERR decrement would overflow\r\n");
  assert_eq!(c.cmd(&["DECRBY", "missing", "-9223372036854775808"]), "-ERR decrement would overflow\r\n");
  assert_eq!(c.cmd(&["INCRBY", "plus", "abc"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "c", "10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "9223372036854775807"]), ":-9223372036854775797\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "-9223372036854775798"]), ":1\r\n");
  assert_eq!(c.cmd(&["SET", "c", "-10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "9223372036854775807"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c", "-9223372036854775808"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["GET", "c"]), "$3\r\n-10\r\n");
  assert_eq!(c.cmd(&["SET", "maxi", "9223372036854775807"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCR", "maxi"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["INCRBY", "maxi", "1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["DECRBY", "maxi", "-1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["SET", "mini", "-9223372036854775808"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DECR", "mini"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["DECRBY", "mini", "1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["INCRBY", "mini", "-1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["GET", "maxi"]), "$19\r\n9223372036854775807\r\n");
  assert_eq!(c.cmd(&["GET", "mini"]), "$20\r\n-9223372036854775808\r\n");
  assert_eq!(c.cmd(&["SET", "f", "1.5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCR", "f"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SET", "fi", "10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "fi", "0.5"]), "$4\r\n10.5\r\n");
  assert_eq!(c.cmd(&["DECR", "fi"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "fi", "0.5"]), "$2\r\n11\r\n");
  assert_eq!(c.cmd(&["INCR", "fi"]), ":12\r\n");
  assert_eq!(c.cmd(&["GET", "fi"]), "$2\r\n12\r\n");
  assert_eq!(c.cmd(&["INCR"]), "-ERR wrong number of arguments for 'incr' command\r\n");
  assert_eq!(c.cmd(&["INCRBY", "c"]), "-ERR wrong number of arguments for 'incrby' command\r\n");
  assert_eq!(c.cmd(&["DECRBY", "c", "1", "2"]), "-ERR wrong number of arguments for 'decrby' command\r\n");
}

/// INCRBYFLOAT: long double results, accepted spellings and errors.
#[test]
fn incrbyfloat_matches_long_double() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "10.5"]), "$4\r\n10.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "0.1"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["GET", "f"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "-5"]), "$3\r\n5.6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "-0.6"]), "$1\r\n5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "5.0e3"]), "$4\r\n5005\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "2.0e2"]), "$4\r\n5205\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "3.0e3"]), "$4\r\n8205\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1"]), "$4\r\n8206\r\n");
  assert_eq!(c.cmd(&["GET", "f"]), "$4\r\n8206\r\n");
  assert_eq!(c.cmd(&["SET", "k", "10.5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "0.1"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["SET", "k", "5.0e3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "k", "2.0e2"]), "$4\r\n5200\r\n");
  assert_eq!(c.cmd(&["SET", "g", "10.5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "0.1"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "5.0e3"]), "$22\r\n5010.60000000000000009\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "-5010.6"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "0.1"]), "$3\r\n0.1\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "1.1"]), "$3\r\n1.2\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "g", "-1e-17"]), "$19\r\n1.19999999999999999\r\n");
  assert_eq!(c.cmd(&["GET", "g"]), "$19\r\n1.19999999999999999\r\n");
  assert_eq!(c.cmd(&["SET", "f2", "3.0e3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f2", "0"]), "$4\r\n3000\r\n");
  assert_eq!(c.cmd(&["SET", "f3", "10.50"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f3", "0"]), "$4\r\n10.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f4", "0"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f5", "-0"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f6", "1.5e-5"]), "$8\r\n0.000015\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f7", "0.1"]), "$3\r\n0.1\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f7", "0.2"]), "$3\r\n0.3\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f7", "0.3"]), "$3\r\n0.6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f8", "1e17"]), "$18\r\n100000000000000000\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f9", "123456789012345678"]), "$18\r\n123456789012345678\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f10", "1.7e308"]), "$309\r\n170000000000000000003136778025197596795270213889694133733043585763202456051205820994061869588900300336978523841885631712661403498918000793480728637410016696547450658600006812401305436257622907062380271462782244438270443691335452761319068709501902589182028026014367280506332405764915517562011679309777401282560\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f11", "1e-300"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f12", ".5"]), "$3\r\n0.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f13", "5."]), "$1\r\n5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f14", "+1.25"]), "$4\r\n1.25\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f15", "-1.25"]), "$5\r\n-1.25\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f16", "0x10"]), "$2\r\n16\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f16", "0X1.8p1"]), "$2\r\n19\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f16", "-0x.8P-1"]), "$5\r\n18.75\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f17", "1E2"]), "$3\r\n100\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f18", "3"]), "$1\r\n3\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f18", "-3"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["GET", "f18"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t1", "0.000003814697265625"]), "$19\r\n0.00000381469726562\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t2", "0.000011444091796875"]), "$19\r\n0.00001144409179688\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t3", "0.000000000000000005"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t4", "0.000000000000000015"]), "$19\r\n0.00000000000000002\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t5", "-0.000000000000000001"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t6", "3.6e-4951"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t7", "9223372036854775807"]), "$19\r\n9223372036854775807\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t7", "1"]), "$19\r\n9223372036854775808\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.1\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.2\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.3\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.4\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.7\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.8\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$3\r\n0.9\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t8", "0.1"]), "$1\r\n1\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t9", "1e20"]), "$21\r\n100000000000000000000\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t9", "1"]), "$21\r\n100000000000000000000\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t9", "-1e20"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t10", "-123.456"]), "$8\r\n-123.456\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "t10", "123.456"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["SET", "i", "5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "i", "1.5"]), "$3\r\n6.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "i", "-1.5"]), "$1\r\n5\r\n");
  assert_eq!(c.cmd(&["GET", "i"]), "$1\r\n5\r\n");
  assert_eq!(c.cmd(&["INCR", "i"]), ":6\r\n");
  assert_eq!(c.cmd(&["SET", "imin", "-9223372036854775808"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "imin", "-1"]), "$20\r\n-9223372036854775809\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "inf"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "-inf"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "+Infinity"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "nan"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "nan(1)"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "abc"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1.5 "]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", " 1.5"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.raw(&encode(&[b"INCRBYFLOAT", b"f19", b"\t1"])), b"-ERR value is not a valid float\r\n".to_vec());
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", ""]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.raw(&encode(&[b"INCRBYFLOAT", b"f19", b"1.5\x00"])), b"-ERR value is not a valid float\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"INCRBYFLOAT", b"f19", b"\x00"])), b"-ERR value is not a valid float\r\n".to_vec());
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "."]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "-"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1e"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1e+"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "e5"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "0x"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "0x1p"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1..2"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1,5"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "infin"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1e5000"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "-1e5000"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "1e-5000"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f19", "0e-5000"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["GET", "f19"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["SET", "notfloat", "hello"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "notfloat", "1"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["SET", "spacefloat", " 1.5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "spacefloat", "1"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["SET", "inffloat", "inf"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "inffloat", "1"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "inffloat", "-inf"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["SET", "maxfloat", "1.7e308"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "maxfloat", "1.7e308"]), "$309\r\n340000000000000000006273556050395193590540427779388267466087171526404912102411641988123739177800600673957047683771263425322806997836001586961457274820033393094901317200013624802610872515245814124760542925564488876540887382670905522638137419003805178364056052028734561012664811529831035124023358619554802565120\r\n");
  assert_eq!(c.cmd(&["GET", "maxfloat"]), "$309\r\n340000000000000000006273556050395193590540427779388267466087171526404912102411641988123739177800600673957047683771263425322806997836001586961457274820033393094901317200013624802610872515245814124760542925564488876540887382670905522638137419003805178364056052028734561012664811529831035124023358619554802565120\r\n");
  assert_eq!(c.cmd(&["SET", "huge", "1e4932"]), "+OK\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "huge", "1e4932"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "huge", "-1e4932"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f20", "abc"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "notfloat", "abc"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f20"]), "-ERR wrong number of arguments for 'incrbyfloat' command\r\n");
}

/// A chain of INCRBYFLOAT calls, each re-reading the text the previous one stored.
#[test]
fn incrbyfloat_chain_reparses_its_own_output() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "404.050631"]), "$21\r\n404.05063100000000001\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "374.60816"]), "$21\r\n778.65879100000000002\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-549746"]), "$24\r\n-548967.3412089999999921\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-428.252353"]), "$25\r\n-549395.59356200000001991\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-60.129815"]), "$25\r\n-549455.72337700000002769\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "322518"]), "$25\r\n-226937.72337700000002769\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.071322089253834153"]), "$25\r\n-226937.65205491074618749\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-9.008214e+05"]), "$26\r\n-1127759.05205491074616475\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "296.151262"]), "$25\r\n-1127462.9007929107461905\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-3.830363518e+05"]), "$26\r\n-1510499.25259291074621615\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-620990"]), "$26\r\n-2131489.25259291074621615\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "381.574351"]), "$26\r\n-2131107.67824191074623741\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.068715471955456195"]), "$26\r\n-2131107.60952643879068091\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.784447762674812196"]), "$25\r\n-2131106.8250786761159361\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-3.717056592464e+05"]), "$25\r\n-2502812.4843250761159652\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-2.7683529e+05"]), "$26\r\n-2779647.77432507611592882\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "715.85831"]), "$26\r\n-2778931.91601507611585475\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-9.76728089e+03"]), "$26\r\n-2788699.19690507611585417\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-294.76756"]), "$25\r\n-2788993.9644650761158573\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-168.159367"]), "$26\r\n-2789162.12383207611583202\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-115635"]), "$26\r\n-2904797.12383207611583202\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "782.600861"]), "$26\r\n-2904014.52297107611593674\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.361726255172655818"]), "$26\r\n-2904014.16124482094323866\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-608.608064"]), "$25\r\n-2904622.7693088209432517\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.968416921116111569"]), "$26\r\n-2904621.80089189982709286\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-485.696414"]), "$26\r\n-2905107.49730589982709716\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-662.714328"]), "$26\r\n-2905770.21163389982712033\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-403160"]), "$26\r\n-3308930.21163389982712033\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.770904100380676744"]), "$25\r\n-3308929.4407297994464443\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-363.640595"]), "$26\r\n-3309293.08132479944652005\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "223.135623"]), "$26\r\n-3309069.94570179944662414\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "0.450734318090493776"]), "$26\r\n-3309069.49496748135607049\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "41250"]), "$26\r\n-3267819.49496748135607049\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-411.291335"]), "$26\r\n-3268230.78630248135596048\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "718154"]), "$26\r\n-2550076.78630248135596048\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-4.43157871e+05"]), "$26\r\n-2993234.65730248135605507\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "3.65446e+05"]), "$26\r\n-2627788.65730248135605507\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "154.184777"]), "$26\r\n-2627634.47252548135611505\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "12.871464"]), "$26\r\n-2627621.60106148135605508\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "chain", "-4.3614e+05"]), "$26\r\n-3063761.60106148135605508\r\n");
  assert_eq!(c.cmd(&["GET", "chain"]), "$26\r\n-3063761.60106148135605508\r\n");
}

/// LCS: plain, LEN, IDX, MINMATCHLEN, WITHMATCHLEN, binary values and errors.
#[test]
fn lcs_replies_and_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2"]), "$6\r\nmytext\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN"]), ":6\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"]),
    "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"
  );
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]),
    "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
  );
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX", "WITHMATCHLEN"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "idx", "withmatchlen", "minmatchlen", "2"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "0"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "100"]),
    "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n"
  );
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN", "MINMATCHLEN", "100", "WITHMATCHLEN"]), ":6\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "WITHMATCHLEN"]), "$6\r\nmytext\r\n");
  assert_eq!(c.cmd(&["LCS", "key2", "key1"]), "$6\r\nmytext\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key1"]), "$8\r\nohmytext\r\n");
  assert_eq!(
    c.cmd(&["LCS", "key1", "key1", "IDX", "WITHMATCHLEN"]),
    "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:7\r\n*2\r\n:0\r\n:7\r\n:8\r\n$3\r\nlen\r\n:8\r\n"
  );
  assert_eq!(c.cmd(&["LCS", "key1", "missing"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["LCS", "missing", "key1", "LEN"]), ":0\r\n");
  assert_eq!(c.cmd(&["LCS", "missing", "missing2"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["LCS", "missing", "missing2", "IDX"]), "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  assert_eq!(c.cmd(&["MSET", "a", "rosettacode", "b", "raisethysword"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "a", "b"]), "$6\r\nrsetod\r\n");
  assert_eq!(c.cmd(&["LCS", "a", "b", "LEN"]), ":6\r\n");
  assert_eq!(c.cmd(&["LCS", "a", "b", "IDX", "WITHMATCHLEN"]), "*4\r\n$7\r\nmatches\r\n*5\r\n*3\r\n*2\r\n:9\r\n:9\r\n*2\r\n:12\r\n:12\r\n:1\r\n*3\r\n*2\r\n:8\r\n:8\r\n*2\r\n:10\r\n:10\r\n:1\r\n*3\r\n*2\r\n:5\r\n:5\r\n*2\r\n:5\r\n:5\r\n:1\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:3\r\n:4\r\n:2\r\n*3\r\n*2\r\n:0\r\n:0\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(c.cmd(&["LCS", "b", "a", "IDX", "WITHMATCHLEN"]), "*4\r\n$7\r\nmatches\r\n*4\r\n*3\r\n*2\r\n:12\r\n:12\r\n*2\r\n:9\r\n:9\r\n:1\r\n*3\r\n*2\r\n:10\r\n:10\r\n*2\r\n:8\r\n:8\r\n:1\r\n*3\r\n*2\r\n:3\r\n:5\r\n*2\r\n:2\r\n:4\r\n:3\r\n*3\r\n*2\r\n:0\r\n:0\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(
    c.raw(&encode(&[b"MSET", b"bin1", b"\x00\x01\x02abc\xff", b"bin2", b"\x01abc\xff\x00"])),
    b"+OK\r\n".to_vec()
  );
  assert_eq!(c.raw(&encode(&[b"LCS", b"bin1", b"bin2"])), b"$5\r\n\x01abc\xff\r\n".to_vec());
  assert_eq!(c.cmd(&["LCS", "bin1", "bin2", "IDX"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:3\r\n:6\r\n*2\r\n:1\r\n:4\r\n*2\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n$3\r\nlen\r\n:5\r\n");
  assert_eq!(c.cmd(&["SET", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "empty", "key1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["LCS", "empty", "key1", "IDX"]), "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  assert_eq!(c.cmd(&["SET", "n1", "12345"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "n2", "2345"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "n1", "n2"]), "$4\r\n2345\r\n");
  assert_eq!(
    c.cmd(&["LCS", "n1", "n2", "IDX"]),
    "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:1\r\n:4\r\n*2\r\n:0\r\n:3\r\n$3\r\nlen\r\n:4\r\n"
  );
  assert_eq!(c.cmd(&["MSET", "x", "aaaa", "y", "aa"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["LCS", "x", "y", "IDX", "WITHMATCHLEN"]),
    "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:2\r\n"
  );
  assert_eq!(c.cmd(&["MSET", "x", "abcabcabc", "y", "cbacbacba"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "x", "y", "IDX", "WITHMATCHLEN"]), "*4\r\n$7\r\nmatches\r\n*5\r\n*3\r\n*2\r\n:8\r\n:8\r\n*2\r\n:6\r\n:6\r\n:1\r\n*3\r\n*2\r\n:7\r\n:7\r\n*2\r\n:4\r\n:4\r\n:1\r\n*3\r\n*2\r\n:6\r\n:6\r\n*2\r\n:2\r\n:2\r\n:1\r\n*3\r\n*2\r\n:4\r\n:4\r\n*2\r\n:1\r\n:1\r\n:1\r\n*3\r\n*2\r\n:2\r\n:2\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:5\r\n");
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "LEN", "IDX"]),
    "-ERR If you want both the length and indexes, please just use IDX.\r\n"
  );
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "IDX", "LEN"]),
    "-ERR If you want both the length and indexes, please just use IDX.\r\n"
  );
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN", "abc"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "FOO", "LEN", "IDX"]), "-ERR syntax error\r\n");
  assert_eq!(c.raw(&encode(&[b"LCS", b"key1", b"key2", b"idx\x00x"])), b"*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n".to_vec());
  assert_eq!(c.cmd(&["LCS", "key1"]), "-ERR wrong number of arguments for 'lcs' command\r\n");
  assert_eq!(c.cmd(&["LCS"]), "-ERR wrong number of arguments for 'lcs' command\r\n");
}

/// RESP3: nulls are `_` and LCS IDX is a map.
#[test]
fn resp3_nulls_and_maps() {
  let mut c = Client::new();
  resp3(&mut c);
  assert_eq!(c.cmd(&["GET", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["SET", "s", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "s"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["MGET", "s", "missing", "s"]), "*3\r\n$1\r\nv\r\n_\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["SET", "s", "v2", "NX"]), "_\r\n");
  assert_eq!(c.cmd(&["SET", "s", "v3", "XX", "GET"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["SET", "s2", "v", "NX", "GET"]), "_\r\n");
  assert_eq!(c.cmd(&["SET", "s3", "v", "XX"]), "_\r\n");
  assert_eq!(c.cmd(&["GETDEL", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["GETEX", "missing", "EX", "10"]), "_\r\n");
  assert_eq!(c.cmd(&["GETSET", "missing2", "v"]), "_\r\n");
  assert_eq!(c.cmd(&["GETRANGE", "missing", "0", "-1"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX"]), "%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  assert_eq!(
    c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]),
    "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
  );
  assert_eq!(c.cmd(&["LCS", "missing", "missing2", "IDX"]), "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2"]), "$6\r\nmytext\r\n");
  assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN"]), ":6\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "10.5"]), "$4\r\n10.5\r\n");
  assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "0.1"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["SETNX", "s", "x"]), ":0\r\n");
  assert_eq!(c.cmd(&["MSETNX", "s", "x"]), ":0\r\n");
}

/// SET clears the time to live unless KEEPTTL; counters, APPEND and SETRANGE keep it;
/// GETSET, MSET and MSETNX clear it; GETEX sets, keeps or removes it.
#[test]
fn time_to_live_rules() {
  let mut c = Client::new();
  let before = now_ms();
  assert_eq!(c.cmd(&["SET", "k", "v", "EX", "100"]), "+OK\r\n");
  let at = expire_at(&c, "k").unwrap();
  assert!(at >= before + 100_000 && at <= now_ms() + 100_000, "{at}");
  assert_eq!(c.cmd(&["SET", "k", "v2", "KEEPTTL"]), "+OK\r\n");
  assert_eq!(expire_at(&c, "k"), Some(at));
  assert_eq!(c.cmd(&["SET", "k", "v3", "XX", "KEEPTTL", "GET"]), "$2\r\nv2\r\n");
  assert_eq!(expire_at(&c, "k"), Some(at));
  assert_eq!(c.cmd(&["SET", "k", "v4"]), "+OK\r\n");
  assert_eq!(expire_at(&c, "k"), Some(-1));

  assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "4102444800"]), "+OK\r\n");
  assert_eq!(expire_at(&c, "k"), Some(4_102_444_800_000));
  assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "4102444800600"]), "+OK\r\n");
  assert_eq!(expire_at(&c, "k"), Some(4_102_444_800_600));
  assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "9223372036854775807"]), "+OK\r\n");
  assert_eq!(expire_at(&c, "k"), Some(i64::MAX));
  let before = now_ms();
  assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100000"]), "+OK\r\n");
  let at = expire_at(&c, "k").unwrap();
  assert!(at >= before + 100_000 && at <= now_ms() + 100_000, "{at}");
  // A time already past makes the key read as missing.
  assert_eq!(c.cmd(&["SET", "past", "v", "EXAT", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "past"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SET", "past", "v", "PXAT", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["STRLEN", "past"]), ":0\r\n");

  let before = now_ms();
  assert_eq!(c.cmd(&["SETEX", "x", "100", "v"]), "+OK\r\n");
  let at = expire_at(&c, "x").unwrap();
  assert!(at >= before + 100_000 && at <= now_ms() + 100_000, "{at}");
  let before = now_ms();
  assert_eq!(c.cmd(&["PSETEX", "x", "1500", "v"]), "+OK\r\n");
  let at = expire_at(&c, "x").unwrap();
  assert!(at >= before + 1500 && at <= now_ms() + 1500, "{at}");

  // Commands that edit the value in place keep the time to live.
  assert_eq!(c.cmd(&["SET", "n", "1", "PXAT", "4102444800000"]), "+OK\r\n");
  for command in
    [&["INCR", "n"][..], &["DECR", "n"], &["INCRBY", "n", "5"], &["DECRBY", "n", "2"], &["INCRBYFLOAT", "n", "0.5"]]
  {
    c.cmd(command);
    assert_eq!(expire_at(&c, "n"), Some(4_102_444_800_000), "{command:?}");
  }
  assert_eq!(c.cmd(&["APPEND", "n", "x"]), ":4\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "n", "0", "y"]), ":4\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$4\r\ny.5x\r\n");
  assert_eq!(expire_at(&c, "n"), Some(4_102_444_800_000));
  // SETNX that does not write keeps it too.
  assert_eq!(c.cmd(&["SETNX", "n", "z"]), ":0\r\n");
  assert_eq!(expire_at(&c, "n"), Some(4_102_444_800_000));

  // Whole-value writes clear it.
  for command in [&["GETSET", "n", "v"][..], &["MSET", "n", "v"], &["SET", "n", "v"]] {
    assert_eq!(c.cmd(&["SET", "n", "1", "PXAT", "4102444800000"]), "+OK\r\n");
    c.cmd(command);
    assert_eq!(expire_at(&c, "n"), Some(-1), "{command:?}");
  }

  // GETEX.
  assert_eq!(c.cmd(&["SET", "g", "v", "PXAT", "4102444800000"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETEX", "g"]), "$1\r\nv\r\n");
  assert_eq!(expire_at(&c, "g"), Some(4_102_444_800_000));
  assert_eq!(c.cmd(&["GETEX", "g", "EXAT", "4102444801"]), "$1\r\nv\r\n");
  assert_eq!(expire_at(&c, "g"), Some(4_102_444_801_000));
  assert_eq!(c.cmd(&["GETEX", "g", "PXAT", "4102444801234"]), "$1\r\nv\r\n");
  assert_eq!(expire_at(&c, "g"), Some(4_102_444_801_234));
  let before = now_ms();
  assert_eq!(c.cmd(&["GETEX", "g", "EX", "100"]), "$1\r\nv\r\n");
  let at = expire_at(&c, "g").unwrap();
  assert!(at >= before + 100_000 && at <= now_ms() + 100_000, "{at}");
  assert_eq!(c.cmd(&["GETEX", "g", "EX", "0"]), "-ERR invalid expire time in 'getex' command\r\n");
  assert_eq!(expire_at(&c, "g"), Some(at));
  assert_eq!(c.cmd(&["GETEX", "g", "PERSIST"]), "$1\r\nv\r\n");
  assert_eq!(expire_at(&c, "g"), Some(-1));
  assert_eq!(c.cmd(&["GETEX", "g", "PXAT", "1"]), "$1\r\nv\r\n");
  assert_eq!(expire_at(&c, "g"), None);
}

/// The encodings each command leaves (OBJECT ENCODING reads them).
#[test]
fn encodings_follow_redis() {
  let mut c = Client::new();
  let cases: &[(&[&str], &str, &str)] = &[
    (&["SET", "k", "12345"], "k", "int"),
    (&["SET", "k", "-9223372036854775808"], "k", "int"),
    (&["SET", "k", "9223372036854775808"], "k", "embstr"),
    (&["SET", "k", "0123"], "k", "embstr"),
    (&["SET", "k", "+1"], "k", "embstr"),
    (&["SET", "k", "01234567890123456789012345678901234567890123"], "k", "embstr"),
    (&["SET", "k", "012345678901234567890123456789012345678901234"], "k", "raw"),
    (&["SETNX", "nx", "12"], "nx", "int"),
    (&["SETEX", "k", "100", "12"], "k", "int"),
    (&["PSETEX", "k", "100000", "ab"], "k", "embstr"),
    (&["GETSET", "k", "77"], "k", "int"),
    (&["MSET", "a", "1", "b", "x"], "a", "int"),
    (&["MSETNX", "c", "1"], "c", "int"),
    (&["APPEND", "b", "y"], "b", "raw"),
    (&["APPEND", "new1", "123"], "new1", "int"),
    (&["APPEND", "new2", "hello"], "new2", "embstr"),
    (&["APPEND", "a", ""], "a", "raw"),
    (&["SET", "s", "12"], "s", "int"),
    (&["SETRANGE", "s", "0", ""], "s", "int"),
    (&["SETRANGE", "s", "0", "3"], "s", "raw"),
    (&["SETRANGE", "new3", "0", "12"], "new3", "raw"),
    (&["INCR", "s"], "s", "int"),
    (&["INCRBYFLOAT", "f", "3"], "f", "embstr"),
    (&["INCR", "f"], "f", "int"),
    (&["INCRBYFLOAT", "f", "1e50"], "f", "raw"),
    (&["INCRBY", "i", "5"], "i", "int"),
  ];
  for (command, key, expected) in cases {
    c.cmd(command);
    assert_eq!(encoding(&c, key), Some(*expected), "{command:?}");
  }
}

/// SETRANGE, APPEND and LCS respect proto-max-bulk-len (values recorded with it set to 1mb).
#[test]
fn size_limits_follow_proto_max_bulk_len() {
  let mut c = Client::new();
  c.engine.config.proto_max_bulk_len = 1024 * 1024;
  let too_big = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
  assert_eq!(c.cmd(&["SETRANGE", "c", "1048575", "x"]), ":1048576\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "c", "1048576", "x"]), too_big);
  assert_eq!(c.cmd(&["SETRANGE", "c", "1048575", "xy"]), too_big);
  assert_eq!(c.cmd(&["SETRANGE", "new", "1048576", "x"]), too_big);
  assert_eq!(c.cmd(&["APPEND", "c", "y"]), too_big);
  assert_eq!(c.cmd(&["APPEND", "c", ""]), ":1048576\r\n");
  assert_eq!(c.cmd(&["STRLEN", "c"]), ":1048576\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "c", "0", ""]), ":1048576\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "d", "1048577", ""]), ":0\r\n");

  let (a, b) = ("x".repeat(600), "y".repeat(600));
  assert_eq!(c.cmd(&["MSET", "a", &a, "b", &b]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["LCS", "a", "b", "LEN"]),
    "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n"
  );
  assert_eq!(c.cmd(&["SET", "a", &"x".repeat(400)]), "+OK\r\n");
  assert_eq!(c.cmd(&["LCS", "a", "b", "LEN"]), ":0\r\n");
}

/// Read commands count keyspace hits and misses; write commands do not.
#[test]
fn keyspace_hits_and_misses() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  let counts = |c: &Client| (c.engine.telemetry.stats.keyspace_hits, c.engine.telemetry.stats.keyspace_misses);
  let start = counts(&c);
  for command in [
    &["MGET", "a", "missing"][..],
    &["INCR", "a"],
    &["APPEND", "a", "1"],
    &["SETRANGE", "a", "0", "x"],
    &["INCRBYFLOAT", "z", "1"],
    &["MSETNX", "a", "1", "q", "2"],
    &["SET", "a", "2", "NX"],
    &["SETNX", "a", "1"],
    &["GETSET", "nn", "1"],
  ] {
    c.cmd(command);
  }
  assert_eq!(counts(&c), (start.0 + 1, start.1 + 2));
  let start = counts(&c);
  for command in [
    &["SET", "k", "v", "GET"][..],
    &["GETSET", "a", "5"],
    &["GETDEL", "a"],
    &["GETEX", "missing"],
    &["GETRANGE", "missing", "0", "1"],
    &["STRLEN", "z"],
    &["LCS", "a", "z"],
    &["SUBSTR", "z", "0", "1"],
  ] {
    c.cmd(command);
  }
  assert_eq!(counts(&c), (start.0 + 5, start.1 + 4));
}

/// Recorded from redis-server 7.0.15: INCRBYFLOAT of a missing key by each text (`None`:
/// not a valid float; "NANINF": the sum is not finite).
const SINGLES: &[(&str, Option<&str>)] = &[
  ("0", Some("0")),
  ("-0", Some("0")),
  ("1", Some("1")),
  ("0.1", Some("0.1")),
  ("10.6", Some("10.6")),
  ("5010.6", Some("5010.60000000000000009")),
  ("1e-17", Some("0.00000000000000001")),
  ("123456789.123456789", Some("123456789.12345678899873747")),
  ("0.3", Some("0.3")),
  ("1.7e308", Some("170000000000000000003136778025197596795270213889694133733043585763202456051205820994061869588900300336978523841885631712661403498918000793480728637410016696547450658600006812401305436257622907062380271462782244438270443691335452761319068709501902589182028026014367280506332405764915517562011679309777401282560")),
  ("1e-300", Some("0")),
  ("3.6e-4951", Some("0")),
  ("1e4932", Some("1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720")),
  ("0x1p-16445", Some("0")),
  ("0x1p16383", Some("594865747678615882542879663314003565381722343548255118736337410616630679090241843452244297736306019957557718742419654629448833690654343713137262349170782503040435817183002448761071625809765723422976172854741067923518323732415492392357140483922807069238022169202443061452643427656618079347999942895053178509060407681660390482161856378582145306703437601208682661975133940044533758686135305417823772877890396715811106725951908929815345155671925328769680324822596641589145883829482702642556778067184896640862944007954207337644916269031709617444299949490311557012560837236025936219660661599201471352670683475637369507296908449144497222586700182308964188569037205672895924286797538585218822095871944822442688842369161120304119539530699737837667369892008245871310742614507423836167988948579198667113174867405720826538879125494463015447394802338076552128630070903411513794001720975727663850799035640794798584706982804219752491585627531141013313100024021074904100001030496716840618811928940313739863536438741419219352524017082316668506692702999020350954331193650802509094131286861883139620399465858854403950870132703965488209824438934802008758845969343994044004472125629413484844182097066972890078922182473026356827727453163593714265947550139347559661748404351815218096963796346172410406417148682239343431032084521229277568266027525254094945933423431899958823773645685786750350507598779548726520016515760341759108247097818348038874055299142450671805734607137060905247538989637778322582491925031025533258542323684732018320284669732418586091676478436956021320001805809394639097855026047281380653351775920165055322550997717583813344334813881910302171240178953207677106366473378036503453544435248062525034078329626380648832032749173746330899412031156105204637292282793632423208825080061587937017363130978644540733098825776915372212354849317376813885178113563072526274562614724020074557397840679937984256404287622135935727727042447493077510397403490469607829027659582820840552983227079975738454291564860751649408292571036530740444010884909169208564698439185729787923026291571464223624851849274062647887960468225011325713624974790354101983041423775460945576066660524005986941818288912766662994426078162719667510657656067040695225510627681853951747958481562962100583938595054467627957269744108448558971634686804319537236396375558357563553198212540676776568606776445269901301489322659897550488216469545962330114439456450327105059143649149353691079858592284770257701514586653646227195894784337109820380725586800308876093495956683418516943600791035812934123566552256657548637356721364170303321445203248318052221608876405613735014581429046863850524823249770110491990966393306602127113232121844805053714961598819340772918780886767784492268026813617212138552880462432011890814832763157455453480244036737608502560568155935219962881254333016283106875208347859959837111605303362360686735617010806770356094119954850985971972173740157108951943158883889960769946088667172184453775159400416773426172185163544642073750820294724241000627118693340037228670955466887445979840508258034553074952786212905447793469416533745102450184312083150984276502843520142547725242420036764321913285201883578643256190127554977259428506738294094650002069424857941569933035773787408238363817558217731402200556355696264590285397096711343409176606399534486123848595737134078956097986897096403649443476180550440132129400660464020005964076985400565370669775001649507962489129968487179363143071990260056227184635557041873959503901703298160676708502034434721702736070337981820498702504612901752836363232547753133669634446212182280948830953449212093385245517672040199624163548955856440570085192091029300807379142100375091750164679249845932033295269830354534768690800943839523328879827294000968558885672349163214396311447169008056222766769723543731024881704573771049624407760697964694003855586008947448896853302136740492580514407729393955580489556711216778774585452721013198637847641603652665922709995374673905262003097098600295826073933596848127168932490801916573177100850314408973588759057608837176008255586173863863537610028088874109464298579173372270668553679213878959830281291941911631089480845893613059432816382467144386202929877438879934617765326964968950596805834503736177373180382300936221015689972069912183414349395106461498087096364312945860028806254674550241272982076023238962557223250366082054549672629899727845047788394343198743530974427374512431803960928917102896898594417389828136739556194292853212418189536177705143393509263700826967109944180530974835980527534343480734009517814874712043293597520502202457633238136380535255784193531700632068258618605704958229398173812474607952266968605468760232899150087704008769431156359521180518564669448293014075023298039436222182782240272844516787977851494198359872264106492071289241977002542132163865420492710010704534742706160402634260047073399438055207291585195236991244449614045909106967144147839858684971576230223513645334982033408")),
  ("0xffffffffffffffffp0", Some("18446744073709551615")),
  ("0x1.fffffffffffffffffp0", Some("2")),
  ("18446744073709551615", Some("18446744073709551615")),
  ("18446744073709551617", Some("18446744073709551616")),
  ("9007199254740993", Some("9007199254740993")),
  ("0.000003814697265625", Some("0.00000381469726562")),
  ("0.000011444091796875", Some("0.00001144409179688")),
  ("0.000000000000000005", Some("0")),
  ("0.000000000000000015", Some("0.00000000000000002")),
  ("2.5e-17", Some("0.00000000000000002")),
  ("-1.5e-17", Some("-0.00000000000000002")),
  ("99999999999999999999999999", Some("100000000000000000000000000")),
  ("1.18973149535723176502e4932", Some("1189731495357231765021263853030970205169063322294624200440323733891737005522970722616410290336528882853545697807495577314427443153670288434198125573853743678673593200706973263201915918282961524365529510646791086614311790632169778838896134786560600399148753433211454911160088679845154866512852340149773037600009125479393966223151383622417838542743917838138717805889487540575168226347659235576974805113725649020884855222494791399377585026011773549180099796226026859508558883608159846900235645132346594476384939859276456284579661772930407806609229102715046085388087959327781622986827547830768080040150694942303411728957777100335714010559775242124057347007386251660110828379119623008469277200965153500208474470792443848545912886723000619085126472111951361467527633519562927597957250278002980795904193139603021470997035276467445530922022679656280991498232083329641241038509239184734786121921697210543484287048353408113042573002216421348917347174234800714880751002064390517234247656004721768096486107994943415703476320643558624207443504424380566136017608837478165389027809576975977286860071487028287955567141404632615832623602762896316173978484254486860609948270867968048078702511858930838546584223040908805996294594586201903766048446790926002225410530775901065760671347200125846406957030257138960983757998926954553052368560758683179223113639519468850880771872104705203957587480013143131444254943919940175753169339392366881856189129931729104252921236835159922322050998001677102784035360140829296398115122877768135706045789343535451696539561254048846447169786893211671087229088082778350518228857646062218739702851655083720992349483334435228984751232753726636066213902281264706234075352071724058665079518217303463782631353393706774901950197841690441824738063162828586857741432581165364040218402724913393320949219498422442730427019873044536620350262386957804682003601447291997123095530057206141866974852846856186514832715974481203121946751686379343096189615107330065552421485195201762858595091051839472502863871632494167613804996319791441870254302706758495192008837915169401581740046711477877201459644461175204059453504764721807975761111720846273639279600339670470037613374509553184150073796412605047923251661354841291884211340823015473304754067072818763503617332908005951896325207071673904547777129682265206225651439919376804400292380903112437912614776255964694221981375146967079446870358004392507659451618379811859392049544036114915310782251072691486979809240946772142727012404377187409216756613634938900451232351668146089322400697993176017805338191849981933008410985993938760292601390911414526003720284872132411955424282101831204216104467404621635336900583664606591156298764745525068145003932941404131495400677602951005962253022823003631473824681059648442441324864573137437595096416168048024129351876204668135636877532814675538798871771836512893947195335061885003267607354388673368002074387849657014576090349857571243045102038730494854256702479339322809110526041538528994849203991091946129912491633289917998094380337879522093131466946149705939664152375949285890960489916121944989986384837022486672249148924678410206183364627416969576307632480235587975245253737035433882960862753427740016333434055083537048507374544819754722228975281083020898682633020285259923084168054539687911418297629988964576482765287504562854924265165217750799516259669229114977788962356670956627138482018191348321687995863652637620978285070099337294396784639879024914514222742527006363942327998483976739987154418554201562244154926653014515504685489258620276085761837129763358761215382565129633538141663949516556000264159186554850057052611431952919918807954522394649627635630178580896692226406235382898535867595990647008385687123810329591926494846250768992258419305480763620215089022149220528069842018350840586938493815498909445461977893029113576516775406232278298314033473276603952231603422824717528181818844304880921321933550869873395861276073670866652375555675803171490108477320096424318780070008797346032906278943553743564448851907191616455141155761939399690767415156402826543664026760095087523945507341556135867933066031744720924446513532366647649735400851967040771103640538150073486891798364049570606189535005089840913826869535090066783324472578712196604415284924840041850932811908963634175739897166596000759487800619164094854338758520657116541072260996288150123144377944008749301944744330784388995701842710004808305012177123560622895076269042856800047718893158089358515593863176652948089031267747029662545110861548958395087796755464137944895960527975209874813839762578592105756284401759349324162148339565350189196811389091843795734703269406342890087805846940352453479398080674273236297887100867175802531561302356064878709259865288416350972529537091114317204887747405539054009425375424119317944175137064689643861517718849867010341532542385911089624710885385808688837777258648564145934262121086647588489260031762345960769508849149662444156604419552086811989770240")),
  ("1.18973149535723176508e4932", None),
  ("+.5", Some("0.5")),
  ("5.", Some("5")),
  ("1E2", Some("100")),
  ("00012.5000", Some("12.5")),
  ("0.00000000000000000001e20", Some("1")),
  ("123e-2", Some("1.23")),
  ("-inf", Some("NANINF")),
];
/// Recorded from redis-server 7.0.15: SET k a; INCRBYFLOAT k b.
const SUMS: &[(&str, &str, Option<&str>)] = &[
  ("10.5", "0.1", Some("10.6")),
  ("10.6", "5000", Some("5010.60000000000000009")),
  ("5010.60000000000000009", "-5010.6", Some("0")),
  ("0.1", "0.2", Some("0.3")),
  ("1.2", "-1e-17", Some("1.19999999999999999")),
  ("1e20", "1", Some("100000000000000000000")),
  ("100000000000000000001", "-1e20", Some("0")),
  ("-123.456", "123.456", Some("0")),
  ("9223372036854775807", "1", Some("9223372036854775808")),
  ("1.7e308", "1.7e308", Some("340000000000000000006273556050395193590540427779388267466087171526404912102411641988123739177800600673957047683771263425322806997836001586961457274820033393094901317200013624802610872515245814124760542925564488876540887382670905522638137419003805178364056052028734561012664811529831035124023358619554802565120")),
  ("1e308", "1e4932", Some("1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720")),
  ("1e4932", "1e4932", Some("NANINF")),
  ("1e4932", "-1e4932", Some("0")),
  ("inf", "-inf", Some("NANINF")),
  ("inf", "1", Some("NANINF")),
  ("0.1", "-0.1", Some("0")),
  ("-0", "-0", Some("0")),
  ("0x1p-16445", "0x1p-16445", Some("0")),
  ("0x1p-16382", "-0x1p-16445", Some("0")),
  ("1", "0x1p-64", Some("1")),
  ("1", "0x1p-65", Some("1")),
  ("1", "0x1.8p-64", Some("1")),
  ("1", "0x1p-63", Some("1")),
  ("18446744073709551615", "1", Some("18446744073709551616")),
  ("1e-4950", "1e-4950", Some("0")),
  ("3", "-3", Some("0")),
  ("2.5", "2.5", Some("5")),
  ("1e19", "-1e-19", Some("10000000000000000000")),
  ("0.30000000000000001", "0.00000000000000000999", Some("0.30000000000000002")),
];

fn parse(text: &str) -> LongDouble {
  LongDouble::parse(text.as_bytes()).unwrap_or_else(|| panic!("{text} should parse"))
}

/// What INCRBYFLOAT replies for `value + increment`.
fn human_sum(value: LongDouble, increment: LongDouble) -> String {
  let sum = value + increment;
  if sum.is_finite() {
    sum.to_human_string()
  } else {
    "NANINF".into()
  }
}

#[test]
fn long_double_parses_and_prints_like_strtold_and_printf() {
  for &(text, expected) in SINGLES {
    let got = LongDouble::parse(text.as_bytes()).map(|v| human_sum(LongDouble::ZERO, v));
    assert_eq!(got.as_deref(), expected, "{text}");
  }
}

#[test]
fn long_double_sums_match_redis() {
  for &(a, b, expected) in SUMS {
    let got = match (LongDouble::parse(a.as_bytes()), LongDouble::parse(b.as_bytes())) {
      (Some(a), Some(b)) => Some(human_sum(a, b)),
      _ => None,
    };
    assert_eq!(got.as_deref(), expected, "{a} + {b}");
  }
}

#[test]
fn long_double_representation_and_rounding() {
  use LongDouble::*;
  assert_eq!(parse("1"), Finite { negative: false, mantissa: 1 << 63, exponent: -63 });
  assert_eq!(parse("-0"), Finite { negative: true, mantissa: 0, exponent: 0 });
  assert_eq!(parse("0e-99999999999999999999"), LongDouble::ZERO);
  // The smallest subnormal, and the smallest normal value.
  assert_eq!(parse("0x1p-16445"), Finite { negative: false, mantissa: 1, exponent: -16445 });
  assert_eq!(parse("3.6451995318824746e-4951"), parse("0x1p-16445"));
  assert_eq!(parse("0x1p-16382"), Finite { negative: false, mantissa: 1 << 63, exponent: -16445 });
  assert_eq!(parse("INF"), Infinite { negative: false });
  assert_eq!(parse("-Infinity"), Infinite { negative: true });
  assert_eq!(LongDouble::from_i64(i64::MIN), parse("-9223372036854775808"));
  assert_eq!(LongDouble::from_i64(-3), parse("-0x3p0"));
  assert_eq!(LongDouble::from_i64(0), LongDouble::ZERO);

  // Parsing rounds to 64 significant bits, ties to even.
  assert_eq!(parse("18446744073709551617"), parse("18446744073709551616"));
  assert_eq!(parse("18446744073709551619"), parse("18446744073709551620"));
  assert_eq!(parse("0x1.fffffffffffffffffp0"), parse("2"));
  // So does addition: half an ulp above 1 is a tie that stays at 1 (even), a bit more rounds
  // up, and a tie above an odd significand rounds up to even.
  assert_eq!(parse("1") + parse("0x1p-64"), parse("1"));
  assert_eq!(parse("1") + parse("0x1.8p-64"), parse("0x1.0000000000000002p0"));
  assert_eq!(parse("0x1.0000000000000002p0") + parse("0x1p-64"), parse("0x1.0000000000000004p0"));
  assert_eq!(
    parse("0x1p-16382") + parse("-0x1p-16445"),
    Finite { negative: false, mantissa: u64::MAX >> 1, exponent: -16445 }
  );
  assert_eq!(parse("0.1") + parse("-0.1"), LongDouble::ZERO);
  assert_eq!(parse("-0") + parse("-0"), parse("-0"));

  // Overflow, underflow and NaN.
  assert_eq!(parse("1e4932") + parse("1e4932"), Infinite { negative: false });
  assert_eq!(parse("-1e4932") + parse("-1e4932"), Infinite { negative: true });
  assert_eq!(parse("inf") + parse("-inf"), NaN);
  assert_eq!(parse("-inf") + parse("1"), Infinite { negative: true });
  for rejected in ["1e4933", "-1.2e4932", "1e-4952", "0x1p16384", "0x1p-16446", "nan", "-nan", ""] {
    assert_eq!(LongDouble::parse(rejected.as_bytes()), None, "{rejected}");
  }
  // Redis refuses texts of 5120 bytes or more.
  assert_eq!(parse(&format!("0.{}", "1".repeat(5117))).to_human_string(), "0.11111111111111111");
  assert_eq!(LongDouble::parse(format!("0.{}", "1".repeat(5118)).as_bytes()), None);

  // %.17Lf, then Redis's trimming.
  assert_eq!(parse("0.1").format_fixed(), "0.10000000000000000");
  assert_eq!(parse("5010.6").format_fixed(), "5010.60000000000000009");
  assert_eq!(parse("1e20").format_fixed(), "100000000000000000000.00000000000000000");
  assert_eq!(parse("-1e-30").format_fixed(), "-0.00000000000000000");
  assert_eq!(parse("-1e-30").to_human_string(), "0");
  assert_eq!(parse("-1.5e-17").to_human_string(), "-0.00000000000000002");
  assert_eq!(parse("-2.50").to_human_string(), "-2.5");
  assert_eq!(parse("100").to_human_string(), "100");
}
