//! SORT and SORT_RO: numeric and ALPHA sorts of lists, sets and sorted sets, BY patterns
//! (string keys, hash fields, `nosort`), GET patterns, LIMIT, STORE, and Redis 7.0's errors and
//! tie-breaking rules. Every expected reply was taken from redis-server 7.0.15.

mod common;
use common::{encode, Client};

/// Sends a binary command and returns the raw reply bytes.
fn raw(c: &mut Client, args: &[&[u8]]) -> Vec<u8> {
  c.raw(&encode(args))
}

/// Elements are compared as doubles (read with strtod); equal values fall back to byte order.
#[test]
fn numeric_sort_of_a_list() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "3", "1", "2", "10", "-5", "1.5", "0x10", " 7", "1e2", "01", "1"]);
  assert_eq!(c.cmd(&["SORT", "l"]), "*11\r\n$2\r\n-5\r\n$2\r\n01\r\n$1\r\n1\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n 7\r\n$2\r\n10\r\n$4\r\n0x10\r\n$3\r\n1e2\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "DESC"]), "*11\r\n$3\r\n1e2\r\n$4\r\n0x10\r\n$2\r\n10\r\n$2\r\n 7\r\n$1\r\n3\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\n1\r\n$1\r\n1\r\n$2\r\n01\r\n$2\r\n-5\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "ASC", "DESC", "ASC"]), "*11\r\n$2\r\n-5\r\n$2\r\n01\r\n$1\r\n1\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n 7\r\n$2\r\n10\r\n$4\r\n0x10\r\n$3\r\n1e2\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "0", "3"]), "*3\r\n$2\r\n-5\r\n$2\r\n01\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "2", "3", "DESC"]), "*3\r\n$2\r\n10\r\n$2\r\n 7\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "-1", "2"]), "*2\r\n$2\r\n-5\r\n$2\r\n01\r\n");
  assert_eq!(
    c.cmd(&["SORT", "l", "LIMIT", "5", "-1"]),
    "*6\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n 7\r\n$2\r\n10\r\n$4\r\n0x10\r\n$3\r\n1e2\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "100", "1"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "0", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "limit", "1", "100"]), "*10\r\n$2\r\n01\r\n$1\r\n1\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n 7\r\n$2\r\n10\r\n$4\r\n0x10\r\n$3\r\n1e2\r\n");
  assert_eq!(c.cmd(&["SORT_RO", "l", "LIMIT", "1", "2"]), "*2\r\n$2\r\n01\r\n$1\r\n1\r\n");
}

/// Hexadecimal, leading blanks, infinities and empty strings are numbers; trailing junk, NaN and out-of-range values are not.
#[test]
fn numeric_sort_reads_keys_like_strtod() {
  let mut c = Client::new();
  c.cmd(&[
    "RPUSH",
    "e",
    "1",
    "-0",
    "0",
    "+0",
    "1e0",
    "0x1",
    "inf",
    "-inf",
    "infinity",
    "9007199254740993",
    "9007199254740992",
    "",
    "0X1.8P1",
  ]);
  assert_eq!(c.cmd(&["SORT", "e"]), "*13\r\n$4\r\n-inf\r\n$0\r\n\r\n$2\r\n+0\r\n$2\r\n-0\r\n$1\r\n0\r\n$3\r\n0x1\r\n$1\r\n1\r\n$3\r\n1e0\r\n$7\r\n0X1.8P1\r\n$16\r\n9007199254740992\r\n$16\r\n9007199254740993\r\n$3\r\ninf\r\n$8\r\ninfinity\r\n");
  assert_eq!(c.cmd(&["SORT", "e", "DESC"]), "*13\r\n$8\r\ninfinity\r\n$3\r\ninf\r\n$16\r\n9007199254740993\r\n$16\r\n9007199254740992\r\n$7\r\n0X1.8P1\r\n$3\r\n1e0\r\n$1\r\n1\r\n$3\r\n0x1\r\n$1\r\n0\r\n$2\r\n-0\r\n$2\r\n+0\r\n$0\r\n\r\n$4\r\n-inf\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", "1x"]), ":14\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["SORT", "e", "BY", "nosort"]), "*14\r\n$1\r\n1\r\n$2\r\n-0\r\n$1\r\n0\r\n$2\r\n+0\r\n$3\r\n1e0\r\n$3\r\n0x1\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$8\r\ninfinity\r\n$16\r\n9007199254740993\r\n$16\r\n9007199254740992\r\n$0\r\n\r\n$7\r\n0X1.8P1\r\n$2\r\n1x\r\n");
  assert_eq!(c.cmd(&["SORT", "e", "ALPHA"]), "*14\r\n$0\r\n\r\n$2\r\n+0\r\n$2\r\n-0\r\n$4\r\n-inf\r\n$1\r\n0\r\n$7\r\n0X1.8P1\r\n$3\r\n0x1\r\n$1\r\n1\r\n$3\r\n1e0\r\n$2\r\n1x\r\n$16\r\n9007199254740992\r\n$16\r\n9007199254740993\r\n$3\r\ninf\r\n$8\r\ninfinity\r\n");
  assert_eq!(c.cmd(&["SORT", "e", "STORE", "dst"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["DEL", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", "nan"]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["DEL", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", "1e400"]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["DEL", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", "1e-310"]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["DEL", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", "5 "]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["DEL", "e"]), ":1\r\n");
  assert_eq!(c.cmd(&["RPUSH", "e", " ", "x"]), ":2\r\n");
  assert_eq!(c.cmd(&["SORT", "e"]), "-ERR One or more scores can't be converted into double\r\n");
}

