//! Test harness: drives an `Engine` through `feed`, exactly as a socket would, and returns the
//! raw reply bytes, so every engine test is a byte-level RESP test without any networking.

#![allow(dead_code)]

use redwing_engine::{Engine, Peer};

pub struct Client {
  pub engine: Engine,
  pub slot: u32,
}

impl Client {
  /// A client of a new engine with Redis's defaults, except that there are no `save` rules (as
  /// in an embedded store without files): FLUSHALL would otherwise save into the working
  /// directory. Tests of saving set their own rules and `dir`.
  pub fn new() -> Self {
    let mut engine = Engine::default();
    redwing_engine::cmd::server::config::load_directive(&mut engine, &[b"save", b""]).expect("save rules cleared");
    Client::with_engine(engine)
  }

  /// A client of `engine`, configured as the test needs.
  pub fn with_engine(mut engine: Engine) -> Self {
    let slot = engine.open(Peer {
      addr: "127.0.0.1:50000".into(),
      laddr: "127.0.0.1:6379".into(),
      fd: 8,
      origin: redwing_engine::Origin::Network,
      unix: false,
    });
    Client { engine, slot }
  }

  /// Opens a second connection on the same engine.
  pub fn other(&mut self) -> u32 {
    self.engine.open(Peer {
      addr: "127.0.0.1:50001".into(),
      laddr: "127.0.0.1:6379".into(),
      fd: 9,
      origin: redwing_engine::Origin::Network,
      unix: false,
    })
  }

  /// Sends raw bytes; returns every reply produced, as bytes.
  pub fn raw(&mut self, bytes: &[u8]) -> Vec<u8> {
    self.engine.feed(self.slot, bytes).reply
  }

  /// Sends one command (multibulk-encoded) and returns its reply as text.
  pub fn cmd(&mut self, args: &[&str]) -> String {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    self.cmd_bytes(&args)
  }

  /// Sends one command as the session in `slot`; returns its immediate reply as text.
  pub fn send_as(&mut self, slot: u32, args: &[&str]) -> String {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    String::from_utf8_lossy(&self.engine.feed(slot, &encode(&args)).reply).into_owned()
  }

  /// Takes everything queued for other sessions (woken blocked clients, MONITOR lines,
  /// messages), as `(slot, text)`, one entry per session in the order they first got output.
  pub fn take_outbox(&mut self) -> Vec<(u32, String)> {
    let (bytes, routes) = self.engine.take_outbound();
    let mut at = 0;
    routes
      .chunks(2)
      .map(|route| {
        let (slot, len) = (route[0], route[1] as usize);
        let text = String::from_utf8_lossy(&bytes[at..at + len]).into_owned();
        at += len;
        (slot, text)
      })
      .collect()
  }

  /// Enables every keyspace notification class (`KEA` plus `n` and `m` when `all`) and opens a
  /// session subscribed to all of them; read what it received with [`Client::events`].
  pub fn listen_events(&mut self, classes: &str) -> u32 {
    assert_eq!(self.cmd(&["CONFIG", "SET", "notify-keyspace-events", classes]), "+OK\r\n");
    let listener = self.other();
    self.send_as(listener, &["PSUBSCRIBE", "__key*__:*"]);
    listener
  }

  /// The notifications `listener` received since the last call, as `channel message` lines.
  pub fn events(&mut self, listener: u32) -> Vec<String> {
    let mut lines = Vec::new();
    for (slot, text) in self.take_outbox() {
      if slot != listener {
        continue;
      }
      let items = bulk_strings(text.as_bytes());
      for message in items.chunks(4) {
        assert_eq!(message[0], "pmessage", "{text}");
        lines.push(format!("{} {}", message[2], message[3]));
      }
    }
    lines
  }

  /// Records the write stream from now on (see `Engine::record_writes`).
  pub fn record_writes(&mut self) {
    self.engine.record_writes();
  }

  /// The writes propagated since the last call, one line per command: `db: ARG ARG …`.
  pub fn writes(&mut self) -> Vec<String> {
    self
      .engine
      .take_writes()
      .into_iter()
      .map(|w| {
        let args: Vec<String> = w.argv.iter().map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        format!("{}: {}", w.db, args.join(" "))
      })
      .collect()
  }

  pub fn cmd_bytes(&mut self, args: &[&[u8]]) -> String {
    String::from_utf8_lossy(&self.raw(&encode(args))).into_owned()
  }

  /// Listens to the event `classes` (see [`Client::listen_events`]) and records the write
  /// stream from now on: the returned listener and the stream both start empty.
  pub fn observe(&mut self, classes: &str) -> u32 {
    let listener = self.listen_events(classes);
    self.record_writes();
    listener
  }
}

/// The reply to a command run against a key holding another type.
pub const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

/// Both notifications (keyspace, then keyevent) of the event `name` on `key` in database `db`,
/// as [`Client::events`] lists them.
pub fn event(db: usize, name: &str, key: &str) -> [String; 2] {
  [format!("__keyspace@{db}__:{key} {name}"), format!("__keyevent@{db}__:{name} {key}")]
}

/// The notifications of each `(key, event)` in database 0, in order.
pub fn events(expected: &[(&str, &str)]) -> Vec<String> {
  expected.iter().flat_map(|&(key, name)| event(0, name, key)).collect()
}

