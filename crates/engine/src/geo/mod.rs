//! Geospatial arithmetic, exactly as Redis 7.0 computes it (no commands here: see `cmd::geo`).
//!
//! A geo index is a sorted set whose scores are positions. A position is turned into a
//! *geohash*: longitude and latitude are each scaled to a 26-bit integer over their range
//! (longitude −180..180, latitude ±85.05112878, the Web Mercator limits), and the two integers
//! are interleaved bit by bit, latitude on the even bits and longitude on the odd ones. The
//! 52-bit result is the member's score; reading a position back gives the centre of the cell
//! the hash names, not the coordinates that were added. Because the bits interleave, the
//! members of one cell at a coarser precision (a prefix of the hash) are exactly one score
//! interval, so an area search is a handful of sorted-set range scans.
//!
//! - [`hash`]: encoding, decoding, the eight neighbouring cells, the standard base32 geohash
//!   string, and how Redis turns a stored score back into hash bits.
//! - [`area`]: the shapes searched (a circle or an axis-aligned box around a centre), the
//!   great-circle distances, and the choice of the nine cells whose score intervals cover a
//!   shape, with Redis's precision estimate and its corrections.
//! - [`sort`]: the two orderings Redis applies to results (the C library's stable merge sort,
//!   and its own partial quicksort when only the first COUNT results are needed), which decide
//!   the order of results at equal distance.
//!
//! Every floating-point step keeps Redis's order of operations, so that the same inputs give
//! the same bits and therefore the same replies, byte for byte.

pub mod area;
pub mod hash;
pub mod sort;

/// Longitudes are limited to −180..180 degrees.
pub const LON_MIN: f64 = -180.0;
pub const LON_MAX: f64 = 180.0;
/// Latitudes are limited to ±85.05112878 degrees (where the Web Mercator projection ends).
pub const LAT_MIN: f64 = -85.05112878;
pub const LAT_MAX: f64 = 85.05112878;

/// Bits per coordinate in a stored score (52 bits in all).
pub const STEP_MAX: u8 = 26;

/// Whether a longitude/latitude pair can be indexed.
pub fn valid_lon_lat(lon: f64, lat: f64) -> bool {
  (LON_MIN..=LON_MAX).contains(&lon) && (LAT_MIN..=LAT_MAX).contains(&lat)
}
