//! A coordinated failover (FAILOVER, Redis 6.2): the master swaps roles with one of its
//! replicas without losing a write.
//!
//! FAILOVER holds writes (the `failover` part of [`crate::blocking::Pause`]) and waits until a
//! replica (the one named with TO, or any) acknowledged the whole stream. Then this server
//! becomes that replica's replica (`set_master`), and its handshake's PSYNC carries
//! `FAILOVER`: the target, seeing its own replication id, promotes itself (REPLICAOF NO ONE)
//! and answers `+CONTINUE` with its new id, and the writes are let go. A TIMEOUT gives up
//! (or, with FORCE, fails over to the named replica anyway); FAILOVER ABORT gives up at once.

use crate::server::Server;

/// INFO's `master_failover_state`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum FailoverState {
  #[default]
  None,
  /// Writes are held until a replica has the whole stream.
  WaitForSync,
  /// This server is connecting to its replica as that replica's replica.
  InProgress,
}

/// The failover under way.
#[derive(Default)]
pub struct Failover {
  pub state: FailoverState,
  /// The replica to fail over to (TO host port), or the one that caught up first.
  pub target: Option<(String, u16)>,
  /// Unix ms when it gives up (TIMEOUT), or 0.
  pub end_ms: i64,
  /// FORCE: at the timeout, fail over to the target even if it has not caught up.
  pub force: bool,
}

impl FailoverState {
  pub fn name(self) -> &'static str {
    match self {
      FailoverState::None => "no-failover",
      FailoverState::WaitForSync => "waiting-for-sync",
      FailoverState::InProgress => "failover-in-progress",
    }
  }
}

impl Server {
  /// Starts a failover (the command checked its arguments): writes wait from now on.
  pub(crate) fn start_failover(&mut self, target: Option<(String, u16)>, end_ms: i64, force: bool) {
    let line = match &target {
      Some((host, port)) => format!("FAILOVER requested to {host}:{port}."),
      None => "FAILOVER requested to any replica.".into(),
    };
    self.telemetry.log_lines.push(line);
    self.repl.failover = Failover { state: FailoverState::WaitForSync, target, end_ms, force };
    self.blocking.pause.failover = true;
    self.repl.want_acks = true;
  }

  /// Gives up on the failover under way, if there is one: back to being a master.
  pub(crate) fn abort_failover(&mut self, reason: &str) {
    let failover = &self.repl.failover;
    if failover.state == FailoverState::None {
      return;
    }
    let line = match &failover.target {
      Some((host, port)) => format!("FAILOVER to {host}:{port} aborted: {reason}"),
      None => format!("FAILOVER to any replica aborted: {reason}"),
    };
    self.telemetry.log_lines.push(line);
    if failover.state == FailoverState::InProgress {
      self.unset_master();
    }
    self.end_failover();
  }

  /// The failover is over (done or given up): writes go on.
  pub(crate) fn end_failover(&mut self) {
    self.repl.failover = Failover::default();
    self.blocking.pause.failover = false;
  }

  /// Whether this server's PSYNC asks its master to take over (`PSYNC … FAILOVER`).
  pub(crate) fn failing_over(&self) -> bool {
    self.repl.failover.state == FailoverState::InProgress
  }

  /// The master's answer to a failover's PSYNC: a resynchronisation of either kind ends it
  /// well; anything else gives up.
  pub(crate) fn failover_psync_answered(&mut self, accepted: bool) {
    if !self.failing_over() {
      return;
    }
    if accepted {
      self.end_failover();
    } else {
      self.abort_failover("Failover target rejected psync request");
    }
  }

  /// The periodic part (Redis's `updateFailoverStatus`): the timeout, and the switch once a
  /// replica caught up.
  pub(crate) fn failover_cron(&mut self, now: i64) {
    let failover = &self.repl.failover;
    if failover.state != FailoverState::WaitForSync {
      return;
    }
    if failover.end_ms != 0 && failover.end_ms <= now {
      match failover.target.clone().filter(|_| failover.force) {
        Some((host, port)) => {
          self.telemetry.log_lines.push(format!("FAILOVER to {host}:{port} time out exceeded, failing over."));
          self.repl.failover.state = FailoverState::InProgress;
          self.set_master(host, port);
        }
        None => self.abort_failover("Replica never caught up before timeout"),
      }
      return;
    }
    let offset = self.repl.offset;
    let caught_up = self
      .repl
      .replicas
      .iter()
      .filter(|replica| replica.is_online())
      .map(|replica| (super::replica_address(self, replica), replica.ack_offset))
      .find(|((host, port), ack)| {
        *ack == offset
          && failover
            .target
            .as_ref()
            .is_none_or(|(to_host, to_port)| to_host.eq_ignore_ascii_case(host) && to_port == port)
      });
    if let Some((host, port)) = caught_up.map(|(address, _)| address) {
      self.telemetry.log_lines.push(format!("Failover target {host}:{port} is synced, failing over."));
      self.repl.failover.target = Some((host.clone(), port));
      self.repl.failover.state = FailoverState::InProgress;
      self.set_master(host, port);
    }
  }
}
