// TLS, beside redis-server 7.0.15 started with the same flags: redis-cli, ioredis and node-redis
// with client certificates; pipelining, large values, pub/sub and blocking over TLS next to
// plain connections; which clients `tls-auth-clients` lets in (yes, optional, no) and
// `tls-protocols`; CONFIG GET and CONFIG SET of the tls-* parameters byte for byte, including a
// certificate reloaded and the TLS port moved at run time; a plain server turned into a TLS one;
// TLS only (`port 0`); start-up refusals; the embedded store's `listen()` with TLS options; and
// replication over TLS both ways. Certificates are made for the run (helpers/certificates.ts).

import { execFile, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'
import { makeCertificates, type Certificates, type Identity } from './helpers/certificates.js'
import { freePort } from './helpers/ports.js'
import { startRedisServer, type RunningRedis } from './helpers/redis.js'
import { connect, connectTls, encodeCommand, type RespConnection } from './helpers/resp-client.js'
import { runRedwing, spawnRedwing, startRedwing, type RunningRedwing } from './helpers/server.js'
import { field, run, text, until, workload } from './helpers/replication.js'

const execFileAsync = promisify(execFile)

let certs: Certificates
/** What every server here is started with, besides its ports. */
let serverTls: string[]
const closeAfterAll: { close(): Promise<void> }[] = []

beforeAll(() => {
  certs = makeCertificates()
  serverTls = ['--tls-cert-file', certs.server.cert, '--tls-key-file', certs.server.key, '--tls-ca-cert-file', certs.ca]
})

afterAll(async () => {
  for (const closable of closeAfterAll.reverse()) await closable.close().catch(() => {})
  certs.remove()
})

/** Node's TLS options for a client presenting `identity` (none: no certificate). */
function clientOptions(identity?: Identity): ConnectionOptions {
  const options: ConnectionOptions = { ca: certs.read(certs.ca) }
  if (identity) Object.assign(options, { cert: certs.read(identity.cert), key: certs.read(identity.key) })
  return options
}

async function tlsClient(port: number, identity: Identity | undefined = certs.client): Promise<RespConnection> {
  const connection = await connectTls(port, clientOptions(identity))
  closeAfterAll.push(connection)
  return connection
}

async function plainClient(port: number): Promise<RespConnection> {
  const connection = await connect(port)
  closeAfterAll.push(connection)
  return connection
}

/** redis-server with `args`, a plain port (for waiting and for plain clients) and `--tls-port`. */
async function redisWithTls(args: string[] = []): Promise<{ server: RunningRedis; tlsPort: number }> {
  const tlsPort = await freePort()
  const server = await startRedisServer([...serverTls, '--tls-port', String(tlsPort), ...args])
  closeAfterAll.push(server)
  return { server, tlsPort }
}

async function redwingWithTls(args: string[] = []): Promise<RunningRedwing> {
  const server = await startRedwing({ args: [...serverTls, '--tls-port', String(await freePort()), ...args] })
  closeAfterAll.push(server)
  return server
}

/** Whether a TLS client presenting `identity` gets PONG, or is turned away (at the handshake,
 * or by the connection closing after it). */
async function outcome(port: number, options: ConnectionOptions): Promise<'served' | 'rejected'> {
  let connection: RespConnection
  try {
    connection = await connectTls(port, options)
  } catch {
    return 'rejected'
  }
  try {
    return text(await connection.command('PING')) === '+PONG\r\n' ? 'served' : 'rejected'
  } catch {
    return 'rejected'
  } finally {
    await connection.close()
  }
}

/** The common name of the certificate a TLS server presents now. */
function presentedName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect({ port, host: '127.0.0.1', ...clientOptions(certs.client) }, () => {
      resolve(String(socket.getPeerCertificate().subject.CN))
      socket.destroy()
    })
    socket.once('error', reject)
  })
}

