//! Output for sessions other than the one running: pub/sub messages, keyspace notifications,
//! tracking invalidations, MONITOR lines, and the replies of blocked commands served later.
//!
//! The running session writes its replies straight into the buffer `feed` returns. Everything
//! else goes to the recipient's `held` buffer here, and the recipient joins the `outbound`
//! list; after each call the host takes the outbound bytes ([`Engine::take_outbound`]) and
//! writes them to the sockets. A recipient whose socket is congested (the host says so with
//! [`Engine::set_congested`] when a write did not fit the socket's buffer) keeps its bytes
//! here until the host asks for them on `drain` ([`Engine::take_held`]); so the bytes waiting
//! for a slow reader live in one place the engine can see, measure (CLIENT LIST `omem`) and
//! limit.
//!
//! Limits are Redis's `client-output-buffer-limit` classes: a session over the hard limit of
//! its class, or over the soft limit for longer than the class allows, is disconnected (the
//! host closes it once the call returns) and nothing more is queued for it. A subscribed
//! session is in the pubsub class, every other in the normal class (unlimited by default).
//! What counts is everything waiting for the socket, as Redis counts its reply list: the bytes
//! held here, the bytes the host still holds for a congested socket (it says how many with
//! `set_congested`), and the replies of the read being run (the engine checks them after each
//! command, so a pipeline of large replies is cut off at the limit, not after the whole read).
//! A congested session goes on reading, with its own replies held here behind the rest, as
//! Redis goes on reading: a client that writes a whole pipeline before it reads a reply gets
//! every reply, and one which never reads is disconnected at its limit as Redis disconnects
//! it (or evicted under `maxmemory-clients`).
//! In-process sessions (the embedded store's subscriber) are not limited: their output is
//! handed over after every call.

use crate::config::BufferLimit;
use crate::resp::Reply;
use crate::server::Server;
use crate::session::Session;

/// Redis's static reply buffer size: CLIENT LIST shows up to this many bytes as `obl`, the
/// rest as the reply list (`oll` blocks, `omem` bytes).
pub const REPLY_CHUNK: usize = 16 * 1024;

/// The largest output queue kept for reuse once written (see [`Held::written`]): the size of
/// the reply buffer every Redis client has.
const KEPT_CAPACITY: usize = REPLY_CHUNK;

/// The client classes of `client-output-buffer-limit`, as indexes into
/// `Config::client_output_buffer_limits`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BufferClass {
  Normal = 0,
  Replica = 1,
  PubSub = 2,
}

/// A session's queued output (see the module comment).
#[derive(Default)]
pub struct Held {
  pub(crate) bytes: Vec<u8>,
  /// The host reported its socket full; bytes stay here until it drains.
  pub(crate) congested: bool,
  /// Unix milliseconds since which the soft limit has been exceeded (0 = it is not).
  soft_since_ms: i64,
  /// Over a limit: the host is closing the session; nothing more is queued.
  pub doomed: bool,
  /// In the engine's `outbound` list.
  listed: bool,
  /// Bytes at the start of `bytes` outside the limits: a replica's RDB file (Redis sends it
  /// apart from the output buffer).
  exempt: usize,
  /// Bytes the host holds for the congested socket, not written yet (see `set_congested`).
  host_queued: usize,
}

impl Held {
  /// Bytes waiting (INFO's `client_recent_max_output_buffer` takes the largest).
  pub fn len(&self) -> usize {
    self.bytes.len()
  }

  pub fn is_empty(&self) -> bool {
    self.bytes.is_empty()
  }

  /// Bytes the queue holds allocated, written or not (INFO's client memory figures, and the
  /// replica output `maxmemory` does not count).
  pub fn allocated(&self) -> usize {
    self.bytes.capacity()
  }

  /// Bytes the host holds for the congested socket (see `set_congested`).
  pub fn host_queued(&self) -> usize {
    self.host_queued
  }

  /// Empties the queue once everything was written. A buffer grown past a reply chunk (a burst
  /// of messages, a replica's stream, an RDB file) is released rather than kept: its memory
  /// would stay counted in `used_memory`, and under `maxmemory` make the next command evict
  /// keys for it (whose invalidation messages would grow buffers again).
  fn written(&mut self) {
    if self.bytes.capacity() > KEPT_CAPACITY {
      self.bytes = Vec::new();
    } else {
      self.bytes.clear();
    }
    self.soft_since_ms = 0;
    self.exempt = 0;
  }

  /// Every byte waiting for the socket, here and in the host, with `pending` more about to
  /// join them (a replica's RDB file aside).
  fn waiting(&self, pending: usize) -> usize {
    self.bytes.len() - self.exempt.min(self.bytes.len()) + self.host_queued + pending
  }

  /// CLIENT LIST's `obl`, `oll` and `omem`: the bytes waiting in the first block (Redis's
  /// static reply buffer), the number of further blocks and their bytes (its reply list). A
  /// replica's output is all in blocks (Redis's replication buffer).
  pub fn shape(&self, replica: bool) -> (usize, usize, usize) {
    let len = self.waiting(0);
    let first = first_block(len, replica);
    let beyond = len - first;
    (first, beyond.div_ceil(REPLY_CHUNK), beyond)
  }

