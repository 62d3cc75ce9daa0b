//! Replication commands (the stream, the backlog and the link to a master are `repl`'s): SYNC
//! and PSYNC (full and partial resynchronisation), REPLCONF, REPLICAOF, ROLE and WAIT.

use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::repl::{Replica, ReplicaState};

/// REPLICAOF host port | NO ONE (and SLAVEOF): replicate from another server, or stop.
pub fn replicaof(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if ctx.server.repl.failover.state != crate::repl::failover::FailoverState::None {
    return Err(Error::err("REPLICAOF not allowed while failing over."));
  }
  if is(argv[1], "no") && is(argv[2], "one") {
    if ctx.server.is_replica() {
      ctx.server.unset_master();
      let client = ctx.session.describe();
      ctx.server.telemetry.log_lines.push(format!("MASTER MODE enabled (user request from '{client}')"));
    }
    ctx.out.ok();
    return Ok(());
  }
  if ctx.session.replica {
    return Err(Error::err("Command is not valid when client is a replica."));
  }
  let port = match int_arg(argv[2]) {
    Ok(port @ 0..=65535) => port as u16,
    _ => return Err(Error::err("Invalid master port")),
  };
  let host = String::from_utf8_lossy(argv[1]).into_owned();
  if ctx.server.repl.link.as_ref().is_some_and(|link| link.host.eq_ignore_ascii_case(&host) && link.port == port) {
    ctx.server.telemetry.log_lines.push(
      "REPLICAOF would result into synchronization with the master we are already connected with. No operation \
       performed."
        .into(),
    );
    ctx.out.raw(b"+OK Already connected to specified master\r\n");
    return Ok(());
  }
  let client = ctx.session.describe();
  let line = format!("REPLICAOF {host}:{port} enabled (user request from '{client}')");
  ctx.server.set_master(host, port);
  ctx.server.telemetry.log_lines.push(line);
  ctx.out.ok();
  Ok(())
}

/// ROLE: `["master", <replication offset>, [[ip, port, acknowledged offset], ...]]`, or on a
/// replica `["slave", <master host>, <master port>, <link state>, <offset, -1 unless up>]`.
pub fn role(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  if let Some(link) = &ctx.server.repl.link {
    let connected = link.state == crate::repl::link::LinkState::Connected;
    ctx.out.array(5);
    ctx.out.bulk(b"slave");
    ctx.out.bulk(link.host.as_bytes());
    ctx.out.int(link.port as i64);
    ctx.out.bulk(link.state_name().as_bytes());
    ctx.out.int(if connected { ctx.server.repl.offset } else { -1 });
    return Ok(());
  }
  let replicas: Vec<(String, u16, i64)> = ctx
    .server
    .repl
    .replicas
    .iter()
    .filter(|replica| replica.is_online())
    .map(|replica| (replica_ip(ctx, replica), replica.listening_port, replica.ack_offset))
    .collect();
  ctx.out.array(3);
  ctx.out.bulk(b"master");
  ctx.out.int(ctx.server.repl.offset);
  ctx.out.array(replicas.len());
  for (ip, port, offset) in replicas {
    ctx.out.array(3);
    ctx.out.bulk(ip.as_bytes());
    ctx.out.bulk(port.to_string().as_bytes());
    ctx.out.bulk(offset.to_string().as_bytes());
  }
  Ok(())
}

/// The address a replica is known by: the one it announced, or its connection's.
pub(crate) fn replica_ip(ctx: &Ctx, replica: &Replica) -> String {
  crate::repl::replica_address(ctx.server, replica).0
}

/// WAIT numreplicas timeout: how many replicas acknowledged this client's writes, waiting up
/// to `timeout` milliseconds (0 = forever) for `numreplicas` of them. While it waits, the
/// replicas are asked for acknowledgements, and each one re-checks it.
pub fn wait(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let wanted = int_arg(argv[1])?;
  let timeout_ms = int_arg(argv[2]).map_err(|_| Error::err("timeout is not an integer or out of range"))?;
  if timeout_ms < 0 {
    return Err(Error::err("timeout is negative"));
  }
  if ctx.server.is_replica() {
    return Err(Error::err(
      "WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured \
       to be writable (which is not the default) writes to replicas are just local and are not propagated.",
    ));
  }
  let acknowledged = ctx.server.replicas_acked(ctx.session.repl_offset);
  if acknowledged >= wanted || ctx.session.in_exec {
    ctx.out.int(acknowledged);
    return Ok(());
  }
  let first_time = ctx.session.wait.is_none();
  ctx.block_on(&[], timeout_ms, |out| out.int(acknowledged))?;
  if ctx.block.is_some() {
    if !ctx.server.repl.waiting.contains(&ctx.slot) {
      ctx.server.repl.waiting.push(ctx.slot);
    }
    if first_time {
      ctx.server.repl.want_acks = true;
    }
  }
  Ok(())
}

