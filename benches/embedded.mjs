#!/usr/bin/env node
// benches/embedded.mjs — what the embedded (in-process) API costs per call, and where the
// time of a call goes.
//
// Why: an embedded redwing store is called through N-API, so each call pays a JS<->native
// crossing that a plain JS `Map` does not, while it should be far cheaper than an async,
// promise-based store such as `ioredis-mock`. This puts numbers on both sides, as ratios
// (absolute ops/s on a small shared machine move around from run to run), against targets:
// GET and SET at least 3x ioredis-mock's ops/s, every collection method at least 10x.
//
// How: tinybench runs each task: a typed method of each command family (GET, SET; HSET, HGET,
// HGETALL; LPUSH, LRANGE; SADD, SMEMBERS; ZADD, ZRANGE, ZSCORE) on redwing and on ioredis-mock
// (awaited), and GET/SET on a `Map`. Keys are drawn at random from a prefilled keyspace
// (`--keys`, 10-byte values), collections from 1000 small ones, in a sequence made up front so
// the timed loops only index arrays. One operation is far below the timer's resolution, so
// each sample times a loop of many operations and hands tinybench the mean per operation
// (`overriddenDuration`). The whole bench repeats for a few rounds, every task once per round,
// so a slow spell of the machine hits all tasks alike; the report gives median ns/op per task
// and the median over rounds of the per-round ratio redwing ops/s / other ops/s.
//
// The breakdown tasks take a GET apart: an empty crossing (the engine's `exec` with no
// command), the engine's cheapest command and a GET (each already in the request buffer, run
// again and again), the engine's `call` of a GET (the path `db.get` takes: its arguments read
// from the JS strings, its reply made into a JS string natively), and `db.get` of one key; all
// on a key in the cache. What `call` costs beyond the crossing and the engine's GET is the
// binding's reading of the arguments and making of the reply; what `db.get` costs beyond
// `call`, the store's own part. What a random key costs beyond that, its cache misses, one
// more task splits in two: the engine's GET of random keys, with every request encoded
// beforehand (copied into the request buffer from a sequential array, so that JS reads no key
// string), which leaves the engine's own misses (its hash index and entry); the rest is JS's
// (the key string, and the benchmark's own array of keys). Last, for each target missed, the
// time per operation it leaves (ioredis-mock's divided by the target) beside the fixed cost of
// an embedded call (the crossing and the cheapest command's dispatch).
//
// Needs `npm run build` (dist/) and the devDependencies tinybench and ioredis-mock. Run
// `node benches/embedded.mjs --help` for the options.

import fs from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'

