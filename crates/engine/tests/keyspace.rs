//! Generic keyspace commands, byte for byte against redis-server 7.0.15: DEL, UNLINK, EXISTS,
//! TYPE, TOUCH, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, the EXPIRE and TTL
//! families, PERSIST, OBJECT, DBSIZE, FLUSHDB, FLUSHALL and SWAPDB, including lazy expiry.

mod common;
use common::Client;
use std::collections::BTreeSet;

fn ok() -> String {
  "+OK\r\n".into()
}

fn int(n: i64) -> String {
  format!(":{n}\r\n")
}

fn bulk(s: &str) -> String {
  format!("${}\r\n{s}\r\n", s.len())
}

fn err(text: &str) -> String {
  format!("-{text}\r\n")
}

const NULL: &str = "$-1\r\n";
const SAME: &str = "-ERR source and destination objects are the same\r\n";
const OUT_OF_RANGE: &str = "-ERR DB index is out of range\r\n";
const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";

/// Switches the client's database directly (SELECT belongs to another family).
fn select(c: &mut Client, db: usize) {
  let slot = c.slot;
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.db = db;
    }
  }
}

fn use_resp3(c: &mut Client) {
  let slot = c.slot;
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

/// Gives `key` in database `db` an expiry time in the past without reclaiming it, so it sits
/// in the keyspace as an expired key until something looks at it.
fn make_expired(c: &mut Client, db: usize, key: &str) {
  let db = &mut c.engine.keyspace.dbs[db];
  let pos = db.position(key.as_bytes()).expect("key exists");
  db.set_expire_at(pos, 1);
}

/// Pretends `key` was last accessed `seconds` ago.
fn age(c: &mut Client, key: &str, seconds: u32) {
  let db = &mut c.engine.keyspace.dbs[0];
  let pos = db.position(key.as_bytes()).expect("key exists");
  db.entry_at_mut(pos).access -= seconds;
}

/// Parses a flat array of bulk strings.
fn parse_bulks(reply: &str) -> Vec<String> {
  let mut lines = reply.split("\r\n");
  let header = lines.next().unwrap();
  assert!(header.starts_with('*'), "not an array: {reply:?}");
  let n: usize = header[1..].parse().unwrap();
  let mut items = Vec::new();
  for _ in 0..n {
    let len = lines.next().unwrap();
    assert!(len.starts_with('$'), "{reply:?}");
    items.push(lines.next().unwrap().to_string());
  }
  items
}

fn sorted_keys(c: &mut Client, pattern: &str) -> Vec<String> {
  let mut keys = parse_bulks(&c.cmd(&["KEYS", pattern]));
  keys.sort();
  keys
}

/// Splits a SCAN reply into its cursor and keys.
fn parse_scan(reply: &str) -> (String, Vec<String>) {
  let (cursor_part, keys_part) = reply.strip_prefix("*2\r\n").unwrap().split_at(reply[4..].find("*").unwrap());
  let cursor = cursor_part.split("\r\n").nth(1).unwrap().to_string();
  (cursor, parse_bulks(keys_part))
}

/// Follows SCAN from cursor 0 to the end with `options`; returns every key returned.
fn scan_all(c: &mut Client, options: &[&str]) -> Vec<String> {
  let mut cursor = "0".to_string();
  let mut all = Vec::new();
  loop {
    let mut args = vec!["SCAN", cursor.as_str()];
    args.extend_from_slice(options);
    let (next, keys) = parse_scan(&c.cmd(&args));
    all.extend(keys);
    if next == "0" {
      break;
    }
    cursor = next;
  }
  all.sort();
  all
}

#[test]
fn del_unlink_exists_type_touch() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  for key in ["a", "b", "c"] {
    c.cmd(&["SET", key, "1"]);
  }
  assert_eq!(c.cmd(&["DBSIZE"]), int(3));
  assert_eq!(c.cmd(&["EXISTS", "a"]), int(1));
  assert_eq!(c.cmd(&["EXISTS", "a", "b", "missing", "a"]), int(3));
  assert_eq!(c.cmd(&["EXISTS", "missing"]), int(0));
  assert_eq!(c.cmd(&["TYPE", "a"]), "+string\r\n");
  assert_eq!(c.cmd(&["TYPE", "missing"]), "+none\r\n");
  assert_eq!(c.cmd(&["DEL", "a"]), int(1));
  assert_eq!(c.cmd(&["DEL", "a"]), int(0));
  assert_eq!(c.cmd(&["DEL", "b", "c", "missing", "b"]), int(2));
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "2"]);
  assert_eq!(c.cmd(&["UNLINK", "a", "b", "missing"]), int(2));
  assert_eq!(c.cmd(&["EXISTS", "a", "b"]), int(0));
  assert_eq!(c.cmd(&["TOUCH", "missing"]), int(0));
  c.cmd(&["SET", "t", "v"]);
  assert_eq!(c.cmd(&["TOUCH", "t", "t", "missing"]), int(2));
  assert_eq!(c.cmd(&["DEL"]), err("ERR wrong number of arguments for 'del' command"));
  assert_eq!(c.cmd(&["UNLINK"]), err("ERR wrong number of arguments for 'unlink' command"));
  assert_eq!(c.cmd(&["EXISTS"]), err("ERR wrong number of arguments for 'exists' command"));
  assert_eq!(c.cmd(&["TYPE"]), err("ERR wrong number of arguments for 'type' command"));
  assert_eq!(c.cmd(&["TYPE", "a", "b"]), err("ERR wrong number of arguments for 'type' command"));
  assert_eq!(c.cmd(&["TOUCH"]), err("ERR wrong number of arguments for 'touch' command"));
}

