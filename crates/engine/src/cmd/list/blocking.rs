//! BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH: the list pops that wait for data.
//!
//! Each one parses and validates all its arguments, then serves exactly like its non-blocking
//! twin when one of its keys holds a list. Otherwise it calls [`Ctx::block_on`]: the engine
//! parks the session and runs the whole command again once one of the keys is created, in the
//! order the sessions blocked, or once the timeout passes (then `block_on`
//! writes the timeout reply: a null array, for BLMOVE and BRPOPLPUSH too, as Redis 7.0 does).
//! See `crate::blocking`.
//!
//! Two details follow Redis 7.0. A waiter is served only from lists: when a key it waits on
//! now holds another type, the re-run skips that key (and keeps waiting if nothing else can be
//! served) instead of failing with WRONGTYPE as the first run does. And the timeout is read as
//! a C `long double` number of seconds, multiplied by 1000 and rounded up to milliseconds, so
//! tiny values wait 1 ms, and tiny negative ones mean "forever" (0) exactly when Redis says so.
//!
//! The write stream records a served command as its non-blocking form, so that replaying it
//! never blocks: BLPOP/BRPOP as `LPOP|RPOP key`, BLMPOP as `LPOP|RPOP key n`, BLMOVE as
//! LMOVE and BRPOPLPUSH as RPOPLPUSH. Redis serves a waiter outside any command, and then
//! reports a BLPOP, BRPOP, BLMOVE or BRPOPLPUSH without counting a change or marking the
//! source modified (the write that woke the waiter did both); a re-run here does the same and
//! forces the propagation instead. BLMPOP is reported like LMPOP either way, as in Redis.

use super::lmove::move_element;
use super::pop::{multi_pop, parse_multi_pop};
use super::{as_list, elements_removed, end_arg, first_nonempty, End};
use crate::blocking::WaitEnd;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::{CmdResult, Error};
use crate::long_double::LongDouble;

/// BLPOP key [key ...] timeout: `[key, element]` from the head of the first non-empty list.
pub fn blpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  blocking_pop(ctx, argv, End::Left)
}

/// BRPOP key [key ...] timeout: `[key, element]` from the tail of the first non-empty list.
pub fn brpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  blocking_pop(ctx, argv, End::Right)
}

fn blocking_pop(ctx: &mut Ctx, argv: &[&[u8]], end: End) -> CmdResult {
  let timeout = timeout_arg(argv[argv.len() - 1])?;
  let keys = ctx.ready_first(&argv[1..argv.len() - 1]);
  if !wait_ended(ctx) {
    let waiting = ctx.session.wait.is_some();
    if let Some(key) = first_nonempty(ctx, &keys, waiting)? {
      let (entry, out) = ctx.lookup_write(key);
      if let Some(list) = as_list(entry)? {
        if let Some(item) = end.pop(list) {
          out.array(2);
          out.bulk(key);
          out.bulk(&item);
        }
        let emptied = list.is_empty();
        if waiting {
          ctx.notify(notify::LIST, end.pop_event(), key);
          if emptied {
            ctx.db().remove(key);
            ctx.notify(notify::GENERIC, "del", key);
          }
          ctx.force_propagation();
        } else {
          elements_removed(ctx, key, end, 1, emptied);
        }
        if ctx.propagating() {
          ctx.propagate_as(vec![end.pop_command().to_vec(), key.to_vec()]);
        }
      }
      return Ok(());
    }
  }
  ctx.block_on(&keys, timeout, |out| out.null_array())
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: like LMPOP, waiting for
/// one of the lists. The timeout is checked after the other arguments, as in Redis.
pub fn blmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut pop = parse_multi_pop(argv, 2)?;
  pop.keys = ctx.ready_first(&pop.keys);
  let timeout = timeout_arg(argv[1])?;
  if !wait_ended(ctx) {
    let waiting = ctx.session.wait.is_some();
    if multi_pop(ctx, &pop, waiting)? {
      return Ok(());
    }
  }
  ctx.block_on(&pop.keys, timeout, |out| out.null_array())
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout: like LMOVE, waiting for the
/// source list.
pub fn blmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let from = end_arg(argv[3])?;
  let to = end_arg(argv[4])?;
  let timeout = timeout_arg(argv[5])?;
  blocking_move(ctx, argv[1], argv[2], (from, to), Some([argv[3], argv[4]]), timeout)
}

/// BRPOPLPUSH source destination timeout: BLMOVE source destination RIGHT LEFT timeout.
pub fn brpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let timeout = timeout_arg(argv[3])?;
  blocking_move(ctx, argv[1], argv[2], (End::Right, End::Left), None, timeout)
}

