//! Lengths and strings as RDB data stores them, and the footer that closes a DUMP payload.
//!
//! A length is one to nine bytes, chosen by the top two bits of the first byte: `00` a 6-bit
//! length in that byte, `01` a 14-bit length with the next byte, `10` a 32-bit (first byte
//! 0x80) or 64-bit (0x81) big-endian length after it. `11` marks a *special encoding* of a
//! string instead, its kind in the low six bits: an 8, 16 or 32-bit little-endian integer
//! (for strings that are the canonical decimal form of one) or an LZF-compressed string
//! (compressed length, original length, compressed bytes). Otherwise a string is its length
//! followed by its bytes.
//!
//! [`write_string`] makes the choices Redis's `rdbSaveRawString` makes, so that payloads are
//! byte-for-byte Redis's: integer encoding for strings of up to 11 bytes that parse as
//! integers in 32 bits, LZF for strings over 20 bytes when compression saves at least 4
//! bytes (and compression is on), the plain form otherwise. [`Reader`] reads them back and
//! reports malformed or truncated input as an [`RdbError`].

use super::{crc64::crc64, lzf, RDB_VERSION};
use std::fmt;

const LEN_6BIT: u8 = 0;
const LEN_14BIT: u8 = 1;
const ENCVAL: u8 = 3;
const LEN_32BIT: u8 = 0x80;
const LEN_64BIT: u8 = 0x81;

const ENC_INT8: u64 = 0;
const ENC_INT16: u64 = 1;
const ENC_INT32: u64 = 2;
const ENC_LZF: u64 = 3;

/// Why RDB data could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RdbError {
  /// The data ends before the value does.
  Truncated,
  /// A length's first byte is of no known form.
  BadLength(u8),
  /// A special string encoding of no known kind.
  BadStringEncoding(u64),
  /// An LZF string that does not decompress to its stated length.
  BadLzf,
  /// A value type byte of no known type.
  UnknownType(u8),
  /// A value whose structure is inconsistent (what it is, for messages).
  Corrupt(&'static str),
  /// A collection with no elements, which Redis never stores.
  EmptyKey,
  /// A file whose stored checksum is not the CRC-64 of its content.
  Checksum { computed: u64, stored: u64 },
}

impl RdbError {
  /// A listpack, ziplist or zipmap that failed its integrity check as the encoding of
  /// `container` ("hash listpack", "zset ziplist"…), which Redis's messages name; other
  /// errors stay as they are.
  pub fn within(self, container: &'static str) -> RdbError {
    match self {
      RdbError::Corrupt("listpack" | "ziplist") => RdbError::Corrupt(container),
      other => other,
    }
  }

  /// The line Redis logs for data it cannot read (its `rdbReportError`), RESTORE's payloads
  /// and loaded files alike: the reason as its `rdbReportCorruptRDB` words it, where it has one.
  pub fn report_line(&self) -> String {
    format!("Internal error in RDB reading offset 0, function at rdb.c:0 -> {}", self.reason())
  }

  fn reason(&self) -> String {
    match self {
      RdbError::Truncated => "Unexpected EOF reading RDB file".into(),
      RdbError::Checksum { .. } => "RDB CRC error".into(),
      RdbError::BadLzf => "Invalid LZF compressed string".into(),
      RdbError::BadStringEncoding(kind) => format!("Unknown RDB string encoding type {kind}"),
      RdbError::UnknownType(kind) => format!("Unknown RDB encoding type {kind}"),
      RdbError::Corrupt("ziplist") => "Ziplist integrity check failed.".into(),
      RdbError::Corrupt("listpack") => "Listpack integrity check failed.".into(),
      RdbError::Corrupt("intset") => "Intset integrity check failed.".into(),
      RdbError::Corrupt("zipmap") => "Zipmap integrity check failed.".into(),
      RdbError::Corrupt("list ziplist") => "List ziplist integrity check failed.".into(),
      RdbError::Corrupt("hash ziplist") => "Hash ziplist integrity check failed.".into(),
      RdbError::Corrupt("hash listpack") => "Hash listpack integrity check failed.".into(),
      RdbError::Corrupt("zset ziplist") => "Zset ziplist integrity check failed.".into(),
      RdbError::Corrupt("zset listpack") => "Zset listpack integrity check failed.".into(),
      RdbError::Corrupt("quicklist node") => "Quicklist integrity check failed.".into(),
      RdbError::Corrupt("set with a duplicate member") => "Duplicate set members detected".into(),
      RdbError::Corrupt("sorted set with a duplicate member") => "Duplicate zset fields detected".into(),
      RdbError::Corrupt("hash with a duplicate field") => "Duplicate hash fields detected".into(),
      RdbError::Corrupt("stream listpack") => "Stream listpack integrity check failed.".into(),
      RdbError::Corrupt("stream length") => "Stream length inconsistent with rax entries".into(),
      RdbError::Corrupt("duplicate stream consumer") => "Duplicate stream consumer detected.".into(),
      RdbError::Corrupt("stream PEL entry without a consumer") => "Stream CG PEL entry without consumer".into(),
      other => other.to_string(),
    }
  }
}

