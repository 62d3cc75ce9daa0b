//! Memcached's text protocol: byte-level sessions through `memcached_feed`, exactly as a
//! socket delivers them (split reads, pipelines, bad input), and the keyspace shared with
//! RESP (flags, cas uniques, expiry, the write stream, WATCH).

mod common;

use common::Client;

/// Allocations are counted as the server counts them, so that `maxmemory` applies.
#[global_allocator]
static ALLOCATOR: redwing_engine::alloc::CountingAllocator = redwing_engine::alloc::CountingAllocator;

/// A memcached connection on the client's engine.
struct Mc {
  id: u32,
}

impl Mc {
  fn open(c: &mut Client) -> Mc {
    Mc { id: c.engine.memcached_open() }
  }

  fn send(&self, c: &mut Client, bytes: &[u8]) -> String {
    String::from_utf8_lossy(&c.engine.memcached_feed(self.id, bytes).reply).into_owned()
  }

  /// The cas unique `gets` shows for `key`.
  fn cas(&self, c: &mut Client, key: &str) -> u64 {
    let reply = self.send(c, format!("gets {key}\r\n").as_bytes());
    let header = reply.lines().next().unwrap();
    header.rsplit(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{reply}"))
  }
}

#[test]
fn storage_and_retrieval() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  assert_eq!(m.send(&mut c, b"set a 5 0 3\r\nabc\r\nget a b\r\n"), "STORED\r\nVALUE a 5 3\r\nabc\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"add a 0 0 1\r\nx\r\nadd b 1 0 1\r\ny\r\n"), "NOT_STORED\r\nSTORED\r\n");
  assert_eq!(m.send(&mut c, b"replace c 0 0 1\r\nz\r\nreplace b 2 0 1\r\nz\r\n"), "NOT_STORED\r\nSTORED\r\n");
  assert_eq!(m.send(&mut c, b"append a 9 0 2\r\nde\r\nprepend a 9 0 1\r\n_\r\n"), "STORED\r\nSTORED\r\n");
  assert_eq!(m.send(&mut c, b"get a b\r\n"), "VALUE a 5 6\r\n_abcde\r\nVALUE b 2 1\r\nz\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"append nope 0 0 1\r\nx\r\n"), "NOT_STORED\r\n");
  assert_eq!(m.send(&mut c, b"delete a\r\ndelete a\r\nget a\r\n"), "DELETED\r\nNOT_FOUND\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"set q 0 0 1 noreply\r\nq\r\nget q\r\n"), "VALUE q 0 1\r\nq\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"version\r\nverbosity 1\r\n"), "VERSION 1.6.18\r\nOK\r\n");
  assert_eq!(m.send(&mut c, b"flush_all\r\nget b q\r\n"), "OK\r\nEND\r\n");
}

#[test]
fn commands_and_data_split_at_every_byte() {
  let session = b"set k 0 0 5\r\nhello\r\ngets k\r\nincr n 1\r\nget k\r\n";
  for split in 1..session.len() {
    let mut c = Client::new();
    let m = Mc::open(&mut c);
    let mut reply = m.send(&mut c, &session[..split]);
    reply += &m.send(&mut c, &session[split..]);
    assert_eq!(reply, "STORED\r\nVALUE k 0 5 1\r\nhello\r\nEND\r\nNOT_FOUND\r\nVALUE k 0 5\r\nhello\r\nEND\r\n");
  }
}

#[test]
fn large_values_arrive_in_many_reads() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  let value = vec![b'v'; 1_000_000];
  assert_eq!(m.send(&mut c, b"set big 0 0 1000000\r\n"), "");
  for piece in value.chunks(1000) {
    assert_eq!(m.send(&mut c, piece), "");
  }
  assert_eq!(m.send(&mut c, b"\r\n"), "STORED\r\n");
  assert_eq!(c.cmd(&["STRLEN", "big"]), ":1000000\r\n");
}

