// Pub/Sub, keyspace notifications and client-side caching through real clients: ioredis and
// node-redis (RESP2 and RESP3) subscribers receiving what another client publishes, keyspace
// events delivered to ioredis, a slow subscriber disconnected at its output buffer limit while
// a normal one keeps every message, and the embedded store's listeners, in-process and across
// the network. Every wait is bounded: messages are awaited with a deadline, never slept for.

import { connect as connectSocket, type Socket } from 'node:net'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'
import { connect as connectResp } from './helpers/resp-client.js'

const HOST = '127.0.0.1'
/** How long a message may take to arrive before a test fails. */
const MESSAGE_TIMEOUT_MS = 3000

let server: RunningRedwing

beforeAll(async () => {
  server = await startRedwing()
})

afterAll(() => server.close())

/** Collects values pushed by event listeners; `waitFor(n)` resolves once n have arrived. */
class Inbox<T> {
  readonly items: T[] = []
  #waiters: { count: number; resolve: () => void }[] = []

  push = (item: T): void => {
    this.items.push(item)
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.items.length < waiter.count) return true
      waiter.resolve()
      return false
    })
  }

  /** Resolves with the first `count` items once they are all there; rejects after `ms`. */
  async waitFor(count: number, ms = MESSAGE_TIMEOUT_MS): Promise<T[]> {
    if (this.items.length < count) {
      await within(
        new Promise<void>((resolve) => this.#waiters.push({ count, resolve })),
        ms,
        () => `${count} message(s), got ${this.items.length}: ${JSON.stringify(this.items).slice(0, 500)}`,
      )
    }
    return this.items.slice(0, count)
  }
}

/** `promise`, or a rejection naming what did not happen within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what()}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function ioredis(port = server.port): Redis {
  return new Redis({ port, host: HOST, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false })
}

/** Clean-ups (connections to close, settings to restore) run after each test even when it
 * fails, last registered first, so a setting is restored before its connection closes. */
const opened: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanUp of opened.splice(0).reverse()) {
    try {
      await cleanUp()
    } catch {
      // a connection the test already closed
    }
  }
})

async function openIoredis(port = server.port): Promise<Redis> {
  const client = ioredis(port)
  opened.push(() => client.disconnect())
  await client.connect()
  return client
}

describe('ioredis subscriber', () => {
  test('channels, patterns and shard channels, with the counts of each reply', async () => {
    const sub = await openIoredis()
    const pub = await openIoredis()
    const messages = new Inbox<[string, string]>()
    const pmessages = new Inbox<[string, string, string]>()
    const smessages = new Inbox<[string, string]>()
    sub.on('message', (channel: string, message: string) => messages.push([channel, message]))
    sub.on('pmessage', (pattern: string, channel: string, message: string) =>
      pmessages.push([pattern, channel, message]),
    )
    sub.on('smessage', (channel: string, message: string) => smessages.push([channel, message]))

    expect(await sub.subscribe('io:news', 'io:other')).toBe(2)
    expect(await sub.psubscribe('io:news.*')).toBe(3)
    expect(await sub.ssubscribe('io:shard')).toBe(1)
    expect(await pub.pubsub('NUMSUB', 'io:news', 'io:none')).toEqual(['io:news', 1, 'io:none', 0])
    expect(await pub.pubsub('NUMPAT')).toBe(1)
    expect(await pub.pubsub('SHARDNUMSUB', 'io:shard')).toEqual(['io:shard', 1])

    expect(await pub.publish('io:news', 'hello')).toBe(1)
    expect(await pub.publish('io:news.tech', 'via pattern')).toBe(1)
    expect(await pub.publish('io:unrelated', 'nobody')).toBe(0)
    expect(await pub.publish('io:other', 'second channel')).toBe(1)
    expect(await pub.spublish('io:shard', 'sharded')).toBe(1)

    expect(await messages.waitFor(2)).toEqual([
      ['io:news', 'hello'],
      ['io:other', 'second channel'],
    ])
    expect(await pmessages.waitFor(1)).toEqual([['io:news.*', 'io:news.tech', 'via pattern']])
    expect(await smessages.waitFor(1)).toEqual([['io:shard', 'sharded']])

    // Unsubscribing: the publisher's receiver count drops, nothing more arrives.
    expect(await sub.unsubscribe('io:news')).toBe(2)
    expect(await sub.punsubscribe('io:news.*')).toBe(1)
    expect(await pub.publish('io:news', 'gone')).toBe(0)
    expect(await pub.publish('io:news.tech', 'gone')).toBe(0)
    expect(await pub.publish('io:other', 'still here')).toBe(1)
    expect(await messages.waitFor(3)).toContainEqual(['io:other', 'still here'])
    expect(messages.items).toHaveLength(3)
    expect(pmessages.items).toHaveLength(1)
  })

  test('binary messages arrive byte for byte', async () => {
    const sub = await openIoredis()
    const pub = await openIoredis()
    const received = new Inbox<[Buffer, Buffer]>()
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => received.push([channel, message]))
    await sub.subscribe('io:bin')
    const payload = Buffer.from([0, 255, 13, 10, 36, 42, 128, 0])
    const big = Buffer.alloc(200_000, 'x')
    expect(await pub.publish('io:bin', payload)).toBe(1)
    expect(await pub.publish('io:bin', big)).toBe(1)
    const [first, second] = await received.waitFor(2)
    expect(first).toEqual([Buffer.from('io:bin'), payload])
    expect(second![1].equals(big)).toBe(true)
  })

  test('a subscribed RESP2 connection answers PING with a pong array', async () => {
    const sub = await openIoredis()
    await sub.subscribe('io:mode')
    expect(await sub.ping()).toEqual(['pong', ''])
    await sub.unsubscribe()
    expect(await sub.ping()).toBe('PONG')
  })
})

