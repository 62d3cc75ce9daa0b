//! INFO [section ...]: the server's state as `name:value` lines grouped in sections, with
//! Redis 7.0's section and field names, in Redis's order.
//!
//! Without arguments (or with `default`) INFO shows server, clients, memory, persistence,
//! stats, replication, cpu, modules, errorstats, cluster and keyspace; `all` adds
//! commandstats and latencystats; `everything` adds module-generated sections (there are
//! none). Section names are case-insensitive and unknown ones are ignored. Sections are
//! separated by a blank line; the reply is a verbatim string (`txt`) in RESP3, a bulk string
//! in RESP2.
//!
//! Fields for features redwing does not have (persistence, replication, modules…) keep
//! Redis's names with the values of a server that does not use them, so that tools parsing
//! INFO find what they expect. Memory figures come from the resident set size (see
//! `sysinfo.rs`). The server section adds `redwing_version`.

use super::sysinfo::{self, CpuTimes};
use crate::cmd::table::CommandSpec;
use crate::cmd::{server::config::value_of, Ctx};
use crate::error::CmdResult;
use crate::rdb::snapshot::Purpose;
use crate::stats::Stats;
use std::fmt::{Display, Write as _};

/// Sections shown by INFO without arguments, in output order.
const DEFAULT_SECTIONS: [&str; 11] = [
  "server",
  "clients",
  "memory",
  "persistence",
  "stats",
  "replication",
  "cpu",
  "module_list",
  "errorstats",
  "cluster",
  "keyspace",
];

/// Bytes counted per key for INFO's memory overhead estimate: the entry and its index slot.
pub const KEY_OVERHEAD: u64 = (std::mem::size_of::<crate::db::Entry>() + 5) as u64;

/// Which sections a call asked for.
struct Selection {
  all: bool,
  names: Vec<String>,
}

impl Selection {
  fn parse(args: &[&[u8]]) -> Selection {
    let mut selection = Selection { all: false, names: Vec::new() };
    if args.is_empty() {
      selection.names.extend(DEFAULT_SECTIONS.iter().map(|s| s.to_string()));
    }
    for arg in args {
      let name = String::from_utf8_lossy(arg).to_lowercase();
      match name.as_str() {
        "all" | "everything" => selection.all = true,
        "default" => selection.names.extend(DEFAULT_SECTIONS.iter().map(|s| s.to_string())),
        _ => selection.names.push(name),
      }
    }
    selection
  }

  fn wants(&self, section: &str) -> bool {
    self.all || self.names.iter().any(|n| n == section)
  }
}

/// Builds the text: a `# Title` line and `name:value` lines per section, CRLF-terminated.
pub(crate) struct Text {
  out: String,
  sections: usize,
}

impl Text {
  fn section(&mut self, title: &str) {
    if self.sections > 0 {
      self.out.push_str("\r\n");
    }
    self.sections += 1;
    let _ = write!(self.out, "# {title}\r\n");
  }

  pub(crate) fn field(&mut self, name: &str, value: impl Display) {
    let _ = write!(self.out, "{name}:{value}\r\n");
  }
}

/// INFO [section ...]
pub fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
  let selection = Selection::parse(&argv[1..]);
  let text = render(ctx, &selection);
  ctx.out.verbatim(b"txt", text.as_bytes());
  Ok(())
}

/// INFO ALL's text (for a crash report).
pub(crate) fn everything(ctx: &Ctx) -> String {
  render(ctx, &Selection::parse(&[b"all"]))
}

