//! Connection commands through `Engine::feed`: HELLO/AUTH with and without a password, SELECT,
//! RESET, CLIENT (including Redis 7.2's SETINFO and NO-TOUCH, which the 7.0 oracle of the
//! differential tests lacks), MONITOR, and CLIENT PAUSE parking.

mod common;
use common::{encode, Client};
use redwing_engine::cmd::server::config::load_directive;
use redwing_engine::{Engine, Peer};

fn peer(port: u16) -> Peer {
  Peer {
    addr: format!("127.0.0.1:{port}"),
    laddr: "127.0.0.1:6379".into(),
    fd: port as i64,
    origin: redwing_engine::Origin::Network,
    unix: false,
  }
}

fn send(engine: &mut Engine, slot: u32, args: &[&str]) -> String {
  let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
  String::from_utf8_lossy(&engine.feed(slot, &encode(&args)).reply).into_owned()
}

#[test]
fn ping_echo_and_arity() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["PING"]), "+PONG\r\n");
  assert_eq!(c.cmd(&["PING", "hi"]), "$2\r\nhi\r\n");
  assert_eq!(c.cmd(&["PING", "a", "b"]), "-ERR wrong number of arguments for 'ping' command\r\n");
  assert_eq!(c.cmd(&["ECHO", "x y"]), "$3\r\nx y\r\n");
}

#[test]
fn hello_switches_protocol_and_names_the_connection() {
  let mut c = Client::new();
  let hello = c.cmd(&["HELLO", "3", "SETNAME", "app"]);
  assert!(
    hello.starts_with("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n")
  );
  assert!(hello.ends_with("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"));
  assert_eq!(c.cmd(&["GET", "missing"]), "_\r\n");
  assert_eq!(c.cmd(&["CLIENT", "GETNAME"]), "$3\r\napp\r\n");
  assert!(c.cmd(&["HELLO"]).starts_with("%7\r\n"));
  assert!(c.cmd(&["HELLO", "2"]).starts_with("*14\r\n"));
  assert_eq!(c.cmd(&["HELLO", "4"]), "-NOPROTO unsupported protocol version\r\n");
  assert_eq!(c.cmd(&["HELLO", "x"]), "-ERR Protocol version is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["HELLO", "2", "AUTH", "a"]), "-ERR Syntax error in HELLO option 'AUTH'\r\n");
  assert_eq!(
    c.cmd(&["HELLO", "2", "SETNAME", "a b"]),
    "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
  );
}

#[test]
fn auth_without_a_password() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["AUTH", "x"]),
    "-ERR AUTH <password> called without any password configured for the default user. Are you sure your \
     configuration is correct?\r\n"
  );
  assert_eq!(c.cmd(&["AUTH", "default", "anything"]), "+OK\r\n");
  assert_eq!(c.cmd(&["AUTH", "bob", "x"]), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  assert_eq!(c.cmd(&["AUTH", "a", "b", "c"]), "-ERR syntax error\r\n");
}

#[test]
fn requirepass_gates_commands_until_auth() {
  let mut engine = Engine::default();
  load_directive(&mut engine, &[b"requirepass", b"secret"]).unwrap();
  let slot = engine.open(peer(1000));
  assert_eq!(send(&mut engine, slot, &["GET", "k"]), "-NOAUTH Authentication required.\r\n");
  assert_eq!(send(&mut engine, slot, &["PING"]), "-NOAUTH Authentication required.\r\n");
  assert!(send(&mut engine, slot, &["HELLO", "3"]).starts_with("-NOAUTH HELLO must be called with the client already"));
  assert_eq!(
    send(&mut engine, slot, &["AUTH", "wrong"]),
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
  );
  assert_eq!(send(&mut engine, slot, &["AUTH", "secret"]), "+OK\r\n");
  assert_eq!(send(&mut engine, slot, &["GET", "k"]), "$-1\r\n");
  // HELLO can authenticate and switch protocol in one go; RESET forgets authentication.
  let other = engine.open(peer(1001));
  assert!(send(&mut engine, other, &["HELLO", "3", "AUTH", "default", "secret"]).starts_with("%7\r\n"));
  assert_eq!(send(&mut engine, other, &["RESET"]), "+RESET\r\n");
  assert_eq!(send(&mut engine, other, &["GET", "k"]), "-NOAUTH Authentication required.\r\n");
  // An unauthenticated client may not send large requests.
  let out = engine.feed(other, b"*11\r\n");
  assert_eq!(out.reply, b"-ERR Protocol error: unauthenticated multibulk length\r\n");
  assert!(out.close);
}

