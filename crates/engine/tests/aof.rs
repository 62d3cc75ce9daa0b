//! The append-only file (`aof/`): the engine's write stream encoded as redis-server 7.0.15
//! appends the same writes to its AOF, an AOF redis-server wrote replayed into the engine, and
//! the multi-part files on disk: start-up, appends, rewrites, run-time switching, truncated and
//! bad files, the upgrade from a single-file AOF.

mod common;
use common::Client;
use redwing_engine::aof::{replay_commands, Replay};

/// The write stream as AOF bytes: what redis-server 7.0.15 appended to its AOF for the same
/// commands (read from its `appendonlydir` incremental file), expiry times aside.
#[test]
fn writes_encode_as_redis_appends_them() {
  let mut c = Client::new();
  c.record_writes();
  let script = |source: &str| -> Vec<u8> {
    let args: [&[u8]; 3] = [b"EVAL", source.as_bytes(), b"0"];
    common::encode(&args)
  };
  c.cmd(&["flushall"]);
  c.raw(&script("redis.call('set','a','1') redis.call('incr','n') return 1"));
  c.raw(&script("return redis.call('set','b','2')"));
  c.cmd(&["sadd", "s", "x"]);
  c.raw(&script("return redis.call('spop','s')"));
  c.raw(&script("redis.call('select','1') redis.call('set','e','5') return 1"));
  c.cmd(&["get", "a"]);
  let mut encoder = redwing_engine::aof::StreamEncoder::default();
  let mut aof = Vec::new();
  encoder.encode(&c.engine.take_writes(), &mut aof, None);
  let expected = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$8\r\nflushall\r\n*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n\
                  $1\r\n1\r\n*2\r\n$4\r\nincr\r\n$1\r\nn\r\n*1\r\n$4\r\nEXEC\r\n*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n\
                  *3\r\n$4\r\nsadd\r\n$1\r\ns\r\n$1\r\nx\r\n*3\r\n$4\r\nSREM\r\n$1\r\ns\r\n$1\r\nx\r\n\
                  *2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*3\r\n$3\r\nset\r\n$1\r\ne\r\n$1\r\n5\r\n";
  assert_eq!(String::from_utf8_lossy(&aof), expected);
}

/// The incremental AOF redis-server 7.0.15 wrote for RPUSH, HSET, SADD, SPOP, ZADD, SET EX,
/// INCRBYFLOAT, XADD, a SET in database 2 and a script of two writes (its PXAT time moved to
/// 2100 so that the key has not expired when the test runs), and the DEBUG DIGEST it then gave.
const REDIS_AOF: &str =
  "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*5\r\n$5\r\nrpush\r\n$1\r\nl\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n\
  *6\r\n$4\r\nhset\r\n$1\r\nh\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n*5\r\n$4\r\nsadd\r\n$1\r\n\
  s\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n*3\r\n$4\r\nSREM\r\n$1\r\ns\r\n$1\r\n3\r\n*6\r\n$4\r\nzadd\r\n\
  $1\r\nz\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n*5\r\n$3\r\nSET\r\n$1\r\nt\r\n$1\r\nv\r\n\
  $4\r\nPXAT\r\n$13\r\n4102444800000\r\n*4\r\n$3\r\nSET\r\n$1\r\nf\r\n$3\r\n1.5\r\n$7\r\nKEEPTTL\r\n\
  *5\r\n$4\r\nxadd\r\n$2\r\nst\r\n$3\r\n1-1\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n\
  *3\r\n$3\r\nset\r\n$5\r\nother\r\n$1\r\nx\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*1\r\n$5\r\nMULTI\r\n\
  *3\r\n$3\r\nset\r\n$2\r\ne1\r\n$1\r\n1\r\n*3\r\n$5\r\nlpush\r\n$2\r\nel\r\n$1\r\nx\r\n*1\r\n$4\r\n\
  EXEC\r\n";
const REDIS_DIGEST: &str = "+d65ea3778ac136f7d690de1096f529335020ae84\r\n";