#[test]
fn expired_keys_are_absent_and_reclaimed_lazily() {
  let mut c = Client::new();
  for key in ["e1", "e2", "e3", "e4", "live"] {
    c.cmd(&["SET", key, "v"]);
  }
  for key in ["e1", "e2", "e3", "e4"] {
    make_expired(&mut c, 0, key);
  }
  // DBSIZE counts keys not reclaimed yet, as Redis does.
  assert_eq!(c.cmd(&["DBSIZE"]), int(5));
  assert_eq!(c.cmd(&["EXISTS", "e1", "live"]), int(1));
  assert_eq!(c.cmd(&["TYPE", "e2"]), "+none\r\n");
  assert_eq!(c.cmd(&["DEL", "e3", "live"]), int(1));
  assert_eq!(c.cmd(&["TOUCH", "e4"]), int(0));
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  assert_eq!(c.engine.keyspace.dbs[0].expired_keys, 4);
}

#[test]
fn key_set_with_px_expires() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "soon", "v", "PX", "1"]), ok());
  std::thread::sleep(std::time::Duration::from_millis(5));
  assert_eq!(c.cmd(&["GET", "soon"]), NULL);
  assert_eq!(c.cmd(&["TTL", "soon"]), int(-2));
  assert_eq!(c.cmd(&["SET", "soon", "v"]), ok());
  assert_eq!(c.cmd(&["PEXPIRE", "soon", "1"]), int(1));
  std::thread::sleep(std::time::Duration::from_millis(5));
  assert_eq!(c.cmd(&["EXISTS", "soon"]), int(0));
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
}

#[test]
fn keys_glob_patterns() {
  let mut c = Client::new();
  let all = ["hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo", "h?llo", "h[a]llo", "back\\slash", "x", ""];
  for key in all {
    c.cmd(&["SET", key, "1"]);
  }
  let expect = |keys: &[&str]| {
    let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    keys.sort();
    keys
  };
  assert_eq!(sorted_keys(&mut c, "*"), expect(&all));
  assert_eq!(sorted_keys(&mut c, "h?llo"), expect(&["hallo", "h?llo", "hxllo", "h*llo", "hello"]));
  let h_llo = ["hallo", "h?llo", "hllo", "hxllo", "heeeello", "h*llo", "hello", "h[a]llo"];
  assert_eq!(sorted_keys(&mut c, "h*llo"), expect(&h_llo));
  assert_eq!(sorted_keys(&mut c, "h[ae]llo"), expect(&["hallo", "hello"]));
  assert_eq!(sorted_keys(&mut c, "h[^e]llo"), expect(&["hallo", "h?llo", "hxllo", "h*llo"]));
  assert_eq!(sorted_keys(&mut c, "h[a-c]llo"), expect(&["hallo"]));
  assert_eq!(sorted_keys(&mut c, "h[c-a]llo"), expect(&["hallo"]));
  assert_eq!(sorted_keys(&mut c, "h[!e]llo"), expect(&["hello"]));
  assert_eq!(sorted_keys(&mut c, "h\\*llo"), expect(&["h*llo"]));
  assert_eq!(sorted_keys(&mut c, "h\\?llo"), expect(&["h?llo"]));
  assert_eq!(sorted_keys(&mut c, "h\\[a\\]llo"), expect(&["h[a]llo"]));
  assert_eq!(sorted_keys(&mut c, "back\\\\slash"), expect(&["back\\slash"]));
  assert_eq!(sorted_keys(&mut c, "back*"), expect(&["back\\slash"]));
  assert_eq!(sorted_keys(&mut c, "*llo"), expect(&h_llo));
  assert_eq!(sorted_keys(&mut c, "***llo"), expect(&h_llo));
  assert_eq!(sorted_keys(&mut c, "?"), expect(&["x"]));
  assert_eq!(sorted_keys(&mut c, ""), expect(&[""]));
  // Only a bare `*` selects the empty key; the matcher refuses the empty string.
  assert_eq!(sorted_keys(&mut c, "**").len(), all.len() - 1);
  assert_eq!(sorted_keys(&mut c, "[hx]*").len(), 9);
  assert_eq!(sorted_keys(&mut c, "*e*e*"), expect(&["heeeello"]));
  for pattern in ["nomatch*", "h[a-", "h[a", "h[", "h\\", "H*"] {
    assert_eq!(c.cmd(&["KEYS", pattern]), "*0\r\n", "{pattern}");
  }
  assert_eq!(c.cmd(&["KEYS", "x"]), format!("*1\r\n{}", bulk("x")));
  assert_eq!(c.cmd(&["KEYS"]), err("ERR wrong number of arguments for 'keys' command"));
  assert_eq!(c.cmd(&["KEYS", "a", "b"]), err("ERR wrong number of arguments for 'keys' command"));
}

#[test]
fn keys_skips_expired_keys_without_reclaiming_them() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "gone", "1"]);
  make_expired(&mut c, 0, "gone");
  assert_eq!(c.cmd(&["KEYS", "*"]), format!("*1\r\n{}", bulk("a")));
  assert_eq!(c.cmd(&["DBSIZE"]), int(2));
  c.cmd(&["FLUSHDB"]);
  assert_eq!(c.cmd(&["KEYS", "*"]), "*0\r\n");
}

#[test]
fn keys_is_binary_safe() {
  let mut c = Client::new();
  c.cmd_bytes(&[b"SET", b"a\x00b\xff", b"v"]);
  c.cmd_bytes(&[b"SET", b"a\r\nb", b"v"]);
  let reply = c.raw(&common::encode(&[b"KEYS", b"a?b\xff"]));
  assert_eq!(reply, b"*1\r\n$4\r\na\x00b\xff\r\n".to_vec());
  let reply = c.raw(&common::encode(&[b"KEYS", b"a\r\n*"]));
  assert_eq!(reply, b"*1\r\n$4\r\na\r\nb\r\n".to_vec());
}

