// Memcached's text protocol: a differential test against Debian's memcached 1.6 (every session
// of `memcached/sessions.ts` replayed on both, replies compared byte for byte), the keyspace
// shared with RESP (redwing only: memcached has no RESP), the embedded store's
// `listen({ memcachedPort })`, and the pymemcache example run unchanged against redwing.
//
// The memcached binary (`/usr/bin/memcached`, or MEMCACHED_BIN) must be installed: without it
// the test fails, since nothing else tells what the replies must be.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'
import { freePort, waitForPort } from './helpers/ports.js'
import { spawnRedwing, type RedwingProcess } from './helpers/server.js'
import { SESSIONS, type Step } from './memcached/sessions.js'

const MEMCACHED = process.env.MEMCACHED_BIN ?? '/usr/bin/memcached'
/** A reply is complete once its server has been silent this long. */
const QUIET_MS = 80
const EXAMPLE = fileURLToPath(new URL('../examples/pymemcache_example.py', import.meta.url))

/** A text-protocol connection that collects what the server sends. */
class McClient {
  #received: Buffer[] = []
  #last = Date.now()
  closed = false

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#received.push(chunk)
      this.#last = Date.now()
    })
    socket.on('close', () => (this.closed = true))
    socket.on('error', () => (this.closed = true))
  }

  static open(port: number): Promise<McClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' })
      socket.once('connect', () => resolve(new McClient(socket)))
      socket.once('error', reject)
    })
  }

  /** Sends `bytes`; resolves with what arrives until the server is quiet (or closes). */
  async exchange(bytes: Buffer, quietMs = QUIET_MS): Promise<Buffer> {
    this.#received = []
    await new Promise<void>((resolve) => this.socket.write(bytes, () => resolve()))
    this.#last = Date.now()
    while (!this.closed && Date.now() - this.#last < quietMs) await sleep(10)
    return Buffer.concat(this.#received)
  }

  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this.closed && Date.now() < deadline) await sleep(10)
    return this.closed
  }

  close(): void {
    this.socket.destroy()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** One server under comparison within a session: its connection, the cas uniques it showed
 * last (by key) and the labels its cas uniques got (by order of appearance). */
class Side {
  lastCas = new Map<string, string>()
  labels = new Map<string, string>()

  constructor(readonly client: McClient) {}

  /** `text` with `{cas:key}` and `{now+N}` filled in for this server. */
  fill(text: string): string {
    return text
      .replace(/\{cas:([^}]+)\}/g, (_, key: string) => this.lastCas.get(key) ?? '0')
      .replace(/\{now\+(\d+)\}/g, (_, n: string) => String(Math.floor(Date.now() / 1000) + Number(n)))
  }

  /** The reply with its cas uniques replaced by labels, remembering them per key. */
  normalise(reply: Buffer): string {
    return reply.toString('latin1').replace(/^VALUE (\S+) (\d+) (\d+) (\d+)\r$/gm, (_, key, flags, length, cas) => {
      this.lastCas.set(key, cas)
      if (!this.labels.has(cas)) this.labels.set(cas, `c${this.labels.size + 1}`)
      return `VALUE ${key} ${flags} ${length} ${this.labels.get(cas)}\r`
    })
  }

  /** What one step shows of this server, in comparable form. */
  async run(step: Step): Promise<string> {
    if (typeof step === 'string')
      return this.normalise(await this.client.exchange(Buffer.from(this.fill(step), 'latin1')))
    if ('sleep' in step) return ''
    if ('stats' in step) {
      const reply = (await this.client.exchange(Buffer.from('stats\r\n'))).toString('latin1')
      return reply.replace(/^STAT (\S+) .*\r$/gm, 'STAT $1\r')
    }
    const reply = await this.client.exchange(Buffer.from(step.closes, 'latin1'))
    const closed = await this.client.waitClosed()
    return `${this.normalise(reply)}${closed ? '<closed>' : '<open>'}`
  }
}

let memcached: ChildProcess | undefined
let memcachedPort = 0
let redwing: RedwingProcess | undefined
let redwingPort = 0

