// The embedded store's bitmap commands (SETBIT, BITCOUNT, BITFIELD…), mixed into `Redwing`
// (see `commands.ts`).

import type { Arg } from './codec.js'
import { Commands } from './commands.js'

/** A range of a string: bytes by default, or bits with `unit: 'BIT'`; negative indexes count
 * from the end. */
export interface BitRange {
  start: number
  end: number
  unit?: 'BYTE' | 'BIT'
}

function bitRangeArgs(range: BitRange | undefined): Arg[] {
  if (!range) return []
  return range.unit ? [range.start, range.end, range.unit] : [range.start, range.end]
}

export abstract class BitmapCommands extends Commands {
  /** SETBIT; returns the bit's previous value. */
  setbit(key: Arg, offset: number, value: 0 | 1): number {
    return this.run(['SETBIT', key, offset, value])
  }

  getbit(key: Arg, offset: number): number {
    return this.run(['GETBIT', key, offset])
  }

  /** BITCOUNT over the whole string, or `start`..`end` counted in bytes (or bits). */
  bitcount(key: Arg, range?: BitRange): number {
    return this.run(['BITCOUNT', key, ...bitRangeArgs(range)])
  }

  /** BITPOS: the first bit set to `bit` (in `range`), or -1. */
  bitpos(key: Arg, bit: 0 | 1, range?: Partial<BitRange> & { start?: number }): number {
    const args: Arg[] = [key, bit]
    if (range?.start !== undefined) {
      args.push(range.start)
      if (range.end !== undefined) args.push(range.end, ...(range.unit ? [range.unit] : []))
    }
    return this.run(['BITPOS', ...args])
  }

  /** BITOP AND/OR/XOR/NOT into `destination`; returns its length. */
  bitop(operation: 'AND' | 'OR' | 'XOR' | 'NOT', destination: Arg, ...keys: Arg[]): number {
    return this.run(['BITOP', operation, destination, ...keys])
  }

  /** BITFIELD with its subcommands as arguments (`'GET', 'u8', 0, 'INCRBY', 'i5', '#1', 3`);
   * one result per GET, SET and INCRBY, null where OVERFLOW FAIL refused an operation. */
  bitfield(key: Arg, ...operations: Arg[]): (number | null)[] {
    return this.run(['BITFIELD', key, ...operations])
  }

  bitfieldRo(key: Arg, ...operations: Arg[]): number[] {
    return this.run(['BITFIELD_RO', key, ...operations])
  }
}
