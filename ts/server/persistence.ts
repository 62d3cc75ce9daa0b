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

/** The RDB file the configuration names, if there is one. */
function rdbFile(engine: NativeEngine): Buffer | undefined {
  const path = rdbPath(engine)
  return existsSync(path) ? readFileSync(path) : undefined
}

/** Loads the RDB file into the engine at once, if there is one (the embedded store's start,
 * when nobody else can be served meanwhile); throws when it cannot be read, after logging why. */
function loadRdb(engine: NativeEngine, logger?: Logger): void {
  const data = rdbFile(engine)
  if (!data) return
  const started = performance.now()
  let loaded
  try {
    loaded = engine.rdbLoad(data)
  } catch (error) {
    throw loadFailed(engine, () => data, error as Error, logger)
  }
  for (const line of loaded.log) logger?.engine(line)
  logLoaded(started, logger)
}

/** Loads the RDB file into the engine in slices, if there is one, while the event loop serves
 * clients in between (the server's start, as Redis serves them while it loads: they get
 * `-LOADING` until it is done); rejects when it cannot be read, after logging why. */
async function loadRdbServing(engine: NativeEngine, logger: Logger): Promise<void> {
  const path = rdbPath(engine)
  if (!existsSync(path)) return
  const started = performance.now()
  try {
    // The engine reads the file itself: it stays in the engine's memory only.
    engine.rdbLoadBegin(path)
    for (;;) {
      const slice = engine.rdbLoadStep()
      for (const line of slice.log) logger.engine(line)
      if (slice.done) break
      // Connections are read (and answered) before the next slice.
      await new Promise((resolve) => setImmediate(resolve))
    }
  } catch (error) {
    throw loadFailed(engine, () => readFileSync(path), error as Error, logger)
  }
  logLoaded(started, logger)
}

function logLoaded(started: number, logger?: Logger): void {
  logger?.notice(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`)
}

/** After the RDB file (whose bytes `data` gives) failed to load with `error`: logs what the
 * load logged, ending with why it failed, and returns the error to throw. */
function loadFailed(engine: NativeEngine, data: () => Buffer, error: Error, logger?: Logger): Error {
  const lines = error.message.split('\n')
  for (const line of lines) logger?.engine(line)
  // A file that stops making sense part-way (Redis's `rdbReportError`), rather than one
  // refused from its header: Redis runs redis-check-rdb on it, which prints its report to
  // standard output, and says it terminates when the file is corrupt rather than cut short.
  if (logger && /^# Internal error in RDB reading/.test(lines.at(-1)!)) {
    const check = engine.rdbCheck(data(), String(engine.configValue('dbfilename')))
    if (logger.level !== 'nothing') process.stdout.write(check.lines.map((line) => `${line}\n`).join(''))
    if (check.corrupt) logger.warning('Terminating server after rdb file reading failure.')
  }
  return new Error(lines.map((line) => line.replace(/^# /, '')).join('\n'))
}

/** Start-up: opens the append-only file (loading it with `appendonly yes`); returns whether
 * the RDB file is to be loaded (without AOF, as Redis loads one or the other). Throws when the
 * server must not start, with the reasons (which are logged too). */
function openAppendOnly(engine: NativeEngine, logger?: Logger): boolean {
  const opened = engine.openAppendOnly()
  for (const line of opened.log) logger?.engine(line)
  if (!opened.ok) {
    const reasons = opened.log.filter((line) => line.startsWith('# ')).map((line) => line.slice(2))
    throw new Error(`cannot open the append-only file: ${reasons.join('; ')}`)
  }
  return engine.configValue('appendonly') !== 'yes'
}

/** The embedded store's start: the append-only file or the RDB file, at once (see
 * `openAppendOnly`). */
export function loadDataFromDisk(engine: NativeEngine, logger?: Logger): void {
  if (openAppendOnly(engine, logger)) loadRdb(engine, logger)
}

/** The server's start: as `loadDataFromDisk`, but the RDB file is loaded while clients are
 * served. */
export async function loadDataFromDiskServing(engine: NativeEngine, logger: Logger): Promise<void> {
  if (openAppendOnly(engine, logger)) await loadRdbServing(engine, logger)
}

/** When the server closes: a background save under way is abandoned (a final save must not
 * be overwritten by an older one), and the append-only file is written out and fsynced. */
export function prepareShutdown(engine: NativeEngine, logger?: Logger): void {
  for (const line of engine.prepareShutdown()) logger?.engine(line)
}
