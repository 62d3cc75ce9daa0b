//! Incremental request parser for multibulk and inline commands.
//!
//! The parser works on a byte slice that starts at the first byte of the request being parsed.
//! When the slice ends mid-request it returns `Incomplete` and remembers how far it got (the
//! arguments already found and the scan position), so the next call, with more bytes appended,
//! resumes instead of rescanning: a 100 MB value arriving in 64 KB reads costs one pass.
//!
//! Limits and error texts follow Redis 7.0 (`processMultibulkBuffer`, `processInlineBuffer`):
//! a count line longer than 64 KB, a bulk longer than `proto-max-bulk-len`, a missing `$`, or
//! unbalanced quotes in an inline command are protocol errors after which the connection closes.
//! Redis looks for the end of a line with C string functions, so a NUL byte ends its search: a
//! line with a NUL before its terminator is never complete, and the request waits until it
//! grows past 64 KB. The line searches here stop at a NUL the same way.

use crate::cstr::is_space;

/// The longest inline request, or count line, Redis accepts before giving up.
pub const INLINE_MAX: usize = 64 * 1024;

/// Redis's `PROTO_MBULK_BIG_ARG`: a bulk at least this long gets a query buffer of its own.
const BIG_BULK: usize = 32 * 1024;

/// Configurable limits applied while parsing.
#[derive(Clone, Copy)]
pub struct ParseLimits {
  /// `proto-max-bulk-len`: the largest single argument.
  pub max_bulk_len: i64,
  /// Whether the connection still has to authenticate: Redis then refuses large requests early.
  pub unauthenticated: bool,
}

/// The outcome of one parse step.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
  /// A full command spanning `consumed` bytes; its arguments are in the parse state.
  Command { consumed: usize },
  /// Bytes that hold no command (an empty line, `*0`): skip them.
  Empty { consumed: usize },
  /// More bytes are needed.
  Incomplete,
}

/// Commands with at most this many arguments are dispatched without allocating an argv.
const STACK_ARGS: usize = 16;

/// The longest argument list whose buffer is kept for the next request (see
/// [`ParseState::recycle`]).
const KEPT_ARGS: usize = 1024;

/// The arguments of one parsed command: ranges of the request bytes, or, for an inline
/// command (whose quoting was undone), owned bytes.
pub struct ParsedArgs {
  ranges: Vec<(usize, usize)>,
  inline: Option<Vec<Vec<u8>>>,
}

impl ParsedArgs {
  /// Calls `f` with the arguments as slices; `request` is the slice the command was parsed
  /// from. Up to [`STACK_ARGS`] arguments are passed without a heap allocation.
  pub fn with_argv<R>(&self, request: &[u8], f: impl FnOnce(&[&[u8]]) -> R) -> R {
    let count = self.inline.as_ref().map_or(self.ranges.len(), Vec::len);
    let arg = |i: usize| match &self.inline {
      Some(args) => args[i].as_slice(),
      None => &request[self.ranges[i].0..self.ranges[i].1],
    };
    if count <= STACK_ARGS {
      let mut stack: [&[u8]; STACK_ARGS] = [&[]; STACK_ARGS];
      for (i, slot) in stack.iter_mut().enumerate().take(count) {
        *slot = arg(i);
      }
      f(&stack[..count])
    } else {
      f(&(0..count).map(arg).collect::<Vec<_>>())
    }
  }
}

/// A protocol violation; the message is the text after `-ERR `.
#[derive(Debug, PartialEq, Eq)]
pub struct ProtocolError(pub String);

/// Progress through the request currently being parsed.
#[derive(Default)]
pub struct ParseState {
  /// Arguments still to read in the current multibulk request (0 when between requests).
  multibulk_left: usize,
  /// Length of the bulk whose header was read, while waiting for its payload.
  bulk_len: Option<usize>,
  /// Scan position, relative to the request's first byte.
  pos: usize,
  /// Multibulk arguments as byte ranges relative to the request's first byte.
  ranges: Vec<(usize, usize)>,
  /// Inline arguments, which are unquoted and so cannot be ranges of the input.
  inline_args: Vec<Vec<u8>>,
  inline: bool,
}

impl ParseState {
  /// Hands over the arguments of the command just parsed and readies the state for the next
  /// request. Give the returned value back with [`ParseState::recycle`] to reuse its memory.
  pub fn take_args(&mut self) -> ParsedArgs {
    let args = ParsedArgs {
      ranges: std::mem::take(&mut self.ranges),
      inline: if self.inline { Some(std::mem::take(&mut self.inline_args)) } else { None },
    };
    self.multibulk_left = 0;
    self.bulk_len = None;
    self.pos = 0;
    self.inline = false;
    args
  }

