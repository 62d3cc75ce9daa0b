// Differential tests: every corpus file (differential/corpus/*.txt, format
// documented in differential/corpus.ts) is replayed against a real
// redis-server (the oracle) and against redwing, and each reply must be
// byte-for-byte identical (or equal after the normalisation a line's directive
// asks for). Expected bytes always come from the live oracle, never from this
// file. With REDWING_DIFF_SELF=1 the second server is another redis-server
// instead of redwing, which checks that the corpus itself is deterministic;
// REDWING_DIFF_TRACE=1 prints every step with the oracle's reply, and
// REDWING_DIFF_FILE=name.txt runs only that corpus file.

import { afterAll, assert, beforeAll, describe, test } from 'vitest'
import {
  DEFAULT_CLIENT,
  loadCorpus,
  type Argument,
  type CommandComparison,
  type CorpusFile,
  type Step,
  type StepAction,
} from './differential/corpus.js'
import { startServerPair, SUBJECT_NAME, type ServerPair } from './helpers/server-pair.js'
import { connect, encodeCommand, printable, splitReplies, type RespConnection } from './helpers/resp-client.js'

/** REDWING_DIFF_TRACE=1 prints every step with the oracle's observation (for writing corpus files). */
const TRACE = process.env.REDWING_DIFF_TRACE === '1'
const REPLY_TIMEOUT_MS = 3000
/** How long a @noreply command, a @send or a @blocked client must stay silent. */
const QUIET_PERIOD_MS = 50
const CLOSE_TIMEOUT_MS = 1000
const MAX_SCAN_ROUNDS = 10_000
const MAX_REPORTED_MISMATCHES = 25

/** One connection of a named client, with its CLIENT ID when the file needs it. */
interface Client {
  connection: RespConnection
  id?: Buffer
}

/** One server under comparison and the connections the current file uses. */
interface Side {
  name: string
  port: number
  clients: Map<string, Client>
  /** The client the steps act on (see @client). */
  active: string
  /** Clients whose id must be asked for when they connect. */
  clientsWithIds: Set<string>
}

/**
 * What one side did for one step. `reply` is compared through `compared`
 * (the reply after the directive's normalisation); `status` describes a
 * connection-level outcome; `broken` means the stream can no longer be
 * trusted and the rest of the file is skipped.
 */
type Observation =
  { kind: 'reply'; raw: Buffer; compared: Buffer } | { kind: 'status'; text: string } | { kind: 'broken'; text: string }

interface Mismatch {
  step: Step
  oracle: Observation
  subject: Observation
}

const onlyFile = process.env.REDWING_DIFF_FILE
const corpus = loadCorpus().filter((file) => onlyFile === undefined || file.name === onlyFile)
let servers: ServerPair | undefined

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(() => servers?.close())

describe(`differential: redis-server vs ${SUBJECT_NAME}`, () => {
  test('the corpus is not empty', () => {
    assert.isAbove(corpus.length, 0)
  })

  for (const file of corpus) {
    test(
      file.name,
      async () => {
        const mismatches = await runCorpusFile(file)
        if (mismatches.length > 0) assert.fail(formatReport(file, mismatches))
      },
      60_000,
    )
  }
})

async function runCorpusFile(file: CorpusFile): Promise<Mismatch[]> {
  if (!servers) throw new Error('the servers did not start')
  const oracle = await openSide('redis-server', servers.oracle.port, file.clientsWithIds)
  const subject = await openSide(SUBJECT_NAME, servers.subject.port, file.clientsWithIds)
  const mismatches: Mismatch[] = []
  try {
    for (const step of file.steps) {
      const action = step.action
      if (action.kind === 'sleep') {
        await delay(action.ms)
        continue
      }
      if (action.kind === 'reconnect') {
        await Promise.all([reconnect(oracle), reconnect(subject)])
        continue
      }
      if (action.kind === 'client') {
        await Promise.all([switchClient(oracle, action.name), switchClient(subject, action.name)])
        continue
      }
      const [fromOracle, fromSubject] = await Promise.all([observe(oracle, action), observe(subject, action)])
      if (TRACE)
        console.log(
          `${file.name}:${step.line} [${oracle.active}] ${step.source}\n    ${describeObservation(fromOracle)}`,
        )
      if (!sameObservation(fromOracle, fromSubject)) {
        mismatches.push({ step, oracle: fromOracle, subject: fromSubject })
      }
      if (fromOracle.kind === 'broken' || fromSubject.kind === 'broken') return mismatches
    }
    // Replies nobody read (an extra reply, a push without @read) fail the file too.
    const lastStep = file.steps.at(-1)
    if (lastStep && unreadBytes(oracle) + unreadBytes(subject) > 0) {
      mismatches.push({ step: lastStep, oracle: unreadStatus(oracle), subject: unreadStatus(subject) })
    }
    return mismatches
  } finally {
    await Promise.all([closeSide(oracle), closeSide(subject)])
  }
}

