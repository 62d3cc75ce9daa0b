//! GET and SET and their variants: SETNX, SETEX, PSETEX, GETSET, GETDEL and GETEX.
//!
//! SET and GETEX share Redis's option parser (`parseExtendedStringArgumentsOrReply`): options
//! may come in any order, an option that conflicts with an earlier one is a syntax error at
//! that point, and the expire time is validated afterwards, so a syntax error always wins over
//! a bad number. The SET family then funnels into `store`, which mirrors Redis's
//! `setGenericCommand`: optional GET reply, NX/XX check, write, expire.
//!
//! Every time to live reaches the write stream as an absolute time (`SET … PXAT`,
//! `PEXPIREAT`), so that a replica or an AOF replayed later expires the key at the same
//! instant rather than counting from when it replays.

use super::reply_value;
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::config::notify;
use crate::db::NO_EXPIRE;
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// The command whose options are parsed: SET takes NX, XX, GET and KEEPTTL; GETEX takes
/// PERSIST; both take EX, PX, EXAT and PXAT.
#[derive(Clone, Copy, PartialEq)]
enum Command {
  Set,
  GetEx,
}

#[derive(Clone, Copy, PartialEq)]
enum ExpireKind {
  Ex,
  Px,
  ExAt,
  PxAt,
}

impl ExpireKind {
  fn from_option(opt: &[u8]) -> Option<ExpireKind> {
    [("EX", ExpireKind::Ex), ("PX", ExpireKind::Px), ("EXAT", ExpireKind::ExAt), ("PXAT", ExpireKind::PxAt)]
      .into_iter()
      .find(|(name, _)| is(opt, name))
      .map(|(_, kind)| kind)
  }

  fn unit_ms(self) -> i64 {
    match self {
      ExpireKind::Ex | ExpireKind::ExAt => 1000,
      ExpireKind::Px | ExpireKind::PxAt => 1,
    }
  }

  /// EX and PX count from now; EXAT and PXAT are Unix times.
  fn relative(self) -> bool {
    matches!(self, ExpireKind::Ex | ExpireKind::Px)
  }
}

#[derive(Default)]
struct Options<'a> {
  nx: bool,
  xx: bool,
  get: bool,
  keep_ttl: bool,
  persist: bool,
  expire: Option<(ExpireKind, &'a [u8])>,
}

/// Parses the options from `argv[start..]` with Redis's acceptance rules: NX and XX exclude
/// each other, KEEPTTL and PERSIST exclude any expire option, and an expire option may repeat
/// (the last one wins) but not follow a different one. Anything else is a syntax error.
fn parse_options<'a>(argv: &[&'a [u8]], start: usize, command: Command) -> Result<Options<'a>, Error> {
  let set = command == Command::Set;
  let mut options = Options::default();
  let mut args = Args::new(argv, start);
  while let Some(opt) = args.next() {
    if set && is(opt, "NX") && !options.xx {
      options.nx = true;
    } else if set && is(opt, "XX") && !options.nx {
      options.xx = true;
    } else if set && is(opt, "GET") {
      options.get = true;
    } else if set && is(opt, "KEEPTTL") && options.expire.is_none() {
      options.keep_ttl = true;
    } else if !set && is(opt, "PERSIST") && options.expire.is_none() {
      options.persist = true;
    } else {
      let current = options.expire.map(|(kind, _)| kind);
      match ExpireKind::from_option(opt) {
        Some(kind) if !options.keep_ttl && !options.persist && current.is_none_or(|current| current == kind) => {
          options.expire = Some((kind, args.value()?));
        }
        _ => return Err(Error::Syntax),
      }
    }
  }
  Ok(options)
}

/// Converts an expire argument to an absolute Unix time in milliseconds, with Redis's checks:
/// an integer, positive, not overflowing; otherwise `invalid expire time in '<command>' command`
/// (the command's lower-case name).
fn expire_time(now_ms: i64, kind: ExpireKind, arg: &[u8], command: &str) -> Result<i64, Error> {
  let value = int_arg(arg)?;
  let invalid = || Error::err(format!("invalid expire time in '{command}' command"));
  if value <= 0 || (kind.unit_ms() == 1000 && value > i64::MAX / 1000) {
    return Err(invalid());
  }
  let mut ms = value * kind.unit_ms();
  if kind.relative() {
    ms = ms.wrapping_add(now_ms);
  }
  if ms <= 0 {
    return Err(invalid());
  }
  Ok(ms)
}

