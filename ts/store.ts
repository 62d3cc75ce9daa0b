// The embedded store: the same engine as the server, in-process, with synchronous calls.
//
// `new Redwing()` owns a native engine and one session on it. Every call crosses into Rust
// once; `pipeline()` batches many commands into one crossing. Replies come back as plain
// values: strings (or Buffers, from the `*Buffer` variants and `callBuffer`), numbers, null,
// and arrays. An error reply is thrown as a `ReplyError` carrying Redis's message.
// `listen()` serves the same keyspace over RESP, so other processes can share it.

import { exec, NativeEngine, selectEngine } from './native/binding.js'
import { ReplyError } from './errors.js'
import { RedwingServer } from './server/server.js'
import { routerFor, type Router, type Sink } from './server/router.js'
import { driveSnapshot, loadDataFromDisk, saveRdb } from './server/persistence.js'
import { assertTableMatches } from './commands/table.js'
import { commandPrefix, ReplyReader, RequestWriter, type Arg } from './embedded/codec.js'
import { Subscriber, type MessageListener, type PatternListener } from './embedded/subscriber.js'
import type { CommandName } from './commands/names.js'

export type { Arg, MessageListener, PatternListener }

/** Another client of a store, opened by `openSession`. */
export interface StoreSession {
  /** Runs `commands` as this session and hands `read` the reader over their replies; output
   * for other sessions is delivered once `read` returns. */
  run<T>(commands: readonly (readonly Arg[])[], read: (replies: ReplyReader) => T): T
  /** Runs one command as this session; returns its reply (a ReplyError for an error). */
  call(command: readonly Arg[], buffers: boolean): unknown
  close(): void
}

/** The bit of `exec()`'s result saying output for other sessions waits (see the binding). */
const OUTBOUND_FLAG = 0x80000000

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

export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number
  /** Expire after this many milliseconds. */
  px?: number
  /** Expire at this Unix time in seconds. */
  exat?: number
  /** Expire at this Unix time in milliseconds. */
  pxat?: number
  /** Keep the existing time to live. */
  keepTtl?: boolean
  /** Only set if the key does not exist. */
  nx?: boolean
  /** Only set if the key exists. */
  xx?: boolean
}

let tableChecked = false
const GET = commandPrefix('GET', 2)
const SET = commandPrefix('SET', 3)
/** The engine the native `exec()` currently works on (shared by every store of this thread). */
let selectedEngine = -1

function setArgs(key: Arg, value: Arg, options: SetOptions): Arg[] {
  const args: Arg[] = ['SET', key, value]
  if (options.ex !== undefined) args.push('EX', options.ex)
  if (options.px !== undefined) args.push('PX', options.px)
  if (options.exat !== undefined) args.push('EXAT', options.exat)
  if (options.pxat !== undefined) args.push('PXAT', options.pxat)
  if (options.keepTtl) args.push('KEEPTTL')
  if (options.nx) args.push('NX')
  if (options.xx) args.push('XX')
  return args
}

export class Redwing {
  readonly #engine: NativeEngine
  readonly #engineId: number
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
    this.#engineId = this.#engine.id
    this.#slot = this.#engine.open('', '', -1, false)
    this.#request = new RequestWriter(this.#slot)
    this.#engine.setCallBuffers(this.#request.buffer, this.#response)
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
    saveRdb(this.#engine, this.#engine.rdbSnapshot())
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
    if (selectedEngine !== this.#engineId) {
      selectEngine(this.#engineId)
      selectedEngine = this.#engineId
    }
    request.seal()
    let length = exec()
    request.reset()
    if (length >= OUTBOUND_FLAG) {
      length -= OUTBOUND_FLAG
      this.#outbound = true
    }
    this.#reader.reset(length <= this.#response.length ? this.#response : this.#engine.takeReplies(), buffers, length)
    return this.#reader
  }

  /** Delivers what the last call produced for other sessions (after its reply was read, since
   * listeners may call the store again). */
  #routeOutbound(): void {
    if (!this.#outbound) return
    this.#outbound = false
    this.#router.route(this.#engine.takeOutbound())
  }

  /** Runs one command and returns its reply, throwing an error reply. */
  #run<T>(args: readonly Arg[], buffers = false): T {
    this.#request.command(args)
    return this.#reply(buffers)
  }

