//! What the generic keyspace commands report, against redis-server 7.0.15: their keyspace
//! events (names, databases and order), their form in the write stream, and WATCH exactness
//! (a command that changed nothing breaks no watch). DEL, UNLINK, the EXPIRE family, PERSIST,
//! RENAME, RENAMENX, MOVE, COPY, FLUSHDB, FLUSHALL, SWAPDB and SORT … STORE.

mod common;
use common::{drain, event, observed, watch_survives_as, Client};
use std::time::{SystemTime, UNIX_EPOCH};

fn ok() -> String {
  "+OK\r\n".into()
}

fn int(n: i64) -> String {
  format!(":{n}\r\n")
}

/// The notifications of several `(db, event, key)`, in order.
fn events(list: &[(usize, &str, &str)]) -> Vec<String> {
  list.iter().flat_map(|&(db, name, key)| event(db, name, key)).collect()
}

fn now_ms() -> i64 {
  SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// Gives `key` in database `db` an expiry time in the past without reclaiming it, so it sits
/// in the keyspace until something looks at it.
fn make_expired(c: &mut Client, db: usize, key: &str) {
  let db = &mut c.engine.keyspace.dbs[db];
  let pos = db.position(key.as_bytes()).expect("key exists");
  db.set_expire_at(pos, 1);
}

/// WATCHes `key` (in the main session's database at that point), runs `command` from another
/// session (in database `other_db`), then EXEC: whether the transaction still ran.
fn watch_survives(c: &mut Client, key: &str, other_db: usize, command: &[&str]) -> bool {
  let other = c.other();
  c.send_as(other, &["SELECT", &other_db.to_string()]);
  watch_survives_as(c, other, key, command)
}

#[test]
fn del_and_unlink() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "2"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["DEL", "a", "b", "missing", "a"]), int(2));
  assert_eq!(c.events(l), events(&[(0, "del", "a"), (0, "del", "b")]));
  // Propagated as called, missing keys included.
  assert_eq!(c.writes(), ["0: DEL a b missing a"]);

  assert_eq!(c.cmd(&["DEL", "missing"]), int(0));
  assert_eq!(c.cmd(&["UNLINK", "missing"]), int(0));
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  c.cmd(&["SET", "u", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["unlink", "u"]), int(1));
  assert_eq!(c.events(l), event(0, "del", "u"));
  assert_eq!(c.writes(), ["0: unlink u"]);

  // An expired key is reclaimed as an expiry: no `del` event, and only the expiry's DEL.
  c.cmd(&["SET", "gone", "1"]);
  make_expired(&mut c, 0, "gone");
  drain(&mut c, l);
  assert_eq!(c.cmd(&["DEL", "gone"]), int(0));
  assert_eq!(c.events(l), event(0, "expired", "gone"));
  assert_eq!(c.writes(), ["0: DEL gone"]);
}

#[test]
fn del_watch_exactness() {
  let mut c = Client::new();
  assert!(watch_survives(&mut c, "k", 0, &["DEL", "k"]));
  assert!(watch_survives(&mut c, "k", 0, &["UNLINK", "k", "other"]));
  c.cmd(&["SET", "k", "v"]);
  assert!(watch_survives(&mut c, "k", 1, &["DEL", "k"]));
  assert!(!watch_survives(&mut c, "k", 0, &["DEL", "k"]));
  c.cmd(&["SET", "k", "v"]);
  assert!(!watch_survives(&mut c, "k", 0, &["UNLINK", "x", "k"]));
}

