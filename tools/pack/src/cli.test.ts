import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HELLO } from '../test/helpers.ts';
import { main } from './cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('charm-pack', () => {
  it('prints help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--no-runtime');
    expect(stdout).toContain('charm-pack collect');
  });

  it('rejects an unknown option with exit code 2 and one line', async () => {
    const { code, stderr } = await run(['--frobnicate']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('--frobnicate');
  });

  it('reports a missing charmcraft.yaml in one line naming the file', async () => {
    const { code, stderr } = await run([join(dir, 'missing'), '--no-link']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^charm-pack: error: .*missing\/charmcraft\.yaml/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a base that does not exist, naming the file, the key and the valid bases', async () => {
    const charm = join(dir, 'no-such-base');
    await cp(HELLO, charm, { recursive: true, filter: (src) => !src.includes('/dist') });
    const yaml = join(charm, 'charmcraft.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('ubuntu@22.04', 'ubuntu@99.04'));
    const { code, stderr } = await run([charm, '--no-runtime', '--no-link']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `charm-pack: error: ${yaml}: base: 'ubuntu@99.04' is not a base charmcraft knows; use one of ubuntu@18.04, ubuntu@20.04, ubuntu@22.04, ubuntu@24.04, ubuntu@25.04, ubuntu@25.10, ubuntu@26.04, ubuntu@26.10, almalinux@9\n`,
    );
    await expect(readdir(join(charm, 'dist'))).rejects.toThrow(/ENOENT/);
  });

  it('says a binary charmcraft.yaml is not text YAML, and prints none of its bytes', async () => {
    const charm = join(dir, 'binary');
    await mkdir(charm);
    const yaml = join(charm, 'charmcraft.yaml');
    await writeFile(yaml, Buffer.from([0x50, 0x4b, 3, 4, 0x14, 0, 0, 8, 0xe9, 0x9b, 0x1b, 0x0a]));
    const { code, stderr } = await run([charm, '--no-runtime', '--no-link']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `charm-pack: error: ${yaml}: is not a text YAML file (binary data: a NUL byte at offset 5); charmcraft.yaml must be UTF-8 text: is this the right file?\n`,
    );
  });

  it('packs a charm and prints which charm, which step and the size written', async () => {
    const out = join(dir, 'out');
    const link = join(dir, 'linked');
    const { code, stdout } = await run([HELLO, '--no-runtime', '--out', out, '--link-dir', link]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hello: bundle +charm\.cjs [\d.]+ KiB, map [\d.]+ KiB/m);
    expect(stdout).toMatch(
      /^hello: wrote +.*hello_ubuntu-22\.04-amd64\.charm \([\d.]+ KiB, 10 files\)/m,
    );
    expect(stdout).toMatch(/^hello: linked +.*linked\/hello_ubuntu-22\.04-arm64\.charm$/m);
    expect((await readdir(out)).sort()).toEqual([
      'hello_ubuntu-22.04-amd64.charm',
      'hello_ubuntu-22.04-arm64.charm',
    ]);
  });

  it('packs only the architectures asked for, and says which exist when none match', async () => {
    const out = join(dir, 'arch');
    const ok = await run([HELLO, '--no-runtime', '--no-link', '--out', out, '--arch', 'arm64']);
    expect(ok.code).toBe(0);
    expect(await readdir(out)).toEqual(['hello_ubuntu-22.04-arm64.charm']);
    const bad = await run([HELLO, '--no-runtime', '--no-link', '--out', out, '--arch', 's390x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no platform for --arch s390x \(it has: amd64, arm64\)/);
  });

  it('collect links nothing, without error, in a workspace with no charms', async () => {
    const { code, stdout } = await run(['collect', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('collect: 0 .charm files');
  });
});
