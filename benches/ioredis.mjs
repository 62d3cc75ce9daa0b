#!/usr/bin/env node
// benches/ioredis.mjs — redwing/ioredis against ioredis-mock, the in-process stand-in for
// ioredis it replaces.
//
// Why: redwing/ioredis exists so that code and tests written for ioredis run in-process on
// redwing's engine; its users come from ioredis-mock, so that is what it has to beat, through
// the same API, on the workloads such code runs.
//
// How: both clients run the same functions, written against ioredis's API: GET and SET of
// small strings on a prefilled keyspace, pipelines of 100 SETs, HGETALL of a 100-field hash,
// ZADD then ZRANGE (10 members by rank) on a 10,000-member sorted set, and LPUSH then LRANGE
// (100 elements) on a 1,000-element list kept at that length with RPOP. Every operation is
// awaited, as applications await them. One operation is far below the timer's resolution,
// so each sample times a loop of many and hands tinybench the mean per operation. The two
// clients' tasks run interleaved in each round, for several rounds; the report gives each
// task's median ns/op and ops/s, and per workload the ratio of ops/s (redwing/ioredis ÷
// ioredis-mock) per round and its median, then the geometric mean of those medians. For GET
// and SET, redwing's embedded store itself, called synchronously and awaited, runs too, as a
// reference: the most a Promise-returning client of the engine can reach on one command.
//
// Needs `npm run build:ts` (dist/) and the devDependencies tinybench and ioredis-mock.
// Run `node benches/ioredis.mjs --help` for the options.

import fs from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { Bench } from 'tinybench'
import RedisMock from 'ioredis-mock'
import Redis from '../dist/ioredis/index.js'
import { Redwing } from '../dist/index.js'
import { fmtInt, geomean, intOption, median, printTable, UsageError } from './lib/servers.mjs'

const HELP = `Usage: node benches/ioredis.mjs [options]
  --time MS    tinybench time budget per task and round (default 1000; --quick: 300)
  --rounds N   rounds, each running every task once, interleaved (default 5; --quick: 2)
  --only LIST  comma-separated workloads (get,set,pipeline,hgetall,zset,list)
  --json FILE  write the results as JSON to FILE
  --quick      short run
  -h, --help   this text`

