/**
 * The gunicorn container: one Pebble layer with gunicorn and statsd_exporter, the files they
 * read, and applying them (through `Container.applyLayer`) so that a service restarts only when
 * what it runs or reads changed.
 * @module
 */
import { APIError, type Container, type Layer, PathError, Status } from '@charm-ts/ops';
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
export interface WorkloadOutcome {
  /** Services Pebble restarted because their definition changed (`applyLayer`'s `changed`). */
  readonly changed: readonly string[];
  /** Services Pebble started because they were not running (`started` without `changed`). */
  readonly started: readonly string[];
  /** Running services restarted because a file they read changed. */
  readonly restarted: readonly string[];
}

/**
 * Brings the container to `layer` and `files`, touching only what changed: a file is pushed only
 * when its content differs; `Container.applyLayer` adds the layer and replans (Pebble restarts
 * the services whose definition changed and starts the enabled ones that are not running); a
 * service whose file changed and that the replan did not (re)start is restarted, alone. Throws
 * Pebble's `ChangeError` when a start fails, `ConnectionError`, `APIError` or `PathError`.
 */
export async function applyWorkload(
  container: Container,
  layer: Layer,
  files: readonly ServiceFile[],
): Promise<WorkloadOutcome> {
  const changedFiles = new Set<string>();
  for (const file of files) {
    if ((await readText(container, file.path)) === file.content) continue;
    await container.push(file.path, file.content, { makeDirs: true, permissions: 0o644 });
    changedFiles.add(file.service);
  }
  const { changed, started } = await container.applyLayer(GUNICORN, layer);
  // After a replan every enabled service runs: one that did not just start read its old file.
  const restarted = [...changedFiles].filter((s) => !started.includes(s)).sort();
  if (restarted.length > 0) await container.restart(restarted);
  return { changed, started: started.filter((s) => !changed.includes(s)), restarted };
}

/**
 * Why the workload is not serving, or undefined when both services run and the app answers.
 * Throws Pebble's `ConnectionError` or `APIError`.
 */
export async function workloadStatus(
  container: Container,
  port: number,
): Promise<Status | undefined> {
  const services = await container.getServices();
  const gunicorn = services[GUNICORN];
  if (!gunicorn) return Status.waiting('waiting for the gunicorn layer');
  if (!gunicorn.isRunning()) return Status.blocked(STARTUP_FAILED);
  const exporter = services[EXPORTER];
  if (exporter && !exporter.isRunning()) {
    return Status.waiting(
      `statsd_exporter is not running (${exporter.current}): see 'pebble logs ${EXPORTER}'`,
    );
  }
  const check = (await container.getChecks([READY_CHECK]))[READY_CHECK];
  if (check?.status === 'down') {
    return Status.waiting(
      `gunicorn does not answer on :${port} (${READY_CHECK} down after ${check.failures} failures)`,
    );
  }
  return undefined;
}

/** A file's text, or undefined when it is not there. */
async function readText(container: Container, path: string): Promise<string | undefined> {
  try {
    return await container.pullText(path);
  } catch (error) {
    const notFound = error instanceof PathError || error instanceof APIError;
    if (notFound && error.kind === 'not-found') return undefined;
    throw error;
  }
}
