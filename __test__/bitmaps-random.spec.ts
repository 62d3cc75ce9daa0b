// Randomized differential test of the bitmap commands: a seeded sequence of SETBIT, GETBIT,
// BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO and the string commands that share their bytes
// (SET, SETRANGE, APPEND, GETRANGE, GET) runs against a real redis-server (the oracle) and
// against redwing, and every reply must match byte for byte. Field types cover i1…i64 and
// u1…u63 (and a few invalid ones), offsets come plain and as `#n`, values sit at and around the
// types' limits under each OVERFLOW mode, and ranges are negative, reversed or out of bounds.
// The keys stay short enough for ranges to matter and now and then grow past a few words, so
// the word-at-a-time paths meet unaligned heads and tails.
//
//   REDWING_RANDOM_SEED=n   replay seed n (printed in every failure)
//   REDWING_RANDOM_STEPS=n  commands per run (default 2500)
//   REDWING_RANDOM_TRACE=1  print every command with the oracle's reply
//   REDWING_DIFF_SELF=1     compare redis-server with a second redis-server (checks the test itself)

import { afterAll, assert, beforeAll, describe, test } from 'vitest'
import { Random, seedFrom } from './differential/random.js'
import { startServerPair, SUBJECT_NAME, type ServerPair } from './helpers/server-pair.js'
import { connect, encodeCommand, printable, type RespConnection } from './helpers/resp-client.js'

const SEED = seedFrom('REDWING_RANDOM_SEED')
const STEPS = Number(process.env.REDWING_RANDOM_STEPS ?? 2500)
const TRACE = process.env.REDWING_RANDOM_TRACE === '1'
const REPLY_TIMEOUT_MS = 3000
/** Commands shown before the failing one. */
const HISTORY_SHOWN = 12

/** Each run starts from an empty server; the RESP3 one sees FAIL's nil as `_`. */
const RUNS = [
  { name: 'RESP2', protocol: 2 },
  { name: 'RESP3', protocol: 3 },
] as const

type Arg = string | Buffer

let servers: ServerPair | undefined

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(() => servers?.close())

describe(`random bitmap commands: redis-server vs ${SUBJECT_NAME} (seed ${SEED})`, () => {
  RUNS.forEach((run, index) => {
    test(
      run.name,
      async () => {
        if (!servers) throw new Error('the servers did not start')
        const [oracle, subject] = await Promise.all([connect(servers.oracle.port), connect(servers.subject.port)])
        try {
          await Promise.all([prepare(oracle, run.protocol), prepare(subject, run.protocol)])
          const failure = await runSequence(oracle, subject, (SEED + index) >>> 0)
          if (failure !== undefined) {
            const replay = `REDWING_RANDOM_SEED=${SEED} npx vitest run __test__/bitmaps-random.spec.ts -t '${run.name}'`
            assert.fail(`seed ${SEED}, run ${index + 1} (${run.name}): ${failure}\n  replay: ${replay}`)
          }
        } finally {
          await Promise.all([oracle.close(), subject.close()])
        }
      },
      60_000,
    )
  })
})

/** Empties the server, creates the list and switches protocol. */
async function prepare(connection: RespConnection, protocol: 2 | 3): Promise<void> {
  const reply = await connection.command('FLUSHALL')
  if (reply.toString('latin1') !== '+OK\r\n') throw new Error(`FLUSHALL failed: ${printable(reply)}`)
  await connection.command('RPUSH', 'list', 'x')
  if (protocol === 3) await connection.command('HELLO', '3')
}

async function send(connection: RespConnection, args: Arg[]): Promise<Buffer> {
  const reply = connection.readReply(REPLY_TIMEOUT_MS)
  connection.send(encodeCommand(args))
  return reply
}

/** Runs STEPS commands from `seed`; returns a description of the first mismatch, if any. */
async function runSequence(oracle: RespConnection, subject: RespConnection, seed: number): Promise<string | undefined> {
  const rng = new Random(seed)
  const history: string[] = []
  for (let step = 1; step <= STEPS; step++) {
    const command = randomCommand(rng)
    const [expected, actual] = await Promise.all([send(oracle, command), send(subject, command)])
    if (!expected.equals(actual)) {
      return [
        `step ${step} of ${STEPS} (run seed ${seed}): the replies differ`,
        `  command:         ${commandText(command)}`,
        `  redis-server:    ${printable(expected)}`,
        `  ${`${SUBJECT_NAME}:`.padEnd(17)}${printable(actual)}`,
        `  the ${Math.min(history.length, HISTORY_SHOWN)} commands before it:`,
        ...history.slice(-HISTORY_SHOWN).map((line) => `    ${line}`),
      ].join('\n')
    }
    history.push(`${step}: ${commandText(command)} -> ${printable(expected, 120)}`)
    if (TRACE) console.log(history.at(-1))
  }
  return undefined
}

