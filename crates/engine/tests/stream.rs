//! Byte-exact tests of the stream commands: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM,
//! XSETID, XREAD (blocking included with several sessions) and XINFO STREAM.
//!
//! Every expected reply was recorded from redis-server 7.0.15. Node boundaries show in XINFO
//! STREAM (`radix-tree-keys`, `radix-tree-nodes`) and in what `~` trimming removes, so the node
//! tests set `stream-node-max-entries` or `stream-node-max-bytes` low and look at XINFO STREAM
//! FULL after each step. The signal tests check each command's events, write-stream form and
//! change count, taken from Redis with `psubscribe '__key*__:*'`, its AOF and
//! `rdb_changes_since_last_save`.

mod common;
use common::{check, observed, setup, watch_survives, writes, Client, WRONGTYPE};
use redwing_engine::config::Permission;
use redwing_engine::types::stream::{Consumer, Group, PendingEntry, StreamId};
use redwing_engine::value::Value;
use redwing_engine::Peer;
use std::time::Duration;

/// Switches the client's own session to RESP3.
fn resp3(c: &mut Client) {
  let slot = c.slot;
  resp3_session(c, slot);
}

/// Switches the session in `slot` to RESP3.
fn resp3_session(c: &mut Client, slot: u32) {
  for (s, session) in c.engine.clients.sessions_mut() {
    if s == slot {
      session.resp3 = true;
    }
  }
}

/// The client id of the session in `slot`.
fn client_id(c: &Client, slot: u32) -> String {
  c.engine.clients.session(slot).map(|s| s.id.to_string()).unwrap_or_default()
}

/// XADD: explicit, `<ms>-*` and partial IDs, the last possible ID, NOMKSTREAM, and every
/// argument error in Redis's order.
#[test]
fn xadd_ids_options_and_errors() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["XADD", "s", "1-1", "f", "v"]), "$3\r\n1-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-2", "f", "v", "g", "w"]), "$3\r\n1-2\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-*", "f", "v"]), "$3\r\n1-3\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "5-*", "f", "v"]), "$3\r\n5-0\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "5", "f", "v"]),
    "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "5-0", "f", "v"]),
    "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "4-9", "f", "v"]),
    "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "0-0", "f", "v"]), "-ERR The ID specified in XADD must be greater than 0-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "0", "f", "v"]), "-ERR The ID specified in XADD must be greater than 0-0\r\n");
  assert_eq!(c.cmd(&["XADD", "fresh", "0-*", "f", "v"]), "$3\r\n0-1\r\n");
  assert_eq!(c.cmd(&["XADD", "fresh", "0-*", "f", "v"]), "$3\r\n0-2\r\n");
  // IDs are read with string2ull: white space, a sign and leading zeros pass.
  assert_eq!(c.cmd(&["XADD", "s", " 9-1", "f", "v"]), "$3\r\n9-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "10-+3", "f", "v"]), "$4\r\n10-3\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "00011", "f", "v"]), "$4\r\n11-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "12--05", "f", "v"]), "$23\r\n12-18446744073709551611\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "13-*", "f", "v"]), "$4\r\n13-0\r\n");
  assert_eq!(c.cmd(&["XLEN", "s"]), ":9\r\n");
  // The sequence of a millisecond runs out; then the stream's last possible ID.
  assert_eq!(c.cmd(&["XADD", "top", "7-18446744073709551615", "f", "v"]), "$22\r\n7-18446744073709551615\r\n");
  assert_eq!(c.cmd(&["XADD", "top", "7-*", "f", "v"]), "-ERR Elements are too large to be stored\r\n");
  assert_eq!(
    c.cmd(&["XADD", "top", "18446744073709551615-18446744073709551615", "f", "v"]),
    "$41\r\n18446744073709551615-18446744073709551615\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "top", "18446744073709551615-*", "f", "v"]),
    "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "top", "*", "f", "v"]),
    "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "top", "NOMKSTREAM", "1-1", "f", "v"]),
    "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"
  );
  assert_eq!(c.cmd(&["XLEN", "top"]), ":2\r\n");
  assert_eq!(c.cmd(&["XADD", "missing", "NOMKSTREAM", "*", "f", "v"]), "$-1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "missing"]), ":0\r\n");
  // Arity: no pairs, an odd count, or options that run to the end.
  assert_eq!(c.cmd(&["XADD", "s", "*", "f"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "*", "f", "v", "g"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "NOMKSTREAM", "MAXLEN", "5"]),
    "-ERR wrong number of arguments for 'xadd' command\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
  // Invalid IDs, and options that look like IDs.
  assert_eq!(c.cmd(&["XADD", "s", "-", "f", "v"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "+", "f", "v"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-x", "f", "v"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "x", "f", "v"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "1-2-3", "f", "v"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "-1", "f", "v"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "9--1", "f", "v"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "FOO", "*", "f", "v"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  // Trimming options: each error, in Redis's order.
  assert_eq!(
    c.cmd(&["XADD", "s", "MAXLEN", "5", "MINID", "5", "*", "f", "v"]),
    "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "MINID", "5", "MAXLEN", "5", "*", "f", "v"]),
    "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN", "-1", "*", "f", "v"]), "-ERR The MAXLEN argument must be >= 0.\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN", "x", "*", "f", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "MAXLEN", "~", "x", "*", "f", "v"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN", "=", "-1", "*", "f", "v"]), "-ERR The MAXLEN argument must be >= 0.\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "MINID", "x", "*", "f", "v"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "MINID", "-", "*", "f", "v"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "LIMIT", "5", "*", "f", "v"]),
    "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "LIMIT", "0", "*", "f", "v"]),
    "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "LIMIT", "-1", "*", "f", "v"]), "-ERR The LIMIT argument must be >= 0.\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "LIMIT", "x", "*", "f", "v"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["XADD", "s", "MAXLEN", "1", "LIMIT", "5", "*", "f", "v"]),
    "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "MAXLEN", "=", "1", "LIMIT", "5", "*", "f", "v"]),
    "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
  );
  assert_eq!(
    c.cmd(&["XADD", "s", "NOMKSTREAM", "MAXLEN", "-1", "*", "f", "v"]),
    "-ERR The MAXLEN argument must be >= 0.\r\n"
  );
  // Errors come before the key's type is checked.
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "str", "0-0", "f", "v"]), "-ERR The ID specified in XADD must be greater than 0-0\r\n");
  assert_eq!(c.cmd(&["XADD", "str", "*", "f"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
  assert_eq!(c.cmd(&["XADD", "str", "*", "f", "v"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XADD", "str", "NOMKSTREAM", "*", "f", "v"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+"]), "*9\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\ng\r\n$1\r\nw\r\n*2\r\n$3\r\n1-3\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n9-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n10-3\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n11-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$23\r\n12-18446744073709551611\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(
    c.cmd(&["XRANGE", "fresh", "-", "+"]),
    "*2\r\n*2\r\n$3\r\n0-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n0-2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
  );
}

/// Nodes of at most three entries (tombstones included): where new nodes start, what their
/// master fields are, and what deleting a node's last live entry does.
#[test]
fn entries_straddle_nodes() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-1", "a", "1", "b", "2"]), "$3\r\n1-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-2", "a", "3", "b", "4"]), "$3\r\n1-2\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-1", "c", "5"]), "$3\r\n2-1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n$6\r\ngroups\r\n*0\r\n");
  // The fourth entry starts a new node, whose master fields are its own.
  assert_eq!(c.cmd(&["XADD", "s", "3-1", "c", "6"]), "$3\r\n3-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-2", "a", "7", "b", "8"]), "$3\r\n3-2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:5\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*5\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n3-2\r\n*4\r\n$1\r\na\r\n$1\r\n7\r\n$1\r\nb\r\n$1\r\n8\r\n$6\r\ngroups\r\n*0\r\n");
  // Deleted entries still count towards the limit of their node.
  assert_eq!(c.cmd(&["XDEL", "s", "3-2"]), ":1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-1", "c", "9"]), "$3\r\n4-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "5-1", "c", "10"]), "$3\r\n5-1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:6\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$3\r\n5-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-2\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nc\r\n$2\r\n10\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:6\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$3\r\n5-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-2\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*6\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n*2\r\n$3\r\n3-1\r\n*2\r\n$1\r\nc\r\n$1\r\n6\r\n*2\r\n$3\r\n4-1\r\n*2\r\n$1\r\nc\r\n$1\r\n9\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nc\r\n$2\r\n10\r\n$6\r\ngroups\r\n*0\r\n");
  // Deleting every live entry of a node frees it; its tombstones go with it.
  assert_eq!(c.cmd(&["XDEL", "s", "3-1", "4-1"]), ":2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:4\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n5-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n4-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*4\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nc\r\n$2\r\n10\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XREVRANGE", "s", "+", "-"]), "*4\r\n*2\r\n$3\r\n5-1\r\n*2\r\n$1\r\nc\r\n$2\r\n10\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  // When the last node goes, the next entry joins the node before, if it has room.
  assert_eq!(c.cmd(&["XDEL", "s", "5-1"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n5-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n5-1\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "2-1"]), ":1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "6-1", "c", "11"]), "$3\r\n6-1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n6-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n5-1\r\n$13\r\nentries-added\r\n:8\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-2\r\n*4\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n*2\r\n$3\r\n6-1\r\n*2\r\n$1\r\nc\r\n$2\r\n11\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "1-1", "1-2", "6-1"]), ":3\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n6-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n6-1\r\n$13\r\nentries-added\r\n:8\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$7\r\nentries\r\n*0\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XLEN", "s"]), ":0\r\n");
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":1\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]), "+OK\r\n");
}

