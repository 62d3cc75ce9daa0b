//! The memory allocator of a Lua state: size-class pools for small blocks.
//!
//! A script allocates and frees small objects at a high rate: the strings and tables of every
//! converted reply, KEYS and ARGV, closures, upvalues. Through the C library's `malloc` these
//! cost a third of a busy script workload (BullMQ's scripts). Lua always tells its allocator
//! the size of the block it frees or resizes, so small blocks need no header: [`Pool`] keeps,
//! for each size class (multiples of 16 bytes up to 512), a free list threaded through the
//! free blocks themselves, and carves new blocks from 64 KB chunks. Larger blocks go to
//! `malloc`. Freed small blocks stay in their pool for the state's next allocations; the
//! chunks are released only with the pool, after the state is closed (SCRIPT FLUSH and
//! FUNCTION FLUSH replace the state, and with it the pool).

use crate::ffi::{lua_State, lua_atpanic, lua_newstate};
use std::ffi::{c_int, c_void};

const GRANULE: usize = 16;
const LARGEST_POOLED: usize = 512;
const CLASSES: usize = LARGEST_POOLED / GRANULE;
const CHUNK: usize = 64 * 1024;

/// Small-block pools for one Lua state (see the module comment).
pub struct Pool {
  /// Per class, the first free block (whose first word points at the next one).
  free: [*mut u8; CLASSES],
  /// The chunk blocks are carved from, and how much of it is used.
  current: *mut u8,
  used: usize,
  chunks: Vec<Box<[u128]>>,
}

impl Default for Pool {
  fn default() -> Self {
    Pool { free: [std::ptr::null_mut(); CLASSES], current: std::ptr::null_mut(), used: CHUNK, chunks: Vec::new() }
  }
}

/// The size class of a small block of `size` bytes (1..=512).
#[inline]
fn class(size: usize) -> usize {
  (size - 1) / GRANULE
}

impl Pool {
  #[inline]
  fn take(&mut self, class: usize) -> *mut u8 {
    let head = self.free[class];
    if !head.is_null() {
      // SAFETY: a free block's first word holds the next free block of its class.
      self.free[class] = unsafe { *(head as *mut *mut u8) };
      return head;
    }
    let size = (class + 1) * GRANULE;
    if self.used + size > CHUNK {
      // 16-byte aligned storage, as `malloc` gives.
      let mut chunk = vec![0u128; CHUNK / 16].into_boxed_slice();
      self.current = chunk.as_mut_ptr() as *mut u8;
      self.chunks.push(chunk);
      self.used = 0;
    }
    // SAFETY: `used + size` fits in the current chunk.
    let block = unsafe { self.current.add(self.used) };
    self.used += size;
    block
  }

  #[inline]
  fn give_back(&mut self, block: *mut u8, class: usize) {
    // SAFETY: the block is at least 16 bytes and no longer used by Lua.
    unsafe { *(block as *mut *mut u8) = self.free[class] };
    self.free[class] = block;
  }
}

/// Lua's allocation function over a [`Pool`] (`ud`): `nsize` 0 frees, otherwise allocates or
/// resizes a block of `osize` bytes (`ptr` null: a new block).
unsafe extern "C" fn allocate(ud: *mut c_void, ptr: *mut c_void, osize: usize, nsize: usize) -> *mut c_void {
  // SAFETY (whole body): `ud` is the state's pool, used by this state only; `ptr` is a block
  // this function returned for `osize` bytes (Lua guarantees it).
  unsafe {
    let pool = &mut *(ud as *mut Pool);
    let ptr = ptr as *mut u8;
    let old_pooled = !ptr.is_null() && osize <= LARGEST_POOLED;
    if nsize == 0 {
      if ptr.is_null() {
        return std::ptr::null_mut();
      }
      if old_pooled {
        pool.give_back(ptr, class(osize.max(1)));
      } else {
        libc::free(ptr as *mut c_void);
      }
      return std::ptr::null_mut();
    }
    if ptr.is_null() {
      return if nsize <= LARGEST_POOLED { pool.take(class(nsize)) as *mut c_void } else { libc::malloc(nsize) };
    }
    match (old_pooled, nsize <= LARGEST_POOLED) {
      (true, true) if class(osize.max(1)) == class(nsize) => ptr as *mut c_void,
      (false, false) => libc::realloc(ptr as *mut c_void, nsize),
      (old_in_pool, _) => {
        let block = if nsize <= LARGEST_POOLED { pool.take(class(nsize)) as *mut c_void } else { libc::malloc(nsize) };
        if block.is_null() {
          return block;
        }
        std::ptr::copy_nonoverlapping(ptr, block as *mut u8, osize.min(nsize));
        if old_in_pool {
          pool.give_back(ptr, class(osize.max(1)));
        } else {
          libc::free(ptr as *mut c_void);
        }
        block
      }
    }
  }
}

unsafe extern "C" fn panic(_L: *mut lua_State) -> c_int {
  0
}

/// A new Lua state allocating from `pool`, which must outlive it (close the state first).
pub fn new_state(pool: &mut Pool) -> *mut lua_State {
  // SAFETY: the allocation function matches Lua's contract; `pool` outlives the state.
  unsafe {
    let L = lua_newstate(allocate, pool as *mut Pool as *mut c_void);
    if !L.is_null() {
      lua_atpanic(L, panic);
    }
    L
  }
}