  /** Runs the one command written to the request buffer; returns its reply or throws it. */
  #reply<T>(buffers: boolean): T {
    const reply = this.#exec(buffers).next()
    this.#routeOutbound()
    if (reply instanceof ReplyError) throw reply
    return reply as T
  }

  /** Runs any command; bulk replies come back as strings. Throws ReplyError on an error reply. */
  call<T = unknown>(command: CommandName | Uppercase<CommandName>, ...args: Arg[]): T {
    return this.#run<T>([command, ...args])
  }

  /** Like `call`, with bulk replies as Buffers (for binary values). */
  callBuffer<T = unknown>(command: CommandName | Uppercase<CommandName>, ...args: Arg[]): T {
    return this.#run<T>([command, ...args], true)
  }

  /** Starts a batch of commands that runs in one native call. */
  pipeline(): Pipeline {
    return new Pipeline((commands, buffers) => {
      for (const command of commands) this.#request.command(command)
      const reader = this.#exec(buffers)
      const replies = commands.map(() => reader.next())
      this.#routeOutbound()
      return replies
    })
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
        this.#routeOutbound()
        return result
      },
      call: (command, buffers) => {
        const request = this.#request
        request.slot = slot
        let reply
        try {
          request.command(command)
          reply = this.#exec(buffers).next()
        } finally {
          request.slot = this.#slot
        }
        this.#routeOutbound()
        return reply
      },
      close: () => {
        if (sink) this.#router.remove(slot, sink)
        if (!this.#closed) this.#engine.close(slot)
      },
    }
  }

  // Strings

  get(key: Arg): string | null {
    this.#request.prefix(GET)
    this.#request.arg(key)
    return this.#reply(false)
  }

  getBuffer(key: Arg): Buffer | null {
    this.#request.prefix(GET)
    this.#request.arg(key)
    return this.#reply(true)
  }

  /** SET; returns 'OK', or null when NX/XX prevented the write. */
  set(key: Arg, value: Arg, options?: SetOptions): 'OK' | null {
    if (options) return this.#run(setArgs(key, value, options))
    this.#request.prefix(SET)
    this.#request.arg(key)
    this.#request.arg(value)
    return this.#reply(false)
  }

  /** SET … GET: sets the value and returns the previous one. */
  setGet(key: Arg, value: Arg, options: SetOptions = {}): string | null {
    return this.#run([...setArgs(key, value, options), 'GET'])
  }

  setnx(key: Arg, value: Arg): number {
    return this.call('SETNX', key, value)
  }

  getdel(key: Arg): string | null {
    return this.call('GETDEL', key)
  }

  getset(key: Arg, value: Arg): string | null {
    return this.call('GETSET', key, value)
  }

  mget(...keys: Arg[]): (string | null)[] {
    return this.call('MGET', ...keys)
  }

  /** MSET from an object or alternating key/value arguments. */
  mset(entries: Record<string, Arg> | Arg[]): 'OK' {
    return this.call('MSET', ...flattenPairs(entries))
  }

  msetnx(entries: Record<string, Arg> | Arg[]): number {
    return this.call('MSETNX', ...flattenPairs(entries))
  }

  append(key: Arg, value: Arg): number {
    return this.call('APPEND', key, value)
  }

  strlen(key: Arg): number {
    return this.call('STRLEN', key)
  }

  getrange(key: Arg, start: number, end: number): string {
    return this.call('GETRANGE', key, start, end)
  }

  setrange(key: Arg, offset: number, value: Arg): number {
    return this.call('SETRANGE', key, offset, value)
  }

  incr(key: Arg): number | bigint {
    return this.call('INCR', key)
  }

  /** INCRBY; a result beyond ±(2^53 − 1) comes back as a BigInt, exactly. */
  incrby(key: Arg, increment: number | bigint): number | bigint {
    return this.call('INCRBY', key, String(increment))
  }

  decr(key: Arg): number | bigint {
    return this.call('DECR', key)
  }

  decrby(key: Arg, decrement: number | bigint): number | bigint {
    return this.call('DECRBY', key, String(decrement))
  }

  /** INCRBYFLOAT; returns the new value as Redis formats it. */
  incrbyfloat(key: Arg, increment: number | string): string {
    return this.call('INCRBYFLOAT', key, String(increment))
  }

  // HyperLogLog

  /** PFADD; 1 when the estimate changed (or the key was created), else 0. */
  pfadd(key: Arg, ...elements: Arg[]): number {
    return this.call('PFADD', key, ...elements)
  }

  /** PFCOUNT; with several keys, the cardinality of their union (nothing is written). */
  pfcount(...keys: Arg[]): number {
    return this.call('PFCOUNT', ...keys)
  }

  pfmerge(destination: Arg, ...sources: Arg[]): 'OK' {
    return this.call('PFMERGE', destination, ...sources)
  }

  // Bitmaps

  /** SETBIT; returns the bit's previous value. */
  setbit(key: Arg, offset: number, value: 0 | 1): number {
    return this.call('SETBIT', key, offset, value)
  }

  getbit(key: Arg, offset: number): number {
    return this.call('GETBIT', key, offset)
  }

  /** BITCOUNT over the whole string, or `start`..`end` counted in bytes (or bits). */
  bitcount(key: Arg, range?: BitRange): number {
    return this.call('BITCOUNT', key, ...bitRangeArgs(range))
  }

  /** BITPOS: the first bit set to `bit` (in `range`), or -1. */
  bitpos(key: Arg, bit: 0 | 1, range?: Partial<BitRange> & { start?: number }): number {
    const args: Arg[] = [key, bit]
    if (range?.start !== undefined) {
      args.push(range.start)
      if (range.end !== undefined) args.push(range.end, ...(range.unit ? [range.unit] : []))
    }
    return this.call('BITPOS', ...args)
  }

  /** BITOP AND/OR/XOR/NOT into `destination`; returns its length. */
  bitop(operation: 'AND' | 'OR' | 'XOR' | 'NOT', destination: Arg, ...keys: Arg[]): number {
    return this.call('BITOP', operation, destination, ...keys)
  }

  /** BITFIELD with its subcommands as arguments (`'GET', 'u8', 0, 'INCRBY', 'i5', '#1', 3`);
   * one result per GET, SET and INCRBY, null where OVERFLOW FAIL refused an operation. */
  bitfield(key: Arg, ...operations: Arg[]): (number | null)[] {
    return this.call('BITFIELD', key, ...operations)
  }

  bitfieldRo(key: Arg, ...operations: Arg[]): number[] {
    return this.call('BITFIELD_RO', key, ...operations)
  }

  // Geospatial indexes

  /** GEOADD; returns the number of members added (or changed, with `ch`). */
  geoadd(key: Arg, members: GeoMember[], options: { nx?: boolean; xx?: boolean; ch?: boolean } = {}): number {
    const args: Arg[] = [key]
    if (options.nx) args.push('NX')
    if (options.xx) args.push('XX')
    if (options.ch) args.push('CH')
    for (const { longitude, latitude, member } of members) args.push(longitude, latitude, member)
    return this.call('GEOADD', ...args)
  }

  /** GEODIST in `unit` (metres by default), or null when a member is missing. */
  geodist(key: Arg, member1: Arg, member2: Arg, unit: GeoUnit = 'm'): number | null {
    const distance = this.call<string | null>('GEODIST', key, member1, member2, unit)
    return distance === null ? null : Number(distance)
  }

  /** GEOHASH: 11-character geohash strings, null for missing members. */
  geohash(key: Arg, ...members: Arg[]): (string | null)[] {
    return this.call('GEOHASH', key, ...members)
  }

  /** GEOPOS: each member's position, null for missing members. */
  geopos(key: Arg, ...members: Arg[]): ({ longitude: number; latitude: number } | null)[] {
    const positions = this.call<([string, string] | null)[]>('GEOPOS', key, ...members)
    return positions.map((p) => (p === null ? null : { longitude: Number(p[0]), latitude: Number(p[1]) }))
  }

  /** GEOSEARCH: the members within a radius or box around a member or a position, nearest
   * first unless `order` says otherwise; with `withCoord`/`withDist`/`withHash`, each result is
   * an object. */
  geosearch(key: Arg, query: GeoQuery): (string | GeoResult)[] {
    const detailed = Boolean(query.withCoord || query.withDist || query.withHash)
    const args: Arg[] = [key, ...geoQueryArgs(query)]
    if (query.withCoord) args.push('WITHCOORD')
    if (query.withDist) args.push('WITHDIST')
    if (query.withHash) args.push('WITHHASH')
    const replies = this.call<unknown[]>('GEOSEARCH', ...args)
    if (!detailed) return replies as string[]
    return replies.map((reply) => geoResult(reply as unknown[], query))
  }

  /** GEOSEARCHSTORE: stores the matches in `destination` (with their distances as scores when
   * `storeDist` is set); returns how many were stored. */
  geosearchstore(destination: Arg, source: Arg, query: GeoQuery & { storeDist?: boolean }): number {
    const args: Arg[] = [destination, source, ...geoQueryArgs(query)]
    if (query.storeDist) args.push('STOREDIST')
    return this.call('GEOSEARCHSTORE', ...args)
  }

  // Streams

  /** XADD; `id` '*' lets the server choose. Returns the entry's id, or null with `nomkstream`
   * when the stream does not exist. */
  xadd(key: Arg, id: Arg, fields: Record<string, Arg> | Arg[], options: XAddOptions = {}): string | null {
    const args: Arg[] = [key]
    if (options.nomkstream) args.push('NOMKSTREAM')
    args.push(...trimArgs(options))
    args.push(id, ...flattenPairs(fields))
    return this.call('XADD', ...args)
  }

  /** XRANGE from `start` to `end` ('-' and '+' for the ends); entries as `[id, fields]`, or
   * `{ id, fields }` objects with `map`. */
  xrange(key: Arg, start: Arg = '-', end: Arg = '+', options: RangeOptions = {}): StreamEntries {
    const args: Arg[] = [key, start, end]
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamEntries(this.call('XRANGE', ...args), options.map)
  }

  /** XREVRANGE: as `xrange`, newest first. */
  xrevrange(key: Arg, end: Arg = '+', start: Arg = '-', options: RangeOptions = {}): StreamEntries {
    const args: Arg[] = [key, end, start]
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamEntries(this.call('XREVRANGE', ...args), options.map)
  }

  xlen(key: Arg): number {
    return this.call('XLEN', key)
  }

  xdel(key: Arg, ...ids: Arg[]): number {
    return this.call('XDEL', key, ...ids)
  }

  /** XTRIM to `maxlen` entries or to ids from `minid` on; returns the entries removed. */
  xtrim(key: Arg, options: TrimOptions): number {
    return this.call('XTRIM', key, ...trimArgs(options))
  }

  /** XREAD of the entries after each stream's id (`{ stream: id }`), or null when there are
   * none. An in-process call cannot block, so BLOCK is not offered. */
  xread(streams: Record<string, Arg>, options: RangeOptions = {}): StreamReads | null {
    const args: Arg[] = []
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamReads(
      this.call('XREAD', ...args, 'STREAMS', ...Object.keys(streams), ...Object.values(streams)),
      options.map,
    )
  }

  /** XREADGROUP as `consumer` of `group`: `>` for new entries, or an id for the consumer's
   * pending ones. */
  xreadgroup(
    group: Arg,
    consumer: Arg,
    streams: Record<string, Arg>,
    options: RangeOptions & { noack?: boolean } = {},
  ): StreamReads | null {
    const args: Arg[] = ['GROUP', group, consumer]
    if (options.count !== undefined) args.push('COUNT', options.count)
    if (options.noack) args.push('NOACK')
    args.push('STREAMS', ...Object.keys(streams), ...Object.values(streams))
    return streamReads(this.call('XREADGROUP', ...args), options.map)
  }

  xack(key: Arg, group: Arg, ...ids: Arg[]): number {
    return this.call('XACK', key, group, ...ids)
  }

  /** XGROUP CREATE; `id` '$' starts the group at the stream's end. */
  xgroupCreate(key: Arg, group: Arg, id: Arg = '$', options: { mkstream?: boolean; entriesRead?: number } = {}): 'OK' {
    const args: Arg[] = ['CREATE', key, group, id]
    if (options.mkstream) args.push('MKSTREAM')
    if (options.entriesRead !== undefined) args.push('ENTRIESREAD', options.entriesRead)
    return this.call('XGROUP', ...args)
  }

  xgroupDestroy(key: Arg, group: Arg): number {
    return this.call('XGROUP', 'DESTROY', key, group)
  }

  /** XPENDING's summary: `[count, smallest id, greatest id, [[consumer, count], ...]]`. */
  xpending(key: Arg, group: Arg): [number, string | null, string | null, [string, string][] | null] {
    return this.call('XPENDING', key, group)
  }

  /** XCLAIM of `ids` for `consumer` when idle at least `minIdleMs`; the claimed entries. */
  xclaim(
    key: Arg,
    group: Arg,
    consumer: Arg,
    minIdleMs: number,
    ids: Arg[],
    options: { map?: boolean } = {},
  ): StreamEntries {
    return streamEntries(this.call('XCLAIM', key, group, consumer, minIdleMs, ...ids), options.map)
  }

  // Keyspace

  del(...keys: Arg[]): number {
    return this.call('DEL', ...keys)
  }

  unlink(...keys: Arg[]): number {
    return this.call('UNLINK', ...keys)
  }

  exists(...keys: Arg[]): number {
    return this.call('EXISTS', ...keys)
  }

  type(key: Arg): string {
    return this.call('TYPE', key)
  }

  keys(pattern: Arg = '*'): string[] {
    return this.call('KEYS', pattern)
  }

  /** One SCAN step: `[nextCursor, keys]`; a next cursor of '0' ends the iteration. */
  scan(cursor: Arg, options: { match?: string; count?: number; type?: string } = {}): [string, string[]] {
    const args: Arg[] = [cursor]
    if (options.match !== undefined) args.push('MATCH', options.match)
    if (options.count !== undefined) args.push('COUNT', options.count)
    if (options.type !== undefined) args.push('TYPE', options.type)
    return this.call('SCAN', ...args)
  }

  /** Iterates every key with SCAN. */
  *scanIterator(options: { match?: string; count?: number; type?: string } = {}): Generator<string> {
    let cursor = '0'
    do {
      const [next, keys] = this.scan(cursor, options)
      yield* keys
      cursor = next
    } while (cursor !== '0')
  }

  randomkey(): string | null {
    return this.call('RANDOMKEY')
  }

  rename(key: Arg, newKey: Arg): 'OK' {
    return this.call('RENAME', key, newKey)
  }

  renamenx(key: Arg, newKey: Arg): number {
    return this.call('RENAMENX', key, newKey)
  }

  copy(source: Arg, destination: Arg, options: { db?: number; replace?: boolean } = {}): number {
    const args: Arg[] = [source, destination]
    if (options.db !== undefined) args.push('DB', options.db)
    if (options.replace) args.push('REPLACE')
    return this.call('COPY', ...args)
  }

  expire(key: Arg, seconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.call('EXPIRE', key, seconds, ...(mode ? [mode] : []))
  }

  pexpire(key: Arg, milliseconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.call('PEXPIRE', key, milliseconds, ...(mode ? [mode] : []))
  }

  expireat(key: Arg, unixSeconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.call('EXPIREAT', key, unixSeconds, ...(mode ? [mode] : []))
  }

  pexpireat(key: Arg, unixMilliseconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.call('PEXPIREAT', key, unixMilliseconds, ...(mode ? [mode] : []))
  }

  ttl(key: Arg): number {
    return this.call('TTL', key)
  }

  pttl(key: Arg): number {
    return this.call('PTTL', key)
  }

  expiretime(key: Arg): number {
    return this.call('EXPIRETIME', key)
  }

  persist(key: Arg): number {
    return this.call('PERSIST', key)
  }

  touch(...keys: Arg[]): number {
    return this.call('TOUCH', ...keys)
  }

  dbsize(): number {
    return this.call('DBSIZE')
  }

  flushdb(): 'OK' {
    return this.call('FLUSHDB')
  }

  flushall(): 'OK' {
    return this.call('FLUSHALL')
  }

  /** Selects the database this store's calls use. */
  select(db: number): 'OK' {
    return this.call('SELECT', db)
  }

  ping(message?: Arg): string {
    return message === undefined ? this.call('PING') : this.call('PING', message)
  }

  // Scripting

  /** EVAL: runs a Lua script with the given keys and arguments; returns its converted result. */
  eval<T = unknown>(script: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.#run<T>(['EVAL', script, keys.length, ...keys, ...args])
  }

  /** EVALSHA: runs a cached script by its SHA1 digest (a NOSCRIPT error when not cached). */
  evalsha<T = unknown>(sha: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.#run<T>(['EVALSHA', sha, keys.length, ...keys, ...args])
  }

  /** SCRIPT LOAD: caches a script and returns its SHA1 digest. */
  scriptLoad(script: Arg): string {
    return this.#run(['SCRIPT', 'LOAD', script])
  }

  /** FUNCTION LOAD: loads a library (`#!lua name=<lib>` first); returns its name. */
  functionLoad(code: Arg, options: { replace?: boolean } = {}): string {
    return this.#run(options.replace ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code])
  }

  /** FCALL: calls a function of a loaded library. */
  fcall<T = unknown>(name: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.#run<T>(['FCALL', name, keys.length, ...keys, ...args])
  }

  /**
   * Adds a method `name` that runs `lua` with its first `numberOfKeys` arguments as keys and the
   * rest as arguments (ioredis's `defineCommand`): by EVALSHA, falling back to EVAL when the
   * script is not cached (after SCRIPT FLUSH).
   */
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void {
    if (name in this) throw new TypeError(`cannot define '${name}': the store already has it`)
    const sha = this.scriptLoad(definition.lua)
    const run = (...params: Arg[]): unknown => {
      const keys = params.slice(0, definition.numberOfKeys)
      const args = params.slice(definition.numberOfKeys)
      try {
        return this.evalsha(sha, keys, args)
      } catch (error) {
        if (!(error instanceof ReplyError) || !error.message.startsWith('NOSCRIPT')) throw error
        return this.eval(definition.lua, keys, args)
      }
    }
    Object.defineProperty(this, name, { value: run, configurable: true })
  }

  // Pub/Sub

  /** Posts a message; returns the number of subscribers (here and on the network) that got it. */
  publish(channel: Arg, message: Arg): number {
    return this.call('PUBLISH', channel, message)
  }

  /** Posts a message to a shard channel. */
  spublish(channel: Arg, message: Arg): number {
    return this.call('SPUBLISH', channel, message)
  }

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
          return this.#run(args)
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

