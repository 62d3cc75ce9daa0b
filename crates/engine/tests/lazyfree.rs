//! Lazy freeing: UNLINK, DEL under `lazyfree-lazy-user-del` and the asynchronous flushes hand
//! large values and whole databases to the `lazyfree` thread, counted in INFO as Redis counts
//! them; small values are freed in place.

mod common;
use common::{info_field, Client};
use std::time::{Duration, Instant};

/// INFO `lazyfreed_objects` once nothing is pending (the thread works on its own).
fn lazyfreed(c: &mut Client) -> u64 {
  let deadline = Instant::now() + Duration::from_secs(5);
  while info_field(c, "memory", "lazyfree_pending_objects") != "0" {
    assert!(Instant::now() < deadline, "the lazyfree thread never finished");
    std::thread::sleep(Duration::from_millis(5));
  }
  info_field(c, "memory", "lazyfreed_objects").parse().unwrap()
}

fn big_set(c: &mut Client, key: &str, members: usize) {
  let members: Vec<String> = (0..members).map(|i| format!("m{i}")).collect();
  let mut args = vec!["SADD", key];
  args.extend(members.iter().map(String::as_str));
  c.cmd(&args);
}

#[test]
fn unlink_frees_large_values_on_the_thread_and_small_ones_in_place() {
  let mut c = Client::new();
  big_set(&mut c, "big", 1000);
  big_set(&mut c, "small", 10);
  c.cmd(&["SET", "string", "value"]);
  assert_eq!(c.cmd(&["UNLINK", "big", "small", "string", "missing"]), ":3\r\n");
  assert_eq!(lazyfreed(&mut c), 1, "only the hashtable set is worth the thread");
  assert_eq!(c.cmd(&["EXISTS", "big"]), ":0\r\n");
  // A set just over the threshold of 64 members, and one at it.
  big_set(&mut c, "over", 65);
  big_set(&mut c, "at", 64);
  c.cmd(&["CONFIG", "SET", "set-max-listpack-entries", "0"]);
  c.cmd(&["UNLINK", "over", "at"]);
  assert_eq!(lazyfreed(&mut c), 2);
  assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), "+OK\r\n");
  assert_eq!(lazyfreed(&mut c), 0);
}

#[test]
fn del_is_lazy_only_under_lazyfree_lazy_user_del() {
  let mut c = Client::new();
  big_set(&mut c, "a", 1000);
  c.cmd(&["DEL", "a"]);
  assert_eq!(lazyfreed(&mut c), 0);
  c.cmd(&["CONFIG", "SET", "lazyfree-lazy-user-del", "yes"]);
  big_set(&mut c, "a", 1000);
  c.cmd(&["DEL", "a"]);
  assert_eq!(lazyfreed(&mut c), 1);
}

#[test]
fn a_stream_counts_its_nodes_and_groups() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "5"]);
  for i in 0..1000 {
    c.cmd(&["XADD", "stream", "*", "foo", &i.to_string()]);
  }
  c.cmd(&["XGROUP", "CREATE", "stream", "g", "0"]);
  c.cmd(&["UNLINK", "stream"]);
  assert_eq!(lazyfreed(&mut c), 1);
  // One entry, a destroyed group: freed in place.
  c.cmd(&["XADD", "s", "*", "a", "b"]);
  c.cmd(&["XGROUP", "CREATE", "s", "bla", "$"]);
  c.cmd(&["XGROUP", "DESTROY", "s", "bla"]);
  c.cmd(&["UNLINK", "s"]);
  assert_eq!(lazyfreed(&mut c), 1);
}

#[test]
fn asynchronous_flushes_count_every_key_and_empty_the_databases_at_once() {
  let mut c = Client::new();
  for i in 0..100 {
    c.cmd(&["SET", &format!("k{i}"), "v"]);
  }
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "other", "v"]);
  assert_eq!(c.cmd(&["FLUSHALL", "ASYNC"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
  assert_eq!(lazyfreed(&mut c), 101);
  c.cmd(&["SET", "k", "v"]);
  assert_eq!(c.cmd(&["FLUSHDB", "SYNC"]), "+OK\r\n");
  assert_eq!(lazyfreed(&mut c), 101);
  c.cmd(&["CONFIG", "SET", "lazyfree-lazy-user-flush", "yes"]);
  c.cmd(&["SET", "k", "v"]);
  assert_eq!(c.cmd(&["FLUSHDB"]), "+OK\r\n");
  assert_eq!(lazyfreed(&mut c), 102);
  assert_eq!(c.cmd(&["FLUSHDB", "ASYNCX"]), "-ERR syntax error\r\n");
}
