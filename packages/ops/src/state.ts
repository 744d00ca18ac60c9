/**
 * The charm's persistent state: stored state, the deferred-event queue and the last statuses
 * set, kept in Juju's controller-side `state-get`/`state-set` under one key, so it survives pod
 * churn. Read once per dispatch; written once, only when it changed and the dispatch succeeded.
 * @module
 */
import { FrameworkError } from './errors.ts';
import type { Status } from './status.ts';

/** The `state-get`/`state-set` key this runtime owns. */
export const STATE_KEY = 'charm-ts';
/** Juju's per-value limit for `state-set`. */
export const STATE_VALUE_LIMIT = 65536;

/** A deferred Juju event: the hook, the observer that deferred it, and the env that rebuilds it. */
export interface DeferredHookEvent {
  /** `hooks/<hook>` or `actions/<action>`. */
  hook: string;
  observer: string;
  env: Record<string, string>;
}

/** A deferred library event: `<namespace>/<event>`, the observer, and the payload as JSON. */
export interface DeferredLibraryEvent {
  event: string;
  observer: string;
  data: Record<string, unknown>;
}

/** A deferred event, re-emitted to its observer at the start of the next dispatch. */
export type DeferredEvent = DeferredHookEvent | DeferredLibraryEvent;

/** What is persisted between dispatches. */
export interface PersistedState {
  stored: Record<string, unknown>;
  deferred: DeferredEvent[];
  status: { unit?: Status; app?: Status };
}

/** An empty state, for the first dispatch. */
export function emptyState(): PersistedState {
  return { stored: {}, deferred: [], status: {} };
}

/**
 * Parses the stored value. Throws `FrameworkError` rather than guess when it is not ours or is
 * damaged: overwriting it would lose the charm's data.
 */
export function parseState(raw: string | undefined): PersistedState {
  if (raw === undefined || raw === '') return emptyState();
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new FrameworkError(
      `the '${STATE_KEY}' value in Juju's charm state is not JSON (${(err as Error).message}); inspect it with 'state-get ${STATE_KEY}' and remove it with 'state-delete ${STATE_KEY}' if it is stale`,
    );
  }
  const d = data as Partial<PersistedState> & { v?: number };
  if (typeof d !== 'object' || d === null || d.v !== 1) {
    throw new FrameworkError(
      `the '${STATE_KEY}' value in Juju's charm state has an unknown format (expected v: 1)`,
    );
  }
  return { stored: d.stored ?? {}, deferred: d.deferred ?? [], status: d.status ?? {} };
}

/**
 * Serialises the state; throws `FrameworkError` when it would exceed Juju's 64 KiB per-value
 * limit (Juju would refuse it at the end of the hook).
 */
export function serializeState(state: PersistedState): string {
  const text = JSON.stringify({ v: 1, ...state });
  const size = Buffer.byteLength(text);
  if (size > STATE_VALUE_LIMIT) {
    throw new FrameworkError(
      `charm state is ${size} bytes, over Juju's ${STATE_VALUE_LIMIT}-byte limit per state value; store less in stored state or defer fewer events`,
    );
  }
  return text;
}
