// redwing/ioredis, ioredis's API in-process: every scenario of `helpers/ioredis-scenarios.ts`
// runs through real ioredis against a redwing server and through redwing/ioredis, and must
// give the same results. Then what only the in-process client has: ioredis-mock's shared
// keyspaces and `data` seeding (checked against ioredis-mock itself), the `store` option, and
// the generated methods.

import { Redis as IORedis } from 'ioredis'
import IORedisMock from 'ioredis-mock'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'
import Redis, { ReplyError } from '../ts/ioredis/index.js'
import { plain, scenarios, type Client, type ScenarioContext } from './helpers/ioredis-scenarios.js'
import { freePort } from './helpers/ports.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'

let server: RunningRedwing
let admin: IORedis

beforeAll(async () => {
  server = await startRedwing()
  admin = new IORedis({ host: '127.0.0.1', port: server.port })
})

afterAll(async () => {
  admin.disconnect()
  await server.close()
})

/** Runs a scenario with clients made by `make`, disconnecting them afterwards. */
async function run(
  scenario: (context: ScenarioContext) => Promise<unknown>,
  make: ScenarioContext['client'],
  Command: ScenarioContext['Command'],
) {
  const clients: Client[] = []
  try {
    return plain(
      await scenario({
        Command,
        client(options) {
          const client = make(options)
          clients.push(client)
          return client
        },
      }),
    )
  } finally {
    for (const client of clients) client.disconnect()
  }
}

describe('the same results through ioredis and redwing/ioredis', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    test(name, async () => {
      await admin.flushall()
      const overNetwork = await run(
        scenario,
        (options) => new IORedis({ host: '127.0.0.1', port: server.port, ...options }),
        IORedis.Command,
      )
      const store = new Redwing()
      const inProcess = await run(scenario, (options) => new Redis({ store, ...options }), Redis.Command)
      await store.close()
      expect(inProcess).toEqual(overNetwork)
    })
  }
})

