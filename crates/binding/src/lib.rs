//! N-API binding for redwing: the only crate that knows about Node.
//!
//! It converts and forwards, nothing more. Engines live in a thread-local slab, one per
//! `NativeEngine` object (whose finalizer frees it); the hot entry points are free functions
//! that take the engine's id, because N-API class methods pay for unwrapping `this` and for
//! napi-rs's borrow tracking on every call, which costs more than a Redis command.
//!
//! - `feed`: a socket read goes in as a borrowed byte slice (no copy) and every reply to it
//!   is copied into the socket buffer the server registered once (`setSocketBuffer`); only
//!   their length comes back, so a read allocates nothing on the JavaScript heap. The rare
//!   cases — replies that do not fit, a command for the TypeScript side, a connection to close,
//!   bytes for other sessions — return a `BindingFeedResult` object instead; the caller tells
//!   the two apart with `typeof`. Bytes for other sessions
//!   (messages, woken blocked clients, MONITOR lines) come as one Buffer with a route table of
//!   `(slot, length)` pairs, so a fan-out to many subscribers costs one Buffer, not one each.
//! - `setCongested`/`takeHeld`: the host reports a full socket, and later takes what the
//!   engine held for it meanwhile (see the engine's `output.rs`).
//! - On Unix, bytes for other sessions go straight to their sockets when they can (see
//!   `direct.rs`, and `setUnflushed`, with which the host says Node still holds bytes for a
//!   socket); only the rest comes back in the route table.
//! - `exec`: the embedded API writes commands into a buffer registered once, and reads the
//!   replies from another, so nothing but the replies' length crosses (see `call.rs`). Each
//!   engine hands out its own `exec` as a plain N-API function (`execFunction`), the cheapest
//!   call Node can make into an addon.
//! - `call`: one short command of string or integer arguments (the typed methods' GET, HSET…),
//!   read straight from its JS arguments, its reply made into a JS value when it is a simple
//!   one; anything else is left as `exec` leaves it (see `string_call.rs`, `stringCallFunction`).
//! - While a script is busy, every engine serves its network sessions' sockets itself on Unix,
//!   since Node cannot (see `busy_host.rs`); the embedded API's sessions have no socket.
//!
//! The engine's allocations are counted (the global allocator is the engine's
//! `CountingAllocator`), as Redis counts its own for `used_memory` and `maxmemory`.
//!
//! Entry points catch panics, so a bug in the engine becomes a JavaScript exception for one
//! call instead of a crashed process.

// Writing to and polling the connections' sockets takes their file descriptors, which only
// Unix has; elsewhere every byte goes through Node, and a busy script serves nobody (see
// `direct_fallback.rs`).
#[cfg(unix)]
mod busy_host;
mod call;
#[cfg(unix)]
mod direct;
#[cfg(not(unix))]
#[path = "direct_fallback.rs"]
mod direct;
mod socket_bytes;
mod string_call;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use redwing_engine::cmd::table::{CommandSpec, Implementation};
use redwing_engine::{Engine, FeedOutput, Origin, Peer};
use socket_bytes::SocketBytes;
use std::cell::RefCell;
use std::rc::Rc;

/// Every allocation of the engine counted, for `used_memory` and `maxmemory` (see the engine's
/// `alloc.rs`).
#[global_allocator]
static ALLOCATOR: redwing_engine::alloc::CountingAllocator = redwing_engine::alloc::CountingAllocator;

/// A command the engine hands to the TypeScript side.
#[napi(object)]
pub struct BindingPending {
  /// Lower-case command name (`shutdown`, or `parent|sub` for a subcommand).
  pub name: String,
  pub args: Vec<Buffer>,
}

/// Bytes for other sessions, and sessions to disconnect.
#[napi(object, object_from_js = false)]
pub struct BindingOutbound {
  /// Every session's bytes, back to back.
  #[napi(ts_type = "Buffer")]
  pub data: SocketBytes,
  /// `(slot, byte count)` pairs, in the order of `data`.
  pub routes: Uint32Array,
  /// Sessions to disconnect (CLIENT KILL, idle timeout, output buffer limits).
  pub kills: Vec<u32>,
  /// Sessions to resume (`resume`): a command of theirs that the engine ran again by itself
  /// (after a pause or a wait) waits for the host.
  pub resumes: Vec<u32>,
}

/// The rare-path result of `feed`/`resume`: the reply, and what `BindingOutbound` holds, in
/// one flat object (one object less to make when a published message fans out).
#[napi(object, object_from_js = false)]
pub struct BindingFeedResult {
  #[napi(ts_type = "Buffer")]
  pub reply: SocketBytes,
  pub pending: Option<BindingPending>,
  /// Close this connection once `reply` is written.
  pub close: bool,
  /// As in `BindingOutbound`.
  #[napi(ts_type = "Buffer")]
  pub data: SocketBytes,
  pub routes: Uint32Array,
  pub kills: Vec<u32>,
  pub resumes: Vec<u32>,
  /// Lines the commands logged (those starting with `# ` are warnings), to be written at once
  /// as Redis writes its log.
  pub log: Vec<String>,
}

