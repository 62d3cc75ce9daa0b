// Randomized differential test: a few thousand random collection commands (differential/random.ts)
// run against a real redis-server (the oracle) and against redwing, and every reply must match
// (byte for byte, or after sorting where Redis's order is a hash table's). One seed drives several
// runs with different encoding thresholds and protocols; the first mismatch of a run fails it with
// the seed, the step, the command, both replies and the commands that led there.
//
//   REDWING_RANDOM_SEED=n   replay seed n (printed in every failure)
//   REDWING_RANDOM_STEPS=n  commands per run (default 1000)
//   REDWING_RANDOM_TRACE=1  print every command with the oracle's reply
//   REDWING_DIFF_SELF=1     compare redis-server with a second redis-server (checks the test itself)

import { afterAll, assert, beforeAll, describe, test } from 'vitest'
import {
  DEFAULT_CONFIG,
  Random,
  RUNS,
  randomCommand,
  replyShape,
  seedFrom,
  sortedReply,
  type RandomCommand,
  type RunConfig,
} from './differential/random.js'
import { startServerPair, SUBJECT_NAME, type ServerPair } from './helpers/server-pair.js'
import { connect, encodeCommand, printable, type RespConnection } from './helpers/resp-client.js'

const SEED = seedFrom('REDWING_RANDOM_SEED')
const STEPS = Number(process.env.REDWING_RANDOM_STEPS ?? 1500)
const TRACE = process.env.REDWING_RANDOM_TRACE === '1'
const REPLY_TIMEOUT_MS = 3000
/** Commands shown before the failing one. */
const HISTORY_SHOWN = 12
const COMPACT_ENCODINGS = new Set(['listpack', 'intset', 'ziplist'])

let servers: ServerPair | undefined

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(() => servers?.close())

describe(`random collection commands: redis-server vs ${SUBJECT_NAME} (seed ${SEED})`, () => {
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
            const replay = `REDWING_RANDOM_SEED=${SEED} npx vitest run __test__/random.spec.ts -t '${run.name}'`
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

/** Empties the server and applies the run's settings over the defaults (whatever ran before). */
async function prepare(connection: RespConnection, run: RunConfig): Promise<void> {
  await expectOk(connection, ['FLUSHALL'])
  for (const [name, value] of [...DEFAULT_CONFIG, ...run.config]) {
    await expectOk(connection, ['CONFIG', 'SET', name, value])
  }
  if (run.protocol === 3) await connection.command('HELLO', '3')
}

async function expectOk(connection: RespConnection, args: string[]): Promise<void> {
  const reply = await connection.command(...args)
  if (reply.toString('latin1') !== '+OK\r\n') throw new Error(`${args.join(' ')} failed: ${printable(reply)}`)
}

async function send(connection: RespConnection, args: string[]): Promise<Buffer> {
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
    const [expected, actual] = await Promise.all([send(oracle, command.args), send(subject, command.args)])
    const problem = await compare(oracle, command, expected, actual)
    if (problem !== undefined) {
      return [
        `step ${step} of ${STEPS} (run seed ${seed}): ${problem}`,
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

function commandText(command: RandomCommand): string {
  return command.args.map((arg) => (/^[\x21-\x7e]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')
}

/** Why two replies to `command` disagree, or undefined when they agree. */
async function compare(
  oracle: RespConnection,
  command: RandomCommand,
  expected: Buffer,
  actual: Buffer,
): Promise<string | undefined> {
  if (expected.equals(actual)) return undefined
  const check = command.check
  switch (check.kind) {
    case 'exact':
      return 'the replies differ'
    case 'shape':
      return replyShape(expected) === replyShape(actual)
        ? undefined
        : `the replies differ in type or size (${replyShape(expected)} vs ${replyShape(actual)})`
    case 'unordered': {
      if (!sortedReply(expected, check.pairs).equals(sortedReply(actual, check.pairs))) return 'the replies differ'
      if (check.orderKey === undefined) return undefined
      // Same elements in another order: only allowed when Redis's order is a hash table's.
      const encoding = (await send(oracle, ['OBJECT', 'ENCODING', check.orderKey])).toString('latin1')
      const name = /^\$\d+\r\n(.*)\r\n$/.exec(encoding)?.[1] ?? encoding
      return COMPACT_ENCODINGS.has(name) ? `the order differs although the key is a ${name}` : undefined
    }
  }
}
