/**
 * Packing the charm for the end-to-end tests: typegen + charm-pack (amd64 only) into a
 * directory of the test's, after building charm-pack and the simulator's bundle.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The snappass charm directory. */
export const CHARM_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(CHARM_DIR, '..', '..');

/** Packs the charm into `out`; returns the .charm file. */
export function packCharm(out: string): string {
  execFileSync(process.execPath, [join(ROOT, 'tools/sim/scripts/build.mjs')], { stdio: 'pipe' });
  if (!existsSync(join(ROOT, 'tools/pack/dist/cli.js')))
    execFileSync(process.execPath, ['build.mjs'], { cwd: join(ROOT, 'tools/pack'), stdio: 'pipe' });
  execFileSync('pnpm', ['exec', 'charm-typegen'], { cwd: CHARM_DIR, stdio: 'pipe' });
  execFileSync('pnpm', ['exec', 'charm-pack', '--arch', 'amd64', '--no-link', '--out', out, '-q'], {
    cwd: CHARM_DIR,
    stdio: 'pipe',
  });
  const file = readdirSync(out).find((f) => f.startsWith('snappass_ubuntu-22.04-amd64'));
  if (!file) throw new Error(`charm-pack wrote no snappass_ubuntu-22.04-amd64.charm in ${out}`);
  return join(out, file);
}
