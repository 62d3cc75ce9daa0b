// What the replication tests share: a deterministic workload over every type, and waiting for
// replication to catch up.

import type { RespConnection } from './resp-client.js'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const text = (reply: Buffer) => reply.toString('latin1')

export async function field(c: RespConnection, section: string, name: string): Promise<string> {
  return new RegExp(`${name}:(\\S*)`).exec(text(await c.command('INFO', section)))?.[1] ?? ''
}

/** Waits until `check` holds, or fails with `what`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** A deterministic pseudo-random workload over every type. */
export function workload(seed: number, steps: number): string[][] {
  let state = seed
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state % n
  }
  const commands: string[][] = []
  for (let i = 0; i < steps; i++) {
    const k = `k${next(40)}`
    const v = `v${next(1000)}`.repeat(1 + next(3))
    const choices: string[][] = [
      ['SET', `s:${k}`, v],
      ['INCRBY', `n:${k}`, String(next(100))],
      ['APPEND', `s:${k}`, v],
      ['RPUSH', `l:${k}`, v, `${v}x`],
      ['LPOP', `l:${k}`],
      ['HSET', `h:${k}`, `f${next(5)}`, v],
      ['HDEL', `h:${k}`, `f${next(5)}`],
      ['SADD', `set:${k}`, v, String(next(50))],
      ['SPOP', `set:${k}`],
      ['ZADD', `z:${k}`, String(next(100) / 4), v],
      ['ZINCRBY', `z:${k}`, '1.5', v],
      ['XADD', `x:${k}`, '*', 'f', v],
      ['PFADD', `hll:${k}`, v],
      ['SETBIT', `b:${k}`, String(next(200)), '1'],
      ['EXPIRE', `s:${k}`, String(100 + next(100))],
      ['SET', `t:${k}`, v, 'PX', String(1 + next(30))],
      ['DEL', `l:${k}`],
      ['EVAL', "redis.call('incr', KEYS[1]) return redis.call('lpush', KEYS[2], ARGV[1])", '2', `n:${k}`, `l:${k}`, v],
      ['SELECT', String(next(3))],
    ]
    commands.push(choices[next(choices.length)]!)
  }
  return commands
}

/** Runs `commands`, then a transaction, ending in database 0. */
export async function run(c: RespConnection, commands: string[][]): Promise<void> {
  for (const command of commands) {
    if (command[0] === 'MULTI') continue
    await c.command(...command)
  }
  // A transaction and a script's effects go as one unit.
  await c.command('MULTI')
  await c.command('INCR', 'tx:a')
  await c.command('RPUSH', 'tx:l', 'x')
  await c.command('EXEC')
  await c.command('SELECT', '0')
}
