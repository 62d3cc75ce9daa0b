//! Access control lists: users, their passwords, what each may run and touch, and the
//! security log — Redis 7's ACL.
//!
//! Every connection runs as a user (`default` until AUTH or HELLO names another). Before a
//! command runs, [`Acl::check`] asks the user's selectors (see `selector.rs`) whether one of
//! them allows the command, every key it touches (by its key specs' read/write flags) and
//! every channel it publishes or subscribes to; a refusal becomes `-NOPERM` and an entry in
//! the ACL log. The `default` user with `+@all ~* &*` — the user nearly everyone runs as — is
//! unrestricted, and the check is one flag then.
//!
//! Users are kept in a slab (`UserId` is the index sessions hold) with a name index sorted as
//! Redis's radix tree sorts them (ACL LIST, ACL USERS, ACL SAVE). Passwords are kept as the
//! hex SHA-256 of the password. `requirepass` is the `default` user's password. Users come from
//! `user` directives in the configuration, from the `aclfile`, or from ACL SETUSER.

pub mod selector;
pub mod sha256;

use selector::{has_spaces, RuleError, Selector};
use std::collections::{BTreeMap, VecDeque};

/// The index of a user in the slab; sessions hold it.
pub type UserId = u32;

/// The `default` user's id: it always exists.
pub const DEFAULT_USER: UserId = 0;

/// ACL LOG entries with the same reason, context, object and user within this many
/// milliseconds are counted as one.
const LOG_GROUPING_MS: i64 = 60_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
  pub name: Vec<u8>,
  pub enabled: bool,
  pub nopass: bool,
  /// `sanitize-payload` (Some(true)), `skip-sanitize-payload` (Some(false)), or neither.
  pub sanitize_payload: Option<bool>,
  /// Hex SHA-256 digests, in the order added.
  pub passwords: Vec<String>,
  /// The root selector first.
  pub selectors: Vec<Selector>,
}

impl User {
  /// A user as ACL SETUSER creates it: off, no passwords, no permissions.
  fn new(name: &[u8], all_channels: bool) -> User {
    User {
      name: name.to_vec(),
      enabled: false,
      nopass: false,
      sanitize_payload: None,
      passwords: Vec::new(),
      selectors: vec![Selector::new(all_channels)],
    }
  }

  /// The `default` user as a server starts with it: on, no password, everything allowed.
  fn default_user() -> User {
    let mut user = User::new(b"default", true);
    for rule in ["+@all", "~*", "&*", "on", "nopass"] {
      user.apply(rule.as_bytes(), true).expect("valid default rules");
    }
    user
  }

  /// Whether the user may run anything on any key and channel (its root selector says so).
  #[inline]
  pub fn unrestricted(&self) -> bool {
    self.selectors[0].unrestricted()
  }

  /// Whether `password` is one of the user's (or the user needs none).
  pub fn password_matches(&self, password: &[u8]) -> bool {
    if self.nopass {
      return true;
    }
    let hashed = sha256::hex_digest(password);
    // Compared in full whatever the contents, as Redis's `time_independent_strcmp`.
    self.passwords.iter().fold(false, |found, kept| found | constant_time_eq(kept.as_bytes(), hashed.as_bytes()))
  }

  /// Applies one rule (Redis's `ACLSetUser`); `all_channels` is `acl-pubsub-default`.
  pub fn apply(&mut self, op: &[u8], all_channels: bool) -> Result<(), RuleError> {
    let is = |word: &str| op.eq_ignore_ascii_case(word.as_bytes());
    if op.is_empty() {
      return Ok(());
    }
    if is("on") {
      self.enabled = true;
    } else if is("off") {
      self.enabled = false;
    } else if is("skip-sanitize-payload") {
      self.sanitize_payload = Some(false);
    } else if is("sanitize-payload") {
      self.sanitize_payload = Some(true);
    } else if is("nopass") {
      self.nopass = true;
      self.passwords.clear();
    } else if is("resetpass") {
      self.nopass = false;
      self.passwords.clear();
    } else if op[0] == b'>' || op[0] == b'#' {
      let hash = if op[0] == b'>' { sha256::hex_digest(&op[1..]) } else { valid_hash(&op[1..])? };
      if !self.passwords.contains(&hash) {
        self.passwords.push(hash);
      }
      self.nopass = false;
    } else if op[0] == b'<' || op[0] == b'!' {
      let hash = if op[0] == b'<' { sha256::hex_digest(&op[1..]) } else { valid_hash(&op[1..])? };
      let at = self.passwords.iter().position(|kept| *kept == hash).ok_or(RuleError::NoSuchPassword)?;
      self.passwords.remove(at);
    } else if op[0] == b'(' && op[op.len() - 1] == b')' {
      let mut selector = Selector::new(all_channels);
      let inner = String::from_utf8_lossy(&op[1..op.len() - 1]).into_owned();
      for rule in inner.split_whitespace() {
        selector.apply(rule.as_bytes())?;
      }
      self.selectors.push(selector);
    } else if is("clearselectors") {
      self.selectors.truncate(1);
    } else if is("reset") {
      for rule in ["resetpass", "resetkeys", "resetchannels"] {
        self.apply(rule.as_bytes(), all_channels)?;
      }
      if all_channels {
        self.apply(b"allchannels", all_channels)?;
      }
      for rule in ["off", "sanitize-payload", "clearselectors", "-@all"] {
        self.apply(rule.as_bytes(), all_channels)?;
      }
    } else {
      self.selectors[0].apply(op)?;
    }
    Ok(())
  }

