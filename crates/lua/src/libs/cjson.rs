//! `cjson`, the JSON library every Redis script sees as the global table `cjson`: `encode` turns
//! a Lua value into JSON text, `decode` turns JSON text into Lua values (JSON `null` becoming the
//! NULL light userdata `cjson.null`), and the configuration functions read or change the
//! settings of one library instance. An instance keeps its settings in a userdata that each of
//! its functions holds as upvalue 1; `cjson.new()` returns a fresh instance with the defaults.
//!
//! The behaviour is that of Redis 7.0's library, quirks included:
//! - numbers are written with C's `%.14g` (the precision is settable), so integers of 15 digits
//!   or more take an exponent and `-0` stays `-0`;
//! - a table is a JSON array when every key is an integer >= 1 and the array is not too sparse
//!   (`encode_sparse_array`), otherwise an object, whose keys come in `lua_next`'s order; an
//!   empty table is `{}`;
//! - `"`, `\`, `/`, the control characters and DEL are escaped, other bytes are copied as they
//!   are (no UTF-8 validation);
//! - decoding reads numbers with C's `strtod` (so hexadecimal, `inf` and `nan` are accepted
//!   unless `decode_invalid_numbers` is off), joins `\u` surrogate pairs into UTF-8, and treats a
//!   NUL byte as the end of the text;
//! - errors name the position of the calling Lua code (`user_script:1: ...`) as `luaL_error`'s do.
//!
//! Both directions walk nested values with an explicit stack of open containers instead of
//! recursion, so a depth limit raised towards `i32::MAX` is bounded only by Lua's own stack check
//! (`lua_checkstack`), never by the native stack.

use crate::ffi::*;
use crate::{guarded, push_bytes, to_bytes, LuaError};
use std::ffi::{c_char, c_int, CStr};
use std::io::Write;

/// What `encode` does with infinities and NaN (`encode_invalid_numbers`: off, on, null).
#[derive(Clone, Copy, PartialEq)]
enum InvalidNumbers {
  /// Raise an error.
  Refuse,
  /// Write them as C prints them (`inf`, `-inf`), NaN as `nan`.
  Write,
  /// Write them as `null`.
  AsNull,
}

/// The settings of one library instance, stored in a userdata.
#[derive(Clone, Copy)]
struct Config {
  /// Whether an excessively sparse array is written as an object instead of raising an error.
  sparse_convert: bool,
  /// An array is excessively sparse when its highest index exceeds both `sparse_ratio` times
  /// its number of elements and `sparse_safe`; a ratio of 0 allows any sparseness.
  sparse_ratio: c_int,
  sparse_safe: c_int,
  encode_max_depth: c_int,
  decode_max_depth: c_int,
  /// Significant digits of written numbers, 1 to 14.
  number_precision: c_int,
  invalid_numbers: InvalidNumbers,
  /// Only reported back: buffer reuse has no visible effect.
  keep_buffer: bool,
  /// Whether `decode` accepts what `strtod` reads beyond JSON's numbers (hexadecimal, leading
  /// zeros and `+`, `inf`, `nan`).
  decode_invalid_numbers: bool,
}

const DEFAULT_CONFIG: Config = Config {
  sparse_convert: false,
  sparse_ratio: 2,
  sparse_safe: 10,
  encode_max_depth: 1000,
  decode_max_depth: 1000,
  number_precision: 14,
  invalid_numbers: InvalidNumbers::Refuse,
  keep_buffer: true,
  decode_invalid_numbers: true,
};

/// The functions of a library instance, each a closure over the instance's settings.
const FUNCTIONS: [(&CStr, lua_CFunction); 10] = [
  (c"encode", encode),
  (c"decode", decode),
  (c"encode_sparse_array", encode_sparse_array),
  (c"encode_max_depth", encode_max_depth),
  (c"decode_max_depth", decode_max_depth),
  (c"encode_number_precision", encode_number_precision),
  (c"encode_keep_buffer", encode_keep_buffer),
  (c"encode_invalid_numbers", encode_invalid_numbers),
  (c"decode_invalid_numbers", decode_invalid_numbers),
  (c"new", new),
];

/// Opens the library: a fresh instance, stored as the global `cjson` and returned.
///
/// # Safety
/// `L` is a live state, called as a Lua C function.
pub unsafe extern "C" fn open(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is live; the instance is pushed, then copied into the global table.
  unsafe {
    push_instance(L);
    lua_pushvalue(L, -1);
    lua_setglobal(L, c"cjson".as_ptr());
  }
  1
}