  /// The bytes that count against the limits, with `pending` more about to join them: as in
  /// Redis, `omem`.
  fn counted(&self, pending: usize, replica: bool) -> u64 {
    let len = self.waiting(pending);
    (len - first_block(len, replica)) as u64
  }

  /// Whether `len` bytes waiting break `limit`: the hard limit at once, the soft limit once it
  /// has been exceeded for longer than its seconds (its clock starts, or stops, here).
  fn breaks(&mut self, limit: BufferLimit, len: u64, now_ms: i64) -> bool {
    let over_hard = limit.hard > 0 && len >= limit.hard;
    let over_soft = limit.soft > 0 && len >= limit.soft;
    if !over_soft {
      self.soft_since_ms = 0;
    } else if self.soft_since_ms == 0 {
      self.soft_since_ms = now_ms;
    }
    over_hard || (over_soft && now_ms - self.soft_since_ms > limit.soft_seconds * 1000)
  }
}

/// Of `len` bytes waiting, those in Redis's static reply buffer (`obl`), outside the limits: up
/// to its 16 KB, and none for a replica, whose output is all in the replication buffer.
fn first_block(len: usize, replica: bool) -> usize {
  if replica {
    0
  } else {
    len.min(REPLY_CHUNK)
  }
}

/// Redis's words for a client closed over its limit: found so while output was added ...
const CLOSED_ASAP: &str = "scheduled to be closed ASAP";
/// ... or by the periodic check.
const CLOSED_BY_CRON: &str = "closed";

/// Marks `session` as disconnected for its output and drops what it holds; returns Redis's log
/// line for it, saying it was `closed` so. The caller asks the host to close it.
fn doom(session: &mut Session, acl: &crate::acl::Acl, now_ms: i64, closed: &str) -> String {
  // Described as it was when it broke the limit, before it is marked for closing.
  let line = format!(
    "Client {} {closed} for overcoming of output buffer limits.",
    crate::cmd::connection::client::describe(session, acl, now_ms)
  );
  session.held.doomed = true;
  session.held.bytes = Vec::new();
  line
}

impl Server {
  /// Appends output for the session in `slot` (not the one running a command: that one
  /// writes to its own reply buffer). Unknown or closing sessions get nothing.
  pub(crate) fn send(&mut self, slot: u32, write: impl FnOnce(&mut Reply)) {
    let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else { return };
    if session.held.doomed {
      return;
    }
    let mut reply = Reply { buf: std::mem::take(&mut session.held.bytes), resp3: session.resp3 };
    write(&mut reply);
    session.held.bytes = reply.buf;
    self.account(slot);
  }

  /// Like [`Engine::send`] for a push encoded once for many recipients (a published message):
  /// `push` is its RESP2 form, an array; RESP3 recipients get it with the push type instead.
  pub(crate) fn send_push(&mut self, slot: u32, push: &[u8]) {
    let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else { return };
    if session.held.doomed {
      return;
    }
    let bytes = &mut session.held.bytes;
    bytes.push(if session.resp3 { b'>' } else { b'*' });
    bytes.extend_from_slice(&push[1..]);
    self.account(slot);
  }

  /// Appends `parts` for `slot` outside its output limits (a replica's RDB file).
  pub(crate) fn send_bulk(&mut self, slot: u32, parts: &[&[u8]]) {
    let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else { return };
    if session.held.doomed {
      return;
    }
    for part in parts {
      session.held.bytes.extend_from_slice(part);
      session.held.exempt += part.len();
    }
    self.account(slot);
  }

  /// After output was added for `slot`: applies its class's limits and lists it for the host.
  fn account(&mut self, slot: u32) {
    let now = self.clock_us / 1000;
    let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else { return };
    let class = session.buffer_class();
    let in_process = !session.is_network();
    // An in-process subscriber's output is handed over after every call: it cannot pile up.
    if in_process {
      let held = &mut session.held;
      if !held.listed {
        held.listed = true;
        self.clients.outbound.push(slot);
      }
      return;
    }
    let limit = self.config.client_output_buffer_limits[class as usize];
    let held = &mut session.held;
    let counted = held.counted(0, session.replica);
    if held.breaks(limit, counted, now) {
      let line = doom(session, &self.acl, now, CLOSED_ASAP);
      self.telemetry.warn(line);
      self.clients.kills.push(slot);
      self.recount_client_in(slot);
      return;
    }
    if !held.congested && !held.listed {
      held.listed = true;
      self.clients.outbound.push(slot);
    }
    self.recount_client_in(slot);
  }

  /// Hands the host every queued output of sessions whose sockets can take it: the bytes of
  /// all of them back to back, and per session its slot and byte count.
  pub fn take_outbound(&mut self) -> (Vec<u8>, Vec<u32>) {
    self.take_outbound_with(|_, _| 0)
  }

