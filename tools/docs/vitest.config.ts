import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/docs',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    testTimeout: 120_000,
    // Building the reference (TypeDoc) and the tutorial's workspace take a while on 2 cores.
    hookTimeout: 600_000,
    // Its e2e tests copy the workspace, build it and run charms in charm-sim: heavy, so they run
    // after every other project (the last group, shared by create-charm and docs, two files at
    // a time), not beside the unit tests and their timing-sensitive neighbours. New charms get
    // the groupOrder after it (new-charm takes the highest + 1).
    maxWorkers: 2,
    sequence: { groupOrder: 10 },
  },
});
