/**
 * The database protocol of `charms.data_platform_libs.v0.data_interfaces` (LIBPATCH 59), which
 * `postgresql_client` (and `mysql_client`, `mongodb_client`) speak: the requirer asks for a
 * database in its application bag; the provider answers in its own, with the credentials in a
 * Juju secret (`secret-user`) when the requirer asked for secrets, else in clear. Values are
 * plain strings, except the JSON lists `requested-secrets` and `provided-secrets`.
 * @module
 */
import { RelationDataError, type RelationDataErrorCode } from '../errors.ts';

/** The interface name PostgreSQL charms give it in charmcraft.yaml. */
export const POSTGRESQL_CLIENT_INTERFACE = 'postgresql_client';
/** The interface name used in errors: the protocol is the same for every database. */
export const DATABASE_IFACE = 'database';

/**
 * The fields a requirer asks to receive through secrets (`RequirerData.SECRET_FIELDS`), in the
 * library's order: what it writes as `requested-secrets`.
 */
export const DATABASE_REQUESTED_SECRETS: readonly string[] = [
  'username',
  'password',
  'tls',
  'tls-ca',
  'uris',
  'read-only-uris',
  'entity-name',
  'entity-password',
];

/** The secret groups: each is one Juju secret, named in the bag as `secret-<group>`. */
export type DatabaseSecretGroup = 'user' | 'tls' | 'mtls' | 'entity' | 'extra';

/** Which group each secret field belongs to (`Data.SECRET_LABEL_MAP`); others go to `extra`. */
export const DATABASE_SECRET_GROUPS: Readonly<Record<string, DatabaseSecretGroup>> = {
  username: 'user',
  password: 'user',
  uris: 'user',
  'read-only-uris': 'user',
  tls: 'tls',
  'tls-ca': 'tls',
  'mtls-cert': 'mtls',
  'entity-name': 'entity',
  'entity-password': 'entity',
};

/** A secret field's group: its own, or `extra` for fields outside the library's map. */
export function databaseSecretGroup(field: string): DatabaseSecretGroup {
  return DATABASE_SECRET_GROUPS[field] ?? 'extra';
}

/** The bag key holding a group's secret URI: `secret-user`. */
export function databaseSecretKey(group: DatabaseSecretGroup): string {
  return `secret-${group}`;
}

/**
 * The label the library gives a relation's secret (`<endpoint>.<relation id>.<group>.secret`),
 * on both sides: the provider owns the secret under it, the requirer reads it under it.
 */
export function databaseSecretLabel(
  endpoint: string,
  relationId: number,
  group: DatabaseSecretGroup,
): string {
  return `${endpoint}.${relationId}.${group}.secret`;
}

/** One `host:port` of `endpoints` or `read-only-endpoints`. */
export interface DatabaseEndpoint {
  /** The host name or address (an IPv6 address without its brackets). */
  readonly host: string;
  /** The port, when the provider gave one. */
  readonly port?: number;
}

/** What the requirer asks for (its application bag, written by the leader). */
export interface DatabaseRequest {
  /** Required: the database to create, e.g. the application's name. */
  readonly database: string;
  /** Optional: extra roles for the user (`extra-user-roles`), e.g. `SUPERUSER`. */
  readonly extraUserRoles?: string;
  /** Optional: ask for endpoints reachable from outside the cluster. Default false. */
  readonly externalNodeConnectivity?: boolean;
  /**
   * Optional: the requirer is in another model. Its `mtls-cert` then travels encrypted in the
   * bag, not in a secret, so it offers no `provided-secrets`. Default false.
   */
  readonly crossModel?: boolean;
}

/** The requirer's bag as the provider reads it. */
export interface DatabaseRequestRead {
  readonly database: string;
  /** The fields the requirer wants through secrets; undefined when it did not say (no secrets). */
  readonly requestedSecrets?: readonly string[];
  /** The fields the requirer itself puts in secrets (`provided-secrets`). */
  readonly providedSecrets?: readonly string[];
  readonly extraUserRoles?: string;
  readonly externalNodeConnectivity: boolean;
}

