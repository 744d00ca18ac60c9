import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/sim',
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // e2e files each own pods and network namespaces: run them one at a time.
    fileParallelism: false,
  },
});
