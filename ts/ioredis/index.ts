// redwing/ioredis: ioredis's client API over the embedded store, in-process, so that code and
// tests written for ioredis (or for ioredis-mock) run on redwing's engine with one import line
// changed and no server.
//
// Each client is a session of its own on a store (see `connection.ts`): clients of the same
// host and port share one store, hence one keyspace, as ioredis-mock's do (`data.ts`), and a
// `store` option puts a client on a given `Redwing`. Every command of redwing's table is a
// method (lower case, with a `…Buffer` twin) that takes ioredis's arguments and an optional
// trailing callback and returns a Promise; the command runs at once, in one native call, and
// the Promise settles with the reply converted as ioredis converts it (`commands.ts`). The
// status and its events follow ioredis's: `connecting`, then `connect` and `ready` a tick later,
// `close` and `end` on `quit()` or `disconnect()`.

import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { ReplyError } from '../errors.js'
import type { Arg } from '../embedded/codec.js'
import type { Redwing } from '../store.js'
import type { CommandName } from '../commands/names.js'
import { Command, commandArgs, COMMAND_NAMES, customArgumentTransformers, prefixKeys, settleReply } from './commands.js'
import { Connection, NOT_RUN, type Request } from './connection.js'
import { seedCommands, storeAt, type SeedData } from './data.js'
import { Pipeline, type PipelineResult } from './pipeline.js'
import { emitMessage, SUBSCRIBER_MODE_ERROR, Subscriptions } from './pubsub.js'
import { ScanStream, type ScanStreamOptions } from './scan-stream.js'
import { commandSlot, CROSSSLOT, databaseRefusal, joinSlots, NO_SLOT, SLOTS_CROSSED } from './slots.js'
import { asCallback, type Callback, type Client, type Script } from './shared.js'

export {
  Command,
  ReplyError,
  Pipeline,
  ScanStream,
  type Callback,
  type PipelineResult,
  type ScanStreamOptions,
  type SeedData,
}

export interface RedisOptions {
  /** With `port`, names the store the client works on: clients of the same address share one
   * (default localhost:6379). Nothing is connected to. */
  host?: string
  port?: number
  /** The database the client selects (default 0). */
  db?: number
  /** Prepended to every key of every command, as ioredis does. */
  keyPrefix?: string
  /** Stay in status `wait` until `connect()` or the first command. */
  lazyConnect?: boolean
  /** With `false`, a command sent before the client is connected (`lazyConnect`) is refused,
   * as ioredis refuses it, instead of connecting (default true). */
  enableOfflineQueue?: boolean
  /** The client's name (CLIENT SETNAME). */
  connectionName?: string
  /** Commands to define at creation, as `defineCommand` does. */
  scripts?: Record<string, ScriptDefinition>
  /** Keys to write when the client is created, as ioredis-mock's `data`. */
  data?: SeedData
  /** ioredis-mock's option: the store's `notify-keyspace-events` (`'gK'`, `'Ex'`…), set when the
   * client is created. */
  notifyKeyspaceEvents?: string
  /** The embedded store to work on, instead of the one of `host` and `port`. */
  store?: Redwing
}

export interface ScriptDefinition {
  lua: string
  /** How many of a call's arguments are keys; without it, each call passes the count first. */
  numberOfKeys?: number
}

export type RedisStatus = 'wait' | 'connecting' | 'connect' | 'ready' | 'close' | 'end'

type Method = (...args: any[]) => Promise<any>
type CommandMethods = { [Name in CommandName]: Method } & { [Name in CommandName as `${Name}Buffer`]: Method }
/** Names the client defines itself, with ioredis's signatures. */
type OwnMethods = 'multi' | 'exec' | 'quit' | 'connect'

const CLOSED = 'Connection is closed.'
/** ioredis's refusal of a command sent while not connected, with `enableOfflineQueue: false`. */
const OFFLINE = "Stream isn't writeable and enableOfflineQueue options is false"

export interface Redis extends Omit<CommandMethods, OwnMethods> {
  /** Commands added by `defineCommand`. */
  [defined: string]: unknown
}

