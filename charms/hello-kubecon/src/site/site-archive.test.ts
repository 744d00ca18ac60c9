import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEntry, writeZip } from '@charm-ts/zip';
import { craftZip } from '@charm-ts/zip/testing';
import { describe, expect, it } from 'vitest';
import { SiteError } from '../errors.ts';
import { readSiteArchive } from './site-archive.ts';

const text = (files: { path: string; data: Buffer }[]) =>
  Object.fromEntries(files.map((f) => [f.path, f.data.toString('utf8')]));

function refusal(archive: Buffer): SiteError {
  try {
    readSiteArchive(archive);
  } catch (error) {
    if (error instanceof SiteError) return error;
    throw error;
  }
  throw new Error('readSiteArchive accepted the archive');
}

describe('readSiteArchive', () => {
  it('reads stored and deflated files, skips directories, normalises ./ and //', () => {
    const files = readSiteArchive(
      craftZip([
        { name: 'site/', mode: 0o040755 },
        { name: 'site/index.html', data: '<h1>hi</h1>'.repeat(50) },
        { name: 'site/./css//a.css', data: 'body{}', method: 0 },
      ]),
    );
    expect(text(files)).toEqual({
      'site/index.html': '<h1>hi</h1>'.repeat(50),
      'site/css/a.css': 'body{}',
    });
  });

  it("reads what charm-pack's zip writer writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-zip-'));
    try {
      const out = join(dir, 'site.zip');
      await writeZip(out, [
        makeEntry('t-master/index.html', Buffer.from('hello '.repeat(100))),
        makeEntry('t-master/img/x.txt', Buffer.from('x')),
      ]);
      expect(text(readSiteArchive(readFileSync(out)))).toEqual({
        't-master/index.html': 'hello '.repeat(100),
        't-master/img/x.txt': 'x',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['../evil.html', "escapes the site with '..'"],
    ['site/../../evil.html', "escapes the site with '..'"],
    ['/etc/passwd', 'absolute path'],
    ['C:/x.html', 'absolute path'],
    ['a\\..\\b.html', 'backslash'],
  ])('refuses the path %s', (name, message) => {
    const error = refusal(
      craftZip([
        { name: 'index.html', data: 'x' },
        { name, data: 'x' },
      ]),
    );
    expect(error.code).toBe('UNSAFE');
    expect(error.message).toContain(message);
  });

  it('refuses symlinks and special files', () => {
    const link = refusal(craftZip([{ name: 'index.html', data: '/etc/passwd', mode: 0o120777 }]));
    expect(link).toMatchObject({ code: 'UNSAFE', message: expect.stringContaining('symlink') });
    const fifo = refusal(craftZip([{ name: 'p', mode: 0o010644 }]));
    expect(fifo).toMatchObject({
      code: 'UNSAFE',
      message: expect.stringContaining('special file'),
    });
  });

  it('refuses a wrong CRC, truncation, garbage and duplicates as CORRUPT', () => {
    expect(refusal(craftZip([{ name: 'index.html', data: 'hello', crc32: 1 }])).message).toContain(
      'CRC-32',
    );
    const good = craftZip([{ name: 'index.html', data: 'hello world'.repeat(20) }]);
    expect(refusal(good.subarray(0, good.length - 5)).code).toBe('CORRUPT');
    expect(refusal(Buffer.from('<html>not a zip</html>')).message).toContain('not a zip archive');
    const flipped = Buffer.from(good);
    flipped[40] = (flipped[40] ?? 0) ^ 0xff;
    expect(refusal(flipped).code).toBe('CORRUPT');
    const twice = refusal(craftZip([{ name: 'a/index.html' }, { name: 'a//index.html' }]));
    expect(twice.message).toContain('twice');
    const clash = refusal(craftZip([{ name: 'a' }, { name: 'a/b' }]));
    expect(clash.message).toContain('both a file and a directory');
  });

  it('refuses encryption, other methods and too many bytes', () => {
    expect(refusal(craftZip([{ name: 'x', data: 'x', flags: 0x801 }])).code).toBe('UNSUPPORTED');
    expect(refusal(craftZip([{ name: 'x', data: 'x', method: 12 }])).message).toContain(
      'method 12',
    );
    const big = craftZip([{ name: 'x', data: Buffer.alloc(2048) }]);
    expect(() => readSiteArchive(big, { maxTotalBytes: 1024 })).toThrow(/more than 1024 bytes/);
    expect(() => readSiteArchive(big, { maxEntries: 0 })).toThrow(/1 entries, more than 0/);
  });
});
