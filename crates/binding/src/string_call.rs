//! The embedded API's quickest call: one short command whose arguments are JS strings or safe
//! integers, run without the request encoding of `call.rs`, its reply made into a JS value
//! here when it is a simple one.
//!
//! Why: a typed method such as `db.get(key)` spends more on its round trip through the two
//! shared buffers (JS writes the request, the binding reads it; the engine writes RESP, JS
//! decodes it) than the engine spends on the GET. Here the arguments are read straight from
//! the JS strings into a stack buffer, the command runs through the engine exactly as `exec`
//! runs it (same session, same dispatch, same signals), and a reply that is a null, an ASCII
//! bulk string or status, or an integer JS holds exactly, becomes that JS value.
//!
//! Anything else leaves the call as `exec` leaves it: the reply (an error, an array, text that
//! is not ASCII…) is copied into the response buffer, its length and `exec`'s flags (output for
//! other sessions, a command handed over to the host) are written to the buffer registered
//! with `setCallLengthBuffer`, and the function returns `undefined`, after which the store
//! reads the reply as it reads `exec`'s.
//! An argument that is neither a string nor a safe integer (a Buffer, a BigInt, a fraction)
//! runs nothing: the function returns `false` and the store encodes the command instead.
//!
//! JS: `call(slot, name, ...args)` with at most [`MAX_ARGS`] arguments after the name.

use super::{leave_replies, outbound_flag, throw_error, with};
use napi::sys;
use std::ptr::null_mut;

/// The most arguments a command may have after its name to be run this way.
pub const MAX_ARGS: usize = 4;

/// UTF-16 code units of a string read onto the stack; longer strings are read into a `Vec`.
const STACK_UNITS: usize = 256;

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The most argument bytes whose buffer is kept for the next call.
const KEPT_ARG_BYTES: usize = 64 * 1024;

thread_local! {
  /// The bytes of the running call's arguments, reused from one call to the next.
  static ARG_BYTES: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The arguments of a call, read one after the other into one byte buffer.
struct ArgBytes {
  bytes: Vec<u8>,
  /// Each argument's end in `bytes`.
  ends: [usize; MAX_ARGS + 1],
  count: usize,
}

/// Why the arguments could not be read.
enum ReadError {
  /// An argument is not a string or a safe integer: the store encodes the command itself.
  Unsupported,
  /// N-API refused a call it should not refuse.
  Napi,
}

impl ArgBytes {
  /// Appends the bytes of `value`: a string as UTF-8 (as the store's encoder writes it, a lone
  /// surrogate as U+FFFD), a safe integer as its decimal digits.
  ///
  /// Strings are read as UTF-16, which V8 copies out as they are, and encoded here: V8's own
  /// UTF-8 writer costs several times more for a short key.
  ///
  /// # Safety
  /// `env` and `value` are valid for the current callback.
  unsafe fn push(&mut self, env: sys::napi_env, value: sys::napi_value) -> Result<(), ReadError> {
    let mut stack = [std::mem::MaybeUninit::<u16>::uninit(); STACK_UNITS];
    let mut read = 0;
    // SAFETY: `stack` is writable for its length; N-API writes at most that many units, a NUL
    // included, and says how many it wrote before the NUL.
    let status =
      unsafe { sys::napi_get_value_string_utf16(env, value, stack.as_mut_ptr().cast(), STACK_UNITS, &mut read) };
    match status {
      sys::Status::napi_ok if read + 1 < STACK_UNITS => {
        // SAFETY: N-API initialised the first `read` units.
        let units = unsafe { std::slice::from_raw_parts(stack.as_ptr().cast::<u16>(), read) };
        encode_utf8(units, &mut self.bytes);
      }
      // The string may go on past what fit: read it whole.
      sys::Status::napi_ok => {
        let mut length = 0;
        // SAFETY: with a null buffer N-API only reports the string's length.
        if unsafe { sys::napi_get_value_string_utf16(env, value, null_mut(), 0, &mut length) } != sys::Status::napi_ok {
          return Err(ReadError::Napi);
        }
        let mut units = vec![0u16; length + 1];
        // SAFETY: `units` is writable for `length + 1` units, the string and its NUL.
        let status =
          unsafe { sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), units.len(), &mut read) };
        if status != sys::Status::napi_ok {
          return Err(ReadError::Napi);
        }
        encode_utf8(&units[..read], &mut self.bytes);
      }
      sys::Status::napi_string_expected => {
        // SAFETY: the caller's guarantee.
        let digits = unsafe { integer_digits(env, value) }?;
        self.bytes.extend_from_slice(digits.as_bytes());
      }
      _ => return Err(ReadError::Napi),
    }
    self.ends[self.count] = self.bytes.len();
    self.count += 1;
    Ok(())
  }

  /// The arguments read, as byte slices.
  fn slices(&self) -> ([&[u8]; MAX_ARGS + 1], usize) {
    let mut slices: [&[u8]; MAX_ARGS + 1] = [&[]; MAX_ARGS + 1];
    let mut start = 0;
    for (slice, &end) in slices.iter_mut().zip(&self.ends[..self.count]) {
      *slice = &self.bytes[start..end];
      start = end;
    }
    (slices, self.count)
  }
}

