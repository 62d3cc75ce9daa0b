// Batches of commands for the embedded store: a `Pipeline` runs many commands in one native
// call, and a `Transaction` runs them between MULTI and EXEC, also in one call.

import { ReplyError } from '../errors.js'
import type { Arg } from './codec.js'
import type { Name } from './commands.js'
import { setArgs, type SetOptions } from './strings.js'
import type { CommandName } from '../commands/names.js'

/** Runs commands in one native call; returns their replies, error replies as ReplyErrors. */
type Batch = (commands: readonly (readonly Arg[])[], buffers: boolean) => unknown[]

/** Commands queued for one native call (what `Pipeline` and `Transaction` share). */
abstract class Queue {
  #commands: Arg[][] = []

  constructor(protected readonly batch: Batch) {}

  /** Queues any command. */
  call(command: CommandName | Name, ...args: Arg[]): this {
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

  /** Takes the queued commands, leaving none. */
  protected take(): Arg[][] {
    const commands = this.#commands
    this.#commands = []
    return commands
  }
}

/** Commands queued for one native call. `exec()` returns one result per command, in order;
 * an error reply becomes a ReplyError in its slot instead of being thrown. */
export class Pipeline extends Queue {
  /** Runs the queued commands; bulk replies as Buffers when `buffers` is set. */
  exec(options: { buffers?: boolean } = {}): unknown[] {
    const commands = this.take()
    return commands.length === 0 ? [] : this.batch(commands, options.buffers ?? false)
  }
}

/**
 * A MULTI … EXEC transaction: queue commands as on a pipeline, then `exec()` sends MULTI, the
 * commands and EXEC in one native call. It returns EXEC's reply: one result per command (an
 * error reply as a ReplyError in its slot), or null when a key watched with `watch()` changed
 * since. A command refused while queuing (wrong arity, unknown name) aborts the whole
 * transaction: `exec()` throws EXEC's EXECABORT error. `discard()` drops the queued commands
 * (nothing was sent yet); the watched keys stay watched until `unwatch()` or an `exec()`.
 */
export class Transaction extends Queue {
  /** Runs the transaction; bulk replies as Buffers when `buffers` is set. */
  exec(options: { buffers?: boolean } = {}): unknown[] | null {
    const commands: Arg[][] = [['MULTI'], ...this.take(), ['EXEC']]
    const replies = this.batch(commands, options.buffers ?? false)
    const result = replies[replies.length - 1]
    if (result instanceof ReplyError) throw result
    return result as unknown[] | null
  }

  /** Drops the queued commands. */
  discard(): void {
    this.take()
  }
}
