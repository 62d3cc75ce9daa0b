//! COMMAND and its subcommands: COUNT, INFO, DOCS, LIST, GETKEYS, GETKEYSANDFLAGS, HELP.
//!
//! Everything comes from the command table (`table.rs`, generated from the JSON specs), so
//! COMMAND INFO describes exactly the commands redwing runs, with Redis 7.0's reply layout:
//! per command [name, arity, flags, first key, last key, step, ACL categories, tips, key
//! specs, subcommands], where flags and categories are sets of simple strings, tips a set of
//! bulk strings, key specs a set of maps, and subcommands an array (an empty set when there are
//! none). COMMAND DOCS gives our own summaries but no argument trees.
//!
//! GETKEYS finds keys with the key specs, as Redis's `getKeysUsingKeySpecs` does. Commands
//! whose key specs cannot locate keys ("unknown", e.g. SORT's STORE) or stop at an incomplete
//! one (MIGRATE's KEYS form) get their keys from per-command code, as in Redis.

use super::help_reply;
use crate::cmd::args::Args;
use crate::cmd::table::{self, BeginSearch, CommandSpec, FindKeys, KeySpec, COMMANDS};
use crate::cmd::{is, table::flags, Ctx};
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::num::parse_i64;
use crate::resp::Reply;

/// A command or subcommand by its full name (`get`, `config|get`), case-insensitively.
pub fn find_by_full_name(name: &[u8]) -> Option<&'static CommandSpec> {
  match name.iter().position(|&c| c == b'|') {
    None => table::lookup(name),
    Some(at) => table::lookup(&name[..at])?.subcommand(&name[at + 1..]),
  }
}

/// COMMAND: the description of every command.
pub fn command(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(COMMANDS.len());
  for spec in COMMANDS {
    write_info(ctx.out, spec);
  }
  Ok(())
}

/// COMMAND COUNT: how many (top-level) commands there are.
pub fn count(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.int(COMMANDS.len() as i64);
  Ok(())
}

/// COMMAND INFO [command-name ...]: the description of each named command (null for unknown
/// names), or of every command when none is named.
pub fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() == 2 {
    return command(ctx, argv);
  }
  ctx.out.array(argv.len() - 2);
  for name in &argv[2..] {
    match find_by_full_name(name) {
      Some(spec) => write_info(ctx.out, spec),
      None => ctx.out.null(),
    }
  }
  Ok(())
}

/// One command's COMMAND INFO entry.
fn write_info(out: &mut Reply, spec: &CommandSpec) {
  let (first, last, step) = spec.legacy_keys;
  out.array(10);
  out.bulk(spec.name.as_bytes());
  out.int(spec.arity as i64);
  simple_set(out, spec.flag_names);
  out.int(first as i64);
  out.int(last as i64);
  out.int(step as i64);
  simple_set(out, spec.acl_categories);
  out.set(spec.tips.len());
  for tip in spec.tips {
    out.bulk(tip.as_bytes());
  }
  out.set(spec.key_specs.len());
  for key_spec in spec.key_specs {
    write_key_spec(out, key_spec);
  }
  // Like Redis: an empty set when there are no subcommands, else an array.
  if spec.subcommands.is_empty() {
    out.set(0);
  } else {
    out.array(spec.subcommands.len());
  }
  for sub in spec.subcommands {
    write_info(out, sub);
  }
}

fn simple_set(out: &mut Reply, names: &[&str]) {
  out.set(names.len());
  for name in names {
    out.simple(name.as_bytes());
  }
}

fn write_key_spec(out: &mut Reply, spec: &KeySpec) {
  out.map(3 + usize::from(spec.notes.is_some()));
  if let Some(notes) = spec.notes {
    out.bulk(b"notes");
    out.bulk(notes.as_bytes());
  }
  out.bulk(b"flags");
  simple_set(out, spec.flags);
  out.bulk(b"begin_search");
  out.map(2);
  out.bulk(b"type");
  match spec.begin_search {
    BeginSearch::Index(index) => {
      out.bulk(b"index");
      out.bulk(b"spec");
      out.map(1);
      out.bulk(b"index");
      out.int(index as i64);
    }
    BeginSearch::Keyword { keyword, startfrom } => {
      out.bulk(b"keyword");
      out.bulk(b"spec");
      out.map(2);
      out.bulk(b"keyword");
      out.bulk(keyword.as_bytes());
      out.bulk(b"startfrom");
      out.int(startfrom as i64);
    }
    BeginSearch::Unknown => {
      out.bulk(b"unknown");
      out.bulk(b"spec");
      out.map(0);
    }
  }
  out.bulk(b"find_keys");
  out.map(2);
  out.bulk(b"type");
  match spec.find_keys {
    FindKeys::Range { lastkey, keystep, limit } => {
      out.bulk(b"range");
      out.bulk(b"spec");
      out.map(3);
      for (name, value) in [("lastkey", lastkey), ("keystep", keystep), ("limit", limit)] {
        out.bulk(name.as_bytes());
        out.int(value as i64);
      }
    }
    FindKeys::Keynum { keynumidx, firstkey, keystep } => {
      out.bulk(b"keynum");
      out.bulk(b"spec");
      out.map(3);
      for (name, value) in [("keynumidx", keynumidx), ("firstkey", firstkey), ("keystep", keystep)] {
        out.bulk(name.as_bytes());
        out.int(value as i64);
      }
    }
    FindKeys::Unknown => {
      out.bulk(b"unknown");
      out.bulk(b"spec");
      out.map(0);
    }
  }
}

