//! Replication, master side (`repl`, `cmd/server/replication.rs`): SYNC and PSYNC replies,
//! the stream a replica receives (SELECT, transactions, expired keys as DEL, GETACK), partial
//! resynchronisation from the backlog, REPLCONF's options and errors, ROLE, INFO and WAIT.

mod common;
use common::{encode, full_sync, info_field, Client};

/// The replica's output so far (the stream), as text, once the host flushed the replicas (as
/// it does at the end of each turn of its event loop).
fn stream_of(c: &mut Client, replica: u32) -> String {
  c.engine.flush_replicas();
  c.take_outbox().into_iter().filter(|(slot, _)| *slot == replica).map(|(_, text)| text).collect()
}

#[test]
fn a_full_resync_sends_the_rdb_file_then_the_stream() {
  let mut c = Client::new();
  c.cmd(&["SET", "before", "1"]);
  let replica = c.other();
  assert_eq!(c.send_as(replica, &["REPLCONF", "listening-port", "7777"]), "+OK\r\n");
  let reply = full_sync(&mut c, replica, &["PSYNC", "?", "-1"]);
  let replid = info_field(&mut c, "replication", "master_replid");
  let header = format!("+FULLRESYNC {replid} 0\r\n$");
  assert!(reply.starts_with(header.as_bytes()), "{}", String::from_utf8_lossy(&reply));
  let rest = &reply[header.len()..];
  let digits = rest.iter().position(|&b| b == b'\r').unwrap();
  let len: usize = std::str::from_utf8(&rest[..digits]).unwrap().parse().unwrap();
  let file = &rest[digits + 2..];
  assert_eq!(file.len(), len, "no CRLF after the file");
  let mut loaded = Client::new();
  loaded.engine.rdb_load(file).unwrap();
  assert_eq!(loaded.cmd(&["GET", "before"]), "$1\r\n1\r\n");
  assert!(String::from_utf8_lossy(file).contains("repl-id"));

  c.cmd(&["SET", "after", "2"]);
  // A socket read leaves the replicas' bytes for the host to flush once per turn.
  assert!(c.take_outbox().is_empty());
  assert!(c.engine.take_replica_flush_request());
  assert!(!c.engine.take_replica_flush_request(), "asked once per batch");
  c.raw(&encode(&[b"MULTI"]));
  c.cmd(&["INCR", "n"]);
  c.cmd(&["SELECT", "2"]);
  c.cmd(&["RPUSH", "l", "x"]);
  c.cmd(&["EXEC"]);
  c.cmd(&["SELECT", "0"]);
  c.cmd(&["GET", "after"]);
  assert_eq!(
    stream_of(&mut c, replica),
    "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n2\r\n*1\r\n$5\r\nMULTI\r\n\
     *2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\nx\r\n\
     *1\r\n$4\r\nEXEC\r\n"
  );
  let offset: i64 = info_field(&mut c, "replication", "master_repl_offset").parse().unwrap();
  assert_eq!(info_field(&mut c, "replication", "connected_slaves"), "1");
  assert_eq!(info_field(&mut c, "replication", "slave0"), "ip=127.0.0.1,port=7777,state=online,offset=0,lag=0");
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_histlen"), offset.to_string());
  assert_eq!(info_field(&mut c, "stats", "sync_full"), "1");
  assert!(c.cmd(&["CLIENT", "LIST"]).contains("flags=S "));
  let role = c.cmd(&["ROLE"]);
  assert_eq!(
    role,
    format!("*3\r\n$6\r\nmaster\r\n:{offset}\r\n*1\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n7777\r\n$1\r\n0\r\n")
  );
}

