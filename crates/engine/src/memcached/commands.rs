//! The memcached commands, as memcached 1.6's text protocol answers them.
//!
//! Each command line is checked the way memcached checks it, in its order (token count, key
//! length, numbers), and refused with memcached's exact reply; `noreply` silences what
//! memcached silences. Only then does a command read or change the keyspace.
//!
//! The keyspace is database 0. A key holding another Redis type than a string is absent to
//! every memcached command; a store that goes ahead (`set`, `add`) replaces it. Expiry times
//! follow memcached: 0 never expires, up to 30 days counts seconds from now, more is a Unix
//! time, and a negative time (or a Unix time already past) stores an item that is expired at
//! once — the key is deleted. A time to live is a Redis TTL: TTL over RESP shows it.
//!
//! Writes are made by Redis commands run through the dispatcher (see the module above):
//! `set`/`add`/`replace`/`cas` as `SET key value [PXAT ms]`, `append` as APPEND, `prepend`
//! and `incr`/`decr` as `SET key value KEEPTTL`, `delete` and expired stores as DEL, `touch`
//! and `gat` as PEXPIREAT or PERSIST, `flush_all` as FLUSHDB. Each write then records the
//! key's flags and a new cas unique in the side table; `touch` and `gat` keep the cas unique,
//! as memcached does.

use super::meta::Meta;
use super::text::{parse_i32, parse_u32, parse_u64, Tokens};
use super::{Counters, VERSION};
use crate::engine::Engine;
use crate::num::write_u64;
use crate::server::now_ms;

/// Memcached's longest key.
const KEY_MAX_LENGTH: usize = 250;

/// Memcached's default `item_size_max` (1 MB): an item's header, key, value and suffix must
/// fit in it.
const ITEM_SIZE_MAX: usize = 1024 * 1024;

/// Memcached's relative expiry limit: larger times are Unix times.
const REALTIME_MAXDELTA: i32 = 60 * 60 * 24 * 30;

