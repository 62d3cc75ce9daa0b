// Commands the TypeScript side implements: the ones that act on the process or the listener
// rather than on data. The engine hands them over as "pending" (see connection.ts); each
// handler returns the RESP bytes of its reply (or a promise of them).
//
// SHUTDOWN stops the listener and, for the standalone server, the process. CONFIG SET is run by
// the engine, which hands it over here only when a parameter the host applies changed (`port`,
// `bind`, `tls-port`, the TLS files and settings), to move the listeners or reload the TLS
// configuration (and undo the whole CONFIG SET if that fails, as Redis does). SAVE is run by
// the engine too, which hands over the file it made to be written to disk. DEBUG SEGFAULT,
// PANIC and ASSERT are handed over to crash the process (see `server/crash.ts`).

import { encodeError } from '../resp.js'
import type { DebugCrash } from '../server/crash.js'

export interface TsCommandContext {
  /** SHUTDOWN, handed over once the engine began it: finishes it, resolving once the server is
   * closed, or returns the error when it could not finish (see the server's `finishShutdown`). */
  finishShutdown(): Buffer | Promise<Buffer>
  /** Applies the engine's configuration for one action of a CONFIG SET (`bind`, `port`,
   * `tls-port`, `tls-context`: see the engine's `HostApply`); resolves with the reason it
   * failed, as CONFIG SET's error shows it, or undefined when it worked. */
  applyConfig(action: string): Promise<string | undefined>
  /** Puts a configuration parameter back to an earlier value. */
  restoreConfig(name: Buffer, value: Buffer): void
  /** DEBUG SEGFAULT, PANIC or ASSERT (`argv` as sent): the server crashes with a report, or
   * the error reply when this one may not take the process down (an embedded store's). */
  crash(kind: DebugCrash, argv: Buffer[]): Buffer
  /** DEBUG LOADAOF: the engine reloads its append-only file; returns the reply. */
  debugLoadAof(): Buffer
  /** MIGRATE's transfer, handed over by the engine (see `server/migrate.ts`); resolves with
   * the reply once the keys the target acknowledged are removed. */
  migrate(args: Buffer[]): Promise<Buffer>
}

type TsHandler = (ctx: TsCommandContext, args: Buffer[]) => Buffer | Promise<Buffer>

const HANDLERS: Record<string, TsHandler> = {
  'debug|loadaof': (ctx) => ctx.debugLoadAof(),
  'debug|segfault': (ctx, argv) => ctx.crash('segfault', argv),
  'debug|panic': (ctx, argv) => ctx.crash('panic', argv),
  'debug|assert': (ctx, argv) => ctx.crash('assert', argv),
  // MIGRATE is the engine's, which hands over the transfer to the target.
  migrate: (ctx, args) => ctx.migrate(args),
  // SHUTDOWN is the engine's, which hands over the last step: closing and exiting.
  shutdown: (ctx) => ctx.finishShutdown(),
  // Arguments from the engine: the number of actions, each action with the parameter to blame
  // when it fails, then each parameter's name and old value. When an action fails, every
  // parameter gets its old value back and the actions run again with those.
  'config|set': async (ctx, [count, ...rest]) => {
    const actionCount = Number(count)
    const actions = rest.slice(0, 2 * actionCount)
    const backups = rest.slice(2 * actionCount)
    for (let i = 0; i < actions.length; i += 2) {
      const reason = await ctx.applyConfig(actions[i]!.toString('latin1'))
      if (reason === undefined) continue
      for (let j = 0; j < backups.length; j += 2) ctx.restoreConfig(backups[j]!, backups[j + 1]!)
      for (let j = 0; j < actions.length; j += 2) await ctx.applyConfig(actions[j]!.toString('latin1'))
      return encodeError(`ERR CONFIG SET failed (possibly related to argument '${actions[i + 1]}') - ${reason}`)
    }
    return Buffer.from('+OK\r\n')
  },
}

/** Runs a TypeScript-side command; `name` is the lower-case name from the engine. */
export function runTsCommand(ctx: TsCommandContext, name: string, args: Buffer[]): Buffer | Promise<Buffer> {
  const handler = HANDLERS[name]
  return handler ? handler(ctx, args) : encodeError(`ERR unknown command '${name}'`)
}

/** Names of the commands implemented here whose specs say so (checked by the tests);
 * CONFIG SET, DEBUG, MIGRATE and SHUTDOWN are the engine's, handed over only to move
 * listeners, to run commands outside a command, to crash, to talk to another server, or to
 * exit. */
export const TS_COMMANDS = Object.keys(HANDLERS).filter(
  (name) => !['config|set', 'migrate', 'shutdown'].includes(name) && !name.startsWith('debug|'),
)
