//! Replication, master side: the replication stream, its backlog, and the replicas fed from it
//! (the replica side, the link to this server's own master, is `link`).
//!
//! The stream is the engine's write signal (`signal.rs`) as RESP commands, exactly what Redis
//! sends its replicas: each execution unit's writes (wrapped in MULTI/EXEC when there are
//! several, expired keys as DEL) with a SELECT whenever the database changes, and a PING every
//! `repl-ping-replica-period`. It is fed as each unit ends (Redis's `propagatePendingCommands`),
//! so the offset a client's WAIT counts from includes its own last write. Every byte advances
//! `master_repl_offset` and goes to the backlog, a ring of `repl-backlog-size` bytes created
//! when the first replica connects, from which a replica that lost its link resumes (PSYNC
//! `+CONTINUE`); and to every replica that finished its full synchronisation, through its
//! session's output (`output.rs`, the `replica` buffer class). Bytes for the replicas gather
//! in `pending` and go out once per turn of the host's event loop (as Redis writes to its
//! replicas before it sleeps), not once per client read: the host is told when a socket read
//! left some ([`Server::take_replica_flush_request`]) and calls [`Server::flush_replicas`].
//!
//! A full synchronisation (`+FULLRESYNC <replid> <offset>`, or a plain SYNC) sends an RDB file
//! of the dataset as of that offset, then the stream from there. The file comes from the
//! forkless snapshot (`rdb::snapshot`), kept in memory, so commands go on while it is made. A
//! replica asking for one waits (`WaitBgsaveStart`, a newline every second keeping its link
//! alive) until the snapshot starts: at once without `repl-diskless-sync`, otherwise after
//! `repl-diskless-sync-delay` seconds (or as soon as `repl-diskless-sync-max-replicas` wait),
//! so that replicas arriving together share one. When it starts, every waiting replica gets
//! `+FULLRESYNC` with the offset it is taken at, and the stream from there gathers in its
//! `held_stream` (`WaitBgsaveEnd`, under the replica class's hard limit); when the file is
//! complete each gets it (`$EOF:<mark>` framing for those that announced `capa eof` under
//! `repl-diskless-sync`, `$<length>` for the others), then what gathered, and is online.

pub mod failover;
pub mod link;

use crate::config::Config;
use crate::resp::Reply;
use crate::server::Server;
use crate::session::Session;
use crate::signal::Write;

/// A connected replica.
pub struct Replica {
  pub slot: u32,
  /// The offset it acknowledged last (REPLCONF ACK).
  pub ack_offset: i64,
  /// Unix ms of its last acknowledgement.
  pub ack_ms: i64,
  /// The port it listens on (REPLCONF listening-port), 0 until it says.
  pub listening_port: u16,
  /// The address it announced (REPLCONF ip-address), or its connection's.
  pub announced_ip: Option<String>,
  /// It came with SYNC, the protocol before PSYNC: it sends no acknowledgements, so it never
  /// times out, and it gets no `+FULLRESYNC` line.
  pub pre_psync: bool,
  pub state: ReplicaState,
  /// The stream since the snapshot of its full resynchronisation started, until it is sent.
  held_stream: Vec<u8>,
  /// Unix ms of the last bytes sent while it waits for its file.
  last_sent_ms: i64,
}

/// Where a replica is in its synchronisation (INFO's `state=`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReplicaState {
  /// It waits for the next snapshot (since this Unix ms).
  WaitBgsaveStart { since_ms: i64 },
  /// Its snapshot is being made.
  WaitBgsaveEnd,
  /// It has its file and gets the stream.
  Online,
}

impl Replica {
  pub(crate) fn new(slot: u32, now_ms: i64, announced: &Announced, state: ReplicaState) -> Replica {
    Replica {
      slot,
      ack_offset: 0,
      ack_ms: now_ms,
      listening_port: announced.listening_port,
      announced_ip: announced.ip.clone(),
      pre_psync: false,
      state,
      held_stream: Vec::new(),
      last_sent_ms: now_ms,
    }
  }

