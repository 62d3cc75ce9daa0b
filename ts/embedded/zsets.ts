// The embedded store's sorted-set commands (ZADD, ZRANGE, ZSCORE…), mixed into `Redwing` (see
// `commands.ts`).
//
// Scores are numbers both ways: `Infinity` is sent as `+inf`, and replies' scores are parsed
// (`inf` included). Members with scores come back as `{ member, score }` objects, from the
// `*WithScores` methods, ZPOPMIN/ZPOPMAX, ZMPOP and ZSCAN. Bounds are typed as Redis takes
// them: ranks are numbers; score bounds are numbers, `-inf`/`+inf`, or `(` and a number for
// an exclusive bound; lexicographic bounds are `-`/`+`, or `[`/`(` and a member.
//
// The blocking commands (BZPOPMIN, BZPOPMAX, BZMPOP) have no typed methods: an in-process
// call cannot wait, and ZPOPMIN, ZPOPMAX and ZMPOP (which takes several keys) are what the
// engine would run instead.

import type { Arg } from './codec.js'
import {
  Commands,
  scanArgs,
  toScore,
  toScoredMembers,
  toScoreOrNull,
  type ScanOptions,
  type ScoredMember,
} from './commands.js'

export type { ScoredMember }

/** A score bound: a number (inclusive), `(` and a number (exclusive), or an infinity. */
export type ScoreBound = number | '-inf' | '+inf' | `(${number}`

/** A lexicographic bound: `[member` (inclusive), `(member` (exclusive), or `-`/`+`. */
export type LexBound = '-' | '+' | `[${string}` | `(${string}`

/** Members to add with their scores: `{ member, score }` objects, `[member, score]` pairs,
 * an object of members to scores, or a Map. */
export type ScoredMembers =
  | readonly { member: Arg; score: number }[]
  | readonly (readonly [member: Arg, score: number])[]
  | Record<string, number>
  | ReadonlyMap<Arg, number>

/** ZADD's conditions. */
export interface ZAddOptions {
  /** Only add new members. */
  nx?: boolean
  /** Only update existing members. */
  xx?: boolean
  /** Only update a score when the new one is greater. */
  gt?: boolean
  /** Only update a score when the new one is less. */
  lt?: boolean
  /** Count changed members too, not only added ones. */
  ch?: boolean
}

/** LIMIT of a range by score or lex: skip `offset` members, return at most `count` (negative:
 * all the rest). */
export interface RangeLimit {
  offset: number
  count: number
}

/** ZRANGE by rank: `rev` reverses the order (start and stop still count from the highest). */
export interface ZRangeByRank {
  by?: undefined
  rev?: boolean
}

/** ZRANGE by score; with `rev`, the first bound is the higher one. */
export interface ZRangeByScore {
  by: 'SCORE'
  rev?: boolean
  limit?: RangeLimit
}

/** ZRANGE by member, for members of equal scores; with `rev`, the first bound is the higher. */
export interface ZRangeByLex {
  by: 'LEX'
  rev?: boolean
  limit?: RangeLimit
}

type ZRangeOptions = ZRangeByRank | ZRangeByScore | ZRangeByLex

/** How ZUNION and ZINTER combine the sets: each set's scores multiplied by its weight, then
 * summed (the default), or the minimum or maximum taken. */
export interface ZCombineOptions {
  weights?: readonly number[]
  aggregate?: 'SUM' | 'MIN' | 'MAX'
}

/** A score as Redis reads it (`Infinity` would not parse). */
function formatScore(score: number): string | number {
  return score === Infinity ? '+inf' : score === -Infinity ? '-inf' : score
}

function formatBound(bound: Arg): Arg {
  return typeof bound === 'number' ? formatScore(bound) : bound
}

