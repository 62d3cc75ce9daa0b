//! The append-only file, laid out as Redis 7.0 lays it out (`appenddirname` with a manifest,
//! a base file and incremental files; see `manifest.rs`).
//!
//! While AOF is on, the engine records its write stream (`signal.rs`), and at the end of every
//! entry point that ran commands (a socket read, an in-process call, a tick) it appends those
//! writes to the current incremental file, encoded as Redis encodes them (`encoder.rs`), with
//! one `write(2)`. Replies leave the engine only after that, which is Redis's promise: under
//! `appendfsync always` the file is also fsynced before the entry point returns, so nothing is
//! acknowledged before it is on disk; under `everysec` a worker thread fsyncs the file about
//! once a second (`fsync.rs`); under `no` the kernel decides.
//!
//! A rewrite (BGREWRITEAOF, the automatic rewrite as the file grows, or turning AOF on at run
//! time) opens a new incremental file first, then writes a snapshot of the dataset as the new
//! base while commands go on: an RDB preamble through the background save machinery
//! (`rdb::snapshot`), or commands that rebuild the dataset (`rewrite.rs`), made at once and
//! written on a thread. When the file is written, it is renamed into the directory, and the
//! files it covers are retired to history in the manifest and deleted.
//! Every change to the manifest goes through a temporary file, fsync and rename, so a crash at
//! any point leaves a manifest whose files hold every acknowledged write.
//!
//! Start-up loading (`load.rs`) reads the manifest and replays its files.

mod encoder;
mod fsync;
mod load;
pub mod manifest;
mod rewrite;

pub use encoder::{encode_command, StreamEncoder};
pub use load::{replay_commands, Replay};

use crate::rdb::snapshot::{key_save_time, Destination, Purpose};
use crate::server::Server;
use fsync::FsyncWorker;
use manifest::Manifest;
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

/// Whether AOF is on (Redis's `aof_state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AofState {
  Off,
  On,
  /// Turned on at run time: appends go to a temporary incremental file until the first
  /// rewrite has made a base.
  WaitRewrite,
}

/// `appendfsync`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsyncPolicy {
  Everysec,
  Always,
  No,
}

/// A base file being written: by a background save (`rdb::snapshot`), or, for a base of
/// commands, on a thread of its own.
struct Rewrite {
  thread: Option<JoinHandle<std::io::Result<()>>>,
  /// Where the thread writes it, renamed into the AOF directory when it is done.
  temporary: PathBuf,
  started_s: i64,
  started: Instant,
  /// Keys in the databases at the start: a rewrite of commands ends no sooner than
  /// `rdb-key-save-delay` lets it (see `rdb::snapshot::key_save_time`; a rewrite with an RDB
  /// preamble is held by the background save).
  keys: u64,
}

/// The AOF's state: the file appends go to, the manifest, and what INFO reports.
pub struct AppendOnly {
  pub state: AofState,
  /// Set once the host opened the AOF at start-up: from then on, CONFIG SET appendonly turns it
  /// on and off at once.
  pub live: bool,
  /// CONFIG SET appendonly yes asked for a start, made after the running commands.
  pub(crate) start_requested: bool,
  /// It asked inside a transaction: the start schedules its rewrite, as Redis's does.
  start_in_exec: bool,
  /// DEBUG AOF-FLUSH-SLEEP: microseconds to sleep before each write of the buffer, so that tests
  /// can see the file grow only before a reply goes out.
  pub(crate) flush_sleep_us: u64,
  encoder: StreamEncoder,
  buffer: Vec<u8>,
  file: Option<Arc<File>>,
  manifest: Manifest,
  /// Bytes of the base and incremental files (`aof_current_size`).
  current_size: u64,
  /// The size after the last rewrite (`aof_rewrite_base_size`), what growth is measured from.
  base_size: u64,
  /// Bytes written to the current incremental file, and how many of them are fsynced.
  incr_size: u64,
  incr_synced: u64,
  last_fsync_s: i64,
  fsync: FsyncWorker,
  rewrite: Option<Rewrite>,
  pub rewrite_scheduled: bool,
  rewrites: u64,
  consecutive_failures: u64,
  last_rewrite_failed: bool,
  last_rewrite_secs: i64,
  /// The error of the last failed write; writes are refused while it stands.
  write_error: Option<String>,
  /// When the rewrite limit (after repeated failures) lets the next automatic one start.
  limit_next_s: i64,
  limit_delay_minutes: i64,
}

