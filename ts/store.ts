// The embedded store: the same engine as the server, in-process, with synchronous calls.
//
// `new Redwing()` owns a native engine and one session on it. Every call crosses into Rust
// once; `pipeline()` batches many commands into one crossing. Replies come back as plain
// values: strings (or Buffers, from the `*Buffer` variants and `callBuffer`), numbers, null,
// and arrays. An error reply is thrown as a `ReplyError` carrying Redis's message.
// `listen()` serves the same keyspace over RESP, so other processes can share it.
//
// This file holds the store's machinery: the engine, the call path, pub/sub listeners,
// persistence and serving. The typed methods live in one file per command family under
// `embedded/` and are mixed in at the end (see `embedded/commands.ts`).

import { NativeEngine } from './native/binding.js'
import { RedwingServer } from './server/server.js'
import { routerFor, type Router, type Sink } from './server/router.js'
import { driveSnapshot, loadDataFromDisk } from './server/persistence.js'
import { assertTableMatches } from './commands/table.js'
import { ReplyReader, RequestWriter, type Arg } from './embedded/codec.js'
import { Subscriber, type MessageListener, type PatternListener } from './embedded/subscriber.js'
import { Commands, type Name } from './embedded/commands.js'
import { Pipeline, Transaction } from './embedded/pipeline.js'
import { StringCommands } from './embedded/strings.js'
import { HashCommands } from './embedded/hashes.js'
import { ListCommands } from './embedded/lists.js'
import { SetCommands } from './embedded/sets.js'
import { SortedSetCommands } from './embedded/zsets.js'
import { HyperLogLogCommands } from './embedded/hyperloglog.js'
import { BitmapCommands } from './embedded/bitmaps.js'
import { GeoCommands } from './embedded/geo.js'
import { StreamCommands } from './embedded/streams.js'
import { KeyCommands } from './embedded/keys.js'
import { ScriptingCommands } from './embedded/scripting.js'
import { PubSubCommands } from './embedded/pubsub.js'
import { TransactionCommands } from './embedded/transactions.js'
import { ServerCommands } from './embedded/server.js'
import { ConnectionCommands } from './embedded/connection.js'
import type { CommandName } from './commands/names.js'
import { encodeError } from './resp.js'
import { ReplyError } from './errors.js'

export type { Arg, MessageListener, PatternListener }

/** The bit of `exec()`'s result saying output for other sessions waits (see the binding). */
const OUTBOUND_FLAG = 0x80000000
/** The bit of `exec()`'s result saying a command was handed over to the store (see the binding). */
const HOST_CALL_FLAG = 0x40000000

/** Another client of a store, opened by `openSession`. */
export interface StoreSession {
  /** Runs `commands` as this session and hands `read` the reader over their replies; output
   * for other sessions is delivered once `read` returns. */
  run<T>(commands: readonly (readonly Arg[])[], read: (replies: ReplyReader) => T): T
  /** Runs the command `name` with `args` as this session; returns its reply (a ReplyError for
   * an error). */
  call(name: string, args: readonly Arg[], buffers: boolean): unknown
  close(): void
}

export interface RedwingOptions {
  /** Configuration directives applied at creation, as in redis.conf (`{ databases: 4 }`). */
  config?: Record<string, string | number>
  /** Directory of the RDB file. Given (or with `dbfilename`), the store loads the file when it
   * opens, if there is one, and `save()`, `bgsave()` and the `save` rules write it there. */
  dir?: string
  /** Name of the RDB file in `dir` (default `dump.rdb`). */
  dbfilename?: string
  /** Snapshot rules, as redis.conf's `save` (`'3600 1 300 100'`), for a store with `dir` or
   * `dbfilename`; none unless given. With rules set, `close()` saves too. */
  save?: string
  /** Keep an append-only file in `dir` (its `appendonlydir`), loaded instead of the RDB file
   * when the store opens; every write is appended to it. */
  appendonly?: boolean
  /** When the append-only file is flushed to disk: after every write (`always`), about once a
   * second (`everysec`, the default) or when the system decides (`no`). */
  appendfsync?: 'always' | 'everysec' | 'no'
}

export interface ListenOptions {
  /** Port for plain connections (default 6379); 0 picks a free one; null opens none (with
   * `tls`, TLS only). */
  port?: number | null
  /** Address to listen on (default 127.0.0.1). */
  host?: string
  /** Serve TLS too, as redis-server does with `tls-port` and the `tls-*` settings (which these
   * options set: CONFIG GET shows them). */
  tls?: TlsListenOptions
  /** Serve memcached's text protocol on this port too (0 picks a free one; default: none), over
   * the same keyspace (database 0); see `memcachedPort`. */
  memcachedPort?: number | null
}

