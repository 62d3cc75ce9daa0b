#!/usr/bin/env node
// benches/pubsub.mjs — Pub/Sub fan-out: redwing against the real redis-server.
//
// Why: PUBLISH is cheap to accept and expensive to deliver. One message to a
// channel with S subscribers becomes S pushes, each written to its own
// socket, and with patterns every PUBLISH also runs the channel name against
// every pattern. What this measures is delivered messages per second. As in
// server.mjs (read its header), the machines are shared and noisy, so the
// number that counts is the RATIO redwing/redis measured side by side.
//
// How: both servers are started as child processes on free loopback ports
// (lib/servers.mjs). One run is: S subscriber connections and one publisher
// connection, plain node:net sockets speaking RESP written by hand (no client
// library, so the client costs the same against both servers). The
// publisher runs on the main thread, the subscribers on one worker thread,
// so reading S sockets does not hold up the publisher's round trips (as with
// subscribers in other processes). The subscribers subscribe (untimed;
// every confirmation and PUBSUB NUMSUB/NUMPAT are checked), then the
// publisher sends M PUBLISH commands in batches of P (one write, then wait
// for the P replies, like redis-benchmark -P). The clock runs from the first
// publish until every subscriber has received all its messages; delivered/s
// = deliveries / that time. A subscriber counts its messages by counting a
// marker that occurs once per payload and nowhere else on the wire
// (Buffer.indexOf over each chunk: no RESP parsing on the hot path); the sum
// of the PUBLISH replies must equal the deliveries expected, and no
// subscriber may get more than its share. The table also shows how busy the
// subscribers' event loop was: near 100%, the client is the bottleneck and
// the ratio understates the faster server. After a run the subscribers hang
// up and the server must report no subscriptions left before the next.
//
// Scenarios (each at every pipeline depth):
//   channel   all S subscribers SUBSCRIBE one channel; a PUBLISH delivers S
//             messages.
//   patterns  N distinct PSUBSCRIBE patterns spread evenly over the S
//             subscribers; K per subscriber match the channel (a prefix of
//             it, '*', a suffix: "bench.pubsub.fanout.chan*nel"), the others
//             do not ("other.6.*", "bench.pubsub.*.7",
//             "bench.pubsub.fanout.channel.8*"). A PUBLISH delivers S x K
//             pmessages and tests all N patterns.
//
// For every round and scenario the two servers run back to back, alternating
// which goes first from scenario to scenario and round to round; the table
// shows each server's median delivered/s, the median of the per-round ratios
// with their spread, and the geometric mean of the per-scenario median
// ratios. A ratio above 1 means redwing delivered more messages per second.
//
// Run `node benches/pubsub.mjs --help` for the options.

import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Worker, isMainThread, parentPort } from 'node:worker_threads'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  RespConnection,
  UsageError,
  intOption,
  listOption,
  pipelineDepths,
  describeExit,
  encode,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  geomean,
  loadAverage,
  median,
  printTable,
  shellQuote,
  sleep,
  startServer,
  stopAll,
  stopServer,
  toolVersion,
  twoPorts,
  waitForPing,
  wasInterrupted,
  writeJson,
} from './lib/servers.mjs'

const CHANNEL = 'bench.pubsub.fanout.channel'
// Once at the start of every payload; '<' occurs nowhere else on the wire
// (not in the filler, the channel, the patterns or the RESP framing), so
// occurrences never overlap and are counted exactly.
const MARKER = '<pubsub-bench>'
const SCENARIOS = ['channel', 'patterns']

