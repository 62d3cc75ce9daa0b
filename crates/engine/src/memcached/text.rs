//! Memcached's text protocol as memcached 1.6 reads it: command lines split into tokens, and
//! numbers parsed as its `safe_strto*` helpers parse them (C's `strtol`/`strtoull`, then a
//! check of what follows the digits).
//!
//! A command line ends at `\n`; one `\r` before it is dropped (unless it is all the line
//! holds), and the line ends at its first NUL byte, as C string functions see it. Tokens are
//! separated by spaces only: tabs and other control characters are part of a token (of a key,
//! for instance). Memcached keeps at most 23 tokens and leaves the rest of the line unsplit;
//! `get` and its variants carry on with the rest, any other command has too many tokens then.

/// The tokens memcached splits off a line before it stops (`MAX_TOKENS` - 1).
pub const MAX_TOKENS: usize = 23;

/// One command line's tokens.
pub struct Tokens<'a> {
  pub list: [&'a [u8]; MAX_TOKENS],
  pub len: usize,
  /// What follows the last token kept, when the line has more tokens than that.
  pub rest: &'a [u8],
}

impl<'a> Tokens<'a> {
  /// Splits `line` (without its line ending) at spaces.
  pub fn split(line: &'a [u8]) -> Tokens<'a> {
    let line = match line.iter().position(|&b| b == 0) {
      Some(nul) => &line[..nul],
      None => line,
    };
    let mut tokens = Tokens { list: [&[]; MAX_TOKENS], len: 0, rest: &[] };
    let mut at = 0;
    while at < line.len() {
      if line[at] == b' ' {
        at += 1;
        continue;
      }
      if tokens.len == MAX_TOKENS {
        tokens.rest = &line[at..];
        break;
      }
      let end = line[at..].iter().position(|&b| b == b' ').map_or(line.len(), |n| at + n);
      tokens.list[tokens.len] = &line[at..end];
      tokens.len += 1;
      at = end;
    }
    tokens
  }

  /// The count memcached's command table checks: the tokens plus its terminal token.
  pub fn count(&self) -> usize {
    self.len + 1
  }

  pub fn get(&self, index: usize) -> &'a [u8] {
    self.list[..self.len].get(index).copied().unwrap_or_default()
  }

  /// Whether the last token is `noreply` (memcached's `set_noreply_maybe`).
  pub fn noreply(&self) -> bool {
    self.len > 0 && self.list[self.len - 1] == b"noreply"
  }
}

/// C's `isspace` in the C locale.
#[inline]
pub fn is_c_space(byte: u8) -> bool {
  matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// C's `strtoull`/`strtoll` on `text` (base 10) with memcached's check of the end: returns
/// whether a minus sign was read and the magnitude, or `None` when there are no digits,
/// the magnitude overflows 64 bits, or something other than whitespace follows the digits.
fn c_integer(text: &[u8]) -> Option<(bool, u64)> {
  let mut at = text.iter().position(|&b| !is_c_space(b))?;
  let negative = text[at] == b'-';
  if matches!(text[at], b'-' | b'+') {
    at += 1;
  }
  let digits = text[at..].iter().take_while(|b| b.is_ascii_digit()).count();
  if digits == 0 {
    return None;
  }
  let mut magnitude: u64 = 0;
  for &digit in &text[at..at + digits] {
    magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
  }
  match text.get(at + digits) {
    None | Some(0) => Some((negative, magnitude)),
    Some(&next) if is_c_space(next) => Some((negative, magnitude)),
    Some(_) => None,
  }
}

/// `safe_strtoull`: an unsigned 64-bit number. A minus sign is accepted as `strtoull` does
/// (the value wraps), unless the result looks negative as a signed number.
pub fn parse_u64(text: &[u8]) -> Option<u64> {
  let (negative, magnitude) = c_integer(text)?;
  let value = if negative { magnitude.wrapping_neg() } else { magnitude };
  if (value as i64) < 0 && text.contains(&b'-') {
    return None;
  }
  Some(value)
}

/// `safe_strtoul` into a 32-bit variable: as [`parse_u64`] (a `long` is 64 bits), then the
/// value is truncated to 32 bits.
pub fn parse_u32(text: &[u8]) -> Option<u32> {
  parse_u64(text).map(|value| value as u32)
}

/// `safe_strtol` into a 32-bit variable: a signed 64-bit number, truncated to 32 bits.
pub fn parse_i32(text: &[u8]) -> Option<i32> {
  let (negative, magnitude) = c_integer(text)?;
  let value = if negative {
    if magnitude > i64::MAX as u64 + 1 {
      return None;
    }
    (magnitude as i64).wrapping_neg()
  } else {
    i64::try_from(magnitude).ok()?
  };
  Some(value as i32)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn numbers_read_as_memcached_reads_them() {
    assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
    assert_eq!(parse_u64(b"18446744073709551616"), None);
    assert_eq!(parse_u64(b"-1"), None);
    assert_eq!(parse_u64(b"-0"), Some(0));
    assert_eq!(parse_u64(b" 12\tx"), Some(12));
    assert_eq!(parse_u64(b"12x"), None);
    assert_eq!(parse_u32(b"4294967296"), Some(0));
    assert_eq!(parse_i32(b"4294967297"), Some(1));
    assert_eq!(parse_i32(b"-1"), Some(-1));
    assert_eq!(parse_i32(b"+1"), Some(1));
    assert_eq!(parse_i32(b""), None);
  }

  #[test]
  fn lines_split_at_spaces_only() {
    let tokens = Tokens::split(b"  get a\tb  c ");
    assert_eq!(&tokens.list[..tokens.len], &[&b"get"[..], b"a\tb", b"c"]);
    assert_eq!(Tokens::split(b"set a\0b 0 0 1").len, 2);
    let many = [b"k".as_slice(); 30].join(&b' ');
    let tokens = Tokens::split(&many);
    assert_eq!((tokens.len, tokens.rest.len()), (MAX_TOKENS, 13));
  }
}
