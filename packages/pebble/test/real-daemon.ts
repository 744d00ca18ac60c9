/**
 * Test helper: a real Pebble daemon in a fresh temp dir (`PEBBLE_PERSIST=never`, `--hold`),
 * exposed as a `ContractTarget`. Used by the files and exec tests until the package-wide
 * real-pebble target exists.
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ContractTarget } from '../src/contract/target.ts';
import { exec } from '../src/exec.ts';
import { listFiles, makeDir, pull, push, removePath } from '../src/files.ts';
import { Requester } from '../src/internal/requester.ts';
import type { Pebble } from '../src/pebble.ts';

export const installHint = 'go install github.com/canonical/pebble/cmd/pebble@v1.32.1';

/** The pebble binary on PATH or in ~/go/bin, or undefined. */
export function findPebble(): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter),
    join(process.env.HOME ?? '/root', 'go', 'bin'),
    '/root/go/bin',
  ];
  for (const dir of dirs) {
    const candidate = join(dir, 'pebble');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Why real-daemon tests cannot run here (undefined when they can). With `CI` set a missing
 * binary is a failure, not a skip.
 */
export function pebbleUnavailable(): string | undefined {
  if (findPebble()) return undefined;
  const message = `pebble binary not found on PATH or in ~/go/bin; install it with: ${installHint}`;
  if (process.env.CI) throw new Error(message);
  return message;
}

export interface RealDaemon {
  dir: string;
  socketPath: string;
  rq: Requester;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `pebble run --create-dirs --hold` in a short temp dir and waits for its socket. */
export async function startDaemon(): Promise<RealDaemon> {
  const binary = findPebble();
  if (!binary) throw new Error(`pebble not found; install it with: ${installHint}`);
  const dir = await mkdtemp('/tmp/pb-');
  const socketPath = join(dir, '.pebble.socket');
  const child = spawn(binary, ['run', '--create-dirs', '--hold'], {
    env: { ...process.env, PEBBLE: dir, PEBBLE_PERSIST: 'never', PEBBLE_SOCKET: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const rq = new Requester({ socketPath, retryMs: 0 });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`pebble exited early: ${stderr}`);
    if (existsSync(socketPath)) {
      try {
        await rq.sync({ method: 'GET', path: '/v1/system-info', noRetry: true });
        break;
      } catch {
        // Not listening yet.
      }
    }
    if (i > 200) throw new Error(`pebble did not start within 10 s: ${stderr}`);
    await delay(50);
  }
  const stop = async (): Promise<void> => {
    await rq.close();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, delay(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  return { dir, socketPath, rq, process: child, stop };
}

/** A Pebble over `rq` with the files and exec methods (the ones these tests use). */
export function filesExecPebble(rq: Requester): Pebble {
  const pebble: Partial<Pebble> = {
    listFiles: (path, options) => listFiles(rq, path, options),
    push: (path, source, options) => push(rq, path, source, options),
    pull: (path, options) => pull(rq, path, options),
    makeDir: (path, options) => makeDir(rq, path, options),
    removePath: (path, options) => removePath(rq, path, options),
    exec: (command, options) => exec(rq, command, options),
  };
  return pebble as Pebble;
}

/** A ContractTarget over a fresh real daemon. */
export async function realTarget(): Promise<ContractTarget> {
  const daemon = await startDaemon();
  const scratchDir = join(daemon.dir, 'scratch');
  await mkdir(scratchDir);
  return {
    name: 'real pebble',
    pebble: filesExecPebble(daemon.rq),
    scratchDir,
    close: () => daemon.stop(),
  };
}

/** True when this process runs as root (permission checks are then not enforced). */
export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs a command synchronously (for checks outside Pebble). */
export function run(command: string, args: string[]): string {
  return spawnSync(command, args, { encoding: 'utf8' }).stdout;
}
