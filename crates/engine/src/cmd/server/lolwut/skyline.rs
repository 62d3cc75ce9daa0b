//! LOLWUT 6: a city skyline in the four grays of an 8-bit handheld console, after the
//! parallax backgrounds of its games.
//!
//! `LOLWUT VERSION 6 [columns [rows]]`: a picture of `columns` × `rows` pixels, each printed
//! as one space whose foreground and background are set to its gray with ANSI color escapes.
//! On a white sky, three layers of buildings stand on the bottom row: light gray ones at the
//! back, dark gray ones in front of them, and black ones with lit windows at the front. Their
//! positions, widths and heights are random; a single row is too low for any building, so a
//! one-row picture is plain sky.

use super::{param, Bounds};
use crate::error::Error;
use crate::rand::Rng;

/// The caption after the picture, before the version and a newline.
const CAPTION: &[u8] = b"\nDedicated to the 8 bit game developers of past and present.\n\
Original 8 bit image from Plaguemon by hikikomori. Redis ver. ";

/// The arguments after VERSION 6, with their defaults and the ranges they are clamped to.
const COLUMNS: Bounds = Bounds { default: 80, min: 1, max: 1000 };
const ROWS: Bounds = Bounds { default: 20, min: 1, max: 1000 };

/// The shades, darkest first.
const BLACK: u8 = 0;
const DARK_GRAY: u8 = 1;
const LIGHT_GRAY: u8 = 2;
const WHITE: u8 = 3;

/// How a pixel of each shade is printed: a space in that color (foreground and background
/// both, which terminals agree on best), then a reset.
const PIXEL_TEXT: [&[u8]; 4] =
  [b"\x1b[0;30;40m \x1b[0m", b"\x1b[0;90;100m \x1b[0m", b"\x1b[0;37;47m \x1b[0m", b"\x1b[0;97;107m \x1b[0m"];

/// Draws the picture for `params` (the arguments after the version; extra ones are ignored)
/// and returns it with its caption.
pub fn render(params: &[&[u8]], rng: &mut Rng) -> Result<Vec<u8>, Error> {
  let columns = param(params, 0, COLUMNS)?;
  let rows = param(params, 1, ROWS)?;
  let mut picture = Picture::sky(columns, rows);
  picture.draw_city(rng);
  let longest = PIXEL_TEXT.iter().map(|text| text.len()).max().unwrap_or(0);
  let mut text = Vec::with_capacity(picture.pixels.len() * longest + rows as usize + 160);
  picture.render(&mut text);
  text.extend_from_slice(CAPTION);
  text.extend_from_slice(crate::REDIS_VERSION.as_bytes());
  text.push(b'\n');
  Ok(text)
}

/// One building: `width` pixels from column `left` (which may be off the picture), `height`
/// pixels up from the bottom row.
struct Building {
  left: i32,
  width: i32,
  height: i32,
  shade: u8,
  /// Lit windows are drawn only on the black buildings of the front.
  windows: bool,
}

/// A grid of shades, row by row.
struct Picture {
  width: i32,
  height: i32,
  pixels: Vec<u8>,
}

impl Picture {
  /// A white picture of `width` × `height` pixels (both at least 1).
  fn sky(width: i32, height: i32) -> Self {
    Picture { width, height, pixels: vec![WHITE; width as usize * height as usize] }
  }

  fn index(&self, x: i32, y: i32) -> Option<usize> {
    let inside = (0..self.width).contains(&x) && (0..self.height).contains(&y);
    inside.then(|| y as usize * self.width as usize + x as usize)
  }

  /// The shade at `x`, `y`; black off the picture.
  fn get(&self, x: i32, y: i32) -> u8 {
    self.index(x, y).map_or(BLACK, |at| self.pixels[at])
  }

  /// Paints `x`, `y`; nothing happens off the picture.
  fn set(&mut self, x: i32, y: i32, shade: u8) {
    if let Some(at) = self.index(x, y) {
      self.pixels[at] = shade;
    }
  }

