//! Server commands, byte for byte against redis-server 7.0.15: INFO, CONFIG, COMMAND, DEBUG,
//! SLOWLOG, LATENCY, MEMORY, TIME, LASTSAVE. Expected replies were captured from the reference
//! server; where a reply depends on the clock, the process or hash order, its shape is checked.

mod common;
use common::Client;
use redwing_engine::cmd::server::config::{load_directive, value_of};
use redwing_engine::config::Permission;
use redwing_engine::{Engine, Peer};

/// Switches the test client to RESP3 (as HELLO 3 would).
fn resp3(c: &mut Client) {
  let slot = c.slot;
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

fn with_debug() -> Client {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c
}

/// The text of a bulk or verbatim reply.
fn text_of(reply: &str) -> &str {
  let body = reply.split_once("\r\n").map_or("", |(_, rest)| rest);
  let body = body.strip_suffix("\r\n").unwrap_or(body);
  body.strip_prefix("txt:").unwrap_or(body)
}

/// The `name:value` fields of an INFO text.
fn info_field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
  text.split("\r\n").find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
}

/// The section titles of an INFO text, in order.
fn headers(text: &str) -> Vec<&str> {
  text.split("\r\n").filter(|l| l.starts_with("# ")).collect()
}

const COMMAND_INFO_RESP2: &str = "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n\
   +@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n\
   $12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n\
   index\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n\
   $7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$6\r\n\
   config\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n*10\r\n$10\r\n\
   config|set\r\n:-4\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n\
   *3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\n\
   response_policy:all_succeeded\r\n*0\r\n*0\r\n*10\r\n$11\r\nconfig|help\r\n:2\r\n*2\r\n\
   +loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n*10\r\n$16\r\n\
   config|resetstat\r\n:2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n\
   :0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$14\r\n\
   config|rewrite\r\n:2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n\
   :0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$10\r\n\
   config|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n\
   *3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n";

const COMMAND_INFO_RESP3: &str = "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n\
   +@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n\
   $12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\n\
   index\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n\
   $7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n*10\r\n$6\r\n\
   config\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*5\r\n*10\r\n$10\r\n\
   config|set\r\n:-4\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n\
   ~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\n\
   response_policy:all_succeeded\r\n~0\r\n~0\r\n*10\r\n$11\r\nconfig|help\r\n:2\r\n~2\r\n\
   +loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n~0\r\n*10\r\n$16\r\n\
   config|resetstat\r\n:2\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n\
   :0\r\n~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n*10\r\n$14\r\n\
   config|rewrite\r\n:2\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n\
   :0\r\n~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n*10\r\n$10\r\n\
   config|get\r\n:-3\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n\
   ~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n";

// ---------------------------------------------------------------------------------------------
// INFO

const DEFAULT_HEADERS: [&str; 11] = [
  "# Server",
  "# Clients",
  "# Memory",
  "# Persistence",
  "# Stats",
  "# Replication",
  "# CPU",
  "# Modules",
  "# Errorstats",
  "# Cluster",
  "# Keyspace",
];

#[test]
fn info_sections_in_redis_order() {
  let mut c = Client::new();
  let reply = c.cmd(&["INFO"]);
  assert!(reply.starts_with('$'));
  let text = text_of(&reply);
  assert_eq!(headers(text), DEFAULT_HEADERS);
  assert_eq!(headers(text_of(&c.cmd(&["info", "DEFAULT"]))), DEFAULT_HEADERS);
  // Sections are separated by one blank line, and every line ends with CRLF.
  assert!(text.contains("io_threads_active:0\r\n\r\n# Clients\r\n"));
  assert!(text.ends_with("# Keyspace\r\n"));

  let all = [
    "# Server",
    "# Clients",
    "# Memory",
    "# Persistence",
    "# Stats",
    "# Replication",
    "# CPU",
    "# Modules",
    "# Commandstats",
    "# Errorstats",
    "# Latencystats",
    "# Cluster",
    "# Keyspace",
  ];
  assert_eq!(headers(text_of(&c.cmd(&["INFO", "all"]))), all);
  assert_eq!(headers(text_of(&c.cmd(&["INFO", "everything"]))), all);
  // Asked-for sections come in Redis's order, each once; unknown ones are ignored.
  assert_eq!(headers(text_of(&c.cmd(&["INFO", "keyspace", "SERVER", "nope", "server"]))), ["# Server", "# Keyspace"]);
  assert_eq!(c.cmd(&["INFO", "foo"]), "$0\r\n\r\n");
  assert_eq!(c.cmd(&["INFO", "modules"]), "$11\r\n# Modules\r\n\r\n");
  assert_eq!(c.cmd(&["INFO", "module_list"]), "$11\r\n# Modules\r\n\r\n");
  assert_eq!(c.cmd(&["INFO", "keyspace"]), "$12\r\n# Keyspace\r\n\r\n");
  assert_eq!(c.cmd(&["INFO", "cluster"]), "$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["INFO", "keyspace"]), "=16\r\ntxt:# Keyspace\r\n\r\n");
  assert_eq!(c.cmd(&["INFO", "foo"]), "=4\r\ntxt:\r\n");
}

#[test]
fn info_server_and_clients_fields() {
  let mut c = Client::new();
  c.engine.host.tcp_port = 6380;
  c.engine.host.config_file = "/etc/redwing.conf".into();
  c.other();
  c.engine.open(Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::Embedded,
    unix: false,
  });
  let reply = c.cmd(&["INFO", "server", "clients"]);
  let text = text_of(&reply);
  assert_eq!(info_field(text, "redis_version"), Some("7.0.15"));
  assert_eq!(info_field(text, "redwing_version"), Some(env!("CARGO_PKG_VERSION")));
  assert_eq!(info_field(text, "redis_mode"), Some("standalone"));
  assert_eq!(info_field(text, "tcp_port"), Some("6380"));
  assert_eq!(info_field(text, "config_file"), Some("/etc/redwing.conf"));
  assert_eq!(info_field(text, "process_id"), Some(std::process::id().to_string().as_str()));
  let run_id = info_field(text, "run_id").unwrap();
  assert_eq!(run_id.len(), 40);
  assert!(run_id.bytes().all(|b| b.is_ascii_hexdigit()));
  assert_eq!(info_field(text, "hz"), Some("10"));
  // Two socket sessions; the in-process one does not count.
  assert_eq!(info_field(text, "connected_clients"), Some("2"));
  assert_eq!(info_field(text, "maxclients"), Some("10000"));
  // The host's run id wins when it gives one.
  c.engine.host.run_id = "f".repeat(40);
  assert_eq!(info_field(text_of(&c.cmd(&["INFO"])), "run_id"), Some("f".repeat(40).as_str()));
}

#[test]
fn info_field_names_follow_redis() {
  let mut c = Client::new();
  let reply = c.cmd(&["INFO", "everything"]);
  let text = text_of(&reply);
  for name in [
    "used_memory",
    "used_memory_human",
    "used_memory_peak",
    "maxmemory_policy",
    "mem_fragmentation_ratio",
    "rdb_last_save_time",
    "aof_enabled",
    "total_connections_received",
    "instantaneous_ops_per_sec",
    "keyspace_hits",
    "expired_keys",
    "total_error_replies",
    "role",
    "master_replid",
    "used_cpu_sys",
    "used_cpu_user_main_thread",
  ] {
    assert!(info_field(text, name).is_some(), "{name}");
  }
  assert_eq!(info_field(text, "role"), Some("master"));
  assert_eq!(info_field(text, "maxmemory_policy"), Some("noeviction"));
  assert_eq!(info_field(text, "rdb_last_save_time"), Some(c.engine.keyspace.last_save.to_string().as_str()));
}

#[test]
fn info_counts_follow_commands() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "b", "2", "PX", "100000"]);
  c.cmd(&["GET", "a"]);
  c.cmd(&["GET", "nope"]);
  c.cmd(&["GET"]);
  c.cmd(&["NOSUCH"]);
  c.cmd(&["SELECT", "3"]);
  c.cmd(&["SET", "c", "3"]);

  let keyspace = c.cmd(&["INFO", "keyspace"]);
  assert_eq!(text_of(&keyspace), "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n");
  let reply = c.cmd(&["INFO", "stats"]);
  let stats = text_of(&reply);
  assert_eq!(info_field(stats, "keyspace_hits"), Some("1"));
  assert_eq!(info_field(stats, "keyspace_misses"), Some("1"));
  assert_eq!(info_field(stats, "total_error_replies"), Some("2"));
  assert_eq!(info_field(stats, "total_commands_processed"), Some("7"));

  let reply = c.cmd(&["INFO", "commandstats", "errorstats"]);
  let text = text_of(&reply);
  let get = info_field(text, "cmdstat_get").unwrap();
  assert!(get.starts_with("calls=2,usec="), "{get}");
  assert!(get.ends_with(",rejected_calls=1,failed_calls=0"), "{get}");
  assert!(info_field(text, "cmdstat_set").unwrap().starts_with("calls=3,"));
  assert!(info_field(text, "cmdstat_info").unwrap().starts_with("calls=2,"));
  assert_eq!(info_field(text, "errorstat_ERR"), Some("count=2"));

  c.cmd(&["INCRBY", "c", "x"]);
  c.cmd(&["CONFIG", "GET", "hz"]);
  let reply = c.cmd(&["INFO", "commandstats", "errorstats"]);
  let text = text_of(&reply);
  assert_eq!(info_field(text, "errorstat_ERR"), Some("count=3"));
  assert!(info_field(text, "cmdstat_incrby").unwrap().ends_with("rejected_calls=0,failed_calls=1"));
  assert!(info_field(text, "cmdstat_config|get").unwrap().starts_with("calls=1,"));

  let reply = c.cmd(&["INFO", "latencystats"]);
  let line = info_field(text_of(&reply), "latency_percentiles_usec_get").unwrap();
  assert!(line.starts_with("p50=") && line.contains(",p99=") && line.contains(",p99.9="), "{line}");

  // CONFIG RESETSTAT starts the counts over (and counts itself).
  assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), "+OK\r\n");
  let reply = c.cmd(&["INFO", "commandstats", "errorstats", "latencystats"]);
  let text = text_of(&reply);
  assert!(info_field(text, "cmdstat_get").is_none());
  assert!(info_field(text, "errorstat_ERR").is_none());
  assert!(info_field(text, "latency_percentiles_usec_get").is_none());
  assert!(info_field(text, "cmdstat_config|resetstat").unwrap().starts_with("calls=1,"));
  let reply = c.cmd(&["INFO", "stats"]);
  assert_eq!(info_field(text_of(&reply), "keyspace_hits"), Some("0"));

  c.cmd(&["CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.99"]);
  c.cmd(&["GET", "a"]);
  let reply = c.cmd(&["INFO", "latencystats"]);
  let line = info_field(text_of(&reply), "latency_percentiles_usec_get").unwrap();
  assert!(line.starts_with("p50=") && line.contains(",p99.99=") && !line.contains("p99.9="), "{line}");
}

