//! The `cjson` library behaves as Redis 7.0.15's. Every case is a script body whose result (or
//! error) was taken from redis-server running the same body inside the same wrapper: `EVAL`
//! would truncate numbers and reshape errors, so the wrapper turns the outcome into a string at
//! the Lua level.

#![allow(non_snake_case)]

use redwing_lua::ffi::*;
use redwing_lua::libs::cjson;
use redwing_lua::to_bytes;

/// Runs `body` as a function in a fresh state holding the libraries a script has, in a chunk
/// named as Redis names scripts, and returns `OK:` and the result, or `ERR:` and the error
/// message, as Lua's `tostring` writes them.
fn run(body: &str) -> Vec<u8> {
  let chunk = format!(
    "local ok, r = pcall(function() {body} end) \
     if ok then return 'OK:' .. tostring(r) else return 'ERR:' .. tostring(r) end"
  );
  // SAFETY: the state is created, used from this thread only and closed; the libraries are
  // opened by calling them as Lua functions, and the result is copied before the state closes.
  unsafe {
    let L = luaL_newstate();
    for open in [luaopen_base, luaopen_table, luaopen_string, luaopen_math, cjson::open] {
      lua_pushcfunction(L, open);
      lua_call(L, 0, 0);
    }
    let loaded = luaL_loadbuffer(L, chunk.as_ptr().cast(), chunk.len(), c"@user_script".as_ptr());
    let status = if loaded == 0 { lua_pcall(L, 0, 1, 0) } else { loaded };
    let mut result = to_bytes(L, -1).unwrap_or(b"nil").to_vec();
    lua_close(L);
    if status != 0 {
      result.splice(0..0, b"chunk failed: ".iter().copied());
    }
    result
  }
}

