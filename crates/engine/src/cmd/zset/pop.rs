//! Popping members by score: ZPOPMIN, ZPOPMAX, ZMPOP, and the blocking BZPOPMIN, BZPOPMAX and
//! BZMPOP (Redis's `genericZpopCommand` and `blockingGenericZpopCommand`).
//!
//! Reply shapes follow Redis 7.0: ZPOPMIN/ZPOPMAX answer a flat `[member, score, ...]` array,
//! nested `[[member, score], ...]` in RESP3 when COUNT is given; BZPOPMIN/BZPOPMAX answer
//! `[key, member, score]`; ZMPOP/BZMPOP answer `[key, [[member, score], ...]]`, or a null array
//! when every key is empty. Scores are doubles in RESP3.
//!
//! The blocking forms parse everything, then serve like their twins when a key holds a sorted
//! set; otherwise they wait through [`Ctx::block_on`] (see `crate::blocking`), and answer a
//! null array when the wait times out. When the command is run again for a waiting session, a
//! key that now holds another type is skipped (Redis only wakes sorted-set waiters for sorted
//! sets), where the first run answers WRONGTYPE.
//!
//! A pop reports one `zpopmin`/`zpopmax` event, then `del` if it emptied the key, and one change
//! per member. Redis sends that event in the middle of the reply, right after its array header
//! (and the key): a RESP3 client subscribed to its own events sees it there too. ZPOPMIN and
//! ZPOPMAX are propagated as called; the others as the ZPOPMIN or ZPOPMAX they amount to:
//! `ZPOPMIN key` for BZPOPMIN, `ZPOPMIN key n` (n members popped) for ZMPOP and BZMPOP, whether
//! served at once or after blocking.

use super::args::ranged_int;
use super::{reply_score, write_zset};
use crate::blocking::WaitEnd;
use crate::cmd::args::Args;
use crate::cmd::list::timeout_arg;
use crate::cmd::{is, Ctx};
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::value::Value;

/// ZPOPMIN key [count]
pub fn zpopmin(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  pop_command(ctx, argv, false)
}

/// ZPOPMAX key [count]
pub fn zpopmax(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  pop_command(ctx, argv, true)
}

fn pop_command(ctx: &mut Ctx, argv: &[&[u8]], max: bool) -> CmdResult {
  if argv.len() > 3 {
    return Err(Error::Syntax);
  }
  let count = match argv.get(2) {
    Some(arg) => Some(ranged_int(arg, 0, i64::MAX, "value is out of range, must be positive")?),
    None => None,
  };
  let nested = ctx.out.resp3 && count.is_some();
  let key = argv[1];
  let (zset, out) = write_zset(ctx, key)?;
  let Some(zset) = zset else {
    out.array(0);
    return Ok(());
  };
  if count == Some(0) {
    out.array(0);
    return Ok(());
  }
  let popped = (count.unwrap_or(1) as u64).min(zset.len() as u64) as usize;
  out.array(if nested { popped } else { popped * 2 });
  let event_at = out.buf.len();
  for (member, score) in (0..popped).map_while(|_| zset.pop(max)) {
    if nested {
      out.array(2);
    }
    out.bulk(&member);
    reply_score(out, score);
  }
  let emptied = zset.is_empty();
  members_popped(ctx, key, max, popped, emptied, event_at);
  Ok(())
}

/// Reports `count` members popped from the sorted set at `key` (deleting the key when it
/// `emptied`). The pop event goes at `event_at` in the reply, where Redis sends it.
fn members_popped(ctx: &mut Ctx, key: &[u8], max: bool, count: usize, emptied: bool, event_at: usize) {
  ctx.notify_at(event_at, notify::ZSET, if max { "zpopmax" } else { "zpopmin" }, key);
  ctx.modified(key);
  ctx.dirty(count as u64);
  if emptied {
    ctx.db().remove(key);
    ctx.notify(notify::GENERIC, "del", key);
  }
}

/// The ZPOPMIN or ZPOPMAX command that pops from `key` (with a count, if any), as the write
/// stream records the other pops.
fn pop_argv(key: &[u8], max: bool, count: Option<usize>) -> Vec<Vec<u8>> {
  let name: &[u8] = if max { b"ZPOPMAX" } else { b"ZPOPMIN" };
  let mut argv = vec![name.to_vec(), key.to_vec()];
  if let Some(count) = count {
    argv.push(count.to_string().into_bytes());
  }
  argv
}

/// What ZMPOP and BZMPOP pop: from which keys, which end, how many.
struct MultiPop<'a> {
  keys: &'a [&'a [u8]],
  max: bool,
  count: usize,
}

