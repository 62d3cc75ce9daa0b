//! Byte-exact tests of MULTI, EXEC, DISCARD, WATCH and UNWATCH.
//!
//! Every expected reply was recorded from redis-server 7.0.15. Scenarios with several
//! connections drive other sessions of the same engine: a blocked session's `feed` returns
//! nothing, and its reply shows up in the engine's outbox after the command that served it.

mod common;
use common::Client;

/// Runs each `(command, reply)` in order on the main session.
fn script(c: &mut Client, steps: &[(&[&str], &str)]) {
  for (args, reply) in steps {
    assert_eq!(c.cmd(args), *reply, "{args:?}");
  }
}

const QUEUED: &str = "+QUEUED\r\n";
const ABORTED: &str = "-EXECABORT Transaction discarded because of previous errors.\r\n";

#[test]
fn queue_and_exec() {
  let mut c = Client::new();
  script(
    &mut c,
    &[
      (&["EXEC"], "-ERR EXEC without MULTI\r\n"),
      (&["DISCARD"], "-ERR DISCARD without MULTI\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["MULTI"], "-ERR MULTI calls can not be nested\r\n"),
      (&["WATCH", "x"], "-ERR WATCH inside MULTI is not allowed\r\n"),
      (&["SET", "a", "1"], QUEUED),
      (&["INCR", "a2"], QUEUED),
      (&["LPUSH", "a", "x"], QUEUED),
      (&["GET", "a"], QUEUED),
      (&["UNWATCH"], QUEUED),
      (
        &["EXEC"],
        "*5\r\n+OK\r\n:1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$1\r\n1\r\n+OK\r\n",
      ),
      (&["EXEC"], "-ERR EXEC without MULTI\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["EXEC"], "*0\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["SET", "a", "2"], QUEUED),
      (&["DISCARD"], "+OK\r\n"),
      (&["GET", "a"], "$1\r\n1\r\n"),
      // SELECT inside the transaction applies to the commands after it, and stays.
      (&["MULTI"], "+OK\r\n"),
      (&["SET", "s", "0"], QUEUED),
      (&["SELECT", "1"], QUEUED),
      (&["SET", "s", "1"], QUEUED),
      (&["EXEC"], "*3\r\n+OK\r\n+OK\r\n+OK\r\n"),
      (&["GET", "s"], "$1\r\n1\r\n"),
      (&["SELECT", "0"], "+OK\r\n"),
      (&["GET", "s"], "$1\r\n0\r\n"),
    ],
  );
}

#[test]
fn queue_time_errors_abort_exec() {
  let mut c = Client::new();
  script(
    &mut c,
    &[
      (&["MULTI"], "+OK\r\n"),
      (&["SET", "a", "1"], QUEUED),
      (&["GET"], "-ERR wrong number of arguments for 'get' command\r\n"),
      (&["NOSUCH", "x"], "-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n"),
      (&["EXEC"], ABORTED),
      (&["GET", "a"], "$-1\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["CLIENT", "NOSUCH"], "-ERR unknown subcommand 'NOSUCH'. Try CLIENT HELP.\r\n"),
      (&["EXEC"], ABORTED),
      (&["MULTI"], "+OK\r\n"),
      (&["SHUTDOWN"], "-ERR Command not allowed inside a transaction\r\n"),
      (&["SET", "a", "b"], QUEUED),
      (&["EXEC"], ABORTED),
      (&["MULTI"], "+OK\r\n"),
      (&["DISCARD", "x"], "-ERR wrong number of arguments for 'discard' command\r\n"),
      (&["EXEC"], ABORTED),
      // A refused EXEC discards the transaction, MULTI or not.
      (&["EXEC", "x"], "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["EXEC", "x"], "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"),
      (&["EXEC"], "-ERR EXEC without MULTI\r\n"),
      (&["MULTI", "x"], "-ERR wrong number of arguments for 'multi' command\r\n"),
      // Not queued, and not allowed in EXEC.
      (&["MULTI"], "+OK\r\n"),
      (&["MONITOR"], QUEUED),
      (&["EXEC"], "*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n"),
      // RESET leaves the transaction.
      (&["MULTI"], "+OK\r\n"),
      (&["RESET"], "+RESET\r\n"),
      (&["EXEC"], "-ERR EXEC without MULTI\r\n"),
    ],
  );
}

#[test]
fn resp3_replies() {
  let mut c = Client::new();
  let b = c.other();
  c.cmd(&["HELLO", "3"]);
  script(
    &mut c,
    &[
      (&["MULTI"], "+OK\r\n"),
      (&["SET", "a", "1"], QUEUED),
      (&["GET", "a"], QUEUED),
      (&["INCR", "zz"], QUEUED),
      (&["EXEC"], "*3\r\n+OK\r\n$1\r\n1\r\n:1\r\n"),
      (&["WATCH", "a"], "+OK\r\n"),
    ],
  );
  c.send_as(b, &["SET", "a", "2"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "a"], QUEUED), (&["EXEC"], "_\r\n")]);
}

#[test]
fn watch_broken_by_another_session() {
  let mut c = Client::new();
  let b = c.other();
  script(&mut c, &[(&["SET", "a", "1"], "+OK\r\n"), (&["WATCH", "a", "b"], "+OK\r\n")]);
  assert_eq!(c.send_as(b, &["SET", "a", "2"]), "+OK\r\n");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "a"], QUEUED), (&["EXEC"], "*-1\r\n")]);
  // EXEC unwatched everything: the next transaction runs.
  c.send_as(b, &["SET", "a", "3"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "a"], QUEUED), (&["EXEC"], "*1\r\n$1\r\n3\r\n")]);
  // Untouched watched keys let EXEC run; keys of another database are other keys.
  c.cmd(&["WATCH", "a"]);
  c.send_as(b, &["SELECT", "1"]);
  c.send_as(b, &["SET", "a", "x"]);
  c.send_as(b, &["SET", "other", "x"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["PING"], QUEUED), (&["EXEC"], "*1\r\n+PONG\r\n")]);
  // ... but MOVE into the watched database changes the watched key there.
  c.cmd(&["WATCH", "x"]);
  c.send_as(b, &["SET", "x", "1"]);
  assert_eq!(c.send_as(b, &["MOVE", "x", "0"]), ":1\r\n");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["PING"], QUEUED), (&["EXEC"], "*-1\r\n")]);
  // UNWATCH forgets a change already seen; DISCARD unwatches too.
  c.cmd(&["WATCH", "a"]);
  c.send_as(b, &["SELECT", "0"]);
  c.send_as(b, &["SET", "a", "4"]);
  script(
    &mut c,
    &[
      (&["UNWATCH"], "+OK\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["GET", "a"], QUEUED),
      (&["EXEC"], "*1\r\n$1\r\n4\r\n"),
      (&["WATCH", "a"], "+OK\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["DISCARD"], "+OK\r\n"),
    ],
  );
  c.send_as(b, &["DEL", "a"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["EXEC"], "*0\r\n")]);
  assert!(c.engine.keyspace.watches.is_empty());
}