#[test]
fn scan_on_an_empty_database_and_cursor_forms() {
  let mut c = Client::new();
  let done = "*2\r\n$1\r\n0\r\n*0\r\n";
  for cursor in ["0", "-1", "+5", "", "-0", "18446744073709551615", "-18446744073709551615"] {
    assert_eq!(c.cmd(&["SCAN", cursor]), done, "{cursor:?}");
  }
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "10"]), done);
  assert_eq!(c.cmd(&["SCAN", "0", "MATCH", "*"]), done);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "9223372036854775807"]), done);
  assert_eq!(c.cmd_bytes(&[b"SCAN", b"7\x00junk"]), done);
}

#[test]
fn scan_errors() {
  let mut c = Client::new();
  let invalid = err("ERR invalid cursor");
  for cursor in ["abc", "1.5", " 1", "1 ", "0x10", "--1", "-", "+", "18446744073709551616", "-18446744073709551616"] {
    assert_eq!(c.cmd(&["SCAN", cursor]), invalid, "{cursor:?}");
  }
  assert_eq!(c.cmd(&["SCAN", "abc", "COUNT", "0"]), invalid);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "0"]), SYNTAX);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "-1"]), SYNTAX);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "abc"]), NOT_INT);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "99999999999999999999"]), NOT_INT);
  for option in ["COUNT", "MATCH", "TYPE", "FOO"] {
    assert_eq!(c.cmd(&["SCAN", "0", option]), SYNTAX, "{option}");
  }
  assert_eq!(c.cmd(&["SCAN", "0", "FOO", "bar"]), SYNTAX);
  assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "5", "MATCH"]), SYNTAX);
  assert_eq!(c.cmd(&["SCAN"]), err("ERR wrong number of arguments for 'scan' command"));
}

#[test]
fn scan_with_match_type_and_count() {
  let mut c = Client::new();
  let keys = ["user:1", "user:2", "user:3", "user:10", "item:1", "item:2", "sp ace", "", "counter"];
  for key in keys {
    c.cmd(&["SET", key, "v"]);
  }
  let mut everything: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
  everything.sort();
  assert_eq!(scan_all(&mut c, &[]), everything);
  assert_eq!(scan_all(&mut c, &["COUNT", "1"]), everything);
  assert_eq!(scan_all(&mut c, &["COUNT", "2"]), everything);
  assert_eq!(scan_all(&mut c, &["COUNT", "1000"]), everything);
  assert_eq!(scan_all(&mut c, &["MATCH", "user:*"]), ["user:1", "user:10", "user:2", "user:3"]);
  assert_eq!(scan_all(&mut c, &["MATCH", "user:?", "COUNT", "1"]), ["user:1", "user:2", "user:3"]);
  assert_eq!(scan_all(&mut c, &["MATCH", "*:1*"]), ["item:1", "user:1", "user:10"]);
  assert_eq!(scan_all(&mut c, &["MATCH", "item:[12]"]), ["item:1", "item:2"]);
  assert_eq!(scan_all(&mut c, &["MATCH", "nothing*"]), Vec::<String>::new());
  assert_eq!(scan_all(&mut c, &["MATCH", ""]), [""]);
  assert_eq!(scan_all(&mut c, &["MATCH", "sp ace"]), ["sp ace"]);
  assert_eq!(scan_all(&mut c, &["TYPE", "string"]), everything);
  assert_eq!(scan_all(&mut c, &["TYPE", "STRING"]), everything);
  for other in ["list", "hash", "set", "zset", "stream", "none", "nosuchtype"] {
    assert_eq!(scan_all(&mut c, &["TYPE", other]), Vec::<String>::new(), "{other}");
  }
  assert_eq!(scan_all(&mut c, &["MATCH", "user:*", "TYPE", "string", "COUNT", "3"]).len(), 4);
  assert_eq!(scan_all(&mut c, &["match", "item:*", "count", "1"]), ["item:1", "item:2"]);
  // Repeated options: the last one wins.
  assert_eq!(scan_all(&mut c, &["MATCH", "a*", "MATCH", "user:*"]).len(), 4);
  assert_eq!(scan_all(&mut c, &["COUNT", "5", "COUNT", "1"]), everything);

  // COUNT bounds the positions visited per call: a first page of 4 keys, then the rest.
  let (cursor, page) = parse_scan(&c.cmd(&["SCAN", "0", "COUNT", "4"]));
  assert_eq!(page.len(), 4);
  assert_ne!(cursor, "0");
  let (cursor, rest) = parse_scan(&c.cmd(&["SCAN", &cursor, "COUNT", "100"]));
  assert_eq!((cursor.as_str(), rest.len()), ("0", 5));

  select(&mut c, 1);
  assert_eq!(c.cmd(&["SCAN", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
}

#[test]
fn scan_never_returns_expired_keys_and_reclaims_matching_ones() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "temp", "v"]);
  c.cmd(&["SET", "x-temp", "v"]);
  make_expired(&mut c, 0, "temp");
  make_expired(&mut c, 0, "x-temp");
  assert_eq!(c.cmd(&["SCAN", "0", "MATCH", "temp"]), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), int(2));
  assert_eq!(c.cmd(&["SCAN", "0", "TYPE", "none"]), "*2\r\n$1\r\n0\r\n*0\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), int(1));
  assert_eq!(c.cmd(&["SCAN", "0"]), format!("*2\r\n$1\r\n0\r\n*1\r\n{}", bulk("a")));
  assert_eq!(c.engine.keyspace.dbs[0].expired_keys, 2);
}

