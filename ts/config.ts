// Start-up configuration, read the way redis-server reads it:
//
//   redwing-server [/path/to/redis.conf] [--name value ...] [-]
//
// A config file holds one directive per line (`port 6380`, `save ""`), with `#` comments,
// quoting as in inline commands, and `include other.conf`. Command-line options are turned into
// directive lines after the file's (`--save 900 1 --port 7000` is `save 900 1` then `port 7000`),
// and a lone `-` reads more directives from standard input. Every directive is applied through
// the engine's configuration registry, the same one CONFIG SET uses; an invalid one stops
// start-up with Redis's "FATAL CONFIG FILE ERROR" report.

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { splitArgs, type NativeEngine } from './native/binding.js'

/** The version of Redis whose behaviour redwing reproduces. */
export const REDIS_VERSION = '7.0.15'

export class ConfigError extends Error {}

interface Directive {
  /** The line as written, for error reports. */
  text: string
  args: string[]
}

/** Turns command-line options into directive lines (everything after an optional config file). */
export function optionsToDirectives(options: string[]): Directive[] {
  const directives: Directive[] = []
  for (const option of options) {
    if (option.startsWith('--') && option.length > 2) {
      directives.push({ text: option.slice(2), args: [option.slice(2)] })
    } else {
      // A value before any option is a directive line of its own, which the engine refuses
      // as redis-server does (`redwing-server -x`).
      const current = directives.at(-1)
      if (!current) directives.push({ text: JSON.stringify(option), args: [option] })
      else {
        current.args.push(option)
        current.text += ` ${quote(option)}`
      }
    }
  }
  return directives
}

/** Reads directive lines from config text; follows `include` relative to the process. */
export function textToDirectives(text: string, seen = new Set<string>()): Directive[] {
  const directives: Directive[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const args = splitArgs(line)
    if (!args) throw new ConfigError(report(index + 1, line, 'Unbalanced quotes in configuration line'))
    if (args.length === 0) return
    if (args[0]!.toLowerCase() === 'include' && args.length === 2) {
      const path = resolve(args[1]!)
      if (seen.has(path)) throw new ConfigError(report(index + 1, line, 'Config file is included more than once'))
      seen.add(path)
      directives.push(...textToDirectives(readConfigFile(path, index + 1, line), seen))
      return
    }
    directives.push({ text: line, args })
  })
  return directives
}

function readConfigFile(path: string, line = 0, text = ''): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const reason = `Fatal error, can't open config file '${path}': ${(error as Error).message}`
    throw new ConfigError(line ? report(line, text, reason) : reason)
  }
}

/** Applies directives to the engine, stopping at the first invalid one. */
export function applyDirectives(engine: NativeEngine, directives: Directive[]): void {
  directives.forEach((directive, index) => {
    try {
      engine.configure(directive.args)
    } catch (error) {
      throw new ConfigError(report(index + 1, directive.text, (error as Error).message))
    }
  })
}

export interface StartupConfig {
  /** Absolute path of the config file, or '' when started without one. */
  configFile: string
  directives: Directive[]
}

/** Parses redis-server-style arguments (without `node` and the script). */
export function parseArguments(argv: string[], stdin: () => string = () => readFileSync(0, 'utf8')): StartupConfig {
  let configFile = ''
  let rest = argv
  if (rest[0] && !rest[0].startsWith('-')) {
    configFile = resolve(rest[0])
    rest = rest.slice(1)
  }
  const directives = configFile ? textToDirectives(readConfigFile(configFile), new Set([configFile])) : []
  const readStdin = rest.at(-1) === '-'
  if (readStdin) rest = rest.slice(0, -1)
  directives.push(...optionsToDirectives(rest))
  if (readStdin) directives.push(...textToDirectives(stdin()))
  return { configFile, directives }
}

/** The report redis-server prints for a bad directive. */
function report(line: number, text: string, reason: string): string {
  return [
    '',
    `*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***`,
    `Reading the configuration file, at line ${line}`,
    `>>> '${text}'`,
    reason,
  ].join('\n')
}

function quote(arg: string): string {
  return arg === '' || /[\s"']/.test(arg) ? JSON.stringify(arg) : arg
}
