//! The building blocks of Redis's RDB serialization format, the format of RDB files and of
//! DUMP payloads (FUNCTION DUMP and FUNCTION RESTORE use them).
//!
//! - [`crc64`]: the CRC-64 that closes DUMP payloads and RDB files.
//! - [`lzf`]: the LZF compression of long strings.
//! - [`encoding`]: lengths and strings as RDB stores them, and the DUMP payload footer.
//! - [`listpack`], [`intset`], [`ziplist`]: the packed blobs of compact encodings.
//! - [`value`]: a key's value as a type byte and payload; [`stream`] for streams.
//! - [`file`]: whole RDB files (SAVE, start-up, DEBUG RELOAD); [`check`], the report on one
//!   that cannot be read at start-up; [`loading`], the start-up load in slices, with clients
//!   served in between.
//! - [`snapshot`]: BGSAVE without fork, written while commands go on.

pub mod check;
pub mod crc64;
pub mod encoding;
pub mod file;
pub mod intset;
pub mod listpack;
pub mod loading;
pub mod lzf;
pub mod snapshot;
pub mod stream;
pub mod value;
pub mod ziplist;

/// The RDB format version Redis 7.0 writes (and the highest it reads).
pub const RDB_VERSION: u16 = 10;

/// Opcode before a function library stored as its code alone (Redis 7.0 GA onwards).
pub const RDB_OPCODE_FUNCTION2: u8 = 245;
/// Opcode before a function library in the format of Redis 7.0 release candidates: name,
/// engine, optional description, then the code without its `#!` line.
pub const RDB_OPCODE_FUNCTION: u8 = 246;
