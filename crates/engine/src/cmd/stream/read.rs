//! XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
//!
//! For each key, the entries after its ID: `$` stands for the stream's last ID (0-0 for a
//! missing key), so that only entries added from now on are read. The reply lists only the
//! streams that had something, as an array of `[key, entries]` pairs (a map in RESP3), or is a
//! null array when none had.
//!
//! Redis reads the options, then for each key in turn looks it up (WRONGTYPE stops there) and
//! reads its ID; then it looks every key up again to serve it. Both passes count keyspace hits
//! and misses, as in Redis. A stream serves when its last live entry is past the ID.
//!
//! With BLOCK (0: forever), a read that found nothing waits for the keys (see
//! `crate::blocking`). XADD makes its key ready, and the command is then run again; that run
//! serves only the key that became ready, and only if the stream's last ID (deleted entry or
//! not: in a transaction that added and deleted, the reply may hold no entries) is past the
//! one the wait began with, as Redis's blocked-client path does. `$` must mean the same on
//! every run, so the IDs resolved by the first run are kept in the wait
//! ([`Ctx::block_on_streams`]). A served wait replies with one stream only, and, without COUNT,
//! with at most 1000 entries. Inside MULTI or for an in-process caller, BLOCK answers at once as
//! if the time were up.

use super::{as_stream, strict_id, write_entries};
use crate::blocking::WaitEnd;
use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::cstr::until_nul;
use crate::error::{CmdResult, Error};
use crate::resp::write::Deferred;
use crate::resp::Reply;
use crate::session::Caller;
use crate::types::stream::StreamId;

/// How many entries a served wait gets at most without COUNT.
const BLOCKED_DEFAULT_COUNT: usize = 1000;

/// XREAD's options, and XREADGROUP's.
pub(super) struct ReadArgs<'s, 'a> {
  pub count: usize,
  /// The BLOCK timeout in milliseconds, if given.
  pub block: Option<i64>,
  /// XREADGROUP's GROUP: the group and consumer names.
  pub group: Option<(&'a [u8], &'a [u8])>,
  /// XREADGROUP's NOACK.
  pub noack: bool,
  pub keys: &'s [&'a [u8]],
  pub ids: &'s [&'a [u8]],
}

impl ReadArgs<'_, '_> {
  /// How many entries a wait that ended serves: COUNT, or Redis's default for a blocked read.
  pub(super) fn served_count(&self) -> usize {
    if self.count == 0 {
      BLOCKED_DEFAULT_COUNT
    } else {
      self.count
    }
  }
}

/// The reply of XREAD and XREADGROUP: the streams served, as a map over RESP3 or as an array of
/// `[key, entries]` pairs over RESP2, each stream's entries written by the caller after
/// [`StreamsReply::stream`]. Its length is written once every stream was looked at.
#[derive(Default)]
pub(super) struct StreamsReply {
  header: Option<Deferred>,
  served: usize,
}

impl StreamsReply {
  /// Starts the section of the stream at `key`.
  pub(super) fn stream(&mut self, out: &mut Reply, key: &[u8]) {
    if self.header.is_none() {
      self.header = Some(out.deferred());
    }
    self.served += 1;
    if !out.resp3 {
      out.array(2);
    }
    out.bulk(key);
  }

  /// Writes the reply's length; false (and nothing written) when no stream was served.
  pub(super) fn finish(self, out: &mut Reply) -> bool {
    let Some(header) = self.header else { return false };
    out.fill(header, if out.resp3 { b'%' } else { b'*' }, self.served);
    true
  }

  /// Starts a reply that serves the stream at `key` alone (a wait that ended).
  pub(super) fn single(out: &mut Reply, key: &[u8]) {
    if out.resp3 {
      out.map(1);
    } else {
      out.array(1);
      out.array(2);
    }
    out.bulk(key);
  }
}

