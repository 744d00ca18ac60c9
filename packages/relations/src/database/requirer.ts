/**
 * The requirer side of the database protocol (`DatabaseRequires`): the bags it writes when the
 * relation is created, and the provider's answer as `fetch_relation_data()` and
 * `is_resource_created()` read it.
 * @module
 */
import type { DataBag } from '../bag.ts';
import { pythonJson } from '../json.ts';
import {
  DATABASE_BAGS,
  DATABASE_REQUESTED_SECRETS,
  type DatabaseAnswer,
  type DatabaseRequest,
  type DatabaseSecretGroup,
  type DatabaseSecrets,
  databaseError,
  databaseSecretGroup,
  databaseSecretKey,
  parseDatabaseEndpoints,
} from './schema.ts';

/** The fields the requirer itself would put in secrets: `mtls-cert`, unless cross-model. */
function providedSecrets(request: DatabaseRequest): string[] {
  return request.crossModel ? [] : ['mtls-cert'];
}

/** The secret-field lists both bags carry, in the order the library writes them. */
function secretLists(request: DatabaseRequest): Record<string, string> {
  const out: Record<string, string> = {
    'requested-secrets': pythonJson(DATABASE_REQUESTED_SECRETS),
  };
  const provided = providedSecrets(request);
  if (provided.length > 0) out['provided-secrets'] = pythonJson(provided);
  return out;
}

/**
 * The requirer's application bag, as `DatabaseRequires` writes it on relation-created:
 * `requested-secrets` (the fields it wants in secrets), `provided-secrets` (`["mtls-cert"]`,
 * left out cross-model), `database`, and `extra-user-roles` / `external-node-connectivity`
 * when asked for. Throws `RelationDataError` for an empty database name.
 */
export function databaseRequirerAppBag(request: DatabaseRequest): DataBag {
  if (!request.database) {
    throw databaseError(
      DATABASE_BAGS.requirerApp,
      'database',
      'must be a database name, not empty',
    );
  }
  const out: Record<string, string> = { ...secretLists(request), database: request.database };
  if (request.extraUserRoles) out['extra-user-roles'] = request.extraUserRoles;
  if (request.externalNodeConnectivity) out['external-node-connectivity'] = 'true';
  return out;
}

/**
 * The leader unit's bag: the same secret-field lists (the library writes them on the leader's
 * unit bag only; other units write nothing). The library also keeps a copy of the provider's
 * bag under `data` in this bag, for its own change detection: that is not part of the
 * protocol and is not written here.
 */
export function databaseRequirerUnitBag(request: DatabaseRequest): DataBag {
  return secretLists(request);
}

/**
 * The secrets the provider's bag refers to, by group (`secret-user` → `user`): read each with
 * `secret-get <id>` (tracking the latest revision) and pass the contents to
 * {@link readDatabaseProviderAppBag}. The ids are references, not secrets.
 */
export function databaseSecretRefs(bag: DataBag): Partial<Record<DatabaseSecretGroup, string>> {
  const refs: Partial<Record<DatabaseSecretGroup, string>> = {};
  for (const group of ['user', 'tls', 'mtls', 'entity', 'extra'] as const) {
    const id = bag[databaseSecretKey(group)];
    if (id) refs[group] = id;
  }
  return refs;
}

/**
 * The provider's answer, read as the library reads it: every key of the bag except the
 * `secret-*` references; for each group of requested secret fields, the group's secret content
 * when there is some, else the clear fields of the bag (a provider without secrets). Returns
 * undefined until the database exists (`is_resource_created`: a non-empty username and
 * password). Throws `RelationDataError` for `endpoints` or `read-only-endpoints` that cannot be
 * read (the library hands them over unparsed).
 */
export function readDatabaseProviderAppBag(
  bag: DataBag,
  secrets: DatabaseSecrets = {},
): DatabaseAnswer | undefined {
  const requested = new Set(DATABASE_REQUESTED_SECRETS);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(bag)) {
    if (!key.startsWith('secret-') && !requested.has(key)) fields[key] = value;
  }
  const groups = new Map<DatabaseSecretGroup, string[]>();
  for (const field of DATABASE_REQUESTED_SECRETS) {
    const group = databaseSecretGroup(field);
    groups.set(group, [...(groups.get(group) ?? []), field]);
  }
  for (const [group, groupFields] of groups) {
    // The library keeps the requested fields found in the secret; an empty result sends the
    // group's fields back to the bag (a provider that writes them in clear).
    const content = Object.entries(secrets[group] ?? {}).filter(([k]) => requested.has(k));
    if (content.length > 0) {
      for (const [k, v] of content) fields[k] = v;
      continue;
    }
    for (const field of groupFields) {
      const value = bag[field];
      if (value !== undefined) fields[field] = value;
    }
  }
  const { username, password } = fields;
  if (!username || !password) return undefined;
  const ref = DATABASE_BAGS.providerApp;
  return {
    ...(fields.database !== undefined && { database: fields.database }),
    endpoints: parseDatabaseEndpoints(fields.endpoints, ref, 'endpoints'),
    readOnlyEndpoints: parseDatabaseEndpoints(
      fields['read-only-endpoints'],
      ref,
      'read-only-endpoints',
    ),
    ...(fields.version !== undefined && { version: fields.version }),
    username,
    password,
    ...(fields.uris !== undefined && { uris: fields.uris }),
    ...(fields['read-only-uris'] !== undefined && { readOnlyUris: fields['read-only-uris'] }),
    ...(fields.tls !== undefined && { tls: fields.tls }),
    ...(fields['tls-ca'] !== undefined && { tlsCa: fields['tls-ca'] }),
    fields,
  };
}
