// The command table is data shared by Rust and TypeScript: the compiled native table must
// equal the JSON specs, TypeScript-side commands must have handlers, and every spec must be
// complete and well formed.

import { describe, expect, test } from 'vitest'
import { NativeEngine } from '../ts/native/binding.js'
import { loadSpecs, toRows, type CommandSpec } from '../ts/commands/table.js'
import { TS_COMMANDS } from '../ts/commands/ts-commands.js'

const specs = loadSpecs()
const all = specs.flatMap((s): [string, CommandSpec][] => [
  [s.name, s],
  ...(s.subcommands ?? []).map((sub): [string, CommandSpec] => [`${s.name}|${sub.name}`, sub]),
])

test('the native table was compiled from these specs', () => {
  expect(new NativeEngine().commandTable()).toEqual(toRows(specs))
})

test('every TypeScript-side command has a handler, and no handler lacks a spec', () => {
  const tsSide = all.filter(([, s]) => s.side === 'ts').map(([name]) => name)
  expect(tsSide.sort()).toEqual([...TS_COMMANDS].sort())
})

describe.each(all)('%s', (name, spec) => {
  test('is complete and well formed', () => {
    expect(spec.summary).not.toMatch(/TODO/)
    expect(spec.summary.length).toBeGreaterThan(10)
    expect(spec.name).toBe(spec.name.toLowerCase())
    expect(spec.arity).not.toBe(0)
    expect(spec.since).toMatch(/^\d+\.\d+\.\d+$/)
    expect(spec.acl_categories.every((c) => c.startsWith('@'))).toBe(true)
    const kinds = [spec.handler !== undefined, spec.side === 'ts', spec.subcommands !== undefined]
    expect(kinds.filter(Boolean), `${name} needs exactly one of handler, side, subcommands`).toHaveLength(1)
  })

  // Redis adds these categories from the flags (`setImplicitACLCategories`); ACL rules such as
  // `-@write` rely on them.
  test('has the ACL categories its flags imply', () => {
    if (spec.subcommands !== undefined) return
    const flags = new Set(spec.flags)
    const implied = [
      ...(flags.has('write') ? ['@write'] : []),
      ...(flags.has('readonly') && !spec.acl_categories.includes('@scripting') ? ['@read'] : []),
      ...(flags.has('admin') ? ['@admin', '@dangerous'] : []),
      ...(flags.has('pubsub') ? ['@pubsub'] : []),
      ...(flags.has('fast') ? ['@fast'] : ['@slow']),
      ...(flags.has('blocking') ? ['@blocking'] : []),
    ]
    expect(spec.acl_categories).toEqual(expect.arrayContaining(implied))
  })
})