/// Appends the UTF-8 encoding of the UTF-16 `units` to `bytes`, each lone surrogate as U+FFFD
/// (as Node's `Buffer.write` encodes a string).
fn encode_utf8(units: &[u16], bytes: &mut Vec<u8>) {
  // Keys and short values are ASCII: one byte per unit, in one pass with no per-byte check of
  // the capacity.
  if units.iter().all(|&unit| unit < 0x80) {
    bytes.extend(units.iter().map(|&unit| unit as u8));
    return;
  }
  let mut buf = [0; 4];
  for c in char::decode_utf16(units.iter().copied()) {
    bytes.extend_from_slice(c.unwrap_or(char::REPLACEMENT_CHARACTER).encode_utf8(&mut buf).as_bytes());
  }
}

/// The decimal digits of `value` if it is a number holding a safe integer, as the store's
/// encoder writes such a number.
///
/// # Safety
/// `env` and `value` are valid for the current callback.
unsafe fn integer_digits(env: sys::napi_env, value: sys::napi_value) -> Result<String, ReadError> {
  let mut number = 0.0;
  // SAFETY: the caller's guarantee.
  let status = unsafe { sys::napi_get_value_double(env, value, &mut number) };
  let integer = number as i64;
  if status != sys::Status::napi_ok || integer as f64 != number || integer.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
    return Err(ReadError::Unsupported);
  }
  Ok(integer.to_string())
}

/// The JS value of a simple reply: null, an ASCII bulk string or status, or an integer JS holds
/// exactly; `None` for any other reply, which the store decodes itself.
///
/// # Safety
/// `env` is valid for the current callback.
unsafe fn simple_value(env: sys::napi_env, reply: &[u8]) -> Option<sys::napi_value> {
  let body = reply.strip_suffix(b"\r\n")?;
  let (&kind, rest) = body.split_first()?;
  let mut value = null_mut();
  // SAFETY (each N-API call below): `env` is valid, `value` receives the new value, and the
  // text passed is ASCII, so its bytes are its Latin-1 characters.
  let status = match kind {
    b'$' if rest == b"-1" => unsafe { sys::napi_get_null(env, &mut value) },
    b'_' if rest.is_empty() => unsafe { sys::napi_get_null(env, &mut value) },
    b'$' => {
      let header = rest.iter().position(|&b| b == b'\r')?;
      let length: usize = std::str::from_utf8(&rest[..header]).ok()?.parse().ok()?;
      let text = rest.get(header + 2..)?;
      if text.len() != length || !text.is_ascii() {
        return None;
      }
      unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut value) }
    }
    b'+' if rest.is_ascii() && !rest.contains(&b'\r') => unsafe {
      sys::napi_create_string_latin1(env, rest.as_ptr().cast(), rest.len() as isize, &mut value)
    },
    b':' => {
      let integer: i64 = std::str::from_utf8(rest).ok()?.parse().ok()?;
      if integer.unsigned_abs() > MAX_SAFE_INTEGER as u64 {
        return None;
      }
      unsafe { sys::napi_create_double(env, integer as f64, &mut value) }
    }
    _ => return None,
  };
  (status == sys::Status::napi_ok).then_some(value)
}

/// What a call produced, before it becomes a JS value.
enum Outcome {
  /// The reply as a JS value.
  Value(sys::napi_value),
  /// The reply waits in the response buffer (or the engine's scratch), as `exec` leaves it.
  InBuffer,
}

