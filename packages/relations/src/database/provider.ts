/**
 * The provider side of the database protocol (`DatabaseProvides`): the requirer's request as it
 * reads it, and the answer it writes, with the requested fields moved into Juju secrets.
 * @module
 */
import type { DataBag } from '../bag.ts';
import { RelationDataError, shown } from '../errors.ts';
import {
  DATABASE_BAGS,
  DATABASE_IFACE,
  type DatabaseAnswerData,
  type DatabaseRequestRead,
  type DatabaseSecretGroup,
  type DatabaseSecrets,
  databaseError,
  databaseSecretGroup,
  databaseSecretKey,
  formatDatabaseEndpoints,
} from './schema.ts';

/**
 * The requirer's application bag, read as the provider library reads it: undefined until it
 * holds `database` (the library refuses to answer before). `requested-secrets` and
 * `provided-secrets` are JSON lists: a value that is not JSON throws `RelationDataError`
 * (`NOT_JSON`, where the library raises), a JSON value that is not a list is ignored, as the
 * library ignores it (then every field is answered in clear).
 */
export function readDatabaseRequirerAppBag(bag: DataBag): DatabaseRequestRead | undefined {
  const database = bag.database;
  if (!database) return undefined;
  const requestedSecrets = jsonList(bag, 'requested-secrets');
  const providedSecrets = jsonList(bag, 'provided-secrets');
  return {
    database,
    ...(requestedSecrets && { requestedSecrets }),
    ...(providedSecrets && { providedSecrets }),
    ...(bag['extra-user-roles'] && { extraUserRoles: bag['extra-user-roles'] }),
    externalNodeConnectivity: bag['external-node-connectivity'] === 'true',
  };
}

/** The answer's fields as the bag names them, in the order a provider usually sets them. */
function answerFields(answer: DatabaseAnswerData): [string, string][] {
  const fields: [string, string | undefined][] = [
    ['database', answer.database],
    ['username', answer.username],
    ['password', answer.password],
    ['endpoints', answer.endpoints && formatDatabaseEndpoints(answer.endpoints)],
    [
      'read-only-endpoints',
      answer.readOnlyEndpoints && formatDatabaseEndpoints(answer.readOnlyEndpoints),
    ],
    ['version', answer.version],
    ['uris', answer.uris],
    ['read-only-uris', answer.readOnlyUris],
    ['tls', answer.tls],
    ['tls-ca', answer.tlsCa],
  ];
  return fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
}

/**
 * What goes into each secret: the answer's fields the requirer listed in `requested-secrets`,
 * grouped (`user`: username, password, uris, read-only-uris; `tls`: tls, tls-ca). Empty when
 * the requirer asked for no secrets (an old requirer), or `secretsEnabled` is false (a Juju
 * without secrets): then everything goes in clear. Create (or update) one secret per group,
 * owned by the application, labelled `databaseSecretLabel(endpoint, id, group)` and granted to
 * the relation, then write {@link databaseProviderAppBag} with their ids.
 */
export function databaseProviderSecrets(
  answer: DatabaseAnswerData,
  request: DatabaseRequestRead,
  secretsEnabled = true,
): DatabaseSecrets {
  const requested = new Set(secretsEnabled ? (request.requestedSecrets ?? []) : []);
  const out: Partial<Record<DatabaseSecretGroup, Record<string, string>>> = {};
  for (const [key, value] of answerFields(answer)) {
    if (!requested.has(key)) continue;
    const group = databaseSecretGroup(key);
    out[group] = { ...out[group], [key]: value };
  }
  return out;
}

/**
 * The provider's application bag: the answer's fields that are not in a secret, in clear, and
 * `secret-<group>` with each secret's id. `secretIds` must hold an id for every group
 * {@link databaseProviderSecrets} returned for the same answer and request. Throws
 * `RelationDataError` for a missing id, or an answer without username or password.
 */
export function databaseProviderAppBag(
  answer: DatabaseAnswerData,
  request: DatabaseRequestRead,
  secretIds: Partial<Record<DatabaseSecretGroup, string>> = {},
  secretsEnabled = true,
): DataBag {
  const bag = DATABASE_BAGS.providerApp;
  if (!answer.username) throw databaseError(bag, 'username', 'must not be empty');
  if (!answer.password) throw databaseError(bag, 'password', 'must not be empty');
  const secrets = databaseProviderSecrets(answer, request, secretsEnabled);
  const inSecrets = new Set(Object.values(secrets).flatMap((content) => Object.keys(content)));
  const out: Record<string, string> = {};
  for (const [key, value] of answerFields(answer)) if (!inSecrets.has(key)) out[key] = value;
  for (const group of Object.keys(secrets) as DatabaseSecretGroup[]) {
    const id = secretIds[group];
    if (!id) {
      throw databaseError(
        bag,
        databaseSecretKey(group),
        `needs the id of the ${group} secret: create it first (databaseProviderSecrets)`,
        'MISSING_KEY',
      );
    }
    out[databaseSecretKey(group)] = id;
  }
  return out;
}

/** The strings of the JSON list under `key`, or undefined when absent or not a list. */
function jsonList(bag: DataBag, key: string): string[] | undefined {
  const raw = bag[key];
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new RelationDataError('NOT_JSON', `is not JSON: ${shown(raw)}`, {
      iface: DATABASE_IFACE,
      bag: DATABASE_BAGS.requirerApp,
      key,
      cause,
    });
  }
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}
