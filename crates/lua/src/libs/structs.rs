//! The `struct` library Redis gives scripts: `struct.pack`, `struct.unpack` and `struct.size`
//! convert between Lua values and binary records described by a format string.
//!
//! # Formats
//! A format is read byte by byte up to its end or its first zero byte. Options:
//! - `>` big endian, `<` little endian (the default is the machine's order), `' '` ignored;
//! - `![n]` sets the maximum alignment to `n` (a power of 2; 8 without `n`); the default 1
//!   means no padding;
//! - `b`/`B` signed/unsigned char, `h`/`H` short (2 bytes), `l`/`L` long (8), `T` size_t (8),
//!   `i[n]`/`I[n]` an integer of `n` bytes (4 without `n`, at most 32);
//! - `f` float, `d` double;
//! - `s` a zero-terminated string; `c[n]` `n` bytes of a string (1 without `n`): packing `c0`
//!   takes the whole string, unpacking `c0` takes as many bytes as the previous result says;
//! - `x` one byte of padding.
//!
//! An item whose size is not 0 is aligned to its size or to the maximum alignment, whichever
//! is smaller (computed as a power-of-two mask even for sizes such as 3); `c` is never aligned.
//!
//! # Integers
//! Integers go through 64 bits. Packing converts the number to a 64-bit pattern as x86-64
//! machine code does (out-of-range values and NaN give `0x8000000000000000`, values from 2^64
//! up give 0) and writes its low bytes, zeros past the eighth. Unpacking keeps the last eight
//! bytes read and sign-extends from bit `(8 * size - 1) mod 64`.
//!
//! # Errors
//! Messages carry the caller's position and the argument numbering of `lauxlib`; the checks of
//! the first arguments are made by `lauxlib` itself before any work starts.

use crate::ffi::*;
use crate::{guarded, push_bytes, register, to_bytes, LuaError};
use std::ffi::{c_int, CStr};

/// The largest size an `i`/`I` option may ask for.
const MAX_INT_SIZE: usize = 32;
/// The alignment `!` sets when it has no number: the alignment of a double.
const DEFAULT_MAX_ALIGN: usize = 8;

/// Byte order of the items that follow.
#[derive(Clone, Copy, PartialEq)]
enum Endian {
  Big,
  Little,
}

impl Endian {
  const NATIVE: Endian = if cfg!(target_endian = "big") { Endian::Big } else { Endian::Little };
}

/// The settings the control options change while a format is read.
struct Settings {
  endian: Endian,
  max_align: usize,
}

impl Default for Settings {
  fn default() -> Self {
    Settings { endian: Endian::NATIVE, max_align: 1 }
  }
}

/// A format being read: the bytes before its first zero byte, and the read position.
struct Format<'a> {
  bytes: &'a [u8],
  next: usize,
}

impl<'a> Format<'a> {
  fn new(text: &'a [u8]) -> Self {
    let end = text.iter().position(|&byte| byte == 0).unwrap_or(text.len());
    Format { bytes: &text[..end], next: 0 }
  }

  fn option(&mut self) -> Option<u8> {
    let option = *self.bytes.get(self.next)?;
    self.next += 1;
    Some(option)
  }

  /// The decimal number written at the read position, or `default` when there is none.
  fn number(&mut self, L: *mut lua_State, default: usize) -> Result<usize, LuaError> {
    let mut value: i32 = 0;
    let mut seen = false;
    while let Some(digit) = self.bytes.get(self.next).filter(|byte| byte.is_ascii_digit()) {
      value = value
        .checked_mul(10)
        .and_then(|tens| tens.checked_add(i32::from(digit - b'0')))
        // SAFETY: `L` is the live state running the library function.
        .ok_or_else(|| unsafe { error(L, b"integral size overflow") })?;
      seen = true;
      self.next += 1;
    }
    Ok(if seen { value as usize } else { default })
  }
}

