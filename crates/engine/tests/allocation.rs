//! A request header is a promise, not a payment: announcing a 500 MB argument or two billion
//! arguments must not make the engine allocate for them before the bytes arrive. This test
//! binary counts every live heap byte (its own global allocator), so it holds this one test
//! only: others running beside it would move the count.

use redwing_engine::{Engine, Origin, Peer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, keeping count of the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
  unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
    LIVE.fetch_add(layout.size(), Ordering::Relaxed);
    // SAFETY: the caller's contract for `alloc` is passed on as is.
    unsafe { System.alloc(layout) }
  }

  unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
    LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    // SAFETY: `ptr` came from `alloc` or `realloc` above, with this layout.
    unsafe { System.dealloc(ptr, layout) }
  }

  unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
    LIVE.fetch_add(new_size, Ordering::Relaxed);
    LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    // SAFETY: as for `alloc` and `dealloc`.
    unsafe { System.realloc(ptr, layout, new_size) }
  }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: usize = 1024 * 1024;

#[test]
fn announced_sizes_are_not_allocated_before_their_bytes_arrive() {
  let mut engine = Engine::default();
  let peer = Peer {
    addr: "127.0.0.1:50000".into(),
    laddr: "127.0.0.1:6379".into(),
    fd: 8,
    origin: Origin::Network,
    unix: false,
  };
  let slot = engine.open(peer.clone());
  let before = LIVE.load(Ordering::Relaxed);
  // A SET whose value is announced as 500 MB, then 1 MB of it in 64 KB reads.
  let out = engine.feed(slot, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$524288000\r\n");
  assert!(out.reply.is_empty() && !out.close);
  let read = vec![b'x'; 64 * 1024];
  for _ in 0..16 {
    assert!(engine.feed(slot, &read).reply.is_empty());
  }
  let grown = LIVE.load(Ordering::Relaxed) - before;
  assert!(grown < 4 * MB, "{grown} bytes live for 1 MB received");

  // An array announced with INT_MAX elements, then a few of them.
  let other = engine.open(peer);
  let before = LIVE.load(Ordering::Relaxed);
  let out = engine.feed(other, b"*2147483647\r\n$1\r\na\r\n$1\r\nb\r\n");
  assert!(out.reply.is_empty() && !out.close);
  let grown = LIVE.load(Ordering::Relaxed) - before;
  assert!(grown < MB, "{grown} bytes live for two arguments");
}
