//! Client-side caching: CLIENT TRACKING in default, OPTIN/OPTOUT, BCAST and NOLOOP modes,
//! RESP3 pushes and RESP2 redirection, flushes, the table limit, and the CLIENT subcommands.

mod common;
use common::Client;

fn id_of(c: &mut Client, slot: u32) -> String {
  let reply = c.send_as(slot, &["CLIENT", "ID"]);
  reply.trim_start_matches(':').trim_end().to_string()
}

#[test]
fn a_read_key_is_invalidated_once_when_another_client_changes_it() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["HELLO", "3"]);
  assert_eq!(c.cmd(&["CLIENT", "TRACKING", "on"]), "+OK\r\n");
  c.cmd(&["GET", "k"]);
  c.cmd(&["MGET", "a", "b"]);
  c.send_as(writer, &["SET", "k", "1"]);
  assert_eq!(c.take_outbox(), [(c.slot, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n".to_string())]);
  // Not read again since: no second invalidation.
  c.send_as(writer, &["SET", "k", "2"]);
  assert!(c.take_outbox().is_empty());
  // A write that changed nothing invalidates nothing.
  c.send_as(writer, &["SADD", "s", "x"]);
  c.cmd(&["SISMEMBER", "s", "x"]);
  c.send_as(writer, &["SADD", "s", "x"]);
  assert!(c.take_outbox().is_empty());
  assert!(c.cmd(&["INFO", "stats"]).contains("tracking_total_keys:3\r\n"));
}

#[test]
fn own_changes_are_invalidated_after_the_reply_unless_noloop() {
  let mut c = Client::new();
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["CLIENT", "TRACKING", "on"]);
  c.cmd(&["GET", "k"]);
  assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n");
  c.cmd(&["CLIENT", "TRACKING", "on", "NOLOOP"]);
  c.cmd(&["GET", "k"]);
  assert_eq!(c.cmd(&["SET", "k", "w"]), "+OK\r\n");
}

#[test]
fn resp2_clients_redirect_to_a_subscriber_of_the_invalidate_channel() {
  let mut c = Client::new();
  let (sub, writer) = (c.other(), c.other());
  let sub_id = id_of(&mut c, sub);
  c.send_as(sub, &["SUBSCRIBE", "__redis__:invalidate"]);
  assert_eq!(c.cmd(&["CLIENT", "TRACKING", "on", "REDIRECT", &sub_id]), "+OK\r\n");
  assert_eq!(c.cmd(&["CLIENT", "GETREDIR"]), format!(":{sub_id}\r\n"));
  c.cmd(&["GET", "k"]);
  c.take_outbox();
  c.send_as(writer, &["SET", "k", "1"]);
  assert_eq!(
    c.take_outbox(),
    [(sub, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n".to_string())]
  );
  // FLUSHALL invalidates everything, with the tracking client's null.
  c.send_as(writer, &["FLUSHALL"]);
  assert_eq!(c.take_outbox(), [(sub, "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n".to_string())]);
  // The target leaves: the redirect is broken.
  c.engine.close(sub);
  c.cmd(&["GET", "k"]);
  c.send_as(writer, &["SET", "k", "2"]);
  let info = c.cmd(&["CLIENT", "TRACKINGINFO"]);
  assert!(info.contains("broken_redirect"), "{info}");
  assert!(c.cmd(&["CLIENT", "LIST"]).contains("flags=tR"));
}

#[test]
fn optin_and_optout_choose_per_command() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["CLIENT", "TRACKING", "on", "OPTIN"]);
  c.cmd(&["GET", "a"]);
  assert_eq!(c.cmd(&["CLIENT", "CACHING", "yes"]), "+OK\r\n");
  c.cmd(&["GET", "b"]);
  c.cmd(&["GET", "c"]);
  c.send_as(writer, &["MSET", "a", "1", "b", "1", "c", "1"]);
  assert_eq!(c.take_outbox(), [(c.slot, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nb\r\n".to_string())]);
  assert_eq!(
    c.cmd(&["CLIENT", "CACHING", "no"]),
    "-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n"
  );
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "OPTOUT"]),
    "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"
  );
  c.cmd(&["CLIENT", "TRACKING", "off"]);
  c.cmd(&["CLIENT", "TRACKING", "on", "OPTOUT"]);
  c.cmd(&["CLIENT", "CACHING", "no"]);
  c.cmd(&["GET", "a"]);
  c.cmd(&["GET", "b"]);
  c.send_as(writer, &["MSET", "a", "2", "b", "2"]);
  assert_eq!(c.take_outbox(), [(c.slot, ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nb\r\n".to_string())]);
}

#[test]
fn bcast_sends_every_changed_key_under_a_prefix() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["HELLO", "3"]);
  assert_eq!(c.cmd(&["CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:", "PREFIX", "b:"]), "+OK\r\n");
  c.send_as(writer, &["MSET", "a:2", "x", "a:1", "x", "c:1", "x"]);
  assert_eq!(c.take_outbox(), [(c.slot, ">2\r\n$10\r\ninvalidate\r\n*2\r\n$3\r\na:1\r\n$3\r\na:2\r\n".to_string())]);
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a:x"]),
    "-ERR Prefix 'a:x' overlaps with an existing prefix 'a:'. Prefixes for a single client must not overlap.\r\n"
  );
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on"]),
    "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n"
  );
  assert!(c.cmd(&["INFO", "stats"]).contains("tracking_total_prefixes:2\r\n"));
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKINGINFO"]),
    "%3\r\n$5\r\nflags\r\n~2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*2\r\n$2\r\na:\r\n$2\r\nb:\r\n"
  );
  c.engine.close(c.slot);
  assert!(c.send_as(writer, &["INFO", "stats"]).contains("tracking_total_prefixes:0\r\n"));
}

