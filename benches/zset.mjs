#!/usr/bin/env node
// benches/zset.mjs: embedded sorted-set calls against JavaScript alternatives.
//
// Why: a sorted set is the type where a native skiplist should pay off most. At 100k members
// it is compared with the usual JavaScript substitute, a sorted array kept in order with a
// binary search and `splice` (O(n) per insert); at 10k members with ioredis-mock, whose sorted
// set costs milliseconds per insert at that size.
//
// How: tinybench times ZADD giving an existing member a new score (so sizes stay fixed: the
// member moves in the order) and ZRANGE of 10 members at a spread-out rank; every task of a
// pair does the same work. Results are ratios of ops/s (above 1:
// redwing is faster), median over rounds, since absolute numbers move on a shared machine.
// Needs `npm run build` and the devDependencies tinybench and ioredis-mock.
//
//   node benches/zset.mjs [--rounds 3] [--time 1000]

import { parseArgs } from 'node:util'
import { Bench } from 'tinybench'
import RedisMock from 'ioredis-mock'
import { Redwing } from '../dist/index.js'

const { values } = parseArgs({ options: { rounds: { type: 'string' }, time: { type: 'string' } } })
const rounds = Number(values.rounds ?? 3)
const time = Number(values.time ?? 1000)
const BIG = 100_000
const SMALL = 10_000

// A deterministic stream of scores, so every store sees the same inserts.
let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 1e6

/** A sorted array of [score, member] with a member -> score map, kept in order by binary
 * search and splice, as a JavaScript program would keep a leaderboard. */
class SortedArray {
  items = []
  scores = new Map()
  #position(score, member) {
    let lo = 0
    let hi = this.items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const [s, m] = this.items[mid]
      if (s < score || (s === score && m < member)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  add(score, member) {
    const old = this.scores.get(member)
    if (old !== undefined) this.items.splice(this.#position(old, member), 1)
    this.scores.set(member, score)
    this.items.splice(this.#position(score, member), 0, [score, member])
  }
  range(start, stop) {
    return this.items.slice(start, stop + 1).map(([, member]) => member)
  }
}

const db = new Redwing()
const array = new SortedArray()
const mock = new RedisMock()
let pipeline = db.pipeline()
for (let i = 0; i < BIG; i++) {
  const score = random()
  pipeline.call('ZADD', 'big', score, `m${i}`)
  array.add(score, `m${i}`)
  if (i < SMALL) pipeline.call('ZADD', 'small', score, `m${i}`)
  if (pipeline.length >= 1000) {
    pipeline.exec()
    pipeline = db.pipeline()
  }
}
pipeline.exec()
for (let i = 0; i < SMALL; i += 1000) {
  const args = []
  for (let j = i; j < i + 1000; j++) args.push(db.call('ZSCORE', 'small', `m${j}`), `m${j}`)
  await mock.zadd('small', ...args)
}

let n = 0
const tasks = [
  ['ZADD 100k', 'redwing', () => db.call('ZADD', 'big', random(), `m${(n = (n + 7919) % BIG)}`)],
  ['ZADD 100k', 'sorted array', () => array.add(random(), `m${(n = (n + 7919) % BIG)}`)],
  ['ZRANGE 100k', 'redwing', () => db.call('ZRANGE', 'big', (n = (n + 7919) % BIG), n + 9)],
  ['ZRANGE 100k', 'sorted array', () => array.range((n = (n + 7919) % BIG), n + 9)],
  ['ZADD 10k', 'redwing', () => db.call('ZADD', 'small', random(), `m${(n = (n + 7919) % SMALL)}`)],
  ['ZADD 10k', 'ioredis-mock', () => mock.zadd('small', random(), `m${(n = (n + 7919) % SMALL)}`)],
  ['ZRANGE 10k', 'redwing', () => db.call('ZRANGE', 'small', (n = (n + 7919) % SMALL), n + 9)],
  ['ZRANGE 10k', 'ioredis-mock', () => mock.zrange('small', (n = (n + 7919) % SMALL), n + 9)],
]

const perRound = new Map()
for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ time })
  for (const [group, store, fn] of tasks) bench.add(`${group} ${store}`, fn)
  await bench.run()
  for (const task of bench.tasks) {
    const hz = task.result.throughput?.mean ?? task.result.hz
    perRound.set(task.name, [...(perRound.get(task.name) ?? []), hz])
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`sorted sets, ${rounds} round(s) of ${time} ms per task (ops/s, median)`)
for (const [name, hz] of perRound) console.log(`  ${name.padEnd(26)} ${Math.round(median(hz)).toLocaleString('en')}`)
console.log('ratios of ops/s (above 1: redwing is faster), median over rounds:')
for (const [group, other] of [
  ['ZADD 100k', 'sorted array'],
  ['ZRANGE 100k', 'sorted array'],
  ['ZADD 10k', 'ioredis-mock'],
  ['ZRANGE 10k', 'ioredis-mock'],
]) {
  const ours = perRound.get(`${group} redwing`)
  const theirs = perRound.get(`${group} ${other}`)
  const ratios = ours.map((hz, i) => hz / theirs[i])
  console.log(`  ${`${group} redwing / ${other}`.padEnd(36)} ${median(ratios).toFixed(2)}`)
}
console.log(`reproduce: node benches/zset.mjs --rounds ${rounds} --time ${time}`)