const HELP = `Usage: node benches/pubsub.mjs [options]

One publisher and S subscribers on raw sockets; messages delivered per second,
redwing against redis-server, interleaved rounds, ratios.

  --scenarios LIST      channel,patterns or one of them (default both)
  --rounds N            interleaved rounds (default 3; --quick: 2)
  --messages N          PUBLISH commands per run (default 50000; --quick: 2000)
  --subscribers N       subscriber connections (default 50)
  --patterns N          distinct PSUBSCRIBE patterns in all, for the patterns
                        scenario, spread evenly over the subscribers (default 1000)
  --matching N          of each subscriber's patterns, how many match the
                        channel (default 1)
  --pipeline LIST       PUBLISH pipeline depths, comma separated (default 16,1)
  --payload N           message size in bytes, at least ${MARKER.length} (default 64)
  --warmup N            messages per server, scenario and depth before measuring,
                        not recorded; 0 disables (default 5000; --quick: 500)
  --run-timeout SEC     fail a run that takes longer than this (default 120)
  --redwing-cmd CMD     command starting our server, run by /bin/sh from the
                        repository root; "--port N" is appended
                        (default "${DEFAULT_REDWING_CMD}")
  --redis-cmd CMD       command starting redis-server; "--port N" is appended
                        (default "${DEFAULT_REDIS_CMD}")
  --startup-timeout SEC how long a server may take to answer PING (default 20)
  --json FILE           also write the results as JSON to FILE
  --quick               smaller defaults for a fast look
  -h, --help            this text

Everything runs on 127.0.0.1. To try the script without our server, point it
at a second redis-server:
  node benches/pubsub.mjs --quick --redwing-cmd "redis-server --save '' --appendonly no"
Ratios then come out close to 1.0.`

// ---------------------------------------------------------------- options

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      scenarios: { type: 'string' },
      rounds: { type: 'string' },
      messages: { type: 'string' },
      subscribers: { type: 'string' },
      patterns: { type: 'string' },
      matching: { type: 'string' },
      pipeline: { type: 'string' },
      payload: { type: 'string' },
      warmup: { type: 'string' },
      'run-timeout': { type: 'string' },
      'redwing-cmd': { type: 'string' },
      'redis-cmd': { type: 'string' },
      'startup-timeout': { type: 'string' },
      json: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(HELP)
    process.exit(0)
  }
  const quick = Boolean(values.quick)
  const int = (name, def, min = 1) => intOption(values, name, def, min)
  const list = listOption
  const pipelines = pipelineDepths(values.pipeline ?? '16,1', 'pipeline')
  const scenarios = list(values.scenarios ?? SCENARIOS.join(',')).map((s) => s.toLowerCase())
  if (scenarios.length === 0) throw new UsageError('--scenarios is empty')
  for (const s of scenarios) {
    if (!SCENARIOS.includes(s)) throw new UsageError(`unknown scenario ${JSON.stringify(s)}; one of ${SCENARIOS}`)
  }
  const o = {
    quick,
    scenarios,
    rounds: int('rounds', quick ? 2 : 3),
    messages: int('messages', quick ? 2000 : 50000),
    subscribers: int('subscribers', 50),
    patterns: int('patterns', 1000),
    matching: int('matching', 1),
    pipelines,
    payload: int('payload', 64, MARKER.length),
    warmup: int('warmup', quick ? 500 : 5000, 0),
    runTimeout: int('run-timeout', 120),
    redwingCmd: values['redwing-cmd'] ?? DEFAULT_REDWING_CMD,
    redisCmd: values['redis-cmd'] ?? DEFAULT_REDIS_CMD,
    startupTimeout: int('startup-timeout', 20),
    json: values.json,
  }
  if (scenarios.includes('patterns')) {
    if (o.patterns < o.subscribers * o.matching) {
      throw new UsageError(
        `--patterns (${o.patterns}) must be at least --subscribers x --matching (${o.subscribers * o.matching})`,
      )
    }
    o.patternSets = patternSets(o) // throws UsageError if there are not enough matching forms
  }
  return o
}

// The full command line with every setting spelled out, so a run can be
// repeated exactly even if the defaults change later.
function reproduceCommand(o) {
  const a = ['node', 'benches/pubsub.mjs', '--scenarios', o.scenarios.join(','), '--rounds', o.rounds]
  a.push('--messages', o.messages, '--subscribers', o.subscribers, '--patterns', o.patterns)
  a.push('--matching', o.matching, '--pipeline', o.pipelines.join(','), '--payload', o.payload)
  a.push('--warmup', o.warmup, '--redwing-cmd', o.redwingCmd, '--redis-cmd', o.redisCmd)
  if (o.json) a.push('--json', o.json)
  return a.map(shellQuote).join(' ')
}

