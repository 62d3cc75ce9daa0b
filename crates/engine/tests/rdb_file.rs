//! RDB files written and read by the engine: a dataset of every type and encoding (small and
//! large, with times to live, in several databases, with a function library) survives a round
//! trip with the same DEBUG DIGEST; bad files are refused and change nothing. Compatibility
//! with redis-server's own files is tested against redis-server in `__test__/persistence.spec.ts`;
//! background saves are written while writes go on and hold the dataset of their start.

mod common;
use common::Client;
use redwing_engine::config::Permission;
use redwing_engine::SnapshotState;

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
  // The file's fields are logged as they are read, as Redis logs them.
  let log = &target.engine.telemetry.log_lines;
  assert!(log.iter().any(|line| line == "Loading RDB produced by version 7.0.15"), "{log:?}");
  assert!(log.iter().any(|line| line == "RDB age 0 seconds"), "{log:?}");
  assert!(
    log.iter().any(|line| line.starts_with("RDB memory usage when created ") && line.ends_with(" Mb")),
    "{log:?}"
  );
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

/// The start-up load in slices (`rdb::loading`): between two slices, commands without the
/// `loading` flag get -LOADING, INFO says how far the load got, and CONFIG SET refuses the
/// parameters Redis refuses then; the data arrives whole at the end, as from a load in one go.
/// A file failing part-way ends the load with its error and leaves nothing loaded.
#[test]
fn a_load_in_slices_serves_clients_in_between() {
  let mut source = debug_client();
  fill(&mut source);
  let digest = source.cmd(&["DEBUG", "DIGEST"]);
  let file = source.engine.rdb_snapshot();

  let mut target = debug_client();
  target.cmd(&["CONFIG", "SET", "loading-process-events-interval-bytes", "1024"]);
  target.engine.rdb_load_begin(file.clone()).expect("an RDB header");
  let (mut slices, mut loaded_bytes) = (0, 0);
  let loaded = loop {
    assert_eq!(target.cmd(&["GET", "string"]), "-LOADING Redis is loading the dataset in memory\r\n");
    assert_eq!(
      target.cmd(&["CONFIG", "SET", "appendonly", "yes"]),
      "-LOADING Redis is loading the dataset in memory\r\n"
    );
    assert_eq!(target.cmd(&["CONFIG", "SET", "maxmemory-samples", "7"]), "+OK\r\n");
    assert_eq!(target.cmd(&["DEBUG", "RELOAD"]), "-LOADING Redis is loading the dataset in memory\r\n");
    assert_eq!(persistence_field(&mut target, "loading"), "1");
    assert_eq!(persistence_field(&mut target, "loading_total_bytes"), file.len().to_string());
    let now_loaded: usize = persistence_field(&mut target, "loading_loaded_bytes").parse().unwrap();
    assert!(now_loaded >= loaded_bytes && now_loaded < file.len(), "{now_loaded}");
    loaded_bytes = now_loaded;
    // The file's `used-mem` field, read in the first slice.
    let used_mem = persistence_field(&mut target, "loading_rdb_used_mem");
    assert_eq!(used_mem == "0", slices == 0, "{used_mem} after {slices} slices");
    match target.engine.rdb_load_step() {
      None => slices += 1,
      Some(outcome) => break outcome.expect("loads"),
    }
  };
  // A slice reads whole items up to the next multiple of the interval: the file's large
  // values take one slice each.
  assert!(slices >= 3, "{slices} slices of {} bytes", file.len());
  assert_eq!(loaded.libraries, 1);
  assert_eq!(persistence_field(&mut target, "loading"), "0");
  assert_eq!(target.cmd(&["DEBUG", "DIGEST"]), digest);
  assert_eq!(persistence_field(&mut target, "rdb_last_load_keys_loaded"), loaded.keys.to_string());

  // With the default interval (2 MB), this file is one slice.
  let mut whole = debug_client();
  whole.engine.rdb_load_begin(file.clone()).expect("an RDB header");
  assert!(whole.engine.rdb_load_step().is_some_and(|outcome| outcome.is_ok()));
  assert_eq!(whole.cmd(&["DEBUG", "DIGEST"]), digest);

  let mut cut = debug_client();
  cut.engine.rdb_load_begin(file[..file.len() / 2].to_vec()).expect("an RDB header");
  let failed = loop {
    if let Some(outcome) = cut.engine.rdb_load_step() {
      break outcome;
    }
  };
  assert!(failed.is_err());
  assert_eq!(persistence_field(&mut cut, "loading"), "0");
  assert_eq!(cut.cmd(&["DBSIZE"]), ":0\r\n");
  assert!(Client::new().engine.rdb_load_begin(b"NOTREDIS0010".to_vec()).is_err());
}

