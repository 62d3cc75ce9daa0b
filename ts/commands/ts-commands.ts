// Commands the TypeScript side implements: the ones that act on the process or the listener
// rather than on data. The engine hands them over as "pending" (see connection.ts); each
// handler returns the RESP bytes of its reply (or a promise of them).
//
// Today that is SHUTDOWN only: it stops the listener and, for the standalone server, the process.

import { encodeError } from '../resp.js'

export interface TsCommandContext {
  /** Stops the server; resolves once connections are closed. */
  shutdown(): Promise<void>
}

type TsHandler = (ctx: TsCommandContext, args: Buffer[]) => Buffer | Promise<Buffer>

const HANDLERS: Record<string, TsHandler> = {
  shutdown: (ctx, args) => {
    const options = new Set(args.map((a) => a.toString('latin1').toLowerCase()))
    for (const option of options) {
      if (!['nosave', 'save', 'now', 'force', 'abort'].includes(option)) return encodeError('ERR syntax error')
    }
    if (options.has('abort')) {
      return options.size > 1 ? encodeError('ERR syntax error') : encodeError('ERR No shutdown in progress.')
    }
    if (options.has('save') && options.has('nosave')) return encodeError('ERR syntax error')
    if (options.has('save')) {
      return encodeError('ERR Errors trying to SHUTDOWN. Check logs.')
    }
    // A successful SHUTDOWN never replies: the connection closes with the server.
    return ctx.shutdown().then(() => Buffer.alloc(0))
  },
}

/** Runs a TypeScript-side command; `name` is the lower-case name from the engine. */
export function runTsCommand(ctx: TsCommandContext, name: string, args: Buffer[]): Buffer | Promise<Buffer> {
  const handler = HANDLERS[name]
  return handler ? handler(ctx, args) : encodeError(`ERR unknown command '${name}'`)
}

/** Names of the commands implemented here (checked against the specs by the tests). */
export const TS_COMMANDS = Object.keys(HANDLERS)
