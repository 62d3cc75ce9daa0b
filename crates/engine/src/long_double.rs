//! C `long double` arithmetic in software, exactly as Redis 7.0's INCRBYFLOAT sees it.
//!
//! Redis computes INCRBYFLOAT in `long double`, which on x86-64 is the x87 extended format: a
//! 64-bit significand and a 15-bit exponent. What the client reads depends on every rounding
//! step of the C code — parsing both operands with `strtold`, adding them, printing the sum
//! with `%.17Lf` — and Rust has no such type, so this module redoes those three steps with a
//! small arbitrary-precision integer ([`Big`]) and rounds once per step, like the hardware and
//! glibc do:
//! - parsing builds the exact value of the decimal (or hexadecimal) text as an integer, or a
//!   quotient of integers, and rounds it to 64 significant bits, ties to even;
//! - addition aligns both operands exactly and rounds the sum the same way;
//! - formatting scales the value by 10^17 exactly and rounds to an integer, ties to even (what
//!   glibc's printf does), then Redis's trimming of trailing zeros is applied.
//!
//! Values stay tiny in practice, but the format reaches 2^16384, so every step is exact for the
//! whole range, subnormals included.

use std::cmp::Ordering;

/// Exponent of the lowest significand bit of the smallest values (subnormals): 2^-16445.
const MIN_EXPONENT: i64 = -16445;
/// Finite values are below 2^16384.
const MAX_BIT_LEN: i64 = 16384;
/// Redis's `MAX_LONG_DOUBLE_CHARS`: longer inputs are not numbers.
const MAX_CHARS: usize = 5 * 1024;
/// Decimal exponents are clamped to this magnitude while parsing; anything beyond overflows or
/// underflows either way.
const EXPONENT_CLAMP: i64 = 1 << 40;

/// An x87 extended-precision value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongDouble {
  /// `(-1)^negative × mantissa × 2^exponent`. The top bit of `mantissa` is set, except for
  /// subnormals (`exponent` is then −16445) and zero (`mantissa` and `exponent` are 0).
  Finite {
    negative: bool,
    mantissa: u64,
    exponent: i32,
  },
  Infinite {
    negative: bool,
  },
  NaN,
}

impl LongDouble {
  /// Positive zero (the value of a missing key).
  pub const ZERO: LongDouble = LongDouble::Finite { negative: false, mantissa: 0, exponent: 0 };

  /// The exact value of an integer (every `i64` fits in 64 significant bits).
  pub fn from_i64(n: i64) -> LongDouble {
    round(n < 0, &Big::from_u128(n.unsigned_abs() as u128), 0)
  }

  /// The exact value of a double (C's conversion from `double` to `long double`).
  pub fn from_f64(d: f64) -> LongDouble {
    if d.is_nan() {
      return LongDouble::NaN;
    }
    let negative = d.is_sign_negative();
    if d.is_infinite() {
      return LongDouble::Infinite { negative };
    }
    let bits = d.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    // value = significand × 2^exponent, with the implicit bit for normal numbers.
    let (significand, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    round(negative, &Big::from_u128(significand as u128), exponent)
  }

  /// Parses `text` as Redis's `string2ld` does: `strtold` must consume every byte, a leading
  /// space is refused, NaN is refused, and so is a finite spelling whose value overflows to
  /// infinity or underflows to zero. Accepts decimal and hexadecimal (`0x1.8p3`) notation with
  /// an optional sign, and `inf`/`infinity` in any case.
  pub fn parse(text: &[u8]) -> Option<LongDouble> {
    if text.is_empty() || text.len() >= MAX_CHARS {
      return None;
    }
    let (negative, body) = match text[0] {
      b'-' => (true, &text[1..]),
      b'+' => (false, &text[1..]),
      _ => (false, text),
    };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
      return Some(LongDouble::Infinite { negative });
    }
    let hex = body.len() >= 2 && body[0] == b'0' && (body[1] == b'x' || body[1] == b'X');
    let number = if hex { Number::scan(&body[2..], 16)? } else { Number::scan(body, 10)? };
    if number.digits.is_zero() {
      return Some(LongDouble::Finite { negative, mantissa: 0, exponent: 0 });
    }
    let value = if hex { number.hex_value(negative) } else { number.decimal_value(negative)? };
    match value {
      LongDouble::Finite { mantissa, .. } if mantissa != 0 => Some(value),
      _ => None,
    }
  }

