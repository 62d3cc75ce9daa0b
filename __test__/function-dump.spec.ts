// FUNCTION DUMP and FUNCTION RESTORE between redis-server 7.0.15 and redwing: libraries dumped by
// one are restored into the other and listed alike (FUNCTION LIST WITHCODE, sorted by library
// name, since Redis lists them in hash order), a single library dumps to the same bytes on both,
// and the errors for bad payloads, policies and collisions are byte for byte Redis's.

import { afterAll, beforeAll, expect, test } from 'vitest'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'

const LIBRARIES = [
  "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)",
  "#!lua name=lib2\nredis.register_function('f2', function() return 1 end)",
  '#!lua name=flagged\n' +
    "redis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, " +
    "flags={'no-writes', 'allow-stale'}, description='reads a key'}\n" +
    "redis.register_function{function_name='rw', callback=function(keys) return redis.call('incr', keys[1]) end}\n",
  '#!lua name=long\n' +
    Array.from({ length: 20 }, (_, i) => `redis.register_function('long_${i}', function() return ${i} end)`).join('\n'),
]

let redis: RunningRedis
let redwing: RunningRedwing
let oracle: RespConnection
let subject: RespConnection

beforeAll(async () => {
  redis = await startRedisServer()
  redwing = await startRedwing()
  oracle = await connect(redis.port)
  subject = await connect(redwing.port)
})

afterAll(async () => {
  await Promise.all([oracle?.close(), subject?.close()])
  await Promise.all([redis?.close(), redwing?.close()])
})

type Reply = string | number | null | Buffer | Reply[]

/** Parses one RESP2 reply. */
function parse(buf: Buffer): Reply {
  let at = 0
  const line = (): string => {
    const end = buf.indexOf('\r\n', at)
    const text = buf.subarray(at + 1, end).toString()
    at = end + 2
    return text
  }
  const next = (): Reply => {
    const kind = String.fromCharCode(buf[at])
    const text = line()
    if (kind === '+' || kind === '-') return kind + text
    if (kind === ':') return Number(text)
    if (kind === '$') {
      const len = Number(text)
      if (len < 0) return null
      const value = buf.subarray(at, at + len)
      at += len + 2
      return value
    }
    if (kind === '*') {
      const len = Number(text)
      if (len < 0) return null
      return Array.from({ length: len }, next)
    }
    throw new Error(`unexpected reply ${buf.toString()}`)
  }
  return next()
}

function bulk(reply: Buffer): Buffer {
  const value = parse(reply)
  if (!Buffer.isBuffer(value)) throw new Error(`not a bulk string: ${reply.toString()}`)
  return value
}

/** FUNCTION LIST WITHCODE as comparable text, in a fixed order. */
async function listing(c: RespConnection): Promise<string[]> {
  const libraries = parse(await c.command('FUNCTION', 'LIST', 'WITHCODE')) as Reply[][]
  const text = (value: Reply): string =>
    Array.isArray(value) ? `[${value.map(text).join(',')}]` : Buffer.isBuffer(value) ? value.toString() : String(value)
  // Redis lists libraries, and the functions of each, in hash order.
  return libraries
    .map((library) =>
      library.map((field) => (Array.isArray(field) ? `[${field.map(text).sort().join(',')}]` : text(field))),
    )
    .map((fields) => fields.join(','))
    .sort()
}

async function both(...args: Array<string | Buffer>): Promise<[string, string]> {
  const [a, b] = await Promise.all([oracle.command(...args), subject.command(...args)])
  return [a.toString('latin1'), b.toString('latin1')]
}

async function reset(): Promise<void> {
  await both('FUNCTION', 'FLUSH')
}

/** Redis's CRC-64/Jones (reflected), for crafting payloads. */
function crc64(data: Buffer): bigint {
  const poly = 0x95ac9329ac4bc9b5n
  let crc = 0n
  for (const byte of data) {
    crc ^= BigInt(byte)
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n
  }
  return crc
}

/** `body` with the DUMP footer: RDB version 10 and the CRC-64, little-endian. */
function payload(body: Buffer, version = 10): Buffer {
  const head = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])])
  const crc = Buffer.alloc(8)
  crc.writeBigUInt64LE(crc64(head))
  return Buffer.concat([head, crc])
}

/** A library as opcode 245 and a plain RDB string (shorter than 16384 bytes). */
function library(code: string): Buffer {
  const bytes = Buffer.from(code)
  const len =
    bytes.length < 64 ? Buffer.from([bytes.length]) : Buffer.from([0x40 | (bytes.length >> 8), bytes.length & 0xff])
  return Buffer.concat([Buffer.from([0xf5]), len, bytes])
}

