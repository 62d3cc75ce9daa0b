//! What a hostile or careless client cannot do to the engine: requests that promise more than
//! the protocol allows are refused as Redis refuses them, a query buffer that outgrows
//! `client-query-buffer-limit` closes its connection with Redis's log line, and replies a
//! client does not read are bounded by `client-output-buffer-limit`, whether they pile up in one
//! read's pipeline or behind a congested socket.

mod common;
use common::{encode, Client};

const INVALID_BULK: &[u8] = b"-ERR Protocol error: invalid bulk length\r\n";
const INVALID_MULTIBULK: &[u8] = b"-ERR Protocol error: invalid multibulk length\r\n";

/// The log lines the engine left for the host since the last call.
fn log(c: &mut Client) -> Vec<String> {
  std::mem::take(&mut c.engine.telemetry.log_lines)
}

#[test]
fn a_bulk_longer_than_proto_max_bulk_len_is_refused_and_closes() {
  for header in
    [&b"*1\r\n$2147483648\r\n"[..], b"*1\r\n$536870913\r\n", b"*2\r\n$3\r\nGET\r\n$99999999999999999999\r\n"]
  {
    let mut c = Client::new();
    let out = c.engine.feed(c.slot, header);
    assert_eq!(out.reply, INVALID_BULK, "{}", String::from_utf8_lossy(header));
    assert!(out.close);
  }
  // Exactly proto-max-bulk-len is a request like any other, waiting for its payload.
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, b"*1\r\n$536870912\r\n");
  assert!(out.reply.is_empty() && !out.close);
  // The limit is the configured one.
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]), "+OK\r\n");
  let out = c.engine.feed(c.slot, b"*2\r\n$3\r\nGET\r\n$1048577\r\n");
  assert_eq!(out.reply, INVALID_BULK);
  assert!(out.close);
}

#[test]
fn a_multibulk_count_over_int_max_is_refused_and_closes() {
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, b"*2147483648\r\n");
  assert_eq!(out.reply, INVALID_MULTIBULK);
  assert!(out.close);
  // Redis 7.0 takes any count up to INT_MAX and waits for the arguments; so does the engine,
  // without making room for them in advance.
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, b"*2147483647\r\n$4\r\nPING\r\n");
  assert!(out.reply.is_empty() && !out.close);
}

#[test]
fn an_inline_request_over_64kb_without_a_newline_is_refused() {
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, &vec![b'a'; 64 * 1024]);
  assert!(out.reply.is_empty() && !out.close, "64 KB exactly still waits for its newline");
  let out = c.engine.feed(c.slot, b"a");
  assert_eq!(out.reply, b"-ERR Protocol error: too big inline request\r\n");
  assert!(out.close);
}

#[test]
fn a_count_line_over_64kb_is_refused() {
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, &[&b"*"[..], &vec![b'1'; 64 * 1024]].concat());
  assert_eq!(out.reply, b"-ERR Protocol error: too big mbulk count string\r\n");
  let mut c = Client::new();
  let out = c.engine.feed(c.slot, &[&b"*1\r\n$"[..], &vec![b'1'; 64 * 1024]].concat());
  assert_eq!(out.reply, b"-ERR Protocol error: too big bulk count string\r\n");
}

#[test]
fn an_unauthenticated_client_cannot_announce_large_requests() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "requirepass", "secret"]), "+OK\r\n");
  let stranger = c.other();
  let out = c.engine.feed(stranger, b"*11\r\n");
  assert_eq!(out.reply, b"-ERR Protocol error: unauthenticated multibulk length\r\n");
  assert!(out.close);
  let stranger = c.other();
  let out = c.engine.feed(stranger, b"*1\r\n$16385\r\n");
  assert_eq!(out.reply, b"-ERR Protocol error: unauthenticated bulk length\r\n");
  assert!(out.close);
}

#[test]
fn a_query_buffer_over_its_limit_closes_with_redis_log_line() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-query-buffer-limit", "1mb"]), "+OK\r\n");
  log(&mut c);
  let mut out = c.engine.feed(c.slot, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n");
  let chunk = vec![b'x'; 64 * 1024];
  let mut reads = 0;
  while !out.close {
    out = c.engine.feed(c.slot, &chunk);
    reads += 1;
    assert!(reads <= 16, "still open after {reads} reads");
  }
  // Closed by the read that would have taken the buffer past 1 MB, without a reply.
  assert_eq!(reads, 16);
  assert!(out.reply.is_empty());
  let lines = log(&mut c);
  assert_eq!(lines.len(), 1, "{lines:?}");
  assert!(lines[0].starts_with("# Closing client that reached max query buffer length: id="), "{lines:?}");
  // Redis keeps a large bulk's payload alone at the start of its query buffer: the line quotes
  // (and qbuf counts) from there.
  assert!(lines[0].ends_with(&format!(r#"(qbuf initial bytes: "{}")"#, "x".repeat(64))), "{lines:?}");
  assert!(lines[0].contains(" qbuf=1048576 "), "{lines:?}");
}

#[test]
fn a_pipeline_of_large_replies_is_cut_off_at_the_normal_hard_limit() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "big", &"v".repeat(100_000)]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"]), "+OK\r\n");
  log(&mut c);
  // 100 GETs of 100 KB in one read would make 10 MB of replies: the engine stops at 1 MB.
  let pipeline = encode(&[b"GET", b"big"]).repeat(100);
  let out = c.engine.feed(c.slot, &[&pipeline[..], &encode(&[b"SET", b"after", b"1"])].concat());
  assert!(out.reply.is_empty());
  assert_eq!(c.engine.clients.kills, [c.slot]);
  let lines = log(&mut c);
  assert_eq!(lines.len(), 1, "{lines:?}");
  assert!(lines[0].starts_with("# Client id="), "{lines:?}");
  assert!(lines[0].ends_with(" scheduled to be closed ASAP for overcoming of output buffer limits."));
  // The commands after the limit did not run.
  let other = c.other();
  assert_eq!(c.send_as(other, &["EXISTS", "after"]), ":0\r\n");
  // Without the limit, the same pipeline is answered in full.
  assert_eq!(c.send_as(other, &["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0"]), "+OK\r\n");
  assert_eq!(c.engine.feed(other, &pipeline).reply.len(), 100 * (100_000 + 11));
}

#[test]
fn a_congested_client_with_limits_keeps_running_until_its_held_replies_reach_them() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "big", &"v".repeat(10_000)]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 100kb 0 0"]), "+OK\r\n");
  log(&mut c);
  // The host could not write 20 KB of earlier replies: they count against the limit too.
  c.engine.set_congested(c.slot, 20_000);
  let get = encode(&[b"GET", b"big"]);
  let mut reads = 0;
  loop {
    let out = c.engine.feed(c.slot, &get);
    reads += 1;
    if !c.engine.clients.kills.is_empty() {
      break;
    }
    assert!(out.reply.is_empty(), "a congested socket gets nothing now");
    assert!(reads < 20, "still connected after {reads} reads");
  }
  // As in Redis, the first 16 KB waiting (its static reply buffer) are outside the limit: 20 KB
  // queued by the host plus 9 held replies of 10 KB stay under 116 KB; the 10th breaks it.
  assert_eq!(reads, 10);
  assert_eq!(c.engine.clients.kills, [c.slot]);
  assert_eq!(log(&mut c).len(), 1);
}

