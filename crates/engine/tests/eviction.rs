//! `maxmemory`: memory accounting, the eight eviction policies, OOM refusals, the access bits
//! behind OBJECT IDLETIME/FREQ, and what eviction signals (events, the write stream).
//!
//! This test binary counts its allocations as the server does (the engine's counting allocator
//! is its global allocator), so `used_memory` is the engine's own figure. The counter is one
//! for the whole process, so the tests here take turns.

mod common;

use common::{encode, event, info_field, Client};
use std::sync::{Mutex, MutexGuard};

#[global_allocator]
static ALLOCATOR: redwing_engine::alloc::CountingAllocator = redwing_engine::alloc::CountingAllocator;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> MutexGuard<'static, ()> {
  ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

const OOM: &str = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

fn used_memory(c: &mut Client) -> u64 {
  info_field(c, "memory", "used_memory").parse().unwrap()
}

/// Used memory as `maxmemory` counts it.
fn counted_memory(c: &mut Client) -> u64 {
  let not_counted: u64 = info_field(c, "memory", "mem_not_counted_for_evict").parse().unwrap();
  used_memory(c) - not_counted
}

/// Sets `policy` and a limit `headroom` bytes above what the engine uses now (as the limit
/// counts it). The commands
/// the tests run are run once first: each command's latency histogram (24 KB) is made on
/// its first call, and would count against the limit.
fn limit(c: &mut Client, policy: &str, headroom: u64) -> u64 {
  for command in [&["GET", "x"][..], &["EXISTS", "x"], &["DEL", "x"], &["LPUSH", "x", "1"], &["PERSIST", "x"]] {
    c.cmd(command);
  }
  c.cmd(&["DEL", "x"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["EXEC"]);
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-policy", policy]), "+OK\r\n");
  let limit = counted_memory(c) + headroom;
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory", &limit.to_string()]), "+OK\r\n");
  limit
}

/// A value of `n` bytes, distinct per `seed` so nothing is shared.
fn value(seed: usize, n: usize) -> String {
  format!("{seed:0>n$}")
}

/// A DUMP payload of a small string, for RESTORE with IDLETIME or FREQ.
fn payload(c: &mut Client) -> Vec<u8> {
  c.cmd(&["SET", "payload-source", &value(0, 900)]);
  let reply = c.raw(&encode(&[b"DUMP", b"payload-source"]));
  c.cmd(&["DEL", "payload-source"]);
  let start = reply.iter().position(|&b| b == b'\n').unwrap() + 1;
  reply[start..reply.len() - 2].to_vec()
}

fn restore(c: &mut Client, key: &str, payload: &[u8], option: &str, amount: &str) -> String {
  let args: [&[u8]; 6] = [b"RESTORE", key.as_bytes(), b"0", payload, option.as_bytes(), amount.as_bytes()];
  String::from_utf8_lossy(&c.raw(&encode(&args))).into_owned()
}

fn exists(c: &mut Client, key: &str) -> bool {
  c.cmd(&["EXISTS", key]) == ":1\r\n"
}

#[test]
fn used_memory_is_what_the_engine_allocated() {
  let _turn = turn();
  let mut c = Client::new();
  let before = used_memory(&mut c);
  for i in 0..1000 {
    c.cmd(&["SET", &format!("key:{i}"), &value(i, 1000)]);
  }
  let grown = used_memory(&mut c) - before;
  // A thousand values of 1000 bytes, plus keys and entries.
  // The counter is the whole process's: the test harness's own threads move it a little.
  assert!((800_000..1_400_000).contains(&grown), "{grown}");
  assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
  let after = used_memory(&mut c);
  assert!(after < before + grown / 4, "{before} → {after}");
  let peak: u64 = info_field(&mut c, "memory", "used_memory_peak").parse().unwrap();
  assert!(peak + 10_000 >= before + grown, "{peak}");
  let dataset: u64 = info_field(&mut c, "memory", "used_memory_dataset").parse().unwrap();
  let overhead: u64 = info_field(&mut c, "memory", "used_memory_overhead").parse().unwrap();
  assert_eq!(dataset + overhead, after);
}

#[test]
fn noeviction_refuses_commands_that_may_grow_memory() {
  let _turn = turn();
  let mut c = Client::new();
  c.cmd(&["SET", "kept", "1"]);
  for i in 0..100 {
    c.cmd(&["SET", &format!("key:{i}"), &value(i, 1000)]);
  }
  limit(&mut c, "noeviction", 0);
  let limit = c.engine.config.maxmemory - 50_000;
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory", &limit.to_string()]), "+OK\r\n");
  assert_eq!(c.cmd(&["SET", "new", "1"]), OOM);
  assert_eq!(c.cmd(&["LPUSH", "list", "x"]), OOM);
  // Reads and deletions go on; nothing was evicted.
  assert_eq!(c.cmd(&["GET", "kept"]), "$1\r\n1\r\n");
  assert_eq!(info_field(&mut c, "stats", "evicted_keys"), "0");
  assert_eq!(c.cmd(&["MULTI"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "kept"]), OOM, "nothing is queued while out of memory");
  assert_eq!(c.cmd(&["EXEC"]), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  for i in 0..100 {
    assert_eq!(c.cmd(&["DEL", &format!("key:{i}")]), ":1\r\n");
  }
  assert_eq!(c.cmd(&["SET", "new", "1"]), "+OK\r\n", "room again after the deletions");
  let exceeded: u64 = info_field(&mut c, "stats", "total_eviction_exceeded_time").parse().unwrap();
  assert_eq!(info_field(&mut c, "stats", "current_eviction_exceeded_time"), "0");
  assert!(exceeded < 60_000);
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn allkeys_lru_evicts_the_least_recently_used_keys() {
  let _turn = turn();
  let mut c = Client::new();
  let payload = payload(&mut c);
  // Two thousand keys last used 1000 seconds ago, then a thousand fresh ones that only fit if
  // about a thousand keys go.
  for i in 0..2000 {
    assert_eq!(restore(&mut c, &format!("old:{i}"), &payload, "IDLETIME", "1000"), "+OK\r\n");
  }
  // The clock may have ticked since the key was restored.
  let idle = c.cmd(&["OBJECT", "IDLETIME", "old:7"]);
  assert!(idle == ":1000\r\n" || idle == ":1001\r\n", "{idle}");
  let limit = limit(&mut c, "allkeys-lru", 0);
  for i in 0..1000 {
    assert_eq!(c.cmd(&["SET", &format!("new:{i}"), &value(i, 900)]), "+OK\r\n");
  }
  assert!(counted_memory(&mut c) <= limit + 5000, "the limit holds after each eviction");
  let evicted: u64 = info_field(&mut c, "stats", "evicted_keys").parse().unwrap();
  assert!((900..=1100).contains(&evicted), "{evicted}");
  let fresh_lost = (0..1000).filter(|i| !exists(&mut c, &format!("new:{i}"))).count();
  assert_eq!(fresh_lost, 0, "only old keys were evicted");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn allkeys_lfu_evicts_the_least_frequently_used_keys() {
  let _turn = turn();
  let mut c = Client::new();
  let payload = payload(&mut c);
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]), "+OK\r\n");
  for i in 0..2000 {
    assert_eq!(restore(&mut c, &format!("rare:{i}"), &payload, "FREQ", "0"), "+OK\r\n");
  }
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "rare:3"]), ":0\r\n");
  for i in 0..500 {
    assert_eq!(restore(&mut c, &format!("often:{i}"), &payload, "FREQ", "100"), "+OK\r\n");
  }
  limit(&mut c, "allkeys-lfu", 0);
  for i in 0..1000 {
    assert_eq!(c.cmd(&["SET", &format!("new:{i}"), &value(i, 900)]), "+OK\r\n");
  }
  // New keys start at 5: above the rare ones, below the frequent ones.
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "new:999"]), ":5\r\n");
  let often_lost = (0..500).filter(|i| !exists(&mut c, &format!("often:{i}"))).count();
  let new_lost = (0..1000).filter(|i| !exists(&mut c, &format!("new:{i}"))).count();
  assert_eq!((often_lost, new_lost), (0, 0));
  let evicted: u64 = info_field(&mut c, "stats", "evicted_keys").parse().unwrap();
  assert!(evicted >= 900, "{evicted}");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn volatile_policies_evict_only_keys_with_a_ttl() {
  let _turn = turn();
  for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
    let mut c = Client::new();
    for i in 0..300 {
      c.cmd(&["SET", &format!("persistent:{i}"), &value(i, 1000)]);
    }
    for i in 0..300 {
      // The volatile-ttl candidates: the sooner a key expires, the sooner it goes.
      let ttl = if i < 200 { "1000" } else { "100000" };
      c.cmd(&["SET", &format!("volatile:{i}"), &value(i, 1000), "EX", ttl]);
    }
    limit(&mut c, policy, 0);
    for i in 0..100 {
      assert_eq!(c.cmd(&["SET", &format!("new:{i}"), &value(i, 1000)]), "+OK\r\n", "{policy}");
    }
    let persistent_lost = (0..300).filter(|i| !exists(&mut c, &format!("persistent:{i}"))).count();
    assert_eq!(persistent_lost, 0, "{policy}");
    let volatile_lost = (0..300).filter(|i| !exists(&mut c, &format!("volatile:{i}"))).count();
    assert!(volatile_lost >= 90, "{policy}: {volatile_lost}");
    if policy == "volatile-ttl" {
      // Eviction compares sampled keys only (as Redis's does): a sample that holds no key
      // expiring soon, about one in (300 / 100)^5 = 243, evicts one expiring later. Random
      // choice would lose about a third of the keys evicted.
      let long_lost = (200..300).filter(|i| !exists(&mut c, &format!("volatile:{i}"))).count();
      assert!(long_lost <= 3, "the keys expiring later stay: {long_lost} lost");
    }
    // With no key left that has a time to live, writes are refused.
    for i in 0..300 {
      c.cmd(&["PERSIST", &format!("volatile:{i}")]);
    }
    let mut refused = false;
    for i in 100..400 {
      if c.cmd(&["SET", &format!("new:{i}"), &value(i, 1000)]) == OOM {
        refused = true;
        break;
      }
    }
    assert!(refused, "{policy}");
    c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
  }
}