/** The members-and-scores arguments of ZADD. */
function scoreArgs(head: Arg[], members: ScoredMembers): Arg[] {
  if (members instanceof Map) {
    for (const [member, score] of members) head.push(formatScore(score), member)
  } else if (Array.isArray(members)) {
    for (const entry of members as readonly ({ member: Arg; score: number } | readonly [Arg, number])[]) {
      if (Array.isArray(entry)) head.push(formatScore(entry[1] as number), entry[0] as Arg)
      else head.push(formatScore((entry as { score: number }).score), (entry as { member: Arg }).member)
    }
  } else {
    const record = members as Record<string, number>
    for (const member of Object.keys(record)) head.push(formatScore(record[member]!), member)
  }
  return head
}

function zaddFlags(head: Arg[], options: ZAddOptions): Arg[] {
  if (options.nx) head.push('NX')
  if (options.xx) head.push('XX')
  if (options.gt) head.push('GT')
  if (options.lt) head.push('LT')
  if (options.ch) head.push('CH')
  return head
}

function rangeArgs(head: Arg[], start: Arg, stop: Arg, options: ZRangeOptions): Arg[] {
  head.push(formatBound(start), formatBound(stop))
  if (options.by) head.push(options.by === 'SCORE' ? 'BYSCORE' : 'BYLEX')
  if (options.rev) head.push('REV')
  if (options.by && options.limit) head.push('LIMIT', options.limit.offset, options.limit.count)
  return head
}

function limitArgs(head: Arg[], limit: RangeLimit | undefined): Arg[] {
  if (limit) head.push('LIMIT', limit.offset, limit.count)
  return head
}

function combineArgs(head: Arg[], keys: readonly Arg[], options: ZCombineOptions): Arg[] {
  head.push(keys.length, ...keys)
  if (options.weights) head.push('WEIGHTS', ...options.weights.map(formatScore))
  if (options.aggregate) head.push('AGGREGATE', options.aggregate)
  return head
}

export abstract class SortedSetCommands extends Commands {
  /** ZADD: adds members with their scores, or updates their scores, as the options allow;
   * returns the number added (or changed, with `ch`). The short form adds one member. */
  zadd(key: Arg, members: ScoredMembers, options?: ZAddOptions): number
  zadd(key: Arg, score: number, member: Arg): number
  zadd(key: Arg, members: ScoredMembers | number, options: ZAddOptions | Arg = {}): number {
    if (typeof members === 'number') return this.run3('ZADD', key, formatScore(members), options as Arg)
    return this.run(scoreArgs(zaddFlags(['ZADD', key], options as ZAddOptions), members))
  }

  /** ZADD … INCR: adds `increment` to `member`'s score (as ZINCRBY, with ZADD's conditions);
   * returns the new score, or null when a condition prevented it. */
  zaddIncr(key: Arg, increment: number, member: Arg, options: ZAddOptions = {}): number | null {
    const args = zaddFlags(['ZADD', key], options)
    args.push('INCR', formatScore(increment), member)
    return toScoreOrNull(this.run(args))
  }

  /** ZINCRBY: adds `increment` to `member`'s score (0 when missing); returns the new score. */
  zincrby(key: Arg, increment: number, member: Arg): number {
    return toScore(this.run3('ZINCRBY', key, formatScore(increment), member))
  }

  /** ZSCORE: `member`'s score, or null. */
  zscore(key: Arg, member: Arg): number | null {
    return toScoreOrNull(this.run2('ZSCORE', key, member))
  }

  /** ZMSCORE: each member's score, null for missing ones. */
  zmscore(key: Arg, ...members: Arg[]): (number | null)[] {
    return this.run<(string | number | null)[]>(['ZMSCORE', key, ...members]).map(toScoreOrNull)
  }

  /** ZRANK: `member`'s rank by ascending score, or null; with `withScore`, its score too. */
  zrank(key: Arg, member: Arg): number | null
  zrank(key: Arg, member: Arg, options: { withScore: true }): { rank: number; score: number } | null
  zrank(key: Arg, member: Arg, options: { withScore?: boolean } = {}): number | null | { rank: number; score: number } {
    if (!options.withScore) return this.run2('ZRANK', key, member)
    return rankWithScore(this.run3('ZRANK', key, member, 'WITHSCORE'))
  }

