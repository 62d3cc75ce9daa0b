// maxmemory and eviction, differentially: every step runs against a real redis-server (the
// oracle) and redwing under the same settings, and their replies must be byte-for-byte equal.
// Covered: the OOM refusals (writes, scripts with and without flags, functions, transactions
// queued before and after the limit, the commands still allowed), CONFIG GET/SET of the
// maxmemory parameters, OBJECT FREQ/IDLETIME under each policy, the `evicted` keyspace events
// an ioredis subscriber receives and the WATCHes evictions break, the INFO memory and stats
// field names, and a redis-server replica of an evicting redwing master ending with the
// master's dataset.
//
// Both servers run in the default `maxmemory 0` between tests; a test that sets a limit uses
// `maxmemory 1`, which no server can meet, so that what is evicted (every key the policy may
// take) and what is refused do not depend on how much memory either server uses per key.
// The one redwing server is also the replication test's master: redwing counts its memory per
// process, so a second one in this process would count the first one's keys too.

import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { field, text, until } from './helpers/replication.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, printable, type RespConnection } from './helpers/resp-client.js'
import { spawnRedwing, startRedwing, type RunningRedwing } from './helpers/server.js'

const SERVER_ARGS = ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0']
const POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
]
const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"
/** The parameters every test may change, with the values they are put back to. */
const DEFAULTS: [string, string][] = [
  ['maxmemory', '0'],
  ['maxmemory-policy', 'noeviction'],
  ['maxmemory-samples', '5'],
  ['maxmemory-eviction-tenacity', '10'],
  ['lfu-log-factor', '10'],
  ['lfu-decay-time', '1'],
  ['notify-keyspace-events', ''],
  ['lazyfree-lazy-eviction', 'no'],
]

/** One server under comparison, with the connections of the clients a test names. */
interface Side {
  name: string
  port: number
  clients: Map<string, RespConnection>
}

let oracle: RunningRedis
let subject: RunningRedwing
let sides: Side[] = []

beforeAll(async () => {
  oracle = await startRedisServer(SERVER_ARGS)
  subject = await startRedwing({ args: SERVER_ARGS })
  sides = [
    { name: 'redis-server', port: oracle.port, clients: new Map() },
    { name: 'redwing', port: subject.port, clients: new Map() },
  ]
}, 30_000)

afterAll(async () => {
  await closeClients()
  await Promise.all([oracle?.close(), subject?.close()])
})

/** Each test starts from empty servers with the default parameters. */
afterEach(async () => {
  for (const side of sides) {
    const c = await client(side, 'reset')
    for (const [name, value] of DEFAULTS) await c.command('CONFIG', 'SET', name, value)
    await c.command('FLUSHALL')
    await c.command('FUNCTION', 'FLUSH')
    await c.command('SCRIPT', 'FLUSH')
    await c.command('CONFIG', 'RESETSTAT')
  }
  await closeClients()
})

async function closeClients(): Promise<void> {
  for (const side of sides) {
    await Promise.all([...side.clients.values()].map((c) => c.close()))
    side.clients.clear()
  }
}

async function client(side: Side, name: string): Promise<RespConnection> {
  let c = side.clients.get(name)
  if (!c) {
    c = await connect(side.port)
    side.clients.set(name, c)
  }
  return c
}

/** Runs one command as client `name` on both servers; resolves with the two replies. */
async function both(name: string, ...args: string[]): Promise<[Buffer, Buffer]> {
  const [fromOracle, fromSubject] = await Promise.all(
    sides.map(async (side) => (await client(side, name)).command(...args)),
  )
  return [fromOracle!, fromSubject!]
}

/** Runs one command as client `name` on both servers, expects the same bytes from both, and
 * returns them as text. */
async function same(name: string, ...args: string[]): Promise<string> {
  const [fromOracle, fromSubject] = await both(name, ...args)
  const what = `${name}> ${args.map((arg) => JSON.stringify(arg)).join(' ')}`
  expect(printable(fromSubject), what).toBe(printable(fromOracle))
  return text(fromOracle)
}

