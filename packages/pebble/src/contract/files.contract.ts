/**
 * The files contract: what `listFiles`, `push`, `pull`, `makeDir` and `removePath` must do on
 * any `Pebble` (the real daemon, the in-memory one). Uses only the interface and paths under
 * the target's `scratchDir`.
 * @module
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PathError } from '../errors.ts';
import type { Pebble } from '../pebble.ts';
import { useTarget } from './helpers.ts';
import type { ContractTarget } from './target.ts';

/** Several MiB holding every byte value, with boundary-like runs (`\r\n--…`) mixed in. */
export function binaryPattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >>> 8)) & 0xff;
  const fake = Buffer.from(`\r\n--${'a'.repeat(64)}\r\n`);
  for (let at = 1000; at + fake.length < size; at += 65_519) fake.copy(bytes, at);
  return bytes;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function expectPathError(
  promise: Promise<unknown>,
  path: string,
  kind?: string,
): Promise<PathError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PathError);
  const pathError = error as PathError;
  expect(pathError.path).toBe(path);
  if (kind !== undefined) expect(pathError.kind).toBe(kind);
  return pathError;
}

/** Registers the files contract tests against the target `makeTarget` builds. */
export function describeFilesContract(makeTarget: () => Promise<ContractTarget>): void {
  describe('files contract', () => {
    let target: ContractTarget;
    let pebble: Pebble;
    let count = 0;
    /** A fresh directory (not yet created) for one test. */
    const fresh = (): string => `${target.scratchDir}/t${++count}`;

    useTarget(makeTarget, (built) => {
      target = built;
      pebble = built.pebble;
    });

    it('pushes a string and pulls the same text back', async () => {
      const path = `${fresh()}.txt`;
      await pebble.push(path, 'hello, pebble\n');
      expect((await readAll(await pebble.pull(path))).toString()).toBe('hello, pebble\n');
    });

    it('writes permissions and owner, and lists them back', async () => {
      const dir = fresh();
      await pebble.makeDir(dir);
      const path = `${dir}/secret`;
      const userId = process.getuid?.() ?? 0;
      const groupId = process.getgid?.() ?? 0;
      await pebble.push(path, 'x', { permissions: 0o600, userId, groupId });
      const [info] = await pebble.listFiles(path);
      expect(info).toMatchObject({
        path,
        name: 'secret',
        type: 'file',
        size: 1,
        permissions: 0o600,
      });
      expect(info?.userId).toBe(userId);
      expect(info?.groupId).toBe(groupId);
      expect(info?.lastModified).toBeInstanceOf(Date);
    });

    it('overwrites a file and applies new permissions', async () => {
      const path = `${fresh()}.conf`;
      await pebble.push(path, 'first version, longer');
      await pebble.push(path, 'second', { permissions: 0o640 });
      expect((await readAll(await pebble.pull(path))).toString()).toBe('second');
      expect((await pebble.listFiles(path))[0]?.permissions).toBe(0o640);
    });

    it('creates nested parents with makeDirs, and refuses a missing parent without it', async () => {
      const dir = fresh();
      await expectPathError(pebble.push(`${dir}/a/b/c.txt`, 'x'), `${dir}/a/b/c.txt`, 'not-found');
      await pebble.push(`${dir}/a/b/c.txt`, 'nested', { makeDirs: true });
      expect((await pebble.listFiles(`${dir}/a`, { itself: true }))[0]?.type).toBe('directory');
      expect((await readAll(await pebble.pull(`${dir}/a/b/c.txt`))).toString()).toBe('nested');
    });

    it('makes directories: permissions, nested with makeParents, errors without', async () => {
      const dir = fresh();
      await expectPathError(pebble.makeDir(`${dir}/x/y`), `${dir}/x/y`, 'not-found');
      await pebble.makeDir(`${dir}/x/y`, { makeParents: true, permissions: 0o700 });
      const [info] = await pebble.listFiles(`${dir}/x/y`, { itself: true });
      expect(info).toMatchObject({ type: 'directory', permissions: 0o700, name: 'y' });
      // An existing directory is fine with makeParents, an error without it.
      await pebble.makeDir(`${dir}/x/y`, { makeParents: true });
      await expectPathError(pebble.makeDir(`${dir}/x/y`), `${dir}/x/y`);
    });

    it('removes a file, refuses a non-empty directory, removes it recursively', async () => {
      const dir = fresh();
      await pebble.push(`${dir}/sub/one`, '1', { makeDirs: true });
      await pebble.push(`${dir}/sub/deeper/two`, '2', { makeDirs: true });
      await pebble.removePath(`${dir}/sub/one`);
      await expectPathError(pebble.listFiles(`${dir}/sub/one`), `${dir}/sub/one`, 'not-found');
      await expectPathError(pebble.removePath(`${dir}/sub`), `${dir}/sub`);
      await pebble.removePath(`${dir}/sub`, { recursive: true });
      await expectPathError(pebble.listFiles(`${dir}/sub`), `${dir}/sub`, 'not-found');
      // Recursive removal of a missing path succeeds; plain removal does not.
      await pebble.removePath(`${dir}/sub`, { recursive: true });
      await expectPathError(pebble.removePath(`${dir}/sub`), `${dir}/sub`, 'not-found');
    });

    it('reports per-path errors for pull: not found, not a regular file', async () => {
      const dir = fresh();
      await expectPathError(pebble.pull(`${dir}/missing`), `${dir}/missing`, 'not-found');
      await pebble.makeDir(dir);
      await expectPathError(pebble.pull(dir), dir, 'generic-file-error');
    });

    it.skipIf(process.getuid?.() === 0)(
      'reports permission-denied (skipped as root: root bypasses file modes)',
      async () => {
        const dir = fresh();
        await pebble.makeDir(dir, { permissions: 0o500 });
        await expectPathError(pebble.push(`${dir}/f`, 'x'), `${dir}/f`, 'permission-denied');
        const locked = `${fresh()}.locked`;
        await pebble.push(locked, 'x', { permissions: 0o000 });
        await expectPathError(pebble.pull(locked), locked, 'permission-denied');
      },
    );

    it('lists a directory, with a pattern, and a directory itself', async () => {
      const dir = fresh();
      await pebble.push(`${dir}/a.txt`, 'a', { makeDirs: true });
      await pebble.push(`${dir}/b.txt`, 'bb');
      await pebble.push(`${dir}/c.log`, 'ccc');
      await pebble.makeDir(`${dir}/sub.txt.d`);
      const all = await pebble.listFiles(dir);
      expect(all.map((f) => f.name).sort()).toEqual(['a.txt', 'b.txt', 'c.log', 'sub.txt.d']);
      expect(all.find((f) => f.name === 'b.txt')).toMatchObject({
        path: `${dir}/b.txt`,
        type: 'file',
        size: 2,
      });
      const txt = await pebble.listFiles(dir, { pattern: '*.txt' });
      expect(txt.map((f) => f.name).sort()).toEqual(['a.txt', 'b.txt']);
      expect(await pebble.listFiles(dir, { pattern: '*.none' })).toEqual([]);
      const itself = await pebble.listFiles(dir, { itself: true });
      expect(itself).toHaveLength(1);
      expect(itself[0]).toMatchObject({ path: dir, type: 'directory' });
      // A file lists as itself.
      const file = await pebble.listFiles(`${dir}/c.log`);
      expect(file).toHaveLength(1);
      expect(file[0]).toMatchObject({ name: 'c.log', size: 3 });
      await expectPathError(pebble.listFiles(`${dir}/nope`), `${dir}/nope`, 'not-found');
    });

    it('round-trips binary content byte for byte from every kind of source', async () => {
      const dir = fresh();
      await pebble.makeDir(dir);
      const data = binaryPattern(5 * 1024 * 1024 + 123);
      const sources: Record<string, () => Parameters<Pebble['push']>[1]> = {
        bytes: () => new Uint8Array(data),
        readable: () => Readable.from([data.subarray(0, 1_000_003), data.subarray(1_000_003)]),
        iterable: () =>
          (async function* () {
            for (let at = 0; at < data.length; at += 77_777) yield data.subarray(at, at + 77_777);
          })(),
      };
      for (const [name, source] of Object.entries(sources)) {
        await pebble.push(`${dir}/${name}.bin`, source());
        const back = await readAll(await pebble.pull(`${dir}/${name}.bin`));
        expect(back.length, name).toBe(data.length);
        expect(back.equals(data), name).toBe(true);
      }
      expect((await pebble.listFiles(`${dir}/bytes.bin`))[0]?.size).toBe(data.length);
    });

    it('round-trips an empty file and a path with quotes and spaces', async () => {
      const dir = fresh();
      await pebble.makeDir(dir);
      await pebble.push(`${dir}/empty`, '');
      expect((await readAll(await pebble.pull(`${dir}/empty`))).length).toBe(0);
      const odd = `${dir}/say "hi" \\ there.txt`;
      await pebble.push(odd, 'odd');
      expect((await readAll(await pebble.pull(odd))).toString()).toBe('odd');
      expect((await pebble.listFiles(dir, { pattern: 'say*' }))[0]?.path).toBe(odd);
    });

    it('keeps the old content when a push source fails midway', async () => {
      const path = `${fresh()}.keep`;
      await pebble.push(path, 'precious');
      const failing = (async function* () {
        yield Buffer.from('partial');
        throw new Error('source broke');
      })();
      await expect(pebble.push(path, failing)).rejects.toThrow();
      expect((await readAll(await pebble.pull(path))).toString()).toBe('precious');
    });

    it('releases a pull that is abandoned early', async () => {
      const path = `${fresh()}.big`;
      await pebble.push(path, binaryPattern(4 * 1024 * 1024));
      const stream = await pebble.pull(path);
      for await (const _ of stream) break;
      expect(stream.destroyed).toBe(true);
      expect((await readAll(await pebble.pull(path))).length).toBe(4 * 1024 * 1024);
    });
  });
}
