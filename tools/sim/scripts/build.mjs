// Bundles the CLI and the Node hook-tool client into dist/ (Node 20 cannot run .ts files), and
// compiles the native hook-tool client (native/hook-tool.c → dist/hook-tool) when a C compiler
// is there: every hook-tool call then costs a millisecond instead of a Node.js start. Without
// one, charm-sim falls back to dist/hook-tool.cjs and says so here.
import { execFileSync } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
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

/** The first C compiler of $CC, cc, gcc, clang that runs; undefined when none does. */
function findCompiler() {
  for (const cc of [process.env.CC, 'cc', 'gcc', 'clang']) {
    if (!cc) continue;
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {}
  }
  return undefined;
}

const native = join(root, 'dist/hook-tool');
await rm(native, { force: true });
const cc = findCompiler();
if (cc) {
  try {
    execFileSync(
      cc,
      [
        '-O2',
        '-std=c11',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-o',
        native,
        join(root, 'native/hook-tool.c'),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch {
    await rm(native, { force: true });
    console.warn(
      `@charm-ts/sim: ${cc} could not compile native/hook-tool.c: hook tools fall back to Node.js (dist/hook-tool.cjs), ~50 ms slower per call`,
    );
  }
} else {
  console.warn(
    '@charm-ts/sim: no C compiler (cc, gcc or clang; apt-get install -y gcc): hook tools fall back to Node.js (dist/hook-tool.cjs), ~50 ms slower per call',
  );
}
