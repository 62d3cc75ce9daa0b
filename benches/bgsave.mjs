#!/usr/bin/env node
// benches/bgsave.mjs — BGSAVE under a steady write load: how much memory the save costs, and
// how much throughput the writers keep while it runs, for redwing and redis-server alike.
//
// Why: a background save must not double memory (Redis's fork can, as the writers dirty
// pages the kernel then copies) nor slow the writers much. Both figures are relative to the
// same server without a save, so the noise of a shared machine cancels out as far as it can.
//
// How: each server (in a throwaway directory, `--save ''`) gets N string keys of S bytes
// (DEBUG POPULATE). Each round runs redis-benchmark SET on random keys of the same keyspace
// (-r N, -d S, -P 16) twice: once alone, then while BGSAVE runs back to back (a new one as
// soon as the previous ended); memory (every process of the server's group: redis-server's
// fork child counts) is sampled every 10 ms during both, since the writers' own load
// (buffers, replaced values) moves it too. Reported per server: peak RSS while saving ÷ peak
// RSS under the writers alone, ops/s with saves ÷ ops/s without (medians over rounds), and
// how many saves completed per run. The servers take turns going first.
//
// Usage: node benches/bgsave.mjs [--keys N] [--size S] [--requests N] [--rounds N]

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  exitUnlessBuilt,
  fmtInt,
  fmtRatio,
  groupRss,
  intOption,
  median,
  printTable,
  RespConnection,
  sleep,
  startServer,
  stopAll,
  twoPorts,
  waitForPing,
} from './lib/servers.mjs'

const { values } = parseArgs({
  options: {
    keys: { type: 'string' },
    size: { type: 'string' },
    requests: { type: 'string' },
    rounds: { type: 'string' },
  },
})
const keys = intOption(values, 'keys', 1_000_000)
const size = intOption(values, 'size', 100)
const requests = intOption(values, 'requests', 2_000_000)
const rounds = intOption(values, 'rounds', 3)
exitUnlessBuilt(DEFAULT_REDWING_CMD)

const [redwingPort, redisPort] = await twoPorts()
const dirs = [mkdtempSync(join(tmpdir(), 'bench-bgsave-w-')), mkdtempSync(join(tmpdir(), 'bench-bgsave-r-'))]
const setups = {
  redwing: { cmd: `${DEFAULT_REDWING_CMD} --save '' --enable-debug-command yes --dir ${dirs[0]}`, port: redwingPort },
  redis: {
    cmd: `${DEFAULT_REDIS_CMD.replace('--appendonly no', '--appendonly no --enable-debug-command yes')} --dir ${dirs[1]}`,
    port: redisPort,
  },
}

/** Runs redis-benchmark SET against `port`; resolves with its requests per second. */
function writers(port) {
  return new Promise((resolve, reject) => {
    const args = ['-p', String(port), '-t', 'set', '-r', String(keys), '-d', String(size)]
    const child = spawn('redis-benchmark', [...args, '-n', String(requests), '-P', '16', '-c', '50', '--csv'])
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('error', reject)
    child.on('exit', () => {
      const row = out
        .trim()
        .split('\n')
        .find((line) => line.startsWith('"SET"'))
      resolve(row ? Number(row.split(',')[1].replace(/"/g, '')) : NaN)
    })
  })
}

/** Field `name` of INFO persistence. */
async function persistence(conn, name) {
  const text = String(await conn.command('INFO', 'persistence'))
  return new RegExp(`${name}:(\\S+)`).exec(text)?.[1]
}

/** Samples memory every 10 ms until `until` resolves; returns the peak RSS. */
async function peakWhile(srv, until) {
  let done = false
  until.then(() => (done = true))
  let peak = 0
  while (!done) {
    peak = Math.max(peak, groupRss(srv))
    await sleep(10)
  }
  return peak
}

/** Keeps a BGSAVE running (a new one when the previous ended) and samples memory until
 * `until` resolves; returns the peak RSS and the saves that completed. */
async function savingWhile(srv, conn, until) {
  let done = false
  until.then(() => (done = true))
  let peak = 0
  let saves = 0
  let running = false
  while (!done) {
    peak = Math.max(peak, groupRss(srv))
    const inProgress = (await persistence(conn, 'rdb_bgsave_in_progress')) === '1'
    if (running && !inProgress) saves++
    if (!inProgress) {
      const reply = String(await conn.command('BGSAVE'))
      running = reply.startsWith('+')
    } else {
      running = true
    }
    await sleep(10)
  }
  return { peak, saves }
}

const servers = {}
const results = { redwing: [], redis: [] }
try {
  for (const name of ['redwing', 'redis']) {
    const srv = startServer(name, setups[name].cmd, setups[name].port)
    await waitForPing(srv, 120)
    const conn = await RespConnection.open(setups[name].port)
    await conn.command('DEBUG', 'POPULATE', String(keys), 'key', String(size))
    servers[name] = { srv, conn }
  }
  console.log(`BGSAVE under SET writers: ${fmtInt(keys)} keys of ${size} bytes, ${rounds} rounds`)
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ['redwing', 'redis'] : ['redis', 'redwing']
    for (const name of order) {
      const { srv, conn } = servers[name]
      // Let a save from the previous round end, and memory settle.
      while ((await persistence(conn, 'rdb_bgsave_in_progress')) === '1') await sleep(50)
      await sleep(500)
      const dataset = groupRss(srv)
      const aloneRun = writers(setups[name].port)
      const alonePeak = await peakWhile(srv, aloneRun)
      const alone = await aloneRun
      const run = writers(setups[name].port)
      const { peak, saves } = await savingWhile(srv, conn, run)
      const saving = await run
      results[name].push({ memory: peak / alonePeak, throughput: saving / alone, saves })
      console.log(
        `[round ${round}] ${name}: dataset ${fmtInt(dataset / 2 ** 20)} MB at rest, ` +
          `${fmtInt(alonePeak / 2 ** 20)} MB peak under writes alone, ${fmtInt(peak / 2 ** 20)} MB peak while saving; ` +
          `${fmtInt(alone)} ops/s alone, ${fmtInt(saving)} while saving (${saves} saves)`,
      )
    }
  }
  const row = (name) => {
    const r = results[name]
    return [
      name,
      fmtRatio(median(r.map((x) => x.memory))),
      fmtRatio(median(r.map((x) => x.throughput))),
      String(median(r.map((x) => x.saves))),
    ]
  }
  printTable(
    ['server', 'peak RSS saving ÷ alone', 'ops/s saving ÷ alone', 'saves per run'],
    [row('redwing'), row('redis')],
    [false, true, true, true],
  )
} finally {
  for (const { conn } of Object.values(servers)) conn.close()
  await stopAll()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}