/** A stream entry: its id and its fields as alternating names and values. */
export type StreamEntry = [id: string, fields: string[]]
/** A stream entry with its fields as an object (the `map` option). */
export interface StreamRecord {
  id: string
  fields: Record<string, string>
}
export type StreamEntries = StreamEntry[] | StreamRecord[]
/** What XREAD and XREADGROUP return: each stream with its entries. Deleted entries that a
 * consumer still has pending come back with null fields. */
export type StreamReads = [stream: string, entries: StreamEntries][]

export interface TrimOptions {
  maxlen?: number
  minid?: Arg
  /** `~`: trim whole nodes only, as far as possible. */
  approximate?: boolean
  limit?: number
}

export interface XAddOptions extends TrimOptions {
  /** Do not create the stream when it does not exist. */
  nomkstream?: boolean
}

export interface RangeOptions {
  count?: number
  /** Fields as `{ name: value }` objects instead of flat arrays. */
  map?: boolean
}

function trimArgs(options: TrimOptions): Arg[] {
  const strategy =
    options.maxlen !== undefined
      ? ['MAXLEN', options.maxlen]
      : options.minid !== undefined
        ? ['MINID', options.minid]
        : []
  if (strategy.length === 0) return []
  const args: Arg[] = [strategy[0]!, options.approximate ? '~' : '=', strategy[1]!]
  if (options.limit !== undefined) args.push('LIMIT', options.limit)
  return args
}

