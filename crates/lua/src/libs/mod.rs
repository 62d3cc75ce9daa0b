//! The libraries Redis loads into every script's Lua, beside Lua's own `string`, `table`,
//! `math` and `base`: each opens as a global table through its `open` function.

pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod structs;
