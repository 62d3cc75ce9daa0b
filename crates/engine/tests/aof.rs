//! The append-only file's command log (`aof.rs`): the engine's write stream encoded as
//! redis-server 7.0.15 appends the same writes to its AOF.

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
