//! Functions: libraries of Lua functions loaded with FUNCTION LOAD and called with FCALL.
//!
//! Functions run in a Lua state of their own, with the same environment as EVAL scripts
//! (`vm.rs`) behind one more layer: the globals a library sees are an empty read-only table
//! whose metatable's `__index` points at the real globals. While FUNCTION LOAD runs a
//! library's code, that `__index` points instead at the *library API*, where `redis` holds
//! only `register_function`, `log` and the version, and anything else is an undeclared
//! global; so a library can do nothing at load time but register its functions. Each
//! registered callback is kept in the Lua registry; FCALL finds it by function name (names
//! are unique across libraries) and runs it like a script (`run.rs`), with KEYS and ARGV as
//! its two arguments.

use super::vm::{self, protect_recursively, raise_error_table, redis_log, undeclared_global, Registered, Vm};
use super::ScriptFlags;
use crate::rdb::{self, encoding};
use redwing_lua::ffi::*;
use redwing_lua::{push_bytes, to_bytes};
use std::collections::HashMap;
use std::ffi::{c_int, c_void};

/// A loaded library.
pub(crate) struct Library {
  pub(crate) name: Vec<u8>,
  /// The code as loaded, its `#!lua name=…` line included (FUNCTION LIST WITHCODE).
  pub(crate) code: Vec<u8>,
  /// Its functions, in registration order.
  pub(crate) functions: Vec<Registered>,
}

/// What FCALL needs of a function.
#[derive(Clone, Copy)]
pub(crate) struct Callable {
  pub(crate) function: c_int,
  pub(crate) flags: ScriptFlags,
}

/// The loaded libraries and their Lua state.
pub struct Functions {
  pub(crate) vm: Vm,
  /// In load order.
  pub(crate) libraries: Vec<Library>,
  /// Every function of every library, by name in lower case (FCALL's names are
  /// case-insensitive; within a library, names differing in case are different functions).
  pub(crate) by_name: HashMap<Vec<u8>, Callable>,
}

impl Default for Functions {
  fn default() -> Self {
    Functions { vm: Vm::for_functions(), libraries: Vec::new(), by_name: HashMap::new() }
  }
}

const BAD_NAME: &str =
  "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// Whether `name` is a valid library or function name.
