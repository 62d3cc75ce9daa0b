// Persistence files exchanged with redis-server 7.0.15 both ways: a dataset of every type and
// encoding (small and large, binary values, times to live, several databases, a stream with a
// group and a pending entry, a function library) is saved by one server — as an RDB file, or
// as an append-only directory written across a rewrite — and loaded at start-up by the other,
// which must then report the same DEBUG DIGEST and the same DEBUG DIGEST-VALUE for every key.
// redis-check-aof checks the AOF directories redwing writes.

import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { freePort, waitForPort } from './helpers/ports.js'
import { spawnRedwing } from './helpers/server.js'

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'redwing-rdb-'))
  dirs.push(dir)
  return dir
}

interface Server {
  port: number
  stop(): Promise<void>
  /** Sends SIGTERM; resolves with the exit code. */
  terminate(): Promise<number | null>
}

async function startRedis(dir: string, extra: string[] = []): Promise<Server> {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]
  const child = spawn('redis-server', [...args, '--enable-debug-command', 'yes', ...extra], { stdio: 'ignore' })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitForPort(port)
  return {
    port,
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    },
    terminate: () => {
      child.kill('SIGTERM')
      return exited
    },
  }
}

async function startRedwing(dir: string, extra: string[] = []): Promise<Server> {
  const server = await spawnRedwing(['--save', '', '--dir', dir, '--enable-debug-command', 'yes', ...extra])
  return {
    port: server.port,
    stop: async () => {
      server.child.kill('SIGKILL')
      await server.exited
    },
    terminate: () => {
      server.child.kill('SIGTERM')
      return server.exited
    },
  }
}

