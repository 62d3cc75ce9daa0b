//! Compiles the vendored Lua 5.1.5 (`lua-5.1.5/`, with the changes listed in its README) into a
//! static library linked into whatever uses this crate. Only the core and the libraries a
//! script may use are built: no `io`, `os`, `package` or standalone interpreter.

const SOURCES: &[&str] = &[
  "lapi.c",
  "lcode.c",
  "ldebug.c",
  "ldo.c",
  "ldump.c",
  "lfunc.c",
  "lgc.c",
  "llex.c",
  "lmem.c",
  "lobject.c",
  "lopcodes.c",
  "lparser.c",
  "lstate.c",
  "lstring.c",
  "ltable.c",
  "ltm.c",
  "lundump.c",
  "lvm.c",
  "lzio.c",
  "lauxlib.c",
  "lbaselib.c",
  "ldblib.c",
  "lmathlib.c",
  "lstrlib.c",
  "ltablib.c",
];

fn main() {
  let dir = std::path::Path::new("lua-5.1.5");
  let mut build = cc::Build::new();
  build.include(dir).warnings(false).opt_level(2);
  // The target's family, not this script's (`cfg!` here would describe the machine building).
  // Of what `luaconf.h` derives from LUA_USE_POSIX, only `_setjmp`/`_longjmp` for errors (no
  // signal mask saved per protected call) reaches the files built here; LUA_USE_LINUX and
  // LUA_USE_MACOSX add only dynamic loading and readline, for `loadlib.c` and `lua.c`, which
  // are not built. Windows needs no define: `luaconf.h` sees `_WIN32` itself, and its
  // Windows-only settings concern the same unbuilt files; errors use `setjmp`/`longjmp`.
  let unix = std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|families| families.split(',').any(|f| f == "unix"));
  if unix {
    build.define("LUA_USE_POSIX", None);
  }
  for source in SOURCES {
    build.file(dir.join(source));
    println!("cargo:rerun-if-changed=lua-5.1.5/{source}");
  }
  println!("cargo:rerun-if-changed=lua-5.1.5");
  build.compile("lua5.1");
}
