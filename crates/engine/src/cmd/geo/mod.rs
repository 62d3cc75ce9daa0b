//! Geospatial commands: a geo index is a sorted set whose scores are 52-bit geohashes (see
//! `crate::geo`), so these commands are sorted-set commands underneath and work on any sorted
//! set. One file per family: `add` (GEOADD, which hands its work to ZADD as Redis does),
//! `read` (GEOPOS, GEODIST, GEOHASH) and `search` (GEORADIUS, GEORADIUSBYMEMBER, their `_RO`
//! forms, GEOSEARCH and GEOSEARCHSTORE).
//!
//! This module holds what they share: reading coordinates, distances and units with Redis's
//! errors, and writing positions and distances the way Redis prints them. A position is the
//! centre of the member's cell, printed with `%.17Lf` on the `long double` it widens to, with
//! trailing zeros dropped (`13.36138933897018433`); a distance is printed with exactly four
//! decimals (`166.2742`), always as a bulk string, in RESP3 too.

mod add;
mod read;
mod search;

pub use add::*;
pub use read::*;
pub use search::*;

use crate::cmd::is;
use crate::error::Error;
use crate::long_double::LongDouble;
use crate::num::parse_f64;
use crate::resp::Reply;

/// A longitude and a latitude argument: each must be a number ("value is not a valid float"),
/// then the pair must be indexable.
fn lon_lat(lon: &[u8], lat: &[u8]) -> Result<(f64, f64), Error> {
  let lon = parse_f64(lon).ok_or(Error::NotFloat)?;
  let lat = parse_f64(lat).ok_or(Error::NotFloat)?;
  if !crate::geo::valid_lon_lat(lon, lat) {
    return Err(Error::err(format!("invalid longitude,latitude pair {lon:.6},{lat:.6}")));
  }
  Ok((lon, lat))
}

/// A unit argument: how many metres it is.
fn unit(arg: &[u8]) -> Result<f64, Error> {
  if is(arg, "m") {
    Ok(1.0)
  } else if is(arg, "km") {
    Ok(1000.0)
  } else if is(arg, "ft") {
    Ok(0.3048)
  } else if is(arg, "mi") {
    Ok(1609.34)
  } else {
    Err(Error::err("unsupported unit provided. please use M, KM, FT, MI"))
  }
}

/// A non-negative length argument (a radius, a width or a height); `what` names it in the
/// error for a non-number.
fn length(arg: &[u8], what: &'static str) -> Result<f64, Error> {
  parse_f64(arg).ok_or(Error::err(what))
}

/// Writes a distance as Redis's `addReplyDoubleDistance`: rounded to a whole number of
/// ten-thousandths (C's `llrint`: to nearest, ties to even; a NaN or a value out of range
/// gives the smallest 64-bit integer), with exactly four decimals, as a bulk string.
fn reply_distance(out: &mut Reply, distance: f64) {
  if distance == 0.0 {
    out.bulk(b"0.0000");
    return;
  }
  const TWO_63: f64 = 9_223_372_036_854_775_808.0;
  let scaled = (distance * 10000.0).round_ties_even();
  let units = if (-TWO_63..TWO_63).contains(&scaled) { scaled as i64 } else { i64::MIN };
  let sign = if units < 0 { "-" } else { "" };
  let magnitude = units.unsigned_abs();
  let text = format!("{sign}{}.{:04}", magnitude / 10000, magnitude % 10000);
  out.bulk(text.as_bytes());
}

/// Writes a coordinate as Redis's `addReplyHumanLongDouble`: the human form of its `long
/// double` value, as a bulk string in RESP2 and as a double in RESP3.
fn reply_coordinate(out: &mut Reply, degrees: f64) {
  let text = LongDouble::from_f64(degrees).to_human_string();
  if out.resp3 {
    out.buf.push(b',');
    out.raw(text.as_bytes());
    out.raw(b"\r\n");
  } else {
    out.bulk(text.as_bytes());
  }
}

/// Writes a position as a two-element array: longitude, latitude.
fn reply_position(out: &mut Reply, (lon, lat): (f64, f64)) {
  out.array(2);
  reply_coordinate(out, lon);
  reply_coordinate(out, lat);
}

#[cfg(test)]
mod tests {
  use super::*;

  fn written(write: impl FnOnce(&mut Reply)) -> String {
    let mut out = Reply::new(false);
    write(&mut out);
    String::from_utf8(out.buf).unwrap()
  }

  #[test]
  fn distances_have_four_decimals() {
    assert_eq!(written(|out| reply_distance(out, 0.0)), "$6\r\n0.0000\r\n");
    assert_eq!(written(|out| reply_distance(out, 166274.15156960033)), "$11\r\n166274.1516\r\n");
    assert_eq!(written(|out| reply_distance(out, 0.00005)), "$6\r\n0.0000\r\n");
    // 0.00015 × 10000 is just below 1.5; 0.00025 × 10000 is 2.5, a tie that goes to even.
    assert_eq!(written(|out| reply_distance(out, 0.00015)), "$6\r\n0.0001\r\n");
    assert_eq!(written(|out| reply_distance(out, 0.00025)), "$6\r\n0.0002\r\n");
    assert_eq!(written(|out| reply_distance(out, 12.5)), "$7\r\n12.5000\r\n");
    assert_eq!(written(|out| reply_distance(out, f64::NAN)), "$21\r\n-922337203685477.5808\r\n");
  }

  #[test]
  fn coordinates_are_human_long_doubles() {
    assert_eq!(written(|out| reply_coordinate(out, 13.361389338970184)), "$20\r\n13.36138933897018433\r\n");
    assert_eq!(written(|out| reply_coordinate(out, 180.0)), "$3\r\n180\r\n");
    assert_eq!(written(|out| reply_coordinate(out, crate::geo::LAT_MAX)), "$19\r\n85.0511287799999991\r\n");
    assert_eq!(written(|out| reply_coordinate(out, -1e-20)), "$1\r\n0\r\n");
  }

  #[test]
  fn coordinate_errors_print_six_decimals() {
    let error = lon_lat(b"200", b"-0").unwrap_err();
    assert_eq!(error.message(), "ERR invalid longitude,latitude pair 200.000000,-0.000000");
    assert_eq!(lon_lat(b"x", b"100").unwrap_err(), Error::NotFloat);
    let huge = lon_lat(b"1e300", b"0").unwrap_err().message().into_owned();
    assert!(huge.ends_with("400540160.000000,0.000000"), "{huge}");
    assert_eq!(unit(b"KM\0junk"), Ok(1000.0));
  }
}
