//! XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value
//! [field value ...]
//!
//! Appends an entry and replies with its ID. The options are read first (see `trim.rs`), then
//! the field-value pairs are counted (an odd count or none is an arity error), then a `0-0` ID
//! is refused before the key is even looked up; a missing key is created (unless NOMKSTREAM,
//! which replies with a null), and a stream whose last ID is the largest possible takes no more
//! entries. The ID rules are the type's (`Stream::add`): `*` is the current time, or the last ID
//! plus one when the clock is behind; `<ms>-*` takes the next sequence number in that
//! millisecond; an explicit ID must exceed the last ID.
//!
//! Reports, as Redis: the key modified, `xadd`, one change; then the trimming, if it removed
//! anything, as `xtrim` (no further change counted); and the key ready for XREAD's waiters. The
//! write stream gets the ID that was generated in place of `*` or `<ms>-*`, and a `~` trim as
//! the exact trim it did.

use super::trim::{exact_trim_argv, parse_options};
use super::{as_stream, node_limits};
use crate::bytes::SmallBytes;
use crate::cmd::{arity_error, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::types::stream::id::ParsedId;
use crate::types::stream::{AddError, NewId, Stream, StreamId};
use crate::value::Value;

pub fn xadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let options = parse_options(ctx, argv, true)?;
  let fields_at = options.id_at + 1;
  if argv.len() < fields_at + 2 || (argv.len() - fields_at) % 2 == 1 {
    return Err(arity_error("xadd"));
  }
  let wanted = match options.id {
    None => NewId::Auto,
    Some(ParsedId::AutoSeq(ms)) => NewId::AutoSeq(ms),
    Some(ParsedId::Id(id)) if id.is_zero() => {
      return Err(Error::err("The ID specified in XADD must be greater than 0-0"));
    }
    Some(ParsedId::Id(id)) => NewId::Exact(id),
  };
  let limits = node_limits(ctx);
  let now = ctx.now_ms;
  let propagating = ctx.propagating();
  let (entry, out) = ctx.lookup_write(key);
  let stream = match as_stream(entry)? {
    Some(stream) => stream,
    None if options.no_mkstream => {
      out.null();
      return Ok(());
    }
    None => {
      let value = Value::Stream(Box::new(Stream::new()));
      let pos = ctx.db().insert_new_key(SmallBytes::new(key), value, now);
      match &mut ctx.db().entry_at_mut(pos).value {
        Value::Stream(stream) => stream,
        _ => unreachable!("the key was just set to a stream"),
      }
    }
  };
  if stream.last_id == StreamId::MAX {
    return Err(Error::err("The stream has exhausted the last possible ID, unable to add more items"));
  }
  let id = stream.add(wanted, &argv[fields_at..], limits, now).map_err(|error| match error {
    AddError::NotGreater => Error::err("The ID specified in XADD is equal or smaller than the target stream top item"),
    AddError::TooLarge => Error::err("Elements are too large to be stored"),
  })?;
  let trimmed = options.trim.map_or(0, |trim| stream.trim(&trim));
  let generated = !matches!(wanted, NewId::Exact(_));
  let approx = options.trim.is_some_and(|trim| trim.approx);
  let rewritten = (propagating && (generated || approx)).then(|| {
    let mut rewritten = exact_trim_argv(argv, &options, stream);
    if generated {
      rewritten[options.id_at] = id.to_bytes();
    }
    rewritten
  });
  ctx.out.bulk(&id.text());
  ctx.modified(key);
  ctx.notify(notify::STREAM, "xadd", key);
  ctx.dirty(1);
  if trimmed > 0 {
    ctx.notify(notify::STREAM, "xtrim", key);
  }
  if let Some(rewritten) = rewritten {
    ctx.propagate_as(rewritten);
  }
  ctx.key_ready(key);
  Ok(())
}
