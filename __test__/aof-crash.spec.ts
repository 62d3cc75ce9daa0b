// Redis's promise under `appendfsync always`: a write acknowledged is on disk. The server is
// killed with SIGKILL in a loop while several clients write, and every restart must start
// cleanly with every acknowledged write there (and nothing that was never sent).

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { connect, type RespConnection } from './helpers/resp-client.js'
import { spawnRedwing } from './helpers/server.js'

const CYCLES = 50
const WRITERS = 3

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test(`${CYCLES} kill -9 cycles under appendfsync always lose no acknowledged write`, { timeout: 240_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'redwing-aof-crash-'))
  try {
    const args = ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]
    // Per writer: the last counter value acknowledged, and the last one sent.
    const acknowledged = new Array<number>(WRITERS).fill(0)
    const sent = new Array<number>(WRITERS).fill(0)
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const server = await spawnRedwing(args)
      expect(server.child.exitCode, server.output()).toBeNull()
      const check = await connect(server.port)
      for (let writer = 0; writer < WRITERS; writer++) {
        const counter = Number((await check.command('GET', `counter:${writer}`)).toString().split('\r\n')[1] ?? 0)
        const length = Number((await check.command('LLEN', `log:${writer}`)).toString().slice(1))
        expect(counter, `cycle ${cycle}, writer ${writer}`).toBeGreaterThanOrEqual(acknowledged[writer]!)
        expect(counter, `cycle ${cycle}, writer ${writer}`).toBeLessThanOrEqual(sent[writer]!)
        // The INCR and the RPUSH of one step go together in a transaction.
        expect(length).toBe(counter)
        acknowledged[writer] = sent[writer] = counter
      }
      await check.close()

      let killed = false
      const writers = Array.from({ length: WRITERS }, async (_, writer) => {
        let c: RespConnection
        try {
          c = await connect(server.port)
        } catch {
          return
        }
        while (!killed) {
          sent[writer] = acknowledged[writer]! + 1
          try {
            c.send('*1\r\n$5\r\nMULTI\r\n')
            await c.readReply(2000)
            await c.command('INCR', `counter:${writer}`)
            await c.command('RPUSH', `log:${writer}`, String(sent[writer]))
            const reply = (await c.command('EXEC')).toString()
            expect(reply).toMatch(/^\*2\r\n:\d+\r\n:\d+\r\n$/)
            acknowledged[writer] = Number(reply.split('\r\n')[1]!.slice(1))
          } catch {
            return
          }
        }
      })
      await sleep(20 + ((cycle * 37) % 120))
      server.child.kill('SIGKILL')
      killed = true
      await server.exited
      await Promise.all(writers)
    }
    expect(acknowledged.reduce((a, b) => a + b, 0)).toBeGreaterThan(CYCLES)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
