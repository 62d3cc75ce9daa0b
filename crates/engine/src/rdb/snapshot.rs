//! BGSAVE without fork: a point-in-time RDB file written while commands go on, with little
//! more memory than the dataset itself.
//!
//! Redis forks, and the child writes the parent's memory as it was at the fork; the kernel
//! copies every page the parent changes meanwhile, so a busy server can need twice its
//! memory. Here the save walks the databases in the server's own thread, a slice at a time,
//! and a writer thread puts the bytes on disk:
//!
//! - At the start every database flips its snapshot mark (`db::Db::mark`): from then on an
//!   entry whose mark differs from its database's is one the save still needs, and an entry
//!   created during the save gets the current mark, so the save never sees it.
//! - Slices ([`Server::snapshot_step`]) walk each database's entries in position order,
//!   serializing the ones the save still needs and marking them. The host calls them between
//!   its other work. A slice takes a nineteenth of the time since the previous one ended
//!   (0.02 to 10 ms), so a busy server gives the save about 5 % of its time, and an idle one,
//!   whose host calls slices back to back, nearly all of it.
//! - Before anything changes an entry the save still needs (a write, an expiry, a deletion,
//!   even a read, which refreshes the access time), the database hands the entry over as it
//!   is ([`crate::db::Db::preserve`]), so the file holds every key as it was at the start.
//!   These are serialized without LZF compression: the command pays for them, and a copy
//!   costs it far less than compressing would.
//!   A deletion that moves the last entry into a walked position hands that one over too;
//!   FLUSHALL, SWAPDB and loads hand over the whole database first.
//! - Serialized entries go to the writer thread in chunks of about 64 KB over a channel of
//!   bounded depth: the bytes in flight stay within a few megabytes, and a slice stops early
//!   when the disk is behind. The writer computes the CRC-64, writes the trailer, fsyncs, and
//!   renames the file into place.
//!
//! - `rdb-key-save-delay` (a testing aid that makes Redis's child sleep after each key) holds
//!   the end instead: the writer gets its last message, and so renames the file into place,
//!   only once the save has lasted as long as the delays would have made it
//!   ([`key_save_time`]). Until then the file is temporary and incomplete, and stopping the
//!   save deletes it, as killing Redis's child does. The delay is read at every slice, so
//!   setting it back to 0 lets a held save end.
//!
//! Memory beyond the dataset is the bytes in flight plus the entries handed over early and not
//! yet sent (at most the serialized size of what the writers touched since the last slice).
//! The same machinery writes the RDB base of an AOF rewrite, and the file of a full
//! resynchronisation, which the writer keeps in memory for the replicas (see `repl`).

use super::file::{write_entry, write_header, write_select, EntryFormat, OPCODE_EOF};
use crate::db::Entry;
use crate::server::Server;
use std::fs::File;
use std::io::{self, BufWriter, Write as _};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes per chunk sent to the writer.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks in flight to the writer at most.
const CHANNEL_CHUNKS: usize = 32;
/// The least and most time one slice takes.
const MIN_SLICE: Duration = Duration::from_micros(20);
const MAX_SLICE: Duration = Duration::from_millis(10);
/// The share of a busy server's time slices take: one part in this many.
const BUSY_SHARE: f64 = 20.0;

/// A database's part of the save under way: how far the walk got, and the entries serialized
/// (walked or handed over early) and not sent yet.
pub struct DbSnapshot {
  pub(crate) cursor: usize,
  pub(crate) out: Vec<u8>,
  format: EntryFormat,
  /// The same without LZF compression, for entries handed over early.
  early_format: EntryFormat,
  scratch: Vec<u8>,
}

impl DbSnapshot {
  /// Serializes `entry` (whose expiry time is `expire_at`) into the output, as the walk does.
  pub(crate) fn record(&mut self, entry: &Entry, expire_at: i64) {
    write_entry(&mut self.out, entry, expire_at, &self.format, &mut self.scratch);
  }