/// What loading an RDB file found (for the start-up log).
#[napi(object)]
pub struct BindingLoaded {
  /// Whether the load is over: `false` after a slice of a load in slices (`rdbLoadStep`) that
  /// goes on, whose counts are then 0.
  pub done: bool,
  pub keys: f64,
  /// Keys already expired, skipped.
  pub expired: f64,
  /// What the load logged, ending with its "Done loading RDB" line (warnings start with `# `).
  pub log: Vec<String>,
}

/// What `rdbCheck` found: Redis's redis-check-rdb report on a file that failed to load.
#[napi(object)]
pub struct BindingRdbCheck {
  /// The report's lines, printed as they are.
  pub lines: Vec<String>,
  /// The file is corrupt, not cut short: Redis then logs that it terminates.
  pub corrupt: bool,
}

/// What `openAppendOnly`, `manageProcess`, `saveRdb` or a shutdown step did.
#[napi(object)]
pub struct BindingOpened {
  /// Whether it succeeded (for the first two: whether the server may start).
  pub ok: bool,
  /// Log lines; those starting with `# ` are warnings.
  pub log: Vec<String>,
}

/// One row of the compiled command table, for the table consistency test.
#[napi(object)]
pub struct BindingCommandRow {
  pub name: String,
  pub arity: i32,
  pub flags: Vec<String>,
  /// `engine`, `ts` or `container`.
  pub side: String,
}

/// What a tick produced for the host: as in `BindingOutbound`, bytes for other sessions
/// (expiry notifications, timed-out waits, sessions whose pause ended) and sessions to
/// disconnect; and log lines.
#[napi(object, object_from_js = false)]
pub struct BindingTickResult {
  #[napi(ts_type = "Buffer")]
  pub data: SocketBytes,
  pub routes: Uint32Array,
  pub kills: Vec<u32>,
  pub resumes: Vec<u32>,
  /// Lines for the server log (DEBUG LOG, CONFIG REWRITE, output buffer limits).
  pub log: Vec<String>,
  /// A background save is under way: the host drives it with `snapshotStep`.
  pub saving: bool,
  /// This server is a replica and wants a connection to its master: the host opens one and
  /// calls `masterConnected` (or `masterConnectFailed`).
  pub connect_master: Option<BindingMasterAddress>,
  /// A shutdown that waited for replicas is ready: the host calls `finishShutdown`.
  pub shutdown_ready: bool,
}

/// Where a replica's master listens.
#[napi(object)]
pub struct BindingMasterAddress {
  pub host: String,
  pub port: u32,
}

/// Static facts about the host process shown by INFO.
#[napi(object)]
pub struct BindingHostInfo {
  pub tcp_port: i64,
  pub executable: String,
  pub config_file: String,
  pub run_id: String,
}

/// One engine and the buffers its hosts registered.
struct Instance {
  engine: Engine,
  /// Where `feed` and `resume` write replies for the server to send (see `feed`).
  socket_out: Option<Buffer>,
  /// The embedded API's shared request and response buffers (see `exec`).
  request: Option<Buffer>,
  response: Option<Buffer>,
  /// Replies of embedded calls, reused from one call to the next.
  scratch: Vec<u8>,
  /// The command of the last `exec` handed over to the host, until the host takes it, and
  /// where the batch resumes (see `call.rs`).
  host_call: Option<call::HostCall>,
  /// Where `call` writes what `exec` would have returned, when it leaves a reply in the
  /// response buffer (see `string_call.rs`).
  call_length: Option<Buffer>,
  /// The network sessions' sockets, for writing other sessions' output directly (shared with
  /// the busy-script host).
  direct: Rc<RefCell<direct::DirectSockets>>,
}

