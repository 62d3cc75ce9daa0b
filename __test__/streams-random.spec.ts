// Randomized differential test of the stream commands: a seeded sequence of XADD, XDEL, XTRIM,
// XSETID, XGROUP (CREATE, SETID, CREATECONSUMER, DELCONSUMER, DESTROY), XREADGROUP, XACK, XCLAIM,
// XAUTOCLAIM, XPENDING, XRANGE, XREVRANGE, XLEN and XINFO runs against a real redis-server (the
// oracle) and against redwing. Every reply must match, and after every step the whole state of
// each stream is compared through `XINFO STREAM <key> FULL COUNT 0` (entries, radix-tree counts,
// last/max-deleted ids, entries-added, groups with their PELs and consumers).
//
// Determinism: replies must not depend on the clock, so
// - XADD only takes explicit IDs (`<ms>-<seq>` or `<ms>-*`), drawn from a counter that mostly
//   increases (and now and then repeats or goes back, to exercise the "equal or smaller" error);
// - XREADGROUP never blocks, XCLAIM uses a min-idle-time of 0 (optionally IDLE 0, FORCE, JUSTID,
//   RETRYCOUNT, LASTID but never TIME), XAUTOCLAIM a min-idle-time of 0 and XPENDING's extended
//   form IDLE 0 at most, so which entries are claimed or listed never depends on elapsed time.
// What still depends on the clock are the times themselves, which are normalised before
// comparing (the reply type is kept, the value becomes 0):
// - in XINFO STREAM FULL: the values of the `seen-time`, `active-time` and `delivery-time`
//   fields, the delivery time inside each group PEL entry ([id, consumer, time, count]) and
//   inside each consumer PEL entry ([id, time, count]);
// - in XPENDING's extended form: the idle time of each entry ([id, consumer, idle, count]).
// Delivery counts are kept: they are deterministic.
//
// Small `stream-node-max-entries` values make the streams span many radix-tree nodes, so
// trimming, deletion and range walks cross node boundaries; the setting is restored afterwards.
//
//   REDWING_STREAMS_SEED=n   replay seed n (printed in every failure)
//   REDWING_STREAMS_STEPS=n  commands per run (default 1500)
//   REDWING_STREAMS_TRACE=1  print every command with the oracle's reply
//   REDWING_DIFF_SELF=1      compare redis-server with a second redis-server (checks the test itself)

import { afterAll, assert, beforeAll, describe, test } from 'vitest'
import { Random, seedFrom } from './differential/random.js'
import { startServerPair, SUBJECT_NAME, type ServerPair } from './helpers/server-pair.js'
import { connect, encodeCommand, printable, splitReplies, type RespConnection } from './helpers/resp-client.js'

const SEED = seedFrom('REDWING_STREAMS_SEED')
const STEPS = Number(process.env.REDWING_STREAMS_STEPS ?? 1500)
const TRACE = process.env.REDWING_STREAMS_TRACE === '1'
const REPLY_TIMEOUT_MS = 3000
/** Commands shown before the failing one. */
const HISTORY_SHOWN = 12
const DEFAULT_NODE_MAX_ENTRIES = '100'

/** Each run starts from an empty server with its own node size and protocol. */
const RUNS = [
  { name: 'RESP2, 2 entries per node', protocol: 2, nodeMaxEntries: '2' },
  { name: 'RESP3, 5 entries per node', protocol: 3, nodeMaxEntries: '5' },
  { name: 'RESP2, default node size', protocol: 2, nodeMaxEntries: DEFAULT_NODE_MAX_ENTRIES },
] as const

/** How a reply is compared: byte for byte, or after the clock-dependent times are zeroed. */
type Normalise = 'none' | 'times'

interface StreamCommand {
  args: string[]
  normalise: Normalise
}

let servers: ServerPair | undefined

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(() => servers?.close())

