// benches/lib/servers.mjs — what the server benchmarks (server.mjs, pubsub.mjs) share.
//
// Every benchmark here compares redwing with the real redis-server side by
// side: both are started as child processes on free loopback ports, polled
// with a raw TCP PING until they answer, measured in interleaved rounds, and
// reported as per-round ratios, medians and geometric means (machines are
// shared and noisy; only ratios measured side by side mean something). This
// module holds the pieces that do not depend on what is measured:
//
//   - defaults and environment: DEFAULT_REDWING_CMD, DEFAULT_REDIS_CMD, ROOT,
//     HOST, exitUnlessBuilt, toolVersion, loadAverage;
//   - statistics and output: sleep, median, geomean, fmtInt, fmtRatio,
//     printTable, shellQuote, UsageError, writeJson;
//   - ports: freePort, twoPorts (127.0.0.1 only);
//   - child processes: startServer, describeExit, signalGroup, stopServer,
//     stopAll, and the `helpers` set where a benchmark registers client
//     processes it spawns (killed by stopAll). Importing this module installs
//     an exit handler and SIGINT/SIGTERM handlers, so that no server or helper
//     outlives the benchmark; wasInterrupted() tells main() a signal is
//     already being handled;
//   - raw RESP2 over TCP: RespConnection, encode, pingOnce, waitForPing.

import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The repository root: servers are started from there.
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const HOST = '127.0.0.1'
export const DEFAULT_REDWING_CMD = 'node dist/bin/server.js'
export const DEFAULT_REDIS_CMD = "redis-server --bind 127.0.0.1 --save '' --appendonly no"

// With the default --redwing-cmd, the server must have been built.
export function exitUnlessBuilt(redwingCmd) {
  if (redwingCmd === DEFAULT_REDWING_CMD && !fs.existsSync(path.join(ROOT, 'dist/bin/server.js'))) {
    console.error('dist/bin/server.js not found: build the project first (npm run build), ' + 'or pass --redwing-cmd.')
    process.exit(2)
  }
}

// ------------------------------------------------------- small utilities

export class UsageError extends Error {}

/** Reads integer option `name` of parseArgs' `values`: `def` when absent, a UsageError below `min`. */
export function intOption(values, name, def, min = 1) {
  const raw = values[name]
  if (raw === undefined) return def
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`)
  }
  return n
}

/** A comma-separated option as its non-empty, trimmed items. */
export function listOption(raw) {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** A comma-separated list of pipeline depths (option `--name`), each an integer >= 1. */
export function pipelineDepths(raw, name) {
  const depths = listOption(raw).map((s) => {
    const n = Number(s)
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`bad pipeline depth ${JSON.stringify(s)}`)
    return n
  })
  if (depths.length === 0) throw new UsageError(`--${name} is empty`)
  return depths
}

export function shellQuote(s) {
  s = String(s)
  if (/^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s)) return s
  if (!/["$`\\!]/.test(s)) return `"${s}"`
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function geomean(xs) {
  const s = xs.filter((x) => Number.isFinite(x) && x > 0)
  if (s.length === 0) return NaN
  return Math.exp(s.reduce((acc, x) => acc + Math.log(x), 0) / s.length)
}

export const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a')
export const fmtRatio = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a')

export function printTable(headers, rows, rightAlign) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const cell = (v, i) => (rightAlign[i] ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]))
  console.log('  ' + headers.map(cell).join('  '))
  console.log('  ' + widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log('  ' + r.map(cell).join('  '))
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')

// Writes `data` as indented JSON, with NaN and infinities as null.
export function writeJson(file, data) {
  const clean = JSON.parse(JSON.stringify(data, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)))
  fs.writeFileSync(path.resolve(file), JSON.stringify(clean, null, 2) + '\n')
}

