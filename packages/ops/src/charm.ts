/**
 * `Charm`: the base class of a charm, with typed observers (`this.on.configChanged(…)`), an
 * optional holistic `reconcile()`, the model, collect-status and stored state.
 * @module
 */
import type {
  ActionEvent,
  HookEvent,
  PebbleEvent,
  RelationEvent,
  SecretEvent,
  StorageEvent,
  UnitEvent,
} from './events.ts';
import type { Runtime } from './internal/runtime.ts';
import { type App, Model, type Unit } from './model/model.ts';
import type { Status } from './status.ts';

/**
 * The types a charm is checked against; `typegen` writes them from charmcraft.yaml
 * (`config` option types, `actions` params per action, endpoint/container/storage names).
 */
export interface CharmTypes {
  config: object;
  actions: object;
  endpoints: string;
  containers: string;
  storages: string;
}

/** The types of a charm without generated types: anything goes. */
export interface UntypedCharm {
  config: Record<string, unknown>;
  actions: Record<string, Record<string, unknown>>;
  endpoints: string;
  containers: string;
  storages: string;
}

/** An event handler; it may be async. */
export type Handler<E> = (event: E) => void | Promise<void>;

/** Handed to collect-status observers. */
export interface CollectStatusEvent {
  /** Adds a candidate; the highest priority (blocked > maintenance > waiting > active) is set. */
  addStatus(status: Status): void;
}

/** @internal A registered observer. */
export interface Observer {
  /** Stable within a charm version: `<key>#<n>`; deferred events name it. */
  id: string;
  handler: Handler<never>;
}

/** @internal Observers by key: `hooks/<hook>`, `actions/<action>`, `collect-status/unit|app`. */
export type Registry = Map<string, Observer[]>;

/** Passed by the runtime to a charm's constructor; hand it to `super()`. */
export class Framework {
  /** @internal */
  readonly rt: Runtime;
  /** @internal */
  readonly registry: Registry = new Map();

  /** @internal Only the runtime makes one. */
  constructor(rt: Runtime) {
    this.rt = rt;
  }
}

/** Juju versions that introduced these workload events. */
const PEBBLE_EVENT_MIN_JUJU: Record<string, string> = {
  'pebble-custom-notice': '3.4',
  'pebble-check-failed': '3.6',
  'pebble-check-recovered': '3.6',
};

/** Registration methods, one per event; names come from charmcraft.yaml through `T`. */
export class Observers<T extends CharmTypes> {
  readonly #fw: Framework;

  /** @internal */
  constructor(fw: Framework) {
    this.#fw = fw;
  }

