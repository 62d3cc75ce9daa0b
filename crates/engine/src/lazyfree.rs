//! Lazy freeing: large values and whole databases dropped on a background thread.
//!
//! Why: freeing a set of a million members takes as long as making it did, one allocation at a
//! time; UNLINK and FLUSHALL ASYNC exist so that the command does not. As in Redis, a value
//! whose "free effort" ([`free_effort`]: its allocations, roughly) is above 64 goes to the
//! `lazyfree` thread, smaller ones are dropped in place, since handing them over would cost
//! more than freeing them. A flushed database goes over whole.
//!
//! Who frees lazily: UNLINK always, DEL under `lazyfree-lazy-user-del`, FLUSHDB/FLUSHALL with
//! ASYNC (or without a mode under `lazyfree-lazy-user-flush`). The thread starts with the first
//! job. INFO's `lazyfree_pending_objects` and `lazyfreed_objects` count what is queued and what
//! it freed (a database counts its keys), as Redis's atomics do. The memory counter (see
//! `alloc`) is process-wide, so `used_memory` falls as the thread frees.

use crate::db::Entry;
use crate::dense::DenseMap;
use crate::value::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

/// Values of at most this effort are freed in place (Redis's `LAZYFREE_THRESHOLD`).
const THRESHOLD: usize = 64;

/// What the thread frees: the payloads are only held, to be dropped there.
#[allow(dead_code)]
enum Job {
  Value(Value),
  Database(DenseMap<Entry>),
}

impl Job {
  /// How many objects the job counts for (`lazyfree_pending_objects`).
  fn objects(&self) -> u64 {
    match self {
      Job::Value(_) => 1,
      Job::Database(entries) => entries.len() as u64,
    }
  }
}

#[derive(Default)]
struct Counters {
  pending: AtomicU64,
  freed: AtomicU64,
}

/// The lazy-free thread's handle and counters.
#[derive(Default)]
pub struct LazyFree {
  jobs: Option<Sender<Job>>,
  counters: Arc<Counters>,
}

/// Allocations freeing `value` takes, as Redis's `lazyfreeGetFreeEffort` estimates them: one
/// for a compact encoding, one per element for the tables and the skiplist, one per list
/// element (each is its own allocation here), and for a stream one per node plus, per group,
/// one and the first group's pending entries.
pub fn free_effort(value: &Value) -> usize {
  match value {
    Value::List(list) => list.len(),
    Value::Set(set) if set.encoding() == "hashtable" => set.len(),
    Value::Hash(hash) if hash.encoding() == "hashtable" => hash.len(),
    Value::ZSet(zset) if zset.encoding() == "skiplist" => zset.len(),
    Value::Stream(stream) => stream.free_effort(),
    _ => 1,
  }
}

impl LazyFree {
  /// Frees `value`, on the thread if it is large enough to be worth it.
  pub fn free(&mut self, value: Value) {
    if free_effort(&value) > THRESHOLD {
      self.send(Job::Value(value));
    }
  }

  /// Frees a database's entries on the thread.
  pub fn free_database(&mut self, entries: DenseMap<Entry>) {
    if !entries.is_empty() {
      self.send(Job::Database(entries));
    }
  }

  /// INFO `lazyfree_pending_objects`.
  pub fn pending(&self) -> u64 {
    self.counters.pending.load(Ordering::Relaxed)
  }

  /// INFO `lazyfreed_objects`.
  pub fn freed(&self) -> u64 {
    self.counters.freed.load(Ordering::Relaxed)
  }

  /// CONFIG RESETSTAT.
  pub fn reset_stats(&self) {
    self.counters.freed.store(0, Ordering::Relaxed);
  }

  /// Queues `job` for the thread (started with the first job); frees it in place if the
  /// thread cannot be started or is gone.
  fn send(&mut self, job: Job) {
    self.counters.pending.fetch_add(job.objects(), Ordering::Relaxed);
    if self.jobs.is_none() {
      self.start();
    }
    let job = match &self.jobs {
      Some(jobs) => match jobs.send(job) {
        Ok(()) => return,
        Err(failed) => failed.0,
      },
      None => job,
    };
    self.free_here(job);
  }

  fn start(&mut self) {
    let (sender, receiver) = channel::<Job>();
    let counters = Arc::clone(&self.counters);
    let spawned = std::thread::Builder::new().name("lazyfree".into()).spawn(move || {
      for job in receiver {
        let objects = job.objects();
        drop(job);
        counters.pending.fetch_sub(objects, Ordering::Relaxed);
        counters.freed.fetch_add(objects, Ordering::Relaxed);
      }
    });
    if spawned.is_ok() {
      self.jobs = Some(sender);
    }
  }

  fn free_here(&self, job: Job) {
    let objects = job.objects();
    drop(job);
    self.counters.pending.fetch_sub(objects, Ordering::Relaxed);
    self.counters.freed.fetch_add(objects, Ordering::Relaxed);
  }
}
