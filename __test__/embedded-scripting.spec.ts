// The embedded store's scripting methods: eval, evalsha, scriptLoad, functionLoad, fcall and
// ioredis-style defineCommand, with its EVAL fallback after SCRIPT FLUSH.

import { afterEach, expect, test } from 'vitest'
import { Redwing, ReplyError } from '../ts/index.js'

let db: Redwing | undefined

afterEach(() => {
  db?.close()
  db = undefined
})

const UNLOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`

test('eval and evalsha run scripts with keys and arguments', () => {
  db = new Redwing()
  expect(db.eval("return redis.call('set', KEYS[1], ARGV[1])", ['greeting'], ['hello'])).toBe('OK')
  expect(db.get('greeting')).toBe('hello')
  expect(db.eval('return {1, 2, {3, "x"}, nil, 5}')).toEqual([1, 2, [3, 'x']])
  // The digest redis-server gives this script.
  const sha = db.scriptLoad(UNLOCK)
  expect(sha).toBe('cf0e94b2e9ffc7e04395cf88f7583fc309985910')
  db.set('lock', 'token')
  expect(db.evalsha(sha, ['lock'], ['other'])).toBe(0)
  expect(db.evalsha(sha, ['lock'], ['token'])).toBe(1)
  expect(() => db!.evalsha('0'.repeat(40))).toThrow(ReplyError)
  expect(() => db!.eval('return redis.call("nosuch")')).toThrow(/Unknown Redis command called from script/)
})

test('functions load and run', () => {
  db = new Redwing()
  const code = "#!lua name=greet\nredis.register_function('hello', function(keys, args) return 'hello ' .. args[1] end)"
  expect(db.functionLoad(code)).toBe('greet')
  expect(db.fcall('hello', [], ['world'])).toBe('hello world')
  expect(() => db!.functionLoad(code)).toThrow("ERR Library 'greet' already exists")
  expect(db.functionLoad(code, { replace: true })).toBe('greet')
})

test('defineCommand adds a method that survives SCRIPT FLUSH', () => {
  db = new Redwing()
  db.defineCommand('unlock', { numberOfKeys: 1, lua: UNLOCK })
  const store = db as Redwing & { unlock(key: string, token: string): number }
  db.set('lock', 'token')
  expect(store.unlock('lock', 'nope')).toBe(0)
  db.call('SCRIPT', 'FLUSH')
  expect(store.unlock('lock', 'token')).toBe(1)
  expect(db.get('lock')).toBeNull()
  expect(() => db!.defineCommand('get', { numberOfKeys: 1, lua: 'return 1' })).toThrow(TypeError)
})
