//! Server configuration: typed values the engine reads on its hot paths.
//!
//! The parameter registry behind CONFIG GET/SET and the command-line/config-file loader
//! (names, aliases, parsing, validation, mutability) lives in `cmd/server/config.rs`. Only
//! parameters some code reads have a typed field here; the registry keeps the others (accepted
//! for compatibility, without effect in redwing yet) as validated text in `stored`.

use std::collections::HashMap;

pub struct Config {
  pub databases: usize,
  /// `appendonly`: whether the AOF is wanted (see `aof`).
  pub appendonly: bool,
  pub appendfsync: crate::aof::FsyncPolicy,
  /// `aof-timestamp-enabled`: `#TS:` annotations in the AOF.
  pub aof_timestamp_enabled: bool,
  /// `lazyfree-lazy-eviction`, `-expire`, `-user-del`, `-user-flush`, `-server-del`: whether
  /// evictions, expiries and users' DEL replay as UNLINK, and whether DEL, flushes without a
  /// mode and the server's own deletions (MIGRATE's) free on the `lazyfree` thread (see
  /// `lazyfree`).
  pub lazyfree_lazy_eviction: bool,
  pub lazyfree_lazy_expire: bool,
  pub lazyfree_lazy_user_del: bool,
  pub lazyfree_lazy_server_del: bool,
  pub lazyfree_lazy_user_flush: bool,
  /// `min-replicas-to-write` and `min-replicas-max-lag` (seconds): writes need that many
  /// replicas that acknowledged within the lag (0 in either: no such rule).
  pub min_replicas_to_write: i64,
  pub min_replicas_max_lag: i64,
  /// Replication (see `repl`): the backlog's size in bytes and how long (seconds, 0 = ever) a
  /// master without replicas keeps it; seconds between PINGs in the stream; seconds of
  /// silence after which a link is dropped.
  /// `oom-score-adj` and `oom-score-adj-values` (master, replica, child), see `oom_score.rs`.
  pub oom_score_adj: OomScoreAdj,
  pub oom_score_adj_values: [i64; 3],
  pub repl_backlog_size: u64,
  pub repl_backlog_ttl: i64,
  /// `rdb-key-save-delay`, a testing aid: microseconds each saved key takes at least (a
  /// negative -N: a microsecond for one key in N), so that a save lasts (see
  /// `rdb::snapshot::key_save_time`).
  pub rdb_key_save_delay: i64,
  pub repl_ping_replica_period: i64,
  pub repl_timeout: i64,
  /// Full resynchronisations: the file goes to the replicas' sockets (not through disk), after
  /// waiting this many seconds, or until this many replicas wait (0: no such count).
  pub repl_diskless_sync: bool,
  pub repl_diskless_sync_delay: i64,
  pub repl_diskless_sync_max_replicas: i64,
  /// How a replica loads its master's file.
  pub repl_diskless_load: DisklessLoad,
  /// A replica refuses writes from clients; it serves reads while its link is down.
  pub replica_read_only: bool,
  pub replica_serve_stale_data: bool,
  /// `tls-replication`: a replica reaches its master over TLS, and announces its TLS port.
  pub tls_replication: bool,
  /// `save`: snapshot after `seconds` if at least `changes` changes (each rule on its own).
  pub save_rules: Vec<(i64, i64)>,
  /// A `save` directive was loaded at start-up: the next ones add their rules to its.
  pub(crate) save_directive_loaded: bool,
  /// Ticks per second; CONFIG SET clamps it to 1..=500 like Redis.
  pub hz: i64,
  pub dynamic_hz: bool,
  pub requirepass: Option<Vec<u8>>,
  pub proto_max_bulk_len: i64,
  pub client_query_buffer_limit: i64,
  pub maxclients: i64,
  /// Close clients idle for this many seconds (0 = never).
  pub timeout: i64,
  pub slowlog_log_slower_than: i64,
  pub slowlog_max_len: i64,
  /// Milliseconds; 0 disables the latency monitor.
  pub latency_monitor_threshold: i64,
  /// Keep per-command latency histograms (INFO latencystats, LATENCY HISTOGRAM).
  pub latency_tracking: bool,
  /// Percentiles INFO latencystats reports.
  pub latency_tracking_info_percentiles: Vec<f64>,
  /// Bytes; 0 = no limit.
  pub maxmemory: u64,
  pub maxmemory_policy: EvictionPolicy,
  pub maxmemory_samples: i64,
  pub maxmemory_eviction_tenacity: i64,
  /// `maxmemory-clients`: bytes, or (negative) a percentage of `maxmemory`, as Redis keeps it;
  /// 0 for no client eviction (see `client_eviction`).
  pub maxmemory_clients: i64,
  /// Keyspace notification classes: a set of [`notify`] bits.
  pub notify_keyspace_events: u32,
  /// 1..=10: how much effort the active expiry cycle spends.
  pub active_expire_effort: i64,
  pub busy_reply_threshold: i64,
  pub lfu_log_factor: i64,
  pub lfu_decay_time: i64,
  pub hash_max_listpack_entries: i64,
  pub hash_max_listpack_value: i64,
  pub list_max_listpack_size: i64,
  pub list_compress_depth: i64,
  pub set_max_intset_entries: i64,
  pub zset_max_listpack_entries: i64,
  pub zset_max_listpack_value: i64,
  pub stream_node_max_bytes: i64,
  pub stream_node_max_entries: i64,
  pub hll_sparse_max_bytes: i64,
  pub tracking_table_max_keys: i64,
  pub acllog_max_len: i64,
  /// `protected-mode yes`: without a password, only loopback clients are served.
  pub protected_mode: bool,
  /// `acl-pubsub-default allchannels`: new users may use every channel.
  pub acl_pubsub_all_channels: bool,
  /// Output buffer limits per client class: normal, replica, pubsub.
  pub client_output_buffer_limits: [BufferLimit; 3],
  /// Who may run DEBUG.
  pub enable_debug_command: Permission,
  /// Parameters accepted for compatibility but not used by redwing yet, by canonical name,
  /// as the text CONFIG GET shows (absent = the parameter's default).
  pub stored: HashMap<&'static str, String>,
}

