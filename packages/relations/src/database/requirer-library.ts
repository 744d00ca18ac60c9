/**
 * `DatabaseRequirer`: the requirer side of the database protocol as a library with events of
 * its own, what `DatabaseRequires` of `charms.data_platform_libs.v0.data_interfaces` is to a
 * Python charm: it asks for the database when the relation is created and emits
 * `databaseCreated`, `endpointsChanged` and `readOnlyEndpointsChanged` as the provider answers.
 * @module
 */
import type { LibraryParent, Relation } from '@charm-ts/ops';
import type { DataBag } from '../bag.ts';
import { RelationLibrary } from '../relation-library.ts';
import {
  databaseRequirerAppBag,
  databaseRequirerUnitBag,
  databaseSecretRefs,
  readDatabaseProviderAppBag,
} from './requirer.ts';
import {
  type DatabaseAnswer,
  type DatabaseRequest,
  type DatabaseSecretGroup,
  type DatabaseSecrets,
  databaseSecretKey,
  databaseSecretLabel,
} from './schema.ts';

/**
 * The events of {@link DatabaseRequirer}, named as `DatabaseRequiresEvents` names them. Each
 * carries only the relation: the credentials are read with `fetchRelationData(relation)`, so
 * that a deferred event (kept in Juju's charm state) never holds one.
 */
export interface DatabaseRequirerEvents {
  /** The provider shared the credentials: the database exists (`database_created`). */
  databaseCreated: { relation: Relation };
  /** `endpoints` appeared or changed after the database was created (`endpoints_changed`). */
  endpointsChanged: { relation: Relation };
  /** `read-only-endpoints` appeared or changed (`read_only_endpoints_changed`). */
  readOnlyEndpointsChanged: { relation: Relation };
}

/** Options of {@link DatabaseRequirer}: the endpoint and the request (`DatabaseRequires(…)`). */
export interface DatabaseRequirerOptions extends DatabaseRequest {
  /** Required: the endpoint (`relation_name`), e.g. `database`. */
  readonly endpoint: string;
}

/** What the library remembers of a provider's bag: its keys, and the endpoints' values. */
interface SeenBag {
  keys: string[];
  endpoints: string | null;
  readOnlyEndpoints: string | null;
}

/**
 * The requirer side of the database protocol (`DatabaseRequires`). On relation-created and
 * leader-elected the leader writes the request ({@link databaseRequirerAppBag}, and the secret
 * lists in its unit bag). On relation-changed it compares the provider's bag with the one it saw
 * last and emits, as the library does, at most one of: `databaseCreated` (credentials shared:
 * `secret-user` added, or `username` and `password`), `endpointsChanged`,
 * `readOnlyEndpointsChanged`. Python's library keeps the bag it saw in this unit's relation bag
 * (under `data`, credentials included when in clear); this one keeps only the keys and the
 * endpoints, in its stored state. Namespace: `database-requirer[<endpoint>]`.
 *
 * @example
 * const db = new DatabaseRequirer(this, { endpoint: 'database', database: 'myapp' });
 * db.on.databaseCreated(async (e) => {
 *   const answer = await db.fetchRelationData(e.relation); // endpoints, username, password, …
 * });
 */
export class DatabaseRequirer extends RelationLibrary<DatabaseRequirerEvents> {
  /** The request, as the leader writes it. */
  readonly request: DatabaseRequest;
  readonly #stored: { seen: Record<string, SeenBag> };
  readonly #answers = new Map<number, Promise<DatabaseAnswer | undefined>>();

  /** Throws `FrameworkError` when the charm has no such endpoint, or a second requirer on it. */
  constructor(charm: LibraryParent, options: DatabaseRequirerOptions) {
    super(charm, 'database-requirer', options.endpoint);
    const { endpoint: _, ...request } = options;
    this.request = request;
    this.#stored = this.storedState({ seen: {} as Record<string, SeenBag> });
    const on = this.framework.on;
    on.relationCreated(this.endpoint, (e) => this.#request(e.relation));
    on.leaderElected(async () => {
      for (const relation of await this.relations()) await this.#request(relation);
    });
    on.relationChanged(this.endpoint, (e) => this.#changed(e.relation));
    on.relationBroken(this.endpoint, (e) => {
      delete this.#stored.seen[String(e.relation.id)];
    });
  }

  /**
   * The provider's answer on `relation` (default: the first live one), as `fetch_relation_data`
   * and `is_resource_created` read it: undefined until the database exists, then the endpoints,
   * the credentials (from the provider's secrets, tracking their latest revision, or in clear)
   * and every field. Read once per dispatch. Throws @charm-ts/ops' `RelationDataError` naming the
   * relation, the bag and the key for endpoints that cannot be read, and `ModelError` for a
   * secret this unit cannot read (yet).
   */
  async fetchRelationData(relation?: Relation): Promise<DatabaseAnswer | undefined> {
    const target = relation ?? (await this.relations())[0];
    if (!target) return undefined;
    let answer = this.#answers.get(target.id);
    if (!answer) {
      answer = this.#fetch(target);
      this.#answers.set(target.id, answer);
    }
    return answer;
  }

  /** True when the provider has shared credentials on `relation` (default: the first live one). */
  async isResourceCreated(relation?: Relation): Promise<boolean> {
    return (await this.fetchRelationData(relation)) !== undefined;
  }

  async #fetch(relation: Relation): Promise<DatabaseAnswer | undefined> {
    const bag = await relation.remoteAppData();
    const secrets: Record<string, Record<string, string>> = {};
    for (const [group, id] of Object.entries(databaseSecretRefs(bag))) {
      const label = databaseSecretLabel(this.endpoint, relation.id, group as DatabaseSecretGroup);
      secrets[group] = await this.model.getSecret({ id, label }).get({ refresh: true });
    }
    return this.load(relation, (b) => readDatabaseProviderAppBag(b, secrets as DatabaseSecrets));
  }

  async #request(relation: Relation): Promise<void> {
    if (this.isBroken(relation) || !(await this.model.unit.isLeader())) return;
    await this.writeWhole(relation, 'local-app', databaseRequirerAppBag(this.request));
    await this.writeWhole(relation, 'local-unit', databaseRequirerUnitBag(this.request));
  }

  async #changed(relation: Relation): Promise<void> {
    const bag = await relation.remoteAppData();
    const key = String(relation.id);
    const before = this.#stored.seen[key];
    const now = seen(bag);
    this.#stored.seen[key] = now;
    const added = new Set(now.keys.filter((k) => !before?.keys.includes(k)));
    // data_interfaces' order: created first; else the first endpoint key that changed.
    const userSecret = databaseSecretKey('user');
    if (
      (added.has(userSecret) || (added.has('username') && added.has('password'))) &&
      bag['entity-type'] === undefined
    ) {
      await this.emit('databaseCreated', { relation });
      return;
    }
    if (now.endpoints !== null && now.endpoints !== (before?.endpoints ?? null)) {
      await this.emit('endpointsChanged', { relation });
      return;
    }
    if (
      now.readOnlyEndpoints !== null &&
      now.readOnlyEndpoints !== (before?.readOnlyEndpoints ?? null)
    ) {
      await this.emit('readOnlyEndpointsChanged', { relation });
    }
  }
}

/** What is remembered of a provider's bag: never a credential. */
function seen(bag: DataBag): SeenBag {
  return {
    keys: Object.keys(bag)
      .filter((k) => k !== 'data')
      .sort(),
    endpoints: bag.endpoints ?? null,
    readOnlyEndpoints: bag['read-only-endpoints'] ?? null,
  };
}