/** The provider's answer, as the requirer reads it once the database exists. */
export interface DatabaseAnswer {
  /** The database name, when the provider echoes it (current PostgreSQL charms do). */
  readonly database?: string;
  /** Where to write (`endpoints`); empty until the provider gives them. */
  readonly endpoints: readonly DatabaseEndpoint[];
  /** Read-only replicas (`read-only-endpoints`); empty when none. */
  readonly readOnlyEndpoints: readonly DatabaseEndpoint[];
  /** The server version (`version`), e.g. `15.4`. */
  readonly version?: string;
  readonly username: string;
  readonly password: string;
  /** Connection URIs, for providers that give them (`uris`). */
  readonly uris?: string;
  readonly readOnlyUris?: string;
  /** `True`/`False` as the provider wrote it (`tls`). */
  readonly tls?: string;
  readonly tlsCa?: string;
  /**
   * Every field as the library's `fetch_relation_data()` returns it: the bag's keys (without
   * the `secret-*` references) with the secrets' fields merged in.
   */
  readonly fields: Readonly<Record<string, string>>;
}

/** What a provider answers with. */
export interface DatabaseAnswerData {
  /** Echo the database name (`set_database`). */
  readonly database?: string;
  readonly endpoints?: readonly DatabaseEndpoint[];
  readonly readOnlyEndpoints?: readonly DatabaseEndpoint[];
  readonly version?: string;
  readonly username: string;
  readonly password: string;
  readonly uris?: string;
  readonly readOnlyUris?: string;
  readonly tls?: string;
  readonly tlsCa?: string;
}

/** Secret contents by group, as read with `secret-get` (or to be written with `secret-add`). */
export type DatabaseSecrets = Partial<
  Record<DatabaseSecretGroup, Readonly<Record<string, string>>>
>;

/** Bag names used in errors. */
export const DATABASE_BAGS = {
  requirerApp: 'requirer application bag',
  providerApp: 'provider application bag',
} as const;

/** A RelationDataError about key `key` of database bag `bag`. */
export function databaseError(
  bag: string,
  key: string,
  problem: string,
  code: RelationDataErrorCode = 'BAD_VALUE',
): RelationDataError {
  return new RelationDataError(code, problem, { iface: DATABASE_IFACE, bag, key });
}

/**
 * `host:port,host:port` as a list. A host without a port keeps `port` undefined; an IPv6
 * address is in brackets (`[fd00::1]:5432`). Throws `RelationDataError` naming `key` for an
 * empty entry or a port that is not 1–65535.
 */
export function parseDatabaseEndpoints(
  value: string | undefined,
  bag: string,
  key: string,
): DatabaseEndpoint[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((raw) => {
    const entry = raw.trim();
    const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
    let host: string;
    let port: string | undefined;
    if (bracketed) {
      host = bracketed[1] as string;
      port = bracketed[2];
    } else {
      const colon = entry.lastIndexOf(':');
      host = colon < 0 ? entry : entry.slice(0, colon);
      port = colon < 0 ? undefined : entry.slice(colon + 1);
    }
    if (!host)
      throw databaseError(bag, key, `has an entry without a host: ${JSON.stringify(value)}`);
    if (port === undefined) return { host };
    const number = Number(port);
    if (!/^\d+$/.test(port) || number < 1 || number > 65535) {
      throw databaseError(
        bag,
        key,
        `has a port that is not 1 to 65535 in ${JSON.stringify(entry)}`,
      );
    }
    return { host, port: number };
  });
}

/** The endpoints as the bag holds them: `host:port` joined by commas, IPv6 in brackets. */
export function formatDatabaseEndpoints(endpoints: readonly DatabaseEndpoint[]): string {
  return endpoints
    .map(({ host, port }) => {
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return port === undefined ? shownHost : `${shownHost}:${port}`;
    })
    .join(',');
}