export class Redis extends EventEmitter {
  readonly options: RedisOptions & { host: string; port: number; db: number }
  status: RedisStatus = 'wait'
  /** Whether the client stands for a cluster (`Redis.Cluster`), whose rules its commands follow. */
  readonly isCluster: boolean = false
  readonly #store: Redwing
  readonly #keyPrefix: string
  #connection: Connection | undefined
  #subscriptions = new Subscriptions()
  /** A cluster client's transaction under way (see `#refusedByCluster`). */
  #transaction: { slot: number; flagged: boolean } | undefined
  readonly #scripts = new Map<string, Script>()
  /** What pipelines use of the client. */
  readonly #client: Client = {
    scripts: this.#scripts,
    prepare: (name, args) => this.#prepare(name, args),
    send: (requests) => this.#send(requests),
    settle: (name, command, reply) => settle(name, command, reply),
  }

  /** As ioredis: `new Redis()`, `new Redis(port, host?, options?)`, `new Redis(url, options?)`
   * or `new Redis(options)`. */
  constructor(...args: unknown[]) {
    super()
    this.options = parseOptions(args)
    this.#store = this.options.store ?? storeAt(this.options.host, this.options.port)
    this.#keyPrefix = this.options.keyPrefix ?? ''
    const events = this.options.notifyKeyspaceEvents
    if (events !== undefined) this.#setUp([['config', 'set', 'notify-keyspace-events', events]])
    if (this.options.data)
      this.#setUp([['select', this.options.db], ...seedCommands(this.options.data, this.#keyPrefix)])
    for (const [name, definition] of Object.entries(this.options.scripts ?? {})) this.defineCommand(name, definition)
    if (this.options.lazyConnect) this.#setStatus('wait')
    else this.connect().catch(() => {})
  }

  /** The commands with a method, as ioredis's `getBuiltinCommands()` lists them. */
  getBuiltinCommands(): string[] {
    return [...COMMAND_NAMES]
  }

  /** ioredis's `Redis.createClient`. */
  static createClient(...args: unknown[]): Redis {
    return new Redis(...args)
  }

  /** Opens the client's session; resolves once it is ready. */
  connect(callback?: Callback<void>): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      if (this.status === 'connecting' || this.status === 'connect' || this.status === 'ready') {
        reject(new Error('Redis is already connecting/connected'))
        return
      }
      this.#open()
      process.nextTick(() => {
        if (this.status !== 'connecting') {
          reject(new Error(CLOSED))
          return
        }
        this.#setStatus('connect')
        this.#setStatus('ready')
        resolve()
      })
    })
    return asCallback(promise, callback)
  }

  #open(): void {
    this.#setStatus('connecting')
    const connection = new Connection(this.#store, {
      push: (message) => emitMessage(this, message),
      killed: () => this.#end(),
    })
    this.#connection = connection
    this.#subscriptions = new Subscriptions()
    const setup: Arg[][] = []
    if (this.options.db) setup.push(['select', this.options.db])
    if (this.options.connectionName) setup.push(['client', 'setname', this.options.connectionName])
    for (const [name, ...args] of setup) {
      const reply = connection.runNow(name as string, args, false)
      if (reply instanceof Error) process.nextTick(() => this.#emitError(reply))
    }
  }

  /** An `error` event, or, with no listener for it, a line on stderr (as ioredis does). */
  #emitError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error)
    else console.error('[redwing/ioredis] Unhandled error event:', error)
  }

  /** The session, opened by the first command of a client still waiting (`lazyConnect`). */
  #connected(): Connection | undefined {
    if (this.status === 'wait') {
      this.connect().catch(() => {})
    }
    return this.#connection
  }

  /** Ends the client: QUIT is answered here (the session is closed, nothing is left to send). */
  quit(callback?: Callback<'OK'>): Promise<'OK'> {
    if (!this.#connection) return asCallback(Promise.reject(new Error(CLOSED)), callback)
    this.#end()
    return asCallback(Promise.resolve('OK' as const), callback)
  }

  /** Closes the session at once; with `reconnect`, opens a new one. */
  disconnect(reconnect = false): void {
    this.#end()
    if (reconnect) this.connect().catch(() => {})
  }

  /** ioredis's deprecated name of `disconnect()`. */
  end(): void {
    this.disconnect()
  }

  #end(): void {
    const connection = this.#connection
    if (!connection && this.status !== 'wait') return
    this.#connection = undefined
    this.#transaction = undefined
    const unanswered = connection?.close() ?? []
    for (const request of unanswered) request.done(new Error(CLOSED))
    this.#setStatus('close')
    this.#setStatus('end')
  }

  /** A new client with the same options (and the same keyspace); `data` is not written again. */
  duplicate(override: Partial<RedisOptions> = {}): Redis {
    return new Redis({ ...this.options, data: undefined, ...override })
  }

  /** ioredis's mode: `subscriber` after a subscription, until the last one ends. */
  get mode(): 'normal' | 'subscriber' {
    return this.#subscriptions.active ? 'subscriber' : 'normal'
  }

  #setStatus(status: RedisStatus): void {
    this.status = status
    process.nextTick(() => this.emit(status))
  }

  /** Runs any command by name; bulk replies as strings. */
  call(name: string | unknown[], ...args: unknown[]): Promise<unknown> {
    if (Array.isArray(name)) return this.call(...(name as [string, ...unknown[]]))
    const command = name.toLowerCase()
    return this.#command(command, special(command), args, false)
  }

  /** Like `call`, with bulk replies as Buffers. */
  callBuffer(name: string, ...args: unknown[]): Promise<unknown> {
    const command = name.toLowerCase()
    return this.#command(command, special(command), args, true)
  }

  /** ioredis's older name of `call`. */
  send_command(name: string, ...args: unknown[]): Promise<unknown> {
    return this.call(name, ...args)
  }

  /** A batch of commands sent together, optionally given as `[name, ...args]` arrays. */
  pipeline(commands?: unknown[][]): Pipeline {
    const pipeline = new Pipeline(this.#client, false)
    if (commands) pipeline.addBatch(commands)
    return pipeline
  }

  /** A transaction: a pipeline wrapped in MULTI and EXEC, or, with `{ pipeline: false }`, MULTI
   * sent at once (then each command resolves with QUEUED, and `exec()` runs them). */
  multi(options: { pipeline: false }): Promise<'OK'>
  multi(commands?: unknown[][] | { pipeline?: true }, options?: { pipeline?: true }): Pipeline
  multi(commands?: unknown[][] | { pipeline?: boolean }, options?: { pipeline?: boolean }): Pipeline | Promise<'OK'> {
    if (options === undefined && !Array.isArray(commands)) {
      options = commands
      commands = undefined
    }
    if (options?.pipeline === false) return this.#run('multi', false, [], false) as Promise<'OK'>
    const pipeline = new Pipeline(this.#client, true)
    if (commands) pipeline.addBatch(commands as unknown[][])
    return pipeline
  }

  /** EXEC after `multi({ pipeline: false })`: each result as `[error]` or `[null, result]`. */
  exec(callback?: Callback<PipelineResult | null>): Promise<PipelineResult | null> {
    const results = this.#run('exec', false, [], false).then((replies) =>
      Array.isArray(replies) ? replies.map((reply) => (reply instanceof Error ? [reply] : [null, reply])) : null,
    ) as Promise<PipelineResult | null>
    return asCallback(results, callback)
  }

  /**
   * Adds a method `name` (and `nameBuffer`, and both to pipelines) that runs `lua` with
   * `numberOfKeys` keys first: by EVALSHA, and by EVAL when the script is not cached yet.
   */
  defineCommand(name: string, definition: ScriptDefinition): void {
    const script: Script = {
      lua: definition.lua,
      numberOfKeys: definition.numberOfKeys ?? null,
      sha: createHash('sha1').update(definition.lua).digest('hex'),
    }
    this.#scripts.set(name, script)
    this[name] = (...args: unknown[]) => this.#script(script, args, false)
    this[`${name}Buffer`] = (...args: unknown[]) => this.#script(script, args, true)
  }

  #script(script: Script, args: unknown[], buffers: boolean): Promise<unknown> {
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined
    const keys = script.numberOfKeys === null ? [] : [script.numberOfKeys]
    const result = this.#run('evalsha', false, [script.sha, ...keys, ...args], buffers).catch((error: Error) => {
      if (!error.message.startsWith('NOSCRIPT')) throw error
      return this.#run('eval', false, [script.lua, ...keys, ...args], buffers)
    })
    return asCallback(result, callback)
  }

  scanStream(options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('scan', undefined, options, false)
  }

  scanBufferStream(options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('scan', undefined, options, true)
  }

  sscanStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('sscan', key, options, false)
  }

  sscanBufferStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('sscan', key, options, true)
  }

  hscanStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('hscan', key, options, false)
  }

  hscanBufferStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('hscan', key, options, true)
  }

  zscanStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('zscan', key, options, false)
  }

  zscanBufferStream(key: Arg, options: ScanStreamOptions = {}): ScanStream {
    return this.#scanStream('zscan', key, options, true)
  }

  #scanStream(name: string, key: Arg | undefined, options: ScanStreamOptions, buffers: boolean): ScanStream {
    return new ScanStream((args, callback) => this.#command(name, false, [args, callback], buffers), key, options)
  }

  /** A generated method's body: the trailing callback taken off, then the command run.
   * `isSpecial`: `special(name)`, computed once per generated method. */
  #command(name: string, isSpecial: boolean, args: unknown[], buffers: boolean): Promise<unknown> {
    if (typeof args[args.length - 1] !== 'function') return this.#run(name, isSpecial, args, buffers)
    const callback = args.pop() as Callback
    return asCallback(this.#run(name, isSpecial, args, buffers), callback)
  }

  #run(name: string, isSpecial: boolean, args: readonly unknown[], buffers: boolean): Promise<unknown> {
    const waiting = this.status === 'wait'
    const connection = this.#connection ?? this.#connected()
    // As ioredis, the command starts connecting, but without a queue it cannot wait for it.
    if (waiting && this.options.enableOfflineQueue === false) return Promise.reject(new Error(OFFLINE))
    if (!connection || isSpecial || this.#subscriptions.active) {
      return this.#runSpecial(connection, name, args, buffers)
    }
    // Strings and numbers without a key prefix or a transformer (the usual command) go as they
    // are, with no array made for them; anything else is converted first.
    const prepared =
      !this.#keyPrefix && !this.isCluster && customArgumentTransformers.size === 0 && plainArgs(args)
        ? undefined
        : this.#prepare(name, args)
    if (this.isCluster) {
      const refusal = this.#refusedByCluster(connection, prepared!)
      if (refusal) return Promise.reject(settle(name, prepared!, refusal))
    }
    const reply = connection.runNow(name, prepared ? prepared.slice(1) : (args as readonly Arg[]), buffers)
    if (reply !== NOT_RUN) {
      if (reply instanceof ReplyError) {
        return Promise.reject(settle(name, prepared ?? [name, ...(args as readonly Arg[])], reply))
      }
      const result = settleReply(name, integersAsNumbers(reply))
      return result instanceof Error ? Promise.reject(result) : Promise.resolve(result)
    }
    const command = prepared ?? [name, ...(args as readonly Arg[])]
    // The command may wait, or others before it do: its reply may come in a later tick.
    return new Promise((resolve, reject) => {
      const done = (reply: unknown) => {
        const result = settle(name, command, reply)
        if (result instanceof Error) reject(result)
        else resolve(result)
      }
      connection.send([{ command, buffers, done }])
    })
  }

  /**
   * A cluster client's check of a command before it runs (see `slots.ts`): the error a cluster
   * node answers instead, if any. The client follows its transaction, since a node runs EXEC
   * only if the queued commands' keys are all in one slot: EXEC of a transaction whose keys are
   * not, or in which a command was refused, is answered here, the transaction discarded.
   */
  #refusedByCluster(connection: Connection, command: Arg[]): ReplyError | undefined {
    const transaction = this.#transaction
    switch (command[0]) {
      case 'multi':
        this.#transaction ??= { slot: NO_SLOT, flagged: false }
        return undefined
      case 'discard':
      case 'reset':
        this.#transaction = undefined
        return undefined
      case 'exec': {
        this.#transaction = undefined
        if (!transaction || (!transaction.flagged && transaction.slot !== SLOTS_CROSSED)) return undefined
        // The node discards the transaction (behind a command that waits, if one does).
        connection.send([{ command: ['discard'], buffers: false, done: () => {} }])
        return new ReplyError(
          transaction.flagged ? 'EXECABORT Transaction discarded because of previous errors.' : CROSSSLOT,
        )
      }
    }
    const slot = commandSlot(command)
    if (slot === SLOTS_CROSSED) {
      if (transaction) transaction.flagged = true
      return new ReplyError(CROSSSLOT)
    }
    if (transaction) {
      // WATCH is not queued: it is refused inside a transaction.
      if (command[0] !== 'watch') transaction.slot = joinSlots(transaction.slot, slot)
      return undefined
    }
    const refusal = databaseRefusal(command)
    return refusal === undefined ? undefined : new ReplyError(refusal)
  }

  /** A cluster client's check of a pipeline before it is sent: ioredis refuses one holding a
   * command whose keys are in more than one slot; a transaction whose commands' keys are is
   * answered as a node answers it (EXEC refused, nothing run), and commands a node refuses are
   * answered without being sent. Returns the requests left to send, or the pipeline's error. */
  #clusterPipeline(requests: Request[]): Request[] | Error {
    const transaction =
      requests.length >= 2 && requests[0]!.command[0] === 'multi' && requests.at(-1)!.command[0] === 'exec'
    const commands = transaction ? requests.slice(1, -1) : requests
    let slot = NO_SLOT
    for (const request of commands) {
      const own = commandSlot(request.command)
      if (own === SLOTS_CROSSED) return new Error('All the keys in a pipeline command should belong to the same slot')
      slot = joinSlots(slot, own)
    }
    if (transaction) {
      if (slot !== SLOTS_CROSSED) return requests
      requests[0]!.done('OK')
      for (const request of commands) request.done('QUEUED')
      requests.at(-1)!.done(new ReplyError(CROSSSLOT))
      return []
    }
    return requests.filter((request) => {
      const refusal = databaseRefusal(request.command)
      if (refusal !== undefined) request.done(new ReplyError(refusal))
      return refusal === undefined
    })
  }

  /** A command of an ended client or of a client in subscriber mode, QUIT, or a command that
   * enters or leaves subscriber mode (see `special`). */
  #runSpecial(
    connection: Connection | undefined,
    name: string,
    args: readonly unknown[],
    buffers: boolean,
  ): Promise<unknown> {
    if (!connection) return Promise.reject(new Error(CLOSED))
    if (name === 'quit') return buffers ? this.quit().then((ok) => Buffer.from(ok)) : this.quit()
    if (this.#subscriptions.active && !Subscriptions.allowed(name)) {
      return Promise.reject(new Error(SUBSCRIBER_MODE_ERROR))
    }
    const command = this.#prepare(name, args)
    if (name !== 'ping') return this.#subscription(connection, name, command)
    // PING while subscribed: on the subscriber session, where it answers ['pong', ''].
    const reply = connection.subscription(command, 1)[0]
    return reply instanceof Error ? Promise.reject(settle(name, command, reply)) : Promise.resolve(reply)
  }

  #subscription(connection: Connection, name: string, command: Arg[]): Promise<unknown> {
    const replies = connection.subscription(command, this.#subscriptions.replies(name, command.length - 1))
    const result = this.#subscriptions.confirm(replies)
    return result instanceof Error ? Promise.reject(settle(name, command, result)) : Promise.resolve(result)
  }

  #send(requests: Request[]): Error | undefined {
    const connection = this.#connection ?? this.#connected()
    if (!connection) return new Error(CLOSED)
    if (this.#subscriptions.active) return new Error(SUBSCRIBER_MODE_ERROR)
    const sent = this.isCluster ? this.#clusterPipeline(requests) : requests
    if (sent instanceof Error) return sent
    connection.send(sent)
    return undefined
  }

  #prepare(name: string, args: readonly unknown[]): Arg[] {
    const command = commandArgs(name, args)
    if (this.#keyPrefix) prefixKeys(command, name, this.#keyPrefix)
    return command
  }

  /** Runs what ioredis-mock's options ask for at creation (`data` written in the client's
   * database, its key prefix applied; `notifyKeyspaceEvents` set) on a session of its own. */
  #setUp(commands: Arg[][]): void {
    const connection = new Connection(this.#store, { push: () => {}, killed: () => {} })
    connection.send(
      commands.map((command) => ({
        command,
        buffers: false,
        done: (reply) => {
          if (reply instanceof Error) throw reply
        },
      })),
    )
    connection.close()
  }

  /** ioredis's cluster client (see `Cluster`). */
  static Cluster: typeof Cluster
  /** ioredis's `Command`, for its transformer registry. */
  static Command: typeof Command

  static {
    for (const name of COMMAND_NAMES) {
      const prototype = Redis.prototype as unknown as Record<string, unknown>
      const isSpecial = special(name)
      if (!(name in prototype)) {
        prototype[name] = function (this: Redis, ...args: unknown[]) {
          return this.#command(name, isSpecial, args, false)
        }
      }
      prototype[`${name}Buffer`] = function (this: Redis, ...args: unknown[]) {
        return this.#command(name, isSpecial, args, true)
      }
    }
  }
}

