// ioredis-mock's conventions, so that tests written for it run unchanged: clients of the same
// host and port share one keyspace (one embedded store each, kept for the life of the process,
// as a server would be), and the `data` option seeds keys when a client is created.

import { Redwing } from '../store.js'
import type { Arg } from '../embedded/codec.js'
import { prefixKeys, toArg } from './commands.js'

const stores = new Map<string, Redwing>()

/** The store that stands for the server at `host:port`, made on first use. */
export function storeAt(host: string, port: number): Redwing {
  const address = `${host}:${port}`
  let store = stores.get(address)
  if (!store) {
    store = new Redwing()
    stores.set(address, store)
  }
  return store
}

/** A sorted set's member in `data`: its score, or ioredis-mock's own record of it. */
export type SeedScore = number | string | { score: number | string; value?: unknown }

/** Initial data: a key's value is a string (or number or Buffer), a hash as an object, a list
 * as an array, a set as a `Set`, or a sorted set as a `Map` of members to scores (or to
 * `{ score, value }`, as ioredis-mock keeps them). */
export type SeedData = Record<
  string,
  Arg | Arg[] | Set<Arg> | Map<Arg, SeedScore> | Record<string, Arg> | null | undefined
>

/** The commands that write `data` (replacing the keys), `keyPrefix` applied. */
export function seedCommands(data: SeedData, keyPrefix: string): Arg[][] {
  const commands: Arg[][] = []
  for (const [key, value] of Object.entries(data)) {
    commands.push(['del', key])
    // A key given no value (null or undefined) is left absent: GET answers null for it.
    if (value === null || value === undefined) continue
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Uint8Array) {
      commands.push(['set', key, value])
    } else if (Array.isArray(value)) {
      if (value.length > 0) commands.push(['rpush', key, ...value.map(toArg)])
    } else if (value instanceof Set) {
      if (value.size > 0) commands.push(['sadd', key, ...[...value].map(toArg)])
    } else if (value instanceof Map) {
      if (value.size > 0)
        commands.push(['zadd', key, ...[...value].flatMap(([member, score]) => [scoreOf(score), toArg(member)])])
    } else {
      const fields = Object.entries(value).flatMap(([field, text]) => [field, toArg(text)])
      if (fields.length > 0) commands.push(['hset', key, ...fields])
    }
  }
  if (keyPrefix) for (const command of commands) prefixKeys(command, command[0] as string, keyPrefix)
  return commands
}

/** A member's score in a seeded sorted set. */
function scoreOf(score: SeedScore): Arg {
  return toArg(typeof score === 'object' && score !== null ? score.score : score)
}
