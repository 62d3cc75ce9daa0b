//! Byte-exact tests of the bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
//! BITFIELD_RO): replies, errors and which error wins, how they share bytes with the string
//! commands, and what their writes report (events, the write stream, the change count, WATCH).
//!
//! Every expected reply, event and change count was recorded from redis-server 7.0.15 (change
//! counts through INFO's `rdb_changes_since_last_save`).

mod common;
use common::{check, encode, observed, setup, watch_survives, Client, WRONGTYPE};

/// The key's OBJECT ENCODING.
fn encoding(c: &Client, key: &str) -> Option<&'static str> {
  let db = &c.engine.keyspace.dbs[0];
  db.position(key.as_bytes()).map(|pos| db.entry_at(pos).value.encoding())
}

/// The key's absolute expiry time in ms (-1 without one), or `None` when it does not exist.
fn expire_at(c: &Client, key: &str) -> Option<i64> {
  let db = &c.engine.keyspace.dbs[0];
  db.position(key.as_bytes()).map(|pos| db.expire_at(pos))
}

/// Switches the client's connection to RESP3 (what HELLO 3 does).
fn resp3(c: &mut Client) {
  let slot = c.slot;
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

/// SETBIT replies the previous bit and grows the string with zero bytes; GETBIT reads bits
/// past the end (and of a missing key) as 0; the string commands see the same bytes.
#[test]
fn setbit_and_getbit_edit_the_string_bytes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SETBIT", "b", "7", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "b"]), "$1\r\n\x01\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "7"]), ":1\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "6"]), ":0\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "8"]), ":0\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "7", "1"]), ":1\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "7", "0"]), ":1\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "0", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "9", "1"]), ":0\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"b"])), b"$2\r\n\x80@\r\n".to_vec());
  assert_eq!(c.cmd(&["SETBIT", "b", "100", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["STRLEN", "b"]), ":13\r\n");
  assert_eq!(c.raw(&encode(&[b"GETRANGE", b"b", b"0", b"1"])), b"$2\r\n\x80@\r\n".to_vec());
  assert_eq!(c.cmd(&["GETBIT", "b", "1000000"]), ":0\r\n");
  assert_eq!(c.cmd(&["GETBIT", "missing", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "missing"]), ":0\r\n");
  assert_eq!(c.raw(&encode(&[b"SETRANGE", b"b", b"3", b"\xff"])), b":13\r\n".to_vec());
  assert_eq!(c.cmd(&["GETBIT", "b", "24"]), ":1\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "31"]), ":1\r\n");
  assert_eq!(c.raw(&encode(&[b"APPEND", b"b", b"\x80"])), b":14\r\n".to_vec());
  assert_eq!(c.cmd(&["GETBIT", "b", "104"]), ":1\r\n");
  assert_eq!(
    c.raw(&encode(&[b"GET", b"b"])),
    b"$14\r\n\x80@\x00\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\r\n".to_vec()
  );
  assert_eq!(encoding(&c, "b"), Some("raw"));
}

/// Integer-encoded strings are read as their decimal digits; a SETBIT, even one that changes
/// nothing, leaves the value raw, as Redis's unsharing does. The time to live stays.
#[test]
fn setbit_reads_integers_as_digits_and_keeps_the_ttl() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "n", "12"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GETBIT", "n", "2"]), ":1\r\n");
  assert_eq!(c.cmd(&["GETBIT", "n", "3"]), ":1\r\n");
  assert_eq!(c.cmd(&["GETBIT", "n", "15"]), ":0\r\n");
  assert_eq!(c.cmd(&["GETBIT", "n", "16"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "n"]), ":6\r\n");
  assert_eq!(c.cmd(&["BITPOS", "n", "1", "1"]), ":10\r\n");
  assert_eq!(encoding(&c, "n"), Some("int"));
  assert_eq!(c.cmd(&["SETBIT", "n", "7", "0"]), ":1\r\n");
  assert_eq!(encoding(&c, "n"), Some("raw"));
  assert_eq!(c.cmd(&["GET", "n"]), "$2\r\n02\r\n");
  assert_eq!(c.cmd(&["SETBIT", "n", "15", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$2\r\n03\r\n");
  assert_eq!(c.cmd(&["SET", "t", "abc", "EX", "1000"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SETBIT", "t", "30", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "t"]), "$4\r\nabc\x02\r\n");
  assert!(expire_at(&c, "t").is_some_and(|at| at > 0));
}

/// Offsets are integers from 0 up to proto-max-bulk-len bytes; the offset is checked before
/// the bit, and both before the key's type.
#[test]
fn setbit_and_getbit_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["RPUSH", "list", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "-1", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "4294967296", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["SETBIT", "b", "9223372036854775808", "1"]),
    "-ERR bit offset is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["SETBIT", "b", "abc", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "+1", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "01", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "#1", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "1", "2"]), "-ERR bit is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "1", "-1"]), "-ERR bit is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "1", "x"]), "-ERR bit is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "b", "-1", "x"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["SETBIT", "list", "0", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["SETBIT", "list", "-1", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["SETBIT", "list", "0", "5"]), "-ERR bit is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "-1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETBIT", "b", "#3"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETBIT", "list", "0"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["GETBIT", "list", "x"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["EXISTS", "b"]), ":0\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SETBIT", "lim", "8388607", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["STRLEN", "lim"]), ":1048576\r\n");
  assert_eq!(c.cmd(&["SETBIT", "lim", "8388608", "1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["GETBIT", "lim", "8388608"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "lim", "GET", "u8", "#1048575"]), "*1\r\n:1\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "lim", "GET", "u8", "#1048576"]),
    "-ERR bit offset is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["BITFIELD", "lim", "SET", "u8", "8388607", "255"]), "*1\r\n:128\r\n");
  assert_eq!(c.cmd(&["STRLEN", "lim"]), ":1048577\r\n");
}

/// BITCOUNT over the whole string and over byte and bit ranges: negative ends count from the
/// end, ends are clamped, and a reversed range counts nothing.
#[test]
fn bitcount_ranges() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "c", "foobar"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c"]), ":26\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "0"]), ":4\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "1", "1"]), ":6\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "1", "-2"]), ":18\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-3", "-1"]), ":10\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-100", "100"]), ":26\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "2", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "6", "10"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "-7"]), ":4\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-9223372036854775808", "9223372036854775807"]), ":26\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "0", "byte"]), ":4\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "0", "BIT"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "1", "1", "BIT"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "5", "30", "bit"]), ":17\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "-1", "BIT"]), ":26\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-5", "-1", "BIT"]), ":2\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "7", "8", "BIT"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "10", "2", "BIT"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "48", "100", "BIT"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "empty"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "empty", "0", "-1", "BIT"]), ":0\r\n");
}

