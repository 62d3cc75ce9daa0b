//! The RDB file read at start-up in slices, with clients served in between, as Redis serves
//! them while it loads (`loading:1` in INFO).
//!
//! Redis reads its file in one call, but every `loading-process-events-interval-bytes` read
//! it handles the events that came meanwhile: clients connect and send commands, and every
//! command without the `loading` flag gets `-LOADING Redis is loading the dataset in memory`
//! (INFO, CONFIG GET, most of CONFIG SET, SHUTDOWN, DEBUG LOG… run). Here the host calls
//! [`crate::Engine::rdb_load_step`] until it is done, and serves its connections between two
//! calls; each call reads items up to the next multiple of that interval. While
//! [`Server::loading`] is set, the dispatcher refuses those commands, CONFIG SET refuses
//! `dir`, `appendonly` and `repl-diskless-load`, a shutdown never saves (the dataset is half
//! read), and the periodic work does nothing but a shutdown a signal asked for. DEBUG RELOAD
//! and DEBUG LOADAOF, which Redis would run, are refused too: they would save the half-read
//! dataset over the file.
//!
//! What the file held is staged as in a load in one go ([`Staged`]) and reaches the keyspace
//! at the end, so INFO's keyspace stays empty until then. `key-load-delay`, Redis's knob for
//! tests of loading, waits that many microseconds after each key (a negative value: one
//! microsecond once every that many keys).

use super::encoding::RdbError;
use super::file::{FileReader, Item, LoadMode, Loaded, Staged};
use super::value::Settings;
use crate::server::{now_ms, Server};

/// A load under way.
pub struct Loading {
  data: Vec<u8>,
  version: u16,
  /// Where the next slice starts reading.
  pos: usize,
  staged: Staged,
  /// When the load began, in Unix seconds (INFO `loading_start_time`).
  pub(crate) started_s: i64,
  /// Keys read so far, for a negative `key-load-delay`.
  keys_read: u64,
}

impl Loading {
  /// The file's size.
  pub(crate) fn total_bytes(&self) -> usize {
    self.data.len()
  }

  /// Bytes read so far.
  pub(crate) fn loaded_bytes(&self) -> usize {
    self.pos
  }

  /// The `used-mem` field of the file, once read (0 before).
  pub(crate) fn rdb_used_mem(&self) -> u64 {
    self.staged.used_mem
  }
}

impl Server {
  /// Begins loading the RDB file `data` (see the module comment); an error means its header
  /// is not one of an RDB file.
  pub(crate) fn begin_loading(&mut self, data: Vec<u8>) -> Result<(), RdbError> {
    let header = FileReader::open(&data)?;
    let (version, pos) = (header.version(), header.pos());
    let staged = Staged::new(self, LoadMode::REPLACE_ALL);
    self.keyspace.bgsave.last_load_keys = 0;
    self.keyspace.bgsave.last_load_expired = 0;
    let started_s = now_ms() / 1000;
    self.loading = Some(Box::new(Loading { data, version, pos, staged, started_s, keys_read: 0 }));
    Ok(())
  }

  /// Reads the next slice of the load under way: `None` while more is left, its outcome once
  /// the file was read (or failed); the load is then over.
  pub(crate) fn loading_step(&mut self) -> Option<Result<Loaded, RdbError>> {
    let mut loading = self.loading.take()?;
    let settings = Settings::from_config(&self.config);
    let interval = self.config_int("loading-process-events-interval-bytes").max(1) as usize;
    let delay = self.config_int("key-load-delay");
    let now = now_ms();
    let Loading { data, version, pos, staged, keys_read, .. } = &mut *loading;
    let mut file = FileReader::resume(data, *version, *pos);
    let slice_end = (*pos / interval + 1) * interval;
    let read_all = loop {
      let item = match file.next(&settings) {
        Ok(Some(item)) => item,
        Ok(None) => break true,
        Err(error) => return Some(Err(error)),
      };
      let is_key = matches!(item, Item::Key { .. });
      if let Err(error) = staged.take(item, self, now) {
        return Some(Err(error));
      }
      if is_key {
        *keys_read += 1;
        key_load_delay(delay, *keys_read);
      }
      if file.pos() >= slice_end {
        break false;
      }
    };
    *pos = file.pos();
    if read_all {
      let Loading { data, version, pos, staged, .. } = *loading;
      return Some(staged.finish(&mut FileReader::resume(&data, version, pos), &data, self, now));
    }
    self.loading = Some(loading);
    None
  }

  /// Whether a dataset is being loaded: the RDB file in slices, or the append-only file.
  pub(crate) fn is_loading(&self) -> bool {
    self.loading.is_some() || self.loading_append_only
  }

  fn config_int(&self, name: &str) -> i64 {
    crate::cmd::server::config::value_of(self, name.as_bytes()).and_then(|value| value.parse().ok()).unwrap_or(0)
  }
}

/// Redis's `debugDelay` after a key was read: `delay` microseconds, or for a negative one, one
/// microsecond once every `-delay` keys.
fn key_load_delay(delay: i64, keys_read: u64) {
  let micros = match delay {
    0 => return,
    delay if delay > 0 => delay as u64,
    delay if keys_read.is_multiple_of(delay.unsigned_abs()) => 1,
    _ => return,
  };
  std::thread::sleep(std::time::Duration::from_micros(micros));
}
