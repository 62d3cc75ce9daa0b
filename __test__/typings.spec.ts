// Typings generated from the command table. `ts/commands/names.ts` is a file snapshot of the
// specs' command names: `npx vitest run -u __test__/typings.spec.ts` regenerates it, and CI
// fails when it is stale. The embedded store's `call()` accepts exactly these names.

import { expect, expectTypeOf, test } from 'vitest'
import { loadSpecs } from '../ts/commands/table.js'
import type { CommandName } from '../ts/commands/names.js'
import type { Redwing } from '../ts/index.js'

test('ts/commands/names.ts names every command in the specs', async () => {
  const names = loadSpecs().map((spec) => `  | '${spec.name}'`)
  const content = [
    '// Generated from ts/commands/spec/*.json by __test__/typings.spec.ts (`npx vitest run -u`). Do not edit.',
    '',
    '/** The name of a command redwing implements, in lower case. */',
    'export type CommandName =',
    ...names,
    '',
  ].join('\n')
  await expect(content).toMatchFileSnapshot('../ts/commands/names.ts')
})

test('call() takes command names from the table, in either case', () => {
  type CallName = Parameters<Redwing['call']>[0]
  expectTypeOf<'get'>().toMatchTypeOf<CallName>()
  expectTypeOf<'GET'>().toMatchTypeOf<CallName>()
  expectTypeOf<'hset'>().toMatchTypeOf<CallName>()
  expectTypeOf<'no-such-command'>().not.toMatchTypeOf<CallName>()
  expectTypeOf<CommandName>().toMatchTypeOf<CallName>()
})
