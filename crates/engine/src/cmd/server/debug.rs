//! DEBUG: testing and debugging helpers (SLEEP, ERROR, LOG, SET-ACTIVE-EXPIRE, PAUSE-CRON,
//! AOF-FLUSH-SLEEP, SET-DISABLE-DENY-SCRIPTS, SET-SKIP-CHECKSUM-VALIDATION, RELOAD, LOADAOF,
//! REPLICATE, OBJECT, LISTPACK, DIGEST, DIGEST-VALUE, PROTOCOL, POPULATE, CHANGE-REPL-ID,
//! CONFIG-REWRITE-FORCE-ALL, STRINGMATCH-TEST, QUICKLIST-PACKED-THRESHOLD, REPLYBUFFER, HELP), and
//! the crashes on purpose (SEGFAULT, PANIC, ASSERT), which the host carries out.
//!
//! QUICKLIST-PACKED-THRESHOLD and REPLYBUFFER tune structures Redis has and the engine does
//! not (a packed threshold for list nodes, resizable per-client reply buffers): they check
//! their arguments as Redis does and change nothing, so that scripts and test suites written
//! for Redis run unchanged.
//!
//! Like Redis, DEBUG is refused unless `enable-debug-command` is `yes`, or `local` and the
//! client connects from this machine. DEBUG parses its own subcommands (it has no subcommand
//! table), so an unknown one or a wrong argument count gets Redis's "unknown subcommand or
//! wrong number of arguments" error.

use super::config::parse_memory;
use super::digest::{dataset_digest, hex, mix_value};
use super::{help_reply, is_local, persistence, subcommand_error};
use crate::bytes::SmallBytes;
use crate::cmd::{is, Ctx};
use crate::config::Permission;
use crate::db::access;
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;
use crate::value::Value;
use std::time::Duration;

/// DEBUG's crashes on purpose, and the names the host carries them out by.
const CRASHES: [(&str, &str); 3] =
  [("SEGFAULT", "debug|segfault"), ("PANIC", "debug|panic"), ("ASSERT", "debug|assert")];

