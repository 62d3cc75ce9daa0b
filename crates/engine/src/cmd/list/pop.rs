//! LPOP, RPOP and LMPOP: removing elements from either end of a list.
//!
//! LPOP/RPOP without a count reply with one element (null when the key is missing); with a
//! count they reply with an array of up to that many elements (a null array when the key is
//! missing, an empty array for a count of 0). LMPOP pops from the first non-empty list among
//! its keys and names that key in its reply. The argument parsing of LMPOP is shared with
//! BLMPOP (`blocking.rs`).
//!
//! LPOP and RPOP go to the write stream as they were called; LMPOP (and BLMPOP) as the LPOP or
//! RPOP with the number of elements actually popped, which names the key it popped from.

use super::{as_list, elements_removed, end_arg, first_nonempty, keyword, pop_reply_array, End};
use crate::cmd::args::Args;
use crate::cmd::{int_arg, Ctx};
use crate::error::{CmdResult, Error};

/// LPOP key [count]
pub fn lpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  pop(ctx, argv, End::Left)
}

/// RPOP key [count]
pub fn rpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  pop(ctx, argv, End::Right)
}

/// LPOP and RPOP: the count is validated before the key is looked up.
fn pop(ctx: &mut Ctx, argv: &[&[u8]], end: End) -> CmdResult {
  if argv.len() > 3 {
    return Err(crate::cmd::arity_error(if end == End::Left { "lpop" } else { "rpop" }));
  }
  let key = argv[1];
  let count = match argv.get(2) {
    Some(arg) => Some(positive_arg(arg, "value is out of range, must be positive")?),
    None => None,
  };
  let (entry, out) = ctx.lookup_write(key);
  let Some(list) = as_list(entry)? else {
    if count.is_some() {
      out.null_array();
    } else {
      out.null();
    }
    return Ok(());
  };
  match count {
    None => {
      if let Some(item) = end.pop(list) {
        out.bulk(&item);
      }
      let emptied = list.is_empty();
      elements_removed(ctx, key, end, 1, emptied);
    }
    Some(0) => out.array(0),
    Some(count) => {
      pop_reply_array(ctx, key, end, count);
    }
  }
  Ok(())
}

/// An integer argument that must be 0 or more, with `message` as the error for anything else
/// (Redis's `getPositiveLongFromObjectOrReply` with a message).
pub(super) fn positive_arg(arg: &[u8], message: &'static str) -> Result<usize, Error> {
  match int_arg(arg) {
    Ok(n) if n >= 0 => Ok(n as usize),
    _ => Err(Error::err(message)),
  }
}

/// The arguments of LMPOP and BLMPOP after the numkeys position.
pub(super) struct MultiPop<'a> {
  pub keys: Vec<&'a [u8]>,
  pub end: End,
  pub count: usize,
}

/// Parses `numkeys key [key ...] LEFT|RIGHT [COUNT count]` starting at `argv[at]`, in Redis's
/// order: numkeys, then the end, then COUNT (which may appear once).
pub(super) fn parse_multi_pop<'a>(argv: &[&'a [u8]], at: usize) -> Result<MultiPop<'a>, Error> {
  let numkeys = match int_arg(argv[at]) {
    Ok(n) if n > 0 => n as usize,
    _ => return Err(Error::err("numkeys should be greater than 0")),
  };
  let mut args = Args::new(argv, at + 1);
  let keys = args.next_n(numkeys).ok_or(Error::Syntax)?;
  let end = end_arg(args.value()?)?;
  let mut count = None;
  while let Some(option) = args.next() {
    if count.is_some() || !keyword(option, "COUNT") {
      return Err(Error::Syntax);
    }
    match int_arg(args.value()?) {
      Ok(n) if n > 0 => count = Some(n as usize),
      _ => return Err(Error::err("count should be greater than 0")),
    }
  }
  Ok(MultiPop { keys: keys.to_vec(), end, count: count.unwrap_or(1) })
}

/// Pops for LMPOP/BLMPOP from the first non-empty list among `keys`, replying
/// `[key, [elements]]`, and has the write stream record it as `LPOP|RPOP key n`. Returns false
/// (replying nothing) when every list is empty.
pub(super) fn multi_pop(ctx: &mut Ctx, pop: &MultiPop, skip_other_types: bool) -> Result<bool, Error> {
  let Some(key) = first_nonempty(ctx, &pop.keys, skip_other_types)? else {
    return Ok(false);
  };
  ctx.out.array(2);
  ctx.out.bulk(key);
  let popped = pop_reply_array(ctx, key, pop.end, pop.count);
  if ctx.propagating() {
    ctx.propagate_as(vec![pop.end.pop_command().to_vec(), key.to_vec(), popped.to_string().into_bytes()]);
  }
  Ok(true)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: `[key, [elements]]` from the first
/// non-empty list, or a null array.
pub fn lmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let pop = parse_multi_pop(argv, 1)?;
  if !multi_pop(ctx, &pop, false)? {
    ctx.out.null_array();
  }
  Ok(())
}