  /// Neither infinite nor NaN.
  pub fn is_finite(&self) -> bool {
    matches!(self, LongDouble::Finite { .. })
  }

  /// The value printed with C's `%.17Lf` (glibc): every integer digit, then 17 decimals rounded
  /// to nearest, ties to even.
  pub fn format_fixed(&self) -> String {
    let (negative, mantissa, exponent) = match *self {
      LongDouble::Finite { negative, mantissa, exponent } => (negative, mantissa, exponent),
      LongDouble::Infinite { negative } => return if negative { "-inf".into() } else { "inf".into() },
      LongDouble::NaN => return "nan".into(),
    };
    const DECIMALS: usize = 17;
    let mut digits = if exponent >= 0 {
      let mut integer = Big::from_u128(mantissa as u128).shl(exponent as u64).to_decimal();
      integer.push_str(&"0".repeat(DECIMALS));
      integer
    } else {
      // mantissa × 10^17 / 2^shift, rounded; the product is below 2^121.
      let scaled = mantissa as u128 * 10u128.pow(DECIMALS as u32);
      let shift = -(exponent as i64) as u32;
      let rounded = if shift >= 128 {
        0
      } else {
        let quotient = scaled >> shift;
        let remainder = scaled & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = remainder > half || (remainder == half && quotient & 1 == 1);
        quotient + up as u128
      };
      format!("{rounded:0>width$}", width = DECIMALS + 1)
    };
    digits.insert(digits.len() - DECIMALS, '.');
    if negative {
      digits.insert(0, '-');
    }
    digits
  }

  /// Redis's `ld2string` in `LD_STR_HUMAN` mode (how INCRBYFLOAT stores and returns its
  /// result): `%.17Lf` without trailing zeros or a trailing point, and `-0` written as `0`.
  pub fn to_human_string(&self) -> String {
    let mut text = self.format_fixed();
    if text.contains('.') {
      let kept = text.trim_end_matches('0').trim_end_matches('.').len();
      text.truncate(kept);
    }
    if text == "-0" {
      text = "0".into();
    }
    text
  }
}

impl std::ops::Add for LongDouble {
  type Output = LongDouble;

  /// The sum, rounded to nearest (ties to even) like an x87 `fadd` in extended precision.
  fn add(self, other: LongDouble) -> LongDouble {
    use LongDouble::*;
    match (self, other) {
      (NaN, _) | (_, NaN) => NaN,
      (Infinite { negative: a }, Infinite { negative: b }) if a != b => NaN,
      (Infinite { .. }, _) => self,
      (_, Infinite { .. }) => other,
      (
        Finite { negative: sign_a, mantissa: a, exponent: exp_a },
        Finite { negative: sign_b, mantissa: b, exponent: exp_b },
      ) => {
        if a == 0 && b == 0 {
          return Finite { negative: sign_a && sign_b, mantissa: 0, exponent: 0 };
        }
        if a == 0 {
          return other;
        }
        if b == 0 {
          return self;
        }
        let exponent = exp_a.min(exp_b);
        let a = Big::from_u128(a as u128).shl((exp_a - exponent) as u64);
        let b = Big::from_u128(b as u128).shl((exp_b - exponent) as u64);
        let exponent = exponent as i64;
        if sign_a == sign_b {
          return round(sign_a, &a.add(&b), exponent);
        }
        match a.cmp(&b) {
          Ordering::Equal => LongDouble::ZERO,
          Ordering::Greater => round(sign_a, &a.sub(&b), exponent),
          Ordering::Less => round(sign_b, &b.sub(&a), exponent),
        }
      }
    }
  }
}

