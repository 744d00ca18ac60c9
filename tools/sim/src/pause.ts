/**
 * A test hook for crash recovery: with `CHARM_SIM_PAUSE_AT=<step>` in its environment, a
 * charm-sim process stops for good at that step, after printing `paused at <step>` on stderr,
 * so that a test can kill -9 it there (deterministically, not after some delay) and check
 * what the next command recovers. Steps: `unpacked`, `app-saved`, `pod-starting`,
 * `hook-started`.
 * @module
 */
import { writeSync } from 'node:fs';

/** The steps a process can be paused at. */
export type PauseStep = 'unpacked' | 'app-saved' | 'pod-starting' | 'hook-started';

/** Stops this process forever when `CHARM_SIM_PAUSE_AT` names `step`; otherwise returns. */
export function pausePoint(step: PauseStep): void {
  if (process.env.CHARM_SIM_PAUSE_AT !== step) return;
  writeSync(2, `paused at ${step}\n`);
  // Blocks the whole process (no timer, no I/O) until it is killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
