//! Replication, replica side: the link to this server's master (REPLICAOF, `replicaof`).
//!
//! The host owns sockets, so the engine asks it for a connection (`take_link_request`, read
//! after each tick), and the host opens one and hands the new session over
//! ([`Engine::master_connected`]). From there everything the master sends arrives through
//! `feed` like any client's input, and the master session's input runs here instead of
//! through the command loop ([`Engine::run_master`]), in three stages:
//!
//! 1. The handshake, one command and its reply at a time, as Redis's `syncWithMaster`: PING,
//!    AUTH (with `masterauth`/`masteruser`), REPLCONF listening-port (and ip-address),
//!    REPLCONF capa eof capa psync2, then PSYNC with the replication id and offset of the data
//!    held (Redis's cached master), or `? -1` when there is none.
//! 2. After `+FULLRESYNC <replid> <offset>`, the RDB file (`$<length>` or `$EOF:<mark>`
//!    framing), gathered and then loaded as `repl-diskless-load` says; after `+CONTINUE`,
//!    nothing: the stream resumes where it stopped.
//! 3. The stream: each command runs as the master's (no replies, except REPLCONF GETACK's ACK;
//!    no refusals; expired keys still present), then its bytes advance the replication
//!    offset and go on verbatim to this server's own replicas and backlog, so they can resync
//!    from either server.
//!
//! The cron acknowledges the offset every second, drops a silent link after `repl-timeout`,
//! and a lost link is asked for again at once, to continue with PSYNC. REPLICAOF NO ONE keeps
//! the history: the master's replication id becomes the second one (`master_replid2`), so the
//! other replicas continue from this server (Redis's `shiftReplicationId`).

use crate::config::DisklessLoad;
use crate::engine::{Engine, FeedOutput};
use crate::resp::{ParseLimits, Parsed, Reply};
use crate::server::{now_ms, Server};
use crate::session::Session;

/// Where the link to the master is (ROLE names each state).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinkState {
  /// A connection is wanted; the host is asked for one at the next tick.
  Connect,
  /// The host is opening the connection.
  Connecting,
  /// Waiting for the reply to a handshake command.
  Handshake(Step),
  /// The RDB file of a full resynchronisation is arriving.
  Transfer,
  /// The stream flows.
  Connected,
}

/// The handshake command whose reply is awaited.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
  Ping,
  Auth,
  ListeningPort,
  IpAddress,
  Capa,
  Psync,
}

/// The RDB file of a full resynchronisation, as it arrives.
struct Transfer {
  replid: String,
  offset: i64,
  /// `$<length>`: the bytes announced; `None` until the header line arrived.
  size: Option<usize>,
  /// `$EOF:<mark>`: the file ends where this mark appears.
  mark: Option<Vec<u8>>,
  data: Vec<u8>,
}

/// The link to this server's master.
pub struct MasterLink {
  pub host: String,
  pub port: u16,
  pub state: LinkState,
  /// The master's session, once the host connected.
  pub slot: Option<u32>,
  /// The data held continues the replication history named by the server's replication id
  /// and offset (Redis's cached master): PSYNC may ask to continue it.
  pub has_history: bool,
  /// Unix ms when the link went down (0: it was never up).
  pub down_since_ms: i64,
  /// Unix ms of the last bytes from the master.
  pub last_io_ms: i64,
  /// The next connection attempt, in Unix ms.
  next_attempt_ms: i64,
  /// Unix ms of the last REPLCONF ACK sent.
  last_ack_ms: i64,
  transfer: Option<Transfer>,
  /// The reply of the master's current command goes to the master (REPLCONF GETACK's ACK).
  pub(crate) keep_reply: bool,
  /// The database the master's stream had selected when the link went down: a partial
  /// resynchronisation continues in it (the stream selects only when it changes).
  pub stream_db: usize,
}

impl MasterLink {
  pub fn new(host: String, port: u16) -> MasterLink {
    MasterLink {
      host,
      port,
      state: LinkState::Connect,
      slot: None,
      has_history: false,
      down_since_ms: 0,
      last_io_ms: 0,
      next_attempt_ms: 0,
      last_ack_ms: 0,
      transfer: None,
      keep_reply: false,
      stream_db: 0,
    }
  }

