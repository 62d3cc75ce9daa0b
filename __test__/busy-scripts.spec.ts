// Busy scripts over real sockets, against the built server in its own process (a script blocks
// the server's event loop, so the clients must live elsewhere): past busy-reply-threshold other
// clients get -BUSY, SCRIPT KILL stops a script that wrote nothing, a script that wrote cannot
// be killed, and SHUTDOWN NOSAVE ends the server. The replies are redis-server 7.0.15's.

import { afterAll, beforeAll, expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { spawnRedwing, type RedwingProcess } from './helpers/server.js'

const BUSY = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n'
const UNKILLABLE =
  '-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the ' +
  'script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n'
const KILLED =
  '-ERR Script killed by user with SCRIPT KILL... script: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7, on ' +
  '@user_script:1.\r\n'

let server: RedwingProcess
const open: RespConnection[] = []

async function client(port = server.port): Promise<RespConnection> {
  const c = await connect(port)
  open.push(c)
  return c
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeAll(async () => {
  server = await spawnRedwing(['--busy-reply-threshold', '100'])
})

afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => {})))
  server.child.kill()
  await server.exited
})

test('other clients get BUSY until SCRIPT KILL stops the script', async () => {
  const a = await client()
  const b = await client()
  const running = a.command('EVAL', 'while true do end', '0')
  await sleep(300)
  expect((await b.command('PING')).toString()).toBe(BUSY)
  expect((await b.command('SCRIPT', 'KILL')).toString()).toBe('+OK\r\n')
  expect((await running).toString()).toBe(KILLED)
  expect((await b.command('PING')).toString()).toBe('+PONG\r\n')
  expect((await a.command('PING')).toString()).toBe('+PONG\r\n')
  expect((await b.command('SCRIPT', 'KILL')).toString()).toBe('-NOTBUSY No scripts in execution right now.\r\n')
  await server.waitForOutput(
    /Slow script detected: still in execution after \d+ milliseconds\. You can try killing the script using the SCRIPT KILL command\. Script name is: 694a5fe1ddb97a4c6a1bf299d9537c7d3d0f84e7\./,
  )
})

test('a script that wrote cannot be killed', async () => {
  const a = await client()
  const b = await client()
  const script =
    "redis.call('set','x','1') " +
    "local function now() local t = redis.call('time') return t[1] * 1000000 + t[2] end " +
    "local start = now() while now() - start < 800000 do end return 'done'"
  const running = a.command('EVAL', script, '0')
  await sleep(300)
  expect((await b.command('SCRIPT', 'KILL')).toString()).toBe(UNKILLABLE)
  expect((await b.command('GET', 'x')).toString()).toBe(BUSY)
  expect((await running).toString()).toBe('$4\r\ndone\r\n')
  expect((await b.command('GET', 'x')).toString()).toBe('$1\r\n1\r\n')
})

test('SHUTDOWN NOSAVE ends a server whose script is busy', async () => {
  const throwaway = await spawnRedwing(['--busy-reply-threshold', '100'])
  try {
    const a = await connect(throwaway.port)
    const b = await connect(throwaway.port)
    void a.command('EVAL', "redis.call('set','x','1') while true do end", '0').catch(() => {})
    await sleep(300)
    expect((await b.command('SHUTDOWN')).toString()).toBe(BUSY)
    b.send('SHUTDOWN NOSAVE\r\n')
    // Once a client sees its connection end, nobody can connect any more.
    expect(await b.waitForClose(5000)).toBe(true)
    await expect(connect(throwaway.port)).rejects.toThrow(/ECONNREFUSED/)
    expect(await throwaway.exited).toBe(0)
    expect(throwaway.output()).toMatch(/\d+:M \d\d \w{3} \d{4} [\d:.]+ # User requested shutdown\.\.\.\n/)
  } finally {
    throwaway.child.kill()
  }
})
