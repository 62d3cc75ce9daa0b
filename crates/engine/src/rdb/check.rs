//! The report Redis's `redis-check-rdb` prints when the RDB file a server starts from cannot
//! be read: Redis runs the check then, so its log says where the file went wrong.
//!
//! The check reads the file again from the start as the loader does, keeping no data: each
//! auxiliary field and each database it selects is reported with the offset after it; at the
//! first error comes `--- RDB ERROR DETECTED ---` with the offset reached, the error, what was
//! being read (the step, the key and its type) and how many keys were read. Redis prints these
//! lines to standard output, without the log's prefix.

use super::encoding::{RdbError, Reader};
use super::file::{
  OPCODE_AUX, OPCODE_EOF, OPCODE_EXPIRETIME, OPCODE_EXPIRETIME_MS, OPCODE_FREQ, OPCODE_IDLE, OPCODE_MODULE_AUX,
  OPCODE_RESIZEDB, OPCODE_SELECTDB,
};
use super::value::{read_payload, Settings};
use super::{RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RDB_VERSION};

/// Redis's names of the key types, by type byte (`rdb_type_string`); later types are
/// "unknown", as in Redis 7.0.
const TYPE_NAMES: [&str; 19] = [
  "string",
  "list-linked",
  "set-hashtable",
  "zset-v1",
  "hash-hashtable",
  "zset-v2",
  "module-value",
  "",
  "",
  "hash-zipmap",
  "list-ziplist",
  "set-intset",
  "zset-ziplist",
  "hash-ziplist",
  "quicklist",
  "stream",
  "hash-listpack",
  "zset-listpack",
  "quicklist-v2",
];

/// What the check was doing when it failed, in Redis's words.
#[derive(Clone, Copy)]
enum Doing {
  ReadType,
  ReadExpire,
  ReadKey,
  ReadObjectValue,
  CheckSum,
  ReadLen,
  ReadAux,
}

impl Doing {
  fn name(self) -> &'static str {
    match self {
      Doing::ReadType => "read-type",
      Doing::ReadExpire => "read-expire",
      Doing::ReadKey => "read-key",
      Doing::ReadObjectValue => "read-object-value",
      Doing::CheckSum => "check-sum",
      Doing::ReadLen => "read-len",
      Doing::ReadAux => "read-aux",
    }
  }
}

/// The check's report on `data`, the RDB file named `file_name`.
pub struct Report {
  /// The lines, in order, without line ends.
  pub lines: Vec<String>,
  /// The check failed on data it could not make sense of (not a file cut short or a wrong
  /// checksum): Redis then also logs that it terminates.
  pub corrupt: bool,
}

/// Checks `data`, the RDB file `file_name`, as of `now_ms` (for keys already expired).
pub fn check(data: &[u8], file_name: &str, settings: &Settings, now_ms: i64) -> Report {
  let mut state = State { lines: vec![format!("[offset 0] Checking RDB file {file_name}")], ..State::default() };
  let mut reader = Reader::new(data);
  let corrupt = match walk(data, &mut reader, &mut state, settings, now_ms) {
    Ok(()) => {
      state.info(&reader, "\\o/ RDB looks OK! \\o/");
      state.counts();
      false
    }
    // A file cut short or with a wrong checksum is the check's own finding; anything else is
    // Redis's `rdbReportError`, which goes on to say that the server terminates.
    Err(RdbError::Truncated) => {
      state.error(&reader, "Unexpected EOF reading RDB file");
      false
    }
    Err(RdbError::Checksum { .. }) => {
      state.error(&reader, "RDB CRC error");
      false
    }
    Err(error) => {
      state.error(&reader, &error.report_line());
      true
    }
  };
  Report { lines: state.lines, corrupt }
}

#[derive(Default)]
struct State {
  lines: Vec<String>,
  doing: Option<Doing>,
  key: Option<Vec<u8>>,
  key_type: Option<u8>,
  keys: u64,
  expires: u64,
  already_expired: u64,
}

impl State {
  fn info(&mut self, reader: &Reader, message: &str) {
    self.lines.push(format!("[offset {}] {message}", reader.pos()));
  }