  /// ROLE's name for the state.
  pub fn state_name(&self) -> &'static str {
    match self.state {
      LinkState::Connect => "connect",
      LinkState::Connecting => "connecting",
      LinkState::Handshake(_) => "handshake",
      LinkState::Transfer => "sync",
      LinkState::Connected => "connected",
    }
  }

  /// INFO's `master_sync_total_bytes` and `master_sync_read_bytes` while the file arrives (the
  /// total is -1 for an EOF-marked transfer, whose length is unknown).
  pub fn transfer_progress(&self) -> Option<(i64, i64)> {
    let transfer = self.transfer.as_ref().filter(|_| self.state == LinkState::Transfer)?;
    let total = transfer.size.map_or(-1, |size| size as i64);
    Some((total, transfer.data.len() as i64))
  }
}

/// A command as RESP, for the master.
fn command(args: &[&[u8]]) -> Vec<u8> {
  let mut out = Vec::new();
  crate::aof::encode_command(&mut out, args);
  out
}

/// REPLCONF ACK `offset`: what a replica tells its master it has processed.
fn acknowledgement(offset: i64) -> Vec<u8> {
  command(&[b"REPLCONF", b"ACK", offset.to_string().as_bytes()])
}

/// One line of `input` (without its `\r\n` or `\n`) and the bytes it took, when complete.
fn read_line(input: &[u8]) -> Option<(&[u8], usize)> {
  let end = input.iter().position(|&b| b == b'\n')?;
  let line = &input[..end];
  Some((line.strip_suffix(b"\r").unwrap_or(line), end + 1))
}

impl Server {
  /// Whether this server replicates from a master (REPLICAOF host port).
  #[inline]
  pub fn is_replica(&self) -> bool {
    self.repl.link.is_some()
  }

  /// Whether writes from clients are refused: a replica with `replica-read-only yes`.
  #[inline]
  pub(crate) fn read_only_replica(&self) -> bool {
    self.is_replica() && self.config.replica_read_only
  }

  /// Whether commands without the `stale` flag are refused: a replica whose link is not up,
  /// with `replica-serve-stale-data no`.
  pub(crate) fn refuses_stale_reads(&self) -> bool {
    !self.config.replica_serve_stale_data
      && self.repl.link.as_ref().is_some_and(|link| link.state != LinkState::Connected)
  }

  /// REPLICAOF host port: replicate from there. A master keeps its data and history, to
  /// continue from them if the new master shares them; blocked clients are released, since a
  /// replica does not serve them; its own replicas stay, for the stream that follows.
  pub(crate) fn set_master(&mut self, host: String, port: u16) {
    let was_master = !self.is_replica();
    self.drop_master_session();
    let blocked = self.blocking.blocked.clone();
    for slot in blocked {
      if let Some(wait) = self.clients.session_mut(slot).and_then(|session| session.wait.as_mut()) {
        wait.end = crate::blocking::WaitEnd::RoleChanged;
        self.blocking.unblocked.push(slot);
      }
    }
    let has_history = match &self.repl.link {
      Some(link) => link.has_history,
      None => was_master && self.repl.active(),
    };
    let mut link = MasterLink::new(host, port);
    link.has_history = has_history;
    self.repl.link = Some(link);
    // The replica's OOM score; one that cannot be set was logged.
    let _ = self.apply_oom_score_adj();
  }

  /// REPLICAOF NO ONE: this server is a master again. Its replication id becomes the second
  /// one, valid up to the current offset, under a new id; its replicas reconnect to learn it.
  pub(crate) fn unset_master(&mut self) {
    if !self.is_replica() {
      return;
    }
    self.drop_master_session();
    self.repl.link = None;
    self.shift_replication_id();
    self.disconnect_replicas();
    self.repl.force_select();
    let _ = self.apply_oom_score_adj();
  }

  /// Redis's `shiftReplicationId`: the current id becomes the second, valid up to the current
  /// offset, and a new one is made.
  fn shift_replication_id(&mut self) {
    self.repl.replid2 = std::mem::take(&mut self.telemetry.replid);
    self.repl.second_offset = self.repl.offset + 1;
    self.telemetry.replid = crate::cmd::server::random_hex(&mut self.rng, 40);
    self.telemetry.log_lines.push(format!(
      "Setting secondary replication ID to {}, valid up to offset: {}. New replication ID is {}",
      self.repl.replid2, self.repl.second_offset, self.telemetry.replid
    ));
  }

