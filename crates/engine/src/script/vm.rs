//! The Lua state scripts run in, set up as Redis 7.0 sets up its own, and the `redis` API.
//!
//! Set-up ([`Vm::new`]), in Redis's order: while the libraries load, the globals table admits
//! only the names on an allow list (so `print`, `dofile` and `loadfile` never appear); the
//! libraries are Lua's `base`, `table`, `string`, `math` and `debug`, then `cjson`, `struct`,
//! `cmsgpack` and `bit`; `pcall` is replaced by one that turns error tables back into
//! messages; the `redis` table gets its functions and constants; `math.random` and
//! `math.randomseed` are replaced by `lrand48`-based ones (the same sequence on every
//! platform); the error handler that records where an error was raised is defined, and
//! `debug` is removed from the globals. Last, reading an undeclared global raises "Script
//! attempted to access nonexistent global variable", and the globals table and every table in
//! it become read-only (see `crates/lua`).
//!
//! The C functions reach the engine through their one upvalue, a pointer to the [`Shared`]
//! state of this Lua state: the script running now ([`Run`], set by `script::run` for the
//! duration of a script), and the random generator. Hooks have no upvalues: they find the
//! same pointer in the registry ([`running`]).

use super::convert::{self, push_error_table};
use super::run::Run;
use crate::signal::Targets;
use redwing_lua::ffi::*;
use redwing_lua::{push_bytes, to_bytes};
use std::cell::{Cell, RefCell};
use std::ffi::{c_int, c_void, CStr};

/// What the `redis.*` functions share with the engine.
pub(crate) struct Shared {
  /// The script running now, or null.
  pub(crate) run: Cell<*mut Run>,
  /// `math.random`'s 48-bit generator state.
  rand48: Cell<u64>,
  /// Lines logged with `redis.log` (level, text), for the engine to hand to the log.
  pub(crate) logged: RefCell<Vec<(i64, Vec<u8>)>>,
  /// While FUNCTION LOAD runs a library's code: the functions it registered.
  pub(crate) loading: RefCell<Option<Vec<Registered>>>,
  /// While FUNCTION LOAD runs a library's code: when it started (it may run 500 ms).
  pub(crate) load_started: Cell<Option<std::time::Instant>>,
}

/// A function a library registered with `redis.register_function`.
pub(crate) struct Registered {
  pub(crate) name: Vec<u8>,
  pub(crate) description: Option<Vec<u8>>,
  pub(crate) flags: super::ScriptFlags,
  /// Registry reference of the callback.
  pub(crate) function: c_int,
}

/// A Lua state with Redis's scripting environment.
pub(crate) struct Vm {
  pub(crate) L: *mut lua_State,
  pub(crate) shared: Box<Shared>,
  /// Registry reference of the error handler (`__redis__err__handler`).
  pub(crate) error_handler: c_int,
  /// The state's memory (dropped after the state is closed).
  _pool: Box<redwing_lua::alloc::Pool>,
}

impl Drop for Vm {
  fn drop(&mut self) {
    // SAFETY: the state is ours and nothing uses it after this.
    unsafe { lua_close(self.L) }
  }
}

/// The globals a library may define while the environment is built; anything else is dropped.
const GLOBALS_ALLOWED: &[&[u8]] = &[
  b"string",
  b"cjson",
  b"bit",
  b"cmsgpack",
  b"math",
  b"table",
  b"struct",
  b"redis",
  b"__redis__err__handler",
  b"xpcall",
  b"tostring",
  b"setmetatable",
  b"next",
  b"assert",
  b"tonumber",
  b"rawequal",
  b"collectgarbage",
  b"getmetatable",
  b"rawset",
  b"pcall",
  b"coroutine",
  b"type",
  b"_G",
  b"select",
  b"unpack",
  b"gcinfo",
  b"pairs",
  b"rawget",
  b"loadstring",
  b"ipairs",
  b"_VERSION",
  b"load",
  b"error",
  b"debug",
];

/// `redis.REDIS_VERSION_NUM`: 7.0.15 as `0x00MMmmpp`.
pub(crate) const VERSION_NUM: f64 = ((7 << 16) | 15) as f64;

