//! `cmsgpack`: the MessagePack library Redis gives every script, with Redis's behaviour byte
//! for byte, since scripts store and compare what it produces.
//!
//! `pack(...)` encodes each argument and returns the concatenation. A number with no fractional
//! part that fits in 64 bits becomes the smallest integer encoding; any other number becomes a
//! float 32 when that holds it exactly, else a float 64. A table whose keys are exactly 1..n is
//! an array, any other table a map (its pairs in `lua_next` order); tables nested deeper than
//! [`MAX_NESTING`] are packed as nil, which also ends cycles. Values with no MessagePack
//! counterpart (functions, userdata, threads) are packed as nil.
//!
//! `unpack(s)` returns every value encoded in `s`; `unpack_one(s [, offset])` and
//! `unpack_limit(s, limit [, offset])` decode at most one or `limit` values from `offset` and
//! return first the offset to continue from (-1 once the input is used up). The decoder knows
//! nil, booleans, integers, floats and str/array/map of every size; anything else (bin, ext,
//! the unused byte 0xc1) is a bad format.
//!
//! Decoded values are pushed on the Lua stack as they are read, so a stream of many values or
//! deeply nested containers ends in Lua's "stack overflow" error at the same point, and with
//! the same message, as Redis's library; the encoder checks stack room at the same points too.

use crate::ffi::*;
use crate::{guarded, push_bytes, register, to_bytes, LuaError};
use std::ffi::{c_int, CStr};

/// Tables nested deeper than this are packed as nil.
const MAX_NESTING: usize = 16;

const MISSING_BYTES: &str = "Missing bytes in input.";
const BAD_FORMAT: &str = "Bad data format in input.";

/// Creates the global table `cmsgpack` and leaves it on the stack.
///
/// # Safety
/// `L` is a live state; called as a Lua C function (through `lua_call` or `lua_pcall`).
pub unsafe extern "C" fn open(L: *mut lua_State) -> c_int {
  let fields: [(&CStr, &CStr); 4] = [
    (c"_NAME", c"cmsgpack"),
    (c"_VERSION", c"lua-cmsgpack 0.4.0"),
    (c"_COPYRIGHT", c"Copyright (C) 2012, Salvatore Sanfilippo"),
    (c"_DESCRIPTION", c"MessagePack C implementation for Lua"),
  ];
  // SAFETY: `L` is live and this frame owns nothing with a destructor, so registration may
  // raise; each field is pushed and then stored in the table just below it.
  unsafe {
    register(
      L,
      c"cmsgpack",
      &[(c"pack", pack), (c"unpack", unpack), (c"unpack_one", unpack_one), (c"unpack_limit", unpack_limit)],
    );
    for (name, value) in fields {
      lua_pushstring(L, value.as_ptr());
      lua_setfield(L, -2, name.as_ptr());
    }
  }
  1
}

