/**
 * `Observers`: one registration method per Juju event (and the framework's own), typed with the
 * charm's endpoint, container, storage and action names. A charm's `this.on`; untyped, a
 * library's `this.framework.on`.
 * @module
 */
import type { CharmTypes, UntypedCharm } from './charm-types.ts';
import type {
  ActionEvent,
  CollectStatusEvent,
  CommitEvent,
  PebbleEvent,
  RelationEvent,
  SecretEvent,
  StorageEvent,
  UnitEvent,
} from './events.ts';
import type { Framework, Handler } from './framework.ts';

/**
 * Registration methods, one per event; names come from charmcraft.yaml through `T`.
 * Observing an event the running Juju cannot send (custom notices before 3.4, check events
 * before 3.6) is allowed: it never fires (ask `framework.jujuVersion` to know).
 */
export class Observers<T extends CharmTypes = UntypedCharm> {
  readonly #fw: Framework;

  /** @internal */
  constructor(fw: Framework) {
    this.#fw = fw;
  }

  #add(key: string, handler: Handler<never>): void {
    this.#fw.observe(key, handler);
  }

  #relation(kind: string, endpoint: string, handler: Handler<never>): void {
    this.#fw.rt.endpointRole(endpoint);
    this.#add(`hooks/${endpoint}-${kind}`, handler);
  }

  #pebble(kind: string, container: string, handler: Handler<never>): void {
    this.#fw.rt.checkDeclared('containers', container);
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
  /** Juju 3.4+ sends it (`jujuVersion.hasCustomNotices`); on an older Juju it never fires. */
  pebbleCustomNotice<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-custom-notice', container, h);
  }
  /** Juju 3.6+ sends it (`jujuVersion.hasCheckEvents`); on an older Juju it never fires. */
  pebbleCheckFailed<C extends T['containers']>(container: C, h: Handler<PebbleEvent<C>>): void {
    this.#pebble('pebble-check-failed', container, h);
  }
  /** Juju 3.6+ sends it (`jujuVersion.hasCheckEvents`); on an older Juju it never fires. */
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

  /**
   * Runs once per successful dispatch after collect-status, before the charm's state is saved:
   * the last moment to change stored state or write relation data (ops' `pre_commit`).
   */
  preCommit(h: Handler<CommitEvent>): void {
    this.#add('framework/pre-commit', h);
  }

  /**
   * Runs once per successful dispatch after the charm's state was saved (ops' `commit`). Juju
   * applies the hook's changes when the process exits 0: a failure here still discards them.
   */
  commit(h: Handler<CommitEvent>): void {
    this.#add('framework/commit', h);
  }
}