#[test]
fn an_aof_redis_wrote_replays_to_the_same_dataset() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  c.record_writes();
  assert_eq!(replay_commands(&mut c.engine, REDIS_AOF.as_bytes()), Replay::Complete(16));
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), REDIS_DIGEST);
  assert!(c.writes().is_empty(), "a replay records no writes");
  // A file cut inside a command: everything before the cut ran, and its length comes back.
  let mut fresh = Client::new();
  let cut = REDIS_AOF.len() - 5;
  let valid = REDIS_AOF[..cut].rfind("*").unwrap();
  let replay = replay_commands(&mut fresh.engine, &REDIS_AOF.as_bytes()[..cut]);
  assert_eq!(replay, Replay::Truncated { commands: 15, valid });
}

/// A scratch directory for one test's files.
fn scratch(name: &str) -> std::path::PathBuf {
  let dir = std::env::temp_dir().join(format!("redwing-aof-{name}-{}", std::process::id()));
  let _ = std::fs::remove_dir_all(&dir);
  std::fs::create_dir_all(&dir).unwrap();
  dir
}

/// A client on an engine configured with `directives` and `dir`, whose AOF was opened as at
/// start-up; returns it and whether the opening succeeded.
fn open_in(dir: &std::path::Path, directives: &[&[&str]]) -> (Client, bool) {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  let dir = dir.to_string_lossy().into_owned();
  let dir_line = ["dir", dir.as_str()];
  let mut all: Vec<&[&str]> = vec![&dir_line];
  all.extend_from_slice(directives);
  for line in all {
    let args: Vec<&[u8]> = line.iter().map(|a| a.as_bytes()).collect();
    redwing_engine::cmd::server::config::load_directive(&mut c.engine, &args).unwrap();
  }
  let ok = c.engine.open_append_only();
  (c, ok)
}

fn manifest(dir: &std::path::Path) -> String {
  std::fs::read_to_string(dir.join("appendonlydir/appendonly.aof.manifest")).unwrap_or_default()
}

fn log(c: &mut Client) -> Vec<String> {
  std::mem::take(&mut c.engine.telemetry.log_lines)
}

/// Waits for a background rewrite to finish, running the periodic work as the host would.
fn finish_rewrite(c: &mut Client) {
  for _ in 0..500 {
    c.engine.tick();
    if c.cmd(&["INFO", "persistence"]).contains("aof_rewrite_in_progress:0") {
      return;
    }
    std::thread::sleep(std::time::Duration::from_millis(10));
  }
  panic!("the rewrite did not finish");
}