fn render(ctx: &Ctx, selection: &Selection) -> String {
  // The text grows as it is written, so that `used_memory` counts no more of it than the
  // sections before the memory one (as Redis's does), not a buffer made for all of them.
  let mut text = Text { out: String::new(), sections: 0 };
  if selection.wants("server") {
    server(ctx, &mut text);
  }
  if selection.wants("clients") {
    clients(ctx, &mut text);
  }
  if selection.wants("memory") {
    memory(ctx, &mut text);
  }
  if selection.wants("persistence") {
    persistence(ctx, &mut text);
  }
  if selection.wants("stats") {
    stats(ctx, &mut text);
  }
  if selection.wants("replication") {
    replication(ctx, &mut text);
  }
  if selection.wants("cpu") {
    cpu(&mut text);
  }
  if selection.wants("module_list") || selection.wants("modules") {
    text.section("Modules");
  }
  if selection.wants("commandstats") {
    command_stats(ctx, &mut text);
  }
  if selection.wants("errorstats") {
    text.section("Errorstats");
    for (code, count) in &ctx.server.telemetry.stats.errors {
      text.field(&format!("errorstat_{code}"), format_args!("count={count}"));
    }
  }
  if selection.wants("latencystats") {
    latency_stats(ctx, &mut text);
  }
  if selection.wants("cluster") {
    text.section("Cluster");
    text.field("cluster_enabled", 0);
  }
  if selection.wants("keyspace") {
    text.section("Keyspace");
    for (i, db) in ctx.server.keyspace.dbs.iter().enumerate() {
      if !db.is_empty() {
        text.field(&format!("db{i}"), format_args!("keys={},expires={},avg_ttl=0", db.len(), db.volatile_len()));
      }
    }
  }
  text.out
}

fn server(ctx: &Ctx, text: &mut Text) {
  let server = &ctx.server;
  let now_ms = ctx.now_ms;
  let uptime = ((now_ms - server.telemetry.start_ms) / 1000).max(0);
  let run_id = if server.host.run_id.is_empty() { &server.telemetry.run_id } else { &server.host.run_id };
  let multiplexing = if cfg!(target_os = "linux") { "epoll" } else { "kqueue" };
  text.section("Server");
  text.field("redis_version", crate::REDIS_VERSION);
  text.field("redwing_version", env!("CARGO_PKG_VERSION"));
  text.field("redis_git_sha1", "00000000");
  text.field("redis_git_dirty", 0);
  text.field("redis_build_id", "0");
  text.field("redis_mode", "standalone");
  text.field("os", sysinfo::os_description());
  text.field("arch_bits", usize::BITS);
  text.field("monotonic_clock", "POSIX clock_gettime");
  text.field("multiplexing_api", multiplexing);
  text.field("atomicvar_api", "c11-builtin");
  text.field("gcc_version", "0.0.0");
  text.field("process_id", std::process::id());
  text.field("process_supervised", value_of(server, b"supervised").unwrap_or_default());
  text.field("run_id", run_id);
  // The plain port, or the TLS one when there is no plain listener.
  let port = if server.host.tcp_port != 0 { server.host.tcp_port } else { server.host.tls_port };
  text.field("tcp_port", port);
  text.field("server_time_usec", ctx.now_us);
  text.field("uptime_in_seconds", uptime);
  text.field("uptime_in_days", uptime / 86400);
  text.field("hz", server.config.hz);
  text.field("configured_hz", server.config.hz);
  text.field("lru_clock", (now_ms / 1000) & 0xFF_FFFF);
  text.field("executable", &server.host.executable);
  text.field("config_file", &server.host.config_file);
  text.field("io_threads_active", 0);
  if let Some(remaining) = server.shutdown_remaining_ms(ctx.now_ms) {
    text.field("shutdown_in_milliseconds", remaining);
  }
}

fn clients(ctx: &Ctx, text: &mut Text) {
  let server = &ctx.server;
  // The session running INFO is out of the engine's table while it runs.
  let sessions = || server.clients.sessions().map(|(_, s)| s).chain(std::iter::once(&*ctx.session));
  // Replicas are not counted, as in Redis.
  let sockets = sessions().filter(|s| s.is_network() && !s.evicted && !s.replica).count();
  let max_input = sessions().map(|s| s.query_buffer_len()).max().unwrap_or(0);
  let max_output = sessions().map(|s| s.held_output().len()).max().unwrap_or(0);
  text.section("Clients");
  text.field("connected_clients", sockets);
  text.field("cluster_connections", 0);
  text.field("maxclients", server.config.maxclients);
  text.field("client_recent_max_input_buffer", max_input);
  text.field("client_recent_max_output_buffer", max_output);
  text.field("blocked_clients", server.blocking.count());
  text.field("tracking_clients", server.tracking.clients);
  text.field("clients_in_timeout_table", server.blocked_with_timeout());
}