/// Why packing or unpacking stopped.
enum Failure {
  /// An error of the library, raised as `luaL_error` raises it: after the position of the Lua
  /// code that called the library function, when Lua code called it.
  Library(String),
  /// A store Lua's tables refuse, raised with Lua's message alone.
  Table(&'static str),
}

impl From<&str> for Failure {
  fn from(message: &str) -> Self {
    Failure::Library(message.to_owned())
  }
}

impl From<String> for Failure {
  fn from(message: String) -> Self {
    Failure::Library(message)
  }
}

impl Failure {
  /// The error to raise.
  ///
  /// # Safety
  /// `L` is the live state running the library function.
  unsafe fn into_lua_error(self, L: *mut lua_State) -> LuaError {
    match self {
      Failure::Table(message) => message.into(),
      Failure::Library(message) => {
        // SAFETY: `L` is live; `luaL_where` pushes one string, copied here and then popped.
        let mut text = unsafe {
          luaL_where(L, 1);
          let location = to_bytes(L, -1).unwrap_or_default().to_vec();
          lua_pop(L, 1);
          location
        };
        text.extend_from_slice(message.as_bytes());
        LuaError(text)
      }
    }
  }
}

/// Makes room for `slots` more values on the stack, or fails with Lua's "stack overflow"
/// message naming `context` (each context is part of the message scripts see).
///
/// # Safety
/// `L` is a live state.
unsafe fn reserve_stack(L: *mut lua_State, slots: c_int, context: &str) -> Result<(), Failure> {
  // SAFETY: `L` is live; `lua_checkstack` reports failure instead of raising.
  if unsafe { lua_checkstack(L, slots) } == 0 {
    return Err(format!("stack overflow ({context})").into());
  }
  Ok(())
}

// ---------------------------------------------------------------------------------------------
// Packing
// ---------------------------------------------------------------------------------------------

/// `cmsgpack.pack(...)`.
unsafe extern "C" fn pack(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is the live calling state; the argument errors are raised before anything with
  // a destructor exists.
  let count = unsafe {
    let count = lua_gettop(L);
    if count == 0 {
      luaL_argerror(L, 0, c"MessagePack pack needs input.".as_ptr());
    }
    if lua_checkstack(L, count) == 0 {
      luaL_argerror(L, 0, c"Too many arguments for MessagePack pack.".as_ptr());
    }
    count
  };
  let body = || -> Result<c_int, Failure> {
    let mut encoded = Vec::new();
    for index in 1..=count {
      // SAFETY: `L` is live; the room checked above holds one copy of each argument or its
      // encoding, and `encode_top` pops the copy before its encoding is pushed.
      unsafe {
        lua_pushvalue(L, index);
        encode_top(L, &mut encoded, 0)?;
        push_bytes(L, &encoded);
      }
      encoded.clear();
    }
    drop(encoded);
    // SAFETY: the encodings of the `count` arguments, all strings, are the top values.
    unsafe { lua_concat(L, count) };
    Ok(1)
  };
  // SAFETY: `L` is live and nothing with a destructor is alive in this frame; a failure becomes
  // its error while `L` is still running this function.
  unsafe { guarded(L, || body().map_err(|failure| failure.into_lua_error(L))) }
}

/// Appends the encoding of the value on the top of the stack, at nesting `level`, and pops it.
///
/// # Safety
/// `L` is a live state with a value on the top of its stack.
unsafe fn encode_top(L: *mut lua_State, out: &mut Vec<u8>, level: usize) -> Result<(), Failure> {
  // SAFETY: `L` is live and the value is at -1; a table is left at -1 by `encode_table`.
  unsafe {
    match lua_type(L, -1) {
      LUA_TSTRING => encode_string(out, to_bytes(L, -1).unwrap_or_default()),
      LUA_TBOOLEAN => out.push(if lua_toboolean(L, -1) != 0 { 0xc3 } else { 0xc2 }),
      LUA_TNUMBER => encode_number(out, lua_tonumber(L, -1)),
      LUA_TTABLE if level < MAX_NESTING => encode_table(L, out, level)?,
      _ => out.push(0xc0),
    }
    lua_pop(L, 1);
  }
  Ok(())
}

fn encode_string(out: &mut Vec<u8>, bytes: &[u8]) {
  let len = bytes.len();
  if len < 32 {
    out.push(0xa0 | len as u8);
  } else if len <= 0xff {
    out.extend_from_slice(&[0xd9, len as u8]);
  } else if len <= 0xffff {
    out.push(0xda);
    out.extend_from_slice(&(len as u16).to_be_bytes());
  } else {
    out.push(0xdb);
    out.extend_from_slice(&(len as u32).to_be_bytes());
  }
  out.extend_from_slice(bytes);
}

fn encode_number(out: &mut Vec<u8>, number: f64) {
  // The integers are the numbers equal to their conversion to a 64-bit integer: finite, whole
  // and in [-2^63, 2^63) (which NaN is not).
  const INTEGER_RANGE: std::ops::Range<f64> = -9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0;
  if INTEGER_RANGE.contains(&number) && number.trunc() == number {
    encode_integer(out, number as i64);
  } else if f64::from(number as f32) == number {
    out.push(0xca);
    out.extend_from_slice(&(number as f32).to_be_bytes());
  } else {
    out.push(0xcb);
    out.extend_from_slice(&number.to_be_bytes());
  }
}

fn encode_integer(out: &mut Vec<u8>, n: i64) {
  match n {
    0..=0x7f => out.push(n as u8),
    0x80..=0xff => out.extend_from_slice(&[0xcc, n as u8]),
    0x100..=0xffff => {
      out.push(0xcd);
      out.extend_from_slice(&(n as u16).to_be_bytes());
    }
    0x1_0000..=0xffff_ffff => {
      out.push(0xce);
      out.extend_from_slice(&(n as u32).to_be_bytes());
    }
    0x1_0000_0000.. => {
      out.push(0xcf);
      out.extend_from_slice(&n.to_be_bytes());
    }
    -32..=-1 => out.push(n as u8),
    -128..=-33 => out.extend_from_slice(&[0xd0, n as u8]),
    -32768..=-129 => {
      out.push(0xd1);
      out.extend_from_slice(&(n as i16).to_be_bytes());
    }
    -2_147_483_648..=-32769 => {
      out.push(0xd2);
      out.extend_from_slice(&(n as i32).to_be_bytes());
    }
    _ => {
      out.push(0xd3);
      out.extend_from_slice(&n.to_be_bytes());
    }
  }
}

/// Appends an array or map header: the fix form for up to 15 entries, then 16 and 32 bits.
fn encode_header(out: &mut Vec<u8>, fix_tag: u8, tag16: u8, tag32: u8, len: usize) {
  if len <= 15 {
    out.push(fix_tag | len as u8);
  } else if len <= 0xffff {
    out.push(tag16);
    out.extend_from_slice(&(len as u16).to_be_bytes());
  } else {
    out.push(tag32);
    out.extend_from_slice(&(len as u32).to_be_bytes());
  }
}

/// Appends the encoding of the table on the top of the stack (left there), at nesting `level`.
///
/// # Safety
/// `L` is a live state with a table on the top of its stack.
unsafe fn encode_table(L: *mut lua_State, out: &mut Vec<u8>, level: usize) -> Result<(), Failure> {
  // SAFETY: `L` is live with the table at -1. `lua_next` only raises for a key that is not in
  // the table, and every key given to it comes from the previous call; each element is pushed
  // above the table (checked room) and popped by `encode_top`.
  unsafe {
    if table_is_array(L)? {
      let len = lua_objlen(L, -1);
      encode_header(out, 0x90, 0xdc, 0xdd, len);
      for index in 1..=len {
        lua_rawgeti(L, -1, index as c_int);
        encode_top(L, out, level + 1)?;
      }
    } else {
      reserve_stack(L, 3, "in function mp_encode_lua_table_as_map")?;
      let mut len = 0;
      lua_pushnil(L);
      while lua_next(L, -2) != 0 {
        lua_pop(L, 1);
        len += 1;
      }
      encode_header(out, 0x80, 0xde, 0xdf, len);
      lua_pushnil(L);
      while lua_next(L, -2) != 0 {
        lua_pushvalue(L, -2);
        encode_top(L, out, level + 1)?;
        encode_top(L, out, level + 1)?;
      }
    }
  }
  Ok(())
}

/// Whether the keys of the table on the top of the stack are exactly 1..n, for some n >= 0.
///
/// # Safety
/// `L` is a live state with a table on the top of its stack.
unsafe fn table_is_array(L: *mut lua_State) -> Result<bool, Failure> {
  // SAFETY: `L` is live.
  unsafe { reserve_stack(L, 2, "in function table_is_an_array")? };
  let mut count: i64 = 0;
  let mut max_index: i64 = 0;
  // SAFETY: `L` is live with the table at -1; keys come from `lua_next` itself (see
  // `encode_table`), and the key left by an early exit is popped.
  unsafe {
    lua_pushnil(L);
    while lua_next(L, -2) != 0 {
      lua_pop(L, 1);
      let key = lua_tonumber(L, -1);
      let is_index = lua_type(L, -1) == LUA_TNUMBER && key > 0.0 && key <= f64::from(i32::MAX) && key.trunc() == key;
      if !is_index {
        lua_pop(L, 1);
        return Ok(false);
      }
      max_index = max_index.max(key as i64);
      count += 1;
    }
  }
  Ok(max_index == count)
}

// ---------------------------------------------------------------------------------------------
// Unpacking
// ---------------------------------------------------------------------------------------------

/// `cmsgpack.unpack(s)`: every value in `s`.
unsafe extern "C" fn unpack(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is the live calling state.
  unsafe { unpack_values(L, 0, 0) }
}

/// `cmsgpack.unpack_one(s [, offset])`: the next offset and the value at `offset`.
unsafe extern "C" fn unpack_one(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is the live calling state; the argument check raises before anything with a
  // destructor exists, and the stack keeps at most the input.
  unsafe {
    let offset = luaL_optinteger(L, 2, 0);
    lua_settop(L, lua_gettop(L).min(1));
    unpack_values(L, 1, offset)
  }
}

/// `cmsgpack.unpack_limit(s, limit [, offset])`: the next offset and up to `limit` values from
/// `offset`.
unsafe extern "C" fn unpack_limit(L: *mut lua_State) -> c_int {
  // SAFETY: as `unpack_one`.
  unsafe {
    let limit = luaL_checkinteger(L, 2);
    let offset = luaL_optinteger(L, 3, 0);
    lua_settop(L, lua_gettop(L).min(1));
    unpack_values(L, limit, offset)
  }
}

/// Decodes up to `limit` values of argument 1 from `offset`. With both 0, decodes them all and
/// returns only the values; otherwise returns the next offset (-1 at the end) before them.
///
/// # Safety
/// `L` is the live calling state and nothing with a destructor is alive in the caller.
unsafe fn unpack_values(L: *mut lua_State, limit: lua_Integer, offset: lua_Integer) -> c_int {
  let mut len = 0usize;
  // SAFETY: `L` is live; the check raises before anything with a destructor exists, and the
  // string stays at index 1 (so its bytes stay valid) until this function returns.
  let input: &[u8] = unsafe {
    let ptr = luaL_checklstring(L, 1, &mut len);
    std::slice::from_raw_parts(ptr.cast(), len)
  };
  let body = || -> Result<c_int, Failure> {
    // Messages print the offset and the input length as C ints.
    if offset < 0 || limit < 0 {
      return Err(
        format!("Invalid request to unpack with offset of {} and limit of {}.", offset as i32, len as i32).into(),
      );
    }
    if offset as usize > len {
      return Err(format!("Start offset {} greater than input length {}.", offset as i32, len as i32).into());
    }
    let decode_all = limit == 0 && offset == 0;
    let limit = if decode_all { i32::MAX as lua_Integer } else { limit };
    let mut cursor = Cursor { input, position: offset as usize };
    let mut count: c_int = 0;
    while cursor.remaining() > 0 && (count as lua_Integer) < limit {
      // SAFETY: `L` is live; `decode_value` leaves one more value on the stack.
      unsafe { decode_value(L, &mut cursor)? };
      count += 1;
    }
    if decode_all {
      return Ok(count);
    }
    let next_offset = if cursor.remaining() == 0 { -1 } else { cursor.position as lua_Integer };
    // SAFETY: `L` is live; the offset is pushed (after checking room) and moved just above
    // the input, below the decoded values.
    unsafe {
      reserve_stack(L, 1, "in function mp_unpack_full")?;
      lua_pushinteger(L, next_offset);
      lua_insert(L, 2);
    }
    Ok(count + 1)
  };
  // SAFETY: `L` is live and nothing with a destructor is alive in this frame; a failure becomes
  // its error while `L` is still running this function.
  unsafe { guarded(L, || body().map_err(|failure| failure.into_lua_error(L))) }
}

/// A read position in the input.
struct Cursor<'a> {
  input: &'a [u8],
  position: usize,
}

