/**
 * gunicorn's settings from the charm's config: validated, and written as the Python config
 * file the charm pushes and points gunicorn at (`GUNICORN_CMD_ARGS=--config=…`). gunicorn
 * ranks its command line above this file: a startup command that passes `--workers` keeps its
 * own.
 * @module
 */

/** Where the charm puts gunicorn's config file in the workload container. */
export const GUNICORN_CONFIG_PATH = '/etc/gunicorn/gunicorn.conf.py';
/** Where statsd_exporter listens for gunicorn's statsd lines (UDP, in the pod). */
export const STATSD_ADDRESS = 'localhost:9125';

/** The options that tune gunicorn; 0 leaves gunicorn's default. */
export interface WebserverConfig {
  readonly workers: number;
  readonly threads: number;
  readonly timeout: number;
  readonly keepalive: number;
}

/** Each option's range and what 0 means. */
const LIMITS: Record<keyof WebserverConfig, { max: number; default: string }> = {
  workers: { max: 256, default: "gunicorn's default, 1" },
  threads: { max: 256, default: "gunicorn's default, 1" },
  timeout: { max: 86_400, default: "gunicorn's default, 30 seconds" },
  keepalive: { max: 3_600, default: "gunicorn's default, 2 seconds" },
};

/** The first option outside its range, as a message naming it and the range; undefined when all are fine. */
export function webserverProblem(config: WebserverConfig): string | undefined {
  for (const [key, limit] of Object.entries(LIMITS) as [
    keyof WebserverConfig,
    (typeof LIMITS)[keyof WebserverConfig],
  ][]) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 0 || value > limit.max) {
      return `${key} must be an integer from 0 to ${limit.max} (0: ${limit.default}), not ${value}: set it with 'juju config <app> ${key}=…'`;
    }
  }
  return undefined;
}

/**
 * The config file: `bind` on every address at `port`, statsd to the exporter with no prefix
 * (so the exporter's mapping sees `gunicorn.request.status.200`), and each tuning option that
 * is not 0.
 */
export function gunicornConfigFile(port: number, config: WebserverConfig): string {
  const lines = [
    '# Written by the gunicorn-k8s charm: changes are overwritten.',
    `bind = ["0.0.0.0:${port}"]`,
    `statsd_host = "${STATSD_ADDRESS}"`,
  ];
  for (const key of ['workers', 'threads', 'timeout', 'keepalive'] as const) {
    if (config[key] > 0) lines.push(`${key} = ${config[key]}`);
  }
  return `${lines.join('\n')}\n`;
}