thread_local! {
  /// Engines of this JavaScript thread, by id; `None` marks a freed id.
  static INSTANCES: RefCell<Vec<Option<Box<Instance>>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the engine with id `id`.
fn with<R>(id: u32, f: impl FnOnce(&mut Instance) -> R) -> Result<R> {
  INSTANCES.with(|instances| {
    let mut instances = instances.borrow_mut();
    let instance = instances.get_mut(id as usize).and_then(Option::as_mut);
    instance.map(|instance| f(instance)).ok_or_else(|| Error::from_reason("this engine is closed"))
  })
}

/// Owns one engine. The hot paths are the free functions `feed` and `resume`, which take `id`,
/// and the function `execFunction` returns; the methods here are for set-up and rare
/// operations.
#[napi]
pub struct NativeEngine {
  id: u32,
}

#[napi]
impl NativeEngine {
  #[napi(constructor)]
  pub fn new() -> Self {
    // Only Unix has a busy-script host (see `direct_fallback.rs`).
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut engine = Engine::default();
    let direct = Rc::new(RefCell::new(direct::DirectSockets::default()));
    #[cfg(unix)]
    engine.set_busy_host(Box::new(busy_host::SocketHost::new(direct.clone())));
    #[cfg(unix)]
    engine.set_hang_up(Box::new(direct::SocketHangUp(direct.clone())));
    let instance = Box::new(Instance {
      engine,
      socket_out: None,
      request: None,
      response: None,
      scratch: Vec::new(),
      host_call: None,
      call_length: None,
      direct,
    });
    let id = INSTANCES.with(|instances| {
      let mut instances = instances.borrow_mut();
      match instances.iter().position(Option::is_none) {
        Some(free) => {
          instances[free] = Some(instance);
          free
        }
        None => {
          instances.push(Some(instance));
          instances.len() - 1
        }
      }
    });
    NativeEngine { id: id as u32 }
  }

  /// The id the free functions take.
  #[napi(getter)]
  pub fn id(&self) -> u32 {
    self.id
  }

  /// This engine's `exec` (see `exec_callback`): a function of no arguments that runs the
  /// commands of the request buffer registered with `setCallBuffers` and returns the length of
  /// their replies in the response buffer (with the high bit set when output for other
  /// sessions waits).
  #[napi(ts_return_type = "() => number")]
  pub fn exec_function<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
    engine_function(env, self.id, c"exec", exec_callback)
  }

  /// This engine's `call` (see `string_call.rs`): `call(slot, name, ...args)` runs one command
  /// of at most four string or safe-integer arguments as session `slot`, and returns its reply
  /// as a JS value when it is a simple one; otherwise `undefined`, the reply being left as
  /// `exec` leaves it (see `setCallLengthBuffer`), or `false` when an argument is of another
  /// kind and nothing ran.
  #[napi(ts_return_type = "(slot: number, name: string, ...args: (string | number)[]) => unknown")]
  pub fn string_call_function<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
    engine_function(env, self.id, c"call", string_call::string_call_callback)
  }

  /// Registers the 4 bytes where `call` writes, in the machine's byte order, what `exec` would
  /// have returned (the reply's length in the response buffer, and the flags) when it returns
  /// `undefined`. The engine keeps a reference, as it does to the call buffers.
  #[napi(catch_unwind)]
  pub fn set_call_length_buffer(&self, buffer: Buffer) -> Result<()> {
    if buffer.len() < 4 {
      return Err(Error::from_reason("the call length buffer needs 4 bytes"));
    }
    with(self.id, |i| i.call_length = Some(buffer))
  }

  /// Applies one configuration directive (`name`, then its arguments) at start-up; throws
  /// with Redis's message when the name or the value is invalid.
  #[napi(catch_unwind)]
  pub fn configure(&self, args: Vec<String>) -> Result<()> {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    with(self.id, |i| redwing_engine::cmd::server::config::load_directive(&mut i.engine, &args))?
      .map_err(|message| Error::new(Status::InvalidArg, message))
  }

  /// Start-up configuration is complete: creates the configured ACL users and loads the ACL
  /// file; the error says why the server must not start.
  #[napi(catch_unwind)]
  pub fn finish_configuration(&self) -> Result<()> {
    with(self.id, |i| redwing_engine::cmd::server::config::finish(&mut i.engine))?
      .map_err(|message| Error::new(Status::InvalidArg, message))
  }

  /// The refusal to write to a new connection from `remoteIp` before closing it (protected
  /// mode), or null to serve it.
  #[napi(catch_unwind)]
  pub fn refuse_connection(&self, remote_ip: String) -> Result<Option<String>> {
    with(self.id, |i| i.engine.refuse_connection(&remote_ip).map(str::to_string))
  }

  /// Puts a parameter back to a value it had (after a CONFIG SET whose listeners the host could
  /// not move).
  #[napi(catch_unwind)]
  pub fn restore_config(&self, name: Buffer, value: Buffer) -> Result<()> {
    with(self.id, |i| redwing_engine::cmd::server::config::restore(&mut i.engine, &name, &value))
  }

  /// MIGRATE's end, handed over: the target acknowledged `keys`, which the session in `slot`
  /// removes (what that produces for other sessions goes out with the session's next result).
  #[napi(catch_unwind)]
  pub fn migrated(&self, slot: u32, keys: Vec<Buffer>) -> Result<()> {
    let keys: Vec<&[u8]> = keys.iter().map(|key| key.as_ref()).collect();
    with(self.id, |i| i.engine.migrated(slot, &keys))
  }

  /// How many connections to MIGRATE targets the host keeps (INFO's `migrate_cached_sockets`).
  #[napi(catch_unwind)]
  pub fn set_migrate_links(&self, count: u32) -> Result<()> {
    with(self.id, |i| i.engine.telemetry.migrate_links = count as u64)
  }

  /// Reads a configuration value (as CONFIG GET would show it).
  #[napi(catch_unwind)]
  pub fn config_value(&self, name: String) -> Result<Option<String>> {
    with(self.id, |i| redwing_engine::cmd::server::config::value_of(&i.engine, name.as_bytes()))
  }

  #[napi(catch_unwind)]
  pub fn set_host_info(&self, info: BindingHostInfo) -> Result<()> {
    with(self.id, |i| {
      i.engine.host = redwing_engine::HostInfo {
        tcp_port: info.tcp_port,
        tls_port: 0,
        executable: info.executable,
        config_file: info.config_file,
        run_id: info.run_id,
        manages_process: i.engine.host.manages_process,
      }
    })
  }

  /// Takes charge of the process, as redis-server does at start-up: fits its open-file limit
  /// to `maxclients` (or `maxclients` to the limit) and sets its OOM score (`oom-score-adj`);
  /// from now on CONFIG SET of those settings does the same. For the standalone server only:
  /// it changes the whole process.
  #[napi(catch_unwind)]
  pub fn manage_process(&self) -> Result<BindingOpened> {
    with(self.id, |i| {
      i.engine.host.manages_process = true;
      let adjusted = i.engine.adjust_open_files_limit();
      if !adjusted.fatal {
        // A score that cannot be set is logged, and the server starts all the same.
        let _ = i.engine.apply_oom_score_adj();
      }
      BindingOpened { ok: !adjusted.fatal, log: adjusted.log }
    })
  }

  /// A connection was refused at `maxclients` (INFO `rejected_connections`).
  #[napi(catch_unwind)]
  pub fn connection_rejected(&self) -> Result<()> {
    with(self.id, |i| i.engine.telemetry.stats.rejected_connections += 1)
  }

  /// The ports the host listens on, plain and TLS (0: none), once it knows them (INFO
  /// `tcp_port`, and the port a replica announces to its master).
  #[napi(catch_unwind)]
  pub fn set_listening_ports(&self, port: u32, tls_port: u32) -> Result<()> {
    with(self.id, |i| {
      i.engine.host.tcp_port = port as i64;
      i.engine.host.tls_port = tls_port as i64;
    })
  }

  /// Opens a session for a connection (or for the embedded API with `fd` = -1). `plain`: the
  /// socket carries RESP as it is (TCP, not TLS), so the binding may write other sessions'
  /// output to it directly and serve it while a script is busy; `fd` is shown by CLIENT LIST
  /// either way. `unix`: the connection came through the Unix socket (`unixsocket`).
  #[napi(catch_unwind)]
  pub fn open(&self, addr: String, laddr: String, fd: i64, plain: bool, unix: Option<bool>) -> Result<u32> {
    with(self.id, |i| {
      let origin = if fd < 0 { Origin::Embedded } else { Origin::Network };
      let slot = i.engine.open(Peer { addr, laddr, fd, origin, unix: unix.unwrap_or(false) });
      if plain {
        i.direct.borrow_mut().register(slot, fd);
      }
      slot
    })
  }

  /// Opens a memcached connection (see `memcachedFeed`); returns its id.
  #[napi(catch_unwind)]
  pub fn memcached_open(&self) -> Result<u32> {
    with(self.id, |i| i.engine.memcached_open())
  }

  #[napi(catch_unwind)]
  pub fn memcached_close(&self, connection: u32) -> Result<()> {
    with(self.id, |i| i.engine.memcached_close(connection))
  }

  /// Opens an in-process session that receives pushed messages (the embedded store's
  /// subscriber): its output comes through the outbound routes like a connection's.
  #[napi(catch_unwind)]
  pub fn open_subscriber(&self) -> Result<u32> {
    with(self.id, |i| i.engine.open(Peer { fd: -1, origin: Origin::EmbeddedSubscriber, ..Peer::default() }))
  }

  /// Takes the bytes queued for sessions and the sessions to disconnect (after `exec`
  /// reported some with its high bit).
  #[napi(catch_unwind)]
  pub fn take_outbound(&self) -> Result<BindingOutbound> {
    with(self.id, take_outbound)
  }

  #[napi(catch_unwind)]
  pub fn close(&self, slot: u32) -> Result<()> {
    with(self.id, |i| {
      i.direct.borrow_mut().forget(slot);
      i.engine.close(slot)
    })
  }

  /// Registers the two buffers the embedded API exchanges commands and replies through, so
  /// that `exec` needs no arguments but numbers. The engine keeps references to both: the
  /// caller must not transfer them while they are registered.
  #[napi(catch_unwind)]
  pub fn set_call_buffers(&self, request: Buffer, response: Buffer) -> Result<()> {
    with(self.id, |i| {
      i.request = Some(request);
      i.response = Some(response);
    })
  }

  /// Registers the buffer `feed` and `resume` write replies to. The server sends them from it
  /// and registers a fresh one whenever a socket keeps a reference (a write that did not
  /// complete at once), so the engine never overwrites bytes still waiting to be sent.
  #[napi(catch_unwind)]
  pub fn set_socket_buffer(&self, buffer: Buffer) -> Result<()> {
    with(self.id, |i| i.socket_out = Some(buffer))
  }

  /// The replies of the last `exec` that did not fit the response buffer.
  #[napi(catch_unwind)]
  pub fn take_replies(&self) -> Result<Buffer> {
    with(self.id, |i| std::mem::take(&mut i.scratch).into())
  }

  /// The command the last `exec` (or `resumeExec`) handed over to the host, which answers it
  /// before calling `resumeExec`. Its arguments are moved out, not copied.
  #[napi(catch_unwind)]
  pub fn take_host_call(&self) -> Result<Option<BindingPending>> {
    with(self.id, |i| {
      let pending = &mut i.host_call.as_mut()?.pending;
      let args = std::mem::take(&mut pending.args);
      Some(BindingPending { name: pending.name.to_string(), args: args.into_iter().map(Buffer::from).collect() })
    })
  }

  /// Runs the rest of the request buffer's commands after the one handed over to the host;
  /// returns as `exec` does.
  #[napi(catch_unwind)]
  pub fn resume_exec(&self) -> Result<u32> {
    let from = with(self.id, |i| i.host_call.take().map(|call| call.resume_at))?;
    let from = from.ok_or_else(|| Error::from_reason("no command was handed over"))?;
    exec_from(self.id, from)
  }

  /// Periodic work (active expiry, idle timeouts, waking paused sessions). Returns the
  /// sessions to disconnect and bytes for sessions woken from a pause.
  #[napi(catch_unwind)]
  pub fn tick(&self) -> Result<BindingTickResult> {
    with(self.id, |i| {
      i.engine.tick();
      let BindingOutbound { data, routes, kills, resumes } = take_outbound(i);
      let log = std::mem::take(&mut i.engine.telemetry.log_lines);
      let connect_master =
        i.engine.take_link_request().map(|(host, port)| BindingMasterAddress { host, port: port as u32 });
      let saving = i.engine.snapshot_in_progress();
      let shutdown_ready = i.engine.take_shutdown_ready();
      BindingTickResult { data, routes, kills, resumes, log, saving, connect_master, shutdown_ready }
    })
  }

  /// The connection the last tick asked for is open as session `slot`: returns the first
  /// bytes to send the master, or nothing when the link is no longer wanted (close it then).
  #[napi(catch_unwind)]
  pub fn master_connected(&self, slot: u32) -> Result<Option<Buffer>> {
    with(self.id, |i| i.engine.master_connected(slot).map(Buffer::from))
  }

  /// The connection the last tick asked for could not be opened, for `reason`.
  #[napi(catch_unwind)]
  pub fn master_connect_failed(&self, reason: String) -> Result<()> {
    with(self.id, |i| i.engine.master_connect_failed(&reason))
  }

  /// Writes the RDB file now, as SAVE does: before exiting, and the embedded store's `save()`.
  /// `ok` says whether it could; the log says what happened.
  #[napi(catch_unwind)]
  pub fn save_rdb(&self) -> Result<BindingOpened> {
    with(self.id, |i| {
      let ok = i.engine.save_rdb();
      BindingOpened { ok, log: std::mem::take(&mut i.engine.telemetry.log_lines) }
    })
  }

  /// Replaces the dataset with an RDB file; returns what it loaded. Throws (and changes
  /// nothing) when the file cannot be read, with what the load logged and the line Redis logs
  /// then, one per line (warnings start with `# `).
  #[napi(catch_unwind)]
  pub fn rdb_load(&self, data: &[u8]) -> Result<BindingLoaded> {
    with(self.id, |i| {
      let loaded = i.engine.rdb_load(data);
      load_outcome(i, Some(loaded))
    })?
  }

  /// Begins loading the RDB file at `path` in slices, with the host serving clients in
  /// between (the server's start-up, see the engine's `rdb::loading`); `rdbLoadStep` goes on.
  /// The file is read here, into the memory the load keeps, rather than copied from a Buffer.
  /// Throws when it cannot be read, or is not an RDB file (as `rdbLoad` does).
  #[napi(catch_unwind)]
  pub fn rdb_load_begin(&self, path: String) -> Result<()> {
    let data = std::fs::read(&path).map_err(|error| Error::from_reason(format!("{path}: {error}")))?;
    with(self.id, |i| match i.engine.rdb_load_begin(data) {
      Ok(()) => Ok(()),
      Err(error) => load_outcome(i, Some(Err(error))).map(|_| ()),
    })?
  }

  /// The next slice of the load `rdbLoadBegin` began: what it logged, with `done` once the
  /// file was read (and then what `rdbLoad` returns). Throws as `rdbLoad` does.
  #[napi(catch_unwind)]
  pub fn rdb_load_step(&self) -> Result<BindingLoaded> {
    with(self.id, |i| {
      let outcome = i.engine.rdb_load_step();
      load_outcome(i, outcome)
    })?
  }

  /// Redis's redis-check-rdb report on `data`, the RDB file `fileName` that failed to load at
  /// start-up (see the engine's `rdb::check`).
  #[napi(catch_unwind)]
  pub fn rdb_check(&self, data: &[u8], file_name: String) -> Result<BindingRdbCheck> {
    with(self.id, |i| {
      let report = i.engine.rdb_check(data, &file_name);
      BindingRdbCheck { lines: report.lines, corrupt: report.corrupt }
    })
  }

  /// One slice of the background save under way: 0 when none is (any more), 1 when it wants
  /// another slice soon, 2 when it has nothing to do for a while (call again a little later).
  #[napi(catch_unwind)]
  pub fn snapshot_step(&self) -> Result<u32> {
    with(self.id, |i| match i.engine.snapshot_step() {
      redwing_engine::SnapshotState::Idle => 0,
      redwing_engine::SnapshotState::Working => 1,
      redwing_engine::SnapshotState::Waiting => 2,
    })
  }

  /// Sends the replication stream's new bytes to the replicas (once per turn of the event
  /// loop, when a read's result asked for it); returns what their sockets did not take, or
  /// nothing when they took it all (the usual case: no object to make each turn).
  #[napi(catch_unwind)]
  pub fn flush_replicas(&self) -> Result<Option<BindingOutbound>> {
    with(self.id, |i| {
      i.engine.flush_replicas();
      let taken = take_outbound(i);
      (!taken.routes.is_empty() || !taken.kills.is_empty() || !taken.resumes.is_empty()).then_some(taken)
    })
  }

  /// Start-up: reads the AOF manifest and, with `appendonly yes`, loads the AOF and opens it
  /// for appending. Returns whether the server may start; the log says what happened.
  #[napi(catch_unwind)]
  pub fn open_append_only(&self) -> Result<BindingOpened> {
    with(self.id, |i| {
      let ok = i.engine.open_append_only();
      BindingOpened { ok, log: std::mem::take(&mut i.engine.telemetry.log_lines) }
    })
  }

  /// DEBUG LOADAOF, handed over: reloads the AOF. `ok` false means the server must exit.
  #[napi(catch_unwind)]
  pub fn debug_load_aof(&self) -> Result<BindingOpened> {
    with(self.id, |i| {
      let ok = i.engine.debug_load_aof();
      BindingOpened { ok, log: std::mem::take(&mut i.engine.telemetry.log_lines) }
    })
  }

  /// The server's part of a crash report (see the engine's `crash_report`): for a crash while
  /// the session in `slot` ran `argv`, or with no command running when `slot` is null.
  #[napi(catch_unwind)]
  pub fn crash_report(&self, slot: Option<u32>, argv: Vec<Buffer>) -> Result<String> {
    let argv: Vec<&[u8]> = argv.iter().map(|arg| arg.as_ref()).collect();
    with(self.id, |i| i.engine.crash_report(slot.map(|slot| (slot, &argv[..]))))
  }

  /// A signal asks the server to shut down (SIGTERM, or SIGINT when `sigint`): a tick begins
  /// it, and says when the host is to call `finishShutdown`.
  #[napi(catch_unwind)]
  pub fn request_shutdown(&self, sigint: bool) -> Result<()> {
    with(self.id, |i| i.engine.request_shutdown(sigint))
  }

  /// The last step of the shutdown under way (the lagging replicas logged, the AOF flushed,
  /// the final save): `ok` when the process may exit; otherwise the shutdown is cancelled,
  /// and the clients that waited on it get their error.
  #[napi(catch_unwind)]
  pub fn finish_shutdown(&self) -> Result<BindingOpened> {
    with(self.id, |i| {
      let ok = i.engine.finish_shutdown();
      BindingOpened { ok, log: std::mem::take(&mut i.engine.telemetry.log_lines) }
    })
  }

  /// Before the process exits: a background save under way is abandoned, and the AOF is
  /// written out and fsynced. Returns the lines to log.
  #[napi(catch_unwind)]
  pub fn prepare_shutdown(&self) -> Result<Vec<String>> {
    with(self.id, |i| {
      i.engine.prepare_shutdown();
      std::mem::take(&mut i.engine.telemetry.log_lines)
    })
  }

  /// The configured `hz` (ticks per second).
  #[napi(catch_unwind)]
  pub fn hz(&self) -> Result<i64> {
    with(self.id, |i| i.engine.config.hz)
  }

  /// The compiled command table, for checking it against the TypeScript specs.
  #[napi(catch_unwind)]
  pub fn command_table(&self) -> Vec<BindingCommandRow> {
    CommandSpec::all()
      .map(|spec| BindingCommandRow {
        name: spec.name.to_string(),
        arity: spec.arity,
        flags: spec.flag_names.iter().map(|f| f.to_string()).collect(),
        side: match spec.implementation {
          Implementation::Engine(_) => "engine",
          Implementation::Ts => "ts",
          Implementation::Container => "container",
        }
        .to_string(),
      })
      .collect()
  }
}

