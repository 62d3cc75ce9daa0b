//! CONFIG GET/SET/RESETSTAT/REWRITE/HELP, and the configuration registry behind them.
//!
//! The registry ([`PARAMS`], in `config/params.rs`) lists every parameter redwing knows, with
//! its name, alias, mutability, value syntax ([`Kind`]) and default. One table serves the
//! command line (`redwing-server --hz 20`), config files (`hz 20`) and `CONFIG SET hz 20`: all
//! go through [`Param::set`], so they accept and refuse the same values with the same messages,
//! which are Redis's.
//!
//! Parameters some engine code reads have accessors to a typed `Config` field; the others are
//! accepted for compatibility and kept as their canonical text in `Config::stored`, so CONFIG
//! GET shows what was set. Features redwing does not have yet (persistence, replication,
//! cluster mode, daemonizing) are accepted only with the value that turns them off.
//!
//! Like Redis 7, an alias (`slave-read-only`) behaves as a parameter of its own that shares its
//! value with the canonical one: CONFIG GET lists both, and setting both in one CONFIG SET is
//! not a duplicate.

mod params;
mod rewrite;

pub(crate) use params::format_percentile;
pub use params::PARAMS;

use crate::cmd::args::Args;
use crate::cmd::server::{help_reply, is_local};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use crate::glob;
use crate::num::parse_i64;
use crate::server::Server;
use crate::session::Caller;

/// When a parameter may change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
  Mutable,
  /// Only at start-up (command line, config file).
  Immutable,
  /// At start-up, or at run time when `enable-protected-configs` allows it.
  Protected,
}

/// What the host does after a CONFIG SET changed a parameter at run time, because the engine
/// cannot: the listening sockets and the TLS configuration are the host's (see [`set`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HostApply {
  /// Reopens every listener on the new addresses (`bind`).
  Bind,
  /// Reopens the plain TCP listeners on the new port (`port`).
  Port,
  /// Loads the TLS configuration if none is loaded yet, then reopens the TLS listeners on the
  /// new port (`tls-port`).
  TlsPort,
  /// Reloads the TLS configuration (certificates, keys, protocols…), when TLS is in use.
  TlsContext,
  /// Reopens the memcached listeners on the new port (`memcached-port`).
  MemcachedPort,
}

impl HostApply {
  /// The name the host knows the action by.
  pub fn name(self) -> &'static str {
    match self {
      HostApply::Bind => "bind",
      HostApply::Port => "port",
      HostApply::TlsPort => "tls-port",
      HostApply::TlsContext => "tls-context",
      HostApply::MemcachedPort => "memcached-port",
    }
  }
}

/// The syntax of a parameter's value.
pub enum Kind {
  /// `yes` or `no`.
  Bool,
  /// A decimal integer within bounds.
  Int { min: i64, max: i64 },
  /// A byte count with an optional unit (`100mb`, `1gb`, `10k`), within bounds.
  Memory { min: u64, max: u64 },
  /// A byte count, or a percentage (`50%`, at most `max_percent`).
  MemoryOrPercent { max_percent: i64 },
  /// An octal number within bounds (file permissions).
  Octal { max: i64 },
  /// One of a list of names, case-insensitively.
  Choice(&'static [&'static str]),
  /// Any text.
  Text,
  /// Checked and normalised by a function (values with their own syntax).
  Custom(fn(&[u8]) -> Result<String, String>),
}

pub type Getter = fn(&Server, &Param) -> String;
pub type Setter = fn(&mut Server, &Param, &[u8]) -> Result<(), String>;

/// A configuration parameter.
pub struct Param {
  pub name: &'static str,
  /// The old name it also answers to (`slave-read-only` for `replica-read-only`).
  pub alias: Option<&'static str>,
  pub access: Access,
  /// The value is several words (`save 900 1`): the command line and config files pass them
  /// as separate arguments, which are joined with spaces.
  pub multi_word: bool,
  /// The value is a secret: the slow log shows `(redacted)` instead.
  pub sensitive: bool,
  /// A debugging parameter: CONFIG GET shows it only when asked by its exact name, as Redis's
  /// hidden configs.
  pub hidden: bool,
  /// CONFIG SET refuses it while a dataset loads (Redis's `DENY_LOADING_CONFIG`).
  pub denied_while_loading: bool,
  /// What the host must do when the value changes at run time.
  pub host_apply: Option<HostApply>,
  /// The value names something outside whose content may change (a certificate file): setting
  /// it again to the same value still makes the host apply it (reload the file).
  pub volatile: bool,
  pub kind: Kind,
  /// The value CONFIG GET shows on a fresh server.
  pub default: &'static str,
  /// The current value, as CONFIG GET shows it.
  pub get: Getter,
  /// Parses and applies a value; the error is the reason shown after the parameter name.
  pub set: Setter,
}

