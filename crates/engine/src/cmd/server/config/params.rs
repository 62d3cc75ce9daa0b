//! The parameter table: every configuration parameter redwing accepts, in alphabetical order,
//! with Redis 7.0's bounds, value lists and defaults.
//!
//! Parameters that engine code reads are bound to a typed `Config` field with the `*_field!`
//! macros; the rest keep their canonical text (see `config.rs`). The listening sockets and
//! the TLS configuration belong to the TypeScript host, which reads `port`, `bind` and the
//! `tls-*` parameters when it starts listening and applies a change made by CONFIG SET (see
//! [`HostApply`]).

use super::{yes_no, HostApply, Kind, Param};
use crate::aof::FsyncPolicy;
use crate::config::{notify, BufferLimit, DisklessLoad, EvictionPolicy, OomScoreAdj, Permission};

const INT_MAX: i64 = i32::MAX as i64;
const INT_MIN: i64 = i32::MIN as i64;
const UINT_MAX: i64 = u32::MAX as i64;
const LONG_MAX: i64 = i64::MAX;
const MEMORY_MAX: u64 = i64::MAX as u64;
const MB: u64 = 1024 * 1024;

/// `appendfsync`'s values, in the order of [`FsyncPolicy`]'s variants.
const FSYNC_POLICIES: &[&str] = &["everysec", "always", "no"];

/// Accessors for a `yes`/`no` parameter stored in a `bool` field of `Config`.
macro_rules! bool_field {
  ($field:ident) => {
    (
      |e, _| yes_no(e.config.$field).to_string(),
      |e, p, v| {
        e.config.$field = p.parse_bool(v)?;
        Ok(())
      },
    )
  };
}

/// Accessors for an integer parameter stored in an integer field of `Config`.
macro_rules! int_field {
  ($field:ident $(, then $hook:ident)?) => {
    (
      |e, _| e.config.$field.to_string(),
      |e, p, v| {
        e.config.$field = p.parse_int(v)? as _;
        $(e.$hook();)?
        Ok(())
      },
    )
  };
}

/// Accessors for a byte-count parameter stored in an integer field of `Config`.
macro_rules! memory_field {
  ($field:ident) => {
    (
      |e, _| e.config.$field.to_string(),
      |e, p, v| {
        e.config.$field = p.parse_memory(v)? as _;
        Ok(())
      },
    )
  };
}

