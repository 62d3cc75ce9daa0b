//! Byte-exact tests of the hash commands (HSET family, reads, HDEL, HINCRBY/HINCRBYFLOAT,
//! HRANDFIELD, HSCAN), of the listpack → hashtable conversions, and of the generic commands on
//! hashes. Deterministic replies were recorded from redis-server 7.0.15; random ones (HRANDFIELD,
//! HSCAN on a hashtable) are checked for their properties.

mod common;
use common::{encode, Client};
use redwing_engine::config::Permission;
use std::collections::{BTreeMap, BTreeSet};

/// Switches the connection to RESP3.
fn resp3(c: &mut Client) {
  assert!(c.cmd(&["HELLO", "3"]).starts_with('%'));
}

/// Switches the connection back to RESP2.
fn resp2(c: &mut Client) {
  assert!(c.cmd(&["HELLO", "2"]).starts_with('*'));
}

/// HSET counts the fields it added, HMSET replies OK, HSETNX only adds; an incomplete field/value
/// pair is an arity error.
#[test]
fn hset_hmset_hsetnx_and_hget() {
  let mut c = Client::new();
  // HSET counts new fields; HMSET replies OK; an incomplete pair is an arity error.
  assert_eq!(c.cmd(&["HSET", "h", "f1", "v1", "f2", "v2"]), ":2\r\n");
  assert_eq!(c.cmd(&["HSET", "h", "f1", "new", "f3", "v3"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSET", "h", "f4", "a", "f4", "b"]), ":1\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "f1"]), "$3\r\nnew\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "f4"]), "$1\r\nb\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "nope"]), "$-1\r\n");
  assert_eq!(c.cmd(&["HGET", "missing", "f1"]), "$-1\r\n");
  assert_eq!(c.cmd(&["HSET", "h", "f5"]), "-ERR wrong number of arguments for 'hset' command\r\n");
  assert_eq!(c.cmd(&["HSET", "h"]), "-ERR wrong number of arguments for 'hset' command\r\n");
  assert_eq!(c.cmd(&["HMSET", "h", "f5", "v5", "f6", "v6"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HMSET", "h", "f7"]), "-ERR wrong number of arguments for 'hmset' command\r\n");
  assert_eq!(c.cmd(&["HMSET", "h"]), "-ERR wrong number of arguments for 'hmset' command\r\n");
  assert_eq!(c.cmd(&["HLEN", "h"]), ":6\r\n");
  assert_eq!(c.cmd(&["HGETALL", "h"]), "*12\r\n$2\r\nf1\r\n$3\r\nnew\r\n$2\r\nf2\r\n$2\r\nv2\r\n$2\r\nf3\r\n$2\r\nv3\r\n$2\r\nf4\r\n$1\r\nb\r\n$2\r\nf5\r\n$2\r\nv5\r\n$2\r\nf6\r\n$2\r\nv6\r\n");
  assert_eq!(c.cmd(&["HKEYS", "h"]), "*6\r\n$2\r\nf1\r\n$2\r\nf2\r\n$2\r\nf3\r\n$2\r\nf4\r\n$2\r\nf5\r\n$2\r\nf6\r\n");
  assert_eq!(c.cmd(&["HVALS", "h"]), "*6\r\n$3\r\nnew\r\n$2\r\nv2\r\n$2\r\nv3\r\n$1\r\nb\r\n$2\r\nv5\r\n$2\r\nv6\r\n");
  // HSETNX only adds.
  assert_eq!(c.cmd(&["HSETNX", "h", "f1", "other"]), ":0\r\n");
  assert_eq!(c.cmd(&["HSETNX", "h", "f8", "v8"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSETNX", "newkey", "f", "v"]), ":1\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "f1"]), "$3\r\nnew\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "f8"]), "$2\r\nv8\r\n");
  assert_eq!(c.cmd(&["HGET", "newkey", "f"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["HSETNX", "h", "f1"]), "-ERR wrong number of arguments for 'hsetnx' command\r\n");
}

/// HMGET, HEXISTS, HSTRLEN, HLEN, HGETALL, HKEYS, HVALS on a hash and on a missing key, in RESP2
/// and RESP3 (HGETALL is a map).
#[test]
fn reads_of_fields_and_whole_hashes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]), ":3\r\n");
  assert_eq!(c.cmd(&["HMGET", "h", "a", "nope", "c", "a"]), "*4\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["HMGET", "missing", "a", "b"]), "*2\r\n$-1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["HMGET", "h"]), "-ERR wrong number of arguments for 'hmget' command\r\n");
  assert_eq!(c.cmd(&["HEXISTS", "h", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["HEXISTS", "h", "nope"]), ":0\r\n");
  assert_eq!(c.cmd(&["HEXISTS", "missing", "a"]), ":0\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "h", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "h", "nope"]), ":0\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "missing", "a"]), ":0\r\n");
  assert_eq!(c.cmd(&["HSET", "h", "long", "hello world", "num", "-12345", "empty", ""]), ":3\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "h", "long"]), ":11\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "h", "num"]), ":6\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "h", "empty"]), ":0\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "empty"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["HLEN", "h"]), ":6\r\n");
  assert_eq!(c.cmd(&["HLEN", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["HGETALL", "missing"]), "*0\r\n");
  assert_eq!(c.cmd(&["HKEYS", "missing"]), "*0\r\n");
  assert_eq!(c.cmd(&["HVALS", "missing"]), "*0\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["HGETALL", "h"]), "%6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$4\r\nlong\r\n$11\r\nhello world\r\n$3\r\nnum\r\n$6\r\n-12345\r\n$5\r\nempty\r\n$0\r\n\r\n");
  assert_eq!(c.cmd(&["HGETALL", "missing"]), "%0\r\n");
  assert_eq!(c.cmd(&["HKEYS", "missing"]), "*0\r\n");
  assert_eq!(c.cmd(&["HMGET", "h", "a", "nope"]), "*2\r\n$1\r\n1\r\n_\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "nope"]), "_\r\n");
  assert_eq!(c.cmd(&["HEXISTS", "h", "a"]), ":1\r\n");
  resp2(&mut c);
}

/// HDEL counts removed fields (duplicates once) and deletes the key with its last field.
#[test]
fn hdel_deletes_the_emptied_key() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]), ":3\r\n");
  assert_eq!(c.cmd(&["HDEL", "h", "a", "a", "nope"]), ":1\r\n");
  assert_eq!(c.cmd(&["HDEL", "h", "nope"]), ":0\r\n");
  assert_eq!(c.cmd(&["HDEL", "missing", "a"]), ":0\r\n");
  assert_eq!(c.cmd(&["HLEN", "h"]), ":2\r\n");
  assert_eq!(c.cmd(&["HGETALL", "h"]), "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["HDEL", "h", "b", "c"]), ":2\r\n");
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");
  assert_eq!(c.cmd(&["TYPE", "h"]), "+none\r\n");
  assert_eq!(c.cmd(&["HDEL", "h"]), "-ERR wrong number of arguments for 'hdel' command\r\n");
}

