//! Compiles the vendored Lua 5.1.5 (`lua-5.1.5/`, with the changes listed in its README) into a
//! static library linked into whatever uses this crate. Only the core and the libraries a
//! script may use are built: no `io`, `os`, `package` or standalone interpreter.

const SOURCES: &[&str] = &[
  "lapi.c", "lcode.c", "ldebug.c", "ldo.c", "ldump.c", "lfunc.c", "lgc.c", "llex.c", "lmem.c", "lobject.c",
  "lopcodes.c", "lparser.c", "lstate.c", "lstring.c", "ltable.c", "ltm.c", "lundump.c", "lvm.c", "lzio.c",
  "lauxlib.c", "lbaselib.c", "ldblib.c", "lmathlib.c", "lstrlib.c", "ltablib.c",
];

fn main() {
  let dir = std::path::Path::new("lua-5.1.5");
  let mut build = cc::Build::new();
  build.include(dir).warnings(false).opt_level(2);
  if cfg!(unix) {
    build.define("LUA_USE_POSIX", None);
  }
  for source in SOURCES {
    build.file(dir.join(source));
    println!("cargo:rerun-if-changed=lua-5.1.5/{source}");
  }
  println!("cargo:rerun-if-changed=lua-5.1.5");
  build.compile("lua5.1");
}
