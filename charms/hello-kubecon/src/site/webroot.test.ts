import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORIGINAL, PLACEHOLDER, Webroot } from './webroot.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hk-webroot-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const file = (path: string, data: string) => ({ path, data: Buffer.from(data) });

describe('Webroot', () => {
  it('writes the placeholder once, behind a relative site link', async () => {
    const webroot = new Webroot(root);
    expect(await webroot.current()).toBeUndefined();
    expect(await webroot.ensureSite()).toBe(true);
    expect(await webroot.ensureSite()).toBe(false);
    expect(readlinkSync(join(root, 'site'))).toBe(`releases/${PLACEHOLDER}`);
    expect(readFileSync(join(root, 'site', 'index.html'), 'utf8')).toContain('pull-site');
  });

  it('installs a release readable by others, swaps the link and prunes the old one', async () => {
    const webroot = new Webroot(root);
    await webroot.ensureSite();
    const id = await webroot.install([file('index.html', 'v1'), file('css/a.css', 'body{}')]);
    expect(await webroot.current()).toBe(id);
    expect(lstatSync(join(root, 'site')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'site', 'css', 'a.css'), 'utf8')).toBe('body{}');
    expect(statSync(join(root, 'releases', id)).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'site', 'css')).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, 'site', 'index.html')).mode & 0o777).toBe(0o644);
    expect(readdirSync(join(root, 'releases'))).toEqual([id]);
    expect(readdirSync(root).sort()).toEqual(['releases', 'site']);
  });

  it("adopts the original charm's index.html once, and only when there is no site", async () => {
    const webroot = new Webroot(root);
    expect(await webroot.adoptOriginal()).toBe(false);
    await writeFile(join(root, 'index.html'), 'old page');
    expect(await webroot.adoptOriginal()).toBe(true);
    expect(await webroot.current()).toBe(ORIGINAL);
    expect(readFileSync(join(root, 'site', 'index.html'), 'utf8')).toBe('old page');
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toBe('old page');
    expect(await webroot.adoptOriginal()).toBe(false);
    expect(await webroot.ensureSite()).toBe(false);
  });

  it('leaves the current site and no debris when writing fails', async () => {
    const webroot = new Webroot(root);
    const id = await webroot.install([file('index.html', 'v1')]);
    // A file and a directory of the same name cannot both be written: the install fails midway.
    await expect(webroot.install([file('a', 'x'), file('a/b', 'y')])).rejects.toThrow();
    expect(await webroot.current()).toBe(id);
    expect(readFileSync(join(root, 'site', 'index.html'), 'utf8')).toBe('v1');
    expect(readdirSync(root).sort()).toEqual(['releases', 'site']);
  });

  // Root writes into a read-only directory anyway: this one needs an ordinary user.
  it.skipIf(process.getuid?.() === 0)(
    'throws the fs error when the storage is read-only, and changes nothing',
    async () => {
      const webroot = new Webroot(root);
      await chmod(root, 0o555);
      await expect(webroot.install([file('index.html', 'v1')])).rejects.toMatchObject({
        code: 'EACCES',
      });
      await chmod(root, 0o755);
      expect(existsSync(join(root, 'site'))).toBe(false);
    },
  );
});