  /// The three layers of buildings, each from a little left of the picture to past its right
  /// edge: the light gray ones overlapping by half their width, the dark gray ones one pixel
  /// apart, the black ones five apart, each moved right by up to seven more pixels.
  fn draw_city(&mut self, rng: &mut Rng) {
    let height = self.height as u64;
    for shade in [LIGHT_GRAY, DARK_GRAY] {
      let mut left = -10;
      while left < self.width {
        left += rng.below(8) as i32;
        let width = 10 + rng.below(9) as i32;
        // The light ones reach from half the picture's height to almost all of it, the dark
        // ones to five sixths.
        let rise = if shade == LIGHT_GRAY { rng.below(height) / 2 } else { rng.below(height) / 3 };
        let building = Building { left, width, height: self.height / 2 + rise as i32, shade, windows: false };
        self.draw_building(&building, rng);
        left += if shade == LIGHT_GRAY { width / 2 } else { width + 1 };
      }
    }
    let mut left = -10;
    while left < self.width {
      left += rng.below(8) as i32;
      let mut width = 5 + rng.below(14) as i32;
      if width % 4 != 0 {
        width += width % 3;
      }
      let rise = rng.below(height) / 2;
      let building = Building { left, width, height: self.height / 3 + rise as i32, shade: BLACK, windows: true };
      self.draw_building(&building, rng);
      left += width + 5;
    }
  }

  /// Paints a building from the bottom row up. Its roof row is two pixels narrower on each
  /// side. Windows stay off the two pixels next to each wall, the row under the roof and the
  /// two rows above the ground: in between, every other row holds windows two pixels wide
  /// with two pixels of wall between them, each lit in a random gray.
  fn draw_building(&mut self, building: &Building, rng: &mut Rng) {
    let Building { left, width, height, shade, windows } = *building;
    let right = left + width - 1;
    let bottom = self.height - 1;
    let roof = bottom - height + 1;
    for y in (roof..=bottom).rev() {
      for x in left..=right {
        if y == roof && (x <= left + 1 || x >= right - 1) {
          continue;
        }
        let inner = x > left + 1 && x < right - 1 && y > roof + 1 && y < bottom - 1;
        let (from_left, from_top) = (x - (left + 1), y - (roof + 1));
        let color = if windows && inner && (from_left / 2) % 2 == 1 && from_top % 2 == 1 {
          // The right half of a window takes the color of its left half.
          if from_left % 2 == 1 {
            self.get(x - 1, y)
          } else if rng.below(2) == 0 {
            DARK_GRAY
          } else {
            LIGHT_GRAY
          }
        } else {
          shade
        };
        self.set(x, y, color);
      }
    }
  }

  /// Appends the picture as text: a line per row, separated by newlines.
  fn render(&self, text: &mut Vec<u8>) {
    for (y, row) in self.pixels.chunks(self.width as usize).enumerate() {
      if y > 0 {
        text.push(b'\n');
      }
      for &shade in row {
        text.extend_from_slice(PIXEL_TEXT[shade as usize]);
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn windows_come_in_pairs_on_alternate_rows() {
    let mut picture = Picture::sky(12, 9);
    let mut rng = Rng::new(7);
    picture.draw_building(&Building { left: 0, width: 12, height: 9, shade: BLACK, windows: true }, &mut rng);
    let row = |y: usize| picture.pixels[y * 12..(y + 1) * 12].to_vec();
    // The roof, narrower by two pixels on each side.
    assert_eq!(row(0), [WHITE, WHITE, 0, 0, 0, 0, 0, 0, 0, 0, WHITE, WHITE]);
    // Rows without windows: the one under the roof, every other one, the two lowest.
    for y in [1, 3, 5, 7, 8] {
      assert_eq!(row(y), [BLACK; 12], "row {y}");
    }
    for y in [2, 4, 6] {
      let row = row(y);
      for x in [0, 1, 2, 5, 6, 9, 10, 11] {
        assert_eq!(row[x], BLACK, "row {y} column {x}");
      }
      for x in [3, 7] {
        assert!(row[x] == DARK_GRAY || row[x] == LIGHT_GRAY, "row {y} column {x}");
        assert_eq!(row[x + 1], row[x], "row {y} column {x}");
      }
    }
  }
}
