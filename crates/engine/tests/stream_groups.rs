//! Byte-exact tests of the consumer-group commands: XGROUP (every subcommand) and XINFO GROUPS
//! and CONSUMERS.
//!
//! Every expected reply was recorded from redis-server 7.0.15. The signal tests check each
//! command's events, write-stream form and change count as Redis 7.0's `xgroupCommand` reports
//! them.

mod common;
use common::{bulk_strings, check, observed, setup, watch_survives, Client};
use redwing_engine::types::stream::{PendingEntry, StreamId};
use redwing_engine::value::Value;

/// XGROUP's errors in Redis's order (options, key, group, argument count, ID), each
/// subcommand's replies, XGROUP HELP, and XINFO GROUPS and CONSUMERS's errors.
#[test]
fn xgroup_subcommands_and_errors() {
  let mut c = Client::new();
  // Errors in Redis's order: options, then the key, then the group, then the argument count, then the ID.
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "FOO"]),
    "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "ENTRIESREAD"]),
    "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "ENTRIESREAD", "x"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "ENTRIESREAD", "-2"]),
    "-ERR value for ENTRIESREAD must be positive or -1\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "bad"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "bad", "MKSTREAM"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":0\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM", "MKSTREAM", "MKSTREAM", "MKSTREAM"]),
    "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n"
  );
  assert_eq!(c.cmd(&["EXISTS", "s"]), ":0\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "s", "g", "$", "MKSTREAM"]),
    "-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "g", "$"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "c"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "c"]), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "DESTROY", "str", "g"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$"]), "-BUSYGROUP Consumer Group name already exists\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "g", "-"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "CREATE", "s", "h", "1-*"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "s", "nope", "$"]),
    "-NOGROUP No such consumer group 'nope' for key name 's'\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "s", "nope", "bad", "ENTRIESREAD", "1", "ENTRIESREAD", "2"]),
    "-NOGROUP No such consumer group 'nope' for key name 's'\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "s", "g", "bad", "ENTRIESREAD", "1", "ENTRIESREAD", "2"]),
    "-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "s", "g", "bad"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "g", "-"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "g", "+", "ENTRIESREAD", "5"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$41\r\n18446744073709551615-18446744073709551615\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "CREATECONSUMER", "s", "nope", "c"]),
    "-NOGROUP No such consumer group 'nope' for key name 's'\r\n"
  );
  assert_eq!(
    c.cmd(&["XGROUP", "DELCONSUMER", "s", "nope", "c"]),
    "-NOGROUP No such consumer group 'nope' for key name 's'\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "nope"]), ":0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "c"]), ":1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "c"]), ":0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "c"]), ":0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "c"]), ":0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), ":1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), ":0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "FOO", "s", "g"]), "-ERR unknown subcommand 'FOO'. Try XGROUP HELP.\r\n");
  assert_eq!(c.cmd(&["XGROUP", "HELP"]), "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n");
  assert_eq!(c.cmd(&["XGROUP", "HELP", "x"]), "-ERR wrong number of arguments for 'xgroup|help' command\r\n");
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s"]), "-ERR wrong number of arguments for 'xgroup|destroy' command\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g"]), "-ERR wrong number of arguments for 'xgroup|create' command\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "missing"]), "-ERR no such key\r\n");
  assert_eq!(
    c.cmd(&["XINFO", "GROUPS", "str"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["XINFO", "CONSUMERS", "missing", "g"]), "-ERR no such key\r\n");
  assert_eq!(
    c.cmd(&["XINFO", "CONSUMERS", "s", "nope"]),
    "-NOGROUP No such consumer group 'nope' for key name 's'\r\n"
  );
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s", "x"]), "-ERR wrong number of arguments for 'xinfo|groups' command\r\n");
  assert_eq!(c.cmd(&["XINFO", "CONSUMERS", "s"]), "-ERR wrong number of arguments for 'xinfo|consumers' command\r\n");
  assert_eq!(c.cmd(&["XINFO", "HELP"]), "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n");
}

