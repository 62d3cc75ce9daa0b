// The embedded store's typed methods against the command table and against `call`.
//
// Every command in ts/commands/spec must have a typed method on `Redwing` (named after it:
// `hgetall`, `zrangestore`, `configGet` for CONFIG GET) or be on the exclusion list below
// with the reason; a method must not require more arguments than its command takes. Then each
// method is run on one store, and the command it stands for through `call` on a second store
// holding the same data: the results must be equal, or equal after the documented conversion
// (objects for maps, numbers for scores, `{ member, score }` for scored members).

import { afterEach, beforeEach, describe, expect, expectTypeOf, test } from 'vitest'
import { loadSpecs } from '../ts/commands/table.js'
import { Redwing, ReplyError, type Arg, type ScoredMember, type Transaction } from '../ts/index.js'

const BLOCKING =
  'an in-process call cannot wait: the non-blocking command (LPOP, LMPOP, LMOVE, ZMPOP…) is what would run'
const SESSION =
  'the store owns its session (its protocol, name, authentication): reached through call, or listen() clients'
const REPLICATION = 'replication between servers: reached through call or the network'
const ADMIN = 'server administration and diagnostics: reached through call or the network'
const HELP = 'help text: reached through call'
const CLUSTER = 'the cluster protocol: cluster support is disabled'

/** Commands (or `parent|sub` subcommands) without a typed method, and why. */
const EXCLUDED: Record<string, string> = {
  blpop: BLOCKING,
  brpop: BLOCKING,
  brpoplpush: BLOCKING,
  blmove: BLOCKING,
  blmpop: BLOCKING,
  bzpopmin: BLOCKING,
  bzpopmax: BLOCKING,
  bzmpop: BLOCKING,
  auth: SESSION,
  hello: SESSION,
  quit: SESSION,
  reset: SESSION,
  client: SESSION,
  monitor: 'streams every command to a connection: reached through listen() clients',
  exec: 'Transaction.exec() (see multi())',
  discard: 'Transaction.discard() (see multi()): nothing is sent before exec()',
  shutdown: 'close()',
  migrate: 'talks to another server: only a listening server runs it (listen())',
  asking: CLUSTER,
  cluster: CLUSTER,
  readonly: CLUSTER,
  readwrite: CLUSTER,
  'restore-asking': CLUSTER,
  psync: REPLICATION,
  replconf: REPLICATION,
  sync: REPLICATION,
  replicaof: REPLICATION,
  slaveof: REPLICATION,
  failover: REPLICATION,
  role: REPLICATION,
  wait: REPLICATION,
  acl: ADMIN,
  debug: ADMIN,
  latency: ADMIN,
  module: ADMIN,
  command: ADMIN,
  lolwut: ADMIN,
  pfdebug: ADMIN,
  pfselftest: ADMIN,
  'memory|doctor': ADMIN,
  'memory|malloc-stats': ADMIN,
  'memory|purge': ADMIN,
  'memory|stats': ADMIN,
  georadius: 'deprecated: geosearch()',
  georadius_ro: 'deprecated: geosearch()',
  georadiusbymember: 'deprecated: geosearch()',
  georadiusbymember_ro: 'deprecated: geosearch()',
  hmset: 'deprecated: hset() takes several fields',
  substr: 'deprecated: getrange()',
  'object|help': HELP,
  'config|help': HELP,
  'memory|help': HELP,
  'slowlog|help': HELP,
  'function|help': HELP,
  'script|help': HELP,
  'script|debug': 'the Lua debugger needs a connection',
  'pubsub|help': HELP,
  'xgroup|help': HELP,
  'xinfo|help': HELP,
}

/** The method name of a command or `parent|sub`: `zrangestore`, `bitfieldRo`, `configGet`. */
function methodName(name: string): string {
  return name
    .split(/[|_-]/)
    .map((part, i) => (i === 0 ? part : part[0]!.toUpperCase() + part.slice(1)))
    .join('')
}

/** Every command and subcommand with its arity, as `name` or `parent|sub`. */
function commands(): { name: string; arity: number; parent?: string }[] {
  return loadSpecs().flatMap((spec) =>
    spec.subcommands
      ? spec.subcommands.map((sub) => ({ name: `${spec.name}|${sub.name}`, arity: sub.arity, parent: spec.name }))
      : [{ name: spec.name, arity: spec.arity }],
  )
}

describe('the command table', () => {
  test('every command has a typed method or a reason not to', () => {
    const missing: string[] = []
    for (const { name, parent } of commands()) {
      if (EXCLUDED[name] || (parent && EXCLUDED[parent])) continue
      const method = (Redwing.prototype as unknown as Record<string, unknown>)[methodName(name)]
      if (typeof method !== 'function') missing.push(`${name} (${methodName(name)})`)
    }
    expect(missing).toEqual([])
  })

  test('excluded commands exist and have no typed method', () => {
    const names = new Set(commands().flatMap(({ name, parent }) => (parent ? [name, parent] : [name])))
    for (const name of Object.keys(EXCLUDED)) {
      expect(names.has(name), name).toBe(true)
      expect(typeof (Redwing.prototype as unknown as Record<string, unknown>)[methodName(name)], name).not.toBe(
        'function',
      )
    }
  })

  test('methods of fixed-arity commands take no more arguments than their commands', () => {
    const wrong: string[] = []
    for (const { name, arity, parent } of commands()) {
      const method = (Redwing.prototype as unknown as Record<string, unknown>)[methodName(name)]
      if (typeof method !== 'function') continue
      // A command of fixed arity takes exactly `arity` words (its name, and subcommand,
      // included): its method declares no more parameters than the remaining arguments. A
      // variadic command (negative arity) takes any number beyond, which its method gathers in
      // rest parameters, arrays or objects; the tests below run each with its command.
      if (arity < 0) continue
      const args = arity - (parent ? 2 : 1)
      if (method.length > args) wrong.push(`${name}: ${method.length} parameters for ${args} arguments`)
    }
    expect(wrong).toEqual([])
  })
})