#[test]
fn bad_input_gets_memcached_replies() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  assert_eq!(m.send(&mut c, b"\r\nfoo\r\nget\r\nGET a\r\n"), "ERROR\r\nERROR\r\nERROR\r\nERROR\r\n");
  // A bad header leaves the data line to be read as a command.
  assert_eq!(m.send(&mut c, b"set a abc 0 1\r\nx\r\n"), "CLIENT_ERROR bad command line format\r\nERROR\r\n");
  assert_eq!(m.send(&mut c, b"set a abc 0 1 noreply\r\nx\r\n"), "ERROR\r\n");
  assert_eq!(m.send(&mut c, b"set a 0 0 1\r\nxyz\r\n"), "CLIENT_ERROR bad data chunk\r\nERROR\r\n");
  assert_eq!(m.send(&mut c, b"set a 0 0 1 2 3\r\nx\r\n"), "ERROR\r\nERROR\r\n");
  let long = "k".repeat(251);
  assert_eq!(m.send(&mut c, format!("get a {long}\r\n").as_bytes()), "CLIENT_ERROR bad command line format\r\n");
  assert_eq!(
    m.send(&mut c, format!("set {long} 0 0 1\r\nx\r\n").as_bytes()),
    "CLIENT_ERROR bad command line format\r\nERROR\r\n"
  );
  // Too large: refused, the data swallowed, and an old value of a `set` dropped.
  assert_eq!(m.send(&mut c, b"set a 0 0 1\r\nx\r\n"), "STORED\r\n");
  let mut big = b"set a 0 0 1048517\r\n".to_vec();
  big.extend(vec![b'x'; 1048517]);
  big.extend_from_slice(b"\r\nget a\r\n");
  assert_eq!(m.send(&mut c, &big), "SERVER_ERROR object too large for cache\r\nEND\r\n");
  assert_eq!(
    m.send(&mut c, b"delete a 1\r\n"),
    "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"
  );
  assert_eq!(m.send(&mut c, b"touch a x\r\ngat x a\r\n"), "CLIENT_ERROR invalid exptime argument\r\n".repeat(2));
  assert_eq!(m.send(&mut c, b"incr a -1\r\n"), "CLIENT_ERROR invalid numeric delta argument\r\n");
  // A control character is part of a key; a NUL ends the line.
  assert_eq!(m.send(&mut c, b"set a\x01b 0 0 1\r\nx\r\nget a\x01b\r\n"), "STORED\r\nVALUE a\x01b 0 1\r\nx\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"set a\x00b 0 0 1\r\nx\r\n"), "ERROR\r\nERROR\r\n");
}

#[test]
fn endless_lines_close_the_connection_unless_a_get() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  let mut keys = b"get".to_vec();
  for i in 0..1000 {
    keys.extend_from_slice(format!(" key{i}").as_bytes());
  }
  assert!(!c.engine.memcached_feed(m.id, &keys).close);
  assert_eq!(m.send(&mut c, b"\r\n"), "END\r\n");
  let out = c.engine.memcached_feed(m.id, &[b'x'; 3000]);
  assert!(out.close && out.reply.is_empty());
  // Only that connection: another one carries on.
  let other = Mc::open(&mut c);
  assert_eq!(other.send(&mut c, b"version\r\n"), "VERSION 1.6.18\r\n");
}

#[test]
fn quit_closes_after_earlier_replies() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  let out = c.engine.memcached_feed(m.id, b"version\r\nquit\r\nversion\r\n");
  assert!(out.close);
  assert_eq!(out.reply, b"VERSION 1.6.18\r\n");
}

#[test]
fn incr_wraps_and_decr_stops_at_zero() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  assert_eq!(
    m.send(&mut c, b"set n 0 0 20\r\n18446744073709551615\r\nincr n 2\r\nget n\r\n"),
    "STORED\r\n1\r\nVALUE n 0 20\r\n1                   \r\nEND\r\n"
  );
  assert_eq!(
    m.send(&mut c, b"set n 0 0 2\r\n10\r\ndecr n 11\r\nincr n 99\r\nincr n 1\r\n"),
    "STORED\r\n0\r\n99\r\n100\r\n"
  );
  assert_eq!(
    m.send(&mut c, b"set n 0 0 3\r\nabc\r\nincr n 1\r\n"),
    "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n"
  );
  assert_eq!(m.send(&mut c, b"decr missing 1\r\n"), "NOT_FOUND\r\n");
}

