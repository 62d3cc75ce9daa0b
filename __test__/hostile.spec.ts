// Hostile and careless clients against the real `redwing-server` executable, side by side with
// redis-server 7.0 where it answers: protocol abuse gets the same bytes and the same close,
// query-buffer floods and clients that never read their replies are disconnected at their
// limits with Redis's log lines, a header promising 500 MB allocates nothing, connections
// over `maxclients` are refused as Redis refuses them, the open-file limit is fitted to
// `maxclients` at start-up, and ten thousand idle connections are held and served.
//
// Every loop here is bounded in count; nothing asserts how long anything took.

import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { connect as openSocket, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, encodeCommand, printable, type RespConnection } from './helpers/resp-client.js'
import { spawnRedwing, type RedwingProcess } from './helpers/server.js'
import { freePort, waitForPort } from './helpers/ports.js'

/** What a server did with some bytes: everything it sent, and whether it closed. */
interface Outcome {
  reply: string
  closed: boolean
}

/** Sends `parts` on a fresh connection and collects the server's bytes until it closes the
 * connection (or `until` milliseconds passed: then `closed` is false). */
async function probe(port: number, parts: Array<string | Buffer>, until = 5000): Promise<Outcome> {
  const socket = await openConnection(port)
  let received = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])))
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)))
  for (const part of parts) socket.write(part)
  const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), until))
  const wasClosed = await Promise.race([closed, timer])
  socket.destroy()
  return { reply: printable(received), closed: wasClosed }
}

function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = openSocket({ port, host: '127.0.0.1' })
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.off('error', reject)
      socket.on('error', () => {})
      resolve(socket)
    })
  })
}

/** Resident memory of process `pid`, in bytes. */
function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024
}

/** The value of `field` in an INFO reply. */
function infoField(info: Buffer, field: string): string | undefined {
  return info
    .toString()
    .split('\r\n')
    .find((line) => line.startsWith(`${field}:`))
    ?.slice(field.length + 1)
}

