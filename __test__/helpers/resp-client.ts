// A deliberately tiny RESP client for tests that need to see the exact bytes a
// server writes. It never decodes replies into values: it only knows where one
// reply ends (RESP2 and RESP3 framing), so tests can compare replies byte for byte.
// `connect()` opens a socket (`connectTls()` a TLS one), `command()` sends a multibulk-encoded command and
// resolves with the bytes of exactly one reply; `send()` + `readReply()` cover
// raw protocol tests (inline commands, pipelining, protocol errors).

import { connect as openSocket, type Socket } from 'node:net'
import { connect as openTlsSocket, type ConnectionOptions } from 'node:tls'

const CRLF = Buffer.from('\r\n')

/** Encodes a command as a RESP multibulk request, the way real clients send it. */
export function encodeCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF)
  }
  return Buffer.concat(parts)
}

/** Reply types whose payload is the rest of the header line. */
const LINE_TYPES = new Set(['+', '-', ':', '_', ',', '#', '('])
/** Reply types whose header carries a byte length followed by a payload and CRLF. */
const BLOB_TYPES = new Set(['$', '!', '='])
/** Aggregate reply types whose header carries an element count. */
const ARRAY_TYPES = new Set(['*', '~', '>'])
/** Aggregate reply types whose header carries a count of key/value pairs. */
const PAIR_TYPES = new Set(['%', '|'])

/**
 * Returns the length in bytes of the complete reply that starts at `offset`,
 * or `undefined` when `buf` does not hold all of it yet. An attribute (`|`)
 * is framed together with the reply that follows it, as RESP3 prescribes.
 * Throws on bytes that cannot start a reply.
 */
export function replyLength(buf: Buffer, offset = 0): number | undefined {
  const end = replyEnd(buf, offset)
  return end === undefined ? undefined : end - offset
}

function replyEnd(buf: Buffer, offset: number): number | undefined {
  if (offset >= buf.length) return undefined
  const lineEnd = buf.indexOf(CRLF, offset)
  if (lineEnd === -1) return undefined
  const type = String.fromCharCode(buf[offset] ?? 0)
  const afterHeader = lineEnd + 2
  if (LINE_TYPES.has(type)) return afterHeader

  const countText = buf.toString('latin1', offset + 1, lineEnd)
  const count = Number(countText)
  if (!/^-?\d+$/.test(countText) || count < -1) {
    throw new Error(`malformed RESP header ${printable(buf.subarray(offset, afterHeader))}`)
  }
  if (BLOB_TYPES.has(type)) {
    if (count === -1) return afterHeader
    const end = afterHeader + count + 2
    return end <= buf.length ? end : undefined
  }
  let elements: number
  if (ARRAY_TYPES.has(type)) elements = Math.max(count, 0)
  else if (PAIR_TYPES.has(type)) elements = count * 2 + (type === '|' ? 1 : 0)
  else throw new Error(`unknown RESP type byte in ${printable(buf.subarray(offset, afterHeader))}`)

  let position: number | undefined = afterHeader
  for (let i = 0; i < elements && position !== undefined; i++) {
    position = replyEnd(buf, position)
  }
  return position
}

/**
 * Splits a buffer into complete replies. `rest` holds the bytes of a trailing
 * reply that is not complete yet (empty when the buffer ends on a boundary).
 */
export function splitReplies(buf: Buffer): { replies: Buffer[]; rest: Buffer } {
  const replies: Buffer[] = []
  let offset = 0
  for (;;) {
    const length = replyLength(buf, offset)
    if (length === undefined) break
    replies.push(buf.subarray(offset, offset + length))
    offset += length
  }
  return { replies, rest: buf.subarray(offset) }
}

/** Renders bytes readably for failure messages: CR/LF and non-printables escaped. */
export function printable(bytes: Buffer, maxChars = 4000): string {
  let text = ''
  for (const byte of bytes) {
    if (byte === 0x0d) text += '\\r'
    else if (byte === 0x0a) text += '\\n'
    else if (byte === 0x5c) text += '\\\\'
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte)
    else text += `\\x${byte.toString(16).padStart(2, '0')}`
    if (text.length > maxChars) return `${text.slice(0, maxChars)}... (${bytes.length} bytes)`
  }
  return text
}

