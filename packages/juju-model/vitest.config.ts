import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@charm-ts/juju-model',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
  },
});
