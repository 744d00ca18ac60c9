import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/create-charm',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    testTimeout: 60_000,
    // The e2e test installs, builds and tests a copy of the workspace (minutes on 2 busy cores).
    hookTimeout: 600_000,
  },
});
