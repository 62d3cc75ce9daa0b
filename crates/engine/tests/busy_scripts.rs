//! Busy scripts as redis-server 7.0.15 handles them: past `busy-reply-threshold`, other clients
//! get `-BUSY` for everything but the commands flagged `allow_busy`, SCRIPT KILL stops a script
//! that wrote nothing, and the EVAL caller gets the kill as its error. A fake host stands in
//! for the sockets: on each call it sends the next command as the second client. The expected
//! replies were taken from redis-server 7.0.15.

mod common;
use common::{encode, Client};
use redwing_engine::{BusyClients, BusyHost};
use std::cell::RefCell;
use std::rc::Rc;

const BUSY: &str = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n";
const UNKILLABLE: &str = "-UNKILLABLE Sorry the script already executed write commands against the dataset. You can \
                          either wait the script termination or kill the server in a hard way using the SHUTDOWN \
                          NOSAVE command.\r\n";

/// What the fake host saw: per command sent, the reply (`SHUTDOWN` when it asked to end the
/// process); and whether the sending session was listed as idle each time.
#[derive(Default)]
struct Log {
  replies: Vec<String>,
  idle: Vec<bool>,
}

/// Sends one command of `commands` as `slot` per call.
struct FakeHost {
  slot: u32,
  commands: Vec<Vec<String>>,
  log: Rc<RefCell<Log>>,
}

impl BusyHost for FakeHost {
  fn serve(&mut self, clients: &mut BusyClients<'_>) {
    if self.commands.is_empty() {
      return;
    }
    let idle = clients.clients().iter().any(|client| client.slot == self.slot && client.idle);
    let command = self.commands.remove(0);
    let args: Vec<&[u8]> = command.iter().map(|arg| arg.as_bytes()).collect();
    let served = clients.serve(self.slot, &encode(&args));
    let mut log = self.log.borrow_mut();
    log.idle.push(idle);
    log.replies.push(if served.shutdown { "SHUTDOWN".into() } else { String::from_utf8_lossy(&served.reply).into() });
  }
}

/// Runs `script` as the first client while the fake host sends `commands` as a second one;
/// returns the script's reply and the host's log.
fn run_busy(client: &mut Client, script: &str, commands: &[&[&str]]) -> (String, Log) {
  let other = client.other();
  let log = Rc::new(RefCell::new(Log::default()));
  let commands = commands.iter().map(|command| command.iter().map(|arg| arg.to_string()).collect()).collect();
  client.engine.set_busy_host(Box::new(FakeHost { slot: other, commands, log: log.clone() }));
  let reply = client.cmd(&["EVAL", script, "0"]);
  let log = std::mem::take(&mut *log.borrow_mut());
  (reply, log)
}

fn busy_client() -> Client {
  let mut client = Client::new();
  assert_eq!(client.cmd(&["CONFIG", "SET", "busy-reply-threshold", "10"]), "+OK\r\n");
  client
}

#[test]
fn script_kill_stops_a_busy_script() {
  let mut client = busy_client();
  let (reply, log) = run_busy(
    &mut client,
    "while true do end",
    &[
      &["PING"],
      &["SHUTDOWN"],
      &["SHUTDOWN", "ABORT"],
      &["MULTI"],
      &["GET", "x"],
      &["EXEC"],
      &["MULTI"],
      &["DISCARD"],
      &["SCRIPT", "KILL"],
    ],
  );
  let expected = [
    BUSY.to_string(),
    BUSY.into(),
    "-ERR No shutdown in progress.\r\n".into(),
    "+OK\r\n".into(),
    BUSY.into(),
    format!("-EXECABORT Transaction discarded because of: {}", &BUSY[1..]),
    "+OK\r\n".into(),
    "+OK\r\n".into(),
    "+OK\r\n".into(),
  ];
  assert_eq!(log.replies, expected);
  assert!(log.idle.iter().all(|&idle| idle));
  assert_eq!(
    reply,
    "-ERR Script killed by user with SCRIPT KILL... script: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7, on \
     @user_script:1.\r\n"
  );
  assert_eq!(client.cmd(&["PING"]), "+PONG\r\n");
  assert_eq!(client.cmd(&["SCRIPT", "KILL"]), "-NOTBUSY No scripts in execution right now.\r\n");
  let log = client.engine.telemetry.log_lines.join("\n");
  assert!(log.contains("Slow script detected: still in execution after "), "{log}");
  assert!(log.contains(
    " milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: \
     694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7."
  ));
  assert!(log.contains("Lua script killed by user with SCRIPT KILL."));
}

#[test]
fn pcall_cannot_catch_the_kill() {
  let mut client = busy_client();
  let script = "local ok = false while true do ok = pcall(function() while true do end end) end";
  let (reply, log) = run_busy(&mut client, script, &[&["SCRIPT", "KILL"]]);
  assert_eq!(log.replies, ["+OK\r\n"]);
  assert_eq!(
    reply,
    "-ERR Script killed by user with SCRIPT KILL... script: 5aec1fb81ee4900552b8443e6fe05418b318e153, on \
     @user_script:1.\r\n"
  );
}

