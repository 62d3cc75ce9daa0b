#!/usr/bin/env node
// benches/crossing.mjs — the bare price of one call from JS into the addon.
//
// Why: every embedded operation crosses the N-API boundary at least once.
// Knowing what an empty crossing costs tells how much of a db.get/db.set is
// fixed call overhead and how much is real work, and shows whether batching
// (pipelines) is worth it.
//
// How: tinybench times three tasks: an empty JS function (V8 may inline it,
// so this is close to the cost of the loop itself), the addon's no-op export
// `noop()` from dist/native/binding.js (one crossing, no work), and
// `db.call('PING')` (one crossing plus argument conversion, command dispatch
// and a string reply). A single call is shorter than the timer's resolution,
// so each sample times a loop of CALLS calls and reports the mean per call
// (`overriddenDuration`). The bench runs a few rounds and prints the median
// ns per call, plus the differences to the JS baseline.
//
// Needs `npm run build` (dist/) and the devDependency tinybench.
// Run `node benches/crossing.mjs --help` for the options.

import os from 'node:os'
import { parseArgs } from 'node:util'

const HELP = `Usage: node benches/crossing.mjs [options]
  --time MS    tinybench time budget per task and round (default 1000; --quick: 300)
  --rounds N   repeat the bench N times, report medians (default 3; --quick: 1)
  --table      also print tinybench's own table for every round
  --quick      short run
  -h, --help   this text`

let values
try {
  ;({ values } = parseArgs({
    options: {
      time: { type: 'string' },
      rounds: { type: 'string' },
      table: { type: 'boolean' },
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
function int(name, def) {
  if (values[name] === undefined) return def
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer\n\n${HELP}`)
    process.exit(2)
  }
  return n
}
const TIME = int('time', values.quick ? 300 : 1000)
const ROUNDS = int('rounds', values.quick ? 1 : 3)

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

const { Bench } = await load('tinybench', 'install the devDependencies (npm install)')
const binding = await load('../dist/native/binding.js', 'build the project first (npm run build)')
const noop = binding.noop ?? binding.default?.noop
if (typeof noop !== 'function') {
  console.error('dist/native/binding.js does not export noop()')
  process.exit(2)
}
const index = await load('../dist/index.js', 'build the project first (npm run build)')
const Redwing = index.Redwing ?? index.default?.Redwing
const db = new Redwing()
const pong = db.call('PING')
if (pong !== 'PONG') {
  console.error(`db.call('PING') returned ${JSON.stringify(pong)}, expected "PONG"`)
  process.exit(1)
}

// ----------------------------------------------------------------- tasks

const CALLS = 1000 // calls per sample
const hr = process.hrtime.bigint
function perCall(t0) {
  const ms = Number(hr() - t0) / 1e6
  return { overriddenDuration: ms / CALLS, overriddenIterationCost: ms }
}

let sink = 0
function jsEmpty() {}

const tasks = [
  [
    'empty JS function',
    () => {
      const t0 = hr()
      for (let k = 0; k < CALLS; k++) jsEmpty()
      return perCall(t0)
    },
  ],
  [
    'addon noop()',
    () => {
      const t0 = hr()
      for (let k = 0; k < CALLS; k++) noop()
      return perCall(t0)
    },
  ],
  [
    "db.call('PING')",
    () => {
      const t0 = hr()
      for (let k = 0; k < CALLS; k++) sink += db.call('PING').length
      return perCall(t0)
    },
  ],
]

// ------------------------------------------------------------------- run

console.log(`redwing N-API crossing benchmark — ${new Date().toISOString()}`)
console.log(
  `node ${process.version}; ${os.cpus().length} cores; load average ` +
    `${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
)
console.log(`${ROUNDS} round(s) of ${TIME} ms per task; samples are means over ${CALLS} calls\n`)

const ns = new Map(tasks.map(([name]) => [name, []]))
for (let round = 0; round < ROUNDS; round++) {
  const bench = new Bench({ name: `crossing round ${round + 1}`, time: TIME, warmupTime: Math.min(250, TIME) })
  for (const [name, fn] of tasks) bench.add(name, fn, { async: false })
  process.stderr.write(`round ${round + 1}/${ROUNDS} ...\n`)
  await bench.run()
  if (values.table) console.table(bench.table())
  for (const task of bench.tasks) {
    const r = task.result
    if (r.state !== 'completed') {
      console.error(`task ${task.name} ${r.state}${r.error ? `: ${r.error.stack ?? r.error.message}` : ''}`)
      process.exit(1)
    }
    ns.get(task.name).push(r.latency.p50 * 1e6)
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const med = Object.fromEntries([...ns].map(([name, xs]) => [name, median(xs)]))
const w = Math.max(...tasks.map(([name]) => name.length))
console.log(`  ${'task'.padEnd(w)}  ${'ns/call'.padStart(8)}  ${'calls/s'.padStart(14)}`)
for (const [name] of tasks) {
  const perRound =
    ROUNDS > 1
      ? `   per round: ${ns
          .get(name)
          .map((x) => x.toFixed(1))
          .join(', ')}`
      : ''
  console.log(
    `  ${name.padEnd(w)}  ${med[name].toFixed(1).padStart(8)}  ` +
      `${Math.round(1e9 / med[name])
        .toLocaleString('en-US')
        .padStart(14)}${perRound}`,
  )
}
const base = med['empty JS function']
console.log(`\n  one N-API crossing (noop - empty JS): ${(med['addon noop()'] - base).toFixed(1)} ns`)
console.log(`  db.call('PING') beyond a bare crossing: ${(med["db.call('PING')"] - med['addon noop()']).toFixed(1)} ns`)
console.log(`\nreproduce: node benches/crossing.mjs --time ${TIME} --rounds ${ROUNDS}`)

if (sink === 0.5) console.log(sink) // keeps `sink` observable
if (typeof db.close === 'function') db.close()