#[test]
fn scan_returns_every_key_that_survives_deletions_during_the_scan() {
  let mut c = Client::new();
  let key = |i: usize| format!("key:{i}");
  for i in 0..300 {
    c.cmd(&["SET", &key(i), "v"]);
  }
  let mut seen = BTreeSet::new();
  let mut deleted = BTreeSet::new();
  let mut cursor = "0".to_string();
  let mut round = 0;
  loop {
    let (next, keys) = parse_scan(&c.cmd(&["SCAN", &cursor, "COUNT", "7"]));
    for k in keys {
      assert!(!deleted.contains(&k), "deleted key {k} returned");
      seen.insert(k);
    }
    // Delete a key already returned and one probably not returned yet, and expire another.
    for victim in [round * 3, 299 - round * 3] {
      if victim < 300 && c.cmd(&["DEL", &key(victim)]) == int(1) {
        deleted.insert(key(victim));
      }
    }
    let expiring = 150 + round;
    if expiring < 300 && !deleted.contains(&key(expiring)) {
      assert_eq!(c.cmd(&["PEXPIREAT", &key(expiring), "1"]), int(1));
      deleted.insert(key(expiring));
    }
    round += 1;
    if next == "0" {
      break;
    }
    cursor = next;
  }
  for i in 0..300 {
    if !deleted.contains(&key(i)) {
      assert!(seen.contains(&key(i)), "{} was never returned", key(i));
    }
  }
}

#[test]
fn randomkey() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["RANDOMKEY"]), NULL);
  c.cmd(&["SET", "t", "v"]);
  assert_eq!(c.cmd(&["RANDOMKEY"]), bulk("t"));
  c.cmd(&["SET", "u", "v"]);
  for _ in 0..20 {
    let reply = c.cmd(&["RANDOMKEY"]);
    assert!(reply == bulk("t") || reply == bulk("u"), "{reply}");
  }
  // Expired keys are reclaimed and never returned.
  make_expired(&mut c, 0, "t");
  make_expired(&mut c, 0, "u");
  assert_eq!(c.cmd(&["RANDOMKEY"]), NULL);
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  use_resp3(&mut c);
  assert_eq!(c.cmd(&["RANDOMKEY"]), "_\r\n");
  assert_eq!(c.cmd(&["RANDOMKEY", "x"]), err("ERR wrong number of arguments for 'randomkey' command"));
}

#[test]
fn rename_and_renamenx() {
  let mut c = Client::new();
  c.cmd(&["SET", "src", "v", "EX", "100"]);
  assert_eq!(c.cmd(&["RENAME", "src", "dst"]), ok());
  assert_eq!(c.cmd(&["EXISTS", "src"]), int(0));
  assert_eq!(c.cmd(&["GET", "dst"]), bulk("v"));
  assert_eq!(c.cmd(&["TTL", "dst"]), int(100));
  assert_eq!(c.cmd(&["RENAME", "missing", "dst"]), err("ERR no such key"));
  assert_eq!(c.cmd(&["RENAME", "dst", "dst"]), ok());
  assert_eq!(c.cmd(&["TTL", "dst"]), int(100));
  assert_eq!(c.cmd(&["RENAME", "missing", "missing"]), err("ERR no such key"));
  c.cmd(&["SET", "other", "o"]);
  assert_eq!(c.cmd(&["RENAMENX", "dst", "other"]), int(0));
  assert_eq!(c.cmd(&["GET", "other"]), bulk("o"));
  assert_eq!(c.cmd(&["RENAMENX", "dst", "fresh"]), int(1));
  assert_eq!(c.cmd(&["GET", "fresh"]), bulk("v"));
  assert_eq!(c.cmd(&["RENAMENX", "fresh", "fresh"]), int(0));
  assert_eq!(c.cmd(&["RENAMENX", "missing", "x"]), err("ERR no such key"));
  assert_eq!(c.cmd(&["RENAMENX", "missing", "missing"]), err("ERR no such key"));
  // RENAME replaces the destination, dropping its expiry time.
  c.cmd(&["SET", "n", "10"]);
  c.cmd(&["SET", "m", "old", "EX", "50"]);
  assert_eq!(c.cmd(&["RENAME", "n", "m"]), ok());
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "m"]), bulk("int"));
  assert_eq!(c.cmd(&["TTL", "m"]), int(-1));
  assert_eq!(c.cmd(&["DBSIZE"]), int(3));
  // An expired source is missing; an expired destination is free.
  c.cmd(&["SET", "old", "x"]);
  make_expired(&mut c, 0, "old");
  assert_eq!(c.cmd(&["RENAME", "old", "new"]), err("ERR no such key"));
  c.cmd(&["SET", "stale", "x"]);
  make_expired(&mut c, 0, "stale");
  assert_eq!(c.cmd(&["RENAMENX", "m", "stale"]), int(1));
  assert_eq!(c.cmd(&["GET", "stale"]), bulk("10"));
  assert_eq!(c.cmd(&["RENAME", "a"]), err("ERR wrong number of arguments for 'rename' command"));
  assert_eq!(c.cmd(&["RENAMENX", "a", "b", "c"]), err("ERR wrong number of arguments for 'renamenx' command"));
}