/// Runs every case and reports all mismatches at once.
fn check(cases: &[(&str, &[u8])]) {
  let failures: Vec<String> = cases
    .iter()
    .filter_map(|(body, expected)| {
      let actual = run(body);
      (actual != *expected).then(|| {
        format!(
          "{body}\n  expected: {}\n  actual:   {}",
          String::from_utf8_lossy(expected),
          String::from_utf8_lossy(&actual)
        )
      })
    })
    .collect();
  assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn encodes_as_redis() {
  check(ENCODE_CASES);
}

#[test]
fn decodes_as_redis() {
  check(DECODE_CASES);
}

#[test]
fn configures_as_redis() {
  check(CONFIG_CASES);
}

#[test]
fn the_global_table_is_the_one_open_returns() {
  // SAFETY: as in `run`.
  unsafe {
    let L = luaL_newstate();
    lua_pushcfunction(L, cjson::open);
    lua_call(L, 0, 1);
    lua_getglobal(L, c"cjson".as_ptr());
    assert_eq!(lua_rawequal(L, -1, -2), 1);
    lua_close(L);
  }
}

/// Encoding: numbers, strings, arrays and objects, and the errors.
const ENCODE_CASES: &[(&str, &[u8])] = &[
  (r#"return cjson.encode({1,2,3})"#, b"OK:[1,2,3]"),
  (r#"return cjson.encode({})"#, b"OK:{}"),
  (r#"return cjson.encode({a=1})"#, b"OK:{\"a\":1}"),
  (r#"return cjson.encode('hello')"#, b"OK:\"hello\""),
  (r#"return cjson.encode(42)"#, b"OK:42"),
  (r#"return cjson.encode(-7)"#, b"OK:-7"),
  (r#"return cjson.encode(0.1)"#, b"OK:0.1"),
  (r#"return cjson.encode(1/3)"#, b"OK:0.33333333333333"),
  (r#"return cjson.encode(2^53)"#, b"OK:9.007199254741e+15"),
  (r#"return cjson.encode(2^63)"#, b"OK:9.2233720368548e+18"),
  (r#"return cjson.encode(123456789012345)"#, b"OK:1.2345678901234e+14"),
  (r#"return cjson.encode(12345678901234)"#, b"OK:12345678901234"),
  (r#"return cjson.encode(-0)"#, b"OK:-0"),
  (r#"return cjson.encode(1e300)"#, b"OK:1e+300"),
  (r#"return cjson.encode(1e-300)"#, b"OK:1e-300"),
  (r#"return cjson.encode(5e-324)"#, b"OK:4.9406564584125e-324"),
  (r#"return cjson.encode(3.14159265358979)"#, b"OK:3.1415926535898"),
  (r#"return cjson.encode(100000000000000000000)"#, b"OK:1e+20"),
  (r#"return cjson.encode(true)"#, b"OK:true"),
  (r#"return cjson.encode(false)"#, b"OK:false"),
  (r#"return cjson.encode(nil)"#, b"OK:null"),
  (r#"return cjson.encode(cjson.null)"#, b"OK:null"),
  (r#"return cjson.encode({cjson.null, 1})"#, b"OK:[null,1]"),
  (r#"return cjson.encode('a/b')"#, b"OK:\"a\\/b\""),
  (r#"return cjson.encode('q"uo\\te')"#, b"OK:\"q\\\"uo\\\\te\""),
  (r#"return cjson.encode('\b\f\n\r\t')"#, b"OK:\"\\b\\f\\n\\r\\t\""),
  (r#"return cjson.encode('\0\1\31\127')"#, b"OK:\"\\u0000\\u0001\\u001f\\u007f\""),
  (r#"return cjson.encode('caf\195\169')"#, b"OK:\"caf\xc3\xa9\""),
  (
    r#"return (cjson.encode('\128\255'):gsub('[\128-\255]', function(c) return '<'..c:byte()..'>' end))"#,
    b"OK:\"<128><255>\"",
  ),
  (r#"return cjson.encode({'x', {'y', {'z'}}})"#, b"OK:[\"x\",[\"y\",[\"z\"]]]"),
  (r#"return cjson.encode({[1]=1, [2]=2, [4]=4})"#, b"OK:[1,2,null,4]"),
  (r#"return cjson.encode({[1]='a', [3]='c'})"#, b"OK:[\"a\",null,\"c\"]"),
  (r#"return cjson.encode({[10]=1})"#, b"OK:[null,null,null,null,null,null,null,null,null,1]"),
  (r#"return cjson.encode({[11]=1})"#, b"ERR:user_script:1: Cannot serialise table: excessively sparse array"),
  (r#"return cjson.encode({[11]=1, [1]=1, [2]=2, [3]=3, [4]=4, [5]=5})"#, b"OK:[1,2,3,4,5,null,null,null,null,null,1]"),
  (r#"return cjson.encode({[1.5]=1})"#, b"OK:{\"1.5\":1}"),
  (r#"return cjson.encode({[0]=1})"#, b"OK:{\"0\":1}"),
  (r#"return cjson.encode({[-1]=1})"#, b"OK:{\"-1\":1}"),
  (r#"return cjson.encode({[2^31]=1})"#, b"OK:{\"2147483648\":1}"),
  (r#"return cjson.encode({[2^31-1]=1})"#, b"ERR:user_script:1: Cannot serialise table: excessively sparse array"),
  (r#"return cjson.encode({[1]=1, x=2})"#, b"OK:{\"1\":1,\"x\":2}"),
  (
    r#"return cjson.encode({[true]=1})"#,
    b"ERR:user_script:1: Cannot serialise boolean: table key must be a number or string",
  ),
  (
    r#"return cjson.encode({[{}]=1})"#,
    b"ERR:user_script:1: Cannot serialise table: table key must be a number or string",
  ),
  (r#"return cjson.encode({[1/0]=1})"#, b"ERR:user_script:1: Cannot serialise number: must not be NaN or Inf"),
  (r#"return cjson.encode(function() end)"#, b"ERR:user_script:1: Cannot serialise function: type not supported"),
  (r#"return cjson.encode({f=cjson.encode})"#, b"ERR:user_script:1: Cannot serialise function: type not supported"),
  (r#"return cjson.encode(1/0)"#, b"ERR:user_script:1: Cannot serialise number: must not be NaN or Inf"),
  (r#"return cjson.encode(-1/0)"#, b"ERR:user_script:1: Cannot serialise number: must not be NaN or Inf"),
  (r#"return cjson.encode(0/0)"#, b"ERR:user_script:1: Cannot serialise number: must not be NaN or Inf"),
  (r#"return cjson.encode()"#, b"ERR:user_script:1: bad argument #1 to 'encode' (expected 1 argument)"),
  (r#"return cjson.encode(1, 2)"#, b"ERR:user_script:1: bad argument #1 to 'encode' (expected 1 argument)"),
  (r#"return cjson.encode({a={b={c={}}}})"#, b"OK:{\"a\":{\"b\":{\"c\":{}}}}"),
  (r#"return cjson.encode({1, {}, {a=cjson.null}})"#, b"OK:[1,{},{\"a\":null}]"),
  (r#"return cjson.encode({0.5, -0.25, 1e21, 1e-7})"#, b"OK:[0.5,-0.25,1e+21,1e-07]"),
  (r#"return cjson.encode({['1']=1, [2]=2})"#, b"OK:{\"1\":1,\"2\":2}"),
  (r#"local t = {} t[1] = t return cjson.encode(t)"#, b"ERR:user_script:1: Cannot serialise, excessive nesting (1001)"),
  (r#"local t = {} local c = t for i = 1, 999 do c[1] = {} c = c[1] end return #cjson.encode(t)"#, b"OK:2000"),
  (
    r#"local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return cjson.encode(t)"#,
    b"ERR:user_script:1: Cannot serialise, excessive nesting (1001)",
  ),
  (r#"return type(cjson.new)"#, b"OK:function"),
  (r#"return cjson.encode({a=1, b=2, c=3, d=4, e=5})"#, b"OK:{\"a\":1,\"c\":3,\"b\":2,\"e\":5,\"d\":4}"),
  (r#"return cjson.encode({x={1,2}, y='z', [3]=4})"#, b"OK:{\"y\":\"z\",\"x\":[1,2],\"3\":4}"),
  (r#"return cjson.encode({10, 20, nil, 40})"#, b"OK:[10,20,null,40]"),
  (r#"return cjson.encode('\226\130\172')"#, b"OK:\"\xe2\x82\xac\""),
  (r#"return cjson.encode({['a/b']='c\nd'})"#, b"OK:{\"a\\/b\":\"c\\nd\"}"),
  (
    r#"local ok, e = pcall(cjson.encode, {[true]=1}) return e"#,
    b"OK:Cannot serialise boolean: table key must be a number or string",
  ),
  (r#"local ok, e = pcall(cjson.encode) return e"#, b"OK:bad argument #1 to '?' (expected 1 argument)"),
  (
    r#"return cjson.encode({[1]=1, [2]=2, [3]=3, [100]=1})"#,
    b"ERR:user_script:1: Cannot serialise table: excessively sparse array",
  ),
  (r#"return cjson.encode({1, 2, x = nil})"#, b"OK:[1,2]"),
  (
    r#"return cjson.encode({[1] = 'a', [2] = 'b', [3] = 'c', n = 3})"#,
    b"OK:{\"1\":\"a\",\"2\":\"b\",\"3\":\"c\",\"n\":3}",
  ),
  (r#"return cjson.encode(0.1 + 0.2)"#, b"OK:0.3"),
  (r#"return cjson.encode(-1e-310)"#, b"OK:-1e-310"),
  (r#"return cjson.encode(123.456e-10)"#, b"OK:1.23456e-08"),
];

/// Decoding: values, escapes, numbers beyond JSON, depth, and the errors.
const DECODE_CASES: &[(&str, &[u8])] = &[
  (r#"return tostring(cjson.decode('null') == cjson.null)"#, b"OK:true"),
  (r#"return tostring(cjson.decode('[null]')[1] == cjson.null)"#, b"OK:true"),
  (r#"return cjson.decode('"abc"')"#, b"OK:abc"),
  (r#"return cjson.decode('123')"#, b"OK:123"),
  (r#"return cjson.decode('-1.5e3')"#, b"OK:-1500"),
  (r#"return cjson.decode('  42  ')"#, b"OK:42"),
  (r#"return cjson.decode('1E2')"#, b"OK:100"),
  (r#"return tostring(cjson.decode('true'))"#, b"OK:true"),
  (r#"return tostring(cjson.decode('false'))"#, b"OK:false"),
  (r#"return cjson.decode('[1,2,3]')[3]"#, b"OK:3"),
  (r#"return #cjson.decode('[1,2,3]')"#, b"OK:3"),
  (r#"return cjson.decode('{"a":{"b":[10,20]}}').a.b[2]"#, b"OK:20"),
  (r#"return cjson.decode('{"a":1,"a":2}').a"#, b"OK:2"),
  (r#"return next(cjson.decode('{}')) == nil and 'empty' or 'not'"#, b"OK:empty"),
  (r#"return next(cjson.decode('[]')) == nil and 'empty' or 'not'"#, b"OK:empty"),
  (r#"return cjson.decode('"\\u00e9\\u4e2d"')"#, b"OK:\xc3\xa9\xe4\xb8\xad"),
  (
    r#"return (cjson.decode('"\\ud83d\\ude00"'):gsub('.', function(c) return string.format('%02x', c:byte()) end))"#,
    b"OK:f09f9880",
  ),
  (
    r#"return cjson.decode('"\\ud83d"')"#,
    b"ERR:user_script:1: Expected value but found invalid unicode escape code at character 2",
  ),
  (
    r#"return cjson.decode('"\\ude00"')"#,
    b"ERR:user_script:1: Expected value but found invalid unicode escape code at character 2",
  ),
  (
    r#"return cjson.decode('"\\ud83d\\u0041"')"#,
    b"ERR:user_script:1: Expected value but found invalid unicode escape code at character 2",
  ),
  (
    r#"return cjson.decode('"\\u12"')"#,
    b"ERR:user_script:1: Expected value but found invalid unicode escape code at character 2",
  ),
  (
    r#"return cjson.decode('"\\uzzzz"')"#,
    b"ERR:user_script:1: Expected value but found invalid unicode escape code at character 2",
  ),
  (
    r#"return cjson.decode('"\\x"')"#,
    b"ERR:user_script:1: Expected value but found invalid escape code at character 2",
  ),
  (r#"return cjson.decode('"\\"\\\\\\/\\b\\f\\n\\r\\t"')"#, b"OK:\"\\/\x08\x0c\n\r\t"),
  (r#"return #cjson.decode('"\\u0000"')"#, b"OK:1"),
  (
    r#"return cjson.decode('"abc')"#,
    b"ERR:user_script:1: Expected value but found unexpected end of string at character 5",
  ),
  (r#"return cjson.decode('')"#, b"ERR:user_script:1: Expected value but found T_END at character 1"),
  (r#"return cjson.decode('   ')"#, b"ERR:user_script:1: Expected value but found T_END at character 4"),
  (r#"return cjson.decode('x')"#, b"ERR:user_script:1: Expected value but found invalid token at character 1"),
  (r#"return cjson.decode('[1,2')"#, b"ERR:user_script:1: Expected comma or array end but found T_END at character 5"),
  (r#"return cjson.decode('[1,]')"#, b"ERR:user_script:1: Expected value but found T_ARR_END at character 4"),
  (
    r#"return cjson.decode('[1 2]')"#,
    b"ERR:user_script:1: Expected comma or array end but found T_NUMBER at character 4",
  ),
  (r#"return cjson.decode('{"a" 1}')"#, b"ERR:user_script:1: Expected colon but found T_NUMBER at character 6"),
  (
    r#"return cjson.decode('{"a":1,}')"#,
    b"ERR:user_script:1: Expected object key string but found T_OBJ_END at character 8",
  ),
  (
    r#"return cjson.decode('{1:2}')"#,
    b"ERR:user_script:1: Expected object key string but found T_NUMBER at character 2",
  ),
  (
    r#"return cjson.decode('{"a":1 "b":2}')"#,
    b"ERR:user_script:1: Expected comma or object end but found T_STRING at character 8",
  ),
  (r#"return cjson.decode('[1]x')"#, b"ERR:user_script:1: Expected the end but found invalid token at character 4"),
  (r#"return cjson.decode('[1] [2]')"#, b"ERR:user_script:1: Expected the end but found T_ARR_BEGIN at character 5"),
  (r#"return cjson.decode(']')"#, b"ERR:user_script:1: Expected value but found T_ARR_END at character 1"),
  (r#"return cjson.decode('tru')"#, b"ERR:user_script:1: Expected value but found invalid token at character 1"),
  (r#"return cjson.decode('nul')"#, b"ERR:user_script:1: Expected value but found invalid token at character 1"),
  (r#"return cjson.decode('.5')"#, b"ERR:user_script:1: Expected value but found invalid token at character 1"),
  (r#"return cjson.decode('-')"#, b"ERR:user_script:1: Expected value but found invalid number at character 1"),
  (r#"return cjson.decode('+')"#, b"ERR:user_script:1: Expected value but found invalid number at character 1"),
  (r#"return cjson.decode('+1')"#, b"OK:1"),
  (r#"return cjson.decode('0x1F')"#, b"OK:31"),
  (r#"return cjson.decode('010')"#, b"OK:10"),
  (r#"return tostring(cjson.decode('inf'))"#, b"OK:inf"),
  (r#"return tostring(cjson.decode('-Infinity'))"#, b"OK:-inf"),
  (r#"return tostring(cjson.decode('NaN'))"#, b"OK:nan"),
  (r#"return tostring(cjson.decode('1e400'))"#, b"OK:inf"),
  (r#"return cjson.decode('1.')"#, b"OK:1"),
  (r#"return cjson.decode('[1,2]\0garbage')[2]"#, b"OK:2"),
  (r#"return cjson.decode('\0[')"#, b"ERR:user_script:1: JSON parser does not support UTF-16 or UTF-32"),
  (r#"return cjson.decode('[\0')"#, b"ERR:user_script:1: JSON parser does not support UTF-16 or UTF-32"),
  (r#"return cjson.decode(12)"#, b"OK:12"),
  (r#"return cjson.decode({})"#, b"ERR:user_script:1: bad argument #1 to 'decode' (string expected, got table)"),
  (r#"return cjson.decode()"#, b"ERR:user_script:1: bad argument #1 to 'decode' (expected 1 argument)"),
  (r#"return cjson.decode('1', '2')"#, b"ERR:user_script:1: bad argument #1 to 'decode' (expected 1 argument)"),
  (r#"return cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000)) and 'ok'"#, b"OK:ok"),
  (
    r#"return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))"#,
    b"ERR:user_script:1: Found too many nested data structures (1001) at character 1001",
  ),
  (r#"return cjson.encode(cjson.decode('{"a":[1,2,{"b":null}],"c":"d"}').a)"#, b"OK:[1,2,{\"b\":null}]"),
  (r#"return cjson.encode(cjson.decode('[1.5,"x",true,false,null,{},[]]'))"#, b"OK:[1.5,\"x\",true,false,null,{},{}]"),
  (r#"return cjson.encode(cjson.decode('"\\u00e9/\\n"'))"#, b"OK:\"\xc3\xa9\\/\\n\""),
  (r#"return cjson.encode(cjson.decode('123456789012345678'))"#, b"OK:1.2345678901235e+17"),
  (r#"return cjson.encode(cjson.decode('[1,null,3]'))"#, b"OK:[1,null,3]"),
  ("local x = 1\nreturn cjson.decode('[')", b"ERR:user_script:2: Expected value but found T_END at character 2"),
  (r#"local ok, e = pcall(cjson.decode, '[') return e"#, b"OK:Expected value but found T_END at character 2"),
  (r#"return cjson.encode(cjson.decode('[9007199254740993, -0, 1e-400, 0.1]'))"#, b"OK:[9.007199254741e+15,-0,0,0.1]"),
  (
    r#"return (cjson.decode('"\\uD83D\\uDE00\\u007F\\u0800"'):gsub('.', function(c) return string.format('%02x', c:byte()) end))"#,
    b"OK:f09f98807fe0a080",
  ),
  (r#"return cjson.encode(cjson.decode('{"k":"\\u002f"}'))"#, b"OK:{\"k\":\"\\/\"}"),
  (r#"return cjson.encode(cjson.decode('"tab\there"'))"#, b"OK:\"tab\\there\""),
  (r#"return cjson.decode('"a\nb"')"#, b"OK:a\nb"),
  (r#"return cjson.decode('[1,\n2,\r\n3]')[3]"#, b"OK:3"),
  (r#"return cjson.decode('{"a":true}\t\n ').a and 'yes'"#, b"OK:yes"),
  (r#"return cjson.decode('0x')"#, b"ERR:user_script:1: Expected the end but found invalid token at character 2"),
  (r#"return tostring(cjson.decode('nan(123)'))"#, b"OK:nan"),
  (r#"return cjson.decode('-x')"#, b"ERR:user_script:1: Expected value but found invalid number at character 1"),
  (r#"return cjson.decode('0x1p4')"#, b"OK:16"),
];

/// The configuration functions, `new`, `null` and the module fields.
const CONFIG_CASES: &[(&str, &[u8])] = &[
  (r#"local c = cjson.new() c.encode_max_depth(2) return c.encode({{1}})"#, b"OK:[[1]]"),
  (
    r#"local c = cjson.new() c.encode_max_depth(2) return c.encode({{{1}}})"#,
    b"ERR:user_script:1: Cannot serialise, excessive nesting (3)",
  ),
  (
    r#"local c = cjson.new() c.encode_max_depth(100000) local t = {} t[1] = t return c.encode(t)"#,
    b"ERR:user_script:1: Cannot serialise, excessive nesting (7998)",
  ),
  (
    r#"local c = cjson.new() c.encode_max_depth(100000) local t = {} t.a = t return c.encode(t)"#,
    b"ERR:user_script:1: Cannot serialise, excessive nesting (4000)",
  ),
  (
    r#"local c = cjson.new() c.encode_number_precision(3) return c.encode({1/3, 12345, 0.1})"#,
    b"OK:[0.333,1.23e+04,0.1]",
  ),
  (r#"local c = cjson.new() c.encode_number_precision(1) return c.encode(2^53)"#, b"OK:9e+15"),
  (
    r#"local c = cjson.new() return c.encode_number_precision(15)"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)",
  ),
  (
    r#"local c = cjson.new() return c.encode_number_precision(0)"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)",
  ),
  (
    r#"local c = cjson.new() return c.encode_number_precision('x')"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_number_precision' (number expected, got string)",
  ),
  (r#"local c = cjson.new() c.encode_invalid_numbers(true) return c.encode({1/0, -1/0, 0/0})"#, b"OK:[inf,-inf,nan]"),
  (
    r#"local c = cjson.new() c.encode_invalid_numbers('null') return c.encode({1/0, -1/0, 0/0})"#,
    b"OK:[null,null,null]",
  ),
  (r#"local c = cjson.new() return c.encode_invalid_numbers('null')"#, b"OK:null"),
  (r#"local c = cjson.new() return tostring(c.encode_invalid_numbers('on'))"#, b"OK:true"),
  (
    r#"local c = cjson.new() return c.encode_invalid_numbers('maybe')"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option 'maybe')",
  ),
  (r#"local c = cjson.new() c.encode_invalid_numbers('null') return c.encode({[1/0]=1})"#, b"OK:{\"null\":1}"),
  (r#"local c = cjson.new() c.encode_invalid_numbers(true) return c.encode({[-1/0]=1})"#, b"OK:{\"-inf\":1}"),
  (r#"local c = cjson.new() return table.concat({tostring(c.encode_sparse_array())}, ',')"#, b"OK:false"),
  (
    r#"local c = cjson.new() local a, b, d = c.encode_sparse_array(true, 3, 5) return tostring(a)..','..b..','..d"#,
    b"OK:true,3,5",
  ),
  (r#"local c = cjson.new() c.encode_sparse_array(true) return c.encode({[20]=1})"#, b"OK:{\"20\":1}"),
  (
    r#"local c = cjson.new() c.encode_sparse_array(false, 0) return c.encode({[20]=1})"#,
    b"OK:[null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,null,1]",
  ),
  (
    r#"local c = cjson.new() c.encode_sparse_array(false, 1, 0) return c.encode({[1]=1, [3]=3})"#,
    b"ERR:user_script:1: Cannot serialise table: excessively sparse array",
  ),
  (
    r#"local c = cjson.new() return c.encode_sparse_array(nil, -1)"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647)",
  ),
  (
    r#"local c = cjson.new() return c.encode_sparse_array(nil, nil, 'x')"#,
    b"ERR:user_script:1: bad argument #3 to 'encode_sparse_array' (number expected, got string)",
  ),
  (
    r#"local c = cjson.new() return c.encode_sparse_array(1, 2, 3, 4)"#,
    b"ERR:user_script:1: bad argument #4 to 'encode_sparse_array' (found too many arguments)",
  ),
  (
    r#"local c = cjson.new() return c.encode_max_depth(0)"#,
    b"ERR:user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647)",
  ),
  (r#"local c = cjson.new() return c.encode_max_depth(2^32 + 5)"#, b"OK:5"),
  (r#"local c = cjson.new() return c.decode_max_depth(7)"#, b"OK:7"),
  (r#"local c = cjson.new() return tostring(c.encode_keep_buffer(false))"#, b"OK:false"),
  (r#"local c = cjson.new() return tostring(c.encode_keep_buffer('on'))"#, b"OK:true"),
  (r#"local c = cjson.new() return tostring(c.decode_invalid_numbers('off'))"#, b"OK:false"),
  (r#"return cjson._NAME .. ' ' .. cjson._VERSION"#, b"OK:cjson 2.1.0"),
  (r#"return tostring(cjson.null)"#, b"OK:userdata: (nil)"),
  (r#"return type(cjson.null)"#, b"OK:userdata"),
  (r#"return tostring(cjson.new() ~= cjson)"#, b"OK:true"),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('0x10')"#,
    b"ERR:user_script:1: Expected value but found invalid number at character 1",
  ),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('010')"#,
    b"ERR:user_script:1: Expected value but found invalid number at character 1",
  ),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('+1')"#,
    b"ERR:user_script:1: Expected value but found invalid token at character 1",
  ),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('inf')"#,
    b"ERR:user_script:1: Expected value but found invalid token at character 1",
  ),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('-inf')"#,
    b"ERR:user_script:1: Expected value but found invalid number at character 1",
  ),
  (r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('0')"#, b"OK:0"),
  (r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('-0.5')"#, b"OK:-0.5"),
  (r#"local c = cjson.new() c.decode_max_depth(2) return #c.decode('[[1]]')"#, b"OK:1"),
  (
    r#"local c = cjson.new() c.decode_max_depth(2) return c.decode('[[[1]]]')"#,
    b"ERR:user_script:1: Found too many nested data structures (3) at character 3",
  ),
  (
    r#"local c = cjson.new() c.decode_max_depth(2) return c.decode('  {"a":{"b":{}}}')"#,
    b"ERR:user_script:1: Found too many nested data structures (3) at character 13",
  ),
  (
    r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('[', 10000))"#,
    b"ERR:user_script:1: Found too many nested data structures (7999) at character 7999",
  ),
  (
    r#"local c = cjson.new() c.decode_max_depth(100000) return c.decode(string.rep('{"a":', 10000))"#,
    b"ERR:user_script:1: Found too many nested data structures (4000) at character 19996",
  ),
  (r#"local c = cjson.new() c.encode_number_precision(14) return c.encode(0.1 + 0.2)"#, b"OK:0.3"),
  (r#"local c = cjson.new() c.encode_number_precision(10) return c.encode(0.1 + 0.2)"#, b"OK:0.3"),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('[1,0x10]')"#,
    b"ERR:user_script:1: Expected value but found invalid number at character 4",
  ),
  (
    r#"local c = cjson.new() c.decode_invalid_numbers(false) return c.decode('Infinity')"#,
    b"ERR:user_script:1: Expected value but found invalid token at character 1",
  ),
];