/// Writes the string at `key` as a bulk reply, or null. WRONGTYPE for other types. Returns
/// whether the key exists.
fn reply_string(ctx: &mut Ctx, key: &[u8]) -> Result<bool, Error> {
  let (entry, out) = ctx.lookup_read(key);
  match entry {
    None => {
      out.null();
      Ok(false)
    }
    Some(entry) => reply_value(out, &entry.value).map(|()| true),
  }
}

/// The core of the SET family (Redis's `setGenericCommand`): replies with the old value first
/// if GET was given, applies NX/XX, then stores `value` (clearing the time to live unless
/// KEEPTTL) and sets `expire_at`. Returns whether the key was written.
///
/// A write always counts as a change, even of the same value (so it breaks WATCHes); with an
/// expire time it is propagated as `SET key value PXAT ms`, whatever the options were: the
/// outcome they decided is already known.
fn store(ctx: &mut Ctx, key: &[u8], value: &[u8], options: &Options, expire_at: Option<i64>) -> Result<bool, Error> {
  if options.get {
    reply_string(ctx, key)?;
  }
  let now = ctx.now_ms;
  let db = ctx.db();
  let existing = db.live_position(key, now);
  if (options.nx && existing.is_some()) || (options.xx && existing.is_none()) {
    // The lookup still counts as an access, as Redis's write lookup does.
    if let Some(pos) = existing {
      db.touch_at(pos, now);
    }
    return Ok(false);
  }
  let pos = match existing {
    Some(pos) => db.replace_at(pos, Value::string(value), options.keep_ttl, now),
    None => db.insert_new_key(SmallBytes::new(key), Value::string(value), now),
  };
  if let Some(at) = expire_at {
    db.set_expire_at(pos, at);
  }
  ctx.changed(notify::STRING, "set", key);
  if let Some(at) = expire_at {
    ctx.notify(notify::GENERIC, "expire", key);
    if ctx.propagating() {
      let at = at.to_string().into_bytes();
      ctx.propagate_as(vec![b"SET".to_vec(), key.to_vec(), value.to_vec(), b"PXAT".to_vec(), at]);
    }
  }
  Ok(true)
}

/// GET key
pub fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  reply_string(ctx, argv[1]).map(|_found| ())
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | KEEPTTL]
///
/// Replies OK, or null when NX/XX prevented the write; with GET, the old value instead (null
/// if there was none, WRONGTYPE if it is not a string, in which case nothing is written).
pub fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let options = parse_options(argv, 3, Command::Set)?;
  let expire_at = match options.expire {
    Some((kind, arg)) => Some(expire_time(ctx.now_ms, kind, arg, "set")?),
    None => None,
  };
  let written = store(ctx, argv[1], argv[2], &options, expire_at)?;
  // The old value is of no use to a replica: GET is dropped (an expire time has already
  // rewritten the whole command). Every option after the value is a keyword, so each GET
  // there is the option, however often it was repeated.
  if written && options.get && expire_at.is_none() && ctx.propagating() {
    let kept = argv.iter().enumerate().filter(|&(i, arg)| i < 3 || !is(arg, "GET"));
    ctx.propagate_as(kept.map(|(_, arg)| arg.to_vec()).collect());
  }
  if !options.get {
    if written {
      ctx.out.ok();
    } else {
      ctx.out.null();
    }
  }
  Ok(())
}

/// SETNX key value
///
/// Sets the key only if it does not exist; replies 1 if it was set, 0 otherwise.
pub fn setnx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let options = Options { nx: true, ..Options::default() };
  let written = store(ctx, argv[1], argv[2], &options, None)?;
  ctx.out.int(written as i64);
  Ok(())
}

/// SETEX key seconds value
pub fn setex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_with_expire(ctx, argv, ExpireKind::Ex, "setex")
}

/// PSETEX key milliseconds value
pub fn psetex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  set_with_expire(ctx, argv, ExpireKind::Px, "psetex")
}

