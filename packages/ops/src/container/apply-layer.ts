/**
 * `applyLayer`: add a layer (merging into its label) and replan, in three Pebble requests
 * (POST /v1/layers, POST /v1/services replan, GET /v1/changes/{id}/wait), telling which services
 * changed and which started from the replan change itself: Pebble's replan stops exactly the
 * running services whose definition changed, and starts every enabled one (a start task of a
 * service already running logs `Service "x" already started.` and does nothing).
 * @module
 */
import type { Change, Layer, Pebble, RequestOptions } from '@charm-ts/pebble';
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

/** Adds `layer` under `label` (combined), replans, and reads the outcome from the change. */
export async function applyLayer(
  pebble: Pebble,
  label: string,
  layer: Layer,
  options: ApplyLayerOptions = {},
): Promise<ApplyLayerResult> {
  const signal = options.signal;
  await pebble.addLayer(label, layer, { combine: true, ...(signal && { signal }) });
  const changeId = await pebble.replanServices({ wait: false, ...(signal && { signal }) });
  const change = await pebble.waitChange(changeId, {
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(signal && { signal }),
  });
  if (change.err || change.status === 'Error') throw new ChangeError(change);
  return replanOutcome(change);
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
