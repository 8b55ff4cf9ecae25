import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start their own redis-server and child processes; two cores are the limit.
    maxWorkers: 2,
    // The JSON report lets CI print a plain "N passed, N failed" line after the run.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
