//! What the list and sorted-set commands report (see `signal.rs`): their keyspace events, the
//! form they take in the write stream, the changes they count, WATCH exactness (a command that
//! changed nothing leaves a watched key alone), and the blocking pops, served at once or after
//! blocking. The expected sequences were taken from Redis 7.0.15 (`psubscribe '__key*__:*'`,
//! `redis-cli --replica`, and a RESP3 connection subscribed to its own keys).

mod common;
use common::{bulk_strings, check, events, observed, setup, watch_survives, writes, Client, WRONGTYPE};

/// Whether a WATCH on `key` survives `command`, run by another session on a fresh copy of the
/// data `setup` makes.
fn survives(setup: &[&[&str]], key: &str, command: &[&str]) -> bool {
  let mut c = Client::new();
  for command in setup {
    c.cmd(command);
  }
  watch_survives(&mut c, key, command)
}

#[test]
fn pushes() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["LPUSH", "l", "a", "b"], ":2\r\n", &[("l", "lpush")], &["LPUSH l a b"], 2);
  check(&mut c, l, &["RPUSH", "l", "c"], ":3\r\n", &[("l", "rpush")], &["RPUSH l c"], 1);
  check(&mut c, l, &["LPUSHX", "l", "x", "y"], ":5\r\n", &[("l", "lpush")], &["LPUSHX l x y"], 2);
  check(&mut c, l, &["RPUSHX", "l", "z"], ":6\r\n", &[("l", "rpush")], &["RPUSHX l z"], 1);
  check(&mut c, l, &["LPUSHX", "missing", "x"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["RPUSHX", "missing", "x"], ":0\r\n", &[], &[], 0);
  setup(&mut c, l, &[&["SET", "s", "x"]]);
  check(&mut c, l, &["LPUSH", "s", "x"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["RPUSHX", "s", "x"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn pops() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "c", "d", "e"]]);
  check(&mut c, l, &["LPOP", "l"], "$1\r\na\r\n", &[("l", "lpop")], &["LPOP l"], 1);
  check(&mut c, l, &["RPOP", "l", "2"], "*2\r\n$1\r\ne\r\n$1\r\nd\r\n", &[("l", "rpop")], &["RPOP l 2"], 2);
  check(&mut c, l, &["LPOP", "l", "0"], "*0\r\n", &[], &[], 0);
  check(&mut c, l, &["LPOP", "missing"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["RPOP", "missing", "3"], "*-1\r\n", &[], &[], 0);
  check(&mut c, l, &["LPOP", "l", "-1"], "-ERR value is out of range, must be positive\r\n", &[], &[], 0);
  // Emptying the list deletes the key: the pop event, then `del`. The count stays as called.
  check(
    &mut c,
    l,
    &["LPOP", "l", "10"],
    "*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
    &[("l", "lpop"), ("l", "del")],
    &["LPOP l 10"],
    2,
  );
  setup(&mut c, l, &[&["RPUSH", "l", "a"]]);
  check(&mut c, l, &["RPOP", "l"], "$1\r\na\r\n", &[("l", "rpop"), ("l", "del")], &["RPOP l"], 1);
}

#[test]
fn lmpop_is_propagated_as_a_pop_with_the_count_popped() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "c"]]);
  check(
    &mut c,
    l,
    &["LMPOP", "1", "l", "LEFT"],
    "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n",
    &[("l", "lpop")],
    &["LPOP l 1"],
    1,
  );
  check(
    &mut c,
    l,
    &["LMPOP", "2", "missing", "l", "right", "COUNT", "10"],
    "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n",
    &[("l", "rpop"), ("l", "del")],
    &["RPOP l 2"],
    2,
  );
  check(&mut c, l, &["LMPOP", "1", "l", "LEFT"], "*-1\r\n", &[], &[], 0);
}

