/**
 * `Emitter`: calls the observers of an event, builds each one's event object with `defer()`,
 * queues deferred events, and re-emits them first on the next dispatch. Juju's events
 * (`hooks/…`, `actions/…`), library events (`<namespace>/<event>`) and the framework's own
 * (collect-status, pre-commit, commit) all go through here.
 * @module
 */
import { FrameworkError, RelationNotFoundError } from '../errors.ts';
import { type CharmEvent, classifyHook, NOT_DEFERRABLE } from '../events.ts';
import type { Framework, Observer } from '../framework.ts';
import type { DeferredEvent } from '../state.ts';
import { buildPayload, EVENT_VARS } from './build-event.ts';
import { findObserver, observerIds } from './observer-id.ts';
import { restore, snapshot } from './snapshot.ts';

/** What the emitter needs of the charm instance. */
export interface ReconcilingCharm {
  reconcile?(event: never): void | Promise<void>;
}

/** Emits the events of one dispatch. */
export class Emitter {
  readonly #fw: Framework;
  #charm: ReconcilingCharm | undefined;

  constructor(fw: Framework) {
    this.#fw = fw;
  }

  /** The charm whose `reconcile()` runs after the observers of every non-action hook. */
  setCharm(charm: ReconcilingCharm): void {
    this.#charm = charm;
  }

