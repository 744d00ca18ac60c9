import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPebbleBinary,
  pebbleInstallCommand,
  type RealPebble,
  realPebbleSkipReason,
  startRealPebble,
} from './real-pebble.ts';
import { waitUntil } from './wait.ts';

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

const skipReason = realPebbleSkipReason();

/** Processes whose environment has `PEBBLE=<dir>`. */
function processesOf(dir: string): string[] {
  return readdirSync('/proc').filter((p) => {
    try {
      return readFileSync(`/proc/${p}/environ`, 'latin1').includes(`PEBBLE=${dir}\0`);
    } catch {
      return false;
    }
  });
}

/** Starts a service that ignores SIGTERM and keeps writing into the daemon's directory. */
async function startWriter(daemon: RealPebble): Promise<void> {
  const script = `trap '' TERM; i=0; while :; do i=$((i+1)); : > "$PEBBLE/spam-$((i % 8))"; done`;
  await daemon.client.addLayer('spam', {
    services: {
      spam: { override: 'replace', command: `sh -c '${script.replaceAll("'", "'\\''")}'` },
    },
  });
  await daemon.client.startServices(['spam']);
  await waitUntil('the service to write into $PEBBLE', () =>
    readdirSync(daemon.dir).some((f) => f.startsWith('spam-')),
  );
}

describe.skipIf(skipReason !== undefined)(
  `closing a real Pebble${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    // Pebble gives a service that ignores SIGTERM its kill-delay (5 s) before killing it, and
    // close() once removed the directory while such a service still wrote there (ENOTEMPTY):
    // it waits for the daemon and every service first.
    it('removes the directory only once the daemon and its services are gone', async () => {
      const daemon = await startRealPebble();
      await startWriter(daemon);
      await daemon.close();
      expect(existsSync(daemon.dir)).toBe(false);
      expect(processesOf(daemon.dir)).toEqual([]);
    });

    it('after kill(), waits for the services that outlived the daemon', async () => {
      const daemon = await startRealPebble();
      await startWriter(daemon);
      daemon.kill();
      await daemon.close();
      expect(existsSync(daemon.dir)).toBe(false);
      expect(processesOf(daemon.dir)).toEqual([]);
    });
  },
);
