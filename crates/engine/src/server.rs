//! The server's state: everything a command can see and change besides its own session.
//!
//! Like Redis's `struct redisServer`, but in parts a command can borrow apart: the
//! [`Keyspace`] (databases, WATCHes, expiry), the [`Clients`] (sessions and what the host must
//! drain), [`Blocking`] (waiting and paused sessions), [`Telemetry`] (statistics, slow log,
//! latency), the pub/sub [`Registry`], client-side caching [`Tracking`], and the
//! configuration. Commands reach it through `Ctx::server`; the loop that feeds them input
//! (`engine.rs`) owns it, and is the only code that runs commands.
//!
//! The methods here are the operations that span parts: opening and closing a session,
//! starting and ending a wait.

use crate::blocking::{BlockRequest, Blocking, Wait, WaitEnd};
use crate::clients::Clients;
use crate::cmd::server::Telemetry;
use crate::config::Config;
use crate::keyspace::Keyspace;
use crate::pubsub::Registry;
use crate::rand::Rng;
use crate::session::{Peer, Session};
use crate::signal::{Propagation, Write};
use crate::tracking::Tracking;

/// Current Unix time in milliseconds.
#[inline]
pub fn now_ms() -> i64 {
  now_us() / 1000
}

/// Current Unix time in microseconds. Read once per command, so it is kept lean: on Unix a
/// direct `clock_gettime`, skipping `SystemTime`'s checked conversions.
#[cfg(unix)]
#[inline]
#[allow(clippy::unnecessary_cast)] // `time_t` and `c_long` are 32 bits wide on some targets.
pub fn now_us() -> i64 {
  let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
  // SAFETY: `ts` is a valid, writable timespec; CLOCK_REALTIME is always available.
  unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
  ts.tv_sec as i64 * 1_000_000 + ts.tv_nsec as i64 / 1000
}