/// SYNC: a full resynchronisation in the old protocol (the RDB file, then the stream).
pub fn sync(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  refuse_without_master_link(ctx)?;
  if !ctx.session.replica {
    log_sync_request(ctx);
    full_resync(ctx, false);
    if let Some(replica) = ctx.server.repl.replicas.iter_mut().find(|replica| replica.slot == ctx.slot) {
      replica.pre_psync = true;
    }
  }
  Ok(())
}

/// PSYNC replicationid offset: `+CONTINUE` and the stream from `offset` when the backlog
/// still holds it for that replication history, otherwise `+FULLRESYNC <replid> <offset>`, the
/// RDB file and the stream.
pub fn psync(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if ctx.session.replica {
    return Ok(());
  }
  // PSYNC … FAILOVER: our master hands over (FAILOVER), if it names our history.
  if argv.len() > 3 && is(argv[3], "failover") {
    let requested = String::from_utf8_lossy(argv[1]).into_owned();
    ctx.server.telemetry.warn(format!("Failover request received for replid {requested}."));
    if !ctx.server.is_replica() {
      return Err(Error::err("PSYNC FAILOVER can't be sent to a master."));
    }
    if !requested.eq_ignore_ascii_case(&ctx.server.telemetry.replid) {
      return Err(Error::err("PSYNC FAILOVER replid must match my replid."));
    }
    ctx.server.unset_master();
    let client = ctx.session.describe();
    ctx.server.telemetry.log_lines.push(format!("MASTER MODE enabled (failover request from '{client}')"));
  }
  refuse_without_master_link(ctx)?;
  let description = log_sync_request(ctx);
  let requested = std::str::from_utf8(argv[1]).unwrap_or("");
  // An offset that is not a number is refused, as Redis 7.0 refuses it (it used to go on with
  // a full resynchronisation as well).
  let Some(offset) = crate::num::parse_i64(argv[2]) else {
    ctx.server.telemetry.warn(format!("Replica {description} asks for synchronization but with a wrong offset"));
    return Err(Error::NotInteger);
  };
  let repl = &ctx.server.repl;
  let known_history =
    requested == ctx.server.telemetry.replid || (requested == repl.replid2 && offset <= repl.second_offset);
  let backlog = if known_history { repl.stream_from(offset) } else { None };
  match backlog {
    Some(bytes) => {
      let psync2 = repl.announced.iter().any(|announced| announced.slot == ctx.slot && announced.psync2);
      let line = if psync2 { format!("+CONTINUE {}\r\n", ctx.server.telemetry.replid) } else { "+CONTINUE\r\n".into() };
      ctx.out.raw(line.as_bytes());
      ctx.out.raw(&bytes);
      let line = format!(
        "Partial resynchronization request from {description} accepted. Sending {} bytes of backlog starting from \
         offset {offset}.",
        bytes.len()
      );
      ctx.server.telemetry.log_lines.push(line);
      ctx.server.repl.syncs_partial_ok += 1;
      become_replica(ctx, ReplicaState::Online);
    }
    None => {
      if requested != "?" {
        let reason = if known_history {
          format!("Unable to partial resync with replica {description} for lack of backlog")
        } else {
          format!(
            "Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '{requested}', my \
             replication IDs are '{}' and '{}')",
            ctx.server.telemetry.replid, ctx.server.repl.replid2
          )
        };
        ctx.server.telemetry.log_lines.push(reason);
        ctx.server.repl.syncs_partial_err += 1;
      }
      full_resync(ctx, true);
    }
  }
  Ok(())
}

/// A replica serves replicas of its own only while its link to its master is up, and no
/// server while it fails over.
fn refuse_without_master_link(ctx: &Ctx) -> CmdResult {
  if ctx.server.repl.failover.state != crate::repl::failover::FailoverState::None {
    return Err(Error::coded("NOMASTERLINK Can't SYNC while failing over"));
  }
  match &ctx.server.repl.link {
    Some(link) if link.state != crate::repl::link::LinkState::Connected => {
      Err(Error::coded("NOMASTERLINK Can't SYNC while not connected with my master"))
    }
    _ => Ok(()),
  }
}

