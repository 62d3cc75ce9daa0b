//! EVAL as redis-server 7.0.15 runs it: conversions both ways, errors and where they were
//! raised, the sandbox, the `redis` API. Each case runs `EVAL <script> 1 key val` on a fresh
//! server; the expected replies were taken from redis-server 7.0.15.

mod common;
use common::Client;

fn eval(script: &str) -> Vec<u8> {
  let mut c = Client::new();
  let args: [&[u8]; 5] = [b"EVAL", script.as_bytes(), b"1", b"key", b"val"];
  c.raw(&common::encode(&args))
}

#[test]
fn scripts_reply_as_redis_does() {
  let cases: &[(&str, &str)] = &[
    ("return 1", ":1\r\n"),
    ("return {1,2,3,'ciao',{1,2}}", "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n"),
    ("return redis.call('set',KEYS[1],ARGV[1])", "+OK\r\n"),
    ("redis.call('set',KEYS[1],ARGV[1]) return redis.call('get',KEYS[1])", "$3\r\nval\r\n"),
    ("return redis.call('incr','x')", ":1\r\n"),
    ("return redis.call('nosuch')", "-ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.\r\n"),
    ("return redis.pcall('incr','a','b')", "-ERR Wrong number of args calling Redis command from script\r\n"),
    ("return redis.call('incr','a','b')", "-ERR Wrong number of args calling Redis command from script script: 6eba4e311779d6008f131fae6b48c40f8247503f, on @user_script:1.\r\n"),
    ("x = 5", "-ERR user_script:1: Attempt to modify a readonly table script: 818a330663e3c3e78469660421595218e5ab5c48, on @user_script:1.\r\n"),
    ("return undefinedvar", "-ERR user_script:1: Script attempted to access nonexistent global variable 'undefinedvar' script: 3a7a0da27ed9511341f5b4d17f1bcac3aa887d8c, on @user_script:1.\r\n"),
    ("return {err='My Error'}", "-My Error\r\n"),
    ("return redis.error_reply('My Error')", "-My Error\r\n"),
    ("return redis.status_reply('FINE')", "+FINE\r\n"),
    ("return 3.99", ":3\r\n"),
    ("return -3.99", ":-3\r\n"),
    ("return true", ":1\r\n"),
    ("return false", "$-1\r\n"),
    ("return nil", "$-1\r\n"),
    ("return {1,nil,3}", "*1\r\n:1\r\n"),
    ("redis.setresp(3); return redis.call('hgetall','h')", "*0\r\n"),
    ("redis.setresp(3); return redis.call('zscore','z','a')", "$-1\r\n"),
    ("return tostring(redis.call('get','nokey'))", "$5\r\nfalse\r\n"),
    ("return type(redis.call('set','k','v'))", "$5\r\ntable\r\n"),
    ("return redis.call('set','k','v').ok", "$2\r\nOK\r\n"),
    ("return cmsgpack.pack(1,2,3)", "$3\r\n\x01\x02\x03\r\n"),
    ("return redis.sha1hex('')", "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n"),
    ("return {1e30}", "*1\r\n:-9223372036854775808\r\n"),
    ("rawset(_G,'x',1)", "-ERR Attempt to modify a readonly table script: 90860ee597073785c7a12c667667abc4495e2c78, on @user_script:1.\r\n"),
    ("setmetatable(_G,{})", "-ERR Attempt to modify a readonly table script: e8f1b52cec0990f58c59b37010d130cfdce9e1a5, on @user_script:1.\r\n"),
    ("redis.call = function() end", "-ERR user_script:1: Attempt to modify a readonly table script: 951ce4568fa00924c32b1d3295dab7feae5aaef1, on @user_script:1.\r\n"),
    ("return loadstring('return 1')()", ":1\r\n"),
    ("return print", "-ERR user_script:1: Script attempted to access nonexistent global variable 'print' script: df4c752a7558004676bbee87e38b92e0b9056d68, on @user_script:1.\r\n"),
    ("local t = {} t.x = 1 return t.x", ":1\r\n"),
    ("return redis.call('blpop','nolist',0)", "-ERR This Redis command is not allowed from script script: abca6f0af300bbde50e15c9226201a7d087652cf, on @user_script:1.\r\n"),
    ("return redis.call('subscribe','x')", "-ERR This Redis command is not allowed from script script: 2f334966be3d5602175118691c9d198b0a695e53, on @user_script:1.\r\n"),
    ("redis.call('select',1) return redis.call('set','dbone','1')", "+OK\r\n"),
    ("return _G.foo", "-ERR user_script:1: Script attempted to access nonexistent global variable 'foo' script: 14b334a3e1207cac27cf13552a3fe5249fbac092, on @user_script:1.\r\n"),
    ("return redis.REDIS_VERSION", "$6\r\n7.0.15\r\n"),
    ("return redis.setresp(4)", "-ERR RESP version must be 2 or 3. script: 921c0a48021d97dfd5884aeea41875972c7804d9, on @user_script:1.\r\n"),
    ("return redis.call()", "-ERR Please specify at least one argument for this redis lib call script: 0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1.\r\n"),
    ("return redis.call({})", "-ERR Lua redis lib command arguments must be strings or integers script: 80747816df1f4411f7c442b928fce6a814214839, on @user_script:1.\r\n"),
    ("return redis.call('get',{})", "-ERR Lua redis lib command arguments must be strings or integers script: 4deb073a545207f215b56dcef5ca825f9f406808, on @user_script:1.\r\n"),
    ("return redis.call('get',1.5)", "$-1\r\n"),
    ("return redis.call('echo', 0.1)", "$19\r\n0.10000000000000001\r\n"),
    ("return redis.call('echo', 100)", "$3\r\n100\r\n"),
    ("error('boom')", "-ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.\r\n"),
    ("error({err='CUSTOM boom'})", "-CUSTOM boom script: 04d39340f134fecca222bb279e1aa1d64359c655, on @user_script:1.\r\n"),
    ("local ok, e = pcall(function() error({err='X y'}) end) return e", "$3\r\nX y\r\n"),
    ("local ok, e = pcall(redis.call, 'nosuch') return e", "$44\r\nERR Unknown Redis command called from script\r\n"),
    ("return pcall(error)", "$-1\r\n"),
  ];
  let mut failures = Vec::new();
  for (script, expected) in cases {
    let reply = eval(script);
    if reply != expected.as_bytes() {
      failures.push(format!("{script}\n  expected {expected:?}\n  got      {:?}", String::from_utf8_lossy(&reply)));
    }
  }
  assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

/// The writes of a script replay as Redis 7.0.15 propagates them (read from its AOF): one
/// write as itself, several wrapped in MULTI/EXEC, rewritten as their commands rewrite
/// themselves, in the database the script selected, and not at all under REPL_NONE.
#[test]
fn script_writes_are_propagated_as_redis_does() {
  let mut c = Client::new();
  c.record_writes();
  let run = |c: &mut Client, script: &str| {
    let args: [&[u8]; 3] = [b"EVAL", script.as_bytes(), b"0"];
    c.raw(&common::encode(&args));
    c.writes()
  };
  assert_eq!(
    run(&mut c, "redis.call('set','a','1') redis.call('incr','n') return 1"),
    ["0: MULTI", "0: set a 1", "0: incr n", "0: EXEC"]
  );
  assert_eq!(run(&mut c, "return redis.call('set','b','2')"), ["0: set b 2"]);
  c.cmd(&["SADD", "s", "x"]);
  c.writes();
  assert_eq!(run(&mut c, "return redis.call('spop','s')"), ["0: SREM s x"]);
  let script = "redis.set_repl(redis.REPL_NONE) redis.call('set','c','3') redis.set_repl(redis.REPL_ALL) \
                redis.call('set','d','4')";
  assert_eq!(run(&mut c, script), ["0: set d 4"]);
  assert_eq!(run(&mut c, "return redis.call('get','a')"), Vec::<String>::new());
  assert_eq!(run(&mut c, "redis.call('select','1') redis.call('set','e','5') return 1"), ["1: set e 5"]);
  let expiring = run(&mut c, "redis.call('set','f','6','EX','100') return 1");
  assert_eq!(expiring.len(), 1);
  assert!(expiring[0].starts_with("0: SET f 6 PXAT "), "{expiring:?}");
  assert_eq!(c.cmd(&["SELECT", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "a"]), "$1\r\n1\r\n");
}

/// A script's writes break WATCHes, wake blocked clients once the script has ended, and fire
/// the keyspace events of the commands it called.
#[test]
fn script_writes_signal_like_commands() {
  let mut c = Client::new();
  let listener = c.listen_events("KEA");
  let watcher = c.other();
  assert_eq!(c.send_as(watcher, &["WATCH", "w"]), "+OK\r\n");
  let waiter = c.other();
  assert_eq!(c.send_as(waiter, &["BLPOP", "list", "0"]), "");
  let script = "redis.call('set','w','1') redis.call('rpush','list','a','b') return redis.call('lpop','list')";
  let args: [&[u8]; 3] = [b"EVAL", script.as_bytes(), b"0"];
  assert_eq!(c.raw(&common::encode(&args)), b"$1\r\na\r\n");
  let outbox = c.take_outbox();
  let woken: Vec<&String> = outbox.iter().filter(|(slot, _)| *slot == waiter).map(|(_, text)| text).collect();
  assert_eq!(woken, ["*2\r\n$4\r\nlist\r\n$1\r\nb\r\n"]);
  let events: Vec<String> = outbox
    .iter()
    .filter(|(slot, _)| *slot == listener)
    .flat_map(|(_, text)| common::bulk_strings(text.as_bytes()))
    .filter(|item| item.starts_with("__keyevent@0__:"))
    .collect();
  assert_eq!(
    events,
    // The script's three, then the served BLPOP's, which empties the list.
    ["__keyevent@0__:set", "__keyevent@0__:rpush", "__keyevent@0__:lpop", "__keyevent@0__:lpop", "__keyevent@0__:del"]
  );
  assert_eq!(c.send_as(watcher, &["MULTI"]), "+OK\r\n");
  assert_eq!(c.send_as(watcher, &["GET", "w"]), "+QUEUED\r\n");
  assert_eq!(c.send_as(watcher, &["EXEC"]), "*-1\r\n");
}

/// The script debugger is not available: SCRIPT DEBUG NO is accepted, YES and SYNC (which
/// redis-server accepts, switching the connection to its debugger) are refused, and anything
/// else gets Redis's error.
#[test]
fn script_debug_refuses_the_debugger() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SCRIPT", "DEBUG", "NO"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SCRIPT", "DEBUG", "YES"]), "-ERR SCRIPT DEBUG is not supported\r\n");
  assert_eq!(c.cmd(&["SCRIPT", "DEBUG", "SYNC"]), "-ERR SCRIPT DEBUG is not supported\r\n");
  assert_eq!(c.cmd(&["SCRIPT", "DEBUG", "MAYBE"]), "-ERR Use SCRIPT DEBUG YES/SYNC/NO\r\n");
}