/// DEBUG subcommand [arg ...]
pub fn debug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let allowed = match ctx.server.config.enable_debug_command {
    Permission::Yes => true,
    Permission::Local => is_local(ctx.session),
    Permission::No => false,
  };
  if !allowed {
    return Err(Error::err(
      "DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a \
       local connection, otherwise you need to set this option in the configuration file, and then restart the \
       server.",
    ));
  }
  let sub = argv[1];
  // Crashes on purpose, with a crash report, as Redis's do: the host owns the process.
  let crash = CRASHES.iter().find(|(word, _)| argv.len() == 2 && is(sub, word));
  if let Some((_, name)) = crash {
    ctx.hand_over(name, argv.iter().map(|arg| arg.to_vec()).collect());
    return Ok(());
  }
  match argv.len() {
    2 if is(sub, "HELP") => help(ctx),
    3 if is(sub, "SLEEP") => sleep(ctx, argv[2]),
    3 if is(sub, "ERROR") => {
      // Written as is, without counting it as an error reply (as Redis does).
      ctx.out.error(argv[2]);
      Ok(())
    }
    3 if is(sub, "LOG") => {
      // A warning, as Redis logs it.
      ctx.server.telemetry.warn(format!("DEBUG LOG: {}", String::from_utf8_lossy(argv[2])));
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "SET-ACTIVE-EXPIRE") => {
      ctx.server.keyspace.active_expire_enabled = leading_int(argv[2]) != 0;
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "SET-SKIP-CHECKSUM-VALIDATION") => {
      ctx.server.skip_checksum_validation = leading_int(argv[2]) != 0;
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "SET-DISABLE-DENY-SCRIPTS") => {
      ctx.server.scripting.allow_noscript_commands = leading_int(argv[2]) != 0;
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "PAUSE-CRON") => {
      ctx.server.cron_paused = leading_int(argv[2]) != 0;
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "OBJECT") => object(ctx, argv[2]),
    3 if is(sub, "AOF-FLUSH-SLEEP") => {
      ctx.server.aof.flush_sleep_us = leading_int(argv[2]).max(0) as u64;
      ctx.out.ok();
      Ok(())
    }
    3 if is(sub, "LISTPACK") => listpack(ctx, argv[2]),
    2 if is(sub, "CONFIG-REWRITE-FORCE-ALL") => super::config::rewrite_all(ctx),
    2 if is(sub, "CHANGE-REPL-ID") => {
      ctx.server.telemetry.replid = super::random_hex(&mut ctx.server.rng, 40);
      ctx.server.telemetry.log_lines.push("Changing replication IDs after receiving DEBUG change-repl-id".into());
      ctx.out.ok();
      Ok(())
    }
    2 if is(sub, "STRINGMATCH-TEST") => {
      stringmatch_test(&mut ctx.server.rng);
      ctx.out.simple(b"Apparently Redis did not crash: test passed");
      Ok(())
    }
    3 if is(sub, "QUICKLIST-PACKED-THRESHOLD") => {
      // Redis refuses 4 GB and the last megabyte below it.
      match parse_memory(argv[2]) {
        Some(size) if size <= (1 << 32) - (1 << 20) => {
          ctx.out.ok();
          Ok(())
        }
        _ => Err(Error::err("argument must be a memory value bigger than 1 and smaller than 4gb")),
      }
    }
    4 if is(sub, "REPLYBUFFER") => replybuffer(ctx, argv),
    // Unlike Redis, not while a dataset loads: the file would be saved (or the AOF rewritten)
    // from the half-read dataset.
    _ if (is(sub, "RELOAD") || is(sub, "LOADAOF")) && ctx.server.is_loading() => {
      Err(Error::coded(crate::cmd::LOADING_ERROR))
    }
    _ if is(sub, "RELOAD") => reload(ctx, argv),
    // The engine reloads the AOF once this command is out of the way (it runs commands).
    _ if is(sub, "LOADAOF") => {
      ctx.hand_over("debug|loadaof", Vec::new());
      Ok(())
    }
    2 if is(sub, "DIGEST") => {
      let digest = dataset_digest(ctx.server);
      ctx.out.simple(hex(&digest).as_bytes());
      Ok(())
    }
    _ if is(sub, "DIGEST-VALUE") => {
      ctx.out.array(argv.len() - 2);
      for key in &argv[2..] {
        let mut digest = [0u8; 20];
        let db = ctx.db();
        if let Some(pos) = db.position(key) {
          mix_value(&mut digest, db.entry_at(pos));
        }
        ctx.out.simple(hex(&digest).as_bytes());
      }
      Ok(())
    }
    3 if is(sub, "PROTOCOL") => protocol(ctx, argv[2]),
    3..=5 if is(sub, "POPULATE") => populate(ctx, argv),
    3.. if is(sub, "REPLICATE") => {
      // Straight to the replicas, in the database they have selected, bypassing the AOF: a
      // way to make a replica diverge on purpose.
      let db = ctx.session.db;
      ctx.server.feed_replication_unselected(db, &argv[2..]);
      ctx.out.ok();
      Ok(())
    }
    _ => Err(subcommand_error(argv)),
  }
}

/// C's `atoi`: the integer at the start of `arg` (after spaces and a sign), 0 if none.
fn leading_int(arg: &[u8]) -> i64 {
  let text = String::from_utf8_lossy(arg);
  let text = text.trim_start();
  let sign_len = usize::from(text.starts_with(['+', '-']));
  let digits = text[sign_len..].bytes().take_while(u8::is_ascii_digit).count();
  text[..sign_len + digits].parse::<i64>().unwrap_or(0)
}

/// C's `strtod` without an end check: the longest prefix of `arg` that reads as a number
/// (numbers longer than 64 characters are not looked for).
fn leading_double(arg: &[u8]) -> f64 {
  let text = String::from_utf8_lossy(&arg[..arg.len().min(64)]);
  let text = text.trim_start();
  (1..=text.len())
    .rev()
    .filter(|&end| text.is_char_boundary(end))
    .find_map(|end| text[..end].parse().ok())
    .unwrap_or(0.0)
}