/// XINFO GROUPS's `entries-read` and `lag`: read counters known and unknown, groups created at
/// `0`, `$` and a middle ID, ENTRIESREAD (and -1), SETID with and without it, and deletions
/// that make the lag unknown.
#[test]
fn xinfo_groups_counters_and_lag() {
  let mut c = Client::new();
  // entries-read and lag: known counters, `$`, ENTRIESREAD, SETID without it, and deletions that leave the lag unknown.
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "-ERR no such key\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "zero", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "dollar", "$"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "mid", "2-0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "told", "2-0", "ENTRIESREAD", "2"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "minus", "0", "ENTRIESREAD", "-1"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*5\r\n*12\r\n$4\r\nname\r\n$6\r\ndollar\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$3\r\nmid\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$5\r\nminus\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:4\r\n*12\r\n$4\r\nname\r\n$4\r\ntold\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:2\r\n*12\r\n$4\r\nname\r\n$4\r\nzero\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:4\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "3-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*5\r\n*12\r\n$4\r\nname\r\n$6\r\ndollar\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$3\r\nmid\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$5\r\nminus\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\ntold\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\nzero\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "1-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*5\r\n*12\r\n$4\r\nname\r\n$6\r\ndollar\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$3\r\nmid\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$5\r\nminus\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\ntold\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\nzero\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "told", "1-0"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XGROUP", "SETID", "mid", "1-0"]),
    "-ERR wrong number of arguments for 'xgroup|setid' command\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "mid", "4-0", "ENTRIESREAD", "4"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "zero", "5-0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*5\r\n*12\r\n$4\r\nname\r\n$6\r\ndollar\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$3\r\nmid\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$5\r\nminus\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\ntold\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\nzero\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "e", "g", "$", "MKSTREAM", "ENTRIESREAD", "3"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "e"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "e", "h", "7-7"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "e"]), "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$1\r\nh\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n7-7\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n");
  assert_eq!(c.cmd(&["XINFO", "CONSUMERS", "s", "zero"]), "*0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "zero", "bob"]), ":1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "zero", "alice"]), ":1\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*5\r\n*12\r\n$4\r\nname\r\n$6\r\ndollar\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$3\r\nmid\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$5\r\nminus\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\ntold\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$4\r\nzero\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n3-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-0\r\n$6\r\ngroups\r\n:5\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
}

/// XINFO CONSUMERS: each consumer's name, pending count and idle time since it was last seen,
/// by name; a last-seen time in the future shows as 0. The times are set through the type's
/// API, so the idle times are exact.
#[test]
fn xinfo_consumers_pending_and_idle() {
  let mut c = Client::new();
  c.cmd(&["XADD", "s", "1-0", "f", "v"]);
  c.cmd(&["XADD", "s", "2-0", "f", "v"]);
  c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "bob"]), ":1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "alice"]), ":1\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "carol"]), ":1\r\n");
  let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis() as i64;
  let db = &mut c.engine.keyspace.dbs[0];
  let Some(Value::Stream(stream)) = db.lookup(b"s", 0, false).map(|entry| &mut entry.value) else {
    panic!("s holds a stream");
  };
  let Some(group) = stream.groups.get_mut(&b"g"[..]) else { panic!("g exists") };
  for (name, seen) in [("alice", now - 1_000_000_000), ("bob", now - 2_000_000_000), ("carol", now + 1_000_000_000)] {
    let Some(consumer) = group.consumers.get_mut(name.as_bytes()) else { panic!("{name} exists") };
    consumer.seen_time = seen;
  }
  for ms in [1, 2] {
    let id = StreamId::new(ms, 0);
    group.pel.insert(id, PendingEntry { delivery_time: now, delivery_count: 1, consumer: b"alice"[..].into() });
    if let Some(alice) = group.consumers.get_mut(&b"alice"[..]) {
      alice.pending.insert(id);
    }
  }
  let reply = c.cmd(&["XINFO", "CONSUMERS", "s", "g"]);
  let idle = |reply: &str, name: &str| -> i64 {
    let after = reply.split(&format!("${}\r\n{name}\r\n", name.len())).nth(1).unwrap_or_default();
    after.split("\r\n").nth(5).and_then(|n| n.strip_prefix(':')).and_then(|n| n.parse().ok()).unwrap_or(-1)
  };
  let (alice, bob) = (idle(&reply, "alice"), idle(&reply, "bob"));
  assert!((1_000_000_000..1_000_010_000).contains(&alice), "{reply}");
  assert!((2_000_000_000..2_000_010_000).contains(&bob), "{reply}");
  assert_eq!(
    reply,
    format!(
      "*3\r\n*6\r\n$4\r\nname\r\n$5\r\nalice\r\n$7\r\npending\r\n:2\r\n$4\r\nidle\r\n:{alice}\r\n\
       *6\r\n$4\r\nname\r\n$3\r\nbob\r\n$7\r\npending\r\n:0\r\n$4\r\nidle\r\n:{bob}\r\n\
       *6\r\n$4\r\nname\r\n$5\r\ncarol\r\n$7\r\npending\r\n:0\r\n$4\r\nidle\r\n:0\r\n"
    )
  );
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]).split("\r\n").nth(11), Some(":2"));
  // Deleting a consumer drops the entries pending for it from the group.
  assert_eq!(c.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "alice"]), ":2\r\n");
  assert_eq!(
    c.cmd(&["XINFO", "GROUPS", "s"]),
    "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:2\r\n"
  );
}