impl Param {
  /// A mutable parameter kept as text in `Config::stored`.
  pub const fn new(name: &'static str, kind: Kind, default: &'static str) -> Param {
    Param {
      name,
      alias: None,
      access: Access::Mutable,
      multi_word: false,
      sensitive: false,
      hidden: false,
      denied_while_loading: false,
      host_apply: None,
      volatile: false,
      kind,
      default,
      get: stored_get,
      set: stored_set,
    }
  }

  pub const fn boolean(name: &'static str, default: &'static str) -> Param {
    Param::new(name, Kind::Bool, default)
  }

  pub const fn int(name: &'static str, min: i64, max: i64, default: &'static str) -> Param {
    Param::new(name, Kind::Int { min, max }, default)
  }

  pub const fn memory(name: &'static str, min: u64, max: u64, default: &'static str) -> Param {
    Param::new(name, Kind::Memory { min, max }, default)
  }

  pub const fn choice(name: &'static str, names: &'static [&'static str], default: &'static str) -> Param {
    Param::new(name, Kind::Choice(names), default)
  }

  pub const fn text(name: &'static str, default: &'static str) -> Param {
    Param::new(name, Kind::Text, default)
  }

  pub const fn custom(name: &'static str, parse: fn(&[u8]) -> Result<String, String>, default: &'static str) -> Param {
    Param::new(name, Kind::Custom(parse), default)
  }

  pub const fn alias(self, alias: &'static str) -> Param {
    Param { alias: Some(alias), ..self }
  }

  pub const fn immutable(self) -> Param {
    Param { access: Access::Immutable, ..self }
  }

  pub const fn protected(self) -> Param {
    Param { access: Access::Protected, ..self }
  }

  pub const fn applied_by_host(self, apply: HostApply) -> Param {
    Param { host_apply: Some(apply), ..self }
  }

  pub const fn volatile(self) -> Param {
    Param { volatile: true, ..self }
  }

  pub const fn multi_word(self) -> Param {
    Param { multi_word: true, ..self }
  }

  pub const fn sensitive(self) -> Param {
    Param { sensitive: true, ..self }
  }

  pub const fn hidden(self) -> Param {
    Param { hidden: true, ..self }
  }

  pub const fn denied_while_loading(self) -> Param {
    Param { denied_while_loading: true, ..self }
  }

  /// Keeps the value in a typed `Config` field instead of `Config::stored`.
  pub const fn field(self, (get, set): (Getter, Setter)) -> Param {
    Param { get, set, ..self }
  }

  /// Parses a `yes`/`no` value.
  pub fn parse_bool(&self, value: &[u8]) -> Result<bool, String> {
    if value.eq_ignore_ascii_case(b"yes") {
      Ok(true)
    } else if value.eq_ignore_ascii_case(b"no") {
      Ok(false)
    } else {
      Err("argument must be 'yes' or 'no'".into())
    }
  }

  /// Parses an integer within the parameter's bounds.
  pub fn parse_int(&self, value: &[u8]) -> Result<i64, String> {
    let (min, max) = match self.kind {
      Kind::Int { min, max } => (min, max),
      _ => (i64::MIN, i64::MAX),
    };
    let n = parse_i64(value).ok_or("argument couldn't be parsed into an integer")?;
    if n < min || n > max {
      return Err(format!("argument must be between {min} and {max} inclusive"));
    }
    Ok(n)
  }

  /// Parses a byte count (`1gb`, `100mb`, `4096`) within the parameter's bounds.
  pub fn parse_memory(&self, value: &[u8]) -> Result<u64, String> {
    let (min, max) = match self.kind {
      Kind::Memory { min, max } => (min, max),
      _ => (0, u64::MAX),
    };
    let n = parse_memory(value).ok_or("argument must be a memory value")?;
    if n < min || n > max {
      return Err(format!("argument must be between {min} and {max} inclusive"));
    }
    Ok(n)
  }

  /// Parses a byte count or a percentage (`maxmemory-clients`): bytes, or minus the percentage,
  /// as Redis keeps it.
  pub fn parse_memory_or_percent(&self, value: &[u8]) -> Result<i64, String> {
    let max_percent = match self.kind {
      Kind::MemoryOrPercent { max_percent } => max_percent,
      _ => 0,
    };
    let stored: i64 = match parse_memory(value) {
      Some(bytes) => bytes as i64,
      None => match value.strip_suffix(b"%").filter(|n| !n.is_empty()).and_then(parse_i64) {
        Some(percent) if percent >= 0 => -percent,
        _ => return Err("argument must be a memory or percent value".into()),
      },
    };
    if stored < -max_percent {
      return Err(format!("percentage argument must be less or equal to {max_percent}"));
    }
    Ok(stored)
  }

  /// Parses one of the parameter's names; returns its position in the list.
  pub fn parse_choice(&self, value: &[u8]) -> Result<usize, String> {
    let names: &[&str] = match self.kind {
      Kind::Choice(names) => names,
      _ => &[],
    };
    names
      .iter()
      .position(|name| value.eq_ignore_ascii_case(name.as_bytes()))
      .ok_or_else(|| format!("argument(s) must be one of the following: {}", names.join(", ")))
  }

  /// Checks a value against the parameter's kind and returns it as CONFIG GET shows it.
  pub fn canonical(&self, value: &[u8]) -> Result<String, String> {
    Ok(match self.kind {
      Kind::Bool => yes_no(self.parse_bool(value)?).to_string(),
      Kind::Int { .. } => self.parse_int(value)?.to_string(),
      Kind::Memory { .. } => self.parse_memory(value)?.to_string(),
      Kind::MemoryOrPercent { .. } => show_memory_or_percent(self.parse_memory_or_percent(value)?),
      Kind::Octal { max } => {
        let text = std::str::from_utf8(value).unwrap_or("");
        let n = i64::from_str_radix(text, 8).map_err(|_| "argument couldn't be parsed into an integer")?;
        if !(0..=max).contains(&n) {
          return Err(format!("argument must be between 0 and {max:o} inclusive"));
        }
        format!("{n:o}")
      }
      Kind::Choice(names) => names[self.parse_choice(value)?].to_string(),
      Kind::Text => String::from_utf8_lossy(value).into_owned(),
      Kind::Custom(parse) => parse(value)?,
    })
  }

  /// The names this parameter answers to: its own, then its alias.
  fn names(&'static self) -> impl Iterator<Item = &'static str> {
    std::iter::once(self.name).chain(self.alias)
  }
}

/// `yes` or `no`, as Redis shows booleans.
pub fn yes_no(value: bool) -> &'static str {
  if value {
    "yes"
  } else {
    "no"
  }
}

/// Reads the canonical text of a parameter without a typed field.
fn stored_get(server: &Server, param: &Param) -> String {
  server.config.stored.get(param.name).cloned().unwrap_or_else(|| param.default.to_string())
}

/// Validates and keeps the canonical text of a parameter without a typed field.
fn stored_set(server: &mut Server, param: &Param, value: &[u8]) -> Result<(), String> {
  let text = param.canonical(value)?;
  server.config.stored.insert(param.name, text);
  Ok(())
}

/// Redis's `memtoull`: digits then an optional unit (`b`, `k`, `kb`, `m`, `mb`, `g`, `gb`,
/// case-insensitive). Like `strtoull`, no digits reads as 0 and too many digits saturate.
pub fn parse_memory(value: &[u8]) -> Option<u64> {
  if value.first() == Some(&b'-') {
    return None;
  }
  let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
  let unit = &value[digits..];
  if unit.len() > 2 {
    return None;
  }
  let multiplier: u64 = match unit.to_ascii_lowercase().as_slice() {
    b"" | b"b" => 1,
    b"k" => 1000,
    b"kb" => 1024,
    b"m" => 1000 * 1000,
    b"mb" => 1024 * 1024,
    b"g" => 1000 * 1000 * 1000,
    b"gb" => 1024 * 1024 * 1024,
    _ => return None,
  };
  if digits >= 128 {
    return None;
  }
  let number = value[..digits].iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add((d - b'0') as u64));
  number.checked_mul(multiplier)
}

