import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'snappass',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // The e2e file owns pods and network namespaces: one file at a time.
    fileParallelism: false,
    sequence: { groupOrder: 2 },
  },
});
