// One client connection: socket bytes in, one native `feed` per read, replies out.
//
// This is the hot path on the TypeScript side, so it does as little as possible: a read is
// handed to the engine as is, and the engine's answer is written back with one `write`. Only
// when the engine returns an object (a command for the TypeScript side, a close request, data
// for other connections, connections to kill) does the slower path run.
//
// Backpressure: when the socket's write buffer is full, reading pauses until it drains, so a
// client that pipelines without reading its replies cannot make the server buffer without
// bound. While a TypeScript-side command runs, reading pauses too, so later commands wait for
// it and replies keep their order.

import type { Socket } from 'node:net'
import { feed, resume, type BindingFeedResult, type NativeEngine } from '../native/binding.js'
import type { TsCommandContext } from '../commands/ts-commands.js'
import { runTsCommand } from '../commands/ts-commands.js'

export interface ConnectionHost {
  engine: NativeEngine
  /** Routes bytes to another connection (MONITOR feeds). */
  deliver(slot: number, data: Buffer): void
  /** Disconnects another connection (CLIENT KILL, idle timeout). */
  kill(slot: number): void
  forget(connection: Connection): void
  commandContext(connection: Connection): TsCommandContext
}

export class Connection {
  readonly slot: number
  readonly #engineId: number
  #busy = false
  #closed = false

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    const addr = `${socket.remoteAddress}:${socket.remotePort}`
    const laddr = `${socket.localAddress}:${socket.localPort}`
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? 0
    this.#engineId = host.engine.id
    this.slot = host.engine.open(addr, laddr, fd)
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('drain', () => {
      if (!this.#busy) socket.resume()
    })
    socket.on('error', () => this.close())
    socket.on('close', () => this.close())
  }

  #onData(chunk: Buffer): void {
    const result = feed(this.#engineId, this.slot, chunk)
    if (Buffer.isBuffer(result)) {
      if (result.length > 0 && !this.socket.write(result)) this.socket.pause()
    } else {
      this.#handle(result)
    }
  }

  #handle(result: BindingFeedResult): void {
    for (;;) {
      if (result.reply.length > 0 && !this.#closed && !this.socket.write(result.reply)) this.socket.pause()
      for (const { slot, data } of result.outbound) this.host.deliver(slot, data)
      for (const slot of result.kills) this.host.kill(slot)
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
        void reply.then((bytes) => {
          this.#busy = false
          if (this.#closed) return
          if (bytes.length > 0) this.socket.write(bytes)
          this.socket.resume()
          this.#continue()
        })
        return
      }
      if (reply.length > 0) this.socket.write(reply)
      const next = resume(this.#engineId, this.slot)
      if (Buffer.isBuffer(next)) {
        if (next.length > 0 && !this.socket.write(next)) this.socket.pause()
        return
      }
      result = next
    }
  }

  #continue(): void {
    const next = resume(this.#engineId, this.slot)
    if (Buffer.isBuffer(next)) {
      if (next.length > 0) this.socket.write(next)
    } else {
      this.#handle(next)
    }
  }

  /** Writes bytes produced for this connection by another one. */
  deliver(data: Buffer): void {
    if (!this.#closed) this.socket.write(data)
  }

  /** Releases the session; safe to call more than once. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.host.engine.close(this.slot)
    this.host.forget(this)
    this.socket.destroySoon()
  }
}
