import { defineConfig } from 'vitest/config';

// One run over every package, tool and charm: each is a vitest project with its own
// vitest.config.ts (or the defaults), so `pnpm test` at the root prints one set of counts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/*', 'charms/*'],
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
  },
});
