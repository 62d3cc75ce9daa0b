//! LOLWUT against redis-server 7.0.15. The version dispatch, the errors and the drawings that
//! involve no randomness (Schotter with at most two rows of squares, a one-row skyline) are
//! compared byte for byte with the replies captured from the reference server; for random
//! drawings, the shape is compared: number of lines, characters per line, caption.

mod common;
use common::Client;

const SCHOTTER_CAPTION: &str = "Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n";
const SKYLINE_CAPTION: &str = "Dedicated to the 8 bit game developers of past and present.\n\
Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n";
const WHITE_PIXEL: &str = "\x1b[0;97;107m \x1b[0m";

fn lolwut(c: &mut Client, args: &str) -> String {
  let mut argv = vec!["LOLWUT"];
  argv.extend(args.split_whitespace());
  c.cmd(&argv)
}

/// The text of a bulk reply, after checking that its length header is right.
fn text_of(reply: &str) -> &str {
  let (header, body) = reply.split_once("\r\n").expect("a bulk string");
  let body = body.strip_suffix("\r\n").expect("a complete bulk string");
  assert_eq!(header, format!("${}", body.len()), "{reply:?}");
  body
}

#[test]
fn default_version_prints_the_version_line() {
  let mut c = Client::new();
  for args in ["", "VERSION", "5 6", "foo bar baz", "VERSION 7", "VERSION 4", "VERSION 0", "VERSION -1", "VERSION 50"] {
    assert_eq!(lolwut(&mut c, args), "$18\r\nRedis ver. 7.0.15\n\r\n", "LOLWUT {args}");
  }
  // The drawings' arguments are not looked at.
  assert_eq!(lolwut(&mut c, "VERSION 7 abc"), "$18\r\nRedis ver. 7.0.15\n\r\n");
  c.cmd(&["HELLO", "3"]);
  assert_eq!(lolwut(&mut c, ""), "=22\r\ntxt:Redis ver. 7.0.15\n\r\n");
}

#[test]
fn errors() {
  let mut c = Client::new();
  let not_integer = "-ERR value is not an integer or out of range\r\n";
  for args in [
    "VERSION abc",
    "VERSION 5.0",
    "VERSION 9223372036854775808",
    "version 5 x",
    "VERSION 5 1 2 y",
    "VERSION 5 1 y 3",
    "VERSION 6 y",
    "VERSION 6 1 y",
  ] {
    assert_eq!(lolwut(&mut c, args), not_integer, "LOLWUT {args}");
  }
  // LOLWUT 6 reads two arguments only.
  assert_eq!(lolwut(&mut c, "VERSION 6 1 1 y"), format!("${}\r\n{WHITE_PIXEL}\n{SKYLINE_CAPTION}\r\n", 146));
}

#[test]
fn schotter_without_randomness_matches_byte_for_byte() {
  let mut c = Client::new();
  let cases = [
    // Two rows of squares, nothing turned yet.
    ("VERSION 5 10 3 2", "$190\r\n⢰⠒⠒⢲⠒⠒⣶⠒⠒⡆\n⢸⣀⣀⣸⣀⣀⣿⣀⣀⡇\n⢸⠀⠀⢸⠀⠀⣿⠀⠀⡇\n⠘⠒⠒⠚⠒⠒⠛⠒⠒⠃\n\n"),
    // Clamped to 1 1 1: no margin on so narrow a canvas.
    ("VERSION 5 0 0 0", "$70\r\n⠋\n\n"),
    ("VERSION 5 -9 -9 -9", "$70\r\n⠋\n\n"),
    ("VERSION 5 3 1 1", "$86\r\n⠀⡤⡄\n⠀⠉⠁\n\n"),
    // Nine rows of dots: no newline after the last line of characters.
    ("VERSION 5 7 2 1", "$131\r\n⢰⠒⠒⣶⠒⠒⡆\n⢸⣀⣀⣿⣀⣀⡇\n⠀⠀⠀⠀⠀⠀⠀\n"),
    // Squares too small for a single row of dots: an empty canvas.
    ("VERSION 5 1 200 1", "$66\r\n\n"),
    // Only the low 32 bits of the version count.
    ("VERSION 4294967301 3 1 1", "$86\r\n⠀⡤⡄\n⠀⠉⠁\n\n"),
  ];
  for (args, picture) in cases {
    assert_eq!(lolwut(&mut c, args), format!("{picture}{SCHOTTER_CAPTION}\r\n"), "LOLWUT {args}");
  }
  c.cmd(&["HELLO", "3"]);
  assert_eq!(lolwut(&mut c, "VERSION 5 3 1 1"), format!("=90\r\ntxt:⠀⡤⡄\n⠀⠉⠁\n\n{SCHOTTER_CAPTION}\r\n"));
}

#[test]
fn schotter_with_two_rows_of_squares_is_redis_s_drawing() {
  // The default 66 columns and 8 squares per row, as redis-server draws them.
  let expected = "\
⠀⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡤⠤⠤⠤⠤⠤⠤⠤⡄
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡧⠤⠤⠤⠤⠤⠤⠤⡇
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇⠀⠀⠀⠀⠀⠀⠀⡇
⠀⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠧⠤⠤⠤⠤⠤⠤⠤⠇

";
  let mut c = Client::new();
  let reply = lolwut(&mut c, "VERSION 5 66 8 2");
  assert_eq!(text_of(&reply), format!("{expected}{SCHOTTER_CAPTION}"));
}