#[test]
fn select_and_reset() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SELECT", "3"]), "+OK\r\n");
  c.cmd(&["SET", "k", "in3"]);
  assert_eq!(c.cmd(&["SELECT", "16"]), "-ERR DB index is out of range\r\n");
  assert_eq!(c.cmd(&["SELECT", "-1"]), "-ERR DB index is out of range\r\n");
  assert_eq!(c.cmd(&["SELECT", "x"]), "-ERR value is not an integer or out of range\r\n");
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["CLIENT", "SETNAME", "n"]);
  assert_eq!(c.cmd(&["RESET"]), "+RESET\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
  assert_eq!(c.cmd(&["CLIENT", "GETNAME"]), "$-1\r\n");
}

#[test]
fn client_setinfo_follows_redis_7_2() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CLIENT", "SETINFO", "lib-name", "redwing-tests"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CLIENT", "SETINFO", "LIB-VER", "1.0.0"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["CLIENT", "SETINFO", "LIB-NAME", "bad name"]),
    "-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n"
  );
  assert_eq!(c.cmd(&["CLIENT", "SETINFO", "no-such", "x"]), "-ERR Unrecognized option 'no-such'\r\n");
  assert_eq!(
    c.cmd(&["CLIENT", "SETINFO", "lib-name"]),
    "-ERR wrong number of arguments for 'client|setinfo' command\r\n"
  );
  let info = c.cmd(&["CLIENT", "INFO"]);
  assert!(info.contains(" lib-name=redwing-tests lib-ver=1.0.0\n"), "{info}");
}

