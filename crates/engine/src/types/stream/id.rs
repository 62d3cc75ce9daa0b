//! Stream entry IDs: `<ms>-<seq>`, two unsigned 64-bit numbers ordered as one 128-bit number.
//!
//! [`StreamId`] derives its ordering field by field (milliseconds first), which is the order of
//! Redis's 128-bit big-endian node keys. [`parse`] reads an ID argument the way every stream
//! command does: `-` and `+` for the smallest and largest IDs (unless `strict`), a missing
//! sequence part filled in by the caller, and `<ms>-*` when XADD allows it. Each part is read by
//! Redis's `string2ull`, which accepts more than canonical numbers: when the strict integer
//! reading fails it falls back to C's `strtoull`, so ` 5`, `+5`, `007` and even `-05` (2^64 - 5)
//! are valid parts, while `-5` is not.

use crate::cstr::{strtoull, until_nul};
use crate::num::parse_i64;

/// A stream entry ID.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct StreamId {
  /// Unix time in milliseconds (or whatever the client chose).
  pub ms: u64,
  /// Sequence number within the millisecond.
  pub seq: u64,
}

/// The longest ID argument Redis reads (it copies the argument into a 128-byte buffer).
const MAX_ID_LEN: usize = 127;

impl StreamId {
  /// `0-0`, smaller than every entry ID.
  pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
  /// The largest possible ID: no entry can follow it.
  pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

  pub const fn new(ms: u64, seq: u64) -> StreamId {
    StreamId { ms, seq }
  }

  /// The ID right after this one; `None` after [`StreamId::MAX`].
  pub fn successor(self) -> Option<StreamId> {
    match (self.ms, self.seq) {
      (u64::MAX, u64::MAX) => None,
      (ms, u64::MAX) => Some(StreamId::new(ms + 1, 0)),
      (ms, seq) => Some(StreamId::new(ms, seq + 1)),
    }
  }

  /// The ID right before this one; `None` before [`StreamId::MIN`].
  pub fn predecessor(self) -> Option<StreamId> {
    match (self.ms, self.seq) {
      (0, 0) => None,
      (ms, 0) => Some(StreamId::new(ms - 1, u64::MAX)),
      (ms, seq) => Some(StreamId::new(ms, seq - 1)),
    }
  }

  pub fn is_zero(self) -> bool {
    self == StreamId::MIN
  }

  /// `<ms>-<seq>`, formatted without allocating.
  pub fn text(self) -> IdText {
    let mut text = IdText { buf: [0; 41], len: 0 };
    text.push_u64(self.ms);
    text.buf[text.len] = b'-';
    text.len += 1;
    text.push_u64(self.seq);
    text
  }

  /// `<ms>-<seq>` as bytes.
  pub fn to_bytes(self) -> Vec<u8> {
    self.text().to_vec()
  }
}

/// The text of an ID (see [`StreamId::text`]); derefs to its bytes.
pub struct IdText {
  buf: [u8; 41],
  len: usize,
}

impl IdText {
  fn push_u64(&mut self, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
      at -= 1;
      digits[at] = b'0' + (rest % 10) as u8;
      rest /= 10;
      if rest == 0 {
        break;
      }
    }
    let count = digits.len() - at;
    self.buf[self.len..self.len + count].copy_from_slice(&digits[at..]);
    self.len += count;
  }
}

impl std::ops::Deref for IdText {
  type Target = [u8];

  fn deref(&self) -> &[u8] {
    &self.buf[..self.len]
  }
}

/// An ID argument as read by [`parse`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParsedId {
  Id(StreamId),
  /// `<ms>-*`: the sequence is to be chosen by XADD.
  AutoSeq(u64),
}

/// How [`parse`] reads an ID argument.
#[derive(Clone, Copy)]
pub struct IdSyntax {
  /// The sequence of an ID written without one (`5` is `5-0` as a range start, `5-MAX` as an
  /// end).
  pub missing_seq: u64,
  /// Refuse `-` and `+` (IDs that must name an entry rather than a range end).
  pub strict: bool,
  /// Accept `<ms>-*` (XADD).
  pub auto_seq: bool,
}

impl IdSyntax {
  /// An ID naming an entry: no `-`/`+`, a missing sequence is 0.
  pub const STRICT: IdSyntax = IdSyntax { missing_seq: 0, strict: true, auto_seq: false };
}

