// The two servers a differential test compares: Debian's redis-server as the oracle, and
// redwing as the subject, or with REDWING_DIFF_SELF=1 a second redis-server, which checks that
// the test's expectations are deterministic before redwing is involved.

import { startRedisServer } from './redis.js'

const SELF_CHECK = process.env.REDWING_DIFF_SELF === '1'
export const SUBJECT_NAME = SELF_CHECK ? 'redis-server #2' : 'redwing'
/** Configuration given to both servers (DEBUG PROTOCOL, DIGEST-VALUE… are compared). */
const SERVER_ARGS = ['--enable-debug-command', 'local']

export interface RunningServer {
  port: number
  close(): Promise<void>
}

export interface ServerPair {
  oracle: RunningServer
  subject: RunningServer
  close(): Promise<void>
}

export async function startServerPair(): Promise<ServerPair> {
  const oracle = await startRedisServer(SERVER_ARGS)
  // redwing is loaded only here, so that the self-check runs even without a native build.
  const subject = SELF_CHECK
    ? await startRedisServer(SERVER_ARGS)
    : await (await import('./server.js')).startRedwing({ args: SERVER_ARGS })
  return {
    oracle,
    subject,
    close: async () => {
      await Promise.all([oracle.close(), subject.close()])
    },
  }
}