#[test]
fn copy() {
  let mut c = Client::new();
  c.cmd(&["SET", "cp1", "hello", "EX", "100"]);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp2"]), int(1));
  assert_eq!(c.cmd(&["GET", "cp2"]), bulk("hello"));
  assert_eq!(c.cmd(&["TTL", "cp2"]), int(100));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp2"]), int(0));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp2", "REPLACE"]), int(1));
  assert_eq!(c.cmd(&["COPY", "missing", "cp3"]), int(0));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp1"]), SAME);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp1", "REPLACE"]), SAME);
  assert_eq!(c.cmd(&["COPY", "missing", "missing"]), SAME);
  assert_eq!(c.cmd(&["COPY", "missing", "missing", "DB", "1"]), int(0));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "1"]), int(1));
  select(&mut c, 1);
  assert_eq!(c.cmd(&["GET", "cp4"]), bulk("hello"));
  assert_eq!(c.cmd(&["TTL", "cp4"]), int(100));
  select(&mut c, 0);
  assert_eq!(c.cmd(&["EXISTS", "cp4"]), int(0));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "1"]), int(0));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "1", "REPLACE"]), int(1));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "16"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "-1"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "abc"]), NOT_INT);
  assert_eq!(
    c.cmd(&["COPY", "cp1", "cp4", "DB", "99999999999"]),
    err("ERR value is out of range, value must between -2147483648 and 2147483647")
  );
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "FOO"]), SYNTAX);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB"]), SYNTAX);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "DB", "99", "FOO"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "FOO", "DB", "99"]), SYNTAX);
  assert_eq!(c.cmd(&["COPY", "cp1", "cp4", "REPLACE", "REPLACE"]), int(1));
  assert_eq!(c.cmd(&["COPY", "cp1", "cp1", "DB", "0"]), SAME);
  assert_eq!(c.cmd(&["copy", "cp1", "cp1", "db", "1"]), int(1));
  c.cmd(&["SET", "cpint", "42"]);
  assert_eq!(c.cmd(&["COPY", "cpint", "cpint2"]), int(1));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "cpint2"]), bulk("int"));
  // The copy is independent of its source.
  c.cmd(&["SET", "cpint", "43"]);
  assert_eq!(c.cmd(&["GET", "cpint2"]), bulk("42"));
  // A persistent source gives a persistent copy, even over a volatile destination.
  c.cmd(&["SET", "vol", "x", "EX", "10"]);
  assert_eq!(c.cmd(&["COPY", "cpint", "vol", "REPLACE"]), int(1));
  assert_eq!(c.cmd(&["TTL", "vol"]), int(-1));
  // An expired destination does not block the copy.
  c.cmd(&["SET", "stale", "x"]);
  make_expired(&mut c, 0, "stale");
  assert_eq!(c.cmd(&["COPY", "cpint", "stale"]), int(1));
  assert_eq!(c.cmd(&["GET", "stale"]), bulk("43"));
  assert_eq!(c.cmd(&["COPY", "cp1"]), err("ERR wrong number of arguments for 'copy' command"));
}

#[test]
fn move_between_databases() {
  let mut c = Client::new();
  c.cmd(&["SET", "mv", "v", "PX", "100000"]);
  assert_eq!(c.cmd(&["MOVE", "mv", "1"]), int(1));
  assert_eq!(c.cmd(&["EXISTS", "mv"]), int(0));
  select(&mut c, 1);
  assert_eq!(c.cmd(&["GET", "mv"]), bulk("v"));
  assert_eq!(c.cmd(&["TTL", "mv"]), int(100));
  c.cmd(&["SET", "mv2", "other"]);
  select(&mut c, 0);
  c.cmd(&["SET", "mv2", "here"]);
  assert_eq!(c.cmd(&["MOVE", "mv2", "1"]), int(0));
  assert_eq!(c.cmd(&["GET", "mv2"]), bulk("here"));
  assert_eq!(c.cmd(&["MOVE", "missing", "1"]), int(0));
  assert_eq!(c.cmd(&["MOVE", "mv2", "0"]), SAME);
  assert_eq!(c.cmd(&["MOVE", "missing", "0"]), SAME);
  assert_eq!(c.cmd(&["MOVE", "mv2", "16"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["MOVE", "mv2", "-1"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["MOVE", "mv2", "abc"]), NOT_INT);
  assert_eq!(
    c.cmd(&["MOVE", "mv2", "2147483648"]),
    err("ERR value is out of range, value must between -2147483648 and 2147483647")
  );
  assert_eq!(c.cmd(&["MOVE", "mv2"]), err("ERR wrong number of arguments for 'move' command"));
  // An expired key in the target database does not block the move.
  select(&mut c, 2);
  c.cmd(&["SET", "mv2", "stale"]);
  make_expired(&mut c, 2, "mv2");
  select(&mut c, 0);
  assert_eq!(c.cmd(&["MOVE", "mv2", "2"]), int(1));
  select(&mut c, 2);
  assert_eq!(c.cmd(&["GET", "mv2"]), bulk("here"));
}

#[test]
fn ttl_pttl_expiretime_pexpiretime_persist() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  for cmd in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
    assert_eq!(c.cmd(&[cmd, "k"]), int(-1), "{cmd}");
    assert_eq!(c.cmd(&[cmd, "missing"]), int(-2), "{cmd}");
  }
  assert_eq!(c.cmd(&["EXPIRE", "k", "100"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(100));
  let pttl: i64 = c.cmd(&["PTTL", "k"])[1..].trim().parse().unwrap();
  assert!((99_000..=100_000).contains(&pttl), "{pttl}");
  assert_eq!(c.cmd(&["EXPIRE", "k", "200"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(200));
  assert_eq!(c.cmd(&["PEXPIRE", "k", "300000"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(300));
  assert_eq!(c.cmd(&["EXPIREAT", "k", "4102444800"]), int(1));
  assert_eq!(c.cmd(&["EXPIRETIME", "k"]), int(4102444800));
  assert_eq!(c.cmd(&["PEXPIRETIME", "k"]), int(4102444800000));
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "4102444800123"]), int(1));
  assert_eq!(c.cmd(&["PEXPIRETIME", "k"]), int(4102444800123));
  assert_eq!(c.cmd(&["EXPIRETIME", "k"]), int(4102444800));
  // Seconds are rounded to nearest.
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "4102444800600"]), int(1));
  assert_eq!(c.cmd(&["EXPIRETIME", "k"]), int(4102444801));
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "4102444800499"]), int(1));
  assert_eq!(c.cmd(&["EXPIRETIME", "k"]), int(4102444800));
  assert_eq!(c.cmd(&["PEXPIRE", "k", "1600"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(2));
  assert_eq!(c.cmd(&["PEXPIRE", "k", "1400"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(1));
  assert_eq!(c.cmd(&["PEXPIRE", "k", "400"]), int(1));
  assert_eq!(c.cmd(&["TTL", "k"]), int(0));
  // The largest expiry time.
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "9223372036854775807"]), int(1));
  assert_eq!(c.cmd(&["PEXPIRETIME", "k"]), int(i64::MAX));
  assert_eq!(c.cmd(&["EXPIRETIME", "k"]), int(9223372036854776));
  assert_eq!(c.cmd(&["PERSIST", "k"]), int(1));
  assert_eq!(c.cmd(&["PERSIST", "k"]), int(0));
  assert_eq!(c.cmd(&["TTL", "k"]), int(-1));
  assert_eq!(c.cmd(&["PERSIST", "missing"]), int(0));
  for cmd in ["TTL", "PTTL", "PERSIST", "EXPIRETIME", "PEXPIRETIME"] {
    let name = cmd.to_lowercase();
    let arity = err(&format!("ERR wrong number of arguments for '{name}' command"));
    assert_eq!(c.cmd(&[cmd]), arity);
    assert_eq!(c.cmd(&[cmd, "a", "b"]), arity);
  }
}

