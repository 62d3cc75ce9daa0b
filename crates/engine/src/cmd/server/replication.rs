//! Replication commands. redwing is always a master without replicas, so ROLE reports just
//! that, and WAIT never sees a replica acknowledge; REPLICAOF and friends arrive with
//! replication itself.

use crate::cmd::{int_arg, Ctx};
use crate::error::{CmdResult, Error};

/// ROLE: `["master", <replication offset>, [<replicas>]]`.
pub fn role(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.array(3);
  ctx.out.bulk(b"master");
  ctx.out.int(0);
  ctx.out.array(0);
  Ok(())
}

/// WAIT numreplicas timeout: how many replicas acknowledged this client's writes. There are
/// none, so, as Redis does without replicas, asking for none answers 0 at once, and asking for
/// more blocks the client until the timeout (milliseconds, 0 = forever) and then answers 0.
pub fn wait(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let wanted = int_arg(argv[1])?;
  let timeout_ms = int_arg(argv[2]).map_err(|_| Error::err("timeout is not an integer or out of range"))?;
  if timeout_ms < 0 {
    return Err(Error::err("timeout is negative"));
  }
  const ACKNOWLEDGED: i64 = 0;
  if wanted <= ACKNOWLEDGED {
    ctx.out.int(ACKNOWLEDGED);
    return Ok(());
  }
  ctx.block_on(&[], timeout_ms, |out| out.int(ACKNOWLEDGED))
}
