/**
 * Hook names → event kinds, and the typed events handed to observers.
 * @module
 */

import type { CheckInfo, Notice } from '@charm-ts/pebble';
import type { Container } from './container/container.ts';
import type { Relation } from './model/relation.ts';
import type { Secret } from './model/secret.ts';
import type { Status } from './status.ts';

/** Hooks that concern the unit as a whole. */
export const UNIT_HOOKS = [
  'install',
  'start',
  'stop',
  'remove',
  'config-changed',
  'update-status',
  'upgrade-charm',
  'leader-elected',
  'leader-settings-changed',
  'pre-series-upgrade',
  'post-series-upgrade',
  'collect-metrics',
  'meter-status-changed',
] as const;
/** Unit hook names. */
export type UnitHook = (typeof UNIT_HOOKS)[number];

/** Relation hook kinds (the part after `<endpoint>-`). */
export type RelationHook =
  | 'relation-created'
  | 'relation-joined'
  | 'relation-changed'
  | 'relation-departed'
  | 'relation-broken';
/** Storage hook kinds (the part after `<storage>-`). */
export type StorageHook = 'storage-attached' | 'storage-detaching';
/** Workload hook kinds (the part after `<container>-`). */
export type PebbleHook =
  | 'pebble-ready'
  | 'pebble-custom-notice'
  | 'pebble-check-failed'
  | 'pebble-check-recovered';
/** Secret hook names. */
export type SecretHook = 'secret-changed' | 'secret-expired' | 'secret-rotate' | 'secret-remove';

/** What a hook name means: its kind and, for per-entity hooks, the entity. */
export type HookKind =
  | { kind: UnitHook }
  | { kind: SecretHook }
  | { kind: RelationHook; endpoint: string }
  | { kind: StorageHook; storage: string }
  | { kind: PebbleHook; container: string }
  | { kind: 'action'; action: string }
  | { kind: 'unknown' };

const SUFFIX =
  /^(.+)-(relation-(?:created|joined|changed|departed|broken)|storage-(?:attached|detaching)|pebble-(?:ready|custom-notice|check-failed|check-recovered))$/;

/** Classifies a hook (or, with `isAction`, an action) name. */
export function classifyHook(name: string, isAction: boolean): HookKind {
  if (isAction) return { kind: 'action', action: name };
  if ((UNIT_HOOKS as readonly string[]).includes(name)) return { kind: name as UnitHook };
  if (/^secret-(changed|expired|rotate|remove)$/.test(name)) return { kind: name as SecretHook };
  const m = SUFFIX.exec(name);
  if (!m) return { kind: 'unknown' };
  const [, entity = '', kind = ''] = m;
  if (kind.startsWith('relation-')) return { kind: kind as RelationHook, endpoint: entity };
  if (kind.startsWith('storage-')) return { kind: kind as StorageHook, storage: entity };
  return { kind: kind as PebbleHook, container: entity };
}

/** Hooks whose events cannot be deferred (Juju retries them, or deferring is pointless). */
export const NOT_DEFERRABLE = new Set([
  'action',
  'stop',
  'remove',
  'secret-rotate',
  'secret-expired',
]);

/** What every event has. */
export interface EventBase {
  /** The hook name, e.g. `db-relation-changed` (the action name for actions). */
  readonly name: string;
  /** True when this is a deferred event being re-emitted. */
  readonly redelivered: boolean;
  /**
   * Asks for this handler to run again, with this event, at the start of the next dispatch.
   * Throws `FrameworkError` for actions, stop, remove, secret-rotate and secret-expired.
   */
  defer(): void;
}

/** install, start, config-changed, update-status, … */
export interface UnitEvent extends EventBase {
  readonly kind: UnitHook;
}