  /// Like [`Engine::take_outbound`], first offering each session's bytes to `write`, which
  /// returns how many of them it delivered itself (the binding writes straight to sockets that
  /// can take them): only the rest is handed over.
  pub fn take_outbound_with(&mut self, mut write: impl FnMut(u32, &[u8]) -> usize) -> (Vec<u8>, Vec<u32>) {
    let mut bytes = Vec::new();
    let mut routes = Vec::with_capacity(self.clients.outbound.len() * 2);
    for slot in std::mem::take(&mut self.clients.outbound) {
      let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else { continue };
      session.held.listed = false;
      if session.held.congested || session.held.bytes.is_empty() {
        continue;
      }
      let written = write(slot, &session.held.bytes).min(session.held.bytes.len());
      if written == session.held.bytes.len() {
        session.held.written();
        continue;
      }
      session.held.bytes.drain(..written);
      session.held.exempt = 0;
      routes.push(slot);
      routes.push(session.held.bytes.len() as u32);
      if bytes.is_empty() {
        bytes = std::mem::take(&mut session.held.bytes);
      } else {
        bytes.append(&mut session.held.bytes);
      }
      session.held.soft_since_ms = 0;
    }
    (bytes, routes)
  }

  /// Whether output waits to be taken with [`Engine::take_outbound`].
  #[inline]
  pub fn has_outbound(&self) -> bool {
    !self.clients.outbound.is_empty()
  }

  /// For the session whose commands are running (out of the slab): whether its replies so
  /// far, `pending` bytes, with what already waits for its socket, break its class's limits.
  /// If they do, it is doomed as [`Server::send`] dooms a recipient (the caller drops the
  /// replies and stops running its commands). Cheap when nothing is near a limit.
  #[inline]
  pub(crate) fn running_output_breaks_limits(&mut self, slot: u32, session: &mut Session, pending: usize) -> bool {
    let limit = self.config.client_output_buffer_limits[session.buffer_class() as usize];
    if limit.is_unlimited() {
      return false;
    }
    let nearest = match (limit.hard, limit.soft) {
      (0, soft) => soft,
      (hard, 0) => hard,
      (hard, soft) => hard.min(soft),
    };
    let counted = session.held.counted(pending, session.replica);
    if counted < nearest && session.held.soft_since_ms == 0 {
      return false;
    }
    self.running_output_check(slot, session, limit, counted)
  }

  #[cold]
  fn running_output_check(&mut self, slot: u32, session: &mut Session, limit: BufferLimit, counted: u64) -> bool {
    let now = self.clock_us / 1000;
    if !session.is_network() || session.master || !session.held.breaks(limit, counted, now) {
      return false;
    }
    let line = doom(session, &self.acl, now, CLOSED_ASAP);
    self.telemetry.warn(line);
    self.clients.kills.push(slot);
    true
  }

  /// The periodic check of output limits (Redis's `clientsCron`): a client whose output stopped
  /// growing is still disconnected once it has been over its soft limit for its seconds.
  pub(crate) fn check_output_limits(&mut self) {
    let now = self.clock_us / 1000;
    let limits = self.config.client_output_buffer_limits;
    let mut doomed = Vec::new();
    for (slot, session) in self.clients.sessions_mut() {
      let held = &session.held;
      let counted = held.counted(0, session.replica);
      if !session.is_network() || session.master || held.doomed || (held.soft_since_ms == 0 && counted == 0) {
        continue;
      }
      let limit = limits[session.buffer_class() as usize];
      if session.held.breaks(limit, counted, now) {
        doomed.push((slot, doom(session, &self.acl, now, CLOSED_BY_CRON)));
      }
    }
    for (slot, line) in doomed {
      self.telemetry.warn(line);
      self.clients.kills.push(slot);
      self.recount_client_in(slot);
    }
  }

  /// The host's socket for `slot` is full, with `host_queued` bytes it could not write yet:
  /// keep the session's output here until [`Engine::take_held`].
  pub fn set_congested(&mut self, slot: u32, host_queued: usize) {
    if let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) {
      session.held.congested = true;
      session.held.host_queued = host_queued;
    }
    self.recount_client_in(slot);
  }

  /// Bytes the host made for `slot` (the reply of a command run on its side) while the socket
  /// is congested: they wait behind the output held already, under the same limits.
  pub fn hold(&mut self, slot: u32, bytes: &[u8]) {
    self.send(slot, |out| out.raw(bytes));
  }

  /// The host's socket for `slot` drained: returns the output held for it meanwhile, and
  /// delivers later output through `take_outbound` again.
  pub fn take_held(&mut self, slot: u32) -> Vec<u8> {
    let Some(session) = self.clients.slab.get_mut(slot as usize).and_then(|s| s.as_deref_mut()) else {
      return Vec::new();
    };
    session.held.congested = false;
    session.held.soft_since_ms = 0;
    session.held.exempt = 0;
    session.held.host_queued = 0;
    let held = std::mem::take(&mut session.held.bytes);
    self.recount_client_in(slot);
    held
  }
}