/// `stream-node-max-bytes` measured as Redis's listpack would be.
#[test]
fn node_size_follows_the_listpack() {
  let mut c = Client::new();
  // stream-node-max-bytes counts the node as Redis's listpack: numbers take less room than
  // their text, and each element carries its back length.
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-bytes", "60"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-1", "f", "12345678"]), "$3\r\n1-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-2", "f", "123456789012"]), "$3\r\n1-2\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-3", "f", "abcdefghijkl"]), "$3\r\n1-3\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:4\r\n$17\r\nlast-generated-id\r\n$3\r\n1-3\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$8\r\n12345678\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-3\r\n*2\r\n$1\r\nf\r\n$12\r\nabcdefghijkl\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-4", "f", "a"]), "$3\r\n1-4\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-5", "f", "a"]), "$3\r\n1-5\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:5\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:4\r\n$17\r\nlast-generated-id\r\n$3\r\n1-5\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$8\r\n12345678\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-5\r\n*2\r\n$1\r\nf\r\n$1\r\na\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-bytes", "1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-1", "f", "v"]), "$3\r\n2-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-2", "f", "v"]), "$3\r\n2-2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:7\r\n$15\r\nradix-tree-keys\r\n:4\r\n$16\r\nradix-tree-nodes\r\n:10\r\n$17\r\nlast-generated-id\r\n$3\r\n2-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$8\r\n12345678\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-bytes", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-1", "f", "v"]), "$3\r\n3-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-2", "f", "v"]), "$3\r\n3-2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:9\r\n$15\r\nradix-tree-keys\r\n:4\r\n$16\r\nradix-tree-nodes\r\n:10\r\n$17\r\nlast-generated-id\r\n$3\r\n3-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:9\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$8\r\n12345678\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n3-2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-bytes", "4096"]), "+OK\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]), "+OK\r\n");
}