  pub fn is_online(&self) -> bool {
    self.state == ReplicaState::Online
  }

  /// INFO's name for its state.
  pub fn state_name(&self) -> &'static str {
    match self.state {
      ReplicaState::Online => "online",
      _ => "wait_bgsave",
    }
  }
}

/// The replication state of the master.
pub struct Replication {
  /// `master_repl_offset`: bytes of the stream so far.
  pub offset: i64,
  /// The previous replication id and the offset up to which it is valid (`master_replid2`,
  /// `second_repl_offset`).
  pub replid2: String,
  pub second_offset: i64,
  backlog: Option<Backlog>,
  pub replicas: Vec<Replica>,
  /// Encodes the writes, with SELECT when the database changes.
  encoder: crate::aof::StreamEncoder,
  /// Unix ms of the last PING in the stream.
  pub(crate) last_ping_ms: i64,
  /// Sessions blocked in WAIT, woken when acknowledgements arrive.
  pub(crate) waiting: Vec<u32>,
  /// A WAIT is blocked: ask the replicas for acknowledgements (REPLCONF GETACK).
  pub(crate) want_acks: bool,
  /// What connections announced with REPLCONF before they synchronise.
  pub(crate) announced: Vec<Announced>,
  /// Stream bytes not sent to the replicas yet.
  pending: Vec<u8>,
  /// The last unit's writes as the stream encodes them (kept for its allocation).
  encoded: Vec<u8>,
  /// The host was asked to flush `pending` and has not yet.
  flush_requested: bool,
  /// INFO's `sync_full`, `sync_partial_ok` and `sync_partial_err`.
  pub syncs_full: u64,
  pub syncs_partial_ok: u64,
  pub syncs_partial_err: u64,
  /// The link to this server's master, when it is a replica (see `link`).
  pub link: Option<link::MasterLink>,
  /// Unix ms of the last once-a-second work.
  last_second_ms: i64,
  /// Unix ms since which a master has had no replicas (0: it has some, or no backlog).
  alone_since_ms: i64,
  /// The coordinated failover under way (FAILOVER, see `failover`).
  pub failover: failover::Failover,
}

/// The address a replica is known by: the IP it announced (or its connection's) and the port
/// it listens on.
pub(crate) fn replica_address(server: &Server, replica: &Replica) -> (String, u16) {
  let ip = match &replica.announced_ip {
    Some(ip) => ip.clone(),
    None => {
      let addr = server.clients.session(replica.slot).map(|session| session.peer.addr.as_str()).unwrap_or_default();
      ip_of(addr).to_string()
    }
  };
  (ip, replica.listening_port)
}

/// The IP part of a connection's `ip:port` address (IPv6 without its brackets).
pub(crate) fn ip_of(addr: &str) -> &str {
  match addr.rsplit_once(':') {
    Some((ip, _)) => ip.trim_start_matches('[').trim_end_matches(']'),
    None => addr,
  }
}

/// What a connection told about itself with REPLCONF.
#[derive(Clone, Default)]
pub struct Announced {
  pub slot: u32,
  pub listening_port: u16,
  pub ip: Option<String>,
  /// `capa psync2`: it understands `+CONTINUE <replid>`.
  pub psync2: bool,
  /// `capa eof`: it reads a file of unannounced length, closed by a 40-byte mark.
  pub eof: bool,
  /// `rdb-only 1`: it wants the RDB file and no stream (`redis-cli --rdb`).
  pub rdb_only: bool,
  /// `rdb-filter-only`: what the RDB file leaves out (keys, function libraries).
  pub exclude_data: bool,
  pub exclude_functions: bool,
}