function commandText(command: Arg[]): string {
  return command
    .map((arg) => {
      const text = typeof arg === 'string' ? arg : arg.toString('latin1')
      return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text)
    })
    .join(' ')
}

// --- the generator ------------------------------------------------------------

/** Bitmaps; `list` holds a list (WRONGTYPE) and `none` is never written. */
const KEYS = ['b0', 'b1', 'b2']
const OTHER_KEYS = ['list', 'none']

/** A key: one of the bitmaps, rarely the list or the missing key. */
function key(rng: Random): string {
  return rng.chance(0.05) ? rng.pick(OTHER_KEYS) : rng.pick(KEYS)
}

/** A bit offset: mostly within the first words, sometimes farther, rarely invalid. */
function bitOffset(rng: Random): string {
  const roll = rng.below(100)
  if (roll < 70) return String(rng.below(130))
  if (roll < 92) return String(rng.below(1200))
  if (roll < 96) return String(rng.between(1200, 20_000))
  return rng.pick(['-1', 'x', '', '4294967296', '1.5', '#1'])
}

/** A range end, in bytes or bits depending on `bits`. */
function rangeEnd(rng: Random, bits: boolean): string {
  const span = bits ? 900 : 110
  const roll = rng.below(100)
  if (roll < 45) return String(rng.below(span))
  if (roll < 85) return String(-1 - rng.below(span))
  if (roll < 97) return rng.pick(['0', '-1', '9223372036854775807', '-9223372036854775808', String(span * 4)])
  return rng.pick(['x', '1.0', ''])
}

/** Bytes for SET, SETRANGE and APPEND: text, integers (the int encoding), binary. */
function bytes(rng: Random): Arg {
  const roll = rng.below(10)
  if (roll < 2) return String(rng.between(-100_000, 100_000))
  if (roll < 3) return rng.pick(['', '0', '9223372036854775807', '-9223372036854775808'])
  if (roll < 5) return 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, rng.between(1, 36))
  const length = rng.chance(0.2) ? rng.between(20, 90) : rng.between(1, 12)
  const pattern = rng.below(4)
  return Buffer.from(
    Array.from({ length }, () =>
      pattern === 0 ? 0xff : pattern === 1 ? 0 : pattern === 2 ? rng.pick([0, 0xff]) : rng.below(256),
    ),
  )
}

/** A field type: valid widths mostly, with the edges, and rarely an invalid one. */
function fieldType(rng: Random): { type: string; signed: boolean; bits: number } {
  if (rng.chance(0.03)) {
    const type = rng.pick(['u64', 'i65', 'u0', 'i0', 'x8', 'I8', 'u', '', 'i08'])
    return { type, signed: true, bits: 8 }
  }
  const signed = rng.chance(0.5)
  const bits = rng.chance(0.25) ? rng.pick(signed ? [1, 2, 63, 64] : [1, 2, 62, 63]) : rng.between(1, signed ? 64 : 63)
  return { type: `${signed ? 'i' : 'u'}${bits}`, signed, bits }
}

/** A field offset for `bits`-wide fields: plain or `#n`, rarely invalid. */
function fieldOffset(rng: Random, bits: number): string {
  if (rng.chance(0.03)) return rng.pick(['-1', '#-1', '#', 'x', '##1', '#2305843009213693953'])
  if (rng.chance(0.3)) return `#${rng.below(Math.max(2, Math.floor(260 / bits)))}`
  return String(rng.below(rng.chance(0.8) ? 200 : 2000))
}

/** A 64-bit integer drawn from the whole range. */
function anyInt64(rng: Random): bigint {
  return BigInt.asIntN(64, (BigInt(rng.next()) << 32n) | BigInt(rng.next()))
}

