// The embedded store: typed synchronous calls, Buffers, errors, pipelines, and serving the
// same keyspace over RESP with listen().

import { Redis } from 'ioredis'
import { afterEach, describe, expect, test } from 'vitest'
import { Redwing, ReplyError, type CommandName } from '../ts/index.js'

let db: Redwing
afterEach(() => db?.close())

describe('typed calls', () => {
  test('strings', () => {
    db = new Redwing()
    expect(db.set('k', 'v')).toBe('OK')
    expect(db.get('k')).toBe('v')
    expect(db.get('missing')).toBe(null)
    expect(db.set('k', 'w', { nx: true })).toBe(null)
    expect(db.setGet('k', 'x')).toBe('v')
    expect(db.append('k', 'yz')).toBe(3)
    expect(db.strlen('k')).toBe(3)
    expect(db.getrange('k', 1, -1)).toBe('yz')
    expect(db.mset({ a: 1, b: 'two' })).toBe('OK')
    expect(db.mget('a', 'b', 'c')).toEqual(['1', 'two', null])
    expect(db.incr('a')).toBe(2)
    expect(db.incrby('a', 10)).toBe(12)
    expect(db.decrby('a', 2)).toBe(10)
    expect(db.incrbyfloat('a', 0.5)).toBe('10.5')
    expect(db.getdel('b')).toBe('two')
  })

  test('integers beyond 2^53 come back exactly, as BigInt', () => {
    db = new Redwing()
    expect(db.incrby('n', 2 ** 53 - 1)).toBe(2 ** 53 - 1)
    expect(db.incr('n')).toBe(9007199254740992n)
    expect(db.incrby('big', 9223372036854775807n)).toBe(9223372036854775807n)
    expect(db.decrby('neg', 9223372036854775807n)).toBe(-9223372036854775807n)
  })

  test('RESP3 maps and sets come back as objects and Sets', () => {
    db = new Redwing()
    db.call('HSET', 'h', 'f', 'v', 'n', '1')
    db.call('SADD', 's', 'a', 'b')
    expect(db.call('HGETALL', 'h')).toEqual(['f', 'v', 'n', '1'])
    const hello = db.call<Record<string, unknown>>('HELLO', 3)
    expect(hello.proto).toBe(3)
    expect(db.call('HGETALL', 'h')).toEqual({ f: 'v', n: '1' })
    expect(db.call('SMEMBERS', 's')).toEqual(new Set(['a', 'b']))
  })

  test('active expiry runs without listen()', async () => {
    db = new Redwing()
    for (let i = 0; i < 50; i++) db.set(`k${i}`, 'v', { px: 20 })
    const deadline = Date.now() + 3000
    while (db.dbsize() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(db.dbsize()).toBe(0)
  })

  test('keyspace and expiry', () => {
    db = new Redwing()
    db.set('a', '1', { ex: 100 })
    db.set('b', '2')
    expect(db.ttl('a')).toBeGreaterThan(98)
    expect(db.pttl('b')).toBe(-1)
    expect(db.exists('a', 'b', 'c')).toBe(2)
    expect(db.type('a')).toBe('string')
    expect(db.keys('*').sort()).toEqual(['a', 'b'])
    expect([...db.scanIterator({ count: 1 })].sort()).toEqual(['a', 'b'])
    expect(db.expire('b', 100, 'NX')).toBe(1)
    expect(db.persist('b')).toBe(1)
    expect(db.rename('b', 'c')).toBe('OK')
    expect(db.copy('c', 'd')).toBe(1)
    expect(db.del('a', 'c', 'd', 'zz')).toBe(3)
    expect(db.dbsize()).toBe(0)
  })

  test('databases are selected per store', () => {
    db = new Redwing({ config: { databases: 4 } })
    db.set('k', 'db0')
    expect(db.select(3)).toBe('OK')
    expect(db.get('k')).toBe(null)
    expect(() => db.select(4)).toThrow('ERR DB index is out of range')
  })

  test('binary keys and values with Buffers', () => {
    db = new Redwing()
    const key = Buffer.from([0, 1, 2, 255])
    const value = Buffer.from([255, 0, 13, 10])
    db.set(key, value)
    expect(db.getBuffer(key)).toEqual(value)
    expect(db.callBuffer('MGET', key)).toEqual([value])
  })
})

test('error replies are thrown as ReplyError with the Redis message and code', () => {
  db = new Redwing()
  db.set('s', 'abc')
  const error = (() => {
    try {
      db.incr('s')
    } catch (e) {
      return e
    }
  })()
  expect(error).toBeInstanceOf(ReplyError)
  expect((error as ReplyError).message).toBe('ERR value is not an integer or out of range')
  expect((error as ReplyError).code).toBe('ERR')
  expect(() => db.call('NOSUCHCOMMAND' as CommandName)).toThrow(
    "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ",
  )
})

test('call() runs any command; RESP3 maps come back as flat arrays', () => {
  db = new Redwing()
  expect(db.call('PING')).toBe('PONG')
  expect(db.call('ECHO', 'hi')).toBe('hi')
  expect(db.call('CONFIG', 'GET', 'databases')).toEqual(['databases', '16'])
})

test('pipeline() runs a batch in one call and keeps errors in place', () => {
  db = new Redwing()
  const results = db.pipeline().set('p', '1').incr('p').call('INCR', 'p', 'extra').get('p').exec()
  expect(results[0]).toBe('OK')
  expect(results[1]).toBe(2)
  expect(results[2]).toBeInstanceOf(ReplyError)
  expect((results[2] as ReplyError).message).toBe("ERR wrong number of arguments for 'incr' command")
  expect(results[3]).toBe('2')
  expect(db.pipeline().exec()).toEqual([])
})

test('listen() serves the same keyspace over RESP', async () => {
  db = new Redwing()
  const port = await db.listen({ port: 0 })
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true })
  await redis.connect()
  db.set('shared', 'from-js')
  expect(await redis.get('shared')).toBe('from-js')
  await redis.set('shared', 'from-network')
  expect(db.get('shared')).toBe('from-network')
  await redis.quit()
})
