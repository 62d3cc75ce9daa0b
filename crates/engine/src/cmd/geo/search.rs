//! Area searches: GEORADIUS, GEORADIUSBYMEMBER, their read-only `_RO` forms, GEOSEARCH and
//! GEOSEARCHSTORE, which are all Redis's `georadiusGeneric`.
//!
//! Arguments are read in Redis's order, and the first problem found is the error: the source
//! key's type, then the fixed arguments (centre and radius of GEORADIUS; the member and radius
//! of GEORADIUSBYMEMBER, skipped when the key is missing), then each option from left to right
//! (a number, a coordinate pair, a FROMMEMBER member that is not in the set: each fails where
//! it stands; an option not allowed here, or missing its operands, is a syntax error), and
//! last the combinations: STORE with WITH* options, GEOSEARCH without a centre or without a
//! shape, ANY without COUNT.
//!
//! The search scans the nine cells `crate::geo::area` picks, in its order, keeping the members
//! inside the shape; with COUNT … ANY it stops as soon as it has COUNT of them. The results
//! stay in scan order unless ASC or DESC is given, or COUNT without ANY (which sorts
//! ascending); they are then sorted as Redis sorts them (see `crate::geo::sort`).
//!
//! STORE, STOREDIST and GEOSEARCHSTORE replace the destination with a sorted set of the results
//! (scored by their hash, or by their distance in the query's unit) and report
//! `georadiusstore` or `geosearchstore`, counting one change per member; no result deletes
//! the destination (a `del` event, one change) and a missing source key does the same. The
//! command is propagated as called.

use super::read::as_index;
use super::{length, lon_lat, reply_distance, reply_position, unit};
use crate::bytes::SmallBytes;
use crate::cmd::{int_arg, is, zset, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::geo::area::{score_interval, Extent, Shape};
use crate::geo::hash::decode_score;
use crate::geo::sort::{merge_sort, partial_sort};
use crate::resp::Reply;
use crate::types::zset::{ScoreRange, ZSet};
use crate::value::Value;
use std::cmp::Ordering;

/// Which command runs: where its centre comes from and whether it may store.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
  /// GEORADIUS key lon lat radius unit …; `store` is false for GEORADIUS_RO.
  Radius { store: bool },
  /// GEORADIUSBYMEMBER key member radius unit …; `store` is false for the `_RO` form.
  RadiusByMember { store: bool },
  /// GEOSEARCH key …, or GEOSEARCHSTORE destination key … (`store`).
  Search { store: bool },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
  Unsorted,
  Ascending,
  Descending,
}

/// A parsed search.
struct Query<'a> {
  shape: Shape,
  with_dist: bool,
  with_hash: bool,
  with_coord: bool,
  order: Order,
  /// COUNT … ANY: stop scanning once `count` members are found.
  any: bool,
  /// COUNT (0: every result).
  count: usize,
  /// The destination key, for the storing forms.
  store: Option<&'a [u8]>,
  /// Store distances (in the query's unit) instead of hashes.
  store_dist: bool,
}

/// One member inside the shape.
#[derive(Clone, Copy)]
struct Found<'z> {
  member: &'z [u8],
  lon: f64,
  lat: f64,
  /// From the centre, in metres.
  distance: f64,
  score: f64,
}

/// GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
/// [COUNT count [ANY]] [ASC|DESC] [STORE key|STOREDIST key]
pub fn georadius(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::Radius { store: true })
}

/// GEORADIUS_RO: GEORADIUS without STORE and STOREDIST.
pub fn georadius_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::Radius { store: false })
}

/// GEORADIUSBYMEMBER key member radius M|KM|FT|MI [options as GEORADIUS]
pub fn georadiusbymember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::RadiusByMember { store: true })
}

/// GEORADIUSBYMEMBER_RO: GEORADIUSBYMEMBER without STORE and STOREDIST.
pub fn georadiusbymember_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::RadiusByMember { store: false })
}

/// GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude
/// BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]] [WITHCOORD]
/// [WITHDIST] [WITHHASH]
pub fn geosearch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::Search { store: false })
}

/// GEOSEARCHSTORE destination source (GEOSEARCH's centre, shape, order and COUNT) [STOREDIST]
pub fn geosearchstore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  search(ctx, argv, Form::Search { store: true })
}