pub static PARAMS: &[Param] = &[
  Param::choice("acl-pubsub-default", &["allchannels", "resetchannels"], "resetchannels").field((
    |e, _| if e.config.acl_pubsub_all_channels { "allchannels" } else { "resetchannels" }.into(),
    |e, p, v| {
      e.config.acl_pubsub_all_channels = p.parse_choice(v)? == 0;
      Ok(())
    },
  )),
  Param::text("aclfile", "").immutable(),
  Param::int("acllog-max-len", 0, LONG_MAX, "128").field(int_field!(acllog_max_len)),
  Param::int("active-defrag-cycle-max", 1, 99, "25"),
  Param::int("active-defrag-cycle-min", 1, 99, "1"),
  Param::memory("active-defrag-ignore-bytes", 1, MEMORY_MAX, "104857600"),
  Param::int("active-defrag-max-scan-fields", 1, LONG_MAX, "1000"),
  Param::int("active-defrag-threshold-lower", 0, 1000, "10"),
  Param::int("active-defrag-threshold-upper", 0, 1000, "100"),
  Param::int("active-expire-effort", 1, 10, "1").field(int_field!(active_expire_effort)),
  Param::boolean("activedefrag", "no"),
  Param::boolean("activerehashing", "yes"),
  Param::boolean("always-show-logo", "no").immutable(),
  Param::boolean("aof-disable-auto-gc", "no"),
  Param::boolean("aof-load-truncated", "yes"),
  Param::boolean("aof-rewrite-incremental-fsync", "yes"),
  Param::boolean("aof-timestamp-enabled", "no").field(bool_field!(aof_timestamp_enabled)),
  Param::boolean("aof-use-rdb-preamble", "yes"),
  Param::text("appenddirname", "appendonlydir").immutable(),
  Param::text("appendfilename", "appendonly.aof").immutable(),
  Param::choice("appendfsync", FSYNC_POLICIES, "everysec").field((
    |e, _| FSYNC_POLICIES[e.config.appendfsync as usize].into(),
    |e, p, v| {
      e.config.appendfsync = [FsyncPolicy::Everysec, FsyncPolicy::Always, FsyncPolicy::No][p.parse_choice(v)?];
      Ok(())
    },
  )),
  Param::boolean("appendonly", "no").denied_while_loading().field((
    |e, _| yes_no(e.config.appendonly).into(),
    |e, p, v| {
      let on = p.parse_bool(v)?;
      e.appendonly_changed(on);
      Ok(())
    },
  )),
  Param::memory("auto-aof-rewrite-min-size", 0, MEMORY_MAX, "67108864"),
  Param::int("auto-aof-rewrite-percentage", 0, INT_MAX, "100"),
  Param::custom("bind", parse_bind, "* -::*").applied_by_host(HostApply::Bind).multi_word(),
  Param::text("bind-source-addr", ""),
  Param::int("busy-reply-threshold", 0, LONG_MAX, "5000")
    .alias("lua-time-limit")
    .field(int_field!(busy_reply_threshold)),
  Param::custom(
    "client-output-buffer-limit",
    parse_buffer_limits,
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
  )
  .multi_word()
  .field((
    |e, _| format_buffer_limits(&e.config.client_output_buffer_limits),
    |e, _, v| {
      for (class, limit) in buffer_limits(v)? {
        e.config.client_output_buffer_limits[class] = limit;
      }
      Ok(())
    },
  )),
  Param::memory("client-query-buffer-limit", MB, MEMORY_MAX, "1073741824")
    .field(memory_field!(client_query_buffer_limit)),
  Param::boolean("cluster-enabled", "no").immutable().field((
    |_, _| "no".into(),
    |_, p, v| match p.parse_bool(v)? {
      true => Err("cluster mode is not supported yet".into()),
      false => Ok(()),
    },
  )),
  Param::boolean("crash-log-enabled", "yes"),
  Param::boolean("crash-memcheck-enabled", "yes"),
  // The standalone server's launcher acts on it (see ts/bin/daemon.ts); the engine only keeps it.
  Param::boolean("daemonize", "no").immutable(),
  Param::int("databases", 1, INT_MAX, "16").immutable().field((
    |e, _| e.config.databases.to_string(),
    |e, p, v| {
      e.config.databases = p.parse_int(v)? as usize;
      e.apply_databases();
      Ok(())
    },
  )),
  Param::custom("dbfilename", parse_file_name, "dump.rdb").protected(),
  Param::custom("dir", parse_dir, "").protected().denied_while_loading().field((
    |e, p| match e.config.stored.get(p.name) {
      Some(dir) => dir.clone(),
      None => std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default(),
    },
    |e, p, v| {
      let dir = p.canonical(v)?;
      e.config.stored.insert(p.name, dir);
      Ok(())
    },
  )),
  Param::boolean("disable-thp", "yes").immutable(),
  Param::boolean("dynamic-hz", "yes").field(bool_field!(dynamic_hz)),
  Param::choice("enable-debug-command", PERMISSIONS, "no").immutable().field((
    |e, _| PERMISSIONS[e.config.enable_debug_command as usize].into(),
    |e, p, v| {
      e.config.enable_debug_command = [Permission::No, Permission::Yes, Permission::Local][p.parse_choice(v)?];
      Ok(())
    },
  )),
  Param::choice("enable-module-command", PERMISSIONS, "no").immutable(),
  Param::choice("enable-protected-configs", PERMISSIONS, "no").immutable(),
  Param::int("hash-max-listpack-entries", 0, LONG_MAX, "512")
    .alias("hash-max-ziplist-entries")
    .field(int_field!(hash_max_listpack_entries)),
  Param::memory("hash-max-listpack-value", 0, MEMORY_MAX, "64")
    .alias("hash-max-ziplist-value")
    .field(memory_field!(hash_max_listpack_value)),
  Param::memory("hll-sparse-max-bytes", 0, MEMORY_MAX, "3000").field(memory_field!(hll_sparse_max_bytes)),
  Param::int("hz", 0, INT_MAX, "10").field((
    |e, _| e.config.hz.to_string(),
    |e, p, v| {
      // Redis keeps the server's tick rate within 1..=500 whatever is asked.
      e.config.hz = p.parse_int(v)?.clamp(1, 500);
      Ok(())
    },
  )),
  Param::text("ignore-warnings", ""),
  Param::int("io-threads", 1, 128, "1").immutable(),
  Param::boolean("io-threads-do-reads", "no").immutable(),
  Param::boolean("jemalloc-bg-thread", "yes"),
  Param::int("key-load-delay", INT_MIN, INT_MAX, "0").hidden(),
  Param::int("latency-monitor-threshold", 0, LONG_MAX, "0").field(int_field!(latency_monitor_threshold)),
  Param::boolean("latency-tracking", "yes").field(bool_field!(latency_tracking)),
  Param::custom("latency-tracking-info-percentiles", parse_percentiles, "50 99 99.9").multi_word().field((
    |e, _| format_percentiles(&e.config.latency_tracking_info_percentiles),
    |e, _, v| {
      e.config.latency_tracking_info_percentiles = percentiles(v)?;
      Ok(())
    },
  )),
  Param::boolean("lazyfree-lazy-eviction", "no").field(bool_field!(lazyfree_lazy_eviction)),
  Param::boolean("lazyfree-lazy-expire", "no").field(bool_field!(lazyfree_lazy_expire)),
  Param::boolean("lazyfree-lazy-server-del", "no").field(bool_field!(lazyfree_lazy_server_del)),
  Param::boolean("lazyfree-lazy-user-del", "no").field(bool_field!(lazyfree_lazy_user_del)),
  Param::boolean("lazyfree-lazy-user-flush", "no").field(bool_field!(lazyfree_lazy_user_flush)),
  Param::int("lfu-decay-time", 0, INT_MAX, "1").field(int_field!(lfu_decay_time, then sync_access_policy)),
  Param::int("lfu-log-factor", 0, INT_MAX, "10").field(int_field!(lfu_log_factor, then sync_access_policy)),
  Param::int("list-compress-depth", 0, INT_MAX, "0").field(int_field!(list_compress_depth)),
  Param::int("list-max-listpack-size", INT_MIN, INT_MAX, "-2")
    .alias("list-max-ziplist-size")
    .field(int_field!(list_max_listpack_size)),
  Param::int("loading-process-events-interval-bytes", 1024, INT_MAX, "2097152").hidden(),
  Param::text("logfile", "").immutable(),
  Param::choice("loglevel", &["debug", "verbose", "notice", "warning"], "notice"),
  Param::text("masterauth", "").sensitive(),
  Param::text("masteruser", ""),
  Param::int("maxclients", 1, UINT_MAX, "10000").field((
    |e, _| e.config.maxclients.to_string(),
    |e, p, v| {
      e.config.maxclients = p.parse_int(v)?;
      if !e.host.manages_process {
        return Ok(());
      }
      let requested = e.config.maxclients;
      let adjusted = e.adjust_open_files_limit();
      e.telemetry.log_lines.extend(adjusted.log);
      match e.config.maxclients {
        granted if granted < requested => {
          e.telemetry.warn(
            "Failed applying new configuration. Possibly related to new maxclients setting. Restoring previous settings."
              .into(),
          );
          Err(format!("The operating system is not able to handle the specified number of clients, try with {granted}"))
        }
        _ => Ok(()),
      }
    },
  )),
  Param::memory("maxmemory", 0, u64::MAX, "0").field((
    |e, _| e.config.maxmemory.to_string(),
    |e, p, v| {
      e.config.maxmemory = p.parse_memory(v)? as _;
      let used = e.memory_counted_for_eviction();
      if e.config.maxmemory > 0 && e.config.maxmemory < used {
        e.telemetry.warn(format!(
          "WARNING: the new maxmemory value set via CONFIG SET ({}) is smaller than the current memory usage \
           ({used}). This will result in key eviction and/or the inability to accept new write commands \
           depending on the maxmemory-policy.",
          e.config.maxmemory
        ));
      }
      // The next tick (or command) evicts what no longer fits.
      e.eviction.running = e.config.maxmemory > 0;
      e.sync_table_growth();
      // A client limit given as a percentage follows.
      e.recount_all_clients();
      Ok(())
    },
  )),
  Param::new("maxmemory-clients", Kind::MemoryOrPercent { max_percent: 100 }, "0").field((
    |e, _| super::show_memory_or_percent(e.config.maxmemory_clients),
    |e, p, v| {
      e.config.maxmemory_clients = p.parse_memory_or_percent(v)?;
      e.recount_all_clients();
      Ok(())
    },
  )),
  Param::int("maxmemory-eviction-tenacity", 0, 100, "10").field(int_field!(maxmemory_eviction_tenacity)),
  Param::choice("maxmemory-policy", EVICTION_POLICIES, "noeviction").field((
    |e, _| e.config.maxmemory_policy.name().into(),
    |e, p, v| {
      e.config.maxmemory_policy = EvictionPolicy::ALL[p.parse_choice(v)?];
      e.sync_access_policy();
      Ok(())
    },
  )),
  Param::int("maxmemory-samples", 1, INT_MAX, "5").field(int_field!(maxmemory_samples)),
  // redwing's own: the port of memcached's text protocol (0: not served); read by the host
  // when it starts listening.
  Param::int("memcached-port", 0, 65535, "0").applied_by_host(HostApply::MemcachedPort),
  Param::int("min-replicas-max-lag", 0, INT_MAX, "10")
    .alias("min-slaves-max-lag")
    .field(int_field!(min_replicas_max_lag)),
  Param::int("min-replicas-to-write", 0, INT_MAX, "0")
    .alias("min-slaves-to-write")
    .field(int_field!(min_replicas_to_write)),
  Param::boolean("no-appendfsync-on-rewrite", "no"),
  Param::custom("notify-keyspace-events", parse_notify_classes, "").field((
    |e, _| format_notify_classes(e.config.notify_keyspace_events),
    |e, _, v| {
      e.config.notify_keyspace_events = notify_classes(v)?;
      e.sync_new_key_logging();
      Ok(())
    },
  )),
  // `relative` is `yes` by another name, and CONFIG GET shows it so, as Redis does.
  Param::choice("oom-score-adj", &["no", "yes", "relative", "absolute"], "no").field((
    |e, _| {
      match e.config.oom_score_adj {
        OomScoreAdj::No => "no",
        OomScoreAdj::Relative => "yes",
        OomScoreAdj::Absolute => "absolute",
      }
      .to_string()
    },
    |e, p, v| {
      e.config.oom_score_adj = match p.parse_choice(v)? {
        0 => OomScoreAdj::No,
        1 | 2 => OomScoreAdj::Relative,
        _ => OomScoreAdj::Absolute,
      };
      e.apply_oom_score_adj().map_err(|_| "Failed to set current oom_score_adj. Check server logs.".to_string())
    },
  )),
  Param::custom("oom-score-adj-values", parse_oom_score_adj_values, "0 200 800").multi_word().field((
    |e, _| e.config.oom_score_adj_values.map(|score| score.to_string()).join(" "),
    |e, p, v| {
      let scores: Vec<i64> = p.canonical(v)?.split(' ').filter_map(|score| score.parse().ok()).collect();
      let previous = e.config.oom_score_adj_values;
      e.config.oom_score_adj_values = [scores[0], scores[1], scores[2]];
      if e.config.oom_score_adj_values == previous {
        return Ok(());
      }
      e.apply_oom_score_adj()
        .map_err(|_| "Failed to apply oom-score-adj-values configuration, check server logs.".to_string())
    },
  )),
  Param::text("pidfile", "").immutable(),
  Param::int("port", 0, 65535, "6379").applied_by_host(HostApply::Port),
  Param::text("proc-title-template", "{title} {listen-addr} {server-mode}"),
  Param::choice("propagation-error-behavior", &["ignore", "panic", "panic-on-replicas"], "ignore"),
  Param::boolean("protected-mode", "yes").field(bool_field!(protected_mode)),
  Param::memory("proto-max-bulk-len", MB, MEMORY_MAX, "536870912").field(memory_field!(proto_max_bulk_len)),
  Param::boolean("rdb-del-sync-files", "no"),
  Param::int("rdb-key-save-delay", INT_MIN, INT_MAX, "0").hidden().field(int_field!(rdb_key_save_delay)),
  Param::boolean("rdb-save-incremental-fsync", "yes"),
  Param::boolean("rdbchecksum", "yes").immutable(),
  Param::boolean("rdbcompression", "yes"),
  Param::memory("repl-backlog-size", 1, MEMORY_MAX, "1048576").field((
    |e, _| e.config.repl_backlog_size.to_string(),
    |e, p, v| {
      e.config.repl_backlog_size = p.parse_memory(v)?;
      e.repl.resize_backlog(e.config.repl_backlog_size as usize);
      Ok(())
    },
  )),
  Param::int("repl-backlog-ttl", 0, LONG_MAX, "3600").field(int_field!(repl_backlog_ttl)),
  Param::boolean("repl-disable-tcp-nodelay", "no"),
  Param::choice("repl-diskless-load", DisklessLoad::NAMES, "disabled").denied_while_loading().field((
    |e, _| e.config.repl_diskless_load.name().into(),
    |e, p, v| {
      e.config.repl_diskless_load = DisklessLoad::ALL[p.parse_choice(v)?];
      Ok(())
    },
  )),
  Param::boolean("repl-diskless-sync", "yes").field(bool_field!(repl_diskless_sync)),
  Param::int("repl-diskless-sync-delay", 0, INT_MAX, "5").field(int_field!(repl_diskless_sync_delay)),
  Param::int("repl-diskless-sync-max-replicas", 0, INT_MAX, "0").field(int_field!(repl_diskless_sync_max_replicas)),
  Param::int("repl-ping-replica-period", 1, INT_MAX, "10")
    .alias("repl-ping-slave-period")
    .field(int_field!(repl_ping_replica_period)),
  Param::int("repl-timeout", 1, INT_MAX, "60").field(int_field!(repl_timeout)),
  Param::text("replica-announce-ip", "").alias("slave-announce-ip"),
  Param::int("replica-announce-port", 0, 65535, "0").alias("slave-announce-port"),
  Param::boolean("replica-announced", "yes"),
  Param::boolean("replica-ignore-disk-write-errors", "no"),
  Param::boolean("replica-ignore-maxmemory", "yes").alias("slave-ignore-maxmemory"),
  Param::boolean("replica-lazy-flush", "no").alias("slave-lazy-flush"),
  Param::int("replica-priority", 0, INT_MAX, "100").alias("slave-priority"),
  Param::boolean("replica-read-only", "yes").alias("slave-read-only").field(bool_field!(replica_read_only)),
  Param::boolean("replica-serve-stale-data", "yes")
    .alias("slave-serve-stale-data")
    .field(bool_field!(replica_serve_stale_data)),
  Param::custom("replicaof", parse_replicaof, "").alias("slaveof").immutable().multi_word().field((
    |e, _| e.repl.link.as_ref().map(|link| format!("{} {}", link.host, link.port)).unwrap_or_default(),
    |e, p, v| {
      e.repl.link = p
        .canonical(v)?
        .split_once(' ')
        .map(|(host, port)| crate::repl::link::MasterLink::new(host.into(), port.parse().unwrap_or_default()));
      Ok(())
    },
  )),
  Param::text("requirepass", "").sensitive().field((
    |e, _| String::from_utf8_lossy(e.config.requirepass.as_deref().unwrap_or_default()).into_owned(),
    |e, _, v| {
      e.config.requirepass = if v.is_empty() { None } else { Some(v.to_vec()) };
      // The default user's password (Redis's `ACLUpdateDefaultUserPassword`).
      let all_channels = e.config.acl_pubsub_all_channels;
      let default = e.acl.default_user_mut();
      let _ = default.apply(b"resetpass", all_channels);
      let rule = match v.is_empty() {
        true => b"nopass".to_vec(),
        false => [&b">"[..], v].concat(),
      };
      let _ = default.apply(&rule, all_channels);
      Ok(())
    },
  )),
  Param::choice("sanitize-dump-payload", &["no", "yes", "clients"], "no"),
  Param::custom("save", parse_save, "3600 1 300 100 60 10000").multi_word().field((
    |e, _| {
      e.config.save_rules.iter().map(|(seconds, changes)| format!("{seconds} {changes}")).collect::<Vec<_>>().join(" ")
    },
    |e, p, v| {
      let numbers: Vec<i64> = p.canonical(v)?.split(' ').filter_map(|n| n.parse().ok()).collect();
      e.config.save_rules = numbers.chunks_exact(2).map(|pair| (pair[0], pair[1])).collect();
      Ok(())
    },
  )),
  Param::int("set-max-intset-entries", 0, LONG_MAX, "512").field(int_field!(set_max_intset_entries)),
  Param::boolean("set-proc-title", "yes").immutable(),
  Param::custom("shutdown-on-sigint", parse_shutdown_flags, "default").multi_word(),
  Param::custom("shutdown-on-sigterm", parse_shutdown_flags, "default").multi_word(),
  Param::int("shutdown-timeout", 0, INT_MAX, "10"),
  Param::int("slowlog-log-slower-than", -1, LONG_MAX, "10000").field(int_field!(slowlog_log_slower_than)),
  Param::int("slowlog-max-len", 0, LONG_MAX, "128").field(int_field!(slowlog_max_len)),
  Param::int("socket-mark-id", 0, UINT_MAX, "0").immutable(),
  Param::boolean("stop-writes-on-bgsave-error", "yes"),
  Param::memory("stream-node-max-bytes", 0, MEMORY_MAX, "4096").field(memory_field!(stream_node_max_bytes)),
  Param::int("stream-node-max-entries", 0, LONG_MAX, "100").field(int_field!(stream_node_max_entries)),
  Param::choice("supervised", &["upstart", "systemd", "auto", "no"], "no").immutable(),
  Param::boolean("syslog-enabled", "no").immutable(),
  Param::choice(
    "syslog-facility",
    &["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"],
    "local0",
  )
  .immutable(),
  Param::text("syslog-ident", "redis").immutable(),
  Param::int("tcp-backlog", 0, INT_MAX, "511").immutable(),
  Param::int("tcp-keepalive", 0, INT_MAX, "300"),
  Param::int("timeout", 0, INT_MAX, "0").field(int_field!(timeout)),
  // Read by the host when a TLS client connects: no reload.
  Param::choice("tls-auth-clients", &["no", "yes", "optional"], "yes"),
  tls_file("tls-ca-cert-dir"),
  tls_file("tls-ca-cert-file"),
  tls_file("tls-cert-file"),
  tls_setting(Param::text("tls-ciphers", "")),
  tls_setting(Param::text("tls-ciphersuites", "")),
  tls_file("tls-client-cert-file"),
  tls_file("tls-client-key-file"),
  tls_setting(Param::text("tls-client-key-file-pass", "")),
  tls_setting(Param::boolean("tls-cluster", "no")),
  tls_file("tls-dh-params-file"),
  tls_file("tls-key-file"),
  tls_setting(Param::text("tls-key-file-pass", "")),
  Param::int("tls-port", 0, 65535, "0").applied_by_host(HostApply::TlsPort),
  tls_setting(Param::boolean("tls-prefer-server-ciphers", "no")),
  tls_setting(Param::text("tls-protocols", "")),
  tls_setting(Param::boolean("tls-replication", "no")).field(bool_field!(tls_replication)),
  tls_setting(Param::int("tls-session-cache-size", 0, INT_MAX, "20480")),
  tls_setting(Param::int("tls-session-cache-timeout", 0, INT_MAX, "300")),
  tls_setting(Param::boolean("tls-session-caching", "yes")),
  Param::int("tracking-table-max-keys", 0, LONG_MAX, "1000000").field(int_field!(tracking_table_max_keys)),
  Param::custom("unixsocket", parse_unixsocket, "").immutable(),
  Param::new("unixsocketperm", Kind::Octal { max: 0o777 }, "0").immutable(),
  Param::boolean("use-exit-on-panic", "no").hidden(),
  Param::int("watchdog-period", 0, INT_MAX, "0").hidden(),
  Param::int("zset-max-listpack-entries", 0, LONG_MAX, "128")
    .alias("zset-max-ziplist-entries")
    .field(int_field!(zset_max_listpack_entries)),
  Param::memory("zset-max-listpack-value", 0, MEMORY_MAX, "64")
    .alias("zset-max-ziplist-value")
    .field(memory_field!(zset_max_listpack_value)),
];

