//! Replication, replica side (`repl/link.rs`): two engines wired to each other byte for byte,
//! as the host's sockets would: the handshake, the full resynchronisation, the stream, the
//! acknowledgements, a partial resynchronisation after the link is cut, expired keys kept
//! until the master's DEL, READONLY, and promotion with REPLICAOF NO ONE.

mod common;
use common::{encode, info_field, outbound_for, Client};
use redwing_engine::Peer;

/// A master and its replica, with the sessions each holds for the other.
struct Pair {
  master: Client,
  replica: Client,
  /// The replica's session on the master.
  on_master: u32,
  /// The master's session on the replica.
  on_replica: u32,
  /// The most bytes the replica reads at once (the socket may split them anywhere).
  read_size: usize,
}

impl Pair {
  /// A replica of `master`, linked and synchronised.
  fn new(master: Client) -> Pair {
    Pair::reading(master, usize::MAX)
  }

  /// A replica of `master` that reads at most `read_size` bytes at once, linked and synchronised.
  fn reading(master: Client, read_size: usize) -> Pair {
    let mut replica = Client::new();
    // Loaded from memory: a test writes no files.
    replica.cmd(&["CONFIG", "SET", "repl-diskless-load", "swapdb"]);
    assert_eq!(replica.cmd(&["REPLICAOF", "127.0.0.1", "6379"]), "+OK\r\n");
    let mut pair = Pair { master, replica, on_master: 0, on_replica: 0, read_size };
    pair.master.cmd(&["CONFIG", "SET", "repl-diskless-sync-delay", "0"]);
    pair.connect();
    pair
  }

  /// Opens the link the replica asks for, and runs the exchange until it is quiet.
  fn connect(&mut self) {
    let (host, port) = self.replica.engine.take_link_request().expect("a link is wanted");
    assert_eq!((host.as_str(), port), ("127.0.0.1", 6379));
    self.on_master = self.master.other();
    self.on_replica = self.replica.other();
    let first = self.replica.engine.master_connected(self.on_replica).expect("the handshake starts");
    assert_eq!(first, encode(&[b"PING"]));
    self.pump(first);
  }

  /// Carries bytes both ways until neither side has any left; the master's periodic work
  /// (the snapshot of a full resynchronisation among it) runs between.
  fn pump(&mut self, mut to_master: Vec<u8>) {
    for _ in 0..100 {
      let mut to_replica = Vec::new();
      if !to_master.is_empty() {
        to_replica = self.master.engine.feed(self.on_master, &to_master).reply;
      }
      self.master.engine.tick();
      while self.master.engine.snapshot_step() != redwing_engine::SnapshotState::Idle {}
      to_replica.extend(outbound_for(&mut self.master, self.on_master));
      to_master.clear();
      for read in to_replica.chunks(self.read_size) {
        to_master.extend(self.replica.engine.feed(self.on_replica, read).reply);
      }
      to_master.extend(outbound_for(&mut self.replica, self.on_replica));
      if to_master.is_empty() && to_replica.is_empty() {
        return;
      }
    }
    panic!("the link never went quiet");
  }

  /// Cuts the link on both sides.
  fn cut(&mut self) {
    self.replica.engine.close(self.on_replica);
    self.master.engine.close(self.on_master);
  }
}