/** Polls `check` (a bounded number of times, 50 ms apart) until it returns true. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`never happened: ${what}`)
}

const MB = 1024 * 1024

describe('protocol abuse, against redis-server', () => {
  let redis: RunningRedis
  let redwing: RedwingProcess

  beforeAll(async () => {
    ;[redis, redwing] = await Promise.all([startRedisServer(), spawnRedwing(['--save', ''])])
  })
  afterAll(async () => {
    redwing.child.kill('SIGKILL')
    await redis.close()
  })

  const flood = (bytes: number, fill = 'a') => Buffer.alloc(bytes, fill)
  const cases: Array<[string, Array<string | Buffer>]> = [
    ['a bulk length of 2^31', ['*1\r\n$2147483648\r\n']],
    ['a bulk length past proto-max-bulk-len', ['*2\r\n$3\r\nGET\r\n$536870913\r\n']],
    ['a negative bulk length', ['*1\r\n$-5\r\n']],
    ['a bulk length of twenty digits', ['*1\r\n$99999999999999999999\r\n']],
    ['a multibulk count of 2^31', ['*2147483648\r\n']],
    ['a malformed multibulk count', ['*1x\r\n']],
    ['an inline request over 64 KB', [flood(64 * 1024 + 1)]],
    ['a multibulk count line over 64 KB', ['*', flood(64 * 1024 + 1, '1')]],
    ['a bulk count line over 64 KB', ['*1\r\n$', flood(64 * 1024 + 1, '1')]],
    ['a missing $', ['*1\r\n+PING\r\n']],
    ['unbalanced quotes', ['SET "a b\r\n']],
    // A NUL before the line's end hides it from Redis's strchr: the request grows until the
    // inline limit refuses it.
    ['a NUL in an inline line', ['PI\0NG\r\n', flood(64 * 1024)]],
    ['pipelined commands before a protocol error', ['PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$x\r\nPING\r\n']],
  ]
  for (const [name, parts] of cases) {
    test(`${name}: the same reply and close`, async () => {
      const [expected, actual] = await Promise.all([probe(redis.port, parts), probe(redwing.port, parts)])
      expect(expected.closed).toBe(true)
      expect(actual).toEqual(expected)
    })
  }

  test('a multibulk count of INT_MAX is taken at its word, and waits', async () => {
    // Neither server refuses it: no reply, no close, however long one waits (half a second
    // here), and both still answer on another connection.
    const parts = ['*2147483647\r\n$4\r\nPING\r\n']
    const [expected, actual] = await Promise.all([probe(redis.port, parts, 500), probe(redwing.port, parts, 500)])
    expect(expected).toEqual({ reply: '', closed: false })
    expect(actual).toEqual(expected)
    for (const port of [redis.port, redwing.port]) {
      const c = await connect(port)
      expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
      await c.close()
    }
  })
})

describe('query buffer floods, against redis-server', () => {
  let redis: RunningRedis
  let redwing: RedwingProcess

  beforeAll(async () => {
    ;[redis, redwing] = await Promise.all([
      startRedisServer(['--client-query-buffer-limit', '1mb']),
      spawnRedwing(['--save', '', '--client-query-buffer-limit', '1mb']),
    ])
  })
  afterAll(async () => {
    redwing.child.kill('SIGKILL')
    await redis.close()
  })

  test('a request past client-query-buffer-limit closes the connection, with Redis log line', async () => {
    const header = '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n'
    const parts = [header, flood2mb()]
    const [expected, actual] = await Promise.all([probe(redis.port, parts), probe(redwing.port, parts)])
    expect(expected).toEqual({ reply: '', closed: true })
    expect(actual).toEqual(expected)
    const logged =
      /Closing client that reached max query buffer length: id=\d+ addr=[^ ]+ .*\(qbuf initial bytes: (".*")\)/
    await redwing.waitForOutput(logged)
    const theirs = logged.exec(redis.output())
    const ours = logged.exec(redwing.output())
    // The first 64 bytes of the buffer, quoted as sdscatrepr quotes them.
    expect(ours?.[1]).toBe(theirs?.[1])
    // Both keep a large bulk's payload at the start of the buffer, and quote from there.
    expect(ours?.[1]).toBe(`"${'x'.repeat(64)}"`)
  })

  test('other clients carry on', async () => {
    const c = await connect(redwing.port)
    expect((await c.command('SET', 'k', 'v')).toString()).toBe('+OK\r\n')
    await c.close()
  })

  function flood2mb(): Buffer {
    return Buffer.alloc(2 * MB, 'x')
  }
})

test('a bulk header promising 500 MB makes the server allocate only what arrives', async () => {
  const redwing = await spawnRedwing(['--save', ''])
  try {
    const pid = redwing.child.pid!
    const observer = await connect(redwing.port)
    await observer.command('PING')
    const before = rss(pid)
    const socket = await openConnection(redwing.port)
    socket.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$524288000\r\n')
    socket.write(Buffer.alloc(2 * MB, 'x'))
    // The server has buffered what was sent once CLIENT LIST shows it.
    await eventually(async () => {
      const list = (await observer.command('CLIENT', 'LIST')).toString()
      return /qbuf=(\d+)/g.test(list) && [...list.matchAll(/qbuf=(\d+)/g)].some((m) => Number(m[1]) >= 2 * MB)
    }, 'the 2 MB sent are in the query buffer')
    const grown = rss(pid) - before
    expect(grown).toBeLessThan(64 * MB)
    socket.destroy()
    expect((await observer.command('PING')).toString()).toBe('+PONG\r\n')
    await observer.close()
  } finally {
    redwing.child.kill('SIGKILL')
  }
})

describe('slow readers, against redis-server', () => {
  let redis: RunningRedis
  let redwing: RedwingProcess
  const servers = () => [
    { name: 'redis-server', port: redis.port, log: () => redis.output() },
    { name: 'redwing', port: redwing.port, log: () => redwing.output() },
  ]

  beforeAll(async () => {
    ;[redis, redwing] = await Promise.all([startRedisServer(), spawnRedwing(['--save', ''])])
  })
  afterAll(async () => {
    redwing.child.kill('SIGKILL')
    await redis.close()
  })

  /** A connection that sends but never reads: its socket is paused, so the kernel's buffers
   * fill and the server must hold (and limit) what it writes. Such a socket never sees the
   * server close it (the close waits behind the unread bytes), so tests ask the server. */
  async function deafConnection(port: number, name: string): Promise<Socket> {
    const socket = await openConnection(port)
    socket.pause()
    socket.write(encodeCommand(['CLIENT', 'SETNAME', name]))
    const control = await connect(port)
    await eventually(async () => !(await gone(control, name)), `the connection named ${name} is listed`)
    await control.close()
    return socket
  }

  /** Whether the connection named `name` is gone from the server. */
  async function gone(control: RespConnection, name: string): Promise<boolean> {
    return !(await control.command('CLIENT', 'LIST')).toString().includes(` name=${name} `)
  }

  /** Runs `step` until it returns true, at most `limit` times; fails if it never did. */
  async function until(step: () => Promise<boolean>, limit: number, what: string): Promise<void> {
    for (let i = 0; i < limit; i++) if (await step()) return
    throw new Error(`${what}: still connected after ${limit} steps`)
  }

  /** The flags of the client named `name` in the line that reports it over its output limit,
   * once `server` logged it. Redis words it "scheduled to be closed ASAP" when it finds the limit
   * passed while adding a reply, "closed" when its periodic check does (a soft limit's seconds
   * may run out either way). */
  async function overLimitFlags(server: { name: string; log: () => string }, name: string): Promise<string> {
    const line = new RegExp(
      `Client id=\\d+ addr=[^ ]+ .*name=${name} .*flags=(\\w+) .* (?:scheduled to be closed ASAP|closed) for overcoming of output buffer limits\\.`,
    )
    await eventually(
      () => line.test(server.log()),
      `${server.name} logs that ${name} went over its limit:\n${server.log()}`,
    )
    return line.exec(server.log())![1]!
  }

  test('a flooded subscriber is disconnected at the pubsub hard limit', { timeout: 60_000 }, async () => {
    for (const server of servers()) {
      const control = await connect(server.port)
      await control.command('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0')
      const subscriber = await deafConnection(server.port, 'hard')
      subscriber.write(encodeCommand(['SUBSCRIBE', 'flood']))
      await eventually(
        async () => (await control.command('PUBSUB', 'NUMSUB', 'flood')).toString().endsWith(':1\r\n'),
        `${server.name}: the subscriber is subscribed`,
      )
      const before = server.name === 'redwing' ? rss(redwing.child.pid!) : 0
      const message = Buffer.alloc(16 * 1024, 'm')
      // Up to 4,000 messages of 16 KB (64 MB, far beyond what the kernel and the limit hold),
      // until one reaches nobody.
      const publish = async () => (await control.command('PUBLISH', 'flood', message)).toString() === ':0\r\n'
      await until(publish, 4000, server.name)
      if (server.name === 'redwing') expect(rss(redwing.child.pid!) - before).toBeLessThan(64 * MB)
      expect(await overLimitFlags(server, 'hard')).toBe('P')
      subscriber.destroy()
      expect((await control.command('PING')).toString()).toBe('+PONG\r\n')
      await control.close()
    }
  })

  test(
    'a subscriber over the soft limit is disconnected once it has been over it for its seconds',
    { timeout: 120_000 },
    async () => {
      for (const server of servers()) {
        const control = await connect(server.port)
        await control.command('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 256kb 1')
        const subscriber = await deafConnection(server.port, 'soft')
        subscriber.write(encodeCommand(['SUBSCRIBE', 'soft']))
        await eventually(
          async () => (await control.command('PUBSUB', 'NUMSUB', 'soft')).toString().endsWith(':1\r\n'),
          `${server.name}: the subscriber is subscribed`,
        )
        const message = Buffer.alloc(16 * 1024, 's')
        // Up to 6,000 messages, one every few milliseconds: the soft limit's second passes, even on
        // a loaded machine.
        const publishSlowly = async () => {
          const reply = (await control.command('PUBLISH', 'soft', message)).toString()
          await new Promise((r) => setTimeout(r, 5))
          return reply === ':0\r\n'
        }
        await until(publishSlowly, 6000, server.name)
        expect(await overLimitFlags(server, 'soft')).toBe('P')
        subscriber.destroy()
        await control.close()
      }
    },
  )

  test(
    'a client pipelining large GETs without reading is disconnected at the normal hard limit',
    { timeout: 60_000 },
    async () => {
      for (const server of servers()) {
        const control = await connect(server.port)
        await control.command('SET', 'big', Buffer.alloc(100 * 1024, 'b'))
        await control.command('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0')
        const get = encodeCommand(['GET', 'big'])
        // All at once: 300 GETs of 100 KB in one write.
        const pipelined = await deafConnection(server.port, 'pipeline')
        pipelined.write(Buffer.concat(Array.from({ length: 300 }, () => get)))
        await eventually(() => gone(control, 'pipeline'), `${server.name}: the pipelining client is disconnected`)
        expect(await overLimitFlags(server, 'pipeline')).toBe('N')
        // A few at a time, waiting in between: the replies pile up behind the full socket.
        const trickle = await deafConnection(server.port, 'trickle')
        const sendSome = async () => {
          trickle.write(Buffer.concat([get, get, get, get]))
          await new Promise((r) => setTimeout(r, 2))
          return gone(control, 'trickle')
        }
        await until(sendSome, 2000, `${server.name} trickle`)
        expect(await overLimitFlags(server, 'trickle')).toBe('N')
        // A client that reads is not affected by the limit.
        expect((await control.command('GET', 'big')).length).toBe(100 * 1024 + 11)
        await control.command('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0')
        for (const socket of [pipelined, trickle]) socket.destroy()
        await control.close()
      }
    },
  )
})