  /// The user as rules, as ACL LIST shows it (without `user <name>`).
  pub fn describe(&self) -> String {
    let mut out = String::new();
    for flag in self.flags() {
      out.push_str(flag);
      out.push(' ');
    }
    for password in &self.passwords {
      out.push('#');
      out.push_str(password);
      out.push(' ');
    }
    for (index, selector) in self.selectors.iter().enumerate() {
      if index == 0 {
        out.push_str(&selector.describe());
      } else {
        out.push_str(&format!(" ({})", selector.describe()));
      }
    }
    out
  }

  /// The user's flags, in Redis's order.
  pub fn flags(&self) -> Vec<&'static str> {
    let mut flags = vec![if self.enabled { "on" } else { "off" }];
    if self.nopass {
      flags.push("nopass");
    }
    match self.sanitize_payload {
      Some(false) => flags.push("skip-sanitize-payload"),
      Some(true) => flags.push("sanitize-payload"),
      None => {}
    }
    flags
  }

  /// Whether any selector allows `channel` (checked against a subscriber's channels when the
  /// user's channel rules change).
  fn allows_channel(&self, channel: &[u8], is_pattern: bool) -> bool {
    self.selectors.iter().any(|selector| selector.allows_channel(channel, is_pattern))
  }
}

/// `#<hash>` must be 64 lowercase hex digits.
fn valid_hash(hash: &[u8]) -> Result<String, RuleError> {
  if hash.len() != 64 || !hash.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)) {
    return Err(RuleError::BadHash);
  }
  Ok(String::from_utf8_lossy(hash).into_owned())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
  a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Why a command was refused (Redis's `ACL_DENIED_*`, in their order of relevance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Denied {
  Command,
  Key,
  Auth,
  Channel,
}

impl Denied {
  /// The ACL LOG `reason`.
  pub fn reason(self) -> &'static str {
    match self {
      Denied::Command => "command",
      Denied::Key => "key",
      Denied::Auth => "auth",
      Denied::Channel => "channel",
    }
  }

  /// The `-NOPERM` error of a refused command.
  pub fn noperm(self, command: &str) -> String {
    match self {
      Denied::Command => format!("NOPERM this user has no permissions to run the '{command}' command"),
      Denied::Key => "NOPERM this user has no permissions to access one of the keys used as arguments".into(),
      Denied::Channel => "NOPERM this user has no permissions to access one of the channels used as arguments".into(),
      Denied::Auth => "NOPERM no permission".into(),
    }
  }

  /// Redis's `getAclErrorMessage`, for scripts.
  pub fn script_message(self) -> &'static str {
    match self {
      Denied::Command => "can't run this command or subcommand",
      Denied::Key => "can't access at least one of the keys mentioned in the command arguments",
      Denied::Channel => "can't publish to the channel mentioned in the command",
      Denied::Auth => "lacking the permissions for the command",
    }
  }

  /// The reason EXEC gives when a queued command is no longer allowed.
  pub fn exec_reason(self) -> &'static str {
    match self {
      Denied::Command => "no permission to execute the command or subcommand",
      Denied::Key => "no permission to touch the specified keys",
      Denied::Channel => "no permission to access one of the channels used as arguments",
      Denied::Auth => "no permission",
    }
  }
}

/// Where a refusal happened (ACL LOG `context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogContext {
  Toplevel,
  Multi,
  Lua,
}

