#!/usr/bin/env node
// benches/server.mjs — how our TCP server compares with the real redis-server.
//
// Why: the machines this runs on are small, shared and noisy, so a raw ops/s
// figure says little. What stays meaningful is the RATIO between redwing and
// redis-server measured side by side, under the same conditions, with the
// same client (redis-benchmark).
//
// How: both servers are started as child processes on free loopback ports
// (each command gets `--port N` appended) and polled with a raw TCP PING
// until they answer. Then, for every round, pipeline depth and test,
// redis-benchmark runs against the two servers back to back (one test per
// run, so the pair is seconds apart), alternating which goes first from test
// to test and round to round, so drifts in machine load hit both alike. For
// each test the per-round ratio redwing/redis comes from such a pair; the
// table shows the median ops/s of each server, the
// median of the per-round ratios and their spread, and a geometric mean of
// the per-test median ratios per pipeline depth. A ratio above 1 means
// redwing served more requests per second.
//
// With `--tls`, both servers also listen on a TLS port, with throwaway
// certificates (benches/lib/certificates.mjs), and redis-benchmark measures
// over TLS, presenting a client certificate, as a deployment with
// `tls-auth-clients yes` would see it.
//
// `--memory` is a separate mode: fresh servers are loaded with N keys by a
// pipelined raw-socket loader written below, and the growth of each server's
// resident memory (VmRSS from /proc) is divided by N to give bytes per key.
// There a ratio below 1 means redwing used less memory.
//
// Run `node benches/server.mjs --help` for the options.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  HOST,
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
  helpers,
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
  writeJson,
  wasInterrupted,
  groupRss,
} from './lib/servers.mjs'
import { makeCertificates } from './lib/certificates.mjs'

const HELP = `Usage: node benches/server.mjs [options]

Throughput (default mode), redis-benchmark against both servers:
  --tests LIST          redis-benchmark tests (default ping_mbulk,set,get,incr,mset,
                        or none when --commands is given)
  --commands LIST       whole commands for redis-benchmark to send, separated by
                        ';' (e.g. "PFADD hll __rand_int__;PFCOUNT hll"), each one
                        measured as a test of its own; combine with --keyspace
  --rounds N            interleaved rounds (default 3; --quick: 2)
  --requests N          requests per test per run at pipeline depth 1
                        (default 100000; --quick: 20000)
  --requests-pipelined N  the same for depths above 1, where runs are much
                        faster and need more requests to last long enough to
                        measure (default 10 x --requests)
  --clients N           parallel connections (default 50)
  --pipelines LIST      pipeline depths, comma separated (default 1,16)
  --warmup N            requests per server and depth before measuring, not
                        recorded; scaled like the requests at P>1;
                        0 disables (default 10000; --quick: 5000)
  --keyspace N          pass -r N to redis-benchmark (random keys); default: off
  --datasize N          pass -d N to redis-benchmark (value size of SET, GET...;
                        its default is 3 bytes)
  --setup LIST          whole commands, separated by ';', sent once to each
                        server before the warmup (e.g. "XGROUP CREATE s g $ MKSTREAM"
                        so that XREADGROUP has its group); an error reply aborts
  --bench-timeout SEC   kill a redis-benchmark run after this long (default 300)
  --tls                 measure over TLS: both servers get a --tls-port and
                        certificates made for the run, and redis-benchmark
                        connects with --tls and a client certificate

Memory mode (instead of throughput):
  --memory              measure resident memory per key instead of throughput
  --keys N              items to load (default 1000000; --quick: 200000)
  --dataset NAME        what --memory loads: strings (keys key:N -> 10-byte values),
                        hash (one hash, N fields), set (one set, N members),
                        zset (one sorted set, N members), hashes (N hashes of 5 fields),
                        stream (one stream, N entries of 5 fields); default strings
  --batch N             SET commands per write of the loader (default 1000)

Common:
  --redwing-cmd CMD     command starting our server, run by /bin/sh from the
                        repository root; "--port N" is appended (and with
                        --tls, the TLS port and certificate options first)
                        (default "${DEFAULT_REDWING_CMD}")
  --redis-cmd CMD       command starting redis-server; "--port N" is appended
                        (default "${DEFAULT_REDIS_CMD}")
  --startup-timeout SEC how long a server may take to answer PING (default 20)
  --json FILE           also write the results as JSON to FILE
  --quick               smaller defaults for a fast look
  -h, --help            this text

To try the script without our server, point it at a second redis-server:
  node benches/server.mjs --quick --redwing-cmd "redis-server --save '' --appendonly no"
Ratios then come out close to 1.0.`

