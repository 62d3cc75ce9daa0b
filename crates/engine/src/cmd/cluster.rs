//! The cluster protocol's commands: CLUSTER and its subcommands, ASKING, READONLY, READWRITE.
//!
//! This server runs as a standalone Redis does (`cluster-enabled no`), so each of them answers
//! as Redis answers then, that cluster support is disabled; clients probe with them (CLUSTER
//! SLOTS, CLUSTER INFO) to learn that they talk to a standalone server. They are in the command
//! table with Redis's flags, arities and ACL categories, so COMMAND, ACL rules and scripts treat
//! them as Redis does (CLUSTER RESET, flagged `noscript`, is refused to scripts).

use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};

/// Every cluster command's reply while cluster support is disabled.
pub fn disabled(_ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  Err(Error::err("This instance has cluster support disabled"))
}