/// Runs `argv` as session `slot` of engine `id`.
///
/// # Safety
/// `env` is valid for the current callback.
unsafe fn run(env: sys::napi_env, id: u32, slot: u32, argv: &[&[u8]]) -> napi::Result<Outcome> {
  with(id, |i| {
    let mut replies = std::mem::take(&mut i.scratch);
    replies.clear();
    let output = i.engine.call_into(slot, argv, replies);
    if output.close {
      i.scratch = output.reply;
      return Err(napi::Error::from_reason("the store is closed"));
    }
    let replies = output.reply;
    if output.pending.is_none() && outbound_flag(&i.engine) == 0 {
      // SAFETY: the caller's guarantee.
      if let Some(value) = unsafe { simple_value(env, &replies) } {
        i.scratch = replies;
        return Ok(Outcome::Value(value));
      }
    }
    // A command handed over has nothing after it to resume: the host answers it and stops.
    let host_call = output.pending.map(|pending| super::call::HostCall { pending, resume_at: usize::MAX });
    let length = leave_replies(i, replies, host_call);
    if let Some(target) = i.call_length.as_mut().and_then(|buffer| buffer.get_mut(..4)) {
      target.copy_from_slice(&length.to_ne_bytes());
    }
    Ok(Outcome::InBuffer)
  })?
}

/// `call` as called from JavaScript: a plain N-API callback bound to its engine by the callback
/// data, as `exec` is (see `NativeEngine::string_call_function`).
///
/// # Safety
/// Called by N-API only, with the environment and callback info of a call.
pub unsafe extern "C" fn string_call_callback(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
  let mut values = [null_mut(); MAX_ARGS + 2];
  let mut argc = values.len();
  let mut data = null_mut();
  // SAFETY: `env` and `info` are the ones N-API passed; `values` has room for `argc` values.
  unsafe { sys::napi_get_cb_info(env, info, &mut argc, values.as_mut_ptr(), null_mut(), &mut data) };
  let id = data as usize as u32;
  let result = std::panic::catch_unwind(|| {
    if !(2..=MAX_ARGS + 2).contains(&argc) {
      return Err(napi::Error::from_reason("call takes a session, a command name and at most 4 arguments"));
    }
    let mut slot = 0;
    // SAFETY: `values[0]` is an argument of this call.
    if unsafe { sys::napi_get_value_uint32(env, values[0], &mut slot) } != sys::Status::napi_ok {
      return Err(napi::Error::from_reason("call's session must be a number"));
    }
    let mut bytes = ARG_BYTES.take();
    bytes.clear();
    let mut args = ArgBytes { bytes, ends: [0; MAX_ARGS + 1], count: 0 };
    let mut outcome = Ok(None);
    let read = values[1..argc].iter().try_for_each(|&value| {
      // SAFETY: every value is an argument of this call.
      unsafe { args.push(env, value) }
    });
    match read {
      Ok(()) => {
        let (slices, count) = args.slices();
        // SAFETY: `env` is valid for this callback.
        outcome = unsafe { run(env, id, slot, &slices[..count]) }.map(Some);
      }
      Err(ReadError::Unsupported) => {}
      Err(ReadError::Napi) => outcome = Err(napi::Error::from_reason("cannot read an argument of call")),
    }
    // The buffer is kept for the next call unless a large argument grew it.
    if args.bytes.capacity() <= KEPT_ARG_BYTES {
      ARG_BYTES.set(args.bytes);
    }
    outcome
  });
  let mut value = null_mut();
  let message = match result {
    // SAFETY (each): `env` is valid for this callback; `value` receives the new value.
    Ok(Ok(Some(Outcome::Value(reply)))) => return reply,
    Ok(Ok(Some(Outcome::InBuffer))) => {
      unsafe { sys::napi_get_undefined(env, &mut value) };
      return value;
    }
    Ok(Ok(None)) => {
      unsafe { sys::napi_get_boolean(env, false, &mut value) };
      return value;
    }
    Ok(Err(error)) => error.reason,
    Err(_) => "internal error in call".to_string(),
  };
  // SAFETY: `env` is the environment of this callback.
  unsafe { throw_error(env, message) }
}