#[test]
fn client_no_touch_keeps_idle_time() {
  let mut c = Client::new();
  c.cmd(&["SET", "k", "v"]);
  let access = |c: &mut Client| c.engine.keyspace.dbs[0].lookup(b"k", 0, false).unwrap().access;
  let backdate = |c: &mut Client| c.engine.keyspace.dbs[0].lookup(b"k", 0, false).unwrap().access = 7;
  backdate(&mut c);
  assert_eq!(c.cmd(&["CLIENT", "NO-TOUCH", "on"]), "+OK\r\n");
  assert!(c.cmd(&["CLIENT", "INFO"]).contains(" flags=T "));
  c.cmd(&["GET", "k"]);
  assert_eq!(access(&mut c), 7);
  assert_eq!(c.cmd(&["CLIENT", "NO-TOUCH", "maybe"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["CLIENT", "NO-TOUCH", "off"]), "+OK\r\n");
  c.cmd(&["GET", "k"]);
  assert_ne!(access(&mut c), 7);
}

#[test]
fn client_list_info_and_ids() {
  let mut c = Client::new();
  let other = c.other();
  let id = c.cmd(&["CLIENT", "ID"]);
  assert_eq!(id, ":1\r\n");
  let list = c.cmd(&["CLIENT", "LIST"]);
  let lines: Vec<&str> = list.lines().filter(|l| l.starts_with("id=")).collect();
  assert_eq!(lines.len(), 2, "{list}");
  assert!(lines[0].starts_with("id=1 addr=127.0.0.1:50000 laddr=127.0.0.1:6379 fd=8 name= age=0 idle=0 flags=N db=0 "));
  assert!(lines[0].contains(" cmd=client|list "));
  assert!(lines[1].starts_with("id=2 addr=127.0.0.1:50001"));
  assert_eq!(c.cmd(&["CLIENT", "LIST", "TYPE", "pubsub"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["CLIENT", "LIST", "TYPE", "x"]), "-ERR Unknown client type 'x'\r\n");
  assert_eq!(c.cmd(&["CLIENT", "LIST", "ID", "0"]), "-ERR Invalid client ID\r\n");
  assert!(c.cmd(&["CLIENT", "LIST", "ID", "2"]).contains("id=2 "));
  assert_eq!(c.cmd(&["CLIENT", "NOPE"]), "-ERR unknown subcommand 'NOPE'. Try CLIENT HELP.\r\n");
  let _ = other;
}

#[test]
fn client_kill_forms() {
  let mut c = Client::new();
  let other = c.other();
  assert_eq!(c.cmd(&["CLIENT", "KILL", "1.2.3.4:5"]), "-ERR No such client\r\n");
  assert_eq!(c.cmd(&["CLIENT", "KILL", "ID", "0"]), "-ERR client-id should be greater than 0\r\n");
  assert_eq!(c.cmd(&["CLIENT", "KILL", "USER", "bob"]), "-ERR No such user 'bob'\r\n");
  assert_eq!(c.cmd(&["CLIENT", "KILL", "SKIPME", "maybe"]), "-ERR syntax error\r\n");
  // Skips the caller by default: only the other connection goes.
  assert_eq!(c.cmd(&["CLIENT", "KILL", "TYPE", "normal"]), ":1\r\n");
  assert_eq!(std::mem::take(&mut c.engine.clients.kills), vec![other]);
  assert_eq!(c.cmd(&["CLIENT", "KILL", "127.0.0.1:50001"]), "+OK\r\n");
  // Killing yourself closes the connection after the reply.
  let out = c.engine.feed(c.slot, &encode(&[b"CLIENT", b"KILL", b"ID", b"1", b"SKIPME", b"no"]));
  assert_eq!(out.reply, b":1\r\n");
  assert!(out.close);
}

#[test]
fn client_reply_off_and_skip() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "OFF"]), "");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "");
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "ON"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "SKIP"]), "");
  assert_eq!(c.cmd(&["GET", "k"]), "");
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "MAYBE"]), "-ERR syntax error\r\n");
}

#[test]
fn monitor_sees_other_clients_commands() {
  let mut c = Client::new();
  let watcher = c.other();
  assert_eq!(String::from_utf8_lossy(&c.engine.feed(watcher, &encode(&[b"MONITOR"])).reply), "+OK\r\n");
  c.cmd(&["SET", "key", "a\"b\n\x01"]);
  let (slot, line) = c.take_outbox().pop().unwrap();
  assert_eq!(slot, watcher);
  assert!(line.starts_with('+'));
  assert!(line.ends_with(" [0 127.0.0.1:50000] \"SET\" \"key\" \"a\\\"b\\n\\x01\"\r\n"), "{line}");
  // Administrative commands are not shown.
  c.cmd(&["CONFIG", "GET", "hz"]);
  assert!(c.take_outbox().is_empty());
}

#[test]
fn client_pause_parks_writes_until_unpause() {
  let mut c = Client::new();
  let writer = c.other();
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
  // Reads go through; a write waits with everything after it.
  assert_eq!(send(&mut c.engine, writer, &["GET", "k"]), "$-1\r\n");
  let out = c.engine.feed(writer, &[encode(&[b"SET", b"k", b"1"]), encode(&[b"GET", b"k"])].concat());
  assert!(out.reply.is_empty());
  assert_eq!(c.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), vec![(writer, "+OK\r\n$1\r\n1\r\n".to_string())]);
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "x"]), "-ERR timeout is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "-1"]), "-ERR timeout is negative\r\n");
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "10", "SOME"]), "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
}

#[test]
fn client_pause_ends_by_itself() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["CLIENT", "PAUSE", "20"]);
  assert!(c.engine.feed(writer, &encode(&[b"PING"])).reply.is_empty());
  std::thread::sleep(std::time::Duration::from_millis(30));
  c.engine.tick();
  assert_eq!(c.take_outbox(), vec![(writer, "+PONG\r\n".to_string())]);
}

