#!/usr/bin/env node
// Node 20 cannot run TypeScript: bundle the CLI with esbuild into a cache file, then run it.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// esbuild is an optional peer dependency of @charm-ts/ops: only this build-time tool needs it,
// never a hook. A charm has it through @charm-ts/pack (or its own devDependencies).
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  process.stderr.write(
    'charm-typegen: esbuild is not installed; add it to the charm: pnpm add -D esbuild (or depend on @charm-ts/pack)\n',
  );
  process.exit(1);
}

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(pkg, 'node_modules', '.cache', 'charm-typegen', 'cli.mjs');
// Charms type-check in parallel: build to a private name, then rename (atomic) into place.
const tmpfile = `${outfile}.${process.pid}.mjs`;
mkdirSync(dirname(outfile), { recursive: true });
await build({
  stdin: {
    contents:
      "import { typegenCli } from './src/typegen/cli.ts';\nprocess.exitCode = await typegenCli(process.argv.slice(2));\n",
    resolveDir: pkg,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: tmpfile,
  logLevel: 'error',
});
renameSync(tmpfile, outfile);
await import(pathToFileURL(outfile).href);
