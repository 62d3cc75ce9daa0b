//! The background fsync of `appendfsync everysec` (Redis's bio thread for AOF fsyncs).
//!
//! The main thread hands a file over at most once a second; a worker thread, started on first
//! use, fsyncs it. A file replaced by a new incremental file is handed over one last time and
//! closed once it is synced. `pending` counts the handed-over files not synced yet (INFO's
//! `aof_pending_bio_fsync`), and a failed fsync is kept: it makes the server refuse writes as
//! Redis does, until AOF is turned off and on again.

use std::fs::File;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub(super) struct FsyncWorker {
  jobs: Option<Sender<Arc<File>>>,
  shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
  pending: AtomicUsize,
  /// Whether `failure` holds an error (read for every write command, so without a lock).
  failed: AtomicBool,
  failure: Mutex<Option<String>>,
}

impl FsyncWorker {
  /// Hands `file` to the worker thread to be fsynced.
  pub(super) fn fsync(&mut self, file: Arc<File>) {
    let shared = self.shared.clone();
    let jobs = self.jobs.get_or_insert_with(|| {
      let (sender, receiver) = channel::<Arc<File>>();
      std::thread::spawn(move || {
        for file in receiver {
          if let Err(error) = file.sync_data() {
            *shared.failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(crate::error::errno_text(&error));
            shared.failed.store(true, Ordering::Release);
          }
          shared.pending.fetch_sub(1, Ordering::AcqRel);
        }
      });
      sender
    });
    self.shared.pending.fetch_add(1, Ordering::AcqRel);
    if jobs.send(file).is_err() {
      self.shared.pending.fetch_sub(1, Ordering::AcqRel);
    }
  }

  /// Files handed over and not synced yet.
  pub(super) fn pending(&self) -> usize {
    self.shared.pending.load(Ordering::Acquire)
  }

  /// The error of a failed background fsync, if one failed.
  pub(super) fn failure(&self) -> Option<String> {
    if !self.shared.failed.load(Ordering::Acquire) {
      return None;
    }
    self.shared.failure.lock().unwrap_or_else(|e| e.into_inner()).clone()
  }

  /// Forgets a failure (AOF was turned on again).
  pub(super) fn clear_failure(&self) {
    self.shared.failed.store(false, Ordering::Release);
    *self.shared.failure.lock().unwrap_or_else(|e| e.into_inner()) = None;
  }
}