/// COMMAND DOCS [command-name ...]: a map from each named command (every command when none
/// is named; unknown names are skipped) to its summary, version, group, complexity (when it has
/// one) and, for container commands, its subcommands' documentation.
pub fn docs(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let specs: Vec<&CommandSpec> = if argv.len() == 2 {
    COMMANDS.iter().collect()
  } else {
    argv[2..].iter().filter_map(|name| find_by_full_name(name)).collect()
  };
  ctx.out.map(specs.len());
  for spec in specs {
    ctx.out.bulk(spec.name.as_bytes());
    write_docs(ctx.out, spec);
  }
  Ok(())
}

fn write_docs(out: &mut Reply, spec: &CommandSpec) {
  let docs = &spec.docs;
  // A command without a stated complexity (MONITOR, LOLWUT) has no `complexity` field.
  let fields =
    [("summary", docs.summary), ("since", docs.since), ("group", docs.group), ("complexity", docs.complexity)];
  let shown = if docs.complexity.is_empty() { &fields[..3] } else { &fields[..] };
  out.map(shown.len() + usize::from(!spec.subcommands.is_empty()));
  for &(name, value) in shown {
    out.bulk(name.as_bytes());
    out.bulk(value.as_bytes());
  }
  if !spec.subcommands.is_empty() {
    out.bulk(b"subcommands");
    out.map(spec.subcommands.len());
    for sub in spec.subcommands {
      out.bulk(sub.name.as_bytes());
      write_docs(out, sub);
    }
  }
}

/// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]: the names
/// of all commands and subcommands, or of those in an ACL category (`read`, not `@read`), or
/// matching a glob pattern. There are no modules, so a module filter lists nothing.
pub fn list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  enum Filter<'a> {
    None,
    Module,
    Category(&'a [u8]),
    Pattern(&'a [u8]),
  }
  let mut args = Args::new(argv, 2);
  // The only option is FILTERBY, with its two operands and nothing after them.
  let filter = match (args.next(), args.rest()) {
    (None, _) => Filter::None,
    (Some(option), &[kind, operand]) if is(option, "FILTERBY") => match kind {
      kind if is(kind, "MODULE") => Filter::Module,
      kind if is(kind, "ACLCAT") => Filter::Category(operand),
      kind if is(kind, "PATTERN") => Filter::Pattern(operand),
      _ => return Err(Error::Syntax),
    },
    _ => return Err(Error::Syntax),
  };
  let names: Vec<&str> = CommandSpec::all()
    .filter(|spec| match filter {
      Filter::None => true,
      Filter::Module => false,
      Filter::Category(category) => spec
        .acl_categories
        .iter()
        .any(|c| c.strip_prefix('@').is_some_and(|c| category.eq_ignore_ascii_case(c.as_bytes()))),
      Filter::Pattern(pattern) => glob::matches_nocase(pattern, spec.name.as_bytes()),
    })
    .map(|spec| spec.name)
    .collect();
  ctx.out.array(names.len());
  for name in names {
    ctx.out.bulk(name.as_bytes());
  }
  Ok(())
}

/// COMMAND GETKEYS command [arg ...]: the key names in a full command line.
pub fn getkeys(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let keys = keys_of(&argv[2..])?;
  ctx.out.array(keys.len());
  for (position, _) in keys {
    ctx.out.bulk(argv[2 + position]);
  }
  Ok(())
}

/// COMMAND GETKEYSANDFLAGS command [arg ...]: the key names in a full command line, each with
/// the flags of the key spec that found it.
pub fn getkeysandflags(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let line = &argv[2..];
  let keys = keys_of(line)?;
  ctx.out.array(keys.len());
  for (position, key_spec) in keys {
    ctx.out.array(2);
    ctx.out.bulk(line[position]);
    let flags = match key_spec.flags.contains(&"variable_flags") {
      true => flags_for_line(line).unwrap_or(key_spec.flags),
      false => key_spec.flags,
    };
    simple_set(ctx.out, flags);
  }
  Ok(())
}

