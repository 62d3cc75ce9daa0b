//! HELLO and AUTH: protocol negotiation and authentication as an ACL user (see `acl`). The
//! `default` user's password is `requirepass`; with none, every connection starts
//! authenticated as `default`.

use crate::acl::{Denied, LogContext};
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;

const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// Authenticates the session as `username` (Redis's `ACLAuthenticateUser`); a failure is
/// logged (object: the command as typed) and answered with WRONGPASS.
fn authenticate(ctx: &mut Ctx, command: &[u8], username: &[u8], password: &[u8]) -> Result<(), Error> {
  if let Some(user) = ctx.server.acl.authenticate(username, password) {
    ctx.session.authenticated = true;
    ctx.session.user = user;
    return Ok(());
  }
  let context = if ctx.session.multi.is_some() { LogContext::Multi } else { LogContext::Toplevel };
  let object = command.to_vec();
  crate::cmd::log_denial(ctx.server, ctx.session, Denied::Auth, context, object, Some(username.to_vec()), ctx.now_ms);
  Err(Error::coded(WRONGPASS))
}

/// AUTH [username] password
pub fn auth(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 3 {
    return Err(Error::Syntax);
  }
  let (username, password) = if argv.len() == 2 {
    if ctx.server.acl.default_user().nopass {
      return Err(Error::err(
        "AUTH <password> called without any password configured for the default user. \
         Are you sure your configuration is correct?",
      ));
    }
    (&b"default"[..], argv[1])
  } else {
    (argv[1], argv[2])
  };
  authenticate(ctx, argv[0], username, password)?;
  ctx.out.ok();
  Ok(())
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
///
/// Switches the protocol (2 or 3), optionally authenticating and naming the connection, and
/// replies with the server's properties as a map.
pub fn hello(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut version = None;
  let mut args = Args::new(argv, 1);
  if let Some(arg) = args.next() {
    let v = parse_i64(arg).ok_or_else(|| Error::err("Protocol version is not an integer or out of range"))?;
    if !(2..=3).contains(&v) {
      return Err(Error::coded("NOPROTO unsupported protocol version"));
    }
    version = Some(v);
  }
  let mut credentials = None;
  let mut name = None;
  while let Some(opt) = args.next() {
    // An unknown option and a missing operand are the same error.
    let syntax_error = || Error::err(format!("Syntax error in HELLO option '{}'", String::from_utf8_lossy(opt)));
    if is(opt, "AUTH") {
      let operands = args.next_n(2).ok_or_else(syntax_error)?;
      credentials = Some((operands[0], operands[1]));
    } else if is(opt, "SETNAME") {
      let candidate = args.next().ok_or_else(syntax_error)?;
      super::client::validate_name(candidate)?;
      name = Some(candidate);
    } else {
      return Err(syntax_error());
    }
  }
  if let Some((username, password)) = credentials {
    authenticate(ctx, argv[0], username, password)?;
  }
  if !ctx.session.authenticated && !ctx.server.acl.default_needs_no_auth() {
    return Err(Error::coded(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH \
       <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the \
       same time",
    ));
  }
  if let Some(name) = name {
    ctx.session.name = (!name.is_empty()).then(|| name.to_vec());
  }
  if let Some(v) = version {
    ctx.session.resp3 = v == 3;
    ctx.out.resp3 = v == 3;
  }
  let out = &mut *ctx.out;
  out.map(7);
  out.bulk(b"server");
  out.bulk(b"redis");
  out.bulk(b"version");
  out.bulk(crate::REDIS_VERSION.as_bytes());
  out.bulk(b"proto");
  out.int(if ctx.session.resp3 { 3 } else { 2 });
  out.bulk(b"id");
  out.int(ctx.session.id as i64);
  out.bulk(b"mode");
  out.bulk(b"standalone");
  out.bulk(b"role");
  out.bulk(b"master");
  out.bulk(b"modules");
  out.array(0);
  Ok(())
}
