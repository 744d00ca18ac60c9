import { afterEach, describe, expect, it } from 'vitest';
import { podsProblem } from './binaries.ts';

describe('podsProblem', () => {
  const saved = { PATH: process.env.PATH, PEBBLE_BIN: process.env.PEBBLE_BIN };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.PEBBLE_BIN === undefined) delete process.env.PEBBLE_BIN;
    else process.env.PEBBLE_BIN = saved.PEBBLE_BIN;
  });

  it('names the first program missing, its install command and the project installer', () => {
    // Only bwrap is looked up on PATH alone (iproute2 and util-linux also in the sbin folders).
    process.env.PATH = '/nonexistent';
    expect(podsProblem('bash my-installer.sh')).toBe(
      'bwrap not found on PATH: install it with: apt-get install -y bubblewrap (or bash my-installer.sh)',
    );
  });
});