fn valid_name(name: &[u8]) -> bool {
  !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Functions {
  /// FUNCTION LOAD: compiles and runs a library's code, which registers its functions, and
  /// adds the library (replacing one of the same name when `replace`). Returns its name, or
  /// the error message (without its `ERR` code).
  pub(crate) fn load(&mut self, code: &[u8], replace: bool) -> Result<Vec<u8>, String> {
    let (engine, name, body_start) = metadata(code)?;
    if !valid_name(&name) {
      return Err(BAD_NAME.into());
    }
    if !engine.eq_ignore_ascii_case(b"lua") {
      return Err(format!("Engine '{}' not found", String::from_utf8_lossy(&engine)));
    }
    let existing = self.libraries.iter().position(|library| library.name == name);
    if existing.is_some() && !replace {
      return Err(format!("Library '{}' already exists", String::from_utf8_lossy(&name)));
    }
    let functions = self.run_library(&code[body_start..])?;
    if functions.is_empty() {
      return Err("No functions registered".into());
    }
    let replaced = existing.map(|at| &self.libraries[at]);
    for function in &functions {
      let key = function.name.to_ascii_lowercase();
      let taken = self.by_name.contains_key(&key)
        && !replaced.is_some_and(|old| old.functions.iter().any(|f| f.name.eq_ignore_ascii_case(&function.name)));
      if taken {
        self.release(&functions);
        return Err(format!("Function {} already exists", String::from_utf8_lossy(&function.name)));
      }
    }
    if let Some(at) = existing {
      let old = self.libraries.remove(at);
      self.unlink(&old);
    }
    for function in &functions {
      let callable = Callable { function: function.function, flags: function.flags };
      self.by_name.insert(function.name.to_ascii_lowercase(), callable);
    }
    self.libraries.push(Library { name: name.clone(), code: code.to_vec(), functions });
    Ok(name)
  }

  /// Runs a library's code with the library API as its globals; returns what it registered.
  fn run_library(&mut self, body: &[u8]) -> Result<Vec<Registered>, String> {
    let L = self.vm.L;
    *self.vm.shared.loading.borrow_mut() = Some(Vec::new());
    self.vm.shared.load_started.set(Some(std::time::Instant::now()));
    // SAFETY: the state is live; the globals' metatable is switched to the library API and
    // back around the protected run.
    let outcome = unsafe {
      set_globals_index(L, c"__LIBRARY_API__");
      lua_sethook(L, Some(load_hook), LUA_MASKCOUNT, 100_000);
      let outcome = if luaL_loadbuffer(L, body.as_ptr().cast(), body.len(), c"@user_function".as_ptr()) != 0 {
        let message = to_bytes(L, -1).map(String::from_utf8_lossy).unwrap_or_default().into_owned();
        lua_pop(L, 1);
        Err(format!("Error compiling function: {message}"))
      } else if lua_pcall(L, 0, 0, 0) != 0 {
        let info = super::convert::error_info(L);
        lua_pop(L, 1);
        Err(format!("Error registering functions: {}", String::from_utf8_lossy(&info.message)))
      } else {
        Ok(())
      };
      lua_sethook(L, None, 0, 0);
      set_globals_index(L, c"__GLOBALS_API__");
      outcome
    };
    self.vm.shared.load_started.set(None);
    let registered = self.vm.shared.loading.borrow_mut().take().unwrap_or_default();
    match outcome {
      Ok(()) => Ok(registered),
      Err(message) => {
        self.release(&registered);
        Err(message)
      }
    }
  }

  /// Frees the callbacks of functions that are not (or no longer) loaded.
  fn release(&self, functions: &[Registered]) {
    for function in functions {
      // SAFETY: the reference was made in this state and is dropped once.
      unsafe { luaL_unref(self.vm.L, LUA_REGISTRYINDEX, function.function) };
    }
  }

  fn unlink(&mut self, library: &Library) {
    for function in &library.functions {
      self.by_name.remove(&function.name.to_ascii_lowercase());
    }
    self.release(&library.functions);
  }

  /// FUNCTION DELETE: whether the library existed.
  pub(crate) fn delete(&mut self, name: &[u8]) -> bool {
    let Some(at) = self.libraries.iter().position(|library| library.name == name) else { return false };
    let library = self.libraries.remove(at);
    self.unlink(&library);
    true
  }

  /// FUNCTION FLUSH.
  pub(crate) fn flush(&mut self) {
    *self = Functions::default();
  }

  /// FUNCTION DUMP: each library as opcode `RDB_OPCODE_FUNCTION2` and its code as an RDB
  /// string, then the DUMP footer (RDB version, CRC-64). `compress` is `rdbcompression`.
  pub(crate) fn dump(&self, compress: bool) -> Vec<u8> {
    let mut payload = Vec::new();
    for library in &self.libraries {
      payload.push(rdb::RDB_OPCODE_FUNCTION2);
      encoding::write_string(&mut payload, &library.code, compress);
    }
    encoding::finish_dump_payload(&mut payload);
    payload
  }

  /// FUNCTION RESTORE of a payload whose footer was checked: the libraries are first loaded
  /// on their own (so the payload must be consistent by itself), then take the place of all
  /// the current ones (`Flush`), or join them (`Append` refuses a library name in use,
  /// `Replace` replaces such libraries), refused as a whole on a function name in use by a
  /// library that stays. Returns the error message (without its `ERR` code).
  pub(crate) fn restore(&mut self, payload: &[u8], policy: RestorePolicy) -> Result<(), String> {
    let mut restored = Functions::default();
    let mut reader = encoding::Reader::new(payload);
    while payload.len() - reader.pos() > 10 {
      let Ok(kind) = reader.read_u8() else { return Err("can not read data type".into()) };
      let code = match kind {
        rdb::RDB_OPCODE_FUNCTION2 => reader.read_string().map_err(|_| "Failed loading library payload".to_string())?,
        rdb::RDB_OPCODE_FUNCTION => read_old_library(&mut reader)?,
        _ => return Err("given type is not a function".into()),
      };
      restored.load(&code, false)?;
    }
    if policy == RestorePolicy::Flush {
      *self = restored;
      return Ok(());
    }
    let mut replaced = Vec::new();
    for library in &restored.libraries {
      if let Some(at) = self.libraries.iter().position(|old| old.name == library.name) {
        if policy != RestorePolicy::Replace {
          return Err(format!("Library {} already exists", String::from_utf8_lossy(&library.name)));
        }
        replaced.push(at);
      }
    }
    for function in restored.libraries.iter().flat_map(|library| &library.functions) {
      let owner = self.libraries.iter().position(|old| old.functions.iter().any(|f| f.name == function.name));
      if owner.is_some_and(|at| !replaced.contains(&at)) {
        return Err(format!("Function {} already exists", String::from_utf8_lossy(&function.name)));
      }
    }
    let names: Vec<Vec<u8>> = replaced.iter().map(|&at| self.libraries[at].name.clone()).collect();
    for name in names {
      self.delete(&name);
    }
    for library in &restored.libraries {
      self.load(&library.code, false)?;
    }
    Ok(())
  }

  /// The flags of the function `name` (in any case), if loaded.
  pub(crate) fn flags_of(&self, name: &[u8]) -> Option<ScriptFlags> {
    self.by_name.get(&name.to_ascii_lowercase()).map(|callable| callable.flags)
  }

  /// Number of functions of every library.
  pub(crate) fn function_count(&self) -> usize {
    self.by_name.len()
  }

  /// Bytes the libraries' code takes (INFO `used_memory_functions`).
  pub(crate) fn memory(&self) -> usize {
    self.libraries.iter().map(|library| library.code.len() + library.functions.len() * 64).sum()
  }
}

/// How long a library's code may run at FUNCTION LOAD.
const LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// The Lua count hook while a library's code runs: past [`LOAD_TIMEOUT`], an error the code
/// cannot catch (the hook then runs on every line).
unsafe extern "C" fn load_hook(L: *mut lua_State, _ar: *mut lua_Debug) {
  // SAFETY: `L` is the functions state; nothing with a destructor is alive when raising.
  unsafe {
    let started = (*vm::registered_shared(L)).load_started.get();
    if started.is_some_and(|started| started.elapsed() > LOAD_TIMEOUT) {
      lua_sethook(L, Some(load_hook), LUA_MASKLINE, 0);
      raise_error_table(L, b"FUNCTION LOAD timeout");
    }
  }
}

/// How FUNCTION RESTORE treats the current libraries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RestorePolicy {
  Append,
  Replace,
  Flush,
}

