//! MIGRATE: moves keys to another server, as DUMP here and RESTORE there.
//!
//! The engine does what needs the keyspace and the host what needs the network. Here, the
//! arguments are checked in Redis's order, the keys still live are looked up and each becomes
//! a RESTORE command with its payload and remaining TTL; then the command is handed over to
//! the host (`ts/server/migrate.ts`), which connects (reusing a cached connection), sends AUTH
//! and SELECT as needed and the RESTOREs, and reads one reply each. The keys the target
//! acknowledged are then removed here ([`migrated`], unless COPY): each a change with its `del`
//! event, and the whole replayed as one DEL, as Redis rewrites MIGRATE for its replicas.
//!
//! Redis blocks for the whole transfer; here other clients run while the host waits for the
//! target (the migrating client waits, as it would). So a key is removed only if it still has
//! the value and expiry time that were sent: a key another client wrote, expired or replaced
//! meanwhile (by any path: a write, FLUSHDB, SWAPDB, a reload) stays, and no write a client
//! was told succeeded is lost. The session keeps a fingerprint of each payload sent
//! ([`MigratingKey`]); at the end the key's value is serialized again and compared. The value,
//! not the write signal, decides: removing the key is safe exactly when the target holds what
//! is here (a write of the same value changes nothing that matters), and FLUSHDB, SWAPDB and
//! reloads signal no change per key.

use crate::aof::encode_command;
use crate::cmd::{int_arg, is, Ctx};
use crate::error::{CmdResult, Error};
use crate::rdb::encoding::finish_dump_payload;
use crate::rdb::value::{write_value, Settings};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// What the host is told about a MIGRATE, after the keys: see [`migrate`].
pub const COPY_FLAG: u8 = b'c';
pub const USERNAME_FLAG: u8 = b'u';
pub const PASSWORD_FLAG: u8 = b'p';

/// MIGRATE host port key|"" destination-db timeout \[COPY\] \[REPLACE\] \[AUTH password\]
/// \[AUTH2 username password\] \[KEYS key \[key ...\]\]
///
/// Hands over to the host: host, port, timeout in ms, destination db, flags ([`COPY_FLAG`],
/// [`USERNAME_FLAG`], [`PASSWORD_FLAG`]), username, password, then each key followed by the
/// RESTORE command (in RESP) that recreates it there. Replies `+NOKEY` itself when no key is
/// live.
pub fn migrate(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let (mut copy, mut replace) = (false, false);
  let (mut username, mut password): (Option<&[u8]>, Option<&[u8]>) = (None, None);
  let mut keys: &[&[u8]] = &argv[3..4];
  let mut j = 6;
  while j < argv.len() {
    let more = argv.len() - 1 - j;
    if is(argv[j], "copy") {
      copy = true;
    } else if is(argv[j], "replace") {
      replace = true;
    } else if is(argv[j], "auth") {
      if more == 0 {
        return Err(Error::Syntax);
      }
      j += 1;
      password = Some(argv[j]);
    } else if is(argv[j], "auth2") {
      if more < 2 {
        return Err(Error::Syntax);
      }
      username = Some(argv[j + 1]);
      password = Some(argv[j + 2]);
      j += 2;
    } else if is(argv[j], "keys") {
      if !argv[3].is_empty() {
        return Err(Error::err("When using MIGRATE KEYS option, the key argument must be set to the empty string"));
      }
      keys = &argv[j + 1..];
      break;
    } else {
      return Err(Error::Syntax);
    }
    j += 1;
  }
  let mut timeout = int_arg(argv[5])?;
  let db = int_arg(argv[4])?;
  if timeout <= 0 {
    timeout = 1000;
  }

  let settings = Settings::from_config(&ctx.server.config);
  let mut restores = Vec::new();
  for &key in keys {
    ctx.notify_if_missing(key);
    let touch = !ctx.session.no_touch;
    let Some(pos) = super::read_position(ctx, key, touch) else { continue };
    let (payload, expire_at) = dump(ctx, &settings, pos);
    restores.push((key, payload, expire_at));
  }
  if restores.is_empty() {
    ctx.out.simple(b"NOKEY");
    return Ok(());
  }

  let mut flags = Vec::new();
  if copy {
    flags.push(COPY_FLAG);
  }
  if username.is_some() {
    flags.push(USERNAME_FLAG);
  }
  if password.is_some() {
    flags.push(PASSWORD_FLAG);
  }
  let mut handed = vec![
    argv[1].to_vec(),
    argv[2].to_vec(),
    timeout.to_string().into_bytes(),
    db.to_string().into_bytes(),
    flags,
    username.unwrap_or_default().to_vec(),
    password.unwrap_or_default().to_vec(),
  ];
  // This MIGRATE's keys replace any left by an earlier one (whose end never came: the embedded
  // store refuses MIGRATE after the engine hands it over).
  let mut sent = Vec::new();
  for (key, payload, expire_at) in restores {
    // A TTL goes relative, at least 1 ms; a key past its time (kept while expiry is suspended,
    // on a replica or under CLIENT PAUSE) is left out, as Redis leaves out one that expired.
    let ttl = match expire_at {
      crate::db::NO_EXPIRE => 0,
      at if at - ctx.now_ms < 0 => continue,
      at => (at - ctx.now_ms).max(1),
    };
    let ttl = ttl.to_string();
    let mut command = Vec::with_capacity(payload.len() + key.len() + 64);
    let mut restore: Vec<&[u8]> = vec![b"RESTORE", key, ttl.as_bytes(), &payload];
    if replace {
      restore.push(b"REPLACE");
    }
    encode_command(&mut command, &restore);
    if !copy {
      sent.push(MigratingKey { key: key.to_vec(), payload: fingerprint(&payload), expire_at });
    }
    handed.push(key.to_vec());
    handed.push(command);
  }
  ctx.session.migrating = sent;
  ctx.hand_over("migrate", handed);
  Ok(())
}