impl LogContext {
  pub fn name(self) -> &'static str {
    match self {
      LogContext::Toplevel => "toplevel",
      LogContext::Multi => "multi",
      LogContext::Lua => "lua",
    }
  }
}

/// One ACL LOG entry.
pub struct LogEntry {
  pub count: u64,
  pub reason: Denied,
  pub context: LogContext,
  pub object: Vec<u8>,
  pub username: Vec<u8>,
  pub time_ms: i64,
  pub client_info: String,
}

pub struct Acl {
  users: Vec<Option<User>>,
  names: BTreeMap<Vec<u8>, UserId>,
  /// Newest first.
  pub log: VecDeque<LogEntry>,
  /// `user` directives of the configuration, applied once start-up is done.
  pending: Vec<Vec<Vec<u8>>>,
}

impl Default for Acl {
  fn default() -> Self {
    let mut names = BTreeMap::new();
    names.insert(b"default".to_vec(), DEFAULT_USER);
    Acl { users: vec![Some(User::default_user())], names, log: VecDeque::new(), pending: Vec::new() }
  }
}

impl Acl {
  #[inline]
  pub fn user(&self, id: UserId) -> &User {
    self.users[id as usize].as_ref().unwrap_or_else(|| self.default_user())
  }

  pub fn default_user(&self) -> &User {
    self.users[DEFAULT_USER as usize].as_ref().expect("the default user exists")
  }

  pub fn default_user_mut(&mut self) -> &mut User {
    self.users[DEFAULT_USER as usize].as_mut().expect("the default user exists")
  }

  pub fn find(&self, name: &[u8]) -> Option<UserId> {
    self.names.get(name).copied()
  }

  /// Users in name order.
  pub fn users(&self) -> impl Iterator<Item = &User> {
    self.names.values().map(|&id| self.user(id))
  }

  /// Whether a new connection is authenticated at once: the default user needs no password
  /// and is on (Redis's `authRequired`, negated).
  pub fn default_needs_no_auth(&self) -> bool {
    let user = self.default_user();
    user.nopass && user.enabled
  }

  /// The user `name` if `password` is right and the user is on.
  pub fn authenticate(&self, name: &[u8], password: &[u8]) -> Option<UserId> {
    let id = self.find(name)?;
    let user = self.user(id);
    (user.enabled && user.password_matches(password)).then_some(id)
  }

  /// ACL SETUSER: applies `rules` to a copy of user `name` (created if missing), all or none.
  /// Returns the error text on failure, and otherwise the user's id and whether its channel
  /// permissions shrank (its subscribers must then be checked).
  pub fn set_user(&mut self, name: &[u8], rules: &[&[u8]], all_channels: bool) -> Result<(UserId, bool), String> {
    let rules = merge_selector_rules(rules)?;
    let existing = self.find(name);
    let mut user = match existing {
      Some(id) => self.user(id).clone(),
      None => User::new(name, all_channels),
    };
    for rule in &rules {
      user.apply(rule, all_channels).map_err(|error| {
        format!("Error in ACL SETUSER modifier '{}': {}", String::from_utf8_lossy(rule), error.message())
      })?;
    }
    let id = match existing {
      Some(id) => {
        let narrowed = channels_narrowed(self.user(id), &user);
        self.users[id as usize] = Some(user);
        return Ok((id, narrowed));
      }
      None => self.insert(user),
    };
    Ok((id, false))
  }

  fn insert(&mut self, user: User) -> UserId {
    let id = match self.users.iter().position(Option::is_none) {
      Some(free) => free as UserId,
      None => {
        self.users.push(None);
        (self.users.len() - 1) as UserId
      }
    };
    self.names.insert(user.name.clone(), id);
    self.users[id as usize] = Some(user);
    id
  }

  /// Deletes user `name`; returns its id (its sessions must go), or `None` if there is none.
  pub fn delete(&mut self, name: &[u8]) -> Option<UserId> {
    let id = self.names.remove(name)?;
    self.users[id as usize] = None;
    Some(id)
  }

