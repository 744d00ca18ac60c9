// The charm-typegen executable as charms run it: Node 20 bundles the CLI with esbuild, then runs it.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/charm-typegen.mjs', import.meta.url));

function runBin(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

it('charm-typegen writes the generated file, --check agrees, and a bad file is one clear line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ops-typegen-bin-'));
  try {
    await mkdir(join(dir, 'src'));
    await writeFile(
      join(dir, 'charmcraft.yaml'),
      'name: t\nsummary: s\ndescription: d\nbase: ubuntu@22.04\nplatforms: {amd64: }\nconfig: {options: {port: {type: int, default: 80}}}\n',
    );
    const first = await runBin([dir]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^charm-typegen: wrote .*src\/charmcraft\.generated\.ts\n$/);
    expect(await readFile(join(dir, 'src', 'charmcraft.generated.ts'), 'utf8')).toContain(
      '  port: number;',
    );
    expect((await runBin([dir, '--check'])).code).toBe(0);
    await writeFile(join(dir, 'charmcraft.yaml'), 'name: t\nsumary: s\n');
    const bad = await runBin([dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^charm-typegen: .*charmcraft\.yaml: sumary: unknown key; remove it or use one of: .*\n$/,
    );
    expect((await runBin(['--help'])).stdout).toMatch(/^Usage: charm-typegen/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
