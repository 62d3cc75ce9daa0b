//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! MULTI puts the session in queuing mode. `cmd::dispatch` then checks each later command as
//! usual (unknown command, arity, authentication, NO_MULTI) and, instead of running it, keeps
//! an owned copy of its arguments and replies +QUEUED ([`queue`]). A command refused at that
//! point marks the transaction failed, so EXEC answers EXECABORT. EXEC, DISCARD, MULTI, WATCH,
//! QUIT and RESET are never queued, as in Redis. EXEC runs the queued commands one by one
//! through the ordinary dispatcher, so statistics, MONITOR, the slowlog and the write signal
//! (blocked clients are served once the whole EXEC is done; its writes replay as one
//! MULTI/EXEC unit) all see them; `session.in_exec` is set meanwhile so that a blocking
//! command writes its timeout reply instead of blocking.
//!
//! WATCH is optimistic locking. [`Watches`], owned by the engine, maps each watched key (per
//! database) to the sessions watching it. Handlers report every key they really change
//! (`Ctx::modified`, see `crate::signal`), and that breaks the watches on it
//! ([`Watches::touch`]): the watching session is marked dirty and stops watching its other
//! keys, since nothing can change the outcome any more. A command that changed nothing (SADD
//! of an existing member, DEL of a missing key, a failed command) breaks nothing. FLUSHDB,
//! FLUSHALL and SWAPDB, which change keys without naming them, break the watches on the
//! watched keys they drop or replace ([`Watches::touch_flushed`], [`Watches::touch_swapped`]).
//! Expiry follows Redis 7.0: a watched key that expires (deleted or not yet) before EXEC
//! makes it fail, unless the key had already expired when it was watched.

use super::table::CommandSpec;
use super::{dispatch, Ctx};
use crate::db::Db;
use crate::error::{CmdResult, Error};
use std::collections::HashMap;

/// A transaction being queued (between MULTI and EXEC/DISCARD).
#[derive(Default)]
pub struct Multi {
  /// The queued commands, each as owned arguments (command name first).
  queued: Vec<Vec<Vec<u8>>>,
  /// A command was refused while queuing: EXEC must abort.
  failed: bool,
  /// Some queued command writes: EXEC then waits out a CLIENT PAUSE WRITE, like a write.
  writes: bool,
  /// Some queued command is `denyoom`: EXEC is refused while memory is past `maxmemory`.
  denies_oom: bool,
  /// Some queued command lacks the `stale` flag: EXEC is refused by a replica that serves no
  /// stale data while its link is down.
  denies_stale: bool,
}

impl Multi {
  /// Number of commands queued (CLIENT LIST `multi`).
  pub fn len(&self) -> usize {
    self.queued.len()
  }

  pub fn is_empty(&self) -> bool {
    self.queued.is_empty()
  }

  /// Bytes the queued commands hold: their arguments, each with its allocation's header
  /// (CLIENT LIST `multi-mem`).
  pub fn memory(&self) -> usize {
    self.queued.iter().flatten().map(|arg| arg.len() + std::mem::size_of::<Vec<u8>>()).sum()
  }

  pub(crate) fn denies_oom(&self) -> bool {
    self.denies_oom
  }

  pub(crate) fn denies_stale(&self) -> bool {
    self.denies_stale
  }
}

/// The watched keys of every session.
#[derive(Default)]
pub struct Watches {
  /// Per database index: watched key → slots of the sessions watching it, in WATCH order.
  by_db: Vec<HashMap<Vec<u8>, Vec<u32>>>,
  /// Number of (session, key) pairs in `by_db`: zero means nothing to check on writes.
  pairs: usize,
  /// Per watching session (by slot): what it watches, or that a watched key already changed.
  sessions: HashMap<u32, Watcher>,
}

#[derive(Default)]
struct Watcher {
  keys: Vec<WatchedKey>,
  /// A watched key changed: the next EXEC returns a null array.
  dirty: bool,
}

struct WatchedKey {
  db: usize,
  key: Vec<u8>,
  /// The key had expired (but was not deleted yet) when it was watched: its deletion is no
  /// change, and EXEC does not fail for it being expired.
  expired: bool,
}

impl Watches {
  /// Whether no key is watched (the dispatcher's fast check).
  #[inline]
  pub fn is_empty(&self) -> bool {
    self.pairs == 0
  }

  /// Bytes the keys watched by the session in `slot` take in its own list (client eviction's
  /// count; Redis too counts the list, not the keys' bytes).
  pub fn memory_of(&self, slot: u32) -> usize {
    if self.pairs == 0 {
      return 0;
    }
    self.sessions.get(&slot).map_or(0, |watcher| watcher.keys.capacity() * std::mem::size_of::<WatchedKey>())
  }

  fn watch(&mut self, slot: u32, db: usize, key: &[u8], expired: bool) {
    let watcher = self.sessions.entry(slot).or_default();
    // Watching more is pointless once the next EXEC is bound to fail.
    if watcher.dirty || watcher.keys.iter().any(|w| w.db == db && w.key == key) {
      return;
    }
    watcher.keys.push(WatchedKey { db, key: key.to_vec(), expired });
    if self.by_db.len() <= db {
      self.by_db.resize_with(db + 1, HashMap::new);
    }
    self.by_db[db].entry(key.to_vec()).or_default().push(slot);
    self.pairs += 1;
  }

