// Starts a real redis-server (the oracle of the differential tests) on a free loopback port, with
// persistence disabled and a throwaway working directory, and waits until it accepts connections.
// A missing redis-server binary is an error, never a reason to skip: without the oracle the
// differential tests prove nothing.

import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, waitForPort } from './ports.js'

export interface RunningRedis {
  port: number
  /** The last few thousand characters the server logged. */
  output(): string
  close(): Promise<void>
}

const STARTUP_TIMEOUT_MS = 10_000
const SHUTDOWN_TIMEOUT_MS = 5_000
const OUTPUT_KEPT_CHARS = 4000

export async function startRedisServer(extraArgs: string[] = []): Promise<RunningRedis> {
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'redwing-oracle-'))
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  args.push('--daemonize', 'no', '--dir', dir, ...extraArgs)
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })

  let output = ''
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS)
  }
  child.stdout.on('data', keepOutput)
  child.stderr.on('data', keepOutput)
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`))
  })
  const removeDir = (): Promise<void> => rm(dir, { recursive: true, force: true })

  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === 'ENOENT'
            ? 'redis-server was not found on PATH; the differential tests need it as their oracle (apt-get install redis-server)'
            : `could not start redis-server: ${error.message}`
        reject(new Error(reason))
      })
    })
    const exitedEarly = exited.then((status) => {
      throw new Error(`it exited during startup (${status})`)
    })
    await Promise.race([waitForPort(port, STARTUP_TIMEOUT_MS), exitedEarly]).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`redis-server did not start on port ${port}: ${reason}\n${output}`)
    })
  } catch (error) {
    child.kill('SIGKILL')
    await removeDir()
    throw error
  }

  return {
    port,
    output: () => output,
    async close(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS)
        await exited
        clearTimeout(timer)
      }
      await removeDir()
    },
  }
}
