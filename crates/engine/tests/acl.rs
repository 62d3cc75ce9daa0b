//! ACL: users and rules, authentication, permission checks on commands, keys and channels,
//! the ACL log, and what user changes do to connections.

mod common;

use common::Client;

fn ok(c: &mut Client, args: &[&str]) {
  assert_eq!(c.cmd(args), "+OK\r\n", "{args:?}");
}

#[test]
fn setuser_rules_show_in_list_and_getuser() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["ACL", "LIST"]), "*1\r\n$34\r\nuser default on nopass ~* &* +@all\r\n");
  ok(&mut c, &["ACL", "SETUSER", "foo"]);
  ok(&mut c, &["ACL", "SETUSER", "bar", "on", "nopass", "~a", "+@hash", "-hset", "+select|0", "%R~r*", "&ch"]);
  let list = c.cmd(&["ACL", "LIST"]);
  // Single commands follow the command table's order (Redis's follows its hash table's).
  assert!(list.contains("user bar on nopass ~a %R~r* resetchannels &ch -@all +@hash -hset +select|0\r\n"), "{list}");
  assert!(list.contains("user foo off resetchannels -@all\r\n"), "{list}");
  assert_eq!(c.cmd(&["ACL", "USERS"]), "*3\r\n$3\r\nbar\r\n$7\r\ndefault\r\n$3\r\nfoo\r\n");
  assert_eq!(
    c.cmd(&["ACL", "GETUSER", "foo"]),
    "*12\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$9\r\npasswords\r\n*0\r\n$8\r\ncommands\r\n$5\r\n-@all\r\n\
     $4\r\nkeys\r\n$0\r\n\r\n$8\r\nchannels\r\n$0\r\n\r\n$9\r\nselectors\r\n*0\r\n"
  );
  assert_eq!(c.cmd(&["ACL", "GETUSER", "nobody"]), "$-1\r\n");
  ok(&mut c, &["ACL", "SETUSER", "q", "+@all", "-@keyspace"]);
  assert!(c.cmd(&["ACL", "GETUSER", "q"]).contains("$16\r\n+@all -@keyspace\r\n"));
  // Password hashes.
  ok(&mut c, &["ACL", "SETUSER", "p", ">password"]);
  assert!(c
    .cmd(&["ACL", "LIST"])
    .contains("user p off #5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8 "));
  ok(&mut c, &["ACL", "SETUSER", "p", "<password"]);
  assert!(c.cmd(&["ACL", "LIST"]).contains("user p off resetchannels -@all"));
}

#[test]
fn rule_errors_are_redis_texts() {
  let mut c = Client::new();
  let cases: [(&[&str], &str); 8] = [
    (&["notacmd"], "-ERR Error in ACL SETUSER modifier 'notacmd': Syntax error\r\n"),
    (&["+nocommand"], "-ERR Error in ACL SETUSER modifier '+nocommand': Unknown command or category name in ACL\r\n"),
    (
      &["~*", "~a"],
      "-ERR Error in ACL SETUSER modifier '~a': Adding a pattern after the * pattern (or the 'allkeys' flag) is not \
       valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns\r\n",
    ),
    (&["(~a", "+get"], "-ERR Unmatched parenthesis in acl selector starting at '(~a'.\r\n"),
    (
      &["#abc"],
      "-ERR Error in ACL SETUSER modifier '#abc': The password hash must be exactly 64 characters and contain only \
       lowercase hexadecimal characters\r\n",
    ),
    (
      &["<nopw"],
      "-ERR Error in ACL SETUSER modifier '<nopw': The password you are trying to remove from the user does not \
       exist\r\n",
    ),
    (
      &["+config|get|x"],
      "-ERR Error in ACL SETUSER modifier '+config|get|x': Allowing first-arg of a subcommand is not supported\r\n",
    ),
    (&["%X~a"], "-ERR Error in ACL SETUSER modifier '%X~a': Syntax error\r\n"),
  ];
  for (rules, error) in cases {
    let mut args = vec!["ACL", "SETUSER", "e"];
    args.extend_from_slice(rules);
    assert_eq!(c.cmd(&args), error, "{rules:?}");
  }
  assert_eq!(c.cmd(&["ACL", "USERS"]), "*1\r\n$7\r\ndefault\r\n", "a failed SETUSER creates nobody");
  assert_eq!(c.cmd(&["ACL", "DELUSER", "default"]), "-ERR The 'default' user cannot be removed\r\n");
  assert_eq!(c.cmd(&["ACL", "SETUSER", "a b"]), "-ERR Usernames can't contain spaces or null characters\r\n");
}