// ---------------------------------------------------------------------------------------------
// CONFIG

#[test]
fn config_get_exact_names_and_patterns() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "GET", "maxmemory"]), "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz"]), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "HZ"]), "*2\r\n$2\r\nHZ\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "databases"]), "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "appendonly"]), "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
  // The harness's clients have no save rules (see `Client::new`); Redis's default is this.
  assert_eq!(value_of(&Engine::default(), b"save").as_deref(), Some("3600 1 300 100 60 10000"));
  assert_eq!(c.cmd(&["CONFIG", "GET", "proto-max-bulk-len"]), "*2\r\n$18\r\nproto-max-bulk-len\r\n$9\r\n536870912\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "maxmemory-policy"]), "*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "no-such-parameter"]), "*0\r\n");
  // Each parameter once, however many arguments name it.
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz", "HZ", "h?"]), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "data?ases"]), "*2\r\n$9\r\ndatabases\r\n$2\r\n16\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz", "timeout"]), "*4\r\n$2\r\nhz\r\n$2\r\n10\r\n$7\r\ntimeout\r\n$1\r\n0\r\n");
  // An alias is listed under its own name too.
  assert_eq!(
    c.cmd(&["CONFIG", "GET", "*-max-*-entries"]),
    "*10\r\n$25\r\nhash-max-listpack-entries\r\n$3\r\n512\r\n$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n\
     $22\r\nset-max-intset-entries\r\n$3\r\n512\r\n$25\r\nzset-max-listpack-entries\r\n$3\r\n128\r\n\
     $24\r\nzset-max-ziplist-entries\r\n$3\r\n128\r\n"
  );
  assert_eq!(c.cmd(&["CONFIG", "GET", "slave-read-only"]), "*2\r\n$15\r\nslave-read-only\r\n$3\r\nyes\r\n");
  // Every parameter matches `*`.
  let all = c.cmd(&["CONFIG", "GET", "*"]);
  let pairs: usize = all[1..all.find('\r').unwrap()].parse().unwrap();
  assert!(pairs > 250, "{pairs}");
  assert!(all.contains("$4\r\nbind\r\n") && all.contains("$26\r\nclient-output-buffer-limit\r\n"));
  resp3(&mut c);
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz"]), "%1\r\n$2\r\nhz\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "nope"]), "%0\r\n");
}

#[test]
fn config_set_round_trips() {
  let mut c = Client::new();
  let set_get = |c: &mut Client, name: &str, value: &str| {
    assert_eq!(c.cmd(&["CONFIG", "SET", name, value]), "+OK\r\n", "{name} {value}");
    let reply = c.cmd(&["CONFIG", "GET", name]);
    reply.rsplit("\r\n").nth(1).unwrap_or_default().to_string()
  };
  assert_eq!(set_get(&mut c, "hz", "20"), "20");
  assert_eq!(c.engine.config.hz, 20);
  // hz is kept within 1..=500.
  assert_eq!(set_get(&mut c, "hz", "1000"), "500");
  assert_eq!(set_get(&mut c, "hz", "0"), "1");
  assert_eq!(set_get(&mut c, "maxmemory", "1gb"), "1073741824");
  assert_eq!(set_get(&mut c, "maxmemory", "100MB"), "104857600");
  assert_eq!(set_get(&mut c, "maxmemory", "10k"), "10000");
  assert_eq!(set_get(&mut c, "maxmemory", "1KB"), "1024");
  assert_eq!(set_get(&mut c, "maxmemory", ""), "0");
  assert_eq!(set_get(&mut c, "maxmemory", "99999999999999999999"), "18446744073709551615");
  assert_eq!(set_get(&mut c, "maxmemory-policy", "ALLKEYS-LRU"), "allkeys-lru");
  assert_eq!(c.engine.config.maxmemory_policy.name(), "allkeys-lru");
  assert_eq!(set_get(&mut c, "activerehashing", "NO"), "no");
  assert_eq!(set_get(&mut c, "appendfsync", "Always"), "always");
  assert_eq!(set_get(&mut c, "hash-max-ziplist-entries", "100"), "100");
  assert_eq!(value_of(&c.engine, b"hash-max-listpack-entries").as_deref(), Some("100"));
  assert_eq!(c.engine.config.hash_max_listpack_entries, 100);
  assert_eq!(set_get(&mut c, "lua-time-limit", "100"), "100");
  assert_eq!(value_of(&c.engine, b"busy-reply-threshold").as_deref(), Some("100"));
  assert_eq!(set_get(&mut c, "list-max-listpack-size", "-1"), "-1");
  assert_eq!(set_get(&mut c, "notify-keyspace-events", "KEA"), "AKE");
  assert_eq!(set_get(&mut c, "notify-keyspace-events", "Ex$"), "$xE");
  assert_eq!(set_get(&mut c, "notify-keyspace-events", "Amn"), "Am");
  assert_eq!(set_get(&mut c, "notify-keyspace-events", "lzhs"), "lshz");
  assert_eq!(set_get(&mut c, "notify-keyspace-events", ""), "");
  assert_eq!(set_get(&mut c, "save", ""), "");
  assert_eq!(set_get(&mut c, "appendonly", "no"), "no");
  assert_eq!(
    set_get(&mut c, "client-output-buffer-limit", "normal 1mb 2mb 3 replica 1 2 3"),
    "normal 1048576 2097152 3 slave 1 2 3 pubsub 33554432 8388608 60"
  );
  assert_eq!(set_get(&mut c, "latency-tracking-info-percentiles", "50 99.99 100"), "50 99.99 100");
  assert_eq!(set_get(&mut c, "maxmemory-clients", "50%"), "50%");
  assert_eq!(set_get(&mut c, "loglevel", "WARNING"), "warning");
  assert_eq!(set_get(&mut c, "requirepass", "secret"), "secret");
  assert_eq!(c.engine.config.requirepass.as_deref(), Some(&b"secret"[..]));
  assert_eq!(set_get(&mut c, "requirepass", ""), "");
  assert_eq!(c.engine.config.requirepass, None);
  assert_eq!(set_get(&mut c, "shutdown-on-sigint", "save now"), "save now");
  // The flags are a set, shown in Redis's order.
  assert_eq!(set_get(&mut c, "shutdown-on-sigint", "FORCE now nosave now"), "nosave now force");
  assert_eq!(set_get(&mut c, "shutdown-on-sigint", "now default"), "now");
  assert_eq!(set_get(&mut c, "shutdown-on-sigint", "default"), "default");
  assert_eq!(
    c.cmd(&["CONFIG", "SET", "shutdown-on-sigint", "save nosave"]),
    "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE \
     can't be used simultaneously\r\n"
  );
  assert_eq!(set_get(&mut c, "slowlog-log-slower-than", "-1"), "-1");
  // Several at once.
  assert_eq!(c.cmd(&["CONFIG", "SET", "hz", "15", "timeout", "300", "slave-read-only", "no"]), "+OK\r\n");
  assert_eq!((c.engine.config.hz, c.engine.config.timeout), (15, 300));
  assert_eq!(value_of(&c.engine, b"replica-read-only").as_deref(), Some("no"));
  // An alias and its parameter are two names: both may be set in one call, the last wins.
  assert_eq!(c.cmd(&["CONFIG", "SET", "slave-read-only", "no", "replica-read-only", "yes"]), "+OK\r\n");
  assert_eq!(value_of(&c.engine, b"slave-read-only").as_deref(), Some("yes"));
}

