// MIGRATE between redwing and redis-server 7.0, both ways: keys of every type move with their
// TTL, COPY and REPLACE, the KEYS form, AUTH and AUTH2, SELECT sent once per kept connection,
// the target's errors and unreachable targets with Redis's replies, the `del` event and the
// write stream's DEL, and COMMAND's view of the command, each compared with redis-server.

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { freePort } from './helpers/ports.js'
import { until } from './helpers/replication.js'

let redwing: RunningRedwing
let redis: RunningRedis
let locked: RunningRedis
let ours: RespConnection
let theirs: RespConnection
let lockedClient: RespConnection

const text = (reply: Buffer) => reply.toString()

beforeAll(async () => {
  redwing = await startRedwing()
  redis = await startRedisServer()
  locked = await startRedisServer(['--requirepass', 'sesame', '--user', 'mover', 'on', '>pw', '~*', '+@all'])
  ours = await connect(redwing.port)
  theirs = await connect(redis.port)
  lockedClient = await connect(locked.port)
  expect(text(await lockedClient.command('AUTH', 'sesame'))).toBe('+OK\r\n')
})

afterAll(async () => {
  await Promise.all([ours.close(), theirs.close(), lockedClient.close()])
  await Promise.all([redwing.close(), redis.close(), locked.close()])
})

/** A key's type and contents as replies of the commands that read them, comparable across
 * servers (DUMP is not: a server may pick another encoding for a restored value). */
async function contents(client: RespConnection, key: string): Promise<string> {
  const type = text(await client.command('TYPE', key)).slice(1, -2)
  const read: Record<string, string[]> = {
    string: ['GET', key],
    list: ['LRANGE', key, '0', '-1'],
    hash: ['HGETALL', key],
    set: ['SORT', key, 'ALPHA'],
    zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
    stream: ['XRANGE', key, '-', '+'],
  }
  const command = type === 'string' && key.endsWith(':hll') ? ['PFCOUNT', key] : read[type]
  return `${type} ${command ? text(await client.command(...command)) : ''}`
}

/** Fills `client`'s current database with one key of each type under `prefix`. */
async function fill(client: RespConnection, prefix: string): Promise<string[]> {
  await client.command('SET', `${prefix}:string`, 'value')
  await client.command('PEXPIRE', `${prefix}:string`, '100000')
  await client.command('RPUSH', `${prefix}:list`, 'a', 'b', 'c')
  await client.command('HSET', `${prefix}:hash`, 'f', 'v', 'g', 'w')
  await client.command('SADD', `${prefix}:set`, 'x', 'y', '1')
  await client.command('ZADD', `${prefix}:zset`, '1', 'one', '2.5', 'two')
  await client.command('XADD', `${prefix}:stream`, '1-1', 'k', 'v')
  await client.command('PFADD', `${prefix}:hll`, 'a', 'b')
  return ['string', 'list', 'hash', 'set', 'zset', 'stream', 'hll'].map((type) => `${prefix}:${type}`)
}

