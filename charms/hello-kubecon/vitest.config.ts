import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'hello-kubecon',
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // The e2e file owns pods and network namespaces; the unit tests are quick either way.
    fileParallelism: false,
  },
});
