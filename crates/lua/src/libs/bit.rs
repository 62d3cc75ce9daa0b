//! The `bit` library (LuaBitOp 1.0.2) Redis gives scripts: bitwise operations on 32-bit
//! integers, whose results are numbers holding a signed 32-bit value.
//!
//! # Converting numbers
//! An argument becomes 32 bits by adding 2^52 + 2^51 to it as a double and keeping the low 32
//! bits of the sum's representation. For a number of magnitude below 2^51 the sum lies in
//! [2^52, 2^53), where a double's step is exactly 1, so the low mantissa bits hold the number
//! rounded half to even, in two's complement: 1.5 and 2.5 both give 2, -1 gives 0xffffffff.
//! Larger magnitudes round more coarsely and infinities and NaN give 0. An argument that is not
//! a number (nor a string convertible to one) is refused only when those 32 bits are 0, which
//! is always the case for values that convert to 0.
//!
//! # Errors
//! Nothing here owns a value with a destructor, and the only error is the type error `lauxlib`
//! raises while an argument is read, so the functions call it directly.

use crate::ffi::*;
use crate::{push_bytes, register};
use std::ffi::c_int;

/// Added to a number so that its low 32 bits land, rounded, in the low bits of the mantissa.
const ROUNDING_BIAS: f64 = 6_755_399_441_055_744.0;

/// The 32 bits of argument `idx`, raising a type error for a non-number.
///
/// # Safety
/// `L` is the live state running a library function; nothing with a destructor is alive.
unsafe fn bits_arg(L: *mut lua_State, idx: c_int) -> u32 {
  // SAFETY: `L` is live; the type error is raised with no destructor pending (see above).
  unsafe {
    let number = lua_tonumber(L, idx);
    let bits = (number + ROUNDING_BIAS).to_bits() as u32;
    if bits == 0 && lua_isnumber(L, idx) == 0 {
      luaL_typerror(L, idx, c"number".as_ptr());
    }
    bits
  }
}

/// Pushes 32 bits as the signed number they represent; returns the result count.
///
/// # Safety
/// `L` is a live state with room on its stack.
unsafe fn push_bits(L: *mut lua_State, bits: u32) -> c_int {
  // SAFETY: `L` is live.
  unsafe { lua_pushnumber(L, f64::from(bits as i32)) };
  1
}

/// Combines every argument with `op`: the first with the last, then with the one before it,
/// down to the second (the order in which argument errors are found).
///
/// # Safety
/// As [`bits_arg`].
unsafe fn fold_args(L: *mut lua_State, op: fn(u32, u32) -> u32) -> c_int {
  // SAFETY: `L` is live and the arguments are read in place.
  unsafe {
    let mut bits = bits_arg(L, 1);
    let mut idx = lua_gettop(L);
    while idx > 1 {
      bits = op(bits, bits_arg(L, idx));
      idx -= 1;
    }
    push_bits(L, bits)
  }
}

/// Applies a shift or rotation by the second argument's low 5 bits to the first.
///
/// # Safety
/// As [`bits_arg`].
unsafe fn shift_args(L: *mut lua_State, op: fn(u32, u32) -> u32) -> c_int {
  // SAFETY: `L` is live and the arguments are read in place.
  unsafe {
    let bits = bits_arg(L, 1);
    let count = bits_arg(L, 2) & 31;
    push_bits(L, op(bits, count))
  }
}

/// `bit.tobit(x)`: `x` normalised to a signed 32-bit number.
unsafe extern "C" fn tobit(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { push_bits(L, bits_arg(L, 1)) }
}

/// `bit.bnot(x)`: the bitwise complement.
unsafe extern "C" fn bnot(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { push_bits(L, !bits_arg(L, 1)) }
}

/// `bit.band(x, ...)`: the bitwise and of every argument.
unsafe extern "C" fn band(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { fold_args(L, |a, b| a & b) }
}

/// `bit.bor(x, ...)`: the bitwise or of every argument.
unsafe extern "C" fn bor(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { fold_args(L, |a, b| a | b) }
}

/// `bit.bxor(x, ...)`: the bitwise exclusive or of every argument.
unsafe extern "C" fn bxor(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { fold_args(L, |a, b| a ^ b) }
}

/// `bit.lshift(x, n)`: logical left shift.
unsafe extern "C" fn lshift(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { shift_args(L, |bits, count| bits << count) }
}

/// `bit.rshift(x, n)`: logical right shift.
unsafe extern "C" fn rshift(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { shift_args(L, |bits, count| bits >> count) }
}

/// `bit.arshift(x, n)`: arithmetic right shift, copying the sign bit.
unsafe extern "C" fn arshift(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { shift_args(L, |bits, count| ((bits as i32) >> count) as u32) }
}

/// `bit.rol(x, n)`: left rotation.
unsafe extern "C" fn rol(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { shift_args(L, u32::rotate_left) }
}

/// `bit.ror(x, n)`: right rotation.
unsafe extern "C" fn ror(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { shift_args(L, u32::rotate_right) }
}

/// `bit.bswap(x)`: the four bytes in reverse order.
unsafe extern "C" fn bswap(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state.
  unsafe { push_bits(L, bits_arg(L, 1).swap_bytes()) }
}

/// `bit.tohex(x [, n])`: the low `|n|` hex digits of `x` (at most 8, 8 when `n` is absent),
/// in upper case when `n` is negative.
unsafe extern "C" fn tohex(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state; the digits are copied by `push_bytes`.
  unsafe {
    let mut bits = bits_arg(L, 1);
    let width = if lua_type(L, 2) == LUA_TNONE { 8 } else { bits_arg(L, 2) as i32 };
    let digits: &[u8; 16] = if width < 0 { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let count = width.unsigned_abs().min(8) as usize;
    let mut text = [0u8; 8];
    for slot in text[..count].iter_mut().rev() {
      *slot = digits[(bits & 15) as usize];
      bits >>= 4;
    }
    push_bytes(L, &text[..count]);
    1
  }
}

/// Opens the library as the global table `bit`, left on the stack.
///
/// # Safety
/// `L` is a live state, called from a protected context.
pub unsafe extern "C" fn open(L: *mut lua_State) -> c_int {
  let functions: [(&std::ffi::CStr, lua_CFunction); 12] = [
    (c"tobit", tobit),
    (c"bnot", bnot),
    (c"band", band),
    (c"bor", bor),
    (c"bxor", bxor),
    (c"lshift", lshift),
    (c"rshift", rshift),
    (c"arshift", arshift),
    (c"rol", rol),
    (c"ror", ror),
    (c"bswap", bswap),
    (c"tohex", tohex),
  ];
  // SAFETY: `L` is live and the caller provides the protected context `register` needs.
  unsafe { register(L, c"bit", &functions) };
  1
}