/// `cjson.new()`: a new instance with default settings.
unsafe extern "C" fn new(L: *mut lua_State) -> c_int {
  // SAFETY: `L` is the live state calling this function.
  unsafe { push_instance(L) };
  1
}

/// Pushes a library table whose functions share a new settings userdata.
unsafe fn push_instance(L: *mut lua_State) {
  // SAFETY: `L` is live; the userdata is sized and (by Lua) aligned for a `Config`, which is
  // written before any function can read it. `Config` has no destructor, so Lua may free the
  // userdata without a `__gc` method.
  unsafe {
    lua_createtable(L, 0, FUNCTIONS.len() as c_int + 3);
    let config = lua_newuserdata(L, std::mem::size_of::<Config>()).cast::<Config>();
    config.write(DEFAULT_CONFIG);
    for (name, function) in FUNCTIONS {
      lua_pushvalue(L, -1);
      lua_pushcclosure(L, function, 1);
      lua_setfield(L, -3, name.as_ptr());
    }
    lua_pop(L, 1);
    lua_pushlightuserdata(L, std::ptr::null_mut());
    lua_setfield(L, -2, c"null".as_ptr());
    push_bytes(L, b"cjson");
    lua_setfield(L, -2, c"_NAME".as_ptr());
    push_bytes(L, b"2.1.0");
    lua_setfield(L, -2, c"_VERSION".as_ptr());
  }
}

/// The settings of the instance the running function belongs to.
///
/// # Safety
/// Called from one of the instance's functions (upvalue 1 is its `Config` userdata); the
/// reference is not kept beyond that call.
unsafe fn config<'a>(L: *mut lua_State) -> &'a mut Config {
  // SAFETY: every function of an instance is created with its `Config` userdata as upvalue 1,
  // and Lua keeps the userdata alive as long as the function.
  unsafe { &mut *lua_touserdata(L, lua_upvalueindex(1)).cast::<Config>() }
}

// ===== Configuration functions =====
//
// Each takes its settings as optional arguments (nil keeps the current value), rejects extra
// arguments, and returns the settings in force afterwards.

const ON_OFF: [*const c_char; 3] = [c"off".as_ptr(), c"on".as_ptr(), std::ptr::null()];
const ON_OFF_NULL: [*const c_char; 4] = [c"off".as_ptr(), c"on".as_ptr(), c"null".as_ptr(), std::ptr::null()];

/// Raises an argument error if more than `count` arguments were given, then pads the missing
/// ones with nil.
unsafe fn expect_at_most(L: *mut lua_State, count: c_int) {
  // SAFETY: `L` is live and nothing with a destructor exists yet.
  unsafe {
    if lua_gettop(L) > count {
      luaL_argerror(L, count + 1, c"found too many arguments".as_ptr());
    }
    lua_settop(L, count);
  }
}

/// Reads the integer option at `index` into `setting` unless it is nil, and pushes the setting.
/// Out-of-range values raise an error that names argument 1 whatever `index` is.
unsafe fn integer_option(L: *mut lua_State, index: c_int, setting: &mut c_int, min: c_int, max: c_int) {
  // SAFETY: `L` is live and nothing with a destructor exists; the message lives in a plain
  // array, NUL-terminated because its last byte is never written.
  unsafe {
    if !lua_isnil(L, index) {
      // Lua's integer is narrowed to a C int, keeping its low 32 bits.
      let value = luaL_checkinteger(L, index) as c_int;
      if value < min || value > max {
        let mut message = [0u8; 64];
        let mut writer = &mut message[..63];
        let _ = write!(writer, "expected integer between {min} and {max}");
        luaL_argerror(L, 1, message.as_ptr().cast());
      }
      *setting = value;
    }
    lua_pushinteger(L, *setting as lua_Integer);
  }
}

/// Reads the option at `index` (a boolean, or one of the NULL-terminated `names`) unless it is
/// nil, pushes the resulting setting (a boolean for off/on, else its name) and returns its index
/// in `names`.
unsafe fn named_option(L: *mut lua_State, index: c_int, current: c_int, names: &[*const c_char]) -> c_int {
  // SAFETY: `L` is live and nothing with a destructor exists; `names` ends with NULL as
  // `luaL_checkoption` requires, and the index it returns is within `names`.
  unsafe {
    let mut setting = current;
    if !lua_isnil(L, index) {
      setting = if lua_type(L, index) == LUA_TBOOLEAN {
        lua_toboolean(L, index)
      } else {
        luaL_checkoption(L, index, std::ptr::null(), names.as_ptr())
      };
    }
    if setting <= 1 {
      lua_pushboolean(L, setting);
    } else {
      lua_pushstring(L, names[setting as usize]);
    }
    setting
  }
}