/// Redis's `bytesToHuman`: `1015.53K`, `6.55M`, `0B`.
pub fn human_bytes(n: u64) -> String {
  const UNITS: [&str; 5] = ["K", "M", "G", "T", "P"];
  if n < 1024 {
    return format!("{n}B");
  }
  let mut scale = 1024.0;
  for unit in UNITS {
    if (n as f64) < scale * 1024.0 {
      return format!("{:.2}{unit}", n as f64 / scale);
    }
    scale *= 1024.0;
  }
  format!("{n}B")
}

/// A percentage of `part` in `whole`, as `%.2f%%`.
fn percent(part: u64, whole: u64) -> String {
  format!("{:.2}%", if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 })
}

/// The figures shared by INFO memory and MEMORY STATS: the engine's counted memory (see
/// `alloc.rs`), split as Redis splits it into the overhead (memory at start-up, buffers of
/// replicas, clients and the AOF, the keyspace's per-key structures) and the dataset.
pub struct MemoryFigures {
  pub used: u64,
  pub peak: u64,
  pub rss: u64,
  pub startup: u64,
  pub replicas: u64,
  pub clients: u64,
  pub aof: u64,
  pub backlog: u64,
  pub overhead: u64,
  pub dataset: u64,
  pub keys: u64,
}

pub fn memory_figures(ctx: &Ctx) -> MemoryFigures {
  let server = &*ctx.server;
  let used = crate::alloc::used_memory();
  let peak = server.telemetry.peak_memory.max(used);
  let startup = server.telemetry.startup_memory.min(used);
  let keys = server.keyspace.key_count();
  let replicas = server.replica_buffer_memory();
  let normal = server.clients.sessions().filter(|(_, session)| !session.replica);
  let clients: u64 = normal.map(|(_, session)| session.memory() as u64).sum();
  let aof = server.aof_buffer_memory();
  let backlog = server.repl.backlog_memory();
  let overhead = (startup + replicas + clients + aof + backlog + keys * KEY_OVERHEAD).min(used);
  let rss = sysinfo::resident_memory();
  MemoryFigures { used, peak, rss, startup, replicas, clients, aof, backlog, overhead, dataset: used - overhead, keys }
}

fn memory(ctx: &Ctx, text: &mut Text) {
  let m = memory_figures(ctx);
  let system = sysinfo::total_system_memory();
  let config = &ctx.server.config;
  text.section("Memory");
  text.field("used_memory", m.used);
  text.field("used_memory_human", human_bytes(m.used));
  text.field("used_memory_rss", m.rss);
  text.field("used_memory_rss_human", human_bytes(m.rss));
  text.field("used_memory_peak", m.peak);
  text.field("used_memory_peak_human", human_bytes(m.peak));
  text.field("used_memory_peak_perc", percent(m.used, m.peak));
  text.field("used_memory_overhead", m.overhead);
  text.field("used_memory_startup", m.startup);
  text.field("used_memory_dataset", m.dataset);
  text.field("used_memory_dataset_perc", percent(m.dataset, m.used - m.startup));
  text.field("allocator_allocated", m.used);
  text.field("allocator_active", m.used);
  text.field("allocator_resident", m.used);
  text.field("total_system_memory", system);
  text.field("total_system_memory_human", human_bytes(system));
  let lua = ctx.server.scripting.lua_memory().max(0) as u64;
  let scripts = ctx.server.scripting.scripts_memory() as u64;
  text.field("used_memory_lua", lua);
  text.field("used_memory_vm_eval", lua);
  text.field("used_memory_lua_human", human_bytes(lua));
  text.field("used_memory_scripts_eval", scripts);
  text.field("number_of_cached_scripts", ctx.server.scripting.scripts.len());
  let functions = &ctx.server.scripting.functions;
  let functions_vm = functions.vm.memory().max(0) as u64;
  let functions_memory = functions.memory() as u64;
  text.field("number_of_functions", functions.function_count());
  text.field("number_of_libraries", functions.libraries.len());
  text.field("used_memory_vm_functions", functions_vm);
  text.field("used_memory_vm_total", lua + functions_vm);
  text.field("used_memory_vm_total_human", human_bytes(lua + functions_vm));
  text.field("used_memory_functions", functions_memory);
  text.field("used_memory_scripts", scripts + functions_memory);
  text.field("used_memory_scripts_human", human_bytes(scripts + functions_memory));
  text.field("maxmemory", config.maxmemory);
  text.field("maxmemory_human", human_bytes(config.maxmemory));
  text.field("maxmemory_policy", config.maxmemory_policy.name());
  // The system allocator has no figures of its own between what it handed out and what is
  // resident: its ratios are 1, and the whole difference shows as fragmentation.
  for (ratio, bytes) in [
    ("allocator_frag_ratio", "allocator_frag_bytes"),
    ("allocator_rss_ratio", "allocator_rss_bytes"),
    ("rss_overhead_ratio", "rss_overhead_bytes"),
  ] {
    text.field(ratio, "1.00");
    text.field(bytes, 0);
  }
  text.field("mem_fragmentation_ratio", format!("{:.2}", m.rss as f64 / m.used.max(1) as f64));
  text.field("mem_fragmentation_bytes", m.rss as i64 - m.used as i64);
  text.field("mem_not_counted_for_evict", ctx.server.memory_not_counted_for_eviction());
  text.field("mem_replication_backlog", m.backlog);
  text.field("mem_total_replication_buffers", m.backlog + m.replicas);
  text.field("mem_clients_slaves", m.replicas);
  text.field("mem_clients_normal", m.clients);
  text.field("mem_cluster_links", 0);
  text.field("mem_aof_buffer", m.aof);
  text.field("mem_allocator", "libc");
  text.field("active_defrag_running", 0);
  text.field("lazyfree_pending_objects", ctx.server.lazyfree.pending());
  text.field("lazyfreed_objects", ctx.server.lazyfree.freed());
}