#[test]
fn watch_broken_by_the_same_session() {
  let mut c = Client::new();
  script(
    &mut c,
    &[
      (&["SET", "k", "v"], "+OK\r\n"),
      (&["WATCH", "k"], "+OK\r\n"),
      (&["SET", "k", "w"], "+OK\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["PING"], QUEUED),
      (&["EXEC"], "*-1\r\n"),
      // A command that fails changes nothing.
      (&["WATCH", "k"], "+OK\r\n"),
      (&["LPUSH", "k", "x"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["PING"], QUEUED),
      (&["EXEC"], "*1\r\n+PONG\r\n"),
      // Writing a watched key inside the transaction is fine.
      (&["WATCH", "k"], "+OK\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["SET", "k", "1"], QUEUED),
      (&["EXEC"], "*1\r\n+OK\r\n"),
    ],
  );
}

#[test]
fn watch_and_flushes() {
  let mut c = Client::new();
  let b = c.other();
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["WATCH", "k"]);
  c.send_as(b, &["FLUSHALL"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["PING"], QUEUED), (&["EXEC"], "*-1\r\n")]);
  // Flushing a database where the watched key does not exist changes nothing.
  c.cmd(&["WATCH", "missing"]);
  c.send_as(b, &["FLUSHALL"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["PING"], QUEUED), (&["EXEC"], "*1\r\n+PONG\r\n")]);
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["WATCH", "k"]);
  c.send_as(b, &["FLUSHDB"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["EXEC"], "*-1\r\n")]);
  // SWAPDB puts another value (here: none) under the watched key.
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["WATCH", "k"]);
  c.send_as(b, &["SWAPDB", "0", "1"]);
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["EXEC"], "*-1\r\n")]);
}

