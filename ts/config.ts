// Start-up configuration, read the way redis-server reads it:
//
//   redwing-server [/path/to/redis.conf] [--name value ...] [-]
//
// A config file holds one directive per line (`port 6380`, `save ""`), with `#` comments,
// quoting as in inline commands, and `include other.conf`. A lone `-` (first or last) reads more
// directives from standard input, after the file's. Command-line options come last, turned
// into config text as redis-server turns them: `--name` starts a line and the arguments after it
// are its values, quoted (`--save 900 1 --port 7000` is `save "900" "1"` then `port "7000"`);
// an option given no value in its own argument takes the next one even if it starts with `--`
// (`--port --bla` is `port "--bla"`), and `--name value` in one argument is a line as it is.
// Every directive is applied through the engine's configuration registry, the same one CONFIG
// SET uses; an invalid one stops start-up with Redis's "FATAL CONFIG FILE ERROR" report, which
// shows the line as that text has it.

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { splitArgs, type NativeEngine } from './native/binding.js'

/** The version of Redis whose behaviour redwing reproduces. */
export const REDIS_VERSION = '7.0.15'

export class ConfigError extends Error {}

interface Directive {
  /** The line as written, and its number, for error reports. */
  text: string
  line: number
  args: string[]
}

/** Turns command-line options into config text, as redis-server's `main` does (see the module
 * comment). `--save` and `--sentinel` with no value before the next option stand for `save ""`
 * and a bare `sentinel`. */
export function optionsToText(options: string[]): string {
  let text = ''
  // Whether the last option has its value: the next `--` argument is an option of its own.
  let valueGiven = true
  options.forEach((option, at) => {
    if (!valueGiven || !option.startsWith('--')) {
      text += `${repr(option)} `
      valueGiven = true
      return
    }
    if (text) text += '\n'
    text += `${option.slice(2)} `
    valueGiven = splitArgs(option)?.length !== 1
    if (valueGiven) return
    const name = option.toLowerCase()
    const nextIsOption = at < options.length - 1 && options[at + 1]!.startsWith('--')
    if (name === '--save' && (nextIsOption || at === options.length - 1)) {
      text += '""'
      valueGiven = true
    } else if (name === '--sentinel' && nextIsOption) {
      valueGiven = true
    }
  })
  return text
}

/** `arg` quoted as redis-server quotes an option's value (its `sdscatrepr`): in double quotes,
 * with `\` and `"` escaped, and bytes that are not printable ASCII as `\n`, `\r`, `\t`,
 * `\a`, `\b` or `\xHH`. */
function repr(arg: string): string {
  let quoted = '"'
  for (const byte of Buffer.from(arg)) {
    const char = String.fromCharCode(byte)
    if (char === '\\' || char === '"') quoted += `\\${char}`
    else if (ESCAPES[char] !== undefined) quoted += ESCAPES[char]
    else if (byte >= 0x20 && byte < 0x7f) quoted += char
    else quoted += `\\x${byte.toString(16).padStart(2, '0')}`
  }
  return `${quoted}"`
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b' }

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
    directives.push({ text: line, line: index + 1, args })
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
  for (const directive of directives) {
    try {
      engine.configure(directive.args)
    } catch (error) {
      throw new ConfigError(report(directive.line, directive.text, (error as Error).message))
    }
  }
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
  // A lone `-` as the first or the last argument: directives from standard input.
  const isStdin = (arg: string | undefined, at: number) => arg === '-' && (at === 0 || at === argv.length - 1)
  let readStdin = false
  if (isStdin(argv[0], 0)) {
    readStdin = true
    rest = rest.slice(1)
  }
  if (rest.length > 0 && isStdin(rest.at(-1), argv.length - 1)) {
    readStdin = true
    rest = rest.slice(0, -1)
  }
  // One text, as redis-server reads it (so that error reports give its line numbers): the
  // file, standard input, then the options on a line of their own.
  const text = `${configFile ? readConfigFile(configFile) : ''}${readStdin ? stdin() : ''}\n${optionsToText(rest)}`
  return { configFile, directives: textToDirectives(text, new Set(configFile ? [configFile] : [])) }
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