  /// Returns an argument list's buffers for reuse by the next request, unless a long request
  /// made them large: that memory would stay with the connection, counted in `used_memory`.
  pub fn recycle(&mut self, mut args: ParsedArgs) {
    if args.ranges.capacity() <= KEPT_ARGS {
      args.ranges.clear();
      self.ranges = args.ranges;
    }
  }

  /// Where the payload of the bulk being waited for starts in the request, when it was
  /// announced as at least 32 KB. Redis moves such a payload to the start of its query buffer
  /// (to take it without a copy), so its log lines quote the buffer from there.
  pub fn big_bulk_start(&self) -> Option<usize> {
    self.bulk_len.filter(|&len| len >= BIG_BULK).map(|_| self.pos)
  }

  /// Where the big bulk being received ends (its CRLF included), relative to the request's
  /// first byte: the input buffer grows no further than that while it arrives.
  pub fn big_bulk_end(&self) -> Option<usize> {
    self.bulk_len.filter(|&len| len >= BIG_BULK).map(|len| self.pos + len + 2)
  }

  /// Parses as much of `request` as possible. See [`Parsed`].
  pub fn parse(&mut self, request: &[u8], limits: ParseLimits) -> Result<Parsed, ProtocolError> {
    if request.is_empty() {
      return Ok(Parsed::Incomplete);
    }
    if self.multibulk_left == 0 && self.pos == 0 && request[0] != b'*' {
      return self.parse_inline(request);
    }
    self.parse_multibulk(request, limits)
  }

  fn parse_multibulk(&mut self, buf: &[u8], limits: ParseLimits) -> Result<Parsed, ProtocolError> {
    if self.multibulk_left == 0 {
      let (count, line_end) = match quick_number(buf, 1) {
        Some((n, line_end)) => (n as i64, line_end),
        None => {
          let Some(line_end) = find_line(buf, 0) else {
            return if buf.len() > INLINE_MAX {
              Err(protocol("too big mbulk count string"))
            } else {
              Ok(Parsed::Incomplete)
            };
          };
          match crate::num::parse_i64(&buf[1..line_end]) {
            Some(n) => (n, line_end),
            None => return Err(protocol("invalid multibulk length")),
          }
        }
      };
      if count > i32::MAX as i64 {
        return Err(protocol("invalid multibulk length"));
      }
      if count > 10 && limits.unauthenticated {
        return Err(protocol("unauthenticated multibulk length"));
      }
      let consumed = line_end + 2;
      if count <= 0 {
        return Ok(Parsed::Empty { consumed });
      }
      self.multibulk_left = count as usize;
      self.ranges.clear();
      self.ranges.reserve(self.multibulk_left.min(1024));
      self.pos = consumed;
    }
    while self.multibulk_left > 0 {
      let len = match self.bulk_len {
        Some(len) => len,
        None => {
          let quick = match buf.get(self.pos) {
            Some(b'$') => quick_number(buf, self.pos + 1),
            _ => None,
          };
          let (len, line_end) = match quick {
            Some((n, line_end)) => (n as i64, line_end),
            None => {
              let Some(line_end) = find_line(buf, self.pos) else {
                return if buf.len() - self.pos > INLINE_MAX {
                  Err(protocol("too big bulk count string"))
                } else {
                  Ok(Parsed::Incomplete)
                };
              };
              if buf[self.pos] != b'$' {
                return Err(ProtocolError(format!("Protocol error: expected '$', got '{}'", buf[self.pos] as char)));
              }
              match crate::num::parse_i64(&buf[self.pos + 1..line_end]) {
                Some(n) => (n, line_end),
                None => return Err(protocol("invalid bulk length")),
              }
            }
          };
          let len = match len {
            n if n >= 0 && n <= limits.max_bulk_len => n as usize,
            _ => return Err(protocol("invalid bulk length")),
          };
          if len > 16384 && limits.unauthenticated {
            return Err(protocol("unauthenticated bulk length"));
          }
          self.pos = line_end + 2;
          self.bulk_len = Some(len);
          len
        }
      };
      // Like Redis, the two bytes after the payload are skipped without being checked.
      if buf.len() - self.pos < len + 2 {
        return Ok(Parsed::Incomplete);
      }
      self.ranges.push((self.pos, self.pos + len));
      self.pos += len + 2;
      self.bulk_len = None;
      self.multibulk_left -= 1;
    }
    Ok(Parsed::Command { consumed: self.pos })
  }