fn persistence(ctx: &Ctx, text: &mut Text) {
  text.section("Persistence");
  text.field("loading", ctx.server.is_loading() as i64);
  for name in ["async_loading", "current_cow_peak", "current_cow_size", "current_cow_size_age"] {
    text.field(name, 0);
  }
  text.field("current_fork_perc", "0.00");
  text.field("current_save_keys_processed", 0);
  text.field("current_save_keys_total", 0);
  text.field("rdb_changes_since_last_save", ctx.server.keyspace.dirty);
  let bgsave = &ctx.server.keyspace.bgsave;
  // A full resynchronisation's snapshot is an RDB save under way too, as Redis's RDB child is.
  let replication_started = ctx.server.snapshot.as_ref().filter(|job| job.purpose == Purpose::Replication);
  let started =
    if bgsave.in_progress() { Some(bgsave.started_ms) } else { replication_started.map(|job| job.started_ms) };
  text.field("rdb_bgsave_in_progress", started.is_some() as i64);
  text.field("rdb_last_save_time", ctx.server.keyspace.last_save);
  text.field("rdb_last_bgsave_status", if bgsave.last_failed { "err" } else { "ok" });
  text.field("rdb_last_bgsave_time_sec", bgsave.last_duration_sec);
  text.field("rdb_current_bgsave_time_sec", started.map_or(-1, |started| (ctx.now_ms - started) / 1000));
  text.field("rdb_saves", bgsave.saves);
  text.field("rdb_last_cow_size", 0);
  text.field("rdb_last_load_keys_expired", bgsave.last_load_expired);
  text.field("rdb_last_load_keys_loaded", bgsave.last_load_keys);
  ctx.server.append_only_info(ctx.now_ms / 1000, text);
  if let Some(loading) = ctx.server.loading.as_deref() {
    loading_fields(loading, ctx.now_ms / 1000, text);
  }
}

/// The start-up load under way, as Redis shows it: how far it got through the file (never
/// empty: it has a header), and an estimate of the seconds left from the pace so far (1 in its
/// first second).
fn loading_fields(loading: &crate::rdb::loading::Loading, now_s: i64, text: &mut Text) {
  let (total, loaded) = (loading.total_bytes() as i64, loading.loaded_bytes() as i64);
  let perc = loaded as f64 / total as f64 * 100.0;
  let elapsed = now_s - loading.started_s;
  let eta = if elapsed == 0 { 1 } else { elapsed * (total - loaded) / (loaded + 1) };
  text.field("loading_start_time", loading.started_s);
  text.field("loading_total_bytes", total);
  text.field("loading_rdb_used_mem", loading.rdb_used_mem());
  text.field("loading_loaded_bytes", loaded);
  text.field("loading_loaded_perc", format!("{perc:.2}"));
  text.field("loading_eta_seconds", eta);
}