/// What each XGROUP subcommand reports: its event and one change when it changed something,
/// nothing otherwise; the write stream gets the command as sent; only the stream MKSTREAM
/// creates is marked modified.
#[test]
fn signals_of_xgroup() {
  let (mut c, l) = observed("KEA");
  check(
    &mut c,
    l,
    &["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"],
    "+OK\r\n",
    &[("s", "xgroup-create")],
    &["XGROUP CREATE s g $ MKSTREAM"],
    1,
  );
  check(
    &mut c,
    l,
    &["XGROUP", "CREATE", "s", "g", "$"],
    "-BUSYGROUP Consumer Group name already exists\r\n",
    &[],
    &[],
    0,
  );
  check(
    &mut c,
    l,
    &["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "0"],
    "+OK\r\n",
    &[("s", "xgroup-setid")],
    &["XGROUP SETID s g 0 ENTRIESREAD 0"],
    1,
  );
  check(
    &mut c,
    l,
    &["XGROUP", "CREATECONSUMER", "s", "g", "c"],
    ":1\r\n",
    &[("s", "xgroup-createconsumer")],
    &["XGROUP CREATECONSUMER s g c"],
    1,
  );
  check(&mut c, l, &["XGROUP", "CREATECONSUMER", "s", "g", "c"], ":0\r\n", &[], &[], 0);
  check(
    &mut c,
    l,
    &["XGROUP", "DELCONSUMER", "s", "g", "c"],
    ":0\r\n",
    &[("s", "xgroup-delconsumer")],
    &["XGROUP DELCONSUMER s g c"],
    1,
  );
  check(&mut c, l, &["XGROUP", "DELCONSUMER", "s", "g", "c"], ":0\r\n", &[], &[], 0);
  check(&mut c, l, &["XGROUP", "DESTROY", "s", "g"], ":1\r\n", &[("s", "xgroup-destroy")], &["XGROUP DESTROY s g"], 1);
  check(&mut c, l, &["XGROUP", "DESTROY", "s", "g"], ":0\r\n", &[], &[], 0);
  setup(&mut c, l, &[&["DEL", "s"]]);
  assert!(!watch_survives(&mut c, "s", &["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]));
  for command in [
    &["XGROUP", "CREATE", "s", "h", "$"][..],
    &["XGROUP", "SETID", "s", "h", "0"],
    &["XGROUP", "CREATECONSUMER", "s", "h", "c"],
    &["XGROUP", "DELCONSUMER", "s", "h", "c"],
    &["XGROUP", "DESTROY", "s", "h"],
  ] {
    assert!(watch_survives(&mut c, "s", command), "{command:?}");
  }
}

/// XREADGROUP's errors in Redis's order, new entries and history reads, deleted pending
/// entries, XACK, entries taken over after SETID, NOACK, several streams, and BLOCK inside
/// MULTI.
#[test]
fn xreadgroup_and_xack() {
  let mut c = Client::new();
  // XREADGROUP's errors in Redis's order.
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"]),
    "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "COUNT", "1", "STREAMS", "s", ">"]),
    "-ERR wrong number of arguments for 'xreadgroup' command\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"]),
    "-ERR timeout is negative\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "t", ">"]),
    "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "c", "NOACK", "COUNT", "1"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"]),
    "-ERR wrong number of arguments for 'xreadgroup' command\r\n"
  );
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "a", "1"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "b", "2"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "c", "3"]), "$3\r\n3-0\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"]),
    "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n"
  );
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "missing", ">", ">"]),
    "-NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"]), "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "1-*"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  // Reading new entries, then the consumer's history.
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"]), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]), "*-1\r\n");
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", "1-0"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0"]), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n3-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n");
  assert_eq!(c.cmd(&["XDEL", "s", "2-0"]), ":1\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*-1\r\n"
  );
  assert_eq!(c.cmd(&["XACK", "s", "g", "1-0", "2-0", "9-0"]), ":2\r\n");
  assert_eq!(c.cmd(&["XACK", "s", "g", "1-0"]), ":0\r\n");
  assert_eq!(c.cmd(&["XACK", "s", "g", "bad"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
  assert_eq!(c.cmd(&["XACK", "s", "nope", "bad"]), ":0\r\n");
  assert_eq!(c.cmd(&["XACK", "missing", "g", "bad"]), ":0\r\n");
  assert_eq!(
    c.cmd(&["XACK", "str", "g", "1-0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["XACK", "s", "g"]), "-ERR wrong number of arguments for 'xack' command\r\n");
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
  // SETID back: entries are taken over by the reader; NOACK leaves nothing pending.
  assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "g", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"]), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"]), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "d", "4"]), "$3\r\n4-0\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "dave", "NOACK", "STREAMS", "s", ">"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "dave", "STREAMS", "s", "0"]), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n");
  assert_eq!(c.cmd(&["XINFO", "STREAM", "s"]), "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n2-0\r\n$13\r\nentries-added\r\n:4\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
  // Several streams, one with nothing new.
  assert_eq!(c.cmd(&["XADD", "t", "5-0", "e", "5"]), "$3\r\n5-0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "t", "g", "$"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "u", "g", "0", "MKSTREAM"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XADD", "u", "6-0", "f", "6"]), "$3\r\n6-0\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "erin", "STREAMS", "t", "u", ">", ">"]),
    "*1\r\n*2\r\n$1\r\nu\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\n6\r\n"
  );
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "erin", "STREAMS", "t", "u", ">", "0"]),
    "*1\r\n*2\r\n$1\r\nu\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\n6\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "erin", "STREAMS", "t", "u", ">", ">"]), "*-1\r\n");
  assert_eq!(c.cmd(&["MULTI"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "erin", "BLOCK", "0", "STREAMS", "t", ">"]), "+QUEUED\r\n");
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n*-1\r\n");
}

