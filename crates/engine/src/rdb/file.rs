//! RDB files: the whole dataset in Redis 7.0's format (version 10), as SAVE writes it and as
//! start-up and DEBUG RELOAD read it.
//!
//! A file is the magic `REDIS` and a four-digit version, auxiliary fields (`redis-ver`,
//! `redis-bits`, `ctime`, `used-mem`, `aof-base`), the function libraries (one `FUNCTION2`
//! opcode and the library's code each), then per non-empty database a `SELECTDB` and a
//! `RESIZEDB` (keys, keys with a time to live) and its keys: an optional `EXPIRETIME_MS`, the
//! `IDLE` or `FREQ` the eviction policy keeps, the value's type byte, the key and the value
//! ([`super::value`]). `EOF` and the CRC-64 of everything before it (zero when `rdbchecksum`
//! is off) close it.
//!
//! The reader takes every version from 1 to 10: the older opcodes (`EXPIRETIME` in seconds,
//! `FUNCTION` of 7.0's release candidates) and value encodings ([`super::value::read_payload`]).
//! Keys that already expired are skipped, as Redis's master does at load; so are empty
//! collections older versions could write. Whatever the file, reading fails with an error and
//! never panics; the caller then keeps what it had.

use super::encoding::{write_len, write_string, RdbError, Reader};
use super::value::{read_payload, write_value, Settings};
use super::{RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RDB_VERSION};
use crate::cmd::server::WARNING_MARK;
use crate::db::{access, NO_EXPIRE};
use crate::server::Server;

const OPCODE_MODULE_AUX: u8 = 247;
const OPCODE_IDLE: u8 = 248;
const OPCODE_FREQ: u8 = 249;
const OPCODE_AUX: u8 = 250;
const OPCODE_RESIZEDB: u8 = 251;
const OPCODE_EXPIRETIME_MS: u8 = 252;
const OPCODE_EXPIRETIME: u8 = 253;
const OPCODE_SELECTDB: u8 = 254;
pub(crate) const OPCODE_EOF: u8 = 255;

/// What a load found, for the log lines.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
  pub keys: u64,
  /// The keys skipped as expired, with their databases: a master propagates their deletion.
  pub expired_keys: Vec<(usize, Vec<u8>)>,
  pub empty_skipped: u64,
  pub libraries: u64,
  /// The replication history the data belongs to (`repl-id`, `repl-offset`,
  /// `repl-stream-db`), when the file says.
  pub replication: Option<(String, i64, usize)>,
  /// The length of the file (what follows is not part of it: an AOF's commands after its RDB
  /// preamble).
  pub consumed: usize,
}

impl Loaded {
  /// The log line that ends a load, as Redis words it: a warning when empty keys were
  /// skipped (see `Telemetry::log_lines` for the mark).
  pub fn done_line(&self) -> String {
    let counts = format!("keys loaded: {}, keys expired: {}", self.keys, self.expired_keys.len());
    match self.empty_skipped {
      0 => format!("Done loading RDB, {counts}."),
      empty => format!("{WARNING_MARK}Done loading RDB, {counts}, empty keys skipped: {empty}."),
    }
  }
}

/// The lines Redis logs when it cannot load an RDB file at start-up, for `error`: a file cut
/// short, or whose checksum is wrong, also gets the line of Redis's `rdbReportError`.
pub fn load_failure_lines(error: &RdbError) -> Vec<String> {
  match error {
    RdbError::Truncated => {
      vec!["Short read or OOM loading DB. Unrecoverable error, aborting now.".into(), error.report_line()]
    }
    RdbError::Checksum { computed, stored } => vec![
      format!("Wrong RDB checksum expected: ({computed:x}) but got ({stored:x}). Aborting now."),
      error.report_line(),
    ],
    other => vec![load_failure_line(other)],
  }
}

/// The line Redis logs when it cannot load an RDB file at start-up, for `error`.
fn load_failure_line(error: &RdbError) -> String {
  match error {
    RdbError::Corrupt(what) if what.contains("signature") => "Wrong signature trying to load DB from file".into(),
    RdbError::Corrupt(what) if what.contains("version") => "Can't handle RDB format version".into(),
    other => other.report_line(),
  }
}

