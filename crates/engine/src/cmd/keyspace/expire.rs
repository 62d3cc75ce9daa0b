//! Key expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME and
//! PERSIST.
//!
//! The four setters share one path, as in Redis: options first (NX, XX, GT, LT and their
//! conflicts), then the time (an integer, converted to absolute milliseconds with overflow
//! checks), then the key. A time already in the past deletes the key and still replies 1
//! (except while the AOF loads, and on replicas: see [`Ctx::already_expired`]).
//! Expiry times are stored as absolute Unix milliseconds (`Entry::expire_at`); the readers turn
//! them back into relative or absolute seconds or milliseconds, rounding seconds to nearest.
//!
//! A setter that changed something is propagated in a form that replays to the same result
//! later: the absolute `PEXPIREAT` (with the options as given), or the deletion itself when the
//! time had already passed, since a replica must not decide on its own that a key expired.

use super::{read_position, write_position};
use crate::cmd::{int_arg, is, Ctx};
use crate::config::notify;
use crate::db::NO_EXPIRE;
use crate::error::{CmdResult, Error};

/// EXPIRE key seconds [NX | XX | GT | LT]
pub fn expire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  set_expiry(ctx, argv, now, 1000, "expire")
}

/// PEXPIRE key milliseconds [NX | XX | GT | LT]
pub fn pexpire(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  set_expiry(ctx, argv, now, 1, "pexpire")
}

/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
pub fn expireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_expiry(ctx, argv, 0, 1000, "expireat")
}

/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
pub fn pexpireat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_expiry(ctx, argv, 0, 1, "pexpireat")
}

/// The NX/XX/GT/LT options: conditions on the key's current expiry time.
#[derive(Default)]
struct Conditions {
  /// Only if the key has no expiry time.
  nx: bool,
  /// Only if the key has an expiry time.
  xx: bool,
  /// Only if the new time is later than the current one (no expiry counts as infinitely late).
  gt: bool,
  /// Only if the new time is earlier than the current one.
  lt: bool,
}

impl Conditions {
  /// Parses the options in any order (repeats allowed), then rejects incompatible sets.
  fn parse(options: &[&[u8]]) -> Result<Conditions, Error> {
    let mut c = Conditions::default();
    for &option in options {
      if is(option, "NX") {
        c.nx = true;
      } else if is(option, "XX") {
        c.xx = true;
      } else if is(option, "GT") {
        c.gt = true;
      } else if is(option, "LT") {
        c.lt = true;
      } else {
        // Redis formats the option with %s, which stops at a NUL byte.
        let shown = crate::cstr::until_nul(option);
        return Err(Error::err(format!("Unsupported option {}", String::from_utf8_lossy(shown))));
      }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
      return Err(Error::err("NX and XX, GT or LT options at the same time are not compatible"));
    }
    if c.gt && c.lt {
      return Err(Error::err("GT and LT options at the same time are not compatible"));
    }
    Ok(c)
  }

  /// Whether the conditions allow replacing expiry time `current` ([`NO_EXPIRE`] for none)
  /// with `when`.
  fn allow(&self, current: i64, when: i64) -> bool {
    let persistent = current == NO_EXPIRE;
    !((self.nx && !persistent)
      || (self.xx && persistent)
      || (self.gt && (persistent || when <= current))
      || (self.lt && !persistent && when >= current))
  }
}

/// Shared body of the four setters: the time argument is `unit_ms` milliseconds per unit,
/// added to `base_ms` (now for relative commands, 0 for absolute ones).
fn set_expiry(ctx: &mut Ctx, argv: &[&[u8]], base_ms: i64, unit_ms: i64, command: &str) -> CmdResult {
  let conditions = Conditions::parse(&argv[3..])?;
  let invalid = || Error::err(format!("invalid expire time in '{command}' command"));
  let when = int_arg(argv[2])?.checked_mul(unit_ms).ok_or_else(invalid)?;
  if when > i64::MAX - base_ms {
    return Err(invalid());
  }
  let when = when + base_ms;

  let already_expired = ctx.already_expired(when);
  let Some(pos) = write_position(ctx, argv[1]) else {
    ctx.out.int(0);
    return Ok(());
  };
  let db = ctx.db();
  if !conditions.allow(db.expire_at(pos), when) {
    ctx.out.int(0);
    return Ok(());
  }
  let key = argv[1];
  if already_expired {
    db.remove_at(pos);
    // The deletion is what replays.
    ctx.propagate_as(ctx.deletion_argv(ctx.server.config.lazyfree_lazy_expire, key));
    ctx.changed(notify::GENERIC, "del", key);
    ctx.out.int(1);
  } else {
    db.set_expire_at(pos, when);
    // PEXPIREAT already names the absolute time it was given; the others replay as it.
    if command != "pexpireat" && ctx.propagating() {
      let mut rewritten: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
      rewritten[0] = b"PEXPIREAT".to_vec();
      rewritten[2] = when.to_string().into_bytes();
      ctx.propagate_as(rewritten);
    }
    // Here the reply goes before the event, as Redis sends them.
    ctx.out.int(1);
    ctx.changed(notify::GENERIC, "expire", key);
  }
  Ok(())
}

/// TTL key: seconds to live (rounded to nearest), -1 without expiry, -2 for a missing key.
pub fn ttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_expiry(ctx, argv[1], false, false)
}

/// PTTL key: milliseconds to live, -1 without expiry, -2 for a missing key.
pub fn pttl(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_expiry(ctx, argv[1], true, false)
}

/// EXPIRETIME key: the expiry as Unix seconds (rounded to nearest), or -1 / -2.
pub fn expiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_expiry(ctx, argv[1], false, true)
}

/// PEXPIRETIME key: the expiry as Unix milliseconds, or -1 / -2.
pub fn pexpiretime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_expiry(ctx, argv[1], true, true)
}

/// Replies with a key's expiry: relative to now or `absolute`, in milliseconds or seconds.
fn reply_expiry(ctx: &mut Ctx, key: &[u8], in_ms: bool, absolute: bool) -> CmdResult {
  let now = ctx.now_ms;
  ctx.notify_if_missing(key);
  let reply = match read_position(ctx, key, false).map(|pos| ctx.db().expire_at(pos)) {
    None => -2,
    Some(NO_EXPIRE) => -1,
    Some(expire_at) => {
      let ms = if absolute { expire_at } else { expire_at - now }.max(0);
      if in_ms {
        ms
      } else {
        // Wider arithmetic: rounding a time near i64::MAX must not overflow.
        ((ms as i128 + 500) / 1000) as i64
      }
    }
  };
  ctx.out.int(reply);
  Ok(())
}

/// PERSIST key: removes the key's expiry; 1 if it had one, 0 otherwise (or if missing).
pub fn persist(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(pos) = write_position(ctx, argv[1]) else {
    ctx.out.int(0);
    return Ok(());
  };
  let db = ctx.db();
  let had_expiry = db.expire_at(pos) != NO_EXPIRE;
  if had_expiry {
    db.set_expire_at(pos, NO_EXPIRE);
    ctx.changed(notify::GENERIC, "persist", argv[1]);
  }
  ctx.out.int(had_expiry as i64);
  Ok(())
}