/// `repl-diskless-load`: how a replica loads its master's file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DisklessLoad {
  /// Saved as the RDB file first, then loaded.
  Disabled,
  /// From memory when the replica holds no data, otherwise as `Disabled`.
  OnEmptyDb,
  /// From memory, the old data kept until the new is loaded.
  Swapdb,
}

impl DisklessLoad {
  /// In the order of the parameter's values.
  pub const ALL: [DisklessLoad; 3] = [DisklessLoad::Disabled, DisklessLoad::OnEmptyDb, DisklessLoad::Swapdb];
  pub const NAMES: &'static [&'static str] = &["disabled", "on-empty-db", "swapdb"];

  pub fn name(self) -> &'static str {
    Self::NAMES[self as usize]
  }
}

impl Config {
  /// `dir`: where the RDB file, the AOF directory and temporary files go (the working
  /// directory until set).
  pub fn data_dir(&self) -> std::path::PathBuf {
    std::path::PathBuf::from(self.stored.get("dir").map_or(".", String::as_str))
  }

  /// `dir`/`dbfilename`: where the RDB file is saved and loaded.
  pub fn rdb_path(&self) -> std::path::PathBuf {
    self.data_dir().join(self.stored.get("dbfilename").map_or("dump.rdb", String::as_str))
  }
}

/// `maxmemory-policy`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum EvictionPolicy {
  VolatileLru,
  VolatileLfu,
  VolatileRandom,
  VolatileTtl,
  AllkeysLru,
  AllkeysLfu,
  AllkeysRandom,
  NoEviction,
}

impl EvictionPolicy {
  /// Every policy, in the order Redis lists them in error messages.
  pub const ALL: [EvictionPolicy; 8] = [
    EvictionPolicy::VolatileLru,
    EvictionPolicy::VolatileLfu,
    EvictionPolicy::VolatileRandom,
    EvictionPolicy::VolatileTtl,
    EvictionPolicy::AllkeysLru,
    EvictionPolicy::AllkeysLfu,
    EvictionPolicy::AllkeysRandom,
    EvictionPolicy::NoEviction,
  ];

  /// The policy ranks keys by idle time (RDB files then keep each key's idle time).
  pub fn is_lru(self) -> bool {
    matches!(self, EvictionPolicy::VolatileLru | EvictionPolicy::AllkeysLru)
  }

  /// The policy ranks keys by access frequency (RDB files then keep each key's counter).
  pub fn is_lfu(self) -> bool {
    matches!(self, EvictionPolicy::VolatileLfu | EvictionPolicy::AllkeysLfu)
  }

  pub fn name(self) -> &'static str {
    match self {
      EvictionPolicy::VolatileLru => "volatile-lru",
      EvictionPolicy::VolatileLfu => "volatile-lfu",
      EvictionPolicy::VolatileRandom => "volatile-random",
      EvictionPolicy::VolatileTtl => "volatile-ttl",
      EvictionPolicy::AllkeysLru => "allkeys-lru",
      EvictionPolicy::AllkeysLfu => "allkeys-lfu",
      EvictionPolicy::AllkeysRandom => "allkeys-random",
      EvictionPolicy::NoEviction => "noeviction",
    }
  }
}

/// `oom-score-adj`: whether and how the engine sets the process's OOM score (see
/// `oom_score.rs`); `yes` is `relative`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OomScoreAdj {
  No,
  Relative,
  Absolute,
}

/// `enable-debug-command` (and Redis's other protected-command switches).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Permission {
  No,
  Yes,
  /// Only from loopback connections and in-process sessions.
  Local,
}

