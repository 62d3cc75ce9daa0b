//! A base file made of commands, for `aof-use-rdb-preamble no` (Redis's
//! `rewriteAppendOnlyFileRio`): FUNCTION LOAD for each library, then per non-empty database a
//! SELECT and, for each key, the commands that rebuild it as Redis emits them: SET for strings;
//! RPUSH, SADD, ZADD and HMSET with at most 64 items each; for streams an XADD per entry (or
//! the `XADD MAXLEN 0` trick for an empty stream), XSETID with the counters, XGROUP CREATE per
//! group, XCLAIM … FORCE per pending entry and XGROUP CREATECONSUMER for consumers without
//! any; then PEXPIREAT when the key has a time to live.

use super::encoder::encode_command;
use crate::num::format_double;
use crate::server::Server;
use crate::types::stream::{Stream, StreamId};
use crate::value::Value;

/// Items per RPUSH, SADD, ZADD or HMSET (Redis's `AOF_REWRITE_ITEMS_PER_CMD`).
const ITEMS_PER_COMMAND: usize = 64;

/// The dataset of `server` as AOF commands.
pub(super) fn commands(server: &Server, now_ms: i64) -> Vec<u8> {
  let mut out = Vec::new();
  if server.config.aof_timestamp_enabled {
    out.extend_from_slice(format!("#TS:{}\r\n", now_ms / 1000).as_bytes());
  }
  for library in &server.scripting.functions.libraries {
    encode_command::<&[u8]>(&mut out, &[b"FUNCTION", b"LOAD", &library.code]);
  }
  for (index, db) in server.keyspace.dbs.iter().enumerate() {
    if db.is_empty() {
      continue;
    }
    encode_command(&mut out, &[b"SELECT", index.to_string().as_bytes()]);
    for entry in db.entries() {
      let key = &entry.key[..];
      match &entry.value {
        Value::List(list) => batched(&mut out, b"RPUSH", key, list.iter().map(|item| vec![item.to_vec()])),
        Value::Set(set) => batched(&mut out, b"SADD", key, set.iter().map(|member| vec![member.to_vec()])),
        Value::ZSet(zset) => batched(
          &mut out,
          b"ZADD",
          key,
          zset.iter().map(|(member, score)| vec![format_double(score).into_bytes(), member.to_vec()]),
        ),
        Value::Hash(hash) => {
          batched(&mut out, b"HMSET", key, hash.iter().map(|(field, value)| vec![field.to_vec(), value.to_vec()]))
        }
        Value::Stream(stream) => rewrite_stream(&mut out, key, stream),
        string => {
          let value = string.as_bytes().unwrap_or_default();
          encode_command(&mut out, &[b"SET", key, &value]);
        }
      }
      let expire_at = db.expire_of(entry);
      if expire_at != crate::db::NO_EXPIRE {
        encode_command(&mut out, &[b"PEXPIREAT", key, expire_at.to_string().as_bytes()]);
      }
    }
  }
  out
}

/// `command key item…` with at most [`ITEMS_PER_COMMAND`] items (each one or more words) per
/// command.
fn batched(out: &mut Vec<u8>, command: &[u8], key: &[u8], items: impl Iterator<Item = Vec<Vec<u8>>>) {
  let items: Vec<Vec<Vec<u8>>> = items.collect();
  for chunk in items.chunks(ITEMS_PER_COMMAND) {
    let mut argv: Vec<&[u8]> = vec![command, key];
    argv.extend(chunk.iter().flatten().map(Vec::as_slice));
    encode_command(out, &argv);
  }
}

fn id_text(id: StreamId) -> Vec<u8> {
  format!("{}-{}", id.ms, id.seq).into_bytes()
}

fn rewrite_stream(out: &mut Vec<u8>, key: &[u8], stream: &Stream) {
  if stream.is_empty() {
    encode_command(out, &[b"XADD", key, b"MAXLEN", b"0", b"0-1", b"x", b"y"]);
  } else {
    for entry in stream.range(StreamId::default(), StreamId::MAX) {
      let id = id_text(entry.id);
      let pairs: Vec<(Vec<u8>, Vec<u8>)> = entry.pairs().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
      let mut argv: Vec<&[u8]> = vec![b"XADD", key, &id];
      for (field, value) in &pairs {
        argv.push(field);
        argv.push(value);
      }
      encode_command(out, &argv);
    }
  }
  let last = id_text(stream.last_id);
  let added = stream.entries_added.to_string();
  let max_deleted = id_text(stream.max_deleted_id);
  let xsetid: [&[u8]; 7] = [b"XSETID", key, &last, b"ENTRIESADDED", added.as_bytes(), b"MAXDELETEDID", &max_deleted];
  encode_command(out, &xsetid);
  for (name, group) in &stream.groups {
    let last = id_text(group.last_id);
    let read = group.entries_read.unwrap_or(-1).to_string();
    encode_command(out, &[b"XGROUP", b"CREATE", key, name, &last, b"ENTRIESREAD", read.as_bytes()]);
    for (consumer_name, consumer) in &group.consumers {
      if consumer.pending.is_empty() {
        encode_command::<&[u8]>(out, &[b"XGROUP", b"CREATECONSUMER", key, name, consumer_name]);
        continue;
      }
      for id in &consumer.pending {
        let Some(pending) = group.pel.get(id) else { continue };
        let (id, time, count) = (id_text(*id), pending.delivery_time.to_string(), pending.delivery_count.to_string());
        let argv: [&[u8]; 12] = [
          b"XCLAIM",
          key,
          name,
          consumer_name,
          b"0",
          &id,
          b"TIME",
          time.as_bytes(),
          b"RETRYCOUNT",
          count.as_bytes(),
          b"JUSTID",
          b"FORCE",
        ];
        encode_command(out, &argv);
      }
    }
  }
}
