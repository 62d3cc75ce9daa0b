// The embedded store's geospatial commands (GEOADD, GEOSEARCH…), mixed into `Redwing` (see
// `commands.ts`). GEORADIUS and GEORADIUSBYMEMBER (and their _RO forms), deprecated since
// GEOSEARCH replaced them, are reached through `call`.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export type GeoUnit = 'm' | 'km' | 'mi' | 'ft'

export interface GeoMember {
  longitude: number
  latitude: number
  member: Arg
}

/** Where GEOSEARCH looks: around a member or a position, within a radius or a box. */
export interface GeoQuery {
  from: { member: Arg } | { longitude: number; latitude: number }
  by: { radius: number; unit: GeoUnit } | { width: number; height: number; unit: GeoUnit }
  order?: 'ASC' | 'DESC'
  /** At most this many results; with `any`, the first found rather than the nearest. */
  count?: number
  any?: boolean
  withCoord?: boolean
  withDist?: boolean
  withHash?: boolean
}

/** One GEOSEARCH result with the details the query asked for. */
export interface GeoResult {
  member: string
  distance?: number
  hash?: number | bigint
  longitude?: number
  latitude?: number
}

function geoQueryArgs(query: GeoQuery): Arg[] {
  const args: Arg[] = []
  if ('member' in query.from) args.push('FROMMEMBER', query.from.member)
  else args.push('FROMLONLAT', query.from.longitude, query.from.latitude)
  if ('radius' in query.by) args.push('BYRADIUS', query.by.radius, query.by.unit)
  else args.push('BYBOX', query.by.width, query.by.height, query.by.unit)
  if (query.order) args.push(query.order)
  if (query.count !== undefined) args.push('COUNT', query.count, ...(query.any ? ['ANY'] : []))
  return args
}

/** Reads one detailed GEOSEARCH reply: the member, then distance, hash and coordinates, each
 * present when asked for, in that order. */
function geoResult(reply: unknown[], query: GeoQuery): GeoResult {
  const result: GeoResult = { member: reply[0] as string }
  let at = 1
  if (query.withDist) result.distance = Number(reply[at++])
  if (query.withHash) result.hash = reply[at++] as number | bigint
  if (query.withCoord) {
    const [longitude, latitude] = reply[at] as [string, string]
    result.longitude = Number(longitude)
    result.latitude = Number(latitude)
  }
  return result
}

export abstract class GeoCommands extends Commands {
  /** GEOADD; returns the number of members added (or changed, with `ch`). */
  geoadd(key: Arg, members: GeoMember[], options: { nx?: boolean; xx?: boolean; ch?: boolean } = {}): number {
    const args: Arg[] = [key]
    if (options.nx) args.push('NX')
    if (options.xx) args.push('XX')
    if (options.ch) args.push('CH')
    for (const { longitude, latitude, member } of members) args.push(longitude, latitude, member)
    return this.run(['GEOADD', ...args])
  }

  /** GEODIST in `unit` (metres by default), or null when a member is missing. */
  geodist(key: Arg, member1: Arg, member2: Arg, unit: GeoUnit = 'm'): number | null {
    const distance = this.run<string | null>(['GEODIST', key, member1, member2, unit])
    return distance === null ? null : Number(distance)
  }

  /** GEOHASH: 11-character geohash strings, null for missing members. */
  geohash(key: Arg, ...members: Arg[]): (string | null)[] {
    return this.run(['GEOHASH', key, ...members])
  }

  /** GEOPOS: each member's position, null for missing members. */
  geopos(key: Arg, ...members: Arg[]): ({ longitude: number; latitude: number } | null)[] {
    const positions = this.run<([string, string] | null)[]>(['GEOPOS', key, ...members])
    return positions.map((p) => (p === null ? null : { longitude: Number(p[0]), latitude: Number(p[1]) }))
  }

  /** GEOSEARCH: the members within a radius or box around a member or a position, nearest
   * first unless `order` says otherwise; with `withCoord`/`withDist`/`withHash`, each result is
   * an object. */
  geosearch(key: Arg, query: GeoQuery): (string | GeoResult)[] {
    const detailed = Boolean(query.withCoord || query.withDist || query.withHash)
    const args: Arg[] = [key, ...geoQueryArgs(query)]
    if (query.withCoord) args.push('WITHCOORD')
    if (query.withDist) args.push('WITHDIST')
    if (query.withHash) args.push('WITHHASH')
    const replies = this.run<unknown[]>(['GEOSEARCH', ...args])
    if (!detailed) return replies as string[]
    return replies.map((reply) => geoResult(reply as unknown[], query))
  }

  /** GEOSEARCHSTORE: stores the matches in `destination` (with their distances as scores when
   * `storeDist` is set); returns how many were stored. */
  geosearchstore(destination: Arg, source: Arg, query: GeoQuery & { storeDist?: boolean }): number {
    const args: Arg[] = [destination, source, ...geoQueryArgs(query)]
    if (query.storeDist) args.push('STOREDIST')
    return this.run(['GEOSEARCHSTORE', ...args])
  }
}
