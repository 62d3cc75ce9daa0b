// Starts redwing servers for tests: in-process (fast, shares nothing between test files) or as
// the real `redwing-server` executable (for command-line and signal tests).

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from '../../ts/server/create.js'
import { Logger } from '../../ts/log.js'
import { freePort, waitForPort } from './ports.js'

/** Where servers keep their files unless a test gives a `--dir`: never the repository, whose
 * `dump.rdb` the executable would load at start-up. */
const SCRATCH_DIR = mkdtempSync(join(tmpdir(), 'redwing-test-'))

/** `args` with `--dir` pointing at the scratch directory when they give none. */
function withScratchDir(args: string[]): string[] {
  return args.includes('--dir') ? args : [...args, '--dir', SCRATCH_DIR]
}

export interface RunningRedwing {
  port: number
  /** The TLS port, when `args` set `--tls-port` (0: none). */
  tlsPort: number
  close(): Promise<void>
}

/** Starts a server in this process on a free port (and on `--tls-port` when `args` set it).
 * `args` are redis-server-style options; as the redis-server of the differential tests, it has
 * no `save` rules unless they say so. */
export async function startRedwing(options: { args?: string[] } = {}): Promise<RunningRedwing> {
  const args = options.args ?? []
  const server = createServer({
    args: withScratchDir(args.includes('--save') ? args : ['--save', '', ...args]),
    port: 0,
    host: '127.0.0.1',
    logger: new Logger('nothing'),
  })
  const port = await server.listen()
  return { port, tlsPort: server.tlsPort, close: () => server.close() }
}

export const SERVER_SCRIPT = fileURLToPath(new URL('../../ts/bin/server.ts', import.meta.url))
/** The built `redwing-server` executable's script. */
export const DIST_SCRIPT = fileURLToPath(new URL('../../dist/bin/server.js', import.meta.url))

export interface RedwingProcess {
  port: number
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** Resolves once the output matches `pattern` (the log can trail the listening socket). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}

/** Runs the built `redwing-server` executable with `args` (a `--port` is added unless given;
 * with `--port 0`, `port` is the `--tls-port`). */
export async function spawnRedwing(args: string[] = [], attempts = 3): Promise<RedwingProcess> {
  const option = (name: string) => Number(args[args.indexOf(name) + 1])
  const givenPort = args.includes('--port') ? option('--port') : undefined
  const port = givenPort === 0 ? option('--tls-port') : (givenPort ?? (await freePort()))
  const fullArgs = withScratchDir(givenPort !== undefined ? args : [...args, '--port', String(port)])
  const child = spawn(process.execPath, [DIST_SCRIPT, ...fullArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  let running = true
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false
      resolve(code)
    }),
  )
  await Promise.race([waitForPort(port), exited])
  // A free port can be taken by another test process before the server binds it: try another.
  if (!running && /Failed listening/.test(output) && !args.includes('--port') && attempts > 1) {
    return spawnRedwing(args, attempts - 1)
  }
  const waitForOutput = async (pattern: RegExp, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${output}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  return { port, child, output: () => output, waitForOutput, exited }
}

/** Runs the executable to completion (for arguments that make it exit). */
export async function runRedwing(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [DIST_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  return { code, output }
}
