import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip } from '@charm-ts/zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELLO } from '../test/helpers.ts';
import { PackError } from './errors.ts';
import { type PackedCharm, packCharm } from './pack.ts';
import { defaultCacheDir } from './runtime/node-runtime.ts';
import { NODE_VERSION } from './runtime/registry.ts';

let dir: string;
const base = () => ({ nodeVersion: NODE_VERSION, cacheDir: defaultCacheDir() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-pack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('packCharm', () => {
  let first: PackedCharm[];

  beforeAll(async () => {
    first = await packCharm({ ...base(), charmDir: HELLO, outDir: join(dir, 'one') });
  });

  it('writes one .charm per base and architecture, named as charmcraft names them', () => {
    expect(first.map((p) => p.path)).toEqual([
      join(dir, 'one', 'hello_ubuntu-22.04-amd64.charm'),
      join(dir, 'one', 'hello_ubuntu-22.04-arm64.charm'),
    ]);
  });

  it('is reproducible: packing again gives byte-identical files', async () => {
    const second = await packCharm({ ...base(), charmDir: HELLO, outDir: join(dir, 'two') });
    for (const [i, packed] of first.entries()) {
      const a = await readFile(packed.path);
      const b = await readFile((second[i] as PackedCharm).path);
      expect(b.length).toBe(a.length);
      expect(b.equals(a)).toBe(true);
    }
  });

  it('holds the metadata, dispatch, bundle, map and runtime with the right modes', async () => {
    const files = readZip(await readFile((first[0] as PackedCharm).path));
    expect(files.map((f) => `${f.name} ${f.mode?.toString(8)}`)).toEqual([
      'LICENSE 644',
      'README.md 644',
      'actions.yaml 644',
      'charm.cjs 755',
      'charm.cjs.map 644',
      'config.yaml 644',
      'dispatch 755',
      'icon.svg 644',
      'manifest.yaml 644',
      'metadata.yaml 644',
      'runtime/LICENSE 644',
      'runtime/node 755',
    ]);
    const text = (name: string) => files.find((f) => f.name === name)?.data.toString() ?? '';
    expect(text('metadata.yaml')).toContain('display-name: Hello\n');
    expect(text('metadata.yaml')).toContain('docs: https://example.com/hello/docs\n');
    expect(text('metadata.yaml')).not.toContain('platforms');
    expect(text('manifest.yaml')).toContain('channel: "22.04"');
    expect(text('dispatch')).toContain('exec ./runtime/node ./charm.cjs');
    expect(text('charm.cjs')).toMatch(/\/\/# sourceMappingURL=charm\.cjs\.map\n$/);
    expect(JSON.parse(text('charm.cjs.map')).sources).toEqual(['src/charm.ts', 'src/greeting.ts']);
  });

  it('packs without the runtime when asked, and then dispatch uses node from PATH', async () => {
    const [packed] = await packCharm({
      ...base(),
      charmDir: HELLO,
      outDir: join(dir, 'bare'),
      runtime: false,
    });
    const files = readZip(await readFile((packed as PackedCharm).path));
    expect(files.some((f) => f.name.startsWith('runtime/'))).toBe(false);
    const dispatch = files.find((f) => f.name === 'dispatch')?.data.toString();
    expect(dispatch).toContain('exec node ./charm.cjs');
  });

  it('links every .charm into linkDir', async () => {
    const linkDir = join(dir, 'linked');
    const packed = await packCharm({
      ...base(),
      charmDir: HELLO,
      outDir: join(dir, 'three'),
      linkDir,
      runtime: false,
    });
    for (const p of packed) {
      const a = await stat(p.path);
      const b = await stat(join(linkDir, p.path.split('/').pop() as string));
      expect(b.ino).toBe(a.ino);
    }
  });
});

describe('a charm on @charm-ts/ops', () => {
  it('bundles the framework and credits the npm packages in it', async () => {
    const [packed] = await packCharm({
      ...base(),
      charmDir: join(HELLO, '../ops-hello'),
      outDir: join(dir, 'ops'),
      runtime: false,
    });
    const files = readZip(await readFile((packed as PackedCharm).path));
    const notices = files.find((f) => f.name === 'THIRD-PARTY-NOTICES.txt')?.data.toString();
    expect(notices).toMatch(/^undici \d+\.\d+\.\d+ \(MIT\)$/m);
    expect(notices).toContain('MIT License');
    const map = JSON.parse(files.find((f) => f.name === 'charm.cjs.map')?.data.toString() ?? '{}');
    expect(map.sources).toContain('packages/ops/src/main.ts');
    expect(map.sources).toContain('src/charm.ts');
    expect(map.sources.some((s: string) => s.startsWith('../'))).toBe(false);
  });

  it('puts the Pebble client in pebble.cjs, required only where the framework imports it', async () => {
    const out = join(dir, 'ops-split');
    const [packed] = await packCharm({
      ...base(),
      charmDir: join(HELLO, '../ops-hello'),
      outDir: out,
      runtime: false,
    });
    const files = readZip(await readFile((packed as PackedCharm).path));
    const text = (name: string) => files.find((f) => f.name === name)?.data.toString() ?? '';
    expect(text('charm.cjs')).not.toContain('undici');
    expect(text('charm.cjs')).toContain('require("./pebble.cjs")');
    expect(text('pebble.cjs')).toMatch(/\/\/# sourceMappingURL=pebble\.cjs\.map\n$/);
    expect(text('pebble.cjs')).toContain('node:http2 is left out of pebble.cjs');
    expect(text('pebble.cjs')).not.toContain('require("node:http2")');
    const map = JSON.parse(text('pebble.cjs.map')) as { sources: string[] };
    expect(map.sources).toContain('packages/pebble/src/client.ts');
    expect(map.sources.some((s) => s.startsWith('node_modules/undici/'))).toBe(true);
    expect(map.sources.some((s) => s.startsWith('../'))).toBe(false);
    // The file loads on its own (as the runtime requires it) and is the client.
    const unpacked = join(out, 'unpacked');
    await mkdir(unpacked, { recursive: true });
    for (const f of files) await writeFile(join(unpacked, f.name.replace('/', '_')), f.data);
    const pebble = createRequire(import.meta.url)(join(unpacked, 'pebble.cjs')) as {
      PebbleClient?: unknown;
    };
    expect(typeof pebble.PebbleClient).toBe('function');
  });

  it('writes no pebble.cjs for a charm that never imports @charm-ts/pebble', async () => {
    const [packed] = await packCharm({
      ...base(),
      charmDir: HELLO,
      outDir: join(dir, 'no-split'),
      runtime: false,
    });
    const files = readZip(await readFile((packed as PackedCharm).path));
    expect(files.some((f) => f.name.startsWith('pebble.cjs'))).toBe(false);
  });
});

describe('packCharm errors', () => {
  async function copyOfHello(name: string): Promise<string> {
    const copy = join(dir, name);
    await cp(HELLO, copy, { recursive: true, filter: (src) => !src.includes('/dist') });
    return copy;
  }

  it('names the file and key of an invalid charmcraft.yaml', async () => {
    const charm = await copyOfHello('bad-yaml');
    const yaml = await readFile(join(charm, 'charmcraft.yaml'), 'utf8');
    await writeFile(join(charm, 'charmcraft.yaml'), yaml.replace('summary:', 'sumary:'));
    const error = await packCharm({ ...base(), charmDir: charm, runtime: false }).catch((e) => e);
    expect(error).toBeInstanceOf(PackError);
    expect(error.code).toBe('CHARMCRAFT');
    expect(error.message).toContain(join(charm, 'charmcraft.yaml'));
    expect(error.message).toContain('sumary');
  });

  it('says when charmcraft.yaml is missing', async () => {
    const error = await packCharm({ ...base(), charmDir: join(dir, 'nowhere') }).catch((e) => e);
    expect(error.code).toBe('CHARMCRAFT');
    expect(error.message).toContain(join(dir, 'nowhere', 'charmcraft.yaml'));
  });

  it('gives the TypeScript file and line of a build error', async () => {
    const charm = await copyOfHello('bad-ts');
    await writeFile(join(charm, 'src/greeting.ts'), 'export function greeting( {\n');
    const error = await packCharm({ ...base(), charmDir: charm, runtime: false }).catch((e) => e);
    expect(error.code).toBe('BUNDLE');
    expect(error.message).toMatch(new RegExp(`${join(charm, 'src/greeting.ts')}:\\d+:\\d+: `));
  });

  it('refuses an architecture without an official Node.js build unless --no-runtime', async () => {
    const charm = await copyOfHello('riscv');
    const yaml = await readFile(join(charm, 'charmcraft.yaml'), 'utf8');
    await writeFile(join(charm, 'charmcraft.yaml'), yaml.replace('  arm64:', '  riscv64:'));
    const error = await packCharm({ ...base(), charmDir: charm }).catch((e) => e);
    expect(error.code).toBe('TARGET');
    expect(error.message).toMatch(/riscv64.*--no-runtime/);
    const packed = await packCharm({ ...base(), charmDir: charm, runtime: false });
    expect(packed.map((p) => p.target.arch)).toEqual(['amd64', 'riscv64']);
  });
});