// ---------------------------------------------------------------- options

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      tests: { type: 'string' },
      commands: { type: 'string' },
      setup: { type: 'string' },
      rounds: { type: 'string' },
      requests: { type: 'string' },
      'requests-pipelined': { type: 'string' },
      clients: { type: 'string' },
      pipelines: { type: 'string' },
      warmup: { type: 'string' },
      keyspace: { type: 'string' },
      datasize: { type: 'string' },
      'bench-timeout': { type: 'string' },
      tls: { type: 'boolean' },
      memory: { type: 'boolean' },
      keys: { type: 'string' },
      dataset: { type: 'string' },
      batch: { type: 'string' },
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
  const pipelines = pipelineDepths(values.pipelines ?? '1,16', 'pipelines')
  const commands = splitCommands(values.commands)
  const setup = splitCommands(values.setup)
  const defaultTests = commands.length > 0 ? '' : 'ping_mbulk,set,get,incr,mset'
  const tests = list(values.tests ?? defaultTests).map((s) => s.toLowerCase())
  if (tests.length === 0 && commands.length === 0) throw new UsageError('--tests and --commands are empty')
  // What one redis-benchmark run measures: a built-in test, or a whole command.
  const runs = [
    ...tests.map((test) => ({ id: test, tests: [test] })),
    ...commands.map((command) => ({ id: command.join(' '), command })),
  ]
  const requests = int('requests', quick ? 20000 : 100000)
  if (values.tls && values.memory) throw new UsageError('--tls measures throughput only, not --memory')
  return {
    memory: Boolean(values.memory),
    tls: Boolean(values.tls),
    quick,
    tests,
    commands,
    setup,
    runs,
    rounds: int('rounds', quick ? 2 : 3),
    requests,
    requestsPipelined: int('requests-pipelined', requests * 10),
    clients: int('clients', 50),
    pipelines,
    warmup: int('warmup', quick ? 5000 : 10000, 0),
    keyspace: int('keyspace', 0, 0),
    datasize: int('datasize', 0, 0),
    benchTimeout: int('bench-timeout', 300),
    keys: int('keys', quick ? 200000 : 1000000),
    dataset: values.dataset ?? 'strings',
    batch: int('batch', 1000),
    redwingCmd: values['redwing-cmd'] ?? DEFAULT_REDWING_CMD,
    redisCmd: values['redis-cmd'] ?? DEFAULT_REDIS_CMD,
    startupTimeout: int('startup-timeout', 20),
    json: values.json,
  }
}

// A ';'-separated list of whole commands, each split into its words. A word in double quotes
// may hold spaces, semicolons and the escapes \n, \" and \\ (Lua scripts, function libraries).
function splitCommands(text) {
  const commands = []
  let words = []
  const token = /"((?:[^"\\]|\\.)*)"|(;)|([^\s;"]+)/g
  for (const [, quoted, separator, bare] of (text ?? '').matchAll(token)) {
    if (separator) {
      if (words.length > 0) commands.push(words)
      words = []
    } else {
      words.push(quoted !== undefined ? quoted.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c)) : bare)
    }
  }
  if (words.length > 0) commands.push(words)
  return commands
}

// The full command line with every setting spelled out, so a run can be
// repeated exactly even if the defaults change later.
function reproduceCommand(o) {
  const a = ['node', 'benches/server.mjs']
  if (o.memory) {
    a.push('--memory', '--dataset', o.dataset, '--keys', o.keys, '--batch', o.batch)
  } else {
    if (o.tests.length > 0) a.push('--tests', o.tests.join(','))
    if (o.commands.length > 0) a.push('--commands', o.commands.map((c) => c.join(' ')).join(';'))
    if (o.setup.length > 0) a.push('--setup', o.setup.map((c) => c.join(' ')).join(';'))
    if (o.tls) a.push('--tls')
    a.push(
      '--rounds',
      o.rounds,
      '--requests',
      o.requests,
      '--requests-pipelined',
      o.requestsPipelined,
      '--clients',
      o.clients,
      '--pipelines',
      o.pipelines.join(','),
      '--warmup',
      o.warmup,
    )
    if (o.keyspace) a.push('--keyspace', o.keyspace)
    if (o.datasize) a.push('--datasize', o.datasize)
  }
  a.push('--redwing-cmd', o.redwingCmd, '--redis-cmd', o.redisCmd)
  if (o.json) a.push('--json', o.json)
  return a.map(shellQuote).join(' ')
}

