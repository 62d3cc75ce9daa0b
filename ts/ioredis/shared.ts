// Types and helpers shared by redwing/ioredis's client, pipelines and scan streams.

import type { Arg } from '../embedded/codec.js'
import type { Request } from './connection.js'

/** ioredis's node-style callback. */
export type Callback<T = unknown> = (error: Error | null, result?: T) => void

/** A command added by `defineCommand`. */
export interface Script {
  lua: string
  /** The number of keys its calls begin with; null when each call passes it first. */
  numberOfKeys: number | null
  /** The SHA1 digest EVALSHA runs it by. */
  sha: string
}

/** What pipelines need of their client. */
export interface Client {
  readonly scripts: ReadonlyMap<string, Script>
  /** A command's arguments converted as ioredis does, `keyPrefix` applied; its name first. */
  prepare(name: string, args: readonly unknown[]): Arg[]
  /** Sends requests; returns the error when the client cannot (it ended). */
  send(requests: Request[]): Error | undefined
  /** A reply as ioredis hands it over: converted, or an error naming its command. */
  settle(name: string, command: Arg[], reply: unknown): unknown
}

/** Calls `callback`, if any, once `promise` settles; returns `promise`. */
export function asCallback<T>(promise: Promise<T>, callback: Callback<T> | undefined): Promise<T> {
  if (callback) {
    promise.then(
      (result) => callback(null, result),
      (error: Error) => callback(error),
    )
  }
  return promise
}