/// Blocked XREADGROUP: woken by XADD (each waiter in turn, the group's last ID at that moment
/// deciding, COUNT respected), failing with NOGROUP when the group is destroyed and with
/// UNBLOCKED when the stream is deleted, overwritten or flushed; a blocked XREAD keeps waiting.
#[test]
fn blocked_xreadgroup() {
  let mut c = Client::new();
  let b = c.other();
  let d = c.other();
  let served_one = |id: &str| format!("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n{id}\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  let block = ["XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", ">"];
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]), "+OK\r\n");
  assert_eq!(c.send_as(b, &block), "");
  assert_eq!(c.send_as(d, &["XREADGROUP", "GROUP", "g", "carol", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", ">"]), "");
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.take_outbox(), [(b, served_one("1-0"))]);
  c.cmd(&["MULTI"]);
  c.cmd(&["XADD", "s", "2-0", "f", "v"]);
  c.cmd(&["XADD", "s", "3-0", "f", "v"]);
  assert_eq!(c.cmd(&["EXEC"]), "*2\r\n$3\r\n2-0\r\n$3\r\n3-0\r\n");
  assert_eq!(c.take_outbox(), [(d, served_one("2-0"))]);
  assert_eq!(
    c.cmd(&["XINFO", "GROUPS", "s"]),
    "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:1\r\n"
  );
  assert_eq!(c.send_as(b, &block), served_one("3-0"));
  assert_eq!(c.send_as(b, &block), "");
  assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), ":1\r\n");
  assert_eq!(
    c.take_outbox(),
    [(b, "-NOGROUP the consumer group this client was blocked on no longer exists\r\n".to_string())]
  );
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$"]), "+OK\r\n");
  assert_eq!(c.send_as(b, &block), "");
  assert_eq!(c.send_as(d, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
  assert_eq!(c.cmd(&["DEL", "s"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(b, "-UNBLOCKED the stream key no longer exists\r\n".to_string())]);
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.take_outbox(), [(d, served_one("4-0"))]);
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$"]), "+OK\r\n");
  assert_eq!(c.send_as(b, &block), "");
  assert_eq!(c.cmd(&["SET", "s", "x"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), [(b, "-UNBLOCKED the stream key no longer exists\r\n".to_string())]);
  c.cmd(&["DEL", "s"]);
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]), "+OK\r\n");
  assert_eq!(c.send_as(b, &block), "");
  assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
  assert_eq!(c.take_outbox(), [(b, "-UNBLOCKED the stream key no longer exists\r\n".to_string())]);
}

/// What XREADGROUP and XACK report: a new consumer's event, one change per stream served, and
/// the write stream as Redis rewrites it, in a MULTI/EXEC when there are several (an XCLAIM per entry made pending; with NOACK the new
/// consumer and the group's position); a history read counts a change but writes nothing.
#[test]
fn signals_of_xreadgroup_and_xack() {
  let (mut c, l) = observed("KEA");
  setup(
    &mut c,
    l,
    &[&["XADD", "s", "1-0", "f", "v"], &["XADD", "s", "2-0", "f", "v"], &["XGROUP", "CREATE", "s", "g", "0"]],
  );
  let before = c.engine.keyspace.dirty;
  c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"]);
  assert_eq!(c.engine.keyspace.dirty - before, 2);
  assert_eq!(c.events(l), common::events(&[("s", "xgroup-createconsumer")]));
  let writes = c.writes();
  assert_eq!(writes.len(), 4, "{writes:?}");
  assert_eq!((writes[0].as_str(), writes[3].as_str()), ("0: MULTI", "0: EXEC"));
  for (line, id) in writes[1..3].iter().zip(["1-0", "2-0"]) {
    let words: Vec<&str> = line.split(' ').collect();
    assert_eq!(words[..8], ["0:", "XCLAIM", "s", "g", "alice", "0", id, "TIME"], "{line}");
    assert_eq!(words[9..], ["RETRYCOUNT", "1", "FORCE", "JUSTID", "LASTID", id], "{line}");
  }
  check(&mut c, l, &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"], "*-1\r\n", &[], &[], 0);
  let before = c.engine.keyspace.dirty;
  c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]);
  assert_eq!(c.engine.keyspace.dirty - before, 1);
  assert!(c.writes().is_empty());
  setup(&mut c, l, &[&["XADD", "s", "3-0", "f", "v"]]);
  check(
    &mut c,
    l,
    &["XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">"],
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
    &[("s", "xgroup-createconsumer")],
    &["MULTI", "XGROUP CREATECONSUMER s g bob", "XGROUP SETID s g 3-0 ENTRIESREAD 3", "EXEC"],
    2,
  );
  check(&mut c, l, &["XACK", "s", "g", "1-0", "2-0", "3-0"], ":2\r\n", &[], &["XACK s g 1-0 2-0 3-0"], 2);
  check(&mut c, l, &["XACK", "s", "g", "1-0"], ":0\r\n", &[], &[], 0);
  assert!(watch_survives(&mut c, "s", &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]));
}