#[test]
fn lset_linsert_lrem() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "a"]]);
  check(&mut c, l, &["LSET", "l", "0", "q"], "+OK\r\n", &[("l", "lset")], &["LSET l 0 q"], 1);
  check(&mut c, l, &["LSET", "l", "9", "q"], "-ERR index out of range\r\n", &[], &[], 0);
  check(&mut c, l, &["LSET", "missing", "0", "q"], "-ERR no such key\r\n", &[], &[], 0);
  check(&mut c, l, &["LINSERT", "l", "BEFORE", "q", "w"], ":4\r\n", &[("l", "linsert")], &["LINSERT l BEFORE q w"], 1);
  check(&mut c, l, &["LINSERT", "l", "AFTER", "nope", "w"], ":-1\r\n", &[], &[], 0);
  check(&mut c, l, &["LINSERT", "missing", "AFTER", "q", "w"], ":0\r\n", &[], &[], 0);
  // l is w q b a.
  check(&mut c, l, &["LREM", "l", "0", "nope"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["LREM", "missing", "0", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["LREM", "l", "-1", "a"], ":1\r\n", &[("l", "lrem")], &["LREM l -1 a"], 1);
  setup(&mut c, l, &[&["RPUSH", "two", "a", "a"]]);
  check(&mut c, l, &["LREM", "two", "0", "a"], ":2\r\n", &[("two", "lrem"), ("two", "del")], &["LREM two 0 a"], 2);
}

#[test]
fn ltrim_reports_even_when_it_keeps_everything() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "c", "d"]]);
  // As in Redis: the event and the modification, but no change counted, so no propagation.
  check(&mut c, l, &["LTRIM", "l", "0", "-1"], "+OK\r\n", &[("l", "ltrim")], &[], 0);
  check(&mut c, l, &["LTRIM", "l", "1", "10"], "+OK\r\n", &[("l", "ltrim")], &["LTRIM l 1 10"], 1);
  check(&mut c, l, &["LTRIM", "l", "5", "1"], "+OK\r\n", &[("l", "ltrim"), ("l", "del")], &["LTRIM l 5 1"], 3);
  check(&mut c, l, &["LTRIM", "missing", "0", "1"], "+OK\r\n", &[], &[], 0);
}

#[test]
fn lmove_reports_the_push_before_the_pop() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "c"]]);
  check(
    &mut c,
    l,
    &["LMOVE", "l", "d", "RIGHT", "left"],
    "$1\r\nc\r\n",
    &[("d", "lpush"), ("l", "rpop")],
    &["LMOVE l d RIGHT left"],
    1,
  );
  // Rotating a list in place.
  check(
    &mut c,
    l,
    &["LMOVE", "l", "l", "LEFT", "RIGHT"],
    "$1\r\na\r\n",
    &[("l", "rpush"), ("l", "lpop")],
    &["LMOVE l l LEFT RIGHT"],
    1,
  );
  check(&mut c, l, &["RPOPLPUSH", "l", "d"], "$1\r\na\r\n", &[("d", "lpush"), ("l", "rpop")], &["RPOPLPUSH l d"], 1);
  check(
    &mut c,
    l,
    &["RPOPLPUSH", "l", "e"],
    "$1\r\nb\r\n",
    &[("e", "lpush"), ("l", "rpop"), ("l", "del")],
    &["RPOPLPUSH l e"],
    1,
  );
  check(&mut c, l, &["LMOVE", "missing", "d", "LEFT", "LEFT"], "$-1\r\n", &[], &[], 0);
  setup(&mut c, l, &[&["SET", "s", "x"]]);
  check(&mut c, l, &["RPOPLPUSH", "d", "s"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn blocking_pops_served_at_once_are_propagated_as_plain_pops() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["RPUSH", "l", "a", "b", "c", "d", "e"]]);
  check(&mut c, l, &["BLPOP", "missing", "l", "0"], "*2\r\n$1\r\nl\r\n$1\r\na\r\n", &[("l", "lpop")], &["LPOP l"], 1);
  check(&mut c, l, &["BRPOP", "l", "0"], "*2\r\n$1\r\nl\r\n$1\r\ne\r\n", &[("l", "rpop")], &["RPOP l"], 1);
  check(
    &mut c,
    l,
    &["BLMPOP", "0", "1", "l", "LEFT", "COUNT", "2"],
    "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n",
    &[("l", "lpop")],
    &["LPOP l 2"],
    2,
  );
  setup(&mut c, l, &[&["RPUSH", "l", "x"]]);
  // The LEFT/RIGHT arguments as the client spelled them.
  check(
    &mut c,
    l,
    &["BLMOVE", "l", "d", "Right", "lEft", "0"],
    "$1\r\nx\r\n",
    &[("d", "lpush"), ("l", "rpop")],
    &["LMOVE l d Right lEft"],
    1,
  );
  check(
    &mut c,
    l,
    &["BRPOPLPUSH", "l", "d", "0"],
    "$1\r\nd\r\n",
    &[("d", "lpush"), ("l", "rpop"), ("l", "del")],
    &["RPOPLPUSH l d"],
    1,
  );
  // A blocking pop that cannot block (in MULTI) and finds nothing changes nothing.
  c.cmd(&["MULTI"]);
  c.cmd(&["BLPOP", "missing", "0"]);
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n*-1\r\n");
  assert_eq!(c.events(l), events(&[]));
  assert_eq!(c.writes(), writes(&[]));
}