impl Default for AppendOnly {
  fn default() -> Self {
    AppendOnly {
      state: AofState::Off,
      live: false,
      start_requested: false,
      start_in_exec: false,
      flush_sleep_us: 0,
      encoder: StreamEncoder::default(),
      buffer: Vec::new(),
      file: None,
      manifest: Manifest::default(),
      current_size: 0,
      base_size: 0,
      incr_size: 0,
      incr_synced: 0,
      last_fsync_s: 0,
      fsync: FsyncWorker::default(),
      rewrite: None,
      rewrite_scheduled: false,
      rewrites: 0,
      consecutive_failures: 0,
      last_rewrite_failed: false,
      last_rewrite_secs: -1,
      write_error: None,
      limit_next_s: 0,
      limit_delay_minutes: 0,
    }
  }
}

impl AppendOnly {
  /// CONFIG RESETSTAT: no rewrites counted, none failed in a row.
  pub(crate) fn reset_stats(&mut self) {
    self.rewrites = 0;
    self.consecutive_failures = 0;
  }

  /// BGREWRITEAOF asked for a rewrite: the limit after repeated failures no longer holds.
  pub(crate) fn reset_rewrite_failures(&mut self) {
    self.consecutive_failures = 0;
  }
}

/// The settings the AOF reads, from the configuration.
struct Names {
  /// `dir`: where the AOF directory and the rewrite's temporary file are.
  dir: PathBuf,
  /// `dir`/`appenddirname`.
  aof_dir: PathBuf,
  /// `appendfilename`: the prefix of every file name.
  prefix: String,
}

impl Names {
  fn of(server: &Server) -> Names {
    let stored = |name: &str, default: &str| server.config.stored.get(name).cloned().unwrap_or_else(|| default.into());
    let dir = server.config.data_dir();
    let aof_dir = dir.join(stored("appenddirname", "appendonlydir"));
    Names { dir, aof_dir, prefix: stored("appendfilename", "appendonly.aof") }
  }

  fn manifest_name(&self) -> String {
    format!("{}.manifest", self.prefix)
  }

  fn temporary_incremental(&self) -> String {
    format!("temp-{}.incr", self.prefix)
  }
}

fn unix_seconds() -> i64 {
  crate::server::now_ms() / 1000
}

/// A `yes`/`no` setting (`default` when it was never set).
fn setting(server: &Server, name: &str, default: bool) -> bool {
  server.config.stored.get(name).map_or(default, |value| value == "yes")
}

/// An integer setting (`default` when it was never set).
fn number(server: &Server, name: &str, default: u64) -> u64 {
  server.config.stored.get(name).and_then(|value| value.parse().ok()).unwrap_or(default)
}

impl Server {
  /// Bytes of the AOF buffer (INFO `mem_aof_buffer`; not counted for `maxmemory`).
  pub(crate) fn aof_buffer_memory(&self) -> u64 {
    if self.aof.state == AofState::Off {
      0
    } else {
      self.aof.buffer.capacity() as u64
    }
  }

  fn warn(&mut self, line: String) {
    self.telemetry.warn(line);
  }

  fn notice(&mut self, line: String) {
    self.telemetry.log_lines.push(line);
  }

  /// After commands ran: their writes go to the AOF (see the module comment), and a start that
  /// CONFIG SET asked for begins.
  #[inline]
  pub(crate) fn persist_writes(&mut self) {
    if self.repl.want_acks {
      self.ask_for_acks();
    }
    if self.aof.state == AofState::Off && !self.aof.start_requested {
      return;
    }
    self.persist_writes_now();
  }

  #[inline(never)]
  fn persist_writes_now(&mut self) {
    if self.aof.start_requested {
      self.aof.start_requested = false;
      let in_exec = std::mem::take(&mut self.aof.start_in_exec);
      if self.aof.state == AofState::Off && self.start_append_only(in_exec).is_err() {
        self.config.appendonly = false;
      }
    }
    if self.aof.state == AofState::Off {
      return;
    }
    let stamp = self.config.aof_timestamp_enabled.then(unix_seconds);
    if let Some(writes) = self.write_stream.as_mut() {
      let aof = &mut self.aof;
      aof.encoder.encode(writes, &mut aof.buffer, stamp);
      // Cleared, not taken: the stream keeps its capacity for the next call.
      writes.clear();
    }
    self.flush_append_only(false);
  }