/** A node of a cluster, as ioredis takes them: a URL or `host:port`, a port, or an object. */
export type ClusterNode = string | number | { host?: string; port?: number | string }

/** ioredis's cluster options that apply in-process; the others (`scaleReads`, retry strategies…)
 * are accepted and have nothing to do. */
export interface ClusterOptions {
  /** The options of the clients of each node (`nodes()`), `keyPrefix` included. */
  redisOptions?: RedisOptions
  /** Prepended to every key of the cluster client's commands (default: `redisOptions`'s). */
  keyPrefix?: string
  lazyConnect?: boolean
  enableOfflineQueue?: boolean
  scripts?: Record<string, ScriptDefinition>
  [option: string]: unknown
}

/**
 * ioredis's `Redis.Cluster` over one embedded store: a cluster of one master that serves every
 * slot, whose keyspace is the store of the first startup node's address (so a `Redis` client
 * of that address sees the same keys). Commands follow a cluster node's rules (`slots.ts`): keys
 * of one command, and of one transaction, must be in one slot, and there is no database but 0.
 * `nodes('master')` and `nodes('all')` give a client of that master, `nodes('slave')` none.
 */
export class Cluster extends Redis {
  override readonly isCluster: boolean = true
  readonly startupNodes: ClusterNode[]
  readonly clusterOptions: ClusterOptions
  #master: Redis | undefined

