// One client connection: socket bytes in, one native `feed` per read, replies out.
//
// This is the hot path on the TypeScript side, so it does as little as possible: a read is
// handed to the engine as is, the engine copies the replies into the server's socket buffer
// and returns their length, and they are written back with one `write`.
//
// Reads land in the server's one read buffer, not in a fresh allocation per read: Node's own
// per-read buffers are freed only when the garbage collector finds them, and a bulk load that
// allocates little on the JavaScript heap leaves tens of megabytes of them resident until it
// does. The engine keeps nothing of a read but the tail of an incomplete command, which it
// copies, so every connection can read into the same buffer. Node's server hands over each
// accepted socket already created; the connection takes its handle into a socket that reads
// into that buffer (see `adopt`). Only when the engine
// returns an object (replies too large for the buffer, a command for the TypeScript side, a
// close request, data for other connections, connections to kill) does the slower path run.
//
// Backpressure: when the socket's write buffer is full, the engine is told (with how many
// bytes Node still holds for it), and every later output for the connection, its own replies
// and what other sessions produce for it (pub/sub messages, notifications), waits in the
// engine, under its output buffer limits, instead of piling up in the socket; on 'drain' it
// is taken back and written. The connection goes on reading meanwhile, as Redis does: a
// client that writes a whole pipeline before it reads a reply gets every reply, and one that
// never reads is disconnected at its class's limit (the normal class has none by default).
// Output for this connection produced by others (messages it subscribed to) is mostly written
// by the binding straight to the socket; so whenever a write leaves bytes in Node's queue, the
// connection tells the engine (`setUnflushed`) until they are out, and meanwhile it gets such
// output through `deliver`. While a TypeScript-side command runs, reading pauses too, so later
// commands wait for it and replies keep their order.
//
// Fairness: libuv reads a socket again and again in one turn of the event loop while each read
// fills the buffer, so a client flooding the server (a publisher, a huge pipeline) could hold it
// for megabytes of commands while a polite client's one command waits. A read that fills the
// read buffer therefore ends this connection's turn: reading stops and resumes on the next turn,
// after every other socket that is ready had its read (as Redis reads at most one buffer per
// client per event-loop iteration).
//
// A TLS connection (see `tls.ts`) is the same, but for its bytes, which Node's TLS layer
// encrypts and decrypts: the engine never writes to its socket, so everything for it comes
// through `deliver`; its reads arrive as Node's decrypted chunks (Node's TLS server cannot read
// into a buffer of ours; see `readDecrypted`); and its replies are written as a copy, since a
// TLS write completes only on a later turn of the event loop, the stream meanwhile queuing what
// follows, which must not point into the socket buffer the next read overwrites.

import { Socket } from 'node:net'
import { TLSSocket } from 'node:tls'
import {
  feed,
  holdOutput,
  resume,
  setCongested,
  setUnflushed,
  takeHeld,
  type BindingFeedResult,
  type NativeEngine,
} from '../native/binding.js'
import type { TsCommandContext } from '../commands/ts-commands.js'
import { runTsCommand } from '../commands/ts-commands.js'
import type { Router, Sink } from './router.js'
import type { Logger } from '../log.js'

export interface ConnectionHost {
  engine: NativeEngine
  /** Where `feed` and `resume` put replies when they return a length (see the binding). */
  readonly socketBuffer: Buffer
  /** Where every connection's socket reads arrive; read data is consumed before the next read. */
  readonly readBuffer: Buffer
  /** Registers a fresh socket buffer: a socket kept a reference to the current one. */
  renewSocketBuffer(): void
  /** Sends the replication stream's new bytes to the replicas once this turn of the event loop
   * is over (asked for by a read's result, see `REPLICA_FLUSH`). */
  flushReplicasSoon(): void
  logger: Logger
  /** Delivers output for other sessions and disconnects the ones the engine asks to. */
  router: Router
  forget(connection: Connection): void
  commandContext(connection: Connection): TsCommandContext
}

const EMPTY = Buffer.alloc(0)
/** The bit of a numeric `feed`/`resume` result asking for `flushReplicasSoon` (see the binding). */
const REPLICA_FLUSH = 2 ** 30

/** The length of the replies a numeric feed result (`feed`, `resume`, `memcachedFeed`) puts in
 * the socket buffer; asks `host` to flush the replicas when the result says so. */
export function repliesLength(result: number, host: { flushReplicasSoon(): void }): number {
  if (result < REPLICA_FLUSH) return result
  host.flushReplicasSoon()
  return result - REPLICA_FLUSH
}