// ------------------------------------------------------------ workload

// Distinct patterns that all match CHANNEL: a prefix, '*', a suffix, the most
// specific first ("bench.pubsub.fanout.channel*", "bench.pubsub.fanout.channe*l", ...).
function matchingPatterns(count) {
  const out = []
  const n = CHANNEL.length
  for (let kept = n; kept >= 0 && out.length < count; kept--) {
    for (let a = kept; a >= 0 && out.length < count; a--) {
      out.push(`${CHANNEL.slice(0, a)}*${CHANNEL.slice(n - (kept - a))}`)
    }
  }
  if (out.length < count) {
    throw new UsageError(`at most ${out.length} matching patterns (--subscribers x --matching) are available`)
  }
  return out
}

// Distinct patterns that do not match CHANNEL, in three shapes: rejected at
// the first byte, after a '*' scan, and at the very end.
function otherPattern(i) {
  switch (i % 3) {
    case 0:
      return `other.${i}.*`
    case 1:
      return `bench.pubsub.*.${i}`
    default:
      return `${CHANNEL}.${i}*`
  }
}

// patternSets[s] = { patterns, matching }: what subscriber s PSUBSCRIBEs.
function patternSets(o) {
  const matching = matchingPatterns(o.subscribers * o.matching)
  const sets = Array.from({ length: o.subscribers }, (_, s) => ({
    patterns: matching.slice(s * o.matching, (s + 1) * o.matching),
    matching: o.matching,
  }))
  for (let i = 0; i < o.patterns - matching.length; i++) sets[i % o.subscribers].patterns.push(otherPattern(i))
  return sets
}

// -------------------------------------------------- the subscriber thread

// Counts MARKER in a byte stream delivered in chunks, including a marker
// split between two chunks. MARKER never overlaps itself.
class MarkerCounter {
  constructor(marker) {
    this.marker = Buffer.from(marker)
    this.carry = Buffer.alloc(0) // the last marker.length - 1 bytes seen
  }

  count(chunk) {
    const m = this.marker
    const k = m.length
    let n = 0
    if (this.carry.length > 0) {
      if (Buffer.concat([this.carry, chunk.subarray(0, k - 1)]).indexOf(m) >= 0) n++
    }
    for (let i = chunk.indexOf(m); i >= 0; i = chunk.indexOf(m, i + k)) n++
    const tail = chunk.length >= k - 1 ? chunk.subarray(chunk.length - (k - 1)) : Buffer.concat([this.carry, chunk])
    this.carry = Buffer.from(tail.subarray(Math.max(0, tail.length - (k - 1))))
    return n
  }
}