#[test]
fn config_set_errors() {
  let mut c = Client::new();
  let failed =
    |name: &str, reason: &str| format!("-ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}\r\n");
  let cases: &[(&[&str], String)] = &[
    (&["hz", "abc"], failed("hz", "argument couldn't be parsed into an integer")),
    (&["HZ", "abc"], failed("hz", "argument couldn't be parsed into an integer")),
    (&["hz", "-1"], failed("hz", "argument must be between 0 and 2147483647 inclusive")),
    (&["timeout", "1.5"], failed("timeout", "argument couldn't be parsed into an integer")),
    (&["maxclients", "0"], failed("maxclients", "argument must be between 1 and 4294967295 inclusive")),
    (&["slowlog-log-slower-than", "-5"], failed("slowlog-log-slower-than", "argument must be between -1 and 9223372036854775807 inclusive")),
    (&["proto-max-bulk-len", "10"], failed("proto-max-bulk-len", "argument must be between 1048576 and 9223372036854775807 inclusive")),
    (&["hash-max-listpack-value", "-1"], failed("hash-max-listpack-value", "argument must be a memory value")),
    (&["hash-max-listpack-value", "99999999999999999999"], failed("hash-max-listpack-value", "argument must be between 0 and 9223372036854775807 inclusive")),
    (&["maxmemory", "1.5gb"], failed("maxmemory", "argument must be a memory value")),
    (&["maxmemory", "abc"], failed("maxmemory", "argument must be a memory value")),
    (&["maxmemory-clients", "abc"], failed("maxmemory-clients", "argument must be a memory or percent value")),
    (&["maxmemory-clients", "101%"], failed("maxmemory-clients", "percentage argument must be less or equal to 100")),
    (&["activerehashing", "1"], failed("activerehashing", "argument must be 'yes' or 'no'")),
    (&["SLAVE-READ-ONLY", "maybe"], failed("slave-read-only", "argument must be 'yes' or 'no'")),
    (&["appendonly", "maybe"], failed("appendonly", "argument must be 'yes' or 'no'")),
    (&["maxmemory-policy", "not-a-policy"], failed("maxmemory-policy", "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")),
    (&["appendfsync", "foo"], failed("appendfsync", "argument(s) must be one of the following: everysec, always, no")),
    (&["loglevel", "foo"], failed("loglevel", "argument(s) must be one of the following: debug, verbose, notice, warning")),
    (&["save", "900 x"], failed("save", "Invalid save parameters")),
    (&["save", "900"], failed("save", "Invalid save parameters")),
    (&["save", "0 1"], failed("save", "Invalid save parameters")),
    (&["notify-keyspace-events", "Q"], failed("notify-keyspace-events", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")),
    (&["client-output-buffer-limit", "normal 1 2"], failed("client-output-buffer-limit", "Wrong number of arguments in buffer limit configuration.")),
    (&["client-output-buffer-limit", "foo 1 2 3"], failed("client-output-buffer-limit", "Invalid client class specified in buffer limit configuration.")),
    (&["client-output-buffer-limit", "normal x 2 3"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
    // The seconds are a whole integer that fits an `int`, as Redis's strtoll and `int` read them.
    (&["client-output-buffer-limit", "pubsub 1mb 1mb 60s"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
    (&["client-output-buffer-limit", "pubsub 1mb 1mb +"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
    (&["client-output-buffer-limit", "pubsub 1mb 1mb 9999999999999999999999999999999999999999999"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
    (&["client-output-buffer-limit", "pubsub 1mb 1mb 2147483648"], failed("client-output-buffer-limit", "Error in hard, soft or soft_seconds setting in buffer limit configuration.")),
    (&["latency-tracking-info-percentiles", "50 abc"], failed("latency-tracking-info-percentiles", "Invalid latency-tracking-info-percentiles parameters")),
    (&["latency-tracking-info-percentiles", "101"], failed("latency-tracking-info-percentiles", "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")),
    (&["oom-score-adj-values", "0 200"], failed("oom-score-adj-values", "wrong number of arguments")),
    (&["databases", "20"], failed("databases", "can't set immutable config")),
    (&["daemonize", "no"], failed("daemonize", "can't set immutable config")),
    (&["dir", "/tmp"], failed("dir", "can't set protected config")),
    (&["dbfilename", "x.rdb"], failed("dbfilename", "can't set protected config")),
    (&["hz", "11", "hz", "12"], failed("hz", "duplicate parameter")),
    (&["hz", "11", "HZ", "12"], failed("HZ", "duplicate parameter")),
    (&["no-such-parameter", "1"], "-ERR Unknown option or number of arguments for CONFIG SET - 'no-such-parameter'\r\n".into()),
    // The first problem found among the names wins.
    (&["foo", "1", "databases", "2"], "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n".into()),
    (&["databases", "2", "foo", "1"], failed("databases", "can't set immutable config")),
    (&["hz", "10", "timeout"], "-ERR syntax error\r\n".into()),
    (&["hz"], "-ERR wrong number of arguments for 'config|set' command\r\n".into()),
    (&["appendonly", "maybe"], failed("appendonly", "argument must be 'yes' or 'no'")),
    (&["appendfsync", "sometimes"], failed("appendfsync", "argument(s) must be one of the following: everysec, always, no")),
    (&["save", "3600"], failed("save", "Invalid save parameters")),
  ];
  for (args, expected) in cases {
    let mut argv = vec!["CONFIG", "SET"];
    argv.extend_from_slice(args);
    assert_eq!(&c.cmd(&argv), expected, "{args:?}");
  }
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz"]), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
}

#[test]
fn config_set_is_all_or_nothing() {
  let mut c = Client::new();
  // timeout is refused after hz and maxmemory were applied: both get their old values back.
  assert_eq!(
    c.cmd(&["CONFIG", "SET", "hz", "11", "maxmemory", "5mb", "timeout", "abc"]),
    "-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer\r\n"
  );
  assert_eq!(c.cmd(&["CONFIG", "GET", "hz"]), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "maxmemory"]), "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n");
  assert_eq!(c.engine.config.maxmemory, 0);
}

#[test]
fn config_other_subcommands() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "GET"]), "-ERR wrong number of arguments for 'config|get' command\r\n");
  assert_eq!(c.cmd(&["CONFIG"]), "-ERR wrong number of arguments for 'config' command\r\n");
  assert_eq!(c.cmd(&["CONFIG", "FOO"]), "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n");
  assert_eq!(c.cmd(&["config", "foo", "bar"]), "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n");
  assert_eq!(
    c.cmd(&["CONFIG", "RESETSTAT", "extra"]),
    "-ERR wrong number of arguments for 'config|resetstat' command\r\n"
  );
  assert_eq!(c.cmd(&["CONFIG", "REWRITE"]), "-ERR The server is running without a config file\r\n");
  let help = c.cmd(&["CONFIG", "HELP"]);
  assert!(help.starts_with("*12\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
  assert!(help.ends_with("+HELP\r\n+    Prints this help.\r\n"));
}

#[test]
fn config_rewrite_keeps_the_file_layout() {
  let dir = std::env::temp_dir().join(format!("redwing-rewrite-{}", std::process::id()));
  std::fs::create_dir_all(&dir).unwrap();
  let path = dir.join("redwing.conf");
  std::fs::write(
    &path,
    "# my settings\nhz 15\ntimeout 30\nhz 16\nno-such-directive 1\ninclude other.conf\n\nmaxmemory 1mb\n",
  )
  .unwrap();
  // Redis's defaults, save rules included: only what changed is written.
  let mut c = Client::with_engine(Engine::default());
  c.engine.host.config_file = path.to_string_lossy().into_owned();
  for line in ["hz 16", "timeout 30", "maxmemory 1mb"] {
    let args: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
    load_directive(&mut c.engine, &args).unwrap();
  }
  c.cmd(&[
    "CONFIG",
    "SET",
    "timeout",
    "0",
    "maxmemory",
    "2gb",
    "maxmemory-policy",
    "allkeys-lru",
    "requirepass",
    "a \"b\"",
  ]);
  assert_eq!(c.cmd(&["CONFIG", "REWRITE"]), "+OK\r\n");
  let text = std::fs::read_to_string(&path).unwrap();
  let dir_line = format!("dir \"{}\"", std::env::current_dir().unwrap().display());
  assert_eq!(
    text,
    format!(
      "# my settings\nhz 16\ntimeout 0\n\n# ??? no-such-directive 1\ninclude other.conf\n\nmaxmemory 2gb\n\
       # Generated by CONFIG REWRITE\n{dir_line}\nmaxmemory-policy allkeys-lru\nrequirepass \"a \\\"b\\\"\"\n\
       user default on #{} ~* &* +@all\n",
      redwing_engine::acl::sha256::hex_digest(b"a \"b\"")
    )
  );
  assert_eq!(c.engine.telemetry.log_lines.last().map(String::as_str), Some("CONFIG REWRITE executed with success."));
  // A second rewrite changes nothing.
  assert_eq!(c.cmd(&["CONFIG", "REWRITE"]), "+OK\r\n");
  assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
  std::fs::remove_dir_all(&dir).unwrap();
}

/// DEBUG CONFIG-REWRITE-FORCE-ALL writes every parameter, defaults too, into a file that a
/// fresh server loads back to the same configuration (CONFIG GET * alike).
#[test]
fn a_forced_rewrite_loads_back_to_the_same_configuration() {
  let dir = std::env::temp_dir().join(format!("redwing-rewrite-all-{}", std::process::id()));
  std::fs::create_dir_all(&dir).unwrap();
  let path = dir.join("redwing.conf");
  std::fs::write(&path, "hz 15\n").unwrap();
  let mut c = Client::with_engine(Engine::default());
  c.engine.config.enable_debug_command = Permission::Yes;
  let without_file = c.cmd(&["DEBUG", "CONFIG-REWRITE-FORCE-ALL"]);
  assert!(without_file.starts_with("-ERR CONFIG-REWRITE-FORCE-ALL failed: "), "{without_file}");
  c.engine.host.config_file = path.to_string_lossy().into_owned();
  for (name, value) in
    [("save", ""), ("notify-keyspace-events", "KEA"), ("client-output-buffer-limit", "pubsub 1mb 0 0")]
  {
    assert_eq!(c.cmd(&["CONFIG", "SET", name, value]), "+OK\r\n", "{name}");
  }
  assert_eq!(c.cmd(&["DEBUG", "CONFIG-REWRITE-FORCE-ALL"]), "+OK\r\n");
  let text = std::fs::read_to_string(&path).unwrap();
  assert!(text.starts_with("hz 10\n# Generated by CONFIG REWRITE\n"), "the line in place: {text}");
  assert!(text.lines().any(|line| line == "maxmemory-policy noeviction"), "defaults are written too: {text}");
  let mut loaded = Engine::default();
  for line in text.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
    let args = redwing_engine::resp::parse::split_args(line.as_bytes()).expect(line);
    let args: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
    assert_eq!(load_directive(&mut loaded, &args), Ok(()), "{line}");
  }
  let mut loaded = Client::with_engine(loaded);
  assert_eq!(loaded.cmd(&["CONFIG", "GET", "*"]), c.cmd(&["CONFIG", "GET", "*"]));
  std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn start_up_directives() {
  let mut engine = Engine::default();
  let load = |engine: &mut Engine, line: &[&str]| {
    let args: Vec<&[u8]> = line.iter().map(|a| a.as_bytes()).collect();
    load_directive(engine, &args)
  };
  // Immutable and protected parameters are accepted at start-up.
  assert_eq!(load(&mut engine, &["databases", "4"]), Ok(()));
  assert_eq!(engine.keyspace.dbs.len(), 4);
  assert_eq!(load(&mut engine, &["dir", "/"]), Ok(()));
  assert_eq!(value_of(&engine, b"dir").as_deref(), Some("/"));
  assert_eq!(load(&mut engine, &["port", "7000"]), Ok(()));
  assert_eq!(load(&mut engine, &["bind", "127.0.0.1", "::1"]), Ok(()));
  assert_eq!(value_of(&engine, b"bind").as_deref(), Some("127.0.0.1 ::1"));
  assert_eq!(load(&mut engine, &["enable-debug-command", "local"]), Ok(()));
  assert_eq!(engine.config.enable_debug_command, Permission::Local);
  assert_eq!(load(&mut engine, &["daemonize", "no"]), Ok(()));
  assert_eq!(load(&mut engine, &["cluster-enabled", "no"]), Ok(()));
  assert_eq!(load(&mut engine, &["replicaof", "no", "one"]), Ok(()));
  assert_eq!(load(&mut engine, &["io-threads", "4"]), Ok(()));
  assert_eq!(load(&mut engine, &["unixsocketperm", "700"]), Ok(()));
  assert_eq!(value_of(&engine, b"unixsocketperm").as_deref(), Some("700"));
  // Multi-word values arrive as separate arguments.
  assert_eq!(load(&mut engine, &["save", ""]), Ok(()));
  assert_eq!(load(&mut engine, &["client-output-buffer-limit", "pubsub", "1mb", "0", "0"]), Ok(()));
  assert_eq!(engine.config.client_output_buffer_limits[2].hard, 1024 * 1024);
  // Old directives Redis ignores.
  assert_eq!(load(&mut engine, &["list-max-ziplist-entries", "512"]), Ok(()));
  // Refusals, with the reason to report.
  let refused = |engine: &mut Engine, line: &[&str]| load(engine, line).unwrap_err();
  assert_eq!(refused(&mut engine, &["no-such-option", "x"]), "Bad directive or wrong number of arguments");
  assert_eq!(refused(&mut engine, &["hz"]), "wrong number of arguments");
  assert_eq!(refused(&mut engine, &["hz", "1", "2"]), "wrong number of arguments");
  assert_eq!(refused(&mut engine, &["hz", "often"]), "argument couldn't be parsed into an integer");
  assert_eq!(load(&mut engine, &["save", "900", "1", "300", "10"]), Ok(()));
  assert_eq!(engine.config.save_rules, [(900, 1), (300, 10)]);
  assert_eq!(refused(&mut engine, &["save", "900"]), "Invalid save parameters");
  // Each `save` line after the first adds its rules (the first replaces the defaults); an
  // empty one removes them all.
  assert_eq!(load(&mut engine, &["save", "60", "5"]), Ok(()));
  assert_eq!(engine.config.save_rules, [(900, 1), (300, 10), (60, 5)]);
  assert_eq!(load(&mut engine, &["save", ""]), Ok(()));
  assert_eq!(engine.config.save_rules, []);
  assert_eq!(load(&mut engine, &["save", "100", "100"]), Ok(()));
  assert_eq!(engine.config.save_rules, [(100, 100)]);
  let mut fresh = Engine::default();
  assert_eq!(load(&mut fresh, &["save", "100", "100"]), Ok(()));
  assert_eq!(fresh.config.save_rules, [(100, 100)], "the first replaces the defaults");
  // At start-up, `appendonly yes` only records the wish; the host opens the AOF afterwards.
  assert_eq!(load(&mut engine, &["appendonly", "yes"]), Ok(()));
  assert!(engine.config.appendonly && engine.aof.state == redwing_engine::aof::AofState::Off);
  // The launcher daemonizes; the engine records the setting for CONFIG GET.
  assert_eq!(load(&mut engine, &["daemonize", "yes"]), Ok(()));
  assert_eq!(value_of(&engine, b"daemonize").as_deref(), Some("yes"));
  assert!(refused(&mut engine, &["cluster-enabled", "yes"]).contains("not supported"));
  assert_eq!(refused(&mut engine, &["replicaof", "127.0.0.1"]), "wrong number of arguments");
  assert_eq!(refused(&mut engine, &["replicaof", "127.0.0.1", "abc"]), "Invalid master port");
  assert_eq!(refused(&mut engine, &["replicaof", "127.0.0.1", "70000"]), "Invalid master port");
  assert_eq!(load(&mut engine, &["replicaof", "127.0.0.1", "6379"]), Ok(()));
  assert_eq!(value_of(&engine, b"replicaof").as_deref(), Some("127.0.0.1 6379"));
  assert!(engine.is_replica());
  assert_eq!(load(&mut engine, &["replicaof", "no", "one"]), Ok(()));
  assert!(!engine.is_replica());
  assert_eq!(load(&mut engine, &["unixsocket", "/tmp/redis.sock"]), Ok(()));
  assert_eq!(value_of(&engine, b"unixsocket").as_deref(), Some("/tmp/redis.sock"));
  assert_eq!(refused(&mut engine, &["dir", "/no/such/dir"]), "No such file or directory");
  assert_eq!(refused(&mut engine, &["dbfilename", "a/b.rdb"]), "dbfilename can't be a path, just a filename");
  assert_eq!(
    refused(
      &mut engine,
      &["bind", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"]
    ),
    "Too many bind addresses specified."
  );
  assert_eq!(value_of(&engine, b"no-such-option"), None);
}

/// The arguments of the `config|set` hand-over of `command`, as text (None: no hand-over).
fn config_set_hand_over(c: &mut Client, command: &[&str]) -> Option<Vec<String>> {
  let args: Vec<&[u8]> = command.iter().map(|a| a.as_bytes()).collect();
  let pending = c.engine.feed(c.slot, &common::encode(&args)).pending?;
  assert_eq!(pending.name, "config|set");
  let text = pending.args.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
  c.engine.resume(c.slot);
  Some(text)
}

#[test]
fn config_set_hands_the_listeners_and_tls_over_to_the_host() {
  let mut c = Client::new();
  // Each action once, in the order of the parameters, blaming the first that asked for it;
  // then every parameter's old value.
  assert_eq!(
    config_set_hand_over(
      &mut c,
      &["CONFIG", "SET", "tls-protocols", "TLSv1.3", "maxmemory", "1mb", "tls-port", "7001", "tls-ciphers", "HIGH"]
    ),
    Some(
      [
        "2",
        "tls-context",
        "tls-protocols",
        "tls-port",
        "tls-port",
        "tls-protocols",
        "",
        "maxmemory",
        "0",
        "tls-port",
        "0",
        "tls-ciphers",
        ""
      ]
      .map(String::from)
      .to_vec()
    )
  );
  // An unchanged value needs nothing, except a file's, which may have new content.
  assert_eq!(config_set_hand_over(&mut c, &["CONFIG", "SET", "tls-port", "7001", "port", "6379"]), None);
  assert_eq!(
    config_set_hand_over(&mut c, &["CONFIG", "SET", "tls-cert-file", ""]),
    Some(["1", "tls-context", "tls-cert-file", "tls-cert-file", ""].map(String::from).to_vec())
  );
  assert_eq!(
    config_set_hand_over(&mut c, &["CONFIG", "SET", "bind", "0.0.0.0", "port", "7000"]),
    Some(["2", "bind", "bind", "port", "port", "bind", "* -::*", "port", "6379"].map(String::from).to_vec())
  );
  // tls-auth-clients is read at each TLS connection: nothing to apply.
  assert_eq!(c.cmd(&["CONFIG", "SET", "tls-auth-clients", "optional"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["CONFIG", "SET", "tls-auth-clients", "maybe"]),
    "-ERR CONFIG SET failed (possibly related to argument 'tls-auth-clients') - argument(s) must be one of the \
     following: no, yes, optional\r\n"
  );
}

#[test]
fn config_sets_run_one_at_a_time_and_a_command_run_again_is_handed_over_when_resumed() {
  let mut c = Client::new();
  let (other, third) = (c.other(), c.other());
  let config_set = |port: &str| common::encode(&[b"CONFIG", b"SET", b"port", port.as_bytes()]);
  // The host applies the first CONFIG SET (it moves the listener)…
  let first = c.engine.feed(c.slot, &config_set("7000"));
  assert_eq!(first.pending.map(|p| p.name), Some("config|set"));
  // …while another client's waits, not run yet.
  let second = c.engine.feed(other, &config_set("7001"));
  assert!(second.pending.is_none() && second.reply.is_empty());
  assert_eq!(c.send_as(third, &["CONFIG", "GET", "port"]), "*2\r\n$4\r\nport\r\n$4\r\n7000\r\n");
  // Once the host resumes the first, the second runs; it needs the host too, which is asked to
  // resume its session and gets the command then.
  assert!(c.engine.resume(c.slot).pending.is_none());
  assert_eq!(std::mem::take(&mut c.engine.clients.resumes), [other]);
  assert_eq!(c.send_as(third, &["CONFIG", "GET", "port"]), "*2\r\n$4\r\nport\r\n$4\r\n7001\r\n");
  assert_eq!(c.engine.resume(other).pending.map(|p| p.name), Some("config|set"));
  assert!(c.engine.resume(other).pending.is_none());
  assert_eq!(c.send_as(other, &["PING"]), "+PONG\r\n");

  // A CONFIG SET held by a CLIENT PAUSE runs when the pause ends, and is handed over the same
  // way.
  assert_eq!(c.cmd(&["CLIENT", "PAUSE", "20", "ALL"]), "+OK\r\n");
  let held = c.engine.feed(other, &config_set("7002"));
  assert!(held.pending.is_none() && held.reply.is_empty());
  std::thread::sleep(std::time::Duration::from_millis(30));
  c.engine.tick();
  assert_eq!(std::mem::take(&mut c.engine.clients.resumes), [other]);
  assert_eq!(c.engine.resume(other).pending.map(|p| p.name), Some("config|set"));
  assert!(c.engine.resume(other).pending.is_none());
}

#[test]
fn tls_port_is_shown_and_announced_when_there_is_no_plain_port() {
  let mut c = Client::new();
  c.engine.host.tcp_port = 0;
  c.engine.host.tls_port = 6380;
  assert!(c.cmd(&["INFO", "server"]).contains("\r\ntcp_port:6380\r\n"));
  c.engine.host.tcp_port = 6379;
  assert!(c.cmd(&["INFO", "server"]).contains("\r\ntcp_port:6379\r\n"));
}

// ---------------------------------------------------------------------------------------------
// COMMAND

#[test]
fn command_info_matches_redis_bytes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["COMMAND", "INFO", "get", "config"]), COMMAND_INFO_RESP2);
  resp3(&mut c);
  assert_eq!(c.cmd(&["COMMAND", "INFO", "get", "config"]), COMMAND_INFO_RESP3);
}

#[test]
fn command_info_lookups() {
  let mut c = Client::new();
  let get = c.cmd(&["COMMAND", "INFO", "get"]);
  assert_eq!(c.cmd(&["COMMAND", "INFO", "GET"]), get);
  assert_eq!(c.cmd(&["COMMAND", "INFO", "no-such-command"]), "*1\r\n$-1\r\n");
  assert_eq!(c.cmd(&["COMMAND", "INFO", "get", "no-such-command"]), format!("{}$-1\r\n", get.replacen("*1", "*2", 1)));
  assert_eq!(c.cmd(&["COMMAND", "INFO", "config|nope", "config|get|x"]), "*2\r\n$-1\r\n$-1\r\n");
  assert_eq!(
    c.cmd(&["COMMAND", "INFO", "CONFIG|GET"]),
    "*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n\
     *3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"
  );
  assert_eq!(
    c.cmd(&["COMMAND", "INFO", "memory|usage"]),
    "*1\r\n*10\r\n$12\r\nmemory|usage\r\n:-3\r\n*1\r\n+readonly\r\n:2\r\n:2\r\n:1\r\n*2\r\n+@read\r\n+@slow\r\n*0\r\n\
     *1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n\
     *2\r\n$5\r\nindex\r\n:2\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n\
     :0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n"
  );
  assert_eq!(
    c.cmd(&["COMMAND", "INFO", "time"]),
    "*1\r\n*10\r\n$4\r\ntime\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@fast\r\n\
     *1\r\n$23\r\nnondeterministic_output\r\n*0\r\n*0\r\n"
  );
  resp3(&mut c);
  assert_eq!(c.cmd(&["COMMAND", "INFO", "no-such-command"]), "*1\r\n_\r\n");
}

#[test]
fn command_listing() {
  let mut c = Client::new();
  let count: usize = c.cmd(&["COMMAND", "COUNT"]).trim_start_matches(':').trim_end().parse().unwrap();
  assert!(count >= 10);
  let all = c.cmd(&["COMMAND"]);
  assert!(all.starts_with(&format!("*{count}\r\n*10\r\n")));
  assert_eq!(c.cmd(&["COMMAND", "INFO"]), all);
  assert_eq!(c.cmd(&["COMMAND", "COUNT", "extra"]), "-ERR wrong number of arguments for 'command|count' command\r\n");
  assert_eq!(c.cmd(&["COMMAND", "FOO"]), "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");

  let list = c.cmd(&["COMMAND", "LIST"]);
  assert!(list.contains("$3\r\nget\r\n") && list.contains("$10\r\nconfig|get\r\n"));
  assert_eq!(
    c.cmd(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog*"]),
    "*5\r\n$7\r\nslowlog\r\n$13\r\nslowlog|reset\r\n$11\r\nslowlog|len\r\n$12\r\nslowlog|help\r\n$11\r\nslowlog|get\r\n"
  );
  assert_eq!(c.cmd(&["COMMAND", "LIST", "FILTERBY", "pattern", "LASTSAV?"]), "*1\r\n$8\r\nlastsave\r\n");
  let admin = c.cmd(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "ADMIN"]);
  assert!(
    admin.contains("$10\r\nconfig|set\r\n") && admin.contains("$5\r\ndebug\r\n") && !admin.contains("$3\r\nget\r\n")
  );
  assert_eq!(c.cmd(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"]), "*0\r\n");
  assert_eq!(c.cmd(&["COMMAND", "LIST", "FILTERBY", "MODULE", "foo"]), "*0\r\n");
  for bad in [
    &["FOO"][..],
    &["FILTERBY"],
    &["FILTERBY", "PATTERN"],
    &["FILTERBY", "foo", "x"],
    &["FILTERBY", "PATTERN", "x", "y"],
  ] {
    let mut argv = vec!["COMMAND", "LIST"];
    argv.extend_from_slice(bad);
    assert_eq!(c.cmd(&argv), "-ERR syntax error\r\n", "{bad:?}");
  }
}

#[test]
fn command_docs() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["COMMAND", "DOCS", "no-such"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["COMMAND", "DOCS", "lastsave", "no-such"]),
    "*2\r\n$8\r\nlastsave\r\n*8\r\n$7\r\nsummary\r\n$58\r\nReturns the Unix time of the last successful save to disk.\r\n\
     $5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
  );
  // No complexity stated: no such field, as in Redis.
  assert_eq!(
    c.cmd(&["COMMAND", "DOCS", "monitor"]),
    "*2\r\n$7\r\nmonitor\r\n*6\r\n$7\r\nsummary\r\n$57\r\nStreams every command the server runs to this connection.\r\n\
     $5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n"
  );
  resp3(&mut c);
  let docs = c.cmd(&["COMMAND", "DOCS", "slowlog"]);
  assert!(docs.starts_with("%1\r\n$7\r\nslowlog\r\n%5\r\n$7\r\nsummary\r\n"), "{docs}");
  assert!(docs.contains("$11\r\nsubcommands\r\n%4\r\n$13\r\nslowlog|reset\r\n%4\r\n$7\r\nsummary\r\n"), "{docs}");
  let all = c.cmd(&["COMMAND", "DOCS"]);
  let count = c.cmd(&["COMMAND", "COUNT"]);
  assert!(all.starts_with(&format!("%{}\r\n", count.trim_start_matches(':').trim_end())));
}

#[test]
fn command_getkeys() {
  let mut c = Client::new();
  let cases: &[(&[&str], &str)] = &[
    (&["set", "a", "b"], "*1\r\n$1\r\na\r\n"),
    (&["GET", "key"], "*1\r\n$3\r\nkey\r\n"),
    (&["del", "a", "b", "c"], "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
    (&["memory", "usage", "k"], "*1\r\n$1\r\nk\r\n"),
    (&["MEMORY", "USAGE", "k", "SAMPLES", "5"], "*1\r\n$1\r\nk\r\n"),
    (&["ping", "x"], "-ERR The command has no key arguments\r\n"),
    (&["config", "get", "k"], "-ERR The command has no key arguments\r\n"),
    (&["get", "a", "b"], "-ERR Invalid number of arguments specified for command\r\n"),
    (&["set", "a"], "-ERR Invalid number of arguments specified for command\r\n"),
    (&["no-such-command", "a"], "-ERR Invalid command specified\r\n"),
    (&["memory", "nope", "k"], "-ERR Invalid command specified\r\n"),
  ];
  for (line, expected) in cases {
    let mut argv = vec!["COMMAND", "GETKEYS"];
    argv.extend_from_slice(line);
    assert_eq!(c.cmd(&argv), *expected, "{line:?}");
  }
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS", "get"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  assert_eq!(c.cmd(&["COMMAND", "GETKEYS"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  assert_eq!(
    c.cmd(&["COMMAND", "GETKEYSANDFLAGS", "del", "a", "b"]),
    "*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RM\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+RM\r\n+delete\r\n"
  );
  assert_eq!(c.cmd(&["COMMAND", "GETKEYSANDFLAGS", "get", "a"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["COMMAND", "GETKEYSANDFLAGS", "get", "a"]), "*1\r\n*2\r\n$1\r\na\r\n~2\r\n+RO\r\n+access\r\n");
}

#[test]
fn command_help() {
  let mut c = Client::new();
  let help = c.cmd(&["COMMAND", "HELP"]);
  assert!(help.starts_with("*19\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
  assert_eq!(c.cmd(&["COMMAND", "HELP", "extra"]), "-ERR wrong number of arguments for 'command|help' command\r\n");
}

// ---------------------------------------------------------------------------------------------
// TIME, LASTSAVE

#[test]
fn time_and_lastsave() {
  let mut c = Client::new();
  let reply = c.cmd(&["TIME"]);
  let parts: Vec<&str> = reply.split("\r\n").collect();
  assert_eq!(parts[0], "*2");
  let seconds: i64 = parts[2].parse().unwrap();
  let micros: i64 = parts[4].parse().unwrap();
  assert!((seconds - c.engine.telemetry.start_ms / 1000).abs() < 60);
  assert!((0..1_000_000).contains(&micros));
  assert_eq!(c.cmd(&["LASTSAVE"]), format!(":{}\r\n", c.engine.keyspace.last_save));
  assert_eq!(c.cmd(&["TIME", "extra"]), "-ERR wrong number of arguments for 'time' command\r\n");
  assert_eq!(c.cmd(&["LASTSAVE", "extra"]), "-ERR wrong number of arguments for 'lastsave' command\r\n");
}

// ---------------------------------------------------------------------------------------------
// DEBUG

#[test]
fn debug_needs_permission() {
  let refused = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run \
                 it from a local connection, otherwise you need to set this option in the configuration file, and then \
                 restart the server.\r\n";
  let mut c = Client::new();
  assert_eq!(c.cmd(&["DEBUG", "SLEEP", "0"]), refused);
  c.engine.config.enable_debug_command = Permission::Local;
  assert_eq!(c.cmd(&["DEBUG", "SLEEP", "0"]), "+OK\r\n");
  let remote = c.engine.open(Peer {
    addr: "10.0.0.7:4000".into(),
    laddr: "10.0.0.1:6379".into(),
    fd: 12,
    origin: redwing_engine::Origin::Network,
    unix: false,
  });
  let reply = c.engine.feed(remote, b"DEBUG SLEEP 0\r\n").reply;
  assert_eq!(String::from_utf8(reply).unwrap(), refused);
}

#[test]
fn debug_protocol_resp2_and_resp3() {
  let cases: [(&str, &str, &str); 13] = [
    ("string", "$11\r\nHello World\r\n", "$11\r\nHello World\r\n"),
    ("integer", ":12345\r\n", ":12345\r\n"),
    ("double", "$5\r\n3.141\r\n", ",3.141\r\n"),
    ("bignum", "$37\r\n1234567999999999999999999999999999999\r\n", "(1234567999999999999999999999999999999\r\n"),
    ("null", "$-1\r\n", "_\r\n"),
    ("array", "*3\r\n:0\r\n:1\r\n:2\r\n", "*3\r\n:0\r\n:1\r\n:2\r\n"),
    ("set", "*3\r\n:0\r\n:1\r\n:2\r\n", "~3\r\n:0\r\n:1\r\n:2\r\n"),
    ("map", "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"),
    (
      "attrib",
      "$39\r\nSome real reply following the attribute\r\n",
      "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n",
    ),
    (
      "push",
      "-ERR RESP2 is not supported by this command\r\n",
      ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n",
    ),
    ("verbatim", "$25\r\nThis is a verbatim\nstring\r\n", "=29\r\ntxt:This is a verbatim\nstring\r\n"),
    ("true", ":1\r\n", "#t\r\n"),
    ("false", ":0\r\n", "#f\r\n"),
  ];
  let mut two = with_debug();
  let mut three = with_debug();
  resp3(&mut three);
  for (name, resp2, resp3) in cases {
    assert_eq!(two.cmd(&["DEBUG", "PROTOCOL", name]), resp2, "{name}");
    assert_eq!(three.cmd(&["DEBUG", "PROTOCOL", &name.to_uppercase()]), resp3, "{name}");
  }
  for c in [&mut two, &mut three] {
    assert_eq!(
      c.cmd(&["DEBUG", "PROTOCOL", "nope"]),
      "-ERR Wrong protocol type name. Please use one of the following: \
       string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n"
    );
    assert_eq!(
      c.cmd(&["DEBUG", "PROTOCOL"]),
      "-ERR unknown subcommand or wrong number of arguments for 'PROTOCOL'. Try DEBUG HELP.\r\n"
    );
  }
}

#[test]
fn debug_digests_match_redis() {
  let mut c = with_debug();
  let zero = "+0000000000000000000000000000000000000000\r\n";
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), zero);
  c.cmd(&["SET", "dk", "hello"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+6d21b5cf1abb540368e056fce739ff0507534424\r\n");
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST-VALUE", "dk", "missing"]),
    format!("*2\r\n+36b23a1456b2dce2c3ed252c456761301dba8060\r\n{zero}")
  );
  c.cmd(&["SET", "n", "12345"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+72d0ffdbee468a80cada2db1a78908d0dfcf0325\r\n");
  c.cmd(&["PEXPIRE", "dk", "100000"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+999b82ba2e496de70eeb496d610efe53ea9d8980\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "dk"]), "*1\r\n+d037c4eb8a8b36b602fbced4000daeab0714c1e3\r\n");
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["DEBUG", "DIGEST", "extra"]),
    "-ERR unknown subcommand or wrong number of arguments for 'DIGEST'. Try DEBUG HELP.\r\n"
  );
}

#[test]
fn debug_populate() {
  let mut c = with_debug();
  assert_eq!(c.cmd(&["DEBUG", "POPULATE", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "key:0"]), "$7\r\nvalue:0\r\n");
  assert_eq!(c.cmd(&["DEBUG", "POPULATE", "2", "foo", "10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "foo:1"]), "$10\r\nvalue:1\0\0\0\r\n");
  assert_eq!(c.cmd(&["DEBUG", "POPULATE", "2", "bar", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "bar:1"]), "$3\r\nval\r\n");
  c.cmd(&["SET", "key:5", "x"]);
  assert_eq!(c.cmd(&["DEBUG", "POPULATE", "7"]), "+OK\r\n");
  assert_eq!(c.cmd(&["GET", "key:5"]), "$1\r\nx\r\n");
  assert_eq!(c.cmd(&["DEBUG", "POPULATE", "1", "x", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["DBSIZE"]), ":12\r\n");
  // The same dataset as the reference server: the same digest.
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+0f104cc80d46ec1bf6689da595998e9bd03efebe\r\n");
  c.cmd(&["SELECT", "1"]);
  c.cmd(&["SET", "a", "b"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST"]), "+5e9e0f50ac8d2d5643c2449a9c8832ea56963f52\r\n");
  for bad in [&["-1"][..], &["abc"], &["1", "x", "abc"], &["1", "x", "-1"]] {
    let mut argv = vec!["DEBUG", "POPULATE"];
    argv.extend_from_slice(bad);
    assert_eq!(c.cmd(&argv), "-ERR value is out of range, must be positive\r\n", "{bad:?}");
  }
  assert_eq!(
    c.cmd(&["DEBUG", "POPULATE", "1", "a", "b", "c"]),
    "-ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP.\r\n"
  );
}

#[test]
fn debug_small_helpers() {
  let mut c = with_debug();
  assert_eq!(c.cmd(&["DEBUG", "ERROR", "hello world"]), "-hello world\r\n");
  assert_eq!(c.cmd(&["DEBUG", "ERROR", ""]), "-\r\n");
  assert_eq!(c.cmd(&["DEBUG", "ERROR", "a\r\nb"]), "-a  b\r\n");
  // Not counted as error replies, as in Redis.
  assert_eq!(c.engine.telemetry.stats.total_error_replies, 0);
  assert_eq!(c.cmd(&["DEBUG", "LOG", "hello"]), "+OK\r\n");
  assert_eq!(c.engine.telemetry.log_lines, ["# DEBUG LOG: hello"]);
  assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
  assert!(!c.engine.keyspace.active_expire_enabled);
  assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]), "+OK\r\n");
  assert!(c.engine.keyspace.active_expire_enabled);
  for seconds in ["0", "abc", "-1", "inf"] {
    assert_eq!(c.cmd(&["DEBUG", "SLEEP", seconds]), "+OK\r\n");
  }
  let started = std::time::Instant::now();
  assert_eq!(c.cmd(&["DEBUG", "SLEEP", "0.05"]), "+OK\r\n");
  assert!(started.elapsed() >= std::time::Duration::from_millis(50));
  assert_eq!(
    c.cmd(&["DEBUG", "FOO"]),
    "-ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP.\r\n"
  );
  assert_eq!(c.cmd(&["DEBUG"]), "-ERR wrong number of arguments for 'debug' command\r\n");
  let help = c.cmd(&["DEBUG", "HELP"]);
  assert!(help.starts_with("*57\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
  for crash in ["ASSERT", "PANIC", "SEGFAULT"] {
    assert!(help.contains(&format!("\r\n+{crash}\r\n")), "{help}");
  }
}

#[test]
fn debug_pause_cron_stops_the_periodic_work() {
  let mut c = with_debug();
  c.cmd(&["SET", "k", "v", "PX", "1"]);
  assert_eq!(c.cmd(&["DEBUG", "PAUSE-CRON", "1"]), "+OK\r\n");
  std::thread::sleep(std::time::Duration::from_millis(5));
  for _ in 0..3 {
    c.engine.tick();
  }
  // Active expiry did not run: the key is still counted.
  assert_eq!(c.cmd(&["DBSIZE"]), ":1\r\n");
  assert_eq!(c.cmd(&["DEBUG", "PAUSE-CRON", "0"]), "+OK\r\n");
  c.engine.tick();
  assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
}

#[test]
fn the_active_expiry_cycle_is_timed_and_a_slow_one_is_a_latency_event() {
  let mut c = with_debug();
  c.cmd(&["CONFIG", "SET", "latency-monitor-threshold", "1"]);
  // A hash of many long fields: deleting it frees each of them, milliseconds in all.
  for batch in 0..300 {
    let fields: Vec<String> = (0..1000).map(|i| format!("field-{batch}-{i}-of-a-long-enough-name")).collect();
    let mut command = vec!["HSET", "big"];
    for field in &fields {
      command.extend([field.as_str(), "value"]);
    }
    c.cmd(&command);
  }
  assert_eq!(common::info_field(&mut c, "stats", "expire_cycle_cpu_milliseconds"), "0");
  c.cmd(&["PEXPIRE", "big", "1"]);
  std::thread::sleep(std::time::Duration::from_millis(5));
  c.engine.tick();
  assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
  let latest = c.cmd(&["LATENCY", "LATEST"]);
  assert!(latest.contains("$12\r\nexpire-cycle\r\n"), "{latest}");
  let used: u64 = common::info_field(&mut c, "stats", "expire_cycle_cpu_milliseconds").parse().unwrap();
  assert!(used >= 1, "{used}");
  c.cmd(&["CONFIG", "RESETSTAT"]);
  assert_eq!(common::info_field(&mut c, "stats", "expire_cycle_cpu_milliseconds"), "0");
}

#[test]
fn debug_compatibility_subcommands() {
  let mut c = with_debug();
  let replid = c.engine.telemetry.replid.clone();
  assert_eq!(c.cmd(&["DEBUG", "CHANGE-REPL-ID"]), "+OK\r\n");
  assert_ne!(c.engine.telemetry.replid, replid);
  assert_eq!(c.engine.telemetry.replid.len(), 40);
  assert_eq!(c.cmd(&["DEBUG", "STRINGMATCH-TEST"]), "+Apparently Redis did not crash: test passed\r\n");
  c.cmd(&["HSET", "h", "f", "v"]);
  assert_eq!(c.cmd(&["DEBUG", "LISTPACK", "h"]), "+Listpack structure printed on stdout\r\n");
  assert!(c.engine.telemetry.log_lines.iter().any(|line| line.starts_with("Listpack of 'h': a hash")));
}

#[test]
fn debug_object() {
  let mut c = with_debug();
  assert_eq!(c.cmd(&["DEBUG", "OBJECT", "missing"]), "-ERR no such key\r\n");
  c.cmd(&["SET", "s", "hello"]);
  c.cmd(&["SET", "n", "12345"]);
  c.cmd(&["SET", "small", "7"]);
  let line = c.cmd(&["DEBUG", "OBJECT", "s"]);
  assert!(line.starts_with("+Value at:0x"), "{line}");
  assert!(line.contains(" refcount:1 encoding:embstr serializedlength:6 lru:"), "{line}");
  assert!(line.ends_with(" lru_seconds_idle:0\r\n"), "{line}");
  // Redis shares the objects of integers below 10000.
  assert!(c.cmd(&["DEBUG", "OBJECT", "n"]).contains(" refcount:1 encoding:int serializedlength:3 "));
  assert!(c.cmd(&["DEBUG", "OBJECT", "small"]).contains(" refcount:2147483647 encoding:int serializedlength:2 "));
}

// ---------------------------------------------------------------------------------------------
// SLOWLOG

#[test]
fn slowlog_records_commands() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["SLOWLOG", "RESET"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "slowlog-log-slower-than", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CLIENT", "SETNAME", "worker"]), "+OK\r\n");
  c.cmd(&["GET", "x"]);
  assert_eq!(c.cmd(&["SLOWLOG", "LEN"]), ":3\r\n");
  // Newest first: [id, time, duration, args, addr, name]; SLOWLOG LEN was logged too.
  let reply = c.cmd(&["SLOWLOG", "GET", "2"]);
  let lines: Vec<&str> = reply.split("\r\n").collect();
  assert_eq!(&lines[..3], ["*2", "*6", ":3"]);
  assert_eq!(&lines[5..10], ["*2", "$7", "SLOWLOG", "$3", "LEN"]);
  assert_eq!(&lines[14..17], ["*6", ":2", lines[3]]);
  assert_eq!(&lines[18..23], ["*2", "$3", "GET", "$1", "x"]);
  assert_eq!(&lines[23..27], ["$15", "127.0.0.1:50000", "$6", "worker"]);
  // The entry of the CONFIG SET itself has no client name yet.
  let all = c.cmd(&["SLOWLOG", "GET", "-1"]);
  assert!(all.starts_with("*5\r\n") && all.ends_with("$15\r\n127.0.0.1:50000\r\n$0\r\n\r\n"), "{all}");
  assert_eq!(c.cmd(&["SLOWLOG", "GET", "0"]), "*0\r\n");
  // Errors.
  assert_eq!(c.cmd(&["SLOWLOG", "GET", "abc"]), "-ERR count should be greater than or equal to -1\r\n");
  assert_eq!(c.cmd(&["SLOWLOG", "GET", "-2"]), "-ERR count should be greater than or equal to -1\r\n");
  assert_eq!(
    c.cmd(&["SLOWLOG", "GET", "1", "2"]),
    "-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n"
  );
  assert_eq!(c.cmd(&["SLOWLOG", "LEN", "extra"]), "-ERR wrong number of arguments for 'slowlog|len' command\r\n");
  assert_eq!(c.cmd(&["SLOWLOG", "FOO"]), "-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.\r\n");
  assert!(c.cmd(&["SLOWLOG", "HELP"]).starts_with("*12\r\n+SLOWLOG <subcommand>"));
  // RESET empties the log; ids keep counting.
  assert_eq!(c.cmd(&["SLOWLOG", "RESET"]), "+OK\r\n");
  let reply = c.cmd(&["SLOWLOG", "GET"]);
  assert!(reply.starts_with("*1\r\n*6\r\n:"), "{reply}");
  assert!(reply.contains("*2\r\n$7\r\nSLOWLOG\r\n$5\r\nRESET\r\n"), "{reply}");
}

#[test]
fn slowlog_limits_and_secrets() {
  let mut c = Client::new();
  c.cmd(&["CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "2"]);
  for _ in 0..5 {
    c.cmd(&["PING"]);
  }
  assert_eq!(c.cmd(&["SLOWLOG", "LEN"]), ":2\r\n");
  c.cmd(&["CONFIG", "SET", "slowlog-max-len", "128"]);
  c.cmd(&["SLOWLOG", "RESET"]);
  c.cmd(&["CONFIG", "SET", "requirepass", "", "hz", "10"]);
  c.cmd(&["AUTH", "user", "pass"]);
  let long = "x".repeat(130);
  c.cmd(&["ECHO", &long]);
  let many: Vec<String> = (0..40).map(|i| i.to_string()).collect();
  let mut argv = vec!["DEL"];
  argv.extend(many.iter().map(String::as_str));
  c.cmd(&argv);
  let reply = c.cmd(&["SLOWLOG", "GET", "-1"]);
  assert!(reply.contains(
    "*6\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nrequirepass\r\n$10\r\n(redacted)\r\n$2\r\nhz\r\n$2\r\n10\r\n"
  ));
  assert!(reply.contains("*3\r\n$4\r\nAUTH\r\n$10\r\n(redacted)\r\n$10\r\n(redacted)\r\n"));
  assert!(reply.contains(&format!("$146\r\n{}... (2 more bytes)\r\n", "x".repeat(128))));
  assert!(reply.contains("*32\r\n$3\r\nDEL\r\n$1\r\n0\r\n"));
  assert!(reply.contains("$2\r\n29\r\n$23\r\n... (10 more arguments)\r\n"));
  // A length of 0 keeps nothing, and uses no ids.
  c.cmd(&["CONFIG", "SET", "slowlog-max-len", "0"]);
  c.cmd(&["SLOWLOG", "RESET"]);
  c.cmd(&["PING"]);
  c.cmd(&["CONFIG", "SET", "slowlog-max-len", "1"]);
  assert_eq!(c.cmd(&["SLOWLOG", "LEN"]), ":1\r\n");
  let before = c.engine.telemetry.slowlog.next_id;
  c.cmd(&["CONFIG", "SET", "slowlog-log-slower-than", "-1"]);
  c.cmd(&["PING"]);
  assert_eq!(c.engine.telemetry.slowlog.next_id, before);
}

// ---------------------------------------------------------------------------------------------
// LATENCY

#[test]
fn latency_monitor_events() {
  let mut c = with_debug();
  assert_eq!(c.cmd(&["LATENCY", "LATEST"]), "*0\r\n");
  assert_eq!(c.cmd(&["LATENCY", "HISTORY", "command"]), "*0\r\n");
  assert_eq!(c.cmd(&["LATENCY", "RESET"]), ":0\r\n");
  assert_eq!(c.cmd(&["LATENCY", "GRAPH", "command"]), "-ERR No samples available for event 'command'\r\n");
  // Nothing is recorded while the threshold is 0.
  c.cmd(&["DEBUG", "SLEEP", "0.002"]);
  assert_eq!(c.cmd(&["LATENCY", "LATEST"]), "*0\r\n");
  assert!(c.cmd(&["LATENCY", "DOCTOR"]).starts_with('$'));

  c.cmd(&["CONFIG", "SET", "latency-monitor-threshold", "1"]);
  c.cmd(&["DEBUG", "SLEEP", "0.003"]);
  let latest = c.cmd(&["LATENCY", "LATEST"]);
  let fields: Vec<&str> = latest.split("\r\n").collect();
  assert_eq!(&fields[..4], ["*1", "*4", "$7", "command"]);
  let time: i64 = fields[4][1..].parse().unwrap();
  assert!((time - c.engine.telemetry.start_ms / 1000).abs() < 60);
  let latency: i64 = fields[5][1..].parse().unwrap();
  assert!(latency >= 3, "{latest}");
  assert_eq!(fields[6], fields[5], "the maximum is the only sample");
  let history = c.cmd(&["LATENCY", "HISTORY", "command"]);
  assert!(history.starts_with("*1\r\n*2\r\n:"), "{history}");
  assert!(c.cmd(&["LATENCY", "GRAPH", "command"]).starts_with("$"));
  assert!(text_of(&c.cmd(&["LATENCY", "DOCTOR"])).contains("command"));
  assert_eq!(c.cmd(&["LATENCY", "RESET", "fast-command", "nope"]), ":0\r\n");
  assert_eq!(c.cmd(&["LATENCY", "RESET", "command"]), ":1\r\n");
  assert_eq!(c.cmd(&["LATENCY", "LATEST"]), "*0\r\n");

  assert_eq!(c.cmd(&["LATENCY", "LATEST", "x"]), "-ERR wrong number of arguments for 'latency|latest' command\r\n");
  assert_eq!(c.cmd(&["LATENCY", "HISTORY"]), "-ERR wrong number of arguments for 'latency|history' command\r\n");
  assert_eq!(c.cmd(&["LATENCY", "FOO"]), "-ERR unknown subcommand 'FOO'. Try LATENCY HELP.\r\n");
  assert!(c.cmd(&["LATENCY", "HELP"]).starts_with("*16\r\n+LATENCY <subcommand>"));
}

#[test]
fn latency_histograms() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["LATENCY", "HISTOGRAM", "nosuch"]), "*0\r\n");
  c.cmd(&["SET", "a", "1"]);
  c.cmd(&["SET", "a", "2"]);
  c.cmd(&["CONFIG", "GET", "hz"]);
  let set = c.cmd(&["LATENCY", "HISTOGRAM", "set", "nosuch"]);
  assert!(set.starts_with("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:2\r\n$14\r\nhistogram_usec\r\n*"), "{set}");
  let config = c.cmd(&["LATENCY", "HISTOGRAM", "config"]);
  assert!(config.starts_with("*2\r\n$10\r\nconfig|get\r\n*4\r\n$5\r\ncalls\r\n:1\r\n"), "{config}");
  let all = c.cmd(&["LATENCY", "HISTOGRAM"]);
  assert!(all.contains("$3\r\nset\r\n") && all.contains("$10\r\nconfig|get\r\n"));
  resp3(&mut c);
  assert!(c.cmd(&["LATENCY", "HISTOGRAM", "set"]).starts_with("%1\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:2\r\n"));
  // Turning tracking off stops the recording.
  c.cmd(&["CONFIG", "SET", "latency-tracking", "no"]);
  c.cmd(&["GET", "a"]);
  assert_eq!(c.cmd(&["LATENCY", "HISTOGRAM", "get"]), "%0\r\n");
}

// ---------------------------------------------------------------------------------------------
// MEMORY

#[test]
fn memory_usage() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "missing"]), "$-1\r\n");
  c.cmd(&["SET", "short", "hello"]);
  c.cmd(&["SET", "long", &"x".repeat(1000)]);
  let usage = |c: &mut Client, key: &str| -> i64 { c.cmd(&["MEMORY", "USAGE", key])[1..].trim_end().parse().unwrap() };
  let short = usage(&mut c, "short");
  let long = usage(&mut c, "long");
  assert!(short > 0 && long >= short + 1000, "{short} {long}");
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "short", "SAMPLES", "0"]), format!(":{short}\r\n"));
  assert_eq!(
    c.cmd(&["MEMORY", "USAGE", "short", "SAMPLES", "abc"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "short", "SAMPLES", "-1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "short", "SAMPLES"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "short", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["MEMORY", "USAGE"]), "-ERR wrong number of arguments for 'memory|usage' command\r\n");
  assert_eq!(c.cmd(&["MEMORY", "FOO"]), "-ERR unknown subcommand 'FOO'. Try MEMORY HELP.\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["MEMORY", "USAGE", "missing"]), "_\r\n");
}

#[test]
fn memory_reports() {
  let mut c = Client::new();
  c.cmd(&["SET", "a", "1"]);
  assert_eq!(c.cmd(&["MEMORY", "PURGE"]), "+OK\r\n");
  assert_eq!(c.cmd(&["MEMORY", "MALLOC-STATS"]), "$45\r\nStats not supported for the current allocator\r\n");
  assert!(c.cmd(&["MEMORY", "DOCTOR"]).starts_with('$'));
  let stats = c.cmd(&["MEMORY", "STATS"]);
  assert!(stats.starts_with("*56\r\n$14\r\npeak.allocated\r\n:"), "{stats}");
  assert!(stats.contains("$10\r\nkeys.count\r\n:1\r\n"));
  assert!(stats.contains("$4\r\ndb.0\r\n*4\r\n$23\r\noverhead.hashtable.main\r\n"));
  resp3(&mut c);
  assert!(c.cmd(&["MEMORY", "STATS"]).starts_with("%28\r\n"));
  assert!(c.cmd(&["MEMORY", "HELP"]).starts_with("*13\r\n+MEMORY <subcommand>"));
}

#[test]
fn hidden_configs_answer_only_to_their_exact_name() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "GET", "key-load-delay"]), "*2\r\n$14\r\nkey-load-delay\r\n$1\r\n0\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "key-load-delay", "-5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "key-load-delay"]), "*2\r\n$14\r\nkey-load-delay\r\n$2\r\n-5\r\n");
  assert_eq!(c.cmd(&["CONFIG", "GET", "key-load-*"]), "*0\r\n");
  assert!(!c.cmd(&["CONFIG", "GET", "*"]).contains("watchdog-period"));
}

#[test]
fn module_commands_load_nothing() {
  let mut c = Client::new();
  let refused =
    "-ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run \
                 it from a local connection, otherwise you need to set this option in the configuration file, and \
                 then restart the server.\r\n";
  assert_eq!(c.cmd(&["MODULE", "LIST"]), "*0\r\n");
  assert_eq!(c.cmd(&["MODULE", "LOAD", "/lib/x.so"]), refused);
  assert_eq!(c.cmd(&["MODULE", "UNLOAD", "x"]), refused);
  load_directive(&mut c.engine, &[b"enable-module-command", b"local"]).unwrap();
  assert_eq!(
    c.cmd(&["MODULE", "LOAD", "/lib/x.so", "arg"]),
    "-ERR Error loading the extension. Please check the server logs.\r\n"
  );
  assert_eq!(
    c.cmd(&["MODULE", "LOADEX", "/lib/x.so", "CONFIG", "a", "b"]),
    "-ERR Error loading the extension. Please check the server logs.\r\n"
  );
  assert_eq!(c.cmd(&["MODULE", "UNLOAD", "x"]), "-ERR Error unloading module: no such module with that name\r\n");
  assert!(c
    .engine
    .telemetry
    .log_lines
    .iter()
    .any(|line| line == "Module /lib/x.so failed to load: modules are not supported"));
}

#[test]
fn wait_blocks_until_its_timeout_without_replicas() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["WAIT", "0", "0"]), ":0\r\n");
  // Asking for a replica blocks until the timeout (0: until CLIENT UNBLOCK).
  assert_eq!(c.cmd(&["WAIT", "1", "0"]), "");
  assert!(c.engine.blocking.is_blocked(c.slot));
  let id = c.engine.clients.session(c.slot).map(|s| s.id).unwrap();
  let other = c.other();
  assert_eq!(c.send_as(other, &["CLIENT", "UNBLOCK", &id.to_string()]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(c.slot, ":0\r\n".to_string())]);
  assert_eq!(c.cmd(&["WAIT", "2", "20"]), "");
  std::thread::sleep(std::time::Duration::from_millis(30));
  c.engine.tick();
  assert_eq!(c.take_outbox(), [(c.slot, ":0\r\n".to_string())]);
}

