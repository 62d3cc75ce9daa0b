#!/usr/bin/env node
// benches/embedded.mjs — what the embedded (in-process) API costs per call.
//
// Why: an embedded redwing store is called through N-API, so each GET/SET
// pays a JS<->native crossing that a plain JS `Map` does not, while it should
// be far cheaper than an async, promise-based store such as `ioredis-mock`.
// This puts numbers on both sides, as ratios, since absolute ops/s on a small
// shared machine move around from run to run.
//
// How: tinybench runs each task (GET and SET of small string keys/values on
// a prefilled keyspace, keys cycled in a fixed order; plus 100 SETs batched
// in one `db.pipeline()` against 100 `Map.set`). One operation is far below
// the timer's resolution, so each sample times a loop of many operations and
// hands tinybench the mean per operation (`overriddenDuration`). The whole
// bench is repeated for a few rounds; the report gives the median ns/op and
// ops/s per task and, per round, the ratio redwing ops/s / other ops/s,
// summarised by its median (above 1: redwing is faster).
//
// Needs `npm run build` (dist/) and the devDependencies tinybench and
// ioredis-mock. Run `node benches/embedded.mjs --help` for the options.

import fs from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'

const HELP = `Usage: node benches/embedded.mjs [options]
  --keys N     keyspace size, prefilled in every store (default 10000)
  --time MS    tinybench time budget per task and round (default 1000; --quick: 300)
  --rounds N   repeat the whole bench N times, report medians (default 3; --quick: 1)
  --table      also print tinybench's own table for every round
  --json FILE  write the results as JSON to FILE
  --quick      short run
  -h, --help   this text`

// ----------------------------------------------------------------- setup

function options() {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        keys: { type: 'string' },
        time: { type: 'string' },
        rounds: { type: 'string' },
        table: { type: 'boolean' },
        json: { type: 'string' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    console.error(`${err.message}\n\n${HELP}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  const quick = Boolean(values.quick)
  const int = (name, def) => {
    if (values[name] === undefined) return def
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--${name} must be a positive integer\n\n${HELP}`)
      process.exit(2)
    }
    return n
  }
  return {
    keys: int('keys', 10000),
    time: int('time', quick ? 300 : 1000),
    rounds: int('rounds', quick ? 1 : 3),
    table: Boolean(values.table),
    json: values.json,
  }
}

async function load(specifier, hint) {
  try {
    return await import(specifier)
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') {
      console.error(`cannot load ${specifier}: ${hint}\n(${err.message})`)
      process.exit(2)
    }
    throw err
  }
}

const o = options()
const { Bench } = await load('tinybench', 'install the devDependencies (npm install)')
const redwingModule = await load('../dist/index.js', 'build the project first (npm run build)')
const Redwing = redwingModule.Redwing ?? redwingModule.default?.Redwing
if (typeof Redwing !== 'function') {
  console.error('dist/index.js does not export a Redwing class')
  process.exit(2)
}
let RedisMock = null
try {
  const m = await import('ioredis-mock')
  RedisMock = m.default ?? m
} catch (err) {
  console.error(`ioredis-mock not available (${err.message.split('\n')[0]}); its tasks are skipped`)
}

// Small string keys and values, all made up front so the timed loops only
// index arrays. Values are not numeric, so no store can keep them as ints.
const N = o.keys
const width = String(N - 1).length
const KEYS = Array.from({ length: N }, (_, i) => `key:${String(i).padStart(width, '0')}`)
const VALUES = Array.from({ length: N }, (_, i) => `val-${String(i).padStart(width, '0')}`)
const VALUES2 = Array.from({ length: N }, (_, i) => `VAL-${String(i).padStart(width, '0')}`)

const db = new Redwing()
const map = new Map()
const mock = RedisMock ? new RedisMock() : null
for (let i = 0; i < N; i++) {
  db.set(KEYS[i], VALUES[i])
  map.set(KEYS[i], VALUES[i])
  if (mock) await mock.set(KEYS[i], VALUES[i])
}

// Check that the API behaves as this file assumes before timing anything.
function check(cond, what) {
  if (!cond) {
    console.error(`sanity check failed: ${what}`)
    process.exit(1)
  }
}
check(db.get(KEYS[1]) === VALUES[1], 'db.get returns the value set')
check(db.get('no-such-key:bench') === null, 'db.get of a missing key returns null')
{
  const p = db.pipeline()
  for (let k = 0; k < 3; k++) p.set(KEYS[k], VALUES[k])
  const r = p.exec()
  check(Array.isArray(r) && r.length === 3, 'pipeline().exec() returns one result per command')
}
if (mock) check((await mock.get(KEYS[1])) === VALUES[1], 'ioredis-mock get returns the value set')

