// The embedded store's list commands (LPUSH, LRANGE, LMOVE…), mixed into `Redwing` (see
// `commands.ts`).
//
// The blocking commands (BLPOP, BRPOP, BLMOVE, BLMPOP, BRPOPLPUSH) have no typed methods: an
// in-process call cannot wait for another client's push, so the engine would answer them at
// once, as the non-blocking commands do. LPOP, RPOP, LMOVE and LMPOP (which takes several
// keys) are those commands.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

/** An end of a list. */
export type ListEnd = 'LEFT' | 'RIGHT'

/** Where LPOS looks, and how many matches it returns. */
export interface LposOptions {
  /** Start at the `rank`-th match (negative: counting from the tail, searching backwards). */
  rank?: number
  /** Compare at most this many elements (0: all). */
  maxlen?: number
}

export abstract class ListCommands extends Commands {
  /** LPUSH: inserts elements at the head, each in turn; returns the new length. */
  lpush(key: Arg, ...elements: Arg[]): number {
    if (elements.length === 1) return this.run2('LPUSH', key, elements[0]!)
    return this.run(['LPUSH', key, ...elements])
  }

  /** RPUSH: appends elements at the tail; returns the new length. */
  rpush(key: Arg, ...elements: Arg[]): number {
    if (elements.length === 1) return this.run2('RPUSH', key, elements[0]!)
    return this.run(['RPUSH', key, ...elements])
  }

  /** LPUSHX: LPUSH only when the list exists; returns its length (0 when it does not). */
  lpushx(key: Arg, ...elements: Arg[]): number {
    return this.run(['LPUSHX', key, ...elements])
  }

  /** RPUSHX: RPUSH only when the list exists; returns its length (0 when it does not). */
  rpushx(key: Arg, ...elements: Arg[]): number {
    return this.run(['RPUSHX', key, ...elements])
  }

  /** LPOP: removes and returns the first element (null when empty); with `count`, up to that
   * many (null when the key does not exist). */
  lpop(key: Arg): string | null
  lpop(key: Arg, count: number): string[] | null
  lpop(key: Arg, count?: number): string | string[] | null {
    return count === undefined ? this.run1('LPOP', key) : this.run2('LPOP', key, count)
  }

  /** RPOP: as `lpop`, from the tail. */
  rpop(key: Arg): string | null
  rpop(key: Arg, count: number): string[] | null
  rpop(key: Arg, count?: number): string | string[] | null {
    return count === undefined ? this.run1('RPOP', key) : this.run2('RPOP', key, count)
  }

  /** LRANGE: the elements from `start` to `stop`, inclusive; negative indexes count from the
   * tail (-1 is the last). */
  lrange(key: Arg, start: number, stop: number): string[] {
    return this.run3('LRANGE', key, start, stop)
  }

  /** LRANGE with the elements as Buffers. */
  lrangeBuffer(key: Arg, start: number, stop: number): Buffer[] {
    return this.run3('LRANGE', key, start, stop, true)
  }

  /** LLEN: the length (0 for a missing key). */
  llen(key: Arg): number {
    return this.run1('LLEN', key)
  }

  /** LINDEX: the element at `index`, or null. */
  lindex(key: Arg, index: number): string | null {
    return this.run2('LINDEX', key, index)
  }

  /** LSET: replaces the element at `index` (an error when out of range). */
  lset(key: Arg, index: number, element: Arg): 'OK' {
    return this.run3('LSET', key, index, element)
  }

  /** LINSERT: inserts `element` before or after the first `pivot`; returns the new length, -1
   * when `pivot` is not found, 0 when the key does not exist. */
  linsert(key: Arg, where: 'BEFORE' | 'AFTER', pivot: Arg, element: Arg): number {
    return this.run(['LINSERT', key, where, pivot, element])
  }

  /** LREM: removes `count` occurrences of `element` from the head (negative: from the tail; 0:
   * all); returns how many were removed. */
  lrem(key: Arg, count: number, element: Arg): number {
    return this.run3('LREM', key, count, element)
  }

  /** LTRIM: keeps only the elements from `start` to `stop`. */
  ltrim(key: Arg, start: number, stop: number): 'OK' {
    return this.run3('LTRIM', key, start, stop)
  }

  /** LPOS: the index of the first match of `element` (null when none); with `count`, the
   * indexes of up to `count` matches (0: all). */
  lpos(key: Arg, element: Arg, options?: LposOptions): number | null
  lpos(key: Arg, element: Arg, options: LposOptions & { count: number }): number[]
  lpos(key: Arg, element: Arg, options: LposOptions & { count?: number } = {}): number | null | number[] {
    const args: Arg[] = ['LPOS', key, element]
    if (options.rank !== undefined) args.push('RANK', options.rank)
    if (options.count !== undefined) args.push('COUNT', options.count)
    if (options.maxlen !== undefined) args.push('MAXLEN', options.maxlen)
    return this.run(args)
  }

  /** LMOVE: pops from `from` of `source` and pushes to `to` of `destination`; returns the
   * element, or null when `source` is empty. */
  lmove(source: Arg, destination: Arg, from: ListEnd, to: ListEnd): string | null {
    return this.run(['LMOVE', source, destination, from, to])
  }

  /** RPOPLPUSH: LMOVE from the tail of `source` to the head of `destination`. */
  rpoplpush(source: Arg, destination: Arg): string | null {
    return this.run2('RPOPLPUSH', source, destination)
  }

  /** LMPOP: pops up to `count` (default 1) elements from `end` of the first non-empty list of
   * `keys`; null when all are empty. */
  lmpop(
    keys: readonly Arg[],
    end: ListEnd,
    options: { count?: number } = {},
  ): { key: string; elements: string[] } | null {
    const args: Arg[] = ['LMPOP', keys.length, ...keys, end]
    if (options.count !== undefined) args.push('COUNT', options.count)
    const reply = this.run<[string, string[]] | null>(args)
    return reply === null ? null : { key: reply[0], elements: reply[1] }
  }
}
