#!/usr/bin/env node
// benches/persistence.mjs — SAVE and start-up load of an RDB file: redwing against redis-server.
//
// Why: persistence is judged by how long a save blocks, how long a restart takes to load, and
// how large the file is. As in server.mjs, the machines are shared and noisy, so what counts is
// the RATIO redwing/redis measured side by side.
//
// How: both servers start (lib/servers.mjs) in throwaway directories with `--save ''` and get
// the same mixed dataset: DEBUG POPULATE of N string keys, then redis-benchmark LPUSH, SADD,
// HSET and ZADD with random members (one large list, set, hash and sorted set). Each round
// times a SAVE on each (the reply arrives once the file is on disk), in alternating order;
// then each server restarts on its file and the time it reports for loading ("DB loaded from
// disk: X seconds") is read from its log. Ratios are time(redwing) / time(redis) (lower is
// better for redwing) and file size(redwing) / size(redis), geometric means over rounds.
//
// Usage: node benches/persistence.mjs [--keys N] [--members N] [--rounds N]

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_REDIS_CMD,
  DEFAULT_REDWING_CMD,
  exitUnlessBuilt,
  fmtRatio,
  geomean,
  intOption,
  median,
  printTable,
  RespConnection,
  sleep,
  startServer,
  stopAll,
  stopServer,
  twoPorts,
  waitForPing,
} from './lib/servers.mjs'

const { values } = parseArgs({
  options: { keys: { type: 'string' }, members: { type: 'string' }, rounds: { type: 'string' } },
})
const keys = intOption(values, 'keys', 1_000_000)
const members = intOption(values, 'members', 200_000)
const rounds = intOption(values, 'rounds', 3)
exitUnlessBuilt(DEFAULT_REDWING_CMD)

const [redwingPort, redisPort] = await twoPorts()
const setups = {
  redwing: {
    cmd: `${DEFAULT_REDWING_CMD} --enable-debug-command yes`,
    port: redwingPort,
    dir: mkdtempSync(join(tmpdir(), 'bench-rdb-w-')),
  },
  redis: {
    cmd: DEFAULT_REDIS_CMD.replace('--appendonly no', '--appendonly no --enable-debug-command yes'),
    port: redisPort,
    dir: mkdtempSync(join(tmpdir(), 'bench-rdb-r-')),
  },
}

/** Starts one server on its directory; returns it once it answers PING. */
async function start(name) {
  const setup = setups[name]
  const srv = startServer(name, `${setup.cmd} --dir ${setup.dir}`, setup.port)
  await waitForPing(srv, 120)
  return srv
}

/** Seconds `run` takes. */
async function timed(run) {
  const started = performance.now()
  await run()
  return (performance.now() - started) / 1000
}

const saves = { redwing: [], redis: [] }
const loads = { redwing: [], redis: [] }
try {
  for (const name of ['redwing', 'redis']) {
    const srv = await start(name)
    const conn = await RespConnection.open(setups[name].port)
    await conn.command('DEBUG', 'POPULATE', String(keys))
    const fill = ['-p', String(setups[name].port), '-q', '-t', 'lpush,sadd,hset,zadd', '-r', String(members)]
    spawnSync('redis-benchmark', [...fill, '-n', String(members), '-P', '32'], { stdio: 'ignore' })
    await conn.command('SAVE')
    conn.close()
    await stopServer(srv)
  }
  console.log(`Persistence: ${keys} strings + 4 collections of up to ${members} members, ${rounds} rounds`)
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ['redwing', 'redis'] : ['redis', 'redwing']
    for (const name of order) {
      const srv = await start(name)
      const loaded = /DB loaded from disk: ([\d.]+) seconds/.exec(srv.log)
      if (loaded) loads[name].push(Number(loaded[1]))
      const conn = await RespConnection.open(setups[name].port)
      saves[name].push(await timed(() => conn.command('SAVE')))
      conn.close()
      await stopServer(srv)
      await sleep(200)
    }
  }
  const size = (name) => statSync(join(setups[name].dir, 'dump.rdb')).size
  const ratio = (ours, theirs) => geomean(ours.map((x, i) => x / theirs[i]))
  printTable(
    ['measure', 'redwing', 'redis', 'ratio'],
    [
      [
        'SAVE seconds',
        median(saves.redwing).toFixed(3),
        median(saves.redis).toFixed(3),
        fmtRatio(ratio(saves.redwing, saves.redis)),
      ],
      [
        'load seconds',
        median(loads.redwing).toFixed(3),
        median(loads.redis).toFixed(3),
        fmtRatio(ratio(loads.redwing, loads.redis)),
      ],
      ['file bytes', String(size('redwing')), String(size('redis')), fmtRatio(size('redwing') / size('redis'))],
    ],
    [false, true, true, true],
  )
} finally {
  await stopAll()
  for (const setup of Object.values(setups)) rmSync(setup.dir, { recursive: true, force: true })
}
