//! Reply bytes for a socket, handed to JavaScript as a Buffer.
//!
//! Small buffers are copied into a fresh Node Buffer, which costs less than handing over the
//! allocation (an external buffer needs a finalizer and garbage-collector bookkeeping); large
//! ones are handed over without a copy.

use napi::bindgen_prelude::*;
use napi::sys;
use std::ptr;

pub struct SocketBytes(pub Vec<u8>);

/// Above this size the allocation is handed over instead of copied.
const COPY_LIMIT: usize = 64 * 1024;

impl ToNapiValue for SocketBytes {
  unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
    if value.0.len() > COPY_LIMIT {
      // SAFETY: `env` is the live environment napi-rs passes to every conversion.
      return unsafe { Buffer::to_napi_value(env, value.0.into()) };
    }
    let mut buffer = ptr::null_mut();
    // SAFETY: the data pointer and length describe `value.0`, which outlives the call.
    check_status!(unsafe {
      sys::napi_create_buffer_copy(env, value.0.len(), value.0.as_ptr().cast(), ptr::null_mut(), &mut buffer)
    })?;
    Ok(buffer)
  }
}
