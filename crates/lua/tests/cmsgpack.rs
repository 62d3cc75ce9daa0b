//! `cmsgpack` gives scripts what Redis 7.0.15's gives them: each case runs a chunk after a
//! small prelude of helpers (`hex`, `show`, `all`, `try`) and compares the string it returns
//! with the string the same prelude and chunk return in redis-server's EVAL. The chunk is loaded
//! as `@user_script` on the line after the prelude, as EVAL loads a script, so error positions
//! agree too.

#![allow(non_snake_case)]

use redwing_lua::ffi::*;
use redwing_lua::libs::cmsgpack;
use redwing_lua::to_bytes;

const PRELUDE: &str = r#"local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end
local function show(v)
  local t = type(v)
  if t == 'table' then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return type(a) .. tostring(a) < type(b) .. tostring(b) end)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = show(k) .. '=' .. show(v[k]) end
    return '{' .. table.concat(parts, ',') .. '}'
  elseif t == 'string' then
    return string.format('%q', v)
  end
  return tostring(v)
end
local function all(...)
  local out = {}
  for i = 1, select('#', ...) do out[i] = show((select(i, ...))) end
  return select('#', ...) .. ':' .. table.concat(out, ' ')
end
local function try(f, ...)
  local result = { pcall(f, ...) }
  if result[1] then return 'ok ' .. tostring(result[2]) end
  return 'error ' .. tostring(result[2])
end
"#;

/// Runs `PRELUDE` then `chunk` in a state with Redis's libraries for scripts (base, table,
/// string, math and cmsgpack); returns the chunk's result as bytes, or its error.
fn run(chunk: &str) -> Result<Vec<u8>, String> {
  let code = format!("{PRELUDE}{chunk}");
  // SAFETY: the state is created, used from this thread only and closed here; every value read
  // from it is copied before the next call into Lua.
  unsafe {
    let L = luaL_newstate();
    let libraries: [lua_CFunction; 5] = [luaopen_base, luaopen_table, luaopen_string, luaopen_math, cmsgpack::open];
    for open in libraries {
      lua_pushcfunction(L, open);
      lua_call(L, 0, 0);
    }
    let loaded = luaL_loadbuffer(L, code.as_ptr().cast(), code.len(), c"@user_script".as_ptr());
    let status = if loaded == 0 { lua_pcall(L, 0, 1, 0) } else { loaded };
    let result = to_bytes(L, -1).map(<[u8]>::to_vec);
    lua_close(L);
    match (status, result) {
      (0, Some(bytes)) => Ok(bytes),
      (0, None) => Err("the chunk returned no string".into()),
      (_, message) => Err(String::from_utf8_lossy(&message.unwrap_or_default()).into_owned()),
    }
  }
}

/// One test per case: the chunk and what redis-server's EVAL returned for it.
macro_rules! cases {
  ($($name:ident: $chunk:literal => $expected:literal;)*) => {
    $(
      #[test]
      fn $name() {
        let expected: &[u8] = $expected;
        match run($chunk) {
          Ok(actual) => assert!(
            actual == expected,
            "{}\n  actual: {:?}\nexpected: {:?}",
            $chunk,
            String::from_utf8_lossy(&actual),
            String::from_utf8_lossy(expected)
          ),
          Err(error) => panic!("{}\nfailed: {error}", $chunk),
        }
      }
    )*
  };
}

