//! MIGRATE's engine half (`cmd/keyspace/migrate.rs`): what is handed over to the host for a
//! transfer (the target, the options, one RESTORE per live key with its remaining TTL), the
//! removal of the keys the target acknowledged with their signals and one DEL in the write
//! stream, and the refusal where the engine must answer at once (EXEC, scripts). The network
//! half and the byte-for-byte comparison with redis-server are in `__test__/migrate.spec.ts`.

mod common;
use common::{encode, Client};

/// Sends MIGRATE as the client and returns what it handed over.
fn handed(c: &mut Client, args: &[&str]) -> Vec<Vec<u8>> {
  let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
  let out = c.engine.feed(c.slot, &encode(&argv));
  let pending = out.pending.expect("handed over");
  assert_eq!(pending.name, "migrate");
  pending.args
}

fn texts(args: &[Vec<u8>]) -> Vec<String> {
  args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect()
}

#[test]
fn the_transfer_handed_over_holds_a_restore_per_live_key() {
  let mut c = Client::new();
  c.cmd(&["SET", "plain", "v"]);
  c.cmd(&["SET", "timed", "w", "PX", "50000"]);
  let args = handed(
    &mut c,
    &["MIGRATE", "10.0.0.1", "7000", "", "3", "0", "REPLACE", "AUTH2", "u", "p", "KEYS", "plain", "gone", "timed"],
  );
  assert_eq!(texts(&args[..7]), ["10.0.0.1", "7000", "1000", "3", "up", "u", "p"]);
  assert_eq!(args.len(), 7 + 4);
  assert_eq!(args[7], b"plain");
  // The RESTORE carries the DUMP payload as it is.
  let dump = c.raw(&encode(&[b"DUMP", b"plain"]));
  let header_end = dump.iter().position(|&b| b == b'\n').unwrap() + 1;
  let payload = &dump[header_end..dump.len() - 2];
  let mut restore = format!("*5\r\n$7\r\nRESTORE\r\n$5\r\nplain\r\n$1\r\n0\r\n${}\r\n", payload.len()).into_bytes();
  restore.extend_from_slice(payload);
  restore.extend_from_slice(b"\r\n$7\r\nREPLACE\r\n");
  assert_eq!(args[8], restore);
  assert_eq!(args[9], b"timed");
  let ttl: i64 = String::from_utf8_lossy(&args[10]).split("\r\n").nth(6).unwrap().parse().unwrap();
  assert!((49_000..=50_000).contains(&ttl), "{ttl}");
  // COPY and AUTH: their flags.
  let args = handed(&mut c, &["MIGRATE", "h", "1", "plain", "0", "5", "COPY", "AUTH", "secret"]);
  assert_eq!(texts(&args[2..7]), ["5", "0", "cp", "", "secret"]);
}

#[test]
fn acknowledged_keys_are_removed_with_del_events_and_one_del_replayed() {
  let mut c = Client::new();
  let listener = c.listen_events("KEg");
  c.cmd(&["MSET", "a", "1", "b", "2"]);
  c.record_writes();
  c.writes();
  handed(&mut c, &["MIGRATE", "h", "1", "", "0", "5", "KEYS", "a", "b", "never-here"]);
  c.engine.migrated(c.slot, &[b"a", b"b"]);
  assert_eq!(c.cmd(&["EXISTS", "a", "b"]), ":0\r\n");
  assert_eq!(c.events(listener), common::events(&[("a", "del"), ("b", "del")]));
  assert_eq!(c.writes(), ["0: DEL a b"]);
}

#[test]
fn a_key_changed_during_the_transfer_stays() {
  let mut c = Client::new();
  c.cmd(&["MSET", "rewritten", "1", "same", "2", "retimed", "3", "flushed", "4", "unacknowledged", "5"]);
  c.cmd(&["HSET", "grown", "f", "v"]);
  c.record_writes();
  c.writes();
  let keys = ["rewritten", "same", "retimed", "flushed", "grown", "unacknowledged", "late"];
  let mut args = vec!["MIGRATE", "h", "1", "", "0", "5", "KEYS"];
  args.extend(keys);
  handed(&mut c, &args);
  // Another client writes while the host waits for the target.
  let other = c.other();
  for command in [
    &["SET", "rewritten", "new"][..],
    &["SET", "same", "2"],
    &["PEXPIRE", "retimed", "100000"],
    &["FLUSHDB"],
    &["MSET", "rewritten", "new", "same", "2", "retimed", "3", "flushed", "4", "unacknowledged", "5"],
    &["PEXPIRE", "retimed", "100000"],
    &["HSET", "grown", "f", "v", "g", "w"],
    &["SET", "late", "x"],
  ] {
    c.send_as(other, command);
  }
  c.engine.migrated(c.slot, &[b"rewritten", b"same", b"retimed", b"flushed", b"grown", b"late"]);
  // Removed: the keys that are as they were sent (whatever happened to them in between).
  assert_eq!(c.cmd(&["EXISTS", "same"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "flushed"]), ":0\r\n");
  // Kept: a new value, a new expiry time, a key that was not there when MIGRATE ran.
  assert_eq!(c.cmd(&["GET", "rewritten"]), "$3\r\nnew\r\n");
  assert_eq!(c.cmd(&["GET", "retimed"]), "$1\r\n3\r\n");
  assert_eq!(c.cmd(&["HLEN", "grown"]), ":2\r\n");
  assert_eq!(c.cmd(&["GET", "late"]), "$1\r\nx\r\n");
  assert_eq!(c.cmd(&["EXISTS", "unacknowledged"]), ":1\r\n");
  assert_eq!(c.writes().last().unwrap(), "0: DEL same flushed");
  // Once the host resumed the session, what this MIGRATE sent is forgotten.
  handed(&mut c, &["MIGRATE", "h", "1", "rewritten", "0", "5"]);
  c.engine.resume(c.slot);
  c.engine.migrated(c.slot, &[b"rewritten"]);
  assert_eq!(c.cmd(&["EXISTS", "rewritten"]), ":1\r\n");
}

#[test]
fn inside_exec_or_a_script_migrate_is_refused_and_replies_stay_whole() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["MULTI"]);
  assert_eq!(c.cmd(&["MIGRATE", "127.0.0.1", "1", "k", "0", "1000"]), "+QUEUED\r\n");
  assert_eq!(c.cmd(&["MIGRATE", "127.0.0.1", "1", "absent", "0", "1000"]), "+QUEUED\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "+QUEUED\r\n");
  assert_eq!(
    c.cmd(&["EXEC"]),
    "*3\r\n-ERR MIGRATE is not available inside a transaction or a script\r\n+NOKEY\r\n$1\r\nv\r\n"
  );
  assert_eq!(
    c.cmd(&["EVAL", "return redis.pcall('migrate', '127.0.0.1', '1', 'k', '0', '1000')", "0"]),
    "-ERR MIGRATE is not available inside a transaction or a script\r\n"
  );
  assert_eq!(
    c.cmd(&["EVAL", "return redis.call('migrate', '127.0.0.1', '1', 'absent', '0', '1000')", "0"]),
    "+NOKEY\r\n"
  );
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
}
