// The embedded store's hash commands (HSET, HGET, HGETALL…), mixed into `Redwing` (see
// `commands.ts`). Fields and values come back as strings, or as Buffers from the `*Buffer`
// variants; HGETALL comes back as an object.

import type { Arg } from './codec.js'
import { Commands, flattenFields, scanArgs, toPairs, toRecord, type FieldValues, type ScanOptions } from './commands.js'

export abstract class HashCommands extends Commands {
  /** HSET: sets fields from an object, a Map or `[field, value]` pairs, or one `field` to
   * `value`; returns the number of fields added (not those updated). */
  hset(key: Arg, fields: FieldValues): number
  hset(key: Arg, field: Arg, value: Arg): number
  hset(key: Arg, fields: FieldValues | Arg, value?: Arg): number {
    if (value !== undefined) return this.run3('HSET', key, fields as Arg, value)
    return this.run(flattenFields(['HSET', key], fields as FieldValues))
  }

  /** HSETNX: sets `field` only if it does not exist; 1 if it was set. */
  hsetnx(key: Arg, field: Arg, value: Arg): 0 | 1 {
    return this.run3('HSETNX', key, field, value)
  }

  /** HGET: the value of `field`, or null. */
  hget(key: Arg, field: Arg): string | null {
    return this.run2('HGET', key, field)
  }

  /** HGET with the value as a Buffer. */
  hgetBuffer(key: Arg, field: Arg): Buffer | null {
    return this.run2('HGET', key, field, true)
  }

  /** HMGET: the value of each field, null for missing ones. */
  hmget(key: Arg, ...fields: Arg[]): (string | null)[] {
    return this.run(['HMGET', key, ...fields])
  }

  /** HGETALL as an object of fields and values ({} for a missing key). */
  hgetall(key: Arg): Record<string, string> {
    return toRecord(this.run1<string[] | Record<string, string>>('HGETALL', key))
  }

  /** HGETALL with the values as Buffers (field names as UTF-8 strings). */
  hgetallBuffer(key: Arg): Record<string, Buffer> {
    return toRecord(this.run1<Buffer[] | Record<string, Buffer>>('HGETALL', key, true))
  }

  /** HDEL: removes fields; returns how many existed. */
  hdel(key: Arg, ...fields: Arg[]): number {
    return this.run(['HDEL', key, ...fields])
  }

  /** HEXISTS: 1 if `field` exists. */
  hexists(key: Arg, field: Arg): 0 | 1 {
    return this.run2('HEXISTS', key, field)
  }

  /** HINCRBY: adds an integer to `field` (0 when missing); returns the new value, as a BigInt
   * beyond ±(2^53 − 1). */
  hincrby(key: Arg, field: Arg, increment: number | bigint): number | bigint {
    return this.run3('HINCRBY', key, field, String(increment))
  }

  /** HINCRBYFLOAT: adds a float to `field`; returns the new value as Redis formats it. */
  hincrbyfloat(key: Arg, field: Arg, increment: number | string): string {
    return this.run3('HINCRBYFLOAT', key, field, String(increment))
  }

  /** HKEYS: every field name. */
  hkeys(key: Arg): string[] {
    return this.run1('HKEYS', key)
  }

  /** HVALS: every value. */
  hvals(key: Arg): string[] {
    return this.run1('HVALS', key)
  }

  /** HLEN: the number of fields. */
  hlen(key: Arg): number {
    return this.run1('HLEN', key)
  }

  /** HSTRLEN: the length in bytes of `field`'s value (0 when missing). */
  hstrlen(key: Arg, field: Arg): number {
    return this.run2('HSTRLEN', key, field)
  }

  /** HRANDFIELD: one random field (null for a missing key); with `count`, up to `count`
   * distinct fields, or exactly −`count` fields that may repeat when it is negative; with
   * `withValues` as well, `[field, value]` pairs. */
  hrandfield(key: Arg): string | null
  hrandfield(key: Arg, count: number): string[]
  hrandfield(key: Arg, count: number, options: { withValues: true }): [field: string, value: string][]
  hrandfield(
    key: Arg,
    count?: number,
    options: { withValues?: boolean } = {},
  ): string | null | string[] | [string, string][] {
    if (count === undefined) return this.run1('HRANDFIELD', key)
    if (!options.withValues) return this.run2('HRANDFIELD', key, count)
    return toPairs(this.run3<(string | [string, string])[]>('HRANDFIELD', key, count, 'WITHVALUES'))
  }

  /** One HSCAN step: `[nextCursor, [field, value] pairs]`; a next cursor of '0' ends it. */
  hscan(key: Arg, cursor: Arg, options: ScanOptions = {}): [cursor: string, entries: [field: string, value: string][]] {
    const [next, flat] = this.run<[string, string[]]>(scanArgs(['HSCAN', key], cursor, options))
    return [next, toPairs(flat)]
  }

  /** Iterates every `[field, value]` pair of a hash with HSCAN. */
  *hscanIterator(key: Arg, options: ScanOptions = {}): Generator<[field: string, value: string]> {
    let cursor = '0'
    do {
      const [next, entries] = this.hscan(key, cursor, options)
      yield* entries
      cursor = next
    } while (cursor !== '0')
  }
}
