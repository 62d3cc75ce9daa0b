//! MEMORY USAGE/STATS/DOCTOR/MALLOC-STATS/PURGE/HELP.
//!
//! MEMORY USAGE estimates what a key costs in redwing: its entry in the keyspace (key, value
//! and expiry slots, plus its hash index slot) and the heap memory its key and value own.
//! Process-wide figures are the engine's counted allocations (see `alloc.rs`), as INFO
//! memory shows them.

use super::help_reply;
use super::info::{human_bytes, memory_figures, KEY_OVERHEAD};
use crate::cmd::args::Args;
use crate::cmd::{is, Ctx};
use crate::error::{CmdResult, Error};

/// MEMORY USAGE key [SAMPLES count]: the estimated bytes of the key and its value; null when
/// the key does not exist. SAMPLES is accepted for compatibility (sizes are exact here).
pub fn usage(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut args = Args::new(argv, 3);
  while let Some(option) = args.next() {
    if !is(option, "SAMPLES") || args.int()? < 0 {
      return Err(Error::Syntax);
    }
  }
  let db = ctx.db();
  let Some(pos) = db.position(argv[2]) else {
    ctx.out.null();
    return Ok(());
  };
  let entry = db.entry_at(pos);
  let bytes = KEY_OVERHEAD as usize + entry.key.heap_size() + entry.value.heap_size();
  ctx.out.int(bytes as i64);
  Ok(())
}

/// MEMORY STATS: memory figures as a map, with Redis's field names.
pub fn stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let m = memory_figures(ctx);
  let percent = |part: u64, whole: u64| {
    if whole == 0 {
      0.0
    } else {
      part as f64 * 100.0 / whole as f64
    }
  };
  let integers: [(&str, u64); 12] = [
    ("peak.allocated", m.peak),
    ("total.allocated", m.used),
    ("startup.allocated", m.startup),
    ("replication.backlog", m.backlog),
    ("clients.slaves", m.replicas),
    ("clients.normal", m.clients),
    ("cluster.links", 0),
    ("aof.buffer", m.aof),
    ("lua.caches", 0),
    ("functions.caches", 0),
    ("overhead.total", m.overhead),
    ("keys.count", m.keys),
  ];
  let databases: Vec<(usize, usize, usize)> = ctx
    .server
    .keyspace
    .dbs
    .iter()
    .enumerate()
    .filter(|(_, db)| !db.is_empty())
    .map(|(i, db)| (i, db.len(), db.volatile_len()))
    .collect();
  // The system allocator's own figures are not known: as in INFO memory, what it holds is
  // what was allocated, and the difference from the resident size is all fragmentation.
  let allocator: [(&str, u64); 3] =
    [("allocator.allocated", m.used), ("allocator.active", m.used), ("allocator.resident", m.used)];
  let allocator_ratios = ["allocator-fragmentation", "allocator-rss", "rss-overhead"];
  let out = &mut *ctx.out;
  out.map(integers.len() + databases.len() + 6 + allocator.len() + 2 * allocator_ratios.len());
  for (name, value) in integers {
    out.bulk(name.as_bytes());
    out.int(value as i64);
  }
  out.bulk(b"keys.bytes-per-key");
  out.int((m.used - m.startup).checked_div(m.keys).unwrap_or(0) as i64);
  for (index, keys, volatile) in databases {
    out.bulk(format!("db.{index}").as_bytes());
    out.map(2);
    out.bulk(b"overhead.hashtable.main");
    out.int((keys as u64 * KEY_OVERHEAD) as i64);
    out.bulk(b"overhead.hashtable.expires");
    out.int((volatile * std::mem::size_of::<u32>()) as i64);
  }
  out.bulk(b"dataset.bytes");
  out.int(m.dataset as i64);
  out.bulk(b"dataset.percentage");
  out.double(percent(m.dataset, m.used - m.startup));
  out.bulk(b"peak.percentage");
  out.double(percent(m.used, m.peak));
  for (name, value) in allocator {
    out.bulk(name.as_bytes());
    out.int(value as i64);
  }
  for name in allocator_ratios {
    out.bulk(format!("{name}.ratio").as_bytes());
    out.double(1.0);
    out.bulk(format!("{name}.bytes").as_bytes());
    out.int(0);
  }
  out.bulk(b"fragmentation");
  out.double(m.rss as f64 / m.used.max(1) as f64);
  out.bulk(b"fragmentation.bytes");
  out.int(m.rss as i64 - m.used as i64);
  Ok(())
}

/// MEMORY DOCTOR: a readable note on memory use.
pub fn doctor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let m = memory_figures(ctx);
  let text = if m.keys == 0 {
    format!("The dataset is empty; the server uses {} of memory.\n", human_bytes(m.used))
  } else {
    format!(
      "The server uses {} of memory (peak {}) for {} keys. No memory problems were detected.\n",
      human_bytes(m.used),
      human_bytes(m.peak),
      m.keys
    )
  };
  ctx.out.verbatim(b"txt", text.as_bytes());
  Ok(())
}

/// MEMORY MALLOC-STATS: the system allocator keeps no statistics to report.
pub fn malloc_stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.verbatim(b"txt", b"Stats not supported for the current allocator");
  Ok(())
}

/// MEMORY PURGE: nothing to do with the system allocator.
pub fn purge(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  ctx.out.ok();
  Ok(())
}

/// MEMORY HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "MEMORY",
    &[
      "DOCTOR",
      "    Reply with a readable note on memory use.",
      "MALLOC-STATS",
      "    Reply with the memory allocator's statistics.",
      "PURGE",
      "    Ask the memory allocator to give unused memory back.",
      "STATS",
      "    Reply with memory usage figures.",
      "USAGE <key> [SAMPLES <count>]",
      "    Reply with the estimated bytes used by <key> and its value.",
    ],
  );
  Ok(())
}
