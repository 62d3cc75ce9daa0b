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

  test('HyperLogLog', () => {
    db = new Redwing()
    expect(db.pfadd('hll', 'a', 'b', 'c')).toBe(1)
    expect(db.pfadd('hll', 'a')).toBe(0)
    expect(db.pfcount('hll')).toBe(3)
    db.pfadd('other', 'c', 'd')
    expect(db.pfcount('hll', 'other')).toBe(4)
    expect(db.pfmerge('merged', 'hll', 'other')).toBe('OK')
    expect(db.pfcount('merged')).toBe(4)
    db.set('text', 'not a sketch')
    expect(() => db.pfadd('text', 'x')).toThrow('WRONGTYPE Key is not a valid HyperLogLog string value.')
  })

  test('bitmaps and bitfields', () => {
    db = new Redwing()
    expect(db.setbit('bits', 7, 1)).toBe(0)
    expect(db.setbit('bits', 7, 1)).toBe(1)
    expect(db.getbit('bits', 7)).toBe(1)
    expect(db.getbit('bits', 100)).toBe(0)
    expect(db.get('bits')).toBe('\x01')
    db.set('word', 'foobar')
    expect(db.bitcount('word')).toBe(26)
    expect(db.bitcount('word', { start: 1, end: 1 })).toBe(6)
    expect(db.bitcount('word', { start: 5, end: 30, unit: 'BIT' })).toBe(17)
    expect(db.bitpos('bits', 1)).toBe(7)
    expect(db.bitpos('word', 0, { start: 2 })).toBe(16)
    expect(db.bitpos('word', 1, { start: 7, end: 15, unit: 'BIT' })).toBe(9)
    expect(db.bitop('NOT', 'inverted', 'bits')).toBe(1)
    expect(db.getbit('inverted', 7)).toBe(0)
    expect(db.bitop('OR', 'both', 'bits', 'word')).toBe(6)
    // Default overflow wraps (200 + 100 = 44 in u8); FAIL refuses an overflowing INCRBY.
    expect(db.bitfield('bf', 'SET', 'u8', 0, 200, 'INCRBY', 'u8', 0, 100)).toEqual([0, 44])
    expect(db.bitfield('bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 0, 250, 'GET', 'i4', '#1')).toEqual([null, 12 - 16])
    expect(db.bitfieldRo('bf', 'GET', 'u8', 0)).toEqual([44])
  })

  test('geospatial indexes', () => {
    db = new Redwing()
    const sicily = [
      { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' },
      { longitude: 15.087269, latitude: 37.502669, member: 'Catania' },
    ]
    expect(db.geoadd('Sicily', sicily)).toBe(2)
    expect(db.geoadd('Sicily', sicily, { nx: true })).toBe(0)
    expect(db.geodist('Sicily', 'Palermo', 'Catania')).toBe(166274.1516)
    expect(db.geodist('Sicily', 'Palermo', 'Catania', 'km')).toBe(166.2742)
    expect(db.geodist('Sicily', 'Palermo', 'Atlantis')).toBe(null)
    expect(db.geohash('Sicily', 'Palermo', 'Catania', 'Atlantis')).toEqual(['sqc8b49rny0', 'sqdtr74hyu0', null])
    const [palermo, atlantis] = db.geopos('Sicily', 'Palermo', 'Atlantis')
    expect(palermo?.longitude).toBeCloseTo(13.361389, 5)
    expect(palermo?.latitude).toBeCloseTo(38.115556, 5)
    expect(atlantis).toBe(null)
    const near = {
      from: { longitude: 15, latitude: 37 },
      by: { radius: 200, unit: 'km' as const },
      order: 'ASC' as const,
    }
    expect(db.geosearch('Sicily', near)).toEqual(['Catania', 'Palermo'])
    expect(db.geosearch('Sicily', { ...near, count: 1, withDist: true, withCoord: true })).toEqual([
      {
        member: 'Catania',
        distance: 56.4413,
        longitude: expect.closeTo(15.087269, 5),
        latitude: expect.closeTo(37.502669, 5),
      },
    ])
    const box = { from: { member: 'Palermo' }, by: { width: 400, height: 400, unit: 'km' as const }, withHash: true }
    expect(db.geosearch('Sicily', box).map((result) => typeof result !== 'string' && result.hash)).toEqual([
      3479099956230698, 3479447370796909,
    ])
    expect(db.geosearchstore('near', 'Sicily', { ...near, storeDist: true })).toBe(2)
    expect(db.call('ZRANGE', 'near', 0, -1, 'WITHSCORES')).toEqual([
      'Catania',
      '56.441257870158204',
      'Palermo',
      '190.44242984775784',
    ])
  })

  test('streams and consumer groups', () => {
    db = new Redwing()
    expect(db.xadd('s', '1-1', { temp: 20, unit: 'C' })).toBe('1-1')
    expect(db.xadd('s', '2-0', ['temp', 21])).toBe('2-0')
    expect(db.xadd('missing', '*', { a: 1 }, { nomkstream: true })).toBe(null)
    expect(db.xlen('s')).toBe(2)
    expect(db.xrange('s')).toEqual([
      ['1-1', ['temp', '20', 'unit', 'C']],
      ['2-0', ['temp', '21']],
    ])
    expect(db.xrevrange('s', '+', '-', { count: 1, map: true })).toEqual([{ id: '2-0', fields: { temp: '21' } }])
    expect(db.xread({ s: '1-1' })).toEqual([['s', [['2-0', ['temp', '21']]]]])
    expect(db.xread({ s: '$' })).toBe(null)
    expect(db.xgroupCreate('s', 'workers', '0')).toBe('OK')
    expect(db.xreadgroup('workers', 'ada', { s: '>' }, { count: 1, map: true })).toEqual([
      ['s', [{ id: '1-1', fields: { temp: '20', unit: 'C' } }]],
    ])
    expect(db.xpending('s', 'workers')).toEqual([1, '1-1', '1-1', [['ada', '1']]])
    expect(db.xclaim('s', 'workers', 'bob', 0, ['1-1'])).toEqual([['1-1', ['temp', '20', 'unit', 'C']]])
    expect(db.xack('s', 'workers', '1-1')).toBe(1)
    expect(db.xadd('s', '3-0', { temp: 22 }, { maxlen: 2 })).toBe('3-0')
    expect(db.xtrim('s', { minid: '3-0' })).toBe(1)
    expect(db.xdel('s', '3-0', '9-9')).toBe(1)
    expect(db.xgroupDestroy('s', 'workers')).toBe(1)
    db.call('HELLO', 3)
    db.xadd('s', '4-0', { temp: 23 })
    expect(db.xread({ s: '0' })).toEqual([['s', [['4-0', ['temp', '23']]]]])
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

  test('SHUTDOWN needs a server: refused, and it leaves nothing under way', () => {
    db = new Redwing()
    expect(() => db.call('SHUTDOWN')).toThrow(
      "ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client",
    )
    for (let i = 0; i < 2; i++) {
      expect(() => db.call('SHUTDOWN', 'NOW')).toThrow('ERR SHUTDOWN is not available in the embedded store')
    }
    expect(() => db.call('SHUTDOWN', 'ABORT')).toThrow('ERR No shutdown in progress.')
    expect(db.set('k', 'v')).toBe('OK')
  })

  test('binary keys and values with Buffers', () => {
    db = new Redwing()
    const key = Buffer.from([0, 1, 2, 255])
    const value = Buffer.from([255, 0, 13, 10])
    db.set(key, value)
    expect(db.getBuffer(key)).toEqual(value)
    expect(db.callBuffer('MGET', key)).toEqual([value])
  })

  test('an argument of another type is refused, and nothing of its call runs', () => {
    db = new Redwing()
    const wrong = [{}, null, undefined, true, Symbol('s'), [1]] as unknown as string[]
    for (const arg of wrong) {
      expect(() => db.set('k', arg)).toThrow(TypeError)
      expect(() => db.call('RPUSH', 'list', 'a', arg)).toThrow('a command argument must be a string')
    }
    expect(() =>
      db
        .pipeline()
        .set('p', '1')
        .set('q', {} as unknown as string)
        .exec(),
    ).toThrow(TypeError)
    expect(db.keys('*')).toEqual([])
    expect(db.set('k', 'v')).toBe('OK')
    expect(db.call('INCRBY', 'n', 2n ** 60n)).toBe(1152921504606846976n)
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

// `run1`…`run3` (GET, SET, HGET…) and redwing/ioredis sessions go through the engine's `call`,
// which reads string and integer arguments natively and makes simple replies into JS values;
// everything else falls back to the request buffer or to reading the reply as `exec` leaves
// it. Each case is checked against `call()`, which always takes the request buffer.
describe('the quick call path gives what the request buffer gives', () => {
  const texts = [
    '',
    'plain',
    'héllo wörld',
    '日本語',
    '😀 and more',
    'lone \ud800 surrogate',
    'trailing \udc00',
    'x'.repeat(255),
    'y'.repeat(256),
    'é'.repeat(300),
    'z'.repeat(100_000),
    'ü'.repeat(70_000),
  ]

  test('string arguments and bulk replies, ASCII or not, short or long', () => {
    db = new Redwing()
    texts.forEach((text, i) => {
      expect(db.set(`key:${text}`, text)).toBe('OK')
      expect(db.get(`key:${text}`)).toBe(db.call('GET', `key:${text}`))
      expect(db.getBuffer(`key:${text}`)).toEqual(Buffer.from(text))
      expect(db.hset('h', text, i)).toBe(1)
      expect(db.hget('h', text)).toBe(String(i))
    })
    expect(db.hlen('h')).toBe(texts.length)
    expect(db.call<string[]>('HKEYS', 'h').sort()).toEqual(texts.map((t) => Buffer.from(t).toString()).sort())
  })

  test('numbers: safe integers are sent as digits, anything else as the request buffer sends it', () => {
    db = new Redwing()
    for (const n of [0, -0, 7, -42, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1.5, -0.25, 1e21, 1e-7, NaN, Infinity]) {
      db.set('n', n)
      expect(db.get('n')).toBe(db.call('GET', 'n'))
      db.call('SET', 'm', n)
      expect(db.get('n')).toBe(db.get('m'))
    }
    expect(db.set('big', 2n ** 70n)).toBe('OK')
    expect(db.get('big')).toBe((2n ** 70n).toString())
    expect(db.set(Buffer.from([0xff, 0]), Buffer.from('bytes'))).toBe('OK')
    expect(db.get(Buffer.from([0xff, 0]))).toBe('bytes')
  })

  test('integer replies, exact or beyond 2^53, statuses, nulls and errors', () => {
    db = new Redwing()
    expect(db.incr('counter')).toBe(1)
    expect(db.incrby('counter', -10)).toBe(-9)
    db.set('huge', '9007199254740993')
    expect(db.incr('huge')).toBe(9007199254740994n)
    expect(db.get('missing')).toBe(null)
    db.set('text', 'abc')
    expect(() => db.incr('text')).toThrow(new ReplyError('ERR value is not an integer or out of range'))
    expect(() => db.hget('text', 'f')).toThrow(/^WRONGTYPE/)
    // RESP3: nulls, doubles and maps come back as with the request buffer.
    db.call('HELLO', 3)
    expect(db.get('missing')).toBe(null)
    expect(db.zadd('z', 1.5, 'm')).toBe(1)
    expect(db.zscore('z', 'm')).toBe(1.5)
    expect(db.hgetall('nothing')).toEqual({})
  })

  test('replies that are arrays, and sessions of redwing/ioredis, read the response buffer', () => {
    db = new Redwing({ config: { 'enable-debug-command': 'yes' } })
    db.rpush('list', 'a', 'b', 'é')
    expect(db.lrange('list', 0, -1)).toEqual(['a', 'b', 'é'])
    db.hset('h', 'f', 'v')
    expect(db.hgetall('h')).toEqual({ f: 'v' })
    const session = (db as unknown as { openSession(): import('../ts/store.js').StoreSession }).openSession()
    expect(session.call('GET', ['list'], false)).toBeInstanceOf(ReplyError)
    expect(session.call('LRANGE', ['list', 0, 1], false)).toEqual(['a', 'b'])
    expect(session.call('ECHO', ['ü'.repeat(70_000)], false)).toBe('ü'.repeat(70_000))
    // A command handed over to the host (it needs a server) is answered with the store's error.
    expect(session.call('DEBUG', ['LOADAOF'], false)).toEqual(
      new ReplyError('ERR DEBUG LOADAOF is not available in the embedded store'),
    )
    expect(session.call('GET', ['h2'], false)).toBe(null)
    session.close()
  })

  test('call() of up to four arguments takes the quick path too, and still throws error replies', () => {
    db = new Redwing()
    expect(db.call('SET', 'k', 'v')).toBe('OK')
    expect(db.call('HSET', 'h', 'f', 'v', 'g', 'w')).toBe(2)
    expect(db.call('HSET', 'h', 'f', 'v', 'g', 'w', 'h', 'x')).toBe(1)
    expect(db.call('GET', 'missing')).toBe(null)
    expect(() => db.call('INCR', 'k')).toThrow(new ReplyError('ERR value is not an integer or out of range'))
    expect(() => db.call('NOSUCH' as CommandName, 'x')).toThrow(/^ERR unknown command 'NOSUCH'/)
    expect(() => db.call('GET', true as unknown as string)).toThrow(TypeError)
    expect(db.call('SETNX', 'k', 'other')).toBe(0)
    expect(db.getset('k', 'new')).toBe('v')
  })

  test('output for other sessions (keyspace notifications) is delivered after a quick call', () => {
    db = new Redwing()
    db.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')
    const events: string[] = []
    db.psubscribe('__keyevent@0__:*', (message, channel) => events.push(`${channel} ${message}`))
    expect(db.set('k', 'v')).toBe('OK')
    expect(db.incr('n')).toBe(1)
    expect(events).toEqual(['__keyevent@0__:set k', '__keyevent@0__:incrby n'])
  })
})
