//! DUMP and RESTORE: a key's value as a portable payload, and a key made from one.
//!
//! A payload is the value in RDB form ([`crate::rdb::value`]), the RDB version and a CRC-64
//! of the whole ([`crate::rdb::encoding`]). RESTORE checks its arguments in Redis's order
//! (options, an existing key, the TTL, the footer, then the value), and reads the value with
//! full validation, so a corrupt payload is refused with `Bad data format` and never stored.
//! A restored key is one change with the `restore` event; a relative TTL is propagated as an
//! absolute one (the arguments rewritten with ABSTTL), and a TTL already past stores nothing:
//! if REPLACE removed a key on the way, that removal is the change and replays as DEL.

use super::write_position;
use crate::bytes::SmallBytes;
use crate::cmd::{int_arg, is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::rdb::encoding::{finish_dump_payload, verify_dump_payload, Reader};
use crate::rdb::value::{read_value, write_value, Settings};

/// DUMP key: the serialized value, or nil for a missing key.
pub fn dump(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let settings = Settings::from_config(&ctx.server.config);
  let (entry, out) = ctx.lookup_read(argv[1]);
  let Some(entry) = entry else {
    out.null();
    return Ok(());
  };
  let mut payload = Vec::new();
  write_value(&mut payload, &entry.value, &settings);
  finish_dump_payload(&mut payload);
  out.bulk(&payload);
  Ok(())
}

/// RESTORE key ttl serialized-value \[REPLACE\] \[ABSTTL\] \[IDLETIME seconds\] \[FREQ frequency\]
pub fn restore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (mut replace, mut absttl) = (false, false);
  let (mut idle, mut freq) = (None, None);
  let mut j = 4;
  while j < argv.len() {
    let has_value = j + 1 < argv.len();
    if is(argv[j], "REPLACE") {
      replace = true;
    } else if is(argv[j], "ABSTTL") {
      absttl = true;
    } else if is(argv[j], "IDLETIME") && has_value && freq.is_none() {
      let seconds = int_arg(argv[j + 1])?;
      if seconds < 0 {
        return Err(Error::err("Invalid IDLETIME value, must be >= 0"));
      }
      idle = Some(seconds);
      j += 1;
    } else if is(argv[j], "FREQ") && has_value && idle.is_none() {
      let frequency = int_arg(argv[j + 1])?;
      if !(0..=255).contains(&frequency) {
        return Err(Error::err("Invalid FREQ value, must be >= 0 and <= 255"));
      }
      freq = Some(frequency);
      j += 1;
    } else {
      return Err(Error::Syntax);
    }
    j += 1;
  }
  let key = argv[1];
  if !replace && write_position(ctx, key).is_some() {
    return Err(Error::coded("BUSYKEY Target key name already exists."));
  }
  let mut ttl = int_arg(argv[2])?;
  if ttl < 0 {
    return Err(Error::err("Invalid TTL value, must be >= 0"));
  }
  let payload = argv[3];
  if verify_dump_payload(payload, !ctx.server.skip_checksum_validation).is_none() {
    return Err(Error::err("DUMP payload version or checksum are wrong"));
  }
  let settings = Settings::from_config(&ctx.server.config);
  // As in Redis, the value is read from the whole payload: a value cut short may take its
  // last bytes from the footer.
  let mut reader = Reader::new(payload);
  let value = read_value(&mut reader, &settings).map_err(|error| {
    // Logged as Redis's RESTORE logs a corrupt payload.
    ctx.server.telemetry.verbose(error.report_line());
    Error::err("Bad data format")
  })?;

  let now = ctx.now_ms;
  // REPLACE removes the key as it is, expired or not, as Redis's `dbDelete` does.
  let deleted = replace && {
    let db = ctx.db();
    db.position(key).map(|pos| db.remove_at(pos)).is_some()
  };
  if ttl != 0 && !absttl {
    ttl = ttl.wrapping_add(now);
  }
  if ttl != 0 && ctx.already_expired(ttl) {
    if deleted {
      ctx.propagate_as(vec![b"DEL".to_vec(), key.to_vec()]);
      ctx.changed(notify::GENERIC, "del", key);
    }
    ctx.out.ok();
    return Ok(());
  }
  let db = ctx.db();
  let pos = db.insert_new_key(SmallBytes::new(key), value, now);
  if ttl != 0 {
    db.set_expire_at(pos, ttl);
    if !absttl && ctx.propagating() {
      let mut rewritten: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
      rewritten[2] = ttl.to_string().into_bytes();
      rewritten.push(b"ABSTTL".to_vec());
      ctx.propagate_as(rewritten);
    }
  }
  let db = ctx.db();
  if let Some(pos) = db.position(key) {
    db.set_recorded_use(pos, idle.map(|seconds| seconds as u64), freq.map(|frequency| frequency as u8), now);
  }
  ctx.changed(notify::GENERIC, "restore", key);
  ctx.out.ok();
  Ok(())
}
