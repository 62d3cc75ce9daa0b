//! The write signal: what each command says it did.
//!
//! Handlers do not leave it to anyone to guess what they changed. After a change they call,
//! as Redis's handlers call `signalModifiedKey`, `notifyKeyspaceEvent` and `server.dirty++`:
//! - [`Ctx::modified`]: a key's value changed (or the key appeared or went away). This breaks
//!   the WATCHes on it, invalidates client-side caches (`tracking.rs`) and drops the key's
//!   memcached flags and cas unique (`memcached/meta.rs`). A command that
//!   changed nothing does not call it, which is what makes WATCH exact.
//! - [`Ctx::notify`]: a keyspace event (`set`, `lpush`, `del`, `expired`…) of a class; it is
//!   published on `__keyspace@<db>__:<key>` and `__keyevent@<db>__:<event>` when the
//!   `notify-keyspace-events` setting enables that class.
//! - [`Ctx::dirty`]: the number of changes, Redis's `server.dirty`. A command that counted
//!   any is propagated to the write stream (as it was called, or as it rewrote itself with
//!   [`Ctx::propagate_as`], plus whatever it added with [`Ctx::also_propagate`]).
//! - [`Ctx::changed`] does the three at once, the common case.
//!
//! Blocked clients mostly are not part of this: a key a client waits on becomes ready when it is
//! created (`Db` records it, as Redis's `dbAdd` calls `signalKeyAsReady`), which is the only
//! way a waited-on list or sorted set can appear. A stream is different: XREAD waits for new
//! entries in a stream that may already exist, so XADD reports them with [`Ctx::key_ready`].
//!
//! Three reports come from the database itself, since they happen deep inside lookups and
//! inserts: lazy and active expiry log the keys they delete, eviction the keys it deletes
//! (`evict.rs`), and key creation logs the new key while `new` events are enabled.
//! [`settle_logged`] turns each expired key into an `expired` event, a modification and a
//! propagated `DEL`, each evicted key likewise (an `evicted` event, and a `DEL` of its own), and
//! each new key into a `new` event; a
//! command's own signals wait until these are out, so everyone sees them in Redis's order (a
//! WATCH on a key that had expired when watched tells its reclaiming from a later write).
//!
//! The write stream (`Server::write_stream`) is what AOF and replicas will replay: per
//! execution unit (a command, or a whole EXEC) its writes in order, wrapped in MULTI/EXEC when
//! there are several, each with the database it applies to. It is recorded only while a
//! consumer enabled it, so that the hot path pays nothing for it otherwise.

use crate::cmd::Ctx;
use crate::config::notify;
use crate::db::Logged;
use crate::pubsub::{self, Kind};
use crate::resp::Reply;
use crate::server::Server;
use crate::session::Session;
use crate::tracking;

/// One write to replay: the database it applies to, the command that reproduces it, and where
/// it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
  pub db: usize,
  pub argv: Vec<Vec<u8>>,
  pub to: Targets,
}

/// Where a write is propagated: the AOF, the replicas, or both (Redis's `PROPAGATE_AOF` and
/// `PROPAGATE_REPL`; a script chooses with `redis.set_repl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Targets {
  pub aof: bool,
  pub replicas: bool,
}

impl Targets {
  pub const ALL: Targets = Targets { aof: true, replicas: true };
  pub const NONE: Targets = Targets { aof: false, replicas: false };
}

impl Write {
  /// A write for the AOF and the replicas alike.
  pub fn new(db: usize, argv: Vec<Vec<u8>>) -> Write {
    Write { db, argv, to: Targets::ALL }
  }
}

/// What the running command asked of propagation; reset for every command.
#[derive(Default)]
pub struct Propagation {
  /// The writes of the current execution unit, in order.
  pub(crate) ops: Vec<Write>,
  /// Replaces the command's own arguments in the stream.
  pub(crate) rewritten: Option<Vec<Vec<u8>>>,
  /// Propagate the command even though it counted no change (PUBLISH).
  pub(crate) force: bool,
  /// Propagate only what `also_propagate` added, not the command itself.
  pub(crate) prevent: bool,
}

