// The embedded store's optimistic locking, WATCH and UNWATCH, mixed into `Redwing` (see
// `commands.ts`). MULTI, EXEC and DISCARD are `multi()` and the `Transaction` it returns
// (`pipeline.ts`), which sends a whole transaction in one native call.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export abstract class TransactionCommands extends Commands {
  /** WATCH: the next transaction (`multi().exec()`) does nothing, and returns null, if one of
   * `keys` changes before it runs. */
  watch(...keys: Arg[]): 'OK' {
    return this.run(['WATCH', ...keys])
  }

  /** UNWATCH: forgets the watched keys. */
  unwatch(): 'OK' {
    return this.run(['UNWATCH'])
  }
}
