// Random command sequences for the randomized differential test (random.spec.ts): a seeded,
// reproducible generator of hash, list, set and sorted-set commands (plus keyspace commands and
// deliberate wrong-type accesses) over a small key space, and the reply normalisation needed to
// compare servers whose hash tables iterate in different orders.
//
// The sequence depends only on the seed, never on replies, so a seed replays the same commands
// against any server. Keys are few (three per type and a shared "lex" sorted set), members and
// values come from small pools, so commands collide on keys and members, keys get emptied and
// recreated, and a few percent of commands hit a key of another type (WRONGTYPE).

import { splitReplies } from '../helpers/resp-client.js'

/** A small seeded generator (sfc32): the same seed gives the same sequence everywhere. */
/** The seed a randomised test runs with: environment variable `name` when set (to replay a
 * failure), otherwise a fresh random one. */
export function seedFrom(name: string): number {
  const text = process.env[name]
  if (text === undefined || text === '') return Math.floor(Math.random() * 0x1_0000_0000)
  const seed = Number(text)
  if (!Number.isInteger(seed) || seed < 0 || seed >= 0x1_0000_0000) {
    throw new Error(`${name} must be an integer in [0, 2^32): ${text}`)
  }
  return seed
}

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    this.a = 0x9e3779b9
    this.b = 0x243f6a88
    this.c = 0xb7e15162
    this.d = seed >>> 0
    for (let i = 0; i < 12; i++) this.next()
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n)
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1)
  }

  chance(probability: number): boolean {
    return this.next() / 0x1_0000_0000 < probability
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** `count` items drawn independently (repeats allowed). */
  some<T>(items: readonly T[], count: number): T[] {
    return Array.from({ length: count }, () => this.pick(items))
  }
}

/**
 * How two replies are compared:
 * - exact: byte for byte;
 * - unordered: the top-level aggregate's elements (or pairs, for maps and flat field/value
 *   arrays) are sorted first, for replies whose order Redis leaves to a hash table. With
 *   `orderKey`, the order must still match while that key has a compact (ordered) encoding;
 * - shape: only the reply type and, for aggregates, the element count (random replies).
 */
export type Check = { kind: 'exact' } | { kind: 'unordered'; pairs: boolean; orderKey?: string } | { kind: 'shape' }

export interface RandomCommand {
  args: string[]
  check: Check
}

/** Server settings for one run of the random test. */
export interface RunConfig {
  name: string
  protocol: 2 | 3
  config: Array<[string, string]>
}

const SMALL_ENCODINGS: Array<[string, string]> = [
  ['hash-max-listpack-entries', '4'],
  ['hash-max-listpack-value', '8'],
  ['set-max-intset-entries', '4'],
  ['zset-max-listpack-entries', '4'],
  ['zset-max-listpack-value', '8'],
  ['list-max-listpack-size', '4'],
]

const MEDIUM_ENCODINGS: Array<[string, string]> = [
  ['hash-max-listpack-entries', '12'],
  ['hash-max-listpack-value', '16'],
  ['set-max-intset-entries', '12'],
  ['zset-max-listpack-entries', '12'],
  ['zset-max-listpack-value', '16'],
  ['list-max-listpack-size', '-1'],
]

/** The runs of one seed: default thresholds, tiny ones (both encodings get used), RESP3. */
export const RUNS: RunConfig[] = [
  { name: 'default encodings, RESP2', protocol: 2, config: [] },
  { name: 'small encoding thresholds, RESP2', protocol: 2, config: SMALL_ENCODINGS },
  { name: 'small encoding thresholds, RESP3', protocol: 3, config: SMALL_ENCODINGS },
  { name: 'medium encoding thresholds, RESP3', protocol: 3, config: MEDIUM_ENCODINGS },
]

/** Settings the runs change, with Redis's defaults (applied before each run's own). */
export const DEFAULT_CONFIG: Array<[string, string]> = [
  ['hash-max-listpack-entries', '512'],
  ['hash-max-listpack-value', '64'],
  ['set-max-intset-entries', '512'],
  ['zset-max-listpack-entries', '128'],
  ['zset-max-listpack-value', '64'],
  ['list-max-listpack-size', '-2'],
]