impl fmt::Display for RdbError {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match self {
      RdbError::Truncated => write!(f, "unexpected end of RDB data"),
      RdbError::BadLength(byte) => write!(f, "unknown length encoding {}", byte >> 6),
      RdbError::BadStringEncoding(kind) => write!(f, "unknown RDB string encoding type {kind}"),
      RdbError::BadLzf => write!(f, "invalid LZF compressed string"),
      RdbError::UnknownType(kind) => write!(f, "unknown RDB value type {kind}"),
      RdbError::Corrupt(what) => write!(f, "corrupt {what}"),
      RdbError::EmptyKey => write!(f, "empty collection"),
      RdbError::Checksum { .. } => write!(f, "wrong RDB checksum"),
    }
  }
}

impl std::error::Error for RdbError {}

/// A length as read: a plain length, or the kind of a special string encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
  Plain(u64),
  Encoded(u64),
}

/// Appends `len` in the shortest of the length forms.
pub fn write_len(out: &mut Vec<u8>, len: u64) {
  if len < 1 << 6 {
    out.push(len as u8 | LEN_6BIT << 6);
  } else if len < 1 << 14 {
    out.push((len >> 8) as u8 | LEN_14BIT << 6);
    out.push(len as u8);
  } else if len <= u32::MAX as u64 {
    out.push(LEN_32BIT);
    out.extend_from_slice(&(len as u32).to_be_bytes());
  } else {
    out.push(LEN_64BIT);
    out.extend_from_slice(&len.to_be_bytes());
  }
}

/// The integer encoding of `value` (kind byte and little-endian bytes), when it fits 32 bits.
fn encode_integer(value: i64) -> Option<Vec<u8>> {
  let kind = |k: u64| ENCVAL << 6 | k as u8;
  if let Ok(v) = i8::try_from(value) {
    Some(vec![kind(ENC_INT8), v as u8])
  } else if let Ok(v) = i16::try_from(value) {
    let b = v.to_le_bytes();
    Some(vec![kind(ENC_INT16), b[0], b[1]])
  } else if let Ok(v) = i32::try_from(value) {
    let b = v.to_le_bytes();
    Some(vec![kind(ENC_INT32), b[0], b[1], b[2], b[3]])
  } else {
    None
  }
}

/// Appends `s` as Redis's `rdbSaveRawString` does; `compress` is the `rdbcompression` setting.
pub fn write_string(out: &mut Vec<u8>, s: &[u8], compress: bool) {
  if s.len() <= 11 {
    if let Some(encoded) = crate::num::parse_i64(s).and_then(encode_integer) {
      out.extend_from_slice(&encoded);
      return;
    }
  }
  // Four bytes at least must be saved; below 21 bytes LZF never manages it.
  if compress && s.len() > 20 {
    if let Some(packed) = lzf::compress(s, s.len() - 4) {
      out.push(ENCVAL << 6 | ENC_LZF as u8);
      write_len(out, packed.len() as u64);
      write_len(out, s.len() as u64);
      out.extend_from_slice(&packed);
      return;
    }
  }
  write_len(out, s.len() as u64);
  out.extend_from_slice(s);
}

/// Appends the DUMP footer to `payload`: the RDB version (2 bytes, little-endian), then the
/// CRC-64 of everything before (8 bytes, little-endian).
pub fn finish_dump_payload(payload: &mut Vec<u8>) {
  payload.extend_from_slice(&RDB_VERSION.to_le_bytes());
  let crc = crc64(0, payload);
  payload.extend_from_slice(&crc.to_le_bytes());
}

/// Checks a DUMP payload's footer as Redis's `verifyDumpPayload` does: at least 10 bytes, an
/// RDB version Redis 7.0 reads, and a matching CRC-64. Returns the version.
pub fn verify_dump_payload(payload: &[u8], check_crc: bool) -> Option<u16> {
  if payload.len() < 10 {
    return None;
  }
  let footer = &payload[payload.len() - 10..];
  let version = u16::from_le_bytes([footer[0], footer[1]]);
  if version > RDB_VERSION {
    return None;
  }
  let crc = crc64(0, &payload[..payload.len() - 8]);
  (!check_crc || crc.to_le_bytes() == footer[2..]).then_some(version)
}