#[test]
fn expire_family_events_and_rewrites() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "v"]);
  drain(&mut c, l);

  let before = now_ms();
  assert_eq!(c.cmd(&["EXPIRE", "k", "100"]), int(1));
  let after = now_ms();
  assert_eq!(c.events(l), event(0, "expire", "k"));
  let writes = c.writes();
  assert_eq!(writes.len(), 1);
  let parts: Vec<&str> = writes[0].split(' ').collect();
  assert_eq!(parts[..3], ["0:", "PEXPIREAT", "k"]);
  let at: i64 = parts[3].parse().unwrap();
  assert!((before + 100_000..=after + 100_000).contains(&at), "{at}");
  assert_eq!(parts.len(), 4);

  // Refused by its condition: nothing.
  assert_eq!(c.cmd(&["EXPIRE", "k", "100", "NX"]), int(0));
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  // The options travel with the rewritten command, as given.
  let before = now_ms();
  assert_eq!(c.cmd(&["pexpire", "k", "200000", "xx"]), int(1));
  let after = now_ms();
  assert_eq!(c.events(l), event(0, "expire", "k"));
  let writes = c.writes();
  let parts: Vec<&str> = writes[0].split(' ').collect();
  assert_eq!((parts[1], parts[2], parts[4]), ("PEXPIREAT", "k", "xx"));
  let at: i64 = parts[3].parse().unwrap();
  assert!((before + 200_000..=after + 200_000).contains(&at), "{at}");

  assert_eq!(c.cmd(&["EXPIREAT", "k", "4000000000", "GT"]), int(1));
  assert_eq!(c.events(l), event(0, "expire", "k"));
  assert_eq!(c.writes(), ["0: PEXPIREAT k 4000000000000 GT"]);

  // PEXPIREAT already is the absolute form: propagated as called.
  assert_eq!(c.cmd(&["pexpireat", "k", "4000000000001"]), int(1));
  assert_eq!(c.events(l), event(0, "expire", "k"));
  assert_eq!(c.writes(), ["0: pexpireat k 4000000000001"]);
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "4000000000002", "LT"]), int(0));
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  // A time in the past deletes the key: a `del` event, propagated as DEL.
  assert_eq!(c.cmd(&["EXPIRE", "k", "-1"]), int(1));
  assert_eq!(c.events(l), event(0, "del", "k"));
  assert_eq!(c.writes(), ["0: DEL k"]);
  assert_eq!(c.cmd(&["EXISTS", "k"]), int(0));
  c.cmd(&["SET", "k", "v"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["PEXPIREAT", "k", "1"]), int(1));
  assert_eq!(c.events(l), event(0, "del", "k"));
  assert_eq!(c.writes(), ["0: DEL k"]);

  // With lazyfree-lazy-expire the deletion replays as UNLINK.
  assert_eq!(c.cmd(&["CONFIG", "SET", "lazyfree-lazy-expire", "yes"]), ok());
  c.cmd(&["SET", "k", "v"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["EXPIREAT", "k", "0"]), int(1));
  assert_eq!(c.events(l), event(0, "del", "k"));
  assert_eq!(c.writes(), ["0: UNLINK k"]);

  // Missing key, failed command: nothing.
  assert_eq!(c.cmd(&["EXPIRE", "missing", "10"]), int(0));
  assert_eq!(c.cmd(&["EXPIRE", "missing", "10", "NX", "XX"]).as_bytes()[0], b'-');
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  // An expired key: only the expiry's report.
  c.cmd(&["SET", "old", "v"]);
  make_expired(&mut c, 0, "old");
  drain(&mut c, l);
  assert_eq!(c.cmd(&["EXPIRE", "old", "10"]), int(0));
  assert_eq!(c.events(l), event(0, "expired", "old"));
  assert_eq!(c.writes(), ["0: DEL old"]);
}

#[test]
fn persist() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "k", "v"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["PERSIST", "k"]), int(0));
  assert_eq!(c.cmd(&["PERSIST", "missing"]), int(0));
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());
  c.cmd(&["EXPIRE", "k", "100"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["PERSIST", "k"]), int(1));
  assert_eq!(c.events(l), event(0, "persist", "k"));
  assert_eq!(c.writes(), ["0: PERSIST k"]);
}

#[test]
fn expire_and_persist_watch_exactness() {
  let mut c = Client::new();
  assert!(watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "100"]));
  c.cmd(&["SET", "k", "v"]);
  assert!(watch_survives(&mut c, "k", 0, &["PERSIST", "k"]));
  assert!(watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "100", "XX"]));
  assert!(watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "100", "GT"]));
  assert!(watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "bad"]));
  assert!(!watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "100"]));
  assert!(watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "100", "NX"]));
  assert!(watch_survives(&mut c, "k", 0, &["PEXPIRE", "k", "200000", "LT"]));
  assert!(!watch_survives(&mut c, "k", 0, &["PERSIST", "k"]));
  assert!(!watch_survives(&mut c, "k", 0, &["EXPIRE", "k", "0"]));
  assert_eq!(c.cmd(&["EXISTS", "k"]), int(0));
}

