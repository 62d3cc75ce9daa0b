//! Serving clients while a script is busy.
//!
//! A script runs inside one native call, so Node's event loop is blocked until it ends. Past
//! `busy-reply-threshold` the engine calls this host from the script's hook (see the engine's
//! `script::busy`), and the host does what Node cannot do then: it polls the sockets of the
//! network sessions (`poll` with a zero timeout), reads what is there without blocking, hands
//! it to the engine, and writes the replies back with `write`. Node never learns of these
//! bytes: they were taken from the kernel before it read them, and the replies went out
//! before it wrote anything more.
//!
//! Hazards:
//! - fd reuse: Node may close a socket's descriptor before the engine hears of the close, and
//!   a new connection may get the same number. Sockets are read and written through the
//!   binding's own duplicate of each connection's descriptor (see `direct.rs`), which always
//!   refers to that connection; of the sessions with the same original fd, only the newest
//!   (the highest client id) is served. Descriptors `poll` reports closed (`POLLNVAL`) or hung
//!   up (`POLLHUP`, `POLLERR`) are skipped. A connection that has sent nothing yet has no
//!   duplicate (`direct.rs` makes it at the first read): one is made here, once its descriptor
//!   proves to be still the connection's (`DirectSockets::claim_checked`).
//! - order: a session is served only when nothing of its own waits ahead of what it sends
//!   next (the engine's `BusyClient::idle`: no partial command buffered, not blocked or
//!   paused, no command running on the TypeScript side, no output held or queued; sessions the
//!   TypeScript side marked congested are not idle), and Node holds no bytes it has not written
//!   to the socket yet (`setUnflushed`). A reply the socket does not take whole is
//!   queued in the engine for Node to send afterwards, which makes the session not idle, so no
//!   later reply overtakes it.
//! - the session running the script is not in the engine's session table meanwhile, so it is
//!   never served (its connection stays open until the script ends).
//!
//! Only plain TCP sessions are served: a TLS session's bytes are Node's to decrypt and encrypt
//! (it has no descriptor here, see `direct.rs`), so its client waits for the script to end.
//!
//! End of file on a socket is left to Node, which sees it once the script ends. SHUTDOWN
//! NOSAVE ends the process here, after writing the queued log lines to standard output.
//!
//! Unix only, like `direct.rs`: elsewhere no busy host is installed (see
//! `direct_fallback.rs` for what clients see then).

use crate::direct::{DirectSockets, SEND_FLAGS};
use redwing_engine::{BusyClient, BusyClients, BusyHost};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Bytes read from one socket per hook call, at most.
const READ_SIZE: usize = 16 * 1024;

/// The [`BusyHost`] of a server's engine: serves the sockets of its network sessions.
pub(crate) struct SocketHost {
  buffer: Vec<u8>,
  /// The connections' own descriptors, shared with the binding's direct writes.
  sockets: Rc<RefCell<DirectSockets>>,
}

impl SocketHost {
  pub(crate) fn new(sockets: Rc<RefCell<DirectSockets>>) -> Self {
    SocketHost { buffer: vec![0; READ_SIZE], sockets }
  }
}

impl BusyHost for SocketHost {
  fn serve(&mut self, clients: &mut BusyClients<'_>) {
    let servable: Vec<(BusyClient, i32)> = {
      let mut sockets = self.sockets.borrow_mut();
      let owners = owners(clients.clients());
      owners
        .into_iter()
        .filter_map(|client| {
          sockets.claim_checked(client.slot);
          sockets.flushed_fd(client.slot).map(|fd| (client, fd))
        })
        .collect()
    };
    if servable.is_empty() {
      return;
    }
    let mut polled: Vec<libc::pollfd> =
      servable.iter().map(|&(_, fd)| libc::pollfd { fd, events: libc::POLLIN, revents: 0 }).collect();
    // SAFETY: `polled` is a live array of `polled.len()` pollfd structures; a zero timeout
    // makes the call return at once.
    let ready = unsafe { libc::poll(polled.as_mut_ptr(), polled.len() as libc::nfds_t, 0) };
    if ready <= 0 {
      return;
    }
    for ((client, _), polled) in servable.iter().zip(&polled) {
      let closed = libc::POLLNVAL | libc::POLLHUP | libc::POLLERR;
      if polled.revents & closed != 0 || polled.revents & libc::POLLIN == 0 {
        continue;
      }
      // SAFETY: the buffer is live and `READ_SIZE` bytes long; MSG_DONTWAIT keeps the read
      // from blocking whatever the descriptor's mode.
      let read = unsafe { libc::recv(polled.fd, self.buffer.as_mut_ptr().cast(), READ_SIZE, libc::MSG_DONTWAIT) };
      // End of file, or an error: Node sees it when the script ends.
      if read <= 0 {
        continue;
      }
      let served = clients.serve(client.slot, &self.buffer[..read as usize]);
      let written = write_all(polled.fd, &served.reply);
      if written < served.reply.len() {
        clients.queue(client.slot, &served.reply[written..]);
      }
      if served.shutdown {
        shut_down(clients);
      }
    }
  }
}

