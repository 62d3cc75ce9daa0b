//! Scripts that run too long.
//!
//! The engine runs inside one call from the host, so while a script runs nothing else does.
//! Lua calls [`count_hook`] every 100,000 instructions. Past `busy-reply-threshold` the
//! script is *busy*, as Redis's `scriptInterrupt` makes it: the warning is logged,
//! `Scripting::busy` tells SCRIPT KILL and FUNCTION KILL what runs, and from then on each
//! hook call lets the host serve the other clients once ([`BusyHost`]). The host reads what
//! their sockets hold and hands it to [`BusyClients::serve`], which parses and dispatches it
//! as usual; the dispatcher refuses every command without the `allow_busy` flag with
//! `-BUSY` (see `cmd::dispatch`), and SHUTDOWN NOSAVE asks the host to end the process.
//! SCRIPT KILL marks the script killed; the hook then raises an error the script cannot
//! catch: it re-arms itself to run on every line, so a `pcall` that swallowed the error is
//! interrupted again at the next line.
//!
//! The session whose command runs the script is out of the session table for the whole run,
//! so it is never served meanwhile and its connection stays open until the script ends (Redis
//! "protects" it); afterwards every session is served as usual again.

use super::run::Run;
use crate::cmd::{self, Ctx, Flow};
use crate::error::{CmdResult, Error};
use crate::resp::{ParseLimits, Parsed, Reply};
use crate::server::{now_us, Server};
use crate::session::Session;
use redwing_lua::ffi::*;

/// What SCRIPT KILL and FUNCTION KILL see of the busy script.
pub(crate) struct Busy {
  /// Run by EVAL (rather than FCALL).
  pub(crate) eval: bool,
  /// It ran a write command: it cannot be killed.
  pub(crate) wrote: bool,
  /// SCRIPT KILL or FUNCTION KILL asked it to stop.
  pub(crate) killed: bool,
  /// Its SHA1 digest or function name, the command that runs it and when it started (FUNCTION
  /// STATS).
  pub(crate) name: Vec<u8>,
  pub(crate) command: Vec<Vec<u8>>,
  pub(crate) started: std::time::Instant,
}

/// Redis's reply to commands refused while an EVAL script is busy.
const BUSY_EVAL: &str = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
/// The same while a function is busy.
const BUSY_FUNCTION: &str = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

/// The error a busy script's kind gives the commands it refuses.
pub(crate) fn busy_error(eval: bool) -> Error {
  Error::coded(if eval { BUSY_EVAL } else { BUSY_FUNCTION })
}

/// The host side of a busy script: serves the other clients while the engine is inside a
/// script. Installed with [`crate::Engine::set_busy_host`]; without one, nobody is served.
pub trait BusyHost {
  /// Called on every hook call while a script is busy: reads what the clients sent and hands
  /// it to `clients`, writing back the replies. Must not wait.
  fn serve(&mut self, clients: &mut BusyClients<'_>);
}

/// A network session, as [`BusyHost::serve`] sees it.
pub struct BusyClient {
  pub slot: u32,
  /// CLIENT ID: of two sessions with the same `fd`, the higher one is the socket's owner now.
  pub id: u64,
  pub fd: i64,
  /// Nothing of its own waits ahead of what it sends next (no buffered or pending command,
  /// not blocked or paused, no output held or queued, not closing): it may be served now.
  pub idle: bool,
}

/// What serving a client produced.
pub struct Served {
  /// Replies for the client, to write now.
  pub reply: Vec<u8>,
  /// SHUTDOWN NOSAVE: the host ends the process (Redis replies nothing).
  pub shutdown: bool,
}

/// The sessions a [`BusyHost`] may serve, and the restricted path that serves them.
pub struct BusyClients<'a> {
  server: &'a mut Server,
}