impl Drop for NativeEngine {
  fn drop(&mut self) {
    INSTANCES.with(|instances| {
      if let Some(cell) = instances.borrow_mut().get_mut(self.id as usize) {
        *cell = None;
      }
    });
  }
}

impl Default for NativeEngine {
  fn default() -> Self {
    Self::new()
  }
}

/// Runs every complete command in `chunk` for session `slot` of engine `engine`; see the
/// module comment for the result.
#[napi(catch_unwind, ts_return_type = "number | BindingFeedResult")]
pub fn feed(engine: u32, slot: u32, chunk: &[u8]) -> Result<Either<u32, BindingFeedResult>> {
  with(engine, |i| {
    i.direct.borrow_mut().claim(slot);
    let output = i.engine.feed(slot, chunk);
    finish(i, output)
  })
}

/// Runs every complete memcached command in `chunk` for memcached connection `connection` of
/// engine `engine`; the result is as `feed`'s (never `pending`).
#[napi(catch_unwind, ts_return_type = "number | BindingFeedResult")]
pub fn memcached_feed(engine: u32, connection: u32, chunk: &[u8]) -> Result<Either<u32, BindingFeedResult>> {
  with(engine, |i| {
    let output = i.engine.memcached_feed(connection, chunk);
    finish(i, FeedOutput { reply: output.reply, close: output.close, ..FeedOutput::default() })
  })
}

