//! The `bit` library behaves as in redis-server 7.0.15: each expression's rendering (see
//! `common`) is the one redis-server gave for the same script.

mod common;

use common::check;

/// Integers within 32 bits keep their value; wider ones keep their low 32 bits, signed.
#[test]
fn normalises_integers() {
  check(&[
    (r#"bit.tobit(0)"#, r#"0"#),
    (r#"bit.tobit(1)"#, r#"1"#),
    (r#"bit.tobit(-1)"#, r#"-1"#),
    (r#"bit.tobit(0xffffffff)"#, r#"-1"#),
    (r#"bit.tobit(0x100000000)"#, r#"0"#),
    (r#"bit.tobit(0x80000000)"#, r#"-2147483648"#),
    (r#"bit.tobit(2^31 - 1)"#, r#"2147483647"#),
    (r#"bit.tobit(2^32 + 5)"#, r#"5"#),
    (r#"bit.tobit(-0)"#, r#"0"#),
    (r#"bit.tobit(-2^31 - 1)"#, r#"2147483647"#),
  ]);
}

/// Fractional numbers round to the nearest integer, ties to even.
#[test]
fn rounds_fractions_half_to_even() {
  check(&[
    (r#"bit.tobit(1.5)"#, r#"2"#),
    (r#"bit.tobit(2.5)"#, r#"2"#),
    (r#"bit.tobit(-1.5)"#, r#"-2"#),
    (r#"bit.tobit(-2.5)"#, r#"-2"#),
    (r#"bit.tobit(0.5)"#, r#"0"#),
    (r#"bit.tobit(0.49999999999999994)"#, r#"0"#),
    (r#"bit.tobit(-0.5)"#, r#"0"#),
    (r#"bit.tobit(3.0000001)"#, r#"3"#),
    (r#"bit.tobit(4294967295.5)"#, r#"0"#),
    (r#"bit.tobit(2147483647.5)"#, r#"-2147483648"#),
    (r#"bit.tobit(-2147483648.5)"#, r#"-2147483648"#),
    (r#"bit.bnot(1.7)"#, r#"-3"#),
    (r#"bit.band(1.5, 3)"#, r#"2"#),
  ]);
}

/// Magnitudes from 2^51 up round coarsely; infinities and NaN give 0.
#[test]
fn converts_huge_and_special_numbers() {
  check(&[
    (r#"bit.tobit(2^51)"#, r#"0"#),
    (r#"bit.tobit(-2^51)"#, r#"0"#),
    (r#"bit.tobit(-2^51 - 1)"#, r#"-2"#),
    (r#"bit.tobit(2^51 + 3)"#, r#"2"#),
    (r#"bit.tobit(2^52)"#, r#"0"#),
    (r#"bit.tobit(-2^52)"#, r#"0"#),
    (r#"bit.tobit(2^53)"#, r#"0"#),
    (r#"bit.tobit(2^53 + 2)"#, r#"1"#),
    (r#"bit.tobit(2^60 + 12345)"#, r#"48"#),
    (r#"bit.tobit(-2^60 - 1)"#, r#"0"#),
    (r#"bit.tobit(6755399441055744)"#, r#"0"#),
    (r#"bit.tobit(-6755399441055744)"#, r#"0"#),
    (r#"bit.tobit(1e300)"#, r#"-2013235812"#),
    (r#"bit.tobit(-1e300)"#, r#"-2013235812"#),
    (r#"bit.tobit(1/0)"#, r#"0"#),
    (r#"bit.tobit(-1/0)"#, r#"0"#),
    (r#"bit.tobit(0/0)"#, r#"0"#),
  ]);
}

/// Strings that convert to numbers are numbers.
#[test]
fn accepts_numeric_strings() {
  check(&[
    (r#"bit.tobit("42")"#, r#"42"#),
    (r#"bit.tobit("0x10")"#, r#"16"#),
    (r#"bit.tobit("  7  ")"#, r#"7"#),
    (r#"bit.tobit("0")"#, r#"0"#),
    (r#"bit.tobit("1.5")"#, r#"2"#),
    (r#"bit.bor("0x10", 1)"#, r#"17"#),
    (r#"bit.tohex(0x1234, "3")"#, r#""234""#),
  ]);
}

/// Other values are refused with the argument's number and type.
#[test]
fn refuses_non_numbers() {
  check(&[
    (r#"bit.tobit("abc")"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got string)"#),
    (r#"bit.tobit("")"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got string)"#),
    (r#"bit.tobit(nil)"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got nil)"#),
    (r#"bit.tobit()"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got no value)"#),
    (r#"bit.tobit({})"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got table)"#),
    (r#"bit.tobit(true)"#, r#"err: user_script:19: bad argument #1 to 'tobit' (number expected, got boolean)"#),
    (r#"bit.band()"#, r#"err: user_script:19: bad argument #1 to 'band' (number expected, got no value)"#),
    (r#"bit.band(1, nil)"#, r#"err: user_script:19: bad argument #2 to 'band' (number expected, got nil)"#),
    (r#"bit.band(1, "x", {})"#, r#"err: user_script:19: bad argument #3 to 'band' (number expected, got table)"#),
    (r#"bit.bor(1, {})"#, r#"err: user_script:19: bad argument #2 to 'bor' (number expected, got table)"#),
    (r#"bit.bxor(1, 2, false)"#, r#"err: user_script:19: bad argument #3 to 'bxor' (number expected, got boolean)"#),
    (r#"bit.lshift(1)"#, r#"err: user_script:19: bad argument #2 to 'lshift' (number expected, got no value)"#),
    (r#"bit.lshift({}, 1)"#, r#"err: user_script:19: bad argument #1 to 'lshift' (number expected, got table)"#),
    (r#"bit.rshift(1, {})"#, r#"err: user_script:19: bad argument #2 to 'rshift' (number expected, got table)"#),
    (r#"bit.arshift(nil, 1)"#, r#"err: user_script:19: bad argument #1 to 'arshift' (number expected, got nil)"#),
    (r#"bit.rol(1, "r")"#, r#"err: user_script:19: bad argument #2 to 'rol' (number expected, got string)"#),
    (r#"bit.ror()"#, r#"err: user_script:19: bad argument #1 to 'ror' (number expected, got no value)"#),
    (r#"bit.bswap()"#, r#"err: user_script:19: bad argument #1 to 'bswap' (number expected, got no value)"#),
    (r#"bit.bnot("x")"#, r#"err: user_script:19: bad argument #1 to 'bnot' (number expected, got string)"#),
    (r#"bit.tohex(0x1234, nil)"#, r#"err: user_script:19: bad argument #2 to 'tohex' (number expected, got nil)"#),
    (r#"bit.tohex(0x1234, "x")"#, r#"err: user_script:19: bad argument #2 to 'tohex' (number expected, got string)"#),
    (r#"bit.tohex("z")"#, r#"err: user_script:19: bad argument #1 to 'tohex' (number expected, got string)"#),
    (r#"bit.tohex()"#, r#"err: user_script:19: bad argument #1 to 'tohex' (number expected, got no value)"#),
    (r#"pcall(bit.tobit, "abc")"#, r#"false, "bad argument #1 to '?' (number expected, got string)""#),
    (r#"pcall(bit.band, 1, "x", {})"#, r#"false, "bad argument #3 to '?' (number expected, got table)""#),
    (r#"pcall(bit.tohex, 1, {})"#, r#"false, "bad argument #2 to '?' (number expected, got table)""#),
  ]);
}

/// bnot, band, bor and bxor, over any number of arguments.
#[test]
fn combines_bits() {
  check(&[
    (r#"bit.bnot(0)"#, r#"-1"#),
    (r#"bit.bnot(-1)"#, r#"0"#),
    (r#"bit.bnot(0x12345678)"#, r#"-305419897"#),
    (r#"bit.band(0xff, 0x0f)"#, r#"15"#),
    (r#"bit.band(0xf0f0, 0xff00, 0x3c3c)"#, r#"12288"#),
    (r#"bit.band(-1)"#, r#"-1"#),
    (r#"bit.band(1, 2, "3")"#, r#"0"#),
    (r#"bit.bor(1, 2, 4, 8)"#, r#"15"#),
    (r#"bit.bor(0x80000000, 0)"#, r#"-2147483648"#),
    (r#"bit.bor(7)"#, r#"7"#),
    (r#"bit.bxor(0xff, 0x0f)"#, r#"240"#),
    (r#"bit.bxor(1, 1, 1)"#, r#"1"#),
    (r#"bit.bxor(-1, 0x0f0f0f0f)"#, r#"-252645136"#),
  ]);
}

/// Shift counts use their low 5 bits.
#[test]
fn shifts_and_rotates() {
  check(&[
    (r#"bit.lshift(1, 0)"#, r#"1"#),
    (r#"bit.lshift(1, 31)"#, r#"-2147483648"#),
    (r#"bit.lshift(1, 32)"#, r#"1"#),
    (r#"bit.lshift(1, 33)"#, r#"2"#),
    (r#"bit.lshift(1, -1)"#, r#"-2147483648"#),
    (r#"bit.lshift(0xff, 28)"#, r#"-268435456"#),
    (r#"bit.lshift(1, 2.5)"#, r#"4"#),
    (r#"bit.rshift(0x80000000, 31)"#, r#"1"#),
    (r#"bit.rshift(-1, 28)"#, r#"15"#),
    (r#"bit.rshift(-1, 0)"#, r#"-1"#),
    (r#"bit.rshift(256, 36)"#, r#"16"#),
    (r#"bit.arshift(-256, 4)"#, r#"-16"#),
    (r#"bit.arshift(0x80000000, 31)"#, r#"-1"#),
    (r#"bit.arshift(0x7fffffff, 30)"#, r#"1"#),
    (r#"bit.arshift(-1, 63)"#, r#"-1"#),
    (r#"bit.rol(0x12345678, 4)"#, r#"591751041"#),
    (r#"bit.rol(0x12345678, 0)"#, r#"305419896"#),
    (r#"bit.rol(0x12345678, 32)"#, r#"305419896"#),
    (r#"bit.rol(0x80000001, 1)"#, r#"3"#),
    (r#"bit.rol(1, -1)"#, r#"-2147483648"#),
    (r#"bit.ror(0x12345678, 4)"#, r#"-2128394905"#),
    (r#"bit.ror(0x12345678, 0)"#, r#"305419896"#),
    (r#"bit.ror(1, 1)"#, r#"-2147483648"#),
    (r#"bit.ror(0x12345678, 36)"#, r#"-2128394905"#),
    (r#"bit.bswap(0x12345678)"#, r#"2018915346"#),
    (r#"bit.bswap(0xff)"#, r#"-16777216"#),
    (r#"bit.bswap(-1)"#, r#"-1"#),
    (r#"bit.bswap(0x80)"#, r#"-2147483648"#),
    (r#"bit.bswap(2^32 + 0x0102)"#, r#"33619968"#),
  ]);
}

/// tohex writes |n| digits (at most 8), in upper case for a negative n.
#[test]
fn formats_hex() {
  check(&[
    (r#"bit.tohex(1)"#, r#""00000001""#),
    (r#"bit.tohex(-1)"#, r#""ffffffff""#),
    (r#"bit.tohex(0x12345678)"#, r#""12345678""#),
    (r#"bit.tohex(255, 2)"#, r#""ff""#),
    (r#"bit.tohex(255, -2)"#, r#""FF""#),
    (r#"bit.tohex(0xabcdef, 4)"#, r#""cdef""#),
    (r#"bit.tohex(0xabcdef, -4)"#, r#""CDEF""#),
    (r#"bit.tohex(0xabcdef, 0)"#, r#""""#),
    (r#"bit.tohex(0xabcdef, 12)"#, r#""00abcdef""#),
    (r#"bit.tohex(0xabcdef, -12)"#, r#""00ABCDEF""#),
    (r#"bit.tohex(0xabcdef, -8)"#, r#""00ABCDEF""#),
    (r#"bit.tohex(-1, 1)"#, r#""f""#),
    (r#"bit.tohex(0x1234, 2.5)"#, r#""34""#),
    (r#"bit.tohex(0x1234, 2^32 + 3)"#, r#""234""#),
    (r#"bit.tohex(0x1234, -2^31 + 1)"#, r#""00001234""#),
    (r#"bit.tohex(0x1234, 0x7fffffff)"#, r#""00001234""#),
    (r#"bit.tohex(0xabc, 0x80000000)"#, r#""00000ABC""#),
    (r#"bit.tohex(0xabc, -2147483648)"#, r#""00000ABC""#),
    (r#"bit.tohex(2^40 + 0xfedc, -5)"#, r#""0FEDC""#),
    (r#"bit.tohex(-1.5)"#, r#""fffffffe""#),
  ]);
}