#[test]
fn expire_on_missing_keys_and_times_in_the_past() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["EXPIRE", "missing", "100"]), int(0));
  assert_eq!(c.cmd(&["PEXPIRE", "missing", "100"]), int(0));
  assert_eq!(c.cmd(&["EXPIREAT", "missing", "4102444800"]), int(0));
  assert_eq!(c.cmd(&["PEXPIREAT", "missing", "4102444800000"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "missing", "0"]), int(0));
  for (cmd, time) in [
    ("EXPIRE", "0"),
    ("EXPIRE", "-10"),
    ("PEXPIRE", "-1"),
    ("EXPIREAT", "1"),
    ("PEXPIREAT", "0"),
    ("EXPIREAT", "-100"),
    ("PEXPIRE", "-9223372036854775808"),
  ] {
    c.cmd(&["SET", "gone", "v"]);
    assert_eq!(c.cmd(&[cmd, "gone", time]), int(1), "{cmd} {time}");
    assert_eq!(c.cmd(&["EXISTS", "gone"]), int(0), "{cmd} {time}");
    assert_eq!(c.cmd(&["DBSIZE"]), int(0), "{cmd} {time}");
  }
  // Deleting through EXPIRE is a deletion, not an expiry.
  assert_eq!(c.engine.keyspace.dbs[0].expired_keys, 0);
}

