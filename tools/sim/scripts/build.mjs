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
// The hook tool runs once per tool call: keep it tiny, no dependencies.
await build({
  ...common,
  entryPoints: [join(root, 'src/hook-tool-main.ts')],
  outfile: join(root, 'dist/hook-tool.js'),
  banner: undefined,
});
await chmod(join(root, 'dist/cli.js'), 0o755);
