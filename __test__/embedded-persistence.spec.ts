// The embedded store's RDB file: loaded when a store opens on a directory holding one, written
// by save(), bgsave(), the save rules and close() (with rules set); the file is one redis-server
// loads too (see persistence.spec.ts for the exchange both ways). And its append-only file:
// every write appended, loaded instead of the RDB file when the store opens.

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { Redwing } from '../ts/index.js'

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'redwing-embedded-rdb-'))
  dirs.push(dir)
  return dir
}

test('save() and bgsave() write the file the next store loads', async () => {
  const dir = await freshDir()
  const first = new Redwing({ dir })
  first.set('a', '1')
  first.call('RPUSH', 'list', 'x', 'y')
  first.save()
  first.set('b', '2')
  await first.bgsave()
  first.set('not-saved', 'x')
  await first.close()

  const second = new Redwing({ dir })
  expect(second.get('a')).toBe('1')
  expect(second.get('b')).toBe('2')
  expect(second.call('LRANGE', 'list', 0, -1)).toEqual(['x', 'y'])
  expect(second.get('not-saved')).toBeNull()
  await second.close()
})

test('with save rules, the rules and close() save', async () => {
  const dir = await freshDir()
  const store = new Redwing({ dir, dbfilename: 'store.rdb', save: '1 1' })
  store.set('k', 'v')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  expect((await stat(join(dir, 'store.rdb'))).size).toBeGreaterThan(0)
  store.set('last', 'write')
  await store.close()
  const reopened = new Redwing({ dir, dbfilename: 'store.rdb' })
  expect(reopened.get('last')).toBe('write')
  await reopened.close()
})

test('a store without dir or dbfilename leaves the disk alone', async () => {
  const store = new Redwing({ save: '1 1' })
  store.set('k', 'v')
  // Past the rule's second, a store with a file would have saved by now.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const info = store.call<string>('INFO', 'persistence')
  expect(info).toMatch(/rdb_saves:0\r\n/)
  expect(info).toMatch(/rdb_changes_since_last_save:1\r\n/)
  await store.close()
})

test('appendonly: every write is in the append-only file the next store loads', async () => {
  const dir = await freshDir()
  const first = new Redwing({ dir, appendonly: true, appendfsync: 'always' })
  first.set('a', '1')
  first.call('HSET', 'h', 'f', 'v')
  first.call('INCR', 'n')
  // Not closed: the writes are on disk already.
  const incr = await readFile(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1')
  expect(incr).toContain('$4\r\nHSET\r\n')
  await first.close()

  const second = new Redwing({ dir, appendonly: true })
  expect(second.get('a')).toBe('1')
  expect(second.call('HGETALL', 'h')).toEqual(['f', 'v'])
  expect(second.call('INCR', 'n')).toBe(2)
  await second.close()
  // Without appendonly the store reads the RDB file (there is none) and not the AOF.
  const third = new Redwing({ dir })
  expect(third.get('a')).toBeNull()
  await third.close()
})

test('SAVE and DEBUG RELOAD as commands write the file, alone, inside a pipeline and from another session', async () => {
  const dir = await freshDir()
  const db = new Redwing({ dir, config: { 'enable-debug-command': 'yes' } })
  db.set('a', '1')
  expect(db.call('SAVE')).toBe('OK')
  expect(db.call('INFO', 'persistence')).toMatch(/rdb_changes_since_last_save:0\r\n/)
  const reloaded = () => {
    const copy = new Redwing({ dir })
    const keys = copy.keys('*').sort()
    copy.close()
    return keys
  }
  expect(reloaded()).toEqual(['a'])
  // In a batch, SAVE and DEBUG RELOAD (which saves and loads the file back) run in order; so do
  // the commands after one that needs a server, whose reply is an error.
  const replies = db
    .pipeline()
    .set('b', '2')
    .call('SAVE')
    .set('c', '3')
    .call('DEBUG', 'RELOAD')
    .call('DEBUG', 'LOADAOF')
    .call('SAVE')
    .get('c')
    .exec()
  expect(replies.map((reply) => (reply instanceof Error ? reply.message : reply))).toEqual([
    'OK',
    'OK',
    'OK',
    'OK',
    'ERR DEBUG LOADAOF is not available in the embedded store',
    'OK',
    '3',
  ])
  expect(reloaded()).toEqual(['a', 'b', 'c'])
  const session = db.openSession()
  expect(session.call('SET', ['d', '4'], false)).toBe('OK')
  expect(session.call('SAVE', [], true)).toEqual(Buffer.from('OK'))
  session.close()
  expect(reloaded()).toEqual(['a', 'b', 'c', 'd'])
  db.close()
})
