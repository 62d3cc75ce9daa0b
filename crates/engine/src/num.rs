//! Number parsing and formatting with Redis's exact rules.
//!
//! Redis is strict about what counts as an integer (no `+`, no leading zeros, no spaces, at most
//! 20 characters) and prints doubles with `%.17g`. Clients depend on both byte for byte, so these
//! helpers reproduce them rather than using Rust's defaults.

/// Appends the decimal form of `n` to `out` without allocating.
#[inline]
pub fn write_i64(out: &mut Vec<u8>, n: i64) {
  if n < 0 {
    out.push(b'-');
  }
  write_u64(out, n.unsigned_abs());
}

/// Appends the decimal form of the unsigned `n` to `out` without allocating.
#[inline]
pub fn write_u64(out: &mut Vec<u8>, mut n: u64) {
  let mut buf = [0u8; 20];
  let mut pos = buf.len();
  loop {
    pos -= 1;
    buf[pos] = b'0' + (n % 10) as u8;
    n /= 10;
    if n == 0 {
      break;
    }
  }
  out.extend_from_slice(&buf[pos..]);
}

/// The decimal form of `n` as bytes.
pub fn i64_bytes(n: i64) -> Vec<u8> {
  let mut out = Vec::with_capacity(20);
  write_i64(&mut out, n);
  out
}

/// Parses a signed 64-bit integer exactly as Redis's `string2ll`: optional `-`, no leading
/// zeros (except `0` itself), no `+`, no spaces, fewer than 21 characters, no overflow.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
  if s.is_empty() || s.len() >= 21 {
    return None;
  }
  if s == b"0" {
    return Some(0);
  }
  let (negative, digits) = match s[0] {
    b'-' => (true, &s[1..]),
    _ => (false, s),
  };
  match digits.first() {
    Some(b'1'..=b'9') => {}
    _ => return None,
  }
  let mut v: u64 = 0;
  for &c in digits {
    if !c.is_ascii_digit() {
      return None;
    }
    v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
  }
  if negative {
    if v > i64::MAX as u64 + 1 {
      return None;
    }
    Some((v as i64).wrapping_neg())
  } else {
    i64::try_from(v).ok()
  }
}

/// Parses a double exactly as Redis's `string2d`: C's `strtod` (see [`crate::cstr::strtod`]:
/// decimal, hexadecimal, `inf`/`infinity`) must take the whole argument, which may not start
/// with white space; NaN is refused, and so is a finite spelling that overflows to ±inf or
/// underflows to zero (a subnormal result is kept).
pub fn parse_f64(s: &[u8]) -> Option<f64> {
  if s.first().is_none_or(|&b| crate::cstr::is_space(b)) {
    return None;
  }
  let number = crate::cstr::strtod_all(s)?;
  let value = number.value;
  let out_of_range = number.erange && (value.is_infinite() || value == 0.0);
  (!value.is_nan() && !out_of_range).then_some(value)
}

/// Formats `d` like C's `printf("%.17g")`, which Redis 7.0 uses for every double reply.
pub fn format_double(d: f64) -> String {
  if d.is_nan() {
    return "nan".into();
  }
  if d.is_infinite() {
    return if d > 0.0 { "inf".into() } else { "-inf".into() };
  }
  format_g(d, 17)
}

/// `%.{precision}g`: scientific notation when the exponent is below -4 or at least the
/// precision, fixed otherwise; trailing zeros and a trailing point are removed.
pub fn format_g(d: f64, precision: usize) -> String {
  if d == 0.0 {
    return if d.is_sign_negative() { "-0".into() } else { "0".into() };
  }
  let sci = format!("{:.*e}", precision - 1, d);
  let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
  let exponent: i32 = exponent.parse().unwrap_or(0);
  if exponent < -4 || exponent >= precision as i32 {
    let mantissa = trim_fraction(mantissa);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
  } else {
    let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
    trim_fraction(&format!("{:.*}", decimals, d)).to_string()
  }
}

fn trim_fraction(s: &str) -> &str {
  if s.contains('.') {
    s.trim_end_matches('0').trim_end_matches('.')
  } else {
    s
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn integers_follow_string2ll() {
    assert_eq!(parse_i64(b"0"), Some(0));
    assert_eq!(parse_i64(b"-12"), Some(-12));
    assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
    assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
    for bad in [&b""[..], b"-", b"-0", b"+1", b"01", b" 1", b"1 ", b"9223372036854775808", b"1a", b"00"] {
      assert_eq!(parse_i64(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
    let mut out = Vec::new();
    write_i64(&mut out, i64::MIN);
    assert_eq!(out, b"-9223372036854775808");
  }

  #[test]
  fn doubles_follow_strtod() {
    assert_eq!(parse_f64(b"1.5"), Some(1.5));
    assert_eq!(parse_f64(b"+inf"), Some(f64::INFINITY));
    assert_eq!(parse_f64(b"-Infinity"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_f64(b"1e3"), Some(1000.0));
    assert_eq!(parse_f64(b"0.0"), Some(0.0));
    assert_eq!(parse_f64(b"0x1p3"), Some(8.0));
    assert_eq!(parse_f64(b"-0X.8"), Some(-0.5));
    assert_eq!(parse_f64(b"1e-310"), Some(1e-310));
    for bad in [&b""[..], b" 1", b"1 ", b"nan", b"1e400", b"1e-400", b"abc", b"1\x00", b"0x", b"1e"] {
      assert_eq!(parse_f64(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
  }

  #[test]
  fn doubles_print_like_percent_17g() {
    assert_eq!(format_double(1.1), "1.1000000000000001");
    assert_eq!(format_double(1.5), "1.5");
    assert_eq!(format_double(100.0), "100");
    assert_eq!(format_double(-0.0), "-0");
    assert_eq!(format_double(1e20), "1e+20");
    assert_eq!(format_double(1.5e-7), "1.4999999999999999e-07");
    assert_eq!(format_double(0.0001), "0.0001");
    assert_eq!(format_double(12345678901234567.0), "12345678901234568");
    assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
  }
}