/// BITCOUNT's checks in Redis's order: the key (missing answers 0 whatever follows, then
/// WRONGTYPE), the ends, two negative ends in the wrong order (0), then the unit; and the
/// 7.0 forms only: no range, or two ends and an optional unit.
#[test]
fn bitcount_errors_and_their_order() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "c", "foobar"]), "+OK\r\n");
  assert_eq!(c.cmd(&["RPUSH", "list", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "1", "2"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "1", "BIT", "extra"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "1", "bits"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "a", "1"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "0", "b", "foo"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-1", "-2", "foo"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "c", "-2", "-1", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "missing", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "missing", "a", "b", "c", "d"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "list"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(
    c.cmd(&["BITCOUNT", "list", "a", "b"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["BITCOUNT"]), "-ERR wrong number of arguments for 'bitcount' command\r\n");
}

/// BITPOS in byte and bit ranges. Looking for a clear bit without an end pads the string with
/// zeros (a string of ones answers the position past its end); with an end, -1. A missing
/// key is all zeros; an existing empty string holds no bit at all.
#[test]
fn bitpos_ranges() {
  let mut c = Client::new();
  assert_eq!(c.raw(&encode(&[b"SET", b"p", b"\xff\xf0\x00"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["BITPOS", "p", "0"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "1"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "2"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "0", "0"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "-3", "-2"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "3"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "3"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "0", "-1", "BIT"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "5", "-1", "BIT"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "12", "-1", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "3", "11", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "3", "12", "BIT"]), ":12\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "-5", "-1", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "7", "7", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "0", "11", "11", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "10", "2", "BIT"]), ":-1\r\n");
  assert_eq!(c.raw(&encode(&[b"SET", b"ones", b"\xff\xff\xff"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["BITPOS", "ones", "0"]), ":24\r\n");
  assert_eq!(c.cmd(&["BITPOS", "ones", "0", "1"]), ":24\r\n");
  assert_eq!(c.cmd(&["BITPOS", "ones", "0", "1", "-1"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "ones", "0", "0", "23", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["SET", "zeros", "\x00\x00\x00"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITPOS", "zeros", "1"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "zeros", "0", "9", "20", "BIT"]), ":9\r\n");
  assert_eq!(c.cmd(&["SET", "empty", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITPOS", "empty", "0"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "empty", "1"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "missing", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITPOS", "missing", "1"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "missing", "0", "5", "x"]), ":0\r\n");
}

/// BITPOS's checks in Redis's order: the bit, the key, the start, the unit, then the end.
#[test]
fn bitpos_errors_and_their_order() {
  let mut c = Client::new();
  assert_eq!(c.raw(&encode(&[b"SET", b"p", b"\xff\xf0\x00"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["RPUSH", "list", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "2"]), "-ERR The bit argument must be 1 or 0.\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITPOS", "missing", "2"]), "-ERR The bit argument must be 1 or 0.\r\n");
  assert_eq!(c.cmd(&["BITPOS", "list", "2"]), "-ERR The bit argument must be 1 or 0.\r\n");
  assert_eq!(
    c.cmd(&["BITPOS", "list", "1", "x"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "0", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "0", "1", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "0", "x", "foo"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "0", "x", "BIT"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITPOS", "p", "1", "0", "1", "BIT", "extra"]), "-ERR syntax error\r\n");
}

/// The scans over long strings: unaligned heads and tails around whole words, in both units.
#[test]
fn bitcount_and_bitpos_over_long_strings() {
  let mut c = Client::new();
  assert_eq!(c.raw(&encode(&[b"SET", b"long", b"\xff\x00\xaaU\x0f\xf0\x81~\xff\xff\xff\xff\xff\xff\xff\xff\x01\x02\x04\x08\x10 @\x80\xfe\xfd\xfb\xf7\xef\xdf\xbf\x7f3D"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["BITCOUNT", "long"]), ":166\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "long", "1", "32"]), ":156\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "long", "3", "-3"]), ":148\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "long", "13", "250", "BIT"]), ":147\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "long", "63", "64", "BIT"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITPOS", "long", "0", "8"]), ":128\r\n");
  assert_eq!(c.cmd(&["BITPOS", "long", "1", "8", "15"]), ":64\r\n");
  assert_eq!(c.cmd(&["BITPOS", "long", "0", "1", "60", "BIT"]), ":8\r\n");
  assert_eq!(c.cmd(&["BITPOS", "long", "1", "100", "250", "BIT"]), ":100\r\n");
  assert_eq!(c.cmd(&["BITPOS", "long", "0", "65", "127", "BIT"]), ":-1\r\n");
  assert_eq!(c.cmd(&["SETBIT", "big", "8000000", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["SETBIT", "big", "8000001", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["SETBIT", "big", "12345", "1"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "big"]), ":3\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "big", "1543", "-1"]), ":3\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "big", "12346", "-1", "BIT"]), ":2\r\n");
  assert_eq!(c.cmd(&["BITPOS", "big", "1"]), ":12345\r\n");
  assert_eq!(c.cmd(&["BITPOS", "big", "1", "1544"]), ":8000000\r\n");
  assert_eq!(c.cmd(&["BITPOS", "big", "1", "12346", "-1", "BIT"]), ":8000000\r\n");
  assert_eq!(c.cmd(&["BITPOS", "big", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITPOS", "big", "0", "1542", "1543"]), ":12336\r\n");
  assert_eq!(c.cmd(&["BITOP", "NOT", "inv", "big"]), ":1000001\r\n");
  assert_eq!(c.cmd(&["BITPOS", "inv", "0", "2"]), ":12345\r\n");
  assert_eq!(c.cmd(&["BITPOS", "inv", "1", "1000000"]), ":8000002\r\n");
  assert_eq!(c.cmd(&["BITCOUNT", "inv"]), ":8000005\r\n");
}

/// BITOP's operations, with shorter sources padded with zeros and missing keys empty; the
/// result is a raw string that replaces the destination whatever its type, and its TTL.
#[test]
fn bitop_operations() {
  let mut c = Client::new();
  assert_eq!(c.raw(&encode(&[b"SET", b"k1", b"\xf0\x0f\xaa"])), b"+OK\r\n".to_vec());
  assert_eq!(c.raw(&encode(&[b"SET", b"k2", b"\xff\x00"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["SET", "k3", "\x01"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITOP", "AND", "dest", "k1", "k2"]), ":3\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$3\r\n\xf0\x00\x00\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "OR", "dest", "k1", "k2"]), ":3\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$3\r\n\xff\x0f\xaa\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "XOR", "dest", "k1", "k2", "k3"]), ":3\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$3\r\n\x0e\x0f\xaa\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "NOT", "dest", "k1"]), ":3\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$3\r\n\x0f\xf0U\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "AND", "dest", "k1", "missing"]), ":3\r\n");
  assert_eq!(c.cmd(&["GET", "dest"]), "$3\r\n\x00\x00\x00\r\n");
  assert_eq!(c.cmd(&["BITOP", "OR", "dest", "missing", "k2"]), ":2\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$2\r\n\xff\x00\r\n".to_vec());
  assert_eq!(c.cmd(&["SET", "i", "12"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITOP", "OR", "dest", "i"]), ":2\r\n");
  assert_eq!(c.cmd(&["GET", "dest"]), "$2\r\n12\r\n");
  assert_eq!(encoding(&c, "dest"), Some("raw"));
  assert_eq!(c.cmd(&["BITOP", "XOR", "k1", "k1", "k2"]), ":3\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"k1"])), b"$3\r\n\x0f\x0f\xaa\r\n".to_vec());
  assert_eq!(c.cmd(&["RPUSH", "dlist", "x"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITOP", "OR", "dlist", "k2"]), ":2\r\n");
  assert_eq!(c.cmd(&["TYPE", "dlist"]), "+string\r\n");
  assert_eq!(c.cmd(&["SET", "dttl", "x", "EX", "1000"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BITOP", "OR", "dttl", "k2"]), ":2\r\n");
  assert_eq!(c.cmd(&["TTL", "dttl"]), ":-1\r\n");
  assert_eq!(c.cmd(&["BITOP", "AND", "dest", "missing", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "dest"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITOP", "NOT", "dest", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "w1", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"]), "+OK\r\n");
  assert_eq!(c.raw(&encode(&[b"SET", b"w2", b"\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x0f\x0f\x0f\x0f\x0f\x0f\x0f\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0UUUUUUUU\xaa"])), b"+OK\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "AND", "dest", "w1", "w2"]), ":46\r\n");
  assert_eq!(c.cmd(&["GET", "dest"]), "$46\r\n01234567\x00\x00\x00\x00\x00\x00\x00\x00\x07\x08\x09\n\x0b\x0c\r\x0e`pppppppUPQPA@AD\x00\x00\x00\x00\x00\x00\r\n");
  assert_eq!(c.cmd(&["BITOP", "OR", "dest", "w1", "w2", "k2"]), ":46\r\n");
  assert_eq!(
    c.raw(&encode(&[b"GET", b"dest"])),
    b"$46\r\n\xff\xff\xff\xff\xff\xff\xff\xff89abcdefoooooooo\xff\xf0\xf1\xf2\xf3\xf4\xf5\xf6w}}\x7fUWWU\xefFGHIJ\r\n"
      .to_vec()
  );
  assert_eq!(c.cmd(&["BITOP", "XOR", "dest", "w1", "w2", "w1"]), ":46\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$46\r\n\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x0f\x0f\x0f\x0f\x0f\x0f\x0f\xf0\xf0\xf0\xf0\xf0\xf0\xf0\xf0UUUUUUUU\xaa\x00\x00\x00\x00\x00\r\n".to_vec());
  assert_eq!(c.cmd(&["BITOP", "NOT", "dest", "w1"]), ":46\r\n");
  assert_eq!(c.raw(&encode(&[b"GET", b"dest"])), b"$46\r\n\xcf\xce\xcd\xcc\xcb\xca\xc9\xc8\xc7\xc6\x9e\x9d\x9c\x9b\x9a\x99\x98\x97\x96\x95\x94\x93\x92\x91\x90\x8f\x8e\x8d\x8c\x8b\x8a\x89\x88\x87\x86\x85\xbe\xbd\xbc\xbb\xba\xb9\xb8\xb7\xb6\xb5\r\n".to_vec());
}

/// BITOP's errors: the operation, NOT's single source, then the sources' types in order.
#[test]
fn bitop_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "k1", "a"]), "+OK\r\n");
  assert_eq!(c.cmd(&["RPUSH", "list", "a"]), ":1\r\n");
  assert_eq!(c.cmd(&["BITOP", "FOO", "dest", "k1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITOP", "", "dest", "k1"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["BITOP", "NOT", "dest", "k1", "k1"]),
    "-ERR BITOP NOT must be called with a single source key.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITOP", "NOT", "dest", "list"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["BITOP", "FOO", "dest", "list"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["BITOP", "AND", "dest", "k1", "list"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["BITOP", "OR", "dest", "missing", "list"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "dest"]), ":0\r\n");
  assert_eq!(c.cmd(&["BITOP", "AND", "dest"]), "-ERR wrong number of arguments for 'bitop' command\r\n");
}

/// BITFIELD reads and writes fields of any width at any bit offset, `#n` offsets included;
/// GETs past the end read zeros.
#[test]
fn bitfield_get_set_incrby() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["BITFIELD", "f", "SET", "u8", "0", "255"]), "*1\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "f", "GET", "u8", "0", "GET", "i8", "0", "GET", "u4", "0", "GET", "i4", "4", "GET", "u1", "7"]),
    "*5\r\n:255\r\n:-1\r\n:15\r\n:-1\r\n:1\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "f", "SET", "i8", "0", "-2", "GET", "u8", "0", "GET", "i8", "0"]),
    "*3\r\n:-1\r\n:254\r\n:-2\r\n"
  );
  assert_eq!(c.cmd(&["BITFIELD", "f", "INCRBY", "u8", "0", "1", "INCRBY", "u8", "0", "1"]), "*2\r\n:255\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "f", "SET", "u5", "3", "23", "GET", "u8", "0", "GET", "u16", "0"]),
    "*3\r\n:0\r\n:23\r\n:5888\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "f", "GET", "u16", "#0", "SET", "u16", "#1", "1000", "GET", "u16", "#1", "GET", "u8", "#2", "GET",
      "u8", "#3"
    ]),
    "*5\r\n:5888\r\n:0\r\n:1000\r\n:3\r\n:232\r\n"
  );
  assert_eq!(c.raw(&encode(&[b"GET", b"f"])), b"$4\r\n\x17\x00\x03\xe8\r\n".to_vec());
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "f", "SET", "i64", "0", "-1", "GET", "i64", "0", "GET", "u63", "0", "GET", "u63", "1", "GET", "i64",
      "1"
    ]),
    "*5\r\n:1657328957839638528\r\n:-1\r\n:9223372036854775807\r\n:9223372036854775807\r\n:-2\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "f",
      "SET",
      "i64",
      "3",
      "9223372036854775807",
      "GET",
      "i64",
      "3",
      "GET",
      "i64",
      "2",
      "GET",
      "u32",
      "5"
    ]),
    "*4\r\n:-8\r\n:9223372036854775807\r\n:-4611686018427387905\r\n:4294967295\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "f", "GET", "u8", "1000", "GET", "i64", "1000", "GET", "u1", "100000"]),
    "*3\r\n:0\r\n:0\r\n:0\r\n"
  );
  assert_eq!(c.cmd(&["STRLEN", "f"]), ":9\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "f"]), "*0\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "missing", "GET", "u8", "0", "GET", "i64", "#3"]), "*2\r\n:0\r\n:0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "n", "255"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "n", "GET", "u8", "0", "GET", "u16", "8", "GET", "i24", "0"]),
    "*3\r\n:50\r\n:13621\r\n:3290421\r\n"
  );
  assert_eq!(encoding(&c, "n"), Some("int"));
  assert_eq!(c.cmd(&["BITFIELD", "n", "SET", "u8", "0", "57"]), "*1\r\n:50\r\n");
  assert_eq!(c.cmd(&["GET", "n"]), "$3\r\n955\r\n");
  assert_eq!(encoding(&c, "n"), Some("raw"));
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8", "#2305843009213693953"]), "*1\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "u8", "#1152921504606846976"]),
    "-ERR bit offset is not an integer or out of range\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "i64", "#144115188075855873"]),
    "-ERR bit offset is not an integer or out of range\r\n"
  );
}

/// WRAP (the default), SAT and FAIL, each for the operations after it, at the types' limits;
/// FAIL answers nil and skips the write.
#[test]
fn bitfield_overflow_modes() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "SET", "u8", "0", "250", "INCRBY", "u8", "0", "10", "INCRBY", "u8", "0", "-20", "INCRBY", "u8",
      "0", "-300"
    ]),
    "*4\r\n:0\r\n:4\r\n:240\r\n:196\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1000", "INCRBY", "u8", "0", "-1000", "SET", "u8", "0",
      "300", "SET", "u8", "0", "-1"
    ]),
    "*4\r\n:255\r\n:0\r\n:0\r\n:255\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000", "INCRBY", "u8", "0", "1", "SET", "u8", "0",
      "256", "SET", "u8", "0", "-1", "GET", "u8", "0"
    ]),
    "*5\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n:255\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "overflow", "wrap", "set", "i8", "0", "127", "incrby", "i8", "0", "1", "incrby", "i8", "0",
      "-1", "set", "i8", "0", "128", "set", "i8", "0", "-129"
    ]),
    "*5\r\n:-1\r\n:-128\r\n:127\r\n:127\r\n:-128\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "overflow", "sat", "set", "i8", "0", "127", "incrby", "i8", "0", "1", "set", "i8", "0", "-1000",
      "incrby", "i8", "0", "-1", "set", "i8", "0", "1000"
    ]),
    "*5\r\n:127\r\n:127\r\n:127\r\n:-128\r\n:-128\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "overflow", "fail", "set", "i8", "0", "127", "incrby", "i8", "0", "1", "set", "i8", "0", "-129",
      "incrby", "i8", "0", "-256", "get", "i8", "0"
    ]),
    "*5\r\n:127\r\n$-1\r\n$-1\r\n$-1\r\n:127\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "o",
      "SET",
      "i64",
      "0",
      "9223372036854775807",
      "INCRBY",
      "i64",
      "0",
      "1",
      "INCRBY",
      "i64",
      "0",
      "-1",
      "INCRBY",
      "i64",
      "0",
      "-9223372036854775808"
    ]),
    "*4\r\n:9151314442816847872\r\n:-9223372036854775808\r\n:9223372036854775807\r\n:-1\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "o",
      "OVERFLOW",
      "SAT",
      "SET",
      "i64",
      "0",
      "9223372036854775807",
      "INCRBY",
      "i64",
      "0",
      "1",
      "SET",
      "i64",
      "0",
      "-9223372036854775808",
      "INCRBY",
      "i64",
      "0",
      "-1"
    ]),
    "*4\r\n:-1\r\n:9223372036854775807\r\n:9223372036854775807\r\n:-9223372036854775808\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "o",
      "OVERFLOW",
      "FAIL",
      "INCRBY",
      "i64",
      "0",
      "-1",
      "INCRBY",
      "i64",
      "0",
      "9223372036854775807",
      "INCRBY",
      "i64",
      "0",
      "9223372036854775807",
      "GET",
      "i64",
      "0"
    ]),
    "*4\r\n$-1\r\n:-1\r\n:9223372036854775806\r\n:9223372036854775806\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "o",
      "SET",
      "u63",
      "0",
      "9223372036854775807",
      "INCRBY",
      "u63",
      "0",
      "1",
      "SET",
      "u63",
      "0",
      "-1",
      "GET",
      "u63",
      "0"
    ]),
    "*4\r\n:4611686018427387903\r\n:0\r\n:0\r\n:9223372036854775807\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "o",
      "OVERFLOW",
      "SAT",
      "SET",
      "u63",
      "0",
      "-1",
      "INCRBY",
      "u63",
      "0",
      "-1",
      "INCRBY",
      "u63",
      "0",
      "-9223372036854775808",
      "INCRBY",
      "u63",
      "0",
      "9223372036854775807"
    ]),
    "*4\r\n:9223372036854775807\r\n:9223372036854775806\r\n:0\r\n:9223372036854775807\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "SET", "i1", "0", "1", "GET", "i1", "0", "SET", "u1", "0", "2", "INCRBY", "i1", "0", "1",
      "OVERFLOW", "SAT", "INCRBY", "i1", "0", "-5", "OVERFLOW", "FAIL", "INCRBY", "u1", "1", "2"
    ]),
    "*6\r\n:-1\r\n:-1\r\n:1\r\n:-1\r\n:-1\r\n$-1\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD", "o", "SET", "u8", "8", "255", "OVERFLOW", "FAIL", "INCRBY", "u8", "8", "1", "OVERFLOW", "WRAP",
      "INCRBY", "u8", "8", "1"
    ]),
    "*3\r\n:255\r\n$-1\r\n:0\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "q",
      "OVERFLOW",
      "SAT",
      "SET",
      "i63",
      "0",
      "-7167119283020424444",
      "GET",
      "i63",
      "0",
      "SET",
      "i63",
      "0",
      "-4611686018427387905",
      "GET",
      "i63",
      "0"
    ]),
    "*4\r\n:0\r\n:4611686018427387903\r\n:4611686018427387903\r\n:4611686018427387903\r\n"
  );
  assert_eq!(
    c.cmd(&[
      "BITFIELD",
      "q",
      "OVERFLOW",
      "SAT",
      "SET",
      "i8",
      "0",
      "-9223372036854775681",
      "SET",
      "i8",
      "0",
      "-9223372036854775680",
      "GET",
      "i8",
      "0"
    ]),
    "*3\r\n:127\r\n:127\r\n:-128\r\n"
  );
  assert_eq!(c.raw(&encode(&[b"GET", b"o"])), b"$8\r\n\xff\x00\xff\xff\xff\xff\xff\xfe\r\n".to_vec());
}

