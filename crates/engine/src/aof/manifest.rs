//! The AOF manifest: which files in `appenddirname` make up the append-only file.
//!
//! Redis 7.0 splits the AOF into a base file (a snapshot: RDB or AOF commands), the incremental
//! files appended to since that snapshot, and history files (bases and incrementals a rewrite
//! replaced, deleted soon after). The manifest, `<appendfilename>.manifest`, lists them one per
//! line as `file <name> seq <n> type <b|h|i>`: the base first, then history, then the
//! incremental files in sequence order. File names follow `<appendfilename>.<seq>.base.rdb`
//! (or `.base.aof`) and `<appendfilename>.<seq>.incr.aof`, each kind numbered on its own.
//! Parsing is as strict as Redis's: a malformed manifest stops the server with Redis's message.

use crate::resp::parse::split_args;

/// The kind of a file in the manifest, with its one-letter code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
  Base,
  History,
  Incremental,
}

impl FileKind {
  fn code(self) -> char {
    match self {
      FileKind::Base => 'b',
      FileKind::History => 'h',
      FileKind::Incremental => 'i',
    }
  }
}

/// One file of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AofFile {
  pub name: String,
  pub seq: i64,
  pub kind: FileKind,
}

/// The files of the AOF, and the last sequence number of each kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
  pub base: Option<AofFile>,
  pub history: Vec<AofFile>,
  pub incremental: Vec<AofFile>,
  pub base_seq: i64,
  pub incr_seq: i64,
}

/// Why a manifest could not be read: Redis's message, and the offending line when there is one.
#[derive(Debug, PartialEq, Eq)]
pub struct ManifestError {
  pub message: &'static str,
  pub line: Option<(usize, String)>,
}

/// The longest manifest line Redis reads.
const MAX_LINE: usize = 1024;

impl Manifest {
  /// Reads a manifest's text.
  pub fn parse(text: &[u8]) -> Result<Manifest, ManifestError> {
    let fail = |message, line: Option<(usize, &[u8])>| ManifestError {
      message,
      line: line.map(|(number, text)| (number, String::from_utf8_lossy(text).into_owned())),
    };
    if text.is_empty() {
      return Err(fail("Found an empty AOF manifest", None));
    }
    let mut manifest = Manifest::default();
    let mut number = 0;
    let mut rest = text;
    while !rest.is_empty() {
      number += 1;
      let (raw, terminated) = match rest.iter().position(|&b| b == b'\n') {
        Some(end) => (&rest[..end], true),
        None => (rest, false),
      };
      rest = &rest[(raw.len() + 1).min(rest.len())..];
      if raw.first() == Some(&b'#') {
        continue;
      }
      if !terminated || raw.len() >= MAX_LINE {
        return Err(fail("The AOF manifest file contains too long line", None));
      }
      let line = raw.trim_ascii();
      let invalid = || fail("Invalid AOF manifest file format", Some((number, line)));
      if line.is_empty() {
        return Err(invalid());
      }
      let words = split_args(line).filter(|w| w.len() >= 6 && w.len() % 2 == 0).ok_or_else(invalid)?;
      let (mut name, mut seq, mut kind) = (None, 0i64, None);
      for pair in words.chunks_exact(2) {
        let value = &pair[1];
        if pair[0].eq_ignore_ascii_case(b"file") {
          let text = String::from_utf8_lossy(value).into_owned();
          if text.contains('/') {
            return Err(fail("File can't be a path, just a filename", Some((number, line))));
          }
          name = Some(text);
        } else if pair[0].eq_ignore_ascii_case(b"seq") {
          seq = leading_integer(value);
        } else if pair[0].eq_ignore_ascii_case(b"type") {
          kind = value.first().copied();
        }
      }
      let (Some(name), Some(kind)) = (name, kind) else { return Err(invalid()) };
      if seq == 0 {
        return Err(invalid());
      }
      match kind {
        b'b' => {
          if manifest.base.is_some() {
            return Err(fail("Found duplicate base file information", Some((number, line))));
          }
          manifest.base = Some(AofFile { name, seq, kind: FileKind::Base });
          manifest.base_seq = seq;
        }
        b'h' => manifest.history.push(AofFile { name, seq, kind: FileKind::History }),
        b'i' => {
          if seq <= manifest.incr_seq {
            return Err(fail("Found a non-monotonic sequence number", Some((number, line))));
          }
          manifest.incremental.push(AofFile { name, seq, kind: FileKind::Incremental });
          manifest.incr_seq = seq;
        }
        _ => return Err(fail("Unknown AOF file type", Some((number, line)))),
      }
    }
    Ok(manifest)
  }

  /// The manifest's text: the base, then history, then the incremental files.
  pub fn to_text(&self) -> String {
    let mut text = String::new();
    for file in self.base.iter().chain(&self.history).chain(&self.incremental) {
      text.push_str(&format!("file {} seq {} type {}\n", quoted(&file.name), file.seq, file.kind.code()));
    }
    text
  }

