// MIGRATE's network half. The engine (`crates/engine/src/cmd/keyspace/migrate.rs`) checks the
// arguments, serializes the keys and hands over the target's address, the options and one
// RESTORE command per key; here they are sent and the replies read, as Redis's
// `migrateCommand` does it:
//
// - Connections to targets are kept for reuse, one per host:port, at most 64, each closed after
//   10 seconds unused; a kept connection remembers the database it selected, so SELECT is sent
//   only when another one is wanted (and again after any error).
// - AUTH (with AUTH or AUTH2), SELECT and the RESTOREs go out in one write; then one reply line
//   each is read, every read limited by the command's timeout.
// - A target's error is the reply (`Target instance replied with error: …`), the first one only;
//   the keys acknowledged before and after it are still removed (unless COPY), through
//   `migrated`.
// - A connection that fails before any reply is opened again and the whole transfer tried once
//   more (a kept connection the target closed is the usual cause), unless the failure was a
//   timeout; otherwise the reply is Redis's IOERR, in Redis's words: a target that refuses the
//   connection is an error "writing", an address that cannot be resolved an error "connecting".
// - Transfers to one target take turns, as their replies share its connection.

import { connect, type Socket } from 'node:net'
import { encodeError } from '../resp.js'

/** How long a kept connection may stay unused (Redis's MIGRATE_SOCKET_CACHE_TTL). */
const IDLE_MS = 10_000
/** How many connections are kept (Redis's MIGRATE_SOCKET_CACHE_ITEMS). */
const MAX_LINKS = 64
/** The longest reply line kept, as Redis reads them into 1 KB. */
const MAX_LINE = 1023

const CONNECT_ERROR = encodeError('IOERR error or timeout connecting to the client')
const READ_ERROR = encodeError('IOERR error or timeout reading to target instance')
const WRITE_ERROR = encodeError('IOERR error or timeout writing to target instance')
const OK = Buffer.from('+OK\r\n')

/** Flags the engine sends after the destination database (see `migrate.rs`). */
const COPY_FLAG = 'c'
const USERNAME_FLAG = 'u'
const PASSWORD_FLAG = 'p'

/** Why a read returned no line. */
type ReadFailure = 'timeout' | 'closed'

/** A connection to a target, kept between MIGRATEs. */
class Link {
  /** The database the last successful MIGRATE selected; -1 when unknown. */
  lastDb = -1
  #pending: Buffer = Buffer.alloc(0)
  #closed = false
  #wake: (() => void) | null = null
  #idle: NodeJS.Timeout | undefined

  constructor(
    readonly socket: Socket,
    private readonly forget: () => void,
  ) {
    socket.setNoDelay(true)
    socket.on('data', (data: Buffer) => {
      this.#pending = this.#pending.length === 0 ? data : Buffer.concat([this.#pending, data])
      this.#wake?.()
    })
    const closed = () => {
      this.#closed = true
      this.#wake?.()
      this.close()
    }
    socket.on('error', closed)
    socket.on('close', closed)
  }