// ----------------------------------------------------------------- tasks

// Each task function runs a loop of BATCH operations and reports the mean
// per operation. The loops are written out per task (not via a shared
// callback) so V8 optimises each one on its own.
const SYNC_BATCH = 1000
const ASYNC_BATCH = 100
const PIPE = 100 // SETs per pipeline
const PIPE_BATCH = 10 // pipelines per sample

const hr = process.hrtime.bigint
function perOp(t0, ops) {
  const ms = Number(hr() - t0) / 1e6
  return { overriddenDuration: ms / ops, overriddenIterationCost: ms }
}

let sink = 0 // results flow here so no loop can be optimised away
let iGet1 = 0,
  iGet2 = 0,
  iGet3 = 0,
  iSet1 = 0,
  iSet2 = 0,
  iSet3 = 0,
  iP1 = 0,
  iP2 = 0,
  iP3 = 0
let flip = 0 // alternates the values written, so every SET changes the key

const tasks = [
  // [group, store, name, fn, isAsync]
  [
    'GET',
    'redwing',
    'GET redwing db.get',
    () => {
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) {
        const v = db.get(KEYS[iGet1])
        sink += v.length
        if (++iGet1 === N) iGet1 = 0
      }
      return perOp(t0, SYNC_BATCH)
    },
  ],
  [
    'GET',
    'Map',
    'GET Map.get',
    () => {
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) {
        const v = map.get(KEYS[iGet2])
        sink += v.length
        if (++iGet2 === N) iGet2 = 0
      }
      return perOp(t0, SYNC_BATCH)
    },
  ],
  [
    'GET',
    'ioredis-mock',
    'GET ioredis-mock get',
    async () => {
      const t0 = hr()
      for (let k = 0; k < ASYNC_BATCH; k++) {
        const v = await mock.get(KEYS[iGet3])
        sink += v.length
        if (++iGet3 === N) iGet3 = 0
      }
      return perOp(t0, ASYNC_BATCH)
    },
    true,
  ],
  [
    'SET',
    'redwing',
    'SET redwing db.set',
    () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) {
        db.set(KEYS[iSet1], vals[iSet1])
        if (++iSet1 === N) iSet1 = 0
      }
      return perOp(t0, SYNC_BATCH)
    },
  ],
  [
    'SET',
    'Map',
    'SET Map.set',
    () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) {
        map.set(KEYS[iSet2], vals[iSet2])
        if (++iSet2 === N) iSet2 = 0
      }
      return perOp(t0, SYNC_BATCH)
    },
  ],
  [
    'SET',
    'ioredis-mock',
    'SET ioredis-mock set',
    async () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let k = 0; k < ASYNC_BATCH; k++) {
        await mock.set(KEYS[iSet3], vals[iSet3])
        if (++iSet3 === N) iSet3 = 0
      }
      return perOp(t0, ASYNC_BATCH)
    },
    true,
  ],
  // Pipeline group: the unit is one SET; each call runs PIPE_BATCH batches of PIPE.
  [
    'PIPELINE',
    'redwing',
    `PIPELINE redwing pipeline() x${PIPE} SET`,
    () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let b = 0; b < PIPE_BATCH; b++) {
        const p = db.pipeline()
        for (let k = 0; k < PIPE; k++) {
          p.set(KEYS[iP1], vals[iP1])
          if (++iP1 === N) iP1 = 0
        }
        sink += p.exec().length
      }
      return perOp(t0, PIPE_BATCH * PIPE)
    },
  ],
  [
    'PIPELINE',
    'Map',
    `PIPELINE Map.set x${PIPE}`,
    () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let b = 0; b < PIPE_BATCH; b++) {
        for (let k = 0; k < PIPE; k++) {
          map.set(KEYS[iP2], vals[iP2])
          if (++iP2 === N) iP2 = 0
        }
        sink += map.size
      }
      return perOp(t0, PIPE_BATCH * PIPE)
    },
  ],
  // Reference point: the same 100 SETs as separate db.set calls.
  [
    'PIPELINE',
    'redwing unbatched',
    `PIPELINE redwing db.set x${PIPE} (no pipeline)`,
    () => {
      const vals = (flip ^= 1) ? VALUES2 : VALUES
      const t0 = hr()
      for (let b = 0; b < PIPE_BATCH; b++) {
        for (let k = 0; k < PIPE; k++) {
          db.set(KEYS[iP3], vals[iP3])
          if (++iP3 === N) iP3 = 0
        }
      }
      return perOp(t0, PIPE_BATCH * PIPE)
    },
  ],
].filter(([, store]) => mock || store !== 'ioredis-mock')