#[test]
fn psync_continues_from_the_backlog_when_it_can() {
  let mut c = Client::new();
  let first = c.other();
  full_sync(&mut c, first, &["SYNC"]);
  c.cmd(&["SET", "a", "1"]);
  let before: i64 = info_field(&mut c, "replication", "master_repl_offset").parse().unwrap();
  c.cmd(&["SET", "b", "2"]);
  let stream = stream_of(&mut c, first);
  let replid = info_field(&mut c, "replication", "master_replid");
  // A replica that processed everything up to `before` asks for the rest.
  let second = c.other();
  c.send_as(second, &["REPLCONF", "capa", "eof", "capa", "psync2"]);
  let from = (before + 1).to_string();
  let reply = c.send_as(second, &["PSYNC", &replid, &from]);
  let missing = "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
  assert!(stream.ends_with(missing));
  assert_eq!(reply, format!("+CONTINUE {replid}\r\n{missing}"));
  // As in Redis, a request is logged before it is served, partially here.
  let logged = &c.engine.telemetry.log_lines;
  let asks = logged.iter().rposition(|line| line.ends_with(" asks for synchronization")).expect("logged");
  assert!(logged[asks + 1].starts_with("Partial resynchronization request from "), "{logged:?}");
  // Without psync2 the reply carries no id; an unknown history or an offset the backlog no
  // longer (or not yet) holds means a full resync.
  let third = c.other();
  assert_eq!(c.send_as(third, &["PSYNC", &replid, &from]), format!("+CONTINUE\r\n{missing}"));
  for (id, offset) in
    [("0123456789012345678901234567890123456789", from.as_str()), (replid.as_str(), "0"), (replid.as_str(), "99999")]
  {
    let other = c.other();
    assert!(full_sync(&mut c, other, &["PSYNC", id, offset]).starts_with(b"+FULLRESYNC "));
  }
  assert_eq!(info_field(&mut c, "stats", "sync_partial_ok"), "2");
  assert_eq!(info_field(&mut c, "stats", "sync_partial_err"), "3");
  // CONFIG RESETSTAT starts these counts over, as Redis's does.
  assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), "+OK\r\n");
  for name in ["sync_full", "sync_partial_ok", "sync_partial_err"] {
    assert_eq!(info_field(&mut c, "stats", name), "0", "{name}");
  }
}

/// An offset that is not a number is refused with Redis's error and log lines, and the client
/// stays an ordinary one.
#[test]
fn psync_with_a_wrong_offset_is_refused() {
  let mut c = Client::new();
  let replica = c.other();
  let reply = c.send_as(replica, &["PSYNC", "replicationid", "offset_str"]);
  assert_eq!(reply, "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.send_as(replica, &["PING"]), "+PONG\r\n");
  let logged = &c.engine.telemetry.log_lines;
  let asks = "Replica 127.0.0.1:<unknown-replica-port> asks for synchronization";
  assert!(logged.iter().any(|line| line == asks), "{logged:?}");
  assert!(logged.iter().any(|line| line.ends_with(&format!("{asks} but with a wrong offset"))), "{logged:?}");
  assert_eq!(info_field(&mut c, "replication", "connected_slaves"), "0");
}

/// With `repl-diskless-sync` (the default), a replica that announced `capa eof` gets the file
/// between two copies of a 40-byte mark instead of with its length.
#[test]
fn diskless_sync_sends_the_file_between_eof_marks() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  let replica = c.other();
  c.send_as(replica, &["REPLCONF", "capa", "eof"]);
  let reply = full_sync(&mut c, replica, &["SYNC"]);
  assert!(reply.starts_with(b"$EOF:"));
  let mark = &reply[5..45];
  assert_eq!(&reply[45..47], b"\r\n");
  assert!(reply.ends_with(mark));
  let mut loaded = Client::new();
  loaded.engine.rdb_load(&reply[47..reply.len() - 40]).unwrap();
  assert_eq!(loaded.cmd(&["GET", "k"]), "$1\r\nv\r\n");
  // Without diskless sync, the length comes first.
  assert_eq!(c.cmd(&["CONFIG", "SET", "repl-diskless-sync", "no"]), "+OK\r\n");
  let other = c.other();
  c.send_as(other, &["REPLCONF", "capa", "eof"]);
  let reply = full_sync(&mut c, other, &["SYNC"]);
  assert!(reply.starts_with(b"$") && !reply.starts_with(b"$EOF:"));
}

