#!/usr/bin/env node
// benches/hostile.mjs — a well-behaved client's latency while others misbehave.
//
// Why: a server shared by many clients must not let a few careless or hostile
// ones slow down the rest. What this measures is how much a polite client's
// tail latency (p99 of PING and GET round trips) grows when, at the same
// time, thousands of connections sit idle, a subscriber stops reading while a
// publisher floods its channel, a client pipelines large GETs without reading
// the replies, and another announces a 500 MB argument and trickles bytes
// into its query buffer. The number that counts is the ratio attacked/quiet
// for each server; the goal is that it stays within 2x. Redis-server runs the
// same script as the reference, since a single-threaded server gives some
// time to every connection it serves.
//
// How: each server starts as a child process on a free loopback port
// (lib/servers.mjs), with output buffer limits low enough that the slow
// readers are disconnected within seconds, and a 16 MB query buffer limit.
// The measuring client sends one command at a time (PING, then GET of a
// 100-byte value, alternating) and records every round trip. Quiet: only the
// measuring client. Attacked: first the idle connections are opened (10,000,
// or what the hard open-file limit allows), then the misbehaving clients
// start on a worker thread (so their work does not delay the measuring
// client's event loop) and keep coming back when disconnected, at a bounded
// rate; the measuring client then runs again. Every loop is bounded by a
// sample count or a time limit, and the script stops by itself.
//
// For each round and server it prints p50 and p99 quiet and attacked, the
// ratio of the p99s, how many slow readers and floods the server cut off, and
// the server's resident memory at the end; then the median of each server's
// ratios. No thresholds are enforced: this is a measurement, not a test.
//
// Run `node benches/hostile.mjs --help` for the options.

import { spawnSync } from 'node:child_process'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  HOST,
  RespConnection,
  UsageError,
  encode,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  groupRss,
  intOption,
  listOption,
  median,
  printTable,
  sleep,
  startServer,
  stopAll,
  stopServer,
  twoPorts,
  waitForPing,
  wasInterrupted,
  writeJson,
} from './lib/servers.mjs'

const HELP = `Usage: node benches/hostile.mjs [options]

A polite client's PING/GET p99 latency, quiet and while idle connections, a
flooded subscriber that never reads, a pipeliner that never reads and a
query-buffer flooder are active; redwing and redis-server, ratios.

  --rounds N            rounds, alternating which server goes first (default 2)
  --samples N           round trips per measurement (default 20000)
  --attackers LIST      which misbehaving clients run while attacked, comma
                        separated: subscriber, pipeliner, query (default all
                        three; "none" for idle connections only)
  --connections N       idle connections while attacked (default 10000, capped
                        by the hard open-file limit)
  --redwing-cmd CMD     command starting our server, run by /bin/sh from the
                        repository root; "--port N" is appended
                        (default "${DEFAULT_REDWING_CMD}")
  --redis-cmd CMD       command starting redis-server (default "${DEFAULT_REDIS_CMD}")
  --json FILE           also write the results as JSON to FILE
  -h, --help            this text`

/** Limits set on both servers, so that misbehaving clients are cut off within seconds. */
const LIMITS = [
  ['client-output-buffer-limit', 'normal 8mb 4mb 2 pubsub 8mb 4mb 2'],
  ['client-query-buffer-limit', '16mb'],
]

// ---------------------------------------------------------------- the attackers (worker)

/** Runs on the worker thread: the misbehaving clients, until told to stop. Each comes back
 * after the server disconnects it; each sends at a bounded rate. Reports what was cut off. */
