// The embedded store's side of the shared-buffer protocol with the native engine.
//
// Crossing into native code costs one N-API call, but every argument converted on the way
// (strings, arrays) costs more calls. So commands are written into a request buffer the
// engine already holds, the native `exec()` takes no arguments at all, and the engine writes
// its RESP replies into a response buffer that is decoded here. Layout of a request (u32
// little-endian): a header with the session slot and the byte length of the rest; then per
// command its argument count, then per argument its byte length and bytes.

import { isAscii } from 'node:buffer'
import { ReplyError } from '../errors.js'
import { objectFromPairs } from './records.js'

/** A command argument: bytes or text; numbers (and BigInts, for integers beyond 2^53) are sent
 * in decimal. */
export type Arg = string | Buffer | Uint8Array | number | bigint

const INITIAL_SIZE = 64 * 1024
/** Bytes before the first command: session slot and payload length. */
const HEADER = 8

/** Encodes commands into a reusable buffer, growing it when needed. */
export class RequestWriter {
  buffer = Buffer.allocUnsafe(INITIAL_SIZE)
  length = HEADER
  /** Set when `buffer` was replaced and must be registered with the engine again. */
  grown = false

  /** The session the commands run as. */
  constructor(public slot: number) {}

  /** Fills in the header; call once all commands are written. */
  seal(): void {
    writeU32(this.buffer, 0, this.slot)
    writeU32(this.buffer, 4, this.length - HEADER)
  }

  reset(): void {
    this.length = HEADER
  }

  command(args: readonly Arg[]): void {
    this.start(args.length)
    for (const arg of args) this.#arg(arg)
  }

  /** Starts a command of `argc` arguments (its name included); they follow with `arg`. */
  start(argc: number): void {
    this.#u32(argc)
  }

  arg(arg: Arg): void {
    this.#arg(arg)
  }

  #ensure(extra: number): void {
    const needed = this.length + extra
    if (needed <= this.buffer.length) return
    let bigger
    try {
      bigger = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2))
    } catch (error) {
      this.reset()
      throw error
    }
    this.buffer.copy(bigger, 0, 0, this.length)
    this.buffer = bigger
    this.grown = true
  }

  #u32(n: number): void {
    this.#ensure(4)
    writeU32(this.buffer, this.length, n)
    this.length += 4
  }

  #arg(arg: Arg): void {
    if (typeof arg === 'string') {
      this.#string(arg)
    } else if (typeof arg === 'number') {
      if (Number.isSafeInteger(arg)) this.#integer(arg)
      else this.#string(String(arg))
    } else if (typeof arg === 'bigint') {
      this.#string(arg.toString())
    } else {
      if (!(arg instanceof Uint8Array)) {
        // What was written of the request is dropped, so that no command runs half-written.
        this.reset()
        throw new TypeError(`a command argument must be a string, a number, a BigInt or bytes, not ${describe(arg)}`)
      }
      this.#u32(arg.length)
      this.#ensure(arg.length)
      this.buffer.set(arg, this.length)
      this.length += arg.length
    }
  }

  /** An integer's decimal digits, written without making its string. */
  #integer(n: number): void {
    this.#ensure(4 + 17)
    const buffer = this.buffer
    let at = this.length + 4
    let value = n
    if (value < 0) {
      buffer[at++] = 0x2d // '-'
      value = -value
    }
    let digits = 1
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++
    for (let i = at + digits - 1; i >= at; i--) {
      buffer[i] = 48 + (value % 10)
      value = Math.floor(value / 10)
    }
    at += digits
    writeU32(buffer, this.length, at - this.length - 4)
    this.length = at
  }

  #string(text: string): void {
    this.#ensure(4 + text.length * 3)
    const buffer = this.buffer
    const start = this.length + 4
    let written = -1
    // Short ASCII strings (most keys) are copied by hand: cheaper than an encoder call.
    if (text.length <= 64) {
      written = text.length
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i)
        if (code >= 0x80) {
          written = -1
          break
        }
        buffer[start + i] = code
      }
    }
    if (written < 0) written = buffer.write(text, start, 'utf8')
    writeU32(buffer, this.length, written)
    this.length = start + written
  }
}

/** What an argument of the wrong type is, for the error. */
function describe(arg: unknown): string {
  if (arg === null) return 'null'
  if (typeof arg === 'object') return arg.constructor?.name ? `an instance of ${arg.constructor.name}` : 'an object'
  return typeof arg === 'undefined' ? 'undefined' : `a ${typeof arg}`
}

/** Little-endian u32 store without Buffer#writeUInt32LE's argument checks. */
function writeU32(buffer: Buffer, at: number, n: number): void {
  buffer[at] = n & 0xff
  buffer[at + 1] = (n >>> 8) & 0xff
  buffer[at + 2] = (n >>> 16) & 0xff
  buffer[at + 3] = n >>> 24
}

/** Buffer's own decoding entry point, without `toString`'s argument normalisation. */
interface FastSlices {
  utf8Slice(start: number, end: number): string
  latin1Slice(start: number, end: number): string
}

