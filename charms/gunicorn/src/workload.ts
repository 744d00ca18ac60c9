/**
 * The gunicorn container: one Pebble layer with gunicorn and statsd_exporter, the files they
 * read, and applying them so that a service restarts only when what it runs or reads changed.
 * @module
 */
import { Status } from '@charm-ts/ops';
import type { Layer, Pebble } from '@charm-ts/pebble';
import { GUNICORN_CONFIG_PATH, STATSD_ADDRESS } from './webserver.ts';

/** The layer label, and the name of the app's service. */
export const GUNICORN = 'gunicorn';
/** The exporter's service. */
export const EXPORTER = 'statsd-exporter';
/** Where the exporter serves Prometheus metrics (the scrape job's port). */
export const EXPORTER_PORT = 9102;
/** The exporter's mapping file (the original's path). */
export const MAPPING_PATH = '/statsd.conf';
/** The ready check on the app's port, and the exporter's alive check. */
export const READY_CHECK = 'gunicorn-ready';
export const EXPORTER_CHECK = 'statsd-exporter-up';
/** The original's status for a startup command that does not start. */
export const STARTUP_FAILED = "Charm's startup command may be wrong, please check the config";

/**
 * statsd_exporter's mapping: gunicorn's per-status counters as one metric with a `status`
 * label, and its request counter and duration under Prometheus names.
 */
export const STATSD_MAPPING = `mappings:
  - match: gunicorn.request.status.*
    name: gunicorn_response_code
    labels:
      status: $1
  - match: gunicorn.requests
    name: gunicorn_requests
  - match: gunicorn.request.duration
    name: gunicorn_request_duration
`;

/** What the layer is made from. */
export interface WorkloadSpec {
  /** The config's `startup_command`. */
  readonly command: string;
  /** The app's port (`external_port`). */
  readonly port: number;
  /** The rendered `environment`. */
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The layer: gunicorn running the startup command with the rendered environment and
 * `GUNICORN_CMD_ARGS` pointing at the charm's config file (after the user's own, if the
 * environment sets it), a `ready` check on the app's port; statsd_exporter with its mapping,
 * listening for statsd on the pod's loopback only, with an `alive` check on its metrics.
 */
export function gunicornLayer(spec: WorkloadSpec): Layer {
  const userArgs = spec.environment.GUNICORN_CMD_ARGS;
  return {
    summary: 'gunicorn layer',
    description: 'gunicorn layer',
    services: {
      [GUNICORN]: {
        override: 'replace',
        summary: 'gunicorn service',
        command: spec.command,
        startup: 'enabled',
        environment: {
          ...spec.environment,
          GUNICORN_CMD_ARGS: `--config=${GUNICORN_CONFIG_PATH}${userArgs ? ` ${userArgs}` : ''}`,
        },
      },
      [EXPORTER]: {
        override: 'replace',
        summary: 'Statsd Exporter',
        command: `statsd_exporter --statsd.mapping-config=${MAPPING_PATH} --statsd.listen-udp=${STATSD_ADDRESS} --statsd.listen-tcp=${STATSD_ADDRESS} --web.listen-address=:${EXPORTER_PORT}`,
        startup: 'enabled',
      },
    },
    checks: {
      [READY_CHECK]: {
        override: 'replace',
        level: 'ready',
        http: { url: `http://127.0.0.1:${spec.port}` },
      },
      [EXPORTER_CHECK]: {
        override: 'replace',
        level: 'alive',
        http: { url: `http://localhost:${EXPORTER_PORT}/metrics` },
      },
    },
  };
}

/** A file a service reads: when it changes, that service restarts. */
export interface ServiceFile {
  readonly path: string;
  readonly content: string;
  readonly service: string;
}

/** What {@link applyWorkload} did. */
export interface ApplyOutcome {
  /** The plan changed and Pebble replanned (restarting the services whose definition changed). */
  readonly replanned: boolean;
  /** Services restarted because a file they read changed. */
  readonly restarted: readonly string[];
  /** Services started because they were not running. */
  readonly started: readonly string[];
}

