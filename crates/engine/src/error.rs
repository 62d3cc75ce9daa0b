//! The error catalog: every error reply a command can produce, with Redis's exact text.
//!
//! Errors are values until they reach the client: handlers return `Err(Error)` and the
//! dispatcher writes it as a RESP error line and counts it in INFO's errorstats under its code
//! (the first word: `ERR`, `WRONGTYPE`, …).

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
  WrongType,
  NotInteger,
  NotFloat,
  Syntax,
  NoSuchKey,
  Overflow,
  /// `ERR <message>`.
  Err(Cow<'static, str>),
  /// A message that carries its own code (`NOAUTH …`, `WRONGPASS …`).
  Coded(Cow<'static, str>),
}

pub type CmdResult = Result<(), Error>;

impl Error {
  pub fn err(message: impl Into<Cow<'static, str>>) -> Self {
    Error::Err(message.into())
  }

  pub fn coded(message: impl Into<Cow<'static, str>>) -> Self {
    Error::Coded(message.into())
  }

  /// The full error line without the leading `-`.
  pub fn message(&self) -> Cow<'_, str> {
    match self {
      Error::WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value".into(),
      Error::NotInteger => "ERR value is not an integer or out of range".into(),
      Error::NotFloat => "ERR value is not a valid float".into(),
      Error::Syntax => "ERR syntax error".into(),
      Error::NoSuchKey => "ERR no such key".into(),
      Error::Overflow => "ERR increment or decrement would overflow".into(),
      Error::Err(text) => format!("ERR {text}").into(),
      Error::Coded(text) => Cow::Borrowed(text.as_ref()),
    }
  }
}

/// An I/O error as C's `strerror` words it ("No space left on device"), as Redis logs and
/// reports it, without Rust's "(os error N)".
pub fn errno_text(error: &std::io::Error) -> String {
  let text = error.to_string();
  match text.find(" (os error ") {
    Some(at) => text[..at].to_string(),
    None => text,
  }
}