#[test]
fn rename_and_renamenx() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "s", "1"]);
  c.cmd(&["SET", "d", "2"]);
  drain(&mut c, l);
  // The overwritten destination gets no `del` event.
  assert_eq!(c.cmd(&["RENAME", "s", "d"]), ok());
  assert_eq!(c.events(l), events(&[(0, "rename_from", "s"), (0, "rename_to", "d")]));
  assert_eq!(c.writes(), ["0: RENAME s d"]);

  // Renaming a key to itself, a refused RENAMENX, a missing source: nothing.
  assert_eq!(c.cmd(&["RENAME", "d", "d"]), ok());
  assert_eq!(c.cmd(&["RENAMENX", "d", "d"]), int(0));
  c.cmd(&["SET", "x", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["RENAMENX", "x", "d"]), int(0));
  assert_eq!(c.cmd(&["RENAME", "nosuch", "z"]), "-ERR no such key\r\n");
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  assert_eq!(c.cmd(&["renamenx", "x", "y"]), int(1));
  assert_eq!(c.events(l), events(&[(0, "rename_from", "x"), (0, "rename_to", "y")]));
  assert_eq!(c.writes(), ["0: renamenx x y"]);
}

#[test]
fn rename_over_an_expired_destination() {
  // Redis: `expired` for the old destination, `new` for the recreated key, then the rename;
  // the expiry's DEL replays first, in the same unit.
  let (mut c, l) = observed("KEAn");
  c.cmd(&["SET", "s", "1"]);
  c.cmd(&["SET", "d", "2"]);
  c.cmd(&["SET", "e", "3"]);
  make_expired(&mut c, 0, "d");
  make_expired(&mut c, 0, "e");
  drain(&mut c, l);
  assert_eq!(c.cmd(&["RENAME", "s", "d"]), ok());
  assert_eq!(
    c.events(l),
    events(&[(0, "expired", "d"), (0, "new", "d"), (0, "rename_from", "s"), (0, "rename_to", "d")])
  );
  assert_eq!(c.writes(), ["0: MULTI", "0: DEL d", "0: RENAME s d", "0: EXEC"]);
  assert_eq!(c.cmd(&["RENAMENX", "d", "e"]), int(1));
  assert_eq!(
    c.events(l),
    events(&[(0, "expired", "e"), (0, "new", "e"), (0, "rename_from", "d"), (0, "rename_to", "e")])
  );
  assert_eq!(c.writes(), ["0: MULTI", "0: DEL e", "0: RENAMENX d e", "0: EXEC"]);
}

#[test]
fn rename_watch_exactness() {
  let mut c = Client::new();
  c.cmd(&["SET", "s", "1"]);
  c.cmd(&["SET", "d", "2"]);
  assert!(watch_survives(&mut c, "s", 0, &["RENAME", "s", "s"]));
  assert!(watch_survives(&mut c, "s", 0, &["RENAMENX", "s", "d"]));
  assert!(watch_survives(&mut c, "d", 0, &["RENAMENX", "s", "d"]));
  assert!(watch_survives(&mut c, "z", 0, &["RENAME", "nosuch", "z"]));
  // Both the source and the destination change.
  assert!(!watch_survives(&mut c, "s", 0, &["RENAME", "s", "t"]));
  assert!(!watch_survives(&mut c, "d", 0, &["RENAME", "t", "d"]));
  assert!(!watch_survives(&mut c, "n", 0, &["RENAMENX", "d", "n"]));
}

#[test]
fn move_between_databases() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "m", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["MOVE", "m", "1"]), int(1));
  assert_eq!(c.events(l), events(&[(0, "move_from", "m"), (1, "move_to", "m")]));
  assert_eq!(c.writes(), ["0: MOVE m 1"]);

  // The key exists there, is missing here, or the command fails: nothing.
  c.cmd(&["SET", "m", "2"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["MOVE", "m", "1"]), int(0));
  assert_eq!(c.cmd(&["MOVE", "nosuch", "1"]), int(0));
  assert_eq!(c.cmd(&["MOVE", "m", "0"]).as_bytes()[0], b'-');
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  // From another database: the write stream names the session's database.
  c.cmd(&["SELECT", "3"]);
  c.cmd(&["SET", "t", "x"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["MOVE", "t", "2"]), int(1));
  assert_eq!(c.events(l), events(&[(3, "move_from", "t"), (2, "move_to", "t")]));
  assert_eq!(c.writes(), ["3: MOVE t 2"]);
}

