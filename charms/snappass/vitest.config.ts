import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'snappass',
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // The e2e file owns pods and network namespaces: one file at a time.
    fileParallelism: false,
    sequence: { groupOrder: 2 },
  },
});
