//! Reply bytes for a socket, handed to JavaScript as a Buffer.
//!
//! Small buffers are copied into a fresh Node Buffer, which costs less than handing over the
//! allocation (an external buffer needs a finalizer and garbage-collector bookkeeping); large
//! ones are handed over without a copy. A handed-over allocation is freed when the garbage
//! collector finalizes its Buffer, which may be long after the socket took the bytes: it is
//! reported to the engine (`host_buffer_created`), whose used memory leaves it out.

use napi::bindgen_prelude::*;
use napi::sys;
use std::ffi::c_void;
use std::ptr;

pub struct SocketBytes(pub Vec<u8>);

/// Above this size the allocation is handed over instead of copied.
const COPY_LIMIT: usize = 64 * 1024;

impl TypeName for SocketBytes {
  fn type_name() -> &'static str {
    "Buffer"
  }

  fn value_type() -> ValueType {
    ValueType::Object
  }
}

impl ToNapiValue for SocketBytes {
  unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
    if value.0.len() > COPY_LIMIT {
      let mut buffer = ptr::null_mut();
      let mut bytes = std::mem::ManuallyDrop::new(value.0);
      let capacity = bytes.capacity();
      redwing_engine::alloc::host_buffer_created(capacity);
      // SAFETY: the data pointer and length describe `bytes`, whose allocation is given away
      // here and freed by `release` with its capacity as the hint.
      let status = unsafe {
        sys::napi_create_external_buffer(
          env,
          bytes.len(),
          bytes.as_mut_ptr().cast(),
          Some(release),
          capacity as *mut c_void,
          &mut buffer,
        )
      };
      if status == sys::Status::napi_ok {
        return Ok(buffer);
      }
      // Not handed over (a runtime without external buffers): copied, and freed here.
      redwing_engine::alloc::host_buffer_released(capacity);
      let bytes = std::mem::ManuallyDrop::into_inner(bytes);
      return copy(env, &bytes);
    }
    copy(env, &value.0)
  }
}

/// A Node Buffer holding a copy of `bytes`.
fn copy(env: sys::napi_env, bytes: &[u8]) -> Result<sys::napi_value> {
  let mut buffer = ptr::null_mut();
  // SAFETY: the data pointer and length describe `bytes`, which outlives the call.
  check_status!(unsafe {
    sys::napi_create_buffer_copy(env, bytes.len(), bytes.as_ptr().cast(), ptr::null_mut(), &mut buffer)
  })?;
  Ok(buffer)
}

/// The finalizer of a handed-over allocation: `data` is its pointer, `capacity` its size.
unsafe extern "C" fn release(_env: sys::napi_env, data: *mut c_void, capacity: *mut c_void) {
  let capacity = capacity as usize;
  // SAFETY: `data` and `capacity` are those of the `Vec<u8>` given away in `to_napi_value`,
  // freed once, here; a length of 0 is valid for bytes.
  drop(unsafe { Vec::from_raw_parts(data.cast::<u8>(), 0, capacity) });
  redwing_engine::alloc::host_buffer_released(capacity);
}