#[test]
fn expiry_breaks_a_watch_unless_the_key_had_expired_when_watched() {
  // Checked against Redis 7.0.15, with times long enough that the key is live at WATCH.
  let mut c = Client::new();
  let b = c.other();
  let sleep = || std::thread::sleep(std::time::Duration::from_millis(300));
  // Live when watched, expired by EXEC (not even deleted yet): EXEC fails.
  c.cmd(&["SET", "k", "v", "PX", "200"]);
  c.cmd(&["WATCH", "k"]);
  sleep();
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["INCR", "k"], QUEUED), (&["EXEC"], "*-1\r\n")]);
  // Live when watched, deleted by another client's read: EXEC fails.
  c.cmd(&["SET", "k", "v", "PX", "200"]);
  c.cmd(&["WATCH", "k"]);
  sleep();
  assert_eq!(c.send_as(b, &["GET", "k"]), "$-1\r\n");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "k"], QUEUED), (&["EXEC"], "*-1\r\n")]);
  // Already expired when watched, then deleted: no change.
  c.cmd(&["SET", "k", "v", "PX", "1"]);
  sleep();
  c.cmd(&["WATCH", "k"]);
  assert_eq!(c.send_as(b, &["GET", "k"]), "$-1\r\n");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "k"], QUEUED), (&["EXEC"], "*1\r\n$-1\r\n")]);
  // Already expired when watched, then written: the write reclaims it first, then changes it.
  c.cmd(&["SET", "k", "v", "PX", "1"]);
  sleep();
  c.cmd(&["WATCH", "k"]);
  assert_eq!(c.send_as(b, &["SET", "k", "x"]), "+OK\r\n");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["GET", "k"], QUEUED), (&["EXEC"], "*-1\r\n")]);
}

#[test]
fn blocking_commands_inside_multi_do_not_block() {
  let mut c = Client::new();
  script(
    &mut c,
    &[
      (&["MULTI"], "+OK\r\n"),
      (&["BLPOP", "p", "0"], QUEUED),
      (&["BLMOVE", "p", "d", "LEFT", "RIGHT", "0"], QUEUED),
      (&["BLMPOP", "0", "1", "p", "LEFT"], QUEUED),
      (&["BRPOPLPUSH", "p", "d", "0"], QUEUED),
      (&["BLPOP", "p", "x"], QUEUED),
      (&["EXEC"], "*5\r\n*-1\r\n$-1\r\n*-1\r\n$-1\r\n-ERR timeout is not a float or out of range\r\n"),
      (&["RPUSH", "p", "a"], ":1\r\n"),
      (&["MULTI"], "+OK\r\n"),
      (&["BLPOP", "p", "0"], QUEUED),
      (&["BLPOP", "p", "0"], QUEUED),
      (&["EXEC"], "*2\r\n*2\r\n$1\r\np\r\n$1\r\na\r\n*-1\r\n"),
    ],
  );
  assert!(!c.engine.blocking.is_blocked(c.slot));
}

#[test]
fn exec_wakes_blocked_clients() {
  let mut c = Client::new();
  let b = c.other();
  assert_eq!(c.send_as(b, &["BLPOP", "l", "0"]), "");
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["RPUSH", "l", "gone"], QUEUED), (&["LPOP", "l"], QUEUED)]);
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n:1\r\n$4\r\ngone\r\n");
  // Pushed and popped again: nobody is woken.
  assert!(c.take_outbox().is_empty());
  assert!(c.engine.blocking.is_blocked(b));
  script(&mut c, &[(&["MULTI"], "+OK\r\n"), (&["RPUSH", "l", "a", "b"], QUEUED)]);
  assert!(c.take_outbox().is_empty());
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n:2\r\n");
  assert_eq!(c.take_outbox(), [(b, "*2\r\n$1\r\nl\r\n$1\r\na\r\n".to_string())]);
  assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*1\r\n$1\r\nb\r\n");
}

