// `npm run pack:local [-- destination]`: packs the tarballs a release publishes, from this
// checkout's build, into `destination` (default: the current directory):
//
//   redwing-<version>.tgz                         the main package, with the optionalDependencies
//                                                 `napi prepublish` adds at publish time (one per
//                                                 target in napi.targets), without the `prepare`
//                                                 script that builds a checkout (as the release
//                                                 workflow publishes it)
//   redwing-binding-<platform>-<version>.tgz      @redwing/binding-<platform> from npm/<platform>,
//                                                 with the addon, for each addon in ts/native
//
// `npm install` of these files gives what `npm install redwing` gives from the registry. The
// packages are staged in a temporary directory, so the checkout is left as it was; npm's
// scripts are not run (the build is done already).

import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseTriple } from '@napi-rs/cli'

const destination = resolve(process.argv[2] ?? '.')
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const { binaryName, packageName, targets } = pkg.napi
const stage = mkdtempSync(join(tmpdir(), 'redwing-pack-'))

/** Runs `npm pack` in `dir`; returns the tarball's file name. */
function pack(dir) {
  const args = ['pack', '--ignore-scripts', '--json', '--pack-destination', destination]
  const [{ filename }] = JSON.parse(execFileSync('npm', args, { cwd: dir, encoding: 'utf8' }))
  return filename
}

try {
  const main = join(stage, 'redwing')
  cpSync('README.md', join(main, 'README.md'))
  cpSync('dist', join(main, 'dist'), { recursive: true })
  const optionalDependencies = Object.fromEntries(
    targets.map((triple) => [`${packageName}-${parseTriple(triple).platformArchABI}`, pkg.version]),
  )
  const { prepare: _, ...scripts } = pkg.scripts
  const manifest = { ...pkg, scripts, optionalDependencies }
  writeFileSync(join(main, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  console.log(pack(main))

  for (const addon of readdirSync('ts/native').filter((file) => file.endsWith('.node'))) {
    const platform = addon.slice(binaryName.length + 1, -'.node'.length)
    const dir = join(stage, platform)
    cpSync(join('npm', platform), dir, { recursive: true })
    cpSync(join('ts/native', addon), join(dir, addon))
    console.log(pack(dir))
  }
} finally {
  rmSync(stage, { recursive: true, force: true })
}
