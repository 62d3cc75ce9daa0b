//! Independent random draws for HRANDFIELD, SRANDMEMBER and ZRANDMEMBER with a negative count.
//!
//! A negative count asks for that many draws with repeats, up to 2^63 of them. Redis writes them
//! until the client's output buffer limit closes the connection; here the reply is built until it
//! passes the same limit (the `normal` class's hard limit, or 1 GiB when it has none), then it is
//! dropped and the caller closes the connection, so no count can exhaust the server's memory.

use crate::config::Config;
use crate::resp::Reply;

/// Largest reply the draws may build when the `normal` class has no hard limit.
const UNLIMITED_REPLY_CAP: u64 = 1 << 30;

/// The largest reply draws may build under `config`.
pub fn reply_cap(config: &Config) -> u64 {
  let hard_limit = config.client_output_buffer_limits[0].hard;
  if hard_limit > 0 {
    hard_limit
  } else {
    UNLIMITED_REPLY_CAP
  }
}

/// Calls `draw` up to `count` times, each writing one draw. `start` is where the caller began
/// the reply (before its header). If the reply outgrows `cap`, it is removed and `false` is
/// returned: the caller then closes the connection (`Session::close_after_reply`).
#[must_use]
pub fn write_draws(out: &mut Reply, cap: u64, start: usize, count: u64, mut draw: impl FnMut(&mut Reply)) -> bool {
  for _ in 0..count {
    draw(out);
    if (out.buf.len() - start) as u64 > cap {
      out.buf.truncate(start);
      return false;
    }
  }
  true
}