  /** ZREVRANK: `member`'s rank by descending score, or null; with `withScore`, its score too. */
  zrevrank(key: Arg, member: Arg): number | null
  zrevrank(key: Arg, member: Arg, options: { withScore: true }): { rank: number; score: number } | null
  zrevrank(
    key: Arg,
    member: Arg,
    options: { withScore?: boolean } = {},
  ): number | null | { rank: number; score: number } {
    if (!options.withScore) return this.run2('ZREVRANK', key, member)
    return rankWithScore(this.run3('ZREVRANK', key, member, 'WITHSCORE'))
  }

  /** ZREM: removes members; returns how many were there. */
  zrem(key: Arg, ...members: Arg[]): number {
    if (members.length === 1) return this.run2('ZREM', key, members[0]!)
    return this.run(['ZREM', key, ...members])
  }

  /** ZCARD: the number of members. */
  zcard(key: Arg): number {
    return this.run1('ZCARD', key)
  }

  /** ZCOUNT: the number of members with scores between `min` and `max`. */
  zcount(key: Arg, min: ScoreBound, max: ScoreBound): number {
    return this.run3('ZCOUNT', key, formatBound(min), formatBound(max))
  }

  /** ZLEXCOUNT: the number of members between `min` and `max` (members of equal scores). */
  zlexcount(key: Arg, min: LexBound, max: LexBound): number {
    return this.run3('ZLEXCOUNT', key, min, max)
  }

  /** ZRANGE: the members by rank from `start` to `stop` (inclusive, negative from the end),
   * or by score or by member (`by`) between two bounds; lowest first unless `rev`. */
  zrange(key: Arg, start: number, stop: number, options?: ZRangeByRank): string[]
  zrange(key: Arg, min: ScoreBound, max: ScoreBound, options: ZRangeByScore): string[]
  zrange(key: Arg, min: LexBound, max: LexBound, options: ZRangeByLex): string[]
  zrange(key: Arg, start: Arg, stop: Arg, options: ZRangeOptions = {}): string[] {
    if (!options.by && !options.rev) return this.run3('ZRANGE', key, start, stop)
    return this.run(rangeArgs(['ZRANGE', key], start, stop, options))
  }

  /** ZRANGE … WITHSCORES, by rank or by score: members with their scores. */
  zrangeWithScores(key: Arg, start: number, stop: number, options?: ZRangeByRank): ScoredMember[]
  zrangeWithScores(key: Arg, min: ScoreBound, max: ScoreBound, options: ZRangeByScore): ScoredMember[]
  zrangeWithScores(key: Arg, start: Arg, stop: Arg, options: ZRangeByRank | ZRangeByScore = {}): ScoredMember[] {
    const args = rangeArgs(['ZRANGE', key], start, stop, options)
    args.push('WITHSCORES')
    return toScoredMembers(this.run(args))
  }

  /** ZRANGESTORE: stores the range `zrange` would return in `destination`; returns its size. */
  zrangestore(destination: Arg, source: Arg, start: number, stop: number, options?: ZRangeByRank): number
  zrangestore(destination: Arg, source: Arg, min: ScoreBound, max: ScoreBound, options: ZRangeByScore): number
  zrangestore(destination: Arg, source: Arg, min: LexBound, max: LexBound, options: ZRangeByLex): number
  zrangestore(destination: Arg, source: Arg, start: Arg, stop: Arg, options: ZRangeOptions = {}): number {
    return this.run(rangeArgs(['ZRANGESTORE', destination, source], start, stop, options))
  }

