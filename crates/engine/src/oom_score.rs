//! `oom-score-adj`: the score Linux's out-of-memory killer gives the process, set from
//! `oom-score-adj-values` by the server's role, as Redis's `setOOMScoreAdj` does.
//!
//! The values are one per class: master, replica, background child (which redwing has none
//! of: it saves from threads). With `relative` (or `yes`) the class's value is added to the
//! score the process had before the engine first set it; with `absolute` it is the score. Both
//! are kept within -1000 and 1000, the kernel's range. Turning the setting off puts the old
//! score back. The score is written to `/proc/self/oom_score_adj`; where there is no such file
//! (not Linux), or writing it is refused (lowering it needs privileges), the change fails with
//! Redis's log line.
//!
//! Only the standalone server does this (`HostInfo::manages_process`): an embedded store
//! leaves the process of its application alone. The score is set once the configuration is
//! loaded, and again on CONFIG SET of either setting and when the role changes.

use crate::config::OomScoreAdj;
use crate::server::Server;

const SCORE_FILE: &str = "/proc/self/oom_score_adj";

/// The classes of `oom-score-adj-values`.
const MASTER: usize = 0;
const REPLICA: usize = 1;

impl Server {
  /// Sets the process's score for its role (see the module comment); the error, which is
  /// logged, when the file could not be read or written.
  pub fn apply_oom_score_adj(&mut self) -> std::io::Result<()> {
    if !self.host.manages_process {
      return Ok(());
    }
    let score = match self.config.oom_score_adj {
      OomScoreAdj::No => match self.oom_score_base.take() {
        Some(base) => base,
        None => return Ok(()),
      },
      mode => {
        let base = match self.oom_score_base {
          Some(base) => base,
          None => {
            let read = std::fs::read_to_string(SCORE_FILE).map(|text| text.trim().parse::<i64>().unwrap_or(0));
            let base = read.inspect_err(|error| {
              self.telemetry.warn(format!("Unable to read oom_score_adj: {}", crate::error::errno_text(error)));
            })?;
            *self.oom_score_base.insert(base)
          }
        };
        let value = self.config.oom_score_adj_values[if self.is_replica() { REPLICA } else { MASTER }];
        let score = if mode == OomScoreAdj::Relative { value + base } else { value };
        score.clamp(-1000, 1000)
      }
    };
    std::fs::write(SCORE_FILE, format!("{score}\n")).inspect_err(|error| {
      self.telemetry.warn(format!("Unable to write oom_score_adj: {}", crate::error::errno_text(error)));
    })
  }
}
