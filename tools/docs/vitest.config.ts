import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/docs',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    testTimeout: 120_000,
    // Building the reference (TypeDoc) and the tutorial's workspace take a while on 2 cores.
    hookTimeout: 600_000,
  },
});