  /// Whether user `id` may run `spec` with `argv` (Redis's `ACLCheckAllUserCommandPerm`): one
  /// selector must allow the command, its keys and its channels. Otherwise the most relevant
  /// refusal among the selectors', with the position of the argument refused (0 for the
  /// command itself).
  pub fn check(
    &self,
    id: UserId,
    spec: &crate::cmd::table::CommandSpec,
    argv: &[&[u8]],
  ) -> Result<(), (Denied, usize)> {
    let user = self.user(id);
    if user.unrestricted() {
      return Ok(());
    }
    let mut keys = None;
    let mut relevant = (Denied::Command, 0);
    for selector in &user.selectors {
      let refusal = match check_selector(selector, spec, argv, &mut keys) {
        Ok(()) => return Ok(()),
        Err(refusal) => refusal,
      };
      if refusal.0 > relevant.0 || (refusal.0 == relevant.0 && refusal.1 > relevant.1) {
        relevant = refusal;
      }
    }
    Err(relevant)
  }

  /// Whether user `id` may run `spec` with `argv` reading any key (Redis's
  /// `ACLUserCheckCmdWithUnrestrictedKeyAccess`): a selector that allows the command has every
  /// key, or the `*` pattern with read permission. SORT's BY and GET patterns name keys that
  /// its key specs do not show, so they need it.
  pub fn reads_every_key(&self, id: UserId, spec: &crate::cmd::table::CommandSpec, argv: &[&[u8]]) -> bool {
    let user = self.user(id);
    if user.unrestricted() {
      return true;
    }
    let mut keys = None;
    user.selectors.iter().any(|selector| {
      check_selector(selector, spec, argv, &mut keys).is_ok()
        && (selector.all_keys
          || selector.keys.iter().any(|key| key.permissions & selector::READ != 0 && key.pattern == b"*"))
    })
  }

  /// Whether user `id` still allows `channel` (a subscriber's channel or pattern).
  pub fn user_allows_channel(&self, id: UserId, channel: &[u8], is_pattern: bool) -> bool {
    self.user(id).allows_channel(channel, is_pattern)
  }

  /// Records a refusal in the ACL log (Redis's `addACLLogEntry`): the same refusal within a
  /// minute among the ten newest entries is counted there instead.
  #[allow(clippy::too_many_arguments)]
  pub fn log_denial(
    &mut self,
    reason: Denied,
    context: LogContext,
    object: Vec<u8>,
    username: Vec<u8>,
    client_info: String,
    now_ms: i64,
    max_len: usize,
  ) {
    let found = self.log.iter().take(10).position(|entry| {
      entry.reason == reason
        && entry.context == context
        && (entry.time_ms - now_ms).abs() <= LOG_GROUPING_MS
        && entry.object == object
        && entry.username == username
    });
    if let Some(at) = found {
      let mut entry = self.log.remove(at).expect("found above");
      entry.count += 1;
      entry.time_ms = now_ms;
      entry.client_info = client_info;
      self.log.push_front(entry);
      return;
    }
    self.log.push_front(LogEntry { count: 1, reason, context, object, username, time_ms: now_ms, client_info });
    self.log.truncate(max_len);
  }

  /// Records a `user` directive of the configuration, checked now and applied at the end of
  /// start-up (Redis's `ACLAppendUserForLoading`).
  pub fn add_configured_user(&mut self, args: &[&[u8]]) -> Result<(), String> {
    let Some((name, rules)) = args.split_first() else {
      return Err("Bad directive or wrong number of arguments".into());
    };
    if self.pending.iter().any(|pending| pending[0] == *name) {
      return Err("Duplicate user found. A user can only be defined once in config files".into());
    }
    let merged = merge_selector_rules(rules)?;
    let mut trial = User::new(name, false);
    for rule in &merged {
      if let Err(error) = trial.apply(rule, false) {
        if error != RuleError::UnknownCommand {
          return Err(error.message().into());
        }
      }
    }
    let mut pending = vec![name.to_vec()];
    pending.extend(merged);
    self.pending.push(pending);
    Ok(())
  }

  /// Whether `user` directives were given.
  pub fn has_configured_users(&self) -> bool {
    !self.pending.is_empty()
  }