/// Every hash command refuses a string key with WRONGTYPE, after its own argument checks; string
/// commands refuse a hash.
#[test]
fn wrong_type_and_argument_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "s", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HSET", "s", "f", "v"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["HMSET", "s", "f", "v"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["HSETNX", "s", "f", "v"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["HGET", "s", "f"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["HMGET", "s", "f", "g"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["HDEL", "s", "f"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HLEN", "s"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HSTRLEN", "s", "f"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HEXISTS", "s", "f"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HKEYS", "s"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HVALS", "s"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["HGETALL", "s"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["HINCRBY", "s", "f", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["HINCRBYFLOAT", "s", "f", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["HRANDFIELD", "s"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["HRANDFIELD", "s", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["HRANDFIELD", "s", "-3", "WITHVALUES"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["HSCAN", "s", "0"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["HSCAN", "s", "0", "COUNT", "0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  // Argument errors are reported before the type check.
  assert_eq!(c.cmd(&["HINCRBY", "s", "f", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "s", "f", "x"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "s", "f", "inf"]), "-ERR value is NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "s", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "s", "1", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "s", "9223372036854775807", "WITHVALUES"]), "-ERR value is out of range\r\n");
  assert_eq!(c.cmd(&["HSCAN", "s", "x"]), "-ERR invalid cursor\r\n");
  assert_eq!(c.cmd(&["HSET", "s", "f"]), "-ERR wrong number of arguments for 'hset' command\r\n");
  assert_eq!(c.cmd(&["GET", "s"]), "$1\r\nv\r\n");
  // String commands on a hash.
  assert_eq!(c.cmd(&["HSET", "h", "f", "v"]), ":1\r\n");
  assert_eq!(c.cmd(&["GET", "h"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["INCR", "h"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["APPEND", "h", "x"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["STRLEN", "h"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// HINCRBY: a missing field or key is 0, strict integer syntax for both the increment and the
/// stored value, no overflow.
#[test]
fn hincrby() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HINCRBY", "h", "n", "5"]), ":5\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "n", "-10"]), ":-5\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "n", "9223372036854775807"]), ":9223372036854775802\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "n", "-9223372036854775808"]), ":-6\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "n"]), "$2\r\n-6\r\n");
  assert_eq!(
    c.cmd(&[
      "HSET",
      "h",
      "max",
      "9223372036854775807",
      "min",
      "-9223372036854775808",
      "text",
      "abc",
      "float",
      "1.5",
      "spaced",
      " 1",
      "zero",
      "0",
      "negzero",
      "-0",
      "plus",
      "+1"
    ]),
    ":8\r\n"
  );
  assert_eq!(c.cmd(&["HINCRBY", "h", "max", "1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "max", "0"]), ":9223372036854775807\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "max", "-1"]), ":9223372036854775806\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "min", "-1"]), "-ERR increment or decrement would overflow\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "min", "1"]), ":-9223372036854775807\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "text", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "float", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "spaced", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "negzero", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "plus", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "zero", "01"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "zero", "1.0"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["HINCRBY", "h", "zero", "99999999999999999999"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["HINCRBY", "h", "zero", "-9223372036854775808"]), ":-9223372036854775808\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "zero"]), "$20\r\n-9223372036854775808\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "fresh", "f", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["HGET", "fresh", "f"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "fresh", "g", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HLEN", "fresh"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "h", "n"]), "-ERR wrong number of arguments for 'hincrby' command\r\n");
}

/// HINCRBYFLOAT in long double: results formatted like INCRBYFLOAT, hex and exponent forms,
/// NaN/Infinity refused.
#[test]
fn hincrbyfloat() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "10.5"]), "$4\r\n10.5\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "0.1"]), "$4\r\n10.6\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "-5"]), "$3\r\n5.6\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "1e3"]), "$22\r\n1005.59999999999999998\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "0x10"]), "$22\r\n1021.59999999999999998\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "1.5e-5"]), "$22\r\n1021.60001499999999997\r\n");
  assert_eq!(c.cmd(&["HGET", "f", "x"]), "$22\r\n1021.60001499999999997\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "z", "0.1"]), "$3\r\n0.1\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "z", "0.2"]), "$3\r\n0.3\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "negzero", "-0.0"]), "$1\r\n0\r\n");
  assert_eq!(
    c.cmd(&[
      "HSET",
      "f",
      "i",
      "100",
      "e",
      "5.0e3",
      "t",
      "abc",
      "big",
      "9223372036854775807",
      "inf",
      "inf",
      "sp",
      " 1",
      "hex",
      "0x1p4"
    ]),
    ":7\r\n"
  );
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "i", "1"]), "$3\r\n101\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "e", "1"]), "$4\r\n5001\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "t", "1"]), "-ERR hash value is not a float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "big", "1"]), "$19\r\n9223372036854775808\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "inf", "1"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "sp", "1"]), "-ERR hash value is not a float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "hex", "1"]), "$2\r\n17\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "inf"]), "-ERR value is NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "-Infinity"]), "-ERR value is NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "nan"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "abc"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", ""]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "1 "]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x", "1e5000"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["HSET", "f", "y", "1e4932"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "y", "1e4932"]), "-ERR increment would produce NaN or Infinity\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "y", "-1e4932"]), "$1\r\n0\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "fresh", "f", "2.5"]), "$3\r\n2.5\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "fresh2", "f", "x"]), "-ERR value is not a valid float\r\n");
  assert_eq!(c.cmd(&["EXISTS", "fresh2"]), ":0\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "f", "x"]), "-ERR wrong number of arguments for 'hincrbyfloat' command\r\n");
}