const HASH_KEYS = ['h0', 'h1', 'h2']
const LIST_KEYS = ['l0', 'l1', 'l2']
const SET_KEYS = ['s0', 's1', 's2']
const ZSET_KEYS = ['z0', 'z1', 'z2']
/** A sorted set whose members all have score 0, so lexicographic ranges are well defined. */
const LEX_KEY = 'zlex'
const STRING_KEYS = ['str0', 'str1']
const ALL_KEYS = [...HASH_KEYS, ...LIST_KEYS, ...SET_KEYS, ...ZSET_KEYS, LEX_KEY, ...STRING_KEYS, 'none']
/** Keys that any command may write (LEX_KEY only takes score-0 members). */
const WRITABLE_KEYS = ALL_KEYS.filter((key) => key !== LEX_KEY)

const LONG = 'x'.repeat(70)
const FIELDS = ['f1', 'f2', 'f3', 'f4', 'f5', 'field-number-6', '7', '']
const VALUES = ['v', 'value2', '10', '-3', '3.5', '0', '', 'a-longer-value', LONG, '9223372036854775807']
const ELEMENTS = ['a', 'b', 'c', 'd', 'e', '1', '2', '10', '', 'a-longer-element', LONG]
const SET_MEMBERS = [
  '0',
  '1',
  '2',
  '3',
  '7',
  '-5',
  '100',
  '9223372036854775807',
  '18446744073709551616',
  'a',
  'b',
  'c',
  'long-member',
  LONG,
]
const ZSET_MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', '1', '2', 'long-member', LONG]
const LEX_MEMBERS = ['a', 'aa', 'ab', 'b', 'ba', 'c', 'd', '', 'zz', 'ca']
const SCORES = ['0', '1', '2', '-1', '3', '1.5', '-2.5', '0.1', '10', '1e3', '-0', '+inf', '-inf', '3.0000000000000004']
const SCORE_BOUNDS = ['-inf', '+inf', '0', '(0', '1', '(1', '2.5', '(3', '-1', '10', '(inf', 'x']
const LEX_BOUNDS = ['-', '+', '[a', '(a', '[b', '(ba', '[c', '[zz', '(', '[', 'a']
const INDEXES = ['0', '1', '2', '-1', '-2', '3', '5', '-10', '100']
const COUNTS = ['1', '2', '3', '5', '0', '-1', '10']
const INCREMENTS = ['1', '-1', '5', '100', '-100', '9223372036854775807', 'x']
const FLOAT_INCREMENTS = ['1.5', '-0.25', '1e2', '0.1', '-3', '5.0e3', 'abc', 'inf']
const WEIGHTS = ['1', '2', '0', '-1', '0.5', 'inf']

const EXACT: Check = { kind: 'exact' }
const SHAPE: Check = { kind: 'shape' }

function exact(...args: string[]): RandomCommand {
  return { args, check: EXACT }
}

/** A key of the wanted type, or now and then any key (WRONGTYPE, a missing key). */
function key(rng: Random, keys: readonly string[]): string {
  return rng.chance(0.04) ? rng.pick(WRITABLE_KEYS) : rng.pick(keys)
}

/**
 * A destination key: rarely of another type, because *STORE commands overwrite any type and
 * would leave too many keys holding the wrong type.
 */
function destination(rng: Random, keys: readonly string[]): string {
  return rng.chance(0.01) ? rng.pick(WRITABLE_KEYS) : rng.pick(keys)
}

function hashCommand(rng: Random): RandomCommand {
  const k = key(rng, HASH_KEYS)
  const field = (): string => rng.pick(FIELDS)
  const pairs = (): string[] => Array.from({ length: rng.between(1, 3) }, () => [field(), rng.pick(VALUES)]).flat()
  switch (rng.below(18)) {
    case 0:
    case 1:
    case 2:
      return exact('HSET', k, ...pairs())
    case 3:
      return exact('HMSET', k, ...pairs())
    case 4:
      return exact('HSETNX', k, field(), rng.pick(VALUES))
    case 5:
      return exact('HGET', k, field())
    case 6:
      return exact('HMGET', k, ...rng.some(FIELDS, rng.between(1, 3)))
    case 7:
      return exact('HDEL', k, ...rng.some(FIELDS, rng.between(1, 3)))
    case 8:
      return exact('HEXISTS', k, field())
    case 9:
      return exact('HLEN', k)
    case 10:
      return exact('HSTRLEN', k, field())
    case 11:
      return exact('HINCRBY', k, field(), rng.pick(INCREMENTS))
    case 12:
      return exact('HINCRBYFLOAT', k, field(), rng.pick(FLOAT_INCREMENTS))
    case 13:
      return { args: ['HGETALL', k], check: { kind: 'unordered', pairs: true, orderKey: k } }
    case 14:
      return { args: ['HKEYS', k], check: { kind: 'unordered', pairs: false, orderKey: k } }
    case 15:
      return { args: ['HVALS', k], check: { kind: 'unordered', pairs: false, orderKey: k } }
    case 16: {
      const args = ['HRANDFIELD', k]
      if (rng.chance(0.7)) args.push(rng.pick(COUNTS))
      if (args.length === 3 && rng.chance(0.5)) args.push('WITHVALUES')
      return { args, check: SHAPE }
    }
    default:
      return exact('HDEL', k, field())
  }
}

