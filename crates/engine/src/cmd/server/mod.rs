//! Server commands: INFO, CONFIG, COMMAND, ACL, DEBUG, SLOWLOG, LATENCY, MEMORY, TIME, LASTSAVE, ROLE,
//! LOLWUT
//! (SHUTDOWN is run by the TypeScript host).
//!
//! This module holds what they share: the HELP reply format, the subcommand error, the
//! "local connection" test, and [`Telemetry`], the server's measurements kept between commands
//! (statistics, the slow log, latency histograms and events, the samples behind INFO's
//! instantaneous metrics, log lines for the host).

pub mod acl;
pub mod command;
pub mod config;
pub mod debug;
pub(crate) mod digest;
pub mod histogram;
pub mod info;
pub mod latency;
pub mod lolwut;
pub mod memory;
pub mod module;
pub mod persistence;
pub mod replication;
pub mod shutdown;
pub mod slowlog;
pub mod sysinfo;
pub mod time;

use crate::cmd::table::COMMAND_COUNT;
use crate::error::Error;
use crate::rand::Rng;
use crate::resp::Reply;
use crate::session::Session;
use crate::stats::Stats;
use histogram::Histogram;
use slowlog::Slowlog;

/// Writes a HELP reply the way Redis does: a title line, the given lines, then HELP itself,
/// each as a simple string.
pub fn help_reply(out: &mut Reply, command: &str, lines: &[&str]) {
  out.array(lines.len() + 3);
  out.simple(format!("{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:").as_bytes());
  for line in lines {
    out.simple(line.as_bytes());
  }
  out.simple(b"HELP");
  out.simple(b"    Prints this help.");
}

/// Redis's error for a subcommand given with the wrong number of arguments, or unknown to a
/// command that parses its own subcommands (DEBUG, SLOWLOG GET).
pub fn subcommand_error(argv: &[&[u8]]) -> Error {
  let sub = String::from_utf8_lossy(&argv[1][..argv[1].len().min(128)]).into_owned();
  let command = String::from_utf8_lossy(argv[0]).to_uppercase();
  Error::err(format!("unknown subcommand or wrong number of arguments for '{sub}'. Try {command} HELP."))
}

/// Whether the session comes from this machine (an in-process session, a unix socket or a
/// loopback address), for the parameters set to `local`.
pub fn is_local(session: &Session) -> bool {
  if !session.is_network() || session.peer.unix {
    return true;
  }
  let addr = &session.peer.addr;
  let host = addr.rsplit_once(':').map_or(addr.as_str(), |(host, _)| host);
  let host = host.trim_start_matches('[').trim_end_matches(']');
  matches!(host, "127.0.0.1" | "::1" | "::ffff:127.0.0.1")
}

/// An I/O error as C's `strerror` words it (Rust appends " (os error N)").
pub fn os_error_text(error: &std::io::Error) -> String {
  let text = error.to_string();
  match text.find(" (os error") {
    Some(at) => text[..at].to_string(),
    None => text,
  }
}

/// `len` random lower-case hexadecimal digits (run and replication ids).
pub(crate) fn random_hex(rng: &mut Rng, len: usize) -> String {
  (0..len).map(|_| char::from_digit(rng.below(16) as u32, 16).unwrap_or('0')).collect()
}

/// The telemetry part of the server: what INFO, SLOWLOG, LATENCY and the log report.
pub struct Telemetry {
  /// Counters behind INFO's stats, commandstats and errorstats.
  pub stats: Stats,
  pub slowlog: Slowlog,
  /// Lines for the server log (DEBUG LOG, CONFIG REWRITE, internal errors), drained by the
  /// host. A line that starts with [`WARNING_MARK`] is logged as a warning (Redis's `#`),
  /// without the mark; the others as notices.
  pub log_lines: Vec<String>,
  /// Unix milliseconds when the server started (INFO's uptime).
  pub start_ms: i64,
  /// The latency monitor's events (LATENCY LATEST, HISTORY…).
  pub events: latency::Events,
  /// Per-command latency histograms, indexed by `CommandSpec::id`, created on first use.
  pub histograms: Vec<Option<Box<Histogram>>>,
  /// Samples behind INFO's `instantaneous_*` metrics.
  pub metrics: info::Metrics,
  /// Shown by INFO when the host did not provide one.
  pub run_id: String,
  /// INFO's `master_replid`.
  pub replid: String,
  /// Used memory when the engine started (INFO's `used_memory_startup`).
  pub startup_memory: u64,
  /// The most used memory seen (INFO's `used_memory_peak`), sampled every tick.
  pub peak_memory: u64,
  /// The connections to MIGRATE targets the host keeps (INFO's `migrate_cached_sockets`).
  pub migrate_links: u64,
}

impl Default for Telemetry {
  fn default() -> Self {
    Telemetry::new()
  }
}

/// The start of a log line the host logs as a warning (see `Telemetry::log_lines`).
pub const WARNING_MARK: &str = "# ";
/// The start of a log line the host logs at the verbose level.
pub const VERBOSE_MARK: &str = "- ";

impl Telemetry {
  /// Logs `line` as a warning.
  pub fn warn(&mut self, line: String) {
    self.log_lines.push(format!("{WARNING_MARK}{line}"));
  }

  /// Logs `line` at the notice level.
  pub fn notice(&mut self, line: String) {
    self.log_lines.push(line);
  }

  /// Logs `line` at the verbose level.
  pub fn verbose(&mut self, line: String) {
    self.log_lines.push(format!("{VERBOSE_MARK}{line}"));
  }

  /// A log line's level, as the character Redis's log shows for it (`#` warning, `-` verbose,
  /// `*` notice), and its text without the mark.
  pub fn level_and_text(line: &str) -> (char, &str) {
    if let Some(text) = line.strip_prefix(WARNING_MARK) {
      ('#', text)
    } else if let Some(text) = line.strip_prefix(VERBOSE_MARK) {
      ('-', text)
    } else {
      ('*', line)
    }
  }

  pub fn new() -> Self {
    let mut rng = Rng::from_entropy();
    Telemetry {
      stats: Stats::default(),
      slowlog: Slowlog::default(),
      log_lines: Vec::new(),
      start_ms: crate::server::now_ms(),
      events: latency::Events::default(),
      histograms: (0..COMMAND_COUNT).map(|_| None).collect(),
      metrics: info::Metrics::default(),
      run_id: random_hex(&mut rng, 40),
      replid: random_hex(&mut rng, 40),
      startup_memory: crate::alloc::used_memory(),
      peak_memory: crate::alloc::used_memory(),
      migrate_links: 0,
    }
  }

  /// CONFIG RESETSTAT: forgets the latency histograms.
  pub fn reset_stats(&mut self) {
    self.histograms.iter_mut().for_each(|h| *h = None);
  }

  /// Periodic sampling, called from the engine's tick.
  pub fn sample(&mut self, now_ms: i64) {
    self.metrics.sample(now_ms, &self.stats);
    self.peak_memory = self.peak_memory.max(crate::alloc::used_memory());
  }
}
