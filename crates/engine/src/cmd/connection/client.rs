//! CLIENT: introspection and control of connections.
//!
//! ID, SETNAME/GETNAME, SETINFO, INFO/LIST (one `key=value` line per client, in connection
//! order), KILL (old `ip:port` form and the filter form), REPLY, NO-EVICT, NO-TOUCH,
//! PAUSE/UNPAUSE and HELP. Other connections are reached through the engine's session slab;
//! the calling session is not in the slab while it runs, so listings merge it back in.

use super::on_off;
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};
use crate::num::parse_i64;
use crate::output::BufferClass;
use crate::session::{ReplyMode, Session};

/// Names may not contain spaces, newlines or other characters outside `!`..=`~`.
pub(crate) fn validate_name(name: &[u8]) -> Result<(), Error> {
  if name.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
    return Err(Error::err("Client names cannot contain spaces, newlines or special characters."));
  }
  Ok(())
}

/// CLIENT ID
pub fn client_id(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.int(ctx.session.id as i64);
  Ok(())
}

/// CLIENT SETNAME name (an empty name removes it)
pub fn client_setname(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  validate_name(argv[2])?;
  ctx.session.name = (!argv[2].is_empty()).then(|| argv[2].to_vec());
  ctx.out.ok();
  Ok(())
}

/// CLIENT GETNAME
pub fn client_getname(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  match &ctx.session.name {
    Some(name) => ctx.out.bulk(name),
    None => ctx.out.null(),
  }
  Ok(())
}

/// CLIENT SETINFO LIB-NAME name | LIB-VER version
pub fn client_setinfo(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (attr, value) = (argv[2], argv[3]);
  let target = if is(attr, "lib-name") {
    &mut ctx.session.lib_name
  } else if is(attr, "lib-ver") {
    &mut ctx.session.lib_ver
  } else {
    return Err(Error::err(format!("Unrecognized option '{}'", String::from_utf8_lossy(attr))));
  };
  if value.iter().any(|&c| !(b'!'..=b'~').contains(&c)) {
    return Err(Error::err(format!(
      "{} cannot contain spaces, newlines or special characters.",
      String::from_utf8_lossy(attr)
    )));
  }
  *target = (!value.is_empty()).then(|| value.to_vec());
  ctx.out.ok();
  Ok(())
}

/// One CLIENT LIST line (without the trailing newline), as log lines describe a client too.
pub(crate) fn describe(session: &Session, acl: &crate::acl::Acl, now_ms: i64) -> String {
  let text = |v: &Option<Vec<u8>>| v.as_deref().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
  let mut flags = String::new();
  if session.monitor {
    flags.push('O');
  } else if session.replica {
    flags.push('S');
  } else if session.master {
    flags.push('M');
  }
  let subscriptions = &session.subscriptions;
  if subscriptions.total() > 0 {
    flags.push('P');
  }
  if session.multi.is_some() {
    flags.push('x');
  }
  if session.wait.is_some() || session.parked {
    flags.push('b');
  }
  if let Some(tracking) = &session.tracking {
    flags.push('t');
    if tracking.broken_redirect {
      flags.push('R');
    }
    if tracking.bcast {
      flags.push('B');
    }
  }
  if session.close_after_reply {
    flags.push('c');
  }
  if session.held_output().doomed {
    flags.push('A');
  }
  if session.peer.unix {
    flags.push('U');
  }
  if session.no_evict {
    flags.push('e');
  }
  if session.no_touch {
    flags.push('T');
  }
  if flags.is_empty() {
    flags.push('N');
  }
  let (obl, oll, omem) = session.held_output().shape(session.replica);
  format!(
    "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf={} \
     qbuf-free=0 argv-mem=0 multi-mem={} rbs=0 rbp=0 obl={} oll={} omem={} tot-mem={} events=r cmd={} user={} \
     redir={} resp={} lib-name={} lib-ver={}",
    session.id,
    session.peer.addr,
    session.peer.laddr,
    session.peer.fd,
    text(&session.name),
    (now_ms - session.created_ms) / 1000,
    (now_ms - session.last_interaction_ms) / 1000,
    flags,
    session.db,
    subscriptions.channels.len(),
    subscriptions.patterns.len(),
    subscriptions.shard_channels.len(),
    session.multi.as_ref().map_or(-1, |multi| multi.len() as i64),
    session.query_buffer_len(),
    session.multi.as_ref().map_or(0, |multi| multi.memory()),
    obl,
    oll,
    omem,
    crate::client_eviction::client_memory(session),
    session.last_command,
    String::from_utf8_lossy(&acl.user(session.user).name),
    session.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
    if session.resp3 { 3 } else { 2 },
    text(&session.lib_name),
    text(&session.lib_ver),
  )
}

/// Every network session (and the caller), in connection order.
fn all_sessions<'a>(ctx: &'a Ctx) -> Vec<&'a Session> {
  listed_sessions(ctx.server, Some(ctx.session))
}