describe('clients over TLS', () => {
  let server: RunningRedwing

  beforeAll(async () => {
    server = await redwingWithTls(['--enable-debug-command', 'yes'])
  })

  test('redis-cli with a client certificate', async () => {
    const cli = (...args: string[]) =>
      execFileAsync('redis-cli', [
        '--tls',
        '--cert',
        certs.client.cert,
        '--key',
        certs.client.key,
        '--cacert',
        certs.ca,
        '-p',
        String(server.tlsPort),
        ...args,
      ]).then((result) => result.stdout)
    expect(await cli('SET', 'cli:k', 'over tls')).toBe('OK\n')
    expect(await cli('GET', 'cli:k')).toBe('over tls\n')
    expect(await cli('--no-raw', 'INCR', 'cli:n')).toBe('(integer) 1\n')
  })

  test('ioredis: commands, a pipeline, large values, pub/sub and blocking next to plain clients', async () => {
    const options = { host: '127.0.0.1', port: server.tlsPort, tls: clientOptions(certs.client), lazyConnect: true }
    const redis = new Redis(options)
    const subscriber = new Redis(options)
    const plain = await plainClient(server.port)
    try {
      await Promise.all([redis.connect(), subscriber.connect()])
      expect(await redis.set('io:k', 'v')).toBe('OK')
      expect(await redis.get('io:k')).toBe('v')
      const pipeline = redis.pipeline()
      for (let i = 0; i < 500; i++) pipeline.set(`io:p${i}`, `v${i}`).get(`io:p${i}`)
      const replies = (await pipeline.exec())!.map(([, value]) => value)
      expect(replies).toEqual(Array.from({ length: 500 }, (_, i) => ['OK', `v${i}`]).flat())
      // Larger than the socket buffer, and than one TLS record, both ways.
      const large = Buffer.alloc(3 * 1024 * 1024, 'tls')
      await redis.set('io:large', large)
      expect((await redis.getBuffer('io:large'))!.equals(large)).toBe(true)
      expect(text(await plain.command('STRLEN', 'io:large'))).toBe(`:${large.length}\r\n`)

      // A message published by a plain client reaches a TLS subscriber.
      const received = new Promise<string>((resolve) => subscriber.on('message', (_, message) => resolve(message)))
      await subscriber.subscribe('news')
      expect(text(await plain.command('PUBLISH', 'news', 'hello'))).toBe(':1\r\n')
      expect(await received).toBe('hello')

      // A TLS client blocked in BLPOP is woken by a plain one.
      const popped = redis.blpop('io:queue', 0)
      await until('the client to block', async () => text(await plain.command('CLIENT', 'LIST')).includes('cmd=blpop'))
      await plain.command('RPUSH', 'io:queue', 'job')
      expect(await popped).toEqual(['io:queue', 'job'])
    } finally {
      redis.disconnect()
      subscriber.disconnect()
    }
  })

  test('a long pipeline in one write: decrypted in several chunks at once, answered byte for byte', async () => {
    const c = await tlsClient(server.tlsPort)
    // The server sleeps first, so that the rest piles up and arrives in large reads, which Node
    // decrypts into several chunks in a row.
    const commands: Buffer[] = [encodeCommand(['DEBUG', 'SLEEP', '0.2'])]
    let expected = '+OK\r\n'
    for (let i = 0; i < 4000; i++) {
      const value = `value-${i}-`.repeat(1 + (i % 7))
      commands.push(encodeCommand(['SET', `pipe:${i}`, value]), encodeCommand(['GET', `pipe:${i}`]))
      expected += `+OK\r\n$${value.length}\r\n${value}\r\n`
    }
    c.send(Buffer.concat(commands))
    let replies = ''
    for (let i = 0; i < 8001; i++) replies += text(await c.readReply())
    expect(replies === expected).toBe(true)
  })

  test('reading pauses and resumes in order: behind a command the host runs, and for a slow reader', async () => {
    const own = await redwingWithTls()
    const c = await tlsClient(own.tlsPort)
    // CONFIG SET port is finished by the host, asynchronously: reading pauses meanwhile, and
    // what follows in the same write (several decrypted chunks) waits for it.
    const requests = [encodeCommand(['CONFIG', 'SET', 'port', String(await freePort())])]
    let expected = '+OK\r\n'
    for (let i = 0; i < 3000; i++) {
      requests.push(encodeCommand(['INCR', 'paused']))
      expected += `:${i + 1}\r\n`
    }
    c.send(Buffer.concat(requests))
    let replies = ''
    for (let i = 0; i < 3001; i++) replies += text(await c.readReply())
    expect(replies === expected).toBe(true)

    // Replies far larger than the socket's buffers, asked for all at once.
    const value = 'v'.repeat(100_000)
    await c.command('SET', 'big', value)
    c.send(Buffer.concat(Array.from({ length: 200 }, () => encodeCommand(['GET', 'big']))))
    for (let i = 0; i < 200; i++) expect(text(await c.readReply()) === `$100000\r\n${value}\r\n`).toBe(true)
  })

  test('node-redis, RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({
        socket: { host: '127.0.0.1', port: server.tlsPort, tls: true, ...clientOptions(certs.client) },
        RESP,
      })
      await client.connect()
      expect(await client.set('nr:k', `resp${RESP}`)).toBe('OK')
      expect(await client.get('nr:k')).toBe(`resp${RESP}`)
      expect(await client.hSet('nr:h', { a: '1', b: '2' })).toBeGreaterThanOrEqual(0)
      expect(await client.hGetAll('nr:h')).toEqual({ a: '1', b: '2' })
      await client.close()
    }
  })

  test('the plain port and the TLS port serve one keyspace; INFO shows the plain port', async () => {
    const secure = await tlsClient(server.tlsPort)
    const plain = await plainClient(server.port)
    await secure.command('SET', 'shared', 'from tls')
    expect(text(await plain.command('GET', 'shared'))).toBe('$8\r\nfrom tls\r\n')
    expect(await field(secure, 'server', 'tcp_port')).toBe(String(server.port))
    const list = text(await plain.command('CLIENT', 'LIST'))
    expect(list).toContain(`laddr=127.0.0.1:${server.tlsPort} `)
    expect(list).toContain(`laddr=127.0.0.1:${server.port} `)
  })
})