function streamEntries(entries: StreamEntry[], map: boolean | undefined): StreamEntries {
  if (!map) return entries
  return entries.map(([id, fields]) => ({ id, fields: fields === null ? fields : Object.fromEntries(pairsOf(fields)) }))
}

function pairsOf(fields: string[]): [string, string][] {
  const pairs: [string, string][] = []
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i]!, fields[i + 1]!])
  return pairs
}

/** XREAD's reply: a flat array over RESP2, a map over RESP3. */
function streamReads(reply: unknown, map: boolean | undefined): StreamReads | null {
  if (reply === null) return null
  const streams = Array.isArray(reply)
    ? (reply as [string, StreamEntry[]][])
    : Object.entries(reply as Record<string, StreamEntry[]>)
  return streams.map(([stream, entries]) => [stream, streamEntries(entries, map)])
}

/** A range of a string: bytes by default, or bits with `unit: 'BIT'`; negative indexes count
 * from the end. */
export interface BitRange {
  start: number
  end: number
  unit?: 'BYTE' | 'BIT'
}

function bitRangeArgs(range: BitRange | undefined): Arg[] {
  if (!range) return []
  return range.unit ? [range.start, range.end, range.unit] : [range.start, range.end]
}

export type GeoUnit = 'm' | 'km' | 'mi' | 'ft'