/// Every operation is parsed before any runs, so the first bad argument is the error and
/// nothing was written; the key's type is checked after parsing; BITFIELD_RO refuses writes
/// after parsing and before the type check.
#[test]
fn bitfield_errors_and_their_order() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["RPUSH", "list", "a"]), ":1\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "I8", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "u0", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "u64", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "i65", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "u", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8\x00junk", "0"]), "*1\r\n:0\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8", "-1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8", "#"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8", "#-1"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "FOO", "u8", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "GET", "u8"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "SET", "u8", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "OVERFLOW"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "OVERFLOW", "FOO"]), "-ERR Invalid OVERFLOW type specified\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "get", "u8", "0", "overflow"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "h", "SET", "u8", "0", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "SET", "u8", "0", "1", "GET", "u99", "0"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "GET", "x8", "0", "SET", "u8", "-1", "x"]),
    "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "SET", "u8", "-1", "x"]),
    "-ERR bit offset is not an integer or out of range\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "h", "SET", "u8", "0", "1", "OVERFLOW", "FOO"]),
    "-ERR Invalid OVERFLOW type specified\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD", "list", "GET", "u8", "0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD", "list", "SET", "u8", "0", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["BITFIELD", "list"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  assert_eq!(c.cmd(&["BITFIELD", "list", "GET", "u8", "x"]), "-ERR bit offset is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD_RO", "h", "GET", "u8", "0", "GET", "i16", "#1"]), "*2\r\n:0\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD_RO", "h", "SET", "u8", "0", "1"]),
    "-ERR BITFIELD_RO only supports the GET subcommand\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD_RO", "h", "GET", "u8", "0", "INCRBY", "u8", "0", "1"]),
    "-ERR BITFIELD_RO only supports the GET subcommand\r\n"
  );
  assert_eq!(c.cmd(&["BITFIELD_RO", "h", "SET", "u8", "0", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["BITFIELD_RO", "h", "OVERFLOW", "SAT", "GET", "u8", "0"]), "*1\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["BITFIELD_RO", "list", "GET", "u8", "0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["BITFIELD_RO", "list", "SET", "u8", "0", "1"]),
    "-ERR BITFIELD_RO only supports the GET subcommand\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "h"]), ":0\r\n");
}