/// The key flags of a command line whose key spec says they vary with the arguments, as
/// Redis's `setGetKeys` and `bitfieldGetKeys` work them out: SET overwrites its key unless
/// GET reads it first; BITFIELD only reads it unless a SET or INCRBY (or anything it cannot
/// parse) may write.
fn flags_for_line(line: &[&[u8]]) -> Option<&'static [&'static str]> {
  const READ: &[&str] = &["RO", "access"];
  const READ_WRITE: &[&str] = &["RW", "access", "update"];
  const OVERWRITE: &[&str] = &["OW", "update"];
  let name = line[0];
  if is(name, "SET") {
    let reads = line.iter().skip(3).any(|arg| is(arg, "GET"));
    return Some(if reads { READ_WRITE } else { OVERWRITE });
  }
  if is(name, "BITFIELD") {
    let mut args = Args::new(line, 2);
    while let Some(op) = args.next() {
      let left = args.remaining();
      if is(op, "GET") && left >= 2 {
        args.next_n(2);
      } else if is(op, "OVERFLOW") && left >= 1 {
        args.next();
      } else {
        return Some(READ_WRITE);
      }
    }
    return Some(READ);
  }
  None
}

/// The keys of the command line `line` (its name first), as positions in `line` with the key
/// spec that found each, with Redis's checks and errors.
fn keys_of(line: &[&[u8]]) -> Result<Vec<(usize, &'static KeySpec)>, Error> {
  let base = table::lookup(line[0]);
  let spec = match base {
    Some(base) if line.len() >= 2 && !base.subcommands.is_empty() => base.subcommand(line[1]),
    other => other,
  };
  let Some(spec) = spec else {
    return Err(Error::err("Invalid command specified"));
  };
  if !spec.key_specs.iter().any(|ks| !ks.flags.contains(&"not_key")) {
    return Err(Error::err("The command has no key arguments"));
  }
  if !spec.arity_ok(line.len()) {
    return Err(Error::err("Invalid number of arguments specified for command"));
  }
  match key_positions(spec, line).or_else(|| keys_by_command(spec, line)) {
    Some(keys) => Ok(keys),
    None if spec.has(flags::NO_MANDATORY_KEYS) => Ok(Vec::new()),
    None => Err(Error::err("Invalid arguments specified for command")),
  }
}

/// The keys of a command already resolved to `spec` and checked for arity, as positions in
/// `argv` with the key flags of each (ACL checks read and write permissions from them).
pub(crate) fn command_keys_with_flags(spec: &CommandSpec, argv: &[&[u8]]) -> Vec<(usize, &'static [&'static str])> {
  let keys = key_positions(spec, argv).or_else(|| keys_by_command(spec, argv)).unwrap_or_default();
  keys.into_iter().map(|(pos, key_spec)| (pos, key_flags(key_spec, argv))).collect()
}

/// The key of a command whose only key spec is one fixed argument (GET, SET, INCR, LPUSH…),
/// with its flags: what [`command_keys_with_flags`] finds for it, without walking the specs or
/// allocating (ACL checks run on every command). `None` for any other command.
pub(crate) fn single_key_with_flags(spec: &CommandSpec, argv: &[&[u8]]) -> Option<(usize, &'static [&'static str])> {
  let [key_spec] = spec.key_specs else { return None };
  let (BeginSearch::Index(index), FindKeys::Range { lastkey: 0, .. }) = (&key_spec.begin_search, &key_spec.find_keys)
  else {
    return None;
  };
  let pos = *index as usize;
  if pos >= argv.len() || key_spec.flags.contains(&"not_key") {
    return None;
  }
  Some((pos, key_flags(key_spec, argv)))
}

/// The flags of a key found by `key_spec`: its own, or for a spec with variable flags the ones
/// this command line gives its keys.
fn key_flags(key_spec: &KeySpec, argv: &[&[u8]]) -> &'static [&'static str] {
  match key_spec.flags.contains(&"variable_flags") {
    true => flags_for_line(argv).unwrap_or(key_spec.flags),
    false => key_spec.flags,
  }
}

/// Positions in `argv` of the keys of a command already resolved to `spec` and checked for
/// arity, found as COMMAND GETKEYS finds them (client-side caching remembers these keys).
pub(crate) fn command_key_positions(spec: &CommandSpec, argv: &[&[u8]]) -> Vec<usize> {
  let keys = key_positions(spec, argv).or_else(|| keys_by_command(spec, argv)).unwrap_or_default();
  keys.into_iter().map(|(pos, _)| pos).collect()
}