/// Continues a session's buffered commands after a pending command ran.
#[napi(catch_unwind, ts_return_type = "number | BindingFeedResult")]
pub fn resume(engine: u32, slot: u32) -> Result<Either<u32, BindingFeedResult>> {
  with(engine, |i| {
    let output = i.engine.resume(slot);
    finish(i, output)
  })
}

/// The host's socket for `slot` is full, with `queued` bytes Node has not written yet: the
/// engine keeps that session's output until `takeHeld`, counting those bytes against its
/// output buffer limits.
#[napi(catch_unwind)]
pub fn set_congested(engine: u32, slot: u32, queued: u32) -> Result<()> {
  with(engine, |i| i.engine.set_congested(slot, queued as usize))
}

/// Bytes the host made for `slot` while its socket is congested (a TypeScript-side command's
/// reply): the engine queues them behind what it holds, so replies keep their order.
#[napi(catch_unwind)]
pub fn hold_output(engine: u32, slot: u32, bytes: &[u8]) -> Result<()> {
  with(engine, |i| i.engine.hold(slot, bytes))
}

/// Node holds bytes for the socket of `slot` that it has not written yet (`true`), or has
/// written them all (`false`): meanwhile nothing is written to that socket directly.
#[napi(catch_unwind)]
pub fn set_unflushed(engine: u32, slot: u32, unflushed: bool) -> Result<()> {
  with(engine, |i| i.direct.borrow_mut().set_unflushed(slot, unflushed))
}