/// Rounds `(-1)^negative × n × 2^exponent` to 64 significant bits (fewer for subnormals), to
/// nearest with ties to even; infinity when it overflows, zero when it underflows.
fn round(negative: bool, n: &Big, exponent: i64) -> LongDouble {
  let zero = LongDouble::Finite { negative, mantissa: 0, exponent: 0 };
  let bit_len = n.bit_len() as i64;
  if bit_len == 0 {
    return zero;
  }
  // Bits dropped below the kept significand: enough to keep 64, more for subnormals. A
  // negative count means the value is exact and gets shifted up instead.
  let dropped = (bit_len - 64).max(MIN_EXPONENT - exponent);
  let mut exponent = exponent + dropped;
  let mut mantissa;
  if dropped <= 0 {
    mantissa = n.bits_from(0) << -dropped;
  } else {
    let dropped = dropped as u64;
    mantissa = n.bits_from(dropped);
    let guard = n.bit(dropped - 1);
    if guard && (n.any_below(dropped - 1) || mantissa & 1 == 1) {
      mantissa = match mantissa.checked_add(1) {
        Some(next) => next,
        None => {
          exponent += 1;
          1 << 63
        }
      };
    }
  }
  if mantissa == 0 {
    return zero;
  }
  if exponent + 64 > MAX_BIT_LEN {
    return LongDouble::Infinite { negative };
  }
  LongDouble::Finite { negative, mantissa, exponent: exponent as i32 }
}

/// The pieces of a scanned numeral: its value is `digits` × 10^`exponent` (decimal) or
/// `digits` × 2^`exponent` (hexadecimal).
struct Number {
  digits: Big,
  /// Digits from the first non-zero one on (the decimal magnitude check uses it).
  digit_count: i64,
  exponent: i64,
}

impl Number {
  /// Scans `digits [. digits] [exponent]` in base 10 (`e`, power of ten) or 16 (`p`, power of
  /// two), requiring at least one digit and consuming every byte, as `strtold` must for Redis.
  fn scan(text: &[u8], radix: u32) -> Option<Number> {
    let marker = if radix == 16 { b'p' } else { b'e' };
    let mut digits = Big::default();
    let (mut digit_count, mut fraction_digits, mut seen_digit, mut seen_point) = (0i64, 0i64, false, false);
    // Digits are gathered in chunks so the big integer is multiplied once per chunk.
    let (mut chunk, mut chunk_len) = (0u32, 0u32);
    let chunk_max = if radix == 16 { 7 } else { 9 };
    let mut at = 0;
    while at < text.len() {
      let c = text[at];
      if c == b'.' && !seen_point {
        seen_point = true;
      } else if let Some(d) = (c as char).to_digit(radix) {
        seen_digit = true;
        if seen_point {
          fraction_digits += 1;
        }
        if d != 0 || digit_count > 0 {
          digit_count += 1;
        }
        chunk = chunk * radix + d;
        chunk_len += 1;
        if chunk_len == chunk_max {
          digits.mul_add_small(radix.pow(chunk_len), chunk);
          (chunk, chunk_len) = (0, 0);
        }
      } else {
        break;
      }
      at += 1;
    }
    if chunk_len > 0 {
      digits.mul_add_small(radix.pow(chunk_len), chunk);
    }
    if !seen_digit {
      return None;
    }
    let mut exponent = 0i64;
    if at < text.len() {
      if text[at].to_ascii_lowercase() != marker {
        return None;
      }
      exponent = scan_exponent(&text[at + 1..])?;
    }
    let exponent = if radix == 16 { exponent - 4 * fraction_digits } else { exponent - fraction_digits };
    Some(Number { digits, digit_count, exponent })
  }

  /// The correctly rounded value of `digits × 2^exponent`.
  fn hex_value(&self, negative: bool) -> LongDouble {
    round(negative, &self.digits, self.exponent)
  }

