//! The Lua 5.1 C API, declared by hand: the functions of `lua.h` and `lauxlib.h` this project
//! calls, and Rust versions of the macros it uses.
//!
//! Lua reports errors with `longjmp`. A Rust frame that a `longjmp` skips must not own
//! anything with a destructor, so every function here that may raise an error (marked *may
//! raise*) is called only where no such value is alive; see the crate comment.

#![allow(non_camel_case_types)]
// Every function here has the C API's one contract: `L` is a live state, and indexes and
// pointers are valid for it; the module comment says which functions may raise.
#![allow(clippy::missing_safety_doc)]

use std::ffi::{c_char, c_int, c_void};

/// An opaque Lua state.
#[repr(C)]
pub struct lua_State {
  _private: [u8; 0],
}

pub type lua_Number = f64;
pub type lua_Integer = isize;
pub type lua_CFunction = unsafe extern "C" fn(*mut lua_State) -> c_int;
pub type lua_Reader = unsafe extern "C" fn(*mut lua_State, *mut c_void, *mut usize) -> *const c_char;
pub type lua_Alloc = unsafe extern "C" fn(*mut c_void, *mut c_void, usize, usize) -> *mut c_void;
pub type lua_Hook = unsafe extern "C" fn(*mut lua_State, *mut lua_Debug);

pub const LUA_REGISTRYINDEX: c_int = -10000;
pub const LUA_ENVIRONINDEX: c_int = -10001;
pub const LUA_GLOBALSINDEX: c_int = -10002;
pub const LUA_MULTRET: c_int = -1;

pub const LUA_TNONE: c_int = -1;
pub const LUA_TNIL: c_int = 0;
pub const LUA_TBOOLEAN: c_int = 1;
pub const LUA_TLIGHTUSERDATA: c_int = 2;
pub const LUA_TNUMBER: c_int = 3;
pub const LUA_TSTRING: c_int = 4;
pub const LUA_TTABLE: c_int = 5;
pub const LUA_TFUNCTION: c_int = 6;
pub const LUA_TUSERDATA: c_int = 7;
pub const LUA_TTHREAD: c_int = 8;

pub const LUA_OK: c_int = 0;
pub const LUA_ERRRUN: c_int = 2;
pub const LUA_ERRSYNTAX: c_int = 3;
pub const LUA_ERRMEM: c_int = 4;
pub const LUA_ERRERR: c_int = 5;

pub const LUA_GCSTOP: c_int = 0;
pub const LUA_GCRESTART: c_int = 1;
pub const LUA_GCCOLLECT: c_int = 2;
pub const LUA_GCCOUNT: c_int = 3;
pub const LUA_GCCOUNTB: c_int = 4;
pub const LUA_GCSTEP: c_int = 5;

pub const LUA_MASKCALL: c_int = 1 << 0;
pub const LUA_MASKRET: c_int = 1 << 1;
pub const LUA_MASKLINE: c_int = 1 << 2;
pub const LUA_MASKCOUNT: c_int = 1 << 3;

pub const LUA_IDSIZE: usize = 60;

/// `lua_Debug`, as laid out by Lua 5.1.
#[repr(C)]
pub struct lua_Debug {
  pub event: c_int,
  pub name: *const c_char,
  pub namewhat: *const c_char,
  pub what: *const c_char,
  pub source: *const c_char,
  pub currentline: c_int,
  pub nups: c_int,
  pub linedefined: c_int,
  pub lastlinedefined: c_int,
  pub short_src: [c_char; LUA_IDSIZE],
  i_ci: c_int,
}

impl Default for lua_Debug {
  fn default() -> Self {
    lua_Debug {
      event: 0,
      name: std::ptr::null(),
      namewhat: std::ptr::null(),
      what: std::ptr::null(),
      source: std::ptr::null(),
      currentline: 0,
      nups: 0,
      linedefined: 0,
      lastlinedefined: 0,
      short_src: [0; LUA_IDSIZE],
      i_ci: 0,
    }
  }
}

/// One entry of a `luaL_register` list.
#[repr(C)]
pub struct luaL_Reg {
  pub name: *const c_char,
  pub func: Option<lua_CFunction>,
}

