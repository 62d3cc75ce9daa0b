// Crash reports: when the standalone server dies of a fault, its log says why and what state it
// was in, as Redis's does (its `bugReportStart`, `printCrashReport` and `bugReportEnd`).
//
// A report is framed by `=== REDWING BUG REPORT START` and `END` lines; between them, the
// cause (Redis's words for a fatal signal, a panic or a failed assertion; for an exception
// nothing caught, its message and stack), then the engine's part (INFO, the client list and
// the client whose command was running), left out with `crash-log-enabled no`. Then the pid
// file goes and the process dies as the cause says: by the same signal (so a core is dumped
// where enabled), or by abort() after a panic or an assertion (exit code 1 with
// `use-exit-on-panic yes`, as Redis's test suite runs it).
//
// What can be caught here: SIGABRT sent to the process, an exception that reached the event
// loop, and DEBUG SEGFAULT, PANIC and ASSERT, which crash on purpose. A real fault in native
// code (SIGSEGV, SIGBUS) cannot run JavaScript safely, so those signals keep Node's handling.

import { constants } from 'node:os'
import type { NativeEngine } from '../native/binding.js'
import type { Logger } from '../log.js'

/** The crashes DEBUG causes on purpose. */
export type DebugCrash = 'segfault' | 'panic' | 'assert'

export interface CrashHost {
  readonly engine: NativeEngine
  readonly logger: Logger
  /** The version the report names. */
  readonly version: string
  /** Runs just before the process dies (the standalone server removes its pid file). */
  beforeExit(): void
}

/** Reports SIGABRT sent to the process, and an exception nothing caught, before dying of it. */
export function installCrashHandlers(host: CrashHost): void {
  process.on('SIGABRT', () => crashBySignal(host, 'SIGABRT'))
  process.on('uncaughtException', (error) => {
    report(host, [`redwing ${host.version} crashed by an uncaught exception: ${String(error)}`], {
      stack: error instanceof Error ? error.stack : undefined,
    })
    process.exit(1)
  })
}

/** DEBUG SEGFAULT, PANIC or ASSERT, run by the session in `slot` as `argv`: reports and dies. */
export function crashOnPurpose(host: CrashHost, kind: DebugCrash, slot: number, argv: Buffer[]): never {
  const current = { slot, argv }
  if (kind === 'segfault') return crashBySignal(host, 'SIGSEGV', current)
  const headline =
    kind === 'panic'
      ? [
          '------------------------------------------------',
          '!!! Software Failure. Press left mouse button to continue',
          `Guru Meditation: DEBUG PANIC called at Unix time ${Math.floor(Date.now() / 1000)}`,
        ]
      : ['=== ASSERTION FAILED ===', "==> DEBUG ASSERT: '1 == 2' is not true"]
  report(host, headline, { current })
  let exitOnPanic = false
  try {
    exitOnPanic = host.engine.configValue('use-exit-on-panic') === 'yes'
  } catch {
    // A closed engine: abort.
  }
  if (exitOnPanic) process.exit(1)
  process.removeAllListeners('SIGABRT')
  process.abort()
}

function crashBySignal(host: CrashHost, signal: 'SIGABRT' | 'SIGSEGV', current?: Current): never {
  const number = constants.signals[signal]
  // Sent with kill(), as Redis's report says of a signal from a process (SI_USER).
  report(host, [`redwing ${host.version} crashed by signal: ${number}, si_code: 0`], { current })
  // The default action now: the process ends by this signal.
  process.removeAllListeners(signal)
  process.kill(process.pid, signal)
  process.exit(128 + number)
}

interface Current {
  slot: number
  argv: Buffer[]
}

function report(host: CrashHost, headline: string[], details: { stack?: string; current?: Current }): void {
  const { engine, logger } = host
  logger.raw('warning', '\n\n=== REDWING BUG REPORT START: Cut & paste starting from here ===\n')
  for (const line of headline) logger.warning(line)
  // The engine may be what failed: the report goes on without its part then.
  try {
    if (engine.configValue('crash-log-enabled') !== 'no') {
      if (details.stack) logger.raw('warning', `\n------ STACK TRACE ------\n${details.stack}\n`)
      logger.raw('warning', engine.crashReport(details.current?.slot ?? null, details.current?.argv ?? []))
    }
  } catch (error) {
    logger.warning(`The server's state could not be reported: ${String(error)}`)
  }
  logger.raw('warning', '\n=== REDWING BUG REPORT END. Make sure to include from START to END. ===\n\n')
  host.beforeExit()
}
