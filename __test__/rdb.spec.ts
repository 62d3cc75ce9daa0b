// RDB files exchanged with redis-server 7.0.15 both ways: a dataset of every type and encoding
// (small and large, binary values, times to live, several databases, a stream with a group and
// a pending entry, a function library) is saved by one server and loaded at start-up by the
// other, which must then report the same DEBUG DIGEST and the same DEBUG DIGEST-VALUE for
// every key.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { afterAll, expect, test } from 'vitest'
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
}

async function startRedis(dir: string): Promise<Server> {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]
  const child = spawn('redis-server', [...args, '--enable-debug-command', 'yes'], { stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await waitForPort(port)
  return {
    port,
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

async function startRedwing(dir: string): Promise<Server> {
  const server = await spawnRedwing(['--save', '', '--dir', dir, '--enable-debug-command', 'yes'])
  return {
    port: server.port,
    stop: async () => {
      server.child.kill('SIGKILL')
      await server.exited
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

  const reader = await startReader(dir)
  const r = await connect(reader.port)
  expect(await digests(r)).toEqual(expected)
  expect(Number((await r.command('PTTL', 'ttl')).toString().slice(1))).toBeGreaterThan(900_000)
  await r.close()
  await reader.stop()
})
