/**
 * Starts a real Pebble daemon for tests that compare the in-memory Pebble with it. Finds the
 * binary on PATH or in Go's bin directory; without it a test skips (fails under CI) with the
 * install command.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PebbleClient } from '@charm-ts/pebble';

/** How to install the daemon, for skip and failure messages. */
export const installPebble = 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1';

/** The pebble binary, or undefined when it is not installed. */
export function findPebble(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  dirs.push(join(process.env.GOPATH ?? join(process.env.HOME ?? '/root', 'go'), 'bin'));
  return dirs.map((dir) => join(dir, 'pebble')).find((path) => existsSync(path));
}

/** A running daemon with a client; `stop()` ends both and removes the state directory. */
export interface RealPebble {
  client: PebbleClient;
  dir: string;
  stop(): Promise<void>;
}

/** Starts `pebble run --hold` in a fresh directory with in-memory state. Throws Error if it does not come up. */
export async function startRealPebble(binary: string): Promise<RealPebble> {
  const dir = mkdtempSync(join(tmpdir(), 'charm-ts-pebble-'));
  const child: ChildProcess = spawn(binary, ['run', '--hold', '--create-dirs'], {
    env: { ...process.env, PEBBLE: dir, PEBBLE_PERSIST: 'never' },
    stdio: 'ignore',
  });
  const client = new PebbleClient({ socketPath: join(dir, '.pebble.socket') });
  const stop = async (): Promise<void> => {
    await client.close();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (await client.canConnect()) return { client, dir, stop };
    await sleep(50);
  }
  await stop();
  throw new Error(`pebble did not start in ${dir}`);
}