#[test]
fn expire_nx_xx_gt_lt() {
  let mut c = Client::new();
  c.cmd(&["SET", "o", "v"]);
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "XX"]), int(0));
  assert_eq!(c.cmd(&["TTL", "o"]), int(-1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "GT"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "LT"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(100));
  assert_eq!(c.cmd(&["PERSIST", "o"]), int(1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "NX"]), int(1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "200", "NX"]), int(0));
  assert_eq!(c.cmd(&["TTL", "o"]), int(100));
  assert_eq!(c.cmd(&["EXPIRE", "o", "200", "XX"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(200));
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "GT"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "o", "300", "GT"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(300));
  assert_eq!(c.cmd(&["EXPIRE", "o", "400", "LT"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "o", "50", "LT"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(50));
  assert_eq!(c.cmd(&["EXPIREAT", "o", "4102444800", "GT"]), int(1));
  assert_eq!(c.cmd(&["EXPIREAT", "o", "4102444700", "GT"]), int(0));
  assert_eq!(c.cmd(&["EXPIREAT", "o", "4102444800", "GT"]), int(0));
  assert_eq!(c.cmd(&["EXPIREAT", "o", "4102444800", "LT"]), int(0));
  assert_eq!(c.cmd(&["EXPIREAT", "o", "4102444700", "LT"]), int(1));
  assert_eq!(c.cmd(&["EXPIRETIME", "o"]), int(4102444700));
  assert_eq!(c.cmd(&["PEXPIREAT", "o", "4102444700000", "XX"]), int(1));
  assert_eq!(c.cmd(&["PEXPIRE", "o", "1000000", "nx"]), int(0));
  assert_eq!(c.cmd(&["expire", "o", "10", "lt"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(10));
  assert_eq!(c.cmd(&["EXPIRE", "o", "200", "XX", "GT"]), int(1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "100", "LT", "XX"]), int(1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "300", "GT", "GT"]), int(1));
  assert_eq!(c.cmd(&["TTL", "o"]), int(300));
  // A time in the past only deletes when the conditions allow it.
  assert_eq!(c.cmd(&["EXPIRE", "o", "0", "GT"]), int(0));
  assert_eq!(c.cmd(&["EXISTS", "o"]), int(1));
  assert_eq!(c.cmd(&["EXPIRE", "o", "0", "LT"]), int(1));
  assert_eq!(c.cmd(&["EXISTS", "o"]), int(0));
  c.cmd(&["SET", "o", "v"]);
  assert_eq!(c.cmd(&["EXPIRE", "o", "-1", "NX"]), int(1));
  assert_eq!(c.cmd(&["EXISTS", "o"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "missing", "100", "NX"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "missing", "100", "XX"]), int(0));
}

#[test]
fn expire_errors() {
  let mut c = Client::new();
  c.cmd(&["SET", "e", "v"]);
  let nx = err("ERR NX and XX, GT or LT options at the same time are not compatible");
  let gt_lt = err("ERR GT and LT options at the same time are not compatible");
  for options in [["NX", "XX"], ["XX", "NX"], ["NX", "GT"], ["NX", "LT"], ["LT", "nx"]] {
    assert_eq!(c.cmd(&["EXPIRE", "e", "100", options[0], options[1]]), nx, "{options:?}");
  }
  assert_eq!(c.cmd(&["EXPIRE", "e", "100", "GT", "LT"]), gt_lt);
  assert_eq!(c.cmd(&["PEXPIREAT", "e", "100", "lt", "gt"]), gt_lt);
  assert_eq!(c.cmd(&["EXPIRE", "e", "100", "NX", "GT", "LT"]), nx);
  assert_eq!(c.cmd(&["EXPIRE", "e", "100", "FOO"]), err("ERR Unsupported option FOO"));
  assert_eq!(c.cmd(&["EXPIRE", "e", "100", "NX", "FOO"]), err("ERR Unsupported option FOO"));
  assert_eq!(c.cmd_bytes(&[b"EXPIRE", b"e", b"100", b"AB\x00CD"]), err("ERR Unsupported option AB"));
  // Options are checked before the time, and the time before the key.
  assert_eq!(c.cmd(&["EXPIRE", "e", "abc", "FOO"]), err("ERR Unsupported option FOO"));
  assert_eq!(c.cmd(&["EXPIRE", "e", "abc", "NX", "XX"]), nx);
  assert_eq!(c.cmd(&["EXPIRE", "missing", "100", "FOO"]), err("ERR Unsupported option FOO"));
  assert_eq!(c.cmd(&["EXPIRE", "missing", "abc"]), NOT_INT);
  for cmd in ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"] {
    for time in ["abc", "1.5", "", " 1", "+1"] {
      assert_eq!(c.cmd(&[cmd, "e", time]), NOT_INT, "{cmd} {time:?}");
    }
  }
  let invalid = |cmd: &str| err(&format!("ERR invalid expire time in '{cmd}' command"));
  assert_eq!(c.cmd(&["EXPIRE", "e", "9223372036854775807"]), invalid("expire"));
  assert_eq!(c.cmd(&["EXPIRE", "e", "9223372036854775"]), invalid("expire"));
  assert_eq!(c.cmd(&["EXPIRE", "e", "-9223372036854775808"]), invalid("expire"));
  assert_eq!(c.cmd(&["PEXPIRE", "e", "9223372036854775807"]), invalid("pexpire"));
  assert_eq!(c.cmd(&["EXPIREAT", "e", "9223372036854775807"]), invalid("expireat"));
  assert_eq!(c.cmd(&["expireat", "e", "-9223372036854775808"]), invalid("expireat"));
  assert_eq!(c.cmd(&["EXISTS", "e"]), int(1));
  assert_eq!(c.cmd(&["TTL", "e"]), int(-1));
  assert_eq!(c.cmd(&["EXPIREAT", "e", "9223372036854775"]), int(1));
  assert_eq!(c.cmd(&["PEXPIRETIME", "e"]), int(9223372036854775000));
  for cmd in ["EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT"] {
    let arity = err(&format!("ERR wrong number of arguments for '{}' command", cmd.to_lowercase()));
    assert_eq!(c.cmd(&[cmd, "e"]), arity);
    assert_eq!(c.cmd(&[cmd]), arity);
  }
}

#[test]
fn object_subcommands() {
  let mut c = Client::new();
  c.cmd(&["SET", "obj", "100"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "obj"]), int(2147483647));
  c.cmd(&["SET", "obj", "9999"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "obj"]), int(2147483647));
  c.cmd(&["SET", "obj", "0"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "obj"]), int(2147483647));
  c.cmd(&["SET", "obj2", "100000"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "obj2"]), int(1));
  c.cmd(&["SET", "neg", "-1"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "neg"]), int(1));
  c.cmd(&["SET", "obj3", "hello"]);
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "obj3"]), int(1));
  assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "missing"]), NULL);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "obj"]), bulk("int"));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "obj3"]), bulk("embstr"));
  c.cmd(&["SET", "long", &"x".repeat(45)]);
  assert_eq!(c.cmd(&["object", "encoding", "long"]), bulk("raw"));
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "missing"]), NULL);
  let lfu = err(
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when \
     switching between policies at runtime LRU and LFU data will take some time to adjust.",
  );
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "obj"]), lfu);
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "missing"]), NULL);
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "obj"]), int(0));
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "missing"]), NULL);
  assert_eq!(
    c.cmd(&["OBJECT", "ENCODING", "obj3", "extra"]),
    err("ERR wrong number of arguments for 'object|encoding' command")
  );
  assert_eq!(c.cmd(&["OBJECT", "FOO", "obj"]), err("ERR unknown subcommand 'FOO'. Try OBJECT HELP."));
  assert_eq!(c.cmd(&["OBJECT"]), err("ERR wrong number of arguments for 'object' command"));
  assert_eq!(c.cmd(&["OBJECT", "HELP", "extra"]), err("ERR wrong number of arguments for 'object|help' command"));
  let help = "*15\r\n\
    +OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n\
    +ENCODING <key>\r\n\
    +    Return the kind of internal representation used in order to store the value\r\n\
    +    associated with a <key>.\r\n\
    +FREQ <key>\r\n\
    +    Return the access frequency index of the <key>. The returned integer is\r\n\
    +    proportional to the logarithm of the recent access frequency of the key.\r\n\
    +IDLETIME <key>\r\n\
    +    Return the idle time of the <key>, that is the approximated number of\r\n\
    +    seconds elapsed since the last access to the key.\r\n\
    +REFCOUNT <key>\r\n\
    +    Return the number of references of the value associated with the specified\r\n\
    +    <key>.\r\n\
    +HELP\r\n\
    +    Prints this help.\r\n";
  assert_eq!(c.cmd(&["OBJECT", "HELP"]), help);
  assert_eq!(c.cmd(&["object", "help"]), help);
  use_resp3(&mut c);
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["OBJECT", "HELP"]), help);
}

