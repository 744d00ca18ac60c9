import { describe, expect, it } from 'vitest';
import { ZipError } from './errors.ts';
import { craftZip } from './testing.ts';
import { readZip, type ZipLimits } from './zip-reader.ts';

function refusal(archive: Buffer, limits?: ZipLimits): ZipError {
  try {
    readZip(archive, limits);
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error('readZip accepted the archive');
}

describe('readZip', () => {
  it('reads stored and deflated entries with their Unix types and modes', () => {
    const files = readZip(
      craftZip([
        { name: 'dispatch', data: '#!/bin/sh\n', mode: 0o755 },
        { name: 'metadata.yaml', data: 'name: x\n'.repeat(100), method: 0 },
        { name: 'hooks/install', data: '../dispatch', mode: 0o120777 },
        { name: 'site/', mode: 0o040755 },
        { name: 'fifo', mode: 0o010644 },
        { name: 'dos.txt', data: 'no mode', mode: null },
        { name: 'dos-dir/', mode: null },
      ]),
    );
    expect(files.map((f) => [f.name, f.type, f.mode])).toEqual([
      ['dispatch', 'file', 0o755],
      ['metadata.yaml', 'file', 0o644],
      ['hooks/install', 'symlink', 0o777],
      ['site/', 'directory', 0o755],
      ['fifo', 'special', 0o644],
      ['dos.txt', 'file', undefined],
      ['dos-dir/', 'directory', undefined],
    ]);
    expect(files[1]?.data.toString()).toBe('name: x\n'.repeat(100));
    expect(files[2]?.data.toString()).toBe('../dispatch');
    expect(files[4]?.unixMode).toBe(0o010644);
  });

  it('reads names as UTF-8 with flag bit 11, else as Latin-1', () => {
    const [utf8, latin1] = readZip(
      craftZip([
        { name: 'café.html', data: 'x' },
        { name: 'café.html', data: 'x', flags: 0 },
      ]),
    );
    expect(utf8?.name).toBe('café.html');
    // The same UTF-8 bytes, without the flag: each byte is one character.
    expect(latin1?.name).toBe('caf\u00c3\u00a9.html');
  });

  it('refuses what is not a zip, or is cut short, as NOT_A_ZIP', () => {
    expect(refusal(Buffer.from('<html>not a zip</html>'))).toMatchObject({
      code: 'NOT_A_ZIP',
      message: 'not a zip file (no end of central directory)',
    });
    const good = craftZip([{ name: 'index.html', data: 'hello world'.repeat(20) }]);
    expect(refusal(good.subarray(0, good.length - 5)).code).toBe('NOT_A_ZIP');
    const cut = Buffer.concat([good.subarray(0, 40), good.subarray(good.length - 100)]);
    expect(refusal(cut).code).toBe('CORRUPT');
  });

  it('refuses a wrong CRC-32, a flipped byte and a wrong size as CORRUPT', () => {
    expect(refusal(craftZip([{ name: 'a', data: 'hello', crc32: 1 }]))).toMatchObject({
      code: 'CORRUPT',
      message: '"a" fails its CRC-32 check',
    });
    const good = craftZip([{ name: 'index.html', data: 'hello world'.repeat(20) }]);
    const flipped = Buffer.from(good);
    flipped[40] = (flipped[40] ?? 0) ^ 0xff;
    expect(refusal(flipped).code).toBe('CORRUPT');
    // The central directory says 5 bytes; the stored data is 6.
    const lying = craftZip([{ name: 'a', data: 'hello!', method: 0 }]);
    lying.writeUInt32LE(5, lying.indexOf(Buffer.from([0x50, 0x4b, 1, 2])) + 24);
    expect(refusal(lying).message).toBe('"a" is 6 bytes, the archive says 5');
  });

  it('refuses encryption and methods other than stored and deflate as UNSUPPORTED', () => {
    expect(refusal(craftZip([{ name: 'x', data: 'x', flags: 0x801 }]))).toMatchObject({
      code: 'UNSUPPORTED',
      message: 'entry "x" is encrypted',
    });
    expect(refusal(craftZip([{ name: 'x', data: 'x', method: 12 }])).message).toContain(
      'compression method 12',
    );
  });

  it('stops at the entry count and the inflated total before inflating past them', () => {
    const big = craftZip([{ name: 'x', data: Buffer.alloc(2048) }]);
    expect(refusal(big, { maxTotalBytes: 1024 })).toMatchObject({
      code: 'TOO_LARGE',
      message: 'the archive inflates to more than 1024 bytes',
    });
    expect(refusal(big, { maxEntries: 0 }).message).toBe('the archive has 1 entries, more than 0');
    // A bomb: 64 MiB of zeros that declares 1 KiB is cut off just past the declared size.
    const bomb = craftZip([{ name: 'bomb', data: Buffer.alloc(64 * 1024 * 1024) }]);
    bomb.writeUInt32LE(1024, bomb.indexOf(Buffer.from([0x50, 0x4b, 1, 2])) + 24);
    expect(refusal(bomb).code).toBe('CORRUPT');
  });
});
