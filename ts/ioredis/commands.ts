// What redwing/ioredis knows about each command, taken from redwing's command table
// (`ts/commands/spec`): the method names to generate, which arguments are keys (for
// `keyPrefix`), which commands may wait for data, and ioredis's argument and reply conversions.
//
// Keys are found with the command's key specs, as Redis's COMMAND GETKEYS finds them: a start
// (an index, or the argument after a keyword) and a range or a key count. SORT's key specs are
// "unknown" (its BY and GET patterns and STORE key are options), so SORT is read by hand, as
// ioredis does. Like ioredis, which reads COMMAND's first and last key positions, where a
// command with subcommands has none, no key of XGROUP, XINFO, OBJECT or MEMORY is prefixed.

import { loadSpecs, type KeySpec } from '../commands/table.js'
import type { Arg } from '../embedded/codec.js'
import { objectFromPairs } from '../embedded/records.js'

interface Index {
  index: number
}
interface Keyword {
  keyword: { keyword: string; startfrom: number }
}
interface Range {
  range: { lastkey: number; keystep: number; limit: number }
}
interface KeyNum {
  keynum: { keynumidx: number; firstkey: number; keystep: number }
}

const specs = loadSpecs()

/** Every command's method name: its name in lower case, as ioredis generates them. */
export const COMMAND_NAMES: readonly string[] = specs.map((spec) => spec.name)

/** The key specs of each command. */
const keySpecs = new Map<string, KeySpec[]>()
for (const spec of specs) {
  const usable = (spec.key_specs ?? []).filter((key) => typeof key.begin_search === 'object')
  if (usable.length > 0) keySpecs.set(spec.name, usable)
}

/** Commands that may wait for data (BLPOP, XREAD BLOCK…): their reply can come later. */
export const WAITING_COMMANDS: ReadonlySet<string> = new Set(
  specs.filter((spec) => spec.flags.includes('blocking')).map((spec) => spec.name),
)

/** Where the keys are in `args` (the arguments after the command name). */
export function keyIndexes(name: string, args: readonly Arg[]): number[] {
  if (name === 'sort' || name === 'sort_ro') return sortKeyIndexes(args)
  const specsOfCommand = keySpecs.get(name)
  if (!specsOfCommand) return []
  // Key specs count positions in the whole command, its name at 0.
  const argc = args.length + 1
  const indexes = new Set<number>()
  for (const spec of specsOfCommand) {
    const start = searchStart(spec.begin_search as Index | Keyword, args, argc)
    if (start < 0) continue
    const find = spec.find_keys as Range | KeyNum
    let first = start
    let last: number
    let step: number
    if ('range' in find) {
      const { lastkey, keystep, limit } = find.range
      step = keystep
      if (lastkey >= 0) last = start + lastkey
      else if (limit <= 1) last = argc + lastkey
      else last = start + Math.floor((argc - start) / limit) + lastkey
    } else {
      const { keynumidx, firstkey, keystep } = find.keynum
      const count = Number(args[start + keynumidx - 1])
      if (!Number.isInteger(count) || count <= 0) continue
      step = keystep
      first = start + firstkey
      last = first + (count - 1) * keystep
    }
    for (let at = first; at <= last && at < argc; at += step) indexes.add(at - 1)
  }
  return [...indexes].sort((a, b) => a - b)
}

/** Where a key spec starts looking, in whole-command positions; -1 when it finds nothing. */
function searchStart(begin: Index | Keyword, args: readonly Arg[], argc: number): number {
  if ('index' in begin) return begin.index
  const { keyword, startfrom } = begin.keyword
  const matches = (at: number) => String(args[at - 1]).toUpperCase() === keyword
  if (startfrom >= 0) {
    for (let at = startfrom; at < argc; at++) if (matches(at)) return at + 1
  } else {
    for (let at = argc + startfrom; at > 0; at--) if (matches(at)) return at + 1
  }
  return -1
}

/** SORT key [BY pattern] [GET pattern…] [STORE destination]: the patterns name keys too. */
function sortKeyIndexes(args: readonly Arg[]): number[] {
  const indexes = [0]
  for (let at = 1; at < args.length - 1; at++) {
    const option = String(args[at]).toUpperCase()
    if (option === 'BY' || option === 'STORE') indexes.push(++at)
    else if (option === 'GET' && String(args[++at]) !== '#') indexes.push(at)
  }
  return indexes
}

