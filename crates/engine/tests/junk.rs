//! Every command in the table, called with junk: each arity it accepts and a few more
//! arguments, drawn from a pool of tricky values (keys of every type, numbers at the edges of
//! their ranges, option keywords, empty and binary strings). Whatever a command answers, it must
//! not panic: the engine turns a panic into a logged internal error, which this test looks for.

mod common;
use common::{encode, Client};
use redwing_engine::cmd::table::{CommandSpec, Implementation};

/// Arguments that exercise parsers and type checks: existing keys of each type (see `seed`),
/// boundary numbers, keywords that commands take, and odd bytes.
const POOL: &[&[u8]] = &[
  b"str",
  b"list",
  b"hash",
  b"set",
  b"zset",
  b"int",
  b"missing",
  b"0",
  b"1",
  b"-1",
  b"3",
  b"100",
  b"-100",
  b"2147483648",
  b"-2147483649",
  b"9223372036854775807",
  b"-9223372036854775808",
  b"9223372036854775808",
  b"1.5",
  b"-0.0",
  b"inf",
  b"-inf",
  b"+inf",
  b"nan",
  b"1e400",
  b"(1",
  b"[a",
  b"-",
  b"+",
  b"",
  b"*",
  b"?",
  b"\x00\xff\r\n",
  b"LIMIT",
  b"COUNT",
  b"WITHSCORES",
  b"BY",
  b"GET",
  b"STORE",
  b"MATCH",
  b"TYPE",
  b"NX",
  b"XX",
  b"GT",
  b"LT",
  b"CH",
  b"INCR",
  b"EX",
  b"PX",
  b"KEEPTTL",
  b"LEFT",
  b"RIGHT",
  b"BEFORE",
  b"AFTER",
  b"REV",
  b"BYSCORE",
  b"BYLEX",
  b"WEIGHTS",
  b"AGGREGATE",
  b"SUM",
  b"MIN",
  b"MAX",
  b"REPLACE",
  b"DB",
  b"ALPHA",
  b"ASC",
  b"DESC",
  b"RANK",
  b"MAXLEN",
  b"IDX",
  b"LEN",
  b"MINMATCHLEN",
  b"WITHMATCHLEN",
  b"ON",
  b"OFF",
  b"BCAST",
  b"PREFIX",
  b"REDIRECT",
  b"ID",
  b"ADDR",
  b"SKIPME",
  b"USER",
  b"yes",
  b"no",
  b"ASYNC",
  b"SYNC",
  b"WRITE",
  b"ALL",
  b"RESET",
  b"HELP",
  b"FROMMEMBER",
  b"FROMLONLAT",
  b"BYRADIUS",
  b"BYBOX",
  b"WITHDIST",
  b"STOREDIST",
  b"ANY",
  b"km",
];

/// Keys of every type, so that junk arguments hit real values.
fn seed(c: &mut Client) {
  for command in [
    &["SET", "str", "hello"][..],
    &["SET", "int", "42"],
    &["RPUSH", "list", "a", "b", "c", "1", "2"],
    &["HSET", "hash", "f", "v", "n", "1"],
    &["SADD", "set", "a", "1", "2"],
    &["ZADD", "zset", "1", "a", "2", "b", "3", "c"],
  ] {
    c.cmd(command);
  }
}

/// A tiny deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
  fn below(&mut self, n: usize) -> usize {
    self.0 ^= self.0 >> 12;
    self.0 ^= self.0 << 25;
    self.0 ^= self.0 >> 27;
    (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
  }
}

/// The command names (with the subcommand for containers) to call.
fn invocations() -> Vec<(Vec<&'static [u8]>, &'static CommandSpec)> {
  let mut list = Vec::new();
  for spec in CommandSpec::all() {
    if matches!(spec.implementation, Implementation::Ts) || spec.name == "shutdown" {
      continue;
    }
    let name: Vec<&'static [u8]> = spec.name.split('|').map(str::as_bytes).collect();
    if matches!(spec.implementation, Implementation::Container) && spec.handler_without_subcommand.is_none() {
      continue;
    }
    list.push((name, spec));
  }
  list
}

#[test]
fn no_command_panics_on_junk_arguments() {
  let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
  let invocations = invocations();
  assert!(invocations.len() > 200, "only {} commands", invocations.len());
  let mut calls = 0;
  // Commands that write files (BGREWRITEAOF) write them in a scratch directory.
  let dir = std::env::temp_dir().join(format!("redwing-junk-{}", std::process::id()));
  std::fs::create_dir_all(&dir).unwrap();
  let dir_arg = dir.to_string_lossy().into_owned();
  for (name, spec) in invocations {
    let mut c = Client::new();
    redwing_engine::cmd::server::config::load_directive(&mut c.engine, &[b"dir", dir_arg.as_bytes()]).unwrap();
    seed(&mut c);
    let base = spec.arity.unsigned_abs() as usize;
    for extra in 0..=3 {
      for _ in 0..12 {
        let mut argv: Vec<&[u8]> = name.clone();
        while argv.len() < base + extra {
          argv.push(POOL[rng.below(POOL.len())]);
        }
        // A fresh session per call: a blocked, subscribed or transaction state from one call
        // must not hide the next one.
        let slot = c.other();
        c.engine.feed(slot, &encode(&argv));
        c.engine.close(slot);
        let crashed: Vec<&String> =
          c.engine.telemetry.log_lines.iter().filter(|l| l.starts_with("Internal error")).collect();
        assert!(crashed.is_empty(), "{}: {:?}", String::from_utf8_lossy(&argv.join(&b' ')), crashed);
      }
    }
    calls += c.engine.telemetry.stats.total_commands_processed;
  }
  let _ = std::fs::remove_dir_all(&dir);
  // Most calls get past the arity check and run (the rest are refused before running).
  assert!(calls > 5000, "{calls} calls ran");
}
