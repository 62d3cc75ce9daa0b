//! FCALL, FCALL_RO and FUNCTION: calling the functions of loaded libraries, and managing the
//! libraries (see `crate::script::functions`).

use super::eval::{check_flags, split_keys};
use super::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::script::functions::RestorePolicy;
use crate::script::run::{self, Target};

/// FCALL function numkeys [key ...] [arg ...]
pub fn fcall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  call(ctx, argv, false)
}

/// FCALL_RO function numkeys [key ...] [arg ...]
pub fn fcall_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  call(ctx, argv, true)
}

fn call(ctx: &mut Ctx, argv: &[&[u8]], read_only: bool) -> CmdResult {
  super::connection::monitor::feed_command(ctx, argv);
  let Some(&callable) = ctx.server.scripting.functions.by_name.get(&argv[1].to_ascii_lowercase()) else {
    return Err(Error::err("Function not found"));
  };
  if crate::num::parse_i64(argv[2]).is_none() {
    return Err(Error::err("Bad number of keys provided"));
  }
  let (keys, args) = split_keys(argv)?;
  check_flags(ctx, callable.flags, read_only)?;
  let read_only = read_only || callable.flags.no_writes;
  let allow_oom = callable.flags.allow_oom;
  let target = Target { function: callable.function, name: argv[1].to_vec(), eval: false, read_only, allow_oom };
  run::run(ctx, target, argv, keys, args);
  Ok(())
}

/// FUNCTION LOAD [REPLACE] code
pub fn function_load(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut replace = false;
  let mut at = 2;
  while at < argv.len() - 1 {
    if is(argv[at], "replace") {
      replace = true;
      at += 1;
      continue;
    }
    return Err(Error::err(format!("Unknown option given: {}", String::from_utf8_lossy(argv[at]))));
  }
  if at >= argv.len() {
    return Err(Error::err("Function code is missing"));
  }
  let name = ctx.server.scripting.functions.load(argv[at], replace).map_err(Error::err)?;
  ctx.server.keyspace.dirty += 1;
  ctx.out.bulk(&name);
  Ok(())
}

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
pub fn function_list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut with_code = false;
  let mut pattern = None;
  let mut at = 2;
  while at < argv.len() {
    if !with_code && is(argv[at], "withcode") {
      with_code = true;
    } else if pattern.is_none() && is(argv[at], "libraryname") {
      if at >= argv.len() - 1 {
        return Err(Error::err("library name argument was not given"));
      }
      at += 1;
      pattern = Some(argv[at]);
    } else {
      return Err(Error::err(format!("Unknown argument {}", String::from_utf8_lossy(argv[at]))));
    }
    at += 1;
  }
  let functions = &ctx.server.scripting.functions;
  let libraries: Vec<_> = functions
    .libraries
    .iter()
    .filter(|library| pattern.is_none_or(|pattern| crate::glob::matches_nocase(pattern, &library.name)))
    .collect();
  let out = &mut *ctx.out;
  out.array(libraries.len());
  for library in libraries {
    out.map(if with_code { 4 } else { 3 });
    out.bulk(b"library_name");
    out.bulk(&library.name);
    out.bulk(b"engine");
    out.bulk(b"LUA");
    out.bulk(b"functions");
    out.array(library.functions.len());
    for function in &library.functions {
      out.map(3);
      out.bulk(b"name");
      out.bulk(&function.name);
      out.bulk(b"description");
      match &function.description {
        Some(description) => out.bulk(description),
        None => out.null(),
      }
      out.bulk(b"flags");
      let names = function.flags.names();
      out.set(names.len());
      for name in names {
        out.simple(name.as_bytes());
      }
    }
    if with_code {
      out.bulk(b"library_code");
      out.bulk(&library.code);
    }
  }
  Ok(())
}

/// FUNCTION DELETE library
pub fn function_delete(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if !ctx.server.scripting.functions.delete(argv[2]) {
    return Err(Error::err("Library not found"));
  }
  ctx.server.keyspace.dirty += 1;
  ctx.out.ok();
  Ok(())
}

/// FUNCTION FLUSH [ASYNC|SYNC]
pub fn function_flush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 3 {
    return Err(super::server::subcommand_error(argv));
  }
  if !super::eval::flush_mode_valid(argv) {
    return Err(Error::err("FUNCTION FLUSH only supports SYNC|ASYNC option"));
  }
  ctx.server.scripting.functions.flush();
  ctx.server.keyspace.dirty += 1;
  ctx.out.ok();
  Ok(())
}

/// FUNCTION DUMP
pub fn function_dump(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let compress = ctx.server.config.stored.get("rdbcompression").is_none_or(|value| value == "yes");
  let payload = ctx.server.scripting.functions.dump(compress);
  ctx.out.bulk(&payload);
  Ok(())
}

/// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
pub fn function_restore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 4 {
    return Err(super::server::subcommand_error(argv));
  }
  let policy = match argv.get(3) {
    None => RestorePolicy::Append,
    Some(policy) if is(policy, "append") => RestorePolicy::Append,
    Some(policy) if is(policy, "replace") => RestorePolicy::Replace,
    Some(policy) if is(policy, "flush") => RestorePolicy::Flush,
    Some(_) => {
      return Err(Error::err("Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."));
    }
  };
  if crate::rdb::encoding::verify_dump_payload(argv[2], !ctx.server.skip_checksum_validation).is_none() {
    return Err(Error::err("DUMP payload version or checksum are wrong"));
  }
  ctx.server.scripting.functions.restore(argv[2], policy).map_err(Error::err)?;
  ctx.server.keyspace.dirty += 1;
  ctx.out.ok();
  Ok(())
}

/// FUNCTION KILL: stops the busy function, unless it wrote (see `script::busy`).
pub fn function_kill(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  crate::script::busy::kill(ctx, false)
}

/// FUNCTION STATS: the busy function, if one runs (an error while an EVAL script is busy), and
/// the engine's library and function counts.
pub fn function_stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let busy = ctx.server.scripting.busy.as_ref();
  if busy.is_some_and(|busy| busy.eval) {
    return Err(crate::script::busy::busy_error(true));
  }
  let functions = &ctx.server.scripting.functions;
  let (libraries, count) = (functions.libraries.len(), functions.function_count());
  let out = &mut *ctx.out;
  out.map(2);
  out.bulk(b"running_script");
  match busy {
    None => out.null(),
    Some(busy) => {
      out.map(3);
      out.bulk(b"name");
      out.bulk(&busy.name);
      out.bulk(b"command");
      out.array(busy.command.len());
      for arg in &busy.command {
        out.bulk(arg);
      }
      out.bulk(b"duration_ms");
      out.int(busy.started.elapsed().as_millis() as i64);
    }
  }
  out.bulk(b"engines");
  out.map(1);
  out.bulk(b"LUA");
  out.map(2);
  out.bulk(b"libraries_count");
  out.int(libraries as i64);
  out.bulk(b"functions_count");
  out.int(count as i64);
  Ok(())
}

/// FUNCTION HELP
pub fn function_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  super::server::help_reply(
    ctx.out,
    "FUNCTION",
    &[
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
      "      libraries with the new libraries (notice that even on this option there is a chance of failure",
      "      in case of functions name collision with another library).",
    ],
  );
  Ok(())
}