/** `<endpoint>-relation-*`. */
export interface RelationEvent<E extends string = string> extends EventBase {
  readonly kind: RelationHook;
  readonly endpoint: E;
  readonly relation: Relation;
  /** The remote application (JUJU_REMOTE_APP). */
  readonly app: string | undefined;
  /** The remote unit (JUJU_REMOTE_UNIT); undefined for created and broken. */
  readonly unit: string | undefined;
  /** The unit leaving (JUJU_DEPARTING_UNIT), on departed only. */
  readonly departingUnit: string | undefined;
}

/** `<storage>-storage-attached` / `-detaching`. */
export interface StorageEvent<S extends string = string> extends EventBase {
  readonly kind: StorageHook;
  readonly storage: {
    readonly name: S;
    readonly id: string;
    readonly index: number;
    readonly location: string | undefined;
  };
}

/**
 * A Pebble notice, as Juju hands it over (id, type, key), with `get()` for the whole notice
 * (its `lastData`, occurrences, times) read from Pebble on demand (ops' `LazyNotice`).
 */
export interface NoticeRef {
  readonly id: string;
  readonly type: string;
  readonly key: string;
  /** The notice from Pebble (one request, remembered). Throws Pebble's `APIError` when gone. */
  get(): Promise<Notice>;
}

/**
 * A Pebble check, as Juju names it, with `get()` for its current info (status, failures,
 * threshold) read from Pebble on demand (ops' `LazyCheckInfo`).
 */
export interface CheckRef {
  readonly name: string;
  /** The check's info from Pebble (one request, remembered). Throws `ModelError` when absent. */
  get(): Promise<CheckInfo>;
}

/** `<container>-pebble-*`. */
export interface PebbleEvent<C extends string = string> extends EventBase {
  readonly kind: PebbleHook;
  readonly containerName: C;
  readonly container: Container;
  /** On pebble-custom-notice only. */
  readonly notice: NoticeRef | undefined;
  /** On pebble-check-failed / -recovered only: the check's name. */
  readonly checkName: string | undefined;
  /** On pebble-check-failed / -recovered only: the check, its info read on demand. */
  readonly check: CheckRef | undefined;
}

/** secret-changed / -expired / -rotate / -remove. */
export interface SecretEvent extends EventBase {
  readonly kind: SecretHook;
  readonly secret: Secret;
  /** On secret-expired and secret-remove: the revision concerned. */
  readonly revision: number | undefined;
}

/** A Juju action. */
export interface ActionEvent<P = Record<string, unknown>> extends EventBase {
  readonly kind: 'action';
  /** The action's id (JUJU_ACTION_UUID). */
  readonly id: string;
  /** The params, Juju's defaults applied. */
  readonly params: P;
  /** Adds results; nested objects become dotted keys. Throws `ModelError` for an invalid key. */
  setResults(results: Record<string, unknown>): Promise<void>;
  /** A progress message, shown by `juju show-operation`. */
  log(message: string): Promise<void>;
  /** Marks the action failed (the hook still exits 0). */
  fail(message?: string): Promise<void>;
}

/** Handed to collect-status observers. */
export interface CollectStatusEvent {
  /** Adds a candidate; the highest priority (blocked > maintenance > waiting > active) is set. */
  addStatus(status: Status): void;
}

/** Handed to `preCommit` and `commit` observers; not deferrable. */
export interface CommitEvent {
  readonly name: 'pre-commit' | 'commit';
}

/**
 * An event a library emits (`ingress.on.ready`): its payload's fields, plus `name` (the event's
 * name, e.g. `ready`), `source` (the library's namespace), `redelivered` and `defer()`.
 */
export type LibraryEvent<P extends object = Record<string, never>> = Readonly<P> &
  EventBase & {
    /** The namespace of the library that emitted it, e.g. `ingress-requirer[ingress]`. */
    readonly source: string;
  };

/** Any non-action event. */
export type HookEvent = UnitEvent | RelationEvent | StorageEvent | PebbleEvent | SecretEvent;
/** Any event. */
export type CharmEvent = HookEvent | ActionEvent;