async function attack({ port, attackers }) {
  let running = true
  const cut = { slowReaders: 0, pipeliners: 0, queryFloods: 0 }
  parentPort.on('message', (message) => {
    if (message === 'stop') running = false
  })

  /** A connection that never reads; resolves when the server closes it. */
  const deaf = () =>
    new Promise((resolve) => {
      const socket = net.connect({ host: HOST, port }, () => resolve(socket))
      socket.pause()
      socket.on('error', () => {})
    })
  const closed = (socket) => new Promise((resolve) => socket.once('close', resolve))

  const slowReader = async () => {
    const publisher = await RespConnection.open(port)
    const message = 'm'.repeat(64 * 1024)
    const burst = encode(['PUBLISH', 'hostile.flood', message]).repeat(10)
    while (running) {
      const subscriber = await deaf()
      subscriber.write(encode(['SUBSCRIBE', 'hostile.flood']))
      await sleep(50)
      // 10 messages of 64 KB every 10 ms, about 64 MB/s, until they reach nobody: a socket
      // that does not read never sees the server close it, but the publisher does.
      let gone = false
      while (running && !gone) {
        const receivers = await publisher.send(burst, 10)
        gone = receivers.at(-1) === 0
        await sleep(10)
      }
      subscriber.destroy()
      if (gone) cut.slowReaders++
    }
    publisher.close()
  }

  const pipeliner = async () => {
    const setup = await RespConnection.open(port)
    await setup.command('SET', 'hostile.big', 'b'.repeat(256 * 1024))
    setup.close()
    const get = encode(['GET', 'hostile.big'])
    while (running) {
      const socket = await deaf()
      let gone = false
      void closed(socket).then(() => (gone = true))
      while (running && !gone) {
        socket.write(get.repeat(4))
        await sleep(5)
      }
      socket.destroy()
      if (gone) cut.pipeliners++
    }
  }

  const queryFlooder = async () => {
    const chunk = Buffer.alloc(64 * 1024, 'q')
    while (running) {
      const socket = await deaf()
      let gone = false
      void closed(socket).then(() => (gone = true))
      socket.write('*3\r\n$3\r\nSET\r\n$10\r\nhostile.qb\r\n$524288000\r\n')
      while (running && !gone) {
        socket.write(chunk)
        await sleep(2)
      }
      socket.destroy()
      if (gone) cut.queryFloods++
    }
  }

  const all = { subscriber: slowReader, pipeliner, query: queryFlooder }
  await Promise.all(attackers.map((name) => all[name]()))
  parentPort.postMessage(cut)
}

if (!isMainThread) {
  await attack(workerData)
  process.exit(0)
}

// ---------------------------------------------------------------- the measuring client

/** `samples` round trips, one at a time: PING and GET alternately. Returns the latencies in
 * microseconds, sorted. */
