//! ACL and its subcommands: SETUSER GETUSER DELUSER LIST USERS WHOAMI CAT LOG GENPASS DRYRUN
//! LOAD SAVE HELP, over the users of `acl`.
//!
//! Changing users reaches connections as Redis does: the connections of a deleted user (and of
//! every user an ACL LOAD replaced) are closed; a subscriber whose user lost a channel it is
//! subscribed to is closed.

use super::help_reply;
use crate::acl::selector::{has_spaces, Selector, CATEGORIES};
use crate::acl::{Acl, UserId, DEFAULT_USER};
use crate::cmd::table::{self, CommandSpec, Implementation};
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::resp::Reply;
use crate::server::Server;

/// The most bits ACL GENPASS makes.
const GENPASS_MAX_BITS: i64 = 4096;

/// ACL SETUSER username [rule ...]
pub fn setuser(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let name = argv[2];
  if has_spaces(name) {
    return Err(Error::err("Usernames can't contain spaces or null characters"));
  }
  let all_channels = ctx.server.config.acl_pubsub_all_channels;
  let (id, narrowed) = ctx.server.acl.set_user(name, &argv[3..], all_channels).map_err(Error::err)?;
  if narrowed {
    close_subscribers_denied(ctx, id);
  }
  ctx.out.ok();
  Ok(())
}

/// Closes the subscribed connections of user `id` that its rules no longer allow on one of
/// their channels or patterns.
fn close_subscribers_denied(ctx: &mut Ctx, id: UserId) {
  let acl = &ctx.server.acl;
  let denied = |session: &crate::session::Session| {
    let subscriptions = &session.subscriptions;
    session.user == id
      && (subscriptions.patterns.iter().any(|pattern| !acl.user_allows_channel(id, pattern, true))
        || subscriptions.channels.iter().any(|channel| !acl.user_allows_channel(id, channel, false))
        || subscriptions.shard_channels.iter().any(|channel| !acl.user_allows_channel(id, channel, false)))
  };
  let victims: Vec<u32> = ctx.server.clients.sessions().filter(|(_, s)| denied(s)).map(|(slot, _)| slot).collect();
  let close_self = denied(ctx.session);
  ctx.server.clients.kills.extend(victims);
  if close_self {
    ctx.session.close_after_reply = true;
  }
}

/// Closes the connections authenticated as one of `users`; they fall back to the default
/// user, unauthenticated, until they are gone (Redis's `ACLFreeUserAndKillClients`).
fn close_connections_of(ctx: &mut Ctx, users: &[UserId]) {
  let victims: Vec<u32> =
    ctx.server.clients.sessions().filter(|(_, s)| users.contains(&s.user)).map(|(slot, _)| slot).collect();
  for &slot in &victims {
    if let Some(session) = ctx.server.clients.session_mut(slot) {
      session.user = DEFAULT_USER;
      session.authenticated = false;
    }
  }
  ctx.server.clients.kills.extend(victims);
  if users.contains(&ctx.session.user) {
    ctx.session.user = DEFAULT_USER;
    ctx.session.authenticated = false;
    ctx.session.close_after_reply = true;
  }
}

/// ACL DELUSER username [username ...]
pub fn deluser(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv[2..].iter().any(|name| *name == b"default") {
    return Err(Error::err("The 'default' user cannot be removed"));
  }
  let mut deleted = Vec::new();
  for name in &argv[2..] {
    if let Some(id) = ctx.server.acl.delete(name) {
      deleted.push(id);
    }
  }
  close_connections_of(ctx, &deleted);
  ctx.out.int(deleted.len() as i64);
  Ok(())
}

/// ACL GETUSER username: the user's flags, passwords, root selector and other selectors.
pub fn getuser(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(id) = ctx.server.acl.find(argv[2]) else {
    ctx.out.null();
    return Ok(());
  };
  let user = ctx.server.acl.user(id);
  let out = &mut *ctx.out;
  out.map(6);
  out.bulk(b"flags");
  let flags = user.flags();
  out.set(flags.len());
  for flag in flags {
    out.bulk(flag.as_bytes());
  }
  out.bulk(b"passwords");
  out.array(user.passwords.len());
  for password in &user.passwords {
    out.bulk(password.as_bytes());
  }
  describe_selector(out, &user.selectors[0]);
  out.bulk(b"selectors");
  out.array(user.selectors.len() - 1);
  for selector in &user.selectors[1..] {
    out.map(3);
    describe_selector(out, selector);
  }
  Ok(())
}

/// A selector's `commands`, `keys` and `channels` fields.
fn describe_selector(out: &mut Reply, selector: &Selector) {
  out.bulk(b"commands");
  out.bulk(selector.describe_commands().as_bytes());
  out.bulk(b"keys");
  out.bulk(selector.describe_keys().as_bytes());
  out.bulk(b"channels");
  out.bulk(selector.describe_channels().as_bytes());
}

