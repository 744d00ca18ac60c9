import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/pack',
    // The first run downloads and compresses the Node.js runtime (tens of seconds).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
