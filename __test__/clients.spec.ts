// Real Redis clients against our server: ioredis, node-redis (RESP3, CLIENT SETINFO on
// connect) and redis-cli. They exercise the handshakes and commands libraries send on their own.

import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startRedisServer } from './helpers/redis.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'

const run = promisify(execFile)
let server: RunningRedwing

beforeAll(async () => {
  server = await startRedwing()
})

afterAll(() => server.close())

describe('ioredis', () => {
  let redis: Redis
  beforeAll(async () => {
    redis = new Redis({ port: server.port, host: '127.0.0.1', connectionName: 'ioredis-test', lazyConnect: true })
    await redis.connect()
  })
  afterAll(() => redis.quit())

  test('strings, counters and expiry', async () => {
    expect(await redis.set('io:k', 'v', 'EX', 100)).toBe('OK')
    expect(await redis.get('io:k')).toBe('v')
    expect(await redis.ttl('io:k')).toBeGreaterThan(98)
    expect(await redis.incrby('io:n', 5)).toBe(5)
    expect(await redis.incrbyfloat('io:n', 0.5)).toBe('5.5')
    expect(await redis.mget('io:k', 'io:none')).toEqual(['v', null])
  })

  test('binary values round-trip as Buffers', async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 128])
    await redis.set('io:bin', bytes)
    expect(await redis.getBuffer('io:bin')).toEqual(bytes)
  })

  test('pipelines and errors', async () => {
    const results = await redis.pipeline().set('io:p', '1').incr('io:p').get('io:p').exec()
    expect(results).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ])
    await redis.set('io:s', 'abc')
    await expect(redis.incr('io:s')).rejects.toThrow('ERR value is not an integer or out of range')
  })

  test('the connection name, SELECT, FLUSHALL and INFO', async () => {
    expect(await redis.client('GETNAME')).toBe('ioredis-test')
    expect(await redis.select(9)).toBe('OK')
    await redis.set('in9', '1')
    expect(await redis.dbsize()).toBe(1)
    expect(await redis.flushall()).toBe('OK')
    expect(await redis.dbsize()).toBe(0)
    const info = await redis.info('server')
    expect(info).toContain('redis_version:7.0.15')
  })
})

describe('node-redis', () => {
  test('RESP2 and RESP3 connections', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP })
      await client.connect()
      expect(await client.set('nr:k', 'v')).toBe('OK')
      expect(await client.get('nr:k')).toBe('v')
      expect(await client.get('nr:missing')).toBe(null)
      expect(await client.incr('nr:n')).toBeGreaterThan(0)
      expect(await client.configGet('maxmemory')).toEqual({ maxmemory: '0' })
      await client.close()
    }
  })
})

describe('redis-cli', () => {
  const cli = (...args: string[]) => run('redis-cli', ['-p', String(server.port), ...args]).then((r) => r.stdout)

  test('commands and replies as redis-cli prints them', async () => {
    expect(await cli('SET', 'cli:k', 'hello world')).toBe('OK\n')
    expect(await cli('GET', 'cli:k')).toBe('hello world\n')
    expect(await cli('--no-raw', 'GET', 'cli:missing')).toBe('(nil)\n')
    expect(await cli('--no-raw', 'INCR', 'cli:n')).toBe('(integer) 1\n')
    expect(await cli('--no-raw', 'GET', 'cli:k', 'extra')).toBe(
      "(error) ERR wrong number of arguments for 'get' command\n",
    )
  })

  test('RESP3 with -3', async () => {
    expect(await cli('-3', '--no-raw', 'GET', 'cli:missing')).toBe('(nil)\n')
  })

  test('--pipe mass insertion', async () => {
    const input = Array.from({ length: 1000 }, (_, i) => `SET pipe:${i} ${i}\r\n`).join('')
    const child = execFile('redis-cli', ['-p', String(server.port), '--pipe'])
    child.stdin!.end(input)
    const output = await new Promise<string>((resolve) => {
      let text = ''
      child.stdout!.on('data', (d) => (text += d))
      child.on('exit', () => resolve(text))
    })
    expect(output).toContain('errors: 0, replies: 1000')
    expect(await cli('GET', 'pipe:999')).toBe('999\n')
  })
})

// Over a Unix socket (`unixsocket`), against redis-server over its own: the same replies, and
// the same way CLIENT INFO shows such a client (its addresses are the socket's path, flag U).
describe('over a Unix socket, as with redis-server', () => {
  async function observe(path: string) {
    const redis = new Redis({ path, lazyConnect: true })
    await redis.connect()
    const info = (await redis.client('INFO')) as string
    const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(info)?.[1]?.replace(path, '<path>')
    const seen = [
      field('addr'),
      field('laddr'),
      field('flags'),
      await redis.set('unix:k', 'v'),
      await redis.get('unix:k'),
      await redis.config('GET', 'unixsocketperm'),
      (await run('redis-cli', ['-s', path, 'GET', 'unix:k'])).stdout,
    ]
    redis.disconnect()
    return seen
  }

  test('ioredis (path) and redis-cli (-s)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redwing-unix-'))
    const args = (name: string) => ['--unixsocket', join(dir, name), '--unixsocketperm', '770']
    const redis = await startRedisServer(args('redis.sock'))
    const ours = await startRedwing({ args: args('redwing.sock') })
    try {
      expect(await observe(join(dir, 'redwing.sock'))).toEqual(await observe(join(dir, 'redis.sock')))
    } finally {
      await Promise.all([redis.close(), ours.close()])
    }
  })
})