/// A congested client without limits reads on, as Redis does (a client may write a whole
/// pipeline before it reads a reply): its replies wait, in order, until the socket drains.
#[test]
fn a_congested_client_without_limits_reads_on_with_its_replies_held() {
  let mut c = Client::new();
  c.engine.set_congested(c.slot, 100_000);
  for _ in 0..3 {
    let out = c.engine.feed(c.slot, &encode(&[b"INCR", b"n"]));
    assert!(out.reply.is_empty() && !out.close);
  }
  assert_eq!(c.engine.take_held(c.slot), b":1\r\n:2\r\n:3\r\n");
  let out = c.engine.feed(c.slot, &encode(&[b"PING"]));
  assert_eq!(out.reply, b"+PONG\r\n");
}

#[test]
fn the_soft_limit_disconnects_only_after_its_seconds() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "big", &"v".repeat(10_000)]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 0 50kb 1"]), "+OK\r\n");
  c.engine.set_congested(c.slot, 0);
  let get = encode(&[b"GET", b"big"]);
  for _ in 0..10 {
    c.engine.feed(c.slot, &get);
  }
  assert!(c.engine.clients.kills.is_empty(), "over the soft limit for less than its second");
  std::thread::sleep(std::time::Duration::from_millis(1100));
  c.engine.feed(c.slot, &get);
  assert_eq!(c.engine.clients.kills, [c.slot]);
}

/// Once traffic stops, the periodic work still disconnects a client that stayed over its soft
/// limit for its seconds (Redis's `clientsCron`); CLIENT LIST's `omem` shows what the limit
/// counts: every byte waiting, in the engine or the host, beyond the first 16 KB.
#[test]
fn the_soft_limit_is_checked_by_the_periodic_work_too() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SET", "big", &"v".repeat(10_000)]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "normal 0 50kb 1"]), "+OK\r\n");
  let reader = c.other();
  c.send_as(reader, &["CLIENT", "SETNAME", "slow"]);
  c.engine.set_congested(reader, 20_000);
  for _ in 0..5 {
    c.engine.feed(reader, &encode(&[b"GET", b"big"]));
  }
  let list = c.cmd(&["CLIENT", "LIST"]);
  let line = list.lines().find(|line| line.contains("name=slow")).unwrap().to_string();
  // 20,000 queued by the host and 5 replies of 10,010 bytes: 70,050, of which 16,384 in `obl`.
  assert!(line.contains(" obl=16384 oll=4 omem=53666 "), "{line}");
  c.engine.tick();
  assert!(c.engine.clients.kills.is_empty(), "over the soft limit for less than its second");
  std::thread::sleep(std::time::Duration::from_millis(1100));
  c.engine.tick();
  assert_eq!(c.engine.clients.kills, [reader]);
  // Redis's words for a client its periodic check closes.
  let logged = &c.engine.telemetry.log_lines;
  assert!(
    logged
      .iter()
      .any(|line| line.contains("name=slow") && line.ends_with(" closed for overcoming of output buffer limits.")),
    "{logged:?}"
  );
}

/// The soft limit's seconds, read as Redis reads them: a sign, an empty word (0), an `int`
/// that wraps (2^32 + 1 is 1).
#[test]
fn soft_seconds_are_read_as_a_c_int() {
  let mut c = Client::new();
  // Past i64, strtoll's bounds: LLONG_MIN is 0 as an `int`.
  let below = format!("-{}", "9".repeat(45));
  for (seconds, kept) in [("+5", "5"), ("-0", "0"), ("4294967297", "1"), (below.as_str(), "0")] {
    let value = format!("pubsub 1mb 1mb {seconds}");
    assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", &value]), "+OK\r\n");
    let all = c.cmd(&["CONFIG", "GET", "client-output-buffer-limit"]);
    assert!(all.contains(&format!("pubsub 1048576 1048576 {kept}\r\n")), "{seconds}: {all}");
  }
}
