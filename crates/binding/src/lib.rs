//! N-API binding for redwing: the only crate that knows about Node.
//!
//! It converts and forwards, nothing more. The hot path is `feed`: a socket read goes in as a
//! borrowed byte slice (no copy) and every reply to it comes back as one Buffer. Only the rare
//! cases — a command for the TypeScript side, a connection to close, bytes for other sessions —
//! return a `BindingFeedResult` object instead; the caller tells the two apart with
//! `Buffer.isBuffer`. Entry points catch panics, so a bug in the engine becomes a JavaScript
//! exception for one call instead of a crashed process.

mod reply;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use redwing_engine::cmd::table::{CommandSpec, Implementation};
use redwing_engine::{Engine, FeedOutput, Peer};

/// A command the engine hands to the TypeScript side.
#[napi(object)]
pub struct BindingPending {
  /// Lower-case command name (`shutdown`, or `parent|sub` for a subcommand).
  pub name: String,
  pub args: Vec<Buffer>,
}

/// Bytes for another session (a MONITOR feed).
#[napi(object)]
pub struct BindingOutbound {
  pub slot: u32,
  pub data: Buffer,
}

/// The rare-path result of `feed`/`resume`.
#[napi(object)]
pub struct BindingFeedResult {
  pub reply: Buffer,
  pub pending: Option<BindingPending>,
  /// Close this connection once `reply` is written.
  pub close: bool,
  pub outbound: Vec<BindingOutbound>,
  /// Other sessions to disconnect.
  pub kills: Vec<u32>,
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

/// Static facts about the host process shown by INFO.
#[napi(object)]
pub struct BindingHostInfo {
  pub tcp_port: i64,
  pub executable: String,
  pub config_file: String,
  pub run_id: String,
}

#[napi]
pub struct NativeEngine {
  engine: Engine,
}

#[napi]
impl NativeEngine {
  #[napi(constructor)]
  pub fn new() -> Self {
    NativeEngine { engine: Engine::default() }
  }

  /// Applies one configuration directive (`name`, then its arguments) at start-up; throws
  /// with Redis's message when the name or the value is invalid.
  #[napi(catch_unwind)]
  pub fn configure(&mut self, args: Vec<String>) -> Result<()> {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    redwing_engine::cmd::server::config::load_directive(&mut self.engine, &args)
      .map_err(|message| Error::new(Status::InvalidArg, message))
  }

  /// Reads a configuration value (as CONFIG GET would show it).
  #[napi]
  pub fn config_value(&self, name: String) -> Option<String> {
    redwing_engine::cmd::server::config::value_of(&self.engine, name.as_bytes())
  }

  #[napi]
  pub fn set_host_info(&mut self, info: BindingHostInfo) {
    self.engine.host = redwing_engine::HostInfo {
      tcp_port: info.tcp_port,
      executable: info.executable,
      config_file: info.config_file,
      run_id: info.run_id,
    };
  }

  /// Opens a session for a connection (or for the embedded API with `fd` = -1).
  #[napi]
  pub fn open(&mut self, addr: String, laddr: String, fd: i64) -> u32 {
    self.engine.open(Peer { addr, laddr, fd })
  }

  #[napi]
  pub fn close(&mut self, slot: u32) {
    self.engine.close(slot);
  }

  /// Runs every complete command in `chunk`; see the module comment for the result.
  #[napi(catch_unwind)]
  pub fn feed(&mut self, slot: u32, chunk: &[u8]) -> Either<Buffer, BindingFeedResult> {
    let output = self.engine.feed(slot, chunk);
    self.finish(output)
  }

  /// Continues a session's buffered commands after a pending command ran.
  #[napi(catch_unwind)]
  pub fn resume(&mut self, slot: u32) -> Either<Buffer, BindingFeedResult> {
    let output = self.engine.resume(slot);
    self.finish(output)
  }

  /// Runs one command for the embedded API and returns its reply as a JavaScript value
  /// (bulk strings as strings, or as Buffers when `buffers` is set; errors as Error objects).
  #[napi(catch_unwind)]
  pub fn call(&mut self, slot: u32, argv: Vec<Either<String, Buffer>>, buffers: bool) -> Result<reply::JsReply> {
    let args: Vec<&[u8]> = argv
      .iter()
      .map(|a| match a {
        Either::A(s) => s.as_bytes(),
        Either::B(b) => b.as_ref(),
      })
      .collect();
    let output = self.engine.call(slot, &args);
    if let Some(pending) = output.pending {
      return Err(Error::new(
        Status::GenericFailure,
        format!("{} is not available in the embedded store", pending.name.to_uppercase()),
      ));
    }
    Ok(reply::decode(&output.reply, buffers))
  }

  /// Runs a batch of commands in one crossing; returns one value per command.
  #[napi(catch_unwind)]
  pub fn call_many(&mut self, slot: u32, commands: Vec<Vec<Either<String, Buffer>>>, buffers: bool) -> Vec<reply::JsReply> {
    commands
      .iter()
      .map(|argv| {
        let args: Vec<&[u8]> = argv
          .iter()
          .map(|a| match a {
            Either::A(s) => s.as_bytes(),
            Either::B(b) => b.as_ref(),
          })
          .collect();
        let output = self.engine.call(slot, &args);
        match output.pending {
          Some(p) => reply::JsReply::Error(format!("ERR {} is not available in the embedded store", p.name.to_uppercase())),
          None => reply::decode(&output.reply, buffers),
        }
      })
      .collect()
  }

  /// Periodic work (active expiry, idle timeouts). Returns sessions to disconnect.
  #[napi(catch_unwind)]
  pub fn tick(&mut self) -> Vec<u32> {
    self.engine.tick();
    std::mem::take(&mut self.engine.kills)
  }

  /// The configured `hz` (ticks per second).
  #[napi]
  pub fn hz(&self) -> i64 {
    self.engine.config.hz
  }

  /// The compiled command table, for checking it against the TypeScript specs.
  #[napi]
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

  fn finish(&mut self, output: FeedOutput) -> Either<Buffer, BindingFeedResult> {
    let engine = &mut self.engine;
    if output.pending.is_none() && !output.close && engine.outbox.is_empty() && engine.kills.is_empty() {
      return Either::A(output.reply.into());
    }
    Either::B(BindingFeedResult {
      reply: output.reply.into(),
      pending: output.pending.map(|p| BindingPending {
        name: p.name.to_string(),
        args: p.args.into_iter().map(Buffer::from).collect(),
      }),
      close: output.close,
      outbound: engine.outbox.drain(..).map(|(slot, data)| BindingOutbound { slot, data: data.into() }).collect(),
      kills: std::mem::take(&mut engine.kills),
    })
  }
}

impl Default for NativeEngine {
  fn default() -> Self {
    Self::new()
  }
}

/// Splits a config-file line into arguments with the same quoting rules as inline commands;
/// `null` for unbalanced quotes.
#[napi]
pub fn split_args(line: String) -> Option<Vec<String>> {
  redwing_engine::resp::parse::split_args(line.as_bytes())
    .map(|args| args.into_iter().map(|a| String::from_utf8_lossy(&a).into_owned()).collect())
}

/// Does nothing: measures the bare cost of one N-API call.
#[napi]
pub fn noop() {}
