// Scenarios for redwing/ioredis, written against ioredis's API: `ioredis.spec.ts` runs each
// once through real ioredis against a redwing server and once through redwing/ioredis
// in-process, and requires the same results. Each scenario gets a fresh, empty keyspace and a
// way to make clients on it, and returns what it observed; errors are reduced to their class
// name and message (the two libraries' error objects differ in their stacks only).

/** A client of either library, driven through ioredis's API (untyped: the scenarios pass
 * arguments ioredis's typings reject on purpose, such as nested arrays and callbacks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Client = any

export interface ScenarioContext {
  /** A client on the scenario's keyspace (disconnected at the end of the scenario). */
  client(options?: { keyPrefix?: string; db?: number; lazyConnect?: boolean; enableOfflineQueue?: boolean }): Client
  /** The library's `Command` class (its transformer registry). */
  Command: Client
}

export type Scenario = (context: ScenarioContext) => Promise<unknown>

/** Errors (also inside arrays and objects) as `{ error, message }`, comparable across clients. */
export function plain(value: unknown): unknown {
  if (value instanceof Error) return { error: value.name, message: value.message }
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]))
  }
  return value
}

/** The rejection of `promise`, or its result when it does not reject. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { resolved: await promise }
  } catch (error) {
    return plain(error)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once `count` items arrived in `items`, or after a few seconds. */
async function arrived(items: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 3000
  while (items.length < count && Date.now() < deadline) await sleep(5)
}

async function collect(stream: NodeJS.ReadableStream): Promise<unknown[]> {
  const items: unknown[] = []
  for await (const batch of stream) items.push(...(batch as unknown as unknown[]))
  return items
}

/** Alternating names and values as sorted `[name, value]` pairs (HSCAN/ZSCAN order varies). */
function sortedPairs(flat: unknown[]): unknown[] {
  const pairs: [string, unknown][] = []
  for (let i = 0; i < flat.length; i += 2) pairs.push([String(flat[i]), flat[i + 1]])
  return pairs.sort((a, b) => a[0].localeCompare(b[0]))
}

