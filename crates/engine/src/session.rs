//! Per-connection state: the unparsed input tail, the selected database, the protocol version,
//! and the attributes CLIENT and HELLO manage.
//!
//! The embedded store uses a session too, so every command sees the same model of "the client
//! that sent it" whether it came over a socket or from an in-process call.

use crate::resp::ParseState;

/// How CLIENT REPLY has set the connection's replies.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyMode {
  #[default]
  On,
  Off,
  /// Suppress the reply of the next command only.
  SkipNext,
  /// Suppress the reply of the current command (SKIP turns into this for the next command).
  Skip,
}

/// Where a session's commands come from.
#[derive(Clone, Default)]
pub struct Peer {
  /// `ip:port` of the remote end (CLIENT LIST `addr`).
  pub addr: String,
  /// `ip:port` of the local end (CLIENT LIST `laddr`).
  pub laddr: String,
  /// The socket's file descriptor, or -1 for in-process sessions.
  pub fd: i64,
  pub origin: Origin,
  /// The connection came through the Unix socket (`unixsocket`): its addresses are the
  /// socket's path followed by `:0`, as Redis shows them, and it counts as local.
  pub unix: bool,
}

/// What kind of client a session serves.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum Origin {
  /// A network connection.
  #[default]
  Network,
  /// The embedded store's synchronous calls: only the replies to them come back.
  Embedded,
  /// The embedded store's subscriber: it receives pushed messages, as a connection does.
  EmbeddedSubscriber,
  /// The client Lua scripts run their commands as (see `script/run.rs`).
  Script,
}

/// Who runs the current command. This one value decides what a command may do that depends on
/// its caller (wait for keys, be held by CLIENT PAUSE, subscribe, how MONITOR names it).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Caller {
  /// A network client's own command.
  Network,
  /// An in-process call of the embedded store (its subscriber included).
  Embedded,
  /// A command queued in MULTI, run by EXEC.
  Transaction,
  /// A command a Lua script called.
  Script,
}

pub struct Session {
  /// CLIENT ID: unique and increasing for the life of the process.
  pub id: u64,
  pub peer: Peer,
  pub db: usize,
  pub resp3: bool,
  pub name: Option<Vec<u8>>,
  pub lib_name: Option<Vec<u8>>,
  pub lib_ver: Option<Vec<u8>>,
  pub authenticated: bool,
  /// The ACL user the session runs as.
  pub user: crate::acl::UserId,
  /// ACLs do not apply: the master's stream and the AOF loader run whatever they carry (the
  /// sessions Redis gives no user).
  pub acl_exempt: bool,
  pub reply_mode: ReplyMode,
  pub no_evict: bool,
  pub no_touch: bool,
  pub monitor: bool,
  /// Set by QUIT and protocol errors: close once the pending replies are written.
  pub close_after_reply: bool,
  pub created_ms: i64,
  pub last_interaction_ms: i64,
  /// Full name of the last command run (CLIENT LIST `cmd`).
  pub last_command: &'static str,
  /// Bytes received but not yet executed: a partial request, or the requests after a command
  /// handed to the TypeScript side.
  pub(crate) input: Vec<u8>,
  pub(crate) parse: ParseState,
  /// Set while the session is blocked (see `blocking.rs`).
  pub wait: Option<crate::blocking::Wait>,
  /// Set while a CLIENT PAUSE holds the session's next command.
  pub parked: bool,
  /// The host runs a command of this session (`FeedOutput::pending`) until it resumes it.
  pub(crate) awaiting_host: bool,
  /// A command of this session that the engine ran again by itself (after a wait or a pause)
  /// and that needs the host: the host gets it when it resumes the session (see
  /// `Engine::rerun`).
  pub(crate) handed_over: Option<crate::server::Pending>,
  /// While the engine runs the session's input: its length (see `query_buffer_len`).
  pub(crate) reading: usize,
  /// The transaction being queued between MULTI and EXEC/DISCARD (see `cmd/transaction.rs`).
  /// Watched keys live in the engine's `watches`, since other sessions' writes touch them.
  pub multi: Option<Box<crate::cmd::transaction::Multi>>,
  /// Set while EXEC runs the queued commands: blocking commands must not block then.
  pub in_exec: bool,
  /// The session is a replica fed with the replication stream (see `repl`).
  pub replica: bool,
  /// The session is this server's master, sending the replication stream (see `repl::link`).
  pub master: bool,
  /// The session replays an append-only file (see `aof::load`).
  pub aof_loader: bool,
  /// The replication offset after the session's last command (what WAIT waits for).
  pub repl_offset: i64,
  /// The keys a MIGRATE without COPY is moving, as they were sent (see `cmd::keyspace::migrate`),
  /// until the host resumes the session.
  pub(crate) migrating: Vec<crate::cmd::keyspace::MigratingKey>,
  /// Channels, patterns and shard channels (see `pubsub.rs`).
  pub subscriptions: crate::pubsub::Subscriptions,
  /// Output produced for this session by other sessions' commands (see `output.rs`).
  pub(crate) held: crate::output::Held,
  /// CLIENT TRACKING settings, while tracking is on (see `tracking.rs`).
  pub tracking: Option<crate::tracking::ClientTracking>,
  /// What the session was last counted as in the clients' total, and in which of its epochs
  /// (see `client_eviction`).
  pub(crate) counted_memory: (u64, u64),
  /// Disconnected by client eviction: gone for other clients (CLIENT LIST, INFO) at once, as
  /// Redis frees it at once, while the host closes its socket.
  pub(crate) evicted: bool,
}