impl Default for Replication {
  fn default() -> Self {
    let mut replication = Replication {
      offset: 0,
      replid2: String::new(),
      second_offset: -1,
      backlog: None,
      replicas: Vec::new(),
      encoder: Default::default(),
      last_ping_ms: 0,
      waiting: Vec::new(),
      want_acks: false,
      announced: Vec::new(),
      pending: Vec::new(),
      encoded: Vec::new(),
      flush_requested: false,
      syncs_full: 0,
      syncs_partial_ok: 0,
      syncs_partial_err: 0,
      link: None,
      last_second_ms: 0,
      alone_since_ms: 0,
      failover: Default::default(),
    };
    replication.clear_second_id();
    replication
  }
}

/// The last bytes of the stream, for partial resynchronisation.
struct Backlog {
  ring: Vec<u8>,
  /// Where the next byte goes in `ring`.
  next: usize,
  /// Bytes held (at most `ring.len()`).
  held: usize,
}

impl Backlog {
  fn new(size: usize) -> Backlog {
    Backlog { ring: vec![0; size.max(1)], next: 0, held: 0 }
  }

  fn push(&mut self, mut bytes: &[u8]) {
    let size = self.ring.len();
    if bytes.len() > size {
      bytes = &bytes[bytes.len() - size..];
    }
    let first = bytes.len().min(size - self.next);
    self.ring[self.next..self.next + first].copy_from_slice(&bytes[..first]);
    self.ring[..bytes.len() - first].copy_from_slice(&bytes[first..]);
    self.next = (self.next + bytes.len()) % size;
    self.held = (self.held + bytes.len()).min(size);
  }

  /// The last `len` bytes held (`len` ≤ `held`).
  fn tail(&self, len: usize) -> Vec<u8> {
    let size = self.ring.len();
    let start = (self.next + size - len) % size;
    let mut out = Vec::with_capacity(len);
    let first = len.min(size - start);
    out.extend_from_slice(&self.ring[start..start + first]);
    out.extend_from_slice(&self.ring[..len - first]);
    out
  }
}

impl Replication {
  /// What the connection in `slot` announced (created empty on first use).
  pub(crate) fn announced_mut(&mut self, slot: u32) -> &mut Announced {
    match self.announced.iter().position(|announced| announced.slot == slot) {
      Some(at) => &mut self.announced[at],
      None => {
        self.announced.push(Announced { slot, ..Announced::default() });
        self.announced.last_mut().expect("just pushed")
      }
    }
  }

  /// Whether there is a backlog (a replica connected once, or this server is one).
  #[inline]
  pub fn active(&self) -> bool {
    self.backlog.is_some()
  }

  /// Whether this server's writes are fed to the stream: it has a backlog, and no master (a
  /// replica passes its master's stream on as it came, see `link`).
  #[inline]
  pub fn feeds_writes(&self) -> bool {
    self.backlog.is_some() && self.link.is_none()
  }

  /// Creates the backlog, sized by `repl-backlog-size`, if there is none.
  pub(crate) fn open_backlog(&mut self, config: &Config) {
    if self.backlog.is_none() {
      self.reset_backlog(config);
    }
  }

  /// CONFIG SET repl-backlog-size: the backlog keeps its newest bytes that fit.
  pub(crate) fn resize_backlog(&mut self, size: usize) {
    let Some(backlog) = self.backlog.as_mut() else { return };
    let kept = backlog.held.min(size.max(1));
    let tail = backlog.tail(kept);
    let mut resized = Backlog::new(size);
    resized.push(&tail);
    *backlog = resized;
  }

  /// An empty backlog, starting at the current offset.
  pub(crate) fn reset_backlog(&mut self, config: &Config) {
    self.backlog = Some(Backlog::new(config.repl_backlog_size as usize));
    self.encoder.reselect();
  }

  /// No second replication id (`master_replid2` all zeros, `second_repl_offset` -1).
  pub(crate) fn clear_second_id(&mut self) {
    self.replid2 = "0".repeat(40);
    self.second_offset = -1;
  }

  /// The next write selects its database again (after a full resynchronisation).
  pub(crate) fn force_select(&mut self) {
    self.encoder.reselect();
  }

  /// Bytes the backlog holds (INFO `mem_replication_backlog`).
  pub fn backlog_memory(&self) -> u64 {
    self.backlog.as_ref().map_or(0, |backlog| backlog.ring.capacity() as u64)
  }