/// `cjson.encode_sparse_array([convert[, ratio[, safe]]])`.
unsafe extern "C" fn encode_sparse_array(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 3);
    let config = config(L);
    config.sparse_convert = named_option(L, 1, config.sparse_convert as c_int, &ON_OFF) == 1;
    integer_option(L, 2, &mut config.sparse_ratio, 0, c_int::MAX);
    integer_option(L, 3, &mut config.sparse_safe, 0, c_int::MAX);
  }
  3
}

/// `cjson.encode_max_depth([depth])`.
unsafe extern "C" fn encode_max_depth(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    integer_option(L, 1, &mut config(L).encode_max_depth, 1, c_int::MAX);
  }
  1
}

/// `cjson.decode_max_depth([depth])`.
unsafe extern "C" fn decode_max_depth(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    integer_option(L, 1, &mut config(L).decode_max_depth, 1, c_int::MAX);
  }
  1
}

/// `cjson.encode_number_precision([digits])`.
unsafe extern "C" fn encode_number_precision(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    integer_option(L, 1, &mut config(L).number_precision, 1, 14);
  }
  1
}

/// `cjson.encode_keep_buffer([keep])`.
unsafe extern "C" fn encode_keep_buffer(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    let config = config(L);
    config.keep_buffer = named_option(L, 1, config.keep_buffer as c_int, &ON_OFF) == 1;
  }
  1
}

/// `cjson.encode_invalid_numbers([setting])`: off, on or "null".
unsafe extern "C" fn encode_invalid_numbers(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    let config = config(L);
    let current = match config.invalid_numbers {
      InvalidNumbers::Refuse => 0,
      InvalidNumbers::Write => 1,
      InvalidNumbers::AsNull => 2,
    };
    config.invalid_numbers = match named_option(L, 1, current, &ON_OFF_NULL) {
      0 => InvalidNumbers::Refuse,
      1 => InvalidNumbers::Write,
      _ => InvalidNumbers::AsNull,
    };
  }
  1
}

/// `cjson.decode_invalid_numbers([accept])`.
unsafe extern "C" fn decode_invalid_numbers(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; nothing with a destructor exists.
  unsafe {
    expect_at_most(L, 1);
    let config = config(L);
    config.decode_invalid_numbers = named_option(L, 1, config.decode_invalid_numbers as c_int, &ON_OFF) == 1;
  }
  1
}

/// Prefixes an error with the position of the Lua code that called the library function
/// (`chunk:line: `), as `luaL_error` does; a caller that is not Lua code adds nothing.
///
/// # Safety
/// `L` is the live state running the library function.
unsafe fn at_caller(L: *mut lua_State, error: LuaError) -> LuaError {
  let mut caller = lua_Debug::default();
  // SAFETY: `L` is live; `caller` is filled by Lua, `short_src` as a NUL-terminated string.
  unsafe {
    if lua_getstack(L, 1, &mut caller) == 0
      || lua_getinfo(L, c"Sl".as_ptr(), &mut caller) == 0
      || caller.currentline <= 0
    {
      return error;
    }
    let source = CStr::from_ptr(caller.short_src.as_ptr()).to_bytes();
    let mut located = Vec::with_capacity(source.len() + error.0.len() + 16);
    located.extend_from_slice(source);
    let _ = write!(located, ":{}: ", caller.currentline);
    located.extend_from_slice(&error.0);
    LuaError(located)
  }
}

// ===== Encoding =====

/// `cjson.encode(value)`: the JSON text of `value`.
unsafe extern "C" fn encode(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; the argument check raises before
  // anything with a destructor exists, and the rest runs inside `guarded`.
  unsafe {
    let config = *config(L);
    if lua_gettop(L) != 1 {
      luaL_argerror(L, 1, c"expected 1 argument".as_ptr());
    }
    guarded(L, || {
      let json = encode_top(L, &config).map_err(|error| at_caller(L, error))?;
      push_bytes(L, &json);
      Ok(1)
    })
  }
}