async function openSide(name: string, port: number, clientsWithIds: Set<string>): Promise<Side> {
  const side: Side = { name, port, clients: new Map(), active: DEFAULT_CLIENT, clientsWithIds }
  const { connection } = await openClient(side, DEFAULT_CLIENT)
  const reply = await connection.command('FLUSHALL')
  if (!reply.equals(Buffer.from('+OK\r\n'))) {
    throw new Error(`${name}: FLUSHALL before the corpus file failed: ${printable(reply)}`)
  }
  return side
}

/** Connects client `name` (replacing an existing connection), asking for its id if the file needs it. */
async function openClient(side: Side, name: string): Promise<Client> {
  const client: Client = { connection: await connect(side.port) }
  if (side.clientsWithIds.has(name)) {
    const reply = await client.connection.command('CLIENT', 'ID')
    const id = /^:(\d+)\r\n$/.exec(reply.toString('latin1'))?.[1]
    if (id === undefined) throw new Error(`${side.name}: CLIENT ID for client ${name} failed: ${printable(reply)}`)
    client.id = Buffer.from(id)
  }
  side.clients.set(name, client)
  return client
}

async function switchClient(side: Side, name: string): Promise<void> {
  if (!side.clients.has(name)) await openClient(side, name)
  side.active = name
}

function activeConnection(side: Side): RespConnection {
  const client = side.clients.get(side.active)
  if (!client) throw new Error(`client ${side.active} is not connected`)
  return client.connection
}

function unreadBytes(side: Side): number {
  let total = 0
  for (const client of side.clients.values()) total += client.connection.unreadBytes()
  return total
}

function unreadStatus(side: Side): Observation {
  const counts = [...side.clients].filter(([, client]) => client.connection.unreadBytes() > 0)
  const text = counts.map(([name, client]) => `${client.connection.unreadBytes()} on client ${name}`).join(', ')
  return { kind: 'status', text: `unread bytes after the last line: ${text || 'none'}` }
}

async function closeSide(side: Side): Promise<void> {
  await Promise.all([...side.clients.values()].map((client) => client.connection.close()))
}

async function reconnect(side: Side): Promise<void> {
  await activeConnection(side).close()
  await openClient(side, side.active)
}

/** The arguments of a command with every {NAME} placeholder replaced by that client's id on `side`. */
function resolveArguments(side: Side, args: Argument[]): Buffer[] {
  return args.map((arg) => {
    if (Buffer.isBuffer(arg)) return arg
    const id = side.clients.get(arg.clientId)?.id
    if (id === undefined) throw new Error(`client ${arg.clientId} has not connected yet`)
    return id
  })
}

/** "no reply yet", or what the active client received that nobody has read. */
async function quietStatus(connection: RespConnection): Promise<Observation> {
  await delay(QUIET_PERIOD_MS)
  const unread = connection.peekUnread()
  return { kind: 'status', text: unread.length === 0 ? 'no reply yet' : `received ${printable(unread, 400)}` }
}