/// XTRIM and XADD's trimming: whole nodes with `~`, entries marked deleted without, by
/// length and by ID, with LIMIT; and XTRIM's errors.
#[test]
fn trimming_by_nodes_and_exactly() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "5-0", "f", "v"]), "$3\r\n5-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "6-0", "f", "v"]), "$3\r\n6-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "7-0", "f", "v"]), "$3\r\n7-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "8-0", "f", "v"]), "$3\r\n8-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "9-0", "f", "v"]), "$3\r\n9-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "10-0", "f", "v"]), "$4\r\n10-0\r\n");
  // Approximate trimming removes whole nodes only: none while that would go below the count.
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "8"]), ":0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "7"]), ":3\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:7\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$4\r\n10-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n4-0\r\n$7\r\nentries\r\n*7\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n8-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "2"]), ":3\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:4\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$4\r\n10-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n7-0\r\n$7\r\nentries\r\n*4\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n8-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  // Exact trimming then marks entries of the first node deleted.
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "3"]), ":1\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "=", "2"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$4\r\n10-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n9-0\r\n$7\r\nentries\r\n*2\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "2"]), ":0\r\n");
  // By ID: whole nodes whose last entry is below it, then (exactly) the entries below it.
  assert_eq!(c.cmd(&["XADD", "s", "11-0", "f", "v"]), "$4\r\n11-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "12-0", "f", "v"]), "$4\r\n12-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "13-0", "f", "v"]), "$4\r\n13-0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "~", "12"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:4\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:13\r\n$23\r\nrecorded-first-entry-id\r\n$4\r\n10-0\r\n$7\r\nentries\r\n*4\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n11-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n12-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "12"]), ":2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$4\r\n13-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:13\r\n$23\r\nrecorded-first-entry-id\r\n$4\r\n12-0\r\n$7\r\nentries\r\n*2\r\n*2\r\n$4\r\n12-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$4\r\n13-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "12-0"]), ":0\r\n");
  // A node ending with a tombstone at or past the ID is kept, even with nothing live left.
  assert_eq!(c.cmd(&["DEL", "s"]), ":1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "3-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "3"]), ":2\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$7\r\nentries\r\n*0\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n4-0\r\n$7\r\nentries\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$7\r\nentries\r\n*0\r\n$6\r\ngroups\r\n*0\r\n");
  // LIMIT caps the entries removed, in whole nodes; without it ~ removes at most 100 nodes'
  // worth (100 * stream-node-max-entries).
  assert_eq!(c.cmd(&["DEL", "s"]), ":1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "5-0", "f", "v"]), "$3\r\n5-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "6-0", "f", "v"]), "$3\r\n6-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "7-0", "f", "v"]), "$3\r\n7-0\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "5"]), ":3\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "3"]), ":3\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "~", "100", "LIMIT", "0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n7-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
  // XADD trims after adding: the new entry counts.
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN", "2", "8-0", "f", "v"]), "$3\r\n8-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "MAXLEN", "~", "1", "9-0", "f", "v"]), "$3\r\n9-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "MINID", "=", "9", "10-0", "f", "v"]), "$4\r\n10-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "MINID", "11", "11-0", "f", "v"]), "$4\r\n11-0\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+"]), "*1\r\n*2\r\n$4\r\n11-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "MINID", "~", "100", "12-0", "f", "v"]), "$4\r\n12-0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$4\r\n12-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:12\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
  // Errors.
  assert_eq!(c.cmd(&["XTRIM", "s"]), "-ERR wrong number of arguments for 'xtrim' command\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN"]), "-ERR wrong number of arguments for 'xtrim' command\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "FOO", "1"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XTRIM", "s", "LIMIT", "1"]),
    "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"
  );
  assert_eq!(
    c.cmd(&["XTRIM", "s", "LIMIT", "0"]),
    "-ERR syntax error, XTRIM must be called with a trimming strategy\r\n"
  );
  assert_eq!(
    c.cmd(&["XTRIM", "s", "MAXLEN", "1", "MINID", "1"]),
    "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"
  );
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "-1"]), "-ERR The MAXLEN argument must be >= 0.\r\n");
  assert_eq!(
    c.cmd(&["XTRIM", "s", "MAXLEN", "1", "LIMIT", "1"]),
    "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
  );
  assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "-1"]), "-ERR The LIMIT argument must be >= 0.\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "-"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "1-*"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XTRIM", "s", "NOMKSTREAM", "MAXLEN", "1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XTRIM", "missing", "MAXLEN", "0"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XTRIM", "str", "MAXLEN", "0"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XTRIM", "str", "MAXLEN", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]), "+OK\r\n");
}

/// XRANGE, XREVRANGE and XLEN: range ends of every form, COUNT, and errors.
#[test]
fn xrange_and_xrevrange() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "a", "1"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-1", "b", "2"]), "$3\r\n1-1\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "c", "3"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-5", "d", "4"]), "$3\r\n2-5\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "e", "5"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+"]), "*5\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XREVRANGE", "s", "+", "-"]), "*5\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  // Incomplete IDs: a start at sequence 0, an end at the last sequence.
  assert_eq!(
    c.cmd(&["XRANGE", "s", "2", "2"]),
    "*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["XREVRANGE", "s", "2", "1"]), "*4\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  assert_eq!(
    c.cmd(&["XRANGE", "s", "1-1", "2-0"]),
    "*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  // Exclusive ends.
  assert_eq!(c.cmd(&["XRANGE", "s", "(1-0", "+"]), "*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "(2-5"]), "*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "(1", "(3"]), "*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XREVRANGE", "s", "(3-0", "(1-0"]), "*3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "(2-5", "(2-5"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"]),
    "-ERR invalid start ID for the interval\r\n"
  );
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "(0-0"]), "-ERR invalid end ID for the interval\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "(0", "+"]), "*5\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "(", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "(-", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "(+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "18446744073709551615-18446744073709551615", "+"]), "*0\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "3", "2"]), "*0\r\n");
  // COUNT: the last one counts, a negative one is 0, and 0 is a null array.
  assert_eq!(
    c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "2"]),
    "*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
  );
  assert_eq!(
    c.cmd(&["XREVRANGE", "s", "+", "-", "COUNT", "2"]),
    "*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-5\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3"]), "*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "0"]), "*-1\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "-5"]), "*-1\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "count", "1"]), "*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "LIMIT", "1"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "x", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "1-x", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "1 ", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XRANGE", "missing", "-", "+"]), "*0\r\n");
  assert_eq!(c.cmd(&["XRANGE", "missing", "-", "+", "COUNT", "0"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["XRANGE", "missing", "x", "+"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XREVRANGE", "missing", "+", "-"]), "*0\r\n");
  assert_eq!(c.cmd(&["XLEN", "s"]), ":5\r\n");
  assert_eq!(c.cmd(&["XLEN", "missing"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XRANGE", "str", "-", "+"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XRANGE", "str", "-", "+", "COUNT", "0"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XRANGE", "str", "x", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XREVRANGE", "str", "+", "-"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XLEN", "str"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XRANGE", "s"]), "-ERR wrong number of arguments for 'xrange' command\r\n");
  // Deleted entries are skipped in both directions.
  assert_eq!(c.cmd(&["XDEL", "s", "1-1", "2-5"]), ":2\r\n");
  assert_eq!(c.cmd(&["XRANGE", "s", "-", "+"]), "*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
  assert_eq!(
    c.cmd(&["XREVRANGE", "s", "+", "-", "COUNT", "2"]),
    "*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(c.cmd(&["XRANGE", "s", "2-1", "2-9"]), "*0\r\n");
  assert_eq!(c.cmd(&["XLEN", "s"]), ":3\r\n");
}

/// XDEL and XSETID, their bookkeeping and their errors.
#[test]
fn xdel_and_xsetid() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "2-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "2-0", "3-0", "3-0", "9-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "1-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":1\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "1-0", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "-"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "1-*"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XDEL", "missing", "x"]), ":0\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XDEL", "str", "x"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XDEL", "s"]), "-ERR wrong number of arguments for 'xdel' command\r\n");
  // XSETID checks its own arguments first, then the stream.
  assert_eq!(c.cmd(&["XADD", "t", "5-0", "f", "v"]), "$3\r\n5-0\r\n");
  assert_eq!(c.cmd(&["XADD", "t", "6-0", "f", "v"]), "$3\r\n6-0\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "6-0"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XSETID", "t", "5-9"]),
    "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n"
  );
  assert_eq!(
    c.cmd(&["XSETID", "t", "7-0", "ENTRIESADDED", "1"]),
    "-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n"
  );
  assert_eq!(c.cmd(&["XSETID", "t", "7-0", "ENTRIESADDED", "2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "t"]), "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n7-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n5-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(
    c.cmd(&["XSETID", "t", "8-0", "MAXDELETEDID", "9-0"]),
    "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n"
  );
  assert_eq!(c.cmd(&["XSETID", "t", "8-0", "MAXDELETEDID", "8-0", "ENTRIESADDED", "10"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "t"]), "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n8-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n8-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n5-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "8-0", "MAXDELETEDID", "0-0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "t"]), "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n8-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n8-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n5-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "9", "ENTRIESADDED", "-1"]), "-ERR entries_added must be positive\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "9", "ENTRIESADDED", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["XSETID", "t", "9", "MAXDELETEDID", "x"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XSETID", "t", "9", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "9", "ENTRIESADDED"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "-"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "$"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XSETID", "missing", "1-0"]), "-ERR no such key\r\n");
  assert_eq!(c.cmd(&["XSETID", "missing", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XSETID", "str", "1-0"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XSETID", "str", "1-0", "ENTRIESADDED", "-1"]), "-ERR entries_added must be positive\r\n");
  // An empty stream takes any ID, even below its last one.
  assert_eq!(c.cmd(&["XDEL", "t", "5-0", "6-0"]), ":2\r\n");
  assert_eq!(c.cmd(&["XSETID", "t", "1-0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "t"]), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n8-0\r\n$13\r\nentries-added\r\n:10\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XADD", "t", "1-*", "f", "v"]), "$3\r\n1-1\r\n");
  assert_eq!(c.cmd(&["XSETID", "t"]), "-ERR wrong number of arguments for 'xsetid' command\r\n");
}