/// The size of `option`, reading the number that follows it where it takes one; 0 for the
/// options that are not items.
fn option_size(L: *mut lua_State, option: u8, format: &mut Format) -> Result<usize, LuaError> {
  Ok(match option {
    b'b' | b'B' | b'x' => 1,
    b'h' | b'H' => 2,
    b'l' | b'L' | b'T' | b'd' => 8,
    b'f' => 4,
    b'c' => format.number(L, 1)?,
    b'i' | b'I' => {
      let size = format.number(L, 4)?;
      if size > MAX_INT_SIZE {
        let message = format!("integral size {size} is larger than limit of {MAX_INT_SIZE}");
        // SAFETY: `L` is the live state running the library function.
        return Err(unsafe { error(L, message.as_bytes()) });
      }
      size
    }
    _ => 0,
  })
}

/// The padding that aligns an item of `size` bytes of `option` at `offset`.
fn padding(offset: usize, settings: &Settings, option: u8, size: usize) -> usize {
  if size == 0 || option == b'c' {
    return 0;
  }
  let mask = size.min(settings.max_align).wrapping_sub(1);
  (mask + 1).wrapping_sub(offset & mask) & mask
}

/// Applies a control option (byte order, alignment, space); any other byte is an error.
fn apply_control(L: *mut lua_State, option: u8, format: &mut Format, settings: &mut Settings) -> Result<(), LuaError> {
  match option {
    b' ' => {}
    b'>' => settings.endian = Endian::Big,
    b'<' => settings.endian = Endian::Little,
    b'!' => {
      let align = format.number(L, DEFAULT_MAX_ALIGN)?;
      if !align.is_power_of_two() {
        let message = format!("alignment {align} is not a power of 2");
        // SAFETY: `L` is the live state running the library function.
        return Err(unsafe { error(L, message.as_bytes()) });
      }
      settings.max_align = align;
    }
    _ => {
      let mut message = b"invalid format option '".to_vec();
      message.extend_from_slice(&[option, b'\'']);
      // SAFETY: `L` is the live state running the library function.
      return Err(unsafe { arg_error(L, 1, &message) });
    }
  }
  Ok(())
}

/// `error` of `lauxlib`: `message` after the position of the Lua code that called the running
/// function.
///
/// # Safety
/// `L` is the live state running a library function.
unsafe fn error(L: *mut lua_State, message: &[u8]) -> LuaError {
  let mut text = Vec::new();
  let mut frame = lua_Debug::default();
  // SAFETY: `L` is live; `lua_getinfo` fills `frame` (it neither raises nor pushes for "Sl"),
  // and `short_src` is a zero-terminated string inside it.
  unsafe {
    if lua_getstack(L, 1, &mut frame) != 0 {
      lua_getinfo(L, c"Sl".as_ptr(), &mut frame);
      if frame.currentline > 0 {
        text.extend_from_slice(CStr::from_ptr(frame.short_src.as_ptr()).to_bytes());
        text.extend_from_slice(format!(":{}: ", frame.currentline).as_bytes());
      }
    }
  }
  text.extend_from_slice(message);
  LuaError(text)
}

/// The error `lauxlib` raises for a bad argument: named after the running function as called,
/// not counting `self` in a method call.
///
/// # Safety
/// `L` is the live state running a library function.
unsafe fn arg_error(L: *mut lua_State, arg: c_int, message: &[u8]) -> LuaError {
  let mut frame = lua_Debug::default();
  let mut text = Vec::new();
  let mut arg = arg;
  // SAFETY: `L` is live; `lua_getinfo` fills `frame` (it neither raises nor pushes for "n"),
  // and its `name` and `namewhat`, when not null, are zero-terminated strings.
  unsafe {
    if lua_getstack(L, 0, &mut frame) == 0 {
      text.extend_from_slice(format!("bad argument #{arg} (").as_bytes());
    } else {
      lua_getinfo(L, c"n".as_ptr(), &mut frame);
      let name = if frame.name.is_null() { b"?".as_slice() } else { CStr::from_ptr(frame.name).to_bytes() };
      if !frame.namewhat.is_null() && CStr::from_ptr(frame.namewhat).to_bytes() == b"method" {
        arg -= 1;
      }
      if arg == 0 {
        text.extend_from_slice(b"calling '");
        text.extend_from_slice(name);
        text.extend_from_slice(b"' on bad self (");
      } else {
        text.extend_from_slice(format!("bad argument #{arg} to '").as_bytes());
        text.extend_from_slice(name);
        text.extend_from_slice(b"' (");
      }
    }
    text.extend_from_slice(message);
    text.push(b')');
    error(L, &text)
  }
}

