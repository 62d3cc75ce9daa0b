//! Byte-exact tests of the geospatial commands: the geohash arithmetic they rest on, their
//! replies (RESP2 and RESP3, errors included), both sorted-set encodings, and what the writing
//! forms report (keyspace events, the write stream, the change count, WATCH).
//!
//! Every expected reply, event and write was recorded from redis-server 7.0.15 (replies with
//! redis-cli and a raw socket, events with `psubscribe '__key*__:*'`, writes from its AOF).
//! The differential corpus `geo.txt` covers many more cases against a live server.

mod common;
use common::{check, observed, setup, watch_survives, Client, WRONGTYPE};
use redwing_engine::geo::hash::{self, GeoHash, LAT_RANGE, LON_RANGE};
use redwing_engine::geo::{area, LAT_MAX, LAT_MIN};

/// Runs each command and compares its reply.
fn check_replies(c: &mut Client, cases: &[(&[&str], &str)]) {
  for (args, expected) in cases {
    assert_eq!(c.cmd(args), *expected, "{args:?}");
  }
}

#[test]
fn geohash_round_trips() {
  // Half a step-26 cell, in degrees, plus rounding.
  let (lon_slack, lat_slack) = (360.0 / (1u64 << 27) as f64 + 1e-12, (LAT_MAX - LAT_MIN) / (1u64 << 27) as f64 + 1e-12);
  let mut lon = -180.0;
  while lon < 180.0 {
    let mut lat = LAT_MIN;
    while lat <= LAT_MAX {
      let score = hash::encode_score(lon, lat);
      assert!(score < 1 << 52, "{lon} {lat}");
      let (back_lon, back_lat) = hash::decode_score(score as f64);
      assert!((back_lon - lon).abs() <= lon_slack && (back_lat - lat).abs() <= lat_slack, "{lon} {lat}");
      // The centre of a cell encodes to the same cell.
      assert_eq!(hash::encode_score(back_lon, back_lat), score);
      lat += 3.7;
    }
    lon += 7.3;
  }
  // The top of each range scales one past the last cell: Redis keeps that hash as it is.
  assert_eq!(hash::encode_score(180.0, LAT_MAX), (1 << 53) | (1 << 52));
  assert_eq!(hash::decode_score(((1u64 << 53) | (1 << 52)) as f64), (180.0, LAT_MAX));
  // Standard geohash strings of places, as GEOHASH gives them.
  assert_eq!(&hash::standard_geohash(hash::encode_score(13.361389, 38.115556) as f64), b"sqc8b49rny0");
  assert_eq!(&hash::standard_geohash(hash::encode_score(-62.35, 82.5) as f64), b"fwetm4wj7d0");
  assert_eq!(&hash::standard_geohash(hash::encode_score(0.0, LAT_MIN) as f64), b"h0bh0hbj200");
}

#[test]
fn neighbours_wrap_at_the_poles_and_the_antimeridian() {
  let area_of = |cell: GeoHash| hash::decode(LON_RANGE, LAT_RANGE, cell).unwrap();
  for step in [2u8, 4, 9, 26] {
    // The last column: east wraps around to the first one, at the same latitude.
    let cell = hash::encode(LON_RANGE, LAT_RANGE, 180.0 - 1e-9, 10.0, step).unwrap();
    let n = hash::neighbours(cell);
    assert_eq!(area_of(n.east).lon.min, -180.0, "step {step}");
    assert_eq!(area_of(n.east).lat, area_of(cell).lat);
    assert_eq!(hash::neighbours(n.east).west, cell);
    assert_eq!(area_of(n.west).lon.max, area_of(cell).lon.min);
    // The top row: north wraps around to the bottom row, at the same longitude.
    let top = hash::encode(LON_RANGE, LAT_RANGE, 30.0, LAT_MAX - 1e-9, step).unwrap();
    let n = hash::neighbours(top);
    assert_eq!(area_of(n.north).lat.min, LAT_MIN, "step {step}");
    assert_eq!(area_of(n.north).lon, area_of(top).lon);
    assert_eq!(hash::neighbours(n.north).south, top);
    assert_eq!(area_of(n.south).lat.max, area_of(top).lat.min);
    // The corner cell's diagonal neighbour wraps both ways.
    let corner = hash::encode(LON_RANGE, LAT_RANGE, -180.0, LAT_MIN, step).unwrap();
    let south_west = area_of(hash::neighbours(corner).south_west);
    assert_eq!((south_west.lon.max, south_west.lat.max), (180.0, LAT_MAX));
  }
  // A search next to the antimeridian scans cells on both sides; near a pole it goes coarser.
  let shape =
    area::Shape { lon: 179.9999, lat: -16.5, to_meters: 1000.0, extent: area::Extent::Circle { radius: 100.0 } };
  let cells = shape.search_cells();
  assert!(cells.iter().flatten().any(|&cell| area_of(cell).lon.min == -180.0));
  let polar = area::Shape { lat: 84.0, ..shape };
  assert!(polar.search_cells()[0].unwrap().step < cells[0].unwrap().step);
}

