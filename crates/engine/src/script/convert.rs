//! Values crossing between Lua and Redis, converted by Redis's rules.
//!
//! Into Lua ([`push_reply`]): a command's reply, read back from the RESP bytes it wrote (the
//! way Redis parses its fake client's output). Integers become numbers, bulk strings strings,
//! a null bulk or null array `false`, arrays tables, a status `{ok=…}`, an error `{err=…}`;
//! under RESP3 also maps `{map={…}}`, sets `{set={k=true…}}`, doubles `{double=n}`, big
//! numbers `{big_number="…"}`, verbatim strings `{verbatim_string={format=…, string=…}}`,
//! booleans and null (`nil`). Attributes are skipped.
//!
//! Out of Lua ([`write_value`]): the script's result, into the caller's reply. Numbers are
//! truncated to integers, strings become bulk strings, `true` is `1` (or a RESP3 boolean),
//! `false` and `nil` are null, a table is an error, a status, one of the RESP3 shapes above, or
//! else an array of its elements `1, 2, …` up to the first `nil`.

use crate::resp::Reply;
use redwing_lua::ffi::*;
use redwing_lua::{push_bytes, to_bytes};

/// Pushes `{err="CODE message"}` for an error line (`-CODE message`, or just `message`, which
/// gets the `ERR` code), trimmed of CR/LF at its ends, as Redis builds its error tables.
///
/// # Safety
/// `L` is a live state with room for 3 values.
pub(crate) unsafe fn push_error_table(L: *mut lua_State, line: &[u8]) {
  let (code, message): (&[u8], &[u8]) = match line.strip_prefix(b"-") {
    Some(rest) => match rest.iter().position(|&b| b == b' ') {
      Some(space) => (&rest[..space], &rest[space + 1..]),
      None => (b"ERR", rest),
    },
    None => (b"ERR", line),
  };
  let trim = |b: &u8| *b == b'\r' || *b == b'\n';
  let start = message.iter().position(|b| !trim(b)).unwrap_or(message.len());
  let end = message.iter().rposition(|b| !trim(b)).map_or(start, |at| at + 1);
  let mut text = Vec::with_capacity(code.len() + 1 + end - start);
  text.extend_from_slice(code);
  text.push(b' ');
  text.extend_from_slice(&message[start..end]);
  // SAFETY: `L` is live with room for the table, the key and the value.
  unsafe {
    lua_createtable(L, 0, 1);
    push_bytes(L, b"err");
    push_bytes(L, &text);
    lua_rawset(L, -3);
  }
}