/// The whole dataset of `server` as an RDB file, as of `now_ms` (its `used-mem` field is the
/// process's resident memory).
pub fn write_snapshot(server: &Server, now_ms: i64) -> Vec<u8> {
  write_snapshot_with(server, now_ms, false)
}

/// [`write_snapshot`], for an AOF base file when `aof_base` (its `aof-base` field says so).
pub fn write_snapshot_with(server: &Server, now_ms: i64, aof_base: bool) -> Vec<u8> {
  write_snapshot_as(server, now_ms, aof_base, None)
}

/// The RDB file a full resynchronisation sends: with the `repl-stream-db`, `repl-id` and
/// `repl-offset` fields, the replication state the file's dataset matches; without the keys
/// or the function libraries when the replica's `rdb-filter-only` leaves them out.
pub fn write_replication_snapshot(server: &Server, now_ms: i64, keys: bool, functions: bool) -> Vec<u8> {
  write_snapshot_as(server, now_ms, false, Some((keys, functions)))
}

fn write_snapshot_as(server: &Server, now_ms: i64, aof_base: bool, replication: Option<(bool, bool)>) -> Vec<u8> {
  let (keys, functions) = replication.unwrap_or((true, true));
  let mut out = write_header(server, now_ms, aof_base, replication.is_some(), functions);
  let format = EntryFormat::of(&server.config, now_ms);
  let mut scratch = Vec::new();
  for (index, db) in server.keyspace.dbs.iter().enumerate() {
    if db.is_empty() || !keys {
      continue;
    }
    write_select(&mut out, index, Some((db.len(), db.volatile_len())));
    for entry in db.entries() {
      write_entry(&mut out, entry, db.expire_of(entry), &format, &mut scratch);
    }
  }
  write_trailer(&mut out, checksums(&server.config));
  out
}

/// Whether `rdbchecksum` asks for a real checksum (otherwise the trailer is zero).
pub(crate) fn checksums(config: &crate::config::Config) -> bool {
  config.stored.get("rdbchecksum").is_none_or(|v| v == "yes")
}

/// The start of an RDB file: the magic and version, the auxiliary fields, the function
/// libraries.
pub(crate) fn write_header(
  server: &Server,
  now_ms: i64,
  aof_base: bool,
  replication: bool,
  functions: bool,
) -> Vec<u8> {
  let used_memory = crate::cmd::server::sysinfo::resident_memory();
  let compress = Settings::from_config(&server.config).compress;
  let mut out = Vec::with_capacity(1024);
  out.extend_from_slice(format!("REDIS{RDB_VERSION:04}").as_bytes());
  let mut aux = vec![
    ("redis-ver", crate::REDIS_VERSION.to_string()),
    ("redis-bits", (usize::BITS).to_string()),
    ("ctime", (now_ms / 1000).to_string()),
    ("used-mem", used_memory.to_string()),
  ];
  // A replication file, and a saved file of a server in a replication history (a master with
  // a backlog, a replica that has its master's data), say where in the history the data is,
  // so that a replica restarted from it can continue with PSYNC (Redis's `rdbPopulateSaveInfo`).
  let stream_db = match &server.repl.link {
    Some(link) => {
      let current = link.slot.and_then(|slot| server.clients.session(slot)).map(|session| session.db);
      link.has_history.then_some(current.unwrap_or(link.stream_db))
    }
    None => server.repl.active().then_some(0),
  };
  if let Some(stream_db) = stream_db.filter(|_| !aof_base).or(replication.then_some(0)) {
    aux.push(("repl-stream-db", stream_db.to_string()));
    aux.push(("repl-id", server.telemetry.replid.clone()));
    aux.push(("repl-offset", server.repl.offset.to_string()));
  }
  aux.push(("aof-base", u8::from(aof_base).to_string()));
  for (name, value) in aux {
    out.push(OPCODE_AUX);
    write_string(&mut out, name.as_bytes(), compress);
    write_string(&mut out, value.as_bytes(), compress);
  }
  for library in server.scripting.functions.libraries.iter().filter(|_| functions) {
    out.push(RDB_OPCODE_FUNCTION2);
    write_string(&mut out, &library.code, compress);
  }
  out
}

