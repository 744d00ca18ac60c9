import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/pack',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    // The first run downloads and compresses the Node.js runtime (tens of seconds).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
