// Failover with redwing nodes. Three Sentinels (redis-server 7.0.15 in sentinel mode) watch a
// redwing master with two redwing replicas; the master is killed, they promote a replica
// (REPLICAOF NO ONE, CONFIG REWRITE, CLIENT KILL inside MULTI) and point the other at it.
// Writes acknowledged under `min-replicas-to-write 1` and WAIT survive, and clients that find
// the master through Sentinel (ioredis, redis-py) follow it. Then FAILOVER, the coordinated
// handover, between redwing nodes and with redis-server on either side.

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { freePort, waitForPort } from './helpers/ports.js'
import { startRedisServer } from './helpers/redis.js'
import { spawnRedwing, startRedwing, type RedwingProcess } from './helpers/server.js'
import { field, text, until } from './helpers/replication.js'

const children: ChildProcess[] = []
const closing: { close(): Promise<void> }[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  for (const c of closing.reverse()) await c.close().catch(() => {})
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'redwing-sentinel-'))
  dirs.push(dir)
  return dir
}

/** A redwing node as its own process, with a config file Sentinel's CONFIG REWRITE updates. */
async function node(dir: string, name: string, extra: string[]): Promise<RedwingProcess & { config: string }> {
  const config = join(dir, `${name}.conf`)
  const port = await freePort()
  const lines = [
    `port ${port}`,
    'save ""',
    `dir ${dir}`,
    `dbfilename ${name}.rdb`,
    'repl-diskless-sync-delay 0',
    ...extra,
  ]
  await writeFile(config, lines.join('\n') + '\n')
  const server = await spawnRedwing([config])
  children.push(server.child)
  return { ...server, config }
}