async function observe(
  side: Side,
  action: Exclude<StepAction, { kind: 'sleep' | 'reconnect' | 'client' }>,
): Promise<Observation> {
  try {
    const connection = activeConnection(side)
    switch (action.kind) {
      case 'command': {
        const raw = await readAfter(connection, encodeCommand(resolveArguments(side, action.args)))
        return { kind: 'reply', raw, compared: normalize(raw, action.comparison) }
      }
      case 'send':
        connection.send(encodeCommand(action.args))
        return await quietStatus(connection)
      case 'blocked':
        return await quietStatus(connection)
      case 'scan':
        return await scanAll(connection, action.args)
      case 'raw': {
        const raw = await readAfter(connection, action.bytes)
        return { kind: 'reply', raw, compared: raw }
      }
      case 'read': {
        const raw = await connection.readReply(REPLY_TIMEOUT_MS)
        return { kind: 'reply', raw, compared: raw }
      }
      case 'noreply': {
        connection.send(encodeCommand(action.args))
        await delay(QUIET_PERIOD_MS)
        const unread = connection.unreadBytes()
        return unread === 0
          ? { kind: 'status', text: 'no reply' }
          : { kind: 'broken', text: `replied (${unread} bytes) to a command that must not be answered` }
      }
      case 'closed': {
        const closed = await connection.waitForClose(CLOSE_TIMEOUT_MS)
        return { kind: 'status', text: closed ? 'connection closed' : 'connection still open' }
      }
    }
  } catch (error) {
    return { kind: 'broken', text: error instanceof Error ? error.message : String(error) }
  }
}

function readAfter(connection: RespConnection, request: Buffer): Promise<Buffer> {
  const reply = connection.readReply(REPLY_TIMEOUT_MS)
  connection.send(request)
  return reply
}

function sameObservation(a: Observation, b: Observation): boolean {
  if (a.kind === 'reply' && b.kind === 'reply') return a.compared.equals(b.compared)
  if (a.kind === 'status' && b.kind === 'status') return a.text === b.text
  return false
}

const AGGREGATE_TYPES = new Set(['*', '~', '>', '%'])

/** Splits an aggregate reply into its header line and its element replies. */
function splitAggregate(reply: Buffer): { header: Buffer; elements: Buffer[] } | undefined {
  const type = String.fromCharCode(reply[0] ?? 0)
  if (!AGGREGATE_TYPES.has(type) || reply[1] === 0x2d /* "-1": null array */) return undefined
  const headerLength = reply.indexOf('\r\n') + 2
  return { header: reply.subarray(0, headerLength), elements: splitReplies(reply.subarray(headerLength)).replies }
}

function normalize(reply: Buffer, comparison: CommandComparison): Buffer {
  switch (comparison.kind) {
    case 'exact':
      return reply
    case 'type':
      return reply[0] === 0x2d /* '-' */ ? reply : reply.subarray(0, 1)
    case 'sort': {
      const aggregate = splitAggregate(reply)
      if (!aggregate) return reply
      const groupSize = reply[0] === 0x25 /* '%' */ ? 2 : 1
      return Buffer.concat([aggregate.header, ...sortGroups(aggregate.elements, groupSize)])
    }
    case 'sortpairs': {
      const aggregate = splitAggregate(reply)
      return aggregate ? Buffer.concat([aggregate.header, ...sortGroups(aggregate.elements, 2)]) : reply
    }
    case 'mask': {
      const aggregate = splitAggregate(reply)
      if (!aggregate) return reply
      const masked = aggregate.elements.map((element, index) =>
        index % 2 === 1 && stringContent(aggregate.elements[index - 1]) === comparison.field
          ? Buffer.from('+<masked>\r\n')
          : element,
      )
      return Buffer.concat([aggregate.header, ...masked])
    }
  }
}

/** Sorts elements in groups of `size` (pairs stay together), by their bytes. */
function sortGroups(elements: Buffer[], size: number): Buffer[] {
  const groups: Buffer[] = []
  for (let i = 0; i < elements.length; i += size) groups.push(Buffer.concat(elements.slice(i, i + size)))
  return groups.sort(Buffer.compare)
}