  /// Writes the AOF buffer to the current file and fsyncs it as `appendfsync` says
  /// (Redis's `flushAppendOnlyFile`).
  pub(super) fn flush_append_only(&mut self, force: bool) {
    let policy = self.config.appendfsync;
    let now = unix_seconds();
    let aof = &mut self.aof;
    let Some(file) = aof.file.clone() else { return };
    if !aof.buffer.is_empty() {
      if aof.flush_sleep_us > 0 {
        std::thread::sleep(std::time::Duration::from_micros(aof.flush_sleep_us));
      }
      match (&*file).write_all(&aof.buffer) {
        Ok(()) => {
          aof.current_size += aof.buffer.len() as u64;
          aof.incr_size += aof.buffer.len() as u64;
          aof.buffer.clear();
          if aof.buffer.capacity() > 64 * 1024 {
            aof.buffer = Vec::new();
          }
          if aof.write_error.take().is_some() {
            self.telemetry.warn("AOF write error looks solved, Redis can write again.".into());
          }
        }
        Err(error) => {
          // A partial write is cut off again, so that the file ends at a whole command.
          let _ = file.set_len(aof.incr_size);
          if policy == FsyncPolicy::Always {
            self
              .telemetry
              .warn("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...".into());
            fatal_exit(&mut self.telemetry);
          }
          let first = aof.write_error.is_none();
          aof.write_error = Some(crate::error::errno_text(&error));
          if first {
            self.telemetry.warn(format!("Error writing to the AOF file: {}", crate::error::errno_text(&error)));
          }
          return;
        }
      }
    }
    let aof = &mut self.aof;
    if aof.incr_synced == aof.incr_size || (!force && policy == FsyncPolicy::No) {
      return;
    }
    match policy {
      FsyncPolicy::Always => {
        if let Err(error) = file.sync_data() {
          let line = format!(
            "Can't persist AOF for fsync error when the AOF fsync policy is 'always': {}. Exiting...",
            crate::error::errno_text(&error)
          );
          self.telemetry.warn(line);
          fatal_exit(&mut self.telemetry);
        }
        aof.incr_synced = aof.incr_size;
        aof.last_fsync_s = now;
      }
      FsyncPolicy::Everysec if now > aof.last_fsync_s || force => {
        if aof.fsync.pending() == 0 {
          aof.fsync.fsync(file);
          aof.incr_synced = aof.incr_size;
        }
        aof.last_fsync_s = now;
      }
      _ => {}
    }
  }

  /// The write error that makes the server refuse writes (Redis's MISCONF for AOF errors).
  pub(crate) fn aof_write_error(&self) -> Option<String> {
    if self.aof.state == AofState::Off {
      return None;
    }
    self.aof.write_error.clone().or_else(|| self.aof.fsync.failure())
  }

  /// Turns AOF on at run time (CONFIG SET appendonly yes): appends go to a temporary file
  /// until a rewrite has written the first base (Redis's `startAppendOnly`). The rewrite waits
  /// for a background save under way, and for the periodic work when AOF was turned on
  /// `in_exec`.
  fn start_append_only(&mut self, in_exec: bool) -> Result<(), ()> {
    self.aof.state = AofState::WaitRewrite;
    self.record_writes();
    if self.keyspace.bgsave.in_progress() {
      self.aof.rewrite_scheduled = true;
      self.warn(
        "AOF was enabled but there is already another background operation. An AOF background was scheduled to \
         start when possible."
          .into(),
      );
    } else if in_exec {
      self.aof.rewrite_scheduled = true;
      self.warn("AOF was enabled during a transaction. An AOF background was scheduled to start when possible.".into());
    } else if self.start_rewrite().is_err() {
      self.aof.state = AofState::Off;
      self.stop_recording_writes();
      self.warn(
        "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs \
         for more info about the error."
          .into(),
      );
      return Err(());
    }
    self.aof.last_fsync_s = unix_seconds();
    if self.aof.fsync.failure().is_some() {
      self.aof.fsync.clear_failure();
      self.warn("AOF reopen, just ignore the AOF fsync error in bio job".into());
    }
    if self.aof.write_error.take().is_some() {
      self.warn("AOF reopen, just ignore the last error.".into());
    }
    Ok(())
  }