describe('who is let in, as redis-server decides', () => {
  test('tls-auth-clients yes, optional and no; read as each client connects', async () => {
    const redis = await redisWithTls()
    const redwing = await redwingWithTls()
    const controls = [await plainClient(redis.server.port), await plainClient(redwing.port)]
    const expected = {
      yes: { trusted: 'served', none: 'rejected', stranger: 'rejected' },
      optional: { trusted: 'served', none: 'served', stranger: 'rejected' },
      no: { trusted: 'served', none: 'served', stranger: 'served' },
    }
    for (const mode of ['yes', 'optional', 'no'] as const) {
      for (const control of controls) await control.command('CONFIG', 'SET', 'tls-auth-clients', mode)
      for (const port of [redis.tlsPort, redwing.tlsPort]) {
        const seen = {
          trusted: await outcome(port, clientOptions(certs.client)),
          none: await outcome(port, clientOptions()),
          stranger: await outcome(port, clientOptions(certs.stranger)),
        }
        expect({ port, mode, seen }).toEqual({ port, mode, seen: expected[mode] })
      }
    }
  })

  test('maxclients turns a TLS client away without a word', async () => {
    const redis = await redisWithTls()
    const redwing = await redwingWithTls()
    for (const [control, port] of [
      [await plainClient(redis.server.port), redis.tlsPort],
      [await plainClient(redwing.port), redwing.tlsPort],
    ] as const) {
      expect(text(await control.command('CONFIG', 'SET', 'maxclients', '1'))).toBe('+OK\r\n')
      const extra = await connectTls(port, clientOptions(certs.client)).catch(() => undefined)
      const seen = extra ? await extra.readReply().then(text, (error: Error) => error.message) : 'no handshake'
      expect(seen).not.toContain('max number of clients')
      await extra?.close()
      expect(text(await control.command('CONFIG', 'SET', 'maxclients', '10'))).toBe('+OK\r\n')
      expect(await outcome(port, clientOptions(certs.client))).toBe('served')
    }
  })

  test('tls-protocols', async () => {
    const redis = await redisWithTls(['--tls-protocols', 'TLSv1.3'])
    const redwing = await redwingWithTls(['--tls-protocols', 'TLSv1.3'])
    for (const port of [redis.tlsPort, redwing.tlsPort]) {
      const tls12: ConnectionOptions = { ...clientOptions(certs.client), maxVersion: 'TLSv1.2' }
      expect(await outcome(port, tls12)).toBe('rejected')
      expect(await outcome(port, clientOptions(certs.client))).toBe('served')
    }
  })
})

