// redis-server 7.0.15 as a replica of redwing: a full resynchronisation, the live stream of a
// randomised workload over every type (transactions, scripts, expiries, several databases),
// a partial resynchronisation after the link is cut, WAIT counting the replica's
// acknowledgements; and redis-cli's --rdb, --functions-rdb and --replica, which ride on the
// same protocol. The replica must end with the master's DEBUG DIGEST.

import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'
import { field, run, text, until, workload } from './helpers/replication.js'

let master: RunningRedwing
let m: RespConnection
const dirs: string[] = []

beforeAll(async () => {
  master = await startRedwing({ args: ['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0'] })
  m = await connect(master.port)
})

afterAll(async () => {
  await m.close()
  await master.close()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Runs redis-cli to its end (asynchronously: the server under test lives in this process);
 * resolves with everything it printed. */
function redisCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', args)
    let printed = ''
    child.stdout.on('data', (d: Buffer) => (printed += d.toString()))
    child.stderr.on('data', (d: Buffer) => (printed += d.toString()))
    child.on('error', reject)
    child.on('exit', () => resolve(printed))
  })
}

async function startReplica(): Promise<{ replica: RunningRedis; r: RespConnection }> {
  const replica = await startRedisServer([
    '--replicaof',
    '127.0.0.1',
    String(master.port),
    '--enable-debug-command',
    'yes',
  ])
  const r = await connect(replica.port)
  await until('the replica to sync', async () => (await field(r, 'replication', 'master_link_status')) === 'up')
  return { replica, r }
}

async function sameDigest(r: RespConnection): Promise<void> {
  const expected = text(await m.command('DEBUG', 'DIGEST'))
  await until('the replica to catch up', async () => text(await r.command('DEBUG', 'DIGEST')) === expected)
}

test('redis-server replicates from redwing: full sync, the live stream, a partial resync, WAIT', async () => {
  await run(m, workload(1, 300))
  await m.command('FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('f', function() return 1 end)")
  const { replica, r } = await startReplica()
  try {
    await sameDigest(r)
    expect(text(await r.command('FUNCTION', 'LIST'))).toBe(text(await m.command('FUNCTION', 'LIST')))
    await run(m, workload(2, 500))
    await sameDigest(r)
    expect(await field(m, 'replication', 'connected_slaves')).toBe('1')
    expect(await field(m, 'replication', 'slave0')).toMatch(
      new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=\\d+$`),
    )

    // WAIT: the replica acknowledges the client's last write.
    await m.command('SET', 'acked', '1')
    expect(text(await m.command('WAIT', '1', '5000'))).toBe(':1\r\n')
    expect(text(await m.command('WAIT', '2', '100'))).toBe(':1\r\n')

    // Cut the link: the replica comes back with PSYNC and continues from the backlog.
    const id = /id=(\d+)[^\n]*flags=S/.exec(text(await m.command('CLIENT', 'LIST')))![1]!
    await m.command('CLIENT', 'KILL', 'ID', id)
    await run(m, workload(3, 100))
    await until('the link to come back', async () => (await field(m, 'replication', 'connected_slaves')) === '1')
    await sameDigest(r)
    expect(await field(m, 'stats', 'sync_partial_ok')).toBe('1')
    expect(await field(m, 'stats', 'sync_full')).toBe('1')
    const role = text(await m.command('ROLE'))
    expect(role).toMatch(
      new RegExp(
        `^\\*3\\r\\n\\$6\\r\\nmaster\\r\\n:\\d+\\r\\n\\*1\\r\\n\\*3\\r\\n\\$9\\r\\n127\\.0\\.0\\.1\\r\\n\\$${String(replica.port).length}\\r\\n${replica.port}\\r\\n`,
      ),
    )
  } finally {
    await r.close()
    await replica.close()
  }
})

test('redis-cli --rdb and --functions-rdb save files redis-server loads; --replica prints the stream', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redwing-cli-rdb-'))
  dirs.push(dir)
  await m.command('FLUSHALL')
  await m.command('SET', 'a', '1')
  await m.command(
    'FUNCTION',
    'LOAD',
    'REPLACE',
    "#!lua name=lib\nredis.register_function('f', function() return 1 end)",
  )
  const rdb = await redisCli(['-p', String(master.port), '--rdb', join(dir, 'dump.rdb')])
  expect(rdb).toContain('Transfer finished with success')
  const functions = await redisCli(['-p', String(master.port), '--functions-rdb', join(dir, 'fn.rdb')])
  expect(functions).toContain('Transfer finished with success')
  expect(spawnSync('redis-check-rdb', [join(dir, 'fn.rdb')]).stdout.toString()).toContain('0 keys read')

  const loaded = await startRedisServer(['--dir', dir, '--dbfilename', 'dump.rdb'])
  const c = await connect(loaded.port)
  expect(text(await c.command('GET', 'a'))).toBe('$1\r\n1\r\n')
  expect(text(await c.command('FCALL', 'f', '0'))).toBe(':1\r\n')
  await c.close()
  await loaded.close()

  const listener = spawn('redis-cli', ['-p', String(master.port), '--replica'])
  let printed = ''
  listener.stdout.on('data', (d: Buffer) => (printed += d.toString()))
  listener.stderr.on('data', (d: Buffer) => (printed += d.toString()))
  await until('redis-cli --replica to sync', async () => /SYNC done.*Logging commands from master/.test(printed))
  await m.command('SET', 'streamed', 'yes')
  await until('the write to be printed', async () => printed.includes('"SET","streamed","yes"'))
  listener.kill()
})