/// Encodings at both sides of hash-max-listpack-entries and hash-max-listpack-value, for every way
/// of writing a field; conversion never goes back.
#[test]
fn listpack_to_hashtable_conversions() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "4"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-value", "8"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HSET", "small", "a", "1", "b", "2", "c", "3", "d", "4"]), ":4\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "small"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HSET", "small", "a", "11111111"]), ":0\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "small"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HSET", "small", "e", "5"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "small"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HDEL", "small", "a", "b", "c", "d"]), ":4\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "small"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HGETALL", "small"]), "*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["HSET", "v", "a", "123456789"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "v"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "fk", "123456789", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "fk"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "x", "a", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSETNX", "x", "a", "123456789"]), ":0\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "x"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HSETNX", "x", "b", "123456789"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "x"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "y", "a", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "y", "longfield1", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "y"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "z", "a", "99999999"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "z", "a", "1"]), ":100000000\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "z"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "w", "a", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "w", "a", "0.5"]), "$3\r\n1.5\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "w", "a", "0.0001"]), "$6\r\n1.5001\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "w", "a", "0.00001"]), "$7\r\n1.50011\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "w", "a", "0.000001"]), "$8\r\n1.500111\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "w"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "w", "a", "0.0000001"]), "$9\r\n1.5001111\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "w"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HSET", "many", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "a", "1"]), ":5\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "many"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["HLEN", "many"]), ":5\r\n");
  assert_eq!(c.cmd(&["HSET", "dup", "a", "1", "a", "2", "a", "3", "a", "4", "a", "5"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "dup"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HGETALL", "dup"]), "*2\r\n$1\r\na\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["HSET", "exact", "12345678", "12345678"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "exact"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HSET", "empty", "", ""]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "empty"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HGETALL", "empty"]), "*2\r\n$0\r\n\r\n$0\r\n\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HSET", "zero", "a", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "zero"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-value", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "128"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HSET", "zv", "", ""]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "zv"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["HSET", "zv", "a", ""]), ":1\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "zv"]), "$9\r\nhashtable\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "512"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-value", "64"]), "+OK\r\n");
}