  fn watched_mut(&mut self, slot: u32, db: usize, key: &[u8]) -> Option<&mut WatchedKey> {
    self.sessions.get_mut(&slot)?.keys.iter_mut().find(|w| w.db == db && w.key == key)
  }

  /// `key` in database `db` changed (Redis's `touchWatchedKey`): the sessions watching it
  /// will fail their EXEC. A key that had expired when watched and is gone (`present` says
  /// whether the key exists right after the change) did not change.
  pub fn touch(&mut self, db: usize, key: &[u8], present: bool) {
    let Some(slots) = self.by_db.get(db).and_then(|keys| keys.get(key)).cloned() else { return };
    for slot in slots {
      if let Some(watched) = self.watched_mut(slot, db, key) {
        if watched.expired {
          if !present {
            watched.expired = false;
            continue;
          }
          // Redis 7.0 stops at the first such watcher: the sessions after it keep watching.
          break;
        }
      }
      self.break_watch(slot);
    }
  }

  /// Marks a session's transaction failed and drops its watches.
  fn break_watch(&mut self, slot: u32) {
    let Some(watcher) = self.sessions.get_mut(&slot) else { return };
    watcher.dirty = true;
    for other in std::mem::take(&mut watcher.keys) {
      self.forget(slot, other.db, &other.key);
    }
  }

  /// FLUSHDB, FLUSHALL (once per database): breaks the watches on the keys of database `db`,
  /// about to be emptied.
  pub fn touch_flushed(&mut self, dbs: &[Db], db: usize, now_ms: i64) {
    self.touch_all_in(dbs, db, None, now_ms);
  }

  /// SWAPDB `a` `b` (before the swap): breaks the watches on the keys of either database that
  /// exist in either one, since their value may now be another.
  pub fn touch_swapped(&mut self, dbs: &[Db], a: usize, b: usize, now_ms: i64) {
    self.touch_all_in(dbs, a, Some(b), now_ms);
    self.touch_all_in(dbs, b, Some(a), now_ms);
  }

  /// Redis's `touchAllWatchedKeysInDb`: database `emptied` loses its keys, replaced by those
  /// of `replaced_with` if any.
  fn touch_all_in(&mut self, dbs: &[Db], emptied: usize, replaced_with: Option<usize>, now_ms: i64) {
    let Some(keys) = self.by_db.get(emptied).filter(|keys| !keys.is_empty()) else { return };
    let keys: Vec<(Vec<u8>, Vec<u32>)> = keys.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut broken = Vec::new();
    for (key, slots) in keys {
      let in_emptied = dbs[emptied].position(&key).is_some();
      let replacement = replaced_with.map(|db| &dbs[db]);
      let in_replacement = replacement.is_some_and(|db| db.position(&key).is_some());
      if !in_emptied && !in_replacement {
        continue;
      }
      let replacement_expired = replacement.is_some_and(|db| is_expired(db, &key, now_ms));
      for slot in slots {
        let Some(watched) = self.watched_mut(slot, emptied, &key) else { continue };
        if watched.expired {
          if !in_replacement {
            watched.expired = false;
            continue;
          } else if replacement_expired {
            continue;
          }
        } else if !in_emptied && replacement_expired {
          watched.expired = true;
          continue;
        }
        broken.push(slot);
      }
    }
    for slot in broken {
      if let Some(watcher) = self.sessions.get_mut(&slot) {
        watcher.dirty = true;
      }
    }
  }

  /// Stops every watch of the session in `slot` and forgets that one broke.
  pub fn unwatch_all(&mut self, slot: u32) {
    if let Some(watcher) = self.sessions.remove(&slot) {
      for watched in watcher.keys {
        self.forget(slot, watched.db, &watched.key);
      }
    }
  }

  fn forget(&mut self, slot: u32, db: usize, key: &[u8]) {
    let Some(keys) = self.by_db.get_mut(db) else { return };
    let Some(slots) = keys.get_mut(key) else { return };
    if let Some(at) = slots.iter().position(|&s| s == slot) {
      slots.remove(at);
      self.pairs -= 1;
    }
    if slots.is_empty() {
      keys.remove(key);
    }
  }

  /// Whether the session's EXEC must fail: a watched key changed, or one that was live when
  /// watched has expired since (even if nothing deleted it yet).
  fn broken(&self, slot: u32, dbs: &[Db], now_ms: i64) -> bool {
    self.sessions.get(&slot).is_some_and(|watcher| {
      watcher.dirty || watcher.keys.iter().any(|w| !w.expired && is_expired(&dbs[w.db], &w.key, now_ms))
    })
  }
}

/// Whether `key` exists in `db` but its time to live has passed (Redis's `keyIsExpired`).
fn is_expired(db: &Db, key: &[u8], now_ms: i64) -> bool {
  db.position(key).is_some_and(|pos| db.is_expired(db.entry_at(pos), now_ms))
}

