//! The report Redis's `redis-check-rdb` prints when the RDB file a server starts from cannot
//! be read: Redis runs the check then, so its log says where the file went wrong.
//!
//! The check reads the file again from the start with the loader's reader (`FileReader`),
//! keeping no data: each
//! auxiliary field and each database it selects is reported with the offset after it; at the
//! first error comes `--- RDB ERROR DETECTED ---` with the offset reached, the error, what was
//! being read (the step, the key and its type) and how many keys were read. Redis prints these
//! lines to standard output, without the log's prefix.

use super::encoding::RdbError;
use super::file::{FileReader, Item, Step};
use super::value::Settings;
use crate::db::NO_EXPIRE;

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
fn step_name(step: Step) -> &'static str {
  match step {
    Step::Start => "start",
    Step::ReadType => "read-type",
    Step::ReadExpire => "read-expire",
    Step::ReadKey => "read-key",
    Step::ReadObjectValue => "read-object-value",
    Step::CheckSum => "check-sum",
    Step::ReadLen => "read-len",
    Step::ReadAux => "read-aux",
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
  let mut report = Report { lines: vec![format!("[offset 0] Checking RDB file {file_name}")], corrupt: false };
  let mut counts = Counts::default();
  let mut file = match FileReader::open(data) {
    Ok(file) => file,
    Err(error) => {
      report.error(0, Step::Start, None, &error.report_line(), &counts);
      report.corrupt = true;
      return report;
    }
  };
  let result = walk(data, &mut file, &mut report, &mut counts, settings, now_ms);
  let at = file.pos();
  let message = match result {
    Ok(()) => {
      report.info(at, "\\o/ RDB looks OK! \\o/");
      report.counts(&counts);
      return report;
    }
    // A file cut short or with a wrong checksum is the check's own finding; anything else is
    // Redis's `rdbReportError`, which goes on to say that the server terminates.
    Err(RdbError::Truncated) => "Unexpected EOF reading RDB file".to_string(),
    Err(RdbError::Checksum { .. }) => "RDB CRC error".to_string(),
    Err(error) => {
      report.corrupt = true;
      error.report_line()
    }
  };
  // Redis counts a key once its name is read, so the one whose value failed counts too.
  counts.keys += file.key.is_some() as u64;
  let key = file.key.as_deref().zip(file.kind);
  report.error(at, file.step, key, &message, &counts);
  report
}

/// The keys read, and those with an expiry.
#[derive(Default)]
struct Counts {
  keys: u64,
  expires: u64,
  already_expired: u64,
}

impl Report {
  fn info(&mut self, at: usize, message: &str) {
    self.lines.push(format!("[offset {at}] {message}"));
  }

  /// The error block: where the check stopped, what it was reading (`key` and its type), and
  /// the counts.
  fn error(&mut self, at: usize, step: Step, key: Option<(&[u8], u8)>, message: &str, counts: &Counts) {
    self.lines.push("--- RDB ERROR DETECTED ---".into());
    self.info(at, message);
    self.lines.push(format!("[additional info] While doing: {}", step_name(step)));
    if let Some((key, kind)) = key {
      self.lines.push(format!("[additional info] Reading key '{}'", String::from_utf8_lossy(key)));
      let name = TYPE_NAMES.get(kind as usize).copied().unwrap_or("unknown");
      self.lines.push(format!("[additional info] Reading type {kind} ({name})"));
    }
    self.counts(counts);
  }

  fn counts(&mut self, counts: &Counts) {
    self.lines.push(format!("[info] {} keys read", counts.keys));
    self.lines.push(format!("[info] {} expires", counts.expires));
    self.lines.push(format!("[info] {} already expired", counts.already_expired));
  }
}

/// Reads the whole file as the check does, reporting on the way.
fn walk(
  data: &[u8],
  file: &mut FileReader,
  report: &mut Report,
  counts: &mut Counts,
  settings: &Settings,
  now_ms: i64,
) -> Result<(), RdbError> {
  while let Some(item) = file.next(settings)? {
    match item {
      Item::SelectDb(db) => report.info(file.pos(), &format!("Selecting DB ID {db}")),
      Item::Aux(name, value) => {
        let (name, value) = (String::from_utf8_lossy(&name), String::from_utf8_lossy(&value));
        report.info(file.pos(), &format!("AUX FIELD {name} = '{value}'"));
      }
      Item::Library(_) => {}
      Item::Key { expire_at, .. } => {
        counts.keys += 1;
        if expire_at != NO_EXPIRE {
          counts.expires += 1;
          counts.already_expired += (expire_at < now_ms) as u64;
        }
      }
    }
  }
  if let Some((stored, end)) = file.trailer()? {
    if stored == 0 {
      report.info(file.pos(), "RDB file was saved with checksum disabled: no check performed.");
    } else {
      let computed = super::crc64::crc64(0, &data[..end]);
      if stored != computed {
        return Err(RdbError::Checksum { computed, stored });
      }
      report.info(file.pos(), "Checksum OK");
    }
  }
  Ok(())
}

#[cfg(test)]
mod tests {
  use super::*;

  // The opcodes the files below use.
  const AUX: u8 = 0xFA;
  const SELECTDB: u8 = 0xFE;
  const EOF: u8 = 0xFF;
  const EXPIRETIME_MS: u8 = 0xFC;

  fn settings() -> Settings {
    Settings::from_config(&crate::config::Config::default())
  }

  /// A version 10 file: `redis-ver`, database 0, then `body`, EOF and a checksum of zero.
  fn file(body: &[u8]) -> Vec<u8> {
    let mut data = b"REDIS0010".to_vec();
    data.extend_from_slice(&[AUX, 9]);
    data.extend_from_slice(b"redis-ver");
    data.push(6);
    data.extend_from_slice(b"7.0.15");
    data.extend_from_slice(&[SELECTDB, 0]);
    data.extend_from_slice(body);
    data.push(EOF);
    data.extend_from_slice(&[0; 8]);
    data
  }

  #[test]
  fn a_sound_file_is_reported_key_by_key_count() {
    // Two strings, one with an expiry long past.
    let mut body = vec![EXPIRETIME_MS];
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
