/**
 * Test helpers: what the e2e tests need on the machine, and packing the Python ops probe charm.
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '../src/binaries.ts';
import { tempDir } from './temp.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The venv with Python ops that scripts/install-test-deps.sh makes. */
export const VENV = join(homedir(), '.cache', 'charm-ts', 'venv');

/**
 * Why the e2e tests cannot run here (with the install command), or undefined when they can.
 */
export function missingRequirement(): string | undefined {
  const pebble =
    process.env.PEBBLE_BIN || which('pebble', [join(homedir(), 'go', 'bin')])
      ? undefined
      : 'pebble';
  for (const [name, hint] of [
    ['bwrap', 'apt-get install -y bubblewrap'],
    ['ip', 'apt-get install -y iproute2'],
    ['nsenter', 'apt-get install -y util-linux'],
  ]) {
    if (!which(name as string))
      return `${name} missing: ${hint} (or bash scripts/install-test-deps.sh)`;
  }
  if (pebble) return 'pebble missing: bash scripts/install-test-deps.sh';
  if (process.getuid?.() !== 0)
    return 'pods need root (ip netns, mount): run the e2e tests as root';
  const python = join(VENV, 'bin', 'python3');
  if (!existsSync(python) || spawnSync(python, ['-c', 'import ops']).status !== 0) {
    return `Python ops missing in ${VENV}: bash scripts/install-test-deps.sh`;
  }
  return undefined;
}

/**
 * Packs the probe charm into a .charm (zip with Unix modes, as charmcraft writes it), with a
 * dispatch that runs src/charm.py on the venv's Python. `mutate` may edit the copy first.
 */
export function packProbe(mutate?: (dir: string) => void): string {
  const work = tempDir('ops-probe-');
  const dir = join(work, 'prime');
  cpSync(join(here, 'charms', 'ops-probe'), dir, { recursive: true });
  const python = join(VENV, 'bin', 'python3');
  writeFileSync(
    join(dir, 'dispatch'),
    `#!/bin/sh\nJUJU_DISPATCH_PATH="\${JUJU_DISPATCH_PATH:-$0}" PYTHONPATH=lib:src exec ${python} ./src/charm.py\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    join(dir, 'manifest.yaml'),
    'bases:\n- name: ubuntu\n  channel: "22.04"\n  architectures: [amd64]\n',
  );
  mutate?.(dir);
  const out = join(work, 'ops-probe_ubuntu-22.04-amd64.charm');
  execFileSync('python3', [
    '-c',
    [
      'import os, sys, zipfile',
      'src, out = sys.argv[1], sys.argv[2]',
      'with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:',
      '    for root, _, files in os.walk(src):',
      '        for f in sorted(files):',
      '            p = os.path.join(root, f)',
      '            z.write(p, os.path.relpath(p, src))',
    ].join('\n'),
    dir,
    out,
  ]);
  return out;
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