  /// Creates the users of the `user` directives (the `default` one is reset first).
  pub fn load_configured_users(&mut self, all_channels: bool) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    for pending in std::mem::take(&mut self.pending) {
      let name = &pending[0];
      if has_spaces(name) {
        return Err("Spaces not allowed in ACL usernames".into());
      }
      let id = match self.find(name) {
        Some(id) => {
          let user = self.users[id as usize].as_mut().expect("found");
          let _ = user.apply(b"reset", all_channels);
          id
        }
        None => self.insert(User::new(name, all_channels)),
      };
      let user = self.users[id as usize].as_mut().expect("inserted");
      for rule in &pending[1..] {
        user.apply(rule, all_channels).map_err(|error| {
          format!(
            "Error loading ACL rule '{}' for the user named '{}': {}",
            String::from_utf8_lossy(rule),
            String::from_utf8_lossy(name),
            error.message()
          )
        })?;
      }
      if !user.enabled {
        notes.push(format!(
          "The user '{}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a \
           configuration error.",
          String::from_utf8_lossy(name)
        ));
      }
    }
    Ok(notes)
  }

  /// Replaces every user with those of an ACL file's text (Redis's `ACLLoadFromFile`): all or
  /// nothing. `file` names the file in errors. Returns the ids of the users replaced (their
  /// sessions must go; the `default` user's stay).
  pub fn load_file(&mut self, text: &str, file: &str, all_channels: bool) -> Result<Vec<UserId>, String> {
    let mut loaded: BTreeMap<Vec<u8>, User> = BTreeMap::new();
    let mut errors = String::new();
    for (index, line) in text.split('\n').enumerate() {
      let number = index + 1;
      let line = line.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
      if line.is_empty() {
        continue;
      }
      let words: Vec<&str> = line.split(' ').filter(|word| !word.is_empty()).collect();
      if words.is_empty() {
        continue;
      }
      if words[0] != "user" || words.len() < 2 {
        errors.push_str(&format!("{file}:{number} should start with user keyword followed by the username. "));
        continue;
      }
      let name = words[1].as_bytes();
      if has_spaces(name) {
        errors.push_str(&format!("'{file}:{number}: username '{}' contains invalid characters. ", words[1]));
        continue;
      }
      if loaded.contains_key(name) {
        errors.push_str(&format!("WARNING: Duplicate user '{}' found on line {number}. ", words[1]));
        continue;
      }
      let rules: Vec<&[u8]> = words[2..].iter().map(|word| word.as_bytes()).collect();
      let merged = match merge_selector_rules(&rules) {
        Ok(merged) => merged,
        Err(_) => {
          errors.push_str(&format!("{file}:{number}: Unmatched parenthesis in selector definition."));
          Vec::new()
        }
      };
      let mut user = User::new(name, all_channels);
      let mut syntax_error = false;
      for rule in &merged {
        if let Err(error) = user.apply(rule, all_channels) {
          if error == RuleError::UnknownCommand {
            errors.push_str(&format!(
              "{file}:{number}: Error in applying operation '{}': {}. ",
              String::from_utf8_lossy(rule),
              error.message()
            ));
          } else if !syntax_error {
            errors.push_str(&format!("{file}:{number}: {}. ", error.message()));
            syntax_error = true;
          }
        }
      }
      loaded.insert(name.to_vec(), user);
    }
    if !errors.is_empty() {
      errors.push_str("WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
      return Err(errors);
    }
    let default = loaded.remove(&b"default"[..]).unwrap_or_else(User::default_user);
    let replaced: Vec<UserId> = self.names.values().copied().filter(|&id| id != DEFAULT_USER).collect();
    self.users.truncate(1);
    self.names.retain(|name, _| name == b"default");
    *self.default_user_mut() = default;
    for (_, user) in loaded {
      self.insert(user);
    }
    Ok(replaced)
  }

  /// The ACL file's text for the current users (ACL SAVE), and the `user` lines CONFIG
  /// REWRITE writes.
  pub fn file_text(&self) -> String {
    self.users().map(|user| format!("user {} {}\n", String::from_utf8_lossy(&user.name), user.describe())).collect()
  }
}

/// The keys of a command, found once for all the selectors that look at them.
type KeysOnce = Option<Vec<(usize, &'static [&'static str])>>;

/// Redis's `ACLSelectorCheckCmd`: the command, then its keys, then its channels.
fn check_selector(
  selector: &Selector,
  spec: &crate::cmd::table::CommandSpec,
  argv: &[&[u8]],
  keys: &mut KeysOnce,
) -> Result<(), (Denied, usize)> {
  if !selector.allows_command(spec, argv) {
    return Err((Denied::Command, 0));
  }
  if !selector.all_keys && !spec.key_specs.is_empty() {
    if let Some((pos, flags)) = crate::cmd::server::command::single_key_with_flags(spec, argv) {
      if !selector.allows_key(argv[pos], selector::needed_permissions(flags)) {
        return Err((Denied::Key, pos));
      }
      return check_channels(selector, spec, argv);
    }
    let keys = keys.get_or_insert_with(|| crate::cmd::server::command::command_keys_with_flags(spec, argv));
    for &(pos, flags) in keys.iter() {
      if !selector.allows_key(argv[pos], selector::needed_permissions(flags)) {
        return Err((Denied::Key, pos));
      }
    }
  }
  check_channels(selector, spec, argv)
}