/// The socket for `slot` drained: the output held for it meanwhile (possibly empty).
// The typings name a returned custom type as it is called in Rust, not by its `TypeName`.
#[napi(catch_unwind, ts_return_type = "Buffer")]
pub fn take_held(engine: u32, slot: u32) -> Result<SocketBytes> {
  with(engine, |i| SocketBytes(i.engine.take_held(slot)))
}

/// The embedded API's entry point: runs the commands in engine `id`'s request buffer and
/// writes their replies (RESP, one after another) to its response buffer. Returns the replies'
/// length; when they do not fit, nothing is written, and `takeReplies` hands them over. The
/// high bit of the result is set when the commands produced output for other sessions (or
/// sessions to disconnect): `takeOutbound` then hands it over. The request buffer starts with
/// a header (u32 little-endian): the session slot, then the length of the commands that follow
/// it (see `call.rs` for their encoding). The second highest bit is set when a command was
/// handed over to the host: the replies are those of the commands before it, `takeHostCall`
/// gives it, and `resumeExec` runs the rest.
fn exec(id: u32) -> Result<u32> {
  exec_from(id, 0)
}

fn exec_from(id: u32, from: usize) -> Result<u32> {
  with(id, |i| {
    let request = i.request.as_ref().ok_or_else(|| Error::from_reason("call buffers are not set"))?;
    let (replies, host_call) = call::run(&mut i.engine, request, std::mem::take(&mut i.scratch), from)?;
    if i.response.is_none() {
      return Err(Error::from_reason("call buffers are not set"));
    }
    Ok(leave_replies(i, replies, host_call))
  })?
}

