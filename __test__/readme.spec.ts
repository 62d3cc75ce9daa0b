// The README's command list must name every command and subcommand in the specs, so the
// documentation cannot fall behind the command table.

import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { loadSpecs } from '../ts/commands/table.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## ', readme.indexOf('## Commands') + 3))

test('the README lists every command', () => {
  const missing: string[] = []
  for (const spec of loadSpecs()) {
    const name = spec.name.toUpperCase()
    const line = section
      .split('\n')
      .find((l) => new RegExp(`(^|[ *:,])${name.replace(/[|]/g, '\\|')}( \\(|,|$)`).test(l))
    if (!line) {
      missing.push(name)
      continue
    }
    const subs = line.slice(line.indexOf(`${name} (`)).split(')')[0] ?? ''
    for (const sub of spec.subcommands ?? []) {
      if (!subs.includes(sub.name.toUpperCase())) missing.push(`${name} ${sub.name.toUpperCase()}`)
    }
  }
  expect(missing).toEqual([])
})
