/**
 * The model as the charm sees it: this unit, this application, config, relations, secrets,
 * storage, resources and networks. Every method is a thin, typed layer over the hook tools.
 * @module
 */
import { Container } from '../container/container.ts';
import { FrameworkError, ModelError } from '../errors.ts';
import type {
  AppStatusInfo,
  CloudSpec,
  LogLevel,
  NetworkInfo,
  Port,
  SecretAddOptions,
  SecretMetadataOptions,
  StatusInfo,
  StorageInfo,
} from '../hook-tools/types.ts';
import type { Runtime } from '../internal/runtime.ts';
import type { JujuVersion } from '../juju-version.ts';
import type { Status } from '../status.ts';
import { Binding } from './binding.ts';
import { validateConfig } from './config.ts';
import { Relation } from './relation.ts';
import { Secret } from './secret.ts';

/** A port to open: a number means TCP. */
export type PortSpec = number | Port;

const toPort = (p: PortSpec): Port => (typeof p === 'number' ? { protocol: 'tcp', port: p } : p);
const portKey = (p: Port) => `${p.protocol}:${p.port ?? ''}-${p.toPort ?? ''}`;

/** A storage instance attached to this unit. */
export interface StorageInstance {
  /** `data/0`. */
  id: string;
  name: string;
  index: number;
  /** Runs `storage-get -s <id>`. */
  info(): Promise<StorageInfo>;
}

/** This unit. Methods that run a hook tool throw `ModelError` with Juju's message when it fails. */
export class Unit<C extends string = string> {
  readonly name: string;
  readonly #rt: Runtime;
  readonly #containers = new Map<string, Container>();

  /** @internal */
  constructor(rt: Runtime) {
    this.#rt = rt;
    this.name = rt.ctx.unitName;
  }

  /** True when this unit leads its application (one `is-leader` per dispatch at most). */
  isLeader(): Promise<boolean> {
    return this.#rt.isLeader();
  }