  /// INFO's `repl_backlog_first_byte_offset` and `repl_backlog_histlen`.
  pub fn backlog_span(&self) -> (i64, usize) {
    match &self.backlog {
      Some(backlog) => (self.offset - backlog.held as i64 + 1, backlog.held),
      None => (0, 0),
    }
  }

  /// The stream from `offset` (the next byte a replica needs) when the backlog still holds
  /// it.
  pub fn stream_from(&self, offset: i64) -> Option<Vec<u8>> {
    let backlog = self.backlog.as_ref()?;
    let (first, _) = self.backlog_span();
    if offset < first || offset > self.offset + 1 {
      return None;
    }
    Some(backlog.tail((self.offset + 1 - offset) as usize))
  }
}

impl Server {
  /// Bytes allocated for replicas' output queues and held streams: memory that `maxmemory`
  /// does not count, as evicting keys could not free it (each eviction adds a DEL to it).
  pub(crate) fn replica_buffer_memory(&self) -> u64 {
    let queued = |replica: &Replica| {
      let output = self.clients.session(replica.slot).map_or(0, |session| session.held_output().allocated());
      (replica.held_stream.capacity() + output) as u64
    };
    self.repl.replicas.iter().map(queued).sum()
  }

  /// Starts the backlog (with a new replication id, as Redis does for its first replica).
  pub(crate) fn create_backlog(&mut self) {
    if self.repl.backlog.is_some() {
      return;
    }
    self.telemetry.replid = crate::cmd::server::random_hex(&mut self.rng, 40);
    self.repl.clear_second_id();
    self.repl.reset_backlog(&self.config);
  }

  /// A master restarted from a file it saved in replication history `replid` at `offset`
  /// continues it, as Redis's `loadDataFromDisk` does: the history becomes its second id, valid
  /// up to that offset, so its replicas come back with a partial resynchronisation; the keys
  /// that expired meanwhile (`expired`, skipped by the load) are deleted through the new
  /// backlog, so that they get the deletions.
  pub(crate) fn continue_saved_history(&mut self, replid: &str, offset: i64, expired: &[(usize, Vec<u8>)]) {
    self.create_backlog();
    self.repl.replid2 = replid.to_string();
    self.repl.second_offset = offset + 1;
    self.repl.offset = offset;
    let deletion: &[u8] = if self.config.lazyfree_lazy_expire { b"UNLINK" } else { b"DEL" };
    for (db, key) in expired {
      self.feed_replication_command(*db, &[deletion, key]);
    }
  }

  /// Feeds one execution unit's writes to the stream.
  pub(crate) fn feed_replication(&mut self, writes: &[Write]) {
    self.feed_encoded(|encoder, out| encoder.encode(writes, out, None));
  }

  /// Feeds one command that is a unit of its own, as it came (the common case), encoded
  /// straight from its arguments.
  pub(crate) fn feed_replication_command(&mut self, db: usize, argv: &[&[u8]]) {
    self.feed_encoded(|encoder, out| encoder.encode_one(db, argv, out));
  }

  /// Feeds one command in the database the stream has selected (`db` when it has none yet),
  /// with no SELECT before it: DEBUG REPLICATE's.
  pub(crate) fn feed_replication_unselected(&mut self, db: usize, argv: &[&[u8]]) {
    let db = self.repl.encoder.selected().unwrap_or(db);
    self.feed_replication_command(db, argv);
  }

  /// Feeds what `encode` writes, through a buffer kept for its allocation.
  fn feed_encoded(&mut self, encode: impl FnOnce(&mut crate::aof::StreamEncoder, &mut Vec<u8>)) {
    let mut bytes = std::mem::take(&mut self.repl.encoded);
    bytes.clear();
    encode(&mut self.repl.encoder, &mut bytes);
    self.feed_stream(&bytes);
    if bytes.capacity() <= 1 << 20 {
      self.repl.encoded = bytes;
    }
  }