/// A table being written: the Lua stack holds it, and for an object the current key above it.
enum OpenTable {
  /// An array of `length` elements, the next one to write being `next`.
  Array { next: i64, length: i64 },
  /// An object; `first` until a member has been written.
  Object { first: bool },
}

/// Writes the value on top of the stack (and pops it).
///
/// # Safety
/// `L` is live with the value on top, inside `guarded`.
unsafe fn encode_top(L: *mut lua_State, config: &Config) -> Result<Vec<u8>, LuaError> {
  let mut json = Vec::new();
  let mut open: Vec<OpenTable> = Vec::new();
  // SAFETY: `L` is live; each open table stays on the stack, under its current key for an
  // object, until it is closed; every value pushed for writing is popped once written.
  unsafe {
    loop {
      // The value on top of the stack is written, or opened if it is a table.
      if lua_type(L, -1) == LUA_TTABLE {
        let depth = open.len() as i64 + 1;
        if depth > i64::from(config.encode_max_depth) || lua_checkstack(L, 3) == 0 {
          return Err(format!("Cannot serialise, excessive nesting ({depth})").into());
        }
        match array_length(L, config)? {
          Some(length) => {
            json.push(b'[');
            open.push(OpenTable::Array { next: 1, length });
          }
          None => {
            json.push(b'{');
            lua_pushnil(L);
            open.push(OpenTable::Object { first: true });
          }
        }
      } else {
        append_scalar(L, config, &mut json)?;
        lua_pop(L, 1);
      }
      // Then the next value to write is pushed, closing the tables that are complete.
      loop {
        match open.last_mut() {
          None => return Ok(json),
          Some(OpenTable::Array { next, length }) => {
            if *next > *length {
              json.push(b']');
              open.pop();
              lua_pop(L, 1);
              continue;
            }
            if *next > 1 {
              json.push(b',');
            }
            lua_rawgeti(L, -1, *next as c_int);
            *next += 1;
            break;
          }
          Some(OpenTable::Object { first }) => {
            if lua_next(L, -2) == 0 {
              json.push(b'}');
              open.pop();
              lua_pop(L, 1);
              continue;
            }
            if !*first {
              json.push(b',');
            }
            *first = false;
            append_key(L, config, &mut json)?;
            break;
          }
        }
      }
    }
  }
}

/// The length of the table on top of the stack if it is written as an array: every key is an
/// integer >= 1 and the table is not excessively sparse (or that raises an error, depending on
/// the settings). `None` for an object, including the empty table.
unsafe fn array_length(L: *mut lua_State, config: &Config) -> Result<Option<i64>, LuaError> {
  let mut highest: c_int = 0;
  let mut count: c_int = 0;
  // SAFETY: `L` is live with the table on top; the traversal pops what it pushes.
  unsafe {
    lua_pushnil(L);
    while lua_next(L, -2) != 0 {
      let key = lua_tonumber(L, -2);
      if lua_type(L, -2) != LUA_TNUMBER || key < 1.0 || key.floor() != key {
        lua_pop(L, 2);
        return Ok(None);
      }
      if key > f64::from(highest) {
        highest = narrow_index(key);
      }
      count = count.wrapping_add(1);
      lua_pop(L, 1);
    }
  }
  let sparse = highest > count.wrapping_mul(config.sparse_ratio) && highest > config.sparse_safe;
  if config.sparse_ratio > 0 && sparse {
    if !config.sparse_convert {
      // SAFETY: `L` is live with the table on top.
      return Err(unsafe { cannot_serialise(L, -1, "excessively sparse array") });
    }
    return Ok(None);
  }
  Ok((highest > 0).then_some(i64::from(highest)))
}

/// An integral key >= 1 as the C int the array test keeps it in: on x86-64 a key of 2^31 or more
/// becomes `INT_MIN`, which makes the table an object.
fn narrow_index(key: f64) -> c_int {
  if key < 2_147_483_648.0 {
    key as c_int
  } else {
    c_int::MIN
  }
}

/// Writes the key on the stack under the value on top, followed by `:`.
unsafe fn append_key(L: *mut lua_State, config: &Config, json: &mut Vec<u8>) -> Result<(), LuaError> {
  // SAFETY: `L` is live with a key and its value on top; a string key is read in place.
  unsafe {
    match lua_type(L, -2) {
      LUA_TNUMBER => {
        json.push(b'"');
        append_number(L, config, -2, json)?;
        json.extend_from_slice(b"\":");
      }
      LUA_TSTRING => {
        append_string(json, to_bytes(L, -2).unwrap_or_default());
        json.push(b':');
      }
      _ => return Err(cannot_serialise(L, -2, "table key must be a number or string")),
    }
  }
  Ok(())
}

