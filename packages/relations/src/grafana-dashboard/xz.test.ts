import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DashboardContentError, decodeLzmaBase64, decodeXz } from './xz.ts';
import { xzStore } from './xz-store.ts';

// "hello" as cosl's LZMABase64.compress writes it (xz, preset 3, CRC64).
const HELLO =
  '/Td6WFoAAATm1rRGAgAhARQAAAD/5+wJAQAEaGVsbG8AAAAAsTe52+XaHpsAAR0FuC2Arx+2830BAAAAAARZWg==';

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DashboardContentError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('decodeLzmaBase64', () => {
  it('reads what cosl writes', async () => {
    expect(await decodeLzmaBase64(HELLO)).toBe('hello');
  });

  it('refuses what liblzma refuses, in its words', async () => {
    const bytes = Buffer.from(HELLO, 'base64');
    const corrupt = Buffer.from(bytes);
    corrupt[30] = (corrupt[30] ?? 0) ^ 0x55;
    expect(await refusal(() => decodeXz(corrupt))).toBe('Corrupt input data');
    expect(await refusal(() => decodeXz(Buffer.from('not xz')))).toBe(
      'Input format not supported by decoder',
    );
    expect(await refusal(() => decodeXz(bytes.subarray(0, 30)))).toBe(
      'Compressed data ended before the end-of-stream marker was reached',
    );
    expect(await refusal(() => decodeLzmaBase64('abc'))).toBe('Incorrect padding: not base64');
    expect(
      await refusal(() => decodeLzmaBase64(xzStore(Buffer.from([0xff, 0xfe])).toString('base64'))),
    ).toBe('the decompressed dashboard is not UTF-8 text');
  });

  it('stops at the size limit, and the next decode still works', async () => {
    const big = xzStore(Buffer.alloc(300_000, 0x61));
    expect(await refusal(() => decodeXz(big, 100_000))).toBe(
      'decompresses to more than 100000 bytes',
    );
    expect(await decodeLzmaBase64(HELLO)).toBe('hello');
  });
});

describe('xzStore', () => {
  it.each([0, 5, 65_536, 200_001])('writes %i bytes that decode back', async (n) => {
    const data = Buffer.alloc(n);
    for (let i = 0; i < n; i++) data[i] = (i * 7) & 0xff;
    expect((await decodeXz(xzStore(data))).equals(data)).toBe(true);
  });

  it.skipIf(!hasXz())('writes streams xz itself accepts', () => {
    const stream = xzStore(Buffer.from('é'.repeat(70_000)));
    expect(execFileSync('xz', ['-dc'], { input: stream }).toString()).toBe('é'.repeat(70_000));
  });
});

function hasXz(): boolean {
  try {
    execFileSync('xz', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
