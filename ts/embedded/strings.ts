// The embedded store's string commands (GET, SET, INCR…), mixed into `Redwing` (see
// `commands.ts`). GET and SET are the hottest calls of all: they go through `run1`/`run2`,
// which write straight into the request buffer.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number
  /** Expire after this many milliseconds. */
  px?: number
  /** Expire at this Unix time in seconds. */
  exat?: number
  /** Expire at this Unix time in milliseconds. */
  pxat?: number
  /** Keep the existing time to live. */
  keepTtl?: boolean
  /** Only set if the key does not exist. */
  nx?: boolean
  /** Only set if the key exists. */
  xx?: boolean
}

export function setArgs(key: Arg, value: Arg, options: SetOptions): Arg[] {
  const args: Arg[] = ['SET', key, value]
  if (options.ex !== undefined) args.push('EX', options.ex)
  if (options.px !== undefined) args.push('PX', options.px)
  if (options.exat !== undefined) args.push('EXAT', options.exat)
  if (options.pxat !== undefined) args.push('PXAT', options.pxat)
  if (options.keepTtl) args.push('KEEPTTL')
  if (options.nx) args.push('NX')
  if (options.xx) args.push('XX')
  return args
}

export function flattenPairs(entries: Record<string, Arg> | Arg[]): Arg[] {
  return Array.isArray(entries) ? entries : Object.entries(entries).flat()
}

export abstract class StringCommands extends Commands {
  /** GET: the value, or null. */
  get(key: Arg): string | null {
    return this.run1('GET', key)
  }

  /** GET with the value as a Buffer. */
  getBuffer(key: Arg): Buffer | null {
    return this.run1('GET', key, true)
  }

  /** SET; returns 'OK', or null when NX/XX prevented the write. */
  set(key: Arg, value: Arg, options?: SetOptions): 'OK' | null {
    if (options) return this.run(setArgs(key, value, options))
    return this.run2('SET', key, value)
  }

  /** SET … GET: sets the value and returns the previous one. */
  setGet(key: Arg, value: Arg, options: SetOptions = {}): string | null {
    return this.run([...setArgs(key, value, options), 'GET'])
  }

  setnx(key: Arg, value: Arg): number {
    return this.run(['SETNX', key, value])
  }

  getdel(key: Arg): string | null {
    return this.run(['GETDEL', key])
  }

  getset(key: Arg, value: Arg): string | null {
    return this.run(['GETSET', key, value])
  }

  mget(...keys: Arg[]): (string | null)[] {
    return this.run(['MGET', ...keys])
  }

  /** MSET from an object or alternating key/value arguments. */
  mset(entries: Record<string, Arg> | Arg[]): 'OK' {
    return this.run(['MSET', ...flattenPairs(entries)])
  }

  msetnx(entries: Record<string, Arg> | Arg[]): number {
    return this.run(['MSETNX', ...flattenPairs(entries)])
  }

  append(key: Arg, value: Arg): number {
    return this.run(['APPEND', key, value])
  }

  strlen(key: Arg): number {
    return this.run(['STRLEN', key])
  }

  getrange(key: Arg, start: number, end: number): string {
    return this.run(['GETRANGE', key, start, end])
  }

  setrange(key: Arg, offset: number, value: Arg): number {
    return this.run(['SETRANGE', key, offset, value])
  }

  incr(key: Arg): number | bigint {
    return this.run(['INCR', key])
  }

  /** INCRBY; a result beyond ±(2^53 − 1) comes back as a BigInt, exactly. */
  incrby(key: Arg, increment: number | bigint): number | bigint {
    return this.run(['INCRBY', key, String(increment)])
  }

  decr(key: Arg): number | bigint {
    return this.run(['DECR', key])
  }

  decrby(key: Arg, decrement: number | bigint): number | bigint {
    return this.run(['DECRBY', key, String(decrement)])
  }

  /** INCRBYFLOAT; returns the new value as Redis formats it. */
  incrbyfloat(key: Arg, increment: number | string): string {
    return this.run(['INCRBYFLOAT', key, String(increment)])
  }

  /** SETEX: SET with a time to live in seconds. */
  setex(key: Arg, seconds: number, value: Arg): 'OK' {
    return this.run3('SETEX', key, seconds, value)
  }

  /** PSETEX: SET with a time to live in milliseconds. */
  psetex(key: Arg, milliseconds: number, value: Arg): 'OK' {
    return this.run3('PSETEX', key, milliseconds, value)
  }

  /** GETEX: GET that also sets (or, with `persist`, removes) the time to live. */
  getex(key: Arg, options: Omit<SetOptions, 'keepTtl' | 'nx' | 'xx'> & { persist?: boolean } = {}): string | null {
    const args: Arg[] = ['GETEX', key]
    if (options.ex !== undefined) args.push('EX', options.ex)
    if (options.px !== undefined) args.push('PX', options.px)
    if (options.exat !== undefined) args.push('EXAT', options.exat)
    if (options.pxat !== undefined) args.push('PXAT', options.pxat)
    if (options.persist) args.push('PERSIST')
    return this.run(args)
  }

  /** LCS: the longest common subsequence of two strings' values. */
  lcs(key1: Arg, key2: Arg): string {
    return this.run2('LCS', key1, key2)
  }

  /** LCS … LEN: the length of the longest common subsequence. */
  lcsLength(key1: Arg, key2: Arg): number {
    return this.run3('LCS', key1, key2, 'LEN')
  }
}
