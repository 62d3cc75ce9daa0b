//! One set of permissions of an ACL user: the commands it may run, the keys and channels they
//! may touch. A user has a root selector and any number of further ones (`(…)` rules); a
//! command is allowed when one selector allows all of it.
//!
//! Commands are a bit per `CommandSpec::id` (subcommands have bits of their own), plus a flag
//! for commands that do not exist yet (set by `+@all` only), which is what tells `+@all -get`
//! (future commands allowed) from `-@all +get`. A command not allowed may still be allowed for
//! some first arguments (`+select|0`). Key patterns carry read and write permissions (`~`,
//! `%R~`, `%W~`); a key is allowed when a pattern with every permission its key spec needs
//! matches it.
//!
//! [`Selector::describe_commands`] turns the bits back into rules, as Redis does: `+@all` or
//! `-@all`, then the categories that fit best, then single commands for the difference.

use crate::cmd::table::CommandSpec;
use crate::glob;

/// The categories, in Redis's order (ACL CAT lists them so; rule descriptions try them so).
pub const CATEGORIES: [&str; 21] = [
  "keyspace",
  "read",
  "write",
  "set",
  "sortedset",
  "list",
  "hash",
  "string",
  "bitmap",
  "hyperloglog",
  "geo",
  "stream",
  "pubsub",
  "admin",
  "fast",
  "slow",
  "blocking",
  "dangerous",
  "connection",
  "transaction",
  "scripting",
];

/// A key pattern's permissions.
pub const READ: u8 = 1;
pub const WRITE: u8 = 2;

/// Why a rule was refused (Redis's `ACLSetUserStringError` texts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
  UnknownCommand,
  Syntax,
  KeyAfterAllKeys,
  ChannelAfterAllChannels,
  NoSuchPassword,
  BadHash,
  SubcommandFirstArg,
}

impl RuleError {
  pub fn message(self) -> &'static str {
    match self {
      RuleError::UnknownCommand => "Unknown command or category name in ACL",
      RuleError::Syntax => "Syntax error",
      RuleError::KeyAfterAllKeys => {
        "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. \
         Try 'resetkeys' to start with an empty list of patterns"
      }
      RuleError::ChannelAfterAllChannels => {
        "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any \
         effect. Try 'resetchannels' to start with an empty list of channels"
      }
      RuleError::NoSuchPassword => "The password you are trying to remove from the user does not exist",
      RuleError::BadHash => {
        "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters"
      }
      RuleError::SubcommandFirstArg => "Allowing first-arg of a subcommand is not supported",
    }
  }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPattern {
  pub permissions: u8,
  pub pattern: Vec<u8>,
}

impl KeyPattern {
  /// `~pattern`, `%R~pattern` or `%W~pattern`.
  pub fn rule(&self) -> String {
    let prefix = match self.permissions {
      READ => "%R~",
      WRITE => "%W~",
      _ => "~",
    };
    format!("{prefix}{}", String::from_utf8_lossy(&self.pattern))
  }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
  /// A bit per command id.
  commands: Vec<u64>,
  /// Set by `+@all`: commands added later are allowed (cleared by `-@all` only).
  future_commands: bool,
  /// Every command is allowed (cleared by any removal): the fast path.
  pub all_commands: bool,
  /// First arguments allowed for commands otherwise not allowed, by command id.
  first_args: Vec<(usize, Vec<Vec<u8>>)>,
  pub all_keys: bool,
  pub keys: Vec<KeyPattern>,
  pub all_channels: bool,
  pub channels: Vec<Vec<u8>>,
}

/// Whether `text` has a space or a NUL (not allowed in patterns and user names).
pub fn has_spaces(text: &[u8]) -> bool {
  text.iter().any(|&b| b == b' ' || b == 0)
}

fn command_count() -> usize {
  CommandSpec::all().count()
}

/// A command looked up by its full name (`get`, `config|get`), case-insensitively.
fn lookup_command(name: &[u8]) -> Option<&'static CommandSpec> {
  let text = std::str::from_utf8(name).ok()?;
  CommandSpec::all().find(|spec| spec.name.eq_ignore_ascii_case(text))
}