  fn parse_inline(&mut self, buf: &[u8]) -> Result<Parsed, ProtocolError> {
    let Some(newline) = find_before_nul(b'\n', buf) else {
      return if buf.len() > INLINE_MAX { Err(protocol("too big inline request")) } else { Ok(Parsed::Incomplete) };
    };
    let mut line = &buf[..newline];
    if line.last() == Some(&b'\r') {
      line = &line[..line.len() - 1];
    }
    let args = split_args(line).ok_or_else(|| protocol("unbalanced quotes in request"))?;
    let consumed = newline + 1;
    if args.is_empty() {
      return Ok(Parsed::Empty { consumed });
    }
    self.inline = true;
    self.inline_args = args;
    Ok(Parsed::Command { consumed })
  }
}

fn protocol(what: &str) -> ProtocolError {
  ProtocolError(format!("Protocol error: {what}"))
}

/// The common case of a count line, `123\r\n` starting at `from`: plain digits without a
/// leading zero, and the whole line already received. Returns the number and the position of
/// the `\r`; anything else (signs, long or odd numbers, an incomplete line) returns `None` so the
/// general path can parse it or report Redis's error.
#[inline]
fn quick_number(buf: &[u8], from: usize) -> Option<(usize, usize)> {
  let digits = buf.get(from..)?;
  let mut value = 0usize;
  for (i, &c) in digits.iter().enumerate().take(12) {
    match c {
      b'0'..=b'9' if !(i == 1 && digits[0] == b'0') => value = value * 10 + (c - b'0') as usize,
      b'\r' if i > 0 => return (from + i + 1 < buf.len()).then_some((value, from + i)),
      _ => return None,
    }
  }
  None
}

/// Finds the `\r` of a complete `\r\n`-terminated line starting at `from`.
/// Like Redis, only the `\r` is searched for; the byte after it is assumed to be `\n`.
#[inline]
fn find_line(buf: &[u8], from: usize) -> Option<usize> {
  let cr = from + find_before_nul(b'\r', &buf[from..])?;
  (cr + 1 < buf.len()).then_some(cr)
}

/// The position of the first `byte` in `buf`, unless a NUL comes first (see the module comment).
#[inline]
fn find_before_nul(byte: u8, buf: &[u8]) -> Option<usize> {
  let at = memchr::memchr2(byte, 0, buf)?;
  (buf[at] == byte).then_some(at)
}

/// Splits an inline command line into arguments the way `redis-cli` and Redis's
/// `sdssplitargs` do: whitespace separates arguments; "double quotes" understand `\n \r \t \b
/// \a \xHH` and `\<char>`; 'single quotes' understand only `\'`. A closing quote must be
/// followed by whitespace or the end of the line. Returns `None` for unbalanced quotes.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
  let mut args = Vec::new();
  let mut i = 0;
  let at = |i: usize| line.get(i).copied().unwrap_or(0);
  loop {
    while i < line.len() && line[i] != 0 && is_space(line[i]) {
      i += 1;
    }
    if at(i) == 0 {
      return Some(args);
    }
    let mut current = Vec::new();
    let (mut in_double, mut in_single) = (false, false);
    loop {
      let c = at(i);
      if in_double {
        if c == 0 {
          return None;
        }
        if c == b'\\' && at(i + 1) == b'x' && at(i + 2).is_ascii_hexdigit() && at(i + 3).is_ascii_hexdigit() {
          current.push(hex_value(at(i + 2)) * 16 + hex_value(at(i + 3)));
          i += 3;
        } else if c == b'\\' && at(i + 1) != 0 {
          i += 1;
          current.push(match at(i) {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'b' => 0x08,
            b'a' => 0x07,
            other => other,
          });
        } else if c == b'"' {
          if at(i + 1) != 0 && !is_space(at(i + 1)) {
            return None;
          }
          i += 1;
          break;
        } else {
          current.push(c);
        }
      } else if in_single {
        if c == 0 {
          return None;
        }
        if c == b'\\' && at(i + 1) == b'\'' {
          i += 1;
          current.push(b'\'');
        } else if c == b'\'' {
          if at(i + 1) != 0 && !is_space(at(i + 1)) {
            return None;
          }
          i += 1;
          break;
        } else {
          current.push(c);
        }
      } else {
        match c {
          b' ' | b'\n' | b'\r' | b'\t' | 0 => break,
          b'"' => in_double = true,
          b'\'' => in_single = true,
          _ => current.push(c),
        }
      }
      i += 1;
    }
    args.push(current);
  }
}