/// XREAD served at once (or a null array), and its errors in Redis's order.
#[test]
fn xread_without_blocking() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["XADD", "a", "1-0", "f", "1"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "a", "2-0", "f", "2"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "b", "5-0", "g", "5"]), "$3\r\n5-0\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "b", "1-0", "0"]), "*2\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ng\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "0"]), "*2\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ng\r\n$1\r\n5\r\n");
  assert_eq!(c.cmd(&["XREAD", "COUNT", "0", "STREAMS", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "COUNT", "-1", "STREAMS", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "b", "$", "$"]), "*-1\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "b", "2", "4-9"]),
    "*1\r\n*2\r\n$1\r\nb\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ng\r\n$1\r\n5\r\n"
  );
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "missing", "1", "0"]),
    "*1\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "missing", "0"]), "*-1\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "a", "0", "1"]), "*2\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "2-0"]), "*-1\r\n");
  assert_eq!(c.cmd(&["XREAD", "BLOCK", "10", "STREAMS", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "COUNT", "1", "BLOCK", "10", "COUNT", "2", "STREAMS", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  // Only live entries count: a stream whose entries after the ID were deleted has nothing.
  assert_eq!(c.cmd(&["XADD", "a", "3-0", "f", "3"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XDEL", "a", "3-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "2-0"]), "*-1\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "1-5"]),
    "*1\r\n*2\r\n$1\r\na\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n"
  );
  // Errors, in Redis's order: options, then each key's type before its ID.
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a"]), "-ERR wrong number of arguments for 'xread' command\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "b", "0"]),
    "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "COUNT", "x", "STREAMS", "a", "0"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "BLOCK", "x", "STREAMS", "a", "0"]),
    "-ERR timeout is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "BLOCK", "-1", "STREAMS", "a", "0"]), "-ERR timeout is negative\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "BLOCK", "1.5", "STREAMS", "a", "0"]),
    "-ERR timeout is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "FOO", "STREAMS", "a", "0"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"]),
    "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n"
  );
  assert_eq!(
    c.cmd(&["XREAD", "GROUP", "g", "STREAMS", "a", "0"]),
    "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n"
  );
  assert_eq!(
    c.cmd(&["XREAD", "NOACK", "STREAMS", "a", "0"]),
    "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "COUNT", "1", "COUNT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XREAD", "COUNT", "1", "BLOCK", "1", "a", "0"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "x"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "-"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "+"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "1-*"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", ">"]),
    "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n"
  );
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "str", "0"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "str", "x"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "str", "0", "0"]), WRONGTYPE);
  assert_eq!(
    c.cmd(&["XREAD", "STREAMS", "a", "str", "x", "0"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "str", "a", "0", "x"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "str", "9", "$"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XREAD", "streams", "a", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "STREAMS", "a", "0", "0"]), "*1\r\n*2\r\n$1\r\na\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\n2\r\n");
  assert_eq!(c.cmd(&["XREAD", "STREAMS", "STREAMS", "0"]), "*-1\r\n");
}

/// XINFO STREAM with and without FULL, in RESP2 and RESP3, and XINFO HELP.
#[test]
fn xinfo_stream_and_help() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "missing"]), "-ERR no such key\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "a", "1"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "a", "2", "b", "3"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "c", "4"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n4\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n4\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "2"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "0"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n4\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "-1"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n4\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "full", "count", "1"]), "*18\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "x"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT"]),
    "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "1", "X"]),
    "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FOO"]),
    "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FOO", "COUNT", "1"]),
    "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "s", "FULL", "FOO", "1"]),
    "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n"
  );
  assert_eq!(c.cmd(&["XINFO", "STREAM", "missing", "FULL", "FOO"]), "-ERR no such key\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "str"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XINFO", "STREAM", "str", "FOO"]), WRONGTYPE);
  assert_eq!(c.cmd(&["XINFO", "stream"]), "-ERR wrong number of arguments for 'xinfo|stream' command\r\n");
  assert_eq!(c.cmd(&["XINFO"]), "-ERR wrong number of arguments for 'xinfo' command\r\n");
  assert_eq!(c.cmd(&["XINFO", "FOO", "s"]), "-ERR unknown subcommand 'FOO'. Try XINFO HELP.\r\n");
  assert_eq!(c.cmd(&["XINFO", "HELP"]), "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n");
  assert_eq!(c.cmd(&["XINFO", "help"]), "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n");
  assert_eq!(c.cmd(&["XINFO", "HELP", "x"]), "-ERR wrong number of arguments for 'xinfo|help' command\r\n");
  // An emptied stream keeps its counters.
  assert_eq!(c.cmd(&["XDEL", "s", "1-0", "2-0", "3-0"]), ":3\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "*18\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$7\r\nentries\r\n*0\r\n$6\r\ngroups\r\n*0\r\n");
  resp3(&mut c);
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "%10\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n4-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), "%9\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n4-0\r\n$7\r\nentries\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$6\r\ngroups\r\n*0\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "4-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "%10\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n4-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n");
  assert_eq!(c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]), "+OK\r\n");
}

