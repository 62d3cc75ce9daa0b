//! Connection commands: PING, ECHO, QUIT, HELLO, AUTH, RESET, SELECT and CLIENT.

use super::Ctx;
use crate::error::CmdResult;

/// PING [message]: `+PONG`, or the message as a bulk string.
pub fn ping(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
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
