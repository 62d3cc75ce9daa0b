//! What a crash report shows of the server, as Redis's `printCrashReport` does: INFO with
//! every section, the client list, and the client whose command was running.
//!
//! The host writes the report when the process is about to die (a fatal signal, an uncaught
//! exception, DEBUG SEGFAULT, PANIC or ASSERT): the bug report's framing and the cause are its,
//! the server's state is this text. Making it changes nothing: INFO runs as a session of its
//! own that no client list shows, and no statistic counts it.

use crate::cmd::Ctx;
use crate::engine::Engine;
use crate::resp::Reply;
use std::fmt::Write;

impl Engine {
  /// The report's sections (each opening with Redis's `------ NAME ------` line), for a crash
  /// while the session in `slot` ran `argv` (`None` when no command was running).
  pub fn crash_report(&mut self, current: Option<(u32, &[&[u8]])>) -> String {
    let now_us = self.server.wall.now_us();
    let now_ms = now_us / 1000;
    let mut text = String::from("\n------ INFO OUTPUT ------\n");
    let mut scratch = crate::script::script_session();
    let mut out = Reply::new(false);
    let ctx =
      Ctx { server: &mut self.server, session: &mut scratch, slot: 0, out: &mut out, now_us, now_ms, block: None };
    text.push_str(&crate::cmd::server::info::everything(&ctx));
    text.push_str("\n------ CLIENT LIST OUTPUT ------\n");
    let server = &self.server;
    for session in crate::cmd::connection::client::listed_sessions(server, None) {
      text.push_str(&crate::cmd::connection::client::describe(session, &server.acl, now_ms));
      text.push('\n');
    }
    if let Some((slot, argv)) = current {
      if let Some(session) = server.clients.session(slot) {
        text.push_str("\n------ CURRENT CLIENT INFO ------\n");
        text.push_str(&crate::cmd::connection::client::describe(session, &server.acl, now_ms));
        let _ = write!(text, "\nargc: '{}'\n", argv.len());
        for (i, arg) in argv.iter().enumerate() {
          let mut quoted = vec![b'"'];
          crate::cstr::escape_repr(&mut quoted, arg);
          quoted.push(b'"');
          let _ = writeln!(text, "argv[{i}]: '{}'", String::from_utf8_lossy(&quoted));
        }
      }
    }
    text
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn the_report_shows_info_the_clients_and_the_running_command() {
    let mut engine = Engine::default();
    let peer = crate::session::Peer {
      addr: "127.0.0.1:5000".into(),
      laddr: "127.0.0.1:6379".into(),
      fd: 7,
      origin: crate::session::Origin::Network,
      unix: false,
    };
    let slot = engine.open(peer);
    let report = engine.crash_report(Some((slot, &[b"debug", b"segfault\n"])));
    assert!(report.starts_with("\n------ INFO OUTPUT ------\n# Server\r\n"), "{report}");
    assert!(report.contains("\r\n# Keyspace\r\n"), "{report}");
    let clients = report.split("------ CLIENT LIST OUTPUT ------\n").nth(1).unwrap();
    assert!(clients.starts_with("id=") && clients.contains(" addr=127.0.0.1:5000 "), "{report}");
    assert!(report.ends_with("argc: '2'\nargv[0]: '\"debug\"'\nargv[1]: '\"segfault\\n\"'\n"), "{report}");
    let without_command = engine.crash_report(None);
    assert!(!without_command.contains("CURRENT CLIENT"), "{without_command}");
  }
}
