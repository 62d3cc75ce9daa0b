//! Geohash cells: encoding a position, decoding a cell back to its area and centre, moving to
//! a neighbouring cell, and the standard base32 text form.
//!
//! A [`GeoHash`] of precision `step` names one cell of a 2^step × 2^step grid over a longitude
//! range and a latitude range: `2 × step` bits, latitude on the even bits and longitude on the
//! odd ones, most significant first. Stored scores use step 26 over the Web Mercator ranges.
//!
//! Scaling a coordinate truncates toward zero, so a coordinate at the top of its range scales
//! to 2^step, one past the last cell: longitude 180 and latitude 85.05112878 give hashes above
//! 2^52. Redis keeps such hashes as they are (decoding clamps them back into range), and so do
//! we.

use super::{LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, STEP_MAX};

/// A cell: `step` bits per coordinate, interleaved into `bits`. The all-zero value (step 0)
/// stands for "no cell" in a search (see `area::search_cells`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GeoHash {
  pub bits: u64,
  pub step: u8,
}

/// An interval of one coordinate, in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
  pub min: f64,
  pub max: f64,
}

/// The longitudes stored scores cover.
pub const LON_RANGE: Range = Range { min: LON_MIN, max: LON_MAX };
/// The latitudes stored scores cover.
pub const LAT_RANGE: Range = Range { min: LAT_MIN, max: LAT_MAX };
/// The latitudes of standard geohash strings (GEOHASH re-encodes positions over them).
pub const STANDARD_LAT_RANGE: Range = Range { min: -90.0, max: 90.0 };

/// The rectangle a cell covers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Area {
  pub lon: Range,
  pub lat: Range,
}

