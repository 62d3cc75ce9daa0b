// The RESP server: listeners, connections, and the periodic tick.
//
// A `RedwingServer` serves one native engine over TCP. The standalone `redwing-server` creates
// one around a fresh engine; the embedded store's `listen()` creates one around its own engine,
// so in-process calls and network clients share the same keyspace.

import { readFileSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { NativeEngine } from '../native/binding.js'
import type { TsCommandContext } from '../commands/ts-commands.js'
import { encodeError } from '../resp.js'
import { Logger } from '../log.js'
import { Connection, type ConnectionHost } from './connection.js'
import { routerFor, type Router } from './router.js'
import { driveSnapshot, prepareShutdown, rdbPath, saveRdb } from './persistence.js'

/** Bytes of replies one read's commands can return without an object on the JavaScript heap
 * (larger replies come back as a Buffer of their own). */
const SOCKET_BUFFER_SIZE = 64 * 1024

/** Bytes one socket read can bring (as Node reads by default). */
const READ_BUFFER_SIZE = 64 * 1024

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
  #hosts: BindAddress[] = []
  #connections = new Map<number, Connection>()
  #tickTimer: NodeJS.Timeout | undefined
  #port = 0
  #closing: Promise<void> | undefined
  #socketBuffer = Buffer.alloc(0)
  /** A flush of the replicas is scheduled for the end of this turn of the event loop. */
  #replicaFlush = false
  readonly readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_SIZE)

  constructor(
    readonly engine: NativeEngine,
    private readonly options: ServerOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('warning')
    this.router = routerFor(engine)
    this.renewSocketBuffer()
  }

  get socketBuffer(): Buffer {
    return this.#socketBuffer
  }

  renewSocketBuffer(): void {
    this.#socketBuffer = Buffer.allocUnsafeSlow(SOCKET_BUFFER_SIZE)
    this.engine.setSocketBuffer(this.#socketBuffer)
  }

  flushReplicasSoon(): void {
    if (this.#replicaFlush) return
    this.#replicaFlush = true
    setImmediate(() => {
      this.#replicaFlush = false
      this.#flushReplicas()
    })
  }

  /** Sends the replicas their new stream bytes; routes what their sockets did not take. */
  #flushReplicas(): void {
    const left = this.engine.flushReplicas()
    if (left) this.router.route(left)
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
    await this.#listenOn(port, bindAddresses(this.options.host ?? this.engine.configValue('bind') ?? '127.0.0.1'))
    this.#scheduleTick()
    return this.#port
  }

  /** Opens one listener per address, all on one port (the first one's, when `port` is 0). An
   * address marked optional (`-::1`) that cannot be bound is skipped; if another fails, the
   * listeners opened so far are closed and the error thrown. */
  async #openListeners(port: number, hosts: BindAddress[]): Promise<{ listeners: Server[]; port: number }> {
    const listeners: Server[] = []
    try {
      for (const { host, optional } of hosts) {
        const listener = createServer({ pauseOnConnect: true }, (socket) => this.#accept(socket))
        try {
          await new Promise<void>((resolve, reject) => {
            listener.once('error', reject)
            listener.listen({ port, host }, () => {
              listener.off('error', reject)
              resolve()
            })
          })
        } catch (error) {
          if (optional) continue
          throw error
        }
        listeners.push(listener)
        const address = listener.address()
        if (address && typeof address === 'object') port = address.port
      }
    } catch (error) {
      await closeListeners(listeners)
      throw error
    }
    return { listeners, port }
  }

  /** CONFIG SET port/bind: moves the listeners to where the engine's configuration now says,
   * as Redis does: the old ones close first (the new addresses may include theirs), and come
   * back if the new ones cannot be opened. Existing connections stay. Resolves with whether it
   * worked. */
  async #relisten(): Promise<boolean> {
    const port = Number(this.engine.configValue('port') ?? 6379)
    const bind = this.engine.configValue('bind') ?? '127.0.0.1'
    const old = { port: this.#port, hosts: this.#hosts }
    await closeListeners(this.#listeners, false)
    try {
      await this.#listenOn(port, bindAddresses(bind))
      this.logger.notice(`Listening again on port ${this.#port} (${bind})`)
      return true
    } catch (error) {
      this.logger.warning(`Could not listen on ${bind} port ${port}: ${String(error)}`)
      await this.#listenOn(old.port, old.hosts).catch((again: unknown) =>
        this.logger.warning(`Could not listen on the previous addresses again: ${String(again)}`),
      )
      return false
    }
  }

  async #listenOn(port: number, hosts: BindAddress[]): Promise<void> {
    const opened = await this.#openListeners(port, hosts)
    this.#listeners = opened.listeners
    this.#port = opened.port
    this.#hosts = hosts
    this.engine.setListeningPort(this.#port)
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#tickTimer)
      prepareShutdown(this.engine, this.logger)
      for (const connection of [...this.#connections.values()]) connection.kill()
      await closeListeners(this.#listeners)
      this.#listeners = []
    })()
    return this.#closing
  }

  #accept(socket: Socket): void {
    const maxClients = Number(this.engine.configValue('maxclients') ?? 10000)
    if (this.#connections.size >= maxClients) {
      // As Redis: the error, then the descriptor is closed at once, whatever the client does
      // (a half-closed socket left for the client to end would hold it as long as it likes).
      this.engine.connectionRejected()
      socket.end(encodeError('ERR max number of clients reached'), () => socket.destroy())
      return
    }
    const connection = Connection.accept(socket, this)
    this.#connections.set(connection.slot, connection)
  }

  /** A replica's link to its master (the engine asked for it): once connected, it is a
   * connection like the others, whose input the engine runs as the replication protocol. */
  #connectMaster(address: { host: string; port: number }): void {
    let connection: Connection | undefined
    const timeout = Number(this.engine.configValue('repl-timeout') ?? 60) * 1000
    const socket = connect({
      host: address.host,
      port: address.port,
      onread: {
        buffer: this.readBuffer,
        callback: (length: number) => {
          connection?.received(length)
          return true
        },
      },
    })
    socket.setTimeout(timeout, () => socket.destroy(new Error('Timeout connecting to the MASTER...')))
    socket.once('error', (error) => {
      if (!connection) this.engine.masterConnectFailed(error.message)
    })
    socket.once('connect', () => {
      socket.setTimeout(0)
      if (this.#closing) return void socket.destroy()
      connection = new Connection(socket, this)
      this.#connections.set(connection.slot, connection)
      const first = this.engine.masterConnected(connection.slot)
      if (first) connection.deliver(first)
      else connection.kill()
    })
  }

  #scheduleTick(): void {
    const hz = Math.max(1, Number(this.engine.hz()))
    this.#tickTimer = setTimeout(() => {
      try {
        const tick = this.engine.tick()
        this.logger.role = this.engine.configValue('replicaof') ? 'S' : 'M'
        for (const line of tick.log) this.logger.engine(line)
        this.router.route(tick)
        // A finished snapshot may leave output for replicas (their full resynchronisation).
        if (tick.saving) void driveSnapshot(this.engine).then(() => this.#flushReplicas())
        if (tick.connectMaster) this.#connectMaster(tick.connectMaster)
      } catch (error) {
        this.logger.warning(`Internal error in periodic work: ${String(error)}`)
      }
      this.#scheduleTick()
    }, 1000 / hz)
    this.#tickTimer.unref()
  }

  /** Saves the dataset before the process exits (SHUTDOWN, SIGTERM); returns whether it could. */
  saveBeforeExit(): boolean {
    prepareShutdown(this.engine, this.logger)
    this.logger.notice('Saving the final RDB snapshot before exiting.')
    try {
      saveRdb(this.engine, this.engine.rdbSnapshot(), this.logger)
    } catch (error) {
      this.logger.warning(`Error trying to save the DB, can't exit: ${(error as Error).message}`)
      return false
    }
    return true
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
      relisten: () => this.#relisten(),
      restoreConfig: (name, value) => this.engine.restoreConfig(name, value),
      save: (file) => {
        try {
          saveRdb(this.engine, file, this.logger)
        } catch (error) {
          this.logger.warning(`Failed saving the DB: ${(error as Error).message}`)
          return encodeError('ERR')
        }
        return Buffer.from('+OK\r\n')
      },
      debugReload: (options, file) => {
        let data: Buffer
        try {
          if (!options.includes('s')) saveRdb(this.engine, file, this.logger)
          data = readFileSync(rdbPath(this.engine))
        } catch (error) {
          this.logger.warning(`DEBUG RELOAD: ${(error as Error).message}`)
          return encodeError('ERR')
        }
        return this.engine.debugReload(options, data)
      },
      debugLoadAof: () => {
        const loaded = this.engine.debugLoadAof()
        for (const line of loaded.log) this.logger.engine(line)
        if (!loaded.ok) process.exit(1)
        return Buffer.from('+OK\r\n')
      },
      saveRulesSet: () => (this.engine.configValue('save') ?? '') !== '',
      saveBeforeExit: () => this.saveBeforeExit(),
    }
  }
}

/** Stops `listeners` accepting. With `untilIdle`, waits until their connections are gone too;
 * otherwise only until the listening sockets are closed. */
function closeListeners(listeners: Server[], untilIdle = true): Promise<void> {
  return Promise.all(
    listeners.map(
      (listener) =>
        new Promise<void>((resolve) => {
          listener.close(() => untilIdle && resolve())
          if (!untilIdle) setImmediate(resolve)
        }),
    ),
  ).then(() => {})
}

interface BindAddress {
  host: string
  /** Marked with a leading `-`: skipped when it cannot be bound. */
  optional: boolean
}

/** `bind` lists addresses separated by spaces; a leading `-` marks one as optional. */
function bindAddresses(bind: string | string[]): BindAddress[] {
  const list = Array.isArray(bind) ? bind : bind.split(/\s+/)
  return list
    .filter(Boolean)
    .map((host) => (host.startsWith('-') ? { host: host.slice(1), optional: true } : { host, optional: false }))
}