  /// Turns AOF off at run time (CONFIG SET appendonly no): the file is flushed, fsynced and
  /// closed, and a rewrite under way is abandoned.
  pub(crate) fn stop_append_only(&mut self) {
    self.flush_append_only(true);
    if let Some(file) = self.aof.file.take() {
      if let Err(error) = file.sync_data() {
        self.warn(format!("Fail to fsync the AOF file: {}", crate::error::errno_text(&error)));
      }
    }
    let aof = &mut self.aof;
    aof.state = AofState::Off;
    aof.rewrite_scheduled = false;
    aof.incr_size = 0;
    aof.incr_synced = 0;
    aof.buffer.clear();
    aof.encoder.reselect();
    if let Some(rewrite) = aof.rewrite.take() {
      self.notice("Killing running AOF rewrite child".into());
      self.stop_rewrite(rewrite);
    }
    self.stop_recording_writes();
  }

  /// The `appendonly` setting changed: at run time AOF starts (after the running commands) or
  /// stops; at start-up only the setting is kept, for [`crate::Engine::open_append_only`].
  pub(crate) fn appendonly_changed(&mut self, on: bool) {
    self.config.appendonly = on;
    if !self.aof.live {
      return;
    }
    match (on, self.aof.state) {
      (true, AofState::Off) => {
        self.aof.start_requested = true;
        self.aof.start_in_exec = self.running.in_exec;
      }
      (false, AofState::On | AofState::WaitRewrite) => self.stop_append_only(),
      (false, AofState::Off) => self.aof.start_requested = false,
      _ => {}
    }
  }

  /// Starts a rewrite: a new incremental file for the appends from now on, the snapshot, and a
  /// thread that writes it (Redis's `rewriteAppendOnlyFileBackground`).
  pub(crate) fn start_rewrite(&mut self) -> Result<(), ()> {
    if self.aof.rewrite.is_some() || self.keyspace.bgsave.in_progress() || self.snapshot_in_progress() {
      return Err(());
    }
    let names = Names::of(self);
    if !self.create_aof_dir(&names) {
      self.aof.last_rewrite_failed = true;
      return Err(());
    }
    self.aof.encoder.reselect();
    self.flush_append_only(true);
    if self.aof.state != AofState::Off && self.open_new_incremental(&names).is_err() {
      self.aof.last_rewrite_failed = true;
      return Err(());
    }
    self.aof.rewrites += 1;
    let temporary = names.dir.join(format!("temp-rewriteaof-bg-{}.aof", std::process::id()));
    let now = crate::server::now_ms();
    let thread = if setting(self, "aof-use-rdb-preamble", true) {
      if let Err(error) =
        self.start_snapshot(Purpose::AofBase, Destination::File { temporary: temporary.clone(), target: None }, now)
      {
        self.warn(format!("Can't rewrite append only file in background: {}", crate::error::errno_text(&error)));
        self.aof.last_rewrite_failed = true;
        return Err(());
      }
      None
    } else {
      let base = rewrite::commands(self, now);
      let path = temporary.clone();
      self.telemetry.stats.total_forks += 1;
      Some(std::thread::spawn(move || write_durably(&path, &base)))
    };
    let keys = self.keyspace.key_count();
    self.aof.rewrite = Some(Rewrite { thread, temporary, started_s: unix_seconds(), started: Instant::now(), keys });
    self.aof.rewrite_scheduled = false;
    self.notice(format!("Background append only file rewriting started by pid {}", std::process::id()));
    Ok(())
  }

  /// Creates the AOF directory if it is missing; `false` (logged as Redis logs it) when it
  /// cannot be.
  fn create_aof_dir(&mut self, names: &Names) -> bool {
    let Err(error) = fs::create_dir_all(&names.aof_dir) else { return true };
    let line =
      format!("Can't open or create append-only dir {}: {}", names.aof_dir.display(), crate::error::errno_text(&error));
    self.warn(line);
    false
  }