#[test]
fn replconf_options_and_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["REPLCONF", "listening-port"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["REPLCONF", "nope", "1"]), "-ERR Unrecognized REPLCONF option: nope\r\n");
  assert_eq!(c.cmd(&["REPLCONF", "listening-port", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["REPLCONF", "rdb-only", "2"]), "-ERR value is out of range, value must between 0 and 1\r\n");
  assert_eq!(c.cmd(&["REPLCONF", "rdb-filter-only", "keys"]), "-ERR Unsupported rdb-filter-only option: keys\r\n");
  assert_eq!(c.cmd(&["REPLCONF", "capa", "eof", "ip-address", "10.0.0.1"]), "+OK\r\n");
  // Acknowledgements get no reply.
  assert_eq!(c.cmd(&["REPLCONF", "ACK", "10"]), "");
  c.raw(&encode(&[b"MULTI"]));
  assert_eq!(c.cmd(&["SYNC"]), "-ERR Command not allowed inside a transaction\r\n");
}

#[test]
fn expired_keys_go_as_del_and_wait_counts_acknowledgements() {
  let mut c = Client::new();
  let replica = c.other();
  full_sync(&mut c, replica, &["SYNC"]);
  c.cmd(&["SET", "gone", "v", "PX", "1"]);
  std::thread::sleep(std::time::Duration::from_millis(5));
  assert_eq!(c.cmd(&["GET", "gone"]), "$-1\r\n");
  let stream = stream_of(&mut c, replica);
  assert!(stream.ends_with("*2\r\n$3\r\nDEL\r\n$4\r\ngone\r\n"), "{stream}");
  let offset: i64 = info_field(&mut c, "replication", "master_repl_offset").parse().unwrap();
  // WAIT blocks until the replica acknowledges the client's last write, and asks for it.
  assert_eq!(c.cmd(&["WAIT", "1", "0"]), "");
  assert!(stream_of(&mut c, replica).ends_with("*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"));
  c.send_as(replica, &["REPLCONF", "ACK", &(offset - 1).to_string()]);
  assert!(c.take_outbox().iter().all(|(slot, _)| *slot != c.slot));
  c.send_as(replica, &["REPLCONF", "ACK", &offset.to_string()]);
  assert_eq!(c.take_outbox(), [(c.slot, ":1\r\n".to_string())]);
  assert_eq!(c.cmd(&["WAIT", "1", "0"]), ":1\r\n");
  assert_eq!(c.cmd(&["WAIT", "0", "0"]), ":1\r\n");
}

/// SCAN and RANDOMKEY delete the expired keys they meet as lazy expiry does: a DEL each in the
/// stream, not wrapped in a transaction.
#[test]
fn scan_and_randomkey_propagate_the_expired_keys_they_delete() {
  let mut c = Client::new();
  c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
  for command in ["SCAN", "RANDOMKEY"] {
    let replica = c.other();
    full_sync(&mut c, replica, &["SYNC"]);
    c.cmd(&["SET", "foo1", "bar", "PX", "1"]);
    c.cmd(&["SET", "foo2", "bar", "PX", "1"]);
    std::thread::sleep(std::time::Duration::from_millis(3));
    stream_of(&mut c, replica);
    let args: &[&str] = if command == "SCAN" { &["SCAN", "0"] } else { &["RANDOMKEY"] };
    c.cmd(args);
    let stream = stream_of(&mut c, replica);
    assert_eq!(stream.matches("$3\r\nDEL\r\n").count(), 2, "{command}: {stream}");
    assert!(!stream.contains("MULTI"), "{command}: {stream}");
    c.engine.close(replica);
  }
}