/// ACL LIST: every user as rules, in name order.
pub fn list(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let lines: Vec<String> = ctx.server.acl.file_text().lines().map(str::to_string).collect();
  ctx.out.array(lines.len());
  for line in lines {
    ctx.out.bulk(line.as_bytes());
  }
  Ok(())
}

/// ACL USERS: the user names, in order.
pub fn users(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let names: Vec<Vec<u8>> = ctx.server.acl.users().map(|user| user.name.clone()).collect();
  ctx.out.array(names.len());
  for name in names {
    ctx.out.bulk(&name);
  }
  Ok(())
}

/// ACL WHOAMI
pub fn whoami(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let name = ctx.server.acl.user(ctx.session.user).name.clone();
  ctx.out.bulk(&name);
  Ok(())
}

/// ACL CAT [category]: the categories, or the commands in one.
pub fn cat(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  // At most one category, as Redis's ACL checks its subcommands' argument counts itself.
  if argv.len() > 3 {
    return Err(super::subcommand_error(argv));
  }
  let Some(&category) = argv.get(2) else {
    ctx.out.array(CATEGORIES.len());
    for category in CATEGORIES {
      ctx.out.bulk(category.as_bytes());
    }
    return Ok(());
  };
  let lower = String::from_utf8_lossy(category).to_ascii_lowercase();
  if !CATEGORIES.contains(&lower.as_str()) {
    let shown = &category[..category.len().min(128)];
    return Err(Error::err(format!("Unknown category '{}'", String::from_utf8_lossy(shown))));
  }
  let tag = format!("@{lower}");
  let names: Vec<&str> =
    CommandSpec::all().filter(|spec| spec.acl_categories.contains(&tag.as_str())).map(|spec| spec.name).collect();
  ctx.out.array(names.len());
  for name in names {
    ctx.out.bulk(name.as_bytes());
  }
  Ok(())
}

/// ACL GENPASS [bits]: a random password of `bits` bits (256 by default), in hex.
pub fn genpass(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let bits = match argv.get(2) {
    Some(arg) => crate::num::parse_i64(arg).ok_or(Error::NotInteger)?,
    None => 256,
  };
  if bits <= 0 || bits > GENPASS_MAX_BITS {
    return Err(Error::err(format!(
      "ACL GENPASS argument must be the number of bits for the output password, a positive number up to \
       {GENPASS_MAX_BITS}"
    )));
  }
  let chars = ((bits + 3) / 4) as usize;
  let password = random_hex(ctx.server, chars);
  ctx.out.bulk(password.as_bytes());
  Ok(())
}

/// `len` hex digits from the system's random source (or the engine's generator without one).
fn random_hex(server: &mut Server, len: usize) -> String {
  let mut bytes = vec![0u8; len.div_ceil(2)];
  if !system_random(&mut bytes) {
    return super::random_hex(&mut server.rng, len);
  }
  let mut text: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
  text.truncate(len);
  text
}

/// Fills `bytes` from `/dev/urandom`; false when it cannot be read.
#[cfg(unix)]
fn system_random(bytes: &mut [u8]) -> bool {
  use std::io::Read as _;
  std::fs::File::open("/dev/urandom").and_then(|mut source| source.read_exact(bytes)).is_ok()
}

/// Fills `bytes` from the system's generator (on Windows, which has no `/dev/urandom`; the
/// engine's own generator, seeded from the clock, would make passwords guessable).
#[cfg(not(unix))]
fn system_random(bytes: &mut [u8]) -> bool {
  getrandom::fill(bytes).is_ok()
}

/// ACL LOG [count | RESET]: the newest denials (10 by default).
pub fn log(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut count = 10;
  if let Some(&arg) = argv.get(2) {
    if is(arg, "RESET") {
      ctx.server.acl.log.clear();
      ctx.out.ok();
      return Ok(());
    }
    count = crate::num::parse_i64(arg).ok_or(Error::NotInteger)?.max(0) as usize;
  }
  let now = ctx.now_ms;
  let entries = &ctx.server.acl.log;
  let shown = count.min(entries.len());
  let out = &mut *ctx.out;
  out.array(shown);
  for entry in entries.iter().take(shown) {
    out.map(7);
    out.bulk(b"count");
    out.int(entry.count as i64);
    out.bulk(b"reason");
    out.bulk(entry.reason.reason().as_bytes());
    out.bulk(b"context");
    out.bulk(entry.context.name().as_bytes());
    out.bulk(b"object");
    out.bulk(&entry.object);
    out.bulk(b"username");
    out.bulk(&entry.username);
    out.bulk(b"age-seconds");
    out.double((now - entry.time_ms) as f64 / 1000.0);
    out.bulk(b"client-info");
    out.bulk(entry.client_info.as_bytes());
  }
  Ok(())
}

