/**
 * The template context: what a template may use, from the relations' data. `pg` has the
 * original's names (`db_uri`, `conn_str`, `ro_uris`) and the parts; any other endpoint has its
 * remote application's data and its first remote unit's, as the original merged them.
 * @module
 */
import type { DatabaseAnswer, DatabaseEndpoint } from '@charm-ts/relations';

/** PostgreSQL's port, when the provider gives a host without one. */
export const POSTGRESQL_PORT = 5432;

/** The `pg` entry of the context. */
export interface PgContext extends Record<string, string> {
  /** `postgresql://user:password@host:port/database` (user and password percent-encoded). */
  db_uri: string;
  /** libpq's key/value form: `dbname=… host=… password=… port=… user=…`. */
  conn_str: string;
  /** The read-only replicas' URIs, comma-separated (empty when there are none). */
  ro_uris: string;
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
}

/**
 * The `pg` entry from the provider's answer, or undefined while it has no endpoint. The
 * database is the one the provider names, else the one asked for.
 */
export function pgContext(answer: DatabaseAnswer, requested: string): PgContext | undefined {
  const [primary] = answer.endpoints;
  if (!primary) return undefined;
  const database = answer.database ?? requested;
  const port = String(primary.port ?? POSTGRESQL_PORT);
  const uri = (endpoint: DatabaseEndpoint) =>
    `postgresql://${encodeURIComponent(answer.username)}:${encodeURIComponent(answer.password)}@${uriHost(endpoint.host)}:${endpoint.port ?? POSTGRESQL_PORT}/${encodeURIComponent(database)}`;
  const context: PgContext = {
    db_uri: uri(primary),
    conn_str: libpqConnectionString({
      dbname: database,
      host: primary.host,
      password: answer.password,
      port,
      user: answer.username,
    }),
    ro_uris: answer.readOnlyEndpoints.map(uri).join(','),
    host: primary.host,
    port,
    user: answer.username,
    password: answer.password,
    database,
  };
  if (answer.version !== undefined) context.version = answer.version;
  return context;
}

/**
 * The forms a password takes in the context and its derived strings: as is, percent-encoded
 * (in the URIs) and libpq-quoted (in `conn_str`). Each is removed from anything shown.
 */
export function passwordForms(password: string): string[] {
  return [
    ...new Set([password, encodeURIComponent(password), libpqValue(password)].filter(Boolean)),
  ];
}

/** libpq's `key=value …`, keys sorted, values quoted where libpq needs it. */
export function libpqConnectionString(parts: Readonly<Record<string, string>>): string {
  return Object.keys(parts)
    .sort()
    .map((key) => `${key}=${libpqValue(parts[key] ?? '')}`)
    .join(' ');
}

/** A libpq value: single-quoted, with `\` and `'` escaped, when empty or holding either or a space. */
function libpqValue(value: string): string {
  if (value !== '' && !/[\s'\\]/.test(value)) return value;
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** An IPv6 address in brackets, as a URI needs it. */
function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The names a template may use, as the original's action lists them: every leaf of the
 * context as `<endpoint>.<key>`, sorted. Names only, never a value.
 */
export function contextNames(
  context: Readonly<Record<string, Readonly<Record<string, string>>>>,
): string[] {
  return Object.entries(context)
    .flatMap(([name, entry]) => Object.keys(entry).map((key) => `${name}.${key}`))
    .sort();
}