/** Runs a command on both servers without comparing (setting a server up). */
async function onBoth(...args: string[]): Promise<void> {
  await both('setup', ...args)
}

/** Every key of the current database, sorted (KEYS lists them in each server's own order). */
async function keys(c: RespConnection): Promise<string[]> {
  const lines = text(await c.command('KEYS', '*')).split('\r\n')
  return lines.filter((_, i) => i > 0 && i % 2 === 0).sort()
}

/** The `NAME:value` field names of one INFO section. */
function infoFieldNames(reply: Buffer): string[] {
  return text(reply)
    .split('\r\n')
    .filter((line) => line.includes(':'))
    .map((line) => line.slice(0, line.indexOf(':')))
}

describe('refusals while used memory is over maxmemory', () => {
  test('writes are refused, reads and deletions are not', async () => {
    await onBoth('SET', 'k', 'v')
    await onBoth('LPUSH', 'list', 'a')
    await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
    for (const command of [
      ['SET', 'k', 'v2'],
      ['SET', 'new', 'v'],
      ['SETNX', 'new', 'v'],
      ['APPEND', 'k', 'x'],
      ['INCR', 'counter'],
      ['LPUSH', 'list', 'b'],
      ['RPUSH', 'other', 'b'],
      ['HSET', 'h', 'f', 'v'],
      ['SADD', 's', 'm'],
      ['ZADD', 'z', '1', 'm'],
      ['GET', 'k'],
      ['LRANGE', 'list', '0', '-1'],
      ['EXISTS', 'k', 'list'],
      ['LPOP', 'list'],
      ['DEL', 'k'],
      ['UNLINK', 'nothing'],
      ['EXPIRE', 'list', '100'],
      ['DBSIZE'],
      ['PING'],
    ]) {
      await same('a', ...command)
    }
    expect(await same('a', 'SET', 'k', 'v')).toBe(OOM)
  })

  test('every policy refuses writes once nothing it may evict is left', async () => {
    for (const policy of POLICIES) {
      await onBoth('FLUSHALL')
      await onBoth('SET', 'persistent', 'v')
      await same('a', 'CONFIG', 'SET', 'maxmemory-policy', policy)
      await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
      expect(await same('a', 'SET', 'k', 'v'), policy).toBe(OOM)
      await same('a', 'EXISTS', 'persistent')
      await same('a', 'GET', 'k')
      await same('a', 'CONFIG', 'SET', 'maxmemory', '0')
      await same('a', 'SET', 'k', 'v')
    }
  })

  test('transactions: queuing is refused, and EXEC of writes queued before the limit', async () => {
    await onBoth('SET', 'k', 'v')
    await same('a', 'MULTI')
    await same('a', 'SET', 'x', '1')
    await same('a', 'GET', 'k')
    await same('b', 'CONFIG', 'SET', 'maxmemory', '1')
    expect(await same('a', 'EXEC')).toContain('OOM')
    await same('a', 'EXEC')
    await same('a', 'DISCARD')
    // Reads queued before the limit still run.
    await same('b', 'CONFIG', 'SET', 'maxmemory', '0')
    await same('a', 'MULTI')
    await same('a', 'GET', 'k')
    await same('a', 'DEL', 'gone')
    await same('b', 'CONFIG', 'SET', 'maxmemory', '1')
    await same('a', 'EXEC')
    // Over the limit, nothing is queued at all, and the transaction is aborted.
    await same('a', 'MULTI')
    expect(await same('a', 'GET', 'k')).toBe(OOM)
    await same('a', 'SET', 'k', 'v2')
    await same('a', 'EXEC')
    await same('a', 'MULTI')
    await same('a', 'DISCARD')
    await same('a', 'GET', 'k')
    // The limit set inside a transaction: its later commands still run (EXEC's commands are
    // not checked again), and a script among them learns the state EXEC started in.
    await same('a', 'CONFIG', 'SET', 'maxmemory', '0')
    for (const policy of ['noeviction', 'allkeys-lru']) {
      await onBoth('FLUSHALL')
      await same('a', 'CONFIG', 'SET', 'maxmemory-policy', policy)
      await same('a', 'MULTI')
      await same('a', 'INCR', 'x')
      await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
      await same('a', 'INCR', 'x')
      await same('a', 'EVAL', "return redis.call('incr', KEYS[1])", '1', 'x')
      await same('a', 'EXEC')
      await same('a', 'INCR', 'x')
      await same('a', 'CONFIG', 'SET', 'maxmemory', '0')
    }
  })

  test('scripts: writes fail inside unflagged scripts; flags decide for the others', async () => {
    await onBoth('SET', 'k', 'v')
    await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
    const scripts = [
      // No shebang: the script runs, its first write that may grow memory fails.
      ["return redis.call('set', KEYS[1], 'v')", '1', 'k'],
      ["return redis.pcall('set', KEYS[1], 'v')", '1', 'k'],
      ["return redis.call('get', KEYS[1])", '1', 'k'],
      ["redis.call('del', KEYS[1]) return redis.call('set', KEYS[1], 'w')", '1', 'k'],
      ["return redis.call('incr', KEYS[1])", '1', 'n'],
      // A shebang: refused up front unless the script declares no-writes or allow-oom.
      ["#!lua\nreturn redis.call('get', KEYS[1])", '1', 'k'],
      ["#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'k'],
      ["#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'v')", '1', 'k'],
      ["#!lua flags=allow-oom\nreturn redis.call('set', KEYS[1], 'oom')", '1', 'k'],
      ["#!lua flags=allow-oom,no-writes\nreturn redis.call('get', KEYS[1])", '1', 'k'],
    ]
    for (const [source, ...rest] of scripts) {
      await same('a', 'EVAL', source!, ...rest)
      await same('a', 'EVAL_RO', source!, ...rest)
    }
    await same('a', 'GET', 'k')
    // EVALSHA of scripts loaded before the limit.
    await same('a', 'CONFIG', 'SET', 'maxmemory', '0')
    const writer = text((await both('a', 'SCRIPT', 'LOAD', "#!lua\nreturn redis.call('set', KEYS[1], 'x')"))[0])
    const allowed = text(
      (await both('a', 'SCRIPT', 'LOAD', "#!lua flags=allow-oom\nreturn redis.call('del', KEYS[1])"))[0],
    )
    await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
    await same('a', 'EVALSHA', writer.split('\r\n')[1]!, '1', 'k')
    await same('a', 'EVALSHA', allowed.split('\r\n')[1]!, '1', 'k')
    await same('a', 'SCRIPT', 'LOAD', 'return 1')
    await same('a', 'EXISTS', 'k')
  })

  test('functions: loading is refused; calls follow the function flags', async () => {
    const library = [
      '#!lua name=lib',
      "redis.register_function('w', function(keys) return redis.call('set', keys[1], 'v') end)",
      "redis.register_function{function_name='oom', callback=function(keys) return redis.call('set', keys[1], 'oom') end, flags={'allow-oom'}}",
      "redis.register_function{function_name='r', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
    ].join('\n')
    await same('a', 'FUNCTION', 'LOAD', library)
    await onBoth('SET', 'k', 'v')
    await same('a', 'CONFIG', 'SET', 'maxmemory', '1')
    await same('a', 'FCALL', 'w', '1', 'k')
    await same('a', 'FCALL', 'r', '1', 'k')
    await same('a', 'FCALL_RO', 'r', '1', 'k')
    await same('a', 'FCALL', 'oom', '1', 'k')
    await same('a', 'GET', 'k')
    await same('a', 'FUNCTION', 'LOAD', "#!lua name=other\nredis.register_function('f', function() return 1 end)")
    await same('a', 'FUNCTION', 'LOAD', 'REPLACE', library)
    await same('a', 'FUNCTION', 'DELETE', 'lib')
    await same('a', 'FUNCTION', 'FLUSH')
  })
})

test('CONFIG GET and SET of the maxmemory parameters', async () => {
  const values: [string, string[]][] = [
    ['maxmemory', ['100', '1kb', '1k', '1mb', '1gb', '1GB', '10gb', '-1', 'abc', '1.5mb', '18446744073709551615', '0']],
    ['maxmemory-policy', ['LRU', 'ALLKEYS-LRU', 'volatile-lfu', 'bogus', '', ...POLICIES]],
    ['maxmemory-samples', ['0', '1', '64', '65', '-1', '10000', '5']],
    ['maxmemory-eviction-tenacity', ['-1', '0', '100', '101', '10']],
    ['maxmemory-clients', ['1%', '100%', '101%', '1mb', '0']],
    ['lfu-log-factor', ['-1', '0', '2147483647', '2147483648', '10']],
    ['lfu-decay-time', ['-1', '0', '100', '1']],
    ['replica-ignore-maxmemory', ['no', 'maybe', 'yes']],
    ['lazyfree-lazy-eviction', ['yes', 'on', 'no']],
  ]
  for (const [name, tries] of values) {
    await same('a', 'CONFIG', 'GET', name)
    for (const value of tries) {
      await same('a', 'CONFIG', 'SET', name, value)
      await same('a', 'CONFIG', 'GET', name)
    }
  }
  await same('a', 'CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lfu', 'maxmemory-samples', '10')
  await same('a', 'CONFIG', 'SET', 'maxmemory', '20mb', 'maxmemory-policy', 'nonsense')
  // A failed multi-parameter SET changes none of them.
  for (const name of ['maxmemory', 'maxmemory-policy', 'maxmemory-samples']) await same('a', 'CONFIG', 'GET', name)
  // A pattern's pairs come in each server's own order: compared as sets of pairs.
  const [fromOracle, fromSubject] = await both('a', 'CONFIG', 'GET', 'maxmemory*')
  const pairs = (reply: Buffer) => {
    const lines = text(reply).split('\r\n').slice(1, -1)
    const items = lines.filter((_, i) => i % 2 === 1)
    const result: string[] = []
    for (let i = 0; i < items.length; i += 2) result.push(`${items[i]}=${items[i + 1]}`)
    return result.sort()
  }
  expect(pairs(fromSubject)).toEqual(pairs(fromOracle))
  expect(pairs(fromOracle)).toHaveLength(5)
})

test('OBJECT FREQ and IDLETIME under each policy', async () => {
  // No decay, so that a minute boundary cannot lower a counter between two steps.
  await same('a', 'CONFIG', 'SET', 'lfu-decay-time', '0')
  await onBoth('SET', 'source', 'value')
  const [payload] = await both('a', 'DUMP', 'source')
  const dump = payload.subarray(payload.indexOf('\r\n') + 2, payload.length - 2)
  for (const policy of POLICIES) {
    await onBoth('FLUSHALL')
    await same('a', 'CONFIG', 'SET', 'maxmemory-policy', policy)
    await same('a', 'SET', 'k', 'v')
    await same('a', 'OBJECT', 'FREQ', 'k')
    await same('a', 'OBJECT', 'FREQ', 'missing')
    await same('a', 'OBJECT', 'IDLETIME', 'missing')
    const [idleOracle, idleSubject] = await both('a', 'OBJECT', 'IDLETIME', 'k')
    expect(text(idleSubject)[0], policy).toBe(text(idleOracle)[0])
    if (text(idleOracle)[0] === '-') expect(printable(idleSubject)).toBe(printable(idleOracle))
    // RESTORE's FREQ and IDLETIME set what the policy keeps and are ignored otherwise. Below
    // LFU_INIT_VAL an access always increments the counter, so the counts are exact.
    const restored = await Promise.all(
      sides.map(async (side) => (await client(side, 'a')).command('RESTORE', 'f', '0', dump, 'FREQ', '0')),
    )
    expect(restored.map(text)).toEqual(['+OK\r\n', '+OK\r\n'])
    await same('a', 'OBJECT', 'FREQ', 'f')
    await same('a', 'GET', 'f')
    await same('a', 'OBJECT', 'FREQ', 'f')
    // An overwrite is an access too, and keeps the counter.
    await same('a', 'SET', 'f', 'other')
    await same('a', 'OBJECT', 'FREQ', 'f')
    await same('a', 'SET', 'f', 'again', 'NX')
    await same('a', 'OBJECT', 'FREQ', 'f')
    // A renamed or moved key keeps its counter; a copy starts afresh.
    await same('a', 'RENAME', 'f', 'g')
    await same('a', 'OBJECT', 'FREQ', 'g')
    await same('a', 'COPY', 'g', 'h')
    await same('a', 'OBJECT', 'FREQ', 'h')
    await same('a', 'MOVE', 'g', '1')
    await same('a', 'SELECT', '1')
    await same('a', 'OBJECT', 'FREQ', 'g')
    await same('a', 'SELECT', '0')
    const idle = await Promise.all(
      sides.map(async (side) => {
        const c = await client(side, 'a')
        await c.command('RESTORE', 'i', '0', dump, 'IDLETIME', '1000')
        return text(await c.command('OBJECT', 'IDLETIME', 'i'))
      }),
    )
    if (idle[0]!.startsWith(':')) {
      // The clock may tick between the two steps.
      for (const reply of idle) expect(['1000', '1001'], policy).toContain(reply.slice(1, -2))
    } else {
      expect(idle[1], policy).toBe(idle[0])
    }
  }
})

test('OBJECT REFCOUNT: small integers are shared unless an LRU or LFU policy limits memory', async () => {
  for (const maxmemory of ['0', '1gb']) {
    await same('a', 'CONFIG', 'SET', 'maxmemory', maxmemory)
    for (const policy of POLICIES) {
      await same('a', 'CONFIG', 'SET', 'maxmemory-policy', policy)
      await same('a', 'SET', 'small', '1')
      await same('a', 'OBJECT', 'REFCOUNT', 'small')
      await same('a', 'SET', 'large', '10000')
      await same('a', 'OBJECT', 'REFCOUNT', 'large')
    }
  }
})

describe('what evictions signal', () => {
  /** Twenty keys without and twenty with a time to live, a WATCH on one of each, a subscriber
   * to every keyspace event: then a limit of one byte and a write, which evicts every key the
   * policy may take and is refused. */
  test.each(POLICIES)('%s: evicted events, broken watches, the keys that remain', async (policy) => {
    const received: string[][] = []
    for (const side of sides) {
      const c = await client(side, 'a')
      await c.command('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')
      await c.command('CONFIG', 'SET', 'maxmemory-policy', policy)
      // No time limit: one command evicts everything, however loaded the machine is.
      await c.command('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '100')
      for (let i = 0; i < 20; i++) {
        await c.command('SET', `p:${i}`, `value ${i}`)
        await c.command('SET', `v:${i}`, `value ${i}`, 'EX', String(1000 + i))
      }
      const watcher = await client(side, 'watcher')
      expect(text(await watcher.command('WATCH', 'p:0', 'v:0'))).toBe('+OK\r\n')

      const messages: string[] = []
      const subscriber = new Redis({ port: side.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 })
      try {
        await subscriber.connect()
        const done = new Promise<void>((resolve) => {
          subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
            if (channel === 'end') resolve()
            else messages.push(`${channel} ${message}`)
          })
        })
        await subscriber.psubscribe('__key*__:*', 'end')
        expect(text(await c.command('CONFIG', 'SET', 'maxmemory', '1'))).toBe('+OK\r\n')
        expect(text(await c.command('SET', 'trigger', 'x'))).toBe(OOM)
        await c.command('CONFIG', 'SET', 'maxmemory', '0')
        await c.command('PUBLISH', 'end', '')
        await done
      } finally {
        subscriber.disconnect()
      }
      received.push(messages.sort())
      await watcher.command('MULTI')
      await watcher.command('PING')
    }
    const [fromOracle, fromSubject] = received
    expect(fromSubject).toEqual(fromOracle)
    const evicted = fromOracle!.filter((message) => message.startsWith('__keyevent@0__:evicted '))
    const expected = policy === 'noeviction' ? 0 : policy.startsWith('allkeys') ? 40 : 20
    expect(evicted).toHaveLength(expected)
    // The transaction watching an evicted key fails.
    await same('watcher', 'EXEC')
    await same('a', 'DBSIZE')
    const remaining = await Promise.all(sides.map(async (side) => keys(await client(side, 'a'))))
    expect(remaining[1]).toEqual(remaining[0])
    // Key counts per database (avg_ttl is Redis's running estimate, left from the evicted keys).
    const counts = (reply: Buffer) => text(reply).match(/db\d+:keys=\d+,expires=\d+/g)
    const [keyspaceOracle, keyspaceSubject] = await both('a', 'INFO', 'keyspace')
    expect(counts(keyspaceSubject)).toEqual(counts(keyspaceOracle))
    const evictedKeys = await Promise.all(
      sides.map(async (side) => field(await client(side, 'a'), 'stats', 'evicted_keys')),
    )
    expect(evictedKeys[1]).toBe(evictedKeys[0])
  })
})

