/**
 * Test helpers: what the e2e tests need on the machine, and packing the Python ops probe charm.
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { podsProblem } from '../src/binaries.ts';
import { defaultPythonVenv, packPythonCharm } from '../src/python-charm.ts';
import { tempDir } from './temp.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The venv with Python ops that scripts/install-test-deps.sh makes. */
export const VENV = defaultPythonVenv();

/**
 * Why the e2e tests cannot run here (with the install command), or undefined when they can.
 */
export function missingRequirement(): string | undefined {
  const pods = podsProblem();
  if (pods) return pods;
  const python = join(VENV, 'bin', 'python3');
  if (!existsSync(python) || spawnSync(python, ['-c', 'import ops']).status !== 0) {
    return `Python ops missing in ${VENV}: bash scripts/install-test-deps.sh`;
  }
  return undefined;
}

/**
 * Packs the probe charm into a .charm (as charmcraft writes it) whose dispatch runs
 * src/charm.py on the venv's Python. `mutate` may edit the staged copy first.
 */
export function packProbe(mutate?: (dir: string) => void): string {
  return packPythonCharm(join(here, 'charms', 'ops-probe'), {
    outDir: tempDir('ops-probe-'),
    ...(mutate && { prepare: mutate }),
  });
}

/**
 * The events the probe charm recorded in its StoredState (ops' SQLite file in the unit's charm
 * directory): what the charm itself saw, read without running a hook.
 */
export function storedEvents(stateDir: string, unit: string): string[] {
  const slug = unit.replace('/', '-');
  const db = join(
    stateDir,
    'units',
    slug,
    'juju',
    'agents',
    `unit-${slug}`,
    'charm',
    '.unit-state.db',
  );
  const script = [
    'import json, pickle, sqlite3, sys',
    'rows = sqlite3.connect(sys.argv[1]).execute("select handle, data from snapshot")',
    'found = [pickle.loads(d) for h, d in rows if h.endswith("StoredStateData[_stored]")]',
    'print(json.dumps(found[0]["events"] if found else []))',
  ].join('\n');
  const out = execFileSync(join(VENV, 'bin', 'python3'), ['-c', script, db], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}
