import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackError } from '../errors.ts';
import { extractFiles } from './tar.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-pack-tar-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunks(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

describe('extractFiles', () => {
  it('returns only the wanted regular files, across chunk boundaries and long names', async () => {
    const src = join(dir, 'src');
    const longDir = `package/${'d'.repeat(90)}/${'e'.repeat(60)}`;
    await mkdir(join(src, 'package/bin'), { recursive: true });
    await mkdir(join(src, longDir), { recursive: true });
    const big = Buffer.alloc(70_000, 7);
    await writeFile(join(src, 'package/bin/node'), big);
    await writeFile(join(src, 'package/LICENSE'), 'MIT\n');
    await writeFile(join(src, longDir, 'file.txt'), 'deep\n');
    const tar = join(dir, 'a.tar');
    execFileSync('tar', ['--format=gnu', '-cf', tar, '-C', src, 'package']);
    const data = execFileSync('cat', [tar]);
    for (const size of [1, 511, 4096, 1 << 20]) {
      const found = await extractFiles(
        chunks(data, size),
        new Set(['package/bin/node', `${longDir}/file.txt`, 'package/missing']),
      );
      expect([...found.keys()].sort()).toEqual(['package/bin/node', `${longDir}/file.txt`]);
      expect(found.get('package/bin/node')?.data.equals(big)).toBe(true);
      expect(found.get(`${longDir}/file.txt`)?.data.toString()).toBe('deep\n');
    }
    const streamed = await extractFiles(createReadStream(tar), new Set(['package/LICENSE']));
    expect(streamed.get('package/LICENSE')?.data.toString()).toBe('MIT\n');
  });

  it('fails on a truncated stream', async () => {
    const src = join(dir, 'trunc');
    await mkdir(src);
    await writeFile(join(src, 'f'), Buffer.alloc(5000, 1));
    const data = execFileSync('tar', ['-cf', '-', '-C', src, 'f']);
    await expect(extractFiles(chunks(data.subarray(0, 2048), 512), new Set(['f']))).rejects.toThrow(
      PackError,
    );
  });
});
