// redwing as a replica of redis-server 7.0.15: full resynchronisation over both framings
// (`$EOF:` diskless and `$<length>`), the live stream of a randomised workload over every type,
// a partial resynchronisation after the link is cut, AUTH with masterauth, READONLY and
// MASTERDOWN refusals compared byte for byte with a redis-server replica, a redis-server
// replica of the redwing replica (the stream passed on as it came), and promotion with
// REPLICAOF NO ONE, after which that replica continues from redwing with a partial resync.
// Each replica must end with the master's DEBUG DIGEST.

import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { startRedwing, type RunningRedwing } from './helpers/server.js'
import { field, run, text, until, workload } from './helpers/replication.js'

const running: { close(): Promise<void> }[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const closable of running.reverse()) await closable.close()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function redis(args: string[]): Promise<{ server: RunningRedis; c: RespConnection }> {
  const server = await startRedisServer(['--enable-debug-command', 'yes', '--repl-diskless-sync-delay', '0', ...args])
  const c = await connect(server.port)
  running.push(server, c)
  return { server, c }
}

async function redwing(args: string[]): Promise<{ server: RunningRedwing; c: RespConnection }> {
  const server = await startRedwing({ args: ['--enable-debug-command', 'yes', ...args] })
  const c = await connect(server.port)
  running.push(server, c)
  return { server, c }
}

const linkUp = (c: RespConnection) =>
  until('the link', async () => (await field(c, 'replication', 'master_link_status')) === 'up')

async function sameDigest(master: RespConnection, replica: RespConnection): Promise<void> {
  await until('the replica to catch up', async () => {
    const [expected, actual] = [await master.command('DEBUG', 'DIGEST'), await replica.command('DEBUG', 'DIGEST')]
    return text(expected) === text(actual)
  })
}

let master: { server: RunningRedis; c: RespConnection }

beforeAll(async () => {
  master = await redis([])
  await run(master.c, workload(11, 400))
})

test('a full sync (EOF-marked), the live stream, a partial resync after a cut link', async () => {
  const { c: r } = await redwing(['--replicaof', '127.0.0.1', String(master.server.port)])
  await linkUp(r)
  await sameDigest(master.c, r)
  await run(master.c, workload(12, 400))
  await sameDigest(master.c, r)

  // INFO and ROLE as a replica.
  const info = text(await r.command('INFO', 'replication'))
  for (const line of ['role:slave', 'master_host:127.0.0.1', `master_port:${master.server.port}`, 'slave_read_only:1'])
    expect(info).toContain(`${line}\r\n`)
  // ROLE shows the master's offset once caught up (read again each time: a PING may join).
  const role = (offset: string) =>
    `*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:${master.server.port}\r\n$9\r\nconnected\r\n:${offset}\r\n`
  await until('ROLE to show the master offset', async () => {
    const offset = await field(master.c, 'replication', 'master_repl_offset')
    return text(await r.command('ROLE')) === role(offset)
  })
  // WAIT on the master counts redwing's acknowledgements.
  await master.c.command('SET', 'acked', '1')
  expect(text(await master.c.command('WAIT', '1', '5000'))).toBe(':1\r\n')

  // Cut the link from the master's side: redwing comes back with PSYNC.
  await master.c.command('CLIENT', 'KILL', 'TYPE', 'replica')
  await run(master.c, workload(13, 100))
  await linkUp(r)
  await sameDigest(master.c, r)
  expect(await field(master.c, 'stats', 'sync_partial_ok')).toBe('1')
})

test('bind-source-addr: the link to the master leaves from that address', async () => {
  const source = await redis(['--protected-mode', 'no'])
  const { c: r } = await redwing([])
  expect(text(await r.command('CONFIG', 'SET', 'bind-source-addr', '127.0.0.2'))).toBe('+OK\r\n')
  await r.command('REPLICAOF', '127.0.0.1', String(source.server.port))
  await linkUp(r)
  expect(await field(source.c, 'replication', 'slave0')).toMatch(/^ip=127\.0\.0\.2,/)
})

test('a full sync with a $<length> file, as an ACL user; repl-diskless-load decides what goes to disk', async () => {
  const disk = await redis([
    '--repl-diskless-sync',
    'no',
    '--requirepass',
    'secret',
    // Redis takes a multi-word value as separate arguments.
    ...['--user', 'repl', 'on', '>pw', '~*', '&*', '+@all'],
  ])
  await disk.c.command('AUTH', 'secret')
  await run(disk.c, workload(21, 200))
  const dir = await mkdtemp(join(tmpdir(), 'redwing-replica-'))
  dirs.push(dir)
  const { c: r } = await redwing([
    '--replicaof',
    '127.0.0.1',
    String(disk.server.port),
    '--masteruser',
    'repl',
    '--masterauth',
    'pw',
    '--dir',
    dir,
    '--repl-diskless-load',
    'disabled',
  ])
  await linkUp(r)
  await sameDigest(disk.c, r)
  const saved = await readFile(join(dir, 'dump.rdb'))
  expect(saved.subarray(0, 5).toString()).toBe('REDIS')

  // on-empty-db: an empty replica loads from the socket; one holding data goes through disk.
  for (const [before, file] of [
    [false, false],
    [true, true],
  ] as const) {
    const emptyDir = await mkdtemp(join(tmpdir(), 'redwing-replica-'))
    dirs.push(emptyDir)
    const args = ['--masterauth', 'secret', '--dir', emptyDir, '--repl-diskless-load', 'on-empty-db']
    const { c: other } = await redwing(args)
    if (before) await other.command('SET', 'mine', '1')
    await other.command('REPLICAOF', '127.0.0.1', String(disk.server.port))
    await linkUp(other)
    await sameDigest(disk.c, other)
    expect(
      await readFile(join(emptyDir, 'dump.rdb')).then(
        () => true,
        () => false,
      ),
    ).toBe(file)
  }
})

