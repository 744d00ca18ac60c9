/**
 * What Grafana makes of `pgsql` (postgresql_client): the database it asks for, and
 * PostgreSQL's answer (as `@charm-ts/relations`' `DatabaseRequirer` reads it: credentials from
 * the provider's Juju secret, or in clear) turned into grafana.ini's `[database]`.
 * @module
 */
import type { DatabaseAnswer } from '@charm-ts/relations';
import type { DatabaseConfig } from './workload.ts';

/** The database asked of PostgreSQL: one per Grafana application and model. */
export function databaseName(app: string, modelUuid: string): string {
  return `${app}-grafana-${modelUuid}`;
}

/**
 * Grafana's `[database]` from PostgreSQL's answer: its first endpoint (an IPv6 host in
 * brackets, port 5432 when none is given), the database it echoes (else the one asked for), and
 * TLS required when the provider says `tls: True`. Undefined while the answer has no endpoint.
 */
export function postgresConfig(
  answer: DatabaseAnswer,
  requested: string,
): DatabaseConfig | undefined {
  const endpoint = answer.endpoints[0];
  if (!endpoint) return undefined;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return {
    type: 'postgres',
    host: `${host}:${endpoint.port ?? 5432}`,
    name: answer.database ?? requested,
    user: answer.username,
    password: answer.password,
    sslMode: answer.tls?.toLowerCase() === 'true' ? 'require' : 'disable',
  };
}