#[test]
fn allkeys_random_evicts_from_every_database() {
  let _turn = turn();
  let mut c = Client::new();
  for db in ["0", "1"] {
    c.cmd(&["SELECT", db]);
    for i in 0..300 {
      c.cmd(&["SET", &format!("key:{i}"), &value(i, 1000)]);
    }
  }
  c.cmd(&["SELECT", "0"]);
  limit(&mut c, "allkeys-random", 0);
  for i in 0..200 {
    assert_eq!(c.cmd(&["SET", &format!("new:{i}"), &value(i, 1000)]), "+OK\r\n");
  }
  let keyspace = c.cmd(&["INFO", "keyspace"]);
  let keys = |db: &str| -> usize {
    let line = keyspace.lines().find(|line| line.starts_with(db)).unwrap();
    line.split_once("keys=").unwrap().1.split(',').next().unwrap().parse().unwrap()
  };
  assert!(keys("db1") < 300, "{keyspace}");
  assert!(keys("db0") < 500, "{keyspace}");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn evictions_signal_events_watches_and_a_del_each() {
  let _turn = turn();
  let mut c = Client::new();
  for i in 0..100 {
    c.cmd(&["SET", &format!("key:{i}"), &value(i, 1000)]);
  }
  let watcher = c.other();
  c.send_as(watcher, &["WATCH", "key:0", "key:1", "key:2", "key:3", "key:4", "key:5"]);
  let listener = c.observe("KEA");
  limit(&mut c, "allkeys-random", 0);
  c.writes();
  c.events(listener);
  let lower = (counted_memory(&mut c) - 20_000).to_string();
  c.cmd(&["CONFIG", "SET", "maxmemory", &lower]);
  c.cmd(&["SET", "trigger", "1"]);
  // No more evictions while the outcome is examined.
  let lower = c.engine.config.maxmemory;
  c.engine.config.maxmemory = 0;
  let evicted: Vec<String> = (0..100).map(|i| format!("key:{i}")).filter(|key| !exists(&mut c, key)).collect();
  assert!(evicted.len() >= 15, "{evicted:?}");
  let events = c.events(listener);
  let mut expected: Vec<String> = Vec::new();
  for key in &evicted {
    expected.extend(event(0, "evicted", key));
  }
  let mut got: Vec<String> = events.iter().filter(|line| line.contains("evicted")).cloned().collect();
  got.sort();
  expected.sort();
  assert_eq!(got, expected);
  // Each eviction is a DEL of its own, before the command that needed the memory.
  let writes = c.writes();
  let (last, deletions) = writes.split_last().unwrap();
  assert_eq!(last, "0: SET trigger 1");
  assert!(deletions.iter().all(|write| write.starts_with("0: DEL key:")), "{deletions:?}");
  assert_eq!(deletions.len(), evicted.len());
  let touched = (0..6).any(|i| evicted.contains(&format!("key:{i}")));
  c.send_as(watcher, &["MULTI"]);
  c.send_as(watcher, &["PING"]);
  let exec = c.send_as(watcher, &["EXEC"]);
  assert_eq!(exec == "*-1\r\n", touched, "{exec}");
  // With lazyfree-lazy-eviction the deletions replay as UNLINK.
  c.cmd(&["CONFIG", "SET", "lazyfree-lazy-eviction", "yes"]);
  c.engine.config.maxmemory = lower;
  c.cmd(&["SET", "trigger", "2"]);
  let writes = c.writes();
  assert!(writes.iter().any(|write| write.starts_with("0: UNLINK key:")), "{writes:?}");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn a_smaller_maxmemory_evicts_at_the_next_tick() {
  let _turn = turn();
  let mut c = Client::new();
  for i in 0..500 {
    c.cmd(&["SET", &format!("key:{i}"), &value(i, 1000)]);
  }
  c.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
  let target = counted_memory(&mut c) - 200_000;
  assert_eq!(c.cmd(&["CONFIG", "SET", "maxmemory", &target.to_string()]), "+OK\r\n");
  let log = &c.engine.telemetry.log_lines;
  assert!(log.iter().any(|line| line.contains("WARNING: the new maxmemory value set via CONFIG SET")));
  c.engine.tick();
  while c.engine.eviction.running {
    c.engine.tick();
  }
  assert!(counted_memory(&mut c) <= target + 10_000, "within the limit but for INFO's own reply");
  assert!(c.cmd(&["DBSIZE"]).as_str() < ":320\r\n");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}

#[test]
fn object_idletime_and_freq_follow_the_policy() {
  let _turn = turn();
  let mut c = Client::new();
  c.engine.config.enable_debug_command = redwing_engine::config::Permission::Yes;
  let payload = payload(&mut c);
  assert_eq!(restore(&mut c, "k", &payload, "IDLETIME", "50"), "+OK\r\n");
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), ":50\r\n");
  assert!(c.cmd(&["DEBUG", "OBJECT", "k"]).contains(" lru_seconds_idle:50\r\n"));
  c.cmd(&["GET", "k"]);
  assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]), ":0\r\n");
  assert!(c.cmd(&["OBJECT", "FREQ", "k"]).starts_with("-ERR An LFU maxmemory policy is not selected"));
  c.cmd(&["CONFIG", "SET", "maxmemory-policy", "volatile-lfu"]);
  assert!(c.cmd(&["OBJECT", "IDLETIME", "k"]).starts_with("-ERR An LFU maxmemory policy is selected, idle time"));
  c.cmd(&["SET", "fresh", "1"]);
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "fresh"]), ":5\r\n");
  assert_eq!(restore(&mut c, "hot", &payload, "FREQ", "200"), "+OK\r\n");
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "hot"]), ":200\r\n");
  // An overwrite keeps the key's frequency under LFU.
  c.cmd(&["SET", "hot", "other"]);
  let freq: u32 = c.cmd(&["OBJECT", "FREQ", "hot"])[1..].trim().parse().unwrap();
  assert!((200..=201).contains(&freq), "{freq}");
  // Many reads raise a counter logarithmically.
  for _ in 0..1000 {
    c.cmd(&["GET", "fresh"]);
  }
  let freq: u32 = c.cmd(&["OBJECT", "FREQ", "fresh"])[1..].trim().parse().unwrap();
  assert!((12..=30).contains(&freq), "{freq}");
  assert_eq!(c.cmd(&["OBJECT", "FREQ", "nokey"]), "$-1\r\n");
  // The RDB file carries frequencies under LFU, idle times under the other policies.
  let file = c.engine.rdb_snapshot();
  let mut loaded = Client::new();
  loaded.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]);
  loaded.engine.rdb_load(&file).unwrap();
  assert_eq!(loaded.cmd(&["OBJECT", "FREQ", "k"]), ":0\r\n", "LRU bits read as LFU, decayed");
  c.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"]);
  assert_eq!(restore(&mut c, "idle", &payload, "IDLETIME", "3000"), "+OK\r\n");
  let file = c.engine.rdb_snapshot();
  let mut loaded = Client::new();
  loaded.engine.rdb_load(&file).unwrap();
  assert_eq!(loaded.cmd(&["OBJECT", "IDLETIME", "idle"]), ":3000\r\n");
}

