//! XTRIM, and the trimming options it shares with XADD: `MAXLEN [=|~] count`, `MINID [=|~] id`
//! and `LIMIT count`.
//!
//! [`parse_options`] reads them as Redis's `streamParseAddOrTrimArgsOrReply` does, in one pass
//! over the arguments after the key, with its error texts and their order. For XADD the same
//! pass also takes NOMKSTREAM and stops at the entry ID (`*` or an explicit ID). `~` trims
//! whole nodes only and, unless LIMIT says otherwise, at most 100 nodes' worth of entries
//! (`100 * stream-node-max-entries`, kept between 10000 and a million); LIMIT needs `~`,
//! except from a master or an AOF being loaded, whose commands are obeyed with no limit.
//!
//! Trimming that used `~` depends on node boundaries, so the write stream gets it as the exact
//! trim it turned out to be: `~` becomes `=`, and the count becomes the stream's length after
//! trimming (MAXLEN) or the ID of its first remaining entry, deleted or not (MINID; the largest
//! ID when nothing is left). XTRIM reports `xtrim` and counts one change per entry removed; it
//! reports nothing when nothing was removed.

use super::{as_stream, parse_id, strict_id};
use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::config::notify;
use crate::cstr::until_nul;
use crate::error::{CmdResult, Error};
use crate::num::i64_bytes;
use crate::types::stream::id::{IdSyntax, ParsedId};
use crate::types::stream::{Stream, StreamId, Trim, TrimStrategy};

/// The options of XADD or XTRIM.
pub(super) struct Options {
  /// The trim requested, if any.
  pub trim: Option<Trim>,
  /// Where the trim's count or ID is (for rewriting it); the `~` or `=`, if any, is just before.
  pub trim_at: usize,
  /// XADD: NOMKSTREAM.
  pub no_mkstream: bool,
  /// XADD: the entry ID asked for (`None` for `*`).
  pub id: Option<ParsedId>,
  /// XADD: where the ID is (the argument count when the options ran to the end).
  pub id_at: usize,
}

/// XADD's ID syntax: `<ms>-*` is allowed, `-` and `+` are not.
const XADD_ID: IdSyntax = IdSyntax { missing_seq: 0, strict: true, auto_seq: true };

/// Reads the options from `argv[2]` on (see the module comment); `xadd` for XADD's.
pub(super) fn parse_options(ctx: &Ctx, argv: &[&[u8]], xadd: bool) -> Result<Options, Error> {
  let mut options = Options { trim: None, trim_at: 0, no_mkstream: false, id: None, id_at: argv.len() };
  let mut strategy = None;
  let mut approx = false;
  let mut limit = 0;
  let mut limit_given = false;
  let mut args = Args::new(argv, 2);
  while let Some(option) = args.peek() {
    let more = args.remaining() - 1;
    if xadd && until_nul(option) == b"*" {
      options.id_at = args.position();
      break;
    }
    args.next();
    if (is(option, "maxlen") || is(option, "minid")) && more > 0 {
      if strategy.is_some() {
        return Err(Error::err("syntax error, MAXLEN and MINID options at the same time are not compatible"));
      }
      approx = false;
      let marker = args.peek().map(until_nul);
      if more >= 2 && marker == Some(b"~") {
        approx = true;
        args.next();
      } else if more >= 2 && marker == Some(b"=") {
        args.next();
      }
      let operand = args.value()?;
      strategy = Some(if is(option, "maxlen") {
        let max = int_arg(operand)?;
        if max < 0 {
          return Err(Error::err("The MAXLEN argument must be >= 0."));
        }
        TrimStrategy::MaxLen(max as u64)
      } else {
        TrimStrategy::MinId(strict_id(operand)?)
      });
      options.trim_at = args.position() - 1;
    } else if is(option, "limit") && more > 0 {
      limit = args.int()?;
      if limit < 0 {
        return Err(Error::err("The LIMIT argument must be >= 0."));
      }
      limit_given = true;
    } else if xadd && is(option, "nomkstream") {
      options.no_mkstream = true;
    } else if xadd {
      options.id = Some(parse_id(option, XADD_ID)?);
      options.id_at = args.position() - 1;
      break;
    } else {
      return Err(Error::Syntax);
    }
  }
  if limit != 0 && strategy.is_none() {
    return Err(Error::err("syntax error, LIMIT cannot be used without specifying a trimming strategy"));
  }
  if !xadd && strategy.is_none() {
    return Err(Error::err("syntax error, XTRIM must be called with a trimming strategy"));
  }
  if ctx.session.obeys() {
    // The master's stream and the AOF carry trims rewritten as exact ones (see
    // `exact_trim_argv`), with their LIMIT: no limit applies to those.
    limit = 0;
  } else if limit_given {
    if !approx {
      return Err(Error::err("syntax error, LIMIT cannot be used without the special ~ option"));
    }
  } else if approx {
    limit = ctx.server.config.stream_node_max_entries.wrapping_mul(100);
    if limit <= 0 {
      limit = 10_000;
    }
    limit = limit.min(1_000_000);
  }
  options.trim = strategy.map(|strategy| Trim { strategy, approx, limit: limit as u64 });
  Ok(options)
}

/// For the write stream: the arguments with a `~` trim rewritten as the exact trim it did (see
/// the module comment).
pub(super) fn exact_trim_argv(argv: &[&[u8]], options: &Options, stream: &Stream) -> Vec<Vec<u8>> {
  let mut rewritten: Vec<Vec<u8>> = argv.iter().map(|arg| arg.to_vec()).collect();
  if let Some(trim) = options.trim.filter(|trim| trim.approx) {
    rewritten[options.trim_at - 1] = b"=".to_vec();
    rewritten[options.trim_at] = match trim.strategy {
      TrimStrategy::MaxLen(_) => i64_bytes(stream.len() as i64),
      TrimStrategy::MinId(_) => stream.first_entry_id().unwrap_or(StreamId::MAX).to_bytes(),
    };
  }
  rewritten
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: how many entries were removed.
pub fn xtrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let options = parse_options(ctx, argv, false)?;
  let Some(trim) = options.trim else { return Err(Error::Syntax) };
  let propagating = ctx.propagating();
  let (entry, out) = ctx.lookup_write(key);
  let Some(stream) = as_stream(entry)? else {
    out.int(0);
    return Ok(());
  };
  let removed = stream.trim(&trim);
  let rewritten = (propagating && removed > 0 && trim.approx).then(|| exact_trim_argv(argv, &options, stream));
  if removed > 0 {
    ctx.notify(notify::STREAM, "xtrim", key);
    if let Some(rewritten) = rewritten {
      ctx.propagate_as(rewritten);
    }
    ctx.modified(key);
    ctx.dirty(removed);
  }
  ctx.out.int(removed as i64);
  Ok(())
}
