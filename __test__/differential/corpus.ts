// Loads and parses the differential-test corpus: the command sequences in
// corpus/*.txt that are replayed against a real redis-server and against
// redwing, whose raw reply bytes must then match.
//
// FORMAT (one step per line, files run top to bottom on a fresh connection
// after FLUSHALL; server configuration is not reset between files, so a file
// that uses CONFIG SET restores the old values at its end):
//
//   # comment            Lines whose first non-blank character is '#', and
//                        blank lines, are ignored. ('#' elsewhere is data.)
//   SET key "a b"        A command. Arguments are split on whitespace,
//                        redis-cli style:
//                          bare words are taken literally (backslashes and
//                            quotes inside them included), e.g. a\*b;
//                          "double quotes" understand \xHH, \n, \r, \t, \b,
//                            \a, \\ and \" (any other \c stands for c);
//                          'single quotes' are literal except for \';
//                        a closing quote must end the argument.
//                        The reply must be byte-for-byte identical.
//
// Directives start the line with a word beginning with '@'. Those that take a
// command change how its reply is compared:
//
//   @type CMD ...        Compare only the reply's RESP type byte (for values
//                        that legitimately differ: ids, times, sizes). If
//                        both replies are errors they are compared in full.
//   @sort CMD ...        Compare top-level arrays and sets as sorted lists of
//                        elements, and maps as sorted lists of pairs.
//   @sortpairs CMD ...   Like @sort, but a flat array is sorted as key/value
//                        pairs (RESP2 replies such as CONFIG GET "max*").
//   @mask FIELD CMD ...  In a map or flat key/value array, replace the value
//                        of FIELD by a placeholder (e.g. @mask id HELLO 3).
//   @scan CMD ...        Iterate a SCAN-family command, starting from the
//                        cursor written in the line (normally 0) and passing
//                        each returned cursor in place of the cursor argument
//                        (the first argument of SCAN, the second of
//                        HSCAN/SSCAN/ZSCAN) until it comes back as 0, then
//                        compare the sorted set of collected elements (pairs
//                        for HSCAN/ZSCAN). An error reply is compared as is.
//   @noreply CMD ...     Send the command and expect no reply at all within a
//                        short quiet period (CLIENT REPLY OFF/SKIP).
//
// and the others drive the connection:
//
//   @raw "BYTES"         Send the bytes of the single argument as they are
//                        (inline commands, protocol errors) and compare the
//                        next reply.
//   @read                Compare one more reply without sending anything
//                        (pipelined @raw commands, RESP3 push messages).
//   @closed              Expect the server to close the connection (after a
//                        protocol error); compares closed vs. still open.
//   @reconnect           Replace the connection with a new one (the data set
//                        is kept; connection state such as SELECT is not).
//   @sleep MS            Wait MS milliseconds. Keep these rare and short:
//                        prefer PX 1 or timestamps in the past for expiry.
//
// SEVERAL CLIENTS. A file may drive several connections per server in lock
// step (blocking commands, CLIENT UNBLOCK/KILL). Each connection has a name;
// the file starts on client A, the only one that sees the FLUSHALL. Every line
// above (commands, @read, @raw, @closed, @reconnect...) acts on the ACTIVE
// client; each step finishes on both servers before the next one starts.
//
//   @client NAME         Make client NAME (letters, digits, '_' or '-') the
//                        active one, opening its connections on first use
//                        (fresh connections: RESP2, database 0).
//   @send CMD ...        Send the command without reading its reply, which is
//                        expected later (a blocking command, or a command
//                        pipelined behind it), then wait a short quiet period
//                        so the servers have read it before the next step;
//                        compares "no reply yet" vs. what arrived meanwhile.
//                        Read the reply with @read once it is due.
//   @blocked             Wait a short quiet period and expect that nothing
//                        (more) has arrived on the active client: it is still
//                        blocked. Compares "no reply yet" vs. the unread bytes.
//   @ids CMD ...         A command in which every argument written {NAME} is
//                        replaced by the connection id (CLIENT ID) of client
//                        NAME on the same server, e.g. @ids CLIENT UNBLOCK {B}
//                        TIMEOUT. The ids are asked for when those clients
//                        connect (only for clients a file names in {NAME}).
//
// A client still blocked at the end of a file is simply disconnected; bytes
// left unread on any client fail the file.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type CommandComparison =
  { kind: 'exact' } | { kind: 'type' } | { kind: 'sort' } | { kind: 'sortpairs' } | { kind: 'mask'; field: string }

