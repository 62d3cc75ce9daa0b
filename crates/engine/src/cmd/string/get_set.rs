//! GET and SET.

use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// Writes the string at `key` as a bulk reply, or null. WRONGTYPE for other types.
pub(crate) fn reply_string(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(key);
  match entry.map(|e| &e.value) {
    None => out.null(),
    Some(Value::Int(n)) => out.bulk_i64(*n),
    Some(Value::Str(s)) => out.bulk(s),
    Some(Value::Raw(v)) => out.bulk(v),
  }
  Ok(())
}

/// GET key
pub fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_string(ctx, argv[1])
}

/// How SET treats the key's time to live.
enum Ttl {
  /// Remove any time to live.
  Clear,
  Keep,
  /// Expire at this Unix time in milliseconds.
  At(i64),
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | KEEPTTL]
///
/// Options are accepted in any order; conflicting ones are a syntax error, exactly where Redis
/// reports one (EX may be repeated, the last one wins). The expire time is validated before
/// the key is read, and GET replies with the old value (WRONGTYPE if it is not a string).
pub fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (mut nx, mut xx, mut get, mut keep_ttl) = (false, false, false, false);
  // (unit in ms, relative?, argument)
  let mut expire: Option<(i64, bool, &[u8])> = None;
  let mut expire_kind: Option<&str> = None;
  let mut i = 3;
  while i < argv.len() {
    let opt = argv[i];
    let next = argv.get(i + 1);
    let other_expire = |kind: &str| expire_kind.is_some_and(|k| k != kind);
    if is(opt, "NX") && !xx {
      nx = true;
    } else if is(opt, "XX") && !nx {
      xx = true;
    } else if is(opt, "GET") {
      get = true;
    } else if is(opt, "KEEPTTL") && expire_kind.is_none() {
      keep_ttl = true;
    } else if let (Some(kind), Some(value)) = (expire_option(opt), next) {
      if keep_ttl || other_expire(kind.0) {
        return Err(Error::Syntax);
      }
      expire_kind = Some(kind.0);
      expire = Some((kind.1, kind.2, value));
      i += 1;
    } else {
      return Err(Error::Syntax);
    }
    i += 1;
  }

  let ttl = match expire {
    None if keep_ttl => Ttl::Keep,
    None => Ttl::Clear,
    Some((unit, relative, arg)) => Ttl::At(expire_at(ctx, arg, unit, relative, "set")?),
  };
  if get {
    super::get_set::reply_string(ctx, argv[1])?;
  }
  let key = argv[1];
  let exists = ctx.lookup_write(key).0.is_some();
  if (nx && exists) || (xx && !exists) {
    if !get {
      ctx.out.null();
    }
    return Ok(());
  }
  let now = ctx.now_ms;
  let db = ctx.db();
  let pos = db.set(key, Value::string(argv[2]), matches!(ttl, Ttl::Keep), now);
  if let Ttl::At(at) = ttl {
    db.set_expire_at(pos, at);
  }
  if !get {
    ctx.out.ok();
  }
  Ok(())
}

/// Recognises EX/PX/EXAT/PXAT: (name, milliseconds per unit, relative to now?).
fn expire_option(opt: &[u8]) -> Option<(&'static str, i64, bool)> {
  [("EX", 1000, true), ("PX", 1, true), ("EXAT", 1000, false), ("PXAT", 1, false)]
    .into_iter()
    .find(|(name, _, _)| is(opt, name))
}

/// Converts an expire argument to an absolute Unix time in milliseconds, with Redis's checks:
/// an integer, positive, and not overflowing; otherwise `invalid expire time in '<cmd>' command`.
pub(crate) fn expire_at(ctx: &Ctx, arg: &[u8], unit_ms: i64, relative: bool, command: &str) -> Result<i64, Error> {
  let value = int_arg(arg)?;
  let invalid = || Error::err(format!("invalid expire time in '{command}' command"));
  if value <= 0 || (unit_ms == 1000 && value > i64::MAX / 1000) {
    return Err(invalid());
  }
  let mut ms = value * unit_ms;
  if relative {
    ms = ms.wrapping_add(ctx.now_ms);
  }
  if ms <= 0 {
    return Err(invalid());
  }
  Ok(ms)
}
