//! Client-side caching (CLIENT TRACKING): remembering which clients may cache which keys, and
//! telling them when those keys change.
//!
//! Two modes, as in Redis:
//! - Default mode: after a read-only command of a tracking client, its keys are remembered in
//!   the tracking table (key → client ids). When a key changes (`signal::key_modified`), every
//!   client in its entry gets one invalidation and the entry is dropped: a client is told
//!   once, until it reads the key again. OPTIN/OPTOUT clients choose per command, with CLIENT
//!   CACHING, whether a read is remembered. The table is keyed by name only, not database.
//! - Broadcasting mode (BCAST): nothing is remembered; clients register prefixes, and every
//!   changed key that starts with a registered prefix is collected per prefix, then sent to the
//!   prefix's clients as one invalidation array when the engine settles after a call.
//!
//! An invalidation is a RESP3 push `["invalidate", [key, ...]]` (a null instead of the array
//! after FLUSHDB/FLUSHALL). A client may redirect its invalidations to another connection; a
//! RESP2 connection receives them as Pub/Sub messages on `__redis__:invalidate`, if it is
//! subscribed. Invalidations for the client running the command are sent after its reply.
//! NOLOOP clients are not told about their own changes. `tracking-table-max-keys` bounds the
//! table: past it, keys are evicted (their clients invalidated) before the next command.

use crate::resp::Reply;
use crate::session::Session;
use crate::signal::Sink;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A session's tracking settings (CLIENT TRACKING ON …).
#[derive(Default, Clone)]
pub struct ClientTracking {
  /// Client id invalidations go to; 0 for the client itself.
  pub redirect: u64,
  pub bcast: bool,
  pub optin: bool,
  pub optout: bool,
  pub noloop: bool,
  /// CLIENT CACHING was given for the next command.
  pub caching: bool,
  /// The redirect target disconnected.
  pub broken_redirect: bool,
  /// BCAST prefixes, in order.
  pub prefixes: BTreeSet<Vec<u8>>,
}

/// One BCAST prefix: its clients (by slot) and the keys changed since the last broadcast, each
/// with the slot of the session that changed it last (for NOLOOP).
#[derive(Default)]
struct Prefix {
  clients: BTreeSet<u32>,
  keys: ChangedKeys,
}

/// The keys changed under a prefix since the last broadcast, each with the slot of the session
/// that changed it last.
type ChangedKeys = BTreeMap<Vec<u8>, Option<u32>>;

/// What an invalidation says: these keys, or "everything" (a flush).
pub enum Invalidated<'a> {
  Keys(&'a [Vec<u8>]),
  /// Everything; written as the tracking client's own null (`$-1` or `_`).
  All {
    resp3: bool,
  },
}

#[derive(Default)]
pub struct Tracking {
  /// Key → ids of the clients that may cache it.
  table: HashMap<Vec<u8>, BTreeSet<u64>>,
  /// Sum of the id sets' sizes (INFO `tracking_total_items`).
  items: usize,
  prefixes: BTreeMap<Vec<u8>, Prefix>,
  /// Sessions with tracking on (INFO `tracking_clients`).
  pub clients: usize,
  /// Invalidations for the running session, sent after its reply (None = everything).
  pending_self: Vec<Option<Vec<u8>>>,
  /// How many eviction rounds in a row ended still over the limit: the next one works harder.
  eviction_rounds: usize,
}

impl Tracking {
  /// Number of keys in the table (INFO `tracking_total_keys`).
  pub fn keys(&self) -> usize {
    self.table.len()
  }

  /// INFO `tracking_total_items`.
  pub fn items(&self) -> usize {
    self.items
  }

  /// INFO `tracking_total_prefixes`.
  pub fn prefix_count(&self) -> usize {
    self.prefixes.len()
  }

  /// Whether no client tracks anything: modifications then cost one check.
  #[inline]
  pub fn is_idle(&self) -> bool {
    self.clients == 0 && self.table.is_empty()
  }