describe('MIGRATE from redwing to redis-server', () => {
  test('every type moves with its TTL; the keys are gone here', async () => {
    const keys = await fill(ours, 'out')
    const before = await Promise.all(keys.map((key) => contents(ours, key)))
    for (const key of keys) {
      expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), key, '0', '5000'))).toBe('+OK\r\n')
    }
    for (const [i, key] of keys.entries()) {
      expect(text(await ours.command('EXISTS', key))).toBe(':0\r\n')
      expect(await contents(theirs, key)).toBe(before[i])
    }
    const ttl = Number(text(await theirs.command('PTTL', 'out:string')).slice(1))
    expect(ttl).toBeGreaterThan(90_000)
    expect(ttl).toBeLessThanOrEqual(100_000)
    expect(text(await theirs.command('TTL', 'out:list'))).toBe(':-1\r\n')
  })

  test('COPY keeps the key here; REPLACE overwrites the target, without it the target refuses', async () => {
    await ours.command('SET', 'copied', 'one')
    const migrate = ['MIGRATE', '127.0.0.1', String(redis.port), 'copied', '0', '5000']
    expect(text(await ours.command(...migrate, 'COPY'))).toBe('+OK\r\n')
    expect(text(await ours.command('GET', 'copied'))).toBe('$3\r\none\r\n')
    expect(text(await ours.command(...migrate, 'COPY'))).toBe(
      '-ERR Target instance replied with error: BUSYKEY Target key name already exists.\r\n',
    )
    await ours.command('SET', 'copied', 'two')
    expect(text(await ours.command(...migrate, 'REPLACE'))).toBe('+OK\r\n')
    expect(text(await theirs.command('GET', 'copied'))).toBe('$3\r\ntwo\r\n')
    expect(text(await ours.command('EXISTS', 'copied'))).toBe(':0\r\n')
  })

  test('the KEYS form moves the live keys, into another database, and answers NOKEY for none', async () => {
    await ours.command('MSET', 'many:1', 'a', 'many:2', 'b')
    const migrate = ['MIGRATE', '127.0.0.1', String(redis.port), '', '3', '5000']
    expect(text(await ours.command(...migrate, 'KEYS', 'many:1', 'missing', 'many:2'))).toBe('+OK\r\n')
    await theirs.command('SELECT', '3')
    expect(text(await theirs.command('MGET', 'many:1', 'many:2'))).toBe('*2\r\n$1\r\na\r\n$1\r\nb\r\n')
    await theirs.command('SELECT', '0')
    expect(text(await ours.command(...migrate, 'KEYS', 'many:1', 'missing'))).toBe('+NOKEY\r\n')
    expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), 'missing', '0', '5000'))).toBe(
      '+NOKEY\r\n',
    )
  })

  test('a kept connection sends SELECT only when the database changes', async () => {
    const target = await startRedisServer()
    try {
      const client = await connect(target.port)
      for (const [key, db] of [
        ['kept:1', '5'],
        ['kept:2', '5'],
        ['kept:3', '6'],
        ['kept:4', '6'],
      ] as const) {
        await ours.command('SET', key, 'v')
        expect(text(await ours.command('MIGRATE', '127.0.0.1', String(target.port), key, db, '5000'))).toBe('+OK\r\n')
      }
      const stats = text(await client.command('INFO', 'commandstats'))
      expect(stats).toMatch(/cmdstat_select:calls=2,/)
      expect(stats).toMatch(/cmdstat_restore:calls=4,/)
      expect(text(await client.command('INFO', 'clients'))).toMatch(/connected_clients:2\r\n/)
      expect(text(await ours.command('INFO', 'stats'))).toMatch(/migrate_cached_sockets:[1-9]\r\n/)
      await client.close()
    } finally {
      await target.close()
    }
  })

  test('clients migrating to one target at once take turns on its connection', async () => {
    const clients = await Promise.all([connect(redwing.port), connect(redwing.port), connect(redwing.port)])
    const keys = clients.map((_, c) => Array.from({ length: 50 }, (_, k) => `together:${c}:${k}`))
    for (const [c, client] of clients.entries()) {
      await client.command('MSET', ...keys[c]!.flatMap((key) => [key, key]))
    }
    // A first transfer leaves a kept connection for the others to share.
    await ours.command('SET', 'together:first', 'v')
    expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), 'together:first', '0', '5000'))).toBe(
      '+OK\r\n',
    )
    const replies = await Promise.all(
      clients.map((client, c) =>
        client.command('MIGRATE', '127.0.0.1', String(redis.port), '', String(c + 4), '5000', 'KEYS', ...keys[c]!),
      ),
    )
    expect(replies.map(text)).toEqual(['+OK\r\n', '+OK\r\n', '+OK\r\n'])
    for (const [c, client] of clients.entries()) {
      expect(text(await client.command('EXISTS', ...keys[c]!))).toBe(':0\r\n')
      await theirs.command('SELECT', String(c + 4))
      expect(text(await theirs.command('EXISTS', ...keys[c]!))).toBe(':50\r\n')
      await client.close()
    }
    await theirs.command('SELECT', '0')
  })

  test('the target closing the kept connection is survived by connecting again', async () => {
    await ours.command('SET', 'again:1', 'v')
    expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), 'again:1', '0', '5000'))).toBe('+OK\r\n')
    await theirs.command('CLIENT', 'KILL', 'SKIPME', 'yes')
    await ours.command('SET', 'again:2', 'v')
    expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), 'again:2', '0', '5000'))).toBe('+OK\r\n')
    expect(text(await theirs.command('EXISTS', 'again:1', 'again:2'))).toBe(':2\r\n')
  })

  test('AUTH and AUTH2 log in to the target; a wrong password is the target error', async () => {
    await ours.command('MSET', 'auth:1', 'a', 'auth:2', 'b', 'auth:3', 'c')
    const to = ['MIGRATE', '127.0.0.1', String(locked.port)]
    // First, on a new connection: the target refuses the password, then the RESTORE.
    expect(text(await ours.command(...to, 'auth:3', '0', '5000', 'AUTH', 'wrong'))).toBe(
      '-ERR Target instance replied with error: WRONGPASS invalid username-password pair or user is disabled.\r\n',
    )
    expect(text(await ours.command('EXISTS', 'auth:3'))).toBe(':1\r\n')
    expect(text(await ours.command(...to, 'auth:1', '0', '5000', 'AUTH', 'sesame'))).toBe('+OK\r\n')
    expect(text(await ours.command(...to, 'auth:2', '0', '5000', 'AUTH2', 'mover', 'pw'))).toBe('+OK\r\n')
    expect(text(await lockedClient.command('MGET', 'auth:1', 'auth:2', 'auth:3'))).toBe(
      '*3\r\n$1\r\na\r\n$1\r\nb\r\n$-1\r\n',
    )
  })

  test('large values move whole', async () => {
    await ours.command('SET', 'large:string', 'x'.repeat(5 * 1024 * 1024))
    const members = Array.from({ length: 20_000 }, (_, i) => `member-${i}-${'y'.repeat(40)}`)
    await ours.command('SADD', 'large:set', ...members)
    const to = ['MIGRATE', '127.0.0.1', String(redis.port), '', '0', '5000']
    expect(text(await ours.command(...to, 'KEYS', 'large:string', 'large:set'))).toBe('+OK\r\n')
    expect(text(await theirs.command('STRLEN', 'large:string'))).toBe(`:${5 * 1024 * 1024}\r\n`)
    expect(text(await theirs.command('SCARD', 'large:set'))).toBe(':20000\r\n')
    expect(text(await theirs.command('SMISMEMBER', 'large:set', members[0]!, members[19_999]!))).toBe(
      '*2\r\n:1\r\n:1\r\n',
    )
  })

  test('a target slower than the timeout: IOERR, and the key stays here', async () => {
    const slow = await startRedisServer(['--enable-debug-command', 'yes'])
    const sleeper = await connect(slow.port)
    try {
      await ours.command('SET', 'slow:key', 'v')
      sleeper.send(Buffer.from('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n1.0\r\n'))
      const reply = await ours.command('MIGRATE', '127.0.0.1', String(slow.port), 'slow:key', '0', '300')
      expect(text(reply)).toBe('-IOERR error or timeout reading to target instance\r\n')
      expect(text(await ours.command('EXISTS', 'slow:key'))).toBe(':1\r\n')
      expect(text(await sleeper.readReply())).toBe('+OK\r\n')
    } finally {
      await sleeper.close()
      await slow.close()
    }
  })

  test('a key another client writes during the transfer keeps its new value', async () => {
    const slow = await startRedisServer(['--enable-debug-command', 'yes'])
    const [sleeper, target, writer] = [await connect(slow.port), await connect(slow.port), await connect(redwing.port)]
    try {
      await ours.command('MSET', 'racing:written', 'v', 'racing:untouched', 'w')
      // The target sleeps before it reads the RESTOREs: MIGRATE waits, other clients do not.
      sleeper.send(Buffer.from('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.5\r\n'))
      const to = ['MIGRATE', '127.0.0.1', String(slow.port), '', '0', '5000']
      const migrated = ours.command(...to, 'KEYS', 'racing:written', 'racing:untouched')
      await until('MIGRATE runs', async () => text(await writer.command('CLIENT', 'LIST')).includes('cmd=migrate'))
      expect(text(await writer.command('SET', 'racing:written', 'newer'))).toBe('+OK\r\n')
      expect(text(await migrated)).toBe('+OK\r\n')
      expect(text(await ours.command('MGET', 'racing:written', 'racing:untouched'))).toBe(
        '*2\r\n$5\r\nnewer\r\n$-1\r\n',
      )
      expect(text(await target.command('MGET', 'racing:written', 'racing:untouched'))).toBe(
        '*2\r\n$1\r\nv\r\n$1\r\nw\r\n',
      )
      expect(text(await sleeper.readReply())).toBe('+OK\r\n')
    } finally {
      for (const client of [sleeper, target, writer]) await client.close()
      await slow.close()
    }
  })

  test('a client killed during the transfer: the keys the target took are still removed', async () => {
    const slow = await startRedisServer(['--enable-debug-command', 'yes'])
    const [sleeper, target, mover] = [await connect(slow.port), await connect(slow.port), await connect(redwing.port)]
    try {
      await ours.command('SET', 'abandoned:key', 'v')
      const id = text(await mover.command('CLIENT', 'ID')).slice(1, -2)
      sleeper.send(Buffer.from('*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$3\r\n0.5\r\n'))
      const migrate = ['MIGRATE', '127.0.0.1', String(slow.port), 'abandoned:key', '0', '5000']
      mover.send(Buffer.from(`*6\r\n${migrate.map((arg) => `$${arg.length}\r\n${arg}\r\n`).join('')}`))
      await until('MIGRATE runs', async () => text(await ours.command('CLIENT', 'LIST')).includes('cmd=migrate'))
      // Redis could not serve the KILL before the MIGRATE ended; here it is served at once.
      expect(text(await ours.command('CLIENT', 'KILL', 'ID', id))).toBe(':1\r\n')
      expect(text(await sleeper.readReply())).toBe('+OK\r\n')
      await until('the key left', async () => text(await ours.command('EXISTS', 'abandoned:key')) === ':0\r\n')
      expect(text(await target.command('GET', 'abandoned:key'))).toBe('$1\r\nv\r\n')
      // The session was released once the transfer ended.
      await until('the client is gone', async () => !text(await ours.command('CLIENT', 'LIST')).includes(`id=${id} `))
    } finally {
      for (const client of [sleeper, target, mover]) await client.close()
      await slow.close()
    }
  })

  test('a removed key is a del event', async () => {
    await ours.command('CONFIG', 'SET', 'notify-keyspace-events', 'Eg')
    const subscriber = await connect(redwing.port)
    await subscriber.command('SUBSCRIBE', '__keyevent@0__:del')
    await ours.command('SET', 'evented', 'v')
    expect(text(await ours.command('MIGRATE', '127.0.0.1', String(redis.port), 'evented', '0', '5000'))).toBe('+OK\r\n')
    expect(text(await subscriber.readReply())).toBe(
      '*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$7\r\nevented\r\n',
    )
    await ours.command('CONFIG', 'SET', 'notify-keyspace-events', '')
    await subscriber.close()
  })
})

