//! EXISTS, TYPE and TOUCH: questions about keys that do not read their values.
//!
//! All three count keyspace hits and misses. EXISTS and TYPE leave the access time alone;
//! touching it is TOUCH's whole purpose (it does so even for a CLIENT NO-TOUCH connection).

use super::lookup_counted;
use crate::cmd::Ctx;
use crate::error::CmdResult;

/// EXISTS key [key ...]: how many of the keys exist; a key named twice counts twice.
pub fn exists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  count_live(ctx, &argv[1..], false)
}

/// TOUCH key [key ...]: refreshes the keys' access time; replies how many exist.
pub fn touch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  count_live(ctx, &argv[1..], true)
}

fn count_live(ctx: &mut Ctx, keys: &[&[u8]], touch: bool) -> CmdResult {
  let count = keys.iter().filter(|key| lookup_counted(ctx, key, touch).is_some()).count();
  ctx.out.int(count as i64);
  Ok(())
}

/// TYPE key: the value's type name (`string`, `list`, …), or `none` for a missing key.
pub fn key_type(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let name = lookup_counted(ctx, argv[1], false).map_or("none", |entry| entry.value.type_name());
  ctx.out.simple(name.as_bytes());
  Ok(())
}