describe('session resumption, as redis-server offers it', () => {
  /** What `openssl s_client` sees over TLS 1.2, connecting six times: the lifetime of the
   * session tickets it got, and how many of its reconnections resumed the session. */
  async function resumption(port: number): Promise<{ lifetimes: string[]; reused: number }> {
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', certs.ca, '-tls1_2', '-reconnect']
      const child = execFile('openssl', args, (error, out) => (error ? reject(error) : resolve({ stdout: out })))
      child.stdin!.end()
    })
    const lifetimes = [...new Set(stdout.match(/lifetime hint: \d+/g))]
    return { lifetimes, reused: stdout.match(/^Reused, /gm)?.length ?? 0 }
  }

  test('tickets live tls-session-cache-timeout seconds, or two hours without tls-session-caching', async () => {
    const args = ['--tls-auth-clients', 'no', '--tls-session-cache-timeout', '123']
    const redis = await redisWithTls(args)
    const redwing = await redwingWithTls(args)
    const controls = [await plainClient(redis.server.port), await plainClient(redwing.port)]
    const expectations = [
      { change: [], lifetimes: ['lifetime hint: 123'] },
      { change: ['tls-session-cache-timeout', '60'], lifetimes: ['lifetime hint: 60'] },
      { change: ['tls-session-caching', 'no'], lifetimes: ['lifetime hint: 7200'] },
    ]
    for (const { change, lifetimes } of expectations) {
      if (change.length)
        for (const c of controls) expect(text(await c.command('CONFIG', 'SET', ...change))).toBe('+OK\r\n')
      for (const port of [redis.tlsPort, redwing.tlsPort]) {
        expect({ port, change, seen: await resumption(port) }).toEqual({ port, change, seen: { lifetimes, reused: 5 } })
      }
    }
  })
})