beforeAll(async () => {
  if (!existsSync(MEMCACHED)) throw new Error(`memcached is not installed at ${MEMCACHED} (apt-get install memcached)`)
  memcachedPort = await freePort()
  const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : []
  memcached = spawn(MEMCACHED, ['-p', String(memcachedPort), '-U', '0', '-l', '127.0.0.1', ...asRoot], {
    stdio: 'ignore',
  })
  redwingPort = await freePort()
  redwing = await spawnRedwing(['--memcached-port', String(redwingPort)])
  await Promise.all([waitForPort(memcachedPort), waitForPort(redwingPort)])
}, 30_000)

afterAll(() => {
  memcached?.kill()
  redwing?.child.kill()
})

describe('differential: memcached 1.6 vs redwing, byte for byte', () => {
  for (const session of SESSIONS) {
    test(
      session.name,
      async () => {
        const oracle = new Side(await McClient.open(memcachedPort))
        const subject = new Side(await McClient.open(redwingPort))
        try {
          for (const [index, step] of session.steps.entries()) {
            if (typeof step === 'object' && 'sleep' in step) await sleep(step.sleep)
            const [expected, actual] = await Promise.all([oracle.run(step), subject.run(step)])
            const shown = typeof step === 'string' ? step.slice(0, 120) : JSON.stringify(step).slice(0, 120)
            expect(JSON.stringify(actual), `step ${index}: ${JSON.stringify(shown)}`).toBe(JSON.stringify(expected))
          }
        } finally {
          oracle.client.close()
          subject.client.close()
        }
      },
      60_000,
    )
  }
})