/** A SET value or INCRBY increment for a field: near its limits, small, or anything. */
function fieldValue(rng: Random, signed: boolean, bits: number): string {
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n
  const roll = rng.below(100)
  let value: bigint
  if (roll < 30) value = BigInt(rng.between(-20, 20))
  else if (roll < 50) value = max + BigInt(rng.between(-2, 2))
  else if (roll < 65) value = min + BigInt(rng.between(-2, 2))
  else if (roll < 75) value = max * 2n + BigInt(rng.between(-1, 1))
  else if (roll < 97) value = anyInt64(rng)
  else return rng.pick(['x', '1.5', '9223372036854775808', ''])
  return BigInt.asIntN(64, value).toString()
}

/** One to four BITFIELD operations (GETs only when `readonly`), with OVERFLOW now and then. */
function bitfieldOps(rng: Random, readonly: boolean): string[] {
  const ops: string[] = []
  for (let count = rng.between(1, 4); count > 0; count--) {
    if (!readonly && rng.chance(0.25)) ops.push('OVERFLOW', rng.pick(['WRAP', 'SAT', 'FAIL', 'wrap', 'sat', 'fail']))
    const field = fieldType(rng)
    const offset = fieldOffset(rng, field.bits)
    const kind = readonly ? (rng.chance(0.97) ? 'GET' : 'SET') : rng.pick(['GET', 'SET', 'INCRBY', 'INCRBY'])
    if (kind === 'GET') ops.push('GET', field.type, offset)
    else ops.push(kind, field.type, offset, fieldValue(rng, field.signed, field.bits))
  }
  if (rng.chance(0.02)) ops.push(rng.pick(['GET', 'FOO', 'OVERFLOW']))
  return ops
}

function rangeArgs(rng: Random, withEnd: boolean): string[] {
  const bits = rng.chance(0.4)
  const args = [rangeEnd(rng, bits)]
  if (!withEnd) return args
  args.push(rangeEnd(rng, bits))
  if (bits) args.push(rng.chance(0.95) ? 'BIT' : 'bits')
  else if (rng.chance(0.3)) args.push('BYTE')
  return args
}

/** The next command of a sequence (it depends only on the generator, never on replies). */
function randomCommand(rng: Random): Arg[] {
  const k = key(rng)
  switch (rng.below(24)) {
    case 0:
    case 1:
    case 2:
      return ['SETBIT', k, bitOffset(rng), rng.chance(0.97) ? rng.pick(['0', '1']) : rng.pick(['2', '-1', 'x'])]
    case 3:
    case 4:
      return ['GETBIT', k, bitOffset(rng)]
    case 5:
    case 6:
    case 7: {
      const args = ['BITCOUNT', k]
      const form = rng.below(10)
      if (form < 7) args.push(...rangeArgs(rng, true))
      else if (form === 7) args.push(...rangeArgs(rng, false))
      return args
    }
    case 8:
    case 9:
    case 10: {
      const bit = rng.chance(0.97) ? rng.pick(['0', '1']) : rng.pick(['2', 'x'])
      const args = ['BITPOS', k, bit]
      const form = rng.below(10)
      if (form < 3) args.push(...rangeArgs(rng, false))
      else if (form < 8) args.push(...rangeArgs(rng, true))
      return args
    }
    case 11:
    case 12: {
      const op = rng.pick(['AND', 'OR', 'XOR', 'NOT', 'and', 'xor'])
      const sources = op.toUpperCase() === 'NOT' && rng.chance(0.95) ? 1 : rng.between(1, 4)
      const destination = rng.chance(0.02) ? 'list' : rng.pick(KEYS)
      return ['BITOP', op, destination, ...Array.from({ length: sources }, () => key(rng))]
    }
    case 13:
    case 14:
    case 15:
    case 16:
      return ['BITFIELD', k, ...bitfieldOps(rng, false)]
    case 17:
      return ['BITFIELD', k, ...bitfieldOps(rng, true)]
    case 18:
      return ['BITFIELD_RO', k, ...bitfieldOps(rng, true)]
    case 19:
      return ['SETRANGE', k, String(rng.below(rng.chance(0.9) ? 40 : 200)), bytes(rng)]
    case 20:
      return ['GETRANGE', k, rangeEnd(rng, false), rangeEnd(rng, false)]
    case 21:
      return rng.chance(0.5) ? ['APPEND', k, bytes(rng)] : ['GET', k]
    case 22:
      return rng.chance(0.15) ? ['DEL', k] : ['SET', rng.pick(KEYS), bytes(rng)]
    default:
      return rng.chance(0.05) ? ['RPUSH', 'list', 'x'] : ['GET', k]
  }
}