/// Leaves the replies of an embedded call where the store reads them: copied into the response
/// buffer when they fit, and kept as the scratch buffer (`takeReplies` hands them over when
/// they do not); the command handed over, if any, waits for `takeHostCall`. Returns their length
/// with `exec`'s flags.
fn leave_replies(i: &mut Instance, replies: Vec<u8>, host_call: Option<call::HostCall>) -> u32 {
  if let Some(target) = i.response.as_mut().and_then(|response| response.get_mut(..replies.len())) {
    target.copy_from_slice(&replies);
  }
  let length = replies.len() as u32 | outbound_flag(&i.engine) | if host_call.is_some() { HOST_CALL_FLAG } else { 0 };
  i.scratch = replies;
  i.host_call = host_call;
  length
}

/// `exec`'s flag for output waiting for other sessions (or sessions to kill or resume), if
/// there is some.
fn outbound_flag(engine: &Engine) -> u32 {
  let clients = &engine.clients;
  if engine.has_outbound() || !clients.kills.is_empty() || !clients.resumes.is_empty() {
    OUTBOUND_FLAG
  } else {
    0
  }
}

/// Throws a JS `Error` with `message` from an N-API callback; returns the null value such a
/// callback returns then.
///
/// # Safety
/// `env` is the environment of the running callback.
unsafe fn throw_error(env: sys::napi_env, message: String) -> sys::napi_value {
  let message = std::ffi::CString::new(message).unwrap_or_default();
  // SAFETY: `env` is valid for this callback and `message` is a NUL-terminated string.
  unsafe { sys::napi_throw_error(env, std::ptr::null(), message.as_ptr()) };
  std::ptr::null_mut()
}

/// A plain N-API function named `name` that runs `callback` with this engine's id as its data
/// (an id, not a pointer: nothing to keep alive), skipping what napi-rs adds around a `#[napi]`
/// function (argument bookkeeping, borrow tracking), which costs more than a short command.
fn engine_function<'env>(
  env: &'env Env,
  id: u32,
  name: &std::ffi::CStr,
  callback: unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value,
) -> Result<Unknown<'env>> {
  let mut function = std::ptr::null_mut();
  let data = id as usize as *mut std::ffi::c_void;
  let name = name.to_bytes();
  // SAFETY: `env` is the current environment; `name` is `name.len()` bytes long.
  let status = unsafe {
    sys::napi_create_function(env.raw(), name.as_ptr().cast(), name.len() as isize, Some(callback), data, &mut function)
  };
  if status != sys::Status::napi_ok {
    return Err(Error::from_reason("cannot create an engine function"));
  }
  // SAFETY: `function` is the value N-API just created in `env`.
  Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), function) })
}