/** A command argument: literal bytes, or (in @ids lines) the connection id of a named client. */
export type Argument = Buffer | { clientId: string }

export type StepAction =
  | { kind: 'command'; args: Argument[]; comparison: CommandComparison }
  | { kind: 'send'; args: Buffer[] }
  | { kind: 'blocked' }
  | { kind: 'client'; name: string }
  | { kind: 'scan'; args: Buffer[] }
  | { kind: 'noreply'; args: Buffer[] }
  | { kind: 'raw'; bytes: Buffer }
  | { kind: 'read' }
  | { kind: 'closed' }
  | { kind: 'reconnect' }
  | { kind: 'sleep'; ms: number }

export interface Step {
  /** 1-based line number in the corpus file. */
  line: number
  /** The line as written, for failure messages. */
  source: string
  action: StepAction
}

export interface CorpusFile {
  name: string
  steps: Step[]
  /** Clients whose connection id some @ids line uses. */
  clientsWithIds: Set<string>
}

/** The client a file starts on. */
export const DEFAULT_CLIENT = 'A'
const CLIENT_NAME = /^[A-Za-z0-9_-]+$/
const CLIENT_ID_PLACEHOLDER = /^\{([A-Za-z0-9_-]+)\}$/

export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url))

/** Reads every corpus/*.txt file, sorted by name. */
export function loadCorpus(dir: string = CORPUS_DIR): CorpusFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const steps = parseCorpus(readFileSync(join(dir, name), 'utf8'), name)
      return { name, steps, clientsWithIds: clientsWithIds(steps) }
    })
}

/** The clients whose ids the steps of a file refer to. */
export function clientsWithIds(steps: Step[]): Set<string> {
  const names = new Set<string>()
  for (const { action } of steps) {
    if (action.kind !== 'command') continue
    for (const arg of action.args) if (!Buffer.isBuffer(arg)) names.add(arg.clientId)
  }
  return names
}

export function parseCorpus(text: string, fileName: string): Step[] {
  const steps: Step[] = []
  text.split('\n').forEach((rawLine, index) => {
    const source = rawLine.replace(/\r$/, '').trim()
    if (source === '' || source.startsWith('#')) return
    const line = index + 1
    try {
      steps.push({ line, source, action: parseAction(splitArguments(source)) })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`${fileName}:${line}: ${reason}: ${source}`)
    }
  })
  return steps
}

