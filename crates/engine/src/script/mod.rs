//! Lua scripting: EVAL's script cache, and the Lua state scripts run in.
//!
//! Scripts run on Lua 5.1 (the `redwing-lua` crate) in the environment Redis 7.0 gives them
//! (`vm.rs`): the `redis` API, `cjson`, `cmsgpack`, `bit` and `struct`, a read-only global
//! table. A script is compiled once, when first seen by EVAL or SCRIPT LOAD, into a function
//! kept in the Lua registry and found by the SHA1 digest of its source; EVALSHA runs it by
//! that digest. Running one (`run.rs`) makes it one more caller of the engine's commands;
//! values cross between Lua and RESP by Redis's rules (`convert.rs`). A script that runs past
//! the busy threshold lets the host answer other clients (`busy.rs`).

#![allow(non_snake_case)] // `L`, the Lua state, as the Lua C API names it.

pub(crate) mod busy;
pub(crate) mod convert;
pub(crate) mod functions;
pub(crate) mod run;
pub(crate) mod vm;

use crate::server::Server;
use crate::session::{Origin, Peer, Session};
use redwing_lua::ffi::*;
use std::collections::HashMap;
use std::ffi::c_int;

/// Flags a script declares in its `#!lua flags=…` line.
#[derive(Clone, Copy, Default)]
pub(crate) struct ScriptFlags {
  /// No shebang: the script runs as before Redis 7 (no flag checks).
  pub(crate) compat: bool,
  pub(crate) no_writes: bool,
  pub(crate) allow_oom: bool,
  pub(crate) allow_stale: bool,
  pub(crate) no_cluster: bool,
  pub(crate) allow_cross_slot: bool,
}

impl ScriptFlags {
  /// Sets the flag named `name`; false for an unknown name.
  pub(crate) fn set(&mut self, name: &[u8]) -> bool {
    match name {
      b"no-writes" => self.no_writes = true,
      b"allow-oom" => self.allow_oom = true,
      b"allow-stale" => self.allow_stale = true,
      b"no-cluster" => self.no_cluster = true,
      b"allow-cross-slot-keys" => self.allow_cross_slot = true,
      _ => return false,
    }
    true
  }

  /// The names of the flags set, in Redis's order (FUNCTION LIST).
  pub(crate) fn names(&self) -> Vec<&'static str> {
    let all = [
      (self.no_writes, "no-writes"),
      (self.allow_oom, "allow-oom"),
      (self.allow_stale, "allow-stale"),
      (self.no_cluster, "no-cluster"),
      (self.allow_cross_slot, "allow-cross-slot-keys"),
    ];
    all.iter().filter(|(set, _)| *set).map(|(_, name)| *name).collect()
  }
}

/// A script in the cache.
pub(crate) struct Script {
  /// Registry reference of its compiled function.
  pub(crate) function: c_int,
  pub(crate) flags: ScriptFlags,
  /// Length of its source (INFO `used_memory_scripts_eval`).
  source_len: usize,
}

/// The scripting state of a server.
pub struct Scripting {
  pub(crate) vm: vm::Vm,
  /// The script cache, by lower-case hex SHA1 digest of the source.
  pub(crate) scripts: HashMap<[u8; 40], Script>,
  /// The scripts' own session, while no script runs.
  pub(crate) session: Option<Box<Session>>,
  /// Scripts run since start-up (a garbage collection step every 50).
  pub(crate) calls: u64,
  /// The script running now, for SCRIPT KILL and FUNCTION KILL (see `busy.rs`).
  pub(crate) busy: Option<busy::Busy>,
  /// The function libraries (see `functions.rs`).
  pub(crate) functions: functions::Functions,
  /// DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call commands flagged `noscript`.
  pub(crate) allow_noscript_commands: bool,
}

impl Default for Scripting {
  fn default() -> Self {
    Scripting {
      vm: vm::Vm::new(),
      scripts: HashMap::new(),
      session: None,
      calls: 0,
      busy: None,
      functions: Default::default(),
      allow_noscript_commands: false,
    }
  }
}

impl Scripting {
  /// SCRIPT FLUSH: forgets every script, with a fresh Lua state.
  pub(crate) fn flush(&mut self) {
    self.scripts.clear();
    self.vm = vm::Vm::new();
  }

  /// Compiles `source` into the cache (unless there already) and returns its digest; the
  /// error is the reply's message.
  pub(crate) fn compile(&mut self, source: &[u8]) -> Result<[u8; 40], String> {
    let sha = sha1_hex(source);
    if self.scripts.contains_key(&sha) {
      return Ok(sha);
    }
    let (flags, body_start) = shebang_flags(source)?;
    let body = &source[body_start..];
    let L = self.vm.L;
    // SAFETY: the state is live; loading leaves either the function or a message on the top.
    let function = unsafe {
      if luaL_loadbuffer(L, body.as_ptr().cast(), body.len(), c"@user_script".as_ptr()) != 0 {
        let message = redwing_lua::to_bytes(L, -1).map(String::from_utf8_lossy).unwrap_or_default().into_owned();
        lua_pop(L, 1);
        return Err(format!("ERR Error compiling script (new function): {message}"));
      }
      luaL_ref(L, LUA_REGISTRYINDEX)
    };
    self.scripts.insert(sha, Script { function, flags, source_len: source.len() });
    Ok(sha)
  }