test('invalidations sent to tracking clients do not make eviction run away', async () => {
  // Redis's "client tracking don't cause eviction feedback loop": ten RESP3 clients track 300
  // keys with long names, so every eviction sends each of them an invalidation of about a
  // kilobyte. A limit 40 KB below the memory in use takes a few dozen keys, not the whole
  // dataset. redwing runs as its own process here, writing to its sockets as a server does.
  const process = await spawnRedwing(['--save', ''])
  const separate: Side = { name: 'redwing (process)', port: process.port, clients: new Map() }
  try {
    for (const side of [sides[0]!, separate]) {
      const c = await client(side, 'a')
      await c.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru')
      await c.command('CONFIG', 'SET', 'maxmemory-eviction-tenacity', '100')
      const trackers: RespConnection[] = []
      for (let j = 0; j < 10; j++) {
        const tracker = await client(side, `tracker${j}`)
        await tracker.command('HELLO', '3')
        expect(text(await tracker.command('CLIENT', 'TRACKING', 'on'))).toBe('+OK\r\n')
        trackers.push(tracker)
      }
      for (let j = 0; j < 300; j++) {
        const key = `${j}${'x'.repeat(1000)}`
        await c.command('SET', key, 'x')
        for (const tracker of trackers) await tracker.command('GET', key)
      }
      const used = Number(await field(c, 'memory', 'used_memory'))
      const notCounted = Number(await field(c, 'memory', 'mem_not_counted_for_evict'))
      await c.command('CONFIG', 'SET', 'maxmemory', String(used - notCounted - 40_000))
      for (let j = 0; j < 5; j++) await c.command('PING')
      const evicted = Number(await field(c, 'stats', 'evicted_keys'))
      expect(evicted, side.name).toBeGreaterThanOrEqual(10)
      expect(evicted, side.name).toBeLessThanOrEqual(100)
      expect(Number(text(await c.command('DBSIZE')).slice(1, -2)), side.name).toBeGreaterThanOrEqual(200)
    }
  } finally {
    await Promise.all([...separate.clients.values()].map((c) => c.close()))
    process.child.kill()
    await process.exited
  }
})

