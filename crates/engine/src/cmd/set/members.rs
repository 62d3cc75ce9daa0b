//! Adding, removing and testing members: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER and SMOVE.
//!
//! A missing key is an empty set; the first SADD (or SMOVE) creates it in the encoding its
//! first member allows (an intset for an integer), and a set emptied by SREM or SMOVE is
//! deleted at once. Modifications happen in place, so the key keeps its time to live.
//!
//! A command that adds or removes no member reports no change: an existing member added
//! again, a missing one removed, or a member SMOVEd to a set that already holds it (that
//! destination only) leave a WATCH on the key intact.

use super::{as_set, as_set_mut, max_intset};
use crate::bytes::SmallBytes;
use crate::cmd::Ctx;
use crate::config::notify;
use crate::error::CmdResult;
use crate::types::set::{Member, Set};
use crate::value::Value;

/// SADD key member [member ...]
///
/// Replies with the number of members that were not in the set yet.
pub fn sadd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (key, members) = (argv[1], &argv[2..]);
  let limit = max_intset(ctx);
  let now = ctx.now_ms;
  let add_all = |set: &mut Set| members.iter().filter(|&&member| set.add(Member::Bytes(member), limit)).count();
  let added = match ctx.lookup_write(key).0 {
    Some(entry) => add_all(as_set_mut(&mut entry.value)?),
    None => {
      let mut set = Set::for_member(Member::Bytes(members[0]));
      let added = add_all(&mut set);
      ctx.db().insert_new_key(SmallBytes::new(key), Value::Set(Box::new(set)), now);
      added
    }
  };
  if added > 0 {
    ctx.modified(key);
    ctx.notify(notify::SET, "sadd", key);
    ctx.dirty(added as u64);
  }
  ctx.out.int(added as i64);
  Ok(())
}

/// SREM key member [member ...]
///
/// Replies with the number of members removed. Once the set is empty the key is deleted and
/// the remaining arguments are ignored.
pub fn srem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let key = argv[1];
  let (entry, out) = ctx.lookup_write(key);
  let Some(entry) = entry else {
    out.int(0);
    return Ok(());
  };
  let set = as_set_mut(&mut entry.value)?;
  let mut removed = 0;
  for &member in &argv[2..] {
    if set.remove(Member::Bytes(member)) {
      removed += 1;
      if set.is_empty() {
        break;
      }
    }
  }
  let emptied = set.is_empty();
  // The events go before the reply, as Redis sends them.
  if removed > 0 {
    // The key goes before the signal, so that WATCH sees it gone.
    if emptied {
      ctx.db().remove(key);
    }
    ctx.modified(key);
    ctx.notify(notify::SET, "srem", key);
    if emptied {
      ctx.notify(notify::GENERIC, "del", key);
    }
    ctx.dirty(removed);
  }
  ctx.out.int(removed as i64);
  Ok(())
}

/// SCARD key: the number of members (0 for a missing key).
pub fn scard(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let len = match entry {
    Some(entry) => as_set(&entry.value)?.len(),
    None => 0,
  };
  out.int(len as i64);
  Ok(())
}

/// SISMEMBER key member: 1 if `member` is in the set, else 0.
pub fn sismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let found = match entry {
    Some(entry) => as_set(&entry.value)?.contains(Member::Bytes(argv[2])),
    None => false,
  };
  out.int(found as i64);
  Ok(())
}

/// SMISMEMBER key member [member ...]: an array of 1 or 0, one per member.
pub fn smismember(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (entry, out) = ctx.lookup_read(argv[1]);
  let set = match entry {
    Some(entry) => Some(as_set(&entry.value)?),
    None => None,
  };
  out.array(argv.len() - 2);
  for &member in &argv[2..] {
    out.int(set.is_some_and(|set| set.contains(Member::Bytes(member))) as i64);
  }
  Ok(())
}

/// SMOVE source destination member
///
/// Moves `member` from `source` to `destination` (created if missing). Replies 1 when the
/// member was in `source`, else 0. A missing source replies 0 before any type check; with
/// the same key on both sides nothing moves and the reply tells whether it is a member.
///
/// The events follow the steps: `srem` on the source (and `del` if that emptied it), then
/// `sadd` on the destination unless it held the member already. The destination is created
/// only after the source's events, so that a `new` event comes between them as in Redis.
pub fn smove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (source, destination, member) = (argv[1], argv[2], Member::Bytes(argv[3]));
  let limit = max_intset(ctx);
  let now = ctx.now_ms;
  // Both lookups first (each may reclaim an expired key), then positions, which stay valid
  // until the keyspace changes.
  ctx.lookup_write(source);
  ctx.lookup_write(destination);
  let db = ctx.db();
  let Some(source_pos) = db.position(source) else {
    ctx.out.int(0);
    return Ok(());
  };
  as_set(&db.entry_at(source_pos).value)?;
  if let Some(pos) = db.position(destination) {
    as_set(&db.entry_at(pos).value)?;
  }
  let source_set = as_set_mut(&mut db.entry_at_mut(source_pos).value)?;
  if source == destination {
    let found = source_set.contains(member);
    ctx.out.int(found as i64);
    return Ok(());
  }
  if !source_set.remove(member) {
    ctx.out.int(0);
    return Ok(());
  }
  let emptied = source_set.is_empty();
  ctx.notify(notify::SET, "srem", source);
  if emptied {
    ctx.db().remove(source);
    ctx.notify(notify::GENERIC, "del", source);
  }
  // Looked up again: removing the source may have moved the destination's entry.
  let db = ctx.db();
  let added = match db.position(destination) {
    Some(pos) => as_set_mut(&mut db.entry_at_mut(pos).value)?.add(member, limit),
    None => {
      let mut set = Set::for_member(member);
      set.add(member, limit);
      db.insert_new_key(SmallBytes::new(destination), Value::Set(Box::new(set)), now);
      true
    }
  };
  ctx.modified(source);
  ctx.dirty(1);
  if added {
    ctx.changed(notify::SET, "sadd", destination);
  }
  ctx.out.int(1);
  Ok(())
}