impl Area {
  /// The centre of the cell, clamped to the indexable ranges: the position a stored score
  /// reads back as.
  pub fn center(&self) -> (f64, f64) {
    let lon = ((self.lon.min + self.lon.max) / 2.0).clamp(LON_MIN, LON_MAX);
    let lat = ((self.lat.min + self.lat.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (lon, lat)
  }
}

/// The eight cells around one cell, at the same precision. Moving past the edge of the grid
/// wraps around to the other side (in latitude too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neighbours {
  pub north: GeoHash,
  pub south: GeoHash,
  pub east: GeoHash,
  pub west: GeoHash,
  pub north_east: GeoHash,
  pub north_west: GeoHash,
  pub south_east: GeoHash,
  pub south_west: GeoHash,
}

/// Bits of the latitude (even positions) and of the longitude (odd positions).
const EVEN_BITS: u64 = 0x5555_5555_5555_5555;
const ODD_BITS: u64 = 0xaaaa_aaaa_aaaa_aaaa;

/// Moves bit `i` of `v` to bit `2i`.
fn spread(v: u32) -> u64 {
  let mut v = v as u64;
  v = (v | (v << 16)) & 0x0000_ffff_0000_ffff;
  v = (v | (v << 8)) & 0x00ff_00ff_00ff_00ff;
  v = (v | (v << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
  v = (v | (v << 2)) & 0x3333_3333_3333_3333;
  (v | (v << 1)) & EVEN_BITS
}

/// Moves bit `2i` of `v` to bit `i` (the odd bits are dropped).
fn squash(v: u64) -> u32 {
  let mut v = v & EVEN_BITS;
  v = (v | (v >> 1)) & 0x3333_3333_3333_3333;
  v = (v | (v >> 2)) & 0x0f0f_0f0f_0f0f_0f0f;
  v = (v | (v >> 4)) & 0x00ff_00ff_00ff_00ff;
  v = (v | (v >> 8)) & 0x0000_ffff_0000_ffff;
  (v | (v >> 16)) as u32
}

/// The cell of precision `step` (1..=32) holding a position, over the given ranges. `None`
/// when the position is outside them or outside the indexable limits.
pub fn encode(lon_range: Range, lat_range: Range, lon: f64, lat: f64, step: u8) -> Option<GeoHash> {
  if step == 0 || step > 32 || !super::valid_lon_lat(lon, lat) {
    return None;
  }
  if lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max {
    return None;
  }
  let cells = (1u64 << step) as f64;
  let lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min) * cells;
  let lon_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min) * cells;
  // Truncation toward zero, as C's conversion to an unsigned integer.
  let bits = spread(lat_offset as u32) | (spread(lon_offset as u32) << 1);
  Some(GeoHash { bits, step })
}

/// The area of a cell over the given ranges; `None` for the empty cell.
pub fn decode(lon_range: Range, lat_range: Range, hash: GeoHash) -> Option<Area> {
  if hash.bits == 0 && hash.step == 0 {
    return None;
  }
  let lat_cell = squash(hash.bits);
  let lon_cell = squash(hash.bits >> 1);
  let cells = (1u64 << hash.step) as f64;
  // Each cell index is a 32-bit unsigned integer in Redis, so the index past the last one
  // wraps to 0.
  let edge = |range: Range, cell: u32| range.min + (cell as f64 / cells) * (range.max - range.min);
  Some(Area {
    lon: Range { min: edge(lon_range, lon_cell), max: edge(lon_range, lon_cell.wrapping_add(1)) },
    lat: Range { min: edge(lat_range, lat_cell), max: edge(lat_range, lat_cell.wrapping_add(1)) },
  })
}

/// The hash bits Redis reads from a stored score: C's conversion of a double to a 64-bit
/// unsigned integer as x86-64 performs it. Scores written by GEOADD are integers below 2^54
/// and convert exactly; any other score (a sorted set filled by ZADD) converts the way the
/// hardware does: toward zero while it fits a signed 64-bit integer (so −1 gives all ones),
/// by subtracting 2^63 first from 2^63 on, and to 2^63 (or 0 from 2^64 on) otherwise.
pub fn score_bits(score: f64) -> u64 {
  const TWO_63: f64 = 9_223_372_036_854_775_808.0;
  const INDEFINITE: u64 = 1 << 63;
  let signed = |v: f64| if (-TWO_63..TWO_63).contains(&v) { v as i64 as u64 } else { INDEFINITE };
  if score >= TWO_63 {
    signed(score - TWO_63) ^ INDEFINITE
  } else {
    signed(score)
  }
}

/// The position a stored score reads back as: the centre of its step-26 cell, clamped.
pub fn decode_score(score: f64) -> (f64, f64) {
  let hash = GeoHash { bits: score_bits(score), step: STEP_MAX };
  match decode(LON_RANGE, LAT_RANGE, hash) {
    Some(area) => area.center(),
    None => unreachable!("a step-26 hash always decodes"),
  }
}

/// The score GEOADD stores for a position (already checked to be indexable): its step-26
/// hash.
pub fn encode_score(lon: f64, lat: f64) -> u64 {
  encode(LON_RANGE, LAT_RANGE, lon, lat, STEP_MAX).map_or(0, align52)
}

/// A cell's hash shifted to the 52-bit score scale: the lowest score inside the cell.
pub fn align52(hash: GeoHash) -> u64 {
  hash.bits << (52 - hash.step as u32 * 2)
}

/// The 11-character standard geohash of the position a stored score reads back as: the
/// position is re-encoded over latitudes −90..90, and the 52 bits give ten base32 characters
/// and a last one that is always `0`.
pub fn standard_geohash(score: f64) -> [u8; 11] {
  const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
  let (lon, lat) = decode_score(score);
  let bits = encode(LON_RANGE, STANDARD_LAT_RANGE, lon, lat, STEP_MAX).map_or(0, |hash| hash.bits);
  let mut text = [b'0'; 11];
  for (i, c) in text.iter_mut().take(10).enumerate() {
    *c = ALPHABET[((bits >> (52 - (i + 1) * 5)) & 0x1f) as usize];
  }
  text
}

/// Moves a cell one column east (`east`) or west, wrapping around the grid.
fn move_lon(hash: &mut GeoHash, east: bool) {
  let lon = hash.bits & ODD_BITS;
  let lat = hash.bits & EVEN_BITS;
  let used = 64 - hash.step as u32 * 2;
  // With the latitude bits of the cell set, a carry out of one longitude bit runs through
  // them into the next longitude bit.
  let filler = EVEN_BITS >> used;
  let moved = if east { lon.wrapping_add(filler + 1) } else { (lon | filler).wrapping_sub(filler + 1) };
  hash.bits = (moved & (ODD_BITS >> used)) | lat;
}

/// Moves a cell one row north (`north`) or south, wrapping around the grid.
fn move_lat(hash: &mut GeoHash, north: bool) {
  let lon = hash.bits & ODD_BITS;
  let lat = hash.bits & EVEN_BITS;
  let used = 64 - hash.step as u32 * 2;
  let filler = ODD_BITS >> used;
  let moved = if north { lat.wrapping_add(filler + 1) } else { (lat | filler).wrapping_sub(filler + 1) };
  hash.bits = lon | (moved & (EVEN_BITS >> used));
}

/// The eight cells around `hash` (whose step is 1..=32).
pub fn neighbours(hash: GeoHash) -> Neighbours {
  let shifted = |lon: Option<bool>, lat: Option<bool>| {
    let mut cell = hash;
    if let Some(east) = lon {
      move_lon(&mut cell, east);
    }
    if let Some(north) = lat {
      move_lat(&mut cell, north);
    }
    cell
  };
  Neighbours {
    north: shifted(None, Some(true)),
    south: shifted(None, Some(false)),
    east: shifted(Some(true), None),
    west: shifted(Some(false), None),
    north_east: shifted(Some(true), Some(true)),
    north_west: shifted(Some(false), Some(true)),
    south_east: shifted(Some(true), Some(false)),
    south_west: shifted(Some(false), Some(false)),
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn spreading_and_squashing_are_inverse() {
    for v in [0u32, 1, 2, 0x3ff_ffff, 1 << 26, u32::MAX, 0xdead_beef] {
      assert_eq!(squash(spread(v)), v);
      assert_eq!(spread(v) & ODD_BITS, 0);
    }
    assert_eq!(spread(0b1011), 0b1_00_01_01);
  }

  #[test]
  fn scores_of_known_places() {
    // Recorded from redis-server 7.0.15 (GEOADD, then ZSCORE / GEOPOS / GEOHASH).
    assert_eq!(encode_score(13.361389, 38.115556), 3479099956230698);
    assert_eq!(encode_score(15.087269, 37.502669), 3479447370796909);
    assert_eq!(encode_score(180.0, 85.05112878), 13510798882111488);
    assert_eq!(encode_score(180.0, 0.0), 10133099161583616);
    assert_eq!(&standard_geohash(3479099956230698.0), b"sqc8b49rny0");
    assert_eq!(&standard_geohash(3479447370796909.0), b"sqdtr74hyu0");
  }

  #[test]
  fn scores_convert_like_x86() {
    assert_eq!(score_bits(3.7), 3);
    assert_eq!(score_bits(-0.5), 0);
    assert_eq!(score_bits(-1.0), u64::MAX);
    assert_eq!(score_bits(f64::INFINITY), 0);
    assert_eq!(score_bits(f64::NEG_INFINITY), 1 << 63);
    assert_eq!(score_bits(1e19), 10_000_000_000_000_000_000);
    assert_eq!(score_bits(2e19), 0);
    assert_eq!(score_bits(-1e19), 1 << 63);
  }

  #[test]
  fn neighbours_wrap_around_the_grid() {
    // Step 2: a 4 × 4 grid. The cell at longitude column 3, latitude row 0 (south-east corner).
    let corner = GeoHash { bits: spread(0) | (spread(3) << 1), step: 2 };
    let n = neighbours(corner);
    let cell = |lon: u32, lat: u32| GeoHash { bits: spread(lat) | (spread(lon) << 1), step: 2 };
    assert_eq!(n.east, cell(0, 0));
    assert_eq!(n.west, cell(2, 0));
    assert_eq!(n.north, cell(3, 1));
    assert_eq!(n.south, cell(3, 3));
    assert_eq!(n.south_east, cell(0, 3));
    assert_eq!(n.north_west, cell(2, 1));
  }
}