/// `min-replicas-to-write`: writes (and transactions and scripts that write) are refused
/// with NOREPLICAS until enough replicas acknowledged within `min-replicas-max-lag`.
#[test]
fn min_replicas_to_write_refuses_writes_without_good_replicas() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "min-replicas-to-write", "1"]), "+OK\r\n");
  let refused = "-NOREPLICAS Not enough good replicas to write.\r\n";
  assert_eq!(c.cmd(&["SET", "k", "v"]), refused);
  assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
  let script: [&[u8]; 3] = [b"EVAL", b"return redis.call('set','k','v')", b"0"];
  let reply = String::from_utf8_lossy(&c.raw(&encode(&script))).into_owned();
  assert!(reply.starts_with("-NOREPLICAS Not enough good replicas to write."), "{reply}");
  // A script that declares flags and may write is refused before it runs, even to read.
  let may_write: [&[u8]; 3] = [b"EVAL", b"#!lua\nreturn redis.call('get','k')", b"0"];
  assert_eq!(String::from_utf8_lossy(&c.raw(&encode(&may_write))), refused);
  let reads: [&[u8]; 3] = [b"EVAL", b"#!lua flags=no-writes\nreturn redis.call('get','k')", b"0"];
  assert_eq!(String::from_utf8_lossy(&c.raw(&encode(&reads))), "$-1\r\n");
  c.raw(&encode(&[b"MULTI"]));
  assert_eq!(c.cmd(&["SET", "k", "v"]), refused);
  assert_eq!(c.cmd(&["EXEC"]), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  // A replica that acknowledged just now makes writes possible again.
  let replica = c.other();
  full_sync(&mut c, replica, &["SYNC"]);
  c.send_as(replica, &["REPLCONF", "ACK", "0"]);
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "min-replicas-to-write", "2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), refused);
  assert_eq!(c.cmd(&["CONFIG", "SET", "min-replicas-max-lag", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
}

/// A PSYNC replica silent for longer than `repl-timeout` is disconnected; an old SYNC one,
/// which never acknowledges, is not.
#[test]
fn silent_replicas_time_out() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "repl-timeout", "1"]), "+OK\r\n");
  let modern = c.other();
  full_sync(&mut c, modern, &["PSYNC", "?", "-1"]);
  let old = c.other();
  full_sync(&mut c, old, &["SYNC"]);
  std::thread::sleep(std::time::Duration::from_millis(1100));
  c.engine.tick();
  assert_eq!(c.engine.clients.kills, [modern]);
  assert!(c.engine.telemetry.log_lines.iter().any(|line| line.contains("Disconnecting timedout replica")));
}

/// A replica that does not read its stream is held to the `replica` class of
/// `client-output-buffer-limit`, and disconnected beyond it.
#[test]
fn a_replica_that_falls_behind_is_dropped_at_its_buffer_limit() {
  let mut c = Client::new();
  let limits = "replica 4096 0 0";
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", limits]), "+OK\r\n");
  let replica = c.other();
  full_sync(&mut c, replica, &["PSYNC", "?", "-1"]);
  let value = "x".repeat(1000);
  for i in 0..3 {
    c.cmd(&["SET", &format!("k{i}"), &value]);
    c.engine.flush_replicas();
  }
  assert!(c.engine.clients.kills.is_empty(), "within the limit");
  for i in 3..6 {
    c.cmd(&["SET", &format!("k{i}"), &value]);
    c.engine.flush_replicas();
  }
  assert_eq!(c.engine.clients.kills, [replica]);
  assert!(c.engine.telemetry.log_lines.iter().any(|line| line.contains("overcoming of output buffer limits")));
}

