#!/usr/bin/env node
// benches/memcached.mjs — redwing's memcached port against the real memcached.
//
// Why: the memcached front end runs every command in a socket read inside one native call and
// makes its writes through the Redis dispatcher (so that WATCH, notifications, the AOF and
// replicas see them). This measures what that costs next to memcached itself, on the
// workloads memcached clients send: pipelined `set` and `get`, multi-key `get`, `incr`.
//
// How: both servers run as child processes on free loopback ports (lib/servers.mjs), memcached
// with its default 4 threads, redwing with `--memcached-port`. A run opens C connections (plain
// node:net sockets writing the text protocol by hand, so the client costs the same against
// both), each sending batches of P commands in one write and waiting for the P replies (their
// terminators are counted with Buffer.indexOf; no parsing), until M commands are done. Keys are
// `key:0`…`key:K-1`, values V bytes; `get` and `mget` runs find every key (a `set` run fills
// them first, untimed). The servers take turns, alternating which goes first, for R rounds;
// the table shows each server's median commands/s, the median of the per-round ratios
// redwing/memcached and their spread, then the geometric mean of the per-test median ratios.
// The machines are shared and noisy: only ratios measured side by side mean something.
//
// Run `node benches/memcached.mjs --help` for the options.

import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import {
  HOST,
  UsageError,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  geomean,
  intOption,
  listOption,
  loadAverage,
  median,
  printTable,
  sleep,
  startServer,
  stopAll,
  toolVersion,
  twoPorts,
  wasInterrupted,
} from './lib/servers.mjs'

const TESTS = {
  set: { terminator: 'STORED\r\n', command: (key, value) => `set ${key} 0 0 ${value.length}\r\n${value}\r\n` },
  get: { terminator: 'END\r\n', command: (key) => `get ${key}\r\n` },
  mget: { terminator: 'END\r\n', command: (key, _value, keys) => `get ${keys.join(' ')}\r\n` },
  incr: { terminator: '\r\n', command: () => 'incr counter 1\r\n' },
}

const HELP = `Usage: node benches/memcached.mjs [options]
  --tests LIST       of ${Object.keys(TESTS).join(',')} (default: all)
  --connections N    concurrent connections (default 4)
  --pipeline N       commands per write (default 16)
  --commands N       commands per run (default 200000)
  --keyspace N       distinct keys (default 10000)
  --datasize N       value bytes (default 32)
  --rounds N         rounds (default 5)
  --memcached-cmd S  (default "memcached -U 0 -l 127.0.0.1[ -u root]")
  --redwing-cmd S    (default "node dist/bin/server.js --save ''")`

