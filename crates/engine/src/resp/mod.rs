//! The RESP wire protocol: an incremental request parser and a reply writer.
//!
//! Requests arrive as multibulk arrays (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) or as inline text lines
//! (`GET k\r\n`), possibly split at any byte across socket reads. Replies are written straight
//! into one output buffer per socket read, in RESP2 or RESP3 as the connection negotiated.

pub mod parse;
pub mod write;

pub use parse::{ParseLimits, ParseState, Parsed, ParsedArgs, ProtocolError};
pub use write::Reply;
