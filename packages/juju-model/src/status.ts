/**
 * status-get, status-set, application-version-set: they take effect at once (a failing hook
 * does not undo them); the application's status is the leader's.
 * @module
 */
import type { HookContext } from './context.ts';
import { runError, usageError } from './errors.ts';
import type { JujuStatus } from './model.ts';

/** The statuses a charm may set. */
export const SETTABLE_STATUSES: readonly string[] = ['maintenance', 'blocked', 'waiting', 'active'];

/** An application's status and its units' (`status-get --application`). */
export interface AppStatusRecord {
  readonly status: JujuStatus;
  readonly units: Readonly<Record<string, JujuStatus>>;
}

/** `status-get`: this unit's workload status. */
export function statusGet(ctx: HookContext): JujuStatus {
  return { ...ctx.unit.workloadStatus };
}

/**
 * `status-get --application`: the application's status and its units' (leader only).
 * @throws JujuError exit 1 `finding application status: this unit is not the leader`.
 */
export function appStatusGet(ctx: HookContext): AppStatusRecord {
  if (!ctx.leader) throw runError('finding application status: this unit is not the leader');
  const units: Record<string, JujuStatus> = {};
  for (const name of ctx.app.units) {
    const unit = ctx.model.units[name];
    if (unit) units[name] = { ...unit.workloadStatus };
  }
  return { status: { ...(ctx.app.status ?? { status: 'unknown', message: '' }) }, units };
}

/**
 * `status-set`: this unit's status, or the application's (leader only). At once.
 * @throws JujuError exit 2 `invalid status "x", expected one of [maintenance blocked waiting
 * active]`; exit 1 `setting application status: this unit is not the leader`.
 */
export function statusSet(ctx: HookContext, status: string, message: string, app: boolean): void {
  if (!SETTABLE_STATUSES.includes(status)) {
    throw usageError(
      `invalid status "${status}", expected one of [${SETTABLE_STATUSES.join(' ')}]`,
    );
  }
  if (app && !ctx.leader) {
    throw runError('setting application status: this unit is not the leader');
  }
  // The host stamps the time if it shows one (`changed`): formatting it costs every test run.
  const value: JujuStatus = { status, message };
  if (app) ctx.app.status = value;
  else ctx.unit.workloadStatus = value;
  ctx.host.changed(app ? 'app-status' : 'unit-status');
}

/** `application-version-set`: the workload version `juju status` shows. At once. */
export function applicationVersionSet(ctx: HookContext, version: string): void {
  ctx.app.version = version;
  ctx.host.changed('version');
}
