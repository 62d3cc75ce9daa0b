// Errors the embedded store throws.
//
// Command errors are produced by the engine as RESP error lines ("ERR syntax error",
// "WRONGTYPE Operation against…"); the embedded API turns them into ReplyError instances whose
// `code` is the first word, so callers can branch on it the way ioredis users do.

/** A command failed: the message is Redis's error text, `code` its first word (ERR, WRONGTYPE…). */
export class ReplyError extends Error {
  readonly code: string

  constructor(message: string) {
    super(message)
    this.name = 'ReplyError'
    this.code = message.split(' ', 1)[0] ?? 'ERR'
  }
}
