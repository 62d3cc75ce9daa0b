#!/usr/bin/env node
// benches/bullmq.mjs — BullMQ job throughput: redwing against the real redis-server.
//
// Why: BullMQ is the heaviest real user of scripting among Node.js job queues: every add,
// every fetch and every completion is an EVALSHA of a sizeable Lua script that touches lists,
// sorted sets, hashes and a stream of events. Jobs per second through one worker is therefore
// a benchmark of the whole scripting path (conversions, redis.call dispatch, cmsgpack) as a
// real application drives it. As in server.mjs, the machines are shared and noisy, so the
// number that counts is the RATIO redwing/redis, measured side by side.
//
// How: both servers start as child processes on free loopback ports (lib/servers.mjs). One
// run against one server: a fresh queue; N jobs added with addBulk in batches of 1000 (timed:
// jobs added per second); then one Worker with concurrency 50 and a no-op processor (timed from
// its start until the N-th 'completed' event: jobs processed per second). Runs alternate
// between the servers (redwing first in odd rounds, redis first in even ones) for --rounds
// rounds; each server's median per measure is reported, and the ratio is the geometric mean
// over rounds of redwing/redis.
//
// Usage: node benches/bullmq.mjs [--jobs N] [--rounds N] [--concurrency N]

import { parseArgs } from 'node:util'
import { Queue, Worker } from 'bullmq'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  geomean,
  intOption,
  loadAverage,
  median,
  printTable,
  startServer,
  stopAll,
  twoPorts,
  waitForPing,
} from './lib/servers.mjs'

const { values } = parseArgs({
  options: {
    jobs: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
  },
})
const jobs = intOption(values, 'jobs', 20000)
const rounds = intOption(values, 'rounds', 3)
const concurrency = intOption(values, 'concurrency', 50)
exitUnlessBuilt(DEFAULT_REDWING_CMD)

/** Adds `jobs` jobs, then processes them with one worker; returns both rates (per second). */
async function runOnce(port, round) {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null }
  const name = `bench-${round}`
  const queue = new Queue(name, { connection })
  await queue.waitUntilReady()
  let started = performance.now()
  for (let at = 0; at < jobs; at += 1000) {
    const batch = []
    for (let i = at; i < Math.min(jobs, at + 1000); i++) batch.push({ name: 'job', data: { i } })
    await queue.addBulk(batch)
  }
  const added = jobs / ((performance.now() - started) / 1000)
  let completed = 0
  let finish
  const done = new Promise((resolve) => (finish = resolve))
  started = performance.now()
  const worker = new Worker(name, async () => null, { connection, concurrency, autorun: false })
  worker.on('completed', () => {
    if (++completed === jobs) finish()
  })
  worker.run()
  await done
  const processed = jobs / ((performance.now() - started) / 1000)
  await worker.close()
  await queue.obliterate({ force: true })
  await queue.close()
  return { added, processed }
}

const [redwingPort, redisPort] = await twoPorts()
const servers = {
  redwing: startServer('redwing', DEFAULT_REDWING_CMD, redwingPort),
  redis: startServer('redis', DEFAULT_REDIS_CMD, redisPort),
}
try {
  await waitForPing(servers.redwing, 20)
  await waitForPing(servers.redis, 20)
  console.log(`BullMQ: ${jobs} jobs per run, one worker with concurrency ${concurrency}, ${rounds} rounds`)
  console.log(`load average before: ${loadAverage()}`)
  const results = { redwing: [], redis: [] }
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ['redwing', 'redis'] : ['redis', 'redwing']
    for (const name of order) results[name].push(await runOnce(servers[name].port, round))
  }
  const rows = ['added', 'processed'].map((measure) => {
    const ours = results.redwing.map((r) => r[measure])
    const theirs = results.redis.map((r) => r[measure])
    const ratio = geomean(ours.map((x, i) => x / theirs[i]))
    return [`jobs ${measure}/s`, fmtInt(median(ours)), fmtInt(median(theirs)), fmtRatio(ratio)]
  })
  printTable(['measure', 'redwing', 'redis', 'ratio'], rows, [false, true, true, true])
  const all = ['added', 'processed'].flatMap((m) => results.redwing.map((r, i) => r[m] / results.redis[i][m]))
  console.log(`geometric mean of all ratios: ${fmtRatio(geomean(all))}`)
  console.log(`load average after: ${loadAverage()}`)
} finally {
  await stopAll()
}
