//! Memcached's text protocol over the same keyspace (database 0).
//!
//! Why: applications written for memcached can share redwing's data with Redis clients, with
//! no second cache to keep in step. A key set with memcached's `set` is a Redis string; a
//! string set over RESP is a memcached item with flags 0.
//!
//! How: the host opens a connection with [`Engine::memcached_open`] and hands every socket
//! read to [`Engine::memcached_feed`], which runs every complete command in it and returns
//! all their replies in one buffer (one N-API crossing per read, as for RESP). A command line
//! or a data block cut by the end of a read waits in the connection's buffer for the next
//! one; the search for the end of a line resumes where it stopped and a data block is only
//! measured until complete, so a large value costs linear time whatever the read sizes. A
//! failure of the protocol itself (an endless line that cannot be a `get`) closes only that
//! connection, and a panic is caught per read, closing that connection as well.
//!
//! Every command is validated first, with memcached 1.6's replies for bad input (see
//! `commands.rs`). Its effect on the keyspace is then made by a Redis command (SET … PXAT,
//! APPEND, DEL, PEXPIREAT, FLUSHDB…) run through the dispatcher as an in-process session of
//! the front end: WATCH, keyspace notifications, client-side caching, `maxmemory`, the AOF and
//! replicas see memcached's writes as the writes they are. What Redis has no room for — the
//! 32-bit client flags and the cas unique — lives in a side table of the database
//! (`meta.rs`), which the write signal keeps right when a key changes over RESP.
//!
//! Layout: [`text`] splits lines and reads numbers as memcached does; [`commands`] runs the
//! commands; [`meta`] is the side table.

pub mod commands;
pub mod meta;
pub mod text;

use crate::engine::Engine;
use crate::resp::Reply;
use crate::server::now_ms;
use crate::session::{Origin, Peer, Session};
use commands::{Next, Store};

/// The version `version` and `stats` report: the memcached whose behaviour is reproduced.
pub const VERSION: &str = "1.6.18";

/// A line without a line ending longer than this closes the connection, unless it starts a
/// `get` or `gets` (whose key lists memcached does not limit; redwing stops them at
/// `client-query-buffer-limit`).
const MAX_LINE_WITHOUT_END: usize = 2048;

/// The largest input buffer a connection keeps once its requests are consumed.
const KEPT_INPUT_CAPACITY: usize = 64 * 1024;

/// What one read produced for its connection.
#[derive(Default)]
pub struct MemcachedOutput {
  pub reply: Vec<u8>,
  /// Close the connection once `reply` is written (`quit`, or a protocol failure).
  pub close: bool,
}

/// What a connection waits for next.
enum Awaiting {
  /// A command line.
  Line,
  /// The data block of a storage command (its length plus `\r\n`).
  Data(Box<Store>),
  /// Bytes to throw away: the data of a value refused as too large.
  Swallow(usize),
}

struct Connection {
  /// Bytes received and not consumed yet.
  input: Vec<u8>,
  /// How much of `input` is known to hold no line ending (while awaiting a line).
  scanned: usize,
  awaiting: Awaiting,
}

/// Memcached's counters for `stats` (a subset of memcached's; see `commands::stats`).
#[derive(Default, Clone)]
pub struct Counters {
  pub total_connections: u64,
  pub cmd_get: u64,
  pub cmd_set: u64,
  pub cmd_flush: u64,
  pub cmd_touch: u64,
  pub get_hits: u64,
  pub get_misses: u64,
  pub delete_misses: u64,
  pub delete_hits: u64,
  pub incr_misses: u64,
  pub incr_hits: u64,
  pub decr_misses: u64,
  pub decr_hits: u64,
  pub cas_misses: u64,
  pub cas_hits: u64,
  pub cas_badval: u64,
  pub touch_hits: u64,
  pub touch_misses: u64,
  pub store_too_large: u64,
  pub store_no_memory: u64,
  pub bytes_read: u64,
  pub bytes_written: u64,
  pub total_items: u64,
}