  constructor(startupNodes: ClusterNode[], options: ClusterOptions = {}) {
    const { redisOptions = {}, keyPrefix, lazyConnect, enableOfflineQueue, scripts } = options
    const { host, port } = nodeAddress(startupNodes[0] ?? {})
    super({
      ...redisOptions,
      host,
      port,
      db: 0,
      keyPrefix: keyPrefix ?? redisOptions.keyPrefix ?? '',
      lazyConnect: lazyConnect ?? false,
      enableOfflineQueue: enableOfflineQueue ?? true,
      scripts,
    })
    this.startupNodes = startupNodes
    this.clusterOptions = options
  }

  /** The clients of the cluster's nodes with `role`: its one master for `all` and `master`. */
  nodes(role: 'all' | 'master' | 'slave' = 'all'): Redis[] {
    if (role !== 'all' && role !== 'master' && role !== 'slave') {
      throw new Error(`Invalid role "${String(role)}". Expected "all", "master" or "slave"`)
    }
    if (role === 'slave') return []
    this.#master ??= new Redis({
      ...this.clusterOptions.redisOptions,
      host: this.options.host,
      port: this.options.port,
      db: 0,
    })
    return [this.#master]
  }

  override quit(callback?: Callback<'OK'>): Promise<'OK'> {
    this.#endNodes()
    return super.quit(callback)
  }

  override disconnect(reconnect = false): void {
    this.#endNodes()
    super.disconnect(reconnect)
  }

  #endNodes(): void {
    this.#master?.disconnect()
    this.#master = undefined
  }

  /** A new cluster client with the same startup nodes and options, unless overridden (the
   * first argument is a list of nodes, as ioredis's; `Redis`'s options are taken for none). */
  override duplicate(
    overrideStartupNodes: ClusterNode[] | Partial<RedisOptions> = [],
    overrideOptions: ClusterOptions = {},
  ): Cluster {
    const override = Array.isArray(overrideStartupNodes) ? overrideStartupNodes : []
    const nodes = override.length > 0 ? override : this.startupNodes
    return new Cluster(nodes, { ...this.clusterOptions, ...overrideOptions })
  }
}

