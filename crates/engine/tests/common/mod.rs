//! Test harness: drives an `Engine` through `feed`, exactly as a socket would, and returns the
//! raw reply bytes, so every engine test is a byte-level RESP test without any networking.

#![allow(dead_code)]

use redwing_engine::{Engine, Peer};

pub struct Client {
  pub engine: Engine,
  pub slot: u32,
}

impl Client {
  pub fn new() -> Self {
    let mut engine = Engine::default();
    let slot = engine.open(Peer {
      addr: "127.0.0.1:50000".into(),
      laddr: "127.0.0.1:6379".into(),
      fd: 8,
      origin: redwing_engine::Origin::Network,
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
