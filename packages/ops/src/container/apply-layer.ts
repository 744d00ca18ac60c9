/**
 * `applyLayer`: add a layer (merging into its label) and replan only when that changes
 * something. It reads the plan before and after adding the layer, and the services: when the
 * plan is the same and every enabled service runs, Pebble's replan would restart and start
 * nothing, so none is made. A replan is a change Pebble runs and persists (50-160 ms on the
 * project's machine, bench/dispatch), the plan and services are plain reads (~2 ms together).
 * Otherwise it replans and tells which services changed and which started from the replan change
 * itself: Pebble's replan stops exactly the running services whose definition changed, and
 * starts every enabled one (a start task of a service already running logs
 * `Service "x" already started.` and does nothing).
 * @module
 */
import type { Change, Layer, Pebble, Plan, RequestOptions, ServiceInfo } from '@charm-ts/pebble';
import { ChangeError } from '@charm-ts/pebble/errors';

/** What `Container.applyLayer` did. */
export interface ApplyLayerResult {
  /** Services Pebble restarted because their definition changed, sorted. */
  changed: string[];
  /** Services Pebble started or restarted (the changed ones included), sorted. */
  started: string[];
}

/** Options of `Container.applyLayer`. */
export interface ApplyLayerOptions extends RequestOptions {
  /** Optional: how long to wait for the replan, in milliseconds. Default 30 000. */
  timeoutMs?: number;
}

const TASK = /^(Start|Stop) service "(.+)"$/;

/**
 * Adds `layer` under `label` (combined); replans when the plan changed or an enabled service is
 * not running, and reads the outcome from the change.
 */
export async function applyLayer(
  pebble: Pebble,
  label: string,
  layer: Layer,
  options: ApplyLayerOptions = {},
): Promise<ApplyLayerResult> {
  const signal = options.signal;
  const request = signal ? { signal } : {};
  const [before, services] = await Promise.all([
    pebble.getPlan(request),
    pebble.listServices(request),
  ]);
  await pebble.addLayer(label, layer, { combine: true, ...request });
  const after = await pebble.getPlan(request);
  if (sameValue(before, after) && allEnabledRunning(after, services)) {
    return { changed: [], started: [] };
  }
  const changeId = await pebble.replanServices({ wait: false, ...request });
  const change = await pebble.waitChange(changeId, {
    timeoutMs: options.timeoutMs ?? 30_000,
    ...request,
  });
  if (change.err || change.status === 'Error') throw new ChangeError(change);
  return replanOutcome(change);
}

/** True when every service of `plan` with `startup: enabled` is active. */
function allEnabledRunning(plan: Plan, services: readonly ServiceInfo[]): boolean {
  const current = new Map(services.map((s) => [s.name, s]));
  return Object.entries(plan.services).every(
    ([name, service]) => service.startup !== 'enabled' || current.get(name)?.current === 'active',
  );
}

/** Deep equality of two values read from JSON or YAML (key order does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** The services a finished replan change restarted for a new definition, and started. */
export function replanOutcome(change: Change): ApplyLayerResult {
  const changed = new Set<string>();
  const started = new Set<string>();
  for (const task of change.tasks) {
    const m = TASK.exec(task.summary);
    if (!m) continue;
    const name = m[2] as string;
    if (m[1] === 'Stop') changed.add(name);
    else if (!task.log.some((line) => line.endsWith(`Service "${name}" already started.`)))
      started.add(name);
  }
  return { changed: [...changed].sort(), started: [...started].sort() };
}