/// The commands that run at once even between MULTI and EXEC.
#[inline]
pub(crate) fn runs_in_multi(spec: &CommandSpec) -> bool {
  matches!(spec.name, "exec" | "discard" | "multi" | "watch" | "quit" | "reset")
}

/// Whether CLIENT PAUSE WRITE must hold this command: EXEC counts as a write when a queued
/// command writes.
#[inline]
pub(crate) fn exec_writes(ctx: &Ctx, spec: &CommandSpec) -> bool {
  spec.name == "exec" && ctx.session.multi.as_ref().is_some_and(|multi| multi.writes)
}

/// Queues a command received between MULTI and EXEC (already checked by the dispatcher).
pub(crate) fn queue(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]]) {
  let writes = super::replicates_as_called(ctx, spec, argv);
  let denies_oom = super::denies_oom(ctx, spec, argv);
  let denies_stale = super::denies_stale(ctx, spec, argv);
  if let Some(multi) = ctx.session.multi.as_mut() {
    // A failed transaction only needs to remember that it failed.
    if !multi.failed {
      multi.writes |= writes;
      multi.denies_oom |= denies_oom;
      multi.denies_stale |= denies_stale;
      multi.queued.push(argv.iter().map(|arg| arg.to_vec()).collect());
    }
  }
  ctx.out.simple(b"QUEUED");
}

/// A command was refused before running: that fails the transaction being queued; a refused
/// EXEC also discards it, and says so. Returns the error to reply with.
pub(crate) fn refused(ctx: &mut Ctx, spec: Option<&CommandSpec>, error: &Error) -> Option<Error> {
  if let Some(multi) = ctx.session.multi.as_mut() {
    multi.failed = true;
  }
  if spec?.name != "exec" {
    return None;
  }
  discard_transaction(ctx);
  let message = error.message();
  let reason = message.strip_prefix("ERR ").unwrap_or(&message);
  Some(Error::coded(format!("EXECABORT Transaction discarded because of: {reason}")))
}

/// Leaves the transaction (if any) and drops every watch: EXEC, DISCARD, RESET.
pub(crate) fn discard_transaction(ctx: &mut Ctx) {
  ctx.session.multi = None;
  ctx.server.keyspace.watches.unwatch_all(ctx.slot);
}

/// MULTI: starts queuing commands.
pub fn multi(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.session.multi.is_some() {
    return Err(Error::err("MULTI calls can not be nested"));
  }
  ctx.session.multi = Some(Box::default());
  ctx.out.ok();
  Ok(())
}

/// EXEC: runs the queued commands and replies with the array of their replies; a null array
/// when a watched key changed; EXECABORT when a command was refused while queuing.
pub fn exec(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let Some(multi) = ctx.session.multi.take() else {
    return Err(Error::err("EXEC without MULTI"));
  };
  let broken = ctx.server.keyspace.watches.broken(ctx.slot, &ctx.server.keyspace.dbs, ctx.now_ms);
  discard_transaction(ctx);
  if multi.failed {
    return Err(Error::coded("EXECABORT Transaction discarded because of previous errors."));
  }
  if broken {
    ctx.out.null_array();
    return Ok(());
  }
  ctx.out.array(multi.queued.len());
  let (exec_us, exec_ms) = (ctx.now_us, ctx.now_ms);
  ctx.session.in_exec = true;
  ctx.server.running.in_exec = true;
  for command in &multi.queued {
    let argv: Vec<&[u8]> = command.iter().map(Vec::as_slice).collect();
    // Each command gets its own start time, as in Redis's `call()`.
    ctx.now_us = ctx.server.clock_us;
    ctx.now_ms = ctx.now_us / 1000;
    // Never anything but Done: a command the host would finish (MIGRATE, DEBUG RELOAD) is
    // refused here (see `run_command`), SHUTDOWN is NO_MULTI, and neither CLIENT PAUSE nor
    // blocking applies inside EXEC.
    dispatch(ctx, &argv);
  }
  ctx.session.in_exec = false;
  ctx.server.running.in_exec = false;
  (ctx.now_us, ctx.now_ms) = (exec_us, exec_ms);
  ctx.session.last_command = "exec";
  Ok(())
}

/// DISCARD: drops the queued commands and the watches.
pub fn discard(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if ctx.session.multi.is_none() {
    return Err(Error::err("DISCARD without MULTI"));
  }
  discard_transaction(ctx);
  ctx.out.ok();
  Ok(())
}

/// WATCH key [key ...]: makes the next EXEC fail if one of the keys changes before it.
pub fn watch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if ctx.session.multi.is_some() {
    return Err(Error::err("WATCH inside MULTI is not allowed"));
  }
  let db = ctx.session.db;
  for key in &argv[1..] {
    let expired = is_expired(&ctx.server.keyspace.dbs[db], key, ctx.now_ms);
    ctx.server.keyspace.watches.watch(ctx.slot, db, key, expired);
  }
  ctx.out.ok();
  Ok(())
}

/// UNWATCH: stops watching every key (and forgets a change already seen).
pub fn unwatch(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.server.keyspace.watches.unwatch_all(ctx.slot);
  ctx.out.ok();
  Ok(())
}
