//! Pub/Sub commands: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
//! PUBLISH, SPUBLISH and PUBSUB (CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB, HELP).
//!
//! Each (un)subscription is confirmed with its own push `[kind, channel, count]`, where the
//! count is the session's channels plus patterns (shard channels for the shard commands); an
//! UNSUBSCRIBE with nothing to leave still confirms once, with a null channel. A session with
//! any subscription is in subscribed mode: over RESP2 it may then only run the commands
//! `cmd::dispatch` lets through (see `allowed_while_subscribed`), over RESP3 anything. The
//! registry and the delivery of messages live in `crate::pubsub`.

use super::Ctx;
use crate::error::{CmdResult, Error};
use crate::pubsub::{self, Kind};
use crate::session::Caller;

/// The commands a RESP2 session in subscribed mode may still run.
pub fn allowed_while_subscribed(name: &str) -> bool {
  matches!(
    name,
    "ping"
      | "subscribe"
      | "ssubscribe"
      | "unsubscribe"
      | "sunsubscribe"
      | "psubscribe"
      | "punsubscribe"
      | "quit"
      | "reset"
  )
}

/// Refuses subscriptions from a caller that cannot receive pushes (the embedded store's
/// synchronous calls), as Redis does for a DENY BLOCKING client; for backward compatibility
/// Redis lets a transaction subscribe.
fn check_can_subscribe(ctx: &Ctx, command: &str) -> CmdResult {
  if ctx.session.deny_blocking() && ctx.session.caller() != Caller::Transaction {
    return Err(Error::err(format!("{command} isn't allowed for a DENY BLOCKING client")));
  }
  Ok(())
}

/// Writes a `[kind, channel-or-null, count]` confirmation.
fn confirm(ctx: &mut Ctx, kind: &[u8], channel: Option<&[u8]>, count: usize) {
  ctx.push_to_self(|out| {
    out.push(3);
    out.bulk(kind);
    match channel {
      Some(channel) => out.bulk(channel),
      None => out.null(),
    }
    out.int(count as i64);
  });
}

/// SUBSCRIBE channel [channel ...]
pub fn subscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  check_can_subscribe(ctx, "SUBSCRIBE")?;
  subscribe_channels(ctx, &argv[1..], Kind::Global);
  Ok(())
}

/// SSUBSCRIBE shardchannel [shardchannel ...]
pub fn ssubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  // Unlike SUBSCRIBE, SSUBSCRIBE makes no exception for a transaction.
  if ctx.session.deny_blocking() {
    return Err(Error::err("SSUBSCRIBE isn't allowed for a DENY BLOCKING client"));
  }
  subscribe_channels(ctx, &argv[1..], Kind::Shard);
  Ok(())
}

fn subscribe_channels(ctx: &mut Ctx, channels: &[&[u8]], kind: Kind) {
  let name: &[u8] = if kind == Kind::Global { b"subscribe" } else { b"ssubscribe" };
  for channel in channels {
    ctx.server.pubsub.subscribe(&mut ctx.session.subscriptions, ctx.slot, kind, channel);
    let count = ctx.session.subscriptions.count_for(kind);
    confirm(ctx, name, Some(channel), count);
  }
}

/// UNSUBSCRIBE [channel ...]
pub fn unsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  unsubscribe_channels(ctx, &argv[1..], Kind::Global);
  Ok(())
}

/// SUNSUBSCRIBE [shardchannel ...]
pub fn sunsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  unsubscribe_channels(ctx, &argv[1..], Kind::Shard);
  Ok(())
}

/// Leaves `channels`, or every channel of `kind` when none is named.
fn unsubscribe_channels(ctx: &mut Ctx, channels: &[&[u8]], kind: Kind) {
  let name: &[u8] = if kind == Kind::Global { b"unsubscribe" } else { b"sunsubscribe" };
  let all: Vec<Vec<u8>>;
  let channels: Vec<&[u8]> = if channels.is_empty() {
    let subscriptions = &ctx.session.subscriptions;
    all = match kind {
      Kind::Global => subscriptions.channels.iter().cloned().collect(),
      Kind::Shard => subscriptions.shard_channels.iter().cloned().collect(),
    };
    if all.is_empty() {
      let count = ctx.session.subscriptions.count_for(kind);
      confirm(ctx, name, None, count);
      return;
    }
    all.iter().map(Vec::as_slice).collect()
  } else {
    channels.to_vec()
  };
  for channel in channels {
    ctx.server.pubsub.unsubscribe(&mut ctx.session.subscriptions, ctx.slot, kind, channel);
    let count = ctx.session.subscriptions.count_for(kind);
    confirm(ctx, name, Some(channel), count);
  }
}