/// Reads an ID argument (Redis's `streamGenericParseIDOrReply`); `None` when it is invalid.
/// The argument is read as a C string: it ends at its first NUL byte.
pub fn parse(arg: &[u8], syntax: IdSyntax) -> Option<ParsedId> {
  if arg.len() > MAX_ID_LEN {
    return None;
  }
  let text = until_nul(arg);
  match text {
    b"-" | b"+" if syntax.strict => return None,
    b"-" => return Some(ParsedId::Id(StreamId::MIN)),
    b"+" => return Some(ParsedId::Id(StreamId::MAX)),
    _ => {}
  }
  let (ms_part, seq_part) = match text.iter().position(|&b| b == b'-') {
    Some(dash) => (&text[..dash], Some(&text[dash + 1..])),
    None => (text, None),
  };
  let ms = string_to_u64(ms_part)?;
  let seq = match seq_part {
    Some(b"*") if syntax.auto_seq => return Some(ParsedId::AutoSeq(ms)),
    Some(part) => string_to_u64(part)?,
    None => syntax.missing_seq,
  };
  Some(ParsedId::Id(StreamId::new(ms, seq)))
}

/// Redis's `string2ull`: a canonical integer must not be negative; anything else goes through
/// `strtoull`, which must take the whole (non-empty) text without overflowing.
fn string_to_u64(text: &[u8]) -> Option<u64> {
  if let Some(n) = parse_i64(text) {
    return u64::try_from(n).ok();
  }
  let number = strtoull(text);
  (!text.is_empty() && number.consumed == text.len() && !number.erange).then_some(number.value)
}

#[cfg(test)]
mod tests {
  use super::*;

  const RANGE_START: IdSyntax = IdSyntax { missing_seq: 0, strict: false, auto_seq: false };
  const XADD: IdSyntax = IdSyntax { missing_seq: 0, strict: true, auto_seq: true };

  fn id(ms: u64, seq: u64) -> Option<ParsedId> {
    Some(ParsedId::Id(StreamId::new(ms, seq)))
  }

  #[test]
  fn parses_like_redis() {
    assert_eq!(parse(b"1-2", RANGE_START), id(1, 2));
    assert_eq!(parse(b"7", RANGE_START), id(7, 0));
    assert_eq!(parse(b"7", IdSyntax { missing_seq: u64::MAX, ..RANGE_START }), id(7, u64::MAX));
    assert_eq!(parse(b"-", RANGE_START), id(0, 0));
    assert_eq!(parse(b"+", RANGE_START), id(u64::MAX, u64::MAX));
    assert_eq!(parse(b"-", IdSyntax::STRICT), None);
    assert_eq!(parse(b"5-*", XADD), Some(ParsedId::AutoSeq(5)));
    assert_eq!(parse(b"5-*", IdSyntax::STRICT), None);
    assert_eq!(parse(b"18446744073709551615-18446744073709551615", RANGE_START), id(u64::MAX, u64::MAX));
    assert_eq!(parse(b"18446744073709551616", RANGE_START), None);
    // string2ull's strtoull fallback.
    assert_eq!(parse(b" 5", RANGE_START), id(5, 0));
    assert_eq!(parse(b"+5-007", RANGE_START), id(5, 7));
    assert_eq!(parse(b"5- 1", RANGE_START), id(5, 1));
    assert_eq!(parse(b"-0", RANGE_START), None);
    assert_eq!(parse(b"5--05", RANGE_START), id(5, u64::MAX - 4));
    assert_eq!(parse(b"5--5", RANGE_START), None);
    assert_eq!(parse(b"1-2-3", RANGE_START), None);
    assert_eq!(parse(b"5-", RANGE_START), None);
    assert_eq!(parse(b"", RANGE_START), None);
    assert_eq!(parse(b"abc", RANGE_START), None);
    // A C string: the argument ends at a NUL byte, but its whole length counts.
    assert_eq!(parse(b"3\0junk", RANGE_START), id(3, 0));
    assert_eq!(parse(&[b'1'; 128], RANGE_START), None);
  }

  #[test]
  fn neighbours_and_text() {
    assert_eq!(StreamId::new(1, u64::MAX).successor(), Some(StreamId::new(2, 0)));
    assert_eq!(StreamId::MAX.successor(), None);
    assert_eq!(StreamId::new(2, 0).predecessor(), Some(StreamId::new(1, u64::MAX)));
    assert_eq!(StreamId::MIN.predecessor(), None);
    assert_eq!(StreamId::MAX.to_bytes(), b"18446744073709551615-18446744073709551615".to_vec());
    assert!(StreamId::new(1, 9) < StreamId::new(2, 0));
  }
}
