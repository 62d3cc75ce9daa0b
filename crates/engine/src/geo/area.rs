//! Search areas: distances on the sphere, the shapes GEORADIUS and GEOSEARCH look in, and the
//! nine cells whose score intervals cover a shape.
//!
//! A search picks a precision (a cell size) from the size of the shape, takes the cell holding
//! the centre and its eight neighbours, and scans the members of each. The estimate starts
//! from how many halvings of the Mercator width the search radius allows, takes two steps
//! coarser to be safe and one or two more near the poles. If one of the four direct
//! neighbours still does not reach the edge of the shape's bounding box, the precision drops
//! one more step. Then the neighbours lying wholly beyond the bounding box are skipped. Each
//! member found is finally checked against the exact shape.
//!
//! Distances use the haversine formula on a sphere of radius 6372797.560856 m, and every
//! operation is done in Redis's order, since the last bit of a distance can decide whether a
//! member is inside and shows in the fourth decimal of a reply.

use super::hash::{self, GeoHash, LAT_RANGE, LON_RANGE};
use super::STEP_MAX;

/// The Earth's quadratic mean radius, in metres.
pub const EARTH_RADIUS: f64 = 6372797.560856;
/// Half the Web Mercator world width, in metres: the largest useful search radius.
const MERCATOR_MAX: f64 = 20037726.37;
/// Radians per degree.
const RADIANS: f64 = std::f64::consts::PI / 180.0;

fn to_radians(degrees: f64) -> f64 {
  degrees * RADIANS
}

fn to_degrees(radians: f64) -> f64 {
  radians / RADIANS
}

/// The distance along a meridian between two latitudes, in metres.
pub fn lat_distance(lat1: f64, lat2: f64) -> f64 {
  EARTH_RADIUS * (to_radians(lat2) - to_radians(lat1)).abs()
}

/// The great-circle distance between two positions, in metres.
pub fn distance(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
  let half_dlon = ((to_radians(lon2) - to_radians(lon1)) / 2.0).sin();
  if half_dlon == 0.0 {
    // Same meridian: the haversine reduces to the difference of latitudes.
    return lat_distance(lat1, lat2);
  }
  let (lat1, lat2) = (to_radians(lat1), to_radians(lat2));
  let half_dlat = ((lat2 - lat1) / 2.0).sin();
  let a = half_dlat * half_dlat + lat1.cos() * lat2.cos() * half_dlon * half_dlon;
  2.0 * EARTH_RADIUS * a.sqrt().asin()
}

/// What is searched around the centre.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Extent {
  /// Every position within `radius` (in the shape's unit) of the centre.
  Circle { radius: f64 },
  /// Every position at most `width / 2` east or west (measured along the position's own
  /// parallel) and `height / 2` north or south of the centre.
  Box { width: f64, height: f64 },
}

/// A search shape: a centre (longitude, latitude), an extent in some unit, and how many
/// metres that unit is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
  pub lon: f64,
  pub lat: f64,
  pub to_meters: f64,
  pub extent: Extent,
}

/// The longitude and latitude limits of a shape.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bounds {
  min_lon: f64,
  min_lat: f64,
  max_lon: f64,
  max_lat: f64,
}

impl Shape {
  /// The bounding box of the shape, in degrees. Its east-west half-width is measured at the
  /// parallel farther from the equator (where a degree of longitude is shortest) for the
  /// hemisphere of the centre.
  fn bounds(&self) -> Bounds {
    let (half_height, half_width) = match self.extent {
      Extent::Circle { radius } => (self.to_meters * radius, self.to_meters * radius),
      Extent::Box { width, height } => (self.to_meters * (height / 2.0), self.to_meters * (width / 2.0)),
    };
    let lat_delta = to_degrees(half_height / EARTH_RADIUS);
    let lon_delta_top = to_degrees(half_width / EARTH_RADIUS / to_radians(self.lat + lat_delta).cos());
    let lon_delta_bottom = to_degrees(half_width / EARTH_RADIUS / to_radians(self.lat - lat_delta).cos());
    let lon_delta = if self.lat < 0.0 { lon_delta_bottom } else { lon_delta_top };
    Bounds {
      min_lon: self.lon - lon_delta,
      min_lat: self.lat - lat_delta,
      max_lon: self.lon + lon_delta,
      max_lat: self.lat + lat_delta,
    }
  }

  /// The distance from the centre to the farthest point of the shape, in metres.
  fn reach(&self) -> f64 {
    let reach = match self.extent {
      Extent::Circle { radius } => radius,
      Extent::Box { width, height } => ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt(),
    };
    reach * self.to_meters
  }

  /// Whether a position is inside the shape; if so, its distance from the centre in metres.
  pub fn distance_if_inside(&self, lon: f64, lat: f64) -> Option<f64> {
    match self.extent {
      Extent::Circle { radius } => {
        let distance = distance(self.lon, self.lat, lon, lat);
        // Written as Redis's test (outside when farther), which keeps a NaN distance.
        let outside = distance > radius * self.to_meters;
        (!outside).then_some(distance)
      }
      Extent::Box { width, height } => {
        let (width, height) = (width * self.to_meters, height * self.to_meters);
        if lat_distance(lat, self.lat) > height / 2.0 {
          return None;
        }
        if distance(lon, lat, self.lon, lat) > width / 2.0 {
          return None;
        }
        Some(distance(self.lon, self.lat, lon, lat))
      }
    }
  }