// The worker's side. Requests { id, cmd, ... } get a reply { id, ... } or
// { id, error }; while a run is on it also posts { event: 'done', t } (t:
// process.hrtime.bigint() when the last subscriber got its last message) or
// { event: 'failed', message }.
function subscriberThread() {
  let run = null // { conns, counts }

  const close = () => {
    const counts = run ? run.counts : []
    for (const c of run?.conns ?? []) c.sock.destroy()
    run = null
    return counts
  }

  // Opens the subscribers, subscribes and checks every confirmation, then
  // turns each socket over to a MarkerCounter.
  async function subscribe({ port, sets, subscribers, expected }) {
    close()
    const me = (run = { conns: [], counts: new Array(subscribers).fill(0) })
    const post = (m) => me === run && parentPort.postMessage(m)
    for (let i = 0; i < subscribers; i++) me.conns.push(await RespConnection.open(port))
    await Promise.all(
      me.conns.map(async (c, i) => {
        const args = sets ? ['PSUBSCRIBE', ...sets[i].patterns] : ['SUBSCRIBE', CHANNEL]
        const replies = await c.send(encode(args), args.length - 1)
        replies.forEach((r, j) => {
          const kind = sets ? 'psubscribe' : 'subscribe'
          if (!Array.isArray(r) || r[0] !== kind || r[1] !== args[j + 1] || r[2] !== j + 1) {
            throw new Error(`${args[0]} reply ${j + 1} is ${JSON.stringify(r)}`)
          }
        })
      }),
    )
    let remaining = subscribers
    me.conns.forEach((c, i) => {
      const { sock, rest } = c.detach()
      const counter = new MarkerCounter(MARKER)
      const onData = (chunk) => {
        const n = counter.count(chunk)
        if (n === 0) return
        const before = me.counts[i]
        me.counts[i] += n
        if (me.counts[i] > expected[i]) {
          post({
            event: 'failed',
            message: `subscriber ${i} received ${me.counts[i]} messages, expected ${expected[i]}`,
          })
        } else if (me.counts[i] === expected[i] && before < expected[i] && --remaining === 0) {
          post({ event: 'done', t: process.hrtime.bigint() })
        }
      }
      sock.on('data', onData)
      sock.on('error', (err) => post({ event: 'failed', message: `subscriber ${i}: ${err.message}` }))
      sock.on('close', () => {
        if (me.counts[i] < expected[i]) {
          post({
            event: 'failed',
            message: `subscriber ${i} disconnected after ${me.counts[i]} of ${expected[i]} messages`,
          })
        }
      })
      if (rest.length > 0) onData(rest)
    })
  }

  parentPort.on('message', async ({ id, cmd, ...args }) => {
    try {
      if (cmd === 'subscribe') {
        await subscribe(args)
        parentPort.postMessage({ id })
      } else if (cmd === 'counts') {
        parentPort.postMessage({ id, counts: run ? run.counts : [] })
      } else if (cmd === 'close') {
        parentPort.postMessage({ id, counts: close() })
      } else {
        throw new Error(`unknown request ${cmd}`)
      }
    } catch (err) {
      close()
      parentPort.postMessage({ id, error: err.message })
    }
  })
}

// The main thread's handle on the subscriber thread.
class Subscribers {
  constructor() {
    this.worker = new Worker(new URL(import.meta.url), { workerData: { role: 'subscribers' } })
    this.worker.unref() // never what keeps the benchmark alive
    this.nextId = 1
    this.calls = new Map() // id -> { resolve, reject }
    this.onEvent = () => {} // set by the run in progress
    this.dead = null
    this.worker.on('message', (m) => {
      if (m.event) return this.onEvent(m)
      const call = this.calls.get(m.id)
      this.calls.delete(m.id)
      if (m.error) call?.reject(new Error(m.error))
      else call?.resolve(m)
    })
    const die = (err) => {
      this.dead = this.dead ?? err
      for (const call of this.calls.values()) call.reject(err)
      this.calls.clear()
      this.onEvent({ event: 'failed', message: err.message })
    }
    this.worker.on('error', (err) => die(new Error(`subscriber thread: ${err.message}`)))
    this.worker.on('exit', (code) => die(new Error(`subscriber thread exited (code ${code})`)))
  }

  call(cmd, args = {}) {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject })
      this.worker.postMessage({ id, cmd, ...args })
    })
  }

  // The share of wall time the subscriber thread's event loop was busy.
  busy(since) {
    return this.worker.performance.eventLoopUtilization(since)
  }

  terminate() {
    return this.worker.terminate()
  }
}

