//! Lua 5.1.5 for redwing's scripting: the C API (`ffi`), the Lua build itself (compiled by
//! `build.rs` from `lua-5.1.5/`, with read-only tables added), a pooling allocator for its
//! states (`alloc`), and the libraries Redis gives every script (`libs`): `cjson`, `cmsgpack`,
//! `bit` and `struct`, written in Rust with Redis's behaviour.
//!
//! # Errors and `longjmp`
//! Lua raises errors with `longjmp`, which skips the Rust frames between the raise and the
//! protected call without running their destructors. A C function written in Rust therefore
//! follows one rule: it reads its arguments, does its work in a closure run by [`guarded`], and
//! raises an error only through the `Err` that closure returns: `guarded` raises it after every
//! value the closure owned has been dropped. The only raising calls made elsewhere are the
//! argument checks of `lauxlib` (`luaL_check*`), made before anything with a destructor exists.
//! A panic in the closure becomes a Lua error too, never a crossing of the C boundary.

#![allow(non_snake_case)]

pub mod alloc;
pub mod ffi;
pub mod libs;

use ffi::*;
use std::ffi::c_int;

/// An error a C function written in Rust raises (see the crate comment).
#[derive(Debug)]
pub struct LuaError(pub Vec<u8>);

impl<T: Into<Vec<u8>>> From<T> for LuaError {
  fn from(message: T) -> Self {
    LuaError(message.into())
  }
}

/// Runs the body of a C function and returns its result count, raising the body's error (or
/// its panic, as an error) once everything it owned is gone.
///
/// # Safety
/// `L` is the live state that called the C function, and no value with a destructor is alive
/// in the calling frame.
pub unsafe fn guarded(L: *mut lua_State, body: impl FnOnce() -> Result<c_int, LuaError>) -> c_int {
  let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
  let message = match result {
    Ok(Ok(count)) => return count,
    Ok(Err(LuaError(message))) => message,
    Err(_) => b"internal error in a Lua library".to_vec(),
  };
  // SAFETY: `L` is live; the message is copied into Lua before it is dropped, and nothing with
  // a destructor is left in this frame when `lua_error` jumps out of it.
  unsafe {
    push_bytes(L, &message);
    drop(message);
    lua_error(L)
  }
}

/// Pushes a byte string.
///
/// # Safety
/// `L` is a live state with room on its stack.
#[inline]
pub unsafe fn push_bytes(L: *mut lua_State, bytes: &[u8]) {
  // SAFETY: the pointer and length describe `bytes`, which Lua copies.
  unsafe { lua_pushlstring(L, bytes.as_ptr().cast(), bytes.len()) }
}

/// The bytes of the string (or number, converted in place as `lua_tolstring` does) at `idx`.
///
/// # Safety
/// `L` is a live state; the slice is valid while the value stays on the stack.
#[inline]
pub unsafe fn to_bytes<'a>(L: *mut lua_State, idx: c_int) -> Option<&'a [u8]> {
  let mut len = 0usize;
  // SAFETY: `L` is live; Lua returns a pointer to `len` bytes owned by the value at `idx`.
  unsafe {
    let ptr = lua_tolstring(L, idx, &mut len);
    if ptr.is_null() {
      None
    } else {
      Some(std::slice::from_raw_parts(ptr.cast(), len))
    }
  }
}

/// Registers a library: the global table `name` holding `functions` (as `luaL_register`),
/// left on the stack.
///
/// # Safety
/// `L` is a live state, called from a protected context (registration may raise on memory
/// exhaustion).
pub unsafe fn register(L: *mut lua_State, name: &std::ffi::CStr, functions: &[(&std::ffi::CStr, lua_CFunction)]) {
  // SAFETY: `L` is live; the table is built on its stack and stored under `name`.
  unsafe {
    lua_getglobal(L, name.as_ptr());
    if !lua_istable(L, -1) {
      lua_pop(L, 1);
      lua_createtable(L, 0, functions.len() as c_int);
      lua_pushvalue(L, -1);
      lua_setglobal(L, name.as_ptr());
    }
    for (function_name, function) in functions {
      lua_pushcfunction(L, *function);
      lua_setfield(L, -2, function_name.as_ptr());
    }
  }
}