/// DEBUG SLEEP seconds: blocks the server (every client) for that long; fractions allowed.
fn sleep(ctx: &mut Ctx, seconds: &[u8]) -> CmdResult {
  if let Ok(duration) = Duration::try_from_secs_f64(leading_double(seconds)) {
    std::thread::sleep(duration);
  }
  ctx.out.ok();
  Ok(())
}

/// DEBUG LISTPACK key: describes a listpack-encoded value in the server log.
fn listpack(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
  let db = ctx.db();
  let Some(pos) = db.position(key) else {
    return Err(Error::NoSuchKey);
  };
  let value = &db.entry_at(pos).value;
  if value.encoding() != "listpack" {
    return Err(Error::err("Not a listpack encoded object."));
  }
  let line =
    format!("Listpack of '{}': a {} in {} bytes", String::from_utf8_lossy(key), value.type_name(), value.heap_size());
  ctx.server.telemetry.log_lines.push(line);
  ctx.out.simple(b"Listpack structure printed on stdout");
  Ok(())
}

/// DEBUG REPLYBUFFER PEAK-RESET-TIME <never|reset|ms> | RESIZING <0|1>: checked, no effect
/// (see the module comment).
fn replybuffer(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (setting, value) = (argv[2], argv[3]);
  if is(setting, "PEAK-RESET-TIME") {
    if !is(value, "NEVER") && !is(value, "RESET") {
      parse_i64(value).ok_or(Error::err("value is not an integer or out of range"))?;
    }
  } else if !is(setting, "RESIZING") {
    return Err(subcommand_error(argv));
  }
  ctx.out.ok();
  Ok(())
}

/// DEBUG STRINGMATCH-TEST: matches random patterns against random strings, as Redis's fuzz
/// test of its glob matcher does; surviving it is the test.
fn stringmatch_test(rng: &mut crate::rand::Rng) {
  const ALPHABET: &[u8] = b"*?[]\\^-abc\0";
  fn random_text(rng: &mut crate::rand::Rng) -> Vec<u8> {
    let len = rng.below(32) as usize;
    (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize]).collect()
  }
  for _ in 0..100_000 {
    let pattern = random_text(rng);
    let subject = random_text(rng);
    std::hint::black_box(crate::glob::matches(&pattern, &subject));
  }
}

/// DEBUG OBJECT key: a line describing how the value is stored, in Redis's format (the
/// address is the entry's; the serialized length is what an RDB file would take).
fn object(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
  let now = ctx.now_ms;
  let db = ctx.db();
  let Some(pos) = db.position(key) else {
    return Err(Error::NoSuchKey);
  };
  let entry = db.entry_at(pos);
  let value = &entry.value;
  // Redis shares the objects of small integers, which shows as a huge reference count.
  let refcount = match value {
    Value::Int(n) if (0..10_000).contains(n) => i32::MAX,
    _ => 1,
  };
  let line = format!(
    "Value at:{:p} refcount:{refcount} encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
    entry,
    value.encoding(),
    serialized_length(value),
    entry.access & 0xFF_FFFF,
    access::idle_ms(entry.access, now) / 1000
  );
  ctx.out.simple(line.as_bytes());
  Ok(())
}

/// The bytes an RDB file would use for the value (strings as Redis encodes them, without
/// compression; other types approximated by their size in memory).
fn serialized_length(value: &Value) -> usize {
  fn length_prefix(len: usize) -> usize {
    match len {
      0..=63 => 1,
      64..=16383 => 2,
      _ if len as u64 <= u32::MAX as u64 => 5,
      _ => 9,
    }
  }
  fn integer(n: i64) -> Option<usize> {
    match n {
      -128..=127 => Some(2),
      -32768..=32767 => Some(3),
      _ if i32::try_from(n).is_ok() => Some(5),
      _ => None,
    }
  }
  let Some(bytes) = value.as_bytes() else {
    return value.heap_size();
  };
  let as_integer = if bytes.len() <= 11 { parse_i64(&bytes).and_then(integer) } else { None };
  as_integer.unwrap_or(length_prefix(bytes.len()) + bytes.len())
}