/// Moves an element if the source holds a list; otherwise waits for it. The destination's
/// type is checked only once there is something to move (WRONGTYPE then ends the wait).
///
/// `names` are BLMOVE's LEFT|RIGHT arguments (`None` for BRPOPLPUSH). A move served at once
/// is propagated as LMOVE with them as given; one served after blocking with Redis's own
/// lowercase `left`/`right`.
fn blocking_move(
  ctx: &mut Ctx,
  src: &[u8],
  dst: &[u8],
  (from, to): (End, End),
  names: Option<[&[u8]; 2]>,
  timeout: i64,
) -> CmdResult {
  if !wait_ended(ctx) {
    let waiting = ctx.session.wait.is_some();
    if first_nonempty(ctx, &[src], waiting)?.is_some() && move_element(ctx, src, dst, from, to, !waiting)? {
      if waiting {
        ctx.force_propagation();
      }
      if ctx.propagating() {
        let rewritten = match names {
          None => vec![b"RPOPLPUSH".to_vec(), src.to_vec(), dst.to_vec()],
          Some(names) => {
            let [from_name, to_name] = if waiting { [from.name(), to.name()] } else { names };
            vec![b"LMOVE".to_vec(), src.to_vec(), dst.to_vec(), from_name.to_vec(), to_name.to_vec()]
          }
        };
        ctx.propagate_as(rewritten);
      }
      return Ok(());
    }
  }
  // Redis 7.0 answers a wait that timed out (or CLIENT UNBLOCK … TIMEOUT) with a null array,
  // but a BLMOVE that may not block at all with a null.
  let timed_out = ctx.session.wait.is_some();
  ctx.block_on(&[src], timeout, |out| if timed_out { out.null_array() } else { out.null() })
}

/// Whether this run follows the end of a wait (timeout or CLIENT UNBLOCK): the command then
/// only writes its timeout reply or error, through `block_on`.
fn wait_ended(ctx: &Ctx) -> bool {
  ctx.session.wait.as_ref().is_some_and(|wait| wait.end != WaitEnd::Waiting)
}

/// A blocking command's timeout in milliseconds (0: wait forever), read from seconds as
/// Redis 7.0's `getTimeoutFromObjectOrReply` does: `strtold`, then
/// `(long long) ceill(s * 1000.0)`.
pub fn timeout_arg(arg: &[u8]) -> Result<i64, Error> {
  let seconds = LongDouble::parse(arg).ok_or_else(|| Error::err("timeout is not a float or out of range"))?;
  let ms = to_milliseconds(seconds);
  if ms < 0 {
    return Err(Error::err("timeout is negative"));
  }
  Ok(ms)
}

/// `(long long) ceill(seconds * 1000.0)` on x86-64: the product rounded to a 64-bit
/// significand (ties to even), then rounded up to a whole number. Values outside the `i64`
/// range, infinities included, convert to `i64::MIN` (the x87 "integer indefinite").
fn to_milliseconds(seconds: LongDouble) -> i64 {
  let LongDouble::Finite { negative, mantissa, exponent } = seconds else {
    return i64::MIN;
  };
  let product = mantissa as u128 * 1000;
  let mut significand = product;
  let mut exponent = exponent as i64;
  let bits = 128 - product.leading_zeros();
  if bits > 64 {
    let dropped = bits - 64;
    let kept = product >> dropped;
    let rest = product & ((1u128 << dropped) - 1);
    let half = 1u128 << (dropped - 1);
    let round_up = rest > half || (rest == half && kept & 1 == 1);
    significand = kept + round_up as u128;
    exponent += dropped as i64;
  }
  // The magnitude's integer part, and whether a fraction was cut off.
  let (whole, fraction) = if exponent >= 0 {
    if significand != 0 && exponent > 63 {
      return i64::MIN;
    }
    (significand << exponent, false)
  } else if exponent <= -128 {
    (0, significand != 0)
  } else {
    let shift = -exponent;
    (significand >> shift, significand & ((1u128 << shift) - 1) != 0)
  };
  // Rounding up moves a positive value with a fraction to the next integer; a negative one
  // just loses its fraction.
  let whole = whole + (fraction && !negative) as u128;
  if whole > i64::MAX as u128 {
    return i64::MIN;
  }
  if negative {
    -(whole as i64)
  } else {
    whole as i64
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn timeouts_truncate_like_long_double() {
    let ms = |text: &str| timeout_arg(text.as_bytes());
    assert_eq!(ms("0"), Ok(0));
    assert_eq!(ms("1"), Ok(1000));
    assert_eq!(ms("0.01"), Ok(10));
    assert_eq!(ms("0.0009"), Ok(1));
    assert_eq!(ms("0.0000000001"), Ok(1));
    assert_eq!(ms("-0.0009"), Ok(0));
    assert_eq!(ms("1.5"), Ok(1500));
    assert_eq!(ms("0x10"), Ok(16000));
    assert_eq!(ms("-0"), Ok(0));
    // In long double, -0.001 × 1000 is slightly above -1: 0 ms, not negative.
    assert_eq!(ms("-0.001"), Ok(0));
    assert_eq!(ms("-0.0011"), Err(Error::err("timeout is negative")));
    assert_eq!(ms("1e15"), Ok(1_000_000_000_000_000_000));
    assert_eq!(ms("1e16"), Err(Error::err("timeout is negative")));
    assert_eq!(ms("inf"), Err(Error::err("timeout is negative")));
    assert_eq!(ms("nan"), Err(Error::err("timeout is not a float or out of range")));
    assert_eq!(ms(" 1"), Err(Error::err("timeout is not a float or out of range")));
  }
}
