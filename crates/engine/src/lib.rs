//! redwing's engine: a Redis-compatible in-memory data store, without any I/O of its own.
//!
//! The host (the N-API binding, or a Rust test) opens sessions, feeds them the bytes received
//! from clients and writes back the bytes returned; it calls `tick` `hz` times a second. Every
//! behaviour — parsing, command semantics, replies, errors — lives here and matches Redis 7.0.
//!
//! # Layout
//! - [`engine`]: `Engine`, the loop: `feed`/`resume`/`call`/`tick`, settling after commands.
//! - [`server`]: the state commands see, in parts: [`keyspace`], [`clients`], [`blocking`]
//!   (commands waiting for keys), telemetry, pub/sub, tracking, configuration.
//! - [`session`]: per-connection state; [`client_eviction`]: `maxmemory-clients`.
//! - [`signal`]: what each command reports it changed (WATCH, notifications, write stream).
//! - [`pubsub`]: channels and subscribers; [`output`]: output queued for other sessions;
//!   [`tracking`]: client-side caching invalidations.
//! - [`resp`]: incremental request parser and RESP2/RESP3 reply writer.
//! - [`cmd`]: dispatcher, command table (generated from `ts/commands/spec/*.json`) and one
//!   module per command family.
//! - [`db`]: one database's keyspace with expiry; active expiry cycle; [`lazyfree`]: freeing
//!   large values on a background thread.
//! - [`dense`]: the dense hash map under the keyspace and the large collection encodings.
//! - [`value`], [`bytes`]: stored values and compact byte strings; [`types`]: the collections.
//! - [`geo`]: geohash and distance arithmetic under the geospatial commands.
//! - [`num`]: Redis's integer and double parsing/formatting rules; [`cstr`]: arguments as C
//!   code reads them (`isspace`, NUL-terminated strings, `strtod`); [`alloc`]: returning memory.
//! - [`script`]: Lua scripting (the script cache, the Lua environment, running scripts).
//! - [`rdb`]: RDB serialization (DUMP payloads, RDB files); [`aof`]: the write stream as AOF bytes.
//! - [`memcached`]: memcached's text protocol over database 0 (its own connections, the
//!   flags and cas side table).
//! - [`error`]: the error catalog.
//! - [`config`], [`stats`], [`rand`]: configuration values, INFO statistics, sampling RNG.
//! - [`clock`]: the wall clock commands read, from the processor's time-stamp counter.

pub mod acl;
pub mod alloc;
pub mod aof;
pub mod blocking;
pub mod bytes;
pub mod client_eviction;
pub mod clients;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod crash_report;
pub mod cstr;
pub mod db;
pub mod dense;
pub mod engine;
pub mod error;
pub mod evict;
pub mod fd_limit;
pub mod geo;
pub mod glob;
pub mod keyspace;
pub mod lazyfree;
pub mod long_double;
pub mod memcached;
pub mod num;
pub mod oom_score;
pub mod output;
pub mod pubsub;
pub mod rand;
pub mod rdb;
pub mod repl;
pub mod resp;
pub mod script;
pub mod server;
pub mod session;
pub mod signal;
pub mod stats;
pub mod tracking;
pub mod types;
pub mod value;

pub use clients::HangUp;
pub use engine::{Engine, FeedOutput, SnapshotState};
pub use script::busy::{BusyClient, BusyClients, BusyHost, Served};
pub use server::{HostInfo, Pending, Server};

/// The Redis version whose behaviour redwing reproduces (HELLO, INFO).
pub const REDIS_VERSION: &str = "7.0.15";
pub use session::{Origin, Peer};
