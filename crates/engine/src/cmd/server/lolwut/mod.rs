//! LOLWUT [VERSION version] [version-specific arguments]: some computer art and the server
//! version, as a verbatim text string (a bulk string in RESP2).
//!
//! Each Redis release may bring its own drawing. Which one runs is decided from a version
//! string, the server's own (`7.0.15`, which has no drawing and prints just its version) or
//! `<version>.0.0` built from VERSION (as a C `unsigned int`, so only its low 32 bits
//! count): major 5, or a 4.9 preview, draws Schotter ([`schotter`]); major 6, or a 5.9
//! preview, draws a skyline ([`skyline`]); anything else prints the version line. The
//! arguments after the version belong to the drawing: integers, clamped to its limits,
//! defaults for those left out, extra ones ignored.

mod canvas;
mod schotter;
mod skyline;

use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};

/// LOLWUT [VERSION version] [version-specific arguments]
pub fn lolwut(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  // VERSION needs its value: a lone `LOLWUT VERSION` is the default version with an argument.
  let requested = if argv.len() >= 3 && is(argv[1], "VERSION") { Some(int_arg(argv[2])?) } else { None };
  let (drawing, params) = match requested {
    Some(number) => (drawing_for(format!("{}.0.0", number as u32).as_bytes()), &argv[3..]),
    None => (drawing_for(crate::REDIS_VERSION.as_bytes()), &argv[1..]),
  };
  let text = match drawing {
    Drawing::Schotter => schotter::render(params, &mut ctx.server.rng)?,
    Drawing::Skyline => skyline::render(params, &mut ctx.server.rng)?,
    Drawing::VersionOnly => format!("Redis ver. {}\n", crate::REDIS_VERSION).into_bytes(),
  };
  ctx.out.verbatim(b"txt", &text);
  Ok(())
}

enum Drawing {
  Schotter,
  Skyline,
  VersionOnly,
}

/// Redis's rule: the major version, with a `x.9` preview counting as the next major.
fn drawing_for(version: &[u8]) -> Drawing {
  let preview = version.get(2) == Some(&b'9');
  match (version.first(), version.get(1)) {
    (Some(b'5'), Some(b'.')) if !preview => Drawing::Schotter,
    (Some(b'4'), Some(b'.')) if preview => Drawing::Schotter,
    (Some(b'6'), Some(b'.')) if !preview => Drawing::Skyline,
    (Some(b'5'), Some(b'.')) => Drawing::Skyline,
    _ => Drawing::VersionOnly,
  }
}

/// A drawing's numeric argument: its value when absent, and the range a given value is
/// clamped to.
struct Bounds {
  default: i64,
  min: i64,
  max: i64,
}

/// The drawing argument at `index` of `params` (an integer, or "not an integer"), clamped.
fn param(params: &[&[u8]], index: usize, bounds: Bounds) -> Result<i32, Error> {
  let value = params.get(index).map_or(Ok(bounds.default), |arg| int_arg(arg))?;
  Ok(value.clamp(bounds.min, bounds.max) as i32)
}