function options() {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        time: { type: 'string' },
        rounds: { type: 'string' },
        only: { type: 'string' },
        json: { type: 'string' },
        quick: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    console.error(`${error.message}\n\n${HELP}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  const int = (name, fallback) => {
    try {
      return intOption(values, name, fallback)
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      console.error(`${error.message}\n\n${HELP}`)
      process.exit(2)
    }
  }
  return {
    time: int('time', values.quick ? 300 : 1000),
    rounds: int('rounds', values.quick ? 2 : 5),
    only: values.only?.split(','),
    json: values.json,
  }
}

const o = options()

const KEYS = 10_000
const KEY = Array.from({ length: KEYS }, (_, i) => `key:${String(i).padStart(5, '0')}`)
const VALUE = Array.from({ length: KEYS }, (_, i) => `value-${i}`)
const MEMBER = Array.from({ length: KEYS }, (_, i) => `member:${i}`)
const FIELDS = 100
const PIPELINE = 100
const LIST = 1000

/** Fills a client with what the workloads read, through its own API. */
async function fill(redis) {
  const pipeline = redis.pipeline()
  for (let i = 0; i < KEYS; i++) pipeline.set(KEY[i], VALUE[i])
  const hash = {}
  for (let i = 0; i < FIELDS; i++) hash[`field:${i}`] = `value-${i}`
  pipeline.hset('hash', hash)
  for (let i = 0; i < KEYS; i++) pipeline.zadd('zset', i, MEMBER[i])
  for (let i = 0; i < LIST; i++) pipeline.rpush('list', VALUE[i])
  await pipeline.exec()
}

/** Checks that both clients answer alike before anything is timed. */
async function check(redis, name) {
  const fail = (what) => {
    console.error(`${name}: sanity check failed: ${what}`)
    process.exit(1)
  }
  if ((await redis.get(KEY[1])) !== VALUE[1]) fail('get returns the value set')
  if (Object.keys(await redis.hgetall('hash')).length !== FIELDS) fail(`hgetall returns ${FIELDS} fields`)
  if ((await redis.zrange('zset', 0, 9)).join() !== MEMBER.slice(0, 10).join()) fail('zrange returns members by rank')
  if ((await redis.lrange('list', 0, 99)).length !== 100) fail('lrange returns 100 elements')
  if ((await redis.pipeline().set('a', '1').get('a').exec()).at(-1)[1] !== '1') fail('pipeline returns [error, result]')
}

// Each workload makes the timed function for a client: it runs `batch` operations and returns
// tinybench's mean per operation. Counters are per client, so both walk the same keys.
const hr = process.hrtime.bigint
const perOp = (start, ops) => {
  const ms = Number(hr() - start) / 1e6
  return { overriddenDuration: ms / ops, overriddenIterationCost: ms }
}
let sink = 0

const WORKLOADS = {
  get: {
    label: 'GET',
    make(redis) {
      let i = 0
      return async () => {
        const start = hr()
        for (let k = 0; k < 200; k++) {
          sink += (await redis.get(KEY[i])).length
          if (++i === KEYS) i = 0
        }
        return perOp(start, 200)
      }
    },
  },
  set: {
    label: 'SET',
    make(redis) {
      let i = 0
      let round = 0
      return async () => {
        const suffix = `:${round++}`
        const start = hr()
        for (let k = 0; k < 200; k++) {
          await redis.set(KEY[i], VALUE[i] + suffix)
          if (++i === KEYS) i = 0
        }
        return perOp(start, 200)
      }
    },
  },
  pipeline: {
    label: `pipeline of ${PIPELINE} SET`,
    make(redis) {
      let i = 0
      return async () => {
        const start = hr()
        for (let b = 0; b < 5; b++) {
          const pipeline = redis.pipeline()
          for (let k = 0; k < PIPELINE; k++) {
            pipeline.set(KEY[i], VALUE[i])
            if (++i === KEYS) i = 0
          }
          sink += (await pipeline.exec()).length
        }
        return perOp(start, 5)
      }
    },
  },
  hgetall: {
    label: `HGETALL of ${FIELDS} fields`,
    make(redis) {
      return async () => {
        const start = hr()
        for (let k = 0; k < 50; k++) sink += (await redis.hgetall('hash'))['field:7'].length
        return perOp(start, 50)
      }
    },
  },
  zset: {
    label: `ZADD + ZRANGE on ${KEYS} members`,
    make(redis) {
      let i = 0
      let score = KEYS
      return async () => {
        const start = hr()
        for (let k = 0; k < 20; k++) {
          await redis.zadd('zset', score++ % KEYS, MEMBER[i])
          sink += (await redis.zrange('zset', i, i + 9)).length
          if (++i === KEYS - 10) i = 0
        }
        return perOp(start, 20)
      }
    },
  },
  list: {
    label: `LPUSH + LRANGE 100 on ${LIST} elements`,
    make(redis) {
      let i = 0
      return async () => {
        const start = hr()
        for (let k = 0; k < 50; k++) {
          await redis.lpush('list', VALUE[i])
          sink += (await redis.lrange('list', 0, 99)).length
          await redis.rpop('list')
          if (++i === KEYS) i = 0
        }
        return perOp(start, 50)
      }
    },
  },
}

const workloads = Object.entries(WORKLOADS).filter(([name]) => !o.only || o.only.includes(name))
const clients = { 'redwing/ioredis': new Redis({ port: 16379 }), 'ioredis-mock': new RedisMock({ port: 16379 }) }
for (const [name, redis] of Object.entries(clients)) {
  await fill(redis)
  await check(redis, name)
}
/** The reference for GET and SET (the workloads whose calls a Redwing has too). */
const store = new Redwing()
const storeFill = store.pipeline()
for (let i = 0; i < KEYS; i++) storeFill.set(KEY[i], VALUE[i])
storeFill.exec()
const REFERENCE = new Set(['get', 'set'])

console.log(`redwing/ioredis vs ioredis-mock — ${new Date().toISOString()}`)
console.log(
  `node ${process.version}; ${os.cpus().length} cores; load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${o.rounds} rounds of ${o.time} ms per task, the clients interleaved\n`,
)

/** ns per operation of each task, per round. */
const samples = new Map()
for (let round = 0; round < o.rounds; round++) {
  process.stderr.write(`round ${round + 1}/${o.rounds} ...\n`)
  const bench = new Bench({ time: o.time, warmupTime: Math.min(200, o.time) })
  // Alternate which client goes first, so neither always runs on a fresher heap.
  const order = round % 2 ? Object.keys(clients).reverse() : Object.keys(clients)
  for (const [workload, { make }] of workloads) {
    for (const client of order) bench.add(`${workload} ${client}`, make(clients[client]), { async: true })
    if (REFERENCE.has(workload)) bench.add(`${workload} store`, make(store), { async: true })
  }
  await bench.run()
  for (const task of bench.tasks) {
    if (task.result.state !== 'completed') {
      console.error(`task ${task.name} ${task.result.state}: ${task.result.error?.stack ?? ''}`)
      process.exit(1)
    }
    if (!samples.has(task.name)) samples.set(task.name, [])
    samples.get(task.name).push(task.result.latency.p50 * 1e6)
  }
}

const rows = []
for (const [workload, { label }] of workloads) {
  const ours = samples.get(`${workload} redwing/ioredis`)
  const mock = samples.get(`${workload} ioredis-mock`)
  const perRound = ours.map((ns, i) => mock[i] / ns)
  rows.push({
    workload,
    label,
    redwingOpsPerSec: 1e9 / median(ours),
    mockOpsPerSec: 1e9 / median(mock),
    ratioPerRound: perRound,
    ratio: median(perRound),
  })
}
const geometricMean = geomean(rows.map((row) => row.ratio))

printTable(
  ['workload', 'redwing/ioredis ops/s', 'ioredis-mock ops/s', 'ratio', 'per round'],
  rows.map((r) => [
    r.label,
    fmtInt(r.redwingOpsPerSec),
    fmtInt(r.mockOpsPerSec),
    `${r.ratio.toFixed(2)}x`,
    r.ratioPerRound.map((x) => x.toFixed(2)).join(' '),
  ]),
  [false, true, true, true, false],
)
console.log(
  `\nratio: ops/s of redwing/ioredis ÷ ops/s of ioredis-mock, median over rounds (above 1: redwing is faster)`,
)
console.log(
  `geometric mean of the ratios: ${geometricMean.toFixed(2)}x; lowest: ${Math.min(...rows.map((r) => r.ratio)).toFixed(2)}x`,
)
for (const row of rows.filter((r) => REFERENCE.has(r.workload))) {
  const ns = samples.get(`${row.workload} store`)
  const mock = samples.get(`${row.workload} ioredis-mock`)
  row.storeOpsPerSec = 1e9 / median(ns)
  row.storeRatio = median(ns.map((x, i) => mock[i] / x))
  console.log(
    `reference, ${row.label} by the embedded store, awaited: ${fmtInt(row.storeOpsPerSec)} ops/s, ` +
      `${row.storeRatio.toFixed(2)}x ioredis-mock`,
  )
}

const reproduce = `node benches/ioredis.mjs --time ${o.time} --rounds ${o.rounds}${o.only ? ` --only ${o.only}` : ''}`
console.log(`reproduce: ${reproduce}`)
if (o.json) {
  fs.writeFileSync(o.json, JSON.stringify({ reproduce, node: process.version, rows, geometricMean }, null, 2) + '\n')
  console.log(`results written to ${o.json}`)
}
if (sink === 0.5) console.log(sink)
for (const redis of Object.values(clients)) redis.disconnect()
await store.close()
