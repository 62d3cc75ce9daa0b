//! Arguments as Redis's C code reads them: `isspace`, NUL-terminated strings, `strtod` and
//! `strtoull`.
//!
//! Redis hands many arguments straight to C library functions. Those functions see a byte string
//! only up to its first NUL byte, skip white space as `isspace` defines it, and read numbers with
//! `strtod`, which knows more spellings than Rust's `f64::from_str` (hexadecimal floats such as
//! `0x1.8p3`) and reports more than a value (where it stopped, and `ERANGE`). Commands that must
//! accept and refuse exactly what Redis does (SORT keys, sorted-set scores and range ends, inline
//! requests) share this one reproduction instead of each carrying its own. The rules of each
//! caller (must the whole argument be a number? is `ERANGE` an error?) stay with the caller.

/// C's `isspace` in the C locale: space, `\t`, `\n`, vertical tab, form feed and `\r`.
pub fn is_space(b: u8) -> bool {
  matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The part of `arg` that C string functions see: everything before its first NUL byte (all of
/// it when there is none).
pub fn until_nul(arg: &[u8]) -> &[u8] {
  arg.split(|&b| b == 0).next().unwrap_or(arg)
}

/// Appends `arg` with C-style escapes, as Redis's `sdscatrepr` (without the quotes).
pub fn escape_repr(out: &mut Vec<u8>, arg: &[u8]) {
  for &c in arg {
    match c {
      b'\\' => out.extend_from_slice(b"\\\\"),
      b'"' => out.extend_from_slice(b"\\\""),
      b'\n' => out.extend_from_slice(b"\\n"),
      b'\r' => out.extend_from_slice(b"\\r"),
      b'\t' => out.extend_from_slice(b"\\t"),
      0x07 => out.extend_from_slice(b"\\a"),
      0x08 => out.extend_from_slice(b"\\b"),
      0x20..=0x7e => out.push(c),
      _ => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
    }
  }
}

/// What one call of C's `strtod` reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Strtod {
  /// The number read, with its sign; 0 when no number was found. ±inf after an overflow.
  pub value: f64,
  /// How many bytes the number took, leading white space included: where `endptr` would point.
  /// 0 when there was no number at all (C then points `endptr` back at the start, before any
  /// white space).
  pub consumed: usize,
  /// Whether `strtod` would set `errno` to `ERANGE`: the number overflowed (to ±inf, though not
  /// spelled `inf`), or lies below the normal doubles and could not be represented exactly
  /// (possibly flushed to zero). See [`strtod`] for how "exactly" is judged.
  pub erange: bool,
}

/// C's `strtod` on `text`, which stops wherever the number stops (a NUL byte included, so pass
/// the whole argument or [`until_nul`] of it as the caller's C code would).
///
/// Accepted, after optional white space and an optional `+` or `-`:
/// - decimal: `digits[.digits][e[+-]digits]` with at least one digit before the exponent;
/// - hexadecimal: `0x` (any case), hex digits with at most one point and at least one digit,
///   then optionally `p[+-]digits`, a power of two; rounded to nearest, ties to even;
/// - `inf`, `infinity`, `nan` and `nan(chars)` (letters, digits, `_`), in any case.
///
/// An exponent marker without digits, and a `0x` without hex digits, are not part of the number
/// (`"1e"` reads `1`, `"0x"` reads `0`), as in C.
///
/// `erange` is exact for overflow. Below the normal range it follows glibc except in two corners
/// where this engine has always answered otherwise (kept so that no command changes): a
/// hexadecimal number is out of range when bits are lost, judged on the value before rounding,
/// so `0x1.fffffffffffff8p-1023`, which rounds up to the smallest normal double, counts (glibc
/// judges after rounding and does not); a decimal number is out of range whenever its digits
/// are not all zeros and the rounded result is below the smallest normal double, so a decimal
/// that is exactly a subnormal (which takes hundreds of digits) counts too.
pub fn strtod(text: &[u8]) -> Strtod {
  let start = text.iter().position(|&b| !is_space(b)).unwrap_or(text.len());
  let (negative, at) = match text.get(start) {
    Some(b'-') => (true, start + 1),
    Some(b'+') => (false, start + 1),
    _ => (false, start),
  };
  match unsigned(&text[at..]) {
    Some(number) => Strtod {
      value: if negative { -number.value } else { number.value },
      consumed: at + number.len,
      erange: number.erange,
    },
    None => Strtod { value: 0.0, consumed: 0, erange: false },
  }
}

/// [`strtod`] when the number must be all of `text`, as callers that check `*endptr == '\0'`
/// require: `None` if anything is left over. An empty (or NUL-truncated empty) text is the
/// number 0, since nothing is left over.
pub fn strtod_all(text: &[u8]) -> Option<Strtod> {
  let number = strtod(text);
  (number.consumed == text.len()).then_some(number)
}

/// A number without its sign, and how many bytes of the text it took.
struct Unsigned {
  value: f64,
  len: usize,
  erange: bool,
}

impl Unsigned {
  fn exact(value: f64, len: usize) -> Unsigned {
    Unsigned { value, len, erange: false }
  }
}

/// The number at the start of `text` (after the sign), if there is one.
fn unsigned(text: &[u8]) -> Option<Unsigned> {
  if starts_with_ignore_case(text, b"inf") {
    let len = if starts_with_ignore_case(&text[3..], b"inity") { 8 } else { 3 };
    return Some(Unsigned::exact(f64::INFINITY, len));
  }
  if starts_with_ignore_case(text, b"nan") {
    return Some(Unsigned::exact(f64::NAN, 3 + nan_payload_len(&text[3..])));
  }
  if text.len() > 2 && text[0] == b'0' && text[1] | 0x20 == b'x' {
    if let Some(number) = hexadecimal(&text[2..]) {
      return Some(Unsigned { len: number.len + 2, ..number });
    }
  }
  decimal(text)
}

fn starts_with_ignore_case(text: &[u8], prefix: &[u8]) -> bool {
  text.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// The length of a `(chars)` after `nan`, or 0 when there is none (or it is not closed).
fn nan_payload_len(text: &[u8]) -> usize {
  if text.first() != Some(&b'(') {
    return 0;
  }
  let chars = digits(&text[1..], |b| b.is_ascii_alphanumeric() || b == b'_');
  if text.get(1 + chars) == Some(&b')') {
    chars + 2
  } else {
    0
  }
}

/// How many bytes at the start of `text` satisfy `is_digit`.
fn digits(text: &[u8], is_digit: impl Fn(u8) -> bool) -> usize {
  text.iter().take_while(|&&b| is_digit(b)).count()
}

/// The length of an exponent `[+-]digits` at the start of `text` (0 if there is none).
fn exponent_len(text: &[u8]) -> usize {
  let sign = usize::from(matches!(text.first(), Some(b'+' | b'-')));
  match digits(&text[sign..], |b| b.is_ascii_digit()) {
    0 => 0,
    count => sign + count,
  }
}

/// The lengths of a mantissa `digits[.digits]` at the start of `text`: (integer digits,
/// fraction digits, bytes taken). `None` without any digit.
fn mantissa_len(text: &[u8], is_digit: impl Fn(u8) -> bool) -> Option<(usize, usize, usize)> {
  let integer = digits(text, &is_digit);
  let (fraction, len) = match text.get(integer) {
    Some(b'.') => {
      let fraction = digits(&text[integer + 1..], &is_digit);
      (fraction, integer + 1 + fraction)
    }
    _ => (0, integer),
  };
  (integer + fraction > 0).then_some((integer, fraction, len))
}

/// A decimal number at the start of `text`, correctly rounded (Rust's parser does that part).
fn decimal(text: &[u8]) -> Option<Unsigned> {
  let (_, _, mantissa_end) = mantissa_len(text, |b| b.is_ascii_digit())?;
  let mut len = mantissa_end;
  if matches!(text.get(len), Some(b'e' | b'E')) {
    match exponent_len(&text[len + 1..]) {
      0 => {}
      exponent => len += 1 + exponent,
    }
  }
  // The grammar above is a subset of what `f64::from_str` accepts, so this does not fail.
  let value: f64 = std::str::from_utf8(&text[..len]).ok()?.parse().ok()?;
  let nonzero = text[..mantissa_end].iter().any(|b| (b'1'..=b'9').contains(b));
  let erange = value.is_infinite() || (value < f64::MIN_POSITIVE && nonzero);
  Some(Unsigned { value, len, erange })
}

/// A hexadecimal float at the start of `text`, which follows the `0x`.
fn hexadecimal(text: &[u8]) -> Option<Unsigned> {
  let (integer, fraction, mantissa_end) = mantissa_len(text, |b| b.is_ascii_hexdigit())?;
  // A power of two, saturated far beyond the range of doubles.
  let mut power: i64 = 0;
  let mut len = mantissa_end;
  if matches!(text.get(len), Some(b'p' | b'P')) {
    let written = &text[len + 1..len + 1 + exponent_len(&text[len + 1..])];
    if !written.is_empty() {
      let magnitude = written
        .iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0i64, |acc, &d| (acc * 10 + i64::from(d - b'0')).min(1 << 40));
      power = if written[0] == b'-' { -magnitude } else { magnitude };
      len += 1 + written.len();
    }
  }
  // The first 61 to 64 significant bits are kept exactly; nonzero digits after them only
  // matter for rounding ("sticky").
  let mut mantissa: u64 = 0;
  let mut sticky = false;
  let integer_digits = text[..integer].iter().map(|&b| (b, false));
  let fraction_digits = text[mantissa_end - fraction..mantissa_end].iter().map(|&b| (b, true));
  for (b, in_fraction) in integer_digits.chain(fraction_digits) {
    let digit = u64::from((b as char).to_digit(16)?);
    if mantissa >> 60 == 0 {
      mantissa = mantissa << 4 | digit;
      power -= if in_fraction { 4 } else { 0 };
    } else {
      sticky |= digit != 0;
      power += if in_fraction { 0 } else { 4 };
    }
  }
  let (value, erange) = scale_binary(mantissa, power, sticky);
  Some(Unsigned { value, len, erange })
}

/// `mantissa × 2^power` rounded to a double, to nearest with ties to even (`sticky` says that
/// nonzero bits were dropped below the mantissa), and whether it is out of range.
fn scale_binary(mantissa: u64, power: i64, sticky: bool) -> (f64, bool) {
  if mantissa == 0 {
    return (0.0, false);
  }
  // Normalise the mantissa to 64 significant bits; the value is in [2^top, 2^(top+1)).
  let shift = mantissa.leading_zeros();
  let mantissa = u128::from(mantissa << shift);
  let top = power - i64::from(shift) + 63;
  if top > 1023 {
    return (f64::INFINITY, true);
  }
  let tiny = top < -1022;
  // Bits to drop so that one unit is the last place: 2^(top-52), or 2^-1074 below the normals.
  let drop = if tiny { 11 + (-1022 - top) } else { 11 };
  if drop >= 128 {
    return (0.0, true);
  }
  let kept = mantissa >> drop;
  let rest = mantissa & ((1u128 << drop) - 1);
  let half = 1u128 << (drop - 1);
  let inexact = rest != 0 || sticky;
  let kept = kept + u128::from(rest > half || (rest == half && (sticky || kept & 1 == 1)));
  if kept == 0 {
    return (0.0, true);
  }
  let value = if tiny {
    // A subnormal, or rounded up, the smallest normal: the bits are the value in 2^-1074.
    f64::from_bits(kept as u64)
  } else {
    let (mut significand, mut top) = (kept as u64, top);
    if significand >> 53 != 0 {
      significand >>= 1;
      top += 1;
      if top > 1023 {
        return (f64::INFINITY, true);
      }
    }
    f64::from_bits(((top + 1023) as u64) << 52 | (significand & ((1 << 52) - 1)))
  };
  (value, tiny && inexact)
}

/// C's `strtoull` in base 10 on `text`, reported like [`strtod`]: after optional white space
/// and an optional sign, the digits; a `-` negates the result modulo 2^64, as C does. Taking
/// the whole text is the caller's check (`consumed == text.len()`).
pub fn strtoull(text: &[u8]) -> Strtoull {
  let start = text.iter().position(|&b| !is_space(b)).unwrap_or(text.len());
  let (negative, at) = match text.get(start) {
    Some(b'-') => (true, start + 1),
    Some(b'+') => (false, start + 1),
    _ => (false, start),
  };
  let count = digits(&text[at..], |b| b.is_ascii_digit());
  if count == 0 {
    return Strtoull { value: 0, consumed: 0, erange: false };
  }
  let magnitude =
    text[at..at + count].iter().try_fold(0u64, |acc, &d| acc.checked_mul(10)?.checked_add(u64::from(d - b'0')));
  let consumed = at + count;
  match magnitude {
    Some(value) => Strtoull { value: if negative { value.wrapping_neg() } else { value }, consumed, erange: false },
    None => Strtoull { value: u64::MAX, consumed, erange: true },
  }
}

/// What one call of C's `strtoull` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strtoull {
  /// The number read, `u64::MAX` after an overflow.
  pub value: u64,
  /// How many bytes the number took, leading white space included; 0 when there was none.
  pub consumed: usize,
  /// Whether `errno` would be `ERANGE`: the digits overflowed 64 bits.
  pub erange: bool,
}

