// The embedded store's set commands (SADD, SMEMBERS, SINTER…), mixed into `Redwing` (see
// `commands.ts`). Members come back as arrays of strings, in the engine's order.

import type { Arg } from './codec.js'
import { Commands, scanArgs, toArray, type ScanOptions } from './commands.js'

export abstract class SetCommands extends Commands {
  /** SADD: adds members; returns how many were not there yet. */
  sadd(key: Arg, ...members: Arg[]): number {
    if (members.length === 1) return this.run2('SADD', key, members[0]!)
    return this.run(['SADD', key, ...members])
  }

  /** SREM: removes members; returns how many were there. */
  srem(key: Arg, ...members: Arg[]): number {
    if (members.length === 1) return this.run2('SREM', key, members[0]!)
    return this.run(['SREM', key, ...members])
  }

  /** SMEMBERS: every member. */
  smembers(key: Arg): string[] {
    return toArray(this.run1<string[] | Set<string>>('SMEMBERS', key))
  }

  /** SISMEMBER: 1 if `member` is in the set. */
  sismember(key: Arg, member: Arg): 0 | 1 {
    return this.run2('SISMEMBER', key, member)
  }

  /** SMISMEMBER: for each member, 1 if it is in the set. */
  smismember(key: Arg, ...members: Arg[]): (0 | 1)[] {
    return this.run(['SMISMEMBER', key, ...members])
  }

  /** SCARD: the number of members. */
  scard(key: Arg): number {
    return this.run1('SCARD', key)
  }

  /** SPOP: removes and returns a random member (null when empty); with `count`, up to that
   * many. */
  spop(key: Arg): string | null
  spop(key: Arg, count: number): string[]
  spop(key: Arg, count?: number): string | null | string[] {
    if (count === undefined) return this.run1('SPOP', key)
    return toArray(this.run2<string[] | Set<string>>('SPOP', key, count))
  }

  /** SRANDMEMBER: a random member (null when empty); with `count`, up to `count` distinct
   * members, or exactly −`count` members that may repeat when it is negative. */
  srandmember(key: Arg): string | null
  srandmember(key: Arg, count: number): string[]
  srandmember(key: Arg, count?: number): string | null | string[] {
    return count === undefined ? this.run1('SRANDMEMBER', key) : this.run2('SRANDMEMBER', key, count)
  }

  /** SMOVE: moves `member` from `source` to `destination`; 1 if it was moved. */
  smove(source: Arg, destination: Arg, member: Arg): 0 | 1 {
    return this.run3('SMOVE', source, destination, member)
  }

  /** SINTER: the members in every set. */
  sinter(...keys: Arg[]): string[] {
    return toArray(this.run<string[] | Set<string>>(['SINTER', ...keys]))
  }

  /** SUNION: the members in any of the sets. */
  sunion(...keys: Arg[]): string[] {
    return toArray(this.run<string[] | Set<string>>(['SUNION', ...keys]))
  }

  /** SDIFF: the members of the first set in none of the others. */
  sdiff(...keys: Arg[]): string[] {
    return toArray(this.run<string[] | Set<string>>(['SDIFF', ...keys]))
  }

  /** SINTERSTORE: stores the intersection in `destination`; returns its size. */
  sinterstore(destination: Arg, ...keys: Arg[]): number {
    return this.run(['SINTERSTORE', destination, ...keys])
  }

  /** SUNIONSTORE: stores the union in `destination`; returns its size. */
  sunionstore(destination: Arg, ...keys: Arg[]): number {
    return this.run(['SUNIONSTORE', destination, ...keys])
  }

  /** SDIFFSTORE: stores the difference in `destination`; returns its size. */
  sdiffstore(destination: Arg, ...keys: Arg[]): number {
    return this.run(['SDIFFSTORE', destination, ...keys])
  }

  /** SINTERCARD: the size of the intersection, counting up to `limit` (0: no limit). */
  sintercard(keys: readonly Arg[], options: { limit?: number } = {}): number {
    const args: Arg[] = ['SINTERCARD', keys.length, ...keys]
    if (options.limit !== undefined) args.push('LIMIT', options.limit)
    return this.run(args)
  }

  /** One SSCAN step: `[nextCursor, members]`; a next cursor of '0' ends it. */
  sscan(key: Arg, cursor: Arg, options: ScanOptions = {}): [cursor: string, members: string[]] {
    return this.run(scanArgs(['SSCAN', key], cursor, options))
  }

  /** Iterates every member of a set with SSCAN. */
  *sscanIterator(key: Arg, options: ScanOptions = {}): Generator<string> {
    let cursor = '0'
    do {
      const [next, members] = this.sscan(key, cursor, options)
      yield* members
      cursor = next
    } while (cursor !== '0')
  }
}