/// ALPHA compares bytes: like strcoll in the C locale (up to a NUL byte) in replies, whole strings when storing.
#[test]
fn alpha_sort() {
  let mut c = Client::new();
  raw(
    &mut c,
    &[
      &b"RPUSH"[..],
      &b"b"[..],
      &b"a"[..],
      &b"B"[..],
      &b"b"[..],
      &b"\xc3\xa9"[..],
      &b"\xff"[..],
      &b"\x80"[..],
      &b"A"[..],
      &b"z"[..],
      &b"a\x00c"[..],
      &b"a\x00b"[..],
      &b"a\x00"[..],
      &b""[..],
      &b"\x7f"[..],
      &b"10"[..],
      &b"9"[..],
    ],
  );
  assert_eq!(raw(&mut c, &[&b"SORT"[..], &b"b"[..], &b"ALPHA"[..]]), b"*15\r\n$0\r\n\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$3\r\na\x00c\r\n$3\r\na\x00b\r\n$2\r\na\x00\r\n$1\r\nb\r\n$1\r\nz\r\n$1\r\n\x7f\r\n$1\r\n\x80\r\n$2\r\n\xc3\xa9\r\n$1\r\n\xff\r\n");
  assert_eq!(raw(&mut c, &[&b"SORT"[..], &b"b"[..], &b"ALPHA"[..], &b"DESC"[..]]), b"*15\r\n$1\r\n\xff\r\n$2\r\n\xc3\xa9\r\n$1\r\n\x80\r\n$1\r\n\x7f\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\na\r\n$3\r\na\x00c\r\n$3\r\na\x00b\r\n$2\r\na\x00\r\n$1\r\nB\r\n$1\r\nA\r\n$1\r\n9\r\n$2\r\n10\r\n$0\r\n\r\n");
  assert_eq!(
    c.cmd(&["SORT", "b", "ALPHA", "LIMIT", "3", "4"]),
    "*4\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$3\r\na\x00c\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "b", "ALPHA", "STORE", "dst"]), ":15\r\n");
  assert_eq!(raw(&mut c, &[&b"LRANGE"[..], &b"dst"[..], &b"0"[..], &b"-1"[..]]), b"*15\r\n$0\r\n\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\na\r\n$2\r\na\x00\r\n$3\r\na\x00b\r\n$3\r\na\x00c\r\n$1\r\nb\r\n$1\r\nz\r\n$1\r\n\x7f\r\n$1\r\n\x80\r\n$2\r\n\xc3\xa9\r\n$1\r\n\xff\r\n");
  assert_eq!(c.cmd(&["SORT", "b"]), "-ERR One or more scores can't be converted into double\r\n");
}

/// A missing key sorts as an empty list; storing nothing deletes the destination.
#[test]
fn missing_key_is_an_empty_list() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SORT", "missing"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "missing", "BY", "nosort", "DESC", "LIMIT", "0", "1"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT_RO", "missing", "GET", "#"]), "*0\r\n");
  assert_eq!(c.cmd(&["SET", "dst", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SORT", "missing", "STORE", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dst"]), ":0\r\n");
}