describe('MIGRATE in the write stream', () => {
  test('a redis-server replica of redwing loses the moved keys (DEL), not the copied one', async () => {
    await ours.command('MSET', 'replicated:1', 'a', 'replicated:2', 'b', 'replicated:3', 'c')
    const replica = await startRedisServer(['--replicaof', '127.0.0.1', String(redwing.port)])
    const client = await connect(replica.port)
    try {
      await until('the replica is in sync', async () =>
        text(await client.command('INFO', 'replication')).includes('master_link_status:up'),
      )
      await until('the replica has the keys', async () =>
        text(await client.command('EXISTS', 'replicated:1', 'replicated:2', 'replicated:3')).startsWith(':3'),
      )
      const to = ['MIGRATE', '127.0.0.1', String(redis.port), '', '0', '5000']
      expect(text(await ours.command(...to, 'KEYS', 'replicated:1', 'replicated:2'))).toBe('+OK\r\n')
      expect(text(await ours.command(...to, 'COPY', 'KEYS', 'replicated:3'))).toBe('+OK\r\n')
      await ours.command('SET', 'replicated:marker', 'x')
      await until('the replica has the marker', async () =>
        text(await client.command('EXISTS', 'replicated:marker')).startsWith(':1'),
      )
      expect(text(await client.command('EXISTS', 'replicated:1', 'replicated:2', 'replicated:3'))).toBe(':1\r\n')
    } finally {
      await client.close()
      await replica.close()
    }
  })
})

