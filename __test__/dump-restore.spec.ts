// DUMP and RESTORE between redis-server 7.0.15 and redwing. Both servers get the same keys of
// every type and encoding; each key is dumped from both, redis-server's payload is restored
// into redwing and redwing's into redis-server (under other names), and every copy must have
// the original's DEBUG DIGEST-VALUE and OBJECT ENCODING. Where Redis's output is
// deterministic (everything but hashtable order and stream group times) the two DUMPs must
// be the same bytes. Corrupt payloads (truncated or mutated, with a valid footer) must get
// the same reply from both, with redis-server sanitizing payloads fully.

import { afterAll, beforeAll, expect, test } from 'vitest'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'

type Arg = string | Buffer | number
type Command = Arg[]

const BAD_FORMAT = '-ERR Bad data format\r\n'

/** Keys and the commands building them; `exact` when Redis's DUMP is deterministic. */
const KEYS: Array<{ key: string; exact: boolean; build: Command[] }> = [
  { key: 's:embstr', exact: true, build: [['SET', 's:embstr', 'hello']] },
  { key: 's:int', exact: true, build: [['SET', 's:int', '-123456789012']] },
  { key: 's:lzf', exact: true, build: [['SET', 's:lzf', 'abc'.repeat(100)]] },
  { key: 's:binary', exact: true, build: [['SET', 's:binary', Buffer.from(Array.from({ length: 256 }, (_, i) => i))]] },
  { key: 'hll', exact: true, build: [['PFADD', 'hll', 'a', 'b', 'c']] },
  {
    key: 'hll:dense',
    exact: true,
    build: [['PFADD', 'hll:dense', ...Array.from({ length: 3000 }, (_, i) => `e${i}`)]],
  },
  { key: 'l:small', exact: true, build: [['RPUSH', 'l:small', 'a', '1', '-1', '300', '70000', 'x'.repeat(70)]] },
  { key: 'l:big', exact: true, build: [['RPUSH', 'l:big', ...Array.from({ length: 3000 }, (_, i) => `item-${i}`)]] },
  { key: 'l:huge-items', exact: true, build: [['RPUSH', 'l:huge-items', 'y'.repeat(5000), 'z'.repeat(9000), 'w']] },
  { key: 'set:int16', exact: true, build: [['SADD', 'set:int16', 1, 2, 3, -5]] },
  { key: 'set:int64', exact: true, build: [['SADD', 'set:int64', 1, 2 ** 40]] },
  { key: 'set:table', exact: false, build: [['SADD', 'set:table', 'a', 'b', 1]] },
  {
    key: 'set:big',
    exact: false,
    build: [['SADD', 'set:big', ...Array.from({ length: 700 }, (_, i) => i)]],
  },
  { key: 'h:listpack', exact: true, build: [['HSET', 'h:listpack', 'f', 'v', 'n', 12, 'neg', -3000]] },
  { key: 'h:table', exact: false, build: [['HSET', 'h:table', 'f', 'x'.repeat(100), 'g', 'v']] },
  {
    key: 'h:many',
    exact: false,
    build: [['HSET', 'h:many', ...Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat()]],
  },
  { key: 'z:listpack', exact: true, build: [['ZADD', 'z:listpack', 1, 'a', 2.5, 'b', '-inf', 'c', 1e20, 'd']] },
  {
    key: 'z:skiplist',
    exact: true,
    build: [['ZADD', 'z:skiplist', ...Array.from({ length: 300 }, (_, i) => [i / 3, `m${i}`]).flat()]],
  },
  {
    key: 'x:plain',
    exact: true,
    build: [
      ['XADD', 'x:plain', '1-1', 'f', 'v', 'n', 1],
      ['XADD', 'x:plain', '1-2', 'g', 'w'],
      ['XADD', 'x:plain', '2-0', 'f', 'v', 'n', 2],
      ['XDEL', 'x:plain', '1-2'],
    ],
  },
  {
    key: 'x:groups',
    exact: false,
    build: [
      ['XADD', 'x:groups', '1-1', 'a', 'b'],
      ['XADD', 'x:groups', '2-1', 'c', 'd'],
      ['XGROUP', 'CREATE', 'x:groups', 'g1', '0'],
      ['XGROUP', 'CREATE', 'x:groups', 'g2', '$'],
      ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', 1, 'STREAMS', 'x:groups', '>'],
      ['XREADGROUP', 'GROUP', 'g1', 'bob', 'STREAMS', 'x:groups', '>'],
      ['XGROUP', 'CREATECONSUMER', 'x:groups', 'g2', 'carol'],
    ],
  },
]

let redis: RunningRedis
let redwing: RunningRedwing
let oracle: RespConnection
let subject: RespConnection

beforeAll(async () => {
  redis = await startRedisServer(['--enable-debug-command', 'local', '--sanitize-dump-payload', 'yes'])
  redwing = await startRedwing({ args: ['--enable-debug-command', 'local'] })
  oracle = await connect(redis.port)
  subject = await connect(redwing.port)
  for (const c of [oracle, subject]) {
    for (const { build } of KEYS) {
      for (const command of build) await c.command(...command.map(argument))
    }
  }
}, 30_000)

afterAll(async () => {
  await Promise.all([oracle?.close(), subject?.close()])
  await Promise.all([redis?.close(), redwing?.close()])
})

/** A command argument as sent: numbers in decimal. */
function argument(arg: Arg): string | Buffer {
  return typeof arg === 'number' ? String(arg) : arg
}

