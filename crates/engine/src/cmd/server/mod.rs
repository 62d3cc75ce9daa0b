//! Server commands: INFO, CONFIG, COMMAND, DEBUG, SLOWLOG, LATENCY, MEMORY, TIME, LASTSAVE.

pub mod slowlog;
pub mod config;
