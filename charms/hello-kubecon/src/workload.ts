/**
 * gosherve in its container: the Pebble layer, and applying it so that gosherve restarts only
 * when its plan changed.
 * @module
 */
import { Status } from '@charm-ts/ops';
import type { Layer, Pebble } from '@charm-ts/pebble';

/** The port gosherve serves on (its metrics are on 8081). */
export const GOSHERVE_PORT = 8080;
/** Where the webroot storage is mounted in the gosherve container (charmcraft.yaml). */
export const WORKLOAD_STORAGE = '/srv';
/** What gosherve serves: the `site` link in the storage. */
export const WORKLOAD_WEBROOT = `${WORKLOAD_STORAGE}/site`;
/** The layer label and the service name. */
export const SERVICE = 'gosherve';
/** The check that GETs `/`. */
export const READY_CHECK = 'gosherve-ready';

/**
 * The gosherve layer. gosherve v0.2+ reads `GOSHERVE_REDIRECT_MAP_URL` and `GOSHERVE_WEBROOT`;
 * 0.1.x (the `jnsgruk/gosherve:latest` image) reads the unprefixed names, so both are set.
 * There is no health endpoint: the check GETs `/`, which serves the site's index.html.
 */
export function gosherveLayer(redirectMap: string): Layer {
  return {
    summary: 'gosherve layer',
    description: 'pebble config layer for gosherve',
    services: {
      [SERVICE]: {
        override: 'replace',
        summary: 'gosherve',
        command: '/gosherve',
        startup: 'enabled',
        environment: {
          GOSHERVE_REDIRECT_MAP_URL: redirectMap,
          GOSHERVE_WEBROOT: WORKLOAD_WEBROOT,
          REDIRECT_MAP_URL: redirectMap,
          WEBROOT: WORKLOAD_WEBROOT,
        },
      },
    },
    checks: {
      [READY_CHECK]: {
        override: 'replace',
        level: 'ready',
        period: '10s',
        threshold: 3,
        http: { url: `http://localhost:${GOSHERVE_PORT}/` },
      },
    },
  };
}

/** What {@link applyLayer} did. */
export type LayerOutcome = 'unchanged' | 'replanned' | 'started';

/**
 * Merges `layer` into the plan. Only when the plan changed does it replan (Pebble restarts the
 * services whose definition changed); when nothing changed and gosherve is not running, it
 * starts it; otherwise it changes nothing. Throws Pebble's `ConnectionError`, `APIError` or
 * `ChangeError`.
 */
export async function applyLayer(pebble: Pebble, layer: Layer): Promise<LayerOutcome> {
  const before = await pebble.getPlan();
  await pebble.addLayer(SERVICE, layer, { combine: true });
  const after = await pebble.getPlan();
  if (canonical(before) !== canonical(after)) {
    await pebble.replanServices();
    return 'replanned';
  }
  const [info] = await pebble.listServices({ names: [SERVICE] });
  if (info && info.current !== 'active') {
    await pebble.startServices([SERVICE]);
    return 'started';
  }
  return 'unchanged';
}

/** JSON with sorted keys: two plans are equal when their texts are. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Why gosherve is not serving, as the unit's status, or undefined when its service runs and its
 * ready check is up. Throws Pebble's `ConnectionError` or `APIError`.
 */
export async function workloadStatus(pebble: Pebble): Promise<Status | undefined> {
  const [service] = await pebble.listServices({ names: [SERVICE] });
  if (!service) return Status.waiting('waiting for the gosherve layer');
  if (service.current !== 'active') {
    return Status.waiting(
      `gosherve is not running (${service.current}): check that redirect-map answers; see 'pebble logs gosherve'`,
    );
  }
  const [check] = await pebble.listChecks({ names: [READY_CHECK] });
  if (check?.status === 'down') {
    return Status.waiting(
      `gosherve does not answer on :${GOSHERVE_PORT} (${READY_CHECK} down after ${check.failures} failures)`,
    );
  }
  return undefined;
}

/** True for the error Pebble's client throws when a change (a start, a replan) failed. */
export function isChangeError(error: unknown): error is Error {
  return (error as { code?: unknown } | null)?.code === 'PEBBLE_CHANGE';
}