/// The sessions to poll: of the sessions sharing a descriptor, the newest, if it is idle.
fn owners(listed: Vec<BusyClient>) -> Vec<BusyClient> {
  let mut by_fd: HashMap<i64, BusyClient> = HashMap::new();
  for client in listed {
    if i32::try_from(client.fd).is_err() {
      continue;
    }
    match by_fd.get(&client.fd) {
      Some(owner) if owner.id > client.id => {}
      _ => {
        by_fd.insert(client.fd, client);
      }
    }
  }
  by_fd.into_values().filter(|client| client.idle).collect()
}

/// Writes as much of `bytes` as the socket takes without blocking; returns how much.
fn write_all(fd: i32, bytes: &[u8]) -> usize {
  let mut written = 0;
  while written < bytes.len() {
    let rest = &bytes[written..];
    // SAFETY: `rest` is a live slice; the flags keep the call from blocking and a closed peer
    // from ending the process (see `SEND_FLAGS`).
    let sent = unsafe { libc::send(fd, rest.as_ptr().cast(), rest.len(), SEND_FLAGS) };
    if sent > 0 {
      written += sent as usize;
    } else if sent < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
      continue;
    } else {
      break;
    }
  }
  written
}

/// SHUTDOWN NOSAVE while a script is busy: closes the listening sockets, writes the queued log
/// lines, then exits, as Redis does without saving. The listeners close first so that a client
/// that sees its connection end can no longer connect: the process's descriptors otherwise
/// close in no useful order as it exits.
fn shut_down(clients: &mut BusyClients<'_>) -> ! {
  use std::io::Write;
  close_listeners();
  let pid = std::process::id();
  let mut out = std::io::stdout().lock();
  let last = format!("{}redwing is now ready to exit, bye bye...", redwing_engine::cmd::server::WARNING_MARK);
  for line in clients.take_log_lines().iter().chain([&last]) {
    let (level, text) = redwing_engine::cmd::server::Telemetry::level_and_text(line);
    let _ = writeln!(out, "{pid}:M {} {level} {text}", timestamp());
  }
  let _ = out.flush();
  std::process::exit(0)
}

/// Closes every listening socket of the process (`/dev/fd` lists its descriptors).
fn close_listeners() {
  let Ok(entries) = std::fs::read_dir("/dev/fd") else { return };
  let fds: Vec<i32> = entries.flatten().filter_map(|entry| entry.file_name().to_str()?.parse().ok()).collect();
  for fd in fds {
    let mut listening: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `listening` has room for the option's value; a descriptor that is not a socket
    // (or is already closed) makes the call fail without effect.
    let asked = unsafe {
      libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN, (&mut listening as *mut libc::c_int).cast(), &mut len)
    };
    if asked == 0 && listening != 0 {
      // SAFETY: the process exits next; nothing uses the listener again.
      unsafe { libc::close(fd) };
    }
  }
}

/// The local time as the server log shows it: `21 Nov 2026 07:30:52.123`.
fn timestamp() -> String {
  let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
  let seconds = now.as_secs() as libc::time_t;
  // SAFETY: an all-zero `tm` is a valid value, which `localtime_r` overwrites.
  let mut tm: libc::tm = unsafe { std::mem::zeroed() };
  // SAFETY: both pointers are to live values of the right types.
  unsafe { libc::localtime_r(&seconds, &mut tm) };
  const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  format!(
    "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
    tm.tm_mday,
    MONTHS[tm.tm_mon.clamp(0, 11) as usize],
    tm.tm_year + 1900,
    tm.tm_hour,
    tm.tm_min,
    tm.tm_sec,
    now.subsec_millis()
  )
}
