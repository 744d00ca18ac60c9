// Bundles the charm-pack CLI into dist/cli.js: Node.js 20 cannot run the TypeScript sources.
// esbuild and yaml stay external (dependencies of this package; esbuild ships a native binary);
// the workspace packages are bundled. CommonJS code in the bundle gets a real `require`.
import { chmod } from 'node:fs/promises';
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['esbuild', 'yaml'],
  sourcemap: 'linked',
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __charmPackRequire } from 'node:module';",
      'const require = __charmPackRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
