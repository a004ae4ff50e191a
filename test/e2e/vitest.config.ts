import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: slow (they build the web app and start the real server), run on their own.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