/// Defines the error handler Redis scripts run under: an error value becomes a table with the
/// message (`err`, with the `ERR` code for a plain message) and where it was raised (`source`,
/// `line`: the Lua function that raised it, or that called the C function that did).
const ERROR_HANDLER: &str = "
local dbg = debug
debug = nil
function __redis__err__handler(err)
  local where = dbg.getinfo(2, 'nSl')
  if where and where.what == 'C' then
    where = dbg.getinfo(3, 'nSl')
  end
  if type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if where then
    err['source'] = where.source
    err['line'] = where.currentline
  end
  return err
end
";

impl Vm {
  /// The state EVAL scripts run in.
  pub(crate) fn new() -> Vm {
    Vm::build(false)
  }

  /// The state functions run in: the same environment behind a globals table of its own
  /// (see `functions.rs`).
  pub(crate) fn for_functions() -> Vm {
    Vm::build(true)
  }

  fn build(functions: bool) -> Vm {
    let shared = Box::new(Shared {
      run: Cell::new(std::ptr::null_mut()),
      rand48: Cell::new(0x1234_ABCD_330E),
      logged: RefCell::new(Vec::new()),
      loading: RefCell::new(None),
      load_started: Cell::new(None),
    });
    let mut pool = Box::<redwing_lua::alloc::Pool>::default();
    // SAFETY: a fresh state, built on its own stack in protected calls; `shared` and `pool`
    // outlive it (all are owned by the returned Vm, and the state is closed first on drop).
    unsafe {
      let L = redwing_lua::alloc::new_state(&mut pool);
      assert!(!L.is_null(), "cannot allocate a Lua state");
      let upvalue = &*shared as *const Shared as *mut c_void;
      lua_pushcfunction(L, build_environment);
      lua_pushlightuserdata(L, upvalue);
      lua_pushboolean(L, functions as c_int);
      let status = lua_pcall(L, 2, 1, 0);
      assert_eq!(status, 0, "building the Lua environment failed: {:?}", to_bytes(L, -1));
      let error_handler = luaL_ref(L, LUA_REGISTRYINDEX);
      Vm { L, shared, error_handler, _pool: pool }
    }
  }

  /// Bytes of memory the Lua state uses (INFO `used_memory_lua`).
  pub(crate) fn memory(&self) -> i64 {
    // SAFETY: the state is live.
    unsafe { lua_gc(self.L, LUA_GCCOUNT, 0) as i64 * 1024 + lua_gc(self.L, LUA_GCCOUNTB, 0) as i64 }
  }
}

