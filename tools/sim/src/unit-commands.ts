/**
 * The commands that add, remove and retry units: `scale`, `remove-unit`,
 * `remove-application` and `resolve`. The steps of a unit's life they queue are in
 * unit-lifecycle.ts; the hooks run when the model settles.
 * @module
 */
import { type CommandHost, findApp, findUnit } from './command-host.ts';
import { SimError } from './errors.ts';
import { relationsOf } from './events.ts';
import { status, type UnitState } from './model.ts';
import {
  addUnit,
  breakRelation,
  checkPodRoom,
  forgetApp,
  provisionUnit,
  queueRemoveUnit,
} from './unit-lifecycle.ts';

/**
 * Scales an application to `count` units (removing the newest first).
 * @throws SimError `UNKNOWN_APP`, `BAD_ARGUMENT`.
 */
export async function scale(host: CommandHost, appName: string, count: number): Promise<void> {
  const { model } = host;
  const app = findApp(model, appName);
  if (!Number.isInteger(count) || count < 0) {
    throw new SimError(
      'BAD_ARGUMENT',
      `scale expects a whole number ≥ 0 of units, got ${String(count)}`,
    );
  }
  const live = app.units.filter((u) => !model.units[u]?.dying);
  checkPodRoom(model, Math.max(0, count - live.length));
  const added: UnitState[] = [];
  for (let i = live.length; i < count; i++) added.push(addUnit(model, app));
  for (const unit of live.slice(count).reverse()) queueRemoveUnit(model, findUnit(model, unit));
  host.save();
  for (const unit of added) await provisionUnit(host, app, unit);
  await host.settle();
}

/**
 * Removes one unit: departed on its peers and remote units, then on the unit stop →
 * departed/broken → remove; a new leader is elected if it led.
 * @throws SimError `UNKNOWN_UNIT`.
 */
export async function removeUnit(host: CommandHost, unitName: string): Promise<void> {
  queueRemoveUnit(host.model, findUnit(host.model, unitName));
  await host.settle();
}

/**
 * Removes an application: its relations, then all its units.
 * @throws SimError `UNKNOWN_APP`.
 */
export async function removeApplication(host: CommandHost, appName: string): Promise<void> {
  const { model } = host;
  const app = findApp(model, appName);
  app.dying = true;
  for (const rel of relationsOf(model, appName)) {
    if (rel.endpoints.length > 1) breakRelation(model, rel);
  }
  for (const unit of [...app.units]) queueRemoveUnit(model, findUnit(model, unit));
  await host.settle();
  if (app.units.length === 0) forgetApp(model, appName);
}

/**
 * Retries the hook a unit failed, then carries on with its queue. A unit that is not in
 * error but stuck (its pod half made, hooks queued: an earlier charm-sim was killed) is
 * provisioned and its queue run.
 * @throws SimError `UNKNOWN_UNIT`, `NOT_IN_ERROR` (nothing failed and nothing is queued).
 */
export async function resolve(host: CommandHost, unitName: string): Promise<void> {
  const unit = findUnit(host.model, unitName);
  if (!unit.failedHook) {
    const pending = unit.queue.length + (unit.running ? 1 : 0);
    if (unit.provisioned !== false && pending === 0) {
      throw new SimError(
        'NOT_IN_ERROR',
        `unit ${unitName} is not in error (workload ${unit.workloadStatus.status}, agent ${unit.agentStatus.status}, no hooks queued): nothing to resolve`,
      );
    }
    // Stuck, not failed: an earlier charm-sim stopped before its pod or its hooks were done.
    host.progress(
      `${unitName} is not in error: ${unit.provisioned === false ? 'making its pod, then ' : ''}running its ${pending} queued hooks`,
    );
    if (unit.provisioned === false && host.revived) {
      await provisionUnit(host, findApp(host.model, unit.app), unit);
    }
    await host.settle();
    return;
  }
  unit.queue.unshift(unit.failedHook);
  delete unit.failedHook;
  delete unit.errorMessage;
  unit.workloadStatus = unit.statusBeforeError ?? status('unknown');
  delete unit.statusBeforeError;
  unit.agentStatus = status('idle');
  await host.settle();
}
