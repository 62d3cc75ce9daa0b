//! The embedded API's command batches: decodes the request encoding written by the TypeScript
//! store and runs each command through the engine, collecting the RESP replies.
//!
//! Request layout (u32 little-endian integers): a header with the session slot and the byte
//! length of what follows; then, per command, the argument count, then per argument its byte
//! length and its bytes. Replies are RESP, one per command, back to back; the TypeScript side
//! decodes them.
//!
//! A command the engine hands over to the host (one that needs a server, such as MIGRATE) ends
//! the run there: the store answers it, then has the rest of the batch run from where it
//! stopped.

use napi::bindgen_prelude::*;
use redwing_engine::{Engine, Pending};

fn u32_at(input: &[u8], at: usize) -> Result<usize> {
  input
    .get(at..at + 4)
    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    .ok_or_else(|| Error::from_reason("truncated command batch"))
}

/// Commands with at most this many arguments are run without allocating an argv.
const STACK_ARGS: usize = 16;

/// A command handed over to the host, and where the batch goes on once it is answered.
pub struct HostCall {
  pub pending: Pending,
  /// The offset of the next command in the request's commands.
  pub resume_at: usize,
}

/// Runs the commands in `request` from offset `from` of its commands, until one is handed over
/// to the host; returns their replies in `replies` (cleared first), and the command handed
/// over, if one was.
pub fn run(
  engine: &mut Engine,
  request: &[u8],
  mut replies: Vec<u8>,
  from: usize,
) -> Result<(Vec<u8>, Option<HostCall>)> {
  replies.clear();
  let slot = u32_at(request, 0)? as u32;
  let length = u32_at(request, 4)?;
  let input = request.get(8..8 + length).ok_or_else(|| Error::from_reason("request length out of range"))?;
  let mut at = from;
  let mut stack: [&[u8]; STACK_ARGS] = [&[]; STACK_ARGS];
  let mut heap: Vec<&[u8]> = Vec::new();
  while at < input.len() {
    let argc = u32_at(input, at)?;
    at += 4;
    if argc == 0 {
      return Err(Error::from_reason("a command needs at least its name"));
    }
    heap.clear();
    let on_stack = argc <= STACK_ARGS;
    let mut stacked = 0;
    for _ in 0..argc {
      let len = u32_at(input, at)?;
      let arg = input.get(at + 4..at + 4 + len).ok_or_else(|| Error::from_reason("truncated command batch"))?;
      if on_stack {
        stack[stacked] = arg;
        stacked += 1;
      } else {
        heap.push(arg);
      }
      at += 4 + len;
    }
    let argv = if argc <= STACK_ARGS { &stack[..argc] } else { &heap[..] };
    let output = engine.call_into(slot, argv, std::mem::take(&mut replies));
    replies = output.reply;
    if output.close {
      return Err(Error::from_reason("the store is closed"));
    }
    if let Some(pending) = output.pending {
      return Ok((replies, Some(HostCall { pending, resume_at: at })));
    }
  }
  Ok((replies, None))
}