/// Reads the options of XREAD, or of XREADGROUP when `with_group` (which accepts GROUP and
/// NOACK, where XREAD has its own errors for them). BLOCK is an error for a script's call.
pub(super) fn parse<'s, 'a>(
  argv: &'s [&'a [u8]],
  with_group: bool,
  from_script: bool,
) -> Result<ReadArgs<'s, 'a>, Error> {
  let mut count = 0;
  let mut block = None;
  let mut group = None;
  let mut noack = false;
  let mut args = Args::new(argv, 1);
  while let Some(option) = args.next() {
    let more = args.remaining();
    if is(option, "BLOCK") && more > 0 {
      if from_script {
        let name = String::from_utf8_lossy(argv[0]);
        return Err(Error::err(format!("{name} command is not allowed with BLOCK option from scripts")));
      }
      block = Some(timeout_arg(args.value()?)?);
    } else if is(option, "COUNT") && more > 0 {
      count = args.int()?.max(0) as usize;
    } else if is(option, "STREAMS") && more > 0 {
      if !more.is_multiple_of(2) {
        return Err(Error::err(
          "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
        ));
      }
      let streams = args.rest();
      let (keys, ids) = streams.split_at(streams.len() / 2);
      return Ok(ReadArgs { count, block, group, noack, keys, ids });
    } else if is(option, "GROUP") && more >= 2 {
      if !with_group {
        return Err(Error::err("The GROUP option is only supported by XREADGROUP. You called XREAD instead."));
      }
      group = Some((args.value()?, args.value()?));
    } else if is(option, "NOACK") {
      if !with_group {
        return Err(Error::err("The NOACK option is only supported by XREADGROUP. You called XREAD instead."));
      }
      noack = true;
    } else {
      return Err(Error::Syntax);
    }
  }
  Err(Error::Syntax)
}

/// BLOCK's timeout: whole milliseconds, not negative.
pub(super) fn timeout_arg(arg: &[u8]) -> Result<i64, Error> {
  let ms = int_arg(arg).map_err(|_| Error::err("timeout is not an integer or out of range"))?;
  if ms < 0 {
    return Err(Error::err("timeout is negative"));
  }
  Ok(ms)
}

pub fn xread(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let read = parse(argv, false, ctx.session.caller() == Caller::Script)?;
  if ctx.session.wait.is_some() {
    return serve_wait(ctx, &read);
  }
  // First pass: the keys' types and the IDs, `$` resolved.
  let mut after = Vec::with_capacity(read.keys.len());
  for (&key, &arg) in read.keys.iter().zip(read.ids) {
    let (entry, _) = ctx.lookup_read(key);
    let last_id = as_stream(entry)?.map(|stream| stream.last_id);
    let id = match until_nul(arg) {
      b"$" => last_id.unwrap_or(StreamId::MIN),
      b">" => {
        return Err(Error::err(
          "The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
        ))
      }
      _ => strict_id(arg)?,
    };
    after.push(id);
  }
  // Second pass: serve every stream that has entries past its ID.
  let mut reply = StreamsReply::default();
  for (&key, &id) in read.keys.iter().zip(&after) {
    let (entry, out) = ctx.lookup_read(key);
    let Some(stream) = as_stream(entry)? else { continue };
    if stream.last_live_id().is_none_or(|last| last <= id) {
      continue;
    }
    reply.stream(out, key);
    write_entries(out, stream.range(id.successor().unwrap_or(StreamId::MIN), StreamId::MAX), read.count);
  }
  if reply.finish(ctx.out) {
    return Ok(());
  }
  match read.block {
    Some(timeout) => ctx.block_on_streams(read.keys, &after, timeout, |out| out.null_array()),
    None => {
      ctx.out.null_array();
      Ok(())
    }
  }
}

/// A re-run of a blocked XREAD: serves the key that became ready if its stream went past the
/// ID the wait began with, or keeps waiting; after a timeout or CLIENT UNBLOCK, answers as
/// [`Ctx::block_on`] does.
fn serve_wait(ctx: &mut Ctx, read: &ReadArgs) -> CmdResult {
  let timeout = read.block.unwrap_or(0);
  let Some(wait) = ctx.session.wait.as_ref().filter(|wait| wait.end == WaitEnd::Waiting) else {
    return ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array());
  };
  let ready = wait.ready_key.as_deref().and_then(|ready| read.keys.iter().position(|key| *key == ready));
  let Some((at, id)) = ready.and_then(|at| Some((at, *wait.stream_ids.get(at)?))) else {
    return ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array());
  };
  let key = read.keys[at];
  let count = read.served_count();
  let (entry, out) = ctx.lookup_write(key);
  if let Ok(Some(stream)) = as_stream(entry) {
    if stream.last_id > id {
      StreamsReply::single(out, key);
      write_entries(out, stream.range(id.successor().unwrap_or(StreamId::MIN), StreamId::MAX), count);
      return Ok(());
    }
  }
  ctx.block_on_streams(read.keys, &[], timeout, |out| out.null_array())
}