const HELP = `Usage: node benches/embedded.mjs [options]
  --keys N     string keyspace size, prefilled in every store (default 100000)
  --time MS    tinybench time budget per task and round (default 500; --quick: 200)
  --rounds N   repeat the whole bench N times, report medians (default 3; --quick: 1)
  --only LIST  run only these groups, comma-separated (e.g. GET,SET,breakdown)
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
        only: { type: 'string' },
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
    keys: int('keys', 100000),
    time: int('time', quick ? 200 : 500),
    rounds: int('rounds', quick ? 1 : 3),
    only: values.only ? new Set(values.only.split(',').map((group) => group.trim())) : null,
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
const { Redwing } = await load('../dist/index.js', 'build the project first (npm run build)')
const binding = await load('../dist/native/binding.js', 'build the project first (npm run build)')
const { RequestWriter } = await load('../dist/embedded/codec.js', 'build the project first')
let RedisMock = null
try {
  const m = await import('ioredis-mock')
  RedisMock = m.default ?? m
} catch (err) {
  console.error(`ioredis-mock not available (${err.message.split('\n')[0]}); its tasks are skipped`)
}

// Keys and 10-byte values, and the random order they are used in, all made up front.
const N = o.keys
const KEYS = Array.from({ length: N }, (_, i) => `key:${i}`)
const value = (prefix, i) => `${prefix}${String(i).padStart(9, '0')}`.slice(0, 10)
const VALUES = Array.from({ length: N }, (_, i) => value('v', i))
const VALUES2 = Array.from({ length: N }, (_, i) => value('w', i))
const ORDER_SIZE = 1 << 16
const ORDER = Uint32Array.from({ length: ORDER_SIZE }, () => Math.floor(Math.random() * N))
// Collections: 1000 of each type, 10 fields or members each, chosen at random too.
const C = 1000
const COLLECTIONS = Uint16Array.from({ length: ORDER_SIZE }, () => Math.floor(Math.random() * C))
const HASHES = Array.from({ length: C }, (_, i) => `hash:${i}`)
const LISTS = Array.from({ length: C }, (_, i) => `list:${i}`)
const SETS = Array.from({ length: C }, (_, i) => `set:${i}`)
const ZSETS = Array.from({ length: C }, (_, i) => `zset:${i}`)
const FIELDS = Array.from({ length: 10 }, (_, i) => `field:${i}`)
const MEMBERS = Array.from({ length: 10 }, (_, i) => `member:${i}`)

const db = new Redwing()
const map = new Map()
const mock = RedisMock ? new RedisMock() : null
async function prefill(store, awaited) {
  const run = awaited ? async (f) => await f() : (f) => f()
  for (let i = 0; i < N; i++) await run(() => store.set(KEYS[i], VALUES[i]))
  for (let c = 0; c < C; c++) {
    for (let f = 0; f < 10; f++) {
      await run(() => store.hset(HASHES[c], FIELDS[f], VALUES[f]))
      await run(() => store.rpush(LISTS[c], VALUES[f]))
      await run(() => store.sadd(SETS[c], MEMBERS[f]))
      await run(() => store.zadd(ZSETS[c], f, MEMBERS[f]))
    }
  }
}
await prefill(db, false)
for (let i = 0; i < N; i++) map.set(KEYS[i], VALUES[i])
if (mock) await prefill(mock, true)

// Check that both stores behave as this file assumes before timing anything.
function check(cond, what) {
  if (!cond) {
    console.error(`sanity check failed: ${what}`)
    process.exit(1)
  }
}
check(db.get(KEYS[1]) === VALUES[1] && VALUES[1].length === 10, 'db.get returns the 10-byte value set')
check(db.hgetall(HASHES[0])[FIELDS[3]] === VALUES[3], 'db.hgetall returns an object')
check(db.zrange(ZSETS[0], 0, 2).join() === 'member:0,member:1,member:2', 'db.zrange returns members')
check(db.zscore(ZSETS[0], MEMBERS[4]) === 4, 'db.zscore returns a number')
if (mock) check((await mock.hgetall(HASHES[0]))[FIELDS[3]] === VALUES[3], 'ioredis-mock hgetall returns an object')

// ----------------------------------------------------------------- tasks

// Each task runs a loop of BATCH operations and reports the mean per operation. The loops are
// written out per task, not through a shared callback, so V8 optimises each on its own.
const SYNC_BATCH = 1000
const ASYNC_BATCH = 100
const hr = process.hrtime.bigint
function perOp(t0, ops) {
  const ms = Number(hr() - t0) / 1e6
  return { overriddenDuration: ms / ops, overriddenIterationCost: ms }
}

let sink = 0 // results flow here so no loop can be optimised away
let at = 0 // position in ORDER/COLLECTIONS, shared by every task
const next = () => (at = (at + 1) & (ORDER_SIZE - 1))
let flip = 0 // alternates the values written, so every SET changes the key

/** A redwing task and its ioredis-mock twin: `op(store, i, c)` runs one operation on key
 * `KEYS[i]` or collection number `c` and returns something to sink. */
function pair(group, op, asyncOp) {
  return [
    [
      group,
      'redwing',
      () => {
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += op(db, ORDER[next()], COLLECTIONS[at]) ? 1 : 0
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      group,
      'ioredis-mock',
      async () => {
        const t0 = hr()
        for (let k = 0; k < ASYNC_BATCH; k++) sink += (await asyncOp(mock, ORDER[next()], COLLECTIONS[at])) ? 1 : 0
        return perOp(t0, ASYNC_BATCH)
      },
      true,
    ],
  ]
}

const values = () => ((flip ^= 1) ? VALUES2 : VALUES)
const tasks = [
  ...pair(
    'GET',
    (s, i) => s.get(KEYS[i]).length,
    (s, i) => s.get(KEYS[i]),
  ),
  [
    'GET',
    'Map',
    () => {
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) sink += map.get(KEYS[ORDER[next()]]).length
      return perOp(t0, SYNC_BATCH)
    },
  ],
  ...pair(
    'SET',
    (s, i) => s.set(KEYS[i], values()[i]),
    (s, i) => s.set(KEYS[i], values()[i]),
  ),
  [
    'SET',
    'Map',
    () => {
      const vals = values()
      const t0 = hr()
      for (let k = 0; k < SYNC_BATCH; k++) {
        const i = ORDER[next()]
        map.set(KEYS[i], vals[i])
      }
      return perOp(t0, SYNC_BATCH)
    },
  ],
  ...pair(
    'HSET',
    (s, i, c) => s.hset(HASHES[c], FIELDS[i % 10], values()[i]) + 1,
    (s, i, c) => s.hset(HASHES[c], FIELDS[i % 10], values()[i]).then((n) => n + 1),
  ),
  ...pair(
    'HGET',
    (s, i, c) => s.hget(HASHES[c], FIELDS[i % 10]),
    (s, i, c) => s.hget(HASHES[c], FIELDS[i % 10]),
  ),
  ...pair(
    'HGETALL',
    (s, i, c) => s.hgetall(HASHES[c]).field0,
    (s, i, c) => s.hgetall(HASHES[c]),
  ),
  // Each LPUSH is paired with an RPOP, so the lists keep their length.
  ...pair(
    'LPUSH+RPOP',
    (s, i, c) => s.lpush(LISTS[c], VALUES[i]) + s.rpop(LISTS[c]).length,
    async (s, i, c) => (await s.lpush(LISTS[c], VALUES[i])) + (await s.rpop(LISTS[c])).length,
  ),
  ...pair(
    'LRANGE 0..9',
    (s, i, c) => s.lrange(LISTS[c], 0, 9).length,
    (s, i, c) => s.lrange(LISTS[c], 0, 9),
  ),
  ...pair(
    'SADD',
    (s, i, c) => s.sadd(SETS[c], MEMBERS[i % 10]) + 1,
    (s, i, c) => s.sadd(SETS[c], MEMBERS[i % 10]).then((n) => n + 1),
  ),
  ...pair(
    'SMEMBERS',
    (s, i, c) => s.smembers(SETS[c]).length,
    (s, i, c) => s.smembers(SETS[c]),
  ),
  ...pair(
    'ZADD',
    (s, i, c) => s.zadd(ZSETS[c], i % 100, MEMBERS[i % 10]) + 1,
    (s, i, c) => s.zadd(ZSETS[c], i % 100, MEMBERS[i % 10]).then((n) => n + 1),
  ),
  ...pair(
    'ZRANGE 0..9',
    (s, i, c) => s.zrange(ZSETS[c], 0, 9).length,
    (s, i, c) => s.zrange(ZSETS[c], 0, 9),
  ),
  ...pair(
    'ZSCORE',
    (s, i, c) => s.zscore(ZSETS[c], MEMBERS[i % 10]) + 1,
    (s, i, c) => s.zscore(ZSETS[c], MEMBERS[i % 10]),
  ),
  ...breakdown(),
].filter(([group, store]) => (mock || store !== 'ioredis-mock') && (!o.only || o.only.has(group)))

/**
 * The parts of a GET, each timed alone. A second engine with its own request and response
 * buffers stands for the store, driven directly through the binding (`execFunction`,
 * `stringCallFunction`) and the request encoder, without the store's methods.
 */
function breakdown() {
  const engine = new binding.NativeEngine()
  const exec = engine.execFunction()
  const call = engine.stringCallFunction()
  const slot = engine.open('', '', -1, false)
  const request = new RequestWriter(slot)
  const response = Buffer.alloc(64 * 1024)
  engine.setCallBuffers(request.buffer, response)
  for (let i = 0; i < N; i++) {
    request.command(['SET', KEYS[i], VALUES[i]])
    request.seal()
    exec()
    request.reset()
  }
  // Every GET of ORDER, as a whole request (header included), one per STRIDE bytes.
  const STRIDE = 64
  const randomGets = Buffer.alloc(ORDER_SIZE * STRIDE)
  const randomGetLengths = new Uint8Array(ORDER_SIZE)
  for (let i = 0; i < ORDER_SIZE; i++) {
    request.start(2)
    request.arg('GET')
    request.arg(KEYS[ORDER[i]])
    request.seal()
    randomGetLengths[i] = request.buffer.copy(randomGets, i * STRIDE, 0, request.length)
    request.reset()
  }
  // The header of an empty request: exec runs no command.
  const empty = () => {
    request.seal()
  }
  const ping = () => {
    request.start(1)
    request.arg('PING')
    request.seal()
    request.reset()
  }
  return [
    [
      'breakdown',
      'addon noop()',
      () => {
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) binding.noop()
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'empty exec (crossing)',
      () => {
        empty()
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += exec()
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'exec of PING (crossing + dispatch)',
      () => {
        ping()
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += exec()
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'exec of GET <hot key> (crossing + GET)',
      () => {
        request.start(2)
        request.arg('GET')
        request.arg(KEYS[0])
        request.seal()
        request.reset()
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += exec()
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      "exec of GET <random key> (crossing + GET + the engine's cache misses)",
      () => {
        const requests = request.buffer
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) {
          const i = next()
          randomGets.copy(requests, 0, i * STRIDE, i * STRIDE + randomGetLengths[i])
          sink += exec()
        }
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'copy of an encoded GET (for the task above)',
      () => {
        const requests = request.buffer
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) {
          const i = next()
          sink += randomGets.copy(requests, 0, i * STRIDE, i * STRIDE + randomGetLengths[i])
        }
        request.reset()
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'call of GET <hot key> (crossing + arguments + GET + reply value)',
      () => {
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += call(slot, 'GET', KEYS[0]).length
        return perOp(t0, SYNC_BATCH)
      },
    ],
    [
      'breakdown',
      'db.get <hot key>',
      () => {
        const t0 = hr()
        for (let k = 0; k < SYNC_BATCH; k++) sink += db.get(KEYS[0]).length
        return perOp(t0, SYNC_BATCH)
      },
    ],
  ]
}

// ------------------------------------------------------------------- run

console.log(`redwing embedded benchmark — ${new Date().toISOString()}`)
const load1 = os.loadavg().map((x) => x.toFixed(2))
console.log(`node ${process.version}; ${os.cpus().length} cores; load average ${load1.join(' ')}`)
console.log(
  `${N} string keys, ${C} collections of each type; ${o.rounds} round(s) of ${o.time} ms per task; ` +
    `samples are means over ${SYNC_BATCH} sync / ${ASYNC_BATCH} async operations`,
)
console.log('')

const name = ([group, store]) => `${group} ${store}`
const nsPerOp = new Map(tasks.map((task) => [name(task), []])) // name -> [ns per round]
for (let round = 0; round < o.rounds; round++) {
  const bench = new Bench({ name: `embedded round ${round + 1}`, time: o.time, warmupTime: Math.min(250, o.time) })
  for (const task of tasks) bench.add(name(task), task[2], { async: Boolean(task[3]) })
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
const fmtRatio = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a')

const rows = tasks.map((task) => {
  const rounds = nsPerOp.get(name(task))
  const ns = median(rounds)
  return { group: task[0], store: task[1], task: name(task), nsPerOp: ns, opsPerSec: 1e9 / ns, rounds }
})
const row = (group, store) => rows.find((r) => r.group === group && r.store === store)

function printTable(headers, cells) {
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const line = (c) => '  ' + c.map((v, i) => (i ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ')
  console.log(line(headers))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const c of cells) console.log(line(c))
}

const compared = rows.filter((r) => r.group !== 'breakdown')
if (compared.length > 0) {
  printTable(
    ['task', 'ns/op', 'ops/s'],
    compared.map((r) => [r.task, fmtNs(r.nsPerOp), fmtOps(r.opsPerSec)]),
  )
}

// ratio = redwing ops/s / other ops/s, per round, then the median.
const ratios = []
function ratio(group, other, target) {
  const a = row(group, 'redwing')
  const b = row(group, other)
  if (!a || !b) return
  const per = a.rounds.map((ns, i) => b.rounds[i] / ns)
  ratios.push({ group, other, target, perRound: per, median: median(per) })
}
for (const group of new Set(compared.map((r) => r.group))) {
  ratio(group, 'ioredis-mock', group === 'GET' || group === 'SET' ? 3 : 10)
  ratio(group, 'Map')
}
if (ratios.length > 0) {
  console.log('\nratios of ops/s, redwing / other (above 1: redwing is faster), median over rounds:')
  printTable(
    ['command', 'vs', 'ratio', 'target', '', 'per round'],
    ratios.map((r) => [
      r.group,
      r.other,
      fmtRatio(r.median),
      r.target ? `>= ${r.target}` : '',
      r.target ? (r.median >= r.target ? 'met' : 'MISSED') : '',
      r.perRound.map(fmtRatio).join(' '),
    ]),
  )
}

// Where the time of a GET goes, from the breakdown tasks.
const part = (store) => row('breakdown', store)?.nsPerOp
const crossing = part('empty exec (crossing)')
if (crossing !== undefined) {
  const hot = part('db.get <hot key>')
  const engineGet = part('exec of GET <hot key> (crossing + GET)') - crossing
  const called = part('call of GET <hot key> (crossing + arguments + GET + reply value)')
  const random = row('GET', 'redwing')?.nsPerOp
  const parts = [
    ['(for scale: an N-API call of a no-op napi-rs function)', part('addon noop()')],
    ['crossing: an empty exec (N-API call, the binding finding its engine)', crossing],
    ['engine: the cheapest command (PING), dispatch and reply', part('exec of PING (crossing + dispatch)') - crossing],
    ['engine: GET of a key in the cache, reply included', engineGet],
    ["binding: reading call's arguments, making the reply's JS string", called - crossing - engineGet],
    ["the store's own part (db.get around the engine's call)", hot - called],
    ['db.get of a key in the cache, in all', hot],
  ]
  if (random !== undefined) {
    const engineRandom =
      part("exec of GET <random key> (crossing + GET + the engine's cache misses)") -
      part('copy of an encoded GET (for the task above)')
    const engineMisses = engineRandom - crossing - engineGet
    parts.push(['cache misses of a random key, in the engine (its hash index and entry)', engineMisses])
    parts.push(['cache misses of a random key, in JS (the key string, the array of keys)', random - hot - engineMisses])
    parts.push([`db.get of a random key of ${N}, in all`, random])
  }
  console.log('\nwhere the time of a GET goes (median ns per operation):')
  printTable(
    ['part', 'ns'],
    parts.map(([label, ns]) => [label, fmtNs(ns)]),
  )
}

// What each missed target leaves for one operation (ioredis-mock's time divided by the
// target), beside the fixed cost every embedded call pays before its command does any work:
// the crossing and the engine's cheapest command (dispatch and Redis's per-command
// bookkeeping). A budget below that cost cannot be met by making the command itself faster.
const fixedCost = crossing === undefined ? undefined : part('exec of PING (crossing + dispatch)')
const missed = ratios.filter((r) => r.target && r.median < r.target)
if (missed.length > 0) {
  console.log('\nwhat each missed target leaves per operation (ns):')
  const callsPerOp = (group) => (group === 'LPUSH+RPOP' ? 2 : 1)
  printTable(
    ['command', 'target', 'budget', 'redwing', 'fixed cost of its calls', ''],
    missed.map((r) => {
      const budget = row(r.group, 'ioredis-mock').nsPerOp / r.target
      const fixed = fixedCost === undefined ? undefined : fixedCost * callsPerOp(r.group)
      return [
        r.group,
        `${r.target}x`,
        fmtNs(budget),
        fmtNs(row(r.group, 'redwing').nsPerOp),
        fixed === undefined ? 'n/a (run the breakdown)' : fmtNs(fixed),
        fixed !== undefined && budget < fixed ? 'budget below the fixed cost' : '',
      ]
    }),
  )
}

const reproduce =
  `node benches/embedded.mjs --keys ${N} --time ${o.time} --rounds ${o.rounds}` +
  (o.only ? ` --only ${[...o.only].join(',')}` : '') +
  (o.json ? ` --json ${o.json}` : '')
console.log(`\nreproduce: ${reproduce}`)
if (o.json) {
  fs.writeFileSync(
    o.json,
    JSON.stringify(
      { reproduce, options: { ...o, only: o.only && [...o.only] }, node: process.version, rows, ratios },
      null,
      2,
    ) + '\n',
  )
  console.log(`results written to ${o.json}`)
}

if (sink === 0.5) console.log(sink) // keeps `sink` observable
mock?.disconnect()
await db.close()