fn hex_value(c: u8) -> u8 {
  (c as char).to_digit(16).unwrap_or(0) as u8
}

#[cfg(test)]
mod tests {
  use super::*;

  const LIMITS: ParseLimits = ParseLimits { max_bulk_len: 512 * 1024 * 1024, unauthenticated: false };

  fn parse_all(input: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ProtocolError> {
    let mut state = ParseState::default();
    let mut commands = Vec::new();
    let mut at = 0;
    loop {
      match state.parse(&input[at..], LIMITS)? {
        Parsed::Command { consumed } => {
          let args = state.take_args();
          commands.push(args.with_argv(&input[at..], |argv| argv.iter().map(|a| a.to_vec()).collect()));
          at += consumed;
        }
        Parsed::Empty { consumed } => at += consumed,
        Parsed::Incomplete => return Ok(commands),
      }
    }
  }

  #[test]
  fn multibulk_and_inline() {
    let cmds = parse_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nSET a \"b c\"\r\nPING\n\r\n*0\r\n").unwrap();
    assert_eq!(cmds.len(), 3);
    assert_eq!(cmds[0], vec![b"GET".to_vec(), b"k".to_vec()]);
    assert_eq!(cmds[1], vec![b"SET".to_vec(), b"a".to_vec(), b"b c".to_vec()]);
    assert_eq!(cmds[2], vec![b"PING".to_vec()]);
  }

  #[test]
  fn resumes_at_every_split_point() {
    let input = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    for split in 0..input.len() {
      let mut state = ParseState::default();
      let mut buf = input[..split].to_vec();
      assert_eq!(state.parse(&buf, LIMITS).unwrap(), Parsed::Incomplete, "split {split}");
      buf.extend_from_slice(&input[split..]);
      assert_eq!(state.parse(&buf, LIMITS).unwrap(), Parsed::Command { consumed: input.len() });
      state.take_args().with_argv(&buf, |argv| assert_eq!(argv, [&b"SET"[..], b"key", b"value"]));
    }
  }

  #[test]
  fn protocol_errors() {
    let err = |input: &[u8]| parse_all(input).unwrap_err().0;
    assert_eq!(err(b"*x\r\n"), "Protocol error: invalid multibulk length");
    assert_eq!(err(b"*1\r\n+GET\r\n"), "Protocol error: expected '$', got '+'");
    assert_eq!(err(b"*1\r\n$-1\r\n"), "Protocol error: invalid bulk length");
    assert_eq!(err(b"*1\r\n$536870913\r\n"), "Protocol error: invalid bulk length");
    assert_eq!(err(b"SET \"a\r\n"), "Protocol error: unbalanced quotes in request");
    assert_eq!(err(&vec![b'a'; INLINE_MAX + 1]), "Protocol error: too big inline request");
  }

  #[test]
  fn a_nul_byte_hides_the_end_of_a_line() {
    assert_eq!(parse_all(b"PI\0NG\r\n").unwrap(), Vec::<Vec<Vec<u8>>>::new());
    assert_eq!(parse_all(b"*1\0\r\n$4\r\nPING\r\n").unwrap(), Vec::<Vec<Vec<u8>>>::new());
    assert_eq!(parse_all(b"*1\r\n$4\0\r\nPING\r\n").unwrap(), Vec::<Vec<Vec<u8>>>::new());
    // In a payload, a NUL is just a byte.
    assert_eq!(parse_all(b"*1\r\n$2\r\n\0\0\r\n").unwrap(), vec![vec![b"\0\0".to_vec()]]);
    let mut flood = b"PI\0NG\r\n".to_vec();
    flood.resize(INLINE_MAX + 1, b'a');
    assert_eq!(parse_all(&flood).unwrap_err().0, "Protocol error: too big inline request");
  }

  #[test]
  fn split_args_quoting() {
    let args = split_args(br#"set "a\x41\n" 'it\'s' x"y z""#).unwrap();
    assert_eq!(args, vec![b"set".to_vec(), b"aA\n".to_vec(), b"it's".to_vec(), b"xy z".to_vec()]);
    assert_eq!(split_args(b"\"a\"b"), None);
    assert_eq!(split_args(b"   "), Some(vec![]));
  }
}