/// Blocks `command` in a new session, then runs `trigger`: checks what the woken session got,
/// every event, the writes and the changes counted (the trigger's included).
fn check_served_later(
  trigger: &[&str],
  command: &[&str],
  reply: &str,
  sent: &[(&str, &str)],
  wrote: &[&str],
  dirty: u64,
) {
  let (mut c, l) = observed("KEA");
  let waiter = c.other();
  assert_eq!(c.send_as(waiter, command), "", "{command:?} blocks");
  let before = c.engine.keyspace.dirty;
  c.cmd(trigger);
  let mut woken = Vec::new();
  let mut notified = Vec::new();
  for (slot, text) in c.take_outbox() {
    if slot == l {
      for message in bulk_strings(text.as_bytes()).chunks(4) {
        notified.push(format!("{} {}", message[2], message[3]));
      }
    } else {
      woken.push((slot, text));
    }
  }
  assert_eq!(woken, [(waiter, reply.to_string())], "reply of {command:?}");
  assert_eq!(notified, events(sent), "events of {command:?}");
  assert_eq!(c.writes(), writes(wrote), "writes of {command:?}");
  assert_eq!(c.engine.keyspace.dirty - before, dirty, "changes counted for {command:?}");
}

#[test]
#[allow(clippy::type_complexity)] // one tuple per case, read as a table
fn blocking_pops_served_later_are_propagated_as_plain_pops() {
  // Redis serves the waiter outside the command: BLPOP, BRPOP, BLMOVE and BRPOPLPUSH count no
  // change of their own (the push did); BLMPOP and the sorted-set pops count theirs.
  let cases: &[(&[&str], &[&str], &str, &[(&str, &str)], &[&str], u64)] = &[
    (
      &["RPUSH", "l", "a"],
      &["BLPOP", "l", "0"],
      "*2\r\n$1\r\nl\r\n$1\r\na\r\n",
      &[("l", "rpush"), ("l", "lpop"), ("l", "del")],
      &["RPUSH l a", "LPOP l"],
      1,
    ),
    (
      &["RPUSH", "l", "a", "b"],
      &["BRPOP", "other", "l", "0"],
      "*2\r\n$1\r\nl\r\n$1\r\nb\r\n",
      &[("l", "rpush"), ("l", "rpop")],
      &["RPUSH l a b", "RPOP l"],
      2,
    ),
    (
      &["RPUSH", "l", "a", "b"],
      &["BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "3"],
      "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nb\r\n$1\r\na\r\n",
      &[("l", "rpush"), ("l", "rpop"), ("l", "del")],
      &["RPUSH l a b", "RPOP l 2"],
      4,
    ),
    (
      &["RPUSH", "l", "a", "b"],
      &["BLMPOP", "0", "1", "l", "LEFT"],
      "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n",
      &[("l", "rpush"), ("l", "lpop")],
      &["RPUSH l a b", "LPOP l 1"],
      3,
    ),
    (
      // Redis spells the ends itself, in lowercase.
      &["RPUSH", "l", "a"],
      &["BLMOVE", "l", "d", "RIGHT", "Left", "0"],
      "$1\r\na\r\n",
      &[("l", "rpush"), ("d", "lpush"), ("l", "rpop"), ("l", "del")],
      &["RPUSH l a", "LMOVE l d right left"],
      1,
    ),
    (
      &["RPUSH", "l", "a", "b"],
      &["BRPOPLPUSH", "l", "d", "0"],
      "$1\r\nb\r\n",
      &[("l", "rpush"), ("d", "lpush"), ("l", "rpop")],
      &["RPUSH l a b", "RPOPLPUSH l d"],
      2,
    ),
    (
      &["ZADD", "z", "1", "a"],
      &["BZPOPMIN", "z", "0"],
      "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n",
      &[("z", "zadd"), ("z", "zpopmin"), ("z", "del")],
      &["ZADD z 1 a", "ZPOPMIN z"],
      2,
    ),
    (
      &["ZADD", "z", "1", "a", "2", "b"],
      &["BZPOPMAX", "z", "0"],
      "*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n",
      &[("z", "zadd"), ("z", "zpopmax")],
      &["ZADD z 1 a 2 b", "ZPOPMAX z"],
      3,
    ),
    (
      &["ZADD", "z", "1", "a", "2", "b"],
      &["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"],
      "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
      &[("z", "zadd"), ("z", "zpopmax"), ("z", "del")],
      &["ZADD z 1 a 2 b", "ZPOPMAX z 2"],
      4,
    ),
  ];
  for &(trigger, command, reply, sent, wrote, dirty) in cases {
    check_served_later(trigger, command, reply, sent, wrote, dirty);
  }
}

#[test]
fn a_key_created_and_deleted_in_a_transaction_serves_no_waiter() {
  let (mut c, l) = observed("KEA");
  let waiter = c.other();
  assert_eq!(c.send_as(waiter, &["BLPOP", "k", "0"]), "");
  c.cmd(&["MULTI"]);
  c.cmd(&["LPUSH", "k", "a"]);
  c.cmd(&["DEL", "k"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n:1\r\n:1\r\n");
  assert!(c.take_outbox().iter().all(|(slot, _)| *slot == l), "the waiter still waits");
  assert_eq!(c.writes(), writes(&["MULTI", "LPUSH k a", "DEL k", "EXEC"]));
  // A later push serves it.
  assert_eq!(c.cmd(&["LPUSH", "k", "b"]), ":1\r\n");
  let woken: Vec<(u32, String)> = c.take_outbox().into_iter().filter(|(slot, _)| *slot != l).collect();
  assert_eq!(woken, [(waiter, "*2\r\n$1\r\nk\r\n$1\r\nb\r\n".to_string())]);
  assert_eq!(c.writes(), writes(&["LPUSH k b", "LPOP k"]));
}

#[test]
fn list_watch_exactness() {
  let list: &[&[&str]] = &[&["RPUSH", "l", "a", "b", "c"]];
  for command in [
    &["LPUSHX", "missing", "x"][..],
    &["LPUSHX", "l2", "x"],
    &["LREM", "l", "0", "nope"],
    &["LINSERT", "l", "BEFORE", "nope", "x"],
    &["LSET", "l", "10", "x"],
    &["LPOP", "l", "0"],
    &["LPOP", "missing"],
    &["LMPOP", "1", "missing", "LEFT"],
    &["LMOVE", "missing", "l", "LEFT", "LEFT"],
    &["LTRIM", "missing", "0", "1"],
    &["LPUSH", "l"],
    &["RPOPLPUSH", "l", "s"],
  ] {
    let mut data = list.to_vec();
    data.push(&["SET", "s", "x"]);
    assert!(survives(&data, "l", command), "{command:?} leaves l alone");
  }
  for command in [
    &["LPUSH", "l", "x"][..],
    &["RPUSHX", "l", "x"],
    &["LREM", "l", "1", "b"],
    &["LINSERT", "l", "AFTER", "a", "x"],
    &["LSET", "l", "0", "a"],
    &["LPOP", "l"],
    &["RPOP", "l", "5"],
    &["LMPOP", "1", "l", "RIGHT"],
    &["LMOVE", "l", "d", "LEFT", "LEFT"],
    &["LMOVE", "d", "l", "LEFT", "LEFT"],
    &["BLPOP", "l", "0"],
    &["BLMOVE", "l", "l", "LEFT", "RIGHT", "0"],
    // Redis reports LTRIM's key modified even when the range keeps everything.
    &["LTRIM", "l", "0", "-1"],
    &["DEL", "l"],
  ] {
    let mut data = list.to_vec();
    data.push(&["RPUSH", "d", "q"]);
    assert!(!survives(&data, "l", command), "{command:?} modifies l");
  }
}

#[test]
fn a_waiter_served_later_breaks_a_watch_on_its_destination() {
  let mut c = Client::new();
  let waiter = c.other();
  let pusher = c.other();
  c.send_as(waiter, &["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]);
  c.cmd(&["WATCH", "dst"]);
  c.send_as(pusher, &["RPUSH", "src", "a"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["PING"]);
  assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n");
  assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), "*1\r\n$1\r\na\r\n");
}

#[test]
fn zadd_and_zincrby() {
  let (mut c, l) = observed("KEA");
  check(&mut c, l, &["ZADD", "z", "1", "a", "2", "b"], ":2\r\n", &[("z", "zadd")], &["ZADD z 1 a 2 b"], 2);
  // Nothing added or changed: nothing reported.
  check(&mut c, l, &["ZADD", "z", "1", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "NX", "5", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "XX", "3", "c"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "GT", "0", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "LT", "5", "b"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "missing", "XX", "1", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "XX", "INCR", "1", "c"], "$-1\r\n", &[], &[], 0);
  check(&mut c, l, &["ZINCRBY", "z", "0", "a"], "$1\r\n1\r\n", &[], &[], 0);
  // Changes count one per member added or updated.
  check(
    &mut c,
    l,
    &["ZADD", "z", "CH", "3", "a", "4", "d", "4", "b"],
    ":3\r\n",
    &[("z", "zadd")],
    &["ZADD z CH 3 a 4 d 4 b"],
    3,
  );
  check(&mut c, l, &["ZADD", "z", "GT", "9", "a", "1", "b"], ":0\r\n", &[("z", "zadd")], &["ZADD z GT 9 a 1 b"], 1);
  check(&mut c, l, &["ZADD", "z", "INCR", "2", "a"], "$2\r\n11\r\n", &[("z", "zincr")], &["ZADD z INCR 2 a"], 1);
  check(&mut c, l, &["ZINCRBY", "z", "1.5", "b"], "$3\r\n5.5\r\n", &[("z", "zincr")], &["ZINCRBY z 1.5 b"], 1);
  check(&mut c, l, &["ZINCRBY", "new", "1", "m"], "$1\r\n1\r\n", &[("new", "zincr")], &["ZINCRBY new 1 m"], 1);
  // Failures report nothing.
  setup(&mut c, l, &[&["ZADD", "inf", "inf", "m"], &["SET", "s", "x"]]);
  check(&mut c, l, &["ZINCRBY", "inf", "-inf", "m"], "-ERR resulting score is not a number (NaN)\r\n", &[], &[], 0);
  check(&mut c, l, &["ZADD", "s", "1", "a"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["ZADD", "z", "1", "a", "x", "b"], "-ERR value is not a valid float\r\n", &[], &[], 0);
}

#[test]
fn zrem_and_range_removals() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"]]);
  check(&mut c, l, &["ZREM", "z", "nope"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZREM", "missing", "a"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZREM", "z", "a", "nope", "b"], ":2\r\n", &[("z", "zrem")], &["ZREM z a nope b"], 2);
  check(&mut c, l, &["ZREMRANGEBYSCORE", "z", "100", "200"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["ZREMRANGEBYSCORE", "z", "0", "3"],
    ":1\r\n",
    &[("z", "zremrangebyscore")],
    &["ZREMRANGEBYSCORE z 0 3"],
    1,
  );
  check(&mut c, l, &["ZREMRANGEBYRANK", "z", "5", "6"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["ZREMRANGEBYRANK", "z", "0", "0"],
    ":1\r\n",
    &[("z", "zremrangebyrank")],
    &["ZREMRANGEBYRANK z 0 0"],
    1,
  );
  check(&mut c, l, &["ZREMRANGEBYLEX", "z", "[x", "[y"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["ZREMRANGEBYLEX", "z", "[e", "[e"],
    ":1\r\n",
    &[("z", "zremrangebylex")],
    &["ZREMRANGEBYLEX z [e [e"],
    1,
  );
  check(&mut c, l, &["ZREMRANGEBYLEX", "missing", "-", "+"], ":0\r\n", &[], &[], 0);
  // Emptying the set deletes the key.
  check(
    &mut c,
    l,
    &["ZREMRANGEBYLEX", "z", "-", "+"],
    ":1\r\n",
    &[("z", "zremrangebylex"), ("z", "del")],
    &["ZREMRANGEBYLEX z - +"],
    1,
  );
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b"]]);
  check(
    &mut c,
    l,
    &["ZREMRANGEBYSCORE", "z", "-inf", "+inf"],
    ":2\r\n",
    &[("z", "zremrangebyscore"), ("z", "del")],
    &["ZREMRANGEBYSCORE z -inf +inf"],
    2,
  );
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b"]]);
  check(
    &mut c,
    l,
    &["ZREMRANGEBYRANK", "z", "0", "-1"],
    ":2\r\n",
    &[("z", "zremrangebyrank"), ("z", "del")],
    &["ZREMRANGEBYRANK z 0 -1"],
    2,
  );
  setup(&mut c, l, &[&["ZADD", "z", "1", "a"]]);
  check(&mut c, l, &["ZREM", "z", "a", "b"], ":1\r\n", &[("z", "zrem"), ("z", "del")], &["ZREM z a b"], 1);
}

#[test]
fn zset_pops() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"]]);
  check(&mut c, l, &["ZPOPMIN", "z"], "*2\r\n$1\r\na\r\n$1\r\n1\r\n", &[("z", "zpopmin")], &["ZPOPMIN z"], 1);
  check(&mut c, l, &["ZPOPMAX", "z", "1"], "*2\r\n$1\r\nd\r\n$1\r\n4\r\n", &[("z", "zpopmax")], &["ZPOPMAX z 1"], 1);
  check(&mut c, l, &["ZPOPMIN", "z", "0"], "*0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZPOPMIN", "missing"], "*0\r\n", &[], &[], 0);
  // The count is propagated as called.
  check(
    &mut c,
    l,
    &["ZPOPMIN", "z", "10"],
    "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    &[("z", "zpopmin"), ("z", "del")],
    &["ZPOPMIN z 10"],
    2,
  );
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b", "3", "c"]]);
  check(
    &mut c,
    l,
    &["ZMPOP", "2", "missing", "z", "MIN", "COUNT", "2"],
    "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    &[("z", "zpopmin")],
    &["ZPOPMIN z 2"],
    2,
  );
  check(
    &mut c,
    l,
    &["ZMPOP", "1", "z", "max", "COUNT", "5"],
    "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n",
    &[("z", "zpopmax"), ("z", "del")],
    &["ZPOPMAX z 1"],
    1,
  );
  check(&mut c, l, &["ZMPOP", "1", "z", "MAX"], "*-1\r\n", &[], &[], 0);
  // The blocking forms served at once.
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b", "3", "c"]]);
  check(
    &mut c,
    l,
    &["BZPOPMIN", "missing", "z", "0"],
    "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n",
    &[("z", "zpopmin")],
    &["ZPOPMIN z"],
    1,
  );
  check(
    &mut c,
    l,
    &["BZPOPMAX", "z", "0"],
    "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n",
    &[("z", "zpopmax")],
    &["ZPOPMAX z"],
    1,
  );
  check(
    &mut c,
    l,
    &["BZMPOP", "0", "1", "z", "MIN", "COUNT", "9"],
    "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
    &[("z", "zpopmin"), ("z", "del")],
    &["ZPOPMIN z 1"],
    1,
  );
  setup(&mut c, l, &[&["SET", "s", "x"]]);
  check(&mut c, l, &["ZPOPMIN", "s"], WRONGTYPE, &[], &[], 0);
  check(&mut c, l, &["BZPOPMIN", "s", "0"], WRONGTYPE, &[], &[], 0);
}

#[test]
fn stores() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["ZADD", "z", "1", "a", "2", "b"], &["ZADD", "y", "2", "b", "3", "c"]]);
  check(
    &mut c,
    l,
    &["ZUNIONSTORE", "d", "2", "z", "y"],
    ":3\r\n",
    &[("d", "zunionstore")],
    &["ZUNIONSTORE d 2 z y"],
    1,
  );
  check(
    &mut c,
    l,
    &["ZINTERSTORE", "d", "2", "z", "y"],
    ":1\r\n",
    &[("d", "zinterstore")],
    &["ZINTERSTORE d 2 z y"],
    1,
  );
  check(&mut c, l, &["ZDIFFSTORE", "d", "2", "z", "y"], ":1\r\n", &[("d", "zdiffstore")], &["ZDIFFSTORE d 2 z y"], 1);
  check(
    &mut c,
    l,
    &["ZRANGESTORE", "d2", "z", "0", "-1"],
    ":2\r\n",
    &[("d2", "zrangestore")],
    &["ZRANGESTORE d2 z 0 -1"],
    1,
  );
  // An empty result deletes the destination: `del`; with no destination, nothing at all.
  check(&mut c, l, &["ZDIFFSTORE", "d", "2", "z", "z"], ":0\r\n", &[("d", "del")], &["ZDIFFSTORE d 2 z z"], 1);
  check(&mut c, l, &["ZDIFFSTORE", "d", "2", "z", "z"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZRANGESTORE", "d2", "z", "5", "6"], ":0\r\n", &[("d2", "del")], &["ZRANGESTORE d2 z 5 6"], 1);
  check(&mut c, l, &["ZRANGESTORE", "d2", "z", "5", "6"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZUNIONSTORE", "d3", "1", "missing"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["ZINTERSTORE", "d3", "2", "z", "missing"], ":0\r\n", &[], &[], 0);
  // Overwriting a key of another type.
  setup(&mut c, l, &[&["SET", "s", "x"]]);
  check(&mut c, l, &["ZUNIONSTORE", "s", "1", "z"], ":2\r\n", &[("s", "zunionstore")], &["ZUNIONSTORE s 1 z"], 1);
}

#[test]
fn stores_over_an_expired_destination() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["ZADD", "z", "1", "a"], &["SET", "d", "x", "PX", "1"], &["SET", "d2", "x", "PX", "1"]]);
  std::thread::sleep(std::time::Duration::from_millis(5));
  // A result replaces it after reclaiming it, as Redis's setKey does: its expiry comes first.
  check(
    &mut c,
    l,
    &["ZUNIONSTORE", "d", "1", "z"],
    ":1\r\n",
    &[("d", "expired"), ("d", "zunionstore")],
    &["MULTI", "DEL d", "ZUNIONSTORE d 1 z", "EXEC"],
    1,
  );
  // An empty result deletes it without looking: a plain `del`.
  check(&mut c, l, &["ZRANGESTORE", "d2", "z", "5", "6"], ":0\r\n", &[("d2", "del")], &["ZRANGESTORE d2 z 5 6"], 1);
}

#[test]
fn zset_watch_exactness() {
  let data: &[&[&str]] = &[&["ZADD", "z", "1", "a", "2", "b"], &["ZADD", "y", "5", "q"]];
  for command in [
    &["ZADD", "z", "1", "a"][..],
    &["ZADD", "z", "NX", "9", "a"],
    &["ZADD", "z", "XX", "9", "c"],
    &["ZADD", "z", "GT", "0", "b"],
    &["ZINCRBY", "z", "0", "a"],
    &["ZREM", "z", "nope"],
    &["ZREMRANGEBYSCORE", "z", "10", "20"],
    &["ZREMRANGEBYRANK", "z", "5", "9"],
    &["ZREMRANGEBYLEX", "z", "[x", "[y"],
    &["ZPOPMIN", "z", "0"],
    &["ZMPOP", "1", "missing", "MIN"],
    &["ZUNIONSTORE", "z2", "1", "missing"],
    &["ZRANGESTORE", "z2", "z", "5", "6"],
    &["ZUNIONSTORE", "y", "1", "z"],
  ] {
    assert!(survives(data, "z", command), "{command:?} leaves z alone");
  }
  for command in [
    &["ZADD", "z", "3", "a"][..],
    &["ZADD", "z", "CH", "1", "c"],
    &["ZINCRBY", "z", "1", "a"],
    &["ZREM", "z", "a"],
    &["ZREMRANGEBYSCORE", "z", "1", "1"],
    &["ZREMRANGEBYRANK", "z", "0", "0"],
    &["ZREMRANGEBYLEX", "z", "-", "+"],
    &["ZPOPMAX", "z"],
    &["ZMPOP", "1", "z", "MIN"],
    &["BZPOPMIN", "z", "0"],
    &["BZMPOP", "0", "1", "z", "MAX"],
    &["ZUNIONSTORE", "z", "1", "y"],
    &["ZINTERSTORE", "z", "2", "z", "y"],
    &["ZDIFFSTORE", "z", "1", "y"],
    &["ZRANGESTORE", "z", "y", "0", "-1"],
    &["ZRANGESTORE", "z", "y", "5", "6"],
  ] {
    assert!(!survives(data, "z", command), "{command:?} modifies z");
  }
}

#[test]
fn a_resp3_client_sees_its_own_events_where_redis_sends_them() {
  // Bytes recorded from Redis 7.0.15: a RESP3 connection subscribed to the keyspace channels
  // of the keys it changes. Most events follow the reply; ZPOPMIN's comes right after the
  // array header, LMOVE's push event before the element, LREM's before the count.
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]), "+OK\r\n");
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["SUBSCRIBE", "__keyspace@0__:z", "__keyspace@0__:l", "__keyspace@0__:d"]);
  let message = |key: &str, event: &str| {
    format!(">3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:{key}\r\n${}\r\n{event}\r\n", event.len())
  };
  assert_eq!(c.cmd(&["ZADD", "z", "1", "a", "2", "b"]), format!(":2\r\n{}", message("z", "zadd")));
  assert_eq!(
    c.cmd(&["ZPOPMIN", "z", "2"]),
    format!("*2\r\n{}*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n{}", message("z", "zpopmin"), message("z", "del"))
  );
  assert_eq!(c.cmd(&["RPUSH", "l", "a", "b"]), format!(":2\r\n{}", message("l", "rpush")));
  assert_eq!(
    c.cmd(&["LMOVE", "l", "d", "RIGHT", "LEFT"]),
    format!("{}$1\r\nb\r\n{}", message("d", "lpush"), message("l", "rpop"))
  );
  assert_eq!(c.cmd(&["LREM", "l", "0", "a"]), format!("{}{}:1\r\n", message("l", "lrem"), message("l", "del")));
  assert_eq!(c.cmd(&["ZADD", "z", "1", "a"]), format!(":1\r\n{}", message("z", "zadd")));
  assert_eq!(
    c.cmd(&["BZPOPMAX", "z", "0"]),
    format!("*3\r\n$1\r\nz\r\n{}$1\r\na\r\n,1\r\n{}", message("z", "zpopmax"), message("z", "del"))
  );
  c.cmd(&["ZADD", "z", "1", "a", "2", "b"]);
  assert_eq!(
    c.cmd(&["ZMPOP", "1", "z", "MIN"]),
    format!("*2\r\n$1\r\nz\r\n*1\r\n{}*2\r\n$1\r\na\r\n,1\r\n", message("z", "zpopmin"))
  );
  assert_eq!(c.cmd(&["ZREM", "z", "b"]), format!("{}{}:1\r\n", message("z", "zrem"), message("z", "del")));
  c.cmd(&["RPUSH", "l", "a", "b"]);
  assert_eq!(c.cmd(&["LTRIM", "l", "0", "0"]), format!("{}+OK\r\n", message("l", "ltrim")));
  assert_eq!(c.cmd(&["LINSERT", "l", "BEFORE", "a", "x"]), format!("{}:2\r\n", message("l", "linsert")));
  // Overwriting a list with a sorted set: only the store's event.
  assert_eq!(c.cmd(&["ZADD", "z", "1", "m"]), format!(":1\r\n{}", message("z", "zadd")));
  assert_eq!(c.cmd(&["ZUNIONSTORE", "d", "1", "z"]), format!(":1\r\n{}", message("d", "zunionstore")));
}

