//! The dot canvas LOLWUT 5 draws on, printed with Unicode braille characters.
//!
//! A braille character (U+2800 to U+28FF) is a cell of 2 × 4 dots, each dot one bit of the
//! code point's low byte. The canvas keeps its pixels in exactly that form: one byte per
//! cell, a set bit for a dot that is drawn. Rendering is then a straight translation of each
//! byte into a three-byte UTF-8 character, and the canvas takes one bit per pixel (the
//! largest Schotter canvas, 2000 × 399204 pixels, fits in 100 MB).
//!
//! Coordinates start at the top-left corner. Drawing outside the canvas is allowed and draws
//! nothing, so shapes may run over the edges. The arithmetic of [`Canvas::square`] keeps
//! Redis's mix of `float` and `double` steps, so that a drawing without randomness comes out
//! dot for dot the same as Redis's.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

/// Which bit of a cell's byte holds the dot at column `x % 2`, row `y % 4` of the cell:
/// the three upper rows are numbered down the left column, then down the right one; the
/// bottom row got its two bits last, when braille grew from six dots to eight.
const DOT_BIT: [[u8; 2]; 4] = [[0, 3], [1, 4], [2, 5], [6, 7]];

/// √2 to ten decimals, as Redis divides by it: not `SQRT_2`, whose extra digits could round a
/// square's radius the other way.
#[allow(clippy::approx_constant)]
const ROOT_TWO: f64 = 1.4142135623;

pub struct Canvas {
  width: i32,
  height: i32,
  /// Cells per row of characters: `width / 2`, rounded up.
  columns: usize,
  /// One byte per braille cell, row by row.
  cells: Vec<u8>,
}

impl Canvas {
  /// An empty canvas of `width` × `height` pixels (`width` at least 1, `height` at least 0).
  pub fn new(width: i32, height: i32) -> Self {
    let columns = (width.max(0) as usize).div_ceil(2);
    let rows = (height.max(0) as usize).div_ceil(4);
    Canvas { width, height, columns, cells: vec![0; columns * rows] }
  }

  /// Puts a dot at `x`, `y`; nothing happens outside the canvas.
  pub fn dot(&mut self, x: i32, y: i32) {
    if x < 0 || x >= self.width || y < 0 || y >= self.height {
      return;
    }
    let (x, y) = (x as usize, y as usize);
    self.cells[(y / 4) * self.columns + x / 2] |= 1 << DOT_BIT[y % 4][x % 2];
  }

  /// Draws the segment from `x1`, `y1` to `x2`, `y2`, both ends included (Bresenham's
  /// algorithm: step along both axes, letting the accumulated error decide when the minor
  /// axis advances).
  pub fn line(&mut self, mut x1: i32, mut y1: i32, x2: i32, y2: i32) {
    let dx = (x2 - x1).abs();
    let dy = (y2 - y1).abs();
    let step_x = if x1 < x2 { 1 } else { -1 };
    let step_y = if y1 < y2 { 1 } else { -1 };
    let mut error = dx - dy;
    loop {
      self.dot(x1, y1);
      if x1 == x2 && y1 == y2 {
        return;
      }
      let doubled = error * 2;
      if doubled > -dy {
        error -= dy;
        x1 += step_x;
      }
      if doubled < dx {
        error += dx;
        y1 += step_y;
      }
    }
  }

  /// Draws the outline of a square of side about `side`, centred on `x`, `y` and turned by
  /// `angle` radians. Its corners lie on a circle of radius `side / √2` (rounded), at 45°,
  /// 135°, 225° and 315° from the vertical plus the angle; each is rounded to a pixel.
  pub fn square(&mut self, x: i32, y: i32, side: f32, angle: f32) {
    // Single-precision steps where Redis stores into a `float`, double elsewhere.
    let radius = (side as f64 / ROOT_TWO) as f32;
    let radius = (radius as f64).round() as f32;
    let mut corners = [(0, 0); 4];
    let mut direction = (FRAC_PI_4 + angle as f64) as f32;
    for corner in &mut corners {
      let along = direction as f64;
      *corner = (
        (along.sin() * radius as f64 + x as f64).round() as i32,
        (along.cos() * radius as f64 + y as f64).round() as i32,
      );
      direction = (direction as f64 + FRAC_PI_2) as f32;
    }
    for (i, &(from_x, from_y)) in corners.iter().enumerate() {
      let (to_x, to_y) = corners[(i + 1) % 4];
      self.line(from_x, from_y, to_x, to_y);
    }
  }

  /// Appends the canvas as text: a line of braille characters per four rows of pixels.
  /// Lines are separated by a newline; when the height is not one more than a multiple of
  /// four the last line gets a newline too (Redis tests the first pixel row of the line
  /// against the last row of the canvas). An empty canvas renders as nothing.
  pub fn render(&self, text: &mut Vec<u8>) {
    // (A canvas is at least one pixel wide; `max` only keeps `chunks` away from zero.)
    for (line, top) in self.cells.chunks(self.columns.max(1)).zip((0..self.height).step_by(4)) {
      for &cell in line {
        // U+2800 + cell in UTF-8: 1110_0010, 10_1000xx, 10_xxxxxx.
        text.extend_from_slice(&[0xE2, 0xA0 | (cell >> 6), 0x80 | (cell & 0x3F)]);
      }
      if top != self.height - 1 {
        text.push(b'\n');
      }
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn rendered(canvas: &Canvas) -> String {
    let mut text = Vec::new();
    canvas.render(&mut text);
    String::from_utf8(text).unwrap()
  }

  #[test]
  fn dots_map_to_braille_bits() {
    let mut canvas = Canvas::new(2, 4);
    canvas.dot(0, 0);
    assert_eq!(rendered(&canvas), "\u{2801}\n");
    canvas.dot(1, 3);
    canvas.dot(0, 3);
    assert_eq!(rendered(&canvas), "\u{28C1}\n");
    canvas.dot(-1, 0);
    canvas.dot(2, 0);
    canvas.dot(0, 4);
    assert_eq!(rendered(&canvas), "\u{28C1}\n");
  }

  #[test]
  fn line_includes_both_ends() {
    let mut canvas = Canvas::new(4, 1);
    canvas.line(3, 0, 0, 0);
    assert_eq!(rendered(&canvas), "\u{2809}\u{2809}");
  }

  #[test]
  fn empty_canvas_renders_nothing() {
    assert_eq!(rendered(&Canvas::new(2, 0)), "");
  }
}
