/**
 * Shared by the e2e files: reading what the probe charm recorded, waiting for an event.
 * @module
 */
import type { Simulator } from '../src/index.ts';
import { storedEvents } from '../test/probe.ts';

/**
 * What the charm recorded in its StoredState. Check events depend on timing (a service takes a
 * moment to listen): most tests leave them out.
 */
export function events(sim: Simulator, unit: string, withChecks = false): string[] {
  const all = storedEvents(sim.stateDir, unit);
  return withChecks ? all : all.filter((e) => !e.startsWith('workload_pebble_check_'));
}

/** The id of the relation `app` takes part in through `endpoint`, or -1. */
export function relationId(sim: Simulator, app: string, endpoint: string): number {
  const rel = Object.values(sim.state.relations).find((r) =>
    r.endpoints.some((e) => e.app === app && e.endpoint === endpoint),
  );
  return rel?.id ?? -1;
}

/** Watches the model (half a second at a time, up to 10 s) until `unit` has recorded `entry`. */
export async function waitFor(sim: Simulator, unit: string, entry: string): Promise<string[]> {
  let seen: string[] = [];
  for (let i = 0; i < 20; i++) {
    await sim.watch({ durationMs: 500, pollMs: 250 });
    seen = events(sim, unit, true);
    if (seen.includes(entry)) break;
  }
  return seen;
}