  /** Marks the link in use now; it closes itself after `IDLE_MS` unused. */
  used(): void {
    clearTimeout(this.#idle)
    this.#idle = setTimeout(() => this.close(), IDLE_MS).unref()
  }

  /** The next reply line (without CRLF, cut to 1 KB), or why there is none within `timeout` ms. */
  async readLine(timeout: number): Promise<string | ReadFailure> {
    const deadline = Date.now() + timeout
    for (;;) {
      const end = this.#pending.indexOf('\n')
      if (end >= 0) {
        const line = this.#pending.subarray(0, Math.min(end, MAX_LINE)).toString('latin1').replace(/\r$/, '')
        this.#pending = this.#pending.subarray(end + 1)
        return line
      }
      if (this.#closed) return 'closed'
      const left = deadline - Date.now()
      if (left <= 0) return 'timeout'
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.#wake = null
    }
  }

  close(): void {
    clearTimeout(this.#idle)
    this.#closed = true
    this.socket.destroy()
    this.forget()
  }
}

/** The kept connections of one server, and the transfers that use them. */
export class Migrations {
  readonly #links = new Map<string, Link>()
  /** Per target, the end of the transfers queued for it. */
  readonly #turns = new Map<string, Promise<void>>()

  /** `counted` is told how many connections are kept whenever that changes. */
  constructor(private readonly counted: (count: number) => void) {}

  /** Runs the handed-over MIGRATE `args`; `migrated` removes the keys the target acknowledged.
   * Resolves with the reply. */
  run(args: Buffer[], migrated: (keys: Buffer[]) => void): Promise<Buffer> {
    // One transfer at a time per target: another client's MIGRATE to it waits for this one,
    // since their replies would share the kept connection (Redis blocks for a MIGRATE).
    const target = `${args[0]!.toString()}:${args[1]!.toString()}`
    const before = this.#turns.get(target) ?? Promise.resolve()
    const transfer = before.then(() => this.#transfer(args, migrated))
    const turn = transfer.then(
      () => {},
      () => {},
    )
    this.#turns.set(target, turn)
    void turn.then(() => {
      if (this.#turns.get(target) === turn) this.#turns.delete(target)
    })
    return transfer
  }

  async #transfer(args: Buffer[], migrated: (keys: Buffer[]) => void): Promise<Buffer> {
    const [hostArg, portArg, timeoutArg, dbArg, flagsArg, username, password, ...rest] = args
    const host = hostArg!.toString()
    const port = portArg!.toString()
    const timeout = Number(timeoutArg)
    const db = Number(dbArg)
    const flags = flagsArg!.toString('latin1')
    const keys: Buffer[] = []
    const restores: Buffer[] = []
    for (let i = 0; i + 1 < rest.length; i += 2) {
      keys.push(rest[i]!)
      restores.push(rest[i + 1]!)
    }
    const auth = flags.includes(PASSWORD_FLAG)
      ? command(flags.includes(USERNAME_FLAG) ? ['AUTH', username!, password!] : ['AUTH', password!])
      : null
    let mayRetry = true
    for (;;) {
      const link = await this.#link(host, port, timeout)
      if (link === 'unresolved') return CONNECT_ERROR
      // As in Redis, whose connect waits for the socket to be writable and then writes to it
      // even when it did not connect: a refused or timed out connection fails the write.
      if (link === 'unconnected') {
        if (mayRetry) {
          mayRetry = false
          continue
        }
        return WRITE_ERROR
      }
      const select = link.lastDb !== db
      const parts = [...(auth ? [auth] : []), ...(select ? [command(['SELECT', String(db)])] : []), ...restores]
      link.socket.write(Buffer.concat(parts))
      // A reply of AUTH or SELECT missing: the reply, or null to try again.
      const failed = (reason: ReadFailure): Buffer | null => {
        link.close()
        if (reason !== 'timeout' && mayRetry) {
          mayRetry = false
          return null
        }
        return READ_ERROR
      }
      const authReply = auth ? await link.readLine(timeout) : ''
      if (authReply === 'timeout' || authReply === 'closed') {
        const reply = failed(authReply)
        if (reply) return reply
        continue
      }
      const selectReply = select ? await link.readLine(timeout) : ''
      if (selectReply === 'timeout' || selectReply === 'closed') {
        const reply = failed(selectReply)
        if (reply) return reply
        continue
      }
      let targetError: string | null = null
      let socketFailure: ReadFailure | null = null
      const acknowledged: Buffer[] = []
      let read = 0
      for (; read < keys.length; read++) {
        const line = await link.readLine(timeout)
        if (line === 'timeout' || line === 'closed') {
          socketFailure = line
          break
        }
        const refusal = authReply.startsWith('-') ? authReply : selectReply.startsWith('-') ? selectReply : line
        if (refusal.startsWith('-')) {
          if (targetError === null) {
            link.lastDb = -1
            targetError = refusal.slice(1)
          }
        } else if (!flags.includes(COPY_FLAG)) {
          acknowledged.push(keys[read]!)
        }
      }
      // Nothing was read back: the transfer is tried once more on a new connection.
      if (targetError === null && socketFailure !== null && read === 0 && socketFailure !== 'timeout' && mayRetry) {
        link.close()
        mayRetry = false
        continue
      }
      if (socketFailure !== null) link.close()
      if (acknowledged.length > 0) migrated(acknowledged)
      if (targetError === null && socketFailure !== null) return READ_ERROR
      if (targetError !== null) return encodeError(`ERR Target instance replied with error: ${targetError}`)
      link.lastDb = db
      return OK
    }
  }

  /** A connection to `host`:`port`, kept or new, or why there is none (see `open`). */
  async #link(host: string, port: string, timeout: number): Promise<Link | OpenFailure> {
    const name = `${host}:${port}`
    const kept = this.#links.get(name)
    if (kept) {
      kept.used()
      return kept
    }
    if (this.#links.size >= MAX_LINKS) {
      const names = [...this.#links.keys()]
      this.#links.get(names[Math.floor(Math.random() * names.length)]!)!.close()
    }
    const socket = await open(host, Number(port), timeout)
    if (typeof socket === 'string') return socket
    const link = new Link(socket, () => {
      if (this.#links.get(name) !== link) return
      this.#links.delete(name)
      this.counted(this.#links.size)
    })
    this.#links.set(name, link)
    this.counted(this.#links.size)
    link.used()
    return link
  }

  /** Closes every kept connection (the server is closing). */
  close(): void {
    for (const link of [...this.#links.values()]) link.close()
  }
}

/** Why no connection opened: the address could not be used at all (Redis fails at once
 * then), or the connection was refused or took longer than the timeout. */
type OpenFailure = 'unresolved' | 'unconnected'

/** A connected socket, or why there is none within `timeout` ms. */
function open(host: string, port: number, timeout: number): Promise<Socket | OpenFailure> {
  return new Promise((resolve) => {
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      resolve('unresolved')
      return
    }
    const socket = connect({ host, port })
    const fail = (error?: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(error?.syscall === 'getaddrinfo' ? 'unresolved' : 'unconnected')
    }
    const timer = setTimeout(fail, timeout)
    socket.once('error', fail)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.off('error', fail)
      resolve(socket)
    })
  })
}

/** A command in RESP. */
function command(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg) : arg
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'))
  }
  return Buffer.concat(parts)
}