describe('node-redis subscriber', () => {
  for (const RESP of [2, 3] as const) {
    test(`RESP${RESP}: subscribe, pSubscribe and sSubscribe on a duplicate() connection`, async () => {
      const client = createClient({ socket: { port: server.port, host: HOST }, RESP })
      opened.push(() => client.destroy())
      await client.connect()
      const sub = client.duplicate()
      opened.push(() => sub.destroy())
      await sub.connect()

      const channel = `nr${RESP}:ch`
      const messages = new Inbox<[string, string]>()
      const pmessages = new Inbox<[string, string]>()
      const smessages = new Inbox<[string, string]>()
      await sub.subscribe(channel, (message, from) => messages.push([message, from]))
      await sub.pSubscribe(`nr${RESP}:p.*`, (message, from) => pmessages.push([message, from]))
      await sub.sSubscribe(`nr${RESP}:shard`, (message, from) => smessages.push([message, from]))

      expect(await client.pubSubNumSub(channel)).toEqual({ [channel]: 1 })
      expect(await client.pubSubNumPat()).toBe(1)
      expect(await client.publish(channel, 'one')).toBe(1)
      expect(await client.publish(channel, 'two')).toBe(1)
      expect(await client.publish(`nr${RESP}:p.x`, 'pattern')).toBe(1)
      expect(await client.sPublish(`nr${RESP}:shard`, 'shard')).toBe(1)

      expect(await messages.waitFor(2)).toEqual([
        ['one', channel],
        ['two', channel],
      ])
      expect(await pmessages.waitFor(1)).toEqual([['pattern', `nr${RESP}:p.x`]])
      expect(await smessages.waitFor(1)).toEqual([['shard', `nr${RESP}:shard`]])

      if (RESP === 3) {
        // RESP3 allows every command on a subscribed connection; pushes and replies interleave.
        expect(await sub.set(`nr3:k`, 'v')).toBe('OK')
        expect(await client.publish(channel, 'three')).toBe(1)
        expect(await sub.get(`nr3:k`)).toBe('v')
        expect((await messages.waitFor(3))[2]).toEqual(['three', channel])
      }

      await sub.unsubscribe(channel)
      await sub.pUnsubscribe()
      await sub.sUnsubscribe()
      expect(await client.pubSubNumSub(channel)).toEqual({ [channel]: 0 })
      expect(await client.publish(channel, 'after')).toBe(0)
      expect(await client.pubSubNumPat()).toBe(0)
    })
  }

  test('RESP3 client-side caching: emitInvalidate and clientSideCache see another client write', async () => {
    const writer = createClient({ socket: { port: server.port, host: HOST } })
    opened.push(() => writer.destroy())
    await writer.connect()

    const tracked = createClient({ socket: { port: server.port, host: HOST }, RESP: 3, emitInvalidate: true })
    opened.push(() => tracked.destroy())
    const invalidated = new Inbox<string | null>()
    tracked.on('invalidate', (key: Buffer | null) => invalidated.push(key === null ? null : key.toString()))
    await tracked.connect()
    await writer.hSet('csc:h', 'f', 'v1')
    expect(await tracked.hGet('csc:h', 'f')).toBe('v1')
    await writer.hSet('csc:h', 'f', 'v2')
    expect(await invalidated.waitFor(1)).toEqual(['csc:h'])
    await writer.flushAll()
    expect(await invalidated.waitFor(2)).toEqual(['csc:h', null])

    const cached = createClient({
      socket: { port: server.port, host: HOST },
      RESP: 3,
      clientSideCache: { ttl: 0, maxEntries: 0 },
    })
    opened.push(() => cached.destroy())
    await cached.connect()
    await writer.hSet('csc:h2', 'f', 'first')
    expect(await cached.hGet('csc:h2', 'f')).toBe('first')
    expect(await cached.hGet('csc:h2', 'f')).toBe('first')
    await writer.hSet('csc:h2', 'f', 'second')
    // The invalidation push reaches the cache asynchronously: poll until the fresh value shows.
    const deadline = Date.now() + MESSAGE_TIMEOUT_MS
    let value = await cached.hGet('csc:h2', 'f')
    while (value !== 'second' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      value = await cached.hGet('csc:h2', 'f')
    }
    expect(value).toBe('second')
  })
})