  /// Appends `bytes` to the stream: the offset, the backlog, and what the replicas get next.
  pub(crate) fn feed_stream(&mut self, bytes: &[u8]) {
    let Some(backlog) = self.repl.backlog.as_mut() else { return };
    backlog.push(bytes);
    self.repl.offset += bytes.len() as i64;
    if !self.repl.replicas.is_empty() {
      self.repl.pending.extend_from_slice(bytes);
    }
  }

  /// Sends the stream bytes gathered since the last flush to every replica.
  pub fn flush_replicas(&mut self) {
    self.repl.flush_requested = false;
    if self.repl.pending.is_empty() {
      return;
    }
    let pending = std::mem::take(&mut self.repl.pending);
    let hard_limit = self.config.client_output_buffer_limits[crate::output::BufferClass::Replica as usize].hard;
    let mut online = Vec::new();
    for replica in &mut self.repl.replicas {
      match replica.state {
        ReplicaState::Online => online.push(replica.slot),
        ReplicaState::WaitBgsaveEnd => {
          replica.held_stream.extend_from_slice(&pending);
          if hard_limit > 0 && replica.held_stream.len() as u64 >= hard_limit {
            replica.held_stream = Vec::new();
            self.clients.kills.push(replica.slot);
          }
        }
        ReplicaState::WaitBgsaveStart { .. } => {}
      }
    }
    for slot in online {
      self.send(slot, |out| out.raw(&pending));
    }
    self.repl.pending = pending;
    self.repl.pending.clear();
    if self.repl.pending.capacity() > 1 << 20 {
      self.repl.pending = Vec::new();
    }
  }

  /// Whether the host should flush the replicas' bytes once its current turn ends (`true`
  /// once per batch of pending bytes).
  #[inline]
  pub fn take_replica_flush_request(&mut self) -> bool {
    if self.repl.pending.is_empty() || self.repl.flush_requested {
      return false;
    }
    self.repl.flush_requested = true;
    true
  }

  /// The periodic part: a PING in the stream every `repl-ping-replica-period` seconds while
  /// replicas are connected, and REPLCONF GETACK while a WAIT needs acknowledgements.
  pub(crate) fn replication_cron(&mut self, now_ms: i64) {
    self.failover_cron(now_ms);
    self.start_replication_sync(now_ms);
    self.backlog_ttl_cron(now_ms);
    if now_ms - self.repl.last_second_ms >= 1000 {
      self.repl.last_second_ms = now_ms;
      self.master_link_cron(now_ms);
      // A newline keeps the link of a replica that waited a second for its file alive.
      let mut waiting = Vec::new();
      for replica in &mut self.repl.replicas {
        if !replica.is_online() && now_ms - replica.last_sent_ms >= 1000 {
          replica.last_sent_ms = now_ms;
          waiting.push(replica.slot);
        }
      }
      for slot in waiting {
        self.send(slot, |out| out.raw(b"\n"));
      }
    }
    if self.repl.replicas.is_empty() {
      return;
    }
    // Replicas silent for longer than `repl-timeout` are disconnected.
    let timeout_ms = self.config.repl_timeout * 1000;
    let silent: Vec<u32> = self
      .repl
      .replicas
      .iter()
      .filter(|replica| replica.is_online() && !replica.pre_psync && now_ms - replica.ack_ms > timeout_ms)
      .map(|replica| replica.slot)
      .collect();
    for slot in silent {
      let name = self.clients.session(slot).map(|session| session.peer.addr.clone()).unwrap_or_default();
      self.telemetry.warn(format!("Disconnecting timedout replica (streaming sync): {name}"));
      self.clients.kills.push(slot);
    }
    if self.is_replica() {
      // A replica's replicas get its master's PINGs, passed on with the stream.
      return;
    }
    if now_ms - self.repl.last_ping_ms >= self.config.repl_ping_replica_period * 1000 {
      self.repl.last_ping_ms = now_ms;
      let mut ping = Vec::new();
      crate::aof::encode_command(&mut ping, &[b"PING" as &[u8]]);
      self.feed_stream(&ping);
    }
    self.ask_for_acks();
  }