/// Writes the value on top of the stack, which is not a table.
unsafe fn append_scalar(L: *mut lua_State, config: &Config, json: &mut Vec<u8>) -> Result<(), LuaError> {
  // SAFETY: `L` is live with the value on top.
  unsafe {
    match lua_type(L, -1) {
      LUA_TSTRING => append_string(json, to_bytes(L, -1).unwrap_or_default()),
      LUA_TNUMBER => append_number(L, config, -1, json)?,
      LUA_TBOOLEAN => json.extend_from_slice(if lua_toboolean(L, -1) != 0 { b"true" } else { b"false" }),
      LUA_TNIL => json.extend_from_slice(b"null"),
      LUA_TLIGHTUSERDATA if lua_touserdata(L, -1).is_null() => json.extend_from_slice(b"null"),
      _ => return Err(cannot_serialise(L, -1, "type not supported")),
    }
  }
  Ok(())
}

/// The error for a value that cannot be written, naming its type.
unsafe fn cannot_serialise(L: *mut lua_State, index: c_int, reason: &str) -> LuaError {
  // SAFETY: `L` is live; `lua_typename` returns a static C string.
  let type_name = unsafe { CStr::from_ptr(lua_typename(L, lua_type(L, index))) };
  format!("Cannot serialise {}: {reason}", type_name.to_string_lossy()).into()
}

/// Writes the number at `index` with the configured precision, handling infinities and NaN as
/// configured.
unsafe fn append_number(L: *mut lua_State, config: &Config, index: c_int, json: &mut Vec<u8>) -> Result<(), LuaError> {
  // SAFETY: `L` is live with a number at `index`.
  let number = unsafe { lua_tonumber(L, index) };
  match config.invalid_numbers {
    InvalidNumbers::Refuse if !number.is_finite() => {
      // SAFETY: as above.
      return Err(unsafe { cannot_serialise(L, index, "must not be NaN or Inf") });
    }
    InvalidNumbers::Write if number.is_nan() => {
      json.extend_from_slice(b"nan");
      return Ok(());
    }
    InvalidNumbers::AsNull if !number.is_finite() => {
      json.extend_from_slice(b"null");
      return Ok(());
    }
    _ => {}
  }
  let mut text = [0u8; 32];
  // SAFETY: `snprintf` writes at most `text.len()` bytes into `text`; the format takes an int
  // precision and a double, which are passed.
  let length =
    unsafe { libc::snprintf(text.as_mut_ptr().cast(), text.len(), c"%.*g".as_ptr(), config.number_precision, number) };
  let length = usize::try_from(length).unwrap_or(0).min(text.len() - 1);
  json.extend_from_slice(&text[..length]);
  Ok(())
}

/// Writes `bytes` as a JSON string.
fn append_string(json: &mut Vec<u8>, bytes: &[u8]) {
  const HEX: &[u8; 16] = b"0123456789abcdef";
  json.reserve(bytes.len() + 2);
  json.push(b'"');
  for &byte in bytes {
    match byte {
      b'"' => json.extend_from_slice(b"\\\""),
      b'\\' => json.extend_from_slice(b"\\\\"),
      b'/' => json.extend_from_slice(b"\\/"),
      b'\x08' => json.extend_from_slice(b"\\b"),
      b'\t' => json.extend_from_slice(b"\\t"),
      b'\n' => json.extend_from_slice(b"\\n"),
      b'\x0c' => json.extend_from_slice(b"\\f"),
      b'\r' => json.extend_from_slice(b"\\r"),
      0..=0x1f | 0x7f => {
        json.extend_from_slice(b"\\u00");
        json.push(HEX[usize::from(byte >> 4)]);
        json.push(HEX[usize::from(byte & 0xf)]);
      }
      _ => json.push(byte),
    }
  }
  json.push(b'"');
}

// ===== Decoding =====