/// `SELECTDB` (and `RESIZEDB` with the key counts when given).
pub(crate) fn write_select(out: &mut Vec<u8>, db: usize, sizes: Option<(usize, usize)>) {
  out.push(OPCODE_SELECTDB);
  write_len(out, db as u64);
  if let Some((keys, volatile)) = sizes {
    out.push(OPCODE_RESIZEDB);
    write_len(out, keys as u64);
    write_len(out, volatile as u64);
  }
}

/// `EOF` and the CRC-64 of everything before it (of `out`, unless the checksum is computed
/// elsewhere: see `rdb::snapshot`).
pub(crate) fn write_trailer(out: &mut Vec<u8>, checksum: bool) {
  out.push(OPCODE_EOF);
  let crc = if checksum { super::crc64::crc64(0, out) } else { 0 };
  out.extend_from_slice(&crc.to_le_bytes());
}

/// How entries are written: the value settings, and the eviction data the policy keeps.
#[derive(Clone, Copy)]
pub(crate) struct EntryFormat {
  settings: Settings,
  policy: crate::config::EvictionPolicy,
  now_ms: i64,
  lfu_decay_minutes: u32,
}

impl EntryFormat {
  pub(crate) fn of(config: &crate::config::Config, now_ms: i64) -> EntryFormat {
    EntryFormat {
      settings: Settings::from_config(config),
      policy: config.maxmemory_policy,
      now_ms,
      lfu_decay_minutes: u32::try_from(config.lfu_decay_time).unwrap_or(u32::MAX),
    }
  }

  /// The same format with strings stored as they are.
  pub(crate) fn without_compression(mut self) -> EntryFormat {
    self.settings.compress = false;
    self
  }
}

/// One key: its expiry time, the idle time or frequency the eviction policy keeps, the value's
/// type byte, the key and the value (`scratch` is reused between calls).
pub(crate) fn write_entry(
  out: &mut Vec<u8>,
  entry: &crate::db::Entry,
  expire_at: i64,
  format: &EntryFormat,
  scratch: &mut Vec<u8>,
) {
  if expire_at != NO_EXPIRE {
    out.push(OPCODE_EXPIRETIME_MS);
    out.extend_from_slice(&expire_at.to_le_bytes());
  }
  if format.policy.is_lru() {
    out.push(OPCODE_IDLE);
    write_len(out, access::idle_ms(entry.access, format.now_ms) / 1000);
  } else if format.policy.is_lfu() {
    out.push(OPCODE_FREQ);
    out.push(access::decayed_counter(entry.access, format.now_ms, format.lfu_decay_minutes) as u8);
  }
  scratch.clear();
  write_value(scratch, &entry.value, &format.settings);
  out.push(scratch[0]);
  write_string(out, &entry.key, format.settings.compress);
  out.extend_from_slice(&scratch[1..]);
}

/// How a load treats the dataset already there.
#[derive(Clone, Copy, Debug)]
pub struct LoadMode {
  /// Empty every database and drop the function libraries first.
  pub flush: bool,
  /// A key or library the file holds replaces one already there (otherwise that is an error).
  pub replace_duplicates: bool,
  /// Keys whose time to live passed are loaded too (a replica keeps them until its master
  /// deletes them).
  pub keep_expired: bool,
}

impl LoadMode {
  /// Start-up and DEBUG RELOAD: the file becomes the dataset.
  pub const REPLACE_ALL: LoadMode = LoadMode { flush: true, replace_duplicates: false, keep_expired: false };
}

/// Replaces the dataset of `server` (every database and the function libraries) with the
/// RDB file `data`. On an error nothing has changed.
pub fn load_snapshot(server: &mut Server, data: &[u8], now_ms: i64) -> Result<Loaded, RdbError> {
  load_snapshot_with(server, data, now_ms, LoadMode::REPLACE_ALL)
}

/// What reading an RDB file was doing, for redis-check-rdb's report (see `check.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
  Start,
  ReadType,
  ReadExpire,
  ReadKey,
  ReadObjectValue,
  CheckSum,
  ReadLen,
  ReadAux,
}