/// Builds the environment (see the module comment), in a protected call; its argument is the
/// [`Shared`] pointer. Returns the error handler function.
unsafe extern "C" fn build_environment(L: *mut lua_State) -> c_int {
  // SAFETY (whole body): called by `lua_pcall` on a fresh state; nothing here owns a value
  // with a destructor across a call that may raise.
  unsafe {
    let shared = lua_touserdata(L, 1);
    let for_functions = lua_toboolean(L, 2) != 0;
    lua_settop(L, 0);
    lua_pushlightuserdata(L, shared_key());
    lua_pushlightuserdata(L, shared);
    lua_rawset(L, LUA_REGISTRYINDEX);

    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, allow_listed_global);
    lua_setfield(L, -2, c"__newindex".as_ptr());
    lua_setmetatable(L, LUA_GLOBALSINDEX);

    let libraries: [(&CStr, lua_CFunction); 5] = [
      (c"", luaopen_base),
      (c"table", luaopen_table),
      (c"string", luaopen_string),
      (c"math", luaopen_math),
      (c"debug", luaopen_debug),
    ];
    for (name, open) in libraries {
      lua_pushcfunction(L, open);
      lua_pushstring(L, name.as_ptr());
      lua_call(L, 1, 0);
    }
    for open in super::libraries() {
      lua_pushcfunction(L, open);
      lua_call(L, 0, 0);
    }

    lua_pushcfunction(L, pcall);
    lua_setglobal(L, c"pcall".as_ptr());

    lua_createtable(L, 0, 32);
    let functions: [(&CStr, lua_CFunction); 14] = [
      (c"call", redis_call),
      (c"pcall", redis_pcall),
      (c"log", redis_log),
      (c"setresp", redis_setresp),
      (c"sha1hex", redis_sha1hex),
      (c"error_reply", redis_error_reply),
      (c"status_reply", redis_status_reply),
      (c"set_repl", redis_set_repl),
      (c"replicate_commands", redis_replicate_commands),
      (c"breakpoint", redis_breakpoint),
      (c"debug", redis_debug),
      (c"acl_check_cmd", redis_acl_check_cmd),
      (c"random", math_random),
      (c"randomseed", math_randomseed),
    ];
    for (name, function) in &functions[..12] {
      lua_pushlightuserdata(L, shared);
      lua_pushcclosure(L, *function, 1);
      lua_setfield(L, -2, name.as_ptr());
    }
    let numbers: [(&CStr, f64); 10] = [
      (c"LOG_DEBUG", 0.0),
      (c"LOG_VERBOSE", 1.0),
      (c"LOG_NOTICE", 2.0),
      (c"LOG_WARNING", 3.0),
      (c"REPL_NONE", 0.0),
      (c"REPL_AOF", 1.0),
      (c"REPL_SLAVE", 2.0),
      (c"REPL_REPLICA", 2.0),
      (c"REPL_ALL", 3.0),
      (c"REDIS_VERSION_NUM", VERSION_NUM),
    ];
    for (name, value) in numbers {
      lua_pushnumber(L, value);
      lua_setfield(L, -2, name.as_ptr());
    }
    push_bytes(L, crate::REDIS_VERSION.as_bytes());
    lua_setfield(L, -2, c"REDIS_VERSION".as_ptr());
    lua_setglobal(L, c"redis".as_ptr());

    lua_getglobal(L, c"math".as_ptr());
    for (name, function) in &functions[12..] {
      lua_pushlightuserdata(L, shared);
      lua_pushcclosure(L, *function, 1);
      lua_setfield(L, -2, name.as_ptr());
    }
    lua_pop(L, 1);

    if luaL_loadbuffer(L, ERROR_HANDLER.as_ptr().cast(), ERROR_HANDLER.len(), c"@err_handler_def".as_ptr()) != 0 {
      return lua_error(L);
    }
    lua_call(L, 0, 0);

    // From now on: no new globals, no reading undeclared ones, no changing library tables.
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, undeclared_global);
    lua_setfield(L, -2, c"__index".as_ptr());
    lua_setmetatable(L, LUA_GLOBALSINDEX);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    protect_recursively(L);
    lua_pop(L, 1);

    lua_getglobal(L, c"__redis__err__handler".as_ptr());
    if for_functions {
      super::functions::build_library_api(L, shared);
    }
    1
  }
}

/// Makes the table on the top of the stack read-only, with every table inside it and their
/// metatables.
pub(crate) unsafe fn protect_recursively(L: *mut lua_State) {
  // SAFETY: called from `build_environment` with a table on the top.
  unsafe {
    if lua_isreadonlytable(L, -1) != 0 {
      return;
    }
    lua_enablereadonlytable(L, -1, 1);
    lua_checkstack(L, 2);
    lua_pushnil(L);
    while lua_next(L, -2) != 0 {
      if lua_istable(L, -1) {
        protect_recursively(L);
      }
      lua_pop(L, 1);
    }
    if lua_getmetatable(L, -1) != 0 {
      protect_recursively(L);
      lua_pop(L, 1);
    }
  }
}

/// `__newindex` of the globals while the environment is built: admits allow-listed names.
unsafe extern "C" fn allow_listed_global(L: *mut lua_State) -> c_int {
  // SAFETY: a metamethod call: (table, key, value) on the stack.
  unsafe {
    let allowed = to_bytes(L, 2).is_some_and(|name| GLOBALS_ALLOWED.contains(&name));
    if allowed {
      lua_rawset(L, 1);
    }
    0
  }
}