  /// Disconnects this server's replicas (they must learn a new history). What the old history
  /// left pending goes out first; nothing after it reaches them, though their connections close
  /// only once the host gets to them (as Redis's `disconnectSlaves` frees them at once): a
  /// replica given bytes of the new history under the old id could not continue either.
  fn disconnect_replicas(&mut self) {
    self.flush_replicas();
    let slots: Vec<u32> = self.repl.replicas.drain(..).map(|replica| replica.slot).collect();
    self.clients.kills.extend(slots);
  }

  /// Closes the master's session, if there is one (the host is asked to disconnect it).
  fn drop_master_session(&mut self) {
    let Some(link) = self.repl.link.as_mut() else { return };
    if let Some(slot) = link.slot.take() {
      if let Some(session) = self.clients.session_mut(slot) {
        session.master = false;
      }
      self.clients.kills.push(slot);
    }
    link.transfer = None;
  }

  /// A replica's RDB file at start-up said where in its master's history its data is: the
  /// link continues from there with PSYNC (Redis's `replicationCacheMasterUsingMyself`).
  pub(crate) fn resume_history(&mut self, replid: &str, offset: i64, stream_db: usize) {
    let Some(link) = self.repl.link.as_mut() else { return };
    link.has_history = true;
    link.stream_db = stream_db;
    self.telemetry.replid = replid.to_string();
    self.repl.offset = offset;
    self.telemetry.log_lines.push(format!(
      "Using the replication ID {replid} and offset {offset} of the loaded file for a partial resynchronization"
    ));
  }

  /// The host should open a connection to `(host, port)` for the link, when one is wanted.
  pub fn take_link_request(&mut self) -> Option<(String, u16)> {
    let now = now_ms();
    let link = self.repl.link.as_mut()?;
    if link.state != LinkState::Connect || now < link.next_attempt_ms {
      return None;
    }
    link.state = LinkState::Connecting;
    self.telemetry.log_lines.push(format!("Connecting to MASTER {}:{}", link.host, link.port));
    self.telemetry.log_lines.push("MASTER <-> REPLICA sync started".into());
    Some((link.host.clone(), link.port))
  }

  /// The host could not connect: another attempt follows in a second.
  pub fn master_connect_failed(&mut self, reason: &str) {
    let Some(link) = self.repl.link.as_mut().filter(|link| link.state == LinkState::Connecting) else { return };
    link.state = LinkState::Connect;
    link.next_attempt_ms = now_ms() + 1000;
    self.telemetry.warn(format!("Error condition on socket for SYNC: {reason}"));
  }

  /// The session in `slot` (whose stream had selected `db`) closed: when it was the master's,
  /// the link is wanted again, to continue with PSYNC from where the stream stopped.
  pub(crate) fn master_session_closed(&mut self, slot: u32, db: usize) {
    let Some(link) = self.repl.link.as_mut().filter(|link| link.slot == Some(slot)) else { return };
    let now = now_ms();
    let was_up = link.state == LinkState::Connected;
    if was_up {
      link.down_since_ms = now;
    }
    (link.slot, link.stream_db, link.transfer) = (None, db, None);
    (link.state, link.next_attempt_ms) = (LinkState::Connect, now);
    if was_up {
      self.telemetry.log_lines.push("Connection with master lost.".into());
      self.telemetry.log_lines.push("Caching the disconnected master state.".into());
    }
  }

  /// The replica side's periodic part, once a second: the acknowledgement of the offset, and
  /// a link silent for longer than `repl-timeout` is dropped.
  pub(crate) fn master_link_cron(&mut self, now: i64) {
    let timeout_ms = self.config.repl_timeout * 1000;
    let offset = self.repl.offset;
    let Some(link) = self.repl.link.as_mut() else { return };
    let Some(slot) = link.slot else { return };
    if now - link.last_io_ms > timeout_ms {
      let line = match link.state {
        LinkState::Transfer => {
          "Timeout receiving bulk data from MASTER... If the problem persists try to set the \
                               'repl-timeout' parameter in redis.conf to a larger value."
        }
        LinkState::Connected => "MASTER timeout: no data nor PING received...",
        _ => "Timeout connecting to the MASTER...",
      };
      self.telemetry.warn(line.to_string());
      self.clients.kills.push(slot);
      return;
    }
    if link.state == LinkState::Connected && now - link.last_ack_ms >= 1000 {
      link.last_ack_ms = now;
      self.send(slot, |out| out.raw(&acknowledgement(offset)));
    }
  }