/// ACL DRYRUN username command [arg ...]: whether the user could run the command, without
/// running it (the refusal as a bulk string).
pub fn dryrun(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(id) = ctx.server.acl.find(argv[2]) else {
    return Err(Error::err(format!("User '{}' not found", String::from_utf8_lossy(argv[2]))));
  };
  let line = &argv[3..];
  let base = table::lookup(line[0]);
  let spec = match base {
    Some(base) if line.len() >= 2 && matches!(base.implementation, Implementation::Container) => {
      base.subcommand(line[1])
    }
    other => other,
  };
  let Some(spec) = spec else {
    return Err(Error::err(format!("Command '{}' not found", String::from_utf8_lossy(line[0]))));
  };
  if !spec.arity_ok(line.len()) {
    return Err(Error::err(format!("wrong number of arguments for '{}' command", spec.name)));
  }
  match ctx.server.acl.check(id, spec, line) {
    Ok(()) => ctx.out.ok(),
    Err((denied, pos)) => {
      let object = String::from_utf8_lossy(line.get(pos).copied().unwrap_or_default());
      let text = match denied {
        crate::acl::Denied::Key => format!("This user has no permissions to access the '{object}' key"),
        crate::acl::Denied::Channel => format!("This user has no permissions to access the '{object}' channel"),
        _ => format!("This user has no permissions to run the '{}' command", spec.name),
      };
      ctx.out.bulk(text.as_bytes());
    }
  }
  Ok(())
}

const NO_ACL_FILE: &str = "This Redis instance is not configured to use an ACL file. You may want to specify users \
                           via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis \
                           configuration file set) in order to store users in the Redis configuration.";

/// The configured `aclfile`, if any.
pub(crate) fn acl_file(server: &Server) -> Option<String> {
  server.config.stored.get("aclfile").filter(|path| !path.is_empty()).cloned()
}

/// Where the ACL file at `path` is: a relative path is in `dir`, as for Redis, which works in
/// `dir` from the moment the configuration sets it.
fn acl_file_location(server: &Server, path: &str) -> std::path::PathBuf {
  server.config.data_dir().join(path)
}

/// ACL LOAD: replaces the users with the ACL file's, all or nothing.
pub fn load(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let path = acl_file(ctx.server).ok_or_else(|| Error::err(NO_ACL_FILE))?;
  let replaced = load_acl_file(ctx.server, &path).map_err(Error::err)?;
  close_connections_of(ctx, &replaced);
  ctx.out.ok();
  Ok(())
}

/// Loads the ACL file at `path` into the users; returns the users it replaced.
pub(crate) fn load_acl_file(server: &mut Server, path: &str) -> Result<Vec<UserId>, String> {
  let text = std::fs::read_to_string(acl_file_location(server, path))
    .map_err(|error| format!("Error loading ACLs, opening file '{path}': {}", crate::error::errno_text(&error)))?;
  let all_channels = server.config.acl_pubsub_all_channels;
  server.acl.load_file(&text, path, all_channels)
}

/// ACL SAVE: writes the users to the ACL file (a temporary file renamed into place).
pub fn save(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let path = acl_file(ctx.server).ok_or_else(|| Error::err(NO_ACL_FILE))?;
  if let Err(error) = write_acl_file(&ctx.server.acl, &acl_file_location(ctx.server, &path)) {
    ctx.server.telemetry.warn(format!("Writing ACL file for ACL SAVE: {}", crate::error::errno_text(&error)));
    return Err(Error::err(
      "There was an error trying to save the ACLs. Please check the server logs for more information",
    ));
  }
  ctx.out.ok();
  Ok(())
}

fn write_acl_file(acl: &Acl, path: &std::path::Path) -> std::io::Result<()> {
  let temporary = format!("{}.tmp-{}-{}", path.display(), std::process::id(), crate::server::now_ms());
  let written = std::fs::write(&temporary, acl.file_text()).and_then(|()| std::fs::rename(&temporary, path));
  if written.is_err() {
    let _ = std::fs::remove_file(&temporary);
  }
  written
}

/// ACL HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "ACL",
    &[
      "CAT [<category>]",
      "    List all commands that belong to <category>, or all command categories",
      "    when no category is specified.",
      "DELUSER <username> [<username> ...]",
      "    Delete a list of users.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Returns whether the user can execute the given command without executing the command.",
      "GETUSER <username>",
      "    Get the user's details.",
      "GENPASS [<bits>]",
      "    Generate a secure 256-bit user password. The optional `bits` argument can",
      "    be used to specify a different size.",
      "LIST",
      "    Show users details in config file format.",
      "LOAD",
      "    Reload users from the ACL file.",
      "LOG [<count> | RESET]",
      "    Show the ACL log entries.",
      "SAVE",
      "    Save the current config to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create or modify a user with the specified attributes.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
    ],
  );
  Ok(())
}