  /** ZRANGEBYSCORE: the members with scores between `min` and `max`, lowest first. */
  zrangebyscore(key: Arg, min: ScoreBound, max: ScoreBound, options: { limit?: RangeLimit } = {}): string[] {
    return this.run(limitArgs(['ZRANGEBYSCORE', key, formatBound(min), formatBound(max)], options.limit))
  }

  /** ZREVRANGEBYSCORE: the members with scores between `max` and `min`, highest first. */
  zrevrangebyscore(key: Arg, max: ScoreBound, min: ScoreBound, options: { limit?: RangeLimit } = {}): string[] {
    return this.run(limitArgs(['ZREVRANGEBYSCORE', key, formatBound(max), formatBound(min)], options.limit))
  }

  /** ZRANGEBYLEX: the members between `min` and `max` (members of equal scores). */
  zrangebylex(key: Arg, min: LexBound, max: LexBound, options: { limit?: RangeLimit } = {}): string[] {
    return this.run(limitArgs(['ZRANGEBYLEX', key, min, max], options.limit))
  }

  /** ZREVRANGEBYLEX: the members between `max` and `min`, in reverse order. */
  zrevrangebylex(key: Arg, max: LexBound, min: LexBound, options: { limit?: RangeLimit } = {}): string[] {
    return this.run(limitArgs(['ZREVRANGEBYLEX', key, max, min], options.limit))
  }

  /** ZREVRANGE: the members by rank from the highest score. */
  zrevrange(key: Arg, start: number, stop: number): string[] {
    return this.run3('ZREVRANGE', key, start, stop)
  }

  /** ZPOPMIN: removes and returns the `count` (default 1) members of lowest scores. */
  zpopmin(key: Arg, count?: number): ScoredMember[] {
    return toScoredMembers(count === undefined ? this.run1('ZPOPMIN', key) : this.run2('ZPOPMIN', key, count))
  }

  /** ZPOPMAX: removes and returns the `count` (default 1) members of highest scores. */
  zpopmax(key: Arg, count?: number): ScoredMember[] {
    return toScoredMembers(count === undefined ? this.run1('ZPOPMAX', key) : this.run2('ZPOPMAX', key, count))
  }

  /** ZMPOP: pops up to `count` (default 1) members of lowest (`MIN`) or highest (`MAX`) score
   * from the first non-empty set of `keys`; null when all are empty. */
  zmpop(
    keys: readonly Arg[],
    which: 'MIN' | 'MAX',
    options: { count?: number } = {},
  ): { key: string; members: ScoredMember[] } | null {
    const args: Arg[] = ['ZMPOP', keys.length, ...keys, which]
    if (options.count !== undefined) args.push('COUNT', options.count)
    const reply = this.run<[string, unknown[]] | null>(args)
    return reply === null ? null : { key: reply[0], members: toScoredMembers(reply[1]) }
  }

  /** ZRANDMEMBER: a random member (null when empty); with `count`, up to `count` distinct
   * members, or exactly −`count` members that may repeat when it is negative. */
  zrandmember(key: Arg): string | null
  zrandmember(key: Arg, count: number): string[]
  zrandmember(key: Arg, count?: number): string | null | string[] {
    return count === undefined ? this.run1('ZRANDMEMBER', key) : this.run2('ZRANDMEMBER', key, count)
  }

  /** ZRANDMEMBER … WITHSCORES: as `zrandmember` with `count`, with the scores. */
  zrandmemberWithScores(key: Arg, count: number): ScoredMember[] {
    return toScoredMembers(this.run3('ZRANDMEMBER', key, count, 'WITHSCORES'))
  }

  /** ZREMRANGEBYRANK: removes the members from rank `start` to `stop`; returns how many. */
  zremrangebyrank(key: Arg, start: number, stop: number): number {
    return this.run3('ZREMRANGEBYRANK', key, start, stop)
  }

  /** ZREMRANGEBYSCORE: removes the members with scores between `min` and `max`. */
  zremrangebyscore(key: Arg, min: ScoreBound, max: ScoreBound): number {
    return this.run3('ZREMRANGEBYSCORE', key, formatBound(min), formatBound(max))
  }

