/**
 * Shared by the e2e files: the probe charm's model, reading what the probe recorded, waiting
 * for an event.
 * @module
 */
import { existsSync } from 'node:fs';
import { waitUntil } from '@charm-ts/pebble/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { Simulator } from '../src/index.ts';
import { packProbe, storedEvents } from '../test/probe.ts';

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

/**
 * Watches the model (half a second at a time) until `unit` has recorded `entry`; returns what
 * it recorded.
 * @throws WaitTimeoutError after `timeoutMs` (default 60 s), with what the unit did record.
 */
export async function waitFor(
  sim: Simulator,
  unit: string,
  entry: string,
  timeoutMs = 60_000,
): Promise<string[]> {
  return waitUntil(
    `${unit} to record ${entry}`,
    async () => {
      await sim.watch({ durationMs: 500, pollMs: 250 });
      const seen = events(sim, unit, true);
      return seen.includes(entry) ? seen : undefined;
    },
    { timeoutMs, intervalMs: 0, lastSeen: () => events(sim, unit, true).join(', ') },
  );
}

/**
 * The probe charm's model for the enclosing `describe`: before its tests the probe is packed,
 * the model in `stateDir` opened and `setup` run (it keeps the simulator and deploys); after
 * them the model is destroyed and its state directory checked gone.
 */
export function useProbeModel(
  stateDir: string,
  setup: (sim: Simulator, charm: string) => Promise<void>,
): void {
  let opened: Simulator | undefined;
  beforeAll(async () => {
    const charm = packProbe();
    opened = Simulator.open({ stateDir, hookTimeoutMs: 60_000 });
    await setup(opened, charm);
  });
  afterAll(async () => {
    await opened?.destroy();
    expect(existsSync(stateDir)).toBe(false);
  });
}