  /// The correctly rounded value of `digits × 10^exponent`, or `None` when it obviously
  /// overflows or underflows (the exact computation would only confirm it).
  fn decimal_value(&self, negative: bool) -> Option<LongDouble> {
    // The value lies in [10^(magnitude-1), 10^magnitude); finite values are below 1.19e4932
    // and the smallest subnormal is 3.6e-4951.
    let magnitude = self.digit_count + self.exponent;
    if !(-4960..=4940).contains(&magnitude) {
      return None;
    }
    if self.exponent >= 0 {
      let value = self.digits.mul(&Big::pow10(self.exponent as u64));
      return Some(round(negative, &value, 0));
    }
    // digits / 10^-exponent: scale the quotient to 67–69 bits, keep whether a remainder was
    // left as a sticky bit below it, and round that.
    let mut numerator = self.digits.clone();
    let mut denominator = Big::pow10(-self.exponent as u64);
    let scale = 68 + denominator.bit_len() as i64 - numerator.bit_len() as i64;
    if scale >= 0 {
      numerator = numerator.shl(scale as u64);
    } else {
      denominator = denominator.shl(-scale as u64);
    }
    let (quotient, inexact) = numerator.div_small_quotient(&denominator, 70);
    let n = Big::from_u128(quotient << 1 | inexact as u128);
    Some(round(negative, &n, -scale - 1))
  }
}

/// Parses the exponent after `e`/`p`: an optional sign and at least one digit, clamped.
fn scan_exponent(text: &[u8]) -> Option<i64> {
  let (negative, digits) = match text.first() {
    Some(b'-') => (true, &text[1..]),
    Some(b'+') => (false, &text[1..]),
    _ => (false, text),
  };
  if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
    return None;
  }
  let magnitude = digits.iter().fold(0i64, |n, d| (n * 10 + (d - b'0') as i64).min(EXPONENT_CLAMP));
  Some(if negative { -magnitude } else { magnitude })
}

/// A non-negative arbitrary-precision integer: little-endian 32-bit limbs, no zero limbs at
/// the top (zero is empty).
#[derive(Clone, Default, PartialEq, Eq, Debug)]
struct Big(Vec<u32>);

impl Big {
  fn from_u128(mut v: u128) -> Big {
    let mut limbs = Vec::new();
    while v != 0 {
      limbs.push(v as u32);
      v >>= 32;
    }
    Big(limbs)
  }

  fn is_zero(&self) -> bool {
    self.0.is_empty()
  }

  fn trimmed(mut self) -> Big {
    while self.0.last() == Some(&0) {
      self.0.pop();
    }
    self
  }

  fn bit_len(&self) -> u64 {
    match self.0.last() {
      None => 0,
      Some(top) => self.0.len() as u64 * 32 - top.leading_zeros() as u64,
    }
  }

  fn bit(&self, i: u64) -> bool {
    let limb = (i / 32) as usize;
    limb < self.0.len() && (self.0[limb] >> (i % 32)) & 1 == 1
  }

  /// Whether any bit below position `i` is set.
  fn any_below(&self, i: u64) -> bool {
    let full = ((i / 32) as usize).min(self.0.len());
    if self.0[..full].iter().any(|&limb| limb != 0) {
      return true;
    }
    let partial = i % 32;
    full < self.0.len() && partial > 0 && self.0[full] & ((1u32 << partial) - 1) != 0
  }

  /// The 64 bits starting at position `from` (higher bits are ignored).
  fn bits_from(&self, from: u64) -> u64 {
    let (limb, shift) = ((from / 32) as usize, from % 32);
    let word = |i: usize| self.0.get(i).copied().unwrap_or(0) as u128;
    let wide = word(limb) | word(limb.saturating_add(1)) << 32 | word(limb.saturating_add(2)) << 64;
    (wide >> shift) as u64
  }

  fn shl(&self, bits: u64) -> Big {
    if self.is_zero() {
      return Big::default();
    }
    let (limbs, shift) = ((bits / 32) as usize, (bits % 32) as u32);
    let mut out = vec![0u32; limbs];
    out.reserve(self.0.len() + 1);
    let mut carry = 0u32;
    for &limb in &self.0 {
      if shift == 0 {
        out.push(limb);
      } else {
        out.push(limb << shift | carry);
        carry = limb >> (32 - shift);
      }
    }
    out.push(carry);
    Big(out).trimmed()
  }

  /// self = self × factor + addend.
  fn mul_add_small(&mut self, factor: u32, addend: u32) {
    let mut carry = addend as u64;
    for limb in self.0.iter_mut() {
      let product = *limb as u64 * factor as u64 + carry;
      *limb = product as u32;
      carry = product >> 32;
    }
    if carry != 0 {
      self.0.push(carry as u32);
    }
    let trimmed = std::mem::take(self).trimmed();
    *self = trimmed;
  }