/// A value [`Param::parse_memory_or_percent`] returned, as CONFIG GET shows it.
pub fn show_memory_or_percent(stored: i64) -> String {
  if stored < 0 {
    format!("{}%", -stored)
  } else {
    stored.to_string()
  }
}

/// Finds a parameter by name or alias, case-insensitively.
pub fn find(name: &[u8]) -> Option<&'static Param> {
  lookup(name).map(|(_, param)| param)
}

/// Finds a parameter by name or alias; returns the name it matched (the alias is a parameter
/// of its own for error messages and duplicate checks).
fn lookup(name: &[u8]) -> Option<(&'static str, &'static Param)> {
  PARAMS.iter().find_map(|param| param.names().find(|n| name.eq_ignore_ascii_case(n.as_bytes())).map(|n| (n, param)))
}

/// Applies one start-up directive (`name value…`) from the command line or a config file.
/// Immutable and protected parameters are accepted here. The error is the reason to report
/// to the user.
pub fn load_directive(server: &mut Server, args: &[&[u8]]) -> Result<(), String> {
  let Some(name) = args.first() else {
    return Err("Bad directive or wrong number of arguments".into());
  };
  // `rename-command old new`: the command answers to `new` only (to nothing when it is "").
  if name.eq_ignore_ascii_case(b"rename-command") {
    let [_, old, new] = args else {
      return Err("Bad directive or wrong number of arguments".into());
    };
    return server.renames.get_or_insert_with(Default::default).rename(old, new);
  }
  // `user <name> [rule ...]`: an ACL user, created once start-up is done.
  if name.eq_ignore_ascii_case(b"user") && args.len() >= 2 {
    return server.acl.add_configured_user(&args[1..]);
  }
  let Some(param) = find(name) else {
    // Redis accepts these for old config files and ignores them.
    const DEPRECATED: [&str; 3] = ["list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands"];
    if args.len() >= 2 && DEPRECATED.iter().any(|d| name.eq_ignore_ascii_case(d.as_bytes())) {
      return Ok(());
    }
    return Err("Bad directive or wrong number of arguments".into());
  };
  if param.multi_word {
    let value = args[1..].join(&b' ');
    if param.name == "save" {
      return load_save_directive(server, param, &value);
    }
    return (param.set)(server, param, &value);
  }
  if args.len() != 2 {
    return Err("wrong number of arguments".into());
  }
  (param.set)(server, param, args[1])
}

