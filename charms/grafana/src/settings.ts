/**
 * The charm's config, checked: every option has a rule, and a value that breaks it is a
 * problem naming the option (the unit is then blocked and the workload left as it is).
 * @module
 */
import type { Config } from './charmcraft.generated.ts';

/** Grafana's log levels (`[log] level`). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'critical'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The config, valid. */
export interface Settings {
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly adminUser: string;
  readonly allowAnonymousAccess: boolean;
  readonly allowEmbedding: boolean;
  readonly enableAutoAssignOrg: boolean;
  readonly datasourceQueryTimeout: number;
  /** '' when unset. */
  readonly externalHostname: string;
}

/** A config option with a value the charm cannot use. */
export interface ConfigProblem {
  readonly key: keyof Config;
  /** The status message: `invalid config option '<key>': <why>`. */
  readonly message: string;
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The settings, or the first problem (options in charmcraft.yaml's order). */
export function readSettings(config: Config): Settings | ConfigProblem {
  const problem = (key: keyof Config, why: string): ConfigProblem => ({
    key,
    message: `invalid config option '${key}': ${why}`,
  });
  const port = config.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return problem('port', `must be a port number from 1 to 65535, not ${port}`);
  }
  const logLevel = config['log-level'];
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    return problem(
      'log-level',
      `must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(logLevel)}`,
    );
  }
  const adminUser = config['admin-user'];
  // Basic auth splits user and password at the first ':'; a login is one line of printables.
  if (
    !adminUser ||
    adminUser.length > 190 ||
    !/^[\x21-\x7e]+$/.test(adminUser) ||
    adminUser.includes(':')
  ) {
    return problem(
      'admin-user',
      `must be 1 to 190 printable characters without spaces or ':', not ${JSON.stringify(adminUser.slice(0, 40))}`,
    );
  }
  const timeout = config['datasource-query-timeout'];
  if (!Number.isInteger(timeout) || timeout < 1) {
    return problem(
      'datasource-query-timeout',
      `must be a whole number of seconds above 0, not ${timeout}`,
    );
  }
  const externalHostname = config['external-hostname'];
  if (externalHostname !== '' && !HOSTNAME.test(externalHostname)) {
    return problem(
      'external-hostname',
      `must be a hostname (letters, digits, '-' and '.'), not ${JSON.stringify(externalHostname.slice(0, 60))}`,
    );
  }
  return {
    port,
    logLevel: logLevel as LogLevel,
    adminUser,
    allowAnonymousAccess: config['allow-anonymous-access'],
    allowEmbedding: config['allow-embedding'],
    enableAutoAssignOrg: config['enable-auto-assign-org'],
    datasourceQueryTimeout: timeout,
    externalHostname,
  };
}

/** True for a problem rather than settings. */
export function isProblem(value: Settings | ConfigProblem): value is ConfigProblem {
  return 'message' in value;
}