fn search(ctx: &mut Ctx, argv: &[&[u8]], form: Form) -> CmdResult {
  let source = argv[if form == (Form::Search { store: true }) { 2 } else { 1 }];
  let (entry, out) = ctx.lookup_read(source);
  let index = as_index(entry)?;
  let mut query = parse(argv, form, index)?;
  let Some(index) = index else {
    match query.store {
      Some(destination) => clear(ctx, destination),
      None => out.array(0),
    }
    return Ok(());
  };

  if query.count != 0 && query.order == Order::Unsorted && !query.any {
    query.order = Order::Ascending;
  }
  let mut found = scan(index, &query.shape, if query.any { query.count } else { 0 });
  let returned = if query.count == 0 { found.len() } else { found.len().min(query.count) };
  if query.order != Order::Unsorted && returned > 0 {
    // C's comparison of two distances: any comparison with a NaN says "smaller".
    let ascending = |a: &Found, b: &Found| {
      if a.distance > b.distance {
        Ordering::Greater
      } else if a.distance == b.distance {
        Ordering::Equal
      } else {
        Ordering::Less
      }
    };
    let descending = |a: &Found, b: &Found| ascending(a, b).reverse();
    match (query.order, returned == found.len()) {
      (Order::Descending, true) => merge_sort(&mut found, &descending),
      (Order::Descending, false) => partial_sort(&mut found, 0, returned - 1, &descending),
      (_, true) => merge_sort(&mut found, &ascending),
      (_, false) => partial_sort(&mut found, 0, returned - 1, &ascending),
    }
  }
  let found = &found[..returned];

  let Some(destination) = query.store else {
    reply(out, found, &query);
    return Ok(());
  };
  if found.is_empty() {
    clear(ctx, destination);
    return Ok(());
  }
  let to_meters = query.shape.to_meters;
  let items = found
    .iter()
    .map(|p| (SmallBytes::new(p.member), if query.store_dist { p.distance / to_meters } else { p.score }))
    .collect();
  let event = if matches!(form, Form::Search { .. }) { "geosearchstore" } else { "georadiusstore" };
  store(ctx, destination, items, event);
  Ok(())
}

/// Reads the arguments of `form` (see the module comment for the order of errors). `index` is
/// the source sorted set: members named as centres are looked up in it, unless it is missing.
fn parse<'a>(argv: &[&'a [u8]], form: Form, index: Option<&ZSet>) -> Result<Query<'a>, Error> {
  let mut query = Query {
    shape: Shape { lon: 0.0, lat: 0.0, to_meters: 0.0, extent: Extent::Circle { radius: 0.0 } },
    with_dist: false,
    with_hash: false,
    with_coord: false,
    order: Order::Unsorted,
    any: false,
    count: 0,
    store: None,
    store_dist: false,
  };
  let options_at = match form {
    Form::Radius { .. } => {
      (query.shape.lon, query.shape.lat) = lon_lat(argv[2], argv[3])?;
      radius(&mut query.shape, argv[4], argv[5])?;
      6
    }
    Form::RadiusByMember { .. } => {
      if let Some(index) = index {
        (query.shape.lon, query.shape.lat) = member_position(index, argv[2])?;
        radius(&mut query.shape, argv[3], argv[4])?;
      }
      5
    }
    Form::Search { store: true } => {
      query.store = Some(argv[1]);
      3
    }
    Form::Search { store: false } => 2,
  };
  let may_store = matches!(form, Form::Radius { store: true } | Form::RadiusByMember { store: true });
  let search = matches!(form, Form::Search { .. });
  let (mut from_member, mut from_lon_lat, mut by_radius, mut by_box) = (false, false, false, false);

  let mut at = options_at;
  while at < argv.len() {
    let option = argv[at];
    // How many arguments follow this one.
    let left = argv.len() - at - 1;
    at += 1;
    if is(option, "withdist") {
      query.with_dist = true;
    } else if is(option, "withhash") {
      query.with_hash = true;
    } else if is(option, "withcoord") {
      query.with_coord = true;
    } else if is(option, "any") {
      query.any = true;
    } else if is(option, "asc") {
      query.order = Order::Ascending;
    } else if is(option, "desc") {
      query.order = Order::Descending;
    } else if is(option, "count") && left >= 1 {
      let count = int_arg(argv[at])?;
      if count <= 0 {
        return Err(Error::err("COUNT must be > 0"));
      }
      query.count = usize::try_from(count).unwrap_or(usize::MAX);
      at += 1;
    } else if (is(option, "store") || is(option, "storedist")) && left >= 1 && may_store {
      query.store = Some(argv[at]);
      query.store_dist = is(option, "storedist");
      at += 1;
    } else if is(option, "storedist") && form == (Form::Search { store: true }) {
      query.store_dist = true;
    } else if is(option, "frommember") && left >= 1 && search && !from_lon_lat {
      if let Some(index) = index {
        (query.shape.lon, query.shape.lat) = member_position(index, argv[at])?;
      }
      from_member = true;
      at += 1;
    } else if is(option, "fromlonlat") && left >= 2 && search && !from_member {
      (query.shape.lon, query.shape.lat) = lon_lat(argv[at], argv[at + 1])?;
      from_lon_lat = true;
      at += 2;
    } else if is(option, "byradius") && left >= 2 && search && !by_box {
      radius(&mut query.shape, argv[at], argv[at + 1])?;
      by_radius = true;
      at += 2;
    } else if is(option, "bybox") && left >= 3 && search && !by_radius {
      let width = length(argv[at], "need numeric width")?;
      let height = length(argv[at + 1], "need numeric height")?;
      if width < 0.0 || height < 0.0 {
        return Err(Error::err("height or width cannot be negative"));
      }
      query.shape.to_meters = unit(argv[at + 2])?;
      query.shape.extent = Extent::Box { width, height };
      by_box = true;
      at += 3;
    } else {
      return Err(Error::Syntax);
    }
  }

  if query.store.is_some() && (query.with_dist || query.with_hash || query.with_coord) {
    let what = if search { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
    return Err(Error::err(format!("{what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options")));
  }
  let name = || String::from_utf8_lossy(argv[0]);
  if search && !(from_member || from_lon_lat) {
    return Err(Error::err(format!("exactly one of FROMMEMBER or FROMLONLAT can be specified for {}", name())));
  }
  if search && !(by_radius || by_box) {
    return Err(Error::err(format!("exactly one of BYRADIUS and BYBOX can be specified for {}", name())));
  }
  if query.any && query.count == 0 {
    return Err(Error::err("the ANY argument requires COUNT argument"));
  }
  Ok(query)
}