#[test]
fn a_resp3_client_sees_the_new_event_of_a_key_before_the_reply() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "notify-keyspace-events", "KEAn"]), "+OK\r\n");
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["SUBSCRIBE", "__keyspace@0__:z", "__keyspace@0__:l", "__keyspace@0__:d"]);
  let message = |key: &str, event: &str| {
    format!(">3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:{key}\r\n${}\r\n{event}\r\n", event.len())
  };
  assert_eq!(c.cmd(&["LPUSH", "l", "a"]), format!("{}:1\r\n{}", message("l", "new"), message("l", "lpush")));
  assert_eq!(c.cmd(&["ZADD", "z", "1", "a"]), format!("{}:1\r\n{}", message("z", "new"), message("z", "zadd")));
  assert_eq!(
    c.cmd(&["LMOVE", "l", "d", "LEFT", "LEFT"]),
    format!(
      "{}{}$1\r\na\r\n{}{}",
      message("d", "new"),
      message("d", "lpush"),
      message("l", "lpop"),
      message("l", "del")
    )
  );
  assert_eq!(
    c.cmd(&["ZUNIONSTORE", "l", "1", "z"]),
    format!("{}:1\r\n{}", message("l", "new"), message("l", "zunionstore"))
  );
}

#[test]
fn client_reply_off_keeps_the_events_moved_into_a_reply() {
  // The reply is dropped, the pushes (wherever Redis placed them) are not.
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]), "+OK\r\n");
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["SUBSCRIBE", "__keyspace@0__:z", "__keyspace@0__:l", "__keyspace@0__:d"]);
  c.cmd(&["ZADD", "z", "1", "a", "2", "b"]);
  c.cmd(&["RPUSH", "l", "a", "b"]);
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "OFF"]), "");
  let message = |key: &str, event: &str| {
    format!(">3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:{key}\r\n${}\r\n{event}\r\n", event.len())
  };
  assert_eq!(c.cmd(&["ZPOPMIN", "z", "2"]), format!("{}{}", message("z", "zpopmin"), message("z", "del")));
  assert_eq!(
    c.cmd(&["LMOVE", "l", "d", "RIGHT", "LEFT"]),
    format!("{}{}", message("d", "lpush"), message("l", "rpop"))
  );
}