/// Current Unix time in microseconds.
#[cfg(not(unix))]
pub fn now_us() -> i64 {
  use std::time::{SystemTime, UNIX_EPOCH};
  SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

/// A command the TypeScript host must run (its name in lower case, and its arguments).
#[derive(Debug)]
pub struct Pending {
  pub name: &'static str,
  pub args: Vec<Vec<u8>>,
}

/// State of the command being run that is not the command's own (so that `Ctx` stays plain
/// references, cheap to make for every command).
#[derive(Default)]
pub(crate) struct Running {
  /// Where pushes to the running session start and end in its reply buffer: CLIENT REPLY
  /// OFF/SKIP drops the replies but not these, as in Redis. Emptied for each top-level command.
  pub(crate) pushes: Vec<(usize, usize)>,
  /// Set by `Ctx::hand_over`: the host finishes the command.
  pub(crate) handoff: Option<Pending>,
  /// The running command's propagation requests (see `signal.rs`).
  pub(crate) propagation: Propagation,
  /// EXEC is running its queued commands (AOF turned on meanwhile starts its rewrite later).
  pub(crate) in_exec: bool,
  /// While a script runs: the client whose command runs it (see [`ScriptCaller`]).
  pub(crate) script_caller: Option<ScriptCaller>,
}

/// The client whose command (EVAL, FCALL) runs the current script. It is out of the session
/// table meanwhile, yet what the script's commands send it (messages it subscribed to) belongs
/// in its output, and the keys they change are its own changes (client-side caching defers
/// their invalidations until after its reply). Valid only while the script runs.
pub(crate) struct ScriptCaller {
  pub(crate) slot: u32,
  pub(crate) session: *mut Session,
  pub(crate) out: *mut crate::resp::Reply,
  /// The keys its command declared (client-side caching remembers them when the script reads).
  pub(crate) keys: *const [&'static [u8]],
}

/// Facts about the hosting process, shown by INFO and CLIENT LIST.
#[derive(Clone, Default)]
pub struct HostInfo {
  /// The port of the plain TCP listeners (0: none).
  pub tcp_port: i64,
  /// The port of the TLS listeners (0: none).
  pub tls_port: i64,
  pub executable: String,
  pub config_file: String,
  pub run_id: String,
  /// The host is a standalone server, whose process the engine manages: it fits the
  /// open-file limit to `maxclients` (see `fd_limit.rs`) and sets the OOM score
  /// (`oom_score.rs`).
  pub manages_process: bool,
}

pub struct Server {
  pub config: Config,
  pub host: HostInfo,
  pub keyspace: Keyspace,
  pub clients: Clients,
  pub blocking: Blocking,
  /// Who subscribes to what (see `pubsub.rs`).
  pub pubsub: Registry,
  /// Client-side caching state (see `tracking.rs`).
  pub tracking: Tracking,
  pub telemetry: Telemetry,
  pub rng: Rng,
  /// DEBUG PAUSE-CRON: the periodic work of `tick` is skipped (waits still time out).
  pub cron_paused: bool,
  /// Unix microseconds at the end of the last command (or the start of the current read):
  /// the start time of the next command.
  pub(crate) clock_us: i64,
  /// Where `clock_us` is read from (see `clock.rs`).
  pub(crate) wall: crate::clock::WallClock,
  /// What the running command set aside for after it (see `Running`).
  pub(crate) running: Running,
  /// The writes to replay, when a consumer records them (see `signal.rs`).
  pub(crate) write_stream: Option<Vec<Write>>,
  /// The script cache and the Lua state (see `script/`).
  pub scripting: crate::script::Scripting,
  /// Serves other clients while a script is busy (see `script::busy`).
  pub(crate) busy_host: Option<Box<dyn crate::script::busy::BusyHost>>,
  /// Memory was past `maxmemory` when the running command started (scripts check it).
  pub(crate) oom_at_command_start: bool,
  /// The append-only file (see `aof`).
  pub aof: crate::aof::AppendOnly,
  /// `maxmemory` eviction's state between rounds (see `evict`).
  pub eviction: crate::evict::Eviction,
  /// `maxmemory-clients`: the memory of the clients that may be evicted (see `client_eviction`).
  pub client_eviction: crate::client_eviction::ClientEviction,
  /// The thread UNLINK and the asynchronous flushes hand large values to (see `lazyfree`).
  pub lazyfree: crate::lazyfree::LazyFree,
  /// Users and the ACL log (see `acl`).
  pub acl: crate::acl::Acl,
  /// `rename-command` directives, when there were any (dispatch looks commands up here then).
  pub renames: Option<Box<crate::cmd::table::Renames>>,
  /// The background save being written (see `rdb::snapshot`).
  pub(crate) snapshot: Option<Box<crate::rdb::snapshot::BackgroundSnapshot>>,
  /// Replication: the stream, the replicas, and the link to a master (see `repl`).
  pub repl: crate::repl::Replication,
  /// The memcached front end's connections and counters (see `memcached`).
  pub memcached: crate::memcached::Frontend,
  /// The shutdown under way (see `cmd::server::shutdown`).
  pub(crate) shutdown: Option<crate::cmd::server::shutdown::Shutdown>,
  /// The shutdown a signal asked for, which the periodic work begins.
  pub(crate) shutdown_requested: Option<crate::cmd::server::shutdown::ShutdownFlags>,
  /// The start-up load under way, while clients are served (see `rdb::loading`).
  pub(crate) loading: Option<Box<crate::rdb::loading::Loading>>,
  /// The append-only file is being loaded (at start-up or by DEBUG LOADAOF): clients served
  /// meanwhile, while a script from it is busy, get -LOADING as in Redis.
  pub(crate) loading_append_only: bool,
  /// The process's OOM score before the engine first set it (see `oom_score.rs`).
  pub(crate) oom_score_base: Option<i64>,
  /// DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE, FUNCTION RESTORE and loads ignore the
  /// CRC-64 of their data (the Tcl suite feeds crafted payloads without one).
  pub(crate) skip_checksum_validation: bool,
}

/// What a client outside the loopback interface gets in protected mode.
pub const PROTECTED_MODE_REFUSAL: &str = "-DENIED Redis is running in protected mode because protected mode is \
  enabled and no password is set for the default user. In this mode connections are only accepted from the \
  loopback interface. If you want to connect from external computers to Redis you may adopt one of the following \
  solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback \
  interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not \
  publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) \
  Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the \
  protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for \
  testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default \
  user. NOTE: You only need to do one of the above things in order for the server to start accepting connections \
  from the outside.\r\n";

/// Whether `ip` is a loopback address (an IPv4 one mapped into IPv6 included); a client
/// without an address (a Unix socket) is local too.
fn is_loopback(ip: &str) -> bool {
  if ip.is_empty() {
    return true;
  }
  match ip.parse::<std::net::IpAddr>() {
    Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback(),
    Ok(std::net::IpAddr::V6(v6)) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    Err(_) => false,
  }
}

impl Server {
  pub fn new(config: Config) -> Self {
    Server {
      keyspace: Keyspace::new(config.databases, now_ms()),
      config,
      host: HostInfo::default(),
      clients: Clients::default(),
      blocking: Blocking::default(),
      pubsub: Registry::default(),
      tracking: Tracking::default(),
      telemetry: Telemetry::new(),
      rng: Rng::from_entropy(),
      cron_paused: false,
      clock_us: 0,
      wall: Default::default(),
      running: Running::default(),
      write_stream: None,
      busy_host: None,
      scripting: Default::default(),
      oom_at_command_start: false,
      aof: Default::default(),
      eviction: Default::default(),
      client_eviction: Default::default(),
      lazyfree: Default::default(),
      acl: Default::default(),
      renames: None,
      snapshot: None,
      repl: Default::default(),
      memcached: Default::default(),
      shutdown: None,
      shutdown_requested: None,
      loading: None,
      loading_append_only: false,
      oom_score_base: None,
      skip_checksum_validation: false,
    }
  }

  /// Resizes the database array after the configuration changed `databases` (start-up only).
  pub fn apply_databases(&mut self) {
    self.keyspace.resize(self.config.databases);
    self.sync_new_key_logging();
    self.sync_access_policy();
    self.sync_table_growth();
  }

  /// Makes the keyspace's tables grow within the memory left under `maxmemory` while it is set
  /// (called whenever it or the databases change, and by each round of eviction, so before
  /// every command). Within the limit the room is taken as what used memory leaves, without
  /// the memory the limit does not count: a little less, and nothing to add up per command.
  pub(crate) fn sync_table_growth(&mut self) {
    let limit = self.config.maxmemory;
    let room = (limit > 0).then(|| match limit.checked_sub(crate::alloc::used_memory()) {
      Some(room) => room,
      None => limit.saturating_sub(self.memory_counted_for_eviction()),
    });
    self.keyspace.set_growth_room(room);
  }

  /// Makes the databases keep the access bits the eviction policy reads (called whenever
  /// `maxmemory-policy`, `lfu-log-factor`, `lfu-decay-time` or the databases change).
  pub(crate) fn sync_access_policy(&mut self) {
    let policy = crate::db::access::AccessPolicy::of(&self.config);
    self.keyspace.set_access_policy(policy);
  }

  /// Makes the databases log created keys exactly while `new` events are enabled (called
  /// whenever `notify-keyspace-events` or the databases change).
  pub(crate) fn sync_new_key_logging(&mut self) {
    let log_new = self.config.notify_keyspace_events & crate::config::notify::NEW != 0;
    self.keyspace.log_new_keys(log_new);
  }

  /// Whether writes may be refused for a disk error (cheap: checked for every command).
  #[inline]
  pub(crate) fn disk_may_refuse(&self) -> bool {
    self.keyspace.bgsave.last_failed || self.aof.state != crate::aof::AofState::Off
  }

  /// Why writes are refused for a disk error, if they are (Redis's
  /// `writeCommandsDeniedByDiskError`): a failed background save, or a failed AOF write.
  pub(crate) fn disk_error(&self) -> Option<std::borrow::Cow<'static, str>> {
    if self.keyspace.bgsave.last_failed && self.stops_writes_on_save_error() {
      return Some(crate::cmd::MISCONF_ERROR.into());
    }
    let error = self.aof_write_error()?;
    Some(format!("MISCONF Errors writing to the AOF file: {error}").into())
  }

  /// Whether a failed background save stops writes: `save` rules are set and
  /// `stop-writes-on-bgsave-error` is on.
  pub(crate) fn stops_writes_on_save_error(&self) -> bool {
    !self.config.save_rules.is_empty()
      && self.config.stored.get("stop-writes-on-bgsave-error").is_none_or(|value| value == "yes")
  }

  /// Whether a connection from `remote_ip` must be turned away, and with what (Redis's
  /// protected mode: with `protected-mode yes` and no password for the default user, only
  /// loopback clients are served). The host writes the refusal and closes the connection.
  pub fn refuse_connection(&mut self, remote_ip: &str) -> Option<&'static str> {
    if !self.config.protected_mode || !self.acl.default_user().nopass || is_loopback(remote_ip) {
      return None;
    }
    self.telemetry.stats.rejected_connections += 1;
    Some(PROTECTED_MODE_REFUSAL)
  }

  /// Opens a session and returns its slot number (the handle the host uses).
  pub fn open(&mut self, peer: Peer) -> u32 {
    let id = self.clients.next_id();
    self.telemetry.stats.total_connections_received += 1;
    let authenticated = self.acl.default_needs_no_auth();
    self.clients.insert(Box::new(Session::new(id, peer, now_ms(), authenticated)))
  }

  /// Forgets a session: its waits, watches, subscriptions and tracking. Unknown slots are
  /// ignored.
  pub fn close(&mut self, slot: u32) {
    let Some(mut session) = self.clients.remove(slot) else { return };
    self.uncount_client(&mut session);
    self.blocking.forget(slot);
    if let Some(wait) = session.wait.take() {
      self.forget_wait(slot, &wait);
    }
    self.keyspace.watches.unwatch_all(slot);
    self.pubsub.forget(&mut session.subscriptions, slot);
    self.tracking.disable(&mut session, slot);
    self.forget_replica(slot);
    self.master_session_closed(slot, session.db);
  }

  /// Slots of the sessions (not running a command) with tracking on, in slot order.
  pub(crate) fn tracking_slots(&self) -> Vec<u32> {
    self.clients.sessions().filter(|(_, s)| s.tracking.is_some()).map(|(slot, _)| slot).collect()
  }

  /// Number of blocked sessions with a timeout (INFO `clients_in_timeout_table`).
  pub fn blocked_with_timeout(&self) -> usize {
    let clients = &self.clients;
    let timed = |slot: u32| clients.session(slot).and_then(|s| s.wait.as_ref()).is_some_and(|w| w.deadline_ms != 0);
    self.blocking.blocked.iter().filter(|&&slot| timed(slot)).count()
  }

  /// Records that the session's command blocks, keeping its place in line if it was already
  /// waiting.
  pub(crate) fn block(&mut self, slot: u32, session: &mut Session, request: BlockRequest) {
    if let Some(wait) = session.wait.as_mut() {
      // A re-run that blocks again keeps its place and its keys.
      wait.end = WaitEnd::Waiting;
      wait.ready_key = None;
      return;
    }
    self.blocking.last_wait_seq += 1;
    let db = session.db;
    for key in &request.keys {
      let waiters = self.keyspace.dbs[db].waiters.entry(key.clone()).or_default();
      if !waiters.contains(&slot) {
        waiters.push(slot);
      }
    }
    session.wait = Some(Wait {
      seq: self.blocking.last_wait_seq,
      deadline_ms: request.deadline_ms,
      db,
      keys: request.keys,
      end: WaitEnd::Waiting,
      ready_key: None,
      stream_ids: request.stream_ids,
    });
    self.blocking.blocked.push(slot);
  }

  /// Removes a finished wait from the waiters of its keys.
  pub(crate) fn forget_wait(&mut self, slot: u32, wait: &Wait) {
    self.blocking.blocked.retain(|&s| s != slot);
    let waiters = &mut self.keyspace.dbs[wait.db].waiters;
    for key in &wait.keys {
      if let Some(slots) = waiters.get_mut(key) {
        slots.retain(|&s| s != slot);
        if slots.is_empty() {
          waiters.remove(key);
        }
      }
    }
  }

  /// Ends the waits whose deadline passed: their commands write their timeout replies.
  pub(crate) fn expire_waits(&mut self, now: i64) {
    for &slot in &self.blocking.blocked {
      let Some(wait) = self.clients.session_mut(slot).and_then(|s| s.wait.as_mut()) else { continue };
      if wait.deadline_ms != 0 && wait.deadline_ms <= now {
        wait.end = WaitEnd::TimedOut;
        self.blocking.unblocked.push(slot);
      }
    }
  }

  /// CLIENT UNBLOCK: ends the wait of the blocked session with client id `id`, with its
  /// timeout reply or (if `error`) an UNBLOCKED error. Returns whether such a session waited.
  pub fn unblock(&mut self, id: u64, error: bool) -> bool {
    let Some(slot) = self.clients.slot_of(id) else { return false };
    if !self.blocking.is_blocked(slot) {
      return false;
    }
    let Some(wait) = self.clients.session_mut(slot).and_then(|s| s.wait.as_mut()) else { return false };
    wait.end = if error { WaitEnd::Error } else { WaitEnd::TimedOut };
    self.blocking.unblocked.push(slot);
    true
  }
}