/// A full resynchronisation. A replica waits for the next snapshot, made while commands go on
/// (see `repl`); `redis-cli --rdb` and `--functions-rdb` (rdb-only, with or without a filter)
/// get the file at once, made as SAVE makes it, and the connection closes after it.
fn full_resync(ctx: &mut Ctx, psync: bool) {
  ctx.server.create_backlog();
  ctx.server.repl.syncs_full += 1;
  let announced = ctx.server.repl.announced_mut(ctx.slot).clone();
  if !announced.rdb_only {
    become_replica(ctx, ReplicaState::WaitBgsaveStart { since_ms: ctx.now_ms });
    return;
  }
  let (keys, functions) = (!announced.exclude_data, !announced.exclude_functions);
  let file = crate::rdb::file::write_replication_snapshot(ctx.server, ctx.now_ms, keys, functions);
  if psync {
    let line = format!("+FULLRESYNC {} {}\r\n", ctx.server.telemetry.replid, ctx.server.repl.offset);
    ctx.out.raw(line.as_bytes());
  }
  let (head, tail) = ctx.server.file_framing(announced.eof, file.len());
  ctx.out.raw(head.as_bytes());
  ctx.out.raw(&file);
  ctx.out.raw(tail.as_bytes());
  let name = replica_name(ctx);
  ctx.server.telemetry.log_lines.push(format!("Replica {name} is an rdb-only replica, closing it"));
  ctx.session.close_after_reply = true;
}

/// Logs a SYNC or PSYNC that will be served, as Redis does before it tries a partial
/// resynchronisation; returns the replica's name for the lines that follow.
fn log_sync_request(ctx: &mut Ctx) -> String {
  let description = replica_name(ctx);
  ctx.server.telemetry.log_lines.push(format!("Replica {description} asks for synchronization"));
  description
}

/// A replica as Redis's log lines name it: its address and listening port (or
/// `<unknown-replica-port>` when it announced none).
fn replica_name(ctx: &Ctx) -> String {
  let port = ctx.server.repl.announced.iter().find(|a| a.slot == ctx.slot).map_or(0, |a| a.listening_port);
  let ip = crate::repl::ip_of(&ctx.session.peer.addr);
  if port == 0 {
    return format!("{ip}:<unknown-replica-port>");
  }
  format!("{ip}:{port}")
}

/// The session is a replica from now on, in `state`: online ones get the stream.
fn become_replica(ctx: &mut Ctx, state: ReplicaState) {
  // What the others have not received yet is in this one's backlog already.
  ctx.server.flush_replicas();
  ctx.session.replica = true;
  if ctx.server.repl.replicas.is_empty() {
    // The first PING goes a whole period after the first replica arrived.
    ctx.server.repl.last_ping_ms = ctx.now_ms;
  }
  let announced = ctx.server.repl.announced_mut(ctx.slot).clone();
  ctx.server.repl.replicas.push(Replica::new(ctx.slot, ctx.now_ms, &announced, state));
}

/// FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | FAILOVER ABORT: swaps roles with a replica
/// (see `repl::failover`).
pub fn failover(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  use crate::repl::failover::FailoverState;
  if argv.len() == 2 && is(argv[1], "abort") {
    if ctx.server.repl.failover.state == FailoverState::None {
      return Err(Error::err("No failover in progress."));
    }
    ctx.server.abort_failover("Failover manually aborted");
    ctx.out.ok();
    return Ok(());
  }
  let (mut timeout_ms, mut force, mut target) = (0, false, None);
  let mut at = 1;
  while at < argv.len() {
    if is(argv[at], "timeout") && at + 1 < argv.len() && timeout_ms == 0 {
      timeout_ms = int_arg(argv[at + 1])?;
      if timeout_ms <= 0 {
        return Err(Error::err("FAILOVER timeout must be greater than 0"));
      }
      at += 2;
    } else if is(argv[at], "to") && at + 2 < argv.len() && target.is_none() {
      let port = int_arg(argv[at + 2])?;
      target = Some((String::from_utf8_lossy(argv[at + 1]).into_owned(), port));
      at += 3;
    } else if is(argv[at], "force") && !force {
      force = true;
      at += 1;
    } else {
      return Err(Error::Syntax);
    }
  }
  if ctx.server.repl.failover.state != FailoverState::None {
    return Err(Error::err("FAILOVER already in progress."));
  }
  if ctx.server.is_replica() {
    return Err(Error::err("FAILOVER is not valid when server is a replica."));
  }
  if ctx.server.repl.replicas.is_empty() {
    return Err(Error::err("FAILOVER requires connected replicas."));
  }
  if force && (timeout_ms == 0 || target.is_none()) {
    return Err(Error::err("FAILOVER with force option requires both a timeout and target HOST and IP."));
  }
  let target = match target {
    Some((host, port)) => {
      let known = ctx.server.repl.replicas.iter().any(|replica| {
        let (ip, listening) = crate::repl::replica_address(ctx.server, replica);
        ip.eq_ignore_ascii_case(&host) && listening as i64 == port
      });
      if !known {
        return Err(Error::err("FAILOVER target HOST and PORT is not a replica."));
      }
      Some((host, port as u16))
    }
    None => None,
  };
  let end_ms = if timeout_ms > 0 { ctx.now_ms + timeout_ms } else { 0 };
  ctx.server.start_failover(target, end_ms, force);
  ctx.out.ok();
  Ok(())
}

