//! The append-only file's command log (`aof.rs`): the engine's write stream encoded as
//! redis-server 7.0.15 appends the same writes to its AOF, and an AOF redis-server wrote replayed
//! into the engine.

mod common;
use common::Client;

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
  let mut encoder = redwing_engine::aof::AofEncoder::default();
  let mut aof = Vec::new();
  encoder.encode(&c.engine.take_writes(), &mut aof);
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
  assert_eq!(c.engine.replay_commands(REDIS_AOF.as_bytes()), Ok(16));
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), REDIS_DIGEST);
  assert!(c.writes().is_empty(), "a replay records no writes");
  // A file cut inside a command: everything before the cut ran, and its length comes back.
  let mut fresh = Client::new();
  let cut = REDIS_AOF.len() - 5;
  let complete = REDIS_AOF[..cut].rfind("*").unwrap();
  assert_eq!(fresh.engine.replay_commands(&REDIS_AOF.as_bytes()[..cut]), Err(complete));
}
