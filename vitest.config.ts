import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start their own redis-server and child processes; two cores are the limit.
    maxWorkers: 2,
    // The JSON report lets CI print a plain "N passed, N failed" line after the run.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    // `npm run test:unit` / `npm run test:integration` pick one; `npm test` runs both.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The integration tests run the compiled service: the setup builds it once per run.
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
