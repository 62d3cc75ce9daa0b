// The embedded store's stream commands (XADD, XRANGE, XREADGROUP…), mixed into `Redwing`
// (see `commands.ts`). XREAD and XREADGROUP never block: an in-process call cannot wait.

import type { Arg } from './codec.js'
import { Commands, toRecord } from './commands.js'
import { flattenPairs } from './strings.js'

/** A stream entry: its id and its fields as alternating names and values. */
export type StreamEntry = [id: string, fields: string[]]
/** A stream entry with its fields as an object (the `map` option). */
export interface StreamRecord {
  id: string
  fields: Record<string, string>
}
export type StreamEntries = StreamEntry[] | StreamRecord[]
/** What XREAD and XREADGROUP return: each stream with its entries. Deleted entries that a
 * consumer still has pending come back with null fields. */
export type StreamReads = [stream: string, entries: StreamEntries][]

export interface TrimOptions {
  maxlen?: number
  minid?: Arg
  /** `~`: trim whole nodes only, as far as possible. */
  approximate?: boolean
  limit?: number
}

export interface XAddOptions extends TrimOptions {
  /** Do not create the stream when it does not exist. */
  nomkstream?: boolean
}

export interface RangeOptions {
  count?: number
  /** Fields as `{ name: value }` objects instead of flat arrays. */
  map?: boolean
}

function trimArgs(options: TrimOptions): Arg[] {
  const strategy =
    options.maxlen !== undefined
      ? ['MAXLEN', options.maxlen]
      : options.minid !== undefined
        ? ['MINID', options.minid]
        : []
  if (strategy.length === 0) return []
  const args: Arg[] = [strategy[0]!, options.approximate ? '~' : '=', strategy[1]!]
  if (options.limit !== undefined) args.push('LIMIT', options.limit)
  return args
}

function streamEntries(entries: StreamEntry[], map: boolean | undefined): StreamEntries {
  if (!map) return entries
  return entries.map(([id, fields]) => ({ id, fields: fields === null ? fields : Object.fromEntries(pairsOf(fields)) }))
}

function pairsOf(fields: string[]): [string, string][] {
  const pairs: [string, string][] = []
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i]!, fields[i + 1]!])
  return pairs
}

/** XREAD's reply: a flat array over RESP2, a map over RESP3. */
function streamReads(reply: unknown, map: boolean | undefined): StreamReads | null {
  if (reply === null) return null
  const streams = Array.isArray(reply)
    ? (reply as [string, StreamEntry[]][])
    : Object.entries(reply as Record<string, StreamEntry[]>)
  return streams.map(([stream, entries]) => [stream, streamEntries(entries, map)])
}

export abstract class StreamCommands extends Commands {
  /** XADD; `id` '*' lets the server choose. Returns the entry's id, or null with `nomkstream`
   * when the stream does not exist. */
  xadd(key: Arg, id: Arg, fields: Record<string, Arg> | Arg[], options: XAddOptions = {}): string | null {
    const args: Arg[] = [key]
    if (options.nomkstream) args.push('NOMKSTREAM')
    args.push(...trimArgs(options))
    args.push(id, ...flattenPairs(fields))
    return this.run(['XADD', ...args])
  }

  /** XRANGE from `start` to `end` ('-' and '+' for the ends); entries as `[id, fields]`, or
   * `{ id, fields }` objects with `map`. */
  xrange(key: Arg, start: Arg = '-', end: Arg = '+', options: RangeOptions = {}): StreamEntries {
    const args: Arg[] = [key, start, end]
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamEntries(this.run(['XRANGE', ...args]), options.map)
  }

  /** XREVRANGE: as `xrange`, newest first. */
  xrevrange(key: Arg, end: Arg = '+', start: Arg = '-', options: RangeOptions = {}): StreamEntries {
    const args: Arg[] = [key, end, start]
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamEntries(this.run(['XREVRANGE', ...args]), options.map)
  }

  xlen(key: Arg): number {
    return this.run(['XLEN', key])
  }

  xdel(key: Arg, ...ids: Arg[]): number {
    return this.run(['XDEL', key, ...ids])
  }

  /** XTRIM to `maxlen` entries or to ids from `minid` on; returns the entries removed. */
  xtrim(key: Arg, options: TrimOptions): number {
    return this.run(['XTRIM', key, ...trimArgs(options)])
  }

  /** XREAD of the entries after each stream's id (`{ stream: id }`), or null when there are
   * none. An in-process call cannot block, so BLOCK is not offered. */
  xread(streams: Record<string, Arg>, options: RangeOptions = {}): StreamReads | null {
    const args: Arg[] = []
    if (options.count !== undefined) args.push('COUNT', options.count)
    return streamReads(
      this.run(['XREAD', ...args, 'STREAMS', ...Object.keys(streams), ...Object.values(streams)]),
      options.map,
    )
  }