#[test]
fn client_pause_write_holds_publish_and_counts_held_clients_as_blocked() {
  let mut c = Client::new();
  let publisher = c.other();
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
  assert_eq!(send(&mut c.engine, publisher, &["PUBLISH", "ch", "m"]), "");
  assert!(c.cmd(&["INFO", "clients"]).contains("blocked_clients:1\r\n"));
  assert!(c.cmd(&["CLIENT", "LIST"]).contains("flags=b "));
  assert_eq!(c.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), vec![(publisher, ":0\r\n".to_string())]);
  assert!(c.cmd(&["INFO", "clients"]).contains("blocked_clients:0\r\n"));
}

#[test]
fn client_pause_write_lets_scripts_declared_no_writes_through() {
  let mut c = Client::new();
  let caller = c.other();
  let library = "#!lua name=lib\nredis.register_function{function_name='reads', callback=function() return 'r' end, \
                 flags={'no-writes'}}\nredis.register_function('writes', function() return 'w' end)";
  assert_eq!(c.cmd(&["FUNCTION", "LOAD", library]), "$3\r\nlib\r\n");
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
  // Declared no-writes: not held (a script not in the cache yet, then the cached one).
  let read_only = "#!lua flags=no-writes\nreturn 'unique'";
  assert_eq!(send(&mut c.engine, caller, &["EVAL", read_only, "0"]), "$6\r\nunique\r\n");
  assert_eq!(send(&mut c.engine, caller, &["EVAL", read_only, "0"]), "$6\r\nunique\r\n");
  assert_eq!(send(&mut c.engine, caller, &["FCALL", "reads", "0"]), "$1\r\nr\r\n");
  // A transaction of them is not held either.
  send(&mut c.engine, caller, &["MULTI"]);
  send(&mut c.engine, caller, &["FCALL", "reads", "0"]);
  assert_eq!(send(&mut c.engine, caller, &["EXEC"]), "*1\r\n$1\r\nr\r\n");
  // Without flags (or declared writing), a script is held until the pause ends.
  assert_eq!(send(&mut c.engine, caller, &["EVAL", "return 1", "0"]), "");
  assert_eq!(c.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), vec![(caller, ":1\r\n".to_string())]);
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]), "+OK\r\n");
  assert_eq!(send(&mut c.engine, caller, &["FCALL", "writes", "0"]), "");
  assert_eq!(c.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), vec![(caller, "$1\r\nw\r\n".to_string())]);
}

#[test]
fn client_list_counts_the_running_command_in_qbuf_as_redis_does() {
  let mut c = Client::new();
  // `*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n` is 26 bytes, still in the query buffer while it runs.
  assert!(c.cmd(&["CLIENT", "LIST"]).contains(" qbuf=26 "));
  assert!(c.cmd(&["CLIENT", "INFO"]).contains(" qbuf=26 "));
}

/// CLIENT LIST's `cmd` is the session's last command from its lookup on, as in Redis: a
/// command refused for its arguments counts, one that names no command (or no subcommand)
/// leaves `NULL` (checked against redis-server).
#[test]
fn the_last_command_counts_from_its_lookup() {
  let mut c = Client::new();
  let other = c.other();
  let last = |c: &mut Client| {
    let list = c.cmd(&["CLIENT", "LIST", "ID", "2"]);
    list.split(" cmd=").nth(1).unwrap().split(' ').next().unwrap().to_string()
  };
  for (command, expected) in [
    (&["GET"][..], "get"),
    (&["LPUSH", "x"], "lpush"),
    (&["NOSUCH", "x"], "NULL"),
    (&["CONFIG", "GET", "x"], "config|get"),
    (&["CONFIG", "FOO"], "NULL"),
    (&["CONFIG"], "config"),
  ] {
    c.send_as(other, command);
    assert_eq!(last(&mut c), expected, "{command:?}");
  }
}
