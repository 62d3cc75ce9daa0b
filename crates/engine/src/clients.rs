//! The clients part of the server: every open session, and the lists the host drains.
//!
//! Sessions live in a slab; a session's slot number is the handle the host uses, and client
//! ids (CLIENT ID, CLIENT KILL ID…) map to slots. While a session runs a command it is taken
//! out of its slot (so the command can borrow it next to the rest of the server); the
//! iterators below therefore skip it. The host drains `outbound` (sessions with output queued,
//! see `output.rs`), `kills` (sessions to disconnect) and `resumes` (sessions with a command
//! for the host) after each call.

use crate::session::Session;
use std::collections::HashMap;

/// What the host does at once for a session CLIENT KILL disconnects: Redis closes another
/// client's connection right away, so its peer sees it end even while the command that killed
/// it goes on (a transaction sleeping in DEBUG SLEEP, a long script). The session itself still
/// closes when the host takes `kills` after the call. Installed with
/// [`crate::Engine::set_hang_up`]; without one, connections end only then.
pub trait HangUp {
  /// Ends the connection of `slot` now, if there is one the host can end from here.
  fn hang_up(&mut self, slot: u32);
}

#[derive(Default)]
pub struct Clients {
  pub(crate) slab: Vec<Option<Box<Session>>>,
  free_slots: Vec<u32>,
  /// Slot of each open session, by client id.
  ids: HashMap<u64, u32>,
  next_client_id: u64,
  /// Sessions with output queued for the host (see `output.rs`).
  pub(crate) outbound: Vec<u32>,
  /// Sessions the host must disconnect (CLIENT KILL, idle timeout, output limits), drained
  /// after each call.
  pub kills: Vec<u32>,
  /// Sessions with a command for the host that the engine ran again by itself (see
  /// `Engine::rerun`): the host resumes each (`Engine::resume`), which gives it the command.
  /// Drained after each call, as `kills`.
  pub resumes: Vec<u32>,
  /// Sessions in MONITOR mode.
  pub monitors: Vec<u32>,
  pub(crate) hang_up: Option<Box<dyn HangUp>>,
}

impl Clients {
  /// Disconnects the sessions in `slots` for CLIENT KILL: their connections end now (see
  /// [`HangUp`]), the sessions once the host takes `kills`.
  pub(crate) fn kill_now(&mut self, slots: Vec<u32>) {
    if let Some(host) = &mut self.hang_up {
      for &slot in &slots {
        host.hang_up(slot);
      }
    }
    self.kills.extend(slots);
  }

  /// The client id the next session gets (ids start at 1 and are never reused).
  pub(crate) fn next_id(&mut self) -> u64 {
    self.next_client_id += 1;
    self.next_client_id
  }

  /// Stores a new session and returns its slot.
  pub(crate) fn insert(&mut self, session: Box<Session>) -> u32 {
    let id = session.id;
    let slot = match self.free_slots.pop() {
      Some(slot) => {
        self.slab[slot as usize] = Some(session);
        slot
      }
      None => {
        self.slab.push(Some(session));
        (self.slab.len() - 1) as u32
      }
    };
    self.ids.insert(id, slot);
    slot
  }

  /// Removes the session in `slot` for good (its slot is reused), forgetting it in the lists.
  pub(crate) fn remove(&mut self, slot: u32) -> Option<Box<Session>> {
    let session = self.slab.get_mut(slot as usize)?.take()?;
    self.free_slots.push(slot);
    self.ids.remove(&session.id);
    self.monitors.retain(|&s| s != slot);
    self.outbound.retain(|&s| s != slot);
    Some(session)
  }

  /// Takes the session in `slot` out to run a command; [`Clients::put_back`] returns it.
  #[inline]
  pub(crate) fn take(&mut self, slot: u32) -> Option<Box<Session>> {
    self.slab.get_mut(slot as usize).and_then(Option::take)
  }

  #[inline]
  pub(crate) fn put_back(&mut self, slot: u32, session: Box<Session>) {
    self.slab[slot as usize] = Some(session);
  }

  /// The slot of the open session with client id `id`.
  pub fn slot_of(&self, id: u64) -> Option<u32> {
    self.ids.get(&id).copied()
  }

  /// The session in `slot`, if open (and not currently executing).
  pub fn session(&self, slot: u32) -> Option<&Session> {
    self.slab.get(slot as usize)?.as_deref()
  }

  pub fn session_mut(&mut self, slot: u32) -> Option<&mut Session> {
    self.slab.get_mut(slot as usize)?.as_deref_mut()
  }

  /// Slots and sessions of every open session not currently executing.
  pub fn sessions(&self) -> impl Iterator<Item = (u32, &Session)> {
    self.slab.iter().enumerate().filter_map(|(slot, s)| Some((slot as u32, s.as_deref()?)))
  }

  pub fn sessions_mut(&mut self) -> impl Iterator<Item = (u32, &mut Session)> {
    self.slab.iter_mut().enumerate().filter_map(|(slot, s)| Some((slot as u32, s.as_deref_mut()?)))
  }

  /// Number of open sessions, including one currently executing.
  pub fn count(&self) -> usize {
    self.slab.len() - self.free_slots.len()
  }
}