/// Write-stream lines for database 0, as [`Client::writes`] lists them.
pub fn writes(expected: &[&str]) -> Vec<String> {
  expected.iter().map(|line| format!("0: {line}")).collect()
}

/// A new client listening to the event `classes` and recording the write stream (see
/// [`Client::observe`]).
pub fn observed(classes: &str) -> (Client, u32) {
  let mut c = Client::new();
  let listener = c.observe(classes);
  (c, listener)
}

/// Forgets the events `listener` received and the writes recorded so far.
pub fn drain(c: &mut Client, listener: u32) {
  c.events(listener);
  c.writes();
}

/// Runs setup commands, forgetting their events and writes.
pub fn setup(c: &mut Client, listener: u32, commands: &[&[&str]]) {
  for command in commands {
    c.cmd(command);
  }
  drain(c, listener);
}

/// Runs `command` and checks its reply, the events it sent (in database 0), what it wrote to
/// the stream and how many changes it counted.
pub fn check(
  c: &mut Client,
  listener: u32,
  command: &[&str],
  reply: &str,
  sent: &[(&str, &str)],
  wrote: &[&str],
  dirty: u64,
) {
  let before = c.engine.keyspace.dirty;
  assert_eq!(c.cmd(command), reply, "{command:?}");
  assert_eq!(c.events(listener), events(sent), "events of {command:?}");
  assert_eq!(c.writes(), writes(wrote), "writes of {command:?}");
  assert_eq!(c.engine.keyspace.dirty - before, dirty, "changes counted by {command:?}");
}

/// WATCHes `key`, has another session run `command`, then runs a transaction: whether EXEC
/// went through (the key was not reported modified).
pub fn watch_survives(c: &mut Client, key: &str, command: &[&str]) -> bool {
  let other = c.other();
  watch_survives_as(c, other, key, command)
}

/// [`watch_survives`] with `command` run by the session `other` (opened, and perhaps moved to
/// another database, by the caller).
pub fn watch_survives_as(c: &mut Client, other: u32, key: &str, command: &[&str]) -> bool {
  assert_eq!(c.cmd(&["WATCH", key]), "+OK\r\n");
  c.send_as(other, command);
  assert_eq!(c.cmd(&["MULTI"]), "+OK\r\n");
  assert_eq!(c.cmd(&["PING"]), "+QUEUED\r\n");
  match c.cmd(&["EXEC"]).as_str() {
    "*1\r\n+PONG\r\n" => true,
    "*-1\r\n" => false,
    other => panic!("unexpected EXEC reply {other:?}"),
  }
}

/// Multibulk encoding of one command.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
  let mut out = format!("*{}\r\n", args.len()).into_bytes();
  for arg in args {
    out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
    out.extend_from_slice(arg);
    out.extend_from_slice(b"\r\n");
  }
  out
}

/// The bulk strings of a sequence of RESP2 arrays of bulk strings and integers, in order
/// (array headers skipped, integers as text).
pub fn bulk_strings(mut bytes: &[u8]) -> Vec<String> {
  let mut items = Vec::new();
  while !bytes.is_empty() {
    let end = bytes.windows(2).position(|w| w == b"\r\n").expect("a complete line");
    let line = &bytes[..end];
    bytes = &bytes[end + 2..];
    match line[0] {
      b'*' | b'>' => {}
      b':' => items.push(String::from_utf8_lossy(&line[1..]).into_owned()),
      b'$' => {
        let len: usize = std::str::from_utf8(&line[1..]).unwrap().parse().unwrap();
        items.push(String::from_utf8_lossy(&bytes[..len]).into_owned());
        bytes = &bytes[len + 2..];
      }
      other => panic!("unexpected RESP type {}", other as char),
    }
  }
  items
}

/// Bytes the engine queued for `slot` outside its replies (a replica's stream and file, a
/// replica's acknowledgements), after flushing the replicas' stream.
pub fn outbound_for(c: &mut Client, slot: u32) -> Vec<u8> {
  c.engine.flush_replicas();
  let (bytes, routes) = c.engine.take_outbound();
  let mut out = Vec::new();
  let mut at = 0;
  for route in routes.chunks(2) {
    let len = route[1] as usize;
    if route[0] == slot {
      out.extend_from_slice(&bytes[at..at + len]);
    }
    at += len;
  }
  out
}

/// Runs a full resynchronisation for the replica in `slot` (its SYNC or PSYNC command), with
/// no delay before the snapshot, which is driven to its end. Returns what the replica received.
pub fn full_sync(c: &mut Client, slot: u32, command: &[&str]) -> Vec<u8> {
  c.cmd(&["CONFIG", "SET", "repl-diskless-sync-delay", "0"]);
  let args: Vec<&[u8]> = command.iter().map(|a| a.as_bytes()).collect();
  let mut received = c.engine.feed(slot, &encode(&args)).reply;
  c.engine.tick();
  while c.engine.snapshot_step() != redwing_engine::SnapshotState::Idle {}
  received.extend(outbound_for(c, slot));
  received
}

/// The value of field `name` in INFO `section`.
pub fn info_field(c: &mut Client, section: &str, name: &str) -> String {
  let info = c.cmd(&["INFO", section]);
  let start = info.find(&format!("\r\n{name}:")).map(|at| at + name.len() + 3).expect(name);
  info[start..].split("\r\n").next().unwrap().to_string()
}
