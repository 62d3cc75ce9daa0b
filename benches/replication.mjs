#!/usr/bin/env node
// benches/replication.mjs — a master with two replicas: redwing and redis-server side by side.
//
// Why: replication costs the master the stream it feeds its replicas, and a new replica waits
// for a full synchronisation. As everywhere in these benchmarks, the machine is shared and
// noisy, so what counts is the RATIO redwing ÷ redis measured in the same run.
//
// How: each master (`--save ''`) gets two redis-server replicas (`--replicaof`), so both
// masters feed the same kind of client. Throughput: redis-benchmark -t set,incr,lpush (50
// clients, -r 100000) against each master in turn, interleaved rounds, at -P 16 and -P 1;
// ratio = redwing ops/s ÷ redis ops/s, geometric mean over tests and rounds. Full sync: with N
// keys in the master (DEBUG POPULATE), the time from starting one more replica until it
// reports `master_link_status:up`, both masters starting the transfer at once; ratio =
// redwing's time ÷ redis's (lower is better).
//
// Usage: node benches/replication.mjs [--rounds N] [--requests N] [--keys N]

import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  freePort,
  geomean,
  intOption,
  median,
  printTable,
  RespConnection,
  sleep,
  startServer,
  stopAll,
  stopServer,
  twoPorts,
  waitForPing,
} from './lib/servers.mjs'

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, requests: { type: 'string' }, keys: { type: 'string' } },
})
const rounds = intOption(values, 'rounds', 3)
const requests = intOption(values, 'requests', 100_000)
const keys = intOption(values, 'keys', 1_000_000)
exitUnlessBuilt(DEFAULT_REDWING_CMD)

const [redwingPort, redisPort] = await twoPorts()
// Both masters start a full synchronisation at once (`repl-diskless-sync-delay 0`; the default
// waits 5 seconds for more replicas), so the time measured is the transfer's.
const masterOptions = '--enable-debug-command yes --repl-diskless-sync-delay 0'
const masters = {
  redwing: { cmd: `${DEFAULT_REDWING_CMD} --save '' ${masterOptions}`, port: redwingPort },
  redis: {
    cmd: DEFAULT_REDIS_CMD.replace('--appendonly no', `--appendonly no ${masterOptions}`),
    port: redisPort,
  },
}

/** Starts a redis-server replica of the master on `masterPort`; resolves once its link is up
 * with the seconds that took. */
async function replicaOf(masterPort) {
  const port = await freePort()
  const started = performance.now()
  const srv = startServer(`replica-${port}`, `${DEFAULT_REDIS_CMD} --replicaof 127.0.0.1 ${masterPort}`, port)
  await waitForPing(srv, 60)
  const conn = await RespConnection.open(port)
  while (!String(await conn.command('INFO', 'replication')).includes('master_link_status:up')) await sleep(10)
  conn.close()
  return { srv, seconds: (performance.now() - started) / 1000 }
}

/** redis-benchmark against `port`: ops/s per test. */
function benchmark(port, pipeline) {
  return new Promise((resolve, reject) => {
    const n = pipeline > 1 ? requests * 10 : requests
    const args = ['-p', String(port), '-t', 'set,incr,lpush', '-r', '100000', '-c', '50']
    const child = spawn('redis-benchmark', [...args, '-n', String(n), '-P', String(pipeline), '--csv'])
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', () => {
      const rps = {}
      for (const line of out.trim().split('\n').slice(1)) {
        const [test, value] = line.split(',').map((x) => x.replace(/"/g, ''))
        rps[test.split(' ')[0]] = Number(value)
      }
      resolve(rps)
    })
  })
}

try {
  const servers = {}
  for (const name of ['redwing', 'redis']) {
    const srv = startServer(name, masters[name].cmd, masters[name].port)
    await waitForPing(srv, 60)
    servers[name] = { srv, replicas: [await replicaOf(masters[name].port), await replicaOf(masters[name].port)] }
  }
  console.log(`Masters with two redis-server replicas each; ${rounds} rounds, ${fmtInt(requests)} requests at P=1`)
  const rows = []
  for (const pipeline of [16, 1]) {
    const ratios = []
    const rps = { redwing: [], redis: [] }
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? ['redwing', 'redis'] : ['redis', 'redwing']
      const results = {}
      for (const name of order) results[name] = await benchmark(masters[name].port, pipeline)
      for (const test of Object.keys(results.redwing)) {
        ratios.push(results.redwing[test] / results.redis[test])
        rps.redwing.push(results.redwing[test])
        rps.redis.push(results.redis[test])
      }
    }
    rows.push([`P=${pipeline}`, fmtInt(median(rps.redwing)), fmtInt(median(rps.redis)), fmtRatio(geomean(ratios))])
  }
  printTable(['set,incr,lpush', 'redwing ops/s', 'redis ops/s', 'ratio'], rows, [false, true, true, true])

  // Full synchronisation of a fresh replica.
  const syncs = { redwing: [], redis: [] }
  for (const name of ['redwing', 'redis']) {
    const conn = await RespConnection.open(masters[name].port)
    await conn.command('FLUSHALL')
    await conn.command('DEBUG', 'POPULATE', String(keys))
    conn.close()
  }
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ['redwing', 'redis'] : ['redis', 'redwing']
    for (const name of order) {
      const replica = await replicaOf(masters[name].port)
      syncs[name].push(replica.seconds)
      await stopServer(replica.srv)
    }
  }
  printTable(
    ['full sync', 'redwing s', 'redis s', 'ratio'],
    [
      [
        `${fmtInt(keys)} keys`,
        median(syncs.redwing).toFixed(3),
        median(syncs.redis).toFixed(3),
        fmtRatio(geomean(syncs.redwing.map((s, i) => s / syncs.redis[i]))),
      ],
    ],
    [false, true, true, true],
  )
} finally {
  await stopAll()
}