describe('CONFIG GET and CONFIG SET of tls-*, byte for byte', () => {
  let redis: { server: RunningRedis; tlsPort: number }
  let redwing: RunningRedwing
  /** A plain connection to each: redis-server, redwing. */
  let sides: [RespConnection, RespConnection]

  beforeAll(async () => {
    redis = await redisWithTls()
    redwing = await redwingWithTls()
    sides = [await plainClient(redis.server.port), await plainClient(redwing.port)]
  })

  /** Sends `args` to both servers; expects the same reply, and returns it. */
  async function same(...args: string[]): Promise<string> {
    const [expected, actual] = await Promise.all(sides.map(async (c) => text(await c.command(...args))))
    expect({ command: args.join(' '), reply: actual }).toEqual({ command: args.join(' '), reply: expected })
    return expected!
  }

  /** CONFIG GET tls-* as sorted name/value pairs, each server's own TLS port shown as PORT. */
  async function tlsSettings(c: RespConnection, tlsPort: number): Promise<string[]> {
    const reply = text(await c.command('CONFIG', 'GET', 'tls-*')).split('\r\n')
    const pairs: string[] = []
    for (let i = 2; i + 3 < reply.length; i += 4) pairs.push(`${reply[i]}=${reply[i + 2]}`)
    return pairs.map((pair) => pair.replace(`tls-port=${tlsPort}`, 'tls-port=PORT')).sort()
  }

  test('every parameter, by pattern and by name', async () => {
    const expected = await tlsSettings(sides[0], redis.tlsPort)
    expect(expected).toHaveLength(20)
    expect(await tlsSettings(sides[1], redwing.tlsPort)).toEqual(expected)
    for (const pair of expected) {
      const name = pair.split('=')[0]!
      if (name !== 'tls-port') await same('CONFIG', 'GET', name)
    }
  })

  test('values refused as they are checked, or when the TLS configuration will not load', async () => {
    const refused = [
      ['tls-auth-clients', 'maybe'],
      ['tls-session-cache-size', '-1'],
      ['tls-session-cache-timeout', 'soon'],
      ['tls-port', '65536'],
      ['tls-replication', 'sometimes'],
      ['tls-cert-file', '/no/such/file'],
      ['tls-key-file', '/no/such/file'],
      ['tls-key-file', certs.client.key],
      ['tls-ca-cert-file', '/no/such/file'],
      ['tls-ca-cert-file', certs.server.key],
      ['tls-dh-params-file', '/no/such/file'],
      ['tls-dh-params-file', certs.ca],
      ['tls-protocols', 'SSLv3'],
      ['tls-protocols', 'TLSv1.2  TLSv1.3'],
      ['tls-ciphers', 'NO-SUCH-CIPHER'],
      ['tls-ciphersuites', 'NO_SUCH_SUITE'],
      ['tls-client-cert-file', '/no/such/file', 'tls-client-key-file', certs.client.key],
    ]
    for (const change of refused) {
      expect(await same('CONFIG', 'SET', ...change)).toMatch(/^-ERR CONFIG SET failed/)
      // Nothing changed: the old values are back, and clients are still served.
      expect(await tlsSettings(sides[1], redwing.tlsPort)).toEqual(await tlsSettings(sides[0], redis.tlsPort))
    }
    expect(await outcome(redwing.tlsPort, clientOptions(certs.client))).toBe('served')
  })

  test('values taken, and a renewed certificate served to new clients', async () => {
    const accepted = [
      ['tls-protocols', 'tlsv1.2 TLSv1.3'],
      ['tls-ciphers', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
      ['tls-ciphersuites', 'TLS_AES_128_GCM_SHA256'],
      ['tls-prefer-server-ciphers', 'yes'],
      ['tls-session-caching', 'no'],
      ['tls-session-cache-size', '100'],
      ['tls-session-cache-timeout', '60'],
      ['tls-auth-clients', 'OPTIONAL'],
      // The CA through its hashed name only: the other certificates there are not trusted.
      ['tls-ca-cert-file', '', 'tls-ca-cert-dir', certs.caDir],
      ['tls-client-cert-file', certs.client.cert, 'tls-client-key-file', certs.client.key],
      ['tls-cert-file', certs.renewed.cert, 'tls-key-file', certs.renewed.key],
    ]
    expect(await presentedName(redwing.tlsPort)).toBe('redwing-test-server')
    for (const change of accepted) {
      expect(await same('CONFIG', 'SET', ...change)).toBe('+OK\r\n')
      expect(await tlsSettings(sides[1], redwing.tlsPort)).toEqual(await tlsSettings(sides[0], redis.tlsPort))
    }
    for (const port of [redis.tlsPort, redwing.tlsPort]) {
      expect(await presentedName(port)).toBe('redwing-test-server-2')
      expect(await outcome(port, clientOptions(certs.client))).toBe('served')
      expect(await outcome(port, clientOptions(certs.stranger))).toBe('rejected')
    }
  })

  test('the TLS port moves; a port in use is refused and the old one kept', async () => {
    const moved: number[] = []
    for (const [c, old] of [
      [sides[0], redis.tlsPort],
      [sides[1], redwing.tlsPort],
    ] as const) {
      const target = await freePort()
      expect(text(await c.command('CONFIG', 'SET', 'tls-port', String(target)))).toBe('+OK\r\n')
      expect(await outcome(target, clientOptions(certs.client))).toBe('served')
      expect(await outcome(old, clientOptions(certs.client))).toBe('rejected')
      moved.push(target)
    }
    // Each server's port is in use by the other. One at a time: both close their listeners before
    // opening the new ones (as Redis does), so two moves at once could swap the ports.
    const taken = [moved[1]!, moved[0]!]
    const replies: string[] = []
    for (const [i, c] of sides.entries()) {
      replies.push(text(await c.command('CONFIG', 'SET', 'tls-port', String(taken[i]))))
    }
    expect(replies[1]).toBe(replies[0])
    expect(replies[0]).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to listen on this port. Check server logs.\r\n",
    )
    for (const port of moved) expect(await outcome(port, clientOptions(certs.client))).toBe('served')
    // New addresses: both kinds of listeners move, each on its port.
    expect(await same('CONFIG', 'SET', 'bind', '127.0.0.1 -::1')).toBe('+OK\r\n')
    for (const port of moved) expect(await outcome(port, clientOptions(certs.client))).toBe('served')
    expect(await same('CONFIG', 'SET', 'bind', '999.999.999.999')).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
    )
    for (const port of moved) expect(await outcome(port, clientOptions(certs.client))).toBe('served')
  })
})