/// A scratch directory for one test's files.
fn scratch(name: &str) -> std::path::PathBuf {
  let dir = std::env::temp_dir().join(format!("redwing-rdb-{name}-{}", std::process::id()));
  let _ = std::fs::remove_dir_all(&dir);
  std::fs::create_dir_all(&dir).unwrap();
  dir
}

/// Sets `dir` (protected from CONFIG SET) as the configuration file would.
fn set_dir(c: &mut Client, dir: &std::path::Path) {
  let dir = dir.to_string_lossy();
  redwing_engine::cmd::server::config::load_directive(&mut c.engine, &[b"dir", dir.as_bytes()]).unwrap();
}

/// Runs a background save to its end, calling `between` after every slice that leaves work.
fn drive(c: &mut Client, mut between: impl FnMut(&mut Client)) {
  loop {
    match c.engine.snapshot_step() {
      SnapshotState::Idle => return,
      SnapshotState::Working => between(c),
      SnapshotState::Waiting => std::thread::sleep(std::time::Duration::from_millis(1)),
    }
  }
}

/// BGSAVE without fork: the file holds the dataset as it was when the save started, whatever
/// the writes between its slices did (overwrites, deletions, expiries set, new keys, renames,
/// a whole database flushed and two swapped), and loads back to the digest of that moment.
#[test]
fn a_background_save_is_a_point_in_time_snapshot() {
  let dir = scratch("point-in-time");
  let mut c = debug_client();
  set_dir(&mut c, &dir);
  fill(&mut c);
  c.cmd(&["DEBUG", "POPULATE", "60000", "key", "20"]);
  c.cmd(&["SELECT", "3"]);
  c.cmd(&["DEBUG", "POPULATE", "20000", "three", "20"]);
  c.cmd(&["SELECT", "4"]);
  c.cmd(&["DEBUG", "POPULATE", "20000", "four", "20"]);
  c.cmd(&["SELECT", "0"]);
  let expected = c.cmd(&["DEBUG", "DIGEST"]);
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  let mut round = 0u64;
  drive(&mut c, |c| {
    round += 1;
    let n = (round * 7919) % 60000;
    c.cmd(&["SET", &format!("key:{n}"), "changed"]);
    c.cmd(&["DEL", &format!("key:{}", (n + 1) % 60000)]);
    c.cmd(&["EXPIRE", &format!("key:{}", (n + 2) % 60000), "1000"]);
    c.cmd(&["RENAME", &format!("key:{}", (n + 3) % 60000), &format!("renamed:{round}")]);
    c.cmd(&["SET", &format!("new:{round}"), "x"]);
    c.cmd(&["RPUSH", "list", "more"]);
    if round == 5 {
      c.cmd(&["SELECT", "3"]);
      c.cmd(&["FLUSHDB"]);
      c.cmd(&["SWAPDB", "4", "5"]);
      c.cmd(&["SELECT", "0"]);
    }
  });
  assert!(round > 20, "the save took only {round} slices");
  assert_ne!(c.cmd(&["DEBUG", "DIGEST"]), expected);
  let info = c.cmd(&["INFO", "persistence"]);
  assert!(info.contains("rdb_bgsave_in_progress:0") && info.contains("rdb_last_bgsave_status:ok"), "{info}");
  let file = std::fs::read(dir.join("dump.rdb")).unwrap();
  let mut loaded = debug_client();
  loaded.engine.rdb_load(&file).unwrap();
  assert_eq!(loaded.cmd(&["DEBUG", "DIGEST"]), expected);
  // The next save (with no writes in between) starts from a clean slate of marks.
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  let now = c.cmd(&["DEBUG", "DIGEST"]);
  drive(&mut c, |_| {});
  let mut again = debug_client();
  again.engine.rdb_load(&std::fs::read(dir.join("dump.rdb")).unwrap()).unwrap();
  assert_eq!(again.cmd(&["DEBUG", "DIGEST"]), now);
}

