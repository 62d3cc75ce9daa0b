// The host's part of persistence: the RDB file read at start-up (`dir`/`dbfilename`), the
// background save driven between other work, and the start and end of the append-only file.
// The engine writes its files itself (SAVE, BGSAVE's writer thread, the AOF); this module
// reads the RDB file into it and gives its background work the event loop's spare time.

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { NativeEngine } from '../native/binding.js'
import type { Logger } from '../log.js'

/** Where the engine's configuration puts the RDB file. */
function rdbPath(engine: NativeEngine): string {
  return join(engine.configValue('dir') ?? process.cwd(), engine.configValue('dbfilename') ?? 'dump.rdb')
}

const driving = new WeakMap<NativeEngine, Promise<void>>()

/** Drives the engine's background save (BGSAVE, the save rules, an AOF rewrite's base): a
 * slice whenever the event loop has nothing else to do, until the file is written. Resolves
 * then; calling it again meanwhile returns the same promise. */
export function driveSnapshot(engine: NativeEngine): Promise<void> {
  let done = driving.get(engine)
  if (done) return done
  done = new Promise<void>((resolve) => {
    const step = () => {
      let state = 0
      try {
        state = engine.snapshotStep()
      } catch {
        state = 0
      }
      if (state === 1) setImmediate(step)
      else if (state === 2) setTimeout(step, 2)
      else {
        driving.delete(engine)
        resolve()
      }
    }
    setImmediate(step)
  })
  driving.set(engine, done)
  return done
}

/** Loads the RDB file into the engine if there is one; throws when it cannot be read, after
 * logging why. */
function loadRdb(engine: NativeEngine, logger?: Logger): void {
  const path = rdbPath(engine)
  if (!existsSync(path)) return
  const started = performance.now()
  const data = readFileSync(path)
  let loaded
  try {
    loaded = engine.rdbLoad(data)
  } catch (error) {
    // What the load logged, ending with why it failed.
    const lines = (error as Error).message.split('\n')
    for (const line of lines) logger?.engine(line)
    // A file that stops making sense part-way (Redis's `rdbReportError`), rather than one
    // refused from its header: Redis runs redis-check-rdb on it, which prints its report to
    // standard output, and says it terminates when the file is corrupt rather than cut short.
    if (logger && /^# Internal error in RDB reading/.test(lines.at(-1)!)) {
      const check = engine.rdbCheck(data, String(engine.configValue('dbfilename')))
      if (logger.level !== 'nothing') process.stdout.write(check.lines.map((line) => `${line}\n`).join(''))
      if (check.corrupt) logger.warning('Terminating server after rdb file reading failure.')
    }
    throw new Error(lines.map((line) => line.replace(/^# /, '')).join('\n'))
  }
  for (const line of loaded.log) logger?.engine(line)
  logger?.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`)
}

/** Start-up: opens the append-only file (loading it with `appendonly yes`), then, without AOF,
 * loads the RDB file, as Redis loads one or the other. Throws when the server must not start,
 * with the reasons (which are logged too). */
export function loadDataFromDisk(engine: NativeEngine, logger?: Logger): void {
  const opened = engine.openAppendOnly()
  for (const line of opened.log) logger?.engine(line)
  if (!opened.ok) {
    const reasons = opened.log.filter((line) => line.startsWith('# ')).map((line) => line.slice(2))
    throw new Error(`cannot open the append-only file: ${reasons.join('; ')}`)
  }
  if (engine.configValue('appendonly') === 'yes') return
  loadRdb(engine, logger)
}

/** When the server closes: a background save under way is abandoned (a final save must not
 * be overwritten by an older one), and the append-only file is written out and fsynced. */
export function prepareShutdown(engine: NativeEngine, logger?: Logger): void {
  for (const line of engine.prepareShutdown()) logger?.engine(line)
}
