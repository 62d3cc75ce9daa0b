//! Output for other sessions written straight to their sockets.
//!
//! A published message fans out to every subscriber. Handing each copy to Node to write costs
//! a JavaScript call per recipient on top of the kernel's own work; writing it from here costs
//! the kernel's work only. The engine offers each session's queued bytes (see its
//! `take_outbound_with`); this module sends what the socket accepts at once and leaves the
//! rest to the host, which writes it as before.
//!
//! Two rules keep the bytes of one connection in order and on the right connection:
//! - **Its own descriptor.** The connection's file descriptor is duplicated, and only the
//!   duplicate is used. Node may close its descriptor before the engine hears that the
//!   connection closed, and the number may then be reused by another socket; the duplicate
//!   keeps referring to this connection until the session closes and this module closes it.
//!   The duplicate is made at the connection's first read, not at `open`: Node is reading from
//!   the descriptor then, so it is certainly still this connection's, and a connection that
//!   never sends anything costs the process one descriptor, not two (ten thousand idle
//!   connections fit a limit of twenty thousand). Until then the connection gets its output
//!   through Node. The busy-script host cannot wait for a read (a client's first command may
//!   arrive while a script runs): it duplicates Node's descriptor after checking that it
//!   still has the two addresses it had at `open` (`getpeername`, `getsockname`), which a
//!   reused number would not.
//! - **Nothing of Node's ahead.** When a write of Node's leaves bytes in Node's queue, the
//!   host marks the session unflushed (`setUnflushed`) until Node has handed them all to the
//!   kernel; meanwhile nothing is written from here. A session whose socket is congested has
//!   its output held by the engine and is not offered at all.
//!
//! Only plain connections (TCP, Unix sockets) are registered: anything that transforms the
//! bytes (TLS) must go through Node.
//!
//! Unix only: elsewhere (Windows) Node's sockets are not descriptors, and `direct_fallback.rs`
//! stands in for this module.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The flags of every `send` to a connection (here and in the busy-script host): never wait,
/// since the thread is Node's event loop.
///
/// A send to a connection whose peer has gone raises SIGPIPE unless told not to. Linux's
/// `MSG_NOSIGNAL` makes it fail with `EPIPE` only. macOS's `send` does not document that flag
/// (it offers the `SO_NOSIGPIPE` socket option instead), so there the send relies on the
/// signal being ignored, as it is in every Node process: Node ignores SIGPIPE at start-up,
/// and libuv's own writes to these same sockets pass no such flag either. A send from here
/// can therefore raise nothing that Node's own writes could not.
#[cfg(target_os = "linux")]
pub(crate) const SEND_FLAGS: libc::c_int = libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
#[cfg(not(target_os = "linux"))]
pub(crate) const SEND_FLAGS: libc::c_int = libc::MSG_DONTWAIT;

/// The duplicated descriptors of the network sessions, by slot.
#[derive(Default)]
pub(crate) struct DirectSockets {
  by_slot: HashMap<u32, Direct>,
  /// Node's descriptors of the connections that have not been read from yet.
  unread: HashMap<u32, Unread>,
}

struct Unread {
  fd: i32,
  /// The socket's addresses when the connection opened (see `addresses`).
  addresses: Option<Vec<u8>>,
}

struct Direct {
  fd: i32,
  /// Node holds bytes for this socket that it has not written yet.
  unflushed: bool,
}

impl DirectSockets {
  /// Registers the connection of `slot` whose socket is `fd`; it is duplicated at the
  /// connection's first read (see `claim`).
  pub(crate) fn register(&mut self, slot: u32, fd: i64) {
    self.forget(slot);
    if let Ok(fd) = i32::try_from(fd) {
      if fd > 0 {
        self.unread.insert(slot, Unread { fd, addresses: addresses(fd) });
      }
    }
  }

  /// The connection of `slot` is being read from: its descriptor is its own, so duplicate it
  /// now if that was not done yet.
  #[inline]
  pub(crate) fn claim(&mut self, slot: u32) {
    if self.unread.is_empty() {
      return;
    }
    if let Some(unread) = self.unread.remove(&slot) {
      self.duplicate(slot, unread.fd);
    }
  }

  /// Duplicates the descriptor of `slot` outside a read of it (see the module comment), if
  /// that was not done yet and the descriptor still has the connection's addresses.
  pub(crate) fn claim_checked(&mut self, slot: u32) {
    let Some(unread) = self.unread.get(&slot) else { return };
    if unread.addresses.is_some() && addresses(unread.fd) == unread.addresses {
      let fd = unread.fd;
      self.unread.remove(&slot);
      self.duplicate(slot, fd);
    }
  }

