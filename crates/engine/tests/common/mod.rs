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
    let slot = engine.open(Peer { addr: "127.0.0.1:50000".into(), laddr: "127.0.0.1:6379".into(), fd: 8 });
    Client { engine, slot }
  }

  /// Opens a second connection on the same engine.
  pub fn other(&mut self) -> u32 {
    self.engine.open(Peer { addr: "127.0.0.1:50001".into(), laddr: "127.0.0.1:6379".into(), fd: 9 })
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

  /// Takes everything queued for other sessions (woken blocked clients, MONITOR lines), as
  /// `(slot, text)` in the order produced.
  pub fn take_outbox(&mut self) -> Vec<(u32, String)> {
    std::mem::take(&mut self.engine.outbox)
      .into_iter()
      .map(|(slot, bytes)| (slot, String::from_utf8_lossy(&bytes).into_owned()))
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
