//! Loading the AOF at start-up, as Redis 7.0 does (`loadAppendOnlyFiles`): the manifest's base
//! file (an RDB file, or commands), then its incremental files in order; then the file appends
//! go to is opened, creating the directory, a base and an incremental file when there are none,
//! and history files are deleted.
//!
//! Commands are read as strictly as Redis reads them: `#` lines are annotations, anything else
//! that is not a RESP array of bulk strings is a bad format, an unknown command stops the
//! load. A file that ends inside a command, or inside a MULTI without its EXEC, is truncated:
//! with `aof-load-truncated` (the default) the last file is cut back to its last complete
//! command and the load goes on, as Redis logs it; otherwise the server does not start.
//! An old single-file `appendonly.aof` in `dir` is moved into the directory as the base first.

use super::manifest::{Manifest, ManifestError};
use super::{setting, write_durably, write_manifest, AofState, Names};
use crate::engine::Engine;
use std::fs::{self, OpenOptions};
use std::sync::Arc;
use std::time::Instant;

/// What replaying a file's commands found.
#[derive(Debug, PartialEq, Eq)]
pub enum Replay {
  /// Every command ran; how many.
  Complete(u64),
  /// The data ends inside a command or an unfinished transaction: the commands before it ran,
  /// and `valid` is the length of the part made of whole commands outside any transaction.
  Truncated { commands: u64, valid: usize },
  /// Something other than a command where one should start.
  BadFormat,
  /// A command this server does not know.
  UnknownCommand(String),
}

/// Runs the commands of an AOF (`data`, after any RDB preamble) on a session of its own,
/// discarding their replies and recording no writes.
pub fn replay_commands(engine: &mut Engine, data: &[u8]) -> Replay {
  let peer = crate::session::Peer { fd: -1, origin: crate::session::Origin::Embedded, ..Default::default() };
  let slot = engine.open(peer);
  if let Some(session) = engine.clients.session_mut(slot) {
    session.authenticated = true;
    session.acl_exempt = true;
    session.aof_loader = true;
  }
  let recording = engine.write_stream.take();
  // Nothing expires while the file loads, as in Redis: a later command of the file may still
  // find a key whose time has passed since.
  engine.keyspace.suspend_expiry(true);
  let replay = replay_on(engine, slot, data);
  engine.keyspace.suspend_expiry(false);
  engine.close(slot);
  engine.write_stream = recording;
  replay
}

fn replay_on(engine: &mut Engine, slot: u32, data: &[u8]) -> Replay {
  let (mut at, mut valid, mut valid_before_multi, mut commands) = (0usize, 0usize, 0usize, 0u64);
  let mut argv: Vec<&[u8]> = Vec::new();
  let truncated = |commands, valid| Replay::Truncated { commands, valid };
  while at < data.len() {
    let line = next_line(data, &mut at);
    match line.first() {
      Some(b'#') => continue,
      Some(b'*') => {}
      _ => return Replay::BadFormat,
    }
    if line.len() == 1 && at == data.len() {
      return truncated(commands, valid);
    }
    let count = leading_number(&line[1..]);
    if count < 1 {
      return Replay::BadFormat;
    }
    argv.clear();
    for _ in 0..count {
      if at == data.len() {
        return truncated(commands, valid);
      }
      let line = next_line(data, &mut at);
      if line.first() != Some(&b'$') {
        return Replay::BadFormat;
      }
      let len = leading_number(&line[1..]).max(0) as usize;
      if data.len() - at < len.saturating_add(2) {
        return truncated(commands, valid);
      }
      argv.push(&data[at..at + len]);
      at += len + 2;
    }
    let Some(spec) = crate::cmd::table::lookup(argv[0]) else {
      return Replay::UnknownCommand(String::from_utf8_lossy(argv[0]).into_owned());
    };
    if spec.name == "multi" {
      valid_before_multi = valid;
    }
    engine.call(slot, &argv);
    commands += 1;
    valid = at;
  }
  let in_multi = engine.clients.session_mut(slot).is_some_and(|session| session.multi.is_some());
  if in_multi {
    return truncated(commands, valid_before_multi);
  }
  Replay::Complete(commands)
}

