//! The pub/sub registry: which sessions listen on which channels, patterns and shard channels,
//! and the delivery of one published message to all of them.
//!
//! Like Redis's `server.pubsub_channels` and `server.pubsub_patterns`, the engine keeps, per
//! channel (or pattern), the slots of its subscribers in the order they subscribed, and each
//! session keeps its own subscriptions (`Subscriptions`) for UNSUBSCRIBE without arguments,
//! CLIENT LIST and disconnects. A message goes first to the channel's subscribers, then to
//! every pattern that matches it, pattern by pattern; shard channels have no patterns.
//!
//! Delivery writes into each recipient's output: the publishing session's own reply buffer
//! when it is a recipient itself (so its messages come in order with its replies), the
//! recipient's held output otherwise (see `output.rs`). Keyspace notifications and tracking
//! redirections publish through the same path.

use crate::glob;
use crate::resp::Reply;
use crate::signal::Sink;
use std::collections::{HashMap, HashSet};

/// Which family of channels: `SUBSCRIBE`/`PUBLISH` or `SSUBSCRIBE`/`SPUBLISH`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
  Global,
  Shard,
}

impl Kind {
  /// The first element of a message of this kind.
  pub fn message_name(self) -> &'static [u8] {
    match self {
      Kind::Global => b"message",
      Kind::Shard => b"smessage",
    }
  }
}

/// The subscriptions of every session.
#[derive(Default)]
pub struct Registry {
  channels: HashMap<Vec<u8>, Vec<u32>>,
  shard_channels: HashMap<Vec<u8>, Vec<u32>>,
  /// Patterns in the order they were first subscribed, each with its subscribers.
  patterns: Vec<(Vec<u8>, Vec<u32>)>,
}

/// One session's subscriptions.
#[derive(Default)]
pub struct Subscriptions {
  pub channels: HashSet<Vec<u8>>,
  pub shard_channels: HashSet<Vec<u8>>,
  /// In subscription order (Redis keeps a list).
  pub patterns: Vec<Vec<u8>>,
}

impl Subscriptions {
  /// Channels and patterns: the count SUBSCRIBE, PSUBSCRIBE and their opposites reply with.
  pub fn count(&self) -> usize {
    self.channels.len() + self.patterns.len()
  }

  /// Every subscription, shard channels included: while it is not zero, the session is in
  /// subscribed mode (the `P` flag).
  pub fn total(&self) -> usize {
    self.count() + self.shard_channels.len()
  }

  fn of(&mut self, kind: Kind) -> &mut HashSet<Vec<u8>> {
    match kind {
      Kind::Global => &mut self.channels,
      Kind::Shard => &mut self.shard_channels,
    }
  }

  /// The count a (un)subscribe reply of `kind` carries.
  pub fn count_for(&self, kind: Kind) -> usize {
    match kind {
      Kind::Global => self.count(),
      Kind::Shard => self.shard_channels.len(),
    }
  }
}