impl BusyClients<'_> {
  /// Every network session with a socket.
  pub fn clients(&self) -> Vec<BusyClient> {
    let clients = &self.server.clients;
    clients
      .sessions()
      .filter(|(_, session)| session.is_network() && session.peer.fd >= 0)
      .map(|(slot, session)| BusyClient { slot, id: session.id, fd: session.peer.fd, idle: is_idle(session) })
      .collect()
  }

  /// Runs what the session in `slot` sent (`bytes`, appended to its input). A session that
  /// is not idle (see [`BusyClient::idle`]) only keeps the bytes for later.
  pub fn serve(&mut self, slot: u32, bytes: &[u8]) -> Served {
    let mut served = Served { reply: Vec::new(), shutdown: false };
    let Some(mut session) = self.server.clients.take(slot) else { return served };
    self.server.telemetry.stats.net_input_bytes += bytes.len() as u64;
    session.input.extend_from_slice(bytes);
    if is_idle_but_for_input(&session) {
      // The script's own state of the running command is set aside while others run theirs.
      let script_running = std::mem::take(&mut self.server.running);
      let mut out = Reply::with_capacity(session.resp3, 64);
      let guarded = std::panic::AssertUnwindSafe(|| run_input(self.server, slot, &mut session, &mut out));
      match std::panic::catch_unwind(guarded) {
        Ok(shutdown) => served.shutdown = shutdown,
        Err(_) => {
          session.input.clear();
          session.close_after_reply = true;
          out.error(b"ERR internal error");
        }
      }
      self.server.running = script_running;
      if session.close_after_reply {
        self.server.clients.kills.push(slot);
      }
      self.server.telemetry.stats.net_output_bytes += out.buf.len() as u64;
      served.reply = out.buf;
    }
    self.server.clients.put_back(slot, session);
    served
  }

  /// Takes the lines queued for the server log (the host writes them before ending the
  /// process on SHUTDOWN NOSAVE; otherwise they reach the log after the script).
  pub fn take_log_lines(&mut self) -> Vec<String> {
    std::mem::take(&mut self.server.telemetry.log_lines)
  }

  /// Queues `bytes` for the session in `slot` to be sent by the host's usual path once the
  /// engine returns: the part of a reply its socket did not take. The session is no longer
  /// idle until then, so nothing overtakes them.
  pub fn queue(&mut self, slot: u32, bytes: &[u8]) {
    self.server.send(slot, |out| out.raw(bytes));
  }
}

fn is_idle(session: &Session) -> bool {
  session.input.is_empty() && is_idle_but_for_input(session)
}

fn is_idle_but_for_input(session: &Session) -> bool {
  session.wait.is_none()
    && !session.parked
    && !session.awaiting_host
    && !session.close_after_reply
    && !session.held.congested
    && session.held.bytes.is_empty()
}

/// Runs the complete commands of the session's input, as the engine's loop does. Returns
/// whether SHUTDOWN NOSAVE ran.
fn run_input(server: &mut Server, slot: u32, session: &mut Session, out: &mut Reply) -> bool {
  let input = std::mem::take(&mut session.input);
  let mut at = 0;
  let mut shutdown = false;
  while at < input.len() && !session.close_after_reply && !shutdown {
    let limits =
      ParseLimits { max_bulk_len: server.config.proto_max_bulk_len, unauthenticated: !session.authenticated };
    match session.parse.parse(&input[at..], limits) {
      Ok(Parsed::Incomplete) => break,
      Ok(Parsed::Empty { consumed }) => at += consumed,
      Ok(Parsed::Command { consumed }) => {
        let args = session.parse.take_args();
        let flow = args.with_argv(&input[at..], |argv| {
          let now_us = now_us();
          server.clock_us = now_us;
          let mut ctx =
            Ctx { server: &mut *server, session: &mut *session, slot, out, now_us, now_ms: now_us / 1000, block: None };
          cmd::dispatch(&mut ctx, argv)
        });
        session.parse.recycle(args);
        match flow {
          Flow::Block(request) => {
            server.block(slot, session, request);
            break;
          }
          // A CLIENT PAUSE holds the command: it stays in the input until the pause ends.
          Flow::Park => {
            server.blocking.park(slot, session);
            break;
          }
          // SHUTDOWN NOSAVE is the one command handed over to the host that runs while busy.
          Flow::Pending(_) => shutdown = true,
          Flow::Done => {}
        }
        at += consumed;
      }
      Err(error) => {
        out.error(format!("ERR {}", error.0).as_bytes());
        server.telemetry.stats.count_error("ERR");
        session.parse = Default::default();
        session.close_after_reply = true;
        at = input.len();
      }
    }
  }
  session.input = input[at..].to_vec();
  shutdown
}

