//! The command table: one static `CommandSpec` per command and subcommand.
//!
//! The data is generated at build time from `ts/commands/spec/*.json` (see `build.rs`); this
//! module defines its types and the case-insensitive lookups the dispatcher uses.

use super::Handler;

/// Command flags, as listed by COMMAND INFO. Only some of them change how the dispatcher
/// treats a command; the rest are reported to clients.
pub mod flags {
  pub const WRITE: u32 = 1 << 0;
  pub const READONLY: u32 = 1 << 1;
  pub const DENYOOM: u32 = 1 << 2;
  pub const ADMIN: u32 = 1 << 3;
  pub const PUBSUB: u32 = 1 << 4;
  pub const NOSCRIPT: u32 = 1 << 5;
  pub const BLOCKING: u32 = 1 << 6;
  pub const LOADING: u32 = 1 << 7;
  pub const STALE: u32 = 1 << 8;
  pub const SKIP_MONITOR: u32 = 1 << 9;
  pub const SKIP_SLOWLOG: u32 = 1 << 10;
  pub const ASKING: u32 = 1 << 11;
  pub const FAST: u32 = 1 << 12;
  pub const NO_AUTH: u32 = 1 << 13;
  pub const NO_MANDATORY_KEYS: u32 = 1 << 14;
  pub const NO_ASYNC_LOADING: u32 = 1 << 15;
  pub const NO_MULTI: u32 = 1 << 16;
  pub const MOVABLEKEYS: u32 = 1 << 17;
  pub const ALLOW_BUSY: u32 = 1 << 18;
  /// Not shown by COMMAND INFO: see `may_replicate` in the specs.
  pub const MAY_REPLICATE: u32 = 1 << 19;
  /// Not shown by COMMAND INFO: see `touches_arbitrary_keys` in the specs.
  pub const TOUCHES_ARBITRARY_KEYS: u32 = 1 << 20;
}

/// Who runs a command.
#[derive(Clone, Copy)]
pub enum Implementation {
  /// The engine, through this handler.
  Engine(Handler),
  /// The TypeScript server: the engine stops and hands the command over.
  Ts,
  /// A command that only groups subcommands (CONFIG, CLIENT, OBJECT…).
  Container,
}

pub struct Docs {
  pub summary: &'static str,
  pub since: &'static str,
  pub group: &'static str,
  pub complexity: &'static str,
}

pub enum BeginSearch {
  Index(i32),
  Keyword { keyword: &'static str, startfrom: i32 },
  Unknown,
}

pub enum FindKeys {
  Range { lastkey: i32, keystep: i32, limit: i32 },
  Keynum { keynumidx: i32, firstkey: i32, keystep: i32 },
  Unknown,
}

/// Where a command's keys are among its arguments (Redis 7 key specs).
pub struct KeySpec {
  pub notes: Option<&'static str>,
  pub flags: &'static [&'static str],
  pub begin_search: BeginSearch,
  pub find_keys: FindKeys,
}

pub struct CommandSpec {
  /// Dense index into per-command statistics.
  pub id: usize,
  /// Lower-case name; subcommands are `parent|sub`.
  pub name: &'static str,
  /// Exact argument count including the name, or `-n` for "at least n".
  pub arity: i32,
  pub flags: u32,
  pub flag_names: &'static [&'static str],
  pub acl_categories: &'static [&'static str],
  pub tips: &'static [&'static str],
  /// (first key, last key, step) as COMMAND INFO reports them, derived from the key specs.
  pub legacy_keys: (i32, i32, i32),
  pub key_specs: &'static [KeySpec],
  pub implementation: Implementation,
  /// For a container that also runs without a subcommand (COMMAND): its handler.
  pub handler_without_subcommand: Option<Handler>,
  pub docs: Docs,
  pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
  #[inline]
  pub fn has(&self, flag: u32) -> bool {
    self.flags & flag != 0
  }

  /// Whether `argc` arguments (including the name) satisfy the arity.
  #[inline]
  pub fn arity_ok(&self, argc: usize) -> bool {
    let argc = argc as i64;
    let arity = self.arity as i64;
    if arity >= 0 {
      argc == arity
    } else {
      argc >= -arity
    }
  }

  /// The subcommand named `name`, case-insensitively.
  pub fn subcommand(&self, name: &[u8]) -> Option<&'static CommandSpec> {
    let prefix = self.name.len() + 1;
    self.subcommands.iter().find(|sub| sub.name.as_bytes()[prefix..].eq_ignore_ascii_case(name))
  }

  /// Every spec, subcommands after their parent.
  pub fn all() -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter().flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()))
  }
}

/// Commands renamed or removed by `rename-command` in the configuration: the new names, and
/// the ids of the commands whose own name no longer works.
#[derive(Default)]
pub struct Renames {
  by_new_name: std::collections::HashMap<Vec<u8>, &'static CommandSpec>,
  hidden: Vec<usize>,
}

impl Renames {
  /// `rename-command old new` (`new` empty: the command is removed), as Redis checks it.
  pub fn rename(&mut self, old: &[u8], new: &[u8]) -> Result<(), String> {
    let spec = self.lookup(old).ok_or("No such command in rename-command")?;
    if !new.is_empty() && self.lookup(new).is_some() {
      return Err("Target command name already exists".into());
    }
    self.by_new_name.retain(|_, renamed| renamed.id != spec.id);
    self.hidden.push(spec.id);
    if !new.is_empty() {
      self.by_new_name.insert(new.to_ascii_lowercase(), spec);
    }
    Ok(())
  }

  /// The top-level command called `name` now.
  pub fn lookup(&self, name: &[u8]) -> Option<&'static CommandSpec> {
    if let Some(&spec) = self.by_new_name.get(&name.to_ascii_lowercase()) {
      return Some(spec);
    }
    lookup(name).filter(|spec| !self.hidden.contains(&spec.id))
  }
}

/// Finds a top-level command, case-insensitively, without allocating.
#[inline]
pub fn lookup(name: &[u8]) -> Option<&'static CommandSpec> {
  let mut lower = [0u8; 32];
  let lower = lower.get_mut(..name.len())?;
  for (dst, src) in lower.iter_mut().zip(name) {
    *dst = src.to_ascii_lowercase();
  }
  lookup_lower(lower)
}

include!(concat!(env!("OUT_DIR"), "/commands.rs"));