/// The channel part of [`check_selector`].
fn check_channels(
  selector: &Selector,
  spec: &crate::cmd::table::CommandSpec,
  argv: &[&[u8]],
) -> Result<(), (Denied, usize)> {
  if !selector.all_channels {
    for (pos, is_pattern) in channel_arguments(spec.name, argv.len()) {
      if !selector.allows_channel(argv[pos], is_pattern) {
        return Err((Denied::Channel, pos));
      }
    }
  }
  Ok(())
}

/// The arguments of `command` that name channels it publishes or subscribes to, each with
/// whether it is a pattern (unsubscribing is always allowed).
fn channel_arguments(command: &str, argc: usize) -> Vec<(usize, bool)> {
  match command {
    "publish" | "spublish" => vec![(1, false)],
    "subscribe" | "ssubscribe" => (1..argc).map(|pos| (pos, false)).collect(),
    "psubscribe" => (1..argc).map(|pos| (pos, true)).collect(),
    _ => Vec::new(),
  }
}

/// Joins the words of a selector split by spaces (`(~key` `+get)`) back into one rule
/// (Redis's `ACLMergeSelectorArguments`).
fn merge_selector_rules(rules: &[&[u8]]) -> Result<Vec<Vec<u8>>, String> {
  let mut merged: Vec<Vec<u8>> = Vec::new();
  let mut open: Option<(usize, Vec<u8>)> = None;
  for (index, &rule) in rules.iter().enumerate() {
    if let Some((_, selector)) = open.as_mut() {
      selector.push(b' ');
      selector.extend_from_slice(rule);
      if rule.last() == Some(&b')') {
        merged.push(open.take().expect("open").1);
      }
      continue;
    }
    if rule.first() == Some(&b'(') && rule.last() != Some(&b')') {
      open = Some((index, rule.to_vec()));
      continue;
    }
    merged.push(rule.to_vec());
  }
  match open {
    Some((index, _)) => {
      Err(format!("Unmatched parenthesis in acl selector starting at '{}'.", String::from_utf8_lossy(rules[index])))
    }
    None => Ok(merged),
  }
}

/// Whether `after` allows fewer channels than `before` (Redis's check in
/// `ACLKillPubsubClientsIfNeeded`: `before`'s channels must all be among `after`'s).
fn channels_narrowed(before: &User, after: &User) -> bool {
  if after.selectors.iter().any(|selector| selector.all_channels) {
    return false;
  }
  let upcoming: Vec<&Vec<u8>> = after.selectors.iter().flat_map(|selector| &selector.channels).collect();
  before
    .selectors
    .iter()
    .any(|selector| selector.all_channels || selector.channels.iter().any(|channel| !upcoming.contains(&channel)))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn rules_build_users_and_describe_them() {
    let mut acl = Acl::default();
    assert_eq!(acl.default_user().describe(), "on nopass ~* &* +@all");
    let rules: Vec<&[u8]> = vec![b"on", b">p1", b"~k*", b"%R~r*", b"&ch", b"-@all", b"+@hash", b"-hset"];
    acl.set_user(b"bob", &rules, false).unwrap();
    let bob = acl.user(acl.find(b"bob").unwrap());
    assert_eq!(
      bob.describe(),
      format!("on #{} ~k* %R~r* resetchannels &ch -@all +@hash -hset", sha256::hex_digest(b"p1"))
    );
    assert!(acl.authenticate(b"bob", b"p1").is_some());
    assert!(acl.authenticate(b"bob", b"p2").is_none());
    let error = acl.set_user(b"bob", &[b"~*", b"~a"], false).unwrap_err();
    assert!(error.starts_with("Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern"));
    assert_eq!(
      acl.set_user(b"bob", &[b"(~a", b"+get"], false).unwrap_err(),
      "Unmatched parenthesis in acl selector starting at '(~a'."
    );
    acl.set_user(b"bob", &[b"(~x*", b"+get)"], false).unwrap();
    assert!(acl.user(acl.find(b"bob").unwrap()).describe().ends_with(" (~x* resetchannels -@all +get)"));
  }
}