#[test]
fn rdb_files_carry_lfu_frequencies() {
  let _turn = turn();
  let mut c = Client::new();
  let payload = payload(&mut c);
  c.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]);
  assert_eq!(restore(&mut c, "hot", &payload, "FREQ", "200"), "+OK\r\n");
  let file = c.engine.rdb_snapshot();
  let mut loaded = Client::new();
  loaded.cmd(&["CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"]);
  loaded.engine.rdb_load(&file).unwrap();
  assert_eq!(loaded.cmd(&["OBJECT", "FREQ", "hot"]), ":200\r\n");
}

#[test]
fn written_output_queues_give_their_memory_back() {
  let _turn = turn();
  let mut c = Client::new();
  let subscriber = c.other();
  c.send_as(subscriber, &["SUBSCRIBE", "channel"]);
  c.engine.take_outbound_with(|_, bytes| bytes.len());
  let before = used_memory(&mut c);
  // A burst of 400 KB queued for the subscriber, then all of it written to its socket.
  let message = value(0, 10_000);
  for _ in 0..40 {
    c.cmd(&["PUBLISH", "channel", &message]);
  }
  let normal: u64 = info_field(&mut c, "memory", "mem_clients_normal").parse().unwrap();
  assert!(normal >= 400_000, "{normal}");
  let (handed_over, _) = c.engine.take_outbound_with(|_, bytes| bytes.len());
  assert!(handed_over.is_empty());
  let normal: u64 = info_field(&mut c, "memory", "mem_clients_normal").parse().unwrap();
  assert!(normal < 100_000, "{normal}");
  let grown = used_memory(&mut c).saturating_sub(before);
  assert!(grown < 100_000, "the written queue's buffer is not kept: {grown}");
  // A smaller burst (30 KB) is not kept either: a queue keeps at most a reply chunk (16 KB),
  // as every Redis client has one. Kept, the invalidations an eviction sends to tracking
  // clients would leave buffers that make the next command evict more.
  c.cmd(&["PUBLISH", "channel", &value(0, 30_000)]);
  c.engine.take_outbound_with(|_, bytes| bytes.len());
  let normal: u64 = info_field(&mut c, "memory", "mem_clients_normal").parse().unwrap();
  assert!(normal <= 16 * 1024, "{normal}");
}

