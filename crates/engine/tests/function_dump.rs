//! FUNCTION DUMP and FUNCTION RESTORE: payloads captured from redis-server 7.0.15, restore
//! policies, and the errors for bad payloads.

mod common;

use common::Client;

const MYLIB: &str = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)";
const LIB2: &str = "#!lua name=lib2\nredis.register_function('f2', function() return 1 end)";

fn hex(s: &str) -> Vec<u8> {
  (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// `FUNCTION DUMP` replies of redis-server 7.0.15 with only MYLIB loaded (its code is LZF
/// compressed), with only LIB2 (stored plain: compression saves too little), and with none.
fn mylib_payload() -> Vec<u8> {
  hex(
    "f5c34056405b1f23216c7561206e616d653d6d796c69620a72656469732e72656769737465725f0b66756e6374696f6e28276d79400b02\
     272c2040066012116b6579732c2061726773292072657475726e600c075b315d20656e64290a008d5936adc6e707da",
  )
}
fn lib2_payload() -> Vec<u8> {
  hex(
    "f5404623216c7561206e616d653d6c6962320a72656469732e72656769737465725f66756e6374696f6e28276632272c2066756e6374696f\
     6e28292072657475726e203120656e64290a008c6d0c74ea23c6a5",
  )
}
const EMPTY_PAYLOAD: &str = "0a005d9b5c400f7fa2da";

fn bulk(bytes: &[u8]) -> Vec<u8> {
  let mut out = format!("${}\r\n", bytes.len()).into_bytes();
  out.extend_from_slice(bytes);
  out.extend_from_slice(b"\r\n");
  out
}

fn dump(c: &mut Client) -> Vec<u8> {
  let reply = c.raw(&common::encode(&[b"FUNCTION", b"DUMP"]));
  let start = reply.iter().position(|&b| b == b'\n').unwrap() + 1;
  reply[start..reply.len() - 2].to_vec()
}

fn restore(c: &mut Client, payload: &[u8], policy: Option<&str>) -> String {
  let mut args: Vec<&[u8]> = vec![b"FUNCTION", b"RESTORE", payload];
  if let Some(policy) = policy {
    args.push(policy.as_bytes());
  }
  c.cmd_bytes(&args)
}

/// A payload of `body` with a correct footer.
fn payload(body: &[u8]) -> Vec<u8> {
  let mut out = body.to_vec();
  out.extend_from_slice(&[10, 0]);
  let crc = redwing_engine::rdb::crc64::crc64(0, &out);
  out.extend_from_slice(&crc.to_le_bytes());
  out
}

fn libraries(c: &mut Client) -> String {
  c.cmd(&["FUNCTION", "LIST", "WITHCODE"])
}

#[test]
fn dump_matches_redis() {
  let mut c = Client::new();
  assert_eq!(dump(&mut c), hex(EMPTY_PAYLOAD));
  c.cmd(&["FUNCTION", "LOAD", MYLIB]);
  assert_eq!(dump(&mut c), mylib_payload());
  c.cmd(&["FUNCTION", "FLUSH"]);
  c.cmd(&["FUNCTION", "LOAD", LIB2]);
  assert_eq!(dump(&mut c), lib2_payload());
  assert_eq!(c.raw(&common::encode(&[b"FUNCTION", b"DUMP"])), bulk(&lib2_payload()));

  // With `rdbcompression no`, redis-server 7.0.15 stores MYLIB's code plain.
  c.cmd(&["FUNCTION", "FLUSH"]);
  c.cmd(&["FUNCTION", "LOAD", MYLIB]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdbcompression", "no"]), "+OK\r\n");
  let mut plain = b"\xf5@[".to_vec();
  plain.extend_from_slice(MYLIB.as_bytes());
  plain.extend_from_slice(b"\n\x00\x8e\x99\x9f\xad\x11\x98\xc7:");
  assert_eq!(dump(&mut c), plain);
}

#[test]
fn restores_redis_payloads() {
  let mut c = Client::new();
  assert_eq!(restore(&mut c, &mylib_payload(), None), "+OK\r\n");
  assert_eq!(restore(&mut c, &lib2_payload(), Some("append")), "+OK\r\n");
  assert_eq!(c.cmd(&["FCALL", "myfunc", "0", "hi"]), "$2\r\nhi\r\n");
  assert_eq!(c.cmd(&["FCALL", "f2", "0"]), ":1\r\n");
  let mut other = Client::new();
  other.cmd(&["FUNCTION", "LOAD", MYLIB]);
  other.cmd(&["FUNCTION", "LOAD", LIB2]);
  assert_eq!(libraries(&mut c), libraries(&mut other));
  assert_eq!(restore(&mut c, &hex(EMPTY_PAYLOAD), None), "+OK\r\n");
  assert_eq!(restore(&mut c, &hex(EMPTY_PAYLOAD), Some("FLUSH")), "+OK\r\n");
  assert_eq!(c.cmd(&["FUNCTION", "LIST"]), "*0\r\n");
}

#[test]
fn policies() {
  let mut c = Client::new();
  c.cmd(&["FUNCTION", "LOAD", MYLIB]);
  let before = libraries(&mut c);
  assert_eq!(restore(&mut c, &mylib_payload(), None), "-ERR Library mylib already exists\r\n");
  assert_eq!(restore(&mut c, &mylib_payload(), Some("APPEND")), "-ERR Library mylib already exists\r\n");
  assert_eq!(libraries(&mut c), before);
  assert_eq!(restore(&mut c, &mylib_payload(), Some("Replace")), "+OK\r\n");
  assert_eq!(libraries(&mut c), before);

  // A function name taken by a library that stays aborts the whole restore.
  c.cmd(&["FUNCTION", "LOAD", LIB2]);
  let both = libraries(&mut c);
  let clash = "#!lua name=other\nredis.register_function('f2', function() return 2 end)";
  let mut body = vec![0xf5];
  redwing_engine::rdb::encoding::write_string(
    &mut body,
    b"#!lua name=fresh\nredis.register_function('fresh', function() return 3 end)",
    true,
  );
  body.push(0xf5);
  redwing_engine::rdb::encoding::write_string(&mut body, clash.as_bytes(), true);
  let p = payload(&body);
  assert_eq!(restore(&mut c, &p, Some("replace")), "-ERR Function f2 already exists\r\n");
  assert_eq!(libraries(&mut c), both);

  // REPLACE frees the functions of the libraries it replaces.
  let renamed = "#!lua name=lib2\nredis.register_function('g2', function() return 4 end)";
  let mut body = vec![0xf5];
  redwing_engine::rdb::encoding::write_string(&mut body, renamed.as_bytes(), true);
  body.push(0xf5);
  redwing_engine::rdb::encoding::write_string(&mut body, clash.as_bytes(), true);
  assert_eq!(restore(&mut c, &payload(&body), Some("replace")), "+OK\r\n");
  assert_eq!(c.cmd(&["FCALL", "f2", "0"]), ":2\r\n");
  assert_eq!(c.cmd(&["FCALL", "g2", "0"]), ":4\r\n");
  assert_eq!(c.cmd(&["FCALL", "myfunc", "0", "x"]), "$1\r\nx\r\n");

  // FLUSH drops everything else.
  assert_eq!(restore(&mut c, &lib2_payload(), Some("flush")), "+OK\r\n");
  assert_eq!(c.cmd(&["FCALL", "f2", "0"]), ":1\r\n");
  assert_eq!(c.cmd(&["FCALL", "myfunc", "0"]), "-ERR Function not found\r\n");
  assert!(c.cmd(&["FUNCTION", "STATS"]).contains(":1\r\n$15\r\nfunctions_count\r\n:1\r\n"));
}

#[test]
fn errors() {
  let mut c = Client::new();
  c.cmd(&["FUNCTION", "LOAD", LIB2]);
  let before = libraries(&mut c);
  let wrong = "-ERR DUMP payload version or checksum are wrong\r\n";
  assert_eq!(restore(&mut c, b"", None), wrong);
  assert_eq!(restore(&mut c, b"x", None), wrong);
  let mut bad_crc = mylib_payload();
  bad_crc[5] ^= 1;
  assert_eq!(restore(&mut c, &bad_crc, None), wrong);
  let mut newer = vec![11, 0];
  let crc = redwing_engine::rdb::crc64::crc64(0, &newer);
  newer.extend_from_slice(&crc.to_le_bytes());
  assert_eq!(restore(&mut c, &newer, None), wrong);
  assert_eq!(
    restore(&mut c, &mylib_payload(), Some("merge")),
    "-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n"
  );
  assert_eq!(
    c.cmd(&["FUNCTION", "RESTORE", "x", "append", "y"]),
    "-ERR unknown subcommand or wrong number of arguments for 'RESTORE'. Try FUNCTION HELP.\r\n"
  );
  assert_eq!(c.cmd(&["FUNCTION", "RESTORE"]), "-ERR wrong number of arguments for 'function|restore' command\r\n");
  // A key's DUMP is not a function; a truncated library; a library that does not load; two
  // libraries of one name in one payload.
  assert_eq!(restore(&mut c, &payload(b"\x00\x05hello"), None), "-ERR given type is not a function\r\n");
  assert_eq!(restore(&mut c, &payload(b"\xf5\x40"), None), "-ERR Failed loading library payload\r\n");
  assert_eq!(restore(&mut c, &payload(b"\xf5\xc4"), None), "-ERR Failed loading library payload\r\n");
  assert_eq!(restore(&mut c, &payload(b"\xf5\x03abc"), None), "-ERR Missing library metadata\r\n");
  let mut twice = lib2_payload()[..lib2_payload().len() - 10].to_vec();
  twice.extend_from_within(..);
  assert_eq!(restore(&mut c, &payload(&twice), Some("flush")), "-ERR Library 'lib2' already exists\r\n");
  assert_eq!(libraries(&mut c), before);
}

#[test]
fn old_library_format() {
  // RDB_OPCODE_FUNCTION: name, engine, a description, then the code without its `#!` line.
  let mut c = Client::new();
  let mut body = vec![0xf6];
  for s in ["old", "LUA"] {
    redwing_engine::rdb::encoding::write_string(&mut body, s.as_bytes(), true);
  }
  body.push(1);
  redwing_engine::rdb::encoding::write_string(&mut body, b"a description", true);
  redwing_engine::rdb::encoding::write_string(
    &mut body,
    b"redis.register_function('o', function() return 5 end)",
    true,
  );
  assert_eq!(restore(&mut c, &payload(&body), None), "+OK\r\n");
  assert_eq!(c.cmd(&["FCALL", "o", "0"]), ":5\r\n");
  assert_eq!(restore(&mut c, &payload(b"\xf6\x03old"), Some("flush")), "-ERR Failed loading engine name\r\n");
}

#[test]
fn changes_are_counted() {
  let mut c = Client::new();
  let changes = |c: &mut Client| {
    let info = c.cmd(&["INFO", "persistence"]);
    let line = info.lines().find(|l| l.starts_with("rdb_changes_since_last_save:")).unwrap().to_string();
    line
  };
  let start = changes(&mut c);
  dump(&mut c);
  assert_eq!(changes(&mut c), start);
  restore(&mut c, &lib2_payload(), None);
  assert_eq!(changes(&mut c), "rdb_changes_since_last_save:1");
  restore(&mut c, &lib2_payload(), None);
  assert_eq!(changes(&mut c), "rdb_changes_since_last_save:1");
}