fn in_category(spec: &CommandSpec, category: &str) -> bool {
  spec.acl_categories.iter().any(|c| c.strip_prefix('@') == Some(category))
}

impl Selector {
  /// A selector allowing nothing; channels as `acl-pubsub-default` says.
  pub fn new(all_channels: bool) -> Selector {
    Selector { commands: vec![0; command_count().div_ceil(64)], all_channels, ..Selector::default() }
  }

  /// Whether the selector allows everything (the common case, checked first).
  #[inline]
  pub fn unrestricted(&self) -> bool {
    self.all_commands && self.all_keys && self.all_channels
  }

  #[inline]
  pub fn allows_command_id(&self, id: usize) -> bool {
    self.commands.get(id / 64).is_some_and(|word| word & (1 << (id % 64)) != 0)
  }

  fn set_bit(&mut self, id: usize, allow: bool) {
    let word = &mut self.commands[id / 64];
    if allow {
      *word |= 1 << (id % 64);
    } else {
      *word &= !(1 << (id % 64));
      self.all_commands = false;
    }
  }

  /// Allows or denies `spec` and all its subcommands, forgetting its allowed first arguments.
  fn change_permission(&mut self, spec: &CommandSpec, allow: bool) {
    self.set_bit(spec.id, allow);
    self.first_args.retain(|(id, _)| *id != spec.id);
    for sub in spec.subcommands {
      self.set_bit(sub.id, allow);
    }
  }

  fn set_category(&mut self, category: &str, allow: bool) -> Result<(), RuleError> {
    if !CATEGORIES.contains(&category) {
      return Err(RuleError::UnknownCommand);
    }
    for spec in crate::cmd::table::COMMANDS {
      if in_category(spec, category) {
        self.change_permission(spec, allow);
      }
      for sub in spec.subcommands {
        if in_category(sub, category) {
          self.change_permission(sub, allow);
        }
      }
    }
    Ok(())
  }

  fn set_all_commands(&mut self, allow: bool) {
    self.commands.iter_mut().for_each(|word| *word = if allow { u64::MAX } else { 0 });
    self.future_commands = allow;
    self.all_commands = allow;
    self.first_args.clear();
  }