#[test]
fn move_over_an_expired_key_in_the_other_database() {
  let (mut c, l) = observed("KEAn");
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "m", "old"]);
  make_expired(&mut c, 1, "m");
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["SET", "m", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["MOVE", "m", "1"]), int(1));
  assert_eq!(c.events(l), events(&[(1, "expired", "m"), (1, "new", "m"), (0, "move_from", "m"), (1, "move_to", "m")]));
  // The stale key's deletion replays in its database before the MOVE, in one unit.
  assert_eq!(c.writes(), ["1: MULTI", "1: DEL m", "0: MOVE m 1", "0: EXEC"]);
}

#[test]
fn move_watch_exactness() {
  let mut c = Client::new();
  c.cmd(&["SET", "m", "1"]);
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "m", "there"]);
  c.cmd(&["SET", "n", "there"]);
  // A refused MOVE changes neither database.
  assert!(watch_survives(&mut c, "m", 0, &["MOVE", "m", "1"]));
  c.cmd(&["SELECT", "0"]);
  assert!(watch_survives(&mut c, "m", 0, &["MOVE", "m", "1"]));
  assert!(watch_survives(&mut c, "x", 0, &["MOVE", "x", "1"]));
  // A MOVE breaks a watch on the key in the destination database too.
  c.cmd(&["SELECT", "2"]);
  assert!(!watch_survives(&mut c, "m", 0, &["MOVE", "m", "2"]));
  c.cmd(&["SELECT", "1"]);
  assert!(!watch_survives(&mut c, "n", 1, &["MOVE", "n", "0"]));
}

#[test]
fn copy() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "m", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["COPY", "m", "c"]), int(1));
  assert_eq!(c.events(l), event(0, "copy_to", "c"));
  assert_eq!(c.writes(), ["0: COPY m c"]);

  // The destination exists, the source is missing, or the command fails: nothing.
  assert_eq!(c.cmd(&["COPY", "m", "c"]), int(0));
  assert_eq!(c.cmd(&["COPY", "nosuch", "z"]), int(0));
  assert_eq!(c.cmd(&["COPY", "m", "m"]).as_bytes()[0], b'-');
  assert_eq!(c.cmd(&["COPY", "m", "c", "DB", "99"]).as_bytes()[0], b'-');
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());

  // REPLACE: no `del` event for the replaced value.
  assert_eq!(c.cmd(&["COPY", "m", "c", "REPLACE"]), int(1));
  assert_eq!(c.events(l), event(0, "copy_to", "c"));
  assert_eq!(c.writes(), ["0: COPY m c REPLACE"]);

  // To another database: the event is there, the write names the session's database.
  assert_eq!(c.cmd(&["COPY", "m", "c", "DB", "2"]), int(1));
  assert_eq!(c.events(l), event(2, "copy_to", "c"));
  assert_eq!(c.writes(), ["0: COPY m c DB 2"]);
  assert_eq!(c.cmd(&["COPY", "m", "m", "db", "2", "replace"]), int(1));
  assert_eq!(c.events(l), event(2, "copy_to", "m"));
  assert_eq!(c.writes(), ["0: COPY m m db 2 replace"]);
}

#[test]
fn copy_over_expired_keys() {
  let (mut c, l) = observed("KEAn");
  c.cmd(&["SET", "c", "1"]);
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "c", "old"]);
  make_expired(&mut c, 1, "c");
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["SET", "d", "old"]);
  make_expired(&mut c, 0, "d");
  drain(&mut c, l);
  assert_eq!(c.cmd(&["COPY", "c", "c", "DB", "1"]), int(1));
  assert_eq!(c.events(l), events(&[(1, "expired", "c"), (1, "new", "c"), (1, "copy_to", "c")]));
  assert_eq!(c.writes(), ["1: MULTI", "1: DEL c", "0: COPY c c DB 1", "0: EXEC"]);
  assert_eq!(c.cmd(&["COPY", "c", "d"]), int(1));
  assert_eq!(c.events(l), events(&[(0, "expired", "d"), (0, "new", "d"), (0, "copy_to", "d")]));
  assert_eq!(c.writes(), ["0: MULTI", "0: DEL d", "0: COPY c d", "0: EXEC"]);
}