test('the typed methods have precise types', () => {
  type Of<M extends keyof Redwing> = Redwing[M]
  expectTypeOf<ReturnType<Of<'hgetall'>>>().toEqualTypeOf<Record<string, string>>()
  expectTypeOf<ReturnType<Of<'hgetallBuffer'>>>().toEqualTypeOf<Record<string, Buffer>>()
  expectTypeOf<ReturnType<Of<'zrangeWithScores'>>>().toEqualTypeOf<ScoredMember[]>()
  expectTypeOf<ReturnType<Of<'zscore'>>>().toEqualTypeOf<number | null>()
  expectTypeOf<ReturnType<Of<'sismember'>>>().toEqualTypeOf<0 | 1>()
  expectTypeOf<ReturnType<Of<'multi'>>>().toEqualTypeOf<Transaction>()
  expectTypeOf<ReturnType<Transaction['exec']>>().toEqualTypeOf<unknown[] | null>()
  // Overloads give each form its own result.
  const db = null as unknown as Redwing
  expectTypeOf(() => db.lpop('l')).returns.toEqualTypeOf<string | null>()
  expectTypeOf(() => db.lpop('l', 2)).returns.toEqualTypeOf<string[] | null>()
  expectTypeOf(() => db.hrandfield('h')).returns.toEqualTypeOf<string | null>()
  expectTypeOf(() => db.hrandfield('h', 2, { withValues: true })).returns.toEqualTypeOf<[string, string][]>()
  expectTypeOf(() => db.lpos('l', 'x', { count: 0 })).returns.toEqualTypeOf<number[]>()
  expectTypeOf(() => db.zrank('z', 'm', { withScore: true })).returns.toEqualTypeOf<{
    rank: number
    score: number
  } | null>()
  // Bounds are checked: a score range takes score bounds, a lex range lex bounds, and a
  // range by member cannot come with scores.
  // @ts-expect-error a lex bound in a range by score
  expectTypeOf(() => db.zrange('z', '[a', '+inf', { by: 'SCORE' })).toBeFunction()
  // @ts-expect-error a score bound in a range by member
  expectTypeOf(() => db.zrange('z', 1, '+', { by: 'LEX' })).toBeFunction()
  // @ts-expect-error WITHSCORES with BYLEX
  expectTypeOf(() => db.zrangeWithScores('z', '-', '+', { by: 'LEX' })).toBeFunction()
  // @ts-expect-error an unknown command name
  expectTypeOf(() => db.call('NOSUCH')).toBeFunction()
})

let typed: Redwing
let raw: Redwing

beforeEach(() => {
  typed = new Redwing()
  raw = new Redwing()
})

afterEach(async () => {
  await typed.close()
  await raw.close()
})

/** Runs the same commands on both stores. */
function given(...commands: Arg[][]): void {
  for (const [name, ...args] of commands) {
    typed.call(name as 'set', ...args)
    raw.call(name as 'set', ...args)
  }
}

/** The typed method's result equals `command`'s through call on the other store. */
function same<T>(value: T, command: Arg[], convert: (reply: never) => unknown = (reply) => reply): T {
  const [name, ...args] = command
  expect(value).toEqual(convert(raw.call(name as 'set', ...args) as never))
  return value
}

function throws(run: () => unknown, message: string | RegExp): void {
  expect(run).toThrow(ReplyError)
  expect(run).toThrow(message)
}

describe('hashes', () => {
  test('hset from an object, a Map, pairs or one field; hget, hmget, hgetall', () => {
    expect(same(typed.hset('h', { a: '1', b: 2 }), ['HSET', 'h', 'a', '1', 'b', 2])).toBe(2)
    expect(same(typed.hset('h', new Map<Arg, Arg>([['c', '3']])), ['HSET', 'h', 'c', '3'])).toBe(1)
    expect(
      same(
        typed.hset('h', [
          ['a', 'x'],
          [Buffer.from('d'), '4'],
        ]),
        ['HSET', 'h', 'a', 'x', 'd', '4'],
      ),
    ).toBe(1)
    expect(same(typed.hset('h', 'e', '5'), ['HSET', 'h', 'e', '5'])).toBe(1)
    expect(same(typed.hget('h', 'a'), ['HGET', 'h', 'a'])).toBe('x')
    expect(same(typed.hget('h', 'zz'), ['HGET', 'h', 'zz'])).toBe(null)
    expect(typed.hgetBuffer('h', 'b')).toEqual(Buffer.from('2'))
    expect(same(typed.hmget('h', 'a', 'zz', 'e'), ['HMGET', 'h', 'a', 'zz', 'e'])).toEqual(['x', null, '5'])
    const all = { a: 'x', b: '2', c: '3', d: '4', e: '5' }
    expect(same(typed.hgetall('h'), ['HGETALL', 'h'], (flat: string[]) => Object.fromEntries(pairs(flat)))).toEqual(all)
    expect(typed.hgetall('missing')).toEqual({})
    expect(typed.hgetallBuffer('h')).toEqual(
      Object.fromEntries(Object.entries(all).map(([field, value]) => [field, Buffer.from(value)])),
    )
  })

  test('hdel, hexists, hincrby, hincrbyfloat, hkeys, hvals, hlen, hsetnx, hstrlen', () => {
    given(['HSET', 'h', 'a', '1', 'b', 'two', 'f', '1.5'])
    expect(same(typed.hsetnx('h', 'a', '9'), ['HSETNX', 'h', 'a', '9'])).toBe(0)
    expect(same(typed.hsetnx('h', 'n', '9'), ['HSETNX', 'h', 'n', '9'])).toBe(1)
    expect(same(typed.hexists('h', 'a'), ['HEXISTS', 'h', 'a'])).toBe(1)
    expect(same(typed.hincrby('h', 'a', 41), ['HINCRBY', 'h', 'a', 41])).toBe(42)
    expect(same(typed.hincrbyfloat('h', 'f', 0.25), ['HINCRBYFLOAT', 'h', 'f', 0.25])).toBe('1.75')
    expect(same(typed.hkeys('h'), ['HKEYS', 'h'])).toEqual(['a', 'b', 'f', 'n'])
    expect(same(typed.hvals('h'), ['HVALS', 'h'])).toEqual(['42', 'two', '1.75', '9'])
    expect(same(typed.hlen('h'), ['HLEN', 'h'])).toBe(4)
    expect(same(typed.hstrlen('h', 'b'), ['HSTRLEN', 'h', 'b'])).toBe(3)
    expect(same(typed.hdel('h', 'a', 'zz'), ['HDEL', 'h', 'a', 'zz'])).toBe(1)
    throws(() => typed.hincrby('h', 'b', 1), 'ERR hash value is not an integer')
  })

  test('hrandfield with count and values; hscan', () => {
    given(['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'])
    const all = { a: '1', b: '2', c: '3' }
    expect(Object.keys(all)).toContain(typed.hrandfield('h'))
    expect(typed.hrandfield('missing')).toBe(null)
    expect(typed.hrandfield('h', 5).sort()).toEqual(same(['a', 'b', 'c'], ['HKEYS', 'h']))
    expect(typed.hrandfield('h', -5)).toHaveLength(5)
    const withValues = typed.hrandfield('h', 3, { withValues: true })
    expect(Object.fromEntries(withValues)).toEqual(all)
    const [cursor, entries] = typed.hscan('h', 0)
    expect(cursor).toBe('0')
    expect(entries).toEqual(pairs(raw.call<[string, string[]]>('HSCAN', 'h', 0)[1]))
    expect(typed.hscan('h', 0, { match: 'b*', count: 10 })).toEqual(['0', [['b', '2']]])
    expect(Object.fromEntries(typed.hscanIterator('h'))).toEqual(all)
  })
})

