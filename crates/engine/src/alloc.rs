//! The engine's memory: counting what it allocates, and handing freed memory back.
//!
//! Counting: Redis knows its `used_memory` because every allocation goes through `zmalloc`,
//! which adds the size to a counter; `maxmemory`, eviction, INFO memory and MEMORY STATS all
//! read that counter, not the process's resident size (which lags behind frees and includes
//! memory that is not the dataset's). [`CountingAllocator`] does the same for Rust: installed
//! as the global allocator (the N-API binding does, and so do the engine's tests that read
//! memory figures), it adds and subtracts every allocation's size to one atomic counter, which
//! [`allocated`] reads. What Node.js itself allocates (the JavaScript heap, socket buffers) and
//! the Lua interpreters' memory (reported separately, as Redis does) are not in it. Without the
//! counting allocator installed, the figures fall back to the resident set size.
//!
//! Handing over: large replies and messages reach the host's sockets as allocations the
//! engine gives away (Node external buffers), freed when the garbage collector finds them
//! unused, which may be long after they were written. The host reports them
//! ([`host_buffer_created`], [`host_buffer_released`]), and they are not the engine's memory
//! any more: [`allocated`] leaves them out, as Redis's `used_memory` leaves out what the
//! kernel holds for its sockets (counted, they would make `used_memory` follow the garbage
//! collector, and eviction evict keys for them).
//!
//! Releasing: Redis's allocator (jemalloc) returns unused dirty pages on a decay timer. glibc's
//! malloc, which a Node process uses, keeps freed blocks below its mmap threshold resident
//! instead: the socket read buffers Node allocates and frees at a high rate leave tens of
//! megabytes of dead pages in the heap. [`release_free_memory`] asks glibc to give them back
//! (`malloc_trim` returns whole free pages anywhere in the heap, not only at its top); the
//! engine calls it about once a second from `tick`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated through [`CountingAllocator`] and not freed yet.
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

/// Bytes of the allocations handed over to the host and not freed yet (see the module comment).
static HOST_BUFFERS: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting the bytes it hands out (see the module comment).
pub struct CountingAllocator;

// SAFETY: every call is forwarded to the system allocator with the caller's arguments; the
// counter is bookkeeping only.
unsafe impl GlobalAlloc for CountingAllocator {
  #[inline]
  unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
    // SAFETY: forwarded as received.
    let pointer = unsafe { System.alloc(layout) };
    if !pointer.is_null() {
      ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
    }
    pointer
  }

  #[inline]
  unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
    // SAFETY: forwarded as received.
    let pointer = unsafe { System.alloc_zeroed(layout) };
    if !pointer.is_null() {
      ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
    }
    pointer
  }

  #[inline]
  unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
    // SAFETY: forwarded as received.
    unsafe { System.dealloc(pointer, layout) };
    ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
  }

  #[inline]
  unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    // SAFETY: forwarded as received.
    let moved = unsafe { System.realloc(pointer, layout, new_size) };
    if !moved.is_null() {
      if new_size >= layout.size() {
        ALLOCATED.fetch_add(new_size - layout.size(), Ordering::Relaxed);
      } else {
        ALLOCATED.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
      }
    }
    moved
  }
}

/// Bytes the engine has allocated and not freed nor handed over to the host, as counted by
/// [`CountingAllocator`]; `None` when it is not the global allocator (nothing was ever
/// counted).
#[inline]
pub fn allocated() -> Option<u64> {
  match ALLOCATED.load(Ordering::Relaxed) {
    0 => None,
    bytes => Some(bytes.saturating_sub(HOST_BUFFERS.load(Ordering::Relaxed)) as u64),
  }
}

/// The host took an allocation of `bytes` (its capacity) to free itself later.
pub fn host_buffer_created(bytes: usize) {
  HOST_BUFFERS.fetch_add(bytes, Ordering::Relaxed);
}

/// The host freed an allocation of `bytes` it had taken.
pub fn host_buffer_released(bytes: usize) {
  HOST_BUFFERS.fetch_sub(bytes, Ordering::Relaxed);
}

/// The engine's used memory: what it allocated, or (without the counting allocator) the
/// process's resident memory.
pub fn used_memory() -> u64 {
  allocated().unwrap_or_else(crate::cmd::server::sysinfo::resident_memory)
}

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