  /// REPLCONF GETACK from the master: the acknowledgement, as the reply that goes back.
  pub(crate) fn acknowledge_to_master(&mut self, out: &mut Reply) {
    let offset = self.repl.offset;
    let Some(link) = self.repl.link.as_mut() else { return };
    link.keep_reply = true;
    out.raw(&acknowledgement(offset));
  }

  /// The next handshake command after the reply to `step`, and the step it awaits.
  fn next_handshake(&mut self, step: Step) -> (Step, Vec<u8>) {
    let stored = |name: &str| self.config.stored.get(name).filter(|value| !value.is_empty()).cloned();
    let ip = stored("replica-announce-ip");
    let next = match step {
      Step::Ping if stored("masterauth").is_some() => Step::Auth,
      Step::Ping | Step::Auth => Step::ListeningPort,
      Step::ListeningPort if ip.is_some() => Step::IpAddress,
      Step::ListeningPort | Step::IpAddress => Step::Capa,
      Step::Capa | Step::Psync => Step::Psync,
    };
    let bytes = match next {
      Step::Ping => command(&[b"PING"]),
      Step::Auth => {
        let password = stored("masterauth").unwrap_or_default();
        match stored("masteruser") {
          Some(user) => command(&[b"AUTH", user.as_bytes(), password.as_bytes()]),
          None => command(&[b"AUTH", password.as_bytes()]),
        }
      }
      Step::ListeningPort => {
        let announced = stored("replica-announce-port").filter(|port| port != "0");
        // A replica reached over TLS is reached at its TLS port.
        let tls = self.config.tls_replication && self.host.tls_port != 0;
        let port = announced.unwrap_or_else(|| (if tls { self.host.tls_port } else { self.host.tcp_port }).to_string());
        command(&[b"REPLCONF", b"listening-port", port.as_bytes()])
      }
      Step::IpAddress => command(&[b"REPLCONF", b"ip-address", ip.unwrap_or_default().as_bytes()]),
      Step::Capa => command(&[b"REPLCONF", b"capa", b"eof", b"capa", b"psync2"]),
      Step::Psync => {
        let link = self.repl.link.as_ref().expect("a replica");
        if link.has_history {
          let (replid, offset) = (self.telemetry.replid.clone(), (self.repl.offset + 1).to_string());
          self.telemetry.log_lines.push(format!("Trying a partial resynchronization (request {replid}:{offset})."));
          if self.failing_over() {
            // The master of a FAILOVER asks its replica to take over.
            command(&[b"PSYNC", replid.as_bytes(), offset.as_bytes(), b"FAILOVER"])
          } else {
            command(&[b"PSYNC", replid.as_bytes(), offset.as_bytes()])
          }
        } else {
          self.telemetry.log_lines.push("Partial resynchronization not possible (no cached master)".into());
          command(&[b"PSYNC", b"?", b"-1"])
        }
      }
    };
    (next, bytes)
  }

  /// The reply to handshake `step` arrived: the next command goes to `out`. Returns false
  /// when the link must close.
  fn handshake_reply(&mut self, step: Step, line: &[u8], out: &mut Reply) -> bool {
    let text = String::from_utf8_lossy(line).into_owned();
    let error = line.first() == Some(&b'-');
    match step {
      Step::Ping => {
        let accepted = ["-NOAUTH", "-NOPERM", "-ERR operation not permitted"];
        if error && !accepted.iter().any(|prefix| text.starts_with(prefix)) {
          self.telemetry.warn(format!("Error reply to PING from master: '{text}'"));
          return false;
        }
        self.telemetry.log_lines.push("Master replied to PING, replication can continue...".into());
      }
      Step::Auth if error => {
        self.telemetry.warn(format!("Unable to AUTH to MASTER: {text}"));
        return false;
      }
      Step::ListeningPort if error => self
        .telemetry
        .log_lines
        .push(format!("(Non critical) Master does not understand REPLCONF listening-port: {text}")),
      Step::IpAddress if error => {
        self.telemetry.log_lines.push(format!("(Non critical) Master does not understand REPLCONF ip-address: {text}"))
      }
      Step::Capa if error => {
        self.telemetry.log_lines.push(format!("(Non critical) Master does not understand REPLCONF capa: {text}"))
      }
      Step::Psync => return self.psync_reply(&text, out),
      _ => {}
    }
    let (next, bytes) = self.next_handshake(step);
    out.raw(&bytes);
    self.repl.link.as_mut().expect("a replica").state = LinkState::Handshake(next);
    true
  }