/** TLS serving: `tls-port` and the `tls-*` settings of redis.conf, by their camel-case names.
 * Files are paths, read when `listen()` starts (and again on CONFIG SET of a TLS setting). */
export interface TlsListenOptions {
  /** Port for TLS connections; 0 picks a free one (see `tlsPort`). */
  port: number
  /** The server's certificate chain (PEM). */
  certFile: string
  /** The private key of `certFile` (PEM). */
  keyFile: string
  /** The password of `keyFile`, if it is encrypted. */
  keyFilePass?: string
  /** CA certificates (PEM) that client certificates, and a master's when replicating over TLS,
   * must be signed by. Required unless `authClients` is `no`. */
  caCertFile?: string
  /** A directory of CA certificates, instead of or with `caCertFile`. */
  caCertDir?: string
  /** Client certificates: required (`yes`, the default), checked when presented
   * (`optional`), or not asked for (`no`). */
  authClients?: 'yes' | 'no' | 'optional'
  /** Protocol versions, separated by spaces (default `TLSv1.2 TLSv1.3`). */
  protocols?: string
  /** TLS 1.2 ciphers, in OpenSSL's format. */
  ciphers?: string
  /** TLS 1.3 cipher suites, in OpenSSL's format. */
  ciphersuites?: string
  /** Choose the cipher by the server's preference rather than the client's. */
  preferServerCiphers?: boolean
  /** DH parameters (PEM) for DHE ciphers (default: chosen automatically). */
  dhParamsFile?: string
  /** Session resumption tickets live `sessionCacheTimeout` seconds (default 300), or two hours
   * when `sessionCaching` is false. */
  sessionCaching?: boolean
  /** Shown by CONFIG GET only: tickets keep nothing on the server for it to bound. */
  sessionCacheSize?: number
  sessionCacheTimeout?: number
  /** The certificate and key (and its password) the store presents when it connects to a
   * master over TLS (default: `certFile` and `keyFile`). */
  clientCertFile?: string
  clientKeyFile?: string
  clientKeyFilePass?: string
  /** Replicate from a master over TLS (`replicaof` through `call`). */
  replication?: boolean
}

/** The `tls-*` setting of each TLS option. */
const TLS_SETTINGS: Record<Exclude<keyof TlsListenOptions, 'port'>, string> = {
  certFile: 'tls-cert-file',
  keyFile: 'tls-key-file',
  keyFilePass: 'tls-key-file-pass',
  caCertFile: 'tls-ca-cert-file',
  caCertDir: 'tls-ca-cert-dir',
  authClients: 'tls-auth-clients',
  protocols: 'tls-protocols',
  ciphers: 'tls-ciphers',
  ciphersuites: 'tls-ciphersuites',
  preferServerCiphers: 'tls-prefer-server-ciphers',
  dhParamsFile: 'tls-dh-params-file',
  sessionCaching: 'tls-session-caching',
  sessionCacheSize: 'tls-session-cache-size',
  sessionCacheTimeout: 'tls-session-cache-timeout',
  clientCertFile: 'tls-client-cert-file',
  clientKeyFile: 'tls-client-key-file',
  clientKeyFilePass: 'tls-client-key-file-pass',
  replication: 'tls-replication',
}

let tableChecked = false

/** What the engine's `call` returns when an argument is neither a string nor a safe integer:
 * nothing ran, and the command goes through the request buffer instead. */
const NOT_RUN = false

export class Redwing extends Commands {
  readonly #engine: NativeEngine
  /** The engine's `exec`: runs the request buffer's commands (see the binding). */
  readonly #execNative: () => number
  /** The engine's `call`: one short command of string or integer arguments, its simple reply
   * made into a JS value natively (see `#quick`). */
  readonly #callNative: (slot: number, ...command: Arg[]) => unknown
  /** What `exec()` would have returned, written by a `call` that left its reply in the
   * response buffer. */
  readonly #callLength = new Uint32Array(1)
  readonly #slot: number
  readonly #request: RequestWriter
  readonly #reader = new ReplyReader()
  #response = Buffer.allocUnsafe(64 * 1024)
  readonly #router: Router
  /** Set by a call that left output for other sessions, routed once its reply is read. */
  #outbound = false
  #subscriber: Subscriber | undefined
  #server: RedwingServer | undefined
  #tickTimer: NodeJS.Timeout | undefined
  #closed = false
  /** The store has an RDB file (`dir` or `dbfilename` given). */
  #persistent = false