export interface RespConnection {
  /** Writes bytes as they are: inline commands, pipelines, garbage. */
  send(bytes: Buffer | string): void
  /** Sends one multibulk command and resolves with the bytes of one reply. */
  command(...args: Array<string | Buffer>): Promise<Buffer>
  /** Resolves with the bytes of the next reply; rejects on timeout or close. */
  readReply(timeoutMs?: number): Promise<Buffer>
  /** Number of received bytes that no read has consumed yet. */
  unreadBytes(): number
  /** The received bytes that no read has consumed yet, left in place. */
  peekUnread(): Buffer
  /** Resolves true once the server has closed the connection, false after the timeout. */
  waitForClose(timeoutMs: number): Promise<boolean>
  close(): Promise<void>
}

interface PendingRead {
  resolve(reply: Buffer): void
  reject(error: Error): void
}

const DEFAULT_READ_TIMEOUT_MS = 5000

export function connect(port: number, host = '127.0.0.1'): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = openSocket({ port, host })
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(new SocketConnection(socket))
    })
  })
}

/** Like `connect`, to the Unix socket at `path`. */
export function connectPath(path: string): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = openSocket({ path })
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(new SocketConnection(socket))
    })
  })
}

/** Like `connect`, over TLS; resolves once the handshake is done (with TLS 1.3 that is before
 * the server has judged a client certificate: a rejected client sees the connection close). */
export function connectTls(port: number, options: ConnectionOptions, host = '127.0.0.1'): Promise<RespConnection> {
  return new Promise((resolve, reject) => {
    const socket = openTlsSocket({ port, host, ...options })
    socket.once('error', reject)
    socket.once('secureConnect', () => {
      socket.off('error', reject)
      resolve(new SocketConnection(socket))
    })
  })
}

class SocketConnection implements RespConnection {
  private received = Buffer.alloc(0)
  private readonly pendingReads: PendingRead[] = []
  private closedReason: string | undefined
  private readonly closed: Promise<void>

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk])
      this.deliver()
    })
    // Errors (e.g. ECONNRESET after the server hangs up) are reported as a close.
    socket.on('error', (error) => {
      this.closedReason ??= `connection error: ${error.message}`
    })
    this.closed = new Promise((resolveClosed) => {
      socket.once('close', () => {
        this.closedReason ??= 'connection closed by the server'
        this.deliver()
        resolveClosed()
      })
    })
  }

  send(bytes: Buffer | string): void {
    this.socket.write(bytes)
  }

  command(...args: Array<string | Buffer>): Promise<Buffer> {
    const reply = this.readReply()
    this.send(encodeCommand(args))
    return reply
  }

  readReply(timeoutMs = DEFAULT_READ_TIMEOUT_MS): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.pendingReads.indexOf(pending)
        if (index !== -1) this.pendingReads.splice(index, 1)
        reject(new Error(`no complete reply within ${timeoutMs} ms${this.describeUnread()}`))
      }, timeoutMs)
      const pending: PendingRead = {
        resolve: (reply) => {
          clearTimeout(timer)
          resolve(reply)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      }
      this.pendingReads.push(pending)
      this.deliver()
    })
  }

  unreadBytes(): number {
    return this.received.length
  }

  peekUnread(): Buffer {
    return this.received
  }

  async waitForClose(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    const result = await Promise.race([this.closed.then(() => true as const), timedOut])
    clearTimeout(timer)
    return result
  }

  async close(): Promise<void> {
    this.socket.end()
    this.socket.destroy()
    await this.closed
  }

  /** Hands complete replies to waiting readers, or fails them once the socket is gone. */
  private deliver(): void {
    while (this.pendingReads.length > 0) {
      let length: number | undefined
      try {
        length = replyLength(this.received)
      } catch (error) {
        this.pendingReads.shift()?.reject(error instanceof Error ? error : new Error(String(error)))
        continue
      }
      if (length === undefined) {
        if (this.closedReason === undefined) return
        this.pendingReads.shift()?.reject(new Error(`${this.closedReason}${this.describeUnread()}`))
        continue
      }
      const reply = this.received.subarray(0, length)
      this.received = this.received.subarray(length)
      this.pendingReads.shift()?.resolve(reply)
    }
  }

  private describeUnread(): string {
    return this.received.length === 0 ? '' : ` (unread bytes: ${printable(this.received, 200)})`
  }
}
