import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipError } from './errors.ts';
import { readZip } from './zip-reader.ts';
import { makeEntry, writeZip } from './zip-writer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'charm-ts-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Skips locally, fails under CI=true, naming the install command. */
function needs(ctx: { skip: (message: string) => void }, binary: string, install: string): void {
  if (!spawnSync(binary, [], { stdio: 'ignore' }).error) return;
  const message = `${binary} not installed: ${install}`;
  if (process.env.CI) throw new Error(message);
  ctx.skip(message);
}

describe('writeZip', () => {
  it('writes sorted entries with modes, fixed times, and round-trips through readZip', async () => {
    const path = join(dir, 'a.zip');
    const text = Buffer.from('hello '.repeat(100));
    const size = await writeZip(path, [
      makeEntry('z.txt', text),
      makeEntry('dispatch', Buffer.from('#!/bin/sh\n'), 0o755),
      makeEntry('dir/empty', Buffer.alloc(0)),
    ]);
    const bytes = await readFile(path);
    expect(bytes.length).toBe(size);
    const files = readZip(bytes);
    expect(files.map((f) => [f.name, f.type, f.mode?.toString(8), f.madeBy])).toEqual([
      ['dir/empty', 'file', '644', 3],
      ['dispatch', 'file', '755', 3],
      ['z.txt', 'file', '644', 3],
    ]);
    expect(files.every((f) => f.dosTime === 0 && f.dosDate === 0x21)).toBe(true);
    expect(files[2]?.method).toBe(8);
    expect(files[2]?.data.equals(text)).toBe(true);
    expect(files[0]?.data.length).toBe(0);
  });

  it('gives the same bytes for the same entries in any order', async () => {
    const a = join(dir, 'x.zip');
    const b = join(dir, 'y.zip');
    const one = makeEntry('one', Buffer.from('1'));
    const two = makeEntry('two', Buffer.from('2'), 0o755);
    await writeZip(a, [one, two]);
    await writeZip(b, [two, one]);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it('stores what deflate does not shrink, and keeps a symlink mode', async () => {
    const path = join(dir, 'link.zip');
    await writeZip(path, [makeEntry('hooks/install', Buffer.from('../dispatch'), 0o120777)]);
    const [link] = readZip(await readFile(path));
    expect(link).toMatchObject({ type: 'symlink', mode: 0o777, method: 0 });
    expect(link?.data.toString()).toBe('../dispatch');
  });

  it('refuses duplicate and escaping names', async () => {
    const path = join(dir, 'bad.zip');
    const entry = makeEntry('same', Buffer.from('x'));
    await expect(writeZip(path, [entry, entry])).rejects.toThrow(/duplicate zip entry "same"/);
    for (const name of ['../up', '/abs', 'dir/', '']) {
      await expect(writeZip(path, [makeEntry(name, Buffer.from('x'))])).rejects.toMatchObject({
        code: 'INVALID_ENTRY',
      });
    }
    await expect(writeZip(path, [makeEntry('../up', Buffer.from('x'))])).rejects.toBeInstanceOf(
      ZipError,
    );
  });

  it('is read by unzip with the right permissions', async (ctx) => {
    needs(ctx, 'unzip', 'apt-get install -y unzip');
    const path = join(dir, 'u.zip');
    await writeZip(path, [
      makeEntry('run', Buffer.from('#!/bin/sh\necho ok\n'), 0o755),
      makeEntry('data/file.txt', Buffer.from('data')),
    ]);
    const out = join(dir, 'unzipped');
    execFileSync('unzip', ['-q', path, '-d', out]);
    expect((await stat(join(out, 'run'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'data/file.txt'))).mode & 0o777).toBe(0o644);
    expect(execFileSync(join(out, 'run'), { encoding: 'utf8' })).toBe('ok\n');
  });
});

// Juju unpacks charms with Go's archive/zip and keeps each file's Mode(): dispatch must come
// out executable there, not only in our own reader.
const GO_LIST_MODES = `package main

import (
\t"archive/zip"
\t"fmt"
\t"os"
)

func main() {
\tr, err := zip.OpenReader(os.Args[1])
\tif err != nil {
\t\tpanic(err)
\t}
\tfor _, f := range r.File {
\t\tfmt.Printf("%s %v\\n", f.Name, f.Mode())
\t}
}
`;

describe("Go's archive/zip (what Juju reads charms with)", () => {
  it('sees the Unix modes', async (ctx) => {
    needs(ctx, 'go', 'apt-get install -y golang-go');
    const path = join(dir, 'go.zip');
    await writeZip(path, [
      makeEntry('dispatch', Buffer.from('#!/bin/sh\n'), 0o755),
      makeEntry('metadata.yaml', Buffer.from('name: x\n')),
    ]);
    const program = join(dir, 'list-modes.go');
    await writeFile(program, GO_LIST_MODES);
    const out = execFileSync('go', ['run', program, path], {
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off' },
    });
    expect(out).toBe('dispatch -rwxr-xr-x\nmetadata.yaml -rw-r--r--\n');
  });
});
