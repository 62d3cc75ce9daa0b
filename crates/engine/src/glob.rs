//! Glob-style pattern matching with the exact semantics of Redis's `stringmatchlen`, used by
//! KEYS and SCAN MATCH (and by anything else that takes a Redis pattern).
//!
//! Redis's dialect is byte oriented and has quirks clients can observe, so this is a faithful
//! re-implementation rather than a general glob library:
//! - `*` matches any run of bytes, `?` any one byte; neither matches past the subject's end,
//!   so a non-empty pattern never matches the empty string (KEYS and SCAN treat a bare `*`
//!   as "everything" before calling the matcher: see [`matches_everything`]).
//! - `[abc]` is a class, `[^abc]` its negation, `[a-z]` a range (a reversed range such as
//!   `[z-a]` is swapped), `\x` inside a class is a literal `x`. A class left open at the end of
//!   the pattern still matches against what it collected so far. Range bounds compare as C's
//!   signed `char`, so a range crossing from ASCII to bytes ≥ 0x80 is "reversed".
//! - `\x` outside a class is a literal `x`; a trailing lone `\` is a literal backslash.
//! - After the subject is consumed, trailing `*`s of the pattern are skipped.
//! - Backtracking is bounded: when the rest of the pattern after a `*` matches at no position
//!   of the remaining subject, no earlier `*` can help either, and the whole match fails at
//!   once; a pattern nesting more than 1000 `*`s fails, as in Redis.

/// Deepest `*` nesting Redis accepts before it declares "no match".
const MAX_NESTING: u32 = 1000;

/// Whether `subject` matches `pattern`, case-sensitively.
pub fn matches(pattern: &[u8], subject: &[u8]) -> bool {
  Matcher { fold_case: false, give_up: false }.run(pattern, 0, subject, 0, 0)
}

/// Whether `subject` matches `pattern`, ignoring ASCII case.
pub fn matches_nocase(pattern: &[u8], subject: &[u8]) -> bool {
  Matcher { fold_case: true, give_up: false }.run(pattern, 0, subject, 0, 0)
}

/// Whether `pattern` is the bare `*` that KEYS and SCAN answer without matching (it selects
/// every key, the empty key included).
pub fn matches_everything(pattern: &[u8]) -> bool {
  pattern == b"*"
}

struct Matcher {
  fold_case: bool,
  /// Set once the tail after some `*` failed at every position: no longer match can succeed.
  give_up: bool,
}

/// A pattern or subject byte as C's signed `char`.
#[inline]
fn signed(byte: u8) -> i32 {
  byte as i8 as i32
}

impl Matcher {
  #[inline]
  fn fold(&self, c: i32) -> i32 {
    if self.fold_case && (b'A' as i32..=b'Z' as i32).contains(&c) {
      c + 32
    } else {
      c
    }
  }

  #[inline]
  fn same(&self, a: u8, b: u8) -> bool {
    self.fold(signed(a)) == self.fold(signed(b))
  }

