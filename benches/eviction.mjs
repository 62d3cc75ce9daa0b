#!/usr/bin/env node
// benches/eviction.mjs — how well redwing's eviction keeps the keys a workload needs,
// compared with redis-server's under the same settings.
//
// Why: an eviction policy is judged by its hit rate. redwing approximates LRU and LFU the
// way Redis does (sampled keys, an eviction pool), so under the same `maxmemory` and policy
// its hit rate should be Redis's, give or take noise.
//
// How: both servers are started as child processes with `maxmemory` and the policy set. A
// client here replays one Zipfian sequence of keys against both, in lockstep: batches of GETs
// pipelined to each server, then a SET (of a fixed-size value) for every GET that missed,
// the two servers always on the same batch, so they see the same keys at the same pace (the
// LRU clock has a one-second resolution: the pace matters). After a warm-up that fills the
// memory, the hit rate is counted over the measured operations.
//
// Memory per key differs between the two servers, so a limit holds a different number of keys
// in each. Each policy is therefore measured twice: with the same `maxmemory` for both (what a
// user sees), and with redwing's limit scaled so that it holds as many keys as redis-server
// (what the eviction algorithm alone achieves): the room above its memory at rest is scaled by
// the ratio of the key counts the first run ended with. The limit is set so that the working
// set (every key of the sequence) takes twice the memory redis-server gives it, measured first
// by loading keys without a limit.
//
// Run `node benches/eviction.mjs --help` for the options. Throughput under constant eviction
// is measured with benches/server.mjs (see `npm run bench:eviction:throughput`).

import os from 'node:os'
import { parseArgs } from 'node:util'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  RespConnection,
  UsageError,
  encode,
  exitUnlessBuilt,
  intOption,
  listOption,
  loadAverage,
  printTable,
  shellQuote,
  startServer,
  stopAll,
  toolVersion,
  twoPorts,
  waitForPing,
  wasInterrupted,
  writeJson,
} from './lib/servers.mjs'

const HELP = `Usage: node benches/eviction.mjs [options]

Hit rate of a Zipfian GET (and SET on a miss) workload under maxmemory, redwing and
redis-server side by side:
  --keys N              distinct keys in the sequence (default 200000; --quick: 50000)
  --zipf S              Zipf exponent of key popularity (default 0.99)
  --value-size N        bytes per value (default 100)
  --warmup N            operations before counting (default 3 x --keys)
  --ops N               operations counted (default 5 x --keys)
  --batch N             GETs per pipelined batch (default 50)
  --policies LIST       eviction policies (default allkeys-lru,allkeys-lfu)
  --samples N           maxmemory-samples for both servers (default 5)
  --seed N              seed of the key sequence (default 1)
  --redwing-cmd CMD     command starting our server, "--port N" appended
                        (default "${DEFAULT_REDWING_CMD}")
  --redis-cmd CMD       command starting redis-server, "--port N" appended
                        (default "${DEFAULT_REDIS_CMD}")
  --startup-timeout SEC how long a server may take to answer PING (default 20)
  --json FILE           also write the results as JSON to FILE
  --quick               smaller defaults for a fast look
  -h, --help            this text`

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      keys: { type: 'string' },
      zipf: { type: 'string' },
      'value-size': { type: 'string' },
      warmup: { type: 'string' },
      ops: { type: 'string' },
      batch: { type: 'string' },
      policies: { type: 'string' },
      samples: { type: 'string' },
      seed: { type: 'string' },
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
  const int = (name, def, min = 1) => intOption(values, name, def, min)
  const keys = int('keys', values.quick ? 50000 : 200000)
  const zipf = Number(values.zipf ?? '0.99')
  if (!(zipf > 0)) throw new UsageError(`--zipf must be a positive number, got ${JSON.stringify(values.zipf)}`)
  const policies = listOption(values.policies ?? 'allkeys-lru,allkeys-lfu')
  if (policies.length === 0) throw new UsageError('--policies is empty')
  return {
    keys,
    zipf,
    valueSize: int('value-size', 100),
    warmup: int('warmup', 3 * keys, 0),
    ops: int('ops', 5 * keys),
    batch: int('batch', 50),
    policies,
    samples: int('samples', 5),
    seed: int('seed', 1, 0),
    redwingCmd: values['redwing-cmd'] ?? DEFAULT_REDWING_CMD,
    redisCmd: values['redis-cmd'] ?? DEFAULT_REDIS_CMD,
    startupTimeout: int('startup-timeout', 20),
    json: values.json,
    quick: Boolean(values.quick),
  }
}

// ------------------------------------------------------------ the sequence

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
function uniform(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Draws key names with Zipfian popularity: rank r (from 0) has weight 1 / (r + 1)^s. Ranks
 * are scattered over the key names, so popularity does not follow name order. */
function zipfianKeys(o) {
  const cumulative = new Float64Array(o.keys)
  let total = 0
  for (let rank = 0; rank < o.keys; rank++) {
    total += 1 / Math.pow(rank + 1, o.zipf)
    cumulative[rank] = total
  }
  const random = uniform(o.seed)
  // A multiplier coprime with the key count makes rank -> name a permutation.
  let multiplier = 2654435761 % o.keys
  while (gcd(multiplier, o.keys) !== 1) multiplier++
  return () => {
    const target = random() * total
    let low = 0
    let high = o.keys - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if (cumulative[middle] < target) low = middle + 1
      else high = middle
    }
    return `key:${(low * multiplier) % o.keys}`
  }
}

