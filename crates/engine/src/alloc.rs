//! Handing freed memory back to the operating system.
//!
//! Redis's allocator (jemalloc) returns unused dirty pages on a decay timer. glibc's malloc,
//! which a Node process uses, keeps freed blocks below its mmap threshold resident instead: the
//! socket read buffers Node allocates and frees at a high rate leave tens of megabytes of dead
//! pages in the heap. `release_free_memory` asks glibc to give them back (`malloc_trim` returns
//! whole free pages anywhere in the heap, not only at its top); the engine calls it about once
//! a second from `tick`.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_free_memory() {
  // SAFETY: malloc_trim only releases memory the allocator considers free.
  unsafe {
    libc::malloc_trim(0);
  }
}

/// Other allocators and platforms return memory on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_memory() {}