  /// The same for an entry handed over before a change: on the command's own time, so its
  /// strings are not compressed (a copy costs the command far less than LZF would).
  pub(crate) fn record_early(&mut self, entry: &Entry, expire_at: i64) {
    write_entry(&mut self.out, entry, expire_at, &self.early_format, &mut self.scratch);
  }
}

/// What the file is for, which decides what happens when it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
  /// BGSAVE or the `save` rules: the file is renamed to `dir`/`dbfilename`.
  Save,
  /// The RDB base of an AOF rewrite: `aof` moves it into the AOF directory.
  AofBase,
  /// A full resynchronisation: the file, kept in memory, goes to the replicas waiting for it.
  Replication,
}

/// Where the writer puts the file.
pub(crate) enum Destination {
  /// `temporary`, renamed to `target` once complete (when given).
  File { temporary: PathBuf, target: Option<PathBuf> },
  /// Memory: the file comes back in [`Finished::file`].
  Memory,
}

enum Message {
  Chunk(Vec<u8>),
  /// Everything was sent: write the trailer and put the file in place.
  Finish,
}

/// What a slice of the save under way left to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slice {
  /// More slices are wanted at once.
  More,
  /// Everything but the end was sent, and the save may not end yet (`rdb-key-save-delay`).
  Later,
  /// Everything was sent to the writer (or no save is under way).
  Sent,
}

/// How long saving `keys` keys takes at least under `rdb-key-save-delay` `delay`: Redis sleeps
/// `delay` microseconds after each key it saves, and with a negative -N one microsecond after
/// one key in N.
pub(crate) fn key_save_time(delay: i64, keys: u64) -> Duration {
  match delay {
    0 => Duration::ZERO,
    positive if positive > 0 => Duration::from_micros((positive as u64).saturating_mul(keys)),
    negative => Duration::from_nanos(keys.saturating_mul(1000) / negative.unsigned_abs()),
  }
}

/// A background save under way.
pub struct BackgroundSnapshot {
  pub purpose: Purpose,
  /// Unix ms when it started.
  pub started_ms: i64,
  started: Instant,
  /// Keys in the databases at the start (for `rdb-key-save-delay`).
  keys: u64,
  sender: Option<SyncSender<Message>>,
  /// A chunk the writer had no room for yet.
  waiting: Option<Vec<u8>>,
  thread: JoinHandle<io::Result<Vec<u8>>>,
  /// Key counts of each database at the start (for RESIZEDB), and the database the file last
  /// selected.
  sizes: Vec<(usize, usize)>,
  selected: Option<usize>,
  resized: Vec<bool>,
  /// The database the walk is in.
  next_db: usize,
  /// The walk is over and `EOF` was handed to the writer (or waits in `waiting`).
  ended: bool,
  last_step: Instant,
}

/// How a finished save went.
pub struct Finished {
  pub purpose: Purpose,
  pub result: io::Result<()>,
  /// The file, written to [`Destination::Memory`].
  pub file: Vec<u8>,
}

impl Server {
  /// Whether a background save (or AOF rewrite's base) is being written.
  pub fn snapshot_in_progress(&self) -> bool {
    self.snapshot.is_some()
  }

