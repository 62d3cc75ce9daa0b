// Where this build of the package sits on disk, for the data files it reads at run time (the
// command specs beside `commands/`).
//
// The package ships two builds of the same sources, ES modules in `dist/` and CommonJS in
// `dist/cjs/`, and `import.meta` does not compile to CommonJS. So this one module is CommonJS in
// both (a `.cts` file always compiles to `.cjs`) and uses `__dirname`; the ES modules import it
// as Node lets them import any CommonJS module. Under vitest it is the `ts/` directory; vitest
// loads this file untransformed, so it holds no type syntax.

/** The directory of the build this module belongs to: `dist/`, `dist/cjs/` or `ts/`. */
export const buildDir = __dirname
