import { defineConfig } from 'vitest/config';

// `npm run test:soak`: the safety suites with bigger numbers (SOAK=1: more requests, trials, processes
// and fuzz inputs; see test/support/prng.ts `scaled`). Not part of `npm test`.
process.env['SOAK'] = '1';

export default defineConfig({
  test: {
    include: ['test/safety/**/*.test.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // As in vitest.config.ts: the handler's JSON log lines are dropped from stdout (SHOW_HANDLER_LOGS=1 keeps them).
    setupFiles: ['test/support/no-phone-home.ts', 'test/support/quiet-handler-logs.ts'],
    // One suite at a time: the soak measures the signer, not two suites fighting for two cores.
    fileParallelism: false,
    env: { SOAK: '1' },
  },
});