/// `cjson.decode(text)`: the Lua value of a JSON text.
unsafe extern "C" fn decode(L: *mut lua_State) -> c_int {
  // SAFETY: called by Lua as a function of an instance; the argument checks raise before
  // anything with a destructor exists, and the rest runs inside `guarded`. The text stays on
  // the stack (argument 1) while it is read, and Lua ends every string with a NUL byte.
  unsafe {
    let config = *config(L);
    if lua_gettop(L) != 1 {
      luaL_argerror(L, 1, c"expected 1 argument".as_ptr());
    }
    let mut length = 0usize;
    let text = luaL_checklstring(L, 1, &mut length);
    let text = std::slice::from_raw_parts(text.cast::<u8>(), length);
    guarded(L, || decode_text(L, text, &config).map_err(|error| at_caller(L, error)))
  }
}

/// Decodes `text`, pushing its value.
///
/// # Safety
/// `L` is the live state running `decode`, inside `guarded`; `text` is its argument 1.
unsafe fn decode_text(L: *mut lua_State, text: &[u8], config: &Config) -> Result<c_int, LuaError> {
  // Only the first character is sure to be ASCII, which is enough to spot UTF-16/32.
  if text.len() >= 2 && (text[0] == 0 || text[1] == 0) {
    return Err("JSON parser does not support UTF-16 or UTF-32".into());
  }
  let mut parser = Parser { L, text, position: 0, config, string: Vec::with_capacity(text.len()) };
  parser.parse_value()?;
  let token = parser.next_token();
  if token.kind != TokenKind::End {
    return Err(parse_error("the end", &token));
  }
  Ok(1)
}

/// What a token is; `Error` carries the reason a token could not be read.
#[derive(Clone, Copy, PartialEq)]
enum TokenKind {
  ObjectBegin,
  ObjectEnd,
  ArrayBegin,
  ArrayEnd,
  /// A string, whose bytes are in the parser's `string` buffer.
  String,
  Number(f64),
  Boolean(bool),
  Null,
  Colon,
  Comma,
  End,
  Error(&'static str),
}

/// A token and its 0-based position in the text (for an error, where it was found).
struct Token {
  kind: TokenKind,
  index: usize,
}

/// The error for an unexpected token.
fn parse_error(expected: &str, token: &Token) -> LuaError {
  let found = match token.kind {
    TokenKind::ObjectBegin => "T_OBJ_BEGIN",
    TokenKind::ObjectEnd => "T_OBJ_END",
    TokenKind::ArrayBegin => "T_ARR_BEGIN",
    TokenKind::ArrayEnd => "T_ARR_END",
    TokenKind::String => "T_STRING",
    TokenKind::Number(_) => "T_NUMBER",
    TokenKind::Boolean(_) => "T_BOOLEAN",
    TokenKind::Null => "T_NULL",
    TokenKind::Colon => "T_COLON",
    TokenKind::Comma => "T_COMMA",
    TokenKind::End => "T_END",
    TokenKind::Error(reason) => reason,
  };
  format!("Expected {expected} but found {found} at character {}", token.index + 1).into()
}

/// A container being filled: the Lua stack holds its table, and for an object the current key
/// above it.
enum OpenContainer {
  /// An array whose next element goes at `index`.
  Array {
    index: c_int,
  },
  Object,
}

/// Reads a JSON text, pushing the values it describes.
struct Parser<'a> {
  /// The live state running `decode`: a parser exists only during that call.
  L: *mut lua_State,
  /// The text, followed in memory by the NUL byte Lua ends strings with.
  text: &'a [u8],
  /// Where the next token starts (or whitespace before it).
  position: usize,
  config: &'a Config,
  /// The bytes of the last string token.
  string: Vec<u8>,
}