/// The double DEBUG PROTOCOL sends (Redis's sample value, not an approximation of π).
#[allow(clippy::approx_constant)]
const SAMPLE_DOUBLE: f64 = 3.141;

/// DEBUG PROTOCOL type: a sample reply of each RESP type, as Redis sends it.
fn protocol(ctx: &mut Ctx, name: &[u8]) -> CmdResult {
  let out = &mut *ctx.out;
  match name {
    n if is(n, "string") => out.bulk(b"Hello World"),
    n if is(n, "integer") => out.int(12345),
    n if is(n, "double") => out.double(SAMPLE_DOUBLE),
    n if is(n, "bignum") => out.big_number(b"1234567999999999999999999999999999999"),
    n if is(n, "null") => out.null(),
    n if is(n, "array") => {
      out.array(3);
      (0..3).for_each(|i| out.int(i));
    }
    n if is(n, "set") => {
      out.set(3);
      (0..3).for_each(|i| out.int(i));
    }
    n if is(n, "map") => {
      out.map(3);
      for i in 0..3 {
        out.int(i);
        out.bool(i == 1);
      }
    }
    n if is(n, "attrib") => {
      if out.resp3 {
        out.attribute(1);
        out.bulk(b"key-popularity");
        out.array(2);
        out.bulk(b"key:123");
        out.int(90);
      }
      // An attribute annotates the reply that follows it.
      out.bulk(b"Some real reply following the attribute");
    }
    n if is(n, "push") => {
      if !out.resp3 {
        return Err(Error::err("RESP2 is not supported by this command"));
      }
      out.push(2);
      out.bulk(b"server-cpu-usage");
      out.int(42);
      // A push is out of band: a normal reply follows for the client waiting on the command.
      out.bulk(b"Some real reply following the push reply");
    }
    n if is(n, "verbatim") => out.verbatim(b"txt", b"This is a verbatim\nstring"),
    n if is(n, "true") => out.bool(true),
    n if is(n, "false") => out.bool(false),
    _ => {
      return Err(Error::err(
        "Wrong protocol type name. Please use one of the following: \
         string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
      ))
    }
  }
  Ok(())
}

/// DEBUG POPULATE count [prefix] [size]: creates string keys `<prefix>:<n>` (prefix `key`) for
/// n in 0..count, valued `value:<n>` (zero-padded or cut to `size` bytes when given), skipping
/// keys that exist.
fn populate(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let positive =
    |arg: &[u8]| parse_i64(arg).filter(|n| *n >= 0).ok_or(Error::err("value is out of range, must be positive"));
  let count = positive(argv[2])?;
  let size = match argv.get(4) {
    Some(arg) => positive(arg)? as usize,
    None => 0,
  };
  // Redis formats the key into a 128-byte C buffer: the prefix ends at a NUL byte, and the
  // key is cut to 127 bytes.
  let prefix: &[u8] = match argv.get(3) {
    Some(arg) => crate::cstr::until_nul(arg),
    None => b"key",
  };
  let now = ctx.now_ms;
  let db = ctx.db();
  for n in 0..count {
    let mut key = prefix.to_vec();
    key.extend_from_slice(format!(":{n}").as_bytes());
    key.truncate(127);
    if db.contains(&key, now) {
      continue;
    }
    let mut value = format!("value:{n}").into_bytes();
    if size > 0 {
      value.resize(size, 0);
    }
    db.insert_new_key(SmallBytes::from_vec(key), Value::string_from_vec(value), now);
  }
  ctx.out.ok();
  Ok(())
}

