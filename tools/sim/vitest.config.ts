import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/sim',
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each e2e file owns its state directory, bridge and subnet: two may run side by side.
    maxWorkers: 2,
  },
});