#[cfg(test)]
mod tests {
  use super::*;

  /// `strtod` as (value, consumed, erange).
  fn read(text: &[u8]) -> (f64, usize, bool) {
    let number = strtod(text);
    (number.value, number.consumed, number.erange)
  }

  #[test]
  fn c_strings_and_spaces() {
    assert_eq!(until_nul(b"ab\0cd\0"), b"ab");
    assert_eq!(until_nul(b"\0ab"), b"");
    assert_eq!(until_nul(b"abc"), b"abc");
    assert_eq!(until_nul(b""), b"");
    for b in [b' ', b'\t', b'\n', b'\x0b', b'\x0c', b'\r'] {
      assert!(is_space(b), "{b:#x}");
    }
    for b in [0, b'a', b'0', 0x85, 0xa0] {
      assert!(!is_space(b), "{b:#x}");
    }
  }

  #[test]
  fn decimal_spellings() {
    assert_eq!(read(b"1.5"), (1.5, 3, false));
    assert_eq!(read(b" \t12"), (12.0, 4, false));
    assert_eq!(read(b"12 "), (12.0, 2, false));
    assert_eq!(read(b"1\x00junk"), (1.0, 1, false));
    assert_eq!(read(b"+.5"), (0.5, 3, false));
    assert_eq!(read(b".5"), (0.5, 2, false));
    assert_eq!(read(b"5."), (5.0, 2, false));
    assert_eq!(read(b"1.e5"), (1e5, 4, false));
    assert_eq!(read(b"1E+3"), (1e3, 4, false));
    assert_eq!(read(b"-0"), (-0.0, 2, false));
    assert!(read(b"-0").0.is_sign_negative());
    // An exponent marker without digits is not part of the number.
    assert_eq!(read(b"1e"), (1.0, 1, false));
    assert_eq!(read(b"1e+"), (1.0, 1, false));
    assert_eq!(read(b"1ex"), (1.0, 1, false));
    // No number at all: nothing consumed, white space included.
    for none in [&b""[..], b" ", b".", b"e5", b"abc", b"++1", b"+ 1", b"-", b" -x"] {
      assert_eq!(read(none), (0.0, 0, false), "{:?}", String::from_utf8_lossy(none));
    }
  }