impl Propagation {
  /// Forgets what the command asked of its own propagation (a rewrite, force, prevent), so
  /// that a command that blocked does not leave them to the next one.
  pub(crate) fn drop_requests(&mut self) {
    self.rewritten = None;
    self.force = false;
    self.prevent = false;
  }
}

/// Where a delivery can be written: a running command's context (its own session writes to
/// its reply buffer) or the engine outside any command (ticks).
pub trait Sink {
  fn server(&mut self) -> &mut Server;
  fn send(&mut self, slot: u32, write: impl FnOnce(&mut Reply));
  /// Delivers a push encoded once in its RESP2 form (see `Server::send_push`).
  fn send_push(&mut self, slot: u32, push: &[u8]);
  /// Runs `f` on the session in `slot`, the running one included.
  fn with_session<R>(&mut self, slot: u32, f: impl FnOnce(&mut Session) -> R) -> Option<R>;
}

impl Sink for Server {
  fn server(&mut self) -> &mut Server {
    self
  }

  fn send(&mut self, slot: u32, write: impl FnOnce(&mut Reply)) {
    Server::send(self, slot, write)
  }

  fn send_push(&mut self, slot: u32, push: &[u8]) {
    Server::send_push(self, slot, push)
  }

  fn with_session<R>(&mut self, slot: u32, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    self.clients.slab.get_mut(slot as usize)?.as_deref_mut().map(f)
  }
}

impl Sink for Ctx<'_> {
  fn server(&mut self) -> &mut Server {
    self.server
  }

  fn send(&mut self, slot: u32, write: impl FnOnce(&mut Reply)) {
    if slot == self.slot {
      self.push_to_self(write)
    } else if let Some(out) = self.script_caller_output(slot) {
      write(out)
    } else {
      self.server.send(slot, write)
    }
  }

  fn send_push(&mut self, slot: u32, push: &[u8]) {
    if slot == self.slot {
      self.push_to_self(|out| {
        out.buf.push(if out.resp3 { b'>' } else { b'*' });
        out.buf.extend_from_slice(&push[1..]);
      })
    } else if let Some(out) = self.script_caller_output(slot) {
      out.buf.push(if out.resp3 { b'>' } else { b'*' });
      out.buf.extend_from_slice(&push[1..]);
    } else {
      self.server.send_push(slot, push)
    }
  }

  fn with_session<R>(&mut self, slot: u32, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    if slot == self.slot {
      Some(f(self.session))
    } else if let Some(caller) = self.server.running.script_caller.as_ref().filter(|caller| caller.slot == slot) {
      // SAFETY: the caller's session outlives the script, and nothing else uses it meanwhile.
      Some(f(unsafe { &mut *caller.session }))
    } else {
      self.server.with_session(slot, f)
    }
  }
}

/// Publishes a keyspace event of `class` for `key` in database `db`, on the channels the
/// configuration enables.
pub fn notify_event(sink: &mut impl Sink, db: usize, class: u32, event: &str, key: &[u8]) {
  let enabled = sink.server().config.notify_keyspace_events;
  if enabled & class == 0 || sink.server().pubsub.is_empty() {
    return;
  }
  if enabled & notify::KEYSPACE != 0 {
    let mut channel = format!("__keyspace@{db}__:").into_bytes();
    channel.extend_from_slice(key);
    pubsub::publish(sink, Kind::Global, &channel, event.as_bytes());
  }
  if enabled & notify::KEYEVENT != 0 {
    let channel = format!("__keyevent@{db}__:{event}");
    pubsub::publish(sink, Kind::Global, channel.as_bytes(), key);
  }
}