impl Session {
  pub fn new(id: u64, peer: Peer, now_ms: i64, authenticated: bool) -> Self {
    Session {
      id,
      peer,
      db: 0,
      resp3: false,
      name: None,
      lib_name: None,
      lib_ver: None,
      authenticated,
      user: crate::acl::DEFAULT_USER,
      acl_exempt: false,
      reply_mode: ReplyMode::On,
      no_evict: false,
      no_touch: false,
      migrating: Vec::new(),
      monitor: false,
      close_after_reply: false,
      created_ms: now_ms,
      last_interaction_ms: now_ms,
      last_command: "NULL",
      input: Vec::new(),
      parse: ParseState::default(),
      wait: None,
      parked: false,
      awaiting_host: false,
      handed_over: None,
      reading: 0,
      multi: None,
      in_exec: false,
      replica: false,
      master: false,
      aof_loader: false,
      repl_offset: 0,
      subscriptions: Default::default(),
      held: Default::default(),
      counted_memory: (0, 0),
      evicted: false,
      tracking: None,
    }
  }

  /// Who runs the session's current command.
  #[inline]
  pub fn caller(&self) -> Caller {
    if self.in_exec {
      Caller::Transaction
    } else {
      match self.peer.origin {
        Origin::Network => Caller::Network,
        Origin::Script => Caller::Script,
        Origin::Embedded | Origin::EmbeddedSubscriber => Caller::Embedded,
      }
    }
  }

  /// Whether the session's commands are obeyed, never refused: its master's stream, or an
  /// append-only file being loaded (Redis's `mustObeyClient`).
  #[inline]
  pub fn obeys(&self) -> bool {
    self.master || self.aof_loader
  }

  /// Whether the session is one end of a replication link (its master, a replica, or the AOF
  /// being loaded, which stands for one): no error reply is expected on it, and one is logged
  /// as critical (Redis's `afterErrorReply`).
  pub fn on_replication_link(&self) -> bool {
    self.obeys() || self.replica
  }

  /// Whether the session is a network connection.
  #[inline]
  pub fn is_network(&self) -> bool {
    self.peer.origin == Origin::Network
  }

  /// Redis's DENY BLOCKING: the current command must not wait for anything (a blocking command
  /// answers at once as if timed out), since its caller expects one reply now. Only a network
  /// client's own commands may wait (the embedded store's subscriber may, to subscribe), and
  /// never inside EXEC.
  pub fn deny_blocking(&self) -> bool {
    self.master || self.in_exec || (self.caller() != Caller::Network && self.peer.origin != Origin::EmbeddedSubscriber)
  }

  /// The `client-output-buffer-limit` class that limits this session's queued output.
  pub fn buffer_class(&self) -> crate::output::BufferClass {
    if self.replica {
      crate::output::BufferClass::Replica
    } else if self.subscriptions.total() > 0 {
      crate::output::BufferClass::PubSub
    } else {
      crate::output::BufferClass::Normal
    }
  }

  /// The session as a log line names it.
  pub fn describe(&self) -> String {
    let name = self.name.as_deref().map(String::from_utf8_lossy).unwrap_or_default();
    format!("id={} addr={} laddr={} fd={} name={}", self.id, self.peer.addr, self.peer.laddr, self.peer.fd, name)
  }

  /// Bytes the connection's buffers hold allocated: its queued output and its unread input
  /// (INFO's `mem_clients_normal`).
  pub fn memory(&self) -> usize {
    self.held.allocated() + self.input.capacity()
  }

  /// Bytes queued for the host and not yet written (see `output.rs`).
  pub fn held_output(&self) -> &crate::output::Held {
    &self.held
  }

  /// CLIENT LIST `qbuf`, as Redis counts it: while the session's input is being run, the whole
  /// of it (the command running included, as Redis trims its query buffer only after the loop);
  /// otherwise the bytes buffered but not yet executed.
  /// While a big bulk is arriving, only its payload counts: Redis moves such a payload to the
  /// start of its query buffer, past the request's header.
  pub fn query_buffer_len(&self) -> usize {
    if self.reading > 0 {
      self.reading
    } else {
      self.input.len() - self.parse.big_bulk_start().unwrap_or(0).min(self.input.len())
    }
  }
}