function connectTo(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port })
    socket.setNoDelay(true)
    socket.once('connect', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Sends `batch` and resolves once `expected` terminators arrived. */
function roundTrip(socket, batch, terminator, expected) {
  return new Promise((resolve, reject) => {
    let seen = 0
    let tail = ''
    const onData = (chunk) => {
      const text = tail + chunk.toString('latin1')
      let at = text.indexOf(terminator)
      let last = -1
      while (at !== -1) {
        seen++
        last = at + terminator.length
        at = text.indexOf(terminator, last)
      }
      tail = last === -1 ? text : text.slice(last)
      if (seen >= expected) {
        socket.off('data', onData)
        socket.off('error', reject)
        resolve()
      }
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.write(batch)
  })
}

/** One run of `test` against `port`: commands per second. */
async function run(port, test, options) {
  const { connections, pipeline, commands, keyspace, datasize } = options
  const value = 'v'.repeat(datasize)
  const spec = TESTS[test]
  const sockets = await Promise.all(Array.from({ length: connections }, () => connectTo(port)))
  if (test === 'incr') await roundTrip(sockets[0], 'set counter 0 0 1\r\n0\r\n', 'STORED\r\n', 1)
  const perConnection = Math.ceil(commands / connections / pipeline)
  const started = performance.now()
  await Promise.all(
    sockets.map(async (socket, c) => {
      let next = c * 7919
      for (let b = 0; b < perConnection; b++) {
        let batch = ''
        for (let i = 0; i < pipeline; i++) {
          const keys = test === 'mget' ? Array.from({ length: 10 }, (_, j) => `key:${(next + j * 13) % keyspace}`) : []
          batch += spec.command(`key:${next % keyspace}`, value, keys)
          next += 1
        }
        await roundTrip(socket, batch, spec.terminator, pipeline)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  for (const socket of sockets) socket.destroy()
  return (perConnection * pipeline * connections) / seconds
}

/** Stores every key once (untimed), so that get runs find them. */
async function fill(port, options) {
  const socket = await connectTo(port)
  const value = 'v'.repeat(options.datasize)
  for (let start = 0; start < options.keyspace; start += 100) {
    let batch = ''
    const end = Math.min(start + 100, options.keyspace)
    for (let k = start; k < end; k++) batch += `set key:${k} 0 0 ${value.length}\r\n${value}\r\n`
    await roundTrip(socket, batch, 'STORED\r\n', end - start)
  }
  socket.destroy()
}

async function waitForPort(port, srv) {
  for (let i = 0; i < 200; i++) {
    if (srv.exited) throw new Error(`${srv.name} exited: ${srv.log}`)
    const ok = await connectTo(port).then(
      (s) => (s.destroy(), true),
      () => false,
    )
    if (ok) return
    await sleep(50)
  }
  throw new Error(`${srv.name} does not listen on ${port}`)
}

async function main() {
  const { values } = parseArgs({
    options: {
      tests: { type: 'string' },
      connections: { type: 'string' },
      pipeline: { type: 'string' },
      commands: { type: 'string' },
      keyspace: { type: 'string' },
      datasize: { type: 'string' },
      rounds: { type: 'string' },
      'memcached-cmd': { type: 'string' },
      'redwing-cmd': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return console.log(HELP)
  const tests = values.tests ? listOption(values.tests) : Object.keys(TESTS)
  for (const test of tests) if (!TESTS[test]) throw new UsageError(`unknown test ${test}`)
  const options = {
    connections: intOption(values, 'connections', 4),
    pipeline: intOption(values, 'pipeline', 16),
    commands: intOption(values, 'commands', 200_000),
    keyspace: intOption(values, 'keyspace', 10_000),
    datasize: intOption(values, 'datasize', 32),
  }
  const rounds = intOption(values, 'rounds', 5)
  const asRoot = process.getuid?.() === 0 ? ' -u root' : ''
  const memcachedCmd = values['memcached-cmd'] ?? `memcached -U 0 -l 127.0.0.1${asRoot}`
  const redwingCmd = values['redwing-cmd'] ?? "node dist/bin/server.js --save ''"
  exitUnlessBuilt(redwingCmd === "node dist/bin/server.js --save ''" ? 'node dist/bin/server.js' : redwingCmd)

  const [memcachedPort, redwingPort] = await twoPorts()
  const [redwingRespPort] = await twoPorts()
  const memcached = startServer('memcached', memcachedCmd, memcachedPort)
  const redwing = startServer('redwing', `${redwingCmd} --memcached-port ${redwingPort}`, redwingRespPort)
  await Promise.all([waitForPort(memcachedPort, memcached), waitForPort(redwingPort, redwing)])
  console.log(`memcached: ${toolVersion('memcached', ['-V']) ?? '?'}; load average ${loadAverage()}`)
  console.log(
    `${options.connections} connections, pipeline ${options.pipeline}, ${fmtInt(options.commands)} commands per run, ` +
      `${fmtInt(options.keyspace)} keys, ${options.datasize}-byte values, ${rounds} rounds`,
  )
  await Promise.all([fill(memcachedPort, options), fill(redwingPort, options)])

  const results = Object.fromEntries(tests.map((t) => [t, { memcached: [], redwing: [], ratios: [] }]))
  let order = 0
  for (let round = 0; round < rounds && !wasInterrupted(); round++) {
    for (const test of tests) {
      const sides = order++ % 2 ? ['redwing', 'memcached'] : ['memcached', 'redwing']
      const measured = {}
      for (const side of sides) {
        measured[side] = await run(side === 'redwing' ? redwingPort : memcachedPort, test, options)
      }
      results[test].memcached.push(measured.memcached)
      results[test].redwing.push(measured.redwing)
      results[test].ratios.push(measured.redwing / measured.memcached)
    }
  }
  const rows = tests.map((test) => {
    const r = results[test]
    const spread = `${fmtRatio(Math.min(...r.ratios))}–${fmtRatio(Math.max(...r.ratios))}`
    return [test, fmtInt(median(r.memcached)), fmtInt(median(r.redwing)), fmtRatio(median(r.ratios)), spread]
  })
  printTable(['test', 'memcached/s', 'redwing/s', 'ratio', 'spread'], rows, [false, true, true, true, false])
  console.log(
    `geometric mean of the ratios (redwing/memcached): ${fmtRatio(geomean(tests.map((t) => median(results[t].ratios))))}`,
  )
}

main()
  .catch((error) => {
    console.error(error instanceof UsageError ? `${error.message}\n${HELP}` : error)
    process.exitCode = 1
  })
  .finally(() => stopAll())
