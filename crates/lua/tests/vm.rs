//! The vendored Lua runs, and its changes behave as documented (lua-5.1.5/README.md).

// `L` names a Lua state, as in Lua's own C code.
#![allow(non_snake_case)]

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

#[test]
fn pooled_states_run_allocation_heavy_code() {
  let mut pool = redwing_lua::alloc::Pool::default();
  let L = redwing_lua::alloc::new_state(&mut pool);
  let code = "local t = {} \
    for i = 1, 20000 do t[i] = string.rep('x', i % 700) .. i end \
    local sizes = 0 for i = 1, #t do sizes = sizes + #t[i] end \
    local grow = {} for i = 1, 5000 do grow[#grow + 1] = {i, tostring(i)} end \
    t = nil collectgarbage() \
    local again = {} for i = 1, 20000 do again[i] = 'y' .. i end \
    table.sort(again) \
    return sizes .. ':' .. #grow .. ':' .. again[1] .. ':' .. again[20000]";
  unsafe {
    for open in [luaopen_base, luaopen_string, luaopen_table] {
      lua_pushcfunction(L, open);
      lua_call(L, 0, 0);
    }
    assert_eq!(luaL_loadbuffer(L, code.as_ptr().cast(), code.len(), c"@test".as_ptr()), 0);
    assert_eq!(lua_pcall(L, 0, 1, 0), 0, "{:?}", to_bytes(L, -1).map(String::from_utf8_lossy));
    let expected: usize = (1..=20000).map(|i: usize| i % 700 + i.to_string().len()).sum();
    assert_eq!(String::from_utf8_lossy(to_bytes(L, -1).unwrap()), format!("{expected}:5000:y1:y9999"));
    lua_close(L);
  }
}