cases! {
  pack_zero: r#"return hex(cmsgpack.pack(0))"# =>
    b"00";
  pack_fixint_max: r#"return hex(cmsgpack.pack(127))"# =>
    b"7f";
  pack_uint8_min: r#"return hex(cmsgpack.pack(128))"# =>
    b"cc80";
  pack_uint8_max: r#"return hex(cmsgpack.pack(255))"# =>
    b"ccff";
  pack_uint16_min: r#"return hex(cmsgpack.pack(256))"# =>
    b"cd0100";
  pack_uint16_max: r#"return hex(cmsgpack.pack(65535))"# =>
    b"cdffff";
  pack_uint32_min: r#"return hex(cmsgpack.pack(65536))"# =>
    b"ce00010000";
  pack_uint32_max: r#"return hex(cmsgpack.pack(4294967295))"# =>
    b"ceffffffff";
  pack_uint64_2_32: r#"return hex(cmsgpack.pack(2^32))"# =>
    b"cf0000000100000000";
  pack_uint64_2_53: r#"return hex(cmsgpack.pack(2^53))"# =>
    b"cf0020000000000000";
  pack_2_62: r#"return hex(cmsgpack.pack(2^62))"# =>
    b"cf4000000000000000";
  pack_2_63_is_double: r#"return hex(cmsgpack.pack(2^63))"# =>
    b"ca5f000000";
  pack_2_64_is_double: r#"return hex(cmsgpack.pack(2^64))"# =>
    b"ca5f800000";
  pack_neg_one: r#"return hex(cmsgpack.pack(-1))"# =>
    b"ff";
  pack_neg_fixint_min: r#"return hex(cmsgpack.pack(-32))"# =>
    b"e0";
  pack_int8_max: r#"return hex(cmsgpack.pack(-33))"# =>
    b"d0df";
  pack_int8_min: r#"return hex(cmsgpack.pack(-128))"# =>
    b"d080";
  pack_int16_max: r#"return hex(cmsgpack.pack(-129))"# =>
    b"d1ff7f";
  pack_int16_min: r#"return hex(cmsgpack.pack(-32768))"# =>
    b"d18000";
  pack_int32_max: r#"return hex(cmsgpack.pack(-32769))"# =>
    b"d2ffff7fff";
  pack_int32_min: r#"return hex(cmsgpack.pack(-2147483648))"# =>
    b"d280000000";
  pack_int64_max: r#"return hex(cmsgpack.pack(-2147483649))"# =>
    b"d3ffffffff7fffffff";
  pack_neg_2_53: r#"return hex(cmsgpack.pack(-2^53))"# =>
    b"d3ffe0000000000000";
  pack_neg_2_63: r#"return hex(cmsgpack.pack(-2^63))"# =>
    b"d38000000000000000";
  pack_neg_2_64_is_double: r#"return hex(cmsgpack.pack(-2^64))"# =>
    b"cadf800000";
  pack_negative_zero: r#"return hex(cmsgpack.pack(-0.0))"# =>
    b"00";
  pack_float32_half: r#"return hex(cmsgpack.pack(1.5))"# =>
    b"ca3fc00000";
  pack_float32_negative: r#"return hex(cmsgpack.pack(-0.25))"# =>
    b"cabe800000";
  pack_float64_tenth: r#"return hex(cmsgpack.pack(0.1))"# =>
    b"cb3fb999999999999a";
  pack_float64_pi: r#"return hex(cmsgpack.pack(math.pi))"# =>
    b"cb400921fb54442d18";
  pack_float_huge: r#"return hex(cmsgpack.pack(1e300))"# =>
    b"cb7e37e43c8800759c";
  pack_float_tiny: r#"return hex(cmsgpack.pack(1e-300))"# =>
    b"cb01a56e1fc2f8f359";
  pack_float32_max: r#"return hex(cmsgpack.pack(3.4028234663852886e38))"# =>
    b"ca7f7fffff";
  pack_infinity: r#"return hex(cmsgpack.pack(math.huge))"# =>
    b"ca7f800000";
  pack_negative_infinity: r#"return hex(cmsgpack.pack(-math.huge))"# =>
    b"caff800000";
  pack_nan: r#"return hex(cmsgpack.pack(0/0))"# =>
    b"cbfff8000000000000";
  pack_nil: r#"return hex(cmsgpack.pack(nil))"# =>
    b"c0";
  pack_true_false: r#"return hex(cmsgpack.pack(true, false))"# =>
    b"c3c2";
  pack_several_values: r#"return hex(cmsgpack.pack(1, 'a', nil, {2}))"# =>
    b"01a161c09102";
  pack_empty_string: r#"return hex(cmsgpack.pack(''))"# =>
    b"a0";
  pack_fixstr_max: r#"return hex(cmsgpack.pack(string.rep('x', 31)))"# =>
    b"bf78787878787878787878787878787878787878787878787878787878787878";
  pack_str8_min: r#"return hex(string.sub(cmsgpack.pack(string.rep('x', 32)), 1, 4))"# =>
    b"d9207878";
  pack_str8_max: r#"local p = cmsgpack.pack(string.rep('x', 255)) return hex(string.sub(p, 1, 3)) .. ' ' .. #p"# =>
    b"d9ff78 257";
  pack_str16_min: r#"local p = cmsgpack.pack(string.rep('x', 256)) return hex(string.sub(p, 1, 4)) .. ' ' .. #p"# =>
    b"da010078 259";
  pack_str16_max: r#"local p = cmsgpack.pack(string.rep('x', 65535)) return hex(string.sub(p, 1, 4)) .. ' ' .. #p"# =>
    b"daffff78 65538";
  pack_str32_min: r#"local p = cmsgpack.pack(string.rep('x', 65536)) return hex(string.sub(p, 1, 6)) .. ' ' .. #p"# =>
    b"db0001000078 65541";
  pack_binary_string: r#"return hex(cmsgpack.pack('\0\255\n'))"# =>
    b"a300ff0a";
  pack_function_is_nil: r#"return hex(cmsgpack.pack(string.len, function() end))"# =>
    b"c0c0";
  pack_coroutine_is_nil: r#"return hex(cmsgpack.pack(coroutine.create(function() end)))"# =>
    b"c0";
  pack_empty_table: r#"return hex(cmsgpack.pack({}))"# =>
    b"90";
  pack_array: r#"return hex(cmsgpack.pack({1, 2, 3}))"# =>
    b"93010203";
  pack_array_15: r#"local t = {} for i = 1, 15 do t[i] = i end return hex(cmsgpack.pack(t))"# =>
    b"9f0102030405060708090a0b0c0d0e0f";
  pack_array_16: r#"local t = {} for i = 1, 16 do t[i] = i end return hex(string.sub(cmsgpack.pack(t), 1, 5))"# =>
    b"dc00100102";
  pack_array_65535: r#"local t = {} for i = 1, 65535 do t[i] = 0 end local p = cmsgpack.pack(t) return hex(string.sub(p, 1, 4)) .. ' ' .. #p"# =>
    b"dcffff00 65538";
  pack_array_65536: r#"local t = {} for i = 1, 65536 do t[i] = 0 end local p = cmsgpack.pack(t) return hex(string.sub(p, 1, 6)) .. ' ' .. #p"# =>
    b"dd0001000000 65541";
  pack_array_from_hash_part: r#"local t = {} t[3] = 'c' t[1] = 'a' t[2] = 'b' return hex(cmsgpack.pack(t))"# =>
    b"93a161a162a163";
  pack_array_with_hole_is_map: r#"return hex(cmsgpack.pack({1, nil, 3}))"# =>
    b"8201010303";
  pack_zero_key_is_map: r#"return hex(cmsgpack.pack({[0] = 1}))"# =>
    b"810001";
  pack_fractional_key_is_map: r#"return hex(cmsgpack.pack({[1.5] = 1}))"# =>
    b"81ca3fc0000001";
  pack_negative_key_is_map: r#"return hex(cmsgpack.pack({[-1] = 1}))"# =>
    b"81ff01";
  pack_sparse_is_map: r#"return hex(cmsgpack.pack({[1] = 1, [3] = 3}))"# =>
    b"8201010303";
  pack_map_one_key: r#"return hex(cmsgpack.pack({a = 1}))"# =>
    b"81a16101";
  pack_map_order: r#"return hex(cmsgpack.pack({a = 1, b = 2, c = 3, hello = 'world', [10] = true}))"# =>
    b"85a16101a16303a162020ac3a568656c6c6fa5776f726c64";
  pack_mixed_table: r#"return hex(cmsgpack.pack({1, 2, x = 'y'}))"# =>
    b"8301010202a178a179";
  pack_map_16: r#"local t = {} for i = 1, 16 do t['k' .. i] = i end local p = cmsgpack.pack(t) return hex(string.sub(p, 1, 3)) .. ' ' .. #p"# =>
    b"de0010 74";
  pack_map_65536: r#"local t = {} for i = 1, 65536 do t[-i] = 0 end local p = cmsgpack.pack(t) return hex(string.sub(p, 1, 5)) .. ' ' .. #p"# =>
    b"df00010000 327525";
  pack_table_key: r#"return hex(cmsgpack.pack({[{1}] = 2}))"# =>
    b"81910102";
  pack_boolean_key: r#"return hex(cmsgpack.pack({[true] = false}))"# =>
    b"81c3c2";
  pack_nested: r#"return hex(cmsgpack.pack({1, {2, {3, {a = {}}}}}))"# =>
    b"92019202920381a16190";
  pack_nesting_16_kept: r#"local t = {} local c = t for i = 1, 15 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))"# =>
    b"91919191919191919191919191919190";
  pack_nesting_17_is_nil: r#"local t = {} local c = t for i = 1, 16 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))"# =>
    b"91919191919191919191919191919191c0";
  pack_nesting_deep: r#"local t = {} local c = t for i = 1, 40 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))"# =>
    b"91919191919191919191919191919191c0";
  pack_cycle: r#"local t = {} t[1] = t return hex(cmsgpack.pack(t))"# =>
    b"91919191919191919191919191919191c0";
  pack_map_cycle: r#"local t = {} t.self = t return hex(cmsgpack.pack(t))"# =>
    b"81a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c6681a473656c66c0";
  pack_nesting_in_map_keys: r#"local t = {} local c = t for i = 1, 17 do local n = {} c[n] = 1 c = n end return hex(cmsgpack.pack(t))"# =>
    b"81818181818181818181818181818181c001010101010101010101010101010101";
  pack_no_arguments: r#"return try(cmsgpack.pack)"# =>
    b"error bad argument #0 to '?' (MessagePack pack needs input.)";
  pack_no_arguments_named: r#"local ok, e = pcall(function() return cmsgpack.pack() end) return tostring(e)"# =>
    b"user_script:26: bad argument #0 to 'pack' (MessagePack pack needs input.)";
  pack_too_many_arguments: r#"local t = {} for i = 1, 4001 do t[i] = i end return try(function() return cmsgpack.pack(unpack(t)) end)"# =>
    b"error user_script:26: bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)";
  pack_4000_arguments: r#"local t = {} for i = 1, 4000 do t[i] = 1 end return #cmsgpack.pack(unpack(t)) .. ''"# =>
    b"4000";
  pack_many_arguments_nested_table: r#"local t = {} for i = 1, 4000 do t[i] = {1} end return try(function() return #cmsgpack.pack(unpack(t)) end)"# =>
    b"error user_script:26: stack overflow (in function table_is_an_array)";
  pack_many_arguments_map: r#"local t = {} for i = 1, 3999 do t[i] = 1 end t[4000] = {a = 1} return try(function() return #cmsgpack.pack(unpack(t)) end)"# =>
    b"error user_script:26: stack overflow (in function table_is_an_array)";
  unpack_fixint: r#"return all(cmsgpack.unpack('\5'))"# =>
    b"1:5";
  unpack_several: r#"return all(cmsgpack.unpack(cmsgpack.pack(1, -1, 'x', true, false, nil, 1.5)))"# =>
    b"7:1 -1 \"x\" true false nil 1.5";
  unpack_empty_input: r#"return all(cmsgpack.unpack(''))"# =>
    b"0:";
  unpack_number_argument: r#"return all(cmsgpack.unpack(5))"# =>
    b"1:53";
  unpack_extra_arguments: r#"return all(cmsgpack.unpack('\1\2', 'x', 'y'))"# =>
    b"2:1 2";
  unpack_uint8: r#"return all(cmsgpack.unpack('\204\255'))"# =>
    b"1:255";
  unpack_uint16: r#"return all(cmsgpack.unpack('\205\255\255'))"# =>
    b"1:65535";
  unpack_uint32: r#"return all(cmsgpack.unpack('\206\255\255\255\255'))"# =>
    b"1:4294967295";
  unpack_uint64_small: r#"return all(cmsgpack.unpack('\207\0\0\0\1\0\0\0\0'))"# =>
    b"1:4294967296";
  unpack_uint64_max_wraps: r#"return all(cmsgpack.unpack('\207\255\255\255\255\255\255\255\255'))"# =>
    b"1:-1";
  unpack_uint64_2_63_wraps: r#"return string.format('%.17g', cmsgpack.unpack('\207\128\0\0\0\0\0\0\0'))"# =>
    b"-9.2233720368547758e+18";
  unpack_int8: r#"return all(cmsgpack.unpack('\208\128'))"# =>
    b"1:-128";
  unpack_int16: r#"return all(cmsgpack.unpack('\209\128\1'))"# =>
    b"1:-32767";
  unpack_int16_positive: r#"return all(cmsgpack.unpack('\209\1\255'))"# =>
    b"1:511";
  unpack_int32: r#"return all(cmsgpack.unpack('\210\128\0\0\1'))"# =>
    b"1:-2147483647";
  unpack_int64: r#"return string.format('%.17g', cmsgpack.unpack('\211\128\0\0\0\0\0\0\0'))"# =>
    b"-9.2233720368547758e+18";
  unpack_negative_fixint: r#"return all(cmsgpack.unpack('\224\255'))"# =>
    b"2:-32 -1";
  unpack_float32: r#"return string.format('%.17g', cmsgpack.unpack('\202\61\204\204\205'))"# =>
    b"0.10000000149011612";
  unpack_float64: r#"return string.format('%.17g', cmsgpack.unpack(cmsgpack.pack(0.1)))"# =>
    b"0.10000000000000001";
  unpack_nan: r#"local v = cmsgpack.unpack(cmsgpack.pack(0/0)) return tostring(v ~= v)"# =>
    b"true";
  unpack_infinity: r#"return all(cmsgpack.unpack(cmsgpack.pack(math.huge, -math.huge)))"# =>
    b"2:inf -inf";
  unpack_str8: r#"return all(cmsgpack.unpack('\217\3abc'))"# =>
    b"1:\"abc\"";
  unpack_str16: r#"return all(cmsgpack.unpack('\218\0\3abc'))"# =>
    b"1:\"abc\"";
  unpack_str32: r#"return all(cmsgpack.unpack('\219\0\0\0\3abc'))"# =>
    b"1:\"abc\"";
  unpack_long_string_round_trip: r#"local s = string.rep('ab', 40000) return tostring(cmsgpack.unpack(cmsgpack.pack(s)) == s)"# =>
    b"true";
  unpack_array: r#"return all(cmsgpack.unpack('\147\1\2\3'))"# =>
    b"1:{1=1,2=2,3=3}";
  unpack_array_with_nil: r#"return all(cmsgpack.unpack('\147\1\192\3'))"# =>
    b"1:{1=1,3=3}";
  unpack_array16: r#"return all(cmsgpack.unpack('\220\0\2\1\2'))"# =>
    b"1:{1=1,2=2}";
  unpack_array32: r#"return all(cmsgpack.unpack('\221\0\0\0\2\1\2'))"# =>
    b"1:{1=1,2=2}";
  unpack_map: r#"return all(cmsgpack.unpack('\130\161a\1\161b\2'))"# =>
    b"1:{\"a\"=1,\"b\"=2}";
  unpack_map16: r#"return all(cmsgpack.unpack('\222\0\1\1\2'))"# =>
    b"1:{1=2}";
  unpack_map32: r#"return all(cmsgpack.unpack('\223\0\0\0\1\1\2'))"# =>
    b"1:{1=2}";
  unpack_map_duplicate_keys: r#"return all(cmsgpack.unpack('\130\1\2\1\3'))"# =>
    b"1:{1=3}";
  unpack_map_nil_value: r#"return all(cmsgpack.unpack('\130\1\2\1\192'))"# =>
    b"1:{}";
  unpack_map_nil_key: r#"return try(cmsgpack.unpack, '\129\192\1')"# =>
    b"error table index is nil";
  unpack_map_nan_key: r#"return try(cmsgpack.unpack, '\129\203\255\248\0\0\0\0\0\0\1')"# =>
    b"error table index is NaN";
  unpack_map_nil_key_missing_value: r#"return try(cmsgpack.unpack, '\129\192')"# =>
    b"error Missing bytes in input.";
  unpack_nested: r#"return all(cmsgpack.unpack(cmsgpack.pack({1, {2, {x = {3}}}, 'z'})))"# =>
    b"1:{1=1,2={1=2,2={\"x\"={1=3}}},3=\"z\"}";
  unpack_round_trip_map: r#"return all(cmsgpack.unpack(cmsgpack.pack({a = 1, b = {c = 'd'}, [5] = false})))"# =>
    b"1:{5=false,\"a\"=1,\"b\"={\"c\"=\"d\"}}";
  unpack_empty_containers: r#"return all(cmsgpack.unpack('\144\128'))"# =>
    b"2:{} {}";
  unpack_truncated_int: r#"return try(cmsgpack.unpack, '\205\1')"# =>
    b"error Missing bytes in input.";
  unpack_truncated_string: r#"return try(cmsgpack.unpack, '\163ab')"# =>
    b"error Missing bytes in input.";
  unpack_truncated_str32_header: r#"return try(cmsgpack.unpack, '\219\0\0')"# =>
    b"error Missing bytes in input.";
  unpack_truncated_array: r#"return try(cmsgpack.unpack, '\146\1')"# =>
    b"error Missing bytes in input.";
  unpack_truncated_map: r#"return try(cmsgpack.unpack, '\129\1')"# =>
    b"error Missing bytes in input.";
  unpack_huge_array_header: r#"return try(cmsgpack.unpack, '\221\255\255\255\255\1')"# =>
    b"error Missing bytes in input.";
  unpack_bad_c1: r#"return try(cmsgpack.unpack, '\193')"# =>
    b"error Bad data format in input.";
  unpack_bin8_is_bad: r#"return try(cmsgpack.unpack, '\196\1a')"# =>
    b"error Bad data format in input.";
  unpack_bin16_is_bad: r#"return try(cmsgpack.unpack, '\197\0\1a')"# =>
    b"error Bad data format in input.";
  unpack_ext8_is_bad: r#"return try(cmsgpack.unpack, '\199\1\1a')"# =>
    b"error Bad data format in input.";
  unpack_fixext1_is_bad: r#"return try(cmsgpack.unpack, '\212\1\1')"# =>
    b"error Bad data format in input.";
  unpack_bad_after_good: r#"return try(cmsgpack.unpack, '\1\2\212')"# =>
    b"error Bad data format in input.";
  unpack_bad_inside_array: r#"return try(cmsgpack.unpack, '\146\1\193')"# =>
    b"error Bad data format in input.";
  unpack_no_argument: r#"return try(cmsgpack.unpack)"# =>
    b"error bad argument #1 to '?' (string expected, got no value)";
  unpack_table_argument: r#"return try(cmsgpack.unpack, {})"# =>
    b"error bad argument #1 to '?' (string expected, got table)";
  unpack_too_many_values: r#"return try(cmsgpack.unpack, string.rep('\1', 8000))"# =>
    b"error stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)";
  unpack_7999_values: r#"return select('#', cmsgpack.unpack(string.rep('\1', 7999))) .. ''"# =>
    b"7999";
  unpack_deep_arrays: r#"return try(cmsgpack.unpack, string.rep('\145', 5000))"# =>
    b"error stack overflow (in function mp_decode_to_lua_array)";
  unpack_deep_arrays_fit: r#"local v = cmsgpack.unpack(string.rep('\145', 3000) .. '\1') local d = 0 while type(v) == 'table' do v = v[1] d = d + 1 end return d .. ' ' .. v"# =>
    b"3000 1";
  unpack_deep_map_keys: r#"return try(cmsgpack.unpack, string.rep('\129', 9000))"# =>
    b"error stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)";
  unpack_deep_map_values: r#"return try(cmsgpack.unpack, string.rep('\129\1', 5000))"# =>
    b"error stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)";
  unpack_one_first: r#"return all(cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3)))"# =>
    b"2:1 1";
  unpack_one_offset: r#"return all(cmsgpack.unpack_one(cmsgpack.pack(1, 'ab', 3), 1))"# =>
    b"2:4 \"ab\"";
  unpack_one_last: r#"return all(cmsgpack.unpack_one(cmsgpack.pack(1, 'ab', 3), 4))"# =>
    b"2:-1 3";
  unpack_one_at_end: r#"return all(cmsgpack.unpack_one(cmsgpack.pack(1, 2), 2))"# =>
    b"1:-1";
  unpack_one_empty: r#"return all(cmsgpack.unpack_one(''))"# =>
    b"1:-1";
  unpack_one_past_end: r#"return try(cmsgpack.unpack_one, '\1\2', 3)"# =>
    b"error Start offset 3 greater than input length 2.";
  unpack_one_negative_offset: r#"return try(cmsgpack.unpack_one, '\1\2\3', -1)"# =>
    b"error Invalid request to unpack with offset of -1 and limit of 3.";
  unpack_one_fractional_offset: r#"return all(cmsgpack.unpack_one('\1\2\3', 1.9))"# =>
    b"2:2 2";
  unpack_one_string_offset: r#"return all(cmsgpack.unpack_one('\1\2\3', '2'))"# =>
    b"2:-1 3";
  unpack_one_bad_offset: r#"return try(cmsgpack.unpack_one, '\1', 'x')"# =>
    b"error bad argument #2 to '?' (number expected, got string)";
  unpack_one_nil_offset: r#"return all(cmsgpack.unpack_one('\1\2', nil))"# =>
    b"2:1 1";
  unpack_one_no_argument: r#"return try(cmsgpack.unpack_one)"# =>
    b"error bad argument #1 to '?' (string expected, got no value)";
  unpack_one_nil_argument: r#"return try(cmsgpack.unpack_one, nil, 1)"# =>
    b"error bad argument #1 to '?' (string expected, got nil)";
  unpack_one_truncated: r#"return try(cmsgpack.unpack_one, '\1\205', 1)"# =>
    b"error Missing bytes in input.";
  unpack_one_walk: r#"local s = cmsgpack.pack({1}, 'x', {a = 2}) local off, out = 0, {} while off ~= -1 do local v off, v = cmsgpack.unpack_one(s, off) out[#out + 1] = show(v) .. '@' .. off end return table.concat(out, ' ')"# =>
    b"{1=1}@2 \"x\"@4 {\"a\"=2}@-1";
  unpack_limit_two: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2))"# =>
    b"3:2 1 2";
  unpack_limit_all: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 5))"# =>
    b"4:-1 1 2 3";
  unpack_limit_offset: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 1, 2))"# =>
    b"2:-1 3";
  unpack_limit_zero_decodes_all: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0))"# =>
    b"3:1 2 3";
  unpack_limit_zero_with_offset: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 1))"# =>
    b"1:1";
  unpack_limit_zero_at_end: r#"return all(cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 3))"# =>
    b"1:-1";
  unpack_limit_negative: r#"return try(cmsgpack.unpack_limit, '\1\2\3\4', -1)"# =>
    b"error Invalid request to unpack with offset of 0 and limit of 4.";
  unpack_limit_negative_offset: r#"return try(cmsgpack.unpack_limit, '\1\2', 1, -5)"# =>
    b"error Invalid request to unpack with offset of -5 and limit of 2.";
  unpack_limit_offset_past_end: r#"return try(cmsgpack.unpack_limit, '\1\2', 1, 7)"# =>
    b"error Start offset 7 greater than input length 2.";
  unpack_limit_no_limit: r#"return try(cmsgpack.unpack_limit, '\1')"# =>
    b"error bad argument #2 to '?' (number expected, got no value)";
  unpack_limit_huge_offset: r#"return try(cmsgpack.unpack_limit, '\1', 1, 2^40 + 7)"# =>
    b"error Start offset 7 greater than input length 1.";
  unpack_limit_huge_limit: r#"return all(cmsgpack.unpack_limit('\1\2', 2^40))"# =>
    b"3:-1 1 2";
  unpack_limit_7999: r#"return try(function() return select('#', cmsgpack.unpack_limit(string.rep('\1', 8000), 7999)) end)"# =>
    b"error user_script:26: stack overflow (in function mp_unpack_full)";
  unpack_limit_bad_data: r#"return try(cmsgpack.unpack_limit, '\1\193', 2)"# =>
    b"error Bad data format in input.";
  info_fields: r#"return cmsgpack._NAME .. '|' .. cmsgpack._VERSION .. '|' .. cmsgpack._COPYRIGHT .. '|' .. cmsgpack._DESCRIPTION"# =>
    b"cmsgpack|lua-cmsgpack 0.4.0|Copyright (C) 2012, Salvatore Sanfilippo|MessagePack C implementation for Lua";
  library_keys: r#"local k = {} for name in pairs(cmsgpack) do k[#k + 1] = name end table.sort(k) return table.concat(k, ',')"# =>
    b"_COPYRIGHT,_DESCRIPTION,_NAME,_VERSION,pack,unpack,unpack_limit,unpack_one";
  located_bad_format: r#"local ok, e = pcall(function() local v = cmsgpack.unpack('\193') return v end) return e"# =>
    b"user_script:26: Bad data format in input.";
  located_missing_bytes_tail_call: r#"local ok, e = pcall(function() return cmsgpack.unpack('\146') end) return e"# =>
    b"user_script:26: Missing bytes in input.";
  located_start_offset: r#"local ok, e = pcall(function() local a, b = cmsgpack.unpack_one('', 1) return a end) return e"# =>
    b"user_script:26: Start offset 1 greater than input length 0.";
  located_invalid_request: r#"local ok, e = pcall(function() local a, b = cmsgpack.unpack_limit('xy', -2) return a end) return e"# =>
    b"user_script:26: Invalid request to unpack with offset of 0 and limit of 2.";
  located_stack_overflow: r#"local ok, e = pcall(function() local a = cmsgpack.unpack(string.rep('\1', 9000)) return a end) return e"# =>
    b"user_script:26: stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)";
  located_table_index_is_nil: r#"local ok, e = pcall(function() local a = cmsgpack.unpack('\129\192\1') return a end) return e"# =>
    b"table index is nil";
  located_argument_error: r#"local ok, e = pcall(function() local a = cmsgpack.unpack_one({}) return a end) return e"# =>
    b"user_script:26: bad argument #1 to 'unpack_one' (string expected, got table)";
  located_method_call: r#"local ok, e = pcall(function() local a = cmsgpack:unpack() return a end) return e"# =>
    b"user_script:26: calling 'unpack' on bad self (string expected, got table)";
  pack_map_16_order: r#"local t = {} for i = 1, 16 do t['k' .. i] = i end return hex(cmsgpack.pack(t))"# =>
    b"de0010a36b31320ca36b313610a26b3909a26b3808a26b3101a36b31350fa26b3303a26b3202a36b31340ea36b31330da36b31300aa36b31310ba26b3606a26b3707a26b3404a26b3505";
  pack_map_100_order: r#"local t = {} for i = 1, 100 do t['field:' .. i] = i * 3 end return hex(cmsgpack.pack(t))"# =>
    b"de0064a86669656c643a323854a86669656c643a313733a86669656c643a323751a86669656c643a32364ea86669656c643a3437cc8da86669656c643a3436cc8aa86669656c643a333260a86669656c643a3633ccbda86669656c643a333872a86669656c643a3930cd010ea86669656c643a3831ccf3a86669656c643a3732ccd8a86669656c643a3439cc93a86669656c643a333466a86669656c643a3932cd0114a86669656c643a313224a86669656c643a323242a86669656c643a3536cca8a86669656c643a3534cca2a76669656c643a391ba86669656c643a3737cce7a86669656c643a333569a86669656c643a3837cd0105a86669656c643a3730ccd2a86669656c643a3836cd0102a86669656c643a3533cc9fa96669656c643a313030cd012ca86669656c643a3734ccdea86669656c643a313327a86669656c643a3636ccc6a86669656c643a33315da86669656c643a3939cd0129a86669656c643a3733ccdba86669656c643a3938cd0126a86669656c643a33376fa86669656c643a3434cc84a86669656c643a3538ccaea86669656c643a32354ba86669656c643a34327ea86669656c643a3736cce4a86669656c643a3935cd011da86669656c643a3934cd011aa86669656c643a3634ccc0a86669656c643a333975a86669656c643a3532cc9ca86669656c643a343078a86669656c643a31301ea76669656c643a3309a86669656c643a3631ccb7a76669656c643a340ca86669656c643a3839cd010ba86669656c643a3731ccd5a86669656c643a313630a86669656c643a34317ba86669656c643a3838cd0108a86669656c643a3835ccffa86669656c643a32313fa76669656c643a3715a86669656c643a3435cc87a86669656c643a3635ccc3a86669656c643a3539ccb1a86669656c643a3630ccb4a86669656c643a3433cc81a86669656c643a3531cc99a86669656c643a323345a86669656c643a3739cceda86669656c643a3832ccf6a86669656c643a3830ccf0a86669656c643a3833ccf9a86669656c643a313939a86669656c643a3738cceaa86669656c643a333363a86669656c643a33305aa86669656c643a3735cce1a86669656c643a3530cc96a76669656c643a3612a86669656c643a3639cccfa86669656c643a3638cccca86669656c643a3637ccc9a86669656c643a32303ca86669656c643a3632ccbaa86669656c643a31342aa76669656c643a3818a76669656c643a350fa86669656c643a313836a86669656c643a3931cd0111a86669656c643a323448a86669656c643a313121a86669656c643a3537ccaba86669656c643a323957a86669656c643a31352da86669656c643a3933cd0117a86669656c643a33366ca86669656c643a3438cc90a86669656c643a3936cd0120a86669656c643a3834ccfca86669656c643a3535cca5a76669656c643a3206a86669656c643a3937cd0123a76669656c643a3103";
  pack_map_mixed_key_order: r#"local t = {} for i = 1, 40 do t[i * 7 - 100] = i t['s' .. i] = -i t[i + 0.5] = true end return hex(cmsgpack.pack(t))"# =>
    b"de0078ca41f40000c3a3733133f37c20ca41fc0000c3e20aa27335fba3733136f0ca41080000c3a27339f7ca420a0000c3fe0eca420e0000c3ca42120000c3a3733339d0d9ca41180000c3a3733138eecc9824ca40200000c3f70d2814ca42220000c3d0db09ca41280000c3a3733130f6a27331ffa3733237e5ca41380000c3a3733233e92f150c10d0d408a3733230ecccb428ca41480000c3ca421e0000c3a27338f8ccad27ca421a0000c3671dcca626ca42160000c3ca41580000c33616a3733337d0dbd0cd07cc9f25a3733336d0dca3733335d0dda3733238e4ca41680000c3cc9123a3733334d0decc8a22ca42060000c3ca42020000c3cc83213d17ca41780000c3d0c606a3733333d0dfa3733332e0a27337f9a3733331e1ca41840000c3a3733132f4751f4418ca418c0000c3ca40900000c3f00ca3733330e2ca41940000c3ca40600000c31311ca41ec0000c3a3733135f1050fa3733137efd0b804ca41a40000c3521aa3733338d0daa3733134f2a3733139edca40b00000c3d0b103a27333fdca41b40000c3a3733131f54b19a3733232eaca3fc00000c3d0aa02591b601cca41c40000c3a3733236e6e90bca41cc0000c3d0a301ca40d00000c31a12ca41bc0000c3ca41d40000c3a3733231eba3733239e3a3733235e7ca41dc0000c36e1eca41ac0000c3a3733430d0d8ca41e40000c3ca419c0000c3d0bf052113a3733234e8ca40f00000c3a27336faa27334fca27332fe";
}