#[test]
fn auth_and_permissions_on_commands_keys_and_channels() {
  let mut c = Client::new();
  ok(&mut c, &["ACL", "SETUSER", "alice", "on", ">secret", "~cache:*", "%R~ro:*", "+get", "+set", "+publish", "&news"]);
  let other = c.other();
  assert_eq!(
    c.send_as(other, &["AUTH", "alice", "wrong"]),
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
  );
  assert_eq!(c.send_as(other, &["AUTH", "alice", "secret"]), "+OK\r\n");
  assert_eq!(
    c.send_as(other, &["ACL", "WHOAMI"]),
    "-NOPERM this user has no permissions to run the 'acl|whoami' command\r\n"
  );
  assert_eq!(c.send_as(other, &["SET", "cache:1", "v"]), "+OK\r\n");
  assert_eq!(c.send_as(other, &["GET", "cache:1"]), "$1\r\nv\r\n");
  assert_eq!(c.send_as(other, &["GET", "ro:1"]), "$-1\r\n");
  let key_error = "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n";
  assert_eq!(c.send_as(other, &["SET", "ro:1", "v"]), key_error, "read-only pattern");
  assert_eq!(c.send_as(other, &["GET", "other"]), key_error);
  assert_eq!(
    c.send_as(other, &["DEL", "cache:1"]),
    "-NOPERM this user has no permissions to run the 'del' command\r\n"
  );
  assert_eq!(c.send_as(other, &["PUBLISH", "news", "hi"]), ":0\r\n");
  assert_eq!(
    c.send_as(other, &["PUBLISH", "sports", "hi"]),
    "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n"
  );
  assert!(c.cmd(&["CLIENT", "LIST"]).contains(" user=alice "));
  // The log, newest first; the same refusal again counts in the same entry.
  c.send_as(other, &["GET", "other"]);
  let log = c.cmd(&["ACL", "LOG", "1"]);
  assert!(log.starts_with("*1\r\n*14\r\n$5\r\ncount\r\n:2\r\n$6\r\nreason\r\n$3\r\nkey\r\n$7\r\ncontext\r\n$8\r\ntoplevel\r\n$6\r\nobject\r\n$5\r\nother\r\n$8\r\nusername\r\n$5\r\nalice\r\n"), "{log}");
  assert!(c.cmd(&["ACL", "LOG"]).contains("$4\r\nauth\r\n"));
  ok(&mut c, &["ACL", "LOG", "RESET"]);
  assert_eq!(c.cmd(&["ACL", "LOG"]), "*0\r\n");
  // DRYRUN.
  assert_eq!(c.cmd(&["ACL", "DRYRUN", "alice", "get", "cache:x"]), "+OK\r\n");
  assert_eq!(
    c.cmd(&["ACL", "DRYRUN", "alice", "get", "x"]),
    "$50\r\nThis user has no permissions to access the 'x' key\r\n"
  );
  assert_eq!(
    c.cmd(&["ACL", "DRYRUN", "alice", "del", "x"]),
    "$53\r\nThis user has no permissions to run the 'del' command\r\n"
  );
  assert_eq!(c.cmd(&["ACL", "DRYRUN", "nouser", "get", "x"]), "-ERR User 'nouser' not found\r\n");
  assert_eq!(c.cmd(&["ACL", "DRYRUN", "alice", "nocmd"]), "-ERR Command 'nocmd' not found\r\n");
  assert_eq!(c.cmd(&["ACL", "DRYRUN", "alice", "get"]), "-ERR wrong number of arguments for 'get' command\r\n");
}

#[test]
fn categories_cover_the_subcommands_their_flags_imply() {
  // FUNCTION DELETE, FLUSH, LOAD and RESTORE write: `-@write` refuses them, as it refuses SET.
  let mut c = Client::new();
  ok(&mut c, &["ACL", "SETUSER", "reader", "on", "nopass", "+@all", "-@write", "~*"]);
  for args in
    [&["function", "delete", "lib"][..], &["function", "flush"], &["function", "load", "code"], &["set", "k", "v"]]
  {
    let name = if args[0] == "function" { format!("function|{}", args[1]) } else { args[0].to_string() };
    let refusal = format!("This user has no permissions to run the '{name}' command");
    let expected = format!("${}\r\n{refusal}\r\n", refusal.len());
    let mut dryrun = vec!["ACL", "DRYRUN", "reader"];
    dryrun.extend_from_slice(args);
    assert_eq!(c.cmd(&dryrun), expected, "{args:?}");
  }
  assert_eq!(c.cmd(&["ACL", "DRYRUN", "reader", "function", "list"]), "+OK\r\n");
}

