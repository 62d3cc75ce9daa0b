//! FUNCTION LOAD limits a library's code to 500 ms, as redis-server 7.0.15 does (its reply is
//! the expected one here); the other FUNCTION behaviour is compared with redis-server in the
//! differential corpus (`functions.txt`).

mod common;
use common::Client;

#[test]
fn function_load_stops_code_that_runs_too_long() {
  let mut c = Client::new();
  for code in ["#!lua name=inf\nwhile true do end", "#!lua name=inf\nlocal n = 0 while true do n = n + 1 end"] {
    let started = std::time::Instant::now();
    assert_eq!(c.cmd(&["FUNCTION", "LOAD", code]), "-ERR Error registering functions: ERR FUNCTION LOAD timeout\r\n");
    assert!(started.elapsed() >= std::time::Duration::from_millis(500));
  }
  let library = "#!lua name=ok\nredis.register_function('f', function() return 'fine' end)";
  assert_eq!(c.cmd(&["FUNCTION", "LOAD", library]), "$2\r\nok\r\n");
  assert_eq!(c.cmd(&["FCALL", "f", "0"]), "$4\r\nfine\r\n");
}