/// Reads RDB data from a byte slice.
pub struct Reader<'a> {
  data: &'a [u8],
  pos: usize,
}

impl<'a> Reader<'a> {
  pub fn new(data: &'a [u8]) -> Self {
    Reader { data, pos: 0 }
  }

  /// A reader of `data` from `pos` on (at most its end).
  pub fn at(data: &'a [u8], pos: usize) -> Self {
    Reader { data, pos: pos.min(data.len()) }
  }

  /// Bytes read so far.
  pub fn pos(&self) -> usize {
    self.pos
  }

  /// Bytes left.
  pub fn remaining(&self) -> usize {
    self.data.len() - self.pos
  }

  pub fn read_u8(&mut self) -> Result<u8, RdbError> {
    Ok(self.read_bytes(1)?[0])
  }

  /// The next `n` bytes.
  pub fn read_bytes(&mut self, n: u64) -> Result<&'a [u8], RdbError> {
    if n > self.remaining() as u64 {
      return Err(RdbError::Truncated);
    }
    let start = self.pos;
    self.pos += n as usize;
    Ok(&self.data[start..self.pos])
  }

  /// A length, or the kind of a special string encoding.
  pub fn read_length(&mut self) -> Result<Length, RdbError> {
    let first = self.read_u8()?;
    match first >> 6 {
      ENCVAL => Ok(Length::Encoded((first & 0x3f) as u64)),
      LEN_6BIT => Ok(Length::Plain((first & 0x3f) as u64)),
      LEN_14BIT => Ok(Length::Plain(((first & 0x3f) as u64) << 8 | self.read_u8()? as u64)),
      _ if first == LEN_32BIT => {
        let b = self.read_bytes(4)?;
        Ok(Length::Plain(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as u64))
      }
      _ if first == LEN_64BIT => {
        let b = self.read_bytes(8)?;
        Ok(Length::Plain(u64::from_be_bytes(b.try_into().map_err(|_| RdbError::Truncated)?)))
      }
      _ => Err(RdbError::BadLength(first)),
    }
  }

  /// A length where a length is expected. As in Redis's `rdbLoadLen`, a special-encoding
  /// byte reads as the 6-bit number it carries.
  pub fn read_len(&mut self) -> Result<u64, RdbError> {
    Ok(match self.read_length()? {
      Length::Plain(len) | Length::Encoded(len) => len,
    })
  }

  /// A string in any of its encodings; integers come back in their decimal form.
  pub fn read_string(&mut self) -> Result<Vec<u8>, RdbError> {
    match self.read_length()? {
      Length::Plain(len) => Ok(self.read_bytes(len)?.to_vec()),
      Length::Encoded(ENC_INT8) => Ok(crate::num::i64_bytes(self.read_u8()? as i8 as i64)),
      Length::Encoded(ENC_INT16) => {
        let b = self.read_bytes(2)?;
        Ok(crate::num::i64_bytes(i16::from_le_bytes([b[0], b[1]]) as i64))
      }
      Length::Encoded(ENC_INT32) => {
        let b = self.read_bytes(4)?;
        Ok(crate::num::i64_bytes(i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64))
      }
      Length::Encoded(ENC_LZF) => {
        let packed_len = self.read_len()?;
        let len = self.read_len()?;
        let packed = self.read_bytes(packed_len)?;
        // Redis compares what liblzf returns (0 on error) with the stated length, so an empty
        // string is accepted whatever its compressed bytes.
        if len == 0 {
          return Ok(Vec::new());
        }
        // A back reference of 2 or 3 bytes yields at most 264: anything longer cannot be
        // right, and is refused before allocating for it.
        if len > packed_len.saturating_mul(MAX_EXPANSION) {
          return Err(RdbError::BadLzf);
        }
        match lzf::decompress(packed, len as usize) {
          Ok(out) if out.len() as u64 == len => Ok(out),
          _ => Err(RdbError::BadLzf),
        }
      }
      Length::Encoded(kind) => Err(RdbError::BadStringEncoding(kind)),
    }
  }
}

/// The most output one byte of LZF input can produce.
const MAX_EXPANSION: u64 = 132;

#[cfg(test)]
mod tests {
  use super::*;