#[test]
fn copy_watch_exactness() {
  let mut c = Client::new();
  c.cmd(&["SET", "m", "1"]);
  c.cmd(&["SET", "c", "2"]);
  assert!(watch_survives(&mut c, "c", 0, &["COPY", "m", "c"]));
  assert!(watch_survives(&mut c, "m", 0, &["COPY", "m", "n"]));
  assert!(!watch_survives(&mut c, "c", 0, &["COPY", "m", "c", "REPLACE"]));
  // A copy to another database breaks a watch there.
  c.cmd(&["SELECT", "4"]);
  assert!(!watch_survives(&mut c, "m", 0, &["COPY", "m", "m", "DB", "4"]));
  // Now m exists there: a copy without REPLACE, or of a missing source, changes nothing.
  assert!(watch_survives(&mut c, "m", 0, &["COPY", "m", "m", "DB", "4"]));
  assert!(watch_survives(&mut c, "c", 0, &["COPY", "nosuch", "c", "DB", "4"]));
  assert!(!watch_survives(&mut c, "c", 0, &["COPY", "c", "c", "DB", "4"]));
}

#[test]
fn flushdb_and_flushall() {
  let (mut c, l) = observed("KEA");
  // No events; propagated as called even when there was nothing to remove.
  assert_eq!(c.cmd(&["FLUSHDB"]), ok());
  assert_eq!(c.cmd(&["flushall", "async"]), ok());
  assert!(c.events(l).is_empty());
  assert_eq!(c.writes(), ["0: FLUSHDB", "0: flushall async"]);
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SELECT", "5"]);
  c.cmd(&["SET", "b", "1"]);
  drain(&mut c, l);
  assert_eq!(c.cmd(&["FLUSHDB", "SYNC"]), ok());
  assert!(c.events(l).is_empty());
  assert_eq!(c.writes(), ["5: FLUSHDB SYNC"]);
  assert_eq!(c.cmd(&["FLUSHALL"]), ok());
  assert_eq!(c.writes(), ["5: FLUSHALL"]);
  // A failed flush is nothing.
  assert_eq!(c.cmd(&["FLUSHALL", "bad"]).as_bytes()[0], b'-');
  assert!(c.writes().is_empty());
}

#[test]
fn flush_counts_one_change_per_key() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "1"]);
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "c", "1"]);
  let before = c.engine.keyspace.dirty;
  c.cmd(&["FLUSHDB"]);
  assert_eq!(c.engine.keyspace.dirty - before, 1);
  c.cmd(&["SET", "c", "1"]);
  let before = c.engine.keyspace.dirty;
  c.cmd(&["FLUSHALL"]);
  assert_eq!(c.engine.keyspace.dirty - before, 3);
}

#[test]
fn flush_watch_exactness() {
  let mut c = Client::new();
  // Flushing databases that do not hold the watched key breaks nothing.
  assert!(watch_survives(&mut c, "k", 0, &["FLUSHDB"]));
  c.cmd(&["SET", "k", "v"]);
  assert!(watch_survives(&mut c, "k", 1, &["FLUSHDB"]));
  assert!(!watch_survives(&mut c, "k", 1, &["FLUSHALL"]));
  c.cmd(&["SET", "k", "v"]);
  assert!(!watch_survives(&mut c, "k", 0, &["FLUSHDB"]));
}

#[test]
fn swapdb() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["SET", "a", "1"]);
  drain(&mut c, l);
  // No events; one change, propagated as called (also for a database swapped with itself).
  let before = c.engine.keyspace.dirty;
  assert_eq!(c.cmd(&["SWAPDB", "0", "1"]), ok());
  assert_eq!(c.engine.keyspace.dirty - before, 1);
  assert!(c.events(l).is_empty());
  assert_eq!(c.writes(), ["0: SWAPDB 0 1"]);
  assert_eq!(c.cmd(&["swapdb", "2", "2"]), ok());
  assert_eq!(c.writes(), ["0: swapdb 2 2"]);
  assert_eq!(c.cmd(&["SWAPDB", "0", "99"]).as_bytes()[0], b'-');
  assert!(c.writes().is_empty());
  assert!(c.events(l).is_empty());
}

#[test]
fn swapdb_watch_exactness() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  // Swapping a database with itself changes nothing; swapping others does not concern k.
  assert!(watch_survives(&mut c, "k", 0, &["SWAPDB", "0", "0"]));
  assert!(watch_survives(&mut c, "k", 0, &["SWAPDB", "1", "2"]));
  assert!(!watch_survives(&mut c, "k", 0, &["SWAPDB", "0", "1"]));
}

