// Pub/sub for redwing/ioredis, as ioredis does it: a client that subscribes enters subscriber
// mode, where only (P|S)SUBSCRIBE, their UN- forms, PING and QUIT may be sent, until its last
// subscription ends. Each confirmation of a SUBSCRIBE-like command (one per channel) updates the
// client's subscriptions; the command resolves with the count in the last one. Messages become
// `message`, `pmessage` and `smessage` events with strings, and their `…Buffer` twins with
// Buffers.

import type { EventEmitter } from 'node:events'

const SUBSCRIBE = new Set(['subscribe', 'psubscribe', 'ssubscribe'])
const UNSUBSCRIBE = new Set(['unsubscribe', 'punsubscribe', 'sunsubscribe'])
/** What a client in subscriber mode may still send. */
const ALLOWED = new Set([...SUBSCRIBE, ...UNSUBSCRIBE, 'ping', 'quit'])

export const SUBSCRIBER_MODE_ERROR = 'Connection in subscriber mode, only subscriber commands may be used'

export class Subscriptions {
  /** Channels, patterns and shard channels, by the command that subscribed to them. */
  readonly #names: Record<string, Set<string>> = {
    subscribe: new Set(),
    psubscribe: new Set(),
    ssubscribe: new Set(),
  }
  #active = false

  /** Whether the client is in subscriber mode. */
  get active(): boolean {
    return this.#active
  }

  /** Whether a client in subscriber mode may send `name`: a subscription, PING or QUIT. */
  static allowed(name: string): boolean {
    return ALLOWED.has(name)
  }

  /** How many confirmations the engine sends for `name` with `count` arguments: one per name,
   * or, with none to unsubscribe from, one per current subscription (at least one). */
  replies(name: string, count: number): number {
    if (count > 0) return count
    if (!UNSUBSCRIBE.has(name)) return 1
    return Math.max(1, this.#names[name.replace('un', '')]!.size)
  }

  /** Takes in the confirmations of one command; returns the command's result (the last count),
   * or the error among them. */
  confirm(replies: unknown[]): unknown {
    let result: unknown = null
    for (const reply of replies) {
      if (!Array.isArray(reply)) return reply
      const kind = String(reply[0])
      const name = reply[1] === null ? null : String(reply[1])
      if (SUBSCRIBE.has(kind)) {
        this.#names[kind]!.add(name!)
        this.#active = true
      } else if (name !== null) {
        this.#names[kind.replace('un', '')]!.delete(name)
      }
      result = reply[2]
      if (UNSUBSCRIBE.has(kind) && result === 0) this.#active = false
    }
    return result
  }
}

/** Emits a pushed message as ioredis does; its strings arrive as Buffers. */
export function emitMessage(emitter: EventEmitter, message: unknown[]): void {
  const kind = String(message[0])
  if (kind === 'pmessage') {
    const [, pattern, channel, payload] = message as [unknown, Buffer, Buffer, Buffer]
    if (emitter.listenerCount('pmessage') > 0)
      emitter.emit('pmessage', pattern.toString(), channel.toString(), payload.toString())
    emitter.emit('pmessageBuffer', pattern.toString(), channel, payload)
  } else if (kind === 'message' || kind === 'smessage') {
    const [, channel, payload] = message as [unknown, Buffer, Buffer]
    if (emitter.listenerCount(kind) > 0) emitter.emit(kind, channel.toString(), payload.toString())
    emitter.emit(`${kind}Buffer`, channel, payload)
  }
}