  /**
   * Re-emits deferred events, each to the observer that deferred it, in the order they were
   * deferred. One whose relation went away since (`RelationNotFoundError`) is moot: dropped;
   * so is one whose observer this charm no longer has (a warning says which).
   */
  async reemit(queue: readonly DeferredEvent[]): Promise<void> {
    const base = withoutEventVars(this.#fw.rt.ctx.env);
    for (const d of queue) {
      try {
        if ('event' in d) {
          const at = d.event.lastIndexOf('/');
          const payload = restore(d.data, this.#fw.model) as object;
          await this.#library(d.event.slice(0, at), d.event.slice(at + 1), payload, d.observer);
        } else {
          await this.emitHook(d.hook, { ...base, ...d.env }, d.observer, true);
        }
      } catch (err) {
        if (!(err instanceof RelationNotFoundError)) throw err;
      }
    }
  }

  /**
   * Emits a Juju event (`hooks/<hook>` or `actions/<action>`) built from `env`, to every
   * observer (or only the one named `only`), then to `reconcile()` for hooks.
   */
  async emitHook(
    hook: string,
    env: Readonly<Record<string, string | undefined>>,
    only?: string,
    redelivered = false,
  ): Promise<void> {
    const rt = this.#fw.rt;
    const name = hook.slice(hook.indexOf('/') + 1);
    const kind = classifyHook(name, hook.startsWith('actions/'));
    // A hook this runtime does not know (a newer Juju's) is ignored, as ops does.
    if (kind.kind === 'unknown') return;
    const observers = this.#observersOf(hook, only);
    if (observers.length === 0) return;
    const payload = await buildPayload(rt, this.#fw.model, name, kind, env);
    const saved = Object.fromEntries(
      EVENT_VARS.filter((v) => env[v] !== undefined).map((v) => [v, env[v] as string]),
    );
    for (const [observer, id] of observers) {
      const defer = () => {
        if (NOT_DEFERRABLE.has(payload.kind)) {
          throw new FrameworkError(
            `cannot defer ${payload.name}: Juju does not allow deferring ${payload.kind === 'action' ? 'actions' : `${payload.kind} events`}`,
          );
        }
        this.#queue({ hook, observer: id(), env: saved });
      };
      const event = { ...payload, redelivered, defer } as CharmEvent;
      await observer.handler(event as never);
    }
  }

  /**
   * Emits the library event `key` (`<namespace>/<event>`) with a payload kept as a deferred
   * event keeps it, to every observer (a test's custom event). Throws `FrameworkError` when no
   * library of the charm has that namespace.
   */
  emitLibrarySnapshot(key: string, data: Readonly<Record<string, unknown>>): Promise<void> {
    const at = key.lastIndexOf('/');
    const namespace = key.slice(0, at);
    if (at <= 0 || !this.#fw.isClaimed(namespace)) {
      const known = this.#fw.namespaces().join(', ') || 'none';
      throw new FrameworkError(
        `cannot emit ${key}: the charm has no library with the namespace '${namespace}' (its libraries: ${known})`,
      );
    }
    const payload = restore(data, this.#fw.model) as object;
    return this.#library(namespace, key.slice(at + 1), payload, undefined);
  }

  /** Emits a library's event to its observers now (see `Library.emit`). */
  emitLibraryEvent(namespace: string, event: string, payload: object): Promise<void> {
    return this.#library(namespace, event, payload, undefined);
  }

  /** Calls every observer of `key` with `event` (collect-status, pre-commit, commit). */
  async emitFramework(key: string, event: object): Promise<void> {
    for (const o of this.#fw.registry.get(key) ?? []) await o.handler(event as never);
  }

  async #library(
    namespace: string,
    event: string,
    payload: object,
    only: string | undefined,
  ): Promise<void> {
    const key = `${namespace}/${event}`;
    const shadowed = EVENT_FIELDS.find((field) => field in payload);
    if (shadowed) {
      throw new FrameworkError(
        `cannot emit ${key}: its payload field '${shadowed}' is one of the event's own (${EVENT_FIELDS.join(', ')}); rename it`,
      );
    }
    for (const [observer, id] of this.#observersOf(key, only)) {
      const defer = () => {
        const data = snapshot(payload, key) as Record<string, unknown>;
        this.#queue({ event: key, observer: id(), data });
      };
      const e = {
        ...payload,
        name: event,
        source: namespace,
        redelivered: only !== undefined,
        defer,
      };
      await observer.handler(e as never);
    }
  }

  /**
   * The observers of `key` with their ids (worked out when one defers: the ids of a handler that
   * has no name cost a hash of its code): every one, then `reconcile()` for a hook; or only
   * the one `only` names (none, with a warning, when this charm no longer has it).
   */
  #observersOf(key: string, only: string | undefined): Array<[Observer, () => string]> {
    const registered = this.#fw.registry.get(key) ?? [];
    const charm = this.#charm;
    const reconcile: Observer | undefined =
      charm?.reconcile && key.startsWith('hooks/')
        ? { key, owner: '', handler: charm.reconcile.bind(charm) as Observer['handler'] }
        : undefined;
    if (only === undefined) {
      let ids: string[] | undefined;
      const all = registered.map((o, i): [Observer, () => string] => [
        o,
        () => {
          ids ??= observerIds(registered);
          return ids[i] as string;
        },
      ]);
      if (reconcile) all.push([reconcile, () => RECONCILE]);
      return all;
    }
    const found = only === RECONCILE ? reconcile : findObserver(registered, only);
    if (found) return [[found, () => only]];
    this.#fw.logger.warning(
      `deferred ${key} dropped: this charm has no observer ${only} (renamed, or an anonymous handler whose code changed)`,
    );
    return [];
  }

  /** Adds to the queue unless the same event is queued for the same observer. */
  #queue(entry: DeferredEvent): void {
    const queue = this.#fw.rt.state.deferred;
    const same = JSON.stringify(entry);
    if (!queue.some((e) => JSON.stringify(e) === same)) queue.push(entry);
  }
}

/** What a library event carries besides its payload: a payload field of one name would be lost. */
const EVENT_FIELDS = ['name', 'source', 'redelivered', 'defer'] as const;

/** The id of `reconcile()` as an observer of every hook. */
const RECONCILE = 'reconcile';

/** The hook environment without the variables of its event (a deferred event brings its own). */
function withoutEventVars(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const out = { ...env };
  for (const v of EVENT_VARS) delete out[v];
  return out;
}
