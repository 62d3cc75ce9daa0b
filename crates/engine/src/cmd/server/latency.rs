//! The latency monitor and LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HISTOGRAM/HELP.
//!
//! Two kinds of measurements, both taken after every command by [`observe`]:
//! - per-command histograms of every duration (when `latency-tracking` is on), read by INFO
//!   latencystats and LATENCY HISTOGRAM;
//! - latency events: when a command takes at least `latency-monitor-threshold` milliseconds,
//!   a sample is added to the `command` (or `fast-command`) event. Like Redis, an event keeps
//!   its last 160 samples, one per second (the worst one when several fall in the same
//!   second), and its all-time maximum.

use super::command::find_by_full_name;
use super::histogram::Histogram;
use super::{help_reply, Telemetry};
use crate::cmd::table::{flags, CommandSpec};
use crate::cmd::Ctx;
use crate::error::{CmdResult, Error};
use std::collections::VecDeque;

/// Samples kept per event.
const SAMPLES_KEPT: usize = 160;

#[derive(Clone, Copy)]
pub struct Sample {
  /// Unix seconds.
  pub time: i64,
  /// Milliseconds.
  pub latency: u64,
}

pub struct Event {
  pub name: String,
  /// Oldest first.
  pub samples: VecDeque<Sample>,
  pub max: u64,
}

/// The latency monitor's events, in the order they first happened.
#[derive(Default)]
pub struct Events(Vec<Event>);

impl Events {
  /// Adds a sample of `latency` milliseconds to `name` at `time` (Unix seconds) if it reached
  /// `threshold` (`latency-monitor-threshold`; 0 records nothing), as Redis's
  /// `latencyAddSampleIfNeeded`.
  pub fn add_if_needed(&mut self, threshold: i64, name: &str, time: i64, latency: u64) {
    if threshold > 0 && latency as i64 >= threshold {
      self.add(name, time, latency);
    }
  }

  /// Adds a sample of `latency` milliseconds to `name` at `time` (Unix seconds).
  fn add(&mut self, name: &str, time: i64, latency: u64) {
    let index = match self.0.iter().position(|e| e.name == name) {
      Some(index) => index,
      None => {
        self.0.push(Event { name: name.to_string(), samples: VecDeque::new(), max: 0 });
        self.0.len() - 1
      }
    };
    let event = &mut self.0[index];
    event.max = event.max.max(latency);
    if let Some(last) = event.samples.back_mut().filter(|s| s.time == time) {
      last.latency = last.latency.max(latency);
      return;
    }
    if event.samples.len() == SAMPLES_KEPT {
      event.samples.pop_front();
    }
    event.samples.push_back(Sample { time, latency });
  }

  pub fn get(&self, name: &[u8]) -> Option<&Event> {
    self.0.iter().find(|e| e.name.as_bytes() == name)
  }

  pub fn iter(&self) -> impl Iterator<Item = &Event> {
    self.0.iter()
  }

  /// Forgets one event; whether it existed.
  fn remove(&mut self, name: &[u8]) -> bool {
    let before = self.0.len();
    self.0.retain(|e| e.name.as_bytes() != name);
    self.0.len() < before
  }
}

/// Records a command's duration: into its histogram, and as a latency event when it reached
/// the monitor's threshold. Called by the dispatcher after every command that ran.
pub fn observe(ctx: &mut Ctx, spec: &CommandSpec, duration_us: u64) {
  let server = &mut *ctx.server;
  let telemetry: &mut Telemetry = &mut server.telemetry;
  if server.config.latency_tracking {
    if let Some(slot) = telemetry.histograms.get_mut(spec.id) {
      slot.get_or_insert_with(Box::default).record(duration_us.saturating_mul(1000));
    }
  }
  let event = if spec.has(flags::FAST) { "fast-command" } else { "command" };
  let threshold = server.config.latency_monitor_threshold;
  telemetry.events.add_if_needed(threshold, event, ctx.now_ms / 1000, duration_us / 1000);
}

/// LATENCY LATEST: for every event, its name, the time and latency of its latest sample, and
/// its maximum.
pub fn latest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let events = &ctx.server.telemetry.events;
  ctx.out.array(events.0.len());
  for event in events.iter() {
    let last = event.samples.back().copied().unwrap_or(Sample { time: 0, latency: 0 });
    ctx.out.array(4);
    ctx.out.bulk(event.name.as_bytes());
    ctx.out.int(last.time);
    ctx.out.int(last.latency as i64);
    ctx.out.int(event.max as i64);
  }
  Ok(())
}

/// LATENCY HISTORY event: the event's samples, oldest first, as (time, latency) pairs; empty
/// for an unknown event.
pub fn history(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(event) = ctx.server.telemetry.events.get(argv[2]) else {
    ctx.out.array(0);
    return Ok(());
  };
  ctx.out.array(event.samples.len());
  for sample in &event.samples {
    ctx.out.array(2);
    ctx.out.int(sample.time);
    ctx.out.int(sample.latency as i64);
  }
  Ok(())
}

/// LATENCY RESET [event ...]: forgets the named events (all when none is named); replies with
/// how many were forgotten.
pub fn reset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let events = &mut ctx.server.telemetry.events;
  let removed = if argv.len() == 2 {
    let count = events.0.len();
    events.0.clear();
    count
  } else {
    argv[2..].iter().filter(|name| events.remove(name)).count()
  };
  ctx.out.int(removed as i64);
  Ok(())
}