#[test]
fn the_table_is_bounded() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["CLIENT", "TRACKING", "on"]);
  for i in 0..20 {
    c.cmd(&["GET", &format!("k{i}")]);
  }
  c.send_as(writer, &["CONFIG", "SET", "tracking-table-max-keys", "5"]);
  c.cmd(&["PING"]);
  let info = c.cmd(&["INFO", "stats"]);
  assert!(info.contains("tracking_total_keys:5\r\n"), "{info}");
}

/// As in Redis, the limit is applied before a command is queued by MULTI: the invalidation
/// comes before QUEUED.
#[test]
fn the_table_limit_applies_before_multi_queues_a_command() {
  let mut c = Client::new();
  let writer = c.other();
  c.cmd(&["HELLO", "3"]);
  c.cmd(&["CLIENT", "TRACKING", "on"]);
  c.cmd(&["MGET", "1{tag}", "2{tag}"]);
  assert_eq!(c.cmd(&["MULTI"]), "+OK\r\n");
  c.send_as(writer, &["CONFIG", "SET", "tracking-table-max-keys", "1"]);
  let reply = c.cmd(&["PING"]);
  assert!(reply.starts_with(">2\r\n$10\r\ninvalidate\r\n*1\r\n"), "{reply}");
  assert!(reply.ends_with("+QUEUED\r\n"), "{reply}");
  assert_eq!(c.cmd(&["EXEC"]), "*1\r\n+PONG\r\n");
}

#[test]
fn tracking_option_errors() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "PREFIX", "a"]),
    "-ERR PREFIX option requires BCAST mode to be enabled\r\n"
  );
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "REDIRECT", "9999"]),
    "-ERR The client ID you want redirect to does not exist\r\n"
  );
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"]),
    "-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n"
  );
  assert_eq!(
    c.cmd(&["CLIENT", "TRACKING", "on", "BCAST", "OPTIN"]),
    "-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n"
  );
  assert_eq!(c.cmd(&["CLIENT", "TRACKING", "maybe"]), "-ERR syntax error\r\n");
  assert_eq!(c.cmd(&["CLIENT", "GETREDIR"]), ":-1\r\n");
  assert_eq!(
    c.cmd(&["CLIENT", "CACHING", "yes"]),
    "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n"
  );
}
