//! Replication commands. redwing is always a master without replicas, so ROLE reports just
//! that; REPLICAOF and friends arrive with replication itself.

use crate::cmd::Ctx;
use crate::error::CmdResult;

/// ROLE: `["master", <replication offset>, [<replicas>]]`.
pub fn role(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(3);
  ctx.out.bulk(b"master");
  ctx.out.int(0);
  ctx.out.array(0);
  Ok(())
}