/// One thing an RDB file holds, as [`FileReader::next`] reads it.
pub(crate) enum Item {
  /// An auxiliary field: its name and value.
  Aux(Vec<u8>, Vec<u8>),
  /// The database the keys that follow belong to.
  SelectDb(u64),
  /// A function library's code.
  Library(Vec<u8>),
  /// A key, with its value (none for an empty collection, which Redis skips), its expiry
  /// (`NO_EXPIRE` for none) and its recorded idle time and frequency.
  Key { key: Vec<u8>, value: Option<crate::value::Value>, expire_at: i64, used: (Option<u64>, Option<u8>) },
}

/// Reads an RDB file item by item: the loader and redis-check-rdb's report (`check.rs`) walk
/// files alike. After an error, `step`, `key` and `kind` say what it was reading.
pub(crate) struct FileReader<'a> {
  reader: Reader<'a>,
  version: u16,
  pub(crate) step: Step,
  /// The key whose value is being read.
  pub(crate) key: Option<Vec<u8>>,
  /// The type byte of the key being read.
  pub(crate) kind: Option<u8>,
  expire_at: i64,
  used: (Option<u64>, Option<u8>),
}

impl<'a> FileReader<'a> {
  /// Reads the header of the file `data`.
  pub(crate) fn open(data: &'a [u8]) -> Result<Self, RdbError> {
    let mut reader = Reader::new(data);
    let magic = reader.read_bytes(9).map_err(|_| RdbError::Corrupt("RDB header"))?;
    if &magic[..5] != b"REDIS" {
      return Err(RdbError::Corrupt("RDB header: wrong signature trying to load DB from file"));
    }
    let version: u16 = std::str::from_utf8(&magic[5..]).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    if !(1..=RDB_VERSION).contains(&version) {
      return Err(RdbError::Corrupt("RDB version: can't handle this RDB format version"));
    }
    Ok(FileReader::resume(data, version, reader.pos()))
  }

  /// Goes on reading `data`, whose header said `version`, from `pos`: after the header, or
  /// where an earlier reader of it stopped between two items (a load in slices, see
  /// `loading.rs`).
  pub(crate) fn resume(data: &'a [u8], version: u16, pos: usize) -> Self {
    FileReader {
      reader: Reader::at(data, pos),
      version,
      step: Step::Start,
      key: None,
      kind: None,
      expire_at: NO_EXPIRE,
      used: (None, None),
    }
  }

  /// The file's format version.
  pub(crate) fn version(&self) -> u16 {
    self.version
  }

  /// Bytes read so far.
  pub(crate) fn pos(&self) -> usize {
    self.reader.pos()
  }

