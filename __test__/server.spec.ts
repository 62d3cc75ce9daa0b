// The server over real sockets, byte for byte: pipelining, reads split at every byte, inline
// commands, RESP3, protocol errors that close only the offending connection, backpressure,
// and the connection-level features that involve several sockets (MONITOR, CLIENT KILL,
// CLIENT PAUSE, QUIT, maxclients, idle timeout).

import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { connect, encodeCommand, type RespConnection } from './helpers/resp-client.js'
import { spawnRedwing, startRedwing, type RunningRedwing } from './helpers/server.js'
import { freePort } from './helpers/ports.js'
import { createConnection, createServer } from 'node:net'

let server: RunningRedwing
const open: RespConnection[] = []

async function client(port = server.port): Promise<RespConnection> {
  const c = await connect(port)
  open.push(c)
  return c
}

async function readN(c: RespConnection, n: number): Promise<string> {
  let text = ''
  for (let i = 0; i < n; i++) text += (await c.readReply()).toString('latin1')
  return text
}

beforeAll(async () => {
  server = await startRedwing()
})

afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => {})))
  await server.close()
})

describe('pipelining', () => {
  test('a thousand commands in one write are answered in order', async () => {
    const c = await client()
    const commands = []
    for (let i = 0; i < 500; i++) {
      commands.push(encodeCommand(['SET', `p${i}`, `v${i}`]), encodeCommand(['GET', `p${i}`]))
    }
    c.send(Buffer.concat(commands))
    let expected = ''
    for (let i = 0; i < 500; i++) expected += `+OK\r\n$${`v${i}`.length}\r\nv${i}\r\n`
    expect(await readN(c, 1000)).toBe(expected)
  })

  test('a pipeline split at every byte gives the same replies', async () => {
    const input = Buffer.concat([
      encodeCommand(['SET', 'split', 'value']),
      Buffer.from('PING\r\n'),
      encodeCommand(['GET', 'split']),
    ])
    for (let at = 1; at < input.length; at++) {
      const c = await client()
      c.send(input.subarray(0, at))
      await new Promise((r) => setImmediate(r))
      c.send(input.subarray(at))
      expect(await readN(c, 3)).toBe('+OK\r\n+PONG\r\n$5\r\nvalue\r\n')
      await c.close()
    }
  })
})

test('inline commands, as telnet sends them', async () => {
  const c = await client()
  c.send('SET inline "a b"\r\nGET inline\nPING\r\n')
  expect(await readN(c, 3)).toBe('+OK\r\n$3\r\na b\r\n+PONG\r\n')
})

test('RESP3 after HELLO 3, RESP2 again after HELLO 2', async () => {
  const c = await client()
  const hello = (await c.command('HELLO', '3')).toString()
  expect(
    hello.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n'),
  ).toBe(true)
  expect((await c.command('GET', 'missing')).toString()).toBe('_\r\n')
  await c.command('HELLO', '2')
  expect((await c.command('GET', 'missing')).toString()).toBe('$-1\r\n')
})

describe('protocol errors', () => {
  test('close only the offending connection', async () => {
    const bad = await client()
    const good = await client()
    bad.send('*1\r\n+PING\r\n')
    expect((await bad.readReply()).toString()).toBe("-ERR Protocol error: expected '$', got '+'\r\n")
    expect(await bad.waitForClose(2000)).toBe(true)
    expect((await good.command('PING')).toString()).toBe('+PONG\r\n')
  })

  test('a bulk longer than proto-max-bulk-len is refused', async () => {
    const c = await client()
    c.send('*1\r\n$536870913\r\n')
    expect((await c.readReply()).toString()).toBe('-ERR Protocol error: invalid bulk length\r\n')
    expect(await c.waitForClose(2000)).toBe(true)
  })

  test('unbalanced quotes in an inline command', async () => {
    const c = await client()
    c.send('SET a "b\r\n')
    expect((await c.readReply()).toString()).toBe('-ERR Protocol error: unbalanced quotes in request\r\n')
    expect(await c.waitForClose(2000)).toBe(true)
  })
})

test('a client that reads its replies late gets every one', async () => {
  const c = await client()
  const big = 'x'.repeat(1 << 20)
  expect((await c.command('SET', 'big', big)).toString()).toBe('+OK\r\n')
  const count = 64
  c.send(Buffer.concat(Array.from({ length: count }, () => encodeCommand(['GET', 'big']))))
  const header = `$${big.length}\r\n`
  for (let i = 0; i < count; i++) {
    const reply = await c.readReply(10_000)
    expect(reply.length).toBe(header.length + big.length + 2)
  }
  expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
})