/// FAIL's nil is RESP3's null.
#[test]
fn bitfield_fail_answers_null() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["BITFIELD", "r", "OVERFLOW", "FAIL", "SET", "u2", "0", "5", "SET", "u2", "0", "1"]),
    "*2\r\n$-1\r\n:0\r\n"
  );
  resp3(&mut c);
  assert_eq!(
    c.cmd(&["BITFIELD", "r", "OVERFLOW", "FAIL", "SET", "u2", "0", "5", "INCRBY", "u2", "0", "1"]),
    "*2\r\n_\r\n:2\r\n"
  );
}

/// SETBIT is a change (one `setbit` event, propagated as called) when it creates the key,
/// grows the string or flips the bit; otherwise nothing is reported.
#[test]
fn setbit_reports_only_real_changes() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "list", "a"]]);
  check(&mut c, l, &["SETBIT", "e", "3", "1"], ":0\r\n", &[("e", "setbit")], &["SETBIT e 3 1"], 1);
  check(&mut c, l, &["SETBIT", "e", "3", "1"], ":1\r\n", &[], &[], 0);
  check(&mut c, l, &["SETBIT", "e", "2", "0"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["SETBIT", "e", "20", "0"], ":0\r\n", &[("e", "setbit")], &["SETBIT e 20 0"], 1);
  check(&mut c, l, &["SETBIT", "e", "3", "0"], ":1\r\n", &[("e", "setbit")], &["SETBIT e 3 0"], 1);
  check(&mut c, l, &["SETBIT", "list", "3", "0"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["GETBIT", "e", "3"], ":0\r\n", &[], &[], 0);
}

/// BITFIELD counts one change per SET or INCRBY that wrote a different value, or any value
/// into a string it created or grew, and reports them with a single `setbit` event. GETs, same
/// values and FAIL overflows report nothing, even when a failed write grew the string.
#[test]
fn bitfield_reports_changes_once() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["SETBIT", "e", "3", "1"], &["SETBIT", "e", "20", "0"]]);
  let command = ["BITFIELD", "e", "SET", "u4", "0", "1", "INCRBY", "u4", "0", "1", "GET", "u8", "0"];
  check(&mut c, l, &command, "*3\r\n:1\r\n:2\r\n:32\r\n", &[("e", "setbit")], &[&command.join(" ")], 1);
  check(&mut c, l, &["BITFIELD", "e", "GET", "u8", "0", "GET", "i8", "1"], "*2\r\n:32\r\n:64\r\n", &[], &[], 0);
  check(&mut c, l, &["BITFIELD", "e", "SET", "u4", "0", "2"], "*1\r\n:2\r\n", &[], &[], 0);
  check(&mut c, l, &["BITFIELD", "e", "OVERFLOW", "FAIL", "INCRBY", "u4", "0", "100"], "*1\r\n$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["BITFIELD_RO", "e", "GET", "u8", "0"], "*1\r\n:32\r\n", &[], &[], 0);
  check(&mut c, l, &["BITFIELD", "e", "OVERFLOW", "FAIL", "INCRBY", "u4", "100", "100"], "*1\r\n$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["STRLEN", "e"], ":13\r\n", &[], &[], 0);
  // A created string makes every write a change, even of the value already there.
  let command = ["BITFIELD", "fresh", "SET", "u8", "0", "0", "SET", "u8", "8", "1", "SET", "u8", "0", "0"];
  check(&mut c, l, &command, "*3\r\n:0\r\n:0\r\n:0\r\n", &[("fresh", "setbit")], &[&command.join(" ")], 3);
  // So does a grown one.
  let command = ["BITFIELD", "fresh", "SET", "u8", "0", "0", "SET", "u8", "16", "0"];
  check(&mut c, l, &command, "*2\r\n:0\r\n:0\r\n", &[("fresh", "setbit")], &[&command.join(" ")], 2);
  // A failed write creates the key all the same, silently.
  let command = ["BITFIELD", "silent", "OVERFLOW", "FAIL", "SET", "u2", "0", "10"];
  check(&mut c, l, &command, "*1\r\n$-1\r\n", &[], &[], 0);
  assert_eq!(c.cmd(&["GET", "silent"]), "$1\r\n\x00\r\n");
}

/// BITOP stores its result with a `set` event, or deletes an existing destination with a
/// `del` event; each is one change. Deleting a missing key is none.
#[test]
fn bitop_reports_set_or_del() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["SET", "e", "a"]]);
  check(&mut c, l, &["BITOP", "NOT", "e2", "e"], ":1\r\n", &[("e2", "set")], &["BITOP NOT e2 e"], 1);
  check(&mut c, l, &["BITOP", "OR", "e2", "e", "e"], ":1\r\n", &[("e2", "set")], &["BITOP OR e2 e e"], 1);
  check(&mut c, l, &["BITOP", "AND", "e2", "nothing"], ":0\r\n", &[("e2", "del")], &["BITOP AND e2 nothing"], 1);
  check(&mut c, l, &["BITOP", "AND", "e2", "nothing"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["BITOP", "NOT", "e2", "e", "e"],
    "-ERR BITOP NOT must be called with a single source key.\r\n",
    &[],
    &[],
    0,
  );
}

