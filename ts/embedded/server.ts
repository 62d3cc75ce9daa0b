// The embedded store's server commands (INFO, CONFIG GET/SET, TIME, SLOWLOG…), mixed into
// `Redwing` (see `commands.ts`). SAVE and BGSAVE are `Redwing.save()` and `bgsave()`, which
// write the file themselves; SHUTDOWN is `close()`. Replication, ACL, CLIENT, DEBUG, LATENCY,
// MEMORY (but USAGE) and MODULE administer a server and its connections: they are reached
// through `call`, or from a client of `listen()`.

import type { Arg } from './codec.js'
import { Commands, toRecord } from './commands.js'

/** A SLOWLOG entry. */
export interface SlowlogEntry {
  id: number
  /** When the command ran (Unix seconds). */
  timestamp: number
  /** How long it ran, in microseconds. */
  duration: number
  args: string[]
  client: string
  clientName: string
}

export abstract class ServerCommands extends Commands {
  /** INFO: the server's report, of one `section` (or the default ones), as Redis formats it. */
  info(section?: string): string {
    return section === undefined ? this.run(['INFO']) : this.run1('INFO', section)
  }

  /** CONFIG GET: the parameters matching `pattern` (a glob), with their values. */
  configGet(pattern: string): Record<string, string> {
    return toRecord(this.run2<string[] | Record<string, string>>('CONFIG', 'GET', pattern))
  }

  /** CONFIG SET of one parameter, or of several from an object (all or none are set). */
  configSet(parameters: Record<string, Arg>): 'OK'
  configSet(parameter: string, value: Arg): 'OK'
  configSet(parameters: Record<string, Arg> | string, value?: Arg): 'OK' {
    if (typeof parameters === 'string') return this.run3('CONFIG', 'SET', parameters, value!)
    return this.run(['CONFIG', 'SET', ...Object.entries(parameters).flat()])
  }

  /** CONFIG RESETSTAT: zeroes INFO's statistics. */
  configResetstat(): 'OK' {
    return this.run1('CONFIG', 'RESETSTAT')
  }

  /** CONFIG REWRITE: writes the running configuration to the configuration file (an error
   * when the store has none). */
  configRewrite(): 'OK' {
    return this.run1('CONFIG', 'REWRITE')
  }

  /** TIME: the server's clock as `[unix seconds, microseconds]`. */
  time(): [seconds: number, microseconds: number] {
    const [seconds, microseconds] = this.run<[string, string]>(['TIME'])
    return [Number(seconds), Number(microseconds)]
  }

  /** LASTSAVE: when the last successful save ended (Unix seconds). */
  lastsave(): number {
    return this.run(['LASTSAVE'])
  }

  /** BGREWRITEAOF: starts rewriting the append-only file; returns Redis's status line. */
  bgrewriteaof(): string {
    return this.run(['BGREWRITEAOF'])
  }

  /** MEMORY USAGE: the bytes a key and its value take, or null for a missing key; `samples`
   * elements of a collection are measured (0: all; default 5). */
  memoryUsage(key: Arg, options: { samples?: number } = {}): number | null {
    const args: Arg[] = ['MEMORY', 'USAGE', key]
    if (options.samples !== undefined) args.push('SAMPLES', options.samples)
    return this.run(args)
  }

  /** SLOWLOG GET: the last `count` (default 10; -1: all) commands slower than
   * `slowlog-log-slower-than`, newest first. */
  slowlogGet(count?: number): SlowlogEntry[] {
    const entries = this.run<[number, number, number, string[], string, string][]>(
      count === undefined ? ['SLOWLOG', 'GET'] : ['SLOWLOG', 'GET', count],
    )
    return entries.map(([id, timestamp, duration, args, client, clientName]) => ({
      id,
      timestamp,
      duration,
      args,
      client,
      clientName,
    }))
  }

  /** SLOWLOG LEN: the number of entries in the slow log. */
  slowlogLen(): number {
    return this.run1('SLOWLOG', 'LEN')
  }

  /** SLOWLOG RESET: empties the slow log. */
  slowlogReset(): 'OK' {
    return this.run1('SLOWLOG', 'RESET')
  }
}
