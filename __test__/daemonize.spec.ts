// `daemonize yes` and `pidfile`: the command returns once the detached server answers (or
// fails with its log), the pid file names the server, its log goes to `logfile`, and SIGTERM
// through the pid file or SHUTDOWN stops it cleanly, saving per the `save` rules and removing
// the pid file, as redis-server does.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { connect } from './helpers/resp-client.js'
import { freePort } from './helpers/ports.js'
import { spawnRedwing } from './helpers/server.js'

const SCRIPT = new URL('../dist/bin/server.js', import.meta.url).pathname

let dir: string
/** Pids of daemons started by the test, stopped afterwards if a failure left them running. */
const daemons: number[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redwing-daemon-'))
})

afterEach(() => {
  for (const pid of daemons.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Runs `redwing-server args` (with `input` on standard input) to its exit. */
function launch(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: dir })
  child.stdin.end(input)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

/** The pid the pid file holds, remembered for clean-up. */
function daemonPid(pidfile: string): number {
  const pid = Number(readFileSync(pidfile, 'utf8').trim())
  daemons.push(pid)
  return pid
}

async function gone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (alive(pid)) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}

test('--daemonize yes returns once the server answers; SIGTERM through the pid file stops it', async () => {
  const port = await freePort()
  const pidfile = join(dir, 'redwing.pid')
  const logfile = join(dir, 'redwing.log')
  const args = ['--daemonize', 'yes', '--port', String(port), '--pidfile', pidfile, '--logfile', logfile]
  const started = await launch([...args, '--save', '3600 1', '--dir', dir])
  expect(started).toEqual({ code: 0, stdout: '', stderr: '' })

  const pid = daemonPid(pidfile)
  const client = await connect(port)
  expect((await client.command('SET', 'key', 'value')).toString()).toBe('+OK\r\n')
  expect((await client.command('INFO', 'server')).toString()).toContain(`process_id:${pid}\r\n`)
  expect((await client.command('CONFIG', 'GET', 'daemonize')).toString()).toContain('yes')
  await client.close()
  expect(readFileSync(logfile, 'utf8')).toMatch(new RegExp(`^${pid}:M .* Ready to accept connections tcp$`, 'm'))

  process.kill(pid, 'SIGTERM')
  expect(await gone(pid)).toBe(true)
  expect(existsSync(pidfile)).toBe(false)
  expect(existsSync(join(dir, 'dump.rdb'))).toBe(true)
  const log = readFileSync(logfile, 'utf8')
  expect(log).toMatch(/Received SIGTERM scheduling shutdown/)
  expect(log).toMatch(/DB saved on disk\n.*Removing the pid file\.\n.*ready to exit, bye bye/)
})

test('daemonize from a config file, directives from standard input; SHUTDOWN removes the pid file', async () => {
  const port = await freePort()
  const config = join(dir, 'redwing.conf')
  writeFileSync(config, `daemonize yes\nport ${port}\npidfile redwing.pid\ndir ${dir}\n`)
  // Without a logfile, the daemon logs nowhere: the command prints nothing.
  expect(await launch([config, '-'], 'save ""\nhz 25\n')).toEqual({ code: 0, stdout: '', stderr: '' })

  const pid = daemonPid(join(dir, 'redwing.pid'))
  const client = await connect(port)
  expect((await client.command('CONFIG', 'GET', 'hz')).toString()).toContain('25')
  client.send('SHUTDOWN\r\n')
  expect(await client.waitForClose(5000)).toBe(true)
  expect(await gone(pid)).toBe(true)
  expect(existsSync(join(dir, 'redwing.pid'))).toBe(false)
  expect(existsSync(join(dir, 'dump.rdb'))).toBe(false)
})

test('a daemon that cannot start makes the command fail with its log', async () => {
  const busy = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => busy.once('listening', resolve))
  const port = (busy.address() as { port: number }).port
  const pidfile = join(dir, 'redwing.pid')
  try {
    const { code, stderr } = await launch(['--daemonize', 'yes', '--port', String(port), '--pidfile', pidfile])
    expect(code).toBe(1)
    expect(stderr).toMatch(new RegExp(`# Failed listening on port ${port} \\(tcp\\), aborting`))
    expect(existsSync(pidfile)).toBe(false)
  } finally {
    busy.close()
  }
})

test('an invalid configuration is reported before daemonizing', async () => {
  const { code, stderr } = await launch(['--daemonize', 'yes', '--hz', 'often'])
  expect(code).toBe(1)
  expect(stderr).toContain("argument couldn't be parsed into an integer")
})

test('a server in the foreground writes its pid file too, and removes it on SIGTERM', async () => {
  const pidfile = join(dir, 'redwing.pid')
  const server = await spawnRedwing(['--pidfile', pidfile, '--save', ''])
  expect(readFileSync(pidfile, 'utf8')).toBe(`${server.child.pid}\n`)
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
  expect(existsSync(pidfile)).toBe(false)
})