describe('one keyspace for both protocols (redwing only)', () => {
  let redis: Redis
  let mc: McClient
  const send = async (text: string) => (await mc.exchange(Buffer.from(text), 40)).toString('latin1')
  const casOf = async (key: string) => /^VALUE \S+ \d+ \d+ (\d+)\r$/m.exec(await send(`gets ${key}\r\n`))![1]!

  beforeAll(async () => {
    redis = new Redis({ port: redwing!.port, host: '127.0.0.1' })
    mc = await McClient.open(redwingPort)
  })

  afterAll(async () => {
    mc.close()
    await redis.quit()
  })

  test('a memcached set is a Redis string, with its expiry as the TTL', async () => {
    expect(await send('set cross:a 42 100 5\r\nhello\r\n')).toBe('STORED\r\n')
    expect(await redis.get('cross:a')).toBe('hello')
    expect(await redis.ttl('cross:a')).toBe(100)
    expect(await send('touch cross:a 0\r\n')).toBe('TOUCHED\r\n')
    expect(await redis.ttl('cross:a')).toBe(-1)
    expect(await send(`set cross:b 0 ${Math.floor(Date.now() / 1000) + 500} 1\r\nx\r\n`)).toBe('STORED\r\n')
    expect(await redis.ttl('cross:b')).toBeGreaterThan(490)
  })

  test('a RESP SET reads with flags 0; gets and cas work on it', async () => {
    await redis.set('cross:c', 'resp')
    expect(await send('get cross:c\r\n')).toBe('VALUE cross:c 0 4\r\nresp\r\nEND\r\n')
    const cas = await casOf('cross:c')
    expect(await send(`cas cross:c 3 0 2\r\nmc\r\n`)).toBe('ERROR\r\nERROR\r\n')
    expect(await send(`cas cross:c 3 0 2 ${cas}\r\nmc\r\n`)).toBe('STORED\r\n')
    expect(await redis.get('cross:c')).toBe('mc')
    expect(await send('get cross:c\r\n')).toBe('VALUE cross:c 3 2\r\nmc\r\nEND\r\n')
  })

  test('every RESP write changes the cas unique', async () => {
    await send('set cross:d 0 0 1\r\n1\r\n')
    const writes: string[][] = [
      ['SET', 'cross:d', '2'],
      ['APPEND', 'cross:d', '0'],
      ['INCR', 'cross:d'],
      ['EXPIRE', 'cross:d', '100'],
      ['PERSIST', 'cross:d'],
      ['SETRANGE', 'cross:d', '0', '9'],
    ]
    for (const write of writes) {
      const before = await casOf('cross:d')
      await redis.call(write[0]!, ...write.slice(1))
      expect(await casOf('cross:d'), write.join(' ')).not.toBe(before)
    }
    const cas = await casOf('cross:d')
    await redis.set('cross:d', 'raced')
    expect(await send(`cas cross:d 0 0 1 ${cas}\r\nx\r\n`)).toBe('EXISTS\r\n')
    await redis.del('cross:d')
    expect(await send(`cas cross:d 0 0 1 ${cas}\r\nx\r\n`)).toBe('NOT_FOUND\r\n')
  })

  test('other Redis types are absent to memcached; a set replaces them', async () => {
    await redis.rpush('cross:list', 'a')
    expect(await send('get cross:list\r\nincr cross:list 1\r\ndelete cross:list\r\n')).toBe(
      'END\r\nNOT_FOUND\r\nNOT_FOUND\r\n',
    )
    expect(await send('set cross:list 0 0 1\r\nx\r\n')).toBe('STORED\r\n')
    expect(await redis.type('cross:list')).toBe('string')
  })

  test('memcached writes reach keyspace notifications and break WATCH', async () => {
    // Ready before it subscribes: ioredis's ready check (INFO) must not meet a subscribed connection.
    const subscriber = new Redis({ port: redwing!.port, host: '127.0.0.1', lazyConnect: true })
    await subscriber.connect()
    await redis.config('SET', 'notify-keyspace-events', 'KEA')
    const events: string[] = []
    subscriber.on('pmessage', (_pattern, channel, message) => events.push(`${channel} ${message}`))
    await subscriber.psubscribe('__keyevent@0__:*')
    const watcher = new Redis({ port: redwing!.port, host: '127.0.0.1' })
    await watcher.watch('cross:w')
    await send('set cross:w 0 0 1\r\nx\r\ndelete cross:w\r\n')
    expect(await watcher.multi().set('cross:w', 'y').exec()).toBeNull()
    for (let waited = 0; events.length < 2 && waited < 2000; waited += 10) await sleep(10)
    expect(events).toEqual(['__keyevent@0__:set cross:w', '__keyevent@0__:del cross:w'])
    await redis.config('SET', 'notify-keyspace-events', '')
    subscriber.disconnect()
    watcher.disconnect()
  })

  test('CONFIG GET shows memcached-port', async () => {
    expect(await redis.config('GET', 'memcached-port')).toEqual(['memcached-port', String(redwingPort)])
  })

  test('CONFIG SET memcached-port moves the memcached listener, as port moves the RESP one', async () => {
    const moved = await freePort()
    expect(await redis.config('SET', 'memcached-port', String(moved))).toBe('OK')
    try {
      const mc = await McClient.open(moved)
      expect((await mc.exchange(Buffer.from('version\r\n'))).toString()).toMatch(/^VERSION /)
      mc.close()
      await expect(McClient.open(redwingPort)).rejects.toThrow()
    } finally {
      expect(await redis.config('SET', 'memcached-port', String(redwingPort))).toBe('OK')
    }
    const mc = await McClient.open(redwingPort)
    expect((await mc.exchange(Buffer.from('version\r\n'))).toString()).toMatch(/^VERSION /)
    mc.close()
  })
})

test('the embedded store serves memcached with listen({ memcachedPort })', async () => {
  const db = new Redwing()
  try {
    await db.listen({ port: null, memcachedPort: 0 })
    const mc = await McClient.open(db.memcachedPort)
    db.set('embedded', 'from-js')
    expect((await mc.exchange(Buffer.from('get embedded\r\n'))).toString()).toBe(
      'VALUE embedded 0 7\r\nfrom-js\r\nEND\r\n',
    )
    await mc.exchange(Buffer.from('set embedded 0 0 6\r\nfrom-m\r\n'))
    expect(db.get('embedded')).toBe('from-m')
    mc.close()
  } finally {
    await db.close()
  }
})

test('the pymemcache example runs unchanged against redwing', () => {
  const run = spawnSync('python3', [EXAMPLE, '127.0.0.1', String(redwingPort)], { encoding: 'utf8', timeout: 20_000 })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  expect(run.stdout).toContain('all pymemcache calls behaved as with memcached')
})