/// The Lua count hook of a running script (see the module comment).
///
/// # Safety
/// Installed by `script::run` on the scripting state, while a script runs.
pub(crate) unsafe extern "C" fn count_hook(L: *mut lua_State, _ar: *mut lua_Debug) {
  // SAFETY: `L` is the scripting state; `running` is the script's `Run` for as long as the
  // script runs. The Rust work happens in `interrupt`, whose values are all dropped (and any
  // panic caught) before the error is raised, so the jump skips no destructor.
  unsafe {
    let run = super::vm::running(L);
    if run.is_null() {
      return;
    }
    let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| interrupt(&mut *run))).unwrap_or(false);
    if killed {
      lua_sethook(L, Some(count_hook), LUA_MASKLINE, 0);
      super::convert::push_error_table(L, b"Script killed by user with SCRIPT KILL...");
      lua_error(L);
    }
  }
}

/// The hook's work: makes the script busy once past the threshold, then serves the other
/// clients. Returns whether the script was killed.
fn interrupt(run: &mut Run) -> bool {
  if run.killed {
    return true;
  }
  // SAFETY: the caller's context is not used by anything else while the script runs.
  let server = unsafe { &mut *(*run.caller).server as &mut Server };
  if !run.timed_out {
    let elapsed = run.started.elapsed().as_millis();
    if elapsed < server.config.busy_reply_threshold.max(0) as u128 {
      return false;
    }
    let kill_command = if run.eval { "SCRIPT KILL" } else { "FUNCTION KILL" };
    server.telemetry.log_lines.push(format!(
      "Slow script detected: still in execution after {elapsed} milliseconds. You can try killing the script using \
       the {kill_command} command. Script name is: {}.",
      String::from_utf8_lossy(&run.name)
    ));
    run.timed_out = true;
    server.scripting.busy = Some(Busy {
      eval: run.eval,
      wrote: run.wrote,
      killed: false,
      name: run.name.clone(),
      command: run.command(),
      started: run.started,
    });
  }
  if let Some(busy) = server.scripting.busy.as_mut() {
    busy.wrote = run.wrote;
  }
  if let Some(mut host) = server.busy_host.take() {
    host.serve(&mut BusyClients { server: &mut *server });
    server.busy_host = Some(host);
  }
  run.killed = server.scripting.busy.as_ref().is_some_and(|busy| busy.killed);
  if run.killed {
    server.telemetry.log_lines.push("Lua script killed by user with SCRIPT KILL.".into());
  }
  run.killed
}

/// After a script: leaves the busy state.
pub(crate) fn finished(ctx: &mut Ctx, _run: &Run) {
  ctx.server.scripting.busy = None;
}

/// SCRIPT KILL (`eval`) and FUNCTION KILL.
pub(crate) fn kill(ctx: &mut Ctx, eval: bool) -> CmdResult {
  let Some(busy) = ctx.server.scripting.busy.as_mut() else {
    return Err(Error::coded("NOTBUSY No scripts in execution right now."));
  };
  if busy.wrote {
    return Err(Error::coded(
      "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the \
       script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
    ));
  }
  if eval != busy.eval {
    return Err(busy_error(busy.eval));
  }
  busy.killed = true;
  ctx.out.ok();
  Ok(())
}