/// The write stream of a blocked XREADGROUP woken by XADD, as recorded from redis-server
/// 7.0.15's AOF: after the XADD (or its transaction), each entry made pending as an XCLAIM, or
/// with NOACK the group's position as `XGROUP SETID … ENTRIESREAD` (preceded by `XGROUP
/// CREATECONSUMER` for a consumer created on wake), in a MULTI/EXEC when there are several. The
/// wake counts a change only for a consumer it creates; its event follows the XADD's.
#[test]
#[allow(clippy::type_complexity)] // one tuple per case, read as a table
fn woken_xreadgroup_is_propagated_as_redis_rewrites_it() {
  let (mut c, l) = observed("KEA");
  setup(&mut c, l, &[&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]]);
  let waiter = c.other();
  let xclaim =
    |consumer: &str, id: &str| format!("XCLAIM s g {consumer} 0 {id} TIME <now> RETRYCOUNT 1 FORCE JUSTID LASTID {id}");
  let cases: Vec<(&[&str], &[&[&str]], &[(&str, &str)], Vec<String>, u64)> = vec![
    (
      &["XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"],
      &[&["XADD", "s", "1-0", "f", "v"]],
      &[("s", "xadd"), ("s", "xgroup-createconsumer")],
      vec!["XADD s 1-0 f v".into(), xclaim("alice", "1-0")],
      2,
    ),
    (
      &["XREADGROUP", "GROUP", "g", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"],
      &[&["XADD", "s", "2-0", "f", "v"]],
      &[("s", "xadd"), ("s", "xgroup-createconsumer")],
      ["XADD s 2-0 f v", "MULTI", "XGROUP CREATECONSUMER s g bob", "XGROUP SETID s g 2-0 ENTRIESREAD 2", "EXEC"]
        .map(String::from)
        .to_vec(),
      2,
    ),
    (
      &["XREADGROUP", "GROUP", "g", "bob", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"],
      &[&["XADD", "s", "3-0", "f", "v"]],
      &[("s", "xadd")],
      ["XADD s 3-0 f v", "XGROUP SETID s g 3-0 ENTRIESREAD 3"].map(String::from).to_vec(),
      1,
    ),
    (
      &["XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"],
      &[&["MULTI"], &["XADD", "s", "4-0", "f", "v"], &["XADD", "s", "5-0", "f", "v"], &["EXEC"]],
      &[("s", "xadd"), ("s", "xadd")],
      vec![
        "MULTI".into(),
        "XADD s 4-0 f v".into(),
        "XADD s 5-0 f v".into(),
        "EXEC".into(),
        "MULTI".into(),
        xclaim("alice", "4-0"),
        xclaim("alice", "5-0"),
        "EXEC".into(),
      ],
      2,
    ),
    (
      &["XREADGROUP", "GROUP", "g", "carol", "COUNT", "1", "NOACK", "BLOCK", "0", "STREAMS", "s", ">"],
      &[&["MULTI"], &["XADD", "s", "6-0", "f", "v"], &["XADD", "s", "7-0", "f", "v"], &["EXEC"]],
      &[("s", "xadd"), ("s", "xadd"), ("s", "xgroup-createconsumer")],
      [
        "MULTI",
        "XADD s 6-0 f v",
        "XADD s 7-0 f v",
        "EXEC",
        "MULTI",
        "XGROUP CREATECONSUMER s g carol",
        "XGROUP SETID s g 6-0 ENTRIESREAD 6",
        "EXEC",
      ]
      .map(String::from)
      .to_vec(),
      3,
    ),
  ];
  for (command, trigger, sent, wrote, dirty) in cases {
    assert_eq!(c.send_as(waiter, command), "", "{command:?} blocks");
    let before = c.engine.keyspace.dirty;
    let start = now_ms();
    for step in trigger {
      c.cmd(step);
    }
    let end = now_ms();
    let mut woken = Vec::new();
    let mut notified = Vec::new();
    for (slot, text) in c.take_outbox() {
      if slot == l {
        for message in bulk_strings(text.as_bytes()).chunks(4) {
          notified.push(format!("{} {}", message[2], message[3]));
        }
      } else {
        woken.push(slot);
      }
    }
    assert_eq!(woken, [waiter], "{command:?} is served");
    assert_eq!(notified, common::events(sent), "events of {command:?}");
    let lines: Vec<String> = c.writes().iter().map(|line| mask_time(line, start, end)).collect();
    assert_eq!(lines, common::writes(&wrote.iter().map(String::as_str).collect::<Vec<_>>()), "writes of {command:?}");
    assert_eq!(c.engine.keyspace.dirty - before, dirty, "changes counted for {command:?}");
  }
}

/// `line` with the value after `TIME`, checked to lie between `start` and `end`, as `<now>`.
fn mask_time(line: &str, start: i64, end: i64) -> String {
  let mut words: Vec<String> = line.split(' ').map(String::from).collect();
  if let Some(at) = words.iter().position(|word| word == "TIME") {
    let time: i64 = words[at + 1].parse().expect("a time in ms");
    assert!((start..=end).contains(&time), "{line}: TIME within [{start}, {end}]");
    words[at + 1] = "<now>".into();
  }
  words.join(" ")
}

/// The wall clock in milliseconds since the epoch.
fn now_ms() -> i64 {
  std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock after 1970").as_millis() as i64
}

/// XPENDING's errors in Redis's order, the summary with and without pending entries, and the
/// extended form's empty answers (count 0 or negative, reversed range, unknown or idle
/// consumer, IDLE filter).
#[test]
fn xpending_errors_and_summary() {
  let mut c = Client::new();
  // XPENDING's errors in Redis's order.
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "1", "c", "x", "y", "z"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "IDLE", "x", "-", "+"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "IDLE", "10", "-", "+"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g", "IDLE", "10", "-", "+", "x"]),
    "-ERR value is not an integer or out of range\r\n"
  );
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "bad", "+", "x"]), "-ERR value is not an integer or out of range\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g", "bad", "+", "1"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g", "-", "bad", "1"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g", "(18446744073709551615-18446744073709551615", "+", "1"]),
    "-ERR invalid start ID for the interval\r\n"
  );
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "(0-0", "1"]), "-ERR invalid end ID for the interval\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g"]), "-NOGROUP No such key 's' or consumer group 'g'\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "1"]), "-NOGROUP No such key 's' or consumer group 'g'\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "str", "g"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["XPENDING", "str", "g", "-", "+", "1"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "f", "v"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "f", "v"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "f", "v"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "f", "v"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g"]), "-NOGROUP No such key 's' or consumer group 'g'\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g"]), "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "10"]), "*0\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "idle"]), ":1\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"]), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
  assert_eq!(
    c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]),
    "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
  );
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "0"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "-5"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "+", "-", "5"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "10", "nobody"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "-", "+", "10", "idle"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10"]), "*0\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10", "bob"]), "*0\r\n");
  assert_eq!(c.cmd(&["XACK", "s", "g", "1-0", "2-0", "3-0", "4-0"]), ":4\r\n");
  assert_eq!(c.cmd(&["XPENDING", "s", "g"]), "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
}