/// Marks the error table on the top of the stack as already counted in the error statistics.
///
/// # Safety
/// `L` is a live state with a table on the top and room for 2 values.
pub(crate) unsafe fn mark_counted(L: *mut lua_State) {
  // SAFETY: as documented.
  unsafe {
    push_bytes(L, b"ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
  }
}

/// Pushes the Lua form of the one reply at the start of `reply` and returns its length.
///
/// # Safety
/// `L` is a live state; `reply` holds complete, well-formed replies (the engine wrote them).
pub(crate) unsafe fn push_reply(L: *mut lua_State, reply: &[u8]) -> usize {
  // SAFETY: forwarded.
  unsafe { push_one(L, reply, 0, true) }
}

/// Finds the end of the line starting at `at` (the index of its `\r`).
fn line_end(reply: &[u8], at: usize) -> usize {
  memchr::memchr(b'\r', &reply[at..]).map_or(reply.len(), |i| at + i)
}

fn parse_int(text: &[u8]) -> i64 {
  crate::num::parse_i64(text).unwrap_or(0)
}

/// Pushes (when `push`) or skips the reply at `at`; returns the position after it.
unsafe fn push_one(L: *mut lua_State, reply: &[u8], at: usize, push: bool) -> usize {
  let kind = reply[at];
  let end = line_end(reply, at + 1);
  let line = &reply[at + 1..end];
  let next = end + 2;
  // SAFETY (whole body): `L` is live; every push is preceded by a stack check.
  unsafe {
    if push {
      // Room for this level (a command's reply nests a few levels at most, far below the
      // limit where growing the stack could fail).
      lua_checkstack(L, 5);
    }
    match kind {
      b':' => {
        if push {
          lua_pushnumber(L, parse_int(line) as f64);
        }
        next
      }
      b'$' | b'=' => {
        let len = parse_int(line);
        if len < 0 {
          if push {
            lua_pushboolean(L, 0);
          }
          return next;
        }
        let body = &reply[next..next + len as usize];
        if push {
          if kind == b'$' {
            push_bytes(L, body);
          } else {
            lua_createtable(L, 0, 1);
            push_bytes(L, b"verbatim_string");
            lua_createtable(L, 0, 2);
            push_bytes(L, b"string");
            push_bytes(L, &body[4.min(body.len())..]);
            lua_rawset(L, -3);
            push_bytes(L, b"format");
            push_bytes(L, &body[..3.min(body.len())]);
            lua_rawset(L, -3);
            lua_rawset(L, -3);
          }
        }
        next + len as usize + 2
      }
      b'+' => {
        if push {
          lua_createtable(L, 0, 1);
          push_bytes(L, b"ok");
          push_bytes(L, line);
          lua_rawset(L, -3);
        }
        next
      }
      b'-' => {
        if push {
          let mut error = Vec::with_capacity(line.len() + 1);
          error.push(b'-');
          error.extend_from_slice(line);
          push_error_table(L, &error);
          mark_counted(L);
        }
        next
      }
      b'*' | b'>' => {
        let len = parse_int(line);
        if len < 0 {
          if push {
            lua_pushboolean(L, 0);
          }
          return next;
        }
        if push {
          lua_createtable(L, len.min(1 << 16) as i32, 0);
        }
        let mut at = next;
        for i in 0..len {
          at = push_one(L, reply, at, push);
          if push {
            lua_rawseti(L, -2, (i + 1) as i32);
          }
        }
        at
      }
      b'%' | b'~' => {
        let len = parse_int(line);
        if push {
          lua_createtable(L, 0, 1);
          push_bytes(L, if kind == b'%' { b"map" } else { b"set" });
          lua_createtable(L, 0, len.min(1 << 16) as i32);
        }
        let mut at = next;
        for _ in 0..len {
          at = push_one(L, reply, at, push);
          if kind == b'%' {
            at = push_one(L, reply, at, push);
          } else if push {
            lua_pushboolean(L, 1);
          }
          if push {
            lua_settable(L, -3);
          }
        }
        if push {
          lua_rawset(L, -3);
        }
        at
      }
      b'|' => {
        let len = parse_int(line);
        let mut at = next;
        for _ in 0..len * 2 {
          at = push_one(L, reply, at, false);
        }
        push_one(L, reply, at, push)
      }
      b'_' => {
        if push {
          lua_pushnil(L);
        }
        next
      }
      b'#' => {
        if push {
          lua_pushboolean(L, (line == b"t") as i32);
        }
        next
      }
      b',' => {
        if push {
          lua_createtable(L, 0, 1);
          push_bytes(L, b"double");
          lua_pushnumber(L, parse_double(line));
          lua_rawset(L, -3);
        }
        next
      }
      b'(' => {
        if push {
          lua_createtable(L, 0, 1);
          push_bytes(L, b"big_number");
          push_bytes(L, line);
          lua_rawset(L, -3);
        }
        next
      }
      _ => {
        if push {
          lua_pushnil(L);
        }
        next
      }
    }
  }
}

fn parse_double(text: &[u8]) -> f64 {
  match text {
    b"inf" => f64::INFINITY,
    b"-inf" => f64::NEG_INFINITY,
    b"nan" | b"-nan" => f64::NAN,
    _ => crate::num::parse_f64(text).unwrap_or(0.0),
  }
}

/// A Lua number as C's `(long long)` cast gives it on the platforms Redis runs on: the integer
/// part, or the minimum for what does not fit (and NaN).
pub(crate) fn truncate_number(n: f64) -> i64 {
  if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) {
    i64::MIN
  } else {
    n as i64
  }
}

/// The parts of an error table: its message and where it was raised, when known.
pub(crate) struct ErrorInfo {
  pub(crate) message: Vec<u8>,
  pub(crate) source: Option<Vec<u8>>,
  pub(crate) line: Option<Vec<u8>>,
  /// Already counted in the error statistics (an error reply of a command the script called).
  pub(crate) counted: bool,
}

/// Reads the error value on the top of the stack (left there): a string is an `ERR` message,
/// a table has `err`, `source`, `line` and `ignore_error_stats_update` fields.
///
/// # Safety
/// `L` is a live state with room for 1 value.
pub(crate) unsafe fn error_info(L: *mut lua_State) -> ErrorInfo {
  // SAFETY: `L` is live; fields are read raw, so no metamethod runs.
  unsafe {
    let mut info = ErrorInfo { message: b"ERR unknown error".to_vec(), source: None, line: None, counted: false };
    if lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER {
      let mut message = b"ERR ".to_vec();
      message.extend_from_slice(to_bytes(L, -1).unwrap_or_default());
      info.message = message;
      return info;
    }
    if !lua_istable(L, -1) {
      return info;
    }
    let field = |name: &[u8]| -> Option<Vec<u8>> {
      push_bytes(L, name);
      lua_rawget(L, -2);
      let value = match lua_type(L, -1) {
        LUA_TSTRING | LUA_TNUMBER => to_bytes(L, -1).map(<[u8]>::to_vec),
        _ => None,
      };
      lua_pop(L, 1);
      value
    };
    if let Some(message) = field(b"err") {
      info.message = message;
    }
    info.source = field(b"source");
    info.line = field(b"line");
    push_bytes(L, b"ignore_error_stats_update");
    lua_rawget(L, -2);
    info.counted = lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1) != 0;
    lua_pop(L, 1);
    info
  }
}