// ------------------------------------------------------------ throughput

function parseCsvLine(line) {
  const fields = []
  const re = /"((?:[^"]|"")*)"|([^,]+)/g
  let m
  while ((m = re.exec(line))) fields.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2])
  return fields
}

// redis-benchmark --csv prints a header ("test","rps",...) and one row per
// test. Test names are upper case and may carry a note, e.g. "MSET (10 keys)";
// the first word, lower-cased, is the key we match rounds by.
function parseBenchmarkCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.startsWith('"'))
  if (lines.length === 0) return []
  const header = parseCsvLine(lines[0])
  const iTest = header.indexOf('test')
  const iRps = header.indexOf('rps')
  if (iTest < 0 || iRps < 0) throw new Error(`unexpected redis-benchmark CSV header: ${lines[0]}`)
  return lines.slice(1).map((l) => {
    const f = parseCsvLine(l)
    const row = Object.fromEntries(header.map((h, i) => [h, f[i]]))
    return { name: f[iTest], key: f[iTest].split(' ')[0].toLowerCase(), rps: Number(f[iRps]), row }
  })
}

/** redis-benchmark's arguments for one run: built-in tests (`run.tests`) or one whole command
 * (`run.command`), which goes last. With --tls, `port` is the TLS one. */
function benchmarkArgs(o, port, pipeline, requests, run) {
  const args = ['-q', '--csv', '-c', o.clients, '-P', pipeline, '-n', requests, '-h', HOST, '-p', port]
  if (o.tls) {
    const { ca, cert, key } = o.certificates
    args.push('--tls', '--cert', cert, '--key', key, '--cacert', ca)
  }
  if (o.keyspace) args.push('-r', o.keyspace)
  if (o.datasize) args.push('-d', o.datasize)
  if (run.tests) args.push('-t', run.tests.join(','))
  if (run.command) args.push(...run.command)
  return args.map(String)
}

function runBenchmark(o, srv, pipeline, requests, run) {
  if (srv.exited) return Promise.reject(new Error(describeExit(srv)))
  const args = benchmarkArgs(o, srv.tlsPort ?? srv.port, pipeline, requests, run)
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    helpers.add(child)
    let out = ''
    let err = ''
    let why = null
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (err = (err + d).slice(-4000)))
    // redis-benchmark spins forever when its server goes away; watch for that.
    const watch = setInterval(() => {
      if (srv.exited && !why) {
        why = describeExit(srv)
        child.kill('SIGKILL')
      }
    }, 200)
    const timer = setTimeout(() => {
      why = `redis-benchmark against ${srv.name} took longer than ${o.benchTimeout}s`
      child.kill('SIGKILL')
    }, o.benchTimeout * 1000)
    child.on('error', (e) => {
      why = `cannot run redis-benchmark: ${e.message}`
    })
    child.on('close', (code, signal) => {
      clearInterval(watch)
      clearTimeout(timer)
      helpers.delete(child)
      if (why) return reject(new Error(why))
      let rows
      try {
        rows = parseBenchmarkCsv(out)
      } catch (e) {
        return reject(e)
      }
      if (code !== 0 || rows.length === 0) {
        return reject(
          new Error(
            `redis-benchmark ${args.join(' ')} against ${srv.name} ` +
              `failed (code ${code}, signal ${signal})\n${err.trim()}\n${out.trim()}`,
          ),
        )
      }
      resolve(rows)
    })
  })
}

// Sends the --setup commands to one server, one at a time, before anything is measured.
async function runSetup(o, srv) {
  if (o.setup.length === 0) return
  const conn = await RespConnection.open(srv.port)
  try {
    for (const command of o.setup) {
      await conn.command(...command).catch((err) => {
        throw new Error(`setup command ${command.join(' ')} failed on ${srv.name}: ${err.message}`)
      })
    }
  } finally {
    conn.close()
  }
}