#[test]
fn cas_uniques_change_on_every_write_from_either_protocol() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  m.send(&mut c, b"set k 3 0 1\r\na\r\n");
  let first = m.cas(&mut c, "k");
  assert_eq!(m.cas(&mut c, "k"), first);
  // touch keeps the cas unique, as in memcached.
  assert_eq!(m.send(&mut c, b"touch k 100\r\n"), "TOUCHED\r\n");
  assert_eq!(m.cas(&mut c, "k"), first);
  for command in [&["APPEND", "k", "x"][..], &["SET", "k", "v"], &["EXPIRE", "k", "100"], &["SETRANGE", "k", "0", "z"]]
  {
    let before = m.cas(&mut c, "k");
    c.cmd(command);
    assert_ne!(m.cas(&mut c, "k"), before, "{command:?}");
  }
  // A RESP write drops the flags.
  assert_eq!(m.send(&mut c, b"get k\r\n"), "VALUE k 0 1\r\nz\r\nEND\r\n");
  let cas = m.cas(&mut c, "k");
  assert_eq!(m.send(&mut c, format!("cas k 7 0 1 {}\r\nw\r\n", cas + 1).as_bytes()), "EXISTS\r\n");
  assert_eq!(m.send(&mut c, format!("cas k 7 0 1 {cas}\r\nw\r\n").as_bytes()), "STORED\r\n");
  assert_eq!(m.send(&mut c, format!("cas k 7 0 1 {cas}\r\nw\r\n").as_bytes()), "EXISTS\r\n");
  assert_eq!(m.send(&mut c, b"cas nope 0 0 1 1\r\nw\r\n"), "NOT_FOUND\r\n");
  c.cmd(&["DEL", "k"]);
  c.cmd(&["SET", "k", "again"]);
  assert_eq!(m.send(&mut c, b"get k\r\n"), "VALUE k 0 5\r\nagain\r\nEND\r\n");
}

#[test]
fn expiry_is_the_keys_ttl() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  m.send(&mut c, b"set k 0 100 1\r\nx\r\n");
  assert_eq!(c.cmd(&["TTL", "k"]), ":100\r\n");
  let unix = redwing_engine::server::now_ms() / 1000 + 1000;
  m.send(&mut c, format!("touch k {unix}\r\n").as_bytes());
  let ttl: i64 = c.cmd(&["TTL", "k"])[1..].trim().parse().unwrap();
  assert!((998..=1000).contains(&ttl), "{ttl}");
  m.send(&mut c, b"touch k 0\r\n");
  assert_eq!(c.cmd(&["TTL", "k"]), ":-1\r\n");
  assert_eq!(m.send(&mut c, b"set k 0 -1 1\r\nx\r\nget k\r\n"), "STORED\r\nEND\r\n");
  assert_eq!(c.cmd(&["EXISTS", "k"]), ":0\r\n");
  assert_eq!(m.send(&mut c, b"add k 0 1000 1\r\nx\r\nget k\r\n"), "STORED\r\nVALUE k 0 1\r\nx\r\nEND\r\n");
  assert_eq!(m.send(&mut c, b"gat -1 k\r\nget k\r\n"), "VALUE k 0 1\r\nx\r\nEND\r\nEND\r\n");
}

#[test]
fn resp_values_read_through_memcached() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  c.cmd(&["SET", "s", "12"]);
  c.cmd(&["RPUSH", "list", "a"]);
  assert_eq!(m.send(&mut c, b"get s list\r\nincr s 1\r\n"), "VALUE s 0 2\r\n12\r\nEND\r\n13\r\n");
  // Another type is absent to memcached, and a store replaces it.
  assert_eq!(m.send(&mut c, b"delete list\r\nadd list 0 0 1\r\nx\r\n"), "NOT_FOUND\r\nSTORED\r\n");
  assert_eq!(c.cmd(&["GET", "list"]), "$1\r\nx\r\n");
}

