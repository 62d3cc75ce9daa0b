// Two classic Lua scripts run through ioredis against redis-server and redwing with identical
// inputs: the lock released by compare-and-delete (EVAL, EVALSHA after SCRIPT LOAD, and
// ioredis's defineCommand falling back from NOSCRIPT to EVAL), and a sliding-window rate limiter
// on a sorted set. Every reply must be the same on both servers.

import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Redis } from 'ioredis'
import { startServerPair, type ServerPair } from './helpers/server-pair.js'

const UNLOCK = 'if redis.call("get",KEYS[1]) == ARGV[1] then return redis.call("del",KEYS[1]) else return 0 end'
const UNLOCK_SHA = createHash('sha1').update(UNLOCK).digest('hex')

const SLIDING_WINDOW = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, count + 1, limit - count - 1}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, count, tonumber(oldest[2]) + window - now}
`

type UnlockClient = Redis & { unlock(key: string, token: string): Promise<number> }

let servers: ServerPair
const clients: Redis[] = []

beforeAll(async () => {
  servers = await startServerPair()
}, 30_000)

afterAll(async () => {
  for (const client of clients) client.disconnect()
  await servers?.close()
})

async function client(port: number): Promise<Redis> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 })
  clients.push(redis)
  await redis.connect()
  await redis.flushall()
  await redis.script('FLUSH')
  return redis
}

/** A reply or the message of the error it was, so that both can be compared. */
async function outcome(reply: Promise<unknown>): Promise<unknown> {
  try {
    return await reply
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/** Runs `scenario` on both servers and returns the two transcripts. */
async function onBoth(scenario: (redis: Redis) => Promise<unknown[]>): Promise<[unknown[], unknown[]]> {
  const oracle = await scenario(await client(servers.oracle.port))
  const subject = await scenario(await client(servers.subject.port))
  return [oracle, subject]
}

describe('the compare-and-delete lock', () => {
  test('SET NX EX and EVAL release only with the right token', async () => {
    const [oracle, subject] = await onBoth(async (redis) => [
      await outcome(redis.set('lock', 'token-1', 'EX', 10, 'NX')),
      await outcome(redis.set('lock', 'token-2', 'EX', 10, 'NX')),
      await outcome(redis.ttl('lock')),
      await outcome(redis.eval(UNLOCK, 1, 'lock', 'token-2')),
      await outcome(redis.get('lock')),
      await outcome(redis.eval(UNLOCK, 1, 'lock', 'token-1')),
      await outcome(redis.exists('lock')),
      await outcome(redis.eval(UNLOCK, 1, 'lock', 'token-1')),
      await outcome(redis.set('lock', 'token-2', 'EX', 10, 'NX')),
      await outcome(redis.eval(UNLOCK, 0)),
      await outcome(redis.eval(UNLOCK, 2, 'lock')),
    ])
    expect(subject).toEqual(oracle)
    expect(oracle.slice(0, 9)).toEqual(['OK', null, 10, 0, 'token-1', 1, 0, 0, 'OK'])
  })

  test('SCRIPT LOAD, EVALSHA, SCRIPT EXISTS, SCRIPT FLUSH and NOSCRIPT', async () => {
    const [oracle, subject] = await onBoth(async (redis) => [
      await outcome(redis.evalsha(UNLOCK_SHA, 1, 'lock', 'token')),
      await outcome(redis.script('LOAD', UNLOCK)),
      await outcome(redis.script('EXISTS', UNLOCK_SHA, '0'.repeat(40))),
      await outcome(redis.set('lock', 'token', 'EX', 10, 'NX')),
      await outcome(redis.evalsha(UNLOCK_SHA, 1, 'lock', 'other')),
      await outcome(redis.evalsha(UNLOCK_SHA.toUpperCase(), 1, 'lock', 'token')),
      await outcome(redis.evalsha(UNLOCK_SHA, 1, 'lock', 'token')),
      await outcome(redis.script('FLUSH')),
      await outcome(redis.script('EXISTS', UNLOCK_SHA)),
      await outcome(redis.evalsha(UNLOCK_SHA, 1, 'lock', 'token')),
    ])
    expect(subject).toEqual(oracle)
    expect(oracle[1]).toBe(UNLOCK_SHA)
    expect(oracle[2]).toEqual([1, 0])
    expect(oracle[6]).toBe(0)
    expect(oracle[9]).toEqual({ error: 'NOSCRIPT No matching script. Please use EVAL.' })
  })

  test('ioredis defineCommand falls back from NOSCRIPT to EVAL', async () => {
    const [oracle, subject] = await onBoth(async (redis) => {
      redis.defineCommand('unlock', { numberOfKeys: 1, lua: UNLOCK })
      const lock = redis as UnlockClient
      const transcript: unknown[] = [await outcome(redis.script('EXISTS', UNLOCK_SHA))]
      transcript.push(await outcome(redis.set('lock', 'mine', 'EX', 10, 'NX')))
      // The script is not cached yet: EVALSHA fails with NOSCRIPT and ioredis sends EVAL.
      transcript.push(await outcome(lock.unlock('lock', 'theirs')))
      transcript.push(await outcome(redis.script('EXISTS', UNLOCK_SHA)))
      transcript.push(await outcome(lock.unlock('lock', 'mine')))
      transcript.push(await outcome(redis.script('FLUSH')))
      transcript.push(await outcome(redis.set('lock', 'again', 'PX', 10_000, 'NX')))
      transcript.push(await outcome(lock.unlock('lock', 'again')))
      transcript.push(await outcome(redis.get('lock')))
      return transcript
    })
    expect(subject).toEqual(oracle)
    expect(oracle).toEqual([[0], 'OK', 0, [1], 1, 'OK', 'OK', 1, null])
  })
})

describe('the sliding-window rate limiter', () => {
  test('allows `limit` requests per window, then reports the wait', async () => {
    const window = 1000
    const limit = 3
    const times = [1000, 1100, 1200, 1300, 1999, 2000, 2050, 2101, 2150, 2200, 3500, 3501, 3502, 3503]
    const [oracle, subject] = await onBoth(async (redis) => {
      const transcript: unknown[] = []
      for (const [i, now] of times.entries()) {
        transcript.push(await outcome(redis.eval(SLIDING_WINDOW, 1, 'rate:user', now, window, limit, `req-${i}`)))
      }
      transcript.push(await outcome(redis.zrange('rate:user', 0, -1, 'WITHSCORES')))
      const ttl = (await redis.pttl('rate:user')) as number
      transcript.push(ttl > 0 && ttl <= window)
      // Wrong types and arguments fail the same way on both servers.
      await redis.set('rate:string', 'x')
      transcript.push(await outcome(redis.eval(SLIDING_WINDOW, 1, 'rate:string', 1, window, limit, 'r')))
      transcript.push(await outcome(redis.eval(SLIDING_WINDOW, 1, 'rate:other', 'soon', window, limit, 'r')))
      return transcript
    })
    expect(subject).toEqual(oracle)
    expect(oracle.slice(0, 5)).toEqual([
      [1, 1, 2],
      [1, 2, 1],
      [1, 3, 0],
      [0, 3, 700],
      [0, 3, 1],
    ])
    expect(oracle[oracle.length - 3]).toBe(true)
  })
})
