//! String commands: GET/SET and their variants, counters, ranges, APPEND and LCS.

mod get_set;

pub use get_set::*;