// ------------------------------------------------------------------- run

console.log(`redwing embedded benchmark — ${new Date().toISOString()}`)
console.log(
  `node ${process.version}; ${os.cpus().length} cores; load average ` +
    `${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
)
console.log(
  `keyspace ${N} keys; ${o.rounds} round(s) of ${o.time} ms per task; ` +
    `samples are means over ${SYNC_BATCH} sync / ${ASYNC_BATCH} async operations`,
)
console.log('')

const nsPerOp = new Map(tasks.map(([, , name]) => [name, []])) // name -> [ns per round]
for (let round = 0; round < o.rounds; round++) {
  const bench = new Bench({ name: `embedded round ${round + 1}`, time: o.time, warmupTime: Math.min(250, o.time) })
  for (const [, , name, fn, isAsync] of tasks) bench.add(name, fn, { async: Boolean(isAsync) })
  process.stderr.write(`round ${round + 1}/${o.rounds} ...\n`)
  await bench.run()
  if (o.table) console.table(bench.table())
  for (const task of bench.tasks) {
    const r = task.result
    if (r.state !== 'completed') {
      console.error(`task ${task.name} ${r.state}${r.error ? `: ${r.error.stack ?? r.error.message}` : ''}`)
      process.exit(1)
    }
    nsPerOp.get(task.name).push(r.latency.p50 * 1e6)
  }
}

function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const fmtNs = (x) => (x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'))
const fmtOps = (x) => Math.round(x).toLocaleString('en-US')
const fmtRatio = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a')

const rows = tasks.map(([group, store, name]) => {
  const ns = median(nsPerOp.get(name))
  return { group, store, task: name, nsPerOp: ns, opsPerSec: 1e9 / ns, rounds: nsPerOp.get(name) }
})
const headers = ['task', 'ns/op', 'ops/s']
const cells = rows.map((r) => [r.task, fmtNs(r.nsPerOp), fmtOps(r.opsPerSec)])
const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
const line = (c) => '  ' + c.map((v, i) => (i ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ')
console.log(line(headers))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const c of cells) console.log(line(c))
console.log('  (pipeline rows: per SET, i.e. batch time / 100)')

// ratio = redwing ops/s / other ops/s, per round, then the median.
const ratios = []
function ratio(group, store, other, label) {
  const a = rows.find((r) => r.group === group && r.store === store)
  const b = rows.find((r) => r.group === group && r.store === other)
  if (!a || !b) return
  const per = a.rounds.map((ns, i) => b.rounds[i] / ns)
  ratios.push({ group, label, perRound: per, median: median(per) })
}
ratio('GET', 'redwing', 'Map', 'GET  redwing / Map')
ratio('GET', 'redwing', 'ioredis-mock', 'GET  redwing / ioredis-mock')
ratio('SET', 'redwing', 'Map', 'SET  redwing / Map')
ratio('SET', 'redwing', 'ioredis-mock', 'SET  redwing / ioredis-mock')
ratio('PIPELINE', 'redwing', 'Map', `pipeline x${PIPE} SET  redwing / Map`)
ratio('PIPELINE', 'redwing', 'redwing unbatched', `pipeline x${PIPE} SET  redwing pipeline / redwing db.set`)

console.log('\nratios of ops/s (above 1: redwing is faster), median over rounds:')
const lw = Math.max(...ratios.map((r) => r.label.length))
for (const r of ratios) {
  const spread = r.perRound.length > 1 ? `   per round: ${r.perRound.map(fmtRatio).join(', ')}` : ''
  console.log(`  ${r.label.padEnd(lw)}  ${fmtRatio(r.median)}${spread}`)
}

const reproduce =
  `node benches/embedded.mjs --keys ${N} --time ${o.time} --rounds ${o.rounds}` + (o.json ? ` --json ${o.json}` : '')
console.log(`\nreproduce: ${reproduce}`)
if (o.json) {
  fs.writeFileSync(
    o.json,
    JSON.stringify({ reproduce, options: o, node: process.version, rows, ratios }, null, 2) + '\n',
  )
  console.log(`results written to ${o.json}`)
}

if (sink === 0.5) console.log(sink) // keeps `sink` observable
mock?.disconnect()
if (typeof db.close === 'function') db.close()