function gcd(a, b) {
  while (b) [a, b] = [b, a % b]
  return a
}

// ---------------------------------------------------------------- servers

async function memoryUsed(conn) {
  const info = await conn.command('INFO', 'memory')
  return Number(/used_memory:(\d+)/.exec(info)[1])
}

async function infoNumber(conn, section, name) {
  const info = await conn.command('INFO', section)
  return Number(new RegExp(`${name}:(\\d+)`).exec(info)?.[1] ?? 0)
}

/** Memory per key of `count` keys shaped as the workload's, loaded without a limit. */
async function bytesPerKey(conn, o, count) {
  await conn.command('FLUSHALL')
  const before = await memoryUsed(conn)
  const value = 'v'.repeat(o.valueSize)
  for (let start = 0; start < count; start += 1000) {
    let payload = ''
    const end = Math.min(count, start + 1000)
    for (let i = start; i < end; i++) payload += encode(['SET', `key:${i}`, value])
    await conn.send(payload, end - start)
  }
  const after = await memoryUsed(conn)
  await conn.command('FLUSHALL')
  return (after - before) / count
}

/** One measured run: both servers (`sides`, each with its `maxmemory`) replay the same
 * sequence in lockstep. */
async function run(o, policy, sides) {
  for (const side of sides) {
    const c = side.conn
    await c.command('CONFIG', 'SET', 'maxmemory', '0')
    await c.command('FLUSHALL')
    await c.command('CONFIG', 'RESETSTAT')
    await c.command('CONFIG', 'SET', 'maxmemory-policy', policy)
    await c.command('CONFIG', 'SET', 'maxmemory-samples', String(o.samples))
    await c.command('CONFIG', 'SET', 'maxmemory', String(side.maxmemory))
    side.hits = 0
    side.gets = 0
  }
  const next = zipfianKeys(o)
  const value = 'v'.repeat(o.valueSize)
  const total = o.warmup + o.ops
  for (let done = 0; done < total; done += o.batch) {
    const keys = Array.from({ length: Math.min(o.batch, total - done) }, next)
    const counted = done >= o.warmup
    const gets = keys.map((key) => encode(['GET', key])).join('')
    await Promise.all(
      sides.map(async (side) => {
        const replies = await side.conn.send(gets, keys.length)
        const missed = keys.filter((_, i) => replies[i] === null)
        const failed = replies.find((reply) => reply instanceof Error)
        if (failed) throw new Error(`${side.name}: GET failed: ${failed.message}`)
        if (counted) {
          side.gets += keys.length
          side.hits += keys.length - missed.length
        }
        if (missed.length > 0) {
          const sets = await side.conn.send(missed.map((key) => encode(['SET', key, value])).join(''), missed.length)
          const refused = sets.find((reply) => reply !== 'OK')
          if (refused !== undefined) throw new Error(`${side.name}: SET failed: ${refused.message ?? refused}`)
        }
      }),
    )
  }
  const results = []
  for (const side of sides) {
    results.push({
      server: side.name,
      maxmemory: side.maxmemory,
      hitRate: side.hits / side.gets,
      keysHeld: await side.conn.command('DBSIZE'),
      evictedKeys: await infoNumber(side.conn, 'stats', 'evicted_keys'),
      usedMemory: await memoryUsed(side.conn),
    })
  }
  return results
}

/** How close redwing's key count must come to redis-server's for "same key count". */
const KEY_COUNT_TOLERANCE = 0.01
/** Runs spent looking for redwing's limit that holds as many keys as redis-server's. */
const MAX_KEY_COUNT_ATTEMPTS = 3

/** The limit expected to make redwing hold `target` keys, from the limits `tried` and the keys
 * each held: interpolated between the closest limits that held fewer and more keys, or, until
 * there are both, scaled from the memory at rest (memory per key is not constant: tables grow
 * by doubling, so a straight line through the origin only starts the search). */