export class Connection implements Sink {
  readonly slot: number
  readonly #engineId: number
  /** The socket carries RESP as it is (not TLS): the engine may write to it directly. */
  readonly #plain: boolean
  #busy = false
  #closed = false
  /** The socket's buffer is full and the engine holds this session's output. */
  #congested = false
  /** Node holds bytes for this socket it has not written yet: the engine must not write to the
   * socket directly until they are out (see the binding's `direct.rs`). */
  #unflushed = false
  readonly #flushed = (): void => {
    this.#unflushed = false
    if (!this.#closed) setUnflushed(this.#engineId, this.slot, false)
  }

  /** A connection over `accepted`, from a server with `pauseOnConnect`, so nothing was read
   * from it yet (for TLS, a socket whose handshake is done); `unixPath`: it came through the
   * Unix socket at that path. */
  static accept(accepted: Socket, host: ConnectionHost, unixPath?: string): Connection {
    if (accepted instanceof TLSSocket) {
      const connection = new Connection(accepted, host)
      readDecrypted(accepted, (chunk) => connection.#guard(() => connection.#onData(chunk)))
      return connection
    }
    const socket = adopt(accepted, host.readBuffer, (length) => {
      connection.received(length)
      return length < host.readBuffer.length || connection.#endTurn()
    })
    const connection = new Connection(socket, host, unixPath)
    return connection
  }

  /** `socket` is connected; a plain socket's reads arrive in `host.readBuffer`, passed on to
   * `received` (see `accept`, and the replica's link to its master in `server.ts`). */
  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
    unixPath?: string,
  ) {
    // A Unix socket's clients show its path as both addresses, as Redis shows them.
    const addr = unixPath === undefined ? `${socket.remoteAddress}:${socket.remotePort}` : `${unixPath}:0`
    const laddr = unixPath === undefined ? `${socket.localAddress}:${socket.localPort}` : `${unixPath}:0`
    // A connection's fd is never negative (-1 marks the embedded API's session): on Windows,
    // where Node's sockets have no descriptor and report -1, it is 0.
    const fd = Math.max((socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? 0, 0)
    this.#plain = !(socket instanceof TLSSocket)
    this.#engineId = host.engine.id
    this.slot = host.engine.open(addr, laddr, fd, this.#plain, unixPath !== undefined)
    host.router.add(this.slot, this)
    socket.setNoDelay(true)
    socket.on('drain', () => this.#guard(() => this.#onDrain()))
    socket.on('error', () => this.close())
    socket.on('close', () => this.close())
  }

  /** A read of `length` bytes arrived in the host's read buffer (plain sockets, and the TLS
   * link of a replica to its master). */
  received(length: number): void {
    this.#guard(() => this.#onData(this.host.readBuffer.subarray(0, length)))
  }

  /** After a read that filled the read buffer: stops reading (returns false, which makes Node
   * stop without pausing the stream) and starts again on the next turn of the event loop,
   * unless the stream was paused meanwhile (its output backed up, a TypeScript-side command
   * running), whose end resumes it. */
  #endTurn(): boolean {
    setImmediate(() => {
      if (!this.#closed && !this.socket.isPaused()) this.socket.resume()
    })
    return false
  }

  /** Runs `step`; if it throws (a broken boundary, a bug), this connection alone is closed
   * and the error logged: every other client carries on. */
  #guard(step: () => void): void {
    try {
      step()
    } catch (error) {
      this.host.logger.warning(`Closing client ${this.slot} after an internal error: ${String(error)}`)
      this.kill()
    }
  }

  #onData(chunk: Buffer): void {
    const result = feed(this.#engineId, this.slot, chunk)
    if (typeof result === 'number') this.#writeResult(result)
    else this.#handle(result)
  }

  /** A numeric result: the length of the replies in the socket buffer, and maybe a request to
   * flush the replicas. */
  #writeResult(result: number): void {
    const length = repliesLength(result, this.host)
    if (length > 0) this.#writeReplies(length)
  }

  /** Writes the first `length` bytes of the socket buffer. A write that did not complete at
   * once keeps a reference to them, so the engine gets a fresh buffer for what comes next (a
   * TLS socket gets a copy instead: its writes never complete at once). */
  #writeReplies(length: number): void {
    const replies = this.host.socketBuffer.subarray(0, length)
    if (!this.#plain) return this.#write(Buffer.from(replies))
    this.#write(replies)
    if (this.socket.writableLength > 0) this.host.renewSocketBuffer()
  }

  /** Writes to the socket; when it is full, lets the engine hold later output (bytes made
   * meanwhile on this side go to the engine too, behind what it holds). */
  #write(data: Buffer): void {
    if (this.#closed) return
    if (this.#congested) return holdOutput(this.#engineId, this.slot, data)
    const accepted = this.socket.write(data)
    if (this.#plain && this.socket.writableLength > 0) this.#awaitFlush()
    if (accepted) return
    this.#congested = true
    setCongested(this.#engineId, this.slot, this.socket.writableLength)
  }

  /** Bytes stayed in Node's queue: tells the engine, until an empty write behind them completes. */
  #awaitFlush(): void {
    if (this.#unflushed) return
    this.#unflushed = true
    setUnflushed(this.#engineId, this.slot, true)
    this.socket.write(EMPTY, this.#flushed)
  }

  #onDrain(): void {
    if (this.#closed) return
    this.#congested = false
    const held = takeHeld(this.#engineId, this.slot)
    if (held.length > 0) this.#write(held)
    if (!this.#congested && !this.#busy) this.socket.resume()
  }

  #handle(result: BindingFeedResult): void {
    for (;;) {
      for (const line of result.log) this.host.logger.engine(line)
      if (result.reply.length > 0) this.#write(result.reply)
      this.host.router.route(result)
      if (result.close) {
        this.socket.end()
        this.close()
        return
      }
      const pending = result.pending
      if (!pending) return
      const reply = runTsCommand(this.host.commandContext(this), pending.name, pending.args)
      if (reply instanceof Promise) {
        this.#busy = true
        this.socket.pause()
        void reply.then(
          (bytes) =>
            this.#guard(() => {
              if (!this.#hostCommandEnded()) return
              if (bytes.length > 0) this.#write(bytes)
              if (!this.#congested) this.socket.resume()
              this.#continue()
            }),
          // A command that failed on the TypeScript side (a bug): as for any internal error,
          // this connection alone is closed.
          (error: unknown) =>
            this.#guard(() => {
              if (this.#hostCommandEnded()) throw error
            }),
        )
        return
      }
      if (reply.length > 0) this.#write(reply)
      const next = resume(this.#engineId, this.slot)
      if (typeof next === 'number') {
        this.#writeResult(next)
        return
      }
      result = next
    }
  }

  /** The host's command for this connection ended; false if the connection closed meanwhile,
   * whose session is released now (see `close`). */
  #hostCommandEnded(): boolean {
    this.#busy = false
    if (!this.#closed) return true
    this.host.engine.close(this.slot)
    return false
  }

  #continue(): void {
    const next = resume(this.#engineId, this.slot)
    if (typeof next === 'number') this.#writeResult(next)
    else this.#handle(next)
  }

  /** Writes bytes produced for this connection by another one, or by the host. */
  deliver(data: Buffer): void {
    this.#write(data)
  }

  /** The engine ran a command of this session again by itself (after a pause or a wait) and
   * it needs the host (SAVE's file, a CONFIG SET moving listeners): resuming the session hands
   * it over, and it runs as any other. */
  resume(): void {
    if (this.#closed || this.#busy) return
    this.#guard(() => this.#continue())
  }

  /** Disconnects at once (CLIENT KILL, idle timeout, output buffer limit). */
  kill(): void {
    this.socket.destroy()
    this.close()
  }

  /** Releases the session; safe to call more than once. While the host runs one of its
   * commands (MIGRATE), the session outlives the socket until that command ends, as Redis
   * finishes a command before it frees the client: a transfer the target acknowledged still
   * removes its keys here, and the slot is not given to another connection meanwhile. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (!this.#busy) this.host.engine.close(this.slot)
    this.host.router.remove(this.slot, this)
    this.host.forget(this)
    this.socket.destroySoon()
  }
}

/** Passes each chunk Node decrypts from `socket` to `onChunk`, and starts reading.
 *
 * Node's TLS socket hands every decrypted chunk to its `push` (the Readable stream's entry for
 * the data a stream produces), which buffers it and emits it as a 'data' event; that was
 * about a tenth of the server's CPU time under redis-benchmark's load. So while the socket is flowing and holds
 * nothing buffered, the chunk is taken at `push` directly. When reading is paused
 * (backpressure, a command on the TypeScript side) or chunks are buffered, and for the end of
 * the stream, `push` keeps its own work, and the buffered chunks come as 'data' events once
 * reading resumes, in order. */
function readDecrypted(socket: TLSSocket, onChunk: (chunk: Buffer) => void): void {
  const push = socket.push.bind(socket)
  socket.push = (chunk: Buffer | null): boolean => {
    if (chunk === null || socket.isPaused() || socket.readableLength > 0) return push(chunk)
    onChunk(chunk)
    return true
  }
  socket.on('data', onChunk)
  socket.resume()
}

/** A socket over `accepted`'s connection whose reads arrive in `buffer`, `onRead` getting their
 * length. `accepted` gives up its handle and is destroyed when the new socket closes, which
 * keeps its server's connection count (and so `close()`) right. */
function adopt(accepted: Socket, buffer: Buffer, onRead: (length: number) => boolean): Socket {
  const owner = accepted as unknown as { _handle: unknown }
  const handle = owner._handle
  owner._handle = null
  const options = { handle, onread: { buffer, callback: onRead } }
  const socket = new Socket(options as ConstructorParameters<typeof Socket>[0])
  socket.once('close', () => accepted.destroy())
  return socket
}