export const scenarios: Record<string, Scenario> = {
  async strings({ client }) {
    const redis = client()
    return [
      await redis.set('name', 'redwing'),
      await redis.get('name'),
      await redis.get('missing'),
      await redis.set('name', 'other', 'NX'),
      await redis.set('count', 10, 'EX', 100),
      await redis.incr('count'),
      await redis.incrby('count', 5),
      await redis.decr('count'),
      await redis.incrbyfloat('count', 1.5),
      await redis.append('name', '!'),
      await redis.strlen('name'),
      await redis.getrange('name', 0, 2),
      await redis.setrange('name', 0, 'R'),
      await redis.mset({ a: 1, b: 'two' }),
      await redis.mset('c', 3, 'd', 4),
      await redis.mset(new Map([['e', '5']])),
      await redis.mget('a', 'b', 'missing', 'e'),
      await redis.mget(['c', 'd']),
      await redis.msetnx({ a: 'x', z: 'y' }),
      await redis.getset('a', 'new'),
      await redis.getdel('b'),
      await redis.exists('a', 'b', 'c'),
      await redis.del('a', 'c'),
      await redis.type('name'),
      await failure(redis.incr('name')),
      await failure(redis.get('a', 'b' as never)),
      await redis.set('empty', ''),
      await redis.get('empty'),
      await redis.set('big', '9007199254740990'),
      await redis.incrby('big', 5),
      await redis.eval('return {9007199254740993, {-9007199254740993}}', 0),
      await redis.set('nothing', null as never),
      await redis.get('nothing'),
    ]
  },

  async hashes({ client }) {
    const redis = client()
    return [
      await redis.hset('user', { name: 'ada', born: 1815 }),
      await redis.hset('user', new Map([['lang', 'en']])),
      await redis.hset('user', 'field', 'value', 'other', 'x'),
      await redis.hmset('user', { title: 'countess' }),
      await redis.hget('user', 'name'),
      await redis.hgetall('user'),
      await redis.hgetall('missing'),
      await redis.hmget('user', 'name', 'nope'),
      await redis.hincrby('user', 'born', 1),
      await redis.hincrbyfloat('user', 'score', 2.5),
      await redis.hexists('user', 'name'),
      await redis.hdel('user', 'field', 'other'),
      await redis.hlen('user'),
      (await redis.hkeys('user')).sort(),
      (await redis.hvals('user')).sort(),
      await redis.hsetnx('user', 'name', 'no'),
      await redis.hstrlen('user', 'name'),
      await failure(redis.hset('user', 'odd')),
      // Wide hashes, read repeatedly (made from a cached shape after the first reads).
      await redis.hset('wide', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, `v${i}`]))),
      await redis.hgetall('wide'),
      await redis.hgetall('wide'),
      await redis.hset('wide', 'f3', 'changed', '10', 'numeric name'),
      await redis.hgetall('wide'),
      await redis.hgetall('wide'),
      await redis.hset('proto', { ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i])) }),
      await redis.hset('proto', '__proto__', 'a field', 'constructor', 'another'),
      await redis.hgetall('proto'),
      await redis.hgetall('proto').then((object: object) => Object.getPrototypeOf(object) === Object.prototype),
      await redis.hgetall('proto'),
      await failure(redis.hget('missing-type', 'x').then(() => redis.lpush('user', 'x'))),
    ]
  },

  async lists({ client }) {
    const redis = client()
    return [
      await redis.rpush('list', 'a', 'b', 'c'),
      await redis.lpush('list', ['z', 'y']),
      await redis.lrange('list', 0, -1),
      await redis.llen('list'),
      await redis.lindex('list', 1),
      await redis.lset('list', 0, 'Y'),
      await redis.linsert('list', 'BEFORE', 'a', 'before-a'),
      await redis.lrem('list', 1, 'b'),
      await redis.lpop('list'),
      await redis.rpop('list', 2),
      await redis.lpos('list', 'a'),
      await redis.ltrim('list', 0, 0),
      await redis.lrange('list', 0, -1),
      await redis.rpush('other', '1', '2'),
      await redis.lmove('other', 'list', 'LEFT', 'RIGHT'),
      await redis.rpoplpush('other', 'list'),
      await redis.lrange('list', 0, -1),
      await redis.lpop('missing'),
      await redis.rpush('text', ...Array.from({ length: 20 }, (_, i) => (i % 7 ? `ascii ${i}` : `é ${i} 日本`))),
      await redis.lrange('text', 0, -1),
      await redis.rpush('ascii', ...Array.from({ length: 20 }, (_, i) => `item-${i}`)),
      await redis.lrange('ascii', 0, -1),
      await redis.lmpop(2, 'missing', 'list', 'RIGHT', 'COUNT', 2),
      await failure(redis.lset('missing', 0, 'x')),
    ]
  },

  async sets({ client }) {
    const redis = client()
    return [
      await redis.sadd('s', 'a', 'b', 'c'),
      await redis.sadd('s', ['c', 'd']),
      (await redis.smembers('s')).sort(),
      await redis.sismember('s', 'a'),
      await redis.smismember('s', 'a', 'x'),
      await redis.scard('s'),
      await redis.srem('s', 'a', 'x'),
      await redis.sadd('t', 'c', 'd', 'e'),
      (await redis.sinter('s', 't')).sort(),
      (await redis.sunion('s', 't')).sort(),
      (await redis.sdiff('s', 't')).sort(),
      await redis.sinterstore('st', 's', 't'),
      await redis.sintercard(2, 's', 't'),
      await redis.smove('s', 't', 'b'),
      (await redis.smembers('t')).sort(),
      (await redis.spop('t', 10)).sort(),
      await redis.smembers('missing'),
    ]
  },

  async 'sorted sets'({ client }) {
    const redis = client()
    return [
      await redis.zadd('z', 1, 'one', 2, 'two', 3, 'three'),
      await redis.zadd('z', 'NX', 10, 'one', 4, 'four'),
      await redis.zadd('z', 'XX', 'CH', 1.5, 'one'),
      await redis.zrange('z', 0, -1),
      await redis.zrange('z', 0, -1, 'WITHSCORES'),
      await redis.zrevrange('z', 0, 1, 'WITHSCORES'),
      await redis.zrangebyscore('z', '(1.5', '+inf', 'LIMIT', 0, 2),
      await redis.zrange('z', 2, 3, 'BYSCORE'),
      await redis.zscore('z', 'two'),
      await redis.zmscore('z', 'two', 'none'),
      await redis.zincrby('z', 2.5, 'two'),
      await redis.zrank('z', 'two'),
      await redis.zrevrank('z', 'two'),
      await redis.zcount('z', 2, 4),
      await redis.zcard('z'),
      await redis.zrem('z', 'four', 'none'),
      await redis.zpopmin('z'),
      await redis.zpopmax('z', 2),
      await redis.zadd('a', 1, 'x', 2, 'y'),
      await redis.zadd('b', 10, 'y', 20, 'z'),
      await redis.zunionstore('u', 2, 'a', 'b', 'WEIGHTS', 1, 2),
      await redis.zrange('u', 0, -1, 'WITHSCORES'),
      await redis.zinter(2, 'a', 'b', 'WITHSCORES'),
      await redis.zrangebylex('b', '-', '+'),
      await failure(redis.zadd('z', 'nan', 'x')),
    ]
  },

  async expiry({ client }) {
    const redis = client()
    const results = [
      await redis.set('short', 'v', 'PX', 50),
      await redis.set('long', 'v', 'EX', 100),
      await redis.expire('long', 200),
      await redis.ttl('long'),
      await redis.pttl('long').then((ms: number) => ms > 199_000 && ms <= 200_000),
      await redis.persist('long'),
      await redis.ttl('long'),
      await redis.ttl('missing'),
      await redis.pexpire('long', 60_000, 'GT'),
      await redis.expireat('long', Math.floor(Date.now() / 1000) + 1000),
      await redis.ttl('long').then((s: number) => s > 990 && s <= 1000),
    ]
    await sleep(120)
    results.push(await redis.get('short'), await redis.exists('short'))
    return results
  },

  async streams({ client }) {
    const redis = client()
    return [
      await redis.xadd('s', '1-0', 'f', 'v1'),
      await redis.xadd('s', '2-0', 'f', 'v2', 'g', 'w'),
      await redis.xrange('s', '-', '+'),
      await redis.xrevrange('s', '+', '-', 'COUNT', 1),
      await redis.xlen('s'),
      await redis.xgroup('CREATE', 's', 'group', '0'),
      await redis.xreadgroup('GROUP', 'group', 'consumer', 'COUNT', 1, 'STREAMS', 's', '>'),
      await redis.xread('STREAMS', 's', '1-0'),
      await redis.xack('s', 'group', '1-0'),
      await redis.xdel('s', '1-0'),
      await redis.xtrim('s', 'MAXLEN', 0),
    ]
  },

  async 'Buffer variants return status replies as Buffers too'({ client }) {
    const redis = client()
    const replies = [
      await redis.setBuffer('a', 'b'),
      await redis.pingBuffer(),
      await redis.typeBuffer('a'),
      await redis.callBuffer('SET', 'x', '1'),
      await redis.set('y', '2'),
      plain(await redis.pipeline().setBuffer('c', 'd').set('e', 'f').exec()),
      plain(await redis.multi().setBuffer('g', 'h').typeBuffer('g').exec()),
    ]
    return [replies, replies.slice(0, 5).map((reply) => Buffer.isBuffer(reply))]
  },

  async 'options, and what enableOfflineQueue: false refuses'({ client }) {
    const redis = client()
    const offline = client({ lazyConnect: true, enableOfflineQueue: false })
    return [
      [redis.options.lazyConnect, redis.options.enableOfflineQueue, redis.options.keyPrefix],
      offline.status,
      await failure(offline.get('k')),
      offline.status,
      await client().quitBuffer(),
    ]
  },

  async pipelines({ client }) {
    const redis = client()
    const callbacks: unknown[] = []
    const pipeline = redis
      .pipeline()
      .set('a', '1')
      .incr('a')
      .get('a', (error: Error | null, value: unknown) => callbacks.push([error, value]))
    const length = pipeline.length
    return [
      length,
      plain(await pipeline.lpush('a', 'x').hset('h', { f: 'v' }).hgetall('h').getBuffer('a').exec()),
      callbacks,
      plain(
        await redis
          .pipeline([
            ['set', 'b', '2'],
            ['incrby', 'b', 3],
            ['mget', ['a', 'b']],
          ] as never)
          .exec(),
      ),
      await redis.pipeline().exec(),
      await new Promise((resolve) =>
        redis
          .pipeline()
          .ping()
          .echo('hi')
          .exec((error: Error | null, results: unknown) => resolve([error, results])),
      ),
    ]
  },

  async transactions({ client }) {
    const redis = client()
    const other = client()
    const results: unknown[] = [
      plain(await redis.multi().set('a', '1').incr('a').hset('h', 'f', 'v').hgetall('h').getBuffer('a').exec()),
      plain(await redis.multi().set('a', '1').lpush('a', 'x').get('a').exec()),
      plain(await failure(redis.multi().set('a', '2').incr().get('a').exec())),
      plain(
        await redis
          .multi()
          .set('a', '2')
          .incr()
          .exec()
          .catch((error: Error & { previousErrors?: Error[] }) => error.previousErrors),
      ),
      await redis.get('a'),
      plain(
        await redis
          .multi([
            ['set', 'm', 'x'],
            ['get', 'm'],
          ] as never)
          .exec(),
      ),
      await redis.multi().exec(),
    ]
    // WATCH: a key changed by another client makes EXEC do nothing.
    await redis.watch('w')
    await other.set('w', 'changed')
    results.push(await redis.multi().set('w', 'mine').exec(), await redis.get('w'))
    // MULTI sent at once: each command answers QUEUED, then EXEC runs them.
    results.push(
      await redis.multi({ pipeline: false }),
      await redis.set('q', 'v'),
      await redis.incr('q'),
      plain(await redis.exec()),
    )
    return results
  },

  async 'defined commands'({ client }) {
    const redis = client()
    redis.defineCommand('getset2', {
      numberOfKeys: 2,
      lua: "redis.call('set', KEYS[1], ARGV[1]); return {redis.call('get', KEYS[2]), KEYS[1], ARGV[1]}",
    })
    redis.defineCommand('countkeys', { lua: 'return #KEYS' })
    redis.defineCommand('fails', { numberOfKeys: 0, lua: "return redis.error_reply('ERR custom failure')" })
    const commands = redis
    await redis.set('other', 'o')
    return [
      await commands.getset2('mine', 'other', 'value'),
      await commands.getset2Buffer('mine', 'other', 'value'),
      await commands.countkeys(3, 'a', 'b', 'c', 'arg'),
      await failure(commands.fails()),
      await redis.script('FLUSH'),
      await commands.getset2('mine', 'other', 'again'),
      plain(await redis.pipeline().getset2('p', 'other', 'x').exec()),
      plain(await redis.multi().getset2('m', 'other', 'y').get('m').exec()),
      await new Promise((resolve) =>
        commands.getset2('c', 'other', 'z', (error: unknown, value: unknown) => resolve([error, value])),
      ),
    ]
  },

  async 'scan streams'({ client }) {
    const redis = client()
    const pipeline = redis.pipeline()
    for (let i = 0; i < 150; i++) pipeline.set(`key:${i}`, i)
    for (let i = 0; i < 20; i++) pipeline.rpush(`list:${i}`, i)
    for (let i = 0; i < 130; i++) pipeline.sadd('set', `m${i}`).hset('hash', `f${i}`, i).zadd('zset', i, `z${i}`)
    await pipeline.exec()
    const keys = (await collect(redis.scanStream({ match: 'key:*', count: 20 }))).sort()
    const lists = (await collect(redis.scanStream({ type: 'list' }))).sort()
    const buffers = await collect(redis.scanBufferStream({ match: 'key:1?' }))
    return [
      keys.length,
      keys.slice(0, 5),
      lists.length,
      buffers.every(Buffer.isBuffer),
      buffers.map(String).sort(),
      (await collect(redis.sscanStream('set', { match: 'm1*' }))).sort(),
      sortedPairs(await collect(redis.hscanStream('hash', { count: 7 }))).length,
      sortedPairs(await collect(redis.hscanStream('hash', { match: 'f12*' }))),
      sortedPairs(await collect(redis.zscanStream('zset', { match: 'z1?' }))),
    ]
  },

  async 'pub/sub'({ client }) {
    const subscriber = client()
    const publisher = client()
    const events: unknown[] = []
    subscriber.on('message', (channel: string, message: string) => events.push(['message', channel, message]))
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      events.push(['messageBuffer', channel, message]),
    )
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) =>
      events.push(['pmessage', pattern, channel, message]),
    )
    subscriber.on('pmessageBuffer', (pattern: string, channel: Buffer, message: Buffer) =>
      events.push(['pmessageBuffer', pattern, channel, message]),
    )
    subscriber.on('smessage', (channel: string, message: string) => events.push(['smessage', channel, message]))
    const results: unknown[] = [
      await subscriber.subscribe('news', 'sport'),
      await subscriber.psubscribe('n*'),
      await subscriber.ssubscribe('shard'),
      await failure(subscriber.get('x')),
      await subscriber.ping(),
      await publisher.publish('news', 'hello'),
      await publisher.publish('nothing', 'x'),
      await publisher.spublish('shard', 'sharded'),
    ]
    await arrived(events, 7)
    results.push(events.splice(0))
    results.push(await subscriber.unsubscribe('news'), await publisher.publish('news', 'again'))
    await arrived(events, 2)
    results.push(events.splice(0))
    results.push(
      // ioredis resolves an UNSUBSCRIBE-like command without arguments once the count is 0 only.
      await subscriber.punsubscribe('n*'),
      await subscriber.sunsubscribe(),
      await subscriber.unsubscribe(),
      await subscriber.set('back', 'normal'),
      await publisher.publish('sport', 'nobody'),
    )
    return results
  },

  async 'key prefix'({ client }) {
    const prefixed = client({ keyPrefix: 'app:' })
    const plainClient = client()
    prefixed.defineCommand('both', { numberOfKeys: 2, lua: 'return KEYS' })
    return [
      await prefixed.set('a', '1'),
      await prefixed.mset({ b: '2', c: '3' }),
      await prefixed.mget('a', 'b', 'c'),
      await prefixed.hset('h', { f: 'v' }),
      await prefixed.rpush('list', '3', '1', '2'),
      await prefixed.set('weight_1', '3'),
      await prefixed.set('weight_2', '1'),
      await prefixed.set('weight_3', '2'),
      await prefixed.sort('list', 'BY', 'weight_*', 'STORE', 'sorted'),
      await prefixed.zadd('z1', 1, 'x'),
      await prefixed.zunionstore('zu', 1, 'z1'),
      await prefixed.eval('return KEYS', 2, 'k1', 'k2'),
      await prefixed.both('x', 'y'),
      await prefixed.xadd('stream', '1-0', 'f', 'v'),
      // ioredis prefixes no key of a command with subcommands.
      await failure(prefixed.xgroup('CREATE', 'stream', 'g', '0')),
      await prefixed.xgroup('CREATE', 'app:stream', 'g', '0'),
      await prefixed.rename('a', 'renamed'),
      await prefixed.exists('renamed', 'a'),
      (await plainClient.keys('*')).sort(),
      await plainClient.get('app:renamed'),
      plain(await prefixed.pipeline().get('b').hgetall('h').exec()),
    ]
  },

  async 'Buffer variants'({ client }) {
    const redis = client()
    const binary = Buffer.from([0, 1, 2, 255, 254])
    return [
      await redis.set('bin', binary),
      await redis.getBuffer('bin'),
      (await redis.get('bin'))?.length,
      await redis.rpush('list', binary, 'text'),
      await redis.lrangeBuffer('list', 0, -1),
      await redis.hset('h', 'f', binary),
      await redis.hgetallBuffer('h'),
      await redis.hgetBuffer('h', 'f'),
      await redis.mgetBuffer('bin', 'missing'),
      await redis.sadd('set', binary),
      await redis.smembersBuffer('set'),
      await redis.zadd('z', 1, binary),
      await redis.zrangeBuffer('z', 0, -1, 'WITHSCORES'),
      await redis.callBuffer('GET', 'bin'),
      await redis.call('STRLEN', 'bin'),
    ]
  },

  async callbacks({ client }) {
    const redis = client()
    const call = (run: (callback: (error: Error | null, value?: unknown) => void) => unknown) =>
      new Promise((resolve) => run((error, value) => resolve([plain(error), value])))
    return [
      await call((cb) => redis.set('k', 'v', cb)),
      await call((cb) => redis.get('k', cb)),
      await call((cb) => redis.getBuffer('k', cb)),
      await call((cb) => redis.incr('k', cb)),
      await call((cb) => redis.hgetall('missing', cb)),
      await call((cb) => redis.mget(['k', 'x'], cb)),
      await call((cb) => redis.multi().get('k').exec(cb)),
    ]
  },

  async 'duplicate and databases'({ client }) {
    const redis = client()
    const copy = redis.duplicate()
    const db1 = client({ db: 1 })
    const results: unknown[] = [
      await redis.set('shared', 'yes'),
      await copy.get('shared'),
      await db1.get('shared'),
      await db1.set('shared', 'db1'),
      await redis.get('shared'),
      await redis.select(1),
      await redis.get('shared'),
      await redis.dbsize(),
      await copy.client('SETNAME', 'copy'),
      await copy.client('GETNAME'),
      await copy.config('GET', 'maxmemory-policy'),
    ]
    await copy.quit()
    return results
  },

  async 'blocking commands'({ client }) {
    const consumer = client()
    const producer = client()
    const started = Date.now()
    const timedOut = await consumer.blpop('empty', 0.1)
    const waited = Date.now() - started >= 90
    const popping = consumer.blpop('jobs', 'other', 0)
    const after = consumer.get('after')
    await sleep(30)
    await producer.set('after', 'set after the push')
    await producer.rpush('jobs', 'job-1', 'job-2')
    const moving = consumer.blmove('source', 'target', 'LEFT', 'RIGHT', 0)
    await sleep(20)
    await producer.lpush('source', 'moved')
    const reading = consumer.xread('BLOCK', 0, 'STREAMS', 'stream', '$')
    await sleep(20)
    await producer.xadd('stream', '5-0', 'field', 'value')
    return [
      timedOut,
      waited,
      await popping,
      await after,
      await moving,
      await reading,
      await consumer.lrange('jobs', 0, -1),
      await consumer.bzpopmin('none', 0.05),
      await producer.zadd('zset', 1, 'a'),
      await consumer.bzpopmin('zset', 1),
    ]
  },

  // ioredis's transformer registry is global to each library: what a scenario sets stays set for
  // the rest of the run, so it transforms commands no other scenario sends as it does, and is
  // turned into the identity at the end.
  async 'Command transformers'({ client, Command }) {
    const redis = client()
    Command.setArgumentTransformer('sinter', (args: unknown[]) => args.map((key) => `set:${String(key)}`))
    Command.setReplyTransformer('sinter', (members: string[]) => members.sort().join('+'))
    Command.setReplyTransformer('zrevrange', (reply: unknown[]) => ({ count: reply.length, reply }))
    try {
      await redis.sadd('set:a', 'x', 'y', 'z')
      await redis.sadd('set:b', 'y', 'z')
      await redis.zadd('ranked', 1, 'one', 2, 'two')
      return [
        await redis.sinter('a', 'b'),
        await redis.sinter(['a'], 'b'),
        await redis.zrevrange('ranked', 0, -1),
        await redis.zrevrangeBuffer('ranked', 0, 0),
        await redis.pipeline().sinter('a', 'b').zrevrange('ranked', 0, 0, 'WITHSCORES').exec(),
        await redis.multi().sinter('b', 'a').exec(),
      ]
    } finally {
      Command.setArgumentTransformer('sinter', (args: unknown[]) => args)
      Command.setReplyTransformer('sinter', (reply: unknown) => reply)
      Command.setReplyTransformer('zrevrange', (reply: unknown) => reply)
    }
  },

  async 'status and events'({ client }) {
    const events: Record<string, string[]> = { redis: [], lazy: [] }
    const redis = client()
    const lazy = client({ lazyConnect: true })
    for (const event of ['connecting', 'connect', 'ready', 'close', 'end']) {
      redis.on(event, () => events.redis!.push(event))
      lazy.on(event, () => events.lazy!.push(event))
    }
    const statuses: unknown[] = [redis.status, lazy.status]
    await new Promise((resolve) => redis.once('ready', resolve))
    statuses.push(redis.status, lazy.status)
    await lazy.connect()
    statuses.push(lazy.status, await lazy.ping())
    statuses.push(await redis.quit())
    await new Promise((resolve) => redis.once('end', resolve))
    statuses.push(redis.status)
    return [statuses, events]
  },
}