/** The address of a startup node, with ioredis's defaults. */
function nodeAddress(node: ClusterNode): { host: string; port: number } {
  const options =
    typeof node === 'object'
      ? { ...node, port: node.port === undefined ? undefined : Number(node.port) }
      : parseOptions([node])
  return { host: options.host || 'localhost', port: options.port || 6379 }
}

Redis.Cluster = Cluster
Redis.Command = Command

export default Redis

/** Whether every argument is a string or a number, which the store takes as they are. */
function plainArgs(args: readonly unknown[]): args is readonly (string | number)[] {
  for (let i = 0; i < args.length; i++) {
    const type = typeof args[i]
    if (type !== 'string' && type !== 'number') return false
  }
  return true
}

/** Whether `name` takes `#runSpecial`'s path even outside subscriber mode: QUIT (answered by
 * the client) and the commands that enter or leave subscriber mode. */
function special(name: string): boolean {
  return name !== 'ping' && Subscriptions.allowed(name)
}

/** A reply as ioredis hands it over: an error names its command, HGETALL's becomes an object;
 * what a reply transformer throws is the command's error. */
function settle(name: string, command: Arg[], reply: unknown): unknown {
  if (reply instanceof ReplyError) {
    Object.assign(reply, { command: { name, args: command.slice(1) } })
    return reply
  }
  return settleReply(name, integersAsNumbers(reply))
}