  #[test]
  fn infinity_and_nan() {
    assert_eq!(read(b"-inf"), (f64::NEG_INFINITY, 4, false));
    assert_eq!(read(b"+Infinity"), (f64::INFINITY, 9, false));
    assert_eq!(read(b"INFINITY"), (f64::INFINITY, 8, false));
    assert_eq!(read(b"infinit"), (f64::INFINITY, 3, false));
    assert_eq!(read(b"infx"), (f64::INFINITY, 3, false));
    for (text, consumed) in [(&b"nan"[..], 3), (b"-NaN", 4), (b"nan(x_1)", 8), (b"nan()", 5), (b"nan(x", 3)] {
      let number = strtod(text);
      assert!(number.value.is_nan(), "{:?}", String::from_utf8_lossy(text));
      assert_eq!((number.consumed, number.erange), (consumed, false), "{:?}", String::from_utf8_lossy(text));
    }
  }

  #[test]
  fn decimal_range() {
    assert_eq!(read(b"1e308"), (1e308, 5, false));
    assert_eq!(read(b"1e309"), (f64::INFINITY, 5, true));
    assert_eq!(read(b"-1e400"), (f64::NEG_INFINITY, 6, true));
    assert_eq!(read(b"2.2250738585072014e-308"), (f64::MIN_POSITIVE, 23, false));
    assert_eq!(read(b"1e-310"), (1e-310, 6, true));
    assert_eq!(read(b"4.9e-324"), (f64::from_bits(1), 8, true));
    assert_eq!(read(b"1e-400"), (0.0, 6, true));
    assert_eq!(read(b"0e-400"), (0.0, 6, false));
    assert_eq!(read(b"0.000e99999"), (0.0, 11, false));
  }