  /** XREADGROUP as `consumer` of `group`: `>` for new entries, or an id for the consumer's
   * pending ones. */
  xreadgroup(
    group: Arg,
    consumer: Arg,
    streams: Record<string, Arg>,
    options: RangeOptions & { noack?: boolean } = {},
  ): StreamReads | null {
    const args: Arg[] = ['GROUP', group, consumer]
    if (options.count !== undefined) args.push('COUNT', options.count)
    if (options.noack) args.push('NOACK')
    args.push('STREAMS', ...Object.keys(streams), ...Object.values(streams))
    return streamReads(this.run(['XREADGROUP', ...args]), options.map)
  }

  xack(key: Arg, group: Arg, ...ids: Arg[]): number {
    return this.run(['XACK', key, group, ...ids])
  }

  /** XGROUP CREATE; `id` '$' starts the group at the stream's end. */
  xgroupCreate(key: Arg, group: Arg, id: Arg = '$', options: { mkstream?: boolean; entriesRead?: number } = {}): 'OK' {
    const args: Arg[] = ['CREATE', key, group, id]
    if (options.mkstream) args.push('MKSTREAM')
    if (options.entriesRead !== undefined) args.push('ENTRIESREAD', options.entriesRead)
    return this.run(['XGROUP', ...args])
  }

  xgroupDestroy(key: Arg, group: Arg): number {
    return this.run(['XGROUP', 'DESTROY', key, group])
  }

  /** XPENDING's summary: `[count, smallest id, greatest id, [[consumer, count], ...]]`. */
  xpending(key: Arg, group: Arg): [number, string | null, string | null, [string, string][] | null] {
    return this.run(['XPENDING', key, group])
  }

  /** XCLAIM of `ids` for `consumer` when idle at least `minIdleMs`; the claimed entries. */
  xclaim(
    key: Arg,
    group: Arg,
    consumer: Arg,
    minIdleMs: number,
    ids: Arg[],
    options: { map?: boolean } = {},
  ): StreamEntries {
    return streamEntries(this.run(['XCLAIM', key, group, consumer, minIdleMs, ...ids]), options.map)
  }

  /** XAUTOCLAIM: claims for `consumer` the pending entries idle at least `minIdleMs`, from
   * `start` on; returns the cursor to continue from ('0-0' at the end), the claimed entries,
   * and the ids of entries deleted meanwhile (dropped from the pending list). */
  xautoclaim(
    key: Arg,
    group: Arg,
    consumer: Arg,
    minIdleMs: number,
    start: Arg,
    options: { count?: number; map?: boolean } = {},
  ): [next: string, entries: StreamEntries, deleted: string[]] {
    const args: Arg[] = ['XAUTOCLAIM', key, group, consumer, minIdleMs, start]
    if (options.count !== undefined) args.push('COUNT', options.count)
    const [next, entries, deleted] = this.run<[string, StreamEntry[], string[]]>(args)
    return [next, streamEntries(entries, options.map), deleted]
  }

  /** XSETID: sets the stream's last id (and, optionally, its entries-added counter and
   * greatest deleted id). */
  xsetid(key: Arg, lastId: Arg, options: { entriesAdded?: number; maxDeletedId?: Arg } = {}): 'OK' {
    const args: Arg[] = ['XSETID', key, lastId]
    if (options.entriesAdded !== undefined) args.push('ENTRIESADDED', options.entriesAdded)
    if (options.maxDeletedId !== undefined) args.push('MAXDELETEDID', options.maxDeletedId)
    return this.run(args)
  }

  /** XGROUP CREATECONSUMER: 1 if the consumer was created, 0 if it existed. */
  xgroupCreateconsumer(key: Arg, group: Arg, consumer: Arg): 0 | 1 {
    return this.run(['XGROUP', 'CREATECONSUMER', key, group, consumer])
  }

  /** XGROUP DELCONSUMER: removes a consumer; returns how many entries it had pending. */
  xgroupDelconsumer(key: Arg, group: Arg, consumer: Arg): number {
    return this.run(['XGROUP', 'DELCONSUMER', key, group, consumer])
  }

  /** XGROUP SETID: moves the group's last delivered id. */
  xgroupSetid(key: Arg, group: Arg, id: Arg, options: { entriesRead?: number } = {}): 'OK' {
    const args: Arg[] = ['XGROUP', 'SETID', key, group, id]
    if (options.entriesRead !== undefined) args.push('ENTRIESREAD', options.entriesRead)
    return this.run(args)
  }

  /** XINFO STREAM: the stream's description as an object of Redis's fields (entries as
   * `[id, fields]`). */
  xinfoStream(key: Arg): Record<string, unknown> {
    return toRecord(this.run<unknown[] | Record<string, unknown>>(['XINFO', 'STREAM', key]))
  }

  /** XINFO GROUPS: each consumer group's description. */
  xinfoGroups(key: Arg): Record<string, unknown>[] {
    return this.run<(unknown[] | Record<string, unknown>)[]>(['XINFO', 'GROUPS', key]).map(toRecord)
  }

  /** XINFO CONSUMERS: each consumer of `group`, described. */
  xinfoConsumers(key: Arg, group: Arg): Record<string, unknown>[] {
    return this.run<(unknown[] | Record<string, unknown>)[]>(['XINFO', 'CONSUMERS', key, group]).map(toRecord)
  }
}
