//! Client eviction (`maxmemory-clients`): the largest ordinary clients are disconnected while
//! the clients together hold more than the limit, as Redis 7.0 does it; replicas, the master
//! link, in-process sessions and `CLIENT NO-EVICT on` clients are never evicted.

mod common;
use common::{encode, info_field, Client};

/// The log lines the engine left for the host since the last call.
fn log(c: &mut Client) -> Vec<String> {
  std::mem::take(&mut c.engine.telemetry.log_lines)
}

/// A CLIENT LIST field of the session named `name`, as seen by `c`'s own session.
fn client_field(c: &mut Client, name: &str, field: &str) -> Option<u64> {
  let list = c.cmd(&["CLIENT", "LIST"]);
  let line = list.lines().find(|line| line.contains(&format!(" name={name} ")))?;
  let value = line.split(' ').find_map(|part| part.strip_prefix(&format!("{field}=")))?;
  value.parse().ok()
}

fn named(c: &mut Client, name: &str) -> u32 {
  let slot = c.other();
  assert_eq!(c.send_as(slot, &["CLIENT", "SETNAME", name]), "+OK\r\n");
  slot
}

#[test]
fn the_limit_is_bytes_or_a_percentage_of_maxmemory_as_config_get_shows_it() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "10%"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "maxmemory-clients"]), "*2\r\n$17\r\nmaxmemory-clients\r\n$3\r\n10%\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "3mb"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "maxmemory-clients"]), "*2\r\n$17\r\nmaxmemory-clients\r\n$7\r\n3145728\r\n");
  assert_eq!(
    c.cmd(&["CONFIG", "SET", "maxmemory-clients", "101%"]),
    "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less \
     or equal to 100\r\n"
  );
  assert_eq!(
    c.cmd(&["CONFIG", "SET", "maxmemory-clients", "lots"]),
    "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or \
     percent value\r\n"
  );
}

#[test]
fn a_client_whose_request_outgrows_the_limit_is_evicted_before_it_runs() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  let big = named(&mut c, "big");
  let value = "v".repeat(2 * 1024 * 1024);
  let out = c.engine.feed(big, &encode(&[b"SET", b"k", value.as_bytes()]));
  assert!(out.close && out.reply.is_empty(), "evicted without running or answering");
  c.engine.close(big);
  assert_eq!(c.cmd(&["EXISTS", "k"]), ":0\r\n");
  assert_eq!(info_field(&mut c, "stats", "evicted_clients"), "1");
  assert!(log(&mut c).iter().any(|line| line.starts_with("Evicting client: id=") && line.contains(" name=big ")));
}

#[test]
fn a_query_buffer_that_never_completes_is_evicted_at_the_end_of_the_read() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  let partial = named(&mut c, "partial");
  let mut request = b"*1\r\n$3000000\r\n".to_vec();
  request.extend(std::iter::repeat_n(b'v', 100_000));
  assert!(!c.engine.feed(partial, &request).close, "under the limit: it waits for more");
  let out = c.engine.feed(partial, &vec![b'v'; 1_200_000]);
  assert!(out.close, "over the limit once buffered");
}

#[test]
fn the_largest_clients_go_first_and_only_until_the_rest_fits() {
  let mut c = Client::new();
  // Three clients with queued transactions of growing size.
  let sizes = [("small", 20_000), ("medium", 200_000), ("large", 400_000)];
  let mut slots = Vec::new();
  for (name, size) in sizes {
    let slot = named(&mut c, name);
    assert_eq!(c.send_as(slot, &["MULTI"]), "+OK\r\n");
    assert_eq!(c.send_as(slot, &["SET", "k", &"x".repeat(size)]), "+QUEUED\r\n");
    slots.push(slot);
  }
  let total: u64 = ["small", "medium", "large"].iter().map(|name| client_field(&mut c, name, "tot-mem").unwrap()).sum();
  let own = client_field(&mut c, "", "tot-mem").unwrap_or(0);
  // Room for everyone but the large one.
  let limit = total + own - 300_000;
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", &limit.to_string()]), "+OK\r\n");
  c.cmd(&["PING"]);
  assert_eq!(c.engine.clients.kills, vec![slots[2]], "only the large client is evicted");
  assert!(client_field(&mut c, "small", "tot-mem").is_some());
  assert!(client_field(&mut c, "medium", "tot-mem").is_some());
}

