// The embedded store's keyspace commands (DEL, EXPIRE, SCAN…), mixed into `Redwing` (see
// `commands.ts`).

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export abstract class KeyCommands extends Commands {
  del(...keys: Arg[]): number {
    if (keys.length === 1) return this.run1('DEL', keys[0]!)
    return this.run(['DEL', ...keys])
  }

  unlink(...keys: Arg[]): number {
    return this.run(['UNLINK', ...keys])
  }

  exists(...keys: Arg[]): number {
    if (keys.length === 1) return this.run1('EXISTS', keys[0]!)
    return this.run(['EXISTS', ...keys])
  }

  type(key: Arg): string {
    return this.run(['TYPE', key])
  }

  keys(pattern: Arg = '*'): string[] {
    return this.run(['KEYS', pattern])
  }

  /** One SCAN step: `[nextCursor, keys]`; a next cursor of '0' ends the iteration. */
  scan(cursor: Arg, options: { match?: string; count?: number; type?: string } = {}): [string, string[]] {
    const args: Arg[] = [cursor]
    if (options.match !== undefined) args.push('MATCH', options.match)
    if (options.count !== undefined) args.push('COUNT', options.count)
    if (options.type !== undefined) args.push('TYPE', options.type)
    return this.run(['SCAN', ...args])
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
    return this.run(['RANDOMKEY'])
  }

  rename(key: Arg, newKey: Arg): 'OK' {
    return this.run(['RENAME', key, newKey])
  }

  renamenx(key: Arg, newKey: Arg): number {
    return this.run(['RENAMENX', key, newKey])
  }

  copy(source: Arg, destination: Arg, options: { db?: number; replace?: boolean } = {}): number {
    const args: Arg[] = [source, destination]
    if (options.db !== undefined) args.push('DB', options.db)
    if (options.replace) args.push('REPLACE')
    return this.run(['COPY', ...args])
  }

  expire(key: Arg, seconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.run(['EXPIRE', key, seconds, ...(mode ? [mode] : [])])
  }

  pexpire(key: Arg, milliseconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.run(['PEXPIRE', key, milliseconds, ...(mode ? [mode] : [])])
  }

  expireat(key: Arg, unixSeconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.run(['EXPIREAT', key, unixSeconds, ...(mode ? [mode] : [])])
  }

  pexpireat(key: Arg, unixMilliseconds: number, mode?: 'NX' | 'XX' | 'GT' | 'LT'): number {
    return this.run(['PEXPIREAT', key, unixMilliseconds, ...(mode ? [mode] : [])])
  }

  ttl(key: Arg): number {
    return this.run(['TTL', key])
  }

  pttl(key: Arg): number {
    return this.run(['PTTL', key])
  }

  expiretime(key: Arg): number {
    return this.run(['EXPIRETIME', key])
  }

  persist(key: Arg): number {
    return this.run(['PERSIST', key])
  }

  touch(...keys: Arg[]): number {
    return this.run(['TOUCH', ...keys])
  }

  dbsize(): number {
    return this.run(['DBSIZE'])
  }

  flushdb(): 'OK' {
    return this.run(['FLUSHDB'])
  }

  flushall(): 'OK' {
    return this.run(['FLUSHALL'])
  }

  /** Selects the database this store's calls use. */
  pexpiretime(key: Arg): number {
    return this.run1('PEXPIRETIME', key)
  }

  /** MOVE: moves a key to database `db`; 1 if it was moved. */
  move(key: Arg, db: number): 0 | 1 {
    return this.run2('MOVE', key, db)
  }

  /** SWAPDB: swaps two databases' contents. */
  swapdb(index1: number, index2: number): 'OK' {
    return this.run2('SWAPDB', index1, index2)
  }

  /** DUMP: the value serialized as Redis does (for `restore`), or null for a missing key. */
  dump(key: Arg): Buffer | null {
    return this.run1('DUMP', key, true)
  }

  /** RESTORE: creates `key` from a DUMP; `ttl` in milliseconds (0: none), or a Unix time in
   * milliseconds with `absttl`. */
  restore(
    key: Arg,
    ttl: number,
    serialized: Buffer,
    options: { replace?: boolean; absttl?: boolean; idletime?: number; freq?: number } = {},
  ): 'OK' {
    const args: Arg[] = ['RESTORE', key, ttl, serialized]
    if (options.replace) args.push('REPLACE')
    if (options.absttl) args.push('ABSTTL')
    if (options.idletime !== undefined) args.push('IDLETIME', options.idletime)
    if (options.freq !== undefined) args.push('FREQ', options.freq)
    return this.run(args)
  }

  /** OBJECT ENCODING: how the value is stored (`listpack`, `hashtable`…), or null. */
  objectEncoding(key: Arg): string | null {
    return this.run2('OBJECT', 'ENCODING', key)
  }

  /** OBJECT FREQ: the key's access frequency (with an LFU `maxmemory-policy`). */
  objectFreq(key: Arg): number | null {
    return this.run2('OBJECT', 'FREQ', key)
  }

  /** OBJECT IDLETIME: seconds since the key was last read or written. */
  objectIdletime(key: Arg): number | null {
    return this.run2('OBJECT', 'IDLETIME', key)
  }

  /** OBJECT REFCOUNT: the value's reference count (always 1 here: values are not shared). */
  objectRefcount(key: Arg): number | null {
    return this.run2('OBJECT', 'REFCOUNT', key)
  }

  /** SORT: the elements of a list, set or sorted set, sorted (numerically unless `alpha`);
   * with `store`, saves them there instead and returns how many. */
  sort(key: Arg, options?: SortOptions): (string | null)[]
  sort(key: Arg, options: SortOptions & { store: Arg }): number
  sort(key: Arg, options: SortOptions & { store?: Arg } = {}): (string | null)[] | number {
    const args = sortArgs(['SORT', key], options)
    if (options.store !== undefined) args.push('STORE', options.store)
    return this.run(args)
  }

  /** SORT_RO: SORT without STORE (allowed on read-only replicas). */
  sortRo(key: Arg, options: SortOptions = {}): (string | null)[] {
    return this.run(sortArgs(['SORT_RO', key], options))
  }
}

/** SORT's options: `by` a pattern of weight keys (`nosort` to skip sorting), `limit`, `get`
 * patterns of the values to return, descending with `desc`, lexicographic with `alpha`. */
export interface SortOptions {
  by?: string
  limit?: { offset: number; count: number }
  get?: readonly string[]
  desc?: boolean
  alpha?: boolean
}

function sortArgs(head: Arg[], options: SortOptions): Arg[] {
  if (options.by !== undefined) head.push('BY', options.by)
  if (options.limit) head.push('LIMIT', options.limit.offset, options.limit.count)
  for (const pattern of options.get ?? []) head.push('GET', pattern)
  if (options.desc) head.push('DESC')
  if (options.alpha) head.push('ALPHA')
  return head
}
