//! Running a script: the caller's command (EVAL, FCALL) hands the script its keys and
//! arguments, and every `redis.call` runs a command as the script's own client.
//!
//! A script is one more caller of commands (`Caller::Script`): it has a session of its own
//! (its selected database starts as the caller's; its protocol is RESP2 until
//! `redis.setresp(3)`), never blocks, and its commands go through the dispatcher's script path
//! (`cmd::call_from_script`), which refuses what Redis refuses from scripts before running the
//! command as usual. Keys are looked up as of the script's start, so none expires half-way.
//! The commands' writes join the caller's execution unit, so a script's effects replay as one
//! MULTI/EXEC unit; the caller itself is not propagated. The signals they raised (keys made
//! ready, invalidations) are settled by the engine once the caller's command ends.
//!
//! While the script runs, [`Run`] is reachable from the `redis.*` functions (see `vm.rs`) and
//! from the Lua count hook, which watches the busy threshold (see `script::busy`).

use super::convert::{self, error_info, push_error_table, write_value};
use super::vm::{number_argument, push_counted_error};
use crate::cmd::Ctx;
use crate::resp::Reply;
use crate::session::Session;
use crate::signal::Targets;
use redwing_lua::ffi::*;
use redwing_lua::to_bytes;
use std::ffi::c_int;

/// The script being run.
pub(crate) struct Run {
  /// The caller's command context (EVAL's or FCALL's).
  pub(crate) caller: *mut Ctx<'static>,
  /// The script's own session.
  session: *mut Session,
  /// How errors name the script: its SHA1 digest, or the function's name.
  pub(crate) name: Vec<u8>,
  /// Run by EVAL (rather than FCALL): SCRIPT KILL, not FUNCTION KILL, stops it.
  pub(crate) eval: bool,
  /// Writes are refused (`*_RO` commands, `no-writes` scripts).
  read_only: bool,
  /// The script declared `allow-oom`.
  allow_oom: bool,
  /// A command that writes ran: the script can no longer be killed.
  pub(crate) wrote: bool,
  /// Where its writes are propagated (`redis.set_repl`).
  propagate_to: Targets,
  /// When the script started (Unix ms): keys are looked up as of this time.
  snapshot_ms: i64,
  pub(crate) started: std::time::Instant,
  /// SCRIPT KILL or FUNCTION KILL asked the script to stop.
  pub(crate) killed: bool,
  /// The arguments of the command that runs the script (FUNCTION STATS shows them).
  command: *const [&'static [u8]],
  /// The script ran past the busy threshold.
  pub(crate) timed_out: bool,
}

/// What kind of script runs, for [`run`].
pub(crate) struct Target {
  /// Registry reference of the compiled function.
  pub(crate) function: c_int,
  pub(crate) name: Vec<u8>,
  pub(crate) eval: bool,
  pub(crate) read_only: bool,
  pub(crate) allow_oom: bool,
}

impl Run {
  /// Whether the script's user may run `spec` with `argv` (`redis.acl_check_cmd`).
  pub(crate) fn acl_allows(&self, spec: &crate::cmd::table::CommandSpec, argv: &[&[u8]]) -> bool {
    // SAFETY: `caller` and `session` point at the running command's context and the script's
    // session for as long as the script runs, which is when the Lua library can call this.
    let (ctx, session) = unsafe { (&*self.caller, &*self.session) };
    session.acl_exempt || ctx.server.acl.check(session.user, spec, argv).is_ok()
  }

