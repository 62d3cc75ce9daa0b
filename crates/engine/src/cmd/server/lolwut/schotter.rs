//! LOLWUT 5: Georg Nees' "Schotter" (1968), a grid of squares that falls into disorder row by
//! row, drawn in braille dots.
//!
//! `LOLWUT VERSION 5 [columns [squares-per-row [squares-per-column]]]`: the picture is
//! `columns` characters wide (two dots each); the squares of a row share its width, less a
//! two-dot margin on each side (none when the picture is at most two characters wide), and
//! the height follows from the number of rows of squares. The first two rows stand straight;
//! from the third on, each square is turned and shifted at random, more the lower it is.
//! Sizes are computed in single precision, as Redis does, so the picture (and with at most
//! two rows of squares, every dot of it) has Redis's exact dimensions.

use super::canvas::Canvas;
use super::{param, Bounds};
use crate::error::Error;
use crate::rand::Rng;

/// The caption after the picture, before the version and a newline.
const CAPTION: &[u8] = b"\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ";

/// The arguments after VERSION 5, with their defaults and the ranges they are clamped to.
const COLUMNS: Bounds = Bounds { default: 66, min: 1, max: 1000 };
const SQUARES_PER_ROW: Bounds = Bounds { default: 8, min: 1, max: 200 };
const SQUARES_PER_COLUMN: Bounds = Bounds { default: 12, min: 1, max: 200 };

/// The largest value C's `rand()` returns with glibc, which scales the random offsets.
const RAND_MAX: u64 = (1 << 31) - 1;

/// Draws the picture for `params` (the arguments after the version; extra ones are ignored)
/// and returns it with its caption.
pub fn render(params: &[&[u8]], rng: &mut Rng) -> Result<Vec<u8>, Error> {
  let columns = param(params, 0, COLUMNS)?;
  let squares_per_row = param(params, 1, SQUARES_PER_ROW)?;
  let squares_per_column = param(params, 2, SQUARES_PER_COLUMN)?;
  let canvas = draw(columns, squares_per_row, squares_per_column, rng);
  let mut text = Vec::new();
  canvas.render(&mut text);
  text.extend_from_slice(CAPTION);
  text.extend_from_slice(crate::REDIS_VERSION.as_bytes());
  text.push(b'\n');
  Ok(text)
}

/// The picture on a canvas `columns` × 2 dots wide.
fn draw(columns: i32, squares_per_row: i32, squares_per_column: i32, rng: &mut Rng) -> Canvas {
  let width = columns * 2;
  let margin = if width > 4 { 2 } else { 0 };
  let side = (width - margin * 2) as f32 / squares_per_row as f32;
  let height = (side * squares_per_column as f32 + (margin * 2) as f32) as i32;
  let mut canvas = Canvas::new(width, height);
  for row in 0..squares_per_column {
    for column in 0..squares_per_row {
      let mut x = (column as f32 * side + side / 2.0 + margin as f32) as i32;
      let mut y = (row as f32 * side + side / 2.0 + margin as f32) as i32;
      let mut angle = 0.0;
      if row > 1 {
        // Random signs and sizes growing with the row: a turn of up to row / rows radians,
        // shifts of up to row / rows of a third of the side.
        let sizes = [(); 3].map(|()| unit(rng) / squares_per_column as f32 * row as f32);
        let [turn, shift_x, shift_y] = sizes.map(|size| if rng.below(2) == 1 { -size } else { size });
        angle = turn;
        x = (x as f32 + shift_x * side / 3.0) as i32;
        y = (y as f32 + shift_y * side / 3.0) as i32;
      }
      canvas.square(x, y, side, angle);
    }
  }
  canvas
}

/// A uniform random number in [0, 1], with the granularity of C's `rand()`.
fn unit(rng: &mut Rng) -> f32 {
  rng.below(RAND_MAX + 1) as f32 / RAND_MAX as f32
}
