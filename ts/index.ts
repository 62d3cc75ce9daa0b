// redwing's public API: the embedded store, the RESP server, and their types.

export {
  Redwing,
  Pipeline,
  type Arg,
  type RedwingOptions,
  type ListenOptions,
  type TlsListenOptions,
  type SetOptions,
  type BitRange,
  type GeoUnit,
  type GeoMember,
  type GeoQuery,
  type GeoResult,
  type StreamEntry,
  type StreamRecord,
  type StreamEntries,
  type StreamReads,
  type TrimOptions,
  type XAddOptions,
  type RangeOptions,
} from './store.js'
export { RedwingServer, type ServerOptions } from './server/server.js'
export { createServer } from './server/create.js'
export { ReplyError } from './errors.js'
export type { CommandName } from './commands/names.js'
export { Logger, type LogLevel } from './log.js'
