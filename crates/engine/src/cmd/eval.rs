//! EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: Lua scripts run by source or by digest, and
//! the script cache (see `crate::script`).

use super::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::script::run::{self, Target};
use crate::script::ScriptFlags;

const NO_SCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";

/// EVAL script numkeys [key ...] [arg ...]
pub fn eval(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run_eval(ctx, argv, false, false)
}

/// EVALSHA sha1 numkeys [key ...] [arg ...]
pub fn evalsha(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run_eval(ctx, argv, true, false)
}

/// EVAL_RO script numkeys [key ...] [arg ...]: the script may not write.
pub fn eval_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run_eval(ctx, argv, false, true)
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
pub fn evalsha_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  run_eval(ctx, argv, true, true)
}

fn run_eval(ctx: &mut Ctx, argv: &[&[u8]], by_sha: bool, read_only: bool) -> CmdResult {
  super::connection::monitor::feed_command(ctx, argv);
  if by_sha && argv[1].len() != 40 {
    return Err(Error::coded(NO_SCRIPT));
  }
  let (keys, args) = split_keys(argv)?;
  let sha = if by_sha {
    let mut sha = [0u8; 40];
    for (to, from) in sha.iter_mut().zip(argv[1]) {
      *to = from.to_ascii_lowercase();
    }
    sha
  } else {
    crate::script::sha1_hex(argv[1])
  };
  let scripting = &mut ctx.server.scripting;
  let (function, flags) = match scripting.scripts.get(&sha) {
    Some(script) => (script.function, script.flags),
    None if by_sha => return Err(Error::coded(NO_SCRIPT)),
    // First seen: compiled into the cache (which hashes the source again, once).
    None => {
      scripting.compile(argv[1]).map_err(Error::coded)?;
      let script = &scripting.scripts[&sha];
      (script.function, script.flags)
    }
  };
  check_flags(ctx, flags, read_only)?;
  let read_only = read_only || (!flags.compat && flags.no_writes);
  let allow_oom = !flags.compat && flags.allow_oom;
  run::run(ctx, Target { function, name: sha.to_vec(), eval: true, read_only, allow_oom }, argv, keys, args);
  Ok(())
}

/// A script's keys and its other arguments.
type KeysAndArgs<'b, 'a> = (&'b [&'a [u8]], &'b [&'a [u8]]);

/// Splits EVAL's arguments after the script into keys and other arguments by `numkeys`.
pub(crate) fn split_keys<'a, 'b>(argv: &'b [&'a [u8]]) -> Result<KeysAndArgs<'b, 'a>, Error> {
  let count = int_arg(argv[2])?;
  let rest = &argv[3..];
  if count > rest.len() as i64 {
    return Err(Error::err("Number of keys can't be greater than number of args"));
  }
  if count < 0 {
    return Err(Error::err("Number of keys can't be negative"));
  }
  Ok(rest.split_at(count as usize))
}

/// The checks a script's declared flags impose before it runs (Redis's `scriptPrepareForRun`).
pub(crate) fn check_flags(ctx: &Ctx, flags: ScriptFlags, read_only_command: bool) -> CmdResult {
  if flags.compat {
    return Ok(());
  }
  let server = &ctx.server;
  if server.oom_at_command_start && server.config.maxmemory > 0 && !flags.allow_oom && !flags.no_writes {
    return Err(Error::coded(
      "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
    ));
  }
  // A script that may write is refused where a write would be.
  if !flags.no_writes {
    if server.read_only_replica() {
      return Err(Error::coded("READONLY Can not run script with write flag on readonly replica"));
    }
    if let Some(refusal) = server.disk_may_refuse().then(|| server.disk_error()).flatten() {
      return Err(Error::coded(refusal));
    }
    if read_only_command {
      return Err(Error::err("Can not execute a script with write flag using *_ro command."));
    }
    if !server.enough_good_replicas(ctx.now_ms) {
      return Err(Error::coded(crate::cmd::NOREPLICAS_ERROR));
    }
  }
  Ok(())
}

/// SCRIPT LOAD script
pub fn script_load(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let sha = ctx.server.scripting.compile(argv[2]).map_err(Error::coded)?;
  ctx.out.bulk(&sha);
  Ok(())
}

/// SCRIPT EXISTS sha1 [sha1 ...]
pub fn script_exists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(argv.len() - 2);
  for sha in &argv[2..] {
    // The cache's digests are compared without regard to case.
    let known = <[u8; 40]>::try_from(*sha)
      .is_ok_and(|sha| ctx.server.scripting.scripts.contains_key(&sha.map(|b| b.to_ascii_lowercase())));
    ctx.out.int(known as i64);
  }
  Ok(())
}

/// Whether a FLUSH subcommand's arguments are none, or one of SYNC and ASYNC (both flush at
/// once here).
pub(crate) fn flush_mode_valid(argv: &[&[u8]]) -> bool {
  match argv.len() {
    2 => true,
    3 => is(argv[2], "sync") || is(argv[2], "async"),
    _ => false,
  }
}

/// SCRIPT FLUSH [ASYNC|SYNC]
pub fn script_flush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if !flush_mode_valid(argv) {
    return Err(Error::err("SCRIPT FLUSH only support SYNC|ASYNC option"));
  }
  ctx.server.scripting.flush();
  ctx.out.ok();
  Ok(())
}

/// SCRIPT KILL: stops the busy script, unless it wrote (see `script::busy`).
pub fn script_kill(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  crate::script::busy::kill(ctx, true)
}

/// SCRIPT DEBUG YES|SYNC|NO: there is no debugger; NO is accepted.
pub fn script_debug(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if is(argv[2], "no") {
    ctx.out.ok();
    return Ok(());
  }
  if is(argv[2], "yes") || is(argv[2], "sync") {
    return Err(Error::err("SCRIPT DEBUG is not supported"));
  }
  Err(Error::err("Use SCRIPT DEBUG YES/SYNC/NO"))
}

/// SCRIPT HELP
pub fn script_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  super::server::help_reply(
    ctx.out,
    "SCRIPT",
    &[
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
    ],
  );
  Ok(())
}