describe('MIGRATE from redis-server to redwing', () => {
  test('every type moves, in the KEYS form, into a selected database', async () => {
    const keys = await fill(theirs, 'in')
    const before = await Promise.all(keys.map((key) => contents(theirs, key)))
    const reply = await theirs.command('MIGRATE', '127.0.0.1', String(redwing.port), '', '2', '5000', 'KEYS', ...keys)
    expect(text(reply)).toBe('+OK\r\n')
    expect(text(await theirs.command('EXISTS', ...keys))).toBe(':0\r\n')
    await ours.command('SELECT', '2')
    for (const [i, key] of keys.entries()) expect(await contents(ours, key)).toBe(before[i])
    expect(Number(text(await ours.command('PTTL', 'in:string')).slice(1))).toBeGreaterThan(90_000)
    await ours.command('SELECT', '0')
  })
})

describe('MIGRATE replies like redis-server', () => {
  const cases: string[][] = [
    ['MIGRATE', '127.0.0.1', '1', 'k', '0'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'BOGUS'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'AUTH'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'AUTH2', 'user'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', '1000', 'KEYS', 'a'],
    ['MIGRATE', '127.0.0.1', '1', 'k', 'db', '1000'],
    ['MIGRATE', '127.0.0.1', '1', 'k', '0', 'soon'],
    ['MIGRATE', '127.0.0.1', '1', 'absent', '0', '1000'],
    ['COMMAND', 'INFO', 'MIGRATE'],
    ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '1000'],
    ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '1000', 'AUTH2', 'u', 'p', 'KEYS', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'k', '0', '1000', 'KEYS', 'a'],
  ]
  for (const args of cases) {
    test(args.join(' '), async () => {
      expect(text(await ours.command(...args))).toBe(text(await theirs.command(...args)))
    })
  }

  test('MONITOR shows passwords (MIGRATE AUTH and AUTH2, AUTH, HELLO AUTH) as (redacted)', async () => {
    const lines: string[][] = []
    for (const port of [redwing.port, redis.port]) {
      const monitor = await connect(port)
      const client = await connect(port)
      expect(text(await monitor.command('MONITOR'))).toBe('+OK\r\n')
      const commands = [
        ['MIGRATE', '127.0.0.1', '1', 'nothing', '9', '5000'],
        ['MIGRATE', '127.0.0.1', '1', 'nothing', '9', '5000', 'AUTH', 'user'],
        ['MIGRATE', '127.0.0.1', '1', 'nothing', '9', '5000', 'AUTH2', 'user', 'password'],
        ['AUTH', 'not-real'],
        ['AUTH', 'not-real', 'not-a-password'],
        ['HELLO', '2', 'AUTH', 'not-real', 'not-a-password'],
      ]
      for (const command of commands) await client.command(...command)
      const seen = []
      // The server's time and the client's address differ; what follows must not.
      for (let i = 0; i < commands.length; i++) seen.push(text(await monitor.readReply()).replace(/^\+[^\]]*\] /, ''))
      lines.push(seen)
      await Promise.all([monitor.close(), client.close()])
    }
    expect(lines[0]).toEqual(lines[1])
    expect(lines[0]![2]).toBe('"MIGRATE" "127.0.0.1" "1" "nothing" "9" "5000" "AUTH2" "(redacted)" "(redacted)"\r\n')
  })

  test('a target that refuses the connection: both give the same IOERR and keep the key', async () => {
    const port = String(await freePort())
    for (const client of [ours, theirs]) await client.command('SET', 'stranded', 'v')
    const args = ['MIGRATE', '127.0.0.1', port, 'stranded', '0', '1000']
    expect(text(await ours.command(...args))).toBe(text(await theirs.command(...args)))
    expect(text(await ours.command(...args))).toBe('-IOERR error or timeout writing to target instance\r\n')
    expect(text(await ours.command('EXISTS', 'stranded'))).toBe(':1\r\n')
  })
})