describe(`random stream commands: redis-server vs ${SUBJECT_NAME} (seed ${SEED})`, () => {
  RUNS.forEach((run, index) => {
    test(
      run.name,
      async () => {
        if (!servers) throw new Error('the servers did not start')
        const [oracle, subject] = await Promise.all([connect(servers.oracle.port), connect(servers.subject.port)])
        try {
          await Promise.all([prepare(oracle, run), prepare(subject, run)])
          const failure = await runSequence(oracle, subject, (SEED + index) >>> 0)
          if (failure !== undefined) {
            const replay = `REDWING_STREAMS_SEED=${SEED} npx vitest run __test__/streams-random.spec.ts -t '${run.name}'`
            assert.fail(`seed ${SEED}, run ${index + 1} (${run.name}): ${failure}\n  replay: ${replay}`)
          }
        } finally {
          await Promise.all([restore(oracle), restore(subject)])
          await Promise.all([oracle.close(), subject.close()])
        }
      },
      60_000,
    )
  })
})

async function expectOk(connection: RespConnection, ...args: string[]): Promise<void> {
  const reply = await connection.command(...args)
  if (reply.toString('latin1') !== '+OK\r\n') throw new Error(`${args.join(' ')} failed: ${printable(reply)}`)
}

/** Empties the server, sets the node size, creates the list and switches protocol. */
async function prepare(connection: RespConnection, run: (typeof RUNS)[number]): Promise<void> {
  await expectOk(connection, 'FLUSHALL')
  await expectOk(connection, 'CONFIG', 'SET', 'stream-node-max-entries', run.nodeMaxEntries)
  await connection.command('RPUSH', 'list', 'x')
  if (run.protocol === 3) await connection.command('HELLO', '3')
}

async function restore(connection: RespConnection): Promise<void> {
  await expectOk(connection, 'CONFIG', 'SET', 'stream-node-max-entries', DEFAULT_NODE_MAX_ENTRIES)
}

async function send(connection: RespConnection, args: string[]): Promise<Buffer> {
  const reply = connection.readReply(REPLY_TIMEOUT_MS)
  connection.send(encodeCommand(args))
  return reply
}

/** Runs STEPS commands from `seed`; returns a description of the first mismatch, if any. */
async function runSequence(oracle: RespConnection, subject: RespConnection, seed: number): Promise<string | undefined> {
  const rng = new Random(seed)
  const ids = new IdCounter()
  const history: string[] = []
  for (let step = 1; step <= STEPS; step++) {
    const command = randomCommand(rng, ids)
    const checks: StreamCommand[] = [command, ...STREAM_KEYS.map((key) => fullInfo(key))]
    for (const [index, check] of checks.entries()) {
      const [oracleReply, subjectReply] = await Promise.all([send(oracle, check.args), send(subject, check.args)])
      const expected = normalise(oracleReply, check.normalise)
      const actual = normalise(subjectReply, check.normalise)
      if (!expected.equals(actual)) {
        const what = index === 0 ? 'the replies differ' : `the state differs after it (${check.args.join(' ')})`
        return [
          `step ${step} of ${STEPS} (run seed ${seed}): ${what}`,
          `  command:         ${command.args.join(' ')}`,
          `  redis-server:    ${printable(expected)}`,
          `  ${`${SUBJECT_NAME}:`.padEnd(17)}${printable(actual)}`,
          `  the ${Math.min(history.length, HISTORY_SHOWN)} commands before it:`,
          ...history.slice(-HISTORY_SHOWN).map((line) => `    ${line}`),
        ].join('\n')
      }
      if (index === 0) {
        history.push(`${step}: ${command.args.join(' ')} -> ${printable(oracleReply, 160)}`)
        if (TRACE) console.log(history.at(-1))
      }
    }
  }
  return undefined
}

// --- normalising clock-dependent times --------------------------------------------------

const AGGREGATES = new Set(['*', '%', '~', '>'])
/** Fields of XINFO STREAM FULL whose value is a time in milliseconds. */
const TIME_FIELDS = new Set(['seen-time', 'active-time', 'delivery-time'])

