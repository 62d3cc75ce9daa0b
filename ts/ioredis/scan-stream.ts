// ioredis's `scanStream`, `sscanStream`, `hscanStream` and `zscanStream` (and their `…Buffer…`
// forms): Readable streams in object mode that run one SCAN-like step per read and push each
// step's array of results (keys, members, or alternating fields and values), ending when the
// cursor comes back to 0.

import { Readable } from 'node:stream'
import type { Callback } from './shared.js'

export interface ScanStreamOptions {
  /** Only names matching this glob pattern (MATCH; `keyPrefix` is not applied to it). */
  match?: string
  /** How much work each step does (COUNT). */
  count?: number
  /** Only keys of this type (TYPE; SCAN only). */
  type?: string
  /** Fields without their values (HSCAN's NOVALUES). */
  noValues?: boolean
}

type Scan = (args: unknown[], callback: Callback<[Buffer | string, unknown[]]>) => unknown

export class ScanStream extends Readable {
  #cursor = '0'
  #drained = false

  constructor(
    private readonly scan: Scan,
    private readonly key: unknown,
    private readonly options: ScanStreamOptions,
  ) {
    super({ objectMode: true })
  }

  override _read(): void {
    if (this.#drained) {
      this.push(null)
      return
    }
    const args: unknown[] = this.key === undefined ? [this.#cursor] : [this.key, this.#cursor]
    if (this.options.match) args.push('MATCH', this.options.match)
    if (this.options.type) args.push('TYPE', this.options.type)
    if (this.options.count) args.push('COUNT', String(this.options.count))
    if (this.options.noValues) args.push('NOVALUES')
    this.scan(args, (error, reply) => {
      if (error) {
        this.emit('error', error)
        return
      }
      this.#cursor = String(reply![0])
      if (this.#cursor === '0') this.#drained = true
      this.push(reply![1])
    })
  }

  /** Stops after the step under way. */
  close(): void {
    this.#drained = true
  }
}
