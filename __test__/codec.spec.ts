// The embedded store's reply reader on its own: every shortcut it takes for speed (whole-text
// decoding, bulk strings cut from it, object shapes) must give what decoding each reply on its
// own gives, for ASCII, UTF-8, invalid bytes, nulls and nesting, in both protocols.

import { describe, expect, test } from 'vitest'
import { ReplyReader } from '../ts/embedded/codec.js'
import { objectFromPairs } from '../ts/embedded/records.js'

/** RESP bulk string of `bytes`. */
const bulk = (bytes: Buffer) => Buffer.concat([Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n')])
const array = (items: Buffer[]) => Buffer.concat([Buffer.from(`*${items.length}\r\n`), ...items])

function readAll(data: Buffer, buffers = false): unknown[] {
  const reader = new ReplyReader()
  reader.reset(data, buffers)
  const replies = []
  while (reader.more) replies.push(reader.next())
  return replies
}

const samples: Buffer[] = [
  Buffer.from('value-1'),
  Buffer.from(''),
  Buffer.from('héllo wörld'),
  Buffer.from([0xff]),
  Buffer.from([0x61, 0xc3]),
  Buffer.from([0xe2, 0x82, 0xac]),
  Buffer.from('a'.repeat(40)),
  Buffer.from('0123456789'),
]

describe('ReplyReader', () => {
  test('arrays of bulk strings read as each element decoded alone', () => {
    for (let n = 1; n < 40; n++) {
      const items = Array.from({ length: n }, (_, i) => samples[(i * 7 + n) % samples.length]!)
      const replies = readAll(array(items.map(bulk)))
      expect(replies).toEqual([items.map((item) => item.toString('utf8'))])
    }
  })

  test('all-ASCII arrays, short and past the size decoded at once', () => {
    for (const count of [8, 100, 1000]) {
      const items = Array.from({ length: count }, (_, i) => Buffer.from(`member:${i}`))
      expect(readAll(array(items.map(bulk)))).toEqual([items.map(String)])
    }
  })

  test('one invalid byte per element is read as U+FFFD, as the element alone', () => {
    const items = Array.from({ length: 10 }, (_, i) => Buffer.from([0x61 + i, 0x80, 0x62]))
    expect(readAll(array(items.map(bulk)))).toEqual([items.map((item) => item.toString('utf8'))])
  })

  test('nulls, integers and nested arrays among bulk strings', () => {
    const data = Buffer.concat([
      Buffer.from('*10\r\n'),
      bulk(Buffer.from('a')),
      Buffer.from('$-1\r\n'),
      Buffer.from(':42\r\n'),
      array([bulk(Buffer.from('x')), bulk(Buffer.from('y'))]),
      bulk(Buffer.from('bb')),
      Buffer.from('*-1\r\n'),
      Buffer.from('+OK\r\n'),
      bulk(Buffer.from('ccc')),
      Buffer.from(':-7\r\n'),
      bulk(Buffer.from('dddd')),
      bulk(Buffer.from('after')),
    ])
    expect(readAll(data)).toEqual([['a', null, 42, ['x', 'y'], 'bb', null, 'OK', 'ccc', -7, 'dddd'], 'after'])
  })

  test('a reply read as Buffers after an array read as strings from the same text', () => {
    const items = Array.from({ length: 10 }, (_, i) => Buffer.from(`v${i}`))
    const reader = new ReplyReader()
    reader.reset(Buffer.concat([array(items.map(bulk)), array(items.map(bulk))]), false)
    expect(reader.next()).toEqual(items.map(String))
    reader.buffers = true
    expect(reader.next()).toEqual(items)
  })

  test('RESP3 maps become objects, __proto__ an own field', () => {
    const data = Buffer.from('%2\r\n$9\r\n__proto__\r\n$1\r\nx\r\n$1\r\na\r\n:1\r\n')
    const [map] = readAll(data) as [Record<string, unknown>]
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype)
    expect(Object.keys(map)).toEqual(['__proto__', 'a'])
    expect(map.a).toBe(1)
  })
})

describe('objectFromPairs', () => {
  test('a field list seen again gives the same object as the first time', () => {
    const fields = Array.from({ length: 12 }, (_, i) => `f${i}`)
    for (let round = 0; round < 4; round++) {
      const pairs = fields.flatMap((field, i) => [field, `${round}:${i}`])
      const object = objectFromPairs(pairs)
      expect(Object.entries(object)).toEqual(fields.map((field, i) => [field, `${round}:${i}`]))
    }
  })

  test('names that JSON or code would misread, and __proto__', () => {
    const fields = ['"quoted"', "it's", '\\', '`${x}`', '}; throw 1; {', '\u2028', 'constructor', '0', '1e3']
    for (let round = 0; round < 3; round++) {
      const object = objectFromPairs<number>(fields.flatMap((field, i) => [field, i + round]))
      expect(Object.keys(object).sort()).toEqual([...fields].sort())
      fields.forEach((field, i) => expect(object[field]).toBe(i + round))
    }
    const withProto = objectFromPairs(Array.from({ length: 10 }, (_, i) => [i === 3 ? '__proto__' : `g${i}`, i]).flat())
    expect(Object.getPrototypeOf(withProto)).toBe(Object.prototype)
    expect(Object.prototype.hasOwnProperty.call(withProto, '__proto__')).toBe(true)
  })
})
