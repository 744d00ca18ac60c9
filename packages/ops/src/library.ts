/**
 * `Library`: the base class of a charm library (a relation interface module and the like). A
 * library observes the Juju events it cares about, emits typed events of its own that the charm
 * observes (`ingress.on.ready(…)`), deferrable like any event, and keeps stored state under its
 * own namespace. It plays the part of `Object`, `EventSource` and `StoredState` in Python ops.
 *
 * @example
 * interface IngressEvents {
 *   ready: { relation: Relation; url: string };
 *   revoked: { relation: Relation };
 * }
 * class IngressRequirer extends Library<IngressEvents> {
 *   constructor(charm: Charm, readonly endpoint = 'ingress') {
 *     super(charm, 'ingress-requirer', endpoint);
 *     this.framework.on.relationChanged(endpoint, (e) => this.#changed(e));
 *   }
 *   async #changed(e: RelationEvent) {
 *     const url = JSON.parse((await e.relation.remoteAppData()).ingress ?? '{}').url;
 *     if (url) await this.emit('ready', { relation: e.relation, url });
 *   }
 * }
 * // in the charm's constructor:
 * const ingress = new IngressRequirer(this);
 * ingress.on.ready((e) => this.logger.info(`ingress at ${e.url}`));
 * @module
 */
import { FrameworkError } from './errors.ts';
import type { LibraryEvent } from './events.ts';
import type { Framework, Handler } from './framework.ts';
import type { Logger } from './logger.ts';
import type { Model } from './model/model.ts';

/** A library's events: event name → payload (fields of the event its observers get). */
export type EventMap<E> = { [K in keyof E]: object };

/** `library.on`: one registration method per event of the library. */
export type LibraryObservers<E extends EventMap<E>> = {
  readonly [K in keyof E & string]: (handler: Handler<LibraryEvent<E[K]>>) => void;
};

/** What a library hangs off: the charm, or another library. */
export interface LibraryParent {
  readonly framework: Framework;
  /** '' for the charm; a library's own namespace for a nested library. */
  readonly namespace: string;
}

const NAME = /^[a-z][a-z0-9-]*$/;
const KEY = /^[^[\]/]+$/;

/**
 * Base class of a library. `kind` names the library (`ingress-requirer`); `key` tells its
 * instances apart (usually the endpoint). Together they are its namespace, `kind[key]`: the key
 * of its stored state and of its deferred events. Two libraries with one namespace are an error.
 * A deferred event names its observer by the event, the handler's name (or, for an anonymous
 * handler, its code) and the library that registered it, so the order libraries are constructed
 * in does not matter.
 */
export abstract class Library<E extends EventMap<E> = Record<never, never>> {
  /** Register observers of the library's events: `library.on.ready((e) => …)`. */
  readonly on: LibraryObservers<E>;
  /** `kind[key]`, or `parent/kind[key]` for a nested library. */
  readonly namespace: string;
  /** The framework: untyped observers of Juju's events (`framework.on`), model, logger, … */
  readonly framework: Framework;

  /**
   * Throws `FrameworkError` for a `kind` that is not lowercase-and-dashes, a `key` with `[`, `]`
   * or `/`, or a namespace another library (or a stored state key of the charm) already has.
   */
  constructor(parent: LibraryParent, kind: string, key?: string) {
    if (!NAME.test(kind)) {
      throw new FrameworkError(
        `library kind '${kind}' must be lowercase letters, digits and dashes (e.g. 'ingress-requirer')`,
      );
    }
    if (key !== undefined && !KEY.test(key)) {
      throw new FrameworkError(
        `library key '${key}' of ${kind} must not be empty or hold [, ] or /`,
      );
    }
    const own = key === undefined ? kind : `${kind}[${key}]`;
    this.namespace = parent.namespace ? `${parent.namespace}/${own}` : own;
    parent.framework.claim(this.namespace);
    // The library's own framework: what it observes through `framework.on` is its own.
    this.framework = parent.framework.forLibrary(this.namespace);
    const fw = this.framework;
    const ns = this.namespace;
    this.on = new Proxy({} as LibraryObservers<E>, {
      get(_target, event) {
        // `then` is asked by `await`: a library's `on` is not a promise.
        if (typeof event !== 'string' || event === 'then') return undefined;
        return (handler: Handler<never>) => {
          // Whoever observes the library's event (the charm, mostly): not the library itself.
          fw.observe(`${ns}/${event}`, handler, '');
        };
      },
    });
  }

  /** The model (untyped: a library serves any charm). */
  protected get model(): Model<Record<string, unknown>> {
    return this.framework.model;
  }

  /** The logger the charm and its libraries share. */
  protected get logger(): Logger {
    return this.framework.logger;
  }

  /**
   * Emits `event` to its observers now (awaited, in registration order). An observer may defer
   * it: it then runs again with the same payload at the start of the next dispatch, so the
   * payload must be JSON data, `Relation`s and `Secret`s (`FrameworkError` at `defer()`
   * otherwise). Throws what an observer throws.
   */
  protected emit<K extends keyof E & string>(event: K, payload: E[K]): Promise<void> {
    return this.framework.emitter.emitLibraryEvent(this.namespace, event, payload);
  }

  /**
   * The library's stored state, under its namespace in the charm's state (persisted like
   * `Charm.storedState`: saved when the dispatch succeeds). Missing keys take `defaults`.
   */
  protected storedState<S extends Record<string, unknown>>(defaults: S): S {
    const stored = this.framework.rt.state.stored;
    const existing = stored[this.namespace];
    const own = (
      existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {}
    ) as Record<string, unknown>;
    stored[this.namespace] = own;
    for (const [k, v] of Object.entries(defaults)) if (!(k in own)) own[k] = structuredClone(v);
    return own as S;
  }
}
