//! The vendored Lua runs, and its changes behave as documented (lua-5.1.5/README.md).

use redwing_lua::ffi::*;
use redwing_lua::{push_bytes, to_bytes};

/// Runs `code` in a fresh state with the base library; returns the first result or the error,
/// as text.
fn run(code: &str, setup: impl FnOnce(*mut lua_State)) -> Result<String, String> {
  unsafe {
    let L = luaL_newstate();
    lua_pushcfunction(L, luaopen_base);
    lua_call(L, 0, 0);
    setup(L);
    let loaded = luaL_loadbuffer(L, code.as_ptr().cast(), code.len(), c"@test".as_ptr());
    let status = if loaded == 0 { lua_pcall(L, 0, 1, 0) } else { loaded };
    let text = String::from_utf8_lossy(to_bytes(L, -1).unwrap_or(b"nil")).into_owned();
    lua_close(L);
    if status == 0 {
      Ok(text)
    } else {
      Err(text)
    }
  }
}

#[test]
fn runs_lua() {
  assert_eq!(run("return 1 + 1", |_| {}), Ok("2".into()));
  assert_eq!(run("return 10 / 4", |_| {}), Ok("2.5".into()));
}

#[test]
fn read_only_tables_refuse_every_kind_of_write() {
  let lock = |L: *mut lua_State| unsafe {
    lua_newtable(L);
    push_bytes(L, b"x");
    lua_pushnumber(L, 1.0);
    lua_rawset(L, -3);
    lua_enablereadonlytable(L, -1, 1);
    lua_setglobal(L, c"locked".as_ptr());
  };
  assert_eq!(run("locked.y = 1", lock), Err("test:1: Attempt to modify a readonly table".into()));
  assert_eq!(run("locked.x = 2", lock), Err("test:1: Attempt to modify a readonly table".into()));
  assert_eq!(run("rawset(locked, 'y', 1)", lock), Err("Attempt to modify a readonly table".into()));
  assert_eq!(run("setmetatable(locked, {})", lock), Err("Attempt to modify a readonly table".into()));
  assert_eq!(run("return locked.x", lock), Ok("1".into()));
}

#[test]
fn bytecode_is_not_loaded() {
  let result = run("local f = loadstring(string.dump(function() return 1 end)) return f", |L| unsafe {
    lua_pushcfunction(L, luaopen_string);
    lua_call(L, 0, 0);
  });
  assert_eq!(result, Ok("nil".into()));
}
