//! Reply writer: appends RESP2/RESP3 encodings to a byte buffer.
//!
//! Commands never build a reply tree; they call these methods in order, the way Redis's
//! `addReply*` family writes into a client's output buffer. Types that exist only in RESP3
//! (maps, sets, doubles, booleans, null, verbatim strings, pushes) fall back to their RESP2
//! equivalents when the connection speaks RESP2.

use crate::num::{format_double, write_i64};

/// An output buffer plus the protocol version its connection speaks.
pub struct Reply {
  pub buf: Vec<u8>,
  pub resp3: bool,
}

impl Reply {
  pub fn new(resp3: bool) -> Self {
    Reply { buf: Vec::new(), resp3 }
  }

  pub fn with_capacity(resp3: bool, capacity: usize) -> Self {
    Reply { buf: Vec::with_capacity(capacity), resp3 }
  }

  #[inline]
  pub fn raw(&mut self, bytes: &[u8]) {
    self.buf.extend_from_slice(bytes);
  }

  #[inline]
  pub fn ok(&mut self) {
    self.raw(b"+OK\r\n");
  }

  /// A simple string (`+text`). `text` must not contain CR or LF.
  pub fn simple(&mut self, text: &[u8]) {
    self.buf.push(b'+');
    self.raw(text);
    self.raw(b"\r\n");
  }

  /// An error line; `message` starts with its code (`ERR`, `WRONGTYPE`, …). CR and LF inside
  /// the message are replaced by spaces, as Redis does, so the reply stays one line.
  pub fn error(&mut self, message: &[u8]) {
    self.buf.push(b'-');
    self.buf.extend(message.iter().map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }));
    self.raw(b"\r\n");
  }

  #[inline]
  pub fn int(&mut self, n: i64) {
    self.buf.push(b':');
    write_i64(&mut self.buf, n);
    self.raw(b"\r\n");
  }

  #[inline]
  pub fn bulk(&mut self, data: &[u8]) {
    // One reservation for the whole reply: the appends below then never reallocate.
    self.buf.reserve(data.len() + 25);
    self.header(b'$', data.len());
    self.raw(data);
    self.raw(b"\r\n");
  }

  /// A bulk string holding the decimal form of `n` (a GET of an integer-encoded string).
  pub fn bulk_i64(&mut self, n: i64) {
    let mut digits = Vec::with_capacity(20);
    write_i64(&mut digits, n);
    self.bulk(&digits);
  }

  /// The null bulk string: `$-1` in RESP2, `_` in RESP3.
  #[inline]
  pub fn null(&mut self) {
    self.raw(if self.resp3 { b"_\r\n" } else { b"$-1\r\n" });
  }

  /// The null array: `*-1` in RESP2, `_` in RESP3.
  pub fn null_array(&mut self) {
    self.raw(if self.resp3 { b"_\r\n" } else { b"*-1\r\n" });
  }

  #[inline]
  pub fn array(&mut self, len: usize) {
    self.header(b'*', len);
  }

  /// A map of `pairs` key/value pairs: `%` in RESP3, a flat array in RESP2.
  pub fn map(&mut self, pairs: usize) {
    if self.resp3 {
      self.header(b'%', pairs);
    } else {
      self.header(b'*', pairs * 2);
    }
  }

  /// A set: `~` in RESP3, an array in RESP2.
  pub fn set(&mut self, len: usize) {
    self.header(if self.resp3 { b'~' } else { b'*' }, len);
  }

  /// An out-of-band push: `>` in RESP3, an array in RESP2.
  pub fn push(&mut self, len: usize) {
    self.header(if self.resp3 { b'>' } else { b'*' }, len);
  }

  /// A double, formatted as `%.17g` like Redis 7.0: a bulk string in RESP2, `,` in RESP3.
  pub fn double(&mut self, d: f64) {
    let text = format_double(d);
    if self.resp3 {
      self.buf.push(b',');
      self.raw(text.as_bytes());
      self.raw(b"\r\n");
    } else {
      self.bulk(text.as_bytes());
    }
  }

  /// A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
  pub fn bool(&mut self, value: bool) {
    if self.resp3 {
      self.raw(if value { b"#t\r\n" } else { b"#f\r\n" });
    } else {
      self.int(value as i64);
    }
  }

  /// A verbatim string with a three-letter format (`txt`, `mkd`): `=` in RESP3, bulk in RESP2.
  pub fn verbatim(&mut self, format: &[u8; 3], text: &[u8]) {
    if self.resp3 {
      self.header(b'=', text.len() + 4);
      self.raw(format);
      self.buf.push(b':');
      self.raw(text);
      self.raw(b"\r\n");
    } else {
      self.bulk(text);
    }
  }

  /// A big number (decimal digits): `(` in RESP3, a bulk string in RESP2.
  pub fn big_number(&mut self, digits: &[u8]) {
    if self.resp3 {
      self.buf.push(b'(');
      self.raw(digits);
      self.raw(b"\r\n");
    } else {
      self.bulk(digits);
    }
  }

  /// The header of an attribute map of `pairs` pairs, which annotates the reply that follows
  /// (RESP3 only: callers skip attributes on RESP2 connections).
  pub fn attribute(&mut self, pairs: usize) {
    self.header(b'|', pairs);
  }

  /// Writes a placeholder for an aggregate whose length is not known yet; `fill_array`
  /// completes it. Used by commands that count elements while writing them (SCAN, KEYS).
  pub fn deferred(&mut self) -> Deferred {
    let at = self.buf.len();
    self.raw(b"*00000000000000000000\r\n");
    Deferred(at)
  }

  /// Replaces the placeholder with the real header (`kind` is `*`, `%`, `~`) and `len`.
  pub fn fill(&mut self, deferred: Deferred, kind: u8, len: usize) {
    let mut header = vec![kind];
    write_i64(&mut header, len as i64);
    header.extend_from_slice(b"\r\n");
    self.buf.splice(deferred.0..deferred.0 + 23, header);
  }

  /// `kind`, the decimal `len` and CRLF. Lengths below 100 (most elements and arrays) are
  /// written as one fixed-size append, without the general digit loop.
  #[inline]
  fn header(&mut self, kind: u8, len: usize) {
    if len < 10 {
      self.raw(&[kind, b'0' + len as u8, b'\r', b'\n']);
    } else if len < 100 {
      self.raw(&[kind, b'0' + (len / 10) as u8, b'0' + (len % 10) as u8, b'\r', b'\n']);
    } else {
      self.buf.push(kind);
      write_i64(&mut self.buf, len as i64);
      self.raw(b"\r\n");
    }
  }
}