/// What the connection reads after a command line.
pub enum Next {
  Line,
  /// The data block of this storage command.
  Data(Box<Store>),
  /// This many bytes, thrown away.
  Swallow(usize),
  Close,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StoreKind {
  Set,
  Add,
  Replace,
  Append,
  Prepend,
  Cas,
}

/// A storage command waiting for its data block.
pub struct Store {
  kind: StoreKind,
  key: Vec<u8>,
  flags: u32,
  exptime: i32,
  /// The value's length (the block holds `\r\n` after it).
  pub len: usize,
  /// The cas unique `cas` compares with.
  cas: u64,
  noreply: bool,
}

/// The value a storage command finds: its length, and its bytes when the command needs them.
struct Old {
  len: usize,
  bytes: Option<Vec<u8>>,
}

/// When an item expires, as a memcached expiry time means it.
#[derive(Clone, Copy)]
enum Expiry {
  Never,
  /// Unix milliseconds.
  At(i64),
  /// Already: the item is invisible from the start.
  Expired,
}

impl Expiry {
  fn of(exptime: i32, now_ms: i64) -> Expiry {
    match exptime {
      0 => Expiry::Never,
      t if t < 0 => Expiry::Expired,
      t if t <= REALTIME_MAXDELTA => Expiry::At(now_ms + i64::from(t) * 1000),
      t if i64::from(t) <= now_ms / 1000 => Expiry::Expired,
      t => Expiry::At(i64::from(t) * 1000),
    }
  }
}

/// Whether an item of this key, flags and value length is larger than memcached stores: its
/// 48-byte header, 8-byte cas, the key and a NUL, the value and `\r\n`, and the flags when
/// they are not 0.
fn too_large(key_len: usize, flags: u32, value_len: usize) -> bool {
  let suffix = if flags == 0 { 0 } else { 4 };
  48 + 8 + key_len + 1 + value_len + 2 + suffix > ITEM_SIZE_MAX
}

/// Whether memcached picks the command table for `name` by its first letter (and meta
/// commands by their length), so that an unknown name there is always `ERROR`.
fn sorted_by_first_letter(name: &[u8]) -> bool {
  matches!(name[0], b'g' | b's' | b'a' | b'c' | b'i' | b'd' | b't') || (name[0] == b'm' && name.len() == 2)
}

/// Writes a one-line reply unless `noreply` silences it.
fn reply(out: &mut Vec<u8>, noreply: bool, line: &[u8]) {
  if !noreply {
    out.extend_from_slice(line);
    out.extend_from_slice(b"\r\n");
  }
}

const BAD_FORMAT: &[u8] = b"CLIENT_ERROR bad command line format";
const BAD_EXPTIME: &[u8] = b"CLIENT_ERROR invalid exptime argument";

impl Engine {
  /// Runs one command line (without its line ending).
  pub(crate) fn memcached_command(&mut self, line: &[u8], out: &mut Vec<u8>) -> Next {
    let tokens = Tokens::split(line);
    let count = tokens.count();
    let name = tokens.get(0);
    if count < 2 || name.len() < 2 {
      reply(out, false, b"ERROR");
      return Next::Line;
    }
    let arity = |allowed: &[usize]| allowed.contains(&count);
    match name {
      b"get" | b"bget" if count >= 3 => self.memcached_get(&tokens, 1, false, None, out),
      b"gets" if count >= 3 => self.memcached_get(&tokens, 1, true, None, out),
      b"gat" | b"gats" if count >= 3 => match parse_i32(tokens.get(1)) {
        Some(exptime) => self.memcached_get(&tokens, 2, name == b"gats", Some(exptime), out),
        None => reply(out, false, BAD_EXPTIME),
      },
      b"set" if arity(&[6, 7]) => return self.memcached_store_line(&tokens, StoreKind::Set, out),
      b"add" if arity(&[6, 7]) => return self.memcached_store_line(&tokens, StoreKind::Add, out),
      b"replace" if arity(&[6, 7]) => return self.memcached_store_line(&tokens, StoreKind::Replace, out),
      b"append" if arity(&[6, 7]) => return self.memcached_store_line(&tokens, StoreKind::Append, out),
      b"prepend" if arity(&[6, 7]) => return self.memcached_store_line(&tokens, StoreKind::Prepend, out),
      b"cas" if arity(&[7, 8]) => return self.memcached_store_line(&tokens, StoreKind::Cas, out),
      b"incr" if arity(&[4, 5]) => self.memcached_arithmetic(&tokens, true, out),
      b"decr" if arity(&[4, 5]) => self.memcached_arithmetic(&tokens, false, out),
      b"delete" if (3..=5).contains(&count) => self.memcached_delete(&tokens, out),
      b"touch" if arity(&[4, 5]) => self.memcached_touch(&tokens, out),
      b"flush_all" if (2..=4).contains(&count) => self.memcached_flush_all(&tokens, out),
      // Memcached's log level; redwing's log has its own (`loglevel`), so it is only checked.
      b"verbosity" if arity(&[3, 4]) => {
        let noreply = tokens.noreply();
        let line = if parse_u32(tokens.get(1)).is_some() { &b"OK"[..] } else { BAD_FORMAT };
        reply(out, noreply, line);
      }
      b"version" => reply(out, false, format!("VERSION {VERSION}").as_bytes()),
      b"quit" => return Next::Close,
      b"stats" => self.memcached_stats(&tokens, out),
      b"shutdown" => reply(out, false, b"ERROR: shutdown not enabled"),
      // Memcached gives up on what looks like an HTTP request, among the names it does not
      // sort by their first letter.
      _ if !sorted_by_first_letter(name) && tokens.get(tokens.len - 1).starts_with(b"HTTP/") => return Next::Close,
      _ => reply(out, false, b"ERROR"),
    }
    Next::Line
  }

  /// The value, flags and cas of `key` when it holds a live string; a row is made for the
  /// cas unique when `want_cas` and there is none.
  fn memcached_item(&mut self, key: &[u8], want_cas: bool) -> Option<(Vec<u8>, Meta)> {
    self.memcached_with_item(key, want_cas, |value, meta| (value.to_vec(), meta))
  }

  /// Whether `key` holds a live string.
  fn memcached_exists(&mut self, key: &[u8]) -> bool {
    self.memcached_with_item(key, false, |_, _| ()).is_some()
  }