  /// Opens the incremental file appends go to from now on (the temporary one while waiting
  /// for the first rewrite), listing it in the manifest (Redis's `openNewIncrAofForAppend`).
  fn open_new_incremental(&mut self, names: &Names) -> Result<(), ()> {
    let mut manifest = self.aof.manifest.clone();
    let name = if self.aof.state == AofState::WaitRewrite {
      names.temporary_incremental()
    } else {
      manifest.new_incremental(&names.prefix)
    };
    let opened = OpenOptions::new().write(true).create(true).truncate(true).open(names.aof_dir.join(&name));
    let file = match opened {
      Ok(file) => file,
      Err(error) => {
        self.warn(format!("Can't open the append-only file {name}: {}", crate::error::errno_text(&error)));
        return Err(());
      }
    };
    if self.aof.state != AofState::WaitRewrite {
      if let Err(line) = write_manifest(names, &manifest) {
        self.warn(line);
        return Err(());
      }
      self.aof.manifest = manifest;
    }
    self.notice(format!("Creating AOF incr file {name} on background rewrite"));
    if let Some(previous) = self.aof.file.replace(Arc::new(file)) {
      self.aof.fsync.fsync(previous);
    }
    self.aof.last_fsync_s = unix_seconds();
    self.aof.incr_size = 0;
    self.aof.incr_synced = 0;
    Ok(())
  }

  /// The periodic part: a finished rewrite, a scheduled or automatic one, retrying a failed
  /// write, and the once-a-second fsync of `everysec` when no write came to do it.
  pub(crate) fn append_only_cron(&mut self) {
    let key_delay = self.config.rdb_key_save_delay;
    let finished = self.aof.rewrite.as_mut().and_then(|rewrite| {
      let due = rewrite.started.elapsed() >= key_save_time(key_delay, rewrite.keys);
      let thread = rewrite.thread.take_if(|thread| due && thread.is_finished())?;
      Some(thread.join().unwrap_or_else(|_| Err(std::io::Error::other("rewrite thread panicked"))))
    });
    if let Some(result) = finished {
      self.rewrite_done(result);
    }
    let idle = self.aof.rewrite.is_none() && !self.keyspace.bgsave.in_progress();
    if idle && self.aof.rewrite_scheduled && !self.rewrite_limited() {
      let _ = self.start_rewrite();
    }
    let percentage = number(self, "auto-aof-rewrite-percentage", 100);
    let min_size = number(self, "auto-aof-rewrite-min-size", 64 * 1024 * 1024);
    let aof = &self.aof;
    if idle && aof.state == AofState::On && percentage > 0 && aof.current_size > min_size {
      let growth = (aof.current_size * 100 / aof.base_size.max(1)) as i64 - 100;
      if growth >= percentage as i64 && !self.rewrite_limited() {
        self.notice(format!("Starting automatic rewriting of AOF on {growth}% growth"));
        let _ = self.start_rewrite();
      }
    }
    if self.aof.state != AofState::Off {
      self.flush_append_only(false);
    }
  }

  /// After repeated failed rewrites, automatic ones wait 1, 2, 4… up to 60 minutes
  /// (Redis's `aofRewriteLimited`).
  fn rewrite_limited(&mut self) -> bool {
    let now = unix_seconds();
    let aof = &mut self.aof;
    if aof.consecutive_failures < 3 {
      aof.limit_delay_minutes = 0;
      aof.limit_next_s = 0;
      return false;
    }
    if aof.limit_next_s != 0 {
      if now < aof.limit_next_s {
        return true;
      }
      aof.limit_next_s = 0;
      return false;
    }
    aof.limit_delay_minutes = if aof.limit_delay_minutes == 0 { 1 } else { (aof.limit_delay_minutes * 2).min(60) };
    aof.limit_next_s = now + aof.limit_delay_minutes * 60;
    let minutes = aof.limit_delay_minutes;
    self.warn(format!(
      "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {minutes} minutes"
    ));
    true
  }

