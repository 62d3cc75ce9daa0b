// The embedded store's pub/sub: listeners for channels, patterns and shard channels.
//
// The store's own session answers synchronous calls and cannot receive pushes, so
// subscriptions live on a second, in-process session that speaks RESP3. It subscribes to a
// channel when the channel gets its first listener and unsubscribes when it loses its last.
// Messages for it arrive through the engine's router like a connection's output (see
// `server/router.ts`), right after the native call that published them, whether that call
// came from this store, another store's `listen()` clients, or the network; each message is
// decoded here and handed to the listeners of its channel or pattern.

import { ReplyReader, type Arg } from './codec.js'
import type { Sink } from '../server/router.js'

/** Called with each message published on a subscribed channel. */
export type MessageListener = (message: string, channel: string) => void
/** Called with each message published on a channel matching a subscribed pattern. */
export type PatternListener = (message: string, channel: string, pattern: string) => void

type Kind = 'channel' | 'pattern' | 'shard'

const COMMANDS: Record<Kind, [subscribe: string, unsubscribe: string]> = {
  channel: ['SUBSCRIBE', 'UNSUBSCRIBE'],
  pattern: ['PSUBSCRIBE', 'PUNSUBSCRIBE'],
  shard: ['SSUBSCRIBE', 'SUNSUBSCRIBE'],
}

export class Subscriber implements Sink {
  readonly #listeners: Record<Kind, Map<string, Set<MessageListener | PatternListener>>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  }
  readonly #reader = new ReplyReader()

  /** `run` executes a command as the subscriber's session and returns its reply. */
  constructor(private readonly run: (args: Arg[]) => unknown) {
    run(['HELLO', '3'])
  }

  add(kind: Kind, name: string, listener: MessageListener | PatternListener): void {
    let listeners = this.#listeners[kind].get(name)
    if (!listeners) {
      listeners = new Set()
      this.#listeners[kind].set(name, listeners)
      this.run([COMMANDS[kind][0], name])
    }
    listeners.add(listener)
  }

  /** Removes one listener, or all of `name`'s when none is given. */
  remove(kind: Kind, name: string, listener?: MessageListener | PatternListener): void {
    const listeners = this.#listeners[kind].get(name)
    if (!listeners) return
    if (listener) listeners.delete(listener)
    else listeners.clear()
    if (listeners.size === 0) {
      this.#listeners[kind].delete(name)
      this.run([COMMANDS[kind][1], name])
    }
  }

  deliver(data: Buffer): void {
    const reader = this.#reader
    reader.reset(data, false)
    while (reader.more) {
      const push = reader.next() as string[]
      try {
        this.#dispatch(push)
      } catch (error) {
        // A throwing listener must not break the call that published: report it as uncaught.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  #dispatch(push: string[]): void {
    switch (push[0]) {
      case 'message':
        for (const listener of this.#listeners.channel.get(push[1]!) ?? []) listener(push[2]!, push[1]!, '')
        break
      case 'smessage':
        for (const listener of this.#listeners.shard.get(push[1]!) ?? []) listener(push[2]!, push[1]!, '')
        break
      case 'pmessage':
        for (const listener of this.#listeners.pattern.get(push[1]!) ?? []) listener(push[3]!, push[2]!, push[1]!)
        break
    }
  }

  /** The engine never limits an in-process subscriber's output (it is delivered at once). */
  kill(): void {}
}