/// A library in the format of Redis 7.0's release candidates (`RDB_OPCODE_FUNCTION`): its
/// name, engine, an optional description (ignored), and its code without the `#!` line,
/// which is rebuilt in front of it.
pub(crate) fn read_old_library(reader: &mut encoding::Reader) -> Result<Vec<u8>, String> {
  let name = reader.read_string().map_err(|_| "Failed loading library name".to_string())?;
  let engine = reader.read_string().map_err(|_| "Failed loading engine name".to_string())?;
  let has_description = reader.read_len().map_err(|_| "Failed loading library description indicator".to_string())?;
  if has_description != 0 {
    reader.read_string().map_err(|_| "Failed loading library description".to_string())?;
  }
  let body = reader.read_string().map_err(|_| "Failed loading library blob".to_string())?;
  // Redis formats them as C strings: each ends at its first NUL.
  let c_str = |s: &[u8]| s[..memchr::memchr(0, s).unwrap_or(s.len())].to_vec();
  let mut code = b"#!".to_vec();
  code.extend_from_slice(&c_str(&engine));
  code.extend_from_slice(b" name=");
  code.extend_from_slice(&c_str(&name));
  code.push(b'\n');
  code.extend_from_slice(&c_str(&body));
  Ok(code)
}

/// Reads the `#!<engine> name=<library>` line a library starts with: the engine, the name,
/// and where the code starts (at the line's newline).
fn metadata(code: &[u8]) -> Result<(Vec<u8>, Vec<u8>, usize), String> {
  if !code.starts_with(b"#!") {
    return Err("Missing library metadata".into());
  }
  let Some(end) = memchr::memchr(b'\n', code) else {
    return Err("Invalid library metadata".into());
  };
  let parts = crate::resp::parse::split_args(&code[..end]).unwrap_or_default();
  let Some(first) = parts.first() else {
    return Err("Invalid library metadata".into());
  };
  let engine = first[2..].to_vec();
  let mut name = None;
  for part in &parts[1..] {
    if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
      if name.is_some() {
        return Err("Invalid metadata value, name argument was given multiple times".into());
      }
      name = Some(part[5..].to_vec());
      continue;
    }
    return Err(format!("Invalid metadata value given: {}", String::from_utf8_lossy(part)));
  }
  let name = name.ok_or_else(|| "Library name was not given".to_string())?;
  Ok((engine, name, end))
}

