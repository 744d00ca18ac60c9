/**
 * A packed charm on @charm-ts/ops that uses a container, run through ./dispatch with the
 * embedded Node.js against a real Pebble: the Pebble client comes from pebble.cjs, loaded only
 * then, and its stack frames map to TypeScript lines.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findPebbleBinary,
  type RealPebble,
  realPebbleSkipReason,
  startRealPebble,
} from '@charm-ts/pebble/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packCharm } from '../src/pack.ts';
import { defaultCacheDir } from '../src/runtime/node-runtime.ts';
import { NODE_VERSION } from '../src/runtime/registry.ts';
import { HELLO, unpack } from '../test/helpers.ts';

// Throws under CI when pebble is missing; elsewhere the tests skip, saying how to install it.
const skipReason = realPebbleSkipReason();
const skip = skipReason !== undefined || arch() !== 'x64';

let root: string;
let charmDir: string;
let daemon: RealPebble | undefined;
let log: string;

beforeAll(async () => {
  if (skip) return;
  root = await mkdtemp(join(tmpdir(), 'charm-pack-pebble-'));
  const [packed] = await packCharm({
    charmDir: join(HELLO, '../ops-pebble'),
    outDir: join(root, 'dist'),
    nodeVersion: NODE_VERSION,
    cacheDir: defaultCacheDir(),
  });
  charmDir = join(root, 'charm');
  await unpack(packed?.path as string, charmDir);
  // Hook tools: state-get answers nothing; every call is logged.
  const bin = join(root, 'tools');
  log = join(root, 'calls.log');
  await mkdir(bin);
  for (const name of ['state-get', 'state-set', 'status-set', 'juju-log', 'is-leader']) {
    await writeFile(
      join(bin, name),
      `#!/bin/sh\n[ "$0" != "${join(bin, 'state-set')}" ] || cat >/dev/null\nprintf '%s' "\${0##*/}" >> '${log}'\nfor a in "$@"; do printf ' [%s]' "$a" >> '${log}'; done\necho >> '${log}'\n`,
    );
    await chmod(join(bin, name), 0o755);
  }
  await mkdir(join(root, 'containers', 'web'), { recursive: true });
  daemon = await startRealPebble({ socketPath: join(root, 'containers', 'web', 'pebble.socket') });
}, 120_000);

afterAll(async () => {
  if (skip) return;
  await daemon?.close();
  await rm(root, { recursive: true, force: true });
});

function dispatch(hook: string) {
  return spawnSync('./dispatch', [], {
    cwd: charmDir,
    encoding: 'utf8',
    env: {
      PATH: `${join(root, 'tools')}:/usr/bin:/bin`,
      JUJU_DISPATCH_PATH: `hooks/${hook}`,
      JUJU_UNIT_NAME: 'ops-pebble/0',
      JUJU_MODEL_NAME: 'test',
      JUJU_MODEL_UUID: '00000000-0000-4000-8000-000000000000',
      JUJU_CHARM_DIR: charmDir,
      JUJU_VERSION: '3.6.4',
      CHARM_TS_CONTAINERS_DIR: join(root, 'containers'),
    },
  });
}

describe.skipIf(skip)(
  `packed charm with a container${skip ? ` (skipped: ${skipReason ?? 'runs on x86-64 only'})` : ''}`,
  () => {
    it('loads pebble.cjs, adds the layer and replans through the embedded Node.js', async () => {
      const run = dispatch('install');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(await readFile(log, 'utf8')).toContain('status-set [active] [--] [web planned]');
      const plan = spawnSync(findPebbleBinary() as string, ['plan'], {
        env: { ...process.env, PEBBLE_SOCKET: join(root, 'containers', 'web', 'pebble.socket') },
        encoding: 'utf8',
      });
      expect(plan.stdout).toContain('command: sleep 1000');
    });

    it('talks to Pebble through undici without loading node:http2', () => {
      const script = [
        "const { PebbleClient } = require('./pebble.cjs');",
        `const client = new PebbleClient({ socketPath: ${JSON.stringify(join(root, 'containers', 'web', 'pebble.socket'))} });`,
        'client.getSystemInfo().then(async (info) => {',
        '  await client.close();',
        "  console.log(JSON.stringify({ version: info.version, http2: process.moduleLoadList.includes('NativeModule http2') }));",
        '});',
      ].join('\n');
      const run = spawnSync(join(charmDir, 'runtime', 'node'), ['-e', script], {
        cwd: charmDir,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as { version: string; http2: boolean };
      expect(out.version).toMatch(/^v?\d+\.\d+/);
      expect(out.http2).toBe(false);
    });

    it('maps frames of pebble.cjs to the client TypeScript sources', () => {
      const run = dispatch('config-changed');
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('LayerValidationError');
      expect(run.stderr).toMatch(/packages\/pebble\/src\/layer-validate\.ts:\d+:\d+/);
      expect(run.stderr).not.toMatch(/pebble\.cjs:\d+/);
    });
  },
);