// As Redis does, the server goes on reading a client whose replies back up: a client may
// write a whole pipeline, larger than the sockets' buffers both ways, before it reads a reply.
test('a pipeline written whole before any reply is read is read whole and answered', { timeout: 60_000 }, async () => {
  const value = 'v'.repeat(4096)
  const rounds = 8000
  const pipeline = Buffer.concat(
    Array.from({ length: rounds }, (_, i) =>
      Buffer.concat([encodeCommand(['SET', `w${i % 10}`, value]), encodeCommand(['GET', `w${i % 10}`])]),
    ),
  )
  // A server of its own process: in this one the test's socket and the server's share the
  // event loop, and the server's would drain whenever the test's reads.
  const own = await spawnRedwing(['--save', ''])
  onTestFinished(() => void own.child.kill('SIGKILL'))
  const socket = createConnection(own.port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.pause()
  // The whole pipeline (32 MB) reaches the server's socket while nothing is read here.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server stopped reading')), 30_000)
    socket.write(pipeline, () => {
      clearTimeout(timer)
      resolve()
    })
  })
  const expected = rounds * ('+OK\r\n'.length + `$${value.length}\r\n`.length + value.length + 2)
  let received = 0
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length
      if (received >= expected) resolve()
    })
    socket.resume()
  })
  expect(received).toBe(expected)
  socket.destroy()
})

test('QUIT replies OK and closes', async () => {
  const c = await client()
  c.send('QUIT\r\nPING\r\n')
  expect((await c.readReply()).toString()).toBe('+OK\r\n')
  expect(await c.waitForClose(2000)).toBe(true)
})

test('MONITOR streams the commands other clients run', async () => {
  const monitor = await client()
  expect((await monitor.command('MONITOR')).toString()).toBe('+OK\r\n')
  const other = await client()
  await other.command('SET', 'watched', 'a "quoted"\nvalue')
  const line = (await monitor.readReply()).toString()
  expect(line).toMatch(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "watched" "a \\"quoted\\"\\nvalue"\r\n$/)
})

test('CLIENT KILL closes another connection', async () => {
  const victim = await client()
  const id = (await victim.command('CLIENT', 'ID')).toString().slice(1, -2)
  const killer = await client()
  expect((await killer.command('CLIENT', 'KILL', 'ID', id)).toString()).toBe(':1\r\n')
  expect(await victim.waitForClose(2000)).toBe(true)
  expect((await killer.command('CLIENT', 'KILL', 'ID', id)).toString()).toBe(':0\r\n')
})

// Redis closes a killed connection at once, so its peer sees it end while the killer is still
// busy. In a process of its own, since DEBUG SLEEP stops the server's event loop.
test('CLIENT KILL inside a transaction ends the connection before the transaction ends', async () => {
  const child = await spawnRedwing(['--enable-debug-command', 'yes'])
  onTestFinished(() => void child.child.kill('SIGKILL'))
  const talked = await client(child.port)
  const talkedId = (await talked.command('CLIENT', 'ID')).toString().slice(1, -2)
  // A connection that never sent anything: the server has not read from it yet.
  const silent = await client(child.port)
  const killer = await client(child.port)
  const list = (await killer.command('CLIENT', 'LIST')).toString()
  const silentId = list
    .split('\n')
    .find((line) => line.includes('cmd=NULL'))!
    .match(/id=(\d+)/)![1]!
  await killer.command('MULTI')
  await killer.command('CLIENT', 'KILL', 'ID', talkedId)
  await killer.command('CLIENT', 'KILL', 'ID', silentId)
  await killer.command('DEBUG', 'SLEEP', '3')
  const started = Date.now()
  const exec = killer.command('EXEC')
  expect(await talked.waitForClose(2000)).toBe(true)
  expect(await silent.waitForClose(2000)).toBe(true)
  expect(Date.now() - started).toBeLessThan(2500)
  expect((await exec).toString()).toBe('*3\r\n:1\r\n:1\r\n+OK\r\n')
  expect((await killer.command('PING')).toString()).toBe('+PONG\r\n')
})

test('CLIENT LIST shows every connection with its name', async () => {
  const a = await client()
  await a.command('CLIENT', 'SETNAME', 'listed')
  const b = await client()
  const list = (await b.command('CLIENT', 'LIST')).toString()
  expect(list).toMatch(
    /id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=listed age=\d+ idle=\d+ flags=N db=0/,
  )
  expect(list).toMatch(/name= .* cmd=client\|list .* resp=2/)
})

test('CLIENT PAUSE WRITE holds writes from other clients until it ends', async () => {
  const pauser = await client()
  const writer = await client()
  expect((await pauser.command('CLIENT', 'PAUSE', '400', 'WRITE')).toString()).toBe('+OK\r\n')
  const started = Date.now()
  expect((await writer.command('GET', 'paused')).toString()).toBe('$-1\r\n')
  const write = writer.command('SET', 'paused', '1')
  expect(await Promise.race([write.then(() => 'replied'), new Promise((r) => setTimeout(() => r('held'), 150))])).toBe(
    'held',
  )
  expect((await write).toString()).toBe('+OK\r\n')
  expect(Date.now() - started).toBeGreaterThanOrEqual(300)
})

test('CLIENT UNPAUSE releases held writes at once', async () => {
  const pauser = await client()
  const writer = await client()
  await pauser.command('CLIENT', 'PAUSE', '10000', 'WRITE')
  const started = Date.now()
  const write = writer.command('SET', 'unpaused', '1')
  await new Promise((r) => setTimeout(r, 50))
  expect((await pauser.command('CLIENT', 'UNPAUSE')).toString()).toBe('+OK\r\n')
  expect((await write).toString()).toBe('+OK\r\n')
  expect(Date.now() - started).toBeLessThan(5000)
})