#[test]
fn a_large_request_leaves_no_buffer_behind() {
  let _turn = turn();
  let mut c = Client::new();
  // SADD with 100,000 members, about 1.3 MB, arriving in two reads as from a socket.
  let request = {
    let members: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
    let mut args: Vec<&[u8]> = vec![b"SADD", b"set"];
    args.extend(members.iter().map(|m| m.as_bytes()));
    encode(&args)
  };
  let (first, second) = request.split_at(request.len() / 2);
  let writer = c.other();
  // DEL frees in place (UNLINK would leave the set to the lazyfree thread, for a while).
  c.send_as(writer, &["DEL", "set"]);
  let before = used_memory(&mut c);
  assert!(c.engine.feed(writer, first).reply.is_empty());
  assert_eq!(c.engine.feed(writer, second).reply, b":100000\r\n");
  assert_eq!(c.send_as(writer, &["DEL", "set"]), ":1\r\n");
  let normal: u64 = info_field(&mut c, "memory", "mem_clients_normal").parse().unwrap();
  assert!(normal < 100_000, "{normal}");
  let grown = used_memory(&mut c).saturating_sub(before);
  assert!(grown < 200_000, "the request's input and argument buffers are not kept: {grown}");
}

/// `n` keys with values small enough to live in their slots.
fn small_keys(c: &mut Client, n: usize) {
  for i in 0..n {
    assert_eq!(c.cmd(&["SET", &format!("k{i}"), "v"]), "+OK\r\n");
  }
}

