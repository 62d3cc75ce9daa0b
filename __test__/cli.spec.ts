// The `redwing-server` executable: redis-server's command line and config file, start-up
// logs, refusals of unknown or unsupported options, bad RDB files at start-up, clean shutdown,
// and redis-server's -v and -h (daemonizing is in daemonize.spec.ts).

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { connect, connectPath } from './helpers/resp-client.js'
import { startRedisServer } from './helpers/redis.js'
import { DIST_SCRIPT, runRedwing, spawnRedwing, startRedwing } from './helpers/server.js'

async function configGet(port: number, name: string): Promise<string> {
  const c = await connect(port)
  const reply = (await c.command('CONFIG', 'GET', name)).toString()
  await c.close()
  return reply
}

test('starts, logs like Redis, and stops cleanly on SIGTERM', async () => {
  const server = await spawnRedwing(['--hz', '20'])
  await server.waitForOutput(/\d+:M \d\d \w{3} \d{4} [\d:.]+ \* Ready to accept connections tcp/)
  expect(await configGet(server.port, 'hz')).toBe('*2\r\n$2\r\nhz\r\n$2\r\n20\r\n')
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
  await server.waitForOutput(/ready to exit, bye bye/)
})

test('SHUTDOWN stops the process', async () => {
  const server = await spawnRedwing()
  const c = await connect(server.port)
  c.send('SHUTDOWN NOSAVE\r\n')
  expect(await c.waitForClose(5000)).toBe(true)
  expect(await server.exited).toBe(0)
})

test('a config file with quoting and include, overridden by the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-conf-'))
  writeFileSync(join(dir, 'extra.conf'), 'timeout 30\n')
  writeFileSync(
    join(dir, 'main.conf'),
    `# comment\nhz 15\ninclude ${join(dir, 'extra.conf')}\nsave ""\nappendonly no\n`,
  )
  const server = await spawnRedwing([join(dir, 'main.conf'), '--hz', '25'])
  expect(await configGet(server.port, 'hz')).toBe('*2\r\n$2\r\nhz\r\n$2\r\n25\r\n')
  expect(await configGet(server.port, 'timeout')).toBe('*2\r\n$7\r\ntimeout\r\n$2\r\n30\r\n')
  server.child.kill('SIGINT')
  expect(await server.exited).toBe(0)
})

test('always-show-logo prints the banner with the port and pid, as redis-server does', async () => {
  const server = await spawnRedwing(['--always-show-logo', 'yes'])
  await server.waitForOutput(/Ready to accept connections tcp/)
  expect(server.output()).toContain(`    Port: ${server.port}\n    PID: ${server.child.pid}\n`)
  expect(server.output()).not.toContain('Running mode=')
  server.child.kill('SIGTERM')
  expect(await server.exited).toBe(0)
})

test('unixsocket: the server listens there too, with unixsocketperm, and removes the file at exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-unix-'))
  const path = join(dir, 'redis.sock')
  // A file left there (by a server that did not exit cleanly) is replaced.
  writeFileSync(path, 'stale')
  const server = await spawnRedwing(['--unixsocket', path, '--unixsocketperm', '700'])
  await server.waitForOutput(new RegExp(`The server is now ready to accept connections at ${path}`))
  expect(statSync(path).isSocket()).toBe(true)
  expect(statSync(path).mode & 0o777).toBe(0o700)
  const c = await connectPath(path)
  expect((await c.command('PING')).toString()).toBe('+PONG\r\n')
  c.send('SHUTDOWN NOSAVE\r\n')
  expect(await server.exited).toBe(0)
  expect(server.output()).toContain('Removing the unix socket file.')
  expect(existsSync(path)).toBe(false)
})