function listCommand(rng: Random): RandomCommand {
  const k = key(rng, LIST_KEYS)
  const other = (): string => key(rng, LIST_KEYS)
  const element = (): string => rng.pick(ELEMENTS)
  const side = (): string => rng.pick(['LEFT', 'RIGHT'])
  switch (rng.below(22)) {
    case 0:
    case 1:
      return exact(rng.pick(['LPUSH', 'RPUSH']), k, ...rng.some(ELEMENTS, rng.between(1, 4)))
    case 2:
      return exact(rng.pick(['LPUSHX', 'RPUSHX']), k, ...rng.some(ELEMENTS, rng.between(1, 2)))
    case 3:
    case 4: {
      const args = [rng.pick(['LPOP', 'RPOP']), k]
      if (rng.chance(0.4)) args.push(rng.pick(COUNTS))
      return exact(...args)
    }
    case 5:
      return exact('LLEN', k)
    case 6:
      return exact('LINDEX', k, rng.pick(INDEXES))
    case 7:
    case 8:
      return exact('LRANGE', k, rng.pick(INDEXES), rng.pick(INDEXES))
    case 9:
      return exact('LSET', k, rng.pick(INDEXES), element())
    case 10:
      return exact('LINSERT', k, rng.pick(['BEFORE', 'AFTER']), element(), element())
    case 11:
      return exact('LREM', k, rng.pick(['0', '1', '-1', '2', '-2']), element())
    case 12:
      return exact('LTRIM', k, rng.pick(INDEXES), rng.pick(INDEXES))
    case 13: {
      const args = ['LPOS', k, element()]
      if (rng.chance(0.4)) args.push('RANK', rng.pick(['1', '-1', '2', '-2', '0']))
      if (rng.chance(0.4)) args.push('COUNT', rng.pick(['0', '1', '2', '-1']))
      if (rng.chance(0.3)) args.push('MAXLEN', rng.pick(['0', '1', '3', '-1']))
      return exact(...args)
    }
    case 14:
    case 15:
      return exact('LMOVE', k, other(), side(), side())
    case 16:
      return exact('RPOPLPUSH', k, other())
    case 17: {
      const keys = [k, ...(rng.chance(0.5) ? [other()] : [])]
      const args = ['LMPOP', String(keys.length), ...keys, side()]
      if (rng.chance(0.5)) args.push('COUNT', rng.pick(COUNTS))
      return exact(...args)
    }
    case 18:
      return exact('LINDEX', k, rng.pick(INDEXES))
    default:
      return exact('RPUSH', k, element())
  }
}