#[test]
fn evicting_small_keys_frees_their_slots() {
  let _turn = turn();
  let mut c = Client::new();
  small_keys(&mut c, 20_000);
  // About 50 KB must go: a few hundred small keys, not most of them. No time limit: the
  // eviction goes as far as it takes.
  c.cmd(&["CONFIG", "SET", "maxmemory-eviction-tenacity", "100"]);
  limit(&mut c, "allkeys-random", 0);
  let lower = c.engine.config.maxmemory - 50_000;
  c.cmd(&["CONFIG", "SET", "maxmemory", &lower.to_string()]);
  c.cmd(&["SET", "trigger", "1"]);
  let evicted: u64 = info_field(&mut c, "stats", "evicted_keys").parse().unwrap();
  assert!((100..3000).contains(&evicted), "{evicted}");
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
  c.cmd(&["CONFIG", "SET", "maxmemory-eviction-tenacity", "10"]);
}

/// Near the limit a full table grows by what fits under it, not by an eighth (nor doubles):
/// a growth that fits evicts nothing, as Redis's refused rehash does not. Room a growth
/// reserved counts for the limit (only room deleted keys left does not), so however many keys
/// come, used memory stays within it.
#[test]
fn a_keyspace_table_growing_near_the_limit_stays_within_it() {
  let _turn = turn();
  let mut c = Client::new();
  // 16384 keys fill the entries' array (with the one `limit` adds and deletes); the next one
  // makes it grow.
  small_keys(&mut c, 16_383);
  // DBSIZE's first call makes its latency histogram (see `limit`).
  c.cmd(&["DBSIZE"]);
  let limit = limit(&mut c, "allkeys-random", 40_000);
  for key in ["one", "two", "three"] {
    assert_eq!(c.cmd(&["SET", key, "v"]), "+OK\r\n");
  }
  assert_eq!(info_field(&mut c, "stats", "evicted_keys"), "0");
  assert_eq!(c.cmd(&["DBSIZE"]), ":16386\r\n");
  assert!(used_memory(&mut c) <= limit, "{} > {limit}", used_memory(&mut c));
  for i in 0..20_000 {
    c.cmd(&["SET", &format!("more{i}"), "v"]);
  }
  let evicted: u64 = info_field(&mut c, "stats", "evicted_keys").parse().unwrap();
  assert!(evicted > 1000, "{evicted}");
  // Within the limit, but for the room evictions left, which the next keys fill: at most what
  // the smallest growth takes (a sixty-fourth of the array, 256 slots of about 60 bytes).
  let not_counted: u64 = info_field(&mut c, "memory", "mem_not_counted_for_evict").parse().unwrap();
  assert!(not_counted <= 256 * 64, "{not_counted}");
  // (INFO counts the start of its own text.)
  assert!(counted_memory(&mut c) <= limit + 256, "{} > {limit}", counted_memory(&mut c));
  c.cmd(&["CONFIG", "SET", "maxmemory", "0"]);
}