fn stats(ctx: &Ctx, text: &mut Text) {
  let server = &ctx.server;
  let s = &server.telemetry.stats;
  let metrics = &server.telemetry.metrics;
  let expired: u64 = server.keyspace.dbs.iter().map(|db| db.expired_keys).sum();
  text.section("Stats");
  text.field("total_connections_received", s.total_connections_received);
  text.field("total_commands_processed", s.total_commands_processed);
  text.field("instantaneous_ops_per_sec", metrics.average(Metric::Commands));
  text.field("total_net_input_bytes", s.net_input_bytes);
  text.field("total_net_output_bytes", s.net_output_bytes);
  text.field("total_net_repl_input_bytes", 0);
  text.field("total_net_repl_output_bytes", 0);
  text.field("instantaneous_input_kbps", format!("{:.2}", metrics.average(Metric::NetInput) as f64 / 1024.0));
  text.field("instantaneous_output_kbps", format!("{:.2}", metrics.average(Metric::NetOutput) as f64 / 1024.0));
  text.field("instantaneous_input_repl_kbps", "0.00");
  text.field("instantaneous_output_repl_kbps", "0.00");
  text.field("rejected_connections", s.rejected_connections);
  let repl = &server.repl;
  text.field("sync_full", repl.syncs_full);
  text.field("sync_partial_ok", repl.syncs_partial_ok);
  text.field("sync_partial_err", repl.syncs_partial_err);
  text.field("expired_keys", expired);
  text.field("expired_stale_perc", format!("{:.2}", s.expired_stale_perc * 100.0));
  text.field("expired_time_cap_reached_count", s.expired_time_cap_reached_count);
  text.field("expire_cycle_cpu_milliseconds", s.expire_cycle_time_used_us / 1000);
  text.field("evicted_keys", server.eviction.evicted_keys);
  text.field("evicted_clients", server.client_eviction.evicted_clients);
  let (total_exceeded, current_exceeded) = server.eviction.exceeded_ms();
  text.field("total_eviction_exceeded_time", total_exceeded);
  text.field("current_eviction_exceeded_time", current_exceeded);
  text.field("keyspace_hits", s.keyspace_hits);
  text.field("keyspace_misses", s.keyspace_misses);
  let pubsub = &ctx.server.pubsub;
  text.field("pubsub_channels", pubsub.channel_count(crate::pubsub::Kind::Global));
  text.field("pubsub_patterns", pubsub.pattern_count());
  text.field("pubsubshard_channels", pubsub.channel_count(crate::pubsub::Kind::Shard));
  text.field("latest_fork_usec", 0);
  text.field("total_forks", s.total_forks);
  text.field("migrate_cached_sockets", ctx.server.telemetry.migrate_links);
  text.field("slave_expires_tracked_keys", ctx.server.keyspace.replica_keys_with_expire.len());
  for name in [
    "active_defrag_hits",
    "active_defrag_misses",
    "active_defrag_key_hits",
    "active_defrag_key_misses",
    "total_active_defrag_time",
    "current_active_defrag_time",
  ] {
    text.field(name, 0);
  }
  let tracking = &ctx.server.tracking;
  text.field("tracking_total_keys", tracking.keys());
  text.field("tracking_total_items", tracking.items());
  text.field("tracking_total_prefixes", tracking.prefix_count());
  text.field("unexpected_error_replies", s.unexpected_error_replies);
  text.field("total_error_replies", s.total_error_replies);
  for name in [
    "dump_payload_sanitizations",
    "total_reads_processed",
    "total_writes_processed",
    "io_threaded_reads_processed",
    "io_threaded_writes_processed",
    "reply_buffer_shrinks",
    "reply_buffer_expands",
  ] {
    text.field(name, 0);
  }
}

