//! The engine's write stream (`signal.rs`) as RESP commands: the bytes Redis appends to its
//! AOF and sends its replicas.
//!
//! Each write is a RESP array of its arguments as the write stream holds them (a command as the
//! client sent it, or as it rewrote itself: SREM for SPOP, PXAT for relative expiries, DEL for
//! expired keys, MULTI/EXEC around transactions and scripts). A `SELECT` precedes the first
//! write of a file (or after a full resynchronisation) and every write to another database than
//! the one before, as Redis's `feedAppendOnlyFile` and `replicationFeedSlaves` do; with `aof-timestamp-enabled`, a `#TS:<unix seconds>` annotation
//! precedes the first write of every new second.

use crate::signal::Write;

/// Encodes writes for one AOF file or replication stream, remembering the database its last
/// write selected.
#[derive(Default)]
pub struct StreamEncoder {
  selected: Option<usize>,
  /// The second of the last timestamp annotation.
  stamped: i64,
}

impl StreamEncoder {
  /// The database the stream has selected (none before its first write).
  pub fn selected(&self) -> Option<usize> {
    self.selected
  }

  /// The next write selects its database again (a new file, a new replica).
  pub fn reselect(&mut self) {
    self.selected = None;
  }

  /// Appends `writes` to `out`, annotated with the time `unix_seconds` when it is given.
  pub fn encode(&mut self, writes: &[Write], out: &mut Vec<u8>, unix_seconds: Option<i64>) {
    if let Some(now) = unix_seconds.filter(|&now| now > self.stamped && !writes.is_empty()) {
      self.stamped = now;
      out.extend_from_slice(format!("#TS:{now}\r\n").as_bytes());
    }
    for write in writes {
      self.encode_one(write.db, &write.argv, out);
    }
  }

  /// Appends one write to database `db` (after a SELECT when the stream is elsewhere).
  pub fn encode_one<A: AsRef<[u8]>>(&mut self, db: usize, argv: &[A], out: &mut Vec<u8>) {
    if self.selected != Some(db) {
      let db_text = db.to_string();
      encode_command(out, &[b"SELECT", db_text.as_bytes()]);
      self.selected = Some(db);
    }
    encode_command(out, argv);
  }
}

/// A command as a RESP array of bulk strings.
pub fn encode_command<A: AsRef<[u8]>>(out: &mut Vec<u8>, argv: &[A]) {
  out.push(b'*');
  crate::num::write_i64(out, argv.len() as i64);
  out.extend_from_slice(b"\r\n");
  for arg in argv {
    out.push(b'$');
    let arg = arg.as_ref();
    crate::num::write_i64(out, arg.len() as i64);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(arg);
    out.extend_from_slice(b"\r\n");
  }
}