function setCommand(rng: Random): RandomCommand {
  const k = key(rng, SET_KEYS)
  const member = (): string => rng.pick(SET_MEMBERS)
  const keys = (): string[] => [k, ...Array.from({ length: rng.between(0, 2) }, () => key(rng, SET_KEYS))]
  const unordered: Check = { kind: 'unordered', pairs: false }
  switch (rng.below(20)) {
    case 0:
    case 1:
    case 2:
      return exact('SADD', k, ...rng.some(SET_MEMBERS, rng.between(1, 4)))
    case 3:
    case 4:
      return exact('SREM', k, ...rng.some(SET_MEMBERS, rng.between(1, 3)))
    case 5:
      return exact('SISMEMBER', k, member())
    case 6:
      return exact('SMISMEMBER', k, ...rng.some(SET_MEMBERS, rng.between(1, 3)))
    case 7:
      return exact('SCARD', k)
    case 8:
      return { args: ['SMEMBERS', k], check: { kind: 'unordered', pairs: false, orderKey: k } }
    case 9:
      return exact('SMOVE', k, key(rng, SET_KEYS), member())
    case 10:
      return { args: [rng.pick(['SINTER', 'SUNION', 'SDIFF']), ...keys()], check: unordered }
    case 11:
    case 12:
      return exact(rng.pick(['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']), destination(rng, SET_KEYS), ...keys())
    case 13: {
      const sources = keys()
      const args = ['SINTERCARD', String(sources.length), ...sources]
      if (rng.chance(0.4)) args.push('LIMIT', rng.pick(['0', '1', '2', '-1']))
      return exact(...args)
    }
    case 14: {
      const args = ['SRANDMEMBER', k]
      if (rng.chance(0.7)) args.push(rng.pick(COUNTS))
      return { args, check: SHAPE }
    }
    case 15:
      // A count at least the set's size pops everything: deterministic up to order.
      return { args: ['SPOP', k, '1000'], check: unordered }
    default:
      return exact('SADD', k, member())
  }
}

function rangeLimit(rng: Random): string[] {
  return rng.chance(0.3) ? ['LIMIT', rng.pick(['0', '1', '2']), rng.pick(['1', '2', '-1', '0'])] : []
}