impl<'a> Cursor<'a> {
  fn remaining(&self) -> usize {
    self.input.len() - self.position
  }

  /// The next `len` bytes, consumed.
  fn take(&mut self, len: usize) -> Result<&'a [u8], Failure> {
    if self.remaining() < len {
      return Err(MISSING_BYTES.into());
    }
    let bytes = &self.input[self.position..self.position + len];
    self.position += len;
    Ok(bytes)
  }

  fn take_array<const N: usize>(&mut self) -> Result<[u8; N], Failure> {
    let mut bytes = [0; N];
    bytes.copy_from_slice(self.take(N)?);
    Ok(bytes)
  }

  fn take_u8(&mut self) -> Result<u8, Failure> {
    Ok(self.take_array::<1>()?[0])
  }

  fn take_u16(&mut self) -> Result<u16, Failure> {
    self.take_array().map(u16::from_be_bytes)
  }

  fn take_u32(&mut self) -> Result<u32, Failure> {
    self.take_array().map(u32::from_be_bytes)
  }
}

/// A container being filled by [`decode_value`], whose table is on the stack.
enum Container {
  /// An array with `remaining` elements still to read; the index of the next one is pushed.
  Array { next_index: u32, remaining: u32 },
  /// A map with `remaining` pairs still to read; `has_key` once the pair's key is pushed.
  Map { remaining: u32, has_key: bool },
}