/**
 * Brings the container to `layer` and `files`, touching only what changed: a file is pushed
 * only when its content differs; the layer is merged, and Pebble replans only when the plan
 * changed; a running service whose file changed (and whose definition did not) is restarted;
 * an enabled service that is not running is started. Throws Pebble's `ChangeError` when a
 * start fails (see {@link isChangeError}), `ConnectionError`, `APIError` or `PathError`.
 */
export async function applyWorkload(
  pebble: Pebble,
  layer: Layer,
  files: readonly ServiceFile[],
): Promise<ApplyOutcome> {
  const changedFiles = new Set<string>();
  for (const file of files) {
    if ((await readText(pebble, file.path)) === file.content) continue;
    await pebble.push(file.path, file.content, { makeDirs: true, permissions: 0o644 });
    changedFiles.add(file.service);
  }
  const before = await pebble.getPlan();
  await pebble.addLayer(GUNICORN, layer, { combine: true });
  const after = await pebble.getPlan();
  const redefined = new Set(
    Object.keys(after.services ?? {}).filter(
      (name) => canonical(before.services?.[name]) !== canonical(after.services?.[name]),
    ),
  );
  const replanned = canonical(before) !== canonical(after);
  const states = new Map((await pebble.listServices()).map((s) => [s.name, s.current]));
  const running = new Set([...states].filter(([, state]) => state === 'active').map(([n]) => n));
  if (replanned) await pebble.replanServices();
  const restarted = [...changedFiles].filter((s) => running.has(s) && !redefined.has(s)).sort();
  if (restarted.length > 0) await pebble.restartServices(restarted);
  const started: string[] = [];
  if (!replanned) {
    // A plan that did not change was replanned before: a service stopped now had its start
    // fail, or was stopped. Start it again (a failure is a ChangeError, as from replan). One in
    // backoff is Pebble's to restart.
    const names = Object.keys(after.services ?? {});
    const down = names.filter((name) => {
      const state = states.get(name);
      return (state === 'inactive' || state === 'error') && !restarted.includes(name);
    });
    if (down.length > 0) {
      await pebble.startServices(down);
      started.push(...down.sort());
    }
  }
  return { replanned, restarted, started };
}

/**
 * Why the workload is not serving, or undefined when both services run and the app answers.
 * Throws Pebble's `ConnectionError` or `APIError`.
 */
export async function workloadStatus(pebble: Pebble, port: number): Promise<Status | undefined> {
  const services = new Map((await pebble.listServices()).map((s) => [s.name, s]));
  const gunicorn = services.get(GUNICORN);
  if (!gunicorn) return Status.waiting('waiting for the gunicorn layer');
  if (gunicorn.current !== 'active') return Status.blocked(STARTUP_FAILED);
  const exporter = services.get(EXPORTER);
  if (exporter && exporter.current !== 'active') {
    return Status.waiting(
      `statsd_exporter is not running (${exporter.current}): see 'pebble logs ${EXPORTER}'`,
    );
  }
  const [check] = await pebble.listChecks({ names: [READY_CHECK] });
  if (check?.status === 'down') {
    return Status.waiting(
      `gunicorn does not answer on :${port} (${READY_CHECK} down after ${check.failures} failures)`,
    );
  }
  return undefined;
}

/** True for the error Pebble's client throws when a change (a start, a replan) failed. */
export function isChangeError(error: unknown): error is Error {
  return (error as { code?: unknown } | null)?.code === 'PEBBLE_CHANGE';
}

/** A file's text, or undefined when it is not there. */
async function readText(pebble: Pebble, path: string): Promise<string | undefined> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await pebble.pull(path))
      chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if ((error as { kind?: string }).kind === 'not-found') return undefined;
    throw error;
  }
}

/** JSON with sorted keys: two plans are equal when their texts are. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