/// The memcached front end's state in the server.
pub struct Frontend {
  connections: Vec<Option<Box<Connection>>>,
  free: Vec<u32>,
  open: usize,
  /// The in-process session the front end runs Redis commands as (opened on first use).
  session: Option<u32>,
  /// The last cas unique handed out.
  last_cas: u64,
  /// When a delayed `flush_all` empties the keyspace (Unix ms).
  pub(crate) flush_at_ms: Option<i64>,
  pub counters: Counters,
  pub started_ms: i64,
}

impl Default for Frontend {
  fn default() -> Self {
    Frontend {
      connections: Vec::new(),
      free: Vec::new(),
      open: 0,
      session: None,
      last_cas: 0,
      flush_at_ms: None,
      counters: Counters::default(),
      started_ms: now_ms(),
    }
  }
}

impl Frontend {
  /// A new cas unique.
  pub(crate) fn next_cas(&mut self) -> u64 {
    self.last_cas += 1;
    self.last_cas
  }

  /// Open memcached connections.
  pub fn connections(&self) -> usize {
    self.open
  }
}

impl Engine {
  /// Opens a memcached connection; returns its id.
  pub fn memcached_open(&mut self) -> u32 {
    let frontend = &mut self.server.memcached;
    frontend.counters.total_connections += 1;
    frontend.open += 1;
    let connection = Box::new(Connection { input: Vec::new(), scanned: 0, awaiting: Awaiting::Line });
    match frontend.free.pop() {
      Some(id) => {
        frontend.connections[id as usize] = Some(connection);
        id
      }
      None => {
        frontend.connections.push(Some(connection));
        (frontend.connections.len() - 1) as u32
      }
    }
  }

  /// Forgets a memcached connection (unknown ids are ignored).
  pub fn memcached_close(&mut self, id: u32) {
    let frontend = &mut self.server.memcached;
    if let Some(slot) = frontend.connections.get_mut(id as usize) {
      if slot.take().is_some() {
        frontend.free.push(id);
        frontend.open -= 1;
      }
    }
  }

  /// Runs every complete command in `chunk` (after what the connection buffered).
  pub fn memcached_feed(&mut self, id: u32, chunk: &[u8]) -> MemcachedOutput {
    let taken = self.server.memcached.connections.get_mut(id as usize).and_then(Option::take);
    let Some(mut connection) = taken else {
      return MemcachedOutput { reply: Vec::new(), close: true };
    };
    self.enter(false);
    self.server.memcached.counters.bytes_read += chunk.len() as u64;
    let mut output = MemcachedOutput::default();
    if connection.input.is_empty() {
      let consumed = self.memcached_run_guarded(&mut connection, chunk, &mut output);
      connection.input.extend_from_slice(&chunk[consumed..]);
    } else {
      let mut input = std::mem::take(&mut connection.input);
      input.extend_from_slice(chunk);
      let consumed = self.memcached_run_guarded(&mut connection, &input, &mut output);
      input.drain(..consumed);
      if input.capacity() > KEPT_INPUT_CAPACITY && input.len() < input.capacity() / 4 {
        input.shrink_to(input.len());
      }
      connection.input = input;
    }
    if output.close {
      connection.input = Vec::new();
    }
    self.server.memcached.connections[id as usize] = Some(connection);
    self.server.memcached.counters.bytes_written += output.reply.len() as u64;
    self.settle();
    self.server.persist_writes();
    self.server.flush_replicas();
    output
  }

  /// [`Engine::memcached_run`], surviving a panic: it is logged and the connection closes.
  fn memcached_run_guarded(
    &mut self,
    connection: &mut Connection,
    input: &[u8],
    output: &mut MemcachedOutput,
  ) -> usize {
    let run = std::panic::AssertUnwindSafe(|| self.memcached_run(connection, input, output));
    match std::panic::catch_unwind(run) {
      Ok(consumed) => consumed,
      Err(panic) => {
        let reason = crate::engine::panic_reason(&*panic);
        self.server.telemetry.log_lines.push(format!("Internal error in a memcached command: {reason}"));
        self.server.running = Default::default();
        output.close = true;
        input.len()
      }
    }
  }

