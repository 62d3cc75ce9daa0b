// The corpus of the memcached differential test (`memcached.spec.ts`): sessions of raw
// text-protocol bytes, each replayed on a fresh connection to Debian's memcached and to
// redwing's memcached port, every step's reply compared byte for byte.
//
// A step is the bytes to send (each server's reply is everything it sends until it has been
// quiet a moment), or a directive:
// - `{ stats: true }` sends `stats` and compares the field names only (values differ);
// - `{ sleep: ms }` waits (expiry);
// - `{ closes: bytes }` sends bytes after which the server must close the connection.
// In bytes, `{cas:key}` is replaced by the cas unique the server last showed for `key` in a
// `gets`/`gats` reply, and `{now+N}` by the Unix time N seconds from now. Cas uniques in
// replies are compared by order of appearance (`c1`, `c2`…), since each server numbers its own.

export type Step = string | { stats: true } | { sleep: number } | { closes: string }

export interface Session {
  name: string
  steps: Step[]
}

const long = 'k'.repeat(251)
const longest = 'k'.repeat(250)
const many = Array.from({ length: 40 }, (_, i) => `m${i}`).join(' ')

export const SESSIONS: Session[] = [
  {
    name: 'storage commands, with flags',
    steps: [
      'flush_all\r\n',
      'set a 5 0 3\r\nabc\r\n',
      'get a\r\n',
      'set a 4294967295 0 1\r\nx\r\nget a\r\n',
      'set a 4294967296 0 1\r\nx\r\nget a\r\n',
      'add a 1 0 1\r\ny\r\nadd b 1 0 1\r\ny\r\n',
      'replace c 0 0 1\r\nz\r\nreplace b 2 0 2\r\nzz\r\n',
      'get a b c\r\n',
      'append a 9 0 2\r\nde\r\nprepend a 9 0 1\r\n_\r\nget a\r\n',
      'append nope 0 0 1\r\nx\r\nprepend nope 0 0 1\r\nx\r\n',
      'set empty 0 0 0\r\n\r\nget empty\r\n',
      'set bin 0 0 4\r\n\r\n\x00\x01\r\nget bin\r\n',
      `set ${longest} 0 0 1\r\nx\r\nget ${longest}\r\n`,
      'set a\x01b 0 0 1\r\nx\r\nget a\x01b\r\n',
      'set sp\ttab 0 0 1\r\nx\r\nget sp\ttab\r\n',
    ],
  },
  {
    name: 'retrieval: many keys, spacing, line endings',
    steps: [
      'flush_all\r\n',
      'set k1 0 0 1\r\n1\r\nset k2 0 0 1\r\n2\r\n',
      'get k1 k2 k3 k1\r\n',
      'get  k1   k2 \r\n',
      'get k1\n',
      'get k1\r\r\n',
      `get ${many} k1 k2\r\n`,
      'bget k1\r\n',
      'gets k1 k2\r\n',
    ],
  },
  {
    name: 'noreply',
    steps: [
      'flush_all noreply\r\n',
      'set a 0 0 1 noreply\r\nx\r\n',
      'add a 0 0 1 noreply\r\ny\r\nreplace a 0 0 1 noreply\r\nz\r\nappend a 0 0 1 noreply\r\n+\r\n',
      'prepend a 0 0 1 noreply\r\n-\r\nget a\r\n',
      'set n 0 0 1\r\n5\r\nincr n 3 noreply\r\ndecr n 1 noreply\r\nget n\r\n',
      'touch a 100 noreply\r\ndelete a noreply\r\ndelete a 0 noreply\r\nget a\r\n',
      'verbosity 1 noreply\r\nflush_all 0 noreply\r\nget n\r\n',
      'set a abc 0 1 noreply\r\nx\r\n',
      'set a 0 0 1 noreply\r\nxyz\r\n',
      'incr a x noreply\r\ntouch a x noreply\r\nflush_all x noreply\r\n',
    ],
  },
  {
    name: 'cas',
    steps: [
      'flush_all\r\n',
      'set a 3 0 1\r\nx\r\n',
      'gets a\r\n',
      'cas a 7 0 1 {cas:a}\r\ny\r\n',
      'cas a 7 0 1 {cas:a}\r\nz\r\n',
      'gets a\r\n',
      'cas a 0 0 1 0\r\nq\r\n',
      'cas missing 0 0 1 1\r\nq\r\n',
      'cas missing 0 0 1 0\r\nq\r\n',
      'cas a 0 0 1 abc\r\nq\r\n',
      'cas a 0 0 1\r\nq\r\n',
      'cas a 0 0 1 {cas:a} noreply\r\nw\r\ngets a\r\n',
      'touch a 100\r\ngets a\r\n',
      'gats 100 a\r\n',
      'incr a 1\r\nset n 0 0 1\r\n1\r\ngets n\r\nincr n 1\r\ngets n\r\n',
      'append n 0 0 1\r\n0\r\ngets n\r\ncas n 0 0 1 {cas:n}\r\n9\r\nget n\r\n',
    ],
  },
  {
    name: 'a cas race between two writers',
    steps: [
      'flush_all\r\n',
      'set counter 0 0 1\r\n0\r\n',
      'gets counter\r\n',
      'set counter 0 0 1\r\n1\r\n',
      'cas counter 0 0 1 {cas:counter}\r\n2\r\n',
      'gets counter\r\n',
      'cas counter 0 0 1 {cas:counter}\r\n2\r\n',
      'get counter\r\n',
    ],
  },
  {
    name: 'incr and decr',
    steps: [
      'flush_all\r\n',
      'incr n 1\r\ndecr n 1\r\n',
      'set n 0 0 2\r\n10\r\ndecr n 1\r\nget n\r\n',
      'incr n 18446744073709551615\r\nget n\r\n',
      'set n 0 0 20\r\n18446744073709551615\r\nincr n 1\r\nget n\r\n',
      'set n 0 0 2\r\n99\r\nincr n 1\r\nget n\r\ndecr n 1000\r\nget n\r\n',
      'set n 0 0 3\r\nabc\r\nincr n 1\r\n',
      'set n 0 0 0\r\n\r\nincr n 1\r\n',
      'set n 0 0 3\r\n-12\r\nincr n 1\r\nset n 0 0 3\r\n+12\r\nincr n 1\r\nget n\r\n',
      'set n 0 0 5\r\n12 ab\r\nincr n 1\r\nget n\r\n',
      'set n 0 0 3\r\n 12\r\nincr n 1\r\nget n\r\n',
      'incr n -1\r\nincr n abc\r\ndecr n 18446744073709551616\r\nincr n 1x\r\n',
      'set n 7 0 1\r\n1\r\nincr n 1\r\nget n\r\n',
      'incr n\r\nincr n 1 2 3\r\n',
    ],
  },
  {
    name: 'delete, touch, gat',
    steps: [
      'flush_all\r\n',
      'set a 0 0 1\r\nx\r\n',
      'delete a\r\ndelete a\r\n',
      'set a 0 0 1\r\nx\r\ndelete a 0\r\n',
      'delete a 1\r\ndelete a b c d\r\ndelete\r\n',
      'touch a\r\ntouch a 10\r\ntouch a x\r\n',
      'set a 0 0 1\r\nx\r\ntouch a 10\r\ngat 100 a missing\r\ngats 0 a\r\n',
      'gat x a\r\ngat 100\r\n',
      'touch a -1\r\nget a\r\n',
      'set a 0 0 1\r\nx\r\ngat -1 a\r\nget a\r\n',
    ],
  },
  {
    name: 'exptime forms',
    steps: [
      'flush_all\r\n',
      'set neg 0 -1 1\r\nx\r\nget neg\r\n',
      'set past 0 1000000000 1\r\nx\r\nget past\r\n',
      'set future 0 {now+100} 1\r\nx\r\nget future\r\n',
      'set rel 0 2592000 1\r\nx\r\nget rel\r\n',
      'set short 0 1 1\r\nx\r\nget short\r\n',
      'set a 0 0 1\r\nx\r\nadd a 0 -1 1\r\ny\r\nget a\r\n',
      'replace a 0 -1 1\r\nz\r\nget a\r\n',
      'add a 0 -1 1\r\nq\r\nget a\r\n',
      'set b 0 0 1\r\nx\r\nappend b 0 -1 1\r\nz\r\nget b\r\n',
      'set c 0 4294967297 1\r\nx\r\nget c\r\n',
      { sleep: 2100 },
      'get short rel future c\r\n',
    ],
  },
  {
    name: 'flush_all forms',
    steps: [
      'set a 0 0 1\r\nx\r\n',
      'flush_all\r\nget a\r\n',
      'set a 0 0 1\r\nx\r\nflush_all 0\r\nget a\r\n',
      'set a 0 0 1\r\nx\r\nflush_all -1\r\nget a\r\n',
      'set a 0 0 1\r\nx\r\nflush_all 1\r\nget a\r\n',
      'flush_all x\r\nflush_all 1 2 3\r\n',
      'set a 0 0 1\r\nx\r\nflush_all 30\r\nget a\r\nflush_all\r\n',
    ],
  },
  {
    name: 'bad command lines',
    steps: [
      '\r\n',
      'a\r\n',
      'foo\r\nGET a\r\n',
      'gxx a HTTP/1.1\r\nset HTTP/1.1\r\n',
      'get\r\ngets\r\ngat\r\ngat 1\r\n',
      'set a\r\nset a 0 0\r\n',
      'set a abc 0 1\r\nx\r\n',
      'set a 0 abc 1\r\nx\r\n',
      'set a 0 0 abc\r\nx\r\n',
      'set a 0 0 -1\r\nx\r\n',
      'set a -1 0 1\r\nx\r\n',
      'set a 0 0 1x\r\nx\r\nset a 0 0 +1\r\nx\r\nset a 0 0 01\r\nx\r\n',
      'set a 0 0 1 2 3\r\nx\r\n',
      'set a 0 0 1 x\r\nx\r\n',
      'set a 0 0 1 noreply x\r\nx\r\n',
      `get ${long}\r\n`,
      `get a ${long} b\r\n`,
      `set ${long} 0 0 1\r\nx\r\n`,
      `delete ${long}\r\nincr ${long} 1\r\ntouch ${long} 1\r\n`,
      'set a\x00b 0 0 1\r\nx\r\n',
      `${'x '.repeat(30)}\r\n`,
      `set ${'a '.repeat(25)}\r\n`,
      'verbosity\r\nverbosity 1\r\nverbosity x\r\nverbosity 1 2 3\r\n',
      'version\r\nversion extra\r\n',
      'stats nope\r\nstats detail\r\n',
      'shutdown\r\n',
    ],
  },
  {
    name: 'bad data chunks',
    steps: [
      'flush_all\r\n',
      'set a 0 0 1\r\nx\r\n',
      'set a 0 0 1\r\nxyz\r\nget a\r\n',
      'set a 0 0 3\r\nx\r\nget a\r\n',
      'set a 0 0 2\r\nx\r\r\nget a\r\n',
      'set b 0 0 1\r\nxy',
      'z\r\nget b\r\n',
    ],
  },
  {
    name: 'values too large',
    steps: [
      'flush_all\r\n',
      'set a 0 0 1\r\nx\r\n',
      `set a 0 0 1048516\r\n${'v'.repeat(1048516)}\r\nget nothing\r\n`,
      `set a 0 0 1048517\r\n${'v'.repeat(1048517)}\r\nget a\r\n`,
      `set b 1 0 1048513\r\n${'v'.repeat(1048513)}\r\nget nothing\r\n`,
      `set ${longest} 0 0 1048268\r\n${'v'.repeat(1048268)}\r\nget nothing\r\n`,
      `add c 0 0 2000000\r\n${'v'.repeat(2000000)}\r\nget c\r\n`,
      `set a 0 0 1048516 noreply\r\n${'v'.repeat(1048516)}\r\nget nothing\r\n`,
    ],
  },
  {
    name: 'statistics',
    steps: ['set a 0 0 1\r\nx\r\nget a b\r\n', { stats: true }, 'stats reset\r\n', { stats: true }],
  },
  {
    name: 'quit',
    steps: ['set a 0 0 1\r\nx\r\n', { closes: 'get a\r\nquit\r\nget a\r\n' }],
  },
  {
    name: 'quit with arguments',
    steps: [{ closes: 'quit now\r\n' }],
  },
  {
    name: 'an HTTP request closes the connection',
    steps: [{ closes: 'GET / HTTP/1.1\r\n' }],
  },
  {
    name: 'an endless line that is not a get closes the connection',
    steps: [{ closes: 'x'.repeat(3000) }],
  },
  {
    name: 'an endless get line does not',
    steps: [
      'flush_all\r\nset m1 0 0 1\r\n1\r\n',
      `get ${Array.from({ length: 600 }, (_, i) => `m${i}`).join(' ')}`,
      '\r\n',
    ],
  },
]
