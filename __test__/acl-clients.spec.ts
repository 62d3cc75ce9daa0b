// ACL users through real clients: ioredis and node-redis log in with a user name and password
// from their options, redis-cli with --user/--pass; a refused key comes back as the client's
// NOPERM error; users given as `user` directives exist at start-up.

import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startRedwing, type RunningRedwing } from './helpers/server.js'

const run = promisify(execFile)

describe('ACL users with real clients', () => {
  let server: RunningRedwing

  beforeAll(async () => {
    server = await startRedwing({
      args: ['--user', 'app', 'on', '>app-secret', '~app:*', '&app:*', '+@all', '-@dangerous'],
    })
  })

  afterAll(async () => {
    await server?.close()
  })

  test('ioredis authenticates as the user and gets NOPERM outside its keys', async () => {
    const client = new Redis({ port: server.port, username: 'app', password: 'app-secret', lazyConnect: true })
    await client.connect()
    try {
      expect(await client.call('ACL', 'WHOAMI')).toBe('app')
      expect(await client.set('app:1', 'v')).toBe('OK')
      expect(await client.get('app:1')).toBe('v')
      await expect(client.get('other')).rejects.toThrow(
        'NOPERM this user has no permissions to access one of the keys used as arguments',
      )
      await expect(client.flushall()).rejects.toThrow(
        "NOPERM this user has no permissions to run the 'flushall' command",
      )
    } finally {
      client.disconnect()
    }
    const wrong = new Redis({
      port: server.port,
      username: 'app',
      password: 'nope',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    const errors: string[] = []
    wrong.on('error', (error: Error) => errors.push(error.message))
    await wrong.connect().catch(() => {})
    expect(errors.join('\n')).toContain('WRONGPASS invalid username-password pair or user is disabled.')
    wrong.disconnect()
  })

  test('node-redis logs in from a URL and sees the same refusals', async () => {
    const client = createClient({ url: `redis://app:app-secret@127.0.0.1:${server.port}` })
    await client.connect()
    try {
      expect(await client.sendCommand(['ACL', 'WHOAMI'])).toBe('app')
      expect(await client.set('app:2', 'w')).toBe('OK')
      await expect(client.set('elsewhere', 'w')).rejects.toThrow('NOPERM')
    } finally {
      await client.quit()
    }
  })

  test('redis-cli --user --pass', async () => {
    const { stdout } = await run('redis-cli', [
      '-p',
      String(server.port),
      '--user',
      'app',
      '--pass',
      'app-secret',
      '--no-auth-warning',
      'ACL',
      'WHOAMI',
    ])
    expect(stdout.trim()).toBe('app')
    const log = await run('redis-cli', ['-p', String(server.port), 'ACL', 'LOG', '1'])
    expect(log.stdout).toContain('username')
  })
})
