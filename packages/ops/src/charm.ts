/**
 * `Charm`: the base class of a charm, with typed observers (`this.on.configChanged(…)`), an
 * optional holistic `reconcile()`, the model, collect-status and stored state.
 * @module
 */
import type { CharmTypes, UntypedCharm } from './charm-types.ts';
import type { CharmRuntimeMeta } from './charmcraft/types.ts';
import { FrameworkError } from './errors.ts';
import type { HookEvent } from './events.ts';
import type { Framework } from './framework.ts';
import type { Logger } from './logger.ts';
import type { App, Model, Unit } from './model/model.ts';
import { Observers } from './observers.ts';
import type { Status } from './status.ts';

/**
 * Base class of a charm. Register observers in the constructor, or implement `reconcile()`
 * (run on every non-action event, after the observers), or both.
 */
export abstract class Charm<T extends CharmTypes = UntypedCharm> {
  /** Register observers here. */
  readonly on: Observers<T>;
  /** The framework: model, logger, charm directory, metadata, Juju version; libraries take it. */
  readonly framework: Framework;
  readonly model: Model<T['config'], T['endpoints'], T['containers'], T['storages']>;

  constructor(framework: Framework) {
    this.framework = framework;
    this.on = new Observers<T>(framework);
    this.model = framework.model as Charm<T>['model'];
  }

  /** The root of the library namespaces: libraries of this charm are `kind[key]`. */
  get namespace(): string {
    return '';
  }

  /** This unit. */
  get unit(): Unit<T['containers']> {
    return this.model.unit;
  }

  /** This application. */
  get app(): App {
    return this.model.app;
  }

  /** The logger shared with the charm's libraries (`this.logger.info(…)`; see `Logger`). */
  get logger(): Logger {
    return this.framework.logger;
  }

  /** The charm's directory (`JUJU_CHARM_DIR`). */
  get charmDir(): string {
    return this.framework.charmDir;
  }

  /** The charm's metadata as passed to `main` (typegen's `meta`); undefined without it. */
  get meta(): CharmRuntimeMeta | undefined {
    return this.framework.meta;
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
   * Values must be JSON-serialisable. Throws `FrameworkError` for a key that is a library's
   * namespace (libraries keep theirs under it).
   */
  storedState<S extends Record<string, unknown>>(defaults: S): S {
    const stored = this.framework.rt.state.stored;
    for (const [k, v] of Object.entries(defaults)) {
      if (this.framework.isClaimed(k)) {
        throw new FrameworkError(
          `stored state key '${k}' is the namespace of a library of this charm; rename the key`,
        );
      }
      this.framework.charmStoredKeys.add(k);
      if (!(k in stored)) stored[k] = structuredClone(v);
    }
    return stored as S;
  }

  /** Adds a unit status candidate from anywhere; collect-status sets the highest at the end. */
  addStatus(status: Status): void {
    this.framework.rt.unitStatuses.push(status);
  }

  /** Adds an application status candidate (used only on the leader). */
  addAppStatus(status: Status): void {
    this.framework.rt.appStatuses.push(status);
  }
}

/** A charm class, as `main` and `dispatch` take it. */
export type CharmClass = new (
  framework: Framework,
) => { reconcile?(event: HookEvent): void | Promise<void> };