#[test]
fn requirepass_is_the_default_users_password() {
  let mut c = Client::new();
  assert!(c.cmd(&["AUTH", "x"]).starts_with("-ERR AUTH <password> called without any password configured"));
  ok(&mut c, &["CONFIG", "SET", "requirepass", "pw"]);
  let other = c.other();
  assert_eq!(c.send_as(other, &["GET", "k"]), "-NOAUTH Authentication required.\r\n");
  assert_eq!(c.send_as(other, &["AUTH", "pw"]), "+OK\r\n");
  assert_eq!(c.send_as(other, &["GET", "k"]), "$-1\r\n");
  let third = c.other();
  assert_eq!(
    c.send_as(third, &["HELLO", "3", "AUTH", "default", "nope"]),
    "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
  );
  assert!(c.send_as(third, &["HELLO", "3", "AUTH", "default", "pw"]).starts_with("%7\r\n"));
  ok(&mut c, &["CONFIG", "SET", "requirepass", ""]);
  assert!(c.cmd(&["ACL", "LIST"]).contains("user default on nopass "));
}

#[test]
fn deleting_a_user_closes_its_connections_and_channel_loss_closes_subscribers() {
  let mut c = Client::new();
  ok(&mut c, &["ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*", "&chat:*"]);
  let bob = c.other();
  let subscriber = c.other();
  assert_eq!(c.send_as(bob, &["AUTH", "bob", "x"]), "+OK\r\n");
  assert_eq!(c.send_as(subscriber, &["AUTH", "bob", "x"]), "+OK\r\n");
  c.send_as(subscriber, &["SUBSCRIBE", "chat:1"]);
  ok(&mut c, &["ACL", "SETUSER", "bob", "&chat:*", "&other"]);
  assert!(c.engine.clients.kills.is_empty(), "channels only grew");
  ok(&mut c, &["ACL", "SETUSER", "bob", "resetchannels", "&other"]);
  assert_eq!(c.engine.clients.kills, [subscriber]);
  c.engine.clients.kills.clear();
  assert_eq!(c.cmd(&["ACL", "DELUSER", "bob", "nobody"]), ":1\r\n");
  assert!(c.engine.clients.kills.contains(&bob));
}

#[test]
fn selectors_allow_what_one_of_them_allows() {
  let mut c = Client::new();
  ok(&mut c, &["ACL", "SETUSER", "s", "on", "nopass", "~a*", "+get", "+multi", "+exec", "(~b* +set)"]);
  let s = c.other();
  c.send_as(s, &["AUTH", "s", "x"]);
  assert_eq!(c.send_as(s, &["GET", "a1"]), "$-1\r\n");
  assert_eq!(c.send_as(s, &["SET", "b1", "v"]), "+OK\r\n");
  assert_eq!(
    c.send_as(s, &["GET", "b1"]),
    "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n"
  );
  assert_eq!(
    c.send_as(s, &["SET", "a1", "v"]),
    "-NOPERM this user has no permissions to access one of the keys used as arguments\r\n"
  );
  let list = c.cmd(&["ACL", "LIST"]);
  assert!(
    list.contains("user s on nopass ~a* resetchannels -@all +exec +get +multi (~b* resetchannels -@all +set)"),
    "{list}"
  );
  // Rules changed after queuing: EXEC says so.
  c.send_as(s, &["MULTI"]);
  assert_eq!(c.send_as(s, &["GET", "a1"]), "+QUEUED\r\n");
  ok(&mut c, &["ACL", "SETUSER", "s", "-get"]);
  let exec = c.send_as(s, &["EXEC"]);
  assert!(exec.contains("-NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: no permission to execute the command or subcommand\r\n"), "{exec}");
}