async function measure(port, samples) {
  const conn = await RespConnection.open(port)
  await conn.command('SET', 'hostile.small', 'v'.repeat(100))
  const ping = encode(['PING'])
  const get = encode(['GET', 'hostile.small'])
  const latencies = new Float64Array(samples)
  for (let i = 0; i < samples; i++) {
    const start = performance.now()
    await conn.send(i % 2 === 0 ? ping : get, 1)
    latencies[i] = (performance.now() - start) * 1000
  }
  conn.close()
  return latencies.sort()
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

/** Opens `count` connections that do nothing, 250 at a time. */
async function idleConnections(port, count) {
  const sockets = []
  while (sockets.length < count) {
    const batch = Math.min(250, count - sockets.length)
    const opened = await Promise.all(
      Array.from(
        { length: batch },
        () =>
          new Promise((resolve, reject) => {
            const socket = net.connect({ host: HOST, port }, () => resolve(socket))
            socket.once('error', reject)
          }),
      ),
    )
    for (const socket of opened) socket.on('error', () => {})
    sockets.push(...opened)
  }
  return sockets
}

async function runServer(name, cmd, port, o) {
  const srv = startServer(name, `${cmd} --maxclients ${o.connections + 100}`, port)
  await waitForPing(srv, 20)
  try {
    const admin = await RespConnection.open(port)
    for (const [parameter, value] of LIMITS) await admin.command('CONFIG', 'SET', parameter, value)
    const quiet = await measure(port, o.samples)
    const idle = await idleConnections(port, o.connections)
    const worker = new Worker(new URL(import.meta.url), { workerData: { port, attackers: o.attackers } })
    const report = new Promise((resolve) => worker.once('message', resolve))
    await sleep(1000) // the attackers get going
    const attacked = await measure(port, o.samples)
    worker.postMessage('stop')
    const cut = await report
    const alive = (await admin.command('PING')) === 'PONG'
    const rss = groupRss(srv)
    admin.close()
    for (const socket of idle) socket.destroy()
    return {
      server: name,
      quietP50: percentile(quiet, 0.5),
      quietP99: percentile(quiet, 0.99),
      attackedP50: percentile(attacked, 0.5),
      attackedP99: percentile(attacked, 0.99),
      ratio: percentile(attacked, 0.99) / percentile(quiet, 0.99),
      ...cut,
      alive,
      rssMb: rss / 1024 / 1024,
    }
  } finally {
    await stopServer(srv)
  }
}

const ATTACKERS = ['subscriber', 'pipeliner', 'query']

function attackerList(raw) {
  if (raw === 'none') return []
  const list = listOption(raw)
  for (const name of list) {
    if (!ATTACKERS.includes(name)) throw new UsageError(`unknown attacker ${JSON.stringify(name)}; one of ${ATTACKERS}`)
  }
  return list
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rounds: { type: 'string' },
      samples: { type: 'string' },
      connections: { type: 'string' },
      attackers: { type: 'string' },
      'redwing-cmd': { type: 'string' },
      'redis-cmd': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  // This process holds one descriptor per idle connection, plus the attackers'.
  const hardLimit = Number(spawnSync('sh', ['-c', 'ulimit -Hn']).stdout.toString().trim()) || Infinity
  const wanted = intOption(values, 'connections', 10000)
  const connections = Math.min(wanted, hardLimit - 500)
  if (connections < wanted) console.log(`The hard open-file limit is ${hardLimit}: ${connections} idle connections.`)
  return {
    rounds: intOption(values, 'rounds', 2),
    attackers: attackerList(values.attackers ?? ATTACKERS.join(',')),
    samples: intOption(values, 'samples', 20000),
    connections,
    redwingCmd: values['redwing-cmd'] ?? DEFAULT_REDWING_CMD,
    redisCmd: values['redis-cmd'] ?? DEFAULT_REDIS_CMD,
    json: values.json,
  }
}

async function main() {
  const o = parseOptions(process.argv.slice(2))
  exitUnlessBuilt(o.redwingCmd)
  const results = []
  for (let round = 0; round < o.rounds && !wasInterrupted(); round++) {
    const [redwingPort, redisPort] = await twoPorts()
    const order = [
      ['redwing', o.redwingCmd, redwingPort],
      ['redis-server', o.redisCmd, redisPort],
    ]
    if (round % 2 === 1) order.reverse()
    for (const [name, cmd, port] of order) {
      const result = await runServer(name, cmd, port, o)
      results.push({ round, ...result })
      console.log(`round ${round + 1}: ${name} done (p99 ratio ${fmtRatio(result.ratio)})`)
    }
  }
  const us = (x) => `${fmtInt(x)} us`
  printTable(
    [
      'round',
      'server',
      'p50 quiet',
      'p99 quiet',
      'p50 attacked',
      'p99 attacked',
      'p99 ratio',
      'slow readers cut',
      'pipeliners cut',
      'query floods cut',
      'alive',
      'RSS MB',
    ],
    results.map((r) => [
      r.round + 1,
      r.server,
      us(r.quietP50),
      us(r.quietP99),
      us(r.attackedP50),
      us(r.attackedP99),
      fmtRatio(r.ratio),
      r.slowReaders,
      r.pipeliners,
      r.queryFloods,
      r.alive ? 'yes' : 'NO',
      fmtInt(r.rssMb),
    ]),
    [0, 2, 3, 4, 5, 6, 7, 8, 9, 11],
  )
  for (const server of ['redwing', 'redis-server']) {
    const ratios = results.filter((r) => r.server === server).map((r) => r.ratio)
    console.log(`${server}: median p99 attacked/quiet ${fmtRatio(median(ratios))} over ${ratios.length} rounds`)
  }
  if (o.json) writeJson(o.json, { options: o, results })
}

try {
  await main()
} finally {
  await stopAll()
}