/// HRANDFIELD where its reply is deterministic: missing keys, count 0, counts covering the whole
/// hash (in listpack order), a one-field hash; argument errors; RESP3 pairs.
#[test]
fn hrandfield_deterministic_cases() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]), ":3\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "missing"]), "$-1\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "missing", "5"]), "*0\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "missing", "-5", "WITHVALUES"]), "*0\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "missing", "5", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "0", "WITHVALUES"]), "*0\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "3"]), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "10"]), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  assert_eq!(
    c.cmd(&["HRANDFIELD", "h", "3", "WITHVALUES"]),
    "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(
    c.cmd(&["HRANDFIELD", "h", "4", "withvalues"]),
    "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "1", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "1", "WITHVALUES", "x"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "1.5"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["HRANDFIELD", "h", "-9223372036854775808"]),
    "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n"
  );
  assert_eq!(
    c.cmd(&["HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"]),
    "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"]), "-ERR value is out of range\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"]), "-ERR value is out of range\r\n");
  assert_eq!(c.cmd(&["HSET", "one", "f", "v"]), ":1\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one"]), "$1\r\nf\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "1"]), "*1\r\n$1\r\nf\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "-3"]), "*3\r\n$1\r\nf\r\n$1\r\nf\r\n$1\r\nf\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "-2", "WITHVALUES"]), "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "1", "WITHVALUES"]), "*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["HRANDFIELD", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "missing", "2"]), "*0\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "h", "0", "WITHVALUES"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["HRANDFIELD", "h", "5", "WITHVALUES"]),
    "*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(
    c.cmd(&["HRANDFIELD", "one", "-2", "WITHVALUES"]),
    "*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
  );
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "1", "WITHVALUES"]), "*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["HRANDFIELD", "one", "-2"]), "*2\r\n$1\r\nf\r\n$1\r\nf\r\n");
  resp2(&mut c);
}

