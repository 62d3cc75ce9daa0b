// `npm run build:ts`: compiles ts/ into the two builds the package ships, and puts beside each
// what tsc does not emit.
//
//   dist/      ES modules, as package.json's "type" says: `import 'redwing'` and the CLI
//   dist/cjs/  CommonJS, marked by a package.json of its own: `require('redwing')`
//
// Each build gets napi's loader for the native addon in its own format (the ES one is generated
// by `npm run build:native` into ts/native; the CommonJS one is written here by the same napi
// code, exporting the same names), the addon itself when there is one in ts/native (a
// checkout; an installed package finds it in its platform package instead), and the command
// specs that ts/commands/table.ts reads at run time.

import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { writeJsBinding } from '@napi-rs/cli'

const require = createRequire(import.meta.url)
const tsc = require.resolve('typescript/bin/tsc')
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))

// From scratch, so that nothing a former build left behind is packed.
rmSync('dist', { recursive: true, force: true })
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' })
}

const addons = readdirSync('ts/native').filter((file) => file.endsWith('.node'))
for (const build of ['dist', 'dist/cjs']) {
  cpSync('ts/commands/spec', `${build}/commands/spec`, { recursive: true })
  for (const file of ['binding.d.ts', ...addons]) cpSync(`ts/native/${file}`, `${build}/native/${file}`)
}
cpSync('ts/native/binding.js', 'dist/native/binding.js')

writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`)
const esmLoader = readFileSync('ts/native/binding.js', 'utf8')
const idents = [...esmLoader.matchAll(/^export \{ (\w+) \}$/gm)].map((match) => match[1])
if (idents.length === 0) throw new Error('found no exports in ts/native/binding.js to give the CommonJS loader')
await writeJsBinding({
  platform: true,
  format: 'commonjs',
  idents,
  binaryName: pkg.napi.binaryName,
  packageName: pkg.napi.packageName,
  version: pkg.version,
  outputDir: 'dist/cjs/native',
  jsBinding: 'binding.js',
})