describe("ioredis-mock's conventions", () => {
  const data = {
    text: 'value',
    number: '42',
    bytes: Buffer.from('raw'),
    hash: { field: 'v', other: '2' },
    list: ['a', 'b', 'c'],
    set: new Set(['x', 'y']),
  }

  /** What a client sees of `data`, read the same way from either library. */
  async function readSeed(redis: IORedis) {
    return [
      await redis.get('text'),
      await redis.get('number'),
      await redis.get('bytes'),
      await redis.hgetall('hash'),
      await redis.lrange('list', 0, -1),
      (await redis.smembers('set')).sort(),
      (await redis.keys('*')).sort(),
    ]
  }

  test('data seeds keys as ioredis-mock seeds them', async () => {
    const mock = new IORedisMock({ port: 7001, data })
    const embedded = new Redis({ port: 7001, data }) as unknown as IORedis
    expect(await readSeed(embedded)).toEqual(await readSeed(mock as unknown as IORedis))
    mock.disconnect()
    embedded.disconnect()
  })

  test('a key given null or undefined is absent, as GET reads it in ioredis-mock', async () => {
    const seed = { text: 'value', empty: null, unset: undefined }
    const mock = new IORedisMock({ port: 7008, data: seed })
    const embedded = new Redis({ port: 7008, data: seed })
    for (const key of ['text', 'empty']) expect(await embedded.get(key)).toEqual(await mock.get(key))
    expect(await embedded.get('unset')).toBeNull()
    expect(await embedded.exists('empty', 'unset')).toBe(0)
    mock.disconnect()
    embedded.disconnect()
  })

  test('a Map seeds a sorted set, and keyPrefix applies to seeded keys', async () => {
    const redis = new Redis({
      port: 7002,
      keyPrefix: 'p:',
      data: {
        ranks: new Map([
          ['low', 1],
          ['high', 10],
        ]),
      },
    })
    const unprefixed = new Redis({ port: 7002 })
    expect(await redis.zrange('ranks', 0, -1, 'WITHSCORES')).toEqual(['low', '1', 'high', '10'])
    expect(await unprefixed.keys('*')).toEqual(['p:ranks'])
    redis.disconnect()
    unprefixed.disconnect()
  })

  test("a Map of ioredis-mock's { score, value } records seeds a sorted set as ioredis-mock seeds it", async () => {
    const ranks = {
      ranks: new Map([
        ['low', { score: 1, value: 'low' }],
        ['high', { score: 10, value: 'high' }],
        ['mid', { score: '5', value: 'mid' }],
      ]),
    }
    const mock = new IORedisMock({ port: 7006, data: ranks })
    const embedded = new Redis({ port: 7006, data: ranks })
    const read = (redis: { zrangebyscore(...args: unknown[]): Promise<string[]> }) =>
      redis.zrangebyscore('ranks', 0, '+inf', 'WITHSCORES')
    expect(await read(embedded)).toEqual(['low', '1', 'mid', '5', 'high', '10'])
    expect(await read(embedded)).toEqual(await read(mock as never))
    mock.disconnect()
    embedded.disconnect()
  })

  test('clients of the same host and port share a keyspace; others do not', async () => {
    const first = new Redis({ port: 7003 })
    const second = new Redis('redis://localhost:7003')
    const elsewhere = new Redis(7004)
    const otherDb = new Redis({ port: 7003, db: 2 })
    await first.set('shared', 'yes')
    expect([await second.get('shared'), await elsewhere.get('shared'), await otherDb.get('shared')]).toEqual([
      'yes',
      null,
      null,
    ])
    expect(await first.duplicate().get('shared')).toBe('yes')
    await second.flushall()
    expect(await first.get('shared')).toBe(null)
    for (const client of [first, second, elsewhere, otherDb]) client.disconnect()
  })

  test('a URL names the store as ioredis parses it: redis://host:port, //host:port, host:port', async () => {
    const clients = [
      new Redis({ port: 7007 }),
      new Redis('redis://localhost:7007'),
      new Redis('//localhost:7007'),
      new Redis('localhost:7007'),
      new Redis('//localhost:7008'),
    ]
    await clients[0]!.set('k', 'shared')
    expect(await Promise.all(clients.map((client) => client.get('k')))).toEqual([
      'shared',
      'shared',
      'shared',
      'shared',
      null,
    ])
    expect(clients.map((client) => [client.options.host, client.options.port])).toEqual([
      ['localhost', 7007],
      ['localhost', 7007],
      ['localhost', 7007],
      ['localhost', 7007],
      ['localhost', 7008],
    ])
    for (const client of clients) client.disconnect()
  })

  test('notifyKeyspaceEvents sets the keyspace events, as in ioredis-mock', async () => {
    /** The notifications a subscriber gets of a SET and a DEL through a client made with `events`. */
    async function notifications(make: (events: string) => IORedis, events: string): Promise<string[]> {
      const redis = make(events)
      const subscriber = redis.duplicate()
      const received: string[] = []
      subscriber.on('message', (channel: string, message: string) => received.push(`${channel} ${message}`))
      await subscriber.subscribe('__keyspace@0__:key', '__keyevent@0__:del')
      await redis.set('key', 'value')
      await redis.del('key')
      await new Promise((resolve) => setTimeout(resolve, 50))
      redis.disconnect()
      subscriber.disconnect()
      return received
    }
    for (const [port, events] of [
      [7011, 'gK'],
      [7012, 'gE'],
      [7013, ''],
    ] as const) {
      const embedded = await notifications(
        (notifyKeyspaceEvents) => new Redis({ port, notifyKeyspaceEvents }) as unknown as IORedis,
        events,
      )
      const mock = await notifications(
        (notifyKeyspaceEvents) => new IORedisMock({ port, notifyKeyspaceEvents } as never) as unknown as IORedis,
        events,
      )
      expect(embedded).toEqual(mock)
    }
    expect(
      await notifications((events) => new Redis({ port: 7014, notifyKeyspaceEvents: events }) as never, 'gK'),
    ).toEqual(['__keyspace@0__:key del'])
  })

  test('duplicate() does not write data again', async () => {
    const redis = new Redis({ port: 7005, data: { key: 'seeded' } })
    await redis.set('key', 'changed')
    expect(await redis.duplicate().get('key')).toBe('changed')
    redis.disconnect()
  })
})