/// HSCAN on a listpack returns everything at once with cursor 0; cursor and option errors.
#[test]
fn hscan_on_a_listpack_and_its_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3", "ab", "4"]), ":4\r\n");
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0"]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0", "MATCH", "a*"]),
    "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "7", "MATCH", "a*", "COUNT", "1"]),
    "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0", "MATCH", "b", "COUNT", "100", "MATCH", "c"]),
    "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0", "MATCH", "*"]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "-1"]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "18446744073709551615"]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["HSCAN", "h", "18446744073709551616"]), "-ERR invalid cursor\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "abc"]), "-ERR invalid cursor\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", " 1"]), "-ERR invalid cursor\r\n");
  assert_eq!(
    c.cmd(&["HSCAN", "h", ""]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "COUNT", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "COUNT", "-1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "COUNT", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "COUNT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "MATCH"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "TYPE", "hash"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "NOVALUES"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0", "COUNT", "9223372036854775807"]),
    "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$2\r\nab\r\n$1\r\n4\r\n"
  );
  assert_eq!(
    c.cmd(&["HSCAN", "h", "0", "COUNT", "9223372036854775808"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["HSCAN", "missing", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert_eq!(c.cmd(&["HSCAN", "missing", "0", "COUNT", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert_eq!(c.cmd(&["HSCAN", "missing", "x"]), "-ERR invalid cursor\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["HSCAN", "h", "0", "MATCH", "a"]), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  resp2(&mut c);
}

/// Generic commands on hashes: TYPE, OBJECT ENCODING, EXISTS, DEBUG DIGEST(-VALUE) (same digests as
/// Redis, whatever the encoding), COPY (a deep copy), RENAME, MOVE, SCAN TYPE, DEL; writes keep the
/// TTL.
#[test]
fn generic_commands_on_hashes() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  assert_eq!(c.cmd(&["HSET", "h", "f1", "v1", "f2", "v2", "n", "12"]), ":3\r\n");
  assert_eq!(c.cmd(&["TYPE", "h"]), "+hash\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":1\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "h"]), "*1\r\n+e26c66edb4c0ca7e79c68e7a0546a60441eeda6d\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+67ffcd6ec0a7df37f783fc20a1718ab10d32f266\r\n");
  assert_eq!(c.cmd(&["COPY", "h", "h2"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSET", "h2", "f1", "changed"]), ":0\r\n");
  assert_eq!(c.cmd(&["HGET", "h", "f1"]), "$2\r\nv1\r\n");
  assert_eq!(c.cmd(&["HGET", "h2", "f1"]), "$7\r\nchanged\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "h2"]), "*1\r\n+929e9d9911502735209ce7cd714e00ee7b7fc090\r\n");
  assert_eq!(c.cmd(&["RENAME", "h2", "h3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["EXISTS", "h2"]), ":0\r\n");
  assert_eq!(
    c.cmd(&["HGETALL", "h3"]),
    "*6\r\n$2\r\nf1\r\n$7\r\nchanged\r\n$2\r\nf2\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n12\r\n"
  );
  assert_eq!(c.cmd(&["MOVE", "h3", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "h3"]), ":0\r\n");
  assert_eq!(c.cmd(&["SELECT", "1"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["HGETALL", "h3"]),
    "*6\r\n$2\r\nf1\r\n$7\r\nchanged\r\n$2\r\nf2\r\n$2\r\nv2\r\n$1\r\nn\r\n$2\r\n12\r\n"
  );
  assert_eq!(c.cmd(&["TYPE", "h3"]), "+hash\r\n");
  assert_eq!(c.cmd(&["SELECT", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "s", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SCAN", "0", "TYPE", "hash"]), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nh\r\n");
  assert_eq!(c.cmd(&["SCAN", "0", "TYPE", "HASH", "MATCH", "h*"]), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nh\r\n");
  assert_eq!(c.cmd(&["DEL", "h"]), ":1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");
  // A hashtable digests like the same pairs in a listpack.
  assert_eq!(c.cmd(&["HSET", "lp", "a", "1", "b", "2", "c", "3"]), ":3\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["HSET", "ht", "c", "3", "b", "2", "a", "1"]), ":3\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "512"]), "+OK\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "ht"]), "$9\r\nhashtable\r\n");
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST-VALUE", "lp", "ht"]),
    "*2\r\n+b60c36e529712296d694f27b5914cbe84950995e\r\n+b60c36e529712296d694f27b5914cbe84950995e\r\n"
  );
  // Modifying a hash keeps its time to live.
  assert_eq!(c.cmd(&["HSET", "t", "a", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["EXPIRE", "t", "100"]), ":1\r\n");
  assert_eq!(c.cmd(&["HSET", "t", "b", "2"]), ":1\r\n");
  assert_eq!(c.cmd(&["HDEL", "t", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "t", "c", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "t", "c", "1.5"]), "$3\r\n2.5\r\n");
  assert_eq!(c.cmd(&["HSETNX", "t", "d", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["HMSET", "t", "e", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["TTL", "t"]), ":100\r\n");
}

/// The bulk strings of a flat array reply (nested arrays are flattened).
fn elements(reply: &str) -> Vec<String> {
  let mut lines = reply.split("\r\n");
  let mut out = Vec::new();
  while let Some(line) = lines.next() {
    if line.starts_with('$') && line != "$-1" {
      out.push(lines.next().unwrap_or_default().to_string());
    }
  }
  out
}

/// The cursor and the field/value pairs of an HSCAN reply.
fn scan_reply(reply: &str) -> (u64, Vec<(String, String)>) {
  let items = elements(reply);
  let cursor = items[0].parse().unwrap();
  let pairs = items[1..].chunks(2).map(|pair| (pair[0].clone(), pair[1].clone())).collect();
  (cursor, pairs)
}

/// Fields and values with NUL, CR and LF bytes, an empty field, and long fields and values
/// (long pair headers) round-trip in both encodings.
#[test]
fn fields_and_values_are_binary_safe() {
  let mut c = Client::new();
  let long_field = vec![b'f'; 300];
  let long_value = vec![0xABu8; 70_000];
  for key in [&b"lp"[..], b"ht"] {
    if key == b"ht" {
      c.cmd(&["CONFIG", "SET", "hash-max-listpack-entries", "0"]);
    } else {
      c.cmd(&["CONFIG", "SET", "hash-max-listpack-value", "100000"]);
    }
    assert_eq!(c.raw(&encode(&[b"HSET", key, b"f\x00\r\n", b"v\x00\xff", b"", b"empty field"])), b":2\r\n");
    assert_eq!(c.raw(&encode(&[b"HSET", key, &long_field, &long_value])), b":1\r\n");
    assert_eq!(c.raw(&encode(&[b"HGET", key, b"f\x00\r\n"])), b"$3\r\nv\x00\xff\r\n");
    assert_eq!(c.raw(&encode(&[b"HGET", key, b"f"])), b"$-1\r\n");
    assert_eq!(c.raw(&encode(&[b"HGET", key, b""])), b"$11\r\nempty field\r\n");
    assert_eq!(c.raw(&encode(&[b"HSTRLEN", key, &long_field])), b":70000\r\n");
    let mut expected = b"$70000\r\n".to_vec();
    expected.extend_from_slice(&long_value);
    expected.extend_from_slice(b"\r\n");
    assert_eq!(c.raw(&encode(&[b"HGET", key, &long_field])), expected);
    assert_eq!(c.raw(&encode(&[b"HDEL", key, b"f\x00\r\n"])), b":1\r\n");
    assert_eq!(c.raw(&encode(&[b"HEXISTS", key, b"f\x00\r\n"])), b":0\r\n");
    assert_eq!(c.raw(&encode(&[b"HLEN", key])), b":2\r\n");
  }
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "lp"]), "$8\r\nlistpack\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "ht"]), "$9\r\nhashtable\r\n");
}

/// A listpack keeps insertion order while it grows past what fits inside the hash object,
/// through updates that grow or shrink values and removals anywhere.
#[test]
fn listpack_order_survives_growth_updates_and_removals() {
  let mut c = Client::new();
  let mut expected: Vec<(String, String)> = Vec::new();
  for i in 0..200 {
    let (field, value) = (format!("field:{i}"), "v".repeat(i % 40));
    assert_eq!(c.cmd(&["HSET", "h", &field, &value]), ":1\r\n");
    expected.push((field, value));
  }
  let flat =
    |pairs: &[(String, String)]| -> Vec<String> { pairs.iter().flat_map(|(f, v)| [f.clone(), v.clone()]).collect() };
  assert_eq!(elements(&c.cmd(&["HGETALL", "h"])), flat(&expected));
  for i in (0..200).step_by(7) {
    let value = if i % 2 == 0 { "x".repeat(60) } else { String::new() };
    assert_eq!(c.cmd(&["HSET", "h", &expected[i].0, &value]), ":0\r\n");
    expected[i].1 = value;
  }
  assert_eq!(elements(&c.cmd(&["HGETALL", "h"])), flat(&expected));
  for i in (0..200).rev().filter(|i| i % 3 == 0) {
    assert_eq!(c.cmd(&["HDEL", "h", &expected[i].0]), ":1\r\n");
    expected.remove(i);
  }
  assert_eq!(elements(&c.cmd(&["HGETALL", "h"])), flat(&expected));
  assert_eq!(c.cmd(&["HLEN", "h"]), format!(":{}\r\n", expected.len()));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "h"]), "$8\r\nlistpack\r\n");
  let fields: Vec<String> = expected.iter().map(|(f, _)| f.clone()).collect();
  let field_args: Vec<&str> = fields.iter().map(String::as_str).collect();
  assert_eq!(c.cmd(&[&["HDEL", "h"][..], &field_args].concat()), format!(":{}\r\n", fields.len()));
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");
}

/// Past 512 fields a hash becomes a hashtable and keeps every field; HGETALL, HKEYS and HVALS
/// agree with each other.
#[test]
fn large_hash_converts_and_keeps_every_field() {
  let mut c = Client::new();
  for i in 0..1000 {
    assert_eq!(c.cmd(&["HSET", "big", &format!("field:{i}"), &format!("value:{i}")]), ":1\r\n");
    let encoding = c.cmd(&["OBJECT", "ENCODING", "big"]);
    assert_eq!(encoding.contains("hashtable"), i >= 512, "{i}");
  }
  assert_eq!(c.cmd(&["HLEN", "big"]), ":1000\r\n");
  for i in (0..1000).step_by(2) {
    assert_eq!(c.cmd(&["HDEL", "big", &format!("field:{i}")]), ":1\r\n");
  }
  for i in 0..1000 {
    let expected =
      if i % 2 == 1 { format!("${}\r\nvalue:{i}\r\n", format!("value:{i}").len()) } else { "$-1\r\n".into() };
    assert_eq!(c.cmd(&["HGET", "big", &format!("field:{i}")]), expected);
  }
  let all = elements(&c.cmd(&["HGETALL", "big"]));
  let pairs: BTreeMap<String, String> = all.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
  assert_eq!(pairs.len(), 500);
  let keys = elements(&c.cmd(&["HKEYS", "big"]));
  let values = elements(&c.cmd(&["HVALS", "big"]));
  assert_eq!(keys.iter().zip(&values).map(|(k, v)| (k.clone(), v.clone())).collect::<BTreeMap<_, _>>(), pairs);
  for (field, value) in &pairs {
    assert_eq!(field.replace("field", "value"), *value);
  }
  assert_eq!(c.cmd(&["HINCRBY", "big", "field:1", "1"]), "-ERR hash value is not an integer\r\n");
  assert_eq!(c.cmd(&["HINCRBY", "big", "counter", "41"]), ":41\r\n");
  assert_eq!(c.cmd(&["HINCRBYFLOAT", "big", "counter", "1.5"]), "$4\r\n42.5\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "big"]), "$9\r\nhashtable\r\n");
}

/// HSCAN on a hashtable walks it in several calls; every field present for the whole scan is
/// returned (with its value) even when others are deleted meanwhile; MATCH filters fields.
#[test]
fn hscan_walks_a_hashtable() {
  let mut c = Client::new();
  for i in 0..600 {
    c.cmd(&["HSET", "h", &format!("f{i}"), &format!("v{i}")]);
  }
  let (mut cursor, mut seen, mut calls) = (0u64, BTreeMap::new(), 0);
  loop {
    let (next, pairs) = scan_reply(&c.cmd(&["HSCAN", "h", &cursor.to_string(), "COUNT", "25"]));
    calls += 1;
    for (field, value) in pairs {
      assert_eq!(field.replacen('f', "v", 1), value);
      seen.insert(field, value);
    }
    // Delete a few fields not returned yet, from a different part of the hash.
    c.cmd(&["HDEL", "h", &format!("f{}", calls * 7)]);
    cursor = next;
    if cursor == 0 {
      break;
    }
  }
  assert!(calls > 10, "{calls}");
  for i in 0..600 {
    let field = format!("f{i}");
    if c.cmd(&["HEXISTS", "h", &field]) == ":1\r\n" {
      assert!(seen.contains_key(&field), "{field} was missed");
    }
  }
  let mut matched = BTreeSet::new();
  let mut cursor = 0u64;
  loop {
    let (next, pairs) = scan_reply(&c.cmd(&["HSCAN", "h", &cursor.to_string(), "MATCH", "f5?", "COUNT", "100"]));
    matched.extend(pairs.into_iter().map(|(f, _)| f));
    cursor = next;
    if cursor == 0 {
      break;
    }
  }
  let expected: BTreeSet<String> =
    (50..60).map(|i| format!("f{i}")).filter(|f| c.cmd(&["HEXISTS", "h", f]) == ":1\r\n").collect();
  assert_eq!(matched, expected);
}

/// HRANDFIELD's random replies: distinct fields for a positive count (with the right values),
/// exactly |count| draws for a negative count, in both encodings and both protocols.
#[test]
fn hrandfield_draws() {
  let mut c = Client::new();
  for i in 0..10 {
    c.cmd(&["HSET", "small", &format!("f{i}"), &format!("v{i}")]);
  }
  for i in 0..700 {
    c.cmd(&["HSET", "large", &format!("f{i}"), &format!("v{i}")]);
  }
  for (key, size) in [("small", 10), ("large", 700)] {
    for count in [1usize, 2, 3, 5, 9, 100, 250, 699, 700, 1000] {
      let fields = elements(&c.cmd(&["HRANDFIELD", key, &count.to_string()]));
      let expected = count.min(size);
      assert_eq!(fields.len(), expected, "{key} {count}");
      assert_eq!(fields.iter().collect::<BTreeSet<_>>().len(), expected, "{key} {count}");
      let pairs = elements(&c.cmd(&["HRANDFIELD", key, &count.to_string(), "WITHVALUES"]));
      assert_eq!(pairs.len(), expected * 2);
      for pair in pairs.chunks(2) {
        assert_eq!(pair[0].replacen('f', "v", 1), pair[1]);
      }
    }
    let draws = elements(&c.cmd(&["HRANDFIELD", key, "-50"]));
    assert_eq!(draws.len(), 50);
    assert!(draws.iter().all(|f| f.starts_with('f')));
    let field = elements(&c.cmd(&["HRANDFIELD", key]));
    assert_eq!(field.len(), 1);
  }
  // Over many draws every field of the small hash comes up.
  let draws = elements(&c.cmd(&["HRANDFIELD", "small", "-1000"]));
  assert_eq!(draws.iter().collect::<BTreeSet<_>>().len(), 10);
  resp3(&mut c);
  let reply = c.cmd(&["HRANDFIELD", "large", "-3", "WITHVALUES"]);
  assert!(reply.starts_with("*3\r\n*2\r\n$"), "{reply}");
  assert_eq!(reply.matches("*2\r\n").count(), 3);
  let reply = c.cmd(&["HRANDFIELD", "large", "5", "WITHVALUES"]);
  assert!(reply.starts_with("*5\r\n*2\r\n$"), "{reply}");
}

/// A negative count whose reply would pass the output buffer's hard limit closes the
/// connection without a reply, as Redis's output buffer limit does.
#[test]
fn hrandfield_reply_too_large_for_the_output_limit_closes_the_connection() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"]);
  c.cmd(&["HSET", "h", "f", "v"]);
  let output = c.engine.feed(c.slot, &encode(&[b"HRANDFIELD", b"h", b"-4611686018427387903", b"WITHVALUES"]));
  assert!(output.close);
  assert!(output.reply.is_empty());
}

/// MEMORY USAGE reports a size for hashes that grows with their content.
#[test]
fn memory_usage_of_hashes() {
  let mut c = Client::new();
  let usage = |c: &mut Client, key: &str| -> i64 {
    c.cmd(&["MEMORY", "USAGE", key]).trim_start_matches(':').trim_end().parse().unwrap()
  };
  c.cmd(&["HSET", "h", "a", "1"]);
  let small = usage(&mut c, "h");
  for i in 0..100 {
    c.cmd(&["HSET", "h", &format!("field:{i}"), &"x".repeat(30)]);
  }
  let listpack = usage(&mut c, "h");
  assert!(listpack > small + 3000, "{small} {listpack}");
  for i in 100..1000 {
    c.cmd(&["HSET", "h", &format!("field:{i}"), &"x".repeat(30)]);
  }
  let hashtable = usage(&mut c, "h");
  assert!(hashtable > listpack * 9, "{listpack} {hashtable}");
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "missing"]), "$-1\r\n");
}