  /// The master's answer to PSYNC: a full resynchronisation (the file follows), or the
  /// stream continues.
  fn psync_reply(&mut self, text: &str, out: &mut Reply) -> bool {
    if let Some(rest) = text.strip_prefix("+FULLRESYNC") {
      let mut words = rest.split_whitespace();
      let replid = words.next().unwrap_or_default().to_string();
      let offset = words.next().and_then(|offset| offset.parse().ok()).unwrap_or(-1);
      self.telemetry.log_lines.push(format!("Full resync from master: {replid}:{offset}"));
      self.failover_psync_answered(true);
      // The history held so far stays until the new file is loaded: a transfer that fails
      // leaves the dataset, and what PSYNC may ask for, as they were (as Redis 7.0 keeps its
      // cached master until it loads).
      let link = self.repl.link.as_mut().expect("a replica");
      link.state = LinkState::Transfer;
      link.transfer = Some(Transfer { replid, offset, size: None, mark: None, data: Vec::new() });
      return true;
    }
    if let Some(rest) = text.strip_prefix("+CONTINUE") {
      self.failover_psync_answered(true);
      let new_id = rest.trim();
      self.telemetry.log_lines.push("Successful partial resynchronization with master.".into());
      if !new_id.is_empty() && new_id != self.telemetry.replid {
        // The master changed its id (a failover): the old one stays valid up to here.
        self.repl.replid2 = std::mem::replace(&mut self.telemetry.replid, new_id.to_string());
        self.repl.second_offset = self.repl.offset + 1;
        self.telemetry.log_lines.push(format!("Master replication ID changed to {new_id}"));
        self.disconnect_replicas();
      }
      self.repl.open_backlog(&self.config);
      self.telemetry.log_lines.push("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.".into());
      self.link_up(out);
      return true;
    }
    if text.starts_with("-NOMASTERLINK") || text.starts_with("-LOADING") {
      self.telemetry.log_lines.push(format!("Master is currently unable to PSYNC but should be in the future: {text}"));
    } else {
      self.telemetry.warn(format!("Unexpected reply to PSYNC from master: {text}"));
    }
    self.failover_psync_answered(false);
    false
  }

  /// The stream flows from now on; the first acknowledgement goes at once.
  fn link_up(&mut self, out: &mut Reply) {
    let offset = self.repl.offset;
    let now = now_ms();
    let link = self.repl.link.as_mut().expect("a replica");
    link.state = LinkState::Connected;
    link.has_history = true;
    link.down_since_ms = 0;
    link.last_ack_ms = now;
    out.raw(&acknowledgement(offset));
  }

  /// The whole file arrived: it becomes the dataset, as `repl-diskless-load` says, and the
  /// master's replication id and offset this server's. Returns false when it cannot be loaded.
  fn finish_transfer(&mut self, transfer: Transfer, out: &mut Reply) -> bool {
    let now = now_ms();
    let through_disk = self.loads_from_disk();
    self.telemetry.log_lines.push(format!(
      "MASTER <-> REPLICA sync: receiving {} bytes from master to {}",
      transfer.data.len(),
      if through_disk { "disk" } else { "parser" }
    ));
    if through_disk {
      // As Redis: the file is saved first, and is the RDB file from then on.
      if let Err(error) = self.save_transferred(&transfer.data) {
        self.telemetry.warn(format!(
          "Failed trying to save the MASTER synchronization DB to disk: {}",
          crate::cmd::server::os_error_text(&error)
        ));
        return false;
      }
    }
    // Our replicas follow a history that ends here: they must resynchronise.
    self.disconnect_replicas();
    self.telemetry.log_lines.push("MASTER <-> REPLICA sync: Flushing old data".into());
    self.telemetry.log_lines.push("MASTER <-> REPLICA sync: Loading DB in memory".into());
    let mode = crate::rdb::file::LoadMode { flush: true, replace_duplicates: false, keep_expired: true };
    if let Err(error) = crate::rdb::file::load_snapshot_with(self, &transfer.data, now, mode) {
      self.telemetry.warn(format!("Failed trying to load the MASTER synchronization DB from socket: {error:?}"));
      return false;
    }
    self.keyspace.dirty += 1;
    if let Some(link) = self.repl.link.as_mut() {
      link.stream_db = 0;
    }
    self.telemetry.replid = transfer.replid;
    self.repl.offset = transfer.offset;
    self.repl.clear_second_id();
    self.repl.reset_backlog(&self.config);
    // The append-only file starts again from the new dataset (Redis's `restartAOFAfterSYNC`).
    if self.aof.state != crate::aof::AofState::Off {
      self.stop_append_only();
      self.aof.start_requested = true;
    }
    self.telemetry.log_lines.push("MASTER <-> REPLICA sync: Finished with success".into());
    self.link_up(out);
    true
  }

