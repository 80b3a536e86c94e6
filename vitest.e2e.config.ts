import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: real deployments (terraform + AWS). `npm test` excludes test/e2e.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    setupFiles: ['test/support/no-phone-home.ts'],
  },
});