export function toolVersion(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

export async function twoPorts() {
  for (;;) {
    const a = await freePort()
    const b = await freePort()
    if (a !== b) return [a, b]
  }
}

// -------------------------------------------------- child process control

const servers = new Set() // every server we started and have not reaped
export const helpers = new Set() // client processes a benchmark spawned (redis-benchmark), killed by stopAll

export function startServer(name, cmd, port) {
  const command = `${cmd} --port ${port}`
  // `exec` makes the shell replace itself, so the pid we hold is the
  // server's own (needed for /proc/<pid>/status). detached puts it in its
  // own process group, which we kill as a whole at the end.
  const proc = spawn('/bin/sh', ['-c', `exec ${command}`], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const srv = { name, command, port, proc, pid: proc.pid, log: '', exited: null }
  const keep = (chunk) => {
    srv.log = (srv.log + chunk).slice(-4000)
  }
  proc.stdout.setEncoding('utf8').on('data', keep)
  proc.stderr.setEncoding('utf8').on('data', keep)
  srv.exitPromise = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      srv.exited = { code, signal }
      servers.delete(srv)
      resolve()
    })
    proc.on('error', (err) => {
      srv.exited = { code: null, signal: null, error: err }
      servers.delete(srv)
      resolve()
    })
  })
  servers.add(srv)
  return srv
}

export function describeExit(srv) {
  const e = srv.exited
  const how = e.error ? `failed to start: ${e.error.message}` : `exited (code ${e.code}, signal ${e.signal})`
  const log = srv.log.trim()
  return `${srv.name} [${srv.command}] ${how}${log ? `\n--- last output of ${srv.name} ---\n${log}` : ''}`
}

export function signalGroup(srv, signal) {
  if (srv.exited) return
  try {
    process.kill(-srv.pid, signal)
  } catch {
    try {
      process.kill(srv.pid, signal)
    } catch {
      /* already gone */
    }
  }
}

export async function stopServer(srv) {
  if (srv.exited) return
  signalGroup(srv, 'SIGTERM')
  const timer = sleep(5000).then(() => 'timeout')
  if ((await Promise.race([srv.exitPromise, timer])) === 'timeout') {
    signalGroup(srv, 'SIGKILL')
    await srv.exitPromise
  }
}

export async function stopAll() {
  for (const h of helpers) h.kill('SIGKILL')
  await Promise.all([...servers].map(stopServer))
}

// Last resort if the process exits some other way: nothing may outlive us.
process.on('exit', () => {
  for (const h of helpers) {
    try {
      h.kill('SIGKILL')
    } catch {
      /* ignore */
    }
  }
  for (const srv of servers) signalGroup(srv, 'SIGKILL')
})

let interrupted = false
export const wasInterrupted = () => interrupted
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) return
    interrupted = true
    console.error(`\n${sig} received: stopping servers`)
    const code = sig === 'SIGINT' ? 130 : 143
    const hard = setTimeout(() => process.exit(code), 6000)
    stopAll().finally(() => {
      clearTimeout(hard)
      process.exit(code)
    })
  })
}

// ------------------------------------------------------ raw RESP over TCP