/// Reads of missing keys send `keymiss` (BITOP's sources included); writes never do.
#[test]
fn missing_keys_read_send_keymiss() {
  let (mut c, l) = observed("KEAm");
  setup(&mut c, l, &[&["SET", "e", "a"]]);
  check(&mut c, l, &["BITCOUNT", "nothing"], ":0\r\n", &[("nothing", "keymiss")], &[], 0);
  check(&mut c, l, &["BITFIELD", "nothing", "GET", "u8", "0"], "*1\r\n:0\r\n", &[("nothing", "keymiss")], &[], 0);
  check(
    &mut c,
    l,
    &["BITOP", "OR", "e3", "nothing", "e"],
    ":1\r\n",
    &[("nothing", "keymiss"), ("e3", "set")],
    &["BITOP OR e3 nothing e"],
    1,
  );
  check(&mut c, l, &["SETBIT", "new", "0", "1"], ":0\r\n", &[("new", "setbit")], &["SETBIT new 0 1"], 1);
}

/// Reads count keyspace hits and misses (BITOP once per source); the write lookups of SETBIT
/// and of a BITFIELD that writes do not.
#[test]
fn keyspace_hits_and_misses() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "x"]);
  let counts = |c: &Client| (c.engine.telemetry.stats.keyspace_hits, c.engine.telemetry.stats.keyspace_misses);
  for (command, expected) in [
    (&["BITOP", "AND", "d", "a", "missing"][..], (1, 1)),
    (&["SETBIT", "a", "1", "1"], (1, 1)),
    (&["BITFIELD", "a", "SET", "u8", "0", "1"], (1, 1)),
    (&["BITFIELD", "a", "GET", "u8", "0"], (2, 1)),
    (&["BITFIELD", "nope", "GET", "u8", "0"], (2, 2)),
    (&["GETBIT", "a", "0"], (3, 2)),
    (&["BITCOUNT", "nope"], (3, 3)),
    (&["BITPOS", "a", "1"], (4, 3)),
    (&["BITFIELD_RO", "a", "GET", "u8", "0"], (5, 3)),
    (&["BITFIELD", "a", "GET", "u8", "0", "SET", "u8", "0", "1"], (5, 3)),
  ] {
    c.cmd(command);
    assert_eq!(counts(&c), expected, "{command:?}");
  }
}