/// A `save` directive at start-up (Redis's `setConfigSaveOption` while reading the
/// configuration): the first replaces the default rules, the next ones add theirs, and
/// `save ""` removes every rule loaded so far.
fn load_save_directive(server: &mut Server, param: &Param, value: &[u8]) -> Result<(), String> {
  let before = std::mem::take(&mut server.config.save_rules);
  if let Err(error) = (param.set)(server, param, value) {
    server.config.save_rules = before;
    return Err(error);
  }
  if server.config.save_directive_loaded && !value.is_empty() {
    server.config.save_rules.splice(0..0, before);
  }
  server.config.save_directive_loaded = true;
  Ok(())
}

/// The end of start-up configuration: creates the users of `user` directives and loads the
/// `aclfile` (Redis's `ACLLoadUsersAtStartup`). The error is the reason not to start.
pub fn finish(server: &mut Server) -> Result<(), String> {
  let acl_file = super::acl::acl_file(server);
  if acl_file.is_some() && server.acl.has_configured_users() {
    return Err(
      "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. \
       This setup is very likely to lead to configuration errors and security holes, please define either an ACL \
       file or declare users directly in your redis.conf, but not both."
        .into(),
    );
  }
  let all_channels = server.config.acl_pubsub_all_channels;
  let notes = server.acl.load_configured_users(all_channels)?;
  server.telemetry.log_lines.extend(notes);
  if let Some(path) = acl_file {
    super::acl::load_acl_file(server, &path)
      .map_err(|errors| format!("Aborting Redis startup because of ACL errors: {errors}"))?;
  }
  Ok(())
}

/// The current value of a parameter, as CONFIG GET shows it.
pub fn value_of(server: &Server, name: &[u8]) -> Option<String> {
  find(name).map(|p| (p.get)(server, p))
}