/** Prepends `prefix` to each key of a command (`command[0]` is its name). */
export function prefixKeys(command: Arg[], name: string, prefix: string | Buffer): void {
  const args = command.slice(1)
  for (const at of keyIndexes(name, args)) {
    const key = command[at + 1]!
    if (typeof prefix === 'string' && typeof key === 'string') command[at + 1] = prefix + key
    else
      command[at + 1] = Buffer.concat([
        Buffer.from(prefix),
        typeof key === 'string' ? Buffer.from(key) : (key as Buffer),
      ])
  }
}

/** Conversions of a command's arguments (after arrays are spread one level) and of its reply
 * that replace the built-in ones of the command, as ioredis's `Command.setArgumentTransformer` and
 * `Command.setReplyTransformer` set them, for every client. */
export const customArgumentTransformers = new Map<string, (args: unknown[]) => unknown[]>()
export const customReplyTransformers = new Map<string, (reply: unknown) => unknown>()

/** ioredis's `Command`, for its transformer registry: `Redis.Command.setReplyTransformer('get',
 * fn)` makes every client's GET resolve with `fn(reply)`. */
export class Command {
  static setArgumentTransformer(name: string, transform: (args: unknown[]) => unknown[]): void {
    customArgumentTransformers.set(name, transform)
  }

  static setReplyTransformer(name: string, transform: (reply: unknown) => unknown): void {
    customReplyTransformers.set(name, transform)
  }
}

/** ioredis's argument conversion: arrays are spread one level, objects and Maps become
 * alternating names and values for MSET, MSETNX, HSET and HMSET, `null` and `undefined` become
 * empty strings, and anything else that is not bytes becomes its string. Returns the command
 * with its name first. */
export function commandArgs(name: string, args: readonly unknown[]): Arg[] {
  const transform = customArgumentTransformers.size > 0 ? customArgumentTransformers.get(name) : undefined
  if (transform) return [name, ...transform(args.flat()).map(toArg)]
  // Strings and numbers, the usual arguments, need no conversion.
  const plain: Arg[] = new Array(args.length + 1)
  plain[0] = name
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (typeof arg !== 'string' && typeof arg !== 'number') return convertedArgs(name, args)
    plain[i + 1] = arg
  }
  return plain
}

function convertedArgs(name: string, args: readonly unknown[]): Arg[] {
  const command: Arg[] = [name]
  if (args.length === 1 && (name === 'mset' || name === 'msetnx') && isRecord(args[0])) {
    pushPairs(command, args[0])
    return command
  }
  if (args.length === 2 && (name === 'hset' || name === 'hmset') && isRecord(args[1])) {
    pushArg(command, args[0])
    pushPairs(command, args[1])
    return command
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (Array.isArray(arg)) for (const item of arg) pushArg(command, item)
    else pushArg(command, arg)
  }
  return command
}

function pushArg(command: Arg[], arg: unknown): void {
  command.push(toArg(arg))
}

/** One argument as ioredis converts it: bytes, strings and numbers as they are, `null` and
 * `undefined` as empty strings, anything else as its string. */
export function toArg(arg: unknown): Arg {
  if (typeof arg === 'string' || typeof arg === 'number' || arg instanceof Uint8Array) return arg
  return arg === null || arg === undefined ? '' : String(arg)
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function pushPairs(command: Arg[], entries: object): void {
  if (entries instanceof Map) {
    for (const [name, value] of entries) {
      pushArg(command, name)
      pushArg(command, value)
    }
  } else {
    for (const name of Object.keys(entries)) {
      command.push(name)
      pushArg(command, (entries as Record<string, unknown>)[name])
    }
  }
}

/** `transformReply`, with what a reply transformer throws returned as the command's error (an
 * Error), since ioredis fails the command with it. */
export function settleReply(name: string, reply: unknown): unknown {
  try {
    return transformReply(name, reply)
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

/** ioredis's reply conversions: HGETALL's flat array becomes an object. */
function transformReply(name: string, reply: unknown): unknown {
  if (customReplyTransformers.size > 0) {
    const transform = customReplyTransformers.get(name)
    if (transform) return transform(reply)
  }
  if (name === 'hgetall' && Array.isArray(reply)) return objectFromPairs(reply)
  return reply
}

/** Bulk strings read as Buffers turned into strings (a string command's reply inside an EXEC
 * read with Buffers for its Buffer commands). */
export function buffersToStrings(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString()
  if (Array.isArray(reply)) return reply.map(buffersToStrings)
  return reply
}