/// What a tag byte starts.
enum Item<'a> {
  Value,
  String(&'a [u8]),
  Array(u32),
  Map(u32),
}

/// Decodes one value and pushes it, containers included: a container's table is pushed when
/// its header is read, and each element is stored in it (through the stack) once complete.
///
/// # Safety
/// `L` is a live state.
unsafe fn decode_value(L: *mut lua_State, cursor: &mut Cursor) -> Result<(), Failure> {
  let mut open: Vec<Container> = Vec::new();
  loop {
    // SAFETY: `L` is live; `decode_item` pushes exactly one value.
    let item = unsafe { decode_item(L, cursor)? };
    match item {
      Item::Value => {}
      // SAFETY: `L` is live and `decode_item` checked room for the string.
      Item::String(bytes) => unsafe { push_bytes(L, bytes) },
      Item::Array(len) => {
        // SAFETY: `L` is live and `decode_item` checked room for the table; the first index
        // is pushed after checking room for it.
        unsafe {
          lua_newtable(L);
          reserve_stack(L, 1, "in function mp_decode_to_lua_array")?;
          if len > 0 {
            lua_pushnumber(L, 1.0);
          }
        }
        if len > 0 {
          open.push(Container::Array { next_index: 1, remaining: len });
          continue;
        }
      }
      Item::Map(len) => {
        // SAFETY: `L` is live and `decode_item` checked room for the table.
        unsafe { lua_newtable(L) };
        if len > 0 {
          open.push(Container::Map { remaining: len, has_key: false });
          continue;
        }
      }
    }
    // A value is complete on the top of the stack: store it in the innermost open container,
    // closing each container this completes.
    loop {
      let Some(container) = open.last_mut() else { return Ok(()) };
      match container {
        Container::Array { next_index, remaining } => {
          // SAFETY: the stack holds the array's table, the element's index and the element.
          unsafe { lua_rawset(L, -3) };
          *remaining -= 1;
          if *remaining > 0 {
            *next_index += 1;
            // SAFETY: the slot of the index just stored is free again.
            unsafe { lua_pushnumber(L, f64::from(*next_index)) };
            break;
          }
        }
        Container::Map { remaining, has_key } => {
          if !*has_key {
            *has_key = true;
            break;
          }
          // SAFETY: the stack holds the map's table, the key and the value; the key is checked
          // as `lua_rawset` would, so it does not raise.
          unsafe {
            if lua_isnil(L, -2) {
              return Err(Failure::Table("table index is nil"));
            }
            if lua_type(L, -2) == LUA_TNUMBER && lua_tonumber(L, -2).is_nan() {
              return Err(Failure::Table("table index is NaN"));
            }
            lua_rawset(L, -3);
          }
          *remaining -= 1;
          *has_key = false;
          if *remaining > 0 {
            break;
          }
        }
      }
      open.pop();
    }
  }
}

