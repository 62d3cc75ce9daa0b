// Generated files are committed so that API changes show up in review: the binding's loader
// and typings (from `napi build`). The build that precedes the tests regenerates them; this
// test fails when the committed copies are stale.

import { execFileSync } from 'node:child_process'
import { expect, test } from 'vitest'

test('ts/native/binding.{js,d.ts} match what the build generates', () => {
  const diff = execFileSync('git', ['diff', '--stat', '--', 'ts/native/binding.js', 'ts/native/binding.d.ts'], {
    encoding: 'utf8',
  })
  expect(diff, 'run `npm run build:native` and commit the regenerated files').toBe('')
})
