/**
 * A lock file held by a process, taken over when that process is gone, such that exactly one
 * process holds it at any time, however many contend for a stale one.
 *
 * - Taking a free lock: `link()` a file holding `<pid> <nonce>` to the lock's name: atomic,
 *   it fails when the name exists.
 * - Taking over a stale lock (its pid is dead): a process first takes the lock's *takeover
 *   token* for that generation, `<lock>.takeover-<hash of its content>`, itself a lock file
 *   taken the same way (so a taker that died holding it is taken over in turn). The one token
 *   holder checks the lock still holds the generation it judged stale, then renames its own
 *   file over it: the name never stands empty, so no one can `link()` in between, and no one
 *   else may replace that generation. A later taker of a released token finds a new
 *   generation and starts again.
 * - Releasing: only a lock that still holds our own content is removed.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { alive } from './processes.ts';

/** How a try ended: held (with the release function), or held by a live process. */
export type LockResult =
  | { readonly held: true; readonly release: () => void }
  | { readonly held: false; readonly pid: number };

// Tokens of tokens: each level needs a taker to die within microseconds of the one before.
const MAX_DEPTH = 3;
const MAX_ROUNDS = 200;

/**
 * Tries once to take the lock at `path` for this process.
 * @throws Error when the lock cannot be settled (a file system error other than the races
 * handled here, or takeovers nested deeper than any crash sequence makes them).
 */
export function tryLockFile(path: string): LockResult {
  const identity = `${process.pid} ${randomUUID()}\n`;
  const pid = acquire(path, identity, 0);
  if (pid !== undefined) return { held: false, pid };
  return { held: true, release: () => releaseIfOurs(path, identity) };
}

// undefined: acquired; a number: the live holder's pid.
function acquire(path: string, identity: string, depth: number): number | undefined {
  if (depth > MAX_DEPTH)
    throw new Error(`cannot take over ${path}: remove it and its .takeover files`);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (linkNew(path, identity)) return undefined;
    const seen = readOwner(path);
    if (seen === undefined) continue; // released meanwhile: try again
    if (seen.pid !== process.pid && alive(seen.pid)) return seen.pid;
    const token = `${path}.takeover-${createHash('sha256').update(seen.content).digest('hex').slice(0, 16)}`;
    const busy = acquire(token, identity, depth + 1);
    if (busy !== undefined) {
      // Another process is taking over this generation right now: see who ends up holding.
      pause(2);
      continue;
    }
    try {
      if (readOwner(path)?.content === seen.content) {
        replaceWith(path, identity);
        return undefined;
      }
    } finally {
      releaseIfOurs(token, identity);
    }
  }
  throw new Error(`cannot take ${path}: it changed hands ${MAX_ROUNDS} times`);
}

// Creates `path` holding `identity` unless it exists (link() never replaces).
function linkNew(path: string, identity: string): boolean {
  const mine = `${path}.new-${process.pid}-${randomUUID().slice(0, 8)}`;
  writeFileSync(mine, identity, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(mine, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(mine, { force: true });
  }
}

function replaceWith(path: string, identity: string): void {
  const mine = `${path}.new-${process.pid}-${randomUUID().slice(0, 8)}`;
  writeFileSync(mine, identity, { flag: 'wx', mode: 0o600 });
  renameSync(mine, path);
}

function readOwner(path: string): { content: string; pid: number } | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A file cut short or garbled holds no live pid: stale.
  const pid = Number(content.split(' ')[0]);
  return { content, pid: Number.isInteger(pid) && pid > 0 ? pid : 0 };
}

function releaseIfOurs(path: string, identity: string): void {
  if (readOwner(path)?.content === identity) rmSync(path, { force: true });
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
