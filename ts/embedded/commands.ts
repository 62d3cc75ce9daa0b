// What every family of the embedded store's typed methods builds on.
//
// The typed methods live in one file per command family (`strings.ts`, `hashes.ts`…), each an
// abstract class extending `Commands`; `store.ts` copies their methods onto `Redwing` and
// merges their types into it (TypeScript's mixin pattern), so `Redwing` has them all while
// each family stays readable on its own. A method only needs to send a command and shape the
// reply: `run` sends any command given as an array, and `run1`…`run3` send the common short
// ones without making the array, writing the arguments straight into the request buffer.
//
// The helpers below shape replies. Each accepts both protocols' forms, since a session may
// switch to RESP3 with `call('HELLO', 3)`: RESP2 sends maps and scored members as flat arrays,
// scores as strings, and sets as arrays; RESP3 sends objects, pairs, numbers and `Set`s.

import type { Arg } from './codec.js'
import type { CommandName } from '../commands/names.js'
import { objectFromPairs } from './records.js'

/** A command name as the typed methods send it. */
export type Name = Uppercase<CommandName>

export abstract class Commands {
  /** Runs a command given as its arguments, name first, and returns its reply (bulk strings
   * as Buffers with `buffers`); an error reply is thrown as a `ReplyError`. */
  protected abstract run<T>(args: readonly Arg[], buffers?: boolean): T
  /** `run` of a command with one argument after its name, without making an array. */
  protected abstract run1<T>(name: Name, a: Arg, buffers?: boolean): T
  /** `run` of a command with two arguments after its name, without making an array. */
  protected abstract run2<T>(name: Name, a: Arg, b: Arg, buffers?: boolean): T
  /** `run` of a command with three arguments after its name, without making an array. */
  protected abstract run3<T>(name: Name, a: Arg, b: Arg, c: Arg, buffers?: boolean): T
}

/** Fields and their values: an object, a Map, or `[field, value]` pairs. */
export type FieldValues = Record<string, Arg> | ReadonlyMap<Arg, Arg> | readonly (readonly [Arg, Arg])[]

/** Flattens `FieldValues` into alternating fields and values, after `head`. */
export function flattenFields(head: Arg[], fields: FieldValues): Arg[] {
  if (Array.isArray(fields)) {
    for (const [field, value] of fields as readonly (readonly [Arg, Arg])[]) head.push(field, value)
  } else if (fields instanceof Map) {
    for (const [field, value] of fields) head.push(field, value)
  } else {
    for (const field of Object.keys(fields)) head.push(field, (fields as Record<string, Arg>)[field]!)
  }
  return head
}

/** A map reply (HGETALL, CONFIG GET) as an object: RESP2 sends alternating keys and values. */
export function toRecord<V>(reply: V[] | Record<string, V>): Record<string, V> {
  return Array.isArray(reply) ? objectFromPairs<V>(reply) : reply
}

/** A pair-list reply (HRANDFIELD … WITHVALUES) as `[key, value]` pairs, from RESP2's flat
 * array or RESP3's pairs. */
export function toPairs<V>(reply: (V | [string, V])[]): [string, V][] {
  if (reply.length > 0 && Array.isArray(reply[0])) return reply as [string, V][]
  const pairs: [string, V][] = []
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i] as string, reply[i + 1] as V])
  return pairs
}

/** A set reply as an array (RESP3 sends a `Set`). */
export function toArray<V>(reply: V[] | Set<V>): V[] {
  return Array.isArray(reply) ? reply : [...reply]
}

/** A score as a number: RESP2 sends it as text, `inf` and `-inf` for the infinities. */
export function toScore(reply: string | number): number {
  if (typeof reply === 'number') return reply
  if (reply === 'inf' || reply === '+inf') return Infinity
  if (reply === '-inf') return -Infinity
  return Number(reply)
}

/** A score or null (a missing member). */
export function toScoreOrNull(reply: string | number | null): number | null {
  return reply === null ? null : toScore(reply)
}

/** A sorted-set member with its score. */
export interface ScoredMember {
  member: string
  score: number
}

/** Members with scores (WITHSCORES, ZPOPMIN…) as `{ member, score }` objects, from RESP2's
 * alternating members and scores or RESP3's `[member, score]` pairs (or one bare pair). */
export function toScoredMembers(reply: unknown[]): ScoredMember[] {
  const members: ScoredMember[] = []
  if (reply.length > 0 && Array.isArray(reply[0])) {
    for (const [member, score] of reply as [string, string | number][]) members.push({ member, score: toScore(score) })
  } else {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      members.push({ member: reply[i] as string, score: toScore(reply[i + 1] as string | number) })
    }
  }
  return members
}

/** MATCH and COUNT (and TYPE, for SCAN) of the SCAN family. */
export interface ScanOptions {
  /** Only elements matching this glob pattern. */
  match?: string
  /** How much work one step does (a hint, not a limit on what it returns). */
  count?: number
}

/** The arguments of one SCAN-family step after the key: the cursor and the options. */
export function scanArgs(head: Arg[], cursor: Arg, options: ScanOptions & { type?: string }): Arg[] {
  head.push(cursor)
  if (options.match !== undefined) head.push('MATCH', options.match)
  if (options.count !== undefined) head.push('COUNT', options.count)
  if (options.type !== undefined) head.push('TYPE', options.type)
  return head
}