  /// Turns tracking on for the session in `slot` (options already validated).
  pub fn enable(&mut self, session: &mut Session, slot: u32, mut settings: ClientTracking) {
    let was_on = session.tracking.is_some();
    if !was_on {
      self.clients += 1;
    }
    let prefixes = std::mem::take(&mut settings.prefixes);
    let kept = session.tracking.take().map(|old| old.prefixes).unwrap_or_default();
    settings.prefixes = kept;
    if settings.bcast {
      let wanted: Vec<Vec<u8>> = if prefixes.is_empty() { vec![Vec::new()] } else { prefixes.into_iter().collect() };
      for prefix in wanted {
        self.prefixes.entry(prefix.clone()).or_default().clients.insert(slot);
        settings.prefixes.insert(prefix);
      }
    }
    session.tracking = Some(settings);
  }

  /// Turns tracking off for the session in `slot` (CLIENT TRACKING OFF, RESET, disconnect).
  pub fn disable(&mut self, session: &mut Session, slot: u32) {
    let Some(settings) = session.tracking.take() else { return };
    self.clients -= 1;
    for prefix in settings.prefixes {
      if let Some(state) = self.prefixes.get_mut(&prefix) {
        state.clients.remove(&slot);
        if state.clients.is_empty() {
          self.prefixes.remove(&prefix);
        }
      }
    }
  }

  /// After a read-only command: remembers that the client `id` may cache `keys`.
  pub fn remember(&mut self, id: u64, keys: &[&[u8]]) {
    for key in keys {
      if self.table.entry(key.to_vec()).or_default().insert(id) {
        self.items += 1;
      }
    }
  }

  /// The client with `prefixes` already registered may not add `new` overlapping ones:
  /// Redis's error, or None.
  pub fn prefix_collision(existing: &BTreeSet<Vec<u8>>, new: &[&[u8]]) -> Option<String> {
    let overlap = |a: &[u8], b: &[u8]| a[..a.len().min(b.len())] == b[..a.len().min(b.len())];
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (i, prefix) in new.iter().enumerate() {
      if let Some(old) = existing.iter().find(|old| overlap(old, prefix)) {
        return Some(format!(
          "Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
          text(prefix),
          text(old)
        ));
      }
      if let Some(other) = new[i + 1..].iter().find(|other| overlap(prefix, other)) {
        return Some(format!(
          "Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
          text(prefix),
          text(other)
        ));
      }
    }
    None
  }
}

/// `key` changed (by the session in `caller`, if a command changed it): collects it for BCAST
/// prefixes and invalidates it for the clients that read it.
pub fn invalidate_key(sink: &mut impl Sink, key: &[u8], caller: Option<u32>) {
  let tracking = &mut sink.server().tracking;
  for (prefix, state) in tracking.prefixes.iter_mut() {
    if key.starts_with(prefix) {
      state.keys.insert(key.to_vec(), caller);
    }
  }
  let Some(ids) = tracking.table.remove(key) else { return };
  tracking.items -= ids.len();
  let keys = [key.to_vec()];
  for id in ids {
    let Some(slot) = sink.server().clients.slot_of(id) else { continue };
    let Some(mode) = sink.with_session(slot, |s| s.tracking.as_ref().map(|t| (t.bcast, t.noloop))).flatten() else {
      continue;
    };
    // A client that switched to BCAST gets no more default-mode invalidations.
    if mode.0 || (mode.1 && Some(slot) == caller) {
      continue;
    }
    if Some(slot) == caller {
      sink.server().tracking.pending_self.push(Some(key.to_vec()));
    } else {
      send(sink, slot, Invalidated::Keys(&keys));
    }
  }
}

/// FLUSHDB/FLUSHALL: every tracking client learns that everything is invalid, and the table
/// is emptied.
pub fn invalidate_all(sink: &mut impl Sink, caller: Option<u32>) {
  if sink.server().tracking.clients > 0 {
    let mut slots: Vec<u32> = sink.server().tracking_slots();
    if let Some(caller) = caller {
      if sink.with_session(caller, |s| s.tracking.is_some()) == Some(true) && !slots.contains(&caller) {
        slots.push(caller);
        slots.sort_unstable();
      }
    }
    for slot in slots {
      if Some(slot) == caller {
        sink.server().tracking.pending_self.push(None);
      } else {
        let resp3 = sink.with_session(slot, |s| s.resp3).unwrap_or(false);
        send(sink, slot, Invalidated::All { resp3 });
      }
    }
  }
  let tracking = &mut sink.server().tracking;
  tracking.table = HashMap::new();
  tracking.items = 0;
}