/** The bulk string of a reply (null for nil). */
function bulk(reply: Buffer): Buffer | null {
  if (reply.subarray(0, 5).toString() === '$-1\r\n') return null
  if (reply[0] !== 0x24) throw new Error(`not a bulk string: ${reply.toString()}`)
  const start = reply.indexOf('\r\n') + 2
  return reply.subarray(start, reply.length - 2)
}

async function dump(c: RespConnection, key: string): Promise<Buffer> {
  const payload = bulk(await c.command('DUMP', key))
  if (payload === null) throw new Error(`no key ${key}`)
  return payload
}

async function digest(c: RespConnection, key: string): Promise<string> {
  return (await c.command('DEBUG', 'DIGEST-VALUE', key)).toString()
}

async function encoding(c: RespConnection, key: string): Promise<string> {
  return (await c.command('OBJECT', 'ENCODING', key)).toString()
}

test('payloads cross between the servers and keep values and encodings', async () => {
  for (const { key, exact } of KEYS) {
    const [fromRedis, fromRedwing] = [await dump(oracle, key), await dump(subject, key)]
    if (exact) expect(fromRedwing.equals(fromRedis), `DUMP ${key}`).toBe(true)
    expect((await subject.command('RESTORE', `${key}:from-redis`, '0', fromRedis)).toString()).toBe('+OK\r\n')
    expect((await oracle.command('RESTORE', `${key}:from-redwing`, '0', fromRedwing)).toString()).toBe('+OK\r\n')
    const original = await digest(oracle, key)
    expect(await digest(subject, key), `digest of ${key}`).toBe(original)
    expect(await digest(subject, `${key}:from-redis`), `digest of ${key} restored in redwing`).toBe(original)
    expect(await digest(oracle, `${key}:from-redwing`), `digest of ${key} restored in redis`).toBe(original)
    // Restored values take the encoding Redis gives a loaded value.
    expect(await encoding(subject, `${key}:from-redis`), `encoding of ${key}`).toBe(
      await encoding(oracle, `${key}:from-redwing`),
    )
  }
})

test('DUMP of a missing key and RESTORE errors', async () => {
  const good = await dump(oracle, 's:embstr')
  const commands: Command[] = [
    ['DUMP', 'nosuch'],
    ['RESTORE', 's:embstr', '0', good],
    ['RESTORE', 'new', '-5', good],
    ['RESTORE', 'new', 'abc', good],
    ['RESTORE', 'new', '0', 'short'],
    ['RESTORE', 'new', '0', good, 'IDLETIME', '-1'],
    ['RESTORE', 'new', '0', good, 'FREQ', '300'],
    ['RESTORE', 'new', '0', good, 'FREQ', '3', 'IDLETIME', '3'],
    ['RESTORE', 'new', '0', good, 'REPLACE', 'EXTRA'],
    ['RESTORE', 'new'],
    ['DUMP'],
  ]
  for (const command of commands) {
    const [expected, actual] = [
      await oracle.command(...command.map(argument)),
      await subject.command(...command.map(argument)),
    ]
    expect(actual.toString(), command.slice(0, 2).join(' ')).toBe(expected.toString())
  }
})

/** Redis's CRC-64 (Jones polynomial, reflected), for footers of mutated payloads. */
function crc64(data: Buffer): bigint {
  let crc = 0n
  for (const byte of data) {
    crc ^= BigInt(byte)
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n
  }
  return crc
}

function withFooter(body: Buffer): Buffer {
  const head = Buffer.concat([body, Buffer.from([10, 0])])
  const crc = Buffer.alloc(8)
  crc.writeBigUInt64LE(crc64(head))
  return Buffer.concat([head, crc])
}

test('corrupt payloads get the same reply from both', async () => {
  const keys = ['s:lzf', 'l:small', 'set:int16', 'h:listpack', 'z:listpack', 'z:skiplist', 'x:plain', 'x:groups']
  let n = 0
  let strictlyRefused = 0
  for (const key of keys) {
    const payload = await dump(oracle, key)
    const body = payload.subarray(0, payload.length - 10)
    const variants: Buffer[] = [payload.subarray(0, payload.length - 1)]
    for (let cut = 1; cut < body.length; cut += Math.max(1, Math.floor(body.length / 25))) {
      variants.push(withFooter(body.subarray(0, cut)))
    }
    for (let at = 0; at < body.length; at += Math.max(1, Math.floor(body.length / 40))) {
      for (const change of [0x01, 0x80, 0xff]) {
        const mutated = Buffer.from(body)
        mutated[at] ^= change
        variants.push(withFooter(mutated))
      }
    }
    for (const variant of variants) {
      const name = `corrupt:${n++}`
      const [expected, actual] = [
        await oracle.command('RESTORE', name, '0', variant),
        await subject.command('RESTORE', name, '0', variant),
      ]
      // Redis takes a stream's IDs on trust; redwing refuses entries out of order or past the
      // stream's last ID, which would break the stream's later commands.
      const stricter = key.startsWith('x:') && expected.toString() === '+OK\r\n' && actual.toString() === BAD_FORMAT
      if (stricter) {
        strictlyRefused++
        continue
      }
      expect(actual.toString(), `${key} variant ${n}: ${variant.toString('hex')}`).toBe(expected.toString())
      if (expected.toString() === '+OK\r\n') {
        expect(await digest(subject, name), `${key} variant ${n}`).toBe(await digest(oracle, name))
      }
    }
  }
  console.log(`${n} corrupt payloads, ${strictlyRefused} streams refused where redis-server accepts them`)
})
