//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! MULTI puts the session in queuing mode. `cmd::dispatch` then checks each later command as
//! usual (unknown command, arity, authentication, NO_MULTI) and, instead of running it, keeps
//! an owned copy of its arguments and replies +QUEUED ([`queue`]). A command refused at that
//! point marks the transaction failed, so EXEC answers EXECABORT. EXEC, DISCARD, MULTI, WATCH,
//! QUIT and RESET are never queued, as in Redis. EXEC runs the queued commands one by one
//! through the ordinary dispatcher, so statistics, MONITOR, the slowlog and the engine's
//! `writes` counter (which wakes blocked clients once the whole read is done) all see them;
//! `session.in_exec` is set meanwhile so that a blocking command writes its timeout reply
//! instead of blocking.
//!
//! WATCH is optimistic locking. [`Watches`], owned by the engine, maps each watched key (per
//! database) to the sessions watching it; the dispatcher consults it only when it is not
//! empty. After a WRITE command succeeds, the keys it writes (found with its key specs, as
//! COMMAND GETKEYS finds them) break the watches on them ([`touch_written_keys`]): the
//! watching session is marked dirty and stops watching its other keys, since nothing can
//! change the outcome any more. FLUSHDB, FLUSHALL and SWAPDB, which change keys without naming
//! them, break the watches on the watched keys they drop or replace explicitly
//! ([`Watches::touch_flushed`], [`Watches::touch_swapped`]). As observed on Redis 7.0.15, a
//! watched key that merely expires (lazily or actively) does not make EXEC fail, and a flush
//! does not count as changing a key that had already expired.
//!
//! Unlike Redis, which breaks a watch only when a key really changes, a successful WRITE
//! command that names a watched key breaks it even when it changed nothing (DEL of a missing
//! key, SET NX on an existing one): the key specs say which keys a command may write, not
//! whether it did.

use super::server::command::written_key_positions;
use super::table::{flags, CommandSpec};
use super::{dispatch, int_arg, is, Ctx};
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
}

/// The watched keys of every session.
#[derive(Default)]
pub struct Watches {
  /// Per database index: watched key → slots of the sessions watching it.
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
}

impl Watches {
  /// Whether no key is watched (the dispatcher's fast check).
  #[inline]
  pub fn is_empty(&self) -> bool {
    self.pairs == 0
  }

  fn watch(&mut self, slot: u32, db: usize, key: &[u8]) {
    let watcher = self.sessions.entry(slot).or_default();
    // Watching more is pointless once the next EXEC is bound to fail.
    if watcher.dirty || watcher.keys.iter().any(|w| w.db == db && w.key == key) {
      return;
    }
    watcher.keys.push(WatchedKey { db, key: key.to_vec() });
    if self.by_db.len() <= db {
      self.by_db.resize_with(db + 1, HashMap::new);
    }
    self.by_db[db].entry(key.to_vec()).or_default().push(slot);
    self.pairs += 1;
  }

  /// Breaks the watches on `key` in database `db`: it has been written.
  pub fn touch(&mut self, db: usize, key: &[u8]) {
    let Some(slots) = self.by_db.get_mut(db).and_then(|keys| keys.remove(key)) else {
      return;
    };
    self.pairs -= slots.len();
    for slot in slots {
      let Some(watcher) = self.sessions.get_mut(&slot) else { continue };
      watcher.dirty = true;
      for other in std::mem::take(&mut watcher.keys) {
        self.forget(slot, other.db, &other.key);
      }
    }
  }

  /// FLUSHDB, FLUSHALL (once per database): breaks the watches on the live keys of database
  /// `db`, about to be emptied.
  pub fn touch_flushed(&mut self, dbs: &[Db], db: usize, now_ms: i64) {
    self.touch_live(dbs, db, &[db], now_ms);
  }

  /// SWAPDB `a` `b`: breaks the watches on the keys of either database that are live in either
  /// one (their value may now be another).
  pub fn touch_swapped(&mut self, dbs: &[Db], a: usize, b: usize, now_ms: i64) {
    self.touch_live(dbs, a, &[a, b], now_ms);
    self.touch_live(dbs, b, &[a, b], now_ms);
  }