#[test]
fn replies_match_redis() {
  let mut c = Client::new();
  check_replies(
    &mut c,
    &[
      (&["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"], ":2\r\n"),
      (&["GEOADD", "Sicily", "CH", "13.361390", "38.115556", "Palermo", "13.583333", "37.316667", "Agrigento"], ":1\r\n"),
      (&["GEOADD", "Sicily", "NX", "XX", "1", "1", "x"], "-ERR syntax error\r\n"),
      (&["GEOADD", "Sicily", "200", "1", "x"], "-ERR invalid longitude,latitude pair 200.000000,1.000000\r\n"),
      (&["GEOADD", "Sicily", "1", "x", "x"], "-ERR value is not a valid float\r\n"),
      (&["ZSCORE", "Sicily", "Palermo"], "$16\r\n3479099956230698\r\n"),
      (&["GEOPOS", "Sicily", "Palermo", "nope"], "*2\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n"),
      (&["GEOHASH", "Sicily", "Palermo", "Catania", "nope"], "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n"),
      (&["GEODIST", "Sicily", "Palermo", "Catania"], "$11\r\n166274.1516\r\n"),
      (&["GEODIST", "Sicily", "Palermo", "Catania", "mi"], "$8\r\n103.3182\r\n"),
      (&["GEODIST", "Sicily", "Palermo", "nope"], "$-1\r\n"),
      (&["GEODIST", "Sicily", "Palermo", "Catania", "parsec"], "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"),
      (&["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHCOORD", "WITHHASH"], "*3\r\n*4\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n:3479030013248308\r\n*2\r\n$19\r\n13.5833314061164856\r\n$20\r\n37.31666804993816555\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n"),
      (&["GEORADIUS", "Sicily", "15", "37", "200", "km", "COUNT", "1", "DESC"], "*1\r\n$7\r\nPalermo\r\n"),
      (&["GEORADIUS", "Sicily", "15", "37", "200", "km", "ANY"], "-ERR the ANY argument requires COUNT argument\r\n"),
      (&["GEORADIUSBYMEMBER", "Sicily", "Agrigento", "100", "km", "WITHDIST", "ASC"], "*2\r\n*2\r\n$9\r\nAgrigento\r\n$6\r\n0.0000\r\n*2\r\n$7\r\nPalermo\r\n$7\r\n90.9778\r\n"),
      (&["GEORADIUSBYMEMBER", "Sicily", "nope", "100", "km"], "-ERR could not decode requested zset member\r\n"),
      (&["GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "d"], "-ERR syntax error\r\n"),
      (&["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "WITHDIST", "ASC"], "*3\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$9\r\nAgrigento\r\n$8\r\n130.4235\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n"),
      (&["GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "100", "km", "COUNT", "0"], "-ERR COUNT must be > 0\r\n"),
      (&["GEOSEARCH", "Sicily", "WITHDIST", "WITHCOORD", "WITHHASH", "ASC", "DESC"], "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH\r\n"),
      (&["geoSearch", "Sicily", "FROMMEMBER", "Palermo", "WITHDIST", "WITHHASH", "ASC"], "-ERR exactly one of BYRADIUS and BYBOX can be specified for geoSearch\r\n"),
      (&["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "WITHDIST"], "-ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n"),
      (&["GEOSEARCHSTORE", "d", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "300", "km", "STOREDIST"], ":3\r\n"),
      (&["ZRANGE", "d", "0", "-1", "WITHSCORES"], "*6\r\n$7\r\nPalermo\r\n$1\r\n0\r\n$9\r\nAgrigento\r\n$18\r\n90.977753537996037\r\n$7\r\nCatania\r\n$18\r\n166.27415156960032\r\n"),
    ],
  );
  c.cmd(&["SET", "str", "v"]);
  check_replies(
    &mut c,
    &[
      (&["GEOADD", "str", "1", "1", "a"], WRONGTYPE),
      (&["GEOADD", "str", "1", "100", "a"], "-ERR invalid longitude,latitude pair 1.000000,100.000000\r\n"),
      (&["GEOPOS", "str", "a"], WRONGTYPE),
      (&["GEORADIUS", "str", "200", "0", "x", "km"], WRONGTYPE),
      (&["GEODIST", "str", "a", "b", "x"], "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"),
      (&["GEORADIUSBYMEMBER", "nokey", "m", "abc", "km"], "*0\r\n"),
      (&["GEORADIUSBYMEMBER", "nokey", "m", "abc", "km", "STORE", "d"], ":0\r\n"),
    ],
  );
}

#[test]
fn searches_across_the_antimeridian_and_near_the_poles() {
  let mut c = Client::new();
  check_replies(
    &mut c,
    &[
      // antimeridian
      (&["GEOADD", "pacific", "178.4419", "-18.1416", "Suva", "-175.2", "-21.13", "Nukualofa", "179.9999", "-16.5", "East", "-179.9999", "-16.5", "West", "180", "-16.5", "Edge"], ":5\r\n"),
      (&["GEORADIUS", "pacific", "180", "-16.5", "100", "km", "WITHDIST", "ASC"], "*2\r\n*2\r\n$4\r\nEdge\r\n$6\r\n0.0001\r\n*2\r\n$4\r\nEast\r\n$6\r\n0.0106\r\n"),
      (&["GEORADIUS", "pacific", "-180", "-16.5", "100", "km", "WITHDIST", "ASC"], "*2\r\n*2\r\n$4\r\nWest\r\n$6\r\n0.0106\r\n*2\r\n$4\r\nEast\r\n$6\r\n0.0106\r\n"),
      (&["GEOSEARCH", "pacific", "FROMMEMBER", "Suva", "BYBOX", "1500", "1500", "km", "WITHDIST", "ASC"], "*4\r\n*2\r\n$4\r\nSuva\r\n$6\r\n0.0000\r\n*2\r\n$4\r\nEast\r\n$8\r\n246.3818\r\n*2\r\n$4\r\nWest\r\n$8\r\n246.3960\r\n*2\r\n$9\r\nNukualofa\r\n$8\r\n744.2658\r\n"),
      (&["GEOPOS", "pacific", "Edge"], "*1\r\n*2\r\n$3\r\n180\r\n$21\r\n-16.49999931370297901\r\n"),
      // poles
      (&["GEOADD", "polar", "0", "85.05112878", "Top", "90", "85", "Near", "0", "-85.05112878", "Bottom", "-62.35", "82.5", "Alert"], ":4\r\n"),
      (&["GEORADIUS", "polar", "45", "85.05112878", "1000", "km", "WITHDIST", "ASC"], "*2\r\n*2\r\n$3\r\nTop\r\n$8\r\n420.8449\r\n*2\r\n$4\r\nNear\r\n$8\r\n423.0469\r\n"),
      (&["GEORADIUS", "polar", "0", "-85", "100", "km", "WITHDIST"], "*1\r\n*2\r\n$6\r\nBottom\r\n$6\r\n5.6867\r\n"),
      (&["GEOHASH", "polar", "Top", "Near", "Bottom", "Alert"], "*4\r\n$11\r\nup05b5048p0\r\n$11\r\nyp0581b0bh0\r\n$11\r\nh0bh0hbj200\r\n$11\r\nfwetm4wj7d0\r\n"),
      (&["GEOPOS", "polar", "Top", "Bottom"], "*2\r\n*2\r\n$19\r\n0.00000268220901489\r\n$19\r\n85.0511287799999991\r\n*2\r\n$19\r\n0.00000268220901489\r\n$21\r\n-85.05112751263942528\r\n"),
    ],
  );
}

#[test]
fn resp3_replies() {
  let mut c = Client::new();
  c.cmd(&["GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]);
  c.cmd(&["HELLO", "3"]);
  check_replies(
    &mut c,
    &[
      (&["GEOPOS", "Sicily", "Palermo", "nope"], "*2\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n_\r\n"),
      (&["GEODIST", "Sicily", "Palermo", "Catania", "km"], "$8\r\n166.2742\r\n"),
      (&["GEODIST", "nokey", "a", "b"], "_\r\n"),
      (&["GEOHASH", "Sicily", "nope"], "*1\r\n_\r\n"),
      (&["GEOPOS", "nokey", "a"], "*1\r\n_\r\n"),
      (&["GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "WITHHASH", "WITHCOORD", "COUNT", "1"], "*1\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n,15.08726745843887329\r\n,37.50266842333162032\r\n"),
      (&["GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m", "WITHCOORD"], "*0\r\n"),
    ],
  );
}

#[test]
fn both_encodings_answer_alike() {
  let mut add: Vec<String> = vec!["GEOADD".into(), "g".into()];
  for i in 0..150 {
    // Several members share each position, so ties in distance are frequent.
    let (lon, lat) = (12.0 + (i % 17) as f64 * 0.21, 36.5 + (i % 11) as f64 * 0.17);
    add.extend([format!("{lon:.2}"), format!("{lat:.2}"), format!("m{i:03}")]);
  }
  let add: Vec<&str> = add.iter().map(String::as_str).collect();
  let commands: &[&[&str]] = &[
    &add,
    &["GEORADIUS", "g", "13.5", "37.3", "80", "km", "WITHDIST", "WITHHASH"],
    &["GEORADIUS", "g", "13.5", "37.3", "120", "km", "ASC", "COUNT", "20"],
    &["GEORADIUS", "g", "13.5", "37.3", "120", "km", "DESC", "COUNT", "45", "WITHCOORD"],
    &["GEORADIUSBYMEMBER", "g", "m007", "60", "km", "COUNT", "5", "ANY"],
    &["GEOSEARCH", "g", "FROMLONLAT", "13", "37", "BYBOX", "150", "90", "km", "ASC", "WITHDIST"],
    &["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "m100", "BYRADIUS", "70", "km", "STOREDIST"],
    &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
    &["GEOPOS", "g", "m000", "m149", "nope"],
    &["GEOHASH", "g", "m000", "m149"],
    &["GEODIST", "g", "m000", "m149", "mi"],
  ];
  let replies = |entries: &str| {
    let mut c = Client::new();
    c.cmd(&["CONFIG", "SET", "zset-max-listpack-entries", entries]);
    let replies: Vec<String> = commands.iter().map(|args| c.cmd(args)).collect();
    (replies, c.cmd(&["OBJECT", "ENCODING", "g"]))
  };
  let (compact, compact_encoding) = replies("1000");
  let (large, large_encoding) = replies("0");
  assert_eq!((compact_encoding.as_str(), large_encoding.as_str()), ("$8\r\nlistpack\r\n", "$8\r\nskiplist\r\n"));
  assert_eq!(compact, large);
}

#[test]
fn geoadd_reports_as_zadd() {
  let (mut c, l) = observed("KEA");
  // GEOADD is replayed as the ZADD it runs: the options, then each hash score and member.
  check(
    &mut c,
    l,
    &["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
    ":2\r\n",
    &[("g", "zadd")],
    &["zadd g 3479099956230698 Palermo 3479447370796909 Catania"],
    2,
  );
  check(&mut c, l, &["GEOADD", "g", "13.361389", "38.115556", "Palermo"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["GEOADD", "g", "CH", "XX", "13.4", "38.1", "Palermo", "1", "1", "x"],
    ":1\r\n",
    &[("g", "zadd")],
    &["zadd g CH XX 3479099937378871 Palermo 3377822707026402 x"],
    1,
  );
  // A score above 2^53 is written exactly in the stream, though ZADD stores the nearest double.
  check(
    &mut c,
    l,
    &["GEOADD", "g", "180", "0.1", "edge"],
    ":1\r\n",
    &[("g", "zadd")],
    &["zadd g 10133100256559440 edge"],
    1,
  );
  check(&mut c, l, &["GEOADD", "g", "NX", "0", "0", "Palermo"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["GEOADD", "g", "NX", "XX", "0", "0", "Palermo"], "-ERR syntax error\r\n", &[], &[], 0);
  check(&mut c, l, &["GEOADD", "g", "NX", "CH", "CH"], "-ERR syntax error\r\n", &[], &[], 0);
  setup(&mut c, l, &[&["SET", "s", "v"]]);
  check(&mut c, l, &["GEOADD", "s", "1", "1", "a"], WRONGTYPE, &[], &[], 0);
  // Searches without STORE write nothing.
  check(
    &mut c,
    l,
    &["GEORADIUS", "g", "15", "37", "200", "km"],
    "*2\r\n$7\r\nPalermo\r\n$7\r\nCatania\r\n",
    &[],
    &[],
    0,
  );
}

#[test]
fn stores_report_their_event_and_count_each_member() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]]);
  let store = ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"];
  check(&mut c, l, &store, ":2\r\n", &[("d", "georadiusstore")], &["GEORADIUS g 15 37 200 km STORE d"], 2);
  let dist = ["GEORADIUSBYMEMBER", "g", "Palermo", "200", "km", "STOREDIST", "d"];
  check(&mut c, l, &dist, ":2\r\n", &[("d", "georadiusstore")], &["GEORADIUSBYMEMBER g Palermo 200 km STOREDIST d"], 2);
  assert_eq!(c.cmd(&["ZSCORE", "d", "Catania"]), "$18\r\n166.27415156960032\r\n");
  let search = ["GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "COUNT", "1"];
  check(
    &mut c,
    l,
    &search,
    ":1\r\n",
    &[("d2", "geosearchstore")],
    &["GEOSEARCHSTORE d2 g FROMLONLAT 15 37 BYBOX 400 400 km COUNT 1"],
    1,
  );
  // No result deletes the destination; when there is none, nothing happens at all.
  let empty = ["GEORADIUS", "g", "15", "37", "1", "m", "STORE", "d"];
  check(&mut c, l, &empty, ":0\r\n", &[("d", "del")], &["GEORADIUS g 15 37 1 m STORE d"], 1);
  check(&mut c, l, &empty, ":0\r\n", &[], &[], 0);
  // A missing source does the same, and the destination may hold any type.
  setup(&mut c, l, &[&["SET", "d", "v"]]);
  let missing = ["GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "x", "BYRADIUS", "1", "km"];
  check(&mut c, l, &missing, ":0\r\n", &[("d", "del")], &["GEOSEARCHSTORE d nokey FROMMEMBER x BYRADIUS 1 km"], 1);
  let missing = ["GEORADIUSBYMEMBER", "nokey", "x", "1", "km", "STORE", "d2"];
  check(&mut c, l, &missing, ":0\r\n", &[("d2", "del")], &["GEORADIUSBYMEMBER nokey x 1 km STORE d2"], 1);
  // Errors change nothing.
  let error = ["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d", "WITHDIST"];
  let message = "-ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options\r\n";
  check(&mut c, l, &error, message, &[], &[], 0);
}

#[test]
fn stores_over_expired_destinations() {
  let (mut c, l) = observed("KEA");
  setup(
    &mut c,
    l,
    &[
      &["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"],
      &["SET", "d", "v", "PX", "1"],
      &["SET", "d2", "v", "PX", "1"],
    ],
  );
  std::thread::sleep(std::time::Duration::from_millis(5));
  // The expired key is reclaimed first: its event and DEL come before the store's, in one unit.
  check(
    &mut c,
    l,
    &["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"],
    ":2\r\n",
    &[("d", "expired"), ("d", "georadiusstore")],
    &["MULTI", "DEL d", "GEORADIUS g 15 37 200 km STORE d", "EXEC"],
    2,
  );
  assert_eq!(c.cmd(&["TTL", "d"]), ":-1\r\n");
  // An empty result deletes the expired key as a present one (Redis's dbDelete), with `del`.
  check(
    &mut c,
    l,
    &["GEORADIUS", "g", "15", "37", "1", "m", "STORE", "d2"],
    ":0\r\n",
    &[("d2", "del")],
    &["GEORADIUS g 15 37 1 m STORE d2"],
    1,
  );
}

#[test]
fn watch_is_broken_only_by_changes() {
  let fresh = || {
    let mut c = Client::new();
    c.cmd(&["GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"]);
    c
  };
  assert!(watch_survives(&mut fresh(), "g", &["GEOADD", "g", "13.361389", "38.115556", "Palermo"]));
  assert!(!watch_survives(&mut fresh(), "g", &["GEOADD", "g", "1", "1", "x"]));
  assert!(watch_survives(&mut fresh(), "g", &["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"]));
  assert!(!watch_survives(&mut fresh(), "d", &["GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d"]));
  assert!(watch_survives(&mut fresh(), "d", &["GEORADIUS", "g", "15", "37", "1", "m", "STORE", "d"]));
  assert!(!watch_survives(
    &mut fresh(),
    "d",
    &["GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "1", "m"]
  ));
}