/// REPLCONF <option> <value> ...: what a replica tells its master (listening-port,
/// ip-address, capa, rdb-only), and its acknowledgements (ACK, which gets no reply).
pub fn replconf(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len().is_multiple_of(2) {
    return Err(Error::Syntax);
  }
  for pair in argv[1..].chunks_exact(2) {
    let (option, value) = (pair[0], pair[1]);
    if is(option, "listening-port") {
      let port = int_arg(value)?;
      ctx.server.repl.announced_mut(ctx.slot).listening_port = port.clamp(0, u16::MAX as i64) as u16;
    } else if is(option, "ip-address") {
      if value.len() >= 46 {
        return Err(Error::err(format!(
          "REPLCONF ip-address provided by replica instance is too long: {} bytes",
          value.len()
        )));
      }
      let ip = String::from_utf8_lossy(value).into_owned();
      ctx.server.repl.announced_mut(ctx.slot).ip = Some(ip);
    } else if is(option, "capa") {
      if is(value, "psync2") {
        ctx.server.repl.announced_mut(ctx.slot).psync2 = true;
      } else if is(value, "eof") {
        ctx.server.repl.announced_mut(ctx.slot).eof = true;
      }
    } else if is(option, "ack") {
      // An acknowledgement from a replica: no reply, whatever it holds.
      if let Some(offset) = crate::num::parse_i64(value) {
        acknowledge(ctx, offset);
      }
      return Ok(());
    } else if is(option, "getack") {
      // Only a replica answers GETACK, to its master.
      if ctx.session.master {
        ctx.server.acknowledge_to_master(ctx.out);
      }
      return Ok(());
    } else if is(option, "rdb-only") {
      let rdb_only = match int_arg(value)? {
        flag @ 0..=1 => flag == 1,
        _ => return Err(Error::err("value is out of range, value must between 0 and 1")),
      };
      ctx.server.repl.announced_mut(ctx.slot).rdb_only = rdb_only;
    } else if is(option, "rdb-filter-only") {
      let filters =
        crate::resp::parse::split_args(value).ok_or_else(|| Error::err("Missing rdb-filter-only values"))?;
      let mut exclude_functions = true;
      for filter in &filters {
        if !is(filter, "functions") {
          return Err(Error::err(format!("Unsupported rdb-filter-only option: {}", String::from_utf8_lossy(filter))));
        }
        exclude_functions = false;
      }
      let announced = ctx.server.repl.announced_mut(ctx.slot);
      announced.exclude_data = true;
      announced.exclude_functions = exclude_functions;
    } else {
      return Err(Error::err(format!("Unrecognized REPLCONF option: {}", String::from_utf8_lossy(option))));
    }
  }
  ctx.out.ok();
  Ok(())
}

/// A replica acknowledged `offset`: WAITs re-check.
fn acknowledge(ctx: &mut Ctx, offset: i64) {
  let slot = ctx.slot;
  let now = ctx.now_ms;
  let Some(replica) = ctx.server.repl.replicas.iter_mut().find(|replica| replica.slot == slot) else { return };
  replica.ack_offset = replica.ack_offset.max(offset);
  replica.ack_ms = now;
  for waiting in std::mem::take(&mut ctx.server.repl.waiting) {
    if ctx.server.clients.session(waiting).is_some_and(|session| session.wait.is_some()) {
      ctx.server.blocking.unblocked.push(waiting);
    }
  }
}
