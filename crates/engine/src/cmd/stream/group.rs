//! XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP: managing a stream's
//! consumer groups and their consumers.
//!
//! Redis runs all the subcommands through one function, and its checks come in one order for
//! all of them, which [`prelude`] reproduces: first the options after the ID (MKSTREAM for
//! CREATE, ENTRIESREAD for CREATE and SETID; anything else is the subcommand error, a bad
//! ENTRIESREAD value its own error), then the key (WRONGTYPE; a missing key is an error unless
//! MKSTREAM), then the group for SETID, CREATECONSUMER and DELCONSUMER (NOGROUP). Only then is
//! the argument count checked against what the subcommand accepts (CREATE up to three options,
//! SETID none or one ENTRIESREAD), and the ID read.
//!
//! Reports, as Redis 7.0: each change counts one and fires its event (`xgroup-create`,
//! `xgroup-setid`, `xgroup-destroy`, `xgroup-createconsumer`, `xgroup-delconsumer`); only the
//! stream that MKSTREAM creates is marked modified. DESTROY makes the key ready so that the
//! clients blocked in XREADGROUP on the group find it gone.

use super::{as_stream, invalid_id, parse_id, strict_id};
use crate::bytes::SmallBytes;
use crate::cmd::args::Args;
use crate::cmd::server::subcommand_error;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::types::stream::id::{IdSyntax, ParsedId};
use crate::types::stream::{Consumer, Group, Stream, StreamId};
use crate::value::Value;

/// Redis's NOGROUP error, with the names as its `%s` formatting shows them (cut at a NUL byte,
/// line breaks turned into spaces).
pub(crate) fn no_group(key: &[u8], group: &[u8]) -> Error {
  Error::coded(format!("NOGROUP No such consumer group '{}' for key name '{}'", error_text(group), error_text(key)))
}

/// An argument as Redis's formatted errors show it.
pub(super) fn error_text(arg: &[u8]) -> String {
  let arg = arg.split(|&byte| byte == 0).next().unwrap_or_default();
  String::from_utf8_lossy(arg).replace(['\r', '\n'], " ")
}

/// What the options after the ID asked for.
struct Options {
  mkstream: bool,
  entries_read: Option<i64>,
}

/// What the checks found: the options, the key's stream (there is one unless MKSTREAM was
/// given) and the reply.
type Found<'c> = (Options, Option<&'c mut Stream>, &'c mut Reply);

/// The checks every subcommand but HELP goes through, in Redis's order (see the module
/// comment). The group exists afterwards when `group_needed`.
fn prelude<'c>(ctx: &'c mut Ctx, argv: &[&[u8]], group_needed: bool) -> Result<Found<'c>, Error> {
  let create = is(argv[1], "create");
  let setid = is(argv[1], "setid");
  let mut options = Options { mkstream: false, entries_read: None };
  let mut args = Args::new(argv, 5);
  while !args.is_empty() {
    if create && args.keyword("MKSTREAM") {
      options.mkstream = true;
    } else if (create || setid) && args.remaining() >= 2 && args.keyword("ENTRIESREAD") {
      let read = args.int()?;
      if read < -1 {
        return Err(Error::err("value for ENTRIESREAD must be positive or -1"));
      }
      options.entries_read = (read >= 0).then_some(read);
    } else {
      return Err(subcommand_error(argv));
    }
  }
  let (key, group) = (argv[2], argv[3]);
  let (entry, out) = ctx.lookup_write(key);
  let stream = as_stream(entry)?;
  if !options.mkstream {
    let Some(stream) = &stream else {
      return Err(Error::err(
        "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
      ));
    };
    if group_needed && !stream.groups.contains_key(group) {
      return Err(no_group(key, group));
    }
  }
  Ok((options, stream, out))
}

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
pub fn xgroup_create(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name) = (argv[2], argv[3]);
  let now = ctx.now_ms;
  let (options, stream, _) = prelude(ctx, argv, false)?;
  if argv.len() > 8 {
    return Err(subcommand_error(argv));
  }
  let last_id = match argv[4] {
    b"$" => stream.as_ref().map_or(StreamId::MIN, |stream| stream.last_id),
    id => strict_id(id)?,
  };
  let group = Group::new(last_id, options.entries_read);
  match stream {
    Some(stream) if stream.groups.contains_key(name) => {
      return Err(Error::coded("BUSYGROUP Consumer Group name already exists"));
    }
    Some(stream) => {
      stream.groups.insert(name.into(), group);
    }
    None => {
      let mut stream = Box::new(Stream::new());
      stream.groups.insert(name.into(), group);
      ctx.db().insert_new_key(SmallBytes::new(key), Value::Stream(stream), now);
      ctx.modified(key);
    }
  }
  ctx.out.ok();
  ctx.dirty(1);
  ctx.notify(notify::STREAM, "xgroup-create", key);
  Ok(())
}

/// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]: without ENTRIESREAD the group's read
/// counter becomes unknown.
pub fn xgroup_setid(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name) = (argv[2], argv[3]);
  let (options, stream, out) = prelude(ctx, argv, true)?;
  if argv.len() != 5 && argv.len() != 7 {
    return Err(subcommand_error(argv));
  }
  let Some(stream) = stream else { return Err(Error::NoSuchKey) };
  let last_id = match argv[4] {
    b"$" => stream.last_id,
    id => match parse_id(id, IdSyntax { missing_seq: 0, strict: false, auto_seq: false })? {
      ParsedId::Id(id) => id,
      ParsedId::AutoSeq(_) => return Err(invalid_id()),
    },
  };
  if let Some(group) = stream.groups.get_mut(name) {
    group.last_id = last_id;
    group.entries_read = options.entries_read;
  }
  out.ok();
  ctx.dirty(1);
  ctx.notify(notify::STREAM, "xgroup-setid", key);
  Ok(())
}

/// XGROUP DESTROY key group: 1 when the group existed, else 0.
pub fn xgroup_destroy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name) = (argv[2], argv[3]);
  let (_, stream, out) = prelude(ctx, argv, false)?;
  if stream.and_then(|stream| stream.groups.remove(name)).is_none() {
    out.int(0);
    return Ok(());
  }
  out.int(1);
  ctx.dirty(1);
  ctx.notify(notify::STREAM, "xgroup-destroy", key);
  ctx.key_ready(key);
  Ok(())
}

/// XGROUP CREATECONSUMER key group consumer: 1 when the consumer is new, else 0.
pub fn xgroup_createconsumer(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name, consumer) = (argv[2], argv[3], argv[4]);
  let now = ctx.now_ms;
  let (_, stream, out) = prelude(ctx, argv, true)?;
  let created = match stream.and_then(|stream| stream.groups.get_mut(name)) {
    Some(group) if !group.consumers.contains_key(consumer) => {
      group.consumers.insert(consumer.into(), Consumer::new(now));
      true
    }
    _ => false,
  };
  out.int(created as i64);
  if created {
    ctx.dirty(1);
    ctx.notify(notify::STREAM, "xgroup-createconsumer", key);
  }
  Ok(())
}

/// XGROUP DELCONSUMER key group consumer: deletes the consumer and the entries pending for it;
/// replies with how many there were (0 for an unknown consumer).
pub fn xgroup_delconsumer(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, name, consumer) = (argv[2], argv[3], argv[4]);
  let (_, stream, out) = prelude(ctx, argv, true)?;
  let removed = stream.and_then(|stream| stream.groups.get_mut(name)).and_then(|group| {
    let removed = group.consumers.remove(consumer)?;
    for id in &removed.pending {
      group.pel.remove(id);
    }
    Some(removed.pending.len())
  });
  out.int(removed.unwrap_or(0) as i64);
  if removed.is_some() {
    ctx.dirty(1);
    ctx.notify(notify::STREAM, "xgroup-delconsumer", key);
  }
  Ok(())
}

/// XGROUP HELP: the usage lines, identical to Redis's.
pub fn xgroup_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  const LINES: &[&str] = &[
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
  ];
  ctx.out.array(LINES.len());
  for line in LINES {
    ctx.out.simple(line.as_bytes());
  }
  Ok(())
}
