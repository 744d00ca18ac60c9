// An interrupted pack leaves no dist/*.charm.tmp-PID for good (issue 11, item 6).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO } from '../test/helpers.ts';
import { packCharm } from './pack.ts';
import { defaultCacheDir } from './runtime/node-runtime.ts';
import { NODE_VERSION } from './runtime/registry.ts';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string;
let holder: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-tmp-'));
  holder = join(dir, 'temp-holder.mjs');
  buildSync({
    entryPoints: [join(here, '..', 'test', 'temp-holder.ts')],
    outfile: holder,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('temporary .charm files', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('are removed when the pack gets %s', async (signal) => {
    const target = join(dir, `x-${signal}.charm`);
    const child = spawn(process.execPath, [holder, target], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_, how) => resolve(how)),
    );
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('the holder never said ready')), 60_000);
      child.stdout.once('data', () => {
        clearTimeout(deadline);
        resolve();
      });
    });
    expect(existsSync(`${target}.tmp-${child.pid}`)).toBe(true);
    child.kill(signal);
    // It still ends by the signal, as it would have without the cleanup.
    expect(await ended).toBe(signal);
    expect(existsSync(`${target}.tmp-${child.pid}`)).toBe(false);
  });

  it('left by a process that is gone are removed by the next pack; a live one’s stay', async () => {
    const out = join(dir, 'dist');
    await mkdir(out);
    const dead = spawnSync('true').pid;
    await writeFile(join(out, `hello_ubuntu-22.04-amd64.charm.tmp-${dead}`), 'half');
    // pid 1 is always there: a pack still running somewhere.
    await writeFile(join(out, 'other_ubuntu-22.04-amd64.charm.tmp-1'), 'half');
    const lines: string[] = [];
    await packCharm({
      charmDir: HELLO,
      outDir: out,
      runtime: false,
      nodeVersion: NODE_VERSION,
      cacheDir: defaultCacheDir(),
      arches: ['amd64'],
      onProgress: (line) => lines.push(line),
    });
    expect((await readdir(out)).sort()).toEqual([
      'hello_ubuntu-22.04-amd64.charm',
      'other_ubuntu-22.04-amd64.charm.tmp-1',
    ]);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `cleaned .*hello_ubuntu-22.04-amd64.charm.tmp-${dead} \\(left by an interrupted pack\\)`,
        ),
      ),
    );
  });
});