#[test]
fn info_counts_changes_since_the_last_save() {
  let mut c = Client::new();
  let changes = |c: &mut Client| {
    let info = c.cmd(&["INFO", "persistence"]);
    info_field(text_of(&info), "rdb_changes_since_last_save").map(str::to_string)
  };
  assert_eq!(changes(&mut c).as_deref(), Some("0"));
  c.cmd(&["SET", "k", "v"]);
  c.cmd(&["MSET", "a", "1", "b", "2"]);
  c.cmd(&["SADD", "s", "x"]);
  c.cmd(&["SADD", "s", "x"]);
  // SET 1, MSET 2, SADD of a new member 1, of an existing one 0.
  assert_eq!(changes(&mut c).as_deref(), Some("4"));
}

/// `rename-command` in the configuration: the old name is unknown, the new one runs the
/// command; an empty new name removes it.
#[test]
fn rename_command_directives() {
  use redwing_engine::cmd::server::config::load_directive;
  let mut c = Client::new();
  load_directive(&mut c.engine, &[b"rename-command", b"config", b"cfg"]).unwrap();
  load_directive(&mut c.engine, &[b"rename-command", b"flushall", b""]).unwrap();
  assert_eq!(
    load_directive(&mut c.engine, &[b"rename-command", b"nosuch", b"x"]),
    Err("No such command in rename-command".into())
  );
  assert_eq!(
    load_directive(&mut c.engine, &[b"rename-command", b"get", b"set"]),
    Err("Target command name already exists".into())
  );
  assert_eq!(
    c.cmd(&["CONFIG", "GET", "port"]),
    "-ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' \r\n"
  );
  assert_eq!(c.cmd(&["CFG", "GET", "port"]), "*2\r\n$4\r\nport\r\n$4\r\n6379\r\n");
  assert!(c.cmd(&["FLUSHALL"]).starts_with("-ERR unknown command 'FLUSHALL'"));
  assert_eq!(
    c.cmd(&["EVAL", "return redis.pcall('flushall')['err']", "0"]),
    "$44\r\nERR Unknown Redis command called from script\r\n"
  );
}

