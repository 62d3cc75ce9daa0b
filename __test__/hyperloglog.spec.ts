// HyperLogLog at scale, against a real redis-server: the same elements PFADDed into both servers
// must leave the same bytes (GET) and the same estimate (PFCOUNT) at every size, through the
// sparse encoding, its promotion to dense and the dense registers; and the estimate for a million
// distinct elements must be as accurate as Redis's (the same bytes give the same figure, within
// the 0.81% standard error Redis documents).
//
//   REDWING_HLL_SEED=n   replay seed n (printed in every failure)

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Random, seedFrom } from './differential/random.js'
import { startServerPair, SUBJECT_NAME, type ServerPair } from './helpers/server-pair.js'
import { connect, encodeCommand, printable, type RespConnection } from './helpers/resp-client.js'

const SEED = seedFrom('REDWING_HLL_SEED')
/** Elements per PFADD. */
const BATCH = 1000
/** Sizes at which the two servers' sketches are compared. */
const CHECKPOINTS = [10, 100, 1_000, 3_000, 10_000, 30_000, 100_000]
const MILLION = 1_000_000
/** Redis's standard error for its 16384 registers: 1.04 / sqrt(16384). */
const STANDARD_ERROR = 0.0081

let servers: ServerPair | undefined

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(() => servers?.close())

/** Sends every command at once, then reads one reply per command; returns the last reply. */
async function pipeline(connection: RespConnection, commands: string[][]): Promise<Buffer> {
  const replies = commands.map(() => connection.readReply(30_000))
  connection.send(Buffer.concat(commands.map((command) => encodeCommand(command))))
  const all = await Promise.all(replies)
  return all[all.length - 1]
}

/** PFADD commands adding `elements` to `key`, `BATCH` at a time. */
function pfadds(key: string, elements: string[]): string[][] {
  const commands: string[][] = []
  for (let at = 0; at < elements.length; at += BATCH) commands.push(['PFADD', key, ...elements.slice(at, at + BATCH)])
  return commands
}

describe(`HyperLogLog at scale: redis-server vs ${SUBJECT_NAME} (seed ${SEED})`, () => {
  test('the same elements leave the same bytes and estimate at every size', async () => {
    if (!servers) throw new Error('the servers did not start')
    const sides = await Promise.all([connect(servers.oracle.port), connect(servers.subject.port)])
    try {
      const random = new Random(SEED)
      let added = 0
      for (const size of CHECKPOINTS) {
        // Random strings, some repeated, so the registers see collisions as well as growth.
        const elements = Array.from({ length: size - added }, () => `e${random.next() % (size * 2)}`)
        added = size
        const states = await Promise.all(
          sides.map(async (side) => {
            await pipeline(side, pfadds('hll', elements))
            const count = await side.command('PFCOUNT', 'hll')
            const bytes = await side.command('GET', 'hll')
            const encoding = await side.command('PFDEBUG', 'ENCODING', 'hll')
            return { count, bytes, encoding }
          }),
        )
        const [oracle, subject] = states
        const where = `seed ${SEED}, ${size} elements`
        expect(printable(subject.encoding), where).toBe(printable(oracle.encoding))
        expect(printable(subject.count), where).toBe(printable(oracle.count))
        expect(subject.bytes.equals(oracle.bytes), `${where}: GET bytes differ`).toBe(true)
      }
      // The sketch made by one server is read and extended by the other.
      const fromOracle = await sides[0].command('GET', 'hll')
      const bulk = fromOracle.subarray(fromOracle.indexOf('\r\n') + 2, fromOracle.length - 2)
      await Promise.all(sides.map((side) => side.command('SET', 'copy', bulk)))
      const extended = await Promise.all(
        sides.map(async (side) => {
          await side.command('PFADD', 'copy', 'one more', 'and another')
          return side.command('GET', 'copy')
        }),
      )
      expect(extended[1].equals(extended[0]), `seed ${SEED}: a copied sketch diverged`).toBe(true)
    } finally {
      await Promise.all(sides.map((side) => side.close()))
    }
  }, 60_000)

  test('a million distinct elements: the estimate Redis gives, within its error bound', async () => {
    if (!servers) throw new Error('the servers did not start')
    const sides = await Promise.all([connect(servers.oracle.port), connect(servers.subject.port)])
    try {
      const elements = Array.from({ length: MILLION }, (_, i) => `user:${i}`)
      const counts = await Promise.all(
        sides.map(async (side) => {
          await pipeline(side, pfadds('visitors', elements))
          return side.command('PFCOUNT', 'visitors')
        }),
      )
      expect(printable(counts[1])).toBe(printable(counts[0]))
      const estimate = Number(counts[1].toString().slice(1, -2))
      expect(Math.abs(estimate - MILLION) / MILLION).toBeLessThan(3 * STANDARD_ERROR)
    } finally {
      await Promise.all(sides.map((side) => side.close()))
    }
  }, 120_000)
})
