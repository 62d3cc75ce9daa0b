//! [`Args`]: a cursor over a command's arguments, for everything past its fixed positions.
//!
//! The dispatcher has checked the arity, so a handler reads its fixed arguments (the key,
//! say) by position. What follows them (options, their operands, key lists, field-value
//! pairs) is read through this cursor, which knows Redis's conventions: keywords match
//! case-insensitively and end at a NUL byte (see [`is`]), a missing operand is a syntax
//! error, and a count is an integer with Redis's "not an integer" error.

use crate::cmd::{int_arg, is};
use crate::error::Error;

/// A cursor over `argv[at..]`.
pub struct Args<'s, 'a> {
  argv: &'s [&'a [u8]],
  at: usize,
}

impl<'s, 'a> Args<'s, 'a> {
  /// The arguments from position `from` on (0 is the command name).
  pub fn new(argv: &'s [&'a [u8]], from: usize) -> Self {
    Args { argv, at: from.min(argv.len()) }
  }

  /// Position of the next argument in the whole argument vector.
  pub fn position(&self) -> usize {
    self.at
  }

  /// How many arguments are left.
  pub fn remaining(&self) -> usize {
    self.argv.len() - self.at
  }

  pub fn is_empty(&self) -> bool {
    self.at == self.argv.len()
  }

  /// The next argument, without taking it.
  pub fn peek(&self) -> Option<&'a [u8]> {
    self.argv.get(self.at).copied()
  }

  /// Takes the next argument if it is `keyword`.
  pub fn keyword(&mut self, keyword: &str) -> bool {
    let found = self.peek().is_some_and(|arg| is(arg, keyword));
    self.at += found as usize;
    found
  }

  /// Takes the operand of an option: a syntax error when there is none.
  pub fn value(&mut self) -> Result<&'a [u8], Error> {
    self.next().ok_or(Error::Syntax)
  }

  /// Takes an integer operand: a syntax error when there is none, "not an integer" when it is
  /// not one.
  pub fn int(&mut self) -> Result<i64, Error> {
    int_arg(self.value()?)
  }

  /// Takes every argument left.
  pub fn rest(&mut self) -> &'s [&'a [u8]] {
    let rest = &self.argv[self.at..];
    self.at = self.argv.len();
    rest
  }

  /// Takes the next `count` arguments, or `None` (taking nothing) when fewer are left.
  pub fn take(&mut self, count: usize) -> Option<&'s [&'a [u8]]> {
    let end = self.at.checked_add(count).filter(|&end| end <= self.argv.len())?;
    let taken = &self.argv[self.at..end];
    self.at = end;
    Some(taken)
  }
}

impl<'a> Iterator for Args<'_, 'a> {
  type Item = &'a [u8];

  fn next(&mut self) -> Option<&'a [u8]> {
    let arg = self.peek()?;
    self.at += 1;
    Some(arg)
  }

  fn size_hint(&self) -> (usize, Option<usize>) {
    (self.remaining(), Some(self.remaining()))
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn reads_options_and_operands() {
    let argv: Vec<&[u8]> = vec![b"SET", b"k", b"v", b"nx\0junk", b"EX", b"10", b"GET"];
    let mut args = Args::new(&argv, 3);
    assert!(!args.keyword("XX"));
    assert!(args.keyword("NX"));
    assert!(args.keyword("ex"));
    assert_eq!(args.int(), Ok(10));
    assert_eq!(args.remaining(), 1);
    assert_eq!(args.rest(), &[&b"GET"[..]]);
    assert!(args.is_empty());
    assert_eq!(args.value(), Err(Error::Syntax));
  }

  #[test]
  fn counts_and_takes() {
    let argv: Vec<&[u8]> = vec![b"X", b"2", b"a", b"b", b"c"];
    let mut args = Args::new(&argv, 1);
    assert_eq!(args.int(), Ok(2));
    // Called by path: method syntax on an owned cursor would pick `Iterator::take`.
    assert_eq!(Args::take(&mut args, 4), None);
    assert_eq!(args.position(), 2);
    assert_eq!(Args::take(&mut args, 2), Some(&[&b"a"[..], &b"b"[..]][..]));
    assert_eq!(args.next(), Some(&b"c"[..]));
    assert_eq!(Args::new(&argv, 9).remaining(), 0);
    let argv: Vec<&[u8]> = vec![b"X", b"ten"];
    assert_eq!(Args::new(&argv, 1).int(), Err(Error::NotInteger));
  }
}