/// Option errors come first (syntax, LIMIT integers), then WRONGTYPE.
#[test]
fn errors() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "1"]);
  c.cmd(&["SET", "str", "v"]);
  c.cmd(&["HSET", "h", "f", "v"]);
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "a", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "0", "1.5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "BY"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "GET"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "STORE"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "ALPHA", "NOSORT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT_RO", "l", "STORE", "dst"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["SORT", "str"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["SORT", "str", "LIMIT", "x", "y"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SORT", "str", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SORT_RO", "str"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["SORT", "h"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["SORT", "str", "STORE", "dst"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["SORT"]), "-ERR wrong number of arguments for 'sort' command\r\n");
  assert_eq!(c.cmd(&["SORT_RO"]), "-ERR wrong number of arguments for 'sort_ro' command\r\n");
}

/// A BY pattern without * skips sorting: lists keep their order, DESC reverses it, LIMIT picks the range.
#[test]
fn by_nosort_keeps_list_order() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "l", "c", "a", "d", "b", "e"]);
  c.cmd(&["SET", "w_a", "5"]);
  c.cmd(&["SET", "w_b", "1"]);
  assert_eq!(c.cmd(&["SORT", "l", "BY", "nosort"]), "*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\ne\r\n");
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "nosort", "DESC"]),
    "*5\r\n$1\r\ne\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nc\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "l", "BY", "nosort", "LIMIT", "1", "3"]), "*3\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n");
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "3"]),
    "*3\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\na\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "l", "BY", "nosort", "LIMIT", "20", "3"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "BY", "nosort", "LIMIT", "0", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "4", "5"]), "*1\r\n$1\r\nc\r\n");
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "nosort", "ALPHA"]),
    "*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\ne\r\n"
  );
  // a later BY with * does not undo the earlier nosort
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "nosort", "BY", "w_*"]),
    "*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\ne\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "w_*", "BY", "nosort"]),
    "*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\ne\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "l", "BY", "nosort\x00*"]),
    "*5\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\ne\r\n"
  );
}

/// BY replaces the first * with the element; missing keys sort as 0 (numeric) or first (ALPHA).
#[test]
fn by_pattern() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "ids", "1", "2", "3", "4", "5"]);
  c.cmd(&["SET", "w_1", "50"]);
  c.cmd(&["SET", "w_2", "20"]);
  c.cmd(&["SET", "w_3", "20"]);
  c.cmd(&["SET", "w_5", ""]);
  c.cmd(&["SET", "1", "-1"]);
  c.cmd(&["HSET", "h", "f", "1"]);
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "w_*"]), "*5\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n");
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "w_*", "DESC"]),
    "*5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n5\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "w_*", "ALPHA"]),
    "*5\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "w_*", "ALPHA", "DESC"]),
    "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "w_*", "LIMIT", "1", "2"]), "*2\r\n$1\r\n5\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "w_*", "ALPHA", "LIMIT", "1", "2"]), "*2\r\n$1\r\n5\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "*"]), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["SET", "w_4", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "w_*"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "w_*", "ALPHA"]),
    "*5\r\n$1\r\n5\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "h*->f"]), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
}

/// key->field reads a hash field; the arrow must follow the * and be followed by a field name.
#[test]
fn hash_field_patterns() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "ids", "1", "2", "3"]);
  c.cmd(&["HSET", "obj_1", "name", "one", "rank", "3"]);
  c.cmd(&["HSET", "obj_2", "name", "two", "rank", "1"]);
  c.cmd(&["HSET", "obj_3", "name", "three", "rank", "2"]);
  c.cmd(&["SET", "obj_1->", "arrow"]);
  c.cmd(&["SET", "str_1", "s"]);
  c.cmd(&["HSET", "obj_2", "na->me", "arrowed"]);
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "obj_*->rank", "GET", "#", "GET", "obj_*->name"]),
    "*6\r\n$1\r\n2\r\n$3\r\ntwo\r\n$1\r\n3\r\n$5\r\nthree\r\n$1\r\n1\r\n$3\r\none\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "obj_*->rank", "DESC", "GET", "obj_*->name"]),
    "*3\r\n$3\r\none\r\n$5\r\nthree\r\n$3\r\ntwo\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "obj_*->name", "ALPHA", "GET", "obj_*->name"]),
    "*3\r\n$3\r\none\r\n$5\r\nthree\r\n$3\r\ntwo\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "obj_*->missing", "GET", "obj_*->missing"]), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  assert_eq!(
    c.cmd(&["SORT", "ids", "BY", "nosort", "GET", "obj_*->", "GET", "str_*->name", "GET", "obj->*"]),
    "*9\r\n$5\r\narrow\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "BY", "nosort", "GET", "obj_*->na->me"]), "*3\r\n$-1\r\n$7\r\narrowed\r\n$-1\r\n");
}

