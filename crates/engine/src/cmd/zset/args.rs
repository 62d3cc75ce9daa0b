//! Argument parsing for the sorted-set commands, with Redis's exact acceptance rules.
//!
//! Redis reads numbers with C's `strtod`, so hexadecimal floats (`0x1p3`) and `inf`/`infinity`
//! are scores too. Scores, increments and weights go through `string2d`: the whole argument must
//! be the number, without leading space, not NaN, and a finite spelling that overflows or
//! underflows to zero is refused. Range ends (`ZRANGEBYSCORE`'s min and max) are read more
//! loosely by `zslParseRange`: `strtod` on the argument as a C string, so leading spaces are
//! skipped, text after a NUL byte is ignored, an empty end is 0 and an overflow is ±inf.
//! Options are compared as C strings too (`strcasecmp`): `"NX\0junk"` is `NX`.

use crate::error::Error;
use crate::types::zset::{LexBound, LexRange, ScoreRange};

/// The argument up to its first NUL byte, as C code sees it.
fn c_string(arg: &[u8]) -> &[u8] {
  arg.split(|&b| b == 0).next().unwrap_or(&[])
}

/// C's `isspace`.
fn is_c_space(b: u8) -> bool {
  matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// C's `strtod` when it must consume all of `text` (which must not start with a space).
/// Returns the value and whether it is out of range (overflowed to ±inf, or underflowed to
/// zero although the digits are not all zeros). NaN comes back as NaN.
fn strtod_whole(text: &[u8]) -> Option<(f64, bool)> {
  let (negative, body) = match text.first() {
    Some(b'-') => (true, &text[1..]),
    Some(b'+') => (false, &text[1..]),
    _ => (false, text),
  };
  let (value, out_of_range) = if body.len() > 1 && body[0] == b'0' && (body[1] | 0x20) == b'x' {
    parse_hex(&body[2..])?
  } else {
    parse_decimal(body)?
  };
  Some((if negative { -value } else { value }, out_of_range))
}

/// A decimal number, `inf`, `infinity` or `nan` (any case), without sign.
fn parse_decimal(body: &[u8]) -> Option<(f64, bool)> {
  let text = std::str::from_utf8(body).ok()?;
  if text.starts_with(['+', '-']) {
    return None;
  }
  let value: f64 = text.parse().ok()?;
  if value.is_finite() && value != 0.0 {
    return Some((value, false));
  }
  let spelled_infinite = text.eq_ignore_ascii_case("inf") || text.eq_ignore_ascii_case("infinity");
  let overflow = value.is_infinite() && !spelled_infinite;
  let mantissa = text.split(['e', 'E']).next().unwrap_or("");
  let underflow = value == 0.0 && mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c));
  Some((value, overflow || underflow))
}

