//! TIME and LASTSAVE.

use crate::cmd::Ctx;
use crate::error::CmdResult;

/// TIME: the server clock (as the command started) as two bulk strings, Unix seconds and the
/// microseconds within the second.
pub fn time(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let micros = ctx.now_us;
  ctx.out.array(2);
  ctx.out.bulk_i64(micros.div_euclid(1_000_000));
  ctx.out.bulk_i64(micros.rem_euclid(1_000_000));
  Ok(())
}

/// LASTSAVE: the Unix time of the last successful save (without persistence: the start time).
pub fn lastsave(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.int(ctx.server.keyspace.last_save);
  Ok(())
}