export interface GeoMember {
  longitude: number
  latitude: number
  member: Arg
}

/** Where GEOSEARCH looks: around a member or a position, within a radius or a box. */
export interface GeoQuery {
  from: { member: Arg } | { longitude: number; latitude: number }
  by: { radius: number; unit: GeoUnit } | { width: number; height: number; unit: GeoUnit }
  order?: 'ASC' | 'DESC'
  /** At most this many results; with `any`, the first found rather than the nearest. */
  count?: number
  any?: boolean
  withCoord?: boolean
  withDist?: boolean
  withHash?: boolean
}

/** One GEOSEARCH result with the details the query asked for. */
export interface GeoResult {
  member: string
  distance?: number
  hash?: number | bigint
  longitude?: number
  latitude?: number
}

function geoQueryArgs(query: GeoQuery): Arg[] {
  const args: Arg[] = []
  if ('member' in query.from) args.push('FROMMEMBER', query.from.member)
  else args.push('FROMLONLAT', query.from.longitude, query.from.latitude)
  if ('radius' in query.by) args.push('BYRADIUS', query.by.radius, query.by.unit)
  else args.push('BYBOX', query.by.width, query.by.height, query.by.unit)
  if (query.order) args.push(query.order)
  if (query.count !== undefined) args.push('COUNT', query.count, ...(query.any ? ['ANY'] : []))
  return args
}