  fn duplicate(&mut self, slot: u32, fd: i32) {
    // SAFETY: `fd` is an open descriptor of this connection (the callers make sure of it);
    // duplicating it has no other effect.
    let dup = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if dup >= 0 {
      self.by_slot.insert(slot, Direct { fd: dup, unflushed: false });
    }
  }

  /// Shuts the socket of `slot` down in both directions: its peer sees the connection end now,
  /// while Node's descriptor stays open until Node closes it (the kill the host takes after
  /// the call), so no descriptor number is freed under Node.
  fn shut_down(&mut self, slot: u32) {
    self.claim_checked(slot);
    if let Some(direct) = self.by_slot.get(&slot) {
      // SAFETY: the descriptor is this module's own duplicate of the connection's socket.
      unsafe { libc::shutdown(direct.fd, libc::SHUT_RDWR) };
    }
  }

  /// The session of `slot` closed.
  pub(crate) fn forget(&mut self, slot: u32) {
    self.unread.remove(&slot);
    if let Some(direct) = self.by_slot.remove(&slot) {
      // SAFETY: the descriptor is this module's own duplicate, closed once.
      unsafe { libc::close(direct.fd) };
    }
  }

  /// The duplicated descriptor of `slot`'s socket, unless Node still holds bytes for it (the
  /// busy-script host serves only such sockets).
  pub(crate) fn flushed_fd(&self, slot: u32) -> Option<i32> {
    self.by_slot.get(&slot).filter(|direct| !direct.unflushed).map(|direct| direct.fd)
  }

  pub(crate) fn set_unflushed(&mut self, slot: u32, unflushed: bool) {
    if let Some(direct) = self.by_slot.get_mut(&slot) {
      direct.unflushed = unflushed;
    }
  }

  /// Sends as much of `bytes` to the socket of `slot` as it takes without waiting; returns
  /// the count sent (0 when the session is not written from here).
  pub(crate) fn write(&mut self, slot: u32, bytes: &[u8]) -> usize {
    let Some(direct) = self.by_slot.get(&slot) else { return 0 };
    if direct.unflushed {
      return 0;
    }
    // SAFETY: the descriptor is open (ours), and the pointer and length describe `bytes`.
    let sent = unsafe { libc::send(direct.fd, bytes.as_ptr().cast(), bytes.len(), SEND_FLAGS) };
    sent.max(0) as usize
  }
}

/// The peer and local addresses of socket `fd`, as bytes to compare; `None` when `fd` is not a
/// connected network socket.
fn addresses(fd: i32) -> Option<Vec<u8>> {
  let mut bytes = Vec::with_capacity(2 * std::mem::size_of::<libc::sockaddr_storage>());
  for get in [libc::getpeername, libc::getsockname] {
    // SAFETY: an all-zero sockaddr_storage is a valid value of this plain C struct.
    let mut address: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `address` has room for `len` bytes, and the call writes at most that many.
    if unsafe { get(fd, (&mut address as *mut libc::sockaddr_storage).cast(), &mut len) } != 0 {
      return None;
    }
    // Every connection of one Unix socket has the same addresses: they cannot tell one from
    // another that got its descriptor's number, so such a connection is only duplicated at a
    // read.
    if i32::from(address.ss_family) == libc::AF_UNIX {
      return None;
    }
    // SAFETY: the call wrote `len` bytes of `address` (at most its size).
    let written =
      unsafe { std::slice::from_raw_parts((&address as *const libc::sockaddr_storage).cast::<u8>(), len as usize) };
    bytes.extend_from_slice(written);
  }
  Some(bytes)
}

impl Drop for DirectSockets {
  fn drop(&mut self) {
    for (_, direct) in self.by_slot.drain() {
      // SAFETY: each descriptor is this module's own duplicate, closed once.
      unsafe { libc::close(direct.fd) };
    }
  }
}

/// Ends a connection as CLIENT KILL runs (see the engine's `HangUp`), for the plain
/// connections this module knows; TLS connections end when the host takes the kill.
pub(crate) struct SocketHangUp(pub(crate) Rc<RefCell<DirectSockets>>);

impl redwing_engine::HangUp for SocketHangUp {
  fn hang_up(&mut self, slot: u32) {
    // The sockets are borrowed elsewhere only while the busy-script host serves a client,
    // and CLIENT KILL is not among the commands it serves; the host's kill still ends the
    // connection if they ever are.
    if let Ok(mut sockets) = self.0.try_borrow_mut() {
      sockets.shut_down(slot);
    }
  }
}