/** The text of a bulk or simple string reply, undefined for other types. */
function stringContent(reply: Buffer | undefined): string | undefined {
  if (reply === undefined) return undefined
  if (reply[0] === 0x2b /* '+' */) return reply.toString('latin1', 1, reply.length - 2)
  if (reply[0] === 0x24 /* '$' */ && reply[1] !== 0x2d)
    return reply.toString('latin1', reply.indexOf('\r\n') + 2, reply.length - 2)
  return undefined
}

/**
 * Runs a SCAN-family command until its cursor comes back to 0 and reports the
 * sorted, de-duplicated elements as one synthetic RESP array.
 */
async function scanAll(connection: RespConnection, template: Buffer[]): Promise<Observation> {
  const commandName = template[0]?.toString().toUpperCase()
  const cursorIndex = commandName === 'SCAN' ? 1 : 2
  const groupSize = commandName === 'HSCAN' || commandName === 'ZSCAN' ? 2 : 1
  const args = [...template]
  const collected = new Map<string, Buffer>()
  for (let round = 0; round < MAX_SCAN_ROUNDS; round++) {
    const reply = await readAfter(connection, encodeCommand(args))
    const page = splitAggregate(reply)
    const cursor = stringContent(page?.elements[0])
    const batch = page?.elements[1] ? splitAggregate(page.elements[1]) : undefined
    if (reply[0] !== 0x2a /* '*' */ || page?.elements.length !== 2 || cursor === undefined || batch === undefined) {
      // Errors and malformed pages are compared as they are.
      return { kind: 'reply', raw: reply, compared: reply }
    }
    for (const group of sortGroups(batch.elements, groupSize)) collected.set(group.toString('hex'), group)
    if (cursor === '0') {
      const elements = [...collected.values()].sort(Buffer.compare)
      const summary = Buffer.concat([Buffer.from(`*${elements.length * groupSize}\r\n`), ...elements])
      return { kind: 'reply', raw: summary, compared: summary }
    }
    args[cursorIndex] = Buffer.from(cursor)
  }
  return { kind: 'broken', text: `SCAN did not finish within ${MAX_SCAN_ROUNDS} rounds` }
}

function formatReport(file: CorpusFile, mismatches: Mismatch[]): string {
  const lines = [`redis-server and ${SUBJECT_NAME} disagree on ${mismatches.length} step(s) of ${file.name}:`]
  const shown = mismatches.slice(0, MAX_REPORTED_MISMATCHES)
  const last = mismatches.at(-1)
  const stoppedEarly = last !== undefined && (last.oracle.kind === 'broken' || last.subject.kind === 'broken')
  if (mismatches.length > shown.length) {
    // Always show why the run stopped, even when the list is cut short.
    if (stoppedEarly) shown.push(last)
    lines.push(`  (showing ${shown.length})`)
  }
  for (const { step, oracle, subject } of shown) {
    lines.push('', `  ${file.name}:${step.line}: ${step.source}`)
    lines.push(`    ${label('redis-server')}${describeObservation(oracle)}`)
    lines.push(`    ${label(SUBJECT_NAME)}${describeObservation(subject)}`)
    if (oracle.kind === 'reply' && subject.kind === 'reply') {
      if (oracle.compared !== oracle.raw || subject.compared !== subject.raw) {
        lines.push(`    compared after the directive's normalisation:`)
        lines.push(`    ${label('redis-server')}${printable(oracle.compared)}`)
        lines.push(`    ${label(SUBJECT_NAME)}${printable(subject.compared)}`)
      }
      lines.push(`    first difference at byte ${firstDifference(oracle.compared, subject.compared)}`)
    }
  }
  if (stoppedEarly) lines.push('', `  The rest of ${file.name} was skipped: the connection could no longer be trusted.`)
  return lines.join('\n')
}

/** Pads a server name so that the replies printed after it line up. */
function label(name: string): string {
  return `${name}:`.padEnd(Math.max('redis-server'.length, SUBJECT_NAME.length) + 2)
}

function describeObservation(observation: Observation): string {
  switch (observation.kind) {
    case 'reply':
      return printable(observation.raw)
    case 'status':
      return `<${observation.text}>`
    case 'broken':
      return `<no usable reply: ${observation.text}>`
  }
}

function firstDifference(a: Buffer, b: Buffer): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i
  return length
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