#[test]
fn scripts_run_as_the_callers_user() {
  let mut c = Client::new();
  ok(&mut c, &["ACL", "SETUSER", "lua", "on", "nopass", "~*", "+eval", "+get"]);
  let lua = c.other();
  c.send_as(lua, &["AUTH", "lua", "x"]);
  assert_eq!(c.send_as(lua, &["EVAL", "return redis.call('get', KEYS[1])", "1", "k"]), "$-1\r\n");
  let refused = c.send_as(lua, &["EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "k"]);
  assert!(refused.contains("The user executing the script can't run this command or subcommand"), "{refused}");
  assert!(c.cmd(&["ACL", "LOG"]).contains("$3\r\nlua\r\n"));
  // redis.acl_check_cmd asks the same question without running anything.
  let check =
    |c: &mut Client, call: &str| c.send_as(lua, &["EVAL", &format!("return redis.acl_check_cmd({call})"), "0"]);
  assert_eq!(check(&mut c, "'get', 'k'"), ":1\r\n");
  assert_eq!(check(&mut c, "'set', 'k', 'v'"), "$-1\r\n");
  assert!(check(&mut c, "'nosuch'").contains("Invalid command passed to redis.acl_check_cmd()"));
}

#[test]
fn sort_by_and_get_patterns_need_read_access_to_every_key() {
  let mut c = Client::new();
  ok(&mut c, &["SET", "v1", "1"]);
  assert_eq!(c.cmd(&["LPUSH", "mylist", "1"]), ":1\r\n");
  ok(&mut c, &["ACL", "SETUSER", "sorter", "on", "nopass", "(+sort ~mylist)"]);
  let user = c.other();
  assert_eq!(c.send_as(user, &["AUTH", "sorter", "pw"]), "+OK\r\n");
  let by = "-ERR BY option of SORT denied due to insufficient ACL permissions.\r\n";
  let get = "-ERR GET option of SORT denied due to insufficient ACL permissions.\r\n";
  // Patterns of keys, read-only `*` of another selector, write-only `*`: not enough.
  for selector in ["(+sort ~mylist ~v*)", "(+sort ~mylist %W~*)"] {
    ok(&mut c, &["ACL", "SETUSER", "sorter", selector]);
    assert_eq!(c.send_as(user, &["SORT", "mylist", "BY", "v*"]), by);
    assert_eq!(c.send_as(user, &["SORT", "mylist", "GET", "v*"]), get);
    assert_eq!(c.send_as(user, &["SORT", "mylist", "GET", "#"]), get);
  }
  // A BY pattern without `*` names no key: it only skips sorting.
  assert_eq!(c.send_as(user, &["SORT", "mylist", "BY", "nosort"]), "*1\r\n$1\r\n1\r\n");
  ok(&mut c, &["ACL", "SETUSER", "sorter", "(+sort ~mylist %R~*)"]);
  assert_eq!(c.send_as(user, &["SORT", "mylist", "BY", "v*"]), "*1\r\n$1\r\n1\r\n");
  assert_eq!(c.send_as(user, &["SORT", "mylist", "GET", "v*"]), "*1\r\n$1\r\n1\r\n");
}

#[test]
fn acl_cat_takes_at_most_one_category() {
  let mut c = Client::new();
  assert_eq!(c.cmd(&["ACL", "CAT", "NON_EXISTS"]), "-ERR Unknown category 'NON_EXISTS'\r\n");
  assert_eq!(
    c.cmd(&["ACL", "CAT", "NON_EXISTS", "NON_EXISTS2"]),
    "-ERR unknown subcommand or wrong number of arguments for 'CAT'. Try ACL HELP.\r\n"
  );
}

#[test]
fn a_relative_aclfile_is_in_dir_for_start_up_load_and_save() {
  use redwing_engine::cmd::server::config::{finish, load_directive};
  let dir = std::env::temp_dir().join(format!("redwing-aclfile-{}", std::process::id()));
  std::fs::create_dir_all(&dir).unwrap();
  std::fs::write(dir.join("users.acl"), "user default on nopass ~* &* +@all\nuser alice on nopass ~* +get\n").unwrap();
  let mut c = Client::new();
  let dir_text = dir.to_string_lossy().into_owned();
  load_directive(&mut c.engine, &[b"dir", dir_text.as_bytes()]).unwrap();
  load_directive(&mut c.engine, &[b"aclfile", b"users.acl"]).unwrap();
  finish(&mut c.engine).unwrap();
  assert!(c.cmd(&["ACL", "LIST"]).contains("user alice on nopass"));
  ok(&mut c, &["ACL", "SETUSER", "bob", "on", "nopass", "+ping"]);
  ok(&mut c, &["ACL", "SAVE"]);
  assert!(std::fs::read_to_string(dir.join("users.acl")).unwrap().contains("user bob on"));
  ok(&mut c, &["ACL", "LOAD"]);
  // A missing file is named as configured.
  load_directive(&mut c.engine, &[b"aclfile", b"missing.acl"]).unwrap();
  assert_eq!(
    c.cmd(&["ACL", "LOAD"]),
    "-ERR Error loading ACLs, opening file 'missing.acl': No such file or directory\r\n"
  );
  std::fs::remove_dir_all(&dir).unwrap();
}