  fn error(&mut self, reader: &Reader, message: &str) {
    self.lines.push("--- RDB ERROR DETECTED ---".into());
    self.info(reader, message);
    let doing = self.doing.map_or("start", Doing::name);
    self.lines.push(format!("[additional info] While doing: {doing}"));
    if let Some(key) = &self.key {
      self.lines.push(format!("[additional info] Reading key '{}'", String::from_utf8_lossy(key)));
    }
    if let Some(kind) = self.key_type {
      let name = TYPE_NAMES.get(kind as usize).copied().unwrap_or("unknown");
      self.lines.push(format!("[additional info] Reading type {kind} ({name})"));
    }
    self.counts();
  }

  fn counts(&mut self) {
    self.lines.push(format!("[info] {} keys read", self.keys));
    self.lines.push(format!("[info] {} expires", self.expires));
    self.lines.push(format!("[info] {} already expired", self.already_expired));
  }
}

/// Reads the whole file as the check does, reporting on the way.
fn walk(data: &[u8], reader: &mut Reader, state: &mut State, settings: &Settings, now_ms: i64) -> Result<(), RdbError> {
  let magic = reader.read_bytes(9)?;
  if &magic[..5] != b"REDIS" {
    return Err(RdbError::Corrupt("RDB header: wrong signature trying to load DB from file"));
  }
  let version: u16 = std::str::from_utf8(&magic[5..]).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
  if !(1..=RDB_VERSION).contains(&version) {
    return Err(RdbError::Corrupt("RDB version: can't handle this RDB format version"));
  }
  let mut expire_at = None;
  loop {
    state.doing = Some(Doing::ReadType);
    let opcode = reader.read_u8()?;
    match opcode {
      OPCODE_EOF => break,
      OPCODE_EXPIRETIME_MS => {
        state.doing = Some(Doing::ReadExpire);
        let bytes = reader.read_bytes(8)?;
        expire_at = Some(i64::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?));
      }
      OPCODE_EXPIRETIME => {
        state.doing = Some(Doing::ReadExpire);
        let bytes = reader.read_bytes(4)?;
        expire_at = Some(i32::from_le_bytes(bytes.try_into().map_err(|_| RdbError::Truncated)?) as i64 * 1000);
      }
      OPCODE_FREQ => {
        reader.read_u8()?;
      }
      OPCODE_IDLE => {
        reader.read_len()?;
      }
      OPCODE_SELECTDB => {
        state.doing = Some(Doing::ReadLen);
        let db = reader.read_len()?;
        state.info(reader, &format!("Selecting DB ID {db}"));
      }
      OPCODE_RESIZEDB => {
        state.doing = Some(Doing::ReadLen);
        reader.read_len()?;
        reader.read_len()?;
      }
      OPCODE_AUX => {
        state.doing = Some(Doing::ReadAux);
        let name = reader.read_string()?;
        let value = reader.read_string()?;
        let (name, value) = (String::from_utf8_lossy(&name), String::from_utf8_lossy(&value));
        state.info(reader, &format!("AUX FIELD {name} = '{value}'"));
      }
      OPCODE_MODULE_AUX => return Err(RdbError::Corrupt("module data: modules are not supported")),
      RDB_OPCODE_FUNCTION2 => {
        reader.read_string()?;
      }
      RDB_OPCODE_FUNCTION => {
        crate::script::functions::read_old_library(reader).map_err(|_| RdbError::Corrupt("function library"))?;
      }
      kind => {
        state.key_type = Some(kind);
        state.doing = Some(Doing::ReadKey);
        state.key = Some(reader.read_string()?);
        state.keys += 1;
        state.doing = Some(Doing::ReadObjectValue);
        match read_payload(kind, reader, settings) {
          Ok(_) | Err(RdbError::EmptyKey) => {}
          Err(error) => return Err(error),
        }
        if let Some(at) = expire_at.take() {
          state.expires += 1;
          if at < now_ms {
            state.already_expired += 1;
          }
        }
        state.key = None;
        state.key_type = None;
      }
    }
  }
  if version >= 5 {
    state.doing = Some(Doing::CheckSum);
    let stored = reader.read_bytes(8)?;
    let stored = u64::from_le_bytes(stored.try_into().map_err(|_| RdbError::Truncated)?);
    let end = reader.pos() - 8;
    if stored == 0 {
      state.info(reader, "RDB file was saved with checksum disabled: no check performed.");
    } else {
      let computed = super::crc64::crc64(0, &data[..end]);
      if stored != computed {
        return Err(RdbError::Checksum { computed, stored });
      }
      state.info(reader, "Checksum OK");
    }
  }
  Ok(())
}

