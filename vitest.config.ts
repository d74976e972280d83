import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers on port 0; two workers suit this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', 'json'],
    // .ci/run reads the totals from here.
    outputFile: { json: 'test-artifacts/vitest-results.json' },
  },
});