  /// Applies one rule that concerns a selector (Redis's `ACLSetSelector`).
  pub fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
    let is = |word: &str| op.eq_ignore_ascii_case(word.as_bytes());
    if is("allkeys") || op == b"~*" {
      self.all_keys = true;
      self.keys.clear();
    } else if is("resetkeys") {
      self.all_keys = false;
      self.keys.clear();
    } else if is("allchannels") || op == b"&*" {
      self.all_channels = true;
      self.channels.clear();
    } else if is("resetchannels") {
      self.all_channels = false;
      self.channels.clear();
    } else if is("allcommands") || is("+@all") {
      self.set_all_commands(true);
    } else if is("nocommands") || is("-@all") {
      self.set_all_commands(false);
    } else if op.first().is_some_and(|&b| b == b'~' || b == b'%') {
      self.add_key_pattern(op)?;
    } else if op[0] == b'&' {
      if self.all_channels {
        return Err(RuleError::ChannelAfterAllChannels);
      }
      if has_spaces(&op[1..]) {
        return Err(RuleError::Syntax);
      }
      if !self.channels.iter().any(|c| c == &op[1..]) {
        self.channels.push(op[1..].to_vec());
      }
      self.all_channels = false;
    } else if op.len() >= 2 && (op[0] == b'+' || op[0] == b'-') && op[1] == b'@' {
      let category = std::str::from_utf8(&op[2..]).map_err(|_| RuleError::UnknownCommand)?.to_ascii_lowercase();
      self.set_category(&category, op[0] == b'+')?;
    } else if op[0] == b'+' {
      self.allow_command(&op[1..])?;
    } else if op[0] == b'-' {
      let spec = lookup_command(&op[1..]).ok_or(RuleError::UnknownCommand)?;
      self.change_permission(spec, false);
    } else {
      return Err(RuleError::Syntax);
    }
    Ok(())
  }

  /// `~pattern`, `%R~pattern`, `%W~pattern`, `%RW~pattern`.
  fn add_key_pattern(&mut self, op: &[u8]) -> Result<(), RuleError> {
    if self.all_keys {
      return Err(RuleError::KeyAfterAllKeys);
    }
    let (permissions, pattern) = if op[0] == b'%' {
      let mut permissions = 0;
      let mut at = 1;
      loop {
        match op.get(at).map(u8::to_ascii_uppercase) {
          Some(b'R') if permissions & READ == 0 => permissions |= READ,
          Some(b'W') if permissions & WRITE == 0 => permissions |= WRITE,
          Some(b'~') => {
            at += 1;
            break;
          }
          // Redis takes a rule that ends before its `~` as an empty pattern.
          None => break,
          _ => return Err(RuleError::Syntax),
        }
        at += 1;
      }
      (permissions, &op[at.min(op.len())..])
    } else {
      (READ | WRITE, &op[1..])
    };
    if has_spaces(pattern) {
      return Err(RuleError::Syntax);
    }
    match self.keys.iter_mut().find(|kept| kept.pattern == pattern) {
      Some(kept) => kept.permissions |= permissions,
      None => self.keys.push(KeyPattern { permissions, pattern: pattern.to_vec() }),
    }
    self.all_keys = false;
    Ok(())
  }

  /// `+command`, `+container|subcommand`, or `+command|firstarg`.
  fn allow_command(&mut self, name: &[u8]) -> Result<(), RuleError> {
    let Some(bar) = name.iter().rposition(|&b| b == b'|') else {
      let spec = lookup_command(name).ok_or(RuleError::UnknownCommand)?;
      self.change_permission(spec, true);
      return Ok(());
    };
    let (parent, first_arg) = (&name[..bar], &name[bar + 1..]);
    let parent = lookup_command(parent).ok_or(RuleError::UnknownCommand)?;
    if parent.name.contains('|') {
      return Err(RuleError::SubcommandFirstArg);
    }
    if first_arg.is_empty() {
      return Err(RuleError::Syntax);
    }
    if !parent.subcommands.is_empty() {
      let spec = lookup_command(name).ok_or(RuleError::UnknownCommand)?;
      self.change_permission(spec, true);
      return Ok(());
    }
    let lower = first_arg.to_ascii_lowercase();
    match self.first_args.iter_mut().find(|(id, _)| *id == parent.id) {
      Some((_, args)) => {
        if !args.iter().any(|arg| arg.eq_ignore_ascii_case(&lower)) {
          args.push(first_arg.to_vec());
        }
      }
      None => self.first_args.push((parent.id, vec![first_arg.to_vec()])),
    }
    Ok(())
  }

  /// Whether the selector allows running `spec` with `argv` (not the keys and channels).
  pub fn allows_command(&self, spec: &CommandSpec, argv: &[&[u8]]) -> bool {
    if self.all_commands || spec.has(crate::cmd::table::flags::NO_AUTH) || self.allows_command_id(spec.id) {
      return true;
    }
    let index = if spec.name.contains('|') { 2 } else { 1 };
    let Some(arg) = argv.get(index) else { return false };
    self
      .first_args
      .iter()
      .find(|(id, _)| *id == spec.id)
      .is_some_and(|(_, args)| args.iter().any(|allowed| allowed.eq_ignore_ascii_case(arg)))
  }

  /// Whether the selector allows touching `key` as `key_spec` says the command does.
  pub fn allows_key(&self, key: &[u8], needed: u8) -> bool {
    self.all_keys
      || self.keys.iter().any(|kept| kept.permissions & needed == needed && glob::matches(&kept.pattern, key))
  }

  /// Whether the selector allows `channel` (a pattern SUBSCRIBE must name exactly).
  pub fn allows_channel(&self, channel: &[u8], is_pattern: bool) -> bool {
    self.all_channels
      || self.channels.iter().any(
        |allowed| {
          if is_pattern {
            allowed == channel
          } else {
            glob::matches(allowed, channel)
          }
        },
      )
  }

  /// The rules that give the command bits (Redis's `ACLDescribeSelectorCommandRules`).
  pub fn describe_commands(&self) -> String {
    let mut rules = String::new();
    let count = command_count();
    let mut fake = Selector::new(false);
    let additive = !self.future_commands;
    fake.set_all_commands(!additive);
    rules.push_str(if additive { "-@all " } else { "+@all " });
    // Categories that fit best, as long as one has more commands in common than apart.
    let mut temp = self.clone();
    let mut applied = [false; CATEGORIES.len()];
    loop {
      let mut best = None;
      let (mut fewest_apart, mut most_common) = (usize::MAX, 0);
      for (index, category) in CATEGORIES.iter().enumerate() {
        if applied[index] {
          continue;
        }
        let (mut on, mut off) = (0, 0);
        for spec in CommandSpec::all().filter(|spec| in_category(spec, category)) {
          if temp.allows_command_id(spec.id) {
            on += 1;
          } else {
            off += 1;
          }
        }
        let (apart, common) = if additive { (off, on) } else { (on, off) };
        if common > apart && (apart < fewest_apart || (apart == fewest_apart && common > most_common)) {
          best = Some(index);
          fewest_apart = apart;
          most_common = common;
        }
      }
      let Some(index) = best else { break };
      let category = CATEGORIES[index];
      let _ = fake.set_category(category, additive);
      let _ = temp.set_category(category, !additive);
      rules.push_str(&format!("{}@{category} ", if additive { '+' } else { '-' }));
      applied[index] = true;
    }
    // Single commands for what is left, and allowed first arguments.
    for spec in crate::cmd::table::COMMANDS {
      self.describe_single(spec, &mut fake, &mut rules);
      for sub in spec.subcommands {
        self.describe_single(sub, &mut fake, &mut rules);
      }
    }
    rules.pop();
    debug_assert_eq!(fake.commands[..count.div_ceil(64)], self.commands[..count.div_ceil(64)]);
    rules
  }

  fn describe_single(&self, spec: &CommandSpec, fake: &mut Selector, rules: &mut String) {
    let allowed = self.allows_command_id(spec.id);
    if allowed != fake.allows_command_id(spec.id) {
      rules.push_str(&format!("{}{} ", if allowed { '+' } else { '-' }, spec.name));
      fake.change_permission(spec, allowed);
    }
    if !allowed {
      if let Some((_, args)) = self.first_args.iter().find(|(id, _)| *id == spec.id) {
        for arg in args {
          rules.push_str(&format!("+{}|{} ", spec.name, String::from_utf8_lossy(arg)));
        }
      }
    }
  }

  /// The key rules, space-separated (`~*` for all keys).
  pub fn describe_keys(&self) -> String {
    if self.all_keys {
      return "~*".into();
    }
    self.keys.iter().map(KeyPattern::rule).collect::<Vec<_>>().join(" ")
  }

  /// The channel rules, space-separated (`&*` for all channels).
  pub fn describe_channels(&self) -> String {
    if self.all_channels {
      return "&*".into();
    }
    self.channels.iter().map(|c| format!("&{}", String::from_utf8_lossy(c))).collect::<Vec<_>>().join(" ")
  }

  /// The selector as rules, as ACL LIST shows it: keys, channels, commands.
  pub fn describe(&self) -> String {
    let mut out = String::new();
    if self.all_keys {
      out.push_str("~* ");
    } else {
      for pattern in &self.keys {
        out.push_str(&pattern.rule());
        out.push(' ');
      }
    }
    if self.all_channels {
      out.push_str("&* ");
    } else {
      out.push_str("resetchannels ");
      for channel in &self.channels {
        out.push('&');
        out.push_str(&String::from_utf8_lossy(channel));
        out.push(' ');
      }
    }
    out.push_str(&self.describe_commands());
    out
  }
}

/// The permissions touching a key needs, from its key flags.
pub fn needed_permissions(flags: &[&str]) -> u8 {
  let mut needed = 0;
  for flag in flags {
    match *flag {
      "access" => needed |= READ,
      "insert" | "delete" | "update" => needed |= WRITE,
      _ => {}
    }
  }
  needed
}
