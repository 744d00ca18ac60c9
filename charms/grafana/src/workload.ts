/**
 * What the grafana container runs and reads: the Pebble layer, grafana.ini, the provisioning
 * files, and the dashboards. Pure functions of settings and relation data.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Layer } from '@charm-ts/ops';
import type { GrafanaDashboard, GrafanaSource, JsonValue } from '@charm-ts/relations';
import { toIni, toYaml, type YamlValue } from './render.ts';
import type { Settings } from './settings.ts';

export const SERVICE = 'grafana';
export const CONFIG_PATH = '/etc/grafana/grafana.ini';
export const PROVISIONING_DIR = '/etc/grafana/provisioning';
export const DATASOURCES_PATH = `${PROVISIONING_DIR}/datasources/datasources.yaml`;
export const DASHBOARDS_DIR = `${PROVISIONING_DIR}/dashboards`;
export const DASHBOARD_PROVIDERS_PATH = `${DASHBOARDS_DIR}/default.yaml`;
export const DATA_DIR = '/var/lib/grafana';
export const SQLITE_PATH = `${DATA_DIR}/grafana.db`;
/** Dashboards from the import-dashboard action: on the database storage, so they stay. */
export const IMPORTED_DIR = `${DATA_DIR}/dashboards`;

const HEADER = 'Written by the grafana charm: changes here are overwritten.';

/** Where Grafana keeps its data: each unit's SQLite file, or the one PostgreSQL of `pgsql`. */
export type DatabaseConfig =
  | { readonly type: 'sqlite3' }
  | {
      readonly type: 'postgres';
      /** `host:port`. */
      readonly host: string;
      readonly name: string;
      readonly user: string;
      readonly password: string;
      /** Grafana's `ssl_mode`: `disable` unless the provider offers TLS. */
      readonly sslMode: 'disable' | 'require';
    };

/** A file the charm writes into the container. */
export interface WorkloadFile {
  readonly path: string;
  readonly content: string;
  /** Mode bits: 0o600 for files with credentials. */
  readonly permissions: number;
}

/**
 * The layer: `grafana-server -config <ini>` with Grafana's own `GF_<SECTION>_<KEY>` variables
 * for everything that is not a credential (`GF_SERVER_HTTP_PORT`, not the original's
 * `GF_HTTP_PORT`, which Grafana does not read), and a ready check on `/api/health`.
 */
export function grafanaLayer(settings: Settings, rootUrl: string): Layer {
  const url = new URL(rootUrl);
  return {
    summary: 'grafana layer',
    description: 'grafana layer',
    services: {
      [SERVICE]: {
        override: 'replace',
        summary: 'grafana service',
        command: `grafana-server -config ${CONFIG_PATH}`,
        startup: 'enabled',
        environment: {
          GF_SERVER_HTTP_PORT: String(settings.port),
          GF_SERVER_ROOT_URL: rootUrl,
          GF_SERVER_SERVE_FROM_SUB_PATH: String(url.pathname !== '/'),
          GF_SERVER_ENFORCE_DOMAIN: 'false',
          GF_LOG_LEVEL: settings.logLevel,
          GF_PATHS_DATA: DATA_DIR,
          GF_PATHS_PROVISIONING: PROVISIONING_DIR,
          GF_SECURITY_ADMIN_USER: settings.adminUser,
          GF_SECURITY_ALLOW_EMBEDDING: String(settings.allowEmbedding),
          GF_AUTH_ANONYMOUS_ENABLED: String(settings.allowAnonymousAccess),
          GF_USERS_AUTO_ASSIGN_ORG: String(settings.enableAutoAssignOrg),
        },
      },
    },
    checks: {
      'grafana-ready': {
        override: 'replace',
        level: 'ready',
        period: '10s',
        threshold: 3,
        http: { url: `http://localhost:${settings.port}/api/health` },
      },
    },
  };
}

/**
 * grafana.ini: what must not be in the process environment (the admin password, the
 * database's credentials) and the database. Mode 0600. Throws `RangeError` for a value no INI
 * quoting can carry (a newline).
 */
export function grafanaIni(adminPassword: string, database: DatabaseConfig): WorkloadFile {
  const db: [string, string | undefined][] =
    database.type === 'sqlite3'
      ? [
          ['type', 'sqlite3'],
          ['path', SQLITE_PATH],
        ]
      : [
          ['type', 'postgres'],
          ['host', database.host],
          ['name', database.name],
          ['user', database.user],
          ['password', database.password],
          ['ssl_mode', database.sslMode],
        ];
  const content = toIni(HEADER, [
    { name: 'security', keys: [['admin_password', adminPassword]] },
    { name: 'database', keys: db },
  ]);
  return { path: CONFIG_PATH, content, permissions: 0o600 };
}

/**
 * datasources.yaml: one datasource per source unit (today's format) or relation (the
 * original's), every one read-only in Grafana, `jsonData.timeout` at least
 * `datasource-query-timeout`; the sources that went in `deleteDatasources`. Only the
 * original's first source is Grafana's default, as it was. Mode 0600 (`secureJsonData` may
 * hold credentials).
 */
export function datasourcesYaml(
  sources: readonly GrafanaSource[],
  toDelete: readonly string[],
  queryTimeout: number,
): WorkloadFile {
  const firstLegacy = sources.find((s) => s.format === 'legacy');
  const datasources = sources.map((s) => {
    const own = Number(s.jsonData?.timeout ?? 0);
    const jsonData: Record<string, JsonValue> = { ...s.jsonData };
    if (!(own >= queryTimeout)) jsonData.timeout = queryTimeout;
    return {
      name: s.name,
      type: s.type,
      access: 'proxy',
      orgId: 1,
      url: s.url,
      isDefault: s === firstLegacy,
      editable: false,
      jsonData: jsonData as YamlValue,
      ...(s.secureJsonData && { secureJsonData: s.secureJsonData as YamlValue }),
    };
  });
  const content = `# ${HEADER}\n${toYaml({
    apiVersion: 1,
    datasources,
    deleteDatasources: toDelete.map((name) => ({ name, orgId: 1 })),
  })}`;
  return { path: DATASOURCES_PATH, content, permissions: 0o600 };
}

/** The dashboard providers: the relations' dashboards (`Default`) and the imported ones. */
export function dashboardProvidersYaml(): WorkloadFile {
  const content = `# ${HEADER}\n${toYaml({
    apiVersion: 1,
    providers: [
      {
        name: 'Default',
        type: 'file',
        updateIntervalSeconds: 5,
        options: { path: DASHBOARDS_DIR },
      },
      {
        name: 'Imported',
        type: 'file',
        disableDeletion: true,
        updateIntervalSeconds: 5,
        options: { path: IMPORTED_DIR },
      },
    ],
  })}`;
  return { path: DASHBOARD_PROVIDERS_PATH, content, permissions: 0o644 };
}

/** Each relation dashboard as a file, named as today's Grafana names them. */
export function dashboardFiles(dashboards: readonly GrafanaDashboard[]): WorkloadFile[] {
  const files = new Map<string, WorkloadFile>();
  for (const d of dashboards) {
    const path = `${DASHBOARDS_DIR}/juju_${safeName(d.charm)}_${sha256(d.content).slice(0, 7)}.json`;
    files.set(path, { path, content: d.content, permissions: 0o644 });
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A name fit for a file name: letters, digits, `-` and `_`. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_') || 'unknown';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