  /// Matches `pattern[p..]` against `subject[s..]`. Redis reads one byte past the pattern's end
  /// (its NUL terminator) in a few places; `at` stands in for that with a 0.
  fn run(&mut self, pattern: &[u8], mut p: usize, subject: &[u8], mut s: usize, nesting: u32) -> bool {
    if nesting > MAX_NESTING {
      return false;
    }
    let at = |i: usize| pattern.get(i).copied().unwrap_or(0);
    while p < pattern.len() && s < subject.len() {
      match pattern[p] {
        b'*' => {
          while p < pattern.len() && at(p + 1) == b'*' {
            p += 1;
          }
          if p + 1 == pattern.len() {
            return true;
          }
          while s < subject.len() {
            if self.run(pattern, p + 1, subject, s, nesting + 1) {
              return true;
            }
            if self.give_up {
              return false;
            }
            s += 1;
          }
          self.give_up = true;
          return false;
        }
        b'?' => s += 1,
        b'[' => {
          p += 1;
          let negate = at(p) == b'^';
          if negate {
            p += 1;
          }
          let c = subject[s];
          let mut found = false;
          loop {
            let remaining = pattern.len() - p;
            if at(p) == b'\\' && remaining >= 2 {
              p += 1;
              found |= pattern[p] == c;
            } else if at(p) == b']' {
              break;
            } else if remaining == 0 {
              // Unterminated class: step back so the common advance below lands on the end.
              p -= 1;
              break;
            } else if remaining >= 3 && pattern[p + 1] == b'-' {
              let (mut start, mut end) = (signed(pattern[p]), signed(pattern[p + 2]));
              if start > end {
                std::mem::swap(&mut start, &mut end);
              }
              let (start, end, c) = (self.fold(start), self.fold(end), self.fold(signed(c)));
              found |= start <= c && c <= end;
              p += 2;
            } else {
              found |= self.same(pattern[p], c);
            }
            p += 1;
          }
          if found == negate {
            return false;
          }
          s += 1;
        }
        byte => {
          let literal = if byte == b'\\' && pattern.len() - p >= 2 {
            p += 1;
            pattern[p]
          } else {
            byte
          };
          if !self.same(literal, subject[s]) {
            return false;
          }
          s += 1;
        }
      }
      p += 1;
      if s == subject.len() {
        while at(p) == b'*' {
          p += 1;
        }
        break;
      }
    }
    p == pattern.len() && s == subject.len()
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  /// (pattern, subject, whether Redis 7.0.15 matches), each checked against the reference
  /// server with `SET subject` + `KEYS pattern` (except the bare `*` shortcut, noted below).
  const CASES: &[(&[u8], &[u8], bool)] = &[
    // KEYS answers `*` without the matcher; the matcher itself refuses the empty subject.
    (b"*", b"", false),
    (b"**", b"", false),
    (b"", b"", true),
    (b"", b"a", false),
    (b"a", b"", false),
    (b"*", b"abc", true),
    (b"?", b"", false),
    (b"?", b"a", true),
    (b"??", b"a", false),
    (b"a*", b"a", true),
    (b"a**", b"a", true),
    (b"*a", b"a", true),
    (b"a*b", b"ab", true),
    (b"a*b", b"axxb", true),
    (b"a*b", b"axxbc", false),
    (b"*b*", b"abc", true),
    (b"h[ae]llo", b"hallo", true),
    (b"h[ae]llo", b"hillo", false),
    (b"h[^e]llo", b"hallo", true),
    (b"h[^e]llo", b"hello", false),
    (b"h[a-c]llo", b"hbllo", true),
    (b"h[c-a]llo", b"hbllo", true),
    (b"h[c-a]llo", b"hdllo", false),
    (b"h[!e]llo", b"h!llo", true),
    (b"h[!e]llo", b"hallo", false),
    (b"h\\*llo", b"h*llo", true),
    (b"h\\*llo", b"hallo", false),
    (b"h\\?llo", b"hallo", false),
    (b"h\\?llo", b"h?llo", true),
    (b"h\\[a\\]llo", b"h[a]llo", true),
    (b"h\\[a\\]llo", b"hallo", false),
    (b"back\\\\slash", b"back\\slash", true),
    (b"h\\", b"h\\", true),
    (b"h\\", b"h", false),
    (b"\\", b"\\", true),
    (b"a\\", b"a\\", true),
    (b"h[a-", b"ha", true),
    (b"h[a-", b"h]", false),
    (b"h[a-", b"h-", true),
    (b"h[a-", b"h^", false),
    (b"h[a-]", b"h^", true),
    (b"h[a-]", b"hb", false),
    (b"h[a-]", b"h]", true),
    (b"h[a-]", b"h-", false),
    (b"h[a-]x", b"h^x", false),
    (b"h[a", b"ha", true),
    (b"h[a", b"hb", false),
    (b"h[", b"h", false),
    (b"h[", b"ha", false),
    (b"h[", b"h[", false),
    (b"[", b"a", false),
    (b"[]", b"a", false),
    (b"[]a]", b"]", false),
    (b"[]a]", b"a", false),
    (b"[]a]", b"]a]", false),
    (b"[^]", b"a", true),
    (b"[^", b"a", true),
    (b"[^a", b"b", true),
    (b"[\\]]", b"]", true),
    (b"[\\", b"\\", true),
    (b"[\\", b"a", false),
    (b"[a\\", b"\\", true),
    (b"[a\\-z]", b"-", true),
    (b"[a\\-z]", b"b", false),
    (b"[a-\\]", b"b", false),
    (b"[a-\\]", b"\\", true),
    (b"[a-\\]", b"]", true),
    (b"[-a]", b"-", true),
    (b"[a-]", b"-", false),
    (b"[a-]", b"b", false),
    (b"[a-]", b"]", true),
    (b"[--]", b"-", true),
    (b"[*]", b"*", true),
    (b"[*]", b"a", false),
    (b"[?]", b"a", false),
    (b"a[", b"a", false),
    (b"a[b", b"a", false),
    (b"*[", b"a[", false),
    (b"*[", b"a", false),
    (b"a*[", b"ab", false),
    (b"*\\", b"a\\", true),
    (b"*\\", b"a", false),
    (b"**a*", b"ba", true),
    (b"*a*", b"bbb", false),
    (b"ab*", b"ab", true),
    (b"ab*cd", b"abcd", true),
    (b"*e*e*", b"heeeello", true),
    (b"*e*e*", b"hello", false),
    (b"H*", b"hello", false),
    (b"a?c", b"abc", true),
    (b"a?c", b"ac", false),
    (b"\x00*", b"\x00a", true),
    (b"a\x00b", b"a\x00b", true),
    (b"a?b", b"a\x00b", true),
    (b"[\x00-\x02]", b"\x01", true),
    (b"[\xff]", b"\xff", true),
    (b"[\x80-\xff]", b"\x90", true),
    (b"[a-\xff]", b"\x90", false),
    (b"[\xff-a]", b"b", false),
    (b"\xff*", b"\xffz", true),
    (b"a[^b-d]e", b"ace", false),
    (b"a[^b-d]e", b"axe", true),
    (b"[^^]", b"^", false),
    (b"[^^]", b"a", true),
    (b"[a^]", b"^", true),
    (b"*a", b"bab", false),
    (b"*ab", b"aab", true),
    (b"a*a", b"a", false),
    (b"?*?", b"ab", true),
    (b"?*?", b"a", false),
    (b"[a-c-e]", b"d", false),
    (b"[a-c-e]", b"-", true),
    (b"[a-c-e]", b"e", true),
    (b"x[a-c-e]", b"x-", true),
    (b"[]-a]", b"^", false),
    (b"[]", b"]", false),
    (b"*?", b"", false),
    (b"?*", b"a", true),
    (b"a*\\", b"ab\\", true),
  ];

  #[test]
  fn agrees_with_redis() {
    for &(pattern, subject, expected) in CASES {
      assert_eq!(
        matches(pattern, subject),
        expected,
        "pattern {:?} subject {:?}",
        String::from_utf8_lossy(pattern),
        String::from_utf8_lossy(subject)
      );
    }
  }

  #[test]
  fn is_case_sensitive_unless_asked() {
    assert!(!matches(b"H*", b"hello"));
    assert!(matches_nocase(b"H*", b"hello"));
    assert!(matches_nocase(b"h[A-C]LLO", b"Hbllo"));
    assert!(matches_nocase(b"[^X]", b"y"));
    assert!(!matches_nocase(b"[^X]", b"x"));
    assert!(!matches_nocase(b"h[a-c]llo", b"hdllo"));
  }

  #[test]
  fn bare_star_is_the_only_match_everything_pattern() {
    assert!(matches_everything(b"*"));
    assert!(!matches_everything(b"**"));
    assert!(!matches_everything(b""));
  }

  #[test]
  fn nesting_limit_matches_redis() {
    let subject = vec![b'a'; 1200];
    assert!(matches(&b"*a".repeat(1000), &subject));
    assert!(!matches(&b"*a".repeat(1001), &subject));
  }

  #[test]
  fn adversarial_patterns_finish_quickly() {
    let subject = vec![b'a'; 10_000];
    let mut pattern = b"a*".repeat(50);
    pattern.push(b'b');
    let started = std::time::Instant::now();
    assert!(!matches(&pattern, &subject));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
  }
}