async function throughput(o) {
  const bench = toolVersion('redis-benchmark', ['--version'])
  if (!bench) throw new Error('redis-benchmark not found on PATH')
  const [pRedwing, pRedis] = await twoPorts()
  // With --tls, each server also gets a TLS port, which the runs use (the plain one is for
  // the start-up PING and --setup).
  let tlsPorts = []
  while (o.tls && (tlsPorts.length === 0 || tlsPorts.some((p) => p === pRedwing || p === pRedis))) {
    tlsPorts = await twoPorts()
  }
  const withTls = (cmd, tlsPort) => {
    if (!o.tls) return cmd
    const { ca, cert, key } = o.certificates
    const options = ['--tls-port', tlsPort, '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', ca]
    return `${cmd} ${options.map(shellQuote).join(' ')}`
  }
  const redwing = startServer('redwing', withTls(o.redwingCmd, tlsPorts[0]), pRedwing)
  const redis = startServer('redis', withTls(o.redisCmd, tlsPorts[1]), pRedis)
  if (o.tls) [redwing.tlsPort, redis.tlsPort] = tlsPorts
  console.log(`redwing: ${redwing.command}  (pid ${redwing.pid})`)
  console.log(`redis:   ${redis.command}  (pid ${redis.pid})`)
  await Promise.all([waitForPing(redwing, o.startupTimeout), waitForPing(redis, o.startupTimeout)])
  console.log(`client:  redis-benchmark ${benchmarkArgs(o, '<port>', '<P>', '<N>', { tests: ['<test>'] }).join(' ')}`)
  console.log(`         N = ${o.requests} at P=1, ${o.requestsPipelined} at P>1`)
  console.log(`         one run per test in ${o.runs.map((r) => r.id).join(', ')}, the two servers back to back`)
  if (o.setup.length > 0) console.log(`setup:   ${o.setup.map((c) => c.join(' ')).join('; ')}`)
  console.log('')
  for (const srv of [redwing, redis]) await runSetup(o, srv)

  const requestsAt = (p) => (p > 1 ? o.requestsPipelined : o.requests)
  const started = Date.now()
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`

  if (o.warmup > 0) {
    for (const p of o.pipelines) {
      for (const srv of [redwing, redis]) {
        process.stderr.write(`[${elapsed()}] warmup P=${p} ${srv.name}\n`)
        await runBenchmark(o, srv, p, Math.round((o.warmup * requestsAt(p)) / o.requests), o.runs[0])
      }
    }
  }

  // results[p] = Map(testKey -> { name, redwing: [rps by round], redis: [...] })
  // Every test is run on its own against both servers back to back, so the
  // two runs that form one ratio are seconds apart. Who goes first alternates
  // from test to test and from round to round.
  const results = new Map(o.pipelines.map((p) => [p, new Map()]))
  for (let round = 0; round < o.rounds; round++) {
    for (const p of o.pipelines) {
      process.stderr.write(`[${elapsed()}] round ${round + 1}/${o.rounds} P=${p}\n`)
      const table = results.get(p)
      for (const [j, run] of o.runs.entries()) {
        const order = (round + j) % 2 === 0 ? [redwing, redis] : [redis, redwing]
        for (const srv of order) {
          for (const r of await runBenchmark(o, srv, p, requestsAt(p), run)) {
            // A whole command is named by its text; built-in tests by redis-benchmark's name.
            const key = run.command ? run.id : r.key
            if (!table.has(key)) {
              const name = run.command ? run.id : r.name
              table.set(key, { name, redwing: Array(o.rounds).fill(NaN), redis: Array(o.rounds).fill(NaN) })
            }
            table.get(key)[srv.name][round] = r.rps
          }
        }
      }
    }
  }
  process.stderr.write(`[${elapsed()}] done\n\n`)
  await Promise.all([stopServer(redwing), stopServer(redis)])

  const report = { pipelines: [] }
  for (const p of o.pipelines) {
    const tests = []
    for (const [key, t] of results.get(p)) {
      const ratios = t.redwing.map((x, i) => (x > 0 && t.redis[i] > 0 ? x / t.redis[i] : NaN))
      tests.push({
        key,
        test: t.name,
        redwingRps: t.redwing,
        redisRps: t.redis,
        ratios,
        redwingMedian: median(t.redwing),
        redisMedian: median(t.redis),
        ratioMedian: median(ratios),
        ratioMin: Math.min(...ratios.filter(Number.isFinite)),
        ratioMax: Math.max(...ratios.filter(Number.isFinite)),
      })
    }
    const perRound = Array.from({ length: o.rounds }, (_, r) => geomean(tests.map((t) => t.ratios[r])))
    const missing = tests.filter((t) => !Number.isFinite(t.ratioMedian)).map((t) => t.test)
    report.pipelines.push({
      pipeline: p,
      tests,
      geomeanRatio: geomean(tests.map((t) => t.ratioMedian)),
      geomeanPerRound: perRound,
      missing,
    })
  }

  console.log(
    `Throughput, ops/s: median of ${o.rounds} interleaved round(s), ${o.clients} clients, ` +
      `${o.requests} requests per test at P=1, ${o.requestsPipelined} at P>1.`,
  )
  console.log('ratio = redwing / redis ops/s, median of the per-round ratios (higher is better for redwing).')
  for (const r of report.pipelines) {
    console.log(`\nPipeline depth ${r.pipeline}`)
    printTable(
      ['test', 'redwing ops/s', 'redis ops/s', 'ratio', 'ratio min..max'],
      r.tests.map((t) => [
        t.test,
        fmtInt(t.redwingMedian),
        fmtInt(t.redisMedian),
        fmtRatio(t.ratioMedian),
        Number.isFinite(t.ratioMedian) ? `${fmtRatio(t.ratioMin)}..${fmtRatio(t.ratioMax)}` : 'n/a',
      ]),
      [false, true, true, true, true],
    )
    console.log(
      `  geometric mean of ratios (P=${r.pipeline}): ${fmtRatio(r.geomeanRatio)}` +
        `   per round: ${r.geomeanPerRound.map(fmtRatio).join(', ')}`,
    )
    if (r.missing.length) console.log(`  (no ratio for: ${r.missing.join(', ')} — a server gave no result)`)
  }
  return report
}

// ---------------------------------------------------------------- memory

const pad9 = (i) => String(i).padStart(9, '0')

// What --memory loads. Each item is one command; values are never numeric, so redis cannot
// store them as integers. `count` reads back how many items the server holds.
const DATASETS = {
  strings: {
    unit: 'key',
    describe: 'keys key:NNNNNNNNN with 10-byte values',
    item: (n) => ['SET', `key:${n}`, `v${n}`],
    ok: (r) => r === 'OK',
    count: ['DBSIZE'],
  },
  hash: {
    unit: 'field',
    describe: 'one hash, fields field:NNNNNNNNN with 10-byte values',
    item: (n) => ['HSET', 'hash', `field:${n}`, `v${n}`],
    ok: (r) => r === 1,
    count: ['HLEN', 'hash'],
  },
  set: {
    unit: 'member',
    describe: 'one set, members member:NNNNNNNNN',
    item: (n) => ['SADD', 'set', `member:${n}`],
    ok: (r) => r === 1,
    count: ['SCARD', 'set'],
  },
  zset: {
    unit: 'member',
    describe: 'one sorted set, members member:NNNNNNNNN with integer scores',
    item: (n) => ['ZADD', 'zset', String(Number(n)), `member:${n}`],
    ok: (r) => r === 1,
    count: ['ZCARD', 'zset'],
  },
  hashes: {
    unit: 'hash',
    describe: 'hashes hash:NNNNNNNNN of 5 fields field0..4 -> value0..4',
    item: (n) => ['HSET', `hash:${n}`, ...[0, 1, 2, 3, 4].flatMap((f) => [`field${f}`, `value${f}`])],
    ok: (r) => r === 5,
    count: ['DBSIZE'],
  },
  stream: {
    unit: 'entry',
    describe: 'one stream, entries with auto IDs and fields f1..f5 -> 7-byte values vF_NNNN',
    item: (n) => ['XADD', 'stream', '*', ...[1, 2, 3, 4, 5].flatMap((f) => [`f${f}`, `v${f}_${n.slice(-4)}`])],
    ok: (r) => typeof r === 'string' && /^\d+-\d+$/.test(r),
    count: ['XLEN', 'stream'],
  },
}

// Loads `items` items of `dataset`, `batch` commands per write, waiting for all replies of a
// batch before sending the next. Returns the count the server reports.
async function loadDataset(port, dataset, items, batch) {
  const conn = await RespConnection.open(port)
  try {
    for (let start = 0; start < items; start += batch) {
      const end = Math.min(items, start + batch)
      let payload = ''
      for (let i = start; i < end; i++) payload += encode(dataset.item(pad9(i)))
      const replies = await conn.send(payload, end - start)
      const bad = replies.find((r) => !dataset.ok(r))
      if (bad !== undefined) throw new Error(`load failed: ${bad instanceof Error ? bad.message : JSON.stringify(bad)}`)
    }
    return await conn.command(...dataset.count)
  } finally {
    conn.close()
  }
}

async function memoryOne(o, name, cmd) {
  const [port] = await twoPorts()
  const srv = startServer(name, cmd, port)
  try {
    await waitForPing(srv, o.startupTimeout)
    await sleep(500)
    const before = groupRss(srv)
    const t0 = process.hrtime.bigint()
    const dataset = DATASETS[o.dataset]
    const dbsize = await loadDataset(port, dataset, o.keys, o.batch)
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    if (dbsize !== o.keys) throw new Error(`${name}: holds ${dbsize} ${dataset.unit}s after loading ${o.keys}`)
    await sleep(1000)
    const after = groupRss(srv)
    return {
      server: name,
      command: srv.command,
      rssBefore: before,
      rssAfter: after,
      dbsize,
      bytesPerKey: (after - before) / o.keys,
      loadSeconds: seconds,
      loadKeysPerSec: o.keys / seconds,
    }
  } finally {
    await stopServer(srv)
  }
}

async function memory(o) {
  const dataset = DATASETS[o.dataset]
  if (!dataset) throw new Error(`unknown dataset ${o.dataset}; one of ${Object.keys(DATASETS).join(', ')}`)
  console.log(`Memory: ${o.keys} items (${dataset.describe}), ${o.batch} commands per write`)
  const results = []
  for (const [name, cmd] of [
    ['redwing', o.redwingCmd],
    ['redis', o.redisCmd],
  ]) {
    process.stderr.write(`loading ${name} ...\n`)
    results.push(await memoryOne(o, name, cmd))
  }
  const mb = (b) => (b / (1024 * 1024)).toFixed(1)
  console.log('')
  printTable(
    ['server', 'RSS before MB', 'RSS after MB', 'items', `bytes/${dataset.unit}`, 'load items/s'],
    results.map((r) => [
      r.server,
      mb(r.rssBefore),
      mb(r.rssAfter),
      r.dbsize,
      r.bytesPerKey.toFixed(1),
      fmtInt(r.loadKeysPerSec),
    ]),
    [false, true, true, true, true, true],
  )
  const ratio = results[0].bytesPerKey / results[1].bytesPerKey
  console.log(`  bytes/${dataset.unit} ratio redwing / redis: ${fmtRatio(ratio)} (lower is better for redwing)`)
  console.log('  RSS includes allocator and garbage-collector slack, as the OS sees it.')
  return { servers: results, bytesPerKeyRatio: ratio }
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
  if (o.tls) o.certificates = makeCertificates()
  const env = {
    node: process.version,
    redisServer: toolVersion('redis-server', ['--version']),
    redisBenchmark: toolVersion('redis-benchmark', ['--version']),
    cpus: os.cpus().length,
    loadavgStart: loadAverage(),
  }
  console.log(`redwing server benchmark — ${new Date().toISOString()}`)
  console.log(`node ${env.node}; ${env.redisServer}; ${env.cpus} cores; load average ${env.loadavgStart}`)
  const reproduce = reproduceCommand(o)
  console.log(`reproduce: ${reproduce}`)
  console.log('')

  const result = o.memory ? await memory(o) : await throughput(o)
  env.loadavgEnd = loadAverage()

  console.log('')
  console.log(`load average at end: ${env.loadavgEnd}`)
  console.log(`reproduce: ${reproduce}`)
  if (o.json) {
    writeJson(o.json, { mode: o.memory ? 'memory' : 'throughput', reproduce, options: o, env, ...result })
    console.log(`results written to ${o.json}`)
  }
}

main().then(
  () => stopAll(),
  async (err) => {
    if (wasInterrupted()) return // the signal handler is already cleaning up
    console.error(`\nerror: ${err.message}`)
    await stopAll()
    process.exitCode = 1
  },
)