/// `__index` of the globals once built: reading an undeclared global is an error.
pub(crate) unsafe extern "C" fn undeclared_global(L: *mut lua_State) -> c_int {
  // SAFETY: a metamethod call: (table, key) on the stack; the message is built in Lua.
  unsafe {
    if lua_type(L, 2) != LUA_TSTRING && lua_type(L, 2) != LUA_TNUMBER {
      push_bytes(L, b"Second argument to luaProtectedTableError must be a string or number");
      return lua_error(L);
    }
    push_bytes(L, b"Script attempted to access nonexistent global variable '");
    lua_pushvalue(L, 2);
    push_bytes(L, b"'");
    lua_concat(L, 3);
    raise_with_position(L)
  }
}

/// Raises the message on the top of the stack prefixed with the position of the calling Lua
/// code, as `luaL_error` does.
unsafe fn raise_with_position(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is live with the message on the top.
  unsafe {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    lua_error(L)
  }
}

/// The global `pcall`: Lua's, except that an error table with an `err` message is returned as
/// that message.
unsafe extern "C" fn pcall(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; everything happens on the Lua stack.
  unsafe {
    let argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0 {
      lua_remove(L, 1);
      if lua_istable(L, -1) {
        lua_getfield(L, -1, c"err".as_ptr());
        if lua_isstring(L, -1) != 0 {
          lua_replace(L, -2);
        } else {
          lua_pop(L, 1);
        }
      }
      lua_pushboolean(L, 0);
      lua_insert(L, 1);
    }
    lua_gettop(L)
  }
}

/// The registry key of the [`Shared`] pointer: the address of a static, unique in the process.
fn shared_key() -> *mut c_void {
  static KEY: u8 = 0;
  &KEY as *const u8 as *mut c_void
}

/// The script running in `L` (null when none), for the Lua hooks.
///
/// # Safety
/// `L` is a state made by [`Vm::new`]. Nothing is allocated, so this never raises.
pub(crate) unsafe fn running(L: *mut lua_State) -> *mut Run {
  // SAFETY: forwarded.
  unsafe { (*registered_shared(L)).run.get() }
}

/// The [`Shared`] state of `L`, for the Lua hooks (which have no upvalues).
///
/// # Safety
/// `L` is a state made by [`Vm::new`]. Nothing is allocated, so this never raises.
pub(crate) unsafe fn registered_shared(L: *mut lua_State) -> *const Shared {
  // SAFETY: the registry holds the Shared pointer under `shared_key` from the state's
  // creation; a light userdata key and a raw get allocate nothing and call no metamethod.
  unsafe {
    lua_pushlightuserdata(L, shared_key());
    lua_rawget(L, LUA_REGISTRYINDEX);
    let shared = lua_touserdata(L, -1) as *const Shared;
    lua_pop(L, 1);
    shared
  }
}

/// The [`Shared`] state of the calling closure.
pub(crate) unsafe fn shared<'a>(L: *mut lua_State) -> &'a Shared {
  // SAFETY: every closure registered with this upvalue got the pointer of the Vm's Shared,
  // which lives as long as the state.
  unsafe { &*(lua_touserdata(L, lua_upvalueindex(1)) as *const Shared) }
}

/// Pushes an error table built from `message` and raises it.
pub(crate) unsafe fn raise_error_table(L: *mut lua_State, message: &[u8]) -> c_int {
  // SAFETY: `L` is live; `message` is copied into Lua before the jump, and the callers own
  // nothing with a destructor.
  unsafe {
    push_error_table(L, message);
    lua_error(L)
  }
}

unsafe extern "C" fn redis_call(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe { call_command(L, true) }
}

unsafe extern "C" fn redis_pcall(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe { call_command(L, false) }
}

/// `redis.call` (`raise`) and `redis.pcall`: runs the command and pushes its reply; an error
/// reply is raised by `redis.call`, returned by `redis.pcall`.
unsafe fn call_command(L: *mut lua_State, raise: bool) -> c_int {
  // SAFETY: `run` is live while a script runs (see `script::run`); `Run::call` drops all it
  // owns before returning, so raising afterwards skips no destructor.
  unsafe {
    let run = shared(L).run.get();
    if run.is_null() {
      return raise_error_table(L, b"redis.call/pcall can only be called inside a script invocation");
    }
    let is_error = (*run).call(L);
    if raise && is_error {
      return lua_error(L);
    }
    1
  }
}