  /// The next item, or `None` at the end of the data (the EOF opcode).
  pub(crate) fn next(&mut self, settings: &Settings) -> Result<Option<Item>, RdbError> {
    let reader = &mut self.reader;
    loop {
      self.step = Step::ReadType;
      match reader.read_u8()? {
        OPCODE_EOF => return Ok(None),
        OPCODE_SELECTDB => {
          self.step = Step::ReadLen;
          return Ok(Some(Item::SelectDb(reader.read_len()?)));
        }
        OPCODE_RESIZEDB => {
          self.step = Step::ReadLen;
          reader.read_len()?;
          reader.read_len()?;
        }
        OPCODE_EXPIRETIME_MS => {
          self.step = Step::ReadExpire;
          let bytes = reader.read_bytes(8)?;
          self.expire_at = i64::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?);
        }
        OPCODE_EXPIRETIME => {
          self.step = Step::ReadExpire;
          let bytes = reader.read_bytes(4)?;
          self.expire_at = i32::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?) as i64 * 1000;
        }
        OPCODE_IDLE => self.used.0 = Some(reader.read_len()?),
        OPCODE_FREQ => self.used.1 = Some(reader.read_u8()?),
        OPCODE_AUX => {
          self.step = Step::ReadAux;
          let name = reader.read_string()?;
          return Ok(Some(Item::Aux(name, reader.read_string()?)));
        }
        RDB_OPCODE_FUNCTION2 => return Ok(Some(Item::Library(reader.read_string()?))),
        RDB_OPCODE_FUNCTION => {
          let code =
            crate::script::functions::read_old_library(reader).map_err(|_| RdbError::Corrupt("function library"))?;
          return Ok(Some(Item::Library(code)));
        }
        OPCODE_MODULE_AUX => return Err(RdbError::Corrupt("module data: modules are not supported")),
        kind => {
          self.kind = Some(kind);
          self.step = Step::ReadKey;
          self.key = Some(reader.read_string()?);
          self.step = Step::ReadObjectValue;
          let value = match read_payload(kind, reader, settings) {
            Ok(value) => Some(value),
            Err(RdbError::EmptyKey) => None,
            Err(error) => return Err(error),
          };
          let key = self.key.take().unwrap_or_default();
          self.kind = None;
          let expire_at = std::mem::replace(&mut self.expire_at, NO_EXPIRE);
          return Ok(Some(Item::Key { key, value, expire_at, used: std::mem::take(&mut self.used) }));
        }
      }
    }
  }

  /// After the last item: the stored checksum and where the data it covers ends, for files of
  /// version 5 on (before, files had none).
  pub(crate) fn trailer(&mut self) -> Result<Option<(u64, usize)>, RdbError> {
    if self.version < 5 {
      return Ok(None);
    }
    self.step = Step::CheckSum;
    let stored = self.reader.read_bytes(8)?;
    let stored = u64::from_le_bytes(stored.try_into().map_err(|_| RdbError::Truncated)?);
    Ok(Some((stored, self.reader.pos() - 8)))
  }
}

/// Loads the RDB file `data` into `server` as `mode` says. On an error nothing has changed.
pub fn load_snapshot_with(server: &mut Server, data: &[u8], now_ms: i64, mode: LoadMode) -> Result<Loaded, RdbError> {
  let settings = Settings::from_config(&server.config);
  let mut file = FileReader::open(data)?;
  let mut staged = Staged::new(server, mode);
  while let Some(item) = file.next(&settings)? {
    staged.take(item, server, now_ms)?;
  }
  staged.finish(&mut file, data, server, now_ms)
}

/// A key read from the file, waiting to be added: the key, its value, its expiry and its
/// recorded idle time and frequency.
type StagedKey = (Vec<u8>, crate::value::Value, i64, (Option<u64>, Option<u8>));

/// What a load read so far. Nothing reaches the server's data until the whole file was read
/// ([`Staged::finish`]), so that a file failing part-way changes nothing; only the file's
/// auxiliary fields are logged as they are read, as Redis logs them.
pub(crate) struct Staged {
  mode: LoadMode,
  databases: Vec<Vec<StagedKey>>,
  libraries: Vec<Vec<u8>>,
  loaded: Loaded,
  /// `repl-id`, `repl-offset` and `repl-stream-db`, when the file has them.
  replication: (Option<String>, Option<i64>, Option<i64>),
  /// The database the keys being read belong to.
  db: usize,
  /// The memory the file's server used when it wrote it (its `used-mem` field; INFO
  /// `loading_rdb_used_mem`).
  pub(crate) used_mem: u64,
}

impl Staged {
  pub(crate) fn new(server: &Server, mode: LoadMode) -> Self {
    Staged {
      mode,
      databases: vec![Vec::new(); server.keyspace.dbs.len()],
      libraries: Vec::new(),
      loaded: Loaded::default(),
      replication: (None, None, None),
      db: 0,
      used_mem: 0,
    }
  }