/// Marks `key` of database `db` changed for everyone who cares: WATCHes break, clients that
/// may cache it are told (`caller` is the session whose command changed it, if any), and its
/// memcached flags and cas unique are forgotten (see `memcached::meta`).
/// `deleted` says the change removed the key (expiry); otherwise the database says whether it
/// exists.
pub fn key_modified(sink: &mut impl Sink, db: usize, key: &[u8], caller: Option<u32>, deleted: bool) {
  let server = sink.server();
  let db_state = &mut server.keyspace.dbs[db];
  if !db_state.memcached.is_empty() {
    db_state.memcached.forget(key);
  }
  if !server.keyspace.watches.is_empty() {
    let present = !deleted && server.keyspace.dbs[db].position(key).is_some();
    server.keyspace.watches.touch(db, key, present);
  }
  if !server.tracking.is_idle() {
    tracking::invalidate_key(sink, key, caller);
  }
}

/// Sends the signals `db` logged since the last call (see the module comment). The `DEL`s of
/// expired keys join `ops`, or are units of their own when `ops` is `None` (active expiry).
pub fn settle_logged(sink: &mut impl Sink, db: usize, mut ops: Option<&mut Vec<Write>>) {
  for logged in sink.server().keyspace.dbs[db].take_logged() {
    let key = match logged {
      Logged::New(key) => {
        notify_event(sink, db, notify::NEW, "new", &key);
        continue;
      }
      Logged::Evicted(key) => {
        settle_evicted(sink, db, key);
        continue;
      }
      Logged::Expired(key) => key,
    };
    notify_event(sink, db, notify::EXPIRED, "expired", &key);
    // Signalled as of its deletion, though a later step of the command may have recreated it.
    key_modified(sink, db, &key, None, true);
    let server = sink.server();
    if server.recording_writes() {
      let write = Write::new(db, vec![b"DEL".to_vec(), key]);
      match ops.as_deref_mut() {
        Some(ops) => ops.push(write),
        None => server.record_unit(vec![write]),
      }
    }
  }
}

/// An evicted key's signals: the `evicted` event, its modification, and its deletion in the
/// write stream as a unit of its own (evictions happen before the command that needed the
/// memory, never inside it).
fn settle_evicted(sink: &mut impl Sink, db: usize, key: Vec<u8>) {
  key_modified(sink, db, &key, None, true);
  notify_event(sink, db, notify::EVICTED, "evicted", &key);
  let server = sink.server();
  if server.recording_writes() {
    let command: &[u8] = if server.config.lazyfree_lazy_eviction { b"UNLINK" } else { b"DEL" };
    server.record_unit(vec![Write::new(db, vec![command.to_vec(), key])]);
  }
}

impl Server {
  /// Appends one execution unit's writes to the write stream (for the AOF) and to the
  /// replication stream, each write to its targets, wrapped in MULTI/EXEC in both when there
  /// are several (as Redis's `propagatePendingCommands` does, whatever their targets).
  pub(crate) fn record_unit(&mut self, mut ops: Vec<Write>) {
    if ops.len() > 1 {
      let (first, last) = (ops[0].db, ops[ops.len() - 1].db);
      ops.insert(0, Write::new(first, vec![b"MULTI".to_vec()]));
      ops.push(Write::new(last, vec![b"EXEC".to_vec()]));
    }
    let everywhere = ops.iter().all(|op| op.to == Targets::ALL);
    if self.repl.feeds_writes() {
      if everywhere {
        self.feed_replication(&ops);
      } else {
        let ops: Vec<Write> = ops.iter().filter(|op| op.to.replicas).cloned().collect();
        self.feed_replication(&ops);
      }
    }
    if let Some(stream) = self.write_stream.as_mut() {
      stream.extend(ops.into_iter().filter(|op| op.to.aof));
    }
  }

  /// Whether writes are recorded: for the AOF (and tests) or for replication.
  #[inline]
  pub(crate) fn recording_writes(&self) -> bool {
    self.write_stream.is_some() || self.repl.feeds_writes()
  }

