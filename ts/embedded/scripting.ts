// The embedded store's scripting commands (EVAL, FCALL, FUNCTION LOAD…), and ioredis-style
// `defineCommand`, mixed into `Redwing` (see `commands.ts`).

import type { Arg } from './codec.js'
import { Commands } from './commands.js'
import { ReplyError } from '../errors.js'

export abstract class ScriptingCommands extends Commands {
  /** EVAL: runs a Lua script with the given keys and arguments; returns its converted result. */
  eval<T = unknown>(script: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['EVAL', script, keys.length, ...keys, ...args])
  }

  /** EVALSHA: runs a cached script by its SHA1 digest (a NOSCRIPT error when not cached). */
  evalsha<T = unknown>(sha: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['EVALSHA', sha, keys.length, ...keys, ...args])
  }

  /** EVAL_RO: EVAL of a script that only reads (refused if it writes). */
  evalRo<T = unknown>(script: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['EVAL_RO', script, keys.length, ...keys, ...args])
  }

  /** EVALSHA_RO: EVALSHA of a script that only reads. */
  evalshaRo<T = unknown>(sha: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['EVALSHA_RO', sha, keys.length, ...keys, ...args])
  }

  /** SCRIPT EXISTS: for each digest, 1 if the script is cached. */
  scriptExists(...shas: Arg[]): (0 | 1)[] {
    return this.run(['SCRIPT', 'EXISTS', ...shas])
  }

  /** SCRIPT FLUSH: empties the script cache. */
  scriptFlush(mode?: 'SYNC' | 'ASYNC'): 'OK' {
    return this.run(mode ? ['SCRIPT', 'FLUSH', mode] : ['SCRIPT', 'FLUSH'])
  }

  /** SCRIPT KILL: stops the running script if it has not written (from another client: an
   * in-process call cannot run while a script does). */
  scriptKill(): 'OK' {
    return this.run(['SCRIPT', 'KILL'])
  }

  /** SCRIPT LOAD: caches a script and returns its SHA1 digest. */
  scriptLoad(script: Arg): string {
    return this.run(['SCRIPT', 'LOAD', script])
  }

  /** FUNCTION LOAD: loads a library (`#!lua name=<lib>` first); returns its name. */
  functionLoad(code: Arg, options: { replace?: boolean } = {}): string {
    return this.run(options.replace ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code])
  }

  /** FUNCTION DELETE: removes a library. */
  functionDelete(library: Arg): 'OK' {
    return this.run(['FUNCTION', 'DELETE', library])
  }

  /** FUNCTION DUMP: every library, serialized for `functionRestore`. */
  functionDump(): Buffer {
    return this.run(['FUNCTION', 'DUMP'], true)
  }

  /** FUNCTION RESTORE: loads libraries from a FUNCTION DUMP; `policy` says what happens to
   * existing ones (APPEND by default: an error on a name clash). */
  functionRestore(serialized: Buffer, policy?: 'FLUSH' | 'APPEND' | 'REPLACE'): 'OK' {
    return this.run(policy ? ['FUNCTION', 'RESTORE', serialized, policy] : ['FUNCTION', 'RESTORE', serialized])
  }

  /** FUNCTION FLUSH: removes every library. */
  functionFlush(mode?: 'SYNC' | 'ASYNC'): 'OK' {
    return this.run(mode ? ['FUNCTION', 'FLUSH', mode] : ['FUNCTION', 'FLUSH'])
  }

  /** FUNCTION KILL: stops the running function if it has not written (from another client). */
  functionKill(): 'OK' {
    return this.run(['FUNCTION', 'KILL'])
  }

  /** FUNCTION LIST: the libraries (matching `libraryName`, a glob) with their functions, as
   * Redis describes them (with `withCode`, their code too). */
  functionList(options: { libraryName?: string; withCode?: boolean } = {}): unknown[] {
    const args: Arg[] = ['FUNCTION', 'LIST']
    if (options.libraryName !== undefined) args.push('LIBRARYNAME', options.libraryName)
    if (options.withCode) args.push('WITHCODE')
    return this.run(args)
  }

  /** FUNCTION STATS: the running function, if any, and the engines' library counts, as Redis
   * describes them. */
  functionStats(): unknown[] {
    return this.run(['FUNCTION', 'STATS'])
  }

  /** FCALL_RO: FCALL of a function flagged `no-writes`. */
  fcallRo<T = unknown>(name: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['FCALL_RO', name, keys.length, ...keys, ...args])
  }

  /** FCALL: calls a function of a loaded library. */
  fcall<T = unknown>(name: Arg, keys: readonly Arg[] = [], args: readonly Arg[] = []): T {
    return this.run<T>(['FCALL', name, keys.length, ...keys, ...args])
  }

  /**
   * Adds a method `name` that runs `lua` with its first `numberOfKeys` arguments as keys and the
   * rest as arguments (ioredis's `defineCommand`): by EVALSHA, falling back to EVAL when the
   * script is not cached (after SCRIPT FLUSH).
   */
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void {
    if (name in this) throw new TypeError(`cannot define '${name}': the store already has it`)
    const sha = this.scriptLoad(definition.lua)
    const run = (...params: Arg[]): unknown => {
      const keys = params.slice(0, definition.numberOfKeys)
      const args = params.slice(definition.numberOfKeys)
      try {
        return this.evalsha(sha, keys, args)
      } catch (error) {
        if (!(error instanceof ReplyError) || !error.message.startsWith('NOSCRIPT')) throw error
        return this.eval(definition.lua, keys, args)
      }
    }
    Object.defineProperty(this, name, { value: run, configurable: true })
  }
}
