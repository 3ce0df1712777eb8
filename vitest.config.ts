import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/fixtures/**', 'node_modules/**'],
    setupFiles: ['test/support/isolated-cache.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2 cores: real processes and HTTP servers in integration tests; keep parallelism modest.
    maxWorkers: 2,
  },
});