  /// `redis.call`/`redis.pcall` with the arguments on the Lua stack: runs the command and
  /// pushes its reply. Returns whether that reply is an error. Everything this owns is dropped
  /// before it returns.
  ///
  /// # Safety
  /// Called from a `redis.*` C function while this script runs.
  pub(crate) unsafe fn call(&mut self, L: *mut lua_State) -> bool {
    // SAFETY (whole body): `L` is the script's state; `caller` and `session` stay valid for the
    // whole run, and nothing else uses them while Lua runs.
    unsafe {
      let argc = lua_gettop(L);
      if argc == 0 {
        push_error_table(L, b"Please specify at least one argument for this redis lib call");
        return true;
      }
      let mut bytes = Vec::with_capacity(64);
      let mut ends = Vec::with_capacity(argc as usize);
      for index in 1..=argc {
        match lua_type(L, index) {
          LUA_TNUMBER => number_argument(lua_tonumber(L, index), &mut bytes),
          LUA_TSTRING => bytes.extend_from_slice(to_bytes(L, index).unwrap_or_default()),
          _ => {
            lua_settop(L, 0);
            push_error_table(L, b"Lua redis lib command arguments must be strings or integers");
            return true;
          }
        }
        ends.push(bytes.len());
      }
      lua_settop(L, 0);
      let mut start = 0;
      let argv: Vec<&[u8]> = ends
        .iter()
        .map(|&end| {
          let arg = &bytes[start..end];
          start = end;
          arg
        })
        .collect();
      let ctx = &mut *self.caller;
      let session = &mut *self.session;
      let mut out = Reply::with_capacity(session.resp3, 64);
      let ops_before = ctx.server.running.propagation.ops.len();
      let limits = crate::cmd::ScriptLimits {
        snapshot_ms: self.snapshot_ms,
        read_only: self.read_only,
        allow_oom: self.allow_oom,
        wrote: self.wrote,
      };
      // A panic must not reach the Lua C function this runs under, which cannot unwind (the
      // process would abort): it becomes the command's error, logged as any internal error.
      let server = &mut *ctx.server;
      let called = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::cmd::call_from_script(server, session, &argv, &mut out, limits)
      }))
      .unwrap_or_else(|panic| {
        let reason = crate::engine::panic_reason(&*panic);
        let name = String::from_utf8_lossy(argv[0]).into_owned();
        ctx.server.telemetry.log_lines.push(format!("Internal error running '{name}' from a script: {reason}"));
        Err("internal error".into())
      });
      match called {
        Err(message) => {
          push_counted_error(L, message.as_bytes());
          true
        }
        Ok(wrote) => {
          self.wrote |= wrote;
          let ops = &mut ctx.server.running.propagation.ops;
          if self.propagate_to == Targets::NONE {
            ops.truncate(ops_before);
          } else {
            for op in &mut ops[ops_before..] {
              op.to = self.propagate_to;
            }
          }
          // Every command writes a reply; were one to write none, converting it would
          // panic where Lua cannot unwind and abort the process: it is an error instead.
          if out.buf.is_empty() {
            push_counted_error(L, b"the command gave no reply");
            return true;
          }
          convert::push_reply(L, &out.buf);
          out.buf.first() == Some(&b'-')
        }
      }
    }
  }

  /// The arguments of the command that runs the script.
  pub(crate) fn command(&self) -> Vec<Vec<u8>> {
    // SAFETY: the caller's arguments outlive the run, and this is called during it.
    unsafe { (*self.command).iter().map(|arg| arg.to_vec()).collect() }
  }

  pub(crate) fn set_resp3(&mut self, resp3: bool) {
    // SAFETY: the session is valid for the whole run.
    unsafe { (*self.session).resp3 = resp3 }
  }

  pub(crate) fn set_replication(&mut self, to: Targets) {
    self.propagate_to = to;
  }
}