/// The error for argument `arg` not being of type `expected`; an argument past the last one
/// is reported as nil.
///
/// # Safety
/// `L` is the live state running a library function.
unsafe fn type_error(L: *mut lua_State, arg: c_int, expected: &str) -> LuaError {
  // SAFETY: `L` is live; `arg` is an index of one of its arguments, and type names are static
  // zero-terminated strings.
  unsafe {
    let actual = if arg > lua_gettop(L) { LUA_TNIL } else { lua_type(L, arg) };
    let actual = CStr::from_ptr(lua_typename(L, actual)).to_bytes();
    let mut message = format!("{expected} expected, got ").into_bytes();
    message.extend_from_slice(actual);
    arg_error(L, arg, &message)
  }
}

/// Argument `arg` as a number (numeric strings included).
///
/// # Safety
/// `L` is the live state running a library function.
unsafe fn number_arg(L: *mut lua_State, arg: c_int) -> Result<f64, LuaError> {
  // SAFETY: `L` is live and `arg` is checked to be one of its arguments before it is read.
  unsafe {
    if arg <= lua_gettop(L) {
      let number = lua_tonumber(L, arg);
      if number != 0.0 || lua_isnumber(L, arg) != 0 {
        return Ok(number);
      }
    }
    Err(type_error(L, arg, "number"))
  }
}

/// Argument `arg` as a string (a number is converted in place).
///
/// # Safety
/// `L` is the live state running a library function; the bytes stay valid while the argument
/// is on the stack.
unsafe fn string_arg<'a>(L: *mut lua_State, arg: c_int) -> Result<&'a [u8], LuaError> {
  // SAFETY: `L` is live and `arg` is checked to be one of its arguments before it is read.
  unsafe {
    if arg <= lua_gettop(L) {
      if let Some(bytes) = to_bytes(L, arg) {
        return Ok(bytes);
      }
    }
    Err(type_error(L, arg, "string"))
  }
}

/// Argument `arg` as a string, raising `lauxlib`'s error otherwise.
///
/// # Safety
/// `L` is the live state running a library function and nothing with a destructor is alive.
unsafe fn checked_string<'a>(L: *mut lua_State, arg: c_int) -> &'a [u8] {
  let mut len = 0usize;
  // SAFETY: `L` is live; `luaL_checklstring` returns `len` bytes owned by the argument or
  // raises with no destructor pending.
  unsafe { std::slice::from_raw_parts(luaL_checklstring(L, arg, &mut len).cast(), len) }
}

/// A double converted to a 64-bit signed integer as x86-64 does: truncated, or the "integer
/// indefinite" `i64::MIN` when out of range or NaN.
fn truncate_to_i64(number: f64) -> i64 {
  const LIMIT: f64 = 9_223_372_036_854_775_808.0;
  if (-LIMIT..LIMIT).contains(&number) {
    number as i64
  } else {
    i64::MIN
  }
}

/// A double converted to a 64-bit unsigned integer as x86-64 code generated for C does:
/// values from 2^63 up are converted after subtracting 2^63 and get the top bit back.
fn truncate_to_u64(number: f64) -> u64 {
  const HALF: f64 = 9_223_372_036_854_775_808.0;
  if number >= HALF {
    (truncate_to_i64(number - HALF) as u64) ^ (1 << 63)
  } else {
    truncate_to_i64(number) as u64
  }
}