  /** A workload container. Throws `FrameworkError` for a container charmcraft.yaml does not declare. */
  container(name: C): Container {
    this.#rt.checkDeclared('containers', name);
    let c = this.#containers.get(name);
    if (!c) {
      c = new Container(name, this.#rt.pebble);
      this.#containers.set(name, c);
    }
    return c;
  }

  /** Sets the status now. Prefer `addStatus` (collect-status): it sets only what changed. */
  setStatus(status: Status): Promise<void> {
    return this.#rt.setStatus(status, false);
  }

  /** This unit's status as Juju has it (`status-get`). */
  status(): Promise<StatusInfo> {
    return this.#rt.tools.statusGet();
  }

  /** Shown as the application version in `juju status`. */
  setWorkloadVersion(version: string): Promise<void> {
    return this.#rt.tools.applicationVersionSet(version);
  }

  /** Opens a port (a number means TCP), optionally on some endpoints only. */
  openPort(port: PortSpec, endpoints?: readonly string[]): Promise<void> {
    return this.#rt.tools.openPort(toPort(port), endpoints);
  }

  /** Closes a port opened by `openPort`. */
  closePort(port: PortSpec, endpoints?: readonly string[]): Promise<void> {
    return this.#rt.tools.closePort(toPort(port), endpoints);
  }

  /** The ports this unit has open (`opened-ports`). */
  openedPorts(): Promise<Port[]> {
    return this.#rt.tools.openedPorts();
  }

  /** Opens exactly `ports`: closes the others and opens the missing ones (no spawn when equal). */
  async setPorts(ports: readonly PortSpec[]): Promise<void> {
    const want = ports.map(toPort);
    const have = await this.openedPorts();
    const wantKeys = new Set(want.map(portKey));
    const haveKeys = new Set(have.map(portKey));
    for (const p of have) if (!wantKeys.has(portKey(p))) await this.closePort(p);
    for (const p of want) if (!haveKeys.has(portKey(p))) await this.openPort(p);
  }

  /** A secret owned by this unit. Content goes to Juju through private files. */
  async addSecret(
    content: Record<string, string>,
    options: SecretMetadataOptions = {},
  ): Promise<Secret> {
    const id = await this.#rt.tools.secretAdd(content, { ...options, owner: 'unit' });
    return new Secret(this.#rt, id, options.label);
  }
}

/** This application. Methods that run a hook tool throw `ModelError` with Juju's message when it fails. */
export class App {
  readonly name: string;
  readonly #rt: Runtime;

  /** @internal */
  constructor(rt: Runtime) {
    this.#rt = rt;
    this.name = rt.ctx.appName;
  }

  /** Sets the application status now (leader only: `ModelError` otherwise, before any tool). */
  async setStatus(status: Status): Promise<void> {
    await this.#rt.requireLeader('set the application status');
    await this.#rt.setStatus(status, true);
  }

  /** The application status and its units' (leader only). */
  async status(): Promise<AppStatusInfo> {
    await this.#rt.requireLeader('read the application status');
    return this.#rt.tools.appStatusGet();
  }

  /** How many units Juju plans for this application (from `goal-state`; dying units excluded). */
  async plannedUnits(): Promise<number> {
    const goal = await this.#rt.tools.goalState();
    return Object.values(goal.units).filter((u) => u.status !== 'dying').length;
  }

  /** A secret owned by the application (leader only: `ModelError` otherwise, before any tool). */
  async addSecret(
    content: Record<string, string>,
    options: SecretMetadataOptions = {},
  ): Promise<Secret> {
    await this.#rt.requireLeader('add an application secret');
    const opts: SecretAddOptions = { ...options, owner: 'application' };
    const id = await this.#rt.tools.secretAdd(content, opts);
    return new Secret(this.#rt, id, options.label);
  }
}

/**
 * Everything the charm can read and change in the Juju model. Methods that run a hook tool throw
 * `ModelError` (or `RelationNotFoundError` / `SecretNotFoundError`) with Juju's message.
 */
export class Model<
  Config = Record<string, unknown>,
  E extends string = string,
  C extends string = string,
  S extends string = string,
> {
  readonly unit: Unit<C>;
  readonly app: App;
  readonly #rt: Runtime;
  #config: Promise<Config> | undefined;

  /** @internal */
  constructor(rt: Runtime) {
    this.#rt = rt;
    this.unit = new Unit(rt);
    this.app = new App(rt);
  }

  /** The model's name. */
  get name(): string {
    return this.#rt.ctx.modelName;
  }

  /** The model's UUID. */
  get uuid(): string {
    return this.#rt.ctx.modelUuid;
  }

  /**
   * The running Juju's version: `jujuVersion.atLeast('3.6')`, and feature queries such as
   * `jujuVersion.hasSecrets` or `hasCheckEvents`.
   */
  get jujuVersion(): JujuVersion {
    return this.#rt.ctx.version;
  }

  /**
   * The charm's config, defaults applied and types checked (one `config-get` per dispatch).
   * Throws `InvalidConfigError` naming the bad key; uncaught, it becomes a `blocked` status.
   */
  config(): Promise<Config> {
    this.#config ??= this.#rt.tools
      .configGet()
      .then((raw) => validateConfig(raw, this.#rt.meta?.config) as Config);
    return this.#config;
  }

  /**
   * The live relations on `endpoint` (`relation-ids`, once per dispatch). During relation-broken
   * the relation being broken is left out, as Python ops does (Juju before 3.4.4 still lists it).
   * Throws `FrameworkError` for an undeclared endpoint.
   */
  async relations(endpoint: E): Promise<Relation[]> {
    this.#rt.endpointRole(endpoint);
    const ids = await this.#rt.memo(`relation-ids ${endpoint}`, () =>
      this.#rt.tools.relationIds(endpoint),
    );
    return ids.map((id) => this.getRelation(endpoint, id)).filter((rel) => rel.active);
  }

  /** The one relation on `endpoint`, or undefined. Throws `ModelError` when there are several. */
  async relation(endpoint: E): Promise<Relation | undefined> {
    const all = await this.relations(endpoint);
    if (all.length > 1) {
      throw new ModelError(
        `endpoint '${endpoint}' has ${all.length} relations (${all.map((r) => r.id).join(', ')}); use relations() and pick one`,
      );
    }
    return all[0];
  }

  /** A relation by endpoint and id, without a tool call. */
  getRelation(endpoint: E, id: number): Relation {
    const ctx = this.#rt.ctx;
    const current =
      ctx.env.JUJU_RELATION_ID === `${endpoint}:${id}` ? ctx.env.JUJU_REMOTE_APP : undefined;
    return new Relation(this.#rt, endpoint, id, current || undefined);
  }

  /** A secret by id and/or label; nothing is read until you ask. With both, `get()` also sets the label. */
  getSecret(lookup: { id?: string; label?: string }): Secret {
    if (lookup.id === undefined && lookup.label === undefined)
      throw new FrameworkError('getSecret needs an id or a label');
    return new Secret(this.#rt, lookup.id, lookup.label);
  }

  /** The local path of a resource file (`resource-get`). */
  resource(name: string): Promise<string> {
    return this.#rt.tools.resourceGet(name);
  }

  /** This unit's instances of a storage (`storage-list`). */
  async storage(name: S): Promise<StorageInstance[]> {
    this.#rt.checkDeclared('storage', name);
    const ids = await this.#rt.tools.storageList(name);
    return ids.map((id) => ({
      id,
      name,
      index: Number(id.slice(id.indexOf('/') + 1)),
      info: () => this.#rt.tools.storageGet(id),
    }));
  }

  /** Asks Juju for `count` more instances of a storage (committed at the end of the hook). */
  addStorage(name: S, count = 1): Promise<void> {
    this.#rt.checkDeclared('storage', name);
    return this.#rt.tools.storageAdd({ [name]: count });
  }

  /**
   * A binding: an endpoint or extra-binding by name, or the endpoint of a relation (whose
   * addresses can differ per relation, e.g. cross-model). `await binding.network()` gives its
   * bind address, ingress address(es) and egress subnets. No tool runs until then.
   */
  binding(nameOrRelation: string | Relation): Binding {
    return typeof nameOrRelation === 'string'
      ? new Binding(this.#rt, nameOrRelation)
      : new Binding(this.#rt, nameOrRelation.endpoint, nameOrRelation);
  }

  /** `network-get` as Juju answers it, for a binding (optionally one relation's). Prefer `binding()`. */
  network(binding: string, relation?: Relation): Promise<NetworkInfo> {
    return this.#rt.tools.networkGet(binding, relation?.ref);
  }

  /** The cloud credential (needs `juju trust`). */
  credential(): Promise<CloudSpec> {
    return this.#rt.tools.credentialGet();
  }

  /**
   * Writes to the unit's Juju log through the shared logger (`charm.logger`), which batches
   * lines into few `juju-log` runs. Resolves at once; the line goes out with the next batch.
   */
  log(level: LogLevel, message: string): Promise<void> {
    this.#rt.logger.log(level, message);
    return Promise.resolve();
  }
}
