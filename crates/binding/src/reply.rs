//! Converts one RESP reply (as the engine wrote it) into a JavaScript value for the embedded
//! API: integers as numbers, bulk and simple strings as strings or Buffers, null as null,
//! arrays/sets/pushes as arrays, maps as arrays of alternating keys and values (like RESP2),
//! doubles as numbers, booleans as booleans, and errors as Error objects.

use napi::bindgen_prelude::*;
use napi::sys;

pub enum JsReply {
  Null,
  Int(i64),
  Double(f64),
  Bool(bool),
  Bytes(Vec<u8>, bool),
  Array(Vec<JsReply>),
  Error(String),
}

/// Decodes the first reply in `data`. Bulk strings become Buffers when `buffers` is set.
pub fn decode(data: &[u8], buffers: bool) -> JsReply {
  let mut at = 0;
  decode_at(data, &mut at, buffers)
}

fn line<'a>(data: &'a [u8], at: &mut usize) -> &'a [u8] {
  let start = *at;
  let end = data[start..].windows(2).position(|w| w == b"\r\n").map_or(data.len(), |p| start + p);
  *at = (end + 2).min(data.len());
  &data[start..end]
}

fn number(text: &[u8]) -> i64 {
  redwing_engine::num::parse_i64(text).unwrap_or(0)
}

fn decode_at(data: &[u8], at: &mut usize, buffers: bool) -> JsReply {
  if *at >= data.len() {
    return JsReply::Null;
  }
  let kind = data[*at];
  *at += 1;
  let header = line(data, at);
  match kind {
    b'+' => JsReply::Bytes(header.to_vec(), buffers),
    b'-' => JsReply::Error(String::from_utf8_lossy(header).into_owned()),
    b':' => JsReply::Int(number(header)),
    b'$' | b'=' => {
      let len = number(header);
      if len < 0 {
        return JsReply::Null;
      }
      let start = if kind == b'=' { *at + 4 } else { *at };
      let end = (*at + len as usize).min(data.len());
      *at = end + 2;
      JsReply::Bytes(data[start.min(end)..end].to_vec(), buffers)
    }
    b'*' | b'~' | b'>' => {
      let len = number(header);
      if len < 0 {
        return JsReply::Null;
      }
      JsReply::Array((0..len).map(|_| decode_at(data, at, buffers)).collect())
    }
    b'%' => JsReply::Array((0..number(header) * 2).map(|_| decode_at(data, at, buffers)).collect()),
    b',' => JsReply::Double(std::str::from_utf8(header).ok().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN)),
    b'#' => JsReply::Bool(header == b"t"),
    _ => JsReply::Null,
  }
}

impl ToNapiValue for JsReply {
  unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
    // SAFETY: `env` is the live environment napi-rs passes to every conversion.
    unsafe {
      match value {
        JsReply::Null => Null::to_napi_value(env, Null),
        JsReply::Int(n) => i64::to_napi_value(env, n),
        JsReply::Double(d) => f64::to_napi_value(env, d),
        JsReply::Bool(b) => bool::to_napi_value(env, b),
        JsReply::Bytes(bytes, true) => Buffer::to_napi_value(env, bytes.into()),
        JsReply::Bytes(bytes, false) => match String::from_utf8(bytes) {
          Ok(text) => String::to_napi_value(env, text),
          Err(e) => String::to_napi_value(env, String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
        JsReply::Array(items) => Vec::<JsReply>::to_napi_value(env, items),
        JsReply::Error(message) => {
          let mut text = std::ptr::null_mut();
          check_status!(sys::napi_create_string_utf8(env, message.as_ptr().cast(), message.len() as isize, &mut text))?;
          let mut error = std::ptr::null_mut();
          check_status!(sys::napi_create_error(env, std::ptr::null_mut(), text, &mut error))?;
          Ok(error)
        }
      }
    }
  }
}