describe('maxclients, against redis-server', () => {
  test('a connection over maxclients gets the error and is closed, and is counted', async () => {
    const [redis, redwing] = await Promise.all([
      startRedisServer(['--maxclients', '3']),
      spawnRedwing(['--save', '', '--maxclients', '3']),
    ])
    try {
      for (const port of [redis.port, redwing.port]) {
        const held: RespConnection[] = []
        for (let i = 0; i < 3; i++) {
          const c = await connect(port)
          expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
          held.push(c)
        }
        // The refused client sends nothing and never closes: the server closes it.
        expect(await probe(port, [])).toEqual({ reply: '-ERR max number of clients reached\\r\\n', closed: true })
        expect(infoField(await held[0]!.command('INFO', 'stats'), 'rejected_connections')).toBe('1')
        expect(infoField(await held[0]!.command('INFO', 'clients'), 'connected_clients')).toBe('3')
        await held.pop()!.close()
        await eventually(
          async () => infoField(await held[0]!.command('INFO', 'clients'), 'connected_clients') === '2',
          'the closed connection is gone',
        )
        const again = await connect(port)
        expect((await again.command('PING')).toString()).toBe('+PONG\r\n')
        for (const c of [...held, again]) await c.close()
      }
    } finally {
      redwing.child.kill('SIGKILL')
      await redis.close()
    }
  })
})

