import { describe, expect, test } from 'vitest';
import { makeZip } from '../test/zip-writer.ts';
import { readZip } from './zip.ts';

describe('readZip', () => {
  test('reads stored and deflated entries with their Unix modes', () => {
    const zip = makeZip([
      { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 },
      { name: 'metadata.yaml', data: 'name: x\n'.repeat(100), stored: true, mode: 0o644 },
      { name: 'hooks/install', data: '../dispatch', mode: 0o777, symlink: true },
      { name: 'dos.txt', data: 'no mode' },
    ]);
    const entries = readZip(zip, 'x.charm');
    expect(entries.map((e) => [e.name, e.mode, e.symlink])).toEqual([
      ['dispatch', 0o755, false],
      ['metadata.yaml', 0o644, false],
      ['hooks/install', 0o777, true],
      ['dos.txt', undefined, false],
    ]);
    expect(entries[1]?.data.toString()).toBe('name: x\n'.repeat(100));
  });

  test('rejects what is not a zip, naming the file and the fix', () => {
    expect(() => readZip(Buffer.from('hello'), 'bad.charm')).toThrow(
      'cannot unpack bad.charm: not a zip file (no end of central directory); rebuild it with charm-pack',
    );
  });

  test('rejects a truncated archive', () => {
    const zip = makeZip([{ name: 'a', data: 'x'.repeat(1000) }]);
    const cut = Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 100)]);
    expect(() => readZip(cut, 'cut.charm')).toThrow(/cannot unpack cut.charm/);
  });
});