/// The sessions CLIENT LIST shows: every network session, with `running` (the session whose
/// command runs, out of the table meanwhile), in connection order.
pub(crate) fn listed_sessions<'a>(server: &'a crate::server::Server, running: Option<&'a Session>) -> Vec<&'a Session> {
  let mut sessions: Vec<&Session> =
    server.clients.sessions().map(|(_, s)| s).filter(|s| s.is_network() && !s.evicted).collect();
  sessions.extend(running);
  sessions.sort_by_key(|s| s.id);
  sessions
}

/// CLIENT INFO
pub fn client_info(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let line = describe(ctx.session, &ctx.server.acl, ctx.now_ms) + "\n";
  ctx.out.verbatim(b"txt", line.as_bytes());
  Ok(())
}

/// Whether `session` is of the client type CLIENT LIST/KILL TYPE names: this server's master
/// is `master`, its replicas `replica`, a subscribed session `pubsub`, any other `normal`.
fn client_type_matches(arg: &[u8], session: &Session) -> Result<bool, Error> {
  let class = session.buffer_class();
  if is(arg, "normal") {
    Ok(class == BufferClass::Normal && !session.master)
  } else if is(arg, "pubsub") {
    Ok(class == BufferClass::PubSub)
  } else if is(arg, "replica") || is(arg, "slave") {
    Ok(class == BufferClass::Replica)
  } else if is(arg, "master") {
    Ok(session.master)
  } else {
    Err(Error::err(format!("Unknown client type '{}'", String::from_utf8_lossy(arg))))
  }
}

/// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]
pub fn client_list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut type_filter = None;
  let mut ids = None;
  if argv.len() == 4 && is(argv[2], "TYPE") {
    client_type_matches(argv[3], ctx.session)?;
    type_filter = Some(argv[3]);
  } else if argv.len() >= 4 && is(argv[2], "ID") {
    let mut list = Vec::new();
    for arg in &argv[3..] {
      match parse_i64(arg) {
        Some(id) if id > 0 => list.push(id as u64),
        _ => return Err(Error::err("Invalid client ID")),
      }
    }
    ids = Some(list);
  } else if argv.len() != 2 {
    return Err(Error::Syntax);
  }
  let mut text = String::new();
  for session in all_sessions(ctx) {
    if let Some(t) = type_filter {
      if !client_type_matches(t, session)? {
        continue;
      }
    }
    if ids.as_ref().is_some_and(|ids| !ids.contains(&session.id)) {
      continue;
    }
    text.push_str(&describe(session, &ctx.server.acl, ctx.now_ms));
    text.push('\n');
  }
  ctx.out.verbatim(b"txt", text.as_bytes());
  Ok(())
}

/// Filters of the new-style CLIENT KILL.
#[derive(Default)]
struct KillFilter<'a> {
  id: Option<u64>,
  client_type: Option<&'a [u8]>,
  addr: Option<&'a [u8]>,
  laddr: Option<&'a [u8]>,
  user: Option<crate::acl::UserId>,
  skip_me: bool,
}

impl KillFilter<'_> {
  fn matches(&self, session: &Session) -> Result<bool, Error> {
    Ok(
      self.id.is_none_or(|id| id == session.id)
        && self.addr.is_none_or(|a| a == session.peer.addr.as_bytes())
        && self.laddr.is_none_or(|a| a == session.peer.laddr.as_bytes())
        && self.user.is_none_or(|user| user == session.user)
        && match self.client_type {
          Some(t) => client_type_matches(t, session)?,
          None => true,
        },
    )
  }
}

/// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port]
/// [LADDR ip:port] [SKIPME yes|no]
pub fn client_kill(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let old_style = argv.len() == 3;
  let mut filter = KillFilter { skip_me: !old_style, ..KillFilter::default() };
  if old_style {
    filter.addr = Some(argv[2]);
  } else {
    let mut args = Args::new(argv, 2);
    while let Some(opt) = args.next() {
      let value = args.value()?;
      if is(opt, "ID") {
        match parse_i64(value) {
          Some(id) if id > 0 => filter.id = Some(id as u64),
          _ => return Err(Error::err("client-id should be greater than 0")),
        }
      } else if is(opt, "TYPE") {
        client_type_matches(value, ctx.session)?;
        filter.client_type = Some(value);
      } else if is(opt, "ADDR") {
        filter.addr = Some(value);
      } else if is(opt, "LADDR") {
        filter.laddr = Some(value);
      } else if is(opt, "USER") {
        let user = ctx.server.acl.find(value);
        filter.user =
          Some(user.ok_or_else(|| Error::err(format!("No such user '{}'", String::from_utf8_lossy(value))))?);
      } else if is(opt, "SKIPME") {
        filter.skip_me = if is(value, "yes") {
          true
        } else if is(value, "no") {
          false
        } else {
          return Err(Error::Syntax);
        };
      } else {
        return Err(Error::Syntax);
      }
    }
  }
  let mut victims = Vec::new();
  for (slot, session) in ctx.server.clients.sessions() {
    if session.is_network() && filter.matches(session)? {
      victims.push(slot);
    }
  }
  let kill_self = !filter.skip_me && filter.matches(ctx.session)?;
  let killed = victims.len() + kill_self as usize;
  ctx.server.clients.kill_now(victims);
  if kill_self {
    ctx.session.close_after_reply = true;
  }
  if old_style {
    if killed == 0 {
      return Err(Error::err("No such client"));
    }
    ctx.out.ok();
  } else {
    ctx.out.int(killed as i64);
  }
  Ok(())
}

