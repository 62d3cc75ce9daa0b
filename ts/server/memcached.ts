// Memcached's text protocol on a port of its own, over the same engine and keyspace (see the
// engine's `memcached` module for the protocol and how it maps onto the keyspace).
//
// A connection hands each socket read to the engine with one `memcachedFeed` call, which runs
// every complete command in it and returns all their replies, as `feed` does for RESP: their
// length when they fit the server's socket buffer, otherwise an object with the reply, a
// request to close, and output the commands made for RESP sessions (keyspace notifications,
// invalidations, MONITOR lines), which the router delivers. Partial commands wait in the
// engine. When the socket's write buffer is full, reading stops until it drains.

import { createServer, type Server, type Socket } from 'node:net'
import { memcachedFeed, type BindingFeedResult, type NativeEngine } from '../native/binding.js'
import type { Logger } from '../log.js'
import type { Router } from './router.js'
import { repliesLength } from './connection.js'

/** What a memcached connection needs of the server. */
export interface MemcachedHost {
  engine: NativeEngine
  readonly socketBuffer: Buffer
  renewSocketBuffer(): void
  flushReplicasSoon(): void
  logger: Logger
  router: Router
}

/** Memcached connections of one server, and the listeners that accept them. */
export class MemcachedFrontend {
  readonly #connections = new Set<MemcachedConnection>()

  constructor(private readonly host: MemcachedHost) {}

  /** A listener for memcached clients (not listening yet). */
  listener(): Server {
    return createServer((socket) => {
      const connection = new MemcachedConnection(socket, this.host, () => this.#connections.delete(connection))
      this.#connections.add(connection)
    })
  }

  /** Disconnects every memcached client. */
  closeAll(): void {
    for (const connection of [...this.#connections]) connection.close()
  }
}

class MemcachedConnection {
  readonly #id: number
  readonly #engineId: number
  #closed = false

  constructor(
    private readonly socket: Socket,
    private readonly host: MemcachedHost,
    private readonly onClose: () => void,
  ) {
    this.#id = host.engine.memcachedOpen()
    this.#engineId = host.engine.id
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#guard(() => this.#onData(chunk)))
    socket.on('drain', () => socket.resume())
    socket.on('error', () => this.close())
    socket.on('close', () => this.close())
  }

  #onData(chunk: Buffer): void {
    const result = memcachedFeed(this.#engineId, this.#id, chunk)
    if (typeof result === 'number') this.#writeResult(result)
    else this.#handle(result)
  }

  #writeResult(result: number): void {
    const length = repliesLength(result, this.host)
    if (length === 0) return
    this.#write(this.host.socketBuffer.subarray(0, length))
    // The socket keeps a reference to bytes it could not write at once.
    if (this.socket.writableLength > 0) this.host.renewSocketBuffer()
  }

  #handle(result: BindingFeedResult): void {
    for (const line of result.log) this.host.logger.engine(line)
    if (result.reply.length > 0) this.#write(result.reply)
    this.host.router.route(result)
    if (result.close) {
      this.socket.end()
      this.close()
    }
  }

  #write(data: Buffer): void {
    if (this.#closed) return
    if (!this.socket.write(data)) this.socket.pause()
  }

  /** Runs `step`; if it throws, this connection alone is closed and the error logged. */
  #guard(step: () => void): void {
    try {
      step()
    } catch (error) {
      this.host.logger.warning(`Closing a memcached client after an internal error: ${String(error)}`)
      this.socket.destroy()
      this.close()
    }
  }

  /** Releases the connection; safe to call more than once. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.host.engine.memcachedClose(this.#id)
    this.onClose()
    this.socket.destroySoon()
  }
}
