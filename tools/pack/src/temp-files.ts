/**
 * The `.charm.tmp-<pid>` files a pack writes before renaming them into place: removed when
 * the process is interrupted (SIGINT, SIGTERM; then the signal does what it would have), and,
 * when a process died without a chance to (SIGKILL, a crash), by the next pack in the same
 * directory.
 * @module
 */
import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  for (const path of live) rmSync(path, { force: true });
  live.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // With no listener left, the signal ends the process as it would have without us.
  process.kill(process.pid, signal);
}

/**
 * The temporary name for `path` in this process, removed if the process is interrupted while
 * it exists. Call the returned `done` once it is renamed or removed.
 */
export function tempFileFor(path: string): { tmp: string; done: () => void } {
  const tmp = `${path}.tmp-${process.pid}`;
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.add(tmp);
  return {
    tmp,
    done: () => {
      live.delete(tmp);
      if (live.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
    },
  };
}

/** Removes the `*.charm.tmp-<pid>` files in `dir` whose process is gone. Returns them. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = /\.charm\.tmp-(\d+)$/.exec(name);
    if (!match || alive(Number(match[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