  /// Takes in the next item of the file.
  pub(crate) fn take(&mut self, item: Item, server: &mut Server, now_ms: i64) -> Result<(), RdbError> {
    match item {
      Item::SelectDb(index) => {
        self.db = index as usize;
        if self.db >= self.databases.len() {
          return Err(RdbError::Corrupt("database index: FATAL: Data file was created with a Redis server configured to handle more than the configured number of databases"));
        }
      }
      Item::Aux(name, value) => match name.as_slice() {
        // Logged as Redis logs them while it reads the file, so that they come before any
        // error further on.
        b"redis-ver" => {
          let version = String::from_utf8_lossy(&value);
          server.telemetry.log_lines.push(format!("Loading RDB produced by version {version}"));
        }
        b"ctime" => {
          let age = (now_ms / 1000 - crate::num::parse_i64(&value).unwrap_or(0)).max(0);
          server.telemetry.log_lines.push(format!("RDB age {age} seconds"));
        }
        b"used-mem" => {
          let used_mem = crate::num::parse_i64(&value).unwrap_or(0);
          self.used_mem = used_mem.max(0) as u64;
          let megabytes = used_mem as f64 / (1024.0 * 1024.0);
          server.telemetry.log_lines.push(format!("RDB memory usage when created {megabytes:.2} Mb"));
        }
        b"repl-id" => self.replication.0 = Some(String::from_utf8_lossy(&value).into_owned()),
        b"repl-offset" => self.replication.1 = crate::num::parse_i64(&value),
        b"repl-stream-db" => self.replication.2 = crate::num::parse_i64(&value),
        _ => {}
      },
      Item::Library(code) => self.libraries.push(code),
      Item::Key { key, value: None, .. } => {
        // Redis names the first ten.
        if self.loaded.empty_skipped < 10 {
          let key = String::from_utf8_lossy(&key);
          server.telemetry.warn(format!("rdbLoadObject skipping empty key: {key}"));
        }
        self.loaded.empty_skipped += 1;
      }
      Item::Key { key, expire_at, .. } if expire_at != NO_EXPIRE && expire_at < now_ms && !self.mode.keep_expired => {
        self.loaded.expired_keys.push((self.db, key))
      }
      Item::Key { key, value: Some(value), expire_at, used } => {
        self.databases[self.db].push((key, value, expire_at, used))
      }
    }
    Ok(())
  }

  /// After the last item of `file` (the whole of `data`): checks the checksum, then puts what
  /// was read into `server`.
  pub(crate) fn finish(
    self,
    file: &mut FileReader,
    data: &[u8],
    server: &mut Server,
    now_ms: i64,
  ) -> Result<Loaded, RdbError> {
    let Staged { mode, databases, libraries, mut loaded, replication, .. } = self;
    if let Some((stored, end)) = file.trailer()? {
      if stored != 0 && !server.skip_checksum_validation {
        let computed = super::crc64::crc64(0, &data[..end]);
        if stored != computed {
          return Err(RdbError::Checksum { computed, stored });
        }
      }
    }
    loaded.consumed = file.pos();
    if !mode.flush && !mode.replace_duplicates {
      for (index, keys) in databases.iter().enumerate() {
        let target = &mut server.keyspace.dbs[index];
        if keys.iter().any(|(key, ..)| target.contains(key, now_ms)) {
          return Err(RdbError::Corrupt("RDB file: duplicate key"));
        }
      }
    }
    let mut functions = if mode.flush {
      crate::script::functions::Functions::default()
    } else {
      std::mem::take(&mut server.scripting.functions)
    };
    for code in &libraries {
      if functions.load(code, mode.replace_duplicates).is_err() {
        // Without a flush, the libraries there before (and those loaded so far) stay.
        if !mode.flush {
          server.scripting.functions = functions;
        }
        return Err(RdbError::Corrupt("function library"));
      }
    }
    loaded.libraries = libraries.len() as u64;
    server.scripting.functions = functions;
    for (index, keys) in databases.into_iter().enumerate() {
      let target = &mut server.keyspace.dbs[index];
      if mode.flush {
        target.clear();
      }
      for (key, value, expiry, (idle, frequency)) in keys {
        let pos = target.set(&key, value, false, now_ms);
        if expiry != NO_EXPIRE {
          target.set_expire_at(pos, expiry);
        }
        target.set_recorded_use(pos, idle, frequency, now_ms);
        loaded.keys += 1;
      }
    }
    server.keyspace.bgsave.last_load_keys = loaded.keys;
    server.keyspace.bgsave.last_load_expired = loaded.expired_keys.len() as u64;
    if let (Some(id), Some(offset), Some(stream_db)) = replication {
      if offset >= 0 && stream_db >= 0 {
        loaded.replication = Some((id, offset, stream_db as usize));
      }
    }
    Ok(loaded)
  }
}