  constructor(options: RedwingOptions = {}) {
    super()
    this.#engine = new NativeEngine()
    if (!tableChecked) {
      assertTableMatches(this.#engine.commandTable())
      tableChecked = true
    }
    for (const [name, value] of Object.entries(options.config ?? {})) {
      this.#engine.configure([name, String(value)])
    }
    const persistence = {
      dir: options.dir,
      dbfilename: options.dbfilename,
      // Without a file the store keeps no save rules: it never writes to the disk by itself.
      save: options.dir !== undefined || options.dbfilename !== undefined ? (options.save ?? '') : '',
      appendonly: options.appendonly === undefined ? undefined : options.appendonly ? 'yes' : 'no',
      appendfsync: options.appendfsync,
    }
    for (const [name, value] of Object.entries(persistence)) {
      if (value !== undefined) this.#engine.configure([name, value])
    }
    this.#persistent = options.dir !== undefined || options.dbfilename !== undefined || options.appendonly === true
    if (this.#persistent) loadDataFromDisk(this.#engine)
    this.#execNative = this.#engine.execFunction()
    this.#callNative = this.#engine.stringCallFunction() as (slot: number, ...command: Arg[]) => unknown
    this.#slot = this.#engine.open('', '', -1, false)
    this.#request = new RequestWriter(this.#slot)
    this.#engine.setCallBuffers(this.#request.buffer, this.#response)
    this.#engine.setCallLengthBuffer(Buffer.from(this.#callLength.buffer))
    this.#router = routerFor(this.#engine)
    this.#startTicking()
  }

  /** Periodic work (active expiry, timed-out waits, the `save` rules) while no server does
   * it; the timer does not keep the process alive. */
  #startTicking(): void {
    const hz = Math.max(1, Number(this.#engine.hz()))
    // The embedded store keeps no log: the tick's log lines are dropped.
    this.#tickTimer = setInterval(() => {
      const tick = this.#engine.tick()
      this.#router.route(tick)
      if (tick.saving) void driveSnapshot(this.#engine)
    }, 1000 / hz)
    this.#tickTimer.unref()
  }

  // Persistence

  /** SAVE: writes the RDB file (`dir`/`dbfilename`) now, and returns once it is on disk. */
  save(): void {
    const saved = this.#engine.saveRdb()
    if (!saved.ok) throw new Error(saved.log.map((line) => line.replace(/^# /, '')).join('; '))
  }

  /** BGSAVE: takes the snapshot now and writes it while the store goes on serving. */
  async bgsave(): Promise<void> {
    this.call('BGSAVE')
    await driveSnapshot(this.#engine)
    const persistence = String(this.call('INFO', 'persistence'))
    if (!persistence.includes('rdb_last_bgsave_status:ok')) throw new Error('the background save failed')
  }

  /** Runs the commands written to the request buffer; returns a reader over their replies. */
  #exec(buffers: boolean): ReplyReader {
    if (this.#closed) throw new Error('the store is closed')
    const request = this.#request
    if (request.grown) {
      this.#engine.setCallBuffers(request.buffer, this.#response)
      request.grown = false
    }
    request.seal()
    const length = this.#unflagged(this.#execNative())
    if (length >= HOST_CALL_FLAG) {
      const replies = this.#serveHostCalls(length - HOST_CALL_FLAG)
      request.reset()
      this.#reader.reset(replies, buffers)
      return this.#reader
    }
    request.reset()
    // The hot path: the reader reads the response buffer up to `length`, with no view made.
    this.#reader.reset(length <= this.#response.length ? this.#response : this.#engine.takeReplies(), buffers, length)
    return this.#reader
  }

  /** The `length` bytes of replies of the last native run (after a host call): in the response
   * buffer (a view of it, valid until the next run), or, when they did not fit, taken from the
   * engine. */
  #replies(length: number): Buffer {
    return length <= this.#response.length ? this.#response.subarray(0, length) : this.#engine.takeReplies()
  }

  /** `exec()`'s result without the outbound flag, which is noted. */
  #unflagged(length: number): number {
    if (length < OUTBOUND_FLAG) return length
    this.#outbound = true
    return length - OUTBOUND_FLAG
  }

  /** Answers the commands the engine hands over (CONFIG SET of a listener, DEBUG LOADAOF,
   * MIGRATE: they need a server, so each gets an error), running the rest of the request after
   * each; returns all the replies. */
  #serveHostCalls(length: number): Buffer {
    const parts: Buffer[] = []
    for (;;) {
      const call = this.#engine.takeHostCall()
      if (!call) {
        // No command was handed over: the flag was the top bit of a reply of a gigabyte.
        parts.push(this.#engine.takeReplies())
        return Buffer.concat(parts)
      }
      // A copy: the next run writes over the response buffer.
      parts.push(Buffer.from(this.#replies(length)))
      parts.push(this.#hostCall(call.name))
      length = this.#unflagged(this.#engine.resumeExec())
      if (length < HOST_CALL_FLAG) {
        parts.push(this.#replies(length))
        return Buffer.concat(parts)
      }
      length -= HOST_CALL_FLAG
    }
  }

  /** The reply to a command handed over by the engine. */
  #hostCall(name: string): Buffer {
    return encodeError(`ERR ${name.replace('|', ' ').toUpperCase()} is not available in the embedded store`)
  }

  /** Delivers what the last call produced for other sessions (after its reply was read, since
   * listeners may call the store again). */
  #routeOutbound(): void {
    this.#outbound = false
    this.#router.route(this.#engine.takeOutbound())
  }

  /** Runs the one command written to the request buffer; returns its reply or throws it. */
  #reply<T>(buffers: boolean): T {
    return this.#settle(this.#exec(buffers))
  }

  /** The reply `reader` holds for one command, thrown if it is an error, once the output the
   * command left for other sessions is delivered. */
  #settle<T>(reader: ReplyReader): T {
    const failing = reader.failing
    const reply = reader.next()
    if (this.#outbound) this.#routeOutbound()
    if (failing) throw reply
    return reply as T
  }

  /** The reader over the reply of the engine's last `call` that left it in the response buffer
   * (as `exec` leaves replies; a command handed over is answered here, with nothing after it). */
  #leftReply(): ReplyReader {
    const length = this.#unflagged(this.#callLength[0]!)
    if (length >= HOST_CALL_FLAG) {
      this.#reader.reset(this.#hostCall(this.#engine.takeHostCall()!.name), false)
    } else {
      this.#reader.reset(length <= this.#response.length ? this.#response : this.#engine.takeReplies(), false, length)
    }
    return this.#reader
  }

  protected run<T>(args: readonly Arg[], buffers = false): T {
    if (!buffers && args.length <= 5 && !this.#closed) {
      const reply = this.#quick(this.#request.slot, args[0]!, args, 1)
      if (reply !== NOT_RUN) {
        if (reply instanceof ReplyError) throw reply
        return reply as T
      }
    }
    this.#request.command(args)
    return this.#reply(buffers)
  }

  /** The command `name` with the arguments `args` from `first` on (at most four), run by the
   * engine's `call` as session `slot`: its reply (an error reply as a ReplyError, not thrown),
   * or NOT_RUN. */
  #quick(slot: number, name: Arg, args: readonly Arg[], first: number): unknown {
    const call = this.#callNative
    let reply
    switch (args.length - first) {
      case 0:
        reply = call(slot, name)
        break
      case 1:
        reply = call(slot, name, args[first]!)
        break
      case 2:
        reply = call(slot, name, args[first]!, args[first + 1]!)
        break
      case 3:
        reply = call(slot, name, args[first]!, args[first + 1]!, args[first + 2]!)
        break
      default:
        reply = call(slot, name, args[first]!, args[first + 1]!, args[first + 2]!, args[first + 3]!)
    }
    if (reply !== undefined) return reply
    const reader = this.#leftReply()
    const result = reader.next()
    if (this.#outbound) this.#routeOutbound()
    return result
  }

  // `run` of a short command and `run1`…`run3` try the engine's `call` first: no request
  // encoding, and a simple reply (a string, a null, an integer) made into its JS value
  // natively. Buffers wanted, or an argument of another kind, take the request buffer.

  protected run1<T>(name: Name, a: Arg, buffers = false): T {
    if (!buffers && !this.#closed) {
      const reply = this.#callNative(this.#request.slot, name, a)
      if (reply !== NOT_RUN) return reply === undefined ? this.#settle(this.#leftReply()) : (reply as T)
    }
    const request = this.#request
    request.start(2)
    request.arg(name)
    request.arg(a)
    return this.#reply(buffers)
  }

  protected run2<T>(name: Name, a: Arg, b: Arg, buffers = false): T {
    if (!buffers && !this.#closed) {
      const reply = this.#callNative(this.#request.slot, name, a, b)
      if (reply !== NOT_RUN) return reply === undefined ? this.#settle(this.#leftReply()) : (reply as T)
    }
    const request = this.#request
    request.start(3)
    request.arg(name)
    request.arg(a)
    request.arg(b)
    return this.#reply(buffers)
  }

  protected run3<T>(name: Name, a: Arg, b: Arg, c: Arg, buffers = false): T {
    if (!buffers && !this.#closed) {
      const reply = this.#callNative(this.#request.slot, name, a, b, c)
      if (reply !== NOT_RUN) return reply === undefined ? this.#settle(this.#leftReply()) : (reply as T)
    }
    const request = this.#request
    request.start(4)
    request.arg(name)
    request.arg(a)
    request.arg(b)
    request.arg(c)
    return this.#reply(buffers)
  }

  /** Runs any command; bulk replies come back as strings. Throws ReplyError on an error reply. */
  call<T = unknown>(command: CommandName | Name, ...args: Arg[]): T {
    return this.run<T>([command, ...args])
  }

  /** Like `call`, with bulk replies as Buffers (for binary values). */
  callBuffer<T = unknown>(command: CommandName | Name, ...args: Arg[]): T {
    return this.run<T>([command, ...args], true)
  }

  /** Runs `commands` in one native call; returns their replies, error replies as ReplyErrors. */
  #batch(commands: readonly (readonly Arg[])[], buffers: boolean): unknown[] {
    for (const command of commands) this.#request.command(command)
    const reader = this.#exec(buffers)
    const replies = commands.map(() => reader.next())
    if (this.#outbound) this.#routeOutbound()
    return replies
  }

  /** Starts a batch of commands that runs in one native call. */
  pipeline(): Pipeline {
    return new Pipeline((commands, buffers) => this.#batch(commands, buffers))
  }

  /** Starts a transaction: commands queued on it run between MULTI and EXEC, all in one native
   * call, when its `exec()` is called (see `Transaction`). */
  multi(): Transaction {
    return new Transaction((commands, buffers) => this.#batch(commands, buffers))
  }

  /**
   * Opens another client on this store's keyspace, with its own database and transaction, as a
   * network connection has (`redwing/ioredis` gives each client one). Like the store's calls,
   * it never waits (BLPOP answers at once as if it timed out). With a `sink`, it may subscribe
   * instead: the messages that reach it later go to the sink.
   */
  openSession(sink?: Sink): StoreSession {
    if (this.#closed) throw new Error('the store is closed')
    const slot = sink ? this.#engine.openSubscriber() : this.#engine.open('', '', -1, false)
    if (sink) this.#router.add(slot, sink)
    return {
      run: (commands, read) => {
        const request = this.#request
        request.slot = slot
        let result
        try {
          for (const command of commands) request.command(command)
          result = read(this.#exec(false))
        } finally {
          request.slot = this.#slot
        }
        if (this.#outbound) this.#routeOutbound()
        return result
      },
      call: (name, args, buffers) => {
        if (!buffers && args.length <= 4 && !this.#closed) {
          const reply = this.#quick(slot, name, args, 0)
          if (reply !== NOT_RUN) return reply
        }
        const request = this.#request
        request.slot = slot
        let reply
        try {
          request.start(args.length + 1)
          request.arg(name)
          for (let i = 0; i < args.length; i++) request.arg(args[i]!)
          reply = this.#exec(buffers).next()
        } finally {
          request.slot = this.#slot
        }
        if (this.#outbound) this.#routeOutbound()
        return reply
      },
      close: () => {
        if (sink) this.#router.remove(slot, sink)
        if (!this.#closed) this.#engine.close(slot)
      },
    }
  }

  // Pub/Sub

  /** Calls `listener` with each message published on `channel`, by anyone. */
  subscribe(channel: string, listener: MessageListener): void {
    this.#subscriptions().add('channel', channel, listener)
  }

  /** Removes `listener` (or every listener) from `channel`. */
  unsubscribe(channel: string, listener?: MessageListener): void {
    this.#subscriber?.remove('channel', channel, listener)
  }

  /** Calls `listener` with each message published on a channel matching the glob `pattern`,
   * such as keyspace notifications (`__keyevent@0__:*`, with `notify-keyspace-events` set). */
  psubscribe(pattern: string, listener: PatternListener): void {
    this.#subscriptions().add('pattern', pattern, listener)
  }

  punsubscribe(pattern: string, listener?: PatternListener): void {
    this.#subscriber?.remove('pattern', pattern, listener)
  }

  /** Calls `listener` with each message published on the shard channel. */
  ssubscribe(channel: string, listener: MessageListener): void {
    this.#subscriptions().add('shard', channel, listener)
  }

  sunsubscribe(channel: string, listener?: MessageListener): void {
    this.#subscriber?.remove('shard', channel, listener)
  }

  /** The in-process subscriber session, opened on first use. */
  #subscriptions(): Subscriber {
    if (this.#closed) throw new Error('the store is closed')
    if (!this.#subscriber) {
      const slot = this.#engine.openSubscriber()
      this.#subscriber = new Subscriber((args) => {
        this.#request.slot = slot
        try {
          return this.run(args)
        } finally {
          this.#request.slot = this.#slot
        }
      })
      this.#router.add(slot, this.#subscriber)
    }
    return this.#subscriber
  }

  // Serving over the network

  /** Serves this store's keyspace over RESP, and over TLS with `tls`; resolves with the plain
   * port, or the TLS one when there is no plain listener. Rejects when the TLS files cannot be
   * loaded or a port cannot be listened on. */
  async listen(options: ListenOptions = {}): Promise<number> {
    if (this.#server) throw new Error('this store is already listening')
    const { port: tlsPort, ...settings } = options.tls ?? { port: null }
    for (const [option, value] of Object.entries(settings)) {
      if (value === undefined) continue
      const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)
      this.#engine.configure([TLS_SETTINGS[option as keyof typeof TLS_SETTINGS], text])
    }
    this.#server = new RedwingServer(this.#engine, {
      port: options.port === undefined ? 6379 : options.port,
      tlsPort,
      memcachedPort: options.memcachedPort ?? null,
      host: options.host ?? '127.0.0.1',
    })
    let port: number
    try {
      port = await this.#server.listen()
    } catch (error) {
      this.#server = undefined
      throw error
    }
    // The server's tick takes over the periodic work.
    clearInterval(this.#tickTimer)
    return port
  }

  /** The port of the memcached listeners, once `listen()` resolved (0: none). */
  get memcachedPort(): number {
    return this.#server?.memcachedPort ?? 0
  }

  /** The port of the TLS listeners, once `listen()` resolved (0: none). */
  get tlsPort(): number {
    return this.#server?.tlsPort ?? 0
  }

  /** Stops serving (if listening), saves when `save` rules are set, and releases the store. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    clearInterval(this.#tickTimer)
    await this.#server?.close()
    this.#engine.prepareShutdown()
    if (this.#persistent && (this.#engine.configValue('save') ?? '') !== '') this.save()
    this.#engine.close(this.#slot)
    this.#engine.setCallBuffers(Buffer.alloc(0), Buffer.alloc(0))
  }
}

// The typed methods, one family per file: their types merge into `Redwing`'s, and their
// methods are copied onto its prototype.
const FAMILIES = [
  StringCommands,
  HashCommands,
  ListCommands,
  SetCommands,
  SortedSetCommands,
  HyperLogLogCommands,
  BitmapCommands,
  GeoCommands,
  StreamCommands,
  KeyCommands,
  ScriptingCommands,
  PubSubCommands,
  TransactionCommands,
  ServerCommands,
  ConnectionCommands,
]

export interface Redwing
  extends
    StringCommands,
    HashCommands,
    ListCommands,
    SetCommands,
    SortedSetCommands,
    HyperLogLogCommands,
    BitmapCommands,
    GeoCommands,
    StreamCommands,
    KeyCommands,
    ScriptingCommands,
    PubSubCommands,
    TransactionCommands,
    ServerCommands,
    ConnectionCommands {}

for (const family of FAMILIES) {
  for (const name of Object.getOwnPropertyNames(family.prototype)) {
    if (name === 'constructor') continue
    if (Object.prototype.hasOwnProperty.call(Redwing.prototype, name)) {
      throw new Error(`the method ${name} is defined twice`)
    }
    Object.defineProperty(Redwing.prototype, name, Object.getOwnPropertyDescriptor(family.prototype, name)!)
  }
}