/// A position in the output where an aggregate header still has to be written.
#[must_use]
pub struct Deferred(usize);

#[cfg(test)]
mod tests {
  use super::*;

  fn both(f: impl Fn(&mut Reply)) -> (String, String) {
    let mut two = Reply::new(false);
    let mut three = Reply::new(true);
    f(&mut two);
    f(&mut three);
    (String::from_utf8(two.buf).unwrap(), String::from_utf8(three.buf).unwrap())
  }

  #[test]
  fn resp2_and_resp3_encodings() {
    assert_eq!(both(|r| r.null()), ("$-1\r\n".into(), "_\r\n".into()));
    assert_eq!(both(|r| r.null_array()), ("*-1\r\n".into(), "_\r\n".into()));
    assert_eq!(both(|r| r.map(2)), ("*4\r\n".into(), "%2\r\n".into()));
    assert_eq!(both(|r| r.set(3)), ("*3\r\n".into(), "~3\r\n".into()));
    assert_eq!(both(|r| r.double(1.5)), ("$3\r\n1.5\r\n".into(), ",1.5\r\n".into()));
    assert_eq!(both(|r| r.bool(true)), (":1\r\n".into(), "#t\r\n".into()));
    assert_eq!(both(|r| r.verbatim(b"txt", b"hi")), ("$2\r\nhi\r\n".into(), "=6\r\ntxt:hi\r\n".into()));
  }

  #[test]
  fn scalars() {
    let mut r = Reply::new(false);
    r.int(-42);
    r.bulk(b"a\r\nb");
    r.bulk_i64(i64::MIN);
    r.error(b"ERR bad\r\nthing");
    assert_eq!(r.buf, b":-42\r\n$4\r\na\r\nb\r\n$20\r\n-9223372036854775808\r\n-ERR bad  thing\r\n".to_vec());
  }

  #[test]
  fn lengths_around_the_short_header_forms() {
    for len in [0usize, 1, 9, 10, 11, 99, 100, 101, 999, 12345] {
      let data = vec![b'x'; len];
      let mut r = Reply::new(false);
      r.bulk(&data);
      r.array(len);
      let expected = format!("${len}\r\n{}\r\n*{len}\r\n", "x".repeat(len));
      assert_eq!(r.buf, expected.into_bytes());
    }
  }

  #[test]
  fn deferred_header_is_patched() {
    let mut r = Reply::new(true);
    r.raw(b"+x\r\n");
    let d = r.deferred();
    r.int(1);
    r.int(2);
    r.fill(d, b'~', 2);
    assert_eq!(r.buf, b"+x\r\n~2\r\n:1\r\n:2\r\n".to_vec());
  }
}