describe('client-side caching with raw connections', () => {
  // The differential corpus cannot compare these: they carry a connection id.
  test('a redirection to a client that left is reported broken, with its id', async () => {
    const tracked = await connectResp(server.port)
    opened.push(() => tracked.close())
    const target = await connectResp(server.port)
    const writer = await connectResp(server.port)
    opened.push(() => writer.close())
    const id = /^:(\d+)\r\n$/.exec((await target.command('CLIENT', 'ID')).toString())?.[1]
    expect(id).toBeDefined()
    expect((await tracked.command('HELLO', '3')).toString()).toContain('proto')
    expect((await tracked.command('CLIENT', 'TRACKING', 'on', 'REDIRECT', id!)).toString()).toBe('+OK\r\n')
    expect((await tracked.command('CLIENT', 'GETREDIR')).toString()).toBe(`:${id}\r\n`)
    await tracked.command('HGET', 'csc:gone', 'f')
    await target.close()
    // The server notices the close on its own schedule: wait until the target is gone.
    const deadline = Date.now() + MESSAGE_TIMEOUT_MS
    while ((await writer.command('CLIENT', 'LIST')).toString().includes(`id=${id} `) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect((await writer.command('HSET', 'csc:gone', 'f', 'v')).toString()).toBe(':1\r\n')
    expect((await tracked.readReply(MESSAGE_TIMEOUT_MS)).toString()).toBe(
      `>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`,
    )
    const info = (await tracked.command('CLIENT', 'TRACKINGINFO')).toString()
    expect(info).toContain('$15\r\nbroken_redirect\r\n')
    expect(info).toContain(`$8\r\nredirect\r\n:${id}\r\n`)
    expect((await tracked.command('CLIENT', 'GETREDIR')).toString()).toBe(`:${id}\r\n`)
  })

  test('a RESP2 client redirecting to itself while subscribed to __redis__:invalidate', async () => {
    const client = await connectResp(server.port)
    opened.push(() => client.close())
    const writer = await connectResp(server.port)
    opened.push(() => writer.close())
    const id = /^:(\d+)\r\n$/.exec((await client.command('CLIENT', 'ID')).toString())?.[1]
    expect((await client.command('CLIENT', 'TRACKING', 'on', 'REDIRECT', id!)).toString()).toBe('+OK\r\n')
    await client.command('HGET', 'csc:self', 'f')
    expect((await client.command('SUBSCRIBE', '__redis__:invalidate')).toString()).toContain(':1\r\n')
    await writer.command('HSET', 'csc:self', 'f', 'v')
    expect((await client.readReply(MESSAGE_TIMEOUT_MS)).toString()).toBe(
      '*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$8\r\ncsc:self\r\n',
    )
  })
})

describe('keyspace notifications to ioredis', () => {
  /** Subscribes to every keyspace and keyevent channel with `classes` enabled. */
  async function watchKeyspace(classes: string): Promise<{ client: Redis; events: Inbox<[string, string]> }> {
    const client = await openIoredis()
    opened.push(() => client.config('SET', 'notify-keyspace-events', '').catch(() => undefined))
    const watcher = await openIoredis()
    const events = new Inbox<[string, string]>()
    watcher.on('pmessage', (_pattern: string, channel: string, message: string) => events.push([channel, message]))
    await watcher.psubscribe('__key*__:*')
    expect(await client.config('SET', 'notify-keyspace-events', classes)).toBe('OK')
    return { client, events }
  }

  test('hash, set and generic events on both channels, keyspace first', async () => {
    const { client, events } = await watchKeyspace('KEA')
    await client.hset('ks:h', 'f', 'v')
    await client.sadd('ks:s', 'a')
    await client.expire('ks:h', 100)
    await client.rename('ks:h', 'ks:h2')
    await client.del('ks:h2', 'ks:s')
    expect(await events.waitFor(14)).toEqual([
      ['__keyspace@0__:ks:h', 'hset'],
      ['__keyevent@0__:hset', 'ks:h'],
      ['__keyspace@0__:ks:s', 'sadd'],
      ['__keyevent@0__:sadd', 'ks:s'],
      ['__keyspace@0__:ks:h', 'expire'],
      ['__keyevent@0__:expire', 'ks:h'],
      ['__keyspace@0__:ks:h', 'rename_from'],
      ['__keyevent@0__:rename_from', 'ks:h'],
      ['__keyspace@0__:ks:h2', 'rename_to'],
      ['__keyevent@0__:rename_to', 'ks:h2'],
      ['__keyspace@0__:ks:h2', 'del'],
      ['__keyevent@0__:del', 'ks:h2'],
      ['__keyspace@0__:ks:s', 'del'],
      ['__keyevent@0__:del', 'ks:s'],
    ])
  })

  test('expired, new and keymiss events', async () => {
    const { client, events } = await watchKeyspace('Exnmh')
    await client.hset('ks:short', 'f', 'v')
    await client.pexpire('ks:short', 20)
    // Whether active expiry or this lookup deletes it, "expired" comes before the miss.
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(await client.hget('ks:short', 'f')).toBe(null)
    expect(await events.waitFor(4)).toEqual([
      ['__keyevent@0__:new', 'ks:short'],
      ['__keyevent@0__:hset', 'ks:short'],
      ['__keyevent@0__:expired', 'ks:short'],
      ['__keyevent@0__:keymiss', 'ks:short'],
    ])
  })

  // String, list and sorted-set commands: their events are still being added to redwing.
  test('string, list and sorted-set events', async () => {
    const { client, events } = await watchKeyspace('E$lz')
    await client.set('ks:str', 'v')
    await client.incr('ks:n')
    await client.rpush('ks:l', 'a', 'b')
    await client.lpop('ks:l')
    await client.zadd('ks:z', 1, 'm')
    await client.zincrby('ks:z', 1, 'm')
    expect(await events.waitFor(6)).toEqual([
      ['__keyevent@0__:set', 'ks:str'],
      ['__keyevent@0__:incrby', 'ks:n'],
      ['__keyevent@0__:rpush', 'ks:l'],
      ['__keyevent@0__:lpop', 'ks:l'],
      ['__keyevent@0__:zadd', 'ks:z'],
      ['__keyevent@0__:zincr', 'ks:z'],
    ])
    await client.del('ks:str', 'ks:n', 'ks:l', 'ks:z')
  })
})

describe('a slow subscriber', () => {
  /** A raw connection that subscribes to `channel` under `name`, then stops reading. */
  async function stalledSubscriber(name: string, channel: string, resp: 2 | 3): Promise<Socket> {
    const socket = connectSocket({ port: server.port, host: HOST })
    opened.push(() => void socket.destroy())
    await within(
      new Promise<void>((resolve, reject) => {
        let received = ''
        socket.once('error', reject)
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1')
          if (received.endsWith(`$${channel.length}\r\n${channel}\r\n:1\r\n`)) resolve()
        })
        socket.write(`${resp === 3 ? 'HELLO 3\r\n' : ''}CLIENT SETNAME ${name}\r\nSUBSCRIBE ${channel}\r\n`)
      }),
      MESSAGE_TIMEOUT_MS,
      () => `${name} to subscribe`,
    )
    socket.removeAllListeners('data')
    socket.pause()
    return socket
  }

  // The pubsub class of limits applies to a subscribed client whatever its protocol.
  test.each([2, 3] as const)(
    'RESP%i: is disconnected at its pubsub output buffer limit; a reading subscriber gets every message',
    async (resp) => {
      const pub = await openIoredis()
      const [, defaultLimit] = (await pub.config('GET', 'client-output-buffer-limit')) as [string, string]
      opened.push(() => pub.config('SET', 'client-output-buffer-limit', defaultLimit).catch(() => undefined))
      expect(await pub.config('SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0')).toBe('OK')

      const channel = 'slow:big'
      const reader = await openIoredis()
      const received = new Inbox<number>()
      reader.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
        const header = message.subarray(0, message.indexOf(':')).toString()
        received.push(Number(header))
      })
      await reader.subscribe(channel)

      const slow = await stalledSubscriber('slowsub', channel, resp)
      let slowClosed = false
      slow.on('close', () => (slowClosed = true))
      const clientList = async (): Promise<string> => (await pub.client('LIST')) as string
      expect(await clientList()).toMatch(/name=slowsub .*sub=1/)
      expect(await pub.pubsub('NUMSUB', channel)).toEqual([channel, 2])

      // Publish 128 KiB messages in batches of four, letting the reader catch up after each batch
      // (so only the stalled one falls behind), until the server drops the stalled subscriber.
      const filler = Buffer.alloc(128 * 1024, 'p')
      const message = (i: number): Buffer => Buffer.concat([Buffer.from(`${i}:`), filler])
      const MAX_MESSAGES = 512 // 64 MiB: far more than socket buffers plus the 1 MiB limit
      let published = 0
      let dropped = false
      while (!dropped && published < MAX_MESSAGES) {
        for (let i = 0; i < 4; i++) {
          const receivers = await pub.publish(channel, message(published++))
          expect([1, 2]).toContain(receivers)
        }
        await received.waitFor(published)
        dropped = !(await clientList()).includes('name=slowsub')
      }
      expect(dropped, `slowsub still connected after ${published} messages of 128 KiB`).toBe(true)

      // The server carries on: one subscriber left, who keeps getting every message in order.
      expect(await pub.ping()).toBe('PONG')
      expect(await pub.pubsub('NUMSUB', channel)).toEqual([channel, 1])
      for (let i = 0; i < 8; i++) expect(await pub.publish(channel, message(published++))).toBe(1)
      expect(await received.waitFor(published)).toEqual(Array.from({ length: published }, (_, i) => i))
      expect(await clientList()).not.toContain('name=slowsub')

      // The stalled socket was closed by the server: it sees the end once it reads again.
      slow.resume()
      await within(
        new Promise<void>((resolve) => (slowClosed ? resolve() : slow.once('close', () => resolve()))),
        5000,
        () => 'the slow subscriber socket to close',
      )
      expect(await pub.set('slow:after', 'ok')).toBe('OK')
    },
    60_000,
  )
})