/** Arrays with at least this many elements have their strings cut from one decoded text. */
const TEXT_MIN_ELEMENTS = 8
/** ...when the replies left to read are no longer than this, so that a kept string (which may
 * share the text's memory) never holds on to much more than its own reply. */
const TEXT_MAX_BYTES = 1 << 20
/** Up to this many bytes, the text is decoded as UTF-8 at once and kept if it has as many
 * characters as bytes; beyond, `isAscii` looks first, so that a long non-ASCII reply is not
 * decoded in vain. */
const TEXT_DECODE_FIRST_BYTES = 4096

/**
 * Reads RESP replies from a buffer. Bulk and simple strings become strings, or Buffers when
 * `buffers` (as ioredis's `*Buffer` methods return them).
 * Integers become numbers, or BigInts beyond ±(2^53 − 1), where a number would lose digits;
 * RESP3 big numbers are BigInts too. Over RESP3 (after `HELLO 3`), maps become plain objects
 * (keys as strings) and sets become `Set`s; RESP2 has neither and sends flat arrays instead.
 */
export class ReplyReader {
  #buffer: Buffer = Buffer.alloc(0)
  #at = 0
  #end = 0
  /** The replies from `#textStart` to `#end` as one string, when they are all ASCII: decoding
   * each string of a large array on its own costs far more than cutting it from this. */
  #text = ''
  /** Where `#text` starts in the buffer; -1 while there is none. */
  #textStart = -1
  /** Whether making `#text` was tried since the last reset. */
  #textTried = false
  /** Bulk strings as Buffers; may change between replies (a batch of `get` and `getBuffer`). */
  buffers = false

  /** Reads the replies in `buffer`, up to `end` (a reused buffer holds older bytes after it). */
  reset(buffer: Buffer, buffers: boolean, end = buffer.length): void {
    this.#buffer = buffer
    this.#at = 0
    this.#end = end
    this.buffers = buffers
    this.#textStart = -1
    this.#textTried = false
  }

  /** Whether the next reply is an error. */
  get failing(): boolean {
    return this.#buffer[this.#at] === 0x2d
  }

  /** Whether another reply follows. */
  get more(): boolean {
    return this.#at < this.#end
  }