impl Registry {
  fn channels_of(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<u32>> {
    match kind {
      Kind::Global => &mut self.channels,
      Kind::Shard => &mut self.shard_channels,
    }
  }

  /// Adds `slot` to `channel`'s subscribers; false if it was one already.
  pub fn subscribe(&mut self, subs: &mut Subscriptions, slot: u32, kind: Kind, channel: &[u8]) -> bool {
    if !subs.of(kind).insert(channel.to_vec()) {
      return false;
    }
    self.channels_of(kind).entry(channel.to_vec()).or_default().push(slot);
    true
  }

  /// Removes `slot` from `channel`'s subscribers; false if it was not one.
  pub fn unsubscribe(&mut self, subs: &mut Subscriptions, slot: u32, kind: Kind, channel: &[u8]) -> bool {
    if !subs.of(kind).remove(channel) {
      return false;
    }
    let channels = self.channels_of(kind);
    if let Some(slots) = channels.get_mut(channel) {
      slots.retain(|&s| s != slot);
      if slots.is_empty() {
        channels.remove(channel);
      }
    }
    true
  }

  /// Adds `slot` to `pattern`'s subscribers; false if it was one already.
  pub fn psubscribe(&mut self, subs: &mut Subscriptions, slot: u32, pattern: &[u8]) -> bool {
    if subs.patterns.iter().any(|p| p == pattern) {
      return false;
    }
    subs.patterns.push(pattern.to_vec());
    match self.patterns.iter_mut().find(|(p, _)| p == pattern) {
      Some((_, slots)) => slots.push(slot),
      None => self.patterns.push((pattern.to_vec(), vec![slot])),
    }
    true
  }

  /// Removes `slot` from `pattern`'s subscribers; false if it was not one.
  pub fn punsubscribe(&mut self, subs: &mut Subscriptions, slot: u32, pattern: &[u8]) -> bool {
    let Some(at) = subs.patterns.iter().position(|p| p == pattern) else { return false };
    subs.patterns.remove(at);
    if let Some(at) = self.patterns.iter().position(|(p, _)| p == pattern) {
      let slots = &mut self.patterns[at].1;
      slots.retain(|&s| s != slot);
      if slots.is_empty() {
        self.patterns.remove(at);
      }
    }
    true
  }

  /// Forgets every subscription of a session (disconnect, RESET).
  pub fn forget(&mut self, subs: &mut Subscriptions, slot: u32) {
    for channel in subs.channels.clone() {
      self.unsubscribe(subs, slot, Kind::Global, &channel);
    }
    for channel in subs.shard_channels.clone() {
      self.unsubscribe(subs, slot, Kind::Shard, &channel);
    }
    for pattern in subs.patterns.clone() {
      self.punsubscribe(subs, slot, &pattern);
    }
  }

  /// The channels of `kind` with subscribers, optionally only those matching `pattern`.
  pub fn channel_names(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<&[u8]> {
    let channels = match kind {
      Kind::Global => &self.channels,
      Kind::Shard => &self.shard_channels,
    };
    channels.keys().map(Vec::as_slice).filter(|c| pattern.is_none_or(|p| glob::matches(p, c))).collect()
  }

  /// Number of subscribers of `channel`.
  pub fn subscriber_count(&self, kind: Kind, channel: &[u8]) -> usize {
    let channels = match kind {
      Kind::Global => &self.channels,
      Kind::Shard => &self.shard_channels,
    };
    channels.get(channel).map_or(0, Vec::len)
  }

  /// Number of distinct patterns with subscribers (PUBSUB NUMPAT, INFO `pubsub_patterns`).
  pub fn pattern_count(&self) -> usize {
    self.patterns.len()
  }

  /// Number of channels of `kind` with subscribers.
  pub fn channel_count(&self, kind: Kind) -> usize {
    match kind {
      Kind::Global => self.channels.len(),
      Kind::Shard => self.shard_channels.len(),
    }
  }

  /// Whether nobody subscribes to anything: publishing then costs nothing.
  #[inline]
  pub fn is_empty(&self) -> bool {
    self.channels.is_empty() && self.patterns.is_empty() && self.shard_channels.is_empty()
  }
}

/// Publishes `message` on `channel`; returns the number of receivers.
///
/// The message is encoded once per form (`message`, and `pmessage` per matching pattern) and
/// copied to each receiver. While it is delivered, the receivers' list is taken out of the
/// registry and put back: delivering writes to sessions, never to the registry.
pub fn publish(sink: &mut impl Sink, kind: Kind, channel: &[u8], message: &[u8]) -> usize {
  let mut receivers = 0;
  let direct = match kind {
    Kind::Global => sink.server().pubsub.channels.get_mut(channel).map(std::mem::take),
    Kind::Shard => sink.server().pubsub.shard_channels.get_mut(channel).map(std::mem::take),
  };
  if let Some(slots) = direct {
    let mut push = Reply::new(false);
    message_into(&mut push, kind.message_name(), channel, message);
    for &slot in &slots {
      sink.send_push(slot, &push.buf);
    }
    receivers += slots.len();
    let registry = &mut sink.server().pubsub;
    let channels = if kind == Kind::Global { &mut registry.channels } else { &mut registry.shard_channels };
    if let Some(entry) = channels.get_mut(channel) {
      *entry = slots;
    }
  }
  if kind == Kind::Shard {
    return receivers;
  }
  for at in 0..sink.server().pubsub.patterns.len() {
    let (pattern, slots) = &mut sink.server().pubsub.patterns[at];
    if !glob::matches(pattern, channel) {
      continue;
    }
    let slots = std::mem::take(slots);
    let mut push = Reply::new(false);
    push.push(4);
    push.bulk(b"pmessage");
    push.bulk(&sink.server().pubsub.patterns[at].0);
    push.bulk(channel);
    push.bulk(message);
    for &slot in &slots {
      sink.send_push(slot, &push.buf);
    }
    receivers += slots.len();
    sink.server().pubsub.patterns[at].1 = slots;
  }
  receivers
}

/// A `message`/`smessage` push: `[name, channel, payload]`.
pub fn message_into(out: &mut Reply, name: &[u8], channel: &[u8], message: &[u8]) {
  out.push(3);
  out.bulk(name);
  out.bulk(channel);
  out.bulk(message);
}
