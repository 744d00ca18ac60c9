import { craftZip } from '@charm-ts/zip/testing';
import { describe, expect, test } from 'vitest';
import { readCharmArchive } from './charm-archive.ts';

describe('readCharmArchive', () => {
  test('reads stored and deflated entries with their Unix modes', () => {
    const zip = craftZip([
      { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 },
      { name: 'metadata.yaml', data: 'name: x\n'.repeat(100), method: 0 },
      { name: 'hooks/install', data: '../dispatch', mode: 0o120777 },
      { name: 'src/', mode: 0o040755 },
      { name: 'dos.txt', data: 'no mode', mode: null },
    ]);
    const entries = readCharmArchive(zip, 'x.charm');
    expect(entries.map((e) => [e.name, e.mode, e.symlink, e.directory])).toEqual([
      ['dispatch', 0o755, false, false],
      ['metadata.yaml', 0o644, false, false],
      ['hooks/install', 0o777, true, false],
      ['src/', 0o755, false, true],
      ['dos.txt', undefined, false, false],
    ]);
    expect(entries[1]?.data.toString()).toBe('name: x\n'.repeat(100));
  });

  test('rejects what is not a zip, naming the file and the fix', () => {
    expect(() => readCharmArchive(Buffer.from('hello'), 'bad.charm')).toThrow(
      'cannot unpack bad.charm: not a zip file (no end of central directory); rebuild it with charm-pack',
    );
  });

  test('rejects a truncated archive and a wrong checksum', () => {
    const zip = craftZip([{ name: 'a', data: 'x'.repeat(1000) }]);
    const cut = Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 100)]);
    expect(() => readCharmArchive(cut, 'cut.charm')).toThrow(/^cannot unpack cut.charm: /);
    expect(() => readCharmArchive(craftZip([{ name: 'a', crc32: 7 }]), 'crc.charm')).toThrow(
      'cannot unpack crc.charm: "a" fails its CRC-32 check; rebuild it with charm-pack',
    );
  });
});