  /// Breaks the watches on the keys watched in database `db` that are live in one of `dbs_to_check`.
  fn touch_live(&mut self, dbs: &[Db], db: usize, dbs_to_check: &[usize], now_ms: i64) {
    let Some(keys) = self.by_db.get(db).filter(|keys| !keys.is_empty()) else { return };
    let touched: Vec<Vec<u8>> =
      keys.keys().filter(|key| dbs_to_check.iter().any(|&other| is_live(&dbs[other], key, now_ms))).cloned().collect();
    for key in touched {
      self.touch(db, &key);
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
      slots.swap_remove(at);
      self.pairs -= 1;
    }
    if slots.is_empty() {
      keys.remove(key);
    }
  }

  /// Whether the session's EXEC must fail: a watched key changed.
  fn broken(&self, slot: u32) -> bool {
    self.sessions.get(&slot).is_some_and(|watcher| watcher.dirty)
  }
}

/// Whether `key` exists in `db` and has not expired (without reclaiming it).
fn is_live(db: &Db, key: &[u8], now_ms: i64) -> bool {
  db.position(key).is_some_and(|pos| !db.is_expired(db.entry_at(pos), now_ms))
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
  if let Some(multi) = ctx.session.multi.as_mut() {
    // A failed transaction only needs to remember that it failed.
    if !multi.failed {
      multi.writes |= spec.has(flags::WRITE);
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

/// Breaks the watches on the keys a successful WRITE command wrote (called by the dispatcher
/// only when some key is watched).
pub(crate) fn touch_written_keys(ctx: &mut Ctx, spec: &CommandSpec, argv: &[&[u8]]) {
  let db = ctx.session.db;
  let databases = ctx.engine.dbs.len();
  let target_db = |arg: &[u8]| int_arg(arg).ok().and_then(|n| usize::try_from(n).ok()).filter(|&n| n < databases);
  let watches = &mut ctx.engine.watches;
  match spec.name {
    // The key also appears in the destination database.
    "move" => {
      watches.touch(db, argv[1]);
      if let Some(target) = target_db(argv[2]) {
        watches.touch(target, argv[1]);
      }
    }
    // The destination may be in another database (DB option).
    "copy" => {
      let option = argv.iter().skip(3).position(|arg| is(arg, "DB")).map(|at| at + 3);
      let target = option.and_then(|at| argv.get(at + 1)).and_then(|arg| target_db(arg));
      watches.touch(target.unwrap_or(db), argv[2]);
    }
    _ => {
      for pos in written_key_positions(spec, argv) {
        watches.touch(db, argv[pos]);
      }
    }
  }
}

/// Leaves the transaction (if any) and drops every watch: EXEC, DISCARD, RESET.
pub(crate) fn discard_transaction(ctx: &mut Ctx) {
  ctx.session.multi = None;
  ctx.engine.watches.unwatch_all(ctx.slot);
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
  let broken = ctx.engine.watches.broken(ctx.slot);
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
  for command in &multi.queued {
    let argv: Vec<&[u8]> = command.iter().map(Vec::as_slice).collect();
    // Each command gets its own start time, as in Redis's `call()`.
    ctx.now_us = ctx.engine.clock_us;
    ctx.now_ms = ctx.now_us / 1000;
    // Never anything but Done: queued commands are not TypeScript-side (SHUTDOWN is
    // NO_MULTI), and neither CLIENT PAUSE nor blocking applies inside EXEC.
    dispatch(ctx, &argv);
  }
  ctx.session.in_exec = false;
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
    ctx.engine.watches.watch(ctx.slot, db, key);
  }
  ctx.out.ok();
  Ok(())
}

/// UNWATCH: stops watching every key (and forgets a change already seen).
pub fn unwatch(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.engine.watches.unwatch_all(ctx.slot);
  ctx.out.ok();
  Ok(())
}