  /** The next reply; an error reply is returned as a ReplyError, not thrown. */
  next(): unknown {
    const buffer = this.#buffer
    const kind = buffer[this.#at++]
    switch (kind) {
      case 0x2b: {
        // '+'
        const start = this.#at
        // OK, the reply of every write, without a decoding call.
        if (!this.buffers && buffer[start] === 0x4f && buffer[start + 1] === 0x4b && buffer[start + 2] === 13) {
          this.#at = start + 4
          return 'OK'
        }
        return this.#bytes(start, this.#lineEnd())
      }
      case 0x2d: {
        // '-'
        const start = this.#at
        return new ReplyError(buffer.toString('utf8', start, this.#lineEnd()))
      }
      case 0x3a: // ':'
        return this.#exactInteger()
      case 0x28: {
        // '(' big number
        const start = this.#at
        return BigInt(buffer.toString('latin1', start, this.#lineEnd()))
      }
      case 0x24: // '$'
      case 0x3d: {
        // '=' verbatim: like a bulk string with a `txt:` prefix
        const length = this.#integer()
        if (length < 0) return null
        const start = this.#at
        this.#at += length + 2
        return kind === 0x3d ? this.#bytes(start + 4, start + length) : this.#bytes(start, start + length)
      }
      case 0x2a: // '*'
      case 0x3e: {
        // '>' push
        const count = this.#integer()
        if (count < 0) return null
        if (count >= TEXT_MIN_ELEMENTS && !this.#textTried && !this.buffers) this.#decodeRest()
        const items = new Array<unknown>(count)
        if (this.#textStart >= 0 && this.#at >= this.#textStart && !this.buffers) this.#bulksFromText(items)
        else for (let i = 0; i < count; i++) items[i] = this.next()
        return items
      }
      case 0x7e: {
        // '~' set
        const count = this.#integer()
        const set = new Set<unknown>()
        for (let i = 0; i < count; i++) set.add(this.next())
        return set
      }
      case 0x25: {
        // '%' map
        const pairs = new Array<unknown>(this.#integer() * 2)
        for (let i = 0; i < pairs.length; i++) pairs[i] = this.next()
        return objectFromPairs(pairs)
      }
      case 0x5f: // '_'
        this.#at += 2
        return null
      case 0x2c: {
        // ','
        const start = this.#at
        const end = this.#lineEnd()
        const text = buffer.toString('latin1', start, end)
        return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text)
      }
      case 0x23: {
        // '#'
        const value = buffer[this.#at] === 0x74
        this.#at += 3
        return value
      }
      default:
        throw new Error(`unexpected reply type byte ${kind}`)
    }
  }

  /** Fills `items` with the next replies, once the text is decoded: bulk strings (most arrays
   * hold nothing else) are cut from it here, without a call per element. */
  #bulksFromText(items: unknown[]): void {
    const buffer = this.#buffer
    const text = this.#text
    const textStart = this.#textStart
    let at = this.#at
    for (let i = 0; i < items.length; i++) {
      if (buffer[at] !== 0x24 || buffer[at + 1] === 0x2d) {
        this.#at = at
        items[i] = this.next()
        at = this.#at
        continue
      }
      let length = 0
      for (let c = buffer[++at]!; c !== 13; c = buffer[++at]!) length = length * 10 + (c - 48)
      const start = at + 2 - textStart
      items[i] = text.slice(start, start + length)
      at += length + 4
    }
    this.#at = at
  }

  /** Advances past the current line; returns where its text ends (before \r\n). */
  #lineEnd(): number {
    const end = this.#buffer.indexOf(13, this.#at)
    this.#at = end + 2
    return end
  }

  #integer(): number {
    const buffer = this.#buffer
    let at = this.#at
    let negative = false
    if (buffer[at] === 0x2d) {
      negative = true
      at++
    }
    let value = 0
    for (let c = buffer[at]!; c !== 13; c = buffer[++at]!) value = value * 10 + (c - 48)
    this.#at = at + 2
    return negative ? -value : value
  }

  /** An integer reply: a number while exact, a BigInt beyond. */
  #exactInteger(): number | bigint {
    const start = this.#at
    const value = this.#integer()
    if (Number.isSafeInteger(value)) return value
    return BigInt(this.#buffer.toString('latin1', start, this.#at - 2))
  }

  #bytes(start: number, end: number): string | Buffer {
    if (this.buffers) return Buffer.from(this.#buffer.subarray(start, end))
    const textStart = this.#textStart
    if (textStart >= 0 && start >= textStart) return this.#text.slice(start - textStart, end - textStart)
    return (end - start <= SHORT && shortAscii(this.#buffer, start, end - start)) || this.#utf8(start, end)
  }

  #utf8(start: number, end: number): string {
    return (this.#buffer as unknown as FastSlices).utf8Slice(start, end)
  }

  /** Decodes the replies left to read at once, if they are ASCII and not too long. */
  #decodeRest(): void {
    this.#textTried = true
    const start = this.#at
    const bytes = this.#end - start
    const slices = this.#buffer as unknown as FastSlices
    if (bytes <= TEXT_DECODE_FIRST_BYTES) {
      // Fewer characters than bytes means some were not ASCII (UTF-8 makes each byte one
      // character at most, an invalid byte one U+FFFD).
      const text = slices.utf8Slice(start, this.#end)
      if (text.length !== bytes) return
      this.#text = text
    } else {
      if (bytes > TEXT_MAX_BYTES || !isAscii(this.#buffer.subarray(start, this.#end))) return
      this.#text = slices.latin1Slice(start, this.#end)
    }
    this.#textStart = start
  }
}

/** The longest text `shortAscii` decodes. */
const SHORT = 12
const char = String.fromCharCode

/**
 * `n` bytes (at most `SHORT`) from `at` as a string, if they are all ASCII; '' otherwise, and
 * for no bytes (the caller then decodes them as UTF-8). Buffer's decoders are calls into C++
 * that cost more than decoding a short value here, one `String.fromCharCode` of all its bytes.
 */
function shortAscii(b: Buffer, at: number, n: number): string {
  let bits = 0
  for (let i = at; i < at + n; i++) bits |= b[i]!
  if (bits >= 0x80) return ''
  switch (n) {
    case 1:
      return char(b[at]!)
    case 2:
      return char(b[at]!, b[at + 1]!)
    case 3:
      return char(b[at]!, b[at + 1]!, b[at + 2]!)
    case 4:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!)
    case 5:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!)
    case 6:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!)
    case 7:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!)
    case 8:
      return char(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!, b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!)
    case 9:
      return char(
        b[at]!,
        b[at + 1]!,
        b[at + 2]!,
        b[at + 3]!,
        b[at + 4]!,
        b[at + 5]!,
        b[at + 6]!,
        b[at + 7]!,
        b[at + 8]!,
      )
    case 10:
      return char(
        b[at]!,
        b[at + 1]!,
        b[at + 2]!,
        b[at + 3]!,
        b[at + 4]!,
        b[at + 5]!,
        b[at + 6]!,
        b[at + 7]!,
        b[at + 8]!,
        b[at + 9]!,
      )
    case 11:
      return char(
        b[at]!,
        b[at + 1]!,
        b[at + 2]!,
        b[at + 3]!,
        b[at + 4]!,
        b[at + 5]!,
        b[at + 6]!,
        b[at + 7]!,
        b[at + 8]!,
        b[at + 9]!,
        b[at + 10]!,
      )
    case 12:
      return char(
        b[at]!,
        b[at + 1]!,
        b[at + 2]!,
        b[at + 3]!,
        b[at + 4]!,
        b[at + 5]!,
        b[at + 6]!,
        b[at + 7]!,
        b[at + 8]!,
        b[at + 9]!,
        b[at + 10]!,
        b[at + 11]!,
      )
    default:
      return ''
  }
}