  #[test]
  fn hexadecimal_spellings() {
    assert_eq!(read(b"0x10"), (16.0, 4, false));
    assert_eq!(read(b"0x1p3"), (8.0, 5, false));
    assert_eq!(read(b"0X1.8P1"), (3.0, 7, false));
    assert_eq!(read(b"0x1.8p1"), (3.0, 7, false));
    assert_eq!(read(b"-0X.8"), (-0.5, 5, false));
    assert_eq!(read(b"0x.8"), (0.5, 4, false));
    assert_eq!(read(b"0x8."), (8.0, 4, false));
    assert_eq!(read(b"0x1p-2"), (0.25, 6, false));
    assert_eq!(read(b"0x0p99999"), (0.0, 9, false));
    // `0x` without hex digits reads the `0`; `p` without digits is not part of the number.
    assert_eq!(read(b"0x"), (0.0, 1, false));
    assert_eq!(read(b"0x."), (0.0, 1, false));
    assert_eq!(read(b"0xg"), (0.0, 1, false));
    assert_eq!(read(b"0x1p"), (1.0, 3, false));
    assert_eq!(read(b"0x1p+"), (1.0, 3, false));
  }

  #[test]
  fn hexadecimal_rounding_and_range() {
    assert_eq!(read(b"0x1.fffffffffffffp1023"), (f64::MAX, 22, false));
    assert_eq!(read(b"0x1.fffffffffffff8p1023"), (f64::INFINITY, 23, true));
    assert_eq!(read(b"0x1p1024"), (f64::INFINITY, 8, true));
    assert_eq!(read(b"0x1p-1022"), (f64::MIN_POSITIVE, 9, false));
    assert_eq!(read(b"0x1p-1074"), (f64::from_bits(1), 9, false));
    assert_eq!(read(b"0x1.8p-1074"), (f64::from_bits(2), 11, true));
    assert_eq!(read(b"0x1.fffffffffffff8p-1023"), (f64::MIN_POSITIVE, 24, true));
    assert_eq!(read(b"0x1p-1080"), (0.0, 9, true));
    assert_eq!(read(b"-0x1p-99999999999999"), (-0.0, 20, true));
    // Ties go to even; any nonzero digit beyond the kept ones breaks a tie.
    assert_eq!(read(b"0x1.00000000000008p0"), (1.0, 20, false));
    assert_eq!(read(b"0x1.00000000000018p0"), (1.0 + 2.0 * f64::EPSILON, 20, false));
    assert_eq!(read(b"0x1.00000000000000000000001p0").0, 1.0);
    assert_eq!(read(b"0x1.0000000000000800000001p0").0, 1.0 + f64::EPSILON);
    assert_eq!(read(b"0x123456789abcdef0123p0").0, 0x123456789abcdef0123u128 as f64);
  }

  #[test]
  fn whole_text() {
    assert_eq!(strtod_all(b"").map(|n| n.value), Some(0.0));
    assert_eq!(strtod_all(b" 2").map(|n| n.value), Some(2.0));
    assert_eq!(strtod_all(b"2 "), None);
    assert_eq!(strtod_all(b"  "), None);
    assert_eq!(strtod_all(b"1\x002"), None);
    assert_eq!(strtod_all(b"1e400").map(|n| (n.value, n.erange)), Some((f64::INFINITY, true)));
  }

  #[test]
  fn strtoull_reads_like_c() {
    let read = |text: &str| {
      let r = strtoull(text.as_bytes());
      (r.value, r.consumed, r.erange)
    };
    assert_eq!(read("42"), (42, 2, false));
    assert_eq!(read("  +7x"), (7, 4, false));
    assert_eq!(read("-1"), (u64::MAX, 2, false));
    assert_eq!(read("-18446744073709551615"), (1, 21, false));
    assert_eq!(read("18446744073709551616"), (u64::MAX, 20, true));
    assert_eq!(read(" -"), (0, 0, false));
    assert_eq!(read(""), (0, 0, false));
  }
}
