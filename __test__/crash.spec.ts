// Crash reports of the standalone server: DEBUG SEGFAULT, PANIC and ASSERT, SIGABRT and an
// exception nothing caught each leave Redis's bug report in the log (the cause, INFO, the
// client list, the running command), remove the pid file and end the process as Redis's end:
// by the signal, by abort(), or with exit code 1 under `use-exit-on-panic`. An embedded
// store's listener refuses the DEBUG crashes instead of taking its application down.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'
import { connect } from './helpers/resp-client.js'
import { freePort, waitForPort } from './helpers/ports.js'
import { spawnRedwing } from './helpers/server.js'

const dir = mkdtempSync(join(tmpdir(), 'redwing-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const START = '=== REDWING BUG REPORT START: Cut & paste starting from here ==='
const END = '=== REDWING BUG REPORT END. Make sure to include from START to END. ==='

/** A server crashed by `debug` (DEBUG's subcommand), with `args`; its log, exit code and
 * signal once it died. */
async function crashedBy(debug: string, args: string[] = []) {
  const pidfile = join(dir, `${debug}.pid`)
  const server = await spawnRedwing(['--enable-debug-command', 'yes', '--pidfile', pidfile, '--dir', dir, ...args])
  expect(existsSync(pidfile)).toBe(true)
  const c = await connect(server.port)
  await c.command('SET', 'kept', 'value')
  c.send(`DEBUG ${debug}\r\n`)
  const code = await server.exited
  return { log: server.output(), code, signal: server.child.signalCode, pidfileLeft: existsSync(pidfile) }
}

/** The lines between the report's START and END lines. */
function report(log: string): string {
  const start = log.indexOf(START)
  const end = log.indexOf(END)
  expect(start, log).toBeGreaterThanOrEqual(0)
  expect(end, log).toBeGreaterThan(start)
  return log.slice(start + START.length, end)
}

test('DEBUG SEGFAULT: the report, with the running command; the pid file goes; death by SIGSEGV', async () => {
  const { log, signal, pidfileLeft } = await crashedBy('SEGFAULT')
  expect(signal).toBe('SIGSEGV')
  expect(pidfileLeft).toBe(false)
  const text = report(log)
  expect(text).toMatch(/^\n\d+:M .* # redwing \S+ crashed by signal: 11, si_code: 0\n/)
  expect(text).toContain('\n------ INFO OUTPUT ------\n# Server\r\n')
  expect(text).toContain('\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n')
  expect(text).toMatch(/\n------ CLIENT LIST OUTPUT ------\nid=\d+ addr=127\.0\.0\.1:\d+ .* cmd=debug /)
  expect(text).toMatch(
    /\n------ CURRENT CLIENT INFO ------\nid=\d+ .*\nargc: '2'\nargv\[0\]: '"DEBUG"'\nargv\[1\]: '"SEGFAULT"'\n/,
  )
})

test('DEBUG PANIC and ASSERT: Redis words, then abort(), or exit code 1 with use-exit-on-panic', async () => {
  const panic = await crashedBy('PANIC')
  expect(panic.signal).toBe('SIGABRT')
  expect(panic.pidfileLeft).toBe(false)
  expect(report(panic.log)).toMatch(
    /# !!! Software Failure\. Press left mouse button to continue\n.*# Guru Meditation: DEBUG PANIC called at Unix time \d+\n/,
  )
  const assert = await crashedBy('ASSERT', ['--use-exit-on-panic', 'yes'])
  expect([assert.code, assert.signal]).toEqual([1, null])
  expect(report(assert.log)).toMatch(/# === ASSERTION FAILED ===\n.*# ==> DEBUG ASSERT: '1 == 2' is not true\n/)
})

test('crash-log-enabled no: the cause only', async () => {
  const { log, signal } = await crashedBy('SEGFAULT', ['--crash-log-enabled', 'no'])
  expect(signal).toBe('SIGSEGV')
  const text = report(log)
  expect(text).toContain('crashed by signal: 11')
  expect(text).not.toContain('INFO OUTPUT')
})

test('SIGABRT sent to the process is reported, and kills it', async () => {
  const server = await spawnRedwing(['--dir', dir])
  server.child.kill('SIGABRT')
  await server.exited
  expect(server.child.signalCode).toBe('SIGABRT')
  const text = report(server.output())
  expect(text).toContain('crashed by signal: 6, si_code: 0')
  expect(text).toContain('\n------ CLIENT LIST OUTPUT ------\n')
  expect(text).not.toContain('CURRENT CLIENT INFO')
})

test('an exception nothing caught is reported with its stack; the exit code is 1', async () => {
  // The exception comes from a module loaded before the server, thrown once it serves.
  const thrower = join(dir, 'throw.mjs')
  writeFileSync(thrower, "process.once('SIGUSR2', () => { throw new Error('out of nowhere') })\n")
  const port = await freePort()
  const script = fileURLToPath(new URL('../dist/bin/server.js', import.meta.url))
  const child = spawn(process.execPath, ['--import', thrower, script, '--port', String(port), '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  await waitForPort(port)
  child.kill('SIGUSR2')
  expect(await exited).toBe(1)
  const text = report(output)
  expect(text).toContain('crashed by an uncaught exception: Error: out of nowhere\n')
  expect(text).toMatch(/\n------ STACK TRACE ------\nError: out of nowhere\n {4}at /)
  expect(text).toContain('\n------ INFO OUTPUT ------\n')
})

test("an embedded store's listener refuses the DEBUG crashes", async () => {
  const db = new Redwing({ config: { 'enable-debug-command': 'yes' } })
  try {
    const c = await connect(await db.listen({ port: 0 }))
    for (const sub of ['SEGFAULT', 'PANIC', 'ASSERT']) {
      expect((await c.command('DEBUG', sub)).toString()).toBe(
        `-ERR DEBUG ${sub} is not available in the embedded store\r\n`,
      )
    }
    expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
    c.close()
  } finally {
    db.close()
  }
})
