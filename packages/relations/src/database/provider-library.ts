/**
 * `DatabaseProvider`: the provider side of the database protocol as a library with events of
 * its own, what `DatabaseProvides` of `charms.data_platform_libs.v0.data_interfaces` is to a
 * Python charm: it emits `databaseRequested` when a requirer asks for a database, and answers
 * with the credentials in Juju secrets (or in clear, for a requirer that asked for none).
 * @module
 */
import { type LibraryParent, type Relation, SecretNotFoundError } from '@charm-ts/ops';
import { RelationLibrary } from '../relation-library.ts';
import {
  databaseProviderAppBag,
  databaseProviderSecrets,
  readDatabaseRequirerAppBag,
} from './provider.ts';
import {
  DATABASE_BAGS,
  type DatabaseAnswerData,
  type DatabaseRequestRead,
  type DatabaseSecretGroup,
  databaseError,
  databaseSecretLabel,
} from './schema.ts';

/** The events of {@link DatabaseProvider}, named as `DatabaseProvidesEvents` names them. */
export interface DatabaseProviderEvents {
  /** A requirer asked for a database (`database_requested`): `database` appeared in its bag. */
  databaseRequested: { relation: Relation; request: DatabaseRequestRead };
}

/** Options of {@link DatabaseProvider}. */
export interface DatabaseProviderOptions {
  /** Required: the endpoint (`relation_name`), e.g. `database`. */
  readonly endpoint: string;
}

/**
 * The provider side of the database protocol (`DatabaseProvides`). On relation-changed the
 * leader compares the requirer's bag with the keys it saw last (kept in its stored state) and
 * emits `databaseRequested` when `database` appeared. `setCredentials` answers. Namespace:
 * `database-provider[<endpoint>]`.
 *
 * @example
 * const db = new DatabaseProvider(this, { endpoint: 'database' });
 * db.on.databaseRequested(async (e) => {
 *   const user = await createUser(e.request.database); // the charm's own work
 *   await db.setCredentials(e.relation, { ...user, endpoints: [{ host, port: 5432 }] });
 * });
 */
export class DatabaseProvider extends RelationLibrary<DatabaseProviderEvents> {
  readonly #stored: { seen: Record<string, string[]> };

  /** Throws `FrameworkError` when the charm has no such endpoint, or a second provider on it. */
  constructor(charm: LibraryParent, options: DatabaseProviderOptions) {
    super(charm, 'database-provider', options.endpoint);
    this.#stored = this.storedState({ seen: {} as Record<string, string[]> });
    const on = this.framework.on;
    on.relationChanged(this.endpoint, (e) => this.#changed(e.relation));
    on.relationBroken(this.endpoint, (e) => {
      delete this.#stored.seen[String(e.relation.id)];
    });
  }

  /**
   * What the requirer on `relation` asks for, or undefined until it has named a database.
   * Throws @charm-ts/ops' `RelationDataError` for secret lists that are not JSON.
   */
  request(relation: Relation): Promise<DatabaseRequestRead | undefined> {
    return this.load(relation, readDatabaseRequirerAppBag);
  }

  /**
   * Answers the requirer on `relation` (leader only): the requested fields go into one Juju
   * secret per group (created with the library's label and granted to the relation, or given a
   * new revision when their content changed), the rest into the application bag with each
   * secret's id; a requirer that asked for no secrets, or a Juju without them, gets everything
   * in clear. Only the keys that differ are written. Throws @charm-ts/relations'
   * `RelationDataError` before the requirer asked (no `database` yet) or without username and
   * password, and `ModelError` / `RelationDataAccessError` from Juju.
   */
  async setCredentials(relation: Relation, answer: DatabaseAnswerData): Promise<void> {
    const request = await this.request(relation);
    if (!request) {
      throw databaseError(
        DATABASE_BAGS.requirerApp,
        'database',
        `is missing on ${relation.endpoint}:${relation.id}: the requirer has not asked for a database yet`,
        'MISSING_KEY',
      );
    }
    const secretsEnabled = this.framework.jujuVersion.hasSecrets;
    const contents = databaseProviderSecrets(answer, request, secretsEnabled);
    const ids: Partial<Record<DatabaseSecretGroup, string>> = {};
    for (const [group, content] of Object.entries(contents) as [
      DatabaseSecretGroup,
      Record<string, string>,
    ][]) {
      ids[group] = await this.#secret(relation, group, content);
    }
    const bag = databaseProviderAppBag(answer, request, ids, secretsEnabled);
    await this.update(relation, 'local-app', bag);
  }

  /** The id of the group's secret on `relation`, with `content` as its latest revision. */
  async #secret(
    relation: Relation,
    group: DatabaseSecretGroup,
    content: Record<string, string>,
  ): Promise<string> {
    const label = databaseSecretLabel(this.endpoint, relation.id, group);
    try {
      const secret = this.model.getSecret({ label });
      const have = await secret.peek();
      if (!sameContent(have, content)) await secret.set(content);
      const { id } = await secret.info();
      return id;
    } catch (error) {
      if (!(error instanceof SecretNotFoundError)) throw error;
    }
    const secret = await this.model.app.addSecret(content, { label });
    await secret.grant(relation);
    return secret.id ?? (await secret.info()).id;
  }

  async #changed(relation: Relation): Promise<void> {
    if (!(await this.model.unit.isLeader())) return;
    const bag = await relation.remoteAppData();
    const key = String(relation.id);
    const before = this.#stored.seen[key] ?? [];
    this.#stored.seen[key] = Object.keys(bag)
      .filter((k) => k !== 'data')
      .sort();
    if (before.includes('database') || bag.database === undefined) return;
    const request = await this.request(relation);
    if (request) await this.emit('databaseRequested', { relation, request });
  }
}

function sameContent(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
