//! Server configuration: typed values the engine reads on its hot paths.
//!
//! The parameter registry behind CONFIG GET/SET and the command-line/config-file loader
//! (names, aliases, parsing, validation, mutability) lives in `cmd/server/config.rs`.

pub struct Config {
  pub databases: usize,
  pub hz: i64,
  pub requirepass: Option<Vec<u8>>,
  pub proto_max_bulk_len: i64,
  pub client_query_buffer_limit: i64,
  pub maxclients: i64,
  /// Close clients idle for this many seconds (0 = never).
  pub timeout: i64,
  pub slowlog_log_slower_than: i64,
  pub slowlog_max_len: i64,
  pub latency_monitor_threshold: i64,
}

impl Default for Config {
  fn default() -> Self {
    Config {
      databases: 16,
      hz: 10,
      requirepass: None,
      proto_max_bulk_len: 512 * 1024 * 1024,
      client_query_buffer_limit: 1024 * 1024 * 1024,
      maxclients: 10000,
      timeout: 0,
      slowlog_log_slower_than: 10000,
      slowlog_max_len: 128,
      latency_monitor_threshold: 0,
    }
  }
}