/// XPENDING's extended form with delivery times set through the type's API: exact idle
/// times, IDLE keeping the entries idle long enough (not counted against COUNT when left
/// out), exclusive ends, one consumer's entries, and a delivery in the future shown as 0.
#[test]
fn xpending_extended_idle_times() {
  let mut c = Client::new();
  for id in ["1-0", "2-0", "3-0", "4-0"] {
    c.cmd(&["XADD", "s", id, "f", "v"]);
  }
  c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
  c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "COUNT", "1", "STREAMS", "s", ">"]);
  c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"]);
  c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]);
  let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_millis() as i64;
  let db = &mut c.engine.keyspace.dbs[0];
  let Some(Value::Stream(stream)) = db.lookup(b"s", 0, false).map(|entry| &mut entry.value) else {
    panic!("s holds a stream");
  };
  let Some(group) = stream.groups.get_mut(&b"g"[..]) else { panic!("g exists") };
  let ages = [(1, 4_000_000_000), (2, 3_000_000_000), (3, -1_000_000_000), (4, 2_000_000_000)];
  for (ms, age) in ages {
    if let Some(pending) = group.pel.get_mut(&StreamId::new(ms, 0)) {
      pending.delivery_time = now - age;
      pending.delivery_count = ms;
    }
  }
  let row = |reply: &str, at: usize| -> (String, String, i64, String) {
    let lines: Vec<&str> = reply.split("\r\n").collect();
    let base = 1 + at * 7;
    (lines[base + 2].into(), lines[base + 4].into(), lines[base + 5][1..].parse().unwrap_or(-1), lines[base + 6].into())
  };
  let reply = c.cmd(&["XPENDING", "s", "g", "-", "+", "10"]);
  assert!(reply.starts_with("*4\r\n"), "{reply}");
  for (at, (id, owner, age, count)) in [
    ("1-0", "bob", 4_000_000_000, ":1"),
    ("2-0", "alice", 3_000_000_000, ":2"),
    ("3-0", "alice", 0, ":3"),
    ("4-0", "bob", 2_000_000_000, ":4"),
  ]
  .into_iter()
  .enumerate()
  {
    let (got_id, got_owner, idle, got_count) = row(&reply, at);
    assert_eq!((got_id.as_str(), got_owner.as_str(), got_count.as_str()), (id, owner, count), "{reply}");
    assert!((age..age + 10_000).contains(&idle), "{reply}");
  }
  let reply = c.cmd(&["XPENDING", "s", "g", "IDLE", "2500000000", "-", "+", "1"]);
  assert!(reply.starts_with("*1\r\n*4\r\n$3\r\n1-0\r\n$3\r\nbob\r\n"), "{reply}");
  let reply = c.cmd(&["XPENDING", "s", "g", "IDLE", "2500000000", "(1-0", "+", "10"]);
  assert!(reply.starts_with("*1\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n"), "{reply}");
  let reply = c.cmd(&["XPENDING", "s", "g", "IDLE", "1", "-", "(4-0", "10", "alice"]);
  assert!(reply.starts_with("*1\r\n*4\r\n$3\r\n2-0\r\n$5\r\nalice\r\n"), "{reply}");
  let reply = c.cmd(&["XPENDING", "s", "g", "3", "3", "10"]);
  assert_eq!(reply, "*1\r\n*4\r\n$3\r\n3-0\r\n$5\r\nalice\r\n:0\r\n:3\r\n");
}

