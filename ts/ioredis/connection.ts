// One redwing/ioredis client's sessions on the embedded store: what a socket is to ioredis.
//
// Commands run synchronously, many in one native call, and their replies are read at once.
// Subscriptions live on a second session, opened on the first one, whose messages arrive
// later through the store's router and are handed to `push` (a client in subscriber mode
// sends nothing else, so the two sessions look like one).
//
// A command that waits for data (BLPOP, BZPOPMIN, XREAD BLOCK…) cannot wait inside a native
// call: the store answers it at once as if it timed out. While that answer is null and the
// command's timeout has not passed, the client waits as a blocked connection does: the
// commands sent after it are queued, and the command is tried again after any other client of
// the same store ran commands (a tick later), and every few milliseconds for writes from
// elsewhere (the store's own calls, network clients, expiry).

import { ReplyReader, type Arg } from '../embedded/codec.js'
import type { Redwing, StoreSession } from '../store.js'
import { WAITING_COMMANDS } from './commands.js'

export interface Request {
  /** The command, its lower-case name first. */
  command: Arg[]
  /** Read bulk strings as Buffers. */
  buffers: boolean
  /** Called with the reply (a ReplyError for an error). */
  done(reply: unknown): void
}

export interface ConnectionEvents {
  /** A message (an array: `message`, `pmessage` or `smessage` first), its strings as Buffers. */
  push(message: unknown[]): void
  /** The engine disconnected the session (CLIENT KILL). */
  killed(): void
}

/** What `runNow` returns for a command it did not run. */
export const NOT_RUN = Symbol('not run')
/** What `#begin` returns for a command that waits. */
const WAITS = Symbol('waits')

/** How often a waiting command is tried again when nothing in-process woke it. */
const POLL_MS = 10

/** The clients of each store whose first queued command waits. */
const waitingClients = new WeakMap<Redwing, Set<Connection>>()

interface Wait {
  /** When the command times out (ms since the epoch; Infinity for never). */
  deadline: number
  timer: NodeJS.Timeout
}

export class Connection {
  readonly #store: Redwing
  readonly #events: ConnectionEvents
  readonly #session: StoreSession
  /** The session subscriptions are made on, opened with the first. */
  #subscriber: StoreSession | undefined
  readonly #reader = new ReplyReader()
  readonly #waiting: Set<Connection>
  /** Requests not answered yet: first the one that waits, then those sent after it. */
  #queue: Request[] = []
  #wait: Wait | undefined
  /** A tick is scheduled to try the store's waiting commands again. */
  static #wakeScheduled = new WeakSet<Set<Connection>>()

  constructor(store: Redwing, events: ConnectionEvents) {
    this.#store = store
    this.#events = events
    let waiting = waitingClients.get(store)
    if (!waiting) {
      waiting = new Set()
      waitingClients.set(store, waiting)
    }
    this.#waiting = waiting
    this.#session = store.openSession()
  }