#[test]
fn no_evict_clients_replicas_and_in_process_sessions_are_never_evicted() {
  let mut c = Client::new();
  let kept = named(&mut c, "kept");
  assert_eq!(c.send_as(kept, &["CLIENT", "NO-EVICT", "on"]), "+OK\r\n");
  assert_eq!(c.send_as(kept, &["MULTI"]), "+OK\r\n");
  assert_eq!(c.send_as(kept, &["SET", "k", &"x".repeat(500_000)]), "+QUEUED\r\n");
  let queued = client_field(&mut c, "kept", "multi-mem").unwrap();
  assert!(queued >= 500_000, "multi-mem counts the queued arguments: {queued}");
  let in_process = c.engine.open(redwing_engine::Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::Embedded,
    unix: false,
  });
  let mut request = b"*1\r\n$3000000\r\n".to_vec();
  request.extend(std::iter::repeat_n(b'v', 500_000));
  assert!(!c.engine.feed(in_process, &request).close);
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "200kb"]), "+OK\r\n");
  c.cmd(&["PING"]);
  assert!(c.engine.clients.kills.is_empty(), "nothing evictable is large");
  // The same client without NO-EVICT is evicted.
  let plain = c.other();
  c.send_as(plain, &["MULTI"]);
  let out = c.engine.feed(plain, &encode(&[b"SET", b"k", "x".repeat(500_000).as_bytes()]));
  assert!(out.close && out.reply.is_empty());
}

#[test]
fn output_queued_for_a_subscriber_counts_and_evicts_it() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  let subscriber = named(&mut c, "subscriber");
  c.send_as(subscriber, &["SUBSCRIBE", "news"]);
  c.take_outbox();
  // The host reports the socket full: messages stay queued in the engine.
  c.engine.set_congested(subscriber, 0);
  let message = "m".repeat(100_000);
  let mut published = 0;
  while c.engine.clients.kills.is_empty() && published < 100 {
    c.cmd(&["PUBLISH", "news", &message]);
    published += 1;
  }
  assert_eq!(c.engine.clients.kills, vec![subscriber]);
  // What counts is the queue's allocation, which grows by doubling.
  assert!((6..=11).contains(&published), "evicted once about 1 MB was allocated ({published} messages)");
  assert_eq!(c.cmd(&["PUBLISH", "news", "after"]), ":1\r\n", "still subscribed until the host closes it");
  c.engine.close(subscriber);
  assert_eq!(c.cmd(&["PUBLISH", "news", "after"]), ":0\r\n");
}

#[test]
fn thousands_of_watched_keys_subscriptions_or_prefixes_count() {
  for (command, prefix) in [("WATCH", None), ("PSUBSCRIBE", None), ("CLIENT", Some("prefix"))] {
    let mut c = Client::new();
    assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "200000"]), "+OK\r\n");
    let slot = c.other();
    let mut evicted = false;
    for j in 0..200_000 {
      let key = format!("{j:012}");
      let args: Vec<&str> = match prefix {
        None => vec![command, &key],
        Some(_) => vec!["CLIENT", "TRACKING", "on", "PREFIX", &key, "BCAST"],
      };
      if c.engine.feed(slot, &encode(&args.iter().map(|a| a.as_bytes()).collect::<Vec<_>>())).close {
        evicted = true;
        break;
      }
    }
    assert!(evicted, "{command} until evicted");
  }
}

#[test]
fn turning_the_limit_off_forgets_every_count() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  let big = c.other();
  c.send_as(big, &["MULTI"]);
  c.send_as(big, &["SET", "k", &"x".repeat(600_000)]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "0"]), "+OK\r\n");
  c.send_as(big, &["SET", "k2", &"x".repeat(600_000)]);
  assert!(c.engine.clients.kills.is_empty());
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  c.cmd(&["PING"]);
  assert_eq!(c.engine.clients.kills, vec![big], "counted again from scratch");
}

#[test]
fn a_pipeline_of_large_replies_is_cut_off_once_its_replies_pass_the_limit() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-clients", "1mb"]), "+OK\r\n");
  assert_eq!(c.cmd(&["SETRANGE", "k", "200000", "v"]), ":200001\r\n");
  let reader = c.other();
  let pipeline: Vec<u8> = (0..50).flat_map(|_| encode(&[b"GET", b"k"])).collect();
  let out = c.engine.feed(reader, &pipeline);
  assert!(out.close && out.reply.is_empty(), "evicted before its replies reached 50 × 200 KB");
  assert_eq!(info_field(&mut c, "stats", "evicted_clients"), "1");
  assert_eq!(info_field(&mut c, "clients", "connected_clients"), "1", "gone at once for the others");
}
