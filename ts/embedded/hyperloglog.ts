// The embedded store's HyperLogLog commands (PFADD, PFCOUNT, PFMERGE), mixed into `Redwing`
// (see `commands.ts`). PFDEBUG and PFSELFTEST, debugging commands, are reached through `call`.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export abstract class HyperLogLogCommands extends Commands {
  /** PFADD; 1 when the estimate changed (or the key was created), else 0. */
  pfadd(key: Arg, ...elements: Arg[]): number {
    return this.run(['PFADD', key, ...elements])
  }

  /** PFCOUNT; with several keys, the cardinality of their union (nothing is written). */
  pfcount(...keys: Arg[]): number {
    return this.run(['PFCOUNT', ...keys])
  }

  pfmerge(destination: Arg, ...sources: Arg[]): 'OK' {
    return this.run(['PFMERGE', destination, ...sources])
  }
}