/// The file of a full resynchronisation comes from the forkless snapshot: replicas wait for
/// it (`repl-diskless-sync-delay`, unless `repl-diskless-sync-max-replicas` are waiting), get
/// `+FULLRESYNC` when it starts, then the file as of that moment, then the writes made while
/// it was being made; the file is not held to the replica class's output limit.
#[test]
fn a_full_resync_waits_for_the_snapshot_and_gets_the_writes_made_meanwhile() {
  let mut c = Client::new();
  // About 5 MB: the longest slice (10 ms) serializes about 600 KB of it in a debug build, so
  // the snapshot is still being made after the tick that starts it, however late that runs.
  for i in 0..50000 {
    c.cmd(&["SET", &format!("key:{i}"), &"v".repeat(100)]);
  }
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "replica 1kb 0 0"]), "+OK\r\n");
  let (first, second) = (c.other(), c.other());
  assert_eq!(c.send_as(first, &["PSYNC", "?", "-1"]), "");
  c.engine.tick();
  // Waiting out the default 5-second delay: no reply, not online.
  assert_eq!(common::outbound_for(&mut c, first), b"");
  assert_eq!(info_field(&mut c, "replication", "slave0"), "ip=127.0.0.1,port=0,state=wait_bgsave,offset=0,lag=0");
  assert_eq!(c.cmd(&["ROLE"]), "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
  // A second replica makes `repl-diskless-sync-max-replicas 2`: one snapshot for both.
  c.cmd(&["CONFIG", "SET", "repl-diskless-sync-max-replicas", "2"]);
  assert_eq!(c.send_as(second, &["PSYNC", "?", "-1"]), "");
  c.engine.tick();
  assert!(c.engine.snapshot_in_progress());
  // Writes while the snapshot is made reach both after their file.
  c.cmd(&["SET", "during", "1"]);
  c.cmd(&["DEL", "key:0"]);
  while c.engine.snapshot_step() != redwing_engine::SnapshotState::Idle {}
  c.engine.flush_replicas();
  let (bytes, routes) = c.engine.take_outbound();
  let mut received: Vec<(u32, Vec<u8>)> = Vec::new();
  let mut at = 0;
  for route in routes.chunks(2) {
    received.push((route[0], bytes[at..at + route[1] as usize].to_vec()));
    at += route[1] as usize;
  }
  assert!(c.engine.clients.kills.is_empty(), "the file is outside the output limit");
  for slot in [first, second] {
    let got: Vec<u8> = received.iter().filter(|(s, _)| *s == slot).flat_map(|(_, b)| b.clone()).collect();
    let text = String::from_utf8_lossy(&got).into_owned();
    assert!(text.starts_with("+FULLRESYNC "), "{text}");
    let header_end = got.iter().position(|&b| b == b'$').unwrap();
    let digits_end = header_end + got[header_end..].iter().position(|&b| b == b'\r').unwrap();
    let len: usize = std::str::from_utf8(&got[header_end + 1..digits_end]).unwrap().parse().unwrap();
    let file = &got[digits_end + 2..digits_end + 2 + len];
    let mut loaded = Client::new();
    loaded.engine.rdb_load(file).unwrap();
    assert_eq!(loaded.cmd(&["DBSIZE"]), ":50000\r\n", "the file is the dataset when the snapshot started");
    let stream = String::from_utf8_lossy(&got[digits_end + 2 + len..]).into_owned();
    assert_eq!(
      stream,
      "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$6\r\nduring\r\n$1\r\n1\r\n\
       *2\r\n$3\r\nDEL\r\n$5\r\nkey:0\r\n"
    );
  }
  assert!(info_field(&mut c, "replication", "slave1").contains("state=online"));
}

/// CONFIG SET repl-backlog-size keeps the newest bytes that fit; a master alone for
/// `repl-backlog-ttl` seconds frees its backlog.
#[test]
fn the_backlog_resizes_and_expires() {
  let mut c = Client::new();
  let replica = c.other();
  full_sync(&mut c, replica, &["SYNC"]);
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "2"]);
  let offset: i64 = info_field(&mut c, "replication", "master_repl_offset").parse().unwrap();
  assert_eq!(c.cmd(&["CONFIG", "SET", "repl-backlog-size", "30"]), "+OK\r\n");
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_size"), "30");
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_histlen"), "30");
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_first_byte_offset"), (offset - 29).to_string());
  let replid = info_field(&mut c, "replication", "master_replid");
  let last = "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n";
  let from = (offset + 1 - last.len() as i64).to_string();
  let other = c.other();
  assert_eq!(c.send_as(other, &["PSYNC", &replid, &from]), format!("+CONTINUE\r\n{last}"));
  c.engine.close(other);
  c.engine.close(replica);
  c.cmd(&["CONFIG", "SET", "repl-backlog-ttl", "1"]);
  c.engine.tick();
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_active"), "1");
  std::thread::sleep(std::time::Duration::from_millis(1100));
  c.engine.tick();
  assert_eq!(info_field(&mut c, "replication", "repl_backlog_active"), "0");
}