  /// Data that cannot be read is reported with Redis's reason for it; what has none is
  /// described.
  #[test]
  fn reasons_are_redis_words() {
    assert_eq!(RdbError::Corrupt("ziplist").reason(), "Ziplist integrity check failed.");
    assert_eq!(RdbError::Corrupt("stream listpack").reason(), "Stream listpack integrity check failed.");
    assert_eq!(RdbError::Corrupt("duplicate stream consumer").reason(), "Duplicate stream consumer detected.");
    assert_eq!(RdbError::UnknownType(99).reason(), "Unknown RDB encoding type 99");
    assert_eq!(RdbError::Corrupt("stream ID").reason(), "corrupt stream ID");
    assert_eq!(
      RdbError::BadLzf.report_line(),
      "Internal error in RDB reading offset 0, function at rdb.c:0 -> Invalid LZF compressed string"
    );
  }

  fn encoded(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_string(&mut out, s, true);
    out
  }

  fn dump(s: &[u8]) -> Vec<u8> {
    let mut out = vec![0];
    write_string(&mut out, s, true);
    finish_dump_payload(&mut out);
    out
  }

  fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
  }

  fn read_dump(payload: &[u8]) -> Vec<u8> {
    assert_eq!(verify_dump_payload(payload, true), Some(10));
    let mut reader = Reader::new(&payload[..payload.len() - 10]);
    assert_eq!(reader.read_u8().unwrap(), 0);
    let value = reader.read_string().unwrap();
    assert_eq!(reader.remaining(), 0);
    value
  }

  /// `SET k <value>` then `DUMP k` on redis-server 7.0.15 (hex), with the value.
  fn captured() -> Vec<(Vec<u8>, Vec<u8>)> {
    let random = hex(
      "52f22665a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1a095f20f9395650cf9380b8edb224a6b248a1e924e8fd0ae2e1a9492a3305f18",
    );
    vec![
      (b"hello".to_vec(), "000568656c6c6f0a006372df766534200a"),
      (b"12345".to_vec(), "00c139300a009d94ea2793fc08b9"),
      (b"-1".to_vec(), "00c0ff0a000c937e2485089dc5"),
      (b"2147483647".to_vec(), "00c2ffffff7f0a002c74e59ee02eada1"),
      (b"007".to_vec(), "00033030370a007258e27b4c69bad9"),
      (b"".to_vec(), "00000a005d9b5c400f7fa2da"),
      (vec![b'a'; 200], "00c30940c8016161e0bb000161610a001f99f72e01b20de3"),
      (
        b"hello world hello world hello world hello redis!".to_vec(),
        "00c318300c68656c6c6f20776f726c642068e0140b057265646973210a00eed1eadb8b82be98",
      ),
      (
        random,
        "004040\
52f22665a60c12d289185d950ee8813609166f6b113d178d6c0fd3901ff239a1a095f20f9395650cf9380b8edb224a6b248a1e924e8fd0ae2e1a9492a3305f18\
0a0010421e1ef9d99358",
      ),
    ]
    .into_iter()
    .map(|(value, payload)| (value, hex(payload)))
    .collect()
  }

  #[test]
  fn redis_dump_payloads_decode_and_reencode() {
    for (value, payload) in captured() {
      assert_eq!(read_dump(&payload), value, "{payload:02x?}");
      assert_eq!(dump(&value), payload, "{:?}", String::from_utf8_lossy(&value));
    }
  }

  #[test]
  fn lengths() {
    for (len, bytes) in [
      (0u64, vec![0x00]),
      (63, vec![0x3f]),
      (64, vec![0x40, 0x40]),
      (16383, vec![0x7f, 0xff]),
      (16384, vec![0x80, 0, 0, 0x40, 0]),
      (u32::MAX as u64, vec![0x80, 0xff, 0xff, 0xff, 0xff]),
      (1 << 32, vec![0x81, 0, 0, 0, 1, 0, 0, 0, 0]),
    ] {
      let mut out = Vec::new();
      write_len(&mut out, len);
      assert_eq!(out, bytes);
      let mut reader = Reader::new(&bytes);
      assert_eq!(reader.read_len(), Ok(len));
      assert_eq!(reader.remaining(), 0);
      for cut in 0..bytes.len() {
        assert_eq!(Reader::new(&bytes[..cut]).read_len(), Err(RdbError::Truncated));
      }
    }
    assert_eq!(Reader::new(&[0x82]).read_len(), Err(RdbError::BadLength(0x82)));
    assert_eq!(Reader::new(&[0xc3]).read_len(), Ok(3));
  }

  #[test]
  fn integer_encodings() {
    assert_eq!(encoded(b"0"), [0xc0, 0]);
    assert_eq!(encoded(b"-128"), [0xc0, 0x80]);
    assert_eq!(encoded(b"128"), [0xc1, 0x80, 0]);
    assert_eq!(encoded(b"-32768"), [0xc1, 0, 0x80]);
    assert_eq!(encoded(b"32768"), [0xc2, 0, 0x80, 0, 0]);
    assert_eq!(encoded(b"-2147483648"), [0xc2, 0, 0, 0, 0x80]);
    // Outside 32 bits, not canonical, or too long: plain strings.
    assert_eq!(encoded(b"2147483648"), b"\x0a2147483648");
    assert_eq!(encoded(b"-0"), b"\x02-0");
    assert_eq!(encoded(b"+1"), b"\x02+1");
    assert_eq!(encoded(b"01"), b"\x0201");
    assert_eq!(encoded(b"1 "), b"\x021 ");
    for s in [&b"0"[..], b"-128", b"127", b"-32768", b"32767", b"-2147483648", b"2147483647"] {
      assert_eq!(Reader::new(&encoded(s)).read_string().unwrap(), s);
    }
  }

  #[test]
  fn compression_rules() {
    // 20 bytes are never compressed, 21 are when it saves 4 bytes.
    assert_eq!(encoded(&[b'a'; 20])[0], 20);
    assert_eq!(encoded(&[b'a'; 21])[0], 0xc3);
    let mut out = Vec::new();
    write_string(&mut out, &[b'a'; 21], false);
    assert_eq!(out[0], 21);
    for len in [100usize, 1000, 20_000, 100_000] {
      let s: Vec<u8> = (0..len).map(|i| b"abcabcabd"[i % 9]).collect();
      let e = encoded(&s);
      assert_eq!(e[0], 0xc3);
      let mut reader = Reader::new(&e);
      assert_eq!(reader.read_string().unwrap(), s);
      assert_eq!(reader.remaining(), 0);
    }
  }

  #[test]
  fn malformed_strings_are_errors() {
    assert_eq!(Reader::new(&[]).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0x05, b'a']).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0xc0]).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0xc1, 1]).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0xc2, 1, 2, 3]).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0xc4]).read_string(), Err(RdbError::BadStringEncoding(4)));
    assert_eq!(
      Reader::new(&[0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).read_string(),
      Err(RdbError::Truncated)
    );
    // LZF: stated length differs from the output, corrupt stream, huge stated length.
    assert_eq!(Reader::new(&[0xc3, 2, 5, 0x00, b'a']).read_string(), Err(RdbError::BadLzf));
    assert_eq!(Reader::new(&[0xc3, 2, 1, 0x20, 0x00]).read_string(), Err(RdbError::BadLzf));
    assert_eq!(
      Reader::new(&[0xc3, 2, 0x81, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x00, b'a']).read_string(),
      Err(RdbError::BadLzf)
    );
    assert_eq!(Reader::new(&[0xc3, 5, 1, 0x00]).read_string(), Err(RdbError::Truncated));
    assert_eq!(Reader::new(&[0xc3, 2, 0, 0x20, 0x00]).read_string(), Ok(Vec::new()));
    // Every truncation of a valid string is an error.
    let e = encoded(&[b'z'; 300]);
    for cut in 0..e.len() {
      assert!(Reader::new(&e[..cut]).read_string().is_err());
    }
  }

  #[test]
  fn arbitrary_bytes_never_panic() {
    let mut seed = 0x9e37_79b9u32;
    let mut next = move || {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      seed
    };
    for _ in 0..20_000 {
      let len = (next() % 24) as usize;
      let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
      // Bias towards the special encodings, LZF above all.
      if let Some(first) = data.first_mut() {
        if next() % 2 == 0 {
          *first = 0xc0 | (next() % 5) as u8;
        }
      }
      let mut reader = Reader::new(&data);
      while reader.read_string().is_ok() && reader.remaining() > 0 {}
      let _ = verify_dump_payload(&data, true);
    }
  }

  #[test]
  fn dump_footer_checks() {
    let good = dump(b"hello");
    assert_eq!(verify_dump_payload(&good, true), Some(10));
    assert_eq!(verify_dump_payload(&good[..9], true), None);
    let mut bad_crc = good.clone();
    *bad_crc.last_mut().unwrap() ^= 1;
    assert_eq!(verify_dump_payload(&bad_crc, true), None);
    let mut newer = vec![0, 0, 11, 0];
    let crc = crc64(0, &newer);
    newer.extend_from_slice(&crc.to_le_bytes());
    assert_eq!(verify_dump_payload(&newer, true), None);
  }
}
