//! Facts about the process and the machine, read from Linux's `/proc` (INFO, MEMORY).
//!
//! redwing has no allocator statistics of its own, so the memory figures Redis takes from its
//! allocator are stood in for by the resident set size (RSS) the kernel reports. Where `/proc`
//! is not available (other systems) the figures are 0.

/// Reads a `/proc` file as text, or an empty string.
fn read_proc(path: &str) -> String {
  std::fs::read_to_string(path).unwrap_or_default()
}

/// A `Name:   123 kB` field of a `/proc` status-like file, in bytes.
fn kilobytes_field(text: &str, name: &str) -> u64 {
  text
    .lines()
    .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
    .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
    .map_or(0, |kb| kb * 1024)
}

/// The process's resident memory, in bytes.
pub fn resident_memory() -> u64 {
  kilobytes_field(&read_proc("/proc/self/status"), "VmRSS")
}

/// The highest resident memory the process has had, in bytes.
pub fn peak_resident_memory() -> u64 {
  kilobytes_field(&read_proc("/proc/self/status"), "VmHWM")
}

/// The machine's physical memory, in bytes.
pub fn total_system_memory() -> u64 {
  kilobytes_field(&read_proc("/proc/meminfo"), "MemTotal")
}

/// CPU time used, in seconds.
#[derive(Default, Clone, Copy)]
pub struct CpuTimes {
  pub user: f64,
  pub system: f64,
  pub children_user: f64,
  pub children_system: f64,
}

/// Kernel clock ticks per second of the `/proc/*/stat` times (`USER_HZ`, 100 on every
/// mainstream Linux architecture).
const CLOCK_TICKS: f64 = 100.0;

/// CPU times from a `/proc/<pid>/stat` line (fields 14 to 17, counted after the command name,
/// which may itself contain spaces).
fn parse_stat(text: &str) -> CpuTimes {
  let fields: Vec<f64> = text
    .rsplit_once(')')
    .map(|(_, rest)| rest.split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect())
    .unwrap_or_default();
  let field = |n: usize| fields.get(n - 3).copied().unwrap_or(0.0) / CLOCK_TICKS;
  CpuTimes { user: field(14), system: field(15), children_user: field(16), children_system: field(17) }
}

/// CPU time of the whole process and of its waited-for children.
pub fn process_cpu() -> CpuTimes {
  parse_stat(&read_proc("/proc/self/stat"))
}

/// CPU time of the calling thread (the one that runs commands).
pub fn thread_cpu() -> CpuTimes {
  parse_stat(&read_proc("/proc/thread-self/stat"))
}

/// The operating system as `uname -srm` prints it (`Linux 6.1.0 x86_64`).
pub fn os_description() -> String {
  let name = read_proc("/proc/sys/kernel/ostype");
  let release = read_proc("/proc/sys/kernel/osrelease");
  if name.trim().is_empty() {
    return format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
  }
  format!("{} {} {}", name.trim(), release.trim(), std::env::consts::ARCH)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn stat_fields_after_the_command_name() {
    let line = "1234 (node (main)) S 1 2 3 4 5 6 7 8 9 10 250 150 20 10 20 0 1";
    let cpu = parse_stat(line);
    assert_eq!((cpu.user, cpu.system, cpu.children_user, cpu.children_system), (2.5, 1.5, 0.2, 0.1));
    assert_eq!(kilobytes_field("VmPeak:\t  10 kB\nVmRSS:\t  2048 kB\n", "VmRSS"), 2048 * 1024);
  }
}
