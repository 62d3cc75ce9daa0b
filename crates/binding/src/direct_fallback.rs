//! `direct.rs` where connections have no file descriptor the binding could use: on Windows,
//! Node's sockets are libuv handles over Winsock sockets, whose `fd` Node reports as -1.
//!
//! Nothing is registered, so nothing is written from here: every byte for another session
//! goes back to the host in the route table and Node writes it, as it does on Unix for TLS
//! connections and for connections not read from yet. Output order cannot suffer, since
//! Node is the only writer.
//!
//! Without descriptors there is no busy-script host either (`busy_host.rs` is Unix only, and
//! the engine serves nobody without one). While a script runs past `busy-reply-threshold`,
//! Redis (and redwing on Unix) answers other clients' commands with `-BUSY`, and runs SCRIPT
//! KILL, FUNCTION KILL and SHUTDOWN NOSAVE. Here every command sent meanwhile waits, unread,
//! in its socket until the script ends, and then runs as usual: a busy script cannot be killed
//! or the server shut down before it ends (a SCRIPT KILL then answers `-NOTBUSY`), and the
//! other clients get late replies instead of `-BUSY` errors. The busy warning is still logged.

/// Stands in for the Unix `DirectSockets`, with the methods the binding calls outside the
/// busy-script host; none has any effect.
#[derive(Default)]
pub(crate) struct DirectSockets {}

impl DirectSockets {
  pub(crate) fn register(&mut self, _slot: u32, _fd: i64) {}

  #[inline]
  pub(crate) fn claim(&mut self, _slot: u32) {}

  pub(crate) fn forget(&mut self, _slot: u32) {}

  pub(crate) fn set_unflushed(&mut self, _slot: u32, _unflushed: bool) {}

  /// Sends nothing: the host writes all of `bytes`.
  #[inline]
  pub(crate) fn write(&mut self, _slot: u32, _bytes: &[u8]) -> usize {
    0
  }
}