/// `exec` as called from JavaScript: a plain N-API callback bound to its engine (see
/// `engine_function`). It reads no arguments.
unsafe extern "C" fn exec_callback(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
  let mut data = std::ptr::null_mut();
  // SAFETY: `env` and `info` are the ones N-API passed to this callback; only the data
  // pointer is asked for.
  unsafe {
    sys::napi_get_cb_info(env, info, std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut(), &mut data)
  };
  let id = data as usize as u32;
  let message = match std::panic::catch_unwind(|| exec(id)) {
    Ok(Ok(len)) => {
      let mut value = std::ptr::null_mut();
      // SAFETY: `env` is valid for this callback; `value` receives the new number.
      unsafe { sys::napi_create_uint32(env, len, &mut value) };
      return value;
    }
    Ok(Err(error)) => error.reason,
    Err(_) => "internal error in exec".to_string(),
  };
  // SAFETY: `env` is the environment of this callback.
  unsafe { throw_error(env, message) }
}

/// The bit of `exec`'s result that says output for other sessions waits.
const OUTBOUND_FLAG: u32 = 1 << 31;

/// The bit of `exec`'s result that says a command was handed over to the host.
const HOST_CALL_FLAG: u32 = 1 << 30;

/// The bit of `feed`'s and `resume`'s numeric result that asks the host to call
/// `flushReplicas` once its current turn ends (the replication stream has new bytes).
const REPLICA_FLUSH_FLAG: u32 = 1 << 30;

/// What a load (or a slice of one, `None` while it goes on) comes to for the host: the lines
/// it logged and its counts, or an error with those lines and the ones Redis logs when it
/// cannot load the file (warnings start with `# `).
fn load_outcome(
  i: &mut Instance,
  outcome: Option<std::result::Result<redwing_engine::rdb::file::Loaded, redwing_engine::rdb::encoding::RdbError>>,
) -> Result<BindingLoaded> {
  let mut log = std::mem::take(&mut i.engine.telemetry.log_lines);
  match outcome {
    None => Ok(BindingLoaded { done: false, keys: 0.0, expired: 0.0, log }),
    Some(Ok(loaded)) => {
      log.push(loaded.done_line());
      Ok(BindingLoaded { done: true, keys: loaded.keys as f64, expired: loaded.expired_keys.len() as f64, log })
    }
    Some(Err(error)) => {
      for reason in redwing_engine::rdb::file::load_failure_lines(&error) {
        log.push(format!("{}{reason}", redwing_engine::cmd::server::WARNING_MARK));
      }
      Err(Error::from_reason(log.join("\n")))
    }
  }
}

/// Takes the output for other sessions, writing what it can straight to their sockets.
fn take_outbound(instance: &mut Instance) -> BindingOutbound {
  let mut direct = instance.direct.borrow_mut();
  let (data, routes) = instance.engine.take_outbound_with(|slot, bytes| direct.write(slot, bytes));
  drop(direct);
  BindingOutbound {
    data: SocketBytes(data),
    routes: routes.into(),
    kills: std::mem::take(&mut instance.engine.clients.kills),
    resumes: std::mem::take(&mut instance.engine.clients.resumes),
  }
}

/// The common case (nothing but replies, and they fit the socket buffer) as their length in
/// the socket buffer; anything else as a `BindingFeedResult`.
fn finish(instance: &mut Instance, output: FeedOutput) -> Either<u32, BindingFeedResult> {
  // The replicas' bytes wait for the end of the host's turn (`flushReplicas`), unless this
  // result takes the slow path anyway.
  let flush_wanted = instance.engine.take_replica_flush_request();
  // Output for other sessions that their sockets take at once leaves nothing to hand over.
  let mut outbound = None;
  if instance.engine.has_outbound() {
    let taken = take_outbound(instance);
    if taken.routes.is_empty() {
      instance.engine.clients.kills = taken.kills;
      instance.engine.clients.resumes = taken.resumes;
    } else {
      outbound = Some(taken);
    }
  }
  let engine = &mut instance.engine;
  let plain = output.pending.is_none() && !output.close && engine.telemetry.log_lines.is_empty();
  if plain && outbound.is_none() && engine.clients.kills.is_empty() && engine.clients.resumes.is_empty() {
    let target = instance.socket_out.as_mut().and_then(|out| out.get_mut(..output.reply.len()));
    if let Some(target) = target {
      target.copy_from_slice(&output.reply);
      let flag = if flush_wanted { REPLICA_FLUSH_FLAG } else { 0 };
      return Either::A(output.reply.len() as u32 | flag);
    }
  }
  if flush_wanted {
    instance.engine.flush_replicas();
  }
  let BindingOutbound { data, routes, kills, resumes } = match outbound {
    Some(outbound) => outbound,
    None => take_outbound(instance),
  };
  Either::B(BindingFeedResult {
    reply: SocketBytes(output.reply),
    pending: output
      .pending
      .map(|p| BindingPending { name: p.name.to_string(), args: p.args.into_iter().map(Buffer::from).collect() }),
    close: output.close,
    data,
    routes,
    kills,
    resumes,
    log: std::mem::take(&mut instance.engine.telemetry.log_lines),
  })
}

/// Splits a config-file line into arguments with the same quoting rules as inline commands;
/// `null` for unbalanced quotes.
#[napi(catch_unwind)]
pub fn split_args(line: String) -> Option<Vec<String>> {
  redwing_engine::resp::parse::split_args(line.as_bytes())
    .map(|args| args.into_iter().map(|a| String::from_utf8_lossy(&a).into_owned()).collect())
}

/// Does nothing: measures the bare cost of one N-API call.
#[napi]
pub fn noop() {}