/// Reads the tag of the next value and, for a scalar, its body, pushing the scalar.
///
/// # Safety
/// `L` is a live state.
unsafe fn decode_item<'a>(L: *mut lua_State, cursor: &mut Cursor<'a>) -> Result<Item<'a>, Failure> {
  if cursor.remaining() == 0 {
    return Err(MISSING_BYTES.into());
  }
  // SAFETY: `L` is live.
  unsafe {
    reserve_stack(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.")?;
  }
  let tag = cursor.input[cursor.position];
  cursor.take_u8()?;
  let number = |value: f64| -> Result<Item<'a>, Failure> {
    // SAFETY: `L` is live and room was checked above.
    unsafe { lua_pushnumber(L, value) };
    Ok(Item::Value)
  };
  match tag {
    0x00..=0x7f => number(f64::from(tag)),
    0xe0..=0xff => number(f64::from(tag as i8)),
    0xcc => number(f64::from(cursor.take_u8()?)),
    0xcd => number(f64::from(cursor.take_u16()?)),
    0xce => number(f64::from(cursor.take_u32()?)),
    // A uint 64 is read as a signed 64-bit integer, as Lua's integer type holds it.
    0xcf => number(i64::from_be_bytes(cursor.take_array()?) as f64),
    0xd0 => number(f64::from(cursor.take_u8()? as i8)),
    0xd1 => number(f64::from(cursor.take_u16()? as i16)),
    0xd2 => number(f64::from(cursor.take_u32()? as i32)),
    0xd3 => number(i64::from_be_bytes(cursor.take_array()?) as f64),
    0xca => number(f64::from(f32::from_be_bytes(cursor.take_array()?))),
    0xcb => number(f64::from_be_bytes(cursor.take_array()?)),
    0xc0 | 0xc2 | 0xc3 => {
      // SAFETY: `L` is live and room was checked above.
      unsafe {
        if tag == 0xc0 {
          lua_pushnil(L);
        } else {
          lua_pushboolean(L, c_int::from(tag == 0xc3));
        }
      }
      Ok(Item::Value)
    }
    0xa0..=0xbf => Ok(Item::String(cursor.take(usize::from(tag & 0x1f))?)),
    0xd9 => {
      let len = cursor.take_u8()?;
      Ok(Item::String(cursor.take(usize::from(len))?))
    }
    0xda => {
      let len = cursor.take_u16()?;
      Ok(Item::String(cursor.take(usize::from(len))?))
    }
    0xdb => {
      let len = cursor.take_u32()?;
      Ok(Item::String(cursor.take(len as usize)?))
    }
    0x90..=0x9f => Ok(Item::Array(u32::from(tag & 0x0f))),
    0xdc => Ok(Item::Array(u32::from(cursor.take_u16()?))),
    0xdd => Ok(Item::Array(cursor.take_u32()?)),
    0x80..=0x8f => Ok(Item::Map(u32::from(tag & 0x0f))),
    0xde => Ok(Item::Map(u32::from(cursor.take_u16()?))),
    0xdf => Ok(Item::Map(cursor.take_u32()?)),
    _ => Err(BAD_FORMAT.into()),
  }
}
