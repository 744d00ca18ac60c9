// Bundles the pebble-files bench into one CommonJS file (Node 20 cannot run .ts; undici
// is CommonJS, so an ESM bundle would need a createRequire banner).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/pebble-files.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