function limitForKeys(tried, target, baseline) {
  const fewer = tried.filter((t) => t.keys < target).sort((a, b) => b.keys - a.keys)[0]
  const more = tried.filter((t) => t.keys > target).sort((a, b) => a.keys - b.keys)[0]
  if (fewer && more) {
    const share = (target - fewer.keys) / (more.keys - fewer.keys)
    return Math.round(fewer.limit + share * (more.limit - fewer.limit))
  }
  const nearest = fewer ?? more
  return Math.round(baseline + ((nearest.limit - baseline) * target) / nearest.keys)
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
  const reproduce = ['node', 'benches/eviction.mjs', ...process.argv.slice(2)].map(shellQuote).join(' ')
  console.log(`redwing eviction benchmark — ${new Date().toISOString()}`)
  console.log(
    `node ${process.version}; ${toolVersion('redis-server', ['--version'])}; ${os.cpus().length} cores; ` +
      `load average ${loadAverage()}`,
  )
  console.log(`reproduce: ${reproduce}`)

  const [pRedwing, pRedis] = await twoPorts()
  const servers = [startServer('redwing', o.redwingCmd, pRedwing), startServer('redis', o.redisCmd, pRedis)]
  await Promise.all(servers.map((srv) => waitForPing(srv, o.startupTimeout)))
  const sides = []
  for (const srv of servers) sides.push({ name: srv.name, conn: await RespConnection.open(srv.port) })
  const [redwing, redis] = sides

  // The limits: redis-server's fits half the working set; redwing's is the same, or scaled
  // to hold as many keys.
  const calibration = Math.min(o.keys, 50000)
  for (const side of sides) {
    side.bytesPerKey = await bytesPerKey(side.conn, o, calibration)
    side.baseline = await memoryUsed(side.conn)
  }
  const sameMemory = Math.round(redis.baseline + (o.keys * redis.bytesPerKey) / 2)
  console.log(
    `workload: ${o.keys} keys, Zipf ${o.zipf}, ${o.valueSize}-byte values; GET, and SET on a miss; ` +
      `${o.warmup} operations of warm-up, ${o.ops} counted; batches of ${o.batch}; maxmemory-samples ${o.samples}`,
  )
  console.log(
    `memory per key (${calibration} keys loaded without a limit): redwing ${redwing.bytesPerKey.toFixed(1)} B, ` +
      `redis ${redis.bytesPerKey.toFixed(1)} B; used at rest: redwing ${redwing.baseline} B, redis ${redis.baseline} B`,
  )
  console.log(`maxmemory: ${sameMemory} B (redis holds half the working set)`)
  console.log('')

  const rows = []
  const report = []
  for (const policy of o.policies) {
    /** One run with `limit` for redwing (redis-server always has `sameMemory`). */
    const measure = async (setting, limit) => {
      process.stderr.write(`${policy}, ${setting}: redwing maxmemory ${limit} ...\n`)
      redwing.maxmemory = limit
      redis.maxmemory = sameMemory
      const [ours, theirs] = await run(o, policy, sides)
      process.stderr.write(`  keys held: redwing ${ours.keysHeld}, redis ${theirs.keysHeld}\n`)
      return { ours, theirs }
    }
    const show = (setting, { ours, theirs }) => {
      const points = (ours.hitRate - theirs.hitRate) * 100
      report.push({ policy, setting, redwing: ours, redis: theirs, differencePoints: points })
      rows.push([
        policy,
        `${setting} (${ours.maxmemory} B)`,
        `${(theirs.hitRate * 100).toFixed(2)}%`,
        `${(ours.hitRate * 100).toFixed(2)}%`,
        `${points >= 0 ? '+' : ''}${points.toFixed(2)}`,
        theirs.keysHeld,
        ours.keysHeld,
        theirs.evictedKeys,
        ours.evictedKeys,
        theirs.usedMemory,
        ours.usedMemory,
      ])
    }
    const keysClose = ({ ours, theirs }) =>
      Math.abs(ours.keysHeld - theirs.keysHeld) <= theirs.keysHeld * KEY_COUNT_TOLERANCE

    let result = await measure('same maxmemory', sameMemory)
    show('same maxmemory', result)
    // redwing's limits tried, and the keys each held, for the next guess.
    const tried = [{ limit: sameMemory, keys: result.ours.keysHeld }]
    for (let attempt = 1; attempt <= MAX_KEY_COUNT_ATTEMPTS && !keysClose(result); attempt++) {
      result = await measure('same key count', limitForKeys(tried, result.theirs.keysHeld, redwing.baseline))
      tried.push({ limit: result.ours.maxmemory, keys: result.ours.keysHeld })
    }
    show('same key count', result)
  }
  for (const side of sides) side.conn.close()
  console.log('Hit rate of the counted GETs (difference in points: redwing - redis):')
  printTable(
    [
      'policy',
      'limits',
      'redis hit',
      'redwing hit',
      'points',
      'redis keys',
      'redwing keys',
      'redis evicted',
      'redwing evicted',
      'redis used B',
      'redwing used B',
    ],
    rows,
    [false, false, true, true, true, true, true, true, true, true, true],
  )
  console.log('used B: used_memory at the end of the run (redwing does not count spare table slots for the limit).')
  console.log(`\nload average at end: ${loadAverage()}`)
  console.log(`reproduce: ${reproduce}`)
  if (o.json) {
    writeJson(o.json, {
      reproduce,
      options: o,
      sameMemory,
      calibration: sides.map(({ conn, ...rest }) => rest),
      results: report,
    })
    console.log(`results written to ${o.json}`)
  }
}

main().then(
  () => stopAll(),
  async (err) => {
    if (wasInterrupted()) return
    console.error(`\nerror: ${err.message}`)
    await stopAll()
    process.exitCode = 1
  },
)