test('libraries dumped by redis-server restore into redwing', async () => {
  await reset()
  for (const code of LIBRARIES) expect((await oracle.command('FUNCTION', 'LOAD', code)).toString()).toMatch(/^\$/)
  const dumped = bulk(await oracle.command('FUNCTION', 'DUMP'))
  expect((await subject.command('FUNCTION', 'RESTORE', dumped)).toString()).toBe('+OK\r\n')
  expect(await listing(subject)).toEqual(await listing(oracle))
  expect((await subject.command('FCALL', 'myfunc', '0', 'hi')).toString()).toBe('$2\r\nhi\r\n')
  expect((await subject.command('FCALL', 'long_19', '0')).toString()).toBe(':19\r\n')
  // FLUSH and REPLACE restore the same payload again; APPEND refuses it.
  expect(await both('FUNCTION', 'RESTORE', dumped, 'REPLACE')).toEqual(['+OK\r\n', '+OK\r\n'])
  expect(await both('FUNCTION', 'RESTORE', dumped, 'flush')).toEqual(['+OK\r\n', '+OK\r\n'])
  const [a, b] = await both('FUNCTION', 'RESTORE', dumped)
  expect(b).toMatch(/^-ERR Library (mylib|lib2|flagged|long) already exists\r\n$/)
  expect(a).toMatch(/^-ERR Library (mylib|lib2|flagged|long) already exists\r\n$/)
  expect(await listing(subject)).toEqual(await listing(oracle))
})

test('libraries dumped by redwing restore into redis-server', async () => {
  await reset()
  for (const code of LIBRARIES) expect((await subject.command('FUNCTION', 'LOAD', code)).toString()).toMatch(/^\$/)
  const dumped = bulk(await subject.command('FUNCTION', 'DUMP'))
  expect((await oracle.command('FUNCTION', 'RESTORE', dumped)).toString()).toBe('+OK\r\n')
  expect(await listing(oracle)).toEqual(await listing(subject))
  expect((await oracle.command('FCALL', 'long_7', '0')).toString()).toBe(':7\r\n')
})

test('one library dumps to the same bytes on both', async () => {
  for (const code of LIBRARIES) {
    await reset()
    await both('FUNCTION', 'LOAD', code)
    const [a, b] = await both('FUNCTION', 'DUMP')
    expect(b).toBe(a)
  }
  await reset()
  const [a, b] = await both('FUNCTION', 'DUMP')
  expect(b).toBe(a)
})

test('errors are redis-server’s', async () => {
  await reset()
  await both('FUNCTION', 'LOAD', LIBRARIES[1])
  await both('SET', 'key', 'hello')
  const keyDump = bulk(await oracle.command('DUMP', 'key'))
  const good = payload(library(LIBRARIES[0]))
  const badCrc = Buffer.from(good)
  badCrc[3] ^= 1
  const clash = "#!lua name=other\nredis.register_function('f2', function() return 2 end)"
  const cases: Array<Array<string | Buffer>> = [
    ['FUNCTION', 'RESTORE'],
    ['FUNCTION', 'RESTORE', good, 'APPEND', 'extra'],
    ['FUNCTION', 'RESTORE', good, 'merge'],
    ['FUNCTION', 'RESTORE', ''],
    ['FUNCTION', 'RESTORE', 'short'],
    ['FUNCTION', 'RESTORE', badCrc],
    ['FUNCTION', 'RESTORE', payload(library(LIBRARIES[0]), 11)],
    ['FUNCTION', 'RESTORE', payload(library(LIBRARIES[0]), 9)],
    ['FUNCTION', 'RESTORE', keyDump],
    ['FUNCTION', 'RESTORE', payload(Buffer.from([0xf5, 0x40]))],
    ['FUNCTION', 'RESTORE', payload(Buffer.from([0xf5, 0xc4]))],
    ['FUNCTION', 'RESTORE', payload(Buffer.from([0xf5, 0xc3, 0x02, 0x05, 0x00, 0x61]))],
    ['FUNCTION', 'RESTORE', payload(library('return 1'))],
    ['FUNCTION', 'RESTORE', payload(library('#!lua name=x\nthis is not lua'))],
    ['FUNCTION', 'RESTORE', payload(library('#!lua name=x\nreturn 1'))],
    ['FUNCTION', 'RESTORE', payload(library("#!js name=x\nredis.register_function('x', function() end)"))],
    ['FUNCTION', 'RESTORE', payload(library(LIBRARIES[1]))],
    ['FUNCTION', 'RESTORE', payload(library(LIBRARIES[1])), 'append'],
    ['FUNCTION', 'RESTORE', payload(Buffer.concat([library(LIBRARIES[0]), library(clash)])), 'REPLACE'],
    ['FUNCTION', 'RESTORE', payload(Buffer.concat([library(LIBRARIES[0]), library(LIBRARIES[0])])), 'FLUSH'],
    [
      'FUNCTION',
      'RESTORE',
      payload(Buffer.concat([library(LIBRARIES[0]), library(LIBRARIES[0].replace('mylib', 'mylib2'))])),
      'FLUSH',
    ],
    ['FUNCTION', 'RESTORE', payload(Buffer.concat([library(LIBRARIES[0]), Buffer.from([0xf5])]))],
    ['FUNCTION', 'DUMP', 'extra'],
  ]
  for (const args of cases) {
    const [a, b] = await both(...args)
    expect(b, args.map(String).join(' ')).toBe(a)
    expect(await listing(subject)).toEqual(await listing(oracle))
  }
  // A restore that succeeds on both, after the failures.
  expect(await both('FUNCTION', 'RESTORE', payload(library(clash.replace("'f2'", "'f3'"))))).toEqual([
    '+OK\r\n',
    '+OK\r\n',
  ])
  expect(await listing(subject)).toEqual(await listing(oracle))
  await both('DEL', 'key')
})