  /// Runs `f` on the value and the flags and cas of `key` when it holds a live string (as
  /// [`Engine::memcached_item`], without copying the value).
  fn memcached_with_item<R>(&mut self, key: &[u8], want_cas: bool, f: impl FnOnce(&[u8], Meta) -> R) -> Option<R> {
    let now = self.server.clock_us / 1000;
    let server = &mut self.server;
    let db = &mut server.keyspace.dbs[0];
    let pos = db.live_position(key, now)?;
    if !db.entry_at(pos).value.is_string() {
      return None;
    }
    db.touch_at(pos, now);
    let meta = match db.memcached.get(key) {
      Some(meta) => meta,
      None if want_cas => {
        let meta = Meta { flags: 0, cas: server.memcached.next_cas() };
        db.memcached.set(key, meta);
        meta
      }
      None => Meta { flags: 0, cas: 0 },
    };
    let value = db.entry_at(pos).value.as_bytes()?;
    Some(f(&value, meta))
  }

  /// get, gets, gat and gats: the items found among the keys from `tokens[first]` on (and
  /// the rest of a line longer than a token list), then END. `touch` is gat's expiry time.
  fn memcached_get(&mut self, tokens: &Tokens, first: usize, with_cas: bool, touch: Option<i32>, out: &mut Vec<u8>) {
    let start = out.len();
    let mut keys: Vec<&[u8]> = tokens.list[first..tokens.len].to_vec();
    let mut rest = tokens.rest;
    while !rest.is_empty() {
      let more = Tokens::split(rest);
      keys.extend_from_slice(&more.list[..more.len]);
      rest = more.rest;
    }
    for key in keys {
      if key.len() > KEY_MAX_LENGTH {
        out.truncate(start);
        reply(out, false, BAD_FORMAT);
        return;
      }
      let hit = self
        .memcached_with_item(key, with_cas, |value, meta| {
          out.extend_from_slice(b"VALUE ");
          out.extend_from_slice(key);
          out.push(b' ');
          write_u64(out, u64::from(meta.flags));
          out.push(b' ');
          write_u64(out, value.len() as u64);
          if with_cas {
            out.push(b' ');
            write_u64(out, meta.cas);
          }
          out.extend_from_slice(b"\r\n");
          out.extend_from_slice(value);
          out.extend_from_slice(b"\r\n");
        })
        .is_some();
      let counters = &mut self.server.memcached.counters;
      let (total, hits, misses) = match touch {
        Some(_) => (&mut counters.cmd_touch, &mut counters.touch_hits, &mut counters.touch_misses),
        None => (&mut counters.cmd_get, &mut counters.get_hits, &mut counters.get_misses),
      };
      *total += 1;
      *if hit { hits } else { misses } += 1;
      if let (true, Some(exptime)) = (hit, touch) {
        self.memcached_expire(key, exptime);
      }
    }
    out.extend_from_slice(b"END\r\n");
  }

  /// Sets the expiry of the existing `key` as `touch` does, keeping its flags and cas.
  fn memcached_expire(&mut self, key: &[u8], exptime: i32) {
    let kept = self.server.keyspace.dbs[0].memcached.get(key);
    match Expiry::of(exptime, self.server.clock_us / 1000) {
      Expiry::Never => self.memcached_redis(&[b"PERSIST", key]),
      Expiry::At(at) => self.memcached_redis(&[b"PEXPIREAT", key, at.to_string().as_bytes()]),
      Expiry::Expired => {
        self.memcached_redis(&[b"DEL", key]);
        return;
      }
    };
    if let Some(meta) = kept {
      self.server.keyspace.dbs[0].memcached.set(key, meta);
    }
  }

  /// Stores `value` at `key` with these flags and expiry: a Redis write, then the side table.
  /// Returns memcached's error line when the write was refused.
  fn memcached_write(&mut self, key: &[u8], value: &[u8], flags: u32, expiry: Expiry) -> Result<(), Vec<u8>> {
    let result = match expiry {
      Expiry::Never => self.memcached_redis(&[b"SET", key, value]),
      Expiry::At(at) => self.memcached_redis(&[b"SET", key, value, b"PXAT", at.to_string().as_bytes()]),
      Expiry::Expired => self.memcached_redis(&[b"DEL", key]),
    };
    self.memcached_store_refusal(&result)?;
    self.server.memcached.counters.total_items += 1;
    if !matches!(expiry, Expiry::Expired) {
      let meta = Meta { flags, cas: self.server.memcached.next_cas() };
      self.server.keyspace.dbs[0].memcached.set(key, meta);
    }
    Ok(())
  }