describe('the in-process client', () => {
  test('works on a given store, alongside its own calls', async () => {
    const store = new Redwing()
    const redis = new Redis({ store })
    store.set('from-store', 'a')
    expect(await redis.get('from-store')).toBe('a')
    await redis.hset('h', { f: 'v' })
    expect(store.call('HGET', 'h', 'f')).toBe('v')
    redis.disconnect()
    await store.close()
  })

  test('has a method and a Buffer method for every command of the table, subcommands as arguments', async () => {
    const redis = new Redis({ store: new Redwing() })
    const methods = redis as unknown as Record<string, unknown>
    for (const name of ['xautoclaim', 'georadius_ro', 'pfmerge', 'object', 'memory', 'latency', 'function']) {
      expect(typeof methods[name]).toBe('function')
      expect(typeof methods[`${name}Buffer`]).toBe('function')
    }
    expect(redis.getBuiltinCommands()).toContain('xautoclaim')
    expect(String(await redis.client('LIST'))).toContain('cmd=client|list')
    expect(await redis.object('ENCODING', 'missing')).toBe(null)
    redis.disconnect()
  })

  test('options: scripts, connectionName, lazyConnect until the first command', async () => {
    const store = new Redwing()
    const redis = new Redis({
      store,
      lazyConnect: true,
      connectionName: 'worker',
      scripts: { double: { numberOfKeys: 1, lua: "return redis.call('incrby', KEYS[1], ARGV[1]) * 2" } },
    })
    expect(redis.status).toBe('wait')
    expect(await (redis.double as (...args: unknown[]) => Promise<unknown>)('n', 5)).toBe(10)
    expect(redis.status).toBe('connecting')
    expect(await redis.client('GETNAME')).toBe('worker')
    await new Promise((resolve) => redis.once('ready', resolve))
    expect(redis.status).toBe('ready')
    redis.disconnect()
  })

  test('errors are ReplyErrors naming their command', async () => {
    const redis = new Redis({ store: new Redwing() })
    await redis.set('text', 'x')
    const error = await redis.lpush('text', 'item').catch((error: unknown) => error)
    expect(error).toBeInstanceOf(ReplyError)
    expect(error).toMatchObject({
      message: 'WRONGTYPE Operation against a key holding the wrong kind of value',
      command: { name: 'lpush', args: ['text', 'item'] },
    })
    redis.disconnect()
  })

  test('commands after quit() are refused, as ioredis refuses them', async () => {
    const redis = new Redis({ store: new Redwing() })
    expect(await redis.quit()).toBe('OK')
    expect(redis.status).toBe('end')
    await expect(redis.get('x')).rejects.toThrow('Connection is closed.')
  })

  test('PING sent behind a waiting command answers after it', async () => {
    const store = new Redwing()
    const [redis, other] = [new Redis({ store }), new Redis({ store })]
    const popped = redis.blpop('queue', 0)
    const pong = redis.ping()
    await other.rpush('queue', 'job')
    expect(await popped).toEqual(['queue', 'job'])
    expect(await pong).toBe('PONG')
    redis.disconnect()
    other.disconnect()
  })

  test('a command waiting when the client disconnects is rejected', async () => {
    const redis = new Redis({ store: new Redwing() })
    const waiting = redis.blpop('never', 0)
    redis.disconnect()
    await expect(waiting).rejects.toThrow('Connection is closed.')
  })
})

