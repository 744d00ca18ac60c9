/**
 * A relation: its units, its remote app, and its data bags with Juju's read/write rules checked
 * before any tool runs.
 * @module
 */
import type { EndpointRole } from '../charmcraft/types.ts';
import {
  RelationDataAccessError,
  RelationDataTypeError,
  RelationNotFoundError,
} from '../errors.ts';
import type { RelationRef } from '../hook-tools/types.ts';
import type { Runtime } from '../internal/runtime.ts';
import type { LoadOptions, SaveOptions, SchemaOutput, StandardSchema } from './relation-data.ts';

/** Which bag of a relation: the remote app's, a remote unit's, or this app's or unit's. */
export type BagRef = 'remote-app' | 'local-app' | 'local-unit' | { unit: string };

/**
 * A relation on one of the charm's endpoints. Methods that run a hook tool throw
 * `RelationNotFoundError` when the relation is gone, `ModelError` for other refusals.
 */
export class Relation {
  /** The endpoint, e.g. `db`. */
  readonly endpoint: string;
  /** The relation id (the `7` of `db:7`). */
  readonly id: number;
  readonly #rt: Runtime;
  readonly #role: EndpointRole | undefined;
  #app: string | undefined;

  /** @internal Built by the model and the dispatcher. */
  constructor(rt: Runtime, endpoint: string, id: number, remoteApp?: string) {
    this.#rt = rt;
    this.endpoint = endpoint;
    this.id = id;
    this.#role = rt.endpointRole(endpoint);
    this.#app = remoteApp;
  }

  /** `{ endpoint, id }`, as the hook tools take it. */
  get ref(): RelationRef {
    return { endpoint: this.endpoint, id: this.id };
  }

  /** True for a peer relation (needs metadata). */
  get isPeer(): boolean {
    return this.#role === 'peers';
  }