describe('a plain server turned into a TLS one with CONFIG SET', () => {
  test('tls-port needs the certificates first, then listens', async () => {
    const redis = await startRedisServer()
    closeAfterAll.push(redis)
    const redwing = await startRedwing()
    closeAfterAll.push(redwing)
    const sides = [await plainClient(redis.port), await plainClient(redwing.port)]
    for (const c of sides) {
      const port = String(await freePort())
      expect(text(await c.command('CONFIG', 'SET', 'tls-port', port))).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS configuration. Check server logs.\r\n",
      )
      expect(text(await c.command('CONFIG', 'GET', 'tls-port'))).toBe('*2\r\n$8\r\ntls-port\r\n$1\r\n0\r\n')
      // Not in use yet: the files are only recorded.
      expect(text(await c.command('CONFIG', 'SET', 'tls-cert-file', '/no/such/file'))).toBe('+OK\r\n')
      const files = ['tls-cert-file', certs.server.cert, 'tls-key-file', certs.server.key, 'tls-ca-cert-file', certs.ca]
      expect(text(await c.command('CONFIG', 'SET', ...files, 'tls-port', port))).toBe('+OK\r\n')
      expect(await outcome(Number(port), clientOptions(certs.client))).toBe('served')
    }
  })
})

describe('the executable', () => {
  test('port 0 with tls-port serves TLS only, from a config file', async () => {
    const tlsPort = await freePort()
    const config = join(certs.dir, 'tls-only.conf')
    const lines = [`tls-cert-file ${certs.server.cert}`, `tls-key-file ${certs.server.key}`]
    writeFileSync(config, [...lines, `tls-ca-cert-file ${certs.ca}`, 'tls-auth-clients optional', ''].join('\n'))
    const child = await spawnRedwing([config, '--port', '0', '--tls-port', String(tlsPort)])
    try {
      await child.waitForOutput(/Ready to accept connections tls/)
      expect(child.output()).not.toMatch(/Ready to accept connections tcp/)
      const c = await connectTls(tlsPort, clientOptions())
      expect(await field(c, 'server', 'tcp_port')).toBe(String(tlsPort))
      expect(text(await c.command('CONFIG', 'GET', 'port'))).toBe('*2\r\n$4\r\nport\r\n$1\r\n0\r\n')
      expect(text(await c.command('CONFIG', 'GET', 'tls-auth-clients'))).toBe(
        '*2\r\n$16\r\ntls-auth-clients\r\n$8\r\noptional\r\n',
      )
      await c.close()
    } finally {
      child.child.kill('SIGTERM')
      await child.exited
    }
  })

  test('a TLS configuration that does not load stops start-up, as redis-server', async () => {
    const cases = [
      { args: [], reason: /No tls-cert-file configured!/ },
      { args: ['--tls-cert-file', certs.server.cert, '--tls-key-file', certs.server.key], reason: /tls-ca-cert-file/ },
      {
        args: [...serverTls.slice(0, 2), '--tls-key-file', certs.client.key, ...serverTls.slice(4)],
        reason: /private key/,
      },
    ]
    for (const { args, reason } of cases) {
      const flags = ['--port', '0', '--tls-port', String(await freePort()), ...args]
      const redis = spawnSync('redis-server', [...flags, '--save', ''], { encoding: 'utf8', timeout: 10_000 })
      expect(redis.status).toBe(1)
      expect(redis.stdout).toMatch(/Failed to configure TLS/)
      const { code, output } = await runRedwing(flags)
      expect(code).toBe(1)
      expect(output).toMatch(/Failed to configure TLS\. Check logs for more info\./)
      expect(output).toMatch(reason)
    }
  })
})

