//! The collection types a key can hold, one module each. Every type picks Redis's encodings:
//! a compact one while small (reported as `listpack` or `intset` by OBJECT ENCODING) and a
//! large one past the configured thresholds (`hashtable`, `skiplist`, `quicklist`). `hll` is
//! the exception: a HyperLogLog is a string value, and the module reads and edits its bytes.

pub mod hash;
pub mod hll;
pub mod list;
pub mod set;
pub mod zset;
