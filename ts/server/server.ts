// The RESP server: listeners, connections, and the periodic tick.
//
// A `RedwingServer` serves one native engine over TCP. The standalone `redwing-server` creates
// one around a fresh engine; the embedded store's `listen()` creates one around its own engine,
// so in-process calls and network clients share the same keyspace.

import { createServer, type Server, type Socket } from 'node:net'
import type { NativeEngine } from '../native/binding.js'
import type { TsCommandContext } from '../commands/ts-commands.js'
import { encodeError } from '../resp.js'
import { Logger } from '../log.js'
import { Connection, type ConnectionHost } from './connection.js'
import { routerFor, type Router } from './router.js'

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default: the engine's `port` setting (6379). */
  port?: number
  /** Addresses to bind. Default: the engine's `bind` setting (127.0.0.1). */
  host?: string | string[]
  logger?: Logger
  /** Called after SHUTDOWN closed the server (the standalone server exits the process here). */
  onShutdown?: () => void
}

export class RedwingServer implements ConnectionHost {
  readonly logger: Logger
  readonly router: Router
  #listeners: Server[] = []
  #connections = new Map<number, Connection>()
  #tickTimer: NodeJS.Timeout | undefined
  #port = 0
  #closing: Promise<void> | undefined

  constructor(
    readonly engine: NativeEngine,
    private readonly options: ServerOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('warning')
    this.router = routerFor(engine)
  }

  /** The port the server listens on (known once `listen` resolved). */
  get port(): number {
    return this.#port
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.#connections.size
  }

  /** Starts listening on every bind address; resolves with the port. */
  async listen(): Promise<number> {
    const port = this.options.port ?? Number(this.engine.configValue('port') ?? 6379)
    const hosts = normaliseHosts(this.options.host ?? this.engine.configValue('bind') ?? '127.0.0.1')
    for (const host of hosts) {
      const listener = createServer((socket) => this.#accept(socket))
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject)
        listener.listen({ port: this.#port || port, host }, () => {
          listener.off('error', reject)
          resolve()
        })
      })
      const address = listener.address()
      if (address && typeof address === 'object') this.#port = address.port
      this.#listeners.push(listener)
    }
    this.#scheduleTick()
    return this.#port
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#tickTimer)
      for (const connection of [...this.#connections.values()]) connection.kill()
      await Promise.all(this.#listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))))
      this.#listeners = []
    })()
    return this.#closing
  }

  #accept(socket: Socket): void {
    const maxClients = Number(this.engine.configValue('maxclients') ?? 10000)
    if (this.#connections.size >= maxClients) {
      socket.end(encodeError('ERR max number of clients reached'))
      return
    }
    const connection = new Connection(socket, this)
    this.#connections.set(connection.slot, connection)
  }

  #scheduleTick(): void {
    const hz = Math.max(1, Number(this.engine.hz()))
    this.#tickTimer = setTimeout(() => {
      try {
        const { outbound, log } = this.engine.tick()
        for (const line of log) this.logger.notice(line)
        this.router.route(outbound)
      } catch (error) {
        this.logger.warning(`Internal error in periodic work: ${String(error)}`)
      }
      this.#scheduleTick()
    }, 1000 / hz)
    this.#tickTimer.unref()
  }

  forget(connection: Connection): void {
    if (this.#connections.get(connection.slot) === connection) this.#connections.delete(connection.slot)
  }

  commandContext(): TsCommandContext {
    return {
      shutdown: async () => {
        this.logger.warning('User requested shutdown...')
        await this.close()
        this.logger.warning('redwing is now ready to exit, bye bye...')
        this.options.onShutdown?.()
      },
    }
  }
}

/** `bind` may list several addresses separated by spaces; a leading `-` marks one as optional. */
function normaliseHosts(host: string | string[]): string[] {
  const list = Array.isArray(host) ? host : host.split(/\s+/)
  return list.filter(Boolean).map((h) => (h.startsWith('-') ? h.slice(1) : h))
}