test("large replies, once handed to Node's sockets, are not counted in redwing's used memory", async () => {
  // A reply larger than the socket buffer is handed to Node without a copy and freed by its
  // garbage collector, whenever that runs: counted, it would make used_memory (and eviction)
  // follow the collector. redwing runs as its own process, whose collector the test's own
  // allocations do not set off.
  const process = await spawnRedwing(['--save', ''])
  const c = await connect(process.port)
  try {
    await c.command('SET', 'big', 'x'.repeat(4_000_000))
    const before = Number(await field(c, 'memory', 'used_memory'))
    for (let i = 0; i < 5; i++) expect((await c.command('GET', 'big')).length).toBeGreaterThan(4_000_000)
    const after = Number(await field(c, 'memory', 'used_memory'))
    expect(after - before).toBeLessThan(2_000_000)
  } finally {
    await c.close()
    process.child.kill()
    await process.exited
  }
})

test('INFO memory and stats have the fields redis-server has', async () => {
  await same('a', 'CONFIG', 'SET', 'maxmemory', '100mb')
  for (const section of ['memory', 'stats']) {
    const [fromOracle, fromSubject] = await both('a', 'INFO', section)
    expect(infoFieldNames(fromSubject), section).toEqual(infoFieldNames(fromOracle))
  }
  const [fromOracle, fromSubject] = await both('a', 'MEMORY', 'STATS')
  const names = (reply: Buffer) =>
    text(reply)
      .split('\r\n')
      .filter((line) => /^[a-z][a-z.0-9-]*$/.test(line))
  expect(names(fromSubject)).toEqual(names(fromOracle))
})