  /// [`refusal`] for a storage command's write, counting refusals for lack of memory.
  fn memcached_store_refusal(&mut self, result: &[u8]) -> Result<(), Vec<u8>> {
    if result.starts_with(b"-OOM") {
      self.server.memcached.counters.store_no_memory += 1;
    }
    refusal(result, b"SERVER_ERROR out of memory storing object")
  }

  /// The command line of set, add, replace, append, prepend and cas.
  fn memcached_store_line(&mut self, tokens: &Tokens, kind: StoreKind, out: &mut Vec<u8>) -> Next {
    let noreply = tokens.noreply();
    let key = tokens.get(1);
    if key.len() > KEY_MAX_LENGTH {
      reply(out, noreply, BAD_FORMAT);
      return Next::Line;
    }
    let (Some(flags), Some(exptime), Some(len)) =
      (parse_u32(tokens.get(2)), parse_i32(tokens.get(3)), parse_i32(tokens.get(4)))
    else {
      reply(out, noreply, BAD_FORMAT);
      return Next::Line;
    };
    let cas = match kind {
      StoreKind::Cas => match parse_u64(tokens.get(5)) {
        Some(cas) => cas,
        None => {
          reply(out, noreply, BAD_FORMAT);
          return Next::Line;
        }
      },
      _ => 0,
    };
    if !(0..=i32::MAX - 2).contains(&len) {
      reply(out, noreply, BAD_FORMAT);
      return Next::Line;
    }
    let len = len as usize;
    if too_large(key.len(), flags, len) {
      self.server.memcached.counters.store_too_large += 1;
      reply(out, noreply, b"SERVER_ERROR object too large for cache");
      // Memcached drops the old value of a `set` it could not store, so it is never stale.
      if kind == StoreKind::Set && self.memcached_exists(key) {
        self.memcached_redis(&[b"DEL", key]);
      }
      return Next::Swallow(len + 2);
    }
    Next::Data(Box::new(Store { kind, key: key.to_vec(), flags, exptime, len, cas, noreply }))
  }

  /// A storage command with its data block (the value and, if well formed, `\r\n`).
  pub(crate) fn memcached_store(&mut self, store: Store, block: &[u8], out: &mut Vec<u8>) {
    self.server.memcached.counters.cmd_set += 1;
    if &block[store.len..] != b"\r\n" {
      reply(out, store.noreply, b"CLIENT_ERROR bad data chunk");
      return;
    }
    let value = &block[..store.len];
    let key = &store.key[..];
    let expiry = Expiry::of(store.exptime, self.server.clock_us / 1000);
    // Only prepend needs a copy of the old value (append tells its length to the size check).
    let copy_old = store.kind == StoreKind::Prepend;
    let current = self.memcached_with_item(key, store.kind == StoreKind::Cas, |old, meta| {
      (Old { len: old.len(), bytes: copy_old.then(|| old.to_vec()) }, meta)
    });
    let outcome: Result<&[u8], Vec<u8>> = match (store.kind, current) {
      (StoreKind::Set, _) | (StoreKind::Add, None) | (StoreKind::Replace, Some(_)) => {
        self.memcached_write(key, value, store.flags, expiry).map(|()| &b"STORED"[..])
      }
      (StoreKind::Append | StoreKind::Prepend, Some((old, meta))) => self.memcached_concat(&store, value, old, meta),
      (StoreKind::Add | StoreKind::Replace | StoreKind::Append | StoreKind::Prepend, _) => Ok(b"NOT_STORED"),
      (StoreKind::Cas, None) => {
        self.server.memcached.counters.cas_misses += 1;
        Ok(b"NOT_FOUND")
      }
      (StoreKind::Cas, Some((_, meta))) if store.cas == 0 || store.cas != meta.cas => {
        self.server.memcached.counters.cas_badval += 1;
        Ok(b"EXISTS")
      }
      (StoreKind::Cas, Some(_)) => {
        self.server.memcached.counters.cas_hits += 1;
        self.memcached_write(key, value, store.flags, expiry).map(|()| &b"STORED"[..])
      }
    };
    match outcome {
      Ok(line) => reply(out, store.noreply, line),
      Err(error) => reply(out, store.noreply, &error),
    }
  }