/// Appends the `size` low bytes of the 64-bit pattern of `number` (zeros past the eighth).
fn put_integer(out: &mut Vec<u8>, number: f64, endian: Endian, size: usize) {
  let value = if number < 0.0 { truncate_to_i64(number) as u64 } else { truncate_to_u64(number) };
  let byte = |index: usize| if index < 8 { (value >> (8 * index)) as u8 } else { 0 };
  match endian {
    Endian::Little => out.extend((0..size).map(byte)),
    Endian::Big => out.extend((0..size).rev().map(byte)),
  }
}

/// The integer stored in `bytes`, as the number Lua receives.
fn get_integer(bytes: &[u8], endian: Endian, signed: bool) -> f64 {
  let accumulate = |value: u64, byte: &u8| (value << 8) | u64::from(*byte);
  let value = match endian {
    Endian::Big => bytes.iter().fold(0, accumulate),
    Endian::Little => bytes.iter().rev().fold(0, accumulate),
  };
  if !signed {
    return value as f64;
  }
  let sign_bit = (bytes.len() as u32).wrapping_mul(8).wrapping_sub(1) & 63;
  let extension = u64::MAX << sign_bit;
  let value = if value & extension != 0 { value | extension } else { value };
  value as i64 as f64
}

/// The `N` bytes of a float or double converted between `endian` order and the machine's.
fn reorder<const N: usize>(bytes: &[u8], endian: Endian) -> [u8; N] {
  let mut reordered = [0u8; N];
  for (slot, byte) in reordered.iter_mut().zip(bytes) {
    *slot = *byte;
  }
  if endian != Endian::NATIVE {
    reordered.reverse();
  }
  reordered
}

/// `struct.pack(format, ...)`: the values packed into a string.
unsafe extern "C" fn pack(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state; the format is checked before anything with a
  // destructor exists, and the argument strings stay on the stack while they are copied.
  unsafe {
    let format_text = checked_string(L, 1);
    guarded(L, || {
      let mut format = Format::new(format_text);
      let mut settings = Settings::default();
      let mut out = Vec::new();
      let mut arg = 2;
      while let Some(option) = format.option() {
        let size = option_size(L, option, &mut format)?;
        let fill = padding(out.len(), &settings, option, size);
        out.resize(out.len() + fill, 0);
        match option {
          b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
            put_integer(&mut out, number_arg(L, arg)?, settings.endian, size);
            arg += 1;
          }
          b'x' => out.push(0),
          b'f' => {
            let float = number_arg(L, arg)? as f32;
            out.extend(reorder::<4>(&float.to_ne_bytes(), settings.endian));
            arg += 1;
          }
          b'd' => {
            out.extend(reorder::<8>(&number_arg(L, arg)?.to_ne_bytes(), settings.endian));
            arg += 1;
          }
          b'c' | b's' => {
            let text = string_arg(L, arg)?;
            arg += 1;
            let size = if size == 0 { text.len() } else { size };
            let Some(bytes) = text.get(..size) else {
              // The argument number reported is the one after the short string.
              return Err(arg_error(L, arg, b"string too short"));
            };
            out.extend_from_slice(bytes);
            if option == b's' {
              out.push(0);
            }
          }
          _ => apply_control(L, option, &mut format, &mut settings)?,
        }
      }
      push_bytes(L, &out);
      Ok(1)
    })
  }
}