  /// Starts a background save to `destination`.
  pub(crate) fn start_snapshot(&mut self, purpose: Purpose, destination: Destination, now_ms: i64) -> io::Result<()> {
    if self.snapshot.is_some() {
      return Err(io::Error::other("a background save is already in progress"));
    }
    let replication = purpose == Purpose::Replication;
    let header = write_header(self, now_ms, purpose == Purpose::AofBase, replication, true);
    let checksum = super::file::checksums(&self.config);
    let sink = match destination {
      Destination::File { temporary, target } => Sink::File { file: File::create(&temporary)?, temporary, target },
      Destination::Memory => Sink::Memory,
    };
    let (sender, receiver) = sync_channel(CHANNEL_CHUNKS);
    let thread = std::thread::spawn(move || write_file(receiver, sink, checksum));
    self.telemetry.stats.total_forks += 1;
    let format = EntryFormat::of(&self.config, now_ms);
    let mut sizes = Vec::with_capacity(self.keyspace.dbs.len());
    for db in &mut self.keyspace.dbs {
      db.mark = !db.mark;
      sizes.push((db.len(), db.volatile_len()));
      if !db.is_empty() {
        let early_format = format.without_compression();
        let snapshot = DbSnapshot { cursor: 0, out: Vec::new(), format, early_format, scratch: Vec::new() };
        db.snapshot = Some(Box::new(snapshot));
      }
    }
    let resized = vec![false; sizes.len()];
    let keys = sizes.iter().map(|&(keys, _)| keys as u64).sum();
    let mut job = BackgroundSnapshot {
      purpose,
      started_ms: now_ms,
      started: Instant::now(),
      keys,
      sender: Some(sender),
      waiting: None,
      thread,
      sizes,
      selected: None,
      resized,
      next_db: 0,
      ended: false,
      last_step: Instant::now(),
    };
    job.offer(header);
    self.snapshot = Some(Box::new(job));
    Ok(())
  }

  /// One slice of the save under way (see the module comment). Once everything is sent, the
  /// writer may still be busy: see [`Server::poll_snapshot`].
  pub fn snapshot_step(&mut self) -> Slice {
    let Some(job) = self.snapshot.as_mut() else { return Slice::Sent };
    if job.sender.is_none() {
      return Slice::Sent;
    }
    let started = Instant::now();
    let slice = (started - job.last_step).div_f64(BUSY_SHARE - 1.0).clamp(MIN_SLICE, MAX_SLICE);
    let deadline = started + slice;
    let slice = job.step(&mut self.keyspace.dbs, deadline, self.config.rdb_key_save_delay);
    job.last_step = Instant::now();
    slice
  }

  /// Once the writer is done: the save's outcome, and the save is over.
  pub(crate) fn poll_snapshot(&mut self) -> Option<Finished> {
    let job = self.snapshot.as_ref()?;
    if !job.thread.is_finished() {
      return None;
    }
    let job = self.snapshot.take()?;
    let complete = job.sender.is_none() && job.waiting.is_none();
    let written = job.thread.join().unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
    let (result, file) = match written {
      Ok(file) => (Ok(()), file),
      Err(error) => (Err(error), Vec::new()),
    };
    if !complete {
      // The writer stopped early (a disk error): the walk stops too.
      for db in &mut self.keyspace.dbs {
        db.abandon_snapshot();
      }
    }
    Some(Finished { purpose: job.purpose, result, file })
  }

  /// Stops the save under way: the writer deletes its temporary file.
  pub(crate) fn abandon_snapshot(&mut self) {
    if let Some(job) = self.snapshot.take() {
      drop(job.sender);
      let _ = job.thread.join();
      for db in &mut self.keyspace.dbs {
        db.abandon_snapshot();
      }
    }
  }
}

impl BackgroundSnapshot {
  /// Walks the databases until `deadline`, sending what it serializes, and ends the file
  /// once `key_delay` (`rdb-key-save-delay`) lets it.
  fn step(&mut self, dbs: &mut [crate::db::Db], deadline: Instant, key_delay: i64) -> Slice {
    if let Some(chunk) = self.waiting.take() {
      if !self.offer(chunk) {
        return Slice::More;
      }
    }
    while self.next_db < dbs.len() {
      let index = self.next_db;
      let db = &mut dbs[index];
      loop {
        let done = db.preserve_next(CHUNK_BYTES);
        let out = db.snapshot.as_mut().map(|snapshot| std::mem::take(&mut snapshot.out)).unwrap_or_default();
        if !out.is_empty() {
          let mut chunk = Vec::with_capacity(out.len() + 16);
          if self.selected != Some(index) {
            let sizes = (!self.resized[index]).then_some(self.sizes[index]);
            write_select(&mut chunk, index, sizes);
            self.resized[index] = true;
            self.selected = Some(index);
          }
          chunk.extend_from_slice(&out);
          if !self.offer(chunk) {
            if done {
              db.snapshot = None;
              self.next_db += 1;
            }
            return Slice::More;
          }
        }
        if done {
          db.snapshot = None;
          self.next_db += 1;
          break;
        }
        if Instant::now() >= deadline {
          return Slice::More;
        }
      }
    }
    if !self.ended {
      // The writer adds the checksum after `EOF`: it covers every chunk.
      self.ended = true;
      if !self.offer(vec![OPCODE_EOF]) {
        return Slice::More;
      }
    }
    if self.started.elapsed() < key_save_time(key_delay, self.keys) {
      return Slice::Later;
    }
    if let Some(sender) = self.sender.take() {
      let _ = sender.send(Message::Finish);
    }
    Slice::Sent
  }