  /// append and prepend, for a key that holds `old` with `meta`: the value grows in place,
  /// keeping its flags and expiry, with a new cas unique.
  fn memcached_concat(&mut self, store: &Store, value: &[u8], old: Old, meta: Meta) -> Result<&'static [u8], Vec<u8>> {
    let key = &store.key[..];
    if too_large(key.len(), meta.flags, old.len + value.len()) {
      return Ok(b"NOT_STORED");
    }
    let result = match old.bytes {
      Some(old) => self.memcached_redis(&[b"SET", key, &[value, &old].concat(), b"KEEPTTL"]),
      None => self.memcached_redis(&[b"APPEND", key, value]),
    };
    self.memcached_store_refusal(&result)?;
    self.server.memcached.counters.total_items += 1;
    let meta = Meta { flags: meta.flags, cas: self.server.memcached.next_cas() };
    self.server.keyspace.dbs[0].memcached.set(key, meta);
    Ok(b"STORED")
  }

  /// incr and decr: 64-bit unsigned; incr wraps, decr stops at 0. A shorter result is padded
  /// with spaces to the old length, as memcached rewrites the value in place.
  fn memcached_arithmetic(&mut self, tokens: &Tokens, incr: bool, out: &mut Vec<u8>) {
    let noreply = tokens.noreply();
    let key = tokens.get(1);
    if key.len() > KEY_MAX_LENGTH {
      return reply(out, noreply, BAD_FORMAT);
    }
    let Some(delta) = parse_u64(tokens.get(2)) else {
      return reply(out, noreply, b"CLIENT_ERROR invalid numeric delta argument");
    };
    let Some((old, meta)) = self.memcached_item(key, false) else {
      let counters = &mut self.server.memcached.counters;
      if incr {
        counters.incr_misses += 1;
      } else {
        counters.decr_misses += 1;
      }
      return reply(out, noreply, b"NOT_FOUND");
    };
    let Some(number) = Some(&old[..]).filter(|old| !old.is_empty()).and_then(parse_u64) else {
      return reply(out, noreply, b"CLIENT_ERROR cannot increment or decrement non-numeric value");
    };
    let counters = &mut self.server.memcached.counters;
    let number = if incr {
      counters.incr_hits += 1;
      number.wrapping_add(delta)
    } else {
      counters.decr_hits += 1;
      number.saturating_sub(delta)
    };
    let digits = number.to_string();
    let mut stored = digits.as_bytes().to_vec();
    if stored.len() < old.len() {
      stored.resize(old.len(), b' ');
    }
    let result = self.memcached_redis(&[b"SET", key, &stored, b"KEEPTTL"]);
    if let Err(error) = refusal(&result, b"SERVER_ERROR out of memory") {
      return reply(out, noreply, &error);
    }
    let meta = Meta { flags: meta.flags, cas: self.server.memcached.next_cas() };
    self.server.keyspace.dbs[0].memcached.set(key, meta);
    reply(out, noreply, digits.as_bytes());
  }