function isAggregate(reply: Buffer): boolean {
  return AGGREGATES.has(String.fromCharCode(reply[0] ?? 0)) && reply[1] !== 0x2d /* '-': null */
}

/** The header line and top-level elements of an aggregate reply. */
function split(reply: Buffer): { header: Buffer; elements: Buffer[] } {
  const headerEnd = reply.indexOf('\r\n') + 2
  return { header: reply.subarray(0, headerEnd), elements: splitReplies(reply.subarray(headerEnd)).replies }
}

/** An integer reply becomes 0; anything else (a type mismatch) is left to fail the comparison. */
function zeroed(reply: Buffer): Buffer {
  return reply[0] === 0x3a /* ':' */ ? Buffer.from(':0\r\n') : reply
}

function bulkText(reply: Buffer): string | undefined {
  if (reply[0] !== 0x24 /* '$' */) return undefined
  const headerEnd = reply.indexOf('\r\n')
  return reply.toString('latin1', headerEnd + 2, reply.length - 2)
}

/** A PEL entry with its time zeroed: [id, consumer, time, count] or [id, time, count]. */
function zeroPelEntry(entry: Buffer): Buffer {
  if (!isAggregate(entry)) return entry
  const { header, elements } = split(entry)
  const timeIndex = elements.length === 4 ? 2 : elements.length === 3 ? 1 : -1
  return Buffer.concat([header, ...elements.map((element, i) => (i === timeIndex ? zeroed(element) : element))])
}

/**
 * Zeroes the times described in the header: walks every aggregate; a bulk string naming a time
 * field zeroes the value after it, and `pending` followed by a list of PEL entries zeroes their
 * times. Top-level lists of 4-element entries are XPENDING's extended reply.
 */
function normalise(reply: Buffer, mode: Normalise): Buffer {
  if (mode === 'none') return reply
  if (!isAggregate(reply)) return reply
  const { header, elements } = split(reply)
  const looksLikePendingList =
    elements.length > 0 && elements.every((element) => isAggregate(element) && split(element).elements.length === 4)
  if (looksLikePendingList && bulkText(elements[0] ?? Buffer.alloc(0)) === undefined) {
    return Buffer.concat([header, ...elements.map(zeroPelEntry)])
  }
  return normaliseFields(reply)
}

function normaliseFields(reply: Buffer): Buffer {
  if (!isAggregate(reply)) return reply
  const { header, elements } = split(reply)
  const out: Buffer[] = [header]
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i] as Buffer
    const name = bulkText(element)
    const next = elements[i + 1]
    if (name !== undefined && next !== undefined && TIME_FIELDS.has(name)) {
      out.push(element, zeroed(next))
      i++
    } else if (name === 'pending' && next !== undefined && isAggregate(next)) {
      const pel = split(next)
      out.push(element, Buffer.concat([pel.header, ...pel.elements.map(zeroPelEntry)]))
      i++
    } else {
      out.push(normaliseFields(element))
    }
  }
  return Buffer.concat(out)
}

// --- the generator ----------------------------------------------------------------------

/** Streams; `list` holds a list (WRONGTYPE) and `none` is never written. */
const STREAM_KEYS = ['s', 't']
const OTHER_KEYS = ['list', 'none']
const GROUPS = ['g1', 'g2', 'g3']
const CONSUMERS = ['alice', 'bob', 'carol']
const FIELDS = ['f', 'name', 'n', '']
const VALUES = ['1', 'v', 'a-longer-value', '', '-7', 'x'.repeat(40)]

function fullInfo(key: string): StreamCommand {
  return { args: ['XINFO', 'STREAM', key, 'FULL', 'COUNT', '0'], normalise: 'times' }
}

/**
 * The explicit IDs XADD uses: milliseconds that grow slowly and sequences that restart, so that
 * entries share a millisecond and ranges have something to cut. Other commands name IDs near the
 * ones already used.
 */