const big = Array.from({ length: 300 }, (_, i) => `member-${i}`)
const DATASET: string[][] = [
  ['SET', 'string', 'hello'],
  ['SET', 'number', '12345'],
  ['SET', 'binary', '\x00\xff\r\n'],
  ['SET', 'long', 'abc'.repeat(1000)],
  ['SET', 'ttl', 'v', 'PX', '1000000'],
  ['RPUSH', 'list', 'a', 'b', '1', '2'],
  ['RPUSH', 'biglist', ...big],
  ['SADD', 'intset', '1', '2', '-7', '100000'],
  ['SADD', 'set', 'a', 'b', 'c'],
  ['SADD', 'bigset', ...big],
  ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
  ['HSET', 'bighash', ...big.flatMap((m) => [m, m.repeat(2)])],
  ['ZADD', 'zset', '1', 'a', '2.5', 'b', '-3', 'c'],
  ['ZADD', 'bigzset', ...big.flatMap((m, i) => [`${i}.25`, m])],
  ['PFADD', 'hll', 'a', 'b', 'c'],
  ['XADD', 'stream', '1-1', 'f', 'v'],
  ['XADD', 'stream', '2-1', 'f', 'v', 'g', 'w'],
  ['XGROUP', 'CREATE', 'stream', 'group', '0'],
  ['XREADGROUP', 'GROUP', 'group', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>'],
  ['FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('f', function(keys, args) return 1 end)"],
  ['SELECT', '2'],
  ['SET', 'elsewhere', 'x'],
  ['SELECT', '0'],
]
const KEYS = DATASET.filter((c) => !['XGROUP', 'XREADGROUP', 'FUNCTION', 'SELECT'].includes(c[0]!)).map((c) => c[1]!)

async function fill(c: RespConnection): Promise<void> {
  for (const command of DATASET) {
    const reply = await c.command(...command)
    expect(reply.toString('latin1').startsWith('-'), `${command.join(' ')}: ${reply.toString('latin1')}`).toBe(false)
  }
}

async function digests(c: RespConnection): Promise<string[]> {
  const all = await c.command('DEBUG', 'DIGEST')
  const values = await c.command('DEBUG', 'DIGEST-VALUE', ...[...new Set(KEYS)])
  const functions = await c.command('FUNCTION', 'LIST', 'WITHCODE')
  return [all.toString('latin1'), values.toString('latin1'), functions.toString('latin1')]
}

test.each([
  ['redwing', 'redis-server', startRedwing, startRedis],
  ['redis-server', 'redwing', startRedis, startRedwing],
] as const)('%s saves a file %s loads', async (_writer, _reader, startWriter, startReader) => {
  const dir = await freshDir()
  const writer = await startWriter(dir)
  const w = await connect(writer.port)
  await fill(w)
  const expected = await digests(w)
  expect((await w.command('SAVE')).toString()).toBe('+OK\r\n')
  await w.close()
  await writer.stop()
  if (startWriter === startRedwing) {
    const check = spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')])
    expect(check.stdout.toString()).toContain('\\o/ RDB looks OK! \\o/')
  }

  const reader = await startReader(dir)
  const r = await connect(reader.port)
  expect(await digests(r)).toEqual(expected)
  expect(Number((await r.command('PTTL', 'ttl')).toString().slice(1))).toBeGreaterThan(900_000)
  await r.close()
  await reader.stop()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until INFO persistence says no AOF rewrite is under way. */
async function rewriteDone(c: RespConnection): Promise<void> {
  for (let i = 0; i < 100 && (await info(c, 'aof_rewrite_in_progress')) !== '0'; i++) await sleep(50)
  expect(await info(c, 'aof_last_bgrewrite_status')).toBe('ok')
}

test.each([
  ['redwing', 'redis-server', 'yes', startRedwing, startRedis],
  ['redwing', 'redis-server', 'no', startRedwing, startRedis],
  ['redis-server', 'redwing', 'yes', startRedis, startRedwing],
  ['redis-server', 'redwing', 'no', startRedis, startRedwing],
] as const)(
  '%s writes an AOF directory %s loads (aof-use-rdb-preamble %s)',
  async (writerName, _reader, preamble, startWriter, startReader) => {
    const dir = await freshDir()
    const aof = ['--appendonly', 'yes', '--aof-use-rdb-preamble', preamble]
    const writer = await startWriter(dir, aof)
    const w = await connect(writer.port)
    const half = DATASET.length >> 1
    for (const command of DATASET.slice(0, half)) await w.command(...command)
    // The first half goes into a rewritten base, the rest into the incremental file after it.
    expect((await w.command('BGREWRITEAOF')).toString()).toBe('+Background append only file rewriting started\r\n')
    await rewriteDone(w)
    for (const command of DATASET.slice(half)) await w.command(...command)
    const expected = await digests(w)
    await w.close()
    // Killed, not shut down: what was acknowledged is in the files already.
    await writer.stop()
    if (writerName === 'redwing') {
      const check = spawnSync('redis-check-aof', [join(dir, 'appendonlydir', 'appendonly.aof.manifest')])
      expect(check.stdout.toString()).toContain('All AOF files and manifest are valid')
    }

    const reader = await startReader(dir, aof)
    const r = await connect(reader.port)
    expect(await digests(r)).toEqual(expected)
    await r.close()
    await reader.stop()
  },
)

async function info(c: RespConnection, field: string): Promise<string> {
  const text = (await c.command('INFO', 'persistence')).toString('latin1')
  return new RegExp(`${field}:(\\S*)`).exec(text)?.[1] ?? ''
}

test('BGSAVE, the save rules, SHUTDOWN and SIGTERM write the file a restart loads', async () => {
  const dir = await freshDir()
  const first = await spawnRedwing(['--save', '1 1', '--dir', dir])
  const c = await connect(first.port)
  expect((await c.command('SET', 'a', '1')).toString()).toBe('+OK\r\n')
  expect((await c.command('BGSAVE')).toString()).toBe('+Background saving started\r\n')
  for (let i = 0; i < 50 && (await info(c, 'rdb_bgsave_in_progress')) !== '0'; i++) await sleep(20)
  expect(await info(c, 'rdb_last_bgsave_status')).toBe('ok')
  expect(spawnSync('redis-check-rdb', [join(dir, 'dump.rdb')]).stdout.toString()).toContain('RDB looks OK')
  expect(await info(c, 'rdb_changes_since_last_save')).toBe('0')
  expect((await c.command('BGSAVE', 'nonsense')).toString()).toBe('-ERR syntax error\r\n')
  // The rule "1 1": one change and a second later, a background save.
  await c.command('SET', 'b', '2')
  await sleep(2200)
  expect(await info(c, 'rdb_changes_since_last_save')).toBe('0')
  expect(Number(await info(c, 'rdb_saves'))).toBeGreaterThanOrEqual(2)
  await first.waitForOutput(/1 changes in 1 seconds\. Saving\.\.\./)
  // SHUTDOWN saves when rules are set.
  await c.command('SET', 'c', '3')
  c.send(Buffer.from('*1\r\n$8\r\nSHUTDOWN\r\n'))
  expect(await first.exited).toBe(0)

  const second = await spawnRedwing(['--save', '3600 1', '--dir', dir])
  const d = await connect(second.port)
  expect((await d.command('MGET', 'a', 'b', 'c')).toString()).toBe('*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n')
  await d.command('SET', 'd', '4')
  await d.close()
  // SIGTERM saves too.
  second.child.kill('SIGTERM')
  await second.exited

  const third = await spawnRedwing(['--save', '', '--dir', dir])
  const e = await connect(third.port)
  expect((await e.command('GET', 'd')).toString()).toBe('$1\r\n4\r\n')
  await e.close()
  third.child.kill('SIGKILL')
  await third.exited
})

test('DEBUG RELOAD with its options, as redis-server does it', async () => {
  const replies: string[][] = []
  for (const start of [startRedis, startRedwing]) {
    const dir = await freshDir()
    const server = await start(dir)
    const c = await connect(server.port)
    const seen: string[] = []
    for (const command of [
      ['SET', 'a', '1'],
      ['DEBUG', 'RELOAD'],
      ['SET', 'b', '2'],
      ['DEBUG', 'RELOAD', 'NOSAVE'],
      ['GET', 'b'],
      ['SET', 'a', 'changed'],
      // (NOFLUSH without MERGE over a key the file holds makes redis-server abort on the
      // duplicate; redwing answers an error instead, tested below.)
      ['DEBUG', 'RELOAD', 'NOFLUSH', 'MERGE'],
      ['GET', 'a'],
      ['DEBUG', 'RELOAD', 'BOGUS'],
    ]) {
      seen.push((await c.command(...command)).toString('latin1'))
    }
    replies.push(seen)
    await c.close()
    await server.stop()
  }
  expect(replies[1]).toEqual(replies[0])
})

test('DEBUG RELOAD NOFLUSH refuses a file holding a key that exists, and changes nothing', async () => {
  const server = await startRedwing(await freshDir())
  const c = await connect(server.port)
  await c.command('SET', 'a', '1')
  expect((await c.command('DEBUG', 'RELOAD')).toString()).toBe('+OK\r\n')
  await c.command('SET', 'b', '2')
  expect((await c.command('DEBUG', 'RELOAD', 'NOFLUSH', 'NOSAVE')).toString()).toBe(
    '-ERR Error trying to load the RDB dump\r\n',
  )
  expect((await c.command('MGET', 'a', 'b')).toString()).toBe('*2\r\n$1\r\n1\r\n$1\r\n2\r\n')
  await c.close()
  await server.stop()
})

describe('while the RDB file loads at start-up', () => {
  // A file of 20000 keys of 1000 bytes, which `key-load-delay` makes take seconds to load, with
  // clients served every 1024 bytes read (Redis's knobs for testing this).
  let file: Buffer
  const slow = ['--key-load-delay', '100', '--loading-process-events-interval-bytes', '1024']
  const starters = [startRedis, startRedwing]

  beforeAll(async () => {
    const dir = await freshDir()
    const maker = await startRedis(dir, ['--rdbcompression', 'no'])
    const c = await connect(maker.port)
    await c.command('DEBUG', 'POPULATE', '20000', 'key', '1000')
    await c.command('SAVE')
    await c.close()
    await maker.stop()
    file = await readFile(join(dir, 'dump.rdb'))
  })

  async function startLoading(
    start: typeof startRedis,
    extra: string[] = [],
  ): Promise<{ server: Server; dir: string }> {
    const dir = await freshDir()
    await writeFile(join(dir, 'dump.rdb'), file)
    return { server: await start(dir, [...slow, ...extra]), dir }
  }

  test('clients get -LOADING for most commands, and INFO says how far it got, as redis-server', async () => {
    const seen: string[][] = []
    for (const start of starters) {
      const { server } = await startLoading(start, ['--enable-protected-configs', 'yes'])
      const c = await connect(server.port)
      const replies: string[] = []
      for (const command of [
        ['PING'],
        ['GET', 'key:1'],
        ['CONFIG', 'SET', 'dir', '/nonexistent'],
        ['CONFIG', 'SET', 'loglevel', 'debug'],
        ['CONFIG', 'GET', 'loglevel'],
        ['DEBUG', 'LOG', 'still loading'],
        ['MULTI'],
        ['SET', 'a', '1'],
        ['EXEC'],
        ['SAVE'],
      ]) {
        replies.push((await c.command(...command)).toString())
      }
      const info = (await c.command('INFO', 'persistence')).toString().split('\r\n')
      const field = (name: string) => info.find((line) => line.startsWith(`${name}:`))
      replies.push(field('loading')!, field('loading_total_bytes')!, field('loading_rdb_used_mem')!)
      replies.push(
        info
          .filter((line) => line.startsWith('loading_'))
          .map((line) => line.split(':')[0])
          .join(),
      )
      const perc = Number(field('loading_loaded_perc')!.split(':')[1])
      expect(perc).toBeGreaterThanOrEqual(0)
      expect(perc).toBeLessThan(100)
      // Then the load ends, and every key is there.
      const deadline = Date.now() + 60_000
      while ((await c.command('PING')).toString() !== '+PONG\r\n') {
        if (Date.now() > deadline) throw new Error('the load never ended')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      replies.push((await c.command('DBSIZE')).toString(), (await c.command('STRLEN', 'key:19999')).toString())
      const after = (await c.command('INFO', 'persistence')).toString().split('\r\n')
      replies.push(...after.filter((line) => /^(loading|rdb_last_load_keys_loaded):/.test(line)))
      seen.push(replies)
      await c.close()
      await server.stop()
    }
    expect(seen[0]).toContain('loading:1')
    expect(seen[1]).toEqual(seen[0])
  })

  test('ioredis, connecting during the load, waits for it to end (its ready check reads INFO)', async () => {
    const { server } = await startLoading(startRedwing)
    const c = await connect(server.port)
    expect((await c.command('PING')).toString()).toBe('-LOADING Redis is loading the dataset in memory\r\n')
    await c.close()
    const client = new Redis({ port: server.port, lazyConnect: true })
    await client.connect()
    expect(await client.dbsize()).toBe(20000)
    expect(await client.strlen('key:19999')).toBe(1000)
    client.disconnect()
    await server.stop()
  })

  test('a shutdown signal ends the process without saving over the file, as redis-server', async () => {
    for (const start of starters) {
      // With a save rule: a shutdown would save, were the dataset not half read.
      const { server, dir } = await startLoading(start, ['--save', '1 1'])
      const c = await connect(server.port)
      expect((await c.command('PING')).toString()).toBe('-LOADING Redis is loading the dataset in memory\r\n')
      await c.close()
      expect(await server.terminate()).toBe(0)
      expect((await readFile(join(dir, 'dump.rdb'))).equals(file)).toBe(true)
    }
  })
})