/// XCLAIM and XAUTOCLAIM: errors in Redis's order, claims between consumers (min idle time,
/// JUSTID, FORCE, RETRYCOUNT, LASTID), pending entries whose stream entry was deleted, and
/// XAUTOCLAIM's cursor and COUNT.
#[test]
fn xclaim_and_xautoclaim() {
  let mut c = Client::new();
  // XCLAIM's errors in Redis's order.
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "x", "1-0"]), "-NOGROUP No such key 's' or consumer group 'g'\r\n");
  assert_eq!(c.cmd(&["SET", "str", "x"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["XCLAIM", "str", "g", "c", "x", "1-0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(c.cmd(&["XADD", "s", "1-0", "a", "1"]), "$3\r\n1-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "2-0", "b", "2"]), "$3\r\n2-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "3-0", "c", "3"]), "$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XADD", "s", "4-0", "d", "4"]), "$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "x", "1-0"]), "-NOGROUP No such key 's' or consumer group 'g'\r\n");
  assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]), "+OK\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "x", "1-0"]), "-ERR Invalid min-idle-time argument for XCLAIM\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "FOO"]), "-ERR Unrecognized XCLAIM option 'FOO'\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "0", "bad"]), "-ERR Unrecognized XCLAIM option 'bad'\r\n");
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "IDLE", "x"]),
    "-ERR Invalid IDLE option argument for XCLAIM\r\n"
  );
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "TIME", "x"]),
    "-ERR Invalid TIME option argument for XCLAIM\r\n"
  );
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "RETRYCOUNT", "x"]),
    "-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n"
  );
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "LASTID", "x"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "IDLE"]), "-ERR Unrecognized XCLAIM option 'IDLE'\r\n");
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0", "FORCE", "2-0"]),
    "-ERR Unrecognized XCLAIM option '2-0'\r\n"
  );
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c", "0", "1-0"]), "*0\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "c"]), "-ERR wrong number of arguments for 'xclaim' command\r\n");
  // Claiming from each other.
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"]), "*1\r\n*2\r\n$1\r\ns\r\n*3\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "bob", "1000000", "1-0", "2-0"]), "*0\r\n");
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "bob", "0", "1-0", "2", "9-0"]),
    "*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "bob", "0", "3-0", "JUSTID"]), "*1\r\n$3\r\n3-0\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "bob", "0", "4-0"]), "*0\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "bob", "0", "4-0", "FORCE", "JUSTID"]), "*1\r\n$3\r\n4-0\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "carol", "0", "4-0", "RETRYCOUNT", "7", "JUSTID"]), "*1\r\n$3\r\n4-0\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$3\r\nbob\r\n$1\r\n3\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n"
  );
  assert_eq!(c.cmd(&["XDEL", "s", "2-0"]), ":1\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "carol", "0", "2-0", "1-0", "JUSTID"]), "*1\r\n$3\r\n1-0\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:3\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "carol", "0", "9-0", "LASTID", "8-0"]), "*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n8-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n");
  assert_eq!(c.cmd(&["XCLAIM", "s", "g", "carol", "0", "9-0", "LASTID", "1-0"]), "*0\r\n");
  assert_eq!(c.cmd(&["XINFO", "GROUPS", "s"]), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n8-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:1\r\n");
  // XAUTOCLAIM.
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "c", "x", "0"]), "-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n");
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "x"]),
    "-ERR Invalid stream ID specified as stream command argument\r\n"
  );
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "(18446744073709551615-18446744073709551615"]),
    "-ERR invalid start ID for the interval\r\n"
  );
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"]), "-ERR COUNT must be > 0\r\n");
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "x"]), "-ERR COUNT must be > 0\r\n");
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "922337203685477581"]),
    "-ERR COUNT must be > 0\r\n"
  );
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "FOO"]), "-ERR syntax error\r\n");
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "missing", "g", "c", "0", "0"]),
    "-NOGROUP No such key 'missing' or consumer group 'g'\r\n"
  );
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "str", "g", "c", "0", "0"]),
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
  );
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "nope", "c", "0", "0"]),
    "-NOGROUP No such key 's' or consumer group 'nope'\r\n"
  );
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "922337203685477580", "JUSTID"]),
    "-ERR COUNT must be > 0\r\n"
  );
  assert_eq!(c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"]), "*-1\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:3\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "dave", "1000000", "0"]), "*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n");
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1"]),
    "*3\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*0\r\n"
  );
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "(1-0", "COUNT", "1", "JUSTID"]),
    "*3\r\n$3\r\n4-0\r\n*1\r\n$3\r\n3-0\r\n*0\r\n"
  );
  assert_eq!(c.cmd(&["XDEL", "s", "4-0"]), ":1\r\n");
  assert_eq!(
    c.cmd(&["XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "1"]),
    "*3\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*0\r\n"
  );
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "erin", "0", "0", "COUNT", "5"]), "*3\r\n$3\r\n0-0\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*1\r\n$3\r\n4-0\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$4\r\nerin\r\n$1\r\n2\r\n"
  );
  assert_eq!(c.cmd(&["XAUTOCLAIM", "s", "g", "erin", "0", "-"]), "*3\r\n$3\r\n0-0\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*0\r\n");
  assert_eq!(
    c.cmd(&["XPENDING", "s", "g"]),
    "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$4\r\nerin\r\n$1\r\n2\r\n"
  );
}