  /// Starts recording the write stream (for AOF, replication and tests).
  pub fn record_writes(&mut self) {
    self.write_stream.get_or_insert_with(Vec::new);
  }

  /// Takes the writes recorded so far.
  pub fn take_writes(&mut self) -> Vec<Write> {
    self.write_stream.as_mut().map(std::mem::take).unwrap_or_default()
  }
}

impl Ctx<'_> {
  /// The output of the client running the current script, when `slot` is that client.
  fn script_caller_output(&mut self, slot: u32) -> Option<&mut Reply> {
    let caller = self.server.running.script_caller.as_ref().filter(|caller| caller.slot == slot)?;
    // SAFETY: the caller's output outlives the script, and nothing else uses it meanwhile.
    Some(unsafe { &mut *caller.out })
  }

  /// The client a change is attributed to: the session's own slot, or for a script's command
  /// the client that runs the script.
  fn client_slot(&self) -> u32 {
    match &self.server.running.script_caller {
      Some(caller) if self.slot == crate::cmd::SCRIPT_SLOT => caller.slot,
      _ => self.slot,
    }
  }

  /// `key` (in the session's database) changed: see the module comment.
  #[inline]
  pub fn modified(&mut self, key: &[u8]) {
    let db = self.session.db;
    self.settle_logged_in(db);
    // Nobody watches, caches or uses memcached most of the time, and most servers are not
    // replicas: then a change costs four checks.
    if !self.server.keyspace.watches.is_empty()
      || !self.server.tracking.is_idle()
      || !self.server.keyspace.dbs[db].memcached.is_empty()
      || self.server.is_replica()
    {
      self.modified_now(db, key);
    }
  }

  #[inline(never)]
  fn modified_now(&mut self, db: usize, key: &[u8]) {
    let slot = self.client_slot();
    key_modified(self, db, key, Some(slot), false);
    self.remember_if_replica_key(db, key);
  }

  /// `key` in database `db` changed (MOVE, COPY … DB).
  pub fn modified_in(&mut self, db: usize, key: &[u8]) {
    let slot = self.client_slot();
    self.settle_logged_in(db);
    key_modified(self, db, key, Some(slot), false);
    self.remember_if_replica_key(db, key);
  }

  /// On a replica, a key its own client gave a time to live is one it expires itself (see
  /// `keyspace.rs`).
  fn remember_if_replica_key(&mut self, db: usize, key: &[u8]) {
    if self.server.is_replica() && !self.session.master {
      self.server.keyspace.remember_replica_key(db, key);
    }
  }

  /// FLUSHDB/FLUSHALL: every client-side cache is invalid (WATCHes are broken by the flush
  /// itself, see `Watches::touch_flushed`).
  pub fn flushed(&mut self) {
    let slot = self.client_slot();
    tracking::invalidate_all(self, Some(slot));
  }

  /// A keyspace event for `key` in the session's database.
  #[inline]
  pub fn notify(&mut self, class: u32, event: &str, key: &[u8]) {
    let db = self.session.db;
    self.notify_in(db, class, event, key);
  }

  /// Like [`Ctx::notify`], but what it delivers to the running session itself (a RESP3 client
  /// subscribed to its own keyspace events) goes at `at` in its output, before the reply bytes
  /// written since. Redis sends some events in the middle of a reply: the push event of LMOVE
  /// before the element, the event of ZPOPMIN right after the array header. Writing the reply
  /// first and moving the rare self-delivery back spares copying the reply.
  pub fn notify_at(&mut self, at: usize, class: u32, event: &str, key: &[u8]) {
    let written = self.out.buf.len();
    self.notify(class, event, key);
    let delivered = self.out.buf.len() - written;
    if delivered == 0 || at >= written {
      return;
    }
    let passed = written - at;
    self.out.buf[at..].rotate_left(passed);
    // Keep the record of where pushes sit (CLIENT REPLY OFF keeps them) in step.
    for (start, end) in self.server.running.pushes.iter_mut() {
      if *start >= written {
        *start -= passed;
        *end -= passed;
      } else if *start >= at {
        *start += delivered;
        *end += delivered;
      }
    }
  }

  /// A keyspace event for `key` in database `db`.
  #[inline]
  pub fn notify_in(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
    if self.server.config.notify_keyspace_events & class != 0 {
      self.notify_now(db, class, event, key);
    }
  }

  #[inline(never)]
  fn notify_now(&mut self, db: usize, class: u32, event: &str, key: &[u8]) {
    self.settle_logged_in(db);
    notify_event(self, db, class, event, key);
  }

  /// `key` (in the session's database) has new data for the clients blocked on it although it
  /// existed already (XADD, as Redis's `signalKeyAsReady`): they are re-run once the command
  /// is done.
  pub fn key_ready(&mut self, key: &[u8]) {
    let db = self.session.db;
    self.server.keyspace.dbs[db].signal_ready(key);
  }

  /// Counts `n` changes (Redis's `server.dirty += n`).
  #[inline]
  pub fn dirty(&mut self, n: u64) {
    self.server.keyspace.dirty += n;
  }

  /// The usual report of a write to `key`: modified, one event, one change.
  #[inline]
  pub fn changed(&mut self, class: u32, event: &str, key: &[u8]) {
    self.modified(key);
    self.notify(class, event, key);
    self.server.keyspace.dirty += 1;
  }

  /// Propagates the command as `argv` instead of as it was called (SPOP → SREM, SET EX → SET
  /// PXAT…).
  pub fn propagate_as(&mut self, argv: Vec<Vec<u8>>) {
    if self.server.recording_writes() {
      self.server.running.propagation.rewritten = Some(argv);
    }
  }

  /// Adds a write to the stream, before the command's own (Redis's `alsoPropagate`).
  pub fn also_propagate(&mut self, db: usize, argv: Vec<Vec<u8>>) {
    if self.server.recording_writes() {
      self.server.running.propagation.ops.push(Write::new(db, argv));
    }
  }

  /// Keeps the command itself out of the stream (what it added with `also_propagate` stays).
  pub fn prevent_propagation(&mut self) {
    if self.propagating() {
      self.server.running.propagation.prevent = true;
    }
  }

  /// Propagates the command even though it changed nothing (PUBLISH).
  pub fn force_propagation(&mut self) {
    if self.propagating() {
      self.server.running.propagation.force = true;
    }
  }

  /// Sends what the session's database logged so far (expired and new keys).
  #[inline]
  pub fn settle_logged(&mut self) {
    let db = self.session.db;
    self.settle_logged_in(db);
  }

  /// Sends what database `db` logged so far. A command that reclaims an expired key and then
  /// writes over it calls this in between when its own events go elsewhere (MOVE, COPY … DB),
  /// so the expiry's DEL replays before the command, in the same unit.
  #[inline]
  pub fn settle_logged_in(&mut self, db: usize) {
    if self.server.keyspace.dbs[db].has_logged() {
      self.settle_logged_now(db);
    }
  }

  #[cold]
  fn settle_logged_now(&mut self, db: usize) {
    let mut ops = std::mem::take(&mut self.server.running.propagation.ops);
    settle_logged(self, db, Some(&mut ops));
    self.server.running.propagation.ops = ops;
  }

  /// The command that replays the deletion of `key`: UNLINK when the `lazyfree-lazy-*`
  /// parameter that applies (`lazy`) is on, DEL otherwise.
  pub fn deletion_argv(&self, lazy: bool, key: &[u8]) -> Vec<Vec<u8>> {
    let command: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
    vec![command.to_vec(), key.to_vec()]
  }

  /// Whether the write stream is recorded: handlers skip building rewritten commands when it
  /// is not.
  #[inline]
  pub fn propagating(&self) -> bool {
    self.server.recording_writes()
  }
}
