/**
 * `Framework`: what the runtime hands a charm's constructor, and what charm and library code
 * share: the model, the logger, the charm's directory and metadata, the running Juju's version,
 * and the observer registry that events (Juju's and libraries') are emitted through.
 * @module
 */
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { FrameworkError } from './errors.ts';
import { Emitter } from './internal/emitter.ts';
import type { Runtime } from './internal/runtime.ts';
import type { JujuVersion } from './juju-version.ts';
import type { Logger } from './logger.ts';
import { Model } from './model/model.ts';
import { Observers } from './observers.ts';

/** An event handler; it may be async. */
export type Handler<E> = (event: E) => void | Promise<void>;

/** @internal A registered observer; a deferred event names it by its id (observer-id.ts). */
export interface Observer {
  /** The event it observes (see `Registry`). */
  key: string;
  /** Who registered it: '' for the charm, a library's namespace for that library. */
  owner: string;
  handler: Handler<never>;
}

/**
 * @internal Observers by key: `hooks/<hook>`, `actions/<action>`, `collect-status/unit|app`,
 * `framework/pre-commit|commit`, and `<namespace>/<event>` for a library's events.
 */
export type Registry = Map<string, Observer[]>;

/** What the charm's framework and its libraries' share. */
interface SharedState {
  readonly namespaces: Set<string>;
  model: Model | undefined;
}

/** Passed by the runtime to a charm's constructor; hand it to `super()`. */
export class Framework {
  /** @internal */
  readonly rt: Runtime;
  /** @internal */
  readonly registry: Registry;
  /**
   * Untyped observers of Juju's events and of the framework's own (`preCommit`, `commit`): what
   * library code registers with (`this.framework.on.relationChanged(endpoint, …)`). A charm
   * uses its typed `this.on`, which registers in the same place.
   */
  readonly on: Observers;
  /** @internal Emits the events of this dispatch. */
  readonly emitter: Emitter;
  /** @internal Keys of the charm's own stored state (see `Charm.storedState`). */
  readonly charmStoredKeys: Set<string>;
  /**
   * @internal Whose observers `on` registers: '' for the charm's framework, a library's
   * namespace for the framework that library holds (see `forLibrary`).
   */
  readonly owner: string;
  readonly #shared: SharedState;

  /** @internal Only the runtime makes one. */
  constructor(rt: Runtime, library?: { readonly of: Framework; readonly namespace: string }) {
    this.rt = rt;
    this.owner = library?.namespace ?? '';
    if (library) {
      this.registry = library.of.registry;
      this.emitter = library.of.emitter;
      this.charmStoredKeys = library.of.charmStoredKeys;
      this.#shared = library.of.#shared;
    } else {
      this.registry = new Map();
      this.emitter = new Emitter(this);
      this.charmStoredKeys = new Set();
      this.#shared = { namespaces: new Set(), model: undefined };
    }
    this.on = new Observers(this);
  }

  /**
   * @internal The framework the library `namespace` holds: everything is this one's, except
   * that the observers it registers are the library's (a deferred event names its observer by
   * the library, so two libraries' handlers of one name never mix).
   */
  forLibrary(namespace: string): Framework {
    return new Framework(this.rt, { of: this, namespace });
  }

  /** The model (one per dispatch, shared by the charm and its libraries). */
  get model(): Model {
    this.#shared.model ??= new Model(this.rt);
    return this.#shared.model;
  }

  /** The dispatch's logger, shared by the charm and its libraries (see `Logger`). */
  get logger(): Logger {
    return this.rt.logger;
  }

  /** The charm's directory (`JUJU_CHARM_DIR`; the working directory when unset). */
  get charmDir(): string {
    return this.rt.ctx.charmDir ?? process.cwd();
  }

  /** The charm's metadata as passed to `main` (typegen's `meta`); undefined without it. */
  get meta(): CharmRuntimeMeta | undefined {
    return this.rt.meta;
  }

  /** The running Juju's version and its feature queries (`jujuVersion.hasSecrets`, …). */
  get jujuVersion(): JujuVersion {
    return this.rt.ctx.version;
  }

  /** @internal Registers `handler` for `key`, as `owner`'s observer (default: this one's). */
  observe(key: string, handler: Handler<never>, owner = this.owner): void {
    const list = this.registry.get(key) ?? [];
    list.push({ key, owner, handler });
    this.registry.set(key, list);
  }

  /**
   * @internal Claims a library's namespace. Throws `FrameworkError` when another object has it
   * (two libraries on one endpoint would share stored state and deferred events).
   */
  claim(namespace: string): void {
    if (this.#shared.namespaces.has(namespace)) {
      throw new FrameworkError(
        `two objects claim the namespace '${namespace}': give each library its own key (e.g. its endpoint)`,
      );
    }
    if (this.charmStoredKeys.has(namespace)) {
      throw new FrameworkError(
        `the charm's stored state has a key '${namespace}', which is the namespace of a library; rename that key`,
      );
    }
    this.#shared.namespaces.add(namespace);
  }

  /** @internal True when a library claimed `namespace`. */
  isClaimed(namespace: string): boolean {
    return this.#shared.namespaces.has(namespace);
  }

  /** @internal The namespaces of the charm's libraries, in the order they were claimed. */
  namespaces(): string[] {
    return [...this.#shared.namespaces];
  }
}
