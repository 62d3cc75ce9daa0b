//! Server statistics reported by INFO: per-command call counts and times, error counts by
//! error code, and the global counters of Redis's `stats` section.

use crate::cmd::table::COMMAND_COUNT;
use std::collections::BTreeMap;

#[derive(Default, Clone, Copy)]
pub struct CommandStats {
  pub calls: u64,
  pub usec: u64,
  /// Refused before running (arity, authentication…).
  pub rejected_calls: u64,
  /// Ran and replied with an error.
  pub failed_calls: u64,
}

pub struct Stats {
  /// Indexed by `CommandSpec::id`.
  pub commands: Vec<CommandStats>,
  /// Error replies by code (`ERR`, `WRONGTYPE`…).
  pub errors: BTreeMap<String, u64>,
  pub total_error_replies: u64,
  /// `total_error_replies` when the last command ended (see `cmd::dispatch`).
  pub errors_seen: u64,
  /// The running command replied with an error already counted elsewhere (a script's error
  /// that came from a command it called): it failed all the same.
  pub failed_uncounted: bool,
  pub total_commands_processed: u64,
  pub total_connections_received: u64,
  pub rejected_connections: u64,
  pub keyspace_hits: u64,
  pub keyspace_misses: u64,
  pub expired_stale_perc: f64,
  pub expired_time_cap_reached_count: u64,
  /// Microseconds the active expiry cycles took (INFO `expire_cycle_cpu_milliseconds`).
  pub expire_cycle_time_used_us: u64,
  pub net_input_bytes: u64,
  pub net_output_bytes: u64,
  pub unexpected_error_replies: u64,
  /// Background saves and AOF rewrites started (INFO `total_forks`: Redis forks a child for
  /// each; redwing runs them on threads, yet clients watch the count to see one begin).
  pub total_forks: u64,
}

impl Default for Stats {
  fn default() -> Self {
    Stats {
      commands: vec![CommandStats::default(); COMMAND_COUNT],
      errors: BTreeMap::new(),
      total_error_replies: 0,
      errors_seen: 0,
      failed_uncounted: false,
      total_commands_processed: 0,
      total_connections_received: 0,
      rejected_connections: 0,
      keyspace_hits: 0,
      keyspace_misses: 0,
      expired_stale_perc: 0.0,
      expired_time_cap_reached_count: 0,
      expire_cycle_time_used_us: 0,
      net_input_bytes: 0,
      net_output_bytes: 0,
      unexpected_error_replies: 0,
      total_forks: 0,
    }
  }
}

impl Stats {
  /// Counts an error reply under its code: the first word of `message`.
  pub fn count_error(&mut self, message: &str) {
    let code = message.split(' ').next().unwrap_or("ERR");
    *self.errors.entry(code.to_string()).or_default() += 1;
    self.total_error_replies += 1;
  }

  /// Counts an error reply that no command's failure accounts for (a refusal before the
  /// command ran, a protocol error): the next command does not count it as its own.
  pub fn count_refusal(&mut self, message: &str) {
    self.count_error(message);
    self.errors_seen = self.total_error_replies;
  }

  /// CONFIG RESETSTAT.
  pub fn reset(&mut self) {
    *self = Stats::default();
  }
}