/// GET # is the element; other patterns read strings or hash fields, nil when missing or of another type.
#[test]
fn get_patterns() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "ids", "3", "1", "2"]);
  c.cmd(&["SET", "w_1", "one"]);
  c.cmd(&["SET", "w_3", "three"]);
  c.cmd(&["SET", "pre2post", "P"]);
  c.cmd(&["SET", "1", "itself"]);
  c.cmd(&["RPUSH", "l_1", "x"]);
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "#"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  assert_eq!(
    c.cmd(&["SORT", "ids", "GET", "#", "GET", "#"]),
    "*6\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "ids", "GET", "w_*", "GET", "#", "DESC"]),
    "*6\r\n$5\r\nthree\r\n$1\r\n3\r\n$-1\r\n$1\r\n2\r\n$3\r\none\r\n$1\r\n1\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "nokey"]), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "#x"]), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "*"]), "*3\r\n$6\r\nitself\r\n$-1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "pre*post"]), "*3\r\n$-1\r\n$1\r\nP\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "l_*"]), "*3\r\n$-1\r\n$-1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "w_*", "LIMIT", "1", "1"]), "*1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["SORT_RO", "ids", "GET", "w_*", "BY", "nosort"]), "*3\r\n$5\r\nthree\r\n$3\r\none\r\n$-1\r\n");
}