/// Writes of every type, so that a reload shows everything came back.
fn fill(c: &mut Client) {
  for command in [
    &["SET", "s", "text"][..],
    &["SET", "n", "12"],
    &["INCR", "n"],
    &["RPUSH", "l", "a", "b", "c"],
    &["HSET", "h", "f", "v", "g", "w"],
    &["SADD", "set", "1", "2", "x"],
    &["ZADD", "z", "1.5", "a", "2", "b"],
    &["XADD", "st", "1-1", "f", "v"],
    &["XADD", "st", "2-1", "f", "w"],
    &["XGROUP", "CREATE", "st", "g", "0"],
    &["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "st", ">"],
    &["XGROUP", "CREATECONSUMER", "st", "g", "bob"],
    &["SET", "ttl", "v", "PX", "100000000"],
    &["SELECT", "3"],
    &["SET", "other", "db"],
    &["SELECT", "0"],
    &["FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"],
  ] {
    let reply = c.cmd(command);
    assert!(!reply.starts_with('-'), "{command:?}: {reply}");
  }
  c.raw(&common::encode(&[b"MULTI"]));
  c.cmd(&["LPUSH", "l", "t"]);
  c.cmd(&["SET", "in-exec", "1"]);
  c.cmd(&["EXEC"]);
  c.engine.tick();
}

/// `appendonly yes` on an empty directory: a base, an incremental file and the manifest, laid
/// out as Redis 7.0 does; every write goes to the incremental file, and a restart replays
/// them to the same dataset.
#[test]
fn a_fresh_aof_records_writes_and_replays_them() {
  let dir = scratch("fresh");
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok);
  assert_eq!(
    log(&mut c),
    [
      "Creating AOF base file appendonly.aof.1.base.rdb on server start",
      "Creating AOF incr file appendonly.aof.1.incr.aof on server start"
    ]
  );
  assert_eq!(
    manifest(&dir),
    "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
  );
  fill(&mut c);
  let digest = c.cmd(&["DEBUG", "DIGEST"]);
  let incr = std::fs::read(dir.join("appendonlydir/appendonly.aof.1.incr.aof")).unwrap();
  assert!(incr.starts_with(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\ns\r\n$4\r\ntext\r\n"));
  let (mut again, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok, "{:?}", log(&mut again));
  assert_eq!(again.cmd(&["DEBUG", "DIGEST"]), digest);
  assert_eq!(again.cmd(&["FCALL", "f", "0"]), ":1\r\n");
  let lines = log(&mut again);
  assert!(lines.contains(&"Reading RDB base file on AOF loading...".to_string()), "{lines:?}");
  assert!(lines.contains(&"Opening AOF incr file appendonly.aof.1.incr.aof on server start".to_string()), "{lines:?}");
  // DEBUG LOADAOF: handed over, then the engine empties the dataset and loads the files again.
  again.cmd(&["SET", "late", "write"]);
  let pending = again.engine.feed(again.slot, &common::encode(&[b"DEBUG", b"LOADAOF"])).pending.unwrap();
  assert_eq!(pending.name, "debug|loadaof");
  again.engine.telemetry.log_lines.clear();
  assert!(again.engine.debug_load_aof());
  assert_eq!(log(&mut again).last().map(String::as_str), Some("# Append Only File loaded by DEBUG LOADAOF"));
  assert_eq!(again.cmd(&["GET", "late"]), "$5\r\nwrite\r\n");
  assert_ne!(again.cmd(&["DEBUG", "DIGEST"]), digest);
}

/// BGREWRITEAOF: a new incremental file at once, the snapshot as the next base, then the old
/// base and incremental files retired to history and deleted; the dataset reloads the same,
/// with an RDB base and with a base of commands (`aof-use-rdb-preamble no`).
#[test]
fn rewrites_rotate_the_files() {
  for preamble in ["yes", "no"] {
    let dir = scratch(&format!("rewrite-{preamble}"));
    let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"], &["aof-use-rdb-preamble", preamble]]);
    assert!(ok);
    fill(&mut c);
    assert_eq!(c.cmd(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    c.cmd(&["SET", "after", "rewrite"]);
    finish_rewrite(&mut c);
    let suffix = if preamble == "yes" { "rdb" } else { "aof" };
    assert_eq!(
      manifest(&dir),
      format!("file appendonly.aof.2.base.{suffix} seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n")
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.join("appendonlydir"))
      .unwrap()
      .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
      .collect();
    files.sort();
    assert_eq!(
      files,
      [format!("appendonly.aof.2.base.{suffix}"), "appendonly.aof.2.incr.aof".into(), "appendonly.aof.manifest".into()]
    );
    if preamble == "no" {
      let base = std::fs::read_to_string(dir.join("appendonlydir/appendonly.aof.2.base.aof")).unwrap();
      assert!(base.starts_with("*3\r\n$8\r\nFUNCTION\r\n$4\r\nLOAD\r\n"), "{base}");
      assert!(base.contains("$6\r\nXCLAIM\r\n"), "{base}");
      assert!(base.contains("$14\r\nCREATECONSUMER\r\n"), "{base}");
      assert!(base.contains("$9\r\nPEXPIREAT\r\n$3\r\nttl\r\n"), "{base}");
    }
    let digest = c.cmd(&["DEBUG", "DIGEST"]);
    let info = c.cmd(&["INFO", "persistence"]);
    assert!(info.contains("aof_rewrites:1\r\n") && info.contains("aof_last_bgrewrite_status:ok"), "{info}");
    let (mut again, ok) = open_in(&dir, &[&["appendonly", "yes"], &["aof-use-rdb-preamble", preamble]]);
    assert!(ok, "{:?}", log(&mut again));
    assert_eq!(again.cmd(&["DEBUG", "DIGEST"]), digest);
    assert_eq!(again.cmd(&["XPENDING", "st", "g"]), c.cmd(&["XPENDING", "st", "g"]));
  }
}

/// CONFIG SET appendonly yes at run time: appends go to a temporary file until the first
/// rewrite made a base, then AOF is on; CONFIG SET appendonly no closes it.
#[test]
fn appendonly_turns_on_and_off_at_run_time() {
  let dir = scratch("runtime");
  let (mut c, ok) = open_in(&dir, &[]);
  assert!(ok);
  c.cmd(&["SET", "before", "1"]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "appendonly", "yes"]), "+OK\r\n");
  assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrite_in_progress:1"));
  c.cmd(&["SET", "during", "2"]);
  finish_rewrite(&mut c);
  assert_eq!(
    manifest(&dir),
    "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
  );
  let incr = std::fs::read_to_string(dir.join("appendonlydir/appendonly.aof.1.incr.aof")).unwrap();
  assert!(incr.contains("during"), "{incr}");
  assert_eq!(c.cmd(&["CONFIG", "SET", "appendonly", "no"]), "+OK\r\n");
  c.cmd(&["SET", "off", "3"]);
  assert!(c.cmd(&["INFO", "persistence"]).contains("aof_enabled:0"));
  let (mut again, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok);
  assert_eq!(again.cmd(&["MGET", "before", "during", "off"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
}

/// Under `rdb-key-save-delay` a rewrite lasts as long as Redis's child would, with an RDB
/// preamble or without: turning AOF off meanwhile stops it, as it kills Redis's child.
#[test]
fn rdb_key_save_delay_makes_rewrites_last() {
  for preamble in ["yes", "no"] {
    let dir = scratch(&format!("slow-rewrite-{preamble}"));
    let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"], &["aof-use-rdb-preamble", preamble]]);
    assert!(ok);
    c.cmd(&["SET", "k", "v"]);
    assert_eq!(c.cmd(&["CONFIG", "SET", "rdb-key-save-delay", "10000000"]), "+OK\r\n");
    assert_eq!(c.cmd(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    for _ in 0..20 {
      c.engine.tick();
      std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrite_in_progress:1"), "preamble {preamble}");
    log(&mut c);
    assert_eq!(c.cmd(&["CONFIG", "SET", "appendonly", "no"]), "+OK\r\n");
    assert!(log(&mut c).iter().any(|line| line.contains("Killing running AOF rewrite child")));
    assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrite_in_progress:0"));
  }
}

fn total_forks(c: &mut Client) -> String {
  let info = c.cmd(&["INFO", "stats"]);
  info.lines().find_map(|line| line.strip_prefix("total_forks:")).unwrap().to_string()
}

/// Inside a transaction, BGREWRITEAOF and turning AOF on schedule the rewrite, which the
/// periodic work starts, as in Redis; `total_forks` counts every background save and rewrite.
#[test]
fn rewrites_asked_for_in_a_transaction_are_scheduled() {
  let dir = scratch("in-exec");
  let (mut c, ok) = open_in(&dir, &[]);
  assert!(ok);
  assert_eq!(total_forks(&mut c), "0");
  c.cmd(&["MULTI"]);
  c.cmd(&["SET", "foo", "bar"]);
  c.cmd(&["CONFIG", "SET", "appendonly", "yes"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n+OK\r\n+OK\r\n");
  assert!(log(&mut c).contains(
    &"# AOF was enabled during a transaction. An AOF background was scheduled to start when possible.".to_string()
  ));
  assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrite_scheduled:1"));
  assert_eq!(total_forks(&mut c), "0");
  c.engine.tick();
  assert_eq!(total_forks(&mut c), "1");
  finish_rewrite(&mut c);

  c.cmd(&["MULTI"]);
  c.cmd(&["BGREWRITEAOF"]);
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n+Background append only file rewriting scheduled\r\n");
  c.engine.tick();
  assert_eq!(total_forks(&mut c), "2");
  finish_rewrite(&mut c);
  assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
  assert_eq!(total_forks(&mut c), "3");
  let rewrites = |c: &mut Client| common::info_field(c, "persistence", "aof_rewrites");
  assert_eq!(rewrites(&mut c), "2");
  assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), "+OK\r\n");
  assert_eq!(total_forks(&mut c), "0");
  assert_eq!(rewrites(&mut c), "0");
}

/// A file cut inside a command, or inside MULTI … EXEC: with `aof-load-truncated` the last file
/// is cut back to its last whole command (or transaction) and loads, as Redis logs it;
/// without it the server does not start.
#[test]
fn truncated_files_load_as_aof_load_truncated_says() {
  let dir = scratch("truncated");
  let (mut c, _) = open_in(&dir, &[&["appendonly", "yes"]]);
  c.cmd(&["SET", "a", "1"]);
  c.raw(&common::encode(&[b"MULTI"]));
  c.cmd(&["SET", "b", "2"]);
  c.cmd(&["SET", "c", "3"]);
  c.cmd(&["EXEC"]);
  let path = dir.join("appendonlydir/appendonly.aof.1.incr.aof");
  let whole = std::fs::read(&path).unwrap();
  // Everything up to the EXEC: the transaction is incomplete and goes.
  let cut = whole.len() - b"*1\r\n$4\r\nEXEC\r\n".len();
  std::fs::write(&path, &whole[..cut]).unwrap();
  let (mut refused, ok) = open_in(&dir, &[&["appendonly", "yes"], &["aof-load-truncated", "no"]]);
  assert!(!ok);
  let lines = log(&mut refused);
  assert!(
    lines
      .last()
      .unwrap()
      .starts_with("# Unexpected end of file reading the append only file appendonly.aof.1.incr.aof"),
    "{lines:?}"
  );
  let (mut loaded, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok);
  let lines = log(&mut loaded);
  let transaction = "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n*1\r\n$4\r\nEXEC\r\n";
  assert!(whole.ends_with(transaction.as_bytes()));
  let valid = whole.len() - transaction.len();
  assert!(
    lines.contains(&format!("# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset {valid} !!!")),
    "{lines:?}"
  );
  assert!(
    lines.contains(&"# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled".to_string())
  );
  assert_eq!(std::fs::metadata(&path).unwrap().len(), valid as u64);
  assert_eq!(loaded.cmd(&["MGET", "a", "b", "c"]), "*3\r\n$1\r\n1\r\n$-1\r\n$-1\r\n");
}

/// Nothing expires while the AOF loads, as in Redis: a PEXPIREAT in the past sets the time
/// instead of deleting the key, so the commands after it find the key as it was when they were
/// written; once loaded the key is expired. Likewise for GETEX PXAT and RESTORE ABSTTL.
#[test]
fn keys_do_not_expire_while_the_aof_loads() {
  let dir = scratch("loading-expiry");
  drop(open_in(&dir, &[&["appendonly", "yes"]]));
  let mut source = Client::new();
  source.cmd(&["SET", "x", "v"]);
  let dumped = source.raw(&common::encode(&[b"DUMP", b"x"]));
  let payload_start = dumped.iter().position(|&b| b == b'\n').unwrap() + 1;
  let payload = &dumped[payload_start..dumped.len() - 2];
  let mut incr = Vec::new();
  for command in [
    &[&b"RPUSH"[..], b"list", b"foo"][..],
    &[b"PEXPIREAT", b"list", b"1000"],
    &[b"RPUSH", b"list", b"bar"],
    &[b"SET", b"s", b"1"],
    &[b"GETEX", b"s", b"PXAT", b"1000"],
    &[b"APPEND", b"s", b"2"],
    &[b"RESTORE", b"r", b"1000", payload, b"ABSTTL"],
  ] {
    incr.extend(common::encode(command));
  }
  std::fs::write(dir.join("appendonlydir/appendonly.aof.1.incr.aof"), &incr).unwrap();
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok, "{:?}", log(&mut c));
  assert_eq!(c.cmd(&["DBSIZE"]), ":3\r\n", "loaded with their times");
  assert_eq!(c.cmd(&["LLEN", "list"]), ":0\r\n");
  assert_eq!(c.cmd(&["GET", "s"]), "$-1\r\n");
  assert_eq!(c.cmd(&["GET", "r"]), "$-1\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
}

/// A read-only replica loading its AOF runs the scripts in it, writes included: the loader is
/// obeyed, as a master is.
#[test]
fn a_read_only_replica_replays_the_scripts_of_its_aof() {
  let dir = scratch("replica-scripts");
  drop(open_in(&dir, &[&["appendonly", "yes"]]));
  let mut incr = Vec::new();
  for command in [
    &[&b"SELECT"[..], b"9"][..],
    &[b"EVAL", b"redis.call('set',KEYS[1],'100')", b"1", b"foo"],
    &[b"EVAL", b"redis.call('incr',KEYS[1])", b"1", b"foo"],
  ] {
    incr.extend(common::encode(command));
  }
  std::fs::write(dir.join("appendonlydir/appendonly.aof.1.incr.aof"), &incr).unwrap();
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"], &["replicaof", "127.0.0.1", "0"]]);
  assert!(ok, "{:?}", log(&mut c));
  c.cmd(&["SELECT", "9"]);
  assert_eq!(c.cmd(&["GET", "foo"]), "$3\r\n101\r\n");
  // Its clients' scripts still may not write.
  let refused = c.cmd(&["EVAL", "return redis.call('incr',KEYS[1])", "1", "foo"]);
  assert!(refused.starts_with("-READONLY You can't write against a read only replica. script: "), "{refused}");
}

/// DEBUG AOF-FLUSH-SLEEP holds each write of the AOF buffer (before the reply goes out).
#[test]
fn debug_aof_flush_sleep_holds_the_writes() {
  let dir = scratch("flush-sleep");
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok);
  assert_eq!(c.cmd(&["DEBUG", "AOF-FLUSH-SLEEP", "30000"]), "+OK\r\n");
  let started = std::time::Instant::now();
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
  assert!(started.elapsed() >= std::time::Duration::from_millis(30));
  assert_eq!(c.cmd(&["DEBUG", "AOF-FLUSH-SLEEP", "0"]), "+OK\r\n");
}

/// Bad contents stop the start with Redis's messages: a malformed manifest, a file that is
/// not commands, an unknown command, a missing file.
#[test]
fn bad_files_stop_the_start() {
  let cases: [(&str, &[u8], &str); 3] = [
    ("format", b"*1\r\n$4\r\nPING\r\nhello\r\n", "# Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"),
    ("unknown", b"*1\r\n$7\r\nNOTACMD\r\n", "# Unknown command 'NOTACMD' reading the append only file appendonly.aof.1.incr.aof"),
    ("annotated", b"#TS:1700000000\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", ""),
  ];
  for (name, incr, expected) in cases {
    let dir = scratch(name);
    drop(open_in(&dir, &[&["appendonly", "yes"]]));
    std::fs::write(dir.join("appendonlydir/appendonly.aof.1.incr.aof"), incr).unwrap();
    let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
    let lines = log(&mut c);
    assert_eq!(ok, expected.is_empty(), "{name}: {lines:?}");
    if !ok {
      assert_eq!(lines.last().map(String::as_str), Some(expected), "{name}");
    } else {
      assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    }
  }
  let dir = scratch("manifest");
  std::fs::create_dir_all(dir.join("appendonlydir")).unwrap();
  std::fs::write(dir.join("appendonlydir/appendonly.aof.manifest"), "file x seq 1 type q\n").unwrap();
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(!ok);
  assert_eq!(
    log(&mut c),
    [
      "# *** FATAL AOF MANIFEST FILE ERROR ***",
      "# Reading the manifest file, at line 1",
      "# >>> 'file x seq 1 type q'",
      "# Unknown AOF file type"
    ]
  );
  std::fs::write(dir.join("appendonlydir/appendonly.aof.manifest"), "file gone.aof seq 1 type b\n").unwrap();
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(!ok);
  assert_eq!(log(&mut c), ["# Unable to obtain the AOF file gone.aof length. stat: No such file or directory"]);
}

/// An old single-file `appendonly.aof` (an RDB preamble and commands) moves into the directory
/// as the base and loads.
#[test]
fn an_old_single_file_aof_is_upgraded() {
  let dir = scratch("upgrade");
  let mut source = Client::new();
  source.cmd(&["SET", "from", "rdb"]);
  let mut old = source.engine.rdb_snapshot();
  old.extend_from_slice(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$3\r\naof\r\n");
  std::fs::write(dir.join("appendonly.aof"), old).unwrap();
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"]]);
  assert!(ok, "{:?}", log(&mut c));
  assert_eq!(c.cmd(&["MGET", "from", "tail"]), "*2\r\n$3\r\nrdb\r\n$3\r\naof\r\n");
  assert!(!dir.join("appendonly.aof").exists());
  assert_eq!(manifest(&dir), "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
}

/// With `aof-timestamp-enabled`, a `#TS:` annotation precedes the writes of each new second.
#[test]
fn timestamps_annotate_the_file() {
  let dir = scratch("timestamps");
  let (mut c, _) = open_in(&dir, &[&["appendonly", "yes"], &["aof-timestamp-enabled", "yes"]]);
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "2"]);
  let incr = std::fs::read_to_string(dir.join("appendonlydir/appendonly.aof.1.incr.aof")).unwrap();
  assert!(incr.starts_with("#TS:"), "{incr}");
  // One per second: the two writes share it unless a second boundary fell between them.
  assert!((1..=2).contains(&incr.matches("#TS:").count()), "{incr}");
}

/// `auto-aof-rewrite-percentage` and `auto-aof-rewrite-min-size`: once the AOF has grown past
/// the minimum and by the percentage since the last rewrite, the periodic work starts one.
#[test]
fn the_aof_rewrites_itself_as_it_grows() {
  let dir = scratch("auto");
  let (mut c, ok) = open_in(
    &dir,
    &[&["appendonly", "yes"], &["auto-aof-rewrite-percentage", "100"], &["auto-aof-rewrite-min-size", "4096"]],
  );
  assert!(ok);
  c.engine.tick();
  assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrites:0"));
  let value = "v".repeat(100);
  for i in 0..100 {
    c.cmd(&["SET", &format!("k{i}"), &value]);
  }
  log(&mut c);
  c.engine.tick();
  let lines = log(&mut c);
  assert!(lines.iter().any(|line| line.starts_with("Starting automatic rewriting of AOF on ")), "{lines:?}");
  finish_rewrite(&mut c);
  let info = c.cmd(&["INFO", "persistence"]);
  assert!(info.contains("aof_rewrites:1"), "{info}");
  // The base is now the size the growth is measured from: no second rewrite yet.
  c.engine.tick();
  assert!(c.cmd(&["INFO", "persistence"]).contains("aof_rewrites:1"));
  assert!(manifest(&dir).starts_with("file appendonly.aof.2.base.rdb seq 2 type b\n"));
}

/// XADD/XTRIM with `~` and LIMIT go to the AOF as exact trims that keep their LIMIT (as Redis
/// writes them); replayed, LIMIT is accepted without `~` and limits nothing, so the stream
/// comes back as it was even with another node size.
#[test]
fn approximate_trims_with_limit_replay_exactly() {
  let dir = scratch("stream-limit");
  let (mut c, ok) = open_in(&dir, &[&["appendonly", "yes"], &["stream-node-max-entries", "10"]]);
  assert!(ok);
  for _ in 0..100 {
    c.cmd(&["XADD", "s", "*", "f", "v"]);
  }
  c.cmd(&["XADD", "s", "MAXLEN", "~", "55", "LIMIT", "30", "*", "f", "v"]);
  assert_eq!(c.cmd(&["XLEN", "s"]), ":71\r\n");
  c.cmd(&["XTRIM", "s", "MINID", "~", "0-0", "LIMIT", "30"]);
  let digest = c.cmd(&["DEBUG", "DIGEST"]);
  let incr = std::fs::read(dir.join("appendonlydir/appendonly.aof.1.incr.aof")).unwrap();
  assert!(String::from_utf8_lossy(&incr).contains("MAXLEN\r\n$1\r\n=\r\n$2\r\n71\r\n$5\r\nLIMIT\r\n$2\r\n30\r\n"));
  // Typed by a client, LIMIT without `~` is still refused.
  assert_eq!(
    c.cmd(&["XTRIM", "s", "MAXLEN", "=", "71", "LIMIT", "30"]),
    "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
  );
  c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "1"]);
  assert!(c.engine.debug_load_aof());
  assert_eq!(c.cmd(&["XLEN", "s"]), ":71\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), digest);
}
