#!/usr/bin/env node
// `redwing-server`: the standalone server, a drop-in for `redis-server`.
//
//   redwing-server [/path/to/redis.conf] [--port 6380] [--bind 127.0.0.1] [...] [-]
//
// Logs like Redis, shuts down cleanly on SIGINT/SIGTERM or SHUTDOWN, writes a crash report
// when it dies of a fault (see crash.ts), runs in the background with `daemonize yes` and
// writes `pidfile` (see daemon.ts). `-v`/`--version` and `-h`/`--help`
// print what redis-server prints, in its format.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ConfigError, REDIS_VERSION } from '../config.js'
import { createServer } from '../server/create.js'
import { ListenError, UnixSocketError } from '../server/server.js'
import { TlsConfigError } from '../server/tls.js'
import { crashOnPurpose, installCrashHandlers, type CrashHost } from '../server/crash.js'
import { loadDataFromDiskServing } from '../server/persistence.js'
import { daemonReady, forwardLog, isDaemon, launchDaemon, writePidfile } from './daemon.js'

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version

/** redis-server's version line, with what INFO reports: the Redis version redwing behaves as
 * (`redis_version`, what clients check), no git commit or build id, the allocator and word
 * size; then redwing's own version (`redwing_version`). */
function version(): string {
  const bits = /64/.test(process.arch) ? 64 : 32
  return `Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=${bits} build=0 redwing=${VERSION}\n`
}

/** redis-server's usage text, for what redwing-server does (no --test-memory, --check-system
 * or Sentinel mode). Like redis-server, it goes to standard error, and the exit code is 1. */
function usage(): string {
  return [
    'Usage: redwing-server [/path/to/redis.conf] [options] [-]',
    '       redwing-server - (read config from stdin)',
    '       redwing-server -v or --version',
    '       redwing-server -h or --help',
    '',
    'Examples:',
    '       redwing-server (run the server with default conf)',
    "       echo 'maxmemory 128mb' | redwing-server -",
    '       redwing-server /etc/redis/6379.conf',
    '       redwing-server --port 7777',
    '       redwing-server --port 7777 --replicaof 127.0.0.1 8888',
    '       redwing-server /etc/myredis.conf --loglevel verbose -',
    '       redwing-server /etc/myredis.conf --loglevel verbose',
    '',
  ].join('\n')
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(version())
    return
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stderr.write(usage())
    process.exitCode = 1
    return
  }
  const daemon = isDaemon()
  let stdin: string | undefined
  let server: ReturnType<typeof createServer>
  try {
    server = createServer({
      args: argv,
      stdin: () => (stdin ??= readFileSync(0, 'utf8')),
      // As Redis's finishShutdown ends: the pid file goes, then the last line, then the process.
      onShutdown: () => {
        removePidfile()
        server.logger.warning('redwing is now ready to exit, bye bye...')
        process.exit(0)
      },
      onCrash: (kind, slot, argv) => crashOnPurpose(crashHost, kind, slot, argv),
    })
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 1
      return
    }
    throw error
  }
  const { logger, engine } = server
  if (engine.configValue('daemonize') === 'yes' && !daemon) {
    // The configuration is valid: the server itself runs detached.
    process.exitCode = await launchDaemon(fileURLToPath(import.meta.url), argv, stdin)
    return
  }
  if (daemon) forwardLog(logger)
  logger.warning('oO0OoO0OoO0Oo redwing is starting oO0OoO0OoO0Oo')
  logger.warning(
    `redwing version=${VERSION}, redis compatibility=${REDIS_VERSION}, bits=64, pid=${process.pid}, just started`,
  )
  logger.warning(argv.length ? 'Configuration loaded' : 'Warning: no config file specified, using the default config.')
  const fitted = engine.manageProcess()
  for (const line of fitted.log) logger.engine(line)
  if (!fitted.ok) process.exit(1)
  const dir = engine.configValue('dir')
  if (dir) {
    try {
      process.chdir(dir)
    } catch (error) {
      logger.warning(`Can't chdir to '${dir}': ${(error as Error).message}`)
      process.exit(1)
    }
  }
  const removePidfile = writePidfile(engine.configValue('pidfile') ?? '', daemon, logger)
  const crashHost: CrashHost = { engine, logger, version: VERSION, beforeExit: removePidfile }
  installCrashHandlers(crashHost)
  // As in Redis, the listeners open and the banner shows before the data loads; clients are
  // served meanwhile, with `-LOADING` for most commands.
  let port: number
  try {
    port = await server.listen()
  } catch (error) {
    if (error instanceof TlsConfigError) {
      logger.warning(error.message)
      logger.warning('Failed to configure TLS. Check logs for more info.')
    } else if (error instanceof UnixSocketError) {
      logger.warning(error.message)
    } else if (error instanceof ListenError) {
      const cause = (error.cause as Error).message
      logger.warning(`Failed listening on port ${error.port} (${error.transport}), aborting. ${cause}`)
    } else {
      logger.warning((error as Error).message)
    }
    process.exit(1)
  }
  // As Redis: a banner with the port and pid when `always-show-logo` is set or the log goes to a
  // terminal, a plain line otherwise.
  if (engine.configValue('always-show-logo') === 'yes' || (!logger.file && process.stdout.isTTY)) {
    logger.raw(
      'notice',
      `\n    redwing ${VERSION}, compatible with Redis ${REDIS_VERSION}, 64 bit\n` +
        `    Running in standalone mode\n    Port: ${port}\n    PID: ${process.pid}\n\n`,
    )
  } else {
    logger.notice(`Running mode=standalone, port=${port}.`)
  }
  logger.notice('Server initialized')
  // The engine's periodic work begins the shutdown (`shutdown-on-sigterm`, replicas to wait
  // for) and the server finishes it; one that cannot finish leaves the server running, as Redis
  // does, and the next signal tries again. During the load, the shutdown never saves.
  let loading = true
  const stop = (signal: 'SIGINT' | 'SIGTERM') => {
    logger.warning(
      loading
        ? 'Received shutdown signal during loading, scheduling shutdown.'
        : `Received ${signal} scheduling shutdown...`,
    )
    engine.requestShutdown(signal === 'SIGINT')
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  try {
    await loadDataFromDiskServing(engine, logger)
  } catch {
    // Logged already.
    process.exit(1)
  }
  loading = false
  if (server.plainPort !== 0) logger.notice('Ready to accept connections tcp')
  if (server.tlsPort !== 0) logger.notice('Ready to accept connections tls')
  if (server.memcachedPort !== 0) logger.notice(`Ready to accept memcached connections on port ${server.memcachedPort}`)
  if (server.unixSocket) logger.notice(`The server is now ready to accept connections at ${server.unixSocket}`)
  if (daemon) daemonReady(logger)
}

void main(process.argv.slice(2))
