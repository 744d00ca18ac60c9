/**
 * Finding the external programs a pod needs: bubblewrap, Pebble, iproute2, util-linux.
 * @module
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { missingBinary, SimError } from './errors.ts';

/** Absolute paths of the programs pods are made of. */
export interface Binaries {
  readonly bwrap: string;
  readonly pebble: string;
  readonly ip: string;
  readonly nsenter: string;
  readonly unshare: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on PATH (and in `extra` directories); undefined when absent. */
export function which(name: string, extra: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extra, '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Finds every binary a pod needs. Pebble comes from `$PEBBLE_BIN`, PATH, `$GOBIN` or `~/go/bin`.
 * @throws SimError `MISSING_BINARY` naming the first missing program and its install command.
 */
export function findBinaries(): Binaries {
  const need = (name: string, extra: string[] = []) => {
    const found = which(name, extra);
    if (!found) throw missingBinary(name);
    return found;
  };
  const pebbleEnv = process.env.PEBBLE_BIN;
  const goBins = [process.env.GOBIN ?? '', join(homedir(), 'go', 'bin')].filter(Boolean);
  return {
    bwrap: need('bwrap'),
    pebble: pebbleEnv && executable(pebbleEnv) ? pebbleEnv : need('pebble', goBins),
    ip: need('ip'),
    nsenter: need('nsenter'),
    unshare: need('unshare'),
  };
}

/**
 * Why pods cannot be made on this machine, for a test that skips (or fails under CI) with the
 * reason: the first program missing with the command that installs it (and `then`, the
 * project's own installer), or not running as root; undefined when they can.
 */
export function podsProblem(then = 'bash scripts/install-test-deps.sh'): string | undefined {
  try {
    findBinaries();
  } catch (error) {
    if (error instanceof SimError) return `${error.message} (or ${then})`;
    throw error;
  }
  if (process.getuid?.() !== 0) return 'pods need root (ip netns, mount): run the tests as root';
  return undefined;
}
