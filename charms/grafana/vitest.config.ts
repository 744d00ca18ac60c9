import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'grafana',
    // Transformed sources are cached in node_modules/.experimental-vitest-cache between runs.
    experimental: { fsModuleCache: true },
    // src/charmcraft.generated.ts is not committed (*.generated.ts): write it first.
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // The e2e file owns pods and network namespaces; the unit tests are quick either way.
    fileParallelism: false,
    // One worker runs the files in turn; sharing its module graph saves re-importing per file.
    isolate: false,
    sequence: { groupOrder: 3 },
  },
});