function parseAction(words: Buffer[]): StepAction {
  const [first, ...rest] = words
  if (first === undefined) throw new Error('empty line')
  const directive = first.toString()
  if (!directive.startsWith('@')) return { kind: 'command', args: words, comparison: { kind: 'exact' } }

  const requireCommand = (args: Buffer[]): Buffer[] => {
    if (args.length === 0) throw new Error(`${directive} needs a command`)
    return args
  }
  const requireNoArguments = (): void => {
    if (rest.length > 0) throw new Error(`${directive} takes no arguments`)
  }

  switch (directive) {
    case '@type':
    case '@sort':
    case '@sortpairs':
      return {
        kind: 'command',
        args: requireCommand(rest),
        comparison: { kind: directive.slice(1) as 'type' | 'sort' | 'sortpairs' },
      }
    case '@mask': {
      const [field, ...command] = rest
      if (field === undefined) throw new Error('@mask needs a field name and a command')
      return { kind: 'command', args: requireCommand(command), comparison: { kind: 'mask', field: field.toString() } }
    }
    case '@scan':
      return { kind: 'scan', args: requireCommand(rest) }
    case '@noreply':
      return { kind: 'noreply', args: requireCommand(rest) }
    case '@send':
      return { kind: 'send', args: requireCommand(rest) }
    case '@blocked':
      requireNoArguments()
      return { kind: 'blocked' }
    case '@client': {
      const name = rest[0]?.toString() ?? ''
      if (rest.length !== 1 || !CLIENT_NAME.test(name))
        throw new Error('@client takes one name (letters, digits, _ or -)')
      return { kind: 'client', name }
    }
    case '@ids': {
      const args: Argument[] = requireCommand(rest).map((arg) => {
        const placeholder = CLIENT_ID_PLACEHOLDER.exec(arg.toString('latin1'))
        return placeholder?.[1] === undefined ? arg : { clientId: placeholder[1] }
      })
      if (args.every((arg) => Buffer.isBuffer(arg))) throw new Error('@ids needs an argument written {NAME}')
      return { kind: 'command', args, comparison: { kind: 'exact' } }
    }
    case '@raw': {
      const [bytes] = rest
      if (bytes === undefined || rest.length !== 1) throw new Error('@raw takes exactly one (quoted) argument')
      return { kind: 'raw', bytes }
    }
    case '@read':
      requireNoArguments()
      return { kind: 'read' }
    case '@closed':
      requireNoArguments()
      return { kind: 'closed' }
    case '@reconnect':
      requireNoArguments()
      return { kind: 'reconnect' }
    case '@sleep': {
      const ms = Number(rest[0]?.toString())
      if (rest.length !== 1 || !Number.isInteger(ms) || ms < 0) throw new Error('@sleep takes a number of milliseconds')
      return { kind: 'sleep', ms }
    }
    default:
      throw new Error(`unknown directive ${directive}`)
  }
}

const WHITESPACE = /\s/
const CONTROL_ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, a: 0x07 }

/** Splits a line into binary-safe arguments (see FORMAT above). */
export function splitArguments(line: string): Buffer[] {
  const args: Buffer[] = []
  let position = 0
  while (position < line.length) {
    const char = line.charAt(position)
    if (WHITESPACE.test(char)) {
      position++
      continue
    }
    let end: number
    if (char === '"' || char === "'") {
      const quoted = char === '"' ? readDoubleQuoted(line, position + 1) : readSingleQuoted(line, position + 1)
      end = quoted.end
      const next = line.charAt(end)
      if (next !== '' && !WHITESPACE.test(next)) throw new Error('a closing quote must be followed by a space')
      args.push(quoted.bytes)
    } else {
      end = position
      while (end < line.length && !WHITESPACE.test(line.charAt(end))) end++
      args.push(Buffer.from(line.slice(position, end)))
    }
    position = end
  }
  return args
}

function readDoubleQuoted(line: string, start: number): { bytes: Buffer; end: number } {
  const parts: Buffer[] = []
  let literal = ''
  const appendBytes = (bytes: Buffer): void => {
    parts.push(Buffer.from(literal), bytes)
    literal = ''
  }
  let position = start
  while (position < line.length) {
    const char = line.charAt(position)
    if (char === '"') {
      appendBytes(Buffer.alloc(0))
      return { bytes: Buffer.concat(parts), end: position + 1 }
    }
    if (char !== '\\') {
      literal += char
      position++
      continue
    }
    const escaped = line.charAt(position + 1)
    const hex = line.slice(position + 2, position + 4)
    if (escaped === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      appendBytes(Buffer.from([parseInt(hex, 16)]))
      position += 4
      continue
    }
    if (escaped === '') break
    const control = CONTROL_ESCAPES[escaped]
    if (control === undefined) literal += escaped
    else appendBytes(Buffer.from([control]))
    position += 2
  }
  throw new Error('unbalanced double quotes')
}

function readSingleQuoted(line: string, start: number): { bytes: Buffer; end: number } {
  let text = ''
  let position = start
  while (position < line.length) {
    const char = line.charAt(position)
    if (char === "'") return { bytes: Buffer.from(text), end: position + 1 }
    if (char === '\\' && line.charAt(position + 1) === "'") {
      text += "'"
      position += 2
      continue
    }
    text += char
    position++
  }
  throw new Error('unbalanced single quotes')
}