  /// A rewrite's base file is written (or could not be): on success it becomes the base, and
  /// the files it covers become history and are deleted (Redis's
  /// `backgroundRewriteDoneHandler`).
  pub(crate) fn rewrite_done(&mut self, written: std::io::Result<()>) {
    let Some(rewrite) = self.aof.rewrite.take() else { return };
    self.aof.last_rewrite_secs = unix_seconds() - rewrite.started_s;
    let names = Names::of(self);
    let outcome = match written {
      Ok(()) => {
        self.notice("Background AOF rewrite terminated with success".into());
        self.install_rewrite(&names, &rewrite.temporary)
      }
      Err(error) => {
        self.warn(format!("Background AOF rewrite terminated with error: {}", crate::error::errno_text(&error)));
        Err(())
      }
    };
    let _ = fs::remove_file(&rewrite.temporary);
    match outcome {
      Ok(()) => {
        self.aof.last_rewrite_failed = false;
        self.aof.consecutive_failures = 0;
        self.notice("Background AOF rewrite finished successfully".into());
      }
      Err(()) => {
        self.aof.last_rewrite_failed = true;
        self.aof.consecutive_failures += 1;
        if self.aof.state == AofState::WaitRewrite {
          // The appends made meanwhile were for the base that failed; the next try starts over.
          self.aof.buffer.clear();
          let temporary = names.temporary_incremental();
          self.notice(format!("Removing the temp incr aof file {temporary} in the background"));
          let _ = fs::remove_file(names.aof_dir.join(temporary));
          self.aof.rewrite_scheduled = true;
        }
      }
    }
  }

  /// Moves a finished rewrite's file in as the new base and updates the manifest.
  fn install_rewrite(&mut self, names: &Names, temporary: &Path) -> Result<(), ()> {
    let mut manifest = self.aof.manifest.clone();
    let rdb = setting(self, "aof-use-rdb-preamble", true);
    let base = manifest.new_base(&names.prefix, rdb);
    let base_path = names.aof_dir.join(&base);
    if let Err(error) = fs::rename(temporary, &base_path) {
      let line = format!(
        "Error trying to rename the temporary AOF base file {} into {}: {}",
        temporary.display(),
        base_path.display(),
        crate::error::errno_text(&error)
      );
      self.warn(line);
      return Err(());
    }
    let temporary_name = temporary.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    self.notice(format!("Successfully renamed the temporary AOF base file {temporary_name} into {base}"));
    let mut new_incremental = None;
    if self.aof.state == AofState::WaitRewrite {
      let from = names.temporary_incremental();
      let name = manifest.new_incremental(&names.prefix);
      if let Err(error) = fs::rename(names.aof_dir.join(&from), names.aof_dir.join(&name)) {
        let line = format!(
          "Error trying to rename the temporary AOF incr file {from} into {name}: {}",
          crate::error::errno_text(&error)
        );
        self.warn(line);
        let _ = fs::remove_file(&base_path);
        return Err(());
      }
      self.notice(format!("Successfully renamed the temporary AOF incr file {from} into {name}"));
      new_incremental = Some(name);
    }
    manifest.retire_rewritten_incrementals(self.aof.file.is_some());
    if let Err(line) = write_manifest(names, &manifest) {
      self.warn(line);
      let _ = fs::remove_file(&base_path);
      if let Some(name) = new_incremental {
        let _ = fs::remove_file(names.aof_dir.join(name));
      }
      return Err(());
    }
    self.aof.manifest = manifest;
    let base_size = fs::metadata(&base_path).map(|m| m.len()).unwrap_or(0);
    self.aof.current_size = base_size + self.aof.incr_size;
    self.aof.base_size = self.aof.current_size;
    self.delete_history(names);
    if self.aof.state == AofState::WaitRewrite {
      self.aof.state = AofState::On;
    }
    Ok(())
  }

  /// Deletes the history files and drops them from the manifest (Redis's
  /// `aofDelHistoryFiles`); a failure here loses nothing.
  fn delete_history(&mut self, names: &Names) {
    if self.aof.manifest.history.is_empty() || setting(self, "aof-disable-auto-gc", false) {
      return;
    }
    for file in std::mem::take(&mut self.aof.manifest.history) {
      self.notice(format!("Removing the history file {} in the background", file.name));
      let _ = fs::remove_file(names.aof_dir.join(&file.name));
    }
    if let Err(line) = write_manifest(names, &self.aof.manifest) {
      self.warn(line);
    }
  }

  /// Before the process exits (Redis's `prepareForShutdown`): a background save or rewrite
  /// under way is abandoned, so that it cannot put an older file in place of the one a
  /// shutdown saves, and the AOF buffer is written and the file fsynced, whatever the policy.
  pub fn prepare_shutdown(&mut self) {
    crate::cmd::server::persistence::kill_background_save(self);
    if self.aof.rewrite.is_some() {
      self.warn("There is a child rewriting the AOF. Killing it!".into());
      if let Some(rewrite) = self.aof.rewrite.take() {
        self.stop_rewrite(rewrite);
      }
    }
    if self.aof.state == AofState::Off {
      return;
    }
    self.flush_append_only(true);
    if let Some(file) = self.aof.file.as_ref() {
      let _ = file.sync_data();
    }
  }