  /// The cells to scan, in Redis's order: the centre's, then north, south, east, west,
  /// north-east, north-west, south-east and south-west. `None` marks a neighbour that lies
  /// beyond the bounding box.
  pub fn search_cells(&self) -> [Option<GeoHash>; 9] {
    let bounds = self.bounds();
    let mut step = estimate_step(self.reach(), self.lat);
    let (mut center, mut neighbours, mut area) = self.cells_at(step);

    // The estimate can leave the shape's edge beyond a direct neighbour: then go coarser.
    let decoded = |cell| hash::decode(LON_RANGE, LAT_RANGE, cell);
    let too_fine = [
      decoded(neighbours.north).is_some_and(|north| north.lat.max < bounds.max_lat),
      decoded(neighbours.south).is_some_and(|south| south.lat.min > bounds.min_lat),
      decoded(neighbours.east).is_some_and(|east| east.lon.max < bounds.max_lon),
      decoded(neighbours.west).is_some_and(|west| west.lon.min > bounds.min_lon),
    ];
    if step > 1 && too_fine.contains(&true) {
      step -= 1;
      (center, neighbours, area) = self.cells_at(step);
    }

    let n = neighbours;
    let mut cells =
      [center, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west].map(Some);
    if step >= 2 {
      // Indices into `cells` of the neighbours on each side.
      const SOUTH: [usize; 3] = [2, 7, 8];
      const NORTH: [usize; 3] = [1, 5, 6];
      const WEST: [usize; 3] = [4, 6, 8];
      const EAST: [usize; 3] = [3, 5, 7];
      let mut skip = |side: [usize; 3]| side.iter().for_each(|&i| cells[i] = None);
      if area.lat.min < bounds.min_lat {
        skip(SOUTH);
      }
      if area.lat.max > bounds.max_lat {
        skip(NORTH);
      }
      if area.lon.min < bounds.min_lon {
        skip(WEST);
      }
      if area.lon.max > bounds.max_lon {
        skip(EAST);
      }
    }
    cells
  }

  /// The centre's cell at precision `step`, its neighbours and its area.
  fn cells_at(&self, step: u8) -> (GeoHash, hash::Neighbours, hash::Area) {
    let center = hash::encode(LON_RANGE, LAT_RANGE, self.lon, self.lat, step).unwrap_or(GeoHash { bits: 0, step });
    let area = hash::decode(LON_RANGE, LAT_RANGE, center).unwrap_or(hash::Area { lon: LON_RANGE, lat: LAT_RANGE });
    (center, hash::neighbours(center), area)
  }
}

/// The precision (1..=26) whose cells are about the size of a search of `reach` metres
/// around latitude `lat`.
pub fn estimate_step(reach: f64, lat: f64) -> u8 {
  if reach == 0.0 {
    return STEP_MAX;
  }
  let mut step: i32 = 1;
  let mut span = reach;
  while span < MERCATOR_MAX {
    span *= 2.0;
    step += 1;
  }
  // Two steps coarser, so the neighbours cover the radius in most cases.
  step -= 2;
  // Cells are narrower toward the poles.
  if !(-66.0..=66.0).contains(&lat) {
    step -= 1;
    if !(-80.0..=80.0).contains(&lat) {
      step -= 1;
    }
  }
  step.clamp(1, STEP_MAX as i32) as u8
}

/// The scores of the members inside a cell: from the first (included) to the last (excluded).
pub fn score_interval(cell: GeoHash) -> (u64, u64) {
  let next = GeoHash { bits: cell.bits + 1, step: cell.step };
  (hash::align52(cell), hash::align52(next))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn step_estimates() {
    assert_eq!(estimate_step(0.0, 0.0), 26);
    // 1 m doubles 25 times to pass the Mercator half-width: step 26, minus 2.
    assert_eq!(estimate_step(1.0, 0.0), 24);
    assert_eq!(estimate_step(1.0, 70.0), 23);
    assert_eq!(estimate_step(1.0, -81.0), 22);
    assert_eq!(estimate_step(5_000_000.0, 0.0), 2);
    assert_eq!(estimate_step(20_000_000.0, 0.0), 1);
    assert_eq!(estimate_step(f64::INFINITY, 0.0), 1);
    assert_eq!(estimate_step(1e-300, 0.0), 26);
  }

  #[test]
  fn distances() {
    // Palermo to Catania (as stored), as redis-server 7.0.15's GEODIST reports it: 166274.1516.
    let d = distance(13.361389338970184, 38.1155563954963, 15.087267458438873, 37.50266842333162);
    assert_eq!(format!("{d:.4}"), "166274.1516");
    assert_eq!(distance(10.0, 1.0, 10.0, 2.0), lat_distance(1.0, 2.0));
  }

  #[test]
  fn search_cells_skip_what_lies_beyond_the_box() {
    let shape = Shape { lon: 15.0, lat: 37.0, to_meters: 1000.0, extent: Extent::Circle { radius: 200.0 } };
    let cells = shape.search_cells();
    assert!(cells[0].is_some());
    assert!(cells.iter().flatten().all(|cell| cell.step == cells[0].unwrap().step));
    // A huge radius searches at the coarsest precision, where the grid is 2 × 2.
    let world = Shape { extent: Extent::Circle { radius: 1e7 }, ..shape };
    assert_eq!(world.search_cells()[0].map(|cell| cell.step), Some(1));
  }
}