/// `redis.set_repl` sends a script's writes to the AOF, the replicas, both or neither; a unit
/// of several writes is a MULTI/EXEC in both streams, whatever each holds of it (as Redis's
/// `propagatePendingCommands` wraps them).
#[test]
fn set_repl_chooses_where_script_writes_go() {
  let mut c = Client::new();
  let replica = c.other();
  full_sync(&mut c, replica, &["PSYNC", "?", "-1"]);
  stream_of(&mut c, replica);
  c.record_writes();
  let script = "redis.call('set','a','1') redis.set_repl(redis.REPL_NONE) redis.call('set','b','2') \
                redis.set_repl(redis.REPL_AOF) redis.call('set','c','3') redis.set_repl(redis.REPL_REPLICA) \
                redis.call('set','d','4') redis.set_repl(redis.REPL_ALL) redis.call('set','e','5')";
  let args: [&[u8]; 3] = [b"EVAL", script.as_bytes(), b"0"];
  c.raw(&encode(&args));
  assert_eq!(c.writes(), ["0: MULTI", "0: set a 1", "0: set c 3", "0: set e 5", "0: EXEC"]);
  let set = |key: &str, value: &str| format!("*3\r\n$3\r\nset\r\n$1\r\n{key}\r\n$1\r\n{value}\r\n");
  assert_eq!(
    stream_of(&mut c, replica),
    format!(
      "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n{}{}{}*1\r\n$4\r\nEXEC\r\n",
      set("a", "1"),
      set("d", "4"),
      set("e", "5")
    )
  );
}

/// A full resynchronisation's snapshot counts as an RDB save under way in INFO, as Redis's RDB
/// child does (the Tcl suite slows it with `rdb-key-save-delay` and waits for this).
#[test]
fn a_full_resync_snapshot_is_a_save_in_progress() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["CONFIG", "SET", "repl-diskless-sync-delay", "0"]);
  c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "1000000"]);
  let replica = c.other();
  c.engine.feed(replica, &encode(&[b"PSYNC", b"?", b"-1"]));
  c.engine.tick();
  for _ in 0..10 {
    c.engine.snapshot_step();
  }
  assert_eq!(info_field(&mut c, "persistence", "rdb_bgsave_in_progress"), "1");
  assert_eq!(info_field(&mut c, "persistence", "rdb_current_bgsave_time_sec"), "0");
  c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
  while c.engine.snapshot_step() != redwing_engine::SnapshotState::Idle {}
  assert_eq!(info_field(&mut c, "persistence", "rdb_bgsave_in_progress"), "0");
}