/// After a failed background save, with save rules set, writes and PING are refused with
/// Redis's MISCONF error (its `shared.bgsaveerr`) until a save succeeds; reads go on.
#[test]
fn a_failed_background_save_stops_writes() {
  let misconf = "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. \
                 Commands that may modify the data set are disabled, because this instance is configured to report \
                 errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check \
                 the Redis logs for details about the RDB error.\r\n";
  let dir = scratch("failed");
  // The file cannot be renamed into place: a directory has its name.
  std::fs::create_dir(dir.join("dump.rdb")).unwrap();
  let mut c = Client::new();
  set_dir(&mut c, &dir);
  assert_eq!(c.cmd(&["CONFIG", "SET", "save", ""]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  drive(&mut c, |_| {});
  assert!(c.cmd(&["INFO", "persistence"]).contains("rdb_last_bgsave_status:err"));
  assert!(!dir.join(format!("temp-{}.rdb", std::process::id())).exists(), "the temporary file is gone");
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
  std::fs::remove_dir(dir.join("dump.rdb")).unwrap();
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  drive(&mut c, |_| {});
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
}

fn persistence_field(c: &mut Client, field: &str) -> String {
  let info = c.cmd(&["INFO", "persistence"]);
  let line = info.lines().find(|line| line.starts_with(&format!("{field}:"))).unwrap_or_else(|| panic!("{field}"));
  line[field.len() + 1..].to_string()
}

/// The keys of `file` once loaded into a new engine, as KEYS * shows them.
fn keys_in(file: &std::path::Path) -> String {
  let mut loaded = Client::new();
  loaded.engine.rdb_load(&std::fs::read(file).unwrap()).unwrap();
  loaded.cmd(&["KEYS", "*"])
}

/// `rdb-key-save-delay` makes a save last as long as Redis's, which sleeps that many
/// microseconds after each key: a background save keeps its file temporary and incomplete
/// until then (the host is told to come back later, not to spin), setting the delay back to 0
/// lets it end at once, and SAVE takes that long before its file is in place.
#[test]
fn rdb_key_save_delay_makes_saves_last() {
  let dir = scratch("key-save-delay");
  let file = dir.join("dump.rdb");
  let temporary = dir.join(format!("temp-{}.rdb", std::process::id()));
  let mut c = debug_client();
  set_dir(&mut c, &dir);
  c.cmd(&["MSET", "a", "1", "b", "2", "c", "3"]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "100000"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "rdb-key-save-delay"]), "*2\r\n$18\r\nrdb-key-save-delay\r\n$6\r\n100000\r\n");
  let started = std::time::Instant::now();
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  while c.engine.snapshot_step() == SnapshotState::Working {}
  assert_eq!(c.engine.snapshot_step(), SnapshotState::Waiting);
  assert!(temporary.exists() && !file.exists(), "the file stays temporary");
  assert_eq!(persistence_field(&mut c, "rdb_bgsave_in_progress"), "1");
  drive(&mut c, |_| {});
  assert!(started.elapsed() >= std::time::Duration::from_millis(300), "3 keys at 100 ms each");
  assert_eq!(keys_in(&file).matches('$').count(), 3);

  // A save that would take 300 seconds ends once the delay is 0 again.
  c.cmd(&["DEL", "c"]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "100000000"]), "+OK\r\n");
  let started = std::time::Instant::now();
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  for _ in 0..20 {
    c.engine.snapshot_step();
  }
  assert_eq!(persistence_field(&mut c, "rdb_bgsave_in_progress"), "1");
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]), "+OK\r\n");
  drive(&mut c, |_| {});
  assert!(started.elapsed() < std::time::Duration::from_secs(60));
  assert_eq!(keys_in(&file).matches('$').count(), 2);

  // SAVE waits as Redis's does: 2 keys at 100 ms.
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "100000"]), "+OK\r\n");
  let started = std::time::Instant::now();
  assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
  assert!(started.elapsed() >= std::time::Duration::from_millis(200));
}

