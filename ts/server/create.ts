// Builds a standalone server: a fresh engine configured from redis-server-style arguments.

import { randomBytes } from 'node:crypto'
import { NativeEngine } from '../native/binding.js'
import { applyDirectives, ConfigError, parseArguments } from '../config.js'
import { assertTableMatches } from '../commands/table.js'
import { Logger, type LogLevel } from '../log.js'
import { RedwingServer, type ServerOptions } from './server.js'

export interface CreateServerOptions extends ServerOptions {
  /** redis-server-style arguments: `[config-file] [--name value ...] [-]`. */
  args?: string[]
  /** Reads the directives that a `-` argument (first or last) asks for (default: standard input). */
  stdin?: () => string
}

/** Creates a server around a new engine; call `listen()` to start it. */
export function createServer(options: CreateServerOptions = {}): RedwingServer {
  const engine = new NativeEngine()
  assertTableMatches(engine.commandTable())
  const { configFile, directives } = parseArguments(options.args ?? [], options.stdin)
  applyDirectives(engine, directives)
  try {
    engine.finishConfiguration()
  } catch (error) {
    throw new ConfigError((error as Error).message)
  }
  const logger =
    options.logger ??
    new Logger((engine.configValue('loglevel') ?? 'notice') as LogLevel, engine.configValue('logfile') ?? '')
  engine.setHostInfo({
    tcpPort: options.port ?? Number(engine.configValue('port') ?? 6379),
    executable: process.argv[1] ?? '',
    configFile,
    runId: randomBytes(20).toString('hex'),
  })
  return new RedwingServer(engine, { ...options, logger })
}
