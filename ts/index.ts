// redwing's public API: the embedded store, the RESP server, and their types.

export {
  Redwing,
  type Arg,
  type RedwingOptions,
  type ListenOptions,
  type TlsListenOptions,
  type MessageListener,
  type PatternListener,
} from './store.js'
export { Pipeline, Transaction } from './embedded/pipeline.js'
export type { FieldValues, ScanOptions, ScoredMember } from './embedded/commands.js'
export type { SetOptions } from './embedded/strings.js'
export type { ListEnd, LposOptions } from './embedded/lists.js'
export type {
  ScoreBound,
  LexBound,
  ScoredMembers,
  ZAddOptions,
  RangeLimit,
  ZRangeByRank,
  ZRangeByScore,
  ZRangeByLex,
  ZCombineOptions,
} from './embedded/zsets.js'
export type { BitRange } from './embedded/bitmaps.js'
export type { GeoUnit, GeoMember, GeoQuery, GeoResult } from './embedded/geo.js'
export type {
  StreamEntry,
  StreamRecord,
  StreamEntries,
  StreamReads,
  TrimOptions,
  XAddOptions,
  RangeOptions,
} from './embedded/streams.js'
export type { SortOptions } from './embedded/keys.js'
export type { SlowlogEntry } from './embedded/server.js'
export { RedwingServer, type ServerOptions } from './server/server.js'
export { createServer } from './server/create.js'
export { ReplyError } from './errors.js'
export type { CommandName } from './commands/names.js'
export { Logger, type LogLevel } from './log.js'