const PERMISSIONS: &[&str] = &["no", "yes", "local"];

/// A TLS setting: the host reloads the TLS configuration when it changes.
const fn tls_setting(param: Param) -> Param {
  param.applied_by_host(HostApply::TlsContext)
}

/// A file or directory of the TLS configuration: setting it, even to the same path, reloads
/// the TLS configuration (the file may have been replaced, as when a certificate is renewed).
const fn tls_file(name: &'static str) -> Param {
  tls_setting(Param::text(name, "")).volatile()
}

const EVICTION_POLICIES: &[&str] = &[
  "volatile-lru",
  "volatile-lfu",
  "volatile-random",
  "volatile-ttl",
  "allkeys-lru",
  "allkeys-lfu",
  "allkeys-random",
  "noeviction",
];

/// The words of a multi-word value, split on single spaces like Redis's `sdssplitlen` (an
/// empty value has no words; consecutive spaces make empty words).
fn words(value: &[u8]) -> Vec<&[u8]> {
  if value.is_empty() {
    return Vec::new();
  }
  value.split(|&c| c == b' ').collect()
}

/// C's `strtoll(s, &end, 10)` with the requirement that the whole word is consumed: leading
/// white space and a sign are allowed, no digits reads as 0.
fn strtoll_whole(word: &[u8]) -> Option<i64> {
  let text = std::str::from_utf8(word).ok()?.trim_start();
  let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
  if !unsigned.bytes().all(|c| c.is_ascii_digit()) {
    return None;
  }
  if unsigned.is_empty() {
    return Some(0);
  }
  let negative = text.starts_with('-');
  let magnitude: i128 = unsigned.parse().ok()?;
  let value = if negative { -magnitude } else { magnitude };
  Some(value.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// `save`: pairs of "seconds changes" (seconds ≥ 1, changes ≥ 0), or nothing.
fn parse_save(value: &[u8]) -> Result<String, String> {
  let words = words(value);
  let invalid = || "Invalid save parameters".to_string();
  if words.len() % 2 == 1 {
    return Err(invalid());
  }
  let mut numbers = Vec::with_capacity(words.len());
  for (i, word) in words.iter().enumerate() {
    let n = strtoll_whole(word).ok_or_else(invalid)?;
    if (i % 2 == 0 && n < 1) || (i % 2 == 1 && n < 0) {
      return Err(invalid());
    }
    numbers.push(n.to_string());
  }
  Ok(numbers.join(" "))
}

/// `bind`: up to 16 addresses.
fn parse_bind(value: &[u8]) -> Result<String, String> {
  if words(value).len() > 16 {
    return Err("Too many bind addresses specified.".into());
  }
  Ok(String::from_utf8_lossy(value).into_owned())
}

/// `dbfilename`: a file name, not a path.
fn parse_file_name(value: &[u8]) -> Result<String, String> {
  if value.contains(&b'/') || value.contains(&b'\\') {
    return Err("dbfilename can't be a path, just a filename".into());
  }
  Ok(String::from_utf8_lossy(value).into_owned())
}

/// `dir`: an existing directory, shown as its absolute path (the host changes into it at
/// start-up, as Redis does with `chdir`).
fn parse_dir(value: &[u8]) -> Result<String, String> {
  let path = std::path::PathBuf::from(String::from_utf8_lossy(value).into_owned());
  let resolved = std::fs::canonicalize(&path).map_err(|e| super::super::os_error_text(&e))?;
  if !resolved.is_dir() {
    return Err("Not a directory".into());
  }
  Ok(resolved.to_string_lossy().into_owned())
}

/// `replicaof`: `<host> <port>`, or `no one`; the port read as Redis's `strtol` reads it.
fn parse_replicaof(value: &[u8]) -> Result<String, String> {
  if value.eq_ignore_ascii_case(b"no one") || value.is_empty() {
    return Ok(String::new());
  }
  let words = words(value);
  let [host, port] = words.as_slice() else { return Err("wrong number of arguments".into()) };
  match strtoll_whole(port) {
    Some(port) if (0..=65535).contains(&port) => Ok(format!("{} {port}", String::from_utf8_lossy(host))),
    _ => Err("Invalid master port".into()),
  }
}

/// `unixsocket`: the path of the Unix socket the host listens on (empty: none).
fn parse_unixsocket(value: &[u8]) -> Result<String, String> {
  String::from_utf8(value.to_vec()).map_err(|_| "the unix socket path must be UTF-8".into())
}

/// `shutdown-on-sigint` / `shutdown-on-sigterm`: one or more of the shutdown flags, a set
/// shown in Redis's order (`default` alone when none is set).
fn parse_shutdown_flags(value: &[u8]) -> Result<String, String> {
  const FLAGS: [&str; 5] = ["default", "save", "nosave", "now", "force"];
  let words = words(value);
  let mut chosen = [false; FLAGS.len()];
  for word in &words {
    match FLAGS.iter().position(|flag| word.eq_ignore_ascii_case(flag.as_bytes())) {
      Some(at) => chosen[at] = true,
      None => return Err(format!("argument(s) must be one of the following: {}", FLAGS.join(", "))),
    }
  }
  if words.is_empty() {
    return Err(format!("argument(s) must be one of the following: {}", FLAGS.join(", ")));
  }
  if chosen[1] && chosen[2] {
    return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
  }
  let set: Vec<&str> = FLAGS.iter().zip(chosen).skip(1).filter(|&(_, on)| on).map(|(flag, _)| *flag).collect();
  Ok(if set.is_empty() { FLAGS[0].to_string() } else { set.join(" ") })
}

/// `oom-score-adj-values`: three scores between -2000 and 2000.
fn parse_oom_score_adj_values(value: &[u8]) -> Result<String, String> {
  let words = words(value);
  if words.len() != 3 {
    return Err("wrong number of arguments".into());
  }
  let mut scores = Vec::with_capacity(3);
  for word in words {
    match strtoll_whole(word) {
      Some(n) if (-2000..=2000).contains(&n) => scores.push(n.to_string()),
      _ => return Err("Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into()),
    }
  }
  Ok(scores.join(" "))
}

/// `latency-tracking-info-percentiles`: numbers between 0 and 100.
fn percentiles(value: &[u8]) -> Result<Vec<f64>, String> {
  let mut list = Vec::new();
  for word in words(value) {
    let n: f64 = std::str::from_utf8(word)
      .ok()
      .and_then(|w| w.parse().ok())
      .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
    if !(0.0..=100.0).contains(&n) {
      return Err("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]".into());
    }
    list.push(n);
  }
  Ok(list)
}

fn parse_percentiles(value: &[u8]) -> Result<String, String> {
  percentiles(value).map(|list| format_percentiles(&list))
}

/// Percentiles as Redis prints them: `%f` without trailing zeros (`50 99 99.9`).
pub fn format_percentiles(list: &[f64]) -> String {
  list.iter().map(|p| format_percentile(*p)).collect::<Vec<_>>().join(" ")
}

/// One percentile printed with `%f`, trailing zeros and point removed.
pub fn format_percentile(p: f64) -> String {
  let text = format!("{p:.6}");
  text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The client classes of `client-output-buffer-limit`, in their `Config` order.
const CLIENT_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

/// `client-output-buffer-limit`: groups of `<class> <hard> <soft> <soft-seconds>`; returns
/// the limits to change, by class index. Either every group is valid or nothing changes.
fn buffer_limits(value: &[u8]) -> Result<Vec<(usize, BufferLimit)>, String> {
  let words = words(value);
  if !words.len().is_multiple_of(4) {
    return Err("Wrong number of arguments in buffer limit configuration.".into());
  }
  let mut limits = Vec::new();
  for group in words.chunks_exact(4) {
    let class = match group[0].to_ascii_lowercase().as_slice() {
      b"normal" => 0,
      b"slave" | b"replica" => 1,
      b"pubsub" => 2,
      _ => return Err("Invalid client class specified in buffer limit configuration.".into()),
    };
    let invalid = || "Error in hard, soft or soft_seconds setting in buffer limit configuration.".to_string();
    let hard = super::parse_memory(group[1]).ok_or_else(invalid)?;
    let soft = super::parse_memory(group[2]).ok_or_else(invalid)?;
    let soft_seconds = soft_seconds(group[3]).ok_or_else(invalid)?;
    limits.push((class, BufferLimit { hard, soft, soft_seconds }));
  }
  Ok(limits)
}

/// A soft limit's seconds as Redis reads them: the whole word is C's `strtoll` in base 10 (an
/// empty word is 0), kept in an `int`, and not negative.
fn soft_seconds(word: &[u8]) -> Option<i64> {
  let text = std::str::from_utf8(word).ok()?.trim_start();
  let sign_len = usize::from(text.starts_with(['+', '-']));
  let digits = text[sign_len..].bytes().take_while(u8::is_ascii_digit).count();
  if sign_len + digits < text.len() || (digits == 0 && !text.is_empty()) {
    return None;
  }
  // Past the range, strtoll gives its bound (an empty word, 0).
  let value = text.parse::<i64>().unwrap_or(match text.as_bytes().first() {
    None => 0,
    Some(b'-') => i64::MIN,
    Some(_) => i64::MAX,
  });
  let seconds = value as i32;
  (seconds >= 0).then_some(i64::from(seconds))
}

fn parse_buffer_limits(value: &[u8]) -> Result<String, String> {
  let mut limits = crate::config::Config::default().client_output_buffer_limits;
  for (class, limit) in buffer_limits(value)? {
    limits[class] = limit;
  }
  Ok(format_buffer_limits(&limits))
}

fn format_buffer_limits(limits: &[BufferLimit; 3]) -> String {
  CLIENT_CLASSES
    .iter()
    .zip(limits)
    .map(|(class, l)| format!("{class} {} {} {}", l.hard, l.soft, l.soft_seconds))
    .collect::<Vec<_>>()
    .join(" ")
}

/// The letters of `notify-keyspace-events`, with their classes (`A` is handled apart).
const NOTIFY_LETTERS: [(u8, u32); 13] = [
  (b'g', notify::GENERIC),
  (b'$', notify::STRING),
  (b'l', notify::LIST),
  (b's', notify::SET),
  (b'h', notify::HASH),
  (b'z', notify::ZSET),
  (b'x', notify::EXPIRED),
  (b'e', notify::EVICTED),
  (b't', notify::STREAM),
  (b'd', notify::MODULE),
  (b'n', notify::NEW),
  (b'K', notify::KEYSPACE),
  (b'E', notify::KEYEVENT),
];

fn notify_classes(value: &[u8]) -> Result<u32, String> {
  value.iter().try_fold(0, |classes, &letter| {
    if letter == b'A' {
      return Ok(classes | notify::ALL);
    }
    if letter == b'm' {
      return Ok(classes | notify::KEY_MISS);
    }
    match NOTIFY_LETTERS.iter().find(|(l, _)| *l == letter) {
      Some((_, class)) => Ok(classes | class),
      None => Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_string()),
    }
  })
}

fn parse_notify_classes(value: &[u8]) -> Result<String, String> {
  notify_classes(value).map(format_notify_classes)
}

/// Redis's `keyspaceEventsFlagsToString`: `A` when every class is on, else the class letters,
/// then `K`, `E` and `m`.
fn format_notify_classes(classes: u32) -> String {
  let mut text = String::new();
  if classes & notify::ALL == notify::ALL {
    text.push('A');
  } else {
    for (letter, class) in &NOTIFY_LETTERS[..11] {
      if classes & class != 0 {
        text.push(*letter as char);
      }
    }
  }
  for (letter, class) in [('K', notify::KEYSPACE), ('E', notify::KEYEVENT), ('m', notify::KEY_MISS)] {
    if classes & class != 0 {
      text.push(letter);
    }
  }
  text
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn table_is_sorted_and_names_are_unique() {
    for pair in PARAMS.windows(2) {
      assert!(pair[0].name < pair[1].name, "{} before {}", pair[0].name, pair[1].name);
    }
    let mut names: Vec<&str> = PARAMS.iter().flat_map(|p| std::iter::once(p.name).chain(p.alias)).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), PARAMS.len() + PARAMS.iter().filter(|p| p.alias.is_some()).count());
  }

  #[test]
  fn defaults_are_what_a_fresh_engine_shows() {
    let server = crate::server::Server::new(crate::config::Config::default());
    for param in PARAMS {
      if param.name == "dir" {
        continue;
      }
      assert_eq!((param.get)(&server, param), param.default, "{}", param.name);
      assert_eq!(param.canonical(param.default.as_bytes()).as_deref(), Ok(param.default), "{}", param.name);
    }
  }

  #[test]
  fn eviction_policy_names_are_in_table_order() {
    let names: Vec<&str> = EvictionPolicy::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(names, EVICTION_POLICIES);
  }

  #[test]
  fn notify_classes_round_trip_like_redis() {
    assert_eq!(parse_notify_classes(b"KEA"), Ok("AKE".into()));
    assert_eq!(parse_notify_classes(b"Ex$"), Ok("$xE".into()));
    assert_eq!(parse_notify_classes(b"Amn"), Ok("Am".into()));
    assert_eq!(format_notify_classes(notify::ALL | notify::KEY_MISS | notify::NEW), "Am");
    assert!(parse_notify_classes(b"Q").is_err());
  }
}