/// `struct.unpack(format, data [, start])`: the values read from `data` from byte `start`
/// (default 1), followed by the position after the last byte read.
unsafe extern "C" fn unpack(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state; the first arguments are checked before anything
  // with a destructor exists, `data` stays on the stack below the results, and the stack is
  // grown before each push.
  unsafe {
    let format_text = checked_string(L, 1);
    let data = checked_string(L, 2);
    let start = luaL_optinteger(L, 3, 1) as usize;
    if start == 0 {
      luaL_argerror(L, 3, c"offset must be 1 or greater".as_ptr());
    }
    guarded(L, || {
      let mut format = Format::new(format_text);
      let mut settings = Settings::default();
      let mut offset = start - 1;
      let mut results: c_int = 0;
      let field = |offset: usize, size: usize| data.get(offset..).and_then(|rest| rest.get(..size));
      let too_short = || arg_error(L, 2, b"data string too short");
      while let Some(option) = format.option() {
        let mut size = option_size(L, option, &mut format)?;
        offset = offset.wrapping_add(padding(offset, &settings, option, size));
        let Some(bytes) = field(offset, size) else { return Err(too_short()) };
        if lua_checkstack(L, 2) == 0 {
          return Err(error(L, b"stack overflow (too many results)"));
        }
        match option {
          b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
            lua_pushnumber(L, get_integer(bytes, settings.endian, option.is_ascii_lowercase()));
            results += 1;
          }
          b'x' => {}
          b'f' => {
            lua_pushnumber(L, f64::from(f32::from_ne_bytes(reorder(bytes, settings.endian))));
            results += 1;
          }
          b'd' => {
            lua_pushnumber(L, f64::from_ne_bytes(reorder(bytes, settings.endian)));
            results += 1;
          }
          b'c' => {
            let mut bytes = bytes;
            if size == 0 {
              if results == 0 || lua_isnumber(L, -1) == 0 {
                return Err(error(L, b"format 'c0' needs a previous size"));
              }
              size = truncate_to_u64(lua_tonumber(L, -1)) as usize;
              lua_pop(L, 1);
              results -= 1;
              bytes = field(offset, size).ok_or_else(too_short)?;
            }
            push_bytes(L, bytes);
            results += 1;
          }
          b's' => {
            let rest = data.get(offset..).unwrap_or_default();
            let Some(end) = rest.iter().position(|&byte| byte == 0) else {
              return Err(error(L, b"unfinished string in data"));
            };
            push_bytes(L, &rest[..end]);
            results += 1;
            size = end + 1;
          }
          _ => apply_control(L, option, &mut format, &mut settings)?,
        }
        offset = offset.wrapping_add(size);
      }
      lua_pushinteger(L, offset.wrapping_add(1) as lua_Integer);
      Ok(results + 1)
    })
  }
}

/// `struct.size(format)`: the number of bytes `pack` makes for `format`, which may hold no
/// `s` or `c0`. Letters and digits that are not options count as nothing.
unsafe extern "C" fn size(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua with a live state; the format is checked before anything with a
  // destructor exists.
  unsafe {
    let format_text = checked_string(L, 1);
    guarded(L, || {
      let mut format = Format::new(format_text);
      let mut settings = Settings::default();
      let mut total: usize = 0;
      while let Some(option) = format.option() {
        let size = option_size(L, option, &mut format)?;
        total = total.wrapping_add(padding(total, &settings, option, size));
        if option == b's' {
          return Err(arg_error(L, 1, b"option 's' has no fixed size"));
        }
        if option == b'c' && size == 0 {
          return Err(arg_error(L, 1, b"option 'c0' has no fixed size"));
        }
        if !option.is_ascii_alphanumeric() {
          apply_control(L, option, &mut format, &mut settings)?;
        }
        total = total.wrapping_add(size);
      }
      lua_pushinteger(L, total as lua_Integer);
      Ok(1)
    })
  }
}

/// Opens the library as the global table `struct`, left on the stack.
///
/// # Safety
/// `L` is a live state, called from a protected context.
pub unsafe extern "C" fn open(L: *mut lua_State) -> c_int {
  let functions: [(&CStr, lua_CFunction); 3] = [(c"pack", pack), (c"unpack", unpack), (c"size", size)];
  // SAFETY: `L` is live and the caller provides the protected context `register` needs.
  unsafe { register(L, c"struct", &functions) };
  1
}