class IdCounter {
  ms = 1
  seq = 0

  /** The next XADD ID: mostly increasing, rarely repeated or lower, sometimes `<ms>-*`. */
  next(rng: Random): string {
    const roll = rng.below(100)
    if (roll < 3) return `${this.ms}-${this.seq}`
    if (roll < 5) return `${Math.max(0, this.ms - 1)}-${rng.below(3)}`
    if (rng.chance(0.4)) {
      this.ms += 1
      this.seq = rng.below(2)
    } else {
      this.seq += 1 + rng.below(2)
    }
    if (rng.chance(0.08)) return `${this.ms}-*`
    return `${this.ms}-${this.seq}`
  }

  /** An ID near the used ones, in plain, ms-only or special form. */
  any(rng: Random): string {
    const roll = rng.below(100)
    if (roll < 5) return rng.pick(['0', '0-0', '0-1', '18446744073709551615-18446744073709551615', 'x', '1-x'])
    const ms = rng.between(Math.max(0, this.ms - 12), this.ms + 1)
    return roll < 20 ? String(ms) : `${ms}-${rng.below(4)}`
  }
}

function key(rng: Random): string {
  return rng.chance(0.04) ? rng.pick(OTHER_KEYS) : rng.chance(0.8) ? 's' : 't'
}

function exact(...args: string[]): StreamCommand {
  return { args, normalise: 'none' }
}

function count(rng: Random): string {
  return rng.chance(0.97) ? String(rng.between(0, 6)) : rng.pick(['-1', 'x', '100'])
}

/** MAXLEN/MINID with `=`, `~` or nothing, and LIMIT sometimes (only valid with `~`). */
function trimArgs(rng: Random, ids: IdCounter): string[] {
  const operator = rng.pick(['=', '~', '~', ''])
  const threshold = rng.chance(0.6) ? ['MAXLEN', String(rng.below(12))] : ['MINID', ids.any(rng)]
  const args = [threshold[0] as string, ...(operator === '' ? [] : [operator]), threshold[1] as string]
  if (rng.chance(operator === '~' ? 0.5 : 0.04)) args.push('LIMIT', rng.pick(['0', '1', '2', '5', '100', '-1']))
  return args
}

function rangeBound(rng: Random, ids: IdCounter, low: boolean): string {
  const roll = rng.below(10)
  if (roll < 2) return low ? '-' : '+'
  if (roll < 3) return rng.pick(['-', '+'])
  return `${rng.chance(0.2) ? '(' : ''}${ids.any(rng)}`
}

function groupId(rng: Random, ids: IdCounter): string {
  return rng.chance(0.3) ? rng.pick(['$', '0']) : ids.any(rng)
}

