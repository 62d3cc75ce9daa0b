import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['__test__/**/*.spec.ts'],
    // Each file runs in its own process (the default 'forks' pool): native addons and
    // listening servers stay isolated between files.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