/// `redis.log(level, ...)`: the arguments joined by spaces, at a `redis.LOG_*` level.
pub(crate) unsafe extern "C" fn redis_log(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; the line is built and stored before returning.
  unsafe {
    let argc = lua_gettop(L);
    if argc < 2 {
      return raise_error_table(L, b"redis.log() requires two arguments or more.");
    }
    if lua_isnumber(L, 1) == 0 {
      return raise_error_table(L, b"First argument must be a number (log level).");
    }
    let level = lua_tonumber(L, 1) as i64;
    if !(0..=3).contains(&level) {
      return raise_error_table(L, b"Invalid debug level.");
    }
    let mut line = Vec::new();
    for index in 2..=argc {
      if let Some(text) = to_bytes(L, index) {
        if index != 2 {
          line.push(b' ');
        }
        line.extend_from_slice(text);
      }
    }
    shared(L).logged.borrow_mut().push((level, line));
    0
  }
}

/// `redis.setresp(2|3)`: the protocol of the replies `redis.call` converts.
unsafe extern "C" fn redis_setresp(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; `run` is live while a script runs.
  unsafe {
    let run = shared(L).run.get();
    if run.is_null() {
      return raise_error_table(L, b"redis.setresp can only be called inside a script invocation");
    }
    if lua_gettop(L) != 1 {
      return raise_error_table(L, b"redis.setresp() requires one argument.");
    }
    let resp = lua_tonumber(L, 1) as i32;
    if resp != 2 && resp != 3 {
      return raise_error_table(L, b"RESP version must be 2 or 3.");
    }
    (*run).set_resp3(resp == 3);
    0
  }
}

/// `redis.sha1hex(string)`.
unsafe extern "C" fn redis_sha1hex(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; the digest is a stack array.
  unsafe {
    if lua_gettop(L) != 1 {
      return raise_error_table(L, b"wrong number of arguments");
    }
    let digest = super::sha1_hex(to_bytes(L, 1).unwrap_or_default());
    push_bytes(L, &digest);
    1
  }
}

/// `redis.error_reply(message)`: `{err=message}`, with the `-CODE` form understood.
unsafe extern "C" fn redis_error_reply(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe {
    if lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING {
      push_error_table(L, b"wrong number or type of arguments");
      return 1;
    }
    let message = crate::cstr::until_nul(to_bytes(L, 1).unwrap_or_default());
    if message.first() == Some(&b'-') {
      push_error_table(L, message);
    } else {
      let mut line = Vec::with_capacity(message.len() + 1);
      line.push(b'-');
      line.extend_from_slice(message);
      push_error_table(L, &line);
    }
    1
  }
}

/// `redis.status_reply(message)`: `{ok=message}`.
unsafe extern "C" fn redis_status_reply(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe {
    if lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING {
      push_error_table(L, b"wrong number or type of arguments");
      return 1;
    }
    lua_createtable(L, 0, 1);
    push_bytes(L, b"ok");
    lua_pushvalue(L, 1);
    lua_rawset(L, -3);
    1
  }
}