async function sentinel(dir: string, index: number, masterPort: number): Promise<number> {
  const port = await freePort()
  const config = join(dir, `sentinel-${index}.conf`)
  const lines = [
    `port ${port}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
    'sentinel down-after-milliseconds mymaster 1000',
    'sentinel failover-timeout mymaster 10000',
    'sentinel parallel-syncs mymaster 1',
  ]
  await writeFile(config, lines.join('\n') + '\n')
  const child = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' })
  children.push(child)
  await waitForPort(port)
  return port
}

async function client(port: number): Promise<RespConnection> {
  const c = await connect(port)
  closing.push(c)
  return c
}

/** An INFO field read over a connection of its own (Sentinel kills the clients of the nodes
 * it reconfigures, at moments the test does not choose). */
async function freshField(port: number, section: string, name: string): Promise<string> {
  const c = await connect(port)
  try {
    return await field(c, section, name)
  } catch {
    return ''
  } finally {
    await c.close().catch(() => {})
  }
}

/** SENTINEL MASTER's fields as a map. */
async function sentinelView(c: RespConnection): Promise<Map<string, string>> {
  const words = text(await c.command('SENTINEL', 'MASTER', 'mymaster'))
    .split('\r\n')
    .filter((line) => line !== '' && !/^[*$]/.test(line))
  const view = new Map<string, string>()
  for (let i = 0; i + 1 < words.length; i += 2) view.set(words[i]!, words[i + 1]!)
  return view
}

function python(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, ...args])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`python3 exited ${code}: ${out}`))))
  })
}

const REDIS_PY = `
import sys
from redis.sentinel import Sentinel
sentinel = Sentinel([('127.0.0.1', int(port)) for port in sys.argv[1:]], socket_timeout=2)
master = sentinel.master_for('mymaster', socket_timeout=2)
master.set('from-python', 'yes')
master.execute_command('WAIT', 1, 2000)
print(sentinel.discover_master('mymaster')[1])
print(sentinel.slave_for('mymaster', socket_timeout=2).get('from-python').decode())
`

test('Sentinel fails over a killed redwing master; acknowledged writes survive; clients follow', async () => {
  const dir = await scratch()
  const safety = ['min-replicas-to-write 1', 'min-replicas-max-lag 10']
  const a = await node(dir, 'a', safety)
  const b = await node(dir, 'b', [...safety, `replicaof 127.0.0.1 ${a.port}`])
  const c = await node(dir, 'c', [...safety, `replicaof 127.0.0.1 ${a.port}`])
  const [ca, cb, cc] = [await client(a.port), await client(b.port), await client(c.port)]
  for (const replica of [cb, cc]) {
    await until('the replica link', async () => (await field(replica, 'replication', 'master_link_status')) === 'up')
  }
  const sentinels = [await sentinel(dir, 1, a.port), await sentinel(dir, 2, a.port), await sentinel(dir, 3, a.port)]
  const watcher = await client(sentinels[0]!)
  await until(
    'the sentinels to find the replicas and each other',
    async () => {
      const view = await sentinelView(watcher)
      return view.get('num-slaves') === '2' && view.get('num-other-sentinels') === '2'
    },
    30_000,
  )

  // Writes through Sentinel discovery, each batch acknowledged by a replica.
  const io = new Redis({ sentinels: sentinels.map((port) => ({ host: '127.0.0.1', port })), name: 'mymaster' })
  io.on('error', () => {}) // reconnection attempts while the master is down
  closing.push({ close: async () => void io.disconnect() })
  const acknowledged: string[] = []
  for (let batch = 0; batch < 10; batch++) {
    const keys = Array.from({ length: 20 }, (_, i) => `k:${batch}:${i}`)
    await io.mset(...keys.flatMap((key) => [key, key]))
    expect(Number(await io.call('WAIT', '1', '2000'))).toBeGreaterThanOrEqual(1)
    acknowledged.push(...keys)
  }
  expect(text(await ca.command('DBSIZE'))).toBe(':200\r\n')

  a.child.kill('SIGKILL')
  await until(
    'Sentinel to promote a replica',
    async () => {
      const address = text(await watcher.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'))
      return !address.includes(`\r\n${a.port}\r\n`)
    },
    30_000,
  )
  // Sentinel disconnects the clients of the nodes it reconfigures: connect again.
  const address = text(await watcher.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'))
  const [newMaster, newReplica] = address.includes(`\r\n${b.port}\r\n`) ? [b, c] : [c, b]
  expect(await freshField(newMaster.port, 'replication', 'role')).toBe('master')
  // The other replica follows the new master.
  await until(
    'the other replica to follow',
    async () =>
      (await freshField(newReplica.port, 'replication', 'master_port')) === String(newMaster.port) &&
      (await freshField(newReplica.port, 'replication', 'master_link_status')) === 'up',
    30_000,
  )
  const promoted = { server: newMaster, c: await client(newMaster.port) }
  // Sentinel's CONFIG REWRITE removed `replicaof` from the promoted node's file.
  expect(await readFile(promoted.server.config, 'utf8')).not.toMatch(/^replicaof/m)
  expect(await readFile(newReplica.config, 'utf8')).toContain(`replicaof 127.0.0.1 ${promoted.server.port}`)

  // No acknowledged write is lost, and the clients find the new master.
  const values = await io.mget(...acknowledged)
  expect(values).toEqual(acknowledged)
  await until('ioredis to write to the new master', async () => (await io.set('after', '1').catch(() => null)) === 'OK')
  expect(text(await promoted.c.command('GET', 'after'))).toBe('$1\r\n1\r\n')
  const printed = await python(REDIS_PY, sentinels.map(String))
  expect(printed.trim().split('\n')).toEqual([String(promoted.server.port), 'yes'])
}, 90_000)

test('FAILOVER hands the master role to a caught-up replica, between redwing and redis-server', async () => {
  // redwing → redwing, with a write held meanwhile that then gets READONLY.
  const master = await startRedwing({ args: ['--repl-diskless-sync-delay', '0'] })
  closing.push(master)
  const replica = await startRedwing({
    args: ['--replicaof', '127.0.0.1', String(master.port), '--repl-diskless-sync-delay', '0'],
  })
  closing.push(replica)
  const [m, r] = [await client(master.port), await client(replica.port)]
  await until('the link', async () => (await field(r, 'replication', 'master_link_status')) === 'up')
  await m.command('SET', 'before', '1')
  expect(text(await m.command('FAILOVER', 'TO', '127.0.0.1', String(replica.port), 'TIMEOUT', '5000'))).toBe('+OK\r\n')
  await until('the roles to swap', async () => (await field(m, 'replication', 'role')) === 'slave', 15_000)
  expect(await field(m, 'replication', 'master_port')).toBe(String(replica.port))
  await until('the old master to follow', async () => (await field(m, 'replication', 'master_link_status')) === 'up')
  expect(await field(r, 'replication', 'role')).toBe('master')
  expect(await field(m, 'replication', 'master_failover_state')).toBe('no-failover')
  expect(await field(r, 'stats', 'sync_partial_ok')).toBe('1')
  expect(text(await r.command('GET', 'before'))).toBe('$1\r\n1\r\n')
  await r.command('SET', 'after', '2')
  expect(text(await r.command('WAIT', '1', '5000'))).toBe(':1\r\n')
  expect(text(await m.command('GET', 'after'))).toBe('$1\r\n2\r\n')

  // redwing → redis-server, and back: redis-server's FAILOVER sends PSYNC … FAILOVER to redwing.
  const theirs = await startRedisServer(['--replicaof', '127.0.0.1', String(replica.port)])
  closing.push(theirs)
  const t = await client(theirs.port)
  await until('the redis-server replica', async () => (await field(t, 'replication', 'master_link_status')) === 'up')
  expect(text(await r.command('FAILOVER', 'TO', '127.0.0.1', String(theirs.port)))).toBe('+OK\r\n')
  await until('redis-server to take over', async () => (await field(t, 'replication', 'role')) === 'master', 15_000)
  await until('redwing to follow', async () => (await field(r, 'replication', 'master_link_status')) === 'up')
  expect(text(await t.command('GET', 'after'))).toBe('$1\r\n2\r\n')
  await t.command('SET', 'theirs', '3')
  expect(text(await t.command('FAILOVER', 'TO', '127.0.0.1', String(replica.port)))).toBe('+OK\r\n')
  await until('redwing to take over again', async () => (await field(r, 'replication', 'role')) === 'master', 15_000)
  expect(text(await r.command('GET', 'theirs'))).toBe('$1\r\n3\r\n')
}, 60_000)
