/**
 * action-get, action-set, action-log, action-fail: only while an action runs (`not running an
 * action` otherwise).
 * @module
 */
import type { HookContext } from './context.ts';
import { usageError } from './errors.ts';

const KEY = /^[a-z0-9](-?[a-z0-9])*$/;
const RESERVED = ['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding'];

/** What action-fail records when no message is given. */
export const DEFAULT_FAILURE = 'action failed without reason given, check action for errors';

/**
 * `action-get`: the params (defaults applied), or the value at a dotted `key` (`to.path`).
 * @throws JujuError exit 1 `not running an action`.
 */
export function actionGet(ctx: HookContext, key?: string | undefined): unknown {
  let value: unknown = ctx.runningAction().params;
  if (key === undefined) return structuredClone(value);
  for (const part of key.split('.')) {
    value =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return structuredClone(value);
}

/**
 * `action-set`: results, nested at the dots of each key (`out.size=10`).
 * @throws JujuError exit 1 `not running an action`; exit 2 for a key that is not lowercase
 * letters, digits and single hyphens, or a reserved one (`stdout`, `stderr`, …).
 */
export function actionSet(ctx: HookContext, results: Readonly<Record<string, string>>): void {
  // As the tool's argument checks (exit 2), the keys are checked before the action is looked up.
  const paths = Object.entries(results).map(([key, value]) => {
    const path = key.split('.');
    for (const part of path) {
      if (!KEY.test(part)) {
        throw usageError(
          `key "${part}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
        );
      }
    }
    if (path.length === 1 && RESERVED.includes(key)) {
      throw usageError(`cannot set reserved action key "${key}"`);
    }
    return { path, value };
  });
  const action = ctx.runningAction();
  for (const { path, value } of paths) {
    let bag = action.results;
    for (const part of path.slice(0, -1)) {
      const next = bag[part];
      if (typeof next !== 'object' || next === null) bag[part] = {};
      bag = bag[part] as Record<string, unknown>;
    }
    bag[path[path.length - 1] as string] = value;
  }
}

/** `action-log`: a progress message. @throws JujuError exit 1 `not running an action`. */
export function actionLog(ctx: HookContext, message: string): void {
  ctx.runningAction().log.push(message);
}

/**
 * `action-fail`: marks the action failed (the hook still exits 0).
 * @throws JujuError exit 1 `not running an action`.
 */
export function actionFail(ctx: HookContext, message?: string | undefined): void {
  ctx.runningAction().failure = message ?? DEFAULT_FAILURE;
}

/** Nested results as flat dotted keys (`{ out: { size: '10' } }` → `{ 'out.size': '10' }`). */
export function flattenResults(results: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value))
        walk(inner, prefix ? `${prefix}.${key}` : key);
    } else out[prefix] = String(value);
  };
  walk(results, '');
  return out;
}