/// `redis.set_repl(flags)`: where the script's next writes are propagated (`REPL_AOF`,
/// `REPL_REPLICA`, both or none).
unsafe extern "C" fn redis_set_repl(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; `run` is live while a script runs.
  unsafe {
    let run = shared(L).run.get();
    if run.is_null() {
      return raise_error_table(L, b"redis.set_repl can only be called inside a script invocation");
    }
    if lua_gettop(L) != 1 {
      return raise_error_table(L, b"redis.set_repl() requires two arguments.");
    }
    let flags = lua_tonumber(L, -1) as i64;
    if flags & !3 != 0 {
      return raise_error_table(L, b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    }
    (*run).set_replication(Targets { aof: flags & 1 != 0, replicas: flags & 2 != 0 });
    0
  }
}

/// `redis.replicate_commands()`: always effects replication; returns true.
unsafe extern "C" fn redis_replicate_commands(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe {
    lua_pushboolean(L, 1);
    1
  }
}

/// `redis.breakpoint()`: false, as no debugger session is attached.
unsafe extern "C" fn redis_breakpoint(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe {
    lua_pushboolean(L, 0);
    1
  }
}

/// `redis.debug(...)`: logs to the debugger, of which there is none.
unsafe extern "C" fn redis_debug(_L: *mut lua_State) -> c_int {
  0
}

/// `redis.acl_check_cmd(command, ...)`: whether the script's user may run the command with
/// these arguments; an unknown command is an error.
unsafe extern "C" fn redis_acl_check_cmd(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call.
  unsafe {
    let run = shared(L).run.get();
    if run.is_null() {
      return raise_error_table(L, b"redis.acl_check_cmd can only be called inside a script invocation");
    }
    let argc = lua_gettop(L);
    if argc == 0 {
      return raise_error_table(L, b"Please specify at least one argument for this redis lib call");
    }
    let mut strings = true;
    for index in 1..=argc {
      strings &= lua_isstring(L, index) != 0;
    }
    if !strings {
      return raise_error_table(L, b"Lua redis lib command arguments must be strings or integers");
    }
    let spec = crate::cmd::script_command(to_bytes(L, 1).unwrap_or_default(), to_bytes(L, 2), argc as usize);
    let Some(spec) = spec else {
      return raise_error_table(L, b"Invalid command passed to redis.acl_check_cmd()");
    };
    let argv: Vec<&[u8]> = (1..=argc).map(|index| to_bytes(L, index).unwrap_or_default()).collect();
    lua_pushboolean(L, (*run).acl_allows(spec, &argv) as c_int);
    1
  }
}

impl Shared {
  /// The next `lrand48` value (31 bits).
  fn next_rand48(&self) -> i64 {
    let state = (self.rand48.get().wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB)) & 0xFFFF_FFFF_FFFF;
    self.rand48.set(state);
    (state >> 17) as i64
  }
}

/// `math.random([m [, n]])`, on `lrand48`.
unsafe extern "C" fn math_random(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; argument checks raise before anything is owned.
  unsafe {
    let shared = shared(L);
    let r = (shared.next_rand48() % i32::MAX as i64) as f64 / i32::MAX as f64;
    match lua_gettop(L) {
      0 => lua_pushnumber(L, r),
      1 => {
        let upper = luaL_checkinteger(L, 1) as i32;
        if upper < 1 {
          luaL_argerror(L, 1, c"interval is empty".as_ptr());
        }
        lua_pushnumber(L, (r * upper as f64).floor() + 1.0);
      }
      2 => {
        let lower = luaL_checkinteger(L, 1) as i32;
        let upper = luaL_checkinteger(L, 2) as i32;
        if lower > upper {
          luaL_argerror(L, 2, c"interval is empty".as_ptr());
        }
        lua_pushnumber(L, (r * (upper as f64 - lower as f64 + 1.0)).floor() + lower as f64);
      }
      _ => {
        push_bytes(L, b"wrong number of arguments");
        return raise_with_position(L);
      }
    }
    1
  }
}

/// `math.randomseed(n)`: restarts `lrand48` from `n`.
unsafe extern "C" fn math_randomseed(L: *mut lua_State) -> c_int {
  // SAFETY: a C function call; the argument check raises before anything is owned.
  unsafe {
    let seed = luaL_checkinteger(L, 1) as i32;
    shared(L).rand48.set((((seed as u32) as u64) << 16) | 0x330E);
    0
  }
}

/// Pushes the string form Redis gives a Lua number passed to a command (`%.17g`).
pub(crate) fn number_argument(n: f64, into: &mut Vec<u8>) {
  into.extend_from_slice(crate::num::format_double(n).as_bytes());
}

/// Pushes `{err=…}` for `message` with a `counted` mark.
pub(crate) unsafe fn push_counted_error(L: *mut lua_State, message: &[u8]) {
  // SAFETY: forwarded.
  unsafe {
    push_error_table(L, message);
    convert::mark_counted(L);
  }
}