  #add(key: string, handler: Handler<never>): void {
    const list = this.#fw.registry.get(key) ?? [];
    list.push({ id: `${key}#${list.length}`, handler });
    this.#fw.registry.set(key, list);
  }

  #relation(kind: string, endpoint: string, handler: Handler<never>): void {
    this.#fw.rt.endpointRole(endpoint);
    this.#add(`hooks/${endpoint}-${kind}`, handler);
  }

  #pebble(kind: string, container: string, handler: Handler<never>): void {
    this.#fw.rt.checkDeclared('containers', container);
    const min = PEBBLE_EVENT_MIN_JUJU[kind];
    if (min) this.#fw.rt.requireJuju(min, `${kind} events`);
    this.#add(`hooks/${container}-${kind}`, handler);
  }

  #storage(kind: string, storage: string, handler: Handler<never>): void {
    this.#fw.rt.checkDeclared('storage', storage);
    this.#add(`hooks/${storage}-${kind}`, handler);
  }

  install(h: Handler<UnitEvent>): void {
    this.#add('hooks/install', h);
  }
  start(h: Handler<UnitEvent>): void {
    this.#add('hooks/start', h);
  }
  stop(h: Handler<UnitEvent>): void {
    this.#add('hooks/stop', h);
  }
  remove(h: Handler<UnitEvent>): void {
    this.#add('hooks/remove', h);
  }
  configChanged(h: Handler<UnitEvent>): void {
    this.#add('hooks/config-changed', h);
  }
  updateStatus(h: Handler<UnitEvent>): void {
    this.#add('hooks/update-status', h);
  }
  upgradeCharm(h: Handler<UnitEvent>): void {
    this.#add('hooks/upgrade-charm', h);
  }
  leaderElected(h: Handler<UnitEvent>): void {
    this.#add('hooks/leader-elected', h);
  }
  leaderSettingsChanged(h: Handler<UnitEvent>): void {
    this.#add('hooks/leader-settings-changed', h);
  }

  relationCreated<E extends T['endpoints']>(endpoint: E, h: Handler<RelationEvent<E>>): void {
    this.#relation('relation-created', endpoint, h);
  }
  relationJoined<E extends T['endpoints']>(endpoint: E, h: Handler<RelationEvent<E>>): void {
    this.#relation('relation-joined', endpoint, h);
  }
  relationChanged<E extends T['endpoints']>(endpoint: E, h: Handler<RelationEvent<E>>): void {
    this.#relation('relation-changed', endpoint, h);
  }
  relationDeparted<E extends T['endpoints']>(endpoint: E, h: Handler<RelationEvent<E>>): void {
    this.#relation('relation-departed', endpoint, h);
  }
  relationBroken<E extends T['endpoints']>(endpoint: E, h: Handler<RelationEvent<E>>): void {
    this.#relation('relation-broken', endpoint, h);
  }

  storageAttached<S extends T['storages']>(storage: S, h: Handler<StorageEvent<S>>): void {
    this.#storage('storage-attached', storage, h);
  }
  storageDetaching<S extends T['storages']>(storage: S, h: Handler<StorageEvent<S>>): void {
    this.#storage('storage-detaching', storage, h);
  }

  pebbleReady<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-ready', container, h);
  }
  /** Juju 3.4+: on an older Juju, registering throws `JujuVersionError`. */
  pebbleCustomNotice<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-custom-notice', container, h);
  }
  /** Juju 3.6+: on an older Juju, registering throws `JujuVersionError`. */
  pebbleCheckFailed<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-check-failed', container, h);
  }
  /** Juju 3.6+: on an older Juju, registering throws `JujuVersionError`. */
  pebbleCheckRecovered<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-check-recovered', container, h);
  }

  secretChanged(h: Handler<SecretEvent>): void {
    this.#add('hooks/secret-changed', h);
  }
  secretExpired(h: Handler<SecretEvent>): void {
    this.#add('hooks/secret-expired', h);
  }
  secretRotate(h: Handler<SecretEvent>): void {
    this.#add('hooks/secret-rotate', h);
  }
  secretRemove(h: Handler<SecretEvent>): void {
    this.#add('hooks/secret-remove', h);
  }

  /** A Juju action; `event.params` is typed from charmcraft.yaml. */
  action<A extends keyof T['actions'] & string>(
    name: A,
    h: Handler<ActionEvent<T['actions'][A]>>,
  ): void {
    this.#fw.rt.checkDeclared('actions', name);
    this.#add(`actions/${name}`, h as Handler<never>);
  }

  /** Runs at the end of every dispatch; add this unit's status candidates. */
  collectUnitStatus(h: Handler<CollectStatusEvent>): void {
    this.#add('collect-status/unit', h);
  }

  /** Runs at the end of every dispatch on the leader; add the application's status candidates. */
  collectAppStatus(h: Handler<CollectStatusEvent>): void {
    this.#add('collect-status/app', h);
  }
}

/**
 * Base class of a charm. Register observers in the constructor, or implement `reconcile()`
 * (run on every non-action event, after the observers), or both.
 */
export abstract class Charm<T extends CharmTypes = UntypedCharm> {
  /** Register observers here. */
  readonly on: Observers<T>;
  readonly model: Model<T['config'], T['endpoints'], T['containers'], T['storages']>;
  readonly #fw: Framework;

  constructor(framework: Framework) {
    this.#fw = framework;
    this.on = new Observers<T>(framework);
    this.model = new Model(framework.rt);
  }

  /** This unit. */
  get unit(): Unit<T['containers']> {
    return this.model.unit;
  }

  /** This application. */
  get app(): App {
    return this.model.app;
  }

  /** The holistic handler: when defined, runs on every non-action event after the observers. */
  reconcile?(event: HookEvent): void | Promise<void>;

  /** Shortcut for `this.model.config()`. Throws `InvalidConfigError` (→ `blocked` status). */
  config(): Promise<T['config']> {
    return this.model.config();
  }

  /**
   * Typed state that persists across dispatches (in Juju's controller-side charm state, saved
   * only when the dispatch succeeds and something changed). Missing keys take `defaults`.
   * Values must be JSON-serialisable.
   */
  storedState<S extends Record<string, unknown>>(defaults: S): S {
    const stored = this.#fw.rt.state.stored;
    for (const [k, v] of Object.entries(defaults))
      if (!(k in stored)) stored[k] = structuredClone(v);
    return stored as S;
  }

  /** Adds a unit status candidate from anywhere; collect-status sets the highest at the end. */
  addStatus(status: Status): void {
    this.#fw.rt.unitStatuses.push(status);
  }

  /** Adds an application status candidate (used only on the leader). */
  addAppStatus(status: Status): void {
    this.#fw.rt.appStatuses.push(status);
  }
}

/** A charm class, as `main` and `dispatch` take it. */
export type CharmClass = new (
  framework: Framework,
) => { reconcile?(event: HookEvent): void | Promise<void> };