#[test]
fn idle_time_follows_accesses_but_not_inspection() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  age(&mut c, "k", 100);
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), int(100));
  // Inspecting does not count as an access.
  for cmd in [&["EXISTS", "k"][..], &["TYPE", "k"], &["TTL", "k"], &["PTTL", "k"], &["OBJECT", "ENCODING", "k"]] {
    c.cmd(cmd);
  }
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), int(100));
  assert_eq!(c.cmd(&["TOUCH", "k"]), int(1));
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), int(0));
  age(&mut c, "k", 50);
  assert_eq!(c.cmd(&["GET", "k"]), bulk("v"));
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), int(0));
  age(&mut c, "k", 50);
  assert_eq!(c.cmd(&["EXPIRE", "k", "100"]), int(1));
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), int(0));
}

#[test]
fn keyspace_hits_and_misses() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  let counts = |c: &Client| (c.engine.telemetry.stats.keyspace_hits, c.engine.telemetry.stats.keyspace_misses);
  assert_eq!(counts(&c), (0, 0));
  c.cmd(&["EXISTS", "k", "missing", "k"]);
  assert_eq!(counts(&c), (2, 1));
  c.cmd(&["TYPE", "k"]);
  c.cmd(&["TTL", "missing"]);
  c.cmd(&["OBJECT", "ENCODING", "k"]);
  c.cmd(&["TOUCH", "k"]);
  assert_eq!(counts(&c), (5, 2));
  // Write lookups and whole-keyspace walks are not counted.
  for cmd in [&["EXPIRE", "k", "100"][..], &["PERSIST", "k"], &["DEL", "nope"], &["KEYS", "*"], &["SCAN", "0"]] {
    c.cmd(cmd);
  }
  assert_eq!(counts(&c), (5, 2));
  // COPY reads its source; SCAN with TYPE reads each key matching its pattern.
  c.cmd(&["COPY", "k", "k2"]);
  c.cmd(&["COPY", "nope", "k3"]);
  assert_eq!(counts(&c), (6, 3));
  c.cmd(&["SCAN", "0", "TYPE", "string", "MATCH", "k"]);
  assert_eq!(counts(&c), (7, 3));
}

#[test]
fn dbsize_flushdb_flushall() {
  let mut c = Client::new();
  c.cmd(&["SET", "db0", "zero"]);
  select(&mut c, 2);
  c.cmd(&["SET", "db2", "two"]);
  c.cmd(&["SET", "db2b", "two"]);
  assert_eq!(c.cmd(&["DBSIZE"]), int(2));
  assert_eq!(c.cmd(&["FLUSHDB"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  select(&mut c, 0);
  assert_eq!(c.cmd(&["DBSIZE"]), int(1));
  assert_eq!(c.cmd(&["FLUSHDB", "ASYNC"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  c.cmd(&["SET", "x", "1"]);
  assert_eq!(c.cmd(&["FLUSHDB", "sync"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  c.cmd(&["SET", "x", "1"]);
  assert_eq!(c.cmd(&["FLUSHDB", "FOO"]), SYNTAX);
  assert_eq!(c.cmd(&["FLUSHDB", "SYNC", "ASYNC"]), SYNTAX);
  assert_eq!(c.cmd(&["DBSIZE"]), int(1));
  select(&mut c, 2);
  c.cmd(&["SET", "y", "1"]);
  assert_eq!(c.cmd(&["FLUSHALL", "FOO"]), SYNTAX);
  assert_eq!(c.cmd(&["FLUSHALL", "ASYNC"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  select(&mut c, 0);
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  c.cmd(&["SET", "x", "1"]);
  assert_eq!(c.cmd(&["FLUSHALL"]), ok());
  assert_eq!(c.cmd(&["FLUSHALL", "sync"]), ok());
  assert_eq!(c.cmd(&["flushall", "async"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(0));
  assert_eq!(c.cmd(&["DBSIZE", "x"]), err("ERR wrong number of arguments for 'dbsize' command"));
}

#[test]
fn swapdb() {
  let mut c = Client::new();
  c.cmd(&["SET", "db0", "zero"]);
  select(&mut c, 2);
  c.cmd(&["SET", "db2", "two"]);
  c.cmd(&["SET", "db2b", "two"]);
  select(&mut c, 0);
  assert_eq!(c.cmd(&["SWAPDB", "0", "2"]), ok());
  assert_eq!(c.cmd(&["DBSIZE"]), int(2));
  assert_eq!(sorted_keys(&mut c, "*"), ["db2", "db2b"]);
  select(&mut c, 2);
  assert_eq!(sorted_keys(&mut c, "*"), ["db0"]);
  assert_eq!(c.cmd(&["SWAPDB", "2", "2"]), ok());
  assert_eq!(sorted_keys(&mut c, "*"), ["db0"]);
  assert_eq!(c.cmd(&["SWAPDB", "0", "16"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["SWAPDB", "-1", "0"]), OUT_OF_RANGE);
  assert_eq!(c.cmd(&["SWAPDB", "a", "0"]), err("ERR invalid first DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "0", "b"]), err("ERR invalid second DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "1.5", "a"]), err("ERR invalid first DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "16", "a"]), err("ERR invalid second DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "99999999999", "0"]), err("ERR invalid first DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "0", "99999999999"]), err("ERR invalid second DB index"));
  assert_eq!(c.cmd(&["SWAPDB", "0"]), err("ERR wrong number of arguments for 'swapdb' command"));
  // Expiry times travel with the database.
  c.cmd(&["SET", "v", "x", "EX", "100"]);
  assert_eq!(c.cmd(&["SWAPDB", "2", "5"]), ok());
  select(&mut c, 5);
  assert_eq!(c.cmd(&["TTL", "v"]), int(100));
}