test('READONLY, MASTERDOWN and WAIT refusals are redis-server replica refusals, byte for byte', async () => {
  const { c: ours } = await redwing(['--replicaof', '127.0.0.1', String(master.server.port)])
  const { c: theirs } = await redis(['--replicaof', '127.0.0.1', String(master.server.port)])
  await linkUp(ours)
  await linkUp(theirs)
  const same = async (...command: string[]) => {
    const expected = text(await theirs.command(...command))
    expect(text(await ours.command(...command)), command.join(' ')).toBe(expected)
  }
  await same('SET', 'x', '1')
  await same('MULTI')
  await same('INCR', 'x')
  await same('EXEC')
  await same('EVAL', "return redis.call('set', 'x', 1)", '0')
  await same('EVAL', "#!lua\nreturn redis.call('set', 'x', 1)", '0')
  await same('EVAL', "#!lua flags=no-writes\nreturn redis.call('get', 'x')", '0')
  await same('WAIT', '1', '10')
  await same('REPLICAOF', '127.0.0.1', 'port')
  await same('REPLICAOF', '127.0.0.1', String(master.server.port))
  await same('GET', 'acked')

  // With the master gone and replica-serve-stale-data no, only `stale` commands answer; a
  // script that declared flags is one only with `allow-stale`.
  const lonely = await redis([])
  const { c: stale } = await redwing(['--replicaof', '127.0.0.1', String(lonely.server.port)])
  const { c: staleTheirs } = await redis(['--replicaof', '127.0.0.1', String(lonely.server.port)])
  await linkUp(stale)
  await linkUp(staleTheirs)
  const library =
    "#!lua name=stale\nredis.register_function{function_name='fresh', callback=function() return 1 end, flags={'no-writes'}}\n" +
    "redis.register_function{function_name='stale', callback=function() return 2 end, flags={'no-writes', 'allow-stale'}}"
  await lonely.c.command('FUNCTION', 'LOAD', library)
  for (const c of [stale, staleTheirs]) {
    await until('the library to arrive', async () => text(await c.command('FUNCTION', 'LIST')) !== '*0\r\n')
  }
  await lonely.server.close()
  for (const c of [stale, staleTheirs]) {
    await c.command('CONFIG', 'SET', 'replica-serve-stale-data', 'no')
    await until('the link to drop', async () => (await field(c, 'replication', 'master_link_status')) === 'down')
  }
  for (const command of [
    ['GET', 'x'],
    ['PING'],
    ['INFO', 'server'],
    ['FCALL', 'fresh', '0'],
    ['FCALL', 'stale', '0'],
    ['EVAL', 'return 3', '0'],
    ['EVAL', '#!lua flags=no-writes\nreturn 4', '0'],
    ['EVAL', '#!lua flags=no-writes,allow-stale\nreturn 5', '0'],
    ['EVAL', '#!lua flags=bogus\nreturn 6', '0'],
    ['EVAL', "#!lua flags=no-writes,allow-stale\nreturn redis.call('get','x')", '0'],
    ['EVAL', "#!lua flags=no-writes,allow-stale\nreturn redis.call('echo','fresh')", '0'],
    ['SCRIPT', 'LOAD', 'return 7'],
    ['EVALSHA', createHash('sha1').update('return 7').digest('hex'), '0'],
    ['EVALSHA', 'f'.repeat(40), '0'],
    ['FCALL', 'nosuch', '0'],
    ['MULTI'],
    ['FCALL', 'fresh', '0'],
    ['EXEC'],
    ['MULTI'],
    ['FCALL', 'stale', '0'],
    ['EXEC'],
  ]) {
    const expected = text(await staleTheirs.command(...command))
    const actual = text(await stale.command(...command))
    if (command[0] === 'INFO') expect(actual.startsWith('$')).toBe(expected.startsWith('$'))
    else expect(actual, command.join(' ')).toBe(expected)
  }
})

test('a redis-server replica of redwing the replica; REPLICAOF NO ONE keeps it with a partial resync', async () => {
  const { server: middle, c: r } = await redwing(['--replicaof', '127.0.0.1', String(master.server.port)])
  await linkUp(r)
  const { c: leaf } = await redis(['--replicaof', '127.0.0.1', String(middle.port)])
  await linkUp(leaf)
  await run(master.c, workload(31, 300))
  await sameDigest(master.c, r)
  await sameDigest(master.c, leaf)
  // The stream is passed on as it came: the offsets are the master's. The master's is read
  // again each time, as a PING may join the stream while the leaf catches up.
  const offsetOf = (c: RespConnection) => field(c, 'replication', 'master_repl_offset')
  await until('the leaf offset', async () => (await offsetOf(leaf)) === (await offsetOf(master.c)))

  // Promotion: the old id stays valid up to here, so the leaf continues from redwing.
  const oldId = await field(r, 'replication', 'master_replid')
  expect(text(await r.command('REPLICAOF', 'NO', 'ONE'))).toBe('+OK\r\n')
  expect(await field(r, 'replication', 'role')).toBe('master')
  expect(await field(r, 'replication', 'master_replid2')).toBe(oldId)
  await r.command('SET', 'promoted', 'yes')
  await linkUp(leaf)
  await until(
    'the write to reach the leaf',
    async () => text(await leaf.command('GET', 'promoted')) === '$3\r\nyes\r\n',
  )
  await sameDigest(r, leaf)
  expect(await field(r, 'stats', 'sync_partial_ok')).toBe('1')
  expect(await field(r, 'stats', 'sync_full')).toBe('1')
})