/// Sends the invalidations deferred for the running session (after its reply).
pub fn flush_pending_self(sink: &mut impl Sink, slot: u32) {
  let pending = std::mem::take(&mut sink.server().tracking.pending_self);
  for key in pending {
    match key {
      Some(key) => send(sink, slot, Invalidated::Keys(&[key])),
      None => {
        let resp3 = sink.with_session(slot, |s| s.resp3).unwrap_or(false);
        send(sink, slot, Invalidated::All { resp3 })
      }
    }
  }
}

/// Sends each BCAST prefix's collected keys to the prefix's clients (NOLOOP clients without
/// the keys they changed themselves).
pub fn broadcast(sink: &mut impl Sink) {
  let tracking = &mut sink.server().tracking;
  if tracking.prefixes.values().all(|p| p.keys.is_empty()) {
    return;
  }
  let batches: Vec<(Vec<u32>, ChangedKeys)> = tracking
    .prefixes
    .values_mut()
    .filter(|p| !p.keys.is_empty())
    .map(|p| (p.clients.iter().copied().collect(), std::mem::take(&mut p.keys)))
    .collect();
  for (clients, keys) in batches {
    for slot in clients {
      let noloop = sink.with_session(slot, |s| s.tracking.as_ref().is_some_and(|t| t.noloop)).unwrap_or(false);
      let keys: Vec<Vec<u8>> =
        keys.iter().filter(|(_, by)| !(noloop && **by == Some(slot))).map(|(k, _)| k.clone()).collect();
      if !keys.is_empty() {
        send(sink, slot, Invalidated::Keys(&keys));
      }
    }
  }
}

/// Keeps the table within `tracking-table-max-keys` by invalidating keys, with more effort
/// each time a round did not get under the limit.
pub fn enforce_limit(sink: &mut impl Sink, max_keys: usize) {
  let tracking = &mut sink.server().tracking;
  if max_keys == 0 || tracking.table.len() <= max_keys {
    tracking.eviction_rounds = 0;
    return;
  }
  let effort = 100 * (tracking.eviction_rounds + 1);
  for _ in 0..effort {
    let Some(key) = sink.server().tracking.table.keys().next().cloned() else { break };
    invalidate_key(sink, &key, None);
    if sink.server().tracking.table.len() <= max_keys {
      sink.server().tracking.eviction_rounds = 0;
      return;
    }
  }
  sink.server().tracking.eviction_rounds += 1;
}

/// Writes one invalidation for the tracking session in `slot`, to it or its redirect target.
fn send(sink: &mut impl Sink, slot: u32, what: Invalidated) {
  let Some((redirect, resp3)) =
    sink.with_session(slot, |s| s.tracking.as_ref().map(|t| (t.redirect, s.resp3))).flatten()
  else {
    return;
  };
  let mut target = slot;
  if redirect != 0 {
    match sink.server().clients.slot_of(redirect) {
      Some(redirected) => target = redirected,
      None => {
        sink.with_session(slot, |s| {
          if let Some(t) = s.tracking.as_mut() {
            t.broken_redirect = true;
          }
        });
        if resp3 {
          sink.send(slot, |out| {
            out.push(2);
            out.bulk(b"tracking-redir-broken");
            out.int(redirect as i64);
          });
        }
        return;
      }
    }
  }
  let Some((target_resp3, subscribed)) = sink.with_session(target, |s| (s.resp3, s.subscriptions.total() > 0)) else {
    return;
  };
  if target_resp3 {
    sink.send(target, |out| {
      out.push(2);
      out.bulk(b"invalidate");
      payload(out, &what);
    });
  } else if redirect != 0 && subscribed {
    sink.send(target, |out| {
      out.push(3);
      out.bulk(b"message");
      out.bulk(b"__redis__:invalidate");
      payload(out, &what);
    });
  }
}

/// The keys array, or the tracking client's null.
fn payload(out: &mut Reply, what: &Invalidated) {
  match what {
    Invalidated::Keys(keys) => {
      out.array(keys.len());
      for key in keys.iter() {
        out.bulk(key);
      }
    }
    Invalidated::All { resp3: true } => out.raw(b"_\r\n"),
    Invalidated::All { resp3: false } => out.raw(b"$-1\r\n"),
  }
}