describe('the open-file limit at start-up, against redis-server', () => {
  const SERVER = fileURLToPath(new URL('../dist/bin/server.js', import.meta.url))

  /** Runs `command` under `ulimit -n 1024`, waits until it listens on `port`, asks for its
   * maxclients and shuts it down; returns that and its log. */
  async function underLowLimit(command: string[], port: number) {
    const quoted = command.map((a) => `'${a}'`).join(' ')
    const child = spawn('sh', ['-c', `ulimit -n 1024 && exec ${quoted}`], { stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    try {
      await waitForPort(port)
      const c = await connect(port)
      const maxclients = (await c.command('CONFIG', 'GET', 'maxclients')).toString()
      const refusal = (await c.command('CONFIG', 'SET', 'maxclients', '5000')).toString()
      await c.close()
      // A refusal is logged too (redwing logs what the engine reports on its next tick).
      if (refusal.startsWith('-'))
        await eventually(() => log.includes('Restoring previous settings'), 'the refusal logged')
      return { maxclients, refusal, log: () => log }
    } finally {
      child.kill('SIGKILL')
      await exited
    }
  }

  test('maxclients is fitted to the limit (or the limit raised) with Redis log lines', async () => {
    const [redisPort, redwingPort] = [await freePort(), await freePort()]
    const dir = process.env['TMPDIR'] ?? '/tmp'
    const redis = await underLowLimit(
      ['redis-server', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', dir],
      redisPort,
    )
    const redwing = await underLowLimit(
      [process.execPath, SERVER, '--port', String(redwingPort), '--save', '', '--dir', dir],
      redwingPort,
    )
    expect(redwing.maxclients).toBe(redis.maxclients)
    expect(redwing.refusal).toBe(redis.refusal)
    const lines = (log: string) =>
      log
        .split('\n')
        .map((line) => line.replace(/^\d+:M \S+ \S+ \S+ \S+ [#*.-] /, ''))
        .filter((line) => /open files|maxclients|file descriptors/.test(line))
    // Root with CAP_SYS_RESOURCE raises the limit; anyone else gets maxclients lowered to 992.
    expect(lines(redwing.log())).toEqual(lines(redis.log()))
    expect(lines(redis.log()).length).toBeGreaterThan(0)
  })
})

describe('a pipeline many read buffers long', () => {
  let redwing: RedwingProcess
  beforeAll(async () => {
    redwing = await spawnRedwing(['--save', ''])
  })
  afterAll(() => redwing.child.kill('SIGKILL'))

  // Each read that fills the server's read buffer ends the flooding connection's turn: its
  // reading stops and starts again on the next turn, so other clients get theirs in between.
  test('is answered in full and in order while another client is served', { timeout: 60_000 }, async () => {
    const COUNT = 300_000
    const incr = encodeCommand(['INCR', 'flood:counter'])
    const flood = await openConnection(redwing.port)
    const expected = Buffer.concat(Array.from({ length: COUNT }, (_, i) => Buffer.from(`:${i + 1}\r\n`)))
    let received = 0
    let mismatch = -1
    const done = new Promise<void>((resolve) => {
      flood.on('data', (data: Buffer) => {
        if (mismatch < 0 && !data.equals(expected.subarray(received, received + data.length))) mismatch = received
        received += data.length
        if (received >= expected.length) resolve()
      })
    })
    flood.write(Buffer.concat(Array.from({ length: COUNT }, () => incr)))
    const polite = await connect(redwing.port)
    let pongsDuringFlood = 0
    while (received < expected.length && pongsDuringFlood < 1000) {
      expect((await polite.command('PING')).toString()).toBe('+PONG\r\n')
      if (received < expected.length) pongsDuringFlood++
    }
    await done
    expect(mismatch).toBe(-1)
    expect(received).toBe(expected.length)
    expect(pongsDuringFlood).toBeGreaterThan(0)
    expect((await polite.command('GET', 'flood:counter')).toString()).toBe(`$6\r\n${COUNT}\r\n`)
    await polite.close()
    flood.destroy()
  })
})

describe('ten thousand idle connections', () => {
  /** Connections this test may open: 10,000 when the hard open-file limit allows it (the
   * test's process holds one descriptor per connection), fewer otherwise. */
  const hardLimit = Number(spawnSync('sh', ['-c', 'ulimit -Hn']).stdout.toString().trim()) || 1024
  const WANTED = 10_000
  const count = hardLimit === Infinity || hardLimit > WANTED + 500 ? WANTED : hardLimit - 500
  if (count < WANTED) console.warn(`hostile.spec: the hard open-file limit is ${hardLimit}: ${count} connections`)

  let redwing: RedwingProcess
  const sockets: Socket[] = []

  beforeAll(async () => {
    redwing = await spawnRedwing(['--save', '', '--maxclients', String(count)])
  })
  afterAll(() => {
    for (const socket of sockets) socket.destroy()
    redwing.child.kill('SIGKILL')
  })

  test(`${count} connections are held at once and served; one more is refused`, { timeout: 120_000 }, async () => {
    const BATCH = 250
    for (let opened = 0; opened < count - 1; opened += BATCH) {
      const batch = Math.min(BATCH, count - 1 - opened)
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openConnection(redwing.port)))))
    }
    const last = await connect(redwing.port)
    await eventually(
      async () => infoField(await last.command('INFO', 'clients'), 'connected_clients') === String(count),
      `${count} clients connected`,
    )
    // An idle connection costs the server one descriptor (its direct-write duplicate is made
    // only once it sends something), so ten thousand fit a limit of twenty thousand.
    const descriptors = readdirSync(`/proc/${redwing.child.pid}/fd`).length
    expect(descriptors).toBeLessThan(count + 200)
    // Idle ones answer, whichever they are.
    for (let i = 0; i < sockets.length; i += Math.floor(sockets.length / 20)) {
      const socket = sockets[i]!
      const reply = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())))
      socket.write('PING\r\n')
      expect(await reply).toBe('+PONG\r\n')
    }
    expect(await probe(redwing.port, [])).toEqual({ reply: '-ERR max number of clients reached\\r\\n', closed: true })
    expect((await last.command('PING')).toString()).toBe('+PONG\r\n')
    await last.close()
  })
})
