//! LZF, the compression Redis applies to long strings in RDB data (through liblzf).
//!
//! An LZF stream is a sequence of chunks, each starting with a control byte:
//! - below 32: a literal run, the next `ctrl + 1` bytes copied as they are;
//! - otherwise a back reference: the top three bits give the length (7 meaning "add the next
//!   byte"), to which 2 is added; the low five bits and the following byte give the distance
//!   back from the current output position, minus one. Copies may overlap their source, which
//!   is how runs of one byte compress.
//!
//! [`decompress`] reads any valid stream and rejects malformed ones the way liblzf does (a run
//! or reference past either buffer). [`compress`] follows liblzf's compressor as Redis builds it
//! (a 2^16-entry hash table of 3-byte prefixes, the "very fast" variant that re-hashes only the
//! last two positions of a match) so that for the same input it chooses the same matches and
//! produces the same bytes, given a hash table starting empty. liblzf leaves its table
//! uninitialised, so a table entry left over from an earlier call may occasionally make Redis
//! pick a different (equally valid) match; the output of either decompresses the same.

/// Bits of the hash table index.
const HLOG: u32 = 16;
const HSIZE: usize = 1 << HLOG;
/// Longest literal run.
const MAX_LIT: usize = 1 << 5;
/// Farthest back reference.
const MAX_OFF: usize = 1 << 13;
/// Longest back reference.
const MAX_REF: usize = (1 << 8) + (1 << 3);

/// The hash table slot of the 3-byte window whose rolling hash is `h`.
fn slot(h: u32) -> usize {
  ((h >> (3 * 8 - HLOG)).wrapping_sub(h.wrapping_mul(5)) as usize) & (HSIZE - 1)
}

thread_local! {
  /// The hash table, kept between calls (zeroing 256 KB per string would cost more than the
  /// compression) and emptied after each one.
  static TABLE: std::cell::RefCell<Vec<u32>> = std::cell::RefCell::new(vec![0u32; HSIZE]);
}

/// Compresses `input` into at most `max_len` bytes; `None` when the result would not fit
/// (or either is empty), as liblzf returns 0.
pub fn compress(input: &[u8], max_len: usize) -> Option<Vec<u8>> {
  if input.is_empty() || max_len == 0 {
    return None;
  }
  TABLE.with(|table| {
    let mut table = table.borrow_mut();
    let compressed = compress_with(&mut table, input, max_len);
    // Every slot the call wrote is the hash of one of the input's 3-byte windows.
    if input.len() >= 3 {
      let mut hval = (input[0] as u32) << 8 | input[1] as u32;
      for &byte in &input[2..] {
        hval = hval << 8 | byte as u32;
        table[slot(hval)] = 0;
      }
    }
    compressed
  })
}

