// The command table as data, shared with the Rust engine.
//
// `ts/commands/spec/*.json` holds one spec per command: name, arity, flags, key specs, ACL
// categories, documentation, and which side implements it (a Rust `handler`, or `"side": "ts"`).
// The engine compiles the same files into its dispatch table at build time; this module loads
// them at run time for the TypeScript side: routing the commands it implements, and checking at
// start-up that the loaded native binary was built from the same specs.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildDir } from '../location.cjs'

export interface KeySpec {
  flags: string[]
  begin_search: unknown
  find_keys: unknown
}

export interface CommandSpec {
  name: string
  summary: string
  since: string
  group: string
  complexity: string
  arity: number
  flags: string[]
  acl_categories: string[]
  tips?: string[]
  key_specs?: KeySpec[]
  handler?: string
  side?: 'ts'
  /** Held by CLIENT PAUSE WRITE like a write, though COMMAND INFO does not say so (PUBLISH). */
  may_replicate?: boolean
  /** Lazily expires any keys it meets, each DEL on its own (SCAN), though COMMAND INFO does not say so. */
  touches_arbitrary_keys?: boolean
  subcommands?: CommandSpec[]
}

/** A compiled table row, as the native binding reports it. */
export interface CompiledRow {
  name: string
  arity: number
  flags: string[]
  side: string
}

const SPEC_DIR = join(buildDir, 'commands', 'spec')

/** Every spec, top-level commands only (subcommands nested), sorted by name. */
export function loadSpecs(): CommandSpec[] {
  return readdirSync(SPEC_DIR)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as CommandSpec[])
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Flattens specs into rows shaped like the native table (`parent|sub` for subcommands). */
export function toRows(specs: CommandSpec[]): CompiledRow[] {
  const side = (spec: CommandSpec) => (spec.subcommands ? 'container' : spec.side === 'ts' ? 'ts' : 'engine')
  return specs.flatMap((spec) => [
    { name: spec.name, arity: spec.arity, flags: spec.flags, side: side(spec) },
    ...(spec.subcommands ?? []).map((sub) => ({
      name: `${spec.name}|${sub.name}`,
      arity: sub.arity,
      flags: sub.flags,
      side: side(sub),
    })),
  ])
}

/**
 * Throws when the native table differs from the specs on disk: a stale native build would
 * otherwise answer with another command set than the one documented and typed.
 */
export function assertTableMatches(compiled: CompiledRow[], specs: CommandSpec[] = loadSpecs()): void {
  const expected = JSON.stringify(toRows(specs))
  const actual = JSON.stringify(compiled)
  if (expected !== actual) {
    throw new Error('the native command table differs from ts/commands/spec: rebuild with `npm run build:native`')
  }
}