/// Parses `numkeys key [key ...] MIN|MAX [COUNT count]` starting at `argv[numkeys_index]`.
fn parse_multi_pop<'a>(argv: &'a [&'a [u8]], numkeys_index: usize) -> Result<MultiPop<'a>, Error> {
  let numkeys = ranged_int(argv[numkeys_index], 1, i64::MAX, "numkeys should be greater than 0")?;
  let mut args = Args::new(argv, numkeys_index + 1);
  let keys = usize::try_from(numkeys).ok().and_then(|numkeys| args.next_n(numkeys)).ok_or(Error::Syntax)?;
  let end = args.value()?;
  let max = if is(end, "min") {
    false
  } else if is(end, "max") {
    true
  } else {
    return Err(Error::Syntax);
  };
  let mut count = None;
  while let Some(option) = args.next() {
    if count.is_some() || !is(option, "count") {
      return Err(Error::Syntax);
    }
    count = Some(ranged_int(args.value()?, 1, i64::MAX, "count should be greater than 0")? as u64);
  }
  let count = count.unwrap_or(1).min(usize::MAX as u64) as usize;
  Ok(MultiPop { keys, max, count })
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub fn zmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let pop = parse_multi_pop(argv, 1)?;
  if !multi_pop(ctx, &pop, false)? {
    ctx.out.null_array();
  }
  Ok(())
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: ZMPOP that waits for one of
/// the keys. The timeout is checked after the other arguments, as in Redis.
pub fn bzmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let parsed = parse_multi_pop(argv, 2)?;
  let keys = ctx.ready_first(parsed.keys);
  let pop = MultiPop { keys: &keys, ..parsed };
  let timeout = timeout_arg(argv[1])?;
  if !wait_ended(ctx) {
    let waiting = ctx.session.wait.is_some();
    if multi_pop(ctx, &pop, waiting)? {
      return Ok(());
    }
  }
  ctx.block_on(pop.keys, timeout, |out| out.null_array())
}

/// BZPOPMIN key [key ...] timeout
pub fn bzpopmin(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  blocking_pop(ctx, argv, false)
}

/// BZPOPMAX key [key ...] timeout
pub fn bzpopmax(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  blocking_pop(ctx, argv, true)
}

/// Pops one member from the first sorted set among the keys, replying `[key, member, score]`,
/// or waits.
fn blocking_pop(ctx: &mut Ctx, argv: &[&[u8]], max: bool) -> CmdResult {
  let timeout = timeout_arg(argv[argv.len() - 1])?;
  let keys = ctx.ready_first(&argv[1..argv.len() - 1]);
  if !wait_ended(ctx) {
    let waiting = ctx.session.wait.is_some();
    if let Some(key) = first_zset(ctx, &keys, waiting)? {
      let (zset, out) = write_zset(ctx, key)?;
      if let Some(zset) = zset {
        if let Some((member, score)) = zset.pop(max) {
          out.array(3);
          out.bulk(key);
          let event_at = out.buf.len();
          out.bulk(&member);
          reply_score(out, score);
          let emptied = zset.is_empty();
          members_popped(ctx, key, max, 1, emptied, event_at);
          if ctx.propagating() {
            ctx.propagate_as(pop_argv(key, max, None));
          }
        }
      }
      return Ok(());
    }
  }
  ctx.block_on(&keys, timeout, |out| out.null_array())
}

/// Pops from the first key holding a sorted set, replying `[key, [[member, score], ...]]`.
/// Returns false (writing nothing) when there is none.
fn multi_pop(ctx: &mut Ctx, pop: &MultiPop, skip_other_types: bool) -> Result<bool, Error> {
  let Some(key) = first_zset(ctx, pop.keys, skip_other_types)? else {
    return Ok(false);
  };
  let (zset, out) = write_zset(ctx, key)?;
  let Some(zset) = zset else { return Ok(false) };
  let popped = pop.count.min(zset.len());
  out.array(2);
  out.bulk(key);
  out.array(popped);
  let event_at = out.buf.len();
  for (member, score) in (0..popped).map_while(|_| zset.pop(pop.max)) {
    out.array(2);
    out.bulk(&member);
    reply_score(out, score);
  }
  let emptied = zset.is_empty();
  members_popped(ctx, key, pop.max, popped, emptied, event_at);
  if ctx.propagating() {
    ctx.propagate_as(pop_argv(key, pop.max, Some(popped)));
  }
  Ok(true)
}

/// The first of `keys` that exists: it must hold a sorted set (WRONGTYPE otherwise, unless
/// `skip_other_types`, when such keys are passed over).
fn first_zset<'k>(ctx: &mut Ctx, keys: &[&'k [u8]], skip_other_types: bool) -> Result<Option<&'k [u8]>, Error> {
  for &key in keys {
    let (entry, _) = ctx.lookup_write(key);
    match entry {
      None => {}
      Some(entry) if matches!(entry.value, Value::ZSet(_)) => return Ok(Some(key)),
      Some(_) if skip_other_types => {}
      Some(_) => return Err(Error::WrongType),
    }
  }
  Ok(None)
}

/// Whether this run follows the end of a wait (timeout or CLIENT UNBLOCK): the command then
/// only writes its timeout reply or error, through `block_on`.
fn wait_ended(ctx: &Ctx) -> bool {
  ctx.session.wait.as_ref().is_some_and(|wait| wait.end != WaitEnd::Waiting)
}