describe('embedded store', () => {
  let db: Redwing | undefined
  afterEach(async () => {
    await db?.close()
    db = undefined
  })

  test('subscribe, psubscribe and publish in process', () => {
    db = new Redwing()
    const messages: [string, string][] = []
    const other: string[] = []
    const patterns: [string, string, string][] = []
    const listener = (message: string, channel: string): void => void messages.push([message, channel])
    db.subscribe('ch', listener)
    db.subscribe('ch', (message) => void other.push(message))
    db.psubscribe('c*', (message, channel, pattern) => void patterns.push([message, channel, pattern]))

    // One session holds the listeners: one channel and one pattern subscription.
    expect(db.publish('ch', 'hello')).toBe(2)
    expect(db.publish('cx', 'pattern only')).toBe(1)
    expect(db.publish('nothing', 'lost')).toBe(0)
    expect(messages).toEqual([['hello', 'ch']])
    expect(other).toEqual(['hello'])
    expect(patterns).toEqual([
      ['hello', 'ch', 'c*'],
      ['pattern only', 'cx', 'c*'],
    ])
    expect(db.call('PUBSUB', 'NUMSUB', 'ch')).toEqual(['ch', 1])

    // Removing one listener keeps the subscription; removing the last one ends it.
    db.unsubscribe('ch', listener)
    expect(db.publish('ch', 'again')).toBe(2)
    expect(messages).toHaveLength(1)
    expect(other).toEqual(['hello', 'again'])
    db.unsubscribe('ch')
    db.punsubscribe('c*')
    expect(db.publish('ch', 'gone')).toBe(0)
    expect(db.call('PUBSUB', 'NUMPAT')).toBe(0)

    const shard: string[] = []
    db.ssubscribe('sh', (message, channel) => void shard.push(`${channel}=${message}`))
    expect(db.spublish('sh', 'x')).toBe(1)
    expect(shard).toEqual(['sh=x'])
    db.sunsubscribe('sh')
    expect(db.spublish('sh', 'y')).toBe(0)
  })

  test('keyspace events reach a psubscribe listener', () => {
    db = new Redwing()
    expect(db.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')).toBe('OK')
    const events: [string, string, string][] = []
    db.psubscribe('__keyevent@0__:*', (message, channel, pattern) => void events.push([message, channel, pattern]))
    db.call('HSET', 'h', 'f', 'v')
    db.call('SADD', 's', 'm')
    db.expire('h', 100)
    db.del('h', 's')
    expect(events).toEqual([
      ['h', '__keyevent@0__:hset', '__keyevent@0__:*'],
      ['s', '__keyevent@0__:sadd', '__keyevent@0__:*'],
      ['h', '__keyevent@0__:expire', '__keyevent@0__:*'],
      ['h', '__keyevent@0__:del', '__keyevent@0__:*'],
      ['s', '__keyevent@0__:del', '__keyevent@0__:*'],
    ])
  })

  test('a listener may call the store, publishing in turn', () => {
    db = new Redwing()
    const seen: string[] = []
    db.subscribe('ping', (message) => {
      seen.push(`ping ${message}`)
      expect(db!.publish('pong', `re: ${message}`)).toBe(1)
      db!.call('HSET', 'replies', message, '1')
    })
    db.subscribe('pong', (message) => void seen.push(`pong ${message}`))
    expect(db.publish('ping', 'one')).toBe(1)
    expect(db.publish('ping', 'two')).toBe(1)
    expect(seen).toEqual(['ping one', 'pong re: one', 'ping two', 'pong re: two'])
    expect(db.call('HLEN', 'replies')).toBe(2)
  })

  test("an expired event from the store's own active expiry, without listen()", async () => {
    db = new Redwing()
    db.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ex')
    const expired = new Inbox<string>()
    db.psubscribe('__keyevent@0__:expired', (message) => expired.push(message))
    db.call('HSET', 'soon', 'f', 'v')
    db.pexpire('soon', 10)
    // Nothing reads the key: only the periodic tick can delete it and publish the event.
    expect(await expired.waitFor(1)).toEqual(['soon'])
    expect(db.exists('soon')).toBe(0)
  })

  test('keyspace events of string commands reach a psubscribe listener', () => {
    db = new Redwing()
    db.call('CONFIG', 'SET', 'notify-keyspace-events', 'E$g')
    const events: string[] = []
    db.psubscribe('__keyevent@0__:*', (message, channel) => void events.push(`${channel} ${message}`))
    db.set('k', 'v')
    db.incr('n')
    db.del('k', 'n')
    expect(events).toEqual([
      '__keyevent@0__:set k',
      '__keyevent@0__:incrby n',
      '__keyevent@0__:del k',
      '__keyevent@0__:del n',
    ])
  })

  test('messages cross between in-process listeners and network clients', async () => {
    db = new Redwing()
    const port = await db.listen({ port: 0, host: HOST })

    // network -> in process
    const fromNetwork = new Inbox<[string, string]>()
    db.subscribe('to-embedded', (message, channel) => fromNetwork.push([message, channel]))
    const pub = await openIoredis(port)
    expect(await pub.publish('to-embedded', 'over the wire')).toBe(1)
    expect(await fromNetwork.waitFor(1)).toEqual([['over the wire', 'to-embedded']])

    // in process -> network
    const sub = await openIoredis(port)
    const fromStore = new Inbox<[string, string]>()
    sub.on('message', (channel: string, message: string) => fromStore.push([channel, message]))
    await sub.subscribe('to-network')
    expect(db.publish('to-network', 'from the store')).toBe(1)
    expect(await fromStore.waitFor(1)).toEqual([['to-network', 'from the store']])

    // both at once: a network subscriber and an in-process listener on one channel
    const both = new Inbox<string>()
    db.subscribe('to-network', (message) => both.push(message))
    expect(await pub.publish('to-network', 'everyone')).toBe(2)
    expect(await both.waitFor(1)).toEqual(['everyone'])
    expect((await fromStore.waitFor(2))[1]).toEqual(['to-network', 'everyone'])

    // keyspace events of network writes reach the in-process pattern listener
    db.call('CONFIG', 'SET', 'notify-keyspace-events', 'Eh')
    const events = new Inbox<string>()
    db.psubscribe('__keyevent@0__:*', (message, channel) => events.push(`${channel} ${message}`))
    await pub.hset('net:h', 'f', 'v')
    expect(await events.waitFor(1)).toEqual(['__keyevent@0__:hset net:h'])
  })
})