/// An entry `[id, [field, value]]` of a reply, as Redis writes it.
fn entry(id: &str, field: &str, value: &str) -> String {
  format!("*2\r\n${}\r\n{id}\r\n*2\r\n${}\r\n{field}\r\n${}\r\n{value}\r\n", id.len(), field.len(), value.len())
}

/// A served XREAD wait in RESP2: one stream and its entries.
fn served(key: &str, entries: &[String]) -> String {
  format!("*1\r\n*2\r\n${}\r\n{key}\r\n*{}\r\n{}", key.len(), entries.len(), entries.concat())
}

#[test]
fn xadd_wakes_blocked_readers() {
  let mut c = Client::new();
  let b = c.other();
  c.cmd(&["XADD", "s", "1-0", "f", "v"]);
  assert_eq!(c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
  assert!(c.engine.blocking.is_blocked(b));
  assert_eq!(c.cmd(&["XADD", "other", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert!(c.take_outbox().is_empty());
  // `$` was the last ID when the reader blocked: only the new entry is served.
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "g", "w"]), "$3\r\n2-0\r\n");
  assert_eq!(c.take_outbox(), [(b, served("s", &[entry("2-0", "g", "w")]))]);
  assert!(!c.engine.blocking.is_blocked(b));

  // `$` on a missing key is 0-0: the entry that creates the stream is served.
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "m", "$"]);
  c.cmd(&["XADD", "m", "1-1", "f", "v"]);
  assert_eq!(c.take_outbox(), [(b, served("m", &[entry("1-1", "f", "v")]))]);
}

#[test]
fn blocked_readers_are_served_by_their_own_ids() {
  let mut c = Client::new();
  let (b, d) = (c.other(), c.other());
  c.cmd(&["XADD", "s", "2-0", "f", "v"]);
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  c.send_as(d, &["XREAD", "BLOCK", "0", "STREAMS", "s", "5-0"]);
  c.cmd(&["XADD", "s", "3-0", "f", "v"]);
  assert_eq!(c.take_outbox(), [(b, served("s", &[entry("3-0", "f", "v")]))]);
  assert!(c.engine.blocking.is_blocked(d));
  c.cmd(&["XADD", "s", "6-0", "f", "v"]);
  assert_eq!(c.take_outbox(), [(d, served("s", &[entry("6-0", "f", "v")]))]);

  // A reader whose ID is behind the stream is served at once.
  assert_eq!(c.send_as(d, &["XREAD", "BLOCK", "0", "STREAMS", "s", "3-0"]), served("s", &[entry("6-0", "f", "v")]));
  assert!(!c.engine.blocking.is_blocked(d));
}