describe('lists', () => {
  test('pushes, pops and ranges', () => {
    expect(same(typed.lpush('l', 'a'), ['LPUSH', 'l', 'a'])).toBe(1)
    expect(same(typed.lpush('l', 'b', 'c'), ['LPUSH', 'l', 'b', 'c'])).toBe(3)
    expect(same(typed.rpush('l', 'x'), ['RPUSH', 'l', 'x'])).toBe(4)
    expect(same(typed.rpush('l', 'y', 'z'), ['RPUSH', 'l', 'y', 'z'])).toBe(6)
    expect(same(typed.lpushx('none', 'a'), ['LPUSHX', 'none', 'a'])).toBe(0)
    expect(same(typed.rpushx('l', 'w'), ['RPUSHX', 'l', 'w'])).toBe(7)
    expect(same(typed.lrange('l', 0, -1), ['LRANGE', 'l', 0, -1])).toEqual(['c', 'b', 'a', 'x', 'y', 'z', 'w'])
    expect(typed.lrangeBuffer('l', 0, 0)).toEqual([Buffer.from('c')])
    expect(same(typed.llen('l'), ['LLEN', 'l'])).toBe(7)
    expect(same(typed.lindex('l', -1), ['LINDEX', 'l', -1])).toBe('w')
    expect(same(typed.lpop('l'), ['LPOP', 'l'])).toBe('c')
    expect(same(typed.lpop('l', 2), ['LPOP', 'l', 2])).toEqual(['b', 'a'])
    expect(same(typed.rpop('l'), ['RPOP', 'l'])).toBe('w')
    expect(same(typed.rpop('l', 2), ['RPOP', 'l', 2])).toEqual(['z', 'y'])
    expect(same(typed.lpop('none', 2), ['LPOP', 'none', 2])).toBe(null)
    expect(same(typed.rpop('none'), ['RPOP', 'none'])).toBe(null)
  })

  test('lset, linsert, lrem, ltrim, lpos', () => {
    given(['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'])
    expect(same(typed.lset('l', 1, 'B'), ['LSET', 'l', 1, 'B'])).toBe('OK')
    throws(() => typed.lset('l', 99, 'x'), 'ERR index out of range')
    expect(same(typed.linsert('l', 'BEFORE', 'c', 'bc'), ['LINSERT', 'l', 'BEFORE', 'c', 'bc'])).toBe(6)
    expect(same(typed.linsert('l', 'AFTER', 'nope', 'x'), ['LINSERT', 'l', 'AFTER', 'nope', 'x'])).toBe(-1)
    expect(same(typed.lpos('l', 'a'), ['LPOS', 'l', 'a'])).toBe(0)
    expect(same(typed.lpos('l', 'a', { rank: -1 }), ['LPOS', 'l', 'a', 'RANK', -1])).toBe(5)
    expect(same(typed.lpos('l', 'a', { count: 0 }), ['LPOS', 'l', 'a', 'COUNT', 0])).toEqual([0, 2, 5])
    expect(same(typed.lpos('l', 'a', { count: 2, maxlen: 3 }), ['LPOS', 'l', 'a', 'COUNT', 2, 'MAXLEN', 3])).toEqual([
      0, 2,
    ])
    expect(same(typed.lpos('l', 'zz'), ['LPOS', 'l', 'zz'])).toBe(null)
    expect(same(typed.lrem('l', -1, 'a'), ['LREM', 'l', -1, 'a'])).toBe(1)
    expect(same(typed.ltrim('l', 1, -1), ['LTRIM', 'l', 1, -1])).toBe('OK')
    expect(typed.lrange('l', 0, -1)).toEqual(['B', 'a', 'bc', 'c'])
  })

  test('lmove, rpoplpush, lmpop', () => {
    given(['RPUSH', 'a', '1', '2', '3'])
    expect(same(typed.lmove('a', 'b', 'LEFT', 'RIGHT'), ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'])).toBe('1')
    expect(same(typed.rpoplpush('a', 'b'), ['RPOPLPUSH', 'a', 'b'])).toBe('3')
    expect(same(typed.lmove('none', 'b', 'LEFT', 'LEFT'), ['LMOVE', 'none', 'b', 'LEFT', 'LEFT'])).toBe(null)
    expect(typed.lmpop(['none', 'b'], 'LEFT', { count: 5 })).toEqual({ key: 'b', elements: ['3', '1'] })
    expect(raw.call('LMPOP', 2, 'none', 'b', 'LEFT', 'COUNT', 5)).toEqual(['b', ['3', '1']])
    expect(same(typed.lmpop(['none'], 'RIGHT'), ['LMPOP', 1, 'none', 'RIGHT'])).toBe(null)
    expect(typed.lmpop(['a'], 'RIGHT')).toEqual({ key: 'a', elements: ['2'] })
  })
})

describe('sets', () => {
  test('members', () => {
    expect(same(typed.sadd('s', 'a'), ['SADD', 's', 'a'])).toBe(1)
    expect(same(typed.sadd('s', 'b', 'c', 'a'), ['SADD', 's', 'b', 'c', 'a'])).toBe(2)
    expect(same(typed.smembers('s').sort(), ['SMEMBERS', 's'], (m: string[]) => m.sort())).toEqual(['a', 'b', 'c'])
    expect(same(typed.sismember('s', 'a'), ['SISMEMBER', 's', 'a'])).toBe(1)
    expect(same(typed.smismember('s', 'a', 'z'), ['SMISMEMBER', 's', 'a', 'z'])).toEqual([1, 0])
    expect(same(typed.scard('s'), ['SCARD', 's'])).toBe(3)
    expect(same(typed.srem('s', 'c'), ['SREM', 's', 'c'])).toBe(1)
    expect(same(typed.srem('s', 'c', 'z'), ['SREM', 's', 'c', 'z'])).toBe(0)
    expect(same(typed.smove('s', 't', 'a'), ['SMOVE', 's', 't', 'a'])).toBe(1)
    expect(['b']).toContain(typed.srandmember('s'))
    expect(typed.srandmember('s', -3)).toEqual(['b', 'b', 'b'])
    expect(typed.srandmember('none')).toBe(null)
    expect(typed.spop('t')).toBe('a')
    expect(typed.spop('s', 5)).toEqual(['b'])
    expect(typed.spop('s')).toBe(null)
    expect(same(typed.spop('none', 2), ['SPOP', 'none', 2])).toEqual([])
  })

  test('algebra, intercard and scan', () => {
    given(['SADD', 'x', 'a', 'b', 'c'], ['SADD', 'y', 'b', 'c', 'd'])
    const sorted = (members: string[]) => members.sort()
    expect(same(typed.sinter('x', 'y').sort(), ['SINTER', 'x', 'y'], sorted)).toEqual(['b', 'c'])
    expect(same(typed.sunion('x', 'y').sort(), ['SUNION', 'x', 'y'], sorted)).toEqual(['a', 'b', 'c', 'd'])
    expect(same(typed.sdiff('x', 'y'), ['SDIFF', 'x', 'y'])).toEqual(['a'])
    expect(same(typed.sinterstore('i', 'x', 'y'), ['SINTERSTORE', 'i', 'x', 'y'])).toBe(2)
    expect(same(typed.sunionstore('u', 'x', 'y'), ['SUNIONSTORE', 'u', 'x', 'y'])).toBe(4)
    expect(same(typed.sdiffstore('d', 'y', 'x'), ['SDIFFSTORE', 'd', 'y', 'x'])).toBe(1)
    expect(same(typed.sintercard(['x', 'y']), ['SINTERCARD', 2, 'x', 'y'])).toBe(2)
    expect(same(typed.sintercard(['x', 'y'], { limit: 1 }), ['SINTERCARD', 2, 'x', 'y', 'LIMIT', 1])).toBe(1)
    const [cursor, members] = typed.sscan('x', 0, { match: '*', count: 100 })
    expect(cursor).toBe('0')
    expect(members.sort()).toEqual(['a', 'b', 'c'])
    expect([...typed.sscanIterator('u')].sort()).toEqual(['a', 'b', 'c', 'd'])
  })
})

describe('sorted sets', () => {
  const scored = (flat: string[]) => pairs(flat).map(([member, score]) => ({ member, score: Number(score) }))

  test('zadd from objects, pairs, a record, a Map, with conditions; zaddIncr, zincrby', () => {
    expect(same(typed.zadd('z', [{ member: 'a', score: 1 }]), ['ZADD', 'z', 1, 'a'])).toBe(1)
    expect(same(typed.zadd('z', [['b', 2]]), ['ZADD', 'z', 2, 'b'])).toBe(1)
    expect(same(typed.zadd('z', { c: 3, d: 4 }), ['ZADD', 'z', 3, 'c', 4, 'd'])).toBe(2)
    expect(same(typed.zadd('z', new Map([['e', -Infinity]])), ['ZADD', 'z', '-inf', 'e'])).toBe(1)
    expect(same(typed.zadd('z', 5, 'f'), ['ZADD', 'z', 5, 'f'])).toBe(1)
    expect(same(typed.zadd('z', { a: 10, g: 7 }, { nx: true }), ['ZADD', 'z', 'NX', 10, 'a', 7, 'g'])).toBe(1)
    expect(
      same(typed.zadd('z', { a: 0, b: 9 }, { gt: true, ch: true }), ['ZADD', 'z', 'GT', 'CH', 0, 'a', 9, 'b']),
    ).toBe(1)
    expect(
      same(typed.zadd('z', { a: 0, x: 1 }, { xx: true, lt: true, ch: true }), [
        'ZADD',
        'z',
        'XX',
        'LT',
        'CH',
        0,
        'a',
        1,
        'x',
      ]),
    ).toBe(1)
    throws(() => typed.zadd('z', { a: 1 }, { nx: true, xx: true }), 'ERR XX and NX options at the same time')
    expect(same(typed.zaddIncr('z', 2.5, 'a'), ['ZADD', 'z', 'INCR', 2.5, 'a'], Number)).toBe(2.5)
    expect(same(typed.zaddIncr('z', 1, 'a', { nx: true }), ['ZADD', 'z', 'NX', 'INCR', 1, 'a'])).toBe(null)
    expect(same(typed.zincrby('z', Infinity, 'c'), ['ZINCRBY', 'z', '+inf', 'c'], () => Infinity)).toBe(Infinity)
    expect(same(typed.zscore('z', 'e'), ['ZSCORE', 'z', 'e'], () => -Infinity)).toBe(-Infinity)
    expect(same(typed.zscore('z', 'nope'), ['ZSCORE', 'z', 'nope'])).toBe(null)
    expect(
      same(typed.zmscore('z', 'b', 'nope', 'f'), ['ZMSCORE', 'z', 'b', 'nope', 'f'], (s: (string | null)[]) =>
        s.map((x) => (x === null ? null : Number(x))),
      ),
    ).toEqual([9, null, 5])
  })

  test('ranks, counts and ranges', () => {
    given(['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd'], ['ZADD', 'lex', 0, 'a', 0, 'b', 0, 'c', 0, 'd'])
    expect(same(typed.zrank('z', 'c'), ['ZRANK', 'z', 'c'])).toBe(2)
    expect(same(typed.zrevrank('z', 'c'), ['ZREVRANK', 'z', 'c'])).toBe(1)
    expect(same(typed.zrank('z', 'nope'), ['ZRANK', 'z', 'nope'])).toBe(null)
    expect(typed.zrank('z', 'c', { withScore: true })).toEqual({ rank: 2, score: 3 })
    expect(typed.zrevrank('z', 'a', { withScore: true })).toEqual({ rank: 3, score: 1 })
    expect(same(typed.zcard('z'), ['ZCARD', 'z'])).toBe(4)
    expect(same(typed.zcount('z', '(1', '+inf'), ['ZCOUNT', 'z', '(1', '+inf'])).toBe(3)
    expect(same(typed.zcount('z', -Infinity, 2), ['ZCOUNT', 'z', '-inf', 2])).toBe(2)
    expect(same(typed.zlexcount('lex', '[b', '+'), ['ZLEXCOUNT', 'lex', '[b', '+'])).toBe(3)
    expect(same(typed.zrange('z', 0, -1), ['ZRANGE', 'z', 0, -1])).toEqual(['a', 'b', 'c', 'd'])
    expect(same(typed.zrange('z', 0, 1, { rev: true }), ['ZRANGE', 'z', 0, 1, 'REV'])).toEqual(['d', 'c'])
    expect(
      same(typed.zrange('z', '(1', 4, { by: 'SCORE', limit: { offset: 1, count: 5 } }), [
        'ZRANGE',
        'z',
        '(1',
        4,
        'BYSCORE',
        'LIMIT',
        1,
        5,
      ]),
    ).toEqual(['c', 'd'])
    expect(
      same(typed.zrange('z', '+inf', 3, { by: 'SCORE', rev: true }), ['ZRANGE', 'z', '+inf', 3, 'BYSCORE', 'REV']),
    ).toEqual(['d', 'c'])
    expect(same(typed.zrange('lex', '[b', '(d', { by: 'LEX' }), ['ZRANGE', 'lex', '[b', '(d', 'BYLEX'])).toEqual([
      'b',
      'c',
    ])
    expect(same(typed.zrangeWithScores('z', 0, 1), ['ZRANGE', 'z', 0, 1, 'WITHSCORES'], scored)).toEqual([
      { member: 'a', score: 1 },
      { member: 'b', score: 2 },
    ])
    expect(
      same(
        typed.zrangeWithScores('z', 3, '(4', { by: 'SCORE' }),
        ['ZRANGE', 'z', 3, '(4', 'BYSCORE', 'WITHSCORES'],
        scored,
      ),
    ).toEqual([{ member: 'c', score: 3 }])
    expect(same(typed.zrangestore('dst', 'z', 1, 2), ['ZRANGESTORE', 'dst', 'z', 1, 2])).toBe(2)
    expect(
      same(typed.zrangestore('dst2', 'lex', '-', '[b', { by: 'LEX' }), [
        'ZRANGESTORE',
        'dst2',
        'lex',
        '-',
        '[b',
        'BYLEX',
      ]),
    ).toBe(2)
    expect(
      same(typed.zrangebyscore('z', 2, '+inf', { limit: { offset: 0, count: 2 } }), [
        'ZRANGEBYSCORE',
        'z',
        2,
        '+inf',
        'LIMIT',
        0,
        2,
      ]),
    ).toEqual(['b', 'c'])
    expect(same(typed.zrevrangebyscore('z', 3, 1), ['ZREVRANGEBYSCORE', 'z', 3, 1])).toEqual(['c', 'b', 'a'])
    expect(same(typed.zrangebylex('lex', '(a', '+'), ['ZRANGEBYLEX', 'lex', '(a', '+'])).toEqual(['b', 'c', 'd'])
    expect(
      same(typed.zrevrangebylex('lex', '+', '-', { limit: { offset: 1, count: 1 } }), [
        'ZREVRANGEBYLEX',
        'lex',
        '+',
        '-',
        'LIMIT',
        1,
        1,
      ]),
    ).toEqual(['c'])
    expect(same(typed.zrevrange('z', 0, 0), ['ZREVRANGE', 'z', 0, 0])).toEqual(['d'])
  })

  test('pops, random members and removals', () => {
    given(['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e'])
    expect(typed.zpopmin('z')).toEqual([{ member: 'a', score: 1 }])
    expect(typed.zpopmax('z', 2)).toEqual([
      { member: 'e', score: 5 },
      { member: 'd', score: 4 },
    ])
    raw.call('ZPOPMIN', 'z')
    expect(raw.call('ZPOPMAX', 'z', 2)).toEqual(['e', '5', 'd', '4'])
    expect(same(typed.zpopmin('none'), ['ZPOPMIN', 'none'])).toEqual([])
    expect(typed.zmpop(['none', 'z'], 'MIN', { count: 1 })).toEqual({ key: 'z', members: [{ member: 'b', score: 2 }] })
    expect(raw.call('ZMPOP', 2, 'none', 'z', 'MIN', 'COUNT', 1)).toEqual(['z', [['b', '2']]])
    expect(same(typed.zmpop(['none'], 'MAX'), ['ZMPOP', 1, 'none', 'MAX'])).toBe(null)
    expect(typed.zrandmember('z')).toBe('c')
    expect(typed.zrandmember('none')).toBe(null)
    expect(typed.zrandmember('z', -2)).toEqual(['c', 'c'])
    expect(typed.zrandmemberWithScores('z', 1)).toEqual([{ member: 'c', score: 3 }])
    given(['ZADD', 'r', 1, 'a', 2, 'b', 3, 'c', 4, 'd'], ['ZADD', 'lex', 0, 'a', 0, 'b', 0, 'c'])
    expect(same(typed.zrem('r', 'a'), ['ZREM', 'r', 'a'])).toBe(1)
    expect(same(typed.zrem('r', 'a', 'b'), ['ZREM', 'r', 'a', 'b'])).toBe(1)
    expect(same(typed.zremrangebyrank('r', 0, 0), ['ZREMRANGEBYRANK', 'r', 0, 0])).toBe(1)
    expect(same(typed.zremrangebyscore('r', '(3', Infinity), ['ZREMRANGEBYSCORE', 'r', '(3', '+inf'])).toBe(1)
    expect(same(typed.zremrangebylex('lex', '[a', '(c'), ['ZREMRANGEBYLEX', 'lex', '[a', '(c'])).toBe(2)
  })

  test('unions, intersections and differences', () => {
    given(['ZADD', 'x', 1, 'a', 2, 'b'], ['ZADD', 'y', 10, 'b', 20, 'c'])
    const options = { weights: [2, 1], aggregate: 'MAX' as const }
    const combine = ['WEIGHTS', 2, 1, 'AGGREGATE', 'MAX']
    expect(same(typed.zunion(['x', 'y']), ['ZUNION', 2, 'x', 'y'])).toEqual(['a', 'b', 'c'])
    expect(
      same(typed.zunionWithScores(['x', 'y'], options), ['ZUNION', 2, 'x', 'y', ...combine, 'WITHSCORES'], scored),
    ).toEqual([
      { member: 'a', score: 2 },
      { member: 'b', score: 10 },
      { member: 'c', score: 20 },
    ])
    expect(same(typed.zinter(['x', 'y']), ['ZINTER', 2, 'x', 'y'])).toEqual(['b'])
    expect(
      same(
        typed.zinterWithScores(['x', 'y'], { aggregate: 'MIN' }),
        ['ZINTER', 2, 'x', 'y', 'AGGREGATE', 'MIN', 'WITHSCORES'],
        scored,
      ),
    ).toEqual([{ member: 'b', score: 2 }])
    expect(same(typed.zdiff(['x', 'y']), ['ZDIFF', 2, 'x', 'y'])).toEqual(['a'])
    expect(same(typed.zdiffWithScores(['y', 'x']), ['ZDIFF', 2, 'y', 'x', 'WITHSCORES'], scored)).toEqual([
      { member: 'c', score: 20 },
    ])
    expect(same(typed.zunionstore('u', ['x', 'y'], options), ['ZUNIONSTORE', 'u', 2, 'x', 'y', ...combine])).toBe(3)
    expect(same(typed.zinterstore('i', ['x', 'y']), ['ZINTERSTORE', 'i', 2, 'x', 'y'])).toBe(1)
    expect(same(typed.zdiffstore('d', ['x', 'y']), ['ZDIFFSTORE', 'd', 2, 'x', 'y'])).toBe(1)
    expect(same(typed.zintercard(['x', 'y'], { limit: 5 }), ['ZINTERCARD', 2, 'x', 'y', 'LIMIT', 5])).toBe(1)
    expect(typed.zscan('u', 0)).toEqual([
      '0',
      same(typed.zrangeWithScores('u', 0, -1), ['ZRANGE', 'u', 0, -1, 'WITHSCORES'], scored),
    ])
    expect([...typed.zscanIterator('x', { match: 'a' })]).toEqual([{ member: 'a', score: 1 }])
  })

  test('scores keep their shape over RESP3', () => {
    given(['ZADD', 'z', 1, 'a', 2.5, 'b'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'])
    typed.call('HELLO', 3)
    expect(typed.zrangeWithScores('z', 0, -1)).toEqual([
      { member: 'a', score: 1 },
      { member: 'b', score: 2.5 },
    ])
    expect(typed.zpopmin('z')).toEqual([{ member: 'a', score: 1 }])
    expect(typed.zscore('z', 'b')).toBe(2.5)
    expect(typed.zmscore('z', 'b', 'zz')).toEqual([2.5, null])
    expect(typed.hgetall('h')).toEqual({ f: 'v' })
    expect(typed.hrandfield('h', 1, { withValues: true })).toEqual([['f', 'v']])
    expect(typed.smembers('s')).toEqual(['m'])
    expect(typed.configGet('databases')).toEqual({ databases: '16' })
  })
})

describe('transactions', () => {
  test('multi() runs its commands between MULTI and EXEC', () => {
    const results = typed.multi().set('k', '1').incr('k').call('LPUSH', 'k', 'x').get('k').exec()
    expect(results?.slice(0, 2)).toEqual(['OK', 2])
    expect(results?.[2]).toBeInstanceOf(ReplyError)
    expect(results?.[3]).toBe('2')
    expect(typed.multi().exec()).toEqual([])
  })

  test('a command refused while queuing aborts the transaction', () => {
    const transaction = typed.multi().set('k', '1').call('GET')
    expect(() => transaction.exec()).toThrow('EXECABORT Transaction discarded because of previous errors.')
    expect(typed.get('k')).toBe(null)
    expect(typed.ping()).toBe('PONG')
  })

  test('watch and unwatch', () => {
    expect(typed.watch('k')).toBe('OK')
    typed.set('k', 'changed')
    expect(typed.multi().set('k', 'tx').exec()).toBe(null)
    expect(typed.get('k')).toBe('changed')
    typed.watch('k')
    typed.set('k', 'again')
    expect(typed.unwatch()).toBe('OK')
    expect(typed.multi().set('k', 'tx').exec()).toEqual(['OK'])
    const discarded = typed.multi().set('k', 'never')
    discarded.discard()
    expect(discarded.length).toBe(0)
    expect(typed.get('k')).toBe('tx')
  })
})

describe('strings, keys, streams and scripting added to the earlier families', () => {
  test('strings', () => {
    expect(same(typed.setex('a', 100, 'v'), ['SETEX', 'a', 100, 'v'])).toBe('OK')
    expect(same(typed.psetex('b', 100000, 'v'), ['PSETEX', 'b', 100000, 'v'])).toBe('OK')
    expect(typed.ttl('a')).toBeGreaterThan(98)
    expect(same(typed.getex('a', { persist: true }), ['GETEX', 'a', 'PERSIST'])).toBe('v')
    expect(typed.ttl('a')).toBe(-1)
    expect(typed.getex('a', { px: 5000 })).toBe('v')
    expect(typed.pttl('a')).toBeGreaterThan(4000)
    given(['SET', 'x', 'ohmytext'], ['SET', 'y', 'mynewtext'])
    expect(same(typed.lcs('x', 'y'), ['LCS', 'x', 'y'])).toBe('mytext')
    expect(same(typed.lcsLength('x', 'y'), ['LCS', 'x', 'y', 'LEN'])).toBe(6)
  })

  test('keys', () => {
    given(['SET', 's', 'v'], ['RPUSH', 'l', '3', '1', '2'], ['HSET', 'w', 'a', '5'])
    expect(same(typed.pexpiretime('s'), ['PEXPIRETIME', 's'])).toBe(-1)
    expect(same(typed.objectEncoding('l'), ['OBJECT', 'ENCODING', 'l'])).toBe('quicklist')
    expect(same(typed.objectRefcount('l'), ['OBJECT', 'REFCOUNT', 'l'])).toBe(1)
    expect(typed.objectIdletime('l')).toBeGreaterThanOrEqual(0)
    throws(() => typed.objectFreq('l'), /LFU maxmemory policy is not selected/)
    expect(same(typed.sort('l'), ['SORT', 'l'])).toEqual(['1', '2', '3'])
    expect(
      same(typed.sortRo('l', { desc: true, limit: { offset: 0, count: 2 } }), ['SORT_RO', 'l', 'LIMIT', 0, 2, 'DESC']),
    ).toEqual(['3', '2'])
    expect(same(typed.sort('l', { alpha: true, store: 'sorted' }), ['SORT', 'l', 'ALPHA', 'STORE', 'sorted'])).toBe(3)
    expect(
      same(typed.sort('l', { by: 'nosort', get: ['#', 'w->a'] }), [
        'SORT',
        'l',
        'BY',
        'nosort',
        'GET',
        '#',
        'GET',
        'w->a',
      ]),
    ).toEqual(['3', null, '1', null, '2', null])
    const dumped = typed.dump('l')
    expect(dumped).toEqual(raw.callBuffer('DUMP', 'l'))
    expect(typed.dump('none')).toBe(null)
    expect(typed.restore('copy', 0, dumped!)).toBe('OK')
    expect(typed.lrange('copy', 0, -1)).toEqual(['3', '1', '2'])
    throws(() => typed.restore('copy', 0, dumped!), 'BUSYKEY Target key name already exists.')
    expect(typed.restore('copy', 0, dumped!, { replace: true, idletime: 10 })).toBe('OK')
    expect(same(typed.move('s', 1), ['MOVE', 's', 1])).toBe(1)
    expect(same(typed.swapdb(0, 1), ['SWAPDB', 0, 1])).toBe('OK')
    expect(typed.get('s')).toBe('v')
    expect(same(typed.del('s'), ['DEL', 's'])).toBe(1)
    expect(same(typed.exists('l'), ['EXISTS', 'l'])).toBe(0)
  })

  test('connection and server', () => {
    expect(same(typed.ping(), ['PING'])).toBe('PONG')
    expect(same(typed.ping('hi'), ['PING', 'hi'])).toBe('hi')
    expect(same(typed.echo('hello'), ['ECHO', 'hello'])).toBe('hello')
    expect(typed.info('server')).toMatch(/^# Server\r\n/)
    expect(typed.info()).toContain('# Keyspace')
    expect(typed.configGet('maxmemory-p*')).toEqual(
      Object.fromEntries(pairs(raw.call<string[]>('CONFIG', 'GET', 'maxmemory-p*'))),
    )
    expect(typed.configSet('maxmemory-samples', 7)).toBe('OK')
    expect(typed.configSet({ 'maxmemory-samples': 9, 'lazyfree-lazy-eviction': 'yes' })).toBe('OK')
    expect(typed.configGet('maxmemory-samples')).toEqual({ 'maxmemory-samples': '9' })
    expect(typed.configResetstat()).toBe('OK')
    throws(() => typed.configRewrite(), 'ERR The server is running without a config file')
    const [seconds, micros] = typed.time()
    expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(5)
    expect(micros).toBeLessThan(1_000_000)
    expect(typeof typed.lastsave()).toBe('number')
    given(['SET', 'k', 'v'])
    expect(same(typed.memoryUsage('k'), ['MEMORY', 'USAGE', 'k'])).toBeGreaterThan(0)
    expect(typed.memoryUsage('none', { samples: 0 })).toBe(null)
    typed.configSet('slowlog-log-slower-than', 0)
    typed.get('k')
    expect(typed.slowlogLen()).toBeGreaterThan(0)
    expect(typed.slowlogGet(1)).toMatchObject([{ args: ['SLOWLOG', 'LEN'] }])
    expect(typed.slowlogGet(-1).map((entry) => entry.args[0])).toContain('GET')
    expect(typed.slowlogReset()).toBe('OK')
    expect(typed.slowlogLen()).toBeLessThanOrEqual(1)
    expect(typeof typed.bgrewriteaof()).toBe('string')
  })

  test('pub/sub introspection', () => {
    const heard: string[] = []
    typed.subscribe('news', (message) => heard.push(message))
    typed.ssubscribe('shard', () => {})
    typed.psubscribe('n*', () => {})
    expect(typed.publish('news', 'hi')).toBe(2)
    expect(typed.spublish('shard', 'x')).toBe(1)
    expect(heard).toEqual(['hi'])
    expect(typed.pubsubChannels()).toEqual(['news'])
    expect(typed.pubsubChannels('z*')).toEqual([])
    expect(typed.pubsubNumsub('news', 'none')).toEqual({ news: 1, none: 0 })
    expect(typed.pubsubNumpat()).toBe(1)
    expect(typed.pubsubShardchannels()).toEqual(['shard'])
    expect(typed.pubsubShardchannels('x*')).toEqual([])
    expect(typed.pubsubShardnumsub('shard')).toEqual({ shard: 1 })
  })

  test('streams', () => {
    given(['XADD', 's', '1-0', 'f', 'v'], ['XADD', 's', '2-0', 'f', 'w'], ['XGROUP', 'CREATE', 's', 'g', '0'])
    expect(same(typed.xgroupCreateconsumer('s', 'g', 'c'), ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'])).toBe(1)
    typed.xreadgroup('g', 'c', { s: '>' })
    expect(typed.xautoclaim('s', 'g', 'd', 0, '0', { count: 1 })).toEqual(['2-0', [['1-0', ['f', 'v']]], []])
    expect(typed.xautoclaim('s', 'g', 'd', 0, '0', { map: true })).toEqual([
      '0-0',
      [
        { id: '1-0', fields: { f: 'v' } },
        { id: '2-0', fields: { f: 'w' } },
      ],
      [],
    ])
    expect(same(typed.xgroupDelconsumer('s', 'g', 'c'), ['XGROUP', 'DELCONSUMER', 's', 'g', 'c'])).toBe(0)
    expect(
      same(typed.xgroupSetid('s', 'g', '0', { entriesRead: 0 }), ['XGROUP', 'SETID', 's', 'g', '0', 'ENTRIESREAD', 0]),
    ).toBe('OK')
    expect(typed.xinfoStream('s')).toMatchObject({ length: 2, 'last-generated-id': '2-0', groups: 1 })
    expect(typed.xinfoGroups('s')).toMatchObject([{ name: 'g', consumers: 1, pending: 2 }])
    expect(typed.xinfoConsumers('s', 'g')).toMatchObject([{ name: 'd', pending: 2 }])
    expect(
      same(typed.xsetid('s', '5-0', { entriesAdded: 9, maxDeletedId: '1-0' }), [
        'XSETID',
        's',
        '5-0',
        'ENTRIESADDED',
        9,
        'MAXDELETEDID',
        '1-0',
      ]),
    ).toBe('OK')
    expect(typed.xinfoStream('s')).toMatchObject({ 'last-generated-id': '5-0', 'entries-added': 9 })
  })

  test('scripting', () => {
    given(['SET', 'k', 'v'])
    expect(
      same(typed.evalRo("return redis.call('get', KEYS[1])", ['k']), [
        'EVAL_RO',
        "return redis.call('get', KEYS[1])",
        1,
        'k',
      ]),
    ).toBe('v')
    const sha = typed.scriptLoad('return ARGV[1]')
    expect(typed.evalshaRo(sha, [], ['x'])).toBe('x')
    expect(typed.scriptExists(sha, '0'.repeat(40))).toEqual([1, 0])
    expect(typed.scriptFlush('SYNC')).toBe('OK')
    expect(typed.scriptExists(sha)).toEqual([0])
    throws(() => typed.scriptKill(), 'NOTBUSY No scripts in execution right now.')
    const library =
      "#!lua name=lib\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}"
    expect(typed.functionLoad(library)).toBe('lib')
    expect(typed.fcallRo('ro', ['k'])).toBe('v')
    expect(typed.functionList()).toHaveLength(1)
    expect(typed.functionList({ libraryName: 'none*' })).toEqual([])
    expect(typed.functionList({ withCode: true })[0]).toContain(library)
    expect(typed.functionStats()[0]).toBe('running_script')
    const dumped = typed.functionDump()
    expect(typed.functionDelete('lib')).toBe('OK')
    expect(typed.functionRestore(dumped)).toBe('OK')
    expect(typed.functionRestore(dumped, 'REPLACE')).toBe('OK')
    throws(() => typed.functionKill(), 'NOTBUSY No scripts in execution right now.')
    expect(typed.functionFlush('SYNC')).toBe('OK')
    expect(typed.functionList()).toEqual([])
  })
})

function pairs(flat: string[]): [string, string][] {
  const result: [string, string][] = []
  for (let i = 0; i < flat.length; i += 2) result.push([flat[i]!, flat[i + 1]!])
  return result
}
