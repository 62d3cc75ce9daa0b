// What a Redis Cluster node refuses that a standalone server runs, for redwing/ioredis's
// `Cluster`: an in-process stand-in for a cluster whose one master serves every slot.
//
// A key's hash slot is CRC16 (XMODEM) of the key, or of its hash tag (the bytes between the
// first `{` and the next `}`, when there are any), modulo 16384. A node runs a command only when
// all its keys are in one slot (CROSSSLOT otherwise), and a transaction only when all its
// commands' keys are; it has database 0 only, so it refuses SELECT of another, MOVE, SWAPDB and
// COPY … DB. With one master there is never a redirection: these are the only refusals.

import type { Arg } from '../embedded/codec.js'
import { keyIndexes } from './commands.js'

/** The number of hash slots of a cluster. */
const SLOTS = 16384

/** Redis Cluster's refusal of keys in more than one slot. */
export const CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot"

/** CRC16 (XMODEM: polynomial 0x1021, no reflection, initial value 0), by byte. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1
    table[byte] = crc & 0xffff
  }
  return table
})()

function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!
  return crc
}

/** The hash slot of `key` (a string is hashed as its UTF-8 bytes, as it is sent). */
export function keySlot(key: Arg): number {
  const bytes =
    typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' ? Buffer.from(String(key)) : key
  const open = bytes.indexOf(0x7b) // '{'
  if (open >= 0) {
    const close = bytes.indexOf(0x7d, open + 1) // '}'
    // An empty tag (`{}`) is no tag: the whole key is hashed.
    if (close > open + 1) return crc16(bytes, open + 1, close) % SLOTS
  }
  return crc16(bytes, 0, bytes.length) % SLOTS
}

/** A command's keys are in no slot (it has none) or in more than one. */
export const NO_SLOT = -1
export const SLOTS_CROSSED = -2

/** The slot of the keys of `command` (its lower-case name first): `NO_SLOT` for a command
 * without keys, `SLOTS_CROSSED` when they are in more than one. */
export function commandSlot(command: readonly Arg[]): number {
  let slot = NO_SLOT
  for (const at of keyIndexes(command[0] as string, command.slice(1))) {
    const key = command[at + 1]
    if (key === undefined) continue
    const own = keySlot(key)
    if (slot === NO_SLOT) slot = own
    else if (own !== slot) return SLOTS_CROSSED
  }
  return slot
}

/** The slot of keys in `slot` and `next` together (each a slot, `NO_SLOT` or `SLOTS_CROSSED`). */
export function joinSlots(slot: number, next: number): number {
  if (slot === NO_SLOT) return next
  if (next === NO_SLOT || next === slot) return slot
  return SLOTS_CROSSED
}

/** The error a cluster node answers `command` with before running it, if any (without its keys:
 * see `commandSlot`): the commands that need another database than 0. */
export function databaseRefusal(command: readonly Arg[]): string | undefined {
  switch (command[0]) {
    case 'select':
      return Number(command[1]) !== 0 && /^-?\d+$/.test(String(command[1]))
        ? 'ERR SELECT is not allowed in cluster mode'
        : undefined
    case 'move':
      return 'ERR MOVE is not allowed in cluster mode'
    case 'swapdb':
      return 'ERR SWAPDB is not allowed in cluster mode'
    case 'copy':
      return command.some((arg, i) => i > 2 && String(arg).toUpperCase() === 'DB' && Number(command[i + 1]) !== 0)
        ? 'ERR Copying to another database is not allowed in cluster mode'
        : undefined
    default:
      return undefined
  }
}