describe('the embedded store', () => {
  test('listen() with TLS options, TLS only or beside a plain port', async () => {
    const db = new Redwing()
    try {
      const tls = { port: 0, certFile: certs.server.cert, keyFile: certs.server.key, caCertFile: certs.ca }
      const port = await db.listen({ port: null, tls })
      expect(db.tlsPort).toBe(port)
      const redis = new Redis({ host: '127.0.0.1', port, tls: clientOptions(certs.client), lazyConnect: true })
      await redis.connect()
      await redis.set('from', 'tls')
      redis.disconnect()
      expect(db.get('from')).toBe('tls')
      expect(db.call('CONFIG', 'GET', 'tls-cert-file')).toEqual(['tls-cert-file', certs.server.cert])
      expect(await outcome(port, clientOptions())).toBe('rejected')
      // A network client's CONFIG SET reloads the certificate, as with the server.
      const c = await tlsClient(port)
      const renewed = ['tls-cert-file', certs.renewed.cert, 'tls-key-file', certs.renewed.key]
      expect(text(await c.command('CONFIG', 'SET', ...renewed))).toBe('+OK\r\n')
      expect(await presentedName(port)).toBe('redwing-test-server-2')
    } finally {
      await db.close()
    }

    const both = new Redwing()
    try {
      const tls = { port: 0, certFile: certs.server.cert, keyFile: certs.server.key, authClients: 'no' as const }
      const port = await both.listen({ port: 0, tls })
      expect(both.tlsPort).not.toBe(port)
      both.set('k', 'v')
      expect(await outcome(both.tlsPort, clientOptions())).toBe('served')
      const plain = await plainClient(port)
      expect(text(await plain.command('GET', 'k'))).toBe('$1\r\nv\r\n')
    } finally {
      await both.close()
    }
  })

  test('listen() rejects TLS files that do not load, and can be called again', async () => {
    const db = new Redwing()
    try {
      const tls = { port: 0, certFile: certs.server.cert, keyFile: '/no/such/key', authClients: 'no' as const }
      await expect(db.listen({ port: null, tls })).rejects.toThrow(/Failed to load private key: \/no\/such\/key/)
      const port = await db.listen({ port: null, tls: { ...tls, keyFile: certs.server.key } })
      expect(await outcome(port, clientOptions())).toBe('served')
    } finally {
      await db.close()
    }
  })
})

describe('replication over TLS', () => {
  const replicaTls = (args: string[]) => [...args, '--tls-replication', 'yes', '--repl-diskless-sync-delay', '0']

  async function sameDigest(master: RespConnection, replica: RespConnection): Promise<void> {
    await until('the replica to catch up', async () => {
      const [expected, actual] = [await master.command('DEBUG', 'DIGEST'), await replica.command('DEBUG', 'DIGEST')]
      return text(expected) === text(actual)
    })
  }

  const linkUp = (c: RespConnection) =>
    until('the link', async () => (await field(c, 'replication', 'master_link_status')) === 'up')

  test('redis-server replicates from redwing, and redwing from redis-server', async () => {
    const debug = ['--enable-debug-command', 'yes']
    const redwingMaster = await redwingWithTls([...debug, '--repl-diskless-sync-delay', '0'])
    const m = await plainClient(redwingMaster.port)
    await run(m, workload(21, 300))
    const redisReplica = await redisWithTls(
      replicaTls([...debug, '--replicaof', '127.0.0.1', String(redwingMaster.tlsPort)]),
    )
    const r = await plainClient(redisReplica.server.port)
    await linkUp(r)
    await run(m, workload(22, 300))
    await sameDigest(m, r)
    // The replica announced its TLS port, and connected to the master's.
    expect(text(await m.command('INFO', 'replication'))).toContain(`port=${redisReplica.tlsPort},`)

    const redisMaster = await redisWithTls([...debug, '--repl-diskless-sync-delay', '0'])
    const rm = await plainClient(redisMaster.server.port)
    await run(rm, workload(23, 300))
    const redwingReplica = await redwingWithTls(
      replicaTls([...debug, '--replicaof', '127.0.0.1', String(redisMaster.tlsPort)]),
    )
    const rr = await plainClient(redwingReplica.port)
    await linkUp(rr)
    await run(rm, workload(24, 300))
    await sameDigest(rm, rr)
    expect(text(await rm.command('INFO', 'replication'))).toContain(`port=${redwingReplica.tlsPort},`)
  })
})