  /** Runs a SUBSCRIBE-like command (or PING in subscriber mode) on the subscriber session;
   * returns its `count` replies (one per channel). */
  subscription(command: Arg[], count: number): unknown[] {
    this.#subscriber ??= this.#store.openSession({
      deliver: (data) => this.#deliver(data),
      kill: () => this.#events.killed(),
    })
    return this.#subscriber.run([command], (reader) => {
      const replies = []
      for (let i = 0; i < count && reader.more; i++) replies.push(reader.next())
      return replies
    })
  }

  /** Runs one command at once and returns its reply, unless commands wait before it or it may
   * wait itself: then returns `NOT_RUN`, for `send` to run it. The fast path of a command. */
  runNow(name: string, args: readonly Arg[], buffers: boolean): unknown {
    if (this.#queue.length > 0 || WAITING_COMMANDS.has(name)) return NOT_RUN
    const reply = this.#session.call(name, args, buffers)
    if (this.#waiting.size > 0) this.#wakeOthers()
    return reply
  }

  /** Runs `requests` in order; each `done` is called with its reply, at once or, behind a
   * command that waits, once that command is answered. */
  send(requests: Request[]): void {
    let start = 0
    while (start < requests.length && this.#queue.length === 0) {
      let end = start
      while (end < requests.length && !this.#mayWait(requests[end]!.command)) end++
      if (end > start) this.#run(requests.slice(start, end))
      if (end < requests.length) {
        const request = requests[end]!
        const reply = this.#begin(request)
        if (reply !== WAITS) request.done(reply)
      }
      start = end + 1
    }
    for (let i = start; i < requests.length; i++) this.#queue.push(requests[i]!)
    if (this.#waiting.size > 0) this.#wakeOthers()
  }

  /** Runs a command that may wait: its reply, or `WAITS` when it waits (its answer is null and
   * its timeout has not passed). */
  #begin(request: Request): unknown {
    const reply = this.#tryWait(request)
    if (reply !== null || timeoutOf(request.command) === 0) return reply
    this.#queue.push(request)
    this.#startWaiting(request)
    return WAITS
  }

  /** Runs requests none of which waits, in one native call. */
  #run(batch: Request[]): void {
    const replies = this.#session.run(
      batch.map((request) => request.command),
      (reader) =>
        batch.map((request) => {
          reader.buffers = request.buffers
          return reader.next()
        }),
    )
    for (let i = 0; i < batch.length; i++) batch[i]!.done(replies[i])
  }

  #mayWait(command: Arg[]): boolean {
    return WAITING_COMMANDS.has(command[0] as string)
  }

  /** Runs a command that may wait: its reply, null when it would wait. */
  #tryWait(request: Request): unknown {
    const [name, ...args] = request.command
    return this.#session.call(name as string, args, request.buffers)
  }

  #startWaiting(request: Request): void {
    if (request.command[0] === 'xread') this.#pinLastIds(request.command)
    const timeout = timeoutOf(request.command)
    const deadline = timeout === Infinity ? Infinity : Date.now() + timeout
    this.#wait = { deadline, timer: setTimeout(() => this.#retry(), Math.min(POLL_MS, timeout)) }
    this.#waiting.add(this)
  }

  /** XREAD's `$` means entries added after the call: tried again, it must keep meaning the
   * stream's last entry at the first try. */
  #pinLastIds(command: Arg[]): void {
    const streams = command.findIndex((arg, i) => i > 0 && String(arg).toUpperCase() === 'STREAMS')
    const count = (command.length - streams - 1) / 2
    for (let i = 0; i < count; i++) {
      const at = streams + 1 + count + i
      if (command[at] !== '$') continue
      const last = this.#session.run([['xrevrange', command[streams + 1 + i]!, '+', '-', 'COUNT', 1]], (reader) =>
        reader.next(),
      )
      command[at] = Array.isArray(last) && last.length > 0 ? (last[0] as [string])[0] : '0-0'
    }
  }

  /** Tries the waiting command again; once it is answered (or timed out), sends the rest. */
  #retry(): void {
    const wait = this.#wait
    const request = this.#queue[0]
    if (!wait || !request) return
    clearTimeout(wait.timer)
    const reply = this.#tryWait(request)
    if (reply === null && Date.now() < wait.deadline) {
      wait.timer = setTimeout(() => this.#retry(), Math.min(POLL_MS, wait.deadline - Date.now()))
      return
    }
    this.#wait = undefined
    this.#waiting.delete(this)
    const queued = this.#queue
    this.#queue = []
    request.done(reply)
    this.send(queued.slice(1))
  }

  /** Commands ran: the store's waiting commands are tried again once this tick's work is done. */
  #wakeOthers(): void {
    const waiting = this.#waiting
    if (Connection.#wakeScheduled.has(waiting)) return
    Connection.#wakeScheduled.add(waiting)
    setImmediate(() => {
      Connection.#wakeScheduled.delete(waiting)
      for (const connection of [...waiting]) connection.#retry()
    })
  }

  /** Messages that reached the session after its call. */
  #deliver(data: Buffer): void {
    const reader = this.#reader
    reader.reset(data, true)
    while (reader.more) {
      const message = reader.next() as unknown[]
      process.nextTick(() => this.#events.push(message))
    }
  }

  /** Closes the session; returns the requests that were never answered. */
  close(): Request[] {
    if (this.#wait) clearTimeout(this.#wait.timer)
    this.#wait = undefined
    this.#waiting.delete(this)
    this.#session.close()
    this.#subscriber?.close()
    const unanswered = this.#queue
    this.#queue = []
    return unanswered
  }
}

/** How long a command that waits may wait, in milliseconds (Infinity: no limit), as its
 * arguments say: the last (BLPOP…) or first (BLMPOP, BZMPOP) argument in seconds, or XREAD's
 * BLOCK in milliseconds (none: no wait). */
function timeoutOf(command: Arg[]): number {
  const name = command[0] as string
  let milliseconds: number
  if (name === 'xread' || name === 'xreadgroup') {
    const at = command.findIndex((arg, i) => i > 0 && String(arg).toUpperCase() === 'BLOCK')
    if (at < 0) return 0
    milliseconds = Number(command[at + 1])
  } else {
    const seconds = name === 'blmpop' || name === 'bzmpop' ? command[1] : command[command.length - 1]
    milliseconds = Number(seconds) * 1000
  }
  return milliseconds === 0 ? Infinity : milliseconds
}