/// CONFIG GET parameter [parameter ...]
///
/// Each argument is a name (or alias) or a glob pattern. The reply maps every matching name
/// to its value, each once: an exact name appears as it was typed, a pattern lists the
/// names it matches. Unknown names are skipped.
pub fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut matches: Vec<(Vec<u8>, &'static Param)> = Vec::new();
  let seen = |matches: &Vec<(Vec<u8>, &Param)>, name: &[u8]| matches.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
  for &pattern in &argv[2..] {
    if !pattern.iter().any(|c| matches!(c, b'[' | b'*' | b'?')) {
      if let Some((_, param)) = lookup(pattern).filter(|_| !seen(&matches, pattern)) {
        matches.push((pattern.to_vec(), param));
      }
      continue;
    }
    for param in PARAMS.iter().filter(|param| !param.hidden) {
      for name in param.names() {
        if !seen(&matches, name.as_bytes()) && glob::matches_nocase(pattern, name.as_bytes()) {
          matches.push((name.as_bytes().to_vec(), param));
        }
      }
    }
  }
  ctx.out.map(matches.len());
  for (name, param) in matches {
    ctx.out.bulk(&name);
    ctx.out.bulk((param.get)(ctx.server, param).as_bytes());
  }
  Ok(())
}

/// CONFIG SET parameter value [parameter value ...]
///
/// All or nothing, like Redis 7: every name is checked first (unknown, immutable, protected,
/// refused while loading, given twice), then the values are applied in order; if one is
/// refused, the ones already applied get their old values back.
///
/// When a parameter the host applies ([`HostApply`]: `port`, `bind`, `tls-port`, the TLS
/// files and settings) changed for a network client, or a volatile one was set at all, the
/// command is finished by the host: it gets `config|set` with the number of actions, each
/// action's name and the parameter to blame if it fails (in the order the parameters came,
/// each action once), then every parameter's name and old value. If an action fails, the host
/// puts the old values back with [`restore`], applies them again, and replies Redis's error
/// ("Unable to listen on this port", "Failed to bind to specified addresses.", "Unable to
/// update TLS configuration"). Elsewhere (the embedded store, a transaction) the values are
/// only recorded: an embedded store applies them at its next `listen()`.
pub fn set(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() % 2 == 1 {
    return Err(Error::Syntax);
  }
  let failed = |name: &[u8], reason: &str| {
    Error::err(format!(
      "CONFIG SET failed (possibly related to argument '{}') - {reason}",
      String::from_utf8_lossy(name)
    ))
  };
  let protected_allowed = protected_configs_allowed(ctx);
  let mut changes: Vec<(&'static str, &'static Param, &[u8])> = Vec::new();
  let mut refusal: Option<Error> = None;
  for (name, value) in Args::new(argv, 2).pairs() {
    let Some((matched, param)) = lookup(name) else {
      refusal.get_or_insert_with(|| {
        Error::err(format!(
          "Unknown option or number of arguments for CONFIG SET - '{}'",
          String::from_utf8_lossy(name)
        ))
      });
      continue;
    };
    if refusal.is_some() {
      continue;
    }
    if param.access == Access::Immutable {
      refusal = Some(failed(name, "can't set immutable config"));
    } else if param.access == Access::Protected && !protected_allowed {
      refusal = Some(failed(name, "can't set protected config"));
    } else if param.denied_while_loading && ctx.server.is_loading() {
      refusal = Some(Error::coded(crate::cmd::LOADING_ERROR));
    } else if changes.iter().any(|(m, _, _)| *m == matched) {
      refusal = Some(failed(name, "duplicate parameter"));
    }
    changes.push((matched, param, value));
  }
  if let Some(error) = refusal {
    return Err(error);
  }

  let backups: Vec<String> = changes.iter().map(|(_, param, _)| (param.get)(ctx.server, param)).collect();
  for (i, (matched, param, value)) in changes.iter().enumerate() {
    if let Err(reason) = (param.set)(ctx.server, param, value) {
      for ((_, param, _), old) in changes.iter().zip(&backups).take(i + 1) {
        // The old values were accepted before, so restoring them cannot fail.
        let _ = (param.set)(ctx.server, param, old.as_bytes());
      }
      return Err(failed(matched.as_bytes(), &reason));
    }
  }
  let mut applies: Vec<(HostApply, &'static str)> = Vec::new();
  for ((_, param, _), old) in changes.iter().zip(&backups) {
    let Some(apply) = param.host_apply else { continue };
    let changed = param.volatile || (param.get)(ctx.server, param) != *old;
    if changed && !applies.iter().any(|(listed, _)| *listed == apply) {
      applies.push((apply, param.name));
    }
  }
  if !applies.is_empty() && ctx.session.caller() == Caller::Network {
    let mut args = vec![applies.len().to_string().into_bytes()];
    for (apply, blame) in applies {
      args.push(apply.name().as_bytes().to_vec());
      args.push(blame.as_bytes().to_vec());
    }
    for ((matched, _, _), old) in changes.iter().zip(&backups) {
      args.push(matched.as_bytes().to_vec());
      args.push(old.clone().into_bytes());
    }
    ctx.hand_over("config|set", args);
    // Until the host resumes this session, other clients' CONFIG SETs wait (see `dispatch`).
    ctx.server.blocking.config_applying = Some(ctx.slot);
    return Ok(());
  }
  ctx.out.ok();
  Ok(())
}

/// Puts a parameter back to `value`, one it had before (the host undoing a CONFIG SET whose
/// listeners it could not move). Unknown names are ignored.
pub fn restore(server: &mut Server, name: &[u8], value: &[u8]) {
  if let Some((_, param)) = lookup(name) {
    // The value was the parameter's own a moment ago: it cannot be refused.
    let _ = (param.set)(server, param, value);
  }
}

/// Whether this client may change protected parameters (`dir`, `dbfilename`) at run time.
fn protected_configs_allowed(ctx: &Ctx) -> bool {
  match value_of(ctx.server, b"enable-protected-configs").as_deref() {
    Some("yes") => true,
    Some("local") => is_local(ctx.session),
    _ => false,
  }
}

/// CONFIG RESETSTAT: zeroes INFO's statistics (commandstats, errorstats, latency histograms,
/// the stats counters, the counts of saves, AOF rewrites, evicted clients and replica
/// synchronisations), as Redis's `resetServerStats` does.
pub fn resetstat(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let server = &mut *ctx.server;
  server.telemetry.stats.reset();
  for db in &mut server.keyspace.dbs {
    db.expired_keys = 0;
  }
  server.telemetry.reset_stats();
  server.eviction.reset_stats();
  server.lazyfree.reset_stats();
  server.aof.reset_stats();
  server.keyspace.bgsave.saves = 0;
  server.client_eviction.evicted_clients = 0;
  let repl = &mut server.repl;
  (repl.syncs_full, repl.syncs_partial_ok, repl.syncs_partial_err) = (0, 0, 0);
  ctx.out.ok();
  Ok(())
}

/// CONFIG REWRITE: writes the running configuration into the config file the server was
/// started with, keeping its comments and layout.
pub fn rewrite(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let path = ctx.server.host.config_file.clone();
  if path.is_empty() {
    return Err(Error::err("The server is running without a config file"));
  }
  match rewrite::rewrite_file(ctx.server, &path, false) {
    Ok(()) => {
      ctx.server.telemetry.log_lines.push("CONFIG REWRITE executed with success.".into());
      ctx.out.ok();
      Ok(())
    }
    Err(error) => {
      let reason = super::os_error_text(&error);
      ctx.server.telemetry.log_lines.push(format!("CONFIG REWRITE failed: {reason}"));
      Err(Error::err(format!("Rewriting config file: {reason}")))
    }
  }
}

/// DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE with every parameter written, its default
/// value too.
pub fn rewrite_all(ctx: &mut Ctx) -> CmdResult {
  let path = ctx.server.host.config_file.clone();
  let written = if path.is_empty() {
    Err("The server is running without a config file".to_string())
  } else {
    rewrite::rewrite_file(ctx.server, &path, true).map_err(|error| super::os_error_text(&error))
  };
  written.map_err(|reason| Error::err(format!("CONFIG-REWRITE-FORCE-ALL failed: {reason}")))?;
  ctx.out.ok();
  Ok(())
}

/// CONFIG HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "CONFIG",
    &[
      "GET <pattern> [<pattern> ...]",
      "    Reply with the parameters whose names match the glob-style patterns, and their",
      "    values.",
      "SET <parameter> <value> [<parameter> <value> ...]",
      "    Change parameters at run time; either all of them change or none does.",
      "RESETSTAT",
      "    Zero the statistics INFO reports.",
      "REWRITE",
      "    Write the running configuration to the config file.",
    ],
  );
  Ok(())
}
