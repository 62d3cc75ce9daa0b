//! The `struct` library behaves as in redis-server 7.0.15: each expression's rendering (see
//! `common`) is the one redis-server gave for the same script.

mod common;

use common::check;

/// Integers in every size and byte order, wrapping to their width.
#[test]
fn packs_integers() {
  check(&[
    (r#"struct.pack("b", 1)"#, r#""\x01""#),
    (r#"struct.pack("b", -1)"#, r#""\xff""#),
    (r#"struct.pack("B", 255)"#, r#""\xff""#),
    (r#"struct.pack("B", 256)"#, r#""\x00""#),
    (r#"struct.pack("b", 200)"#, r#""\xc8""#),
    (r#"struct.pack("<h", 0x1234)"#, r#""4\x12""#),
    (r#"struct.pack(">h", 0x1234)"#, r#""\x124""#),
    (r#"struct.pack("h", -2)"#, r#""\xfe\xff""#),
    (r#"struct.pack("<H", 65535)"#, r#""\xff\xff""#),
    (r#"struct.pack("<l", 1)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack(">L", 1)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x01""#),
    (r#"struct.pack("<T", 258)"#, r#""\x02\x01\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("i", 1)"#, r#""\x01\x00\x00\x00""#),
    (r#"struct.pack(">i", -1)"#, r#""\xff\xff\xff\xff""#),
    (r#"struct.pack("<I3", 0x123456)"#, r#""V4\x12""#),
    (r#"struct.pack(">I3", 0x123456)"#, r#""\x124V""#),
    (r#"struct.pack("<i16", -1)"#, r#""\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack(">i16", -1)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff""#),
    (r#"struct.pack("<i0", 5)"#, r#""""#),
    (
      r#"struct.pack("i32", 1)"#,
      r#""\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00""#,
    ),
    (r#"struct.pack("<l", 1.9)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<l", -1.9)"#, r#""\xff\xff\xff\xff\xff\xff\xff\xff""#),
    (r#"struct.pack("b", "12")"#, r#""\x0c""#),
    (r#"struct.pack("<i", 2^31)"#, r#""\x00\x00\x00\x80""#),
    (r#"struct.pack(">I", -1)"#, r#""\xff\xff\xff\xff""#),
  ]);
}

/// Numbers beyond 64 bits, infinities and NaN.
#[test]
fn packs_out_of_range_integers() {
  check(&[
    (r#"struct.pack("<L", 2^63)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<L", 2^63 + 2^11)"#, r#""\x00\x08\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<L", 2^64)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<L", 2^65)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<L", 1e300)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<l", -1e300)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<L", 1/0)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<l", -1/0)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<L", 0/0)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<l", -2^63)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<l", -2^63 - 2^12)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("<l", 2^64 + 2^13)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x00""#),
  ]);
}

/// f, d, s, c and x.
#[test]
fn packs_floats_strings_and_padding() {
  check(&[
    (r#"struct.pack("<d", 1.5)"#, r#""\x00\x00\x00\x00\x00\x00\xf8?""#),
    (r#"struct.pack(">d", 1.5)"#, r#""?\xf8\x00\x00\x00\x00\x00\x00""#),
    (r#"struct.pack("<f", 1.5)"#, r#""\x00\x00\xc0?""#),
    (r#"struct.pack(">f", -2.25)"#, r#""\xc0\x10\x00\x00""#),
    (r#"struct.pack("<f", 1e300)"#, r#""\x00\x00\x80\x7f""#),
    (r#"struct.pack("<f", 0.1)"#, r#""\xcd\xcc\xcc=""#),
    (r#"struct.pack("<d", -0/1)"#, r#""\x00\x00\x00\x00\x00\x00\x00\x80""#),
    (r#"struct.pack("s", "abc")"#, r#""abc\x00""#),
    (r#"struct.pack("s", "a\0b")"#, r#""a\x00b\x00""#),
    (r#"struct.pack("s", 12)"#, r#""12\x00""#),
    (r#"struct.pack("c", "abc")"#, r#""a""#),
    (r#"struct.pack("c0", "abc")"#, r#""abc""#),
    (r#"struct.pack("c3", "abcdef")"#, r#""abc""#),
    (r#"struct.pack("c0", "")"#, r#""""#),
    (r#"struct.pack("c2", 1234)"#, r#""12""#),
    (r#"struct.pack("x")"#, r#""\x00""#),
    (r#"struct.pack("bxb", 1, 2)"#, r#""\x01\x00\x02""#),
    (r#"struct.pack("b b  b", 1, 2, 3)"#, r#""\x01\x02\x03""#),
    (r#"struct.pack("", 1)"#, r#""""#),
    (r#"struct.pack("b\0b", 1, 2)"#, r#""\x01""#),
    (r#"struct.pack("<>b<h", 1, 2)"#, r#""\x01\x02\x00""#),
  ]);
}

/// ![n] aligns items to min(size, n); c is never aligned.
#[test]
fn packs_with_alignment() {
  check(&[
    (r#"struct.pack("<!4 b i", 1, 2)"#, r#""\x01\x00\x00\x00\x02\x00\x00\x00""#),
    (r#"struct.pack("!4 b d", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@""#),
    (r#"struct.pack("! b d", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@""#),
    (r#"struct.pack("!2 b d", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00\x00@""#),
    (
      r#"struct.pack("!8 b h i l", 1, 2, 3, 4)"#,
      r#""\x01\x00\x02\x00\x03\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00""#,
    ),
    (r#"struct.pack("!8 b I3", 1, 2)"#, r#""\x01\x00\x00\x02\x00\x00""#),
    (r#"struct.pack("!4 b bI3", 1, 2, 3)"#, r#""\x01\x02\x03\x00\x00""#),
    (r#"struct.pack("!4 b c3", 1, "abc")"#, r#""\x01abc""#),
    (r#"struct.pack("!4 b s", 1, "abc")"#, r#""\x01abc\x00""#),
    (r#"struct.pack("!4 b f", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00@""#),
    (r#"struct.pack("!16 b d", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@""#),
    (r#"struct.pack("!1 b d", 1, 2)"#, r#""\x01\x00\x00\x00\x00\x00\x00\x00@""#),
    (r#"struct.pack("!8 b x i", 1, 2)"#, r#""\x01\x00\x00\x00\x02\x00\x00\x00""#),
  ]);
}

/// Format limits and argument errors.
#[test]
fn pack_errors() {
  check(&[
    (r#"struct.pack("i33", 1)"#, r#"err: user_script:19: integral size 33 is larger than limit of 32"#),
    (r#"struct.pack("I33", 1)"#, r#"err: user_script:19: integral size 33 is larger than limit of 32"#),
    (r#"struct.pack("i99999999999", 1)"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.pack("i2147483647", 1)"#, r#"err: user_script:19: integral size 2147483647 is larger than limit of 32"#),
    (r#"struct.pack("i2147483648", 1)"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.pack("c2147483647", "a")"#, r#"err: user_script:19: bad argument #3 to 'pack' (string too short)"#),
    (r#"struct.pack("c2147483648", "a")"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.pack("!3 b f", 1, 2)"#, r#"err: user_script:19: alignment 3 is not a power of 2"#),
    (r#"struct.pack("!0 b", 1)"#, r#"err: user_script:19: alignment 0 is not a power of 2"#),
    (r#"struct.pack("!6", 1)"#, r#"err: user_script:19: alignment 6 is not a power of 2"#),
    (r#"struct.pack("!99999999999", 1)"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.pack("=b", 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option '=')"#),
    (r#"struct.pack("z", 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option 'z')"#),
    (r#"struct.pack("5", 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option '5')"#),
    (r#"struct.pack("\255", 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option '\xff')"#),
    (r#"struct.pack("%", 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option '\x25')"#),
    (r#"struct.pack(12, 1)"#, r#"err: user_script:19: bad argument #1 to 'pack' (invalid format option '1')"#),
    (r#"struct.pack("c5", "ab")"#, r#"err: user_script:19: bad argument #3 to 'pack' (string too short)"#),
    (r#"struct.pack("bc5", 1, "ab")"#, r#"err: user_script:19: bad argument #4 to 'pack' (string too short)"#),
    (r#"struct.pack("c", "")"#, r#"err: user_script:19: bad argument #3 to 'pack' (string too short)"#),
    (r#"struct.pack("b", "x")"#, r#"err: user_script:19: bad argument #2 to 'pack' (number expected, got string)"#),
    (r#"struct.pack("b")"#, r#"err: user_script:19: bad argument #2 to 'pack' (number expected, got nil)"#),
    (r#"struct.pack("bb", 1)"#, r#"err: user_script:19: bad argument #3 to 'pack' (number expected, got nil)"#),
    (r#"struct.pack("b", {})"#, r#"err: user_script:19: bad argument #2 to 'pack' (number expected, got table)"#),
    (r#"struct.pack("d", nil)"#, r#"err: user_script:19: bad argument #2 to 'pack' (number expected, got nil)"#),
    (r#"struct.pack("f", true)"#, r#"err: user_script:19: bad argument #2 to 'pack' (number expected, got boolean)"#),
    (r#"struct.pack("s")"#, r#"err: user_script:19: bad argument #2 to 'pack' (string expected, got nil)"#),
    (r#"struct.pack("s", {})"#, r#"err: user_script:19: bad argument #2 to 'pack' (string expected, got table)"#),
    (r#"struct.pack(nil)"#, r#"err: user_script:19: bad argument #1 to 'pack' (string expected, got nil)"#),
    (r#"struct.pack()"#, r#"err: user_script:19: bad argument #1 to 'pack' (string expected, got no value)"#),
    (r#"pcall(struct.pack, "bc5", 1, "ab")"#, r#"false, "bad argument #4 to '?' (string too short)""#),
    (r#"pcall(struct.pack, "i33", 1)"#, r#"false, "integral size 33 is larger than limit of 32""#),
    (r#"pcall(struct.pack, "bb", 1)"#, r#"false, "bad argument #3 to '?' (number expected, got nil)""#),
    (r#"struct:pack("b")"#, r#"err: user_script:19: calling 'pack' on bad self (string expected, got table)"#),
    (
      r#"(function() local s = {} s.f = struct.pack return s.f("c3", "a") end)()"#,
      r#"err: user_script:19: bad argument #3 to 'f' (string too short)"#,
    ),
  ]);
}

/// Integers of every size, signed and unsigned, followed by the next position.
#[test]
fn unpacks_integers() {
  check(&[
    (r#"struct.unpack("b", "\255")"#, r#"-1, 2"#),
    (r#"struct.unpack("B", "\255")"#, r#"255, 2"#),
    (r#"struct.unpack("<h", "\1\2")"#, r#"513, 3"#),
    (r#"struct.unpack(">h", "\1\2")"#, r#"258, 3"#),
    (r#"struct.unpack("<H", "\255\255")"#, r#"65535, 3"#),
    (r#"struct.unpack("<h", "\255\255")"#, r#"-1, 3"#),
    (r#"struct.unpack("<i", "\1\0\0\0")"#, r#"1, 5"#),
    (r#"struct.unpack(">I", "\255\255\255\255")"#, r#"4294967295, 5"#),
    (r#"struct.unpack(">i", "\255\255\255\255")"#, r#"-1, 5"#),
    (r#"struct.unpack("<l", "\255\255\255\255\255\255\255\255")"#, r#"-1, 9"#),
    (r#"struct.unpack("<L", "\255\255\255\255\255\255\255\255")"#, r#"1.8446744073709552e+19, 9"#),
    (r#"struct.unpack("<L", "\0\0\0\0\0\0\0\128")"#, r#"9.2233720368547758e+18, 9"#),
    (r#"struct.unpack("<l", "\0\0\0\0\0\0\0\128")"#, r#"-9.2233720368547758e+18, 9"#),
    (r#"struct.unpack("<T", "\1\0\0\0\0\0\0\0")"#, r#"1, 9"#),
    (r#"struct.unpack("<i3", "\255\255\255")"#, r#"-1, 4"#),
    (r#"struct.unpack("<I3", "\1\2\3")"#, r#"197121, 4"#),
    (r#"struct.unpack(">i3", "\128\0\0")"#, r#"-8388608, 4"#),
    (r#"struct.unpack("b", 12)"#, r#"49, 2"#),
    (r#"struct.unpack("b b b", "abc")"#, r#"97, 98, 99, 4"#),
    (r#"struct.unpack("b\0b", "abc")"#, r#"97, 2"#),
  ]);
}

/// The last eight bytes read count; the sign bit is bit (8 * size - 1) mod 64.
#[test]
fn unpacks_integers_wider_than_64_bits() {
  check(&[
    (r#"struct.unpack("<i0", "")"#, r#"0, 1"#),
    (r#"struct.unpack("<I0", "abc")"#, r#"0, 1"#),
    (r#"struct.unpack("<i9", "\255\0\0\0\0\0\0\0\0")"#, r#"-1, 10"#),
    (r#"struct.unpack("<i9", "\127\0\0\0\0\0\0\0\0")"#, r#"127, 10"#),
    (r#"struct.unpack("<i9", "\128\0\0\0\0\0\0\0\0")"#, r#"-128, 10"#),
    (r#"struct.unpack(">i9", "\0\0\0\0\0\0\0\0\128")"#, r#"-128, 10"#),
    (r#"struct.unpack("<i16", string.rep("\255", 8) .. string.rep("\0", 8))"#, r#"-1, 17"#),
    (r#"struct.unpack(">i16", string.rep("\0", 8) .. string.rep("\255", 8))"#, r#"-1, 17"#),
    (r#"struct.unpack("<I16", string.rep("\1", 16))"#, r#"72340172838076672, 17"#),
    (r#"struct.unpack("<i10", "\0\2" .. string.rep("\0", 8))"#, r#"512, 11"#),
    (r#"struct.unpack("<i10", "\0\128" .. string.rep("\0", 8))"#, r#"-32768, 11"#),
    (r#"struct.unpack("<i12", "\0\0\0\8" .. string.rep("\0", 8))"#, r#"134217728, 13"#),
    (r#"struct.unpack("<i12", "\0\0\0\128" .. string.rep("\0", 8))"#, r#"-2147483648, 13"#),
    (r#"struct.unpack(">i32", string.rep("\0", 31) .. "\1")"#, r#"1, 33"#),
  ]);
}

/// f, d, s, c, c0 and x.
#[test]
fn unpacks_floats_strings_and_padding() {
  check(&[
    (r#"struct.unpack("<d", struct.pack("<d", 1.5))"#, r#"1.5, 9"#),
    (r#"struct.unpack(">d", struct.pack(">d", -3.25))"#, r#"-3.25, 9"#),
    (r#"struct.unpack("<f", struct.pack("<f", 0.1))"#, r#"0.10000000149011612, 5"#),
    (r#"struct.unpack(">f", struct.pack(">f", 2.5))"#, r#"2.5, 5"#),
    (r#"struct.unpack(">f", "\127\128\0\0")"#, r#"inf, 5"#),
    (r#"struct.unpack("s", "abc\0def")"#, r#""abc", 5"#),
    (r#"struct.unpack("ss", "abc\0def\0")"#, r#""abc", "def", 9"#),
    (r#"struct.unpack("c3", "abcdef")"#, r#""abc", 4"#),
    (r#"struct.unpack("c", "abc")"#, r#""a", 2"#),
    (r#"struct.unpack("bc0", "\3abcdef")"#, r#""abc", 5"#),
    (r#"struct.unpack("c1c0", "3abcd")"#, r#""abc", 5"#),
    (r#"struct.unpack("bxc0", "\2xyz")"#, r#""yz", 5"#),
    (r#"struct.unpack("dc0", struct.pack("d", 2.9) .. "abc")"#, r#""ab", 11"#),
    (r#"struct.unpack("dc0", struct.pack("d", 1/0) .. "abc")"#, r#""", 9"#),
    (r#"struct.unpack("bxb", "\1\2\3")"#, r#"1, 3, 4"#),
    (r#"struct.unpack("xxx", "abc")"#, r#"4"#),
    (r#"struct.unpack("!8 b d", struct.pack("!8 b d", 7, 1.25))"#, r#"7, 1.25, 17"#),
    (r#"struct.unpack("!4 b i", "\1\0\0\0\2\0\0\0")"#, r#"1, 2, 9"#),
    (r#"struct.unpack("!4 b I3", "\1\0\0\2\0\0")"#, r#"1, 2, 7"#),
  ]);
}

/// The optional third argument, 1-based.
#[test]
fn unpacks_from_a_start_position() {
  check(&[
    (r#"struct.unpack("b", "\1\2\3", 2)"#, r#"2, 3"#),
    (r#"struct.unpack("b", "\1\2\3", 3)"#, r#"3, 4"#),
    (r#"struct.unpack("", "\1\2\3", 4)"#, r#"4"#),
    (r#"struct.unpack("", "\1\2\3", 5)"#, r#"5"#),
    (r#"struct.unpack("", "\1\2\3", -5)"#, r#"-5"#),
    (r#"struct.unpack("b", "\1\2\3", 1.9)"#, r#"1, 2"#),
    (r#"struct.unpack("b", "\1\2\3", "2")"#, r#"2, 3"#),
    (r#"struct.unpack("b", "\1\2\3", nil)"#, r#"1, 2"#),
    (r#"struct.unpack("!4 i", "\1\2\3\4\5\6\7\8", 2)"#, r#"134678021, 9"#),
  ]);
}

/// Short data, bad formats and arguments, and too many results.
#[test]
fn unpack_errors() {
  check(&[
    (r#"struct.unpack("s", "abc")"#, r#"err: user_script:19: unfinished string in data"#),
    (r#"struct.unpack("s", "")"#, r#"err: user_script:19: unfinished string in data"#),
    (r#"struct.unpack("c4", "abc")"#, r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#),
    (r#"struct.unpack("c0", "abc")"#, r#"err: user_script:19: format 'c0' needs a previous size"#),
    (r#"struct.unpack("c1c0", "xabcd")"#, r#"err: user_script:19: format 'c0' needs a previous size"#),
    (
      r#"struct.unpack("bc0", "\255abc")"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (r#"struct.unpack("bc0", "\9abc")"#, r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#),
    (
      r#"struct.unpack("dc0", struct.pack("d", 0/0) .. "abc")"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
      r#"struct.unpack("dc0", struct.pack("d", -1) .. "abc")"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
      r#"struct.unpack("b", "\1\2\3", 4)"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
      r#"struct.unpack(" ", "\1\2\3", 5)"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
      r#"struct.unpack("b", "\1\2\3", 0)"#,
      r#"err: user_script:19: bad argument #3 to 'unpack' (offset must be 1 or greater)"#,
    ),
    (
      r#"struct.unpack("b", "\1\2\3", -1)"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (
      r#"struct.unpack("b", "\1\2\3", "x")"#,
      r#"err: user_script:19: bad argument #3 to 'unpack' (number expected, got string)"#,
    ),
    (
      r#"struct.unpack("b", "\1\2\3", {})"#,
      r#"err: user_script:19: bad argument #3 to 'unpack' (number expected, got table)"#,
    ),
    (r#"struct.unpack("b")"#, r#"err: user_script:19: bad argument #2 to 'unpack' (string expected, got no value)"#),
    (r#"struct.unpack("b", {})"#, r#"err: user_script:19: bad argument #2 to 'unpack' (string expected, got table)"#),
    (r#"struct.unpack("b", "")"#, r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#),
    (r#"struct.unpack()"#, r#"err: user_script:19: bad argument #1 to 'unpack' (string expected, got no value)"#),
    (r#"pcall(struct.unpack, "s", "abc")"#, r#"false, "unfinished string in data""#),
    (r#"pcall(struct.unpack, "b", "\1\2\3", 0)"#, r#"false, "bad argument #3 to '?' (offset must be 1 or greater)""#),
    (r#"pcall(struct.unpack, "z", "abc")"#, r#"false, "bad argument #1 to '?' (invalid format option 'z')""#),
    (
      r#"(function() local f = struct.unpack return f("c3", "a") end)()"#,
      r#"err: user_script:19: bad argument #2 to 'f' (data string too short)"#,
    ),
    (
      r#"struct.unpack("!4 b i", "\1\0\0\0\2\0\0")"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (r#"struct.unpack("z", "abc")"#, r#"err: user_script:19: bad argument #1 to 'unpack' (invalid format option 'z')"#),
    (
      r#"struct.unpack("=b", "abc")"#,
      r#"err: user_script:19: bad argument #1 to 'unpack' (invalid format option '=')"#,
    ),
    (r#"struct.unpack("!3b", "abc")"#, r#"err: user_script:19: alignment 3 is not a power of 2"#),
    (r#"struct.unpack("i33", "abc")"#, r#"err: user_script:19: integral size 33 is larger than limit of 32"#),
    (r#"struct.unpack("i9999999999", "abc")"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.unpack("xxxx", "abc")"#, r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#),
    (
      r#"struct.unpack("c2147483647", "abc")"#,
      r#"err: user_script:19: bad argument #2 to 'unpack' (data string too short)"#,
    ),
    (r#"select('#', struct.unpack(string.rep("b", 7997), string.rep("a", 8000)))"#, r#"7998"#),
    (
      r#"select('#', struct.unpack(string.rep("b", 7998), string.rep("a", 8000)))"#,
      r#"err: user_script:19: stack overflow (too many results)"#,
    ),
    (r#"select('#', struct.unpack(string.rep("b", 7996), string.rep("a", 8000), 1))"#, r#"7997"#),
    (
      r#"select('#', struct.unpack(string.rep("b", 7997), string.rep("a", 8000), 1))"#,
      r#"err: user_script:19: stack overflow (too many results)"#,
    ),
    (r#"select('#', struct.unpack(string.rep("x", 9000), string.rep("a", 9000)))"#, r#"1"#),
  ]);
}

/// size counts padding and fixed-size items; unknown letters and digits count as nothing.
#[test]
fn sizes_formats() {
  check(&[
    (r#"struct.size("")"#, r#"0"#),
    (r#"struct.size("b")"#, r#"1"#),
    (r#"struct.size("bhilT")"#, r#"23"#),
    (r#"struct.size("!8 bhilT")"#, r#"24"#),
    (r#"struct.size("!8 b d")"#, r#"16"#),
    (r#"struct.size("!4 b d")"#, r#"12"#),
    (r#"struct.size("!bd")"#, r#"16"#),
    (r#"struct.size("i3")"#, r#"3"#),
    (r#"struct.size("!8 b i3")"#, r#"6"#),
    (r#"struct.size("c10")"#, r#"10"#),
    (r#"struct.size("c")"#, r#"1"#),
    (r#"struct.size("x")"#, r#"1"#),
    (r#"struct.size("fd")"#, r#"12"#),
    (r#"struct.size("z")"#, r#"0"#),
    (r#"struct.size("zzz9")"#, r#"0"#),
    (r#"struct.size("i32")"#, r#"32"#),
    (r#"struct.size("!")"#, r#"0"#),
    (r#"struct.size("c2147483647c2147483647")"#, r#"4294967294"#),
    (r#"struct.size(12)"#, r#"0"#),
    (r#"struct.size("b\0bbb")"#, r#"1"#),
    (r#"struct.size("<>b")"#, r#"1"#),
  ]);
}

/// Formats without a fixed size, bad options and limits.
#[test]
fn size_errors() {
  check(&[
    (r#"struct.size("s")"#, r#"err: user_script:19: bad argument #1 to 'size' (option 's' has no fixed size)"#),
    (r#"struct.size("c0")"#, r#"err: user_script:19: bad argument #1 to 'size' (option 'c0' has no fixed size)"#),
    (r#"struct.size("bs")"#, r#"err: user_script:19: bad argument #1 to 'size' (option 's' has no fixed size)"#),
    (r#"struct.size("%")"#, r#"err: user_script:19: bad argument #1 to 'size' (invalid format option '\x25')"#),
    (r#"struct.size("=")"#, r#"err: user_script:19: bad argument #1 to 'size' (invalid format option '=')"#),
    (r#"struct.size("i33")"#, r#"err: user_script:19: integral size 33 is larger than limit of 32"#),
    (r#"struct.size("!3")"#, r#"err: user_script:19: alignment 3 is not a power of 2"#),
    (r#"struct.size("!99999999999")"#, r#"err: user_script:19: integral size overflow"#),
    (r#"struct.size(nil)"#, r#"err: user_script:19: bad argument #1 to 'size' (string expected, got nil)"#),
    (r#"struct:size()"#, r#"err: user_script:19: calling 'size' on bad self (string expected, got table)"#),
    (r#"pcall(struct.size, "%")"#, r#"false, "bad argument #1 to '?' (invalid format option '\x25')""#),
    (r#"pcall(struct.size, "c0")"#, r#"false, "bad argument #1 to '?' (option 'c0' has no fixed size)""#),
  ]);
}

/// In a method call the argument numbers do not count `self`, as `lauxlib` numbers them.
/// (redis-server cannot show this one: its `string` table, which holds the method, is
/// read-only.)
#[test]
fn method_calls_do_not_count_self() {
  check(&[(
    r#"(function() string.pk = struct.pack return ("bb"):pk(1) end)()"#,
    r#"err: user_script:19: bad argument #2 to 'pk' (number expected, got nil)"#,
  )]);
}