/// `oom-score-adj` sets the process's OOM score from `oom-score-adj-values` by role, relative
/// to the score it had or absolute, and puts the old score back when turned off; only for a
/// host that manages its process (the standalone server).
#[cfg(target_os = "linux")]
#[test]
fn oom_score_adj_sets_the_process_score() {
  let score = || std::fs::read_to_string("/proc/self/oom_score_adj").unwrap().trim().parse::<i64>().unwrap();
  let base = score();
  let mut c = Client::with_engine(Engine::default());
  let set = |c: &mut Client, args: &[&str]| {
    let mut command = vec!["CONFIG", "SET"];
    command.extend_from_slice(args);
    c.cmd(&command)
  };
  assert_eq!(set(&mut c, &["oom-score-adj-values", "10 20 30", "oom-score-adj", "relative"]), "+OK\r\n");
  assert_eq!(score(), base, "an embedded store leaves its process alone");
  assert_eq!(c.cmd(&["CONFIG", "GET", "oom-score-adj"]), "*2\r\n$13\r\noom-score-adj\r\n$3\r\nyes\r\n");
  c.engine.host.manages_process = true;
  c.engine.apply_oom_score_adj().unwrap();
  assert_eq!(score(), base + 10);
  assert_eq!(set(&mut c, &["oom-score-adj-values", "15 20 30"]), "+OK\r\n");
  assert_eq!(score(), base + 15);
  assert_eq!(c.cmd(&["REPLICAOF", "127.0.0.1", "1"]), "+OK\r\n");
  assert_eq!(score(), base + 20, "a replica's score");
  assert_eq!(c.cmd(&["REPLICAOF", "NO", "ONE"]), "+OK\r\n");
  assert_eq!(score(), base + 15);
  assert_eq!(set(&mut c, &["oom-score-adj", "absolute"]), "+OK\r\n");
  assert_eq!(score(), 15);
  assert!(set(&mut c, &["oom-score-adj-values", "5000 0 0"]).starts_with("-ERR CONFIG SET failed"));
  assert_eq!(set(&mut c, &["oom-score-adj", "no"]), "+OK\r\n");
  assert_eq!(score(), base, "the score it had");
}