impl Parser<'_> {
  /// The byte at `index`, NUL past the end (where the text's terminator is).
  fn byte(&self, index: usize) -> u8 {
    self.text.get(index).copied().unwrap_or(0)
  }

  /// Reads one value, pushing it.
  fn parse_value(&mut self) -> Result<(), LuaError> {
    let L = self.L;
    let mut open: Vec<OpenContainer> = Vec::new();
    let mut token = self.next_token();
    // SAFETY: `L` is live and room is checked (`enter`) before each container's slots are
    // used; a container's table (and an object's key) stays on the stack until it is closed.
    unsafe {
      loop {
        // `token` starts a value: push it, or open its container.
        match token.kind {
          TokenKind::String => push_bytes(L, &self.string),
          TokenKind::Number(number) => lua_pushnumber(L, number),
          TokenKind::Boolean(value) => lua_pushboolean(L, value as c_int),
          TokenKind::Null => lua_pushlightuserdata(L, std::ptr::null_mut()),
          TokenKind::ObjectBegin => {
            self.enter(open.len(), 3)?;
            lua_newtable(L);
            token = self.next_token();
            if token.kind != TokenKind::ObjectEnd {
              open.push(OpenContainer::Object);
              self.push_key(&token)?;
              token = self.next_token();
              continue;
            }
          }
          TokenKind::ArrayBegin => {
            self.enter(open.len(), 2)?;
            lua_newtable(L);
            token = self.next_token();
            if token.kind != TokenKind::ArrayEnd {
              open.push(OpenContainer::Array { index: 1 });
              continue;
            }
          }
          _ => return Err(parse_error("value", &token)),
        }
        // A value is complete on top of the stack: store it, closing the containers that end.
        loop {
          match open.last_mut() {
            None => return Ok(()),
            Some(OpenContainer::Array { index }) => {
              lua_rawseti(L, -2, *index);
              token = self.next_token();
              if token.kind == TokenKind::ArrayEnd {
                open.pop();
                continue;
              }
              if token.kind != TokenKind::Comma {
                return Err(parse_error("comma or array end", &token));
              }
              *index = index.wrapping_add(1);
              token = self.next_token();
              break;
            }
            Some(OpenContainer::Object) => {
              lua_rawset(L, -3);
              token = self.next_token();
              if token.kind == TokenKind::ObjectEnd {
                open.pop();
                continue;
              }
              if token.kind != TokenKind::Comma {
                return Err(parse_error("comma or object end", &token));
              }
              let key = self.next_token();
              self.push_key(&key)?;
              token = self.next_token();
              break;
            }
          }
        }
      }
    }
  }

  /// Checks that a container may open inside `depth` open ones, with `slots` free stack slots.
  fn enter(&self, depth: usize, slots: c_int) -> Result<(), LuaError> {
    let depth = depth as i64 + 1;
    // SAFETY: `L` is live.
    if depth <= i64::from(self.config.decode_max_depth) && unsafe { lua_checkstack(self.L, slots) } != 0 {
      return Ok(());
    }
    Err(format!("Found too many nested data structures ({depth}) at character {}", self.position).into())
  }

  /// Pushes an object key, given its token, and reads the colon after it.
  fn push_key(&mut self, token: &Token) -> Result<(), LuaError> {
    if token.kind != TokenKind::String {
      return Err(parse_error("object key string", token));
    }
    // SAFETY: `L` is live, with room checked when the object was opened.
    unsafe { push_bytes(self.L, &self.string) };
    let colon = self.next_token();
    if colon.kind != TokenKind::Colon {
      return Err(parse_error("colon", &colon));
    }
    Ok(())
  }

  /// Reads the next token, skipping whitespace.
  fn next_token(&mut self) -> Token {
    while matches!(self.byte(self.position), b' ' | b'\t' | b'\n' | b'\r') {
      self.position += 1;
    }
    let index = self.position;
    let single = match self.byte(index) {
      0 => return Token { kind: TokenKind::End, index },
      b'{' => TokenKind::ObjectBegin,
      b'}' => TokenKind::ObjectEnd,
      b'[' => TokenKind::ArrayBegin,
      b']' => TokenKind::ArrayEnd,
      b':' => TokenKind::Colon,
      b',' => TokenKind::Comma,
      b'"' => return self.string_token(),
      b'-' | b'0'..=b'9' => {
        if !self.config.decode_invalid_numbers && self.is_invalid_number(index) {
          return Token { kind: TokenKind::Error("invalid number"), index };
        }
        return self.number_token();
      }
      b't' | b'f' | b'n' | b'i' | b'I' | b'N' | b'+' => return self.word_token(),
      _ => return Token { kind: TokenKind::Error("invalid token"), index },
    };
    self.position += 1;
    Token { kind: single, index }
  }

  /// Reads `true`, `false` or `null`, or (when allowed) a number beyond JSON's such as `inf`.
  fn word_token(&mut self) -> Token {
    let index = self.position;
    let rest = &self.text[index..];
    for (word, kind) in
      [(&b"true"[..], TokenKind::Boolean(true)), (b"false", TokenKind::Boolean(false)), (b"null", TokenKind::Null)]
    {
      if rest.starts_with(word) {
        self.position += word.len();
        return Token { kind, index };
      }
    }
    if self.config.decode_invalid_numbers && self.is_invalid_number(index) {
      return self.number_token();
    }
    Token { kind: TokenKind::Error("invalid token"), index }
  }

  /// Whether the number starting at `index` is one `strtod` may read but JSON forbids: a
  /// leading `+`, a hexadecimal number, a leading zero, an infinity or a NaN.
  fn is_invalid_number(&self, index: usize) -> bool {
    let mut at = index;
    match self.byte(at) {
      b'+' => return true,
      b'-' => at += 1,
      _ => {}
    }
    let first = self.byte(at);
    if first == b'0' {
      let second = self.byte(at + 1);
      return second | 0x20 == b'x' || second.is_ascii_digit();
    }
    // Compared as a C `char`, which is signed: bytes from 0x80 count as ordinary.
    if (first as i8) <= b'9' as i8 {
      return false;
    }
    let starts_with =
      |word: &[u8]| self.text.get(at..at + word.len()).is_some_and(|rest| rest.eq_ignore_ascii_case(word));
    starts_with(b"inf") || starts_with(b"nan")
  }

  /// Reads a number with C's `strtod`.
  fn number_token(&mut self) -> Token {
    let index = self.position;
    let start = self.text[index..].as_ptr().cast::<c_char>();
    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: `start` points into the text, which Lua ends with a NUL byte, so `strtod` reads
    // no further than that terminator and sets `end` within the same allocation.
    let (number, consumed) = unsafe {
      let number = libc::strtod(start, &mut end);
      (number, end.cast_const().offset_from(start) as usize)
    };
    if consumed == 0 {
      return Token { kind: TokenKind::Error("invalid number"), index };
    }
    self.position += consumed;
    Token { kind: TokenKind::Number(number), index }
  }

  /// Reads a string into the `string` buffer, decoding its escapes.
  fn string_token(&mut self) -> Token {
    let index = self.position;
    self.string.clear();
    let mut at = index + 1;
    loop {
      match self.byte(at) {
        b'"' => break,
        0 => return Token { kind: TokenKind::Error("unexpected end of string"), index: at },
        b'\\' => {
          let escaped = match self.byte(at + 1) {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => b'\x08',
            b't' => b'\t',
            b'n' => b'\n',
            b'f' => b'\x0c',
            b'r' => b'\r',
            b'u' => match self.unicode_escape(at) {
              Some(length) => {
                at += length;
                continue;
              }
              None => return Token { kind: TokenKind::Error("invalid unicode escape code"), index: at },
            },
            _ => return Token { kind: TokenKind::Error("invalid escape code"), index: at },
          };
          self.string.push(escaped);
          at += 2;
        }
        byte => {
          self.string.push(byte);
          at += 1;
        }
      }
    }
    self.position = at + 1;
    Token { kind: TokenKind::String, index }
  }

  /// Decodes the `\uXXXX` escape at `at` (two of them for a surrogate pair) into the `string`
  /// buffer as UTF-8, returning the escape's length; `None` if it is malformed.
  fn unicode_escape(&mut self, at: usize) -> Option<usize> {
    let first = self.hex4(at + 2)?;
    let (code_point, length) = if first & 0xF800 == 0xD800 {
      // A surrogate: it must be a high one followed by an escaped low one.
      if first & 0x400 != 0 || self.byte(at + 6) != b'\\' || self.byte(at + 7) != b'u' {
        return None;
      }
      let low = self.hex4(at + 8)?;
      if low & 0xFC00 != 0xDC00 {
        return None;
      }
      ((((first & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000, 12)
    } else {
      (first, 6)
    };
    push_utf8(&mut self.string, code_point);
    Some(length)
  }

  /// The value of the four hexadecimal digits at `at`.
  fn hex4(&self, at: usize) -> Option<u32> {
    (at..at + 4).try_fold(0u32, |value, index| Some(value << 4 | char::from(self.byte(index)).to_digit(16)?))
  }
}

/// Appends the UTF-8 encoding of a code point up to U+10FFFF.
fn push_utf8(bytes: &mut Vec<u8>, code_point: u32) {
  let continuation = |shift: u32| 0x80 | ((code_point >> shift) & 0x3F) as u8;
  match code_point {
    0..=0x7F => bytes.push(code_point as u8),
    0x80..=0x7FF => bytes.extend_from_slice(&[0xC0 | (code_point >> 6) as u8, continuation(0)]),
    0x800..=0xFFFF => bytes.extend_from_slice(&[0xE0 | (code_point >> 12) as u8, continuation(6), continuation(0)]),
    _ => {
      bytes.extend_from_slice(&[0xF0 | (code_point >> 18) as u8, continuation(12), continuation(6), continuation(0)])
    }
  }
}
