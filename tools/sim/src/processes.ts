/**
 * Processes the simulator started and may have to stop: is one still there, is it still ours.
 * @module
 */
import { readFileSync } from 'node:fs';

/** True while process `pid` exists and is not a zombie. */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // "pid (comm) S …": the state letter follows the last parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return stat.slice(close + 2, close + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * True when process `pid` is one of this model's sandboxes: its command line names a path
 * under `dir`. After a reboot, a pid in the state file may belong to anything.
 */
export function runsUnder(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`);
  } catch {
    return false;
  }
}

/** Sends `signal` to the process group of `pid` (never 0 or 1); no error when it is gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  // Never 0 or 1: kill(-0) would hit our own process group.
  if (pid <= 1) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
