//! Client eviction (`maxmemory-clients`): when the connections of ordinary clients together
//! hold more memory than the limit, the largest are disconnected until they fit again.
//!
//! Why: output-buffer limits bound one client at a time, `maxmemory` bounds the dataset; many
//! clients each a little large (big pipelines, slow readers, thousands of subscriptions or
//! watched keys) can still exhaust the machine. Redis 7.0 answers that with client eviction,
//! and so does this module, with the same rules:
//!
//! - The limit is `maxmemory-clients`, a byte count or a percentage of `maxmemory`, never less
//!   than 128 KB (so a bad setting cannot lock everyone out); 0 turns it off.
//! - Only ordinary and pub/sub network clients are evicted: not replicas, not the master link,
//!   not in-process sessions, not those that said `CLIENT NO-EVICT on`, and not those already
//!   being closed (over an output-buffer limit: their memory is released, not evicted).
//! - A client's memory is what its connection holds: unread and unexecuted input, queued
//!   output (here and in the host's socket queue), queued MULTI commands, watched keys,
//!   subscriptions, tracking prefixes, and the session (CLIENT LIST's `tot-mem`,
//!   [`client_memory`], is all that but the watched keys).
//! - The total is kept incrementally: each evictable session remembers what it was last counted
//!   as (`Session::counted_memory`), and the sum lives in [`ClientEviction`]; a changed limit
//!   starts a new count. A session is
//!   recounted after each command it runs, at the end of each read, and when output is queued
//!   for it; it leaves the sum when it closes.
//! - Eviction runs before each command and after each read (Redis: in `processCommand` and
//!   before sleeping), and after CONFIG SET changes a limit: while the total is at or above
//!   the limit, the largest client goes first (Redis approximates "largest" with log2 buckets;
//!   an exact order is within them), with Redis's log line and INFO's `evicted_clients`.
//!   Tracking costs nothing while the limit is 0.

use crate::config::Config;
use crate::server::Server;
use crate::session::Session;

/// The smallest limit Redis applies, whatever the setting.
const MIN_LIMIT: u64 = 128 * 1024;

/// Bytes counted for each subscription (channel, pattern or shard channel) and tracking prefix:
/// the entry in the session's own set, as Redis counts only its pointers.
const PER_SUBSCRIPTION: usize = 48;

/// The running total of the evictable clients' memory.
#[derive(Default)]
pub struct ClientEviction {
  /// Sum of what the sessions counted in the current epoch were counted as.
  pub(crate) total: u64,
  /// Advanced when every count is dropped (the limit changed): a session counted in an earlier
  /// epoch is not in `total` (the one running a command is out of the table then, so its own
  /// count cannot be reset with the others').
  epoch: u64,
  /// INFO `evicted_clients`.
  pub evicted_clients: u64,
}

impl ClientEviction {
  /// What `session` adds to `total`.
  fn counted(&self, session: &Session) -> u64 {
    let (epoch, memory) = session.counted_memory;
    if epoch == self.epoch {
      memory
    } else {
      0
    }
  }
}

/// The limit in bytes, or 0 for none (Redis's `getClientEvictionLimit`).
pub fn limit(config: &Config) -> u64 {
  let setting = config.maxmemory_clients;
  let bytes = if setting < 0 {
    if config.maxmemory == 0 {
      return 0;
    }
    (config.maxmemory as f64 * (-setting) as f64 / 100.0) as u64
  } else if setting > 0 {
    setting as u64
  } else {
    return 0;
  };
  bytes.max(MIN_LIMIT)
}

/// Whether `session` may be evicted at all (Redis's `clientEvictionAllowed`).
pub(crate) fn evictable(session: &Session) -> bool {
  !session.no_evict && !session.replica && !session.master && session.is_network() && !session.held.doomed
}

/// The memory `session` holds, as CLIENT LIST's `tot-mem` shows it: everything but its watched
/// keys, which the engine keeps apart (the count adds them: see [`Server::recount_client`]).
pub fn client_memory(session: &Session) -> usize {
  let held = session.held_output();
  let input = session.input.capacity().max(session.reading);
  let multi = session.multi.as_ref().map_or(0, |multi| multi.memory());
  let subscriptions = &session.subscriptions;
  let subscribed = (subscriptions.channels.len() + subscriptions.patterns.len() + subscriptions.shard_channels.len())
    * PER_SUBSCRIPTION;
  let prefixes = session.tracking.as_ref().map_or(0, |tracking| tracking.prefixes.len() * PER_SUBSCRIPTION);
  std::mem::size_of::<Session>() + held.allocated() + held.host_queued() + input + multi + subscribed + prefixes
}