function zsetCommand(rng: Random): RandomCommand {
  const k = key(rng, ZSET_KEYS)
  const member = (): string => rng.pick(ZSET_MEMBERS)
  const score = (): string => rng.pick(SCORES)
  const bound = (): string => rng.pick(SCORE_BOUNDS)
  const withScores = (): string[] => (rng.chance(0.5) ? ['WITHSCORES'] : [])
  // Sources of ZUNION & co. may be sets (scores 1) and the lex key.
  const source = (): string => (rng.chance(0.15) ? rng.pick([...SET_KEYS, LEX_KEY]) : key(rng, ZSET_KEYS))
  const sources = (): string[] => [source(), ...Array.from({ length: rng.between(0, 2) }, source)]
  const combineOptions = (count: number): string[] => {
    const options: string[] = []
    if (rng.chance(0.3)) options.push('WEIGHTS', ...rng.some(WEIGHTS, count))
    if (rng.chance(0.3)) options.push('AGGREGATE', rng.pick(['SUM', 'MIN', 'MAX']))
    return options
  }
  switch (rng.below(30)) {
    case 0:
    case 1:
    case 2: {
      const args = ['ZADD', k]
      if (rng.chance(0.2)) args.push(rng.pick(['NX', 'XX']))
      if (rng.chance(0.2)) args.push(rng.pick(['GT', 'LT']))
      if (rng.chance(0.2)) args.push('CH')
      if (rng.chance(0.1)) args.push('INCR', score(), member())
      else for (let i = rng.between(1, 3); i > 0; i--) args.push(score(), member())
      return exact(...args)
    }
    case 3:
      return exact('ZREM', k, ...rng.some(ZSET_MEMBERS, rng.between(1, 3)))
    case 4:
      return exact('ZSCORE', k, member())
    case 5:
      return exact('ZMSCORE', k, ...rng.some(ZSET_MEMBERS, rng.between(1, 3)))
    case 6:
      return exact('ZINCRBY', k, rng.pick([...SCORES, 'x']), member())
    case 7:
      return exact('ZCARD', k)
    case 8:
      return exact('ZCOUNT', k, bound(), bound())
    case 9:
    case 10: {
      const args = ['ZRANGE', k]
      const mode = rng.below(3)
      if (mode === 0) args.push(rng.pick(INDEXES), rng.pick(INDEXES))
      else args.push(bound(), bound(), 'BYSCORE')
      if (rng.chance(0.3)) args.push('REV')
      if (mode !== 0) args.push(...rangeLimit(rng))
      return exact(...args, ...withScores())
    }
    case 11:
      return exact(
        rng.pick(['ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']),
        k,
        bound(),
        bound(),
        ...withScores(),
        ...rangeLimit(rng),
      )
    case 12:
      return exact('ZREVRANGE', k, rng.pick(INDEXES), rng.pick(INDEXES), ...withScores())
    case 13:
      return exact(rng.pick(['ZRANK', 'ZREVRANK']), k, member())
    case 14:
      return exact('ZREMRANGEBYRANK', k, rng.pick(INDEXES), rng.pick(INDEXES))
    case 15:
      return exact('ZREMRANGEBYSCORE', k, bound(), bound())
    case 16: {
      const args = [rng.pick(['ZPOPMIN', 'ZPOPMAX']), k]
      if (rng.chance(0.5)) args.push(rng.pick(COUNTS))
      return exact(...args)
    }
    case 17: {
      const keys = [k, ...(rng.chance(0.5) ? [key(rng, ZSET_KEYS)] : [])]
      const args = ['ZMPOP', String(keys.length), ...keys, rng.pick(['MIN', 'MAX'])]
      if (rng.chance(0.5)) args.push('COUNT', rng.pick(COUNTS))
      return exact(...args)
    }
    case 18:
    case 19: {
      const from = sources()
      const name = rng.pick(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE'])
      const options = name === 'ZDIFFSTORE' ? [] : combineOptions(from.length)
      return exact(name, destination(rng, ZSET_KEYS), String(from.length), ...from, ...options)
    }
    case 20: {
      const from = sources()
      const name = rng.pick(['ZUNION', 'ZINTER', 'ZDIFF'])
      const options = name === 'ZDIFF' ? [] : combineOptions(from.length)
      return exact(name, String(from.length), ...from, ...options, ...withScores())
    }
    case 21: {
      const from = sources()
      const args = ['ZINTERCARD', String(from.length), ...from]
      if (rng.chance(0.4)) args.push('LIMIT', rng.pick(['0', '1', '2']))
      return exact(...args)
    }
    case 22:
      return exact('ZRANGESTORE', destination(rng, ZSET_KEYS), source(), rng.pick(INDEXES), rng.pick(INDEXES))
    case 23: {
      const args = ['ZRANDMEMBER', k]
      if (rng.chance(0.7)) args.push(rng.pick(COUNTS))
      if (args.length === 3 && rng.chance(0.5)) args.push('WITHSCORES')
      return { args, check: SHAPE }
    }
    default:
      return lexCommand(rng)
  }
}

/** Commands on LEX_KEY, whose members all score 0. */
function lexCommand(rng: Random): RandomCommand {
  const bound = (): string => rng.pick(LEX_BOUNDS)
  switch (rng.below(7)) {
    case 0:
    case 1:
      return exact('ZADD', LEX_KEY, ...rng.some(LEX_MEMBERS, rng.between(1, 3)).flatMap((m) => ['0', m]))
    case 2:
      return exact('ZLEXCOUNT', LEX_KEY, bound(), bound())
    case 3:
      return exact('ZRANGEBYLEX', LEX_KEY, bound(), bound(), ...rangeLimit(rng))
    case 4:
      return exact('ZREVRANGEBYLEX', LEX_KEY, bound(), bound(), ...rangeLimit(rng))
    case 5:
      return exact(
        'ZRANGE',
        LEX_KEY,
        bound(),
        bound(),
        'BYLEX',
        ...(rng.chance(0.3) ? ['REV'] : []),
        ...rangeLimit(rng),
      )
    default:
      return exact('ZREMRANGEBYLEX', LEX_KEY, bound(), bound())
  }
}

function keyspaceCommand(rng: Random): RandomCommand {
  // Mostly within one type's keys, so that keys do not all end up holding the wrong type.
  const family = rng.pick([HASH_KEYS, LIST_KEYS, SET_KEYS, ZSET_KEYS, STRING_KEYS])
  const sameFamily = (): string => key(rng, family)
  const anyKey = (): string => rng.pick(ALL_KEYS)
  switch (rng.below(13)) {
    case 0:
    case 1:
    case 11:
      return exact('DEL', ...Array.from({ length: rng.between(1, 2) }, sameFamily))
    case 2:
      return exact('EXISTS', ...rng.some(ALL_KEYS, rng.between(1, 3)))
    case 3:
    case 4:
      return exact('TYPE', anyKey())
    case 5:
    case 6:
      return exact('OBJECT', 'ENCODING', anyKey())
    case 7:
      return exact('SET', key(rng, STRING_KEYS), rng.pick(VALUES))
    case 8:
      return exact(
        'COPY',
        rng.chance(0.2) ? LEX_KEY : sameFamily(),
        sameFamily(),
        ...(rng.chance(0.5) ? ['REPLACE'] : []),
      )
    case 9:
      return exact('RENAME', sameFamily(), sameFamily())
    default:
      // Hash, set and sorted-set digests do not depend on iteration order.
      return exact('DEBUG', 'DIGEST-VALUE', ...rng.some(ALL_KEYS, rng.between(1, 3)))
  }
}

/**
 * SORT and SORT_RO over the collections. BY and GET patterns name the other keys of the key
 * space ("str*" is str0 for element 0, "h*->f1" a hash field). Any key may hold a set, whose
 * order Redis leaves to its hash table: so ALPHA is never combined with a BY pattern (equal
 * BY values would keep that order), and BY nosort without STORE takes no LIMIT and is compared
 * unordered.
 */
function sortCommand(rng: Random): RandomCommand {
  const k = key(rng, rng.pick([LIST_KEYS, LIST_KEYS, SET_KEYS, ZSET_KEYS]))
  const readonly = rng.chance(0.3)
  const store = !readonly && rng.chance(0.3)
  const args = [readonly ? 'SORT_RO' : 'SORT', k]
  const by = rng.chance(0.4) ? rng.pick(['nosort', 'str*', 'h*->f1', 'h*->f5', 'nokey_*', 'l*']) : undefined
  const nosort = by === 'nosort'
  if (by !== undefined) args.push('BY', by)
  if (rng.chance(0.5) && (by === undefined || nosort)) args.push('ALPHA')
  if (rng.chance(0.4)) args.push(rng.pick(['ASC', 'DESC']))
  const unordered = nosort && !store
  if (!unordered && rng.chance(0.4)) {
    args.push('LIMIT', rng.pick(['0', '1', '2', '-1', '5']), rng.pick(['0', '1', '3', '-1', '10']))
  }
  for (let gets = rng.chance(0.3) ? rng.between(1, 2) : 0; gets > 0; gets--) {
    args.push('GET', rng.pick(['#', 'str*', 'h*->f2', 'l*', 'z*']))
  }
  if (store) args.push('STORE', destination(rng, LIST_KEYS))
  return { args, check: unordered ? { kind: 'unordered', pairs: false } : EXACT }
}

/** The next command of a sequence. */
export function randomCommand(rng: Random): RandomCommand {
  const family = rng.below(100)
  if (family < 21) return hashCommand(rng)
  if (family < 42) return listCommand(rng)
  if (family < 61) return setCommand(rng)
  if (family < 86) return zsetCommand(rng)
  if (family < 90) return sortCommand(rng)
  return keyspaceCommand(rng)
}

const AGGREGATES = new Set(['*', '~', '%', '>'])

/** The top-level elements of an aggregate reply, or undefined for other replies and nulls. */
function elementsOf(reply: Buffer): { header: Buffer; elements: Buffer[] } | undefined {
  const type = String.fromCharCode(reply[0] ?? 0)
  if (!AGGREGATES.has(type) || reply[1] === 0x2d /* '-': null array */) return undefined
  const headerEnd = reply.indexOf('\r\n') + 2
  return { header: reply.subarray(0, headerEnd), elements: splitReplies(reply.subarray(headerEnd)).replies }
}

/** The reply with its top-level elements (pairs for maps or when `pairs`) sorted by their bytes. */
export function sortedReply(reply: Buffer, pairs: boolean): Buffer {
  const aggregate = elementsOf(reply)
  if (!aggregate) return reply
  const size = pairs || reply[0] === 0x25 /* '%' */ ? 2 : 1
  const groups: Buffer[] = []
  for (let i = 0; i < aggregate.elements.length; i += size) {
    groups.push(Buffer.concat(aggregate.elements.slice(i, i + size)))
  }
  return Buffer.concat([aggregate.header, ...groups.sort(Buffer.compare)])
}

/** The reply's type byte, its element count for aggregates; errors in full. */
export function replyShape(reply: Buffer): string {
  const type = String.fromCharCode(reply[0] ?? 0)
  if (type === '-') return reply.toString('latin1')
  if (AGGREGATES.has(type) || type === '$') {
    const header = reply.toString('latin1', 0, reply.indexOf('\r\n'))
    return type === '$' && header !== '$-1' ? '$<bulk>' : header
  }
  return type
}