/// LATENCY GRAPH event: an ASCII chart of the event's samples, newest on the right.
pub fn graph(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let Some(event) = ctx.server.telemetry.events.get(argv[2]) else {
    return Err(Error::err(format!("No samples available for event '{}'", String::from_utf8_lossy(argv[2]))));
  };
  let text = draw_graph(event, ctx.now_ms / 1000);
  ctx.out.verbatim(b"txt", text.as_bytes());
  Ok(())
}

/// Rows of the chart, from the top.
const GRAPH_ROWS: usize = 4;

fn draw_graph(event: &Event, now: i64) -> String {
  let high = event.samples.iter().map(|s| s.latency).max().unwrap_or(0);
  let low = event.samples.iter().map(|s| s.latency).min().unwrap_or(0);
  let mut text =
    format!("{} - high {high} ms, low {low} ms (all time high {} ms)\n{}\n", event.name, event.max, "-".repeat(80));
  // One column per sample; a column is filled up to its share of the highest latency.
  for row in (0..GRAPH_ROWS).rev() {
    let line: String = event
      .samples
      .iter()
      .map(|s| {
        let filled = if high == 0 { 0 } else { (s.latency * GRAPH_ROWS as u64).div_ceil(high) as usize };
        match filled {
          f if f > row + 1 => '|',
          f if f == row + 1 => '#',
          _ => ' ',
        }
      })
      .collect();
    text.push_str(line.trim_end());
    text.push('\n');
  }
  // Under each column, how long ago its sample was taken.
  let ages: String = event.samples.iter().map(|s| age_label(now - s.time)).collect::<Vec<_>>().join(" ");
  text.push_str(&ages);
  text.push('\n');
  text
}

/// A short age: `12s`, `3m`, `5h`, `2d`.
fn age_label(seconds: i64) -> String {
  let seconds = seconds.max(0);
  match seconds {
    s if s < 60 => format!("{s}s"),
    s if s < 3600 => format!("{}m", s / 60),
    s if s < 86400 => format!("{}h", s / 3600),
    s => format!("{}d", s / 86400),
  }
}

/// LATENCY DOCTOR: a readable summary of the recorded events.
pub fn doctor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  let threshold = ctx.server.config.latency_monitor_threshold;
  let events = &ctx.server.telemetry.events;
  let mut text = String::new();
  if threshold == 0 && events.0.is_empty() {
    text.push_str(
      "The latency monitor is off. Enable it with CONFIG SET latency-monitor-threshold <milliseconds>: \
       commands taking at least that long are then recorded.\n",
    );
  } else if events.0.is_empty() {
    text
      .push_str(&format!("No command took {threshold} milliseconds or more since the monitor was started or reset.\n"));
  } else {
    text.push_str(&format!("Latency samples recorded (threshold: {threshold} ms):\n\n"));
    for (i, event) in events.iter().enumerate() {
      let count = event.samples.len() as u64;
      let sum: u64 = event.samples.iter().map(|s| s.latency).sum();
      let first = event.samples.front().map_or(0, |s| s.time);
      text.push_str(&format!(
        "{}. {}: {count} latency spikes (average {}ms, worst {}ms) in the last {} seconds.\n",
        i + 1,
        event.name,
        sum.checked_div(count).unwrap_or(0),
        event.max,
        (ctx.now_ms / 1000 - first).max(0)
      ));
    }
    text.push_str(
      "\nSlow commands block every client while they run: look for them with SLOWLOG GET, and prefer \
       incremental commands (SCAN, HSCAN, SSCAN, ZSCAN) to ones that walk a whole keyspace or collection.\n",
    );
  }
  ctx.out.verbatim(b"txt", text.as_bytes());
  Ok(())
}

/// LATENCY HISTOGRAM [command ...]: for each command with recorded durations (all of them when
/// none is named; a container command includes its subcommands), its number of calls and the
/// cumulative distribution of its durations in microseconds.
pub fn histogram(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let mut chosen: Vec<&'static CommandSpec> = Vec::new();
  if argv.len() == 2 {
    chosen.extend(CommandSpec::all());
  } else {
    for name in &argv[2..] {
      if let Some(spec) = find_by_full_name(name) {
        chosen.push(spec);
        chosen.extend(spec.subcommands.iter());
      }
    }
  }
  let histograms = &ctx.server.telemetry.histograms;
  let with_data: Vec<(&CommandSpec, &Histogram)> =
    chosen.into_iter().filter_map(|spec| Some((spec, histograms.get(spec.id)?.as_deref()?))).collect();
  ctx.out.map(with_data.len());
  for (spec, histogram) in with_data {
    ctx.out.bulk(spec.name.as_bytes());
    ctx.out.map(2);
    ctx.out.bulk(b"calls");
    ctx.out.int(histogram.total() as i64);
    ctx.out.bulk(b"histogram_usec");
    let steps = histogram.cumulative_by_power_of_two();
    ctx.out.map(steps.len());
    for (micros, count) in steps {
      ctx.out.int(micros as i64);
      ctx.out.int(count as i64);
    }
  }
  Ok(())
}

/// LATENCY HELP
pub fn help(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
  help_reply(
    ctx.out,
    "LATENCY",
    &[
      "DOCTOR",
      "    Reply with a readable analysis of the recorded latency.",
      "GRAPH <event>",
      "    Reply with an ASCII chart of the samples of <event>.",
      "HISTORY <event>",
      "    Reply with the (time, latency) samples of <event>.",
      "LATEST",
      "    Reply with the latest and the highest latency of every event.",
      "RESET [<event> ...]",
      "    Forget the samples of the given events (of all events when none is given).",
      "HISTOGRAM [<command> ...]",
      "    Reply with the distribution of the durations of the given commands (of all",
      "    commands when none is given), in microseconds.",
    ],
  );
  Ok(())
}
