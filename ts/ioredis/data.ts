// ioredis-mock's conventions, so that tests written for it run unchanged: clients of the same
// host and port share one keyspace (one embedded store each, kept for the life of the process,
// as a server would be), and the `data` option seeds keys when a client is created.

import { Redwing } from '../store.js'
import type { Arg } from '../embedded/codec.js'
import { prefixKeys } from './commands.js'

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

/** Initial data: a key's value is a string (or number or Buffer), a hash as an object, a list
 * as an array, a set as a `Set`, or a sorted set as a `Map` of members to scores. */
export type SeedData = Record<string, Arg | Arg[] | Set<Arg> | Map<Arg, number> | Record<string, Arg>>

/** The commands that write `data` (replacing the keys), `keyPrefix` applied. */
export function seedCommands(data: SeedData, keyPrefix: string): Arg[][] {
  const commands: Arg[][] = []
  for (const [key, value] of Object.entries(data)) {
    commands.push(['del', key])
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Uint8Array) {
      commands.push(['set', key, value])
    } else if (Array.isArray(value)) {
      if (value.length > 0) commands.push(['rpush', key, ...value])
    } else if (value instanceof Set) {
      if (value.size > 0) commands.push(['sadd', key, ...value])
    } else if (value instanceof Map) {
      if (value.size > 0) commands.push(['zadd', key, ...[...value].flatMap(([member, score]) => [score, member])])
    } else {
      const fields = Object.entries(value).flat()
      if (fields.length > 0) commands.push(['hset', key, ...fields])
    }
  }
  if (keyPrefix) for (const command of commands) prefixKeys(command, command[0] as string, keyPrefix)
  return commands
}