/// CLIENT REPLY ON|OFF|SKIP
pub fn client_reply(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if is(argv[2], "ON") {
    ctx.session.reply_mode = ReplyMode::On;
    ctx.out.ok();
  } else if is(argv[2], "OFF") {
    ctx.session.reply_mode = ReplyMode::Off;
  } else if is(argv[2], "SKIP") {
    if ctx.session.reply_mode != ReplyMode::Off {
      ctx.session.reply_mode = ReplyMode::SkipNext;
    }
  } else {
    return Err(Error::Syntax);
  }
  Ok(())
}

/// CLIENT NO-EVICT ON|OFF
pub fn client_no_evict(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  ctx.session.no_evict = on_off(argv[2])?;
  ctx.out.ok();
  Ok(())
}

/// CLIENT NO-TOUCH ON|OFF
pub fn client_no_touch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  ctx.session.no_touch = on_off(argv[2])?;
  ctx.out.ok();
  Ok(())
}

/// CLIENT PAUSE timeout [WRITE|ALL]: postpones other commands (all, or only writes) for
/// `timeout` milliseconds. Postponed connections keep their input and run it on unpause.
pub fn client_pause(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let timeout = parse_i64(argv[2]).ok_or_else(|| Error::err("timeout is not an integer or out of range"))?;
  if timeout < 0 {
    return Err(Error::err("timeout is negative"));
  }
  let writes_only = match argv.get(3) {
    None => false,
    Some(mode) if is(mode, "ALL") => false,
    Some(mode) if is(mode, "WRITE") => true,
    Some(_) => return Err(Error::err("CLIENT PAUSE mode must be WRITE or ALL")),
  };
  if argv.len() > 4 {
    return Err(Error::Syntax);
  }
  ctx.server.blocking.pause.start(ctx.now_ms, ctx.now_ms.saturating_add(timeout), writes_only);
  ctx.out.ok();
  Ok(())
}

/// CLIENT UNPAUSE
pub fn client_unpause(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.server.blocking.pause.end();
  ctx.out.ok();
  Ok(())
}

/// CLIENT HELP
pub fn client_help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  crate::cmd::server::help_reply(
    ctx.out,
    "CLIENT",
    &[
      "GETNAME",
      "    Reply with this connection's name, or null when it has none.",
      "ID",
      "    Reply with this connection's unique id.",
      "INFO",
      "    Describe this connection, in the CLIENT LIST format.",
      "KILL <ip:port>",
      "    Close the connection from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Close every connection that matches all the given filters:",
      "    * ID <client-id>: the connection with this id.",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB): connections of this kind.",
      "    * USER <username>: connections authenticated as this user.",
      "    * ADDR (<ip:port>|<unixsocket>:0): the connection from this address.",
      "    * LADDR (<ip:port>|<unixsocket>:0): connections to this local address.",
      "    * SKIPME (YES|NO): leave this connection out (the default) or not.",
      "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <client-id> [<client-id> ...]]",
      "    Describe every connection, or those of one kind or with the given ids.",
      "UNPAUSE",
      "    End a pause started with CLIENT PAUSE.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Hold back commands from other clients (all of them, or only writes) for <timeout> ms.",
      "REPLY (ON|OFF|SKIP)",
      "    Turn this connection's replies on or off, or skip the next one.",
      "SETNAME <name>",
      "    Name this connection (an empty name removes it).",
      "SETINFO (LIB-NAME|LIB-VER) <value>",
      "    Record the client library's name or version, shown by CLIENT LIST.",
      "NO-EVICT (ON|OFF)",
      "    Exempt this connection from client eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Stop this connection's reads from updating keys' access time.",
      "UNBLOCK <client-id> [TIMEOUT|ERROR]",
      "    End a blocking command's wait, as a timeout (the default) or with an error.",
    ],
  );
  Ok(())
}

/// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: ends the wait of a client blocked on keys, with
/// its timeout reply (the default) or an UNBLOCKED error. 1 if such a client was waiting.
pub fn client_unblock(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  if argv.len() > 4 {
    return Err(crate::cmd::server::subcommand_error(argv));
  }
  let error = match argv.get(3) {
    None => false,
    Some(reason) if is(reason, "TIMEOUT") => false,
    Some(reason) if is(reason, "ERROR") => true,
    Some(_) => return Err(Error::err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR")),
  };
  let id = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
  let unblocked = id > 0 && ctx.server.unblock(id as u64, error);
  ctx.out.int(unblocked as i64);
  Ok(())
}
