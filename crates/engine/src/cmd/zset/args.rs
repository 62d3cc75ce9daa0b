//! Argument parsing for the sorted-set commands, with Redis's exact acceptance rules.
//!
//! Redis reads numbers with C's `strtod`, so hexadecimal floats (`0x1p3`) and `inf`/`infinity`
//! are scores too. Scores, increments and weights go through `string2d`: the whole argument must
//! be the number, without leading space, not NaN, and a finite spelling that overflows or
//! underflows to zero is refused. Range ends (`ZRANGEBYSCORE`'s min and max) are read more
//! loosely by `zslParseRange`: `strtod` on the argument as a C string, so leading spaces are
//! skipped, text after a NUL byte is ignored, an empty end is 0 and an overflow is ±inf.
//! Options are compared as C strings too (`strcasecmp`): `"NX\0junk"` is `NX`.

use crate::cstr::{self, Strtod};
use crate::error::Error;
use crate::types::zset::{LexBound, LexRange, ScoreRange};

/// Redis's `string2d`: a score, increment or weight. `strtod` must consume the whole argument
/// (a NUL byte stops it, so one inside refuses the argument), which must not start with white
/// space; NaN is refused, and so is ERANGE when the result overflowed to ±inf or was flushed to
/// zero (a subnormal result is accepted although `strtod` reports ERANGE for it).
pub fn parse_score(arg: &[u8]) -> Option<f64> {
  if arg.first().is_none_or(|&b| cstr::is_space(b)) {
    return None;
  }
  let Strtod { value, erange, .. } = cstr::strtod_all(arg)?;
  let overflow_or_flushed = erange && (value.is_infinite() || value == 0.0);
  (!overflow_or_flushed && !value.is_nan()).then_some(value)
}

/// A score as ZADD, ZINCRBY and WEIGHTS read it: "value is not a valid float" (or `error`).
pub fn score_arg(arg: &[u8]) -> Result<f64, Error> {
  parse_score(arg).ok_or(Error::NotFloat)
}

/// One end of a score range (`zslParseRange`): `(` makes it exclusive. The rest, as a C string,
/// must be read whole by `strtod` (so leading white space is skipped and an empty end is 0);
/// only NaN is refused, an overflow is ±inf.
fn score_range_end(arg: &[u8]) -> Option<(f64, bool)> {
  let text = cstr::until_nul(arg);
  let (exclusive, number) = match text.first() {
    Some(b'(') => (true, &text[1..]),
    _ => (false, text),
  };
  let value = cstr::strtod_all(number)?.value;
  (!value.is_nan()).then_some((value, exclusive))
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

  /// `string2d`'s rules on top of `strtod` (the spellings themselves are tested in `cstr`).
  #[test]
  fn scores_follow_string2d() {
    assert_eq!(parse_score(b"1.5"), Some(1.5));
    assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_score(b"+Infinity"), Some(f64::INFINITY));
    assert_eq!(parse_score(b"0x1.8p1"), Some(3.0));
    assert_eq!(parse_score(b"0x1p-1074"), Some(f64::from_bits(1)));
    assert_eq!(parse_score(b"0x1.8p-1074"), Some(f64::from_bits(2)));
    assert_eq!(parse_score(b"0x1.fffffffffffff8p1023"), None);
    assert_eq!(parse_score(b"0x1.fffffffffffffp1023"), Some(f64::MAX));
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