  /** ZREMRANGEBYLEX: removes the members between `min` and `max` (members of equal scores). */
  zremrangebylex(key: Arg, min: LexBound, max: LexBound): number {
    return this.run3('ZREMRANGEBYLEX', key, min, max)
  }

  /** ZUNION: the members of any of the sets. */
  zunion(keys: readonly Arg[], options: ZCombineOptions = {}): string[] {
    return this.run(combineArgs(['ZUNION'], keys, options))
  }

  /** ZUNION … WITHSCORES: the union with the combined scores. */
  zunionWithScores(keys: readonly Arg[], options: ZCombineOptions = {}): ScoredMember[] {
    return toScoredMembers(this.run([...combineArgs(['ZUNION'], keys, options), 'WITHSCORES']))
  }

  /** ZINTER: the members in every set. */
  zinter(keys: readonly Arg[], options: ZCombineOptions = {}): string[] {
    return this.run(combineArgs(['ZINTER'], keys, options))
  }

  /** ZINTER … WITHSCORES: the intersection with the combined scores. */
  zinterWithScores(keys: readonly Arg[], options: ZCombineOptions = {}): ScoredMember[] {
    return toScoredMembers(this.run([...combineArgs(['ZINTER'], keys, options), 'WITHSCORES']))
  }

  /** ZDIFF: the members of the first set in none of the others. */
  zdiff(keys: readonly Arg[]): string[] {
    return this.run(['ZDIFF', keys.length, ...keys])
  }

  /** ZDIFF … WITHSCORES: the difference with the first set's scores. */
  zdiffWithScores(keys: readonly Arg[]): ScoredMember[] {
    return toScoredMembers(this.run(['ZDIFF', keys.length, ...keys, 'WITHSCORES']))
  }

  /** ZUNIONSTORE: stores the union in `destination`; returns its size. */
  zunionstore(destination: Arg, keys: readonly Arg[], options: ZCombineOptions = {}): number {
    return this.run(combineArgs(['ZUNIONSTORE', destination], keys, options))
  }

  /** ZINTERSTORE: stores the intersection in `destination`; returns its size. */
  zinterstore(destination: Arg, keys: readonly Arg[], options: ZCombineOptions = {}): number {
    return this.run(combineArgs(['ZINTERSTORE', destination], keys, options))
  }

  /** ZDIFFSTORE: stores the difference in `destination`; returns its size. */
  zdiffstore(destination: Arg, keys: readonly Arg[]): number {
    return this.run(['ZDIFFSTORE', destination, keys.length, ...keys])
  }

  /** ZINTERCARD: the size of the intersection, counting up to `limit` (0: no limit). */
  zintercard(keys: readonly Arg[], options: { limit?: number } = {}): number {
    const args: Arg[] = ['ZINTERCARD', keys.length, ...keys]
    if (options.limit !== undefined) args.push('LIMIT', options.limit)
    return this.run(args)
  }

  /** One ZSCAN step: `[nextCursor, members with scores]`; a next cursor of '0' ends it. */
  zscan(key: Arg, cursor: Arg, options: ScanOptions = {}): [cursor: string, members: ScoredMember[]] {
    const [next, flat] = this.run<[string, string[]]>(scanArgs(['ZSCAN', key], cursor, options))
    return [next, toScoredMembers(flat)]
  }

  /** Iterates every member of a sorted set, with its score, with ZSCAN. */
  *zscanIterator(key: Arg, options: ScanOptions = {}): Generator<ScoredMember> {
    let cursor = '0'
    do {
      const [next, members] = this.zscan(key, cursor, options)
      yield* members
      cursor = next
    } while (cursor !== '0')
  }
}

function rankWithScore(reply: [number, string | number] | null): { rank: number; score: number } | null {
  return reply === null ? null : { rank: reply[0], score: toScore(reply[1]) }
}