#[cfg(test)]
mod tests {
  use super::*;

  fn settings() -> Settings {
    Settings::from_config(&crate::config::Config::default())
  }

  /// A version 10 file: `redis-ver`, database 0, then `body`, EOF and a checksum of zero.
  fn file(body: &[u8]) -> Vec<u8> {
    let mut data = b"REDIS0010".to_vec();
    data.extend_from_slice(&[OPCODE_AUX, 9]);
    data.extend_from_slice(b"redis-ver");
    data.push(6);
    data.extend_from_slice(b"7.0.15");
    data.extend_from_slice(&[OPCODE_SELECTDB, 0]);
    data.extend_from_slice(body);
    data.push(OPCODE_EOF);
    data.extend_from_slice(&[0; 8]);
    data
  }

  #[test]
  fn a_sound_file_is_reported_key_by_key_count() {
    // Two strings, one with an expiry long past.
    let mut body = vec![OPCODE_EXPIRETIME_MS];
    body.extend_from_slice(&1000i64.to_le_bytes());
    body.extend_from_slice(&[0, 1, b'a', 1, b'x', 0, 1, b'b', 1, b'y']);
    let report = check(&file(&body), "dump.rdb", &settings(), 2000);
    assert!(!report.corrupt);
    assert_eq!(
      report.lines,
      [
        "[offset 0] Checking RDB file dump.rdb",
        "[offset 27] AUX FIELD redis-ver = '7.0.15'",
        "[offset 29] Selecting DB ID 0",
        "[offset 57] RDB file was saved with checksum disabled: no check performed.",
        "[offset 57] \\o/ RDB looks OK! \\o/",
        "[info] 2 keys read",
        "[info] 1 expires",
        "[info] 1 already expired",
      ]
    );
  }

  #[test]
  fn a_corrupt_value_names_its_key_type_and_offset() {
    // A hash ziplist whose blob is four bytes of nonsense.
    let body = [13, 3, b'k', b'e', b'y', 4, 1, 2, 3, 4];
    let report = check(&file(&body), "bad.rdb", &settings(), 0);
    assert!(report.corrupt);
    assert_eq!(
      report.lines[3..],
      [
        "--- RDB ERROR DETECTED ---",
        "[offset 39] Internal error in RDB reading offset 0, function at rdb.c:0 -> Hash ziplist integrity check failed.",
        "[additional info] While doing: read-object-value",
        "[additional info] Reading key 'key'",
        "[additional info] Reading type 13 (hash-ziplist)",
        "[info] 1 keys read",
        "[info] 0 expires",
        "[info] 0 already expired",
      ]
    );
  }

  #[test]
  fn a_wrong_checksum_is_reported_after_every_key() {
    let mut data = file(&[0, 1, b'a', 1, b'x']);
    let len = data.len();
    data[len - 8..].copy_from_slice(b"foobar00");
    let report = check(&data, "crc.rdb", &settings(), 0);
    assert!(!report.corrupt);
    assert_eq!(
      report.lines[3..],
      [
        "--- RDB ERROR DETECTED ---",
        "[offset 43] RDB CRC error",
        "[additional info] While doing: check-sum",
        "[info] 1 keys read",
        "[info] 0 expires",
        "[info] 0 already expired",
      ]
    );
  }

  #[test]
  fn a_file_cut_short_is_an_unexpected_eof_not_a_corruption() {
    let whole = file(&[0, 1, b'a', 5, b'v', b'a', b'l', b'u', b'e']);
    let report = check(&whole[..whole.len() - 13], "cut.rdb", &settings(), 0);
    assert!(!report.corrupt);
    assert_eq!(report.lines[3], "--- RDB ERROR DETECTED ---");
    assert_eq!(report.lines[4], "[offset 33] Unexpected EOF reading RDB file");
    assert_eq!(report.lines[6], "[additional info] Reading key 'a'");
    assert_eq!(report.lines[7], "[additional info] Reading type 0 (string)");
  }
}
