// ioredis's `pipeline()` and `multi()` for redwing/ioredis.
//
// Commands are queued by the same generated methods as the client's (they return the pipeline
// for chaining, and take an optional callback each); `exec()` sends them all in one native
// call and resolves with ioredis's `[error]` or `[null, result]` per command. `multi()` wraps
// them in MULTI and EXEC and resolves with EXEC's results in that shape; a command refused while
// queueing makes EXEC fail with EXECABORT, which `exec()` rejects with, the refusals attached
// as `previousErrors`, as ioredis does.

import type { Arg } from '../embedded/codec.js'
import { buffersToStrings, COMMAND_NAMES, settleReply } from './commands.js'
import type { Request } from './connection.js'
import { asCallback, type Callback, type Client, type Script } from './shared.js'

interface Queued {
  name: string
  command: Arg[]
  buffers: boolean
  callback: Callback | undefined
}

export type PipelineResult = [error: Error | null, result?: unknown][]

export class Pipeline {
  readonly #client: Client
  readonly #transaction: boolean
  #queue: Queued[] = []
  /** Set by `exec()`: a pipeline runs once. */
  #sent = false

  constructor(client: Client, transaction: boolean) {
    this.#client = client
    this.#transaction = transaction
    for (const [name, script] of client.scripts) {
      Object.defineProperty(this, name, { value: scriptMethod(script, false), configurable: true })
      Object.defineProperty(this, `${name}Buffer`, { value: scriptMethod(script, true), configurable: true })
    }
  }

  /** The number of queued commands. */
  get length(): number {
    return this.#queue.length
  }

  /** Queues `[name, ...args]` commands, as `pipeline([...])` does. */
  addBatch(commands: readonly (readonly unknown[])[]): this {
    for (const [name, ...args] of commands) {
      const method = (this as unknown as Record<string, (...args: unknown[]) => unknown>)[String(name)]
      if (typeof method !== 'function') throw new Error(`Command "${String(name)}" is not supported`)
      method.apply(this, args)
    }
    return this
  }

  /** Queues a command (the generated methods' shared body). */
  queue(name: string, args: unknown[], buffers: boolean): this {
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined
    this.#queue.push({ name, command: this.#client.prepare(name, args), buffers, callback })
    return this
  }

  /** Queues any command by name. */
  call(name: string, ...args: unknown[]): this {
    return this.queue(name.toLowerCase(), args, false)
  }

  callBuffer(name: string, ...args: unknown[]): this {
    return this.queue(name.toLowerCase(), args, true)
  }

  /** Runs the queued commands. */
  exec(callback?: Callback<PipelineResult | null>): Promise<PipelineResult | null> {
    if (this.#sent) {
      const error = new Error('Pipeline cannot be used to send any commands when the `exec()` has been called on it.')
      return asCallback(Promise.reject(error), callback)
    }
    this.#sent = true
    const queued = this.#queue
    if (queued.length === 0 && !this.#transaction) return asCallback(Promise.resolve([]), callback)
    const promise = new Promise<PipelineResult | null>((resolve, reject) => {
      const replies: unknown[] = []
      let left = queued.length
      const requests: Request[] = queued.map((item, i) => ({
        command: item.command,
        buffers: item.buffers,
        done: (reply: unknown) => {
          replies[i] = this.#client.settle(item.name, item.command, reply)
          if (--left === 0 && !this.#transaction) resolve(this.#results(queued, replies))
        },
      }))
      if (this.#transaction) {
        requests.unshift({ command: ['multi'], buffers: false, done: () => {} })
        requests.push({
          command: ['exec'],
          // EXEC's reply holds every command's: as Buffers when any wants them.
          buffers: queued.some((item) => item.buffers),
          done: (reply) => {
            this.#results(queued, replies)
            try {
              resolve(this.#execResults(queued, replies, this.#client.settle('exec', ['exec'], reply)))
            } catch (error) {
              reject(error)
            }
          },
        })
      }
      const refused = this.#client.send(requests)
      if (refused) reject(refused)
    })
    return asCallback(promise, callback)
  }

  /** Each command's `[error]` or `[null, result]`, its callback called too. */
  #results(queued: Queued[], replies: unknown[]): PipelineResult {
    return queued.map((item, i) => {
      const reply = replies[i]
      if (reply instanceof Error) {
        item.callback?.(reply)
        return [reply]
      }
      item.callback?.(null, reply)
      return [null, reply]
    })
  }

  /** EXEC's results, as ioredis gives them: null when a WATCHed key changed. */
  #execResults(queued: Queued[], queueReplies: unknown[], exec: unknown): PipelineResult | null {
    if (exec instanceof Error) {
      Object.assign(exec, { previousErrors: queueReplies.filter((reply) => reply instanceof Error) })
      throw exec
    }
    if (exec === null) return null
    const anyBuffers = queued.some((item) => item.buffers)
    return (exec as unknown[]).map((reply, i) => {
      const item = queued[i]!
      if (reply instanceof Error) return [reply]
      const text = anyBuffers && !item.buffers ? buffersToStrings(reply) : reply
      const result = settleReply(item.name, text)
      return result instanceof Error ? [result] : [null, result]
    })
  }
}

/** A defined command in a pipeline: EVAL with the script, which caches it too. */
function scriptMethod(script: Script, buffers: boolean) {
  return function (this: Pipeline, ...args: unknown[]): Pipeline {
    const keys = script.numberOfKeys === null ? [] : [script.numberOfKeys]
    return this.queue('eval', [script.lua, ...keys, ...args], buffers)
  }
}

for (const name of COMMAND_NAMES) {
  if (name in Pipeline.prototype) continue
  Object.defineProperty(Pipeline.prototype, name, {
    value(this: Pipeline, ...args: unknown[]) {
      return this.queue(name, args, false)
    },
    configurable: true,
    writable: true,
  })
  Object.defineProperty(Pipeline.prototype, `${name}Buffer`, {
    value(this: Pipeline, ...args: unknown[]) {
      return this.queue(name, args, true)
    },
    configurable: true,
    writable: true,
  })
}