fn replication(ctx: &Ctx, text: &mut Text) {
  let repl = &ctx.server.repl;
  let backlog = ctx.server.config.repl_backlog_size;
  text.section("Replication");
  match &repl.link {
    Some(link) => replica_fields(ctx, link, text),
    None => text.field("role", "master"),
  }
  text.field("connected_slaves", repl.replicas.len());
  if ctx.server.config.min_replicas_to_write > 0 && ctx.server.config.min_replicas_max_lag > 0 {
    text.field("min_slaves_good_slaves", ctx.server.good_replicas(ctx.now_ms));
  }
  for (index, replica) in repl.replicas.iter().enumerate() {
    let ip = super::replication::replica_ip(ctx, replica);
    let lag = (ctx.now_ms - replica.ack_ms).max(0) / 1000;
    let lag = if replica.is_online() { lag } else { 0 };
    let (port, state, offset) = (replica.listening_port, replica.state_name(), replica.ack_offset);
    let line = format!("ip={ip},port={port},state={state},offset={offset},lag={lag}");
    text.field(&format!("slave{index}"), line);
  }
  text.field("master_failover_state", repl.failover.state.name());
  text.field("master_replid", &ctx.server.telemetry.replid);
  text.field("master_replid2", &repl.replid2);
  text.field("master_repl_offset", repl.offset);
  text.field("second_repl_offset", repl.second_offset);
  text.field("repl_backlog_active", repl.active() as i64);
  text.field("repl_backlog_size", backlog);
  let (first, histlen) = repl.backlog_span();
  text.field("repl_backlog_first_byte_offset", first);
  text.field("repl_backlog_histlen", histlen);
}

/// INFO replication's lines about a replica's master and the link to it.
fn replica_fields(ctx: &Ctx, link: &crate::repl::link::MasterLink, text: &mut Text) {
  use crate::repl::link::LinkState;
  let seconds_since = |ms: i64| (ctx.now_ms - ms).max(0) / 1000;
  let offset = if link.has_history || link.state == LinkState::Connected { ctx.server.repl.offset } else { 1 };
  text.field("role", "slave");
  text.field("master_host", &link.host);
  text.field("master_port", link.port);
  text.field("master_link_status", if link.state == LinkState::Connected { "up" } else { "down" });
  text.field("master_last_io_seconds_ago", if link.slot.is_some() { seconds_since(link.last_io_ms) } else { -1 });
  text.field("master_sync_in_progress", (link.state == LinkState::Transfer) as i64);
  // Read: also the stream bytes received and not run yet (an incomplete command).
  let unrun = match link.state {
    LinkState::Connected => link.slot.and_then(|slot| ctx.server.clients.session(slot)).map_or(0, |s| s.input.len()),
    _ => 0,
  };
  text.field("slave_read_repl_offset", offset + unrun as i64);
  text.field("slave_repl_offset", offset);
  if let Some((total, read)) = link.transfer_progress() {
    let perc = if total > 0 { read as f64 / total as f64 * 100.0 } else { 0.0 };
    text.field("master_sync_total_bytes", total);
    text.field("master_sync_read_bytes", read);
    text.field("master_sync_left_bytes", total - read);
    text.field("master_sync_perc", format!("{perc:.2}"));
    text.field("master_sync_last_io_seconds_ago", seconds_since(link.last_io_ms));
  }
  if link.state != LinkState::Connected {
    let down = if link.down_since_ms != 0 { seconds_since(link.down_since_ms) } else { -1 };
    text.field("master_link_down_since_seconds", down);
  }
  let param = |name: &[u8]| value_of(ctx.server, name).unwrap_or_default();
  text.field("slave_priority", param(b"replica-priority"));
  text.field("slave_read_only", ctx.server.config.replica_read_only as i64);
  text.field("replica_announced", (param(b"replica-announced") == "yes") as i64);
}

fn cpu(text: &mut Text) {
  let process: CpuTimes = sysinfo::process_cpu();
  let thread = sysinfo::thread_cpu();
  text.section("CPU");
  text.field("used_cpu_sys", format!("{:.6}", process.system));
  text.field("used_cpu_user", format!("{:.6}", process.user));
  text.field("used_cpu_sys_children", format!("{:.6}", process.children_system));
  text.field("used_cpu_user_children", format!("{:.6}", process.children_user));
  text.field("used_cpu_sys_main_thread", format!("{:.6}", thread.system));
  text.field("used_cpu_user_main_thread", format!("{:.6}", thread.user));
}