/// One class of `client-output-buffer-limit`: a hard limit in bytes, and a soft limit in
/// bytes that may be exceeded for at most `soft_seconds` (0 = no limit).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BufferLimit {
  pub hard: u64,
  pub soft: u64,
  pub soft_seconds: i64,
}

impl BufferLimit {
  /// Neither limit is set: the class may hold any amount.
  pub fn is_unlimited(&self) -> bool {
    self.hard == 0 && self.soft == 0
  }
}

/// Keyspace notification classes (`notify-keyspace-events` letters).
pub mod notify {
  /// `K`: publish on `__keyspace@<db>__:<key>`.
  pub const KEYSPACE: u32 = 1 << 0;
  /// `E`: publish on `__keyevent@<db>__:<event>`.
  pub const KEYEVENT: u32 = 1 << 1;
  /// `g`: generic commands (DEL, EXPIRE, RENAME…).
  pub const GENERIC: u32 = 1 << 2;
  /// `$`: string commands.
  pub const STRING: u32 = 1 << 3;
  /// `l`: list commands.
  pub const LIST: u32 = 1 << 4;
  /// `s`: set commands.
  pub const SET: u32 = 1 << 5;
  /// `h`: hash commands.
  pub const HASH: u32 = 1 << 6;
  /// `z`: sorted set commands.
  pub const ZSET: u32 = 1 << 7;
  /// `x`: keys expiring.
  pub const EXPIRED: u32 = 1 << 8;
  /// `e`: keys evicted.
  pub const EVICTED: u32 = 1 << 9;
  /// `t`: stream commands.
  pub const STREAM: u32 = 1 << 10;
  /// `m`: key misses (not part of `A`).
  pub const KEY_MISS: u32 = 1 << 11;
  /// `d`: module key types.
  pub const MODULE: u32 = 1 << 12;
  /// `n`: new keys (not part of `A`).
  pub const NEW: u32 = 1 << 13;
  /// `A`: alias for `g$lshzxetd`.
  pub const ALL: u32 = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
}

impl Default for Config {
  fn default() -> Self {
    Config {
      databases: 16,
      hz: 10,
      dynamic_hz: true,
      requirepass: None,
      proto_max_bulk_len: 512 * 1024 * 1024,
      client_query_buffer_limit: 1024 * 1024 * 1024,
      maxclients: 10000,
      timeout: 0,
      slowlog_log_slower_than: 10000,
      slowlog_max_len: 128,
      latency_monitor_threshold: 0,
      latency_tracking: true,
      latency_tracking_info_percentiles: vec![50.0, 99.0, 99.9],
      maxmemory: 0,
      maxmemory_policy: EvictionPolicy::NoEviction,
      maxmemory_samples: 5,
      maxmemory_eviction_tenacity: 10,
      maxmemory_clients: 0,
      notify_keyspace_events: 0,
      active_expire_effort: 1,
      busy_reply_threshold: 5000,
      appendonly: false,
      appendfsync: crate::aof::FsyncPolicy::Everysec,
      aof_timestamp_enabled: false,
      lazyfree_lazy_eviction: false,
      lazyfree_lazy_expire: false,
      lazyfree_lazy_user_del: false,
      lazyfree_lazy_server_del: false,
      lazyfree_lazy_user_flush: false,
      min_replicas_to_write: 0,
      min_replicas_max_lag: 10,
      repl_backlog_size: 1024 * 1024,
      repl_backlog_ttl: 3600,
      oom_score_adj: OomScoreAdj::No,
      oom_score_adj_values: [0, 200, 800],
      rdb_key_save_delay: 0,
      repl_ping_replica_period: 10,
      repl_timeout: 60,
      repl_diskless_sync: true,
      repl_diskless_sync_delay: 5,
      repl_diskless_sync_max_replicas: 0,
      repl_diskless_load: DisklessLoad::Disabled,
      replica_read_only: true,
      replica_serve_stale_data: true,
      tls_replication: false,
      save_rules: vec![(3600, 1), (300, 100), (60, 10000)],
      save_directive_loaded: false,
      lfu_log_factor: 10,
      lfu_decay_time: 1,
      hash_max_listpack_entries: 512,
      hash_max_listpack_value: 64,
      list_max_listpack_size: -2,
      list_compress_depth: 0,
      set_max_intset_entries: 512,
      zset_max_listpack_entries: 128,
      zset_max_listpack_value: 64,
      stream_node_max_bytes: 4096,
      stream_node_max_entries: 100,
      hll_sparse_max_bytes: 3000,
      tracking_table_max_keys: 1_000_000,
      acllog_max_len: 128,
      acl_pubsub_all_channels: false,
      protected_mode: true,
      client_output_buffer_limits: [
        BufferLimit { hard: 0, soft: 0, soft_seconds: 0 },
        BufferLimit { hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, soft_seconds: 60 },
        BufferLimit { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, soft_seconds: 60 },
      ],
      enable_debug_command: Permission::No,
      stored: HashMap::new(),
    }
  }
}
