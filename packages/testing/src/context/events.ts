/**
 * The events a test can run: each is the dispatch path plus the `JUJU_*` variables Juju would
 * set, and references to the State entries it concerns (checked before running).
 * @module
 */

import { remoteAppOf, remoteUnitBags, remoteUnitsField } from '../state/relation-units.ts';
import type {
  AnyRelation,
  ContainerState,
  NoticeState,
  SecretState,
  StorageState,
} from '../state/types.ts';
import type { CustomEventSpec, CustomPayload } from './custom-event.ts';

/** An event to run: build one with `ctx.on.*`. */
export interface EventSpec {
  /** `hooks/<hook>` or `actions/<action>`. */
  readonly path: string;
  /** The event's own variables (relation, remote unit, container, secret, …). */
  readonly env: Readonly<Record<string, string>>;
  /** The relation concerned, by id. */
  readonly relationId?: number;
  /** On relation-broken: the relation is gone from `relation-ids`. */
  readonly broken?: boolean;
  /** On relation-departed: the unit leaving. */
  readonly departingUnit?: string;
  /** The container concerned. */
  readonly container?: string;
  /** The secret concerned. */
  readonly secretId?: string;
  /** The storage concerned (`name/index`). */
  readonly storageId?: string;
  /** An action's params (before defaults). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** A custom notice to record in the container just before the event. */
  readonly notice?: NoticeState;
  /** A check to make fail (check-failed) or pass (check-recovered) just before the event. */
  readonly check?: { readonly name: string; readonly failing: boolean };
  /** A library's event emitted in place of the Juju event (`ctx.on.custom`). */
  readonly library?: CustomEventSpec;
}

/** Options of `ctx.on.custom`. */
export interface CustomEventOptions {
  /**
   * Optional: the Juju event whose environment the library event runs in (its observers and
   * `reconcile()` do not run). Default: `update-status`, which carries no event variables.
   */
  readonly during?: EventSpec;
}

function hook(name: string, env: Record<string, string> = {}): EventSpec {
  return Object.freeze({ path: `hooks/${name}`, env: Object.freeze(env) });
}

function unitsOf(relation: AnyRelation): number[] {
  return Object.keys(remoteUnitBags(relation)).map(Number);
}

/** Options of relation events that name a remote unit. */
export interface RemoteUnitOptions {
  /** Optional: the remote unit's number. Default: the relation's first remote unit. */
  remoteUnit?: number;
}

/** The event factories of a Context (`ctx.on`). */
export class EventFactories {
  readonly #appName: () => string;

  constructor(appName: () => string) {
    this.#appName = appName;
  }

  install = (): EventSpec => hook('install');
  start = (): EventSpec => hook('start');
  stop = (): EventSpec => hook('stop');
  remove = (): EventSpec => hook('remove');
  configChanged = (): EventSpec => hook('config-changed');
  updateStatus = (): EventSpec => hook('update-status');
  upgradeCharm = (): EventSpec => hook('upgrade-charm');
  leaderElected = (): EventSpec => hook('leader-elected');
  leaderSettingsChanged = (): EventSpec => hook('leader-settings-changed');

