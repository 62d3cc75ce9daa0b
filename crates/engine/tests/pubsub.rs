//! Pub/Sub: subscriptions, confirmations, message delivery to other sessions, subscribed mode
//! over RESP2 and RESP3, PUBSUB introspection, and output buffer limits.

mod common;
use common::Client;

#[test]
fn subscribe_confirms_each_channel_and_counts_patterns_too() {
  let mut c = Client::new();
  assert_eq!(
    c.cmd(&["SUBSCRIBE", "a", "b", "a"]),
    "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n\
     *3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n"
  );
  assert_eq!(c.cmd(&["PSUBSCRIBE", "h*"]), "*3\r\n$10\r\npsubscribe\r\n$2\r\nh*\r\n:3\r\n");
  assert_eq!(c.cmd(&["SSUBSCRIBE", "s"]), "*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
  assert_eq!(
    c.cmd(&["UNSUBSCRIBE", "a", "zz"]),
    "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:2\r\n"
  );
  assert_eq!(c.cmd(&["PUNSUBSCRIBE"]), "*3\r\n$12\r\npunsubscribe\r\n$2\r\nh*\r\n:1\r\n");
  assert_eq!(c.cmd(&["PUNSUBSCRIBE"]), "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n");
  assert_eq!(c.cmd(&["SUNSUBSCRIBE"]), "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
  assert_eq!(c.cmd(&["UNSUBSCRIBE"]), "*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:0\r\n");
  // Out of subscribed mode again.
  assert_eq!(c.cmd(&["GET", "x"]), "$-1\r\n");
}

#[test]
fn messages_reach_channel_then_pattern_subscribers() {
  let mut c = Client::new();
  let (a, b) = (c.other(), c.other());
  c.send_as(a, &["SUBSCRIBE", "news"]);
  c.send_as(b, &["PSUBSCRIBE", "n*", "*s"]);
  assert_eq!(c.cmd(&["PUBLISH", "news", "hi"]), ":3\r\n");
  assert_eq!(c.cmd(&["PUBLISH", "other", "x"]), ":0\r\n");
  assert_eq!(
    c.take_outbox(),
    [
      (a, "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n".to_string()),
      (
        b,
        "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n\
         *4\r\n$8\r\npmessage\r\n$2\r\n*s\r\n$4\r\nnews\r\n$2\r\nhi\r\n"
          .to_string()
      ),
    ]
  );
  // Shard channels are separate from channels and ignore patterns.
  c.send_as(a, &["SSUBSCRIBE", "news"]);
  assert_eq!(c.cmd(&["SPUBLISH", "news", "s"]), ":1\r\n");
  assert_eq!(c.take_outbox(), [(a, "*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$1\r\ns\r\n".to_string())]);
}

#[test]
fn resp2_subscribed_mode_allows_only_the_subscribe_family() {
  let mut c = Client::new();
  c.cmd(&["SUBSCRIBE", "a"]);
  assert_eq!(
    c.cmd(&["GET", "k"]),
    "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
  );
  assert_eq!(
    c.cmd(&["CONFIG", "GET", "x"]),
    "-ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
  );
  assert_eq!(c.cmd(&["PING"]), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  assert_eq!(c.cmd(&["PING", "m"]), "*2\r\n$4\r\npong\r\n$1\r\nm\r\n");
  assert_eq!(c.cmd(&["RESET"]), "+RESET\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "NUMSUB", "a"]), "*2\r\n$1\r\na\r\n:0\r\n");
}

#[test]
fn resp3_pushes_interleave_with_replies() {
  let mut c = Client::new();
  c.cmd(&["HELLO", "3"]);
  assert_eq!(c.cmd(&["SUBSCRIBE", "a"]), ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
  // A RESP3 subscriber may run anything, and gets its own messages in order with replies.
  assert_eq!(c.cmd(&["PUBLISH", "a", "m"]), ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n:1\r\n");
  assert_eq!(c.cmd(&["PING"]), "+PONG\r\n");
  assert_eq!(c.cmd(&["UNSUBSCRIBE"]), ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n");
}

#[test]
fn pubsub_introspection() {
  let mut c = Client::new();
  let (a, b) = (c.other(), c.other());
  c.send_as(a, &["SUBSCRIBE", "x", "y"]);
  c.send_as(b, &["SUBSCRIBE", "x"]);
  c.send_as(b, &["PSUBSCRIBE", "p*", "q*"]);
  c.send_as(a, &["PSUBSCRIBE", "p*"]);
  c.send_as(a, &["SSUBSCRIBE", "s"]);
  assert_eq!(c.cmd(&["PUBSUB", "NUMSUB", "x", "y", "z"]), "*6\r\n$1\r\nx\r\n:2\r\n$1\r\ny\r\n:1\r\n$1\r\nz\r\n:0\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "NUMPAT"]), ":2\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "CHANNELS", "y*"]), "*1\r\n$1\r\ny\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "SHARDCHANNELS"]), "*1\r\n$1\r\ns\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "SHARDNUMSUB", "s"]), "*2\r\n$1\r\ns\r\n:1\r\n");
  assert_eq!(
    c.cmd(&["PUBSUB", "CHANNELS", "a", "b"]),
    "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n"
  );
  // A closed session leaves nothing behind.
  c.engine.close(a);
  assert_eq!(c.cmd(&["PUBSUB", "NUMSUB", "x", "y"]), "*4\r\n$1\r\nx\r\n:1\r\n$1\r\ny\r\n:0\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "NUMPAT"]), ":2\r\n");
  assert_eq!(c.cmd(&["PUBSUB", "SHARDCHANNELS"]), "*0\r\n");
}

#[test]
fn a_subscriber_over_its_output_limit_is_disconnected() {
  let mut c = Client::new();
  let slow = c.other();
  c.send_as(slow, &["SUBSCRIBE", "ch"]);
  c.take_outbox();
  assert_eq!(c.cmd(&["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1000 0 0"]), "+OK\r\n");
  // The host reports the socket full, holding 16 KB (what Redis's static reply buffer holds,
  // outside the limit): output stays in the engine, where the limit applies.
  c.engine.set_congested(slow, 16 * 1024);
  let payload = "x".repeat(300);
  for _ in 0..3 {
    assert_eq!(c.cmd(&["PUBLISH", "ch", &payload]), ":1\r\n");
  }
  assert!(c.engine.clients.kills.is_empty());
  assert_eq!(c.cmd(&["PUBLISH", "ch", &payload]), ":1\r\n");
  assert_eq!(c.engine.clients.kills, [slow]);
  assert!(c.take_outbox().is_empty());
  // Another subscriber with a reading socket is unaffected.
  let fast = c.other();
  c.send_as(fast, &["SUBSCRIBE", "ch"]);
  c.take_outbox();
  assert_eq!(c.cmd(&["PUBLISH", "ch", "m"]), ":2\r\n");
  assert_eq!(c.take_outbox(), [(fast, "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n".to_string())]);
}

#[test]
fn held_output_is_delivered_once_the_socket_drains() {
  let mut c = Client::new();
  let sub = c.other();
  c.send_as(sub, &["SUBSCRIBE", "ch"]);
  c.engine.set_congested(sub, 0);
  c.cmd(&["PUBLISH", "ch", "1"]);
  c.cmd(&["PUBLISH", "ch", "2"]);
  assert!(c.take_outbox().is_empty());
  let list = c.cmd(&["CLIENT", "LIST"]);
  assert!(list.contains("sub=1 psub=0 ssub=0"), "{list}");
  assert!(list.contains("flags=P"), "{list}");
  assert!(list.contains("obl=64 oll=0 omem=0"), "{list}");
  let held = c.engine.take_held(sub);
  assert_eq!(
    String::from_utf8(held).unwrap(),
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\n1\r\n*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\n2\r\n"
  );
  c.cmd(&["PUBLISH", "ch", "3"]);
  assert_eq!(c.take_outbox().len(), 1);
}

#[test]
fn the_embedded_call_session_may_not_subscribe() {
  let mut c = Client::new();
  let embedded = c.engine.open(redwing_engine::Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::Embedded,
    unix: false,
  });
  let out = c.engine.call(embedded, &[b"SUBSCRIBE", b"a"]);
  assert_eq!(out.reply, b"-ERR SUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
  let listener = c.engine.open(redwing_engine::Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::EmbeddedSubscriber,
    unix: false,
  });
  c.engine.call(listener, &[b"HELLO", b"3"]);
  let out = c.engine.call(listener, &[b"SUBSCRIBE", b"a"]);
  assert_eq!(out.reply, b">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
  c.engine.call(embedded, &[b"PUBLISH", b"a", b"hello"]);
  assert_eq!(c.take_outbox(), [(listener, ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$5\r\nhello\r\n".to_string())]);
}

#[test]
fn the_embedded_subscriber_never_blocks_inside_exec() {
  let mut c = Client::new();
  let listener = c.engine.open(redwing_engine::Peer {
    addr: String::new(),
    laddr: String::new(),
    fd: -1,
    origin: redwing_engine::Origin::EmbeddedSubscriber,
    unix: false,
  });
  assert_eq!(c.engine.call(listener, &[b"MULTI"]).reply, b"+OK\r\n");
  assert_eq!(c.engine.call(listener, &[b"BLPOP", b"list", b"0"]).reply, b"+QUEUED\r\n");
  assert_eq!(c.engine.call(listener, &[b"EXEC"]).reply, b"*1\r\n*-1\r\n", "BLPOP answers as timed out");
}

#[test]
fn pushes_are_delivered_with_client_reply_off() {
  let mut c = Client::new();
  c.cmd(&["HELLO", "3"]);
  assert_eq!(c.cmd(&["CLIENT", "REPLY", "OFF"]), "");
  assert_eq!(c.cmd(&["SUBSCRIBE", "ch"]), ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
  // The reply to PUBLISH is dropped, the message to itself is not.
  assert_eq!(c.cmd(&["PUBLISH", "ch", "m"]), ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n");
  assert_eq!(c.cmd(&["GET", "k"]), "");
}
