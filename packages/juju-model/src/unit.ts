/**
 * config-get, is-leader, leader-get/-set, state-get/-set/-delete, juju-log, credential-get,
 * resource-get: what a unit reads of its application and keeps for itself.
 * @module
 */
import type { CloudSpec, LogLevel } from '@charm-ts/ops';
import { configWithDefaults } from '@charm-ts/ops/metadata';
import type { HookContext } from './context.ts';
import { runError } from './errors.ts';

/** Juju's limits on a `state-set` key and value, in bytes (`quota.CheckTupleSize`). */
export const STATE_KEY_LIMIT = 256;
export const STATE_VALUE_LIMIT = 65536;

/** `config-get`: every option that is set or has a default; `all` adds the others as null. */
export function configGet(ctx: HookContext, all = false): Record<string, unknown> {
  const values = configWithDefaults(ctx.app.charm.config, ctx.app.config);
  if (all) for (const key of Object.keys(ctx.app.charm.config)) values[key] ??= null;
  return values;
}

/** `is-leader`. */
export function isLeader(ctx: HookContext): boolean {
  return ctx.leader;
}

/** `leader-get`: the application's leader settings. */
export function leaderGet(ctx: HookContext): Record<string, string> {
  return { ...ctx.app.leaderSettings };
}

/**
 * `leader-set` (leader only): at once; an empty value deletes a key. The other units are told
 * (leader-settings-changed) by the host.
 * @throws JujuError exit 1 `cannot write leadership settings: cannot write settings: not the
 * leader`.
 */
export function leaderSet(ctx: HookContext, changes: Readonly<Record<string, string>>): void {
  if (!ctx.leader) {
    throw runError('cannot write leadership settings: cannot write settings: not the leader');
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete ctx.app.leaderSettings[key];
    else ctx.app.leaderSettings[key] = value;
  }
  ctx.host.changed('leader-settings');
}

/**
 * `state-get`: one key's value (undefined when unset), with this hook's writes.
 * @throws JujuError exit 1 `"key" not found` for an unset key when `strict`.
 */
export function stateGet(ctx: HookContext, key: string, strict = false): string | undefined {
  const value = ctx.draft.state[key];
  if (value === undefined && strict) throw runError(`"${key}" not found`);
  return value;
}

/** `state-get` without a key: the whole store. */
export function stateGetAll(ctx: HookContext): Record<string, string> {
  return { ...ctx.draft.state };
}

/**
 * `state-set`: committed when the hook exits 0.
 * @throws JujuError exit 1 `max allowed key length (256) exceeded`, `max allowed value length
 * (65536) exceeded`.
 */
export function stateSet(ctx: HookContext, changes: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (Buffer.byteLength(key) > STATE_KEY_LIMIT) {
      throw runError(`max allowed key length (${STATE_KEY_LIMIT}) exceeded`);
    }
    if (Buffer.byteLength(value) > STATE_VALUE_LIMIT) {
      throw runError(`max allowed value length (${STATE_VALUE_LIMIT}) exceeded`);
    }
  }
  Object.assign(ctx.draft.state, changes);
}

/** `state-delete`: a no-op for an unset key. */
export function stateDelete(ctx: HookContext, key: string): void {
  delete ctx.draft.state[key];
}

/** `juju-log`: a line in the unit's log, at once. */
export function jujuLog(ctx: HookContext, level: LogLevel | 'TRACE', message: string): void {
  ctx.host.log(level, message);
}

/** `credential-get`: the cloud credential (the application must be trusted). */
export function credentialGet(ctx: HookContext): CloudSpec {
  return ctx.host.credential();
}

/** `resource-get`: the local path of a resource. */
export function resourceGet(ctx: HookContext, name: string): string {
  return ctx.host.resource(name);
}