  #relation(
    kind: string,
    relation: AnyRelation,
    unit?: number,
    extra: Partial<EventSpec> = {},
  ): EventSpec {
    const app = remoteAppOf(relation, this.#appName());
    const env: Record<string, string> = {
      JUJU_RELATION: relation.endpoint,
      JUJU_RELATION_ID: `${relation.endpoint}:${relation.id}`,
      JUJU_REMOTE_APP: app,
    };
    if (unit !== undefined) env.JUJU_REMOTE_UNIT = `${app}/${unit}`;
    if (extra.departingUnit) env.JUJU_DEPARTING_UNIT = extra.departingUnit;
    return Object.freeze({
      path: `hooks/${relation.endpoint}-relation-${kind}`,
      env: Object.freeze(env),
      relationId: relation.id,
      ...extra,
    });
  }

  #remoteUnit(relation: AnyRelation, options: RemoteUnitOptions): number {
    const unit = options.remoteUnit ?? unitsOf(relation)[0];
    if (unit === undefined) {
      throw new TypeError(
        `relation ${relation.endpoint}:${relation.id} has no remote unit: add one to ${remoteUnitsField(relation)} or pass remoteUnit`,
      );
    }
    return unit;
  }

  relationCreated = (relation: AnyRelation): EventSpec => this.#relation('created', relation);
  relationJoined = (relation: AnyRelation, options: RemoteUnitOptions = {}): EventSpec =>
    this.#relation('joined', relation, this.#remoteUnit(relation, options));
  relationChanged = (relation: AnyRelation, options: RemoteUnitOptions = {}): EventSpec =>
    this.#relation('changed', relation, this.#remoteUnit(relation, options));
  /** The remote unit leaves (default: the departing unit is the remote unit). */
  relationDeparted = (
    relation: AnyRelation,
    options: RemoteUnitOptions & { departingUnit?: string } = {},
  ): EventSpec => {
    const unit = this.#remoteUnit(relation, options);
    const departing = options.departingUnit ?? `${remoteAppOf(relation, this.#appName())}/${unit}`;
    return this.#relation('departed', relation, unit, { departingUnit: departing });
  };
  relationBroken = (relation: AnyRelation): EventSpec =>
    this.#relation('broken', relation, undefined, { broken: true });

  pebbleReady = (container: ContainerState): EventSpec =>
    Object.freeze({
      ...hook(`${container.name}-pebble-ready`, { JUJU_WORKLOAD_NAME: container.name }),
      container: container.name,
    });
  /** A custom notice `key` is recorded in the container, then the event runs. */
  pebbleCustomNotice = (container: ContainerState, notice: NoticeState): EventSpec =>
    Object.freeze({
      ...hook(`${container.name}-pebble-custom-notice`, { JUJU_WORKLOAD_NAME: container.name }),
      container: container.name,
      notice,
    });
  /** The check fails its threshold, then the event runs. */
  pebbleCheckFailed = (container: ContainerState, checkName: string): EventSpec =>
    Object.freeze({
      ...hook(`${container.name}-pebble-check-failed`, {
        JUJU_WORKLOAD_NAME: container.name,
        JUJU_PEBBLE_CHECK_NAME: checkName,
      }),
      container: container.name,
      check: { name: checkName, failing: true },
    });
  /** The check passes again, then the event runs. */
  pebbleCheckRecovered = (container: ContainerState, checkName: string): EventSpec =>
    Object.freeze({
      ...hook(`${container.name}-pebble-check-recovered`, {
        JUJU_WORKLOAD_NAME: container.name,
        JUJU_PEBBLE_CHECK_NAME: checkName,
      }),
      container: container.name,
      check: { name: checkName, failing: false },
    });

  #secret(kind: string, secret: SecretState, revision?: number): EventSpec {
    const env: Record<string, string> = { JUJU_SECRET_ID: secret.id };
    if (secret.label) env.JUJU_SECRET_LABEL = secret.label;
    if (revision !== undefined) env.JUJU_SECRET_REVISION = String(revision);
    return Object.freeze({ ...hook(`secret-${kind}`, env), secretId: secret.id });
  }

  secretChanged = (secret: SecretState): EventSpec => this.#secret('changed', secret);
  secretRotate = (secret: SecretState): EventSpec => this.#secret('rotate', secret);
  secretExpired = (secret: SecretState, revision: number): EventSpec =>
    this.#secret('expired', secret, revision);
  secretRemove = (secret: SecretState, revision: number): EventSpec =>
    this.#secret('remove', secret, revision);

  #storage(kind: string, storage: StorageState): EventSpec {
    const id = `${storage.name}/${storage.index}`;
    return Object.freeze({
      ...hook(`${storage.name}-storage-${kind}`, {
        JUJU_STORAGE_ID: id,
        JUJU_STORAGE_LOCATION: storage.location,
        JUJU_STORAGE_KIND: storage.kind,
      }),
      storageId: id,
    });
  }

  storageAttached = (storage: StorageState): EventSpec => this.#storage('attached', storage);
  storageDetaching = (storage: StorageState): EventSpec => this.#storage('detaching', storage);

  /**
   * A library's own event, emitted with `payload` to every observer of it in place of a Juju
   * event (Scenario's `ctx.on.custom`): `ctx.on.custom('ingress-requirer[ingress]', 'ready',
   * { relation: rel, url })`. The library is named by its namespace (`kind[key]`); State
   * relations and secrets in the payload become the charm's `Relation`s and `Secret`s. Type it
   * with the library's event map: `ctx.on.custom<IngressEvents, 'ready'>(…)`.
   */
  custom = <
    E extends object = Record<string, Record<string, unknown>>,
    K extends keyof E & string = keyof E & string,
  >(
    namespace: string,
    event: K,
    payload: CustomPayload<E[K]>,
    options: CustomEventOptions = {},
  ): EventSpec => {
    const during = options.during ?? this.updateStatus();
    if (during.library) throw new TypeError('ctx.on.custom: `during` must be a Juju event');
    return Object.freeze({
      ...during,
      library: Object.freeze({ event: `${namespace}/${event}`, payload: payload as object }),
    }) as EventSpec;
  };

  /** The action `name` with `params` (Juju applies the defaults from charmcraft.yaml). */
  action = (name: string, params: Record<string, unknown> = {}, id = '1'): EventSpec =>
    Object.freeze({
      path: `actions/${name}`,
      env: Object.freeze({ JUJU_ACTION_NAME: name, JUJU_ACTION_UUID: id }),
      params: Object.freeze({ ...params }),
    });
}