/// The part of a hexadecimal float after `0x`: hex digits with at most one point (at least
/// one digit), then optionally `p` and a decimal power of two. Rounds to nearest, ties to even,
/// into normal or subnormal doubles as `strtod` does.
fn parse_hex(body: &[u8]) -> Option<(f64, bool)> {
  let mut mantissa: u64 = 0;
  let mut sticky = false;
  let mut exponent: i64 = 0;
  let (mut digits, mut seen_point, mut i) = (0, false, 0);
  while i < body.len() {
    let c = body[i];
    if c == b'.' && !seen_point {
      seen_point = true;
    } else if let Some(d) = (c as char).to_digit(16) {
      digits += 1;
      if mantissa >> 60 == 0 {
        mantissa = mantissa << 4 | d as u64;
        if seen_point {
          exponent -= 4;
        }
      } else {
        sticky |= d != 0;
        if !seen_point {
          exponent += 4;
        }
      }
    } else {
      break;
    }
    i += 1;
  }
  if digits == 0 {
    return None;
  }
  if i < body.len() {
    if body[i] | 0x20 != b'p' {
      return None;
    }
    let power = &body[i + 1..];
    let (sign, power_digits) = match power.first() {
      Some(b'-') => (-1, &power[1..]),
      Some(b'+') => (1, &power[1..]),
      _ => (1, power),
    };
    if power_digits.is_empty() || !power_digits.iter().all(u8::is_ascii_digit) {
      return None;
    }
    let power = power_digits.iter().fold(0i64, |acc, &d| (acc * 10 + (d - b'0') as i64).min(1 << 40));
    exponent += sign * power;
  }
  if mantissa == 0 {
    return Some((0.0, false));
  }
  // value = mantissa × 2^exponent; normalise the mantissa to 64 significant bits.
  let shift = mantissa.leading_zeros();
  let mantissa = (mantissa << shift) as u128;
  let top = exponent - shift as i64 + 63; // the value is in [2^top, 2^(top+1))
  if top > 1023 {
    return Some((f64::INFINITY, true));
  }
  // Bits to drop so that one unit is the last place: 2^(top-52), or 2^-1074 when subnormal.
  let drop = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
  if drop >= 128 {
    return Some((0.0, true));
  }
  let kept = mantissa >> drop;
  let rest = mantissa & ((1u128 << drop) - 1);
  let half = 1u128 << (drop - 1);
  let kept = kept + (rest > half || (rest == half && (sticky || kept & 1 == 1))) as u128;
  if kept == 0 {
    return Some((0.0, true));
  }
  let value = if top >= -1022 {
    let (mut significand, mut top) = (kept as u64, top);
    if significand >> 53 != 0 {
      significand >>= 1;
      top += 1;
      if top > 1023 {
        return Some((f64::INFINITY, true));
      }
    }
    f64::from_bits(((top + 1023) as u64) << 52 | (significand & ((1 << 52) - 1)))
  } else {
    // A subnormal (or, rounded up, the smallest normal): the bits are the value in 2^-1074.
    f64::from_bits(kept as u64)
  };
  Some((value, false))
}

/// Redis's `string2d`: a score, increment or weight.
pub fn parse_score(arg: &[u8]) -> Option<f64> {
  if arg.first().is_none_or(|&b| is_c_space(b)) {
    return None;
  }
  match strtod_whole(arg)? {
    (value, false) if !value.is_nan() => Some(value),
    _ => None,
  }
}

/// A score as ZADD, ZINCRBY and WEIGHTS read it: "value is not a valid float" (or `error`).
pub fn score_arg(arg: &[u8]) -> Result<f64, Error> {
  parse_score(arg).ok_or(Error::NotFloat)
}

/// One end of a score range (`zslParseRange`): `(` makes it exclusive.
fn score_range_end(arg: &[u8]) -> Option<(f64, bool)> {
  let text = c_string(arg);
  let (exclusive, number) = match text.first() {
    Some(b'(') => (true, &text[1..]),
    _ => (false, text),
  };
  if number.is_empty() {
    return Some((0.0, exclusive));
  }
  let start = number.iter().position(|&b| !is_c_space(b)).unwrap_or(number.len());
  match strtod_whole(&number[start..])? {
    (value, _) if value.is_nan() => None,
    (value, _) => Some((value, exclusive)),
  }
}

/// The min and max of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE...
pub fn score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, Error> {
  match (score_range_end(min), score_range_end(max)) {
    (Some((min, min_exclusive)), Some((max, max_exclusive))) => {
      Ok(ScoreRange { min, max, min_exclusive, max_exclusive })
    }
    _ => Err(Error::err("min or max is not a float")),
  }
}