/// A master restarted from the file it saved continues its replication history, as Redis 7.0
/// does: the saved history is its second id, valid up to the saved offset, so a replica that
/// was there continues with PSYNC; the keys that expired before the restart are deleted
/// through the new backlog, which the replica gets first. A file with no history leaves no
/// backlog.
#[test]
fn a_restarted_master_continues_the_history_its_file_saved() {
  let mut c = Client::new();
  let replica = c.other();
  full_sync(&mut c, replica, &["PSYNC", "?", "-1"]);
  c.cmd(&["SET", "kept", "1"]);
  c.cmd(&["SET", "gone", "1", "PX", "1"]);
  c.cmd(&["SELECT", "3"]);
  c.cmd(&["SET", "gone3", "1", "PX", "1"]);
  std::thread::sleep(std::time::Duration::from_millis(5));
  let replid = info_field(&mut c, "replication", "master_replid");
  let offset: i64 = info_field(&mut c, "replication", "master_repl_offset").parse().unwrap();
  let file = c.engine.rdb_snapshot();

  let mut restarted = Client::new();
  restarted.engine.rdb_load(&file).unwrap();
  let deletions = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$3\r\nDEL\r\n$4\r\ngone\r\n\
                   *2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*2\r\n$3\r\nDEL\r\n$5\r\ngone3\r\n";
  let info = |c: &mut Client, name: &str| info_field(c, "replication", name);
  assert_ne!(info(&mut restarted, "master_replid"), replid);
  assert_eq!(info(&mut restarted, "master_replid2"), replid);
  assert_eq!(info(&mut restarted, "second_repl_offset"), (offset + 1).to_string());
  assert_eq!(info(&mut restarted, "master_repl_offset"), (offset + deletions.len() as i64).to_string());
  assert_eq!(info(&mut restarted, "repl_backlog_active"), "1");
  assert_eq!(info(&mut restarted, "repl_backlog_first_byte_offset"), (offset + 1).to_string());
  assert_eq!(info(&mut restarted, "repl_backlog_histlen"), deletions.len().to_string());
  assert_eq!(info_field(&mut restarted, "persistence", "rdb_last_load_keys_expired"), "2");

  let back = restarted.other();
  let newid = info(&mut restarted, "master_replid");
  let from = (offset + 1).to_string();
  assert_eq!(restarted.send_as(back, &["REPLCONF", "capa", "psync2"]), "+OK\r\n");
  assert_eq!(restarted.send_as(back, &["PSYNC", &replid, &from]), format!("+CONTINUE {newid}\r\n{deletions}"));
  assert_eq!(info_field(&mut restarted, "stats", "sync_partial_ok"), "1");

  // A master's file saved without replicas has no history to continue.
  let mut alone = Client::new();
  alone.cmd(&["SET", "k", "v"]);
  let file = alone.engine.rdb_snapshot();
  let mut restarted = Client::new();
  restarted.engine.rdb_load(&file).unwrap();
  assert_eq!(info(&mut restarted, "repl_backlog_active"), "0");
  assert_eq!(info(&mut restarted, "master_repl_offset"), "0");
}

/// A replica's link carries its acknowledgements only, as in Redis: a command that replies
/// (PING, a subcommand's help) has its reply dropped and the replica disconnected; keys are out
/// of its reach (the refusal is logged as an error sent to a replica). REPLCONF ACK, which
/// replies nothing, is fine.
#[test]
fn a_replica_whose_command_replies_is_disconnected() {
  let cases: [(&[&str], &str); 3] = [(&["PING"], "ping"), (&["XINFO", "HELP"], "xinfo|help"), (&["GET", "foo"], "get")];
  for (command, name) in cases {
    let mut c = Client::new();
    let replica = c.other();
    full_sync(&mut c, replica, &["SYNC"]);
    assert_eq!(c.send_as(replica, &["REPLCONF", "ACK", "0"]), "");
    assert_eq!(info_field(&mut c, "replication", "connected_slaves"), "1");
    c.engine.telemetry.log_lines.clear();
    assert_eq!(c.send_as(replica, command), "", "{command:?}");
    assert!(c.engine.clients.kills.contains(&replica), "{command:?}");
    assert_eq!(info_field(&mut c, "replication", "connected_slaves"), "0");
    let logged = c.engine.telemetry.log_lines.join("\n");
    let line = format!("Replica generated a reply to command '{name}', disconnecting it: id=");
    assert!(logged.contains(&line), "{logged}");
    if name == "get" {
      let critical = "== CRITICAL == This master is sending an error to its replica: 'ERR Replica can't interact \
                      with the keyspace' after processing the command 'get'";
      assert!(logged.contains(critical), "{logged}");
    }
  }
}
