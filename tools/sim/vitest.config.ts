import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/sim',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each e2e file owns its state directory, bridge and subnet: two may run side by side.
    maxWorkers: 2,
    // Projects with their own worker limits run as groups, one after another (vitest needs a
    // distinct groupOrder for each): the unit-test projects first, then the simulator, then
    // the charms' end-to-end suites.
    sequence: { groupOrder: 1 },
  },
});