  /// Runs the commands in `input`; returns the bytes consumed.
  fn memcached_run(&mut self, connection: &mut Connection, input: &[u8], output: &mut MemcachedOutput) -> usize {
    let mut at = 0;
    loop {
      match std::mem::replace(&mut connection.awaiting, Awaiting::Line) {
        Awaiting::Swallow(left) => {
          let taken = left.min(input.len() - at);
          at += taken;
          if taken < left {
            connection.awaiting = Awaiting::Swallow(left - taken);
            return at;
          }
        }
        Awaiting::Data(store) => {
          let needed = store.len + 2;
          if input.len() - at < needed {
            connection.awaiting = Awaiting::Data(store);
            return at;
          }
          self.memcached_store(*store, &input[at..at + needed], &mut output.reply);
          at += needed;
        }
        Awaiting::Line => {
          let from = at + connection.scanned;
          let Some(end) = input[from..].iter().position(|&b| b == b'\n').map(|n| from + n) else {
            connection.scanned = input.len() - at;
            let limit = self.server.config.client_query_buffer_limit;
            if connection.scanned > MAX_LINE_WITHOUT_END
              && (!starts_get(&input[at..]) || connection.scanned as i64 > limit)
            {
              output.close = true;
              return input.len();
            }
            return at;
          };
          connection.scanned = 0;
          let mut line = &input[at..end];
          if line.len() > 1 && line[line.len() - 1] == b'\r' {
            line = &line[..line.len() - 1];
          }
          at = end + 1;
          self.memcached_flush_when_due();
          match self.memcached_command(line, &mut output.reply) {
            Next::Line => {}
            Next::Data(store) => connection.awaiting = Awaiting::Data(store),
            Next::Swallow(bytes) => connection.awaiting = Awaiting::Swallow(bytes),
            Next::Close => {
              output.close = true;
              return input.len();
            }
          }
        }
      }
    }
  }

  /// Runs a Redis command as the front end's session and returns its RESP2 reply.
  pub(crate) fn memcached_redis(&mut self, argv: &[&[u8]]) -> Vec<u8> {
    let slot = self.memcached_session();
    let Some(mut session) = self.server.clients.take(slot) else { return b"-ERR no session\r\n".to_vec() };
    let mut out = Reply::with_capacity(false, 16);
    self.execute(slot, &mut session, argv, &mut out);
    self.server.clients.put_back(slot, session);
    out.buf
  }

  /// The slot of the in-process session memcached commands run as: database 0, no ACL checks
  /// (memcached's protocol has no authentication), hidden from CLIENT LIST.
  fn memcached_session(&mut self) -> u32 {
    if let Some(slot) = self.server.memcached.session {
      if self.server.clients.session(slot).is_some() {
        return slot;
      }
    }
    let id = self.server.clients.next_id();
    let peer = Peer { addr: "memcached".into(), fd: -1, origin: Origin::Embedded, ..Default::default() };
    let mut session = Session::new(id, peer, now_ms(), true);
    session.acl_exempt = true;
    let slot = self.server.clients.insert(Box::new(session));
    self.server.memcached.session = Some(slot);
    slot
  }

  /// Empties the keyspace when a delayed `flush_all` is due (called before each memcached
  /// command and on every tick, once the clock was read).
  pub(crate) fn memcached_flush_when_due(&mut self) {
    if let Some(at) = self.server.memcached.flush_at_ms {
      if self.server.clock_us / 1000 >= at {
        self.server.memcached.flush_at_ms = None;
        self.memcached_redis(&[b"FLUSHDB"]);
      }
    }
  }
}

/// Whether a line starts (after at most 100 spaces) with `get ` or `gets `.
fn starts_get(line: &[u8]) -> bool {
  let spaces = line.iter().take_while(|&&b| b == b' ').count();
  let line = &line[spaces..];
  spaces <= 100 && (line.starts_with(b"get ") || line.starts_with(b"gets "))
}