// Redis.Cluster stands for a cluster whose one master serves every slot. The oracle is such a
// cluster: a real redis-server with `cluster-enabled yes` that was given all 16384 slots, driven
// by real ioredis's Cluster (and, for a transaction sent command by command, which ioredis's
// Cluster does not send, by a plain client of the node).
describe('Redis.Cluster against a one-node Redis Cluster', () => {
  let node: RunningRedis

  beforeAll(async () => {
    node = await startRedisServer(['--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1'])
    const admin = new IORedis({ host: '127.0.0.1', port: node.port })
    await admin.cluster('ADDSLOTSRANGE', 0, 16383)
    const deadline = Date.now() + 10_000
    while (!(await admin.cluster('INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('the one-node cluster did not come up')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    admin.disconnect()
  })

  afterAll(async () => {
    await node.close()
  })

  /** What a cluster client observes: the same keys and commands for both libraries. */
  async function observe(cluster: Client, direct: Client): Promise<unknown> {
    if (cluster.status !== 'ready') await new Promise((resolve) => cluster.once('ready', resolve))
    const attempt = async (promise: Promise<unknown>) => {
      try {
        return { resolved: await promise }
      } catch (error) {
        return plain(error)
      }
    }
    const seen: unknown[] = [cluster.isCluster]
    seen.push(await attempt(cluster.mset('{user}a', '1', '{user}b', '2')))
    seen.push(await attempt(cluster.mget('{user}a', '{user}b', '{user}c')))
    seen.push(await attempt(cluster.mget('a', 'b')))
    seen.push(await attempt(cluster.mset('x', '1', 'y', '2')))
    seen.push(await attempt(cluster.set('{}a', 'empty tag')))
    seen.push(await attempt(cluster.mget('{}a', '{}b')))
    seen.push(await attempt(cluster.pipeline().set('a', '1').set('b', '2').get('a').exec()))
    seen.push(await attempt(cluster.pipeline().set('a', 'piped').mget('a', 'b').exec()))
    seen.push(await attempt(cluster.multi().set('{t}a', '1').incr('{t}b').exec()))
    seen.push(await attempt(cluster.multi().set('a', 'multi').set('b', 'multi').exec()))
    seen.push(await attempt(cluster.multi().mget('a', 'b').exec()))
    seen.push(await attempt(cluster.get('a')))
    seen.push(await attempt(cluster.select(1)))
    seen.push(await attempt(cluster.select(0)))
    seen.push(await attempt(cluster.swapdb(0, 1)))
    seen.push(await attempt(cluster.move('a', 1)))
    seen.push(await attempt(cluster.copy('{t}a', '{t}c', 'DB', 1)))
    seen.push(await attempt(cluster.copy('{t}a', '{t}c', 'DB', 0)))
    seen.push(await attempt(cluster.eval("return redis.call('get', KEYS[1])", 1, '{user}a')))
    seen.push(await attempt(cluster.eval('return 1', 2, 'a', 'b')))
    // A transaction command by command: a refused command aborts it, and so do keys in two slots.
    const raw = async (commands: [string, ...unknown[]][]) => {
      const replies = []
      for (const [name, ...args] of commands) replies.push(await attempt(direct.call(name, ...args)))
      return replies
    }
    seen.push(await raw([['multi'], ['mget', 'a', 'b'], ['set', 'a', 'aborted'], ['exec']]))
    seen.push(await raw([['multi'], ['set', 'a', 'crossed'], ['set', 'b', 'crossed'], ['exec']]))
    seen.push(await raw([['multi'], ['set', '{t}a', 'same'], ['get', '{t}a'], ['exec']]))
    seen.push(await raw([['multi'], ['set', '{t}a', 'discarded'], ['discard'], ['get', '{t}a']]))
    seen.push(await attempt(cluster.get('a')))
    const masters = cluster.nodes('master')
    seen.push(masters.length, cluster.nodes('all').length, cluster.nodes('slave').length)
    seen.push((await masters[0].keys('*')).sort())
    try {
      cluster.nodes('replica')
    } catch (error) {
      seen.push(plain(error))
    }
    return seen
  }

  test('keys in one slot per command and per transaction, database 0 only, one master', async () => {
    const startup = [{ host: '127.0.0.1', port: node.port }]
    const oracle = new IORedis.Cluster(startup)
    const direct = new IORedis({ host: '127.0.0.1', port: node.port })
    const overNetwork = await observe(oracle, direct)
    oracle.disconnect()
    direct.disconnect()

    const store = new Redwing()
    const cluster = new Redis.Cluster(startup, { redisOptions: { store } })
    const inProcess = await observe(cluster, cluster)
    cluster.disconnect()
    await store.close()
    expect(inProcess).toEqual(overNetwork)
  })

  test("its keyspace is the first startup node's; options and duplicate() as ioredis's", async () => {
    const port = await freePort()
    const cluster = new Redis.Cluster([`127.0.0.1:${port}`, port + 1], { keyPrefix: 'app:' })
    const plainClient = new Redis({ host: '127.0.0.1', port })
    await cluster.set('k', 'v')
    expect(await plainClient.get('app:k')).toBe('v')
    const copy = cluster.duplicate()
    expect(copy).toBeInstanceOf(Redis.Cluster)
    expect(await copy.get('k')).toBe('v')
    const lazy = new Redis.Cluster([port], { lazyConnect: true })
    expect(lazy.status).toBe('wait')
    for (const client of [cluster, plainClient, copy, lazy]) client.disconnect()
  })
})