test('a redis-server replica of an evicting redwing master ends with its dataset', async () => {
  const master = await client(sides[1]!, 'a')
  // A dataset of 4 MB, sent in the full resynchronisation.
  await master.command('DEBUG', 'POPULATE', '4000', 'synced', '1000')
  const beforeSync = Number(await field(master, 'memory', 'used_memory'))
  const replica = await startRedisServer(['--replicaof', '127.0.0.1', String(subject.port), ...SERVER_ARGS])
  const r = await connect(replica.port)
  try {
    await until('the replica to sync', async () => (await field(r, 'replication', 'master_link_status')) === 'up')
    // The file is sent: its buffer is released, not left counted in used_memory. What stays is
    // the backlog (1 MB).
    const backlog = Number(await field(master, 'memory', 'mem_replication_backlog'))
    expect(backlog).toBeLessThanOrEqual(1024 * 1024)
    expect(Number(await field(master, 'memory', 'used_memory'))).toBeLessThan(beforeSync + backlog + 500_000)
    await master.command('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru')
    const used = Number(await field(master, 'memory', 'used_memory'))
    await master.command('CONFIG', 'SET', 'maxmemory', String(used + 2_000_000))
    // About 10 MB of strings, lists and hashes in two databases, over the 4 MB loaded before:
    // most of it is evicted.
    for (let i = 0; i < 10_000; i++) {
      const db = String(i % 2)
      await master.command('SELECT', db)
      await master.command('SET', `s:${i}`, 'x'.repeat(500 + (i % 100)))
      if (i % 10 === 0) await master.command('RPUSH', `l:${i % 300}`, 'y'.repeat(300), String(i))
      if (i % 10 === 5) await master.command('HSET', `h:${i % 200}`, `f${i}`, 'z'.repeat(200))
    }
    await master.command('SELECT', '0')
    // Within the limit, and still holding about as many keys as fit in it (about 3000 of
    // 600 bytes): the replica's stream of DELs is not counted, so it cannot make eviction
    // run away.
    expect(Number(await field(master, 'memory', 'used_memory'))).toBeLessThan(used + 2_500_000)
    const kept = text(await master.command('INFO', 'keyspace')).matchAll(/keys=(\d+)/g)
    expect([...kept].reduce((sum, match) => sum + Number(match[1]), 0)).toBeGreaterThan(1500)
    // No more evictions while the datasets are compared.
    await master.command('CONFIG', 'SET', 'maxmemory', '0')
    const evicted = Number(await field(master, 'stats', 'evicted_keys'))
    expect(evicted).toBeGreaterThan(3000)
    const digest = text(await master.command('DEBUG', 'DIGEST'))
    await until('the replica to catch up', async () => text(await r.command('DEBUG', 'DIGEST')) === digest)
    expect(text(await r.command('DBSIZE'))).toBe(text(await master.command('DBSIZE')))
  } finally {
    await r.close()
    await replica.close()
  }
})
