//! The harness the library tests share: a fresh state with Lua's base, table, string and math
//! libraries and Redis's `bit` and `struct`, in which one expression is evaluated and all its
//! results (or its error) are rendered as one line of text. Strings are quoted with bytes
//! outside a safe set written `\xHH`, numbers use `%.17g`, and an error reads `err: message`.
//! The chunk is named `user_script` and the expression sits on line 19, as in the scripts run
//! against redis-server to obtain the expected lines, so error positions compare equal.

use redwing_lua::ffi::*;
use redwing_lua::libs;
use redwing_lua::to_bytes;

/// The Lua code around the expression: a renderer of values, then a protected call.
const PRELUDE: &str = r#"local function esc(s)
  return (s:gsub("[^%w _%-%.,:;!?()%[%]{}<>=+*/&|^~@#$']", function(c) return string.format('\\x%02x', c:byte()) end))
end
local function show(...)
  local out = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then
      out[i] = '"' .. esc(v) .. '"'
    elseif type(v) == 'number' then
      out[i] = string.format('%.17g', v)
    else
      out[i] = tostring(v)
    end
  end
  return table.concat(out, ', ')
end
local ok, r = pcall(function() return show(
"#;

/// Evaluates `expression` and renders its results, or its error, as text.
pub fn eval(expression: &str) -> String {
  let code =
    format!("{PRELUDE}{expression}\n) end)\nif ok then return r else return 'err: ' .. esc(tostring(r)) end\n");
  // SAFETY: the state is created, used on this thread only, and closed before returning; the
  // result is copied out of it first.
  unsafe {
    let state = luaL_newstate();
    let openers: [lua_CFunction; 6] =
      [luaopen_base, luaopen_table, luaopen_string, luaopen_math, libs::bit::open, libs::structs::open];
    for open in openers {
      lua_pushcfunction(state, open);
      lua_call(state, 0, 0);
    }
    let loaded = luaL_loadbuffer(state, code.as_ptr().cast(), code.len(), c"@user_script".as_ptr());
    let status = if loaded == 0 { lua_pcall(state, 0, 1, 0) } else { loaded };
    let text = String::from_utf8_lossy(to_bytes(state, -1).unwrap_or(b"nil")).into_owned();
    lua_close(state);
    if status == 0 {
      text
    } else {
      format!("failed: {text}")
    }
  }
}

/// Evaluates every expression and fails listing each one whose text differs from the expected.
pub fn check(cases: &[(&str, &str)]) {
  let failures: Vec<String> = cases
    .iter()
    .filter_map(|(expression, expected)| {
      let actual = eval(expression);
      (actual != *expected).then(|| format!("{expression}\n  expected: {expected}\n  actual:   {actual}"))
    })
    .collect();
  assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