/** The next command of a sequence (it depends only on the generator, never on replies). */
function randomCommand(rng: Random, ids: IdCounter): StreamCommand {
  const k = key(rng)
  const group = (): string => (rng.chance(0.97) ? rng.pick(GROUPS) : 'rare-group')
  const consumer = (): string => rng.pick(CONSUMERS)
  const someIds = (): string[] => Array.from({ length: rng.between(1, 3) }, () => ids.any(rng))
  switch (rng.below(28)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5: {
      const args = ['XADD', k]
      if (rng.chance(0.05)) args.push('NOMKSTREAM')
      if (rng.chance(0.3)) args.push(...trimArgs(rng, ids))
      args.push(ids.next(rng))
      for (let pairs = rng.chance(0.02) ? 0 : rng.between(1, 2); pairs > 0; pairs--) {
        args.push(rng.pick(FIELDS), rng.pick(VALUES))
      }
      return exact(...args)
    }
    case 6:
      return exact('XDEL', k, ...someIds())
    case 7:
      return exact('XTRIM', k, ...trimArgs(rng, ids))
    case 8: {
      const args = ['XSETID', k, rng.chance(0.7) ? `${ids.ms}-${ids.seq + rng.below(3)}` : ids.any(rng)]
      if (rng.chance(0.3)) args.push('ENTRIESADDED', rng.pick(['0', '5', '100', '-1']))
      if (rng.chance(0.3)) args.push('MAXDELETEDID', ids.any(rng))
      return exact(...args)
    }
    case 9:
    case 10: {
      const args = ['XGROUP', 'CREATE', k, group(), groupId(rng, ids)]
      if (rng.chance(0.2)) args.push('MKSTREAM')
      if (rng.chance(0.2)) args.push('ENTRIESREAD', rng.pick(['0', '3', '-1', '1000', '-2']))
      return exact(...args)
    }
    case 11: {
      const args = ['XGROUP', 'SETID', k, group(), groupId(rng, ids)]
      if (rng.chance(0.3)) args.push('ENTRIESREAD', rng.pick(['0', '3', '-1', '1000']))
      return exact(...args)
    }
    case 12:
      return exact('XGROUP', rng.pick(['CREATECONSUMER', 'DELCONSUMER']), k, group(), consumer())
    case 13:
      return rng.chance(0.6)
        ? exact('XGROUP', 'DESTROY', k, group())
        : exact('XGROUP', 'CREATECONSUMER', k, group(), consumer())
    case 14:
    case 15:
    case 16:
    case 17: {
      const args = ['XREADGROUP', 'GROUP', group(), consumer()]
      if (rng.chance(0.6)) args.push('COUNT', count(rng))
      if (rng.chance(0.15)) args.push('NOACK')
      args.push('STREAMS', k, rng.chance(0.7) ? '>' : rng.pick(['0', ids.any(rng)]))
      return exact(...args)
    }
    case 18:
    case 19:
      return exact('XACK', k, group(), ...someIds())
    case 20: {
      const args = ['XCLAIM', k, group(), consumer(), '0', ...someIds()]
      if (rng.chance(0.3)) args.push('IDLE', '0')
      if (rng.chance(0.2)) args.push('RETRYCOUNT', rng.pick(['0', '3', '-1']))
      if (rng.chance(0.2)) args.push('FORCE')
      if (rng.chance(0.3)) args.push('JUSTID')
      if (rng.chance(0.1)) args.push('LASTID', ids.any(rng))
      return exact(...args)
    }
    case 21: {
      const args = ['XAUTOCLAIM', k, group(), consumer(), '0', rng.chance(0.5) ? '0' : ids.any(rng)]
      if (rng.chance(0.5)) args.push('COUNT', rng.pick(['1', '2', '5', '100', '0']))
      if (rng.chance(0.3)) args.push('JUSTID')
      return exact(...args)
    }
    case 22: {
      if (rng.chance(0.4)) return exact('XPENDING', k, group())
      const args = ['XPENDING', k, group()]
      if (rng.chance(0.5)) args.push('IDLE', '0')
      args.push(rangeBound(rng, ids, true), rangeBound(rng, ids, false), count(rng))
      if (rng.chance(0.4)) args.push(consumer())
      return { args, normalise: 'times' }
    }
    case 23:
    case 24: {
      const reverse = rng.chance(0.4)
      const low = rangeBound(rng, ids, true)
      const high = rangeBound(rng, ids, false)
      const args = reverse ? ['XREVRANGE', k, high, low] : ['XRANGE', k, low, high]
      if (rng.chance(0.4)) args.push('COUNT', count(rng))
      return exact(...args)
    }
    case 25:
      return exact('XLEN', k)
    case 26:
      return rng.chance(0.5)
        ? exact('XINFO', 'STREAM', k)
        : { args: ['XINFO', 'STREAM', k, 'FULL', 'COUNT', rng.pick(['1', '3', '10'])], normalise: 'times' }
    default:
      return rng.chance(0.1) ? exact('DEL', k) : exact('XINFO', 'GROUPS', k)
  }
}