  /// Takes the file's header or bytes from `input`; loads it once it is whole. Returns the
  /// bytes consumed, or `None` when the link must close.
  fn receive_file(&mut self, input: &[u8], out: &mut Reply) -> Option<usize> {
    let link = self.repl.link.as_mut()?;
    let transfer = link.transfer.as_mut()?;
    if transfer.size.is_none() && transfer.mark.is_none() {
      let Some((line, consumed)) = read_line(input) else { return Some(0) };
      if line.is_empty() {
        return Some(consumed);
      }
      if line.first() == Some(&b'-') {
        let text = String::from_utf8_lossy(line).into_owned();
        self.telemetry.warn(format!("MASTER aborted replication with an error: {}", &text[1..]));
        return None;
      }
      match line.strip_prefix(b"$EOF:") {
        Some(mark) if mark.len() == 40 => transfer.mark = Some(mark.to_vec()),
        Some(_) => return None,
        None => transfer.size = Some(crate::num::parse_i64(line.get(1..)?).filter(|n| *n >= 0)? as usize),
      }
      return Some(consumed);
    }
    let consumed = match (transfer.size, &transfer.mark) {
      (Some(size), _) => {
        let take = (size - transfer.data.len()).min(input.len());
        transfer.data.extend_from_slice(&input[..take]);
        if transfer.data.len() < size {
          return Some(take);
        }
        take
      }
      (None, Some(mark)) => {
        let before = transfer.data.len();
        transfer.data.extend_from_slice(input);
        let from = before.saturating_sub(mark.len() - 1);
        let Some(found) = transfer.data[from..].windows(mark.len()).position(|window| window == mark) else {
          return Some(input.len());
        };
        let end = from + found;
        transfer.data.truncate(end);
        end + mark.len() - before
      }
      (None, None) => unreachable!("the header set one of them"),
    };
    let transfer = link.transfer.take()?;
    self.finish_transfer(transfer, out).then_some(consumed)
  }

  /// Whether a full resynchronisation's file goes to disk before it is loaded
  /// (`repl-diskless-load disabled`, or `on-empty-db` with data held).
  fn loads_from_disk(&self) -> bool {
    match self.config.repl_diskless_load {
      DisklessLoad::Swapdb => false,
      DisklessLoad::OnEmptyDb => self.keyspace.dbs.iter().any(|db| !db.is_empty()),
      DisklessLoad::Disabled => true,
    }
  }

  /// Writes the transferred file as the RDB file (see `persistence::replace_file`).
  fn save_transferred(&self, data: &[u8]) -> std::io::Result<()> {
    let temporary = self.config.data_dir().join(format!("temp-{}.{}.rdb", now_ms() / 1000, std::process::id()));
    crate::cmd::server::persistence::replace_file(&temporary, &self.config.rdb_path(), data)
      .map_err(crate::cmd::server::persistence::SaveFailure::into_error)
  }
}