// ------------------------------------------------------------ one run

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000}s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// Polls PUBSUB until the server counts exactly what the run expects (after
// subscribing) or nothing (after the subscribers hung up).
async function awaitPubsubCounts(pub, channels, patterns, what) {
  const deadline = Date.now() + 5000
  for (;;) {
    const [numsub] = await pub.send(encode(['PUBSUB', 'NUMSUB', CHANNEL]), 1)
    const numpat = await pub.command('PUBSUB', 'NUMPAT')
    const got = Array.isArray(numsub) ? numsub[1] : numsub
    if (got === channels && numpat === patterns) return
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: PUBSUB NUMSUB ${CHANNEL} = ${JSON.stringify(numsub)}, NUMPAT = ${JSON.stringify(numpat)}; ` +
          `expected ${channels} and ${patterns}`,
      )
    }
    await sleep(10)
  }
}

// One measured (or warm-up) run of `messages` PUBLISH commands against srv.
async function runOnce(o, srv, subs, scenario, pipeline, messages) {
  if (srv.exited) throw new Error(describeExit(srv))
  const sets = scenario === 'patterns' ? o.patternSets : null
  const perSub = sets ? sets.map((s) => s.matching) : Array(o.subscribers).fill(1)
  const perPublish = perSub.reduce((a, b) => a + b, 0)
  const expectedTotal = messages * perPublish

  let pub = null
  let timer = null
  let watch = null
  let fail
  const failed = new Promise((_, reject) => (fail = reject))
  failed.catch(() => {})
  let resolveDone
  const done = new Promise((resolve) => (resolveDone = resolve))
  subs.onEvent = (m) => {
    if (m.event === 'done') resolveDone(m.t)
    else fail(new Error(`${srv.name}: ${m.message}${srv.exited ? `\n${describeExit(srv)}` : ''}`))
  }
  try {
    // Connect and subscribe; not timed.
    pub = await RespConnection.open(srv.port)
    await withTimeout(
      subs.call('subscribe', {
        port: srv.port,
        sets: sets && sets.map((s) => ({ patterns: s.patterns })),
        subscribers: o.subscribers,
        expected: perSub.map((k) => messages * k),
      }),
      30000,
      `${srv.name}: subscribing ${o.subscribers} connections`,
    ).catch((err) => {
      throw new Error(`${srv.name}: subscribing: ${err.message}`)
    })
    await awaitPubsubCounts(pub, sets ? 0 : o.subscribers, sets ? o.patterns : 0, `${srv.name} after subscribing`)

    timer = setTimeout(async () => {
      let progress = ''
      try {
        const { counts } = await withTimeout(subs.call('counts'), 2000, 'asking for counts')
        progress = ` (${counts.reduce((a, b) => a + b, 0)} of ${expectedTotal} messages delivered)`
      } catch {
        /* report without them */
      }
      fail(new Error(`${srv.name}: run took longer than ${o.runTimeout}s${progress}`))
    }, o.runTimeout * 1000)
    watch = setInterval(() => {
      if (srv.exited) fail(new Error(describeExit(srv)))
    }, 200)

    const command = encode(['PUBLISH', CHANNEL, MARKER + '.'.repeat(o.payload - MARKER.length)])
    const full = Buffer.from(command.repeat(pipeline))
    const lastSize = messages % pipeline
    const last = Buffer.from(command.repeat(lastSize))

    // Timed part.
    const cpu0 = process.cpuUsage()
    const subBusy0 = subs.busy()
    const pubBusy0 = performance.eventLoopUtilization()
    const t0 = process.hrtime.bigint()
    let receivers = 0
    for (let sent = 0; sent < messages;) {
      const n = messages - sent >= pipeline ? pipeline : lastSize
      const replies = await Promise.race([pub.send(n === pipeline ? full : last, n), failed])
      for (const r of replies) {
        if (typeof r !== 'number') throw new Error(`${srv.name}: PUBLISH replied ${JSON.stringify(r)}`)
        receivers += r
      }
      sent += n
    }
    const tPublished = process.hrtime.bigint()
    const tDone = await Promise.race([done, failed])
    const subBusy = subs.busy(subBusy0).utilization
    const pubBusy = performance.eventLoopUtilization(pubBusy0).utilization
    const cpu = process.cpuUsage(cpu0)
    const seconds = Number(tDone - t0) / 1e9
    const publishSeconds = Number(tPublished - t0) / 1e9
    if (receivers !== expectedTotal) {
      throw new Error(`${srv.name}: PUBLISH replies add up to ${receivers} receivers, expected ${expectedTotal}`)
    }
    clearTimeout(timer)
    clearInterval(watch)
    subs.onEvent = () => {}

    // Hang up the subscribers and wait until the server has dropped their
    // subscriptions, so that the next run starts from nothing.
    await withTimeout(subs.call('close'), 10000, 'closing the subscribers')
    await awaitPubsubCounts(pub, 0, 0, `${srv.name} after the subscribers left`)
    return {
      messages,
      delivered: expectedTotal,
      seconds,
      deliveredPerSec: expectedTotal / seconds,
      publishSeconds,
      publishesPerSec: messages / publishSeconds,
      subscriberLoopBusy: subBusy,
      publisherLoopBusy: pubBusy,
      clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    }
  } finally {
    clearTimeout(timer)
    clearInterval(watch)
    subs.onEvent = () => {}
    pub?.sock.destroy()
    await withTimeout(subs.call('close'), 10000, 'closing the subscribers').catch(() => {})
  }
}

// ------------------------------------------------------------ benchmark

async function benchmark(o) {
  const [pRedwing, pRedis] = await twoPorts()
  const redwing = startServer('redwing', o.redwingCmd, pRedwing)
  const redis = startServer('redis', o.redisCmd, pRedis)
  console.log(`redwing: ${redwing.command}  (pid ${redwing.pid})`)
  console.log(`redis:   ${redis.command}  (pid ${redis.pid})`)
  await Promise.all([waitForPing(redwing, o.startupTimeout), waitForPing(redis, o.startupTimeout)])
  const subs = new Subscribers()
  try {
    return await measure(o, redwing, redis, subs)
  } finally {
    await subs.terminate()
    await Promise.all([stopServer(redwing), stopServer(redis)])
  }
}

async function measure(o, redwing, redis, subs) {
  console.log(
    `client:  this process; 1 publisher + ${o.subscribers} subscribers, ${o.messages} PUBLISH of ` +
      `${o.payload} bytes to ${CHANNEL} per run`,
  )
  for (const s of o.scenarios) {
    if (s === 'channel') {
      console.log(`         channel:  every subscriber SUBSCRIBEs the channel; ${o.subscribers} messages per PUBLISH`)
    } else {
      const per = o.patterns / o.subscribers
      console.log(
        `         patterns: ${o.patterns} patterns (${Number.isInteger(per) ? per : `~${per.toFixed(1)}`} per ` +
          `subscriber, ${o.matching} of them matching); ${o.subscribers * o.matching} pmessages per PUBLISH`,
      )
    }
  }
  console.log('')

  const cells = o.scenarios.flatMap((scenario) =>
    o.pipelines.map((pipeline) => ({
      scenario,
      pipeline,
      label: `${scenario} P=${pipeline}`,
      redwing: Array(o.rounds).fill(null),
      redis: Array(o.rounds).fill(null),
    })),
  )
  const started = Date.now()
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`

  if (o.warmup > 0) {
    for (const c of cells) {
      for (const srv of [redwing, redis]) {
        process.stderr.write(`[${elapsed()}] warmup ${c.label} ${srv.name}\n`)
        await runOnce(o, srv, subs, c.scenario, c.pipeline, o.warmup)
      }
    }
  }
  for (let round = 0; round < o.rounds; round++) {
    process.stderr.write(`[${elapsed()}] round ${round + 1}/${o.rounds}\n`)
    for (const [j, c] of cells.entries()) {
      const order = (round + j) % 2 === 0 ? [redwing, redis] : [redis, redwing]
      for (const srv of order) c[srv.name][round] = await runOnce(o, srv, subs, c.scenario, c.pipeline, o.messages)
    }
  }
  process.stderr.write(`[${elapsed()}] done\n\n`)

  const rate = (runs) => runs.map((r) => (r ? r.deliveredPerSec : NaN))
  const scenarios = cells.map((c) => {
    const rw = rate(c.redwing)
    const rd = rate(c.redis)
    const ratios = rw.map((x, i) => (x > 0 && rd[i] > 0 ? x / rd[i] : NaN))
    return {
      scenario: c.scenario,
      pipeline: c.pipeline,
      label: c.label,
      redwingDeliveredPerSec: rw,
      redisDeliveredPerSec: rd,
      ratios,
      redwingMedian: median(rw),
      redisMedian: median(rd),
      ratioMedian: median(ratios),
      ratioMin: Math.min(...ratios.filter(Number.isFinite)),
      ratioMax: Math.max(...ratios.filter(Number.isFinite)),
      redwingSubscriberLoopBusy: median(c.redwing.map((r) => r.subscriberLoopBusy)),
      redisSubscriberLoopBusy: median(c.redis.map((r) => r.subscriberLoopBusy)),
      runs: { redwing: c.redwing, redis: c.redis },
    }
  })
  const report = {
    scenarios,
    geomeanRatio: geomean(scenarios.map((s) => s.ratioMedian)),
    geomeanPerRound: Array.from({ length: o.rounds }, (_, r) => geomean(scenarios.map((s) => s.ratios[r]))),
  }

  const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a')
  console.log(
    `Pub/Sub fan-out, messages delivered per second: median of ${o.rounds} interleaved round(s), ` +
      `${o.subscribers} subscribers, ${o.messages} messages of ${o.payload} bytes per run.`,
  )
  console.log('ratio = redwing / redis delivered/s, median of the per-round ratios (higher is better for redwing).')
  console.log(
    "subscriber loop busy = share of the run the subscribers' event loop was busy, median (redwing / redis runs);",
  )
  console.log('near 100% the client, not the server, limits the rate.')
  console.log('')
  printTable(
    ['scenario', 'redwing msg/s', 'redis msg/s', 'ratio', 'ratio min..max', 'subscriber loop busy'],
    scenarios.map((s) => [
      s.label,
      fmtInt(s.redwingMedian),
      fmtInt(s.redisMedian),
      fmtRatio(s.ratioMedian),
      Number.isFinite(s.ratioMedian) ? `${fmtRatio(s.ratioMin)}..${fmtRatio(s.ratioMax)}` : 'n/a',
      `${pct(s.redwingSubscriberLoopBusy)} / ${pct(s.redisSubscriberLoopBusy)}`,
    ]),
    [false, true, true, true, true, true],
  )
  console.log(
    `  geometric mean of ratios: ${fmtRatio(report.geomeanRatio)}` +
      `   per round: ${report.geomeanPerRound.map(fmtRatio).join(', ')}`,
  )
  const busy = scenarios
    .filter((s) => Math.max(s.redwingSubscriberLoopBusy, s.redisSubscriberLoopBusy) > 0.9)
    .map((s) => s.label)
  if (busy.length) {
    console.log(
      `  note: the subscribers' loop was over 90% busy in ${busy.join(', ')}; there the client may be the limit.`,
    )
  }
  return report
}

// ------------------------------------------------------------------ main

async function main() {
  let o
  try {
    o = parseOptions(process.argv.slice(2))
  } catch (err) {
    console.error(`${err.message}\n\n${HELP}`)
    process.exit(2)
  }
  exitUnlessBuilt(o.redwingCmd)
  const env = {
    node: process.version,
    redisServer: toolVersion('redis-server', ['--version']),
    cpus: os.cpus().length,
    loadavgStart: loadAverage(),
  }
  console.log(`redwing pub/sub benchmark — ${new Date().toISOString()}`)
  console.log(`node ${env.node}; ${env.redisServer}; ${env.cpus} cores; load average ${env.loadavgStart}`)
  const reproduce = reproduceCommand(o)
  console.log(`reproduce: ${reproduce}`)
  console.log('')

  const result = await benchmark(o)
  env.loadavgEnd = loadAverage()

  console.log('')
  console.log(`load average at end: ${env.loadavgEnd}`)
  console.log(`reproduce: ${reproduce}`)
  if (o.json) {
    const { patternSets: _sets, ...options } = o
    writeJson(o.json, { mode: 'pubsub', reproduce, options, env, ...result })
    console.log(`results written to ${o.json}`)
  }
}

if (isMainThread) {
  main().then(
    () => stopAll(),
    async (err) => {
      if (wasInterrupted()) return // the signal handler is already cleaning up
      console.error(`\nerror: ${err.message}`)
      await stopAll()
      process.exitCode = 1
    },
  )
} else {
  subscriberThread()
}