#[test]
fn writes_reach_the_write_stream() {
  let mut c = Client::new();
  c.record_writes();
  let m = Mc::open(&mut c);
  m.send(&mut c, b"set a 1 0 1\r\nx\r\nset b 0 10 1\r\ny\r\nappend a 0 0 1\r\nz\r\nincr a 1\r\ndelete b\r\n");
  let writes = c.writes();
  assert_eq!(writes[0], "0: SET a x");
  assert!(writes[1].starts_with("0: SET b y PXAT "), "{writes:?}");
  assert_eq!(&writes[2..], ["0: APPEND a z", "0: DEL b"]);
  assert_eq!(m.send(&mut c, b"set n 0 0 1\r\n1\r\nincr n 1\r\n"), "STORED\r\n2\r\n");
  assert_eq!(c.writes(), ["0: SET n 1", "0: SET n 2 KEEPTTL"]);
}

#[test]
fn memcached_writes_break_watches() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  c.cmd(&["WATCH", "k"]);
  c.cmd(&["MULTI"]);
  c.cmd(&["SET", "other", "1"]);
  m.send(&mut c, b"set k 0 0 1\r\nx\r\n");
  assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n");
}

#[test]
fn stats_has_memcacheds_general_fields() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  m.send(&mut c, b"set a 0 0 1\r\nx\r\nget a b\r\n");
  let stats = m.send(&mut c, b"stats\r\n");
  for field in [
    "pid",
    "uptime",
    "time",
    "version 1.6.18",
    "curr_connections 1",
    "cmd_get 2",
    "cmd_set 1",
    "get_hits 1",
    "get_misses 1",
    "curr_items 1",
    "threads 1",
  ] {
    assert!(
      stats.contains(&format!("\r\nSTAT {field}")) || stats.starts_with(&format!("STAT {field}")),
      "{field}: {stats}"
    );
  }
  assert!(stats.ends_with("END\r\n"));
  assert_eq!(m.send(&mut c, b"stats reset\r\nstats nope\r\n"), "RESET\r\nERROR\r\n");
}

#[test]
fn junk_never_panics() {
  let mut c = Client::new();
  let mut seed = 0x2545f4914f6cdd1du64;
  let words: [&[u8]; 20] = [
    b"get",
    b"gets",
    b"gat",
    b"set",
    b"add",
    b"cas",
    b"incr",
    b"decr",
    b"delete",
    b"touch",
    b"flush_all",
    b"stats",
    b" ",
    b"\r\n",
    b"\n",
    b"noreply",
    b"-1",
    b"18446744073709551616",
    b"5",
    b"\x00",
  ];
  for _ in 0..200 {
    let m = Mc::open(&mut c);
    let mut input = Vec::new();
    for _ in 0..40 {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      input.extend_from_slice(words[(seed % 20) as usize]);
      if seed.is_multiple_of(3) {
        input.push(b' ');
      }
    }
    for piece in input.chunks(7) {
      c.engine.memcached_feed(m.id, piece);
    }
    c.engine.memcached_close(m.id);
  }
  assert!(!c.engine.telemetry.log_lines.iter().any(|line| line.contains("Internal error")));
  assert_eq!(c.cmd(&["PING"]), "+PONG\r\n");
}

#[test]
fn writes_refused_for_memory_are_server_errors() {
  let mut c = Client::new();
  let m = Mc::open(&mut c);
  m.send(&mut c, b"set n 0 0 1\r\n1\r\n");
  c.cmd(&["CONFIG", "SET", "maxmemory", "1"]);
  assert_eq!(m.send(&mut c, b"set a 0 0 1\r\nx\r\n"), "SERVER_ERROR out of memory storing object\r\n");
  assert_eq!(m.send(&mut c, b"incr n 1\r\n"), "SERVER_ERROR out of memory\r\n");
  // Reads and deletions go on.
  assert_eq!(m.send(&mut c, b"get n\r\ndelete n\r\n"), "VALUE n 0 1\r\n1\r\nEND\r\nDELETED\r\n");
  assert!(m.send(&mut c, b"stats\r\n").contains("STAT store_no_memory 1\r\n"));
}
