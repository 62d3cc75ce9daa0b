//! Connection commands: PING, ECHO, QUIT, SELECT, RESET, HELLO/AUTH (hello.rs), CLIENT
//! (client.rs; its client-side caching subcommands in tracking.rs) and MONITOR (monitor.rs).

pub(crate) mod client;
mod hello;
pub mod monitor;
mod tracking;

pub use client::*;
pub use hello::*;
pub use monitor::monitor;
pub use tracking::*;

use super::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::session::ReplyMode;

/// PING [message]: `+PONG`, or the message as a bulk string; over RESP2 in subscribed mode,
/// `["pong", message-or-empty]`.
pub fn ping(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  // The spec's arity is -1 (as Redis's), but more than one message is an arity error.
  if argv.len() > 2 {
    return Err(super::arity_error("ping"));
  }
  if !ctx.session.resp3 && ctx.session.subscriptions.total() > 0 {
    ctx.out.array(2);
    ctx.out.bulk(b"pong");
    ctx.out.bulk(argv.get(1).copied().unwrap_or(b""));
    return Ok(());
  }
  match argv.get(1) {
    None => ctx.out.simple(b"PONG"),
    Some(message) => ctx.out.bulk(message),
  }
  Ok(())
}

/// ECHO message.
pub fn echo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  ctx.out.bulk(argv[1]);
  Ok(())
}

/// QUIT: replies OK and closes the connection once the reply is written.
pub fn quit(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.ok();
  ctx.session.close_after_reply = true;
  Ok(())
}

/// SELECT index: switches the connection's database.
pub fn select(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let index = super::int_arg(argv[1]).and_then(|n| i32::try_from(n).map_err(|_| Error::NotInteger))?;
  if index < 0 || index as usize >= ctx.server.keyspace.dbs.len() {
    return Err(Error::err("DB index is out of range"));
  }
  ctx.session.db = index as usize;
  ctx.out.ok();
  Ok(())
}

/// RESET: returns the connection to its initial state (database 0, RESP2, no name, replies on,
/// no MONITOR, no NO-EVICT/NO-TOUCH, authenticated only if no password is required).
pub fn reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let session = &mut *ctx.session;
  session.db = 0;
  session.resp3 = false;
  session.name = None;
  session.reply_mode = ReplyMode::On;
  session.no_evict = false;
  session.no_touch = false;
  session.authenticated = ctx.server.acl.default_needs_no_auth();
  session.user = crate::acl::DEFAULT_USER;
  if session.monitor {
    session.monitor = false;
    ctx.server.clients.monitors.retain(|&slot| slot != ctx.slot);
  }
  super::transaction::discard_transaction(ctx);
  ctx.server.pubsub.forget(&mut ctx.session.subscriptions, ctx.slot);
  ctx.server.tracking.disable(ctx.session, ctx.slot);
  ctx.out.resp3 = false;
  ctx.out.simple(b"RESET");
  Ok(())
}

/// Parses an ON/OFF argument; anything else is a syntax error.
fn on_off(arg: &[u8]) -> Result<bool, Error> {
  if is(arg, "on") {
    Ok(true)
  } else if is(arg, "off") {
    Ok(false)
  } else {
    Err(Error::Syntax)
  }
}