#[test]
fn a_script_that_wrote_cannot_be_killed() {
  let mut client = busy_client();
  let script = "redis.call('set','x','1') \
                local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end \
                local start = now() while now() - start < 300000 do end return 'done'";
  let (reply, log) = run_busy(&mut client, script, &[&["SCRIPT", "KILL"], &["PING"], &["SHUTDOWN", "NOSAVE"]]);
  assert_eq!(log.replies, [UNKILLABLE, BUSY, "SHUTDOWN"]);
  assert_eq!(reply, "$4\r\ndone\r\n");
  assert_eq!(client.cmd(&["GET", "x"]), "$1\r\n1\r\n");
}

#[test]
fn lua_time_limit_is_the_threshold_too() {
  let mut client = Client::new();
  assert_eq!(client.cmd(&["CONFIG", "SET", "lua-time-limit", "10"]), "+OK\r\n");
  let (reply, log) = run_busy(&mut client, "while true do end", &[&["PING"], &["SCRIPT", "KILL"]]);
  assert_eq!(log.replies, [BUSY, "+OK\r\n"]);
  assert!(reply.starts_with("-ERR Script killed by user with SCRIPT KILL..."));
}

#[test]
fn commands_wait_while_a_script_is_not_busy() {
  let mut client = Client::new();
  let (reply, log) = run_busy(&mut client, "for i = 1, 1000000 do end return 1", &[&["PING"]]);
  assert_eq!(reply, ":1\r\n");
  assert!(log.replies.is_empty());
}

#[test]
fn function_kill_stops_a_busy_function() {
  let mut client = busy_client();
  let library = "#!lua name=busylib\nredis.register_function(\"loop\", function(keys, args)\n  while true do end\nend)";
  assert_eq!(client.cmd(&["FUNCTION", "LOAD", library]), "$7\r\nbusylib\r\n");
  let other = client.other();
  let log = Rc::new(RefCell::new(Log::default()));
  let commands = [&["PING"][..], &["FUNCTION", "STATS"], &["SCRIPT", "KILL"], &["FUNCTION", "KILL"]];
  let commands = commands.iter().map(|command| command.iter().map(|arg| arg.to_string()).collect()).collect();
  client.engine.set_busy_host(Box::new(FakeHost { slot: other, commands, log: log.clone() }));
  let reply = client.cmd(&["FCALL", "loop", "0", "k"]);
  let busy = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n";
  let replies = std::mem::take(&mut log.borrow_mut().replies);
  assert_eq!(replies[0], busy);
  let stats = &replies[1];
  let (head, tail) = stats.split_once("duration_ms\r\n:").expect(stats);
  assert_eq!(
    head,
    "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nloop\r\n$7\r\ncommand\r\n*4\r\n$5\r\nFCALL\r\n$4\r\nloop\r\n\
     $1\r\n0\r\n$1\r\nk\r\n$11\r\n"
  );
  assert!(tail.ends_with(
    "\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n"
  ));
  assert_eq!(replies[2], busy);
  assert_eq!(replies[3], "+OK\r\n");
  assert_eq!(reply, "-ERR Script killed by user with SCRIPT KILL... script: loop, on @user_function:3.\r\n");
  assert_eq!(
    client.cmd(&["FUNCTION", "STATS"]),
    "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n\
     $15\r\nfunctions_count\r\n:1\r\n"
  );
}

/// A busy script read from the append-only file (DEBUG LOADAOF here): other clients get
/// `-LOADING` rather than `-BUSY`, as in Redis, where loading is checked first; the script
/// then ends and its write is there.
#[test]
fn a_busy_script_from_the_aof_answers_loading() {
  let dir = std::env::temp_dir().join(format!("redwing-busy-aof-{}", std::process::id()));
  let aof_dir = dir.join("appendonlydir");
  std::fs::create_dir_all(&aof_dir).unwrap();
  std::fs::write(aof_dir.join("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n").unwrap();
  let script = "redis.call('set',KEYS[1],'y') \
                local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end \
                local start = now() while now() - start < 200000 do end return 'ok'";
  let commands = [encode(&[b"SELECT", b"9"]), encode(&[b"EVAL", script.as_bytes(), b"1", b"x"])].concat();
  std::fs::write(aof_dir.join("appendonly.aof.1.incr.aof"), commands).unwrap();

  let mut client = busy_client();
  let dir_name = dir.to_string_lossy();
  redwing_engine::cmd::server::config::load_directive(&mut client.engine, &[b"dir", dir_name.as_bytes()]).unwrap();
  let log = Rc::new(RefCell::new(Log::default()));
  let commands = vec![vec!["PING".to_string()], vec!["GET".into(), "x".into()]];
  let other = client.other();
  client.engine.set_busy_host(Box::new(FakeHost { slot: other, commands, log: log.clone() }));
  assert!(client.engine.debug_load_aof());
  let loading = "-LOADING Redis is loading the dataset in memory\r\n";
  assert_eq!(log.borrow().replies, [loading, loading]);
  assert_eq!(client.cmd(&["SELECT", "9"]), "+OK\r\n");
  assert_eq!(client.cmd(&["GET", "x"]), "$1\r\ny\r\n");
  assert_eq!(client.cmd(&["PING"]), "+PONG\r\n");
  std::fs::remove_dir_all(&dir).unwrap();
}