/** Reads one detailed GEOSEARCH reply: the member, then distance, hash and coordinates, each
 * present when asked for, in that order. */
function geoResult(reply: unknown[], query: GeoQuery): GeoResult {
  const result: GeoResult = { member: reply[0] as string }
  let at = 1
  if (query.withDist) result.distance = Number(reply[at++])
  if (query.withHash) result.hash = reply[at++] as number | bigint
  if (query.withCoord) {
    const [longitude, latitude] = reply[at] as [string, string]
    result.longitude = Number(longitude)
    result.latitude = Number(latitude)
  }
  return result
}

function flattenPairs(entries: Record<string, Arg> | Arg[]): Arg[] {
  return Array.isArray(entries) ? entries : Object.entries(entries).flat()
}

/** Commands queued for one native call. `exec()` returns one result per command, in order;
 * an error reply becomes a ReplyError in its slot instead of being thrown. */
export class Pipeline {
  #commands: Arg[][] = []

  constructor(private readonly run: (commands: Arg[][], buffers: boolean) => unknown[]) {}

  /** Queues any command. */
  call(command: CommandName | Uppercase<CommandName>, ...args: Arg[]): this {
    this.#commands.push([command, ...args])
    return this
  }

  get(key: Arg): this {
    this.#commands.push(['GET', key])
    return this
  }

  set(key: Arg, value: Arg, options?: SetOptions): this {
    this.#commands.push(options ? setArgs(key, value, options) : ['SET', key, value])
    return this
  }

  del(...keys: Arg[]): this {
    return this.call('DEL', ...keys)
  }

  incr(key: Arg): this {
    return this.call('INCR', key)
  }

  expire(key: Arg, seconds: number): this {
    return this.call('EXPIRE', key, seconds)
  }

  get length(): number {
    return this.#commands.length
  }

  /** Runs the queued commands; bulk replies as Buffers when `buffers` is set. */
  exec(options: { buffers?: boolean } = {}): unknown[] {
    const commands = this.#commands
    this.#commands = []
    return commands.length === 0 ? [] : this.run(commands, options.buffers ?? false)
  }
}