  /// Sends `chunk` to the writer; `false` (keeping it for the next slice) when the writer has
  /// no room.
  fn offer(&mut self, chunk: Vec<u8>) -> bool {
    let Some(sender) = self.sender.as_ref() else { return true };
    match sender.try_send(Message::Chunk(chunk)) {
      Ok(()) => true,
      Err(TrySendError::Full(Message::Chunk(chunk))) => {
        self.waiting = Some(chunk);
        false
      }
      Err(TrySendError::Full(Message::Finish)) => false,
      // The writer failed: nothing more to send; `poll_snapshot` reports its error.
      Err(TrySendError::Disconnected(_)) => {
        self.sender = None;
        true
      }
    }
  }
}

/// The chunks the writer thread receives, and their CRC-64 so far.
struct Chunks {
  receiver: Receiver<Message>,
  checksum: bool,
  crc: u64,
}

impl Chunks {
  /// The next chunk; `None` at the end; an error when the save was abandoned.
  fn next(&mut self) -> io::Result<Option<Vec<u8>>> {
    match self.receiver.recv() {
      Ok(Message::Chunk(chunk)) => {
        if self.checksum {
          self.crc = super::crc64::crc64(self.crc, &chunk);
        }
        Ok(Some(chunk))
      }
      Ok(Message::Finish) => Ok(None),
      Err(_) => Err(io::Error::other("the background save was abandoned")),
    }
  }
}

/// Where the writer thread puts the bytes.
enum Sink {
  File { file: File, temporary: PathBuf, target: Option<PathBuf> },
  Memory,
}

/// The writer thread: the chunks with their CRC-64, then the trailer. Into memory, that is
/// the file it returns; into a file (at `temporary`), then fsync and the rename to `target`,
/// and without the final message (the save was abandoned) or on an error, the temporary file
/// is deleted.
fn write_file(receiver: Receiver<Message>, sink: Sink, checksum: bool) -> io::Result<Vec<u8>> {
  let mut chunks = Chunks { receiver, checksum, crc: 0 };
  let (file, temporary, target) = match sink {
    Sink::Memory => {
      let mut out = Vec::new();
      while let Some(chunk) = chunks.next()? {
        out.extend_from_slice(&chunk);
      }
      out.extend_from_slice(&chunks.crc.to_le_bytes());
      return Ok(out);
    }
    Sink::File { file, temporary, target } => (file, temporary, target),
  };
  let result = (|| {
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    while let Some(chunk) = chunks.next()? {
      writer.write_all(&chunk)?;
    }
    writer.write_all(&chunks.crc.to_le_bytes())?;
    let file = writer.into_inner().map_err(|error| error.into_error())?;
    file.sync_all()?;
    if let Some(target) = &target {
      std::fs::rename(&temporary, target)?;
      if let Some(dir) = target.parent() {
        let dir = if dir.as_os_str().is_empty() { std::path::Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
      }
    }
    Ok(())
  })();
  if result.is_err() {
    let _ = std::fs::remove_file(&temporary);
  }
  result.map(|()| Vec::new())
}