  /// Names a new base file (`<prefix>.<seq>.base.rdb` or `.aof`), making the current one
  /// history.
  pub fn new_base(&mut self, prefix: &str, rdb: bool) -> String {
    if let Some(mut previous) = self.base.take() {
      previous.kind = FileKind::History;
      self.history.insert(0, previous);
    }
    self.base_seq += 1;
    let name = format!("{prefix}.{}.base.{}", self.base_seq, if rdb { "rdb" } else { "aof" });
    self.base = Some(AofFile { name: name.clone(), seq: self.base_seq, kind: FileKind::Base });
    name
  }

  /// Names a new incremental file (`<prefix>.<seq>.incr.aof`) and lists it last.
  pub fn new_incremental(&mut self, prefix: &str) -> String {
    self.incr_seq += 1;
    let name = format!("{prefix}.{}.incr.aof", self.incr_seq);
    self.incremental.push(AofFile { name: name.clone(), seq: self.incr_seq, kind: FileKind::Incremental });
    name
  }

  /// The incremental file appends go to: the last one, or a new one when there is none.
  pub fn last_incremental(&mut self, prefix: &str) -> String {
    match self.incremental.last() {
      Some(file) => file.name.clone(),
      None => self.new_incremental(prefix),
    }
  }

  /// After a rewrite: the incremental files it covers become history, all but the last one
  /// when `keep_last` (the file appends go to now).
  pub fn retire_rewritten_incrementals(&mut self, keep_last: bool) {
    let keep = usize::from(keep_last && !self.incremental.is_empty());
    let retired: Vec<AofFile> = self.incremental.drain(..self.incremental.len() - keep).collect();
    for mut file in retired {
      file.kind = FileKind::History;
      self.history.insert(0, file);
    }
  }

  /// Whether the manifest lists no base and no incremental file.
  pub fn is_empty(&self) -> bool {
    self.base.is_none() && self.incremental.is_empty()
  }
}

/// `atoll`: the integer at the start of `value` (0 when there is none).
fn leading_integer(value: &[u8]) -> i64 {
  let text = std::str::from_utf8(value).unwrap_or("");
  let digits = text.len() - text.trim_start_matches(|c: char| c == '-' || c.is_ascii_digit()).len();
  text[..digits].parse().unwrap_or(0)
}

/// A file name as the manifest writes it: as is, or quoted with escapes when it holds spaces,
/// quotes or unprintable bytes (Redis's `sdscatrepr`).
fn quoted(name: &str) -> String {
  let plain = name.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
  if plain && !name.is_empty() {
    return name.to_string();
  }
  let mut out = String::from("\"");
  for b in name.bytes() {
    match b {
      b'\\' | b'"' => {
        out.push('\\');
        out.push(b as char);
      }
      b'\n' => out.push_str("\\n"),
      b'\r' => out.push_str("\\r"),
      b'\t' => out.push_str("\\t"),
      7 => out.push_str("\\a"),
      8 => out.push_str("\\b"),
      b if b.is_ascii_graphic() || b == b' ' => out.push(b as char),
      b => out.push_str(&format!("\\x{b:02x}")),
    }
  }
  out.push('"');
  out
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn round_trip_and_rotation() {
    let mut manifest = Manifest::default();
    assert_eq!(manifest.new_base("appendonly.aof", true), "appendonly.aof.1.base.rdb");
    assert_eq!(manifest.last_incremental("appendonly.aof"), "appendonly.aof.1.incr.aof");
    assert_eq!(
      manifest.to_text(),
      "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    manifest.new_incremental("appendonly.aof");
    manifest.new_base("appendonly.aof", true);
    manifest.retire_rewritten_incrementals(true);
    assert_eq!(
      manifest.to_text(),
      "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\n\
       file appendonly.aof.1.base.rdb seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
    );
    assert_eq!(Manifest::parse(manifest.to_text().as_bytes()), Ok(manifest));
  }

  #[test]
  fn malformed_manifests_get_redis_messages() {
    let message = |text: &str| Manifest::parse(text.as_bytes()).unwrap_err().message;
    assert_eq!(message(""), "Found an empty AOF manifest");
    assert_eq!(message("file a seq 1\n"), "Invalid AOF manifest file format");
    assert_eq!(message("file a seq 1 type b"), "The AOF manifest file contains too long line");
    assert_eq!(message("file a/b seq 1 type b\n"), "File can't be a path, just a filename");
    assert_eq!(message("file a seq 1 type b\nfile b seq 2 type b\n"), "Found duplicate base file information");
    assert_eq!(message("file a seq 2 type i\nfile b seq 2 type i\n"), "Found a non-monotonic sequence number");
    assert_eq!(message("file a seq 1 type x\n"), "Unknown AOF file type");
    assert_eq!(message("\n"), "Invalid AOF manifest file format");
    let quoted_name = Manifest::parse(b"# comment\nfile \"a b\" seq 1 type b\n").unwrap();
    assert_eq!(quoted_name.base.unwrap().name, "a b");
  }
}