/// A radius and its unit: the shape becomes a circle.
fn radius(shape: &mut Shape, radius: &[u8], unit_arg: &[u8]) -> Result<(), Error> {
  let radius = length(radius, "need numeric radius")?;
  if radius < 0.0 {
    return Err(Error::err("radius cannot be negative"));
  }
  shape.to_meters = unit(unit_arg)?;
  shape.extent = Extent::Circle { radius };
  Ok(())
}

/// The position of a member used as the centre.
fn member_position(index: &ZSet, member: &[u8]) -> Result<(f64, f64), Error> {
  match index.score(member) {
    Some(score) => Ok(decode_score(score)),
    None => Err(Error::err("could not decode requested zset member")),
  }
}

/// The members inside `shape`, in scan order: cell by cell (a cell equal to the one scanned
/// just before is skipped, as Redis does, though never the centre's), each in score order.
/// With a `limit`, stops once that many are found.
fn scan<'z>(index: &'z ZSet, shape: &Shape, limit: usize) -> Vec<Found<'z>> {
  let cells = shape.search_cells();
  let mut found = Vec::new();
  let full = |found: &Vec<Found>| limit > 0 && found.len() >= limit;
  let mut last_scanned = 0;
  for (i, cell) in cells.iter().enumerate() {
    let Some(cell) = *cell else { continue };
    if last_scanned != 0 && cells[last_scanned] == Some(cell) {
      continue;
    }
    if full(&found) {
      break;
    }
    last_scanned = i;
    let (min, max) = score_interval(cell);
    let range = ScoreRange { min: min as f64, max: max as f64, min_exclusive: false, max_exclusive: true };
    let Some(first) = index.first_in_score_range(&range) else { continue };
    for (member, score) in index.range(first, false) {
      if !range.lte_max(score) {
        break;
      }
      let (lon, lat) = decode_score(score);
      if let Some(distance) = shape.distance_if_inside(lon, lat) {
        found.push(Found { member, lon, lat, distance, score });
      }
      if full(&found) {
        break;
      }
    }
  }
  found
}

/// Replies with the results: each a member alone, or an array of the member followed by its
/// distance, hash and position, in that order, for the WITH* options given.
fn reply(out: &mut Reply, found: &[Found], query: &Query) {
  let extras = query.with_dist as usize + query.with_hash as usize + query.with_coord as usize;
  out.array(found.len());
  for point in found {
    if extras > 0 {
      out.array(extras + 1);
    }
    out.bulk(point.member);
    if query.with_dist {
      reply_distance(out, point.distance / query.shape.to_meters);
    }
    if query.with_hash {
      out.int(point.score as i64);
    }
    if query.with_coord {
      reply_position(out, (point.lon, point.lat));
    }
  }
}

/// An empty result for a storing form: deletes `destination` (whatever its type, even if it
/// has just expired, as Redis's `dbDelete`), reporting `del` and one change if there was one,
/// and replies 0.
fn clear(ctx: &mut Ctx, destination: &[u8]) {
  if ctx.db().remove(destination).is_some() {
    ctx.changed(notify::GENERIC, "del", destination);
  }
  ctx.out.int(0);
}

/// Replaces `destination` with a sorted set of `items` (in any order, distinct, at least one)
/// and replies with their number, reporting `event` and one change per member.
fn store(ctx: &mut Ctx, destination: &[u8], mut items: Vec<(SmallBytes, f64)>, event: &str) {
  let count = items.len();
  // Sorted-set order: by score (zero counting as one value), then by member.
  let score_key = |score: f64| if score == 0.0 { 0.0 } else { score };
  items.sort_by(|(a, x), (b, y)| score_key(*x).total_cmp(&score_key(*y)).then_with(|| a.as_slice().cmp(b.as_slice())));
  let zset = ZSet::from_sorted(items, zset::limits(ctx));
  let now = ctx.now_ms;
  // Like Redis's `setKey`, an expired destination is reclaimed first (its `expired` event and
  // propagated DEL come before the store's).
  ctx.db().contains(destination, now);
  ctx.db().set(destination, Value::ZSet(Box::new(zset)), false, now);
  ctx.modified(destination);
  ctx.notify(notify::ZSET, event, destination);
  ctx.dirty(count as u64);
  ctx.out.int(count as i64);
}