/// One end of a lexicographic range (`zslParseLexRangeItem`): `-`, `+`, `(member`, `[member`.
fn lex_range_end(arg: &[u8]) -> Option<(LexBound, bool)> {
  let alone = arg.get(1).is_none_or(|&b| b == 0);
  match arg.first() {
    Some(b'+') if alone => Some((LexBound::Max, true)),
    Some(b'-') if alone => Some((LexBound::Min, true)),
    Some(b'(') => Some((LexBound::Value(arg[1..].to_vec()), true)),
    Some(b'[') => Some((LexBound::Value(arg[1..].to_vec()), false)),
    _ => None,
  }
}

/// The min and max of ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX.
pub fn lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, Error> {
  match (lex_range_end(min), lex_range_end(max)) {
    (Some((min, min_exclusive)), Some((max, max_exclusive))) => Ok(LexRange { min, min_exclusive, max, max_exclusive }),
    _ => Err(Error::err("min or max not valid string range item")),
  }
}

/// Redis's `getRangeLongFromObjectOrReply`: an integer within `min..=max`, with `message` as
/// the error for anything else.
pub fn ranged_int(arg: &[u8], min: i64, max: i64, message: &'static str) -> Result<i64, Error> {
  crate::num::parse_i64(arg).filter(|n| (min..=max).contains(n)).ok_or(Error::err(message))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn scores_follow_string2d() {
    assert_eq!(parse_score(b"1.5"), Some(1.5));
    assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_score(b"+Infinity"), Some(f64::INFINITY));
    assert_eq!(parse_score(b".5"), Some(0.5));
    assert_eq!(parse_score(b"5."), Some(5.0));
    assert_eq!(parse_score(b"0x10"), Some(16.0));
    assert_eq!(parse_score(b"0x1.8p1"), Some(3.0));
    assert_eq!(parse_score(b"-0X.8"), Some(-0.5));
    assert_eq!(parse_score(b"0x1p-1074"), Some(f64::from_bits(1)));
    assert_eq!(parse_score(b"0x1.fffffffffffff8p1023"), None);
    assert_eq!(parse_score(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
    assert_eq!(parse_score(b"0x1.00000000000008p0"), Some(1.0));
    assert_eq!(parse_score(b"0x1.00000000000018p0"), Some(1.0 + 2.0 * f64::EPSILON));
    assert_eq!(parse_score(b"4.9e-324"), Some(f64::from_bits(1)));
    for bad in [
      &b""[..],
      b" 1",
      b"1 ",
      b"nan",
      b"-nan",
      b"1e400",
      b"1e-400",
      b"0x",
      b"0x1p",
      b"0x1p-1080",
      b"1e",
      b"abc",
      b"1\x002",
      b"++1",
    ] {
      assert_eq!(parse_score(bad), None, "{:?}", String::from_utf8_lossy(bad));
    }
  }

  #[test]
  fn range_ends_follow_strtod_on_c_strings() {
    let end = |s: &[u8]| score_range_end(s);
    assert_eq!(end(b"(1.5"), Some((1.5, true)));
    assert_eq!(end(b" 2"), Some((2.0, false)));
    assert_eq!(end(b""), Some((0.0, false)));
    assert_eq!(end(b"("), Some((0.0, true)));
    assert_eq!(end(b"1e400"), Some((f64::INFINITY, false)));
    assert_eq!(end(b"3\x00junk"), Some((3.0, false)));
    assert_eq!(end(b"  "), None);
    assert_eq!(end(b"nan"), None);
    assert_eq!(end(b"2 "), None);
  }

  #[test]
  fn lex_ends() {
    assert_eq!(lex_range_end(b"-"), Some((LexBound::Min, true)));
    assert_eq!(lex_range_end(b"+\0x"), Some((LexBound::Max, true)));
    assert_eq!(lex_range_end(b"[a"), Some((LexBound::Value(b"a".to_vec()), false)));
    assert_eq!(lex_range_end(b"("), Some((LexBound::Value(Vec::new()), true)));
    assert_eq!(lex_range_end(b"+x"), None);
    assert_eq!(lex_range_end(b"a"), None);
    assert_eq!(lex_range_end(b""), None);
  }
}