describe('limits', () => {
  let limited: RunningRedwing
  beforeAll(async () => {
    limited = await startRedwing({ args: ['--maxclients', '2', '--timeout', '1'] })
  })
  afterAll(() => limited.close())

  test('maxclients refuses the connection after the limit', async () => {
    const a = await client(limited.port)
    const b = await client(limited.port)
    await a.command('PING')
    await b.command('PING')
    const c = await client(limited.port)
    expect((await c.readReply()).toString()).toBe('-ERR max number of clients reached\r\n')
    await Promise.all([a.close(), b.close()])
  })

  test('idle clients are closed after timeout seconds', async () => {
    await new Promise((r) => setTimeout(r, 100))
    const idle = await client(limited.port)
    await idle.command('PING')
    expect(await idle.waitForClose(3500)).toBe(true)
  })
})

describe('CONFIG SET port and bind', () => {
  test('move the listeners, keep existing connections, and undo the whole change on failure', async () => {
    const own = await startRedwing()
    try {
      const c = await connect(own.port)
      const target = await freePort()
      expect((await c.command('CONFIG', 'SET', 'port', String(target))).toString()).toBe('+OK\r\n')
      // The connection that asked stays; new ones go to the new port.
      expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
      const moved = await connect(target)
      expect((await moved.command('CONFIG', 'GET', 'port')).toString()).toContain(String(target))
      await expect(connect(own.port)).rejects.toThrow()

      // A port in use: the error, and maxmemory (set in the same call) is put back.
      const blocker = createServer().listen(0, '127.0.0.1')
      await new Promise((resolve) => blocker.once('listening', resolve))
      const taken = (blocker.address() as { port: number }).port
      expect((await c.command('CONFIG', 'SET', 'maxmemory', '10mb', 'port', String(taken))).toString()).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
      )
      blocker.close()
      expect((await c.command('CONFIG', 'GET', 'maxmemory')).toString()).toBe('*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n')
      expect((await c.command('CONFIG', 'SET', 'bind', '999.999.999.999')).toString()).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
      )
      // Still listening where it was.
      const again = await connect(target)
      expect((await again.command('PING')).toString()).toBe('+PONG\r\n')
      await Promise.all([c.close(), moved.close(), again.close()])
    } finally {
      await own.close()
    }
  })

  test('run one at a time: a CONFIG SET sent while another moves the listeners waits for it', async () => {
    const own = await startRedwing()
    try {
      const [a, b] = await Promise.all([connect(own.port), connect(own.port)])
      const [first, second] = [await freePort(), await freePort()]
      // Both arrive while neither is applied: the second runs once the first has moved the
      // listener, and moves it again.
      const replies = Promise.all([
        a.command('CONFIG', 'SET', 'port', String(first)),
        b.command('CONFIG', 'SET', 'port', String(second)),
      ])
      expect((await replies).map(String)).toEqual(['+OK\r\n', '+OK\r\n'])
      const moved = await connect(second)
      expect((await moved.command('CONFIG', 'GET', 'port')).toString()).toContain(String(second))
      await expect(connect(first)).rejects.toThrow()
      await expect(connect(own.port)).rejects.toThrow()
      await Promise.all([a.close(), b.close(), moved.close()])
    } finally {
      await own.close()
    }
  })
})

describe('commands the host runs, held by a CLIENT PAUSE or behind a blocked command', () => {
  test('are answered once they run: SAVE and CONFIG SET after the pause, SAVE after a BLPOP', async () => {
    const own = await startRedwing()
    try {
      const [admin, c] = await Promise.all([connect(own.port), connect(own.port)])
      expect((await admin.command('CLIENT', 'PAUSE', '200', 'ALL')).toString()).toBe('+OK\r\n')
      expect((await c.command('SAVE')).toString()).toBe('+OK\r\n')
      const target = await freePort()
      expect((await admin.command('CLIENT', 'PAUSE', '200', 'ALL')).toString()).toBe('+OK\r\n')
      expect((await c.command('CONFIG', 'SET', 'port', String(target))).toString()).toBe('+OK\r\n')
      const moved = await connect(target)
      expect((await moved.command('PING')).toString()).toBe('+PONG\r\n')

      // A pipeline whose SAVE waits behind a BLPOP: both answered, in order, once a push wakes it.
      c.send(Buffer.concat([encodeCommand(['BLPOP', 'queue', '0']), encodeCommand(['SAVE'])]))
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect((await moved.command('RPUSH', 'queue', 'job')).toString()).toBe(':1\r\n')
      expect((await c.readReply()).toString()).toBe('*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n')
      expect((await c.readReply()).toString()).toBe('+OK\r\n')
      expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
      await Promise.all([admin.close(), c.close(), moved.close()])
    } finally {
      await own.close()
    }
  })
})