impl Server {
  /// The client limit now in force (0: none).
  #[inline]
  pub(crate) fn client_eviction_on(&self) -> bool {
    self.config.maxmemory_clients != 0
  }

  /// Recounts `session` (in `slot`, taken out of the table or not) in the evictable total;
  /// `replies` are the bytes of replies it has made and the host has not been given yet.
  pub(crate) fn recount_client(&mut self, slot: u32, session: &mut Session, replies: usize) {
    let memory = if evictable(session) {
      (client_memory(session) + self.keyspace.watches.memory_of(slot) + replies) as u64
    } else {
      0
    };
    let previous = self.client_eviction.counted(session);
    let eviction = &mut self.client_eviction;
    eviction.total = eviction.total - previous + memory;
    session.counted_memory = (eviction.epoch, memory);
  }

  /// A session leaves the total (it closes).
  pub(crate) fn uncount_client(&mut self, session: &mut Session) {
    self.client_eviction.total -= self.client_eviction.counted(session);
    session.counted_memory = (0, 0);
  }

  /// Recounts the session in `slot`, if it is in the table.
  pub(crate) fn recount_client_in(&mut self, slot: u32) {
    if !self.client_eviction_on() {
      return;
    }
    let Some(mut session) = self.clients.take(slot) else { return };
    self.recount_client(slot, &mut session, 0);
    self.clients.put_back(slot, session);
  }

  /// Drops every count and, while a limit is on, counts every session afresh (the limit was
  /// just changed).
  pub(crate) fn recount_all_clients(&mut self) {
    self.client_eviction.epoch += 1;
    self.client_eviction.total = 0;
    if self.client_eviction_on() {
      let slots: Vec<u32> = self.clients.sessions().map(|(slot, _)| slot).collect();
      for slot in slots {
        self.recount_client_in(slot);
      }
    }
  }

  /// Recounts the running session (with `replies`, the bytes of its replies so far), then
  /// evicts clients as [`Server::evict_clients`] does; `true` if the running session itself is
  /// evicted. A pipeline of large replies is so cut off once it holds too much, as Redis
  /// counts a client's reply list after each command.
  pub(crate) fn evicts_running(&mut self, slot: u32, session: &mut Session, replies: usize) -> bool {
    self.recount_client(slot, session, replies);
    self.evict_clients(Some((slot, session)))
  }

  /// Disconnects the largest evictable clients while their total is at or above the limit.
  /// `running` is the session running a command (out of the table): it competes like the
  /// others, and `true` comes back if it is the one evicted (the caller then stops running its
  /// input and closes it).
  pub(crate) fn evict_clients(&mut self, mut running: Option<(u32, &mut Session)>) -> bool {
    let limit = limit(&self.config);
    if limit == 0 {
      return false;
    }
    while self.client_eviction.total >= limit {
      let eviction = &self.client_eviction;
      let largest = self
        .clients
        .sessions()
        .map(|(slot, session)| (slot, eviction.counted(session)))
        .filter(|&(_, memory)| memory > 0)
        .max_by_key(|&(_, memory)| memory);
      let running_memory = running.as_ref().map_or(0, |(_, session)| eviction.counted(session));
      match largest {
        Some((slot, memory)) if memory >= running_memory => {
          let Some(mut session) = self.clients.take(slot) else { return false };
          self.evict_client(&mut session);
          self.clients.put_back(slot, session);
          self.clients.kills.push(slot);
        }
        _ if running_memory > 0 => {
          let (_, session) = running.as_mut().expect("the running session has memory counted");
          self.evict_client(session);
          return true;
        }
        _ => {
          self.telemetry.warn("Over client maxmemory after evicting all evictable clients".into());
          return false;
        }
      }
    }
    false
  }

  /// Marks `session` closed for eviction: it leaves the total, gets no more output, and the
  /// caller has it closed.
  fn evict_client(&mut self, session: &mut Session) {
    let line = format!(
      "Evicting client: {}",
      crate::cmd::connection::client::describe(session, &self.acl, self.clock_us / 1000)
    );
    self.telemetry.notice(line);
    self.uncount_client(session);
    session.evicted = true;
    session.held.doomed = true;
    session.held.bytes = Vec::new();
    self.client_eviction.evicted_clients += 1;
  }
}
