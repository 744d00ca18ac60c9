/**
 * Builds the typed event of a hook from its environment (the live one, or a deferred event's
 * saved copy).
 * @module
 */

import { ModelError } from '../errors.ts';
import type { ActionEvent, CharmEvent, CheckRef, HookKind, NoticeRef } from '../events.ts';
import { requireVar } from '../juju-context.ts';
import type { Model } from '../model/model.ts';
import { Relation } from '../model/relation.ts';
import { Secret } from '../model/secret.ts';
import type { Runtime } from './runtime.ts';

/** Variables that carry an event's payload; a deferred event saves these. */
export const EVENT_VARS = [
  'JUJU_RELATION',
  'JUJU_RELATION_ID',
  'JUJU_REMOTE_UNIT',
  'JUJU_REMOTE_APP',
  'JUJU_DEPARTING_UNIT',
  'JUJU_WORKLOAD_NAME',
  'JUJU_NOTICE_ID',
  'JUJU_NOTICE_TYPE',
  'JUJU_NOTICE_KEY',
  'JUJU_PEBBLE_CHECK_NAME',
  'JUJU_SECRET_ID',
  'JUJU_SECRET_LABEL',
  'JUJU_SECRET_REVISION',
  'JUJU_STORAGE_ID',
  'JUJU_STORAGE_LOCATION',
  'JUJU_STORAGE_KIND',
] as const;

/** The event payload without `defer`/`redelivered`, which each observer call adds. */
export type EventPayload = CharmEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'defer' | 'redelivered'>
    : never
  : never;

/** `fn()` on first call, the same promise after (a failure is asked again). */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= fn().catch((err) => {
      p = undefined;
      throw err;
    });
    return p;
  };
}

const opt = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/**
 * Builds the payload for `hook`. Throws `HookEnvironmentError` naming a variable the hook needs
 * and lacks.
 */
export async function buildPayload(
  rt: Runtime,
  model: Model,
  hook: string,
  kind: HookKind,
  env: Readonly<Record<string, string | undefined>>,
): Promise<EventPayload> {
  const need = (name: string) => requireVar(env, name, `a ${hook} hook needs it`);
  switch (kind.kind) {
    case 'relation-created':
    case 'relation-joined':
    case 'relation-changed':
    case 'relation-departed':
    case 'relation-broken': {
      const relId = need('JUJU_RELATION_ID');
      const id = Number(relId.slice(relId.lastIndexOf(':') + 1));
      // relation-changed has no remote unit when the remote *application* bag changed: Juju
      // leaves JUJU_REMOTE_UNIT empty then, so only joined and departed require it.
      if (kind.kind === 'relation-joined' || kind.kind === 'relation-departed') {
        need('JUJU_REMOTE_UNIT');
      }
      if (kind.kind === 'relation-departed') need('JUJU_DEPARTING_UNIT');
      const app = opt(env.JUJU_REMOTE_APP);
      return {
        name: hook,
        kind: kind.kind,
        endpoint: kind.endpoint,
        relation: new Relation(rt, kind.endpoint, id, app),
        app,
        unit: opt(env.JUJU_REMOTE_UNIT),
        departingUnit: opt(env.JUJU_DEPARTING_UNIT),
      };
    }
    case 'storage-attached':
    case 'storage-detaching': {
      const id = need('JUJU_STORAGE_ID');
      return {
        name: hook,
        kind: kind.kind,
        storage: {
          name: kind.storage,
          id,
          index: Number(id.slice(id.indexOf('/') + 1)),
          location: opt(env.JUJU_STORAGE_LOCATION),
        },
      };
    }
    case 'pebble-ready':
    case 'pebble-custom-notice':
    case 'pebble-check-failed':
    case 'pebble-check-recovered': {
      const container = model.unit.container(kind.container);
      const notice: NoticeRef | undefined =
        kind.kind === 'pebble-custom-notice'
          ? (() => {
              const id = need('JUJU_NOTICE_ID');
              return {
                id,
                type: need('JUJU_NOTICE_TYPE'),
                key: need('JUJU_NOTICE_KEY'),
                get: once(() => container.getNotice(id)),
              };
            })()
          : undefined;
      const checkName = kind.kind.startsWith('pebble-check-')
        ? need('JUJU_PEBBLE_CHECK_NAME')
        : undefined;
      const check: CheckRef | undefined =
        checkName === undefined
          ? undefined
          : { name: checkName, get: once(() => container.getCheck(checkName)) };
      return {
        name: hook,
        kind: kind.kind,
        containerName: kind.container,
        container,
        notice,
        checkName,
        check,
      };
    }
    case 'secret-changed':
    case 'secret-expired':
    case 'secret-rotate':
    case 'secret-remove': {
      const revision =
        kind.kind === 'secret-expired' || kind.kind === 'secret-remove'
          ? Number(need('JUJU_SECRET_REVISION'))
          : undefined;
      return {
        name: hook,
        kind: kind.kind,
        secret: new Secret(rt, need('JUJU_SECRET_ID'), opt(env.JUJU_SECRET_LABEL)),
        revision,
      };
    }
    case 'action': {
      const id = need('JUJU_ACTION_UUID');
      const params = await rt.tools.actionGet();
      const action: Omit<ActionEvent, 'defer' | 'redelivered'> = {
        name: hook,
        kind: 'action',
        id,
        params,
        setResults: (results) => rt.tools.actionSet(flattenResults(results)),
        log: (message) => rt.tools.actionLog(message),
        fail: (message) => rt.tools.actionFail(message),
      };
      return action;
    }
    case 'unknown':
      throw new ModelError(`unknown hook '${hook}'`);
    default:
      return { name: hook, kind: kind.kind };
  }
}

const RESULT_KEY = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED = new Set(['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding']);

/**
 * `{a: {b: 1}}` → `{'a.b': '1'}`. Throws `ModelError` for a key Juju refuses (checked before
 * `action-set` runs).
 */
export function flattenResults(
  results: Record<string, unknown>,
  prefix = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(results)) {
    if (!RESULT_KEY.test(key)) {
      throw new ModelError(
        `invalid action result key '${prefix}${key}': use lowercase letters, digits and dashes`,
      );
    }
    const full = `${prefix}${key}`;
    if (RESERVED.has(full)) throw new ModelError(`action result key '${full}' is reserved by Juju`);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flattenResults(value as Record<string, unknown>, `${full}.`));
    } else {
      out[full] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return out;
}
