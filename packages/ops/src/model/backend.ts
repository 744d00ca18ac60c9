/**
 * The model's view of the hook tools: the one place where a failing tool becomes a
 * `ModelError` (or `RelationNotFoundError` / `SecretNotFoundError`) carrying Juju's message, and
 * where tools the running Juju lacks are refused before they run.
 * @module
 */
import {
  HookToolError,
  JujuVersionError,
  ModelError,
  RelationNotFoundError,
  SecretNotFoundError,
} from '../errors.ts';
import type { HookTools } from '../hook-tools/types.ts';
import { type JujuVersion, versionAtLeast } from '../juju-version.ts';

/**
 * Turns a `HookToolError` into the model error Juju's message means: `relation not found` from a
 * relation-* or network-* tool → `RelationNotFoundError`; `not found` from a secret-* tool →
 * `SecretNotFoundError`; anything else → `ModelError`. Other errors pass through unchanged.
 */
export function translateToolError(err: unknown): unknown {
  if (!(err instanceof HookToolError)) return err;
  const tool = err.cmd[0] ?? '';
  const message = err.stderr.replace(/^(ERROR|error:)\s*/, '') || err.message;
  if (
    (tool.startsWith('relation-') || tool.startsWith('network-')) &&
    message.includes('relation not found')
  ) {
    return new RelationNotFoundError(message, { cause: err });
  }
  if (tool.startsWith('secret-') && message.includes('not found')) {
    return new SecretNotFoundError(message, { cause: err });
  }
  return new ModelError(message, { cause: err });
}

/** Minimum Juju versions of the tools that need one, and the last major that has a tool. */
const MIN_VERSION: Partial<Record<keyof HookTools, string>> = { relationModelGet: '3.6.2' };
const REMOVED_IN: Partial<Record<keyof HookTools, string>> = {
  leaderGet: '4.0.0',
  leaderSet: '4.0.0',
};

/**
 * Wraps `tools` so every failure is translated once (see `translateToolError`), and a tool the
 * running Juju lacks throws `JujuVersionError` instead of a confusing tool failure.
 */
export function modelBackend(tools: HookTools, version: JujuVersion): HookTools {
  const wrapped = {} as Record<string, unknown>;
  // A Proxy, so class-based implementations (methods on the prototype) are wrapped too.
  return new Proxy(tools, {
    get(target, key) {
      if (
        typeof key === 'string' &&
        typeof (target as unknown as Record<string, unknown>)[key] === 'function'
      ) {
        wrapped[key] ??= wrap(target, key as keyof HookTools, version);
        return wrapped[key];
      }
      return Reflect.get(target, key);
    },
  });
}

function wrap(tools: HookTools, key: keyof HookTools, version: JujuVersion) {
  const fn = tools[key] as (...args: unknown[]) => Promise<unknown>;
  if (typeof fn !== 'function') return fn;
  const min = MIN_VERSION[key];
  const removed = REMOVED_IN[key];
  const tool = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return async (...args: unknown[]) => {
    if (min && !versionAtLeast(version, min)) {
      throw new JujuVersionError(
        `${tool} needs Juju ${min} or later; this is Juju ${version.text}`,
      );
    }
    if (removed && versionAtLeast(version, removed)) {
      throw new JujuVersionError(
        `${tool} does not exist in Juju ${removed.split('.')[0]}+ (this is ${version.text}); use peer relation app data instead`,
      );
    }
    try {
      return await fn.apply(tools, args);
    } catch (err) {
      throw translateToolError(err);
    }
  };
}
