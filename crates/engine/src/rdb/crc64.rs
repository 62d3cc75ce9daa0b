//! CRC-64/Jones, the checksum Redis appends to DUMP payloads and RDB files.
//!
//! Redis computes it bit-reflected (input and output) with the Jones polynomial
//! 0xad93d23594c935a9, initial value 0 and no final xor; chaining is done by passing the
//! previous result as the starting value. This is the classic byte-at-a-time table
//! implementation of that CRC: the table holds, for each byte value, the effect of shifting
//! it through the reflected polynomial (0x95ac9329ac4bc9b5, the bit reversal of Jones').

/// The Jones polynomial, bit-reversed for the reflected (LSB-first) algorithm.
const POLY_REFLECTED: u64 = 0x95ac_9329_ac4b_c9b5;

/// The CRC of every single byte value, built at compile time.
const TABLE: [u64; 256] = {
  let mut table = [0u64; 256];
  let mut byte = 0;
  while byte < 256 {
    let mut crc = byte as u64;
    let mut bit = 0;
    while bit < 8 {
      crc = if crc & 1 != 0 { (crc >> 1) ^ POLY_REFLECTED } else { crc >> 1 };
      bit += 1;
    }
    table[byte] = crc;
    byte += 1;
  }
  table
};

/// The CRC-64 of `data`, continuing from `crc` (0 to start).
pub fn crc64(crc: u64, data: &[u8]) -> u64 {
  data.iter().fold(crc, |crc, &byte| TABLE[((crc ^ byte as u64) & 0xff) as usize] ^ (crc >> 8))
}

#[cfg(test)]
mod tests {
  use super::crc64;

  #[test]
  fn redis_test_vector() {
    // The check value of Redis's own crc64 self-test.
    assert_eq!(crc64(0, b"123456789"), 0xe9c6d914c4b8d9ca);
    assert_eq!(crc64(0, b""), 0);
  }

  #[test]
  fn chaining_equals_one_pass() {
    let data = b"The quick brown fox jumps over the lazy dog";
    for split in 0..data.len() {
      assert_eq!(crc64(crc64(0, &data[..split]), &data[split..]), crc64(0, data));
    }
  }

  #[test]
  fn dump_payload_footer() {
    // `DUMP k` of the value "hello" from redis-server 7.0.15: the last 8 bytes are the
    // little-endian CRC-64 of everything before them.
    let payload: &[u8] =
      &[0x00, 0x05, b'h', b'e', b'l', b'l', b'o', 0x0a, 0x00, 0x63, 0x72, 0xdf, 0x76, 0x65, 0x34, 0x20, 0x0a];
    let (body, crc) = payload.split_at(payload.len() - 8);
    assert_eq!(crc64(0, body).to_le_bytes(), crc);
  }
}