describe('refused configuration', () => {
  test('an unknown option', async () => {
    const { code, output } = await runRedwing(['--no-such-option', 'x'])
    expect(code).toBe(1)
    expect(output).toContain('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***')
    expect(output).toContain(`>>> 'no-such-option "x"'`)
    expect(output).toContain('Bad directive or wrong number of arguments')
  })

  test('options are read into lines as redis-server reads them, and reported alike', async () => {
    // The report's last three lines: the line number, the line as read, and why.
    const report = (output: string) => output.trimEnd().split('\n').slice(-3).join('\n')
    const conf = join(mkdtempSync(join(tmpdir(), 'redwing-conf-')), 'redis.conf')
    writeFileSync(conf, '# two lines\nport 7000\n')
    for (const args of [
      ['--port'],
      ['--port', '6380', '--loglevel'],
      ['--port', '6379', '6380'],
      ['--port', '--loglevel', 'verbose'],
      ['--port', '--bla', '--loglevel', 'verbose'],
      ['--logfile', '--my--log--file', '--loglevel', '--bla'],
      ['--shutdown-on-sigint'],
      ['--shutdown-on-sigint', 'now force', '--shutdown-on-sigterm'],
      ['--replicaof', '127.0.0.1', 'abc'],
      ['--replicaof', '127.0.0.1', '70000'],
      ['--replicaof', '--127.0.0.1', 'abc'],
      ['--replicaof', '--127.0.0.1', '--abc'],
      ['--save', '--port', '6380', '--hz', 'x\ty"\\é'],
      ['--maxmemory 700mb', '--hz 5 6'],
      [conf, '--port', 'x'],
    ]) {
      const theirs = spawnSync('redis-server', args, { encoding: 'utf8' })
      const ours = await runRedwing(args)
      expect(ours.code, args.join(' ')).toBe(1)
      expect(report(ours.output), args.join(' ')).toBe(report(theirs.stdout + theirs.stderr))
    }
  })

  test('a value before any option, as redis-server reads it', async () => {
    const { code, output } = await runRedwing(['-x'])
    expect(code).toBe(1)
    expect(output).toContain(`>>> '"-x"'\nBad directive or wrong number of arguments`)
  })

  test('a bad value', async () => {
    const { code, output } = await runRedwing(['--hz', 'often'])
    expect(code).toBe(1)
    expect(output).toContain("argument couldn't be parsed into an integer")
  })

  test("a bad append-only file stops the server with Redis's message", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redwing-bad-aof-'))
    try {
      mkdirSync(join(dir, 'appendonlydir'))
      writeFileSync(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file x.aof seq 1 type b\n')
      writeFileSync(join(dir, 'appendonlydir', 'x.aof'), '*1\r\n$7\r\nNOTACMD\r\n')
      const { code, output } = await runRedwing(['--appendonly', 'yes', '--dir', dir])
      expect(code).toBe(1)
      expect(output).toMatch(/# Unknown command 'NOTACMD' reading the append only file x\.aof/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

test('-v and --version print the line redis-server prints, with the versions INFO reports', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const line = `Redis server v=7.0.15 sha=00000000:0 malloc=libc bits=64 build=0 redwing=${version}\n`
  expect(await runRedwing(['--version'])).toEqual({ code: 0, output: line })
  expect(await runRedwing(['-v'])).toEqual({ code: 0, output: line })
  const server = await startRedwing()
  const c = await connect(server.port)
  const info = (await c.command('INFO', 'server')).toString()
  await c.close()
  await server.close()
  expect(info).toContain('\r\nredis_version:7.0.15\r\n')
  expect(info).toContain(`\r\nredwing_version:${version}\r\n`)
  expect(info).toContain('\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\n')
})

test("-h and --help print redis-server's usage, with exit code 1 as it does", async () => {
  for (const flag of ['-h', '--help']) {
    const { code, output } = await runRedwing([flag])
    expect(code).toBe(1)
    expect(output).toMatch(/^Usage: redwing-server \[\/path\/to\/redis\.conf\] \[options\] \[-\]\n/)
    expect(output).toContain('\nExamples:\n       redwing-server (run the server with default conf)\n')
  }
})

test("a bad RDB file at start-up stops the server with Redis's message", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-bad-rdb-'))
  try {
    const cases: [Buffer, RegExp][] = [
      [
        Buffer.from('REDIS0010\xfa\x09redis-ver', 'latin1'),
        /Short read or OOM loading DB\. Unrecoverable error, aborting now\./,
      ],
      [Buffer.from('NOTREDIS0010', 'latin1'), /Wrong signature trying to load DB from file/],
      [
        // A set of no members, then a value of an unknown type.
        Buffer.from('REDIS0010\x02\x01s\x00\x63\x01k', 'latin1'),
        /rdbLoadObject skipping empty key: s\n.*Internal error in RDB reading offset 0, function at rdb\.c:0 -> Unknown RDB encoding type 99\n(.*\n)*.*Terminating server after rdb file reading failure\./,
      ],
      [Buffer.from('REDIS0042\xff', 'latin1'), /Can't handle RDB format version/],
    ]
    for (const [file, message] of cases) {
      writeFileSync(join(dir, 'dump.rdb'), file)
      // A Unix socket to listen on: with no listener at all the server would exit before loading.
      const socket = join(dir, 'redwing.sock')
      const { code, output } = await runRedwing(['--dir', dir, '--port', '0', '--unixsocket', socket, '--save', ''])
      expect(code).toBe(1)
      expect(output).toMatch(message)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

// Redis runs redis-check-rdb on a file that stops making sense part-way through, and prints
// its report (where it failed, on which key, after how many keys) to standard output.
test("a file that cannot be read at start-up gets redis-check-rdb's report, as redis-server prints it", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-check-rdb-'))
  try {
    // A real file of redis-server's: strings (one with an expiry), a list, a hash.
    const maker = await startRedisServer(['--dir', dir])
    const c = await connect(maker.port)
    for (let i = 0; i < 30; i++) await c.command('SET', `key:${i}`, `value-${i}`)
    await c.command('SET', 'short-lived', 'v', 'PX', '100000')
    await c.command('RPUSH', 'list', 'a', 'b', 'c')
    await c.command('HSET', 'hash', 'f1', 'v1', 'f2', 'v2')
    expect((await c.command('SAVE')).toString()).toBe('+OK\r\n')
    await c.close()
    await maker.close()
    const whole = readFileSync(join(dir, 'dump.rdb'))
    // A hash of ziplist encoding whose blob is nonsense, after one good key.
    const corrupt = Buffer.concat([
      Buffer.from('REDIS0010\xfa\x09redis-ver\x067.0.15\xfe\x00', 'latin1'),
      Buffer.from('\x00\x01a\x01x\x0d\x03key\x04\x01\x02\x03\x04\xff', 'latin1'),
      Buffer.alloc(8),
    ])
    const files: [string, Buffer][] = [
      ['cut.rdb', whole.subarray(0, Math.floor(whole.length * 0.6))],
      ['corrupt.rdb', corrupt],
      ['crc.rdb', Buffer.concat([whole.subarray(0, whole.length - 8), Buffer.from('foobar00')])],
    ]
    // The report's lines (everything but the log's), and the log lines from the first error
    // on, without their prefix; rdb.c's line numbers are Redis's own.
    const reported = (output: string) =>
      output
        .split('\n')
        .map((line) => line.replace(/^\d+:[MC] .*? [#*-.] /, 'log: ').replace(/rdb\.c:\d+/, 'rdb.c:N'))
        .filter((line) => /^(\[|---|log: (Short read|Internal error|Terminating|Wrong RDB checksum))/.test(line))
    for (const [name, data] of files) {
      writeFileSync(join(dir, name), data)
      const args = ['--port', '0', '--dir', dir, '--dbfilename', name, '--save', '']
      const redis = spawnSync('redis-server', [...args, '--unixsocket', join(dir, 'redis.sock')], { encoding: 'utf8' })
      const redwing = spawnSync(process.execPath, [DIST_SCRIPT, ...args, '--unixsocket', join(dir, 'redwing.sock')], {
        encoding: 'utf8',
      })
      expect(redis.status).toBe(1)
      expect(redwing.status).toBe(1)
      const expected = reported(redis.stdout)
      expect(expected.some((line) => line === '--- RDB ERROR DETECTED ---')).toBe(true)
      expect(reported(redwing.stdout)).toEqual(expected)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('what a command logs is in the log before its reply, as Redis writes its log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-log-'))
  const logfile = join(dir, 'redwing.log')
  const server = await spawnRedwing(['--dir', dir, '--logfile', logfile, '--enable-debug-command', 'yes'])
  try {
    const c = await connect(server.port)
    expect((await c.command('DEBUG', 'LOG', 'hello')).toString()).toBe('+OK\r\n')
    expect(readFileSync(logfile, 'utf8')).toMatch(/ # DEBUG LOG: hello\n$/)
    expect((await c.command('SAVE')).toString()).toBe('+OK\r\n')
    expect(readFileSync(logfile, 'utf8')).toMatch(/\* DB saved on disk\n$/)
    c.send('SHUTDOWN NOSAVE\r\n')
    expect(await c.waitForClose(5000)).toBe(true)
    expect(await server.exited).toBe(0)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