  /// REPLCONF GETACK * to every replica, once per wait (Redis's `get_ack_from_slaves`).
  pub(crate) fn ask_for_acks(&mut self) {
    if std::mem::take(&mut self.repl.want_acks) && !self.repl.replicas.is_empty() {
      let mut getack = Vec::new();
      crate::aof::encode_command(&mut getack, &[b"REPLCONF" as &[u8], b"GETACK", b"*"]);
      self.feed_stream(&getack);
    }
  }

  /// Whether writes may go on under `min-replicas-to-write`: enough replicas acknowledged
  /// within `min-replicas-max-lag` seconds (Redis's `checkGoodReplicasStatus`).
  #[inline]
  pub(crate) fn enough_good_replicas(&self, now_ms: i64) -> bool {
    let (wanted, max_lag) = (self.config.min_replicas_to_write, self.config.min_replicas_max_lag);
    if wanted == 0 || max_lag == 0 {
      return true;
    }
    self.good_replicas(now_ms) as i64 >= wanted
  }

  /// How many replicas acknowledged within `min-replicas-max-lag` seconds.
  pub(crate) fn good_replicas(&self, now_ms: i64) -> usize {
    let max_lag = self.config.min_replicas_max_lag;
    let good = |replica: &&Replica| replica.is_online() && (now_ms - replica.ack_ms) / 1000 <= max_lag;
    self.repl.replicas.iter().filter(good).count()
  }

  /// How many replicas acknowledged `offset`.
  pub(crate) fn replicas_acked(&self, offset: i64) -> i64 {
    self.repl.replicas.iter().filter(|replica| replica.ack_offset >= offset).count() as i64
  }

  /// A master without replicas for `repl-backlog-ttl` seconds (0: never) frees its backlog;
  /// the next replica starts a new history (Redis's `replicationCron`).
  fn backlog_ttl_cron(&mut self, now_ms: i64) {
    if !self.repl.replicas.is_empty() || self.repl.backlog.is_none() || self.is_replica() {
      self.repl.alone_since_ms = 0;
      return;
    }
    if self.repl.alone_since_ms == 0 {
      self.repl.alone_since_ms = now_ms;
    }
    let ttl = self.config.repl_backlog_ttl;
    if ttl > 0 && now_ms - self.repl.alone_since_ms >= ttl * 1000 {
      self.repl.backlog = None;
      self.repl.alone_since_ms = 0;
      self
        .telemetry
        .log_lines
        .push(format!("Replication backlog freed after {ttl} seconds without connected replicas."));
    }
  }

  /// Starts the snapshot the replicas waiting for a full resynchronisation need, when it is
  /// due (see the module comment) and no other background save is under way.
  pub(crate) fn start_replication_sync(&mut self, now_ms: i64) {
    let waiting = self.repl.replicas.iter().filter_map(|replica| match replica.state {
      ReplicaState::WaitBgsaveStart { since_ms } => Some(since_ms),
      _ => None,
    });
    let (count, oldest) = waiting.fold((0, i64::MAX), |(count, oldest), since| (count + 1, oldest.min(since)));
    if count == 0 || self.snapshot_in_progress() {
      return;
    }
    let config = &self.config;
    let (diskless, max_replicas) = (config.repl_diskless_sync, config.repl_diskless_sync_max_replicas);
    let enough = max_replicas > 0 && count >= max_replicas;
    if diskless && !enough && now_ms - oldest < config.repl_diskless_sync_delay * 1000 {
      return;
    }
    // What the online replicas have not received yet is in the snapshot.
    self.flush_replicas();
    let purpose = crate::rdb::snapshot::Purpose::Replication;
    if let Err(error) = self.start_snapshot(purpose, crate::rdb::snapshot::Destination::Memory, now_ms) {
      self.telemetry.warn(format!("BGSAVE for replication failed: {error}"));
      return;
    }
    let target = if diskless { "replicas sockets" } else { "disk" };
    self.telemetry.log_lines.push(format!("Starting BGSAVE for SYNC with target: {target}"));
    let line = format!("+FULLRESYNC {} {}\r\n", self.telemetry.replid, self.repl.offset);
    self.repl.force_select();
    let mut told = Vec::new();
    for replica in &mut self.repl.replicas {
      if matches!(replica.state, ReplicaState::WaitBgsaveStart { .. }) {
        replica.state = ReplicaState::WaitBgsaveEnd;
        replica.last_sent_ms = now_ms;
        if !replica.pre_psync {
          told.push(replica.slot);
        }
      }
    }
    for slot in told {
      self.send(slot, |out| out.raw(line.as_bytes()));
    }
  }