/// Writes the value on the top of the stack (and pops it) as a reply; `script_resp3` is the
/// protocol the script chose with `redis.setresp`, which decides how `true` converts.
/// When the value is an error table, returns its message and whether it was already counted.
///
/// # Safety
/// `L` is a live state with a value on the top.
pub(crate) unsafe fn write_value(L: *mut lua_State, out: &mut Reply, script_resp3: bool) -> Option<(Vec<u8>, bool)> {
  // SAFETY (whole body): `L` is live; tables are read raw.
  unsafe {
    if lua_checkstack(L, 4) == 0 {
      out.error(b"ERR reached lua stack limit");
      lua_pop(L, 1);
      return Some((b"ERR reached lua stack limit".to_vec(), false));
    }
    let mut error = None;
    match lua_type(L, -1) {
      LUA_TSTRING => out.bulk(to_bytes(L, -1).unwrap_or_default()),
      LUA_TBOOLEAN => {
        let value = lua_toboolean(L, -1) != 0;
        if script_resp3 {
          out.bool(value);
        } else if value {
          out.int(1);
        } else {
          out.null();
        }
      }
      LUA_TNUMBER => out.int(truncate_number(lua_tonumber(L, -1))),
      LUA_TTABLE => {
        error = write_table(L, out, script_resp3);
        if error.is_some() {
          return error;
        }
      }
      _ => out.null(),
    }
    lua_pop(L, 1);
    error
  }
}

/// [`write_value`] for a table; returns `Some` (and pops the table) when it was an error.
unsafe fn write_table(L: *mut lua_State, out: &mut Reply, script_resp3: bool) -> Option<(Vec<u8>, bool)> {
  // SAFETY (whole body): `L` is live with the table on the top and room for 4 values.
  unsafe {
    let field_type = |name: &[u8]| -> i32 {
      push_bytes(L, name);
      lua_rawget(L, -2);
      lua_type(L, -1)
    };
    if field_type(b"err") == LUA_TSTRING {
      lua_pop(L, 1);
      let info = error_info(L);
      write_error_line(out, &info.message);
      lua_pop(L, 1);
      return Some((info.message, info.counted));
    }
    lua_pop(L, 1);
    if field_type(b"ok") == LUA_TSTRING {
      out.simple(&one_line(to_bytes(L, -1).unwrap_or_default()));
      lua_pop(L, 1);
      return None;
    }
    lua_pop(L, 1);
    if field_type(b"double") == LUA_TNUMBER {
      out.double(lua_tonumber(L, -1));
      lua_pop(L, 1);
      return None;
    }
    lua_pop(L, 1);
    if field_type(b"big_number") == LUA_TSTRING {
      out.big_number(&one_line(to_bytes(L, -1).unwrap_or_default()));
      lua_pop(L, 1);
      return None;
    }
    lua_pop(L, 1);
    if field_type(b"verbatim_string") == LUA_TTABLE {
      push_bytes(L, b"format");
      lua_rawget(L, -2);
      if lua_type(L, -1) == LUA_TSTRING {
        push_bytes(L, b"string");
        lua_rawget(L, -3);
        if lua_type(L, -1) == LUA_TSTRING {
          let format = to_bytes(L, -2).unwrap_or_default();
          let mut tag = [b' '; 3];
          for (slot, byte) in tag.iter_mut().zip(format.iter().chain(std::iter::repeat(&0u8))) {
            *slot = *byte;
          }
          out.verbatim(&tag, to_bytes(L, -1).unwrap_or_default());
          lua_pop(L, 3);
          return None;
        }
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if field_type(b"map") == LUA_TTABLE {
      out.map(count_pairs(L));
      lua_pushnil(L);
      while lua_next(L, -2) != 0 {
        lua_pushvalue(L, -2);
        write_value(L, out, script_resp3);
        write_value(L, out, script_resp3);
      }
      lua_pop(L, 1);
      return None;
    }
    lua_pop(L, 1);
    if field_type(b"set") == LUA_TTABLE {
      out.set(count_pairs(L));
      lua_pushnil(L);
      while lua_next(L, -2) != 0 {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        write_value(L, out, script_resp3);
      }
      lua_pop(L, 1);
      return None;
    }
    lua_pop(L, 1);
    // The elements 1, 2, … up to the first nil.
    let mut len = 0;
    loop {
      lua_rawgeti(L, -1, len + 1);
      let end = lua_type(L, -1) == LUA_TNIL;
      lua_pop(L, 1);
      if end {
        break;
      }
      len += 1;
    }
    out.array(len as usize);
    for index in 1..=len {
      lua_rawgeti(L, -1, index);
      write_value(L, out, script_resp3);
    }
    None
  }
}

/// `text` with CR and LF replaced by spaces, for replies that are one line.
fn one_line(text: &[u8]) -> Vec<u8> {
  text.iter().map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }).collect()
}

/// The number of pairs in the table on the top of the stack.
unsafe fn count_pairs(L: *mut lua_State) -> usize {
  // SAFETY: `L` is live with a table on the top and room for 2 values.
  unsafe {
    let mut pairs = 0;
    lua_pushnil(L);
    while lua_next(L, -2) != 0 {
      lua_pop(L, 1);
      pairs += 1;
    }
    pairs
  }
}

/// Writes an error reply from an error table's message (which starts with its code), CR/LF
/// replaced by spaces.
pub(crate) fn write_error_line(out: &mut Reply, message: &[u8]) {
  out.error(message);
}