/// SAVE, FLUSHALL under `save` rules and DEBUG RELOAD write the file at once (Redis's
/// `rdbSave`), and leave no change unsaved. FLUSHALL saves the empty dataset so that a
/// restart cannot bring the flushed keys back, and stops a background save, whose older file
/// would; without save rules it writes nothing and its changes stay counted.
#[test]
fn save_flushall_and_debug_reload_write_the_file_at_once() {
  let dir = scratch("save-now");
  let file = dir.join("dump.rdb");
  let mut c = debug_client();
  set_dir(&mut c, &dir);
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
  assert_eq!(persistence_field(&mut c, "rdb_changes_since_last_save"), "0");
  assert_eq!(keys_in(&file), "*1\r\n$1\r\nk\r\n");

  // No save rules: the file keeps the keys, and the flush is a change to save. A background
  // save under way stops, its changes unsaved.
  assert_eq!(c.cmd(&["SET", "k2", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "1000000"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
  assert_eq!(persistence_field(&mut c, "rdb_bgsave_in_progress"), "0");
  assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "0"]), "+OK\r\n");
  assert_eq!(keys_in(&file), "*1\r\n$1\r\nk\r\n");
  assert_eq!(persistence_field(&mut c, "rdb_changes_since_last_save"), "3");

  // Save rules: the empty dataset is saved at once, and the background save stops.
  assert_eq!(c.cmd(&["CONFIG", "SET", "save", "3600 1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "other", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
  assert_eq!(persistence_field(&mut c, "rdb_bgsave_in_progress"), "0");
  assert_eq!(persistence_field(&mut c, "rdb_last_bgsave_status"), "ok");
  assert_eq!(persistence_field(&mut c, "rdb_changes_since_last_save"), "0");
  assert_eq!(keys_in(&file), "*0\r\n");
  drive(&mut c, |_| {});
  assert_eq!(keys_in(&file), "*0\r\n");
  assert!(!dir.join(format!("temp-{}.rdb", std::process::id())).exists(), "no temporary file is left");
  // Inside a transaction too.
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
  assert_eq!(c.cmd(&["MULTI"]), "+OK\r\n");
  assert_eq!(c.cmd(&["FLUSHALL"]), "+QUEUED\r\n");
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n+OK\r\n");
  assert_eq!(keys_in(&file), "*0\r\n");

  // DEBUG RELOAD saves, then loads the file back; NOSAVE loads the file as it is.
  assert_eq!(c.cmd(&["SET", "a", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "a"]), "$1\r\n1\r\n");
  assert_eq!(persistence_field(&mut c, "rdb_changes_since_last_save"), "0");
  assert_eq!(c.cmd(&["SET", "b", "2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE"]), "+OK\r\n");
  assert_eq!(c.cmd(&["MGET", "a", "b"]), "*2\r\n$1\r\n1\r\n$-1\r\n");
  // A file that cannot be read changes nothing.
  std::fs::remove_file(&file).unwrap();
  assert_eq!(c.cmd(&["SET", "c", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE"]), "-ERR Error trying to load the RDB dump\r\n");
  assert_eq!(c.cmd(&["GET", "c"]), "$1\r\n3\r\n");

  // A save that fails gets Redis's bare error, and the log says why; FLUSHALL still succeeds.
  std::fs::create_dir(&file).unwrap();
  c.engine.telemetry.log_lines.clear();
  assert_eq!(c.cmd(&["SAVE"]), "-ERR\r\n");
  let moving = format!("# Error moving temp DB file temp-{}.rdb on the final destination dump.rdb", std::process::id());
  assert!(
    c.engine.telemetry.log_lines.iter().any(|line| line.starts_with(&moving)),
    "{:?}",
    c.engine.telemetry.log_lines
  );
  assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
  assert!(!dir.join(format!("temp-{}.rdb", std::process::id())).exists(), "no temporary file is left");
}