/// A WATCH breaks only on a real change.
#[test]
fn watch_is_broken_only_by_real_changes() {
  let mut c = Client::new();
  c.cmd(&["SETBIT", "k", "3", "1"]);
  for command in [
    &["SETBIT", "k", "3", "1"][..],
    &["SETBIT", "k", "0", "0"],
    &["GETBIT", "k", "3"],
    &["BITCOUNT", "k"],
    &["BITPOS", "k", "1"],
    &["BITFIELD", "k", "GET", "u8", "0"],
    &["BITFIELD", "k", "SET", "u4", "0", "1"],
    &["BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u4", "0", "100"],
    &["BITFIELD_RO", "k", "GET", "u8", "0"],
  ] {
    assert!(watch_survives(&mut c, "k", command), "{command:?} broke the watch");
  }
  c.cmd(&["DEL", "k"]);
  assert!(watch_survives(&mut c, "k", &["BITOP", "AND", "k", "missing"]), "deleting nothing broke the watch");
  c.cmd(&["SETBIT", "k", "3", "1"]);
  for command in [
    &["SETBIT", "k", "3", "0"][..],
    &["SETBIT", "k", "100", "0"],
    &["BITFIELD", "k", "INCRBY", "u4", "0", "1"],
    &["BITOP", "NOT", "k", "k"],
    &["BITOP", "AND", "k", "missing"],
  ] {
    c.cmd(&["SETBIT", "k", "3", "1"]);
    assert!(!watch_survives(&mut c, "k", command), "{command:?} left the watch");
  }
}
