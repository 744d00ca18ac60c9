/**
 * The layer schema as tables: which keys each kind of entry has, and what kind of value each
 * key holds. Validation and combination both read these tables, so they never disagree.
 * @module
 */

export type Kind =
  | 'string'
  | 'override'
  | 'startup'
  | 'list'
  | 'map'
  | 'int'
  | 'duration'
  | 'factor'
  | 'on-success'
  | 'on-failure'
  | 'on-check-failure'
  | 'level'
  | 'command'
  | 'http'
  | 'tcp'
  | 'exec'
  | 'target-type'
  | 'labels';

export const serviceKeys: Record<string, Kind> = {
  override: 'override',
  summary: 'string',
  description: 'string',
  command: 'command',
  startup: 'startup',
  after: 'list',
  before: 'list',
  requires: 'list',
  environment: 'map',
  user: 'string',
  'user-id': 'int',
  group: 'string',
  'group-id': 'int',
  'working-dir': 'string',
  workload: 'string',
  'on-success': 'on-success',
  'on-failure': 'on-failure',
  'on-check-failure': 'on-check-failure',
  'backoff-delay': 'duration',
  'backoff-factor': 'factor',
  'backoff-limit': 'duration',
  'kill-delay': 'duration',
};

export const checkKeys: Record<string, Kind> = {
  override: 'override',
  level: 'level',
  startup: 'startup',
  period: 'duration',
  timeout: 'duration',
  threshold: 'int',
  http: 'http',
  tcp: 'tcp',
  exec: 'exec',
};

export const httpKeys: Record<string, Kind> = { url: 'string', headers: 'map' };
export const tcpKeys: Record<string, Kind> = { port: 'int', host: 'string' };
export const execKeys: Record<string, Kind> = {
  command: 'string',
  'service-context': 'string',
  environment: 'map',
  user: 'string',
  'user-id': 'int',
  group: 'string',
  'group-id': 'int',
  'working-dir': 'string',
};

export const logTargetKeys: Record<string, Kind> = {
  override: 'override',
  type: 'target-type',
  location: 'string',
  services: 'list',
  labels: 'labels',
};

export const workloadKeys: Record<string, Kind> = {
  override: 'override',
  environment: 'map',
  user: 'string',
  'user-id': 'int',
  group: 'string',
  'group-id': 'int',
};

export const topKeys = new Set([
  'summary',
  'description',
  'services',
  'checks',
  'log-targets',
  'workloads',
  'pairing',
]);

/** The keys of a check's `http`, `tcp` and `exec` sub-objects. */
export const checkTypeKeys: Record<'http' | 'tcp' | 'exec', Record<string, Kind>> = {
  http: httpKeys,
  tcp: tcpKeys,
  exec: execKeys,
};

/** Integer keys Pebble keeps as pointers: an explicit 0 is set (e.g. `user-id: 0` is root). */
export const pointerInts = new Set(['user-id', 'group-id']);