/// [`compress`] with `table`, which starts empty. Positions of earlier 3-byte windows, by
/// hash; 0 means empty (position 0 is never referenced, as in liblzf).
fn compress_with(table: &mut [u32], input: &[u8], max_len: usize) -> Option<Vec<u8>> {
  let in_len = input.len();
  // Slack past `max_len` for the run header written just beyond a full buffer; the checks
  // below bound what is returned.
  let mut out = vec![0u8; max_len + 3];
  let mut ip = 0usize;
  let mut op = 1usize; // out[0] is the header of the first literal run
  let mut lit = 0usize;
  let mut hval: u32 = if in_len >= 2 { (input[0] as u32) << 8 | input[1] as u32 } else { 0 };

  while ip + 2 < in_len {
    hval = hval << 8 | input[ip + 2] as u32;
    let entry = &mut table[slot(hval)];
    let candidate = *entry as usize;
    *entry = ip as u32;

    let matched = candidate != 0
      && candidate < ip
      && ip - candidate - 1 < MAX_OFF
      && input[candidate + 2] == input[ip + 2]
      && input[candidate] == input[ip]
      && input[candidate + 1] == input[ip + 1];
    if matched {
      let reference = candidate;
      let off = ip - reference - 1;
      let mut len = 2usize;
      let maxlen = (in_len - ip - len).min(MAX_REF);

      if op + 3 + 1 >= max_len && op - usize::from(lit == 0) + 3 + 1 >= max_len {
        return None;
      }
      out[op - lit - 1] = (lit as u8).wrapping_sub(1);
      op -= usize::from(lit == 0);

      // liblzf first compares 16 bytes without looking at `maxlen` when more than 16 may
      // match, then one byte at a time up to `maxlen`.
      let mut mismatch = false;
      if maxlen > 16 {
        for _ in 0..16 {
          len += 1;
          if input[reference + len] != input[ip + len] {
            mismatch = true;
            break;
          }
        }
      }
      if !mismatch {
        loop {
          len += 1;
          if !(len < maxlen && input[reference + len] == input[ip + len]) {
            break;
          }
        }
      }

      len -= 2; // bytes matched minus 2, as stored
      ip += 1;
      if len < 7 {
        out[op] = ((off >> 8) + (len << 5)) as u8;
        op += 1;
      } else {
        out[op] = ((off >> 8) + (7 << 5)) as u8;
        out[op + 1] = (len - 7) as u8;
        op += 2;
      }
      out[op] = off as u8;
      op += 1;
      lit = 0;
      op += 1; // header of the next literal run

      ip += len + 1;
      if ip >= in_len - 2 {
        break;
      }
      // Hash the last two positions of the match, so later data can refer to them.
      ip -= 2;
      hval = (input[ip] as u32) << 8 | input[ip + 1] as u32;
      hval = hval << 8 | input[ip + 2] as u32;
      table[slot(hval)] = ip as u32;
      ip += 1;
      hval = hval << 8 | input[ip + 2] as u32;
      table[slot(hval)] = ip as u32;
      ip += 1;
    } else {
      if op >= max_len {
        return None;
      }
      lit += 1;
      out[op] = input[ip];
      op += 1;
      ip += 1;
      if lit == MAX_LIT {
        out[op - lit - 1] = (lit - 1) as u8;
        lit = 0;
        op += 1;
      }
    }
  }

  if op + 3 > max_len {
    return None;
  }
  while ip < in_len {
    lit += 1;
    out[op] = input[ip];
    op += 1;
    ip += 1;
    if lit == MAX_LIT {
      out[op - lit - 1] = (lit - 1) as u8;
      lit = 0;
      op += 1;
    }
  }
  out[op - lit - 1] = (lit as u8).wrapping_sub(1);
  op -= usize::from(lit == 0);
  out.truncate(op);
  Some(out)
}

/// Why a stream did not decompress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LzfError {
  /// The stream describes more output than the expected length.
  TooLong,
  /// A chunk is cut short, or a reference points before the start of the output.
  Corrupt,
}

/// Decompresses `input` into at most `max_len` bytes. The result may be shorter than
/// `max_len`; callers that know the exact length compare it.
pub fn decompress(input: &[u8], max_len: usize) -> Result<Vec<u8>, LzfError> {
  let mut out = Vec::with_capacity(max_len);
  let mut ip = 0usize;
  while ip < input.len() {
    let ctrl = input[ip] as usize;
    ip += 1;
    if ctrl < 1 << 5 {
      let run = ctrl + 1;
      if out.len() + run > max_len {
        return Err(LzfError::TooLong);
      }
      let Some(bytes) = input.get(ip..ip + run) else { return Err(LzfError::Corrupt) };
      out.extend_from_slice(bytes);
      ip += run;
    } else {
      let mut len = ctrl >> 5;
      let Some(&next) = input.get(ip) else { return Err(LzfError::Corrupt) };
      if len == 7 {
        len += next as usize;
        ip += 1;
        if ip >= input.len() {
          return Err(LzfError::Corrupt);
        }
      }
      let back = ((ctrl & 0x1f) << 8) + 1 + input[ip] as usize;
      ip += 1;
      if out.len() + len + 2 > max_len {
        return Err(LzfError::TooLong);
      }
      let Some(mut from) = out.len().checked_sub(back) else { return Err(LzfError::Corrupt) };
      for _ in 0..len + 2 {
        let byte = out[from];
        out.push(byte);
        from += 1;
      }
    }
  }
  Ok(out)
}

