//! RDB files written and read by the engine: a dataset of every type and encoding (small and
//! large, with times to live, in several databases, with a function library) survives a round
//! trip with the same DEBUG DIGEST; bad files are refused and change nothing. Compatibility
//! with redis-server's own files is tested against redis-server in `__test__/rdb.spec.ts`.

mod common;
use common::Client;
use redwing_engine::config::Permission;

fn debug_client() -> Client {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c
}

/// Fills the client's engine with every type, in its compact and its large encoding.
fn fill(c: &mut Client) {
  let big: Vec<String> = (0..300).map(|i| format!("member-{i}")).collect();
  let mut command = |args: Vec<String>| {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let reply = c.cmd(&args);
    assert!(!reply.starts_with('-'), "{args:?}: {reply}");
  };
  let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
  for line in [
    "SET string hello",
    "SET number 12345",
    "SET negative -42",
    "SET ttl value",
    "PEXPIRE ttl 100000",
    "RPUSH list a b c 1 2 3",
    "SADD intset 1 2 3 -7 100000",
    "SADD set a b c",
    "HSET hash f1 v1 f2 v2",
    "ZADD zset 1 a 2.5 b -3 c",
    "PFADD hll a b c d",
    "XADD stream 1-1 f v",
    "XADD stream 2-1 f v g w",
    "XGROUP CREATE stream group 0",
    "XREADGROUP GROUP group alice COUNT 1 STREAMS stream >",
    "SELECT 3",
    "SET other-db x",
    "SELECT 0",
  ] {
    command(words(line));
  }
  let mut list = words("RPUSH biglist");
  list.extend(big.iter().cloned());
  command(list);
  let mut set = words("SADD bigset");
  set.extend(big.iter().cloned());
  command(set);
  let mut hash = words("HSET bighash");
  hash.extend(big.iter().flat_map(|m| [m.clone(), m.repeat(3)]));
  command(hash);
  let mut zset = words("ZADD bigzset");
  zset.extend(big.iter().enumerate().flat_map(|(i, m)| [format!("{}.5", i), m.clone()]));
  command(zset);
  command(vec!["SET".into(), "long".into(), "abc".repeat(1000)]);
  command(vec![
    "FUNCTION".into(),
    "LOAD".into(),
    "#!lua name=lib\nredis.register_function('f', function(keys, args) return 1 end)".into(),
  ]);
}

#[test]
fn every_type_survives_a_round_trip() {
  let mut source = debug_client();
  fill(&mut source);
  let digest = source.cmd(&["DEBUG", "DIGEST"]);
  let file = source.engine.rdb_snapshot();
  assert!(file.starts_with(b"REDIS0010"));

  let mut target = debug_client();
  target.cmd(&["SET", "stale", "dropped by the load"]);
  let loaded = target.engine.rdb_load(&file).expect("loads");
  assert_eq!(loaded.libraries, 1);
  assert_eq!(loaded.redis_version.as_deref(), Some("7.0.15"));
  assert_eq!(target.cmd(&["DEBUG", "DIGEST"]), digest);
  assert_eq!(target.cmd(&["EXISTS", "stale"]), ":0\r\n");
  assert_eq!(target.cmd(&["FCALL", "f", "0"]), ":1\r\n");
  let ttl = target.cmd(&["PTTL", "ttl"]);
  assert!(ttl.starts_with(':') && ttl != ":-1\r\n", "{ttl}");
  assert_eq!(target.cmd(&["OBJECT", "ENCODING", "bigzset"]), "$8\r\nskiplist\r\n");
  assert_eq!(target.cmd(&["OBJECT", "ENCODING", "intset"]), "$6\r\nintset\r\n");
  assert_eq!(target.engine.rdb_snapshot().len(), file.len());
}

#[test]
fn bad_files_are_refused_and_change_nothing() {
  let mut source = debug_client();
  fill(&mut source);
  let file = source.engine.rdb_snapshot();
  let mut target = debug_client();
  target.cmd(&["SET", "kept", "yes"]);
  let mut corrupt = file.clone();
  let middle = corrupt.len() / 2;
  corrupt[middle] ^= 0xff;
  let cases: Vec<Vec<u8>> =
    vec![b"NOTREDIS0010".to_vec(), b"REDIS0011\xff".to_vec(), file[..file.len() - 9].to_vec(), corrupt];
  for case in cases {
    assert!(target.engine.rdb_load(&case).is_err());
    assert_eq!(target.cmd(&["GET", "kept"]), "$3\r\nyes\r\n");
  }
  for cut in (0..file.len()).step_by(97) {
    let _ = target.engine.rdb_load(&file[..cut]);
  }
}

/// After a failed background save, with save rules set, writes and PING are refused with
/// Redis's MISCONF error (its `shared.bgsaveerr`) until a save succeeds; reads go on.
#[test]
fn a_failed_background_save_stops_writes() {
  let misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. \
                 Commands that may modify the data set are disabled, because this instance is configured to report \
                 errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check \
                 the Redis logs for details about the RDB error.\r\n";
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "save", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  c.engine.background_save_done(false, 0);
  // Without save rules a failed save stops nothing.
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "save", "3600 1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), misconf);
  assert_eq!(c.cmd(&["PING"]), misconf);
  assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
  let script: [&[u8]; 3] = [b"EVAL", b"return redis.call('set','k','w')", b"0"];
  let reply = String::from_utf8_lossy(&c.raw(&common::encode(&script))).into_owned();
  assert!(reply.starts_with("-MISCONF Redis is configured to save RDB snapshots"), "{reply}");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stop-writes-on-bgsave-error", "no"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"]), "+OK\r\n");
  c.engine.background_save_done(true, 0);
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
}