  fn memcached_delete(&mut self, tokens: &Tokens, out: &mut Vec<u8>) {
    let count = tokens.count();
    let noreply = tokens.noreply();
    if count > 3 {
      let hold_is_zero = tokens.get(2) == b"0";
      let valid = (count == 4 && (hold_is_zero || noreply)) || (count == 5 && hold_is_zero && noreply);
      if !valid {
        return reply(out, noreply, b"CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
      }
    }
    let key = tokens.get(1);
    if key.len() > KEY_MAX_LENGTH {
      return reply(out, noreply, BAD_FORMAT);
    }
    if !self.memcached_exists(key) {
      self.server.memcached.counters.delete_misses += 1;
      return reply(out, noreply, b"NOT_FOUND");
    }
    self.server.memcached.counters.delete_hits += 1;
    let result = self.memcached_redis(&[b"DEL", key]);
    match refusal(&result, b"SERVER_ERROR out of memory") {
      Ok(()) => reply(out, noreply, b"DELETED"),
      Err(error) => reply(out, noreply, &error),
    }
  }

  fn memcached_touch(&mut self, tokens: &Tokens, out: &mut Vec<u8>) {
    let noreply = tokens.noreply();
    let key = tokens.get(1);
    if key.len() > KEY_MAX_LENGTH {
      return reply(out, noreply, BAD_FORMAT);
    }
    let Some(exptime) = parse_i32(tokens.get(2)) else {
      return reply(out, noreply, BAD_EXPTIME);
    };
    self.server.memcached.counters.cmd_touch += 1;
    if !self.memcached_exists(key) {
      self.server.memcached.counters.touch_misses += 1;
      return reply(out, noreply, b"NOT_FOUND");
    }
    self.server.memcached.counters.touch_hits += 1;
    self.memcached_expire(key, exptime);
    reply(out, noreply, b"TOUCHED");
  }

  /// flush_all [delay] [noreply]: empties the keyspace now, or schedules it. Memcached
  /// invalidates the items last written before the second before the delay ends, so a delay
  /// of 1 flushes at once.
  fn memcached_flush_all(&mut self, tokens: &Tokens, out: &mut Vec<u8>) {
    let noreply = tokens.noreply();
    self.server.memcached.counters.cmd_flush += 1;
    let mut exptime = 0;
    if tokens.count() != if noreply { 3 } else { 2 } {
      match parse_i32(tokens.get(1)) {
        Some(value) => exptime = value,
        None => return reply(out, noreply, BAD_EXPTIME),
      }
    }
    let now = self.server.clock_us / 1000;
    let due = match Expiry::of(exptime.max(0), now) {
      Expiry::At(at) => Some(at - 1000).filter(|&at| at > now),
      Expiry::Never | Expiry::Expired => None,
    };
    self.server.memcached.flush_at_ms = due;
    if due.is_none() {
      self.memcached_redis(&[b"FLUSHDB"]);
    }
    reply(out, noreply, b"OK");
  }

  /// stats (the general section) and stats reset; memcached's other sections are not kept.
  fn memcached_stats(&mut self, tokens: &Tokens, out: &mut Vec<u8>) {
    match tokens.count() {
      2 => self.memcached_general_stats(out),
      _ if tokens.get(1) == b"reset" => {
        self.server.memcached.counters = Counters::default();
        reply(out, false, b"RESET");
      }
      _ if tokens.get(1) == b"detail" && tokens.count() < 4 => {
        reply(out, false, b"CLIENT_ERROR usage: stats detail on|off|dump")
      }
      _ => reply(out, false, b"ERROR"),
    }
  }

  /// The general section of `stats`, with memcached 1.6's field names in its order. Fields
  /// about memcached's own machinery (slabs, LRU crawler, read buffers…) report 0.
  fn memcached_general_stats(&mut self, out: &mut Vec<u8>) {
    let now = now_ms();
    let server = &self.server;
    let frontend = &server.memcached;
    let c = &frontend.counters;
    let items = server.keyspace.dbs.first().map_or(0, |db| db.len());
    let bytes = crate::alloc::allocated().unwrap_or(0);
    let usage = rusage();
    let fields: Vec<(&str, String)> = vec![
      ("pid", std::process::id().to_string()),
      ("uptime", ((now - frontend.started_ms) / 1000).to_string()),
      ("time", (now / 1000).to_string()),
      ("version", VERSION.to_string()),
      ("libevent", "none".to_string()),
      ("pointer_size", (usize::BITS).to_string()),
      ("rusage_user", usage.0),
      ("rusage_system", usage.1),
      ("max_connections", server.config.maxclients.to_string()),
      ("curr_connections", frontend.connections().to_string()),
      ("total_connections", c.total_connections.to_string()),
      ("rejected_connections", "0".into()),
      ("connection_structures", frontend.connections().to_string()),
      ("response_obj_oom", "0".into()),
      ("response_obj_count", "0".into()),
      ("response_obj_bytes", "0".into()),
      ("read_buf_count", "0".into()),
      ("read_buf_bytes", "0".into()),
      ("read_buf_bytes_free", "0".into()),
      ("read_buf_oom", "0".into()),
      ("reserved_fds", "0".into()),
      ("cmd_get", c.cmd_get.to_string()),
      ("cmd_set", c.cmd_set.to_string()),
      ("cmd_flush", c.cmd_flush.to_string()),
      ("cmd_touch", c.cmd_touch.to_string()),
      ("cmd_meta", "0".into()),
      ("get_hits", c.get_hits.to_string()),
      ("get_misses", c.get_misses.to_string()),
      ("get_expired", "0".into()),
      ("get_flushed", "0".into()),
      ("delete_misses", c.delete_misses.to_string()),
      ("delete_hits", c.delete_hits.to_string()),
      ("incr_misses", c.incr_misses.to_string()),
      ("incr_hits", c.incr_hits.to_string()),
      ("decr_misses", c.decr_misses.to_string()),
      ("decr_hits", c.decr_hits.to_string()),
      ("cas_misses", c.cas_misses.to_string()),
      ("cas_hits", c.cas_hits.to_string()),
      ("cas_badval", c.cas_badval.to_string()),
      ("touch_hits", c.touch_hits.to_string()),
      ("touch_misses", c.touch_misses.to_string()),
      ("store_too_large", c.store_too_large.to_string()),
      ("store_no_memory", c.store_no_memory.to_string()),
      ("auth_cmds", "0".into()),
      ("auth_errors", "0".into()),
      ("bytes_read", c.bytes_read.to_string()),
      ("bytes_written", c.bytes_written.to_string()),
      ("limit_maxbytes", server.config.maxmemory.to_string()),
      ("accepting_conns", "1".into()),
      ("listen_disabled_num", "0".into()),
      ("time_in_listen_disabled_us", "0".into()),
      ("threads", "1".into()),
      ("conn_yields", "0".into()),
      ("hash_power_level", "0".into()),
      ("hash_bytes", "0".into()),
      ("hash_is_expanding", "0".into()),
      ("slab_reassign_rescues", "0".into()),
      ("slab_reassign_chunk_rescues", "0".into()),
      ("slab_reassign_evictions_nomem", "0".into()),
      ("slab_reassign_inline_reclaim", "0".into()),
      ("slab_reassign_busy_items", "0".into()),
      ("slab_reassign_busy_deletes", "0".into()),
      ("slab_reassign_running", "0".into()),
      ("slabs_moved", "0".into()),
      ("lru_crawler_running", "0".into()),
      ("lru_crawler_starts", "0".into()),
      ("lru_maintainer_juggles", "0".into()),
      ("malloc_fails", "0".into()),
      ("log_worker_dropped", "0".into()),
      ("log_worker_written", "0".into()),
      ("log_watcher_skipped", "0".into()),
      ("log_watcher_sent", "0".into()),
      ("log_watchers", "0".into()),
      ("unexpected_napi_ids", "0".into()),
      ("round_robin_fallback", "0".into()),
      ("bytes", bytes.to_string()),
      ("curr_items", items.to_string()),
      ("total_items", c.total_items.to_string()),
      ("slab_global_page_pool", "0".into()),
      ("expired_unfetched", "0".into()),
      ("evicted_unfetched", "0".into()),
      ("evicted_active", "0".into()),
      ("evictions", server.eviction.evicted_keys.to_string()),
      ("reclaimed", "0".into()),
      ("crawler_reclaimed", "0".into()),
      ("crawler_items_checked", "0".into()),
      ("lrutail_reflocked", "0".into()),
      ("moves_to_cold", "0".into()),
      ("moves_to_warm", "0".into()),
      ("moves_within_lru", "0".into()),
      ("direct_reclaims", "0".into()),
      ("lru_bumps_dropped", "0".into()),
    ];
    for (name, value) in fields {
      out.extend_from_slice(format!("STAT {name} {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"END\r\n");
  }
}

/// Memcached's error line for a Redis write refused with `reply`: `oom` for lack of memory,
/// `SERVER_ERROR` and Redis's message otherwise.
fn refusal(reply: &[u8], oom: &[u8]) -> Result<(), Vec<u8>> {
  if reply.first() != Some(&b'-') {
    return Ok(());
  }
  if reply.starts_with(b"-OOM") {
    return Err(oom.to_vec());
  }
  let message = reply[1..].strip_suffix(b"\r\n").unwrap_or(&reply[1..]);
  Err([&b"SERVER_ERROR "[..], message].concat())
}

/// The process's user and system CPU time, as `stats` prints them.
fn rusage() -> (String, String) {
  let times = crate::cmd::server::sysinfo::process_cpu();
  (format!("{:.6}", times.user), format!("{:.6}", times.system))
}