/// PSUBSCRIBE pattern [pattern ...]
pub fn psubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  check_can_subscribe(ctx, "PSUBSCRIBE")?;
  for pattern in &argv[1..] {
    ctx.server.pubsub.psubscribe(&mut ctx.session.subscriptions, ctx.slot, pattern);
    let count = ctx.session.subscriptions.count();
    confirm(ctx, b"psubscribe", Some(pattern), count);
  }
  Ok(())
}

/// PUNSUBSCRIBE [pattern ...]
pub fn punsubscribe(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let all: Vec<Vec<u8>> = if argv.len() == 1 { ctx.session.subscriptions.patterns.clone() } else { Vec::new() };
  let patterns: Vec<&[u8]> = if argv.len() == 1 { all.iter().map(Vec::as_slice).collect() } else { argv[1..].to_vec() };
  if patterns.is_empty() {
    let count = ctx.session.subscriptions.count();
    confirm(ctx, b"punsubscribe", None, count);
  }
  for pattern in patterns {
    ctx.server.pubsub.punsubscribe(&mut ctx.session.subscriptions, ctx.slot, pattern);
    let count = ctx.session.subscriptions.count();
    confirm(ctx, b"punsubscribe", Some(pattern), count);
  }
  Ok(())
}

/// PUBLISH channel message: the number of sessions that received it.
pub fn publish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let receivers = pubsub::publish(ctx, Kind::Global, argv[1], argv[2]);
  ctx.force_propagation();
  ctx.out.int(receivers as i64);
  Ok(())
}

/// SPUBLISH shardchannel message: the number of sessions that received it.
pub fn spublish(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let receivers = pubsub::publish(ctx, Kind::Shard, argv[1], argv[2]);
  ctx.force_propagation();
  ctx.out.int(receivers as i64);
  Ok(())
}

/// PUBSUB CHANNELS [pattern]
pub fn pubsub_channels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  channel_list(ctx, argv, Kind::Global)
}

/// PUBSUB SHARDCHANNELS [pattern]
pub fn pubsub_shardchannels(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  channel_list(ctx, argv, Kind::Shard)
}

fn channel_list(ctx: &mut Ctx, argv: &[&[u8]], kind: Kind) -> CmdResult {
  if argv.len() > 3 {
    return Err(super::server::subcommand_error(argv));
  }
  let names = ctx.server.pubsub.channel_names(kind, argv.get(2).copied());
  ctx.out.array(names.len());
  for name in names {
    ctx.out.bulk(name);
  }
  Ok(())
}

/// PUBSUB NUMSUB [channel ...]
pub fn pubsub_numsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  subscriber_counts(ctx, argv, Kind::Global)
}

/// PUBSUB SHARDNUMSUB [shardchannel ...]
pub fn pubsub_shardnumsub(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  subscriber_counts(ctx, argv, Kind::Shard)
}

/// `[channel, count, ...]` (a flat array, as Redis replies even over RESP3).
fn subscriber_counts(ctx: &mut Ctx, argv: &[&[u8]], kind: Kind) -> CmdResult {
  ctx.out.array((argv.len() - 2) * 2);
  for channel in &argv[2..] {
    let count = ctx.server.pubsub.subscriber_count(kind, channel);
    ctx.out.bulk(channel);
    ctx.out.int(count as i64);
  }
  Ok(())
}

/// PUBSUB NUMPAT: the number of distinct patterns subscribed to.
pub fn pubsub_numpat(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.int(ctx.server.pubsub.pattern_count() as i64);
  Ok(())
}

/// PUBSUB HELP
pub fn pubsub_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  super::server::help_reply(
    ctx.out,
    "PUBSUB",
    &[
      "CHANNELS [<pattern>]",
      "    Reply with the channels that have subscribers, only those matching <pattern> if given.",
      "NUMPAT",
      "    Reply with the number of distinct patterns clients subscribe to.",
      "NUMSUB [<channel> ...]",
      "    Reply with each channel and its number of subscribers (pattern subscribers not counted).",
      "SHARDCHANNELS [<pattern>]",
      "    Like CHANNELS, for shard channels.",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Like NUMSUB, for shard channels.",
    ],
  );
  Ok(())
}