#[test]
fn dollar_keeps_its_meaning_across_reruns() {
  let mut c = Client::new();
  let b = c.other();
  c.cmd(&["XADD", "t", "5-0", "f", "v"]);
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "t", "$"]);
  // Replaced by another type: the reader is not served and gets no error.
  c.cmd(&["MULTI"]);
  c.cmd(&["DEL", "t"]);
  c.cmd(&["SET", "t", "str"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n:1\r\n+OK\r\n");
  // A new stream below the ID `$` stood for wakes the reader, which blocks again.
  c.cmd(&["MULTI"]);
  c.cmd(&["DEL", "t"]);
  c.cmd(&["XADD", "t", "3-0", "f", "v"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n:1\r\n$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "t", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert!(c.take_outbox().is_empty());
  assert!(c.engine.blocking.is_blocked(b));
  c.cmd(&["XADD", "t", "6-0", "f", "v"]);
  assert_eq!(c.take_outbox(), [(b, served("t", &[entry("6-0", "f", "v")]))]);
}

#[test]
fn a_served_wait_gets_one_stream_and_a_bounded_count() {
  let mut c = Client::new();
  let b = c.other();
  // Keys made ready in one transaction: the first made ready is served, alone.
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "k1", "k2", "$", "$"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["XADD", "k2", "1-0", "f", "v"]);
  c.cmd(&["XADD", "k1", "1-0", "f", "v"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n");
  assert_eq!(c.take_outbox(), [(b, served("k2", &[entry("1-0", "f", "v")]))]);

  // COUNT applies; without it a served wait gets at most 1000 entries.
  c.send_as(b, &["XREAD", "BLOCK", "0", "COUNT", "2", "STREAMS", "s", "$"]);
  c.cmd(&["MULTI"]);
  for seq in ["7-0", "7-1", "7-2"] {
    c.cmd(&["XADD", "s", seq, "a", "1"]);
  }
  c.cmd(&["EXEC"]);
  assert_eq!(c.take_outbox(), [(b, served("s", &[entry("7-0", "a", "1"), entry("7-1", "a", "1")]))]);
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  c.cmd(&["MULTI"]);
  for _ in 0..1005 {
    c.cmd(&["XADD", "s", "*", "a", "1"]);
  }
  c.cmd(&["EXEC"]);
  let outbox = c.take_outbox();
  assert_eq!(outbox.len(), 1);
  assert!(outbox[0].1.starts_with("*1\r\n*2\r\n$1\r\ns\r\n*1000\r\n"));

  // An entry added and deleted in one transaction still serves the wait, with nothing.
  c.send_as(b, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["XADD", "s", "99999999999999-0", "a", "1"]);
  c.cmd(&["XDEL", "s", "99999999999999-0"]);
  c.cmd(&["EXEC"]);
  assert_eq!(c.take_outbox(), [(b, "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n".to_string())]);
}

#[test]
fn blocked_readers_in_resp3_timeouts_and_unblocking() {
  let mut c = Client::new();
  let (b, d) = (c.other(), c.other());
  resp3_session(&mut c, d);
  c.send_as(d, &["XREAD", "BLOCK", "0", "STREAMS", "s", "t", "$", "$"]);
  c.cmd(&["XADD", "t", "7-0", "f", "v"]);
  assert_eq!(c.take_outbox(), [(d, format!("%1\r\n$1\r\nt\r\n*1\r\n{}", entry("7-0", "f", "v")))]);

  c.send_as(b, &["XREAD", "BLOCK", "30", "STREAMS", "s", "$"]);
  c.send_as(d, &["XREAD", "BLOCK", "30", "STREAMS", "s", "$"]);
  let forever = c.other();
  c.send_as(forever, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  c.engine.tick();
  assert!(c.take_outbox().is_empty());
  std::thread::sleep(Duration::from_millis(60));
  c.engine.tick();
  assert_eq!(c.take_outbox(), [(b, "*-1\r\n".to_string()), (d, "_\r\n".to_string())]);
  assert!(c.engine.blocking.is_blocked(forever));

  let id = client_id(&c, forever);
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(forever, "*-1\r\n".to_string())]);
  c.send_as(forever, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  assert_eq!(c.cmd(&["CLIENT", "UNBLOCK", &id, "ERROR"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(forever, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".to_string())]);
  assert_eq!(c.send_as(forever, &["PING"]), "+PONG\r\n");
}

#[test]
fn xread_block_never_blocks_in_a_transaction_or_in_process() {
  let mut c = Client::new();
  c.cmd(&["MULTI"]);
  c.cmd(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n*-1\r\n");
  let embedded = c.engine.open(Peer { fd: -1, origin: redwing_engine::Origin::Embedded, ..Peer::default() });
  let args: Vec<&[u8]> = vec![b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"];
  assert_eq!(c.engine.call(embedded, &args).reply, b"*-1\r\n");
  c.cmd(&["XADD", "s", "1-0", "f", "v"]);
  let args: Vec<&[u8]> = vec![b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"0"];
  assert_eq!(String::from_utf8_lossy(&c.engine.call(embedded, &args).reply), served("s", &[entry("1-0", "f", "v")]));
}

#[test]
fn commands_behind_a_blocked_xread_wait_for_it() {
  let mut c = Client::new();
  let b = c.other();
  let mut pipeline = common::encode(&[b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"]);
  pipeline.extend(common::encode(&[b"XLEN", b"s"]));
  assert!(c.engine.feed(b, &pipeline).reply.is_empty());
  c.cmd(&["XADD", "s", "1-0", "f", "v"]);
  assert_eq!(c.take_outbox(), [(b, served("s", &[entry("1-0", "f", "v")]) + ":1\r\n")]);

  // A closed session's wait is forgotten.
  let d = c.other();
  c.send_as(d, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
  c.engine.close(d);
  c.cmd(&["XADD", "s", "2-0", "f", "v"]);
  assert!(c.take_outbox().is_empty());
}

#[test]
fn signals_of_xadd() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["CONFIG", "SET", "stream-node-max-entries", "2"]]);
  check(&mut c, l, &["XADD", "s", "1-1", "f", "v"], "$3\r\n1-1\r\n", &[("s", "xadd")], &["XADD s 1-1 f v"], 1);
  // A generated ID replaces `<ms>-*` (and `*`) in the write stream.
  check(&mut c, l, &["XADD", "s", "5-*", "f", "v"], "$3\r\n5-0\r\n", &[("s", "xadd")], &["XADD s 5-0 f v"], 1);
  // `~` goes to the write stream as the exact trim it did, even when it trimmed nothing.
  check(
    &mut c,
    l,
    &["XADD", "s", "MAXLEN", "~", "1", "6-0", "f", "v"],
    "$3\r\n6-0\r\n",
    &[("s", "xadd"), ("s", "xtrim")],
    &["XADD s MAXLEN = 1 6-0 f v"],
    1,
  );
  check(
    &mut c,
    l,
    &["XADD", "s", "MAXLEN", "~", "100", "7-0", "f", "v"],
    "$3\r\n7-0\r\n",
    &[("s", "xadd")],
    &["XADD s MAXLEN = 2 7-0 f v"],
    1,
  );
  check(
    &mut c,
    l,
    &["XADD", "s", "MAXLEN", "2", "8-0", "f", "v"],
    "$3\r\n8-0\r\n",
    &[("s", "xadd"), ("s", "xtrim")],
    &["XADD s MAXLEN 2 8-0 f v"],
    1,
  );
  check(
    &mut c,
    l,
    &["XADD", "s", "MINID", "~", "8", "LIMIT", "10", "8-1", "f", "v"],
    "$3\r\n8-1\r\n",
    &[("s", "xadd"), ("s", "xtrim")],
    &["XADD s MINID = 8-0 LIMIT 10 8-1 f v"],
    1,
  );
  check(
    &mut c,
    l,
    &["XADD", "s", "NOMKSTREAM", "MINID", "9", "9-*", "f", "v"],
    "$3\r\n9-0\r\n",
    &[("s", "xadd"), ("s", "xtrim")],
    &["XADD s NOMKSTREAM MINID 9 9-0 f v"],
    1,
  );
  // Trimmed to nothing: the first ID of an empty stream is the largest one.
  check(
    &mut c,
    l,
    &["XADD", "s", "MINID", "~", "100", "10-0", "f", "v"],
    "$4\r\n10-0\r\n",
    &[("s", "xadd"), ("s", "xtrim")],
    &["XADD s MINID = 18446744073709551615-18446744073709551615 10-0 f v"],
    1,
  );
  check(&mut c, l, &["XADD", "missing", "NOMKSTREAM", "1-1", "f", "v"], "$-1\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["XADD", "s", "1-1", "f", "v"],
    "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
    &[],
    &[],
    0,
  );
  check(&mut c, l, &["XADD", "str", "*", "f"], "-ERR wrong number of arguments for 'xadd' command\r\n", &[], &[], 0);

  // `*` is the current time.
  let before = c.engine.keyspace.dirty;
  let reply = c.cmd(&["XADD", "auto", "*", "f", "v"]);
  let id = reply.split("\r\n").nth(1).unwrap_or_default().to_string();
  let (ms, seq) = id.split_once('-').unwrap_or_default();
  let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis();
  assert!(ms.parse::<u128>().is_ok_and(|ms| ms <= now && ms + 10_000 > now), "{reply}");
  assert_eq!(seq, "0");
  assert_eq!(c.events(l), common::events(&[("auto", "xadd")]));
  assert_eq!(c.writes(), writes(&[&format!("XADD auto {id} f v")]));
  assert_eq!(c.engine.keyspace.dirty - before, 1);
  // In the same millisecond or with the clock behind the last ID, `*` takes the next sequence.
  c.cmd(&["XADD", "ahead", "99999999999999-5", "f", "v"]);
  assert_eq!(c.cmd(&["XADD", "ahead", "*", "f", "v"]), "$16\r\n99999999999999-6\r\n");
  c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]);
}

#[test]
fn signals_of_xdel_xtrim_xsetid_and_reads() {
  let (mut c, l) = observed("KEA");
  setup(
    &mut c,
    l,
    &[
      &["CONFIG", "SET", "stream-node-max-entries", "2"],
      &["XADD", "s", "11-0", "f", "v"],
      &["XADD", "s", "12-0", "f", "v"],
      &["XADD", "s", "13-0", "f", "v"],
    ],
  );
  check(&mut c, l, &["XDEL", "s", "11-0", "99-0"], ":1\r\n", &[("s", "xdel")], &["XDEL s 11-0 99-0"], 1);
  check(&mut c, l, &["XDEL", "s", "99-0"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["XTRIM", "s", "MAXLEN", "~", "0"], ":2\r\n", &[("s", "xtrim")], &["XTRIM s MAXLEN = 0"], 2);
  check(&mut c, l, &["XTRIM", "s", "MAXLEN", "1"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["XTRIM", "s", "MINID", "~", "100"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["XSETID", "s", "20-0", "ENTRIESADDED", "100"],
    "+OK\r\n",
    &[("s", "xsetid")],
    &["XSETID s 20-0 ENTRIESADDED 100"],
    1,
  );
  check(&mut c, l, &["XSETID", "s", "1-0"], "+OK\r\n", &[("s", "xsetid")], &["XSETID s 1-0"], 1);
  check(&mut c, l, &["XSETID", "missing", "1-0"], "-ERR no such key\r\n", &[], &[], 0);
  check(&mut c, l, &["XREAD", "STREAMS", "s", "0"], "*-1\r\n", &[], &[], 0);
  check(&mut c, l, &["XRANGE", "s", "-", "+"], "*0\r\n", &[], &[], 0);
  check(&mut c, l, &["XLEN", "s"], ":0\r\n", &[], &[], 0);
  // Trimming that empties the stream keeps the key.
  setup(
    &mut c,
    l,
    &[&["XADD", "t", "1-0", "f", "v"], &["XADD", "t", "2-0", "f", "v"], &["XADD", "t", "3-0", "f", "v"]],
  );
  check(
    &mut c,
    l,
    &["XTRIM", "t", "MINID", "~", "9"],
    ":3\r\n",
    &[("t", "xtrim")],
    &["XTRIM t MINID = 18446744073709551615-18446744073709551615"],
    3,
  );
  assert_eq!(c.cmd(&["EXISTS", "t"]), ":1\r\n");
  c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "100"]);
}

#[test]
fn watched_streams() {
  let survives = |setup: &[&[&str]], command: &[&str]| {
    let mut c = Client::new();
    for command in setup {
      c.cmd(command);
    }
    watch_survives(&mut c, "s", command)
  };
  let stream: &[&[&str]] = &[&["XADD", "s", "1-0", "f", "v"], &["XADD", "s", "2-0", "f", "v"]];
  assert!(!survives(&[], &["XADD", "s", "1-0", "f", "v"]));
  assert!(!survives(stream, &["XADD", "s", "3-0", "f", "v"]));
  assert!(survives(stream, &["XADD", "s", "1-0", "f", "v"]));
  assert!(survives(&[], &["XADD", "s", "NOMKSTREAM", "*", "f", "v"]));
  assert!(!survives(stream, &["XDEL", "s", "1-0"]));
  assert!(survives(stream, &["XDEL", "s", "9-0"]));
  assert!(!survives(stream, &["XTRIM", "s", "MAXLEN", "1"]));
  assert!(survives(stream, &["XTRIM", "s", "MAXLEN", "5"]));
  // Redis 7.0's XSETID does not mark the key modified.
  assert!(survives(stream, &["XSETID", "s", "9-0"]));
  assert!(survives(stream, &["XREAD", "STREAMS", "s", "0"]));
}

#[test]
fn streams_as_keys() {
  let mut c = Client::new();
  c.engine.config.enable_debug_command = Permission::Yes;
  c.cmd(&["XADD", "s", "1-0", "f", "v"]);
  assert_eq!(c.cmd(&["TYPE", "s"]), "+stream\r\n");
  assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), "$6\r\nstream\r\n");
  assert_eq!(c.cmd(&["SCAN", "0", "TYPE", "stream"]), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n");
  // Digests recorded from Redis: they cover the entries, in order.
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "s"]), "*1\r\n+d69a6f3ebce4d5081bba8472d51dcf0e548c82ca\r\n");
  c.cmd(&["XADD", "s", "2-0", "g", "w"]);
  c.cmd(&["XDEL", "s", "1-0"]);
  assert_eq!(c.cmd(&["DEBUG", "DIGEST-VALUE", "s"]), "*1\r\n+75b8e56c5fd985266fa42a84a09dee278c1de34b\r\n");
  // COPY and RENAME carry the whole stream, counters included.
  assert_eq!(c.cmd(&["COPY", "s", "copy"]), ":1\r\n");
  c.cmd(&["XADD", "s", "3-0", "h", "x"]);
  assert_eq!(c.cmd(&["RENAME", "copy", "moved"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XINFO", "STREAM", "moved"]),
    "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n\
     $17\r\nlast-generated-id\r\n$3\r\n2-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-0\r\n\
     $13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-0\r\n$6\r\ngroups\r\n:0\r\n\
     $11\r\nfirst-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n\
     $10\r\nlast-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n"
  );
  // Every stream command refuses other types, and other commands refuse streams.
  c.cmd(&["SET", "str", "v"]);
  for args in [
    &["XLEN", "str"][..],
    &["XRANGE", "str", "-", "+"],
    &["XREVRANGE", "str", "+", "-"],
    &["XDEL", "str", "1-0"],
    &["XTRIM", "str", "MAXLEN", "0"],
    &["XSETID", "str", "1-0"],
    &["XREAD", "STREAMS", "str", "0"],
    &["XINFO", "STREAM", "str"],
    &["GET", "s"],
    &["LPUSH", "s", "x"],
    &["SORT", "s"],
  ] {
    assert_eq!(c.cmd(args), WRONGTYPE, "{args:?}");
  }
}

/// XINFO STREAM FULL's groups, built through the type's API in the state Redis reached with
/// XGROUP CREATE s g1 0, XREADGROUP GROUP g1 alice COUNT 2 and GROUP g1 bob COUNT 1, XGROUP
/// CREATE s g0 $, XGROUP CREATE s g2 1-0 ENTRIESREAD 5 and XGROUP CREATECONSUMER s g2 carol
/// (times as Redis recorded them).
#[test]
fn xinfo_stream_full_describes_groups() {
  const TIME: i64 = 1796200146874;
  let mut c = Client::new();
  for id in ["1-0", "2-0", "3-0"] {
    c.cmd(&["XADD", "s", id, "f", "v"]);
  }
  let db = &mut c.engine.keyspace.dbs[0];
  let Some(Value::Stream(stream)) = db.lookup(b"s", 0, false).map(|entry| &mut entry.value) else {
    panic!("s holds a stream");
  };
  let id = |ms| StreamId::new(ms, 0);
  let pending =
    |consumer: &str| PendingEntry { delivery_time: TIME, delivery_count: 1, consumer: consumer.as_bytes().into() };
  let mut g1 = Group::new(id(3), Some(3));
  g1.pel.insert(id(1), pending("alice"));
  g1.pel.insert(id(2), pending("alice"));
  g1.pel.insert(id(3), pending("bob"));
  let mut alice = Consumer::new(TIME);
  alice.pending.extend([id(1), id(2)]);
  let mut bob = Consumer::new(TIME);
  bob.pending.insert(id(3));
  g1.consumers.insert(b"alice"[..].into(), alice);
  g1.consumers.insert(b"bob"[..].into(), bob);
  let mut g2 = Group::new(id(1), Some(5));
  g2.consumers.insert(b"carol"[..].into(), Consumer::new(TIME));
  stream.groups.insert(b"g1"[..].into(), g1);
  stream.groups.insert(b"g0"[..].into(), Group::new(id(3), None));
  stream.groups.insert(b"g2"[..].into(), g2);

  let head = |length: usize, deleted: &str, entries: &str| {
    format!(
      "*18\r\n$6\r\nlength\r\n:{length}\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n\
       $17\r\nlast-generated-id\r\n$3\r\n3-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n{deleted}\r\n\
       $13\r\nentries-added\r\n:3\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n{entries}"
    )
  };
  let g0 = "*14\r\n$4\r\nname\r\n$2\r\ng0\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-0\r\n$12\r\nentries-read\r\n$-1\r\n\
            $3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n$9\r\nconsumers\r\n*0\r\n";
  let g1_head =
    "*14\r\n$4\r\nname\r\n$2\r\ng1\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-0\r\n$12\r\nentries-read\r\n:3\r\n\
                 $3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n:3\r\n$7\r\npending\r\n";
  let consumer = |name: &str, count: usize, pending: &str| {
    format!(
      "*8\r\n$4\r\nname\r\n${}\r\n{name}\r\n$9\r\nseen-time\r\n:{TIME}\r\n$9\r\npel-count\r\n:{count}\r\n\
       $7\r\npending\r\n{pending}",
      name.len()
    )
  };
  let nack = |id: &str, owner: &str| format!("*4\r\n$3\r\n{id}\r\n${}\r\n{owner}\r\n:{TIME}\r\n:1\r\n", owner.len());
  let owned = |id: &str| format!("*3\r\n$3\r\n{id}\r\n:{TIME}\r\n:1\r\n");
  let g2 = |lag: &str| {
    format!(
      "*14\r\n$4\r\nname\r\n$2\r\ng2\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:5\r\n\
       $3\r\nlag\r\n{lag}\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n$9\r\nconsumers\r\n*1\r\n{}",
      consumer("carol", 0, "*0\r\n")
    )
  };
  let expected = head(3, "0-0", &format!("*1\r\n{}", entry("1-0", "f", "v")))
    + "$6\r\ngroups\r\n*3\r\n"
    + g0
    + g1_head
    + &format!("*1\r\n{}$9\r\nconsumers\r\n*2\r\n", nack("1-0", "alice"))
    + &consumer("alice", 2, &format!("*1\r\n{}", owned("1-0")))
    + &consumer("bob", 1, &format!("*1\r\n{}", owned("3-0")))
    + &g2(":-2");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "1"]), expected);
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]).matches("$6\r\ngroups\r\n:3\r\n").count(), 1);

  // A tombstone ahead of g2's last ID leaves its lag unknown.
  c.cmd(&["XDEL", "s", "2-0"]);
  let expected = head(2, "2-0", &format!("*2\r\n{}{}", entry("1-0", "f", "v"), entry("3-0", "f", "v")))
    + "$6\r\ngroups\r\n*3\r\n"
    + g0
    + g1_head
    + &format!("*3\r\n{}{}{}$9\r\nconsumers\r\n*2\r\n", nack("1-0", "alice"), nack("2-0", "alice"), nack("3-0", "bob"))
    + &consumer("alice", 2, &format!("*2\r\n{}{}", owned("1-0"), owned("2-0")))
    + &consumer("bob", 1, &format!("*1\r\n{}", owned("3-0")))
    + &g2("$-1");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s", "FULL"]), expected);
}
