import { defineConfig } from 'vitest/config';

// The browser story: one file, run alone (it starts a node, the fixture and Chromium).
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