  /// The snapshot of a full resynchronisation is complete (or failed): each replica waiting
  /// for it gets the file, then the stream since, and is online.
  pub(crate) fn replication_snapshot_done(&mut self, written: std::io::Result<()>, file: Vec<u8>, now_ms: i64) {
    let waiting: Vec<u32> = self
      .repl
      .replicas
      .iter()
      .filter(|replica| replica.state == ReplicaState::WaitBgsaveEnd)
      .map(|replica| replica.slot)
      .collect();
    for slot in waiting {
      if let Err(error) = &written {
        self.telemetry.warn(format!("SYNC failed. BGSAVE child returned an error: {error}"));
        self.clients.kills.push(slot);
        continue;
      }
      let eof = self.repl.announced.iter().any(|announced| announced.slot == slot && announced.eof);
      let (head, tail) = self.file_framing(eof, file.len());
      self.send_bulk(slot, &[head.as_bytes(), &file, tail.as_bytes()]);
      let Some(replica) = self.repl.replicas.iter_mut().find(|replica| replica.slot == slot) else { continue };
      replica.state = ReplicaState::Online;
      replica.ack_ms = now_ms;
      let held = std::mem::take(&mut replica.held_stream);
      if !held.is_empty() {
        self.send(slot, |out| out.raw(&held));
      }
      let name = self.clients.session(slot).map(|session| session.peer.addr.clone()).unwrap_or_default();
      self.telemetry.log_lines.push(format!("Synchronization with replica {name} succeeded"));
    }
  }

  /// How a full resynchronisation's file of `len` bytes is sent: what goes before and after
  /// it. Under `repl-diskless-sync`, a replica that reads `capa eof` gets it as Redis streams
  /// it from memory, between two copies of a random 40-byte mark; otherwise its length first.
  pub(crate) fn file_framing(&mut self, capa_eof: bool, len: usize) -> (String, String) {
    if capa_eof && self.config.repl_diskless_sync {
      let mark = crate::cmd::server::random_hex(&mut self.rng, 40);
      (format!("$EOF:{mark}\r\n"), mark)
    } else {
      (format!("${len}\r\n"), String::new())
    }
  }

  /// A command of the replica in `slot` wrote a reply (from `reply_start` in `out`): its link
  /// carries the stream only, so the reply is dropped and the replica disconnected, as Redis
  /// does; no more of the stream goes to it.
  #[cold]
  pub(crate) fn replica_replied(&mut self, slot: u32, session: &Session, out: &mut Reply, reply_start: usize) {
    out.buf.truncate(reply_start);
    let client = crate::cmd::connection::client::describe(session, &self.acl, crate::server::now_ms());
    let command = session.last_command;
    self.telemetry.warn(format!("Replica generated a reply to command '{command}', disconnecting it: {client}"));
    self.repl.replicas.retain(|replica| replica.slot != slot);
    self.clients.kills.push(slot);
  }

  /// A replica's session closed.
  pub(crate) fn forget_replica(&mut self, slot: u32) {
    self.repl.replicas.retain(|replica| replica.slot != slot);
    self.repl.announced.retain(|announced| announced.slot != slot);
    self.repl.waiting.retain(|&waiting| waiting != slot);
  }
}
