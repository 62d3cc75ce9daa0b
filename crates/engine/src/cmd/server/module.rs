//! MODULE: Redis's loadable modules. redwing loads none (a Redis module is a C shared library
//! written against Redis's own internals), so MODULE LIST is always empty and MODULE LOAD,
//! LOADEX and UNLOAD fail the way Redis fails for a library it cannot load or a module it
//! does not know. They are refused first, like Redis's, unless `enable-module-command` allows
//! them for this client.

use super::config::value_of;
use super::{help_reply, is_local};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};

/// MODULE HELP
pub fn module_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "MODULE",
    &[
      "LIST",
      "    List the loaded modules (none: modules are not supported).",
      "LOAD <path> [<arg> ...]",
      "    Load a module library: always fails, modules are not supported.",
      "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
      "    Load a module library with configurations: always fails, as LOAD.",
      "UNLOAD <name>",
      "    Unload a module: no module is ever loaded.",
    ],
  );
  Ok(())
}

/// MODULE LIST: the loaded modules, of which there are none.
pub fn module_list(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(0);
  Ok(())
}

/// MODULE LOAD path [arg ...] and MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...].
pub fn module_load(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  allowed(ctx)?;
  let path = String::from_utf8_lossy(argv[2]);
  ctx.server.telemetry.log_lines.push(format!("Module {path} failed to load: modules are not supported"));
  Err(Error::err("Error loading the extension. Please check the server logs."))
}

/// MODULE UNLOAD name
pub fn module_unload(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  allowed(ctx)?;
  Err(Error::err("Error unloading module: no such module with that name"))
}

/// Whether `enable-module-command` lets this client load and unload modules.
fn allowed(ctx: &Ctx) -> CmdResult {
  let permitted = match value_of(ctx.server, b"enable-module-command").as_deref() {
    Some("yes") => true,
    Some("local") => is_local(ctx.session),
    _ => false,
  };
  if permitted {
    return Ok(());
  }
  Err(Error::err(
    "MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a \
     local connection, otherwise you need to set this option in the configuration file, and then restart the \
     server.",
  ))
}
