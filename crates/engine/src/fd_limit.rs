//! The process's open-file limit against `maxclients`, as Redis's `adjustOpenFilesLimit`.
//!
//! Every client holds a file descriptor, and the server needs some more of its own (listeners,
//! files being written, a replica's link): `maxclients` plus [`RESERVED_FDS`] in all. When
//! the soft `RLIMIT_NOFILE` is lower, the limit is raised (soft and hard together, as Redis
//! does; raising the hard limit needs privileges), trying a little less each time it is
//! refused. If the best limit the system grants is still too low, `maxclients` comes down to
//! what it allows, with Redis's three warnings; a limit too low for even one client stops
//! start-up. Only the standalone server does this, at start-up and on CONFIG SET maxclients
//! (it says so with `HostInfo::manages_process`): an embedded store leaves the process of
//! its application alone.

use crate::server::Server;

/// Descriptors kept for the server's own use beyond one per client.
pub const RESERVED_FDS: u64 = 32;

/// What [`Server::adjust_open_files_limit`] found.
pub struct Adjusted {
  /// Log lines; those starting with `# ` are warnings.
  pub log: Vec<String>,
  /// The limit cannot serve a single client: the server must not start.
  pub fatal: bool,
}

impl Server {
  /// Makes the open-file limit fit `maxclients`, or `maxclients` fit the limit (see the
  /// module comment).
  pub fn adjust_open_files_limit(&mut self) -> Adjusted {
    let mut adjusted = Adjusted { log: Vec::new(), fatal: false };
    let wanted = self.config.maxclients as u64 + RESERVED_FDS;
    let Some(old) = current_limit() else {
      adjusted.log.push(format!(
        "# Unable to obtain the current NOFILE limit ({}), assuming 1024 and setting the max clients configuration accordingly.",
        crate::error::errno_text(&std::io::Error::last_os_error())
      ));
      self.config.maxclients = (1024 - RESERVED_FDS) as i64;
      return adjusted;
    };
    if old >= wanted {
      return adjusted;
    }
    const STEP: u64 = 16;
    let mut best = wanted;
    let mut refusal = None;
    while best > old {
      match set_limit(best) {
        Ok(()) => break,
        Err(error) => refusal = Some(error),
      }
      if best < STEP {
        best = old;
        break;
      }
      best -= STEP;
    }
    let best = best.max(old);
    let log = &mut adjusted.log;
    if best >= wanted {
      log.push(format!("Increased maximum number of open files to {wanted} (it was originally set to {old})."));
      return adjusted;
    }
    if best <= RESERVED_FDS {
      log.push(format!(
        "# Your current 'ulimit -n' of {old} is not enough for the server to start. Please increase your open file limit to at least {wanted}. Exiting."
      ));
      adjusted.fatal = true;
      return adjusted;
    }
    let requested = self.config.maxclients;
    self.config.maxclients = (best - RESERVED_FDS) as i64;
    let reason = refusal.map(|error| crate::error::errno_text(&error)).unwrap_or_default();
    log.push(format!("# You requested maxclients of {requested} requiring at least {wanted} max file descriptors."));
    log.push(format!("# Server can't set maximum open files to {wanted} because of OS error: {reason}."));
    log.push(format!(
      "# Current maximum open files is {best}. maxclients has been reduced to {} to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
      self.config.maxclients
    ));
    adjusted
  }
}

#[cfg(unix)]
fn current_limit() -> Option<u64> {
  let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
  // SAFETY: getrlimit writes one rlimit into the struct it is given.
  let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
  // rlim_t is not u64 on every Unix.
  #[allow(clippy::unnecessary_cast)]
  ok.then_some(limit.rlim_cur as u64)
}

#[cfg(unix)]
fn set_limit(files: u64) -> std::io::Result<()> {
  let limit = libc::rlimit { rlim_cur: files as libc::rlim_t, rlim_max: files as libc::rlim_t };
  // SAFETY: setrlimit reads the struct it is given.
  match unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } {
    0 => Ok(()),
    _ => Err(std::io::Error::last_os_error()),
  }
}

/// Without `getrlimit` the limit is unknown: nothing to adjust.
#[cfg(not(unix))]
fn current_limit() -> Option<u64> {
  Some(u64::MAX)
}

#[cfg(not(unix))]
fn set_limit(_files: u64) -> std::io::Result<()> {
  Ok(())
}