/// Runs a compiled script for the command in `ctx`, writing its result (or error) to the
/// caller's reply. For EVAL, `keys` and `args` become the globals KEYS and ARGV; for a
/// function, its two arguments.
// The pointer casts below erase lifetimes (the pointers live only while the script runs),
// which clippy takes for casts to the same type.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn run(ctx: &mut Ctx, target: Target, command: &[&[u8]], keys: &[&[u8]], args: &[&[u8]]) {
  let scripting = &mut ctx.server.scripting;
  let vm = if target.eval { &scripting.vm } else { &scripting.functions.vm };
  let L = vm.L;
  let shared: *const super::vm::Shared = &*vm.shared;
  let error_handler = vm.error_handler;
  let mut session = scripting.session.take().unwrap_or_else(super::script_session);
  session.db = ctx.session.db;
  session.resp3 = false;
  // The script's commands run as the caller's user.
  session.user = ctx.session.user;
  session.acl_exempt = ctx.session.acl_exempt;
  let busy_ms = ctx.server.config.busy_reply_threshold;
  let mut run = Run {
    caller: std::ptr::null_mut(),
    session: &mut *session,
    name: target.name,
    eval: target.eval,
    read_only: target.read_only,
    allow_oom: target.allow_oom,
    wrote: false,
    propagate_to: Targets::ALL,
    snapshot_ms: ctx.now_ms,
    started: std::time::Instant::now(),
    command: command as *const [&[u8]] as *const [&'static [u8]],
    killed: false,
    timed_out: false,
  };
  let pushes = std::mem::take(&mut ctx.server.running.pushes);
  ctx.server.running.script_caller = Some(crate::server::ScriptCaller {
    slot: ctx.slot,
    session: &mut *ctx.session,
    out: &mut *ctx.out,
    keys: keys as *const [&[u8]] as *const [&'static [u8]],
  });
  run.caller = ctx as *mut Ctx<'_> as *mut Ctx<'static>;
  // SAFETY: `L` is the scripting state; `run` and `session` outlive the call below, and the
  // `redis.*` functions reach them only while `shared.run` points at `run`. `ctx` is not used
  // until the call returns.
  let status = unsafe {
    (*shared).run.set(&mut run);
    if busy_ms > 0 {
      lua_sethook(L, Some(super::busy::count_hook), LUA_MASKCOUNT, 100_000);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, error_handler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, target.function);
    push_array(L, keys);
    if target.eval {
      set_global(L, c"KEYS");
      push_array(L, args);
      set_global(L, c"ARGV");
      lua_pcall(L, 0, 1, -2)
    } else {
      push_array(L, args);
      lua_pcall(L, 2, 1, -4)
    }
  };
  let scripting = &mut ctx.server.scripting;
  scripting.calls += 1;
  // SAFETY: the state is live; the script's result (or error) is on the top, the error
  // handler below it.
  unsafe {
    if scripting.calls.is_multiple_of(50) {
      lua_gc(L, LUA_GCSTEP, 50);
    }
    if status != 0 {
      let info = error_info(L);
      let mut message = info.message;
      if let (Some(source), Some(line)) = (&info.source, &info.line) {
        message.extend_from_slice(b" script: ");
        message.extend_from_slice(&run.name);
        message.extend_from_slice(b", on ");
        message.extend_from_slice(source);
        message.push(b':');
        message.extend_from_slice(line);
        message.push(b'.');
      }
      convert::write_error_line(ctx.out, &message);
      let stats = &mut ctx.server.telemetry.stats;
      if info.counted {
        stats.failed_uncounted = true;
      } else {
        stats.count_error(&String::from_utf8_lossy(&message));
      }
      lua_pop(L, 1);
    } else if let Some((message, counted)) = write_value(L, ctx.out, session.resp3) {
      let stats = &mut ctx.server.telemetry.stats;
      if counted {
        stats.failed_uncounted = true;
      } else {
        stats.count_error(&String::from_utf8_lossy(&message));
      }
    }
    if busy_ms > 0 {
      lua_sethook(L, None, 0, 0);
    }
    (*shared).run.set(std::ptr::null_mut());
    lua_pop(L, 1);
  }
  ctx.server.running.script_caller = None;
  super::busy::finished(ctx, &run);
  ctx.server.scripting.session = Some(session);
  ctx.server.running.pushes = pushes;
  super::flush_log(ctx.server);
  // The script's commands were propagated; the command that ran it is not.
  ctx.server.running.propagation.prevent = true;
}

/// Pushes `items` as a Lua array.
unsafe fn push_array(L: *mut lua_State, items: &[&[u8]]) {
  // SAFETY: `L` is live.
  unsafe {
    lua_checkstack(L, 3);
    lua_createtable(L, items.len() as c_int, 0);
    for (index, item) in items.iter().enumerate() {
      redwing_lua::push_bytes(L, item);
      lua_rawseti(L, -2, index as c_int + 1);
    }
  }
}

/// Sets the global `name` to the value on the top of the stack (popping it), through the
/// read-only lock of the globals.
unsafe fn set_global(L: *mut lua_State, name: &std::ffi::CStr) {
  // SAFETY: `L` is live; the globals table has no `__newindex`, so this raw set cannot raise.
  unsafe {
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 0);
    lua_setfield(L, LUA_GLOBALSINDEX, name.as_ptr());
    lua_enablereadonlytable(L, LUA_GLOBALSINDEX, 1);
  }
}
