//! OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ and HELP: how a key's value is stored.
//!
//! The lookups count keyspace hits and misses but do not refresh the access time, so asking for
//! a key's idle time does not reset it. A missing key gets a null reply.

use super::lookup_quiet;
use crate::cmd::Ctx;
use crate::db::access::{self, AccessPolicy};
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// Redis shares one object among all keys holding the same small integer
/// (`OBJ_SHARED_INTEGERS`); OBJECT REFCOUNT reports such shared objects as [`SHARED_REFCOUNT`].
const SHARED_INTEGERS: i64 = 10_000;
/// The reference count Redis reports for a shared object (`OBJ_SHARED_REFCOUNT`, `INT_MAX`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

/// OBJECT ENCODING key: the name of the value's internal representation.
pub fn object_encoding(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  match lookup_quiet(ctx, argv[2]).map(|entry| entry.value.encoding()) {
    Some(encoding) => ctx.out.bulk(encoding.as_bytes()),
    None => ctx.out.null(),
  }
  Ok(())
}

/// OBJECT REFCOUNT key: how many references the value has. Integer strings from 0 to 9999 are
/// shared objects in Redis, unless `maxmemory` is set with an LRU or LFU policy (each value
/// then needs its own access bits); every other value has one. Redis decides when the value is
/// made; here the setting at the time of the question decides.
pub fn object_refcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let config = &ctx.server.config;
  let policy = config.maxmemory_policy;
  let shared = config.maxmemory == 0 || !(policy.is_lru() || policy.is_lfu());
  let refcount = |value: &Value| match value {
    Value::Int(n) if shared && (0..SHARED_INTEGERS).contains(n) => SHARED_REFCOUNT,
    _ => 1,
  };
  match lookup_quiet(ctx, argv[2]).map(|entry| refcount(&entry.value)) {
    Some(refcount) => ctx.out.int(refcount),
    None => ctx.out.null(),
  }
  Ok(())
}

/// OBJECT IDLETIME key: whole seconds since the key was last accessed, which is tracked
/// unless an LFU eviction policy is selected.
pub fn object_idletime(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  let Some(access) = lookup_quiet(ctx, argv[2]).map(|entry| entry.access) else {
    ctx.out.null();
    return Ok(());
  };
  if ctx.server.config.maxmemory_policy.is_lfu() {
    return Err(Error::err(
      "An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between \
       policies at runtime LRU and LFU data will take some time to adjust.",
    ));
  }
  ctx.out.int((access::idle_ms(access, now) / 1000) as i64);
  Ok(())
}

/// OBJECT FREQ key: the logarithmic access frequency, which is only tracked under an LFU
/// eviction policy.
pub fn object_freq(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let now = ctx.now_ms;
  let Some(access) = lookup_quiet(ctx, argv[2]).map(|entry| entry.access) else {
    ctx.out.null();
    return Ok(());
  };
  match crate::db::access::AccessPolicy::of(&ctx.server.config) {
    AccessPolicy::Lfu { decay_minutes, .. } => {
      ctx.out.int(i64::from(access::decayed_counter(access, now, decay_minutes)));
      Ok(())
    }
    AccessPolicy::Lru => Err(Error::err(
      "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching \
       between policies at runtime LRU and LFU data will take some time to adjust.",
    )),
  }
}

/// OBJECT HELP: the usage lines, identical to Redis's.
pub fn object_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  const LINES: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Prints this help.",
  ];
  ctx.out.array(LINES.len());
  for line in LINES {
    ctx.out.simple(line.as_bytes());
  }
  Ok(())
}