/// The line starting at `*at` (without its line break, at most Redis's 1024 bytes), moving
/// `*at` past it.
fn next_line<'a>(data: &'a [u8], at: &mut usize) -> &'a [u8] {
  let rest = &data[*at..];
  let end = rest.iter().take(1023).position(|&b| b == b'\n').map_or(rest.len().min(1023), |end| end + 1);
  *at += end;
  let line = &rest[..end];
  line.strip_suffix(b"\n").map(|l| l.strip_suffix(b"\r").unwrap_or(l)).unwrap_or(line)
}

/// `atoi`/`strtol`: the integer at the start of `text` (0 when there is none).
fn leading_number(text: &[u8]) -> i64 {
  let digits = text.iter().skip(usize::from(text.first() == Some(&b'-'))).take_while(|b| b.is_ascii_digit()).count();
  let end = digits + usize::from(text.first() == Some(&b'-'));
  std::str::from_utf8(&text[..end]).ok().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// How loading one file went.
enum FileLoad {
  Loaded,
  Empty,
  /// Truncated, and cut back under `aof-load-truncated`.
  Truncated,
  Failed,
}

impl Engine {
  /// Start-up: reads the AOF manifest and, with `appendonly yes`, loads the AOF and opens it
  /// for appending (see the module comment). The log lines say what happened; `false` means
  /// the server must not start.
  pub fn open_append_only(&mut self) -> bool {
    let names = Names::of(self);
    let manifest_path = names.aof_dir.join(names.manifest_name());
    if manifest_path.exists() && !self.read_manifest(&manifest_path) {
      return false;
    }
    self.aof.live = true;
    if !self.config.appendonly {
      return true;
    }
    let started = Instant::now();
    match self.load_append_only_files(&names) {
      None => return false,
      Some(false) => {}
      Some(true) => {
        let line = format!("DB loaded from append only file: {:.3} seconds", started.elapsed().as_secs_f64());
        self.notice(line);
      }
    }
    self.open_for_appending(&names)
  }

  /// DEBUG LOADAOF, handed over by the command: the AOF is written out, the databases emptied,
  /// and the files the manifest on disk lists loaded again. `false` when they cannot be (the
  /// server then exits, as Redis does).
  pub fn debug_load_aof(&mut self) -> bool {
    if self.aof.state != AofState::Off {
      self.persist_writes();
      self.flush_append_only(true);
    }
    for db in &mut self.keyspace.dbs {
      db.clear();
    }
    let names = Names::of(self);
    let manifest_path = names.aof_dir.join(names.manifest_name());
    self.aof.manifest = Default::default();
    if manifest_path.exists() && !self.read_manifest(&manifest_path) {
      return false;
    }
    self.delete_history(&names);
    if self.load_append_only_files(&names).is_none() {
      return false;
    }
    self.keyspace.dirty = 0;
    self.warn("Append Only File loaded by DEBUG LOADAOF".into());
    true
  }

  /// Loads the files of the manifest; `Some(false)` when there are none, `None` when the
  /// server must not start. The server counts as loading meanwhile, and no longer after, even
  /// when a panic ends the load (the host survives it and serves on).
  fn load_append_only_files(&mut self, names: &Names) -> Option<bool> {
    self.loading_append_only = true;
    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_append_only_files(names)));
    self.loading_append_only = false;
    loaded.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
  }

  fn read_append_only_files(&mut self, names: &Names) -> Option<bool> {
    let old_style = names.dir.join(&names.prefix);
    let manifest = &self.aof.manifest;
    let lone_old_base = manifest.incremental.is_empty()
      && manifest.base.as_ref().is_some_and(|base| base.name == names.prefix)
      && !names.aof_dir.join(&names.prefix).exists();
    if old_style.is_file() && (!names.aof_dir.is_dir() || manifest.is_empty() || lone_old_base) {
      self.upgrade_old_style(names, &old_style)?;
    }
    let manifest = self.aof.manifest.clone();
    if manifest.is_empty() {
      return Some(false);
    }
    let files: Vec<_> = manifest.base.iter().chain(&manifest.incremental).collect();
    let mut total = 0;
    for file in &files {
      match fs::metadata(names.aof_dir.join(&file.name)) {
        Ok(meta) => total += meta.len(),
        Err(error) => {
          let line =
            format!("Unable to obtain the AOF file {} length. stat: {}", file.name, crate::error::errno_text(&error));
          self.warn(line);
          return None;
        }
      }
    }
    if total == 0 {
      return Some(true);
    }
    for (index, file) in files.iter().enumerate() {
      let last = index + 1 == files.len();
      let started = Instant::now();
      let kind = if manifest.base.as_ref() == Some(file) { "base" } else { "incr" };
      match self.load_one(names, &file.name) {
        FileLoad::Failed => return None,
        FileLoad::Truncated if !last => {
          self.warn("Fatal error: the truncated file is not the last file".into());
          return None;
        }
        FileLoad::Empty => {}
        FileLoad::Loaded | FileLoad::Truncated => {
          let line =
            format!("DB loaded from {kind} file {}: {:.3} seconds", file.name, started.elapsed().as_secs_f64());
          self.notice(line);
        }
      }
    }
    let base_size =
      manifest.base.as_ref().and_then(|base| fs::metadata(names.aof_dir.join(&base.name)).ok()).map_or(0, |m| m.len());
    self.aof.current_size = total;
    self.aof.base_size = base_size;
    Some(true)
  }

  /// Reads the manifest at `path` into the AOF's state; `false` (with Redis's log lines) when it
  /// cannot be read or is malformed.
  fn read_manifest(&mut self, path: &std::path::Path) -> bool {
    let text = match fs::read(path) {
      Ok(text) => text,
      Err(error) => {
        let line = format!(
          "Fatal error: can't open the AOF manifest file {} for reading: {}",
          path.display(),
          crate::error::errno_text(&error)
        );
        self.warn(line);
        return false;
      }
    };
    match Manifest::parse(&text) {
      Ok(manifest) => {
        self.aof.manifest = manifest;
        true
      }
      Err(ManifestError { message, line }) => {
        self.warn("*** FATAL AOF MANIFEST FILE ERROR ***".into());
        if let Some((number, text)) = line {
          self.warn(format!("Reading the manifest file, at line {number}"));
          self.warn(format!(">>> '{text}'"));
        }
        self.warn(message.into());
        false
      }
    }
  }

  /// Moves an old single-file AOF into the directory as its base (Redis's `aofUpgradePrepare`).
  fn upgrade_old_style(&mut self, names: &Names, old_style: &std::path::Path) -> Option<()> {
    if !self.create_aof_dir(names) {
      return None;
    }
    let manifest = &mut self.aof.manifest;
    manifest.base =
      Some(super::manifest::AofFile { name: names.prefix.clone(), seq: 1, kind: super::manifest::FileKind::Base });
    manifest.base_seq = 1;
    if let Err(line) = write_manifest(names, manifest) {
      self.warn(line);
      return None;
    }
    if let Err(error) = fs::rename(old_style, names.aof_dir.join(&names.prefix)) {
      let line = format!(
        "Error trying to move the old AOF file {} into dir {}: {}",
        names.prefix,
        names.aof_dir.display(),
        crate::error::errno_text(&error)
      );
      self.warn(line);
      return None;
    }
    let line = format!(
      "Successfully migrated an old-style AOF file ({}) into the AOF directory ({}).",
      names.prefix,
      names.aof_dir.display()
    );
    self.notice(line);
    Some(())
  }

  /// Loads one file of the AOF (Redis's `loadSingleAppendOnlyFile`).
  fn load_one(&mut self, names: &Names, name: &str) -> FileLoad {
    let path = names.aof_dir.join(name);
    let data = match fs::read(&path) {
      Ok(data) => data,
      Err(error) => {
        let line = format!(
          "Fatal error: can't open the append log file {name} for reading: {}",
          crate::error::errno_text(&error)
        );
        self.warn(line);
        return FileLoad::Failed;
      }
    };
    if data.is_empty() {
      return FileLoad::Empty;
    }
    let mut commands = &data[..];
    if data.starts_with(b"REDIS") {
      let old_style = name == names.prefix;
      self.notice(
        if old_style { "Reading RDB preamble from AOF file..." } else { "Reading RDB base file on AOF loading..." }
          .into(),
      );
      match crate::rdb::file::load_snapshot(self, &data, crate::server::now_ms()) {
        Ok(loaded) => {
          self.telemetry.log_lines.push(loaded.done_line());
          commands = &data[loaded.consumed..];
          if old_style {
            self.notice("Reading the remaining AOF tail...".into());
          }
        }
        Err(_) => {
          let line = if old_style {
            format!("Error reading the RDB preamble of the AOF file {name}, AOF loading aborted")
          } else {
            format!("Error reading the RDB base file {name}, AOF loading aborted")
          };
          self.warn(line);
          return FileLoad::Failed;
        }
      }
    }
    let consumed = data.len() - commands.len();
    match replay_commands(self, commands) {
      Replay::Complete(_) => FileLoad::Loaded,
      Replay::BadFormat => {
        self.warn(format!(
          "Bad file format reading the append only file {name}: make a backup of your AOF file, then use \
           ./redis-check-aof --fix <filename.manifest>"
        ));
        FileLoad::Failed
      }
      Replay::UnknownCommand(command) => {
        self.warn(format!("Unknown command '{command}' reading the append only file {name}"));
        FileLoad::Failed
      }
      Replay::Truncated { valid, .. } => {
        let valid = (consumed + valid) as u64;
        if setting(self, "aof-load-truncated", true) {
          self.warn(format!("!!! Warning: short read while loading the AOF file {name}!!!"));
          self.warn(format!("!!! Truncating the AOF {name} at offset {valid} !!!"));
          let cut = OpenOptions::new().write(true).open(&path).and_then(|file| file.set_len(valid));
          match cut {
            Ok(()) => {
              self.warn(format!("AOF {name} loaded anyway because aof-load-truncated is enabled"));
              return FileLoad::Truncated;
            }
            Err(error) => {
              let line = format!("Error truncating the AOF file {name}: {}", crate::error::errno_text(&error));
              self.warn(line);
            }
          }
        }
        self.warn(format!(
          "Unexpected end of file reading the append only file {name}. You can: 1) Make a backup of your AOF \
           file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the \
           'aof-load-truncated' configuration option to yes and restart the server."
        ));
        FileLoad::Failed
      }
    }
  }

  /// Opens the file appends go to, creating the directory, a base for an empty dataset and an
  /// incremental file as needed, and deletes history (Redis's `aofOpenIfNeededOnServerStart`).
  fn open_for_appending(&mut self, names: &Names) -> bool {
    let server = &mut **self;
    if !server.create_aof_dir(names) {
      return false;
    }
    let had_incremental = !server.aof.manifest.incremental.is_empty();
    if server.aof.manifest.is_empty() {
      let rdb = setting(server, "aof-use-rdb-preamble", true);
      let base = server.aof.manifest.new_base(&names.prefix, rdb);
      let now = crate::server::now_ms();
      let data = if rdb {
        crate::rdb::file::write_snapshot_with(server, now, true)
      } else {
        super::rewrite::commands(server, now)
      };
      let temporary = names.dir.join(format!("temp-rewriteaof-{}.aof", std::process::id()));
      let written = write_durably(&temporary, &data).and_then(|()| fs::rename(&temporary, names.aof_dir.join(&base)));
      if let Err(error) = written {
        server.warn(format!("Write error writing append only file on disk: {}", crate::error::errno_text(&error)));
        let _ = fs::remove_file(&temporary);
        return false;
      }
      server.notice(format!("Creating AOF base file {base} on server start"));
      server.aof.current_size = data.len() as u64;
      server.aof.base_size = data.len() as u64;
    }
    let name = server.aof.manifest.last_incremental(&names.prefix);
    let file = match OpenOptions::new().append(true).create(true).open(names.aof_dir.join(&name)) {
      Ok(file) => file,
      Err(error) => {
        server.warn(format!("Can't open the append-only file {name}: {}", crate::error::errno_text(&error)));
        return false;
      }
    };
    if let Err(line) = write_manifest(names, &server.aof.manifest) {
      server.warn(line);
      return false;
    }
    let size = file.metadata().map_or(0, |m| m.len());
    let aof = &mut server.aof;
    aof.file = Some(Arc::new(file));
    aof.incr_size = size;
    aof.incr_synced = size;
    aof.state = AofState::On;
    aof.last_fsync_s = super::unix_seconds();
    let verb = if had_incremental { "Opening" } else { "Creating" };
    server.notice(format!("{verb} AOF incr file {name} on server start"));
    server.delete_history(names);
    server.record_writes();
    true
  }
}
