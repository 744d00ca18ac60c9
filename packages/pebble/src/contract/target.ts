/**
 * What the contract suite runs against: a `Pebble` plus the few things a test needs around it.
 * @module
 */
import type { Pebble } from '../pebble.ts';

/** A Pebble under test: the real daemon, or the in-memory one of @charm-ts/testing. */
export interface ContractTarget {
  /** Shown in test names, e.g. `'real pebble'` or `'memory pebble'`. */
  name: string;
  pebble: Pebble;
  /** A writable directory (absolute path as the target sees it) for file tests. */
  scratchDir: string;
  /** Optional: SIGKILL a running service's process, as a crash would. */
  killService?(service: string): Promise<void>;
  /** Releases the target (stops a daemon, closes clients). */
  close(): Promise<void>;
}
