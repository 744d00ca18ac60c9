/**
 * A throwaway Pebble daemon for the bench (`PEBBLE_PERSIST=never`, `--hold`, short temp dir).
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PebbleClient } from '@charm-ts/pebble';

export const installCommand = 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1';

/** `$PEBBLE_BIN`, else `pebble` on PATH, else in ~/go/bin. */
export function findPebble(): string | undefined {
  if (process.env.PEBBLE_BIN) return process.env.PEBBLE_BIN;
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    join(process.env.HOME ?? '', 'go/bin'),
  ];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, 'pebble'))) return join(dir, 'pebble');
  }
  return undefined;
}

export interface Daemon {
  binary: string;
  dir: string;
  socketPath: string;
  client: PebbleClient;
  stop(): Promise<void>;
}

/** Starts a daemon and waits until it answers. Throws when it does not start in 10 s. */
export async function startDaemon(binary: string): Promise<Daemon> {
  const dir = await mkdtemp('/tmp/pbb-');
  const socketPath = join(dir, '.pebble.socket');
  const env: NodeJS.ProcessEnv = { ...process.env, PEBBLE: dir, PEBBLE_PERSIST: 'never' };
  delete env.PEBBLE_SOCKET;
  const child = spawn(binary, ['run', '--create-dirs', '--hold'], { env, stdio: 'ignore' });
  const client = new PebbleClient({ socketPath, retryMs: 0 });
  const stop = async (): Promise<void> => {
    await client.close();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, delay(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; !(existsSync(socketPath) && (await client.canConnect())); i++) {
    if (i > 200 || child.exitCode !== null) {
      await stop();
      throw new Error(`pebble did not start in ${dir}`);
    }
    await delay(50);
  }
  return { binary, dir, socketPath, client, stop };
}