/// The picture lines of a Schotter reply (after checking the caption): how many, how many
/// braille characters each, and whether a blank line precedes the caption.
fn schotter_shape(reply: &str) -> (usize, Vec<usize>, bool) {
  let text = text_of(reply);
  let picture = text.strip_suffix(SCHOTTER_CAPTION).expect("the caption").strip_suffix('\n').expect("a newline");
  let blank_line = picture.ends_with('\n');
  let lines: Vec<&str> = picture.strip_suffix('\n').unwrap_or(picture).split('\n').collect();
  for line in &lines {
    assert!(line.chars().all(|ch| ('\u{2800}'..='\u{28FF}').contains(&ch)), "{line:?}");
  }
  let mut widths: Vec<usize> = lines.iter().map(|line| line.chars().count()).collect();
  widths.dedup();
  (lines.len(), widths, blank_line)
}

#[test]
fn schotter_shapes_match_redis() {
  let mut c = Client::new();
  // (arguments, picture lines, characters per line, blank line before the caption), as
  // redis-server prints them.
  let cases = [
    ("VERSION 5", 49, 66, true),
    ("VERSION 5 1", 1, 1, true),
    ("VERSION 5 20 3 5", 16, 20, true),
    ("VERSION 5 3 1 3", 3, 3, true),
    ("VERSION 5 40 200 200", 20, 40, true),
    ("VERSION 5 7 3 7", 7, 7, true),
    ("VERSION 5 1 2 5", 2, 1, false),
    ("VERSION 5 1 4 3", 1, 1, false),
    ("VERSION 5 2 3 7", 3, 2, false),
    ("VERSION 5 1000 1 3", 1498, 1000, true),
  ];
  for (args, lines, width, blank_line) in cases {
    for _ in 0..3 {
      assert_eq!(schotter_shape(&lolwut(&mut c, args)), (lines, vec![width], blank_line), "LOLWUT {args}");
    }
  }
}

/// The rows of a skyline reply (after checking the caption), as the number of pixels each.
fn skyline_rows(reply: &str) -> Vec<usize> {
  const PIXELS: [&str; 4] =
    ["\x1b[0;30;40m \x1b[0m", "\x1b[0;90;100m \x1b[0m", "\x1b[0;37;47m \x1b[0m", "\x1b[0;97;107m \x1b[0m"];
  let text = text_of(reply);
  let picture = text.strip_suffix(SKYLINE_CAPTION).expect("the caption").strip_suffix('\n').expect("a newline");
  picture
    .split('\n')
    .map(|mut row| {
      let mut count = 0;
      while !row.is_empty() {
        let pixel = PIXELS.iter().find(|pixel| row.starts_with(**pixel)).expect("a pixel");
        row = &row[pixel.len()..];
        count += 1;
      }
      count
    })
    .collect()
}

#[test]
fn one_row_skyline_is_plain_sky() {
  let mut c = Client::new();
  for (args, width) in [("VERSION 6 3 1", 3), ("VERSION 6 0 0", 1), ("VERSION 6 80 -4", 80), ("VERSION 6 5000 1", 1000)]
  {
    let picture = WHITE_PIXEL.repeat(width);
    let text = format!("{picture}\n{SKYLINE_CAPTION}");
    assert_eq!(lolwut(&mut c, args), format!("${}\r\n{text}\r\n", text.len()), "LOLWUT {args}");
  }
  assert_eq!(lolwut(&mut c, "VERSION 6 3 1").len(), "$178\r\n".len() + 178 + 2);
  // Only the low 32 bits of the version count.
  assert_eq!(lolwut(&mut c, "VERSION -4294967290 1 1"), lolwut(&mut c, "VERSION 6 1 1"));
}

#[test]
fn skyline_shapes_match_redis() {
  let mut c = Client::new();
  // (arguments, rows, pixels per row), as redis-server prints them.
  let cases = [
    ("VERSION 6", 20, 80),
    ("VERSION 6 1 2", 2, 1),
    ("VERSION 6 33 7", 7, 33),
    ("VERSION 6 1000 3", 3, 1000),
    ("VERSION 6 5 1000", 1000, 5),
    ("VERSION 6 1000 1000", 1000, 1000),
  ];
  for (args, rows, width) in cases {
    for _ in 0..3 {
      assert_eq!(skyline_rows(&lolwut(&mut c, args)), vec![width; rows], "LOLWUT {args}");
    }
  }
}

#[test]
fn skyline_draws_buildings_under_the_sky() {
  let mut c = Client::new();
  let text = text_of(&lolwut(&mut c, "VERSION 6")).to_string();
  let rows: Vec<&str> = text.split('\n').collect();
  // Buildings are at most as tall as the picture less a row, so the top row is sky; each
  // layer starts left of the picture with a building at least half as tall as it, so the
  // bottom row starts with a building.
  assert_eq!(rows[0], WHITE_PIXEL.repeat(80));
  assert!(!rows[19].starts_with(WHITE_PIXEL), "{:?}", rows[19]);
}

#[test]
fn command_info_and_docs() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["COMMAND", "INFO", "lolwut"]),
    "*1\r\n*10\r\n$6\r\nlolwut\r\n:-1\r\n*2\r\n+readonly\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@read\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n"
  );
  // Like Redis's, the documentation states no complexity. (Redis's also describes the
  // VERSION argument; argument descriptions are not part of the command table.)
  let docs = common::bulk_strings(c.cmd(&["COMMAND", "DOCS", "lolwut"]).as_bytes());
  let fields: Vec<&str> = docs.iter().map(String::as_str).collect();
  assert_eq!(
    [fields[0], fields[1], fields[3], fields[4], fields[5], fields[6]],
    ["lolwut", "summary", "since", "5.0.0", "group", "server"]
  );
  assert_eq!(fields.len(), 7, "{fields:?}");
}
