/**
 * Unit and application statuses, and how collect-status picks one.
 * @module
 */
import type { SettableStatus } from './hook-tools/types.ts';

/** A status the charm sets: `active`, `blocked`, `maintenance` or `waiting`, with a message. */
export interface Status {
  readonly status: SettableStatus;
  readonly message: string;
}

/** Status constructors: `Status.active()`, `Status.blocked('need a db relation')`, … */
export const Status = {
  active: (message = ''): Status => ({ status: 'active', message }),
  blocked: (message: string): Status => ({ status: 'blocked', message }),
  maintenance: (message: string): Status => ({ status: 'maintenance', message }),
  waiting: (message: string): Status => ({ status: 'waiting', message }),
} as const;

// error > blocked > maintenance > waiting > active (a charm cannot set error itself).
const PRIORITY: Record<SettableStatus, number> = {
  blocked: 3,
  maintenance: 2,
  waiting: 1,
  active: 0,
};

/** The highest-priority status; the first added wins a tie. Undefined for an empty list. */
export function highestStatus(statuses: readonly Status[]): Status | undefined {
  let best: Status | undefined;
  for (const s of statuses) {
    if (!best || PRIORITY[s.status] > PRIORITY[best.status]) best = s;
  }
  return best;
}