/** The store reads integers beyond ±(2^53 − 1) as exact BigInts; ioredis reads every integer as
 * a Number (rounded beyond), and so does this client. */
function integersAsNumbers(reply: unknown): unknown {
  if (typeof reply === 'bigint') return Number(reply)
  if (Array.isArray(reply)) {
    for (let i = 0; i < reply.length; i++) {
      const item = reply[i]
      if (typeof item === 'bigint' || Array.isArray(item)) reply[i] = integersAsNumbers(item)
    }
  }
  return reply
}

/** ioredis's constructor arguments as one options object. */
function parseOptions(args: unknown[]): RedisOptions & { host: string; port: number; db: number } {
  let options: RedisOptions = {}
  for (const arg of args) {
    if (typeof arg === 'number' || (typeof arg === 'string' && /^\d+$/.test(arg))) options.port = Number(arg)
    else if (typeof arg === 'string' && options.port !== undefined) options.host = arg
    else if (typeof arg === 'string') options = { ...options, ...parseUrl(arg) }
    else if (typeof arg === 'object' && arg !== null) options = { ...arg, ...options }
  }
  return {
    lazyConnect: false,
    enableOfflineQueue: true,
    keyPrefix: '',
    ...options,
    host: options.host ?? 'localhost',
    port: options.port ?? 6379,
    db: Number(options.db ?? 0),
  }
}

/** `redis://[user:password@]host[:port][/db]` (`//host:port` and `host:port` too), or a Unix
 * socket path (its own store). */
function parseUrl(url: string): RedisOptions {
  if (url.startsWith('/') && !url.startsWith('//')) return { host: url, port: 0 }
  const parsed = new URL(url.includes('://') ? url : url.startsWith('//') ? `redis:${url}` : `redis://${url}`)
  const options: RedisOptions = { host: parsed.hostname || 'localhost' }
  if (parsed.port) options.port = Number(parsed.port)
  const db = parsed.pathname.slice(1)
  if (db) options.db = Number(db)
  return options
}