  /// The flags of the script `source`: cached, or read from its shebang line.
  pub(crate) fn flags_of_source(&self, source: &[u8]) -> Option<ScriptFlags> {
    match self.scripts.get(&sha1_hex(source)) {
      Some(script) => Some(script.flags),
      None => shebang_flags(source).ok().map(|(flags, _)| flags),
    }
  }

  /// The flags of the cached script with the digest `sha` (in any case).
  pub(crate) fn flags_of_sha(&self, sha: &[u8]) -> Option<ScriptFlags> {
    let sha: [u8; 40] = sha.to_ascii_lowercase().try_into().ok()?;
    self.scripts.get(&sha).map(|script| script.flags)
  }

  /// Bytes the cached scripts take (INFO `used_memory_scripts_eval`).
  pub(crate) fn scripts_memory(&self) -> usize {
    self.scripts.values().map(|script| script.source_len + 40 + 64).sum()
  }

  /// Bytes the Lua state takes (INFO `used_memory_lua`).
  pub(crate) fn lua_memory(&self) -> i64 {
    self.vm.memory()
  }
}

/// Reads the `#!lua flags=a,b` line that may start a script; returns its flags and where the
/// code starts (the shebang line's newline stays, so line numbers stay right).
pub(crate) fn shebang_flags(source: &[u8]) -> Result<(ScriptFlags, usize), String> {
  let mut flags = ScriptFlags { compat: true, ..ScriptFlags::default() };
  if !source.starts_with(b"#!") {
    return Ok((flags, 0));
  }
  let Some(end) = memchr::memchr(b'\n', source) else {
    return Err("ERR Invalid script shebang".into());
  };
  let parts = crate::resp::parse::split_args(&source[..end]).unwrap_or_default();
  let Some(engine) = parts.first() else {
    return Err("ERR Invalid script shebang".into());
  };
  if engine.as_slice() != b"#!lua" {
    return Err(format!("ERR Unexpected engine in script shebang: {}", String::from_utf8_lossy(engine)));
  }
  flags.compat = false;
  for part in &parts[1..] {
    let Some(list) = part.strip_prefix(b"flags=") else {
      return Err(format!("ERR Unknown lua shebang option: {}", String::from_utf8_lossy(part)));
    };
    // `flags=` with nothing after it declares no flags.
    let flags_given = if list.is_empty() { None } else { Some(list.split(|&b| b == b',')) };
    for flag in flags_given.into_iter().flatten() {
      if !flags.set(flag) {
        return Err(format!("ERR Unexpected flag in script shebang: {}", String::from_utf8_lossy(flag)));
      }
    }
  }
  Ok((flags, end))
}

/// The lower-case hex SHA1 digest of `data`.
pub(crate) fn sha1_hex(data: &[u8]) -> [u8; 40] {
  const HEX: &[u8; 16] = b"0123456789abcdef";
  let digest = crate::cmd::server::digest::sha1(data);
  let mut hex = [0u8; 40];
  for (i, byte) in digest.iter().enumerate() {
    hex[i * 2] = HEX[(byte >> 4) as usize];
    hex[i * 2 + 1] = HEX[(byte & 15) as usize];
  }
  hex
}

/// The session scripts run their commands as.
pub(crate) fn script_session() -> Box<Session> {
  let peer = Peer { addr: String::new(), laddr: String::new(), fd: -1, origin: Origin::Script, unix: false };
  Box::new(Session::new(0, peer, crate::server::now_ms(), true))
}

/// The libraries Redis adds to Lua's own: each `open` creates its global table.
pub(crate) fn libraries() -> Vec<lua_CFunction> {
  use redwing_lua::libs;
  vec![libs::cjson::open, libs::structs::open, libs::cmsgpack::open, libs::bit::open]
}

/// Moves the lines scripts logged with `redis.log` to the server log, at or above its level.
pub(crate) fn flush_log(server: &mut Server) {
  let mut lines = std::mem::take(&mut *server.scripting.vm.shared.logged.borrow_mut());
  lines.append(&mut server.scripting.functions.vm.shared.logged.borrow_mut());
  let threshold = match server.config.stored.get("loglevel").map(String::as_str) {
    Some("debug") => 0,
    Some("verbose") => 1,
    Some("warning") => 3,
    Some("nothing") => 4,
    _ => 2,
  };
  for (level, line) in lines {
    if level >= threshold {
      server.telemetry.log_lines.push(String::from_utf8_lossy(&line).into_owned());
    }
  }
}