#[test]
fn swapdb_serves_clients_blocked_in_either_database() {
  let mut c = Client::new();
  let waiter = c.other();
  // The waiter stays in database 0; the list arrives there by the swap.
  assert_eq!(c.send_as(waiter, &["BLPOP", "l", "0"]), "");
  assert!(c.engine.blocking.is_blocked(waiter));
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["RPUSH", "l", "x", "y"]);
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["SWAPDB", "0", "1"]), ok());
  assert_eq!(c.take_outbox(), [(waiter, "*2\r\n$1\r\nl\r\n$1\r\nx\r\n".to_string())]);
  assert!(!c.engine.blocking.is_blocked(waiter));
  // The rest of the list is in database 0 now.
  c.cmd(&["SELECT", "0"]);
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\ny\r\n");

  // A waiter on a key that the swap takes away keeps waiting, in its database.
  c.send_as(waiter, &["SELECT", "1"]);
  assert_eq!(c.send_as(waiter, &["BLPOP", "q", "0"]), "");
  assert_eq!(c.cmd(&["SWAPDB", "0", "1"]), ok());
  assert!(c.take_outbox().is_empty());
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["RPUSH", "q", "in0"]);
  assert!(c.take_outbox().is_empty());
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["RPUSH", "q", "in1"]);
  assert_eq!(c.take_outbox(), [(waiter, "*2\r\n$1\r\nq\r\n$3\r\nin1\r\n".to_string())]);
}

#[test]
fn sort_store() {
  let (mut c, l) = observed("KEA");
  c.cmd(&["RPUSH", "l", "3", "1", "2"]);
  drain(&mut c, l);
  let before = c.engine.keyspace.dirty;
  assert_eq!(c.cmd(&["SORT", "l", "STORE", "dst"]), int(3));
  // One change per element stored.
  assert_eq!(c.engine.keyspace.dirty - before, 3);
  assert_eq!(c.events(l), event(0, "sortstore", "dst"));
  assert_eq!(c.writes(), ["0: SORT l STORE dst"]);
  assert_eq!(c.cmd(&["sort", "l", "store", "dst"]), int(3));
  assert_eq!(c.events(l), event(0, "sortstore", "dst"));
  assert_eq!(c.writes(), ["0: sort l store dst"]);

  // An empty result deletes the destination: `del`.
  assert_eq!(c.cmd(&["SORT", "missing", "STORE", "dst"]), int(0));
  assert_eq!(c.events(l), event(0, "del", "dst"));
  assert_eq!(c.writes(), ["0: SORT missing STORE dst"]);
  // … and is nothing when there was no destination.
  assert_eq!(c.cmd(&["SORT", "missing", "STORE", "dst"]), int(0));
  assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "5", "5", "STORE", "dst"]), int(0));
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());
  // SORT without STORE reports nothing.
  assert_eq!(c.cmd(&["SORT", "l"]).as_bytes()[0], b'*');
  assert!(c.events(l).is_empty());
  assert!(c.writes().is_empty());
}

#[test]
fn sort_store_over_an_expired_destination() {
  let (mut c, l) = observed("KEAn");
  c.cmd(&["RPUSH", "l", "1"]);
  c.cmd(&["SET", "dst", "x"]);
  c.cmd(&["SET", "dst2", "x"]);
  make_expired(&mut c, 0, "dst");
  make_expired(&mut c, 0, "dst2");
  drain(&mut c, l);
  assert_eq!(c.cmd(&["SORT", "l", "STORE", "dst"]), int(1));
  assert_eq!(c.events(l), events(&[(0, "expired", "dst"), (0, "new", "dst"), (0, "sortstore", "dst")]));
  assert_eq!(c.writes(), ["0: MULTI", "0: DEL dst", "0: SORT l STORE dst", "0: EXEC"]);
  // Redis deletes an empty result's destination without asking whether it had expired.
  assert_eq!(c.cmd(&["SORT", "missing", "STORE", "dst2"]), int(0));
  assert_eq!(c.events(l), event(0, "del", "dst2"));
  assert_eq!(c.writes(), ["0: SORT missing STORE dst2"]);
}

#[test]
fn sort_store_watch_exactness() {
  let mut c = Client::new();
  assert!(watch_survives(&mut c, "dst", 0, &["SORT", "missing", "STORE", "dst"]));
  assert!(watch_survives(&mut c, "dst", 0, &["SORT", "l"]));
  c.cmd(&["RPUSH", "l", "1"]);
  assert!(!watch_survives(&mut c, "dst", 0, &["SORT", "l", "STORE", "dst"]));
  assert!(!watch_survives(&mut c, "dst", 0, &["SORT", "missing", "STORE", "dst"]));
}
