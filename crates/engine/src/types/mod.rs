//! The collection types a key can hold, one module each. Every type picks Redis's encodings:
//! a compact one while small (reported as `listpack` or `intset` by OBJECT ENCODING) and a
//! large one past the configured thresholds (`hashtable`, `skiplist`, `quicklist`). `hll` is
//! the exception: a HyperLogLog is a string value, and the module reads and edits its bytes.
//! `stream` has a single encoding (`stream`): runs of entries packed per node.

pub mod hash;
pub mod hll;
pub mod list;
pub mod set;
pub mod stream;
pub mod zset;