  /** The remote application's name (this app for a peer relation). Throws `ModelError`. */
  async app(): Promise<string> {
    if (this.isPeer) return this.#rt.ctx.appName;
    this.#app ??= await this.#rt.memo(`relation-list --app ${this.#key}`, () =>
      this.#rt.tools.relationListApp(this.ref),
    );
    return this.#app;
  }

  /**
   * False for the relation whose relation-broken hook is running: it is going, and
   * `Model.relations()` leaves it out.
   */
  get active(): boolean {
    return !this.#isHook('-relation-broken');
  }

  /**
   * The remote units (asked once per dispatch). During relation-departed the departing unit is
   * not among them (Juju leaves it out of `relation-list`, as Python ops shows it); its bag can
   * still be read with `remoteUnitData`. Throws `RelationNotFoundError` when the relation is gone.
   */
  async units(): Promise<string[]> {
    return [
      ...(await this.#rt.memo(`relation-list ${this.#key}`, () =>
        this.#rt.tools.relationList(this.ref),
      )),
    ];
  }

  /** True while this relation's own `<endpoint>-relation<kind>` hook runs. */
  #isHook(kind: string): boolean {
    const ctx = this.#rt.ctx;
    return ctx.hookName.endsWith(kind) && ctx.env.JUJU_RELATION_ID === this.#key;
  }

  /** A remote unit's data bag (read once per dispatch: Juju fixes it for the hook's duration). */
  remoteUnitData(unit: string): Promise<Record<string, string>> {
    return this.#get(unit, false);
  }

  /** The remote application's data bag (for a peer relation: this app's, readable by all). */
  async remoteAppData(): Promise<Record<string, string>> {
    return this.#get(await this.app(), true);
  }

  /** This unit's data bag, with this hook's writes applied. */
  localUnitData(): Promise<Record<string, string>> {
    return this.#get(this.#rt.ctx.unitName, false);
  }

  /**
   * This application's data bag. Readable by the leader, and by every unit on a peer relation;
   * otherwise throws `RelationDataAccessError` without running a tool.
   */
  async localAppData(): Promise<Record<string, string>> {
    if (!this.isPeer && !(await this.#rt.isLeader())) {
      throw new RelationDataAccessError(
        `cannot read this application's data on relation ${this.endpoint}:${this.id}: only the leader may (or any unit, on a peer relation)`,
      );
    }
    return this.#get(this.#rt.ctx.appName, true);
  }

  /**
   * Updates keys of this unit's bag (`''` deletes a key). Throws `RelationDataTypeError` for a
   * non-string value, before any tool runs.
   */
  async setUnitData(data: Record<string, string>): Promise<void> {
    checkStrings(data, this.endpoint, this.id);
    await this.#rt.tools.relationSet(this.ref, data, false);
    this.#rt.forget(`relation-get ${this.#key} ${this.#rt.ctx.unitName} `);
  }

  /**
   * Updates keys of this application's bag (`''` deletes a key). Leader only: a non-leader gets
   * `RelationDataAccessError` without a tool running.
   */
  async setAppData(data: Record<string, string>): Promise<void> {
    checkStrings(data, this.endpoint, this.id);
    if (!(await this.#rt.isLeader())) {
      throw new RelationDataAccessError(
        `cannot write this application's data on relation ${this.endpoint}:${this.id}: this unit is not the leader`,
      );
    }
    await this.#rt.tools.relationSet(this.ref, data, true);
    this.#rt.forget(`relation-get ${this.#key} ${this.#rt.ctx.appName} `);
  }

  /**
   * Reads a bag (default: the remote app's) as typed data: each value JSON-decoded (as charm
   * libraries write them), then checked by `schema` (any Standard Schema: valibot, zod, …).
   * Throws `RelationDataError` naming the relation, the bag and the key; the access errors of
   * the bag readers.
   * @example
   * const Ingress = v.object({ ingress: v.object({ url: v.pipe(v.string(), v.url()) }) });
   * const { ingress } = await relation.load(Ingress); // typed
   */
  async load<S extends StandardSchema>(
    schema: S,
    bag: BagRef = 'remote-app',
    options: LoadOptions = {},
  ): Promise<SchemaOutput<S>> {
    const data =
      bag === 'remote-app'
        ? await this.remoteAppData()
        : bag === 'local-app'
          ? await this.localAppData()
          : bag === 'local-unit'
            ? await this.localUnitData()
            : await this.remoteUnitData(bag.unit);
    const { decodeBag } = await import('./relation-data.ts');
    return decodeBag(data, schema, await this.#describe(bag), options);
  }

  /**
   * Writes `value` into this app's (leader only) or this unit's bag: each key JSON-encoded,
   * `undefined` deletes it; other keys of the bag are left alone. With `schema`, the value is
   * checked first and nothing is written when it fails (`RelationDataError` naming the key).
   */
  async save<S extends StandardSchema>(
    value: Record<string, unknown>,
    bag: 'local-app' | 'local-unit',
    options: SaveOptions<S> = {},
  ): Promise<void> {
    const { encodeBag } = await import('./relation-data.ts');
    const data = await encodeBag(value, await this.#describe(bag), options);
    if (bag === 'local-app') await this.setAppData(data);
    else await this.setUnitData(data);
  }

  async #describe(bag: BagRef): Promise<string> {
    const which =
      typeof bag === 'object'
        ? `bag of ${bag.unit}`
        : bag === 'remote-app'
          ? `remote-app bag (${await this.app().catch(() => '?')})`
          : `${bag} bag`;
    return `relation ${this.endpoint}:${this.id} ${which}`;
  }

  get #key(): string {
    return `${this.endpoint}:${this.id}`;
  }

  async #get(unitOrApp: string, app: boolean): Promise<Record<string, string>> {
    const bag = await this.#rt.memo(`relation-get ${this.#key} ${unitOrApp} ${app}`, () =>
      this.#rt.tools.relationGet(this.ref, unitOrApp, app).catch((error: unknown) => {
        // A relation that is gone (a deferred event's, say) has no data: empty, as in Python ops.
        if (error instanceof RelationNotFoundError) return {};
        throw error;
      }),
    );
    return { ...bag };
  }

  /** `{ endpoint, id }`: a relation serialises to its reference, never its data. */
  toJSON(): RelationRef {
    return this.ref;
  }
}

function checkStrings(data: Record<string, unknown>, endpoint: string, id: number): void {
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      throw new RelationDataTypeError(
        `relation data values must be strings: key '${key}' on ${endpoint}:${id} is ${value === null ? 'null' : typeof value}; JSON.stringify it`,
      );
    }
  }
}
