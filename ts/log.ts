// Server log lines in Redis's format, so log scrapers and humans see familiar output:
//   12345:M 21 Nov 2026 07:30:52.123 * Ready to accept connections tcp
// Levels map to Redis's markers: debug '.', verbose '-', notice '*', warning '#'; the letter
// after the pid is the role, M for a master and S for a replica.

import { appendFileSync } from 'node:fs'

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing'

const LEVELS: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 }
const MARKERS: Record<Exclude<LogLevel, 'nothing'>, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' }
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export class Logger {
  /** The server's role, as the letter after the pid shows it. */
  role: 'M' | 'S' = 'M'
  /** Also given each line written (a daemon's start-up log goes to the command that started it). */
  tee: ((line: string) => void) | undefined

  constructor(
    public level: LogLevel = 'notice',
    /** A file to append to, or '' for standard output. */
    public file = '',
  ) {}

  log(level: Exclude<LogLevel, 'nothing'>, message: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return
    const line = `${process.pid}:${this.role} ${timestamp(new Date())} ${MARKERS[level]} ${message}\n`
    if (this.file) appendFileSync(this.file, line)
    else process.stdout.write(line)
    this.tee?.(line)
  }

  /** Writes `text` as it is, without the line prefix (as Redis writes its start-up banner). */
  raw(level: Exclude<LogLevel, 'nothing'>, text: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return
    if (this.file) appendFileSync(this.file, text)
    else process.stdout.write(text)
    this.tee?.(text)
  }

  notice(message: string): void {
    this.log('notice', message)
  }

  warning(message: string): void {
    this.log('warning', message)
  }

  verbose(message: string): void {
    this.log('verbose', message)
  }

  /** A line of the engine's log: a warning when it starts with `# `, a verbose line when it
   * starts with `- `, a notice otherwise. */
  engine(line: string): void {
    if (line.startsWith('# ')) this.warning(line.slice(2))
    else if (line.startsWith('- ')) this.verbose(line.slice(2))
    else this.notice(line)
  }
}

function timestamp(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return (
    `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  )
}