/// Points the `__index` of the globals' metatable at the registry table `api`.
unsafe fn set_globals_index(L: *mut lua_State, api: &std::ffi::CStr) {
  // SAFETY: `L` is the functions state, whose globals have a read-only metatable; it is
  // unlocked for this raw set only.
  unsafe {
    lua_getmetatable(L, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(L, -1, 0);
    push_bytes(L, b"__index");
    lua_getfield(L, LUA_REGISTRYINDEX, api.as_ptr());
    lua_rawset(L, -3);
    lua_enablereadonlytable(L, -1, 1);
    lua_pop(L, 1);
  }
}

/// Gives the table on the top of the stack a metatable that makes reading a missing field an
/// error.
unsafe fn set_error_metatable(L: *mut lua_State) {
  // SAFETY: `L` is live with a table on the top.
  unsafe {
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undeclared_global);
    lua_setfield(L, -2, c"__index".as_ptr());
    lua_setmetatable(L, -2);
  }
}

/// The last step of building the functions state (called by `vm.rs` in its protected set-up,
/// with `shared` the state's [`vm::Shared`]): the library API, and globals of their own.
pub(crate) unsafe fn build_library_api(L: *mut lua_State, shared: *mut c_void) {
  // SAFETY: called from the protected set-up of a fresh state.
  unsafe {
    lua_createtable(L, 0, 1);
    lua_createtable(L, 0, 8);
    lua_pushlightuserdata(L, shared);
    lua_pushcclosure(L, register_function, 1);
    lua_setfield(L, -2, c"register_function".as_ptr());
    lua_pushlightuserdata(L, shared);
    lua_pushcclosure(L, redis_log, 1);
    lua_setfield(L, -2, c"log".as_ptr());
    for (name, level) in [(c"LOG_DEBUG", 0.0), (c"LOG_VERBOSE", 1.0), (c"LOG_NOTICE", 2.0), (c"LOG_WARNING", 3.0)] {
      lua_pushnumber(L, level);
      lua_setfield(L, -2, name.as_ptr());
    }
    lua_pushnumber(L, vm::VERSION_NUM);
    lua_setfield(L, -2, c"REDIS_VERSION_NUM".as_ptr());
    push_bytes(L, crate::REDIS_VERSION.as_bytes());
    lua_setfield(L, -2, c"REDIS_VERSION".as_ptr());
    set_error_metatable(L);
    lua_setfield(L, -2, c"redis".as_ptr());
    set_error_metatable(L);
    protect_recursively(L);
    lua_setfield(L, LUA_REGISTRYINDEX, c"__LIBRARY_API__".as_ptr());

    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_setfield(L, LUA_REGISTRYINDEX, c"__GLOBALS_API__".as_ptr());
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    lua_setfield(L, -2, c"__index".as_ptr());
    lua_enablereadonlytable(L, -1, 1);
    lua_setmetatable(L, -2);
    lua_enablereadonlytable(L, -1, 1);
    lua_replace(L, LUA_GLOBALSINDEX);
  }
}

/// `redis.register_function(name, callback)` or `redis.register_function{function_name=…,
/// callback=…, flags={…}, description=…}`, during FUNCTION LOAD.
unsafe extern "C" fn register_function(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; errors are raised once the Rust values are dropped.
  unsafe {
    let shared = vm::shared(L);
    if shared.loading.borrow().is_none() {
      return raise_error_table(L, b"redis.register_function can only be called on FUNCTION LOAD command");
    }
    let registered = match read_registration(L) {
      Ok(registered) => registered,
      Err(message) => return raise_error_table(L, message.as_bytes()),
    };
    let error: Option<&str> = if !valid_name(&registered.name) {
      Some(BAD_NAME)
    } else if shared.loading.borrow().as_ref().is_some_and(|list| list.iter().any(|f| f.name == registered.name)) {
      Some("Function already exists in the library")
    } else {
      None
    };
    if let Some(message) = error {
      luaL_unref(L, LUA_REGISTRYINDEX, registered.function);
      drop(registered);
      return raise_error_table(L, message.as_bytes());
    }
    if let Some(list) = shared.loading.borrow_mut().as_mut() {
      list.push(registered);
    }
    0
  }
}