#[test]
fn a_replica_syncs_then_follows_the_stream() {
  let mut master = Client::new();
  master.cmd(&["SET", "a", "1"]);
  master.cmd(&["SELECT", "2"]);
  master.cmd(&["RPUSH", "l", "x", "y"]);
  master.cmd(&["SELECT", "0"]);
  let mut pair = Pair::new(master);
  let r = &mut pair.replica;
  assert_eq!(r.cmd(&["GET", "a"]), "$1\r\n1\r\n");
  assert_eq!(info_field(r, "replication", "role"), "slave");
  assert_eq!(info_field(r, "replication", "master_link_status"), "up");
  let replid = info_field(&mut pair.master, "replication", "master_replid");
  assert_eq!(info_field(&mut pair.replica, "replication", "master_replid"), replid);

  // The stream: writes in several databases and a transaction.
  pair.master.cmd(&["SET", "b", "2"]);
  pair.master.cmd(&["MULTI"]);
  pair.master.cmd(&["INCR", "n"]);
  pair.master.cmd(&["SELECT", "2"]);
  pair.master.cmd(&["LPOP", "l"]);
  pair.master.cmd(&["EXEC"]);
  pair.master.cmd(&["SELECT", "0"]);
  pair.pump(Vec::new());
  let r = &mut pair.replica;
  assert_eq!(r.cmd(&["MGET", "b", "n"]), "*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
  r.cmd(&["SELECT", "2"]);
  assert_eq!(r.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\ny\r\n");
  let offset = info_field(&mut pair.master, "replication", "master_repl_offset");
  assert_eq!(info_field(&mut pair.replica, "replication", "slave_repl_offset"), offset);
  assert_eq!(info_field(&mut pair.replica, "replication", "master_repl_offset"), offset);
  assert_eq!(
    pair.replica.cmd(&["ROLE"]),
    format!("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$9\r\nconnected\r\n:{offset}\r\n")
  );
  // Clients may not write; the master may.
  assert_eq!(pair.replica.cmd(&["SET", "c", "3"]), "-READONLY You can't write against a read only replica.\r\n");
  assert_eq!(pair.replica.cmd(&["GET", "c"]), "$-1\r\n");

  // GETACK: the acknowledgement of the offset before it is the only reply the master gets.
  let getack = encode(&[b"REPLCONF", b"GETACK", b"*"]);
  let reply = pair.replica.engine.feed(pair.on_replica, &getack).reply;
  assert_eq!(reply, encode(&[b"REPLCONF", b"ACK", offset.as_bytes()]));
  let ping = encode(&[b"PING"]);
  assert!(pair.replica.engine.feed(pair.on_replica, &ping).reply.is_empty());
  // Part of a command: read, not run yet.
  pair.replica.engine.feed(pair.on_replica, b"*1\r\n$4\r\nPI");
  let run: i64 = info_field(&mut pair.replica, "replication", "slave_repl_offset").parse().unwrap();
  let read = info_field(&mut pair.replica, "replication", "slave_read_repl_offset");
  assert_eq!(read, (run + 10).to_string());
}

#[test]
fn expired_keys_stay_until_the_masters_del() {
  let mut master = Client::new();
  master.cmd(&["SET", "k", "v", "PX", "30"]);
  master.cmd(&["SET", "n", "5", "PX", "30"]);
  let mut pair = Pair::new(master);
  std::thread::sleep(std::time::Duration::from_millis(40));
  // Expired for clients, but not deleted: DBSIZE still counts them.
  assert_eq!(pair.replica.cmd(&["GET", "k"]), "$-1\r\n");
  assert_eq!(pair.replica.cmd(&["DBSIZE"]), ":2\r\n");
  // The master's own command on a key it has not expired yet applies to the old value.
  for command in [&[b"INCR" as &[u8], b"n"], &[b"PERSIST", b"n"]] {
    pair.replica.engine.feed(pair.on_replica, &encode(command));
  }
  assert_eq!(pair.replica.cmd(&["GET", "n"]), "$1\r\n6\r\n");
  // The master deletes them (on access, or in its expiry cycle) and sends DELs.
  assert_eq!(pair.master.cmd(&["GET", "k"]), "$-1\r\n");
  pair.pump(Vec::new());
  assert_eq!(pair.replica.cmd(&["DBSIZE"]), ":0\r\n");
}

#[test]
fn a_cut_link_continues_with_a_partial_resync() {
  let mut master = Client::new();
  master.cmd(&["SET", "a", "1"]);
  let mut pair = Pair::new(master);
  pair.cut();
  assert_eq!(info_field(&mut pair.replica, "replication", "master_link_status"), "down");
  assert_eq!(info_field(&mut pair.replica, "replication", "master_link_down_since_seconds"), "0");
  assert!(pair.replica.cmd(&["ROLE"]).contains("$7\r\nconnect\r\n:-1\r\n"));
  pair.master.cmd(&["SET", "b", "2"]);
  pair.connect();
  assert_eq!(pair.replica.cmd(&["GET", "b"]), "$1\r\n2\r\n");
  assert_eq!(info_field(&mut pair.master, "stats", "sync_partial_ok"), "1");
  assert_eq!(info_field(&mut pair.master, "stats", "sync_full"), "1");
}

#[test]
fn replicaof_no_one_keeps_the_history_as_the_second_id() {
  let mut pair = Pair::new(Client::new());
  pair.master.cmd(&["SET", "a", "1"]);
  pair.pump(Vec::new());
  let replid = info_field(&mut pair.replica, "replication", "master_replid");
  let offset: i64 = info_field(&mut pair.replica, "replication", "master_repl_offset").parse().unwrap();
  assert_eq!(pair.replica.cmd(&["REPLICAOF", "NO", "ONE"]), "+OK\r\n");
  assert_eq!(std::mem::take(&mut pair.replica.engine.clients.kills), vec![pair.on_replica]);
  let r = &mut pair.replica;
  assert_eq!(info_field(r, "replication", "role"), "master");
  assert_eq!(info_field(r, "replication", "master_replid2"), replid);
  assert_eq!(info_field(r, "replication", "second_repl_offset"), (offset + 1).to_string());
  assert_ne!(info_field(r, "replication", "master_replid"), replid);
  assert_eq!(r.cmd(&["SET", "b", "2"]), "+OK\r\n");
  // A replica of the old master continues from here with PSYNC on the old id.
  let other = r.other();
  let psync = encode(&[b"PSYNC", replid.as_bytes(), (offset + 1).to_string().as_bytes()]);
  let reply = String::from_utf8_lossy(&r.engine.feed(other, &psync).reply).into_owned();
  assert!(reply.starts_with("+CONTINUE"), "{reply}");
}

#[test]
fn replicaof_errors_and_the_link_handshake_refusals() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["REPLICAOF", "127.0.0.1", "port"]), "-ERR Invalid master port\r\n");
  assert_eq!(c.cmd(&["REPLICAOF", "127.0.0.1", "70000"]), "-ERR Invalid master port\r\n");
  assert_eq!(c.cmd(&["REPLICAOF", "NO", "ONE"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SLAVEOF", "localhost", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["REPLICAOF", "localhost", "1"]), "+OK Already connected to specified master\r\n");
  assert_eq!(
    c.cmd(&["WAIT", "1", "0"]),
    "-ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is \
     configured to be writable (which is not the default) writes to replicas are just local and are not \
     propagated.\r\n"
  );
  // Not synchronised yet: its own replicas must wait.
  assert_eq!(c.cmd(&["PSYNC", "?", "-1"]), "-NOMASTERLINK Can't SYNC while not connected with my master\r\n");
  // A master that refuses AUTH: the link closes, and is asked for again.
  c.cmd(&["CONFIG", "SET", "masterauth", "wrong"]);
  c.engine.take_link_request().unwrap();
  let link = c.other();
  assert_eq!(c.engine.master_connected(link).unwrap(), encode(&[b"PING"]));
  let output = c.engine.feed(link, b"-NOAUTH Authentication required.\r\n");
  assert_eq!(output.reply, encode(&[b"AUTH", b"wrong"]));
  let output = c.engine.feed(link, b"-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  assert!(output.close);
  c.engine.close(link);
  assert!(c.engine.take_link_request().is_some());
}

#[test]
fn failover_checks_its_arguments_and_holds_writes_while_it_waits() {
  let mut lonely = Client::new();
  assert_eq!(lonely.cmd(&["FAILOVER"]), "-ERR FAILOVER requires connected replicas.\r\n");
  assert_eq!(lonely.cmd(&["FAILOVER", "ABORT"]), "-ERR No failover in progress.\r\n");
  assert_eq!(lonely.cmd(&["FAILOVER", "TIMEOUT", "0"]), "-ERR FAILOVER timeout must be greater than 0\r\n");
  assert_eq!(lonely.cmd(&["FAILOVER", "FORCE", "FORCE"]), "-ERR syntax error\r\n");

  let mut pair = Pair::new(Client::new());
  let m = &mut pair.master;
  assert_eq!(
    m.cmd(&["FAILOVER", "FORCE"]),
    "-ERR FAILOVER with force option requires both a timeout and target HOST and IP.\r\n"
  );
  assert_eq!(m.cmd(&["FAILOVER", "TO", "127.0.0.1", "1"]), "-ERR FAILOVER target HOST and PORT is not a replica.\r\n");
  assert_eq!(m.cmd(&["FAILOVER", "TIMEOUT", "60000"]), "+OK\r\n");
  assert_eq!(info_field(m, "replication", "master_failover_state"), "waiting-for-sync");
  assert_eq!(m.cmd(&["FAILOVER"]), "-ERR FAILOVER already in progress.\r\n");
  assert_eq!(m.cmd(&["REPLICAOF", "NO", "ONE"]), "-ERR REPLICAOF not allowed while failing over.\r\n");
  // Writes wait (the session is parked); reads do not.
  let writer = m.other();
  assert_eq!(m.send_as(writer, &["SET", "held", "1"]), "");
  assert_eq!(m.cmd(&["GET", "held"]), "$-1\r\n");
  assert_eq!(m.cmd(&["FAILOVER", "ABORT"]), "+OK\r\n");
  assert_eq!(info_field(m, "replication", "master_failover_state"), "no-failover");
  m.engine.tick();
  assert_eq!(m.cmd(&["GET", "held"]), "$1\r\n1\r\n");
  assert_eq!(pair.replica.cmd(&["FAILOVER"]), "-ERR FAILOVER is not valid when server is a replica.\r\n");
  // A replica takes over only for its own master's history.
  let other = pair.replica.other();
  let psync = encode(&[b"PSYNC", b"0123456789012345678901234567890123456789", b"1", b"FAILOVER"]);
  let reply = pair.replica.engine.feed(other, &psync).reply;
  assert_eq!(reply, b"-ERR PSYNC FAILOVER replid must match my replid.\r\n");
}

#[test]
fn a_partial_resync_continues_in_the_database_the_stream_had_selected() {
  let mut pair = Pair::new(Client::new());
  pair.master.cmd(&["SELECT", "2"]);
  pair.master.cmd(&["SET", "a", "1"]);
  pair.pump(Vec::new());
  pair.cut();
  // The stream does not select again: it is still in database 2.
  pair.master.cmd(&["SET", "b", "2"]);
  pair.connect();
  pair.replica.cmd(&["SELECT", "2"]);
  assert_eq!(pair.replica.cmd(&["MGET", "a", "b"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(info_field(&mut pair.master, "stats", "sync_partial_ok"), "1");
}

#[test]
fn a_replica_restarted_from_its_rdb_file_continues_with_psync() {
  let mut pair = Pair::new(Client::new());
  pair.master.cmd(&["SELECT", "1"]);
  pair.master.cmd(&["SET", "a", "1"]);
  pair.pump(Vec::new());
  let file = pair.replica.engine.rdb_snapshot();
  let replid = info_field(&mut pair.replica, "replication", "master_replid");
  let offset = info_field(&mut pair.replica, "replication", "master_repl_offset");
  // The replica "restarts": a new engine configured as a replica loads the file.
  pair.cut();
  let mut restarted = Client::new();
  restarted.cmd(&["CONFIG", "SET", "repl-diskless-load", "swapdb"]);
  let load = |c: &mut Client, args: &[&str]| {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    redwing_engine::cmd::server::config::load_directive(&mut c.engine, &args)
  };
  load(&mut restarted, &["replicaof", "127.0.0.1", "6379"]).unwrap();
  let loaded = restarted.engine.rdb_load(&file).unwrap();
  assert_eq!(loaded.replication, Some((replid.clone(), offset.parse().unwrap(), 1)));
  assert_eq!(info_field(&mut restarted, "replication", "master_replid"), replid);
  pair.master.cmd(&["SET", "b", "2"]);
  pair.replica = restarted;
  pair.connect();
  pair.replica.cmd(&["SELECT", "1"]);
  assert_eq!(pair.replica.cmd(&["MGET", "a", "b"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  assert_eq!(info_field(&mut pair.master, "stats", "sync_partial_ok"), "1");
  // A master's own saved file records nothing without a backlog.
  let lonely = Client::new();
  let file = lonely.engine.rdb_snapshot();
  assert_eq!(Client::new().engine.rdb_load(&file).unwrap().replication, None);
}

#[test]
fn a_silent_master_is_dropped_after_repl_timeout_and_asked_for_again() {
  let mut pair = Pair::new(Client::new());
  pair.replica.cmd(&["CONFIG", "SET", "repl-timeout", "2"]);
  let pause = || std::thread::sleep(std::time::Duration::from_millis(1050));
  // The replica acknowledges its offset every second meanwhile.
  pause();
  pair.replica.engine.tick();
  assert!(!pair.replica.engine.clients.kills.contains(&pair.on_replica));
  let ack = outbound_for(&mut pair.replica, pair.on_replica);
  assert!(String::from_utf8_lossy(&ack).starts_with("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n"));
  pause();
  pair.replica.engine.tick();
  assert!(pair.replica.engine.clients.kills.contains(&pair.on_replica));
  pair.cut();
  assert!(pair.replica.engine.take_link_request().is_some());
}

#[test]
fn the_master_link_is_a_client_of_type_master() {
  let mut pair = Pair::new(Client::new());
  let list = pair.replica.cmd(&["CLIENT", "LIST", "TYPE", "master"]);
  assert!(list.contains("flags=M "), "{list}");
  assert!(!pair.replica.cmd(&["CLIENT", "LIST", "TYPE", "normal"]).contains("flags=M "));
  // CLIENT KILL TYPE normal (which Sentinel sends) leaves the link alone; TYPE master cuts it.
  pair.replica.cmd(&["CLIENT", "KILL", "TYPE", "normal"]);
  assert!(!pair.replica.engine.clients.kills.contains(&pair.on_replica));
  assert_eq!(pair.replica.cmd(&["CLIENT", "KILL", "TYPE", "master"]), ":1\r\n");
  assert!(pair.replica.engine.clients.kills.contains(&pair.on_replica));
}

/// CLIENT PAUSE WRITE on a replica holds its master's writes too, as Redis does: they are
/// read (`slave_read_repl_offset` grows) but not applied (`slave_repl_offset` stays) until the
/// pause ends, while the stream's other commands (SELECT) run; the held link counts once among
/// the blocked clients however much more arrives. CLIENT PAUSE ALL holds every command of it.
#[test]
fn a_paused_replica_reads_its_masters_writes_and_applies_them_after_the_pause() {
  let mut pair = Pair::new(Client::new());
  pair.master.cmd(&["SET", "foo", "bar"]);
  pair.pump(Vec::new());
  let applied: i64 = info_field(&mut pair.master, "replication", "master_repl_offset").parse().unwrap();
  assert_eq!(pair.replica.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
  pair.master.cmd(&["SELECT", "1"]);
  pair.master.cmd(&["SET", "foo2", "bar2"]);
  pair.master.cmd(&["SET", "foo3", "bar3"]);
  pair.pump(Vec::new());
  pair.master.cmd(&["SET", "foo4", "bar4"]);
  pair.pump(Vec::new());
  let sent = info_field(&mut pair.master, "replication", "master_repl_offset");
  let r = &mut pair.replica;
  assert_eq!(info_field(r, "replication", "slave_read_repl_offset"), sent);
  let select = encode(&[b"SELECT", b"1"]).len() as i64;
  assert_eq!(info_field(r, "replication", "slave_repl_offset"), (applied + select).to_string());
  r.cmd(&["SELECT", "1"]);
  assert_eq!(r.cmd(&["GET", "foo2"]), "$-1\r\n");
  assert_eq!(info_field(r, "clients", "blocked_clients"), "1");
  assert!(r.cmd(&["CLIENT", "LIST", "TYPE", "master"]).contains("flags=Mb "));

  assert_eq!(r.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert_eq!(info_field(r, "replication", "slave_repl_offset"), sent);
  assert_eq!(r.cmd(&["MGET", "foo2", "foo3", "foo4"]), "*3\r\n$4\r\nbar2\r\n$4\r\nbar3\r\n$4\r\nbar4\r\n");
  assert_eq!(info_field(r, "clients", "blocked_clients"), "0");

  // The replica's own clients wait under ALL: an in-process session (never held) looks.
  let in_process = r.engine.open(Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::Embedded,
    unix: false,
  });
  r.cmd(&["CLIENT", "PAUSE", "100000", "ALL"]);
  pair.master.cmd(&["SELECT", "0"]);
  pair.master.cmd(&["SET", "foo5", "bar5"]);
  pair.pump(Vec::new());
  let info = pair.replica.engine.call(in_process, &[b"INFO", b"replication"]).reply;
  assert!(String::from_utf8_lossy(&info).contains(&format!("\r\nslave_repl_offset:{sent}\r\n")));
  pair.replica.engine.call(in_process, &[b"CLIENT", b"UNPAUSE"]);
  let now = info_field(&mut pair.master, "replication", "master_repl_offset");
  assert_eq!(info_field(&mut pair.replica, "replication", "slave_repl_offset"), now);
  pair.replica.cmd(&["SELECT", "0"]);
  assert_eq!(pair.replica.cmd(&["GET", "foo5"]), "$4\r\nbar5\r\n");
}

/// A command of the master's stream that fails on the replica (the datasets diverged: DEBUG
/// REPLICATE sent something only to the replicas, or the replica is writable) is logged as
/// critical and counted, as Redis does; the replica goes on.
#[test]
fn errors_replying_to_the_master_are_logged_as_critical() {
  let mut master = Client::new();
  master.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  master.cmd(&["SET", "foo", "bar"]);
  let mut pair = Pair::new(master);
  pair.replica.engine.telemetry.log_lines.clear();
  // Straight to the replica, and not run by the master itself.
  assert_eq!(pair.master.cmd(&["DEBUG", "REPLICATE", "fake-command-1"]), "+OK\r\n");
  assert_eq!(pair.master.cmd(&["DEBUG", "REPLICATE", "SET", "only-there", "1"]), "+OK\r\n");
  assert_eq!(pair.master.cmd(&["EXISTS", "only-there"]), ":0\r\n");
  pair.master.cmd(&["SET", "foo", "bar2"]);
  pair.pump(Vec::new());
  assert_eq!(pair.replica.cmd(&["MGET", "foo", "only-there"]), "*2\r\n$4\r\nbar2\r\n$1\r\n1\r\n");
  // A writable replica's own write makes the master's next command on the key fail there.
  pair.replica.cmd(&["CONFIG", "SET", "replica-read-only", "no"]);
  assert_eq!(pair.replica.cmd(&["SET", "number", "foo"]), "+OK\r\n");
  pair.master.cmd(&["INCRBY", "number", "1"]);
  pair.pump(Vec::new());
  assert_eq!(pair.replica.cmd(&["GET", "number"]), "$3\r\nfoo\r\n");
  let critical: Vec<String> =
    pair.replica.engine.telemetry.log_lines.iter().filter(|line| line.contains("== CRITICAL ==")).cloned().collect();
  assert_eq!(
    critical,
    [
      "# == CRITICAL == This replica is sending an error to its master: 'ERR unknown command 'fake-command-1', with \
       args beginning with: ' after processing the command '<unknown>'",
      "# == CRITICAL == This replica is sending an error to its master: 'ERR value is not an integer or out of \
       range' after processing the command 'incrby'",
    ]
  );
  assert_eq!(info_field(&mut pair.replica, "stats", "unexpected_error_replies"), "2");
  assert_eq!(info_field(&mut pair.master, "stats", "unexpected_error_replies"), "0");
}

/// A writable replica expires the keys its own clients gave a time to live (the master never
/// sends a DEL for them), and only those: the master's keys wait for the master's DEL.
#[test]
fn a_writable_replica_expires_the_keys_its_clients_wrote() {
  let mut master = Client::new();
  // The master sends no DEL: it does not expire keys nobody reads.
  master.engine.keyspace.active_expire_enabled = false;
  master.cmd(&["SET", "from-master", "v", "PX", "1"]);
  let mut pair = Pair::new(master);
  let r = &mut pair.replica;
  assert_eq!(r.cmd(&["CONFIG", "SET", "replica-read-only", "no"]), "+OK\r\n");
  assert_eq!(r.cmd(&["SET", "foo", "bar", "PX", "1"]), "+OK\r\n");
  assert_eq!(r.cmd(&["SET", "kept", "v", "EX", "100"]), "+OK\r\n");
  assert_eq!(r.cmd(&["SET", "persisted", "v", "EX", "100"]), "+OK\r\n");
  assert_eq!(r.cmd(&["PERSIST", "persisted"]), ":1\r\n");
  assert_eq!(info_field(r, "stats", "slave_expires_tracked_keys"), "3");
  std::thread::sleep(std::time::Duration::from_millis(5));
  // With active expiry off they are kept, still tracked.
  r.engine.keyspace.active_expire_enabled = false;
  r.engine.tick();
  assert_eq!(info_field(r, "stats", "slave_expires_tracked_keys"), "3");
  assert_eq!(info_field(r, "stats", "expired_keys"), "0");
  r.engine.keyspace.active_expire_enabled = true;
  r.engine.tick();
  assert_eq!(info_field(r, "stats", "expired_keys"), "1");
  assert_eq!(info_field(r, "stats", "slave_expires_tracked_keys"), "1");
  assert_eq!(r.cmd(&["EXISTS", "foo"]), ":0\r\n");
  assert_eq!(r.cmd(&["DBSIZE"]), ":3\r\n", "the master's expired key waits for its DEL");
  assert_eq!(r.cmd(&["REPLICAOF", "NO", "ONE"]), "+OK\r\n");
  r.engine.tick();
  assert_eq!(info_field(r, "stats", "slave_expires_tracked_keys"), "0");
}

/// SHUTDOWN's arguments, and a shutdown with nothing to wait for: handed over to the host at
/// once, which finishes it.
#[test]
fn shutdown_checks_its_arguments_and_finishes_at_once_without_replicas() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SHUTDOWN", "ABORT"]), "-ERR No shutdown in progress.\r\n");
  assert_eq!(c.cmd(&["SHUTDOWN", "ABORT", "NOW"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SHUTDOWN", "SAVE", "NOSAVE"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["SHUTDOWN", "LATER"]), "-ERR syntax error\r\n");
  let handed = c.engine.feed(c.slot, &encode(&[b"SHUTDOWN", b"NOSAVE"]));
  assert_eq!(handed.pending.map(|p| p.name), Some("shutdown"));
  assert!(c.engine.finish_shutdown());
  let log = std::mem::take(&mut c.engine.telemetry.log_lines);
  assert_eq!(log, ["# User requested shutdown..."]);
}

/// A master with a replica behind waits for it (writes held, SHUTDOWN's client blocked, INFO
/// shutdown_in_milliseconds), and finishes once the replica acknowledged everything; SHUTDOWN
/// ABORT cancels the wait, and the waiting clients get Redis's error.
#[test]
fn shutdown_waits_for_lagging_replicas() {
  let mut pair = Pair::new(Client::new());
  let (waiter, writer) = (pair.master.other(), pair.master.other());
  pair.master.cmd(&["SET", "k", "1"]);
  // Not pumped: the replica has not acknowledged the SET.
  assert!(pair.master.send_as(waiter, &["SHUTDOWN"]).is_empty());
  assert!(info_field(&mut pair.master, "server", "shutdown_in_milliseconds").parse::<i64>().unwrap() > 9000);
  assert_eq!(info_field(&mut pair.master, "clients", "blocked_clients"), "1");
  // The master's own test session, the waiter and the writer; the replica is not counted.
  assert_eq!(info_field(&mut pair.master, "clients", "connected_clients"), "3");
  assert!(pair.master.send_as(writer, &["SET", "held", "1"]).is_empty(), "writes are held");
  assert_eq!(pair.master.cmd(&["SHUTDOWN", "ABORT"]), "+OK\r\n");
  let outbox = pair.master.take_outbox();
  assert!(outbox.contains(&(waiter, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n".to_string())), "{outbox:?}");
  assert!(outbox.contains(&(writer, "+OK\r\n".to_string())), "{outbox:?}");
  assert!(!pair.master.cmd(&["INFO", "server"]).contains("shutdown_in_milliseconds"));
  let log = std::mem::take(&mut pair.master.engine.telemetry.log_lines);
  assert!(log.ends_with(&[
    "# User requested shutdown...".to_string(),
    "Waiting for replicas before shutting down.".to_string(),
    "Shutdown manually aborted.".to_string(),
  ]));

  // Again; this time the replica catches up.
  assert!(pair.master.send_as(waiter, &["SHUTDOWN", "NOSAVE"]).is_empty());
  pair.master.engine.tick();
  assert!(!pair.master.engine.take_shutdown_ready());
  // The replica answers the GETACK with the offset before it (as Redis's does), then its
  // periodic acknowledgement reports the whole stream.
  pair.pump(Vec::new());
  pair.master.engine.tick();
  assert!(!pair.master.engine.take_shutdown_ready());
  let offset = info_field(&mut pair.replica, "replication", "slave_repl_offset");
  pair.master.engine.feed(pair.on_master, &encode(&[b"REPLCONF", b"ACK", offset.as_bytes()]));
  pair.master.engine.tick();
  assert!(pair.master.engine.take_shutdown_ready());
  assert!(pair.master.engine.finish_shutdown());
  let log = std::mem::take(&mut pair.master.engine.telemetry.log_lines);
  assert!(log.contains(&"1 of 1 replicas are in sync when shutting down.".to_string()), "{log:?}");
}

/// When the time is up the shutdown finishes anyway, logging the replicas still behind; a
/// finish that cannot save (without FORCE) cancels the shutdown instead.
#[test]
fn shutdown_stops_waiting_after_the_timeout_and_fails_when_it_cannot_save() {
  let mut pair = Pair::new(Client::new());
  let waiter = pair.master.other();
  pair.master.cmd(&["CONFIG", "SET", "shutdown-timeout", "1"]);
  pair.master.cmd(&["SET", "k", "1"]);
  assert!(pair.master.send_as(waiter, &["SHUTDOWN", "SAVE"]).is_empty());
  std::thread::sleep(std::time::Duration::from_millis(1010));
  pair.master.engine.tick();
  assert!(pair.master.engine.take_shutdown_ready());
  // The file cannot be written: a directory has its name.
  let dir = std::env::temp_dir().join(format!("redwing-shutdown-{}", std::process::id()));
  let _ = std::fs::remove_dir_all(&dir);
  std::fs::create_dir_all(dir.join("dump.rdb")).unwrap();
  let dir_text = dir.to_string_lossy().into_owned();
  redwing_engine::cmd::server::config::load_directive(&mut pair.master.engine, &[b"dir", dir_text.as_bytes()]).unwrap();
  pair.master.engine.telemetry.log_lines.clear();
  assert!(!pair.master.engine.finish_shutdown());
  let log = std::mem::take(&mut pair.master.engine.telemetry.log_lines);
  assert!(log[0].starts_with("# Lagging replica 127.0.0.1:"), "{log:?}");
  assert!(log[0].contains(" behind master, lag=") && log[0].ends_with(", state=online."), "{log:?}");
  assert_eq!(log[1], "0 of 1 replicas are in sync when shutting down.");
  assert_eq!(log[log.len() - 2], "# Error trying to save the DB, can't exit.");
  assert_eq!(log[log.len() - 1], "# Errors trying to shut down the server. Check the logs for more information.");
  let outbox = pair.master.take_outbox();
  assert!(outbox.contains(&(waiter, "-ERR Errors trying to SHUTDOWN. Check logs.\r\n".to_string())), "{outbox:?}");
  assert_eq!(pair.master.cmd(&["SET", "after", "1"]), "+OK\r\n", "writes go on");
  let _ = std::fs::remove_dir_all(&dir);
}

/// A signal only asks for a shutdown: the periodic work begins it (DEBUG PAUSE-CRON holds it,
/// SHUTDOWN ABORT still cancels it), then tells the host to finish.
#[test]
fn a_signal_asks_for_a_shutdown_that_the_periodic_work_begins() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  assert_eq!(c.cmd(&["DEBUG", "PAUSE-CRON", "1"]), "+OK\r\n");
  c.engine.request_shutdown(false);
  c.engine.tick();
  assert!(!c.engine.take_shutdown_ready());
  assert_eq!(c.cmd(&["SHUTDOWN", "ABORT"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DEBUG", "PAUSE-CRON", "0"]), "+OK\r\n");
  c.engine.tick();
  assert!(!c.engine.take_shutdown_ready(), "aborted");
  assert_eq!(c.engine.telemetry.log_lines, ["Shutdown manually aborted."]);
  c.engine.telemetry.log_lines.clear();
  c.engine.request_shutdown(true);
  c.engine.tick();
  assert!(c.engine.take_shutdown_ready());
  assert!(c.engine.finish_shutdown());
  assert_eq!(c.engine.telemetry.log_lines, ["# User requested shutdown..."]);

  // `shutdown-on-sigterm` gives a signal's flags: NOSAVE skips the final save of the save rules.
  assert_eq!(c.cmd(&["CONFIG", "SET", "save", "3600 1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "shutdown-on-sigterm", "nosave now"]), "+OK\r\n");
  c.engine.telemetry.log_lines.clear();
  c.engine.request_shutdown(false);
  c.engine.tick();
  assert!(c.engine.take_shutdown_ready());
  assert!(c.engine.finish_shutdown());
  assert_eq!(c.engine.telemetry.log_lines, ["# User requested shutdown..."], "no save");
}

/// When its master continues under a new id (here, restarted from its file), a replica drops
/// its own replicas at once, as Redis's `disconnectSlaves` does: they must learn the new
/// history, and nothing of it reaches them under the old id (which would leave them ahead of
/// what that id covers).
#[test]
fn a_new_master_id_disconnects_the_replicas_of_the_replica_at_once() {
  let mut pair = Pair::new(Client::new());
  let sub = pair.replica.other();
  common::full_sync(&mut pair.replica, sub, &["PSYNC", "?", "-1"]);
  assert_eq!(info_field(&mut pair.replica, "replication", "connected_slaves"), "1");
  pair.master.cmd(&["SET", "gone", "1", "PX", "1"]);
  pair.pump(Vec::new());
  std::thread::sleep(std::time::Duration::from_millis(5));
  let file = pair.master.engine.rdb_snapshot();
  pair.cut();
  let mut restarted = Client::new();
  restarted.engine.rdb_load(&file).unwrap();
  pair.master = restarted;
  pair.replica.engine.clients.kills.clear();
  pair.connect();
  assert_eq!(pair.replica.cmd(&["EXISTS", "gone"]), ":0\r\n", "the DEL arrived");
  assert_eq!(info_field(&mut pair.replica, "replication", "connected_slaves"), "0");
  assert!(pair.replica.engine.clients.kills.contains(&sub));
}

/// A full resynchronisation with another master that fails before its file is loaded leaves
/// the replica's history as it was: back with the first master, it continues with PSYNC (the
/// Tcl suite's "Discard cache master before loading transferred RDB when full sync").
#[test]
fn a_failed_full_resync_keeps_the_history_for_psync() {
  let mut pair = Pair::new(Client::new());
  pair.master.cmd(&["SET", "a", "b"]);
  pair.pump(Vec::new());
  let r = &mut pair.replica;
  assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", "6380"]), "+OK\r\n");
  pair.master.engine.close(pair.on_master);
  let (_, port) = r.engine.take_link_request().expect("a link is wanted");
  assert_eq!(port, 6380);
  // The other master answers the handshake, starts a full resynchronisation, and dies.
  let link = r.other();
  let mut sent = r.engine.master_connected(link).expect("the handshake starts");
  for _ in 0..10 {
    let text = String::from_utf8_lossy(&sent).into_owned();
    let answer: &[u8] = if text.contains("PING") {
      b"+PONG\r\n"
    } else if text.contains("PSYNC") {
      b"+FULLRESYNC 0123456789012345678901234567890123456789 500\r\n$EOF:"
    } else {
      b"+OK\r\n"
    };
    sent = r.engine.feed(link, answer).reply;
    if text.contains("PSYNC") {
      break;
    }
  }
  r.engine.close(link);
  assert_eq!(r.cmd(&["REPLICAOF", "127.0.0.1", "6379"]), "+OK\r\n");
  pair.connect();
  assert_eq!(info_field(&mut pair.master, "stats", "sync_partial_ok"), "1");
  assert_eq!(info_field(&mut pair.master, "stats", "sync_full"), "1");
  assert_eq!(pair.replica.cmd(&["GET", "a"]), "$1\r\nb\r\n");
}

/// The master's bytes split anywhere (here, read one at a time: the handshake's replies, the
/// file's header line, the file, the stream) make the same replica.
#[test]
fn a_master_read_a_byte_at_a_time_makes_the_same_replica() {
  let mut master = Client::new();
  master.cmd(&["SET", "a", "1"]);
  master.cmd(&["RPUSH", "l", "x", "y"]);
  let mut pair = Pair::reading(master, 1);
  pair.master.cmd(&["SET", "b", "2"]);
  pair.pump(Vec::new());
  for c in [&mut pair.master, &mut pair.replica] {
    c.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  }
  let digest = pair.master.cmd(&["DEBUG", "DIGEST"]);
  assert!(digest.starts_with('+') && digest.len() == 43, "{digest}");
  assert_eq!(pair.replica.cmd(&["DEBUG", "DIGEST"]), digest);
  assert_eq!(pair.replica.cmd(&["GET", "b"]), "$1\r\n2\r\n");
}
