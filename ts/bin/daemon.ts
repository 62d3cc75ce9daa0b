// `daemonize yes` and the pid file, for the standalone server.
//
// Redis forks and lets the parent exit at once, so a server that then fails to start (a port
// in use) says so only in its log. Node cannot fork; instead the command started in the
// foreground checks the configuration, then runs the server again as a detached process (its
// own session, with no terminal and no standard streams) and waits for it: it returns 0 once
// the server listens, or prints the server's log and returns its exit code when it fails to
// start. The two talk over an IPC channel, closed once the server is ready; an environment
// variable tells the server it is the daemon. Directives read from standard input (`-`) are
// handed on through the daemon's standard input.
//
// As in Redis, a daemon with no `logfile` logs nowhere (its standard output is /dev/null), and
// the pid file (`pidfile`, or /var/run/redis.pid for a daemon without one) is written by the
// server process, daemon or not, and removed when it exits.

import { spawn } from 'node:child_process'
import { unlinkSync, writeFileSync } from 'node:fs'
import type { Logger } from '../log.js'

/** Set in the environment of the detached server process. */
const DAEMON_ENV = 'REDWING_DAEMON'

/** Redis's pid file for a daemon whose configuration names none. */
const DEFAULT_PIDFILE = '/var/run/redis.pid'

/** What the daemon tells its launcher. */
type DaemonMessage = { line: string } | { ready: true }

/** Whether this process is the detached server of a `daemonize yes` start; removes the marker
 * from the environment, so that nothing the server runs inherits it. */
export function isDaemon(): boolean {
  const daemon = process.env[DAEMON_ENV] === '1'
  delete process.env[DAEMON_ENV]
  return daemon
}

/** Starts this script again with `argv` as a detached daemon and waits for it; resolves with
 * the exit code for the command: 0 once the daemon listens, or the daemon's own when it exits
 * first (its log then goes to standard error). `stdin` is what this process read from standard
 * input for `-`, if it did. */
export function launchDaemon(script: string, argv: string[], stdin: string | undefined): Promise<number> {
  const daemon = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    detached: true,
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DAEMON_ENV]: '1' },
  })
  daemon.stdin?.end(stdin)
  const log: string[] = []
  return new Promise((resolve) => {
    daemon.on('message', (message: DaemonMessage) => {
      if ('line' in message) return void log.push(message.line)
      daemon.removeAllListeners('exit')
      daemon.disconnect()
      daemon.unref()
      resolve(0)
    })
    daemon.on('exit', (code) => {
      process.stderr.write(log.join(''))
      resolve(code || 1)
    })
    daemon.on('error', (error) => {
      process.stderr.write(`Could not start the server in the background: ${error.message}\n`)
      resolve(1)
    })
  })
}

/** In the daemon: sends the start-up log to the launcher as well, until `daemonReady`. */
export function forwardLog(logger: Logger): void {
  logger.tee = (line) => process.send?.({ line } satisfies DaemonMessage)
}

/** In the daemon: tells the launcher that the server listens, and lets it go. */
export function daemonReady(logger: Logger): void {
  logger.tee = undefined
  process.send?.({ ready: true } satisfies DaemonMessage, () => process.disconnect())
}

/** Writes this process's pid to the configured pid file (relative paths from `dir`, as in
 * Redis); a file that cannot be written is logged. Returns the function that removes it, which
 * also runs when the process exits. */
export function writePidfile(configured: string, daemon: boolean, logger: Logger): () => void {
  const path = configured || (daemon ? DEFAULT_PIDFILE : '')
  let written = false
  const remove = (quietly = false) => {
    if (!written) return
    written = false
    if (!quietly) logger.notice('Removing the pid file.')
    try {
      unlinkSync(path)
    } catch {
      // Gone already: nothing to remove.
    }
  }
  if (!path) return remove
  try {
    writeFileSync(path, `${process.pid}\n`)
    written = true
  } catch (error) {
    logger.warning(`Failed to write PID file: ${(error as Error).message}`)
  }
  // A failed start leaves its error as the log's last line, as Redis's does.
  process.once('exit', (code) => remove(code !== 0))
  return remove
}
