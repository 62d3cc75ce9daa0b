//! Byte-level protocol tests through `Engine::feed`: pipelining, split reads, inline commands,
//! protocol errors, and the dispatcher's unknown-command and arity errors.

mod common;
use common::{encode, Client};

#[test]
fn pipeline_in_one_read_gives_all_replies_in_order() {
  let mut c = Client::new();
  let mut input = Vec::new();
  for i in 0..100 {
    input.extend(encode(&[b"SET", format!("k{i}").as_bytes(), b"v"]));
    input.extend(encode(&[b"GET", format!("k{i}").as_bytes()]));
  }
  let expected = "+OK\r\n$1\r\nv\r\n".repeat(100);
  assert_eq!(String::from_utf8(c.raw(&input)).unwrap(), expected);
}

#[test]
fn split_at_every_byte_gives_the_same_replies() {
  let input = [encode(&[b"SET", b"key", b"value"]), b"PING\r\n".to_vec(), encode(&[b"GET", b"key"])].concat();
  let expected = b"+OK\r\n+PONG\r\n$5\r\nvalue\r\n";
  for split in 0..=input.len() {
    let mut c = Client::new();
    let mut out = c.raw(&input[..split]);
    out.extend(c.raw(&input[split..]));
    assert_eq!(out, expected, "split at {split}");
  }
  // One byte per read.
  let mut c = Client::new();
  let out: Vec<u8> = input.iter().flat_map(|b| c.raw(&[*b])).collect();
  assert_eq!(out, expected);
}

#[test]
fn inline_commands() {
  let mut c = Client::new();
  assert_eq!(c.raw(b"SET a \"b c\"\r\nGET a\n\r\n  \r\nECHO 'x y'\r\n"), b"+OK\r\n$3\r\nb c\r\n$3\r\nx y\r\n");
}

#[test]
fn protocol_error_replies_then_closes() {
  let mut engine = redwing_engine::Engine::default();
  let slot = engine.open(Default::default());
  let out = engine.feed(slot, b"PING\r\n*1\r\n+PING\r\nPING\r\n");
  assert_eq!(out.reply, b"+PONG\r\n-ERR Protocol error: expected '$', got '+'\r\n");
  assert!(out.close);
  let out = engine.feed(slot, b"*abc\r\n");
  assert_eq!(out.reply, b"-ERR Protocol error: invalid multibulk length\r\n");
}

#[test]
fn unknown_command_and_arity_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["FOO", "a", "b"]), "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
  assert_eq!(c.cmd(&["foo"]), "-ERR unknown command 'foo', with args beginning with: \r\n");
  assert_eq!(c.cmd(&["GET"]), "-ERR wrong number of arguments for 'get' command\r\n");
  assert_eq!(c.cmd(&["get", "a", "b"]), "-ERR wrong number of arguments for 'get' command\r\n");
}

#[test]
fn quit_closes_after_reply_and_ignores_the_rest() {
  let mut engine = redwing_engine::Engine::default();
  let slot = engine.open(Default::default());
  let out = engine.feed(slot, b"PING\r\nQUIT\r\nPING\r\n");
  assert_eq!(out.reply, b"+PONG\r\n+OK\r\n");
  assert!(out.close);
}

#[test]
fn a_client_over_the_query_buffer_limit_is_closed_without_a_reply() {
  let mut engine = redwing_engine::Engine::default();
  redwing_engine::cmd::server::config::load_directive(&mut engine, &[b"client-query-buffer-limit", b"1mb"]).unwrap();
  let slot = engine.open(Default::default());
  // A bulk announced as 2 MB, sent in 64 KB reads: the partial request is buffered until it
  // passes the limit.
  let mut out = engine.feed(slot, b"*2\r\n$3\r\nSET\r\n$2097152\r\n");
  let chunk = vec![b'x'; 64 * 1024];
  let mut reads = 0;
  while !out.close {
    out = engine.feed(slot, &chunk);
    reads += 1;
    assert!(reads < 40, "still open after {reads} reads");
  }
  assert!(out.reply.is_empty());
  assert!(reads >= 16, "closed after only {reads} reads");
}
