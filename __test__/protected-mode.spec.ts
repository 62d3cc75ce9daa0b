// Protected mode, compared with redis-server: with `protected-mode yes` and no password for the
// default user, a client that is not on the loopback interface gets Redis's -DENIED text and is
// disconnected; a password, or `protected-mode no`, lets it in. The non-loopback client connects
// to one of this machine's own non-loopback addresses.

import { networkInterfaces } from 'node:os'
import { connect as connectSocket } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createServer } from '../ts/server/create.js'
import { Logger } from '../ts/log.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, encodeCommand } from './helpers/resp-client.js'
import type { RedwingServer } from '../ts/server/server.js'

/** A non-loopback IPv4 address of this machine. */
function outsideAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address
    }
  }
  throw new Error('this machine has no non-loopback IPv4 address to connect from')
}

/** Connects from `host`, sends PING, and collects everything until the server closes (or
 * resets) the connection or 500 ms pass. */
function exchange(host: string, port: number): Promise<{ bytes: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket({ host, port })
    let bytes = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ bytes, closed: false })
    }, 500)
    socket.on('data', (chunk) => (bytes += chunk.toString('latin1')))
    socket.on('connect', () => socket.write(encodeCommand(['PING'])))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      // A server that closes at once may reset the connection if the PING reached it first
      // (redis-server does, under load): the bytes before the reset still arrived, and it closed.
      if (error.code === 'ECONNRESET') resolve({ bytes, closed: true })
      else reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ bytes, closed: true })
    })
  })
}

describe('protected mode, as redis-server', () => {
  const outside = outsideAddress()
  let redis: RunningRedis
  let redwing: RedwingServer
  let redwingPort = 0

  beforeAll(async () => {
    redis = await startRedisServer(['--bind', '0.0.0.0'])
    redwing = createServer({ args: ['--save', ''], port: 0, host: '0.0.0.0', logger: new Logger('nothing') })
    redwingPort = await redwing.listen()
  })

  afterAll(async () => {
    for (const admin of admins) await admin.close()
    await redwing?.close()
    await redis?.close()
  })

  const both = async (): Promise<{
    redis: { bytes: string; closed: boolean }
    redwing: { bytes: string; closed: boolean }
  }> => ({
    redis: await exchange(outside, redis.port),
    redwing: await exchange(outside, redwingPort),
  })

  /** One loopback connection per server, opened before any password is set, so it stays
   * authenticated to change settings. */
  let admins: Array<Awaited<ReturnType<typeof connect>>> = []
  const configSet = async (name: string, value: string): Promise<void> => {
    if (admins.length === 0) admins = [await connect(redis.port), await connect(redwingPort)]
    for (const admin of admins) {
      expect((await admin.command('CONFIG', 'SET', name, value)).toString()).toBe('+OK\r\n')
    }
  }

  test('a client from outside gets -DENIED and is disconnected; loopback clients are served', async () => {
    const seen = await both()
    expect(seen.redis.bytes).toMatch(/^-DENIED Redis is running in protected mode/)
    expect(seen.redwing).toEqual(seen.redis)
    expect(seen.redwing.closed).toBe(true)
    expect((await exchange('127.0.0.1', redwingPort)).bytes).toBe('+PONG\r\n')
    const c = await connect(redwingPort)
    expect((await c.command('INFO', 'stats')).toString()).toContain('rejected_connections:1\r\n')
    await c.close()
  })

  test('a password for the default user, or protected-mode no, lets outside clients in', async () => {
    await configSet('protected-mode', 'yes')
    await configSet('requirepass', 'secret')
    let seen = await both()
    expect(seen.redis.bytes).toBe('-NOAUTH Authentication required.\r\n')
    expect(seen.redwing).toEqual(seen.redis)
    await configSet('requirepass', '')
    await configSet('protected-mode', 'no')
    seen = await both()
    expect(seen.redis.bytes).toBe('+PONG\r\n')
    expect(seen.redwing).toEqual(seen.redis)
    await configSet('protected-mode', 'yes')
    seen = await both()
    expect(seen.redwing).toEqual(seen.redis)
    expect(seen.redwing.closed).toBe(true)
  })
})

// `bind * -::*` (redis-server's own default) listens on every IPv4 and IPv6 address, as two
// listeners on one port: IPv6 ones take IPv6 connections only, as Redis's do.
test('bind * -::* serves every address, loopback and outside, as redis-server does', async () => {
  const redis = await startRedisServer(['--bind', '* -::*'])
  const redwing = createServer({ args: ['--save', '', '--bind', '* -::*'], port: 0, logger: new Logger('nothing') })
  try {
    const port = await redwing.listen()
    const outside = outsideAddress()
    const fromOutside = await exchange(outside, port)
    expect(fromOutside).toEqual(await exchange(outside, redis.port))
    expect(fromOutside.bytes).toMatch(/^-DENIED/)
    expect((await exchange('127.0.0.1', port)).bytes).toBe('+PONG\r\n')
    // IPv6 loopback, where this machine has it (redis-server skips `-::*` where it does not).
    const ipv6 = await exchange('::1', redis.port).catch(() => null)
    if (ipv6) expect(await exchange('::1', port)).toEqual(ipv6)
    const c = await connect(port)
    expect((await c.command('CONFIG', 'GET', 'bind')).toString()).toBe('*2\r\n$4\r\nbind\r\n$6\r\n* -::*\r\n')
    await c.close()
  } finally {
    await redwing.close()
    await redis.close()
  }
})