#[cfg(test)]
mod tests {
  use super::*;

  fn round_trip(data: &[u8]) {
    if let Some(packed) = compress(data, data.len() + 64) {
      assert_eq!(decompress(&packed, data.len()).unwrap(), data, "{:?}", String::from_utf8_lossy(data));
    }
  }

  #[test]
  fn round_trips() {
    let mut seed = 0x1234_5678u32;
    let mut next = move || {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      seed
    };
    round_trip(b"a");
    round_trip(b"ab");
    round_trip(b"abc");
    round_trip(&[b'a'; 1000]);
    round_trip(&[0u8; 100_000]);
    for size in [3, 10, 21, 33, 64, 100, 265, 300, 1000, 9000, 70_000] {
      for alphabet in [2u32, 4, 16, 256] {
        let data: Vec<u8> = (0..size).map(|_| (next() % alphabet) as u8).collect();
        round_trip(&data);
        let words: Vec<u8> = (0..size).map(|i| b"redis lzf "[(i + (next() % 3) as usize / 2) % 10]).collect();
        round_trip(&words);
      }
    }
  }

  #[test]
  fn compressible_data_shrinks_and_incompressible_does_not_fit() {
    let packed = compress(&[b'x'; 200], 196).unwrap();
    assert!(packed.len() < 10);
    let noise: Vec<u8> = (0u32..64).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    assert_eq!(compress(&noise, 60), None);
    assert_eq!(compress(b"", 10), None);
  }

  #[test]
  fn decodes_redis_output() {
    // The LZF blobs of `DUMP` replies from redis-server 7.0.15, for SET of 200 × "a" and of
    // "hello world hello world hello world hello redis!".
    let blob = [0x01, 0x61, 0x61, 0xe0, 0xbb, 0x00, 0x01, 0x61, 0x61];
    assert_eq!(decompress(&blob, 200).unwrap(), vec![b'a'; 200]);
    assert_eq!(compress(&[b'a'; 200], 196).unwrap(), blob);
    let text = b"hello world hello world hello world hello redis!";
    let blob = [
      0x0c, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x20, 0x68, 0xe0, 0x14, 0x0b, 0x05, 0x72,
      0x65, 0x64, 0x69, 0x73, 0x21,
    ];
    assert_eq!(decompress(&blob, text.len()).unwrap(), text);
    assert_eq!(compress(text, text.len() - 4).unwrap(), blob);
  }

  #[test]
  fn rejects_malformed_streams() {
    // A literal run longer than the input.
    assert_eq!(decompress(&[0x05, b'a'], 10), Err(LzfError::Corrupt));
    // A literal run longer than the output.
    assert_eq!(decompress(&[0x02, b'a', b'b', b'c'], 2), Err(LzfError::TooLong));
    // A reference before the start of the output.
    assert_eq!(decompress(&[0x00, b'a', 0x20, 0x05], 10), Err(LzfError::Corrupt));
    // A reference cut short.
    assert_eq!(decompress(&[0x00, b'a', 0x20], 10), Err(LzfError::Corrupt));
    assert_eq!(decompress(&[0x00, b'a', 0xe0, 0x01], 10), Err(LzfError::Corrupt));
    // A reference longer than the output.
    assert_eq!(decompress(&[0x00, b'a', 0x40, 0x00], 3), Err(LzfError::TooLong));
    // Shorter output than room is not an error here.
    assert_eq!(decompress(&[0x00, b'a'], 3).unwrap(), b"a");
  }
}