  /// Abandons a rewrite under way, deleting what it wrote.
  fn stop_rewrite(&mut self, rewrite: Rewrite) {
    match rewrite.thread {
      Some(thread) => {
        let _ = thread.join();
      }
      None => self.abandon_snapshot(),
    }
    let _ = fs::remove_file(&rewrite.temporary);
  }

  /// INFO's AOF fields of the Persistence section.
  pub(crate) fn append_only_info(&self, now_s: i64, text: &mut crate::cmd::server::info::Text) {
    let aof = &self.aof;
    text.field("aof_enabled", (aof.state != AofState::Off) as i64);
    text.field("aof_rewrite_in_progress", aof.rewrite.is_some() as i64);
    text.field("aof_rewrite_scheduled", aof.rewrite_scheduled as i64);
    text.field("aof_last_rewrite_time_sec", aof.last_rewrite_secs);
    let current = aof.rewrite.as_ref().map_or(-1, |rewrite| now_s - rewrite.started_s);
    text.field("aof_current_rewrite_time_sec", current);
    text.field("aof_last_bgrewrite_status", if aof.last_rewrite_failed { "err" } else { "ok" });
    text.field("aof_rewrites", aof.rewrites);
    text.field("aof_rewrites_consecutive_failures", aof.consecutive_failures);
    text.field("aof_last_write_status", if self.aof_write_error().is_some() { "err" } else { "ok" });
    for name in ["aof_last_cow_size", "module_fork_in_progress", "module_fork_last_cow_size"] {
      text.field(name, 0);
    }
    if self.config.appendonly {
      text.field("aof_current_size", aof.current_size);
      text.field("aof_base_size", aof.base_size);
      text.field("aof_pending_rewrite", aof.rewrite_scheduled as i64);
      text.field("aof_buffer_length", aof.buffer.len());
      text.field("aof_pending_bio_fsync", aof.fsync.pending());
      text.field("aof_delayed_fsync", 0);
    }
  }

  /// Whether a background AOF rewrite is under way.
  pub(crate) fn aof_rewrite_in_progress(&self) -> bool {
    self.aof.rewrite.is_some()
  }

  fn stop_recording_writes(&mut self) {
    self.write_stream = None;
  }
}

/// An AOF error the server cannot survive under `appendfsync always` (an acknowledged write
/// might not be on disk): the pending log lines go to standard error, and the process exits.
fn fatal_exit(telemetry: &mut crate::cmd::server::Telemetry) -> ! {
  for line in telemetry.log_lines.drain(..) {
    eprintln!("{} {line}", std::process::id());
  }
  std::process::exit(1);
}

/// Writes `data` to `path` and fsyncs it.
fn write_durably(path: &Path, data: &[u8]) -> std::io::Result<()> {
  let mut file = File::create(path)?;
  file.write_all(data)?;
  file.sync_all()
}

/// Replaces the manifest file: a temporary file, fsync, rename, and an fsync of the directory
/// (Redis's `writeAofManifestFile`). The error is the line to log.
fn write_manifest(names: &Names, manifest: &Manifest) -> Result<(), String> {
  let name = names.manifest_name();
  let temporary_name = format!("temp-{name}");
  let temporary = names.aof_dir.join(&temporary_name);
  let text = manifest.to_text();
  let written = File::create(&temporary).and_then(|mut file| {
    file.write_all(text.as_bytes())?;
    file.sync_all()
  });
  if let Err(error) = written {
    return Err(format!(
      "Error trying to write the temporary AOF manifest file {temporary_name}: {}",
      crate::error::errno_text(&error)
    ));
  }
  if let Err(error) = fs::rename(&temporary, names.aof_dir.join(&name)) {
    return Err(format!(
      "Error trying to rename the temporary AOF manifest file {temporary_name} into {name}: {}",
      crate::error::errno_text(&error)
    ));
  }
  sync_directory(&names.aof_dir).map_err(|error| {
    format!("Fail to fsync AOF directory {}: {}.", names.aof_dir.display(), crate::error::errno_text(&error))
  })
}

/// Flushes a directory's entries (new and renamed files) to disk.
fn sync_directory(dir: &Path) -> std::io::Result<()> {
  File::open(dir)?.sync_all()
}