#[test]
fn statistics_and_monitor() {
  let mut c = Client::new();
  let m = c.other();
  c.send_as(m, &["MONITOR"]);
  c.cmd(&["CONFIG", "RESETSTAT"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["LPUSH", "a", "x"]);
  c.cmd(&["EXEC"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["GET", "a", "b"]);
  c.cmd(&["EXEC"]);
  let lines: Vec<String> = c
    .take_outbox()
    .into_iter()
    .filter(|(slot, _)| *slot == m)
    .flat_map(|(_, text)| text.split_inclusive("\r\n").map(str::to_string).collect::<Vec<_>>())
    .map(|line| line.split_once("] ").map(|(_, rest)| rest.to_string()).unwrap_or_default())
    .collect();
  assert_eq!(
    lines,
    [
      "\"MULTI\"\r\n",
      "\"SET\" \"a\" \"1\"\r\n",
      "\"LPUSH\" \"a\" \"x\"\r\n",
      "\"EXEC\"\r\n",
      "\"MULTI\"\r\n",
      "\"EXEC\"\r\n"
    ]
  );
  // Each command counted where it ran (GET only as rejected); EXEC failed once (EXECABORT).
  let stats = c.cmd(&["INFO", "commandstats"]);
  let counts = |name: &str| -> String {
    let line = stats.lines().find(|l| l.starts_with(&format!("cmdstat_{name}:"))).unwrap_or_default();
    let calls = line.split(',').next().unwrap_or_default().to_string();
    let tail: Vec<&str> = line.split(',').skip(3).collect();
    format!("{calls},{}", tail.join(","))
  };
  assert_eq!(counts("multi"), "cmdstat_multi:calls=2,rejected_calls=0,failed_calls=0");
  assert_eq!(counts("exec"), "cmdstat_exec:calls=2,rejected_calls=0,failed_calls=1");
  assert_eq!(counts("set"), "cmdstat_set:calls=1,rejected_calls=0,failed_calls=0");
  assert_eq!(counts("lpush"), "cmdstat_lpush:calls=1,rejected_calls=0,failed_calls=1");
  assert_eq!(counts("get"), "cmdstat_get:calls=0,rejected_calls=1,failed_calls=0");
  let errors = c.cmd(&["INFO", "errorstats"]);
  assert!(errors.contains("errorstat_EXECABORT:count=1\r\n"), "{errors}");
  assert!(errors.contains("errorstat_WRONGTYPE:count=1\r\n"), "{errors}");
}

#[test]
fn a_waiter_is_served_from_the_key_a_transaction_made_ready_first() {
  let mut c = Client::new();
  let waiter = c.other();
  assert_eq!(c.send_as(waiter, &["BLPOP", "k1", "k2", "0"]), "");
  c.cmd(&["MULTI"]);
  c.cmd(&["RPUSH", "k2", "pushed-first"]);
  c.cmd(&["RPUSH", "k1", "pushed-second"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n:1\r\n:1\r\n");
  assert_eq!(c.take_outbox(), vec![(waiter, "*2\r\n$2\r\nk2\r\n$12\r\npushed-first\r\n".to_string())]);
  assert_eq!(c.cmd(&["LRANGE", "k1", "0", "-1"]), "*1\r\n$13\r\npushed-second\r\n");
}

/// WATCH is exact: a command that changed nothing breaks nothing, one that rewrote the same
/// value does.
#[test]
fn only_real_changes_break_a_watch() {
  let mut c = Client::new();
  let other = c.other();
  c.cmd(&["SADD", "s", "a"]);
  c.cmd(&["SET", "k", "v"]);
  assert_eq!(c.cmd(&["WATCH", "missing", "s", "k"]), "+OK\r\n");
  assert_eq!(c.send_as(other, &["DEL", "missing"]), ":0\r\n");
  assert_eq!(c.send_as(other, &["SADD", "s", "a"]), ":0\r\n");
  assert_eq!(c.send_as(other, &["INCR", "k"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.send_as(other, &["SET", "k", "w", "NX"]), "$-1\r\n");
  c.cmd(&["MULTI"]);
  c.cmd(&["PING"]);
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n+PONG\r\n");
  assert_eq!(c.cmd(&["WATCH", "k"]), "+OK\r\n");
  assert_eq!(c.send_as(other, &["SET", "k", "v"]), "+OK\r\n");
  c.cmd(&["MULTI"]);
  c.cmd(&["PING"]);
  assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n");
}