/// SETEX and PSETEX: SET key value EX/PX time, with the time before the value.
fn set_with_expire(ctx: &mut Ctx, argv: &[&[u8]], kind: ExpireKind, command: &str) -> CmdResult {
  let expire_at = expire_time(ctx.now_ms, kind, argv[2], command)?;
  store(ctx, argv[1], argv[3], &Options::default(), Some(expire_at))?;
  ctx.out.ok();
  Ok(())
}

/// GETSET key value
///
/// Replies with the old value (or null) and stores the new one, removing any time to live.
/// Propagated as the SET it amounts to.
pub fn getset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, value) = (argv[1], argv[2]);
  reply_string(ctx, key)?;
  let now = ctx.now_ms;
  ctx.db().set(key, Value::string(value), false, now);
  ctx.changed(notify::STRING, "set", key);
  if ctx.propagating() {
    ctx.propagate_as(vec![b"SET".to_vec(), key.to_vec(), value.to_vec()]);
  }
  Ok(())
}

/// GETDEL key
///
/// Replies with the value (or null) and deletes the key. Propagated as the deletion alone,
/// DEL or UNLINK as a user's DEL would free it (`lazyfree-lazy-user-del`).
pub fn getdel(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  if reply_string(ctx, key)? {
    ctx.db().remove(key);
    ctx.changed(notify::GENERIC, "del", key);
    if ctx.propagating() {
      let argv = ctx.deletion_argv(ctx.server.config.lazyfree_lazy_user_del, key);
      ctx.propagate_as(argv);
    }
  }
  Ok(())
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | PERSIST]
///
/// Replies with the value like GET, then changes the time to live: sets it, removes it
/// (PERSIST), or — for an EXAT/PXAT time already past — deletes the key. Without options the
/// time to live is untouched. As in Redis 7.0, a missing key replies null before the expire
/// time is validated.
///
/// Only a change of the time to live is a write, propagated as what it did: `PEXPIREAT` with
/// the absolute time, `PERSIST` (only when there was a time to live to remove), or the deletion
/// as an expiry would propagate it (`lazyfree-lazy-expire`). A plain read changes nothing.
pub fn getex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let options = parse_options(argv, 2, Command::GetEx)?;
  let key = argv[1];
  let now = ctx.now_ms;
  let (entry, out) = ctx.lookup_read(key);
  let Some(entry) = entry else {
    out.null();
    return Ok(());
  };
  if !entry.value.is_string() {
    return Err(Error::WrongType);
  }
  let expire = match options.expire {
    Some((kind, arg)) => Some((kind, expire_time(now, kind, arg, "getex")?)),
    None => None,
  };
  reply_value(out, &entry.value)?;
  if expire.is_none() && !options.persist {
    return Ok(());
  }

  let already_expired = expire.is_some_and(|(kind, at)| !kind.relative() && ctx.already_expired(at));
  let db = ctx.db();
  let Some(pos) = db.position(key) else { return Ok(()) };
  let change = match expire {
    Some(_) if already_expired => {
      db.remove_at(pos);
      TtlChange::Deleted
    }
    Some((_, at)) => {
      db.set_expire_at(pos, at);
      TtlChange::ExpireAt(at)
    }
    None if options.persist && db.expire_at(pos) != NO_EXPIRE => {
      db.set_expire_at(pos, NO_EXPIRE);
      TtlChange::Persisted
    }
    None => return Ok(()),
  };
  let event = match change {
    TtlChange::Deleted => "del",
    TtlChange::ExpireAt(_) => "expire",
    TtlChange::Persisted => "persist",
  };
  ctx.changed(notify::GENERIC, event, key);
  if ctx.propagating() {
    let argv = match change {
      TtlChange::Deleted => ctx.deletion_argv(ctx.server.config.lazyfree_lazy_expire, key),
      TtlChange::ExpireAt(at) => vec![b"PEXPIREAT".to_vec(), key.to_vec(), at.to_string().into_bytes()],
      TtlChange::Persisted => vec![b"PERSIST".to_vec(), key.to_vec()],
    };
    ctx.propagate_as(argv);
  }
  Ok(())
}

/// What GETEX did to a key's time to live.
enum TtlChange {
  /// The new expire time had already passed.
  Deleted,
  ExpireAt(i64),
  Persisted,
}