/// DEBUG HELP
fn help(ctx: &mut Ctx) -> CmdResult {
  help_reply(
    ctx.out,
    "DEBUG",
    &[
      "DIGEST",
      "    Reply with a hex signature of the whole dataset.",
      "DIGEST-VALUE <key> [<key> ...]",
      "    Reply with a hex signature of the value of each key.",
      "ERROR <string>",
      "    Reply with <string> as an error, for testing clients.",
      "LOADAOF",
      "    Flush the AOF to disk, empty the dataset, then load the AOF files again.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "ASSERT",
      "    Crash the server as a failed assertion does, with a crash report.",
      "AOF-FLUSH-SLEEP <microsec>",
      "    Sleep before each write of the AOF buffer to the file (0: no sleep).",
      "CHANGE-REPL-ID",
      "    Give the server a new replication id.",
      "CONFIG-REWRITE-FORCE-ALL",
      "    CONFIG REWRITE, writing every parameter, its default value too.",
      "LISTPACK <key>",
      "    Describe the listpack-encoded value of <key> in the server log.",
      "OBJECT <key>",
      "    Reply with how the value of <key> is stored.",
      "PAUSE-CRON <0|1>",
      "    Stop (1) or resume (0) the periodic work: active expiry, idle timeouts, the",
      "    client-side caching table's limit, statistics sampling.",
      "PANIC",
      "    Crash the server as a panic does, with a crash report.",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys named <prefix>:<n> (prefix 'key'), valued",
      "    value:<n>, padded or cut to <size> bytes when given. Existing keys are kept.",
      "PROTOCOL <type>",
      "    Reply with a sample of a protocol type: string, integer, double, bignum, null,",
      "    array, set, map, attrib, push, verbatim, true or false.",
      "QUICKLIST-PACKED-THRESHOLD <size>",
      "    Accepted for compatibility (no effect): list nodes have no packed threshold.",
      "REPLYBUFFER PEAK-RESET-TIME <never|reset|<ms>> | RESIZING <0|1>",
      "    Accepted for compatibility (no effect): reply buffers are not resized.",
      "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
      "    Save the RDB file (unless NOSAVE), empty the dataset (unless NOFLUSH), then load the",
      "    file (MERGE: its keys replace keys already there).",
      "REPLICATE <command> [<arg> ...]",
      "    Send a command straight to the replicas (not to the AOF): they may diverge.",
      "SEGFAULT",
      "    Crash the server with SIGSEGV, after a crash report.",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Turn the background expiry of keys off (0) or on (1).",
      "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
      "    Skip (1) or do (0) the checksum check of RESTORE payloads and loaded files.",
      "SET-DISABLE-DENY-SCRIPTS <0|1>",
      "    Let scripts call commands they may not call (1), for tests, or not (0).",
      "SLEEP <seconds>",
      "    Block the server for <seconds>; fractions are allowed.",
      "STRINGMATCH-TEST",
      "    Run random patterns through the glob matcher.",
    ],
  );
  Ok(())
}

/// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB file (unless NOSAVE), then loads it
/// back, replacing the dataset (NOFLUSH: adding to it; MERGE: its keys replace those already
/// there, which are an error otherwise). A file that cannot be read changes nothing.
fn reload(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut mode = crate::rdb::file::LoadMode::REPLACE_ALL;
  let mut save = true;
  for option in &argv[2..] {
    if is(option, "MERGE") {
      mode.replace_duplicates = true;
    } else if is(option, "NOFLUSH") {
      mode.flush = false;
    } else if is(option, "NOSAVE") {
      save = false;
    } else {
      return Err(Error::err("DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options."));
    }
  }
  if save && persistence::save_rdb(ctx.server, ctx.now_ms).is_err() {
    return Err(Error::coded("ERR"));
  }
  let file = std::fs::read(ctx.server.config.rdb_path()).ok();
  if file.and_then(|data| crate::rdb::file::load_snapshot_with(ctx.server, &data, ctx.now_ms, mode).ok()).is_none() {
    return Err(Error::err("Error trying to load the RDB dump"));
  }
  ctx.server.telemetry.warn("DB reloaded by DEBUG RELOAD".into());
  ctx.out.ok();
  Ok(())
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn c_number_prefixes() {
    assert_eq!(leading_int(b" 12abc"), 12);
    assert_eq!(leading_int(b"abc"), 0);
    assert_eq!(leading_double(b"0.5s"), 0.5);
    assert_eq!(leading_double(b"abc"), 0.0);
    assert_eq!(serialized_length(&Value::string(b"hello")), 6);
    assert_eq!(serialized_length(&Value::string(b"12345")), 3);
    assert_eq!(serialized_length(&Value::string(b"-5")), 2);
  }
}
