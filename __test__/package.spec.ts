// The package a user installs. The tarballs a release publishes (`npm run pack:local`: the main
// package and this platform's binding package) are installed by npm into an empty folder with
// no registry at all (`--offline` and an empty cache), and used there as a user would: the
// server through `npx redwing-server`, the library through `import` and `require`, its typings
// through tsc. The per-platform packages in npm/ are checked against what napi generates from
// package.json (run `npm run create-npm-dirs` after changing its napi config or metadata).
//
// Needs the build (`npm run build`), as `npm test` on CI has it.

import { execFile, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { NapiCli, parseTriple } from '@napi-rs/cli'
import { connect } from './helpers/resp-client.js'
import { freePort, waitForPort } from './helpers/ports.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))

/** The environment without the variables `npm test` sets for its scripts (`npm_config_*` and
 * the like), so the npm run below sees only its own options. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

/** This machine's platform, as the addon the build made is named (`linux-x64-gnu`). */
const addon = readdirSync(join(ROOT, 'ts/native')).find((file) => file.endsWith('.node'))!
const platform = addon.slice(pkg.napi.binaryName.length + 1, -'.node'.length)
const bindingPackage = `${pkg.napi.packageName}-${platform}`

describe('installed from its tarballs, offline', () => {
  let dir: string
  let app: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redwing-package-'))
    app = join(dir, 'app')
    mkdirSync(app)
    const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/pack.mjs'), dir], { cwd: ROOT, env })
    const tarballs = stdout.trim().split('\n')
    expect(tarballs).toEqual([`redwing-${pkg.version}.tgz`, `redwing-binding-${platform}-${pkg.version}.tgz`])
    const cache = join(dir, 'npm-cache')
    const install = ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache]
    await run('npm', [...install, ...tarballs.map((file) => join(dir, file))], { cwd: app, env })
  }, 60_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('ships the builds and the command specs, no addon, sources or tests', () => {
    const installed = join(app, 'node_modules/redwing')
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json'])
    const files = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' })
    expect(files).toContain('index.js')
    expect(files).toContain('bin/server.js')
    expect(files).toContain('cjs/index.js')
    expect(files).toContain('commands/spec/string.json')
    expect(files.filter((file) => /\.(node|map|ts)$/.test(file) && !file.endsWith('.d.ts'))).toEqual([])
    expect(readdirSync(join(app, 'node_modules', bindingPackage)).sort()).toEqual(
      ['README.md', addon, 'package.json'].sort(),
    )
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
    expect(manifest.optionalDependencies[bindingPackage]).toBe(pkg.version)
    expect(manifest.scripts.prepare).toBeUndefined()
  })

  test('npx redwing-server serves, and stops on SHUTDOWN', async () => {
    const port = await freePort()
    const server = spawn('npx', ['--offline', 'redwing-server', '--port', String(port), '--save', ''], {
      cwd: app,
      env,
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => server.on('exit', resolve))
    await waitForPort(port)
    const client = await connect(port)
    expect((await client.command('PING')).toString()).toBe('+PONG\r\n')
    client.send('SHUTDOWN NOSAVE\r\n')
    expect(await client.waitForClose(5000)).toBe(true)
    expect(await exited).toBe(0)
  })

  test('import and require load the ES module and CommonJS builds', async () => {
    const use = "new Redwing().call('SET', 'k', 'v') + ' ' + new Redwing().call('PING')"
    const esm = `import { Redwing } from 'redwing'; console.log(import.meta.resolve('redwing'), ${use})`
    const cjs = `const { Redwing } = require('redwing'); console.log(require.resolve('redwing'), ${use})`
    const { stdout: imported } = await run(process.execPath, ['--input-type=module', '-e', esm], { cwd: app, env })
    const { stdout: required } = await run(process.execPath, ['-e', cjs], { cwd: app, env })
    expect(imported).toMatch(/node_modules\/redwing\/dist\/index\.js OK PONG\n$/)
    expect(required).toMatch(/node_modules\/redwing\/dist\/cjs\/index\.js OK PONG\n$/)
  })

  test('redwing/ioredis loads from both builds; require gives the class, as ioredis does', async () => {
    const use = "r.set('k', 'v').then(() => r.get('k')).then((v) => { console.log(where, v); r.disconnect() })"
    const esm = `import Redis from 'redwing/ioredis'; const r = new Redis(); const where = import.meta.resolve('redwing/ioredis'); ${use}`
    const cjs = `const Redis = require('redwing/ioredis'); const r = new Redis(); const where = require.resolve('redwing/ioredis'); ${use}`
    const { stdout: imported } = await run(process.execPath, ['--input-type=module', '-e', esm], { cwd: app, env })
    const { stdout: required } = await run(process.execPath, ['-e', cjs], { cwd: app, env })
    expect(imported).toMatch(/node_modules\/redwing\/dist\/ioredis\/index\.js v\n$/)
    expect(required).toMatch(/node_modules\/redwing\/dist\/cjs\/ioredis\/require\.cjs v\n$/)
  })

  test('the typings check, from an ES module and from CommonJS', async () => {
    const source = [
      "import { Redwing, ReplyError, type RedwingOptions } from 'redwing'",
      "import Redis from 'redwing/ioredis'",
      'const options: RedwingOptions = {}',
      'const db = new Redwing(options)',
      "const value: string | null = db.get('k')",
      "const reply: Promise<unknown> = new Redis({ store: db }).get('k')",
      'console.log(value, ReplyError, reply)',
    ].join('\n')
    writeFileSync(join(app, 'check.mts'), source)
    writeFileSync(join(app, 'check.cts'), source)
    // Node's own typings come from the checkout, as a user's project has its own.
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    const options = ['--noEmit', '--strict', '--module', 'nodenext', '--types', 'node']
    const typeRoots = ['--typeRoots', join(ROOT, 'node_modules/@types')]
    await run(process.execPath, [tsc, ...options, ...typeRoots, 'check.mts', 'check.cts'], { cwd: app, env })
  })
})

test('npm/ holds what `napi create-npm-dirs` makes of package.json: one package per target', async () => {
  // napi writes only inside the project it runs for: this one is a copy of package.json.
  const project = mkdtempSync(join(tmpdir(), 'redwing-npm-dirs-'))
  const generated = join(project, 'npm')
  try {
    cpSync(join(ROOT, 'package.json'), join(project, 'package.json'))
    await new NapiCli().createNpmDirs({ cwd: project })
    const committed = join(ROOT, 'npm')
    const platforms = (pkg.napi.targets as string[]).map((triple) => parseTriple(triple).platformArchABI)
    expect(readdirSync(committed).sort()).toEqual(platforms.sort())
    for (const platform of platforms) {
      for (const file of ['package.json', 'README.md']) {
        const expected = readFileSync(join(generated, platform, file), 'utf8')
        expect(readFileSync(join(committed, platform, file), 'utf8'), `npm/${platform}/${file}`).toBe(expected)
      }
    }
  } finally {
    rmSync(project, { recursive: true, force: true })
  }
})

test('the Rust crates carry the package version (INFO reports it as redwing_version)', () => {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8')
  expect(cargo.match(/^\[workspace\.package\][^[]*?^version = "([^"]+)"/m)?.[1]).toBe(pkg.version)
})
