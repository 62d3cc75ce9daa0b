// The RESP server: listeners, connections, and the periodic tick.
//
// A `RedwingServer` serves one native engine over TCP, and over TLS when `tls-port` is set. The
// standalone `redwing-server` creates one around a fresh engine; the embedded store's `listen()`
// creates one around its own engine, so in-process calls and network clients share the same
// keyspace.
//
// Listeners come in groups, plain (`port`), TLS (`tls-port`) and memcached's text protocol
// (`memcached-port`, see `memcached.ts`), each with one listener per `bind` address, as in
// Redis; any port may be 0 for no listener of that kind. With `unixsocket`, plain connections
// come through that Unix socket too (the file is replaced at start-up and removed at
// shutdown, and given `unixsocketperm`'s permissions). A TLS
// connection is the same `Connection` as a plain one once its handshake is done; only its bytes
// go through Node's TLS layer (see `tls.ts` for the configuration, `connection.ts` for reading
// and writing).

import { chmodSync, unlinkSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import {
  connect as connectTls,
  createServer as createTlsServer,
  TLSSocket,
  type ConnectionOptions,
  type Server as TlsServer,
} from 'node:tls'
import type { NativeEngine } from '../native/binding.js'
import type { TsCommandContext } from '../commands/ts-commands.js'
import type { DebugCrash } from './crash.js'
import { encodeError } from '../resp.js'
import { Logger } from '../log.js'
import { Connection, type ConnectionHost } from './connection.js'
import { MemcachedFrontend } from './memcached.js'
import { Migrations } from './migrate.js'
import { routerFor, type Router } from './router.js'
import { driveSnapshot, prepareShutdown } from './persistence.js'
import { clientAuth, loadTls, presentedUntrustedCertificate, tlsWanted, TlsConfigError, type LoadedTls } from './tls.js'

/** Bytes of replies one read's commands can return without an object on the JavaScript heap
 * (larger replies come back as a Buffer of their own). */
const SOCKET_BUFFER_SIZE = 64 * 1024

/** Bytes one socket read can bring (as Node reads by default). */
const READ_BUFFER_SIZE = 64 * 1024

export interface ServerOptions {
  /** TCP port for plain connections; 0 picks a free one, null opens none. Default: the engine's
   * `port` setting (6379; 0 there opens none, as redis-server's `port 0`). */
  port?: number | null
  /** TCP port for TLS connections; 0 picks a free one, null opens none. Default: the engine's
   * `tls-port` setting (0 there opens none). The certificates and the rest come from the
   * engine's `tls-*` settings. */
  tlsPort?: number | null
  /** TCP port for memcached's text protocol; 0 picks a free one, null opens none. Default: the
   * engine's `memcached-port` setting (0 there opens none). */
  memcachedPort?: number | null
  /** Addresses to bind, which become the `bind` setting. Default: that setting (`* -::*`, as
   * in Redis: every address, with protected mode turning away outside clients until the
   * default user has a password). */
  host?: string | string[]
  logger?: Logger
  /** Called after SHUTDOWN closed the server (the standalone server exits the process here). */
  onShutdown?: () => void
  /** DEBUG SEGFAULT, PANIC or ASSERT from the session in `slot`: the standalone server crashes
   * here (see `crash.ts`). Without it, they are refused: an embedded store's listener does not
   * take its application down. */
  onCrash?: (kind: DebugCrash, slot: number, argv: Buffer[]) => never
}

/** Failure to listen on the Unix socket (`unixsocket`) at start-up. */
export class UnixSocketError extends Error {
  constructor(cause: unknown) {
    super(`Failed opening Unix socket: ${(cause as Error).message}`, { cause })
  }
}

/** Failure to open the listeners of one kind at start-up. */
export class ListenError extends Error {
  constructor(
    readonly transport: Transport,
    readonly port: number,
    cause: unknown,
  ) {
    super(`Could not listen on port ${port} (${transport}): ${(cause as Error).message}`, { cause })
  }
}

type Transport = 'tcp' | 'tls' | 'memcached'

/** The listeners of one kind, one per bind address, on one port (0: none). */
interface ListenerGroup {
  listeners: Server[]
  port: number
}

const NO_LISTENERS: ListenerGroup = { listeners: [], port: 0 }

export class RedwingServer implements ConnectionHost {
  readonly logger: Logger
  readonly router: Router
  #plain = NO_LISTENERS
  #secure = NO_LISTENERS
  #memcached = NO_LISTENERS
  /** The Unix socket listener (`unixsocket`), and its path. */
  #unix: { listener: Server; path: string } | undefined
  readonly #memcachedFrontend: MemcachedFrontend
  #hosts: BindAddress[] = []
  /** The TLS configuration, once one was loaded (`tls-port` or `tls-replication` set). */
  #tls: LoadedTls | undefined
  #connections = new Map<number, Connection>()
  #tickTimer: NodeJS.Timeout | undefined
  #closing: Promise<void> | undefined
  #socketBuffer = Buffer.alloc(0)
  /** A flush of the replicas is scheduled for the end of this turn of the event loop. */
  #replicaFlush = false
  /** MIGRATE's kept connections to other servers. */
  readonly #migrations = new Migrations((count) => this.engine.setMigrateLinks(count))
  readonly readBuffer = Buffer.allocUnsafeSlow(READ_BUFFER_SIZE)

  constructor(
    readonly engine: NativeEngine,
    private readonly options: ServerOptions = {},
  ) {
    this.logger = options.logger ?? new Logger('warning')
    this.router = routerFor(engine)
    this.#memcachedFrontend = new MemcachedFrontend(this)
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

  /** The port of the plain listeners, or of the TLS ones when there are no plain ones (as INFO
   * `tcp_port` shows it); known once `listen` resolved. */
  get port(): number {
    return this.#plain.port || this.#secure.port
  }

  /** The port of the plain listeners (0: none). */
  get plainPort(): number {
    return this.#plain.port
  }

  /** The port of the TLS listeners (0: none). */
  get tlsPort(): number {
    return this.#secure.port
  }

  /** The path of the Unix socket listened on, if any. */
  get unixSocket(): string | undefined {
    return this.#unix?.path
  }

  /** The port of the memcached listeners (0: none). */
  get memcachedPort(): number {
    return this.#memcached.port
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.#connections.size
  }

  /** Loads the TLS configuration if one is wanted, then starts listening on every bind
   * address; resolves with the port (see `port`). Throws a `TlsConfigError` for a TLS
   * configuration that cannot be loaded, a `ListenError` for listeners that cannot be opened. */
  async listen(): Promise<number> {
    const port = this.options.port !== undefined ? this.options.port : this.#configuredPort('port')
    const tlsPort = this.options.tlsPort !== undefined ? this.options.tlsPort : this.#configuredPort('tls-port')
    const memcachedPort =
      this.options.memcachedPort !== undefined ? this.options.memcachedPort : this.#configuredPort('memcached-port')
    const unixSocket = this.#setting('unixsocket')
    if (port === null && tlsPort === null && memcachedPort === null && !unixSocket) {
      throw new Error('Configured to not listen anywhere, exiting.')
    }
    if (tlsPort !== null || tlsWanted(this.#setting)) this.#tls = loadTls(this.#setting)
    // Addresses given to the server become its `bind` setting, so that CONFIG GET shows them.
    if (this.options.host !== undefined) {
      const hosts = Array.isArray(this.options.host) ? this.options.host : [this.options.host]
      this.engine.configure(['bind', ...hosts])
    }
    this.#hosts = bindAddresses(this.#setting('bind'))
    this.#plain = await this.#openGroup('tcp', port)
    try {
      this.#secure = await this.#openGroup('tls', tlsPort)
      this.#memcached = await this.#openGroup('memcached', memcachedPort)
      if (unixSocket) this.#unix = await this.#openUnixSocket(unixSocket)
    } catch (error) {
      await closeListeners([...this.#plain.listeners, ...this.#secure.listeners, ...this.#memcached.listeners])
      this.#secure = this.#memcached = NO_LISTENERS
      throw error
    }
    this.#reportPorts()
    this.#scheduleTick()
    return this.port
  }

  /** Reads a setting of the engine ('' when unknown). */
  readonly #setting = (name: string): string => this.engine.configValue(name) ?? ''

  /** A port setting of the engine: 0 means no listener. */
  #configuredPort(name: 'port' | 'tls-port' | 'memcached-port'): number | null {
    return Number(this.#setting(name) || 0) || null
  }

  /** Opens the listeners of `transport` on `port` (null: none). */
  async #openGroup(transport: Transport, port: number | null): Promise<ListenerGroup> {
    if (port === null) return NO_LISTENERS
    try {
      return await this.#openListeners(transport, port, this.#hosts)
    } catch (error) {
      throw new ListenError(transport, port, error)
    }
  }

  #reportPorts(): void {
    this.engine.setListeningPorts(this.#plain.port, this.#secure.port)
  }

  /** Opens one listener per address, all on one port (the first one's, when `port` is 0). An
   * address marked optional (`-::1`) that cannot be bound is skipped; if another fails, the
   * listeners opened so far are closed and the error thrown. */
  async #openListeners(transport: Transport, port: number, hosts: BindAddress[]): Promise<ListenerGroup> {
    const listeners: Server[] = []
    try {
      for (const { host, optional } of hosts) {
        const listener =
          transport === 'tcp'
            ? this.#plainListener()
            : transport === 'tls'
              ? this.#tlsListener()
              : this.#memcachedFrontend.listener()
        try {
          await listenOn(listener, { port, host })
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

  #plainListener(): Server {
    return createServer({ pauseOnConnect: true }, (socket) => this.#accept(socket))
  }

  /** Listens on the Unix socket `path`, as Redis does: a file already there (a socket left by
   * an earlier run) is removed first, and the socket gets `unixsocketperm` unless that is 0. */
  async #openUnixSocket(path: string): Promise<{ listener: Server; path: string }> {
    try {
      unlinkSync(path)
    } catch {
      // Nothing there, or not removable: listening says what matters.
    }
    const listener = createServer({ pauseOnConnect: true }, (socket) => this.#accept(socket, path))
    try {
      await listenOn(listener, { path })
    } catch (error) {
      throw new UnixSocketError(error)
    }
    const permissions = parseInt(this.#setting('unixsocketperm') || '0', 8)
    if (permissions) chmodSync(path, permissions)
    return { listener, path }
  }

  /** A TLS listener with the current TLS configuration. Whether it asks clients for a
   * certificate is decided as each one connects, from `tls-auth-clients` then (Node's server
   * reads its `requestCert` and `rejectUnauthorized` for each connection). */
  #tlsListener(): TlsServer {
    const mode = (): string => this.#setting('tls-auth-clients')
    const listener = createTlsServer({ ...this.#tls!.serverOptions, ...clientAuth(mode()), pauseOnConnect: true })
    listener.prependListener('connection', () => Object.assign(listener, clientAuth(mode())))
    listener.on('secureConnection', (socket: TLSSocket) => {
      if (presentedUntrustedCertificate(socket)) {
        this.logger.verbose(`Error accepting a client connection: ${socket.authorizationError} (${peerOf(socket)})`)
        return void socket.destroy()
      }
      this.#accept(socket)
    })
    listener.on('tlsClientError', (error) => {
      this.logger.verbose(`Error accepting a client connection: ${error.message.trim()}`)
    })
    return listener
  }

  /** One action of a CONFIG SET (see `TsCommandContext.applyConfig`), as Redis applies it:
   * `bind` moves every kind of listener to the new addresses, `port`, `tls-port` and
   * `memcached-port` one kind to its new port (loading the TLS configuration first if there is
   * none yet), `tls-context` reloads the TLS configuration when TLS is in use. */
  async #applyConfig(action: string): Promise<string | undefined> {
    const unableToListen = 'Unable to listen on this port. Check server logs.'
    const unableToLoadTls = 'Unable to update TLS configuration. Check server logs.'
    switch (action) {
      case 'bind': {
        this.#hosts = bindAddresses(this.#setting('bind'))
        const ports = { tcp: this.#plain.port, tls: this.#secure.port, memcached: this.#memcached.port }
        const moved =
          (await this.#relisten('tcp', ports.tcp || null)) &&
          (await this.#relisten('tls', ports.tls || null)) &&
          (await this.#relisten('memcached', ports.memcached || null))
        return moved ? undefined : 'Failed to bind to specified addresses.'
      }
      case 'port':
        return (await this.#relisten('tcp', this.#configuredPort('port'))) ? undefined : unableToListen
      case 'tls-port':
        if (!this.#tls && !this.#reloadTls()) return unableToLoadTls
        return (await this.#relisten('tls', this.#configuredPort('tls-port'))) ? undefined : unableToListen
      case 'tls-context':
        return !this.#tlsInUse() || this.#reloadTls() ? undefined : unableToLoadTls
      case 'memcached-port':
        return (await this.#relisten('memcached', this.#configuredPort('memcached-port'))) ? undefined : unableToListen
      default:
        return undefined
    }
  }

  /** TLS listeners are open (an embedded store may open them without `tls-port`), or the
   * configuration wants TLS. */
  #tlsInUse(): boolean {
    return this.#secure.port !== 0 || tlsWanted(this.#setting)
  }

  /** Loads the TLS configuration again and gives it to the TLS listeners (for the connections
   * to come); returns whether it could. */
  #reloadTls(): boolean {
    try {
      this.#tls = loadTls(this.#setting)
    } catch (error) {
      if (!(error instanceof TlsConfigError)) throw error
      this.logger.warning(error.message)
      return false
    }
    for (const listener of this.#secure.listeners as TlsServer[]) listener.setSecureContext(this.#tls.serverOptions)
    return true
  }

  /** Moves the listeners of `transport` to `port` (null: none) on the current addresses, as
   * Redis does: the old ones close first (the new addresses may include theirs). Existing
   * connections stay. Resolves with whether it worked; when not, CONFIG SET restores the old
   * configuration and calls this again. */
  async #relisten(transport: Transport, port: number | null): Promise<boolean> {
    const old = this.#groupOf(transport)
    await closeListeners(old.listeners, false)
    // Until new listeners open, none listen, but the port stays the group's (as INFO shows it,
    // and as `bind` reopens it when CONFIG SET restores the old addresses).
    this.#setGroup(transport, { listeners: [], port: old.port })
    if (port === null) {
      this.#setGroup(transport, NO_LISTENERS)
      return true
    }
    try {
      this.#setGroup(transport, await this.#openListeners(transport, port, this.#hosts))
    } catch (error) {
      this.logger.warning(`Could not listen on port ${port} (${transport}): ${String(error)}`)
      return false
    }
    this.logger.notice(`Listening on port ${this.#groupOf(transport).port} (${transport})`)
    return true
  }

  #groupOf(transport: Transport): ListenerGroup {
    return transport === 'tcp' ? this.#plain : transport === 'tls' ? this.#secure : this.#memcached
  }

  #setGroup(transport: Transport, group: ListenerGroup): void {
    if (transport === 'tcp') this.#plain = group
    else if (transport === 'tls') this.#secure = group
    else this.#memcached = group
    this.#reportPorts()
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#tickTimer)
      prepareShutdown(this.engine, this.logger)
      for (const connection of [...this.#connections.values()]) connection.kill()
      this.#memcachedFrontend.closeAll()
      this.#migrations.close()
      await closeListeners([...this.#plain.listeners, ...this.#secure.listeners, ...this.#memcached.listeners])
      this.#plain = this.#secure = this.#memcached = NO_LISTENERS
      if (this.#unix) {
        await closeListeners([this.#unix.listener])
        this.logger.notice('Removing the unix socket file.')
        try {
          unlinkSync(this.#unix.path)
        } catch (error) {
          // Node removes the file when its listener closes; anything else is worth a line.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
            this.logger.warning(`Error removing the unix socket file: ${(error as Error).message}`)
        }
        this.#unix = undefined
      }
    })()
    return this.#closing
  }

  /** A new client, accepted paused: a plain socket (of the Unix socket at `unixPath`, if
   * given), or a TLS one whose handshake is done. */
  #accept(socket: Socket, unixPath?: string): void {
    const maxClients = Number(this.engine.configValue('maxclients') ?? 10000)
    if (this.#connections.size >= maxClients) {
      // As Redis: the error, then the descriptor is closed at once, whatever the client does
      // (a half-closed socket left for the client to end would hold it as long as it likes).
      // A TLS client is rejected before its handshake in Redis, so it gets no message.
      this.engine.connectionRejected()
      if (socket instanceof TLSSocket) return void socket.destroy()
      socket.end(encodeError('ERR max number of clients reached'), () => socket.destroy())
      return
    }
    // Protected mode refuses remote clients only: one of the Unix socket is local.
    const refusal = unixPath === undefined ? this.engine.refuseConnection(socket.remoteAddress ?? '') : null
    if (refusal !== null) {
      socket.end(refusal)
      socket.resume()
      return
    }
    const connection = Connection.accept(socket, this, unixPath)
    this.#connections.set(connection.slot, connection)
  }

  /** A replica's link to its master (the engine asked for it): once connected, it is a
   * connection like the others, whose input the engine runs as the replication protocol. */
  #connectMaster(address: { host: string; port: number }): void {
    let connection: Connection | undefined
    const timeout = Number(this.engine.configValue('repl-timeout') ?? 60) * 1000
    const onread = {
      buffer: this.readBuffer,
      callback: (length: number) => {
        connection?.received(length)
        return true
      },
    }
    const overTls = this.#setting('tls-replication') === 'yes'
    if (overTls && !this.#tls) return void this.engine.masterConnectFailed('TLS is not configured')
    // `bind-source-addr`: the address the link leaves from (the master sees the replica there).
    const localAddress = this.#setting('bind-source-addr') || undefined
    // Over TLS, the master's certificate must be one the CA vouches for; like Redis, its name
    // is not checked against the master's address. (`tls.connect` honours `onread`, though its
    // typings do not list it.)
    const socket = overTls
      ? connectTls({
          host: address.host,
          port: address.port,
          secureContext: this.#tls!.clientContext,
          checkServerIdentity: () => undefined,
          localAddress,
          onread,
        } as ConnectionOptions)
      : connect({ host: address.host, port: address.port, localAddress, onread })
    socket.setTimeout(timeout, () => socket.destroy(new Error('Timeout connecting to the MASTER...')))
    socket.once('error', (error) => {
      if (!connection) this.engine.masterConnectFailed(error.message)
    })
    socket.once(overTls ? 'secureConnect' : 'connect', () => {
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
        if (tick.shutdownReady) void this.finishShutdown()
      } catch (error) {
        this.logger.warning(`Internal error in periodic work: ${String(error)}`)
      }
      this.#scheduleTick()
    }, 1000 / hz)
    this.#tickTimer.unref()
  }

  /** Finishes the shutdown the engine began (SHUTDOWN, a signal, or a wait for replicas that
   * is over): when the engine lets the process exit, closes the server and calls `onShutdown`
   * (an embedded store's listener just stops); returns that step. Returns nothing when the
   * shutdown could not finish: the engine logged why and cancelled it, and the clients that
   * waited on it get their error. */
  finishShutdown(): Promise<void> | undefined {
    const finished = this.engine.finishShutdown()
    for (const line of finished.log) this.logger.engine(line)
    if (!finished.ok) {
      this.router.route(this.engine.takeOutbound())
      return undefined
    }
    return this.close().then(() => {
      if (this.options.onShutdown) this.options.onShutdown()
      else this.logger.warning('redwing is now ready to exit, bye bye...')
    })
  }

  forget(connection: Connection): void {
    if (this.#connections.get(connection.slot) === connection) this.#connections.delete(connection.slot)
  }

  commandContext(connection: Connection): TsCommandContext {
    return {
      finishShutdown: () =>
        this.finishShutdown()?.then(() => Buffer.alloc(0)) ?? encodeError('ERR Errors trying to SHUTDOWN. Check logs.'),
      applyConfig: (action) => this.#applyConfig(action),
      restoreConfig: (name, value) => this.engine.restoreConfig(name, value),
      crash: (kind, argv) => {
        if (this.options.onCrash) this.options.onCrash(kind, connection.slot, argv)
        return encodeError(`ERR DEBUG ${kind.toUpperCase()} is not available in the embedded store`)
      },
      debugLoadAof: () => {
        const loaded = this.engine.debugLoadAof()
        for (const line of loaded.log) this.logger.engine(line)
        if (!loaded.ok) process.exit(1)
        return Buffer.from('+OK\r\n')
      },
      migrate: (args) => this.#migrations.run(args, (keys) => this.engine.migrated(connection.slot, keys)),
    }
  }
}

/** Starts `listener` listening; resolves once it does, rejects with the error if it cannot. An
 * IPv6 address takes IPv6 connections only, as Redis's listeners do, so that `::` and `0.0.0.0`
 * can share a port. */
function listenOn(listener: Server, options: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    listener.once('error', reject)
    const ipv6Only = 'host' in options && options.host.includes(':')
    listener.listen({ ...options, ipv6Only }, () => {
      listener.off('error', reject)
      resolve()
    })
  })
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

/** `addr=ip:port` of a client, for the log. */
function peerOf(socket: Socket): string {
  return `addr=${socket.remoteAddress}:${socket.remotePort}`
}

interface BindAddress {
  host: string
  /** Marked with a leading `-`: skipped when it cannot be bound. */
  optional: boolean
}

/** `bind` lists addresses separated by spaces; a leading `-` marks one as optional. As in
 * Redis, `*` is every IPv4 address and `::*` every IPv6 one. */
function bindAddresses(bind: string | string[]): BindAddress[] {
  const list = Array.isArray(bind) ? bind : bind.split(/\s+/)
  return list.filter(Boolean).map((word) => {
    const optional = word.startsWith('-')
    const host = optional ? word.slice(1) : word
    return { host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, optional }
  })
}
