// The embedded store's connection commands that make sense in-process: PING, ECHO and SELECT,
// mixed into `Redwing` (see `commands.ts`). The store owns its session, so AUTH, HELLO, RESET,
// QUIT, CLIENT and MONITOR (which streams to a connection) are not offered as methods; `call`
// reaches them, and `listen()`'s clients have them all.

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

export abstract class ConnectionCommands extends Commands {
  /** PING: 'PONG', or `message`. */
  ping(message?: Arg): string {
    return message === undefined ? this.run(['PING']) : this.run1('PING', message)
  }

  /** ECHO: `message`. */
  echo(message: Arg): string {
    return this.run1('ECHO', message)
  }

  /** Selects the database this store's calls use. */
  select(db: number): 'OK' {
    return this.run1('SELECT', db)
  }
}
