import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPebbleBinary, pebbleInstallCommand, realPebbleSkipReason } from './real-pebble.ts';

describe('finding the pebble binary', () => {
  let dir: string;
  let binary: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pb-find-'));
    binary = join(dir, 'pebble');
    await writeFile(binary, '#!/bin/sh\n', { mode: 0o755 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers $PEBBLE_BIN, then PATH', () => {
    expect(findPebbleBinary({ PEBBLE_BIN: binary, PATH: '' })).toBe(binary);
    expect(findPebbleBinary({ PATH: `/nonexistent:${dir}` })).toBe(binary);
    expect(findPebbleBinary({ PEBBLE_BIN: join(dir, 'missing'), PATH: dir })).toBeUndefined();
  });

  it('skips with the install command when missing, and fails under CI', () => {
    expect(findPebbleBinary({ PATH: '' })).toBeUndefined();
    expect(realPebbleSkipReason({ PATH: '' })).toContain(pebbleInstallCommand);
    expect(() => realPebbleSkipReason({ PATH: '', CI: 'true' })).toThrow(pebbleInstallCommand);
    expect(realPebbleSkipReason({ PATH: dir, CI: 'true' })).toBeUndefined();
  });
});