/// STORE writes a list (replacing any value and its TTL) and replies with its length; GET misses store empty strings.
#[test]
fn store() {
  let mut c = Client::new();
  c.cmd(&["RPUSH", "ids", "3", "1", "2"]);
  c.cmd(&["SET", "w_1", "one"]);
  assert_eq!(c.cmd(&["SORT", "ids", "STORE", "dst"]), ":3\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["TTL", "dst"]), ":-1\r\n");
  assert_eq!(c.cmd(&["SET", "dst", "string"]), "+OK\r\n");
  assert_eq!(c.cmd(&["EXPIRE", "dst", "100"]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "DESC", "STORE", "dst"]), ":3\r\n");
  assert_eq!(c.cmd(&["TTL", "dst"]), ":-1\r\n");
  assert_eq!(c.cmd(&["TYPE", "dst"]), "+list\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "GET", "w_*", "GET", "#", "STORE", "dst"]), ":6\r\n");
  assert_eq!(
    c.cmd(&["LRANGE", "dst", "0", "-1"]),
    "*6\r\n$3\r\none\r\n$1\r\n1\r\n$0\r\n\r\n$1\r\n2\r\n$0\r\n\r\n$1\r\n3\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "ids", "LIMIT", "0", "0", "STORE", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dst"]), ":0\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "STORE", "a", "STORE", "b"]), ":3\r\n");
  assert_eq!(c.cmd(&["EXISTS", "a", "b"]), ":1\r\n");
  assert_eq!(c.cmd(&["SORT", "ids", "STORE", "ids"]), ":3\r\n");
  assert_eq!(c.cmd(&["LRANGE", "ids", "0", "-1"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

/// Sets sort like lists; BY nosort keeps an intset's order, and with STORE sorts byte-wise instead.
#[test]
fn sets() {
  let mut c = Client::new();
  c.cmd(&["SADD", "si", "5", "3", "9", "-1", "0", "10"]);
  c.cmd(&["SADD", "ss", "b", "a", "c", "10", "2"]);
  c.cmd(&["SET", "w_a", "A"]);
  assert_eq!(c.cmd(&["SORT", "si"]), "*6\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n$2\r\n10\r\n");
  assert_eq!(
    c.cmd(&["SORT", "si", "DESC"]),
    "*6\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n5\r\n$1\r\n3\r\n$1\r\n0\r\n$2\r\n-1\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "si", "BY", "nosort"]),
    "*6\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n$2\r\n10\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "si", "BY", "nosort", "LIMIT", "1", "2"]), "*2\r\n$1\r\n0\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["SORT", "si", "BY", "nosort", "DESC", "STORE", "dst"]), ":6\r\n");
  assert_eq!(
    c.cmd(&["LRANGE", "dst", "0", "-1"]),
    "*6\r\n$1\r\n9\r\n$1\r\n5\r\n$1\r\n3\r\n$2\r\n10\r\n$1\r\n0\r\n$2\r\n-1\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "si", "ALPHA"]),
    "*6\r\n$2\r\n-1\r\n$1\r\n0\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "si", "LIMIT", "1", "2", "ALPHA", "DESC"]), "*2\r\n$1\r\n5\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["SORT", "ss", "ALPHA"]), "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  assert_eq!(c.cmd(&["SORT", "ss"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(c.cmd(&["SORT", "ss", "BY", "nosort", "STORE", "dst"]), ":5\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  assert_eq!(
    c.cmd(&["SORT", "ss", "ALPHA", "GET", "#", "GET", "w_*"]),
    "*10\r\n$2\r\n10\r\n$-1\r\n$1\r\n2\r\n$-1\r\n$1\r\na\r\n$1\r\nA\r\n$1\r\nb\r\n$-1\r\n$1\r\nc\r\n$-1\r\n"
  );
}

/// Equal ALPHA BY values keep the list order in a full sort; with LIMIT, Redis's partial quicksort decides.
#[test]
fn alpha_ties_keep_input_order() {
  let mut c = Client::new();
  c.cmd(&[
    "RPUSH", "t", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
  ]);
  c.cmd(&["SET", "w_j", "a"]);
  c.cmd(&["SET", "w_i", "b"]);
  c.cmd(&["SET", "w_h", "a"]);
  c.cmd(&["SET", "w_g", "b"]);
  c.cmd(&["SET", "w_f", "a"]);
  c.cmd(&["SET", "w_e", "b"]);
  c.cmd(&["SET", "w_d", "a"]);
  c.cmd(&["SET", "w_c", "b"]);
  c.cmd(&["SET", "w_b", "a"]);
  c.cmd(&["SET", "w_a", "b"]);
  c.cmd(&["SET", "w_k", "a"]);
  c.cmd(&["SET", "w_l", "b"]);
  c.cmd(&["SET", "w_m", "a"]);
  c.cmd(&["SET", "w_n", "b"]);
  c.cmd(&["SET", "w_o", "a"]);
  c.cmd(&["SET", "w_p", "b"]);
  c.cmd(&["SET", "w_q", "a"]);
  c.cmd(&["SET", "w_r", "b"]);
  c.cmd(&["SET", "w_s", "a"]);
  c.cmd(&["SET", "w_t", "b"]);
  assert_eq!(c.cmd(&["SORT", "t", "BY", "nokey_*", "ALPHA"]), "*20\r\n$1\r\nj\r\n$1\r\ni\r\n$1\r\nh\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nk\r\n$1\r\nl\r\n$1\r\nm\r\n$1\r\nn\r\n$1\r\no\r\n$1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n$1\r\ns\r\n$1\r\nt\r\n");
  assert_eq!(c.cmd(&["SORT", "t", "BY", "nokey_*", "ALPHA", "DESC"]), "*20\r\n$1\r\nj\r\n$1\r\ni\r\n$1\r\nh\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nk\r\n$1\r\nl\r\n$1\r\nm\r\n$1\r\nn\r\n$1\r\no\r\n$1\r\np\r\n$1\r\nq\r\n$1\r\nr\r\n$1\r\ns\r\n$1\r\nt\r\n");
  assert_eq!(
    c.cmd(&["SORT", "t", "BY", "nokey_*", "ALPHA", "LIMIT", "0", "5"]),
    "*5\r\n$1\r\nt\r\n$1\r\ni\r\n$1\r\nh\r\n$1\r\ng\r\n$1\r\nf\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "t", "BY", "nokey_*", "ALPHA", "LIMIT", "6", "4"]),
    "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "t", "BY", "nokey_*", "LIMIT", "0", "5"]),
    "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "t", "BY", "w_*", "ALPHA"]), "*20\r\n$1\r\nj\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\no\r\n$1\r\nq\r\n$1\r\ns\r\n$1\r\ni\r\n$1\r\ng\r\n$1\r\ne\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nl\r\n$1\r\nn\r\n$1\r\np\r\n$1\r\nr\r\n$1\r\nt\r\n");
  assert_eq!(
    c.cmd(&["SORT", "t", "BY", "w_*", "ALPHA", "LIMIT", "2", "6"]),
    "*6\r\n$1\r\nf\r\n$1\r\nd\r\n$1\r\nb\r\n$1\r\nk\r\n$1\r\nm\r\n$1\r\no\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "t", "BY", "w_*", "ALPHA", "DESC", "LIMIT", "1", "8"]),
    "*8\r\n$1\r\nl\r\n$1\r\ng\r\n$1\r\nn\r\n$1\r\nc\r\n$1\r\np\r\n$1\r\ni\r\n$1\r\nr\r\n$1\r\na\r\n"
  );
}

/// COMMAND GETKEYS finds the sorted key and the last STORE destination.
#[test]
fn command_getkeys() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["COMMAND", "GETKEYS", "SORT", "l", "BY", "w_*", "GET", "#", "STORE", "dst"]),
    "*2\r\n$1\r\nl\r\n$3\r\ndst\r\n"
  );
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS", "SORT", "l", "STORE"]), "*1\r\n$1\r\nl\r\n");
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS", "SORT", "l", "STORE", "a", "STORE", "b"]), "*2\r\n$1\r\nl\r\n$1\r\nb\r\n");
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS", "SORT", "l", "LIMIT", "0", "STORE", "d"]), "*1\r\n$1\r\nl\r\n");
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS", "SORT_RO", "l", "STORE", "d"]), "*1\r\n$1\r\nl\r\n");
  assert_eq!(
    c.cmd(&["COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE", "d"]),
    "*2\r\n*2\r\n$1\r\nl\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nd\r\n*2\r\n+OW\r\n+update\r\n"
  );
}

/// Sorted sets sort by their members; BY nosort keeps score order (backwards for DESC). SORT leaves a listpack converted to a skiplist.
#[test]
fn sorted_sets() {
  let mut c = Client::new();
  c.cmd(&["ZADD", "z", "3", "c", "1", "a", "2", "b", "2", "bb", "10", "1", "5", "2"]);
  c.cmd(&["ZADD", "zn", "1", "3", "2", "1", "3", "2"]);
  c.cmd(&["SET", "w_1", "one"]);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "z"]), "$8\r\nlistpack\r\n");
  assert_eq!(
    c.cmd(&["SORT_RO", "z", "BY", "nosort"]),
    "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\n2\r\n$1\r\n1\r\n"
  );
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "z"]), "$8\r\nskiplist\r\n");
  assert_eq!(c.cmd(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]), "*12\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nbb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n5\r\n$1\r\n1\r\n$2\r\n10\r\n");
  assert_eq!(
    c.cmd(&["SORT", "z", "ALPHA"]),
    "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "z", "ALPHA", "DESC"]),
    "*6\r\n$1\r\nc\r\n$2\r\nbb\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\n1\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "zn"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["SORT", "z"]), "-ERR One or more scores can't be converted into double\r\n");
  assert_eq!(
    c.cmd(&["SORT", "z", "BY", "nosort", "DESC"]),
    "*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nc\r\n$2\r\nbb\r\n$1\r\nb\r\n$1\r\na\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort", "LIMIT", "1", "3"]), "*3\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n");
  assert_eq!(
    c.cmd(&["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "3"]),
    "*3\r\n$1\r\n2\r\n$1\r\nc\r\n$2\r\nbb\r\n"
  );
  assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort", "LIMIT", "10", "3"]), "*0\r\n");
  assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "5", "10"]), "*1\r\n$1\r\na\r\n");
  assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort", "STORE", "dst"]), ":6\r\n");
  assert_eq!(
    c.cmd(&["LRANGE", "dst", "0", "-1"]),
    "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\n2\r\n$1\r\n1\r\n"
  );
  assert_eq!(
    c.cmd(&["SORT", "zn", "DESC", "LIMIT", "0", "2", "GET", "#", "GET", "w_*"]),
    "*4\r\n$1\r\n3\r\n$-1\r\n$1\r\n2\r\n$-1\r\n"
  );
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "zn"]), "$8\r\nskiplist\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["SORT", "missing"]), "*0\r\n");
}