  fn mul(&self, other: &Big) -> Big {
    let mut out = vec![0u32; self.0.len() + other.0.len()];
    for (i, &a) in self.0.iter().enumerate() {
      let mut carry = 0u64;
      for (j, &b) in other.0.iter().enumerate() {
        let t = a as u64 * b as u64 + out[i + j] as u64 + carry;
        out[i + j] = t as u32;
        carry = t >> 32;
      }
      out[i + other.0.len()] = carry as u32;
    }
    Big(out).trimmed()
  }

  fn add(&self, other: &Big) -> Big {
    let (long, short) = if self.0.len() >= other.0.len() { (self, other) } else { (other, self) };
    let mut out = Vec::with_capacity(long.0.len() + 1);
    let mut carry = 0u64;
    for (i, &a) in long.0.iter().enumerate() {
      let t = a as u64 + short.0.get(i).copied().unwrap_or(0) as u64 + carry;
      out.push(t as u32);
      carry = t >> 32;
    }
    out.push(carry as u32);
    Big(out).trimmed()
  }

  /// self − other, for self ≥ other.
  fn sub(&self, other: &Big) -> Big {
    let mut out = Vec::with_capacity(self.0.len());
    let mut borrow = 0i64;
    for (i, &a) in self.0.iter().enumerate() {
      let mut t = a as i64 - other.0.get(i).copied().unwrap_or(0) as i64 - borrow;
      borrow = (t < 0) as i64;
      if t < 0 {
        t += 1 << 32;
      }
      out.push(t as u32);
    }
    Big(out).trimmed()
  }

  fn pow10(n: u64) -> Big {
    let mut value = Big::from_u128(1);
    for _ in 0..n / 9 {
      value.mul_add_small(1_000_000_000, 0);
    }
    value.mul_add_small(10u32.pow((n % 9) as u32), 0);
    value
  }

  /// The value, when it fits in 128 bits.
  fn to_u128(&self) -> Option<u128> {
    if self.0.len() > 4 {
      return None;
    }
    Some(self.0.iter().rev().fold(0u128, |acc, &limb| acc << 32 | limb as u128))
  }

  /// self / divisor and whether a remainder was left, for a quotient below 2^`bits`.
  fn div_small_quotient(&self, divisor: &Big, bits: u32) -> (u128, bool) {
    // Short texts (the usual case) fit in machine integers.
    if let (Some(n), Some(d)) = (self.to_u128(), divisor.to_u128()) {
      return (n / d, n % d != 0);
    }
    let mut remainder = self.clone();
    let mut quotient = 0u128;
    for k in (0..bits).rev() {
      let shifted = divisor.shl(k as u64);
      if remainder >= shifted {
        remainder = remainder.sub(&shifted);
        quotient |= 1 << k;
      }
    }
    (quotient, !remainder.is_zero())
  }

  /// Divides in place by a small divisor and returns the remainder.
  fn div_rem_small(&mut self, divisor: u32) -> u32 {
    let mut remainder = 0u64;
    for limb in self.0.iter_mut().rev() {
      let t = remainder << 32 | *limb as u64;
      *limb = (t / divisor as u64) as u32;
      remainder = t % divisor as u64;
    }
    let trimmed = std::mem::take(self).trimmed();
    *self = trimmed;
    remainder as u32
  }

  fn to_decimal(&self) -> String {
    let mut value = self.clone();
    let mut chunks = Vec::new();
    while !value.is_zero() {
      chunks.push(value.div_rem_small(1_000_000_000));
    }
    let mut text = chunks.pop().map_or_else(|| "0".to_string(), |top| top.to_string());
    for chunk in chunks.iter().rev() {
      text.push_str(&format!("{chunk:09}"));
    }
    text
  }
}

impl Ord for Big {
  fn cmp(&self, other: &Big) -> Ordering {
    self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
  }
}

impl PartialOrd for Big {
  fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
    Some(self.cmp(other))
  }
}