impl Engine {
  /// The host connected to the master for the link, as session `slot`: the handshake
  /// starts. Returns the first bytes for the master, or `None` when the link is not wanted
  /// any more (the host closes the connection).
  pub fn master_connected(&mut self, slot: u32) -> Option<Vec<u8>> {
    let link = self.repl.link.as_mut().filter(|link| link.state == LinkState::Connecting)?;
    link.slot = Some(slot);
    link.state = LinkState::Handshake(Step::Ping);
    link.last_io_ms = now_ms();
    let stream_db = link.stream_db;
    let session = self.clients.session_mut(slot)?;
    session.master = true;
    session.authenticated = true;
    session.acl_exempt = true;
    session.db = stream_db;
    self.telemetry.log_lines.push("Non blocking connect for SYNC fired the event.".into());
    Some(command(&[b"PING"]))
  }

  /// Runs the master session's input (see the module comment). Returns the bytes consumed.
  pub(crate) fn run_master(
    &mut self,
    slot: u32,
    session: &mut Session,
    input: &[u8],
    out: &mut Reply,
    result: &mut FeedOutput,
  ) -> usize {
    let Some(link) = self.repl.link.as_mut().filter(|link| link.slot == Some(slot)) else {
      result.close = true;
      return input.len();
    };
    link.last_io_ms = now_ms();
    let mut at = 0;
    while at < input.len() {
      let state = self.repl.link.as_ref().map_or(LinkState::Connect, |link| link.state);
      let step = match state {
        LinkState::Handshake(step) => step,
        LinkState::Transfer => match self.receive_file(&input[at..], out) {
          // The rest of the file's header line has not arrived yet.
          Some(0) if self.repl.link.as_ref().is_some_and(|link| link.state == LinkState::Transfer) => break,
          Some(consumed) => {
            at += consumed;
            // After a full resynchronisation the stream starts in database 0.
            session.db = self.repl.link.as_ref().map_or(0, |link| link.stream_db);
            continue;
          }
          None => {
            result.close = true;
            return input.len();
          }
        },
        LinkState::Connected => return at + self.run_stream(slot, session, &input[at..], out, result),
        LinkState::Connect | LinkState::Connecting => {
          result.close = true;
          return input.len();
        }
      };
      let Some((line, consumed)) = read_line(&input[at..]) else { break };
      at += consumed;
      // Empty lines keep the link alive while the master prepares.
      if !line.is_empty() && !self.handshake_reply(step, line, out) {
        result.close = true;
        return input.len();
      }
    }
    at
  }

  /// Runs the stream's commands as the master's: their replies dropped (except an
  /// acknowledgement), each one's bytes then fed on to the backlog and this server's replicas.
  /// Returns the bytes consumed.
  fn run_stream(
    &mut self,
    slot: u32,
    session: &mut Session,
    input: &[u8],
    out: &mut Reply,
    result: &mut FeedOutput,
  ) -> usize {
    // The master decides when keys expire: until its DEL arrives, an expired key is there.
    self.keyspace.suspend_expiry(true);
    let mut at = 0;
    while at < input.len() {
      let limits = ParseLimits { max_bulk_len: self.config.proto_max_bulk_len, unauthenticated: false };
      match session.parse.parse(&input[at..], limits) {
        Ok(Parsed::Incomplete) => break,
        Ok(Parsed::Empty { consumed }) => {
          self.feed_stream(&input[at..at + consumed]);
          at += consumed;
        }
        Ok(Parsed::Command { consumed }) => {
          let args = session.parse.take_args();
          let reply_start = out.buf.len();
          let flow = args.with_argv(&input[at..], |argv| self.execute(slot, session, argv, out));
          session.parse.recycle(args);
          session.parked = false;
          // Held by CLIENT PAUSE: the command stays in the input, unapplied and not yet part of
          // this server's offset, until the pause ends and the session is run again.
          if let crate::cmd::Flow::Park = flow {
            self.blocking.park(slot, session);
            break;
          }
          if let Some(wait) = session.wait.take() {
            self.forget_wait(slot, &wait);
          }
          let keep = self.repl.link.as_mut().is_some_and(|link| std::mem::take(&mut link.keep_reply));
          if !keep {
            out.buf.truncate(reply_start);
          }
          self.feed_stream(&input[at..at + consumed]);
          at += consumed;
          if !self.is_replica() {
            // REPLICAOF NO ONE arrived from the master itself: what follows is not the stream.
            break;
          }
        }
        Err(error) => {
          self.telemetry.warn(format!("Protocol error from MASTER: {}", error.0));
          session.parse = Default::default();
          result.close = true;
          at = input.len();
        }
      }
    }
    self.keyspace.suspend_expiry(false);
    at
  }
}