// A minimal RESP2 connection: send pre-encoded commands, get their replies
// back in order (arrays come back as JS arrays). Enough for PING, DBSIZE,
// pipelined SET batches and SUBSCRIBE confirmations; detach() then hands the
// raw socket to code that reads pushes its own, cheaper way.
export class RespConnection {
  static open(port, timeoutMs = 2000) {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host: HOST, port })
      const timer = setTimeout(() => {
        sock.destroy()
        reject(new Error(`connect to ${HOST}:${port} timed out`))
      }, timeoutMs)
      sock.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      sock.once('connect', () => {
        clearTimeout(timer)
        sock.setNoDelay(true)
        resolve(new RespConnection(sock))
      })
    })
  }

  constructor(sock) {
    this.sock = sock
    this.buf = Buffer.alloc(0)
    this.off = 0
    this.waiting = [] // { count, replies, resolve, reject }
    this.failure = null
    sock.removeAllListeners('error')
    this.listeners = {
      data: (chunk) => {
        this.buf = this.off < this.buf.length ? Buffer.concat([this.buf.subarray(this.off), chunk]) : chunk
        this.off = 0
        try {
          this.drain()
        } catch (err) {
          this.fail(err)
        }
      },
      error: (err) => this.fail(err),
      close: () => this.fail(new Error('connection closed by server')),
    }
    for (const [event, fn] of Object.entries(this.listeners)) sock.on(event, fn)
  }

  // Stops reading replies and hands over the socket with the bytes received
  // but not parsed yet. The caller must listen to 'data', 'error' and 'close'
  // itself, in the same tick.
  detach() {
    if (this.failure) throw this.failure
    if (this.waiting.length) throw new Error('detach() with replies still expected')
    for (const [event, fn] of Object.entries(this.listeners)) this.sock.off(event, fn)
    this.failure = new Error('detached')
    return { sock: this.sock, rest: this.buf.subarray(this.off) }
  }

  fail(err) {
    if (this.failure) return
    this.failure = err
    for (const w of this.waiting.splice(0)) w.reject(err)
    this.sock.destroy()
  }

  // Parses one reply at this.off; returns undefined if it is not complete yet.
  parse() {
    const b = this.buf
    const eol = b.indexOf('\r\n', this.off)
    if (eol < 0) return undefined
    const type = b[this.off]
    const line = b.toString('utf8', this.off + 1, eol)
    switch (type) {
      case 0x2b: // '+'
        this.off = eol + 2
        return line
      case 0x2d: // '-'
        this.off = eol + 2
        return new Error(line)
      case 0x3a: // ':'
        this.off = eol + 2
        return Number(line)
      case 0x24: {
        // '$'
        const len = Number(line)
        if (len < 0) {
          this.off = eol + 2
          return null
        }
        if (b.length < eol + 2 + len + 2) return undefined
        const s = b.toString('utf8', eol + 2, eol + 2 + len)
        this.off = eol + 2 + len + 2
        return s
      }
      case 0x2a: {
        // '*'
        const n = Number(line)
        this.off = eol + 2
        if (n < 0) return null
        const items = []
        for (let i = 0; i < n; i++) {
          const item = this.parse()
          if (item === undefined) return undefined // drain() rewinds this.off
          items.push(item)
        }
        return items
      }
      default:
        throw new Error(`unexpected RESP reply type ${JSON.stringify(String.fromCharCode(type))}`)
    }
  }

  drain() {
    while (this.waiting.length) {
      const start = this.off
      const reply = this.parse()
      if (reply === undefined) {
        this.off = start
        return
      }
      const w = this.waiting[0]
      w.replies.push(reply)
      if (w.replies.length === w.count) {
        this.waiting.shift()
        w.resolve(w.replies)
      }
    }
  }

  // Writes already-encoded commands; resolves with `count` replies.
  send(payload, count) {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.waiting.push({ count, replies: [], resolve, reject })
      this.sock.write(payload)
    })
  }

  async command(...args) {
    const [reply] = await this.send(encode(args), 1)
    if (reply instanceof Error) throw reply
    return reply
  }

  close() {
    this.failure = this.failure ?? new Error('closed')
    this.sock.end()
  }
}

export function encode(args) {
  let s = `*${args.length}\r\n`
  for (const a of args) {
    const v = String(a)
    s += `$${Buffer.byteLength(v)}\r\n${v}\r\n`
  }
  return s
}

export async function pingOnce(port) {
  let conn
  try {
    conn = await RespConnection.open(port, 1000)
    const reply = await Promise.race([conn.command('PING'), sleep(1000).then(() => null)])
    return reply === 'PONG'
  } catch {
    return false
  } finally {
    conn?.close()
  }
}

export async function waitForPing(srv, timeoutSec) {
  const deadline = Date.now() + timeoutSec * 1000
  while (Date.now() < deadline) {
    if (srv.exited) throw new Error(describeExit(srv))
    if (await pingOnce(srv.port)) return
    await sleep(100)
  }
  throw new Error(
    `${srv.name} [${srv.command}] did not answer PING within ${timeoutSec}s` +
      (srv.log.trim() ? `\n--- last output ---\n${srv.log.trim()}` : ''),
  )
}

// Resident memory of the server: VmRSS of every live process in its process
// group (normally just the server itself), in bytes.
export function groupRss(srv) {
  let total = 0
  let procs = 0
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
      // fields after the ")" that closes the command name: state ppid pgrp ...
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      if (pgrp !== srv.pid) continue
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${name}/status`, 'utf8'))
      if (m) {
        total += Number(m[1]) * 1024
        procs++
      }
    } catch {
      /* process vanished while we looked */
    }
  }
  if (procs === 0) throw new Error(`cannot read VmRSS of ${srv.name} (pid ${srv.pid})`)
  return total
}