extern "C" {
  pub fn lua_newstate(f: lua_Alloc, ud: *mut c_void) -> *mut lua_State;
  pub fn lua_close(L: *mut lua_State);
  pub fn lua_newthread(L: *mut lua_State) -> *mut lua_State;
  pub fn lua_atpanic(L: *mut lua_State, panicf: lua_CFunction) -> lua_CFunction;

  pub fn lua_gettop(L: *mut lua_State) -> c_int;
  pub fn lua_settop(L: *mut lua_State, idx: c_int);
  pub fn lua_pushvalue(L: *mut lua_State, idx: c_int);
  pub fn lua_remove(L: *mut lua_State, idx: c_int);
  pub fn lua_insert(L: *mut lua_State, idx: c_int);
  pub fn lua_replace(L: *mut lua_State, idx: c_int);
  pub fn lua_checkstack(L: *mut lua_State, sz: c_int) -> c_int;

  pub fn lua_isnumber(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_isstring(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_iscfunction(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_type(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_typename(L: *mut lua_State, tp: c_int) -> *const c_char;
  pub fn lua_rawequal(L: *mut lua_State, idx1: c_int, idx2: c_int) -> c_int;

  pub fn lua_tonumber(L: *mut lua_State, idx: c_int) -> lua_Number;
  pub fn lua_tointeger(L: *mut lua_State, idx: c_int) -> lua_Integer;
  pub fn lua_toboolean(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_tolstring(L: *mut lua_State, idx: c_int, len: *mut usize) -> *const c_char;
  pub fn lua_objlen(L: *mut lua_State, idx: c_int) -> usize;
  pub fn lua_tocfunction(L: *mut lua_State, idx: c_int) -> Option<lua_CFunction>;
  pub fn lua_touserdata(L: *mut lua_State, idx: c_int) -> *mut c_void;
  pub fn lua_topointer(L: *mut lua_State, idx: c_int) -> *const c_void;

  pub fn lua_pushnil(L: *mut lua_State);
  pub fn lua_pushnumber(L: *mut lua_State, n: lua_Number);
  pub fn lua_pushinteger(L: *mut lua_State, n: lua_Integer);
  pub fn lua_pushlstring(L: *mut lua_State, s: *const c_char, l: usize);
  pub fn lua_pushstring(L: *mut lua_State, s: *const c_char);
  pub fn lua_pushcclosure(L: *mut lua_State, f: lua_CFunction, n: c_int);
  pub fn lua_pushboolean(L: *mut lua_State, b: c_int);
  pub fn lua_pushlightuserdata(L: *mut lua_State, p: *mut c_void);

  /// May raise (a metamethod).
  pub fn lua_gettable(L: *mut lua_State, idx: c_int);
  /// May raise (a metamethod).
  pub fn lua_getfield(L: *mut lua_State, idx: c_int, k: *const c_char);
  pub fn lua_rawget(L: *mut lua_State, idx: c_int);
  pub fn lua_rawgeti(L: *mut lua_State, idx: c_int, n: c_int);
  pub fn lua_createtable(L: *mut lua_State, narr: c_int, nrec: c_int);
  pub fn lua_newuserdata(L: *mut lua_State, sz: usize) -> *mut c_void;
  pub fn lua_getmetatable(L: *mut lua_State, objindex: c_int) -> c_int;
  pub fn lua_getfenv(L: *mut lua_State, idx: c_int);

  /// May raise (a metamethod, a read-only table).
  pub fn lua_settable(L: *mut lua_State, idx: c_int);
  /// May raise (a metamethod, a read-only table).
  pub fn lua_setfield(L: *mut lua_State, idx: c_int, k: *const c_char);
  /// May raise (a read-only table).
  pub fn lua_rawset(L: *mut lua_State, idx: c_int);
  /// May raise (a read-only table).
  pub fn lua_rawseti(L: *mut lua_State, idx: c_int, n: c_int);
  /// May raise (a read-only table).
  pub fn lua_setmetatable(L: *mut lua_State, objindex: c_int) -> c_int;
  pub fn lua_setfenv(L: *mut lua_State, idx: c_int) -> c_int;

  pub fn lua_call(L: *mut lua_State, nargs: c_int, nresults: c_int);
  pub fn lua_pcall(L: *mut lua_State, nargs: c_int, nresults: c_int, errfunc: c_int) -> c_int;
  pub fn lua_load(L: *mut lua_State, reader: lua_Reader, dt: *mut c_void, chunkname: *const c_char) -> c_int;

  pub fn lua_gc(L: *mut lua_State, what: c_int, data: c_int) -> c_int;

  /// Raises the value on the top of the stack as an error; never returns.
  pub fn lua_error(L: *mut lua_State) -> c_int;
  /// May raise (an invalid key).
  pub fn lua_next(L: *mut lua_State, idx: c_int) -> c_int;
  pub fn lua_concat(L: *mut lua_State, n: c_int);

  pub fn lua_getstack(L: *mut lua_State, level: c_int, ar: *mut lua_Debug) -> c_int;
  pub fn lua_getinfo(L: *mut lua_State, what: *const c_char, ar: *mut lua_Debug) -> c_int;
  pub fn lua_sethook(L: *mut lua_State, func: Option<lua_Hook>, mask: c_int, count: c_int) -> c_int;

  pub fn lua_enablereadonlytable(L: *mut lua_State, objindex: c_int, enabled: c_int);
  pub fn lua_isreadonlytable(L: *mut lua_State, objindex: c_int) -> c_int;

  pub fn luaL_newstate() -> *mut lua_State;
  pub fn luaL_loadbuffer(L: *mut lua_State, buff: *const c_char, sz: usize, name: *const c_char) -> c_int;
  /// May raise.
  pub fn luaL_register(L: *mut lua_State, libname: *const c_char, l: *const luaL_Reg);
  /// May raise.
  pub fn luaL_argerror(L: *mut lua_State, numarg: c_int, extramsg: *const c_char) -> c_int;
  /// May raise.
  pub fn luaL_typerror(L: *mut lua_State, narg: c_int, tname: *const c_char) -> c_int;
  /// May raise.
  pub fn luaL_checklstring(L: *mut lua_State, numArg: c_int, l: *mut usize) -> *const c_char;
  /// May raise.
  pub fn luaL_optlstring(L: *mut lua_State, numArg: c_int, def: *const c_char, l: *mut usize) -> *const c_char;
  /// May raise.
  pub fn luaL_checknumber(L: *mut lua_State, numArg: c_int) -> lua_Number;
  /// May raise.
  pub fn luaL_optnumber(L: *mut lua_State, nArg: c_int, def: lua_Number) -> lua_Number;
  /// May raise.
  pub fn luaL_checkinteger(L: *mut lua_State, numArg: c_int) -> lua_Integer;
  /// May raise.
  pub fn luaL_optinteger(L: *mut lua_State, nArg: c_int, def: lua_Integer) -> lua_Integer;
  /// May raise.
  pub fn luaL_checkoption(L: *mut lua_State, narg: c_int, def: *const c_char, lst: *const *const c_char) -> c_int;
  /// May raise.
  pub fn luaL_checkstack(L: *mut lua_State, sz: c_int, msg: *const c_char);
  /// May raise.
  pub fn luaL_checktype(L: *mut lua_State, narg: c_int, t: c_int);
  /// May raise.
  pub fn luaL_checkany(L: *mut lua_State, narg: c_int);
  /// May raise.
  pub fn luaL_where(L: *mut lua_State, lvl: c_int);
  pub fn luaL_ref(L: *mut lua_State, t: c_int) -> c_int;
  pub fn luaL_unref(L: *mut lua_State, t: c_int, r#ref: c_int);

  pub fn luaopen_base(L: *mut lua_State) -> c_int;
  pub fn luaopen_table(L: *mut lua_State) -> c_int;
  pub fn luaopen_string(L: *mut lua_State) -> c_int;
  pub fn luaopen_math(L: *mut lua_State) -> c_int;
  pub fn luaopen_debug(L: *mut lua_State) -> c_int;
}

#[inline]
pub unsafe fn lua_pop(L: *mut lua_State, n: c_int) {
  // SAFETY: the caller guarantees `L` is a live state with at least `n` values pushed.
  unsafe { lua_settop(L, -n - 1) }
}

#[inline]
pub unsafe fn lua_newtable(L: *mut lua_State) {
  // SAFETY: the caller guarantees `L` is a live state.
  unsafe { lua_createtable(L, 0, 0) }
}

#[inline]
pub unsafe fn lua_pushcfunction(L: *mut lua_State, f: lua_CFunction) {
  // SAFETY: the caller guarantees `L` is a live state.
  unsafe { lua_pushcclosure(L, f, 0) }
}

#[inline]
pub fn lua_upvalueindex(i: c_int) -> c_int {
  LUA_GLOBALSINDEX - i
}

#[inline]
pub unsafe fn lua_isnil(L: *mut lua_State, idx: c_int) -> bool {
  // SAFETY: the caller guarantees `L` is a live state.
  unsafe { lua_type(L, idx) == LUA_TNIL }
}

#[inline]
pub unsafe fn lua_istable(L: *mut lua_State, idx: c_int) -> bool {
  // SAFETY: the caller guarantees `L` is a live state.
  unsafe { lua_type(L, idx) == LUA_TTABLE }
}

#[inline]
pub unsafe fn lua_isfunction(L: *mut lua_State, idx: c_int) -> bool {
  // SAFETY: the caller guarantees `L` is a live state.
  unsafe { lua_type(L, idx) == LUA_TFUNCTION }
}

/// `lua_getfield(L, LUA_GLOBALSINDEX, name)`. May raise.
#[inline]
pub unsafe fn lua_getglobal(L: *mut lua_State, name: *const c_char) {
  // SAFETY: the caller guarantees `L` is a live state and `name` a C string.
  unsafe { lua_getfield(L, LUA_GLOBALSINDEX, name) }
}

/// `lua_setfield(L, LUA_GLOBALSINDEX, name)`. May raise.
#[inline]
pub unsafe fn lua_setglobal(L: *mut lua_State, name: *const c_char) {
  // SAFETY: the caller guarantees `L` is a live state and `name` a C string.
  unsafe { lua_setfield(L, LUA_GLOBALSINDEX, name) }
}