/// `cmdstat_<name>` lines for every command (and subcommand) that was called, rejected or
/// failed since the start or the last CONFIG RESETSTAT.
fn command_stats(ctx: &Ctx, text: &mut Text) {
  text.section("Commandstats");
  for spec in CommandSpec::all() {
    let Some(s) = ctx.server.telemetry.stats.commands.get(spec.id) else {
      continue;
    };
    if s.calls == 0 && s.failed_calls == 0 && s.rejected_calls == 0 {
      continue;
    }
    let per_call = if s.calls == 0 { 0.0 } else { s.usec as f32 / s.calls as f32 };
    text.field(
      &format!("cmdstat_{}", spec.name),
      format_args!(
        "calls={},usec={},usec_per_call={per_call:.2},rejected_calls={},failed_calls={}",
        s.calls, s.usec, s.rejected_calls, s.failed_calls
      ),
    );
  }
}

/// `latency_percentiles_usec_<name>` lines: the configured percentiles of every command with
/// recorded durations, in microseconds.
fn latency_stats(ctx: &Ctx, text: &mut Text) {
  text.section("Latencystats");
  let percentiles = &ctx.server.config.latency_tracking_info_percentiles;
  for spec in CommandSpec::all() {
    let Some(histogram) = ctx.server.telemetry.histograms.get(spec.id).and_then(|h| h.as_deref()) else {
      continue;
    };
    let values: Vec<String> = percentiles
      .iter()
      .map(|&p| {
        let label = super::config::format_percentile(p);
        format!("p{label}={:.3}", histogram.value_at_percentile(p) as f64 / 1000.0)
      })
      .collect();
    text.field(&format!("latency_percentiles_usec_{}", spec.name), values.join(","));
  }
}

/// The counters behind the instantaneous metrics.
#[derive(Clone, Copy)]
pub enum Metric {
  Commands,
  NetInput,
  NetOutput,
}

/// Samples kept per metric; the reported rate is their average.
const METRIC_SAMPLES: usize = 16;
/// Milliseconds between samples.
const SAMPLE_PERIOD_MS: i64 = 100;

#[derive(Default, Clone, Copy)]
struct Series {
  rates: [u64; METRIC_SAMPLES],
  next: usize,
  last_time: i64,
  last_reading: u64,
}

/// Per-second rates of commands and network bytes, sampled every 100 ms like Redis's
/// `trackInstantaneousMetric` and averaged over the last 16 samples.
#[derive(Default)]
pub struct Metrics {
  series: [Series; 3],
}

impl Metrics {
  /// Takes a sample if the last one is at least 100 ms old.
  pub fn sample(&mut self, now_ms: i64, stats: &Stats) {
    if now_ms - self.series[0].last_time < SAMPLE_PERIOD_MS {
      return;
    }
    let readings = [stats.total_commands_processed, stats.net_input_bytes, stats.net_output_bytes];
    for (series, reading) in self.series.iter_mut().zip(readings) {
      let elapsed = now_ms - series.last_time;
      let delta = reading.saturating_sub(series.last_reading);
      series.rates[series.next] = if elapsed > 0 { delta * 1000 / elapsed as u64 } else { 0 };
      series.next = (series.next + 1) % METRIC_SAMPLES;
      series.last_time = now_ms;
      series.last_reading = reading;
    }
  }

  pub fn average(&self, metric: Metric) -> u64 {
    let series = &self.series[metric as usize];
    series.rates.iter().sum::<u64>() / METRIC_SAMPLES as u64
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn human_bytes_like_redis() {
    assert_eq!(human_bytes(0), "0B");
    assert_eq!(human_bytes(1023), "1023B");
    assert_eq!(human_bytes(1_039_904), "1015.53K");
    assert_eq!(human_bytes(6_864_896), "6.55M");
    assert_eq!(human_bytes(25_276_514_304), "23.54G");
  }

  #[test]
  fn metrics_average_sixteen_samples() {
    let mut metrics = Metrics::default();
    let mut stats = Stats::default();
    metrics.sample(1000, &stats);
    stats.total_commands_processed = 160;
    metrics.sample(2000, &stats);
    assert_eq!(metrics.average(Metric::Commands), 10);
    // Too soon: ignored.
    metrics.sample(2050, &stats);
    assert_eq!(metrics.average(Metric::Commands), 10);
  }
}