/// A key handed to the host for moving: its name, its payload's fingerprint, its expiry time.
pub struct MigratingKey {
  key: Vec<u8>,
  payload: u64,
  expire_at: i64,
}

/// The DUMP payload of the entry at `pos` of the session's database, and its expiry time.
fn dump(ctx: &Ctx, settings: &Settings, pos: usize) -> (Vec<u8>, i64) {
  let db = &ctx.server.keyspace.dbs[ctx.session.db];
  let mut payload = Vec::new();
  write_value(&mut payload, &db.entry_at(pos).value, settings);
  finish_dump_payload(&mut payload);
  (payload, db.expire_at(pos))
}

fn fingerprint(payload: &[u8]) -> u64 {
  let mut hasher = DefaultHasher::new();
  payload.hash(&mut hasher);
  hasher.finish()
}

/// MIGRATE's end, for the keys the target acknowledged (without COPY): removes those still
/// here as they were sent, each a change with its `del` event, and replays the removal of all
/// of them as DEL.
pub fn migrated(ctx: &mut Ctx, acknowledged: &[&[u8]]) {
  let migrating = std::mem::take(&mut ctx.session.migrating);
  let sent: HashMap<&[u8], &MigratingKey> = migrating.iter().map(|sent| (&sent.key[..], sent)).collect();
  let settings = Settings::from_config(&ctx.server.config);
  let keys: Vec<&[u8]> = acknowledged
    .iter()
    .copied()
    .filter(|&key| {
      let Some(sent) = sent.get(key) else { return false };
      let Some(pos) = ctx.server.keyspace.dbs[ctx.session.db].position(key) else { return false };
      let (payload, expire_at) = dump(ctx, &settings, pos);
      expire_at == sent.expire_at && fingerprint(&payload) == sent.payload
    })
    .collect();
  if keys.is_empty() {
    return;
  }
  let lazy = ctx.server.config.lazyfree_lazy_server_del;
  super::delete::remove_keys(ctx, &keys, lazy);
  ctx.settle_logged();
  if ctx.server.recording_writes() {
    let mut del = vec![b"DEL".to_vec()];
    del.extend(keys.iter().map(|key| key.to_vec()));
    let db = ctx.session.db;
    ctx.server.record_unit(vec![crate::signal::Write::new(db, del)]);
  }
}
