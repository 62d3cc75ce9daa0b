//! The configuration registry: every parameter CONFIG GET/SET, the command line and the config
//! file know, with its name, aliases, mutability, and how to read and parse it.
//!
//! One table serves all three: `redwing-server --hz 20`, a `hz 20` line in a config file, and
//! `CONFIG SET hz 20` all go through `Param::set`, so they accept and refuse exactly the same
//! values with the same messages.

use crate::engine::Engine;

/// A configuration parameter.
pub struct Param {
  pub name: &'static str,
  pub alias: Option<&'static str>,
  /// Whether CONFIG SET may change it at run time (otherwise only at start-up).
  pub mutable: bool,
  pub get: fn(&Engine) -> String,
  /// Parses and applies a value; the error is the reason shown after the parameter name.
  pub set: fn(&mut Engine, &[u8]) -> Result<(), String>,
}

fn parse_int(value: &[u8], min: i64, max: i64) -> Result<i64, String> {
  let n = crate::num::parse_i64(value).ok_or("argument couldn't be parsed into an integer")?;
  if n < min || n > max {
    return Err(format!("argument must be between {min} and {max} inclusive"));
  }
  Ok(n)
}

pub static PARAMS: &[Param] = &[
  Param {
    name: "hz",
    alias: None,
    mutable: true,
    get: |e| e.config.hz.to_string(),
    set: |e, v| {
      e.config.hz = parse_int(v, 0, i32::MAX as i64)?.clamp(1, 500);
      Ok(())
    },
  },
  Param {
    name: "timeout",
    alias: None,
    mutable: true,
    get: |e| e.config.timeout.to_string(),
    set: |e, v| {
      e.config.timeout = parse_int(v, 0, i32::MAX as i64)?;
      Ok(())
    },
  },
  Param {
    name: "databases",
    alias: None,
    mutable: false,
    get: |e| e.config.databases.to_string(),
    set: |e, v| {
      e.config.databases = parse_int(v, 1, i32::MAX as i64)? as usize;
      e.apply_databases();
      Ok(())
    },
  },
];

/// Finds a parameter by name or alias, case-insensitively.
pub fn find(name: &[u8]) -> Option<&'static Param> {
  PARAMS
    .iter()
    .find(|p| name.eq_ignore_ascii_case(p.name.as_bytes()) || p.alias.is_some_and(|a| name.eq_ignore_ascii_case(a.as_bytes())))
}

/// Applies one start-up directive (`name value…`) from the command line or a config file.
/// Immutable parameters are accepted here. The error is the reason to report to the user.
pub fn load_directive(engine: &mut Engine, args: &[&[u8]]) -> Result<(), String> {
  let param = args.first().and_then(|name| find(name)).ok_or("Bad directive or wrong number of arguments")?;
  if args.len() != 2 {
    return Err("Bad directive or wrong number of arguments".into());
  }
  (param.set)(engine, args[1])
}

/// The current value of a parameter, as CONFIG GET shows it.
pub fn value_of(engine: &Engine, name: &[u8]) -> Option<String> {
  find(name).map(|p| (p.get)(engine))
}