/// Redis's `migrateGetKeys`: the options before KEYS are skipped with their arguments.
fn migrate_keys(spec: &CommandSpec, line: &[&[u8]]) -> Option<Vec<(usize, &'static KeySpec)>> {
  let (single, listed) = (spec.key_specs.first()?, spec.key_specs.last()?);
  let mut at = 6;
  while at < line.len() {
    if is(line[at], "keys") {
      if !line[3].is_empty() {
        return None;
      }
      return Some((at + 1..line.len()).map(|pos| (pos, listed)).collect());
    }
    // AUTH takes a password, AUTH2 a user name and a password.
    at += if is(line[at], "auth") {
      2
    } else if is(line[at], "auth2") {
      3
    } else {
      1
    };
  }
  Some(vec![(3, single)])
}

/// Redis's `getkeys_proc` fallback, for the commands whose key specs are "unknown" or
/// incomplete: the key positions with the key spec each one corresponds to.
fn keys_by_command(spec: &CommandSpec, line: &[&[u8]]) -> Option<Vec<(usize, &'static KeySpec)>> {
  match spec.name {
    "migrate" => migrate_keys(spec, line),
    "sort" | "sort_ro" => {
      let keys = crate::cmd::sort::command_keys(line, spec.name == "sort_ro");
      // SORT's specs: the sorted key (read) first, the STORE destination (written) last.
      let read = spec.key_specs.first()?;
      let written = spec.key_specs.last()?;
      Some(keys.into_iter().map(|(pos, is_written)| (pos, if is_written { written } else { read })).collect())
    }
    _ => None,
  }
}

/// Redis's `getKeysUsingKeySpecs`: walks the key specs (skipping `not_key` ones) and returns the
/// key positions, or `None` when the arguments do not fit a spec or a spec that found keys is
/// incomplete (then [`keys_by_command`] finds them, as Redis falls back to `getkeys_proc`).
fn key_positions(spec: &CommandSpec, line: &[&[u8]]) -> Option<Vec<(usize, &'static KeySpec)>> {
  let argc = line.len() as i64;
  let mut keys = Vec::new();
  for key_spec in spec.key_specs {
    if key_spec.flags.contains(&"not_key") {
      continue;
    }
    let begin = match key_spec.begin_search {
      BeginSearch::Index(index) => index as i64,
      BeginSearch::Keyword { keyword, startfrom } => match find_keyword(line, keyword, startfrom as i64) {
        Some(at) => at + 1,
        None => continue,
      },
      BeginSearch::Unknown => return None,
    };
    let (first, last, step) = match key_spec.find_keys {
      FindKeys::Range { lastkey, keystep, limit } => {
        let (lastkey, limit) = (lastkey as i64, limit as i64);
        let last = if lastkey >= 0 {
          begin + lastkey
        } else if limit == 0 {
          argc + lastkey
        } else {
          begin + ((argc - begin) / limit + lastkey)
        };
        (begin, last, keystep as i64)
      }
      FindKeys::Keynum { keynumidx, firstkey, keystep } => {
        if keynumidx as i64 >= argc - begin {
          return None;
        }
        let count = parse_i64(line[(begin + keynumidx as i64) as usize]).filter(|n| *n >= 0)?;
        let first = begin + firstkey as i64;
        (first, first + count - 1, keystep as i64)
      }
      FindKeys::Unknown => return None,
    };
    if last >= argc || last < first || first >= argc {
      return None;
    }
    let mut at = first;
    while at <= last {
      keys.push((at as usize, key_spec));
      at += step.max(1);
    }
    if key_spec.flags.contains(&"incomplete") {
      return None;
    }
  }
  Some(keys)
}

/// Where `keyword` is among the arguments, searching from `startfrom` (from the end when
/// negative) and never at the last argument of a forward search or at the command name.
fn find_keyword(line: &[&[u8]], keyword: &str, startfrom: i64) -> Option<i64> {
  let argc = line.len() as i64;
  let (start, end) = if startfrom > 0 { (startfrom, argc - 1) } else { (argc + startfrom, 0) };
  let forward = start <= end;
  let mut at = start;
  while at != end {
    if at < 0 || at >= argc {
      return None;
    }
    if line[at as usize].eq_ignore_ascii_case(keyword.as_bytes()) {
      return Some(at);
    }
    at += if forward { 1 } else { -1 };
  }
  None
}

/// COMMAND HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "COMMAND",
    &[
      "(no subcommand)",
      "    Reply with the description of every command.",
      "COUNT",
      "    Reply with the number of commands.",
      "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
      "    Reply with the names of the commands, optionally filtered.",
      "INFO [<command-name> ...]",
      "    Reply with the description of the given commands (of all commands when none",
      "    is given).",
      "DOCS [<command-name> ...]",
      "    Reply with the documentation of the given commands (of all commands when",
      "    none is given).",
      "GETKEYS <full-command>",
      "    Reply with the key names in a full command line.",
      "GETKEYSANDFLAGS <full-command>",
      "    Reply with the key names in a full command line and how each is accessed.",
    ],
  );
  Ok(())
}