/// Reads `register_function`'s arguments; the callback is stored in the registry.
unsafe fn read_registration(L: *mut lua_State) -> Result<Registered, &'static str> {
  // SAFETY: `L` is live; tables are read with raw accesses and `lua_next`.
  unsafe {
    let argc = lua_gettop(L);
    if !(1..=2).contains(&argc) {
      return Err("wrong number of arguments to redis.register_function");
    }
    let mut name = None;
    let mut description = None;
    let mut flags = ScriptFlags::default();
    if argc == 2 {
      if lua_isstring(L, 1) == 0 {
        return Err("first argument to redis.register_function must be a string");
      }
      if !lua_isfunction(L, 2) {
        return Err("second argument to redis.register_function must be a function");
      }
      name = to_bytes(L, 1).map(<[u8]>::to_vec);
      lua_pushvalue(L, 2);
    } else {
      let mut has_callback = false;
      if !lua_istable(L, 1) {
        return Err(
          "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
        );
      }
      lua_pushnil(L);
      while lua_next(L, 1) != 0 {
        if lua_isstring(L, -2) == 0 {
          lua_settop(L, 1);
          return Err("named argument key given to redis.register_function is not a string");
        }
        let key = to_bytes(L, -2).unwrap_or_default().to_ascii_lowercase();
        match key.as_slice() {
          b"function_name" => {
            if lua_isstring(L, -1) == 0 {
              lua_settop(L, 1);
              return Err("function_name argument given to redis.register_function must be a string");
            }
            name = to_bytes(L, -1).map(<[u8]>::to_vec);
          }
          b"description" => {
            if lua_isstring(L, -1) == 0 {
              lua_settop(L, 1);
              return Err("description argument given to redis.register_function must be a string");
            }
            description = to_bytes(L, -1).map(<[u8]>::to_vec);
          }
          b"callback" => {
            if !lua_isfunction(L, -1) {
              lua_settop(L, 1);
              return Err("callback argument given to redis.register_function must be a function");
            }
            lua_pushvalue(L, -1);
            lua_setfield(L, LUA_REGISTRYINDEX, c"__registering__".as_ptr());
            has_callback = true;
          }
          b"flags" => {
            if !lua_istable(L, -1) {
              lua_settop(L, 1);
              return Err("flags argument to redis.register_function must be a table representing function flags");
            }
            match read_flags(L) {
              Some(read) => flags = read,
              None => {
                lua_settop(L, 1);
                return Err("unknown flag given");
              }
            }
          }
          _ => {
            lua_settop(L, 1);
            return Err("unknown argument given to redis.register_function");
          }
        }
        lua_pop(L, 1);
      }
      if name.is_none() {
        return Err("redis.register_function must get a function name argument");
      }
      if !has_callback {
        return Err("redis.register_function must get a callback argument");
      }
      lua_getfield(L, LUA_REGISTRYINDEX, c"__registering__".as_ptr());
      lua_pushnil(L);
      lua_setfield(L, LUA_REGISTRYINDEX, c"__registering__".as_ptr());
    }
    let function = luaL_ref(L, LUA_REGISTRYINDEX);
    Ok(Registered { name: name.unwrap_or_default(), description, flags, function })
  }
}

/// Reads a flags table (the value on the top of the stack): `None` for an unknown flag.
unsafe fn read_flags(L: *mut lua_State) -> Option<ScriptFlags> {
  // SAFETY: `L` is live with the flags table on the top.
  unsafe {
    let mut flags = ScriptFlags::default();
    lua_pushnil(L);
    while lua_next(L, -2) != 0 {
      let flag = if lua_type(L, -1) == LUA_TSTRING { to_bytes(L, -1).unwrap_or_default() } else { b"" };
      if !flags.set(flag) {
        lua_pop(L, 2);
        return None;
      }
      lua_pop(L, 1);
    }
    Some(flags)
  }
}
