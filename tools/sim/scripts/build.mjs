// Bundles the CLI and the hook-tool client into dist/: Node 20 cannot run .ts files.
import { chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
};
await build({
  ...common,
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(root, 'dist/cli.js'),
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
// The hook tool runs once per tool call: tiny, no dependencies, and CommonJS (no ESM loader
// to start) under a .cjs name, so no package.json can make Node read it as a module.
await build({
  ...common,
  format: 'cjs',
  entryPoints: [join(root, 'src/hook-tool-main.ts')],
  outfile: join(root, 'dist/hook-tool.cjs'),
  banner: undefined,
});
await chmod(join(root, 'dist/cli.js'), 0o755);
