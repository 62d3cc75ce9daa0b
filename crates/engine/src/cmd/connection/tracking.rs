//! CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO: the commands of
//! client-side caching (the mechanism is in `crate::tracking`).
//!
//! CLIENT TRACKING checks its options the way Redis does, in Redis's order, before changing
//! anything: the redirect target must exist now; PREFIX needs BCAST; a tracking client cannot
//! switch between BCAST and default mode, or between OPTIN and OPTOUT, without turning
//! tracking off first; BCAST prefixes may not overlap each other or the client's earlier ones.

use crate::cmd::args::Args;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::tracking::{ClientTracking, Tracking};

/// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX prefix ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
pub fn client_tracking(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut wanted = ClientTracking::default();
  let mut prefixes: Vec<&[u8]> = Vec::new();
  let mut args = Args::new(argv, 3);
  while let Some(option) = args.next() {
    if is(option, "redirect") {
      let target = args.value()?;
      if wanted.redirect != 0 {
        return Err(Error::err("A client can only redirect to a single other client"));
      }
      let id = int_arg(target)?;
      if id <= 0 || ctx.server.clients.slot_of(id as u64).is_none() {
        return Err(Error::err("The client ID you want redirect to does not exist"));
      }
      wanted.redirect = id as u64;
    } else if is(option, "bcast") {
      wanted.bcast = true;
    } else if is(option, "optin") {
      wanted.optin = true;
    } else if is(option, "optout") {
      wanted.optout = true;
    } else if is(option, "noloop") {
      wanted.noloop = true;
    } else if is(option, "prefix") {
      prefixes.push(args.value()?);
    } else {
      return Err(Error::Syntax);
    }
  }
  if is(argv[2], "off") {
    ctx.server.tracking.disable(ctx.session, ctx.slot);
    ctx.out.ok();
    return Ok(());
  }
  if !is(argv[2], "on") {
    return Err(Error::Syntax);
  }
  if !wanted.bcast && !prefixes.is_empty() {
    return Err(Error::err("PREFIX option requires BCAST mode to be enabled"));
  }
  let current = ctx.session.tracking.as_ref();
  if current.is_some_and(|t| t.bcast != wanted.bcast) {
    return Err(Error::err(
      "You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
    ));
  }
  if wanted.bcast && (wanted.optin || wanted.optout) {
    return Err(Error::err("OPTIN and OPTOUT are not compatible with BCAST"));
  }
  if wanted.optin && wanted.optout {
    return Err(Error::err("You can't specify both OPTIN mode and OPTOUT mode"));
  }
  if current.is_some_and(|t| (wanted.optin && t.optout) || (wanted.optout && t.optin)) {
    return Err(Error::err(
      "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
    ));
  }
  if wanted.bcast {
    let existing = current.map(|t| t.prefixes.clone()).unwrap_or_default();
    if let Some(message) = Tracking::prefix_collision(&existing, &prefixes) {
      return Err(Error::err(message));
    }
  }
  wanted.prefixes = prefixes.iter().map(|p| p.to_vec()).collect();
  ctx.server.tracking.enable(ctx.session, ctx.slot, wanted);
  ctx.out.ok();
  Ok(())
}

/// CLIENT CACHING YES|NO: whether the next command's reads are remembered (OPTIN/OPTOUT).
pub fn client_caching(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(tracking) = ctx.session.tracking.as_mut() else {
    return Err(Error::err(
      "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
    ));
  };
  if is(argv[2], "yes") {
    if !tracking.optin {
      return Err(Error::err("CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."));
    }
  } else if is(argv[2], "no") {
    if !tracking.optout {
      return Err(Error::err("CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."));
    }
  } else {
    return Err(Error::Syntax);
  }
  tracking.caching = true;
  ctx.out.ok();
  Ok(())
}

/// CLIENT GETREDIR: the redirect target's id, 0 without one, -1 when tracking is off.
pub fn client_getredir(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let redirect = ctx.session.tracking.as_ref().map_or(-1, |t| t.redirect as i64);
  ctx.out.int(redirect);
  Ok(())
}

/// CLIENT TRACKINGINFO: `{flags, redirect, prefixes}`.
pub fn client_trackinginfo(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let tracking = ctx.session.tracking.as_ref();
  let mut flags: Vec<&[u8]> = vec![if tracking.is_some() { b"on" } else { b"off" }];
  if let Some(t) = tracking {
    if t.bcast {
      flags.push(b"bcast");
    }
    if t.optin {
      flags.push(b"optin");
      if t.caching {
        flags.push(b"caching-yes");
      }
    }
    if t.optout {
      flags.push(b"optout");
      if t.caching {
        flags.push(b"caching-no");
      }
    }
    if t.noloop {
      flags.push(b"noloop");
    }
    if t.broken_redirect {
      flags.push(b"broken_redirect");
    }
  }
  let out = &mut *ctx.out;
  out.map(3);
  out.bulk(b"flags");
  out.set(flags.len());
  for flag in flags {
    out.bulk(flag);
  }
  out.bulk(b"redirect");
  out.int(tracking.map_or(-1, |t| t.redirect as i64));
  out.bulk(b"prefixes");
  let prefixes: Vec<&Vec<u8>> = tracking.map(|t| t.prefixes.iter().collect()).unwrap_or_default();
  out.array(prefixes.len());
  for prefix in prefixes {
    out.bulk(prefix);
  }
  Ok(())
}