/// What XCLAIM and XAUTOCLAIM report: the new consumer's event and one change per entry
/// claimed or dropped, written as the idempotent XCLAIM (with the ID as the client wrote it
/// for XCLAIM); an XCLAIM that only moved the group forward as XGROUP SETID.
#[test]
fn signals_of_xclaim_and_xautoclaim() {
  let (mut c, l) = observed("KEA");
  setup(
    &mut c,
    l,
    &[
      &["XADD", "s", "1-0", "f", "v"],
      &["XADD", "s", "2-0", "f", "v"],
      &["XGROUP", "CREATE", "s", "g", "0"],
      &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"],
    ],
  );
  check(
    &mut c,
    l,
    &["XCLAIM", "s", "g", "bob", "0", "1", "TIME", "1000", "RETRYCOUNT", "5", "JUSTID"],
    "*1\r\n$3\r\n1-0\r\n",
    &[("s", "xgroup-createconsumer")],
    &["XCLAIM s g bob 0 1 TIME 1000 RETRYCOUNT 5 FORCE JUSTID LASTID 2-0"],
    2,
  );
  check(
    &mut c,
    l,
    &["XCLAIM", "s", "g", "bob", "0", "9-0", "LASTID", "5-0"],
    "*0\r\n",
    &[],
    &["XGROUP SETID s g 5-0 ENTRIESREAD 2"],
    1,
  );
  check(&mut c, l, &["XCLAIM", "s", "g", "bob", "0", "9-0", "LASTID", "1-0"], "*0\r\n", &[], &[], 0);
  setup(&mut c, l, &[&["XDEL", "s", "1-0"]]);
  check(
    &mut c,
    l,
    &["XAUTOCLAIM", "s", "g", "bob", "1000000", "0", "JUSTID"],
    "*3\r\n$3\r\n0-0\r\n*0\r\n*1\r\n$3\r\n1-0\r\n",
    &[],
    &["XCLAIM s g bob 0 1-0 TIME 1000 RETRYCOUNT 5 FORCE JUSTID LASTID 5-0"],
    1,
  );
  assert!(watch_survives(&mut c, "s", &["XAUTOCLAIM", "s", "g", "carol", "0", "0"]));
  // FORCE on an entry nobody had, without JUSTID, counts two deliveries (as Redis does).
  c.cmd(&["XADD", "s", "10-0", "f", "v"]);
  assert_eq!(
    c.cmd(&["XCLAIM", "s", "g", "frank", "0", "10-0", "FORCE"]),
    "*1\r\n*2\r\n$4\r\n10-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
  );
  assert!(c.cmd(&["XPENDING", "s", "g", "10-0", "10-0", "1"]).ends_with(":2\r\n"));
}
